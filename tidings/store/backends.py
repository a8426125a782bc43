"""Store backends by URL scheme: the one table a new database is added to.

``Store(target)`` looks the target's scheme up here: a plain path (or ``sqlite:///path``) is
SQLite, ``postgresql://`` and ``postgres://`` are PostgreSQL. A backend is a ``Store``
subclass implementing the hooks of ``tidings/store/base.py`` (connection, transactions,
streaming, the full-text parts) and raising ``StoreError`` for driver failures. Adding one is a
module with that class and one line in ``BACKENDS`` (or a ``register`` call); no caller
changes, and the CLI's exit code 3 and message come with ``StoreError``.
"""

from __future__ import annotations

import importlib
from typing import Any

from tidings.store.common import StoreError

# scheme -> "module:Class", imported on first use (a driver is loaded only when asked for).
BACKENDS: dict[str, Any] = {
    "sqlite": "tidings.store.sqlite:SQLiteStore",
    "postgresql": "tidings.store.postgres:PostgresStore",
    "postgres": "tidings.store.postgres:PostgresStore",
}

DEFAULT_SCHEME = "sqlite"


def register(scheme: str, backend: Any) -> None:
    """Make ``scheme://...`` targets open with ``backend`` (a Store subclass, or its
    "module:Class" path)."""
    BACKENDS[scheme.lower()] = backend


def scheme_of(target: str) -> str:
    """The scheme of a store target; a path without one is SQLite."""
    head, sep, _ = target.partition("://")
    if not sep or not head.replace("+", "").replace("-", "").isalnum():
        return DEFAULT_SCHEME
    return head.lower()


def backend_for(target: str) -> Any:
    """The Store subclass that opens ``target``; StoreError for an unknown scheme."""
    scheme = scheme_of(target)
    found = BACKENDS.get(scheme)
    if found is None:
        known = ", ".join(sorted(BACKENDS))
        raise StoreError(f"no store backend for {scheme}:// targets (known: {known})")
    if isinstance(found, str):
        module, _, name = found.partition(":")
        found = getattr(importlib.import_module(module), name)
        BACKENDS[scheme] = found
    return found
