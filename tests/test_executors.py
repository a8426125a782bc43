"""Executors: shards partition the input exactly, and a process pool, a Dask LocalCluster and
a killed-then-resumed run store the same articles and events as one process.

Everything here is real: the reader, the coder, SQLite stores, a spawn process pool, a Dask
LocalCluster with two worker processes, and a subprocess killed with SIGKILL.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tidings import executors, readers
from tidings.executors import Shard, code_shard, plan, read_shard
from tidings.inputs import Source
from tidings.store import Store

ROOT = Path(__file__).resolve().parents[1]
# Real KCNA articles for the coding comparisons: enough for several shards per worker.
N_ARTICLES = 36


def _kcna(shared: Path, n: int) -> list[dict[str, Any]]:
    rows = []
    with open(shared / "corpus" / "kcna_2024_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) >= n:
                break
    return rows


def _key(item: Any) -> str:
    """A comparable form of a reader item."""
    if isinstance(item, readers.ReadFailure):
        return "F " + str(item)
    return "A " + json.dumps(item.to_dict(), sort_keys=True)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    """A directory with every input shape a shard must cut or keep whole, good and broken."""
    rows = _kcna(shared, 12)
    d = tmp_path_factory.mktemp("mixed")
    lines = [json.dumps(r) for r in rows[:6]]
    lines[2:2] = ["", "{not json"]  # a blank line and a malformed one
    (d / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(d / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r) for r in rows[6:9]))  # no final newline
    good = gzip.compress(("\n".join(json.dumps(r) for r in rows[:3]) + "\n").encode())
    (d / "c.jsonl.gz").write_bytes(good[: len(good) // 2])  # truncated gzip
    (d / "d.jsonl").write_text("\n\n", encoding="utf-8")  # only blank lines: empty
    (d / "e.jsonl").write_bytes(b"\x00\x01binary")
    with open(d / "f.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "title", "date", "text"])
        for r in rows[9:12]:  # the texts hold newlines: one row spans several lines
            out.writerow([r["id"] + "-csv", r["title"], r["date"], r["text"]])
    (d / "g.csv").write_text("id,body\nx,no text column\n", encoding="utf-8")
    sub = d / "sub"
    sub.mkdir()
    for r in rows[:3]:
        (sub / f"{r['id']}.txt").write_text(r["text"] + "\nextra line\n", encoding="utf-8")
    (sub / "list.json").write_text(json.dumps([{"id": "j1", "text": rows[4]["text"] + " J"}]))
    (sub / "empty.txt").write_text("")
    (sub / "photo.html").write_bytes(b"%PDF-1.4 not html")
    return d


def test_plan_shards_partition_the_reader_output(mixed: Path) -> None:
    """Every record readers.read gives comes out of exactly one shard (or the plan's own
    failures: paths that cannot be read), in the same order, whatever the cut."""
    inputs = [str(mixed), str(mixed / "missing.jsonl")]
    expected = [_key(x) for x in readers.read(inputs)]
    assert sum(k.startswith("F ") for k in expected) >= 6  # the broken inputs are there
    assert sum(k.startswith("A ") for k in expected) >= 14
    for size in (1, 2, 5, 16, 1000):
        the_plan = plan(inputs, task_records=size)
        got = [_key(x) for s in the_plan.shards for x in read_shard(s)]
        got += [_key(f) for f in the_plan.failures]
        assert got == expected, f"task_records={size}"


def test_plan_cuts_one_jsonl_file_into_ranges(tmp_path: Path, shared: Path) -> None:
    rows = _kcna(shared, 10)
    path = tmp_path / "k.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    the_plan = plan([path], task_records=4)
    assert the_plan.total == 10 == executors.count_records([path])
    assert [(s.start, s.stop) for s in the_plan.shards] == [(0, 4), (4, 8), (8, None)]
    ids = [[a.id for a in read_shard(s)] for s in the_plan.shards]
    assert ids == [[r["id"] for r in rows[k : k + 4]] for k in (0, 4, 8)]
    # Sized from the input: about TASKS_PER_WORKER shards per worker, within the bounds.
    auto = plan([path], workers=2)
    assert len(auto.shards) == 1  # 10 records < MIN_TASK_RECORDS
    assert executors.count_records("-") is None


def _corpus(root: Path, shared: Path) -> Path:
    """N_ARTICLES real KCNA articles: most in a JSONL (with two copies and a broken line),
    some as .txt files, so both the range cut and the file grouping are exercised."""
    rows = _kcna(shared, N_ARTICLES)
    d = root / "corpus"
    (d / "txt").mkdir(parents=True)
    lines = [json.dumps(r) for r in rows[:-6]]
    lines.insert(5, lines[1])  # the same article twice: a duplicate in one run
    lines.insert(9, "{broken")
    # The same text under another id, at the end: in another shard than its first copy. The
    # store keeps the first copy; a parallel run must keep the same one.
    lines.append(json.dumps({**rows[2], "id": "copy-of-" + rows[2]["id"]}))
    (d / "kcna.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for r in rows[-6:]:
        (d / "txt" / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    return d


def _snapshot(db: str) -> dict[str, Any]:
    """What a store holds, independent of the order it was written in."""
    with Store(db) as store:
        ids = sorted(store.ids())
        events = sorted(json.dumps(e, sort_keys=True) for e in store.events())
        articles = {i: store.article(i) for i in ids}
    for a in articles.values():
        a.pop("added_at")  # the one field that is the time of writing
    return {"ids": ids, "events": events, "articles": articles}


def _report(report: Any) -> tuple[int, int, int, list[str]]:
    return report.coded, report.duplicate, report.events, sorted(map(str, report.failed))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Path:
    return _corpus(tmp_path_factory.mktemp("corpus"), shared)


_SINGLE_RUN = """
import json, sys
from tidings.ingest import ingest
from tidings.store import Store
with Store(sys.argv[1]) as store:
    r = ingest([sys.argv[2]], store, date="2024-01-01")
