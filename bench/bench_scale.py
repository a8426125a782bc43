"""Scaling of `tidings ingest`, measured in one run (issue #4):

    python bench/bench_scale.py            # the issue's sizes: 600 / 2,000 / 20,000 articles
    python bench/bench_scale.py --quick    # the same measurements, scaled down (minutes)

Prints

1. the parse ratio: articles/s and words/s of the Tidings pipeline against bare spaCy
   ``nlp.pipe`` on the same texts (bench_coding's measurement; target >= 0.8);
2. the speed-up: ingest articles/s with one worker process against two (target >= 1.7),
   both through the same process pool, wall time including the pool's start and warm-up, and
   the steady rate from the first stored article to the last;
3. peak RSS of an ingest of 2,000 and of 20,000 articles (the corpus repeated with changed
   ids, URLs and texts), each in a fresh subprocess so runs share no peak: the writer
   process and the largest worker (target: 20,000 within 10% of 2,000);
4. ingest rate into SQLite and into PostgreSQL: end to end with two workers, and the
   store's own write rate (``Store.add`` of articles coded beforehand).

PostgreSQL: ``TIDINGS_TEST_PG`` (a server URL) or, when unset, scripts/start_postgres.sh is
run; a fresh database is created for the run and dropped after it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_coding  # noqa: E402 - the sibling benchmark, for the parse ratio

from tidings import executors  # noqa: E402
from tidings.model import Article  # noqa: E402
from tidings.pipeline import CodedArticle, code_articles  # noqa: E402
from tidings.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "tests" / "data" / "corpus" / "kcna_2024_dev.jsonl"  # tests/data/README.md

# The sizes, and --quick's: small enough for a few minutes on 2 noisy cores, large
# enough that each worker still gets several shards and start-up does not dominate.
FULL = {"ratio": 400, "speed": 600, "rss": (2_000, 20_000), "store": 300}
QUICK = {"ratio": 100, "speed": 200, "rss": (200, 2_000), "store": 100}


def write_corpus(source: Path, n: int, dest: Path) -> tuple[int, int]:
    """``n`` articles in a JSONL file: the corpus repeated, each repeat with its own id, URL
    and text (the store would take a same-text copy as a duplicate). Returns (n, words).

    The KCNA file holds the same text under several ids (387 distinct texts in its first
    600 lines); those copies are dropped first, so every article is coded and stored and
    articles/s means articles coded."""
    rows, texts = [], set()
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            if r["text"] not in texts:
                texts.add(r["text"])
                rows.append(r)
    words = 0
    with open(dest, "w", encoding="utf-8") as f:
        for i in range(n):
            rep, row = divmod(i, len(rows))
            r = dict(rows[row])
            if rep:
                r["id"] = f"{r['id']}-r{rep}"
                r["url"] = f"{r.get('url') or 'http://example.org/a'}?repeat={rep}"
                r["text"] = f"{r['text']}\n(Repeat {rep}.)"
            words += len(r["text"].split())
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return n, words


def timed_ingest(path: Path, db: str, workers: int, executor: str = "process") -> dict[str, Any]:
    """One ingest run: wall seconds, and the steady span from the first stored result."""
    stamps: list[float] = []
    load = os.getloadavg()[0]
    cpu0 = _cpu()
    meter = _DescendantsCPU()
    start = time.perf_counter()
    with Store(db) as store:
        report = executors.run(
            [path], store, workers=workers, executor=executor,
            on_item=lambda _status: stamps.append(time.perf_counter()),
        )
    wall = time.perf_counter() - start
    cpu = _cpu() - cpu0 + meter.stop()
    # Steady rate: articles stored after the first result arrived, over the time they took.
    first = stamps[0] if stamps else start
    steady_n = sum(1 for t in stamps if t > first)
    steady = (stamps[-1] - first) if len(stamps) > 1 else wall
    return {"n": report.coded, "events": report.events, "failed": len(report.failed),
            "wall": wall, "steady_n": steady_n, "steady": max(steady, 1e-9), "cpu": cpu,
            "load": load}


class _DescendantsCPU:
    """CPU seconds of this process's descendants that are not its waited-for children:
    workers forked by the pool's fork server are its grandchildren, whose time
    RUSAGE_CHILDREN never sees. Sampled every SAMPLE_S, the last sample of each counts."""

    def __init__(self) -> None:
        import threading

        import psutil

        self.me, self.seen = psutil.Process(), {}
        self.kids = {p.pid for p in self.me.children()}  # waited for: counted by _cpu
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(SAMPLE_S):
            for p in self.me.children(recursive=True):
                if p.pid in self.kids or p.ppid() == self.me.pid:
                    continue
                try:
                    t = p.cpu_times()
                    self.seen[p.pid] = t.user + t.system
                except Exception:  # noqa: BLE001 - it exited meanwhile
                    pass

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return sum(self.seen.values())


def timed_child(path: Path, db: str, workers: int) -> dict[str, Any]:
    """timed_ingest in a fresh interpreter, as a `tidings ingest` would run: both worker
    counts pay the fork server's loading, neither inherits the other's."""
    out = subprocess.run(
        [sys.executable, __file__, "--speed-child", str(path), db, str(workers)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (the pool's workers): a
    measure of work that other users of a shared machine do not inflate as they do wall
    time."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# How often the RSS sampler looks at the processes. VmHWM (the kernel's own peak RSS of a
# process image) only grows, so sampling misses at most the workers' last half second.
SAMPLE_S = 0.5
# The RSS child prints the peaks so far every this many articles (the trajectory of one run).
RSS_REPORT_EVERY = 1000


def _hwm_kib(pid: int) -> int:
    """Peak RSS of a process image (VmHWM), KiB. Not ru_maxrss: Linux keeps ru_maxrss across
    execve, so a child forked from a big parent would report the parent's size."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_child(path: str, db: str, workers: int, executor: str) -> None:
    """Run in a fresh process: ingest, then print the writer's and each worker's peak RSS."""
    import threading

    import psutil

    me = psutil.Process()
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_S):
            for kid in me.children(recursive=True):
                peaks[kid.pid] = max(peaks.get(kid.pid, 0), _hwm_kib(kid.pid))

    def peaks_now() -> dict[str, int]:
        return {"writer_kib": _hwm_kib(os.getpid()), "worker_kib": max(peaks.values(), default=0)}

    stored = 0

    def progress(_status: str) -> None:
        nonlocal stored
        stored += 1
        if stored % RSS_REPORT_EVERY == 0:  # the peak so far, to see it flat along the run
            print(json.dumps({"stored": stored, **peaks_now()}), flush=True)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with Store(db) as store:
        report = executors.run(
            [path], store, workers=workers, executor=executor, on_item=progress
        )
    done.set()
    sampler.join()
    # The pool's resource tracker is a child too; the workers are the big ones.
    print(json.dumps({"coded": report.coded, **peaks_now()}), flush=True)


