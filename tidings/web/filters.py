"""The filter bar: one set of URL parameters read, checked and resolved the same way on
every page and API route.

Parameters (every page keeps them in its URL, every link passes them on):

    a, b       a dyad's two sides          actor     either side (without a dyad)
    dir        both | ab | ba              type      PLOVER type or CAMEO code (repeatable)
    quad       quad class 1-4              since / until  YYYY[-MM[-DD]], real dates
    basis      event | published           outlet    an outlet of the store
    geo        city | region | country | dateline | none (repeatable)
    place      a place key ("PRK/Pyongyang")   dprec   day | month | year
    q          full-text query              count     events (clusters) | mentions
    share      1: per 100 articles          by        auto | month | year
    sort/order an events table's order      offset    rows skipped

Actor values are typed as people type them: "DPRK", "North Korea", "Putin", "RUS",
"PRKGOV" — the knowledge base's names and aliases and the store's own keys resolve them
to one identity (``ActorIndex``), so "Russia" and "RUS" select the same events. A value
that cannot be read is never silently dropped: it becomes a message for the page (and a
400 for the API).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from tidings import ontology
from tidings.store import QueryError, derive
from tidings.store.common import parse_query
from tidings.store.views import BASES, DIRECTIONS, NO_PLACE, SORTS, ViewFilter
from tidings.web.settings import WebSettings

# Parameters of the filter bar, in the order links write them; repeatable ones take lists.
FILTER_KEYS = ("a", "b", "dir", "actor", "type", "quad", "since", "until", "basis", "outlet",
               "geo", "place", "dprec", "q")
VIEW_KEYS = ("count", "share", "by", "sort", "order")
REPEATABLE = frozenset({"type", "geo"})
BY_CHOICES = ("auto", "month", "year")
DATE_PRECISIONS = ("day", "month", "year")
COUNT_CHOICES = ("events", "mentions")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CAMEO = re.compile(r"^\d{2,4}$")
_CODE = re.compile(r"^[A-Z]{3}[A-Z0-9]{0,9}$")


class FilterError(ValueError):
    """Filters that cannot be read: ``errors`` maps each parameter to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


@dataclass
class Parsed:
    """A request's filters: as typed (``form``, to re-fill the bar), resolved (``view``),
    the view options, and a message per parameter that could not be read."""

    form: dict[str, Any]
    view: ViewFilter
    count: str = "events"
    share: bool = False
    by: str = "auto"
    sort: str = "date"
    order: str = "asc"
    offset: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # a / b / actor → readable name

    @property
    def unique(self) -> bool:
        return self.count == "events"

    def query(self, **changes: Any) -> str:
        """This request's filters and view options as a query string, with ``changes``
        (None drops a key): what every link of a page passes on."""
        return query_string({**self.form, **self.options()}, **changes)

    def filters_query(self, **changes: Any) -> str:
        """Only the filters (no view options): links to another view."""
        return query_string(self.form, **changes)

    def options(self) -> dict[str, Any]:
        return {"count": "" if self.count == "events" else self.count,
                "share": "1" if self.share else "", "by": "" if self.by == "auto" else self.by,
                "sort": "" if self.sort == "date" else self.sort,
                "order": "" if self.order == "asc" else self.order}


def query_string(values: Mapping[str, Any], **changes: Any) -> str:
    """A query string of the non-empty values (lists repeat their key), ``changes`` applied."""
    merged = {**values, **changes}
    pairs: list[tuple[str, str]] = []
    for key in (*FILTER_KEYS, *VIEW_KEYS, *sorted(set(merged) - set(FILTER_KEYS)
                                                   - set(VIEW_KEYS))):
        value = merged.get(key)
        if value is None or value == "" or value == []:
            continue
        for v in value if isinstance(value, list | tuple) else [value]:
            if v not in (None, ""):
                pairs.append((key, str(v)))
    return urlencode(pairs)