print(json.dumps([r.coded, r.duplicate, r.events, sorted(map(str, r.failed))]))
"""


@pytest.fixture
def reference(corpus: Path, tmp_path: Path) -> dict[str, Any]:
    """The single-process ingest (tidings.ingest) of the corpus: what every executor must
    reproduce. It runs in a fresh interpreter just before the run it is compared with, so
    both import the same coder (this test process imported its modules long before, and
    pool and Dask workers import them anew)."""
    db = str(tmp_path / "ref.db")
    out = subprocess.run(
        [sys.executable, "-c", _SINGLE_RUN, db, str(corpus)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    coded, duplicate, events, failed = json.loads(out.stdout.strip().splitlines()[-1])
    snap = _snapshot(db)
    assert coded == N_ARTICLES and duplicate == 2 and len(failed) == 1
    assert snap["events"], "the corpus must give events for the comparison to mean anything"
    return {"corpus": corpus, "report": (coded, duplicate, events, failed), "snapshot": snap}


def test_process_pool_stores_what_one_process_stores(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    db = str(tmp_path / "pool.db")
    seen: list[str] = []
    totals: list[int | None] = []
    with Store(db) as store:
        report = executors.run(
            [reference["corpus"]], store, workers=2, executor="process", date="2024-01-01",
            on_item=seen.append, on_total=totals.append,
        )
    assert _report(report) == reference["report"]
    assert _snapshot(db) == reference["snapshot"]
    assert len(seen) == N_ARTICLES + 3 and totals == [N_ARTICLES + 3]
    assert seen.count("duplicate") == 2 and seen.count("failed") == 1
    # A rerun codes nothing: every article is skipped as stored, before parsing.
    with Store(db) as store:
        again = executors.run(
            [reference["corpus"]], store, workers=2, executor="process", date="2024-01-01"
        )
    assert (again.coded, again.duplicate) == (0, N_ARTICLES + 2)
    assert _snapshot(db) == reference["snapshot"]


def test_dask_local_cluster_stores_what_one_process_stores(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    db = str(tmp_path / "dask.db")
    with Store(db) as store:
        report = executors.run(
            [reference["corpus"]], store, workers=2, executor="dask", date="2024-01-01"
        )
    assert _report(report) == reference["report"]
    assert _snapshot(db) == reference["snapshot"]


def test_dask_with_a_scheduler_address(reference: dict[str, Any], tmp_path: Path) -> None:
    """--scheduler tcp://HOST:PORT: the same shard function on a cluster we did not start."""
    from distributed import LocalCluster

    db = str(tmp_path / "remote.db")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Store(db) as store:
        assert cluster.scheduler_address.startswith("tcp://")
        report = executors.run(
            [reference["corpus"]], store, executor="dask", scheduler=cluster.scheduler_address,
            date="2024-01-01",
        )
    assert _report(report) == reference["report"]
    assert _snapshot(db) == reference["snapshot"]


