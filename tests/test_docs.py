"""The examples of the documentation run: the ``pycon`` blocks of docs/*.md
and the Examples sections of every skreg module's docstrings."""

import doctest
import importlib
import pathlib
import pkgutil
import re
import warnings

import numpy as np
import pytest

import skreg
from skreg import DFNClassifier

DOCS = pathlib.Path(__file__).parents[1] / "docs"
BLOCK = re.compile(r"(?:<!--\s*needs:\s*(?P<needs>[\w-]+)\s*-->\s*\n)?"
                   r"```pycon\n(?P<code>.*?)```", re.S)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _has_multitask():
    from skreg.compare import _supports_multitask

    return _supports_multitask()


FEATURES = {
    "reconstruction_weight":
        lambda: "reconstruction_weight" in DFNClassifier().get_params(),
    "multi-task": _has_multitask,
    "matplotlib": lambda: importlib.util.find_spec("matplotlib") is not None,
}


def _run(examples, globs, name, failures):
    """Run the doctest ``examples`` in ``globs``; failures go to the list."""
    test = doctest.DocTestParser().get_doctest(examples, globs, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runner.run(test, out=failures.append, clear_globs=False)
    globs.update(test.globs)  # the DocTest ran on a copy
    return runner.summarize(verbose=False).attempted


def _markdown_files():
    return sorted(p.name for p in DOCS.glob("*.md") if "```pycon" in p.read_text())


@pytest.mark.parametrize("name", _markdown_files())
def test_markdown_examples(name):
    """Blocks of one page share their names, in order, like a notebook; a
    block marked ``<!-- needs: feature -->`` is skipped without it (and must
    not define names later blocks use)."""
    if name == "index.md":
        pytest.importorskip("matplotlib")
    globs, failures, attempted = {"__name__": name}, [], 0
    for match in BLOCK.finditer((DOCS / name).read_text()):
        needs = match["needs"]
        if needs is None or FEATURES[needs]():
            attempted += _run(match["code"], globs, name, failures)
    assert not failures, "\n".join(failures)
    assert attempted > 0


def _modules():
    found = pkgutil.walk_packages(skreg.__path__, "skreg.")
    return sorted(["skreg"] + [m.name for m in found])


@pytest.mark.parametrize("module", _modules())
def test_module_docstring_examples(module):
    if module in ("skreg.plotting", "skreg._display_fit", "skreg._display_data"):
        matplotlib = pytest.importorskip("matplotlib")
        matplotlib.use("Agg")
    mod = importlib.import_module(module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.random.seed(0)
        result = doctest.testmod(mod, optionflags=FLAGS, report=True)
    assert result.failed == 0, f"{result.failed} failing example(s) in {module}"


def test_public_functions_of_my_modules_have_examples():
    """The comparison, plotting and CLI entry points document an example."""
    from skreg import __main__ as cli
    from skreg import compare, plotting

    functions = [compare.load_dataset, compare.method_specs, compare.run_comparison,
                 cli.format_table, compare.ensemble_fgsm, cli.main,
                 plotting.LossCurveDisplay, plotting.WeightHistogramDisplay,
                 plotting.AdversarialCurveDisplay, plotting.AugmentationGridDisplay,
                 plotting.plot_accuracy_bars]
    missing = [f.__qualname__ for f in functions
               if "Examples\n" not in (f.__doc__ or "")]
    assert not missing
