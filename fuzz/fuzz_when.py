"""atheris (libFuzzer) harness over the date resolver ``when.resolve(text, anchor)``.

Why: every sentence of every article goes through the resolver with whatever publication date
the input claimed, so no text and no anchor may make it raise, hang or return a malformed
value. Checked on every input: offsets inside the text and matching it, kind and precision
from the documented sets, values "YYYY-MM-DD" (a real date) / "YYYY-MM" / "YYYY".

    python fuzz/fuzz_when.py CORPUS_DIR [libFuzzer flags, e.g. -runs=20000 -max_total_time=60]

The first three bytes pick the anchor (none, a date anywhere in 1-9999, or a string), the
rest is the text (UTF-8, errors replaced). CORPUS_DIR is filled at start with real article
texts from tests/data/corpus.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

with atheris.instrument_imports(include=["tidings"]):
    from tidings import when

SEED_BYTES = 16 * 1024  # article openings: where the dates are
# Hang limit for one text: resolve is regex over at most a few KB here, milliseconds in
# practice; the extraction cap is a generous ceiling that a load spike never reaches.
HANG_S = 10.0 * common.HANG_FACTOR
WATCH = common.Watchdog(HANG_S, Path.cwd())
ISO = {"day": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
       "year": re.compile(r"^\d{4}$")}


def anchor_of(head: bytes) -> object:
    """None, a date (the ordinal spread over the whole calendar) or a date-like string."""
    mode = head[0] % 4
    n = int.from_bytes(head[1:3], "big")
    if mode == 0:
        return None
    day = dt.date.fromordinal(1 + n * (dt.date.max.toordinal() - 1) // 0xFFFF)
    if mode == 1:
        return day
    if mode == 2:
        return day.isoformat()
    return head[1:3].decode("latin-1") + day.isoformat()[2:]  # a malformed string


def check(data: bytes) -> None:
    if len(data) < 3:
        return
    anchor = anchor_of(data[:3])
    text = data[3:].decode("utf-8", "replace")
    WATCH.begin(data)
    try:
        exprs = when.resolve(text, anchor)  # an exception here is a finding
    finally:
        WATCH.end()
    for te in exprs:
        if not (0 <= te.start < te.end <= len(text)) or text[te.start:te.end] != te.text:
            raise AssertionError(f"bad offsets {te}")
        if te.kind not in ("absolute", "relative", "since"):
            raise AssertionError(f"bad kind {te}")
        if te.value is None:
            continue
        if te.precision not in ISO or not ISO[te.precision].match(te.value):
            raise AssertionError(f"malformed value {te} (anchor {anchor!r})")
        if te.precision == "day":
            dt.date.fromisoformat(te.value)


def main() -> None:
    dirs = [a for a in sys.argv[1:] if not a.startswith("-")]
    if dirs:
        n = common.write_corpus(Path(dirs[0]), common.text_seeds(SEED_BYTES))
        print(f"seeded {dirs[0]} with {n} inputs from {common.SEED_DATA}", file=sys.stderr)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
