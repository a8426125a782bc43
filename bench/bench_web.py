"""Every analyst page on a 200,000-event store, measured in one run (issue #12, Scale).

    python bench/bench_web.py                          # ingest the KCNA corpus, repeat it
    python bench/bench_web.py --base coded.db          # start from a store already coded
    python bench/bench_web.py --events 20000 --runs 3  # a smaller store, quicker
    python bench/bench_web.py --store big.db           # measure a store built before (--keep)

Builds the store by repeating the coded corpus with shifted dates: copy k of every article
and event is published k months earlier (year-only dates k // 12 years earlier), with its own
ids, URLs, text hashes and event clusters, so the copies never merge with each other; the
copies' analyst-view columns (migration 3) are derived by the store's own upgrade at open,
which is timed too. Then, in-process (FastAPI's test client: no network, the server's time
alone), every page and API route of the five analyst tasks is requested once cold (a fresh
app: no per-state cache) and ``--runs`` times warm, and the median is printed beside the
500 ms target. Prints timings measured in this run only; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "kcna_2024_dev.jsonl"
TARGET_MS = 500.0
DEFAULT_EVENTS = 200_000
DEFAULT_RUNS = 5

# (name, path): every page of the five tasks and the API routes behind them.
PAGES = [
    ("home", "/"),
    ("search", "/?q=Putin+Vladivostok"),
    ("search, filtered", "/?q=Russia&since=2024-07&until=2024-09"),
    ("events", "/events"),
    ("events, dyad", "/events?a=DPRK&b=Russia"),
    ("events, task 2", "/events?a=DPRK&b=Japan&dir=ab&since=2024-07&until=2024-07"),
    ("events, mentions by score", "/events?count=mentions&sort=goldstein&order=desc"),
    ("events, deep page", "/events?offset=100000"),
    ("events, one place", "/events?place=PRK%2FPyongyang&geo=dateline"),
    ("dyad, empty", "/dyad"),
    ("dyad PRK-RUS", "/dyad?a=PRK&b=RUS"),
    ("dyad PRK-RUS, by month, share", "/dyad?a=North+Korea&b=Russia&by=month&share=1"),
    ("actors", "/actors"),
    ("actors, countries", "/actors?tab=countries"),
    ("counterparts of DPRK", "/actors?actor=DPRK"),
    ("actor PRK (roll-up)", "/actors/PRK"),
    ("actor PRKGOV (roll-up)", "/actors/PRKGOV"),
    ("actor Kim Jong Un", "/actors/Kim%20Jong%20Un"),
    ("network", "/network"),
    ("map", "/map"),
    ("map, cities", "/map?geo=city"),
    ("article", None),  # filled with a stored article's page
    ("API events", "/api/events?limit=50"),
    ("API timeline", "/api/timeline?a=PRK&b=RUS"),
    ("API actors", "/api/actors"),
    ("API network", "/api/network"),
    ("API locations", "/api/locations"),
    ("API place list", "/api/events?place=PRK%2FPyongyang&geo=dateline&limit=10&offset=10"),
    ("API suggest", "/api/actors/suggest?q=Put"),
]

_SHIFT = """CASE length({c})
    WHEN 10 THEN date({c}, '-{k} months')
    WHEN 7 THEN substr(date({c} || '-01', '-{k} months'), 1, 7)
    WHEN 4 THEN printf('%04d', CAST({c} AS INTEGER) - {years})
    ELSE {c} END"""


def shift(column: str, k: int) -> str:
    """SQL for a YYYY[-MM[-DD]] column moved k months back (a year-only date k // 12 years)."""
    return _SHIFT.format(c=column, k=k, years=k // 12)


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def copy_once(conn: sqlite3.Connection, k: int, top: dict[str, int]) -> None:
    """Copy k of every base article, event and evidence span (pks offset by k * base max)."""
    a_cols = columns(conn, "articles")
    a_exprs = {c: c for c in a_cols}
    a_exprs.update({
        "pk": f"pk + {k * top['articles']}", "id": f"id || '~{k}'",
        "text_hash": f"text_hash || '~{k}'", "url_norm": f"url_norm || '#copy{k}'",
        "url_key": f"url_key || '#copy{k}'", "published": shift("published", k),
        "original_pk": f"original_pk + {k * top['articles']}",
    })
    conn.execute(f"INSERT INTO articles ({', '.join(a_cols)}) SELECT "
                 f"{', '.join(a_exprs[c] for c in a_cols)} FROM articles"
                 f" WHERE pk <= {top['articles']}")
    e_cols = [c for c in columns(conn, "events")]
    e_exprs = {c: c for c in e_cols}
    e_exprs.update({
        "pk": f"pk + {k * top['events']}", "article_pk": f"article_pk + {k * top['articles']}",
        "doc_id": f"doc_id || '~{k}'", "date": shift("date", k),
        "cluster_id": f"cluster_id || '~{k}'", "cluster_key": f"cluster_key || '~{k}'",
        "cluster_date": shift("cluster_date", k), "derive_version": "0",
    })
    conn.execute(f"INSERT INTO events ({', '.join(e_cols)}) SELECT "
                 f"{', '.join(e_exprs[c] for c in e_cols)} FROM events"
                 f" WHERE pk <= {top['events']}")
    conn.execute("INSERT INTO evidence_spans (event_pk, seq, start_char, end_char,"
                 f" sentence_index) SELECT event_pk + {k * top['events']}, seq, start_char,"
                 f" end_char, sentence_index FROM evidence_spans WHERE event_pk <= {top['events']}")


def build(base: Path, out: Path, events: int) -> dict[str, Any]:
    """The big store at ``out``: ``base`` repeated until it holds about ``events`` events."""
    shutil.copy(base, out)
    conn = sqlite3.connect(out, isolation_level=None)
    top = {"articles": conn.execute("SELECT MAX(pk) FROM articles").fetchone()[0],
           "events": conn.execute("SELECT MAX(pk) FROM events").fetchone()[0]}
    n_base = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    copies = max(0, math.ceil(events / n_base) - 1)
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for k in range(1, copies + 1):
        copy_once(conn, k, top)
    conn.execute("COMMIT")
    copied = time.perf_counter() - t0
    conn.close()
    from tidings.store import Store

    t0 = time.perf_counter()
    with Store(str(out)) as store:  # the upgrade derives the copies' view columns
        n_events, n_articles = store.count_events(), store.count_articles()
    derived = time.perf_counter() - t0
    return {"copies": copies, "events": n_events, "articles": n_articles,
            "copy_s": copied, "derive_s": derived}


def coded_base(work: Path) -> Path:
    """The KCNA corpus coded into a store by `tidings ingest` (done once per work dir)."""
    path = work / "base.db"
    if not path.exists():
        subprocess.run([sys.executable, "-c", "from tidings.cli import main; main()", "ingest",
                        str(CORPUS), "--db", str(path)], check=False, cwd=ROOT)
    return path


def timed(client: Any, path: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    r = client.get(path)
    return (time.perf_counter() - t0) * 1000, r.status_code


def measure(db: Path, runs: int) -> list[tuple[str, str, int, float, float]]:
    """(name, path, status, cold ms, warm median ms) of every page."""
    from fastapi.testclient import TestClient

    from tidings.store import Store
    from tidings.web.app import create_app

    with Store(str(db)) as store:
        first = store.view_events(store_filter(), unique=False, limit=1)[0]["doc_id"]
    out = []
    for name, path in PAGES:
        path = path or f"/articles/{first}"
        with Store(str(db)) as store:
            client = TestClient(create_app(store))  # a fresh app: nothing cached
            cold, status = timed(client, path)
            warm = statistics.median(timed(client, path)[0] for _ in range(runs))
        out.append((name, path, status, cold, warm))
    return out


def store_filter() -> Any:
    from tidings.store.views import ViewFilter

    return ViewFilter()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, help="a coded store to repeat (default: ingest the"
                                               " KCNA corpus)")
    ap.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    ap.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="warm requests per page")
    ap.add_argument("--work", type=Path, help="where the stores go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the big store after the run")
    ap.add_argument("--store", type=Path, help="measure this store as it is (no build)")
    args = ap.parse_args()
    if args.store:
        big = args.store
        args.keep = True
    else:
        work = args.work or Path(tempfile.mkdtemp(prefix="tidings-bench-web-"))
        work.mkdir(parents=True, exist_ok=True)
        base = args.base or coded_base(work)
        big = work / f"web-{args.events}.db"
        info = build(base, big, args.events)
        print(f"store: {info['events']:,} events, {info['articles']:,} articles "
              f"({info['copies']} shifted copies of {base.name}); copied in "
              f"{info['copy_s']:.1f} s, view columns derived at open in "
              f"{info['derive_s']:.1f} s")
    rows = measure(big, args.runs)
    print(f"\n{'page':34} {'status':>6} {'cold ms':>9} {'warm ms':>9}  vs {TARGET_MS:.0f} ms")
    for name, path, status, cold, warm in rows:
        verdict = "ok" if max(cold, warm) < TARGET_MS else "OVER"
        print(f"{name:34} {status:>6} {cold:9.0f} {warm:9.0f}  {verdict}   {path}")
    worst = max(rows, key=lambda r: max(r[3], r[4]))
    print(f"\nslowest: {worst[0]} ({max(worst[3], worst[4]):.0f} ms); pages over "
          f"{TARGET_MS:.0f} ms: {sum(max(r[3], r[4]) >= TARGET_MS for r in rows)} of {len(rows)}")
    if not args.keep:
        big.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(big) + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
