"""Start-up of a one-article run against spaCy's own start, measured in one run (issue #14,
item 12):

    python bench/bench_start.py [--rounds 3]

Prints, best of the rounds, each in a fresh interpreter: (a) bare spaCy: import spaCy, load
the model, parse the seed article; (b) ``tidings code`` on the seed article (CLI start,
readers, language, the coder's tables, the model once, coding, output); and the ratio b/a.
Also how many times the spaCy model was loaded in the Tidings process (must be 1).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample" / "articles" / "seed-rodong-2020-04-23.txt"

BARE = """
import sys, spacy
from tidings.nlp import DEFAULT_MODELS
for name in DEFAULT_MODELS:
    try:
        nlp = spacy.load(name)
        break
    except OSError:
        pass
nlp(open(sys.argv[1], encoding="utf-8").read())
"""

# The CLI in-process, counting spaCy model loads (spacy.load calls).
OURS = """
import sys, spacy
loads = []
real = spacy.load
def counted(*a, **k):
    loads.append(a[0])
    return real(*a, **k)
spacy.load = counted
from tidings.cli import app
try:
    app(["code", sys.argv[1]], standalone_mode=False)
finally:
    sys.stderr.write(f"model loads: {len(loads)}\\n")
"""


def timed(code: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, str(SEED)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - start, proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    bare, ours, loads = [], [], ""
    for _ in range(args.rounds):  # alternating, so machine noise hits both alike
        bare.append(timed(BARE)[0])
        t, err = timed(OURS)
        ours.append(t)
        loads = next((ln for ln in err.splitlines() if ln.startswith("model loads")), "")
    b, o = min(bare), min(ours)
    print(f"rounds: {args.rounds} (best of each)")
    print(f"bare spaCy: import, load, parse the seed : {b:6.2f} s")
    print(f"tidings code seed (whole CLI process)    : {o:6.2f} s   ({loads})")
    print(f"start-up ratio tidings / spaCy           : {o / b:6.2f}")


if __name__ == "__main__":
    main()
