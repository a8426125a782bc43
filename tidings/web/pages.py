"""The analyst's pages: search, events, dyad, actors, an actor, network, map, an article.

Every page reads the same filter bar (filters.py) from its URL and passes it on in every
link; a filter that cannot be read is a message on the page, never a JSON error: the page is
the form re-rendered with the message beside the field (status 200, as a form that did not
validate; the API answers the same filters with 400).
Every number shown is the store's aggregate over the whole filtered set (store/views.py), of
event clusters by default with mentions and articles beside them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from tidings.store import QueryError, derive
from tidings.store.views import ACTOR_SORTS
from tidings.web import charts, filters
from tidings.web.api import _series
from tidings.web.bounded import SearchStopped
from tidings.web.context import WebContext, ctx_of

router = APIRouter(include_in_schema=False)
ACTOR_TABS = {"people": (derive.PERSON, derive.ORGANISATION), "sectors": (derive.SECTOR,),
              "countries": (derive.COUNTRY,)}


def _render(request: Request, template: str, p: filters.Parsed, **ctx: Any) -> HTMLResponse:
    """The page with its filter bar, and a message for each filter it could not read."""
    web = ctx_of(request)
    return web.page(request, template, p=p, outlets=web.outlets(), **ctx)


def _safely(p: filters.Parsed, compute: Any, default: Any) -> Any:
    """A query's result, or ``default`` with the store's complaint added to the page."""
    try:
        return compute()
    except QueryError as exc:
        p.errors.setdefault("q", str(exc))
        return default


# ---------------------------------------------------------------------------------- search


@router.get("/", response_class=HTMLResponse)
async def search_page(request: Request) -> HTMLResponse:
    """Full-text search, or the latest articles (both under the filter bar)."""
    import anyio

    ctx = ctx_of(request)
    p = await anyio.to_thread.run_sync(ctx.parse, request)
    size = ctx.settings.search_page
    page: dict[str, Any] = {"hits": [], "facets": {}, "total": None, "recent": []}
    if not p.errors and p.view.q:
        try:
            hits, facets = await ctx.search.run(request, lambda s: s.view_search(
                p.view, limit=size, offset=p.offset))
            page.update(hits=hits, facets=facets, total=facets["total"])
        except SearchStopped as exc:
            p.errors["q"] = (f"the search was stopped ({exc.reason}) after "
                             f"{ctx.settings.search_timeout_s:g} s: narrow it")
        except QueryError as exc:
            p.errors["q"] = str(exc)
    elif not p.errors:
        page["recent"], page["total"] = await anyio.to_thread.run_sync(
            lambda: ctx.views.view_articles(p.view, limit=size, offset=p.offset))
        page["summary"] = await anyio.to_thread.run_sync(ctx.summary)
    return _render(request, "search.html", p, nav="search", page_size=size, **page)


# ---------------------------------------------------------------------------------- events


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request) -> HTMLResponse:
    """The events the filters select: one row per event (cluster) or per mention."""
    ctx = ctx_of(request)
    p = ctx.parse(request)
    counts = {"events": 0, "mentions": 0, "articles": 0}
    events: list[dict[str, Any]] = []
    if not p.errors:
        counts = _safely(p, lambda: ctx.views.view_counts(p.view), counts)
        events = _safely(p, lambda: ctx.views.view_events(
            p.view, unique=p.unique, sort=p.sort, descending=p.order == "desc",
            limit=ctx.settings.page_size, offset=p.offset), [])
    return _render(request, "events.html", p, nav="events", counts=counts, events=events,
                   total=counts[p.count], page_size=ctx.settings.page_size)


# ---------------------------------------------------------------------------------- dyad


def _timeline(ctx: WebContext, p: filters.Parsed) -> dict[str, Any]:
    series = _series(ctx, p)
    return {"chart": series, "totals": charts.series_totals(series),
            "rows": charts.series_rows(series)}


@router.get("/dyad", response_class=HTMLResponse)
def dyad_page(request: Request) -> HTMLResponse:
    """How two actors treat each other over time, each direction apart, down to events."""
    ctx = ctx_of(request)
    p = ctx.parse(request)
    page: dict[str, Any] = {"chart": None, "events": [], "counts": None}
    if p.view.dyad() and not p.errors:
        page.update(_timeline(ctx, p))
        page["counts"] = ctx.views.view_counts(p.view)
        page["sides"] = {d: ctx.views.view_counts(replace(p.view, direction=d))
                         for d in ("ab", "ba")}
        page["events"] = ctx.views.view_events(p.view, unique=p.unique,
                                               limit=ctx.settings.page_size)
    elif not p.errors:
        page["pairs"] = ctx.views.view_network(p.view)[: ctx.settings.counterparts]
    return _render(request, "dyad.html", p, nav="dyad", page_size=ctx.settings.page_size,
                   **page)


# ---------------------------------------------------------------------------------- actors


def _actor_tab(request: Request) -> tuple[str, str, bool]:
    tab = request.query_params.get("tab", "people")
    sort = request.query_params.get("asort", "events")
    return (tab if tab in ACTOR_TABS else "people", sort if sort in ACTOR_SORTS else "events",
            request.query_params.get("aorder", "desc") != "asc")


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request) -> HTMLResponse:
    """Resolved actors by events: people and organisations, sector and country roll-ups;
    with an actor filter, that actor's counterparts."""
    ctx = ctx_of(request)
    p = ctx.parse(request)
    tab, sort, desc = _actor_tab(request)
    size = ctx.settings.actors_page
    page: dict[str, Any] = {"rows": [], "tallies": {}}
    if not p.errors:
        other = p.view.actor
        view = replace(p.view, actor=None) if other else p.view
        page["rows"] = ctx.views.view_actors(view, kinds=ACTOR_TABS[tab], counterpart_of=other,
                                             limit=size, offset=p.offset, sort=sort,
                                             descending=desc)
        kinds = ctx.views.view_actor_kinds(view, counterpart_of=other)
        page["tallies"] = {t: sum(kinds.get(k, 0) for k in ks) for t, ks in ACTOR_TABS.items()}
    return _render(request, "actors.html", p, nav="actors", tab=tab, asort=sort, desc=desc,
                   page_size=size, **page)


