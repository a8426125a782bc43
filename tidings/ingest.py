"""Ingest: read inputs, skip what is stored, code the rest, store each article atomically.

``store_result`` is the one place a coding result becomes stored data and a line of the
report: the in-process ingest, every executor's parent and the web app's POST all call it, so
"coded", "duplicate" and "failed" mean the same everywhere. The store guarantees one
transaction per article, so an interrupted ingest leaves only whole articles and a rerun
continues.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import readers
from .limits import Limits, resolve
from .model import Article, ReadFailure
from .pipeline import CodedArticle, Skipped, code_articles
from .settings import Settings
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What one ingest run did: coded, duplicate, failed (with reasons).

    Every failure is counted (``failed_count``, ``failed_kinds``) but only the first
    ``max_failures_kept`` are kept with their reasons in ``failed``: a file of a million bad
    lines must not hold a million messages (issue #14, item 6).
    """

    coded: int = 0
    duplicate: int = 0
    events: int = 0
    failed: list[ReadFailure] = field(default_factory=list)
    failed_count: int = 0
    failed_kinds: Counter[str] = field(default_factory=Counter)
    max_failures_kept: int = resolve(None).max_failures_kept

    def fail(self, failure: ReadFailure) -> None:
        """Count a failure; keep it while fewer than ``max_failures_kept`` are kept."""
        self.failed_count += 1
        self.failed_kinds[failure.kind] += 1
        if len(self.failed) < self.max_failures_kept:
            self.failed.append(failure)
        log.info("failed %s", failure)

    @property
    def exit_code(self) -> int:
        """0 when every input was coded or already stored, 1 when some failed."""
        return 1 if self.failed_count or self.failed else 0

    def lines(self) -> list[str]:
        total = max(self.failed_count, len(self.failed))
        out = [
            f"coded: {self.coded} articles, {self.events} events",
            f"duplicate: {self.duplicate}",
            f"failed: {total}",
        ]
        out.extend(f"  {f}" for f in self.failed)
        if total > len(self.failed):
            kinds = ", ".join(f"{k} {n}" for k, n in self.failed_kinds.most_common())
            out.append(f"  ... and {total - len(self.failed)} more not listed "
                       f"(max_failures_kept); all failures by kind: {kinds}")
        return out


def store_result(
    result: CodedArticle | ReadFailure | Skipped | Mapping[str, Any],
    store: Store,
    report: IngestReport,
    on_item: Callable[[str], None] | None = None,
) -> str:
    """Store one coding result and count it: "coded", "duplicate" or "failed".

    ``result`` is what ``code_articles`` yields, or its plain form from a worker process
    (``executors.to_plain``).
    """
    if isinstance(result, Mapping):
        result = from_plain(result)
    if isinstance(result, ReadFailure):
        report.fail(result)
        status = "failed"
    elif isinstance(result, Skipped):
        report.duplicate += 1
        status = "duplicate"
    else:
        added = store.add(result.article, result.events, result.sentences,
                          tone=result.tone, fingerprint=result.fingerprint)
        if added == "added":
            report.coded += 1
            report.events += len(result.events)
            status = "coded"
        else:
            report.duplicate += 1
            status = "duplicate"
    if on_item is not None:
        on_item(status)
    return status


def from_plain(item: Mapping[str, Any]) -> CodedArticle | ReadFailure | Skipped:
    """A result back from its plain form (what crosses process and network boundaries)."""
    if "failure" in item:
        return ReadFailure(**item["failure"])
    if "skipped" in item:
        return Skipped(Article(id=item["skipped"], text=""))
    return CodedArticle.from_dict(dict(item))


def ingest(
    paths: Iterable[str | Path] | str | Path,
    store: Store,
    *,
    date: str | None = None,
    on_item: Callable[[str], None] | None = None,
    limits: Limits | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Code ``paths`` into ``store``; ``on_item`` hears "coded" / "duplicate" / "failed".
    ``limits`` bound the inputs (limits.py), ``settings`` tune the coder (settings.py)."""
    limits = resolve(limits)
    report = IngestReport(max_failures_kept=limits.max_failures_kept)
    items = readers.read(paths, date=date, limits=limits)
    for result in code_articles(items, skip=store.has, settings=settings):
        store_result(result, store, report, on_item)
    return report
