"""Draw the state-media articles of the gold corpus at random (issue #11), reproducibly.

    python tools/select_gold.py KCNA.jsonl RODONG.csv --exclude tests/gold/*.jsonl -o OUT.jsonl

Why random: a gold set chosen for eventful articles measures a coder on eventful articles;
the corpus is mostly domestic news, and a coder must learn to leave those alone too. So the
pool is every article, deduplicated (the KCNA scrape repeats texts under other URLs: the
first id of each text is kept), minus documents already coded, minus texts over
``MAX_CHARS`` (long speeches cost an annotator an hour each; 3 % of KCNA articles), and the
draw is uniform with a fixed seed. Run the blind check on OUT before anyone codes it.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

SEED = 20261205  # the day the first draw was made; any fixed seed would do
# Later draws: --seed 2026120502, 2026120503, 2026120504, each excluding every earlier draw's
# files (tests/gold/README.md).
MAX_CHARS = 8000  # drops the longest 3 % of KCNA texts (speeches, full reports)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))[:2000]


def _kcna(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [{"id": r["id"], "title": r.get("title"), "date": r.get("date"),
             "source": r.get("source") or "KCNA", "url": r.get("url"),
             "topic": r.get("topic"), "text": r["text"]} for r in rows]


def _rodong(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{"id": r["doc_id"], "title": r.get("title"), "date": r.get("date"),
                 "source": "Rodong Sinmun", "url": r.get("url"), "topic": None,
                 "text": r["text"]} for r in csv.DictReader(fh)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kcna", type=Path)
    ap.add_argument("rodong", type=Path)
    ap.add_argument("--exclude", nargs="*", type=Path, default=[])
    ap.add_argument("--kcna-n", type=int, default=125)
    ap.add_argument("--rodong-n", type=int, default=45)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("-o", "--out", type=Path, required=True)
    args = ap.parse_args()
    taken: set[str] = set()
    taken_text: set[str] = set()
    for path in args.exclude:
        for line in path.open(encoding="utf-8"):
            if line.strip():
                d = json.loads(line)
                taken.add(d["id"])
                taken_text.add(_norm(d["text"]))
    rng = random.Random(args.seed)
    picked: list[dict] = []
    for pool, n in ((_kcna(args.kcna), args.kcna_n), (_rodong(args.rodong), args.rodong_n)):
        seen: set[str] = set(taken_text)
        ok = []
        for d in sorted(pool, key=lambda d: d["id"]):
            key = _norm(d["text"])
            if d["id"] in taken or key in seen or len(d["text"]) > MAX_CHARS:
                continue
            seen.add(key)
            ok.append(d)
        picked += rng.sample(ok, n)
    with args.out.open("w", encoding="utf-8") as fh:
        for d in picked:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"{len(picked)} documents -> {args.out}")


if __name__ == "__main__":
    main()
