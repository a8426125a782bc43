"""PostgreSQL backend (psycopg 3): a generated tsvector with a GIN index for search.

Queries come from base.Store written with ``?`` placeholders; ``_sql`` rewrites them to
psycopg's ``%s`` (no query carries a literal ``%``: LIKE patterns are parameters).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.rows import dict_row

from tidings.store import schema
from tidings.store.base import MARK_END, MARK_START, Store
from tidings.store.common import Term, websearch_expression, without_nul

TS_CONFIG = "english"
# ts_rank weights for tsvector classes {D, C, B, A}: title is A, body B (as bm25 on SQLite,
# a title word counts several times a body word).
TS_RANK_WEIGHTS = "{0.1, 0.2, 0.2, 1.0}"
# ts_headline: a couple of short fragments around the matches.
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=24, MinWords=8,"
    " FragmentDelimiter=\" … \""
)
# Key of the advisory lock that serialises concurrent migrations of one database.
MIGRATION_LOCK = 0x7469_6469  # "tidi"

_cursor_ids = itertools.count()


@lru_cache(maxsize=512)
def _sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def _params(params: Sequence[Any]) -> tuple[Any, ...]:
    """Parameters PostgreSQL accepts: a NUL in a user's filter string would be a DataError."""
    return tuple(without_nul(p) if isinstance(p, str) else p for p in params)


class PostgresStore(Store):
    """The server store: ``Store("postgresql://user@host:port/db")``."""

    dialect = "postgres"

    def __init__(self, target: str | None = None) -> None:
        super().__init__(target)
        self._tx_depth = 0
        self.conn = self._connect()
        self._migrate()
        self._upgrade_data()

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        return psycopg.connect(self.target, autocommit=True, row_factory=dict_row)

    def _migrate(self) -> None:
        with self._transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self.conn.execute(schema.META_DDL)
            row = self.conn.execute(
                "SELECT value FROM meta WHERE key = %s", (schema.SCHEMA_VERSION_KEY,)
            ).fetchone()
            current = int(row["value"]) if row else 0
            if current > schema.SCHEMA_VERSION:
                raise RuntimeError(
                    f"database has schema version {current}; this Tidings knows "
                    f"{schema.SCHEMA_VERSION}: upgrade Tidings"
                )
            for version, _ in schema.MIGRATIONS:
                if version > current:
                    for stmt in schema.statements(version, self.dialect):
                        self.conn.execute(stmt)  # DDL from schema.py: no user values
                    self.conn.execute(
                        "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key)"
                        " DO UPDATE SET value = excluded.value",
                        (schema.SCHEMA_VERSION_KEY, str(version)),
                    )

    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = %s", (schema.SCHEMA_VERSION_KEY,)
        ).fetchone()
        assert row is not None, "the meta table has no schema version"
        return int(row["value"])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # psycopg: an outer block is a transaction, a nested one a savepoint.
        if self._tx_depth == 0 and self.conn.broken:
            self.conn = self._connect()
        self._tx_depth += 1
        try:
            with self.conn.transaction():
                yield
        finally:
            self._tx_depth -= 1

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one statement; outside a transaction, a connection the server dropped (restart,
        idle timeout) is replaced and the statement retried once, so a long-lived web app
        survives a database restart."""
        try:
            cur = self.conn.execute(_sql(sql), _params(params))
        except psycopg.OperationalError:
            if self._tx_depth or not self.conn.broken:
                raise
            self.conn = self._connect()
            cur = self.conn.execute(_sql(sql), _params(params))
        return cur.fetchall() if cur.description else []

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(_sql(sql), _params(params))
        return cur.fetchall() if cur.description else []

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(_sql(sql), [_params(r) for r in rows])

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[list[dict[str, Any]]]:
        # A connection of its own with a server-side cursor: the stream's transaction never
        # interleaves with writes on the main connection, and an abandoned stream only holds
        # its own connection until closed.
        with psycopg.connect(self.target, row_factory=dict_row) as conn:
            with conn.cursor(name=f"tidings_stream_{next(_cursor_ids)}") as cur:
                cur.execute(_sql(sql), _params(params))
                while True:
                    batch = cur.fetchmany(self.stream_batch)
                    if not batch:
                        return
                    yield batch

    def _fts_filter(self, terms: list[Term]) -> tuple[str, list[Any]]:
        return (
            f"a.tsv @@ websearch_to_tsquery('{TS_CONFIG}', ?)",
            [websearch_expression(terms)],
        )

    def _search_rows(self, terms: list[Term], limit: int, offset: int) -> list[dict[str, Any]]:
        # Rank and page first, then build headlines only for the page (ts_headline is slow).
        sql = (
            f"SELECT s.*, ts_headline('{TS_CONFIG}', s.text, s.tq, ?) AS snip FROM ("
            " SELECT a.pk AS pk, a.id AS id, a.title AS title, a.url AS url,"
            " a.source AS source, a.published AS published, a.text AS text, tq,"
            " ts_rank(?::real[], a.tsv, tq) AS score"
            f" FROM articles a, websearch_to_tsquery('{TS_CONFIG}', ?) tq WHERE a.tsv @@ tq"
            " ORDER BY score DESC, a.pk LIMIT ? OFFSET ?) s ORDER BY s.score DESC, s.pk"
        )
        return self._query(
            sql,
            [HEADLINE_OPTIONS, TS_RANK_WEIGHTS, websearch_expression(terms), limit, offset],
        )

    def close(self) -> None:
        with self._lock:
            self.conn.close()
