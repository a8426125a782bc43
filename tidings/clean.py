"""Textual repair before NLP: after ``clean`` the text is fixed and event offsets point into it.

* pasted web pages (``extraction == "text"``): title, subtitle, byline, outlets, photo
  caption and the attribution line are lifted out of the body; page furniture dropped;
* wire text: KCNA datelines ("Pyongyang, August 4 (KCNA) --") and trailers (" -0-");
* bylines appended to a body ("... of the country. Ri Hyon Do", "Rodong News Team");
* names the scraper glued to neighbouring words ("WhenKim Jong Un", "Kim Jong Unsaid");
* whitespace and common UTF-8-read-as-cp1252 mojibake.

The word lists live in ``tidings/data/clean/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date as _date
from functools import lru_cache
from typing import TYPE_CHECKING

from tidings import data
from tidings.model import Article
from tidings.settings import DEFAULT, Settings

if TYPE_CHECKING:
    from spacy.language import Language

# Month words of the calendar table (language/calendar.tsv), as written in datelines and date
# lines: capitalised, longest first, with an optional full stop ("Sept.").
_MONTHS = data.months()
_MONTH_RE = (
    "(?:" + "|".join(w.capitalize() for w in sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
)



# ---------------------------------------------------------------- data lists


@lru_cache(maxsize=1)
def outlets() -> tuple[str, ...]:
    """Outlet names, longest first so "Korean Central News Agency" wins over parts."""
    return tuple(sorted(set(data.words(data.OUTLETS)), key=len, reverse=True))


@lru_cache(maxsize=1)
def _outlet_re() -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(o) for o in outlets()) + r")\b", re.I)


@lru_cache(maxsize=1)
def furniture() -> dict[str, str]:
    return {r["phrase"].strip().lower(): r["action"].strip() or "drop"
            for r in data.rows(data.FURNITURE)}


@lru_cache(maxsize=1)
def glued_names() -> tuple[str, ...]:
    names = {r["name"].strip() for r in data.rows(data.GLUED_NAMES)}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(w.lower() for w in data.words(data.FUNCTION_WORDS))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(data.words(data.SURNAMES))


# ---------------------------------------------------------------- whitespace, mojibake

# Characters whose UTF-8 bytes, read as cp1252, give the familiar "â€™"-style mojibake.
_MOJIBAKE_SOURCE = "’‘“”–—…•é·"
_MOJIBAKE = {ch.encode("utf-8").decode("cp1252", errors="ignore"): ch for ch in _MOJIBAKE_SOURCE}
_MOJIBAKE_RE = re.compile("|".join(re.escape(k) for k in sorted(_MOJIBAKE, key=len, reverse=True)))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces, strip line ends, keep paragraph breaks (at most one blank line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def fix_mojibake(text: str) -> str:
    """Undo UTF-8-decoded-as-cp1252 for common punctuation; only when the marks are there."""
    if "â€" not in text and "Ã" not in text:
        return text
    return _MOJIBAKE_RE.sub(lambda m: _MOJIBAKE[m.group(0)], text)


# ---------------------------------------------------------------- glued names


@lru_cache(maxsize=1)
def _glue_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(n) for n in glued_names())
    # "WhenKim Jong Un", "ComradeKim Jong Un": a lowercase letter right before a name
    left = re.compile(r"(?<=[a-z])(?=(?:" + names + r"))")
    # "Kim Jong Unsaid", "Kim Il SungUniversity": letters right after a name; two or more
    # so a longer name with one more letter ("Kim Jong Ung") is not cut
    right = re.compile(r"(?<![A-Za-z])(" + names + r")(?=[a-z]{2,}|[A-Z][a-z])")
    # general camel case: "ofThe" where the left part is a common English word
    camel = re.compile(r"\b([A-Za-z]?[a-z]{2,})([A-Z][a-z]+)")
    return left, right, camel


def repair_glued(text: str) -> tuple[str, int]:
    """Insert the missing space at glued word junctions; return (text, junctions repaired)."""
    left, right, camel = _glue_res()
    count = 0

    def sp(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return m.group(0) + " "

    text, n = left.subn(" ", text)
    count += n
    text = right.sub(sp, text)
    fw = function_words()

    def camel_sub(m: re.Match[str]) -> str:
        nonlocal count
        if m.group(1).lower() in fw:
            count += 1
            return m.group(1) + " " + m.group(2)
        return m.group(0)

    text = camel.sub(camel_sub, text)
    # "years,Kim Jong Un": a comma glued between words (never inside numbers like 1,000)
    text, n = re.subn(r"(?<=[a-z)]),(?=[A-Z])", ", ", text)
    # "leave south Korea.The editorial said": a full stop glued to the next sentence (a
    # lowercase word before it, a capitalised word after; "U.S." or "a.m." have no word
    # after, "example.Com" is rare in news text)
    text, n2 = re.subn(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])", " ", text)
    return text, count + n + n2


# ---------------------------------------------------------------- dates


def _month_day(month: str, day: str) -> tuple[int, int] | None:
    mo = _MONTHS.get(month.lower().rstrip("."))
    if mo is None:
        return None
    return mo, int(day)


def resolve_year(month: int, day: int, anchor: str | None) -> str | None:
    """The date closest to ``anchor`` with this month and day (Dec dateline, Jan article → Y-1)."""
    if not anchor:
        return None
    try:
        a = _date.fromisoformat(anchor[:10])
    except ValueError:
        return None
    best: _date | None = None
    for y in (a.year - 1, a.year, a.year + 1):
        try:
            d = _date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - a).days) < abs((best - a).days):
            best = d
    return best.isoformat() if best else None


_FULL_DATE = re.compile(r"\b(" + _MONTH_RE + r")\s+(\d{1,2}),?\s+(\d{4})\b")


def _iso(s: str) -> str | None:
    try:
        return _date.fromisoformat(s).isoformat()
    except ValueError:
        return None


def _find_full_date(s: str) -> str | None:
    m = _FULL_DATE.search(s)
    if not m:
        return None
    md = _month_day(m.group(1), m.group(2))
    if md is None:
        return None
    try:
        return _date(int(m.group(3)), *md).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------- wire furniture

# A wire dateline: "Pyongyang, August 4 (KCNA) --" (KCNA, Xinhua, VNA), "MOSCOW, July 5.
# /TASS/." (TASS), or a place and agency with no date, "Hanoi (VNA) –" (VNA), which
# strip_dateline takes only for an agency outlets.tsv knows.
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z.'\- ]{1,40}?)"
    r"(?:,\s+(?P<month>" + _MONTH_RE + r")\s+(?P<day>\d{1,2})\.?)?\s*"
    r"(?:\((?P<agency>[A-Z][A-Za-z .&-]{1,40})\)\s*(?:--|—|–|-)"
    r"|/(?P<slashed>[A-Z][A-Za-z .&-]{1,40})/\.?)\s*"
)
_TRAILER = re.compile(r"\s*-0-\s*$")


def strip_dateline(art: Article) -> Article:
    """Lift "Pyongyang, August 4 (KCNA) --" off the body into dateline_place/dateline_date."""
    m = _DATELINE.match(art.text)
    if not m:
        return art
    agency = (m.group("agency") or m.group("slashed")).strip()
    if m.group("month") is None:
        if agency.lower() not in {o.lower() for o in outlets()}:
            return art  # "Somewhere (X) -" opening a sentence is no dateline
        art.dateline_place = m.group("place").strip()
        return _take_dateline(art, m, agency)
    md = _month_day(m.group("month"), m.group("day"))
    if md is None:
        return art
    art.dateline_place = m.group("place").strip()
    art.dateline_date = resolve_year(*md, art.published)
    year = str(art.meta.get("year", ""))
    if art.dateline_date is None and re.fullmatch(r"\d{4}", year):
        # no publication date, but the input names the year (the Rodong CSV has a column)
        try:
            art.dateline_date = _date(int(year), *md).isoformat()
        except ValueError:
            pass
    if art.published is None:
        art.published = art.dateline_date
    return _take_dateline(art, m, agency)


def _take_dateline(art: Article, m: re.Match[str], agency: str) -> Article:
    if not art.source:
        art.source = agency
    art.text = art.text[m.end() :]
    return art


def strip_trailer(art: Article) -> Article:
    art.text = _TRAILER.sub("", art.text)
    return art


# ---------------------------------------------------------------- appended bylines

_TEAM = re.compile(r"^(?:[A-Z][a-z]+ ){1,2}(?:News )?Team$")
_TAIL = re.compile(r"(?<=[.!?\"”’)])\s*((?:By\s+)?[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*){0,15})\s*$")


def _dedupe_repeats(words: list[str]) -> list[str]:
    """"Kim Chol Kim Chol" → "Kim Chol" (the scraper repeats bylines)."""
    n = len(words)
    for size in range(1, n + 1):
        if n % size == 0 and words[:size] * (n // size) == words:
            return words[:size]
    return words


def _is_person(words: list[str], tail_max_words: int) -> bool:
    return (
        2 <= len(words) <= tail_max_words - 1
        and words[0] in surnames()
        and all(re.fullmatch(r"[A-Z][a-z]{0,6}", w) for w in words)
    )


def strip_tail_byline(art: Article, settings: Settings = DEFAULT) -> Article:
    """Move a byline appended after the last sentence ("... country. Ri Hyon Do") out."""
    m = _TAIL.search(art.text)
    if not m:
        # an outlet name (maybe repeated) glued on after a list with no full stop,
        # or after a wire dash ("... August 7. — AFP"); never a credit ("Photo: AP")
        m2 = re.search(
            r"(?<=[A-Za-z.])(?:\s[—–-])?(?:\s(?:" + _outlet_re().pattern + r"))+$", art.text
        )
        if m2 and m2.start() > 0:
            art.source = _join_sources(art.source, [_canonical_outlet(m2.group(1))])
            art.text = art.text[: m2.start()].rstrip()
        return art
    words = _dedupe_repeats(m.group(1).split())
    phrase = " ".join(words)
    by = phrase[3:] if phrase.startswith("By ") else phrase
    outlet = [o for o in outlets() if o.lower() == by.lower()]
    if outlet:
        art.source = _join_sources(art.source, [outlet[0]])
    elif _TEAM.match(by) or _is_person(by.split(), settings.tail_max_words):
        art.byline = art.byline or by
    else:
        return art
    art.text = art.text[: m.start()].rstrip()
    return art


def _join_sources(existing: str | None, more: list[str]) -> str | None:
    names = [s for s in (existing or "").split("; ") if s]
    for s in more:
        if s.lower() not in {n.lower() for n in names}:
            names.append(s)
    return "; ".join(names) or None


# ---------------------------------------------------------------- pasted pages


@lru_cache(maxsize=1)
def _tagger() -> Language:
    from tidings import nlp

    return nlp.load()


AFTER_PARSER = ["attribute_ruler", "lemmatizer", "tidings_lemma_fixes", "ner"]


def _has_finite_verb(line: str) -> bool:
    """Whether a line reads as a sentence (a finite verb), not a heading or caption."""
    # tags and dependencies only: the components after the parser set no tag or relation
    # (the same tags and relations on 3,001 KCNA lines with and without them) and NER is
    # half the cost
    doc = _tagger()(line, disable=AFTER_PARSER)
    return any(t.tag_ in {"VBD", "VBZ", "VBP", "MD"} and t.dep_ != "amod" for t in doc)


def _words(line: str) -> int:
    return len(line.split())


def _is_body(line: str, settings: Settings) -> bool:
    if _DATELINE.match(line):
        return True  # a dateline opens the body, whatever the tagger makes of its verb
    return (
        _words(line) >= settings.body_min_words
        and bool(re.search(r"[.!?][\"”’)]?$", line))
        and _has_finite_verb(line)
    )


def _furniture_action(line: str) -> str | None:
    low = line.lower().strip(" |·•-–—:")
    table = furniture()
    if low in table:
        return table[low]
    # a line made only of furniture phrases: "Previous Post Next Post", "Share | Print"
    rest = re.sub(r"[|·•/,]", " ", low)
    if low and _furniture_only().fullmatch(rest):
        return "drop"
    return None


@lru_cache(maxsize=1)
def _furniture_only() -> re.Pattern[str]:
    """A line tiled by whole furniture phrases (the longest that fits at each point) and
    blanks. One pattern, not a substitution per phrase per line: that loop was half of the
    cleaning time. Atomic and possessive, so a long line that fails at its end fails in
    linear time whatever phrases the table holds."""
    alts = "|".join(re.escape(p) for p in sorted(furniture(), key=len, reverse=True))
    return re.compile(r"(?:\s*+(?<!\w)(?>" + alts + r")(?!\w))++\s*+")


def _outlets_only(line: str) -> list[str] | None:
    """The outlets of a line made of outlet names only ("Rodong Sinmun", "KCNA / Xinhua")."""
    found = [m.group(0) for m in _outlet_re().finditer(line)]
    rest = _outlet_re().sub(" ", line)
    if found and not re.sub(r"[\s,/&|;-]|\band\b", "", rest):
        return [_canonical_outlet(f) for f in found]
    return None


def _canonical_outlet(name: str) -> str:
    for o in outlets():
        if o.lower() == name.lower():
            return o
    return name


_NAME = r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}"
_BYLINE = re.compile(
    r"^By\s+(" + _NAME + r"(?:(?:\s+(?:and|&)\s+|,\s+)" + _NAME + r")*?)(?:\s*[,|/]\s*(.+))?$"
)
_DATE_LINE = re.compile(
    r"^(?:(?:Published|Updated|Posted|Date|Dated)\s*:?\s*(?:on\s+)?)?(?:\w+day,?\s+)?"
    r"(?P<date>" + _MONTH_RE + r"\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}.*)?$",
    re.I,
)
# breadcrumbs: "Home > News > World"
_BREADCRUMB = re.compile(r"^[^>»]{1,40}(?:\s[>»]\s[^>»]{1,40}){1,}$")
_ATTRIBUTION = re.compile(r"^[(\[](.+)[)\]]$")


def _attribution(line: str) -> tuple[list[str], str | None] | None:
    """"(Abridgment compiled from Rodong Sinmun and KCNA - April 23, 2020)" → outlets, date."""
    m = _ATTRIBUTION.match(line)
    inner = m.group(1) if m else None
    if inner is None:
        m2 = re.match(r"^(?:Source|Sources|Courtesy of)\s*:\s*(.+)$", line, re.I)
        inner = m2.group(1) if m2 else None
    if inner is None or _words(inner) > 20:
        return None
    found = [_canonical_outlet(x.group(0)) for x in _outlet_re().finditer(inner)]
    when = _find_full_date(inner)
    if not found and not when:
        return None
    return found, when


def clean_pasted(art: Article, settings: Settings = DEFAULT) -> Article:
    """Lift headings, byline, outlets, caption and attribution out of pasted page text.

    Steps: drop furniture lines (a "stop" line ends the article); lift attribution lines off
    the end; find the body (the first sentence-like line within ``header_max_lines``); read
    the header zone above it (date, breadcrumbs, byline, outlets, headings); take the block
    of short verbless lines right above the body as the caption; put the rest together."""
    kept = _drop_furniture(art.text.split("\n"))
    sources = _lift_attribution(kept, art)
    idx = [i for i, ln in enumerate(kept) if ln.strip()]
    body_at = next((i for i in idx[: settings.header_max_lines]
                    if _is_body(kept[i], settings)), None)
    if body_at is None or body_at == idx[0]:
        art.text = "\n".join(kept)
        art.source = _join_sources(art.source, sources)
        return art
    header = [i for i in idx if i < body_at]
    head = _read_header(kept, header, art)
    caption = _caption(kept, header, head, settings)
    cap_set = set(caption)
    heads = [h for h in head.heads if h not in cap_set]
    leftover = [kept[i].strip() for i in head.after_credit if kept[i].strip() not in cap_set]
    if heads:
        art.title = art.title or heads[0]
        if len(heads) > 1:
            art.subtitle = art.subtitle or " ".join(heads[1:])
    if caption:
        art.caption = "\n".join(caption)
    art.source = _join_sources(art.source, head.sources + sources)
    body = "\n".join(kept[body_at:])
    art.text = ("\n\n".join(leftover) + "\n\n" + body) if leftover else body
    return art


def _drop_furniture(lines: list[str]) -> list[str]:
    """The lines that are not page furniture, up to a "stop" line ("Related articles")."""
    kept: list[str] = []
    for line in lines:
        action = _furniture_action(line) if line.strip() else None
        if action == "stop":
            break
        if action == "drop":
            continue
        kept.append(line)
    return kept


def _lift_attribution(kept: list[str], art: Article) -> list[str]:
    """Pop the attribution lines (and blank lines) off the end of ``kept``: their outlets,
    in order; their date becomes the publication date when there is none."""
    sources: list[str] = []
    while kept and (not kept[-1].strip() or _attribution(kept[-1].strip())):
        line = kept.pop().strip()
        found = _attribution(line) if line else None
        if found is not None:
            outlets_found, when = found
            sources = outlets_found + sources
            if when and not art.published:
                art.published = when
    return sources


@dataclass
class _Header:
    """What the header zone of a pasted page holds, line by line."""

    heads: list[str] = field(default_factory=list)  # headings: title, then subtitle
    after_credit: list[int] = field(default_factory=list)  # lines after a byline or outlet
    credit_seen: bool = False
    sources: list[str] = field(default_factory=list)  # outlets named in the header


def _read_header(kept: list[str], header: list[int], art: Article) -> _Header:
    """Sort the header lines: a date line dates the article, breadcrumbs go, a byline or
    outlet line credits it; headings before the credit, other lines after it."""
    out = _Header()
    for i in header:
        line = kept[i].strip()
        dm = _DATE_LINE.match(line)
        if dm:
            when = _find_full_date(dm.group("date")) or _iso(dm.group("date"))
            art.published = art.published or when
            continue
        if _BREADCRUMB.match(line):
            continue
        bm = _BYLINE.match(line)
        outs = _outlets_only(line)
        if bm:
            out.credit_seen = True
            art.byline = art.byline or bm.group(1)
            if bm.group(2):
                out.sources += _outlets_only(bm.group(2)) or []
        elif outs:
            out.credit_seen = True
            out.sources += outs
        elif out.credit_seen:
            out.after_credit.append(i)
        else:
            out.heads.append(line)
    return out


def _caption(kept: list[str], header: list[int], head: _Header,
             settings: Settings) -> list[str]:
    """The block of short verbless lines directly above the body, when a credit line, a full
    date or a comma-separated place list shows it is a photo caption."""
    pre = head.after_credit if head.credit_seen else [
        i for i in header if kept[i].strip() in head.heads[1:]]
    block: list[int] = []
    for i in reversed(pre):
        if block and i != block[0] - 1:
            break  # a blank line ends the block directly above the body
        block.insert(0, i)
    if not block or not all(_words(kept[i]) <= settings.caption_max_words
                            and not _has_finite_verb(kept[i]) for i in block):
        return []
    if head.credit_seen or any(_find_full_date(kept[i]) or kept[i].count(",") >= 2
                               for i in block):
        return [kept[i].strip() for i in block]
    return []


# ---------------------------------------------------------------- scraped repeats

_SENTENCE_END = re.compile(r"(?<=[.!?\"”’)])(\s+)(?=[\"“‘(]?[A-Z])")


def drop_repeats(art: Article, settings: Settings = DEFAULT) -> Article:
    """Drop sentences the scraper repeated and the outlet signatures stuck between the
    copies ("... at its height.Rodong Sinmun The south Korean online paper ..."): a copy
    adds nothing but a second telling, and its signature becomes a false antecedent."""
    sig = re.compile(r"(?<=[.!?\"”’])\s*(?:" + _outlet_re().pattern + r")\s+(?=[A-Z])")
    text = sig.sub("\n", art.text)
    parts = _SENTENCE_END.split(text)  # sentence, separator, sentence, ...
    seen: set[str] = set()
    out: list[str] = []
    for i in range(0, len(parts), 2):
        sent = parts[i]
        sep = parts[i + 1] if i + 1 < len(parts) else ""
        key = " ".join(sent.split())
        if len(key) >= settings.repeat_min_chars and key in seen:
            continue
        seen.add(key)
        out.append(sent + sep)
    new = "".join(out).rstrip()
    if new != art.text.rstrip():
        art.meta["repeats_dropped"] = (len(parts) + 1) // 2 - len(out)
        art.text = new
    return art


# ---------------------------------------------------------------- entry point


def clean(article: Article, settings: Settings = DEFAULT) -> Article:
    """Return a cleaned copy of ``article``; its text is final (offsets point into it).

    Steps, in order:

    1. fix_mojibake, normalize_whitespace  cp1252-read UTF-8 punctuation, spaces, blank lines
    2. clean_pasted        a pasted page's headings, byline, outlets, caption, attribution
    3. strip_dateline      "Pyongyang, August 4 (KCNA) --" → dateline place and date
    4. strip_trailer       KCNA's " -0-"
    5. repair_glued        names and sentences the scraper glued ("WhenKim Jong Un")
    6. drop_repeats        sentences the scraper repeated
    7. strip_tail_byline   a byline or outlet appended to the body ("... country. Ri Hyon Do")
    8. the title's glued names and whitespace; the body's whitespace again
    """
    art = replace(article, meta=dict(article.meta))
    text = fix_mojibake(art.text)
    art.text = normalize_whitespace(text)
    if art.extraction == "text":
        art = clean_pasted(art, settings)
    art = strip_dateline(art)
    art = strip_trailer(art)
    art.text, n = repair_glued(art.text)
    art = drop_repeats(art, settings)
    art = strip_tail_byline(art, settings)
    if art.title:
        art.title, _ = repair_glued(normalize_whitespace(art.title))
    art.meta["glued_repairs"] = n
    art.text = normalize_whitespace(art.text)
    return art
