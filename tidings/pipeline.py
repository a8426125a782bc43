"""The composing function: the one place where the stages meet.

``code_articles`` runs, for every article::

    clean      clean.clean                  furniture, datelines, glued names
    language   language.detect              non-English text is reported, not coded
    parse      nlp.load().pipe              sentences, tokens, entities, dependencies

and then the post-parse stages that ``Settings.stages`` names, in its order (``STAGES``;
by default all of them)::

    mentions     actors.find_mentions         KB lookup, titles, coreference
    events       events.propose               dependency patterns -> PLOVER / CAMEO candidates
    discourse    discourse.propose            documents, conditions, senders, topics, agentless
    dates        when.date_events             dates vs publication date and dateline
    places       where.locate_events          places vs gazetteer
    aim          events.aim_at_place          an attack's unnamed target: where it struck
    alternatives discourse.alternatives       other targets and types for each candidate (a
                                              visit with another target placed again)
    decide       scorer.decide                the model (or the rules) chooses the events
    merge        merge.merge_events           one interaction -> one event, many evidences

and, with the article, its tone (tone.article_tone) and MinHash fingerprint
(dedup.fingerprint), by which the store links it to others. With ``TIDINGS_PREFILTER=1`` a
cheap first pass (prefilter.py) leaves out of the parse the sentences not worth it.

Rules propose, a model decides (issue #11): the stages before ``decide`` build every
candidate with the rules' verdict; ``decide`` keeps what the shipped model scores at or above
its threshold (``Settings.decider = "model"``), or exactly what the rules keep
(``"rules"``, the ablation).

Each stage takes and returns plain data (plus the spaCy Doc, which never leaves this
module), and none runs another. Readers run before this function, stores after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from . import (
    actors,
    clean,
    dedup,
    discourse,
    events,
    language,
    merge,
    nlp,
    prefilter,
    scorer,
    tone,
    when,
    where,
)
from .model import Article, Event, Mention, ReadFailure, public
from .settings import Settings
from .syntax import doc_text, sentences

# Languages coded as English. lingua's answer on an English text is "en"; None means the
# detector was not confident (very short texts), which we code rather than drop.
ENGLISH = {"en", None}


@dataclass
class CodedArticle:
    """An article with its events and sentences, ready for a store or an output format.

    ``tone`` (tone.py) and ``fingerprint`` (dedup.py's MinHash) are properties of the article
    alone, so they are computed here, in whichever process codes it; the store only links the
    article to others with them.
    """

    article: Article
    events: list[Event] = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    tone: float | None = None
    fingerprint: dedup.Fingerprint | None = None

    def to_dict(self) -> dict[str, Any]:
        fp = self.fingerprint
        return {
            "article": self.article.to_dict(),
            "events": self.events,
            "sentences": self.sentences,
            "tone": self.tone,
            "fingerprint": None if fp is None else {"size": fp.size, "hashvalues": fp.hashvalues},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CodedArticle:
        fp = d.get("fingerprint")
        return cls(Article.from_dict(d["article"]), d["events"], d["sentences"], d.get("tone"),
                   None if fp is None else dedup.Fingerprint(fp["size"], fp["hashvalues"]))


def prepare(article: Article, settings: Settings | None = None) -> Article | ReadFailure:
    """Clean an article and check its language: the stages before parsing."""
    cleaned = clean.clean(article, Settings.of(settings))
    if not cleaned.text.strip():
        return ReadFailure(cleaned.origin or cleaned.id, "empty", "no body text after cleaning")
    if cleaned.language is None:
        cleaned.language = language.detect(cleaned.text)
    if cleaned.language not in ENGLISH:
        return ReadFailure(
            cleaned.origin or cleaned.id,
            "language",
            f"text is in language '{cleaned.language}', not English; not coded",
        )
    return cleaned


@dataclass
class Work:
    """One parsed article on its way through the post-parse stages."""

    doc: Doc
    article: Article
    settings: Settings
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def _mentions(w: Work) -> None:
    w.mentions = actors.find_mentions(w.doc, w.article, w.settings)


def _events(w: Work) -> None:
    w.events = events.propose(w.doc, w.mentions, w.article, w.settings)


def _discourse(w: Work) -> None:
    w.events = discourse.propose(w.doc, w.mentions, w.article, w.events)


def _alternatives(w: Work) -> None:
    w.events = discourse.alternatives(w.events, w.doc, w.mentions, w.article)
    if "places" in w.settings.stages:
        # an alternative shares its candidate's place, but a visit's place is the visited
        # country's ("will visit Fiji, Palau and ...": each visit in its own country), so
        # a visit with another target is placed again
        moved = [ev for ev in w.events
                 if discourse.is_target_alternative(ev) and where.follows_target(ev)]
        if moved:  # most articles have none: spare them the outlet lookup and the placing
            where.locate_events(moved, w.doc, w.article, w.settings,
                                actors.outlet_voice(w.article))


def _decide(w: Work) -> None:
    model = scorer.load_model() if w.settings.decider == "model" else None
    w.events = scorer.decide(w.events, w.doc, w.article, actors.outlet_country(w.article),
                             model=model)


def _dates(w: Work) -> None:
    w.events = when.date_events(w.events, w.doc, w.article, w.settings)


def _places(w: Work) -> None:
    w.events = where.locate_events(w.events, w.doc, w.article, w.settings,
                                   actors.outlet_voice(w.article))


def _aim(w: Work) -> None:
    w.events = events.aim_at_place(w.events)


def _merge(w: Work) -> None:
    w.events = merge.merge_events(w.events, w.article)


# The post-parse stages by the names Settings.stages uses (their order and needs live there).
STAGES: dict[str, Callable[[Work], None]] = {
    "mentions": _mentions,
    "events": _events,
    "discourse": _discourse,
    "dates": _dates,
    "places": _places,
    "aim": _aim,
    "alternatives": _alternatives,
    "decide": _decide,
    "merge": _merge,
}


def code_doc(doc: Doc, article: Article, settings: Settings | None = None) -> CodedArticle:
    """Run the post-parse stages that ``settings.stages`` names on one parsed article."""
    work = Work(doc, article, Settings.of(settings))
    for name in work.settings.stages:
        STAGES[name](work)
    if "decide" not in work.settings.stages:  # without a decision, the rules' verdict
        work.events = scorer.decide(work.events, doc, article, None, model=None)
    text = doc_text(doc)  # (a span's text is this slice; spaCy would join its tokens again)
    sents = [
        {"index": i, "start": s.start_char, "end": s.end_char,
         "text": text[s.start_char:s.end_char]}
        for i, s in enumerate(sentences(doc))
    ]
    return CodedArticle(article=article, events=[public(e) for e in work.events],
                        sentences=sents, tone=tone.article_tone(article.text, article.title),
                        fingerprint=dedup.fingerprint(article.text))


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Skipped:
    """An article the caller asked to skip after cleaning (already stored, say)."""

    article: Article


def _parse(model: Any, texts: Iterable[str], batch_size: int) -> Iterator[tuple[Any, Any]]:
    """(doc, None) per text; (doc of the masked text, its Masked) with the first pass on
    (prefilter.py: parse only the sentences worth it)."""
    if prefilter.ENABLED:
        yield from prefilter.pipe(model, texts, batch_size)
    else:
        for doc in model.pipe(texts, batch_size=batch_size):
            yield doc, None


def code_articles(
    articles: Iterable[Article | ReadFailure],
    *,
    model: str | None = None,
    skip: Callable[[Article], bool] | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
) -> Iterator[CodedArticle | ReadFailure | Skipped]:
    """Code a stream of articles; failures (from readers or cleaning) pass through in order.

    ``skip`` sees each cleaned article before it is parsed; those it accepts come out as
    ``Skipped`` without costing a parse (an ingest uses it for articles already stored).
    ``settings`` (a ``Settings`` or a mapping of setting names to values) overrides the
    defaults of ``tidings.settings``; a wrong name or value raises ``SettingsError`` before
    anything is read. Memory stays flat: at most ``batch_size`` articles and Docs are held
    at a time.
    """
    config = Settings.of(settings)
    batch_size = config.batch_size
    language_model = nlp.load(model)
    for batch in _batches(articles, batch_size):
        ready: list[Article] = []
        slots: list[Article | ReadFailure | Skipped] = []
        for item in batch:
            if isinstance(item, ReadFailure):
                slots.append(item)
                continue
            prepared = prepare(item, config)
            if isinstance(prepared, Article):
                if skip is not None and skip(prepared):
                    slots.append(Skipped(prepared))
                    continue
                ready.append(prepared)
            slots.append(prepared)
        texts = (a.text[: nlp.MAX_PARSE_CHARS] for a in ready)
        docs = iter(_parse(language_model, texts, batch_size))
        for item in slots:
            if isinstance(item, Article):
                doc, masked = next(docs)
                try:
                    coded = code_doc(doc, item, config)
                    yield coded if masked is None else prefilter.restore(coded, doc, masked)
                except Exception as exc:  # one article's bug must not stop a batch
                    yield ReadFailure(
                        item.origin or item.id, "internal", f"coding failed: {exc!r}"
                    )
            else:
                yield item


def text_id(text: str) -> str:
    """A stable article id for text that came without one."""
    return "txt-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def code_text(
    text: str,
    *,
    date: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    id: str | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
) -> CodedArticle:
    """Code one article given as a string (the API's simplest entry point).

    ``settings`` as for ``code_articles``. Raises ValueError when the text cannot be coded
    (empty, not English), ``SettingsError`` (a ValueError) for a wrong setting.
    """
    article = Article(
        id=id or text_id(text),
        text=text,
        title=title,
        url=url,
        source=source,
        published=date,
    )
    result = next(code_articles([article], settings=settings))
    if not isinstance(result, CodedArticle):
        raise ValueError(str(result))
    return result


def propose(doc: Doc, article: Article, settings: Settings | None = None) -> list[Event]:
    """The stages before ``decide``: every candidate, dated and placed, with the rules'
    verdict (what the decide stage's model is trained on)."""
    work = Work(doc, article, Settings.of(settings))
    for name in work.settings.stages:
        if name == "decide":
            break
        STAGES[name](work)
    return work.events


def propose_articles(
    articles: Iterable[Article], settings: Settings | None = None,
) -> Iterator[tuple[str, int, list[tuple[Event, dict[str, float]]]]]:
    """(article id, its sentences, every proposed candidate with its features) per article:
    what the decide stage sees, for training its model (tidings.train)."""
    config = Settings.of(settings)
    language_model = nlp.load()
    ready = []
    for item in articles:
        prepared = prepare(item, config)
        if isinstance(prepared, Article):
            ready.append(prepared)
    texts = (a.text[: nlp.MAX_PARSE_CHARS] for a in ready)
    for article, doc in zip(ready, language_model.pipe(texts, batch_size=config.batch_size),
                            strict=True):
        found = propose(doc, article, config)
        yield article.id, len(sentences(doc)), scorer.candidate_features(
            found, doc, article, actors.outlet_country(article))
