"""Pin in a lock each package that a locked package asks for with extras, as it asks for it.

    python tools/lock_extras.py REPORT.json LOCK

Why: pip before 23.3 (the pip of a fresh Python 3.11 venv is 23.2) resolves a requirement
with extras, such as justext's ``lxml[html_clean]`` or weasel's ``smart-open[http]``, as a
requirement of its own, and in --require-hashes mode it refuses one that the requirements
file does not pin with == ("all requirements must have their versions pinned"). pip-compile
writes the locks without extras (``--strip-extras``, so that the runtime lock can constrain
the dev lock), so this adds ``name[extras]==version`` with the plain pin's hashes, the
extras spelt as the asking package spells them (pip 23.2 does not normalise extra names,
PEP 685). REPORT.json is ``pip install --dry-run --ignore-installed --report`` of LOCK: it
gives every locked package's Requires-Dist. `make lock` runs both.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

MARK = "    # pip < 23.3 needs the extras pinned as asked for (tools/lock_extras.py)\n"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\\n((?:    --hash=\S+(?: \\)?\n)+)", re.M)


def asked_extras(report: dict) -> set[tuple[str, str]]:
    """(canonical name, "[extras]" as spelt) for each locked dependency asked with extras."""
    asked: set[tuple[str, str]] = set()
    for item in report["install"]:
        extras = item.get("requested_extras") or [""]
        for spec in item["metadata"].get("requires_dist") or []:
            req = Requirement(spec)
            if not req.extras or not _applies(req, extras):
                continue
            asked.add((canonicalize_name(req.name), "[" + ",".join(sorted(req.extras)) + "]"))
    return asked


def _applies(req: Requirement, extras: list[str]) -> bool:
    """Whether the requirement holds here for the package installed with these extras."""
    if req.marker is None:
        return True
    env = default_environment()
    return any(req.marker.evaluate({**env, "extra": extra}) for extra in extras)


def pin_extras(lock: str, asked: set[tuple[str, str]]) -> str:
    """The lock with one ``name[extras]==version`` block after each plain pin asked so."""
    lock = _without_old_blocks(lock)
    out, last = [], 0
    for m in PIN.finditer(lock):
        name, version, hashes = m.group(1), m.group(2), m.group(3)
        end = lock.index("\n", m.end() - 1) + 1
        block_end = _block_end(lock, end)
        out.append(lock[last:block_end])
        for key, extras in sorted(asked):
            if key == canonicalize_name(name):
                out.append(f"{name}{extras}=={version} \\\n{hashes}{MARK}")
        last = block_end
    out.append(lock[last:])
    return "".join(out)


def _block_end(lock: str, pos: int) -> int:
    """The end of the comment lines (``# via ...``) that follow a pin's hashes."""
    while pos < len(lock) and lock.startswith("    #", pos):
        pos = lock.index("\n", pos) + 1
    return pos


def _without_old_blocks(lock: str) -> str:
    """The lock less the blocks this script added before (a rerun adds them afresh)."""
    old = re.compile(r"^[A-Za-z0-9._-]+\[[^\]]+\]==\S+ \\\n(?:    --hash=\S+(?: \\)?\n)+"
                     + re.escape(MARK), re.M)
    return old.sub("", lock)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", type=Path, help="pip install --dry-run --report of LOCK")
    ap.add_argument("lock", type=Path)
    args = ap.parse_args(argv)
    asked = asked_extras(json.loads(args.report.read_text(encoding="utf-8")))
    text = args.lock.read_text(encoding="utf-8")
    args.lock.write_text(pin_extras(text, asked), encoding="utf-8")
    for name, extras in sorted(asked):
        print(f"{args.lock}: pinned {name}{extras}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
