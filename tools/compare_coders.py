"""Is a change to the coder better, worse, or within noise? A paired comparison of two
versions of the coder on the gold's train and dev splits (issue #11's acceptance measure).

    python tools/compare_coders.py save BASE.pkl --code ../base-worktree  # that code's proposals
    python tools/compare_coders.py save NEW.pkl                           # this checkout's
    python tools/compare_coders.py measure BASE.pkl -o BASE.json [--repeats 3]
    python tools/compare_coders.py measure NEW.pkl -o NEW.json [--repeats 3]
    python tools/compare_coders.py compare BASE.json NEW.json

save     proposes every candidate of the train and dev documents with one version of the
         coder (spaCy; minutes) and keeps them with their labels.
measure  fits the regime's learner as ``tidings train`` does, cross-validated on train over
         ``--repeats`` assignments of documents to folds (train.CV_SALTS; the first is the
         shipped model's), and on all of train to code dev. Each train document's counts are
         averaged over the repeats (every repeat scores every document once, out of fold);
         the threshold is the one with the best F1 of those pooled with dev's, as `choose`
         picks it. Minutes per repeat: kept in a file so that one base serves many changes.
compare  prints each version's mean cross-validated F1 (lowest, highest) and pooled F1, the
         paired difference per repeat, and a paired bootstrap over documents: the same
         resample of documents for both versions, DRAWS times, gives the 2.5th and 97.5th
         percentiles of pooled F1(new) - F1(base) and the share of draws where new is better.

How to read it (from 2026-12-07): a change is shown to help when the interval lies above
zero and shown to hurt when it lies below. Inside, the gold is too small to tell: a change
the guide calls for may land if its mean difference is not negative, and its note must say
that the figures do not show it. Until then the rule was "the single-assignment CV F1 and
the pooled F1 both rise", whose measure moved by 0.003-0.005 with no change of substance.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Resamples of the bootstrap: 2,000 put the percentiles within about 0.002 of a rerun's
# (as in tools/bootstrap_f1.py).
DRAWS = 2000
SEED = 0


def _use_code(code: str | None) -> None:
    root = Path(code).resolve() if code else Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))


def save(out: str) -> None:
    """Pickle the train and dev proposals of the coder on sys.path, as plain tuples (the
    versions' Row classes may differ)."""
    import tidings
    from tidings import gold as gold_mod
    from tidings import train as T

    docs = sorted(gold_mod.load(list(T.DEFAULT_GOLD)), key=lambda d: d["id"])
    data: dict[str, Any] = {"code": str(Path(tidings.__file__).parent)}
    for split in ("train", "dev"):
        split_docs = gold_mod.of_split(docs, split)
        data[split] = {"docs": split_docs, "rows": [
            (r.doc_id, r.event, r.feats, r.label, r.weight) for r in T.propose(split_docs)]}
    data["regime_of"] = dict(T.REGIME_OF)
    Path(out).write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"{out}: {len(data['train']['rows'])} train and {len(data['dev']['rows'])} dev "
          f"candidates proposed by {data['code']}")


def _regime_rows(data: dict[str, Any], split: str, regime: str) -> tuple[list[Any], list[Any]]:
    from tidings import train as T

    T.REGIME_OF.update(data["regime_of"])
    rows = [T.Row(*r) for r in data[split]["rows"]]
    docs, rows = T.in_regime(data[split]["docs"], rows, regime)
    return docs, T.per_document_weights(rows, T.DOC_WEIGHT_EXPONENT.get(regime, 0.0))


