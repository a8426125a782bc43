"""Issue #14, items 2-4, 6, 8 and 10: inputs that lost data, held memory or failed unclearly.

Every hostile input is generated here, from real KCNA articles where an article is needed:
files of one name in several folders, a CSV with an oversize and a broken row, JSON Lines with
a NUL byte or invalid UTF-8, gzip bombs, a line of 100 MB, paths that cannot be examined.
Each test fails on the code before the issue's fixes (the docstrings say how).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import nodac
import pytest

from tidings import readers
from tidings.model import Article, ReadFailure

ROOT = Path(__file__).resolve().parents[1]


def _kcna(shared: Path, n: int) -> list[dict[str, Any]]:
    """The first ``n`` distinct texts of the KCNA corpus."""
    rows, texts = [], set()
    with open(shared / "corpus" / "kcna_2024_dev.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["text"] not in texts:
                texts.add(r["text"])
                rows.append(r)
            if len(rows) >= n:
                break
    return rows


def _kinds(items: list[Any]) -> list[str]:
    return ["ok" if isinstance(x, Article) else x.kind for x in items]


# ---------------------------------------------------------------- item 2: names


def test_same_file_names_in_different_folders_are_different_articles(
    tmp_path: Path, shared: Path
) -> None:
    """Before: ids came from the file name alone, so `ingest d/` over these 8 distinct
    articles coded 4 and called 4 duplicates."""
    rows = _kcna(shared, 8)
    d = tmp_path / "d"
    for month, r in zip(("2024-01", "2024-02"), rows[:2], strict=True):
        (d / month).mkdir(parents=True)
        (d / month / "article.txt").write_text(r["text"], encoding="utf-8")
    for site, pair in zip(("a", "b"), (rows[2:4], rows[4:6]), strict=True):
        (d / site).mkdir()
        no_ids = [json.dumps({"text": r["text"], "date": r["date"]}) for r in pair]
        (d / site / "feed.jsonl").write_text("\n".join(no_ids) + "\n", encoding="utf-8")
    for mirror, r in zip(("m1", "m2"), rows[6:8], strict=True):
        (d / mirror).mkdir()
        (d / mirror / "index.json").write_text(json.dumps({"text": r["text"]}), "utf-8")
    got = list(readers.read(d))
    assert _kinds(got) == ["ok"] * 8
    assert [a.id for a in got] == [
        "2024-01-article", "2024-02-article", "a-feed-1", "a-feed-2", "b-feed-1", "b-feed-2",
        "m1-index", "m2-index",
    ]
    from tidings.ingest import ingest
    from tidings.store import Store

    with Store(str(tmp_path / "s.db")) as store:
        first = ingest(d, store)
        again = ingest(d, store)
    assert (first.coded, first.duplicate, first.failed) == (8, 0, [])
    assert (again.coded, again.duplicate) == (0, 8)


def test_same_name_given_twice_on_the_command_line(tmp_path: Path, shared: Path) -> None:
    """Two files named on the command line keep their stems, told apart by their folders."""
    a, b = _kcna(shared, 2)
    for folder, r in (("x", a), ("y", b)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "seed.txt").write_text(r["text"], encoding="utf-8")
    got = list(readers.read([tmp_path / "x" / "seed.txt", tmp_path / "y" / "seed.txt"]))
    assert [x.id for x in got] == ["seed", "y-seed"]


# ---------------------------------------------------------------- item 3: CSV rows


def test_one_oversize_or_broken_csv_row_costs_that_row_only(tmp_path: Path, shared: Path) -> None:
    """Before: a 500,000-character field in row 2 of a 50-row CSV stored 1 article, reported
    1 failure and never read the other 49 (and a row of invalid UTF-8 ended the file too)."""
    rows = _kcna(shared, 50)
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["id", "date", "text"])
    for i, r in enumerate(rows):
        out.writerow([f"row-{i}", r["date"], "x " * 250_000 if i == 1 else r["text"]])
    data = buf.getvalue().encode("utf-8")
    bad = data.index(b"row-9,")  # row 10 (data row 9): a cp1252 quote inside its text
    data = data[: bad + 20] + b"\x93" + data[bad + 20 :]
    path = tmp_path / "fifty.csv"
    path.write_bytes(data)
    got = list(readers.read(path))
    failures = [x for x in got if isinstance(x, ReadFailure)]
    line_of = {f"row-{i}": data[: data.index(f"row-{i},".encode())].count(b"\n") + 1
               for i in (1, 9)}
    assert [(f.kind, f.origin) for f in failures] == [
        ("too_large", f"{path}:{line_of['row-1']}"), ("encoding", f"{path}:{line_of['row-9']}")
    ]
    assert "byte 0x93" in failures[1].reason
    assert [a.id for a in got if isinstance(a, Article)] == [
        f"row-{i}" for i in range(50) if i not in (1, 9)
    ]


def test_an_unterminated_quote_is_named_not_coded(tmp_path: Path, shared: Path) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([["id", "text"], ["ok", _kcna(shared, 1)[0]["text"]]])
    path = tmp_path / "open.csv"
    path.write_text(buf.getvalue() + 'bad,"never closed\nmore,"x"\n', "utf-8")
    got = list(readers.read(path))
    assert _kinds(got) == ["ok", "malformed"] and "never closed" in got[1].reason


# ---------------------------------------------------------------- item 4: NUL in JSON Lines


def test_a_nul_byte_in_the_first_line_fails_that_line_only(tmp_path: Path, shared: Path) -> None:
    """Before: a NUL in the first 8 KB rejected the whole file (0 of 4 stored)."""
    lines = [json.dumps({"id": f"n{i}", "text": r["text"]}) for i, r in
             enumerate(_kcna(shared, 4))]
    lines[0] = lines[0][:40] + "\x00" + lines[0][40:]
    path = tmp_path / "nul.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    got = list(readers.read(path))
    assert _kinds(got) == ["binary", "ok", "ok", "ok"]
    assert got[0].origin == f"{path}:1"
    # A file that is mostly NULs is still one binary failure, not a failure per line.
    junk = tmp_path / "junk.jsonl"
    junk.write_bytes(b"\x00" * 5000 + b"\n" + b"\x00" * 5000)
    assert [(x.origin, x.kind) for x in readers.read(junk)] == [(str(junk), "binary")]


# ---------------------------------------------------------------- item 10: mojibake


def test_invalid_utf8_in_a_json_line_is_an_error_not_mojibake(tmp_path: Path) -> None:
    """Before: a mostly-ASCII line with a cp1252 byte was decoded as cp1252 and stored as
    mojibake; JSON Lines are UTF-8, so the line is reported with the offending byte."""
    good = json.dumps({"id": "ok", "text": "Kim Jong Un met Vladimir Putin in Vladivostok."})
    bad = b'{"id": "bad", "text": "Kim Jong Un said \x93we will win\x94 in Pyongyang."}'
    path = tmp_path / "enc.jsonl"
    path.write_bytes(good.encode() + b"\n" + bad + b"\n")
    got = list(readers.read(path))
    assert _kinds(got) == ["ok", "encoding"]
    assert "byte 0x93" in got[1].reason and got[1].origin.endswith(":2")


# ---------------------------------------------------------------- item 6: bounded cost


def _gzip_lines(path: Path, line: bytes, count: int) -> None:
    chunk = line * 100_000
    with gzip.open(path, "wb", compresslevel=9) as f:
        for _ in range(count // 100_000):
            f.write(chunk)


def test_a_million_bad_lines_keep_bounded_failures(tmp_path: Path) -> None:
    """Before: every failure was kept until the end of the run (a 61 KB .jsonl.gz of `{}`
    lines reached 7.6 GB). The report counts them all and keeps max_failures_kept."""
    from tidings.ingest import ingest
    from tidings.limits import Limits
    from tidings.store import Store

    path = tmp_path / "braces.jsonl.gz"
    _gzip_lines(path, b"{}\n", 1_000_000)
    assert path.stat().st_size < 10_000
    with Store(str(tmp_path / "s.db")) as store:
        report = ingest(path, store, limits=Limits(max_failures_kept=50))
    assert report.failed_count == 1_000_000 and len(report.failed) == 50
    assert report.failed_kinds == {"malformed": 1_000_000}
    assert report.exit_code == 1
    assert "999950 more" in report.lines()[-1]


def test_a_gzip_bomb_of_newlines_stops_at_the_expansion_cap(tmp_path: Path) -> None:
    """Before: a 2 MB .jsonl.gz of newlines (2 GB) was read line by line for ~15 minutes and
    reported as an empty file. Now blank runs are skipped at C speed and the stream is read
    no further than max_gzip_ratio times its size: one too_large failure."""
    from tidings.limits import Limits

    path = tmp_path / "newlines.jsonl.gz"
    _gzip_lines(path, b"\n" * 100, 2_000_000)  # 200 MB of newlines, ~200 KB of gzip
    limits = Limits(gzip_floor_bytes=1024 * 1024)
    got = list(readers.read(path, limits=limits))
    assert [(x.origin, x.kind) for x in got] == [(str(path), "too_large")]
    assert "max_gzip_ratio" in got[0].reason


def test_blank_runs_are_skipped_in_one_call() -> None:
    from tidings.lines import LineReader

    lines = LineReader(io.BytesIO(b"\n" * 5_000_000 + b'{"a": 1}\n'), cap=100)
    lines.skip_blank()
    assert lines.line == 5_000_000
    assert lines.next_line() == (5_000_000, b'{"a": 1}\n')


def test_a_huge_csv_line_is_skipped_in_bounded_memory(tmp_path: Path, shared: Path) -> None:
    """Before: CSV lines were not bounded as JSONL lines were (a 2 MB .csv.gz holding one
    2 GB line reached 4.3 GB). A 100 MB line now costs about a chunk of memory."""
    from tidings.limits import Limits

    r = _kcna(shared, 1)[0]
    path = tmp_path / "line.csv.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"id,text\nhuge,")
        for _ in range(100):
            f.write(b"y" * (1024 * 1024))
        buf = io.StringIO()
        csv.writer(buf).writerow(["ok", r["text"]])
        f.write(b"\n" + buf.getvalue().encode())
    tracemalloc.start()
    try:  # (a ratio this high lets the line, not the gzip-bomb cap, be what stops it)
        got = list(readers.read(path, limits=Limits(max_gzip_ratio=100_000)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert _kinds(got) == ["too_large", "ok"] and "max_record_bytes" in got[0].reason
    assert peak < 16 * 1024 * 1024, f"peak {peak:,} bytes"


def test_stdin_gzip_bomb_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from tidings.limits import Limits

    data = gzip.compress(b"word " * 2_000_000)  # 10 MB of text from ~10 KB
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    got = list(readers.read("-", limits=Limits(max_file_bytes=1_000_000)))
    assert _kinds(got) == ["too_large"] and "expands past" in got[0].reason


# ---------------------------------------------------------------- item 8: paths


def _one(path: Any) -> ReadFailure:
    got = list(readers.read([path]))
    assert len(got) == 1 and isinstance(got[0], ReadFailure), got
    return got[0]


def test_paths_that_cannot_be_examined_are_named_with_their_reason(
    tmp_path: Path, shared: Path
) -> None:
    """Before: a FIFO was "empty file", a symbolic link loop "no such file", a 300-character
    name a traceback that stopped the whole run, and an empty folder said nothing."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert (_one(fifo).kind, _one(fifo).reason) == ("unsupported", "not a regular file (a FIFO)")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert "symbolic link loop" in _one(loop).reason
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    assert _one(dangling).reason == "broken symbolic link"
    long = tmp_path / ("x" * 300 + ".txt")
    assert "file name too long" in _one(long).reason
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _one(empty).kind == "empty" and "no file of a kind" in _one(empty).reason
    seed = shared / "corpus" / "seed-rodong-2020-04-23.txt"
    got = list(readers.read([long, fifo, seed]))  # the bad paths do not stop the good one
    assert _kinds(got) == ["missing", "unsupported", "ok"]


