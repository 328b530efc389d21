"""Command line: `python -m analytics build [--docs DIR]... [--out DIR] [--csv] [--force]`, and the store's
`add FILE|DIR... [--store PATH]`, `remove ID [--force] [--store PATH]`, `list [--store PATH]`,
`report --units A,B,C --format pptx|html --out FILE [--lang zh|en]`, and for a store that may be damaged
`check`, `backup --out FILE` and `recover --out FILE`.

Argument parsing only; the work is done by functions in analytics/ that the dashboard calls too
(analytics.corpus.engine.build, analytics.corpus.library.add_files, analytics.corpus.store.remove_document /
list_documents).
Exit codes: 0 done, 1 some files were skipped or rejected (the rest was built or stored) or the
removal was refused, 2 usage error (an unknown unit; an output that is the store, exists without --force,
or cannot be written), 3 a store that cannot be opened (missing without --create, damaged, newer).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analytics import paths

# Each command imports what it runs (the engine and the store cost 1.2-1.4 s to import, the report more):
# `list` and `--help` answer in a fraction of that.
EXIT_SKIPPED = 1
EXIT_USAGE = 2


def _store_path(args: argparse.Namespace) -> Path | None:
    """The --store path, refused (StoreError) when it does not exist and --create was not given: a mistyped
    path must not become a new store silently filled with the seeds. The default store is created."""
    from analytics.corpus.errors import StoreError

    path = args.store
    if path is not None and not Path(path).exists() and not args.create:
        raise StoreError(f"{path}: no store there; check the path, or add --create to make a new store")
    return path


def _open(args: argparse.Namespace, **options):
    from analytics.corpus.library import open_store

    return open_store(_store_path(args), **options)


def _build(args: argparse.Namespace) -> int:
    from analytics.corpus.export import build
    from analytics.export.outputs import OutputError

    try:
        result = build(args.docs or [paths.SEEDS_DIR], args.out, csv=args.csv, force=args.force,
                       store_path=_store_path(args))
    except OutputError as error:
        print(f"build: {error}", file=sys.stderr)
        return EXIT_USAGE
    for rejection in result.rejections:
        print(f"skipped {rejection}", file=sys.stderr)
    rows = ", ".join(f"{name} {len(table)}" for name, table in result.tables.items())
    state = "unchanged, served from cache" if result.cached else "built"
    print(f"{state} in {result.seconds:.2f}s -> {result.out_dir}: {rows}")
    return EXIT_SKIPPED if result.rejections else 0


def _export(args: argparse.Namespace) -> int:
    from analytics.corpus.corpus import load_corpus
    from analytics.corpus.export import export_tables

    from analytics.corpus.export import check_out_dir
    from analytics.export.outputs import OutputError, store_files

    protected = store_files(args.store or paths.default_store())
    try:
        check_out_dir(args.out, args.csv, args.force, protected)  # before the store is opened and loaded
        corpus = load_corpus(_open(args, seed=False, progress=_progress_bar))
        rows = export_tables(corpus, args.out, csv=args.csv, force=args.force, protected=protected)
    except OutputError as error:
        print(f"export: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"exported -> {args.out}: " + ", ".join(f"{name} {n}" for name, n in rows.items()))
    return 0


def _progress_bar(done: int, total: int, file_name: str, width: int = 30) -> None:
    """A one-line text progress bar on stderr, redrawn in place."""
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {file_name[:40]:<40}", end=end,
          file=sys.stderr, flush=True)


def _files_to_add(arguments: list[Path]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(name, bytes) of each file argument (a folder gives its documents); unreadable paths as messages."""
    from analytics.pipeline.ingest import IngestError, document_paths, read_file

    files, unreadable = [], []
    for path in arguments:
        try:
            targets = document_paths(path) if path.is_dir() else [path]
        except OSError as error:
            unreadable.append(f"rejected {path.name or path}: cannot read: {error.strerror} (无法读取)")
            continue
        for target in targets:
            try:
                # size and kind checked before reading; the name as given (the store reduces it to a
                # safe base name, like an upload's)
                files.append((str(target), read_file(target)))
            except IngestError as error:
                unreadable.append(f"rejected {error}")
    return files, unreadable