def measure_rss(corpus: Path, n: int, tmp: Path, workers: int, executor: str) -> dict[str, Any]:
    path = tmp / f"rss-{n}.jsonl"
    write_corpus(corpus, n, path)
    db = str(tmp / f"rss-{n}.db")
    proc = subprocess.Popen(
        [sys.executable, __file__, "--rss-child", str(path), db, str(workers), executor],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    last: dict[str, Any] = {}
    for line in proc.stdout:
        last = json.loads(line)
        if "stored" in last:
            print(f"    after {last['stored']:6d}: writer {last['writer_kib'] / 1024:7.1f} MiB"
                  f"  largest worker {last['worker_kib'] / 1024:7.1f} MiB", flush=True)
    if proc.wait() != 0:
        raise RuntimeError(f"RSS child for {n} articles failed ({proc.returncode})")
    path.unlink()
    return last


def pg_database() -> tuple[str, Any]:
    """A fresh database on the test server; returns (url, drop function)."""
    import psycopg

    url = os.environ.get("TIDINGS_TEST_PG")
    if not url:
        line = subprocess.run(
            ["bash", str(ROOT / "scripts" / "start_postgres.sh")],
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        url = line.split("=", 1)[1]
    base, _, _ = url.rpartition("/")
    name = f"tidings_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")

    def drop() -> None:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{base}/{name}", drop


def store_rate(coded: list[CodedArticle], db: str) -> tuple[float, int]:
    """Store.add of coded articles, one transaction each: (seconds, events)."""
    start = time.perf_counter()
    events = 0
    with Store(db) as store:
        for c in coded:
            store.add(c.article, c.events, c.sentences)
            events += len(c.events)
    return time.perf_counter() - start, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--quick", action="store_true", help="scaled-down sizes (a few minutes)")
    ap.add_argument("--rss-executor", default="process", choices=["local", "process"])
    ap.add_argument("--skip", nargs="*", default=[], choices=["ratio", "speed", "rss", "store"])
    ap.add_argument("--rss-sizes", type=int, nargs="+", help="override the RSS sizes")
    ap.add_argument("--speed-size", type=int, help="override the speed-up's article count")
    ap.add_argument("--rss-child", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--speed-child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--speed-rounds", type=int, default=2, help="rounds of the speed-up")
    args = ap.parse_args()
    if args.speed_child:
        path, db, workers = args.speed_child
        print(json.dumps(timed_ingest(Path(path), db, int(workers))))
        return
    if args.rss_child:
        path, db, workers, executor = args.rss_child
        rss_child(path, db, int(workers), executor)
        return
    sizes = dict(QUICK if args.quick else FULL)
    if args.rss_sizes:
        sizes["rss"] = tuple(args.rss_sizes)
    if args.speed_size:
        sizes["speed"] = args.speed_size
    print(f"cpus: {os.cpu_count()}  corpus: {args.corpus.name}  sizes: {sizes}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="tidings-bench-"))

    if "ratio" not in args.skip:
        rows = bench_coding.load(args.corpus, sizes["ratio"])
        words = sum(len(r["text"].split()) for r in rows)
        bench_coding.ours(rows[:20])  # warm-up
        t_bare, t_ours = [], []
        for _ in range(bench_coding.ROUNDS):
            t_bare.append(bench_coding.bare(rows))
            t_ours.append(bench_coding.ours(rows)[0])
        b, o = min(t_bare), min(t_ours)
        print(f"\n[1] parse ratio on {len(rows)} articles ({words} words), best of "
              f"{bench_coding.ROUNDS} alternating rounds")
        print(f"  spaCy nlp.pipe alone : {len(rows) / b:7.1f} articles/s {words / b:9.0f} words/s")
        print(f"  tidings pipeline     : {len(rows) / o:7.1f} articles/s {words / o:9.0f} words/s")
        print(f"  ratio tidings/spaCy  : {b / o:.3f}   (target >= 0.8)", flush=True)

    if "speed" not in args.skip:
        path = tmp / "speed.jsonl"
        n, words = write_corpus(args.corpus, sizes["speed"], path)
        runs: dict[int, dict[str, Any]] = {}
        for _ in range(args.speed_rounds):  # alternating, each in a fresh process
            for workers in (1, 2):
                got = timed_child(path, str(tmp / f"speed-{workers}-{uuid.uuid4().hex}.db"),
                                  workers)
                if workers not in runs or got["wall"] < runs[workers]["wall"]:
                    runs[workers] = got
        print(f"\n[2] ingest (SQLite) with a process pool, {n} articles ({words} words), "
              f"best of {args.speed_rounds} rounds, each run in a fresh process")
        for w, r in runs.items():
            print(f"  {w} worker{'s' if w > 1 else ' '}: wall {r['wall']:7.1f} s "
                  f"{r['n'] / r['wall']:7.1f} articles/s {words / r['wall']:8.0f} words/s | "
                  f"steady {r['steady_n'] / r['steady']:7.1f} articles/s | "
                  f"CPU {r['cpu']:6.1f} s ({r['n'] / r['cpu']:.1f} articles per CPU-s) | "
                  f"load avg before {r['load']:.1f}")
        one, two = runs[1], runs[2]
        print(f"  speed-up 2 vs 1 (wall)  : {one['wall'] / two['wall']:.2f}   (target >= 1.8)")
        print(f"  speed-up 2 vs 1 (steady): "
              f"{(two['steady_n'] / two['steady']) / (one['steady_n'] / one['steady']):.2f}")
        # What two free cores would give: twice the one-worker rate, less the extra CPU the
        # two-worker run spent (a second model load, more shards); immune to other load.
        print(f"  CPU-bound speed-up bound (2 x CPU-s ratio): {2 * one['cpu'] / two['cpu']:.2f}",
              flush=True)

    if "rss" not in args.skip:
        workers = 2 if args.rss_executor == "process" else 1
        print(f"\n[3] peak RSS of an ingest ({args.rss_executor}, {workers} worker(s)), "
              "fresh process per size", flush=True)
        peaks = {}
        for n in sizes["rss"]:
            peaks[n] = measure_rss(args.corpus, n, tmp, workers, args.rss_executor)
            p = peaks[n]
            print(f"  {n:6d} articles: coded {p['coded']:6d}  writer {p['writer_kib'] / 1024:7.1f}"
                  f" MiB  largest worker {p['worker_kib'] / 1024:7.1f} MiB", flush=True)
        if len(sizes["rss"]) == 2:
            small, large = (peaks[n] for n in sizes["rss"])
            for key in ("writer_kib", "worker_kib"):
                if small[key]:
                    print(f"  {key[:-4]} growth {sizes['rss'][1]} vs {sizes['rss'][0]}: "
                          f"{100 * (large[key] - small[key]) / small[key]:+.1f}%"
                          "   (target <= +10%)")

    if "store" not in args.skip:
        path = tmp / "store.jsonl"
        n, words = write_corpus(args.corpus, sizes["store"], path)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        coded = [
            c for c in code_articles(
                Article(id=r["id"], text=r["text"], title=r.get("title"), url=r.get("url"),
                        published=r.get("date"), source=r.get("source"), extraction="jsonl")
                for r in rows
            ) if isinstance(c, CodedArticle)
        ]
        pg_url, drop = pg_database()
        try:
            print(f"\n[4] ingest into SQLite and PostgreSQL, {n} articles")
            for name, db in (("SQLite", str(tmp / "store.db")), ("PostgreSQL", pg_url)):
                r = timed_ingest(path, db, 2)
                print(f"  {name:10s} end to end, 2 workers: {r['n'] / r['wall']:7.1f} articles/s "
                      f"(steady {r['steady_n'] / r['steady']:.1f})", flush=True)
            pg2, drop2 = pg_database()
            try:
                for name, db in (("SQLite", str(tmp / "store-only.db")), ("PostgreSQL", pg2)):
                    secs, events = store_rate(coded, db)
                    print(f"  {name:10s} Store.add only       : {len(coded) / secs:7.1f} "
                          f"articles/s {events / secs:8.1f} events/s", flush=True)
            finally:
                drop2()
        finally:
            drop()
    print(f"\n(temporary files in {tmp})")


if __name__ == "__main__":
    main()
