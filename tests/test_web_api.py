"""The HTTP API and pages of tidings.web through the ASGI test client, over a real SQLite
store holding real KCNA / Rodong Sinmun articles.

The events of the shared store are hand-built on the real texts (``build_store``: sentences
naming two countries, typed by a keyword), so every count and offset below is known exactly;
ingest tests go through the real pipeline.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pgtest import pg_schema

from tidings.model import Article
from tidings.store import Store
from tidings.web import app as webapp
from tidings.web import charts, exports
from tidings.web.app import create_app, highlight_segments, snippet_parts
from tidings.web.hygiene import PerState
from tidings.web.settings import WebSettings

# --------------------------------------------------------------------------------------------
# the test store

SERVE_TIMEOUT_S = 120  # a served ingest loads the spaCy model first
KCNA_ARTICLES = 10  # real KCNA articles naming Russia and the DPRK
CONFLICT_ARTICLES = 3  # real KCNA articles with a conflict verb between two countries
MAX_TEXT = 9000  # characters; keeps the store small
COUNTRIES = {
    "Russian Federation": "RUS", "Russia": "RUS", "Putin": "RUS", "Moscow": "RUS",
    "DPRK": "PRK", "Kim Jong Un": "PRK", "Pyongyang": "PRK",
    "Japan": "JPN", "U.S.": "USA", "United States": "USA", "China": "CHN",
}  # fmt: skip
NAMES = {"RUS": "Russia", "PRK": "North Korea", "JPN": "Japan", "USA": "United States",
         "CHN": "China"}
# keyword → (PLOVER type, CAMEO, Goldstein, quad class); first match in the sentence wins
TYPES = (
    ("denounc", ("ACCUSE", "112", -2.0, 3)), ("condemn", ("ACCUSE", "112", -2.0, 3)),
    ("threat", ("THREATEN", "130", -4.4, 3)), ("drill", ("MOBILIZE", "152", -7.2, 4)),
    ("aid", ("AID", "070", 7.0, 2)), ("agreement", ("AGREE", "057", 8.0, 1)),
    ("met ", ("CONSULT", "040", 1.0, 1)), ("talks", ("CONSULT", "040", 1.0, 1)),
    ("visit", ("CONSULT", "042", 1.9, 1)), ("delegation", ("CONSULT", "043", 2.8, 1)),
    ("friend", ("COOPERATE", "050", 3.5, 1)),
)  # fmt: skip
PLACES = {"Pyongyang": ("PRK", 39.03, 125.75), "Moscow": ("RUS", 55.75, 37.62),
          "Vladivostok": ("RUS", 43.12, 131.89)}
SENTENCE = re.compile(r"[^.\n]+(?:\.|$)", re.M)
XSS_ID = "xss-test-article"
XSS_TEXT = (
    "Pyongyang, May 1 (KCNA) -- The DPRK denounced Japan <script>window.__xss = 1;"
    "document.title='pwned'</script> and <img src=x onerror=\"window.__xss = 2\"> "
    "for its moves.\nA DPRK delegation met Russia's envoy in Moscow.\n"
)


def _countries(sentence: str) -> list[tuple[str, str]]:
    """(code, surface form) of each country named, in order of first mention."""
    found: dict[str, str] = {}
    for _, code, form in sorted((m.start(), code, k) for k, code in COUNTRIES.items()
                                for m in re.finditer(re.escape(k), sentence)):
        found.setdefault(code, form)
    return list(found.items())


def hand_code(article: Article) -> list[dict[str, Any]]:
    """Events for sentences naming two countries, typed by the first keyword they contain."""
    events = []
    for i, m in enumerate(SENTENCE.finditer(article.text)):
        sent = m.group(0)
        named = _countries(sent)
        codes = [c for c, _ in named]
        kind = next((v for k, v in TYPES if k in sent.lower()), None)
        if len(codes) < 2 or kind is None:
            continue
        etype, cameo, gold, quad = kind
        place = next(((p, *v) for p, v in PLACES.items() if p in sent), None)
        lead = len(sent) - len(sent.lstrip())
        start, end = m.start() + lead, m.end()
        events.append({
            "id": f"{article.id}-e{len(events)}", "doc_id": article.id, "sentence_index": i,
            "sentence": article.text[start:end], "event_type": etype, "mode": None,
            "cameo": cameo, "quad_class": quad, "goldstein": gold, "plover_score": gold,
            "source": {"text": named[0][1], "name": NAMES[codes[0]], "country": codes[0],
                       "sector": None, "code": codes[0]},
            "target": {"text": named[1][1], "name": NAMES[codes[1]], "country": codes[1],
                       "sector": None, "code": codes[1]},
            "date": article.published, "date_precision": "day", "date_text": None,
            "location": ({"text": place[0], "name": place[0], "country": place[1],
                          "lat": place[2], "lon": place[3]} if place else None),
            "event_text": sent.strip()[:60], "evidence": {"start": start, "end": end},
            "rule": f"test:keyword-{etype.lower()}", "date_source": "published",
        })
    return events


def real_articles(shared: Path) -> list[Article]:
    """The seed article and a handful of real KCNA articles, as stored Articles."""
    seed = (shared / "corpus" / "seed-rodong-2020-04-23.txt").read_text(encoding="utf-8")
    out = [Article(id="seed-rodong-2020-04-23", text=seed, source="Rodong Sinmun",
                   title="Historic DPRK-Russia milestone", byline="Ri Hak Nam",
                   published="2020-04-23", url="http://www.rodong.rep.kp/en/seed")]
    coop, conflict, titles = 0, 0, set()
    with open(shared / "corpus" / "kcna_2024_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            text, title = d["text"], d["title"]
            if title in titles or len(text) > MAX_TEXT:
                continue
            art = Article(id=d["id"], text=text, title=title, source=d["source"],
                          url=d["url"], published=d["date"], dateline_place="Pyongyang")
            events = hand_code(art)
            if any(e["quad_class"] >= 3 for e in events):
                if conflict >= CONFLICT_ARTICLES:
                    continue
                conflict += 1
            elif coop < KCNA_ARTICLES and "Russia" in text and "DPRK" in text and events:
                coop += 1
            else:
                continue
            titles.add(title)
            out.append(art)
            if coop >= KCNA_ARTICLES and conflict >= CONFLICT_ARTICLES:
                break
    return out


def xss_article() -> Article:
    return Article(id=XSS_ID, text=XSS_TEXT, source="<b>Evil outlet</b>",
                   title="<script>window.__xss = 3</script>Hostile title",
                   byline='<img src=x onerror="window.__xss = 4">', published="2024-05-01",
                   url="javascript:window.__xss=5")


def build_store(shared: Path, path: Path | str) -> tuple[Store, list[Article]]:
    store = Store(str(path))
    arts = [*real_articles(shared), xss_article()]
    for art in arts:
        assert store.add(art, hand_code(art)) == "added"
    return store, arts


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def built(request: pytest.FixtureRequest, shared: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list]]:
    """The test store on SQLite, and on PostgreSQL when TIDINGS_TEST_PG points at one."""
    if request.param == "sqlite":
        store, arts = build_store(shared, tmp_path_factory.mktemp("web") / "web.db")
        yield store, arts
        store.close()
        return
    with pg_schema("tidings_web") as url:
        store, arts = build_store(shared, url)
        yield store, arts
        store.close()


@pytest.fixture(scope="module")
def client(built: tuple[Store, list]) -> TestClient:
    return TestClient(create_app(built[0]))


@pytest.fixture(scope="module")
def all_events(built: tuple[Store, list]) -> list[dict[str, Any]]:
    return [e for a in built[1] for e in hand_code(a)]


# --------------------------------------------------------------------------------------------
# events


def mentions(client: TestClient, **params: Any) -> dict[str, Any]:
    """/api/events with every mention listed (count=mentions)."""
    r = client.get("/api/events", params={"count": "mentions", **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_events_page_through_the_whole_set(client: TestClient, all_events: list) -> None:
    first = mentions(client, limit=7)
    assert first["total"] == first["counts"]["mentions"] == len(all_events) > 20
    seen = []
    for offset in range(0, first["total"], 7):
        seen += [e["id"] for e in mentions(client, limit=7, offset=offset)["events"]]
    assert sorted(seen) == sorted(e["id"] for e in all_events)
    assert len(set(seen)) == len(seen)


def test_events_count_clusters_by_default_with_mentions_and_articles_beside(
        client: TestClient, built: tuple[Store, list], all_events: list) -> None:
    got = client.get("/api/events", params={"limit": 1000}).json()
    assert got["count"] == "events"
    assert got["total"] == got["counts"]["events"] == built[0].count_events(unique=True)
    assert got["counts"]["mentions"] == len(all_events) > got["total"]
    assert got["counts"]["articles"] == len({e["doc_id"] for e in all_events})
    assert len(got["events"]) == got["total"]
    assert sum(e["num_mentions"] for e in got["events"]) == len(all_events)


def test_dyad_filter_both_directions_and_directed(client: TestClient, all_events: list) -> None:
    def pair(e: dict) -> tuple[str, str]:
        return e["source"]["country"], e["target"]["country"]

    both = mentions(client, a="PRK", b="RUS", limit=1000)
    expected = [e for e in all_events if set(pair(e)) == {"PRK", "RUS"}]
    assert both["total"] == len(expected) > 0
    assert {pair(e) for e in both["events"]} == {pair(e) for e in expected}
    for params in ({"dyad": "PRK-RUS", "directed": True}, {"a": "PRK", "b": "RUS", "dir": "ab"}):
        one = mentions(client, limit=1000, **params)
        assert one["total"] == sum(pair(e) == ("PRK", "RUS") for e in all_events)
        assert all(pair(e) == ("PRK", "RUS") for e in one["events"])


@pytest.mark.parametrize(("typed", "code"), [
    ({"a": "North Korea", "b": "Russia"}, {"a": "PRK", "b": "RUS"}),
    ({"a": "DPRK", "b": "Russian Federation"}, {"a": "PRK", "b": "RUS"}),
    ({"actor": "Russia"}, {"actor": "RUS"}),
    ({"actor": "japan"}, {"actor": "JPN"}),
])
def test_actor_names_and_codes_select_the_same_events(client: TestClient, typed: dict,
                                                      code: dict) -> None:
    """The knowledge base's names and aliases resolve to one identity: "Russia" and "RUS"
    are the same filter (issue #12: they gave different counts)."""
    assert mentions(client, **typed)["counts"] == mentions(client, **code)["counts"]
    assert mentions(client, **code)["total"] > 0


def test_type_quad_date_actor_and_text_filters(client: TestClient, all_events: list) -> None:
    def total(**params: Any) -> int:
        return mentions(client, **params)["total"]

    assert total(type="CONSULT") == sum(e["event_type"] == "CONSULT" for e in all_events)
    assert total(type="CONSULT,ACCUSE") == sum(e["event_type"] in ("CONSULT", "ACCUSE")
                                               for e in all_events)
    assert total(quad=3) == total(quad_class=3) == sum(e["quad_class"] == 3 for e in all_events)
    assert total(since="2024-07", until="2024-07") == sum(
        e["date"].startswith("2024-07") for e in all_events)
    assert total(actor="JPN") == sum("JPN" in (e["source"]["code"], e["target"]["code"])
                                     for e in all_events)
    placed = sum(e["location"] is not None for e in all_events)
    assert total(geo="city") == placed and total(geo="none") == len(all_events) - placed
    putin = [e for e in all_events if e["doc_id"] == "seed-rodong-2020-04-23"]
    assert total(q="Vladivostok") >= len(putin) > 0


def test_malformed_search_is_400_on_the_api_and_a_message_on_the_page(
        client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "!!! ---"}).status_code == 400
    assert client.get("/api/events", params={"q": "!!!"}).status_code == 400
    page = client.get("/", params={"q": "!!!"})
    assert page.status_code == 200 and 'class="error"' in page.text
    assert page.headers["content-type"].startswith("text/html")


