"""What a hostile search costs the other requests, measured in one run (issue #14, item 5).

    python bench/bench_hostile_search.py                 # 300 KCNA articles, 1,500 terms
    python bench/bench_hostile_search.py --terms 3000 --db some.db

tests/test_web_bounds.py asserts the order of events (another request completes while a
hostile search runs; the search stops when its client leaves); this script times them, on
the real server (uvicorn on loopback, in this process), with the term bounds lifted so the
hostile query really runs:

1. a hostile search ("kim " repeated) alone, to its end;
2. ``/api/events?limit=1`` alone, and while the hostile search runs (median of ``--runs``);
3. from the hostile client's leaving to the query's interruption in the database;
4. with the shipped settings: how long the refusal of the same query takes.

Prints the timings and their ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "kcna_2024_dev.jsonl"
# bounds lifted so the hostile query runs; no cache, so every /api/events request queries
LIFTED = {"max_query_terms": 100_000, "max_query_chars": 100_000, "search_timeout_s": 3600,
          "cache_entries": 0}
POLL_S = 0.005


def build(path: Path, articles: int) -> None:
    from tidings.model import Article
    from tidings.store import Store

    with Store(str(path)) as store:
        for line in CORPUS.read_text(encoding="utf-8").splitlines()[:articles]:
            d = json.loads(line)
            store.add(Article(id=d["id"], text=d["text"], title=d["title"],
                              source=d["source"], url=d["url"], published=d["date"]), [])


class Served:
    def __init__(self, db: Path, settings: dict[str, Any]) -> None:
        from tidings.web.app import create_app

        self.app = create_app(str(db), settings=settings)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1",
                                                    port=self.port, log_level="warning"))
        threading.Thread(target=self.server.run, daemon=True).start()
        while not self.server.started:
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def counts(self) -> dict[str, int]:
        return self.app.state.web.search.counts

    def stop(self) -> None:
        self.server.should_exit = True


def wait(ok: Any) -> float:
    t0 = time.perf_counter()
    while not ok():
        time.sleep(POLL_S)
    return time.perf_counter() - t0


def open_search(port: int, q: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /api/search?{httpx.QueryParams({'q': q})} HTTP/1.1\r\n"
                 "Host: 127.0.0.1\r\n\r\n".encode())
    return sock


def latency(client: httpx.Client, path: str, runs: int) -> float:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get(path).raise_for_status()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="a store to search (default: build one)")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--terms", type=int, default=1500)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="tidings-hostile-")) / "h.db"
    if not args.db:
        build(db, args.articles)
    q = "kim " * args.terms
    s = Served(db, LIFTED)
    try:
        with httpx.Client(base_url=s.url, timeout=3600) as c:
            c.get("/api/search", params={"q": "warm"})  # the search pool's connection
            alone = latency(c, "/api/events?limit=1", args.runs)
            t0 = time.perf_counter()
            c.get("/api/search", params={"q": q}).raise_for_status()
            hostile = time.perf_counter() - t0
            sock = open_search(s.port, q)
            wait(lambda: s.counts["started"] == s.counts["finished"] + 1)
            during = latency(c, "/api/events?limit=1", args.runs)
            running = s.counts["started"] > s.counts["finished"]
            sock.close()
            t0 = time.perf_counter()
            wait(lambda: s.counts["disconnect"] == 1)
            stopped = time.perf_counter() - t0
    finally:
        s.stop()
    d = Served(db, {})
    try:
        with httpx.Client(base_url=d.url, timeout=3600) as c:
            t0 = time.perf_counter()
            status = c.get("/api/search", params={"q": q}).status_code
            refused = time.perf_counter() - t0
    finally:
        d.stop()
    print(f"hostile search ({args.terms:,} repeated terms) alone, to its end: {hostile:.2f} s")
    print(f"/api/events?limit=1 alone: {alone * 1000:.1f} ms; while the hostile search runs: "
          f"{during * 1000:.1f} ms (x{during / alone:.2f}; still running: {running})")
    print(f"client leaves -> query interrupted: {stopped * 1000:.0f} ms "
          f"({stopped / hostile:.3f} of its full run)")
    print(f"shipped bounds: refused with {status} in {refused * 1000:.1f} ms")


if __name__ == "__main__":
    main()
