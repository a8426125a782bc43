"""Gradient-boosted trees as data: the article regime's scorer (``scorer.Model``).

Why trees: the logistic model adds up one weight per feature, so it cannot learn that a
feature means one thing with another and the opposite without it (an accusation's trigger in
a relative clause is background, in the lead it is news; a state outlet's own voice is the
source of a statement but not of a visit). Boosted trees learn such interactions from the
train split. They are fitted by scikit-learn (``tidings.train``) and shipped as plain JSON,
as the logistic weights are: no pickle, nothing that runs code on load, and no scikit-learn
at coding time.

The trees are evaluated all at once with numpy: every candidate of an article walks every
tree one level per step, so an article's candidates cost a few array operations per level
rather than a Python loop per node.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

# Rounding of leaf values and the baseline in the shipped file: 400 leaves of a walk move
# the log-odds by at most 2e-4, far below a threshold step (0.05), and it keeps the file
# small. Thresholds are kept exact: a rounded one could send a candidate the other way.
DIGITS = 6


@dataclass(frozen=True, eq=False)
class Forest:
    """Regression trees whose summed leaves, plus a baseline, are a log-odds.

    The nodes of all trees lie in flat arrays; a leaf has feature -1 and points to itself,
    so a walk that reaches it early stays there. A candidate goes left when its value of the
    node's feature (0.0 when absent) is at most the node's threshold, as scikit-learn's
    HistGradientBoostingClassifier decides on data without missing values.
    """

    features: tuple[str, ...]
    baseline: float
    feature: np.ndarray    # int: index into features, -1 at a leaf
    threshold: np.ndarray  # float
    left: np.ndarray       # int: global node index
    right: np.ndarray      # int
    value: np.ndarray      # float: the leaf's log-odds (0 at inner nodes)
    roots: np.ndarray      # int: each tree's first node
    depth: int             # the longest root-to-leaf walk

    def raw(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """The log-odds of each feature dict."""
        x = self._matrix(rows)
        width = x.shape[1]
        flat = x.ravel()
        node = np.tile(self.roots, (len(rows), 1))
        offset = (np.arange(len(rows)) * width)[:, None]
        column, threshold, children = self._walk
        for _ in range(self.depth):
            go_right = flat[offset + column[node]] > threshold[node]
            node = children[node * 2 + go_right]
        return np.asarray(self.baseline + self.value[node].sum(axis=1), dtype=float)

    @cached_property
    def _walk(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per node its column (a leaf reads column 0 and stays put), its threshold, and its
        two children interleaved (left at 2i, right at 2i+1): one gather a level."""
        children = np.empty(2 * len(self.feature), dtype=np.int64)
        children[0::2], children[1::2] = self.left, self.right
        return np.maximum(self.feature, 0), self.threshold, children

    @cached_property
    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.features)}

    def _matrix(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        return dense(rows, self.index, width=max(1, len(self.features)))

    def probabilities(self, rows: Sequence[Mapping[str, float]]) -> list[float]:
        if not rows:
            return []
        z = np.clip(self.raw(rows), -30.0, 30.0)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]

    def to_data(self) -> dict[str, Any]:
        """Each tree as a list of nodes [feature name or null, threshold, left, right,
        value], its indices local to the tree."""
        trees = []
        roots = [*self.roots.tolist(), len(self.feature)]
        for a, b in zip(roots, roots[1:], strict=False):
            trees.append([
                [None, 0.0, 0, 0, float(self.value[i])] if self.feature[i] < 0 else
                [self.features[self.feature[i]], float(self.threshold[i]),
                 int(self.left[i]) - a, int(self.right[i]) - a, 0.0]
                for i in range(a, b)])
        return {"baseline": self.baseline, "features": list(self.features), "trees": trees}


def dense(rows: Sequence[Mapping[str, float]], index: Mapping[str, int], width: int,
          dtype: Any = float) -> np.ndarray:
    """The feature dicts as a matrix of the named columns (absent: 0.0; unnamed: left out),
    as the trees are fitted (``train.fit_trees``) and walked."""
    x = np.zeros((len(rows), width), dtype=dtype)
    for r, feats in enumerate(rows):
        for name, v in feats.items():
            i = index.get(name)
            if i is not None:
                x[r, i] = v
    return x


def from_data(data: Mapping[str, Any], where: str) -> Forest:
    """A forest from its JSON form; a malformed one fails here, naming where it is."""
    try:
        features = tuple(str(f) for f in data["features"])
        index = {name: i for i, name in enumerate(features)}
        return build(features, float(data["baseline"]),
                     [[(None if n[0] is None else index[n[0]], float(n[1]), int(n[2]),
                        int(n[3]), float(n[4])) for n in tree] for tree in data["trees"]])
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise ValueError(f"{where}: not a forest of trees ({type(e).__name__}: {e})") from e


Node = tuple[int | None, float, int, int, float]  # feature index, threshold, left, right, value


def build(features: tuple[str, ...], baseline: float,
          trees: Sequence[Sequence[Node]]) -> Forest:
    """A forest from trees of nodes with tree-local child indices (validated: every child
    lies inside its tree and below its parent, so every walk ends at a leaf)."""
    flat: list[tuple[int, float, int, int, float]] = []
    roots: list[int] = []
    depth = 0
    for t, tree in enumerate(trees):
        if not tree:
            raise ValueError(f"tree {t} has no node")
        base = len(flat)
        roots.append(base)
        levels = [0] * len(tree)
        for i, (f, thr, lo, hi, v) in enumerate(tree):
            if f is None:
                flat.append((-1, math.inf, base + i, base + i, round(v, DIGITS)))
                continue
            if not (0 <= f < len(features)) or not (i < lo < len(tree) and i < hi < len(tree)):
                raise ValueError(f"tree {t} node {i}: a child or feature out of range")
            levels[lo] = levels[hi] = levels[i] + 1
            flat.append((f, thr, base + lo, base + hi, 0.0))
        depth = max(depth, max(levels))
    cols = list(zip(*flat, strict=True)) if flat else [(), (), (), (), ()]
    ints = [np.array(c, dtype=np.int64) for c in (cols[0], cols[2], cols[3])]
    return Forest(features, round(baseline, DIGITS), ints[0], np.array(cols[1], dtype=float),
                  ints[1], ints[2], np.array(cols[4], dtype=float),
                  np.array(roots, dtype=np.int64), depth)


def from_sklearn(clf: Any, names: Sequence[str]) -> Forest:
    """The trees of a fitted binary HistGradientBoostingClassifier, under the feature names
    of its columns; only the features a split uses are kept."""
    used: dict[int, int] = {}
    trees: list[list[Node]] = []
    for (predictor,) in clf._predictors:  # one tree per iteration for a binary task
        nodes = predictor.nodes
        tree: list[Node] = []
        for n in nodes:
            if n["is_leaf"]:
                tree.append((None, 0.0, 0, 0, float(n["value"])))
            else:
                col = used.setdefault(int(n["feature_idx"]), len(used))
                tree.append((col, float(n["num_threshold"]), int(n["left"]),
                             int(n["right"]), 0.0))
        trees.append(tree)
    features = tuple(str(names[c]) for c, _ in sorted(used.items(), key=lambda kv: kv[1]))
    return build(features, float(np.ravel(clf._baseline_prediction)[0]), trees)
