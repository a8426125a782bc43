"""The HTTP API: JSON (and downloads) over the same filters and queries as the pages.

Every route reads the filter bar's parameters (filters.py; the older ``dyad``,
``directed`` and ``quad_class`` are read too) and answers a bad one with 400 and a message
per parameter. Counts are of event clusters unless ``count=mentions``; mentions and articles
are always given beside them.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from tidings.store import QueryError, derive
from tidings.web import charts, exports, filters
from tidings.web.bounded import SearchStopped
from tidings.web.context import WebContext, ctx_of, json_response
from tidings.web.hygiene import read_capped
from tidings.web.ingest import ingest, ingest_fields

router = APIRouter(prefix="/api")
ingest_router = APIRouter(prefix="/api")
TOKEN_HEADER = "x-tidings-token"
FORMAT_DOC = "json: one page; csv / jsonl / gdelt / plover: the whole filtered set"


def _legacy(request: Request) -> dict[str, list[str]]:
    """The query's parameters, with the API's older names read as the filter bar's."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if "dyad" in params and not params.get("a"):
        from tidings.store.common import split_dyad

        try:
            a, b = split_dyad(params["dyad"][-1])
        except QueryError as exc:
            raise HTTPException(400, {"message": str(exc), "errors": {"dyad": str(exc)}}
                                ) from exc
        params["a"], params["b"] = [a], [b]
    if params.get("directed", [""])[-1].lower() in ("1", "true", "yes") and "dir" not in params:
        params["dir"] = ["ab"]
    if "quad_class" in params and "quad" not in params:
        params["quad"] = params["quad_class"]
    return params


def parsed(request: Request) -> filters.Parsed:
    """The request's filters, or an HTTP 400 naming every bad parameter."""
    ctx = ctx_of(request)
    p = filters.parse(_legacy(request), ctx.index, ctx.settings,
                      [o["outlet"] for o in ctx.outlets()])
    if p.errors:
        raise HTTPException(400, {"message": "bad filters: " + "; ".join(
            f"{k}: {v}" for k, v in p.errors.items()), "errors": p.errors})
    return p


def _page_args(ctx: WebContext, limit: int | None, offset: int) -> tuple[int, int]:
    limit = ctx.settings.page_size if limit is None else limit
    if not 1 <= limit <= ctx.settings.max_page:
        raise HTTPException(422, f"limit must be 1 to {ctx.settings.max_page}")
    if not 0 <= offset <= ctx.settings.max_offset:
        raise HTTPException(422, f"offset must be 0 to {ctx.settings.max_offset}")
    return limit, offset


# ---------------------------------------------------------------------------------- events


@router.get("/events", tags=["events"])
def api_events(
    request: Request,
    limit: int | None = Query(None, description="rows per page (JSON)"),
    format: str = Query("json", pattern="^(json|csv|jsonl|gdelt|plover)$",
                        description=FORMAT_DOC),
) -> Any:
    """Events matching every filter (a, b, dir, actor, type, quad, since, until, basis,
    outlet, geo, place, dprec, q), in date order: one per event cluster, or every mention
    with ``count=mentions``; ``sort``/``order`` as the events table; ``offset`` rows skipped."""
    ctx = ctx_of(request)
    p = parsed(request)
    limit, offset = _page_args(ctx, limit, p.offset)
    counts = ctx.views.view_counts(p.view)  # also validates the filters before streaming
    if format != "json":
        events = ctx.store.view_iter_events(p.view, unique=p.unique,
                                            batch=ctx.settings.download_batch)
        return exports.download(exports.event_lines(format, events), format, "events",
                                ctx.settings.download_batch)
    events = ctx.views.view_events(p.view, unique=p.unique, sort=p.sort,
                                   descending=p.order == "desc", limit=limit, offset=offset)
    return json_response({"total": counts[p.count], "count": p.count, "counts": counts,
                          "limit": limit, "offset": offset, "events": events})


