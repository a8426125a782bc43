"""Shared fixtures: where the real test material lives.

``tests/data`` holds the seed article, corpora, gold sets, HTML pages and dictionaries the tests
read (see tests/data/README.md for what was taken and under which licence), so a clone with
nothing beside it runs its own tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The material the tests share (tests/data), laid out as corpus/, html/, gold/, ..."""
    return DATA


@pytest.fixture(scope="session")
def seed_path(shared: Path) -> Path:
    return shared / "corpus" / "seed-rodong-2020-04-23.txt"


@pytest.fixture(scope="session")
def nlp():
    from tidings import nlp as nlp_mod

    return nlp_mod.load()
