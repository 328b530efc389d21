# Run: .venv/bin/python benchmarks/page_speed.py [--starts 3] [--reruns 10]
"""How fast the dashboard is, as a user meets it; prints a markdown table.

1. Cold start: `streamlit run app.py` (the flags of `make run`, on a free loopback port) until
   /_stcore/health answers, and until the first page's h1 is visible in Debian's chromium
   (browser launched beforehand, so its own start-up is not counted). The tables are built first,
   as `make run` does, so the start serves them from the build cache.
2. Compare rerun: the server-side time of one script run of the Compare page with 6 units, through
   streamlit.testing.v1.AppTest (no browser, no network): opened with ?units=<6 units>, run once to
   warm the caches, then the selection is changed (one unit swapped back and forth) and each
   `run()` timed.

This is a script, not a test: numbers depend on the machine; nothing asserts on them.
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import Server, chromium, missing_browser_reason  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a short list of timings."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def cold_starts(n: int) -> tuple[list[float], list[float]]:
    """Seconds from Popen to health OK, and to the first page's h1 visible, for n server starts."""
    from playwright.sync_api import sync_playwright

    health, ready = [], []
    with sync_playwright() as playwright, chromium(playwright) as context:
        page = context.new_page()
        for _ in range(n):
            started = time.perf_counter()
            server = Server().start()
            try:
                server.wait_healthy()
                health.append(time.perf_counter() - started)
                page.goto(server.base_url + "/")
                page.locator("h1").first.wait_for(state="visible", timeout=120_000)
                ready.append(time.perf_counter() - started)
            finally:
                server.stop()
    return health, ready


def compare_reruns(n: int, n_units: int = 6) -> tuple[list[str], float, list[float]]:
    """(units, first run seconds, seconds of n reruns after a selection change) on Compare."""
    from streamlit.testing.v1 import AppTest

    from analytics.views.shared import load_corpus

    # AppTest and the corpus loader touch st.* outside a script run; their 'bare mode' warning is noise here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    options = load_corpus().unit_options()
    if len(options) <= n_units:
        raise SystemExit(f"need more than {n_units} units in the corpus, found {len(options)}")
    units, spare = options[:n_units], options[n_units]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["units"] = ",".join(units)
    at.run()
    at.switch_page("app_pages/compare.py")
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"Compare raised: {[e.value for e in at.exception]}")
    selections = [units[:-1] + [spare], units]
    times = []
    for i in range(n):
        at.multiselect(key="w_units").set_value(selections[i % 2])
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
        if at.exception:
            raise SystemExit(f"Compare raised: {[e.value for e in at.exception]}")
        shown = [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### ")]
        assert shown == selections[i % 2], (shown, selections[i % 2])
    return units, first, times


def row(name: str, values: list[float], note: str = "") -> str:
    return (f"| {name} | {len(values)} | {statistics.median(values):.2f} | {percentile(values, 95):.2f} "
            f"| {min(values):.2f} | {max(values):.2f} | {note} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="server cold starts to time")
    parser.add_argument("--reruns", type=int, default=10, help="Compare reruns to time")
    args = parser.parse_args()

    lines = ["| measurement | n | median s | p95 s | min s | max s | note |", "|---|---|---|---|---|---|---|"]
    reason = missing_browser_reason()
    if reason:
        lines.append(f"| server start → first page ready | 0 | – | – | – | – | skipped: {reason} |")
    else:
        health, ready = cold_starts(args.starts)
        lines.append(row("server start → /_stcore/health ok", health, "streamlit run app.py"))
        lines.append(row("server start → first page h1 visible", ready, "chromium, / (Overview)"))
    units, first, times = compare_reruns(args.reruns)
    lines.append(row("Compare, first run (6 units)", [first], "AppTest, after app start"))
    lines.append(row("Compare rerun after selection change (6 units)", times, "AppTest, server time"))
    print("\n".join(lines))
    print(f"\nunits: {', '.join(units)} (one swapped back and forth); python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
