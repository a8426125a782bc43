"""Inputs → raw ``Article`` objects, or a ``ReadFailure`` saying which input failed and why.

Every failure is caught at the per-file or per-record boundary and mapped to one of
``model.ERROR_KINDS``; nothing raised while reading one input stops the others, and one bad
record costs that record only (a broken CSV row, a JSONL line with a NUL byte or bytes that
are not UTF-8). Line-based formats (JSONL, CSV) are streamed in bounded memory and time
(``tidings/lines.py``); whole documents (.txt, .html, .json) are capped in size and rejected
by ``stat`` before reading. Every bound is a field of ``limits.Limits``.

Which files a path means, and the name an article without an id takes from its file, are
``tidings/inputs.py``'s. ``read_source`` reads one file, or one range of its records: the
executors' shards read their part of a file through it, never a copy of this module's logic.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import signal
import sys
import threading
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from datetime import date as _date
from pathlib import Path, PurePath
from typing import IO, Any, TypeVar

from tidings import data, language
from tidings.inputs import STDIN, SUFFIXES, Source, file_kind, sources, stable_id
from tidings.limits import DEFAULT, Limits, resolve
from tidings.lines import LineReader, TooMuchData, csv_records, open_gzip, skip_csv_to
from tidings.model import Article, ReadFailure

__all__ = [
    "SUFFIXES", "Source", "file_kind", "read", "read_source", "sources", "stable_id",
]

T = TypeVar("T")

# The defaults of the size bounds, for messages and tests; pass ``limits=`` to change them.
MAX_FILE_BYTES = DEFAULT.max_file_bytes
MAX_ARTICLE_CHARS = DEFAULT.max_article_chars

# trafilatura has no timeout of its own and some pathological pages take minutes.
# Typical pages take 10-200 ms; 10 s per page is far beyond any real article.
EXTRACTION_TIMEOUT_S = 10.0

# trafilatura returns navigation lists ("Home News About") from pages with no article;
# a body shorter than this many words is not an article. The shortest body trafilatura
# extracts from the 248 pages of the trafilatura and htmldate English evaluation sets (half
# of them in tests/data/html) is 14 words (a YouTube page), so 10 rejects menus without
# rejecting any real page there.
MIN_HTML_BODY_WORDS = 10

# How much of a file is sniffed for binary signatures / NUL bytes.
SNIFF_BYTES = 8192

# A cp1252 decoding is accepted only when at most this share of its characters is
# non-ASCII: English text in cp1252 has a few curly quotes and accents, while bytes of
# another encoding (EUC-KR, Shift-JIS, GBK) decode to a wall of accented Latin letters.
CP1252_MAX_NON_ASCII = 0.1

# Stray control characters occur in real pages (one trafilatura eval page has a few);
# they are removed. Above this share of the text the input is treated as binary: random
# bytes decoded as cp1252 are about 11% controls (29 of 256 byte values). The same share
# of NUL bytes in the head of a JSONL or CSV file makes the whole file binary; fewer NULs
# fail only the lines that hold them.
MAX_CONTROL_SHARE = 0.01

# Formats read record by record (a line, a CSV row): a file of them can be read by ranges.
LINE_SUFFIXES = {".jsonl", ".csv"}

_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # JPEG
    b"PK\x03\x04",  # zip, docx, xlsx
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",  # OLE (doc, xls)
    b"\x1f\x8b",  # gzip inside a non-.gz name
    b"BZh",
    b"\xfd7zXZ",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ReadError(Exception):
    """A failure with a known kind, raised inside a reader and turned into ReadFailure."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class ExtractionTimeout(BaseException):  # noqa: N818
    """Raised by the SIGALRM handler when an extraction runs past its time cap.

    A BaseException, so the ``except Exception`` blocks inside trafilatura and htmldate
    cannot swallow it and carry on.
    """


# ---------------------------------------------------------------- bytes → text


def check_binary(data: bytes) -> None:
    """Raise ReadError(binary) for a whole document that is not text."""
    head = data[:SNIFF_BYTES]
    if head.startswith(_UTF16_BOMS):
        return  # UTF-16 with a BOM has NULs by design
    _check_magic(head)
    if b"\x00" in head:
        raise ReadError("binary", "binary content (NUL bytes)")


