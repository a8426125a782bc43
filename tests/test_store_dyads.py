"""The dyad roll-ups kept at write time (migration 5, store/rollups.py DYAD_TABLES), on
SQLite and PostgreSQL: the dyad page's counts (each direction) and timeline read off them
equal the general query, after adds one at a time, a duplicate add, clusters that grow, a
re-derivation, and in a store upgraded from version 4.

The general query is the store's own: a geo filter naming every precision and "none" keeps
every event but is a filter, so the store answers it from the rows (test_store_rollups).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import test_store
import test_store_rollups as rollup_tests
from test_store import sentences_of
from test_store_rollups import EVERYTHING, same_timeline

from tidings.store import Store, schema
from tidings.store.views import DIRECTIONS, ViewFilter

# test_store's fixtures: its stores (SQLite, PostgreSQL) and its hand-built world
target, store, filled = test_store.target, test_store.store, test_store.filled
kcna, seed, world = test_store.kcna, test_store.seed, test_store.world

DYAD_TABLES = ("dyad_totals", "dyad_periods")


def rolled(s: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted(rollup_tests._row(r) for r in s._query(f"SELECT * FROM {t}"))
            for t in DYAD_TABLES}


def recomputed(s: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The dyad roll-ups as migration 5 computes them from scratch."""
    fills = [st for st in schema.statements(5, s.dialect) if st.startswith("INSERT")]
    out = {}
    for table, stmt in zip(DYAD_TABLES, fills, strict=True):
        assert stmt.startswith(f"INSERT INTO {table} ")
        out[table] = sorted(rollup_tests._row(r) for r in s._query(stmt[stmt.index("SELECT"):]))
    return out


def countries(s: Store) -> list[str]:
    return [k for k in rollup_tests.keys_of(s) if len(k) == 3]


def assert_same_answers(s: Store) -> None:
    """Every dyad of two stored countries (and one never stored) answers as the general
    query does, each direction, by month and by year."""
    assert rolled(s) == recomputed(s)
    keys = [*countries(s), "ZZZ"]
    assert len(keys) > 2
    for a in keys:
        for b in keys:
            if a == b:
                continue
            for d in DIRECTIONS:
                fast = ViewFilter(a=a, b=b, direction=d)
                general = dataclasses.replace(EVERYTHING, a=a, b=b, direction=d)
                assert s._only_dyad(fast) and not s._only_dyad(general)
                assert s.view_counts(fast) == s.view_counts(general), (a, b, d)
            for by in ("month", "year"):
                fast_t = s.view_timeline(ViewFilter(a=a, b=b), by)
                assert same_timeline(fast_t, s.view_timeline(
                    dataclasses.replace(EVERYTHING, a=a, b=b), by)), (a, b, by)


def test_dyad_roll_ups_equal_the_general_query_after_each_add(store: Store,
                                                              world: list[Any]) -> None:
    assert rolled(store) == dict.fromkeys(DYAD_TABLES, [])
    for art, evs in world:
        assert store.add(art, evs, sentences_of(art.text)) == "added"
        assert_same_answers(store)
    assert store.add(*world[0][:1], world[0][1]) == "duplicate"  # writes nothing
    assert_same_answers(store)
    assert any(r[2] == "both" for r in rolled(store)["dyad_totals"])


def test_other_dyad_filters_take_the_general_query(filled: Store) -> None:
    """A date, a direction in the timeline, a non-country key or a = b: the rows."""
    assert not filled._only_dyad(ViewFilter(a="PRK", b="RUS", since="2024-08"))
    assert not filled._only_dyad(ViewFilter(a="PRK", b="PRK"))
    assert not filled._only_dyad(ViewFilter(a="PRKGOV", b="RUS"))
    same = filled.view_counts(ViewFilter(a="PRK", b="PRK"))
    assert same == filled.view_counts(dataclasses.replace(EVERYTHING, a="PRK", b="PRK"))
    for d in ("ab", "ba"):
        f = ViewFilter(a="PRK", b="RUS", direction=d)
        assert {r["dir"] for r in filled.view_timeline(f)} <= {d}
        assert same_timeline(filled.view_timeline(f), filled.view_timeline(
            dataclasses.replace(EVERYTHING, a="PRK", b="RUS", direction=d)))


def test_dyad_roll_ups_follow_a_re_derivation(filled: Store) -> None:
    want = rolled(filled)
    rollup_tests.rederive(filled)
    assert rolled(filled) == want
    assert_same_answers(filled)


def test_a_version_4_store_is_upgraded_and_filled(target: str, world: list[Any]) -> None:
    with Store(target) as s:
        rollup_tests.store_world(s, world)
        want = rolled(s)
        assert want["dyad_periods"]
        rollup_tests.downgrade(s, 4, DYAD_TABLES)
    with Store(target) as s:
        assert s.schema_version() == schema.SCHEMA_VERSION == 5
        assert rolled(s) == want
        assert_same_answers(s)


def test_dyad_roll_ups_follow_clusters_that_grow(store: Store, world: list[Any]) -> None:
    """Other reports of the world's events (a day or two apart, scores missing or tied, a
    side on both ends, sides swapped, another quad class) join and move its clusters."""
    rng = random.Random(5)
    rollup_tests.store_world(store, world)
    for n, copy, again in rollup_tests.reports_again(world, rng, 24, swap=True):
        assert store.add(copy, again, sentences_of(copy.text)) == "added"
        assert rolled(store) == recomputed(store), n
    assert_same_answers(store)
