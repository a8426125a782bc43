"""Tone: GDELT's AvgTone method (positive % - negative % of words) over the shipped lexicon."""

from __future__ import annotations

import json
import statistics

import pytest

from tidings import data, tone


@pytest.fixture(scope="module")
def kcna(shared) -> dict[str, dict]:
    with (shared / "corpus" / "kcna_2024_dev.jsonl").open(encoding="utf-8") as f:
        return {a["id"]: a for a in map(json.loads, f)}


def test_lexicon_names_source_and_licence():
    lines = (data.DATA / data.VADER.path).read_text(encoding="utf-8").splitlines()
    text = "\n".join(ln for ln in lines if ln.startswith("#"))
    assert "VADER" in text and "MIT" in text and "Hutto" in text
    lex = tone.lexicon()
    assert len(lex) > 7000
    assert lex["peace"] > 0 > lex["war"]


def test_score_is_percent_positive_minus_percent_negative():
    # peace (+2.5) positive, war (-2.9) negative, "the" neutral: (1 - 1) / 4; (2 - 1) / 3.
    t = tone.score("the peace and war")
    assert t.words == 4 and t.positive == 25.0 and t.negative == 25.0 and t.tone == 0.0
    t = tone.score("Peace, peace — war!")
    assert t.tone == pytest.approx(100 / 3, abs=1e-3)
    assert t.polarity == pytest.approx(100.0)


def test_weak_words_below_min_valence_do_not_count():
    weak = [w for w, v in tone.lexicon().items() if 0 < v < tone.MIN_VALENCE and w.isalpha()][0]
    assert tone.score(weak).tone == 0.0
    assert tone.score(weak, min_valence=0.0).tone == 100.0


def test_empty_text_has_no_words():
    assert tone.score("").words == 0 and tone.score(None).tone == 0.0
    assert tone.average([None, None]) is None
    assert tone.average([1.0, None, 3.0]) == 2.0


def test_real_commentary_is_negative_and_greetings_positive(kcna):
    commentary = tone.article_tone(kcna["kcna-6ca5e2e361e8"]["text"])  # Japan's water discharge
    greetings = tone.article_tone(kcna["kcna-263b53536fe7"]["text"])  # Greetings to Syrian FM
    assert commentary < 0 < greetings


def test_corpus_commentaries_below_greetings(kcna):
    """The measurement behind MIN_VALENCE, as a check that the method still separates them."""
    com = [
        a for a in kcna.values() if a["topic"] == "News Commentary" or "Commentary" in a["title"]
    ]
    gre = [
        a for a in kcna.values()
        if any(w in a["title"] for w in ("Greetings", "Congratulat", "Felicitat"))
    ]  # fmt: skip
    assert len(com) > 30 and len(gre) > 100
    c = [tone.article_tone(a["text"]) for a in com]
    g = [tone.article_tone(a["text"]) for a in gre]
    assert statistics.mean(c) < 0 < statistics.mean(g)
    below = sum(x < statistics.median(g) for x in c) / len(c)
    assert below > 0.9


def test_seed_article_tone(seed_path):
    seed = seed_path.read_text(encoding="utf-8")
    t = tone.score(seed)
    assert t.words > 300 and t.tone > 0  # a friendship anniversary piece
