"""The first pass of tidings/prefilter.py against bare spaCy, measured in one run (issue #14,
item 14):

    python bench/bench_prefilter.py [--n 300] [--corpus tests/data/corpus/kcna_2024_dev.jsonl]

Prints articles/s of (a) spaCy ``nlp.pipe`` alone, (b) the Tidings pipeline, (c) the Tidings
pipeline with the first pass (only the sentences worth it parsed), the ratios b/a, c/a and c/b
(issue target: c/a >= 1.5), the share of tokens the first pass sent to the parser, and how
many events each pipeline found. Rounds alternate so machine noise hits all alike; the best
round of each counts. F1 with and without is ``tidings evaluate tests/gold`` run with and
without TIDINGS_PREFILTER=1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_coding  # noqa: E402 - the sibling benchmark: corpus loading, bare and ours

from tidings import nlp, prefilter  # noqa: E402

ROUNDS = 3


def kept_share(rows: list[dict]) -> float:
    """Share of the article's tokens the first pass keeps for the parser."""
    model = nlp.load()
    kept = total = 0
    for r in rows:
        masked = prefilter.mask(model, r["text"])
        total += len(model.make_doc(r["text"]))
        kept += sum(len(model.make_doc(r["text"][a:b])) for a, b in masked.kept)
    return kept / max(total, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="articles to code")
    ap.add_argument("--corpus", type=Path, default=bench_coding.DEFAULT_CORPUS)
    args = ap.parse_args()
    rows = bench_coding.load(args.corpus, args.n)
    bench_coding.ours(rows[:20])  # warm-up: model, knowledge base, matchers, gazetteer
    prefilter.ENABLED = True
    bench_coding.ours(rows[:20])  # ... and the first pass's tables
    t_bare, t_ours, t_pre, events = [], [], [], {}
    for _ in range(ROUNDS):
        t_bare.append(bench_coding.bare(rows))
        prefilter.ENABLED = False
        t, events["tidings"] = bench_coding.ours(rows)
        t_ours.append(t)
        prefilter.ENABLED = True
        t, events["prefilter"] = bench_coding.ours(rows)
        t_pre.append(t)
    prefilter.ENABLED = False
    a, b, c = min(t_bare), min(t_ours), min(t_pre)
    n = len(rows)
    print(f"articles: {n}  rounds: {ROUNDS} (best of each)  events: {events}")
    print(f"(a) spaCy nlp.pipe alone        : {n / a:7.1f} articles/s")
    print(f"(b) tidings pipeline            : {n / b:7.1f} articles/s")
    print(f"(c) tidings with the first pass : {n / c:7.1f} articles/s")
    print(f"tokens sent to the parser by the first pass: {kept_share(rows):.2f}")
    print(f"ratio b/a {a / b:.3f}   c/a {a / c:.3f} (target >= 1.5)   c/b {b / c:.3f}")


if __name__ == "__main__":
    main()
