"""Uploads read and analysed in a worker process with a time and a memory limit, cancellable.

Python's `re` and the parsers (lexbor, python-docx, pypdf) hold the interpreter lock while they work: one
hostile upload analysed on the server's own thread stops every session. Here the server's thread only waits
on a pipe (no lock held) while a child process reads and analyses the files one after another and sends each
result back. A file that takes longer than `Limits.seconds_per_file` or makes the child run out of
`Limits.memory_mb` gets one message naming it and the reason; the child is replaced and the remaining files
go on. `cancelled()` (the upload's browser session has ended) stops the child at once.

A worker is forked from a server that has its own signal handlers: it undoes them, dies with its parent,
and is stopped with SIGKILL when SIGTERM is not enough (`detach_from_parent`, `stop`).
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from analytics.corpus.store import prepare
from analytics.pipeline.ingest import DOCUMENT_COLUMNS, IngestError, safe_file_name

_POLL_S = 0.25  # how often the waiting thread looks at the deadline and at cancel()
_GRACE_S = 1.0   # a stopped worker has this long to end on SIGTERM before it is killed
_PR_SET_PDEATHSIG = 1  # Linux prctl: the signal a process gets when its parent dies
_FORK_LOCK = threading.Lock()


@dataclass(frozen=True)
class Limits:
    seconds_per_file: float = 120.0  # a county work report takes well under a second
    memory_mb: int = 1536            # heap of each worker; the seeds need about 300 MB
    workers: int = 1                 # workers side by side: 1 for the server (its users keep a core), more for a build


@dataclass(frozen=True)
class Outcome:
    """What became of one file: `prepared` (analysed, store.Prepared) or `reason` (rejected)."""

    index: int
    file_name: str
    document: dict | None = None
    prepared: object = None
    reason: str = ""


def _data_bytes() -> int:
    """The process's data segment now (VmData): a forked worker starts with its parent's."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _limit_memory(memory_mb: int) -> None:
    # RLIMIT_DATA bounds the heap (malloc and anonymous mappings), not the shared libraries' address space;
    # the worker may grow by memory_mb beyond what it inherited.
    limit = _data_bytes() + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def detach_from_parent(parent_pid: int, inherited=()) -> None:
    """Make a forked worker a worker that stops: the server's signal handlers it inherited are undone
    (Streamlit's SIGTERM handler only prints "Stopping…"), the kernel kills it when its parent dies
    (PR_SET_PDEATHSIG; a thread watching the parent's pid elsewhere), and the parent's ends of the pipes it
    inherited are closed, so a write to a parent that is gone fails instead of blocking for ever."""
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    for end in inherited:
        end.close()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watching thread alone
        pass
    if os.getppid() != parent_pid:  # the parent died before the request above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def stop(worker) -> None:
    """End a worker for sure: SIGTERM, a short grace, then SIGKILL; reaped either way."""
    if worker.is_alive():
        worker.terminate()
        worker.join(_GRACE_S)
    if worker.is_alive():
        worker.kill()
    worker.join(5)


def _child(conn, items: list[tuple[int, str, bytes, str]], catalog: pd.DataFrame | None, memory_mb: int,
           parent_pid: int = 0, parent_end=None, singles: int = 0) -> None:
    """The worker: read each (index, name, bytes, source) and analyse them a batch at a time (the engine's
    stages are vectorised over a batch), sending one Outcome per file. The first `singles` items go one at a
    time: they are the batch of a worker that failed, tried again so that only the culprit is refused."""
    detach_from_parent(parent_pid or os.getppid(), [parent_end] if parent_end is not None else [])
    from analytics.corpus import engine
    from analytics.pipeline.ingest import read_document

    _limit_memory(memory_mb)
    columns = DOCUMENT_COLUMNS
    position = 0
    while position < len(items):
        size = 1 if position < singles else engine.BATCH
        group, position = items[position:position + size], position + size
        read: list[tuple[int, dict]] = []
        for index, name, data, source in group:
            conn.send(("start", index))
            try:
                # each page read (a PDF's text layer, a scanned page's OCR) restarts the file's time limit
                document = read_document(name, data, source,
                                         progress=lambda done, total, i=index: conn.send(("page", i, done, total)))
            except IngestError as error:
                conn.send(Outcome(index, error.file_name, reason=error.reason))
                continue
            except Exception as error:  # parsers raise many kinds on hostile bytes  # noqa: BLE001
                if size > 1:
                    # the files before may have used the memory this one needs (OCR loads its models): a fresh
                    # worker tries it once more, alone
                    conn.send(("retry", index))
                    conn.close()
                    return
                conn.send(Outcome(index, safe_file_name(name), reason=_failure(error, memory_mb, "无法读取")))
                continue
            read.append((index, document))
        if not read:
            continue
        conn.send(("analyse", [index for index, _ in read]))
        try:
            frame = pd.DataFrame([{c: document[c] for c in columns} for _, document in read], columns=columns)
            for (index, document), prepared in zip(read, engine.analyse_many(frame, catalog, workers=1,
                                                                              finish=prepare)):
                if isinstance(prepared, str):
                    conn.send(Outcome(index, document["file_name"], reason=prepared))
                else:
                    conn.send(Outcome(index, document["file_name"], document, prepared))
        except Exception as error:  # noqa: BLE001 - one odd document must not cost its batch
            if len(read) > 1:
                conn.send(("retry", read[0][0]))  # the batch again, one by one
                conn.close()
                return
            index, document = read[0]
            conn.send(Outcome(index, document["file_name"], reason=_failure(error, memory_mb, "分析失败")))
    conn.send(("done", None))
    conn.close()