def test_a_folder_linking_to_itself_is_walked_once(tmp_path: Path, shared: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(_kcna(shared, 1)[0]["text"], encoding="utf-8")
    (d / "again").symlink_to(d)
    got = list(readers.read(d))
    assert _kinds(got) == ["ok", "missing"] and "loop" in got[1].reason


_READ_ALL = """
import json, sys
from tidings import readers
print(json.dumps([[getattr(x, "origin", x.id if hasattr(x, "id") else None),
                   getattr(x, "kind", "ok"), getattr(x, "reason", "")]
                  for x in readers.read(sys.argv[1:])]))
"""


def test_unreadable_folders_are_failures_not_silence_nor_a_crash(
    tmp_path: Path, shared: Path
) -> None:
    """Before: a path inside a chmod 000 folder crashed the whole run with a traceback
    before anything was read, and an unreadable subfolder of a walked tree was skipped
    without a word."""
    text = _kcna(shared, 1)[0]["text"]
    tree = tmp_path / "tree"
    (tree / "closed").mkdir(parents=True)
    (tree / "closed" / "hidden.txt").write_text(text, encoding="utf-8")
    (tree / "open.txt").write_text(text, encoding="utf-8")
    (tree / "closed").chmod(0o000)
    try:
        proc = nodac.run(["-c", _READ_ALL, str(tree / "closed" / "hidden.txt"), str(tree)],
                         cwd=ROOT, timeout=300)
    finally:
        (tree / "closed").chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert [(Path(o).name, k) for o, k, _ in got] == [
        ("hidden.txt", "missing"), ("closed", "missing"), ("open.txt", "ok")
    ]
    assert all("permission denied" in r for _, k, r in got if k == "missing")
