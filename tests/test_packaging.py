"""The built package tells the truth about itself: its licences, what it bundles, its version.

The sdist and the wheel are built once (the wheel from the sdist, as pip does), without
build isolation: the venv's setuptools is the locked one and nothing is downloaded.
scripts/fresh_clone_check.sh installs such a wheel into a fresh venv and runs it.
"""

from __future__ import annotations

import email
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NOTICE = (ROOT / "NOTICE").read_text(encoding="utf-8")
# A data file needs a NOTICE entry when its header's licence lines name a licence other than
# MIT, or when it carries someone else's copyright notice (MIT-licensed sources).
OTHER_LICENCE = re.compile(r"CC BY|GDELT|Apache|ISC|BSD|GPL")


def needs_notice(header: list[str]) -> bool:
    licence_lines = [ln for ln in header if re.search(r"licen[cs]e", ln, re.I)]
    return any(OTHER_LICENCE.search(ln) for ln in licence_lines) or any(
        "Copyright" in ln for ln in header)


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return sdist, wheel


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(zf.read(name))


def test_wheel_metadata_states_the_licences_and_the_version(dists: tuple[Path, Path]) -> None:
    meta = wheel_metadata(dists[1])
    assert meta["Version"] == PROJECT["version"]
    assert meta["License-Expression"] == PROJECT["license"]
    assert meta.get_all("License-File") == sorted(
        ["LICENSE", "NOTICE", *(f"LICENSES/{p.name}" for p in (ROOT / "LICENSES").glob("*.txt"))],
        key=lambda n: (n.count("/"), n))
    for field in ("Author", "Keywords", "Project-URL", "Classifier"):
        assert meta.get_all(field), field
    assert not any(c.startswith("License ::") for c in meta.get_all("Classifier"))
    with zipfile.ZipFile(dists[1]) as zf:
        names = zf.namelist()
    for lic in meta.get_all("License-File"):
        assert any(n.endswith(f".dist-info/licenses/{lic}") for n in names), lic


def test_every_licence_of_the_expression_has_its_text() -> None:
    ids = set(re.findall(r"[A-Za-z0-9.-]+", PROJECT["license"])) - {"AND", "OR", "WITH"}
    texts = {p.stem for p in (ROOT / "LICENSES").glob("*.txt")}
    assert ids == texts
    assert "MIT" in (ROOT / "LICENSE").read_text(encoding="utf-8").splitlines()[0]


def test_notice_lists_every_bundled_third_party_file(dists: tuple[Path, Path]) -> None:
    """A data file whose header names another source, and every vendored web file, is in
    NOTICE; and every path NOTICE names is in the wheel."""
    with zipfile.ZipFile(dists[1]) as zf:
        shipped = {n for n in zf.namelist() if n.startswith("tidings/")}
    for name in sorted(shipped):
        if name.startswith("tidings/data/"):
            with zipfile.ZipFile(dists[1]) as zf:
                lines = zf.read(name).decode("utf-8").splitlines()[:40]
            if needs_notice([ln for ln in lines if ln.startswith("#")]):
                assert name in NOTICE, name
        elif "/vendor/" in name and not name.endswith("topo2svg.py.txt"):
            assert name.rsplit("/", 1)[-1] in NOTICE, name
    for listed in re.findall(r"tidings/[\w/.-]+\.\w+", NOTICE):
        assert listed in shipped, listed


def test_sdist_leaves_the_tests_out_and_keeps_the_licences(dists: tuple[Path, Path]) -> None:
    with tarfile.open(dists[0]) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    assert {"LICENSE", "NOTICE", "README.md", "pyproject.toml", "tidings/cli.py"} <= names
    assert {f"LICENSES/{p.name}" for p in (ROOT / "LICENSES").glob("*.txt")} <= names
    assert not [n for n in names if n.split("/")[0] in {"tests", "bench", "fuzz", "tools"}]
