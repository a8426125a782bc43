"""Load test of the web server on loopback: N concurrent clients for S seconds, then figures.

Why: the issue's target is zero errors and p99 under 500 ms with 50 concurrent clients
against the event API, search and the dyad page on the sample database. This script starts
uvicorn on 127.0.0.1 (a free port) over a store, drives it with asyncio + httpx, and prints
requests/s, p50/p99 latency (overall and per route) and the error count. It asserts
nothing: the figures are for the closing note, taken on whatever machine runs it (the client
shares the CPU with the server, so they are a lower bound).

    python bench/load_test.py                      # ./tidings.db, or sample/articles ingested
    python bench/load_test.py --db x.db --clients 50 --seconds 60 --max-requests 100000

Safety: loopback only, a hard cap on requests and on time; it stops by itself and stops the
server it started.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never anything else: this is a load generator
DEFAULT_CLIENTS = 50  # the figure
DEFAULT_SECONDS = 60.0
# Hard cap on requests whatever the duration: 50 clients at a few hundred requests/s for
# 60 s stay well under it, so it only bites if the server is unexpectedly fast.
DEFAULT_MAX_REQUESTS = 200_000
SERVER_START_TIMEOUT_S = 180.0  # import + store open on a loaded 2-core machine
REQUEST_TIMEOUT_S = 30.0  # a request slower than this counts as an error
# Words searched for: common in the KCNA / Rodong Sinmun sample, plus a phrase and an OR.
QUERIES = ["Korea", "Russia", "nuclear", "Kim Jong Un", '"United States"', "army OR navy",
           "Pyongyang", "Japan", "sanctions", "friendship"]
DEFAULT_DYADS = [("PRK", "USA"), ("PRK", "RUS"), ("PRK", "KOR"), ("PRK", "JPN")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def sample_store() -> Path:
    """./tidings.db if it exists, else sample/articles ingested into a temporary file."""
    local = ROOT / "tidings.db"
    if local.exists():
        return local
    db = Path(tempfile.mkdtemp(prefix="tidings-load-")) / "sample.db"
    print(f"ingesting sample/articles into {db} (one-off, a few minutes)...", flush=True)
    run = subprocess.run([sys.executable, "-c", "from tidings.cli import main; main()",
                          "ingest", str(ROOT / "sample" / "articles"), "--db", str(db)],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1):  # 1: some inputs failed, the rest is stored
        sys.exit(f"ingest failed:\n{run.stderr[-3000:]}")
    return db


DB_ENV = "TIDINGS_LOAD_DB"  # how app_factory finds the store in each uvicorn worker


def app_factory() -> object:
    """The app as `tidings serve` builds it; uvicorn calls this in every worker process."""
    from tidings.web.app import LOOPBACK_NAMES, create_app

    return create_app(os.environ[DB_ENV], allowed_hosts=LOOPBACK_NAMES)


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """uvicorn on loopback; one worker is what `tidings serve` runs, more is for comparison."""
    code = ("import uvicorn; uvicorn.run('load_test:app_factory', factory=True,"
            f" app_dir={str(Path(__file__).parent)!r}, host={HOST!r}, port={port},"
            f" workers={workers}, log_level='warning')")
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, DB_ENV: str(db)})


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("the server exited before answering")
        try:
            if httpx.get(url + "/api/actors?limit=1", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    sys.exit("the server did not answer in time")


def routes(url: str) -> list[tuple[str, str]]:
    """(route name, path) pairs the clients cycle through: events, search, dyad page."""
    dyads = DEFAULT_DYADS
    try:
        top = httpx.get(url + "/api/network", timeout=REQUEST_TIMEOUT_S).json()
        edges = sorted(top.get("edges", []), key=lambda e: -e.get("weight", 0))[:4]
        dyads = [(e["source"], e["target"]) for e in edges] or dyads
    except (httpx.HTTPError, ValueError, KeyError):
        pass
    out: list[tuple[str, str]] = []
    for i, q in enumerate(QUERIES):
        a, b = dyads[i % len(dyads)]
        out.append(("events", f"/api/events?limit=50&offset={(i % 4) * 50}"))
        out.append(("events", f"/api/events?dyad={a}-{b}&limit=50"))
        out.append(("search", "/api/search?" + str(httpx.QueryParams({"q": q}))))
        out.append(("dyad", f"/dyad?a={a}&b={b}"))
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


async def drive(url: str, paths: list[tuple[str, str]], clients: int, seconds: float,
                max_requests: int) -> dict:
    """Run the clients until the time or the request cap is reached; collect latencies."""
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    sent = 0
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(k: int, http: httpx.AsyncClient) -> None:
        nonlocal sent
        i = k
        while time.monotonic() < stop_at and sent < max_requests:
            sent += 1
            name, path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = await http.get(path)
                ok = r.status_code == 200
                detail = f"{r.status_code} {r.text[:120]}"
            except httpx.HTTPError as exc:
                ok, detail = False, repr(exc)
            lat[name].append(time.perf_counter() - t0)
            if not ok:
                errors[name] += 1
                if len(samples) < 5:
                    samples.append(f"{path}: {detail}")

    t0 = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S,
                                 limits=limits) as http:
        await asyncio.gather(*(client(k, http) for k in range(clients)))
    elapsed = time.monotonic() - t0
    every = [x for v in lat.values() for x in v]
    report = {
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "p50_ms": round(percentile(every, 50) * 1000, 1),
        "p99_ms": round(percentile(every, 99) * 1000, 1),
        "errors": sum(errors.values()), "error_samples": samples,
        "routes": {name: {"requests": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1),
                          "p99_ms": round(percentile(v, 99) * 1000, 1),
                          "errors": errors.get(name, 0)} for name, v in sorted(lat.items())},
    }
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="store to serve (default ./tidings.db or sample)")
    ap.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
    ap.add_argument("--seconds", type=float, default=DEFAULT_SECONDS)
    ap.add_argument("--max-requests", type=int, default=DEFAULT_MAX_REQUESTS)
    ap.add_argument("--workers", type=int, default=1,
                    help="uvicorn worker processes (1, as `tidings serve` runs)")
    args = ap.parse_args()
    db = args.db or sample_store()
    port = free_port()
    url = f"http://{HOST}:{port}"
    proc = start_server(db, port, args.workers)
    try:
        wait_ready(url, proc)
        paths = routes(url)
        print(f"store {db}; {args.clients} clients for {args.seconds:g} s against {url} "
              f"({args.workers} worker(s); {len(paths)} paths: events, search, dyad)",
              flush=True)
        report = asyncio.run(drive(url, paths, args.clients, args.seconds, args.max_requests))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"requests: {report['requests']} in {report['seconds']} s = "
          f"{report['requests_per_s']} req/s")
    print(f"latency: p50 {report['p50_ms']} ms, p99 {report['p99_ms']} ms")
    print(f"errors: {report['errors']}")
    for name, r in report["routes"].items():
        print(f"  {name:7s} {r['requests']:6d} requests  p50 {r['p50_ms']:7.1f} ms  "
              f"p99 {r['p99_ms']:7.1f} ms  errors {r['errors']}")
    for s in report["error_samples"]:
        print(f"  error: {s}")
    print("json: " + json.dumps({k: v for k, v in report.items() if k != "error_samples"}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
