"""A hostile search cannot stall the app (issue #14, item 5), on the real server.

One unauthenticated search of a few thousand repeated terms used to hold the store's one
connection for minutes while every other request waited. Here the server runs with its term
bounds lifted (``max_query_terms``, ``max_query_chars``), so the hostile search really runs
for a long time, and the tests assert on order and completion, never on wall time:

* while it runs, another request and another search both complete;
* when its client leaves, the query is interrupted in the database (the runner counts a
  "disconnect" and the search never finishes);
* with a time bound, it is stopped and answered 503.

bench/bench_hostile_search.py measures the times these tests only order.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pgtest import pg_schema

from tidings.model import Article
from tidings.store import Store
from tidings.web.app import MAX_REQUEST_HEAD_BYTES, create_app

ARTICLES = 300  # KCNA lines stored (about 220 after duplicates): enough text to be slow
HOSTILE_TERMS = 3000  # "kim " repeated: about half a minute of FTS5 work on those articles
LIFTED = {"max_query_terms": 100_000, "max_query_chars": 100_000, "search_threads": 2}
START_S = 30  # waiting for uvicorn to accept connections
WAIT_S = 120  # upper bound on any wait for the server to reach a state (never a measurement)
POLL_S = 0.05


def hostile_query() -> str:
    return "kim " * HOSTILE_TERMS


def fill(store: Store, shared: Path) -> None:
    lines = (shared / "corpus" / "kcna_2024_dev.jsonl").read_text(encoding="utf-8")
    for line in lines.splitlines()[:ARTICLES]:
        d = json.loads(line)
        store.add(Article(id=d["id"], text=d["text"], title=d["title"], source=d["source"],
                          url=d["url"], published=d["date"]), [])


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, shared: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        path = str(tmp_path_factory.mktemp("bounds") / "bounds.db")
        with Store(path) as s:
            fill(s, shared)
        yield path
        return
    with pg_schema("tidings_bounds") as url:
        with Store(url) as s:
            fill(s, shared)
        yield url


class Served:
    """The app on a free loopback port, in a thread; its search runner's counts."""

    def __init__(self, target: str, settings: dict[str, Any]) -> None:
        self.app = create_app(target, settings=settings)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(  # as tidings.web.app.serve configures it
            self.app, host="127.0.0.1", port=self.port, log_level="warning",
            h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        until(lambda: self.server.started, "uvicorn to start", START_S)
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def counts(self) -> dict[str, int]:
        return self.app.state.web.search.counts

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=WAIT_S)


def until(ok: Any, what: str, bound: float = WAIT_S) -> None:
    """Wait for a state of the server; fail (never pass) if it is not reached in ``bound``."""
    deadline = time.monotonic() + bound
    while not ok():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {bound} s for {what}")
        time.sleep(POLL_S)


def open_search(url: str, port: int, q: str) -> socket.socket:
    """Send a search request on a raw socket and return it unread (the client 'stays')."""
    sock = socket.create_connection(("127.0.0.1", port))
    target = "/api/search?" + httpx.QueryParams({"q": q}).__str__()
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return sock


def raw_status(port: int, target: str, piece: int = 0) -> int:
    """The status code the server answers a GET of ``target`` with (any length).

    ``piece`` > 0 sends the request in pieces of that many bytes, each flushed on its own
    (TCP_NODELAY), as a slow or congested client's request reaches the server.
    """
    request = (f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
               "\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT_S) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for start in range(0, len(request), piece or len(request)):
                sock.sendall(request[start:start + (piece or len(request))])
                if piece:
                    time.sleep(POLL_S / 10)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered (and closed) before the whole request was sent
        head = b""
        while b"\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


def refused(port: int, target: str, piece: int) -> bool:
    """Whether the server refused the request: a 400, or its connection closed under it.

    The server answers 400 and closes as soon as the head passes its bound; the pieces sent
    after that may reset the connection before the client reads the answer.
    """
    try:
        return raw_status(port, target, piece) == 400
    except (ConnectionResetError, IndexError):  # reset, or closed with nothing to read
        return True


@pytest.fixture
def served(target: str) -> Iterator[Served]:
    s = Served(target, {**LIFTED, "search_timeout_s": 3600})
    yield s
    s.stop()


def test_other_requests_proceed_while_a_hostile_search_runs_and_it_stops_when_its_client_leaves(
        served: Served) -> None:
    hostile = open_search(served.url, served.port, hostile_query())
    try:
        until(lambda: served.counts["started"] == 1, "the hostile search to start")
        with httpx.Client(base_url=served.url, timeout=WAIT_S) as c:
            events = c.get("/api/events", params={"limit": 1})
            page = c.get("/events")
            other = c.get("/api/search", params={"q": "Putin"})
        # all three answered while the hostile search was still running
        assert events.status_code == 200 and page.status_code == 200
        assert other.status_code == 200 and other.json()["total"] > 0
        assert served.counts["started"] == 2 and served.counts["finished"] == 1
    finally:
        hostile.close()  # the client leaves
    until(lambda: served.counts["disconnect"] == 1, "the search to be stopped")
    assert served.counts["finished"] == 1  # the hostile one never ran to its end
    with httpx.Client(base_url=served.url, timeout=WAIT_S) as c:  # its connection is free
        assert c.get("/api/search", params={"q": "Kim"}).status_code == 200
    assert served.counts["finished"] == 2


def test_a_search_over_its_time_bound_is_stopped_and_answered_503(target: str) -> None:
    s = Served(target, {**LIFTED, "search_timeout_s": 0.1})
    try:
        with httpx.Client(base_url=s.url, timeout=WAIT_S) as c:
            r = c.get("/api/search", params={"q": hostile_query()})
            assert r.status_code == 503 and "timeout" in r.json()["detail"]
            page = c.get("/", params={"q": hostile_query()})
            assert page.status_code == 200 and "was stopped" in page.text
        assert s.counts["timeout"] == 2 and s.counts["finished"] == 0
    finally:
        s.stop()


def test_the_default_bounds_refuse_the_hostile_search_before_it_runs(target: str) -> None:
    """With the shipped settings the 3,000-term query never reaches the database."""
    s = Served(target, {})
    try:
        with httpx.Client(base_url=s.url, timeout=WAIT_S) as c:
            r = c.get("/api/search", params={"q": hostile_query()})
            assert r.status_code == 400 and "q" in r.json()["detail"]["errors"]
        long_q = str(httpx.QueryParams({"q": "kim " * 30_000}))  # 120 KB: httpx refuses it
        for path, piece in itertools.product(("/api/search", "/", "/events"), (0, 4096)):
            # whole or in pieces, the app's own bounds answer it (never a transport error)
            status = raw_status(s.port, path + "?" + long_q, piece)
            assert status in ((400, 414) if path.startswith("/api/") else (200,)), (path, status)
        over = "x" * 2 * MAX_REQUEST_HEAD_BYTES  # a head over the bound is refused in pieces
        assert refused(s.port, "/?q=" + over, 16_384)
        assert s.counts["started"] == 0
    finally:
        s.stop()
