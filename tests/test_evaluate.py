"""The scorer against hand-made predictions (one test per rule of tests/data/gold/README.md),
and the development gold set against its schema and the annotation guide."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tidings import evaluate as ev
from tidings.evaluate import evaluate_events, format_report, matches, sentence_quad
from tidings.ontology import PLOVER_TYPES

DEV = Path(__file__).resolve().parent / "gold" / "state_media_seen.jsonl"


def gold(type_: str, src: list[str], tgt: list[str], *, symmetric: bool = False,
         optional: bool = False, date: str | None = None,
         location: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"type": type_, "source": src, "target": tgt, "symmetric": symmetric,
            "optional": optional, "date": date, "location": location,
            "evidence": f"{type_} evidence"}  # fmt: skip


def pred(type_: str, src: str | None, tgt: str | None, *, doc: str = "d1",
         date: str | None = None, location: str | None = None,
         rule: str = "pattern:test", sentence: str = "A sentence.") -> dict[str, Any]:  # fmt: skip
    return {"doc_id": doc, "event_type": type_, "source": {"country": src},
            "target": {"country": tgt} if tgt is not None else None, "date": date,
            "location": {"country": location} if location else None, "rule": rule,
            "sentence": sentence}  # fmt: skip


def doc(*events: dict[str, Any], id_: str = "d1") -> dict[str, Any]:
    return {"id": id_, "text": "t", "events": list(events)}


def test_exact_match_is_true_positive() -> None:
    r = evaluate_events([doc(gold("CONSULT", ["PRK"], ["RUS"]))], [pred("CONSULT", "PRK", "RUS")])
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (1, 0, 0)
    assert r.precision == r.recall == r.f1 == 1.0


def test_wrong_type_or_country_is_fp_and_fn() -> None:
    g = [doc(gold("CONSULT", ["PRK"], ["RUS"]))]
    for p in (pred("SUPPORT", "PRK", "RUS"), pred("CONSULT", "PRK", "CHN"),
              pred("CONSULT", "CHN", "RUS")):  # fmt: skip
        r = evaluate_events(g, [p])
        assert (r.overall.tp, r.overall.fp, r.overall.fn) == (0, 1, 1)
        kinds = sorted(e["kind"] for e in r.errors)
        assert kinds == ["FN", "FP"]


def test_country_lists_accept_any_listed_code() -> None:
    g = [doc(gold("ACCUSE", ["PRK"], ["USA", "KOR"]))]
    assert evaluate_events(g, [pred("ACCUSE", "PRK", "KOR")]).overall.tp == 1
    assert evaluate_events(g, [pred("ACCUSE", "PRK", "USA")]).overall.tp == 1


def test_empty_list_accepts_any_value_including_null() -> None:
    g = [doc(gold("MOBILIZE", ["PRK"], []))]
    for tgt in (None, "USA", "PRK"):
        r = evaluate_events(g, [pred("MOBILIZE", "PRK", tgt)])
        assert (r.overall.tp, r.overall.fp) == (1, 0), tgt
    # a non-empty target list does not accept a missing target
    r = evaluate_events([doc(gold("ACCUSE", ["PRK"], ["USA"]))], [pred("ACCUSE", "PRK", None)])
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (0, 1, 1)


def test_symmetric_matches_swapped_direction_only_when_symmetric() -> None:
    sym = [doc(gold("AGREE", ["PRK"], ["RUS"], symmetric=True))]
    assert evaluate_events(sym, [pred("AGREE", "RUS", "PRK")]).overall.tp == 1
    directed = [doc(gold("AGREE", ["PRK"], ["RUS"]))]
    r = evaluate_events(directed, [pred("AGREE", "RUS", "PRK")])
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (0, 1, 1)


def test_each_gold_matched_once_and_extra_triples_ignored() -> None:
    # both directions match the one symmetric gold event: one TP, the other triple ignored
    g = [doc(gold("CONSULT", ["PRK", "RUS"], ["PRK", "RUS"], symmetric=True))]
    r = evaluate_events(g, [pred("CONSULT", "PRK", "RUS"), pred("CONSULT", "RUS", "PRK")])
    assert (r.overall.tp, r.overall.fp, r.overall.fn, r.ignored_triples) == (1, 0, 0, 1)


def test_duplicate_predictions_reduce_to_one_triple() -> None:
    g = [doc(gold("SUPPORT", ["RUS"], ["PRK"]))]
    r = evaluate_events(g, [pred("SUPPORT", "RUS", "PRK")] * 3)
    assert (r.overall.tp, r.overall.fp, r.predicted_triples, r.predicted_events) == (1, 0, 1, 3)


def test_optional_gold_neither_rewards_nor_penalises() -> None:
    g = [doc(gold("CONSULT", ["PRK"], ["RUS"]), gold("SUPPORT", ["PRK"], ["RUS"], optional=True))]
    with_opt = evaluate_events(g, [pred("CONSULT", "PRK", "RUS"), pred("SUPPORT", "PRK", "RUS")])
    without = evaluate_events(g, [pred("CONSULT", "PRK", "RUS")])
    for r in (with_opt, without):
        assert (r.overall.tp, r.overall.fp, r.overall.fn) == (1, 0, 0)
    assert with_opt.ignored_triples == 1
    # an optional event alone is not a false negative when missed
    r = evaluate_events([doc(gold("SUPPORT", ["PRK"], ["RUS"], optional=True))], [])
    assert (r.overall.fn, r.gold_events, r.optional_gold) == (0, 0, 1)


def test_required_preferred_over_optional_and_matching_is_maximal() -> None:
    # triple A = CONSULT PRK->RUS can match the required symmetric g0 or the optional g1;
    # triple B = CONSULT RUS->PRK can match only g0 (directed optional g1 does not swap).
    # A greedy first-come pairing of A with g0 would leave B unmatched but still ignored;
    # the maximum matching must give 1 TP and no FN either way. A harder case: two
    # required events where greedy pairing loses one.
    g0 = gold("CONSULT", ["PRK", "RUS"], ["PRK", "RUS"], symmetric=True)
    g1 = gold("CONSULT", ["PRK"], ["RUS"], optional=True)
    r = evaluate_events([doc(g0, g1)], [pred("CONSULT", "PRK", "RUS")])
    assert (r.overall.tp, r.overall.fn) == (1, 0)
    # a: ACCUSE PRK->USA matches h0 (target USA|JPN) and h1 (USA); b: PRK->JPN only h0.
    h0 = gold("ACCUSE", ["PRK"], ["USA", "JPN"])
    h1 = gold("ACCUSE", ["PRK"], ["USA"])
    r = evaluate_events([doc(h0, h1)], [pred("ACCUSE", "PRK", "USA"), pred("ACCUSE", "PRK", "JPN")])
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (2, 0, 0)


def test_old_type_names_are_mapped() -> None:
    for old, new in ev.OLD_TYPES.items():
        g = [doc(gold(old, ["USA"], ["IRQ"]))]
        assert evaluate_events(g, [pred(new, "USA", "IRQ")]).overall.tp == 1, old
        assert evaluate_events(g, [pred(old, "USA", "IRQ")]).overall.tp == 1, old


def test_micro_average_over_documents() -> None:
    docs = [
        doc(gold("CONSULT", ["PRK"], ["RUS"]), id_="a"),
        doc(gold("ACCUSE", ["PRK"], ["USA"]), gold("THREATEN", ["PRK"], ["USA"]), id_="b"),
    ]
    preds = [pred("CONSULT", "PRK", "RUS", doc="a"), pred("ACCUSE", "PRK", "USA", doc="b"),
             pred("ASSAULT", "USA", "PRK", doc="b")]  # fmt: skip
    r = evaluate_events(docs, preds)
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (2, 1, 1)
    assert r.precision == pytest.approx(2 / 3) and r.recall == pytest.approx(2 / 3)
    assert r.per_type["THREATEN"].fn == 1 and r.per_type["ASSAULT"].fp == 1
    assert r.per_type["CONSULT"].f1 == 1.0


def test_prediction_for_same_triple_in_other_document_does_not_count() -> None:
    docs = [doc(gold("CONSULT", ["PRK"], ["RUS"]), id_="a"), doc(id_="b")]
    r = evaluate_events(docs, [pred("CONSULT", "PRK", "RUS", doc="b")])
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (0, 1, 1)


def test_unknown_documents_are_counted_not_scored() -> None:
    r = evaluate_events([doc()], [pred("CONSULT", "PRK", "RUS", doc="zzz")])
    assert (r.overall.fp, r.unknown_doc_events) == (0, 1)


def test_date_accuracy_uses_gold_precision_and_skips_null() -> None:
    docs = [doc(gold("CONSULT", ["PRK"], ["RUS"], date="2024-06"),
                gold("AGREE", ["PRK"], ["RUS"], date="2024-06-19"),
                gold("SUPPORT", ["RUS"], ["PRK"], date=None))]  # fmt: skip
    preds = [
        pred("CONSULT", "PRK", "RUS", date="2024-06-19"),  # month gold: right
        pred("AGREE", "PRK", "RUS", date="2024-06-18"),  # day gold: wrong
        pred("SUPPORT", "RUS", "PRK", date="2024-06-19"),
    ]  # null gold: not counted
    r = evaluate_events(docs, preds)
    assert (r.date_correct, r.date_total) == (1, 2)
    assert r.date_accuracy == 0.5


def test_location_accuracy_on_matched_events_with_gold_location() -> None:
    docs = [doc(gold("CONSULT", ["PRK"], ["RUS"], location="PRK"),
                gold("MOBILIZE", ["PRK"], [], location="PRK"),
                gold("ACCUSE", ["PRK"], ["USA"]))]  # fmt: skip
    preds = [
        pred("CONSULT", "PRK", "RUS", location="PRK"),
        pred("MOBILIZE", "PRK", None, location=None),
        pred("ACCUSE", "PRK", "USA", location="USA"),  # gold null: not counted
        pred("THREATEN", "PRK", "USA", location="PRK"),
    ]  # FP: not counted
    r = evaluate_events(docs, preds)
    assert (r.location_correct, r.location_total) == (1, 2)
    # the gold's unplaced event that the coder placed is counted apart, and printed
    assert (r.unplaced_placed, r.unplaced_total) == (1, 1)
    assert "placed, where the gold has no place: 1/1" in format_report(r)


def test_triple_carries_first_non_null_date_and_location() -> None:
    docs = [doc(gold("CONSULT", ["PRK"], ["RUS"], date="2024-06-19", location="PRK"))]
    preds = [
        pred("CONSULT", "PRK", "RUS", rule="first"),
        pred("CONSULT", "PRK", "RUS", date="2024-06-19", location="PRK", rule="second"),
        pred("CONSULT", "PRK", "RUS", date="2024-06-01", location="RUS", rule="third"),
    ]
    r = evaluate_events(docs, preds)
    assert (r.date_correct, r.location_correct) == (1, 1)


def test_errors_name_document_evidence_triple_and_rule() -> None:
    docs = [doc(gold("CONSULT", ["PRK"], ["RUS"]), id_="a")]
    r = evaluate_events(docs, [pred("ACCUSE", "PRK", "JPN", doc="a", rule="pattern:x",
                                    sentence="KCNA slammed Japan.")])  # fmt: skip
    fp = next(e for e in r.errors if e["kind"] == "FP")
    fn = next(e for e in r.errors if e["kind"] == "FN")
    assert fp["doc_id"] == "a" and fp["rule"] == "pattern:x"
    assert fp["evidence"] == "KCNA slammed Japan." and fp["triple"] == "ACCUSE PRK -> JPN"
    assert fn["triple"] == "CONSULT PRK -> RUS" and fn["evidence"] == "CONSULT evidence"
    text = format_report(r, errors=True)
    assert "pattern:x" in text and "KCNA slammed Japan." in text
    assert "pattern:x" not in format_report(r)


def test_duplicate_gold_ids_are_refused_or_renamed() -> None:
    twice = [doc(id_="x"), doc(id_="x")]
    with pytest.raises(ValueError):
        evaluate_events(twice, [])
    assert [d["id"] for d in ev.unique_ids(twice)] == ["x", "x#2"]


def test_matches_is_the_readme_rule() -> None:
    g = gold("REQUEST", ["IGO"], [])
    assert matches(ev.Triple("REQUEST", "IGO", None), g)
    assert not matches(ev.Triple("REQUEST", None, None), g)
    assert matches(ev.Triple("REQUEST", "IGO", None), {**g, "type": "DEMAND"})


def test_sentence_quad_choice() -> None:
    assert sentence_quad([]) == 0
    assert sentence_quad([{"event_type": "CONSULT"}]) == 1  # no code: the PLOVER category
    assert sentence_quad([{"event_type": "FIGHT"}]) == 4  # old name mapped
    # from the CAMEO code, Phoenix-style: appeals (02) are 0, reduce relations (16) verbal
    assert sentence_quad([{"event_type": "REQUEST", "cameo": "020"}]) == 0
    assert sentence_quad([{"event_type": "SANCTION", "cameo": "163"}]) == 3
    assert sentence_quad([{"event_type": "CONCEDE", "cameo": "081"}]) == 2
    # several events: the one whose trigger comes first in the sentence
    assert sentence_quad([{"event_type": "ASSAULT", "cameo": "190", "trigger": {"start": 40}},
                          {"event_type": "CONSULT", "cameo": "040", "trigger": {"start": 5}}]) == 1
    assert sentence_quad([{"event_type": "CONSULT"}, {"event_type": "ASSAULT"}]) == 1


def test_gold_span_offsets_repaired_from_text() -> None:
    text = "Troops fired on protesters in Nablus on Friday."
    assert ev._span(text, {"start": 30, "end": 36, "text": "Nablus"}) == (30, 36)
    assert ev._span(text, {"start": 3, "end": 9, "text": "Nablus"}) == (30, 36)
    assert ev._span(text, {"start": 3, "end": 9, "text": "Gaza"}) is None
    places = [(30, 36)]
    assert ev._location_agrees(text, {"text": "Nablus"}, places)
    assert not ev._location_agrees(text, None, places)
    assert ev._location_agrees(text, None, [])
    assert not ev._location_agrees(text, {"text": "Nablus"}, [])


def test_file_kind_and_cli_refuses_unknown(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert ev.file_kind("a/dev.jsonl") == "gold"
    assert ev.file_kind("x.jsonl.gz") == "location"
    assert ev.file_kind("train.tsv") == "quad"
    assert ev.file_kind("notes.txt") is None
    odd = tmp_path / "notes.txt"
    odd.write_text("x")
    assert ev.cli_evaluate([str(odd)]) == 2
    assert ev.cli_evaluate([str(tmp_path / "missing.jsonl")]) == 2
    assert "unknown kind" in capsys.readouterr().out


def test_shared_gold_files_are_readable(shared: Path) -> None:
    rows = ev.read_quad_tsv(shared / "gold/conflibert_cameo_class/train.tsv")
    assert len(rows) == 135 and {label for _, label in rows} == {0, 1, 2, 3, 4}  # every 10th
    docs = ev.unique_ids(ev.load_gold(shared / "gold/plover_gsr_dev.jsonl"))
    perfect = [pred(e["type"], (e["source"] or [None])[0], (e["target"] or [None])[0],
                    doc=d["id"]) for d in docs for e in d["events"]]  # fmt: skip
    r = evaluate_events(docs, perfect)
    assert r.overall.fn == 0 and r.overall.fp == 0
    with gzip.open(shared / "gold/event_location/event_verb_location_subset.jsonl.gz", "rt") as fh:
        item = json.loads(fh.readline())
    verb = next(s for s in item["spans"] if s["label"] == "VERB")
    assert ev._span(item["text"], verb) is not None


# ---------------------------------------------------------------- the dev gold set

ISO3 = re.compile(r"^[A-Z]{3}$")
DATE = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$"),
        "year": re.compile(r"^\d{4}$")}  # fmt: skip


@pytest.fixture(scope="module")
def dev() -> list[dict[str, Any]]:
    """Every document of the project's gold (tests/gold/*.jsonl and the agreement codings)."""
    folder = DEV.parent
    files = sorted(folder.glob("*.jsonl")) + sorted((folder / "agreement").glob("*.jsonl"))
    return [d for f in files for d in ev.load_gold(f)]