def _check_magic(head: bytes) -> None:
    for magic in _BINARY_MAGIC:
        if head.startswith(magic):
            raise ReadError("binary", f"binary content (signature {magic[:4]!r})")


def check_line_file_head(head: bytes) -> None:
    """Raise ReadError for a JSONL/CSV file whose head shows it is not UTF-8 text at all: a
    binary signature, a UTF-16 byte-order mark, or NUL bytes in more than MAX_CONTROL_SHARE
    of it. A few NULs are a damaged line, reported for that line alone."""
    _check_magic(head)
    if head.startswith(_UTF16_BOMS):
        raise ReadError("encoding", "UTF-16 text; JSON Lines and CSV are read as UTF-8")
    nuls = head.count(b"\x00")
    if nuls > MAX_CONTROL_SHARE * len(head):
        raise ReadError("binary", f"binary content ({nuls} NUL bytes in the first "
                        f"{len(head):,} bytes)")


def _cp1252(data: bytes) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ReadError("encoding", "bytes decode as neither UTF-8 nor cp1252") from None
    non_ascii = sum(ord(c) > 127 for c in text)
    if non_ascii > CP1252_MAX_NON_ASCII * len(text):
        raise ReadError(
            "encoding",
            "bytes are not UTF-8 and do not look like cp1252 text "
            f"({non_ascii} of {len(text)} characters non-ASCII)",
        ) from None
    return text


def strip_controls(text: str) -> str:
    """Remove stray control characters; too many of them means binary (ReadError)."""
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ReadError("binary", f"{controls} control characters in {len(text)} characters")
    return _CONTROL.sub("", text) if controls else text


def decode(data: bytes) -> str:
    """Decode a whole document's bytes as text, or raise ReadError(empty|binary|encoding).

    Order: UTF-8 (BOM stripped), UTF-16 when a BOM says so, then cp1252. cp1252 maps
    almost every byte to some character, so it would "succeed" on any encoding; its result
    is kept only when it looks like English text (few non-ASCII characters, no control
    characters), otherwise the bytes are reported as undecodable.
    """
    if not data.strip():
        raise ReadError("empty", "no text (empty or only whitespace)")
    check_binary(data)
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("encoding", f"invalid UTF-16 after a BOM: {exc.reason}") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _cp1252(data)
    text = strip_controls(text)
    if not text.strip():
        raise ReadError("empty", "no text (empty or only whitespace)")
    return text


def decode_utf8(data: bytes, what: str) -> str:
    """Strict UTF-8 (JSON Lines and CSV are UTF-8): bytes that are not raise
    ReadError(encoding) naming the first bad byte, instead of becoming mojibake."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(
            "encoding",
            f"{what} is not UTF-8: byte 0x{data[exc.start]:02x} at byte {exc.start + 1} "
            f"({exc.reason})",
        ) from None


# ---------------------------------------------------------------- helpers


def _text_id(text: str) -> str:
    return "stdin-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


# Full month names only ("January 5, 2024"), from the calendar table.
_MONTHS = data.months(full_names_only=True)


def norm_date(value: Any) -> str | None:
    """A YYYY-MM-DD string from the common date shapes of our inputs, else None."""
    if value is None:
        return None
    s = str(value).strip()
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", s)
        if not m or m.group(1).lower() not in _MONTHS:
            return None
        y, mo, d = int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))
    try:
        return _date(y, mo, d).isoformat()
    except ValueError:
        return None


def check_date(value: str | None) -> str | None:
    """A default publication date given by the caller, as YYYY-MM-DD; an unreadable one is
    the caller's error (ValueError), never silently ignored."""
    if value is None:
        return None
    got = norm_date(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value).strip()) else None
    if got is None:
        raise ValueError(f"date must be a day as YYYY-MM-DD, not {value!r}")
    return got


def _finish(article: Article, default_date: str | None, limits: Limits) -> Article | ReadFailure:
    """Checks shared by every reader: size cap, empty text, language."""
    origin = article.origin or article.id
    if len(article.text) > limits.max_article_chars:
        return ReadFailure(
            origin,
            "too_large",
            f"article text of {len(article.text):,} characters exceeds the cap of "
            f"{limits.max_article_chars:,} (max_article_chars)",
        )
    if not article.text.strip():
        return ReadFailure(origin, "empty", "the article has no text")
    if article.published is None and default_date:
        article.published = norm_date(default_date)
    lang = language.detect(article.text)
    if lang is not None and lang != "en":
        return ReadFailure(
            origin, "language", f"text is in {language.name(lang)} ({lang}), not English"
        )
    article.language = "en"
    return article


