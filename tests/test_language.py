"""language.detect on real text: foreign articles reported, short English never rejected."""

from __future__ import annotations

import json
from pathlib import Path

from tidings import language

FIX = Path(__file__).resolve().parent / "fixtures" / "readers"


def test_korean_and_russian_reported():
    assert language.detect((FIX / "korean.txt").read_text(encoding="utf-8")) == "ko"
    assert language.detect((FIX / "russian.txt").read_text(encoding="utf-8")) == "ru"
    assert language.name("ko") == "Korean"


def test_english_articles(seed_path):
    assert language.detect(seed_path.read_text(encoding="utf-8")) == "en"
    assert language.detect((FIX / "short.txt").read_text(encoding="utf-8")) == "en"


def test_too_short_is_undetected():
    assert language.detect("Kim Jong Un") is None
    assert language.detect("") is None


def test_titles_never_foreign(shared):
    """Short English titles full of Korean names: English or undetected, never foreign."""
    path = shared / "corpus" / "kcna_2024_dev.jsonl"
    with path.open(encoding="utf-8") as f:
        titles = [json.loads(line)["title"] for _, line in zip(range(400), f, strict=False)]
    verdicts = {language.detect(t) for t in titles}
    assert verdicts <= {"en", None}


def test_only_the_opening_is_read():
    english = "The delegation visited the factory and held talks with the officials. " * 20
    russian = (FIX / "russian.txt").read_text(encoding="utf-8")
    assert len(english) > language.SAMPLE_CHARS
    assert language.detect(english + russian) == "en"
