"""Extending the coder without touching its code: one row in a data table, and the coder
uses it (issue #13, "add an event pattern", "add an actor"). Each test codes a sentence with
the shipped tables, adds the row to a copy of tidings/data, and codes it again."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tidings import actors, data, events
from tidings import kb as kbmod
from tidings.events.lexicon import lexicon
from tidings.model import Article


def _forget() -> None:
    """Drop every table and index read from tidings/data (they are read once per process)."""
    for cached in (data._cached, data.values, data.having, data.months, lexicon, kbmod.load):
        cached.cache_clear()


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of tidings/data that the loader reads instead of the shipped one."""
    copy = tmp_path / "data"
    shutil.copytree(data.DATA, copy)
    monkeypatch.setattr(data, "DATA", copy)
    _forget()
    yield copy
    monkeypatch.undo()
    _forget()


def _add_row(path: Path, row: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(row + "\n")


def _triples(nlp, text: str, **article) -> set[tuple]:
    art = Article(id="t", text=text, **article)
    doc = nlp(text)
    return {(e["event_type"], e["source"]["country"], (e["target"] or {}).get("country"))
            for e in events.extract(doc, actors.find_mentions(doc, art), art)}


def test_add_an_event_pattern(nlp, data_copy: Path) -> None:
    # one row of patterns.tsv: "snub" is a rejection (CAMEO 120) that needs a target
    text = "Russia snubbed Japan."
    assert _triples(nlp, text) == set()
    _add_row(data_copy / "patterns" / "patterns.tsv",
             "snub\tVERB\t\tREJECT\t\t120\t\tneeds_target\trebuffing a state is rejecting it")
    _forget()
    assert _triples(nlp, text) == {("REJECT", "RUS", "JPN")}


def test_a_bad_pattern_row_stops_the_coder_at_load(nlp, data_copy: Path) -> None:
    _add_row(data_copy / "patterns" / "patterns.tsv",
             "snub\tVERB\tdobjj=@actor\tREJECT\t\t120\t\tneeds_target\t")
    _forget()
    with pytest.raises(data.DataError, match=r"patterns\.tsv:\d+: condition: unknown slot"):
        _triples(nlp, "Russia snubbed Japan.")


def test_add_an_actor(nlp, data_copy: Path) -> None:
    # one row of people.tsv: a foreign minister with the dates of the role
    text = "Zorbo Quantel met Vladimir Putin in Moscow."
    assert ("CONSULT", "FRA", "RUS") not in _triples(nlp, text, published="2024-06-01")
    _add_row(data_copy / "actors" / "people.tsv",
             "Zorbo Quantel\tQuantel\tFRA\tGOV\tFOREIGN_MINISTER\t2024-05-01\t\t\t"
             "a test minister")
    _forget()
    assert ("CONSULT", "FRA", "RUS") in _triples(nlp, text, published="2024-06-01")
    assert kbmod.load().holder("FRA", "FOREIGN_MINISTER", "2024-06-01").name == "Zorbo Quantel"
