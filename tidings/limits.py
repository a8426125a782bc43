"""Every bound on what one input or one query may cost, as one validated settings object.

Why one object: a bound kept as a module constant can only be changed by monkeypatching, and a
bound that nobody can find is a bound nobody can reason about. ``Limits`` names each of them,
says why its default is what it is, validates a new value (a typo or a negative number fails at
once, with the list of names), and travels to worker processes with the work (it pickles).

Readers take ``limits=`` (file and record sizes, gzip expansion, failures kept), the store takes
``Store(target, limits=...)`` (query terms and length, offsets, filter length, search time), the
CLI takes ``--limit NAME=VALUE``. docs/limits.md lists them with their defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds; every field is documented where it is declared."""

    # Whole-document inputs (.txt .html .htm .json, and their .gz) larger than this are
    # rejected unread. The largest page in the trafilatura and htmldate test sets is about
    # 1.6 MB of HTML; 20 MB leaves an order of magnitude of headroom for real pages while
    # keeping one hostile file from exhausting memory. Also the cap on stdin.
    max_file_bytes: int = 20 * MIB

    # One article's text (or one JSONL line / CSV field) longer than this is rejected. The
    # longest article in the KCNA and Rodong Sinmun corpora is under 40,000 characters; 10x
    # that never rejects news but bounds the cost of parsing one record. Also the API's cap.
    max_article_chars: int = 400_000

    # One JSONL line or one CSV record (a row whose quoted fields may span lines) longer than
    # this many bytes is skipped in bounded pieces, never held: 4 bytes per character at most
    # in UTF-8, plus room for the other fields. 0 means "derived from max_article_chars".
    max_record_bytes: int = 0

    # A gzip stream that decompresses to more than this many times its own size (and more than
    # gzip_floor_bytes) is a gzip bomb: it is read no further. Real corpora expand 3-10x (the
    # KCNA JSONL 3.4x, the HTML test pages 3-8x); 100x never stops news and bounds a 2 MB file
    # of newlines to 200 MB of reading instead of 2 GB, and a 61 KB file of "{}" lines to 16 MB
    # (5.6 million bad lines, not 25 million). The floor lets a small file of repetitive but
    # real text (a 100 KB gzip of a 5 MB table) through.
    max_gzip_ratio: int = 100
    gzip_floor_bytes: int = 16 * MIB

    # Failures an ingest report keeps with their reasons (the rest are counted by kind): a
    # file of a million bad lines must not hold a million messages in memory.
    max_failures_kept: int = 1000

    # A full-text query longer than this many characters is refused before parsing.
    max_query_chars: int = 2000
    # At most this many distinct terms are searched (repeats are dropped first): the cost of a
    # search grows with the square of its terms on both backends (issue #14: 800 terms took
    # 6 s on SQLite and 245 s on PostgreSQL). 32 is far above what people type.
    max_query_terms: int = 32
    # A search statement running longer than this is stopped (PostgreSQL statement_timeout,
    # SQLite's progress handler) and reported as a QueryError.
    search_timeout_s: float = 10.0

    # Offsets and limits of a page, and min_events of the network: larger ones are refused
    # (PostgreSQL's bigint ends at 2**63 - 1; no store holds a billion events).
    max_offset: int = 1_000_000_000
    # A text filter (actor name, type, dyad) longer than this is refused: LIKE over a
    # 50,000-character pattern is a denial of service, not a name.
    max_filter_chars: int = 500

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            want = float if f.type in ("float", float) else int
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"limit {f.name} must be a number, not {value!r}")
            if want is int and not float(value).is_integer():
                raise ValueError(f"limit {f.name} must be a whole number, not {value!r}")
            if value < 0 or (value == 0 and f.name != "max_record_bytes"):
                raise ValueError(f"limit {f.name} must be positive, not {value!r}")
            object.__setattr__(self, f.name, want(value))

    @property
    def record_bytes(self) -> int:
        """The byte cap of one JSONL line or CSV record (see ``max_record_bytes``)."""
        return self.max_record_bytes or self.max_article_chars * 4 + 1024

    def gzip_cap(self, compressed_bytes: int) -> int:
        """Bytes a gzip file of ``compressed_bytes`` may decompress to."""
        return max(self.gzip_floor_bytes, self.max_gzip_ratio * compressed_bytes)

    def with_(self, **changes: Any) -> Limits:
        """A copy with some bounds changed (validated like the constructor)."""
        unknown = set(changes) - names()
        if unknown:
            raise ValueError(_unknown_message(sorted(unknown)[0]))
        return replace(self, **changes)

    @classmethod
    def parse(cls, pairs: Iterable[str], base: Limits | None = None) -> Limits:
        """Limits from ``NAME=VALUE`` strings (the CLI's ``--limit``), over ``base``."""
        changes: dict[str, Any] = {}
        for pair in pairs:
            name, sep, raw = pair.partition("=")
            name = name.strip().replace("-", "_")
            if not sep:
                raise ValueError(f"--limit takes NAME=VALUE, not {pair!r}")
            if name not in names():
                raise ValueError(_unknown_message(name))
            try:
                changes[name] = float(raw) if "." in raw or "e" in raw.lower() else int(raw)
            except ValueError:
                raise ValueError(f"limit {name} must be a number, not {raw!r}") from None
        return (base or cls()).with_(**changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def names() -> set[str]:
    return {f.name for f in fields(Limits)}


def _unknown_message(name: str) -> str:
    return f"unknown limit {name!r}; the limits are: {', '.join(sorted(names()))}"


DEFAULT = Limits()


def resolve(limits: Limits | Mapping[str, Any] | None) -> Limits:
    """``limits`` as a Limits: None is the defaults, a mapping overrides them."""
    if limits is None:
        return DEFAULT
    if isinstance(limits, Limits):
        return limits
    return DEFAULT.with_(**dict(limits))