def _add(args: argparse.Namespace) -> int:
    from analytics.corpus.isolation import Limits
    from analytics.corpus.library import add_files

    store = _open(args, progress=_progress_bar)
    files, unreadable = _files_to_add(args.files)
    # each file in a worker with a time and memory limit, a worker per core; --timeout 0: in this process
    limits = Limits(seconds_per_file=args.timeout, workers=os.cpu_count() or 1) if args.timeout else None
    result = add_files(store, files, progress=_progress_bar if files else None, limits=limits)
    for doc_id in result.added:
        near = next((n for n in result.near_duplicates if n.doc_id == doc_id), None)
        print(f"added {doc_id}" + (f" (near-duplicate of {near.original_doc_id})" if near else ""))
    for duplicate in result.duplicates:
        print(f"duplicate {duplicate}")
    for line in unreadable:
        print(line, file=sys.stderr)
    for rejection in result.rejected:
        print(f"rejected {rejection}", file=sys.stderr)
    print(f"{len(result.added)} added ({len(result.near_duplicates)} near-duplicates), "
          f"{len(result.duplicates)} duplicates, {len(result.rejected) + len(unreadable)} rejected -> {store.path}")
    return EXIT_SKIPPED if result.rejected or unreadable else 0


def _remove(args: argparse.Namespace) -> int:
    from analytics.corpus.store import StoreError, remove_document

    store = _open(args)
    try:
        removed = remove_document(store, args.doc_id, force=args.force)
    except StoreError as error:
        print(f"not removed: {error}", file=sys.stderr)
        return EXIT_SKIPPED
    print(f"removed {removed['doc_id']} {removed['file_name']}")
    for doc_id, original in removed["reflagged"].items():
        print(f"  {doc_id} is now " + (f"a near-duplicate of {original}" if original else "an original"))
    return 0


def _list(args: argparse.Namespace) -> int:
    from analytics.corpus.store import list_documents

    documents = list_documents(_open(args))
    for doc in documents.itertuples():
        flag = f"  near-duplicate of {doc.near_duplicate_of}" if doc.near_duplicate_of else ""
        print(f"{doc.doc_id}  {doc.source:<6}  {doc.n_chars:>7}  {doc.place or '-'}  {doc.file_name}{flag}")
    print(f"{len(documents)} documents")
    return 0


