"""Rebuild tests/data/ from the project's source material (run from the repository root).

    python tools/make_testdata.py SOURCE_DIR

SOURCE_DIR holds the material as it was collected, with each folder's SOURCE and LICENSE
files (corpus/, html/, gold/, ontology/, dictionaries/). The tests read only tests/data, so a
clone with nothing beside it runs them; this script says which files and which subsets were
taken, so the copy is reproducible and stays small (tests/data/README.md gives the licences).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data"

# Whole files: the tests look articles up by id all over the corpora, the KB build reads every
# actor dictionary it derives from, and the gold files are small.
WHOLE = {
    "corpus": ["seed-rodong-2020-04-23.txt", "kcna_2024_dev.jsonl", "rodong_sinmun_en_sample.csv",
               "kcna_SOURCE.txt", "kcna_LICENSE.CC0.txt", "rodong_sinmun_SOURCE.txt",
               "rodong_sinmun_LICENSE.CC-BY-4.0.txt", "rodong_sinmun_data_dictionary.md"],
    "gold": ["README.md", "plover_gsr_dev.jsonl"],
    "gold/event_location": ["event_verb_location_subset.jsonl.gz", "SOURCE.txt",
                            "LICENSE.MIT.txt"],
    "gold/conflibert_cameo_class": ["SOURCE.txt"],
    "ontology": ["gdelt_CAMEO.goldsteinscale.txt", "cameo_root_codes.tsv", "SOURCE.cameo.txt",
                 "SOURCE.plover.txt"],
    "dictionaries/petrarch2": ["Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                               "Phoenix.MilNonState.actors.txt", "SOURCE.txt", "LICENSE.MIT.txt"],
}

# HTML evaluation pages: every HTML_STEP-th page in file-name order (half of each set: the
# tests' thresholds were measured on both halves), plus the pages tests name one by one.
HTML_STEP = 2
HTML_SETS = {"trafilatura_eval_en": "evaldata_en.json", "htmldate_news_en": "gold_dates_en.json"}
HTML_NAMED = {"html/abc13.com-Copperfield.html.gz", "html/scmp.com.playbook.html.gz",
              "html/1572542522.html.gz"}

# ConfliBERT CAMEO-class sentences: the repository does not own their copyright, so only every
# QUAD_STEP-th row is kept (the tests check the reader and the books, not the accuracy).
QUAD_STEP = 10


def copy_whole(src: Path) -> None:
    for folder, names in WHOLE.items():
        (OUT / folder).mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copyfile(src / folder / name, OUT / folder / name)


def copy_html(src: Path) -> None:
    """Half of each HTML evaluation set and its gold, with the set's SOURCE and licence."""
    for name, gold_file in HTML_SETS.items():
        base, out = src / "html" / name, OUT / "html" / name
        (out / "html").mkdir(parents=True, exist_ok=True)
        gold = json.loads((base / gold_file).read_text(encoding="utf-8"))
        ordered = sorted(gold.items(), key=lambda kv: kv[1]["file"])
        keep = {k: g for i, (k, g) in enumerate(ordered)
                if i % HTML_STEP == 0 or g["file"] in HTML_NAMED}
        for g in keep.values():
            shutil.copyfile(base / g["file"], out / g["file"])
        text = json.dumps(keep, ensure_ascii=False, indent=1) + "\n"
        (out / gold_file).write_text(text, encoding="utf-8")
        for extra in ("SOURCE.txt", "LICENSE.Apache-2.0.txt"):
            shutil.copyfile(base / extra, out / extra)


def copy_quad(src: Path) -> None:
    rows = (src / "gold/conflibert_cameo_class/train.tsv").read_text(encoding="utf-8")
    kept = rows.splitlines(keepends=True)[::QUAD_STEP]
    (OUT / "gold/conflibert_cameo_class/train.tsv").write_text("".join(kept), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="the collected material (corpus/, html/, ...)")
    args = ap.parse_args(argv)
    copy_whole(args.source)
    copy_html(args.source)
    copy_quad(args.source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