@router.get("/actors/{key:path}", response_class=HTMLResponse)
def actor_page(request: Request, key: str) -> HTMLResponse:
    """One person or organisation, or a sector / country roll-up, under the filters."""
    ctx = ctx_of(request)
    p = ctx.parse(request)
    found = ctx.index().resolve(key)
    if found is None or not ctx.index().exists(found):
        raise HTTPException(404, f"no actor {key!r} in this store")
    view = replace(p.view, actor=found, a=None, b=None)
    p.form = {**p.form, "actor": found, "a": "", "b": ""}  # every link keeps the actor
    page: dict[str, Any] = {"counts": None, "chart": None}
    if not p.errors:
        page.update(_timeline(ctx, filters.Parsed(form=p.form, view=view, by=p.by)))
        page["counts"] = ctx.views.view_actor_totals(p.view, found)
        page["counterparts"] = ctx.views.view_actors(
            replace(view, actor=None, direction="both"), counterpart_of=found,
            limit=ctx.settings.counterparts)
        page["types"] = ctx.views.view_types(view)
        page["latest"] = ctx.views.view_events(view, sort="date", descending=True,
                                               limit=ctx.settings.page_size)
    return _render(request, "actor.html", p, nav="actors", key=found,
                   kind=derive.kind_of_key(found), label=derive.key_label(found),
                   forms=ctx.views.view_mention_forms(found), entry=_kb_entry(found), **page)


def _kb_entry(key: str) -> Any:
    """What the knowledge base says of a person or organisation (role, country), if known."""
    from tidings import kb

    if derive.kind_of_key(key) not in derive.KEY_PREFIX:
        return None
    return kb.load().lookup(derive.key_name(key))


# ---------------------------------------------------------------------------------- network


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    """Countries and the events between them (both directions together)."""
    ctx = ctx_of(request)
    p = ctx.parse(request)
    pairs: list[dict[str, Any]] = []
    if not p.errors:
        pairs = ctx.views.view_network(p.view)
    labels = {c: derive.key_label(c) for pr in pairs for c in (pr["a"], pr["b"])}
    graph = charts.network_graph(pairs, labels, ctx.settings.network_nodes)
    return _render(request, "network.html", p, nav="network", pairs=pairs, graph=graph,
                   labels=labels)


# ---------------------------------------------------------------------------------- map


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    """Where events happened, at the precision the texts give, under the filters."""
    ctx = ctx_of(request)
    p = ctx.parse(request)
    places: list[dict[str, Any]] = []
    precision: dict[str, int] = {}
    if not p.errors:
        places = ctx.views.view_places(p.view)
        precision = ctx.views.view_geo_counts(p.view)
    return _render(request, "map.html", p, nav="map", places=places, precision=precision,
                   place_page=ctx.settings.place_page)


# ---------------------------------------------------------------------------------- article


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    """An article's text with its events' evidence highlighted and each event's coding."""
    ctx = ctx_of(request)
    art = ctx.store.article(article_id)
    if art is None:
        raise HTTPException(404, "no such article")
    events = list(art.get("events") or [])
    for ev in events:
        for side in ("source", "target"):
            ident = derive.resolve_actor(ev.get(side))
            ev[f"{side}_actor"] = ({"key": ident.key, "kind": ident.kind,
                                    "label": derive.key_label(ident.key)} if ident else None)
    segs = charts.highlight_segments(art.get("text") or "", events)
    return ctx.page(request, "article.html", art=art, events=events, segments=segs,
                    nav="search", p=None)


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return ctx_of(request).page(request, "docs.html", openapi_url=request.app.openapi_url)
