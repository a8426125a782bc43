"""Event output formats: one registry of writers for the CLI (``code``, ``events``, ``export``)
and the web API (``format=``).

Why a registry: a format used to be written in two systems (this module for the CLI and the
web, export.py for exports) with different CSV columns and two functions named ``flat``, so a
new format touched four to six places. Now a format is one function registered with
``@writer(...)``: every command and the API find it by name (``get``), and ``names`` lists
them for help texts and errors. The built-in formats live here (jsonl, csv, table) and in
export.py (gdelt, plover, parquet); a module holding more is listed in ``WRITER_MODULES``.

The JSON Lines form is the public event contract (issue #2), followed by the article summary
and cluster counts when the events carry them (events from a store do, freshly coded ones do
not). CSV flattens the same into one documented column list (``COLUMNS``: the event's
``CSV_COLUMNS``, then the article's and the cluster's), one row per event; text cells that a
spreadsheet would run as a formula (``=``, ``+``, ``@``, tab, CR) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

# The public contract's fields, in the order they are written.
CONTRACT_FIELDS = (
    "id", "doc_id", "sentence_index", "sentence", "event_type", "mode", "cameo",
    "quad_class", "goldstein", "plover_score", "source", "target", "date",
    "date_precision", "date_text", "location", "event_text", "evidence",
)
# Internal fields that are emitted after the contract: how the event was produced (the rule
# that proposed it and the decide stage's model probability, None when the rules decided).
EXTRA_FIELDS = ("rule", "confidence", "date_source", "evidences", "trigger")

# The event's columns, nested objects flattened with a dot ("source.country").
CSV_COLUMNS = (
    "id", "doc_id", "sentence_index", "event_type", "mode", "cameo", "quad_class",
    "goldstein", "plover_score",
    "source.text", "source.name", "source.country", "source.sector", "source.code",
    "target.text", "target.name", "target.country", "target.sector", "target.code",
    "date", "date_precision", "date_text",
    "location.text", "location.name", "location.country", "location.lat", "location.lon",
    "event_text", "evidence.start", "evidence.end", "rule", "confidence", "sentence",
)
# The stored article's summary and the event's cluster counts (empty for freshly coded events).
ARTICLE_COLUMNS = (
    "article.id", "article.title", "article.url", "article.source", "article.published",
    "article.tone", "article.original_id", "article.version",
)  # fmt: skip
CLUSTER_COLUMNS = (
    "cluster_id", "num_mentions", "num_sources", "num_articles", "num_copies", "avg_tone",
)  # fmt: skip
# Every CSV and Parquet file the writers write has exactly these columns (docs/export.md).
COLUMNS: tuple[str, ...] = CSV_COLUMNS + ARTICLE_COLUMNS + CLUSTER_COLUMNS

# Cells starting with one of these are run as a formula by spreadsheets (OWASP, "CSV
# Injection"); such text cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")

# Tables piped to a file or a closing note would wrap at rich's default 80 columns.
PIPED_TABLE_WIDTH = 220

# Modules that register writers, imported on first lookup.
WRITER_MODULES = ("tidings.export",)


@dataclass(frozen=True)
class Writer:
    """One output format. ``write(events, out)`` writes the events and returns how many rows
    it wrote; ``out`` is a text stream, or a file path when ``needs_path`` (binary formats).
    ``per_cluster``: the format is always one row per event cluster (GDELT)."""

    name: str
    write: Callable[[Iterable[Mapping[str, Any]], Any], int]
    description: str
    media_type: str = "text/plain; charset=utf-8"
    suffix: str = ".txt"
    needs_path: bool = False
    per_cluster: bool = False


WRITERS: dict[str, Writer] = {}


def writer(name: str, description: str, **options: Any) -> Callable[[Callable], Callable]:
    """Register the decorated ``write(events, out) -> rows`` function as format ``name``."""

    def register(fn: Callable) -> Callable:
        WRITERS[name] = Writer(name, fn, description, **options)
        return fn

    return register


def _load_modules() -> None:
    for module in WRITER_MODULES:
        importlib.import_module(module)


def names() -> tuple[str, ...]:
    """Every registered format's name."""
    _load_modules()
    return tuple(WRITERS)


