"""Hostile and malformed input, property-based: every reader and the date resolver.

Why: readers face whatever a user points them at (truncated gzip, binary junk, half-written
JSONL, pages of tag soup) and ``when.resolve`` faces every sentence of every article with
whatever publication date the input claims. The contract (readers.py, model.py): ``read``
never raises for bad input, every rejection is one of ``ERROR_KINDS``, and what comes out as
an article is a usable article; ``resolve`` returns well-formed expressions for any text and
any anchor. Inputs are drawn by hypothesis from random bytes, generated structures and
mutations of the real files in tests/data (html/, corpus/).

Bounded: the whole file runs in well under a minute on two cores (example counts below);
the open-ended search is the atheris fuzzer in fuzz/ (see fuzz/README.md). No deadline is
set: timing is the fuzzer's business (its -timeout), not an assertion here.
"""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings import readers, when
from tidings.model import ERROR_KINDS, Article, ReadFailure

SHARED = Path(__file__).resolve().parent / "data"

# Examples per property. HTML goes through trafilatura (~10-200 ms a page) and every article
# through lingua, so those get fewer; the resolver is pure regex and gets many. Chosen so the
# file stays near 30 s on the 2-core CI machine.
CHEAP_EXAMPLES = 250
READER_EXAMPLES = 100
HTML_EXAMPLES = 40
# Seed files are sliced to at most this many bytes before mutation: big enough to keep a
# real page's structure, small enough that trafilatura stays fast.
SEED_SLICE = 40_000

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
ISO_YEAR = re.compile(r"^\d{4}$")


# --------------------------------------------------------------------------------------------
# seeds: real files


def _seed_files() -> list[bytes]:
    """A few real inputs of each kind (decompressed), sliced to SEED_SLICE bytes."""
    out: list[bytes] = []
    html = sorted((SHARED / "html").rglob("*.html.gz"))[:6] + sorted(
        (SHARED / "html").rglob("*.html"))[:3]
    for p in html:
        data = p.read_bytes()
        out.append((gzip.decompress(data) if p.suffix == ".gz" else data)[:SEED_SLICE])
    corpus = SHARED / "corpus"
    if (corpus / "kcna_2024_dev.jsonl").exists():
        with open(corpus / "kcna_2024_dev.jsonl", "rb") as fh:
            out.append(b"".join(fh.readline() for _ in range(3)))
    for name in ("seed-rodong-2020-04-23.txt", "rodong_sinmun_en_sample.csv"):
        if (corpus / name).exists():
            out.append((corpus / name).read_bytes()[:SEED_SLICE])
    return out


SEEDS = _seed_files() or [b"Pyongyang, May 1 (KCNA) -- The DPRK met Russia."]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real file, cut, spliced with random bytes, or with bytes flipped."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cut", "insert", "flip", "dup"]))
        pos = draw(st.integers(0, len(data)))
        if op == "cut":
            del data[pos: pos + draw(st.integers(0, 5000))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(max_size=64))
        elif op == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] = draw(st.integers(0, 255))
        elif op == "dup":
            data[pos:pos] = data[max(0, pos - 200): pos]
    return bytes(data)


TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXTS
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda kids: st.lists(kids, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "text", "title", "date", "url", "source", "x"]),
                      kids, max_size=5),
    max_leaves=12,
)
# Records that pass the first checks (a "text" string) so the deeper code runs too.
RECORDS = st.fixed_dictionaries(
    {"text": TEXTS},
    optional={"id": JSON_SCALARS, "title": JSON_SCALARS, "date": JSON_SCALARS | st.dates().map(
        str), "url": JSON_SCALARS, "source": JSON_SCALARS, "meta": JSON_VALUES},
)


def _encoded(text: str, enc: str) -> bytes:
    return text.encode(enc, errors="replace")


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "euc-kr"])
ANY_BYTES = st.binary(max_size=2000) | mutated() | st.builds(_encoded, TEXTS, ENCODINGS)


def jsonl_bytes() -> st.SearchStrategy[bytes]:
    line = (
        RECORDS.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        | JSON_VALUES.map(lambda v: json.dumps(v).encode())
        | st.binary(max_size=200)
    )
    return st.lists(line, max_size=6).map(lambda ls: b"\n".join(ls)) | ANY_BYTES


