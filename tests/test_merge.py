"""Folding repeated tellings of one interaction, and stable event ids."""

from __future__ import annotations

from tidings.merge import merge_events
from tidings.model import Article

ART = Article(id="doc-1", text="x" * 400)


def _ev(start: int, etype: str = "CONSULT", src: str = "PRK", tgt: str | None = "RUS",
        date: str | None = None, si: int = 0, mode: str | None = None) -> dict:
    return {
        "doc_id": "doc-1", "sentence_index": si, "event_type": etype, "mode": mode,
        "cameo": "040", "quad_class": 1, "goldstein": 1.0, "plover_score": 2.5,
        "source": {"text": src, "name": "Kim Jong Un" if src == "PRK" else None,
                   "country": src, "sector": "GOV", "code": src + "GOV"},
        "target": None if tgt is None else {"text": tgt, "name": "Vladimir Putin",
                                            "country": tgt, "sector": "GOV",
                                            "code": tgt + "GOV"},
        "evidence": {"start": start, "end": start + 50}, "date": date,
        "date_precision": None, "date_text": None, "location": None,
    }


def test_same_interaction_is_folded_with_all_evidences() -> None:
    out = merge_events([_ev(0, date="2019-04-25"), _ev(100, si=3, date="2019-04"),
                        _ev(200, si=5)], ART)
    assert len(out) == 1
    ev = out[0]
    assert [e["start"] for e in ev["evidences"]] == [0, 100, 200]
    assert [e["sentence_index"] for e in ev["evidences"]] == [0, 3, 5]
    assert ev["date"] == "2019-04-25"  # the finest compatible date


def test_different_type_target_or_date_stay_apart() -> None:
    out = merge_events([
        _ev(0, date="2019-04-25"),
        _ev(50, date="2018-05-01"),  # another meeting
        _ev(100, etype="SUPPORT"),
        _ev(150, tgt=None),
        _ev(200, src="RUS", tgt="PRK"),
    ], ART)
    assert len(out) == 5


def test_ids_are_stable_and_distinct() -> None:
    a = merge_events([_ev(0), _ev(100, etype="SUPPORT")], ART)
    b = merge_events([_ev(0), _ev(100, etype="SUPPORT")], ART)
    assert [e["id"] for e in a] == [e["id"] for e in b]
    assert len({e["id"] for e in a}) == 2
    other = merge_events([_ev(0)], Article(id="doc-2", text=ART.text))
    assert other[0]["id"] != a[0]["id"]


def test_events_of_one_triple_that_do_not_fold_get_distinct_ids() -> None:
    """A dated act and another telling of its triple with an incompatible date can begin in
    the same sentence: two events, which a store keys by id, so two ids; an id that does not
    collide is as before."""
    dated, undated = _ev(0, date="2024-07-10"), {**_ev(0, date="2024-08-01", mode="x"),
                                                 "date_source": "published"}
    out = merge_events([dated, undated], ART)
    assert len(out) == 2 and out[0]["id"] != out[1]["id"]
    assert out[0]["id"] == merge_events([dated], ART)[0]["id"]
    assert [e["id"] for e in out] == [e["id"] for e in merge_events([dated, undated], ART)]


def test_mode_is_taken_from_a_later_telling_when_first_has_none() -> None:
    out = merge_events([_ev(0), _ev(100, mode="visit")], ART)
    assert len(out) == 1 and out[0]["mode"] == "visit"


def _dated(ev: dict, source: str) -> dict:
    ev["date_source"] = source
    return ev


def test_fallback_dated_telling_folds_into_the_sentence_dated_one() -> None:
    # seed-rodong-2020-04-23: "an official goodwill visit to the Russian Federation" (2019-04,
    # from "a year since") ... "His first visit to Russia" (no date: publication date)
    out = merge_events([
        _dated(_ev(0, date="2019-04", mode="visit"), "sentence"),
        _dated(_ev(100, si=3, date="2020-04-23", mode="visit"), "published"),
    ], ART)
    assert len(out) == 1
    assert out[0]["date"] == "2019-04" and out[0]["date_source"] == "sentence"
    assert [e["sentence_index"] for e in out[0]["evidences"]] == [0, 3]
    # the fallback telling first: the sentence date still wins
    out = merge_events([
        _dated(_ev(0, date="2020-04-23", mode="visit"), "dateline"),
        _dated(_ev(100, si=3, date="2019-04", mode="visit"), "sentence"),
    ], ART)
    assert len(out) == 1 and out[0]["date"] == "2019-04"


def test_fallback_telling_of_another_mode_or_two_sentence_dates_stay_apart() -> None:
    out = merge_events([
        _dated(_ev(0, date="2019-04", mode="visit"), "sentence"),
        _dated(_ev(100, date="2020-04-23"), "published"),  # talks, not the visit
        _dated(_ev(200, date="2018-05", mode="visit"), "sentence"),  # an earlier visit
    ], ART)
    assert len(out) == 3