def test_dev_gold_size_and_ids() -> None:
    seen = ev.load_gold(DEV)
    assert len(seen) >= 40
    ids = [d["id"] for d in seen]
    assert len(set(ids)) == len(ids)
    assert any(not [e for e in d["events"] if not e["optional"]] for d in seen)  # no-event docs


def test_dev_gold_texts_are_corpus_texts(dev: list[dict[str, Any]], shared: Path) -> None:
    import csv

    kcna = {}
    with open(shared / "corpus/kcna_2024_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            kcna[rec["id"]] = rec
    with open(shared / "corpus/rodong_sinmun_en_sample.csv", encoding="utf-8", newline="") as fh:
        rodong = {r["doc_id"]: r for r in csv.DictReader(fh)}
    seed = (shared / "corpus/seed-rodong-2020-04-23.txt").read_text(encoding="utf-8")
    for d in dev:
        if d["id"] in kcna:
            assert d["text"] == kcna[d["id"]]["text"] and d["date"] == kcna[d["id"]]["date"]
        elif d["id"] in rodong:
            assert d["text"] == rodong[d["id"]]["text"] and d["date"] == rodong[d["id"]]["date"]
        elif d["id"].startswith(("kcna-", "rodong_sinmun_en_", "seed-")):
            assert d["id"] == "seed-rodong-2020-04-23", d["id"]
            assert d["text"] in seed and d["text"].startswith("It has been a year since")
            assert d["text"].endswith("against Covid-19.") and d["date"] == "2020-04-23"


def test_dev_gold_events_follow_schema(dev: list[dict[str, Any]]) -> None:
    keys = {
        "type",
        "mode",
        "source",
        "target",
        "source_name",
        "target_name",
        "symmetric",
        "optional",
        "date",
        "date_precision",
        "location",
        "location_name",
        "evidence",
    }
    for d in dev:
        assert set(d) >= {"id", "title", "date", "source", "text", "events"}, d["id"]
        assert DATE["day"].match(d["date"]), d["id"]
        for e in d["events"]:
            where = f"{d['id']}: {e}"
            assert set(e) == keys, where
            assert e["type"] in PLOVER_TYPES, where
            assert isinstance(e["symmetric"], bool) and isinstance(e["optional"], bool), where
            assert e["source"], where
            for code in e["source"] + e["target"]:
                assert code == "IGO" or ISO3.match(code), where
            if e["symmetric"]:  # both sides named; the scorer swaps them itself
                assert e["target"], where
            if e["date"] is None:
                assert e["date_precision"] is None, where
            else:
                assert DATE[e["date_precision"]].match(e["date"]), where
            assert e["location"] is None or ISO3.match(e["location"]), where
            assert e["evidence"] and e["evidence"] in d["text"], where
            assert " -0-" not in e["evidence"] and "(KCNA) --" not in e["evidence"], where


def test_dev_gold_has_no_same_triple_twice(dev: list[dict[str, Any]]) -> None:
    for d in dev:
        seen = set()
        for e in d["events"]:
            key = (e["type"], tuple(e["source"]), tuple(e["target"]))
            assert key not in seen, (d["id"], key)
            seen.add(key)


def _distinct_targets(events: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | None]]:
    """Each required event with a target code of its own: two events may accept the same
    country ("→ IRN" and "→ IRQ|IRN"), and a perfect coder names each once (events with
    fewer acceptable codes choose first, so "→ KOR" keeps KOR and "→ IGO|KOR" takes IGO)."""
    used: set[tuple[str, str, str | None]] = set()
    out = []
    for e in sorted(events, key=lambda e: len(e["target"])):
        if e["optional"]:
            continue
        codes = list(reversed(e["target"])) or [None]
        tgt = next((c for c in codes if (e["type"], e["source"][0], c) not in used), codes[0])
        used.add((e["type"], e["source"][0], tgt))
        out.append((e, tgt))
    return out