BAD_FILTERS = [
    ({"since": "last week"}, "since"), ({"since": "2024-13"}, "since"),
    ({"until": "2024-02-30"}, "until"), ({"since": "2024-08", "until": "2024-07"}, "until"),
    ({"type": "BLAH"}, "type"), ({"quad": "7"}, "quad"), ({"geo": "planet"}, "geo"),
    ({"dir": "sideways"}, "dir"), ({"basis": "rumour"}, "basis"), ({"a": "PRK"}, "b"),
    ({"actor": "Atlantis"}, "actor"), ({"outlet": "Pravda"}, "outlet"),
    ({"actor": "x" * 50_001}, "actor"), ({"q": "kim " * 40}, "q"), ({"q": "x" * 5000}, "q"),
    ({"offset": "9223372036854775808"}, "offset"), ({"offset": "-1"}, "offset"),
    ({"by": "fortnight"}, "by"), ({"count": "all"}, "count"), ({"dprec": "hour"}, "dprec"),
]


@pytest.mark.parametrize(("params", "key"), BAD_FILTERS)
def test_every_bad_filter_is_a_400_naming_it(client: TestClient, params: dict, key: str) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 400, r.text[:300]
    assert key in r.json()["detail"]["errors"]


@pytest.mark.parametrize("path", ["/events", "/dyad", "/actors", "/network", "/map", "/",
                                  "/actors/PRK"])