def test_code_shard_skips_known_ids_without_coding(corpus: Path) -> None:
    shard = Shard((Source(str(corpus / "kcna.jsonl"), "kcna"),), date="2024-01-01", start=0,
                  stop=4)
    first = code_shard(shard)
    ids = [r["article"]["id"] for r in first if "article" in r]
    assert len(ids) == 4 and all(r["events"] is not None for r in first)
    again = code_shard(shard, frozenset(ids[:2]))
    assert [r.get("skipped") for r in again[:2]] == ids[:2]
    assert [r["article"]["id"] for r in again[2:]] == ids[2:]


# How long the killed ingest may take to store its first article: 20 ms polls, 10 minutes
# (start-up of a spawn pool and the model on a loaded 2-core machine took up to a minute).
KILL_WAIT_POLLS = 30_000

_KILLED_RUN = """
import sys
from tidings import executors
from tidings.store import Store
with Store(sys.argv[1]) as store:
    executors.run([sys.argv[2]], store, workers=2, executor="process", date="2024-01-01",
                  task_records=2)
"""


def _stored(db: str) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet, or schema not there yet
        return 0


def test_killed_ingest_resumes_to_the_single_run_result(
    reference: dict[str, Any], tmp_path: Path
) -> None:
    """SIGKILL an ingest once it has stored some articles; the rerun completes the store
    with no duplicate and no half-written article."""
    db = str(tmp_path / "killed.db")
    log = tmp_path / "killed.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILLED_RUN, db, str(reference["corpus"])],
            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=err,
        )
    try:
        polls = 0
        while _stored(db) == 0:
            assert proc.poll() is None, log.read_text()
            polls += 1
            assert polls < KILL_WAIT_POLLS, "the ingest stored nothing: " + log.read_text()
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        try:  # the pool workers of the killed run (its own process group)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert proc.returncode == -signal.SIGKILL
    stored = _stored(db)
    assert 0 < stored < N_ARTICLES, "the kill must land midway for the test to mean anything"
    with Store(db) as store:
        report = executors.run(
            [reference["corpus"]], store, workers=2, executor="process", date="2024-01-01"
        )
    assert report.coded == N_ARTICLES - stored
    assert report.duplicate == stored + 2
    assert _snapshot(db) == reference["snapshot"]


def test_run_rejects_bad_options(tmp_path: Path) -> None:
    with Store(str(tmp_path / "x.db")) as store:
        with pytest.raises(ValueError, match="executor"):
            executors.run([], store, executor="threads")
        with pytest.raises(ValueError, match="workers"):
            executors.run([], store, workers=0, executor="process")


def test_stdin_is_read_once_and_shipped_as_articles(
    monkeypatch: pytest.MonkeyPatch, shared: Path
) -> None:
    """A worker cannot reopen the parent's stdin: the plan carries its articles."""
    rows = _kcna(shared, 5)
    data = ("\n".join(json.dumps(r) for r in rows) + "\n{broken\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    the_plan = plan(["-"], task_records=2)
    assert [(f.origin, f.kind) for f in the_plan.failures] == [("<stdin>:6", "malformed")]
    assert [len(s.articles) for s in the_plan.shards] == [2, 2, 1]
    assert [a.id for s in the_plan.shards for a in read_shard(s)] == [r["id"] for r in rows]


def test_in_order_yields_in_plan_order_within_the_window() -> None:
    """Shards finishing out of order are stored in input order, never more than ``window``
    submitted or waiting at once."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    shards = [Shard(("x",), start=i, stop=i + 1) for i in range(12)]
    held: list[int] = []
    outstanding = 0

    def work(shard: Shard) -> list[dict[str, Any]]:
        time.sleep(0.05 * (shard.start % 3 == 0))  # every third shard finishes last
        return [{"skipped": str(shard.start)}]

    with ThreadPoolExecutor(max_workers=3) as pool:

        def submit(shard: Shard) -> Any:
            nonlocal outstanding
            outstanding += 1
            held.append(outstanding)
            return pool.submit(work, shard)

        got = []
        for batch in executors.in_order(
            shards, submit, lambda fs: wait(fs, return_when=FIRST_COMPLETED).done, window=4
        ):
            outstanding -= 1
            got.extend(int(r["skipped"]) for r in batch)
    assert got == list(range(12))
    assert max(held) == 4