def test_dev_gold_scores_perfectly_against_itself() -> None:
    # a prediction of every required event (first listed codes) must score P = R = 1
    folder = DEV.parent
    for path in sorted(folder.glob("*.jsonl")) + sorted((folder / "agreement").glob("*.jsonl")):
        docs = ev.load_gold(path)
        preds = [pred(e["type"], e["source"][0], tgt, doc=d["id"], date=e["date"],
                      location=e["location"])
                 for d in docs for e, tgt in _distinct_targets(d["events"])]  # fmt: skip
        r = evaluate_events(docs, preds)
        assert r.overall.fp == 0 and r.overall.fn == 0, path
        assert r.date_accuracy in (None, 1.0) and r.location_accuracy in (None, 1.0), path


def test_evaluate_reads_prediction_jsonl(tmp_path: Path) -> None:
    gold_path = tmp_path / "g.jsonl"
    gold_path.write_text(json.dumps(doc(gold("CONSULT", ["PRK"], ["RUS"]), id_="a")) + "\n")
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps(pred("CONSULT", "RUS", "PRK", doc="a")) + "\n")
    r = ev.evaluate(gold_path, preds)
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (0, 1, 1)  # directed gold, swapped


# ---------------------------------------------------------------- with the pipeline


def test_run_gold_with_pipeline_keeps_the_books() -> None:
    r = ev.run_gold(DEV, limit=6)
    assert r.documents == 6
    assert r.overall.tp + r.overall.fn == r.gold_events
    assert r.overall.tp + r.overall.fp + r.ignored_triples == r.predicted_triples
    assert len(r.errors) == r.overall.fp + r.overall.fn
    assert all(e["rule"] for e in r.errors if e["kind"] == "FP")
    assert "ALL" in format_report(r, errors=True)


