"""The named-mention steps of the mentions stage, in order (see ``stage.STEPS``): each adds
mentions to the article's Builder, where earlier steps own their tokens."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token
from spacy.util import filter_spans

from .. import data
from ..kb import Entry, KnowledgeBase
from ..model import Actor, Mention, MentionKind
from ..syntax import entities, sentences, tokens_with, words
from .common import (
    MODIFIER_DEPS,
    ROLE_NOUNS,
    Builder,
    Work,
    adjective,
    city,
    compound_chain,
    left_edge,
    make_actor,
    matchers,
    noun_sector,
    of_mention,
    span_root,
    text_of,
    title_of,
)

# Prepositions after an acting noun that name its organisation or country ("a court in
# Argentina", "doctors from American aid groups"); titles take only "of".
LOCATIVE_PREPS = data.having(data.PREPOSITIONS, "member-of")
TITLE_PREPS = frozenset(LOCATIVE_PREPS) | {"of"}  # the first step of either kind of chain
# Words that make a body named for two countries the first one's friendship body
# (actors/friendship_words.txt, docs/annotation.md §6).
FRIENDSHIP_WORDS = frozenset(data.words(data.FRIENDSHIP_WORDS))
# Sectors of sub-state agents that CAMEO codes under the country where they act; GOV, MIL,
# MED, BUS... are left out because officials, troops, reporters and firms act abroad too.
SUB_STATE_SECTORS = {"REB", "COP", "JUD", "OPP", "LAB", "EDU", "REF", "CVL", "AGR", "HLH"}
# Government nouns that name the government of the place itself ("authorities in Amman"),
# unlike "officials" or "the government", which may be foreign ones acting there.
LOCAL_GOV_NOUNS = {"authority", "authorities"}
# Prepositions that set a sentence's action in a country ("in", "at", "near" ...).
LOCATION_PREPS = data.having(data.PREPOSITIONS, "agent-place")
# CAMEO's agent code for an ethnic group (CAMEO manual, "ETH").
ETHNIC_SECTOR = "ETH"
# Bodies a leader's name can stand for ("the Bush administration", "Assad regime"): the
# state sectors of sectors.tsv; "Putin's troops" stays with the troops' own coding.
STATE_BODY_SECTORS = {"GOV", "LEG"}
# Determiners of a title that name no one in particular ("a minister", "some officials").
INDEFINITE = {"a", "an", "any", "some", "every"}


# ---------------------------------------------------------------------------------------------
# 1. KB phrases


def kb_phrases(w: Work) -> None:
    """KB phrases, longest first: people now (with the titles written before them), the
    rest kept for the country-word step. The phrase table only finds candidates: the KB's
    own date- and case-aware lookup decides, so lower-case "turkey", "china", "us" (English
    words) are dropped."""
    doc = w.doc
    w.spans = filter_spans([doc[s:e] for m in matchers(doc, w.kb) for _, s, e in m(doc)])
    for span in w.spans:
        entry = w.kb.lookup(span.text, w.date)
        if entry is None:
            continue
        if entry.kind != "person":
            w.pending.append((span, entry))
            continue
        start = left_edge(span.root, 0) if span.root.i == span.end - 1 else span.start
        start = min(start, span.start)
        text = doc[start : span.end].text
        office = _igo_office(doc[start : span.start], w)
        actor = make_actor(text, entry) if office is None else make_actor(
            text, country=office.country, sector=office.sector, name=entry.name)
        w.b.add(start, span.end, span.root.i, [actor], "name",
                "kb:person" if office is None else "kb:person+igo-office", True)


def _igo_office(prefix: Span, w: Work) -> Entry | None:
    """The international organisation whose office a title before a name holds: "U.N.
    mediator Diego Cordovez" mediates for the UN, not for Ecuador (the PLOVER GSR codes IGO).
    Needs the organisation and a title or acting noun between it and the name."""
    if not len(prefix):
        return None
    igo = None
    for sp in w.spans:
        if prefix.start <= sp.start and sp.end <= prefix.end:
            e = w.kb.lookup(sp.text, w.date)
            if e is not None and e.country == "IGO":
                igo = (sp, e)
    if igo is None:
        return None
    rest = [t for t in prefix if not (igo[0].start <= t.i < igo[0].end)]
    if not rest or not (title_of(rest, w.kb) or any(noun_sector(t, w.kb)[0] for t in rest)):
        return None
    return igo[1]


# ---------------------------------------------------------------------------------------------
# 2. country words


def country_words(w: Work) -> None:
    """Country words alone, or modifying an acting noun, a title or an unknown person:
    "Russian troops" → RUS MIL, "the Russian Foreign Minister" → the title's dated holder."""
    for span, entry in w.pending:
        if w.b.owner[span.start] is not None:
            continue  # taken into a group mention with a neighbour ("DPRK-Syria Committee")
        root = span_root(span)
        head = _acting_head(root)
        mod_dep = root.dep_ in MODIFIER_DEPS or root.dep_ == "poss"
        if mod_dep and head.i >= span.end and head.pos_ in {"NOUN", "PROPN"}:
            if (own := w.b.owner[head.i]) is not None and own.person:
                continue  # "Russian Foreign Minister Sergei Lavrov": the name already won
            if _modified_noun(w, span, entry, root, head):
                continue
        kind: MentionKind = "igo" if entry.country == "IGO" else (
            "country" if entry.kind == "country" else "group")
        w.b.add(span.start, span.end, root.i, [make_actor(span.text, entry)], kind,
                "kb:" + entry.kind)