def _report(args: argparse.Namespace) -> int:
    from analytics.corpus.corpus import load_corpus
    from analytics.export.outputs import check_output, store_files
    from analytics.report import write_report

    def progress(fraction: float, message: str) -> None:
        print(f"\r[{'#' * int(fraction * 30):<30}] {message}", end="", file=sys.stderr, flush=True)

    protected = store_files(args.store or paths.default_store())
    try:
        check_output(args.out, args.force, protected)  # before the corpus is loaded and the deck is built
        corpus = load_corpus(_open(args, progress=_progress_bar))
        out = write_report(args.units, args.format, args.out, args.lang, progress, corpus, args.force, protected)
    except ValueError as error:  # OutputError too: an unknown unit, a store as --out, an existing file
        print(f"\nreport: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"\nwrote {out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from analytics.corpus.store import check_file

    path = args.store or paths.default_store()
    problems = check_file(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{path}: " + ("sound" if not problems else f"{len(problems)} problem(s)"))
    return EXIT_STORE if problems else 0


def _backup(args: argparse.Namespace) -> int:
    from analytics.corpus.store import backup_store
    from analytics.export.outputs import OutputError

    try:
        out = backup_store(args.store or paths.default_store(), args.out, args.force)
    except OutputError as error:
        print(f"backup: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"backed up -> {out}")
    return 0


def _recover(args: argparse.Namespace) -> int:
    from analytics.corpus.library import recover_store
    from analytics.export.outputs import OutputError

    try:
        result, problems = recover_store(args.store or paths.default_store(), args.out, args.force)
    except OutputError as error:
        print(f"recover: {error}", file=sys.stderr)
        return EXIT_USAGE
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"recovered {len(result.added)} documents ({len(result.rejected)} no longer readable) -> {args.out}")
    return EXIT_SKIPPED if problems or result.rejected else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m analytics", description="CountyLens 县域战略对比")
    commands = top.add_subparsers(dest="command", required=True)
    store_help = f"the store file (default ${paths.STORE_ENV}, else {paths.user_data_dir() / paths.STORE_FILE})"
    build = commands.add_parser("build", help="put document folders into a corpus and export its tables")
    build.add_argument("--docs", action="append", type=Path, metavar="DIR",
                       help="a folder of documents (repeatable; default seeds/)")
    build.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder for the tables")
    build.add_argument("--store", type=Path, default=None, metavar="PATH",
                       help="keep the corpus in this store (default: a temporary one)")
    build.add_argument("--csv", action="store_true", help="also write every table as CSV")
    build.add_argument("--force", action="store_true",
                       help="rebuild even if the input is unchanged, replacing files CountyLens did not write")
    build.add_argument("--create", action="store_true", help="make the --store if it does not exist")
    build.set_defaults(run=_build)
    export = commands.add_parser("export", help="write the tables of an existing store")
    export.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    export.add_argument("--create", action="store_true", help="make the --store if it does not exist")
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder for the tables")
    export.add_argument("--csv", action="store_true", help="also write every table as CSV")
    export.add_argument("--force", action="store_true", help="replace files in --out that CountyLens did not write")
    export.set_defaults(run=_export)
    add = commands.add_parser("add", help="add document files, folders of them or .zip archives to the store")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    add.add_argument("--timeout", type=float, default=120.0, metavar="S",
                     help="seconds one file may take to analyse in the worker process (0: no worker, no limit)")
    add.add_argument("--create", action="store_true", help="make the --store if it does not exist")
    add.set_defaults(run=_add)
    remove = commands.add_parser("remove", help="remove one document (by doc_id) from the store")
    remove.add_argument("doc_id", metavar="ID")
    remove.add_argument("--force", action="store_true", help="also remove a seed document")
    remove.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    remove.add_argument("--create", action="store_true", help="make the --store if it does not exist")
    remove.set_defaults(run=_remove)
    listing = commands.add_parser("list", help="list the documents in the store")
    listing.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    listing.add_argument("--create", action="store_true", help="make the --store if it does not exist")
    listing.set_defaults(run=_list)
    report = commands.add_parser("report", help="write the comparison of some units as a deck or an HTML report")
    report.add_argument("--units", required=True, metavar="A,B,C", help="units to compare, comma-separated")
    report.add_argument("--format", choices=["pptx", "html"], default="pptx")
    report.add_argument("--out", type=Path, required=True, metavar="FILE")
    report.add_argument("--lang", choices=["zh", "en"], default="zh")
    report.add_argument("--force", action="store_true", help="replace --out if it exists")
    report.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    report.add_argument("--create", action="store_true", help="make the --store if it does not exist")
    report.set_defaults(run=_report)
    check = commands.add_parser("check", help="check the store's integrity (SQLite's full check and the "
                                              "store's own rules)")
    check.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    check.set_defaults(run=_check)
    backup = commands.add_parser("backup", help="copy the store consistently (safe while the app runs)")
    backup.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    backup.add_argument("--out", type=Path, required=True, metavar="FILE", help="the copy")
    backup.add_argument("--force", action="store_true", help="replace --out if it exists")
    backup.set_defaults(run=_backup)
    recover = commands.add_parser("recover", help="save the readable documents of a damaged store into a "
                                                  "new one (re-analysed from their bytes)")
    recover.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    recover.add_argument("--out", type=Path, required=True, metavar="FILE", help="the new store")
    recover.add_argument("--force", action="store_true", help="replace --out if it exists")
    recover.set_defaults(run=_recover)
    return top


EXIT_STORE = 3


def main(argv: list[str] | None = None) -> int:
    from analytics.corpus.errors import StoreError

    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except StoreError as error:  # a store this version cannot read: say what to do, never a traceback
        print(f"store: {error}", file=sys.stderr)
        return EXIT_STORE

