"""The CLI end to end on real articles: code, ingest (idempotent, with failures), queries,
and the README's exit codes (0, 1, 2, 3, and 0 for a closed pipe) from the real entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "readers"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_code_seed_jsonl_has_the_contract_and_the_summit(seed_path: Path) -> None:
    res = run("code", str(seed_path))
    assert res.exit_code == 0
    events = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    for ev in events:
        assert {"id", "doc_id", "event_type", "cameo", "quad_class", "source", "target",
                "date", "date_precision", "location", "evidence"} <= ev.keys()
    summit = [e for e in events if e["event_type"] == "CONSULT" and e["date"] == "2019-04-25"]
    assert summit and summit[0]["source"]["country"] == "PRK"
    assert summit[0]["target"]["name"] == "Vladimir Putin"
    assert summit[0]["location"]["name"] == "Vladivostok"


def test_code_formats_table_and_csv(seed_path: Path) -> None:
    table = run("code", str(seed_path), "--format", "table")
    assert table.exit_code == 0 and "Vladimir Putin (RUSGOV)" in table.stdout
    res = run("code", str(seed_path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and rows[0]["source.country"] and "evidence.start" in rows[0]


def test_exit_code_1_names_each_failed_input(tmp_path: Path, seed_path: Path) -> None:
    for name in ("empty.txt", "malformed.jsonl", "korean.txt"):
        shutil.copy(FIX / name, tmp_path / name)
    shutil.copy(seed_path, tmp_path / "seed.txt")
    res = run("code", str(tmp_path))
    assert res.exit_code == 1
    assert "empty.txt" in res.stderr and "korean.txt" in res.stderr
    assert any(json.loads(x)["doc_id"] == "seed" for x in res.stdout.splitlines() if x.strip())


def test_usage_error_is_exit_2() -> None:
    assert runner.invoke(app, ["code"]).exit_code == 2
    assert runner.invoke(app, ["events", "--format", "xml"]).exit_code == 2


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "t.db")
    kcna = ROOT / "sample" / "articles" / "kcna_2024_sample.jsonl"
    res = run("ingest", str(seed_path), str(kcna), "--db", path)
    assert res.exit_code == 0, res.stderr
    return path


def test_ingest_twice_adds_nothing(db: str, seed_path: Path) -> None:
    res = run("ingest", str(seed_path), "--db", db)
    assert res.exit_code == 0
    assert "coded: 0 articles" in res.stderr and "duplicate: 1" in res.stderr


def test_events_filters_and_formats(db: str) -> None:
    res = run("events", "--dyad", "PRK-RUS", "--type", "CONSULT", "--since", "2019-01",
              "--until", "2019-12", "--format", "jsonl", "--db", db)
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    assert rows and all(r["event_type"] == "CONSULT" for r in rows)
    assert all(r["date"].startswith("2019") for r in rows)
    assert {r["source"]["country"] for r in rows} <= {"PRK", "RUS"}


def test_timeline_counts_both_directions(db: str) -> None:
    res = run("timeline", "PRK", "RUS", "--by", "year", "--json", "--db", db)
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    assert {r["direction"] for r in rows} == {"PRK->RUS", "RUS->PRK"}
    assert sum(r["total"] for r in rows) > 0
    table = run("timeline", "PRK", "RUS", "--by", "year", "--db", db).stdout
    assert "2019" in table


def test_search_show_summary(db: str) -> None:
    hits = run("search", "Vladivostok", "--db", db)
    assert hits.exit_code == 0 and "seed-rodong-2020-04-23" in hits.stdout
    assert run("search", 'NEAR("', "--db", db).exit_code in (0, 2)
    shown = run("show", "seed-rodong-2020-04-23", "--db", db)
    assert "Historic DPRK-Russia milestone" in shown.stdout and "evidence:" in shown.stdout
    assert run("show", "no-such-id", "--db", db).exit_code == 1
    summary = run("summary", "--db", db).stdout
    assert "CONSULT" in summary and "PRK-RUS" in summary


def test_export_gdelt_has_61_columns(db: str, tmp_path: Path) -> None:
    out = tmp_path / "g.tsv"
    res = run("export", "--format", "gdelt", "-o", str(out), "--dyad", "PRK-RUS", "--db", db)
    assert res.exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(len(line.split("\t")) == 61 for line in lines)


def test_version_is_the_installed_distributions() -> None:
    from importlib.metadata import version

    import tidings

    res = run("--version")
    assert res.exit_code == 0 and res.stdout == f"tidings {version('tidings')}\n"
    assert tidings.__version__ == version("tidings")


# --------------------------------------------------------------------------------------------
# exit codes through main(), as a shell sees them (CliRunner skips main's store-error handling)


def tidings(*args: str, stdout: int = subprocess.PIPE, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tidings.cli", *args], stdout=stdout,
                          stderr=subprocess.PIPE, timeout=300, **kwargs)


def test_exit_code_0_all_inputs_coded(seed_path: Path) -> None:
    proc = tidings("code", str(seed_path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count(b'"doc_id": "seed-rodong-2020-04-23"') > 0


def test_exit_code_1_some_inputs_failed(tmp_path: Path, seed_path: Path) -> None:
    proc = tidings("code", str(tmp_path / "missing.txt"), str(seed_path))
    assert proc.returncode == 1
    assert b"missing.txt" in proc.stderr and b"seed-rodong-2020-04-23" in proc.stdout


def test_exit_code_2_read_command_refuses_a_missing_store(tmp_path: Path) -> None:
    """A typo in --db is a usage error that names the path; no folder or store is made."""
    target = tmp_path / "typo" / "dir" / "x.db"
    for args in (["events"], ["summary"], ["timeline", "PRK", "RUS"], ["search", "x"],
                 ["show", "x"], ["export", "-f", "csv", "-o", "-"], ["serve"]):
        res = runner.invoke(app, [*args, "--db", str(target)])
        assert res.exit_code == 2, (args, res.output)
        assert str(target) in re.sub(r"[\s│]", "", res.stderr), (args, res.stderr)
    assert not (tmp_path / "typo").exists()
    proc = tidings("events", env={**os.environ, "TIDINGS_DB": str(target)})
    assert proc.returncode == 2 and b"no store at" in proc.stderr
    assert not (tmp_path / "typo").exists()


def test_exit_code_3_store_cannot_be_written(tmp_path: Path, seed_path: Path) -> None:
    def full_disk() -> None:  # in the child: no file may grow at all
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    proc = tidings("ingest", str(seed_path), "--db", str(tmp_path / "t.db"),
                   preexec_fn=full_disk)
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("store error:"), lines


@pytest.mark.parametrize("args", [["events", "--format", "jsonl", "--db"], ["events", "--db"],
                                  ["summary", "--db"], ["--version"]],
                         ids=["jsonl", "table", "summary", "version"])
def test_closed_pipe_exits_0_quietly(db: str, args: list[str]) -> None:
    """`tidings events | head`: the reader left before anything was written (its end of the
    pipe is closed before the command starts), so the first write meets EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = tidings(*args, *([db] if args[-1] == "--db" else []), stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr == b""


def test_every_command_help_has_an_example() -> None:
    for cmd in ("code", "ingest", "events", "timeline", "search", "show", "summary",
                "evaluate", "serve", "export"):
        assert "Example:" in runner.invoke(app, [cmd, "--help"]).stdout, cmd