# The home outlet's bare names of its own ruling party (groups.tsv: KCNA's capitalised "the
# Party" is the WPK), which a longer proper name may begin with.
BARE_PARTY = frozenset({"the party", "party"})
# The prepositions that carry a party's name on ("the Party of Socialists", "the Party for
# Peace and Unity").
NAME_PREPS = frozenset({"of", "for"})
PARTY_PREPS = NAME_PREPS | {"in"}


def named_parties(w: Work) -> None:
    """"The Party for Peace and Unity of Russia", "the Party of Socialists in the Republic
    of Moldova": a bare "the Party" that begins a longer proper name is that party, not the
    WPK of groups.tsv; it takes the country its name gives, and without one it names no
    known actor (the mention goes)."""
    for m in list(w.b.mentions):
        if m.kind != "group" or m.person or text_of(w.doc, m).lower() not in BARE_PARTY:
            continue
        head = w.doc[m.tok_end - 1]
        if not _begins_name(head):
            continue
        # the name and where it says the party is ("... of Socialists in the Republic of
        # Moldova": the parser hangs both phrases on "Party")
        phrases = [p for p in head.rights if p.dep_ == "prep" and p.lower_ in PARTY_PREPS]
        inner = next((o for p in phrases for t in p.subtree if (o := w.b.owner[t.i])
                      is not None and o is not m and o.actors and o.actors[0].country), None)
        if inner is None:
            w.b.remove(m)
        else:
            m.actors = [make_actor(text_of(w.doc, m), country=inner.actors[0].country)]
            m.rule += "+named"


def _begins_name(head: Token) -> bool:
    """Whether a preposition right after the noun goes on with a capitalised word: the rest
    of a proper name ("Party | of Socialists", "Party | for Peace")."""
    nxt = head.nbor(1) if head.i + 1 < len(head.doc) else None
    if nxt is None or nxt.lower_ not in NAME_PREPS or nxt.head.i != head.i:
        return False
    after = next((t for t in nxt.doc[nxt.i + 1: nxt.i + 3] if t.lower_ != "the"), None)
    return after is not None and after.text[:1].isupper()


def _acting_head(root: Token) -> Token:
    """The noun a country word modifies, through the title words that lean on a name
    ("German Foreign Minister Oskar Fischer") and the proper-noun modifiers of a common noun
    ("Sri Lankan Tamil rebels", "Bosnian Serb forces": a people, not a person)."""
    head = root.head
    while head.dep_ == "compound" and head.head.pos_ == "PROPN" and head.head.i > head.i:
        head = head.head
    while head.dep_ in {"compound", "amod"} and head.pos_ == "PROPN" \
            and head.head.pos_ == "NOUN" and head.head.i > head.i:
        head = head.head
    return head