@router.get("/articles/{article_id}", tags=["articles"])
def api_article(request: Request, article_id: str) -> Any:
    """One article: text, metadata, sentences, and events with evidence offsets."""
    art = ctx_of(request).store.article(article_id)
    if art is None:
        raise HTTPException(404, "no such article")
    return json_response(art)


# ---------------------------------------------------------------------------------- search


@router.get("/search", tags=["search"])
async def api_search(
    request: Request,
    q: str = Query(..., min_length=1, description='words, "phrases", OR, -word'),
    limit: int | None = Query(None),
) -> Any:
    """Full-text search over articles with facets (outlet, event type, year), narrowed by
    the filters; bounded in terms and time, stopped when the client leaves."""
    ctx = ctx_of(request)
    p = await anyio.to_thread.run_sync(parsed, request)
    if p.view.q is None:
        raise HTTPException(400, {"message": "q: empty search query", "errors": {"q": "empty"}})
    limit, offset = _page_args(ctx, limit or ctx.settings.search_page, p.offset)
    try:
        hits, facets = await ctx.search.run(request, lambda s: s.view_search(
            p.view, limit=limit, offset=offset))
    except SearchStopped as exc:
        raise HTTPException(503, f"search stopped ({exc.reason}): it ran over "
                                 f"{ctx.settings.search_timeout_s:g} s; narrow it") from exc
    return json_response({"q": q, "total": facets["total"], "limit": limit, "offset": offset,
                          "results": hits,
                          "facets": {k: v for k, v in facets.items() if k != "total"}})


# ---------------------------------------------------------------------------------- series


def _series(ctx: WebContext, p: filters.Parsed) -> dict[str, Any]:
    """The timeline of the filtered set, as the pages draw it."""
    # Without a date range the chart spans the corpus's publication months: events dated
    # outside them (history the articles tell) are counted apart, not stretched into the axis.
    window = charts.chart_window(p.view.since, p.view.until, *ctx.published_range())
    by = charts.pick_bucket(p.by, window, ctx.settings.max_month_bars)
    rows = ctx.views.view_timeline(p.view, by)
    return charts.timeline_series(rows, ctx.views.view_volume(p.view, by), by, window)


SERIES_HEADER = ("period", "direction", "q1", "q2", "q3", "q4", "events", "mentions",
                 "goldstein", "articles")


@router.get("/timeline", tags=["events"])
def api_timeline(request: Request, format: str = Query("json", pattern="^(json|csv)$")
                 ) -> Any:
    """Per period (and direction, for a dyad): events by quad class, mentions, summed
    Goldstein, and articles published in the period."""
    ctx = ctx_of(request)
    p = parsed(request)
    rows = charts.series_rows(_series(ctx, p))
    if format == "csv":
        lines = exports.csv_lines(SERIES_HEADER, ([r[h] for h in SERIES_HEADER] for r in rows))
        return exports.download(lines, "csv", "timeline", ctx.settings.download_batch)
    return json_response({"a": p.view.a, "b": p.view.b, "rows": rows})


ACTOR_HEADER = ("kind", "key", "label", "events", "as_source", "as_target", "mentions",
                "articles", "mean_goldstein")


