"""Command line: ``python -m skreg compare`` (also the ``skreg`` script)."""

import argparse
import sys

from .compare import METHOD_NAMES, digits_split, format_table, run_comparison


def _parser():
    parser = argparse.ArgumentParser(
        prog="skreg", description="Regularization for deep learning, compared.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmp = sub.add_parser("compare", help="compare the chapter's regularizers")
    cmp.add_argument("--dataset", default="digits", choices=["digits"])
    cmp.add_argument("--methods", default=",".join(METHOD_NAMES),
                     help="comma-separated subset of: " + ", ".join(METHOD_NAMES))
    cmp.add_argument("--epochs", type=int, default=30)
    cmp.add_argument("--hidden", type=int, nargs="+", default=[128])
    cmp.add_argument("--seed", type=int, default=0)
    cmp.add_argument("--quiet", action="store_true")
    return parser


def main(argv=None):
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHOD_NAMES]
    if unknown:
        print(f"skreg: error: unknown method(s) {', '.join(unknown)}; choose from "
              f"{', '.join(METHOD_NAMES)}", file=sys.stderr)
        return 2
    if args.epochs < 1 or any(h < 1 for h in args.hidden):
        print("skreg: error: --epochs and --hidden must be positive", file=sys.stderr)
        return 2
    X_train, X_test, y_train, y_test = digits_split(args.seed)

    def progress(result):
        if not args.quiet:
            print(f"  {result.method}: test accuracy {result.test_accuracy:.4f} "
                  f"({result.seconds:.1f} s)", file=sys.stderr, flush=True)

    results = run_comparison(X_train, y_train, X_test, y_test, methods,
                             args.epochs, args.hidden, args.seed, progress)
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
