"""The real server under concurrent writing and hostile requests, on loopback.

Why: tests/test_web_api.py checks the app through the ASGI test client; what it cannot show
is the deployed shape — uvicorn serving many clients from one SQLite WAL file while
`tidings ingest` (another process) and the ingest endpoint write to it — nor what a raw HTTP
request that no client library would send does. Here:

* readers hammer the event API, search, the dyad and article pages while a CLI ingest and API
  ingests write the same store: no request may fail, none may say "database is locked";
* full-text syntax of FTS5 / tsquery (", NEAR(, *, column filters ...) and random text
  give 200 or a 400 with a message, never a 500 (a fixed list and a hypothesis property);
* no raw request path reads a file outside the static directory, through any route;
* bodies over the cap are refused (declared, chunked, and on routes that take no body);
* the ingest endpoint refuses missing, wrong, empty and odd tokens.

Everything talks to 127.0.0.1 on a free port and stops by itself: the readers stop when the
writer finishes or after MAX_READS requests. Nothing asserts on time.
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.web.settings import WebSettings

# Articles stored before the server starts (so the pages have data), and written while it
# serves (so the readers overlap a long run of commits). Each costs ~0.1-0.3 s to code.
PRELOADED = 15
WRITTEN_DURING = 45
API_INGESTS = 4  # articles POSTed to the ingest endpoint while the CLI writes too
READERS = 8  # concurrent reading clients (threads)
MAX_READS = 4000  # hard cap on reads, whatever the writer does
SERVER_START_TIMEOUT_S = 180  # uvicorn + spaCy model load on a loaded 2-core machine
REQUEST_TIMEOUT_S = 120  # generous: only a hung server may hit it
CHILD_TIMEOUT_S = 900
TOKEN = "load-test-token-0123456789abcdef"


# --------------------------------------------------------------------------------------------
# a real server over a real store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def corpus(shared: Path, path: Path, n: int, skip: int = 0) -> list[dict[str, Any]]:
    """``n`` real KCNA articles with distinct texts and URLs (after ``skip`` of them)."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    with open(shared / "corpus" / "kcna_2024_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            key = d["text"].strip()
            if key in seen or d.get("url") in seen or len(key) > 3000:
                continue
            seen.update((key, d.get("url")))
            if skip:
                skip -= 1
                continue
            out.append(d)
            if len(out) >= n:
                break
    path.write_text("".join(json.dumps(d) + "\n" for d in out), encoding="utf-8")
    return out


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from tidings.cli import main; main()", *args]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[str]
    log: list[str] = field(default_factory=list)

    def raw(self, request: bytes) -> tuple[int, bytes]:
        """Send bytes exactly as given (no client normalises them); (status, whole answer)."""
        host, port = self.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=REQUEST_TIMEOUT_S) as sock:
            sock.sendall(request)
            chunks = []
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                chunks.append(data)
        answer = b"".join(chunks)
        m = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
        return (int(m.group(1)) if m else 0), answer