def _modified_noun(w: Work, span: Span, entry: Entry, root: Token, head: Token) -> bool:
    """Code the phrase a country word modifies, if it names an actor: an unknown person with
    a nationality, a title with its holder, an acting group. False when it names none, or
    when another mention already holds part of the phrase."""
    countries = _countries_of(w, span, entry, root, head)
    chain = compound_chain(head)
    title = title_of([t for t in chain if t.i >= span.end
                      and not (t.ent_type_ == "PERSON" and t.pos_ == "PROPN")], w.kb)
    start = min(span.start, left_edge(head, 0))
    text = w.doc[start : head.i + 1].text
    if head.ent_type_ == "PERSON" and head.pos_ == "PROPN":
        # an unknown person with a nationality: "German Foreign Minister X"
        sector = title[1] if title else None
        name = " ".join(t.text for t in chain if t.ent_type_ == "PERSON") or None
        acts = [make_actor(text, country=c.country, sector=sector, name=name) for c in countries]
        return w.b.add(start, head.i + 1, head.i, acts, "name", "kb:country+person",
                       True) is not None
    if title and len(countries) == 1:
        role, tsector = title
        holder = w.kb.holder(entry.country, role, w.date) if w.date else None
        actor = make_actor(text, holder) if holder is not None else make_actor(
            text, country=entry.country, sector=tsector)
        return w.b.add(start, head.i + 1, head.i, [actor], "title", "kb:title",
                       True) is not None
    agentive, sector = noun_sector(head, w.kb)
    if not agentive:
        # (an adjective names the kind of thing, not who acts: "joint military drills")
        for t in (t for t in chain[:-1] if t.pos_ != "ADJ"):
            agentive, sector = noun_sector(t, w.kb)
            if agentive:
                break
    if not agentive:
        return False
    acts = [make_actor(text, country=c.country, sector=sector, name=c.name) for c in countries]
    # (a phrase another mention already cuts into leaves the country word its own mention)
    return w.b.add(start, head.i + 1, head.i, acts, "group", "kb:adjective+noun") is not None


def _countries_of(w: Work, span: Span, entry: Entry, root: Token,
                  head: Token) -> list[Entry | Actor]:
    """The country word's country, the other country words before the head ("the DPRK-Syria
    Joint Economic Committee") and conjoined nationalities ("Hungarian and Romanian
    officials"). A friendship body is the first-named country's only: "the Nigeria-Korea
    Friendship Society" is Nigerian (docs/annotation.md §6, ``FRIENDSHIP_WORDS``)."""
    countries: list[Entry | Actor] = [entry]
    friendship = any(t.lower_ in FRIENDSHIP_WORDS for t in w.doc[span.end: head.i + 1])
    for other_span, other in w.pending:
        if span.end <= other_span.start and other_span.end <= head.i \
                and other.kind == "country" and not friendship \
                and all(other.country != c.country for c in countries):
            countries.append(other)
    for conj in root.conjuncts:
        iso = adjective(w.kb, conj.text)
        if iso:
            countries.append(_country_entry(w.kb, iso))
    return countries


def _country_entry(kb: KnowledgeBase, iso: str) -> Entry | Actor:
    entry = kb.country(iso)
    if entry is not None:
        return entry
    return Actor(text=iso, name=None, country=iso)


# ---------------------------------------------------------------------------------------------
# 3. bodies of state, cities, "of" chains


def leader_bodies(w: Work) -> None:
    """A leader's name on a body of state: "the Bush administration", "Assad regime",
    "Putin's government" are that leader's country's government (CAMEO codes them so)."""
    b, doc = w.b, w.doc
    for m in list(b.mentions):
        if not m.person or len(m.actors) != 1 or not m.actors[0].country:
            continue
        root = doc[m.head]
        head = root.head
        if root.dep_ not in {"compound", "poss"} or head.i < m.tok_end \
                or b.owner[head.i] is not None or head.pos_ not in {"NOUN", "PROPN"}:
            continue
        agentive, sector = noun_sector(head, w.kb)
        if not agentive or sector not in STATE_BODY_SECTORS:
            continue
        start = left_edge(head, 0)
        if b.free(start, m.tok_start) and b.free(m.tok_end, head.i + 1):
            b.remove(m)
            first = min(start, m.tok_start)
            b.add(first, head.i + 1, head.i,
                  [make_actor(doc[first : head.i + 1].text, country=m.actors[0].country,
                              sector=sector)], "group", "kb:leader+body")


def city_agents(w: Work) -> None:
    """An agent named with its city: "an Istanbul court", "Cleveland officials", "Delhi
    Police" act under the city's state (the gazetteer places the city)."""
    b, doc = w.b, w.doc
    for tok in w.tokens:
        # (the tagger often takes "Delhi Police" whole for an ORG)
        if tok.ent_type_ not in {"GPE", "ORG"} or b.owner[tok.i] is not None \
                or tok.dep_ not in {"compound", "amod", "nmod"} or tok.pos_ != "PROPN":
            continue
        head = tok.head
        while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in {
                "NOUN", "PROPN"}:
            head = head.head
        if head.i <= tok.i or b.owner[head.i] is not None:
            continue
        agentive, sector = noun_sector(head, w.kb)
        if not agentive:
            continue
        ent = next((e for e in entities(doc) if e.start <= tok.i < e.end), None)
        name = ent.text if ent is not None and tok.ent_type_ == "GPE" else tok.text
        place = city(name, tok.sent, b)
        if place is None or not place.country:
            continue
        start = left_edge(head, 0)
        if b.free(start, head.i + 1):
            b.add(start, head.i + 1, head.i,
                  [make_actor(doc[start : head.i + 1].text, country=place.country,
                              sector=sector)], "group", "gazetteer:city+noun")


