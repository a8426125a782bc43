"""What every route of the app shares: the store, the settings, the templates, the caches
of whole-store values, the search runner, and reading a request's filter bar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import TypeAdapter

from tidings.store import derive
from tidings.store.views import ViewFilter
from tidings.web import charts, filters
from tidings.web.bounded import SearchRunner
from tidings.web.hygiene import PerState
from tidings.web.settings import WebSettings

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

# Serialises API answers as FastAPI does for a route returning Any (pydantic's core, straight
# to bytes), but in the endpoint: for a sync endpoint FastAPI first validates the returned
# value in a second trip through the thread pool, which cost every API request a thread hop
# and a second wait for a request thread (about twice the dyad page's p50 under load).
_ANY_JSON: TypeAdapter[Any] = TypeAdapter(Any)


def json_response(payload: Any, status_code: int = 200) -> Response:
    """``payload`` as an application/json answer, the bytes FastAPI would have sent."""
    return Response(_ANY_JSON.dump_json(payload), media_type="application/json",
                    status_code=status_code)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.autoescape = True  # .html does it already; untrusted text makes it explicit
    templates.env.globals.update(
        QUAD_NAMES=charts.QUAD_NAMES, key_label=derive.key_label,
        snippet_parts=charts.snippet_parts, actor_label=actor_label,
        GEO_PRECISIONS=derive.GEO_PRECISIONS, actor_href=actor_href)
    return templates


def actor_label(a: Mapping[str, Any] | None) -> str:
    """A side's name as written in the event (the mention), for hover text."""
    if not a:
        return "—"
    return str(a.get("name") or a.get("text") or a.get("code") or "?")


def actor_href(key: str, query: str = "") -> str:
    """The page of an actor key (person, organisation, or a sector / country roll-up)."""
    from urllib.parse import quote

    return f"/actors/{quote(key, safe='')}" + (f"?{query}" if query else "")


@dataclass
class WebContext:
    store: Any
    settings: WebSettings
    templates: Jinja2Templates = field(default_factory=make_templates)
    allow_ingest: bool = False
    token: str | None = None

    def __post_init__(self) -> None:
        self.per_state = PerState(self.store, 64)  # whole-store values: a few keys
        self.views = CachedViews(self.store, PerState(self.store, self.settings.cache_entries))
        self.search = SearchRunner(self.store, self.settings.search_threads,
                                   self.settings.search_timeout_s)

    # ---- whole-store values, computed once per state of the store -------------------------

    def index(self) -> filters.ActorIndex:
        """Names and aliases an actor filter understands (the KB's and the store's)."""
        def build() -> filters.ActorIndex:
            from tidings import kb

            return filters.ActorIndex(kb.load(), self.store.view_named_keys(),
                                      self.store.view_key_mentions)

        return self.per_state.get("actor_index", build)

    def outlets(self) -> list[dict[str, Any]]:
        return self.per_state.get("outlets", self.store.view_outlets)

    def summary(self) -> dict[str, Any]:
        """The home page's figures: articles, events and mentions, the publication range,
        the busiest country pairs."""
        def build() -> dict[str, Any]:
            counts = self.views.view_counts(ViewFilter())
            lo, hi = self.published_range()
            return {"articles": self.store.count_articles(), "events": counts["events"],
                    "mentions": counts["mentions"], "published": (lo, hi),
                    "top_pairs": self.views.view_network(ViewFilter())[:5]}

        return self.per_state.get("summary", build)

    def corpus_range(self, basis: str) -> tuple[str | None, str | None]:
        """First and last day of the store's dated events (or publications)."""
        return self.per_state.get(f"range:{basis}",
                                  lambda: self.store.view_date_range(ViewFilter(basis=basis)))

    def published_range(self) -> tuple[str | None, str | None]:
        return self.corpus_range("published")

    # ---- requests --------------------------------------------------------------------------

    def parse(self, request: Request) -> filters.Parsed:
        """The request's filter bar, read and resolved (errors kept for the page)."""
        params: dict[str, Any] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        return filters.parse(params, self.index, self.settings,
                             [o["outlet"] for o in self.outlets()])

    def page(self, request: Request, template: str, status_code: int = 200, **ctx: Any
             ) -> HTMLResponse:
        return self.templates.TemplateResponse(request, template, ctx, status_code=status_code)


class CachedViews:
    """The store's view queries (store/views.py), each answer kept until the next write.

    An analyst goes back and forth between views of one filter set, and the busiest views
    (every event, a large country's roll-up) aggregate the whole store: asked again before
    anything is stored, they are answered from memory. The answers are shared: read them,
    never change them.
    """

    CACHED = frozenset({
        "view_counts", "view_events", "view_timeline", "view_volume", "view_actors",
        "view_actor_count", "view_actor_kinds", "view_actor_totals", "view_network",
        "view_places",
        "view_geo_counts", "view_types", "view_mention_forms", "view_articles",
        "view_date_range",
    })

    def __init__(self, store: Any, cache: PerState) -> None:
        self._store = store
        self._cache = cache

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self._store, name)
        if name not in self.CACHED:
            return fn

        def cached(*args: Any, **kwargs: Any) -> Any:
            key = repr((name, args, sorted(kwargs.items())))
            return self._cache.get(key, lambda: fn(*args, **kwargs))

        return cached


def ctx_of(request: Request) -> WebContext:
    return request.app.state.web
