"""The project's gold corpus: which split a document falls into, and what the model saw.

Every gold document of ``tests/gold`` falls into **train** (60 %), **dev** (20 %) or a
**locked test** split (20 %) by a hash of its id, so the split never depends on what a
document contains or on when it was coded, and adding documents never moves old ones. A record
may pin its split with ``"split"``: the 51 documents coded before 2026-12 are pinned to train,
because the rules were developed by reading them (docs/annotation.md §11). A pinned split other
than the hash's is refused for any other reason (:func:`check_split`).

Tune rules and models on train, choose on dev, read test only as a number: ``tidings evaluate``
reports the three side by side and never lists the errors of test documents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Article

SPLITS = ("train", "dev", "test")
# Shares of the hash space, cumulative: [0, 60) train, [60, 80) dev, [80, 100) test. The
# issue fixed 60/20/20; a percentage of a 256-bit hash is uniform enough at 300 documents.
SPLIT_BOUNDS = (("train", 60), ("dev", 80), ("test", 100))
# Why a record may pin its split (the only reason accepted).
PINNED_REASON = "seen"


def hashed_split(doc_id: str) -> str:
    """The split a document id hashes to (sha256, first 8 bytes, modulo 100)."""
    bucket = int.from_bytes(hashlib.sha256(doc_id.encode("utf-8")).digest()[:8], "big") % 100
    return next(name for name, bound in SPLIT_BOUNDS if bucket < bound)


def split_of(doc: dict[str, Any]) -> str | None:
    """A gold document's split: pinned, hashed, or None for a document of no split (the
    external sets such as the PLOVER GSR records, which carry no ``split`` key)."""
    split = doc.get("split")
    return split if split in SPLITS else None


def check_split(doc: dict[str, Any]) -> str | None:
    """Why a record's split is wrong, or None: it must be the hash's, unless pinned to train
    as a document the rules were developed on."""
    split = doc.get("split")
    if split not in SPLITS:
        return f"{doc.get('id')}: split {split!r} is not one of {SPLITS}"
    if split == hashed_split(doc["id"]):
        return None
    if split == "train" and doc.get("split_reason") == PINNED_REASON:
        return None
    return f"{doc.get('id')}: split {split!r}, but its id hashes to {hashed_split(doc['id'])!r}"


def load(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Gold documents of JSONL files, or of every ``*.jsonl`` in a folder (sorted)."""
    docs: list[dict[str, Any]] = []
    for path in paths:
        p = Path(path)
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            with f.open(encoding="utf-8") as fh:
                docs.extend(json.loads(line) for line in fh if line.strip())
    return docs


def of_split(docs: Iterable[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    return [d for d in docs if split_of(d) == split]


def data_hash(docs: Iterable[dict[str, Any]]) -> str:
    """A fingerprint of documents as a model sees them (id, text, events), independent of
    file order and formatting: a shipped model records it, and a test compares it with the
    train split of today's gold, so a changed gold cannot ship with a stale model."""
    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d["id"]):
        view = {"id": d["id"], "text": d["text"], "date": d.get("date"),
                "source": d.get("source"), "events": d.get("events", [])}
        h.update(json.dumps(view, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def as_article(doc: dict[str, Any]) -> Article:
    """The article a gold document stands for, as the pipeline reads it."""
    from .model import Article

    return Article(id=doc["id"], text=doc["text"], title=doc.get("title"),
                   published=doc.get("date"), source=doc.get("source"))


def rules_seen(doc: dict[str, Any]) -> bool:
    """The rules were written by reading this document: pinned to train as seen, or a
    third-party record marked ``rules_seen`` (the PLOVER GSR sentences, which the rules of
    2026-11 were tuned on). A measure of the rules on it flatters them."""
    return doc.get("split_reason") == PINNED_REASON or bool(doc.get("rules_seen"))
