"""Exports: GDELT 2.0 event table (61 columns), PLOVER JSON, CSV, JSONL and Parquet."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tidings import export, formats

LAOS = ("Pyongyang, September 10 (KCNA) -- Choe Son Hui, minister of Foreign Affairs of the "
        "DPRK, held talks with the foreign minister of Laos in Pyongyang on Monday.")
REAL = (
    "kcna-6f9e3f6aa162",  # Kim Jong Un receives Sergei Shoigu
    "kcna-3da54c85fc20",  # Kim Jong Un receives Russian military delegation
    "kcna-5eb17d93232d",  # DPRK foreign minister leaves for Russia
    "kcna-4b46376a3791",  # two versions of one report (same URL)
    "kcna-8970f115c7a2",
)


@pytest.fixture(scope="module")
def store(shared, tmp_path_factory):
    from tidings import readers
    from tidings.model import Article
    from tidings.pipeline import CodedArticle, code_articles
    from tidings.store import Store

    with (shared / "corpus" / "kcna_2024_dev.jsonl").open(encoding="utf-8") as f:
        raw = {a["id"]: a for a in map(json.loads, f) if a["id"] in REAL}
    arts: list = [
        Article(id=i, text=raw[i]["text"], title=raw[i]["title"], url=raw[i]["url"],
                published=raw[i]["date"], source="KCNA")
        for i in REAL
    ]  # fmt: skip
    arts += list(readers.read([str(shared / "corpus" / "seed-rodong-2020-04-23.txt")]))
    # a dyad other than PRK-RUS, written for these tests, so a dyad filter has something to
    # leave out whatever the real reports' codings (the naval-base reports code nothing now)
    arts.append(Article(id="written-laos", text=LAOS, title="Talks with Laos", source="KCNA",
                        published="2024-09-10"))
    s = Store(str(tmp_path_factory.mktemp("export") / "t.db"))
    for r in code_articles(arts):
        assert isinstance(r, CodedArticle), r
        s.add(r.article, r.events, r.sentences)
    yield s
    s.close()


def test_gdelt_columns_in_codebook_order():
    c = export.GDELT_COLUMNS
    assert len(c) == 61 and len(set(c)) == 61
    assert c[:6] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code")
    assert c[12] == "Actor1Type1Code" and c[15] == "Actor2Code" and c[25] == "IsRootEvent"
    assert c[26:35] == (
        "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
        "NumMentions", "NumSources", "NumArticles", "AvgTone",
    )  # fmt: skip
    assert c[35] == "Actor1Geo_Type" and c[43] == "Actor2Geo_Type" and c[51] == "ActionGeo_Type"
    assert c[53] == "ActionGeo_CountryCode" and c[55] == "ActionGeo_ADM2Code"
    assert c[59:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_dates_and_precision():
    assert export.gdelt_dates("2019-04-25") == ("20190425", "201904", "2019", "2019.3973")
    assert export.gdelt_dates("2024-06")[0] == "20240601"
    assert export.gdelt_dates("2024")[0] == "20240101"
    assert export.gdelt_dates(None) == ("", "", "", "")
    assert export.gdelt_dates("2024-02-30") == ("", "", "", "")


def test_fips_table():
    assert export.fips("PRK") == "KN" and export.fips("KOR") == "KS"
    assert export.fips("RUS") == "RS" and export.fips("USA") == "US" and export.fips("XXX") == ""


def test_gdelt_row_fields():
    ev = {
        "id": "e1", "doc_id": "a1", "sentence_index": 0, "event_type": "CONSULT",
        "cameo": "042", "quad_class": 1, "goldstein": 1.9,
        "source": {"name": "Kim Jong Un", "country": "PRK", "sector": "GOV", "code": "PRKGOV"},
        "target": {"name": "United Nations", "country": "IGO", "code": "IGOUNO"},
        "date": "2024-09-14",
        "location": {"name": "Pyongyang", "country": "PRK", "lat": 39.0339, "lon": 125.7543},
        "article": {"id": "a1", "url": "http://x/1", "published": "2024-09-14", "tone": 2.5},
        "num_mentions": 3, "num_sources": 2, "num_articles": 2, "avg_tone": 1.25,
    }  # fmt: skip
    row = dict(zip(export.GDELT_COLUMNS, export.gdelt_row(ev), strict=True))
    assert row["Actor1Code"] == "PRKGOV" and row["Actor1Name"] == "KIM JONG UN"
    assert row["Actor1CountryCode"] == "PRK" and row["Actor1Type1Code"] == "GOV"
    assert row["Actor2KnownGroupCode"] == "UNO" and row["Actor2CountryCode"] == ""
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("042", "042", "04")
    assert row["IsRootEvent"] == "1" and row["NumMentions"] == "3" and row["AvgTone"] == "1.2500"
    assert row["ActionGeo_Type"] == "4" and row["ActionGeo_CountryCode"] == "KN"
    assert row["ActionGeo_Lat"] == "39.0339" and row["Actor1Geo_Type"] == "0"
    assert row["DATEADDED"] == "20240914000000" and row["SOURCEURL"] == "http://x/1"
    ev["location"] = {"name": "Russian Federation", "country": "RUS", "lat": 55.75, "lon": 37.6}
    assert export.gdelt_row(ev)[51] == "1"  # the country itself
    ev["location"] = {"name": "South Hwanghae Province", "country": "PRK", "lat": 38.2, "lon": 1}
    assert export.gdelt_row(ev)[51] == "5"


def test_export_gdelt_file_reads_as_61_columns(store, tmp_path):
    path = tmp_path / "events.gdelt.tsv"
    n = export.write(store, "gdelt", path)
    rows = list(csv.reader(path.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert n == len(rows) > 0
    assert all(len(r) == 61 for r in rows)
    mentions = len(store.events())
    assert n < mentions  # one row per event, not per mention
    for r in rows:
        row = dict(zip(export.GDELT_COLUMNS, r, strict=True))
        assert row["SQLDATE"].isdigit() and len(row["SQLDATE"]) == 8
        assert row["EventBaseCode"] == row["EventCode"][:3]
        assert row["EventRootCode"] == row["EventCode"][:2]
        assert int(row["NumMentions"]) >= int(row["NumArticles"]) >= 1
        assert row["GLOBALEVENTID"].isdigit()
        assert len(row["DATEADDED"]) == 14 and row["DATEADDED"].isdigit()  # when stored
    assert len({r[0] for r in rows}) == n  # ids unique


def test_export_filters_apply(store, tmp_path):
    n_all = export.write(store, "jsonl", tmp_path / "all.jsonl")
    n_rus = export.write(store, "jsonl", tmp_path / "rus.jsonl", dyad="PRK-RUS")
    assert 0 < n_rus < n_all == len(store.events())
    for line in (tmp_path / "rus.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        sides = {(rec["source"] or {}).get("country"), (rec["target"] or {}).get("country")}
        assert "RUS" in sides and "cluster_id" in rec
        assert rec["article"]["id"]


def test_export_unique_has_fewer_rows_than_mentions(store, tmp_path):
    n_all = export.write(store, "csv", tmp_path / "all.csv")
    n_unique = export.write(store, "csv", tmp_path / "u.csv", unique=True)
    assert n_unique < n_all


def test_export_csv_columns(store, tmp_path):
    path = tmp_path / "e.csv"
    n = export.write(store, "csv", path, type="CONSULT")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert tuple(rows[0].keys()) == export.EXPORT_COLUMNS and len(rows) == n
    assert {r["event_type"] for r in rows} == {"CONSULT"}
    assert all(r["cluster_id"] and int(r["num_articles"]) >= 1 for r in rows)


def test_export_parquet_schema_and_rows(store, tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "e.parquet"
    n = export.write(store, "parquet", path)
    table = pq.read_table(path)
    assert table.num_rows == n > 0
    assert tuple(table.column_names) == export.EXPORT_COLUMNS
    assert str(table.schema.field("goldstein").type) == "double"
    assert str(table.schema.field("num_mentions").type) == "int64"
    empty = tmp_path / "none.parquet"
    assert export.write(store, "parquet", empty, since="2100") == 0
    assert pq.read_table(empty).num_rows == 0


def test_export_plover_json(store, tmp_path):
    path = tmp_path / "e.json"
    n = export.write(store, "plover", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == n > 0
    rec = data[0]
    for key in ("event_id", "event_date", "event_type", "event_mode", "contexts", "actor",
                "recipient", "location", "source", "num_mentions"):  # fmt: skip
        assert key in rec
    assert {"name", "country", "sectors"} <= set(rec["actor"])
    assert rec["source"]["article_id"] and rec["source"]["publication_date"]


def test_write_rejects_unknown_format(store, tmp_path):
    with pytest.raises(ValueError):
        export.write(store, "xml", tmp_path / "x")
    with pytest.raises(ValueError):
        export.write(store, "parquet", "-")


def test_write_to_stdout(store, capsys):
    n = export.write(store, "gdelt", "-", dyad="PRK-RUS")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == n and all(len(ln.split("\t")) == 61 for ln in lines)


def test_flat_rows_empty_event():
    row = formats.flat({})
    assert set(row) == set(export.EXPORT_COLUMNS) and all(v is None for v in row.values())
    buf = io.StringIO()
    assert export.write_gdelt([], buf) == 0 and buf.getvalue() == ""
