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


def test_plain_english_never_loads_the_detector(shared, tmp_path):
    """Issue #14, item 12: lingua took a second to load for a one-article run. Plain English
    is told without it (looks_english), and never where lingua would disagree: every KCNA
    body it lets through is English to lingua too, and foreign text is left to lingua."""
    import subprocess
    import sys

    code = ("import sys; from tidings import language; sys.stdout.write(str(["
            "language.detect(open(sys.argv[1]).read()), language._detector.cache_info()"
            ".currsize]))")
    out = subprocess.run([sys.executable, "-c", code, str(shared / "corpus" /
                          "seed-rodong-2020-04-23.txt")], capture_output=True, text=True,
                         check=True).stdout
    assert out == "['en', 0]"
    with (shared / "corpus" / "kcna_2024_dev.jsonl").open(encoding="utf-8") as f:
        bodies = [json.loads(line)["text"] for _, line in zip(range(200), f, strict=False)]
    fast = [b for b in bodies if language.looks_english(b[: language.SAMPLE_CHARS])]
    assert len(fast) > 150
    for body in fast:
        best = language._detector().compute_language_confidence_values(
            body[: language.SAMPLE_CHARS])[0]
        assert best.language == language.Language.ENGLISH
    for name in ("korean.txt", "russian.txt"):
        assert not language.looks_english((FIX / name).read_text(encoding="utf-8"))
    german = ("Die Regierung hat am Montag in Berlin neue Gespräche mit den Vertretern der "
              "Länder aufgenommen, um über die Zukunft der Energieversorgung zu beraten und "
              "einen gemeinsamen Plan vorzulegen.")
    assert not language.looks_english(german) and language.detect(german) == "de"
