"""Issue #14, item 5 (the store's side) and the store half of items 9 and 11: every query has a
bounded cost on both backends, and a store opened for reading neither writes nor waits.

The web app's side (a hostile request must not stall the others, stopping a query when the
client leaves) is the web app's; here are the bounds it passes to the store as settings
(``Store(target, limits=...)``, ``search(..., cancel=event)``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from pgtest import PG_ENV, pg_schema

from tidings.limits import Limits
from tidings.model import Article
from tidings.store import QueryError, QueryTimeout, Store, StoreError
from tidings.store.common import parse_query

TEXTS = [
    "Kim Jong Un met Vladimir Putin in Vladivostok on Thursday.",
    "The foreign minister of Russia visited Pyongyang and met Kim Jong Un.",
    "China and the DPRK signed a trade agreement in Beijing.",
]
# A statement that runs for minutes unless stopped: a recursive count to a billion.
SLOW_SQLITE = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
               " WHERE x < 1000000000) SELECT count(*) AS n FROM c")


def _fill(store: Store) -> None:
    for i, text in enumerate(TEXTS):
        store.add(Article(id=f"a{i}", text=text, title=f"Title {i}", published="2024-01-0" +
                          str(i + 1)), [])


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        yield str(tmp_path / "b.db")
        return
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} not set")
    with pg_schema() as url:
        yield url


def test_repeated_terms_count_once() -> None:
    """Before: "kim " x 1500 was 1,500 terms, a cost quadratic in them (21 s per request on
    SQLite with 1,500, 245 s on PostgreSQL with 800)."""
    assert [t.words for t in parse_query("kim " * 1500, distinct=True)] == [("kim",)]
    assert [t.words for t in parse_query("Kim KIM kim OR putin -x -x", distinct=True)] == [
        ("Kim",), ("putin",), ("x",)]
    assert len(parse_query("kim " * 1500)) == 1500  # what a caller that counts repeats sees


def test_query_bounds_are_query_errors(target: str) -> None:
    with Store(target, limits=Limits(max_query_terms=4, max_query_chars=300)) as store:
        _fill(store)
        assert [h["id"] for h in store.search("kim " * 70)] == [h["id"] for h in
                                                                store.search("kim")]
        with pytest.raises(QueryError, match="max_query_terms"):
            store.search("a b c d e")
        with pytest.raises(QueryError, match="max_query_chars"):
            store.search("kim " * 100)
        with pytest.raises(QueryError, match="max_query_terms"):
            store.events(q="one two three four five")


@pytest.mark.parametrize("call", [
    lambda s: s.events(offset=2**63),
    lambda s: s.events(limit=2**63),
    lambda s: s.events(unique=True, offset=2**63),
    lambda s: s.search("kim", offset=2**63),
    lambda s: s.articles(offset=10**30),
    lambda s: s.network(min_events=2**63),
    lambda s: s.actors(limit=2**64),
    lambda s: s.events(actor="x" * 50_000),
    lambda s: s.events(dyad="PRK-" + "R" * 50_000),
    lambda s: s.timeline("PRK", "x" * 50_000),
])
def test_huge_offsets_and_filters_are_query_errors(target: str, call: Any) -> None:
    """Before: PostgreSQL's "bigint out of range" (and SQLite's OverflowError) were 500s."""
    with Store(target) as store:
        _fill(store)
        with pytest.raises(QueryError):
            call(store)


def test_sqlite_search_stops_at_its_time_bound(tmp_path: Path) -> None:
    with Store(str(tmp_path / "t.db"), limits=Limits(search_timeout_s=0.2)) as store:
        with pytest.raises(QueryTimeout, match="search_timeout_s"), store._bounded(None):
            store._query(SLOW_SQLITE)
        assert store.search("kim") == []  # the connection is fine afterwards


def test_sqlite_search_stops_when_cancelled(tmp_path: Path) -> None:
    cancel = threading.Event()
    with Store(str(tmp_path / "t.db"), limits=Limits(search_timeout_s=3600)) as store:
        threading.Timer(0.2, cancel.set).start()
        with pytest.raises(QueryTimeout, match="cancelled"), store._bounded(cancel):
            store._query(SLOW_SQLITE)
        cancel.set()
        with pytest.raises(QueryTimeout, match="cancelled"):
            store.search("kim", cancel=cancel)


@pytest.mark.postgres
def test_postgres_search_stops_at_its_time_bound_and_when_cancelled() -> None:
    """Before: a search ran on in the server after the client left (245 s)."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} not set")
    with pg_schema() as url:
        with Store(url, limits=Limits(search_timeout_s=0.2)) as store:
            with pytest.raises(QueryTimeout, match="search_timeout_s"), store._bounded(None):
                store._query("SELECT pg_sleep(30)")
            assert store.search("kim") == []
        cancel = threading.Event()
        with Store(url, limits=Limits(search_timeout_s=3600)) as store:
            threading.Timer(0.3, cancel.set).start()
            with pytest.raises(QueryTimeout, match="cancelled"), store._bounded(cancel):
                store._query("SELECT pg_sleep(30)")
            assert store.search("kim") == []


def test_read_only_store_writes_nothing_and_waits_for_no_one(target: str) -> None:
    with Store(target) as store:
        _fill(store)
    holder = None
    if not target.startswith("postgres"):
        holder = sqlite3.connect(target, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # a writer in the middle of an article
    try:
        with Store(target, read_only=True) as ro:
            assert [h["id"] for h in ro.search("Pyongyang")] == ["a1"]
            assert ro.summary()["articles"] == 3
            with pytest.raises(StoreError):
                ro.add(Article(id="new", text="Something new happened today."), [])
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    with Store(target) as store:
        assert store.count_articles() == 3


def test_read_only_store_must_exist_and_be_current(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store(str(tmp_path / "missing.db"), read_only=True)
    assert not (tmp_path / "missing.db").exists()
    with Store(str(tmp_path / "old.db")) as store:
        store.conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="open it once for writing"):
        Store(str(tmp_path / "old.db"), read_only=True)