@router.get("/actors", tags=["actors"])
def api_actors(
    request: Request,
    kind: Annotated[list[str] | None, Query(description="person, organisation, sector, "
                                                        "country")] = None,
    counterpart_of: str | None = Query(None, description="the other side of this actor"),
    limit: int | None = Query(None),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Any:
    """Resolved actors (people, organisations, sector and country roll-ups) by events, a
    page at a time (``limit``, ``offset``; ``X-Total-Count`` says how many in all)."""
    ctx = ctx_of(request)
    p = parsed(request)
    kind = kind or list(derive.ACTOR_KINDS)
    bad = [k for k in kind if k not in derive.ACTOR_KINDS]
    if bad:
        raise HTTPException(400, f"kind must be among {', '.join(derive.ACTOR_KINDS)}")
    other = ctx.index().resolve(counterpart_of) if counterpart_of else None
    if counterpart_of and other is None:
        raise HTTPException(400, f"no actor called {counterpart_of!r} is known")
    limit, offset = _page_args(ctx, limit or ctx.settings.actors_page, p.offset)
    if format == "csv":
        limit = ctx.settings.max_offset
    rows = ctx.views.view_actors(p.view, kinds=kind, counterpart_of=other, limit=limit,
                                 offset=offset)
    if format == "csv":
        return _csv(ctx, "actors", ACTOR_HEADER, rows)
    answer = json_response(rows)  # one page: how many there are in all, in a header
    answer.headers["X-Total-Count"] = str(ctx.views.view_actor_count(
        p.view, kind, counterpart_of=other))
    return answer


@router.get("/actors/suggest", tags=["actors"])
def api_suggest(request: Request, q: str = Query("", max_length=200)) -> Any:
    """Typeahead: actor names (the knowledge base's and the store's) starting with ``q``."""
    ctx = ctx_of(request)
    got = ctx.index().suggest(q, ctx.settings.typeahead_results)
    return json_response([{"label": s.label, "value": s.value, "kind": s.kind, "key": s.key,
                           "mentions": s.mentions} for s in got])


PAIR_HEADER = ("a", "b", "events", "mentions", "mean_goldstein")


@router.get("/network", tags=["actors"])
def api_network(request: Request, min_events: int = Query(1, ge=1, le=10**9),
                format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    """Country pairs (both directions together) with events, mentions and mean Goldstein."""
    ctx = ctx_of(request)
    p = parsed(request)
    pairs = [x for x in ctx.views.view_network(p.view) if x["events"] >= min_events]
    if format == "csv":
        return _csv(ctx, "network", PAIR_HEADER, pairs)
    return json_response(pairs)


PLACE_HEADER = ("precision", "place", "name", "country", "lat", "lon", "events", "mentions",
                "mean_goldstein")


@router.get("/locations", tags=["events"])
def api_locations(request: Request, format: str = Query("json", pattern="^(json|csv)$")
                  ) -> Any:
    """Event places with their geo-precision, events, mentions and mean score (the map)."""
    ctx = ctx_of(request)
    places = ctx.views.view_places(parsed(request).view)
    if format == "csv":
        return _csv(ctx, "places", PLACE_HEADER, places)
    return json_response(places)


def _csv(ctx: WebContext, name: str, header: tuple[str, ...], rows: list[dict[str, Any]]
         ) -> Response:
    lines: Iterator[str] = exports.csv_lines(header, ([r[h] for h in header] for r in rows))
    return exports.download(lines, "csv", name, ctx.settings.download_batch)


# ---------------------------------------------------------------------------------- ingest


def _token_ok(request: Request) -> bool:
    given = request.headers.get(TOKEN_HEADER) or ""
    auth = request.headers.get("authorization") or ""
    if not given and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return hmac.compare_digest(given.encode(), (ctx_of(request).token or "").encode())


@ingest_router.post("/articles", tags=["articles"], status_code=201)
async def api_ingest(request: Request) -> Any:
    """Code one article and store it.

    Body: JSON ``{"text" | "html", "title", "date", "url", "source"}``, or a raw text/plain
    or text/html body. Needs the start-up token in ``X-Tidings-Token`` (or ``Authorization:
    Bearer``). 201 for a new article; 200 with the stored article's id for a duplicate.
    """
    if not _token_ok(request):
        raise HTTPException(401, "missing or wrong token")
    ctx = ctx_of(request)
    raw = await read_capped(request, ctx.settings.max_body_bytes)
    fields = ingest_fields(request.headers.get("content-type") or "", raw,
                           ctx.settings.max_article_chars)
    status, answer = await anyio.to_thread.run_sync(
        lambda: ingest(ctx.store, fields, ctx.settings.max_article_chars),
        limiter=getattr(request.app.state, "ingest_limiter", None))
    return json_response(answer, status_code=status)
