"""The two locks: the project's own (no machine's indexes or paths), consistent with each other
and with pyproject.toml, and installable by pip 23.2 (tools/lock_extras.py)."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
RUNTIME, DEV = ROOT / "requirements.lock", ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]+\])?==(\S+) \\\n"
                 r"((?:    --hash=\S+(?: \\)?\n)+)", re.M)


def pins(path: Path) -> dict[tuple[str, str], tuple[str, frozenset[str]]]:
    """(canonical name, extras) -> (version, hashes) of every pin in a lock."""
    out = {}
    for m in PIN.finditer(path.read_text(encoding="utf-8")):
        hashes = frozenset(re.findall(r"--hash=(\S+)", m.group(4)))
        out[(canonicalize_name(m.group(1)), m.group(2) or "")] = (m.group(3), hashes)
    return out


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize("lock", [RUNTIME, DEV], ids=["runtime", "dev"])
def test_lock_names_no_index_or_path_of_a_machine(lock: Path) -> None:
    text = lock.read_text(encoding="utf-8")
    options = [ln for ln in text.splitlines() if ln.startswith("-")]
    assert options == [], options
    assert not re.search(r"file://|/opt/|/home/|/root/|/tmp/|/work/", text)


@pytest.mark.parametrize("lock", [RUNTIME, DEV], ids=["runtime", "dev"])
def test_every_line_is_pinned_with_hashes(lock: Path) -> None:
    reqs = [ln for ln in lock.read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith((" ", "#"))]
    assert len(reqs) == len(pins(lock)) > 50
    assert all(hashes for _, hashes in pins(lock).values())


def test_dev_lock_holds_the_runtime_lock_as_it_is() -> None:
    dev = pins(DEV)
    for key, pin in pins(RUNTIME).items():
        assert dev.get(key) == pin, key


def test_runtime_lock_leaves_test_tools_out() -> None:
    runtime = {name for name, _ in pins(RUNTIME)}
    for tool in ("pytest", "hypothesis", "playwright", "ruff", "mypy", "atheris", "build"):
        assert tool not in runtime, tool
        assert tool in {name for name, _ in pins(DEV)}, tool


@pytest.mark.parametrize(("lock", "group"), [(RUNTIME, "dependencies"), (DEV, "test")],
                         ids=["runtime", "dev"])
def test_lock_satisfies_pyproject(lock: Path, group: str) -> None:
    spec = project()
    reqs = spec["dependencies"] if group == "dependencies" else spec["optional-dependencies"][group]
    locked = {name: version for (name, _), (version, _) in pins(lock).items()}
    for line in reqs:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate():
            continue
        name = canonicalize_name(req.name)
        assert name in locked, line
        assert req.specifier.contains(locked[name], prereleases=True), (line, locked[name])


@pytest.mark.parametrize("lock", [RUNTIME, DEV], ids=["runtime", "dev"])
def test_extras_pins_match_their_plain_pins(lock: Path) -> None:
    """pip 23.2 needs justext's lxml[html_clean] and weasel's smart-open[http] pinned as such."""
    locked = pins(lock)
    with_extras = {key: pin for key, pin in locked.items() if key[1]}
    assert {name for name, _ in with_extras} >= {"lxml", "smart-open"}
    for (name, _), pin in with_extras.items():
        assert locked[(name, "")] == pin, name


def _lock_extras():
    spec = importlib.util.spec_from_file_location("lock_extras", ROOT / "tools" / "lock_extras.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_lock_extras_pins_what_is_asked_once() -> None:
    mod = _lock_extras()
    report = {"install": [
        {"metadata": {"requires_dist": ["lxml[html_clean]>=4", "six; extra == 'x'"]}},
        {"metadata": {"requires_dist": ["six[y]; extra == 'x'"]}, "requested_extras": ["x"]},
        {"metadata": {"requires_dist": ["lxml"]}},
    ]}
    asked = mod.asked_extras(report)
    assert asked == {("lxml", "[html_clean]"), ("six", "[y]")}
    lock = ("lxml==6.1.3 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via justext\n"
            "six==1.16 \\\n    --hash=sha256:cc\n")
    once = mod.pin_extras(lock, asked)
    block = "lxml[html_clean]==6.1.3 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
    assert once.count(block) == 1
    assert once.index("# via justext") < once.index("lxml[html_clean]") < once.index("six==")
    assert "six[y]==1.16 \\\n    --hash=sha256:cc\n" in once
    assert mod.pin_extras(once, asked) == once
