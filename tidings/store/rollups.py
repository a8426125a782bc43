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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

# The figures of a roll-up row, in the order of schema._ROLLUP_COLS.
FIGURES = ("events", "as_source", "as_target", "mentions", "articles", "n_rows", "gsum",
           "gcount")
GOLDSTEIN_SCALE = 1_000_000  # gsum is in millionths: integer sums are exact in any order

# Per cluster part: everything but articles. Per article part: articles alone.
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
# (table, its key columns, FROM and WHERE of its rows ``x``, GROUP BY)
_TABLES = (
    ("actor_totals", ("key", "kind"), " FROM event_actors x WHERE x.event_pk IN ({events})",
     "x.key, x.kind"),
    ("actor_pairs", ("key", "other", "kind"),
     " FROM event_actors k JOIN event_actors x ON x.event_pk = k.event_pk AND x.side <> k.side"
     " WHERE x.key <> k.key AND k.event_pk IN ({events})", "k.key, x.key, x.kind"),
)
_SELECT_KEYS = {"actor_totals": "x.key AS key, x.kind AS kind",
                "actor_pairs": "k.key AS key, x.key AS other, x.kind AS kind"}

Parts = dict[tuple[str, tuple[Any, ...]], list[int]]  # (table, key values) → FIGURES


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
        zero = [0] * len(FIGURES)
        for table, keys, _, _ in _TABLES:
            cols = (*keys, *FIGURES)
            delta = []
            for t, kv in sorted(set(now) | set(self._before)):
                if t == table:
                    diff = [a - b for a, b in zip(now.get((t, kv), zero),
                                                  self._before.get((t, kv), zero), strict=True)]
                    if any(diff):
                        delta.append([*kv, *diff])
            if not delta:
                continue
            sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in FIGURES)
            self._executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES"
                f" ({', '.join('?' for _ in cols)}) ON CONFLICT ({', '.join(keys)})"
                f" DO UPDATE SET {sets}", delta)
            self._execute(f"DELETE FROM {table} WHERE n_rows = 0", [])

    def _parts(self) -> Parts:
        out: Parts = {}
        for col, values, figures in (("cluster_no", self.clusters, _BY_CLUSTER),
                                     ("article_pk", self.articles, _BY_ARTICLE)):
            if not values:
                continue
            events = _EVENTS_OF.format(col=col, marks=", ".join("?" for _ in values))
            for table, keys, source, group in _TABLES:
                sql = (f"SELECT {_SELECT_KEYS[table]}, {figures}"
                       f"{source.format(events=events)} GROUP BY {group}")
                for r in self._execute(sql, list(values)):
                    part = out.setdefault((table, tuple(r[k] for k in keys)),
                                          [0] * len(FIGURES))
                    for i, name in enumerate(FIGURES):
                        part[i] += int(r[name] or 0)
        return out


def mean_goldstein(gsum: Any, gcount: Any) -> float | None:
    """The mean score of a roll-up row (None when no mention is scored)."""
    return None if not gcount else int(gsum) / GOLDSTEIN_SCALE / int(gcount)
