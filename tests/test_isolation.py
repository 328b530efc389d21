"""Workers that stop (analytics.corpus.isolation): the time limit ends a worker whatever signal handlers it
inherited, and a worker whose parent dies exits. Each case runs in a subprocess of its own, the way the
server (Streamlit, with its own SIGTERM handler) or `python -m analytics add` runs uploads."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from analytics.paths import ROOT

# A script that behaves like the server: a SIGTERM handler that does not exit (Streamlit prints "Stopping…"),
# then uploads one file whose reading hangs; `ignore_term` makes the hang ignore SIGTERM itself, as a
# parser stuck in C might.
_SCRIPT = textwrap.dedent("""
    import os, signal, sys, time
    signal.signal(signal.SIGTERM, lambda *a: print("Stopping...", flush=True))
    import analytics.pipeline.ingest as ingest
    IGNORE_TERM = {ignore_term}

    def hang(*args, **kwargs):
        if IGNORE_TERM:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(1000)

    ingest.read_document = hang
    from analytics.corpus.isolation import Limits, analyse_isolated
    started = time.monotonic()
    outcomes = list(analyse_isolated([(0, "hostile.html", b"<p>x</p>", "upload")], None,
                                     Limits(seconds_per_file={limit})))
    print("REASON", outcomes[0].reason, flush=True)
    print("SECONDS", round(time.monotonic() - started, 1), flush=True)
    print("CHILDREN", len(__import__("psutil").Process().children(recursive=True)), flush=True)
""")


def _run(limit: float, ignore_term: bool) -> str:
    script = _SCRIPT.format(limit=limit, ignore_term=ignore_term)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("ignore_term", [False, True], ids=["inherited-handler", "term-ignored"])
def test_the_time_limit_ends_the_worker_whatever_its_signal_handlers(ignore_term):
    out = _run(limit=1.0, ignore_term=ignore_term)
    assert "took longer than 1 s" in out
    seconds = float(out.split("SECONDS ")[1].split()[0])
    assert seconds < 10  # the limit, the grace and the reaping, not the hang's 1000 s
    assert "CHILDREN 0" in out  # no worker left behind


@pytest.mark.slow
def test_a_worker_exits_when_its_parent_is_killed():
    script = _SCRIPT.format(limit=600, ignore_term=True)
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=str(ROOT), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 30
        children = []
        while time.monotonic() < deadline and not children:
            children = psutil.Process(parent.pid).children(recursive=True)
            time.sleep(0.2)
        assert children, "the upload never started a worker"
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        gone, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, f"workers left behind: {[p.pid for p in alive]}"
    finally:
        if parent.poll() is None:
            parent.kill()


_SIDE_BY_SIDE = textwrap.dedent("""
    import os, time
    import analytics.pipeline.ingest as ingest
    real = ingest.read_document

    def read(name, data, source="upload", progress=None):
        if name == "hang.txt":
            time.sleep(1000)
        return real(name, data, source, progress)

    ingest.read_document = read
    from analytics.corpus.isolation import Limits, analyse_isolated
    text = "岚县全年地区生产总值达到{{}}亿元。"
    items = [(i, f"doc{{i}}.txt", text.format(i + 10).encode(), "upload") for i in range(5)]
    items.insert(2, (9, "hang.txt", b"x", "upload"))
    outcomes = list(analyse_isolated(items, None, Limits(seconds_per_file={limit}, workers=2)))
    print("INDEXES", sorted(o.index for o in outcomes), flush=True)
    print("ADDED", sum(o.prepared is not None for o in outcomes), flush=True)
    print("HUNG", [o.reason for o in outcomes if o.index == 9][0], flush=True)
    print("CHILDREN", len(__import__("psutil").Process().children(recursive=True)), flush=True)
""")


def test_workers_side_by_side_each_keep_their_limits():
    done = subprocess.run([sys.executable, "-c", _SIDE_BY_SIDE.format(limit=8.0)], capture_output=True, text=True,
                          timeout=120, cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "INDEXES [0, 1, 2, 3, 4, 9]" in done.stdout  # every file judged once, whichever worker had it
    assert "ADDED 5" in done.stdout and "took longer than 8 s" in done.stdout
    assert "CHILDREN 0" in done.stdout
