"""Rebuild sample/ from the corpora in tests/data/corpus (run from the repository root).

Keeps the demo corpus reproducible: which articles, and why (see sample/SOURCE.md).
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"
OUT = Path(__file__).resolve().parents[1] / "sample"
ARTICLES = OUT / "articles"
SEED = 7  # any fixed seed; 7 is what the committed sample used
KCNA_RUSSIA, KCNA_OTHER, RODONG_TOTAL = 120, 80, 100


def main() -> None:
    rng = random.Random(SEED)
    rows = [json.loads(line) for line in open(CORPUS / "kcna_2024_dev.jsonl", encoding="utf-8")]
    rus = [r for r in rows if "Russia" in r["text"]]
    other = [r for r in rows if "Russia" not in r["text"]]
    rng.shuffle(rus)
    rng.shuffle(other)
    pick = rus[:KCNA_RUSSIA] + other[:KCNA_OTHER]
    pick.sort(key=lambda r: (r["date"], r["id"]))
    with open(ARTICLES / "kcna_2024_sample.jsonl", "w", encoding="utf-8") as f:
        for r in pick:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(CORPUS / "rodong_sinmun_en_sample.csv", encoding="utf-8") as f:
        rd = list(csv.DictReader(f))
    rus2 = [r for r in rd if "Russia" in r["text"]]
    other2 = [r for r in rd if "Russia" not in r["text"]]
    rng.shuffle(other2)
    sel = sorted((rus2 + other2)[:RODONG_TOTAL], key=lambda r: r["doc_id"])
    with open(ARTICLES / "rodong_sinmun_sample.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rd[0].keys()))
        w.writeheader()
        w.writerows(sel)
    shutil.copy(CORPUS / "seed-rodong-2020-04-23.txt", ARTICLES)
    for name in ("kcna_LICENSE.CC0.txt", "rodong_sinmun_LICENSE.CC-BY-4.0.txt"):
        shutil.copy(CORPUS / name, OUT / name)


if __name__ == "__main__":
    main()
