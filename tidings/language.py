"""Language identification, so non-English articles are reported instead of mis-coded.

lingua is restricted to the languages news in this domain actually arrives in (the
detector is then several times faster and far smaller in memory than with all 75), built
once per process on first use. Plain English text never reaches it: a sample whose words are
mostly ASCII and in good part English function words is English (``looks_english``), which
spares a one-article run the detector's second of loading (issue #14, item 12).
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = (
    Language.ENGLISH,
    Language.KOREAN,
    Language.RUSSIAN,
    Language.CHINESE,
    Language.JAPANESE,
    Language.FRENCH,
    Language.GERMAN,
    Language.SPANISH,
    Language.ARABIC,
    Language.PORTUGUESE,
    Language.ITALIAN,
    Language.VIETNAMESE,
)

# Only the opening of an article is examined: language does not change mid-article in news
# text, and lingua's cost grows with length.
SAMPLE_CHARS = 1000

# Below this many letters lingua's guesses are unreliable (a two-line English article
# can come out as French); such text is reported as undetected (None), which callers
# treat as "not shown to be foreign", so it is coded rather than rejected.
MIN_LETTERS = 20

# lingua's confidence for the best language must reach this for a non-English verdict.
# Measured on the 2,366 KCNA and Rodong Sinmun titles (short English full of Korean
# names): 12 have a foreign best guess, all with confidence below 0.5, so none is
# rejected; the Korean and Russian test texts score 1.0. All 2,366 bodies come out "en".
MIN_CONFIDENCE = 0.5


# English function words. A sample of at least ENGLISH_MIN_WORDS words, ENGLISH_MIN_ASCII of
# whose letters are ASCII and ENGLISH_MIN_SHARE of whose words are these, is English without
# asking lingua. Measured over 4,578 texts of the project's material (tests/data: KCNA
# bodies and titles, Rodong Sinmun, PLOVER GSR, 400 HTML pages, the reader fixtures; 17 of
# them non-English to lingua): 2,753
# take this path at a share of 0.2 (2,764 at 0.15, 2,682 at 0.25), and lingua calls every one
# of them English; German, Spanish, French and transliterated pages stay below 0.1.
ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on with was as by at from which has have were been are "
    "this be his their said its it an not will".split()
)
ENGLISH_MIN_WORDS = 20
ENGLISH_MIN_SHARE = 0.2
ENGLISH_MIN_ASCII = 0.98
_WORD = re.compile(r"[^\W\d_]+")


def looks_english(sample: str) -> bool:
    """Whether a text's opening is plainly English (see ENGLISH_WORDS)."""
    words = _WORD.findall(sample)
    if len(words) < ENGLISH_MIN_WORDS:
        return False
    letters = sum(len(w) for w in words)
    ascii_letters = sum(len(w) for w in words if w.isascii())
    if ascii_letters < ENGLISH_MIN_ASCII * letters:
        return False
    common = sum(w.lower() in ENGLISH_WORDS for w in words)
    return common >= ENGLISH_MIN_SHARE * len(words)


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def name(code: str) -> str:
    """English name of an ISO 639-1 code ("ko" → "Korean"), for messages."""
    for lang in LANGUAGES:
        if lang.iso_code_639_1.name.lower() == code:
            return lang.name.title()
    return code


def detect(text: str) -> str | None:
    """Return the ISO 639-1 code of ``text``'s language, or None when unsure."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    if looks_english(sample):
        return "en"
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None
    best = values[0]
    if best.language is Language.ENGLISH:
        return "en"
    if best.value < MIN_CONFIDENCE:
        return None
    return best.language.iso_code_639_1.name.lower()
