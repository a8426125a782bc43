"""SQLite backend: one file, WAL so readers never wait for the writer, FTS5 for search.

Every sqlite3 error leaves this module as ``StoreError`` with what it means for the user
("attempt to write a readonly database (the file or its directory is read-only)"), except a
full-text expression FTS5 rejects (QueryError) and a statement stopped by its time bound
(QueryTimeout). ``read_only=True`` opens the file with ``mode=ro``: nothing is written and no
lock is taken, so a read works on a read-only file and never waits for a writer.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tidings.store import schema
from tidings.store.base import MARK_END, MARK_START, Store
from tidings.store.common import QueryError, QueryTimeout, StoreError, Term, fts5_expression

# How long a writer waits for another writer's lock before "database is locked".
BUSY_TIMEOUT_MS = 30_000
# bm25 column weights (title, text): a word in the title says more about the article.
BM25_TITLE_WEIGHT = 5.0
BM25_TEXT_WEIGHT = 1.0
# snippet(): tokens of context around the matches.
SNIPPET_TOKENS = 24
SNIPPET_ELLIPSIS = "…"
# SQLite virtual-machine steps between two looks at a bounded statement's clock and cancel
# flag: about a millisecond of work, so a stop lands within milliseconds and the look costs
# nothing measurable.
PROGRESS_STEPS = 10_000

# What SQLite's terse messages mean for the user, appended to the StoreError's message.
ERROR_HINTS = {
    "readonly": "the file or its directory is read-only",
    "disk i/o error": "a write failed: is the disk full?",
    "disk is full": "the disk is full",
    "unable to open": "cannot create or open the file here",
    "locked": "another process holds the store's write lock",
}


def store_error(exc: BaseException, target: str) -> StoreError:
    """A StoreError for a sqlite3 or OS error on the store at ``target``."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    hint = next((h for k, h in ERROR_HINTS.items() if k in first.lower()), None)
    return StoreError(f"{first}" + (f" ({hint})" if hint else "") + f" [{target}]")