def titles_of(w: Work) -> None:
    """A title or acting noun + "of" + a resolved organisation or country: "Chairwoman of
    Federation Council of Russia", "director of the ... WPK Central Committee"."""
    pos = words(w.doc).pos
    for i, tok in enumerate(w.tokens):
        if w.b.owner[i] is not None or pos[i] not in {"NOUN", "PROPN"} \
                or not any(p.dep_ == "prep" and p.lower_ in TITLE_PREPS for p in tok.rights):
            continue  # (of_mention's first step needs one: the cheap test first)
        chain = compound_chain(tok)
        title = title_of(chain, w.kb)
        if title is None and tok.lemma_.lower() in ROLE_NOUNS:
            title = ("", ROLE_NOUNS[tok.lemma_.lower()])
        agentive, sector = (False, None) if title else noun_sector(tok, w.kb)
        if not title and not agentive:
            continue
        if tok.dep_ == "appos" and (own := w.b.owner[tok.head.i]) is not None and own.person:
            continue  # "Putin, president of the Russian Federation": the name decides
        inner = of_mention(tok, w.b, LOCATIVE_PREPS if agentive else {"of"},
                           w.settings.of_chain_steps)
        if inner is None or not inner.actors or inner.actors[0].country is None:
            continue
        start = min(left_edge(tok, 0), chain[0].i)
        if title:
            _title_of_body(w, tok, start, inner, title)
        else:
            org = inner.actors[0]
            actor = make_actor(w.doc[start : inner.tok_end].text, country=org.country,
                               sector=sector or org.sector)
            w.b.add(start, inner.tok_end, tok.i, [actor], "group", "kb:noun-of", replace=True)


def _title_of_body(w: Work, tok: Token, start: int, inner: Mention,
                   title: tuple[str, str | None]) -> None:
    """A title of a country (its dated holder, if the KB knows one) or of a body."""
    org = inner.actors[0]
    role, tsector = title
    holder = None
    if role and w.date and inner.kind in {"country", "metonym"} and org.country:
        holder = w.kb.holder(org.country, role, w.date)
    text = w.doc[start : inner.tok_end].text
    actor = make_actor(text, holder) if holder is not None else make_actor(
        text, country=org.country, sector=org.sector if inner.kind == "group"
        and org.sector else tsector)
    w.b.add(start, inner.tok_end, tok.i, [actor], "title", "kb:title-of", True, replace=True)


def bodies_of_country(w: Work) -> None:
    """A generic body named with its country takes that country: "the Joint Chiefs of Staff
    of the ROK"."""
    b, doc = w.b, w.doc
    for m in list(b.mentions):
        if m.kind not in {"group", "igo"} or m.person or len(m.actors) != 1:
            continue
        inner = None
        for t in doc[m.tok_start : m.tok_end]:
            for prep in t.rights:
                if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i >= m.tok_end:
                    pobj = next((c for c in prep.rights if c.dep_ == "pobj"), None)
                    inner = b.owner[pobj.i] if pobj is not None else None
        if inner is None or inner.person or not inner.actors:
            continue
        mine, outer = m.actors[0], inner.actors[0]
        if outer.country and outer.country != mine.country:
            m.actors = [make_actor(text_of(doc, m), country=outer.country, sector=mine.sector)]
            m.rule += "+of-country"


def igo_offices(w: Work) -> None:
    """A person in an international organisation's office acts for it, whatever their
    nationality: "Kenzo Oshima, the United Nations Emergency Relief Coordinator"."""
    for m in list(w.b.mentions):
        if not m.person or m.kind != "name" or len(m.actors) != 1 \
                or m.actors[0].country == "IGO":
            continue
        for app in (c for c in w.doc[m.head].rights if c.dep_ == "appos"):
            igo = _apposed_igo(app, w)
            if igo is None:
                continue
            post = igo.actors[0]
            m.actors = [make_actor(text_of(w.doc, m), country=post.country, sector=post.sector,
                                   name=m.actors[0].name)]
            m.rule += "+igo-office"
            break


