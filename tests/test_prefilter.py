"""Issue #14, item 14: the first pass (tidings/prefilter.py) parses only the sentences worth
it, and what it codes points into the article exactly as a full parse does.

Its throughput against bare spaCy is bench/bench_prefilter.py's to measure, its F1 that of
``tidings evaluate tests/gold`` with and without TIDINGS_PREFILTER=1 (docs/design.md has both);
tests never assert on time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tidings import nlp, pipeline
from tidings.model import Article

# Sentences with no trigger and no actor (distinct: cleaning drops a repeated sentence).
SKIPPABLE = ("The weather was mild and the fields were green with young rice.\n"
             "Farmers in the county expected a rich harvest of maize this year.\n"
             "The river ran high after the rains of the early summer months.\n")


@pytest.fixture
def prefiltered(monkeypatch: pytest.MonkeyPatch) -> Any:
    from tidings import prefilter

    monkeypatch.setattr(prefilter, "ENABLED", True)
    return prefilter


def _code(text: str, **fields: Any) -> pipeline.CodedArticle:
    art = Article(id="a", text=text, language="en", **fields)
    [coded] = list(pipeline.code_articles([art]))
    assert isinstance(coded, pipeline.CodedArticle)
    return coded


def test_sentences_without_a_trigger_and_an_actor_are_masked(prefiltered: Any) -> None:
    text = ("Kim Jong Un met Vladimir Putin in Vladivostok on Thursday.\n" + SKIPPABLE +
            "Russia and the DPRK signed an agreement on economic cooperation.\n")
    masked = prefiltered.mask(nlp.load(), text)
    assert len(masked.text) == len(text)
    assert masked.text.count("\n") == text.count("\n")
    assert "weather" not in masked.text and "Vladivostok" in masked.text
    kept = [text[a:b].strip() for a, b in masked.kept]
    assert kept[0].startswith("Kim Jong Un") and kept[-1].startswith("Russia and the DPRK")
    assert len(masked.sentences) == 5 and len(masked.kept) == 2 + prefiltered.CONTEXT_BEFORE


def test_prefiltered_coding_points_into_the_article(prefiltered: Any, seed_path: Path) -> None:
    """Events, offsets and sentences of the seed article are those of a full parse."""
    text = seed_path.read_text(encoding="utf-8")
    prefiltered.ENABLED = False
    full = _code(text, published="2020-04-23")
    prefiltered.ENABLED = True
    fast = _code(text, published="2020-04-23")
    assert json.dumps(fast.events, sort_keys=True) == json.dumps(full.events, sort_keys=True)
    for ev in fast.events:
        sent = fast.sentences[ev["sentence_index"]]
        assert sent["start"] <= ev["evidence"]["start"] < sent["end"]
        assert fast.article.text[sent["start"]:sent["end"]] == sent["text"]


def test_masked_sentences_keep_their_place(prefiltered: Any) -> None:
    """A masked sentence still counts: the event after it keeps its sentence index."""
    text = SKIPPABLE + "Kim Jong Un met Vladimir Putin in Vladivostok on Thursday.\n"
    coded = _code(text, published="2019-04-25")
    assert [e["sentence_index"] for e in coded.events] == [3]
    assert [s["text"] for s in coded.sentences][:3] == SKIPPABLE.splitlines()
