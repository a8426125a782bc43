"""Near-duplicate articles: republications and abridgments, found with MinHash LSH.

State media republish one text under several URLs (KCNA files the same report under "Top
News", "Latest News" and a topic page, with straight or curly quotes), and outlets abridge one
another ("Abridgment compiled from Rodong Sinmun and KCNA"). Counting such copies as separate
reports would inflate every count, so each copy is linked to the article it copies.

Method. A text becomes a set of word shingles taken *within* sentences (a shingle never spans
a sentence or paragraph break), so an abridgment that drops whole sentences is contained in
its original exactly. A MinHash signature of the set goes into a datasketch ``MinHashLSH``
index, which proposes candidates; a candidate is a near-duplicate when either

* the two sets are almost the same (Jaccard >= ``REPUBLICATION_JACCARD``): a republication, or
* the smaller set lies almost entirely inside the larger (containment >=
  ``ABRIDGMENT_CONTAINMENT``) and is not tiny (``MIN_SHINGLES``): an abridgment.

Candidates are verified on the exact shingle sets of both texts (fetched by key), so the
index itself keeps only signatures and sizes.

The constants were chosen by measuring on the shared corpora (docs/export.md, "Near-duplicates"
has the figures): 2,366 KCNA + Rodong Sinmun articles hold 1,625 distinct texts; templated
reports of *different* events ("Delegation Arrives" / "Delegation Leaves") reach containment
0.838 and Jaccard 0.67 there, while republications are at Jaccard 1.0 and abridgments
(sentences dropped) at containment >= 0.969. Over those texts plus 300 synthetic abridgments,
``link`` found all 300 and linked no two real articles.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

# Words per shingle, measured over 3-6 (docs/export.md): the highest containment between
# templated reports of different events falls from 0.865 (3) to 0.838 (5) to 0.833 (6) while
# the lowest containment of a sentence-dropping abridgment in its original stays >= 0.966;
# 5 is where the gain flattens, and short sentences (<= 5 words) still count as one shingle.
SHINGLE_WORDS = 5
# MinHash permutations. With LSH_THRESHOLD 0.1 datasketch picks 117 bands of 2 rows at 256
# (64 x 2 at 128): a pair at Jaccard 0.12 (a heavy abridgment) becomes a candidate with
# probability 82% (47% at 128), 0.2 with 99% (93%). Cost measured on the corpora: 6.5
# candidates per article (0.4%; 3.0 at 128), 0.28 of them past PREFILTER_CONTAINMENT.
NUM_PERM = 256
# LSH candidate threshold (Jaccard). An abridgment keeping the first 40% of its original's
# sentences measured Jaccard 0.12-0.76 with it, so candidates are proposed from 0.1.
LSH_THRESHOLD = 0.1
# Before reading a candidate's text, its containment estimated from the signatures must reach
# this. The estimate is rough when sizes differ (an abridgment of a tenth of its original
# with Jaccard 0.1 has a standard error of about 0.17 at 256 permutations), so the bar is far
# below ABRIDGMENT_CONTAINMENT: a true abridgment (1.0) falls under it in < 1% of draws,
# while unrelated articles (estimates near 0.05) never reach it.
PREFILTER_CONTAINMENT = 0.4
# Verified rules (see the module docstring for how they were measured).
REPUBLICATION_JACCARD = 0.9
ABRIDGMENT_CONTAINMENT = 0.9
# An abridgment needs at least this many shingles (one long sentence or two short ones), so a
# single stock sentence ("The delegation left Pyongyang by air") does not make a brief report
# a "copy" of every longer one. Measured: across the corpora, the highest containment of a
# different text stays 0.838 whether the floor is 5, 10 or 25 shingles; at 25, 5 of 300
# synthetic abridgments (3 sentences kept) went unlinked, at 10 none.
MIN_SHINGLES = 10
# Fixed seed and hashing scheme: signatures stored by one process (or one datasketch release)
# must stay comparable with those computed later.
SEED = 1
SCHEME = "affine32"

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
# "Pyongyang, August 4 (KCNA) --": the dateline differs between outlets reporting one text.
_DATELINE = re.compile(r"^\s*[^\n,()]{2,40},\s+\w+\s+\d{1,2}\s*\([^)]{2,40}\)\s*-+\s*")
_TRAILER = re.compile(r"\s*-0-\s*$")
# Attribution lines of abridgments: "(Abridgment compiled from Rodong Sinmun and KCNA - ...)".
_ATTRIBUTION = re.compile(r"^\s*\((?:[^()]*\b(?:compiled|abridg\w*|source)\b[^()]*)\)\s*$",
                          re.IGNORECASE | re.MULTILINE)  # fmt: skip
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    """Text as compared: casefolded, quotes unified, KCNA dateline/trailer and attribution
    lines removed (they differ between copies of one text)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DATELINE.sub("", text)
    text = _TRAILER.sub("", text)
    text = _ATTRIBUTION.sub("", text)
    return text.casefold()


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """Word k-grams within each sentence; a sentence shorter than k is one shingle."""
    out: set[str] = set()
    for sentence in _SENTENCE_BREAK.split(normalize(text)):
        words = _WORD.findall(sentence)
        if not words:
            continue
        if len(words) <= k:
            out.add(" ".join(words))
            continue
        for i in range(len(words) - k + 1):
            out.add(" ".join(words[i : i + k]))
    return out


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    """The permutation parameters for (num_perm, SEED): drawn once, not for every text."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def signature(shingle_set: Iterable[str], num_perm: int = NUM_PERM) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME, permutations=_permutations(num_perm))
    m.update_batch([s.encode("utf-8") for s in shingle_set])
    return m


@lru_cache(maxsize=1)
def lsh_bands() -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH picks for LSH_THRESHOLD."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@dataclass(frozen=True)
class Fingerprint:
    """What a store keeps per article: shingle count and MinHash values (NUM_PERM values
    below 2**32 with the affine32 scheme, stored as little-endian uint32: 1 KiB)."""

    size: int
    hashvalues: bytes

    def minhash(self) -> MinHash:
        values = np.frombuffer(self.hashvalues, dtype="<u4").astype(np.uint64)
        return MinHash(
            seed=SEED, hashvalues=values, scheme=SCHEME, permutations=_permutations(len(values))
        )

    def bands(self) -> list[str]:
        """LSH band keys ("band:hash"): two texts sharing a key are candidates."""
        b, r = lsh_bands()
        raw = self.hashvalues
        width = 4 * r  # bytes of one band's values
        return [f"{i}:{raw[i * width : (i + 1) * width].hex()}" for i in range(b)]


def fingerprint(text: str) -> Fingerprint:
    sh = shingles(text)
    values = signature(sh).hashvalues.astype("<u4")
    return Fingerprint(len(sh), values.tobytes())


def estimate(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """(Jaccard, containment) estimated from two fingerprints."""
    if a.size == 0 or b.size == 0:
        return 0.0, 0.0
    va = np.frombuffer(a.hashvalues, dtype="<u4")
    vb = np.frombuffer(b.hashvalues, dtype="<u4")
    j = float(np.count_nonzero(va == vb)) / len(va)
    return j, containment_from(j, a.size, b.size)


def containment_from(jaccard: float, size_a: int, size_b: int) -> float:
    """|A∩B| / min(|A|,|B|) from Jaccard and the set sizes: |A∩B| = J(|A|+|B|)/(1+J)."""
    small = min(size_a, size_b)
    if small == 0:
        return 0.0
    inter = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, inter / small)


def overlap(a: set[str], b: set[str]) -> tuple[float, float]:
    """Exact (Jaccard, containment of the smaller set in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))


