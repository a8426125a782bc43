"""Plain data passed between stages: the typed contract of the pipeline.

Stages exchange these dataclasses and mappings; none of them holds a spaCy object, so they
pickle cheaply to worker processes and Dask workers. ``Event`` is a TypedDict rather than a
dataclass because the event is also the public JSON Lines contract, which the store, the
exporters and the web app read as a mapping: the type names every key once, for mypy and
for a reader, and costs nothing at run time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, NotRequired, TypedDict


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


class ActorRef(TypedDict):
    """An event's source or target as the contract writes it (``Actor.to_dict()``)."""

    text: str
    name: str | None
    country: str | None
    sector: str | None
    code: str | None


class LocationRef(TypedDict):
    """An event's place as the contract writes it (``Location.to_dict()``)."""

    text: str | None
    name: str | None
    country: str | None
    lat: float | None
    lon: float | None


@dataclass
class Actor:
    """A resolved actor as the event contract shows it."""

    text: str  # span as written
    name: str | None = None  # canonical name ("Kim Jong Un", "Russia")
    country: str | None = None  # ISO alpha-3 or "IGO"
    sector: str | None = None  # GOV MIL LEG MED CVL BUS ...
    code: str | None = None  # CAMEO-style actor code, e.g. PRKGOV

    def to_dict(self) -> ActorRef:
        return ActorRef(text=self.text, name=self.name, country=self.country,
                        sector=self.sector, code=self.code)


@dataclass
class Location:
    """A place from the gazetteer (``where.lookup``)."""

    text: str
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> LocationRef:
        return LocationRef(text=self.text, name=self.name, country=self.country,
                           lat=self.lat, lon=self.lon)


class Span(TypedDict):
    """Character offsets ``[start, end)`` into the cleaned ``Article.text``."""

    start: int
    end: int


class Evidence(TypedDict):
    """One telling of a merged event: its sentence's offsets and index."""

    start: int | None
    end: int | None
    sentence_index: int | None


# Who speaks an event: "actor" for an act the article reports, "outlet" for the speech act
# of an outlet that speaks for a state (KCNA condemning what it reports): such an act
# happens when the article is published, which decides how the dates stage dates it.
Voice = Literal["actor", "outlet"]


class Event(TypedDict):
    """One coded event: the public contract (README, "The event contract") in its key order.

    ``events.extract`` fills every key but the ``date*`` ones, ``location``, ``id`` and
    ``evidences``; ``when.date_events`` fills the dates, ``where.locate_events`` the place,
    ``merge.merge_events`` adds ``evidences`` and ``id``. ``voice`` is internal: it passes
    from the events stage to the dates stage and the pipeline removes it before output.
    """

    doc_id: str
    sentence_index: int
    sentence: str
    event_type: str
    mode: str | None
    cameo: str
    quad_class: int
    goldstein: float | None
    plover_score: float | None
    source: ActorRef
    target: ActorRef | None
    event_text: str
    evidence: Span
    trigger: Span
    rule: str
    date: str | None
    date_precision: str | None
    date_text: str | None
    date_source: str | None
    location: LocationRef | None
    voice: NotRequired[Voice]
    proposal: NotRequired[dict[str, Any]]  # internal: the rules' verdict, for decide
    confidence: NotRequired[float | None]  # the decide model's probability; None: rules
    evidences: NotRequired[list[Evidence]]
    id: NotRequired[str]


def public(event: Event) -> Event:
    """The event without its internal keys (``voice``), the other keys in their order."""
    out = event.copy()
    out.pop("voice", None)
    out.pop("proposal", None)
    return out


MentionKind = Literal["name", "country", "igo", "title", "metonym", "pronoun", "description",
                      "group", "place"]


@dataclass
class Mention:
    """An actor mention in a parsed article (``actors.find_mentions``), what events read."""

    start: int  # char offsets in article.text (== doc.text)
    end: int
    tok_start: int  # token span [tok_start, tok_end) in the Doc
    tok_end: int
    head: int  # token index of the mention's syntactic head
    actors: list[Actor]  # usually one; "the two sides" → two
    kind: MentionKind
    rule: str  # how it was resolved, e.g. "kb:person", "coref:pronoun"
    person: bool = field(default=False, repr=False)  # an individual (for he/she coreference)
