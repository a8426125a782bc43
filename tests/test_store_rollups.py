"""The actor roll-ups kept at write time (migration 4, store/rollups.py), on SQLite and
PostgreSQL: every answer read off them equals the straightforward query over event_actors,
after adds one at a time, after a re-derivation, and in a store upgraded from version 3.

The straightforward query is the general path itself: a geo filter naming every precision
and "none" keeps every event but is a filter, so the store answers it from the rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import pytest
import test_store
from test_store import sentences_of

from tidings.store import Store, derive, schema
from tidings.store.views import ACTOR_SORTS, NO_PLACE, ViewFilter

# test_store's fixtures: its stores (SQLite, PostgreSQL) and its hand-built world
target, store, filled = test_store.target, test_store.store, test_store.filled
kcna, seed, world = test_store.kcna, test_store.seed, test_store.world

EVERYTHING = ViewFilter(geo=(*derive.GEO_PRECISIONS, NO_PLACE))  # all events, as a filter
KINDS = [derive.ACTOR_KINDS, ("person", "organisation"), ("sector",), ("country",)]


TABLES = ("actor_totals", "actor_pairs", "actor_periods", "actor_types")


def _row(r: dict[str, Any]) -> tuple[Any, ...]:
    # the timeline's Goldstein sums are floats added in another order: equal to 1e-9
    return tuple(round(v, 9) if isinstance(v, float) else v for v in r.values())


def rolled(s: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The roll-up tables' rows, sorted."""
    return {t: sorted(_row(r) for r in s._query(f"SELECT * FROM {t}")) for t in TABLES}


