"""Boosted trees as data (tidings.forest): the shipped walk is scikit-learn's prediction, the
JSON form round-trips, a malformed file fails naming where, and trees learn what a logistic
model cannot (a feature that means one thing with another and the opposite without it)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from tidings import forest as forest_mod
from tidings import train as train_mod
from tidings.scorer import Model, Scorer, read_model
from tidings.train import Row, fit, fit_trees


def _interaction_rows() -> list[Row]:
    """A trigger in a relative clause is background in the body and news in the lead:
    label 1 when both or neither of two features hold, which no sum of weights can say.
    (The lead feature holds in a quarter of the rows: on a balanced exclusive-or no single
    split gains anything and greedy trees would not start.)"""
    rows = []
    for i in range(400):
        a, b = i % 2, int((i // 2) % 4 == 0)
        feats = {"rule=x": 1.0, **({"relcl": 1.0} if a else {}), **({"lead": 1.0} if b else {})}
        rows.append(Row(f"doc{i % 40}", {}, feats, int(a == b)))
    return rows


@pytest.fixture(autouse=True)
def few_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fewer, shallower trees than shipped: these data need no more, and tests stay quick."""
    monkeypatch.setattr(train_mod, "TREE_SETTINGS",
                        {**train_mod.TREE_SETTINGS, "max_iter": 40, "learning_rate": 0.3})


def test_trees_learn_an_interaction_the_logistic_model_cannot() -> None:
    rows = _interaction_rows()
    forest = fit_trees(rows)
    cases = [{"rule=x": 1.0}, {"rule=x": 1.0, "relcl": 1.0}, {"rule=x": 1.0, "lead": 1.0},
             {"rule=x": 1.0, "relcl": 1.0, "lead": 1.0}]
    truth = [1, 0, 0, 1]
    p = forest.probabilities(cases)
    assert [int(x >= 0.5) for x in p] == truth
    weights, bias = fit(rows, 1.0)
    q = Model(weights, bias, 0.5).probabilities(cases)
    assert [int(x >= 0.5) for x in q] != truth


def test_the_walk_is_scikit_learns_prediction() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((300, 4))
    y = ((x[:, 0] > 0.5) ^ (x[:, 1] > 0.3)).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=30, max_depth=4, random_state=0,
                                         early_stopping=False).fit(x, y)
    names = ["f0", "f1", "f2", "f3"]
    forest = forest_mod.from_sklearn(clf, names)
    rows = [dict(zip(names, map(float, r), strict=True)) for r in x[:50]]
    ours = np.array(forest.probabilities(rows))
    assert np.abs(ours - clf.predict_proba(x[:50])[:, 1]).max() < 1e-4
    assert forest.depth <= 4
    # a feature no split uses is not shipped; an absent feature reads as 0.0
    assert set(forest.features) <= set(names)
    assert forest.probabilities([{}])[0] == pytest.approx(
        clf.predict_proba(np.zeros((1, 4)))[0, 1], abs=1e-4)


def test_a_scorer_with_trees_round_trips_through_its_file(tmp_path) -> None:
    forest = fit_trees(_interaction_rows())
    scorer = Scorer({"sentence": Model({"a": 1.0}, 0.0, 0.5),
                     "article": Model({}, 0.0, 0.45, forest=forest)}, "h", {})
    path = tmp_path / "scorer.json"
    path.write_text(scorer.to_json(), "utf-8")
    back = read_model(path)
    article = back.models["article"]
    assert article.forest is not None and article.threshold == 0.45
    probe = [{"relcl": 1.0}, {"lead": 1.0, "relcl": 1.0}, {"other": 2.0}]
    assert article.probabilities(probe) == pytest.approx(forest.probabilities(probe), abs=1e-9)
    # each tree is one line of the file
    text = path.read_text("utf-8")
    assert len(text.splitlines()) < 60 + len(json.loads(text)["regimes"]["article"]["trees"])


def test_a_malformed_forest_fails_naming_where() -> None:
    bad = {"baseline": 0.0, "features": ["a"], "trees": [[["a", 0.5, 1, 7, 0.0],
                                                          [None, 0.0, 0, 0, 1.0]]]}
    with pytest.raises(ValueError, match="scorer.json: article: not a forest"):
        forest_mod.from_data(bad, "scorer.json: article")
    unknown = {"baseline": 0.0, "features": ["a"], "trees": [[["b", 0.5, 1, 2, 0.0],
                                                              [None, 0, 0, 0, 1.0],
                                                              [None, 0, 0, 0, -1.0]]]}
    with pytest.raises(ValueError, match="not a forest"):
        forest_mod.from_data(unknown, "x")


def test_a_forest_of_leaves_alone_is_its_baseline_plus_leaves() -> None:
    f = forest_mod.build(("a",), 0.5, [[(None, 0.0, 0, 0, 0.25)], [(None, 0.0, 0, 0, -0.75)]])
    assert f.depth == 0
    assert f.raw([{"a": 1.0}, {}]).tolist() == [0.0, 0.0]
    assert f.probabilities([]) == []