@contextmanager
def _translated(target: str) -> Iterator[None]:
    """sqlite3 errors inside become StoreError (QueryError passes through)."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise store_error(exc, target) from exc


# The column names of the last result read, with the description they came from: a
# statement's rows share one description tuple, so its names are worked out once per
# statement instead of once per row (a third of the cost of reading an event page).
_names_of: tuple[Any, tuple[str, ...]] = ((), ())


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    global _names_of
    desc = cursor.description
    last = _names_of  # one read: another thread may replace it meanwhile
    if last[0] is not desc:
        last = _names_of = (desc, tuple(d[0] for d in desc))
    return dict(zip(last[1], row, strict=True))


class SQLiteStore(Store):
    """The default store: a single SQLite file (``:memory:`` works too, for one connection)."""

    dialect = "sqlite"

    def __init__(self, target: str | None = None, **options: Any) -> None:
        super().__init__(target, **options)
        if self.target.startswith("sqlite://"):
            self.target = self.target.removeprefix("sqlite://")
        self._in_tx = False
        self._commits = 0  # write transactions committed through this connection
        self._stopped: str | None = None  # why a bounded statement was interrupted
        with _translated(self.target):
            self.conn = self._connect()
            if self.read_only:
                self._check_readable()
            else:
                self._migrate()
                self._upgrade_data()

    def _connect(self) -> sqlite3.Connection:
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE for writes), so a writer
        # takes the write lock up front and waits on busy_timeout instead of failing midway.
        memory = self.target == ":memory:"
        path = Path(self.target).expanduser()
        if self.read_only and not memory:
            if not path.is_file():
                raise StoreError(f"no store at {self.target}")
            name, uri = f"file:{quote(str(path.resolve()))}?mode=ro", True
        else:
            if not memory:
                path.parent.mkdir(parents=True, exist_ok=True)
            name, uri = (":memory:" if memory else str(path)), False
        conn = sqlite3.connect(name, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False, uri=uri)
        conn.row_factory = _dict_row
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        if not self.read_only:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _version(self) -> int:
        """The file's schema version (0 for a file without Tidings' tables)."""
        meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if meta is None:
            return 0
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = ?", (schema.SCHEMA_VERSION_KEY,)
        ).fetchone()
        return int(row["value"]) if row else 0

    def _check_readable(self) -> None:
        """A read-only store must already be at this Tidings' schema (nothing may migrate)."""
        current = self._version()
        if current != schema.SCHEMA_VERSION:
            raise StoreError(
                f"{self.target} has schema version {current}, this Tidings reads "
                f"{schema.SCHEMA_VERSION}: open it once for writing (tidings ingest) to "
                "upgrade it" if current < schema.SCHEMA_VERSION else "upgrade Tidings"
            )

    def _migrate(self) -> None:
        """Bring the file to schema.SCHEMA_VERSION; refuse a file from a newer Tidings. A
        file already at the version is only read: no write lock is taken to find that out,
        so opening a current store never waits for another process's writer."""
        if self._version() == schema.SCHEMA_VERSION:
            return
        with self._transaction():
            self.conn.execute(schema.META_DDL)
            row = self.conn.execute(
                "SELECT value FROM meta WHERE key = ?", (schema.SCHEMA_VERSION_KEY,)
            ).fetchone()
            current = int(row["value"]) if row else 0
            if current > schema.SCHEMA_VERSION:
                raise StoreError(
                    f"{self.target} has schema version {current}; this Tidings knows "
                    f"{schema.SCHEMA_VERSION}: upgrade Tidings"
                )
            for version, _ in schema.MIGRATIONS:
                if version > current:
                    for stmt in schema.statements(version, self.dialect):
                        self.conn.execute(stmt)
                    self.conn.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key)"
                        " DO UPDATE SET value = excluded.value",
                        (schema.SCHEMA_VERSION_KEY, str(version)),
                    )

    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = ?", (schema.SCHEMA_VERSION_KEY,)
        ).fetchone()
        return int(row["value"])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._in_tx:  # nested: part of the outer transaction
            yield
            return
        with _translated(self.target):
            self.conn.execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield
        except BaseException:
            with _translated(self.target):
                self.conn.execute("ROLLBACK")
            raise
        else:
            with _translated(self.target):
                self.conn.execute("COMMIT")
            self._commits += 1
        finally:
            self._in_tx = False

    def generation(self) -> tuple[int, int]:
        """Changes when anything commits: PRAGMA data_version moves on every other
        connection's commit (other processes included) but not on this one's, which
        ``_commits`` counts."""
        with self._lock, _translated(self.target):
            row = self.conn.execute("PRAGMA data_version").fetchone()
            return (int(row["data_version"]), self._commits)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.OperationalError as e:
            if "fts5" in str(e).lower():  # a MATCH expression the sanitiser let through
                raise QueryError(f"full-text query rejected: {e}") from e
            if "interrupted" in str(e).lower() and self._stopped is not None:
                raise QueryTimeout(self._stopped) from e
            raise store_error(e, self.target) from e
        except sqlite3.Error as e:
            raise store_error(e, self.target) from e

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with _translated(self.target):
            return self.conn.execute(sql, tuple(params)).fetchall()

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with _translated(self.target):
            self.conn.executemany(sql, [tuple(r) for r in rows])

    @contextmanager
    def _bounded(self, cancel: threading.Event | None) -> Iterator[None]:
        """SQLite's progress handler stops the statement past the time bound or once
        ``cancel`` is set; the interrupted statement raises QueryTimeout (see _query)."""
        if cancel is not None and cancel.is_set():
            raise QueryTimeout("the query was cancelled")
        limit = self.limits.search_timeout_s
        deadline = time.monotonic() + limit
        self._stopped = None

        def check() -> int:
            if cancel is not None and cancel.is_set():
                self._stopped = "the query was cancelled"
            elif time.monotonic() > deadline:
                self._stopped = f"the query ran past {limit:g} s (search_timeout_s)"
            return 1 if self._stopped else 0

        self.conn.set_progress_handler(check, PROGRESS_STEPS)
        try:
            yield
        finally:
            self.conn.set_progress_handler(None, 0)
            self._stopped = None

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[list[dict[str, Any]]]:
        # A cursor of its own: in WAL mode it reads one consistent snapshot while it lives.
        with self._lock, _translated(self.target):
            cur = self.conn.cursor()
            cur.execute(sql, tuple(params))
        try:
            while True:
                with self._lock, _translated(self.target):
                    batch = cur.fetchmany(self.stream_batch)
                if not batch:
                    return
                yield batch
        finally:
            cur.close()

    def _fts_filter(self, terms: list[Term]) -> tuple[str, list[Any]]:
        return (
            "a.pk IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
            [fts5_expression(terms)],
        )

    def _search_rows(self, terms: list[Term], limit: int, offset: int) -> list[dict[str, Any]]:
        sql = (
            "SELECT a.pk AS pk, a.id AS id, a.title AS title, a.url AS url, a.source AS source,"
            " a.published AS published, -bm25(articles_fts, ?, ?) AS score,"
            " snippet(articles_fts, -1, ?, ?, ?, ?) AS snip"
            " FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, ?, ?), a.pk LIMIT ? OFFSET ?"
        )
        params = [
            BM25_TITLE_WEIGHT, BM25_TEXT_WEIGHT,
            MARK_START, MARK_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS,
            fts5_expression(terms),
            BM25_TITLE_WEIGHT, BM25_TEXT_WEIGHT, limit, offset,
        ]  # fmt: skip
        return self._query(sql, params)

    def close(self) -> None:
        with self._lock:
            self.conn.close()
