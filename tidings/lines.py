"""Bytes → numbered lines and CSV records, in bounded memory and time, for the line readers.

Why a reader of our own instead of ``readline`` and the ``csv`` module on a text stream:

* a line (or a CSV record) longer than the cap must be skipped in bounded pieces, never held:
  ``readline`` has a size argument, but a CSV record's quoted field spans lines, and the csv
  module holds a whole record (issue #14: one 2 GB line took 4.3 GB);
* runs of blank lines are skipped at C speed (a 2 MB gzip of newlines is two billion lines:
  a Python loop over them ran 15 minutes);
* a reader of a record range (an executor's shard) skips the lines before its range by
  counting newlines in chunks, without decoding them;
* one bad CSV record must cost that record only: records are cut where the quotes balance,
  so a record the csv module rejects is one failure and the next record is read as usual.

Records are numbered by the index (0-based) of their first physical line, so a range of
line indices is a range of records for JSONL and CSV alike.
"""

from __future__ import annotations

import gzip
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

# Bytes read from the stream at a time: large enough that the per-chunk Python work
# (a regex match, a count) is negligible, small enough to be a trivial amount of memory.
CHUNK_BYTES = 1 << 20

_BLANK_RUN = re.compile(rb"[ \t\r\n\f\v]*")
_NON_BLANK = re.compile(rb"[^ \t\r\n\f\v]")
QUOTE = b'"'


class TooMuchData(Exception):  # noqa: N818 - a condition, raised to end a stream
    """A gzip stream expanded past its cap (a gzip bomb); ``message`` says by how much."""


class CappedStream(io.RawIOBase):
    """A binary stream that raises TooMuchData once more than ``cap`` bytes were read."""

    def __init__(self, inner: IO[bytes], cap: int, what: str) -> None:
        super().__init__()
        self.inner, self.cap, self.what, self.seen = inner, cap, what, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # read1: one decompression step, so a truncated stream loses only its last piece
        data = self.inner.read1(len(buffer))  # type: ignore[attr-defined]
        self.seen += len(data)
        if self.seen > self.cap:
            raise TooMuchData(f"{self.what} expands past {self.cap:,} bytes (max_gzip_ratio)")
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def open_gzip(path: str, cap: int) -> IO[bytes]:
    """A gzip file's decompressed bytes, stopped (TooMuchData) past ``cap`` bytes."""
    inner: IO[bytes] = gzip.open(path, "rb")  # type: ignore[assignment]
    return CappedStream(inner, cap, "the gzip stream")  # type: ignore[return-value]


class LineReader:
    """Numbered physical lines of a binary stream; lines over ``cap`` bytes are drained.

    ``line`` is the index of the next line; ``content`` whether a non-blank byte was seen;
    ``quotes`` the number of '"' bytes in every line read or skipped (CSV records end where
    it is even).
    """

    def __init__(self, stream: IO[bytes], cap: int, chunk: int = CHUNK_BYTES) -> None:
        self.stream, self.cap, self.chunk = stream, cap, chunk
        # read1 where the stream has it: one decompression step at a time, so a truncated
        # gzip stream loses only the piece it broke in, as readline would.
        self._read = getattr(stream, "read1", stream.read)
        self.buf, self.pos, self.line = b"", 0, 0
        self.eof, self.content, self.quotes = False, False, 0

    def _fill(self) -> bool:
        """Append a chunk, dropping what was consumed; False at the end of the stream."""
        if self.eof:
            return False
        data = self._read(self.chunk)
        if not data:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + data
        self.pos = 0
        return True

    def peek(self, n: int) -> bytes:
        """The next ``n`` bytes (fewer at the end), without consuming them."""
        while len(self.buf) - self.pos < n and self._fill():
            pass
        return self.buf[self.pos : self.pos + n]

    def skip_blank(self) -> None:
        """Consume whole blank lines at C speed, counting them."""
        while True:
            end = _BLANK_RUN.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            last = self.buf.rfind(b"\n", self.pos, end)
            if last >= 0:
                self.line += self.buf.count(b"\n", self.pos, last + 1)
                self.pos = last + 1
            if end < len(self.buf) or not self._fill():
                return

    def next_line(self) -> tuple[int, bytes | None] | None:
        """(index, bytes with the newline) of the next line, None at the end of the stream;
        a line longer than ``cap`` comes back as (index, None), drained unread."""
        while True:
            nl = self.buf.find(b"\n", self.pos, self.pos + self.cap)
            if nl >= 0:
                return self._take(nl + 1)
            if len(self.buf) - self.pos >= self.cap:
                return self._drain()
            if not self._fill():
                return self._take(len(self.buf)) if self.pos < len(self.buf) else None

    def _take(self, end: int) -> tuple[int, bytes]:
        line = self.buf[self.pos : end]
        self.pos = end
        self.quotes += line.count(QUOTE)
        self.content = self.content or _NON_BLANK.search(line) is not None
        self.line += 1
        return self.line - 1, line

    def _drain(self) -> tuple[int, None]:
        """Discard the rest of an over-long line in chunk-sized pieces."""
        while True:
            nl = self.buf.find(b"\n", self.pos)
            end = nl + 1 if nl >= 0 else len(self.buf)
            self.quotes += self.buf.count(QUOTE, self.pos, end)
            self.pos = end
            if nl >= 0 or not self._fill():
                break
        self.content = True
        self.line += 1
        return self.line - 1, None

    def skip_to(self, target: int) -> None:
        """Consume lines until ``line`` is ``target``, counting newlines chunk by chunk."""
        while self.line < target:
            need = target - self.line
            found = self.buf.count(b"\n", self.pos)
            end = len(self.buf)
            if found >= need:
                end = self.pos
                for _ in range(need):
                    end = self.buf.index(b"\n", end) + 1
            self.quotes += self.buf.count(QUOTE, self.pos, end)
            self.content = self.content or _NON_BLANK.search(self.buf, self.pos, end) is not None
            self.line += min(found, need)
            self.pos = end
            if self.line < target and not self._fill():
                return


@dataclass
class Record:
    """One CSV record: the index of its first line, its bytes (None when over the cap) and
    whether its quotes were still open at the end of the stream."""

    first: int
    data: bytes | None
    lines: int
    unterminated: bool = False


def csv_records(lines: LineReader) -> Iterator[Record]:
    """CSV records cut where the quotes balance: a record is whole lines from a line that
    starts outside quotes to the first line end where the count of '"' is even. Blank lines
    between records are skipped."""
    while True:
        lines.skip_blank()
        got = lines.next_line()
        if got is None:
            return
        yield _rest_of_record(lines, got)


def _rest_of_record(lines: LineReader, first: tuple[int, bytes | None]) -> Record:
    start, data = first
    parts: list[bytes] | None = None if data is None else [data]
    size = 0 if data is None else len(data)
    while lines.quotes % 2:
        got = lines.next_line()
        if got is None:
            return Record(start, _joined(parts), lines.line - start, unterminated=True)
        more = got[1]
        if more is None or parts is None or size + len(more) > lines.cap:
            parts = None
        else:
            parts.append(more)
            size += len(more)
    return Record(start, _joined(parts), lines.line - start)


def _joined(parts: list[bytes] | None) -> bytes | None:
    return None if parts is None else b"".join(parts)


def skip_csv_to(lines: LineReader, target: int) -> None:
    """Consume lines up to ``target``, then to the end of a record that began before it (its
    rows belong to the reader of the range where it began)."""
    lines.skip_to(target)
    while lines.quotes % 2 and lines.next_line() is not None:
        pass
