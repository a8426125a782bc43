"""The analyst's web app and HTTP API over one Store.

Pages are rendered server-side with Jinja2 (autoescape on: article text is untrusted) plus a
little JavaScript of our own under ``static/``; the API is plain FastAPI with its OpenAPI
schema at ``/docs`` (Swagger UI vendored under ``static/vendor``, nothing from a CDN). The
only write endpoint, ``POST /api/articles``, exists only when the app is created with
``allow_ingest=True`` and answers only to the token printed at start-up.
"""

from __future__ import annotations

import hmac
import html
import json
import math
import os
import secrets
import threading
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import TypeAdapter
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from tidings import __version__, formats
from tidings.store import QueryError, Store

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

DEFAULT_HOST = "127.0.0.1"  # never listen beyond the machine unless told to
DEFAULT_PORT = 8000
# Host headers accepted when bound to loopback: a page elsewhere that rebinds its own name to
# 127.0.0.1 (DNS rebinding) cannot read the store through the browser.
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
MAX_BODY_BYTES = 2 * 1024 * 1024  # cap on any request body (ingest included)
DEFAULT_PAGE = 50  # rows per API / table page
MAX_PAGE = 1000  # largest page the JSON API hands out; downloads stream the whole set
SEARCH_PAGE = 20
ACTORS_LISTED = 500  # actors on the actors page / in /api/actors by default
# Where `serve --workers N` hands its settings to the worker processes (app_from_env).
SERVE_ENV = "TIDINGS_SERVE"
NETWORK_NODES = 60  # busiest countries drawn in the network graph
MAP_EVENT_CAP = 50_000  # events scanned to aggregate map points
ACTOR_EVENT_CAP = 5_000  # events scanned for one actor page
PLACE_SAMPLE = 10  # events listed per map place
MAX_FORMS = 6  # surface forms of an actor searched to count the articles that name it
MAX_FORM_CHARS = 60
PRONOUNS = frozenset("i you he she it we they me him her us them his its our their this that "
                     "these those who which".split())  # not names: they would match anything
# Threads that run the endpoints (anyio's default is 40). Every request needs the store's one
# connection, behind one lock, so more threads only fight over it and the GIL, neither of
# them fair: a request could wait behind many later ones. bench/load_test.py, 50 clients on
# 2 cores, p99 of 15 s runs: 40 threads 399 ms, 8 231, 4 228, 2 222-231, 1 220 ms (before
# _json, when each API request took two trips through the pool: 40 threads 537-1503 ms, 4
# 300-315). 4, not fewer: a slow page (a big map, a download) then leaves 3 to the others.
REQUEST_THREADS = 4
# Threads that code articles POSTed to /api/articles: coding is CPU-bound under the GIL, so
# more would not code faster; apart from REQUEST_THREADS so an ingest never holds a reader's.
INGEST_THREADS = 2
DOWNLOAD_BATCH = 500  # rows per chunk of a CSV / JSON Lines download
TOKEN_BYTES = 24
TOKEN_HEADER = "x-tidings-token"
TIMELINE_BUCKETS = ("month", "year")  # what Store.timeline groups by
MAX_MONTH_BARS = 180  # longer "auto" timelines are drawn by year
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"  # the store's escaped-snippet markers
QUAD_NAMES = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}
# Strict policy for every page: no inline script, nothing from elsewhere. Swagger UI (only
# /docs) needs inline styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
CSV_FORMULA_CHARS = ("=", "+", "@", "\t", "\r")  # a spreadsheet runs cells starting so


# ---------------------------------------------------------------------------------------------
# small helpers


def _open_store(store_or_url: Any) -> Any:
    """A Store from a path/URL, or the Store handed in (thread-safe: one connection behind
    its own lock, SQLite opened with check_same_thread=False)."""
    if isinstance(store_or_url, str | Path):
        return Store(str(store_or_url))
    return store_or_url


def _defuse(ev: dict[str, Any]) -> dict[str, Any]:
    """A copy whose text values cannot start a spreadsheet formula (CSV download)."""

    def fix(v: Any) -> Any:
        if isinstance(v, str) and v.startswith(CSV_FORMULA_CHARS):
            return "'" + v
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        return v

    return {k: fix(v) for k, v in ev.items()}


def _evidence_spans(ev: dict[str, Any]) -> list[tuple[int, int]]:
    spans = []
    for e in ev.get("evidences") or []:
        if e and e.get("start") is not None and e.get("end") is not None:
            spans.append((int(e["start"]), int(e["end"])))
    e = ev.get("evidence") or {}
    if not spans and e.get("start") is not None and e.get("end") is not None:
        spans.append((int(e["start"]), int(e["end"])))
    return spans


