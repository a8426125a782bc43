"""The actor roll-ups kept at write time (migration 4): ``actor_totals`` and ``actor_pairs``.

The actors table of the whole store and an actor's counterparts aggregate every
``event_actors`` row (a country's roll-up is in nearly every event): at 200,000 events that
is most of a second per page. These tables hold the unfiltered answers, kept exact by every
write in its own transaction.

Every figure is a sum over parts that a write touches whole: *events* (distinct clusters),
*as_source* / *as_target*, *mentions* (distinct events), the rows and the Goldstein sum and
count are sums over clusters; *articles* (distinct articles) is a sum over articles. So a
write (``ViewQueries._derive_events``: a new article's events, or the re-derivation of
stored ones) takes out the contribution of the clusters and articles it touches, computed
by the very aggregate the straightforward query runs, changes the rows, and puts the new
contribution back (``Rollup.before`` / ``Rollup.after``). A cluster only grows and an
event never changes article, so the parts touched are known before the change.

The dyad roll-ups (migration 5, ``DYAD_TABLES``) are kept the same way: the dyad page of two
countries (its three direction counts and its timeline) per ordered pair of 3-letter keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# The figures of an actor_totals / actor_pairs row, in the order of schema._ROLLUP_COLS.
FIGURES = ("events", "as_source", "as_target", "mentions", "articles", "n_rows", "gsum",
           "gcount")
GOLDSTEIN_SCALE = 1_000_000  # gsum is in millionths: integer sums are exact in any order
UNDATED = "9999-99-99"  # derive.UNDATED (no import: schema.py reads this module)
NO_QUAD, NO_TYPE = -1, ""  # stand for NULL in a key column (quad 0 is a real class)

# Per cluster part of actor_totals / actor_pairs: everything but articles; per article
# part: articles alone.
_BY_CLUSTER = (
    "COUNT(DISTINCT x.cluster_no) AS events,"
    " COUNT(DISTINCT CASE WHEN x.side = 's' THEN x.cluster_no END) AS as_source,"
    " COUNT(DISTINCT CASE WHEN x.side = 't' THEN x.cluster_no END) AS as_target,"
    " COUNT(DISTINCT x.event_pk) AS mentions, 0 AS articles, COUNT(*) AS n_rows,"
    " COALESCE(SUM(CAST(ROUND(x.goldstein * 1000000) AS BIGINT)), 0) AS gsum,"
    " COUNT(x.goldstein) AS gcount"
)
_BY_ARTICLE = (
    "0 AS events, 0 AS as_source, 0 AS as_target, 0 AS mentions,"
    " COUNT(DISTINCT x.article_pk) AS articles, 0 AS n_rows, 0 AS gsum, 0 AS gcount"
)
# The rows of the touched clusters / articles, found through event_facts' indexes.
_EVENTS_OF = "SELECT f.event_pk FROM event_facts f WHERE f.{col} IN ({marks})"
# An actor's events (once each, whichever side) with their facts: the actor filter's set.
_KEY_FACTS = (" FROM (SELECT DISTINCT x.key AS key, x.event_pk AS event_pk FROM event_actors x"
              " WHERE x.event_pk IN ({events})) k JOIN event_facts e ON e.event_pk = k.event_pk")


@dataclass(frozen=True)
class Table:
    """A roll-up table: its key columns, its figures, and the SELECT of the contribution of
    the events ``{events}`` selects (per cluster; per article too where a figure counts
    articles). ``live``: the figure that is 0 once a row sums nothing."""

    name: str
    keys: tuple[str, ...]
    figures: tuple[str, ...]
    by_cluster: str
    by_article: str | None = None
    live: str = "n_rows"

    def select(self, events: str, by_article: bool = False) -> str:
        sql = self.by_article if by_article else self.by_cluster
        return (sql or "").format(events=events)


_PAIRS = (" FROM event_actors k JOIN event_actors x ON x.event_pk = k.event_pk"
          " AND x.side <> k.side WHERE x.key <> k.key AND k.event_pk IN ({{events}})"
          " GROUP BY k.key, x.key, x.kind")
ACTOR_TABLES = (
    Table("actor_totals", ("key", "kind"), FIGURES,
          "SELECT x.key AS key, x.kind AS kind, " + _BY_CLUSTER
          + " FROM event_actors x WHERE x.event_pk IN ({events}) GROUP BY x.key, x.kind",
          "SELECT x.key AS key, x.kind AS kind, " + _BY_ARTICLE
          + " FROM event_actors x WHERE x.event_pk IN ({events}) GROUP BY x.key, x.kind"),
    Table("actor_pairs", ("key", "other", "kind"), FIGURES,
          "SELECT k.key AS key, x.key AS other, x.kind AS kind, " + _BY_CLUSTER
          + _PAIRS.format(), "SELECT k.key AS key, x.key AS other, x.kind AS kind, "
          + _BY_ARTICLE + _PAIRS.format()),
    # an actor's timeline (view_timeline): each cluster of its dated events once, in its
    # first month, under its least quad class, with its mentions and mean Goldstein
    Table("actor_periods", ("key", "period", "quad"), ("events", "mentions", "goldstein"),
          "SELECT c.key AS key, c.period AS period, c.quad AS quad, COUNT(*) AS events,"
          " SUM(c.m) AS mentions, COALESCE(SUM(c.g), 0) AS goldstein FROM (SELECT k.key AS"
          " key, MIN(substr(e.when_lo, 1, 7)) AS period, COALESCE(MIN(e.quad_class), "
          f"{NO_QUAD}) AS quad, COUNT(*) AS m, AVG(e.goldstein) AS g{_KEY_FACTS}"
          f" WHERE e.when_lo < '{UNDATED}' GROUP BY k.key, e.cluster_no) c"
          " GROUP BY c.key, c.period, c.quad", live="events"),
    # an actor's event types (view_types): clusters and mentions per type and quad class
    Table("actor_types", ("key", "event_type", "quad"), ("events", "mentions"),
          f"SELECT k.key AS key, COALESCE(e.event_type, '{NO_TYPE}') AS event_type,"
          f" COALESCE(e.quad_class, {NO_QUAD}) AS quad, COUNT(DISTINCT e.cluster_no) AS"
          f" events, COUNT(*) AS mentions{_KEY_FACTS} GROUP BY k.key,"
          f" COALESCE(e.event_type, '{NO_TYPE}'), COALESCE(e.quad_class, {NO_QUAD})",
          live="events"),
)
# The dyad roll-ups (migration 5): the dyad page of two countries (3-letter keys), unfiltered.
# An event is in dyad (a, b) "ab" when a is a source key and b a target key; in "both" when
# it is in (a, b) or (b, a). Pairs are kept in both orders (a dyad's "ab" is the other
# order's "ba"), a key never paired with itself (the general query answers a = b).
_COUNTRY_PAIRS = (
    "SELECT {a} AS a, {b} AS b, s.event_pk AS event_pk FROM event_actors s JOIN event_actors t"
    " ON t.event_pk = s.event_pk AND t.side = 't' WHERE s.side = 's' AND length(s.key) = 3"
    " AND length(t.key) = 3 AND s.key <> t.key AND s.event_pk IN ({{events}})")
_AB = _COUNTRY_PAIRS.format(a="s.key", b="t.key")
_BOTH = f"{_AB} UNION {_COUNTRY_PAIRS.format(a='t.key', b='s.key')}"
# (a, b, dir, event) of every dyad and direction each event is in
_DYAD_MEMBERS = (f"SELECT p.a AS a, p.b AS b, 'ab' AS dir, p.event_pk AS event_pk FROM ({_AB})"
                 f" p UNION ALL SELECT q.a, q.b, 'both', q.event_pk FROM ({_BOTH}) q")
# view_counts of a dyad: per cluster everything but articles, per article articles alone
_DYAD_COUNTS = (
    "SELECT m.a AS a, m.b AS b, m.dir AS dir, {n_events} AS events, {n_mentions} AS mentions,"
    " {n_articles} AS articles, {n_gsum} AS gsum, {n_gcount} AS gcount FROM"
    f" ({_DYAD_MEMBERS}) m JOIN event_facts e ON e.event_pk = m.event_pk GROUP BY m.a, m.b,"
    " m.dir")
_PER_CLUSTER = {
    "events": "COUNT(DISTINCT e.cluster_no)", "mentions": "COUNT(*)",
    "gsum": "COALESCE(SUM(CAST(ROUND(e.goldstein * 1000000) AS BIGINT)), 0)",
    "gcount": "COUNT(e.goldstein)",
}


def _dyad_counts(clusters: bool, articles: bool) -> str:
    """The SELECT of dyad_totals' figures: per cluster, per article, or both (a backfill),
    with ``{events}`` left to fill."""
    figures = {f"n_{k}": v if clusters else "0" for k, v in _PER_CLUSTER.items()}
    figures["n_articles"] = "COUNT(DISTINCT e.article_pk)" if articles else "0"
    return _DYAD_COUNTS.format(**figures, events="{events}")


DYAD_TABLES = (
    Table("dyad_totals", ("a", "b", "dir"), ("events", "mentions", "articles", "gsum",
                                             "gcount"),
          _dyad_counts(True, False), _dyad_counts(False, True), live="mentions"),
    # the dyad's timeline (view_timeline, direction both): each cluster of its dated events
    # once, in its first month, its direction "ab" when a is a source of any of its events
    # (else "ba"), under its least quad class, with its mentions and mean Goldstein
    Table("dyad_periods", ("a", "b", "period", "dir", "quad"), ("events", "mentions",
                                                               "goldstein"),
          "SELECT c.a AS a, c.b AS b, c.period AS period, c.dir AS dir, c.quad AS quad,"
          " COUNT(*) AS events, SUM(c.m) AS mentions, COALESCE(SUM(c.g), 0) AS goldstein FROM"
          " (SELECT p.a AS a, p.b AS b, MIN(substr(e.when_lo, 1, 7)) AS period, MIN(CASE WHEN"
          " EXISTS (SELECT 1 FROM event_actors d WHERE d.key = p.a AND d.side = 's' AND"
          " d.event_pk = e.event_pk) THEN 'ab' ELSE 'ba' END) AS dir, COALESCE(MIN("
          f"e.quad_class), {NO_QUAD}) AS quad, COUNT(*) AS m, AVG(e.goldstein) AS g FROM"
          f" ({_BOTH}) p JOIN event_facts e ON e.event_pk = p.event_pk WHERE e.when_lo <"
          f" '{UNDATED}' GROUP BY p.a, p.b, e.cluster_no) c GROUP BY c.a, c.b, c.period, c.dir,"
          " c.quad", live="events"),
)
TABLES = ACTOR_TABLES + DYAD_TABLES
ALL_EVENTS = "SELECT f.event_pk FROM event_facts f"
DYAD_TOTALS_BACKFILL = (  # migration 5: dyad_totals at once, articles with the rest
    "INSERT INTO dyad_totals (a, b, dir, events, mentions, articles, gsum, gcount) "
    + _dyad_counts(True, True).format(events=ALL_EVENTS))


def backfill(table: Table) -> str:
    """Migration SQL filling a per-cluster roll-up from every stored event."""
    return (f"INSERT INTO {table.name} ({', '.join((*table.keys, *table.figures))}) "
            + table.select(ALL_EVENTS))


Parts = dict[tuple[str, tuple[Any, ...]], list[Any]]  # (table, key values) → figures


class Rollup:
    """One write's change to the roll-ups: ``before`` the rows change, ``after`` they did."""

    def __init__(self, execute: Callable[[str, Sequence[Any]], list[dict[str, Any]]],
                 executemany: Callable[[str, Sequence[Sequence[Any]]], None],
                 clusters: Iterable[Any], articles: Iterable[Any]) -> None:
        self._execute, self._executemany = execute, executemany
        self.clusters = sorted(set(clusters))
        self.articles = sorted(set(articles))
        self._before: Parts = {}

    def before(self) -> None:
        self._before = self._parts()

    def after(self) -> None:
        """Put the difference between the parts now and before into the tables."""
        now = self._parts()
        for table in TABLES:
            zero = [0] * len(table.figures)
            delta = []
            for t, kv in sorted(set(now) | set(self._before)):
                if t == table.name:
                    diff = [a - b for a, b in zip(now.get((t, kv), zero),
                                                  self._before.get((t, kv), zero), strict=True)]
                    if any(diff):
                        delta.append([*kv, *diff])
            if delta:
                self._apply(table, delta)

    def _apply(self, table: Table, delta: list[list[Any]]) -> None:
        cols = (*table.keys, *table.figures)
        sets = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in table.figures)
        self._executemany(
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES"
            f" ({', '.join('?' for _ in cols)}) ON CONFLICT ({', '.join(table.keys)})"
            f" DO UPDATE SET {sets}", delta)
        self._execute(f"DELETE FROM {table.name} WHERE {table.live} = 0", [])

    def _parts(self) -> Parts:
        out: Parts = {}
        for col, values, by_article in (("cluster_no", self.clusters, False),
                                        ("article_pk", self.articles, True)):
            if not values:
                continue
            events = _EVENTS_OF.format(col=col, marks=", ".join("?" for _ in values))
            for table in TABLES:
                if by_article and table.by_article is None:
                    continue
                sql = table.select(events, by_article)
                # a dyad table's SELECT reads the events more than once: the values each time
                params = list(values) * (sql.count("?") // len(values))
                for r in self._execute(sql, params):
                    part = out.setdefault((table.name, tuple(r[k] for k in table.keys)),
                                          [0] * len(table.figures))
                    for i, name in enumerate(table.figures):
                        part[i] += _number(r[name])
        return out


def _number(v: Any) -> Any:
    """A figure as Python reads it: PostgreSQL sums integers as numeric (Decimal)."""
    if v is None:
        return 0
    return int(v) if isinstance(v, Decimal) else v


def mean_goldstein(gsum: Any, gcount: Any) -> float | None:
    """The mean score (2 decimals) of a Goldstein sum in millionths and its count, rounded
    half up from the exact quotient (None when no mention is scored): the same whichever
    order the scores were added in, and whichever way the sum was kept."""
    if not gcount:
        return None
    mean = Decimal(int(gsum)) / (GOLDSTEIN_SCALE * int(gcount))
    return float(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