def get(name: str) -> Writer:
    """The writer of format ``name``; ValueError naming the formats when there is none."""
    _load_modules()
    try:
        return WRITERS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; one of {', '.join(WRITERS)}") from None


# ---------------------------------------------------------------- rows


def contract(event: Mapping[str, Any]) -> dict[str, Any]:
    """The event as the public contract orders it, internal fields last."""
    out = {k: event.get(k) for k in CONTRACT_FIELDS}
    for k in EXTRA_FIELDS:
        if k in event:
            out[k] = event[k]
    return out


def record(event: Mapping[str, Any]) -> dict[str, Any]:
    """The contract, then the article summary and cluster counts where the event has them."""
    out = contract(event)
    for k in ("article", *CLUSTER_COLUMNS):
        if k in event:
            out[k] = event[k]
    return out


def flat(event: Mapping[str, Any], columns: Sequence[str] = COLUMNS) -> dict[str, Any]:
    """One row: nested objects flattened to ``outer.inner`` columns."""
    row: dict[str, Any] = {}
    for col in columns:
        if "." in col:
            outer, inner = col.split(".", 1)
            value = event.get(outer) or {}
            row[col] = value.get(inner) if isinstance(value, dict) else None
        else:
            row[col] = event.get(col)
    return row


def defused(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert with a leading "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ---------------------------------------------------------------- JSON Lines and CSV


def to_jsonl(events: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    for event in events:
        yield json.dumps(record(event), ensure_ascii=False) + "\n"


def to_csv(events: Iterable[Mapping[str, Any]], header: bool = True) -> Iterator[str]:
    """CSV text in pieces, one row per event, formula cells defused."""
    buf = io.StringIO()
    out = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore")
    if header:
        out.writeheader()
    for event in events:
        out.writerow({k: defused(v) for k, v in flat(event).items()})
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    rest = buf.getvalue()
    if rest:
        yield rest


@writer("jsonl", "the event contract, one JSON object a line (with article and cluster "
        "counts from a store)", media_type="application/x-ndjson", suffix=".jsonl")
def write_jsonl(events: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    n = 0
    for line in to_jsonl(events):
        out.write(line)
        n += 1
    return n


@writer("csv", "one row per event, the columns of docs/export.md, formula cells defused",
        media_type="text/csv; charset=utf-8", suffix=".csv")
def write_csv(events: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    n = 0

    def counted() -> Iterator[Mapping[str, Any]]:
        nonlocal n
        for event in events:
            n += 1
            yield event

    for chunk in to_csv(counted()):
        out.write(chunk)
    return n


# ---------------------------------------------------------------- table


def actor_label(actor: dict[str, Any] | None) -> str:
    """'Kim Jong Un (PRKGOV)' for tables; '-' when there is no actor."""
    if not actor:
        return "-"
    name = actor.get("name") or actor.get("text") or "?"
    code = actor.get("code") or actor.get("country") or "?"
    return f"{name} ({code})"


def table_row(event: Mapping[str, Any]) -> list[str]:
    loc = event.get("location") or {}
    etype = event.get("event_type") or ""
    if event.get("mode"):
        etype += f"/{event['mode']}"
    return [
        str(event.get("doc_id", "")),
        str(event.get("sentence_index", "")),
        etype,
        str(event.get("cameo") or ""),
        actor_label(event.get("source")),
        actor_label(event.get("target")),
        str(event.get("date") or "-"),
        (f"{loc.get('name') or loc.get('text')} ({loc.get('country') or '?'})" if loc else "-"),
        str(event.get("event_text") or ""),
    ]


TABLE_HEADER = ["doc", "sent", "type", "cameo", "source", "target", "date", "where", "trigger"]


@writer("table", "a table for reading in a terminal")
def write_table(events: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    from rich.console import Console
    from rich.table import Table

    class PipeConsole(Console):
        """A closed pipe is the caller's to handle, as with any write (rich exits 1)."""

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    tty = getattr(out, "isatty", lambda: False)()
    console = PipeConsole(file=out, soft_wrap=True, width=None if tty else PIPED_TABLE_WIDTH)
    table = Table(*TABLE_HEADER, show_lines=False)
    n = 0
    for event in events:
        table.add_row(*table_row(event))
        n += 1
    console.print(table)
    return n
