"""The query layer shared by both backends.

Every query is written once, in the SQL common to SQLite and PostgreSQL, with ``?``
placeholders (the PostgreSQL backend rewrites them); a backend supplies only the connection,
transactions, streaming and the full-text parts (FTS5 vs tsvector). Methods return plain dicts
so the CLI, the HTTP API and the web pages can all use them unchanged.
"""

from __future__ import annotations

import html
import json
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tidings import clusters, dedup
from tidings import tone as tonemod
from tidings.limits import Limits
from tidings.limits import resolve as resolve_limits
from tidings.model import Article
from tidings.store import backends
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
from tidings.store.views import ViewQueries

DEFAULT_PATH = "./tidings.db"

log = logging.getLogger(__name__)

# Page sizes: how many rows one round trip carries when streaming, and how many ids go in one
# IN (...) list (SQLite's default limit on host parameters is 32766; stay far below).
STREAM_BATCH = 500
IN_CHUNK = 500

TOP_DYADS = 10  # summary(): how many dyads to list

# Near-duplicate lookup: at most this many band-sharing articles are compared (the most bands
# shared first). Measured on the corpora: 6.5 candidates per article on average, 95 at most.
MAX_CANDIDATES = 200
# Articles whose tone, fingerprint and links a schema upgrade fills per transaction.
UPGRADE_BATCH = 200

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
    "SELECT e.pk AS pk, e.article_pk AS article_pk, e.cluster_id AS cluster_id, "
    + ", ".join(f"e.{c} AS {c}" for c in EVENT_COLUMNS)
    + ", a.id AS a_id, a.title AS a_title, a.url AS a_url, a.source AS a_source,"
    " a.published AS a_published, a.tone AS a_tone, a.version AS a_version,"
    " a.link_kind AS a_link_kind, a.added_at AS a_added_at,"
    " (SELECT o.id FROM articles o WHERE o.pk = a.original_pk) AS a_original_id"
    " FROM events e JOIN articles a ON a.pk = e.article_pk"
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


def _float(v: Any) -> float | None:
    """A database numeric (Decimal from PostgreSQL) as a plain float."""
    return None if v is None else float(v)


def _without_paging(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if k not in ("limit", "offset")}


def _dyad_cond(dyad: str, directed: bool) -> tuple[str, list[Any]]:
    a, b = split_dyad(dyad)
    sa, pa = _side_is("source", a)
    tb, pb = _side_is("target", b)
    cond, params = f"({sa} AND {tb})", pa + pb
    if not directed:
        sb, pb2 = _side_is("source", b)
        ta, pa2 = _side_is("target", a)
        cond, params = f"({cond} OR ({sb} AND {ta}))", params + pb2 + pa2
    return cond, params


def _actor_cond(actor: str) -> tuple[str, list[Any]]:
    """Name or text (substring) or country or code (exact), either side, any case."""
    needle = actor.strip()
    pattern = f"%{like_escape(needle.lower())}%"
    sides, params = [], []
    for side in ("source", "target"):
        sides.append(
            f"lower(e.{side}_name) LIKE ? ESCAPE '\\' OR lower(e.{side}_text) LIKE ?"
            f" ESCAPE '\\' OR upper(e.{side}_country) = ? OR upper(e.{side}_code) = ?"
        )
        params += [pattern, pattern, needle.upper(), needle.upper()]
    return "(" + " OR ".join(sides) + ")", params


def _type_cond(etype: str) -> tuple[str, list[Any]]:
    t = etype.strip()
    if t.isdigit():  # a CAMEO code: the code and everything under it
        return "e.cameo LIKE ?", [f"{t}%"]
    return "upper(e.event_type) = ?", [t.upper()]


def _quad_cond(quad_class: Any) -> tuple[str, list[Any]]:
    try:
        qc = int(quad_class)
    except (TypeError, ValueError):
        raise QueryError(f"quad_class must be 1-4, not {quad_class!r}") from None
    if qc not in (1, 2, 3, 4):
        raise QueryError(f"quad_class must be 1-4, not {quad_class!r}")
    return "e.quad_class = ?", [qc]


def _date_conds(since: str | None, until: str | None) -> list[tuple[str, list[Any]] | None]:
    """A date filter keeps an event whose date overlaps the bound at the coarser of the two
    precisions: until "2020-12" keeps "2020-12-31" and "2020"; since "2020-06" keeps
    "2020-06-01" and "2020" but not "2020-05-31"."""
    out: list[tuple[str, list[Any]] | None] = []
    for value, name, op in ((since, "since", ">="), (until, "until", "<=")):
        bound = check_period(value, name)
        out.append((f"substr({_EVENT_DATE}, 1, ?) {op} substr(?, 1, length({_EVENT_DATE}))",
                    [len(bound), bound]) if bound else None)
    return out


