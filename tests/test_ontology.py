"""The ontology tables: scores, quad classes, CAMEO→PLOVER, and the pattern lexicon's codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings import data, events, ontology


def _gdelt(shared: Path) -> dict[str, float]:
    rows = (shared / "ontology" / "gdelt_CAMEO.goldsteinscale.txt").read_text().splitlines()[1:]
    return {r.split("\t")[0].strip(): float(r.split("\t")[1]) for r in rows if r.strip()}


def test_scores_follow_the_shared_tables(shared: Path) -> None:
    gdelt = _gdelt(shared)
    sc = ontology.scores("CONSULT", "visit", "042")
    assert sc == {"quad_class": 1, "goldstein": gdelt["042"], "plover_score": 4.0}
    assert ontology.scores("ASSAULT", "aerial", "195")["plover_score"] == -9.5
    assert ontology.scores("ASSAULT", "aerial", "195")["goldstein"] == gdelt["195"]
    assert ontology.scores("SANCTION", None, "163")["quad_class"] == 4
    assert ontology.scores("REQUEST", None, "100")["quad_class"] == 3
    assert ontology.scores("AID", None, "070")["quad_class"] == 2


def test_unknown_mode_falls_back_to_the_type_score() -> None:
    assert ontology.scores("CONSULT", "no-such-mode", "040")["plover_score"] == 2.5


def test_accuse_base_score_is_negative() -> None:
    # the manual prints "3", a sign typo: every ACCUSE mode is negative
    assert ontology.scores("ACCUSE", None, "112")["plover_score"] < 0


def test_goldstein_falls_back_to_parent_codes(shared: Path) -> None:
    gdelt = _gdelt(shared)
    assert "0429" not in gdelt
    assert ontology.goldstein("0429") == gdelt["042"]
    assert ontology.goldstein(None) is None


def test_old_type_names_are_read() -> None:
    assert ontology.normalize_type("DEMAND") == "REQUEST"
    assert ontology.normalize_type("fight") == "ASSAULT"
    with pytest.raises(ValueError):
        ontology.scores("FLY", None, "010")


def test_cameo2plover_mapping() -> None:
    assert ontology.plover_type("057") == ("SUPPORT", None)
    assert ontology.plover_type("0841") == ("RETREAT", "release")
    assert ontology.plover_type("1384")[0] == "THREATEN"


def test_every_pattern_code_agrees_with_cameo2plover_or_says_why() -> None:
    lex = events.lexicon()
    pats = [p for d in (lex.verbs, lex.nouns) for ps in d.values() for p in ps]
    assert len(pats) > 200
    for p in pats:
        if p.event_type == events.NO_EVENT:
            assert p.cameo.startswith("01"), p  # only CAMEO's public statements
            continue
        assert p.event_type in ontology.PLOVER_TYPES, p
        assert ontology.goldstein(p.cameo) is not None, p
        mapped = ontology.plover_type(p.cameo)
        if mapped is None or mapped[0] != p.event_type:
            assert p.note.startswith("deviation"), p
        if p.mode is not None:
            assert ontology.scores(p.event_type, p.mode, p.cameo)["plover_score"] is not None


def test_intent_table_codes_are_consistent() -> None:
    lex = events.lexicon()
    for etype, row in lex.intent.items():
        assert etype in ontology.PLOVER_TYPES
        assert ontology.plover_type(row["cameo"])[0] == row["intent_type"]
        assert ontology.plover_type(row["reject_cameo"])[0] == "REJECT"
        assert ontology.plover_type(row["request_cameo"])[0] == "REQUEST"


def test_quad_class_is_gdelts_of_the_cameo_root(shared: Path) -> None:
    rows = [
        ln.split("\t")
        for ln in (shared / "ontology" / "cameo_root_codes.tsv").read_text().splitlines()[1:]
        if ln.strip()
    ]
    for root, _name, gdelt, phoenix, *_ in rows:
        assert ontology.gdelt_quad(root + "1") == int(gdelt)
        assert ontology.phoenix_quad(root) == int(phoenix)
    # YIELD is material cooperation in GDELT though CONCEDE is verbal in PLOVER
    assert ontology.scores("CONCEDE", None, "081")["quad_class"] == 2
    assert ontology.scores("CONSULT", None, None)["quad_class"] == 1  # no code: PLOVER's
    assert ontology.phoenix_quad("020") == 0 and ontology.phoenix_quad("163") == 3


def test_packaged_root_table_is_the_shared_one(shared: Path) -> None:
    ours = (data.DATA / data.CAMEO_ROOTS.path).read_text("utf-8").splitlines()
    theirs = (shared / "ontology" / "cameo_root_codes.tsv").read_text("utf-8").splitlines()
    assert ours[0].startswith("#") and [ln for ln in ours if not ln.startswith("#")] == theirs


def test_rule_codes_agree_with_cameo2plover() -> None:
    # the codings of the rules that are not pattern rows (rule_codes.tsv)
    codes = events.lexicon().rule_codes
    assert set(codes) == {"outlet-condemn", "say-must", "refusal", "ultimatum"}
    for rule, (etype, mode, cameo) in codes.items():
        assert ontology.plover_type(cameo) == (etype, mode), rule