def json_bytes() -> st.SearchStrategy[bytes]:
    doc = (RECORDS | st.lists(RECORDS | JSON_VALUES, max_size=4)
           | st.builds(lambda xs: {"articles": xs}, st.lists(RECORDS | JSON_VALUES, max_size=4))
           | JSON_VALUES)
    return doc.map(lambda d: json.dumps(d).encode()) | ANY_BYTES


def csv_bytes() -> st.SearchStrategy[bytes]:
    import csv

    def render(header: list[str], rows: list[list[str]]) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        w.writerows(rows)
        return buf.getvalue().encode("utf-8", "surrogatepass")

    header = st.lists(st.sampled_from(["text", "title", "date", "id", "url", "x", ""]),
                      min_size=1, max_size=5)
    rows = st.lists(st.lists(TEXTS, max_size=5), max_size=5)
    junk = st.builds(lambda h, b: h + b, st.sampled_from([b"text,title\n", b"text\n", b""]),
                     st.binary(max_size=500))
    return st.builds(render, header, rows) | junk | ANY_BYTES


TAGS = ["<html>", "</html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<article>",
        "<script>", "</script>", "<!--", "-->", "<title>", "</title>", "<![CDATA[", "]]>",
        "<meta charset='euc-kr'>", "&amp;", "&#0;", "&#x110000;", "<br/>", "<h1>", "<table>",
        "<?xml version='1.0'?>", "<!DOCTYPE html>", "<svg><foreignObject>", "\x00"]


def html_bytes() -> st.SearchStrategy[bytes]:
    soup = st.lists(st.sampled_from(TAGS) | TEXTS, max_size=60).map(
        lambda xs: "".join(xs).encode("utf-8", "surrogatepass"))
    return soup | mutated() | st.binary(max_size=500)


def gz(data: bytes, cut: int | None) -> bytes:
    z = gzip.compress(data)
    return z if cut is None else z[: cut % (len(z) + 1)]


# --------------------------------------------------------------------------------------------
# the property every reader must keep


def check_results(results: list[Article | ReadFailure]) -> None:
    """What the readers promise about their output, whatever the input was."""
    for r in results:
        if isinstance(r, ReadFailure):
            assert r.kind in ERROR_KINDS, r
            assert isinstance(r.reason, str) and r.reason, r
            assert isinstance(r.origin, str) and r.origin, r
            continue
        assert isinstance(r, Article), r
        assert isinstance(r.id, str) and r.id, r
        assert isinstance(r.text, str) and r.text.strip(), r
        assert len(r.text) <= readers.MAX_ARTICLE_CHARS
        assert r.published is None or dt.date.fromisoformat(r.published), r.published
        assert isinstance(r.meta, dict)
        json.dumps(r.to_dict(), default=str)  # the store serialises it


def read_bytes(tmp: Path, name: str, data: bytes) -> list[Article | ReadFailure]:
    path = tmp / name
    path.write_bytes(data)
    try:
        return list(readers.read([path]))  # any exception escaping read() fails the test
    finally:
        path.unlink()


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=READER_EXAMPLES, **SETTINGS)
@given(data=ANY_BYTES)
def test_text_reader(tmp: Path, data: bytes) -> None:
    check_results(read_bytes(tmp, "input.txt", data))


@settings(max_examples=READER_EXAMPLES, **SETTINGS)
@given(data=jsonl_bytes())
def test_jsonl_reader(tmp: Path, data: bytes) -> None:
    check_results(read_bytes(tmp, "input.jsonl", data))


@settings(max_examples=READER_EXAMPLES, **SETTINGS)
@given(data=json_bytes())
def test_json_reader(tmp: Path, data: bytes) -> None:
    check_results(read_bytes(tmp, "input.json", data))


@settings(max_examples=READER_EXAMPLES, **SETTINGS)
@given(data=csv_bytes())
def test_csv_reader(tmp: Path, data: bytes) -> None:
    check_results(read_bytes(tmp, "input.csv", data))


@settings(max_examples=HTML_EXAMPLES, **SETTINGS)
@given(data=html_bytes(), suffix=st.sampled_from([".html", ".htm"]))
def test_html_reader(tmp: Path, data: bytes, suffix: str) -> None:
    check_results(read_bytes(tmp, "input" + suffix, data))


