"""Sphinx configuration of the skreg documentation (``make -C docs html``).

The build is offline: MathJax comes from Debian's ``libjs-mathjax`` when it is
installed (the CDN otherwise) and the intersphinx inventories from local
files (``_ext/offline.py``). The gallery (``../examples``) is executed by
every build, so each figure is made by the current code.
"""

import os
import sys
from pathlib import Path

import threadpoolctl

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE / "_ext")]  # this checkout's skreg
import offline  # noqa: E402

import skreg  # noqa: E402

os.environ.setdefault("MPLBACKEND", "Agg")

project = "skreg"
author = "skreg developers"
copyright = "skreg developers"
release = version = skreg.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "_inventories",
                    "auto_examples/*.ipynb", "auto_examples/*.py",
                    "auto_examples/*.zip", "auto_examples/*.json"]
nitpicky = True

myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# ---- API reference: one page per public object, numpydoc validated ----------
autosummary_generate = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = True
# Every check but these, on every object the API pages document:
#   ES01  an extended summary is not required (many one-line functions);
#   SA01  a "See Also" section is not required;
#   EX01  examples are required of each public class and module, which carry
#         them, not of each method (scikit-learn's own convention);
#   GL01, GL02  where the summary starts and the closing quotes sit is
#         layout, not content;
#   RT02  returned values are named (``self : DFNClassifier``), as in
#         scikit-learn, where numpydoc wants the type alone.
numpydoc_validation_checks = {"all", "ES01", "SA01", "EX01", "GL01", "GL02", "RT02"}
# The public API is validated; the developer reference's study modules
# (skreg.study: internal, documented for contributors) are not.
numpydoc_validation_exclude = {r"^skreg\.study\."}

# ---- links to the projects skreg builds on (local inventories, no network) ---
intersphinx_mapping = offline.intersphinx_mapping(HERE / "_build" / "inventories")
intersphinx_timeout = 1

# ---- MathJax: Debian's local copy when installed, the CDN otherwise ----------
mathjax_path = offline.mathjax_path()  # MathJax 2.7 either way
# MyST marks each page tex2jax_ignore and its math nodes "math" (for
# MathJax 3); MathJax 2 is told the same.
mathjax2_config = {"tex2jax": {"inlineMath": [["\\(", "\\)"]],
                               "displayMath": [["\\[", "\\]"]],
                               "processEscapes": True,
                               "ignoreClass": "tex2jax_ignore|mathjax_ignore",
                               "processClass": "tex2jax_process|mathjax_process|math"}}

# ---- the gallery: every example runs in each build ----------------------------
# The gallery's networks are small: one BLAS thread is faster than two that
# contend with each other (and, on a shared machine, with the neighbours).
threadpoolctl.threadpool_limits(1)

sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",  # run them all
    "within_subsection_order": "FileNameSortKey",
    "doc_module": ("skreg",),
    "reference_url": {"skreg": None},
    "backreferences_dir": "generated/backreferences",
    "abort_on_example_error": True,
    "remove_config_comments": True,
    "min_reported_time": 0,
    "show_memory": False,
    "download_all_examples": False,
}

# ---- theme ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 4,
}
html_static_path = ["_static"]
html_title = f"skreg {release}"
html_show_sourcelink = False


def setup(app):
    app.connect("build-finished", offline.copy_mathjax)
