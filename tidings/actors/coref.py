"""Coreference, rule-based and left to right: the last step of the mentions stage.

Plural pronouns inside a foreign speaker's reported speech are the speaker's side
(``coref:speaker``); we/our are the outlet's country (``coref:outlet``); he/she/his the last
person, it/they/its the last country or organisation, "they" every member of the list that
one belongs to (``coref:pronoun``); a definite
description repeating a recent mention's head noun is that mention (``coref:definite``);
"the two sides" the last two parties (``coref:pair``); "they" after a sentence naming two
people of different countries, and plural descriptions of people ("the two leaders", "the
Vice Ministers"), those people (``coref:people``).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from .. import data
from ..model import Actor, Mention
from ..syntax import listed_appositions, words
from .common import AGENT_NOUNS, Builder, Work, has_of_phrase, make_actor

SPEECH_VERBS = frozenset(next(r["words"].strip().split("|") for r in data.rows(data.MODALITY)
                              if r["kind"] == "speech_verb"))
# Plural pronouns that, inside what a foreign speaker is reported to have said, stand for
# the speaker's side ("the chairperson of the ... Party of Romania said ... that they
# bitterly denounce the U.S."): KCNA reports foreign voices this way.
SPEAKER_PRONOUNS = {"they", "them", "their", "we", "us", "our", "i", "me", "my"}
MALE_FEMALE = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
NONPERSON = {"it", "its", "they", "them", "their", "theirs", "itself", "themselves"}
FIRST_PERSON = {"we", "our", "us", "ours"}
# "I express strong dissatisfaction": the signatory of a statement, or the official whose
# release it is, speaks for the outlet's state or the government (docs/annotation.md §10);
# inside quotation marks "I" is whoever is quoted, so only the unquoted singular counts.
SINGULAR_FIRST = {"i", "me", "my", "mine"}
PAIR_WORDS = {"side", "sides", "country", "countries", "party", "parties", "nation", "nations"}
# Plural descriptions of the people just named ("the two leaders", "the ministers", "the
# Deputy Secretary and the Vice Ministers"): docs/annotation.md §10, plural descriptions.
PEOPLE_WORDS = {"leader", "minister", "secretary", "president", "official", "counterpart",
                "chief", "head", "envoy", "diplomat", "premier", "delegation", "delegate"}
PLURAL_PRONOUNS = {"they", "them", "their"}
# Plural descriptions of the states a text just listed ("the countries involved", "these
# states", and a statement's "the forces involved ... will pay"): docs/annotation.md §6, one
# event per named state.
PLURAL_STATES = {"countries", "states", "nations", "forces"}
LIST_DETERMINERS = {"the", "these", "those", "such"}

# A resolver looks at one free token: True when the token is settled (later ones skip it).
Resolver = Callable[[Token, Work, list[Mention]], bool]


def coreference(w: Work) -> None:
    """Pronouns and descriptions → the most recent compatible mention, left to right; what
    each resolves is itself an antecedent for later ones."""
    existing = sorted(w.b.mentions, key=lambda m: m.tok_start)
    idx = 0
    recent: list[Mention] = []
    wd = words(w.doc)
    for i, tok in enumerate(w.tokens):  # (the shared list: position i holds token i)
        while idx < len(existing) and existing[idx].tok_start <= i:
            recent.append(existing[idx])
            idx += 1
        if w.b.owner[i] is not None or (wd.pos[i] not in RESOLVABLE_POS
                                        and wd.tag[i] not in PRONOUN_TAGS):
            continue  # a resolver reads only pronouns (_pronoun_like) and nouns
        for resolve in RESOLVERS:
            if resolve(tok, w, recent):
                break


# Every resolver looks only at pronouns and nouns: other tokens skip the seven calls.
RESOLVABLE_POS = frozenset({"PRON", "NOUN", "PROPN"})
PRONOUN_TAGS = frozenset({"PRP", "PRP$"})


def _pronoun_like(tok: Token) -> bool:
    return tok.pos_ == "PRON" or tok.tag_ in PRONOUN_TAGS


def _add_recent(m: Mention | None, recent: list[Mention]) -> None:
    if m is not None:
        recent.append(m)


def _copies(actors: list[Actor], text: str, named: bool = True) -> list[Actor]:
    """The actors as this text refers to them (``named``: keep their names)."""
    return [Actor(text=text, name=a.name if named else None, country=a.country,
                  sector=a.sector, code=a.code) for a in actors]


def speaker_pronoun(tok: Token, w: Work, recent: list[Mention]) -> bool:
    """"they", "we" inside a foreign speaker's reported words: the speaker's side."""
    if not _pronoun_like(tok) or tok.lower_ not in SPEAKER_PRONOUNS:
        return False
    speaker = _foreign_speaker(tok, w.b, w.home, w.settings.speaker_climb)
    if speaker is None:
        return False
    _add_recent(w.b.add(tok.i, tok.i + 1, tok.i, _copies(speaker.actors, tok.text, False),
                        "pronoun", "coref:speaker"), recent)
    return True


def pronoun(tok: Token, w: Work, recent: list[Mention]) -> bool:
    """we/our → the outlet's country ("Our people": the people's sector too); he/she and
    it/they → the most recent compatible mention."""
    if not _pronoun_like(tok):
        return False
    low = tok.lower_
    if (low in FIRST_PERSON or (low in SINGULAR_FIRST and not _quoted(tok))) and w.home:
        end = tok.i + 1
        sector = _first_person_sector(tok)
        if tok.dep_ == "poss" and sector and tok.head.i == tok.i + 1 \
                and w.b.owner[tok.head.i] is None:
            end = tok.head.i + 1  # "Our people"
        w.b.add(tok.i, end, end - 1, [make_actor(w.doc[tok.i:end].text, country=w.home,
                sector=sector)], "pronoun", "coref:outlet")
        return True
    want_person = low in MALE_FEMALE
    if not want_person and low not in NONPERSON:
        return True
    ante = _antecedent(recent, tok, want_person, w.settings.coref_window_chars)
    if ante is not None:
        actors = ante.actors
        if low in PLURAL_PRONOUNS:
            # "Among them were A, B and C. They laid ...": "they" is the whole list
            listed = _list_of(ante, _owners(recent), tok.doc)
            actors = listed if len(listed) >= 2 else actors
        _add_recent(w.b.add(tok.i, tok.i + 1, tok.i, _copies(actors, tok.text),
                            "pronoun", "coref:pronoun", want_person), recent)
    return True


def definite(tok: Token, w: Work, recent: list[Mention]) -> bool:
    """"the special envoy", "the delegation", "the Deputy Secretary" after a mention with
    that head noun."""
    if tok.dep_ in {"compound", "amod"} or not (
            tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.lower_ in PEOPLE_WORDS)):
        return False
    ante = _same_head_antecedent(recent, tok, w.settings.definite_window_chars)
    if ante is None:
        return False
    start = min(c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound"})
    # (kind of the antecedent: a pronoun may refer on to it, unlike a pair)
    _add_recent(w.b.add(start, tok.i + 1, tok.i,
                        _copies(ante.actors, w.doc[start : tok.i + 1].text), ante.kind,
                        "coref:definite", ante.person), recent)
    return True


def pair(tok: Token, w: Work, recent: list[Mention]) -> bool:
    """"the two sides", "both countries" → the last two parties named."""
    if tok.lower_ not in PAIR_WORDS or tok.pos_ != "NOUN":
        return False
    if not {c.lower_ for c in tok.lefts} & {"two", "both"}:
        return False
    parties = _last_pair(recent, tok)
    if parties:
        start = min(c.i for c in tok.lefts if c.dep_ in {"det", "nummod", "predet"}
                    or c.lower_ in {"two", "both"})
        w.b.add(start, tok.i + 1, tok.i, _copies(parties, w.doc[start : tok.i + 1].text),
                "description", "coref:pair")
    return True


def plural_people(tok: Token, w: Work, recent: list[Mention]) -> bool:
    """"the two leaders", "both ministers", "the Vice Ministers" → the people named before
    (every recent person with that title's head noun, else the last two parties): a readout
    names its parties, then tells what they did together."""
    if tok.pos_ not in {"NOUN", "PROPN"} or _singular(tok.lower_) not in PEOPLE_WORDS \
            or _singular(tok.lower_) == tok.lower_ \
            or not any(c.dep_ == "det" and c.lower_ in {"the", "both"} or c.lower_ in {"two",
                       "both"} for c in tok.lefts):
        return False
    if has_of_phrase(tok):
        return False  # "the ministers of Laos": named there, by the mentions stage
    window = w.settings.definite_window_chars
    people = _titled(recent, tok, window) or _last_people(_window(recent, tok, window))
    if len({a.country for a in people}) < 2:
        return False
    start = min([c.i for c in tok.lefts if c.dep_ in {"det", "nummod", "predet", "amod",
                                                       "compound"}] + [tok.i])
    _add_recent(w.b.add(start, tok.i + 1, tok.i, _copies(people, w.doc[start: tok.i + 1].text),
                        "description", "coref:people", True), recent)
    return True


def plural_pronoun(tok: Token, w: Work, recent: list[Mention]) -> bool:
    """"They condemned ...", "their support": the two people of different countries named
    together in the sentence before (a readout's parties), when no foreign speaker's words
    hold the pronoun."""
    if not _pronoun_like(tok) or tok.lower_ not in PLURAL_PRONOUNS or tok.i == 0:
        return False
    sent = tok.sent  # (spaCy walks to the sentence's start at each ask)
    # this sentence and the one before it, one run of tokens
    first = tok.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    actors = _last_people([m for m in reversed(recent)
                           if first <= m.tok_start < sent.end and m.tok_end <= tok.i])
    if len(actors) < 2:
        return False
    _add_recent(w.b.add(tok.i, tok.i + 1, tok.i, _copies(actors, tok.text), "pronoun",
                        "coref:people", True), recent)
    return True


def _last_people(latest_first: list[Mention]) -> list[Actor]:
    """One actor each of the two latest people of different countries (a readout's two
    parties), or fewer when no such pair was named."""
    found: list[Actor] = []
    for m in latest_first:
        if not m.person or m.kind == "description":
            continue
        a = next((a for a in m.actors if a.country), None)
        if a is not None and all(a.country != f.country for f in found):
            found.append(a)
        if len(found) == 2:
            return list(reversed(found))
    return found


def _singular(word: str) -> str:
    """"ministers" → "minister", "secretaries" → "secretary" (the tagger leaves capitalised
    plurals such as "the Vice Ministers" unlemmatised)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _titled(recent: list[Mention], tok: Token, window: int) -> list[Actor]:
    """Every recent person whose mention holds the description's head noun ("Vice Foreign
    Minister Mori", "First Vice Foreign Minister Cho" for "the Vice Ministers")."""
    head = _singular(tok.lower_)
    doc = tok.doc
    found: list[Actor] = []
    for m in _window(recent, tok, window):
        if m.person and any(t.lower_ == head for t in doc[m.tok_start: m.tok_end]):
            found += [a for a in m.actors if a.country
                      and all(a.country != f.country for f in found)]
    return found


def plural_states(tok: Token, w: Work, recent: list[Mention]) -> bool:
    """"the countries involved", "these states" → the countries of the last list of two or
    more named before ("Japan, Canada and Britain, which joined it ... The countries involved
    will pay"): a statement names the states, then says what awaits them together."""
    if tok.pos_ != "NOUN" or tok.lower_ not in PLURAL_STATES or has_of_phrase(tok) \
            or not any(c.dep_ == "det" and c.lower_ in LIST_DETERMINERS for c in tok.lefts) \
            or any(c.lower_ in {"two", "both"} for c in tok.lefts):
        return False
    listed = _own_members(tok, w.b)
    if not listed:
        listed = _last_list(_window(recent, tok, w.settings.definite_window_chars), tok)
        if len(listed) < 2:
            return False
    start = min(c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound"})
    _add_recent(w.b.add(start, tok.i + 1, tok.i, _copies(listed, w.doc[start: tok.i + 1].text),
                        "description", "coref:states"), recent)
    return True


# The prepositions by which a plural description names its own members ("the countries
# concerned including A and B", "these states, such as A and B"): guide §10, plural
# descriptions.
MEMBER_PREPS = frozenset({"including", "as"})


def _own_members(tok: Token, b: Builder) -> list[Actor]:
    """One actor per country of the members a description names itself, in an "including"
    or "such as" phrase on it or on its participle ("the countries concerned including the
    United States and Egypt"); none when it names none."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "acl")]
    found: list[Actor] = []
    for prep in (c for h in heads for c in h.children if c.dep_ == "prep"):
        if prep.lower_ not in MEMBER_PREPS or (prep.lower_ == "as" and not any(
                c.lower_ == "such" for c in prep.children)):
            continue
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            for t in [obj, *obj.conjuncts]:
                m = b.owner[t.i]
                _add_countries(found, m.actors if m is not None else [])
    return found


def _add_countries(countries: list[Actor], actors: list[Actor]) -> None:
    """Append each of ``actors`` whose country ``countries`` lacks (a list is one actor per
    country, in the order they are named)."""
    for a in actors:
        if a.country and all(a.country != c.country for c in countries):
            countries.append(a)


def _last_list(recent: list[Mention], tok: Token) -> list[Actor]:
    """The countries of the last coordinated list of mentions before ``tok`` ("A, B and C");
    ``recent`` comes latest first (``_window``)."""
    owner = _owners(recent)
    for m in recent:
        if m.tok_end > tok.i:
            continue
        countries = _list_of(m, owner, tok.doc)
        if len(countries) >= 2:
            return countries
    return []


def _owners(mentions: list[Mention]) -> dict[int, Mention]:
    return {i: m for m in mentions for i in range(m.tok_start, m.tok_end)}


def _list_of(m: Mention, owner: dict[int, Mention], doc: Doc) -> list[Actor]:
    """One actor per country of the coordinated list ``m`` belongs to ("A, B and C", also
    read as appositions: ``syntax.listed_appositions``), or nothing when ``m`` is listed
    with no other mention. A country that ends a listed phrase stands for it ("the
    Democratic Party of Equatorial Guinea")."""
    tok = doc[m.head]
    while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.i in owner:
        tok = tok.head.head
    top = tok
    while top.dep_ in {"conj", "appos"} and top.head.i != top.i:
        top = top.head
    words = [*top.conjuncts, *listed_appositions(top)]
    if not words:
        return []
    group = [m]
    for t in (top, *words):
        if t.i in owner and all(owner[t.i] is not g for g in group):
            group.append(owner[t.i])
    if len(group) < 2:  # listed beside words that name no one: no list of actors
        return []
    countries: list[Actor] = []
    for g in group:
        _add_countries(countries, g.actors)
    return countries


# The resolvers, in the order they look at a token.
RESOLVERS: tuple[Resolver, ...] = (speaker_pronoun, plural_pronoun, pronoun, plural_people,
                                   plural_states, definite, pair)


def _quoted(tok: Token) -> bool:
    """The token sits inside quotation marks opened earlier in its sentence."""
    before = tok.doc[tok.sent.start : tok.i].text
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _first_person_sector(tok: Token) -> str | None:
    if tok.dep_ == "poss":
        return AGENT_NOUNS.get(tok.head.lemma_.lower())
    return None


def _antecedent(recent: list[Mention], tok: Token, want_person: bool,
                window: int) -> Mention | None:
    """Most recent compatible mention within ``window`` characters; subjects first for
    subject/possessive pronouns.

    News keeps its topic in subject position ("The Supreme Leader met Putin ... His first
    visit"), so a pronoun that is itself a subject or possessor prefers the last subject; an
    object pronoun never takes the subject of its own verb ("X had talks with him").
    """
    cands = [m for m in _window(recent, tok, window)
             if m.kind != "description" and m.person == want_person
             and not (not want_person and tok.lower_ in {"it", "its", "itself"}
                      and len(m.actors) > 1)]
    if not cands:
        return None
    doc = tok.doc
    if tok.dep_ in {"nsubj", "nsubjpass", "poss"}:
        return next((m for m in cands if doc[m.head].dep_ in {"nsubj", "nsubjpass"}), cands[0])
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    for m in cands:
        h = doc[m.head]
        if h.dep_ in {"nsubj", "nsubjpass"} and h.head.i in {verb.i, verb.head.i}:
            continue
        return m
    return cands[0]


def _window(recent: list[Mention], tok: Token, window: int) -> list[Mention]:
    """Recent mentions with a country before ``tok``, the latest first, ending ``window``
    characters before it."""
    out: list[Mention] = []
    idx, i = tok.idx, tok.i  # (spaCy computes each on every read)
    for m in reversed(recent):
        if idx - m.end > window:
            break
        if m.tok_end > i or not m.actors or m.actors[0].country is None:
            continue
        out.append(m)
    return out


def reported_sayer(start: Token, steps: int, climb: int) -> Token | None:
    """The subject of the speech verb whose "that" clause ``start`` sits in, at most
    ``steps`` heads up ("said that ..., adding that ... and that they denounce": the one who
    said also adds; ``climb`` speech verbs up), or None."""
    cur = start
    for _ in range(steps):
        if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in SPEECH_VERBS:
            for verb in [cur.head, *list(cur.head.ancestors)[:climb]]:
                if verb.lemma_.lower() in SPEECH_VERBS:
                    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                    if subj is not None:
                        return subj
            return None
        if cur.head is cur:
            return None
        cur = cur.head
    return None


def _foreign_speaker(tok: Token, b: Builder, home: str | None, climb: int) -> Mention | None:
    """The speaker of the reported speech a plural pronoun sits in, when that speaker is not
    the outlet's own state: "we"/"they" in it are the speaker's side."""
    subj = reported_sayer(tok.head, climb, climb)
    m = b.owner[subj.i] if subj is not None else None
    if m is None or m.kind == "pronoun" or not m.actors:
        return None
    country = m.actors[0].country
    if country is None or country == home or country == "IGO":
        return None
    return m


def _same_head_antecedent(recent: list[Mention], tok: Token, window: int) -> Mention | None:
    """A definite description that repeats the head noun of a recent mention refers to it:
    "special envoy of the DPRK government Ri Ho Jun ... The special envoy met ...", "the
    Russian delegation ... the delegation". Only "the" + noun with no "of" complement of its
    own (which would name someone else), within ``window`` characters."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts):
        return None
    if has_of_phrase(tok):
        return None
    lemma = tok.lemma_.lower()
    nouns = _noun_lemmas(tok.doc)
    for m in _window(recent, tok, window):
        if lemma in nouns[m.tok_start : m.tok_end]:
            return m
    return None


# The noun lemmas of the last Doc asked about (one slot, as syntax.sentences): definite
# descriptions look through every recent mention's words, and spaCy makes a new Token object
# at each look.
_NOUNS: tuple[Doc, list[str | None]] | None = None


def _noun_lemmas(doc: Doc) -> list[str | None]:
    """Per token of ``doc``: its lower-cased lemma if a noun or proper noun, else None."""
    global _NOUNS
    last = _NOUNS
    if last is not None and last[0] is doc:
        return last[1]
    wd = words(doc)
    found: list[str | None] = [lemma if pos in NOUN_POS else None
                               for pos, lemma in zip(wd.pos, wd.lemma, strict=True)]
    _NOUNS = (doc, found)
    return found


NOUN_POS = frozenset({"NOUN", "PROPN"})


def _last_pair(recent: list[Mention], tok: Token) -> list[Actor] | None:
    """The last two different countries mentioned before tok: "the two countries"."""
    seen: list[Actor] = []
    for m in reversed(recent):
        if m.tok_end > tok.i:
            continue
        for a in m.actors:
            if a.country and all(a.country != s.country for s in seen):
                seen.append(a)
        if len(seen) >= 2:
            return list(reversed(seen[:2]))
    return None
