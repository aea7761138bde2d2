"""Command line: ``python -m skreg compare`` (also the ``skreg`` script).

Bad input (an unknown data set or method, a missing or corrupt data file, an
unwritable ``--out``) ends with one ``skreg: error: ...`` line on stderr and a
non-zero exit status, never a traceback.
"""

import argparse
import csv
import importlib.util
import math
import shlex
import sys
import tempfile
import time
from pathlib import Path

from . import compare

DATASETS = ("digits", "fashion-mnist", "mnist-npz", "idx")
EPILOG = """datasets:
  digits            sklearn's 8x8 digits, split 50/50 (default, always available)
  fashion-mnist     Debian's dataset-fashion-mnist (or --data-home DIR)
  mnist-npz PATH    a Keras-layout mnist.npz
  idx DIR           a folder of the four MNIST-layout IDX files

examples:
  skreg compare
  skreg compare --methods none,l2,l1,dropout --epochs 20 --out results/
  skreg compare --dataset fashion-mnist --epochs 10 --n-jobs 2 --out fmnist/
"""


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


def _parser():
    parser = _Parser(prog="skreg", allow_abbrev=False,
                     description="Regularization for deep learning, compared.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    cmp = sub.add_parser(
        "compare", help="compare the chapter's regularizers on one data set",
        description="Fit one network per regularization method on the same "
                    "split, seed and epoch budget and print a Markdown table.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False)
    cmp.add_argument("--dataset", nargs="+", default=["digits"],
                     metavar=("NAME", "PATH"),
                     help="digits (default), fashion-mnist, mnist-npz PATH, idx DIR")
    cmp.add_argument("--data-home", metavar="DIR",
                     help="folder of the Fashion-MNIST files")
    cmp.add_argument("--methods", default="all", metavar="LIST",
                     help="comma-separated rows, or 'all' (default); "
                          "see --list-methods")
    cmp.add_argument("--list-methods", action="store_true",
                     help="print the methods and what each row changes, then exit")
    cmp.add_argument("--epochs", type=_positive, default=50,
                     help="epoch budget of every row (default 50)")
    cmp.add_argument("--hidden", type=_positive, nargs="+", default=[128],
                     metavar="UNITS", help="hidden layer sizes (default 128)")
    cmp.add_argument("--seed", type=int, default=0, help="random_state of every row")
    cmp.add_argument("--n-jobs", type=int, default=1,
                     help="rows fitted in parallel (joblib; -1 = all cores)")
    cmp.add_argument("--train-size", type=_positive, metavar="N",
                     help="use a stratified subset of N training rows")
    cmp.add_argument("--fgsm-eps", type=float, default=0.1, metavar="EPS",
                     help="size of the FGSM attack of the table (default 0.1)")
    cmp.add_argument("--out", metavar="DIR",
                     help="write results.csv, results.md and the plots here")
    cmp.add_argument("--no-plots", action="store_true", help="do not draw plots")
    cmp.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def _methods(text):
    names = [m.strip() for m in text.split(",") if m.strip()]
    if names == ["all"]:
        return list(compare.METHOD_NAMES)
    unknown = [m for m in names if m not in compare.METHODS]
    if unknown or not names:
        raise UsageError(f"unknown method(s) {', '.join(unknown) or repr(text)}; "
                         f"choose from all, {', '.join(compare.METHOD_NAMES)}")
    return list(dict.fromkeys(names))


def _check_args(args):
    """Validate what argparse cannot; return (dataset, path, methods)."""
    name, *rest = args.dataset
    if name not in DATASETS:
        raise UsageError(f"unknown dataset {name!r}; choose from digits, "
                         "fashion-mnist, mnist-npz PATH, idx DIR")
    needs_path = name in ("mnist-npz", "idx")
    if len(rest) != int(needs_path):
        usage = f"--dataset {name} PATH" if needs_path else f"--dataset {name}"
        raise UsageError(f"expected {usage}, got --dataset {' '.join(args.dataset)}")
    if args.seed < 0:
        raise UsageError(f"--seed must be >= 0, got {args.seed}")
    if args.n_jobs == 0:
        raise UsageError("--n-jobs must be a positive count or negative "
                         "(-1 = all cores)")
    if not args.fgsm_eps >= 0:
        raise UsageError(f"--fgsm-eps must be >= 0, got {args.fgsm_eps}")
    return name, (rest[0] if rest else None), _methods(args.methods)


def _cell(value, fmt):
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else format(value, fmt)


def _epochs_cell(r):
    if not r.epochs:
        return "n/a"
    text = str(r.epochs)
    if r.best_epoch and r.best_epoch != r.epochs:
        text += f" (best {r.best_epoch})"
    if r.refit_epochs:
        text += f" + {r.refit_epochs} refit"
    return text


def format_table(results, eps=0.1):
    """A Markdown table of the results.

    Examples
    --------
    >>> from skreg.__main__ import format_table
    >>> from skreg.compare import Result
    >>> rows = [Result("none", 1.0, 0.95, 0.5, 0.0, 20, 20, 0, 0.3),
    ...         Result("multi-task", note="n/a: needs it")]
    >>> print(format_table(rows))  # doctest: +ELLIPSIS
    | method | train acc | test acc | gap | FGSM acc (eps=0.1) | zero weights | ...
    |---|---|---|---|---|---|---|---|---|
    | none | 1.0000 | 0.9500 | +0.0500 | 0.5000 | 0.000 | 20 | 0.30 |  |
    | multi-task | n/a | n/a | n/a | n/a | n/a | ... | n/a: needs it |
    """
    lines = [f"| method | train acc | test acc | gap | FGSM acc (eps={eps:g}) | "
             "zero weights | epochs | fit s | note |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        cells = [r.method, _cell(r.train_accuracy, ".4f"),
                 _cell(r.test_accuracy, ".4f"), _cell(r.gap, "+.4f"),
                 _cell(r.fgsm_accuracy, ".4f"), _cell(r.zero_weights, ".3f"),
                 _epochs_cell(r),
                 _cell(r.seconds, ".2f") if r.epochs else "n/a", r.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_csv(results, path):
    """Write the results to ``path`` as CSV, one row per method."""
    names = list(compare.Result("x").as_dict())
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=names)
        writer.writeheader()
        for r in results:
            writer.writerow(r.as_dict())


def _prepare_out(out):
    """Create ``out`` and check that files can be written in it."""
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise OSError(f"cannot write to --out {out}: {exc.strerror or exc}") from None
    return path


class _Progress:
    """tqdm on stderr when installed and stderr is a terminal, else one plain
    line per row (readable in logs)."""

    def __init__(self, total, quiet):
        self.total, self.done, self.bar = total, 0, None
        self.quiet = quiet
        if not quiet and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=total, file=sys.stderr, unit="row", desc="compare")

    def __call__(self, result):
        self.done += 1
        acc = "n/a" if result.epochs == 0 else f"test acc {result.test_accuracy:.4f}"
        if self.bar is not None:
            self.bar.set_postfix_str(f"{result.method}: {acc}")
            self.bar.update(1)
        elif not self.quiet:
            print(f"[{self.done}/{self.total}] {result.method}: {acc}",
                  file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _summary(data, args):
    return (f"{data.name}: {len(data.y_train)} training rows, {len(data.y_test)} "
            f"test rows, {data.X_train.shape[1]} features; {args.epochs} "
            f"epoch{'s' if args.epochs > 1 else ''}, "
            f"hidden {tuple(args.hidden)}, seed {args.seed}, FGSM eps "
            f"{args.fgsm_eps:g} (inputs clipped to [0, 1])")


def _write_outputs(out, results, estimators, data, args, argv, table):
    write_csv(results, out / "results.csv")
    command = "skreg " + " ".join(shlex.quote(a) for a in argv)
    methods = "\n".join(f"- `{r.method}`: {compare.METHODS[r.method]}" for r in results)
    (out / "results.md").write_text(
        f"# skreg compare\n\n    {command}\n\n{_summary(data, args)}.\n\n"
        f"{table}\n\n## Methods\n\n{methods}\n")
    if args.no_plots:
        return
    from . import plotting

    if importlib.util.find_spec("matplotlib") is None:
        print(f"skreg: plots skipped: {plotting.PLOT_HINT}", file=sys.stderr)
        return
    plotting.save_comparison_plots(out, results, estimators, data)


def run_compare(args, argv):
    """The ``compare`` command; returns the exit status."""
    name, path, methods = _check_args(args)
    out = _prepare_out(args.out) if args.out else None
    data = compare.load_dataset(name, path, args.data_home, args.train_size, args.seed)
    progress = _Progress(len(methods), args.quiet)
    tic = time.perf_counter()
    try:
        results, estimators = compare.run_comparison(
            data, methods, args.epochs, tuple(args.hidden), args.seed, args.fgsm_eps,
            args.n_jobs, progress)
    finally:
        progress.close()
    table = format_table(results, args.fgsm_eps)
    print(_summary(data, args) + "\n\n" + table, flush=True)
    if out is not None:
        _write_outputs(out, results, estimators, data, args, argv, table)
    if not args.quiet:
        print(f"skreg: {len(results)} rows in {time.perf_counter() - tic:.1f} s"
              + (f"; results in {out}" if out else ""), file=sys.stderr)
    failed = [r.method for r in results if r.note.startswith("failed")]
    if failed:
        print(f"skreg: error: rows failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def main(argv=None):
    """Entry point of ``python -m skreg`` and of the ``skreg`` script.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments without the program name; None reads ``sys.argv``.

    Returns
    -------
    status : int
        0 on success, 1 when a file or row failed, 2 on a usage error.

    Examples
    --------
    >>> from skreg.__main__ import main
    >>> main(["compare", "--methods", "none,l1", "--epochs", "2", "--quiet"])
    ... # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    digits: 898 training rows, 899 test rows, 64 features; 2 epochs, ...
    | method | train acc | test acc | gap | FGSM acc (eps=0.1) | ...
    0
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = _parser().parse_args(argv)
        if args.list_methods:
            for method, what in compare.METHODS.items():
                print(f"{method:20s} {what}")
            return 0
        return run_compare(args, argv)
    except UsageError as exc:
        print(f"skreg: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, ImportError) as exc:
        message = " ".join(str(exc).split())
        print(f"skreg: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("skreg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