# ------------------------------------------------------------------------------ actor names


@dataclass(frozen=True)
class Suggestion:
    label: str  # what the typeahead shows
    value: str  # what it puts in the field (a name the index resolves)
    kind: str
    key: str
    mentions: int  # mentions in the store (0: only in the knowledge base)


class ActorIndex:
    """Every name an analyst may type for an actor → its identity key.

    The knowledge base's names and aliases (countries, organisations, people; indexed once
    per process, ``kb_names``), the people and organisations the store names that the KB
    lacks (``named``: their keys and mentions, read once per state of the store), and the
    store's mention counts of any other key, asked only for the keys at hand (``count``), so
    no request scans every actor row. ``resolve`` is exact (after the KB's normalisation);
    ``suggest`` completes a prefix, names with events first.
    """

    CANDIDATES = 200  # most names a prefix's suggestions are ranked among

    def __init__(self, kb: Any, named: Iterable[Mapping[str, Any]],
                 count: Callable[[list[str]], dict[str, int]]) -> None:
        self.kb = kb
        self.count = count
        self.mentions: dict[str, int] = {}
        self.by_label: dict[str, str] = {}
        entries: list[tuple[str, str, str, str]] = []
        for row in named:
            key = row["key"]
            self.mentions[key] = self.mentions.get(key, 0) + int(row["mentions"])
            label = derive.key_label(key)
            self.by_label.setdefault(_fold(label), key)
            entries.append((_fold(label), label, key, derive.kind_of_key(key)))
        entries.sort()
        self._named = ([e[0] for e in entries], entries)

    def exists(self, key: str) -> bool:
        """Whether the store has an event with this actor."""
        return key in self.mentions or self.count([key]).get(key, 0) > 0

    def resolve(self, text: str, date: str | None = None) -> str | None:
        """The identity key of a typed actor, or None when nothing knows the name."""
        value = " ".join(text.split())
        if not value:
            return None
        if value.startswith(tuple(derive.KEY_PREFIX.values())):
            return value if value in self.mentions or self._kb_key(
                derive.key_name(value)) == value else None
        upper = value.upper()
        if _CODE.match(upper) and (self._is_country(upper) or self.exists(upper)):
            return upper
        found = self._kb_key(value, date)
        if found:
            return found
        return self.by_label.get(_fold(value))

    def _kb_key(self, value: str, date: str | None = None) -> str | None:
        entry = self.kb.lookup(value, date) or self.kb.lookup(value.title(), date)
        return _entry_key(entry) if entry is not None else None

    def _is_country(self, code: str) -> bool:
        return len(code) == 3 and self.kb.country(code) is not None

    def suggest(self, prefix: str, limit: int) -> list[Suggestion]:
        """Names starting with ``prefix`` (any case), one per identity, busiest first."""
        folded = _fold(prefix)
        if not folded:
            return []
        found: dict[str, tuple[str, str]] = {}  # key → (surface, kind)
        for keys, entries in (self._named, kb_names()):
            i = bisect.bisect_left(keys, folded)
            while (i < len(entries) and keys[i].startswith(folded)
                   and len(found) < self.CANDIDATES):
                _, surface, key, kind = entries[i]
                found.setdefault(key, (surface, kind))
                i += 1
        counts = self.count([k for k in found if k not in self.mentions])
        ranked = sorted(
            (Suggestion(_suggest_label(surface, key), surface, kind, key,
                        self.mentions.get(key, counts.get(key, 0)))
             for key, (surface, kind) in found.items()),
            key=lambda s: (-s.mentions, len(s.value), s.value))
        return ranked[:limit]


