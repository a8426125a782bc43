"""Issue #14, items 7, 12 and 13: the worker pool (tidings/workers.py) with real processes.

* A worker that dies (an out-of-memory kill) costs its task one retry; a task that kills every
  worker it meets becomes a reported failure; the run goes on and ends with its summary.
* Killing the parent (SIGKILL or SIGTERM) leaves no worker behind.
* Workers are forked from a fork server that loaded the coder once: they share the model
  instead of each loading its own; ``tidings code --workers 2`` prints what one process does.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from tidings import executors, nlp
from tidings.store import Store

ROOT = Path(__file__).resolve().parents[1]
# The fork server is one per process, started by the first pool with its preload list: every
# pool here passes the executors' list, so whichever test runs first starts it preloaded.
PRELOAD = getattr(executors, "PRELOAD", ())  # (absent before the fork server)
# How long a test waits for processes to go or a run to reach a point (polled every 0.1 s): a
# guard against a hang on a loaded 2-core machine, not a measurement.
PATIENCE_S = 120


def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.1)


# ---------------------------------------------------------------- the pool itself


def _square_or_die(item: tuple[int, str]) -> int:
    """A task: square the number; "die" kills the worker every time, "once:PATH" kills it the
    first time only (PATH marks that it happened), "raise" raises."""
    n, how = item
    if how == "die" or (how.startswith("once:") and not Path(how[5:]).exists()):
        if how.startswith("once:"):
            Path(how[5:]).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    if how == "raise":
        raise ValueError(f"bad item {n}")
    return n * n


def _drive(pool: Any, items: list[tuple[int, str]]) -> list[Any]:
    futures = [pool.submit(i) for i in items]
    pending = set(futures)
    while pending:
        pending -= pool.first_done(pending)
    return [f.result() for f in futures]


def test_a_dead_workers_task_is_retried_then_reported(tmp_path: Path) -> None:
    """Before: one worker killed by the kernel broke the whole ProcessPoolExecutor and every
    pending task failed with BrokenProcessPool."""
    from tidings.workers import Pool

    marker = tmp_path / "killed-once"
    items = [(1, ""), (2, f"once:{marker}"), (3, "die"), (4, ""), (5, "")]
    with Pool(2, _square_or_die, on_death=lambda item, why: f"lost {item[0]}: {why}",
              preload=PRELOAD) as pool:
        got = _drive(pool, items)
    assert got[:2] == [1, 4] and got[3:] == [16, 25]
    assert got[2].startswith("lost 3: killed by SIGKILL") and marker.exists()


def test_a_task_that_raises_is_an_error_of_the_caller() -> None:
    from tidings.workers import Pool, TaskError

    with Pool(1, _square_or_die, on_death=lambda *a: None, preload=PRELOAD) as pool:
        future = pool.submit((7, "raise"))
        pool.first_done({future})
        with pytest.raises(TaskError, match="ValueError: bad item 7"):
            future.result()


def _probe(_: Any) -> dict[str, Any]:
    from tidings import preload

    return {"pid": os.getpid(), "loaded_by": preload.LOADED_BY,
            "cached": nlp._load.cache_info().currsize}


def test_workers_share_the_model_the_fork_server_loaded() -> None:
    """Before: every spawned worker imported Tidings and loaded ~1 GB by itself."""
    from tidings.workers import Pool

    with Pool(2, _probe, on_death=lambda *a: None, preload=PRELOAD) as pool:
        got = _drive(pool, [None, None, None])
    assert all(g["cached"] == 1 for g in got)  # the model was there before the task ran
    assert all(g["loaded_by"] != g["pid"] for g in got)  # ... loaded by the fork server
    assert len({g["loaded_by"] for g in got}) == 1


def test_the_model_is_loaded_once_per_process() -> None:
    """Before: nlp.load() and nlp.load(None) were two cache keys: two models in memory."""
    assert nlp.load() is nlp.load(None)


# ---------------------------------------------------------------- in a real ingest


def _kcna_corpus(shared: Path, root: Path, n: int) -> Path:
    path = root / "kcna.jsonl"
    with open(shared / "corpus" / "kcna_2024_dev.jsonl", encoding="utf-8") as f:
        lines = [next(f) for _ in range(n)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _stored(db: str) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


def _workers() -> list[psutil.Process]:
    """This process's pool workers: the children of its fork server."""
    from multiprocessing import forkserver

    server = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    return psutil.Process(server).children() if server else []


