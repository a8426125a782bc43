"""Event output formats shared by the CLI and the web API: JSON Lines, CSV, table rows.

The JSON Lines form is the public event contract (issue #2); CSV flattens it into the
documented columns below, one row per event, for spreadsheets, pandas and R.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

# The public contract's fields, in the order they are written.
CONTRACT_FIELDS = (
    "id", "doc_id", "sentence_index", "sentence", "event_type", "mode", "cameo",
    "quad_class", "goldstein", "plover_score", "source", "target", "date",
    "date_precision", "date_text", "location", "event_text", "evidence",
)
# Internal fields that are emitted after the contract: how the event was produced (the rule
# that proposed it and the decide stage's model probability, None when the rules decided).
EXTRA_FIELDS = ("rule", "confidence", "date_source", "evidences", "trigger")

# CSV columns: nested objects flattened with a dot ("source.country").
CSV_COLUMNS = (
    "id", "doc_id", "sentence_index", "event_type", "mode", "cameo", "quad_class",
    "goldstein", "plover_score",
    "source.text", "source.name", "source.country", "source.sector", "source.code",
    "target.text", "target.name", "target.country", "target.sector", "target.code",
    "date", "date_precision", "date_text",
    "location.text", "location.name", "location.country", "location.lat", "location.lon",
    "event_text", "evidence.start", "evidence.end", "rule", "confidence", "sentence",
)


def contract(event: Mapping[str, Any]) -> dict[str, Any]:
    """The event as the public contract orders it, internal fields last."""
    out = {k: event.get(k) for k in CONTRACT_FIELDS}
    for k in EXTRA_FIELDS:
        if k in event:
            out[k] = event[k]
    return out


def to_jsonl(events: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    for event in events:
        yield json.dumps(contract(event), ensure_ascii=False) + "\n"


def flat(event: Mapping[str, Any], columns: Sequence[str] = CSV_COLUMNS) -> dict[str, Any]:
    """One CSV row: nested objects flattened to ``outer.inner`` columns."""
    row: dict[str, Any] = {}
    for col in columns:
        if "." in col:
            outer, inner = col.split(".", 1)
            value = event.get(outer) or {}
            row[col] = value.get(inner) if isinstance(value, dict) else None
        else:
            row[col] = event.get(col)
    return row


def to_csv(events: Iterable[Mapping[str, Any]], header: bool = True) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    if header:
        writer.writeheader()
    for event in events:
        writer.writerow(flat(event))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    rest = buf.getvalue()
    if rest:
        yield rest


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