def _apposed_igo(app: Token, w: Work) -> Mention | None:
    """The IGO of an apposed title: the apposition read as an IGO title already, or an IGO
    in its compound chain with a title or acting noun."""
    own = w.b.owner[app.i]
    if own is not None and own.kind == "title" and own.actors \
            and own.actors[0].country == "IGO":
        return own
    chain = compound_chain(app)
    igo = next((o for t in chain if (o := w.b.owner[t.i]) is not None and o.kind == "igo"),
               None)
    if igo is None or not (title_of([t for t in chain if w.b.owner[t.i] is None], w.kb)
                           or noun_sector(app, w.kb)[0]):
        return None
    return igo


def _group_words(role: str) -> dict[str, str]:
    return {r["word"]: r["name"] for r in data.rows(data.INFORMAL_GROUPS) if r["role"] == role}


# docs/annotation.md §6: the words of an informal group of states, by role (word → group name)
GROUP_NAMES = _group_words("name")
GROUP_MODIFIERS = _group_words("modifier")
GROUP_NOUNS = frozenset(_group_words("noun"))
GROUP_POSSESSED = _group_words("possessed")
# Every word a group can end on: a word outside it heads no group (the step asks every word).
GROUP_HEADS = frozenset(GROUP_NAMES) | GROUP_NOUNS | frozenset(GROUP_POSSESSED)
# how far before a group noun its modifier may stand: "its vassal forces", "Western armed
# forces" (one word between; a longer phrase names something else)
GROUP_MODIFIER_REACH = 2
# the possessors that make "followers" a state's ("its followers", "their followers")
STATE_PRONOUNS = frozenset({"its", "their"})


def informal_groups(w: Work) -> None:
    """Informal groups of states ("the West", "Western countries", "its vassal forces",
    "the U.S. and its followers") act as one IGO actor (guide §6): state media condemn the
    group beside its leader, and without it the group's half of "the U.S. and its vassal
    forces" had no actor at all."""
    lower = words(w.doc).lower
    for i, tok in enumerate(w.tokens):  # (the shared list: position i holds token i)
        if lower[i] not in GROUP_HEADS:
            continue
        found = _informal_group(tok, w)
        if found is not None:
            start, name = found
            w.b.add(start, tok.i + 1, tok.i, [make_actor(
                w.doc[start: tok.i + 1].text, country="IGO", name=name)], "igo",
                "group:informal")


def _informal_group(tok: Token, w: Work) -> tuple[int, str] | None:
    """(first token, group name) of the group ``tok`` heads, if it heads one (the caller
    asks only at words in GROUP_HEADS)."""
    if tok.text.istitle() and tok.lower_ in GROUP_NAMES and tok.dep_ != "compound" \
            and tok.pos_ == "PROPN":
        return tok.i, GROUP_NAMES[tok.lower_]  # "the West", not "the West Sea"
    if tok.tag_ == "NNS" and tok.lower_ in GROUP_NOUNS:
        # the modifier words just before the noun, however parsed ("the U.S. and Western
        # countries" hangs "Western" on "U.S." as its conjunct)
        for mod in w.doc[max(tok.left_edge.i, tok.i - GROUP_MODIFIER_REACH): tok.i]:
            if mod.lower_ in GROUP_MODIFIERS and mod.pos_ in {"ADJ", "NOUN", "PROPN", "VERB"} \
                    and not (mod.i and w.doc[mod.i - 1].text == "-"):  # "anti-Western forces"
                return mod.i, GROUP_MODIFIERS[mod.lower_]
    if tok.lower_ in GROUP_POSSESSED and any(
            c.dep_ == "poss" and (c.lower_ in STATE_PRONOUNS or _country_owned(c, w))
            for c in tok.children):
        return tok.i, GROUP_POSSESSED[tok.lower_]
    return None


def _country_owned(tok: Token, w: Work) -> bool:
    own = w.b.owner[tok.i]
    return own is not None and own.kind == "country"


# ---------------------------------------------------------------------------------------------
# 4. named entities, peoples, located agents


def named_entities(w: Work) -> None:
    """Named entities the matcher missed, looked up in the KB; a demonym is its country; an
    unknown person named before, or placed by an apposed title ("Kim Song Nam, director of
    ...") takes that country."""
    b = w.b
    for ent in entities(w.doc):
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"} or not b.free(ent.start, ent.end):
            continue
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        entry = w.kb.lookup(text, w.date)
        if entry is not None:
            kind: MentionKind = "name" if entry.kind == "person" else (
                "igo" if entry.country == "IGO" else "group")
            b.add(ent.start, ent.end, ent.root.i, [make_actor(ent.text, entry)], kind,
                  "ner:kb", entry.kind == "person")
        elif ent.label_ == "NORP":
            iso = adjective(w.kb, text)
            if iso:
                b.add(ent.start, ent.end, ent.root.i, [make_actor(ent.text, country=iso)],
                      "group", "ner:demonym")
        elif ent.label_ == "PERSON":
            _unknown_person(ent, w)


