"""The gold corpus's splits (tidings.gold) and their use by ``tidings evaluate``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tidings import gold
from tidings.evaluate import cli_evaluate, evaluate_events, format_splits

GOLD = Path(__file__).resolve().parent / "gold"


def _docs() -> list[dict[str, Any]]:
    return gold.load([GOLD, GOLD / "external"])


def test_hashed_split_is_stable_and_near_60_20_20() -> None:
    # fixed values: a change of the hash would silently move documents between splits
    assert [gold.hashed_split(f"doc-{i}") for i in (0, 1, 9, 10)] == [
        "dev", "train", "dev", "test"]
    counts = Counter(gold.hashed_split(f"doc-{i}") for i in range(10_000))
    assert abs(counts["train"] - 6000) < 300
    assert abs(counts["dev"] - 2000) < 250 and abs(counts["test"] - 2000) < 250


def test_every_gold_record_has_its_hashed_or_pinned_split() -> None:
    docs = _docs()
    assert docs, "no gold documents found"
    problems = [p for d in docs if (p := gold.check_split(d))]
    assert problems == []


def test_a_split_other_than_the_hash_is_refused_unless_pinned_to_train_as_seen() -> None:
    doc_id = next(f"d{i}" for i in range(100) if gold.hashed_split(f"d{i}") == "test")
    assert gold.check_split({"id": doc_id, "split": "test"}) is None
    assert "hashes to 'test'" in (gold.check_split({"id": doc_id, "split": "dev"}) or "")
    assert gold.check_split({"id": doc_id, "split": "train"}) is not None
    assert gold.check_split({"id": doc_id, "split": "train", "split_reason": "seen"}) is None
    assert gold.check_split({"id": doc_id}) is not None


def test_ids_are_unique_across_all_gold_files() -> None:
    ids = [d["id"] for d in _docs()]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert dupes == []


def test_data_hash_ignores_order_and_sees_any_change_of_events() -> None:
    a = {"id": "a", "text": "t1", "events": [{"type": "CONSULT"}]}
    b = {"id": "b", "text": "t2", "events": []}
    assert gold.data_hash([a, b]) == gold.data_hash([b, a])
    changed = {**a, "events": [{"type": "SUPPORT"}]}
    assert gold.data_hash([changed, b]) != gold.data_hash([a, b])


def test_external_sets_have_no_split() -> None:
    assert gold.split_of({"id": "x", "text": "t"}) is None
    assert gold.of_split([{"id": "x", "split": "dev"}, {"id": "y"}], "dev") == [
        {"id": "x", "split": "dev"}]


def _split_file(tmp_path: Path) -> Path:
    ids = {s: next(f"d{i}" for i in range(200) if gold.hashed_split(f"d{i}") == s)
           for s in gold.SPLITS}
    path = tmp_path / "g.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for s, i in ids.items():
            fh.write(json.dumps({"id": i, "text": "Nothing happened.", "split": s,
                                 "events": [{"type": "CONSULT", "source": ["PRK"],
                                             "target": ["RUS"], "symmetric": False,
                                             "optional": False, "date": None,
                                             "location": None, "evidence": "x"}]}) + "\n")
    return path


def test_side_by_side_report_lists_no_error_of_the_test_split(tmp_path: Path) -> None:
    path = _split_file(tmp_path)
    docs = gold.load([path])
    reports = {s: evaluate_events(gold.of_split(docs, s), [], name=s) for s in gold.SPLITS}
    text = format_splits(path, reports, errors=True)
    assert [ln.split()[0] for ln in text.splitlines()[3:6]] == ["train", "dev", "test"]
    assert text.splitlines()[6] == ("placed, where the gold has no place (not in the place "
                                    "column): train 0/0, dev 0/0, test 0/0")
    test_id = gold.of_split(docs, "test")[0]["id"]
    dev_id = gold.of_split(docs, "dev")[0]["id"]
    assert f"FN {dev_id}" in text
    assert test_id not in text


def test_errors_on_the_test_split_alone_are_refused(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    assert cli_evaluate([str(_split_file(tmp_path))], errors=True, splits=("test",)) == 2
    assert "refused on the test split" in capsys.readouterr().out
