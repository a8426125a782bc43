"""Full-text searches that cannot stall the app (issue #14, item 5).

A search's cost grows with its terms (with their square when they repeat), and the store's
queries all share one connection behind one lock: one hostile search used to hold every
other request. Here each search runs

* on a connection of its own (a pool of ``search_threads`` stores opened on the same target,
  in threads of their own), so the app's connection and request threads stay free;
* for at most ``search_timeout_s`` seconds, and no longer than its client stays: the query is
  interrupted in the database (SQLite ``interrupt()``, PostgreSQL cancel) as soon as either
  ends, and the connection goes back to the pool.

The query itself is bounded before it runs (filters.py: ``max_query_chars``,
``max_query_terms``). A store that cannot be opened twice (SQLite ``:memory:``) is searched on
its own connection, still with the time bound.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import Request

from tidings.store import Store

T = TypeVar("T")
POLL_S = 0.05  # how often a running search checks its client and its clock


class SearchStopped(Exception):
    """A search stopped before its end: ``reason`` is "timeout" or "disconnect"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def interrupt(store: Any) -> None:
    """Stop the statement running on this store's connection, from another thread."""
    conn: Any = getattr(store, "conn", None)
    if hasattr(conn, "interrupt"):  # sqlite3
        conn.interrupt()
    elif hasattr(conn, "cancel"):  # psycopg
        conn.cancel()


class SearchRunner:
    """Runs searches on a pool of connections, bounded in time and by their client."""

    def __init__(self, store: Any, size: int, timeout_s: float) -> None:
        self.primary = store
        self.size = size
        self.timeout_s = timeout_s
        self._free: list[Any] = []
        self._opened: list[Any] = []
        self._lock = threading.Lock()
        self._slots: anyio.CapacityLimiter | None = None
        self._threads: anyio.CapacityLimiter | None = None
        self.counts = {"started": 0, "finished": 0, "timeout": 0, "disconnect": 0}

    def _limiters(self) -> tuple[anyio.CapacityLimiter, anyio.CapacityLimiter]:
        """Searches at once, and the threads they run in (apart from the request threads);
        made in the event loop on first use."""
        if self._slots is None or self._threads is None:
            self._slots = anyio.CapacityLimiter(self.size)
            self._threads = anyio.CapacityLimiter(self.size)
        return self._slots, self._threads

    def _take(self) -> Any:
        with self._lock:
            if self._free:
                return self._free.pop()
        target = getattr(self.primary, "target", None)
        if not target or target == ":memory:":
            return self.primary
        store = Store(target)
        with self._lock:
            self._opened.append(store)
        return store

    def _give(self, store: Any) -> None:
        if store is not self.primary:
            with self._lock:
                self._free.append(store)

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened, self._free = [], []

    async def run(self, request: Request | None, fn: Callable[[Any], T]) -> T:
        """``fn(store)`` on a pooled connection; SearchStopped when the client leaves or
        the time bound passes first."""
        slots, threads = self._limiters()
        async with slots:
            store = await anyio.to_thread.run_sync(self._take, limiter=threads)
            try:
                return await self._watched(request, store, fn)
            finally:
                self._give(store)

    async def _watched(self, request: Request | None, store: Any, fn: Callable[[Any], T]
                       ) -> T:
        done = anyio.Event()
        outcome: dict[str, Any] = {}
        self.counts["started"] += 1

        async def work() -> None:
            try:
                outcome["value"] = await anyio.to_thread.run_sync(
                    fn, store, limiter=self._limiters()[1])
            except Exception as exc:  # re-raised below, or replaced by the stop's reason
                outcome["error"] = exc
            finally:
                done.set()

        async with anyio.create_task_group() as tg:
            tg.start_soon(work)
            reason = await self._watch(request, store, done)
        if reason is not None:
            self.counts[reason] += 1
            raise SearchStopped(reason)
        self.counts["finished"] += 1
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    async def _watch(self, request: Request | None, store: Any, done: anyio.Event
                     ) -> str | None:
        """Wait for the search; interrupt it (again, until it stops) once its client has
        gone or its time is up. Returns why it was stopped, or None."""
        deadline = anyio.current_time() + self.timeout_s
        reason = None
        while not done.is_set():
            with anyio.move_on_after(POLL_S):
                await done.wait()
            if done.is_set():
                break
            if reason is None and request is not None and await request.is_disconnected():
                reason = "disconnect"
            elif reason is None and anyio.current_time() >= deadline:
                reason = "timeout"
            if reason is not None:
                interrupt(store)
        return reason