def _unknown_person(ent: Span, w: Work) -> None:
    known = _known_person(ent, w.b)
    if known is not None:  # "Alexandr Galushka" again, or just "Galushka"
        w.b.add(ent.start, ent.end, ent.root.i,
                [Actor(text=ent.text, name=known.name, country=known.country,
                       sector=known.sector, code=known.code)], "name", "ner:person-again", True)
        return
    placed = _person_context(ent, w.b, w.settings.person_context_depth)
    if placed is not None:
        w.b.add(ent.start, ent.end, ent.root.i,
                [make_actor(ent.text, country=placed.country, sector=placed.sector,
                            name=ent.text)], "name", "ner:person+title", True)


def _known_person(ent: Span, b: Builder) -> Actor | None:
    """A person already resolved earlier in the article under the same name or surname. The
    surname is the last word of a name, or the first of a known person's name: Korean,
    Chinese and Vietnamese names put it first ("Song Young-moo" ... "Minister Song")."""
    text = ent.text.lower()
    last = ent[-1].lower_
    for m in b.mentions:
        if not m.person or m.kind != "name" or m.start >= ent.start_char or not m.actors:
            continue
        a = m.actors[0]
        name = (a.name or "").lower()
        names = {name, a.text.lower()}
        if text in names or any(n.split()[-1:] == [last] for n in names if n) \
                or (len(ent) == 1 and name.split()[:1] == [last]):
            return a
    return None


def _person_context(ent: Span, b: Builder, depth: int) -> Actor | None:
    """Country of an unknown named person from a title before the name ("Japanese Minister
    for Foreign Affairs Hayashi Yoshimasa") or an apposed one ("X, director of the WPK ...",
    "X, minister of External Economic Relations who is chairman of the DPRK side")."""
    root = ent.root
    for c in root.lefts:  # "Japanese Minister for Foreign Affairs Hayashi Yoshimasa"
        m = b.owner[c.i]
        if c.dep_ in {"nmod", "compound"} and m is not None and m.kind == "title" \
                and m.actors and m.actors[0].country:
            return m.actors[0]
    apps = [c for c in root.rights if c.dep_ in {"appos", "relcl"}]
    if root.dep_ == "appos":
        apps.append(root.head)
    if root.dep_ in {"nsubj", "nsubjpass"}:  # "Suharto resigned as president of Indonesia"
        apps.extend(p for p in root.head.children if p.dep_ == "prep" and p.lower_ == "as")
    for app in apps:
        frontier = [app]
        for _ in range(depth):
            nxt: list[Token] = []
            for t in frontier:
                m = b.owner[t.i]
                if m is not None and m.actors and m.actors[0].country and not (
                        m.person and m.kind == "name"):
                    return m.actors[0]
                nxt.extend(c for c in t.children if c.dep_ in {
                    "prep", "pobj", "relcl", "attr", "compound", "amod", "poss"})
            frontier = nxt
    return None


def residence(w: Work) -> None:
    """A people named with where it lives is that country's ethnic group: "ethnic Albanians
    in south Serbia" → SRB ETH.

    CAMEO codes a sub-state group under the state where it acts, and the PLOVER GSR codes
    "Ethnic Albanians in south Serbia" SRB; agents abroad ("Russian troops in Syria") keep
    their own country, so only a demonym noun itself (or one after "ethnic") qualifies."""
    for m in list(w.b.mentions):
        if m.person or len(m.actors) != 1 or m.kind not in {"group", "country"}:
            continue
        head = w.doc[m.head]
        if head.pos_ not in {"NOUN", "PROPN"} or head.tag_ not in {"NNS", "NNPS"} \
                or adjective(w.kb, head.text) is None:
            continue
        where = _residence_country(head, m, w.b)
        if where and where not in {"IGO", m.actors[0].country}:
            m.actors = [make_actor(text_of(w.doc, m), country=where, sector=ETHNIC_SECTOR,
                                   name=m.actors[0].name)]
            m.rule += "+residence"


