"""Shared fixtures: where the real test material lives.

``../shared`` (beside the repository, as on CI) holds the seed article, corpora, gold sets and
HTML pages; ``TIDINGS_SHARED`` overrides its location.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TIDINGS_SHARED", ROOT.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared material not found at {SHARED}; set TIDINGS_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seed_path(shared: Path) -> Path:
    return shared / "corpus" / "seed-rodong-2020-04-23.txt"


@pytest.fixture(scope="session")
def nlp():
    from tidings import nlp as nlp_mod

    return nlp_mod.load()