@settings(max_examples=READER_EXAMPLES, **SETTINGS)
@given(data=ANY_BYTES | jsonl_bytes(), cut=st.none() | st.integers(0, 10_000),
       inner=st.sampled_from([".txt", ".jsonl", ".json", ".csv", ".html", ""]),
       raw=st.booleans())
def test_gzip_readers(tmp: Path, data: bytes, cut: int | None, inner: str, raw: bool) -> None:
    """Truncated, corrupt or fake gzip under every inner kind (raw: not gzip at all)."""
    check_results(read_bytes(tmp, f"input{inner}.gz", data if raw else gz(data, cut)))


@settings(max_examples=READER_EXAMPLES, **SETTINGS)
@given(data=ANY_BYTES | jsonl_bytes() | html_bytes(), zipped=st.booleans())
def test_stdin_reader(data: bytes, zipped: bool) -> None:
    """stdin is sniffed, not named: any bytes, gzipped or not, through the same contract."""
    real = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(gz(data, None) if zipped else data))
    try:
        check_results(list(readers.read(["-"])))
    finally:
        sys.stdin = real


def test_unreadable_and_odd_paths(tmp: Path) -> None:
    """Paths that are not files: missing, a directory of junk, an unknown kind, a FIFO."""
    import os

    (tmp / "d").mkdir(exist_ok=True)
    (tmp / "d" / "x.txt").write_bytes(b"\x00\x01")
    (tmp / "d" / "y.pdf").write_bytes(b"%PDF-1.4")
    (tmp / "odd.docx").write_bytes(b"PK\x03\x04")
    (tmp / "empty.jsonl").write_bytes(b"")
    paths = [tmp / "missing.txt", tmp / "d", tmp / "odd.docx", tmp / "empty.jsonl",
             tmp / "nothing.gz"]
    (tmp / "nothing.gz").write_bytes(b"\x1f\x8b")
    if hasattr(os, "mkfifo"):
        fifo = tmp / "pipe.csv"
        if not fifo.exists():
            os.mkfifo(fifo)
        # a FIFO has size 0 by stat: rejected unread, never opened (opening would block)
        paths.append(fifo)
    results = list(readers.read(paths))
    check_results(results)
    assert {r.kind for r in results if isinstance(r, ReadFailure)} >= {"missing", "binary"}


# --------------------------------------------------------------------------------------------
# the date resolver

ANCHORS = (st.none() | st.dates() | st.datetimes().map(lambda d: d)
           | st.dates().map(str) | TEXTS
           | st.sampled_from(["0001-01-01", "9999-12-31", "9999-12-01", "0001-02-28",
                              "2024-02-29", "2023-02-29", "2024-13-01", ""]))
WORDS = ["January", "Feb.", "Sept", "May", "March", "Juche", "113", "(2024)", "1", "31",
         "29", "0", "99", "2099", "1900", "1899", "ago", "since", "years", "year", "months",
         "weeks", "days", "last", "next", "this", "week", "month", "on", "the", "4th", "of",
         "early", "mid-", "late", "in", "yesterday", "today", "Monday", "Sunday", ",", "-",
         "–", "to", "and", "twelve", "a", "Unit", "731", "$", "1950s", "troops", "\n", ".",
         "hundred", "999", "Juche 0", "Juche 999"]
DATE_TEXT = st.lists(st.sampled_from(WORDS) | TEXTS.filter(lambda s: len(s) < 12),
                     max_size=30).map(" ".join)


def check_expressions(text: str, exprs: list[when.TimeExpr]) -> None:
    for te in exprs:
        assert 0 <= te.start < te.end <= len(text), te
        assert text[te.start: te.end] == te.text, te
        assert te.kind in ("absolute", "relative", "since"), te
        assert te.precision in ("day", "month", "year", None), te
        if te.value is None:
            assert te.precision is None or te.precision in ("day", "month", "year")
            continue
        if te.precision == "day":
            assert ISO_DAY.match(te.value) and dt.date.fromisoformat(te.value), te
        elif te.precision == "month":
            assert ISO_MONTH.match(te.value) and 1 <= int(te.value[5:]) <= 12, te
        else:
            assert te.precision == "year" and ISO_YEAR.match(te.value), te