def _residence_country(head: Token, m: Mention, b: Builder) -> str | None:
    """The country of the first country mention in the head's first "in" phrase."""
    for prep in head.rights:
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        for t in prep.subtree:
            inner = b.owner[t.i]
            if inner is None or inner is m or inner.kind not in {"country", "metonym"} \
                    or not inner.actors:
                continue
            return inner.actors[0].country
    return None


def located_agents(w: Work) -> None:
    """Sub-state agents with no country (rebels, police, protesters, authorities) take the one
    country the sentence sets its action in: "rebels ... in Syria" → SYR REB.

    CAMEO codes rebels, police, courts, protesters, students... under the state where they act
    (PETRARCH's "rebels in Syria" → SYRREB). Only when the sentence names exactly one country
    in a locative phrase ("in", "at", "near" ...): with two there is no telling which. State
    agents (MIL, GOV, ...) are left alone: troops or officials may be abroad."""
    for sent in sentences(w.doc):
        places = _sentence_countries(sent, w)
        if len(places) == 1:
            _place_agents(sent, next(iter(places)), w)


def _sentence_countries(sent: Span, w: Work) -> set[str]:
    """The countries a sentence's locative phrases name."""
    b = w.b
    places: set[str] = set()
    for prep in tokens_with(sent, words(sent.doc).dep, {"prep"}):
        if prep.lower_ not in LOCATION_PREPS:
            continue
        for t in prep.subtree:
            m = b.owner[t.i]
            if m is not None and m.kind in {"country", "metonym"} and m.actors \
                    and m.actors[0].country not in {None, "IGO"}:
                places.add(m.actors[0].country)
            elif m is not None and t.ent_type_ == "GPE":
                # "Police in Kenya", "in Myanmar's Rakhine State": the place was taken into a
                # larger mention
                hit = w.kb.lookup(t.text)
                if hit is not None and hit.kind == "country":
                    places.add(hit.country)
            elif m is None and t.ent_type_ == "GPE" and t.dep_ == "pobj":
                # "Police in Los Angeles": a city the gazetteer places
                ent = next((e for e in entities(t.doc) if e.start <= t.i < e.end), None)
                place = city(ent.text if ent is not None else t.text, sent, b)
                if place is not None and place.country:
                    places.add(place.country)
    return places


def _place_agents(sent: Span, where: str, w: Work) -> None:
    b = w.b
    for tok in tokens_with(sent, words(sent.doc).pos, {"NOUN", "PROPN"}):
        if b.owner[tok.i] is not None \
                or (tok.dep_ in {"compound", "amod"} and tok.head.i > tok.i):
            continue
        if any(c.dep_ == "poss" for c in tok.children):
            continue  # "their supporters": whose they are is coreference's job
        agentive, sector = noun_sector(tok, w.kb)
        if not agentive or (sector not in SUB_STATE_SECTORS
                            and tok.lemma_.lower() not in LOCAL_GOV_NOUNS):
            continue
        start = left_edge(tok, sent.start)
        if not b.free(start, tok.i + 1):
            start = tok.i
        b.add(start, tok.i + 1, tok.i,
              [make_actor(w.doc[start : tok.i + 1].text, country=where, sector=sector)],
              "group", "context:location")


# ---------------------------------------------------------------------------------------------
# 5. the outlet's titles, "here"


def outlet_titles(w: Work) -> None:
    """Capitalised titles with no country, in a national outlet, are its country's officials
    ("the Supreme Leader", "the Premier"; KCNA → PRK) unless a country stands right before
    them or the title was given to a foreigner before in the article (``_held_abroad_before``)."""
    if not w.home:
        return
    pos = words(w.doc).pos
    for i, tok in enumerate(w.tokens):
        if pos[i] not in {"NOUN", "PROPN"} or not _bare_title_head(tok, w.b):
            continue
        chain = compound_chain(tok)
        title = title_of(chain, w.kb)
        if not title:
            continue
        start = min(left_edge(tok, 0), chain[0].i)
        text = w.doc[start : tok.i + 1].text
        before = _country_before(start, w)
        earlier = [] if before is not None else _held_abroad_before(tok, w)
        if earlier:
            actors, rule = [replace(a, text=text) for a in earlier], "outlet:title+named-before"
        else:
            country = before.actors[0].country if before is not None else w.home
            actors = [_title_holder(text, country, title, w)]
            rule = "outlet:title" if before is None else "outlet:title+country-before"
        w.b.add(start, tok.i + 1, tok.i, actors, "title", rule, True)


