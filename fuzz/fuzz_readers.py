"""atheris (libFuzzer) harness over every reader: text, HTML, JSONL, JSON, CSV, and gzip of each.

Why: hypothesis (tests/test_fuzz.py) explores shapes we thought of; coverage-guided fuzzing
finds the ones we did not. The contract checked on every input is the readers' own: nothing
escapes ``readers.read``, every rejection is one of ``model.ERROR_KINDS``, and an accepted
article has non-empty text under the size cap. Hangs are caught by a watchdog (see
fuzz/common.py), memory by libFuzzer's -rss_limit_mb.

    python fuzz/fuzz_readers.py CORPUS_DIR [libFuzzer flags, e.g. -runs=2000 -max_total_time=60]

The first input byte picks the file kind (common.KINDS), the rest is the file's bytes.
CORPUS_DIR is filled at start with seeds from tests/data/html and tests/data/corpus.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

# Heavy dependencies are imported before instrumentation: only Tidings' own code is
# instrumented, which keeps each input fast enough for thousands of runs a minute.
import htmldate  # noqa: E402, F401
import lingua  # noqa: E402, F401
import trafilatura  # noqa: E402, F401

with atheris.instrument_imports(include=["tidings"]):
    from tidings import readers
    from tidings.model import ERROR_KINDS, Article, ReadFailure

# Seeds longer than this are cut: libFuzzer mutates short inputs far more productively, and a
# real page's head (where trafilatura decides most) fits well within it.
SEED_BYTES = 64 * 1024

WORK = Path(tempfile.mkdtemp(prefix="tidings-fuzz-"))
WATCH = common.Watchdog(readers.EXTRACTION_TIMEOUT_S * common.HANG_FACTOR, Path.cwd())


def check(data: bytes) -> None:
    """One input: write it as a file of the chosen kind and read it."""
    if not data:
        return
    suffix = common.KINDS[data[0] % len(common.KINDS)]
    path = WORK / f"input{suffix}"
    path.write_bytes(data[1:])
    WATCH.begin(data)
    try:
        results = list(readers.read([path]))  # an exception here is a finding
    finally:
        WATCH.end()
    for r in results:
        if isinstance(r, ReadFailure):
            if r.kind not in ERROR_KINDS:
                raise AssertionError(f"undocumented error kind {r.kind!r}: {r}")
        elif isinstance(r, Article):
            if not r.text.strip() or len(r.text) > readers.MAX_ARTICLE_CHARS:
                raise AssertionError(f"article with empty or oversized text: {r.id}")
        else:
            raise AssertionError(f"read() yielded {type(r).__name__}")


def main() -> None:
    dirs = [a for a in sys.argv[1:] if not a.startswith("-")]
    if dirs:
        n = common.write_corpus(Path(dirs[0]), common.reader_seeds(SEED_BYTES))
        print(f"seeded {dirs[0]} with {n} inputs from {common.SEED_DATA}", file=sys.stderr)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
