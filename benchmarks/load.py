# Run: .venv/bin/python benchmarks/load.py [--sessions 1 10 20] [--rounds 3] [--documents 100] [--markdown FILE]
"""Many users at once: script-run times per page with 1, 10 and 20 concurrent sessions; prints a table.

A `streamlit run app.py` server (the flags of `make run`) on a free loopback port, on a store of the seeds and
`--documents` generated county documents (benchmarks/bench.py's generator). Each session
is a websocket client speaking Streamlit's own protocol (BackMsg rerun_script, ForwardMsg script_finished) —
what a browser tab does, without rendering — and opens the pages one after another, `--rounds` times, each
with a selection of its own (so a rerun is not merely a repeat of another session's). A page's time is from
the rerun request to its script_finished. Reported per page and number of sessions: p50 and p95 in seconds,
sessions that could not connect, and the server's RSS (its process and children) before and after.
Target (issue: many users): p95 ≤ 3 s at 20 sessions on this 2-core machine, no refused connection, memory
flat. Bounded: each session has `--timeout` seconds for everything, the whole run a few minutes.

This is a script, not a test: the numbers depend on the machine; nothing asserts on them.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.paths import STORE_ENV  # noqa: E402
from tests.browser_support import Server  # noqa: E402

PAGES = ["overview", "compare", "similarity", "themes", "figures"]
SELECTIONS = ["沁源县,岚县,柞水县", "岚县,永济市", "沁源县,临猗县,稷山县", "柞水县,盐湖高新区", "岚县,沁源县,运城市"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def server_rss(pid: int) -> float:
    """MB resident of the server and its children (the analysis pool, an upload's worker)."""
    import psutil

    process = psutil.Process(pid)
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


async def session(url: str, number: int, rounds: int, timeout: float) -> dict[str, list[float]] | None:
    """One simulated tab: every page in turn, `rounds` times; {page: [seconds]} or None if it could not
    connect."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    times: dict[str, list[float]] = {page: [] for page in PAGES}
    try:
        socket = await asyncio.wait_for(websockets.connect(url, subprotocols=["streamlit"], max_size=2**28,
                                                           open_timeout=60), 60)
    except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
        return None
    async with socket:
        for round_ in range(rounds):
            for page in PAGES:
                units = SELECTIONS[(number + round_) % len(SELECTIONS)]
                message = BackMsg()
                message.rerun_script.query_string = f"units={units}"
                message.rerun_script.page_name = "" if page == "overview" else page
                started = time.perf_counter()
                await socket.send(message.SerializeToString())
                while True:
                    forward = ForwardMsg()
                    forward.ParseFromString(await asyncio.wait_for(socket.recv(), timeout))
                    if forward.WhichOneof("type") == "script_finished":
                        break
                times[page].append(time.perf_counter() - started)
    return times


async def load(url: str, sessions: int, rounds: int, timeout: float) -> tuple[dict[str, list[float]], int]:
    results = await asyncio.gather(*(session(url, n, rounds, timeout) for n in range(sessions)),
                                   return_exceptions=True)
    merged: dict[str, list[float]] = {page: [] for page in PAGES}
    refused = 0
    for result in results:
        if not isinstance(result, dict):
            refused += 1
            continue
        for page, values in result.items():
            merged[page].extend(values)
    return merged, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 20])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one page run may take")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table to this file")
    parser.add_argument("--documents", type=int, default=100, help="generated documents added to the seeds")
    args = parser.parse_args()
    scratch = tempfile.TemporaryDirectory(prefix="countylens-load-")
    store_path = Path(scratch.name) / "load.sqlite"
    documents = prepare_store(store_path, args.documents)
    os.environ[STORE_ENV] = str(store_path)  # the server opens this store
    server = Server().start()
    try:
        server.wait_healthy()
        url = server.base_url.replace("http", "ws") + "/_stcore/stream"
        asyncio.run(load(url, 1, 1, args.timeout))  # warm: the corpus loaded, the caches filled once
        lines = ["| sessions | page | runs | p50 s | p95 s | max s | refused | server RSS MB before → after |",
                 "|---:|---|---:|---:|---:|---:|---:|---|"]
        for n in args.sessions:
            before = server_rss(server.process.pid)
            times, refused = asyncio.run(load(url, n, args.rounds, args.timeout))
            after = server_rss(server.process.pid)
            for page in PAGES:
                values = times[page]
                if not values:
                    lines.append(f"| {n} | {page} | 0 | – | – | – | {refused} | {before:.0f} → {after:.0f} |")
                    continue
                lines.append(f"| {n} | {page} | {len(values)} | {statistics.median(values):.2f} | "
                             f"{percentile(values, 95):.2f} | {max(values):.2f} | {refused} | "
                             f"{before:.0f} → {after:.0f} |")
        load_average = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        table = "\n".join(lines) + (f"\n\nStore: {documents} documents. Load average (1/5/15 min) after the run: "
                                    f"{load_average} on {os.cpu_count()} cores.")
        print(table)
        if args.markdown:
            args.markdown.write_text(table + "\n", encoding="utf-8")
    finally:
        server.stop()
        scratch.cleanup()


def prepare_store(path: Path, extra: int) -> int:
    """A store of the seeds and `extra` generated documents; returns how many documents it holds."""
    from analytics.corpus.export import add_folders
    from analytics.corpus.library import open_store
    from analytics.corpus.store import list_documents
    from benchmarks.bench import write_corpus

    store = open_store(path)  # seeded on first open
    if extra:
        with tempfile.TemporaryDirectory(prefix="countylens-load-docs-") as folder:
            write_corpus(Path(folder), extra)
            add_folders(store, [Path(folder)], limits=None)
    return len(list_documents(store))


if __name__ == "__main__":
    main()