def highlight_segments(text: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut the article text at every evidence (and trigger) boundary.

    Each piece carries the indexes of the events whose evidence covers it and whether it is
    an event's trigger, so overlapping evidences never nest markup; the template escapes each
    piece on its own.
    """
    n = len(text)
    cuts = {0, n}
    spans: list[tuple[int, int, int]] = []
    triggers: list[tuple[int, int]] = []

    def clip(s: int, e: int) -> tuple[int, int]:
        """Inside the text, without the whitespace at either end (no empty highlights)."""
        s, e = max(0, min(s, n)), max(0, min(e, n))
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        return s, e

    for i, ev in enumerate(events):
        for s, e in _evidence_spans(ev):
            s, e = clip(s, e)
            if e > s:
                spans.append((s, e, i))
                cuts.update((s, e))
        t = ev.get("trigger") or {}
        if t.get("start") is not None and t.get("end") is not None:
            s, e = clip(int(t["start"]), int(t["end"]))
            if e > s:
                triggers.append((s, e))
                cuts.update((s, e))
    points = sorted(cuts)
    segs = []
    for a, b in zip(points, points[1:], strict=False):
        cover = sorted({i for s, e, i in spans if s <= a and b <= e})
        trig = bool(cover) and any(s <= a and b <= e for s, e in triggers)
        segs.append({"text": text[a:b], "events": cover, "trigger": trig})
    return segs


def snippet_parts(snippet_html: str) -> list[tuple[str, bool]]:
    """(plain text, is_match) pieces of the store's escaped snippet.

    The store escapes the snippet and marks matches with <mark>; we split on the markers and
    unescape, so the template escapes every piece again and never needs ``|safe``.
    """
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet_html.split(MARK_OPEN)):
        if i == 0:
            parts.append((html.unescape(chunk), False))
            continue
        hit, _, rest = chunk.partition(MARK_CLOSE)
        parts.append((html.unescape(hit), True))
        if rest:
            parts.append((html.unescape(rest), False))
    return [p for p in parts if p[0]]


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "—"
    return str(a.get("name") or a.get("text") or a.get("code") or "?")


def _score(ev: dict[str, Any]) -> float | None:
    v = ev.get("goldstein")
    if isinstance(v, int | float) and not math.isnan(v):
        return float(v)
    return None


def _span(first: str, last: str, by: str) -> list[str]:
    """Every period ("YYYY-MM" or "YYYY") from first to last, so gaps show as empty bars."""
    if by == "year":
        return [f"{y:04d}" for y in range(int(first[:4]), int(last[:4]) + 1)]
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def months_spanned(periods: Iterable[str]) -> int:
    """How many month bars a month chart of these periods would draw."""
    ps = sorted(p[:4] for p in periods)
    return (int(ps[-1]) - int(ps[0]) + 1) * 12 if ps else 0


def timeline_chart(rows: list[dict[str, Any]], a: str, by: str) -> dict[str, Any]:
    """Store.timeline rows → {periods: [{period, ab: {...}, ba: {...}}], totals} for
    charts.js. ``ab`` is the a → b direction. Empty periods between the first and the last
    are filled in; a year-only date ("2020") in a month timeline stays its own bar.
    """
    by_period: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = by_period.setdefault(r["period"], {"period": r["period"], "ab": {}, "ba": {}})
        key = "ab" if r["source"] == a else "ba"
        p[key] = {"q1": r["q1"], "q2": r["q2"], "q3": r["q3"], "q4": r["q4"],
                  "total": r["total"], "score": r["goldstein"]}
    width = 7 if by == "month" else 4
    full = sorted(p for p in by_period if len(p) == width)
    if full:
        for m in _span(full[0], full[-1], by):
            by_period.setdefault(m, {"period": m, "ab": {}, "ba": {}})
    totals: dict[str, dict[str, Any]] = {d: {"events": 0, "score": 0.0} for d in ("ab", "ba")}
    for p in by_period.values():
        for d in ("ab", "ba"):
            totals[d]["events"] += p[d].get("total", 0)
            totals[d]["score"] += p[d].get("score", 0.0)
    for t in totals.values():
        t["mean"] = round(t["score"] / t["events"], 2) if t["events"] else None
    return {"by": by, "periods": [by_period[p] for p in sorted(by_period)], "totals": totals}


def actor_chart(events: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One actor's events per month (per year when that would be over MAX_MONTH_BARS bars)
    by quad class, as ``ab``, for charts.js."""
    dated = [(ev.get("date") or (ev.get("article") or {}).get("published") or "", ev)
             for ev in events]
    dated = [(d, ev) for d, ev in dated if len(d) >= 4]
    by = "month" if months_spanned(d for d, _ in dated) <= MAX_MONTH_BARS else "year"
    width = 7 if by == "month" else 4
    rows: dict[str, dict[str, Any]] = {}
    for d, ev in dated:
        if len(d) < width:
            continue  # a year-only date has no month
        r = rows.setdefault(d[:width], {"q1": 0, "q2": 0, "q3": 0, "q4": 0, "total": 0,
                                        "score": 0.0})
        qc = ev.get("quad_class")
        if qc in (1, 2, 3, 4):
            r[f"q{qc}"] += 1
        r["total"] += 1
        r["score"] += _score(ev) or 0.0
    if not rows:
        return {"by": by, "periods": []}
    keys = sorted(rows)
    return {"by": by, "periods": [{"period": m, "ab": rows.get(m, {}), "ba": {}}
                                  for m in _span(keys[0], keys[-1], by)]}


def network_graph(net: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """Store.network (directed, per country) → undirected edges for the drawing: both
    directions' events summed, scores averaged weighted by events."""
    nodes = net.get("nodes", [])[:NETWORK_NODES]
    keep = {n["id"] for n in nodes}
    pairs: dict[tuple[str, str], dict[str, float]] = {}
    for e in net.get("edges", []):
        if e["source"] not in keep or e["target"] not in keep:
            continue
        k = tuple(sorted((e["source"], e["target"])))
        p = pairs.setdefault(k, {"weight": 0, "sum": 0.0, "scored": 0})
        p["weight"] += e["weight"]
        if e.get("goldstein") is not None:
            p["sum"] += e["goldstein"] * e["weight"]
            p["scored"] += e["weight"]
    edges = [{"source": k[0], "target": k[1], "weight": int(p["weight"]),
              "mean_score": round(p["sum"] / p["scored"], 2) if p["scored"] else None}
             for k, p in pairs.items()]
    return {"nodes": [{"id": n["id"], "label": names.get(n["id"], n["id"]),
                       "events": n["events"]} for n in nodes], "edges": edges}


def locations(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events grouped by place: name, country, lat, lon, count, mean score, a few events."""
    groups: dict[tuple[float, float], dict[str, Any]] = {}
    for ev in events:
        loc = ev.get("location") or {}
        lat, lon = loc.get("lat"), loc.get("lon")
        if lat is None or lon is None:
            continue
        key = (round(float(lat), 2), round(float(lon), 2))
        g = groups.setdefault(key, {
            "name": loc.get("name") or loc.get("text"), "country": loc.get("country"),
            "lat": float(lat), "lon": float(lon), "count": 0, "score_sum": 0.0,
            "scored": 0, "events": []})
        g["count"] += 1
        sc = _score(ev)
        if sc is not None:
            g["score_sum"] += sc
            g["scored"] += 1
        if len(g["events"]) < PLACE_SAMPLE:
            g["events"].append({
                "id": ev.get("id"), "doc_id": ev.get("doc_id"), "date": ev.get("date"),
                "event_type": ev.get("event_type"), "source": _actor_label(ev.get("source")),
                "target": _actor_label(ev.get("target")), "quad_class": ev.get("quad_class")})
    out = []
    for g in groups.values():
        g["mean_score"] = round(g["score_sum"] / g["scored"], 2) if g["scored"] else None
        del g["score_sum"], g["scored"]
        out.append(g)
    out.sort(key=lambda g: -g["count"])
    return out


def counterparts(code: str, events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The actors on the other side of ``code``'s events, by count, with mean score."""
    counts: Counter[str] = Counter()
    scores: dict[str, list[float]] = defaultdict(list)
    names: dict[str, str | None] = {}
    code = code.upper()
    for ev in events:
        src, tgt = ev.get("source") or {}, ev.get("target") or {}
        if not tgt:
            continue
        if code in ((src.get("code") or "").upper(), (src.get("country") or "").upper()):
            other = tgt
        elif code in ((tgt.get("code") or "").upper(), (tgt.get("country") or "").upper()):
            other = src
        else:
            continue
        oc = other.get("country") or other.get("code")
        if not oc:
            continue
        counts[oc] += 1
        names.setdefault(oc, other.get("name") if other.get("code") == oc else oc)
        sc = _score(ev)
        if sc is not None:
            scores[oc].append(sc)
    return [{"code": c, "name": names[c] or c, "events": n,
             "mean_score": round(sum(scores[c]) / len(scores[c]), 2) if scores[c] else None}
            for c, n in counts.most_common()]


def surface_forms(code: str, name: str, events: Iterable[dict[str, Any]]) -> list[str]:
    """How the texts name an actor: its canonical name plus the commonest spans its events
    quote for it (e.g. "DPRK", "Kim Jong Un" for PRK), for a mention count by search."""
    seen: Counter[str] = Counter()
    code = code.upper()
    for ev in events:
        for side in (ev.get("source") or {}, ev.get("target") or {}):
            if code in ((side.get("code") or "").upper(), (side.get("country") or "").upper()):
                t = " ".join((side.get("text") or "").split())
                if t[:4].lower() == "the ":
                    t = t[4:]
                if (t and len(t) <= MAX_FORM_CHARS and '"' not in t
                        and t.lower() not in PRONOUNS):
                    seen[t] += 1
    forms = [name] if '"' not in name else []
    forms += [t for t, _ in seen.most_common() if t.lower() not in {f.lower() for f in forms}]
    return forms[:MAX_FORMS]


def _actor_names(actors: list[dict[str, Any]]) -> dict[str, str]:
    """Country/actor code → a readable name: the store's actor list, then the knowledge
    base's country names ("GBR" → "United Kingdom"), then international organisations."""
    from tidings import kb

    names: dict[str, str] = {"IGO": "International organisations"}
    for x in actors:
        if x.get("code") and x.get("name"):
            names.setdefault(x["code"], x["name"])
        country = x.get("country")
        if country and country not in names:
            entry = kb.load().country(country)
            if entry is not None:
                names[country] = entry.name
    return names


def _with_events(actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The store counts an actor once per event role; name that count "events" too.
    return [{**x, "events": x.get("as_source", 0) + x.get("as_target", 0)} for x in actors]


# ---------------------------------------------------------------------------------------------
# request hygiene


# Headers every answer carries (the CSP depends on the page), as ASGI wants them.
_SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"),
                     (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
_SET_BY_HYGIENE = frozenset({b"content-security-policy", *(k for k, _ in _SECURITY_HEADERS)})


class _Hygiene:
    """Caps declared request bodies and sets security headers on every answer.

    A plain ASGI middleware: as a BaseHTTPMiddleware it ran every request through an extra
    task and memory stream, a fixed cost on every request under load (bench/load_test.py).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any],
                       send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (CSP_DOCS if scope["path"] == "/docs" else CSP).encode("latin-1")

        async def send_secured(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in _SET_BY_HYGIENE]
                headers += [(b"content-security-policy", csp), *_SECURITY_HEADERS]
                message = {**message, "headers": headers}
            await send(message)

        length = next((v for k, v in scope["headers"] if k.lower() == b"content-length"), None)
        if length is not None:
            refusal = None
            if not length.isdigit():
                refusal = JSONResponse({"detail": "bad Content-Length"}, status_code=400)
            elif int(length) > MAX_BODY_BYTES:
                refusal = JSONResponse({"detail": "request body too large"}, status_code=413)
            if refusal is not None:
                await refusal(scope, receive, send_secured)
                return
        await self.app(scope, receive, send_secured)


class _PerState:
    """Values derived from the whole store, computed once per state of the store.

    Keyed on Store.generation(), which moves on every commit (by this process or another),
    so an ingest is seen by the next request, never a stale copy. A value computed while a
    write commits is stored under the generation read before it and so is dropped at the
    next look. Backends without a generation (None) cache nothing.
    """

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation: Any = None
        self._values: dict[str, Any] = {}

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        gen = self.store.generation()
        if gen is None:
            return compute()
        with self._lock:
            if gen != self._generation:
                self._generation, self._values = gen, {}
            if key in self._values:
                return self._values[key]
        value = compute()  # outside the lock: another thread may compute it too, harmlessly
        with self._lock:
            if gen == self._generation:
                self._values[key] = value
        return value


async def _read_capped(request: Request) -> bytes:
    """Read a body that may come chunked without a length, stopping at the cap."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise HTTPException(413, "request body too large")
        chunks.append(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------------------------------------
# the app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Size the thread pool that runs the (sync) endpoints (REQUEST_THREADS) and give the
    ingest endpoint threads of its own, so that slow coding never holds the readers'."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    app.state.ingest_limiter = anyio.CapacityLimiter(INGEST_THREADS)
    yield


def create_app(store_or_url: Any, allow_ingest: bool = False, token: str | None = None,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """Build the app over a Store (object, SQLite path or PostgreSQL URL).

    With ``allow_ingest`` the ingest endpoint is mounted and guarded by ``token`` (a fresh
    random one when not given, readable at ``app.state.ingest_token``). ``allowed_hosts``
    limits the Host header (``serve`` sets it on loopback, against DNS rebinding).
    """
    store = _open_store(store_or_url)
    app = FastAPI(
        title="Tidings",
        description="Political event data (PLOVER/CAMEO) coded from news articles: "
        "who did what to whom, when and where, with the evidence sentence.",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.store = store
    app.state.ingest_token = None
    if allow_ingest:
        app.state.ingest_token = token or secrets.token_urlsafe(TOKEN_BYTES)
    app.add_middleware(_Hygiene)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.autoescape = True  # .html does it already; untrusted text makes it explicit
    templates.env.globals.update(QUAD_NAMES=QUAD_NAMES, actor_label=_actor_label,
                                 snippet_parts=snippet_parts)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        """Pages get an HTML error page; the API and static files keep JSON."""
        path = request.url.path
        if path.startswith(("/api/", "/static/", "/openapi")) or request.method != "GET":
            return await http_exception_handler(request, exc)
        return templates.TemplateResponse(request, "error.html",
                                          {"status": exc.status_code, "detail": exc.detail},
                                          status_code=exc.status_code)

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"detail": f"bad query: {exc}"}, status_code=400)

    def page(request: Request, template: str, **ctx: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, ctx)

    per_state = _PerState(store)
    app.state.per_state = per_state

    def actor_choices() -> tuple[tuple[str, str], ...]:
        """The dyad page's (code, name) choices: the same for every dyad page until the next
        write, and rebuilding them was a fixed cost of every dyad page under load."""
        return per_state.get("actor_choices", lambda: tuple(sorted(
            _actor_names(store.actors(limit=ACTORS_LISTED)).items())))

    def summary() -> dict[str, Any]:
        """Store.summary (seven whole-store aggregates) for the pages without a query."""
        return per_state.get("summary", store.summary)

    def event_filters(
        a: str | None, b: str | None, dyad: str | None, actor: str | None,
        type_: str | None, quad_class: int | None, since: str | None, until: str | None,
        q: str | None, directed: bool,
    ) -> dict[str, Any]:
        if bool(a) != bool(b):
            raise HTTPException(400, "a dyad needs both a and b")
        f: dict[str, Any] = {"directed": directed}
        if a and b:
            f["dyad"] = f"{a.strip()}-{b.strip()}"
        elif dyad:
            f["dyad"] = dyad
        for key, value in (("actor", actor), ("type", type_), ("since", since),
                           ("until", until), ("q", q)):
            if value:
                f[key] = value
        if quad_class is not None:
            f["quad_class"] = quad_class
        return f

    # =========================================================================================
    # API

    @app.get("/api/events", tags=["events"])
    def api_events(
        a: str | None = Query(None, description="one actor of a dyad: country or actor code"),
        b: str | None = Query(None, description="the other actor of the dyad"),
        dyad: str | None = Query(None, description="dyad as 'PRK-RUS' (instead of a and b)"),
        directed: bool = Query(False, description="dyad only as a → b, not both directions"),
        actor: str | None = Query(None, description="either side: code, country or name"),
        type: str | None = Query(None, description="PLOVER type (CONSULT) or CAMEO prefix"),
        quad_class: int | None = Query(None, ge=1, le=4),
        since: str | None = Query(None, description="first date, YYYY[-MM[-DD]]"),
        until: str | None = Query(None, description="last date, YYYY[-MM[-DD]]"),
        q: str | None = Query(None, description="full-text query on the article"),
        limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
        format: str = Query("json", pattern="^(json|csv|jsonl)$",
                            description="json: one page; csv / jsonl: the whole filtered set"),
    ) -> Any:
        """Events matching every given filter, in date order."""
        f = event_filters(a, b, dyad, actor, type, quad_class, since, until, q, directed)
        total = store.count_events(**f)  # also validates the filters before streaming
        if format == "csv":
            rows = (_defuse(ev) for ev in store.iter_events(**f))
            return StreamingResponse(
                _batched(formats.to_csv(rows)), media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="events.csv"'})
        if format == "jsonl":
            return StreamingResponse(
                _batched(formats.to_jsonl(store.iter_events(**f))),
                media_type="application/x-ndjson",
                headers={"Content-Disposition": 'attachment; filename="events.jsonl"'})
        events = store.events(limit=limit, offset=offset, **f)
        return _json({"total": total, "limit": limit, "offset": offset, "events": events})

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: str) -> Any:
        """One article: text, metadata, sentences, and events with evidence offsets."""
        art = store.article(article_id)
        if art is None:
            raise HTTPException(404, "no such article")
        return _json(art)

    @app.get("/api/search", tags=["search"])
    def api_search(
        q: str = Query(..., min_length=1, description='words, "phrases", OR, -word'),
        limit: int = Query(SEARCH_PAGE, ge=1, le=MAX_PAGE),
        offset: int = Query(0, ge=0),
    ) -> Any:
        """Full-text search over articles with facets (outlet, event type, year)."""
        facets = store.search_facets(q)
        hits = store.search(q, limit=limit, offset=offset)
        return _json({"q": q, "total": facets["total"], "limit": limit, "offset": offset,
                      "results": hits,
                      "facets": {k: v for k, v in facets.items() if k != "total"}})

    @app.get("/api/timeline", tags=["events"])
    def api_timeline(
        a: str = Query(..., description="country or actor code, e.g. PRK"),
        b: str = Query(..., description="country or actor code, e.g. RUS"),
        by: str = Query("month", pattern="^(" + "|".join(TIMELINE_BUCKETS) + ")$"),
    ) -> Any:
        """Per period and direction: event counts by quad class and summed scores."""
        return _json({"a": a.upper(), "b": b.upper(), "by": by,
                      "rows": store.timeline(a, b, by)})

    @app.get("/api/actors", tags=["actors"])
    def api_actors(limit: int = Query(ACTORS_LISTED, ge=1, le=100_000)) -> Any:
        """Actors by how many events name them (as source, as target, together)."""
        return _json(_with_events(store.actors(limit=limit)))

    @app.get("/api/network", tags=["actors"])
    def api_network(min_events: int = Query(1, ge=1)) -> Any:
        """Country network: directed edges with event count and mean Goldstein/PLOVER score."""
        return _json(store.network(min_events=min_events))

    @app.get("/api/locations", tags=["events"])
    def api_locations() -> Any:
        """Event places with counts and mean score (what the map draws)."""
        return _json(locations(_take(store.iter_events(), MAP_EVENT_CAP)))

    if allow_ingest:

        @app.post("/api/articles", tags=["articles"], status_code=201)
        async def api_ingest(request: Request) -> Any:
            """Code one article and store it.

            Body: JSON ``{"text" | "html", "title", "date", "url", "source"}``, or a raw
            text/plain or text/html body. Needs the start-up token in ``X-Tidings-Token``
            (or ``Authorization: Bearer``).
            """
            given = request.headers.get(TOKEN_HEADER) or ""
            auth = request.headers.get("authorization") or ""
            if not given and auth.lower().startswith("bearer "):
                given = auth[7:].strip()
            if not hmac.compare_digest(given.encode(), app.state.ingest_token.encode()):
                raise HTTPException(401, "missing or wrong token")
            raw = await _read_capped(request)
            fields = ingest_fields(request.headers.get("content-type") or "", raw)
            return await anyio.to_thread.run_sync(
                lambda: ingest(store, fields),
                limiter=getattr(request.app.state, "ingest_limiter", None))

    # =========================================================================================
    # pages

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html", openapi_url=app.openapi_url)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", offset: int = Query(0, ge=0)) -> HTMLResponse:
        ctx: dict[str, Any] = {"q": q, "offset": offset, "page_size": SEARCH_PAGE,
                               "error": None, "hits": [], "total": None, "facets": {}}
        if q.strip():
            try:
                ctx["facets"] = store.search_facets(q)
                ctx["total"] = ctx["facets"]["total"]
                ctx["hits"] = store.search(q, limit=SEARCH_PAGE, offset=offset)
            except QueryError as exc:
                ctx["error"] = str(exc)
        else:
            ctx["summary"] = summary()
            ctx["recent"] = store.articles(limit=SEARCH_PAGE, offset=offset)
        return page(request, "search.html", **ctx)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        art = store.article(article_id)
        if art is None:
            raise HTTPException(404, "no such article")
        events = list(art.get("events") or [])
        segs = highlight_segments(art.get("text") or "", events)
        return page(request, "article.html", art=art, events=events, segments=segs)

    @app.get("/dyad", response_class=HTMLResponse, include_in_schema=False)
    def dyad_page(
        request: Request, a: str = "", b: str = "", by: str = "auto",
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        a, b = a.strip().upper(), b.strip().upper()
        by = by if by in TIMELINE_BUCKETS else "auto"
        ctx: dict[str, Any] = {"a": a, "b": b, "by": by, "offset": offset, "chart": None,
                               "page_size": DEFAULT_PAGE, "events": [], "total": 0,
                               "choices": actor_choices(), "top_dyads": []}
        if a and b:
            f = {"dyad": f"{a}-{b}"}
            shown = "month" if by == "auto" else by
            rows = store.timeline(a, b, shown)
            if by == "auto" and months_spanned(r["period"] for r in rows) > MAX_MONTH_BARS:
                shown, rows = "year", store.timeline(a, b, "year")
            ctx["chart"] = timeline_chart(rows, a, shown)
            ctx["total"] = store.count_events(**f)
            ctx["events"] = store.events(limit=DEFAULT_PAGE, offset=offset, **f)
        else:
            ctx["top_dyads"] = summary().get("top_dyads", [])
        return page(request, "dyad.html", **ctx)

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request) -> HTMLResponse:
        actors = _with_events(store.actors(limit=ACTORS_LISTED))
        graph = network_graph(store.network(), _actor_names(actors))
        return page(request, "actors.html", actors=actors, graph=graph)

    @app.get("/actors/{code}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, code: str) -> HTMLResponse:
        code = code.strip()
        actors = _with_events(store.actors(limit=ACTORS_LISTED))
        info = next((x for x in actors if (x.get("code") or "").upper() == code.upper()),
                    None)
        total = store.count_events(actor=code)
        if info is None and not total:
            raise HTTPException(404, "no such actor")
        events = store.events(actor=code, limit=ACTOR_EVENT_CAP)
        names = _actor_names(actors)
        name = (info or {}).get("name") or names.get(code.upper()) or code
        forms = surface_forms(code, name, events)
        try:  # articles whose text names the actor in any of the ways its events do
            mentioned = store.search_facets(" OR ".join(f'"{f}"' for f in forms))["total"]
        except QueryError:
            mentioned = None
        latest = sorted(events, key=lambda e: e.get("date") or "", reverse=True)[:DEFAULT_PAGE]
        types = Counter((e.get("event_type"), e.get("quad_class")) for e in events)
        return page(request, "actor.html", code=code, info=info, name=name, total=total,
                    mentioned=mentioned, forms=forms, events=latest,
                    articles=len({e.get("doc_id") for e in events}),
                    types=[{"type": t, "quad_class": q, "count": n}
                           for (t, q), n in types.most_common()],
                    chart=actor_chart(events), counterparts=[
                        {**c, "name": names.get(c["code"], c["name"])}
                        for c in counterparts(code, events)])

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(
        request: Request, a: str = "", b: str = "", actor: str = "", type: str = "",
        quad_class: str = "", since: str = "", until: str = "", q: str = "",
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        form = {"a": a.strip(), "b": b.strip(), "actor": actor.strip(), "type": type.strip(),
                "quad_class": quad_class.strip(), "since": since.strip(),
                "until": until.strip(), "q": q.strip()}
        ctx: dict[str, Any] = {"form": form, "offset": offset, "page_size": DEFAULT_PAGE,
                               "events": [], "total": 0, "error": None}
        try:
            qc = int(form["quad_class"]) if form["quad_class"] else None
            f = event_filters(form["a"], form["b"], None, form["actor"], form["type"], qc,
                              form["since"], form["until"], form["q"], False)
            ctx["total"] = store.count_events(**f)
            ctx["events"] = store.events(limit=DEFAULT_PAGE, offset=offset, **f)
        except (QueryError, ValueError) as exc:
            ctx["error"] = str(exc)
        except HTTPException as exc:
            ctx["error"] = exc.detail
        ctx["query"] = urlencode({k: v for k, v in form.items() if v})
        return page(request, "events.html", **ctx)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        places = locations(_take(store.iter_events(), MAP_EVENT_CAP))
        return page(request, "map.html", places=places)

    return app


# Serialises API answers as FastAPI does for a route returning Any (pydantic's core, straight
# to bytes), but in the endpoint: for a sync endpoint FastAPI first validates the returned
# value in a second trip through the thread pool, which cost every API request a thread hop
# and a second wait for one of REQUEST_THREADS (about twice the dyad page's p50 under load).
_ANY_JSON: TypeAdapter[Any] = TypeAdapter(Any)


def _json(payload: Any) -> Response:
    """``payload`` as an application/json answer, the bytes FastAPI would have sent."""
    return Response(_ANY_JSON.dump_json(payload), media_type="application/json")


def _batched(lines: Iterable[str]) -> Iterator[str]:
    """Join rows into chunks: a streamed sync iterator costs a thread hop per item."""
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        if len(buf) >= DOWNLOAD_BATCH:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)


def _take(it: Iterable[Any], n: int) -> Iterator[Any]:
    for i, x in enumerate(it):
        if i >= n:
            return
        yield x


# ---------------------------------------------------------------------------------------------
# ingest


def ingest_fields(content_type: str, raw: bytes) -> dict[str, Any]:
    """Request body → {text | html, title, date, url, source}; HTTP errors for bad input."""
    ctype = content_type.split(";")[0].strip().lower()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "body must be UTF-8") from exc
    if ctype == "application/json":
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"bad JSON: {exc.msg}") from exc
        if not isinstance(data, dict):
            raise HTTPException(400, "JSON body must be an object")
        fields: dict[str, str | None] = {
            k: data.get(k) for k in ("text", "html", "title", "date", "url", "source")}
        for k, v in fields.items():
            if v is not None and not isinstance(v, str):
                raise HTTPException(400, f"{k} must be a string")
    elif ctype in ("text/html", "application/xhtml+xml"):
        fields = {"html": body}
    elif ctype in ("text/plain", ""):
        fields = {"text": body}
    else:
        raise HTTPException(415, "send application/json, text/plain or text/html")
    if not (fields.get("text") or "").strip() and not (fields.get("html") or "").strip():
        raise HTTPException(400, "no text or html given")
    when = fields.get("date")
    if when:
        try:
            date.fromisoformat(when)
        except ValueError as exc:
            raise HTTPException(400, "date must be YYYY-MM-DD") from exc
    return fields


def ingest(store: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """Code one article with the pipeline (HTML through trafilatura first) and store it."""
    from tidings import pipeline, readers
    from tidings.model import Article

    extraction = "text"
    text, title, byline = fields.get("text"), fields.get("title"), None
    published, url, source = fields.get("date"), fields.get("url"), fields.get("source")
    if fields.get("html"):
        try:
            got = readers.run_with_timeout(lambda: readers.extract_html(fields["html"]),
                                           readers.EXTRACTION_TIMEOUT_S)
        except readers.ExtractionTimeout as exc:
            raise HTTPException(422, "HTML extraction timed out") from exc
        if got is None:
            raise HTTPException(422, "no article body found in the HTML")
        text, extraction = got["text"], "trafilatura"
        title = title or got["title"]
        byline = got["author"]
        published = published or got["date"]
        url = url or got["url"]
        source = source or got["sitename"]
    assert text is not None
    article = Article(id=pipeline.text_id(text), text=text, title=title, byline=byline,
                      source=source, url=url, published=published, extraction=extraction,
                      origin="api")
    result = next(pipeline.code_articles([article]))
    if not isinstance(result, pipeline.CodedArticle):
        raise HTTPException(422, f"not coded: {getattr(result, 'reason', result)}")
    status = store.add(result.article, result.events, result.sentences)
    return {"id": result.article.id, "status": status, "events": len(result.events),
            "url": f"/articles/{result.article.id}"}


def app_from_env() -> FastAPI:
    """The app of one worker process of ``serve(workers=N)``.

    uvicorn's workers are fresh processes that import the app by name, so ``serve`` hands
    them its settings (store, ingest token, allowed hosts) in the environment variable
    SERVE_ENV; every worker answers to the same token.
    """
    cfg = json.loads(os.environ[SERVE_ENV])
    return create_app(cfg["db"], allow_ingest=cfg["allow_ingest"], token=cfg["token"],
                      allowed_hosts=cfg["hosts"])


def serve(db: Any, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          allow_ingest: bool = False, workers: int = 1, access_log: bool = True) -> None:
    """Run the app with uvicorn; prints where it listens and, with ingest on, the token.

    ``workers`` > 1 runs that many server processes on one socket (each with its own store
    connection): one process is bound by the GIL to one core, so on a multi-core machine
    more of them serve more requests at once. SQLite in WAL mode lets them all read while
    one writes, and each one's caches follow the others' writes (Store.generation).
    """
    import uvicorn

    if workers < 1:
        raise ValueError("workers must be at least 1")
    if workers > 1 and not isinstance(db, str | Path):
        raise ValueError("workers > 1 need the store as a path or URL: each opens its own")
    hosts = LOOPBACK_NAMES if host in LOOPBACK_NAMES else None
    target: Any
    if workers == 1:
        target = create_app(db, allow_ingest=allow_ingest, allowed_hosts=hosts)
        token = target.state.ingest_token
    else:
        # Open (and so migrate) the store once here: a bad path or a store from a newer
        # Tidings fails now, with one message, rather than in every worker.
        _open_store(db).close()
        token = secrets.token_urlsafe(TOKEN_BYTES) if allow_ingest else None
        os.environ[SERVE_ENV] = json.dumps({"db": str(db), "allow_ingest": allow_ingest,
                                            "token": token, "hosts": hosts})
        target = f"{__name__}:app_from_env"
    print(f"Tidings on http://{host}:{port}/  (API docs: /docs; {workers} worker process"
          f"{'es' if workers > 1 else ''})", flush=True)
    if allow_ingest:
        print(f"Ingest enabled: POST /api/articles with header 'X-Tidings-Token: {token}'",
              flush=True)
    uvicorn.run(target, host=host, port=port, log_level="info", access_log=access_log,
                workers=workers if workers > 1 else None, factory=workers > 1)
