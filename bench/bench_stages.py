"""Where Tidings' own time goes: CPU seconds of each stage after the parse, against the parse.

    python bench/bench_stages.py [--n 300] [--passes 3] [--corpus FILE.jsonl]

Why a second bench. ``bench_coding.py`` times the whole pipeline against bare spaCy in wall
time, and on a shared 2-core machine its median round moves by several hundredths between
two runs of one commit (on 2026-12-07: 0.818 and 0.853 for d7b13bb, 0.928 and 0.843 for
d791ae6, alternating). A speed change to the stages after the parse is a few percent of the
whole and drowns in that. Here the texts are cleaned and parsed once per pass, and each
stage's CPU time (``time.process_time``, which a neighbour's load disturbs less than the
wall clock) is summed over the articles; the figure per stage is its lowest pass. Printed
per stage: seconds, and percent of the parse's CPU time in the same pass; and the
throughput ratio these imply (parse over parse plus cleaning plus stages), which
``bench_coding.py``'s ratio approaches when the machine is quiet. The parse includes Tidings'
two small spaCy components (tidings/nlp.py; under 1% of it by a sampling profile), which
``bench_coding.py`` counts on Tidings' side.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_coding import DEFAULT_CORPUS, load  # noqa: E402 - the sibling benchmark's corpus

from tidings import nlp, pipeline  # noqa: E402
from tidings.model import Article  # noqa: E402
from tidings.pipeline import Work  # noqa: E402
from tidings.settings import DEFAULT as SETTINGS  # noqa: E402

# Three passes: the lowest of three is steady to about 2% on a 2-core machine (2026-12-07),
# and three passes over 300 articles take about two minutes.
PASSES = 3


def timed(name: str, step: Callable[[Work], None], spent: Counter[str]) -> Callable[[Work], None]:
    def run(w: Work) -> None:
        start = time.process_time()
        step(w)
        spent[name] += time.process_time() - start
    return run


def one_pass(rows: list[dict]) -> Counter[str]:
    """CPU seconds of cleaning, parsing, each stage and the rest of ``code_doc`` (the
    sentence list, tone and the duplicate fingerprint) over the texts."""
    spent: Counter[str] = Counter()
    stages = dict(pipeline.STAGES)
    pipeline.STAGES.update({k: timed(k, v, spent) for k, v in stages.items()})
    try:
        start = time.process_time()
        arts = [pipeline.prepare(Article(
            id=r["id"], text=r["text"], title=r.get("title"), published=r.get("date"),
            source=r.get("source"), extraction="jsonl")) for r in rows]
        ready = [a for a in arts if isinstance(a, Article)]
        spent["clean"] = time.process_time() - start
        start = time.process_time()
        docs = list(nlp.load().pipe([a.text for a in ready], batch_size=SETTINGS.batch_size))
        spent["parse"] = time.process_time() - start
        start = time.process_time()
        for art, doc in zip(ready, docs, strict=True):
            pipeline.code_doc(doc, art)
        after = time.process_time() - start
    finally:
        pipeline.STAGES.update(stages)
    spent["rest of code_doc"] = after - sum(spent[k] for k in stages)
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="articles")
    ap.add_argument("--passes", type=int, default=PASSES)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    rows = load(args.corpus, args.n)
    one_pass(rows[:20])  # warm-up: the model, knowledge base, matchers, gazetteer
    passes = [one_pass(rows) for _ in range(args.passes)]
    best = {k: min(p[k] for p in passes) for k in passes[0]}
    parse = best.pop("parse")
    print(f"articles: {len(rows)}  passes: {args.passes}  parse: {parse:.2f} s CPU (lowest)")
    for name, sec in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {name:18s} {sec:6.2f} s  {100 * sec / parse:5.1f}% of the parse")
    added = sum(best.values())
    print(f"ours in all: {added:.2f} s, {100 * added / parse:.1f}% of the parse; "
          f"implied throughput ratio {parse / (parse + added):.3f}")


if __name__ == "__main__":
    main()
