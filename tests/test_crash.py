"""Crash safety of `tidings ingest`: real SIGKILLs, a full disk and a read-only store.

Why: the store promises one transaction per article, so a killed ingest must leave only whole
articles and a rerun must finish the job with exactly the articles and events of an
uninterrupted run. These tests hold the promise to account with a real subprocess killed
by SIGKILL at seeded random points, on SQLite and on PostgreSQL.

Design (cheap where it does not weaken the test): one reference run codes the corpus
uninterrupted; then ONE long sequence on a second store — start, SIGKILL, check, start again
— until a run finishes. Most kills land while articles are being written (the parent polls
the store until it holds a seeded random number of articles, then waits a random moment);
a few land during start-up and schema creation. After every kill the store must pass its
integrity checks and hold only articles identical, row for row, to the reference; at the end
it must equal the reference.

Full disk is RLIMIT_FSIZE in the child (writes past the limit fail with EFBIG; SIGXFSZ is
ignored so the process sees the error instead of dying): it needs no root and no mount. A
read-only store is a chmod 0444 file in a 0555 directory; as root (who ignores modes) the
child runs without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH, so modes bind it too. Both must
end with a one-line error (no traceback), a non-zero exit, and the stored articles intact.
They need the CLI to turn store errors into that line (see the issue #7 report); until then
they fail, which is the point.

Figures (kill points survived, articles lost) are printed; run with ``-s`` to see them:
``pytest tests/test_crash.py -s``.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pgtest import pg_schema_named

# A few hundred real articles: enough batches (the pipeline codes 64 at a time) that kills
# fall inside batches, between them and in the skip phase of a rerun.
ARTICLES = 200
# Longer texts only cost parse time without adding anything the kills could find; the
# median KCNA article is about 1,150 characters, so this keeps most of them.
MAX_TEXT_CHARS = 3000
# The issue asks for at least 20 kill points per backend: WRITE_KILLS land while articles are
# being written, START_KILLS during start-up (the first of them during schema creation).
WRITE_KILLS = 20
START_KILLS = 2
SEED = 7  # fixed: a failure must be reproducible
POLL_S = 0.02  # how often the parent looks at the store while a child runs
# Hard bound on one child's life (start-up loads spaCy and lingua: seconds, not minutes);
# the test never asserts on time, this only keeps a hung child from hanging the suite.
CHILD_TIMEOUT_S = 600
# Extra starts allowed beyond the planned kills, for children that finish before the kill.
SPARE_STARTS = 10
# Full-disk test: articles stored before the disk "fills", and how many more are offered.
STORED_BEFORE = 8
OFFERED_AFTER = 30
# Bytes a file may grow past the stored database before writes fail: a few WAL frames
# (4 KiB pages), so the limit is hit after an article or two of the new run.
FSIZE_SLACK = 48 * 1024


# --------------------------------------------------------------------------------------------
# the corpus and the child process


def make_corpus(shared: Path, path: Path, n: int = ARTICLES, start: int = 0) -> list[str]:
    """Write ``n`` real KCNA articles (distinct id, text and URL) as JSONL; return their ids."""
    seen_text: set[str] = set()
    seen_url: set[str] = set()
    ids: list[str] = []
    rows: list[str] = []
    skipped = 0
    with open(shared / "corpus" / "kcna_2024_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            text, url = d["text"].strip(), d.get("url")
            if len(text) > MAX_TEXT_CHARS or text in seen_text or url in seen_url:
                continue
            seen_text.add(text)
            seen_url.add(url)
            if skipped < start:
                skipped += 1
                continue
            rows.append(line if line.endswith("\n") else line + "\n")
            ids.append(d["id"])
            if len(ids) >= n:
                break
    assert len(ids) == n, f"only {len(ids)} distinct articles in the corpus"
    path.write_text("".join(rows), encoding="utf-8")
    return ids


def ingest_cmd(corpus: Path, db: str) -> list[str]:
    """The CLI exactly as a user runs it (console-script entry point)."""
    return [sys.executable, "-c", "from tidings.cli import main; main()", "ingest",
            str(corpus), "--db", db]


def snapshot(tmp: Path) -> dict[str, str]:
    """Environment for children that run a frozen copy of the package.

    The reference and every restarted run must code with the same code; a working tree that
    is edited while the (minutes-long) sequence runs would otherwise show up as "articles
    differ". The children run with PYTHONPATH at the copy and their cwd outside the tree.
    """
    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "tidings", tmp / "snapshot" / "tidings",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(tmp / "snapshot"), *filter(None, [env.get("PYTHONPATH")])])
    return env


def start(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with open(log, "ab") as fh:
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=fh, env=env,
                                cwd=log.parent)


# --------------------------------------------------------------------------------------------
# the two backends: counting, dumping and checking a store from outside the child


class Backend:
    """Read access to one store, independent of tidings' own Store class."""

    target: str

    def count(self) -> int:
        """Articles committed so far (0 while the schema does not exist yet)."""
        raise NotImplementedError

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def check(self) -> list[str]:
        """Integrity problems of the store's files / indexes (empty when sound)."""
        raise NotImplementedError

    def has_schema(self) -> bool:
        """Whether the child got as far as creating the tables (a kill may come earlier)."""
        raise NotImplementedError

    def dump(self) -> dict[str, dict[str, Any]]:
        """Article id → every stored row of that article (ids of rows are not compared:
        PostgreSQL spends identity values on rolled-back inserts)."""
        out: dict[str, dict[str, Any]] = {}
        cols = ("id, title, subtitle, byline, source, url, url_norm, published,"
                " dateline_place, dateline_date, language, caption, extraction, origin, meta,"
                " text, text_hash")
        for row in self.rows(f"SELECT {cols} FROM articles"):
            out[row[0]] = {"article": row, "sentences": [], "events": [], "evidence": []}
        for row in self.rows("SELECT a.id, s.idx, s.start_char, s.end_char, s.text FROM"
                             " sentences s JOIN articles a ON a.pk = s.article_pk"
                             " ORDER BY a.id, s.idx"):
            out[row[0]]["sentences"].append(row)
        ecols = self.event_columns()
        for row in self.rows(f"SELECT a.id, {', '.join('e.' + c for c in ecols)} FROM events e"
                             " JOIN articles a ON a.pk = e.article_pk ORDER BY a.id, e.seq"):
            out[row[0]]["events"].append(row)
        for row in self.rows("SELECT a.id, e.seq, v.seq, v.start_char, v.end_char,"
                             " v.sentence_index FROM evidence_spans v"
                             " JOIN events e ON e.pk = v.event_pk"
                             " JOIN articles a ON a.pk = e.article_pk ORDER BY a.id, e.seq, v.seq"):
            out[row[0]]["evidence"].append(row)
        return out

    def event_columns(self) -> list[str]:
        raise NotImplementedError

    def orphans(self) -> list[str]:
        """Rows whose parent is missing, duplicated articles: what a torn write would leave."""
        checks = {
            "events without article": "SELECT count(*) FROM events e LEFT JOIN articles a"
            " ON a.pk = e.article_pk WHERE a.pk IS NULL",
            "sentences without article": "SELECT count(*) FROM sentences s LEFT JOIN articles a"
            " ON a.pk = s.article_pk WHERE a.pk IS NULL",
            "evidence without event": "SELECT count(*) FROM evidence_spans v LEFT JOIN events e"
            " ON e.pk = v.event_pk WHERE e.pk IS NULL",
            "duplicate article ids": "SELECT count(*) - count(DISTINCT id) FROM articles",
            "articles without sentences": "SELECT count(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM sentences s WHERE s.article_pk = a.pk)",
        }
        return [f"{name}: {n}" for name, sql in checks.items()
                if (n := self.rows(sql)[0][0])]