@dataclass(frozen=True)
class Match:
    """A stored article that a queried text near-duplicates."""

    id: str
    kind: str  # "republication" | "abridgment" (the query is contained in the match) |
    #            "expansion" (the match is contained in the query)
    jaccard: float
    containment: float


def judge(jaccard: float, containment: float, size_q: int, size_m: int) -> str | None:
    """The verified rule: the kind of near-duplicate, or None when the pair is not one."""
    if jaccard >= REPUBLICATION_JACCARD:
        return "republication"
    if min(size_q, size_m) < MIN_SHINGLES or containment < ABRIDGMENT_CONTAINMENT:
        return None
    return "abridgment" if size_q <= size_m else "expansion"


class NearDuplicateIndex:
    """MinHash LSH over article texts: ``add`` stored articles, ``query`` a new one.

    LSH proposes candidates; each is verified on exact shingle sets when ``text_of`` (key →
    text) can fetch the candidate's text, else on the MinHash estimate (an estimate of
    containment is poor when sizes differ a lot, so give ``text_of`` where texts exist).
    ``query`` returns matches best first (highest containment, then Jaccard, then the order
    they were added), so the first is the article to link to.
    """

    def __init__(
        self,
        num_perm: int = NUM_PERM,
        threshold: float = LSH_THRESHOLD,
        text_of: Callable[[str], str | None] | None = None,
    ) -> None:
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.text_of = text_of
        self.sigs: dict[str, MinHash] = {}
        self.sizes: dict[str, int] = {}
        self.order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.sigs)

    def __contains__(self, key: str) -> bool:
        return key in self.sigs

    def add(self, key: str, text: str) -> None:
        sh = shingles(text)
        if key in self.sigs or not sh:
            return
        sig = signature(sh, self.num_perm)
        self.lsh.insert(key, sig)
        self.sigs[key] = sig
        self.sizes[key] = len(sh)
        self.order[key] = len(self.order)

    def query(self, text: str, exclude: str | None = None) -> list[Match]:
        sh = shingles(text)
        if not sh:
            return []
        sig = signature(sh, self.num_perm)
        found: list[Match] = []
        for key in self.lsh.query(sig):
            if key == exclude:
                continue
            est_j = sig.jaccard(self.sigs[key])
            if containment_from(est_j, len(sh), self.sizes[key]) < PREFILTER_CONTAINMENT:
                continue
            other = self.text_of(key) if self.text_of else None
            if other is not None:
                osh = shingles(other)
                j, c = overlap(sh, osh)
                size = len(osh)
            else:
                j = est_j
                size = self.sizes[key]
                c = containment_from(j, len(sh), size)
            kind = judge(j, c, len(sh), size)
            if kind:
                found.append(Match(key, kind, round(j, 4), round(c, 4)))
        found.sort(key=lambda m: (-m.containment, -m.jaccard, self.order[m.id]))
        return found


