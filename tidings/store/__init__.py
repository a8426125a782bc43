"""The store: coded articles in SQLite (default, FTS5) or PostgreSQL (tsvector).

``Store(path)`` opens or creates a SQLite file (default ``./tidings.db``);
``Store("postgresql://...")`` a PostgreSQL database (``?options=-csearch_path%3Dname`` selects a
schema). Both run the same migrations at open and answer the same methods with plain dicts:

data in     add(article, events, sentences=None) -> "added" | "duplicate"; has(article); ids()
events      events(dyad, actor, type, quad_class, since, until, q, directed, limit, offset),
            count_events(**filters), iter_events(**filters)
            -> event dicts as the pipeline made them, plus "article": {id,title,url,source,
               published}
timeline    timeline(a, b, by="month"|"year") -> [{period, source, target, direction,
            q1..q4, total, plover_score, goldstein}] (both directions per period)
search      search(q, limit, offset) -> [{id, title, url, source, published, score, snippet,
            snippet_html, events}]; search_facets(q) -> {total, outlets, event_types, years}
articles    article(id) -> {...Article fields, meta, text, sentences, events} | None;
            articles(limit, offset); count_articles()
overview    actors(limit); network(min_events); summary()

A duplicate is the same article id, the same URL after normalize_url, or the same text after
text_hash. User queries and filters that cannot be read raise QueryError (a ValueError) with a
message; full-text queries are sanitised into quoted terms (common.parse_query), so raw FTS5 or
tsquery syntax never reaches the database.
"""

from tidings.store.base import DEFAULT_PATH, Store
from tidings.store.common import QueryError, normalize_url, text_hash

__all__ = ["DEFAULT_PATH", "QueryError", "Store", "normalize_url", "text_hash"]
