"""Tidings: news articles in, political event data out.

The public API, mirrored by the CLI::

    import tidings
    coded = tidings.code_text(text, date="2020-04-23")     # -> CodedArticle(.events)
    for item in tidings.read("articles/"): ...             # -> Article | ReadFailure
    with tidings.Store("tidings.db") as store:
        tidings.ingest("articles/", store)
        store.events(dyad="PRK-RUS")

Names are imported on first use: ``import tidings`` (and every CLI command that does not
code, such as ``tidings summary``) does not pay for spaCy, lingua or a database driver.
Tidings logs through the standard ``logging`` module under the "tidings" logger, which has a
NullHandler: an application sees its messages only where it configures logging (the CLI's
``-v``).
"""

import logging
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:  # pyproject.toml is the one place the version is written; installs carry it
    __version__ = version("tidings")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

# name -> module that defines it
_LAZY = {
    "Actor": ".model", "Article": ".model", "Location": ".model", "ReadFailure": ".model",
    "CodedArticle": ".pipeline", "code_articles": ".pipeline", "code_text": ".pipeline",
    "read": ".readers", "Store": ".store", "ingest": ".ingest", "Limits": ".limits",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(import_module(module, __name__), name)


__all__ = [*_LAZY, "__version__"]
