"""A cheap first pass that picks the sentences worth a full parse (issue #14, item 14).

Off by default (``TIDINGS_PREFILTER=1`` turns it on; bench/bench_prefilter.py measures it):
docs/design.md gives the measurement and why it stays off.

The first pass is spaCy's tokenizer and rule-based sentencizer (about 2% of a full parse).
A sentence is worth the parse when it holds a trigger (a word whose possible lemmas, by the
model's own lemmatizer tables, include a lemma of the pattern lexicon, a light verb or a
condemnation word) and something that can be an actor (a knowledge-base name, or a pronoun a
later stage may resolve); ``CONTEXT_BEFORE`` sentences before a kept one can be kept too. The
other sentences are *masked*: their characters become spaces (newlines
kept), so the parser meets one whitespace token where a sentence was, and every offset of
every kept word is what it is in the article. After coding, sentence indices are mapped back
to the article's sentences (the parser's in kept regions, the sentencizer's elsewhere).
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

ENABLED = os.environ.get("TIDINGS_PREFILTER", "") == "1"

# Words that can stand for an actor a later stage resolves (coreference).
PRONOUNS = frozenset("he she they we it his her their our its him them us".split())
# Sentences kept before each worthy one, as context for places, dates and pronouns carried
# from earlier sentences. Measured on tests/gold (tidings evaluate, TIDINGS_PREFILTER=1): with
# 1, dev F1 42.9% and test 43.5% (as without the first pass) and 90% of the KCNA tokens
# parsed; with 0, dev 43.9%, test 43.5%, 82% parsed, but the seed article loses the place of
# its summit (Vladivostok, said one sentence before). Fidelity first.
CONTEXT_BEFORE = 1
# The lemmatizer tables' part-of-speech classes whose rules give a word's possible lemmas.
LEMMA_CLASSES = ("noun", "verb", "adj")


@dataclass(frozen=True)
class Masked:
    """An article's text as parsed, with the sentences of the article it stands for."""

    text: str  # the text with unworthy sentences blanked
    sentences: tuple[tuple[int, int], ...]  # every sentence of the article (start, end)
    kept: tuple[tuple[int, int], ...]  # the (start, end) spans parsed in full


@lru_cache(maxsize=1)
def _triggers() -> frozenset[str]:
    from . import events

    lex = events.lexicon()
    words = set(lex.verbs) | set(lex.nouns) | set(lex.light)
    for name in ("condemn", "condemn_adj"):
        words |= set(lex.classes.get(name, ()))
    return frozenset(w.lower() for w in words)


@lru_cache(maxsize=1)
def _names() -> dict[str, list[tuple[str, ...]]]:
    """Knowledge-base names as lower-case word tuples, by their first word."""
    from . import kb

    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase, _entry in kb.load().phrases():
        words = tuple(phrase.lower().replace("’", "'").split())
        if words:
            out.setdefault(words[0], []).append(words)
    return out


class _Lemmas:
    """A word's possible lemmas by the model's rule lemmatizer tables (no tagger needed)."""

    def __init__(self, nlp: Any) -> None:
        lookups = nlp.get_pipe("lemmatizer").lookups
        strings = nlp.vocab.strings
        rules, exc = lookups.get_table("lemma_rules"), lookups.get_table("lemma_exc")
        self.rules = [rules.get(strings[c], []) for c in LEMMA_CLASSES]
        self.exc = [exc.get(strings[c], {}) for c in LEMMA_CLASSES]
        self.cache: dict[str, bool] = {}

    def is_trigger(self, word: str) -> bool:
        got = self.cache.get(word)
        if got is None:
            got = self.cache[word] = bool(self._candidates(word) & _triggers())
        return got

    def _candidates(self, word: str) -> set[str]:
        out = {word}
        for rules, exc in zip(self.rules, self.exc, strict=True):
            out.update(exc.get(word, ()))
            for old, new in rules:
                if word.endswith(old) and len(word) > len(old):
                    out.add(word[: len(word) - len(old)] + new)
        return out


def _has_actor(words: list[str]) -> bool:
    names = _names()
    for i, w in enumerate(words):
        if w in PRONOUNS:
            return True
        for name in names.get(w, ()):
            if tuple(words[i : i + len(name)]) == name:
                return True
    return False


