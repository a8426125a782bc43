"""Article tone, computed the way GDELT computes AvgTone, from a shipped lexicon.

GDELT's document tone is the percentage of words that are positive minus the percentage that
are negative (range -100..+100, most news between -10 and +10); an event's AvgTone is the mean
tone of the documents that mention it. Tidings does the same with the word entries of the
VADER lexicon (``data/tone/vader_words.tsv``, MIT, Hutto & Gilbert 2014): a word is positive or
negative when its mean valence reaches ``MIN_VALENCE`` in absolute value. No negation or
intensifier rules: GDELT applies none, and keeping the method identical keeps the numbers
comparable with GDELT's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from . import data

# VADER valences run -4..+4 and many entries sit near 0. Measured on the KCNA corpus, 44
# commentaries (attacks) vs 149 greetings/congratulations: mean tone -1.48 vs +5.74 at 1.5,
# the widest separation (difference / mean SD: 2.58 at 0.5, 2.75 at 1.0, 2.87 at 1.5, 2.45 at
# 2.0). Command and figures in docs/export.md, "Tone".
MIN_VALENCE = 1.5

_WORD = re.compile(r"[a-z]+(?:['\-][a-z]+)*")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'"})


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """word → mean valence, from the shipped file."""
    out: dict[str, float] = {}
    for row in data.rows(data.VADER):
        out[row["word"]] = float(row["valence"])
    return out


@dataclass(frozen=True)
class Tone:
    """GDELT V2Tone's first fields: tone = positive - negative, each a % of words."""

    tone: float
    positive: float
    negative: float
    polarity: float  # positive + negative: how charged the text is either way
    words: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tone": self.tone,
            "positive": self.positive,
            "negative": self.negative,
            "polarity": self.polarity,
            "words": self.words,
        }


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return _WORD.findall(text)


def score(text: str | None, min_valence: float = MIN_VALENCE) -> Tone:
    """The tone of one text; an empty text has tone 0 over 0 words."""
    toks = words(text or "")
    if not toks:
        return Tone(0.0, 0.0, 0.0, 0.0, 0)
    lex = lexicon()
    pos = neg = 0
    for w in toks:
        v = lex.get(w)
        if v is None:
            continue
        if v >= min_valence:
            pos += 1
        elif v <= -min_valence:
            neg += 1
    p = 100.0 * pos / len(toks)
    n = 100.0 * neg / len(toks)
    return Tone(round(p - n, 4), round(p, 4), round(n, 4), round(p + n, 4), len(toks))


def article_tone(text: str | None, title: str | None = None) -> float:
    """The AvgTone of one article: title and body scored together, as GDELT scores a page."""
    return score("\n".join(t for t in (title, text) if t)).tone


def average(tones: Iterable[float | None]) -> float | None:
    """Mean of the known tones (an event's AvgTone over the articles that mention it)."""
    known = [t for t in tones if t is not None]
    return round(sum(known) / len(known), 4) if known else None
