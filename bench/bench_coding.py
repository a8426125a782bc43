"""Coding throughput against bare spaCy parsing, measured in one run on the same texts.

    python bench/bench_coding.py [--n 400] [--corpus tests/data/corpus/kcna_2024_dev.jsonl]

Prints articles/s and words/s for (a) spaCy ``nlp.pipe`` alone and (b) the whole Tidings
pipeline (clean, language, parse, mentions, events, dates, places, merge), and the ratio
b/a (issue #4 target: >= 0.8; issue #3: coding adds at most 25% to parse time). The two runs
alternate in rounds so that machine noise hits both alike; the best round of each counts.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from tidings import nlp
from tidings.model import Article
from tidings.pipeline import CodedArticle, code_articles
from tidings.settings import DEFAULT as SETTINGS

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "tests" / "data" / "corpus" / "kcna_2024_dev.jsonl"  # tests/data/README.md
# Rounds per side. Three alternating rounds on 2 noisy cores gave ratios within +-3% of
# each other in trial runs; the best of each side is reported.
ROUNDS = 3


def load(corpus: Path, n: int) -> list[dict]:
    rows = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) >= n:
                break
    return rows


def bare(rows: list[dict]) -> float:
    """spaCy's own pipeline: Tidings' components (tidings/nlp.py) count on our side."""
    model = nlp.load()
    ours_in_spacy = [name for name in model.pipe_names if name.startswith("tidings_")]
    with model.select_pipes(disable=ours_in_spacy):
        start = time.perf_counter()
        for _ in model.pipe((r["text"] for r in rows), batch_size=SETTINGS.batch_size):
            pass
        return time.perf_counter() - start


def ours(rows: list[dict]) -> tuple[float, int]:
    arts = (
        Article(id=r["id"], text=r["text"], title=r.get("title"), published=r.get("date"),
                source=r.get("source"), extraction="jsonl")
        for r in rows
    )
    start = time.perf_counter()
    events = 0
    for result in code_articles(arts):
        if isinstance(result, CodedArticle):
            events += len(result.events)
    return time.perf_counter() - start, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400, help="articles to code")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    rows = load(args.corpus, args.n)
    words = sum(len(r["text"].split()) for r in rows)
    ours(rows[:20])  # warm-up: load the model, knowledge base, matchers, gazetteer
    t_bare, t_ours, events = [], [], 0
    for _ in range(ROUNDS):
        t_bare.append(bare(rows))
        t, events = ours(rows)
        t_ours.append(t)
    b, o = min(t_bare), min(t_ours)
    print(f"articles: {len(rows)}  words: {words}  events: {events}  rounds: {ROUNDS}")
    print(f"spaCy nlp.pipe alone : {len(rows) / b:8.1f} articles/s  {words / b:10.0f} words/s")
    print(f"tidings pipeline     : {len(rows) / o:8.1f} articles/s  {words / o:10.0f} words/s")
    print(f"throughput ratio (tidings / spaCy): {b / o:.3f}")
    print(f"time added to parsing: {100 * (o - b) / b:+.1f}%")


if __name__ == "__main__":
    main()
