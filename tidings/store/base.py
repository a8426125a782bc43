"""The query layer shared by both backends.

Every query is written once, in the SQL common to SQLite and PostgreSQL, with ``?``
placeholders (the PostgreSQL backend rewrites them); a backend supplies only the connection,
transactions, streaming and the full-text parts (FTS5 vs tsvector). Methods return plain dicts
so the CLI, the HTTP API and the web pages can all use them unchanged.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from tidings.model import Article
from tidings.store.common import (
    EVENT_COLUMNS,
    QueryError,
    Term,
    check_period,
    event_row,
    evidence_rows,
    like_escape,
    normalize_url,
    parse_query,
    period_length,
    row_event,
    split_dyad,
    text_hash,
    without_nul,
)

DEFAULT_PATH = "./tidings.db"

# Page sizes: how many rows one round trip carries when streaming, and how many ids go in one
# IN (...) list (SQLite's default limit on host parameters is 32766; stay far below).
STREAM_BATCH = 500
IN_CHUNK = 500

TOP_DYADS = 10  # summary(): how many dyads to list

# Markers the backends put around matched words in snippets: private-use characters that
# never occur in news text, so the snippet can be HTML-escaped and then marked safely.
MARK_START = "\ue000"
MARK_END = "\ue001"

ARTICLE_FIELDS = (
    "id", "title", "subtitle", "byline", "source", "url", "published", "dateline_place",
    "dateline_date", "language", "caption", "extraction", "origin",
)  # fmt: skip

# Event rows joined with their article, as every event query selects them.
_EVENT_SELECT = (
    "SELECT e.pk AS pk, e.article_pk AS article_pk, "
    + ", ".join(f"e.{c} AS {c}" for c in EVENT_COLUMNS)
    + ", a.id AS a_id, a.title AS a_title, a.url AS a_url, a.source AS a_source,"
    " a.published AS a_published FROM events e JOIN articles a ON a.pk = e.article_pk"
)
_EVENT_DATE = "COALESCE(e.date, a.published)"
_EVENT_ORDER = f" ORDER BY ({_EVENT_DATE} IS NULL), {_EVENT_DATE}, e.article_pk, e.seq"


def _side_is(side: str, code: str) -> tuple[str, list[Any]]:
    """One side of an event names ``code`` as its country or its actor code."""
    return (f"(upper(e.{side}_country) = ? OR upper(e.{side}_code) = ?)", [code, code])


def _marked(snippet: str | None) -> tuple[str, str]:
    """(plain text, safe HTML with <mark>) from a snippet carrying MARK_* markers."""
    s = snippet or ""
    plain = s.replace(MARK_START, "").replace(MARK_END, "")
    safe = html.escape(s).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return plain, safe


def _without_paging(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if k not in ("limit", "offset")}


class Store:
    """Articles and their events in SQLite (a path) or PostgreSQL (``postgresql://...``).

    ``Store(target)`` returns the backend for ``target``; both answer the same methods with
    the same dicts.
    """

    dialect = ""

    def __new__(cls, target: str | None = None, *args: Any, **kwargs: Any) -> Store:
        if cls is Store:
            t = str(target) if target is not None else DEFAULT_PATH
            if t.startswith(("postgresql://", "postgres://")):
                from tidings.store.postgres import PostgresStore

                cls = PostgresStore
            else:
                from tidings.store.sqlite import SQLiteStore

                cls = SQLiteStore
        return super().__new__(cls)

    def __init__(self, target: str | None = None) -> None:
        self.target = str(target) if target is not None else DEFAULT_PATH
        self._lock = threading.RLock()
        self.stream_batch = STREAM_BATCH  # rows per round trip in iter_events

    # ---- backend hooks ---------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a statement inside the current write transaction; rows it returns, if any."""
        raise NotImplementedError

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[list[dict[str, Any]]]:
        """Batches of rows of one query, without loading the whole result."""
        raise NotImplementedError

    def _fts_filter(self, terms: list[Term]) -> tuple[str, list[Any]]:
        """SQL condition on alias ``a`` (articles) that the article matches the terms."""
        raise NotImplementedError

    def _search_rows(self, terms: list[Term], limit: int, offset: int) -> list[dict[str, Any]]:
        """Ranked hits: pk, id, title, url, source, published, score (higher better), snip."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- data in ---------------------------------------------------------------------------

    def has(self, article: Article) -> bool:
        """Whether this article (same id, normalised URL or normalised text) is stored."""
        with self._lock:
            rows = self._query(
                "SELECT 1 AS x FROM articles WHERE id = ? OR url_norm = ? OR text_hash = ?",
                [
                    without_nul(article.id),
                    normalize_url(without_nul(article.url)),
                    text_hash(without_nul(article.text)),
                ],
            )
        return bool(rows)

    def ids(self) -> list[str]:
        """Stored article ids, in the order they were added."""
        with self._lock:
            return [r["id"] for r in self._query("SELECT id FROM articles ORDER BY pk")]

    def add(
        self,
        article: Article,
        events: list[dict[str, Any]],
        sentences: list[dict[str, Any]] | None = None,
    ) -> str:
        """Store one article with its sentences and events in one transaction.

        Returns "added", or "duplicate" (writing nothing) when the same id, normalised URL or
        normalised text is already stored. Any failure rolls the whole article back.
        """
        article = Article(**without_nul(article.to_dict()))
        events = without_nul(events)
        sentences = without_nul(sentences)
        url_norm = normalize_url(article.url)
        digest = text_hash(article.text)
        art = [getattr(article, f) for f in ARTICLE_FIELDS]
        meta = json.dumps(article.meta, ensure_ascii=False, default=str) if article.meta else None
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._transaction():
            if self._execute(
                "SELECT 1 AS x FROM articles WHERE id = ? OR url_norm = ? OR text_hash = ?",
                [article.id, url_norm, digest],
            ):
                return "duplicate"
            cols = ", ".join(ARTICLE_FIELDS)
            marks = ", ".join("?" for _ in ARTICLE_FIELDS)
            rows = self._execute(
                f"INSERT INTO articles ({cols}, url_norm, text_hash, meta, text, added_at)"
                f" VALUES ({marks}, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING pk",
                [*art, url_norm, digest, meta, article.text, added_at],
            )
            if not rows:  # a concurrent writer stored it between our check and insert
                return "duplicate"
            pk = rows[0]["pk"]
            if sentences:
                self._executemany(
                    "INSERT INTO sentences (article_pk, idx, start_char, end_char, text)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(pk, s["index"], s["start"], s["end"], s["text"]) for s in sentences],
                )
            if events:
                self._add_events(pk, article.id, events)
        return "added"

    def _add_events(self, pk: Any, article_id: str, events: list[dict[str, Any]]) -> None:
        """Events and their evidence spans, in a few batched statements (round trips count
        on a server)."""
        ecols = ", ".join(EVENT_COLUMNS)
        emarks = ", ".join("?" for _ in EVENT_COLUMNS)
        rows = [event_row(ev, article_id, seq) for seq, ev in enumerate(events)]
        self._executemany(
            f"INSERT INTO events (article_pk, seq, {ecols}) VALUES (?, ?, {emarks})",
            [[pk, seq, *(row[c] for c in EVENT_COLUMNS)] for seq, row in enumerate(rows)],
        )
        pk_of = {
            r["seq"]: r["pk"]
            for r in self._execute("SELECT pk, seq FROM events WHERE article_pk = ?", [pk])
        }
        spans = [
            (pk_of[seq], i, *span)
            for seq, ev in enumerate(events)
            for i, span in enumerate(evidence_rows(ev))
        ]
        if spans:
            self._executemany(
                "INSERT INTO evidence_spans (event_pk, seq, start_char, end_char, sentence_index)"
                " VALUES (?, ?, ?, ?, ?)",
                spans,
            )

    # ---- events ----------------------------------------------------------------------------

    def _event_where(
        self,
        dyad: str | None = None,
        actor: str | None = None,
        type: str | None = None,  # noqa: A002 - the documented filter name
        quad_class: int | None = None,
        since: str | None = None,
        until: str | None = None,
        q: str | None = None,
        directed: bool = False,
    ) -> tuple[str, list[Any]]:
        """WHERE clause (possibly empty) and parameters for the event filters."""
        conds: list[str] = []
        params: list[Any] = []
        if dyad:
            a, b = split_dyad(dyad)
            sa, pa = _side_is("source", a)
            tb, pb = _side_is("target", b)
            cond, cp = f"({sa} AND {tb})", pa + pb
            if not directed:
                sb, pb2 = _side_is("source", b)
                ta, pa2 = _side_is("target", a)
                cond, cp = f"({cond} OR ({sb} AND {ta}))", cp + pb2 + pa2
            conds.append(cond)
            params += cp
        if actor:
            needle = actor.strip()
            pattern = f"%{like_escape(needle.lower())}%"
            sides = []
            for side in ("source", "target"):
                sides.append(
                    f"lower(e.{side}_name) LIKE ? ESCAPE '\\' OR lower(e.{side}_text) LIKE ?"
                    f" ESCAPE '\\' OR upper(e.{side}_country) = ? OR upper(e.{side}_code) = ?"
                )
                params += [pattern, pattern, needle.upper(), needle.upper()]
            conds.append("(" + " OR ".join(sides) + ")")
        if type:
            t = type.strip()
            if t.isdigit():  # a CAMEO code: the code and everything under it
                conds.append("e.cameo LIKE ?")
                params.append(f"{t}%")
            else:
                conds.append("upper(e.event_type) = ?")
                params.append(t.upper())
        if quad_class is not None and quad_class != "":
            try:
                qc = int(quad_class)
            except (TypeError, ValueError):
                raise QueryError(f"quad_class must be 1-4, not {quad_class!r}") from None
            if qc not in (1, 2, 3, 4):
                raise QueryError(f"quad_class must be 1-4, not {quad_class!r}")
            conds.append("e.quad_class = ?")
            params.append(qc)
        # A date filter keeps an event whose date overlaps the bound at the coarser of the two
        # precisions: until "2020-12" keeps "2020-12-31" and "2020"; since "2020-06" keeps
        # "2020-06-01" and "2020" but not "2020-05-31".
        lo = check_period(since, "since")
        hi = check_period(until, "until")
        if lo:
            conds.append(f"substr({_EVENT_DATE}, 1, ?) >= substr(?, 1, length({_EVENT_DATE}))")
            params += [len(lo), lo]
        if hi:
            conds.append(f"substr({_EVENT_DATE}, 1, ?) <= substr(?, 1, length({_EVENT_DATE}))")
            params += [len(hi), hi]
        if q is not None and q.strip():
            fts, fp = self._fts_filter(parse_query(q))
            conds.append(fts)
            params += fp
        return (" WHERE " + " AND ".join(conds) if conds else ""), params

    def _with_evidences(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Event dicts for joined rows, each with its evidence spans and article summary."""
        spans: dict[Any, list[dict[str, Any]]] = {r["pk"]: [] for r in rows}
        pks = list(spans)
        for i in range(0, len(pks), IN_CHUNK):
            chunk = pks[i : i + IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            for s in self._query(
                "SELECT event_pk, start_char, end_char, sentence_index FROM evidence_spans"
                f" WHERE event_pk IN ({marks}) ORDER BY event_pk, seq",
                chunk,
            ):
                spans[s["event_pk"]].append(
                    {
                        "start": s["start_char"],
                        "end": s["end_char"],
                        "sentence_index": s["sentence_index"],
                    }
                )
        out = []
        for r in rows:
            ev = row_event(r, spans[r["pk"]])
            ev["article"] = {
                "id": r["a_id"],
                "title": r["a_title"],
                "url": r["a_url"],
                "source": r["a_source"],
                "published": r["a_published"],
            }
            out.append(ev)
        return out

    def events(
        self,
        dyad: str | None = None,
        actor: str | None = None,
        type: str | None = None,  # noqa: A002 - the documented filter name
        quad_class: int | None = None,
        since: str | None = None,
        until: str | None = None,
        q: str | None = None,
        directed: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Filtered events in date order, each with ``article`` {id,title,url,source,published}.

        dyad "PRK-RUS" matches country or actor code on each side, both directions unless
        ``directed``; actor matches name/text (substring) or country/code (exact), any case;
        type is a PLOVER type or a CAMEO code prefix; since/until take YYYY[-MM[-DD]] and are
        inclusive at their precision; q is a full-text query on the article.
        """
        where, params = self._event_where(
            dyad, actor, type, quad_class, since, until, q, directed
        )
        sql = _EVENT_SELECT + where + _EVENT_ORDER
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, int(limit)))
        elif offset and self.dialect == "sqlite":
            sql += " LIMIT -1"  # SQLite takes OFFSET only after a LIMIT
        if offset:
            sql += " OFFSET ?"
            params.append(max(0, int(offset)))
        with self._lock:
            return self._with_evidences(self._query(sql, params))

    def count_events(self, **filters: Any) -> int:
        """How many events the same filters as ``events`` select (limit/offset ignored, so a
        caller can pass one filter dict to both)."""
        where, params = self._event_where(**_without_paging(filters))
        sql = "SELECT COUNT(*) AS n FROM events e JOIN articles a ON a.pk = e.article_pk" + where
        with self._lock:
            return int(self._query(sql, params)[0]["n"])

    def iter_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every event the filters select, in ``events`` order, streamed in batches of
        ``stream_batch`` rows (for exports of any size; limit/offset ignored)."""
        where, params = self._event_where(**_without_paging(filters))
        for batch in self._stream(_EVENT_SELECT + where + _EVENT_ORDER, params):
            with self._lock:
                yield from self._with_evidences(batch)

    # ---- timeline --------------------------------------------------------------------------

    def timeline(self, a: str, b: str, by: str = "month") -> list[dict[str, Any]]:
        """Per period and direction (a→b, b→a): counts by quad class, total, summed scores.

        Periods are "YYYY-MM" (by="month") or "YYYY" (by="year"); an event dated only to the
        year appears under "YYYY" in a month timeline. Both directions are listed for every
        period that has an event, with zeros where one direction has none.
        """
        n = period_length(by)
        a, b = a.strip().upper(), b.strip().upper()
        sa, pa = _side_is("source", a)
        tb, pb = _side_is("target", b)
        sb, pb2 = _side_is("source", b)
        ta, pa2 = _side_is("target", a)
        sql = (
            "SELECT period, dir, COUNT(*) AS total,"
            " COUNT(*) FILTER (WHERE quad_class = 1) AS q1,"
            " COUNT(*) FILTER (WHERE quad_class = 2) AS q2,"
            " COUNT(*) FILTER (WHERE quad_class = 3) AS q3,"
            " COUNT(*) FILTER (WHERE quad_class = 4) AS q4,"
            " SUM(plover_score) AS plover_score, SUM(goldstein) AS goldstein"
            f" FROM (SELECT substr({_EVENT_DATE}, 1, ?) AS period,"
            f" CASE WHEN {sa} AND {tb} THEN 0 ELSE 1 END AS dir,"
            " e.quad_class AS quad_class, e.plover_score AS plover_score,"
            " e.goldstein AS goldstein"
            " FROM events e JOIN articles a ON a.pk = e.article_pk"
            f" WHERE (({sa} AND {tb}) OR ({sb} AND {ta})) AND {_EVENT_DATE} IS NOT NULL) t"
            " GROUP BY period, dir ORDER BY period, dir"
        )
        params = [n, *pa, *pb, *pa, *pb, *pb2, *pa2]
        with self._lock:
            rows = self._query(sql, params)
        found = {(r["period"], r["dir"]): r for r in rows}
        out = []
        for period in sorted({r["period"] for r in rows}):
            for d, (src, tgt) in enumerate(((a, b), (b, a))):
                r = found.get((period, d), {})
                out.append(
                    {
                        "period": period,
                        "source": src,
                        "target": tgt,
                        "direction": f"{src}->{tgt}",
                        "q1": int(r.get("q1") or 0),
                        "q2": int(r.get("q2") or 0),
                        "q3": int(r.get("q3") or 0),
                        "q4": int(r.get("q4") or 0),
                        "total": int(r.get("total") or 0),
                        "plover_score": float(r.get("plover_score") or 0.0),
                        "goldstein": float(r.get("goldstein") or 0.0),
                    }
                )
        return out

    # ---- search ----------------------------------------------------------------------------

    def _events_by_article(self, pks: list[Any]) -> dict[Any, list[dict[str, Any]]]:
        out: dict[Any, list[dict[str, Any]]] = {pk: [] for pk in pks}
        for i in range(0, len(pks), IN_CHUNK):
            chunk = pks[i : i + IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self._query(
                _EVENT_SELECT + f" WHERE e.article_pk IN ({marks}) ORDER BY e.article_pk, e.seq",
                chunk,
            )
            pk_of = {r["pk"]: r["article_pk"] for r in rows}
            for ev, r in zip(self._with_evidences(rows), rows, strict=True):
                out[pk_of[r["pk"]]].append(ev)
        return out

    def search(self, q: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Articles ranked by relevance (bm25 on SQLite, ts_rank on PostgreSQL).

        Each hit: id, title, url, source, published, score (higher is better), ``snippet``
        (plain text), ``snippet_html`` (escaped, matches in <mark>) and the article's events.
        The query is sanitised (see common.parse_query): words and "phrases", OR, -word.
        """
        terms = parse_query(q)
        with self._lock:
            rows = self._search_rows(terms, max(0, int(limit)), max(0, int(offset)))
            events = self._events_by_article([r["pk"] for r in rows])
        hits = []
        for r in rows:
            plain, safe = _marked(r["snip"])
            hits.append(
                {
                    "id": r["id"],
                    "title": r["title"],
                    "url": r["url"],
                    "source": r["source"],
                    "published": r["published"],
                    "score": float(r["score"]),
                    "snippet": plain,
                    "snippet_html": safe,
                    "events": events[r["pk"]],
                }
            )
        return hits

    def search_facets(self, q: str) -> dict[str, Any]:
        """Counts over all matches of ``q``: total, by outlet, by event type, by year."""
        fts, params = self._fts_filter(parse_query(q))
        with self._lock:
            total = self._query(f"SELECT COUNT(*) AS n FROM articles a WHERE {fts}", params)
            outlets = self._query(
                f"SELECT a.source AS value, COUNT(*) AS n FROM articles a WHERE {fts}"
                " GROUP BY a.source ORDER BY n DESC, value",
                params,
            )
            years = self._query(
                "SELECT substr(a.published, 1, 4) AS value, COUNT(*) AS n FROM articles a"
                f" WHERE {fts} GROUP BY substr(a.published, 1, 4) ORDER BY value",
                params,
            )
            types = self._query(
                "SELECT e.event_type AS value, COUNT(*) AS n FROM events e"
                f" JOIN articles a ON a.pk = e.article_pk WHERE {fts}"
                " GROUP BY e.event_type ORDER BY n DESC, value",
                params,
            )

        def counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"value": r["value"], "count": int(r["n"])} for r in rows]

        return {
            "total": int(total[0]["n"]),
            "outlets": counts(outlets),
            "event_types": counts(types),
            "years": counts(years),
        }

    # ---- articles --------------------------------------------------------------------------

    def article(self, id: str) -> dict[str, Any] | None:  # noqa: A002 - the documented name
        """One article: every Article field, text, sentences and events with evidence offsets."""
        with self._lock:
            rows = self._query("SELECT * FROM articles WHERE id = ?", [id])
            if not rows:
                return None
            r = rows[0]
            sents = self._query(
                "SELECT idx, start_char, end_char, text FROM sentences WHERE article_pk = ?"
                " ORDER BY idx",
                [r["pk"]],
            )
            events = self._events_by_article([r["pk"]])[r["pk"]]
        out = {f: r[f] for f in ARTICLE_FIELDS}
        meta = r["meta"]
        out["meta"] = (json.loads(meta) if isinstance(meta, str) else meta) or {}
        out["text"] = r["text"]
        out["url_norm"] = r["url_norm"]
        out["text_hash"] = r["text_hash"]
        out["added_at"] = r["added_at"]
        out["sentences"] = [
            {"index": s["idx"], "start": s["start_char"], "end": s["end_char"], "text": s["text"]}
            for s in sents
        ]
        out["events"] = events
        return out

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Article metadata (no text), newest first, each with its event count."""
        cols = ", ".join(f"a.{f} AS {f}" for f in ARTICLE_FIELDS)
        sql = (
            f"SELECT {cols}, (SELECT COUNT(*) FROM events e WHERE e.article_pk = a.pk)"
            " AS event_count FROM articles a"
            " ORDER BY (a.published IS NULL), a.published DESC, a.pk DESC LIMIT ? OFFSET ?"
        )
        with self._lock:
            rows = self._query(sql, [max(0, int(limit)), max(0, int(offset))])
        for r in rows:
            r["event_count"] = int(r["event_count"])
        return rows

    def count_articles(self) -> int:
        with self._lock:
            return int(self._query("SELECT COUNT(*) AS n FROM articles")[0]["n"])

    # ---- actors and network ----------------------------------------------------------------

    def actors(self, limit: int = 100) -> list[dict[str, Any]]:
        """Actors by how many events name them: name/country/code, as source, as target."""
        sql = (
            "SELECT name, country, code, SUM(src) AS as_source, SUM(tgt) AS as_target FROM ("
            " SELECT source_name AS name, source_country AS country, source_code AS code,"
            " 1 AS src, 0 AS tgt FROM events"
            " UNION ALL SELECT target_name, target_country, target_code, 0, 1 FROM events"
            " WHERE has_target = 1) t"
            " WHERE name IS NOT NULL OR country IS NOT NULL OR code IS NOT NULL"
            " GROUP BY name, country, code"
            " ORDER BY SUM(src) + SUM(tgt) DESC, name, country, code LIMIT ?"
        )
        with self._lock:
            rows = self._query(sql, [max(0, int(limit))])
        return [
            {
                "name": r["name"],
                "country": r["country"],
                "code": r["code"],
                "mentions": int(r["as_source"]) + int(r["as_target"]),
                "as_source": int(r["as_source"]),
                "as_target": int(r["as_target"]),
            }
            for r in rows
        ]

    def network(self, min_events: int = 1) -> dict[str, Any]:
        """Country-level directed network: edges source→target with event count (weight) and
        mean plover_score and goldstein; nodes with their event counts. Events within one
        country (self-loops) and events without a country on both sides are left out."""
        sql = (
            "SELECT source_country AS source, target_country AS target, COUNT(*) AS weight,"
            " AVG(plover_score) AS plover_score, AVG(goldstein) AS goldstein FROM events"
            " WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
            " AND source_country <> target_country"
            " GROUP BY source_country, target_country HAVING COUNT(*) >= ?"
            " ORDER BY weight DESC, source, target"
        )
        with self._lock:
            rows = self._query(sql, [max(1, int(min_events))])
        edges = []
        nodes: dict[str, dict[str, Any]] = {}
        for r in rows:
            w = int(r["weight"])
            edges.append(
                {
                    "source": r["source"],
                    "target": r["target"],
                    "weight": w,
                    "plover_score": None if r["plover_score"] is None else float(r["plover_score"]),
                    "goldstein": None if r["goldstein"] is None else float(r["goldstein"]),
                }
            )
            for key, role in ((r["source"], "as_source"), (r["target"], "as_target")):
                node = nodes.setdefault(key, {"id": key, "events": 0, "as_source": 0,
                                              "as_target": 0})  # fmt: skip
                node["events"] += w
                node[role] += w
        ordered = sorted(nodes.values(), key=lambda n: (-n["events"], n["id"]))
        return {"nodes": ordered, "edges": edges}

    def summary(self) -> dict[str, Any]:
        """Totals for a dashboard: articles, events, events by type, top dyads, date ranges."""
        with self._lock:
            n_art = self._query("SELECT COUNT(*) AS n FROM articles")[0]["n"]
            n_ev = self._query("SELECT COUNT(*) AS n FROM events")[0]["n"]
            types = self._query(
                "SELECT event_type, COUNT(*) AS n FROM events GROUP BY event_type"
                " ORDER BY n DESC, event_type"
            )
            pairs = self._query(
                "SELECT source_country AS s, target_country AS t, COUNT(*) AS n FROM events"
                " WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
                " GROUP BY source_country, target_country"
            )
            ev_range = self._query(
                f"SELECT MIN({_EVENT_DATE}) AS lo, MAX({_EVENT_DATE}) AS hi"
                " FROM events e JOIN articles a ON a.pk = e.article_pk"
            )[0]
            pub_range = self._query(
                "SELECT MIN(published) AS lo, MAX(published) AS hi FROM articles"
            )[0]
        dyads: dict[str, int] = {}
        for r in pairs:
            key = "-".join(sorted((r["s"], r["t"])))
            dyads[key] = dyads.get(key, 0) + int(r["n"])
        top = sorted(dyads.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DYADS]
        return {
            "articles": int(n_art),
            "events": int(n_ev),
            "events_by_type": {r["event_type"]: int(r["n"]) for r in types},
            "top_dyads": [{"dyad": k, "events": v} for k, v in top],
            "date_range": {
                "events": {"min": ev_range["lo"], "max": ev_range["hi"]},
                "published": {"min": pub_range["lo"], "max": pub_range["hi"]},
            },
        }
