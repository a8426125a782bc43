"""Small questions about a parse that several stages ask, answered once."""

from __future__ import annotations

import weakref

from spacy.tokens import Doc, Span, Token

VERBAL = frozenset({"VERB", "AUX"})


def clause_verb(tok: Token) -> Token:
    """The nearest verb at or above a token (a noun trigger like "visit" → "made"), else
    the sentence's root."""
    t = tok
    while t.pos_ not in VERBAL and t.head.i != t.i:
        t = t.head
    return t if t.pos_ in VERBAL else tok.sent.root


# Each Doc's sentences, made once and dropped with the Doc.
_SENTENCES: weakref.WeakKeyDictionary[Doc, list[Span]] = weakref.WeakKeyDictionary()


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, made once per Doc: spaCy walks every token of the article each
    time ``doc.sents`` is asked, and five stages ask. The list is shared: do not change it."""
    found = _SENTENCES.get(doc)
    if found is None:
        found = _SENTENCES[doc] = list(doc.sents)
    return found
