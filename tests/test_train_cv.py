"""The cross-validation of ``tidings train``: folds by document, other fold assignments for
a steadier reading (``--cv --repeats``), and per-document counts for paired comparisons."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tidings.evaluate import evaluate_events
from tidings.train import (
    CV_FOLDS,
    CV_SALTS,
    Row,
    _fold,
    cross_validate,
    document_counts,
    f1_of,
    mean_counts,
    pooled,
    repeated_cv,
    spread,
)


def _event(etype: str, src: str, tgt: str, doc_id: str) -> dict[str, Any]:
    return {"event_type": etype, "mode": None, "cameo": "040", "rule": "pattern:test/verb",
            "source": {"text": src, "country": src}, "target": {"text": tgt, "country": tgt},
            "trigger": {"start": 0, "end": 1}, "sentence_index": 0, "date": None,
            "date_source": None, "location": None, "proposal": {"verdict": "keep"},
            "doc_id": doc_id}


def _doc(i: int) -> dict[str, Any]:
    return {"id": f"d{i:03d}", "events": [
        {"type": "ACCUSE", "source": ["PRK"], "target": ["USA"], "symmetric": False,
         "optional": False}]}


def _gold(n: int = 60) -> tuple[list[dict[str, Any]], list[Row]]:
    """Documents with one ACCUSE each, a right candidate and a wrong one; the wrong one's
    feature is ambiguous in every third document, so the folds' models differ."""
    docs = [_doc(i) for i in range(n)]
    rows = []
    for i, d in enumerate(docs):
        rows.append(Row(d["id"], _event("ACCUSE", "PRK", "USA", d["id"]), {"good": 1.0}, 1))
        wrong = {"bad": 1.0} if i % 3 else {"good": 1.0, "odd": 1.0}
        rows.append(Row(d["id"], _event("ACCUSE", "PRK", "JPN", d["id"]), wrong, 0))
    return docs, rows


def test_the_first_fold_assignment_is_the_one_the_shipped_model_was_trained_on() -> None:
    # the unsalted hash of the id, as before fold assignments could be repeated: a change
    # here would retrain the shipped model on other folds
    for doc_id in ("kcna-2024-05-01-001", "gsr-17", "x"):
        digest = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16)
        assert _fold(doc_id) == _fold(doc_id, CV_SALTS[0]) == digest % CV_FOLDS


def test_other_salts_assign_documents_to_other_folds() -> None:
    ids = [f"doc-{i}" for i in range(200)]
    assignments = [[_fold(i, salt) for i in ids] for salt in CV_SALTS]
    assert len({tuple(a) for a in assignments}) == len(CV_SALTS)
    for a in assignments:  # each still a fair split into CV_FOLDS folds
        assert set(a) == set(range(CV_FOLDS))
        assert min(a.count(k) for k in range(CV_FOLDS)) > 200 / CV_FOLDS / 2


def test_document_counts_pool_to_the_evaluation_of_all_documents() -> None:
    docs = [_doc(i) for i in range(4)]
    predicted = [_event("ACCUSE", "PRK", "USA", "d000"), _event("ACCUSE", "PRK", "JPN", "d000"),
                 _event("ACCUSE", "PRK", "USA", "d001")]
    counts = document_counts(docs, predicted)
    assert counts == {"d000": (1, 1, 0), "d001": (1, 0, 0), "d002": (0, 0, 1),
                      "d003": (0, 0, 1)}
    whole = evaluate_events(docs, predicted).overall
    assert pooled(counts.values()) == whole
    assert f1_of(counts.values()) == pytest.approx(whole.f1)
    assert f1_of([(0, 2, 3)]) == 0.0


def test_cross_validation_scores_every_new_document_once() -> None:
    docs, rows = _gold()
    docs[0]["split_reason"] = "seen"  # the rules were written on it: trained on, not scored
    grid, folds = cross_validate(rows, docs, "logistic", c_grid=(1.0,))
    assert {g["threshold"] for g in grid} and all(g["C"] == 1.0 for g in grid)
    held = sorted(r.doc_id for _, _, rs in folds[1.0] for r in rs)
    assert held == sorted(r.doc_id for r in rows if r.doc_id != "d000")
    at_half = next(g for g in grid if g["threshold"] == 0.5)
    tp, fp, fn = at_half["cv_counts"]
    assert tp + fn == len(docs) - 1  # one required event per scored document


def test_repeats_read_the_same_setting_on_other_folds() -> None:
    docs, rows = _gold()
    per_th = repeated_cv(rows, docs, "logistic", 1.0, repeats=3)
    first = cross_validate(rows, docs, "logistic", c_grid=(1.0,))[0]
    for g in first:  # the first repeat is the plain cross-validation
        n = pooled(per_th[g["threshold"]][0].values())
        assert (n.tp, n.fp, n.fn) == g["cv_counts"]
    for reps in per_th.values():
        assert len(reps) == 3 and all(set(r) == {d["id"] for d in docs} for r in reps)
    mean, low, high = spread(per_th[0.5])
    assert low <= mean <= high
    averaged = mean_counts(per_th[0.5])
    assert set(averaged) == {d["id"] for d in docs}
    assert averaged["d001"] == tuple(sum(r["d001"][i] for r in per_th[0.5]) / 3
                                     for i in range(3))
    with pytest.raises(ValueError, match="repeats"):
        repeated_cv(rows, docs, "logistic", 1.0, repeats=len(CV_SALTS) + 1)
