"""A throwaway PostgreSQL schema per test, for the tests that run on both stores.

TIDINGS_TEST_PG names the server (scripts/start_postgres.sh prints it); without it the
PostgreSQL variants are skipped with that reason, never silently passed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ENV = "TIDINGS_TEST_PG"


@contextmanager
def pg_schema_named(prefix: str = "tidings_test") -> Iterator[tuple[str, str]]:
    """(URL whose search_path is a fresh schema, the schema's name); dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set; start a server with scripts/start_postgres.sh")
    import psycopg
    from psycopg import sql

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}", schema
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@contextmanager
def pg_schema(prefix: str = "tidings_test") -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    with pg_schema_named(prefix) as (url, _schema):
        yield url