def _wait_until_up(proc: subprocess.Popen, url: str, log: list[str]) -> None:
    """Poll a started `tidings serve` until it answers; fail with its log if it exits."""
    for _ in range(int(SERVER_START_TIMEOUT_S / 0.25)):
        if proc.poll() is not None:
            pytest.fail("server exited: " + "".join(log)[-3000:])
        try:
            if httpx.get(url + "/api/actors", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        threading.Event().wait(0.25)
    pytest.fail("server did not answer")


@pytest.fixture(scope="module")
def store_path(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("served")
    corpus(shared, tmp / "first.jsonl", PRELOADED)
    db = tmp / "served.db"
    run = subprocess.run(cli("ingest", str(tmp / "first.jsonl"), "--db", str(db)),
                         capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
    assert run.returncode == 0, run.stderr[-3000:]
    return db


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[Server]:
    """uvicorn on loopback over the store, ingest on, as webapp.serve builds it but with a
    known token (serve prints a random one; test_web_api checks that path)."""
    port = free_port()
    code = ("import sys, uvicorn; from tidings.web.app import create_app, LOOPBACK_NAMES;"
            f"app = create_app(sys.argv[1], allow_ingest=True, token={TOKEN!r},"
            " allowed_hosts=LOOPBACK_NAMES);"
            f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning')")
    proc = subprocess.Popen([sys.executable, "-c", code, str(store_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    srv = Server(f"http://127.0.0.1:{port}", proc)
    threading.Thread(target=lambda: srv.log.extend(proc.stdout or []), daemon=True).start()
    try:
        _wait_until_up(proc, srv.url, srv.log)
        yield srv
    finally:
        proc.terminate()
        proc.wait(timeout=60)


# --------------------------------------------------------------------------------------------
# readers and writers on one SQLite WAL file


def test_readers_never_see_a_locked_database_while_ingest_writes(
        server: Server, shared: Path, store_path: Path) -> None:
    more = store_path.parent / "more.jsonl"
    arts = corpus(shared, more, WRITTEN_DURING + API_INGESTS, skip=PRELOADED)
    Path(more).write_text("".join(json.dumps(d) + "\n" for d in arts[:WRITTEN_DURING]),
                          encoding="utf-8")
    with sqlite3.connect(store_path) as conn:
        first_id = conn.execute("SELECT id FROM articles ORDER BY pk LIMIT 1").fetchone()[0]
    paths = ["/api/events?limit=50", "/api/events?dyad=PRK-USA&limit=20",
             "/api/search?q=Korea", "/api/search?q=%22nuclear+war%22", "/dyad?a=PRK&b=USA",
             "/api/timeline?a=PRK&b=USA&by=year", "/events?q=Korea", f"/articles/{first_id}",
             "/api/actors?limit=50", "/"]
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()
    reads = [0]

    def reader(k: int) -> None:
        with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
            i = k
            while not stop.is_set():
                with lock:
                    if reads[0] >= MAX_READS:
                        return
                    reads[0] += 1
                path = paths[i % len(paths)]
                i += 1
                try:
                    r = c.get(path)
                except httpx.HTTPError as exc:
                    with lock:
                        failures.append(f"{path}: {exc!r}")
                    continue
                with lock:
                    statuses[r.status_code] += 1
                    if r.status_code != 200 or "database is locked" in r.text:
                        failures.append(f"{path}: {r.status_code} {r.text[:200]}")

    def api_writer() -> None:
        with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
            for d in arts[WRITTEN_DURING:]:
                r = c.post("/api/articles", headers={"X-Tidings-Token": TOKEN},
                           json={"text": d["text"], "title": d["title"], "date": d["date"],
                                 "url": d["url"], "source": d["source"]})
                with lock:
                    statuses[r.status_code] += 1
                    if r.status_code != 201:
                        failures.append(f"POST: {r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(READERS)]
    threads.append(threading.Thread(target=api_writer))
    writer = subprocess.Popen(cli("ingest", str(more), "--db", str(store_path)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for t in threads:
        t.start()
    try:
        _, err = writer.communicate(timeout=CHILD_TIMEOUT_S)
        threads[-1].join(timeout=CHILD_TIMEOUT_S)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=REQUEST_TIMEOUT_S)
    print(f"\n[server under ingest] reads {reads[0]}, statuses {dict(statuses)}, "
          f"CLI ingest exit {writer.returncode}")
    assert writer.returncode == 0, err[-3000:]
    assert "database is locked" not in err
    assert not failures, failures[:10]
    assert "database is locked" not in "".join(server.log)
    assert reads[0] > len(paths)  # the readers did overlap the writer
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
        total = c.get("/api/search", params={"q": "the", "limit": 1}).json()["total"]
    assert total >= PRELOADED + WRITTEN_DURING  # every article written is readable


# --------------------------------------------------------------------------------------------
# malformed full-text queries

FTS_SYNTAX = [
    '"', '""', '"unclosed phrase', 'a"b', '"a" "', 'NEAR(', 'NEAR(a b', 'NEAR(a b, 2)',
    'NEAR(a,b,)', 'a NEAR b', '*', '**', 'a*', '*a', '* *', 'a * b', '^', '^a', 'a^b', '(',
    ')', '()', '(a OR', 'a OR', 'OR', 'AND', 'NOT', 'NOT NOT', 'a AND AND b', '-', '--', '-a',
    'title:', 'title:a', 'text:"', '{title text}:a', '{', '}', '[', ']', ':', ';', "'",
    "''", '\\', '\\"', '!', '&', '|', '&&', '||', 'a & b', 'a | !b', 'a <-> b', '<->',
    'a:*', 'a:*B', ':*', "a' OR '1'='1", "'); DROP TABLE articles; --", '%', '%%', '_',
    '\t', '\u3000', '\ue000', '\ue001', '\u0000', 'a\u0000b', '\ufeff', '💥', '한국', 'x' * 5000,
    ' '.join(['a'] * 500), '"' * 101, '(' * 300, 'NEAR(' * 50,
]


@pytest.mark.parametrize("route", ["/api/search", "/api/events", "/", "/events"])
def test_malformed_full_text_is_a_400_with_a_message_never_a_500(
        server: Server, route: str) -> None:
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
        for q in FTS_SYNTAX:
            r = c.get(route, params={"q": q})
            assert r.status_code in (200, 400, 422), (q, r.status_code, r.text[:300])
            if route in ("/", "/events"):  # pages answer with the form and a message
                assert r.headers["content-type"].startswith("text/html"), q
                assert r.status_code == 200 or 'id="filter-errors"' in r.text, q
            elif r.status_code == 400:
                detail = r.json().get("detail")
                message = detail.get("message") if isinstance(detail, dict) else detail
                assert isinstance(message, str) and message.strip(), (q, r.text[:300])


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=1, max_size=200) | st.lists(
    st.sampled_from(['"', "NEAR(", "*", "OR", "AND", "NOT", "-", "(", ")", ":", "^", "a",
                     "Korea", "title:", "{", "}", ",", " "]), min_size=1, max_size=12).map(
    "".join))
def test_any_query_text_is_200_or_400_never_500(server: Server, q: str) -> None:
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
        for route in ("/api/search", "/api/events"):
            r = c.get(route, params={"q": q})
            assert r.status_code in (200, 400, 422), (route, q, r.status_code, r.text[:300])


# --------------------------------------------------------------------------------------------
# path traversal through every route that takes a path

SECRETS = (b"root:x:0:0", b"def create_app", b"class Store", b"PRAGMA", b"SQLite format 3")
TRAVERSALS = [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/%2e%2e%2fapp.py",
    "/static/..%2f..%2fstore%2fbase.py", "/static/%252e%252e/app.py", "/static/..%5capp.py",
    "/static/css/..%2f..%2f..%2fapp.py", "/static/%c0%ae%c0%ae/app.py",
    "/static/..;/app.py", "/static/../../../../../../etc/passwd", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/%00../app.py", "/articles/..%2f..%2fetc%2fpasswd",
    "/articles/../../etc/passwd", "/api/articles/..%2f..%2f..%2fetc%2fpasswd",
    "/api/articles/%2e%2e%2f%2e%2e%2fserved.db", "/actors/..%2f..%2fetc%2fpasswd",
    "/actors/../../../etc/passwd", "/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/static/vendor/../../app.py", "/static/./../app.py", "/docs/../static/../app.py",
    "/served.db", "/static/served.db", "/static/../../../served.db",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_static_through_any_route(server: Server, path: str) -> None:
    status, answer = server.raw(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert status in (400, 404, 422), (path, status, answer[:300])
    assert not any(s in answer for s in SECRETS), (path, answer[:300])


def test_absolute_form_request_target_is_no_way_around(server: Server) -> None:
    for target in ("http://127.0.0.1/static/../app.py", "http://127.0.0.1/../../etc/passwd"):
        status, answer = server.raw(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert status in (400, 404), (target, status)
        assert not any(s in answer for s in SECRETS)


# --------------------------------------------------------------------------------------------
# request bodies


def test_bodies_over_the_cap_are_refused_on_the_real_server(server: Server) -> None:
    cap = WebSettings().max_body_bytes
    auth = {"X-Tidings-Token": TOKEN, "Content-Type": "text/plain"}
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
        r = c.post("/api/articles", content=b"x" * (cap + 1), headers=auth)
        assert r.status_code == 413, r.text[:200]

        def chunked() -> Iterator[bytes]:  # no Content-Length: the stream is counted
            for _ in range(4):
                yield b"y" * (cap // 3)

        r = c.post("/api/articles", content=chunked(), headers=auth)
        assert r.status_code == 413, r.text[:200]
        # Routes that take no body refuse a big one before anything reads it.
        r = c.request("GET", "/api/events", content=b"z" * (cap + 1))
        assert r.status_code == 413
        r = c.post("/api/events", content=b"z" * (cap + 1))
        assert r.status_code in (405, 413)
        assert c.get("/api/actors").status_code == 200  # and the server is still there
    # A Content-Length that is not a number, and one that lies about a huge body.
    status, _ = server.raw(b"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Length: 12abc\r\nConnection: close\r\n\r\nhello")
    assert status in (400, 413)
    status, _ = server.raw(b"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           + f"X-Tidings-Token: {TOKEN}\r\n".encode()
                           + b"Content-Length: 99999999999\r\nConnection: close\r\n\r\nhi")
    assert status == 413


# --------------------------------------------------------------------------------------------
# the ingest token


def test_ingest_refuses_missing_wrong_and_odd_tokens(server: Server) -> None:
    body = {"text": "The DPRK denounced Japan on Monday.", "date": "2024-05-01"}
    refused = [
        {}, {"X-Tidings-Token": ""}, {"X-Tidings-Token": TOKEN[:-1]},
        {"X-Tidings-Token": TOKEN + "x"}, {"X-Tidings-Token": TOKEN.upper()},
        {"X-Tidings-Token": TOKEN + "," + TOKEN}, {"Authorization": "Bearer"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Token {TOKEN}"}, {"Cookie": f"x-tidings-token={TOKEN}"},
    ]
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
        for headers in refused:
            r = c.post("/api/articles", json=body, headers=headers)
            assert r.status_code == 401, (headers, r.status_code)
        r = c.post("/api/articles", json=body, params={"token": TOKEN})
        assert r.status_code == 401  # never from the URL (it would end up in logs)
    # Header values no client library sends: latin-1, NUL, blank, padded, empty bearer.
    odd = [(b"X-Tidings-Token", v) for v in (
        b"\xe9\xe8\xff", TOKEN.encode()[:-1] + b"\xe9", b"a\x00b", b" ",
        b"\t" + TOKEN.encode() + b"x", "é".encode() + TOKEN.encode())]
    odd += [(b"Authorization", b"Bearer "), (b"Authorization", b"Bearer \xff")]
    for name, value in odd:
        status, answer = server.raw(
            b"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n" + name + b": " + value
            + b"\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            b"Connection: close\r\n\r\n{}")
        assert status in (400, 401), (name, value, status, answer[:300])
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT_S) as c:
        ok = c.post("/api/articles", json=body, headers={"X-Tidings-Token": TOKEN})
        assert ok.status_code == 201, ok.text[:300]


# --------------------------------------------------------------------------------------------
# `tidings serve --workers N`

SERVE_WORKERS = 2
WORKER_CONNECTIONS = 8  # keep-alive connections spread over the workers by the kernel


def _hand_article(aid: str, src: str, tgt: str) -> tuple[Any, list[dict[str, Any]]]:
    """An article with one hand-built event src → tgt (no NLP: quick to store)."""
    from tidings.model import Article

    text = f"Officials of {src} met officials of {tgt} on Monday."
    ev = {"id": f"{aid}-e0", "doc_id": aid, "sentence_index": 0, "sentence": text,
          "event_type": "CONSULT", "cameo": "040", "quad_class": 1, "goldstein": 1.0,
          "plover_score": 1.0, "date": "2024-05-01", "date_precision": "day",
          "source": {"text": src, "name": f"Country {src}", "country": src, "code": src},
          "target": {"text": tgt, "name": f"Country {tgt}", "country": tgt, "code": tgt},
          "evidence": {"start": 0, "end": len(text)}}
    return Article(id=aid, text=text, title=aid, source="test", published="2024-05-01",
                   url=f"http://example.org/{aid}"), [ev]


def test_serve_workers_each_see_another_process_write(tmp_path: Path) -> None:
    """`tidings serve --workers 2`: two server processes answer on one port, and every one
    of them shows an article stored by another process on the next request, although each
    caches the actor names its filters resolve and the summaries."""
    import psutil

    from tidings.store import Store

    db = tmp_path / "workers.db"
    with Store(str(db)) as s:
        s.add(*_hand_article("w1", "PRK", "RUS"))
    port = free_port()
    proc = subprocess.Popen(cli("serve", "--db", str(db), "--port", str(port), "--workers",
                                str(SERVE_WORKERS), "--no-access-log"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(proc.stdout or []), daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    clients = [httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S)
               for _ in range(WORKER_CONNECTIONS)]
    try:
        _wait_until_up(proc, url, log)
        workers = [p for p in psutil.Process(proc.pid).children(recursive=True)
                   if "python" in p.name().lower()]
        assert len(workers) >= SERVE_WORKERS, workers
        def nzl(c: httpx.Client) -> int:
            found = c.get("/api/actors/suggest", params={"q": "New Zealand"}).json()
            return next(s["mentions"] for s in found if s["key"] == "NZL")

        for c in clients:  # every connection's worker caches the names and the summary
            assert nzl(c) == 0
            assert c.get("/api/events").json()["total"] == 1
        with Store(str(db)) as other:  # as `tidings ingest` would, from another process
            assert other.add(*_hand_article("w2", "PRK", "NZL")) == "added"
        for c in clients:
            assert nzl(c) == 1
            page = c.get("/dyad", params={"a": "New Zealand", "b": "DPRK"})
            assert page.status_code == 200 and "New Zealand ↔ North Korea" in page.text
            assert c.get("/api/events").json()["total"] == 2
        assert "Tidings on" in "".join(log) and "2 worker processes" in "".join(log)
    finally:
        for c in clients:
            c.close()
        proc.terminate()
        proc.wait(timeout=60)
