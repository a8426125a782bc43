"""Tidings: news articles in, political event data out.

The public API, mirrored by the CLI::

    import tidings
    coded = tidings.code_text(text, date="2020-04-23")     # -> CodedArticle(.events)
    for item in tidings.read("articles/"): ...             # -> Article | ReadFailure
    with tidings.Store("tidings.db") as store:
        tidings.ingest("articles/", store)
        store.events(dyad="PRK-RUS")
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .model import Actor, Article, Location, ReadFailure
from .pipeline import CodedArticle, code_articles, code_text
from .readers import read

try:  # pyproject.toml is the one place the version is written; installs carry it
    __version__ = version("tidings")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"


def __getattr__(name: str) -> Any:
    # Store and ingest import the database drivers; load them only when asked for.
    if name == "Store":
        from .store import Store

        return Store
    if name == "ingest":
        from .ingest import ingest

        return ingest
    raise AttributeError(name)


__all__ = [
    "Actor", "Article", "CodedArticle", "Location", "ReadFailure", "Store",
    "code_articles", "code_text", "ingest", "read", "__version__",
]
