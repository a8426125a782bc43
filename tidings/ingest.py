"""Ingest: read inputs, skip what is stored, code the rest, store each article atomically.

The same function serves the CLI and the API; the store guarantees one transaction per
article, so an interrupted ingest leaves only whole articles and a rerun continues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import readers
from .model import ReadFailure
from .pipeline import CodedArticle, Skipped, code_articles
from .settings import Settings
from .store import Store


@dataclass
class IngestReport:
    """What one ingest run did: coded, duplicate, failed (with reasons)."""

    coded: int = 0
    duplicate: int = 0
    events: int = 0
    failed: list[ReadFailure] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every input was coded or already stored, 1 when some failed."""
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        out = [
            f"coded: {self.coded} articles, {self.events} events",
            f"duplicate: {self.duplicate}",
            f"failed: {len(self.failed)}",
        ]
        out.extend(f"  {f}" for f in self.failed)
        return out


def ingest(
    paths: Iterable[str | Path] | str | Path,
    store: Store,
    *,
    date: str | None = None,
    on_item: Callable[[str], None] | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Code ``paths`` into ``store``; ``on_item`` hears "coded" / "duplicate" / "failed"."""
    report = IngestReport()
    items = readers.read(paths, date=date)
    for result in code_articles(items, skip=store.has, settings=settings):
        if isinstance(result, ReadFailure):
            report.failed.append(result)
            status = "failed"
        elif isinstance(result, Skipped):
            report.duplicate += 1
            status = "duplicate"
        else:
            assert isinstance(result, CodedArticle)
            status = store.add(result.article, result.events, result.sentences)
            if status == "added":
                report.coded += 1
                report.events += len(result.events)
                status = "coded"
            else:
                report.duplicate += 1
        if on_item is not None:
            on_item(status)
    return report
