"""Command line: ``python -m skreg compare`` (also the ``skreg`` script).

Bad input (an unknown data set or method, a missing or corrupt data file, an
unwritable ``--out``) ends with one ``skreg: error: ...`` line on stderr and a
non-zero exit status, never a traceback.
"""

import argparse
import math
import os
import sys
import time
from pathlib import Path

from . import __version__
from .study import cli_output, methods as registry, plan
from .study.data import DATASETS, load_pool
from .study.report import SEMI_BASELINE

EPILOG = """datasets:
  digits            sklearn's 8x8 digits (default, always available)
  fashion-mnist     Debian's dataset-fashion-mnist (or --data-home DIR)
  mnist-npz PATH    a Keras-layout mnist.npz
  idx DIR           a folder of the four MNIST-layout IDX files
  csv PATH          your CSV file and --target COLUMN: numeric, text and bool
                    columns, empty cells allowed; every row is fitted in
                    skreg.make_tabular_pipeline (read with pandas: pip
                    install 'skreg[tabular]')
  npz PATH          your .npz file with arrays X (n, features) and y (n,)

Each repeat draws a new stratified training set of --train-size rows (the rest,
or the data set's own test set, tests) and new seeds; every method sees the same
repeats, so methods are compared paired. Strengths are tuned on a validation
split of the training rows (--no-tune: fixed strengths). Supervised rows are
compared with --baseline, semi-supervised rows with labeled-only; each verdict
(helps, hurts, equivalent within --margin, inconclusive) is read off the
simultaneous (Bonferroni) interval printed beside it.

examples:
  skreg compare
  skreg compare --methods none,l2,dropout --repeats 10 --out results/
  skreg compare --train-sizes 100,200,400,800 --out sizes/
  skreg compare --dataset csv data.csv --target label
"""
SEED_LIMIT = 2**32
DEFAULT_REPEATS = 15


class UsageError(Exception):
    """Bad command-line input (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump)."""

    def error(self, message):
        raise UsageError(message)


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value


def _sizes(text):
    try:
        sizes = sorted({_positive(t) for t in text.split(",") if t.strip()})
    except argparse.ArgumentTypeError as exc:
        raise argparse.ArgumentTypeError(f"{exc} in {text!r}") from None
    if not sizes:
        raise argparse.ArgumentTypeError(f"expected sizes such as 100,200,400, got "
                                         f"{text!r}")
    return sizes


