"""Request hygiene: security headers and body caps on every answer, and caches of values
derived from the whole store that follow every write."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

# Strict policy for every page: no inline script, nothing from elsewhere. Swagger UI (only
# /docs) needs inline styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

# Headers every answer carries (the CSP depends on the page), as ASGI wants them.
_SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"),
                     (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
_SET_BY_HYGIENE = frozenset({b"content-security-policy", *(k for k, _ in _SECURITY_HEADERS)})


class Hygiene:
    """Caps declared request bodies and sets security headers on every answer.

    A plain ASGI middleware: as a BaseHTTPMiddleware it ran every request through an extra
    task and memory stream, a fixed cost on every request under load (bench/load_test.py).
    """

    def __init__(self, app: Any, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

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

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def _refusal(self, scope: dict[str, Any]) -> JSONResponse | None:
        length = next((v for k, v in scope["headers"] if k.lower() == b"content-length"), None)
        if length is None:
            return None
        if not length.isdigit():
            return JSONResponse({"detail": "bad Content-Length"}, status_code=400)
        if int(length) > self.max_body_bytes:
            return JSONResponse({"detail": "request body too large"}, status_code=413)
        return None


class PerState:
    """Values derived from the whole store, computed once per state of the store.

    Keyed on Store.generation(), which moves on every commit (by this process or another),
    so an ingest is seen by the next request, never a stale copy. A value computed while a
    write commits is stored under the generation read before it and so is dropped at the
    next look. Backends without a generation (None) cache nothing. At most ``entries``
    values are kept, the least recently used dropped first.
    """

    def __init__(self, store: Any, entries: int = 256) -> None:
        self.store = store
        self.entries = entries
        self._lock = threading.Lock()
        self._generation: Any = None
        self._values: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        gen = self.store.generation()
        if gen is None:
            return compute()
        with self._lock:
            if gen != self._generation:
                self._generation, self._values = gen, OrderedDict()
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()  # outside the lock: another thread may compute it too, harmlessly
        with self._lock:
            if gen == self._generation:
                self._values[key] = value
                while len(self._values) > self.entries:
                    self._values.popitem(last=False)
        return value


async def read_capped(request: Request, cap: int) -> bytes:
    """Read a body that may come chunked without a length, stopping at the cap."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise HTTPException(413, "request body too large")
        chunks.append(chunk)
    return b"".join(chunks)
