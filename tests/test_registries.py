"""Issue #13, item 4: registries at the edges. Adding an output format is one decorated
function, and every command finds it; adding a store backend is one class and one
registration, and the store, the CLI and its exit codes work with it unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import CliRunner

from tidings import formats
from tidings.cli import app, main
from tidings.ingest import ingest
from tidings.store import Store, StoreError, backends
from tidings.store.sqlite import SQLiteStore

runner = CliRunner()


@pytest.fixture
def dyads_format() -> Any:
    """A new format, registered the way export.py registers gdelt: one decorated function."""

    @formats.writer("dyads", "source and target country of each event, one pair a line")
    def write_dyads(events: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
        n = 0
        for ev in events:
            src, tgt = ev.get("source") or {}, ev.get("target") or {}
            out.write(f"{src.get('country') or '-'}>{tgt.get('country') or '-'}\n")
            n += 1
        return n

    yield write_dyads
    formats.WRITERS.pop("dyads")


def test_a_new_format_reaches_code_events_and_export(
    dyads_format: Any, seed_path: Path, tmp_path: Path
) -> None:
    assert "dyads" in formats.names() and formats.get("dyads").write is dyads_format
    coded = runner.invoke(app, ["code", str(seed_path), "--format", "dyads"])
    assert coded.exit_code == 0 and "PRK>RUS" in coded.stdout.splitlines()
    db = str(tmp_path / "f.db")
    assert runner.invoke(app, ["ingest", str(seed_path), "--db", db]).exit_code == 0
    listed = runner.invoke(app, ["events", "--format", "dyads", "--db", db])
    out = tmp_path / "d.txt"
    exported = runner.invoke(app, ["export", "-f", "dyads", "-o", str(out), "--db", db])
    assert listed.exit_code == 0 and exported.exit_code == 0
    assert sorted(listed.stdout.splitlines()) == sorted(out.read_text().splitlines())
    assert sorted(listed.stdout.splitlines()) == sorted(coded.stdout.splitlines())
    unknown = runner.invoke(app, ["events", "--format", "nope", "--db", db])
    assert unknown.exit_code == 2 and "dyads" in unknown.output  # the error lists it


class MemoryStore(SQLiteStore):
    """A backend for ``memory://NAME`` targets: SQLite in memory, one per name. A real
    backend (the SQLite engine, every query of base.Store), registered by scheme."""

    def __init__(self, target: str | None = None, **options: Any) -> None:
        super().__init__(":memory:", **options)
        self.target = target or "memory://"


@pytest.fixture
def memory_backend() -> Any:
    backends.register("memory", MemoryStore)
    yield MemoryStore
    backends.BACKENDS.pop("memory")


def test_a_new_backend_is_one_registration(memory_backend: Any, seed_path: Path) -> None:
    with Store("memory://one") as store:
        assert isinstance(store, memory_backend)
        report = ingest(seed_path, store)
        assert report.coded == 1 and report.events > 0
        assert store.events(dyad="PRK-RUS") and store.search("Vladivostok")
        assert json.loads(json.dumps(store.summary()))["articles"] == 1


def test_unknown_schemes_and_driver_failures_are_one_store_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(StoreError, match="no store backend for mysql://"):
        Store("mysql://localhost/x")
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(StoreError, match="unable to open"):
        Store(str(tmp_path / "folder.db"))
    # The CLI's exit 3 and one line come with StoreError, whatever the backend.
    monkeypatch.setattr("sys.argv", ["tidings", "summary", "--db", "mysql://localhost/x"])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 3
    assert capsys.readouterr().err.startswith("store error: no store backend for mysql://")
