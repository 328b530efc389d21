"""Start and stop the dashboard as the README does (`make run`), and launch Debian's chromium.

Shared by tests/test_browser.py and benchmarks/page_speed.py; no pytest imports here.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
# The flags of `make run`, plus the test-only ones (FACTS.md): bind to loopback, no file watcher.
STREAMLIT_FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false",
                   "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base_url: str, process: subprocess.Popen, timeout: float = 90.0) -> float:
    """Poll /_stcore/health until it answers 'ok'; returns the seconds waited."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{base_url}/_stcore/health did not answer within {timeout:.0f}s")


class Server:
    """A `streamlit run app.py` subprocess on a free loopback port, cwd = repo root."""

    def __init__(self, port: int | None = None, log_path: Path | None = None):
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self._log = None

    def start(self) -> "Server":
        command = [str(PYTHON), "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
                   *STREAMLIT_FLAGS]
        self._log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        return self

    def wait_healthy(self, timeout: float = 90.0) -> float:
        return wait_healthy(self.base_url, self.process, timeout)

    def stop(self) -> None:
        """Terminate the server we started (its own process group only), then reap it."""
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, 15)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""


@contextmanager
def running_server(log_path: Path | None = None):
    server = Server(log_path=log_path).start()
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def missing_browser_reason() -> str | None:
    """Why the browser test cannot run here, or None when Playwright and chromium are both present."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (make test installs it: pip install -e '.[test]')"
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found (make test installs it: apt-get install chromium)"
    return None


@contextmanager
def chromium(playwright):
    """Debian's chromium through Playwright, headless, in a fresh throw-away user-data dir."""
    user_data = tempfile.mkdtemp(prefix="countylens-chromium-")
    try:
        context = playwright.chromium.launch_persistent_context(
            user_data, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1000}, accept_downloads=True, locale="zh-CN")
        try:
            yield context
        finally:
            context.close()
    finally:
        shutil.rmtree(user_data, ignore_errors=True)


def wait_page_ready(page, charts: int = 0, timeout: float = 60_000) -> None:
    """Wait for the page's h1 and, when it has charts, that many rendered vega canvases/svgs."""
    page.locator("h1").first.wait_for(state="visible", timeout=timeout)
    if charts:
        page.wait_for_function(
            "n => document.querySelectorAll('.vega-embed canvas, .vega-embed svg.marks').length >= n",
            arg=charts, timeout=timeout)
    wait_idle(page, timeout)


# stApp's data-test-script-state is Streamlit's own end-to-end hook ('initial' before the first run,
# 'running' during one); the status widget alone shows only once a run has lasted a moment.
IDLE_JS = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""


def wait_idle(page, timeout: float = 60_000, settle_ms: int = 300) -> None:
    """Wait until Streamlit has finished the script run: the app says it is not running, no status
    widget, no stale (greyed) elements, twice in a row `settle_ms` apart, since a rerun starts a moment
    after a click."""
    for _ in range(2):
        page.wait_for_timeout(settle_ms)
        page.wait_for_function(IDLE_JS, timeout=timeout)
