"""What the analyst views need of an event, derived once when it is stored.

The coder's event says how the text named its actors and place; an analyst asks who they
are and how precisely the place is known. Both are worked out here from fields events
already carry, so that the store can filter, group and index on them:

- **Actor identity** (``resolve_actor``), kept apart from the mention: a named *person* or
  *organisation* of the knowledge base (or a name the coder resolved that the KB lacks),
  else the *sector* code ("PRKGOV": the state's government, a roll-up), else the *country*
  (a roll-up). A pronoun is never an identity: "he" with no resolved name is its roll-up.
- **Date bounds** (``date_bounds``): the first and last day an event's date can mean, as
  padded strings that sort as dates ("2024" → "2024-00-00" … "2024-99-99"), so a filter keeps
  an event only when its whole period lies inside the range (a year-only date is no "July"
  event) and the sort key is one indexed column.
- **Geo-precision** (``geo_of``), like GDELT's ActionGeo_Type: ``city`` (a city or site),
  ``region`` (a province, state or region of one country), ``country`` (drawn at the country's
  centroid, not its capital), ``dateline`` (no place in the text: the dateline's city, or
  "here"); none for seas, multi-country regions and words that are no place ("Republic").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Bump when a derivation below changes: the store re-derives rows of an older version at open.
DERIVE_VERSION = 1

PERSON, ORGANISATION, SECTOR, COUNTRY = "person", "organisation", "sector", "country"
ACTOR_KINDS = (PERSON, ORGANISATION, SECTOR, COUNTRY)
# Keys of people and organisations carry their kind; sector and country keys are CAMEO codes.
KEY_PREFIX = {PERSON: "person:", ORGANISATION: "org:"}

PRONOUNS = frozenset(
    "i you he she it we they me him her us them his its our their my your this that these "
    "those who which one ours theirs itself himself herself themselves ourselves".split()
)

# Words of a name that make it an organisation, not a person ("DPRK Foreign Ministry").
ORGANISATION_WORDS = frozenset(
    "ministry ministries committee party association office council agency assembly army "
    "forces force union federation front institute university college school company "
    "corporation bank news newspaper television radio embassy government cabinet "
    "delegation league society foundation organization organisation department bureau court "
    "parliament congress group command navy guard police service services secretariat "
    "commission centre center academy club team orchestra troupe ensemble movement alliance "
    "fund programme program authority authorities administration presidium inc ltd".split()
)

# CAMEO sector codes, for the labels of sector roll-ups ("North Korea · government").
SECTOR_NAMES = {
    "GOV": "government", "MIL": "military", "LEG": "legislature", "JUD": "judiciary",
    "MED": "media", "CVL": "civilians", "BUS": "business", "EDU": "education",
    "ELI": "elites", "ETH": "ethnic group", "LAB": "labour", "AGR": "agriculture",
    "HLH": "health", "REF": "refugees", "OPP": "opposition", "REB": "rebels",
    "COP": "police", "SPY": "intelligence", "UAF": "armed groups", "CRM": "criminals",
    "REL": "religious", "MOD": "moderates", "RAD": "radicals", "NGO": "NGOs",
    "IGO": "international organisations", "SEP": "separatists", "INS": "insurgents",
    "ENV": "environmental groups", "DEV": "development", "PTY": "parties",
}  # fmt: skip

GEO_PRECISIONS = ("city", "region", "country", "dateline")
# Words that name no place however a gazetteer resolves them ("our Republic" is not
# Republic, Missouri; "Asia" not the Philippine town): the event keeps its text, not a point.
NOT_PLACES = frozenset(
    "republic country nation homeland motherland fatherland capital city region area world "
    "asia europe africa oceania pacific atlantic korea peninsula here there abroad home "
    "state".split()
)
HERE_WORDS = frozenset({"here"})
# The last word of a place written as a province or region ("Belgorod Region").
REGION_WORDS = frozenset(
    "region province oblast state prefecture county territory governorate krai district "
    "strip".split()
)

UNDATED = "9999-99-99"  # sorts after every date: undated events last, on one index


# ------------------------------------------------------------------------------------ dates

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def date_bounds(date: str | None) -> tuple[str, str]:
    """(first, last) padded day strings a date can mean; UNDATED for none or a bad one."""
    if not date or not _DATE.match(date):
        return UNDATED, UNDATED
    lo = date + "-00-00"[: 10 - len(date)]
    hi = date + "-99-99"[: 10 - len(date)]
    return lo, hi


def bound_low(value: str) -> str:
    """A since bound ("2024-07") as the padded first day its period can mean."""
    return date_bounds(value)[0]


def bound_high(value: str) -> str:
    return date_bounds(value)[1]


# ------------------------------------------------------------------------------------ actors


@dataclass(frozen=True)
class Identity:
    kind: str  # one of ACTOR_KINDS
    key: str  # "person:Kim Jong Un", "org:KCNA", "PRKGOV", "PRK"


def _kb() -> Any:
    from tidings import kb

    return kb.load()


@lru_cache(maxsize=8192)
def _name_kind(name: str) -> str:
    """Person or organisation for a resolved name: the KB's kind when it knows the name,
    else a person unless a word of it names an organisation."""
    entry = _kb().lookup(name)
    if entry is not None:
        if entry.kind == "person":
            return PERSON
        if entry.kind in ("group", "igo"):
            return ORGANISATION
        return COUNTRY
    words = [w.lower().strip(".,'’") for w in name.split()]
    if any(w in ORGANISATION_WORDS for w in words) or len(words) > 5:
        return ORGANISATION
    if all(w[:1].isupper() for w in name.split()):
        return PERSON
    return ORGANISATION


def _roll_up(country: str | None, code: str | None) -> Identity | None:
    code = (code or "").strip().upper()
    country = (country or "").strip().upper()
    if code and code != country:
        return Identity(SECTOR, code)
    if country:
        return Identity(COUNTRY, country)
    if code:
        return Identity(COUNTRY, code)
    return None


def resolve_actor(side: dict[str, Any] | None) -> Identity | None:
    """Who an event's source or target is (see the module docstring); None when unknown."""
    if not side:
        return None
    name = " ".join((side.get("name") or "").split())
    # A pronoun, or a name in lower case ("puppet military": a description, often a
    # pejorative), is no identity: the side is its roll-up.
    if name and name.lower() not in PRONOUNS and name[:1].isupper():
        kind = _name_kind(name)
        if kind in KEY_PREFIX:
            return Identity(kind, KEY_PREFIX[kind] + name)
    return _roll_up(side.get("country"), side.get("code"))


