"""Offline pieces of the docs build: MathJax from Debian's ``libjs-mathjax``
and intersphinx inventories read from local files.

Nothing here reaches the network. The build machine has no route to the
projects' sites, so each intersphinx inventory is a local file: the one a
Debian ``python-*-doc`` package ships when it is installed, else the small
inventory of ``_inventories/<project>.txt`` (objects these pages cite, with
the project's documented URL; see ``_inventories/README.md``).
"""

import os
import shutil
import zlib
from pathlib import Path

MATHJAX_DIR = Path("/usr/share/javascript/mathjax")
# What the TeX-AMS_CHTML configuration loads (1.5 MB of the package's 54 MB).
MATHJAX_FILES = ["MathJax.js", "config/TeX-AMS_CHTML.js", "extensions",
                 "jax/input/TeX", "jax/output/CommonHTML", "jax/element",
                 "fonts/HTML-CSS/TeX/woff", "localization/en"]
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@2.7.9/MathJax.js?config=TeX-AMS_CHTML"

HERE = Path(__file__).resolve().parents[1]
INVENTORIES = {  # project: (documentation root, Debian's inventory)
    "sklearn": ("https://scikit-learn.org/stable/",
                "/usr/share/doc/python-sklearn-doc/html/objects.inv"),
    "scipy": ("https://docs.scipy.org/doc/scipy/",
              "/usr/share/doc/python-scipy-doc/html/objects.inv"),
    "numpy": ("https://numpy.org/doc/stable/", None),
    "matplotlib": ("https://matplotlib.org/stable/", None),
}


def mathjax_path():
    """The local copy's path under ``_static`` when Debian's MathJax is
    installed, the CDN's URL otherwise."""
    if (MATHJAX_DIR / "MathJax.js").is_file():
        return "mathjax/MathJax.js?config=TeX-AMS_CHTML"
    return MATHJAX_CDN


def copy_mathjax(app, exception):
    """``build-finished`` hook: copy the local MathJax next to the pages."""
    if exception is not None or "://" in app.config.mathjax_path:
        return
    if app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        src, dst = MATHJAX_DIR / name, target / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def write_inventory(source, target, project):
    """Sphinx's objects.inv (version 2) from a text list of
    ``name domain:role uri`` lines (``$`` in uri stands for name)."""
    lines = []
    for line in Path(source).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, role, uri = line.split()
            lines.append(f"{name} {role} 1 {uri.replace('$', name)} -\n")
    header = (f"# Sphinx inventory version 2\n# Project: {project}\n"
              "# Version: \n# The remainder of this file is compressed using zlib.\n")
    Path(target).write_bytes(header.encode() + zlib.compress("".join(lines).encode()))
    return str(target)


def intersphinx_mapping(build_dir):
    """Local inventories only: Debian's when installed, ours otherwise
    (always ours with ``SKREG_DOCS_OWN_INVENTORIES=1``)."""
    mapping = {}
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    use_debian = not os.environ.get("SKREG_DOCS_OWN_INVENTORIES")
    for project, (url, debian) in INVENTORIES.items():
        if use_debian and debian and Path(debian).is_file():
            mapping[project] = (url, debian)
        else:
            inv = write_inventory(HERE / "_inventories" / f"{project}.txt",
                                  build_dir / f"{project}.inv", project)
            mapping[project] = (url, inv)
    return mapping