def _margin(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of points, got {text!r}") \
            from None
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(
            f"the equivalence margin must be a finite number of points >= 0, "
            f"got {text}")
    return value


def _parser():
    parser = _Parser(prog="skreg", allow_abbrev=False,
                     description="Regularization for deep learning, compared.")
    parser.add_argument("--version", action="version", version=f"skreg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    cmp = sub.add_parser(
        "compare", help="compare the chapter's regularizers on one data set",
        description="A paired, repeated study of the chapter's regularizers: "
                    "tuned strengths, intervals and a verdict per method.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)
    add = cmp.add_argument
    add("--dataset", nargs="+", default=["digits"], metavar=("NAME", "PATH"),
        help="digits (default), fashion-mnist, mnist-npz PATH, idx DIR, csv PATH, "
             "npz PATH")
    add("--target", metavar="COLUMN", help="label column of --dataset csv")
    add("--data-home", metavar="DIR", help="folder of the Fashion-MNIST files")
    add("--methods", default="all", metavar="LIST",
        help="comma-separated methods, or 'all' (default); see --list-methods")
    add("--list-methods", action="store_true",
        help="print the methods, their grids and sections, then exit")
    add("--baseline", default="none", metavar="METHOD",
        help="the method every supervised row is compared with (default none; "
             "the semi-supervised rows are compared with labeled-only)")
    add("--repeats", type=_positive, default=DEFAULT_REPEATS,
        help=f"paired repeats (default {DEFAULT_REPEATS}: see docs/results.md for "
             "the power this gives)")
    add("--train-size", type=_positive, metavar="N",
        help="training rows per repeat (default 150 for digits, 1000 for the "
             "MNIST-like sets, half the rows for csv/npz)")
    add("--train-sizes", type=_sizes, metavar="LIST",
        help="run at several training-set sizes, e.g. 100,200,400,800")
    add("--epochs", type=_positive, default=200,
        help="epoch budget of every network (default 200)")
    add("--hidden", type=_positive, nargs="+", default=[128], metavar="UNITS",
        help="hidden layer sizes (default 128)")
    add("--seed", type=int, default=0, help="seed of the study, 0 <= seed < 2**32")
    add("--no-tune", action="store_true", help="fixed strengths instead of tuning")
    add("--margin", type=_margin, default=1.0, metavar="POINTS",
        help="equivalence margin in points of accuracy: a difference whose "
             "simultaneous interval lies inside +-POINTS is 'equivalent' "
             "(default 1)")
    add("--n-jobs", type=int, default=-1,
        help="cells run in parallel (joblib; default -1 = all cores; capped at "
             "the number of cells)")
    add("--scheduler", metavar="ADDRESS",
        help="run the cells on this Dask distributed scheduler (e.g. "
             "tcp://host:8786; needs the 'distributed' extra) instead of local "
             "processes; --n-jobs is then ignored")
    add("--fgsm-eps", type=float, default=0.1, metavar="EPS",
        help="size of the FGSM attack of the table (default 0.1; images: "
             "pixels clipped to [0, 1]; npz: standardized units; csv: units of the "
             "tabular pipeline's output)")
    add("--out", metavar="DIR",
        help="write results.csv, timing.csv, summary.md and the figures here")
    add("--no-plots", action="store_true", help="do not draw figures")
    add("--quiet", action="store_true", help="no progress on stderr")
    return parser


def _methods(text, baseline):
    names = [m.strip() for m in text.split(",") if m.strip()]
    if names == ["all"]:
        names = list(registry.METHODS)
    unknown = [m for m in names if m not in registry.METHODS]
    if unknown or not names:
        raise UsageError(f"unknown method(s) {', '.join(unknown) or repr(text)}; "
                         f"choose from all, {', '.join(registry.METHODS)}")
    if baseline not in registry.METHODS:
        raise UsageError(f"--baseline {baseline!r} is not a method")
    if registry.METHODS[baseline].needs_unlabeled:
        raise UsageError(f"--baseline {baseline!r} is a semi-supervised row; the "
                         f"semi-supervised rows are compared with {SEMI_BASELINE}, "
                         "--baseline sets the supervised rows' baseline")
    if baseline not in names:
        names.insert(0, baseline)
    semi = [m for m in names if registry.METHODS[m].needs_unlabeled]
    if semi and SEMI_BASELINE not in names:
        names.insert(names.index(semi[0]), SEMI_BASELINE)
    return list(dict.fromkeys(names))


def _check_args(args):
    """Validate what argparse cannot; return (dataset, path, methods)."""
    name, *rest = args.dataset
    if name not in DATASETS:
        raise UsageError(f"unknown dataset {name!r}; choose from digits, "
                         "fashion-mnist, mnist-npz PATH, idx DIR, csv PATH, npz PATH")
    needs_path = DATASETS[name][0]
    if len(rest) != int(needs_path):
        usage = f"--dataset {name} PATH" if needs_path else f"--dataset {name}"
        raise UsageError(f"expected {usage}, got --dataset {' '.join(args.dataset)}")
    if not 0 <= args.seed < SEED_LIMIT:
        raise UsageError(f"--seed must be in [0, 2**32), got {args.seed}")
    if args.n_jobs == 0:
        raise UsageError("--n-jobs must be a positive count or negative "
                         "(-1 = all cores)")
    if not 0 <= args.fgsm_eps < math.inf:
        raise UsageError(f"--fgsm-eps must be a finite number >= 0, got {args.fgsm_eps}")
    if args.out is not None and not args.out.strip():
        raise UsageError("--out needs a folder name, got an empty string")
    if args.train_size and args.train_sizes:
        raise UsageError("give --train-size or --train-sizes, not both")
    if args.target is not None and name != "csv":
        raise UsageError("--target is only for --dataset csv")
    methods = _methods(args.methods, args.baseline)
    try:
        plan.check_cell_count(len(methods), len(args.train_sizes or [0]), args.repeats)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return name, (rest[0] if rest else None), methods


def _prepare_out(out):
    """Create ``out`` and check that files can be written in it."""
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".skreg-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OSError(f"cannot write to --out {out}: {exc.strerror or exc}") from None
    return path


def run_compare(args, argv):
    """The ``compare`` command; returns the exit status."""
    name, path, methods = _check_args(args)
    out = _prepare_out(args.out) if args.out else None
    pool = load_pool(name, path, args.target, args.data_home)
    if pool.image_side is None:
        if registry.METHODS[args.baseline].image_only:
            raise UsageError(f"--baseline {args.baseline} needs square images; "
                             f"{pool.name} has {pool.X.shape[1]} plain features")
        skipped = [m for m in methods if registry.METHODS[m].image_only]
        methods = [m for m in methods if m not in skipped]
        if skipped:
            print(f"skreg: note: {', '.join(skipped)} skipped: needs square images",
                  file=sys.stderr)
    sizes = args.train_sizes or [args.train_size or pool.default_train_size()]
    try:
        plan.check_plan(pool, methods, sizes, args.repeats, args.seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.repeats == 1:
        print("skreg: note: with --repeats 1 no interval can be given (and no "
              "verdict); use --repeats 5 or more", file=sys.stderr)
    study = cli_output.Study(pool, methods, sizes, args, argv)
    tic = study.run()
    if out is not None:
        study.write(out, plots=not args.no_plots)
    print(study.text(), flush=True)
    if not args.quiet:
        print(f"skreg: {len(study.results)} cells in {time.perf_counter() - tic:.1f} s"
              + (f"; results in {out}" if out else ""), file=sys.stderr)
    failed = sorted({r.method for r in study.results if r.note.startswith("failed")})
    if failed:
        print(f"skreg: error: cells failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _list_methods():
    for m in registry.METHODS.values():
        grid = m.grid if isinstance(m.grid, dict) else "(depends on the network)"
        grid = ", ".join(f"{k} in {v}" for k, v in grid.items()) \
            if isinstance(grid, dict) else grid
        print(f"{m.name:19s} {m.section:9s} {m.description}"
              + (f"; tuned: {grid}" if grid else ""))


def format_table(results, baseline="none", eps=0.1, margin=1.0):
    """The summary tables (one per training-set size) of study results.

    Examples
    --------
    >>> from skreg.study.data import load_pool
    >>> from skreg.study.runner import run_study
    >>> res = run_study(load_pool("digits"), ["none", "l1"], [50], n_repeats=2,
    ...                 hidden=(8,), epochs=2)
    >>> print(format_table(res))  # doctest: +ELLIPSIS
    ## 50 training rows, 2 paired repeats
    <BLANKLINE>
    ### Supervised rows against none
    <BLANKLINE>
    | method | acc % | vs none [95% CI] ...
    """
    return cli_output.format_tables(results, baseline, eps, margin=margin / 100)


def main(argv=None):
    """Entry point of ``python -m skreg`` and of the ``skreg`` script.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 1 when a file or cell failed, 2 on a usage error.

    Examples
    --------
    >>> main(["compare", "--methods", "none,l1", "--epochs", "2", "--repeats",
    ...       "2", "--train-size", "50", "--quiet", "--n-jobs", "1"])
    ... # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    skreg compare: digits, ...
    0
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = _parser().parse_args(argv)
        if args.list_methods:
            _list_methods()
            return 0
        return run_compare(args, argv)
    except UsageError as exc:
        print(f"skreg: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `skreg compare | head -1`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (OSError, ValueError, ImportError) as exc:
        message = " ".join(str(exc).split())
        print(f"skreg: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("skreg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
