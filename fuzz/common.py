"""What the two harnesses share: seeding a corpus from tests/data, and a hang watchdog.

Why a watchdog and not libFuzzer's -timeout: both libFuzzer's timer and the readers'
extraction cap (readers.run_with_timeout) use SIGALRM, and the readers would cancel
libFuzzer's timer. A thread that notices one input running past HANG_S saves it and exits
keeps the two apart.
"""

from __future__ import annotations

import gzip
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The real inputs the tests use too (tests/data/README.md); TIDINGS_FUZZ_DATA points elsewhere.
SEED_DATA = Path(os.environ.get("TIDINGS_FUZZ_DATA", ROOT / "tests" / "data"))

# Input kinds of fuzz_readers: the first byte of an input picks one (mod len), the rest is the
# file's content. The order is part of the corpus format: append, never reorder.
KINDS = (".txt", ".html", ".jsonl", ".json", ".csv",
         ".txt.gz", ".html.gz", ".jsonl.gz", ".json.gz", ".csv.gz")

# An input is "hung" past this: the per-article extraction cap (readers.EXTRACTION_TIMEOUT_S,
# 10 s) times 6, so a loaded machine never trips it while a real hang always does.
HANG_FACTOR = 6


def seed_files() -> list[Path]:
    """The real inputs in tests/data/html and tests/data/corpus."""
    files = sorted(p for p in (SEED_DATA / "html").rglob("*") if p.is_file()
                   and p.name.endswith((".html", ".htm", ".html.gz")))
    files += sorted(p for p in (SEED_DATA / "corpus").iterdir() if p.is_file()
                    and p.suffix in (".txt", ".jsonl", ".csv", ".json", ".md"))
    return files


def reader_seeds(max_bytes: int) -> list[bytes]:
    """fuzz_readers inputs (kind byte + content) made from the real files."""
    out: list[bytes] = []
    for p in seed_files():
        data = p.read_bytes()
        name = p.name
        if name.endswith(".gz"):
            out.append(bytes([KINDS.index(".html.gz")]) + data[:max_bytes])
            data, name = gzip.decompress(data), name[:-3]
        suffix = "." + name.rsplit(".", 1)[-1]
        suffix = {".htm": ".html", ".md": ".txt"}.get(suffix, suffix)
        if suffix == ".jsonl":  # a big JSONL: a few records are seed enough
            data = b"".join(data.splitlines(keepends=True)[:5])
        out.append(bytes([KINDS.index(suffix)]) + data[:max_bytes])
    return out


def text_seeds(max_bytes: int) -> list[bytes]:
    """fuzz_when inputs: article texts and page texts (anchor bytes come first: 3 zeros)."""
    import json

    out = []
    corpus = SEED_DATA / "corpus"
    with open(corpus / "kcna_2024_dev.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 200:
                break
            d = json.loads(line)
            out.append(b"\x00\x00\x00" + d["text"].encode()[:max_bytes])
    for p in corpus.glob("*.txt"):
        out.append(b"\x00\x00\x00" + p.read_bytes()[:max_bytes])
    return out


def write_corpus(directory: Path, seeds: list[bytes]) -> int:
    """Copy the seeds into a libFuzzer corpus directory; how many were written.

    TIDINGS_FUZZ_SEEDS=N keeps N seeds spread evenly over the list (all kinds), for the
    bounded run of the test suite, where loading all ~500 real pages alone takes minutes.
    """
    import hashlib

    limit = int(os.environ.get("TIDINGS_FUZZ_SEEDS", "0") or 0)
    if 0 < limit < len(seeds):
        step = len(seeds) / limit
        seeds = [seeds[int(i * step)] for i in range(limit)]
    directory.mkdir(parents=True, exist_ok=True)
    for s in seeds:
        (directory / hashlib.sha1(s).hexdigest()).write_bytes(s)
    return len(seeds)


class Watchdog:
    """Saves and reports an input that runs longer than ``limit_s``, then exits 70."""

    def __init__(self, limit_s: float, out_dir: Path) -> None:
        self.limit_s = limit_s
        self.out_dir = out_dir
        self.current: bytes | None = None
        self.started = 0.0
        self.count = 0
        threading.Thread(target=self._watch, daemon=True).start()

    def begin(self, data: bytes) -> None:
        self.count += 1
        self.current, self.started = data, time.monotonic()

    def end(self) -> None:
        self.current = None

    def _watch(self) -> None:
        while True:
            time.sleep(1.0)
            data = self.current
            if data is not None and time.monotonic() - self.started > self.limit_s:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                path = self.out_dir / "hang-input"
                path.write_bytes(data)
                print(f"HANG: an input ran past {self.limit_s:g} s; saved to {path}",
                      file=sys.stderr, flush=True)
                os._exit(70)
