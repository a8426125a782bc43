"""How far a split's F1 would move under another draw of its documents: a document
bootstrap of the coder's F1 on each split of a gold file (issue #11: is the dev–test gap
more than sampling noise?).

    python tools/bootstrap_f1.py tests/gold/state_media.jsonl [--splits dev test]

Each split's documents are coded once; the F1 is then recomputed on ``DRAWS`` resamples of
its documents (with replacement, a fixed seed), and the 2.5th and 97.5th percentiles are
printed beside it. Documents, not events, are resampled: an article's events stand or fall
together (a missed list of senders is many misses).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tidings import evaluate as E  # noqa: E402
from tidings.gold import split_of  # noqa: E402
from tidings.train import f1_of  # noqa: E402

# Resamples per split: 2,000 put the percentiles within about 0.005 of a rerun's.
DRAWS = 2000
SEED = 0

Counts = tuple[int, int, int]  # tp, fp, fn of one document


def f1(rows: Sequence[Counts]) -> float:
    return f1_of(rows)


def interval(rows: Sequence[Counts], draws: int = DRAWS, seed: int = SEED) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of the F1 over document resamples."""
    rnd = random.Random(seed)
    n = len(rows)
    got = sorted(f1([rows[rnd.randrange(n)] for _ in range(n)]) for _ in range(draws))
    return got[int(0.025 * draws)], got[int(0.975 * draws) - 1]


def document_counts(docs: list[dict]) -> list[Counts]:
    """Each document's tp, fp and fn, the coder run once over all of them."""
    predicted, _ = E.code_gold(docs)
    by_doc: dict[str, list[dict]] = {}
    for ev in predicted:
        by_doc.setdefault(ev["doc_id"], []).append(ev)
    out = []
    for doc in docs:
        report = E.Report()
        E.score_document(doc, by_doc.get(doc["id"], []), report)
        out.append((report.overall.tp, report.overall.fp, report.overall.fn))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    ap.add_argument("--splits", nargs="+", default=["dev", "test"])
    args = ap.parse_args()
    docs = E.load_gold(args.gold)
    for split in args.splits:
        rows = document_counts([d for d in docs if split_of(d) == split])
        lo, hi = interval(rows)
        print(f"{args.gold} {split}: {len(rows)} documents, F1 {f1(rows):.3f}, "
              f"95% of {DRAWS} document resamples in [{lo:.3f}, {hi:.3f}]")


if __name__ == "__main__":
    main()