def recomputed(s: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The roll-ups as migration 4 computes them from scratch."""
    fills = [st for st in schema.statements(4, s.dialect) if st.startswith("INSERT")]
    out = {}
    for table, stmt in zip(TABLES, fills, strict=True):
        assert stmt.startswith(f"INSERT INTO {table} ")
        out[table] = sorted(_row(r) for r in s._query(stmt[stmt.index("SELECT"):]))
    return out


def same_timeline(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    return [{**r, "goldstein": pytest.approx(r["goldstein"])} for r in a] == b


def keys_of(s: Store) -> list[str]:
    return [r["key"] for r in s._query("SELECT DISTINCT key FROM event_actors ORDER BY key")]


def assert_same_answers(s: Store) -> None:
    """Every unfiltered actor answer equals the general query's."""
    assert rolled(s) == recomputed(s)
    assert s.view_actor_kinds(ViewFilter()) == s.view_actor_kinds(EVERYTHING)
    for kinds in KINDS:
        assert s.view_actor_count(ViewFilter(), kinds) == s.view_actor_count(EVERYTHING, kinds)
        for sort in ACTOR_SORTS:
            for desc in (True, False):
                args = {"kinds": kinds, "sort": sort, "descending": desc, "limit": 1000}
                assert (s.view_actors(ViewFilter(), **args)
                        == s.view_actors(EVERYTHING, **args)), (kinds, sort, desc)
    for key in [*keys_of(s), "NOPE"]:
        one, general = ViewFilter(actor=key), dataclasses.replace(EVERYTHING, actor=key)
        for by in ("month", "year"):
            assert same_timeline(s.view_timeline(one, by), s.view_timeline(general, by)), key
        assert s.view_types(one) == s.view_types(general), key
        assert s.view_actor_totals(ViewFilter(), key) == s.view_actor_totals(EVERYTHING, key)
        assert (s.view_actor_kinds(ViewFilter(), counterpart_of=key)
                == s.view_actor_kinds(EVERYTHING, counterpart_of=key))
        assert (s.view_actor_count(ViewFilter(), counterpart_of=key)
                == s.view_actor_count(EVERYTHING, counterpart_of=key))
        for sort in ("events", "goldstein", "key"):
            args = {"counterpart_of": key, "sort": sort, "limit": 1000}
            assert s.view_actors(ViewFilter(), **args) == s.view_actors(EVERYTHING, **args)


def test_roll_ups_equal_the_general_query_after_each_add(store: Store,
                                                         world: list[Any]) -> None:
    assert rolled(store) == dict.fromkeys(TABLES, [])
    for art, evs in world:
        assert store.add(art, evs, sentences_of(art.text)) == "added"
        assert_same_answers(store)
    assert store.add(*world[0][:1], world[0][1]) == "duplicate"  # writes nothing
    assert_same_answers(store)
    totals = store.view_actor_totals(ViewFilter(), "person:Kim Jong Un")
    assert totals == {"events": 5, "as_source": 3, "as_target": 2, "mentions": 5,
                      "articles": 4}


def test_a_filtered_request_takes_the_general_query(filled: Store) -> None:
    """Roll-ups hold the unfiltered store only: a filter is answered from the rows."""
    f = ViewFilter(since="2024-08")
    got = {a["key"]: a["events"] for a in filled.view_actors(f, kinds=("country",))}
    assert got["PRK"] < {a["key"]: a["events"] for a in filled.view_actors(
        ViewFilter(), kinds=("country",))}["PRK"]
    assert filled.view_actor_totals(f, "PRK")["mentions"] == 6
    dated = filled.view_timeline(ViewFilter(actor="PRK", since="2024-08"), "month")
    assert {r["period"] for r in dated} == {"2024-08"}
    assert sum(r["mentions"] for r in filled.view_types(ViewFilter(actor="PRK",
                                                                   direction="ab"))) == 7


def rederive(s: Store) -> None:
    """Mark every event as derived by an older version and let the store re-derive them."""
    with s._transaction():
        s._execute("UPDATE event_facts SET derive_version = 0")
    s._upgrade_views()


def store_world(s: Store, world: list[Any]) -> None:
    for art, evs in world:
        s.add(art, evs, sentences_of(art.text))


def downgrade(s: Store, version: int, tables: tuple[str, ...], *more: str) -> None:
    """Make ``s`` a store of an older schema: drop the tables (and run the statements) that
    the migrations after ``version`` add, and record ``version``."""
    with s._transaction():
        for table in tables:
            s._execute(f"DROP TABLE {table}")
        for statement in more:
            s._execute(statement)
        s._execute("UPDATE meta SET value = ? WHERE key = ?",
                   [str(version), schema.SCHEMA_VERSION_KEY])


def test_roll_ups_follow_a_re_derivation(filled: Store) -> None:
    """Events re-derived (an older derive_version, or rows missing) move the roll-ups by
    the change only."""
    want = rolled(filled)
    rederive(filled)
    assert rolled(filled) == want
    assert_same_answers(filled)


def test_a_version_3_store_is_upgraded_and_filled(target: str, world: list[Any]) -> None:
    with Store(target) as s:
        store_world(s, world)
        want = rolled(s)
        downgrade(s, 3, (*TABLES, "dyad_totals", "dyad_periods"),
                  "DROP INDEX articles_unfingerprinted")
    with Store(target) as s:
        assert s.schema_version() == schema.SCHEMA_VERSION
        assert rolled(s) == want
        assert_same_answers(s)


def reports_again(world: list[Any], rng: random.Random, times: int,
                  swap: bool = False) -> Iterator[tuple[int, Any, list[dict[str, Any]]]]:
    """(n, article, events): other reports of the world's events (copies of its articles, a
    day or two apart, scores missing or tied, a side on both ends, another quad class, and
    with ``swap`` sides swapped), which join and move its clusters when stored."""
    for n in range(times):
        art, evs = world[rng.randrange(len(world))]
        copy = dataclasses.replace(art, id=f"{art.id}-report-{n}",
                                   text=f"{art.text}\nReported again ({n}).\n")
        again = []
        for ev in rng.sample(evs, rng.randint(1, len(evs))):
            date = ev["date"]
            if date and len(date) == 10 and rng.random() < 0.5:
                date = (dt.date.fromisoformat(date) + dt.timedelta(days=rng.choice(
                    [-2, -1, 1]))).isoformat()
            extra = {"goldstein": rng.choice([None, 1.25, -0.75, ev["goldstein"]]),
                     "quad_class": rng.choice([ev["quad_class"], 2]), "date": date}
            roll = rng.random()
            if roll < 0.2:
                extra["target"] = dict(ev["source"])  # one actor on both sides
            elif swap and roll < 0.4 and ev.get("target"):
                extra["source"], extra["target"] = ev["target"], ev["source"]
            again.append({**ev, **extra, "doc_id": copy.id})
        yield n, copy, again


def test_roll_ups_follow_clusters_that_grow(store: Store, world: list[Any]) -> None:
    """Other reports of the world's events join and move its clusters: the roll-ups still
    equal the rows after every add."""
    rng = random.Random(12)
    store_world(store, world)
    for n, copy, again in reports_again(world, rng, 24):
        assert store.add(copy, again, sentences_of(copy.text)) == "added"
        assert rolled(store) == recomputed(store), n
    sizes = store._query("SELECT COUNT(*) AS n FROM event_facts GROUP BY cluster_no")
    assert max(int(r["n"]) for r in sizes) > 2  # clusters did grow
    assert_same_answers(store)
