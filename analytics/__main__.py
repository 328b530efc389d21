"""Command line: `python -m analytics build [--docs DIR]... [--out DIR] [--csv] [--force]`.

Argument parsing only; the work is done by functions in analytics/ that the dashboard calls too.
Exit codes: 0 all built, 1 some files were skipped (the rest was built), 2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_SKIPPED = 1


def _build(args: argparse.Namespace) -> int:
    from analytics.build import build

    result = build(args.docs or None, args.out, csv=args.csv, force=args.force)
    for rejection in result.rejections:
        print(f"skipped {rejection}", file=sys.stderr)
    rows = ", ".join(f"{name} {len(table)}" for name, table in result.tables.items())
    state = "unchanged, served from cache" if result.cached else "built"
    print(f"{state} in {result.seconds:.2f}s -> {result.out_dir}: {rows}")
    return EXIT_SKIPPED if result.rejections else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m analytics", description="CountyLens 县域战略对比")
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build every table from document folders (default: seeds/)")
    build.add_argument("--docs", action="append", type=Path, metavar="DIR",
                       help="a folder of documents (repeatable; default seeds/)")
    build.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default data/build)")
    build.add_argument("--csv", action="store_true", help="also write every table as CSV")
    build.add_argument("--force", action="store_true", help="rebuild even if the input is unchanged")
    build.set_defaults(run=_build)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