@pytest.mark.parametrize(("params", "key"), BAD_FILTERS[::3])
def test_every_bad_filter_is_a_message_on_the_page(client: TestClient, path: str,
                                                   params: dict, key: str) -> None:
    """Never a JSON error page on an HTML route: the page, its filter bar, and a message
    naming the field (issue #12, Inputs), as a form re-rendered (200: a browser logs any 4xx
    page as a console error)."""
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, params, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    assert 'id="filter-errors"' in r.text and 'class="filterbar"' in r.text


def test_the_unknown_actor_message_suggests_names(client: TestClient) -> None:
    page = client.get("/events", params={"actor": "Rusia"}).text
    assert "no actor called" in page and "did you mean" in page


@pytest.mark.parametrize("path", ["/api/events", "/api/search?q=Putin", "/", "/events", "/dyad",
                                  "/dyad?a=PRK&b=RUS", "/?q=Putin"])
def test_huge_offsets_are_refused_not_500(client: TestClient, path: str) -> None:
    """Issue #14, item 9: offset=2**63 was a 500 (PostgreSQL: bigint out of range)."""
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}offset=9223372036854775808")
    if path.startswith("/api/"):
        assert r.status_code in (400, 422), (path, r.status_code, r.text[:200])
    else:
        assert r.status_code == 200 and 'id="filter-errors"' in r.text, path
        assert r.headers["content-type"].startswith("text/html")


def test_network_min_events_and_long_actors_are_refused_not_500(client: TestClient) -> None:
    assert client.get("/api/network", params={"min_events": 2**63}).status_code == 422
    assert client.get("/api/network", params={"min_events": 2}).status_code == 200
    for path in ("/api/events", "/api/actors", "/api/timeline", "/api/locations"):
        assert client.get(path, params={"actor": "k" * 50_001}).status_code == 400, path
    assert 'id="filter-errors"' in client.get("/events", params={"actor": "k" * 50_001}).text


def test_bad_paging_is_422(client: TestClient) -> None:
    assert client.get("/api/events", params={"limit": 10**6}).status_code == 422
    assert client.get("/api/events", params={"format": "xml"}).status_code == 422


