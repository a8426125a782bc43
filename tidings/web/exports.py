"""Downloads: every view exports what it shows.

Events stream in the view's order and unit (one row per event cluster, or per mention) as
CSV, JSON Lines, GDELT (tab-separated, export.gdelt_row) or PLOVER JSON (export.plover_record);
aggregated series (a timeline, the actors, the network, the places) as CSV of exactly the rows
the page lists. The CSV carries what an analyst needs beside the event: the article's
published date, outlet, title and URL, the date's precision and source, the place's precision,
the coder's confidence, and the cluster's mentions and articles. Cells that a spreadsheet
would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from fastapi.responses import StreamingResponse

from tidings import export, formats

EVENT_FORMATS = ("csv", "jsonl", "gdelt", "plover")
CSV_FORMULA_CHARS = ("=", "+", "@", "-", "\t", "\r")  # a spreadsheet runs cells starting so
_NUMERIC = frozenset("0123456789.")


def _path(*keys: str) -> Callable[[Mapping[str, Any]], Any]:
    def get(ev: Mapping[str, Any]) -> Any:
        value: Any = ev
        for k in keys:
            value = value.get(k) if isinstance(value, Mapping) else None
        return value

    return get


# CSV columns of the web download: the CLI's columns, then what the analyst views add.
EVENT_CSV: list[tuple[str, Callable[[Mapping[str, Any]], Any]]] = [
    (col, _path(*col.split("."))) for col in formats.CSV_COLUMNS
] + [
    ("published", _path("article", "published")), ("outlet", _path("article", "source")),
    ("title", _path("article", "title")), ("url", _path("article", "url")),
    ("date_source", _path("date_source")), ("place_precision", _path("geo", "precision")),
    ("place_key", _path("geo", "place")), ("source.actor", _path("source_actor", "label")),
    ("source.actor_key", _path("source_actor", "key")),
    ("target.actor", _path("target_actor", "label")),
    ("target.actor_key", _path("target_actor", "key")),
    ("cluster_id", _path("cluster_id")), ("num_mentions", _path("num_mentions")),
    ("num_articles", _path("num_articles")),
]


def defuse(value: Any) -> Any:
    """A cell that cannot start a spreadsheet formula: text led by = + @ - or a control
    character gets a leading quote (numbers, "-2.0" included, stay numbers)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_CHARS):
        if value[:1] == "-" and value[1:] and set(value[1:]) <= _NUMERIC:
            return value
        return "'" + value
    if isinstance(value, dict):
        return {k: defuse(v) for k, v in value.items()}
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text, header first, one chunk per row; every cell defused."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow([defuse(v) for v in row])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def event_lines(fmt: str, events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The events in one of EVENT_FORMATS, as text chunks."""
    if fmt == "csv":
        yield from csv_lines([h for h, _ in EVENT_CSV],
                             ([get(ev) for _, get in EVENT_CSV] for ev in events))
    elif fmt == "jsonl":
        yield from formats.to_jsonl(events)
    elif fmt == "gdelt":
        for ev in events:
            yield "\t".join(export._tsv_cell(c) for c in export.gdelt_row(ev)) + "\n"
    elif fmt == "plover":
        yield "["
        for i, ev in enumerate(events):
            yield (",\n" if i else "\n") + json.dumps(export.plover_record(ev),
                                                      ensure_ascii=False)
        yield "\n]\n"
    else:
        raise ValueError(f"format must be one of {', '.join(EVENT_FORMATS)}, not {fmt!r}")


MEDIA = {"csv": ("text/csv; charset=utf-8", "csv"), "jsonl": ("application/x-ndjson", "jsonl"),
         "gdelt": ("text/tab-separated-values; charset=utf-8", "tsv"),
         "plover": ("application/json", "json")}


def batched(chunks: Iterable[str], size: int) -> Iterator[str]:
    """Join chunks into bigger ones: a streamed sync iterator costs a thread hop per item."""
    buf: list[str] = []
    for chunk in chunks:
        buf.append(chunk)
        if len(buf) >= size:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)


def download(chunks: Iterable[str], fmt: str, name: str, batch: int) -> StreamingResponse:
    """A streamed attachment named ``name`` with the format's media type and extension."""
    media, ext = MEDIA.get(fmt, ("text/csv; charset=utf-8", "csv"))
    return StreamingResponse(
        batched(chunks, batch), media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'})