def failure_of(origin: str, exc: Exception) -> ReadFailure:
    """The ReadFailure an exception raised while reading ``origin`` stands for."""
    if isinstance(exc, ReadError):
        return ReadFailure(origin, exc.kind, exc.reason)
    if isinstance(exc, TooMuchData):
        return ReadFailure(origin, "too_large", f"{exc}: a gzip bomb? not read further")
    if isinstance(exc, (EOFError, gzip.BadGzipFile, zlib.error)):
        return ReadFailure(origin, "truncated", f"truncated or corrupt gzip stream: {exc}")
    if isinstance(exc, FileNotFoundError):
        return ReadFailure(origin, "missing", f"cannot open: {exc.strerror}")
    if isinstance(exc, OSError):
        return ReadFailure(origin, "missing", f"cannot read: {exc}")
    return ReadFailure(origin, "malformed", f"unexpected {type(exc).__name__}: {exc}")


def guarded(
    origin: str, make: Callable[[], Iterator[T]]
) -> Generator[T | ReadFailure, None, None]:
    """Run one input's reader; any exception becomes a ReadFailure for that input."""
    try:
        yield from make()
    except Exception as exc:  # the iterator must never raise
        yield failure_of(origin, exc)


# ---------------------------------------------------------------- time cap


def run_with_timeout(fn: Callable[[], T], seconds: float) -> T:
    """Run ``fn`` under a wall-clock cap, raising ExtractionTimeout when it is exceeded.

    On the main thread (the CLI, worker processes) SIGALRM interrupts the computation
    itself, so nothing keeps running. Elsewhere (web server threads, Dask threads) signals
    cannot be used: ``fn`` runs in a daemon thread and we stop waiting after ``seconds``;
    the abandoned thread finishes in the background, a bounded cost since pages are
    size-capped.
    """
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

        def on_alarm(signum: int, frame: Any) -> None:
            raise ExtractionTimeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed back to the caller
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise ExtractionTimeout()
    if "error" in box:
        raise box["error"]
    return box["value"]


# ---------------------------------------------------------------- records


_RECORD_FIELDS = {"id", "doc_id", "text", "title", "date", "published", "url", "source"}


