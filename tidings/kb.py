"""The actor knowledge base: countries, IGOs, groups, people, titles and sector nouns as data.

Everything lives in ``tidings/data/actors/*.tsv`` (each file names its source and licence in
its ``#`` header); this module only reads and indexes it. ``load()`` builds one cached
``KnowledgeBase`` whose lookups are plain dict hits on a normalised key, so the mention finder
can call them for every candidate span.

Normalisation (``norm``): lower case, curly quotes to straight, a trailing possessive ``'s``
dropped, apostrophes and full stops removed, hyphens/commas/brackets to spaces, a leading
"the " dropped. "the Workers’ Party of Korea's" and "Workers' Party of Korea" share a key.

Case rules (the rest of the key is case-blind, so "south Korea" = "South Korea"):
- a one-word key that is an English word ("us", "who") or an acronym in the data (IAEA, SPA,
  NIS) matches only input written in capitals; acronyms of four letters or more may also be
  written in title case ("Nato"). So "us" and "who" in running text are not the United States
  or the World Health Organization.
- any other one-word key needs a capital first letter: "Turkey" is a country, "turkey" is not;
  "Gallant", "Pentagon", "China" likewise.

Date rule: role ranges are half-open, ``valid_from <= date < valid_to``; an empty end is
"still in office"; a hand-off day belongs to the successor (Medvedev from 2008-05-07).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from . import data

# Roles that kb.holder() is expected to answer for (others in people.tsv are descriptive).
# Their order is also the preference when one person holds several at once (Kim Jong Un).
HOLDER_ROLES = (
    "SUPREME_LEADER",
    "HEAD_OF_STATE",
    "HEAD_OF_GOVERNMENT",
    "PARTY_LEADER",
    "FOREIGN_MINISTER",
    "DEFENCE_MINISTER",
    "LEGISLATURE_SPEAKER",
)

# Priority of kinds when one key names several things (lower wins): a named group or IGO
# ("Security Council") is more specific than a country alias, a person's full name more
# specific than either.
KIND_PRIORITY = {"person": 0, "group": 1, "igo": 2, "country": 3}

# Roles that only a state confers; "president of <an association>" is an ORG_HEAD instead,
# with the organisation's sector (civilian, CVL, when nothing says otherwise).
STATE_ROLES = frozenset({"HEAD_OF_STATE", "HEAD_OF_GOVERNMENT", "SUPREME_LEADER",
                         "LEGISLATURE_SPEAKER", "FOREIGN_MINISTER", "DEFENCE_MINISTER"})
ORG_HEAD = "ORG_HEAD"
DEFAULT_ORG_SECTOR = "CVL"

# Longest title tried before a name in lookup ("First Vice Foreign Minister ...").
MAX_TITLE_WORDS = 6

# Russian/Belarusian patronymics, which KCNA writes in full ("Sergei Viktorovich Lavrov").
PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ich", "ichna")

# Acronym surface forms: all capitals (dots allowed), 2-6 letters.
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}\+?$")
# English words that are also actor names or acronyms in the data; they match only in capitals.
CAPS_ONLY_WORDS = frozenset({"us", "who", "it", "am", "is", "in", "on", "no", "or", "an", "at",
                             "as", "be", "do", "go", "he", "me", "my", "so", "to", "up", "we",
                             "can", "may", "man", "aim", "arm", "spa", "sac", "pa", "ec", "oas"})
# Acronym keys this long may also be written in title case ("Nato", "Unesco", "Asean").
TITLE_CASE_ACRONYM_LEN = 4


@dataclass(frozen=True)
class Entry:
    """One actor as the knowledge base knows it (see docs/design.md)."""

    name: str
    country: str
    sector: str | None
    code: str
    kind: str
    role: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None


_LEAD = re.compile(r"^[\s'\"\u2018\u201c(]*(?:the\s+)?", re.IGNORECASE)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s$")
_DROP = re.compile(r"['.]")
_SPACE = re.compile(r"[-,/()\[\]\"\u2013\u2014\s]+")


# How many phrases KnowledgeBase.title remembers, and how many keys kb.norm does: a bound on
# memory (short strings: a few MB), not a tuned number; past it the memo starts again.
TITLE_MEMO_MAX = 1 << 16
_UNASKED: Any = object()  # KnowledgeBase.title's memo holds None for "not a title"


@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Normalised lookup key: case, quotes, possessive, punctuation and leading "the".
    (Memoised: the mention stage asks it for the same few thousand words over and over.)"""
    t = _POSSESSIVE.sub("", text.translate(_QUOTES).lower().strip())
    t = _SPACE.sub(" ", _DROP.sub("", t)).strip()
    if t.startswith("the "):
        t = t[4:]
    return t


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _caps_ok(phrase: str, key: str) -> bool:
    """May a caps-only key match this writing? "US" yes, "us" no, "Nato" yes, "Who" no."""
    stripped = _LEAD.sub("", phrase)
    if _is_caps(stripped):
        return True
    return (len(key) >= TITLE_CASE_ACRONYM_LEN and key not in CAPS_ONLY_WORDS
            and stripped[:1].isupper())