@lru_cache(maxsize=1)
def kb_names() -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """The knowledge base's surface forms, folded and sorted: (folded, surface, key, kind)."""
    from tidings import kb

    entries = []
    for surface, entry in kb.load().phrases():
        key = _entry_key(entry)
        if key:
            entries.append((_fold(surface), surface, key, derive.kind_of_key(key)))
    entries.sort()
    return [e[0] for e in entries], entries


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _entry_key(entry: Any) -> str | None:
    """The identity key of a knowledge-base entry (derive.resolve_actor's rules)."""
    if entry.kind == "person":
        return derive.KEY_PREFIX[derive.PERSON] + entry.name
    if entry.kind in ("group", "igo"):
        if entry.name[:1].isupper():
            return derive.KEY_PREFIX[derive.ORGANISATION] + entry.name
        return (entry.code or entry.country or "").upper() or None
    return (entry.country or entry.code or "").upper() or None


def _suggest_label(surface: str, key: str) -> str:
    label = derive.key_label(key)
    return label if _fold(label) == _fold(surface) else f"{surface} → {label}"


# ------------------------------------------------------------------------------ parsing


def check_date(value: str, name: str) -> str:
    """A real date at year, month or day precision; raises ValueError with the reason."""
    m = _DATE.match(value)
    if not m:
        raise ValueError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if not 1000 <= year <= 2999:
        raise ValueError(f"{value} is no date: year {year} is out of range")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value} is no date: there is no month {month}")
    if day is not None:
        try:
            dt.date(year, int(month or 1), int(day))
        except ValueError:
            raise ValueError(f"{value} is no date: that day is not in the calendar") from None
    return value