def measure(path: str, out: str, repeats: int, regime: str) -> None:
    """Fit and score one version's proposals; write what `compare` needs as JSON."""
    from tidings import train as T

    data = pickle.loads(Path(path).read_bytes())
    tr_docs, tr_rows = _regime_rows(data, "train", regime)
    dv_docs, dv_rows = _regime_rows(data, "dev", regime)
    learner = T.LEARNER.get(regime, "logistic")
    c = None if learner == "trees" else max(
        T.cross_validate(tr_rows, tr_docs, learner)[0],
        key=lambda g: (g["cv_f1"], -(g["C"] or 0.0), g["threshold"]))["C"]
    per_th = T.repeated_cv(tr_rows, tr_docs, learner, c, repeats)
    scored = T._score(dv_rows, T.fit_model(tr_rows, learner, c))
    dev = {th: T.document_counts(dv_docs, T._chosen(scored, th)) for th in T.THRESHOLDS}

    def pooled_f1(th: float) -> float:
        return T.f1_of([*T.mean_counts(per_th[th]).values(), *dev[th].values()])

    th = max(T.THRESHOLDS, key=lambda t: (round(pooled_f1(t), 9), t))
    result = {"pickle": path, "code": data["code"], "regime": regime, "repeats": repeats,
              "C": c, "threshold": th,
              "cv_f1_by_repeat": [T.pooled(n.values()).f1 for n in per_th[th]],
              "cv_best_mean": max(T.spread(v)[0] for v in per_th.values()),
              "pooled_f1": pooled_f1(th), "train": T.mean_counts(per_th[th]),
              "dev": dev[th]}
    Path(out).write_text(json.dumps(result, indent=1, sort_keys=True), "utf-8")
    print(f"{out}: threshold {th}, pooled F1 {result['pooled_f1']:.4f}, CV F1 by repeat "
          + ", ".join(f"{f:.4f}" for f in result["cv_f1_by_repeat"]))


Counts = Sequence[float]


def paired_bootstrap(base: dict[str, Counts], new: dict[str, Counts],
                     draws: int = DRAWS, seed: int = SEED) -> tuple[float, float, float]:
    """2.5th and 97.5th percentiles of F1(new) - F1(base) over resamples of the documents
    (the same resample for both), and the share of resamples where new is ahead."""
    from tidings.train import f1_of

    if set(base) != set(new):
        raise ValueError("the two versions were measured on different gold documents")
    ids = sorted(base)
    rnd = random.Random(seed)
    diffs = []
    for _ in range(draws):
        pick = [ids[rnd.randrange(len(ids))] for _ in ids]
        diffs.append(f1_of(new[i] for i in pick) - f1_of(base[i] for i in pick))
    diffs.sort()
    ahead = sum(1 for d in diffs if d > 0) / draws
    return diffs[int(0.025 * draws)], diffs[int(0.975 * draws) - 1], ahead


def _documents(m: dict[str, Any]) -> dict[str, Counts]:
    return {f"train:{k}": v for k, v in m["train"].items()} | {
        f"dev:{k}": v for k, v in m["dev"].items()}


def compare(base_path: str, new_path: str) -> None:
    base, new = (json.loads(Path(p).read_text("utf-8")) for p in (base_path, new_path))
    if (base["regime"], base["repeats"]) != (new["regime"], new["repeats"]):
        raise SystemExit("measure both versions with the same --regime and --repeats")
    for name, m in (("base", base), ("new", new)):
        cv = m["cv_f1_by_repeat"]
        print(f"{name}: {m['code']} ({m['pickle']}), threshold {m['threshold']}: CV F1 mean "
              f"{sum(cv) / len(cv):.4f} (lowest {min(cv):.4f}, highest {max(cv):.4f}), "
              f"pooled F1 {m['pooled_f1']:.4f}")
    by_repeat = [n - b for b, n in zip(base["cv_f1_by_repeat"], new["cv_f1_by_repeat"],
                                       strict=True)]
    print("CV F1 difference by fold assignment: " + ", ".join(f"{d:+.4f}" for d in by_repeat))
    low, high, ahead = paired_bootstrap(_documents(base), _documents(new))
    verdict = ("shown to help" if low > 0 else "shown to hurt" if high < 0
               else "within noise")
    print(f"pooled F1 difference {new['pooled_f1'] - base['pooled_f1']:+.4f}; 95% of {DRAWS} "
          f"paired document resamples in [{low:+.4f}, {high:+.4f}], new ahead in "
          f"{ahead:.0%}: {verdict}")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("save", help="propose the gold's candidates with one version's code")
    s.add_argument("out")
    s.add_argument("--code", help="the checkout whose coder proposes (default: this one)")
    m = sub.add_parser("measure", help="fit and score one version's proposals")
    m.add_argument("pickle")
    m.add_argument("-o", "--out", required=True)
    m.add_argument("--repeats", type=int, default=3)
    m.add_argument("--regime", default="article")
    c = sub.add_parser("compare", help="the paired comparison of two measures")
    c.add_argument("base")
    c.add_argument("new")
    args = ap.parse_args(argv)
    _use_code(getattr(args, "code", None))
    if args.command == "save":
        save(args.out)
    elif args.command == "measure":
        measure(args.pickle, args.out, args.repeats, args.regime)
    else:
        compare(args.base, args.new)


if __name__ == "__main__":
    main()
