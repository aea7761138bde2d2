"""``skreg compare --scheduler``: the cells on a Dask distributed cluster give
the same results.csv as a local run; an unreachable scheduler is one line."""

import pytest

from skreg.__main__ import main
from skreg.study import cluster

distributed = pytest.importorskip("distributed")

TINY = ["--epochs", "3", "--hidden", "8", "--repeats", "2", "--train-size", "60",
        "--quiet", "--no-plots", "--methods", "none,l2,vat"]


def test_a_local_cluster_writes_the_same_results_csv(tmp_path, capsys):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                  processes=True, dashboard_address=None) as lc:
        assert main(["compare", *TINY, "--scheduler", lc.scheduler_address,
                     "--out", str(tmp_path / "dask")]) == 0
    assert main(["compare", *TINY, "--n-jobs", "1", "--out",
                 str(tmp_path / "local")]) == 0
    for name in ("results.csv", "summary.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == \
            (tmp_path / "local" / name).read_bytes()
    capsys.readouterr()


def test_an_unreachable_scheduler_is_a_one_line_error(monkeypatch, capsys):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    timeouts, real_client = [], distributed.Client

    def client(address, **kwargs):  # the real client, its timeout recorded
        timeouts.append(kwargs.get("timeout"))
        return real_client(address, **kwargs)

    monkeypatch.setattr(distributed, "Client", client)
    status = main(["compare", *TINY, "--scheduler", "tcp://127.0.0.1:9"])
    assert timeouts == [2]  # the connection attempt is bounded
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1, err
    assert err.startswith("skreg: error: cannot reach the Dask scheduler at "
                          "'tcp://127.0.0.1:9' within 2 s")


def test_without_distributed_the_error_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(__import__("sys").modules, "distributed", None)
    assert main(["compare", *TINY, "--scheduler", "tcp://127.0.0.1:9"]) == 1
    assert "pip install 'skreg[distributed]'" in capsys.readouterr().err