def _failure(error: Exception, memory_mb: int, kind: str) -> str:
    if isinstance(error, MemoryError) or "alloc" in str(error).lower():
        return f"needs more than {memory_mb} MB to analyse (内存不足)"
    return f"could not be read: {type(error).__name__} ({kind})"


def analyse_isolated(items: list[tuple[int, str, bytes, str]], catalog: pd.DataFrame | None, limits: Limits,
                     cancelled: Callable[[], bool] = lambda: False,
                     on_page: Callable[[int, int, int], None] | None = None) -> Iterator[Outcome]:
    """One Outcome per item (index, name, bytes, source); a cancelled run yields no more. With one worker
    the outcomes come in order; with `limits.workers` > 1 the items are dealt to that many workers, each with
    its own limits, and the outcomes come as they are ready. `on_page(index, page, pages)` as the pages of a
    PDF or scan are read."""
    if limits.workers > 1 and len(items) > 1:
        yield from _side_by_side(items, catalog, limits, cancelled, on_page)
        return
    yield from _one_worker(items, catalog, limits, cancelled, on_page)


def _side_by_side(items, catalog, limits: Limits, cancelled, on_page) -> Iterator[Outcome]:
    """Several workers at once: a thread per worker waits on its pipe (no interpreter lock held while it
    waits) and hands the outcomes over a queue."""
    import queue

    share = min(limits.workers, len(items))
    results: queue.Queue = queue.Queue()
    done = object()

    def run(part: list) -> None:
        try:
            for outcome in _one_worker(part, catalog, limits, cancelled, on_page):
                results.put(outcome)
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            results.put(error)
        finally:
            results.put(done)

    threads = [threading.Thread(target=run, args=(items[k::share],), daemon=True) for k in range(share)]
    for thread in threads:
        thread.start()
    running = len(threads)
    while running:
        item = results.get()
        if item is done:
            running -= 1
        elif isinstance(item, BaseException):
            raise item
        else:
            yield item


def _one_worker(items: list[tuple[int, str, bytes, str]], catalog: pd.DataFrame | None, limits: Limits,
                cancelled: Callable[[], bool], on_page) -> Iterator[Outcome]:
    """The items read and analysed by one worker at a time (a replacement after a file that failed)."""
    remaining = list(items)
    singles = 0
    # fork: the worker starts with the engine imported and its caches warm (spawn would re-run the server's
    # __main__); the worker only reads, parses and analyses, and a worker that hangs is stopped by the limit
    context = multiprocessing.get_context("fork")
    while remaining:
        parent, child = context.Pipe(duplex=False)
        worker = context.Process(target=_child, args=(child, remaining, catalog, limits.memory_mb, os.getpid(),
                                                      parent, singles), daemon=True)
        singles = 0
        with _FORK_LOCK:  # one fork at a time: a child forked while another thread imports inherits a held lock
            worker.start()
            child.close()  # before the next fork, so no other worker holds this one's end of the pipe
        # a worker that never gets to its first file (a lock inherited at fork) is bounded like a file
        current, deadline = None, time.monotonic() + limits.seconds_per_file
        batch: list[int] = []  # the files being analysed together, whose time adds up
        failed: Outcome | None = None
        try:
            while True:
                if cancelled():
                    return  # the finally below stops the worker
                if parent.poll(_POLL_S):
                    try:
                        message = parent.recv()
                    except EOFError:  # the worker died (killed by the kernel, a crash in a C library)
                        if len(batch) > 1:
                            singles = len(batch)
                            break
                        failed = _lost(current, remaining, "stopped while analysing it: it needs more memory or "
                                                           "time than an upload may take (分析中断)")
                        break
                    if isinstance(message, Outcome):
                        remaining = [item for item in remaining if item[0] != message.index]
                        batch = [i for i in batch if i != message.index]
                        current = batch[0] if batch else None
                        deadline = time.monotonic() + limits.seconds_per_file * max(1, len(batch))
                        yield message
                    elif message[0] in ("start", "page"):
                        current, deadline, batch = message[1], time.monotonic() + limits.seconds_per_file, []
                        if message[0] == "page" and on_page is not None:
                            on_page(*message[1:])
                    elif message[0] == "analyse":
                        batch = list(message[1])
                        current, deadline = batch[0], time.monotonic() + limits.seconds_per_file * len(batch)
                    elif message[0] == "retry":  # a fresh worker takes these files one by one, then the rest
                        order = [item[0] for item in remaining]
                        singles = order.index(message[1]) + (len(batch) if batch else 1)
                        break
                    elif message[0] == "done":
                        return
                elif not worker.is_alive() and not parent.poll(0):
                    if len(batch) > 1:
                        singles = len(batch)
                        break
                    failed = _lost(current, remaining, "stopped while analysing it (分析中断)")
                    break
                if deadline is not None and time.monotonic() > deadline:
                    if len(batch) > 1:
                        singles = len(batch)  # which of them takes the time is found one by one
                        break
                    failed = _lost(current, remaining, f"took longer than {limits.seconds_per_file:.0f} s to "
                                                       "analyse (分析超时)")
                    break
        finally:
            parent.close()  # a late worker's outcome is never read: its file is judged already
            stop(worker)
        if singles:  # only a batch asks for this, and files tried singly are judged alone: no loop
            continue
        if failed is None:
            return
        remaining = [item for item in remaining if item[0] != failed.index]
        yield failed


def _lost(current: int | None, remaining: list[tuple[int, str, bytes, str]], reason: str) -> Outcome:
    """The file the worker was on when it was stopped (the first remaining one if it had not started)."""
    index, name, _, _ = next((item for item in remaining if item[0] == current), remaining[0])
    return Outcome(index, safe_file_name(name), reason=reason)