def actor_keys(side: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(key, kind) pairs an actor filter can find this side by: its identity, its sector
    code and its country (Kim Jong Un is found as himself, as PRKGOV and as PRK)."""
    if not side:
        return []
    out: dict[str, str] = {}
    ident = resolve_actor(side)
    if ident is not None:
        out[ident.key] = ident.kind
    roll = _roll_up(side.get("country"), side.get("code"))
    if roll is not None:
        out.setdefault(roll.key, roll.kind)
    country = (side.get("country") or "").strip().upper()
    if country:
        out.setdefault(country, COUNTRY)
    return list(out.items())


def kind_of_key(key: str) -> str:
    """The identity kind a key stands for (by its form)."""
    for kind, prefix in KEY_PREFIX.items():
        if key.startswith(prefix):
            return kind
    return COUNTRY if len(key) == 3 else SECTOR


def key_name(key: str) -> str:
    """The name inside a person or organisation key; a code as it is."""
    for prefix in KEY_PREFIX.values():
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


@lru_cache(maxsize=4096)
def key_label(key: str) -> str:
    """A readable label: the person's or organisation's name, the country's KB name, or
    "North Korea · government" for a sector code."""
    kind = kind_of_key(key)
    if kind in KEY_PREFIX:
        return key_name(key)
    if key == "IGO":
        return "International organisations"
    if kind == COUNTRY:
        entry = _kb().country(key)
        return entry.name if entry is not None else key
    country, sector = key[:3], key[3:]
    if country == "IGO":
        return f"International organisation {sector}"
    entry = _kb().country(country)
    cname = entry.name if entry is not None else country
    return f"{cname} · {SECTOR_NAMES.get(sector, sector)}"


# ------------------------------------------------------------------------------------ places


@dataclass(frozen=True)
class Geo:
    precision: str  # one of GEO_PRECISIONS
    place: str  # "PRK" (country) or "PRK/Pyongyang": the key of /events?place=
    name: str
    country: str | None
    lat: float
    lon: float


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 → (lat, lon) where a country-level event is drawn."""
    from tidings import data

    return {r["iso3"]: (float(r["lat"]), float(r["lon"])) for r in data.rows(data.CENTROIDS)}


def _gazetteer_kind(name: str) -> str | None:
    # where.py's own classification of a canonical place name (country / state / region /
    # city / site / sea); the coder does not put it on the event yet.
    from tidings import where

    return where._kind(name)


def _precision(text: str, name: str, country: str | None) -> str | None:
    kind = _gazetteer_kind(name)
    if kind == "country":
        return "country"
    if kind in ("state", "region"):
        return "region" if country else None
    if kind == "sea":
        return None
    last = text.lower().split()[-1] if text.split() else ""
    return "region" if last in REGION_WORDS else "city"


def geo_of(location: dict[str, Any] | None, sentence: str | None,
           dateline_place: str | None) -> Geo | None:
    """Where the map puts an event, and how precisely (module docstring); None: nowhere."""
    if not location:
        return None
    text = " ".join((location.get("text") or "").split())
    name = location.get("name") or text
    country = location.get("country")
    lat, lon = location.get("lat"), location.get("lon")
    if lat is None or lon is None or not text:
        return None
    bare = re.sub(r"^(the|our|this|that)\s+", "", text.lower())
    if bare in HERE_WORDS or (
        dateline_place and text == dateline_place and text not in (sentence or "")
    ):
        precision = "dateline"
    elif bare in NOT_PLACES:
        return None
    else:
        found = _precision(text, name, country)
        if found is None:
            return None
        precision = found
    if precision == "country" and country:
        lat, lon = centroids().get(country, (lat, lon))
        return Geo(precision, country, name, country, float(lat), float(lon))
    return Geo(precision, f"{country or '-'}/{name}", name, country, float(lat), float(lon))
