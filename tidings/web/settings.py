"""The web app's guardrails as one validated settings object.

Every bound the app enforces — page sizes, request body and query caps, search time, thread
pools — is a field here with its default, its allowed range and one line on why. ``create_app``
takes a ``WebSettings`` (or a dict of overrides), ``tidings serve --setting name=value``
overrides any of them, and an unknown name or an out-of-range value fails at start with a
message naming the field (as datasette's ``--setting`` does), instead of being a module
constant that only monkeypatching changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from tidings import readers


@dataclass(frozen=True)
class Setting:
    """A field's allowed range and why it exists."""

    low: float
    high: float
    doc: str


# name → (lowest, highest, why). The defaults are the dataclass fields' own.
SPECS: dict[str, Setting] = {
    "max_body_bytes": Setting(1024, 1 << 30, "cap on any request body, ingest included"),
    "page_size": Setting(1, 1000, "rows per page of an event table and the JSON API"),
    "max_page": Setting(1, 100_000, "largest page the JSON API hands out (downloads stream "
                                    "the whole filtered set)"),
    "search_page": Setting(1, 1000, "articles per page of search results"),
    "actors_page": Setting(1, 10_000, "actors per page of the actors tables"),
    "network_nodes": Setting(2, 1000, "busiest countries drawn in the network graph (its "
                                      "table lists every pair)"),
    "place_page": Setting(1, 1000, "events per page of a map place's list"),
    "counterparts": Setting(1, 1000, "counterparts listed on an actor page (all on /actors)"),
    "request_threads": Setting(1, 256, "threads running the (sync) endpoints: every request "
                                       "needs the store's one connection, so more only fight "
                                       "over it (bench/load_test.py)"),
    "ingest_threads": Setting(1, 64, "threads coding POSTed articles, apart from readers'"),
    "search_threads": Setting(1, 64, "full-text searches run at once, each on a connection "
                                     "of its own, so a slow one never holds the others'"),
    "download_batch": Setting(1, 100_000, "rows per chunk of a streamed download"),
    "token_bytes": Setting(16, 256, "random bytes of the ingest token"),
    "max_month_bars": Setting(12, 10_000, "longer automatic timelines are drawn by year"),
    "max_offset": Setting(0, 10**12, "largest offset a page or the API accepts"),
    "max_param_chars": Setting(16, 100_000, "longest filter value (an actor name, a place)"),
    "max_query_chars": Setting(1, 100_000, "longest full-text query"),
    "max_query_terms": Setting(1, 100_000, "most terms in a full-text query (its cost grows "
                                           "with the square of repeated terms)"),
    "search_timeout_s": Setting(0.1, 3600, "a full-text search still running after this "
                                           "is stopped and answered 503"),
    "max_article_chars": Setting(1, 10**8, "longest article POSTed to /api/articles (the "
                                           "readers' cap, readers.MAX_ARTICLE_CHARS)"),
    "typeahead_results": Setting(1, 100, "suggestions the actor typeahead offers"),
    "cache_entries": Setting(0, 100_000, "aggregates kept per state of the store (a write "
                                         "empties the cache; 0 caches only whole-store "
                                         "values)"),
}


@dataclass(frozen=True)
class WebSettings:
    """The web app's guardrails (see SPECS for each one's range and reason)."""

    max_body_bytes: int = 2 * 1024 * 1024
    page_size: int = 50
    max_page: int = 1000
    search_page: int = 20
    actors_page: int = 100
    network_nodes: int = 60
    place_page: int = 10
    counterparts: int = 25
    request_threads: int = 4
    ingest_threads: int = 2
    search_threads: int = 2
    download_batch: int = 500
    token_bytes: int = 24
    max_month_bars: int = 180
    max_offset: int = 10_000_000
    max_param_chars: int = 500
    max_query_chars: int = 1000
    max_query_terms: int = 32
    search_timeout_s: float = 10.0
    max_article_chars: int = readers.MAX_ARTICLE_CHARS
    typeahead_results: int = 12
    cache_entries: int = 256

    def __post_init__(self) -> None:
        for f in fields(self):
            spec = SPECS[f.name]
            value = getattr(self, f.name)
            want = float if f.type in (float, "float") else int
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"setting {f.name} must be a number, not {value!r}")
            if want is int and not isinstance(value, int):
                raise ValueError(f"setting {f.name} must be a whole number, not {value!r}")
            if not spec.low <= value <= spec.high:
                raise ValueError(f"setting {f.name} must be between {spec.low:g} and "
                                 f"{spec.high:g}, not {value!r}")

    def with_overrides(self, overrides: Mapping[str, Any]) -> WebSettings:
        """A copy with these fields changed; strings are read as numbers ("5", "2.5")."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, value in overrides.items():
            if name not in known:
                raise ValueError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
            changes[name] = _number(name, value, float if known[name].type in (
                float, "float") else int)
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _number(name: str, value: Any, kind: type) -> Any:
    if isinstance(value, str):
        try:
            return kind(value.strip())
        except ValueError:
            raise ValueError(f"setting {name} must be a {kind.__name__}, not {value!r}") from None
    return value


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["name=value", ...]`` (the CLI's ``--setting``) → a dict; a pair without "=" fails."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"a setting is name=value, not {pair!r}")
        out[name.strip()] = value.strip()
    return out


def settings_from(value: WebSettings | Mapping[str, Any] | None) -> WebSettings:
    """The settings create_app was given: an object, overrides of the defaults, or none."""
    if value is None:
        return WebSettings()
    if isinstance(value, WebSettings):
        return value
    return WebSettings().with_overrides(value)
