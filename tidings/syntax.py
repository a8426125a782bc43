"""Small questions about a parse that several stages ask, answered once."""

from __future__ import annotations

from spacy.tokens import Token

VERBAL = frozenset({"VERB", "AUX"})


def clause_verb(tok: Token) -> Token:
    """The nearest verb at or above a token (a noun trigger like "visit" → "made"), else
    the sentence's root."""
    t = tok
    while t.pos_ not in VERBAL and t.head.i != t.i:
        t = t.head
    return t if t.pos_ in VERBAL else tok.sent.root
