"""SQLite backend: one file, WAL so readers never wait for the writer, FTS5 for search."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tidings.store import schema
from tidings.store.base import MARK_END, MARK_START, Store
from tidings.store.common import QueryError, Term, fts5_expression

# How long a writer waits for another writer's lock before "database is locked".
BUSY_TIMEOUT_MS = 30_000
# bm25 column weights (title, text): a word in the title says more about the article.
BM25_TITLE_WEIGHT = 5.0
BM25_TEXT_WEIGHT = 1.0
# snippet(): tokens of context around the matches.
SNIPPET_TOKENS = 24
SNIPPET_ELLIPSIS = "…"


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

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target)
        if self.target != ":memory:":
            Path(self.target).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE for writes), so a writer
        # takes the write lock up front and waits on busy_timeout instead of failing midway.
        self.conn = sqlite3.connect(
            str(Path(self.target).expanduser()) if self.target != ":memory:" else ":memory:",
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        self.conn.row_factory = _dict_row
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self._in_tx = False
        self._commits = 0  # write transactions committed through this connection
        self._migrate()
        self._upgrade_data()

    def _migrate(self) -> None:
        """Bring the file to schema.SCHEMA_VERSION; refuse a file from a newer Tidings."""
        with self._transaction():
            self.conn.execute(schema.META_DDL)
            row = self.conn.execute(
                "SELECT value FROM meta WHERE key = ?", (schema.SCHEMA_VERSION_KEY,)
            ).fetchone()
            current = int(row["value"]) if row else 0
            if current > schema.SCHEMA_VERSION:
                raise RuntimeError(
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
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
            self._commits += 1
        finally:
            self._in_tx = False

    def generation(self) -> tuple[int, int]:
        """Changes when anything commits: PRAGMA data_version moves on every other
        connection's commit (other processes included) but not on this one's, which
        ``_commits`` counts."""
        with self._lock:
            row = self.conn.execute("PRAGMA data_version").fetchone()
            return (int(row["data_version"]), self._commits)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.OperationalError as e:
            if "fts5" in str(e).lower():  # a MATCH expression the sanitiser let through
                raise QueryError(f"full-text query rejected: {e}") from e
            raise

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, [tuple(r) for r in rows])

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[list[dict[str, Any]]]:
        # A cursor of its own: in WAL mode it reads one consistent snapshot while it lives.
        with self._lock:
            cur = self.conn.cursor()
            cur.execute(sql, tuple(params))
        try:
            while True:
                with self._lock:
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
