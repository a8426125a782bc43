"""Temporal expressions → calendar dates with a precision, and a date for every event.

``resolve`` is a regular-expression scanner over the text (calendar words are data in
``data/when/calendar.tsv``); it is fast enough to run once per article, unlike dateparser,
which is not used. ``date_events`` picks, for each event, the expression that belongs to
its trigger (dependency attachment first, distance second) and falls back to the
dateline or publication date.

Decisions (documented here because the gold scoring is a prefix match at the gold's
precision, so a more precise value only pays when it is right):

* "the 1950s" (decades), "the 75th anniversary", "Unit 731" and counts like "2000 troops"
  are not dates: a decade has no representable precision, the others are not times.
* "a year ago" / "a year since" → anchor minus twelve months at **month** precision:
  anniversary pieces ("It has been a year since ...") are published in the anniversary
  month. "N years ago" (N ≥ 2) → year precision; "N months ago" → month; "N days ago" → day.
* "last week" / "N weeks ago" → month of the shifted day (the day itself is unknown).
* "Sept. 13-15" → the first day, day precision.
* A month-day without a year takes the anchor's year, or the previous one when that would
  fall more than ``settings.future_tolerance_days`` after the anchor.
* Juche year N is Gregorian N + 1911 (Juche 1 = 1912); "Juche 113 (2024)" trusts the
  Gregorian year in brackets.
* "the June 15 joint declaration", "the February 16 Kanggye Art School": a month-day after
  "the" is a name, not a date. "for 70 years since ..." is a duration; "N years since"
  dates only the clause that "since" introduces.
* An event whose sentence has no date takes a day date attached to the main verb of one of
  the ``CARRY_BACK_SENTENCES`` preceding sentences (date_source "context"), else the
  dateline's, else the publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from . import data
from .model import Article, Event
from .settings import DEFAULT, Settings
from .syntax import EventAt, clause_verb, doc_text, sentence_index, sentences

# Gregorian year = Juche year + JUCHE_OFFSET (Juche 1 = 1912, Kim Il Sung's birth year).
JUCHE_OFFSET = 1911

# Bare four-digit numbers are read as years only in this range; the corpora cover
# 1910s history (Japanese occupation) to the present.
YEAR_MIN, YEAR_MAX = 1900, 2099

# Words after a bare four-digit number that show it is a count, not a year.
_PLURAL_OK = {"was", "has", "is", "as", "this", "its", "always", "his", "thus", "plus"}

# Words allowed right after "on the 4th" (otherwise "on the 10th anniversary" etc.).
_ORDINAL_FOLLOW = {"of", "in", "at", "and", "when", "with", "to", "as", "that", "the", "a"}

# What may follow a bare year without making it an attribute of a count ("2000 troops").
_YEAR_BAD_PRECEDE = ("unit ", "no. ", "no.", "number ", "$", "resolution ", "model ")


# "for (more than) 70 years since ..." is a duration, not "70 years ago".
_DURATION_BEFORE = re.compile(
    r"(?:for|over|during|within|\bin)\s+(?:the\s+|(?:more|less)\s+than\s+|over\s+|some\s+|nearly\s+|almost\s+|about\s+)?$",
    re.I,
)


# A month-day after "the" names something ("the June 15 joint declaration", "the February 16
# Kanggye Art School"): not the date of the sentence's event.
_NAMED_DAY = re.compile(r"\bthe\s+$", re.I)


@dataclass
class TimeExpr:
    """One temporal expression found in a text."""

    start: int  # char offsets within the text given to resolve()
    end: int
    text: str
    value: str | None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY"; None when it needs a missing anchor
    precision: str | None  # "day" | "month" | "year"
    kind: str = "absolute"  # absolute | relative | since (applies to the clause that follows)


@lru_cache(maxsize=1)
def _calendar() -> dict[str, dict[str, int]]:
    """Read calendar words from the data file once."""
    out: dict[str, dict[str, int]] = {"month": {}, "weekday": {}, "number": {}}
    for row in data.rows(data.CALENDAR):
        out.setdefault(row["kind"], {})[row["word"]] = int(row["value"])
    return out


def _alt(words: Iterable[str]) -> str:
    """Capitalised and upper-case alternation, longest first (so 'Sept' beats 'Sep')."""
    forms: set[str] = set()
    for w in words:
        forms.add(w.capitalize())
        forms.add(w.upper())
    return "|".join(sorted(forms, key=len, reverse=True))


# The cue words of _pattern()'s alternatives, each list written once: _matches() tries the
# pattern only at the words that can begin an alternative (these, the calendar's and digits).
_JUCHE = "Juche"
_SEASON = ("early", "late", "mid")
_MONTH_CUES = ("in", "since", "during", "by", "until", "till", "from", "through", "last",
               "this", "next", "early", "late", "mid", "of", "before", "after", "between")
_DAY_WORDS = ("yesterday", "today", "tonight", r"this\s+(?:morning|afternoon|evening)",
              r"last\s+night")
_PERIOD_MODS = ("early", "earlier", "late", "later", "mid")
_PERIOD_RELS = ("last", "this", "next", "past")
_WEEKDAY_RELS = ("last", "this", "next")
_ORDINAL_CUE = "on"
_CUE_WORDS = frozenset(re.match(r"\w+", w).group().lower()  # type: ignore[union-attr]
                       for w in (_JUCHE, *_SEASON, *_MONTH_CUES, *_DAY_WORDS, *_PERIOD_MODS,
                                 *_PERIOD_RELS, *_WEEKDAY_RELS, _ORDINAL_CUE))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    cal = _calendar()
    full = {max((w for w, v in cal["month"].items() if v == n), key=len) for n in range(1, 13)}
    month = rf"(?:(?:{_alt(full)})|(?:{_alt(set(cal['month']) - full)})\.?)"
    wday = _alt(cal["weekday"])
    nums = "|".join(sorted(cal["number"], key=len, reverse=True))
    day = r"[0-3]?\d(?:st|nd|rd|th)?"
    year = r"(?:19|20)\d\d"
    season = "|".join(_SEASON)
    pats = [
        rf"(?P<juche>\b{_JUCHE}\s+(?P<jy>\d{{1,3}})\b(?:\s*\((?P<jg>{year})\))?)",
        # April 25, 2019 | Sept. 13-15 | April 25 | Apr 25th
        rf"(?P<mdy>\b(?P<mdy_m>{month})(?:\s+|(?<=\.))(?P<mdy_d>{day})(?![\d:])"
        rf"(?:\s*(?:-|–|to|and)\s*(?P<mdy_d2>{day})(?!\d))?(?:,?\s+(?P<mdy_y>{year})\b"
        rf"|,?\s+Juche\s+(?P<mdy_jy>\d{{1,3}})\b(?:\s*\((?P<mdy_jg>{year})\))?)?)",
        # 25 April 2019 | 4th of April
        rf"(?P<dmy>\b(?P<dmy_d>{day})\s+(?:of\s+)?(?P<dmy_m>{month})(?![a-z])"
        rf"(?:,?\s+(?P<dmy_y>{year})\b)?)",
        # (early) October 2013
        rf"(?P<my>(?:\b(?i:{season})[\s-]+)?\b(?P<my_m>{month})(?![a-z]),?\s+"
        rf"(?:(?P<my_y>{year})\b(?!-\d)|Juche\s+(?P<my_jy>\d{{1,3}})\b(?:\s*\((?P<my_jg>{year})\))?))",
        # in October | last October | mid-October (month alone needs a cue word)
        rf"(?P<mo>(?<![\w-])(?P<mo_cue>(?i:{'|'.join(_MONTH_CUES)}))[\s-]+(?:(?i:{season})[\s-]+)?"
        rf"(?P<mo_m>{month})(?![a-z\d])(?!\.?,?\s+(?:\d|Juche\b|Day\b)))",
        rf"(?P<rel>\b(?i:{'|'.join(_DAY_WORDS)})\b)",
        rf"(?P<per>\b(?:(?P<per_mod>(?i:{'|'.join(_PERIOD_MODS)}))[\s-]+)?"
        rf"(?P<per_rel>(?i:{'|'.join(_PERIOD_RELS)}))\s+(?P<per_unit>(?i:week|month|year))\b)",
        rf"(?P<ago>\b(?P<ago_n>\d{{1,3}}|(?i:{nums}))\s+(?P<ago_u>(?i:day|week|month|year))s?"
        rf"(?:\s+(?i:have|has|had)\s+(?i:passed|elapsed|gone\s+by))?\s+(?P<ago_w>(?i:ago|since))\b)",
        rf"(?P<wd>\b(?:(?P<wd_rel>(?i:{'|'.join(_WEEKDAY_RELS)}))\s+)?(?P<wd_d>{wday})\b)",
        rf"(?P<ord>\b(?i:{_ORDINAL_CUE})\s+the\s+(?P<ord_d>[0-3]?\d)(?:st|nd|rd|th)\b(?!\s+of\s+{month})"
        rf"(?:\s+of\s+(?P<ord_rel>last|this|next)\s+month\b)?)",
        rf"(?P<yr>(?<![\d,.$-])\b(?P<yr_y>{year})\b(?!s\b|'s\b|\d|,\d|\.\d|%))",
    ]
    return re.compile("|".join(pats))


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    cal = _calendar()
    return frozenset(w.lower() for kind in ("month", "weekday", "number") for w in cal[kind]) \
        | _CUE_WORDS


def _matches(text: str) -> Iterator[re.Match[str]]:
    """``_pattern().finditer(text)``, tried only where an expression can begin.

    Every alternative of the pattern begins at the start of a word (``\\b`` or
    ``(?<![\\w-])``), and that word is a digit run or one of ``_first_words()``; trying the
    long alternation at those words only, leftmost first, finds the same matches as trying
    it at every character, at a fifth of the cost (the dates stage's largest share)."""
    pattern, first = _pattern(), _first_words()
    end = 0
    for w in _WORD.finditer(text):
        start = w.start()
        if start < end:
            continue
        word = w.group()
        if not (word[0].isdecimal() or word.lower() in first):
            continue
        m = pattern.match(text, start)  # (look-behinds still see the text before start)
        if m is not None:
            yield m
            end = m.end()


def _as_date(anchor: str | dt.date | None) -> dt.date | None:
    if anchor is None:
        return None
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    try:
        return dt.date.fromisoformat(str(anchor)[:10])
    except ValueError:
        return None


def _shift_months(d: dt.date, months: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + months
    y, m = divmod(idx, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _int_day(s: str) -> int:
    """The number of a day word ("25th" → 25)."""
    digits = re.match(r"\d+", s)
    return int(digits.group()) if digits else 0


def _month_num(s: str) -> int:
    return _calendar()["month"][s.rstrip(".").lower()]


def _day_value(y: int | None, m: int, d: int, anchor: dt.date | None,
               future_days: int) -> tuple[str, str] | None:
    """Month-day with an optional year; the year comes from the anchor when absent (the
    year before when the day would fall more than ``future_days`` after the anchor)."""
    if y is None:
        if anchor is None:
            return None
        y = anchor.year
        try:
            if dt.date(y, m, d) > anchor + dt.timedelta(days=future_days):
                y -= 1
        except ValueError:
            y -= 1  # 29 February of a non-leap anchor year
    try:
        return dt.date(y, m, d).isoformat(), "day"
    except ValueError:
        return None


def _year_ok(text: str, start: int, end: int) -> bool:
    """A bare 19xx/20xx is a year unless the context shows a count or an identifier."""
    before = text[max(0, start - 12) : start].lower()
    if any(before.endswith(p) for p in _YEAR_BAD_PRECEDE):
        return False
    m = re.match(r"\s+([a-z]+)", text[end : end + 20])
    if m:
        w = m.group(1)
        if len(w) > 3 and w.endswith("s") and w not in _PLURAL_OK:
            return False  # "2000 troops"
    return True


# One resolved value: (YYYY[-MM[-DD]], precision), or None when it needs a missing anchor.
Value = tuple[str, str] | None


@dataclass(frozen=True)
class _Found:
    """One expression the pattern matched, before it is resolved."""

    m: re.Match[str]
    text: str  # the whole text (context decides some readings)
    anchor: dt.date | None
    future_days: int  # settings.future_tolerance_days

    def group(self, name: str) -> str:
        return self.m.group(name) or ""

    def expr(self, value: Value, kind: str = "absolute", start: int | None = None) -> TimeExpr:
        a = self.m.start() if start is None else start
        b = self.m.end()
        return TimeExpr(a, b, self.text[a:b], value[0] if value else None,
                        value[1] if value else None, kind)


def _juche(f: _Found) -> TimeExpr | None:
    """"Juche 113 (2024)": Juche year N is Gregorian N + 1911; a year in brackets wins."""
    jg = f.group("jg")
    y = int(jg) if jg else int(f.group("jy")) + JUCHE_OFFSET
    if not YEAR_MIN <= y <= YEAR_MAX:
        return None
    return f.expr((f"{y:04d}", "year"))


def _mdy(f: _Found) -> TimeExpr | None:
    """"April 25, 2019", "Sept. 13-15" (the first day), "April 25 Juche 108"."""
    mo, d = _month_num(f.group("mdy_m")), _int_day(f.group("mdy_d"))
    if not 1 <= d <= 31:
        return None
    start = f.m.start()
    if not f.group("mdy_y") and not f.group("mdy_jy") \
            and _NAMED_DAY.search(f.text[max(0, start - 5) : start]):
        return None  # "the June 15 joint declaration", "the April 25 House of Culture"
    y = int(f.group("mdy_y")) if f.group("mdy_y") else None
    if f.group("mdy_jy"):
        jg = f.group("mdy_jg")
        y = int(jg) if jg else int(f.group("mdy_jy")) + JUCHE_OFFSET
    return f.expr(_day_value(y, mo, d, f.anchor, f.future_days),
                  "absolute" if y else "relative")


def _dmy(f: _Found) -> TimeExpr | None:
    """"25 April 2019", "4th of April"."""
    mo, d = _month_num(f.group("dmy_m")), _int_day(f.group("dmy_d"))
    if not 1 <= d <= 31:
        return None
    y = int(f.group("dmy_y")) if f.group("dmy_y") else None
    return f.expr(_day_value(y, mo, d, f.anchor, f.future_days),
                  "absolute" if f.group("dmy_y") else "relative")


def _my(f: _Found) -> TimeExpr | None:
    """"(early) October 2013", "October Juche 102"."""
    if f.group("my_y"):
        y = int(f.group("my_y"))
    else:
        jg = f.group("my_jg")
        y = int(jg) if jg else int(f.group("my_jy")) + JUCHE_OFFSET
    return f.expr((f"{y:04d}-{_month_num(f.group('my_m')):02d}", "month"))


def _mo(f: _Found) -> TimeExpr | None:
    """"in October", "last October", "mid-October": the month nearest the anchor that the
    cue allows (a month more than the tolerance ahead is last year's)."""
    cue = f.group("mo_cue").lower()
    start = f.m.start("mo_m") if cue not in {"last", "this", "next", "early", "late", "mid"} \
        else f.m.start()
    anchor = f.anchor
    if anchor is None:
        return f.expr(None, "relative", start)
    mo = _month_num(f.group("mo_m"))
    y = anchor.year
    if cue == "last":
        y -= mo >= anchor.month
    elif cue == "next":
        y += mo <= anchor.month
    elif cue != "this" and dt.date(y, mo, 1) > anchor + dt.timedelta(days=f.future_days):
        y -= 1
    return f.expr((f"{y:04d}-{mo:02d}", "month"), "relative", start)


def _rel(f: _Found) -> TimeExpr | None:
    """"yesterday", "today", "last night"."""
    if f.anchor is None:
        return f.expr(None, "relative")
    w = f.group("rel").lower()
    d0 = f.anchor - dt.timedelta(days=1) if w == "yesterday" or w.startswith("last") \
        else f.anchor
    return f.expr((d0.isoformat(), "day"), "relative")


def _per(f: _Found) -> TimeExpr | None:
    """"last week" (the month of the shifted day), "this month", "next year"."""
    anchor = f.anchor
    if anchor is None:
        return f.expr(None, "relative")
    step = {"last": -1, "past": -1, "this": 0, "next": 1}[f.group("per_rel").lower()]
    unit = f.group("per_unit").lower()
    if unit == "week":
        value = ((anchor + dt.timedelta(days=7 * step)).isoformat()[:7], "month")
    elif unit == "month":
        value = (_shift_months(anchor, step).isoformat()[:7], "month")
    else:
        value = (f"{anchor.year + step:04d}", "year")
    return f.expr(value, "relative")


def _ago(f: _Found) -> TimeExpr | None:
    """"three days ago", "a year ago" (month precision: anniversary pieces), "N years since"
    (kind "since": it dates only the clause that "since" introduces)."""
    kind = "since" if f.group("ago_w").lower() == "since" else "relative"
    start = f.m.start()
    if kind == "since" and _DURATION_BEFORE.search(f.text[max(0, start - 20) : start]):
        return None  # "for 76 years since its birth": a duration, not a point in time
    n_word = f.group("ago_n").lower()
    n = int(n_word) if n_word.isdigit() else _calendar()["number"][n_word]
    anchor = f.anchor
    if anchor is None:
        return f.expr(None, kind)
    unit = f.group("ago_u").lower()
    if unit == "day":
        value = ((anchor - dt.timedelta(days=n)).isoformat(), "day")
    elif unit == "week":
        value = ((anchor - dt.timedelta(days=7 * n)).isoformat()[:7], "month")
    elif unit == "month" or n == 1:
        months = n * (12 if unit == "year" else 1)
        value = (_shift_months(anchor, -months).isoformat()[:7], "month")
    else:
        value = (f"{anchor.year - n:04d}", "year")
    return f.expr(value, kind)


def _wd(f: _Found) -> TimeExpr | None:
    """"on Friday": the Friday on or before the anchor ("last", "next" shift it)."""
    anchor = f.anchor
    if anchor is None:
        return f.expr(None, "relative")
    wd = _calendar()["weekday"][f.group("wd_d").lower()]
    rel = f.group("wd_rel").lower()
    if rel == "next":
        delta = -((wd - anchor.weekday()) % 7 or 7)
    else:
        delta = (anchor.weekday() - wd) % 7
        if rel == "last" and delta == 0:
            delta = 7
    return f.expr(((anchor - dt.timedelta(days=delta)).isoformat(), "day"), "relative")


def _ord(f: _Found) -> TimeExpr | None:
    """"on the 4th (of last month)": the most recent such day not after the anchor."""
    d = int(f.group("ord_d"))
    nxt = re.match(r"\s*([A-Za-z]+|[,.;:)]|$)", f.text[f.m.end() : f.m.end() + 20])
    follow = nxt.group(1) if nxt else ""
    if not 1 <= d <= 31 or (
        follow.isalpha() and follow.islower() and follow not in _ORDINAL_FOLLOW
    ):
        return None  # "on the 10th anniversary"
    anchor = f.anchor
    if anchor is None:
        return f.expr(None, "relative")
    rel = f.group("ord_rel")
    if rel:
        base = _shift_months(anchor.replace(day=1), {"last": -1, "this": 0, "next": 1}[rel])
    else:
        base = anchor if d <= anchor.day else _shift_months(anchor.replace(day=1), -1)
    try:
        return f.expr((base.replace(day=d).isoformat(), "day"), "relative")
    except ValueError:
        return None


def _yr(f: _Found) -> TimeExpr | None:
    """A bare "2019", unless it counts or names something ("2000 troops", "Unit 731")."""
    if not _year_ok(f.text, f.m.start(), f.m.end()):
        return None
    return f.expr((f.group("yr_y"), "year"))


# Each alternative of the pattern, in its order, and what reads it.
_READERS: tuple[tuple[str, Callable[[_Found], TimeExpr | None]], ...] = (
    ("juche", _juche), ("mdy", _mdy), ("dmy", _dmy), ("my", _my), ("mo", _mo), ("rel", _rel),
    ("per", _per), ("ago", _ago), ("wd", _wd), ("ord", _ord), ("yr", _yr),
)


def _resolve_match(m: re.Match[str], text: str, anchor: dt.date | None,
                   future_days: int) -> TimeExpr | None:
    """The expression one match of the pattern stands for (None: not a date after all)."""
    found = _Found(m, text, anchor, future_days)
    for name, read in _READERS:
        if m.group(name):
            return read(found)
    return None  # pragma: no cover - every alternative is named


# What a resolved value looks like: YYYY, YYYY-MM or YYYY-MM-DD (years 0001-9999).
_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def resolve(text: str, anchor: str | dt.date | None,
            settings: Settings = DEFAULT) -> list[TimeExpr]:
    """All temporal expressions in ``text``, resolved against ``anchor`` (None: no relatives)."""
    a = _as_date(anchor)
    out: list[TimeExpr] = []
    for m in _matches(text):
        try:
            te = _resolve_match(m, text, a, settings.future_tolerance_days)
        except (OverflowError, ValueError):  # arithmetic past 0001-01-01 or 9999-12-31
            te = TimeExpr(m.start(), m.end(), m.group(0), None, None, "relative")
        if te is not None and te.value is not None and not _VALUE.match(te.value):
            te.value = te.precision = None  # a year outside 0001-9999 ("-002", "10000")
        if te is not None:
            out.append(te)
    return out


# ---------------------------------------------------------------- events

_VERBAL = {"VERB", "AUX"}


def _attachment(te_root: Token, verb: Token) -> int:
    """0: the expression's own clause is the trigger's, or a when-clause on it; 1: inside the
    trigger verb's subtree; 2: elsewhere in the sentence."""
    if clause_verb(te_root) == verb:
        return 0
    cv = clause_verb(te_root)
    if (
        cv.dep_ == "advcl"
        and cv.head == verb
        and any(c.dep_ == "advmod" and c.lower_ in {"when", "while", "as"} for c in cv.children)
    ):
        return 0
    if verb.left_edge.i <= te_root.i <= verb.right_edge.i:
        return 1
    return 2


# Verbs that publish a statement: a date on them dates the statement's condemnation
# ("released a press statement on August 18 that ...").
STATEMENT_VERBS = frozenset({"release", "issue", "publish", "say", "declare", "state",
                             "announce", "write", "stress", "note", "add", "warn"})


def _article_voice(ev: Event) -> bool:
    """The event is the article's own speech act (an outlet that speaks for a state
    condemning what it reports, voice "outlet"): it happens when the article is published,
    whatever date the condemned act carries ("perpetrated a brutal atrocity ... on June 23")."""
    return ev.get("voice") == "outlet"


# An expression of a sentence, with its tokens (None where they do not align).
Candidate = tuple[TimeExpr, Span | None]


def _statement_dates(cands: list[Candidate], doc: Doc, s0: int) -> list[Candidate]:
    """Only the dates on the sentence's publishing verb, if it has one."""
    span = doc.char_span(s0, s0 + 1, alignment_mode="expand")
    root = span.sent.root if span is not None else None
    if root is None or root.lemma_.lower() not in STATEMENT_VERBS:
        return []
    return [(te, sp) for te, sp in cands if sp is not None and clause_verb(sp.root) == root]


# Nouns under which a date names what is commemorated, not when the reported act happened:
# "issued statements on the occasion of the June 25-July 27 month of anti-U.S. struggle".
COMMEMORATED_UNDER = frozenset({"occasion", "anniversary"})


def _commemorated(span: Span | None) -> bool:
    return span is not None and any(
        a.lemma_.lower() in COMMEMORATED_UNDER for a in span.root.ancestors)


def _present(verb: Token) -> bool:
    """A verb in the simple present with no auxiliary ("they denounce", "he says")."""
    return verb.tag_ in {"VBP", "VBZ"} and not any(
        c.dep_ in {"aux", "auxpass"} for c in verb.children)


def _sinceclause_verb(span: Span | None) -> Token | None:
    """The verb of the clause introduced by the "since" ending a "a year since" expression."""
    if span is None:
        return None
    last = span[-1]
    if last.lower_ != "since":
        return None
    if last.dep_ == "mark" or last.head.pos_ in _VERBAL:
        return last.head
    for c in last.children:  # "since" parsed as a preposition over the clause
        if c.pos_ in _VERBAL:
            return c
    return None


def _pick(
    cands: list[Candidate], trig_start: int, trig_end: int, verb: Token | None
) -> TimeExpr | None:
    """The expression that dates the trigger: attached to its clause first, nearest next."""
    best: tuple[int, int] | None = None
    choice = None
    for te, span in cands:
        if _commemorated(span):
            continue
        if te.kind == "since":
            # "It has been a year since he visited": the phrase dates only the verb of the
            # clause that "since" introduces; for any other trigger it is a duration.
            since_verb = _sinceclause_verb(span)
            if since_verb is None or verb is None or since_verb != verb:
                continue
            rank = 0
        elif span is None or verb is None:
            rank = 2
        else:
            rank = _attachment(span.root, verb)
            if rank == 2 and _present(verb):
                # "said that July 27, 1953, was recorded as V-Day ..., adding that they
                # bitterly denounce the U.S.": a present-tense act happens when it is
                # reported, not at a date stated in another clause
                continue
        dist = min(abs(te.start - trig_end), abs(trig_start - te.end))
        key = (rank, dist)
        if best is None or key < best:
            best, choice = key, te
    return choice


@dataclass
class _Dating:
    """What dating one article's events reads: the parse, the resolved expressions, the
    article's dates, and its sentences (listed when first needed)."""

    doc: Doc
    article: Article
    exprs: list[TimeExpr]  # every expression of the text that resolved to a value
    settings: Settings
    _sents: list[Span] | None = None

    @property
    def sents(self) -> list[Span]:
        if self._sents is None:
            self._sents = sentences(self.doc)
        return self._sents

    def sentence_of(self, char: int) -> int | None:
        return sentence_index(self.sents, char)


# (the event's place in the article: syntax.EventAt, shared with the other stage)
_Trigger = EventAt


# A dating step: the expression that dates an event, and the date_source it records.
Dated = tuple[TimeExpr, str] | None


def sentence_date(ev: Event, at: _Trigger, d: _Dating) -> Dated:
    """The expression of the event's sentence that belongs to its trigger (dependency
    attachment first, distance second); an outlet's own speech act takes only a date on the
    sentence's publishing verb."""
    cands = [(te, d.doc.char_span(te.start, te.end, alignment_mode="expand"))
             for te in d.exprs if te.start >= at.s0 and te.end <= at.s1]
    if cands and _article_voice(ev):
        cands = _statement_dates(cands, d.doc, at.s0)
    te = _pick(cands, at.ts, at.te, at.verb) if cands else None
    return (te, "sentence") if te is not None else None


def context_date(ev: Event, at: _Trigger, d: _Dating) -> Dated:
    """A day date stated for the main event of one of the ``date_carry_back_sentences``
    sentences before ("received a message ... on August 13. In the message, ...")."""
    if not d.exprs:
        return None
    k = d.sentence_of(at.s0)
    if k is None:
        return None
    for j in range(k - 1, max(-1, k - 1 - d.settings.date_carry_back_sentences), -1):
        sn = d.sents[j]
        for te in d.exprs:
            if te.precision != "day" or not (sn.start_char <= te.start and te.end <= sn.end_char):
                continue
            span = sn.doc.char_span(te.start, te.end, alignment_mode="expand")
            if span is not None and _attachment(span.root, sn.root) == 0 \
                    and not _commemorated(span):
                return te, "context"
    return None


def same_object_date(ev: Event, at: _Trigger, d: _Dating) -> Dated:
    """The day date of the next sentence when it tells the same transfer again: "Kim Jong Un
    received a floral basket from Thongloun Sisoulith ... The Lao ambassador handed over the
    floral basket ... on Sept. 4." (the event's noun again, with "the")."""
    if not d.exprs or at.span is None:
        return None
    k = d.sentence_of(at.s0)
    if k is None or k + 1 >= len(d.sents):
        return None
    nouns = {t.lemma_.lower() for t in at.span if t.pos_ == "NOUN"}
    if not nouns:
        return None
    nxt = d.sents[k + 1]
    again = [t for t in nxt if t.pos_ == "NOUN" and t.lemma_.lower() in nouns
             and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)]
    if not again:
        return None
    verb = clause_verb(again[0])
    for te in d.exprs:
        if te.precision != "day" or not (nxt.start_char <= te.start and te.end <= nxt.end_char):
            continue
        span = nxt.doc.char_span(te.start, te.end, alignment_mode="expand")
        if span is not None and _attachment(span.root, verb) <= 1:
            return te, "context"
    return None


DatingStep = Callable[[Event, _Trigger, _Dating], Dated]

# The dating steps, in order: the first that finds a date dates the event.
STEPS: tuple[DatingStep, ...] = (sentence_date, context_date, same_object_date)


def date_events(events: list[Event], doc: Doc, article: Article,
                settings: Settings = DEFAULT) -> list[Event]:
    """Fill date, date_precision, date_text, date_source on each event (in place; returned).

    Steps, per event (``STEPS``; the first that finds a date wins):

    1. sentence_date     an expression of the event's sentence attached to its trigger
                         (date_source "sentence")
    2. context_date      a day date on the main verb of one of the previous sentences
                         (``date_carry_back_sentences``; date_source "context")
    3. same_object_date  the next sentence's day date when it tells the same transfer again
                         (date_source "context")
    4. fallback          the dateline's date ("dateline"), else the publication date
                         ("published"), else none (date_source None)
    """
    anchor = _as_date(article.dateline_date) or _as_date(article.published)
    d = _Dating(doc, article, [te for te in resolve(doc_text(doc), anchor, settings) if te.value],
                settings)
    text_len = len(doc_text(doc))
    for ev in events:
        at = _Trigger.of(ev, doc, text_len)
        found = next((hit for step in STEPS if (hit := step(ev, at, d)) is not None), None)
        if found is not None:
            te, source = found
            _set(ev, te.value, te.precision, te.text, source)
        else:
            _fallback(ev, article)
    return events


def _set(ev: Event, date: str | None, precision: str | None, text: str | None,
         source: str | None) -> None:
    ev["date"] = date
    ev["date_precision"] = precision
    ev["date_text"] = text
    ev["date_source"] = source


def _fallback(ev: Event, article: Article) -> None:
    """The dateline's date, else the publication date, at day precision; else no date."""
    if article.dateline_date:
        _set(ev, article.dateline_date, "day", None, "dateline")
    elif article.published:
        _set(ev, article.published, "day", None, "published")
    else:
        _set(ev, None, None, None, None)
