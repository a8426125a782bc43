"""Inputs → raw ``Article`` objects, or a ``ReadFailure`` saying which input failed and why.

Every failure is caught at the per-file or per-record boundary and mapped to one of
``model.ERROR_KINDS``; nothing raised while reading one input stops the others. Line-based
formats (JSONL, CSV) are streamed, so a file of any size is read in bounded memory; whole
documents (.txt, .html, .json) are capped in size and rejected by ``stat`` before reading.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import signal
import sys
import threading
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import date as _date
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

from tidings import data, language
from tidings.model import Article, ReadFailure

T = TypeVar("T")

# Whole-document inputs (.txt .html .htm .json, and their .gz) larger than this are
# rejected unread. The largest page in the trafilatura and htmldate test sets is about
# 1.6 MB of HTML; 20 MB leaves an order of magnitude of headroom for real pages while
# keeping one hostile file from exhausting memory.
MAX_FILE_BYTES = 20 * 1024 * 1024

# One article's text (or one JSONL line / CSV field) longer than this is rejected. The
# longest article in the KCNA and Rodong Sinmun corpora is under 40,000 characters;
# 10x that never rejects news but bounds the cost of parsing one record.
MAX_ARTICLE_CHARS = 400_000

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
# bytes decoded as cp1252 are about 11% controls (29 of 256 byte values).
MAX_CONTROL_SHARE = 0.01

SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json", ".csv"}

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
    head = data[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with a BOM has NULs by design
    for magic in _BINARY_MAGIC:
        if head.startswith(magic):
            raise ReadError("binary", f"binary content (signature {magic[:4]!r})")
    if b"\x00" in head:
        raise ReadError("binary", "binary content (NUL bytes)")


def decode(data: bytes) -> str:
    """Decode bytes as text, or raise ReadError(empty|binary|encoding).

    Order: UTF-8 (BOM stripped), UTF-16 when a BOM says so, then cp1252. cp1252 maps
    almost every byte to some character, so it would "succeed" on any encoding; its result
    is kept only when it looks like English text (few non-ASCII characters, no control
    characters), otherwise the bytes are reported as undecodable.
    """
    if not data.strip():
        raise ReadError("empty", "no text (empty or only whitespace)")
    check_binary(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("encoding", f"invalid UTF-16 after a BOM: {exc.reason}") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
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
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ReadError("binary", f"{controls} control characters in {len(text)} characters")
    if controls:
        text = _CONTROL.sub("", text)
    if not text.strip():
        raise ReadError("empty", "no text (empty or only whitespace)")
    return text


# ---------------------------------------------------------------- helpers


def stable_id(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "article"


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


def _finish(article: Article, default_date: str | None) -> Article | ReadFailure:
    """Checks shared by every reader: size cap, empty text, language."""
    origin = article.origin or article.id
    if len(article.text) > MAX_ARTICLE_CHARS:
        return ReadFailure(
            origin,
            "too_large",
            f"article text of {len(article.text):,} characters exceeds the cap of "
            f"{MAX_ARTICLE_CHARS:,}",
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


def guarded(
    origin: str, make: Callable[[], Iterator[T]]
) -> Generator[T | ReadFailure, None, None]:
    """Run one input's reader; any exception becomes a ReadFailure for that input."""
    try:
        yield from make()
    except ReadError as exc:
        yield ReadFailure(origin, exc.kind, exc.reason)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield ReadFailure(origin, "truncated", f"truncated or corrupt gzip stream: {exc}")
    except FileNotFoundError as exc:
        yield ReadFailure(origin, "missing", f"cannot open: {exc.strerror}")
    except OSError as exc:
        yield ReadFailure(origin, "missing", f"cannot read: {exc}")
    except Exception as exc:  # the iterator must never raise
        yield ReadFailure(origin, "malformed", f"unexpected {type(exc).__name__}: {exc}")


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


# ---------------------------------------------------------------- formats


_RECORD_FIELDS = {"id", "doc_id", "text", "title", "date", "published", "url", "source"}


