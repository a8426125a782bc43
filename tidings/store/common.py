"""Pure helpers shared by both store backends: identity of articles, query parsing, row shapes.

Nothing here touches a database, so every rule (what counts as the same article, how a user
query becomes a safe full-text expression, how a date filter reads) is the same on SQLite and
PostgreSQL and can be tested without either.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


class QueryError(ValueError):
    """A user query or filter that cannot be turned into a database query."""


class QueryTimeout(QueryError):
    """A query ran past ``Limits.search_timeout_s`` (or was cancelled) and was stopped."""


class StoreError(RuntimeError):
    """The store cannot be opened, read or written (read-only file, full disk, server gone,
    unknown backend). Every backend raises this one type, with a message for the user (the
    driver's first line and, where known, what it means); the driver's exception is its
    ``__cause__``. The CLI prints it as one line and exits 3."""


# Query-string parameters that only track where a click came from; they never change the page.
TRACKING_PREFIXES = ("utm_",)


def normalize_url(url: str | None) -> str | None:
    """The URL as an identity key: one article reached by two tracked links is one article.

    Lowercase scheme and host, drop the default port, the fragment, ``utm_*`` parameters and a
    trailing slash of the path. Parameter order is kept (it can matter to the server).
    """
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # malformed netloc or port: still an identity key, just less normal
        return url.split("#", 1)[0].rstrip("/")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if (scheme, port) in (("http", 80), ("https", 443)):
        port = None
    netloc = host if port is None else f"{host}:{port}"
    if parts.username:
        cred = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{cred}@{netloc}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PREFIXES)
    ]
    # (whitespace too: "http://ex.org/ ?" leaves the path "/ ", and a second pass, which
    # strips the URL first, would take the slash off: the key must be a fixed point)
    path = _PATH_END.sub("", parts.path)
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


_PATH_END = re.compile(r"[\s/]+$")


_WS = re.compile(r"\s+")


def text_hash(text: str) -> str:
    """SHA-256 of the text casefolded with whitespace collapsed: re-spaced copies are one text."""
    norm = _WS.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Full-text queries
#
# A user query is parsed into terms and nothing else: runs of word characters, or "quoted
# phrases". Everything else — FTS5 operators, NEAR(, *, ^, column filters, parentheses,
# stray quotes — is dropped. Terms are ANDed; a bare ``OR`` between two terms ORs them; a
# leading ``-`` or a bare ``NOT`` excludes a term; bare ``AND`` and ``NEAR`` are dropped.
# Each term is then quoted for the backend, so no user text is ever read as syntax.

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([\w]+(?:[\'’.][\w]+)*)', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
# Bare upper-case words read as operators (as users type them); lower-case "or" is a word.
OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    negated: bool = False
    or_before: bool = False  # joined to the previous term by OR instead of AND


def parse_query(
    q: str | None,
    max_terms: int | None = None,
    max_chars: int | None = None,
    *,
    distinct: bool = False,
) -> list[Term]:
    """Terms of a user query; raises QueryError when nothing searchable remains, when the
    query is longer than ``max_chars`` or holds more than ``max_terms`` terms.

    ``distinct``: a repeated term (the same words, negated or not) counts once: "kim kim kim"
    is "kim". The cost of a full-text match grows with the square of its terms on both
    backends, so a query of 1,500 copies of one word stalled the web app (issue #14, item 5);
    the store's own searches ask for distinct terms (Store._terms).
    """
    if q is None or not q.strip():
        raise QueryError("empty search query")
    if max_chars is not None and len(q) > max_chars:
        raise QueryError(f"search query of {len(q):,} characters; at most {max_chars:,} "
                         "(max_query_chars)")
    terms = _distinct(_terms(q)) if distinct else _terms(q)
    if not terms or all(t.negated for t in terms):
        raise QueryError(f"no searchable words in query {q!r}")
    if max_terms is not None and len(terms) > max_terms:
        what = "distinct terms" if distinct else "terms"
        raise QueryError(f"search query of {len(terms):,} {what}; at most {max_terms:,} "
                         "(max_query_terms)")
    return terms


def _distinct(terms: list[Term]) -> list[Term]:
    """The terms without repeats (first occurrence kept)."""
    seen: set[tuple[tuple[str, ...], bool]] = set()
    out = []
    for t in terms:
        key = (tuple(w.casefold() for w in t.words), t.negated)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _terms(q: str) -> list[Term]:
    """Every term of a query, in order (see the section comment above)."""
    terms: list[Term] = []
    pending_or = pending_not = False
    for m in _TOKEN.finditer(q):
        neg = bool(m.group(1) or m.group(3))
        raw = m.group(2) if m.group(2) is not None else m.group(4)
        if m.group(4) is not None and not neg and raw in OPERATOR_WORDS:
            if raw == "OR":
                pending_or = bool(terms)
            elif raw == "NOT":
                pending_not = True
            continue  # AND is implicit; NEAR has no equivalent and is dropped
        if pending_not:
            neg, pending_not = True, False
        words = tuple(_WORD.findall(raw))
        if not words:
            continue
        terms.append(Term(words, neg, pending_or and not neg))
        pending_or = False
    return terms


def fts5_expression(terms: list[Term]) -> str:
    """SQLite FTS5 MATCH string: each term double-quoted (a phrase when several words).

    Positive terms come first (joined by AND / OR), each negated term is then cut with NOT,
    since FTS5 has no unary NOT.
    """
    pos: list[str] = []
    for t in terms:
        if t.negated:
            continue
        if pos:
            pos.append("OR" if t.or_before else "AND")
        pos.append(_fts5_quote(t))
    neg = [_fts5_quote(t) for t in terms if t.negated]
    expr = " ".join(pos)
    return f"({expr}) NOT " + " NOT ".join(neg) if neg else expr


def _fts5_quote(t: Term) -> str:
    return '"' + " ".join(t.words).replace('"', '""') + '"'


def websearch_expression(terms: list[Term]) -> str:
    """PostgreSQL websearch_to_tsquery string: the same terms, quoted the same way."""
    out: list[str] = []
    for t in terms:
        quoted = '"' + " ".join(t.words) + '"'
        if t.negated:
            quoted = "-" + quoted
        elif t.or_before and out:
            out.append("or")
        out.append(quoted)
    return " ".join(out)


# ---------------------------------------------------------------------------------------------
# Dates

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_period(value: str | None, name: str) -> str | None:
    """A since/until bound: "YYYY", "YYYY-MM" or "YYYY-MM-DD"; anything else is a QueryError."""
    if value is None or value == "":
        return None
    value = str(value).strip()
    if not _DATE.match(value):
        raise QueryError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return value


PERIOD_LENGTH = {"month": 7, "year": 4}


def period_length(by: str) -> int:
    try:
        return PERIOD_LENGTH[by]
    except KeyError:
        choices = sorted(PERIOD_LENGTH)
        raise QueryError(f"timeline period must be one of {choices}, not {by!r}") from None


def split_dyad(dyad: str) -> tuple[str, str]:
    """"PRK-RUS" → ("PRK", "RUS"); also accepts ":" "," "/" or a space as the separator."""
    parts = [p for p in re.split(r"[-:,/\s]+", dyad.strip()) if p]
    if len(parts) != 2:
        raise QueryError(f"dyad must name two actors like 'PRK-RUS', not {dyad!r}")
    return parts[0].upper(), parts[1].upper()


def like_escape(s: str) -> str:
    """Escape LIKE wildcards so a user's '%' or '_' matches itself (ESCAPE '\\')."""
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------------------------------------
# Events ↔ rows

# PostgreSQL text and jsonb cannot hold NUL; U+FFFD has the same length in characters, so every
# evidence offset into the text still points at the same place. Applied on both backends so
# they store the same thing.
NUL = "\x00"
NUL_REPLACEMENT = "\ufffd"


def without_nul(value: Any) -> Any:
    """``value`` with NUL replaced in every string, recursively through dicts and lists."""
    if isinstance(value, str):
        return value.replace(NUL, NUL_REPLACEMENT) if NUL in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(without_nul(v) for v in value)
    return value


ACTOR_FIELDS = ("text", "name", "country", "sector", "code")
LOCATION_FIELDS = ("text", "name", "country", "lat", "lon")

# Flat columns taken directly from the event dict.
PLAIN_FIELDS = (
    "doc_id", "sentence_index", "sentence", "event_type", "mode", "cameo", "quad_class",
    "goldstein", "plover_score", "date", "date_precision", "date_text", "date_source",
    "event_text", "rule",
)  # fmt: skip

# Keys stored in their own columns (or tables); every other key goes to the JSON column.
KNOWN_KEYS = frozenset(
    PLAIN_FIELDS + ("id", "source", "target", "location", "evidence", "evidences", "trigger")
)

EVENT_COLUMNS = (
    ("id",)
    + PLAIN_FIELDS
    + tuple(f"source_{f}" for f in ACTOR_FIELDS)
    + tuple(f"target_{f}" for f in ACTOR_FIELDS)
    + tuple(f"loc_{f}" for f in LOCATION_FIELDS)
    + ("ev_start", "ev_end", "trigger_start", "trigger_end", "has_target", "has_location",
       "extra")
)  # fmt: skip


def _span(d: Any) -> tuple[Any, Any]:
    if isinstance(d, dict):
        return d.get("start"), d.get("end")
    return None, None


def event_row(event: dict[str, Any], article_id: str, seq: int) -> dict[str, Any]:
    """Flatten one event dict into column values; unknown keys survive in ``extra`` (JSON)."""
    row: dict[str, Any] = {"id": event.get("id") or f"{article_id}-e{seq}"}
    for f in PLAIN_FIELDS:
        row[f] = event.get(f)
    if row["doc_id"] is None:
        row["doc_id"] = article_id
    for side in ("source", "target"):
        actor = event.get(side) or {}
        for f in ACTOR_FIELDS:
            row[f"{side}_{f}"] = actor.get(f)
    loc = event.get("location") or {}
    for f in LOCATION_FIELDS:
        row[f"loc_{f}"] = loc.get(f)
    row["ev_start"], row["ev_end"] = _span(event.get("evidence"))
    row["trigger_start"], row["trigger_end"] = _span(event.get("trigger"))
    row["has_target"] = 1 if event.get("target") else 0
    row["has_location"] = 1 if event.get("location") else 0
    extra = {k: v for k, v in event.items() if k not in KNOWN_KEYS}
    row["extra"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
    return row


def evidence_rows(event: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
    """(start, end, sentence_index) of every telling; the single evidence when not merged."""
    spans = event.get("evidences")
    if spans:
        return [(s.get("start"), s.get("end"), s.get("sentence_index")) for s in spans]
    start, end = _span(event.get("evidence"))
    if start is None and end is None:
        return []
    return [(start, end, event.get("sentence_index"))]


def _num(v: Any) -> Any:
    """Database numerics (Decimal from PostgreSQL) as plain float."""
    if v is None or isinstance(v, (int, float)):
        return v
    return float(v)


# (key, column) pairs of the nested dicts, built once: row_event runs for every event read.
_SOURCE_COLUMNS = tuple((f, f"source_{f}") for f in ACTOR_FIELDS)
_TARGET_COLUMNS = tuple((f, f"target_{f}") for f in ACTOR_FIELDS)
_LOCATION_COLUMNS = tuple((f, f"loc_{f}") for f in LOCATION_FIELDS)


def row_event(row: dict[str, Any], evidences: list[dict[str, Any]] | None) -> dict[str, Any]:
    """Rebuild the public event dict (nested source/target/location/evidence) from a row."""
    ev: dict[str, Any] = {"id": row["id"]}
    for f in PLAIN_FIELDS:
        ev[f] = row[f]
    ev["goldstein"] = _num(ev["goldstein"])
    ev["plover_score"] = _num(ev["plover_score"])
    ev["source"] = {f: row[c] for f, c in _SOURCE_COLUMNS}
    ev["target"] = {f: row[c] for f, c in _TARGET_COLUMNS} if row["has_target"] else None
    if row["has_location"]:
        loc = {f: row[c] for f, c in _LOCATION_COLUMNS}
        loc["lat"], loc["lon"] = _num(loc["lat"]), _num(loc["lon"])
        ev["location"] = loc
    else:
        ev["location"] = None
    ev["evidence"] = {"start": row["ev_start"], "end": row["ev_end"]}
    ev["trigger"] = (
        {"start": row["trigger_start"], "end": row["trigger_end"]}
        if row["trigger_start"] is not None or row["trigger_end"] is not None
        else None
    )
    ev["evidences"] = evidences if evidences is not None else []
    extra = row.get("extra")
    if extra:
        if isinstance(extra, str):
            extra = json.loads(extra)
        for k, v in extra.items():
            ev.setdefault(k, v)
    return ev
