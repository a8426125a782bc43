"""The analyst views' queries: one filter set, every aggregate in SQL over the whole set.

Every web view (events, dyad, actors, network, map, search) asks the store through one
``ViewFilter``, and every count it shows is computed by the database over everything the
filter selects: nothing is capped, sampled or summed in Python. Counts are honest in the
GDELT sense: *events* are distinct event clusters (one interaction reported in several
articles, sentences or versions counts once; tidings/clusters.py), and *mentions* (event
rows) and *articles* are given beside them.

The queries run on the narrow tables migration 3 fills when an event is stored
(store/derive.py): ``event_facts`` (alias ``e``: the integer cluster number, the padded date
bounds that sort events and keep a year-only date out of every month, the publication date,
the resolved actors and the geo-precision and place) and ``event_actors`` (every key an actor
filter finds a side by, with the event's cluster, article, score and the side's mention: the
dyad and actor filters are index lookups, and an actor table needs no join).

``ViewQueries`` is a mixin of ``Store``: both backends answer it with the same SQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tidings.store import derive
from tidings.store.common import EVENT_COLUMNS, QueryError, parse_query, text_hash
from tidings.store.rollups import NO_QUAD, NO_TYPE, Rollup, mean_goldstein

DIRECTIONS = ("both", "ab", "ba")
BASES = ("event", "published")
BUCKETS = {"month": 7, "year": 4}
# Sort orders of the events table: column → SQL (per mention; per cluster it is aggregated).
SORTS = {
    "date": "e.when_lo", "type": "e.event_type", "goldstein": "e.goldstein",
    "source": "e.source_key", "target": "e.target_key",
}  # fmt: skip
# Orders of the actors table (always busiest first within ties).
ACTOR_SORTS = {
    "events": "COUNT(DISTINCT x.cluster_no)",
    "as_source": "COUNT(DISTINCT CASE WHEN x.side = 's' THEN x.cluster_no END)",
    "as_target": "COUNT(DISTINCT CASE WHEN x.side = 't' THEN x.cluster_no END)",
    "mentions": "COUNT(DISTINCT x.event_pk)", "articles": "COUNT(DISTINCT x.article_pk)",
    "goldstein": "CAST(SUM(CAST(ROUND(x.goldstein * 1000000) AS BIGINT)) AS DOUBLE PRECISION)"
                 " / NULLIF(COUNT(x.goldstein), 0)", "key": "x.key",
}  # the mean score from its exact sum in millionths (rollups.py): equal means tie exactly
DERIVE_BATCH = 500  # events derived per statement batch when a store is upgraded
NO_PLACE = "none"  # the geo filter's value for events the map cannot place

# Derived columns the views read beside the event row (store/derive.py).
_VIEW_COLUMNS = (
    "source_kind", "source_key", "target_kind", "target_key", "geo_precision", "geo_place",
    "geo_name", "geo_lat", "geo_lon", "pub_date",
)  # fmt: skip
FACT_COLUMNS = (
    "event_pk", "article_pk", "cluster_no", "when_lo", "when_hi", "pub_date", "date_precision",
    "event_type", "cameo", "quad_class", "goldstein", "source_country", "target_country",
    "source_kind", "source_key", "target_kind", "target_key", "geo_precision", "geo_place",
    "geo_name", "geo_lat", "geo_lon", "derive_version",
)  # fmt: skip
ACTOR_COLUMNS = ("key", "side", "kind", "event_pk", "cluster_no", "article_pk", "goldstein",
                 "mention")


@dataclass(frozen=True)
class ViewFilter:
    """What an analyst view selects. Actor values are keys (derive.py): "PRK", "PRKGOV",
    "person:Kim Jong Un", "org:KCNA"; the web layer resolves typed names to them."""

    a: str | None = None  # a dyad's first side
    b: str | None = None
    direction: str = "both"  # both | ab (a → b) | ba; with one actor: ab = as source
    actor: str | None = None  # either side (ignored when a dyad is given)
    types: tuple[str, ...] = ()  # PLOVER types
    cameo: str | None = None  # CAMEO code prefix
    quad_class: int | None = None
    since: str | None = None  # YYYY[-MM[-DD]], inclusive at its precision
    until: str | None = None
    basis: str = "event"  # event: the event's date; published: the article's
    outlet: str | None = None
    geo: tuple[str, ...] = ()  # geo-precisions (derive.GEO_PRECISIONS, or NO_PLACE)
    place: str | None = None  # a place key ("PRK/Pyongyang", "PRK")
    q: str | None = None  # full-text query on the article
    article: str | None = None  # one article id
    date_precision: str | None = None  # day | month | year: the date is known to that

    def dyad(self) -> bool:
        return bool(self.a and self.b)


@dataclass
class _Where:
    """A WHERE clause under construction, with its parameters and whether it reads ``a``."""

    conds: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    articles: bool = False

    def add(self, cond: str, *params: Any) -> None:
        self.conds.append(cond)
        self.params.extend(params)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.conds) if self.conds else ""


_PAIR = (
    "SELECT s.event_pk FROM event_actors s JOIN event_actors t ON t.event_pk = s.event_pk"
    " AND t.side = 't' AND t.key = ? WHERE s.side = 's' AND s.key = ?"
)
_HAS_KEY = "SELECT x.event_pk FROM event_actors x WHERE x.key = ?"


def _dyad_cond(w: _Where, f: ViewFilter) -> None:
    if f.direction == "ab":
        w.add(f"e.event_pk IN ({_PAIR})", f.b, f.a)
    elif f.direction == "ba":
        w.add(f"e.event_pk IN ({_PAIR})", f.a, f.b)
    else:
        w.add(f"e.event_pk IN ({_PAIR} UNION {_PAIR})", f.b, f.a, f.a, f.b)


def _actor_cond(w: _Where, f: ViewFilter) -> None:
    if f.direction in ("ab", "ba"):
        side = "s" if f.direction == "ab" else "t"
        w.add(f"e.event_pk IN ({_HAS_KEY} AND x.side = ?)", f.actor, side)
    else:
        w.add(f"e.event_pk IN ({_HAS_KEY})", f.actor)


def _date_cond(w: _Where, f: ViewFilter) -> None:
    """Containment: the event's whole period (or the publication day) inside the range."""
    lo, hi = ("e.pub_date", "e.pub_date") if f.basis == "published" else ("e.when_lo",
                                                                            "e.when_hi")
    if f.since:
        w.add(f"{lo} >= ?", derive.bound_low(f.since))
        if f.basis == "event":
            w.add("e.when_lo < ?", derive.UNDATED)
    if f.until:
        w.add(f"{hi} <= ?", derive.bound_high(f.until))