def _one(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return "" if value is None else str(value).strip()


def _many(params: Mapping[str, Any], key: str) -> list[str]:
    value = params.get(key)
    values = value if isinstance(value, list | tuple) else [value] if value else []
    out: list[str] = []
    for v in values:
        out += [p.strip() for p in str(v).split(",") if p.strip()]
    return out


def read_form(params: Mapping[str, Any]) -> dict[str, Any]:
    """The filter bar's values as typed: strings, lists for the repeatable parameters."""
    return {k: (_many(params, k) if k in REPEATABLE else _one(params, k)) for k in FILTER_KEYS}


class _Reader:
    """Reads one request's parameters, collecting a message per bad one."""

    def __init__(self, form: dict[str, Any], index: Callable[[], ActorIndex],
                 settings: WebSettings, outlets: Iterable[str]) -> None:
        self.form, self._index, self.settings = form, index, settings
        self.outlets = set(outlets)
        self.errors: dict[str, str] = {}
        self.labels: dict[str, str] = {}

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def text(self, key: str) -> str:
        value = self.form[key]
        if len(value) > self.settings.max_param_chars:
            self.fail(key, f"too long ({len(value):,} characters; at most "
                           f"{self.settings.max_param_chars:,})")
            return ""
        return value

    def actor(self, key: str) -> str | None:
        value = self.text(key)
        if not value:
            return None
        index = self._index()
        found = index.resolve(value)
        if found is None:
            hints = [s.value for s in index.suggest(value[:3], 5)]
            hint = f" — did you mean {', '.join(hints)}?" if hints else ""
            self.fail(key, f"no actor called {value!r} is known{hint}")
            return None
        self.labels[key] = derive.key_label(found)
        return found

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        value = self.text(key) or default
        if value not in choices:
            self.fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
            return default
        return value

    def date(self, key: str) -> str | None:
        value = self.text(key)
        if not value:
            return None
        try:
            return check_date(value, "from" if key == "since" else "to")
        except ValueError as exc:
            self.fail(key, str(exc))
            return None

    def types(self) -> tuple[tuple[str, ...], str | None]:
        plover, cameo = [], None
        for value in self.form["type"]:
            if _CAMEO.match(value):
                cameo = value
                continue
            name = ontology.normalize_type(value)
            if name not in ontology.PLOVER_TYPES:
                self.fail("type", f"unknown event type {value!r}: a PLOVER type ("
                                  f"{', '.join(ontology.PLOVER_TYPES)}) or a CAMEO code")
                continue
            plover.append(name)
        return tuple(plover), cameo

    def quad(self) -> int | None:
        value = self.text("quad")
        if not value:
            return None
        if value not in ("1", "2", "3", "4"):
            self.fail("quad", f"quad class must be 1, 2, 3 or 4, not {value!r}")
            return None
        return int(value)

    def geo(self) -> tuple[str, ...]:
        allowed = (*derive.GEO_PRECISIONS, NO_PLACE)
        bad = [g for g in self.form["geo"] if g not in allowed]
        if bad:
            self.fail("geo", f"place precision must be among {', '.join(allowed)}, not "
                             f"{', '.join(map(repr, bad))}")
        return tuple(g for g in self.form["geo"] if g in allowed)

    def query(self) -> str | None:
        value = self.form["q"]
        if not value:
            return None
        if len(value) > self.settings.max_query_chars:
            self.fail("q", f"the text query is {len(value):,} characters long; at most "
                           f"{self.settings.max_query_chars:,}")
            return None
        try:
            terms = parse_query(value)
        except QueryError as exc:
            self.fail("q", str(exc))
            return None
        if len(terms) > self.settings.max_query_terms:
            self.fail("q", f"the text query has {len(terms)} terms; at most "
                           f"{self.settings.max_query_terms}")
            return None
        return value

    def outlet(self) -> str | None:
        value = self.text("outlet")
        if value and value not in self.outlets:
            self.fail("outlet", f"no article of the store comes from {value!r}")
            return None
        return value or None


def parse(params: Mapping[str, Any], index: Callable[[], ActorIndex], settings: WebSettings,
          outlets: Iterable[str]) -> Parsed:
    """Read a request's filter bar and view options; bad values become ``errors``."""
    form = read_form(params)
    r = _Reader(form, index, settings, outlets)
    a, b, actor = r.actor("a"), r.actor("b"), r.actor("actor")
    if bool(form["a"]) != bool(form["b"]) and "a" not in r.errors and "b" not in r.errors:
        r.fail("b" if form["a"] else "a", "a dyad needs both actors, A and B")
    types, cameo = r.types()
    since, until = r.date("since"), r.date("until")
    if since and until and derive.bound_low(since) > derive.bound_high(until):
        r.fail("until", f"the range ends ({until}) before it starts ({since})")
    view = ViewFilter(
        a=a if a and b else None, b=b if a and b else None,
        direction=r.choice("dir", DIRECTIONS, "both"), actor=actor, types=types,
        cameo=cameo, quad_class=r.quad(), since=since, until=until,
        basis=r.choice("basis", BASES, "event"), outlet=r.outlet(), geo=r.geo(),
        place=r.text("place") or None, q=r.query(),
        date_precision=r.choice("dprec", ("", *DATE_PRECISIONS), "") or None,
    )
    parsed = Parsed(form=form, view=view, errors=r.errors, labels=r.labels)
    _read_options(parsed, params, settings)
    return parsed


def _read_options(p: Parsed, params: Mapping[str, Any], settings: WebSettings) -> None:
    def choice(key: str, choices: Iterable[str], default: str) -> str:
        value = _one(params, key) or default
        if value not in choices:
            p.errors.setdefault(key, f"must be one of {', '.join(choices)}, not {value!r}")
            return default
        return value

    p.count = choice("count", COUNT_CHOICES, "events")
    p.share = choice("share", ("", "0", "1"), "") == "1"
    p.by = choice("by", BY_CHOICES, "auto")
    p.sort = choice("sort", tuple(SORTS), "date")
    p.order = choice("order", ("asc", "desc"), "asc")
    raw = _one(params, "offset")
    if raw:
        if not raw.isdigit() or int(raw) > settings.max_offset:
            p.errors.setdefault("offset", f"offset must be a whole number from 0 to "
                                          f"{settings.max_offset:,}, not {raw[:40]!r}")
        else:
            p.offset = int(raw)