def test_quad_and_location_runs_keep_the_books(shared: Path) -> None:
    q = ev.quad_class_accuracy(shared / "gold/conflibert_cameo_class/train.tsv", limit=15)
    assert q.total == 15 and sum(map(sum, q.confusion)) == 15
    assert q.failed <= q.confusion[0][0] + sum(q.confusion[g][0] for g in range(1, 5))
    assert q.correct == sum(q.confusion[i][i] for i in range(5))
    loc = ev.location_accuracy(
        shared / "gold/event_location/event_verb_location_subset.jsonl.gz", limit=15
    )
    assert loc.total + loc.skipped == 15
    assert loc.correct == loc.gold_place_correct + loc.gold_none_correct <= loc.with_event


def test_a_match_with_a_wrong_date_or_place_is_listed_not_counted_as_an_error() -> None:
    g = [doc(gold("CONSULT", ["PRK"], ["RUS"], date="2019-04-25", location="RUS"))]
    r = evaluate_events(g, [pred("CONSULT", "PRK", "RUS", date="2020-04-23", location="PRK")])
    assert (r.overall.tp, r.overall.fp, r.overall.fn) == (1, 0, 0)
    assert not r.errors
    assert sorted(e["kind"] for e in r.misplaced) == ["DATE", "PLACE"]
    text = format_report(r, errors=True)
    assert "PLACE d1" in text and "loc=PRK (gold RUS)" in text
    assert "date=2020-04-23 (gold 2019-04-25)" in text
    right = evaluate_events(g, [pred("CONSULT", "PRK", "RUS", date="2019-04-25",
                                     location="RUS")])
    assert not right.misplaced and right.date_accuracy == right.location_accuracy == 1.0