def from_record(
    rec: Any, origin: str, fallback_id: str | None, extraction: str, default_date: str | None
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
    return _finish(art, default_date)


def _safe_record(
    rec: Any, origin: str, fallback_id: str | None, extraction: str, default_date: str | None
) -> Article | ReadFailure:
    """from_record, with any surprise confined to this one record."""
    try:
        return from_record(rec, origin, fallback_id, extraction, default_date)
    except Exception as exc:  # one odd record must not end the file
        return ReadFailure(origin, "malformed", f"unexpected {type(exc).__name__}: {exc}")


def iter_lines(stream: IO[bytes], origin: str) -> Iterator[tuple[int, bytes | ReadFailure]]:
    """Lines of a binary stream, each capped; an over-long line is skipped unread."""
    n = 0
    cap = MAX_ARTICLE_CHARS * 4 + 1024  # 4 bytes per char at most in UTF-8, plus fields
    while True:
        line = stream.readline(cap)
        if not line:
            return
        n += 1
        if len(line) >= cap and not line.endswith(b"\n"):
            while True:  # drain the rest of the line in bounded pieces
                rest = stream.readline(cap)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, ReadFailure(f"{origin}:{n}", "too_large", f"line longer than {cap:,} bytes")
            continue
        yield n, line


def _read_jsonl(
    stream: IO[bytes], origin: str, stem: str | None, default_date: str | None
) -> Iterator[Article | ReadFailure]:
    head = stream.peek(SNIFF_BYTES) if hasattr(stream, "peek") else b""
    check_binary(head)
    seen = False
    for n, line in iter_lines(stream, origin):
        where = f"{origin}:{n}"
        if isinstance(line, ReadFailure):
            seen = True
            yield line
            continue
        if not line.strip():
            continue
        seen = True
        rec = json_line(line, where)
        if isinstance(rec, ReadFailure):
            yield rec
            continue
        fallback = f"{stem}-{n}" if stem else None
        yield _safe_record(rec, where, fallback, "jsonl", default_date)
    if not seen:
        raise ReadError("empty", "no records (empty file)")


def json_line(line: bytes, where: str) -> Any:
    """One JSON Lines record, or the ReadFailure that says why it is not one."""
    try:
        return json.loads(decode(line))
    except ReadError as exc:
        return ReadFailure(where, exc.kind, exc.reason)
    except json.JSONDecodeError as exc:
        return ReadFailure(where, "malformed", f"invalid JSON: {exc.msg} at column {exc.colno}")


def iter_csv_rows(stream: IO[bytes], origin: str) -> Iterator[tuple[int, Any]]:
    """(first line, row) of each row of a CSV with a 'text' column; a broken row yields a
    ReadFailure and ends the file (the csv reader cannot resynchronise after it)."""
    text_stream = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    csv.field_size_limit(MAX_ARTICLE_CHARS + 1)
    reader = csv.DictReader(text_stream)
    try:
        fields = reader.fieldnames
    except UnicodeDecodeError as exc:
        raise ReadError("encoding", f"CSV is not UTF-8: {exc.reason}") from None
    if not fields:
        raise ReadError("empty", "no header row")
    if "text" not in fields:
        raise ReadError("malformed", f"no 'text' column (columns: {', '.join(fields)})")
    start = reader.line_num + 1
    while True:
        where = f"{origin}:{start}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            kind = "too_large" if "field larger" in str(exc) else "malformed"
            yield start, ReadFailure(where, kind, f"CSV error: {exc}")
            return
        except UnicodeDecodeError as exc:
            yield start, ReadFailure(where, "encoding", f"CSV is not UTF-8: {exc.reason}")
            return
        yield start, row
        start = reader.line_num + 1


def _read_csv(
    stream: IO[bytes], origin: str, stem: str, default_date: str | None
) -> Iterator[Article | ReadFailure]:
    head = stream.peek(SNIFF_BYTES) if hasattr(stream, "peek") else b""
    check_binary(head)
    for start, row in iter_csv_rows(stream, origin):
        if isinstance(row, ReadFailure):
            yield row
        else:
            yield _safe_record(row, f"{origin}:{start}", f"{stem}-{start}", "csv", default_date)


def _read_json(
    data: bytes, origin: str, stem: str, default_date: str | None
) -> Iterator[Article | ReadFailure]:
    try:
        obj = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise ReadError("malformed", f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
        obj = obj["articles"]
    if isinstance(obj, dict):
        yield from_record(obj, origin, stem, "json", default_date)
        return
    if not isinstance(obj, list):
        raise ReadError("malformed", "JSON is neither an article, a list, nor {'articles': [...]}")
    if not obj:
        raise ReadError("no_article", "JSON list holds no articles")
    for i, rec in enumerate(obj):
        yield _safe_record(rec, f"{origin}[{i}]", f"{stem}-{i}", "json", default_date)


def _read_text(
    data: bytes, origin: str, aid: str, default_date: str | None
) -> Iterator[Article | ReadFailure]:
    text = decode(data)
    yield _finish(Article(id=aid, text=text, extraction="text", origin=origin), default_date)


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
    data: bytes, origin: str, aid: str, default_date: str | None
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
    yield _finish(art, default_date)


def _capped_read(stream: IO[bytes]) -> bytes:
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ReadError("too_large", f"more than {MAX_FILE_BYTES:,} bytes")
    return data


# ---------------------------------------------------------------- dispatch


def file_kind(path: Path) -> tuple[str, bool]:
    """(inner suffix, gzipped?) of a path: data.jsonl.gz → (".jsonl", True)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) >= 2 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def _read_file(path: Path, default_date: str | None) -> Iterator[Article | ReadFailure]:
    origin = str(path)
    suffix, gz = file_kind(path)
    stem = path.name[: -len(suffix + (".gz" if gz else ""))] if suffix else path.stem
    if suffix not in SUFFIXES:
        raise ReadError("unsupported", f"unsupported file kind {''.join(path.suffixes)!r}")
    size = path.stat().st_size
    if size == 0:
        raise ReadError("empty", "empty file (0 bytes)")
    streamed = suffix in {".jsonl", ".csv"}
    if not streamed and size > MAX_FILE_BYTES:
        raise ReadError(
            "too_large", f"file of {size:,} bytes exceeds the cap of {MAX_FILE_BYTES:,}"
        )
    raw: IO[bytes] = open(path, "rb")  # closed in the finally below
    try:
        if gz:
            if raw.read(2) != b"\x1f\x8b":
                raise ReadError("truncated", "not a gzip stream despite the .gz name")
            raw.seek(0)
            stream: IO[bytes] = io.BufferedReader(gzip.GzipFile(fileobj=raw))
        else:
            stream = raw
        if suffix == ".jsonl":
            yield from _read_jsonl(stream, origin, stable_id(stem), default_date)
        elif suffix == ".csv":
            yield from _read_csv(stream, origin, stable_id(stem), default_date)
        else:
            data = _capped_read(stream)
            if suffix == ".json":
                yield from _read_json(data, origin, stable_id(stem), default_date)
            elif suffix in {".html", ".htm"}:
                yield from _read_html(data, origin, stable_id(stem), default_date)
            else:
                yield from _read_text(data, origin, stable_id(stem), default_date)
    finally:
        raw.close()


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


def _read_stdin(default_date: str | None) -> Iterator[Article | ReadFailure]:
    origin = "<stdin>"
    stdin = sys.stdin
    buf = getattr(stdin, "buffer", None)
    if buf is not None:
        data = buf.read(MAX_FILE_BYTES + 1)
    else:
        data = stdin.read(MAX_FILE_BYTES + 1).encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise ReadError("too_large", f"more than {MAX_FILE_BYTES:,} bytes on stdin")
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ReadError("truncated", f"truncated or corrupt gzip on stdin: {exc}") from None
    text = decode(data)
    kind = sniff(text)
    if kind == ".jsonl":
        yield from _read_jsonl(io.BufferedReader(io.BytesIO(data)), origin, None, default_date)
    elif kind == ".json":
        yield from _read_json(data, origin, _text_id(text), default_date)
    elif kind == ".html":
        yield from _read_html(data, origin, _text_id(text), default_date)
    else:
        yield from _read_text(data, origin, _text_id(text), default_date)


def expand_paths(paths: Iterable[str | Path] | str | Path) -> Iterator[Path | str]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for p in paths:
        if str(p) == "-":
            yield "-"
            continue
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = child.name.startswith(".")
                if child.is_file() and not hidden and file_kind(child)[0] in SUFFIXES:
                    yield child
        else:
            yield path


def read(
    paths: Iterable[str | Path] | str | Path, date: str | None = None
) -> Iterator[Article | ReadFailure]:
    """Yield one Article or ReadFailure per input article; never raises for bad input.

    ``paths``: files, directories (recursive, sorted; only known kinds) or "-" for stdin.
    ``date`` fills ``published`` where the input carries none.
    """
    for p in expand_paths(paths):
        if p == "-":
            yield from guarded("<stdin>", lambda: _read_stdin(date))
        else:
            path = Path(p)
            if not path.exists():
                yield ReadFailure(str(path), "missing", "no such file or directory")
                continue
            yield from guarded(str(path), partial(_read_file, path, date))
