"""What the charts draw, shaped from the store's aggregates (pure functions, no I/O).

Each function turns rows the store computed over the whole filtered set into the JSON that
``static/js/charts.js`` draws and the page's table fallback lists; nothing here counts events
itself. Timelines are precision-aware: an event dated only to its year is never drawn in a
month (it is a band of its own), and events dated outside the chart's window (history told in
the articles) are counted and offered as a link, not stretched into the axis.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

QUADS = (1, 2, 3, 4)
QUAD_NAMES = {
    1: "Verbal cooperation",
    2: "Material cooperation",
    3: "Verbal conflict",
    4: "Material conflict",
}
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"  # the store's escaped-snippet markers


# ------------------------------------------------------------------------------ periods


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period ("YYYY-MM" or "YYYY") from first to last, so gaps show as empty bars."""
    if by == "year":
        return [f"{y:04d}" for y in range(int(first[:4]), int(last[:4]) + 1)]
    y, m = int(first[:4]), int(first[5:7] or 1)
    end = last[:7]
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def window_months(first: str, last: str) -> int:
    """How many month bars a window would take."""
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7] or 12) - int(first[5:7] or 1) + 1


def pick_bucket(by: str, window: tuple[str, str] | None, max_month_bars: int) -> str:
    """month or year: as asked, or ("auto") months unless that would be too many bars."""
    if by in ("month", "year"):
        return by
    if window is None:
        return "month"
    return "month" if window_months(*window) <= max_month_bars else "year"


def _month_of(bound: str, last: bool) -> str:
    """A padded bound ("2024-00-00", "2024-99-99") or a filter date → "YYYY-MM"."""
    year, month = bound[:4], bound[5:7]
    if not month or month in ("00", "99"):
        month = "12" if last else "01"
    return f"{year}-{month}"


def chart_window(since: str | None, until: str | None, data_lo: str | None,
                 data_hi: str | None) -> tuple[str, str] | None:
    """The months a timeline spans: the filter's range where given, else the data's."""
    lo = since or data_lo
    hi = until or data_hi
    if not lo or not hi:
        return None
    first, last = _month_of(lo, last=False), _month_of(hi, last=True)
    return (first, last) if first <= last else (last, first)


# ------------------------------------------------------------------------------ timelines


def _empty() -> dict[str, Any]:
    """A period's cell: events (q1..q4) and mentions (m1..m4) by quad class, totals, and
    the summed Goldstein score (of each event's mean over its mentions)."""
    return {"q1": 0, "q2": 0, "q3": 0, "q4": 0, "m1": 0, "m2": 0, "m3": 0, "m4": 0,
            "total": 0, "mentions": 0, "score": 0.0}


def _add(cell: dict[str, Any], row: Mapping[str, Any]) -> None:
    q = row.get("quad")
    if q in QUADS:
        cell[f"q{q}"] += row["events"]
        cell[f"m{q}"] += row["mentions"]
    cell["total"] += row["events"]
    cell["mentions"] += row["mentions"]
    cell["score"] = round(cell["score"] + row["goldstein"], 2)


def timeline_series(rows: Iterable[Mapping[str, Any]], volume: Mapping[str, int], by: str,
                    window: tuple[str, str] | None) -> dict[str, Any]:
    """Store.view_timeline rows → per period and direction ("ab", "ba", "all") cells of
    events by quad class, mentions and summed score, with articles published (``volume``).

    Rows of a coarser date than the bucket ("2024-00" in a month chart) go to ``coarse``;
    rows outside the window to ``outside`` (counted, with their first and last period).
    """
    width = 7 if by == "month" else 4
    keys = periods_between(*window, by) if window else []
    cells: dict[str, dict[str, Any]] = {p: {} for p in keys}
    coarse: dict[str, dict[str, Any]] = {}
    outside = {"before": 0, "after": 0, "first": None, "last": None}
    for r in rows:
        period = r["period"][:width]
        if by == "month" and period.endswith("-00"):
            cell = coarse.setdefault(period[:4], {})
        elif period in cells:
            cell = cells[period]
        else:
            _outside(outside, period, keys)
            continue
        _add(cell.setdefault(r["dir"], _empty()), r)
    periods = [{"period": p, **cells[p], "articles": volume.get(p, 0)} for p in keys]
    return {"by": by, "periods": periods,
            "coarse": [{"period": p, **c} for p, c in sorted(coarse.items())],
            "outside": outside}


def _outside(outside: dict[str, Any], period: str, keys: list[str]) -> None:
    before = bool(keys) and period < keys[0]
    outside["before" if before else "after"] += 1
    outside["first"] = min(filter(None, [outside["first"], period]))
    outside["last"] = max(filter(None, [outside["last"], period]))