def link(articles: Iterable[dict[str, Any]]) -> dict[str, Match]:
    """Copy → original for a batch of article dicts ({id, text}), in the order given.

    Each article is compared with those before it; a near-duplicate is linked to the
    original of its best match (chains collapse onto the first article of a family) and is
    not itself indexed, so the index holds one representative per family.
    """
    texts: dict[str, str] = {}
    index = NearDuplicateIndex(text_of=texts.get)
    links: dict[str, Match] = {}
    for art in articles:
        matches = index.query(art["text"])
        if matches:
            best = matches[0]
            root = links[best.id].id if best.id in links else best.id
            links[art["id"]] = Match(root, best.kind, best.jaccard, best.containment)
        else:
            texts[art["id"]] = art["text"]
            index.add(art["id"], art["text"])
    return links


def best_match(
    text: str,
    fp: Fingerprint,
    candidates: Iterable[tuple[str, Fingerprint]],
    text_of: Callable[[str], str | None],
) -> Match | None:
    """The stored article ``text`` near-duplicates, for a store that keeps fingerprints.

    ``candidates`` are (key, fingerprint) of the stored articles that share an LSH band
    with ``fp``; those whose estimated containment passes PREFILTER_CONTAINMENT are verified
    on exact shingles of the text ``text_of(key)`` returns. Best: highest containment, then
    Jaccard, then candidate order.
    """
    sh: set[str] | None = None
    found: list[tuple[float, float, int, Match]] = []
    for n, (key, other) in enumerate(candidates):
        if estimate(fp, other)[1] < PREFILTER_CONTAINMENT:
            continue
        other_text = text_of(key)
        if other_text is None:
            continue
        if sh is None:
            sh = shingles(text)
        osh = shingles(other_text)
        j, c = overlap(sh, osh)
        kind = judge(j, c, len(sh), len(osh))
        if kind:
            found.append((-c, -j, n, Match(key, kind, round(j, 4), round(c, 4))))
    return min(found)[3] if found else None
