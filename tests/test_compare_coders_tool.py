"""tools/compare_coders.py: the paired bootstrap on per-document counts written for the
test (the fitting it reads from is tested in tests/test_train_cv.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "compare_coders", Path(__file__).resolve().parents[1] / "tools" / "compare_coders.py")
assert spec is not None and spec.loader is not None
compare_coders = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_coders)


def _docs(counts: list[tuple[float, float, float]]) -> dict[str, tuple[float, float, float]]:
    return {f"d{i}": c for i, c in enumerate(counts)}


def test_the_same_coder_is_no_different() -> None:
    base = _docs([(2, 1, 1), (0, 1, 2), (3, 0, 0)] * 10)
    assert compare_coders.paired_bootstrap(base, dict(base), draws=200) == (0.0, 0.0, 0.0)


def test_a_gain_on_every_document_is_shown_and_a_loss_on_one_is_noise() -> None:
    base = _docs([(2, 1, 1), (1, 1, 2), (3, 0, 1)] * 10)
    better = {k: (tp + 1, fp, fn - 1) for k, (tp, fp, fn) in base.items()}
    low, high, ahead = compare_coders.paired_bootstrap(base, better, draws=500)
    assert 0 < low <= high and ahead == 1.0
    one_worse = dict(base, d0=(1, 2, 2))
    low, high, ahead = compare_coders.paired_bootstrap(base, one_worse, draws=500)
    assert low < 0 and high == 0.0 and ahead == 0.0  # never ahead; often the same
    # pairing: a shift of one document cancels in every resample that draws it as often
    assert compare_coders.paired_bootstrap(base, better, draws=500) == \
        compare_coders.paired_bootstrap(base, better, draws=500)  # a fixed seed


def test_versions_measured_on_different_documents_are_refused() -> None:
    with pytest.raises(ValueError, match="different gold documents"):
        compare_coders.paired_bootstrap(_docs([(1, 0, 0)] * 3), _docs([(1, 0, 0)] * 4))
