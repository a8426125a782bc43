"""Command-line paths → the input files to read, each with the name its articles' ids come from.

Why a module of its own: what a path *is* (a file, a folder to walk, a FIFO, a symlink loop, a
folder we may not list) and what an article without an id is *called* must be decided once,
the same way for the in-process reader and for every executor's shards; both get their
``Source`` objects from ``sources()``.

Names (issue #14, item 2). An article without an id of its own takes its id from its file's
name. A file named on the command line is named by its stem (``seed.txt`` → ``seed``); a file
found by walking a folder is named by its path inside that folder (``d/2024-01/article.txt`` →
``2024-01-article``), so ``2024-01/article.txt`` and ``2024-02/article.txt`` are two articles.
Two inputs of one run that would still share a name (``a/x.txt b/x.txt``) are told apart by
their parent folders (``x``, ``b-x``), so nothing of one run overwrites another input.

Errors. A path that cannot be examined is one ``ReadFailure`` with the reason (permission,
name too long, symbolic link loop, a FIFO or device, a folder that cannot be listed, a folder
holding nothing readable); nothing raises, and the other inputs are read.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from .model import ReadFailure

SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json", ".csv"}
STDIN = "-"

# What an OS error while examining a path means for the user.
_ERRNO_REASONS = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is not a folder",
}


@dataclass(frozen=True)
class Source:
    """One input file: where it is, and the name ids are made from (see the module doc)."""

    path: str
    name: str


def stable_id(stem: str) -> str:
    """An id made of [A-Za-z0-9._-]: other characters (and "/") become "-"."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "article"


def file_kind(path: PurePath) -> tuple[str, bool]:
    """(inner suffix, gzipped?) of a path: data.jsonl.gz → (".jsonl", True)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) >= 2 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def bare_name(path: PurePath) -> str:
    """A file name without its kind's suffixes: "feed.jsonl.gz" → "feed"."""
    suffix, gz = file_kind(path)
    if suffix in SUFFIXES:
        return path.name[: -len(suffix + (".gz" if gz else ""))]
    return path.stem


def os_reason(exc: OSError) -> str:
    """A short reason for an OS error on a path."""
    return _ERRNO_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def _kind_of(mode: int) -> str | None:
    """What a non-regular, non-folder file is, for the message."""
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return None


def examine(path: str) -> os.stat_result | ReadFailure:
    """``os.stat`` of a path, or the failure that says why it cannot be read."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.lexists(path):
            return ReadFailure(path, "missing", "broken symbolic link")
        return ReadFailure(path, "missing", f"cannot read: {os_reason(exc)}")
    other = _kind_of(st.st_mode)
    if other is not None:
        return ReadFailure(path, "unsupported", f"not a regular file ({other})")
    return st


class _Namer:
    """Names unique within one run: a repeat is qualified by parent folders, then numbered."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def name(self, shown: PurePath, rel: PurePath) -> str:
        parts = [*shown.parent.parts, bare_name(shown)]
        parts = [p for p in parts if p not in ("", "/", ".", "..")]
        inner = len(rel.parts)
        for k in range(inner, len(parts) + 1):
            candidate = stable_id("/".join(parts[-k:]))
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        base, n = stable_id("/".join(parts[-inner:])), 2
        while f"{base}-{n}" in self.used:
            n += 1
        self.used.add(f"{base}-{n}")
        return f"{base}-{n}"


def _walk(root: str, seen: frozenset[tuple[int, int]]) -> Iterator[str | ReadFailure]:
    """Files under ``root``, sorted by name at every level (depth first), hidden entries
    left out; folders that cannot be listed and symbolic link loops are failures."""
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield ReadFailure(root, "missing", f"cannot list the folder: {os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        got = examine(entry.path)
        if isinstance(got, ReadFailure):
            yield got
        elif stat.S_ISDIR(got.st_mode):
            key = (got.st_dev, got.st_ino)
            if key in seen:
                yield ReadFailure(entry.path, "missing", "symbolic link loop (folder "
                                  "links back to one it is inside)")
                continue
            yield from _walk(entry.path, seen | {key})
        elif file_kind(PurePath(entry.name))[0] in SUFFIXES:
            yield entry.path


def _folder(path: str, st: os.stat_result, namer: _Namer) -> Iterator[Source | ReadFailure]:
    found = False
    for item in _walk(path, frozenset({(st.st_dev, st.st_ino)})):
        found = True
        if isinstance(item, ReadFailure):
            yield item
            continue
        rel = PurePath(os.path.relpath(item, path))
        yield Source(item, namer.name(PurePath(item), rel))
    if not found:
        kinds = " ".join(sorted(SUFFIXES))
        yield ReadFailure(path, "empty", f"the folder holds no file of a kind Tidings reads "
                          f"({kinds}, or their .gz)")


def sources(paths: Iterable[str | Path] | str | Path) -> Iterator[Source | ReadFailure | str]:
    """Every input of ``paths`` in order: a Source per file (folders walked, sorted), the
    string "-" for stdin, a ReadFailure per path that cannot be read."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    namer = _Namer()
    for p in paths:
        path = str(p)
        if path == STDIN:
            yield STDIN
            continue
        got = examine(path)
        if isinstance(got, ReadFailure):
            yield got
        elif stat.S_ISDIR(got.st_mode):
            yield from _folder(path, got, namer)
        else:
            shown = PurePath(path)
            yield Source(path, namer.name(shown, PurePath(shown.name)))
