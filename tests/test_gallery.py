"""Gallery hygiene (issue 22): no example prints a matplotlib return value,
the docs configuration uses no deprecated sphinx-gallery option, and the
benchmarks do not import each other in a circle."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))


def _is_print(node):
    return isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print"


def _last_expressions(path):
    """(line, source) of each code block's last statement when it is an
    expression other than ``print(...)``: sphinx-gallery prints its repr
    (a trailing ";" does not stop it)."""
    split = pytest.importorskip("sphinx_gallery.py_source_parser")
    _, blocks, *_ = split.split_code_and_text_blocks(str(path))
    found = []
    for label, content, lineno in blocks:
        body = ast.parse(content).body if label == "code" else []
        last = body[-1] if body else None
        if isinstance(last, ast.Expr) and not _is_print(last.value):
            source = ast.get_source_segment(content, last)
            found.append((lineno + last.lineno - 1, source))
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_print_no_return_values(path):
    assert _last_expressions(path) == []


def test_docs_conf_has_no_deprecated_gallery_option():
    from .test_docs import _conf_value

    assert "reference_url" not in _conf_value("sphinx_gallery_conf")


def test_benchmarks_do_not_import_each_other_in_a_circle():
    """Module-level and function-level imports between benchmarks/*.py form
    no cycle (bench_conv and _conv_speed imported each other)."""
    bench = ROOT / "benchmarks"
    names = {p.stem for p in bench.glob("*.py")}
    graph = {}
    for path in bench.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
                    for a in n.names}
        imported |= {n.module for n in ast.walk(tree)
                     if isinstance(n, ast.ImportFrom) and n.module}
        graph[path.stem] = imported & names

    def reaches(start, target, seen=()):
        return any(nxt == target
                   or (nxt not in seen and reaches(nxt, target, (*seen, nxt)))
                   for nxt in graph[start])

    assert [name for name in graph if reaches(name, name)] == []