def test_a_worker_killed_mid_run_costs_nothing(shared: Path, tmp_path: Path) -> None:
    """An out-of-memory kill of one worker: its shard is coded again by a fresh worker, the
    run ends with its summary and stores what a run without the kill stores."""
    corpus = _kcna_corpus(shared, tmp_path, 24)
    db = str(tmp_path / "k.db")
    killed: list[int] = []

    def kill_one() -> None:
        _until(lambda: _stored(db) > 0, "a first stored article")
        victim = _workers()[0]
        killed.append(victim.pid)
        victim.kill()

    killer = threading.Thread(target=kill_one, daemon=True)
    killer.start()
    with Store(db) as store:
        report = executors.run([corpus], store, workers=2, executor="process", task_records=2)
    killer.join()
    assert killed and report.failed == [] and report.coded + report.duplicate == 24
    with Store(str(tmp_path / "ref.db")) as ref:
        reference = executors.run([corpus], ref, executor="local")
    assert (report.coded, report.duplicate, report.events) == (
        reference.coded, reference.duplicate, reference.events)


_INGEST = "from tidings.cli import main; main()"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_parent_leaves_no_worker(shared: Path, tmp_path: Path, sig: int) -> None:
    """Before: after SIGKILL or SIGTERM of `ingest --workers 2`, both workers (~500 MB each)
    and the resource tracker were still alive 200 s later."""
    corpus = _kcna_corpus(shared, tmp_path, 40)
    db = str(tmp_path / "p.db")
    log = tmp_path / "err.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _INGEST, "ingest", str(corpus), "--db", db, "--workers", "2"],
            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=err,
        )
    parent = psutil.Process(proc.pid)
    try:
        _until(lambda: _stored(db) > 0 or proc.poll() is not None, "a first stored article")
        assert proc.poll() is None, log.read_text()
        family = parent.children(recursive=True)
        assert len(family) >= 3  # the fork server and two workers (and the resource tracker)
        proc.send_signal(sig)
        proc.wait(PATIENCE_S)

        def gone() -> bool:
            return all(not p.is_running() or p.status() == psutil.STATUS_ZOMBIE for p in family)

        _until(gone, "the workers of a killed ingest to exit")
    finally:
        for p in psutil.Process(os.getpid()).children(recursive=True):
            if p.pid == proc.pid or p in family:
                p.kill()
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in log.read_text()
    assert 0 < _stored(db) < 40


def test_code_workers_prints_what_one_process_prints(shared: Path, tmp_path: Path) -> None:
    """`tidings code` takes --workers as ingest does; the events and their order are the
    same."""
    from typer.testing import CliRunner

    from tidings.cli import app

    corpus = _kcna_corpus(shared, tmp_path, 20)
    runner = CliRunner()
    one = runner.invoke(app, ["code", str(corpus)])
    two = runner.invoke(app, ["code", str(corpus), "--workers", "2"])
    assert one.exit_code == two.exit_code == 0
    events = [json.loads(x) for x in one.stdout.splitlines()]
    assert events and two.stdout == one.stdout


def test_workers_leave_when_told() -> None:
    """Closing the pool stops every worker by its own exit (status 0), not by a signal after
    a wait: a stop word compared by identity was never recognised after unpickling."""
    from tidings.workers import Pool

    with Pool(2, _square_or_die, on_death=lambda *a: None, preload=PRELOAD) as pool:
        assert _drive(pool, [(3, ""), (4, "")]) == [9, 16]
    assert [w.process.exitcode for w in pool.workers] == [0, 0]
