"""No function in tidings/ over MAX_LINES lines: the length half of the lint step's size rule.

Why: a function a reader cannot see whole is one a newcomer cannot change safely (issue #13:
two monoliths of ~300 lines). ruff's C901 (max-complexity in pyproject.toml) bounds the
branches; this bounds the length. ``make lint`` and ``make test`` run it::

    python tools/check_function_size.py          # exit 1, naming each function over the limit

A function still over the limit that another piece of work will split is listed in
ALLOWED with the reason; an entry that no longer exceeds the limit fails too, so the list
only shrinks.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tidings"

# Lines from "def" to the function's last line. 60 is a screen: every stage step of issue
# #13 fits in it; the functions below are the ones left to split.
MAX_LINES = 60

# "path::Qualified.name" → why it is still long. Issue #13 item 4 (registries at the edges)
# splits these; remove an entry in the commit that splits its function.
ALLOWED = {
    # the store's query builders and clustering: item 4's store-backend registry moves them
    "tidings/store/base.py::Store._cluster_of": "item 4: store backends",
    "tidings/clusters.py::cluster": "item 4: cross-article linking stays in the store",
}


def functions(path: Path) -> Iterator[tuple[str, int]]:
    """(qualified name, length in lines) of every function and method of a module."""
    tree = ast.parse(path.read_text("utf-8"), str(path))

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                yield name, (child.end_lineno or child.lineno) - child.lineno + 1
                yield from walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, prefix + child.name + ".")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def check(package: Path = PACKAGE, limit: int = MAX_LINES,
          allowed: dict[str, str] | None = None) -> list[str]:
    """The problems: functions over ``limit`` not allowed, allowed ones no longer over it."""
    allowed = ALLOWED if allowed is None else allowed
    long: set[str] = set()
    problems: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        for name, length in functions(path):
            key = f"{rel}::{name}"
            if length <= limit:
                continue
            long.add(key)
            if key not in allowed:
                problems.append(f"{key}: {length} lines (at most {limit}): split it into steps")
    problems += [f"{key}: no longer over {limit} lines: remove it from ALLOWED"
                 for key in sorted(set(allowed) - long)]
    return problems


def main() -> int:
    problems = check()
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
