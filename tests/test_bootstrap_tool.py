"""tools/bootstrap_f1.py: the interval arithmetic on counts written for the test."""

from __future__ import annotations

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "bootstrap_f1", Path(__file__).resolve().parents[1] / "tools" / "bootstrap_f1.py")
assert spec is not None and spec.loader is not None
bootstrap_f1 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bootstrap_f1)


def test_f1_pools_the_documents_counts() -> None:
    assert bootstrap_f1.f1([(3, 1, 0), (1, 0, 3)]) == 8 / 12
    assert bootstrap_f1.f1([(0, 0, 0)]) == 0.0


def test_identical_documents_give_no_spread_and_mixed_ones_do() -> None:
    same = [(2, 1, 1)] * 30
    assert bootstrap_f1.interval(same, draws=200) == (4 / 6, 4 / 6)
    mixed = [(4, 0, 0)] * 15 + [(0, 2, 2)] * 15
    lo, hi = bootstrap_f1.interval(mixed, draws=500)
    assert lo < bootstrap_f1.f1(mixed) < hi
    assert bootstrap_f1.interval(mixed, draws=500) == (lo, hi)  # a fixed seed: reproducible