def series_totals(series: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Events, mentions and mean score per direction over the chart's periods."""
    totals: dict[str, dict[str, Any]] = {}
    for p in [*series["periods"], *series["coarse"]]:
        for d in ("ab", "ba", "all"):
            if d in p:
                t = totals.setdefault(d, {"events": 0, "mentions": 0, "score": 0.0})
                t["events"] += p[d]["total"]
                t["mentions"] += p[d]["mentions"]
                t["score"] += p[d]["score"]
    for t in totals.values():
        t["mean"] = round(t["score"] / t["events"], 2) if t["events"] else None
    return totals


def series_rows(series: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The chart as table rows (its fallback, and its CSV): one per period and direction."""
    out = []
    for p in [*series["coarse"], *series["periods"]]:
        for d in ("ab", "ba", "all"):
            c = p.get(d)
            if c:
                out.append({"period": p["period"], "direction": d, **{f"q{q}": c[f"q{q}"]
                            for q in QUADS}, "events": c["total"], "mentions": c["mentions"],
                            "goldstein": c["score"], "articles": p.get("articles")})
    return out


# ------------------------------------------------------------------------------ network


def network_graph(pairs: list[dict[str, Any]], labels: Mapping[str, str], nodes: int
                  ) -> dict[str, Any]:
    """Country pairs → the busiest ``nodes`` countries and the edges among them."""
    weight: dict[str, int] = {}
    for p in pairs:
        for c in (p["a"], p["b"]):
            weight[c] = weight.get(c, 0) + p["events"]
    top = sorted(weight, key=lambda c: (-weight[c], c))[:nodes]
    keep = set(top)
    return {
        "nodes": [{"id": c, "label": labels.get(c, c), "events": weight[c]} for c in top],
        "edges": [{"source": p["a"], "target": p["b"], "weight": p["events"],
                   "mean_score": p["mean_goldstein"]}
                  for p in pairs if p["a"] in keep and p["b"] in keep],
        "countries": len(weight),
    }


# ------------------------------------------------------------------------------ articles


def _evidence_spans(ev: Mapping[str, Any]) -> list[tuple[int, int]]:
    spans = []
    for e in ev.get("evidences") or []:
        if e and e.get("start") is not None and e.get("end") is not None:
            spans.append((int(e["start"]), int(e["end"])))
    e = ev.get("evidence") or {}
    if not spans and e.get("start") is not None and e.get("end") is not None:
        spans.append((int(e["start"]), int(e["end"])))
    return spans


def _clip(text: str, s: int, e: int) -> tuple[int, int]:
    """Inside the text, without the whitespace at either end (no empty highlights)."""
    n = len(text)
    s, e = max(0, min(s, n)), max(0, min(e, n))
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def highlight_segments(text: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut the article text at every evidence (and trigger) boundary.

    Each piece carries the indexes of the events whose evidence covers it and whether it is
    an event's trigger, so overlapping evidences never nest markup; the template escapes each
    piece on its own.
    """
    cuts = {0, len(text)}
    spans: list[tuple[int, int, int]] = []
    triggers: list[tuple[int, int]] = []
    for i, ev in enumerate(events):
        for s, e in (_clip(text, *span) for span in _evidence_spans(ev)):
            if e > s:
                spans.append((s, e, i))
                cuts.update((s, e))
        t = ev.get("trigger") or {}
        if t.get("start") is not None and t.get("end") is not None:
            s, e = _clip(text, int(t["start"]), int(t["end"]))
            if e > s:
                triggers.append((s, e))
                cuts.update((s, e))
    points = sorted(cuts)
    segs = []
    for a, b in zip(points, points[1:], strict=False):
        cover = sorted({i for s, e, i in spans if s <= a and b <= e})
        trig = bool(cover) and any(s <= a and b <= e for s, e in triggers)
        segs.append({"text": text[a:b], "events": cover, "trigger": trig})
    return segs


def snippet_parts(snippet_html: str) -> list[tuple[str, bool]]:
    """(plain text, is_match) pieces of the store's escaped snippet.

    The store escapes the snippet and marks matches with <mark>; we split on the markers and
    unescape, so the template escapes every piece again and never needs ``|safe``.
    """
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet_html.split(MARK_OPEN)):
        if i == 0:
            parts.append((html.unescape(chunk), False))
            continue
        hit, _, rest = chunk.partition(MARK_CLOSE)
        parts.append((html.unescape(hit), True))
        if rest:
            parts.append((html.unescape(rest), False))
    return [p for p in parts if p[0]]