@lru_cache(maxsize=2)
def _first_pass(nlp: Any) -> tuple[Any, _Lemmas]:
    from spacy.pipeline import Sentencizer

    return Sentencizer(), _Lemmas(nlp)


def _stripped(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) without surrounding whitespace; None for a blank span."""
    piece = text[start:end]
    if not piece.strip():
        return None
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())


def mask(nlp: Any, text: str) -> Masked:
    """The first pass over one text: its sentences, which are kept, the masked text."""
    sentencizer, lemmas = _first_pass(nlp)
    doc = sentencizer(nlp.make_doc(text))
    spans, worthy = [], []
    for sent in doc.sents:
        span = _stripped(text, sent.start_char, sent.end_char)
        if span is None:
            continue
        words = [t.lower_ for t in sent if not t.is_space]
        spans.append(span)
        worthy.append(any(lemmas.is_trigger(w) for w in words) and _has_actor(words))
    keep = [any(worthy[i : i + CONTEXT_BEFORE + 1]) for i in range(len(worthy))]
    chars = list(text)
    for (start, end), kept in zip(spans, keep, strict=True):
        if not kept:
            for k in range(start, end):
                if chars[k] != "\n":
                    chars[k] = " "
    kept_spans = tuple(s for s, k in zip(spans, keep, strict=True) if k)
    return Masked("".join(chars), tuple(spans), kept_spans)


def pipe(nlp: Any, texts: Iterable[str], batch_size: int) -> Iterator[tuple[Any, Masked]]:
    """(doc of the masked text, its Masked) for each text."""
    masked = [mask(nlp, t) for t in texts]
    docs = nlp.pipe((m.text for m in masked), batch_size=batch_size)
    yield from zip(docs, masked, strict=True)


def _sentences(doc: Any, masked: Masked) -> list[tuple[int, int]]:
    """The article's sentences: the parser's inside kept spans, the first pass's elsewhere."""
    # a parsed sentence may begin or end in a masked region's blanks: they are not its own
    parsed = [span for sent in doc.sents
              if (span := _stripped(doc.text, sent.start_char, sent.end_char)) is not None]
    inside = [p for p in parsed if any(a <= p[0] < b for a, b in masked.kept)]
    outside = [s for s in masked.sentences
               if not any(a <= s[0] < b for a, b in masked.kept)]
    return sorted(inside + outside)


class _Trimmer:
    """Spans of the masked doc as the article has them: a parsed sentence may begin in the
    blanks of masked sentences before it and run on over those after it."""

    def __init__(self, masked: Masked) -> None:
        kept = set(masked.kept)
        self.text = masked.text
        self.unkept = [s for s in masked.sentences if s not in kept]
        self.starts = [a for a, _ in self.unkept]

    def _masked(self, pos: int) -> bool:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.unkept[k][1]

    def trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and (self.text[start].isspace() or self._masked(start)):
            start += 1
        k = bisect.bisect_right(self.starts, start)
        if k < len(self.starts) and self.starts[k] < end:
            end = self.starts[k]  # up to the next masked sentence, blanks before it kept
        return start, end


def _span(trimmer: _Trimmer, span: dict[str, Any], index_of: Any) -> dict[str, Any]:
    if span.get("start") is None or span.get("end") is None:
        return span
    start, end = trimmer.trim(span["start"], span["end"])
    out = dict(span, start=start, end=end)
    if "sentence_index" in span:
        out["sentence_index"] = index_of(start)
    return out


def restore(coded: Any, doc: Any, masked: Masked) -> Any:
    """A CodedArticle of the masked text with the article's sentences, spans and indices."""
    spans = _sentences(doc, masked)
    starts = [s for s, _ in spans]
    trimmer = _Trimmer(masked)

    def index_of(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    text = coded.article.text
    events = []
    for ev in coded.events:
        ev = dict(ev)
        if ev.get("evidence"):
            ev["evidence"] = _span(trimmer, ev["evidence"], index_of)
            start, end = ev["evidence"]["start"], ev["evidence"]["end"]
            if start is not None:
                ev["sentence_index"] = index_of(start)
                ev["sentence"] = text[start:end]
        if ev.get("evidences"):
            ev["evidences"] = [_span(trimmer, e, index_of) for e in ev["evidences"]]
        events.append(ev)
    sentences = [{"index": i, "start": s, "end": e, "text": text[s:e]}
                 for i, (s, e) in enumerate(spans)]
    return replace(coded, events=events, sentences=sentences)
