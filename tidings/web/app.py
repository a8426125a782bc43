"""The analyst's web app and HTTP API over one Store.

Pages are rendered server-side with Jinja2 (autoescape on: article text is untrusted) plus a
little JavaScript of our own under ``static/``; the API is plain FastAPI with its OpenAPI
schema at ``/docs`` (Swagger UI vendored under ``static/vendor``, nothing from a CDN). The
only write endpoint, ``POST /api/articles``, exists only when the app is created with
``allow_ingest=True`` and answers only to the token printed at start-up.

The routes live in two routers, ``api.py`` and ``pages.py``; what they share (store,
settings, templates, caches, the search runner) is one ``WebContext`` on ``app.state.web``.
Every guardrail is a field of ``WebSettings`` (settings.py), given to ``create_app`` or
``tidings serve --setting name=value``.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from tidings.store import QueryError, Store
from tidings.web import api, pages
from tidings.web.charts import highlight_segments, snippet_parts
from tidings.web.context import STATIC_DIR, WebContext, ctx_of
from tidings.web.hygiene import CSP, CSP_DOCS, Hygiene, PerState
from tidings.web.settings import WebSettings, settings_from

DEFAULT_HOST = "127.0.0.1"  # never listen beyond the machine unless told to
DEFAULT_PORT = 8000
# Host headers accepted when bound to loopback: a page elsewhere that rebinds its own name to
# 127.0.0.1 (DNS rebinding) cannot read the store through the browser.
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
# Where `serve --workers N` hands its settings to the worker processes (app_from_env).
SERVE_ENV = "TIDINGS_SERVE"
# The longest request head (request line and headers) the server reads before it answers.
# uvicorn's h11 default, 16 KiB, is checked only while a head is incomplete, so a longer URL
# was parsed when it arrived in one read and refused with a bare 400 when TCP split it: the
# answer to one URL depended on timing. 256 KiB reads in full a URL far longer than any
# query the settings accept (the app's own bounds, max_query_chars and max_query_terms, then
# answer it with their message) and refuses a longer head, in whatever pieces it comes, at a
# cost of at most 256 KiB of memory per connection. Not tuned: a round bound well above both.
MAX_REQUEST_HEAD_BYTES = 256 * 1024
API_PREFIXES = ("/api/", "/static/", "/openapi")

__all__ = ["CSP", "CSP_DOCS", "LOOPBACK_NAMES", "PerState", "SERVE_ENV", "app_from_env",
           "create_app", "highlight_segments", "serve", "snippet_parts"]


def _open_store(store_or_url: Any) -> Any:
    """A Store from a path/URL, or the Store handed in (thread-safe: one connection behind
    its own lock, SQLite opened with check_same_thread=False)."""
    if isinstance(store_or_url, str | Path):
        return Store(str(store_or_url))
    return store_or_url


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Size the thread pool that runs the (sync) endpoints and give the ingest endpoint
    threads of its own, so that slow coding never holds the readers'."""
    settings = ctx_of_app(app).settings
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
    app.state.ingest_limiter = anyio.CapacityLimiter(settings.ingest_threads)
    yield
    ctx_of_app(app).search.close()


def ctx_of_app(app: FastAPI) -> WebContext:
    return app.state.web


async def _http_error(request: Request, exc: Exception) -> Any:
    """Pages get an HTML error page; the API and static files keep JSON."""
    assert isinstance(exc, StarletteHTTPException)  # registered for this class only
    if request.url.path.startswith(API_PREFIXES) or request.method != "GET":
        return await http_exception_handler(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return ctx_of(request).page(request, "error.html", status_code=exc.status_code,
                                status=exc.status_code, detail=detail, p=None)


async def _bad_query(request: Request, exc: Exception) -> Any:
    if request.url.path.startswith(API_PREFIXES):
        return JSONResponse({"detail": f"bad query: {exc}"}, status_code=400)
    return ctx_of(request).page(request, "error.html", status_code=400, status=400,
                                detail=f"That query could not be read: {exc}", p=None)


def create_app(store_or_url: Any, allow_ingest: bool = False, token: str | None = None,
               allowed_hosts: list[str] | None = None,
               settings: WebSettings | Mapping[str, Any] | None = None) -> FastAPI:
    """Build the app over a Store (object, SQLite path or PostgreSQL URL).

    With ``allow_ingest`` the ingest endpoint is mounted and guarded by ``token`` (a fresh
    random one when not given, readable at ``app.state.ingest_token``). ``allowed_hosts``
    limits the Host header (``serve`` sets it on loopback, against DNS rebinding).
    ``settings``: a WebSettings, or a mapping of fields to override (validated).
    """
    conf = settings_from(settings)
    if allow_ingest:
        token = token or secrets.token_urlsafe(conf.token_bytes)
    ctx = WebContext(_open_store(store_or_url), conf, allow_ingest=allow_ingest,
                     token=token if allow_ingest else None)
    app = FastAPI(
        title="Tidings",
        description="Political event data (PLOVER/CAMEO) coded from news articles: "
        "who did what to whom, when and where, with the evidence sentence.",
        version="0.1.0", docs_url=None, redoc_url=None, lifespan=_lifespan)
    app.state.web = ctx
    app.state.store = ctx.store
    app.state.per_state = ctx.per_state
    app.state.ingest_token = ctx.token
    app.add_middleware(Hygiene, max_body_bytes=conf.max_body_bytes)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(QueryError, _bad_query)
    app.include_router(api.router)
    if allow_ingest:
        app.include_router(api.ingest_router)
    app.include_router(pages.router)
    return app


def app_from_env() -> FastAPI:
    """The app of one worker process of ``serve(workers=N)``.

    uvicorn's workers are fresh processes that import the app by name, so ``serve`` hands
    them its settings (store, ingest token, allowed hosts, web settings) in the environment
    variable SERVE_ENV; every worker answers to the same token.
    """
    cfg = json.loads(os.environ[SERVE_ENV])
    return create_app(cfg["db"], allow_ingest=cfg["allow_ingest"], token=cfg["token"],
                      allowed_hosts=cfg["hosts"], settings=cfg.get("settings"))


def serve(db: Any, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          allow_ingest: bool = False, workers: int = 1, access_log: bool = True,
          settings: WebSettings | Mapping[str, Any] | None = None) -> None:
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
    conf = settings_from(settings)
    hosts = LOOPBACK_NAMES if host in LOOPBACK_NAMES else None
    target: Any
    if workers == 1:
        target = create_app(db, allow_ingest=allow_ingest, allowed_hosts=hosts, settings=conf)
        token = target.state.ingest_token
    else:
        # Open (and so migrate) the store once here: a bad path or a store from a newer
        # Tidings fails now, with one message, rather than in every worker.
        _open_store(db).close()
        token = secrets.token_urlsafe(conf.token_bytes) if allow_ingest else None
        os.environ[SERVE_ENV] = json.dumps({"db": str(db), "allow_ingest": allow_ingest,
                                            "token": token, "hosts": hosts,
                                            "settings": conf.to_dict()})
        target = f"{__name__}:app_from_env"
    print(f"Tidings on http://{host}:{port}/  (API docs: /docs; {workers} worker process"
          f"{'es' if workers > 1 else ''})", flush=True)
    if allow_ingest:
        print(f"Ingest enabled: POST /api/articles with header 'X-Tidings-Token: {token}'",
              flush=True)
    uvicorn.run(target, host=host, port=port, log_level="info", access_log=access_log,
                workers=workers if workers > 1 else None, factory=workers > 1,
                h11_max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES)
