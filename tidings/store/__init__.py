"""The store: coded articles in SQLite (default, FTS5) or PostgreSQL (tsvector).

``Store(path)`` opens or creates a SQLite file (default ``./tidings.db``);
``Store("postgresql://...")`` a PostgreSQL database (``?options=-csearch_path%3Dname`` selects a
schema). Both run the same migrations at open and answer the same methods with plain dicts:

data in     add(article, events, sentences=None) -> "added" | "duplicate"; has(article); ids()
events      events(dyad, actor, type, quad_class, since, until, q, directed, limit, offset,
            unique=False, with_counts=False), count_events(**filters), iter_events(**filters)
            -> event dicts as the pipeline made them, plus "article": {id, title, url, source,
               published, tone, version, original_id, link_kind}; unique=True gives one
               event per cluster, and unique or with_counts add cluster_id, num_mentions,
               num_sources, num_articles, num_copies, avg_tone (tidings/clusters.py) and the
               article's added_at
timeline    timeline(a, b, by="month"|"year", unique=False, tone=False) -> [{period, source,
            target, direction, q1..q4, total, plover_score, goldstein[, tone]}] (both
            directions per period; unique counts clusters; tone: mean article tone)
search      search(q, limit, offset) -> [{id, title, url, source, published, score, snippet,
            snippet_html, events}]; search_facets(q) -> {total, outlets, event_types, years}
articles    article(id) -> {...Article fields, meta, text, sentences, events, tone, version,
            versions, original_id, link_kind, link_score, near_duplicates} | None;
            articles(limit, offset); count_articles()
overview    actors(limit); network(min_events); summary()

A duplicate is the same article id or the same text after text_hash. The same URL after
normalize_url with another text is a new *version* (kept, ``version`` 2, 3, ...; state media
edit articles after publication); a republication or abridgment of a stored article under
another URL is kept and linked to it (tidings/dedup.py, MinHash LSH). Both count once in
``unique`` queries. Each article has a tone (tidings/tone.py), each event a cluster id
(tidings/clusters.py). Schema version 2 adds these; opening a version 1 store upgrades it
and fills them for the rows already there.

User queries and filters that cannot be read raise QueryError (a ValueError) with a message;
full-text queries are sanitised into quoted terms (common.parse_query), so raw FTS5 or tsquery
syntax never reaches the database. Offsets, limits and text filters are always bounded
(limits.Limits); with ``Store(target, limits=...)`` (the CLI's way) a full-text query is
bounded too: distinct terms, length and run time; ``search(q, cancel=event)`` stops when the
event is set. Past a bound it is a QueryError (QueryTimeout for time), never a runaway
statement.

A store that cannot be opened, read or written raises StoreError, whatever the backend.
``Store(target, read_only=True)`` opens for reading only (no migration, no lock, nothing
written). Backends are chosen by the target's URL scheme (tidings/store/backends.py).
"""

from tidings.store.base import DEFAULT_PATH, Store
from tidings.store.common import (
    QueryError,
    QueryTimeout,
    StoreError,
    normalize_url,
    text_hash,
)

__all__ = [
    "DEFAULT_PATH", "QueryError", "QueryTimeout", "Store", "StoreError", "normalize_url",
    "text_hash",
]
