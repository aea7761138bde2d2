"""Running the study's cells on a Dask distributed cluster (``--scheduler``).

The pool is sent to the workers once (``Client.scatter``, broadcast), every
cell is one task, and results come back as they finish. A cell's result is
a deterministic function of the cell and the pool, so ``results.csv`` is the
same as a local run's. The workers need skreg (and the same library
versions, for the same last digits) installed.
"""

__all__ = ["CONNECT_TIMEOUT", "run_on_dask"]

#: seconds to wait for the scheduler before giving up
CONNECT_TIMEOUT = 10


def _client(address, timeout):
    try:
        from distributed import Client
    except ImportError:
        raise ImportError("--scheduler needs Dask's distributed package: pip "
                          "install 'skreg[distributed]'") from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise OSError(f"cannot reach the Dask scheduler at {address!r} within "
                      f"{timeout} s: {message}") from None


def run_on_dask(function, cells, pool, address, timeout=None):
    """Yield ``function(cell, pool)`` for every cell, as the tasks finish on
    the cluster whose scheduler listens at ``address`` (reached within
    ``timeout`` seconds, default ``CONNECT_TIMEOUT``).

    Examples
    --------
    >>> from distributed import LocalCluster
    >>> from skreg.study.data import load_pool
    >>> from skreg.study.design import repeats
    >>> from skreg.study.cells import Cell, run_cell
    >>> cells = [Cell("none", r, 50, hidden=(4,), epochs=2)
    ...          for r in repeats(0, 2)]
    >>> with LocalCluster(n_workers=1, threads_per_worker=1,
    ...                   dashboard_address=None) as cluster:
    ...     res = list(run_on_dask(run_cell, cells, load_pool("digits"),
    ...                            cluster.scheduler_address))
    >>> sorted(r.repeat for r in res)
    [0, 1]
    """
    client = _client(address, CONNECT_TIMEOUT if timeout is None else timeout)
    from distributed import as_completed

    try:
        shared = client.scatter(pool, broadcast=True)
        futures = [client.submit(function, cell, shared, pure=False)
                   for cell in cells]
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