def _title_holder(text: str, country: str | None, title: tuple[str, str | None],
                  w: Work) -> Actor:
    """The dated holder of a country's title, if the KB knows one, else its office."""
    role, tsector = title
    holder = w.kb.holder(country, role, w.date) if role and w.date and country else None
    return make_actor(text, holder) if holder is not None else make_actor(
        text, country=country, sector=tsector)


def _country_before(start: int, w: Work) -> Mention | None:
    """A country named right before a title, across its abbreviation in brackets: the
    parser hangs "Republic of Korea (ROK)" apart from the "First Vice Foreign Minister Cho"
    it qualifies, so the country step cannot join them."""
    i = start - 1
    if i >= 2 and w.doc[i].text == ")" and w.doc[i - 2].text == "(":
        i -= 3
    m = w.b.owner[i] if i >= 0 else None
    if m is None or m.kind != "country" or m.tok_end != i + 1 or not m.actors:
        return None
    return m


def _held_abroad_before(tok: Token, w: Work) -> list[Actor]:
    """The actors a bare title refers back to when it repeats the title of someone of another
    country named before ("U.S. Deputy Secretary Sherman, Japanese Vice Foreign Minister Mori
    ... The Deputy Secretary and the Vice Ministers condemned": the Vice Ministers are Mori
    and his colleagues): the latest such person, every one for a plural title; none when the
    latest holder of the title is the outlet's own. Only a title nobody was given before is
    the outlet's own official."""
    plural = tok.lower_.endswith("s") and not tok.lower_.endswith("ss")
    # the tagger leaves "the Vice Ministers" NNP: its plural is read off the word
    heads = {tok.lower_, tok.lower_[:-1] if plural else tok.lower_}
    found: list[Actor] = []
    for m in sorted(w.b.mentions, key=lambda m: -m.tok_start):
        if m.tok_end > tok.i or not m.actors or m.actors[0].country is None:
            continue
        if not any(t.lower_ in heads for t in w.doc[m.tok_start: m.tok_end]):
            continue
        if m.actors[0].country == w.home:
            if not found:
                return []  # the latest holder is the outlet's own: its default stands
            continue
        found += [a for a in m.actors if all(a.country != f.country for f in found)]
        if not plural:
            break
    return found


def _bare_title_head(tok: Token, b: Builder) -> bool:
    """A free capitalised singular noun that heads its phrase ("the Supreme Leader", "the
    Premier"): "the great leaders" or "a minister" name no one in particular."""
    if b.owner[tok.i] is not None or tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    doc = tok.doc
    if tok.i + 1 < len(doc) and tok.head.i == tok.i + 1 and tok.dep_ == "compound":
        return False  # only the head of a title phrase
    return tok.tag_ in {"NN", "NNP"} and tok.text[:1].isupper() and not any(
        c.lower_ in INDEFINITE for c in tok.lefts)


def dateline_here(w: Work) -> None:
    """"here" in a datelined article is the dateline place ("arrived here on Monday"); in a
    state outlet's article with no dateline (Rodong Sinmun prints none), the outlet's own
    country, where it is published ("A delegation of ... arrived here on Thursday")."""
    if w.article.dateline_place:
        place, rule = w.kb.lookup(w.article.dateline_place, w.date), "dateline:here"
    else:
        place, rule = (w.kb.country(w.home) if w.home else None), "outlet:here"
    if place is None or place.kind != "country":
        return
    for tok in w.tokens:
        if tok.lower_ == "here" and tok.dep_ == "advmod" and w.b.owner[tok.i] is None:
            w.b.add(tok.i, tok.i + 1, tok.i, [make_actor(tok.text, place)], "metonym", rule)


# A mention that names another country is never remapped by voice ("North Korea", "the
# Democratic People's Republic of Korea").
QUALIFIERS = frozenset({"north", "northern", "south", "southern", "democratic", "dprk", "rok"})
ELSEWHERE = data.voiced_phrases()


def voice_ambiguity(w: Work) -> None:
    """A phrase whose country depends on who speaks (ambiguity.tsv ``elsewhere``): "Korea"
    is the DPRK in a DPRK outlet and the ROK in anyone else's article."""
    for m in w.b.mentions:
        words = {t.lower_ for t in w.doc[m.tok_start: m.tok_end]}
        hits = [ELSEWHERE[x] for x in words if x in ELSEWHERE]
        if not hits or words & QUALIFIERS:
            continue
        choice, other = hits[0]
        if w.home == choice:
            continue
        m.actors = [a if a.country != choice else Actor(
            text=a.text, name=None, country=other, sector=a.sector,
            code=other + (a.sector or "")) for a in m.actors]