class SQLiteBackend(Backend):
    def __init__(self, path: Path) -> None:
        self.target = str(path)

    def _connect(self) -> sqlite3.Connection:
        # A plain reader: in WAL mode it never blocks the child's writes.
        conn = sqlite3.connect(self.target, timeout=30)
        conn.execute("PRAGMA busy_timeout = 30000")
        return conn

    def count(self) -> int:
        if not Path(self.target).exists():
            return 0
        conn = self._connect()
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:  # no schema yet (the child is still migrating)
            return 0
        finally:
            conn.close()

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        conn = self._connect()
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def event_columns(self) -> list[str]:
        cols = [r[1] for r in self.rows("PRAGMA table_info(events)")]
        return [c for c in cols if c not in ("pk", "article_pk")]

    def has_schema(self) -> bool:
        return Path(self.target).exists() and bool(self.rows(
            "SELECT 1 FROM sqlite_master WHERE name = 'evidence_spans'"))

    def check(self) -> list[str]:
        problems = []
        result = [r[0] for r in self.rows("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"integrity_check: {result[:5]}")
        if not self.has_schema():
            return problems
        conn = self._connect()
        try:  # the FTS5 index must agree with the articles it indexes
            conn.execute(
                "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"fts5 integrity-check: {exc}")
        finally:
            conn.close()
        fts = self.rows("SELECT count(*) FROM articles_fts")[0][0]
        if fts != self.count():
            problems.append(f"fts rows {fts} != articles {self.count()}")
        return problems + self.orphans()


class PostgresBackend(Backend):
    def __init__(self, url: str, schema: str) -> None:
        self.target = url
        self.schema = schema

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.target, autocommit=True)

    def count(self) -> int:
        import psycopg

        with self._connect() as conn:
            try:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except psycopg.errors.UndefinedTable:
                return 0

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self._connect() as conn:
            return conn.execute(sql).fetchall()

    def event_columns(self) -> list[str]:
        rows = self.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'"
            f" AND table_schema = '{self.schema}' ORDER BY ordinal_position")
        return [r[0] for r in rows if r[0] not in ("pk", "article_pk")]

    def has_schema(self) -> bool:
        return bool(self.rows(
            "SELECT 1 FROM information_schema.tables WHERE table_name = 'evidence_spans'"
            f" AND table_schema = '{self.schema}'"))

    def check(self) -> list[str]:
        """amcheck over every B-tree index (and heap, PG 14+) of the schema when available."""
        import psycopg

        problems = []
        with self._connect() as conn:
            try:  # in public, not in this test's schema: dropping that must not drop it
                conn.execute("CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public")
            except psycopg.Error:
                pass  # not installed / not superuser: the row checks below still run
            ext = conn.execute("SELECT extnamespace::regnamespace::text FROM pg_extension"
                               " WHERE extname = 'amcheck'").fetchone()
            if ext is not None:
                ns = ext[0]
                indexes = conn.execute(
                    "SELECT c.oid, c.relname FROM pg_index i"
                    " JOIN pg_class c ON c.oid = i.indexrelid"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " JOIN pg_am am ON am.oid = c.relam"
                    " WHERE n.nspname = %s AND am.amname = 'btree'", (self.schema,)).fetchall()
                for oid, name in indexes:
                    try:
                        conn.execute(f"SELECT {ns}.bt_index_check(%s, true)", (oid,))
                    except psycopg.Error as exc:
                        problems.append(f"bt_index_check {name}: {exc}")
                has_heap = conn.execute(
                    "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    " WHERE proname = 'verify_heapam' AND nspname = %s", (ns,)).fetchone()
                if has_heap:
                    for table in ("articles", "sentences", "events", "evidence_spans"):
                        bad = conn.execute(
                            f"SELECT count(*) FROM {ns}.verify_heapam("
                            f"'{self.schema}.{table}'::regclass)").fetchone()[0]
                        if bad:
                            problems.append(f"verify_heapam {table}: {bad} problems")
        return problems + (self.orphans() if self.has_schema() else [])


def pg_schema() -> AbstractContextManager[tuple[str, str]]:
    """(URL whose search_path is a fresh schema, schema name); the schema is dropped after."""
    return pg_schema_named("tidings_crash")


# --------------------------------------------------------------------------------------------
# the kill sequence


@dataclass
class Figures:
    backend: str
    articles: int = 0
    kills: int = 0  # SIGKILLs that hit a running child
    start_kills: int = 0  # of which before the child had written its first new article
    missed: int = 0  # children that finished before their kill
    lost: set[str] = field(default_factory=set)
    starts: int = 0

    def line(self) -> str:
        return (f"[crash figures] {self.backend}: {self.articles} articles, "
                f"kill points survived {self.kills} ({self.start_kills} during start-up), "
                f"children finished before their kill {self.missed}, starts {self.starts}, "
                f"articles lost {len(self.lost)}")


def wait_for_count(proc: subprocess.Popen[bytes], store: Backend, n: int) -> float:
    """Poll until the store holds ``n`` articles or the child exited; seconds waited."""
    t0 = time.monotonic()
    while proc.poll() is None and store.count() < n:
        time.sleep(POLL_S)
    return time.monotonic() - t0


def reference_run(corpus: Path, store: Backend, log: Path,
                  env: dict[str, str]) -> tuple[float, float]:
    """Uninterrupted ingest; (seconds to the first stored article, seconds of writing).

    Measured only to spread the kill delays over the run; nothing asserts on them.
    """
    t0 = time.monotonic()
    proc = start(ingest_cmd(corpus, store.target), log, env)
    first = wait_for_count(proc, store, 1)
    rc = proc.wait(timeout=CHILD_TIMEOUT_S)
    assert rc == 0, log.read_text(errors="replace")[-3000:]
    return first, max(time.monotonic() - t0 - first, POLL_S)


def check_partial(store: Backend, reference: dict[str, dict[str, Any]],
                  seen: set[str], fig: Figures) -> None:
    """After a kill: sound files and indexes, only whole articles, none lost."""
    problems = store.check()
    assert not problems, f"after kill {fig.kills}: {problems}"
    got = store.dump() if store.has_schema() else {}
    stray = set(got) - set(reference)
    assert not stray, f"after kill {fig.kills}: articles not in the reference: {sorted(stray)}"
    for aid, rows in got.items():
        assert rows == reference[aid], f"after kill {fig.kills}: article {aid} differs"
    fig.lost |= seen - set(got)
    seen |= set(got)


def kill_sequence(corpus: Path, store: Backend, reference: dict[str, dict[str, Any]],
                  first_write_s: float, writing_s: float, log: Path, fig: Figures,
                  env: dict[str, str]) -> None:
    """Start, SIGKILL, check, start again ... until a child finishes; then compare."""
    rng = random.Random(SEED)
    n = len(reference)
    # Write-phase kills come at seeded random article counts spread over the whole run, each
    # a random moment (up to two articles' worth of the reference's pace) after the child
    # stored that many: inside a transaction, between two, or in the next batch's parse.
    # The last tenth is left free: a kill lands a little after its target, and targets too
    # close to the end would find the run already finished.
    targets = sorted(rng.sample(range(1, n * 9 // 10), WRITE_KILLS))
    per_article = writing_s / n
    planned = WRITE_KILLS + START_KILLS
    # Slot 0: the first kill hits a fresh store, during start-up and schema creation; the
    # other start-up kills come in the first half, while most articles are still to code.
    start_slots = set(rng.sample(range(1, planned // 2), START_KILLS - 1)) | {0}
    seen: set[str] = set()
    while True:
        fig.starts += 1
        assert fig.starts <= planned + SPARE_STARTS, "the kill sequence did not converge"
        before = store.count()
        proc = start(ingest_cmd(corpus, store.target), log, env)
        slot = fig.kills + fig.missed
        if slot < planned:
            if slot in start_slots:
                time.sleep(rng.uniform(0, first_write_s))
                phase = "start"
            else:
                wait_for_count(proc, store, max(targets.pop(0), before + 1))
                time.sleep(rng.uniform(0, 2 * per_article))
                phase = "write"
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=CHILD_TIMEOUT_S)
                fig.kills += 1
                fig.start_kills += phase == "start"
                check_partial(store, reference, seen, fig)
                continue
            fig.missed += 1
        rc = proc.wait(timeout=CHILD_TIMEOUT_S)
        assert rc == 0, log.read_text(errors="replace")[-3000:]
        break
    check_partial(store, reference, seen, fig)
    final = store.dump()
    fig.lost |= set(reference) - set(final)
    assert set(final) == set(reference)
    assert final == reference  # article for article, event for event


def run_crash_test(shared: Path, tmp: Path, ref: Backend, crash: Backend, name: str) -> Figures:
    corpus = tmp / "corpus.jsonl"
    ids = make_corpus(shared, corpus)
    env = snapshot(tmp)
    first_write_s, writing_s = reference_run(corpus, ref, tmp / "reference.log", env)
    reference = ref.dump()
    assert set(reference) == set(ids)
    assert sum(len(r["events"]) for r in reference.values()) > 0
    fig = Figures(backend=name, articles=len(ids))
    try:
        kill_sequence(corpus, crash, reference, first_write_s, writing_s, tmp / "crash.log",
                      fig, env)
    finally:
        print("\n" + fig.line())
    assert fig.kills >= WRITE_KILLS  # the kills did land (not after the run had finished)
    assert not fig.lost
    return fig


@pytest.mark.slow
def test_sigkill_sqlite(shared: Path, tmp_path: Path) -> None:
    run_crash_test(shared, tmp_path, SQLiteBackend(tmp_path / "reference.db"),
                   SQLiteBackend(tmp_path / "crash.db"), "sqlite")


@pytest.mark.slow
@pytest.mark.postgres
def test_sigkill_postgres(shared: Path, tmp_path: Path) -> None:
    with pg_schema() as (ref_url, ref_schema), pg_schema() as (url, schema):
        run_crash_test(shared, tmp_path, PostgresBackend(ref_url, ref_schema),
                       PostgresBackend(url, schema), "postgres")


# --------------------------------------------------------------------------------------------
# full disk and read-only store


def assert_clear_error(proc: subprocess.CompletedProcess[bytes], what: str) -> str:
    """Non-zero exit, no traceback, one line that says what went wrong."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode not in (0, -signal.SIGXFSZ), (proc.returncode, err[-2000:])
    assert "Traceback" not in err and "─ Traceback" not in err, err[-3000:]
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, f"{what}: expected one line of error, got:\n{err[-3000:]}"
    return lines[0]


def seeded_store(shared: Path, tmp: Path) -> tuple[Path, Path, dict[str, dict[str, Any]]]:
    """A SQLite store holding STORED_BEFORE articles, and a corpus offering more."""
    first, more = tmp / "first.jsonl", tmp / "more.jsonl"
    make_corpus(shared, first, STORED_BEFORE)
    make_corpus(shared, more, OFFERED_AFTER, start=STORED_BEFORE)
    db = tmp / "store.db"
    rc = subprocess.run(ingest_cmd(first, str(db)), capture_output=True, timeout=CHILD_TIMEOUT_S)
    assert rc.returncode == 0, rc.stderr.decode(errors="replace")[-3000:]
    before = SQLiteBackend(db).dump()
    assert len(before) == STORED_BEFORE
    return db, more, before


def test_full_disk_is_a_clear_error_and_loses_nothing(shared: Path, tmp_path: Path) -> None:
    db, more, before = seeded_store(shared, tmp_path)
    limit = max(p.stat().st_size for p in tmp_path.glob("store.db*")) + FSIZE_SLACK

    def full_disk() -> None:  # in the child, before exec: files cannot grow past `limit`
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(ingest_cmd(more, str(db)), capture_output=True,
                          preexec_fn=full_disk, timeout=CHILD_TIMEOUT_S)
    line = assert_clear_error(proc, "full disk")
    print(f"\n[full disk] exit {proc.returncode}: {line}")
    store = SQLiteBackend(db)
    assert store.check() == []
    after = store.dump()
    assert {k: after[k] for k in before} == before  # nothing stored before is lost
    assert len(after) < STORED_BEFORE + OFFERED_AFTER  # the limit did bite
    # With room again, a rerun finishes the job.
    rerun = subprocess.run(ingest_cmd(more, str(db)), capture_output=True,
                           timeout=CHILD_TIMEOUT_S)
    assert rerun.returncode == 0, rerun.stderr.decode(errors="replace")[-3000:]
    assert len(store.dump()) == STORED_BEFORE + OFFERED_AFTER and store.check() == []


# Linux capability numbers (linux/capability.h) and prctl's PR_CAPBSET_DROP.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def drop_root_override() -> None:
    """In the child, before exec: drop root's power to ignore file modes.

    With the two DAC capabilities out of the bounding set, the exec'd program (still uid 0)
    gets a permission error on a 0444 file like anyone else; no mount, no other user.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def test_read_only_store_is_a_clear_error_and_loses_nothing(shared: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="tidings-ro-"))
    try:
        db, more, before = seeded_store(shared, tmp)
        store_dir = db.parent / "ro"
        store_dir.mkdir()
        for p in tmp.glob("store.db*"):
            shutil.move(str(p), store_dir / p.name)
        db = store_dir / db.name
        for p in store_dir.iterdir():
            p.chmod(0o444)
        store_dir.chmod(0o555)
        more.chmod(0o644)
        preexec = drop_root_override if os.geteuid() == 0 else None
        if preexec is not None:
            try:  # without CAP_SETPCAP (some containers) root cannot be made to obey modes
                subprocess.run([sys.executable, "-c", ""], preexec_fn=preexec, check=True)
            except (OSError, subprocess.SubprocessError) as exc:
                pytest.skip(f"cannot drop root's DAC override here: {exc}")
        proc = subprocess.run(ingest_cmd(more, str(db)), capture_output=True,
                              preexec_fn=preexec, cwd=tmp, timeout=CHILD_TIMEOUT_S)
        line = assert_clear_error(proc, "read-only store")
        print(f"\n[read-only] exit {proc.returncode}: {line}")
        store_dir.chmod(0o755)
        for p in store_dir.iterdir():
            p.chmod(0o644)
        store = SQLiteBackend(db)
        assert store.check() == []
        assert store.dump() == before
    finally:
        for p in tmp.rglob("*"):
            if p.is_dir():
                p.chmod(0o755)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.postgres
def test_read_only_postgres_is_a_clear_error_and_loses_nothing(shared: Path,
                                                                tmp_path: Path) -> None:
    """A read-only role or replica: the server refuses every write transaction."""
    first, more = tmp_path / "first.jsonl", tmp_path / "more.jsonl"
    make_corpus(shared, first, STORED_BEFORE)
    make_corpus(shared, more, OFFERED_AFTER, start=STORED_BEFORE)
    with pg_schema() as (url, schema):
        run = subprocess.run(ingest_cmd(first, url), capture_output=True,
                             timeout=CHILD_TIMEOUT_S)
        assert run.returncode == 0, run.stderr.decode(errors="replace")[-3000:]
        store = PostgresBackend(url, schema)
        before = store.dump()
        read_only = url + "%20-cdefault_transaction_read_only%3Don"
        proc = subprocess.run(ingest_cmd(more, read_only), capture_output=True,
                              timeout=CHILD_TIMEOUT_S)
        line = assert_clear_error(proc, "read-only PostgreSQL")
        print(f"\n[read-only postgres] exit {proc.returncode}: {line}")
        assert store.check() == []
        assert store.dump() == before
