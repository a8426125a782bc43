"""A pool of long-lived worker processes: loaded once, replaced when one dies, gone with the parent.

Why not ``concurrent.futures.ProcessPoolExecutor`` (issue #14, items 7 and 13):

* a worker killed by the kernel (out of memory) breaks that pool for good, and every pending
  task fails with ``BrokenProcessPool``, so one bad shard ended the whole ingest with a
  traceback. Here each worker has its own pipe and the parent watches its process handle: the
  task it held is known, it is tried once more on a fresh worker, and if that worker dies too
  the caller's ``on_death`` turns it into a result (the executor reports its records as
  failures), while the other workers go on;
* workers outlived a parent killed by SIGKILL or SIGTERM (two ~500 MB processes still alive
  200 s later). Here a worker exits when its pipe to the parent closes, and a watchdog
  thread ends it while it is busy: Linux's parent-death signal, and a poll of its parent id;
* a spawned worker imports Tidings and loads the model, knowledge base and gazetteer by
  itself (seconds each, and two at once on two cores). Workers here are forked from a fork
  server that loaded all of that once (``preload``, see tidings/preload.py): they start in
  milliseconds and share the loaded pages copy-on-write. The fork server is a single-threaded
  process started before any of ours, so forking it is safe where forking the parent (which
  may hold a progress bar's thread, a database driver's, or Dask's) is not.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

log = logging.getLogger(__name__)

# How often a busy worker's watchdog checks that its parent is alive. A killed parent's
# workers are gone within this (plus the fork server's own exit) instead of running on.
WATCH_S = 0.5
# Tries of one task before on_death decides its result: a second try on a fresh worker
# tells a task that kills every worker (a pathological input) from a one-off kill.
MAX_ATTEMPTS = 2
# How long close() waits for workers to finish after asking them to, before terminating.
CLOSE_WAIT_S = 10.0
EXIT_ORPHANED = 70  # a worker whose parent died
# What the parent sends: (item,) to run the task on item, STOP to end the worker.
STOP = "stop"


class TaskError(RuntimeError):
    """The task raised inside a worker; the message says what it raised."""


def _die_with_parent(parent_pid: int) -> None:
    """End this process when its parent dies, even while the main thread is busy."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel does it at once
        except (OSError, AttributeError):
            pass
    first = os.getppid()

    def watch() -> None:
        while True:
            threading.Event().wait(WATCH_S)
            if os.getppid() != first or not _alive(parent_pid):
                os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="tidings-watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user: ours is gone
        return False
    return True


def _serve(
    conn: Connection, parent_pid: int, task: Callable[[Any], Any],
    init: Callable[..., None] | None, init_args: tuple[Any, ...],
) -> None:
    """A worker's life: initialise, then run tasks from the pipe until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent(parent_pid)
    if init is not None:
        init(*init_args)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            os._exit(EXIT_ORPHANED)
        if message == STOP:
            return
        try:
            reply: tuple[str, Any] = ("ok", task(message[0]))
        except Exception as exc:  # the parent decides what a failed task means
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


@dataclass
class _Job:
    future: Future[Any]
    item: Any
    attempts: int = 0


@dataclass
class _Worker:
    process: Any
    conn: Connection
    job: _Job | None = None
    died: list[str] = field(default_factory=list)


def exit_reason(code: int | None) -> str:
    """'killed by SIGKILL (out of memory?)' and the like, for a worker's exit code."""
    if code is None:
        return "vanished"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exited with status {code}"


class Pool:
    """``size`` worker processes running ``task`` on submitted items, one item at a time each.

    ``submit`` returns a Future; ``first_done`` waits until one of the given futures is done
    (the pool is driven from the caller's thread: no thread of ours runs in the parent).
    ``on_death(item, reason)`` gives the result of an item whose worker died MAX_ATTEMPTS
    times. ``preload``: modules the fork server imports before forking the workers.
    """

    def __init__(
        self, size: int, task: Callable[[Any], Any], *,
        on_death: Callable[[Any, str], Any],
        init: Callable[..., None] | None = None, init_args: tuple[Any, ...] = (),
        start_method: str = "forkserver", preload: Iterable[str] = (),
    ) -> None:
        if start_method not in multiprocessing.get_all_start_methods():
            start_method = "spawn"
        self.ctx: Any = multiprocessing.get_context(start_method)
        if start_method == "forkserver" and preload:
            self.ctx.set_forkserver_preload(list(preload))
        self.task, self.on_death, self.init, self.init_args = task, on_death, init, init_args
        self.queue: deque[_Job] = deque()
        log.info("starting %d workers (%s, preloading %s)", size, start_method,
                 ", ".join(preload) or "nothing")
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> _Worker:
        ours, theirs = self.ctx.Pipe()
        process = self.ctx.Process(
            target=_serve, name="tidings-worker", daemon=True,
            args=(theirs, os.getpid(), self.task, self.init, self.init_args),
        )
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: Any, *rest: Any) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()

    def submit(self, item: Any) -> Future[Any]:
        job = _Job(Future(), item)
        self.queue.append(job)
        self._dispatch()
        return job.future

    def _dispatch(self) -> None:
        for worker in self.workers:
            if not self.queue:
                return
            if worker.job is None:
                job = self.queue.popleft()
                job.attempts += 1
                worker.job = job
                try:
                    worker.conn.send((job.item,))
                except OSError:  # it died while idle: the pump will see its sentinel
                    pass

    def first_done(self, futures: set[Future[Any]]) -> set[Future[Any]]:
        """Drive the workers until at least one of ``futures`` is done; the done ones."""
        while True:
            done = {f for f in futures if f.done()}
            if done or not futures:
                return done
            self._pump()

    def _pump(self) -> None:
        busy = [w for w in self.workers if w.job is not None]
        if not busy:
            raise RuntimeError("futures pending but no worker busy")
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
        for worker in busy:
            if worker.conn in ready:
                self._receive(worker)
            elif worker.process.sentinel in ready:
                self._replace(worker)
        self._dispatch()

    def _receive(self, worker: _Worker) -> None:
        try:
            status, value = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            return
        job, worker.job = worker.job, None
        assert job is not None
        if status == "ok":
            job.future.set_result(value)
        else:
            job.future.set_exception(TaskError(value))

    def _replace(self, worker: _Worker) -> None:
        """A worker died: start another in its place and retry or settle its job."""
        worker.process.join(1.0)
        reason = exit_reason(worker.process.exitcode)
        log.warning("worker %s %s", worker.process.pid, reason)
        worker.conn.close()
        job = worker.job
        fresh = self._start()
        self.workers[self.workers.index(worker)] = fresh
        if job is None:
            return
        if job.attempts < MAX_ATTEMPTS:
            self.queue.appendleft(job)
        else:
            job.future.set_result(self.on_death(job.item, reason))

    def close(self) -> None:
        """Ask every worker to stop once idle, wait for them, terminate stragglers."""
        for worker in self.workers:
            try:
                worker.conn.send(STOP)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(CLOSE_WAIT_S)
        self.terminate()

    def terminate(self) -> None:
        """Stop every worker now (the parent is failing or being stopped)."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(CLOSE_WAIT_S)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
