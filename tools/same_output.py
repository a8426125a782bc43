"""Code a fixed corpus and write every event (and every actor mention) as canonical JSON lines.

Why: a refactoring must not change what the coder emits. Run this at two commits and compare
the files; identical files, event for event, are the evidence that a commit changed no
output::

    python tools/same_output.py -o OUTDIR            # at the base commit, OUTDIR outside the tree
    python tools/same_output.py -o NEWDIR --compare OUTDIR   # after a change: exit 1 on a diff

The corpus: the bundled sample (``sample/articles``), our gold (``tests/gold/*.jsonl``)
and the PLOVER GSR dev set (``tests/data/gold/plover_gsr_dev.jsonl``), each coded the way
``tidings code`` / ``tidings evaluate`` code them. ``--extended`` adds the ConfliBERT wire
sentences (the tenth of them in tests/data) and the KCNA development corpus of ``tests/data``
(slower; more patterns fire).
Mentions come from ``actors.find_mentions`` on the same parse, so a change to the mention
stage that events happen not to see still shows. The rules decide (setting ``decider``
"rules") unless ``--decider model``: a change to the rules is judged on what they emit, not
on what a model trained on the old rules makes of it.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # the third-party corpora and gold (tests/data/README.md)


def _gold_articles(path: Path) -> Iterator[Any]:
    from tidings.evaluate import _article, load_gold, unique_ids

    for doc in unique_ids(load_gold(path)):
        yield _article(doc)


def _tsv_articles(path: Path) -> Iterator[Any]:
    from tidings.model import Article

    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            text = line.rstrip("\n").split("\t")[0]
            if text.strip():
                yield Article(id=f"{path.stem}-{i}", text=text, extraction="jsonl")


def corpora(extended: bool) -> dict[str, Iterable[Any]]:
    """Name → articles, in a fixed order."""
    from tidings.readers import read

    out: dict[str, Iterable[Any]] = {
        "sample": read([str(ROOT / "sample" / "articles")]),
        "dev": (a for f in sorted((ROOT / "tests" / "gold").glob("*.jsonl"))
                for a in _gold_articles(f)),
        "gsr": _gold_articles(DATA / "gold" / "plover_gsr_dev.jsonl"),
    }
    if extended:
        out["conflibert"] = _tsv_articles(DATA / "gold" / "conflibert_cameo_class" /
                                          "train.tsv")
        out["kcna"] = read([str(DATA / "corpus" / "kcna_2024_dev.jsonl")])
    return out


def _mention(m: Any) -> dict[str, Any]:
    d = dataclasses.asdict(m)
    return {k: d[k] for k in sorted(d)}


def code(articles: Iterable[Any],
         decider: str = "rules") -> Iterator[tuple[str, list[str], list[str]]]:
    """(article id or failure, event lines, mention lines) per input, in input order."""
    from tidings import actors, nlp, pipeline
    from tidings.model import Article

    lang = nlp.load()
    for item in articles:
        if not isinstance(item, Article):
            yield f"failure {item}", [], []
            continue
        prepared = pipeline.prepare(item)
        if not isinstance(prepared, Article):
            yield f"failure {prepared}", [], []
            continue
        doc = lang(prepared.text[: nlp.MAX_PARSE_CHARS])
        mentions = [json.dumps(_mention(m), sort_keys=True, ensure_ascii=False)
                    for m in actors.find_mentions(doc, prepared)]
        coded = pipeline.code_doc(doc, prepared, {"decider": decider})
        events = [json.dumps(ev, sort_keys=True, ensure_ascii=False) for ev in coded.events]
        yield prepared.id, events, mentions


def write(outdir: Path, extended: bool, decider: str = "rules") -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    for name, articles in corpora(extended).items():
        with (outdir / f"{name}.events.jsonl").open("w", encoding="utf-8") as ev_out, \
                (outdir / f"{name}.mentions.jsonl").open("w", encoding="utf-8") as m_out:
            n = 0
            for ident, events, mentions in code(articles, decider):
                ev_out.write(f"# {ident}\n")
                ev_out.writelines(e + "\n" for e in events)
                m_out.write(f"# {ident}\n")
                m_out.writelines(m + "\n" for m in mentions)
                n += len(events)
        print(f"{name}: {n} events", file=sys.stderr)


def compare(new: Path, old: Path) -> int:
    """0 when every file of ``old`` is in ``new`` with the same lines; else 1, with a diff."""
    bad = 0
    for ref in sorted(old.glob("*.jsonl")):
        mine = new / ref.name
        a = ref.read_text("utf-8").splitlines()
        b = mine.read_text("utf-8").splitlines() if mine.exists() else []
        if a == b:
            print(f"{ref.name}: identical ({len(a)} lines)")
            continue
        bad = 1
        print(f"{ref.name}: DIFFERENT")
        diff = list(difflib.unified_diff(a, b, str(ref), str(mine), lineterm="", n=0))
        print("\n".join(diff[:40]))
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--out", type=Path, required=True, help="folder for the output")
    ap.add_argument("--compare", type=Path, help="a folder written earlier: report differences")
    ap.add_argument("--extended", action="store_true", help="also the larger shared corpora")
    ap.add_argument("--decider", choices=("rules", "model"), default="rules",
                    help="who decides the events (default: the rules alone)")
    args = ap.parse_args()
    write(args.out, args.extended, args.decider)
    return compare(args.out, args.compare) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
