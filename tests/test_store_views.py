"""The analyst views' store layer (issue #12): derived identity, dates and places, and the
aggregates every web view shows, on SQLite and PostgreSQL.

The events are test_store's hand-built world (E1..E11 on real articles), so every expected
set below is read off that table by hand; where a count of event clusters is asserted, it is
cross-checked against the store's older cluster count (``count_events(unique=True)``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import test_store
from test_store import ACTORS, make_event, sentences_of

from tidings.model import Article
from tidings.store import QueryError, Store, derive, schema
from tidings.store.views import ViewFilter

KJU, PUTIN = "person:Kim Jong Un", "person:Vladimir Putin"

# test_store's fixtures: its stores (SQLite, PostgreSQL) and its hand-built world
target, store, filled = test_store.target, test_store.store, test_store.filled
kcna, seed, world = test_store.kcna, test_store.seed, test_store.world


def event_ids(store: Store, f: ViewFilter, unique: bool = False) -> set[str]:
    return {e["id"] for e in store.view_iter_events(f, unique=unique)}


# ---------------------------------------------------------------------------------- derive


def test_date_bounds_pad_to_the_period_they_mean() -> None:
    assert derive.date_bounds("2024") == ("2024-00-00", "2024-99-99")
    assert derive.date_bounds("2024-07") == ("2024-07-00", "2024-07-99")
    assert derive.date_bounds("2024-07-18") == ("2024-07-18", "2024-07-18")
    assert derive.date_bounds(None) == (derive.UNDATED, derive.UNDATED)
    assert derive.date_bounds("July 2024") == (derive.UNDATED, derive.UNDATED)


@pytest.mark.parametrize(("side", "kind", "key"), [
    (ACTORS["KJU"], "person", KJU),
    ({"text": "he", "name": "Kim Jong Un", "country": "PRK", "sector": "GOV",
      "code": "PRKGOV"}, "person", KJU),  # a pronoun the coder resolved is its person
    ({"text": "he", "name": None, "country": "PRK", "sector": "GOV", "code": "PRKGOV"},
     "sector", "PRKGOV"),  # an unresolved pronoun is never an actor: its roll-up
    ({"text": "It", "name": "North Korea", "country": "PRK", "sector": None, "code": "PRK"},
     "country", "PRK"),
    ({"text": "DPRK Foreign Ministry", "name": "DPRK Foreign Ministry", "country": "PRK",
      "sector": "GOV", "code": "PRKGOV"}, "organisation", "org:DPRK Foreign Ministry"),
    ({"text": "puppet military", "name": "puppet military", "country": "KOR", "sector": "MIL",
      "code": "KORMIL"}, "sector", "KORMIL"),  # a pejorative description is no name
    ({"text": "Japanese political parties", "name": "Japan", "country": "JPN", "sector": "GOV",
      "code": "JPNGOV"}, "sector", "JPNGOV"),
    ({"text": "Vladimirovich Ruzenkov", "name": "Vladimirovich Ruzenkov", "country": "BLR",
      "sector": "GOV", "code": "BLRGOV"}, "person", "person:Vladimirovich Ruzenkov"),
    ({"text": "KCNA", "name": None, "country": "PRK", "sector": None, "code": "PRK"},
     "country", "PRK"),
])
def test_actor_identity_is_kept_apart_from_the_mention(side: dict[str, Any], kind: str,
                                                       key: str) -> None:
    got = derive.resolve_actor(side)
    assert got is not None and (got.kind, got.key) == (kind, key)


def test_a_side_is_found_by_its_identity_its_sector_and_its_country() -> None:
    assert dict(derive.actor_keys(ACTORS["KJU"])) == {KJU: "person", "PRKGOV": "sector",
                                                      "PRK": "country"}
    assert derive.actor_keys(None) == [] and derive.resolve_actor(None) is None
    assert derive.key_label("PRKGOV") == "North Korea · government"
    assert derive.key_label("RUS") == "Russia" and derive.key_label(KJU) == "Kim Jong Un"


PYONGYANG = {"text": "Pyongyang", "name": "Pyongyang", "country": "PRK", "lat": 39.0339,
             "lon": 125.7543}


@pytest.mark.parametrize(("location", "sentence", "dateline", "want"), [
    (PYONGYANG, "Talks were held in Pyongyang.", "Pyongyang", ("city", "PRK/Pyongyang")),
    (PYONGYANG, "Talks were held.", "Pyongyang", ("dateline", "PRK/Pyongyang")),
    ({**PYONGYANG, "text": "here"}, "A meeting was held here.", "Pyongyang",
     ("dateline", "PRK/Pyongyang")),
    ({"text": "Republic", "name": "Republic", "country": "USA", "lat": 37.12, "lon": -93.48},
     "our Republic will respond", None, None),  # not Republic, Missouri
    ({"text": "the Korean peninsula", "name": "Korean peninsula", "country": None,
      "lat": 38.0, "lon": 127.0}, "tension on the Korean peninsula", None, None),
    ({"text": "Belgorod Region", "name": "Belgorod", "country": "RUS", "lat": 50.6,
      "lon": 36.58}, "shelling of Belgorod Region", None, ("region", "RUS/Belgorod")),
    ({"text": "North Phyongan Province", "name": "North Phyongan Province", "country": "PRK",
      "lat": 40.1, "lon": 125.0}, "floods in North Phyongan Province", None,
     ("region", "PRK/North Phyongan Province")),
    (None, "Talks were held.", "Pyongyang", None),
])
def test_geo_precision(location: dict[str, Any] | None, sentence: str, dateline: str | None,
                       want: tuple[str, str] | None) -> None:
    got = derive.geo_of(location, sentence, dateline)
    assert (got.precision, got.place) == want if want else got is None


def test_a_country_level_place_is_drawn_at_its_centroid_not_its_capital() -> None:
    dprk = {"text": "DPRK", "name": "Democratic People's Republic of Korea", "country": "PRK",
            "lat": 39.0339, "lon": 125.7543}  # the gazetteer gives the capital's point
    got = derive.geo_of(dprk, "The DPRK launched a satellite.", "Pyongyang")
    assert got is not None and got.precision == "country" and got.place == "PRK"
    assert (got.lat, got.lon) == derive.centroids()["PRK"] != (39.0339, 125.7543)


# ---------------------------------------------------------------------------------- filters


DYAD = {"E1", "E2", "E3", "E4", "E5", "E7", "E8", "E11"}


@pytest.mark.parametrize(("f", "want"), [
    (ViewFilter(a="PRK", b="RUS"), DYAD),
    (ViewFilter(a="PRK", b="RUS", direction="ab"), {"E1", "E2", "E5", "E7", "E11"}),
    (ViewFilter(a="PRK", b="RUS", direction="ba"), {"E3", "E4", "E8"}),
    (ViewFilter(a=KJU, b="RUS"), {"E1", "E2", "E3", "E4", "E5"}),
    (ViewFilter(a=KJU, b=PUTIN), {"E1", "E4", "E5"}),
    (ViewFilter(a="RUSGOV", b="PRKGOV"), {"E1", "E4", "E5"}),
    (ViewFilter(actor="PRKGOV"), {"E1", "E2", "E3", "E4", "E5"}),
    (ViewFilter(actor="PRK"), {"E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E10", "E11"}),
    (ViewFilter(actor=KJU, direction="ab"), {"E1", "E2", "E5"}),
    # containment: a date known only to its year or month is in no narrower period
    (ViewFilter(since="2018-05", until="2018-05"), set()),
    (ViewFilter(since="2018", until="2018"), {"E2"}),
    (ViewFilter(since="2023-12", until="2023-12"), {"E6", "E9"}),
    (ViewFilter(since="2023-12-24", until="2023-12-24"), {"E6"}),
    (ViewFilter(since="2024-08"), {"E4", "E5", "E7", "E8", "E10", "E11"}),
    (ViewFilter(since="2024-08-16", until="2024-08-16", basis="published"),
     {"E4", "E5", "E11"}),
    (ViewFilter(date_precision="year"), {"E2"}),
    (ViewFilter(types=("SUPPORT", "AGREE")), {"E4", "E5", "E7"}),
    (ViewFilter(cameo="04"), {"E1", "E2", "E3"}),
    (ViewFilter(quad_class=2, a="PRK", b="RUS"), {"E7", "E8"}),
    (ViewFilter(geo=("city",)), {"E8"}),
    (ViewFilter(place="PRK/Pyongyang"), {"E8"}),
    (ViewFilter(q="Vladivostok", a="PRK", b="RUS"), {"E1", "E2"}),
    (ViewFilter(outlet="Rodong Sinmun"), {"E1", "E2"}),
])
def test_view_filters(filled: Store, f: ViewFilter, want: set[str]) -> None:
    assert event_ids(filled, f) == want
    counts = filled.view_counts(f)
    assert counts["mentions"] == len(want)
    assert counts["events"] <= counts["mentions"]


def test_a_geo_filter_of_none_keeps_the_events_without_a_place(filled: Store) -> None:
    assert event_ids(filled, ViewFilter(geo=("none",))) == {
        "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E9", "E10", "E11"}


def test_counts_are_clusters_with_mentions_and_articles_beside(filled: Store) -> None:
    f = ViewFilter(a="PRK", b="RUS")
    counts = filled.view_counts(f)
    assert counts["mentions"] == len(DYAD)
    assert counts["events"] == filled.count_events(dyad="PRK-RUS", unique=True)
    assert counts["articles"] == 5  # seed, MILDEL, GREET, REPLY, TALKS
    unique = list(filled.view_iter_events(f, unique=True))
    assert len(unique) == counts["events"]
    assert all(e["num_mentions"] >= 1 and e["num_articles"] >= 1 for e in unique)


def test_events_come_in_the_stored_sort_order_and_page(filled: Store) -> None:
    every = list(filled.view_iter_events(ViewFilter(), unique=False))
    keys = [derive.date_bounds(e["date"] or e["article"]["published"])[0] for e in every]
    assert keys == sorted(keys)
    pages = [e["id"] for off in range(0, 11, 4)
             for e in filled.view_events(ViewFilter(), unique=False, limit=4, offset=off)]
    assert pages == [e["id"] for e in every]
    latest = filled.view_events(ViewFilter(), unique=False, descending=True, limit=1)
    assert latest[0]["id"] in {"E7", "E8"}  # 2024-08-27
    by_score = filled.view_events(ViewFilter(), unique=False, sort="goldstein", limit=11)
    assert [e["goldstein"] for e in by_score] == sorted(e["goldstein"] for e in every)
    with pytest.raises(QueryError):
        filled.view_events(ViewFilter(), sort="title; DROP TABLE events")


def test_view_events_carry_identity_and_place(filled: Store) -> None:
    by_id = {e["id"]: e for e in filled.view_iter_events(ViewFilter(), unique=False)}
    assert by_id["E1"]["source_actor"] == {"kind": "person", "key": KJU, "label": "Kim Jong Un"}
    assert by_id["E2"]["target_actor"]["key"] == "RUS"
    assert by_id["E9"]["target_actor"] is None
    assert by_id["E8"]["geo"]["precision"] == "city"
    assert by_id["E11"]["published"] == "2024-08-16"


# ---------------------------------------------------------------------------------- aggregates


def test_timeline_keeps_coarse_dates_out_of_the_months(filled: Store) -> None:
    rows = filled.view_timeline(ViewFilter(a="PRK", b="RUS"), "month")
    cells = {(r["period"], r["dir"], r["quad"]): r["events"] for r in rows}
    assert cells[("2018-00", "ab", 1)] == 1  # E2, dated 2018 only: its own band
    assert cells[("2019-04", "ab", 1)] == 1  # E1
    assert cells[("2024-07", "ba", 1)] == 1  # E3: RUS → KJU
    assert cells[("2024-08", "ab", 1)] == 1  # E5
    assert cells[("2024-08", "ba", 1)] == 1  # E4
    assert cells[("2024-08", "ab", 2)] == 1 and cells[("2024-08", "ba", 2)] == 1  # E7, E8
    assert cells[("2024-08", "ab", 3)] == 1  # E11, undated: its publication month
    assert sum(cells.values()) == filled.view_counts(ViewFilter(a="PRK", b="RUS"))["events"]
    years = filled.view_timeline(ViewFilter(a="PRK", b="RUS"), "year")
    assert {r["period"] for r in years} == {"2018", "2019", "2024"}
    with pytest.raises(QueryError):
        filled.view_timeline(ViewFilter(), "fortnight")


def test_volume_counts_articles_published_per_period(filled: Store) -> None:
    assert filled.view_volume(ViewFilter(), "month") == {
        "2020-04": 1, "2023-12": 1, "2024-07": 1, "2024-08": 4}
    assert filled.view_volume(ViewFilter(outlet="Rodong Sinmun"), "year") == {"2020": 1}


def test_actors_by_identity_with_roll_ups_apart(filled: Store) -> None:
    people = {a["key"]: a for a in filled.view_actors(ViewFilter(), kinds=("person",))}
    assert people[KJU]["events"] == 5
    assert (people[KJU]["as_source"], people[KJU]["as_target"]) == (3, 2)
    assert people[PUTIN]["events"] == 3
    sectors = {a["key"]: a["events"] for a in filled.view_actors(ViewFilter(),
                                                                 kinds=("sector",))}
    assert sectors["PRKGOV"] == 5 and sectors["RUSGOV"] == 3 and sectors["RUSMIL"] == 1
    countries = {a["key"]: a["events"] for a in filled.view_actors(ViewFilter(),
                                                                   kinds=("country",))}
    assert countries["PRK"] == 10 and countries["JPN"] == 2
    assert filled.view_actor_count(ViewFilter(), ("person",)) == 2
    assert filled.view_actor_totals(ViewFilter(), KJU) == {
        "events": 5, "as_source": 3, "as_target": 2, "mentions": 5, "articles": 4}
    assert filled.view_actor_totals(ViewFilter(since="2024-08"), "PRK")["mentions"] == 6
    assert filled.view_mention_forms(KJU) == [{"text": "Kim Jong Un", "mentions": 5}]
    named = {r["key"]: r["mentions"] for r in filled.view_named_keys()}
    assert named == {KJU: 5, PUTIN: 3, "org:Russian military delegation": 1}
    assert filled.view_key_mentions(["PRK", "RUSMIL", "NOPE"]) == {"PRK": 10, "RUSMIL": 1}
    others = {a["key"] for a in filled.view_actors(ViewFilter(), counterpart_of=KJU)}
    assert others == {PUTIN, "RUSGOV", "RUS", "RUSMIL", "org:Russian military delegation"}
    assert filled.view_actor_count(ViewFilter(), counterpart_of=KJU) == len(others)
    assert filled.view_actor_kinds(ViewFilter(), counterpart_of=KJU) == {
        "person": 1, "organisation": 1, "sector": 2, "country": 1}
    assert sum(filled.view_actor_kinds(ViewFilter()).values()) == filled.view_actor_count(
        ViewFilter())


def test_network_and_places(filled: Store) -> None:
    pairs = {(p["a"], p["b"]): p for p in filled.view_network(ViewFilter())}
    assert pairs[("PRK", "RUS")]["mentions"] == len(DYAD)
    assert set(pairs) == {("PRK", "RUS"), ("JPN", "PRK"), ("PRK", "USA")}
    [place] = filled.view_places(ViewFilter())
    assert (place["place"], place["precision"], place["events"]) == ("PRK/Pyongyang", "city", 1)
    assert filled.view_geo_counts(ViewFilter())["none"] == 10


def test_search_narrowed_by_the_filters(filled: Store) -> None:
    hits, facets = filled.view_search(ViewFilter(q="Kim Jong Un"))
    assert facets["total"] == len(hits) >= 4
    narrowed, nf = filled.view_search(ViewFilter(q="Kim Jong Un", since="2024-08",
                                                 until="2024-08"))
    assert {h["published"][:7] for h in narrowed} == {"2024-08"}
    assert nf["total"] == len(narrowed) < facets["total"]
    assert all("<mark>" in h["snippet_html"] for h in narrowed)
    typed, _ = filled.view_search(ViewFilter(q="Kim Jong Un", types=("CONSULT",)))
    assert len(typed) == 2 and "seed-rodong-2020-04-23" in {h["id"] for h in typed}  # + E3's
    articles, total = filled.view_articles(ViewFilter(since="2024-08-16", until="2024-08-16",
                                                      basis="published"))
    assert total == len(articles) == 2


def test_derived_columns_are_filled_for_rows_stored_before(target: str,
                                                          world: list[Any]) -> None:
    """Events stored by an older Tidings (no event_facts or event_actors rows, or rows of an
    older derivation) are derived when the store is opened, a batch per transaction."""
    with Store(target) as s:
        for art, evs in world:
            s.add(art, evs, sentences_of(art.text))
        before = s.view_counts(ViewFilter(a="PRK", b="RUS"))
        with s._transaction():
            s._execute("DELETE FROM event_actors")
            s._execute("DELETE FROM event_facts WHERE event_pk % 2 = 0")
            s._execute("UPDATE event_facts SET derive_version = 0, geo_place = NULL")
            # the roll-ups as migrations 4 and 5 fill them from the rows such a store has
            for version in (4, 5):
                for stmt in schema.statements(version, s.dialect):
                    if stmt.startswith("INSERT INTO "):
                        s._execute(f"DELETE FROM {stmt.split()[2]}")
                        s._execute(stmt)
        assert s.view_counts(ViewFilter(a="PRK", b="RUS"))["mentions"] == 0
    with Store(target) as s:
        assert s.view_counts(ViewFilter(a="PRK", b="RUS")) == before
        assert event_ids(s, ViewFilter(place="PRK/Pyongyang")) == {"E8"}


def test_stored_id_finds_a_duplicate_by_its_text(filled: Store, world: list[Any]) -> None:
    art = world[0][0]
    again = dataclasses.replace(art, id="another-id")
    assert filled.stored_id(again) == art.id
    assert filled.stored_id(Article(id="new", text="Never stored.")) is None


def test_article_events_of_any_date_are_derived(tmp_path: Path) -> None:
    """An event with neither date nor publication date sorts last and passes no date bound."""
    art = Article(id="undated", text="The DPRK denounced Japan.\n")
    ev = make_event("U1", art, 0, "PRK", "JPN", "ACCUSE", "112", 3, -2.0, -2.0, None, None)
    with Store(str(tmp_path / "u.db")) as s:
        s.add(art, [ev], sentences_of(art.text))
        assert event_ids(s, ViewFilter(since="1000")) == set()
        assert event_ids(s, ViewFilter(until="2999")) == set()
        assert event_ids(s, ViewFilter(actor="JPN")) == {"U1"}
