"""The composing function: the one place where the stages meet.

``code_articles`` runs, for every article::

    clean      clean.clean                  furniture, datelines, glued names
    language   language.detect              non-English text is reported, not coded
    parse      nlp.load().pipe              sentences, tokens, entities, dependencies
    mentions   actors.find_mentions         KB lookup, titles, coreference
    events     events.extract               dependency patterns -> PLOVER / CAMEO
    when       when.date_events             dates vs publication date and dateline
    where      where.locate_events          places vs gazetteer
    merge      merge.merge_events           one interaction -> one event, many evidences
    article    tone.article_tone, dedup.fingerprint   tone and MinHash, for the store's links

Each stage takes and returns plain data (plus the spaCy Doc, which never leaves this
module), and none imports another. Readers run before this function, stores after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import (
    actors,
    clean,
    dedup,
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
from .model import Article, ReadFailure

# Documents handed to spaCy's nlp.pipe at a time. 64 short news articles keep the parser's
# batches full without holding many Docs; measured with bench/bench_coding.py on the KCNA
# corpus, 32-128 differ by less than the run-to-run noise.
BATCH_SIZE = 64

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
    events: list[dict[str, Any]] = field(default_factory=list)
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


def prepare(article: Article) -> Article | ReadFailure:
    """Clean an article and check its language: the stages before parsing."""
    cleaned = clean.clean(article)
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


def propose(doc: Any, article: Article) -> list[dict[str, Any]]:
    """The stages before the decision: every candidate event, dated and placed."""
    mentions = actors.find_mentions(doc, article)
    found = events.extract(doc, mentions, article)
    found = when.date_events(found, doc, article)
    found = where.locate_events(found, doc, article)
    return events.aim_at_place(found)


def code_doc(doc: Any, article: Article, *, use_model: bool = True) -> CodedArticle:
    """Run the post-parse stages on one parsed article."""
    found = scorer.decide(propose(doc, article), doc, article,
                          actors.outlet_country(article), model=scorer.load_model(),
                          use_model=use_model)
    found = merge.merge_events(found, article)
    sentences = [
        {"index": i, "start": s.start_char, "end": s.end_char, "text": s.text}
        for i, s in enumerate(doc.sents)
    ]
    return CodedArticle(article=article, events=found, sentences=sentences,
                        tone=tone.article_tone(article.text, article.title),
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
    batch_size: int = BATCH_SIZE,
    model: str | None = None,
    skip: Callable[[Article], bool] | None = None,
    use_model: bool = True,
) -> Iterator[CodedArticle | ReadFailure | Skipped]:
    """Code a stream of articles; failures (from readers or cleaning) pass through in order.

    ``skip`` sees each cleaned article before it is parsed; those it accepts come out as
    ``Skipped`` without costing a parse (an ingest uses it for articles already stored).
    Memory stays flat: at most ``batch_size`` articles and Docs are held at a time.
    ``use_model=False`` lets the rules alone decide (the ablation of ``tidings evaluate``).
    """
    language_model = nlp.load(model)
    for batch in _batches(articles, batch_size):
        ready: list[Article] = []
        slots: list[Article | ReadFailure | Skipped] = []
        for item in batch:
            if isinstance(item, ReadFailure):
                slots.append(item)
                continue
            prepared = prepare(item)
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
                    coded = code_doc(doc, item, use_model=use_model)
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
) -> CodedArticle:
    """Code one article given as a string (the API's simplest entry point).

    Raises ValueError when the text cannot be coded (empty, not English).
    """
    article = Article(
        id=id or text_id(text),
        text=text,
        title=title,
        url=url,
        source=source,
        published=date,
    )
    result = next(code_articles([article]))
    if not isinstance(result, CodedArticle):
        raise ValueError(str(result))
    return result


def propose_articles(
    articles: Iterable[Article],
) -> Iterator[tuple[str, list[tuple[dict[str, Any], dict[str, float]]]]]:
    """(article id, every proposed candidate with its features) per article: what the
    decide stage sees, for training its model (tidings.train)."""
    language_model = nlp.load()
    ready = []
    for item in articles:
        prepared = prepare(item)
        if isinstance(prepared, Article):
            ready.append(prepared)
    texts = (a.text[: nlp.MAX_PARSE_CHARS] for a in ready)
    for article, doc in zip(ready, language_model.pipe(texts, batch_size=BATCH_SIZE),
                            strict=True):
        found = propose(doc, article)
        yield article.id, scorer.candidate_features(found, doc, article,
                                                    actors.outlet_country(article))
