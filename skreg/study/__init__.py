"""The regularization study behind ``skreg compare``: paired repeats, tuned
strengths, intervals and verdicts.

One module per concept: :mod:`~skreg.study.methods` (the registry of rows),
:mod:`~skreg.study.data` (data sets), :mod:`~skreg.study.design` (repeats and
splits), :mod:`~skreg.study.tuning`, :mod:`~skreg.study.cells` (one method on
one repeat), :mod:`~skreg.study.runner` (joblib, progress),
:mod:`~skreg.study.stats`, :mod:`~skreg.study.report` (CSV and tables),
:mod:`~skreg.study.figures` and :mod:`~skreg.study.cli_output`.
"""

from .methods import METHODS, Context, Method
from .runner import run_study

__all__ = ["METHODS", "Context", "Method", "run_study"]