def _kind_conds(w: _Where, f: ViewFilter) -> None:
    if f.types:  # event types are stored upper-cased in event_facts
        w.add(f"e.event_type IN ({', '.join('?' for _ in f.types)})", *f.types)
    if f.cameo:
        w.add("e.cameo LIKE ?", f.cameo + "%")
    if f.quad_class is not None:
        w.add("e.quad_class = ?", f.quad_class)
    if f.date_precision:
        w.add("e.date_precision = ?", f.date_precision)


def _geo_conds(w: _Where, f: ViewFilter) -> None:
    if f.geo:
        named = [g for g in f.geo if g != NO_PLACE]
        parts = []
        if named:
            parts.append(f"e.geo_precision IN ({', '.join('?' for _ in named)})")
        if NO_PLACE in f.geo:
            parts.append("e.geo_precision IS NULL")
        w.add("(" + " OR ".join(parts) + ")", *named)
    if f.place:
        w.add("e.geo_place = ?", f.place)


class ViewQueries:
    """Queries of the analyst views (mixed into Store; uses its backend hooks)."""

    dialect: str
    _lock: Any

    # backend hooks, provided by Store
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _fts_filter(self, terms: list[Any]) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def _transaction(self) -> Any:
        raise NotImplementedError

    def _with_evidences(self, rows: list[dict[str, Any]], counts: bool = False
                        ) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _events_by_article(self, pks: list[Any]) -> dict[Any, list[dict[str, Any]]]:
        raise NotImplementedError

    def search(self, q: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        raise NotImplementedError

    def search_facets(self, q: str) -> dict[str, Any]:
        raise NotImplementedError

    # ---- filters ----------------------------------------------------------------------------

    def _view_where(self, f: ViewFilter) -> _Where:
        """The WHERE clause of a filter over ``event_facts e`` (and ``articles a`` when it
        needs it)."""
        w = _Where()
        if f.dyad():
            _dyad_cond(w, f)
        elif f.actor:
            _actor_cond(w, f)
        _date_cond(w, f)
        _kind_conds(w, f)
        _geo_conds(w, f)
        if f.outlet:
            w.add("a.source = ?", f.outlet)
            w.articles = True
        if f.article:
            w.add("a.id = ?", f.article)
            w.articles = True
        if f.q and f.q.strip():
            cond, params = self._fts_filter(parse_query(f.q))
            w.add(cond, *params)
            w.articles = True
        return w

    @staticmethod
    def _from(w: _Where) -> str:
        join = " JOIN articles a ON a.pk = e.article_pk" if w.articles else ""
        return " FROM event_facts e" + join + w.sql()

    def _rows(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self._lock:
            return self._query(sql, params)

    # ---- counts and events ------------------------------------------------------------------

    def view_counts(self, f: ViewFilter) -> dict[str, Any]:
        """{events: clusters, mentions: event rows, articles, mean_goldstein (of the
        mentions; None when none is scored)} the filter selects."""
        if self._only_dyad(f):
            return self._rollup_counts(f)
        # any other filter: the general query (the roll-ups hold whole dyads only)
        w = self._view_where(f)
        r = self._rows(
            "SELECT COUNT(DISTINCT e.cluster_no) AS c, COUNT(*) AS m,"
            " COUNT(DISTINCT e.article_pk) AS n, SUM(CAST(ROUND(e.goldstein * 1000000) AS"
            " BIGINT)) AS gs, COUNT(e.goldstein) AS gc" + self._from(w), w.params)[0]
        return {"events": int(r["c"]), "mentions": int(r["m"]), "articles": int(r["n"]),
                "mean_goldstein": mean_goldstein(r["gs"], r["gc"])}

    def _only_dyad(self, f: ViewFilter) -> bool:
        """Whether a filter selects nothing but a dyad of two countries (3-letter keys),
        which the dyad roll-ups answer (store/rollups.py, DYAD_TABLES)."""
        if not (f.dyad() and f.a != f.b and len(f.a or "") == len(f.b or "") == 3
                and f.direction in DIRECTIONS):
            return False
        # a direction, basis or actor narrows nothing more; any other field is a filter
        return not self._view_where(replace(f, a=None, b=None, actor=None)).conds

    def _rollup_counts(self, f: ViewFilter) -> dict[str, Any]:
        """view_counts of a dyad, unfiltered: its dyad_totals row ("ba": the other order's
        "ab"); no row, no event."""
        a, b, d = (f.b, f.a, "ab") if f.direction == "ba" else (f.a, f.b, f.direction)
        rows = self._rows("SELECT events, mentions, articles, gsum, gcount FROM dyad_totals"
                          " WHERE a = ? AND b = ? AND dir = ?", [a, b, d])
        r = rows[0] if rows else dict.fromkeys(("events", "mentions", "articles", "gsum",
                                                "gcount"), 0)
        return {"events": int(r["events"]), "mentions": int(r["mentions"]),
                "articles": int(r["articles"]),
                "mean_goldstein": mean_goldstein(r["gsum"], r["gcount"])}

    def view_events(self, f: ViewFilter, unique: bool = True, sort: str = "date",
                    descending: bool = False, limit: int = 50, offset: int = 0
                    ) -> list[dict[str, Any]]:
        """One page of events: one per cluster (``unique``, the mention stored first, with
        the cluster's num_mentions / num_articles over all its mentions) or every mention."""
        if sort not in SORTS:
            raise QueryError(f"sort must be one of {sorted(SORTS)}, not {sort!r}")
        w = self._view_where(f)
        order = "DESC" if descending else "ASC"
        if unique:
            sql = (f"SELECT MIN(e.event_pk) AS pk{self._from(w)} GROUP BY e.cluster_no"
                   f" ORDER BY MIN({SORTS[sort]}) {order}, MIN(e.event_pk) {order}"
                   " LIMIT ? OFFSET ?")
        else:
            sql = (f"SELECT e.event_pk AS pk{self._from(w)} ORDER BY {SORTS[sort]} {order},"
                   f" e.article_pk {order}, e.event_pk {order} LIMIT ? OFFSET ?")
        pks = [r["pk"] for r in self._rows(sql, [*w.params, int(limit), int(offset)])]
        return self.view_events_by_pk(pks, counts=unique)

    def view_iter_events(self, f: ViewFilter, unique: bool = True, batch: int = 500
                         ) -> Iterator[dict[str, Any]]:
        """Every event the filter selects, in ``view_events`` date order, fetched in
        batches (downloads of any size)."""
        w = self._view_where(f)
        if unique:
            sql = (f"SELECT MIN(e.event_pk) AS pk{self._from(w)} GROUP BY e.cluster_no"
                   " ORDER BY MIN(e.when_lo), MIN(e.event_pk)")
        else:
            sql = (f"SELECT e.event_pk AS pk{self._from(w)}"
                   " ORDER BY e.when_lo, e.article_pk, e.event_pk")
        pks = [r["pk"] for r in self._rows(sql, w.params)]
        for i in range(0, len(pks), batch):
            yield from self.view_events_by_pk(pks[i : i + batch], counts=unique)

    def view_events_by_pk(self, pks: list[Any], counts: bool = True) -> list[dict[str, Any]]:
        """Event dicts for these pks, in this order, with the derived view fields."""
        if not pks:
            return []
        from tidings.store.base import _EVENT_SELECT

        extra = ", ".join(f"f.{c} AS {c}" for c in _VIEW_COLUMNS)
        select = (_EVENT_SELECT.replace(" FROM events e", f", {extra} FROM events e", 1)
                  + " JOIN event_facts f ON f.event_pk = e.pk")
        marks = ", ".join("?" for _ in pks)
        with self._lock:
            rows = {r["pk"]: r for r in self._query(select + f" WHERE e.pk IN ({marks})", pks)}
            ordered = [rows[pk] for pk in pks if pk in rows]
            events = self._with_evidences(ordered, counts=counts)
        for ev, r in zip(events, ordered, strict=True):
            _attach_view_fields(ev, r)
        return events

    # ---- timelines --------------------------------------------------------------------------

    def view_timeline(self, f: ViewFilter, by: str = "month") -> list[dict[str, Any]]:
        """Per period, direction and quad class: events (clusters), mentions, summed
        Goldstein (of each cluster's mean). A cluster counts once, in its first period.

        ``period`` of an event dated coarser than the bucket (a year-only date in a month
        timeline) is "YYYY-00": the caller draws it apart, never inside a month. ``dir`` is
        "ab" / "ba" for a dyad (a → b or b → a) and "all" otherwise.
        """
        n = BUCKETS.get(by)
        if n is None:
            raise QueryError(f"timeline period must be one of {sorted(BUCKETS)}, not {by!r}")
        key = self._only_actor(f)
        if key is not None and f.basis == "event":
            return self._rollup_timeline(key, n)
        if self._only_dyad(f) and f.basis == "event" and f.direction == "both":
            return self._rollup_dyad_timeline(f, n)
        # any other filter (a basis or a direction included): the general query (a roll-up
        # holds one actor's events only, or a dyad's both ways)
        w = self._view_where(f)
        col = "e.pub_date" if f.basis == "published" else "e.when_lo"
        w.add(f"{col} IS NOT NULL AND {col} < ?", derive.UNDATED)
        dparams: list[Any] = []
        if f.dyad():
            direction = ("CASE WHEN EXISTS (SELECT 1 FROM event_actors d WHERE d.key = ?"
                         " AND d.side = 's' AND d.event_pk = e.event_pk) THEN 'ab' ELSE 'ba'"
                         " END")
            dparams = [f.a]
        else:
            direction = "'all'"
        inner = (
            f"SELECT MIN(substr({col}, 1, ?)) AS period, MIN({direction}) AS dir,"
            " MIN(e.quad_class) AS quad, COUNT(*) AS m, AVG(e.goldstein) AS g"
            f"{self._from(w)} GROUP BY e.cluster_no"
        )
        sql = (f"SELECT period, dir, quad, COUNT(*) AS events, SUM(m) AS mentions,"
               f" SUM(g) AS goldstein FROM ({inner}) c GROUP BY period, dir, quad"
               " ORDER BY period, dir, quad")
        params = [n, *dparams, *w.params]
        return [{"period": r["period"], "dir": r["dir"], "quad": r["quad"],
                 "events": int(r["events"]), "mentions": int(r["mentions"]),
                 "goldstein": float(r["goldstein"] or 0.0)} for r in self._rows(sql, params)]

    def _only_actor(self, f: ViewFilter) -> str | None:
        """The actor of a filter that selects nothing but that actor's events (either side),
        which the roll-ups answer; None for any other filter."""
        if not f.actor or f.dyad() or f.direction != "both":
            return None
        return None if self._view_where(replace(f, actor=None)).conds else f.actor

    def _rollup_timeline(self, key: str, n: int) -> list[dict[str, Any]]:
        """view_timeline of one actor's events, unfiltered: its actor_periods rows (months;
        a year is the sum of its months, as a cluster's first year is its first month's)."""
        rows = self._rows(
            "SELECT substr(r.period, 1, ?) AS period, 'all' AS dir, CASE WHEN r.quad = ?"
            " THEN NULL ELSE r.quad END AS quad, SUM(r.events) AS events, SUM(r.mentions) AS"
            " mentions, SUM(r.goldstein) AS goldstein FROM actor_periods r WHERE r.key = ?"
            " GROUP BY 1, 3 ORDER BY period, dir, quad", [n, NO_QUAD, key])
        return [{"period": r["period"], "dir": r["dir"], "quad": r["quad"],
                 "events": int(r["events"]), "mentions": int(r["mentions"]),
                 "goldstein": float(r["goldstein"] or 0.0)} for r in rows]

    def _rollup_dyad_timeline(self, f: ViewFilter, n: int) -> list[dict[str, Any]]:
        """view_timeline of a dyad both ways, unfiltered: its dyad_periods rows (a year is
        the sum of its months, as in _rollup_timeline)."""
        rows = self._rows(
            "SELECT substr(r.period, 1, ?) AS period, r.dir AS dir, CASE WHEN r.quad = ?"
            " THEN NULL ELSE r.quad END AS quad, SUM(r.events) AS events, SUM(r.mentions) AS"
            " mentions, SUM(r.goldstein) AS goldstein FROM dyad_periods r WHERE r.a = ? AND"
            " r.b = ? GROUP BY 1, 2, 3 ORDER BY period, dir, quad", [n, NO_QUAD, f.a, f.b])
        return [{"period": r["period"], "dir": r["dir"], "quad": r["quad"],
                 "events": int(r["events"]), "mentions": int(r["mentions"]),
                 "goldstein": float(r["goldstein"] or 0.0)} for r in rows]

    def view_volume(self, f: ViewFilter, by: str = "month") -> dict[str, int]:
        """Articles published per period under the filter's article-level conditions
        (outlet, full text; not actors or types): the corpus-volume strip."""
        n = BUCKETS.get(by)
        if n is None:
            raise QueryError(f"timeline period must be one of {sorted(BUCKETS)}, not {by!r}")
        conds: list[str] = ["a.published IS NOT NULL"]
        params: list[Any] = [n]
        if f.outlet:
            conds.append("a.source = ?")
            params.append(f.outlet)
        if f.q and f.q.strip():
            cond, qp = self._fts_filter(parse_query(f.q))
            conds.append(cond)
            params += qp
        rows = self._rows(
            "SELECT substr(a.published, 1, ?) AS period, COUNT(*) AS n FROM articles a"
            f" WHERE {' AND '.join(conds)} GROUP BY 1", params)
        return {r["period"]: int(r["n"]) for r in rows}

    # ---- actors, network, places ------------------------------------------------------------

    def _actor_source(self, w: _Where, counterpart_of: str | None
                      ) -> tuple[str, list[str], list[Any]]:
        """FROM clause, conditions and parameters of the actor rows ``x`` the filter keeps:
        event_actors alone when nothing but actors is filtered, else joined to the facts."""
        if counterpart_of:
            src = (" FROM event_actors k JOIN event_actors x ON x.event_pk = k.event_pk"
                   " AND x.side <> k.side")
            conds, params = ["k.key = ? AND x.key <> ?"], [counterpart_of, counterpart_of]
        else:
            src, conds, params = " FROM event_actors x", [], []
        if w.conds:
            src += " JOIN event_facts e ON e.event_pk = x.event_pk"
        if w.articles:
            src += " JOIN articles a ON a.pk = e.article_pk"
        return src, conds + w.conds, params + w.params

    def view_actors(self, f: ViewFilter, kinds: Sequence[str] = derive.ACTOR_KINDS,
                    counterpart_of: str | None = None, limit: int = 100, offset: int = 0,
                    sort: str = "events", descending: bool = True) -> list[dict[str, Any]]:
        """Actors by events (clusters) they take part in, with as_source / as_target,
        mentions and articles. ``counterpart_of``: the actors on the other side of that
        key's events (itself left out)."""
        if sort not in ACTOR_SORTS:
            raise QueryError(f"sort must be one of {sorted(ACTOR_SORTS)}, not {sort!r}")
        w = self._view_where(f)
        if not w.conds:  # nothing but actors filtered: the roll-ups kept at write time
            return self._rollup_actors(kinds, counterpart_of, limit, offset, sort, descending)
        # any other filter selects a subset of rows no roll-up holds: the general query
        order = f"{ACTOR_SORTS[sort]} {'DESC' if descending else 'ASC'}"
        src, conds, params = self._actor_source(w, counterpart_of)
        marks = ", ".join("?" for _ in kinds)
        sql = (
            "SELECT x.kind AS kind, x.key AS key, COUNT(DISTINCT x.cluster_no) AS events,"
            " COUNT(DISTINCT CASE WHEN x.side = 's' THEN x.cluster_no END) AS as_source,"
            " COUNT(DISTINCT CASE WHEN x.side = 't' THEN x.cluster_no END) AS as_target,"
            " COUNT(DISTINCT x.event_pk) AS mentions, COUNT(DISTINCT x.article_pk) AS articles,"
            " SUM(CAST(ROUND(x.goldstein * 1000000) AS BIGINT)) AS gsum,"
            f" COUNT(x.goldstein) AS gcount{src} WHERE "
            + " AND ".join([f"x.kind IN ({marks})", *conds])
            + f" GROUP BY x.kind, x.key ORDER BY {order}, COUNT(DISTINCT x.cluster_no) DESC,"
            " x.key LIMIT ? OFFSET ?"
        )
        rows = self._rows(sql, [*kinds, *params, int(limit), int(offset)])
        return [_actor_row(r) for r in rows]

    def _rollup_actors(self, kinds: Sequence[str], counterpart_of: str | None, limit: int,
                       offset: int, sort: str, descending: bool) -> list[dict[str, Any]]:
        """view_actors of the unfiltered store, read off actor_totals (or actor_pairs, the
        other side of ``counterpart_of``), in the same order."""
        key = "r.other" if counterpart_of else "r.key"
        sorts = {**{s: f"r.{s}" for s in ACTOR_SORTS}, "goldstein": _ROLLUP_MEAN, "key": key}
        order = f"{sorts[sort]} {'DESC' if descending else 'ASC'}"
        src, params = _rollup_source(kinds, counterpart_of)
        rows = self._rows(
            f"SELECT r.kind AS kind, {key} AS key, r.events AS events, r.as_source AS"
            " as_source, r.as_target AS as_target, r.mentions AS mentions, r.articles AS"
            f" articles, r.gsum AS gsum, r.gcount AS gcount{src}"
            f" ORDER BY {order}, r.events DESC, {key} LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)])
        return [_actor_row(r) for r in rows]

    def view_actor_kinds(self, f: ViewFilter, counterpart_of: str | None = None
                         ) -> dict[str, int]:
        """How many distinct actors of each kind the filter's events name (on the other side
        of ``counterpart_of``'s events, when given), in one pass."""
        w = self._view_where(f)
        if not w.conds:  # unfiltered: one roll-up row per (key, kind); else the general query
            src, params = _rollup_source(derive.ACTOR_KINDS, counterpart_of)
            rows = self._rows(f"SELECT r.kind AS kind, COUNT(*) AS n{src} GROUP BY r.kind",
                              params)
            return {r["kind"]: int(r["n"]) for r in rows if r["kind"] in derive.ACTOR_KINDS}
        src, conds, params = self._actor_source(w, counterpart_of)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        rows = self._rows(f"SELECT x.kind AS kind, COUNT(DISTINCT x.key) AS n{src}{where}"
                          " GROUP BY x.kind", params)
        return {r["kind"]: int(r["n"]) for r in rows}

    def view_actor_totals(self, f: ViewFilter, key: str) -> dict[str, int]:
        """One actor's events (clusters), as source, as target, mentions and articles under
        the filter (its actor and dyad ignored), in one pass over its event_actors rows."""
        w = self._view_where(replace(f, actor=None, a=None, b=None, direction="both"))
        if not w.conds:
            # Unfiltered: the key's actor_totals row. A key stored under two kinds (rare:
            # "IGO" as a sector and a country) may share clusters between them, which the
            # per-kind rows cannot tell: it takes the general query.
            rows = self._rows("SELECT events, as_source, as_target, mentions, articles FROM"
                              " actor_totals WHERE key = ?", [key])
            if len(rows) <= 1:
                r = rows[0] if rows else dict.fromkeys(("events", "as_source", "as_target",
                                                        "mentions", "articles"), 0)
                return {k: int(v or 0) for k, v in r.items()}
        src, conds, params = self._actor_source(w, None)
        r = self._rows(
            "SELECT COUNT(DISTINCT x.cluster_no) AS events,"
            " COUNT(DISTINCT CASE WHEN x.side = 's' THEN x.cluster_no END) AS as_source,"
            " COUNT(DISTINCT CASE WHEN x.side = 't' THEN x.cluster_no END) AS as_target,"
            " COUNT(DISTINCT x.event_pk) AS mentions, COUNT(DISTINCT x.article_pk) AS articles"
            f"{src} WHERE " + " AND ".join(["x.key = ?", *conds]), [key, *params])[0]
        return {k: int(v or 0) for k, v in r.items()}

    def view_actor_count(self, f: ViewFilter, kinds: Sequence[str] = derive.ACTOR_KINDS,
                         counterpart_of: str | None = None) -> int:
        """How many distinct actors of these kinds the filter's events name (on the other
        side of ``counterpart_of``'s events, when given)."""
        w = self._view_where(f)
        if not w.conds:  # unfiltered: the roll-ups; any other filter: the general query
            src, params = _rollup_source(kinds, counterpart_of)
            key = "r.other" if counterpart_of else "r.key"
            return int(self._rows(f"SELECT COUNT(DISTINCT {key}) AS n{src}", params)[0]["n"])
        src, conds, params = self._actor_source(w, counterpart_of)
        marks = ", ".join("?" for _ in kinds)
        where = " WHERE " + " AND ".join([f"x.kind IN ({marks})", *conds])
        r = self._rows(f"SELECT COUNT(DISTINCT x.key) AS n{src}{where}", [*kinds, *params])
        return int(r[0]["n"])

    def view_network(self, f: ViewFilter) -> list[dict[str, Any]]:
        """Country pairs (undirected) with events (clusters), mentions and mean Goldstein;
        events within one country left out."""
        w = self._view_where(f)
        w.add("e.source_country IS NOT NULL AND e.target_country IS NOT NULL"
              " AND e.source_country <> e.target_country")
        lo = "CASE WHEN e.source_country < e.target_country THEN e.source_country" \
             " ELSE e.target_country END"
        hi = "CASE WHEN e.source_country < e.target_country THEN e.target_country" \
             " ELSE e.source_country END"
        sql = (f"SELECT {lo} AS u, {hi} AS v, COUNT(DISTINCT e.cluster_no) AS events,"
               f" COUNT(*) AS mentions, AVG(e.goldstein) AS goldstein{self._from(w)}"
               " GROUP BY 1, 2 ORDER BY events DESC, u, v")
        return [{"a": r["u"], "b": r["v"], "events": int(r["events"]),
                 "mentions": int(r["mentions"]), "mean_goldstein": _round(r["goldstein"])}
                for r in self._rows(sql, w.params)]

    def view_places(self, f: ViewFilter) -> list[dict[str, Any]]:
        """Places with events (clusters), mentions and mean Goldstein, per geo-precision."""
        w = self._view_where(f)
        w.add("e.geo_place IS NOT NULL")
        sql = (
            "SELECT e.geo_precision AS precision, e.geo_place AS place, MIN(e.geo_name) AS name,"
            " AVG(e.geo_lat) AS lat, AVG(e.geo_lon) AS lon,"
            " COUNT(DISTINCT e.cluster_no) AS events, COUNT(*) AS mentions,"
            f" AVG(e.goldstein) AS goldstein{self._from(w)}"
            " GROUP BY e.geo_precision, e.geo_place ORDER BY events DESC, place"
        )
        return [{"precision": r["precision"], "place": r["place"], "name": r["name"],
                 "country": _place_country(r["place"]), "lat": float(r["lat"]),
                 "lon": float(r["lon"]), "events": int(r["events"]),
                 "mentions": int(r["mentions"]), "mean_goldstein": _round(r["goldstein"])}
                for r in self._rows(sql, w.params)]

    def view_geo_counts(self, f: ViewFilter) -> dict[str, int]:
        """Events (clusters) per geo-precision ("none": no place), for the map's legend."""
        w = self._view_where(f)
        rows = self._rows(
            "SELECT COALESCE(e.geo_precision, 'none') AS p, COUNT(DISTINCT e.cluster_no) AS n"
            + self._from(w) + " GROUP BY COALESCE(e.geo_precision, 'none')", w.params)
        return {r["p"]: int(r["n"]) for r in rows}

    # ---- search ------------------------------------------------------------------------------

    def view_search(self, f: ViewFilter, limit: int = 20, offset: int = 0
                    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """(hits, facets) of the full-text query ``f.q`` among the articles the other filters
        keep: published in the date range, from the outlet, with an event the event filters
        select. Without such filters: the backend's relevance ranking (Store.search); with
        them, newest first."""
        if not f.q:
            raise QueryError("empty search query")
        narrowed = replace(f, q=None, since=None, until=None, basis="event", outlet=None)
        if narrowed == ViewFilter() and not (f.since or f.until or f.outlet):
            return self.search(f.q, limit=limit, offset=offset), self.search_facets(f.q)
        conds, params = self._article_conds(f, narrowed)
        where = " WHERE " + " AND ".join(conds)
        rows = self._rows(
            "SELECT a.pk AS pk, a.id AS id, a.title AS title, a.url AS url, a.source AS source,"
            f" a.published AS published, a.text AS text FROM articles a{where}"
            " ORDER BY a.published DESC NULLS LAST, a.pk DESC LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)])
        with self._lock:
            events = self._events_by_article([r["pk"] for r in rows])
        words = [w for t in parse_query(f.q) if not t.negated for w in t.words]
        hits = [{"id": r["id"], "title": r["title"], "url": r["url"], "source": r["source"],
                 "published": r["published"], "score": None,
                 **_snippet(r["text"], words), "events": events[r["pk"]]} for r in rows]
        return hits, self._article_facets(where, params)

    def _article_conds(self, f: ViewFilter, narrowed: ViewFilter) -> tuple[list[str], list[Any]]:
        """Conditions on ``articles a``: the text query, the publication range, the outlet,
        and an event the event filters keep."""
        conds: list[str] = []
        params: list[Any] = []
        if f.q:
            cond, params = self._fts_filter(parse_query(f.q))
            conds.append(cond)
        if f.since:
            conds.append("a.published >= ?")
            params.append(derive.bound_low(f.since))
        if f.until:
            conds.append("a.published <= ?")
            params.append(derive.bound_high(f.until))
        if f.outlet:
            conds.append("a.source = ?")
            params.append(f.outlet)
        if narrowed != ViewFilter():
            w = self._view_where(narrowed)
            conds.append(f"a.pk IN (SELECT e.article_pk FROM event_facts e{w.sql()})")
            params += w.params
        return conds, params

    def _article_facets(self, where: str, params: list[Any]) -> dict[str, Any]:
        total = self._rows(f"SELECT COUNT(*) AS n FROM articles a{where}", params)
        outlets = self._rows(f"SELECT a.source AS value, COUNT(*) AS n FROM articles a{where}"
                             " GROUP BY a.source ORDER BY n DESC, value", params)
        years = self._rows("SELECT substr(a.published, 1, 4) AS value, COUNT(*) AS n FROM"
                           f" articles a{where} GROUP BY substr(a.published, 1, 4)"
                           " ORDER BY value", params)
        types = self._rows("SELECT e.event_type AS value, COUNT(*) AS n FROM events e JOIN"
                           f" articles a ON a.pk = e.article_pk{where} GROUP BY e.event_type"
                           " ORDER BY n DESC, value", params)

        def counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"value": r["value"], "count": int(r["n"])} for r in rows]

        return {"total": int(total[0]["n"]), "outlets": counts(outlets),
                "event_types": counts(types), "years": counts(years)}

    def view_articles(self, f: ViewFilter, limit: int = 20, offset: int = 0
                      ) -> tuple[list[dict[str, Any]], int]:
        """(articles newest first, how many) published in the range, from the outlet, with
        an event the event filters keep; each with its event count."""
        narrowed = replace(f, q=None, since=None, until=None, basis="event", outlet=None)
        conds, params = self._article_conds(replace(f, q=None), narrowed)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        rows = self._rows(
            "SELECT a.id AS id, a.title AS title, a.source AS source, a.published AS published,"
            " (SELECT COUNT(*) FROM events e WHERE e.article_pk = a.pk) AS event_count"
            f" FROM articles a{where} ORDER BY a.published DESC NULLS LAST, a.pk DESC"
            " LIMIT ? OFFSET ?", [*params, int(limit), int(offset)])
        total = self._rows(f"SELECT COUNT(*) AS n FROM articles a{where}", params)[0]["n"]
        return [{**r, "event_count": int(r["event_count"])} for r in rows], int(total)

    def view_types(self, f: ViewFilter) -> list[dict[str, Any]]:
        """Events (clusters) and mentions per event type and quad class."""
        key = self._only_actor(f)
        if key is not None:  # one actor's events, unfiltered: its actor_types rows
            rows = self._rows(
                "SELECT NULLIF(r.event_type, ?) AS type, CASE WHEN r.quad = ? THEN NULL ELSE"
                " r.quad END AS quad, r.events AS events, r.mentions AS mentions FROM"
                " actor_types r WHERE r.key = ? ORDER BY events DESC, type, quad",
                [NO_TYPE, NO_QUAD, key])
        else:  # any other filter: the general query
            w = self._view_where(f)
            rows = self._rows(
                "SELECT e.event_type AS type, e.quad_class AS quad, COUNT(DISTINCT"
                f" e.cluster_no) AS events, COUNT(*) AS mentions{self._from(w)} GROUP BY"
                " e.event_type, e.quad_class ORDER BY events DESC, type, quad", w.params)
        return [{"type": r["type"], "quad": r["quad"], "events": int(r["events"]),
                 "mentions": int(r["mentions"])} for r in rows]

    def view_mention_forms(self, key: str, limit: int = 12) -> list[dict[str, Any]]:
        """How the texts name an actor: the commonest mentions of its events' sides."""
        rows = self._rows(
            "SELECT x.mention AS text, COUNT(*) AS n FROM event_actors x WHERE x.key = ?"
            " AND x.mention IS NOT NULL GROUP BY x.mention ORDER BY n DESC, text LIMIT ?",
            [key, int(limit)])
        return [{"text": r["text"], "mentions": int(r["n"])} for r in rows]

    # ---- catalogue --------------------------------------------------------------------------

    def view_outlets(self) -> list[dict[str, Any]]:
        rows = self._rows("SELECT source, COUNT(*) AS n FROM articles WHERE source IS NOT NULL"
                          " GROUP BY source ORDER BY n DESC, source", [])
        return [{"outlet": r["source"], "articles": int(r["n"])} for r in rows]

    def view_named_keys(self) -> list[dict[str, Any]]:
        """The people and organisations the store names, with their mentions: a range of
        event_actors' primary key ("org:…", "person:…"), not a scan of every actor row."""
        out = []
        for prefix in derive.KEY_PREFIX.values():
            hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            out += [{"key": r["key"], "mentions": int(r["n"])} for r in self._rows(
                "SELECT key, COUNT(*) AS n FROM event_actors WHERE key >= ? AND key < ?"
                " GROUP BY key", [prefix, hi])]
        return out

    def view_key_mentions(self, keys: list[str]) -> dict[str, int]:
        """Mentions (actor rows) of each of these keys."""
        if not keys:
            return {}
        rows = self._rows("SELECT key, COUNT(*) AS n FROM event_actors WHERE key IN ("
                          + ", ".join("?" for _ in keys) + ") GROUP BY key", list(keys))
        return {r["key"]: int(r["n"]) for r in rows}

    def view_keys(self, kinds: Sequence[str] = derive.ACTOR_KINDS) -> list[dict[str, Any]]:
        """Every actor key stored, with its kind and mentions: the typeahead's own names."""
        marks = ", ".join("?" for _ in kinds)
        rows = self._rows(f"SELECT key, kind, COUNT(*) AS n FROM event_actors WHERE kind IN"
                          f" ({marks}) GROUP BY key, kind", list(kinds))
        return [{"key": r["key"], "kind": r["kind"], "mentions": int(r["n"])} for r in rows]

    def view_date_range(self, f: ViewFilter) -> tuple[str | None, str | None]:
        """First and last day (padded strings) of the filter's dated events."""
        w = self._view_where(f)
        col_lo, col_hi = ("e.pub_date", "e.pub_date") if f.basis == "published" else (
            "e.when_lo", "e.when_hi")
        w.add(f"{col_lo} < ?", derive.UNDATED)
        r = self._rows(f"SELECT MIN({col_lo}) AS lo, MAX({col_hi}) AS hi{self._from(w)}",
                       w.params)[0]
        return r["lo"], r["hi"]

    def stored_id(self, article: Any) -> str | None:
        """The id under which this article (same id or same normalised text) is stored."""
        rows = self._rows("SELECT id FROM articles WHERE id = ? OR text_hash = ? ORDER BY pk"
                          " LIMIT 1", [article.id, text_hash(article.text)])
        return rows[0]["id"] if rows else None

    # ---- derived columns (written with each article, and at open for older rows) ------------

    def _derive_events(self, event_pks: Sequence[Any]) -> None:
        """Write the event_facts and event_actors rows of these events (in the caller's
        transaction), replacing any there."""
        select = (
            "SELECT e.pk AS pk, e.article_pk AS article_pk, e.cluster_id AS cluster_id,"
            " e.has_target AS has_target, e.has_location AS has_location, e.date AS date,"
            " e.date_precision AS date_precision, e.event_type AS event_type,"
            " e.cameo AS cameo, e.quad_class AS quad_class, e.goldstein AS goldstein,"
            " e.sentence AS sentence, a.published AS published,"
            " a.dateline_place AS dateline_place, "
            + ", ".join(f"e.{c} AS {c}" for c in EVENT_COLUMNS if c.startswith(
                ("source_", "target_", "loc_")))
            + " FROM events e JOIN articles a ON a.pk = e.article_pk WHERE e.pk IN ("
        )
        for i in range(0, len(event_pks), DERIVE_BATCH):
            chunk = list(event_pks[i : i + DERIVE_BATCH])
            marks = ", ".join("?" for _ in chunk)
            rows = self._execute(select + marks + ")", chunk)
            first = self._cluster_numbers([r["cluster_id"] for r in rows])
            facts, actors = [], []
            for r in rows:
                fact, sides = _derived(r, first.get(r["cluster_id"], r["pk"]))
                facts.append(fact)
                actors += sides
            self._replace_derived(chunk, facts, actors)

    def _replace_derived(self, chunk: list[Any], facts: list[list[Any]],
                         actors: list[list[Any]]) -> None:
        """Replace these events' derived rows, and move the actor roll-ups (rollups.py) by
        the change: the sums of the clusters and articles they touch, taken out before and
        put back after, in the caller's transaction."""
        marks = ", ".join("?" for _ in chunk)
        old = self._execute(f"SELECT cluster_no FROM event_facts WHERE event_pk IN ({marks})",
                            chunk)
        rollup = Rollup(self._execute, self._executemany,
                        [r["cluster_no"] for r in old] + [f[2] for f in facts],
                        [f[1] for f in facts])
        rollup.before()
        self._execute(f"DELETE FROM event_facts WHERE event_pk IN ({marks})", chunk)
        self._execute(f"DELETE FROM event_actors WHERE event_pk IN ({marks})", chunk)
        self._executemany(
            f"INSERT INTO event_facts ({', '.join(FACT_COLUMNS)}) VALUES"
            f" ({', '.join('?' for _ in FACT_COLUMNS)})", facts)
        if actors:
            self._executemany(
                f"INSERT INTO event_actors ({', '.join(ACTOR_COLUMNS)}) VALUES"
                f" ({', '.join('?' for _ in ACTOR_COLUMNS)})", actors)
        rollup.after()

    def _cluster_numbers(self, cluster_ids: list[Any]) -> dict[Any, Any]:
        """Cluster id → its first event's pk (a cluster's members never change cluster, so
        the number is stable as the cluster grows)."""
        ids = list(dict.fromkeys(c for c in cluster_ids if c is not None))
        if not ids:
            return {}
        rows = self._execute(
            "SELECT cluster_id, MIN(pk) AS first FROM events WHERE cluster_id IN ("
            + ", ".join("?" for _ in ids) + ") GROUP BY cluster_id", ids)
        return {r["cluster_id"]: r["first"] for r in rows}

    def _upgrade_views(self) -> None:
        """Derive the view rows of events stored before migration 3 (or by an older
        derivation), a batch per transaction so an interrupted upgrade resumes."""
        with self._lock:
            # Nothing to do (every open but the first after an upgrade) is told by two counts
            # and an index lookup, not a join of every event: event_facts' rows are a subset
            # of the events (a cascading key), so equal counts mean every event has its row.
            counts = self._query(
                "SELECT (SELECT COUNT(*) FROM events) AS e, (SELECT COUNT(*) FROM event_facts)"
                " AS f, (SELECT COUNT(*) FROM (SELECT 1 FROM event_facts WHERE derive_version"
                " < ? LIMIT 1) o) AS old", [derive.DERIVE_VERSION])[0]
            if int(counts["e"]) == int(counts["f"]) and not int(counts["old"]):
                return
            rows = self._query(
                "SELECT e.pk AS pk FROM events e LEFT JOIN event_facts f ON f.event_pk = e.pk"
                " WHERE f.event_pk IS NULL OR f.derive_version < ? ORDER BY e.pk",
                [derive.DERIVE_VERSION])
            todo = [r["pk"] for r in rows]
            for i in range(0, len(todo), DERIVE_BATCH * 4):
                with self._transaction():
                    self._derive_events(todo[i : i + DERIVE_BATCH * 4])


_ROLLUP_MEAN = "CAST(r.gsum AS DOUBLE PRECISION) / NULLIF(r.gcount, 0)"  # as ACTOR_SORTS


def _rollup_source(kinds: Sequence[str], counterpart_of: str | None
                   ) -> tuple[str, list[Any]]:
    """FROM and WHERE of the roll-up rows ``r`` of these kinds (the other side of
    ``counterpart_of``'s events, when given)."""
    marks = ", ".join("?" for _ in kinds)
    if counterpart_of:
        return (f" FROM actor_pairs r WHERE r.key = ? AND r.kind IN ({marks})",
                [counterpart_of, *kinds])
    return f" FROM actor_totals r WHERE r.kind IN ({marks})", list(kinds)


def _actor_row(r: dict[str, Any]) -> dict[str, Any]:
    return {"kind": r["kind"], "key": r["key"], "label": derive.key_label(r["key"]),
            "events": int(r["events"]), "as_source": int(r["as_source"]),
            "as_target": int(r["as_target"]), "mentions": int(r["mentions"]),
            "articles": int(r["articles"]),
            "mean_goldstein": mean_goldstein(r["gsum"], r["gcount"])}


def _side(r: dict[str, Any], side: str) -> dict[str, Any] | None:
    if side == "target" and not r["has_target"]:
        return None
    return {f: r[f"{side}_{f}"] for f in ("text", "name", "country", "sector", "code")}


def _upper(v: str | None) -> str | None:
    return v.strip().upper() if v and v.strip() else None


def _derived(r: dict[str, Any], cluster_no: Any) -> tuple[list[Any], list[list[Any]]]:
    """(event_facts row, event_actors rows) of one event row."""
    published = r["published"] if r["published"] and len(r["published"]) == 10 else None
    lo, hi = derive.date_bounds(r["date"] or published)
    precision = (r["date_precision"] or "day") if r["date"] else "day"
    idents: list[Any] = []
    actors: list[list[Any]] = []
    for side, code in (("source", "s"), ("target", "t")):
        actor = _side(r, side)
        ident = derive.resolve_actor(actor)
        idents += [ident.kind, ident.key] if ident else [None, None]
        mention = " ".join(((actor or {}).get("text") or "").split())[:200] or None
        actors += [[k, code, kind, r["pk"], cluster_no, r["article_pk"], r["goldstein"],
                    mention] for k, kind in derive.actor_keys(actor)]
    loc = ({f: r[f"loc_{f}"] for f in ("text", "name", "country", "lat", "lon")}
           if r["has_location"] else None)
    geo = derive.geo_of(loc, r["sentence"], r["dateline_place"])
    geo_cols = [geo.precision, geo.place, geo.name, geo.lat, geo.lon] if geo else [None] * 5
    fact = [r["pk"], r["article_pk"], cluster_no, lo, hi, published, precision,
            _upper(r["event_type"]), r["cameo"], r["quad_class"], r["goldstein"],
            _upper(r["source_country"]), _upper(r["target_country"]) if r["has_target"]
            else None, idents[0], idents[1], idents[2], idents[3], *geo_cols,
            derive.DERIVE_VERSION]
    return fact, actors


def _place_country(place: str | None) -> str | None:
    """The country of a place key ("PRK/Pyongyang" → PRK; "PRK" → PRK; "-/Sea" → None)."""
    head = (place or "").split("/", 1)[0]
    return head if head and head != "-" else None


def _attach_view_fields(ev: dict[str, Any], r: dict[str, Any]) -> None:
    """The derived identity and place of an event, for tables and maps."""
    for side in ("source", "target"):
        key = r[f"{side}_key"]
        ev[f"{side}_actor"] = ({"kind": r[f"{side}_kind"], "key": key,
                                "label": derive.key_label(key)} if key else None)
    ev["geo"] = ({"precision": r["geo_precision"], "place": r["geo_place"],
                  "name": r["geo_name"], "lat": _float(r["geo_lat"]),
                  "lon": _float(r["geo_lon"])} if r["geo_place"] else None)
    ev["published"] = r["pub_date"]


SNIPPET_CHARS = 240  # characters of a snippet built here (the filtered search)


def _snippet(text: str, words: list[str]) -> dict[str, str]:
    """A plain snippet around the first matched word and its escaped, marked form (the
    backends' snippet fields), for searches the backend's ranking does not run."""
    import html
    import re

    from tidings.store.base import MARK_END, MARK_START

    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I) \
        if words else None
    m = pattern.search(text) if pattern else None
    start = max(0, (m.start() if m else 0) - SNIPPET_CHARS // 3)
    piece = " ".join(text[start : start + SNIPPET_CHARS].split())
    marked = pattern.sub(lambda x: MARK_START + x.group(0) + MARK_END, piece) if pattern \
        else piece
    plain = ("…" if start else "") + piece + "…"
    safe = html.escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return {"snippet": plain, "snippet_html": ("…" if start else "") + safe + "…"}


def _float(v: Any) -> float | None:
    return None if v is None else float(v)


def _round(v: Any) -> float | None:
    return None if v is None else round(float(v), 2)

