"""Small questions about a parse that several stages ask, answered once."""

from __future__ import annotations

import bisect
from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from spacy.tokens import Doc, Span, Token

VERBAL = frozenset({"VERB", "AUX"})
# Place adverbs the parser hangs a verb's next phrase on: "left here for Russia" comes out
# with "for Russia" under "here" (the events' conditions and targets, the places' destinations).
PLACE_ADVERBS = frozenset({"here", "there"})


def clause_verb(tok: Token) -> Token:
    """The nearest verb at or above a token (a noun trigger like "visit" → "made"), else
    the sentence's root."""
    t = tok
    while t.pos_ not in VERBAL and t.head.i != t.i:
        t = t.head
    return t if t.pos_ in VERBAL else tok.sent.root


@dataclass(frozen=True)
class Words:
    """Per token of a Doc, by index, the strings the stages' per-word loops test first: its
    part of speech, fine tag, dependency label, lower-case form and lower-cased lemma. A
    Token attribute makes a Token object and looks its string up at every read; most words
    fail a loop's first test, so the loops read these lists and make a Token only for the
    words that pass. Read after the parse and the lemma fixes, which no later stage changes."""

    pos: list[str]
    tag: list[str]
    dep: list[str]
    lower: list[str]
    lemma: list[str]


def _strings(doc: Doc, ids: list[int], lower: bool = False) -> list[str]:
    """The strings of a column of ``Doc.to_array``, each distinct id looked up once."""
    strings = doc.vocab.strings
    found = {h: strings[h].lower() if lower else strings[h] for h in set(ids)}
    return [found[h] for h in ids]


class _DocFacts:
    """What spaCy recomputes from every token each time it is asked (``doc.sents``,
    ``doc.text``, ``doc.ents``, and a new Token object at every iteration), made once per
    Doc: several stages ask for each."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    @cached_property
    def sents(self) -> list[Span]:
        return list(self.doc.sents)

    @cached_property
    def text(self) -> str:
        return self.doc.text

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        return tuple(self.doc.ents)

    @cached_property
    def tokens(self) -> list[Token]:
        return list(self.doc)

    @cached_property
    def words(self) -> Words:
        if not len(self.doc):
            return Words([], [], [], [], [])
        pos, tag, dep, lower, lemma = self.doc.to_array(
            ["POS", "TAG", "DEP", "LOWER", "LEMMA"]).T.tolist()
        return Words(_strings(self.doc, pos), _strings(self.doc, tag),
                     _strings(self.doc, dep), _strings(self.doc, lower),
                     _strings(self.doc, lemma, lower=True))


# The last Doc asked about and its facts. One slot, not a weak mapping: a Span holds its
# Doc, so a mapping from Docs to their Spans would keep every Doc alive. The stages run one
# article at a time, so the last Doc is the one they ask about; another thread's Doc only
# costs a recount. No stage sets ``doc.ents`` after the parse, so the cached ones stay true.
_LAST: _DocFacts | None = None


def _facts(doc: Doc) -> _DocFacts:
    global _LAST
    last = _LAST
    if last is not None and last.doc is doc:
        return last
    facts = _DocFacts(doc)
    _LAST = facts
    return facts


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, made once per Doc. The list is shared: do not change it."""
    return _facts(doc).sents


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc."""
    return _facts(doc).text


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, made once per Doc."""
    return _facts(doc).ents


def doc_tokens(doc: Doc) -> list[Token]:
    """``list(doc)``, made once per Doc: the mentions, events and discourse stages walk every
    sentence. The list is shared: do not change it."""
    return _facts(doc).tokens


def words(doc: Doc) -> Words:
    """The per-token strings of ``Words``, made once per Doc. The lists are shared: do not
    change them."""
    return _facts(doc).words


def tokens_with(sent: Span, column: Sequence[str], values: Container[str]) -> list[Token]:
    """The sentence's tokens whose string in ``column`` (one of ``words(doc)``'s lists) is
    one of ``values``: a loop's first test, without a Token for the words that fail it."""
    toks = doc_tokens(sent.doc)
    return [toks[i] for i in range(sent.start, sent.end) if column[i] in values]


def sentence_tokens(sent: Span) -> list[Token]:
    """A sentence's tokens, from its Doc's shared list."""
    return doc_tokens(sent.doc)[sent.start : sent.end]


# The words that open a sentence listing the members of a group the sentence before named
# ("Among them are ...", "They include ...", "Those who sent them were ..."), and its verbs.
ELABORATION_OPENERS = frozenset({"among", "they", "these", "those"})
ELABORATION_VERBS = frozenset({"be", "include"})


def elaborations(sents: list[Span], k: int) -> list[Span]:
    """The sentences after sentence ``k`` that list the members of a group it named, as long
    as the list goes on ("They included A, B ... Among them are also C")."""
    out: list[Span] = []
    for nxt in sents[k + 1:]:
        if nxt[0].lower_ not in ELABORATION_OPENERS \
                or nxt.root.lemma_.lower() not in ELABORATION_VERBS:
            break
        out.append(nxt)
    return out


def listed_appositions(tok: Token) -> list[Token]:
    """The words a list misparsed as appositions adds to ``tok``: the small parser reads "A,
    B, C and D" as B an apposition of A, C of B and D a conjunct of C. A true apposition
    ("Sergey Lavrov, Russia's foreign minister") ends in no conjunct, a list does; so the
    words under ``tok`` by apposition and conjunction, in text order, when a conjunct closes
    the chain, else none (``tok``'s own conjuncts are the caller's)."""
    found: list[Token] = []
    has_conj = False
    stack = [c for c in tok.children if c.dep_ == "appos"]
    while stack:
        t = stack.pop()
        found.append(t)
        for c in t.children:
            if c.dep_ in {"appos", "conj"}:
                has_conj = has_conj or c.dep_ == "conj"
                stack.append(c)
    return sorted(found, key=lambda t: t.i) if has_conj else []


def sentence_index(sents: list[Span], char: int) -> int | None:
    """The index of the sentence holding character ``char``; None between or past them."""
    k = bisect.bisect_right([sn.start_char for sn in sents], char) - 1
    return k if 0 <= k and char < sents[k].end_char else None


@dataclass(frozen=True)
class EventAt:
    """Where an event sits in its article: its sentence's offsets (s0, s1), its trigger's
    offsets (ts, te) and span, and the trigger's clause verb. The dates and places stages
    read the same."""

    s0: int
    s1: int
    ts: int
    te: int
    span: Span | None

    @classmethod
    def of(cls, ev: Any, doc: Doc, text_len: int) -> EventAt:
        """(``text_len``: len(doc.text), which joins every token: once per article)"""
        evid = ev.get("evidence") or {"start": 0, "end": text_len}
        s0, s1 = evid.get("start", 0), evid.get("end", text_len)
        trig = ev.get("trigger") or {"start": s0, "end": s0}
        ts, te = trig.get("start", s0), trig.get("end", s0)
        span = doc.char_span(ts, te, alignment_mode="expand") if te > ts else None
        return cls(s0, s1, ts, te, span)

    @cached_property
    def verb(self) -> Token | None:
        return clause_verb(self.span.root) if self.span is not None and len(self.span) else None
