"""PLOVER/CAMEO ontology: event types, modes, scores, quad classes, CAMEO→PLOVER mapping.

An event's ``quad_class`` is GDELT's quad class of its CAMEO root code (issue #2: "for GDELT
compatibility"), not its PLOVER type's category: the two disagree on roots 08 (YIELD, material
cooperation in GDELT; CONCEDE is verbal in PLOVER), 09, 14 and 16. The PLOVER category is only
the fallback for an event with no CAMEO code. ``phoenix_quad`` gives the 0-4 Phoenix
"PentaClass" (01-02 → 0) that the ConfliBERT cameo_class labels follow.

The tables live in ``data/ontology/`` (PLOVER tables CC BY-SA 4.0, GDELT Goldstein table with
attribution); this module only reads them, so a corrected table needs no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import data

# The PLOVER 2 event types, in the order of the PLOVER table (data/ontology/plover_scores.tsv).
PLOVER_TYPES = tuple(dict.fromkeys(r["event_type"] for r in data.rows(data.PLOVER_SCORES)))

# Older PLOVER names (PLOVER <= 0.8, the GSR gold files) read as their PLOVER 2 successors,
# as the gold README prescribes.
OLD_TYPE_NAMES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "YIELD": "CONCEDE",
}

# PLOVER quad categories → the 1-4 quad class numbering shared by GDELT and Phoenix.
QUAD_CLASS = {
    "VERBAL COOPERATION": 1,
    "MATERIAL COOPERATION": 2,
    "VERBAL CONFLICT": 3,
    "MATERIAL CONFLICT": 4,
}


@dataclass(frozen=True)
class Ontology:
    quad: dict[str, int]  # PLOVER type → quad class
    requires_recipient: dict[str, bool]
    plover_scores: dict[tuple[str, str], float | None]  # (type, mode or "") → score
    goldstein: dict[str, float]  # CAMEO code → GDELT Goldstein value
    cameo2plover: dict[str, tuple[str, str | None]]  # CAMEO code → (type, mode)
    gdelt_quad: dict[str, int]  # CAMEO root "01".."20" → GDELT quad class 1-4
    phoenix_quad: dict[str, int]  # CAMEO root → Phoenix quad class 0-4

    def modes(self, event_type: str) -> list[str]:
        return [m for (t, m) in self.plover_scores if t == event_type and m]


_C2P_LINE = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*,\s*([^,#]*)")


@lru_cache(maxsize=1)
def load() -> Ontology:
    """Read the ontology tables once per process."""
    quad: dict[str, int] = {}
    req: dict[str, bool] = {}
    pscores: dict[tuple[str, str], float | None] = {}
    for r in data.rows(data.PLOVER_SCORES):
        etype, cat, requires, mode, score = (r[c] for c in data.PLOVER_SCORES.names)
        quad[etype] = QUAD_CLASS[cat]
        req[etype] = requires == "Yes"
        pscores[(etype, mode.strip())] = float(score) if score.strip() else None
    gold: dict[str, float] = {}
    for r in data.rows(data.GOLDSTEIN):
        gold[r["CAMEOEVENTCODE"].strip()] = float(r["GOLDSTEINSCALE"])
    c2p: dict[str, tuple[str, str | None]] = {}
    for ln in data.words(data.CAMEO2PLOVER):
        m = _C2P_LINE.match(ln)
        if m and m.group(2) in PLOVER_TYPES:
            c2p.setdefault(m.group(1), (m.group(2), m.group(3).strip() or None))
    gquad: dict[str, int] = {}
    pquad: dict[str, int] = {}
    for r in data.rows(data.CAMEO_ROOTS):
        gquad[r["root"].strip()] = int(r[data.ROOT_GDELT_QUAD])
        pquad[r["root"].strip()] = int(r[data.ROOT_PHOENIX_QUAD])
    return Ontology(quad, req, pscores, gold, c2p, gquad, pquad)


def normalize_type(name: str) -> str:
    """PLOVER 2 name of an event type, reading the old GSR names."""
    up = name.strip().upper()
    return OLD_TYPE_NAMES.get(up, up)


def goldstein(cameo: str | None) -> float | None:
    """GDELT Goldstein value of a CAMEO code, falling back to its parent codes."""
    if not cameo:
        return None
    table = load().goldstein
    code = cameo
    while code:
        if code in table:
            return table[code]
        code = code[:-1] if len(code) > 2 else ""
    return None


def _root(cameo: str | None) -> str | None:
    """The two-digit root of a CAMEO code ("0431" → "04"), None when it is not one."""
    if not cameo or len(cameo) < 2 or not cameo[:2].isdigit():
        return None
    return cameo[:2]


def gdelt_quad(cameo: str | None) -> int | None:
    """GDELT quad class (1-4) of a CAMEO code's root; None for no or an unknown code."""
    root = _root(cameo)
    return load().gdelt_quad.get(root) if root else None


def phoenix_quad(cameo: str | None) -> int | None:
    """Phoenix quad class (0 statement/appeal, 1-4) of a CAMEO code's root, as phoenix_pipeline
    computes it; the scheme of the ConfliBERT cameo_class labels."""
    root = _root(cameo)
    return load().phoenix_quad.get(root) if root else None


def plover_type(cameo: str) -> tuple[str, str | None] | None:
    """(PLOVER type, mode) of a CAMEO code per CAMEO2PLOVER-2021, parent codes as fallback."""
    table = load().cameo2plover
    code = cameo
    while len(code) >= 2:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


def scores(event_type: str, mode: str | None, cameo: str | None) -> dict[str, Any]:
    """quad_class, goldstein and plover_score for an event: the numbers the contract carries.

    quad_class is GDELT's for the CAMEO root, the PLOVER type's category without a code."""
    onto = load()
    etype = normalize_type(event_type)
    if etype not in onto.quad:
        raise ValueError(f"unknown PLOVER event type: {event_type!r}")
    pscore = onto.plover_scores.get((etype, mode or ""))
    if pscore is None:
        pscore = onto.plover_scores.get((etype, ""))
    return {
        "quad_class": gdelt_quad(cameo) or onto.quad[etype],
        "goldstein": goldstein(cameo),
        "plover_score": pscore,
    }
