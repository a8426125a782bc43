"""``POST /api/articles``: one article in, coded by the pipeline, stored.

The body is bounded twice: by bytes (``max_body_bytes``, before it is read) and by the
readers' article-size cap (``max_article_chars``, readers.MAX_ARTICLE_CHARS) on the text to
code, so no request hands spaCy a text it refuses (E088) or that takes minutes. A date must
be a calendar day written YYYY-MM-DD (Python's fromisoformat alone also takes "20240101" and
"2024-W01-1", which would break every date filter). A duplicate answers 200 with the id of the
article already stored, which /api/articles/{id} then serves.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from fastapi import HTTPException

FIELDS = ("text", "html", "title", "date", "url", "source")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _json_fields(body: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise HTTPException(400, f"bad JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise HTTPException(400, "JSON body must be an object")
    fields = {k: data.get(k) for k in FIELDS}
    for k, v in fields.items():
        if v is not None and not isinstance(v, str):
            raise HTTPException(400, f"{k} must be a string")
    return fields


def check_day(value: str) -> str:
    """A YYYY-MM-DD calendar day, or an HTTP 400."""
    if not _DAY.match(value):
        raise HTTPException(400, f"date must be YYYY-MM-DD, not {value[:40]!r}")
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(400, f"date {value!r} is not a day of the calendar") from exc
    return value


def ingest_fields(content_type: str, raw: bytes, max_chars: int) -> dict[str, Any]:
    """Request body → {text | html, title, date, url, source}; HTTP errors for bad input."""
    ctype = content_type.split(";")[0].strip().lower()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "body must be UTF-8") from exc
    if ctype == "application/json":
        fields = _json_fields(body)
    elif ctype in ("text/html", "application/xhtml+xml"):
        fields = {"html": body}
    elif ctype in ("text/plain", ""):
        fields = {"text": body}
    else:
        raise HTTPException(415, "send application/json, text/plain or text/html")
    if not (fields.get("text") or "").strip() and not (fields.get("html") or "").strip():
        raise HTTPException(400, "no text or html given")
    check_size(fields.get("text") or "", max_chars)
    if fields.get("date"):
        check_day(fields["date"])
    return fields


def check_size(text: str, max_chars: int) -> None:
    """The readers' article-size cap, as readers apply it to files."""
    if len(text) > max_chars:
        raise HTTPException(413, f"article too large: {len(text):,} characters; the cap is "
                                 f"{max_chars:,} (max_article_chars)")


def _from_html(fields: dict[str, Any], max_chars: int) -> dict[str, Any]:
    """The article fields trafilatura extracts, under the readers' time and size caps."""
    from tidings import readers

    try:
        got = readers.run_with_timeout(lambda: readers.extract_html(fields["html"]),
                                       readers.EXTRACTION_TIMEOUT_S)
    except readers.ExtractionTimeout as exc:
        raise HTTPException(422, "HTML extraction timed out") from exc
    if got is None:
        raise HTTPException(422, "no article body found in the HTML")
    check_size(got["text"], max_chars)
    published = fields.get("date") or got["date"]
    if published and not _DAY.match(published):
        published = None  # a date trafilatura guessed in another form is left out
    return {"text": got["text"], "extraction": "trafilatura",
            "title": fields.get("title") or got["title"], "byline": got["author"],
            "published": published, "url": fields.get("url") or got["url"],
            "source": fields.get("source") or got["sitename"]}


def ingest(store: Any, fields: dict[str, Any], max_chars: int) -> tuple[int, dict[str, Any]]:
    """Code one article with the pipeline (HTML through trafilatura first) and store it:
    (HTTP status, answer). 201 for a new article, 200 for one already stored."""
    from tidings import pipeline
    from tidings.model import Article

    if fields.get("html"):
        got = _from_html(fields, max_chars)
    else:
        got = {"text": fields["text"], "extraction": "text", "title": fields.get("title"),
               "byline": None, "published": fields.get("date"), "url": fields.get("url"),
               "source": fields.get("source")}
    article = Article(id=pipeline.text_id(got["text"]), origin="api", **got)
    result = next(pipeline.code_articles([article]))
    if not isinstance(result, pipeline.CodedArticle):
        raise HTTPException(422, f"not coded: {getattr(result, 'reason', result)}")
    status = store.add(result.article, result.events, result.sentences)
    aid, events = result.article.id, len(result.events)
    if status == "duplicate":
        aid = store.stored_id(result.article) or aid
        stored = store.article(aid)
        events = len(stored["events"]) if stored else 0
    return (201 if status == "added" else 200), {
        "id": aid, "status": status, "events": events, "url": f"/articles/{aid}"}
