"""Issue #14, items 10 and 11 (CLI side): a bad query or option is one line and exit 2, never
a traceback; an invalid --date is refused, not ignored; read commands work on a read-only
store and do not wait for a writer's lock; CSV exports cannot carry spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import nodac
import pytest
from typer.testing import CliRunner

from tidings.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

HOSTILE_TITLE = '=HYPERLINK("http://example.invalid/x","click")'
HOSTILE_SOURCE = "@SUM(1+1)"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> str:
    """The seed article, and the seed's text again under a title and outlet a spreadsheet
    would run as formulas."""
    d = tmp_path_factory.mktemp("clierr")
    text = seed_path.read_text(encoding="utf-8")
    rec = {"id": "formula", "title": HOSTILE_TITLE, "source": HOSTILE_SOURCE,
           "text": text.replace("Historic", "Hostile"), "date": "2020-04-23"}
    (d / "hostile.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    path = str(d / "t.db")
    res = runner.invoke(app, ["ingest", str(seed_path), str(d / "hostile.jsonl"), "--db", path])
    assert res.exit_code == 0, res.output
    return path


@pytest.mark.parametrize("args", [
    ["events", "--since", "abc"],
    ["events", "--dyad", "PRK"],
    ["events", "--quad", "7"],
    ["events", "--q", '"'],
    ["events", "--actor", "x" * 50_000],
    ["export", "--format", "csv", "-o", "/nonexistent/folder/x.csv"],
    ["search", " ".join(f"w{i}" for i in range(100))],
    ["timeline", "PRK", "x" * 50_000],
])
def test_bad_queries_are_one_line_and_exit_2(db: str, args: list[str]) -> None:
    """Before: tracebacks and exit 1 (QueryError, FileNotFoundError escaped the commands)."""
    res = runner.invoke(app, [*args, "--db", db])
    assert res.exit_code == 2, (res.exit_code, res.output)
    assert isinstance(res.exception, SystemExit)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr


def test_an_invalid_date_is_refused(db: str, seed_path: Path) -> None:
    """Before: --date 2024-13-45 was ignored and the articles coded without it."""
    for command in (["code", str(seed_path)], ["ingest", str(seed_path), "--db", db]):
        res = runner.invoke(app, [*command, "--date", "2024-13-45"])
        assert res.exit_code == 2 and "YYYY-MM-DD" in res.output, res.output
    ok = runner.invoke(app, ["code", str(seed_path), "--date", "2020-04-23"])
    assert ok.exit_code == 0


def test_csv_exports_defuse_formulas(db: str, tmp_path: Path) -> None:
    """Before: tidings export --format csv wrote =HYPERLINK(...) and @SUM(...) cells as they
    were (the web download already protected them)."""
    out = tmp_path / "e.csv"
    assert runner.invoke(app, ["export", "-f", "csv", "-o", str(out), "--db", db]).exit_code == 0
    listed = runner.invoke(app, ["events", "-f", "csv", "--db", db]).stdout
    for text in (out.read_text(encoding="utf-8"), listed):
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["article.id"] == "formula"]
        assert rows, "the hostile article must have events"
        for row in rows:
            assert row["article.title"] == "'" + HOSTILE_TITLE
            assert row["article.source"] == "'" + HOSTILE_SOURCE
            assert not any(v.startswith(("=", "+", "@")) for v in row.values())


def test_reads_do_not_wait_for_a_writers_lock(db: str) -> None:
    """Before: opening the store took the write lock to check its schema, so `summary`
    waited behind an ingest's transaction (13 s seen; 30 s and exit 3 at worst)."""
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # an ingest in the middle of an article
        for args in (["summary"], ["events", "--format", "jsonl"], ["show", "formula"],
                     ["search", "Vladivostok"]):
            res = runner.invoke(app, [*args, "--db", db])
            assert res.exit_code == 0, (args, res.output)
    finally:
        writer.execute("ROLLBACK")
        writer.close()


_SUMMARY = "from tidings.cli import main; main()"


def test_read_commands_work_on_a_read_only_store(db: str, tmp_path: Path) -> None:
    """Before: `summary` on a read-only store exited 3 (opening it tried to write)."""
    ro = tmp_path / "ro"
    ro.mkdir()
    copy = ro / "t.db"
    src = sqlite3.connect(db)
    src.execute(f"VACUUM INTO '{copy}'")
    src.close()
    copy.chmod(0o444)
    ro.chmod(0o555)
    try:
        summary = nodac.run(["-c", _SUMMARY, "summary", "--db", str(copy)], cwd=ROOT,
                            timeout=300)
        ingest = nodac.run(["-c", _SUMMARY, "ingest", str(ROOT / "sample" / "articles"
                                                            / "seed-rodong-2020-04-23.txt"),
                            "--db", str(copy)], cwd=ROOT, timeout=300)
    finally:
        ro.chmod(0o755)
        copy.chmod(0o644)
    assert summary.returncode == 0, summary.stderr
    assert "articles coded" in summary.stdout and "CONSULT" in summary.stdout
    # Writing still fails as it must: one line, exit 3.
    assert ingest.returncode == 3 and ingest.stderr.startswith("store error:"), ingest.stderr


def test_a_missing_store_is_not_created_by_a_read(tmp_path: Path) -> None:
    """A read opens the store read-only: a mistyped --db is an error, not a new empty store."""
    missing = tmp_path / "none.db"
    res = runner.invoke(app, ["summary", "--db", str(missing)])
    assert res.exit_code == 2 and "no store at" in res.output
    assert not missing.exists()


def test_train_refuses_repeats_it_cannot_read() -> None:
    """--repeats reads the cross-validation again on other folds: without --cv, or beyond
    the fold assignments there are, it is refused before minutes of proposing."""
    alone = runner.invoke(app, ["train", "--repeats", "3"])
    assert alone.exit_code == 2 and "--cv" in alone.output
    many = runner.invoke(app, ["train", "--cv", "--repeats", "99"])
    assert many.exit_code == 2 and "fold assignments" in many.output