@settings(max_examples=CHEAP_EXAMPLES * 2, **SETTINGS)
@given(text=DATE_TEXT | TEXTS, anchor=ANCHORS)
def test_resolve_is_total_and_well_formed(text: str, anchor: Any) -> None:
    check_expressions(text, when.resolve(text, anchor))


@settings(max_examples=CHEAP_EXAMPLES, **SETTINGS)
@given(seed=st.integers(0, len(SEEDS) - 1), anchor=ANCHORS)
def test_resolve_on_real_text_any_anchor(seed: int, anchor: Any) -> None:
    """Real pages and articles (by index into SEEDS, to keep failure reports short)."""
    text = SEEDS[seed].decode("utf-8", "replace")
    check_expressions(text, when.resolve(text, anchor))


# Every relative form the resolver knows, at the ends of the calendar: date arithmetic there
# overflows (year 0, year 10000) unless the resolver guards it. A grid, not a sample, because
# random search rarely pairs an edge anchor with the right phrase (atheris found it first).
RELATIVE_PHRASES = ["yesterday", "today", "last night", "last week", "next week",
                    "this week", "last month", "next month", "last year", "next year",
                    "3 days ago", "2 weeks ago", "a month ago", "a year ago", "12 years ago",
                    "999 years ago", "on Monday", "last Sunday", "next Friday",
                    "on the 31st of last month", "on the 1st of next month", "on the 29th",
                    "May 3", "December 31", "February 29", "in March", "since 2 years ago"]
EDGE_ANCHORS = [dt.date.min, dt.date.max, dt.date(1, 1, 31), dt.date(1, 2, 28),
                dt.date(9999, 12, 1), dt.date(999, 6, 15), dt.date(99, 1, 1), "0001-01-01",
                "9999-12-31"]


@pytest.mark.parametrize("anchor", EDGE_ANCHORS, ids=str)
def test_resolve_at_the_ends_of_the_calendar(anchor: Any) -> None:
    for phrase in RELATIVE_PHRASES:
        text = f"The DPRK said {phrase} that it met Russia."
        check_expressions(text, when.resolve(text, anchor))


# --------------------------------------------------------------------------------------------
# the atheris harnesses, bounded

FUZZ_DIR = Path(__file__).resolve().parents[1] / "fuzz"
# Bounded runs: inputs and seconds per harness (libFuzzer stops at whichever comes first),
# and how many real seed files (spread over all kinds) start the readers' corpus. The long
# run is documented in fuzz/README.md.
FUZZ_RUNS = {"fuzz_readers.py": 400, "fuzz_when.py": 5000}
FUZZ_SECONDS = 20
FUZZ_SEEDS = 24
FUZZ_MAX_LEN = 16384
FUZZ_RSS_MB = 3072  # lingua + trafilatura + spaCy-free readers sit near 400 MB
# A hard stop for the subprocess itself, far above FUZZ_SECONDS plus start-up.
FUZZ_PROCESS_TIMEOUT_S = 600


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None,
                    reason="atheris is not installed (pip install atheris)")
@pytest.mark.parametrize("harness", sorted(FUZZ_RUNS))
def test_atheris_bounded_run(harness: str, tmp_path: Path) -> None:
    """The harness runs its bounded budget without a finding (crash, hang, leak, bad kind)."""
    env = {**os.environ, "TIDINGS_FUZZ_SEEDS": str(FUZZ_SEEDS)}
    proc = subprocess.run(
        [sys.executable, str(FUZZ_DIR / harness), str(tmp_path / "corpus"),
         f"-runs={FUZZ_RUNS[harness]}", f"-max_total_time={FUZZ_SECONDS}",
         f"-max_len={FUZZ_MAX_LEN}", f"-rss_limit_mb={FUZZ_RSS_MB}", "-seed=1",
         f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=FUZZ_PROCESS_TIMEOUT_S)
    out = proc.stdout + proc.stderr
    done = re.search(r"Done (\d+) runs", out)
    print(f"\n[fuzz figures] {harness}: {done.group(1) if done else 0} inputs tried, "
          f"exit {proc.returncode}")
    finding = out.find("Uncaught Python exception")
    assert proc.returncode == 0 and done, out[finding:][:4000] if finding >= 0 else out[-4000:]
