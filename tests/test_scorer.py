"""The decide stage (tidings.scorer) and its training (tidings.train), on sentences written
for these tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tidings import gold, scorer
from tidings.model import Article
from tidings.scorer import Model, decide, features, read_model
from tidings.train import label

TESTS = Path(__file__).resolve().parent


def _event(etype: str, src: str, tgt: str | None, start: int, end: int, *,
           verdict: str = "keep", rule: str = "pattern:test/verb") -> dict[str, Any]:
    return {"event_type": etype, "mode": None, "cameo": "040", "rule": rule,
            "source": {"text": src, "country": src},
            "target": {"text": tgt, "country": tgt} if tgt else None,
            "trigger": {"start": start, "end": end}, "sentence_index": 0,
            "date": None, "date_source": None, "location": None,
            "proposal": {"verdict": verdict}}


def _span(text: str, word: str) -> tuple[int, int]:
    i = text.index(word)
    return i, i + len(word)


@pytest.fixture(scope="module")
def parsed(nlp: Any) -> Any:
    def parse(text: str) -> tuple[Any, Article]:
        return nlp(text), Article(id="t", text=text, published="2024-08-04")
    return parse


def test_without_a_model_the_rules_verdict_decides(parsed: Any) -> None:
    doc, art = parsed("Russia condemned Japan. Russia did not attack Japan.")
    kept = _event("ACCUSE", "RUS", "JPN", *_span(doc.text, "condemned"))
    dropped = _event("ASSAULT", "RUS", "JPN", *_span(doc.text, "attack"), verdict="negated")
    out = decide([kept, dropped], doc, art, None, model=None)
    assert [e["event_type"] for e in out] == ["ACCUSE"]
    assert out[0]["confidence"] is None and "proposal" not in out[0]


def test_a_model_overrules_the_rules_by_its_threshold(parsed: Any) -> None:
    doc, art = parsed("Russia condemned Japan. Russia did not attack Japan.")
    kept = _event("ACCUSE", "RUS", "JPN", *_span(doc.text, "condemned"))
    dropped = _event("ASSAULT", "RUS", "JPN", *_span(doc.text, "attack"), verdict="negated")
    model = Model({"type=ASSAULT": 3.0, "type=ACCUSE": -3.0}, 0.0, 0.5)
    out = decide([kept, dropped], doc, art, None, model=model)
    assert [e["event_type"] for e in out] == ["ASSAULT"]
    assert out[0]["confidence"] == pytest.approx(0.9526, abs=1e-3)


def test_one_type_per_trigger_and_pair_the_most_probable(parsed: Any) -> None:
    doc, art = parsed("China sent a message to Laos.")
    a, b = _span(doc.text, "sent")
    support = _event("SUPPORT", "CHN", "LAO", a, b)
    consult = _event("CONSULT", "CHN", "LAO", a, b)
    model = Model({"type=SUPPORT": 2.0, "type=CONSULT": 1.0}, 0.0, 0.5)
    out = decide([consult, support], doc, art, None, model=model)
    assert [e["event_type"] for e in out] == ["SUPPORT"]
    # another target is another slot: both kept
    other = _event("CONSULT", "CHN", "VNM", a, b)
    out = decide([consult, other], doc, art, None, model=model)
    assert len(out) == 2


def test_a_slot_keeps_the_types_the_guide_codes_together(parsed: Any) -> None:
    # guide §2: a statement that both condemns and threatens gets ACCUSE and THREATEN to the
    # same target, so one trigger may carry both; other types of a slot stay rivals
    doc, art = parsed("Russia warned that Japan would pay dearly for its crimes.")
    a, b = _span(doc.text, "pay")
    accuse = _event("ACCUSE", "RUS", "JPN", a, b)
    threaten = _event("THREATEN", "RUS", "JPN", a, b)
    mobilize = _event("MOBILIZE", "RUS", "JPN", a, b)
    model = Model({"type=ACCUSE": 2.0, "type=THREATEN": 1.0, "type=MOBILIZE": 0.5}, 0.0, 0.5)
    out = decide([accuse, threaten, mobilize], doc, art, None, model=model)
    assert [e["event_type"] for e in out] == ["ACCUSE", "THREATEN"]
    # below the threshold the partner type is not kept for the winner's sake
    low = Model({"type=ACCUSE": 2.0, "type=THREATEN": -1.0}, 0.0, 0.5)
    out = decide([accuse, threaten], doc, art, None, model=low)
    assert [e["event_type"] for e in out] == ["ACCUSE"]
    # a rival that wins the slot keeps both co-coded types out
    rival = Model({"type=ACCUSE": 1.0, "type=THREATEN": 1.0, "type=MOBILIZE": 3.0}, 0.0, 0.5)
    out = decide([accuse, threaten, mobilize], doc, art, None, model=rival)
    assert [e["event_type"] for e in out] == ["MOBILIZE"]
    # two candidates of one type in one slot are one event
    again = _event("ACCUSE", "RUS", "JPN", a, b, rule="discourse:judgement")
    out = decide([accuse, again, threaten], doc, art, None, model=model)
    assert [e["event_type"] for e in out] == ["ACCUSE", "THREATEN"]


def test_clause_features_see_conditions_relatives_negation_and_quotes(parsed: Any) -> None:
    doc, art = parsed('If Japan attacks, Russia will respond. Japan, which invaded Korea, '
                      'spoke. "We will strike," he said. France did not protest.')
    def feats(word: str) -> dict[str, float]:
        ev = _event("ASSAULT", "JPN", None, *_span(doc.text, word))
        return features(ev, doc, art, None, len(list(doc.sents)))
    assert feats("attacks")["mark=if"] == 1.0
    assert feats("invaded")["dep=relcl"] == 1.0
    assert feats("strike").get("quoted") == 1.0
    assert feats("protest").get("negated") == 1.0
    assert "quoted" not in feats("attacks") and "negated" not in feats("attacks")


def test_article_features_see_age_genre_and_position(parsed: Any) -> None:
    doc, art = parsed("Russia met Japan. Laos met Vietnam.")
    ev = _event("CONSULT", "RUS", "JPN", *_span(doc.text, "met"))
    ev["date"] = "1950"
    f = features(ev, doc, art, "PRK", 2)
    assert f["age=older"] == 1.0 and f["genre=agency"] == 1.0 and f["position=lead"] == 1.0
    ev["date"] = "2024-08-03"
    f = features(ev, doc, art, None, 2)
    assert f["age=same-week"] == 1.0
    art.source = "KCNA"
    assert features(ev, doc, art, "PRK", 2)["genre=state-media"] == 1.0
    art.source = "U.S. Department of State"
    assert features(ev, doc, art, "USA", 2)["genre=government"] == 1.0


def test_labels_follow_the_gold_rules() -> None:
    g = [{"type": "ACCUSE", "source": ["PRK"], "target": ["USA"], "symmetric": False,
          "optional": False},
         {"type": "SUPPORT", "source": ["PRK"], "target": ["RUS"], "symmetric": False,
          "optional": True}]
    from tidings.train import OPTIONAL_WEIGHT

    assert label(_event("ACCUSE", "PRK", "USA", 0, 1), g) == (1, 1.0)
    assert label(_event("SUPPORT", "PRK", "RUS", 0, 1), g) == (1, OPTIONAL_WEIGHT)
    assert label(_event("ACCUSE", "PRK", "JPN", 0, 1), g) == (0, 1.0)


def test_a_document_with_many_candidates_weighs_less_per_candidate() -> None:
    from tidings.train import DOC_WEIGHT_EXPONENT, Row, per_document_weights

    rows = [Row("list", {}, {}, 0) for _ in range(16)] + [Row("short", {}, {}, 1, 0.5)]
    got = per_document_weights(rows, 0.5)
    assert [r.weight for r in got] == [0.25] * 16 + [0.5]  # 16 ** -0.5; one candidate: as is
    assert sum(r.weight for r in got if r.doc_id == "list") == 4.0  # sqrt(16), not 16
    assert per_document_weights(rows, 0.0) == rows  # no exponent: nothing changes
    assert set(DOC_WEIGHT_EXPONENT) == {"sentence", "article"}


def test_a_regime_is_not_given_the_features_it_leaves_out() -> None:
    from tidings import train

    feats = {"has_location=True": 1.0, "lemma=meet": 1.0}
    rows = [train.Row("a", {}, dict(feats), 1), train.Row("s", {}, dict(feats), 1)]
    docs = [{"id": "a"}, {"id": "s"}]
    train.REGIME_OF.update({"a": "article", "s": "sentence"})
    try:
        (_, (art,)), (_, (sent,)) = (train.in_regime(docs, rows, r)
                                     for r in ("article", "sentence"))
    finally:
        del train.REGIME_OF["a"], train.REGIME_OF["s"]
    assert art.feats == {"lemma=meet": 1.0}  # where it was placed: not evidence of an event
    assert sent.feats == feats
    assert rows[0].feats == feats  # the caller's rows are left as they were


def test_a_model_file_round_trips_and_a_wrong_file_is_named(tmp_path: Path) -> None:
    from tidings.scorer import Scorer

    m = Scorer({"sentence": Model({}, 0.0, 0.5, rules=True),
                "article": Model({"a": 1.5, "b": -0.25}, 0.1, 0.45)}, "abc", {"n": 1})
    path = tmp_path / "m.json"
    path.write_text(m.to_json(), "utf-8")
    back = read_model(path)
    assert back.data_hash == "abc" and back.models["article"].weights == {"a": 1.5, "b": -0.25}
    assert back.models["sentence"].rules and not back.models["article"].rules
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"kind": "tree"}), "utf-8")
    with pytest.raises(ValueError, match="bad.json"):
        read_model(bad)


@pytest.mark.parametrize("text", [
    "{",  # cut short
    "[]",
    json.dumps({"kind": "regimes", "regimes": {"sentence": {"kind": "rules"},
                                              "article": {"kind": "logistic", "weights": {}}}}),
    json.dumps({"kind": "regimes", "regimes": {"sentence": {"kind": "rules"},
                                              "article": {"kind": "trees"}}}),
    json.dumps({"kind": "regimes", "regimes": {"sentence": [], "article": {"kind": "rules"}}}),
])
def test_a_damaged_model_file_fails_with_its_name(tmp_path: Path, text: str) -> None:
    """A hand-edited or truncated file names itself, never a bare KeyError."""
    path = tmp_path / "damaged.json"
    path.write_text(text, "utf-8")
    with pytest.raises(ValueError, match="damaged.json"):
        read_model(path)


def test_each_regime_decides_with_its_own_model(parsed: Any) -> None:
    from tidings.scorer import Scorer, regime_of

    assert regime_of(1) == "sentence" and regime_of(2) == "article"
    one, _ = parsed("Russia condemned Japan.")
    two, art = parsed("Russia condemned Japan. Laos met Cuba.")
    ev = _event("ACCUSE", "RUS", "JPN", *_span(one.text, "condemned"))
    scorer_ = Scorer({"sentence": Model({}, 0.0, 0.5, rules=True),
                      "article": Model({}, -5.0, 0.5)})
    assert decide([dict(ev)], one, art, None, model=scorer_)  # the rules keep it
    assert decide([dict(ev)], two, art, None, model=scorer_) == []  # the model does not


def test_the_shipped_model_was_trained_on_todays_train_split() -> None:
    model = scorer.load_model()
    if model is None:
        pytest.skip("no model shipped: the rules decide")
    assert set(model.models) == set(scorer.REGIMES)
    train_docs = gold.of_split(gold.load([TESTS / "gold", TESTS / "gold" / "external"]),
                               "train")
    assert model.data_hash == gold.data_hash(train_docs), (
        "tests/gold changed since the model was trained: run `make train` and commit "
        "tidings/data/model/scorer.json")


def test_training_is_deterministic(tmp_path: Path) -> None:
    from tidings.train import train

    articles = [{k: v for k, v in d.items() if k != "split_reason"}
                for d in gold.load([TESTS / "gold" / "state_media_seen.jsonl"])]
    sentences = gold.load([TESTS / "gold" / "external"])[:40]
    docs = [{**d, "split": "train" if i % 4 else "dev"}
            for i, d in enumerate(articles + sentences)]
    path = tmp_path / "g.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(d) + "\n" for d in docs)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    meta = train([path], a)
    train([path], b)
    assert a.read_bytes() == b.read_bytes()
    train_docs = [d for d in docs if d["split"] == "train"]
    assert meta["train_documents"] == len(train_docs)
    assert set(meta["per_regime"]) == set(scorer.REGIMES)
    assert read_model(a).data_hash == gold.data_hash(train_docs)


def test_the_seed_article_with_the_shipped_model(seed_path: Path) -> None:
    from tidings.pipeline import code_text

    if scorer.load_model() is None:
        pytest.skip("no model shipped")
    coded = code_text(seed_path.read_text("utf-8"), date="2020-04-23", source="Rodong Sinmun")
    got = {(e["event_type"], e["source"]["country"], (e["target"] or {}).get("country"),
            e["date"]) for e in coded.events}
    assert ("CONSULT", "PRK", "RUS", "2019-04-25") in got  # the Vladivostok summit
    assert all(isinstance(e["confidence"], float) for e in coded.events)
    shipped = scorer.load_model()
    assert shipped is not None
    threshold = shipped.models["article"].threshold
    assert all(e["confidence"] >= threshold for e in coded.events)


def test_rules_and_model_are_compared_on_the_same_new_documents() -> None:
    """The rules' F1 is read on the documents they were not written on; the model's must be
    read on those too, not on all (a rules-seen document the model misses must not count)."""
    from tidings.train import Row, _model_on_new, _rules_alone, cross_validate

    def doc(i: int, seen: bool) -> dict[str, Any]:
        return {"id": f"d{i}", "rules_seen": seen, "events": [
            {"type": "ACCUSE", "source": ["PRK"], "target": ["USA"], "symmetric": False,
             "optional": False}]}

    new = [doc(i, False) for i in range(60)]  # 60 events: enough to judge (MIN_COMPARE_EVENTS)
    seen = [doc(i, True) for i in range(60, 70)]
    rows = []
    for d in new:  # a right candidate the rules keep and a wrong one they keep too
        rows.append(Row(d["id"], _event("ACCUSE", "PRK", "USA", 0, 1), {"good": 1.0}, 1))
        rows.append(Row(d["id"], _event("ACCUSE", "PRK", "JPN", 0, 1), {"bad": 1.0}, 0))
    for d in seen:  # the model drops the only candidate: a miss on a rules-seen document
        rows.append(Row(d["id"], _event("ACCUSE", "PRK", "USA", 0, 1), {"bad": 1.0}, 1))
    train_docs, dev_docs = new[:45] + seen, new[45:]
    train_rows = [r for r in rows if r.doc_id in {d["id"] for d in train_docs}]
    dev_rows = [r for r in rows if r.doc_id in {d["id"] for d in dev_docs}]
    model = Model({"good": 3.0, "bad": -3.0}, 0.0, 0.5)
    assert _rules_alone(train_rows, train_docs, dev_rows, dev_docs) == pytest.approx(2 / 3)
    _, folds = cross_validate(train_rows, train_docs, "logistic", c_grid=(1.0,))
    assert _model_on_new(train_docs, dev_rows, dev_docs, model, folds[1.0]) == 1.0
    # too few events to judge: the rules are not compared at all
    assert _rules_alone(train_rows[:40], train_docs[:20], [], []) == 0.0


def test_an_act_told_in_several_sentences_is_counted(parsed: Any) -> None:
    """Redundancy: the triple of a visit told in the lead and again later is counted in two
    sentences; a passing mention in one; a lone sentence counts nothing (it tells each once)."""
    from tidings.scorer import candidate_features, support_features

    text = "Laos visited Cuba. Crowds cheered. Laos met Cuba there. Laos criticised Japan."
    doc, art = parsed(text)
    visit = _event("CONSULT", "LAO", "CUB", *_span(text, "visited"))
    talks = {**_event("CONSULT", "LAO", "CUB", *_span(text, "met")), "sentence_index": 2}
    blame = {**_event("ACCUSE", "LAO", "JPN", *_span(text, "criticised")), "sentence_index": 3}
    feats = support_features([visit, talks, blame])
    assert feats[0]["triple_sentences=2"] == feats[1]["triple_sentences=2"] == 1.0
    assert feats[0]["triple_in_lead"] == 1.0 and feats[2]["triple_sentences=1"] == 1.0
    assert "triple_in_lead" not in feats[2] and feats[2]["pair_sentences=1"] == 1.0
    one, art1 = parsed("Laos visited Cuba.")
    [(_, lone)] = candidate_features([_event("CONSULT", "LAO", "CUB", 5, 12)], one, art1, None)
    assert not any(k.startswith(("triple_", "pair_")) for k in lone)
    [(_, many)] = candidate_features([dict(visit)], doc, art, None)
    assert many["triple_sentences=1"] == 1.0
