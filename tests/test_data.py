"""The data tables: every file has a schema and loads; a bad field fails at load, naming file
and line (the loader of tidings/data.py, like spaCy's Matcher(validate=True))."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tidings import data
from tidings.events import lexicon
from tidings.events.lexicon import SLOTS


def test_every_file_has_a_schema_and_loads() -> None:
    files = {p.relative_to(data.DATA).as_posix() for p in data.DATA.rglob("*")
             if p.is_file() and p.suffix in {".tsv", ".txt"}}
    assert files == {t.path for t in data.TABLES}
    for table in data.TABLES:
        assert data.rows(table), table.path


def test_every_file_names_its_source_and_licence() -> None:
    for table in data.TABLES:
        lines = (data.DATA / table.path).read_text("utf-8").splitlines()
        head = " ".join(ln for ln in lines if ln.startswith("#")).lower()
        assert "source" in head and "licen" in head, table.path


def test_the_slots_the_lexicon_reads_are_the_slots_the_loader_allows() -> None:
    assert set(SLOTS) == set(data.CONDITION_SLOTS)
    assert set(lexicon().modality) == set(data.MODALITY_KINDS)


def _with_row(tmp_path: Path, table: data.Table, old: str, new: str) -> tuple[Path, int]:
    """A copy of ``table``'s file with the first line starting ``old`` replaced by ``new``;
    returns the copy and the replaced line's number."""
    lines = (data.DATA / table.path).read_text("utf-8").split("\n")
    n = next(i for i, ln in enumerate(lines) if ln.startswith(old))
    lines[n] = new
    path = tmp_path / Path(table.path).name
    path.write_text("\n".join(lines), "utf-8")
    return path, n + 1


def _fails(table: data.Table, path: Path, line: int, message: str) -> None:
    with pytest.raises(data.DataError) as exc:
        data.read(table, path)
    text = str(exc.value)
    assert text.startswith(f"{path}:{line}: "), text
    assert re.search(message, text), text


def test_a_misspelt_condition_slot_fails_at_load(tmp_path: Path) -> None:
    # issue #13: "meet" with "dobjj=" loaded silently and "Kim Jong Un met Vladimir Putin"
    # coded nothing
    path, line = _with_row(tmp_path, data.PATTERNS, "meet\tVERB\t",
                           "meet\tVERB\tdobjj=@actor\tCONSULT\t\t040\twith,in\tneeds_target,sym\t")
    _fails(data.PATTERNS, path, line, r"condition: unknown slot 'dobjj' in 'dobjj=@actor'")


@pytest.mark.parametrize(("new", "message"), [
    ("meet\tVERB\t\tCONSULT\t\t040\twith,in\tneeds_targett,sym\t", r"flags: unknown flag"),
    ("meet\tVERB\t\tCONSULTT\t\t040\twith,in\tneeds_target,sym\t",
     r"event_type: unknown PLOVER event type 'CONSULTT'"),
    ("meet\tVERB\t\tCONSULT\t\t0400\twith,in\tneeds_target,sym\t",
     r"cameo: unknown CAMEO code '0400'"),
    ("meet\tVERB\t\tCONSULT\t\t040\twiht,in\tneeds_target,sym\t",
     r"target_preps: unknown preposition 'wiht'"),
    ("meet\tVERB\tdobj=@actr\tCONSULT\t\t040\twith\t\t", r"unknown word class '@actr'"),
    ("meet\tVERB\tdobj\tCONSULT\t\t040\twith\t\t", r"'dobj' is not slot=value"),
    ("meet\tVERBS\t\tCONSULT\t\t040\twith\t\t", r"pos: 'VERBS' is not one of"),
    ("meet\tVERB\t\t\t\t040\twith\t\t", r"a VERB row needs event_type"),
    ("meet\tVERB\t\tCONSULT\t\t040\twith\t\tnote\textra", r"10 fields, the table has 9"),
])
def test_a_bad_pattern_row_fails_at_load(tmp_path: Path, new: str, message: str) -> None:
    path, line = _with_row(tmp_path, data.PATTERNS, "meet\tVERB\t", new)
    _fails(data.PATTERNS, path, line, message)


def test_an_unknown_column_fails_at_load(tmp_path: Path) -> None:
    path, line = _with_row(tmp_path, data.INTENT, "event_type\t",
                           "event_type\tintent_type\tintent_mode\tcameo\treject_mode\t"
                           "reject_cameo\trequest_mode\trequest_cameo\tkeep\twhy")
    _fails(data.INTENT, path, line, r"column row .* should be")


def test_an_unknown_country_or_sector_fails_at_load(tmp_path: Path) -> None:
    path, line = _with_row(tmp_path, data.SECTORS, "army\t", "army\tARM")
    _fails(data.SECTORS, path, line, r"sector: unknown CAMEO sector 'ARM'")
    path, line = _with_row(tmp_path, data.PEOPLE, "Kim Jong Un\t",
                           "Kim Jong Un\t\tDPRK\tGOV\tSUPREME_LEADER\t2011-12-30\t\t\t")
    _fails(data.PEOPLE, path, line, r"country: unknown country code 'DPRK'")


def test_shared_word_lists_are_defined_once_with_their_roles() -> None:
    # one row per word; the stages read the words by role
    for table in (data.PREPOSITIONS, data.MOTION, data.ENTITY_LABELS):
        firsts = data.words(table)
        assert len(firsts) == len(set(firsts)), table.path
    assert {"to", "into", "for"} == data.having(data.PREPOSITIONS, "destination")
    assert "outside" in data.having(data.PREPOSITIONS, "place")
    assert "outside" not in data.having(data.PREPOSITIONS, "agent-place")
    assert "convene" in data.having(data.MOTION, "purpose-happened")
    assert "NORP" in data.having(data.ENTITY_LABELS, "town") - data.having(data.ENTITY_LABELS,
                                                                           "place")
    assert data.months()["sept"] == data.months()["september"] == 9
    assert sorted(data.months(full_names_only=True).values()) == list(range(1, 13))


def test_word_classes_and_voiced_phrases_are_read_once_for_every_reader() -> None:
    classes = data.word_classes(data.DISCOURSE)
    assert "receive" in classes["receipt"] and "letter" in classes["message_noun"]
    assert data.word_classes(data.DISCOURSE) is classes  # one reading per process
    assert data.voiced_phrases()["korea"] == ("PRK", "KOR")