def test_downloads_are_the_whole_filtered_set_in_every_format(
        client: TestClient, all_events: list) -> None:
    expected = sorted(e["id"] for e in all_events if e["quad_class"] == 1)
    assert len(expected) > 2
    base = {"quad": 1, "count": "mentions", "limit": 2}
    r = client.get("/api/events", params={**base, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0].keys()) == tuple(h for h, _ in exports.EVENT_CSV)
    assert sorted(row["id"] for row in rows) == expected
    for col in ("published", "outlet", "title", "url", "date_precision", "date_source",
                "place_precision", "confidence", "num_mentions", "num_articles"):
        assert col in rows[0], col
    assert all(row["published"] and row["outlet"] and row["title"] for row in rows)
    r = client.get("/api/events", params={**base, "format": "jsonl"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert sorted(x["id"] for x in lines) == expected
    assert all(x["evidence"]["end"] > x["evidence"]["start"] for x in lines)
    r = client.get("/api/events", params={**base, "format": "gdelt"})
    assert len(r.text.splitlines()) == len(expected)
    r = client.get("/api/events", params={**base, "format": "plover"})
    assert sorted(x["mention_id"] for x in r.json()) == expected
    unique = client.get("/api/events", params={"quad": 1, "format": "csv"}).text
    events = client.get("/api/events", params={"quad": 1}).json()["total"]
    assert len(list(csv.DictReader(io.StringIO(unique)))) == events


def test_csv_cells_cannot_start_a_formula() -> None:
    ev = {"id": "=HYPERLINK(1)", "sentence": "@SUM(A1)", "source": {"name": "+1"},
          "goldstein": -2.0, "text": "-2.5", "word": "-cmd"}
    safe = exports.defuse(ev)
    assert safe["id"] == "'=HYPERLINK(1)" and safe["sentence"] == "'@SUM(A1)"
    assert safe["source"]["name"] == "'+1" and safe["goldstein"] == -2.0
    assert safe["text"] == "-2.5" and safe["word"] == "'-cmd"
    line = "".join(exports.csv_lines(["a"], [["=1+1"]]))
    assert line.splitlines() == ["a", "'=1+1"]


# --------------------------------------------------------------------------------------------
# articles, search, timeline, actors, network


def test_article_has_text_metadata_and_evidence_offsets(client: TestClient) -> None:
    art = client.get("/api/articles/seed-rodong-2020-04-23").json()
    assert art["byline"] == "Ri Hak Nam" and art["published"] == "2020-04-23"
    assert "Vladivostok" in art["text"]
    assert art["events"]
    for ev in art["events"]:
        ev_span = ev["evidence"]
        assert art["text"][ev_span["start"]:ev_span["end"]] == ev["sentence"]
    assert client.get("/api/articles/no-such-id").status_code == 404


def test_search_with_snippets_and_facets(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Putin"}).json()
    assert r["total"] >= 1
    assert r["results"][0]["id"] == "seed-rodong-2020-04-23"
    assert "<mark>" in r["results"][0]["snippet_html"]
    facets = r["facets"]
    assert {"outlets", "event_types", "years"} <= facets.keys()
    assert sum(f["count"] for f in facets["years"]) == r["total"]
    assert client.get("/api/search").status_code == 422
    narrowed = client.get("/api/search", params={"q": "Russia", "since": "2024",
                                                 "until": "2024"}).json()
    everywhere = client.get("/api/search", params={"q": "Russia"}).json()
    assert 0 < narrowed["total"] < everywhere["total"]
    assert {h["published"][:4] for h in narrowed["results"]} == {"2024"}


def test_timeline_counts_both_directions(client: TestClient, all_events: list) -> None:
    r = client.get("/api/timeline", params={"a": "prk", "b": "RUS", "by": "month"}).json()
    rows = r["rows"]
    dyad = [e for e in all_events
            if {e["source"]["country"], e["target"]["country"]} == {"PRK", "RUS"}]
    assert sum(x["mentions"] for x in rows) == len(dyad)
    events = client.get("/api/events", params={"a": "PRK", "b": "RUS"}).json()["total"]
    assert sum(x["events"] for x in rows) == events
    assert {x["direction"] for x in rows} == {"ab", "ba"}
    for x in rows:
        assert x["events"] == x["q1"] + x["q2"] + x["q3"] + x["q4"]
    july = [x for x in rows if x["period"] == "2024-07"]
    assert sum(x["mentions"] for x in july) == sum(e["date"].startswith("2024-07") for e in dyad)
    assert all(x["articles"] > 0 for x in july)  # the corpus-volume strip
    assert client.get("/api/timeline", params={"a": "PRK", "b": "RUS",
                                               "by": "fortnight"}).status_code == 400
    series = client.get("/api/timeline", params={"a": "PRK", "b": "RUS", "format": "csv"})
    got = list(csv.DictReader(io.StringIO(series.text)))
    assert sum(int(x["events"]) for x in got) == events


def test_actors_are_identities_with_roll_ups(client: TestClient, all_events: list) -> None:
    answer = client.get("/api/actors", params={"limit": 3})
    assert len(answer.json()) == 3 < int(answer.headers["x-total-count"])
    actors = {a["key"]: a for a in client.get("/api/actors").json()}
    prk = {e["id"] for e in all_events if "PRK" in (e["source"]["code"], e["target"]["code"])}
    assert actors["PRK"]["kind"] == "country" and actors["PRK"]["mentions"] == len(prk)
    assert not any(a["label"].lower() in ("he", "it", "we") for a in actors.values())
    suggest = client.get("/api/actors/suggest", params={"q": "Puti"}).json()
    assert suggest and suggest[0]["key"] == "person:Vladimir Putin"
    net = {(p["a"], p["b"]): p for p in client.get("/api/network").json()}
    n = sum({e["source"]["country"], e["target"]["country"]} == {"PRK", "RUS"}
            for e in all_events)
    assert net[("PRK", "RUS")]["mentions"] == n
    assert -10 <= net[("PRK", "RUS")]["mean_goldstein"] <= 10
    table = list(csv.DictReader(io.StringIO(client.get("/api/network?format=csv").text)))
    assert len(table) == len(net)


def test_locations_for_the_map(client: TestClient, all_events: list) -> None:
    places = client.get("/api/locations").json()
    assert sum(p["mentions"] for p in places) == sum(e["location"] is not None
                                                      for e in all_events)
    assert {p["name"] for p in places} <= set(PLACES)
    assert {p["precision"] for p in places} == {"city"}
    one = places[0]
    listed = mentions(client, place=one["place"], geo=one["precision"])
    assert listed["total"] == one["mentions"]


# --------------------------------------------------------------------------------------------
# pages, escaping, static files, headers


PAGES = ("/", "/?q=Putin", "/?q=%22joint", "/articles/seed-rodong-2020-04-23",
         "/dyad", "/dyad?a=PRK&b=RUS", "/dyad?a=North+Korea&b=Russia&by=year&share=1",
         "/actors", "/actors?tab=sectors", "/actors?tab=countries", "/actors?actor=PRK",
         "/actors/PRK", "/actors/Russia", "/actors/North%20Korea", "/network", "/map",
         "/map?geo=city&geo=country", "/docs", f"/articles/{XSS_ID}", "/?q=denounced",
         "/events", "/events?a=PRK&b=RUS&quad=1", "/events?count=mentions&sort=goldstein",
         "/?since=2024-07&until=2024-07", "/events?since=2024&basis=published&dir=ab")


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_and_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "cdn" not in r.text.lower()
    for ref in re.findall(r'<(?:script|link|img|image|iframe)[^>]+(?:src|href)="([^"]*)"',
                          r.text):
        assert ref.startswith("/static/"), ref


def test_dyad_page_counts_each_direction(client: TestClient, all_events: list) -> None:
    page = client.get("/dyad", params={"a": "prk", "b": "rus", "count": "mentions"}).text
    for src, tgt in (("PRK", "RUS"), ("RUS", "PRK")):
        n = sum((e["source"]["country"], e["target"]["country"]) == (src, tgt)
                for e in all_events)
        label = f"{NAMES[src]} → {NAMES[tgt]}".replace("North Korea", "North Korea")
        m = re.search(r'>(\d+)</a><span class="k">' + re.escape(label) +
                      r' events</span><span class="sub">(\d+) mentions', page)
        assert m is not None, label
        assert int(m.group(2)) == n
    data = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>',
                     page, re.S)
    assert data is not None
    chart = json.loads(data.group(1))
    months = [p["period"] for p in chart["periods"]]
    assert months == sorted(months) and "2021-01" in months  # gaps filled between 2020, 2024


def test_every_count_on_the_dyad_page_links_to_its_events(client: TestClient) -> None:
    page = client.get("/dyad", params={"a": "PRK", "b": "RUS", "by": "year"}).text
    links = re.findall(r'href="/events\?([^"]+)"', page)
    assert any("since=2024" in x and "quad=" in x for x in links)
    for link in links:
        r = client.get("/events?" + html.unescape(link))
        assert r.status_code == 200 and 'id="filter-errors"' not in r.text, link


def test_an_empty_store_renders_every_page(tmp_path: Path) -> None:
    empty = TestClient(create_app(str(tmp_path / "empty.db")))
    for path in ("/", "/?q=Putin", "/events", "/dyad", "/dyad?a=PRK&b=RUS", "/actors",
                 "/network", "/map", "/api/events", "/api/network", "/api/locations",
                 "/api/timeline?a=PRK&b=RUS", "/api/events?format=csv"):
        r = empty.get(path)
        assert r.status_code == 200, (path, r.text[:300])
    assert "The store is empty" in empty.get("/").text
    assert empty.get("/api/events").json()["total"] == 0
    assert empty.get("/api/events?format=csv").text.splitlines() == [
        ",".join(h for h, _ in exports.EVENT_CSV)]


def test_events_page_agrees_with_the_api_and_links_downloads(client: TestClient) -> None:
    params = {"a": "PRK", "b": "RUS", "type": "CONSULT"}
    api = client.get("/api/events", params=params).json()
    page = client.get("/events", params=params).text
    assert f"<strong>{api['counts']['events']}</strong> event" in page
    assert f"<strong>{api['counts']['mentions']}</strong> mention" in page
    assert page.count('class="artlink"') == min(api["total"], WebSettings().page_size)
    for fmt in ("csv", "jsonl", "gdelt", "plover"):
        assert f"/api/events?a=PRK&amp;b=RUS&amp;type=CONSULT&amp;format={fmt}" in page


def test_sortable_headers_sort_the_whole_set(client: TestClient) -> None:
    page = client.get("/events", params={"count": "mentions"}).text
    assert 'href="/events?count=mentions&amp;sort=goldstein"' in page
    scores = [e["goldstein"] for e in mentions(client, sort="goldstein", order="desc",
                                              limit=1000)["events"]]
    assert scores == sorted(scores, reverse=True)


def test_search_facets_link_to_the_matching_events(client: TestClient) -> None:
    page = client.get("/", params={"q": "Russia"}).text
    links = re.findall(r'href="/events\?([^"]+)"', page)
    assert any("type=" in x for x in links) and any("since=" in x for x in links)
    for link in links:
        r = client.get("/events?" + html.unescape(link))
        assert r.status_code == 200 and 'id="filter-errors"' not in r.text


def test_missing_pages_are_html_404s_and_api_404s_are_json(client: TestClient) -> None:
    page = client.get("/articles/<img src=x onerror=alert(1)>")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<img src=x" not in page.text
    assert client.get("/actors/NOSUCHACTOR").status_code == 404
    api = client.get("/api/articles/nope")
    assert api.status_code == 404 and api.json() == {"detail": "no such article"}


def test_untrusted_article_text_is_escaped(client: TestClient) -> None:
    page = client.get(f"/articles/{XSS_ID}").text
    assert "&lt;script&gt;window.__xss" in page
    assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;b&gt;Evil outlet&lt;/b&gt;" in page
    assert 'href="javascript:' not in page
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert all("__xss" not in s for s in scripts)
    hits = client.get("/?q=denounced").text
    assert "<script>window" not in hits and "<img src=x" not in hits


def test_highlights_cover_exactly_the_evidence() -> None:
    text = "Alpha beta gamma delta.\n"
    events = [{"evidence": {"start": 0, "end": 11}, "trigger": {"start": 6, "end": 10}},
              {"evidences": [{"start": 6, "end": 16}, {"start": 17, "end": 22}]},
              {"evidence": {"start": 20, "end": 99}}]  # clipped at the end of the text
    segs = highlight_segments(text, events)
    assert "".join(s["text"] for s in segs) == text
    assert [(s["text"], s["events"], s["trigger"]) for s in segs] == [
        ("Alpha ", [0], False), ("beta", [0, 1], True), (" gamma", [1], False),
        (" ", [], False), ("del", [1], False), ("ta", [1, 2], False), (".", [2], False),
        ("\n", [], False)]  # no highlight of the whitespace at a span's ends


def test_timelines_span_the_corpus_and_count_what_falls_outside() -> None:
    assert charts.pick_bucket("auto", ("2024-01", "2024-12"), 180) == "month"
    assert charts.pick_bucket("auto", ("1939-01", "2024-12"), 180) == "year"
    assert charts.chart_window(None, None, "2023-12-24", "2024-11-10") == ("2023-12", "2024-11")
    assert charts.chart_window("2024", "2024", "2023-12-24", "2024-11-10") == ("2024-01",
                                                                              "2024-12")
    rows = [{"period": "1939-09", "dir": "all", "quad": 4, "events": 1, "mentions": 1,
             "goldstein": -10.0},
            {"period": "2024-00", "dir": "all", "quad": 1, "events": 2, "mentions": 3,
             "goldstein": 2.0},
            {"period": "2024-07", "dir": "all", "quad": 3, "events": 4, "mentions": 5,
             "goldstein": -8.0}]
    series = charts.timeline_series(rows, {"2024-07": 10}, "month", ("2024-06", "2024-08"))
    assert [p["period"] for p in series["periods"]] == ["2024-06", "2024-07", "2024-08"]
    assert series["periods"][1]["all"]["q3"] == 4 and series["periods"][1]["articles"] == 10
    assert series["coarse"] == [{"period": "2024", "all": {
        "q1": 2, "q2": 0, "q3": 0, "q4": 0, "m1": 3, "m2": 0, "m3": 0, "m4": 0, "total": 2,
        "mentions": 3, "score": 2.0}}]
    assert series["outside"] == {"before": 1, "after": 0, "first": "1939-09",
                                 "last": "1939-09"}


def test_snippet_parts_unescape_then_mark() -> None:
    parts = snippet_parts("a &lt;b&gt; <mark>Putin</mark> &amp; <mark>Kim</mark>")
    assert parts == [("a <b> ", False), ("Putin", True), (" & ", False), ("Kim", True)]


def asgi_get(app: Any, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as a server would pass it on (httpx would normalise '..' away)."""
    import anyio

    sent: list[dict[str, Any]] = []
    asked: list[bool] = []

    async def receive() -> dict[str, Any]:
        if asked:  # the body was read; a file response then waits for a disconnect
            await anyio.sleep_forever()
        asked.append(True)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path,
             "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 8000)}
    anyio.run(app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/../../store/base.py",
                                  "/static/css/../../app.py", "/static/%2e%2e/app.py",
                                  "/static/..%2fapp.py", "/static/..\\app.py",
                                  "/static//etc/passwd", "/static/../../../../etc/passwd"])
def test_no_path_traversal_through_static(client: TestClient, path: str) -> None:
    status, body = asgi_get(client.app, "/static/css/tidings.css")
    assert status == 200 and b":root" in body  # the raw request does reach the files
    status, body = asgi_get(client.app, path)
    assert status == 404
    assert b"create_app" not in body and b"root:" not in body and b"class Store" not in body
    assert client.get(path).status_code == 404  # and as an HTTP client sends it


def test_vendored_assets_are_served(client: TestClient) -> None:
    for path in ("/static/css/tidings.css", "/static/js/charts.js",
                 "/static/vendor/world-atlas/world-110m.svg",
                 "/static/vendor/swagger-ui/swagger-ui-bundle.js"):
        assert client.get(path).status_code == 200, path
    assert client.get("/openapi.json").json()["paths"]["/api/events"]


def test_serve_binds_loopback_by_default() -> None:
    import inspect

    assert inspect.signature(webapp.serve).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(create_app).parameters["allow_ingest"].default is False


def test_loopback_app_refuses_foreign_host_headers(built: tuple[Store, list]) -> None:
    app = create_app(built[0], allowed_hosts=webapp.LOOPBACK_NAMES)
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/api/actors").status_code == 200
    assert TestClient(app, base_url="http://localhost").get("/").status_code == 200
    assert TestClient(app, base_url="http://rebound.example").get("/").status_code == 400


# --------------------------------------------------------------------------------------------
# ingest


def test_no_write_endpoint_unless_enabled(client: TestClient) -> None:
    r = client.post("/api/articles", json={"text": "The DPRK met Russia."})
    assert r.status_code == 404
    assert "post" not in client.get("/openapi.json").json()["paths"].get("/api/articles", {})


def test_serve_prints_the_token_that_ingest_then_needs(tmp_path: Path) -> None:
    """`tidings serve --allow-ingest` as a user runs it: loopback, a printed token that works,
    and nothing without it."""
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from tidings.cli import main; main()", "serve", "--db",
         str(tmp_path / "served.db"), "--port", str(port), "--allow-ingest"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        token = None
        assert proc.stdout is not None
        for line in proc.stdout:
            m = re.search(r"X-Tidings-Token: ([A-Za-z0-9_\-]+)", line)
            if m:
                token = m.group(1)
            if "Uvicorn running on http://127.0.0.1:" in line:
                break
        assert token and len(token) >= WebSettings().token_bytes
        import httpx

        url = f"http://127.0.0.1:{port}/api/articles"
        body = {"text": "The DPRK denounced Japan on Monday.", "date": "2024-05-01"}
        assert httpx.post(url, json=body, timeout=SERVE_TIMEOUT_S).status_code == 401
        r = httpx.post(url, json=body, headers={"X-Tidings-Token": token},
                       timeout=SERVE_TIMEOUT_S)
        assert r.status_code == 201, r.text
        assert httpx.get(f"http://127.0.0.1:{port}/api/articles/{r.json()['id']}",
                         timeout=SERVE_TIMEOUT_S).status_code == 200
        # serve reads a long URL whole however TCP splits it (MAX_REQUEST_HEAD_BYTES): the
        # page answers it with its own bound's message, not the transport with a bare 400
        import threading

        from test_web_bounds import raw_status

        threading.Thread(target=proc.stdout.read, daemon=True).start()  # its access log
        long_q = "/?q=" + "kim+" * 30_000  # 120 KB
        assert raw_status(port, long_q, 4096) == 200
    finally:
        proc.terminate()
        proc.wait(timeout=SERVE_TIMEOUT_S)


@pytest.fixture()
def ingest_client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(str(tmp_path / "ingest.db"), allow_ingest=True,
                                 token="s3cret-token"))


def test_ingest_needs_the_token(ingest_client: TestClient) -> None:
    body = {"text": "Kim Jong Un met Vladimir Putin in Vladivostok on Thursday."}
    assert ingest_client.post("/api/articles", json=body).status_code == 401
    assert ingest_client.post("/api/articles", json=body,
                              headers={"X-Tidings-Token": "s3cret-toke"}).status_code == 401
    assert ingest_client.post("/api/articles", json=body,
                              headers={"Authorization": "Bearer nope"}).status_code == 401


def test_ingest_caps_the_body(ingest_client: TestClient) -> None:
    cap = WebSettings().max_body_bytes
    big = "x" * (cap + 1)
    h = {"X-Tidings-Token": "s3cret-token", "Content-Type": "text/plain"}
    assert ingest_client.post("/api/articles", content=big, headers=h).status_code == 413

    def chunks():  # no Content-Length: the stream itself is capped
        for _ in range(3):
            yield b"y" * (cap // 2)

    assert ingest_client.post("/api/articles", content=chunks(), headers=h).status_code == 413
    assert ingest_client.post("/api/articles", content=b"{", headers={
        **h, "Content-Type": "application/json"}).status_code == 400
    assert ingest_client.post("/api/articles", content=b"<x/>", headers={
        **h, "Content-Type": "image/png"}).status_code == 415


def test_ingest_codes_stores_and_escapes(ingest_client: TestClient, seed_path: Path) -> None:
    h = {"X-Tidings-Token": "s3cret-token"}
    text = seed_path.read_text(encoding="utf-8")
    r = ingest_client.post("/api/articles", json={"text": text, "date": "2020-04-23",
                                                  "source": "Rodong Sinmun"}, headers=h)
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["status"] == "added" and got["events"] >= 1
    art = ingest_client.get(f"/api/articles/{got['id']}").json()
    assert len(art["events"]) == got["events"]
    again = ingest_client.post("/api/articles", json={"text": text, "date": "2020-04-23"},
                               headers=h)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert again.json()["id"] == got["id"] and again.json()["events"] == got["events"]
    r = ingest_client.post("/api/articles", content=XSS_TEXT.encode(),
                           headers={**h, "Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    page = ingest_client.get(f"/articles/{r.json()['id']}").text
    assert "&lt;script&gt;" in page and "<script>window" not in page


@pytest.mark.parametrize("day", ["20240101", "2024-W01-1", "2024-02-30", "2024-1-1", "May 1"])
def test_ingest_refuses_dates_that_are_not_days(ingest_client: TestClient, day: str) -> None:
    """Issue #14, item 11: "20240101" and "2024-W01-1" were stored as they came (Python's
    fromisoformat takes both), and broke every date filter."""
    r = ingest_client.post("/api/articles", json={"text": "The DPRK met Russia.", "date": day},
                           headers={"X-Tidings-Token": "s3cret-token"})
    assert r.status_code == 400 and "date" in r.json()["detail"]


def test_ingest_refuses_an_article_over_the_readers_cap(ingest_client: TestClient) -> None:
    """Issue #14, item 9: a 1,000,000-character line reached spaCy (E088, a 500)."""
    from tidings import readers

    h = {"X-Tidings-Token": "s3cret-token"}
    line = "The DPRK denounced Japan " * 40_000  # one line of 1,000,000 characters
    assert len(line) == 1_000_000 > readers.MAX_ARTICLE_CHARS
    for r in (ingest_client.post("/api/articles", json={"text": line}, headers=h),
              ingest_client.post("/api/articles", content=line.encode(),
                                 headers={**h, "Content-Type": "text/plain"})):
        assert r.status_code == 413, r.text[:200]
        assert f"{readers.MAX_ARTICLE_CHARS:,}" in r.json()["detail"]


def test_a_duplicate_post_answers_with_the_stored_article(tmp_path: Path, seed_path: Path
                                                          ) -> None:
    """Issue #14, item 11: a duplicate answered 201 with an id that then answered 404 (the
    text's hash, not the id the article was stored under)."""
    from tidings import pipeline

    text = seed_path.read_text(encoding="utf-8")
    with Store(str(tmp_path / "dup.db")) as store:  # stored first as `tidings ingest` would
        coded = next(pipeline.code_articles([Article(id="from-the-cli", text=text,
                                                     published="2020-04-23")]))
        assert isinstance(coded, pipeline.CodedArticle)
        assert store.add(coded.article, coded.events, coded.sentences) == "added"
        c = TestClient(create_app(store, allow_ingest=True, token="t0ken-t0ken-t0ken"))
        r = c.post("/api/articles", json={"text": text, "date": "2020-04-23"},
                   headers={"X-Tidings-Token": "t0ken-t0ken-t0ken"})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "duplicate" and r.json()["id"] == "from-the-cli"
        assert c.get(f"/api/articles/{r.json()['id']}").status_code == 200
        assert c.get(r.json()["url"]).status_code == 200


def test_ingest_html_goes_through_trafilatura(ingest_client: TestClient, shared: Path) -> None:
    import gzip

    base = shared / "html" / "trafilatura_eval_en"
    gold = json.loads((base / "evaldata_en.json").read_text(encoding="utf-8"))
    entry = next(v for v in gold.values() if v["file"] == "html/abc13.com-Copperfield.html.gz")
    html = gzip.decompress((base / entry["file"]).read_bytes())
    r = ingest_client.post("/api/articles", content=html, headers={
        "X-Tidings-Token": "s3cret-token", "Content-Type": "text/html; charset=utf-8"})
    assert r.status_code == 201, r.text
    art = ingest_client.get(f"/api/articles/{r.json()['id']}").json()
    assert art["extraction"] == "trafilatura"
    assert any(w in art["text"] for w in entry["with"])


# --------------------------------------------------------------------------------------------
# caches of whole-store values, security headers, worker processes


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, title=aid, source="KCNA", published="2024-05-01",
                   url=f"http://kcna.example/{aid}")


def _stat(page: str, label: str) -> str:
    m = re.search(r'<span class="v">([^<]*)</span><span class="k">' + label, page)
    assert m is not None, label
    return m.group(1)


def test_cached_pages_follow_every_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The actor names the filters resolve (and the typeahead offers) and the summaries are
    computed once per state of the store, and a write from this app's store or from another
    connection (another process: `tidings ingest`) shows on the very next request."""
    path = str(tmp_path / "live.db")
    store = Store(path)
    first = _article("a1", "A DPRK delegation met Russia's envoy in Moscow.")
    assert store.add(first, hand_code(first)) == "added"
    calls = []
    keys = store.view_named_keys
    monkeypatch.setattr(store, "view_named_keys", lambda: calls.append(1) or keys())
    client = TestClient(create_app(store))

    def china() -> int:
        found = client.get("/api/actors/suggest", params={"q": "China"}).json()
        return next(s["mentions"] for s in found if s["key"] == "CHN")

    assert china() == 0  # known to the knowledge base, no event yet
    assert "North Korea ↔ Russia" in client.get("/dyad").text  # busiest pairs
    assert _stat(client.get("/").text, "Articles") == "1"
    assert client.get("/events", params={"actor": "Russia"}).status_code == 200
    assert len(calls) == 1  # the later requests reused the index

    second = _article("a2", "A DPRK delegation met China's envoy in Pyongyang.")
    assert store.add(second, hand_code(second)) == "added"  # through the app's connection
    assert china() == 1
    assert "China ↔ North Korea" in client.get("/dyad").text
    assert _stat(client.get("/").text, "Articles") == "2"
    assert len(calls) == 2

    with Store(path) as other:  # another connection, as a concurrent `tidings ingest`
        third = _article("a3", "Japan denounced the United States for its drills.")
        assert other.add(third, hand_code(third)) == "added"
    page = client.get("/dyad", params={"a": "Japan", "b": "USA"})
    assert page.status_code == 200 and "Japan ↔ United States" in page.text
    assert _stat(client.get("/").text, "Articles") == "3"
    assert client.get("/api/events").json()["total"] == 3
    store.close()


def test_without_a_generation_nothing_is_cached() -> None:
    """A backend that cannot tell when data changed (PostgreSQL) computes every time."""

    class Blind:
        def generation(self) -> None:
            return None

    cache = PerState(Blind())
    values = iter(range(10))
    assert [cache.get("k", lambda: next(values)) for _ in range(3)] == [0, 1, 2]


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    refused = client.post("/api/articles", content=b"x",
                          headers={"Content-Length": str(WebSettings().max_body_bytes + 1)})
    bad_length = client.post("/api/articles", content=b"x", headers={"Content-Length": "12x"})
    answers = [client.get("/"), client.get("/api/events?limit=1"), client.get("/nope"),
               client.get("/static/css/tidings.css"), refused, bad_length]
    assert [r.status_code for r in answers] == [200, 200, 404, 200, 413, 400]
    for r in [*answers, client.get("/docs")]:
        assert r.headers["x-content-type-options"] == "nosniff", r.url
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"
        assert len(r.headers.get_list("content-security-policy")) == 1
    assert answers[0].headers["content-security-policy"] == webapp.CSP
    assert "'unsafe-inline'" in client.get("/docs").headers["content-security-policy"]


def test_worker_app_takes_its_settings_from_the_environment(
        built: tuple[Store, list], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What each process of `serve --workers N` builds: same store, token, hosts and web
    settings."""
    conf = WebSettings(page_size=7, search_timeout_s=2.5)
    monkeypatch.setenv(webapp.SERVE_ENV, json.dumps({
        "db": str(tmp_path / "w.db"), "allow_ingest": True, "token": "shared-token",
        "hosts": webapp.LOOPBACK_NAMES, "settings": conf.to_dict()}))
    with TestClient(webapp.app_from_env(), base_url="http://127.0.0.1:8000") as c:
        assert c.app.state.web.settings == conf
        assert c.get("/api/events").json()["limit"] == 7
        assert c.post("/api/articles", json={"text": "x"}).status_code == 401
        assert c.post("/api/articles", json={"text": "x"},
                      headers={"X-Tidings-Token": "shared-token", "Content-Type": "image/png"}
                      ).status_code == 415  # past the token check
    assert TestClient(webapp.app_from_env(),
                      base_url="http://rebound.example").get("/").status_code == 400


def test_serve_command_takes_workers_and_access_log(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tidings.cli import app as cli_app

    with pytest.raises(ValueError):
        webapp.serve("x.db", workers=0)
    db = str(tmp_path / "x.db")  # serving without --allow-ingest needs an existing store
    Store(db).close()
    got: list[dict[str, Any]] = []
    monkeypatch.setattr(webapp, "serve", lambda db, **kw: got.append({"db": db, **kw}))
    runner = CliRunner()
    assert runner.invoke(cli_app, ["serve", "--db", db]).exit_code == 0
    assert runner.invoke(cli_app, ["serve", "--db", db, "--workers", "2",
                                   "--no-access-log", "--port", "8123"]).exit_code == 0
    assert runner.invoke(cli_app, ["serve", "--db", db, "--setting", "page_size=100",
                                   "-s", "search_timeout_s=2.5"]).exit_code == 0
    assert got == [
        {"db": db, "host": "127.0.0.1", "port": 8000, "allow_ingest": False,
         "workers": 1, "access_log": True, "settings": WebSettings()},
        {"db": db, "host": "127.0.0.1", "port": 8123, "allow_ingest": False,
         "workers": 2, "access_log": False, "settings": WebSettings()},
        {"db": db, "host": "127.0.0.1", "port": 8000, "allow_ingest": False,
         "workers": 1, "access_log": True,
         "settings": WebSettings(page_size=100, search_timeout_s=2.5)},
    ]
    assert runner.invoke(cli_app, ["serve", "--workers", "0"]).exit_code == 2
    for bad in ("page_size=0", "pagesize=5", "page_size", "search_timeout_s=soon"):
        r = runner.invoke(cli_app, ["serve", "--setting", bad])
        assert r.exit_code == 2 and "setting" in r.output, (bad, r.output)
    assert len(got) == 3


# --------------------------------------------------------------------------------------------
# settings (issue #13: one validated object instead of module constants)


def test_settings_are_validated_by_name_and_range() -> None:
    assert WebSettings().with_overrides({"page_size": "20"}).page_size == 20
    for bad in ({"page_sise": 5}, {"page_size": 0}, {"page_size": 2.5},
                {"search_timeout_s": "never"}, {"max_query_terms": True}):
        with pytest.raises(ValueError, match="setting"):
            WebSettings().with_overrides(bad)
    with pytest.raises(ValueError, match="between"):
        WebSettings(request_threads=0)


def test_create_app_takes_settings(built: tuple[Store, list]) -> None:
    small = TestClient(create_app(built[0], settings={"page_size": 3, "max_query_terms": 2,
                                                      "max_param_chars": 20}))
    page = small.get("/events", params={"count": "mentions"}).text
    assert page.count('class="artlink"') == 3
    assert small.get("/api/events").json()["limit"] == 3
    assert small.get("/api/events", params={"q": "Kim Jong Un"}).status_code == 400
    assert small.get("/api/events", params={"q": "Kim Jong"}).status_code == 200
    assert small.get("/api/events", params={"place": "x" * 21}).status_code == 400
    with pytest.raises(ValueError, match="unknown setting"):
        create_app(built[0], settings={"nonsense": 1})


def test_coding_panel_shows_the_models_confidence_or_that_rules_decided(tmp_path: Path) -> None:
    text = "Pyongyang, May 2 (KCNA) -- The DPRK denounced Japan.\nThe DPRK met Russia's envoy.\n"
    art = Article(id="conf-test", text=text, source="KCNA", published="2024-05-02")
    events = hand_code(art)
    assert len(events) == 2
    events[0]["confidence"], events[1]["confidence"] = 0.873, None
    with Store(str(tmp_path / "c.db")) as store:
        store.add(art, events)
        page = TestClient(create_app(store)).get("/articles/conf-test").text
    panel = page[page.index('id="coding"'):]
    assert "87%" in panel and "decided by the rules" in panel