def _timeline_rows(
    rows: list[dict[str, Any]], a: str, b: str, tone: bool
) -> list[dict[str, Any]]:
    """Both directions of every period that has an event, zeros where one has none."""
    found = {(r["period"], r["dir"]): r for r in rows}
    out = []
    for period in sorted({r["period"] for r in rows}):
        for d, (src, tgt) in enumerate(((a, b), (b, a))):
            r = found.get((period, d), {})
            row = {
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
            if tone:
                t = _float(r.get("tone"))
                row["tone"] = None if t is None else round(t, 4)
            out.append(row)
    return out


@dataclass(frozen=True)
class _Link:
    """A new article's place in its family: root pk, why, containment, version number."""

    original_pk: Any
    kind: str | None  # None | "version" | "republication" | "abridgment" | "expansion"
    score: float | None
    version: int


class Store(ViewQueries):
    """Articles and their events in SQLite (a path) or PostgreSQL (``postgresql://...``).

    ``Store(target)`` returns the backend for ``target``; both answer the same methods with
    the same dicts.
    """

    dialect = ""

    def __new__(cls, target: str | None = None, *args: Any, **kwargs: Any) -> Store:
        if cls is Store:
            cls = backends.backend_for(str(target) if target is not None else DEFAULT_PATH)
        return super().__new__(cls)

    def __init__(
        self,
        target: str | None = None,
        *,
        read_only: bool = False,
        limits: Limits | Mapping[str, Any] | None = None,
    ) -> None:
        """``read_only``: open for reading only: no migration, no lock taken, nothing written
        (read commands on a read-only file, or while a writer holds the lock). ``limits``:
        the query bounds (limits.Limits). Offsets, limits and filter lengths are always bounded
        (by the defaults when none are given); a full-text query's cost (its distinct terms,
        length and run time) is bounded when ``limits`` are given, as the CLI gives them. The
        web app bounds its searches itself (web/bounded.py: a connection of their own,
        stopped at its time bound or when the client leaves) and may pass its bounds here."""
        self.target = str(target) if target is not None else DEFAULT_PATH
        self.read_only = read_only
        self.limits = resolve_limits(limits)
        self.bound_queries = limits is not None
        self._lock = threading.RLock()
        log.debug("opening %s store%s", type(self).__name__, " read-only" if read_only else "")
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

    def _bounded(self, cancel: threading.Event | None) -> AbstractContextManager[None]:
        """Run the statements inside under ``limits.search_timeout_s``, stopped early when
        ``cancel`` is set; a stopped statement raises QueryTimeout."""
        raise NotImplementedError

    def generation(self) -> Any:
        """A value that changes whenever the stored data may have changed (this process's
        writes and other processes' alike), for caches of derived data; None when the
        backend has no cheap way to tell, and then nothing may be cached."""
        return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- schema upgrade ---------------------------------------------------------------------

    def _upgrade_data(self) -> None:
        """Fill what schema version 2 added to rows stored before it: article tone,
        fingerprints, LSH bands and near-duplicate links (articles in the order they were
        added, each compared with those before it), then event clusters (events in date
        order). Runs at open and does nothing once every row is filled; each batch is one
        transaction, so an interrupted upgrade resumes. Then the analyst views' derived
        rows of migration 3, once every event has its cluster (views.ViewQueries._upgrade_views)."""
        self._upgrade_clusters()
        self._upgrade_views()

    def _upgrade_clusters(self) -> None:
        with self._lock:
            rows = self._query("SELECT pk FROM articles WHERE minhash IS NULL ORDER BY pk")
            todo = [r["pk"] for r in rows]
            for i in range(0, len(todo), UPGRADE_BATCH):
                with self._transaction():
                    for pk in todo[i : i + UPGRADE_BATCH]:
                        self._upgrade_article(pk)
            if not self._query("SELECT 1 AS x FROM events WHERE cluster_id IS NULL LIMIT 1"):
                return
            rows = self._query(
                "SELECT e.pk AS pk FROM events e JOIN articles a ON a.pk = e.article_pk"
                " WHERE e.cluster_id IS NULL" + _EVENT_ORDER
            )
            todo = [r["pk"] for r in rows]
            for i in range(0, len(todo), UPGRADE_BATCH):
                with self._transaction():
                    for epk in todo[i : i + UPGRADE_BATCH]:
                        self._upgrade_event(epk)

    def _upgrade_article(self, pk: Any) -> None:
        rows = self._execute(
            "SELECT id, title, text, original_pk FROM articles WHERE pk = ? AND minhash IS NULL",
            [pk],
        )
        if not rows:  # another process filled it meanwhile
            return
        r = rows[0]
        fp = dedup.fingerprint(r["text"])
        link = self._link(r["text"], fp, [])
        self._execute(
            "UPDATE articles SET tone = ?, shingles = ?, minhash = ?, original_pk = ?,"
            " link_kind = ?, link_score = ? WHERE pk = ?",
            [tonemod.article_tone(r["text"], r["title"]), fp.size, fp.hashvalues,
             link.original_pk, link.kind, link.score, pk],
        )  # fmt: skip
        if link.kind is None:
            self._insert_bands(pk, fp)

    def _insert_bands(self, pk: Any, fp: dedup.Fingerprint) -> None:
        """An article's LSH band keys, in one statement (one round trip to a server)."""
        bands = fp.bands()
        if bands:
            self._execute(
                "INSERT INTO article_bands (band, article_pk) VALUES "
                + ", ".join("(?, ?)" for _ in bands),
                [v for band in bands for v in (band, pk)],
            )

    def _upgrade_event(self, epk: Any) -> None:
        rows = self._execute(_EVENT_SELECT + " WHERE e.pk = ? AND e.cluster_id IS NULL", [epk])
        if not rows:
            return
        r = rows[0]
        event = row_event(r, [])
        art = Article(id=r["a_id"], text="", published=r["a_published"])
        family = self._execute("SELECT original_pk FROM articles WHERE pk = ?", [r["article_pk"]])[
            0
        ]["original_pk"]
        key, cdate, cid = self._cluster_of(event, art, r["id"], family)
        self._execute(
            "UPDATE events SET cluster_id = ?, cluster_key = ?, cluster_date = ? WHERE pk = ?",
            [cid, key, cdate, epk],
        )

    # ---- bounds ----------------------------------------------------------------------------

    def _count(self, value: Any, name: str, least: int = 0) -> int:
        """A limit, offset or min_events: below ``least`` counts as ``least`` (as it always
        has); above ``limits.max_offset`` (or not a number) it is a QueryError, not a
        database error (PostgreSQL's bigint overflowed into a 500)."""
        try:
            n = int(value)
        except (TypeError, ValueError, OverflowError):
            raise QueryError(f"{name} must be a whole number, not {value!r}") from None
        if n > self.limits.max_offset:
            raise QueryError(f"{name} must be at most {self.limits.max_offset:,} (max_offset)")
        return max(least, n)

    def _text(self, value: Any, name: str) -> Any:
        """A text filter, refused past ``limits.max_filter_chars``."""
        if isinstance(value, str) and len(value) > self.limits.max_filter_chars:
            raise QueryError(f"{name} is {len(value):,} characters; at most "
                             f"{self.limits.max_filter_chars:,} (max_filter_chars)")
        return value

    def _terms(self, q: str | None) -> list[Term]:
        """A user query's terms, under the query bounds when the store has them."""
        if not self.bound_queries:
            return parse_query(q)
        return parse_query(q, self.limits.max_query_terms, self.limits.max_query_chars,
                           distinct=True)

    def _bound(self, cancel: threading.Event | None) -> AbstractContextManager[None]:
        """The statements inside bounded in time (when the store bounds queries) and
        stopped when ``cancel`` is set (whenever one is given)."""
        if self.bound_queries or cancel is not None:
            return self._bounded(cancel)
        return nullcontext()

    # ---- data in ---------------------------------------------------------------------------

    def has(self, article: Article) -> bool:
        """Whether this article (same id or same normalised text) is stored. The same URL with
        another text is not: it is a new version, to be coded and added."""
        with self._lock:
            rows = self._query(
                "SELECT 1 AS x FROM articles WHERE id = ? OR text_hash = ?",
                [without_nul(article.id), text_hash(without_nul(article.text))],
            )
        return bool(rows)

    def ids(self) -> list[str]:
        """Stored article ids, in the order they were added."""
        with self._lock:
            return [r["id"] for r in self._query("SELECT id FROM articles ORDER BY pk")]

    def add(
        self,
        article: Article,
        events: Sequence[Mapping[str, Any]],
        sentences: list[dict[str, Any]] | None = None,
        *,
        tone: float | None = None,
        fingerprint: dedup.Fingerprint | None = None,
    ) -> str:
        """Store one article with its sentences and events in one transaction.

        Returns "duplicate" (writing nothing) when the same id or the same normalised text is
        stored, else "added". The same normalised URL with another text is added as a new
        *version* (``version`` 2, 3, ..., linked to the URL's first version); a text that
        republishes or abridges a stored one is added and linked to it (dedup.py). Each event
        joins its cluster (clusters.py). Any failure rolls the whole article back.

        ``tone`` and ``fingerprint`` come with a coded article (pipeline.CodedArticle): the
        store only links articles with them; they are computed here for callers without them.
        """
        article = Article(**without_nul(article.to_dict()))
        event_dicts: list[dict[str, Any]] = without_nul(list(events))
        sentences = without_nul(sentences)
        url_norm = normalize_url(article.url)
        digest = text_hash(article.text)
        fp = fingerprint if fingerprint is not None else dedup.fingerprint(article.text)
        art_tone = tone if tone is not None else tonemod.article_tone(article.text, article.title)
        with self._lock, self._transaction():
            found = self._execute(
                "SELECT pk, id, text_hash, url_key, version, original_pk FROM articles"
                " WHERE id = ? OR text_hash = ? OR url_key = ?",
                [article.id, digest, url_norm],
            )
            if any(r["id"] == article.id or r["text_hash"] == digest for r in found):
                return "duplicate"
            link = self._link(article.text, fp, found)
            pk = self._insert_article(article, url_norm, digest, art_tone, fp, link)
            if pk is None:  # a concurrent writer stored it between our check and insert
                return "duplicate"
            if link.kind in (None, "version"):  # copies stay out of the index: one per family
                self._insert_bands(pk, fp)
            if sentences:
                self._executemany(
                    "INSERT INTO sentences (article_pk, idx, start_char, end_char, text)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(pk, s["index"], s["start"], s["end"], s["text"]) for s in sentences],
                )
            if event_dicts:
                self._add_events(pk, article, event_dicts, link.original_pk if link.kind else None)
        return "added"

    def _insert_article(
        self, article: Article, url_norm: str | None, digest: str, art_tone: float,
        fp: dedup.Fingerprint, link: _Link,
    ) -> Any:
        """The article's row; its pk, or None when a concurrent writer stored it first."""
        art = [getattr(article, f) for f in ARTICLE_FIELDS]
        meta = json.dumps(article.meta, ensure_ascii=False, default=str) if article.meta else None
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        cols = ", ".join(ARTICLE_FIELDS)
        marks = ", ".join("?" for _ in ARTICLE_FIELDS)
        rows = self._execute(
            f"INSERT INTO articles ({cols}, url_norm, text_hash, meta, text, added_at,"
            " tone, url_key, version, original_pk, link_kind, link_score, shingles, minhash)"
            f" VALUES ({marks}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING RETURNING pk",
            [
                *art, url_norm if link.version == 1 else None, digest, meta, article.text,
                added_at, art_tone, url_norm, link.version, link.original_pk, link.kind,
                link.score, fp.size, fp.hashvalues,
            ],
        )  # fmt: skip
        return rows[0]["pk"] if rows else None

    def _add_events(
        self, pk: Any, article: Article, events: list[dict[str, Any]], family: Any
    ) -> None:
        """Events with their clusters and evidence spans, in a few batched statements (round
        trips count on a server). ``family``: the root pk when the article is a copy or a
        later version, whose events first join its family's clusters."""
        ecols = ", ".join(EVENT_COLUMNS)
        emarks = ", ".join("?" for _ in EVENT_COLUMNS)
        rows = [event_row(ev, article.id, seq) for seq, ev in enumerate(events)]
        placed: list[tuple[str, str | None, tuple[str, str] | None, str]] = []
        values = []
        for seq, (ev, row) in enumerate(zip(events, rows, strict=True)):
            key, cdate, cid = self._cluster_of(ev, article, row["id"], family, placed)
            placed.append((key, cdate, clusters.place_of(ev), cid))
            values.append([pk, seq, *(row[c] for c in EVENT_COLUMNS), cid, key, cdate])
        self._executemany(
            f"INSERT INTO events (article_pk, seq, {ecols}, cluster_id, cluster_key,"
            f" cluster_date) VALUES (?, ?, {emarks}, ?, ?, ?)",
            values,
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
        self._derive_events(list(pk_of.values()))  # the analyst views' columns (views.py)

    def _link(
        self, text: str, fp: dedup.Fingerprint, same_id_text_or_url: list[dict[str, Any]]
    ) -> _Link:
        """How a new text relates to stored ones: a later version of its URL, a near-duplicate
        of a stored article, or neither. ``original_pk`` is always the family's root."""
        versions = sorted(same_id_text_or_url, key=lambda r: (r["version"], r["pk"]))
        if versions:
            first = versions[0]
            root = first["original_pk"] or first["pk"]
            return _Link(root, "version", None, max(r["version"] for r in versions) + 1)
        bands = fp.bands()
        if not fp.size:
            return _Link(None, None, None, 1)
        marks = ", ".join("?" for _ in bands)
        cands = self._execute(
            f"SELECT article_pk, COUNT(*) AS n FROM article_bands WHERE band IN ({marks})"
            " GROUP BY article_pk ORDER BY COUNT(*) DESC, article_pk LIMIT ?",
            [*bands, MAX_CANDIDATES],
        )
        if not cands:
            return _Link(None, None, None, 1)
        pks = [c["article_pk"] for c in cands]
        marks = ", ".join("?" for _ in pks)
        info = {
            r["pk"]: r
            for r in self._execute(
                "SELECT pk, shingles, minhash, original_pk FROM articles"
                f" WHERE pk IN ({marks}) AND minhash IS NOT NULL",
                pks,
            )
        }
        fps = [
            (str(pk), dedup.Fingerprint(int(info[pk]["shingles"]), bytes(info[pk]["minhash"])))
            for pk in pks
            if pk in info
        ]

        def text_of(key: str) -> str | None:
            got = self._execute("SELECT text FROM articles WHERE pk = ?", [int(key)])
            return got[0]["text"] if got else None

        match = dedup.best_match(text, fp, fps, text_of)
        if match is None:
            return _Link(None, None, None, 1)
        hit = info[int(match.id)]
        return _Link(hit["original_pk"] or hit["pk"], match.kind, match.containment, 1)

    def _cluster_of(
        self,
        event: dict[str, Any],
        article: Article,
        event_id: str,
        family: Any,
        pending: Sequence[tuple[str, str | None, tuple[str, str] | None, str]] = (),
    ) -> tuple[str, str | None, str]:
        """(cluster_key, cluster_date, cluster_id) for a new event: the cluster of a stored
        mention, or of one of ``pending`` (key, date, place, cluster) placed earlier in the
        same article, that it can join (clusters.fits), else a new one. A copy's or later
        version's event first looks for a cluster of its ``family`` with the same key."""
        ev = dict(event, article={"id": article.id, "published": article.published})
        key = clusters.bucket_key(ev)
        cdate = clusters.cluster_date(ev)
        place = clusters.place_of(ev)
        if family is not None:
            got = self._execute(
                "SELECT e.cluster_id AS cluster_id FROM events e"
                " JOIN articles a ON a.pk = e.article_pk"
                " WHERE e.cluster_key = ? AND (a.pk = ? OR a.original_pk = ?)"
                " ORDER BY e.cluster_date, e.pk LIMIT 1",
                [key, family, family],
            )
            if got:
                return key, cdate, got[0]["cluster_id"]
        # A cluster's mentions lie within CLOSE_DAYS of each other, so every mention of a
        # cluster the event can join lies within twice that of the event.
        win = clusters.window(cdate, 2 * clusters.CLOSE_DAYS)
        cols = (
            "SELECT e.cluster_id AS cluster_id, e.cluster_date AS cluster_date,"
            " e.has_location AS has_location, e.loc_country AS loc_country,"
            " e.loc_name AS loc_name, e.loc_text AS loc_text FROM events e"
        )
        if win:
            lo, hi = win
            rows = self._execute(
                cols + " WHERE e.cluster_key = ? AND e.cluster_date >= ? AND e.cluster_date <= ?"
                " ORDER BY e.cluster_date, e.pk",
                [key, lo, hi],
            )
        elif cdate is None:
            rows = self._execute(
                cols + " WHERE e.cluster_key = ? AND e.cluster_date IS NULL ORDER BY e.pk", [key]
            )
        else:
            rows = self._execute(
                cols + " WHERE e.cluster_key = ? AND e.cluster_date = ? ORDER BY e.pk",
                [key, cdate],
            )
        members: dict[str, list[tuple[str | None, tuple[str, str] | None]]] = {}
        for r in rows:
            loc = (
                {"country": r["loc_country"], "name": r["loc_name"], "text": r["loc_text"]}
                if r["has_location"]
                else None
            )
            members.setdefault(r["cluster_id"], []).append(
                (r["cluster_date"], clusters.place_of({"location": loc}))
            )
        for p_key, p_date, p_place, p_cid in pending:
            if p_key == key:
                members.setdefault(p_cid, []).append((p_date, p_place))
        for cid, mem in members.items():  # in order of their first mention
            if clusters.fits(cdate, place, mem):
                return key, cdate, cid
        return key, cdate, clusters.cluster_id_for(f"{article.id}::{event_id}")

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
        for name, value in (("dyad", dyad), ("actor", actor), ("type", type), ("since", since),
                            ("until", until)):
            self._text(value, name)
        parts = [
            _dyad_cond(dyad, directed) if dyad else None,
            _actor_cond(actor) if actor else None,
            _type_cond(type) if type else None,
            _quad_cond(quad_class) if quad_class is not None and quad_class != "" else None,
            *_date_conds(since, until),
            self._fts_filter(self._terms(q)) if q is not None and q.strip() else None,
        ]
        conds = [c for c, _ in filter(None, parts)]
        params = [p for _, ps in filter(None, parts) for p in ps]
        return (" WHERE " + " AND ".join(conds) if conds else ""), params

    def _with_evidences(
        self, rows: list[dict[str, Any]], counts: bool = False
    ) -> list[dict[str, Any]]:
        """Event dicts for joined rows, each with its evidence spans and article summary;
        with ``counts``, its cluster's id and counts too (``cluster_id``, ``num_*``)."""
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
                "tone": _float(r["a_tone"]),
                "version": r["a_version"],
                "original_id": r["a_original_id"],
                "link_kind": r["a_link_kind"],
            }
            if counts:  # for exports (GDELT's DATEADDED); the time of writing, else left out
                ev["article"]["added_at"] = r["a_added_at"]
            out.append(ev)
        if counts:
            tallies = self._cluster_counts([r["cluster_id"] for r in rows])
            for ev, r in zip(out, rows, strict=True):
                ev.update(tallies.get(r["cluster_id"], {"cluster_id": r["cluster_id"]}))
        return out

    def _cluster_counts(self, ids: list[Any]) -> dict[Any, dict[str, Any]]:
        """cluster id → {cluster_id, num_mentions, num_sources, num_articles, num_copies,
        avg_tone} over *all* the cluster's mentions (clusters.tally), whatever filter chose
        the rows."""
        wanted = list(dict.fromkeys(i for i in ids if i is not None))
        members: dict[Any, list[clusters.Member]] = {i: [] for i in wanted}
        for i in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[i : i + IN_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            for r in self._query(
                "SELECT e.cluster_id AS cluster_id, e.id AS id, a.id AS a_id,"
                " a.source AS source, a.tone AS tone,"
                " COALESCE((SELECT o.id FROM articles o WHERE o.pk = a.original_pk), a.id)"
                " AS family, (SELECT COUNT(*) FROM evidence_spans s WHERE s.event_pk = e.pk)"
                " AS spans FROM events e JOIN articles a ON a.pk = e.article_pk"
                f" WHERE e.cluster_id IN ({marks}) ORDER BY e.cluster_date, e.pk",
                chunk,
            ):
                members[r["cluster_id"]].append(
                    clusters.Member(
                        key=f"{r['a_id']}::{r['id']}",
                        article=r["a_id"],
                        family=r["family"],
                        source=r["source"],
                        spans=int(r["spans"]),
                        tone=_float(r["tone"]),
                    )
                )
        out = {}
        for cid, mem in members.items():
            t = clusters.tally(mem)
            t.pop("representative")
            out[cid] = {"cluster_id": cid, **t}
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
        unique: bool = False,
        with_counts: bool = False,
    ) -> list[dict[str, Any]]:
        """Filtered events in date order, each with ``article`` {id, title, url, source,
        published, tone, version, original_id, link_kind}.

        dyad "PRK-RUS" matches country or actor code on each side, both directions unless
        ``directed``; actor matches name/text (substring) or country/code (exact), any case;
        type is a PLOVER type or a CAMEO code prefix; since/until take YYYY[-MM[-DD]] and are
        inclusive at their precision; q is a full-text query on the article.

        ``unique``: one event per cluster (clusters.py) instead of every mention: the first
        selected mention in an original article stands for its cluster; limit and offset
        count clusters. ``unique`` or ``with_counts`` add ``cluster_id`` and the cluster's
        counts over all its mentions (num_mentions, num_sources, num_articles, num_copies,
        avg_tone), and the article's ``added_at``.
        """
        where, params = self._event_where(dyad, actor, type, quad_class, since, until, q, directed)
        if unique:
            return self._unique_events(where, params, limit, offset)
        sql = _EVENT_SELECT + where + _EVENT_ORDER
        if limit is not None:
            sql += " LIMIT ?"
            params.append(self._count(limit, "limit"))
        elif offset and self.dialect == "sqlite":
            sql += " LIMIT -1"  # SQLite takes OFFSET only after a LIMIT
        if offset:
            sql += " OFFSET ?"
            params.append(self._count(offset, "offset"))
        with self._lock, self._bound(None) if q else nullcontext():
            return self._with_evidences(self._query(sql, params), counts=with_counts)

    def _unique_events(
        self, where: str, params: list[Any], limit: int | None, offset: int
    ) -> list[dict[str, Any]]:
        light = (
            "SELECT e.pk AS pk, e.cluster_id AS cluster_id, a.original_pk AS original_pk"
            " FROM events e JOIN articles a ON a.pk = e.article_pk" + where + _EVENT_ORDER
        )
        with self._lock:
            chosen: dict[Any, tuple[Any, bool]] = {}  # cluster -> (pk, from an original)
            for r in self._query(light, params):
                cid = r["cluster_id"] if r["cluster_id"] is not None else f"pk:{r['pk']}"
                original = r["original_pk"] is None
                if cid not in chosen or (original and not chosen[cid][1]):
                    chosen[cid] = (r["pk"], original)
            pks = [pk for pk, _ in chosen.values()]
            start = self._count(offset or 0, "offset")
            pks = pks[start : None if limit is None else start + self._count(limit, "limit")]
            rows: dict[Any, dict[str, Any]] = {}
            for i in range(0, len(pks), IN_CHUNK):
                chunk = pks[i : i + IN_CHUNK]
                marks = ", ".join("?" for _ in chunk)
                for r in self._query(_EVENT_SELECT + f" WHERE e.pk IN ({marks})", chunk):
                    rows[r["pk"]] = r
            return self._with_evidences([rows[pk] for pk in pks], counts=True)

    def count_events(self, **filters: Any) -> int:
        """How many events the same filters as ``events`` select (limit/offset ignored, so a
        caller can pass one filter dict to both); with ``unique=True``, how many clusters."""
        unique = bool(filters.pop("unique", False))
        filters.pop("with_counts", None)
        where, params = self._event_where(**_without_paging(filters))
        what = "COUNT(DISTINCT e.cluster_id)" if unique else "COUNT(*)"
        sql = f"SELECT {what} AS n FROM events e JOIN articles a ON a.pk = e.article_pk" + where
        with self._lock, self._bound(None) if filters.get("q") else nullcontext():
            return int(self._query(sql, params)[0]["n"])

    def iter_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every event the filters select, in ``events`` order, streamed in batches of
        ``stream_batch`` rows (for exports of any size; limit/offset ignored). With
        ``with_counts=True`` each carries its cluster's id and counts."""
        counts = bool(filters.pop("with_counts", False))
        where, params = self._event_where(**_without_paging(filters))
        for batch in self._stream(_EVENT_SELECT + where + _EVENT_ORDER, params):
            with self._lock:
                yield from self._with_evidences(batch, counts=counts)

    # ---- timeline --------------------------------------------------------------------------

    def timeline(
        self, a: str, b: str, by: str = "month", unique: bool = False, tone: bool = False
    ) -> list[dict[str, Any]]:
        """Per period and direction (a→b, b→a): counts by quad class, total, summed scores.

        Periods are "YYYY-MM" (by="month") or "YYYY" (by="year"); an event dated only to the
        year appears under "YYYY" in a month timeline. Both directions are listed for every
        period that has an event, with zeros where one direction has none.

        ``unique`` counts event clusters instead of mentions (a cluster's quad class is its
        lowest among its mentions, its scores their mean), so republications, abridgments,
        versions and other outlets' reports of one event count once. ``tone`` adds
        ``tone``: the mean tone (tone.py, GDELT's AvgTone) of the articles behind the rows.
        """
        n = period_length(by)
        a, b = self._text(a, "a").strip().upper(), self._text(b, "b").strip().upper()
        sa, pa = _side_is("source", a)
        tb, pb = _side_is("target", b)
        sb, pb2 = _side_is("source", b)
        ta, pa2 = _side_is("target", a)
        mentions = (
            f"SELECT substr({_EVENT_DATE}, 1, ?) AS period,"
            f" CASE WHEN {sa} AND {tb} THEN 0 ELSE 1 END AS dir,"
            " e.cluster_id AS cluster_id, e.quad_class AS quad_class,"
            " e.plover_score AS plover_score, e.goldstein AS goldstein, a.tone AS tone"
            " FROM events e JOIN articles a ON a.pk = e.article_pk"
            f" WHERE (({sa} AND {tb}) OR ({sb} AND {ta})) AND {_EVENT_DATE} IS NOT NULL"
        )
        if unique:
            mentions = (
                "SELECT period, dir, cluster_id, MIN(quad_class) AS quad_class,"
                " AVG(plover_score) AS plover_score, AVG(goldstein) AS goldstein,"
                f" AVG(tone) AS tone FROM ({mentions}) m GROUP BY period, dir, cluster_id"
            )
        sql = (
            "SELECT period, dir, COUNT(*) AS total,"
            " COUNT(*) FILTER (WHERE quad_class = 1) AS q1,"
            " COUNT(*) FILTER (WHERE quad_class = 2) AS q2,"
            " COUNT(*) FILTER (WHERE quad_class = 3) AS q3,"
            " COUNT(*) FILTER (WHERE quad_class = 4) AS q4,"
            " SUM(plover_score) AS plover_score, SUM(goldstein) AS goldstein,"
            f" AVG(tone) AS tone FROM ({mentions}) t"
            " GROUP BY period, dir ORDER BY period, dir"
        )
        params = [n, *pa, *pb, *pa, *pb, *pb2, *pa2]
        with self._lock:
            rows = self._query(sql, params)
        return _timeline_rows(rows, a, b, tone)

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

    def search(
        self, q: str, limit: int = 20, offset: int = 0, *, cancel: threading.Event | None = None
    ) -> list[dict[str, Any]]:
        """Articles ranked by relevance (bm25 on SQLite, ts_rank on PostgreSQL).

        Each hit: id, title, url, source, published, score (higher is better), ``snippet``
        (plain text), ``snippet_html`` (escaped, matches in <mark>) and the article's events.
        The query is sanitised (see common.parse_query): words and "phrases", OR, -word;
        repeated terms count once, and past ``limits.max_query_terms`` terms or
        ``limits.search_timeout_s`` seconds (or once ``cancel`` is set: a web client that left)
        it is a QueryError (QueryTimeout) instead of a long-running statement.
        """
        terms = self._terms(q)
        limit, offset = self._count(limit, "limit"), self._count(offset, "offset")
        with self._lock:
            with self._bound(cancel):
                rows = self._search_rows(terms, limit, offset)
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

    def search_facets(
        self, q: str, *, cancel: threading.Event | None = None
    ) -> dict[str, Any]:
        """Counts over all matches of ``q``: total, by outlet, by event type, by year (bounded
        as ``search`` is)."""
        fts, params = self._fts_filter(self._terms(q))
        with self._lock, self._bound(cancel):
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
            root = r["original_pk"] or r["pk"]
            original = self._query("SELECT id FROM articles WHERE pk = ?", [r["original_pk"]])
            versions = (
                self._query(
                    "SELECT id, version, added_at, text_hash FROM articles WHERE url_key = ?"
                    " ORDER BY version, pk",
                    [r["url_key"]],
                )
                if r["url_key"]
                else []
            )
            family = self._query(
                "SELECT id, link_kind, link_score FROM articles WHERE original_pk = ?"
                " AND link_kind <> 'version' AND pk <> ? ORDER BY pk",
                [root, r["pk"]],
            )
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
        out["tone"] = _float(r["tone"])
        # Later versions of one URL (state media edit articles after publication): all kept.
        out["version"] = r["version"]
        out["versions"] = versions if len(versions) > 1 else []
        # Near-duplicates: what this article copies, and the copies of its family's original.
        out["original_id"] = original[0]["id"] if original else None
        out["link_kind"] = r["link_kind"]
        out["link_score"] = _float(r["link_score"])
        out["near_duplicates"] = family
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
            rows = self._query(sql, [self._count(limit, "limit"), self._count(offset, "offset")])
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
            rows = self._query(sql, [self._count(limit, "limit")])
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
            rows = self._query(sql, [self._count(min_events, "min_events", least=1)])
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
        """Totals for a dashboard: articles, events (mentions and clusters), versions and
        near-duplicates, events by type, top dyads, date ranges."""
        with self._lock:
            n_art = self._query("SELECT COUNT(*) AS n FROM articles")[0]["n"]
            n_ev = self._query("SELECT COUNT(*) AS n FROM events")[0]["n"]
            n_unique = self._query("SELECT COUNT(DISTINCT cluster_id) AS n FROM events")[0]["n"]
            links = self._query(
                "SELECT link_kind, COUNT(*) AS n FROM articles WHERE link_kind IS NOT NULL"
                " GROUP BY link_kind"
            )
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
            "unique_events": int(n_unique),
            # articles that are later versions of a URL, or copies of another article
            "versions": sum(int(r["n"]) for r in links if r["link_kind"] == "version"),
            "near_duplicates": sum(int(r["n"]) for r in links if r["link_kind"] != "version"),
            "events_by_type": {r["event_type"]: int(r["n"]) for r in types},
            "top_dyads": [{"dyad": k, "events": v} for k, v in top],
            "date_range": {
                "events": {"min": ev_range["lo"], "max": ev_range["hi"]},
                "published": {"min": pub_range["lo"], "max": pub_range["hi"]},
            },
        }
