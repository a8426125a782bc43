"""Plain data passed between stages.

Stages exchange these dataclasses (or their ``asdict`` form); none of them holds a
spaCy object, so they pickle cheaply to worker processes and Dask workers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    """One article after reading and cleaning.

    ``text`` is the cleaned body; every evidence offset of every event points into it.
    """

    id: str
    text: str
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    source: str | None = None  # outlet(s) as written, "; "-joined when several
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD publication date
    dateline_place: str | None = None  # "Pyongyang" from "Pyongyang, August 4 (KCNA) --"
    dateline_date: str | None = None  # YYYY-MM-DD resolved from the dateline
    language: str | None = None  # ISO 639-1 code, None when not detected
    caption: str | None = None  # photo caption kept apart from the body
    extraction: str = "text"  # how the body was obtained: text, jsonl, trafilatura, ...
    origin: str | None = None  # file (and line) the article came from
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class ReadFailure:
    """An input that could not become an article: which one, and why."""

    origin: str  # file path, with ":LINE" for a JSONL line
    kind: str  # one of ERROR_KINDS
    reason: str  # one human sentence

    def __str__(self) -> str:
        return f"{self.origin}: {self.kind}: {self.reason}"


# The documented rejection kinds; every reader failure uses one of them.
ERROR_KINDS = (
    "empty",  # no bytes, or only whitespace
    "binary",  # NUL bytes or a known binary signature
    "encoding",  # bytes that decode in no supported encoding
    "too_large",  # over the per-file / per-article size cap
    "no_article",  # HTML (or JSON) with no extractable article body
    "malformed",  # JSON / JSONL syntax or missing required field
    "truncated",  # truncated or corrupt gzip stream
    "language",  # not English (detected language in the reason)
    "timeout",  # extraction exceeded the per-article time cap
    "unsupported",  # a file kind we do not read
    "missing",  # path does not exist or cannot be opened
    "internal",  # a coding stage raised on this article; the batch goes on
)


@dataclass
class Actor:
    """A resolved actor as the event contract shows it."""

    text: str  # span as written
    name: str | None = None  # canonical name ("Kim Jong Un", "Russia")
    country: str | None = None  # ISO alpha-3 or "IGO"
    sector: str | None = None  # GOV MIL LEG MED CVL BUS ...
    code: str | None = None  # CAMEO-style actor code, e.g. PRKGOV

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Location:
    text: str
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
