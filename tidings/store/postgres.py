"""PostgreSQL backend (psycopg 3): a generated tsvector with a GIN index for search.

Queries come from base.Store written with ``?`` placeholders; ``_sql`` rewrites them to
psycopg's ``%s`` (no query carries a literal ``%``: LIKE patterns are parameters).

Every psycopg error leaves this module as ``StoreError``, except a statement stopped by its
time bound or cancelled (QueryTimeout) and a user value the server refuses (QueryError).
``read_only=True`` runs every transaction read-only and migrates nothing.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import errors as pgerrors
from psycopg.rows import dict_row

from tidings.store import schema
from tidings.store.base import MARK_END, MARK_START, Store
from tidings.store.common import (
    QueryError,
    QueryTimeout,
    StoreError,
    Term,
    websearch_expression,
    without_nul,
)

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


@contextmanager
def _translated(stopped: list[str] | None = None) -> Iterator[None]:
    """psycopg errors inside become StoreError; a cancelled statement QueryTimeout (with
    the reason in ``stopped``), a value out of the server's range QueryError."""
    try:
        yield
    except pgerrors.QueryCanceled as exc:
        reason = stopped[0] if stopped else "the query was stopped (search_timeout_s)"
        raise QueryTimeout(reason) from exc
    except pgerrors.DataException as exc:
        raise QueryError(f"a value the database refuses: {_first(exc)}") from exc
    except psycopg.Error as exc:
        raise StoreError(_first(exc)) from exc


def _first(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _params(params: Sequence[Any]) -> tuple[Any, ...]:
    """Parameters PostgreSQL accepts: a NUL in a user's filter string would be a DataError."""
    return tuple(without_nul(p) if isinstance(p, str) else p for p in params)


class PostgresStore(Store):
    """The server store: ``Store("postgresql://user@host:port/db")``."""

    dialect = "postgres"

    def __init__(self, target: str | None = None, **options: Any) -> None:
        super().__init__(target, **options)
        self._tx_depth = 0
        self._stopped: list[str] = []
        with _translated():
            self.conn = self._connect()
            if self.read_only:
                self._check_readable()
            else:
                self._migrate()
                self._upgrade_data()

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        conn = psycopg.connect(self.target, autocommit=True, row_factory=dict_row)
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        return conn

    def _version(self) -> int:
        row = self.conn.execute("SELECT to_regclass('meta') IS NOT NULL AS has").fetchone()
        if not row or not row["has"]:
            return 0
        got = self.conn.execute(
            "SELECT value FROM meta WHERE key = %s", (schema.SCHEMA_VERSION_KEY,)
        ).fetchone()
        return int(got["value"]) if got else 0

    def _check_readable(self) -> None:
        current = self._version()
        if current != schema.SCHEMA_VERSION:
            raise StoreError(f"the database has schema version {current}, this Tidings reads "
                             f"{schema.SCHEMA_VERSION}: open it once for writing to upgrade")

    def _migrate(self) -> None:
        if self._version() == schema.SCHEMA_VERSION:
            return  # current: nothing to lock for
        with self._transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self.conn.execute(schema.META_DDL)
            row = self.conn.execute(
                "SELECT value FROM meta WHERE key = %s", (schema.SCHEMA_VERSION_KEY,)
            ).fetchone()
            current = int(row["value"]) if row else 0
            if current > schema.SCHEMA_VERSION:
                raise StoreError(
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
            with _translated():
                self.conn = self._connect()
        self._tx_depth += 1
        try:
            with _translated(), self.conn.transaction():
                yield
        finally:
            self._tx_depth -= 1

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one statement; outside a transaction, a connection the server dropped (restart,
        idle timeout) is replaced and the statement retried once, so a long-lived web app
        survives a database restart."""
        with _translated(self._stopped):
            try:
                cur = self.conn.execute(_sql(sql), _params(params))
            except psycopg.OperationalError:
                if self._tx_depth or not self.conn.broken:
                    raise
                self.conn = self._connect()
                cur = self.conn.execute(_sql(sql), _params(params))
            return cur.fetchall() if cur.description else []

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with _translated():
            cur = self.conn.execute(_sql(sql), _params(params))
            return cur.fetchall() if cur.description else []

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with _translated(), self.conn.cursor() as cur:
            cur.executemany(_sql(sql), [_params(r) for r in rows])

    @contextmanager
    def _bounded(self, cancel: threading.Event | None) -> Iterator[None]:
        """The statements inside run under ``statement_timeout`` (search_timeout_s) in one
        transaction; a set ``cancel`` cancels the running statement on the server (a
        watcher thread calls the connection's cancel), so nothing runs on after a web client
        has left (issue #14: a 245 s query kept running)."""
        if cancel is not None and cancel.is_set():
            raise QueryTimeout("the query was cancelled")
        limit = self.limits.search_timeout_s
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.05):
                if cancel is not None and cancel.is_set():
                    self._stopped[:] = ["the query was cancelled"]
                    self.conn.cancel()
                    return

        watcher = threading.Thread(target=watch, daemon=True) if cancel is not None else None
        self._stopped[:] = [f"the query ran past {limit:g} s (search_timeout_s)"]
        with self._transaction():
            self._execute(f"SET LOCAL statement_timeout = {max(1, int(limit * 1000))}")
            if watcher is not None:
                watcher.start()
            try:
                yield
            finally:
                done.set()
                if watcher is not None:
                    watcher.join()
                self._stopped.clear()

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[list[dict[str, Any]]]:
        # A connection of its own with a server-side cursor: the stream's transaction never
        # interleaves with writes on the main connection, and an abandoned stream only holds
        # its own connection until closed.
        with _translated(), psycopg.connect(self.target, row_factory=dict_row) as conn:
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