def _in_range(date: str, valid_from: str | None, valid_to: str | None) -> bool:
    return (not valid_from or valid_from <= date) and (not valid_to or date < valid_to)


class KnowledgeBase:
    """Indexes of the data files; build with ``load()``, not directly."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}  # key -> non-person entry
        self._people: dict[str, list[Entry]] = {}  # key -> one Entry per dated role
        self._surfaces: list[tuple[str, str]] = []  # (surface form, key)
        self._caps_only: set[str] = set()
        self._countries: dict[str, Entry] = {}  # iso3 and CAMEO code -> country Entry
        self._adjectives: dict[str, str] = {}  # key -> iso3
        self._titles: dict[str, tuple[str, str]] = {}
        self._honorifics: list[str] = []  # normalised, longest first
        self._honorific_set: frozenset[str] = frozenset()
        # title() per phrase, filled as asked: the tables do not change once loaded, and the
        # mention stage asks for every noun of every article
        self._title_memo: dict[str, tuple[str, str] | None] = {}
        self._sectors: dict[str, str] = {}
        self._holders: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        self.ambiguity: dict[str, tuple[str, str]] = {}  # key -> (choice, rule)
        self.conflicts: dict[str, set[str]] = {}  # undocumented multi-country keys

    # ---------------------------------------------------------------- building
    def _add(self, surface: str, entry: Entry, key: str | None = None) -> None:
        """Index one surface form (``key``: its norm() when the data file precomputed it)."""
        key = norm(surface) if key is None else key
        if not key:
            return
        choice = self.ambiguity.get(key, (None, ""))[0]
        if choice is not None and choice != entry.country:
            return  # ambiguity.tsv removes this form ("-") or gives it to one country only
        self._surfaces.append((surface, key))
        old = self._entries.get(key)
        if old is None or KIND_PRIORITY[entry.kind] < KIND_PRIORITY[old.kind]:
            self._entries[key] = entry

    def _build(self) -> None:
        self._load_ambiguity()
        self._load_countries()
        self._load_igos()
        self._load_groups()
        self._load_international()
        self._load_people()
        self._load_titles()
        self._load_sectors()
        self._finish_caps()

    def _load_ambiguity(self) -> None:
        for row in data.rows(data.AMBIGUITY):
            self.ambiguity[norm(row["phrase"])] = (row["choice"], row["rule"])

    def _load_countries(self) -> None:
        rows = data.rows(data.COUNTRIES)
        extra = data.rows(data.COUNTRIES_EXTRA)
        info: dict[str, tuple[str, str]] = {}  # iso3 -> (cameo, canonical name)
        for r in rows:
            if r["form"] == "name":
                info[r["iso3"]] = (r["cameo"], r["phrase"])
        forms = [(r["iso3"], r["form"], r["phrase"], r["key"]) for r in rows]
        forms += [(r["iso3"], r["form"], r["phrase"], norm(r["phrase"]))
                  for r in extra if r["iso3"] in info]
        # Which countries does each key name? Resolve with ambiguity.tsv, record the rest.
        owners: dict[str, list[str]] = defaultdict(list)
        for iso3, _form, _phrase, k in forms:
            if iso3 not in owners[k]:
                owners[k].append(iso3)
        for iso3, (cameo, name) in info.items():
            e = Entry(name=name, country=iso3, sector=None, code=cameo, kind="country")
            self._countries[iso3] = e
            self._countries.setdefault(cameo, e)
        for iso3, form, phrase, k in forms:
            choice = self.ambiguity.get(k, (None, ""))[0]
            if choice == "-":
                continue
            if choice is not None and choice != iso3:
                continue
            if choice is None and len(owners[k]) > 1:
                self.conflicts[k] = set(owners[k])
                if owners[k][0] != iso3:
                    continue
            self._add(phrase, self._countries[iso3], k)
            if form == "adjective":
                self._adjectives.setdefault(k, iso3)

    def _load_igos(self) -> None:
        for r in data.rows(data.IGOS):
            e = Entry(name=r["name"], country="IGO", sector=r["sector"] or None,
                      code=r["code"], kind="igo")
            for s in [r["name"], *filter(None, r["aliases"].split("|"))]:
                self._add(s, e)

    def _load_groups(self) -> None:
        # Hand-curated groups first: on a shared key the first group added wins.
        for r in data.rows(data.GROUPS) + data.rows(data.GROUPS_PHOENIX):
            c = self._countries.get(r["country"])
            cameo = c.code if c else r["country"]
            e = Entry(name=r["name"], country=r["country"], sector=r["sector"] or None,
                      code=r["code"] or cameo + r["sector"], kind="group")
            for s in [r["name"], *filter(None, r["aliases"].split("|"))]:
                self._add(s, e)

    def _load_international(self) -> None:
        """PETRARCH's IGOs/NGOs (country IGO) and armed groups; hand-curated files win."""
        for r in data.rows(data.INTERNATIONAL):
            e = Entry(name=r["name"], country=r["country"], sector=r["sector"] or None,
                      code=r["code"], kind=r["kind"])
            names = [r["name"], *filter(None, r["aliases"].split("|"))]
            for s, k in zip(names, r["keys"].split("|"), strict=True):
                if k and k not in self._entries:
                    self._add(s, e, k)

    def _load_people(self) -> None:
        by_key: dict[str, list[Entry]] = defaultdict(list)
        hand_keys: set[str] = set()
        rows = data.rows(data.PEOPLE)
        aliases: dict[str, set[str]] = defaultdict(set)  # aliases merge over a name's rows
        for r in rows:
            aliases[r["name"]].update(filter(None, r["aliases"].split("|")))
        for r in rows:
            c = self._countries.get(r["country"])
            cameo = c.code if c else r["country"]
            e = Entry(name=r["name"], country=r["country"], sector=r["sector"] or None,
                      code=r["code"] or cameo + (r["sector"] or ""), kind="person",
                      role=r["role"] or None, valid_from=r["valid_from"] or None,
                      valid_to=r["valid_to"] or None)
            if e.role:
                self._holders[(e.country, e.role)].append(e)
            for s in [r["name"], *sorted(aliases[r["name"]])]:
                k = norm(s)
                hand_keys.add(k)
                if e not in by_key[k]:
                    by_key[k].append(e)
                self._surfaces.append((s, k))
        phoenix: dict[str, list[data.Row]] = defaultdict(list)
        for prow_ in data.rows(data.PEOPLE_PHOENIX):
            names = [prow_["name"], *filter(None, prow_["aliases"].split("|"))]
            ks = prow_["keys"].split("|")  # norm() of name and aliases, precomputed by build_kb
            if not hand_keys.isdisjoint(ks):
                continue  # the hand-curated roles win for anyone listed there
            for s, k in zip(names, ks, strict=True):
                rows_of_key = phoenix[k]
                if not rows_of_key or rows_of_key[-1] is not prow_:
                    rows_of_key.append(prow_)
                    self._surfaces.append((s, k))
        self._phoenix = dict(phoenix)
        for roles in by_key.values():
            roles.sort(key=lambda e: (e.valid_from or "", e.valid_to or "9999"))
        for holders in self._holders.values():
            holders.sort(key=lambda e: e.valid_from or "")
        self._people = dict(by_key)

    def _roles(self, key: str) -> list[Entry] | None:
        """A person's dated entries: hand-curated, else PETRARCH's (built on first use)."""
        hit = self._people.get(key)
        if hit is not None or key not in self._phoenix:
            return hit
        entries = sorted(
            {Entry(name=r["name"], country=r["country"], sector=r["sector"] or None,
                   code=r["code"], kind="person", role=None,
                   valid_from=r["valid_from"] or None, valid_to=r["valid_to"] or None)
             for r in self._phoenix[key]},
            # a total order (codes break date ties), so every process picks the same entry
            key=lambda e: (e.valid_from or "", e.valid_to or "9999", e.code, e.name),
        )
        self._people[key] = entries
        return entries

    def _load_titles(self) -> None:
        hons = []
        for r in data.rows(data.TITLES):
            k = norm(r["phrase"])
            if r["kind"] == "honorific":
                hons.append(k)
            else:
                self._titles.setdefault(k, (r["role"], r["sector"]))
        self._honorifics = sorted(set(hons), key=lambda h: -len(h))
        self._honorific_set = frozenset(hons)

    def _load_sectors(self) -> None:
        for r in data.rows(data.SECTORS):
            self._sectors.setdefault(norm(r["noun"]), r["sector"])

    def _finish_caps(self) -> None:
        for s, k in self._surfaces:
            if " " not in k and (k in CAPS_ONLY_WORDS or _ACRONYM.match(s)):
                self._caps_only.add(k)

    # ---------------------------------------------------------------- queries
    def phrases(self) -> Iterator[tuple[str, Entry]]:
        """Every surface form with its entry (a person's latest role), for a PhraseMatcher.

        Forms that only match in capitals (see module docstring) are yielded as written, so a
        matcher on ORTH can take them and one on LOWER the rest (``caps_only``).
        """
        seen: set[tuple[str, str]] = set()
        for s, k in self._surfaces:
            if (s, k) in seen:
                continue
            seen.add((s, k))
            e = self._resolve(k, None)
            if e is not None:
                yield s, e

    def _case_ok(self, phrase: str, key: str) -> bool:
        if " " in key:
            return True
        if key in self._caps_only:
            return _caps_ok(phrase, key)
        return _LEAD.sub("", phrase)[:1].isupper()

    def caps_only(self, phrase: str) -> bool:
        """True when the phrase matches only if written in capitals ("US", "WHO", "SPA").

        Other one-word forms need a capital first letter ("Turkey", not "turkey"): a
        case-blind matcher should confirm each hit with ``lookup`` and drop it on None.
        """
        return norm(phrase) in self._caps_only

    def _resolve(self, key: str, date: str | None) -> Entry | None:
        """Hand-curated people, then named groups/IGOs/countries, then PETRARCH's people."""
        people = self._people.get(key)
        if people:
            return self._dated(people, date)
        hit = self._entries.get(key)
        if hit is not None:
            return hit
        people = self._roles(key)
        return self._dated(people, date) if people else None

    @staticmethod
    def _dated(roles: list[Entry], date: str | None) -> Entry:
        if date is None:
            open_roles = [e for e in roles if not e.valid_to]
            return open_roles[-1] if open_roles else roles[-1]
        date = date[:10]
        valid = [e for e in roles if _in_range(date, e.valid_from, e.valid_to)]
        if valid:
            # Prefer a role with a holder() meaning (head of state over party post, etc.)
            for role in HOLDER_ROLES:
                for e in valid:
                    if e.role == role:
                        return e
            return valid[-1]
        # Known person, no role on that date: the person, without a role.
        nearest = min(roles, key=lambda e: abs(_days(e.valid_from or e.valid_to or date) -
                                                _days(date)))
        return replace(nearest, role=None, valid_from=None, valid_to=None)

    def lookup(self, phrase: str, date: str | None = None) -> Entry | None:
        """Exact normalised match; for people, the role valid at ``date`` (YYYY-MM-DD)."""
        key = norm(phrase)
        if not key:
            return None
        for k in self._candidates(key):
            if not self._case_ok(phrase, k):
                continue
            e = self._resolve(k, date)
            if e is not None:
                return e
        return self._after_title(self.strip_honorifics(key), date)

    def _after_title(self, key: str, date: str | None) -> Entry | None:
        """A person named after a title: "Russian Foreign Minister Sergei Lavrov",
        "President Putin". Only a person is accepted after the title."""
        words = key.split()
        start = 0
        for n in (2, 1):  # an optional leading country or adjective ("Russian", "U.S.")
            head = " ".join(words[:n])
            if len(words) > n + 1 and (head in self._adjectives or (
                    head in self._entries and self._entries[head].kind == "country")):
                start = n
                break
        for n in range(min(MAX_TITLE_WORDS, len(words) - start - 1), 0, -1):
            if " ".join(words[start:start + n]) in self._titles:
                rest = " ".join(words[start + n:])
                people = self._roles(rest)
                if people:
                    return self._dated(people, date)
        return None

    def _candidates(self, key: str) -> Iterator[str]:
        yield key
        stripped = self.strip_honorifics(key)
        if stripped != key:
            yield stripped
        words = stripped.split()
        if len(words) == 3 and words[1].endswith(PATRONYMIC_ENDINGS):
            yield f"{words[0]} {words[2]}"  # "Maxim Vladimirovich Ryzhenkov" (KCNA style)
        if key.endswith("s") and key[:-1] in self._adjectives:
            yield key[:-1]  # demonym plurals: "Russians"

    def strip_honorifics(self, text: str) -> str:
        """Drop leading honorifics ("Respected Comrade", "Marshal", "dear") from a phrase."""
        key = norm(text)
        changed = True
        while changed:
            changed = False
            for h in self._honorifics:
                if key.startswith(h + " "):
                    key = key[len(h) + 1:]
                    changed = True
                    break
        return key

    def is_honorific(self, phrase: str) -> bool:
        """True for KCNA honorifics and forms of address that carry no role."""
        return norm(phrase) in self._honorific_set

    def country(self, iso3: str) -> Entry | None:
        """The country entry for an ISO alpha-3 (or CAMEO) code."""
        return self._countries.get(iso3.upper())

    def countries(self) -> list[Entry]:
        """All country entries, one per ISO code."""
        return sorted({e.country: e for e in self._countries.values()}.values(),
                      key=lambda e: e.country)

    def adjective(self, word: str) -> str | None:
        """ISO alpha-3 for a nationality adjective or demonym: "Russian" -> "RUS"."""
        key = norm(word)
        if key in self._adjectives:
            return self._adjectives[key]
        if key.endswith("s") and key[:-1] in self._adjectives:
            return self._adjectives[key[:-1]]
        e = self._entries.get(key)
        if e is not None and e.kind == "country" and self._case_ok(word, key):
            return e.country
        return None

    def holder(self, country: str, role: str, date: str | None = None) -> Entry | None:
        """Who held ``role`` in ``country`` on ``date`` (today's holder when date is None).

        The data is as of 2024-11 (see people.tsv), so "today" past that may miss changes.
        """
        c = self._countries.get(country.upper())
        iso3 = c.country if c else country.upper()
        roles = self._holders.get((iso3, role))
        if not roles:
            return None
        date = (date or _dt.date.today().isoformat())[:10]
        valid = [e for e in roles if _in_range(date, e.valid_from, e.valid_to)]
        return valid[-1] if valid else None

    def people(self) -> Iterator[Entry]:
        """Every dated role of every hand-curated person (for coverage checks and reports)."""
        for roles in self._holders.values():
            yield from roles

    def title(self, phrase: str) -> tuple[str, str] | None:
        """(role, sector) of a title phrase: "foreign minister" -> ("FOREIGN_MINISTER", "GOV").

        Unknown long titles fall back to the part before their last " of ": "foreign minister
        of the DPRK" -> "foreign minister", "minister of External Economic Relations" ->
        "minister"; plurals ("foreign ministers") are singularised.
        """
        memo = self._title_memo
        found = memo.get(phrase, _UNASKED)
        if found is _UNASKED:
            if len(memo) >= TITLE_MEMO_MAX:
                memo.clear()  # bounded: a long ingest meets ever new phrases
            found = memo[phrase] = self._title(phrase)
        return found  # (a local: another thread may clear the memo meanwhile)

    def _title(self, phrase: str) -> tuple[str, str] | None:
        key = self.strip_honorifics(phrase)
        tail = ""
        while key:
            hit = self._titles.get(key)
            if hit is None and key.endswith("s"):
                hit = self._titles.get(key[:-1])
            if hit is not None:
                return self._title_of_what(hit, tail) if tail else hit
            cut = key.rfind(" of ")
            if cut <= 0:
                return None
            key, tail = key[:cut], key[cut + 4:] + (" of " + tail if tail else "")
        return None

    def _title_of_what(self, hit: tuple[str, str], tail: str) -> tuple[str, str]:
        """A state title cut from "... of <tail>" keeps its role only when the tail is a state:
        "president of the Korean Friendship Association" heads an organisation (ORG_HEAD)."""
        if hit[0] not in STATE_ROLES:
            return hit
        e = self._entries.get(norm(tail))
        if e is not None and e.kind == "country":
            return hit
        if e is not None and e.sector:
            return ORG_HEAD, e.sector
        words = tail.split(" of ")[0].split()  # the organisation's head noun: "party"
        return ORG_HEAD, (self.sector(words[-1]) if words else None) or DEFAULT_ORG_SECTOR

    def sector(self, noun: str) -> str | None:
        """CAMEO sector of a common noun: "army" -> "MIL", "people" -> "CVL"."""
        key = norm(noun)
        if key in self._sectors:
            return self._sectors[key]
        for cand in (key[:-1] if key.endswith("s") else None,
                     key[:-2] if key.endswith("es") else None,
                     key[:-3] + "y" if key.endswith("ies") else None):
            if cand and cand in self._sectors:
                return self._sectors[cand]
        return None


def _days(date: str) -> int:
    """Rough day number of a YYYY[-MM[-DD]] date, for nearest-role ordering only."""
    parts = (date + "-01-01").split("-")
    try:
        y, m, d = int(parts[0]), int(parts[1]), int(parts[2])
    except ValueError:
        return 0
    return y * 372 + m * 31 + d


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The knowledge base, read once per process."""
    kb = KnowledgeBase()
    kb._build()
    return kb