def from_record(
    rec: Any, origin: str, fallback_id: str | None, extraction: str, default_date: str | None,
    limits: Limits = DEFAULT,
) -> Article | ReadFailure:
    """One JSON/CSV record → Article; ``fallback_id`` None means "hash of the text"."""
    if not isinstance(rec, dict):
        return ReadFailure(origin, "malformed", f"expected an object, got {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str):
        return ReadFailure(origin, "malformed", "no 'text' string field")
    rid = rec.get("id", rec.get("doc_id"))
    meta = {
        k: v
        for k, v in rec.items()
        if k not in _RECORD_FIELDS and v not in ("", None)
    }
    art = Article(
        id=str(rid) if rid not in (None, "") else (fallback_id or _text_id(text)),
        text=text,
        title=(rec.get("title") or None),
        url=(rec.get("url") or None),
        source=(rec.get("source") or None),
        published=norm_date(rec.get("date") or rec.get("published")),
        extraction=extraction,
        origin=origin,
        meta=meta,
    )
    return _finish(art, default_date, limits)


def _safe_record(
    rec: Any, origin: str, fallback_id: str | None, extraction: str, default_date: str | None,
    limits: Limits,
) -> Article | ReadFailure:
    """from_record, with any surprise confined to this one record."""
    try:
        return from_record(rec, origin, fallback_id, extraction, default_date, limits)
    except Exception as exc:  # one odd record must not end the file
        return ReadFailure(origin, "malformed", f"unexpected {type(exc).__name__}: {exc}")


def _in_range(position: int, start: int, stop: int | None) -> bool:
    return start <= position and (stop is None or position < stop)


# ---------------------------------------------------------------- JSON Lines


def jsonl_record(
    index: int, line: bytes, origin: str, name: str | None, date: str | None, limits: Limits
) -> Article | ReadFailure:
    """Line ``index`` (0-based) of a JSON Lines input → Article, or the failure of that line
    alone: NUL bytes, bytes that are not UTF-8, invalid JSON, a record without text."""
    where = f"{origin}:{index + 1}"
    try:
        if b"\x00" in line:
            raise ReadError("binary", "NUL bytes in the line")
        text = strip_controls(decode_utf8(line.removeprefix(_UTF8_BOM) if index == 0 else line,
                                          "the line"))
        rec = json.loads(text)
    except ReadError as exc:
        return ReadFailure(where, exc.kind, exc.reason)
    except json.JSONDecodeError as exc:
        return ReadFailure(where, "malformed", f"invalid JSON: {exc.msg} at column {exc.colno}")
    fallback = f"{name}-{index + 1}" if name else None
    return _safe_record(rec, where, fallback, "jsonl", date, limits)


def _jsonl_range(
    lines: LineReader, source: Source, date: str | None, limits: Limits, start: int,
    stop: int | None,
) -> Iterator[Article | ReadFailure]:
    """The records of lines [start, stop) of a JSON Lines stream; blank lines are skipped."""
    lines.skip_to(start)
    while True:
        lines.skip_blank()
        if stop is not None and lines.line >= stop:
            return
        got = lines.next_line()
        if got is None:
            break
        index, line = got
        if line is None:
            yield ReadFailure(f"{source.path}:{index + 1}", "too_large",
                              f"line longer than {lines.cap:,} bytes (max_record_bytes)")
        elif line.strip():
            yield jsonl_record(index, line, source.path, source.name, date, limits)
    if not lines.content and _in_range(lines.line, start, stop):
        raise ReadError("empty", "no records (empty file)")


# ---------------------------------------------------------------- CSV


def _parse_csv(text: str) -> list[tuple[int, list[str]]]:
    """(line offset, row) of the rows in one record's text; blank rows left out."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, before = [], 0
    for row in reader:
        if row:
            rows.append((before, row))
        before = reader.line_num
    return rows


def _csv_header(lines: LineReader) -> list[str]:
    """The column names (the first record), or ReadError when the file has none usable."""
    head = next(csv_records(lines), None)
    if head is None:
        raise ReadError("empty", "no header row")
    if head.data is None:
        raise ReadError("too_large", f"header row longer than {lines.cap:,} bytes")
    try:
        rows = _parse_csv(decode_utf8(head.data.removeprefix(_UTF8_BOM), "the header row"))
    except csv.Error as exc:
        raise ReadError("malformed", f"CSV error in the header row: {exc}") from None
    fields = rows[0][1] if rows else []
    if not fields:
        raise ReadError("empty", "no header row")
    if "text" not in fields:
        raise ReadError("malformed", f"no 'text' column (columns: {', '.join(fields)})")
    return fields


def _row_dict(header: list[str], row: list[str]) -> dict[Any, Any]:
    """A row as csv.DictReader gives it: missing cells None, extra cells under None."""
    out: dict[Any, Any] = dict(zip(header, row, strict=False))
    for name in header[len(row) :]:
        out[name] = None
    if len(row) > len(header):
        out[None] = row[len(header) :]
    return out


def _csv_rows(
    record: Any, header: list[str], source: Source, date: str | None, limits: Limits
) -> Iterator[Article | ReadFailure]:
    """The articles of one CSV record, or the one failure that costs this record only."""
    where = f"{source.path}:{record.first + 1}"
    if record.unterminated:
        yield ReadFailure(where, "malformed", "a quoted field opened in this row is never "
                          f"closed: the rest of the file ({record.lines:,} lines) is this row")
        return
    if record.data is None:
        yield ReadFailure(where, "too_large",
                          f"CSV row longer than {limits.record_bytes:,} bytes (max_record_bytes)")
        return
    try:
        rows = _parse_csv(decode_utf8(record.data, "the row"))
    except ReadError as exc:
        yield ReadFailure(where, exc.kind, exc.reason)
        return
    except csv.Error as exc:
        yield ReadFailure(where, "malformed", f"CSV error: {exc}")
        return
    for offset, row in rows:
        line = record.first + offset + 1
        yield _safe_record(_row_dict(header, row), f"{source.path}:{line}",
                           f"{source.name}-{line}", "csv", date, limits)


def _csv_range(
    lines: LineReader, source: Source, date: str | None, limits: Limits, start: int,
    stop: int | None,
) -> Iterator[Article | ReadFailure]:
    """The rows of the CSV records that begin on lines [start, stop)."""
    csv.field_size_limit(max(csv.field_size_limit(), limits.record_bytes))
    header = _csv_header(lines)
    if start > lines.line:
        skip_csv_to(lines, start)
    for record in csv_records(lines):
        if stop is not None and record.first >= stop:
            return
        if record.first >= start:
            yield from _csv_rows(record, header, source, date, limits)


# ---------------------------------------------------------------- whole documents


def _read_json(
    data: bytes, origin: str, stem: str, default_date: str | None, limits: Limits
) -> Iterator[Article | ReadFailure]:
    try:
        obj = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise ReadError("malformed", f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
        obj = obj["articles"]
    if isinstance(obj, dict):
        yield from_record(obj, origin, stem, "json", default_date, limits)
        return
    if not isinstance(obj, list):
        raise ReadError("malformed", "JSON is neither an article, a list, nor {'articles': [...]}")
    if not obj:
        raise ReadError("no_article", "JSON list holds no articles")
    for i, rec in enumerate(obj):
        yield _safe_record(rec, f"{origin}[{i}]", f"{stem}-{i}", "json", default_date, limits)


def _read_text(
    data: bytes, origin: str, aid: str, default_date: str | None, limits: Limits
) -> Iterator[Article | ReadFailure]:
    text = decode(data)
    article = Article(id=aid, text=text, extraction="text", origin=origin)
    yield _finish(article, default_date, limits)


# A trailing "| Segment" of at most this many words is page furniture (site or section
# name) even when it does not match the page's sitename: on the trafilatura English eval
# set, titles like "... | The Japan Times" or "... | Tone Deaf" carry 2-4 word suffixes.
SITE_SUFFIX_MAX_WORDS = 4
_TITLE_SEP = re.compile(r"\s+(\||-|–|—|::|·)\s+")


def _alnum(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.casefold())


def strip_site_suffix(title: str | None, sitename: str | None, host: str | None) -> str | None:
    """"Story title | Site Name" → "Story title" (HTML titles carry the site's name)."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    seps = list(_TITLE_SEP.finditer(title))
    if not seps:
        return title
    m = seps[-1]
    head, sep, last = title[: m.start()].strip(), m.group(1), title[m.end() :].strip()
    bare_host = (host or "").removeprefix("www.").split(".")[0]
    names = {_alnum(x or "") for x in (sitename, host, bare_host)}
    names.discard("")
    key = _alnum(last)
    site_like = bool(key) and any(key in n or n in key for n in names)
    short_bar = sep == "|" and len(last.split()) <= SITE_SUFFIX_MAX_WORDS
    if (site_like or short_bar) and len(head.split()) >= 2:
        return head
    return title


def extract_html(html: str | bytes) -> dict[str, Any] | None:
    """trafilatura's body and metadata of a page, htmldate as date fallback; None if no body."""
    import htmldate
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    if doc is None:
        return None
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = d.get("text") or ""
    if len(text.split()) < MIN_HTML_BODY_WORDS:
        return None
    date = norm_date(d.get("date"))
    if date is None:
        try:
            date = norm_date(htmldate.find_date(html))
        except Exception:  # a date is optional
            date = None
    return {
        "text": text,
        "title": strip_site_suffix(d.get("title"), d.get("sitename"), d.get("hostname")),
        "author": d.get("author") or None,
        "date": date,
        "sitename": d.get("sitename") or None,
        "url": d.get("url") or None,
    }


def _read_html(
    data: bytes, origin: str, aid: str, default_date: str | None, limits: Limits
) -> Iterator[Article | ReadFailure]:
    html = decode(data)
    try:
        got = run_with_timeout(lambda: extract_html(html), EXTRACTION_TIMEOUT_S)
    except ExtractionTimeout:
        raise ReadError(
            "timeout", f"extraction took longer than {EXTRACTION_TIMEOUT_S:g} s"
        ) from None
    if got is None:
        raise ReadError("no_article", "no article body found in the HTML")
    art = Article(
        id=aid,
        text=got["text"],
        title=got["title"],
        byline=got["author"],
        source=got["sitename"],
        url=got["url"],
        published=got["date"],
        extraction="trafilatura",
        origin=origin,
    )
    yield _finish(art, default_date, limits)


def _capped_read(stream: IO[bytes], limits: Limits) -> bytes:
    data = stream.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise ReadError("too_large", f"more than {limits.max_file_bytes:,} bytes "
                        "(max_file_bytes)")
    return data


# ---------------------------------------------------------------- one file, or a range of it


@contextmanager
def _open_lines(path: str, gz: bool, limits: Limits) -> Iterator[IO[bytes]]:
    """A line-based file's bytes: gzip decompressed under the gzip-bomb cap."""
    size = os.stat(path).st_size
    if size == 0:
        raise ReadError("empty", "empty file (0 bytes)")
    if not gz:
        with open(path, "rb") as raw:
            yield raw
        return
    with open(path, "rb") as raw:
        if raw.read(2) != b"\x1f\x8b":
            raise ReadError("truncated", "not a gzip stream despite the .gz name")
    stream = open_gzip(path, limits.gzip_cap(size))
    try:
        yield stream
    finally:
        stream.close()


def _read_lines(
    source: Source, suffix: str, gz: bool, date: str | None, limits: Limits, start: int,
    stop: int | None,
) -> Iterator[Article | ReadFailure]:
    """A JSONL/CSV file's records on lines [start, stop). A failure of the whole file (empty,
    binary, truncated gzip, gzip bomb) is placed at the line where it struck and reported
    only by the range holding that line, so the ranges of one file report it once."""
    state: dict[str, LineReader] = {}

    def records() -> Iterator[Article | ReadFailure]:
        with _open_lines(source.path, gz, limits) as stream:
            lines = state["lines"] = LineReader(stream, limits.record_bytes)
            check_line_file_head(lines.peek(SNIFF_BYTES))
            reader = _jsonl_range if suffix == ".jsonl" else _csv_range
            yield from reader(lines, source, date, limits, start, stop)

    try:
        yield from records()
    except Exception as exc:  # the iterator must never raise
        position = state["lines"].line if "lines" in state else 0
        if _in_range(position, start, stop):
            yield failure_of(source.path, exc)


def _read_whole(
    source: Source, suffix: str, gz: bool, date: str | None, limits: Limits
) -> Iterator[Article | ReadFailure]:
    """A whole document (.txt .html .htm .json, or their .gz), size-capped."""
    origin, stem = source.path, source.name
    if suffix not in SUFFIXES:
        kind = "".join(PurePath(origin).suffixes)
        raise ReadError("unsupported", f"unsupported file kind {kind!r}")
    size = os.stat(origin).st_size
    if size == 0:
        raise ReadError("empty", "empty file (0 bytes)")
    if size > limits.max_file_bytes:
        raise ReadError("too_large", f"file of {size:,} bytes exceeds the cap of "
                        f"{limits.max_file_bytes:,} (max_file_bytes)")
    with open(origin, "rb") as raw:
        if gz:
            if raw.read(2) != b"\x1f\x8b":
                raise ReadError("truncated", "not a gzip stream despite the .gz name")
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw) as unzipped:
                content = _capped_read(unzipped, limits)  # type: ignore[arg-type]
        else:
            content = _capped_read(raw, limits)
    whole = {".json": _read_json, ".html": _read_html, ".htm": _read_html}.get(suffix, _read_text)
    yield from whole(content, origin, stem, date, limits)


def read_source(
    source: Source,
    date: str | None = None,
    limits: Limits | None = None,
    start: int = 0,
    stop: int | None = None,
) -> Iterator[Article | ReadFailure]:
    """The articles of one input file, or of its records on lines [start, stop) (JSONL and
    CSV records are numbered by their first line, 0-based; a whole document is record 0).
    Never raises for bad input."""
    limits = resolve(limits)
    suffix, gz = file_kind(PurePath(source.path))
    if suffix in LINE_SUFFIXES:
        yield from _read_lines(source, suffix, gz, date, limits, start, stop)
    elif start == 0:
        yield from guarded(source.path, lambda: _read_whole(source, suffix, gz, date, limits))


# ---------------------------------------------------------------- stdin


def sniff(text: str) -> str:
    """Guess the kind of stdin content: ".jsonl", ".json", ".html" or ".txt"."""
    s = text.lstrip()
    if s.startswith("{"):
        first = s.split("\n", 1)[0]
        try:
            json.loads(first)
            return ".jsonl"
        except json.JSONDecodeError:
            return ".json"
    if s.startswith("["):
        return ".json"
    if re.match(r"<(!doctype\s+html|html|head|body|\?xml|!--)", s, re.I) or re.search(
        r"<(p|div|article)[\s>]", s[:5000], re.I
    ):
        return ".html"
    return ".txt"


def _stdin_bytes(limits: Limits) -> bytes:
    """stdin, gunzipped when it is gzip, at most max_file_bytes either way."""
    stdin = sys.stdin
    buf = getattr(stdin, "buffer", None)
    cap = limits.max_file_bytes
    data = buf.read(cap + 1) if buf is not None else stdin.read(cap + 1).encode("utf-8")
    if len(data) > cap:
        raise ReadError("too_large", f"more than {cap:,} bytes on stdin (max_file_bytes)")
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
                data = unzipped.read(cap + 1)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ReadError("truncated", f"truncated or corrupt gzip on stdin: {exc}") from None
        if len(data) > cap:
            raise ReadError("too_large", f"gzip on stdin expands past {cap:,} bytes "
                            "(max_file_bytes)")
    return data


def _read_stdin(default_date: str | None, limits: Limits) -> Iterator[Article | ReadFailure]:
    origin = "<stdin>"
    data = _stdin_bytes(limits)
    text = decode(data)
    kind = sniff(text)
    if kind == ".jsonl":
        source = Source(origin, "")
        lines = LineReader(io.BytesIO(data), limits.record_bytes)
        yield from _jsonl_range(lines, source, default_date, limits, 0, None)
    elif kind == ".json":
        yield from _read_json(data, origin, _text_id(text), default_date, limits)
    elif kind == ".html":
        yield from _read_html(data, origin, _text_id(text), default_date, limits)
    else:
        yield from _read_text(data, origin, _text_id(text), default_date, limits)


# ---------------------------------------------------------------- everything


def read(
    paths: Iterable[str | Path] | str | Path,
    date: str | None = None,
    limits: Limits | None = None,
) -> Iterator[Article | ReadFailure]:
    """Yield one Article or ReadFailure per input article; never raises for bad input.

    ``paths``: files, directories (recursive, sorted; only known kinds) or "-" for stdin.
    ``date`` (YYYY-MM-DD) fills ``published`` where the input carries none; an unreadable
    one raises ValueError. ``limits`` bounds sizes (see limits.Limits).
    """
    date = check_date(date)
    limits = resolve(limits)
    for item in sources(paths):
        if item == STDIN:
            yield from guarded("<stdin>", lambda: _read_stdin(date, limits))
        elif isinstance(item, ReadFailure):
            yield item
        else:
            assert isinstance(item, Source)
            yield from read_source(item, date, limits)


def record_marks(
    source: Source, every: int, limits: Limits | None = None
) -> tuple[int, list[int]]:
    """(records, first line of records 0, every, 2*every, ...) of a JSONL/CSV file, read
    without decoding: an executor cuts the file into ranges at these lines. A file that
    breaks off counts what could be read."""
    limits = resolve(limits)
    suffix, gz = file_kind(PurePath(source.path))
    count, marks = 0, []
    try:
        with _open_lines(source.path, gz, limits) as stream:
            lines = LineReader(stream, limits.record_bytes)
            firsts = _record_firsts(lines, csv=suffix == ".csv")
            for first in firsts:
                if count % every == 0:
                    marks.append(first)
                count += 1
    except Exception:  # noqa: BLE001 - the reader reports the failure; here we only count
        pass
    return count, marks


def _record_firsts(lines: LineReader, csv: bool) -> Iterator[int]:
    """The first line of every record (the CSV header left out)."""
    if csv:
        records = csv_records(lines)
        next(records, None)
        yield from (r.first for r in records)
        return
    while True:
        lines.skip_blank()
        got = lines.next_line()
        if got is None:
            return
        if got[1] is None or got[1].strip():
            yield got[0]
