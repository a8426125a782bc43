"""Who acts and on whom: the source and target searches of the events stage.

Source: the subject (inherited through xcomp/conj chains, the "by" agent of a passive);
target: dative, direct object, or the object of a pattern's prepositions; each expanded
over conjunctions. An argument phrase is named by its own mention, else by the nearest
mentions among its modifiers ("the DPRK-U.S. summit"). When no slot names a target, the
nearest actor in the predicate's phrase does; a sub-state actor with no country takes the
country where it acts.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .. import data
from ..actors import reported_sayer
from ..model import Actor, Article, Location, Mention
from ..settings import Settings
from ..syntax import (
    PLACE_ADVERBS,
    clause_verb,
    elaborations,
    listed_appositions,
    sentence_index,
    sentences,
)
from ..where import lookup as place_lookup
from .lexicon import Lexicon, Pattern

# An argument: the mention that names it and one of the mention's actors.
Pair = tuple[Mention, Actor]

ARG_ORDER = {"compound": 0, "amod": 0, "nmod": 1, "appos": 1, "poss": 2, "prep": 3, "conj": 4}
ARG_DEPS = {"compound", "amod", "poss", "nmod", "appos", "pobj", "npadvmod", "nummod", "conj"}
# Prepositions that place an actor named without nationality (language/prepositions.tsv).
LOCATIVE = data.having(data.PREPOSITIONS, "source-place")
# Target prepositions that name where an act happened: their object is its counterpart only
# when the act names no other (language/prepositions.tsv, guide §10).
VENUES = data.having(data.PREPOSITIONS, "venue")
# Entity labels the small model gives town names ("near the town of Samarra" comes out NORP).
PLACE_ENTITY_TYPES = data.having(data.ENTITY_LABELS, "town")
# Verbs of motion, whose place is where the actor went (language/motion.tsv).
MOTION_VERBS = data.having(data.MOTION, "purpose-happened")
RELATIVE = {"who", "which", "that", "whom", "whose"}
# Verbs of arriving at a place besides modality.tsv's motion verbs ("called at a port"), whose
# place never gives the actor's country.
PORT_CALL_VERBS = frozenset({"call"})
# Dependencies the fallback target search does not descend: the subject's side, function
# words, and reported clauses (an actor inside a reported clause is that clause's argument:
# "talked rubbish that one should not respond to the DPRK's charm offensive"; a purpose
# clause's is not skipped: "opened the bridge to allow the delivery of grain to Afghanistan").
FALLBACK_SKIP = {"nsubj", "nsubjpass", "csubj", "punct", "cc", "mark", "aux", "auxpass", "neg",
                 "poss", "relcl", "ccomp", "parataxis"}


@dataclass(frozen=True)
class Context:
    """What every step reads about one article: the parse, the tables, who owns each token
    (the mention it belongs to), the outlet's country and the settings."""

    doc: Doc
    article: Article
    lex: Lexicon
    owner: list[Mention | None]
    home: str | None  # the country the outlet speaks for (actors.outlet_country)
    settings: Settings


# ---------------------------------------------------------------------------------------------
# phrases → actors


def actors_of(tok: Token | None, ctx: Context) -> list[Pair]:
    """Actors of an argument phrase: its own mention, else the nearest in its modifiers."""
    if tok is None:
        return []
    out: list[Pair] = []
    # only the conjuncts under it: a phrase is named by its head, so a head above it is a
    # misparse ("At the invitation of Kim Jong Un, ..., Xi Jinping ... will pay a visit"
    # hangs Xi on Kim Jong Un as a conjunct)
    members = [tok, *(c for c in tok.conjuncts if not c.is_ancestor(tok))]
    # "A, the chairman of B's forum, and an adviser to C" (a list the parser read as
    # appositions): each listed word that names an actor is a member too
    members += [t for t in listed_appositions(tok) if ctx.owner[t.i] is not None
                and t not in members]
    for member in members:
        for m in phrase_mentions(member, ctx):
            for a in m.actors:
                if all(a is not b for _, b in out):
                    out.append((m, a))
    return out


def phrase_mentions(tok: Token, ctx: Context) -> list[Mention]:
    """The phrase's own mention, else the mentions among its closest modifiers: both of
    "the DPRK-U.S. summit", the EC of "its European Community partners" (compounds before
    possessors)."""
    own = ctx.owner[tok.i]
    if own is not None:
        # "the foreign minister of China, Laos and Thailand": the title is each country's
        return [own, *_listed_after(own, ctx)]
    frontier = [tok]
    for _ in range(ctx.settings.argument_depth):
        nxt: list[Token] = []
        found: dict[int, list[Mention]] = {}
        for t in frontier:
            for c in t.children:
                if not _argument_child(c, t, tok):
                    continue
                m = ctx.owner[c.i]
                if m is not None:
                    rank = ARG_ORDER.get(c.dep_, 9)
                    # a coordinated argument is one argument: "by Chile and Bolivia"; so is
                    # a hyphenated one: "the Japan-China-ROK summit"
                    for x in [m, *_conjunct_mentions(c, ctx), *hyphen_joined(m, ctx)]:
                        if all(x is not y for y in found.get(rank, [])):
                            found.setdefault(rank, []).append(x)
                else:
                    nxt.append(c)
        if found:
            return found[min(found)]
        frontier = nxt
    return []


def _listed_after(own: Mention, ctx: Context) -> list[Mention]:
    """Mentions coordinated with a word inside a mention but standing after it: the other
    countries of "the foreign minister of China, Laos and Thailand"."""
    out: list[Mention] = []
    for i in range(own.tok_start, min(own.tok_end, len(ctx.doc))):
        for c in ctx.doc[i].conjuncts:
            m = ctx.owner[c.i]
            if c.i >= own.tok_end and m is not None and m is not own \
                    and all(m is not x for x in out):
                out.append(m)
    return out


def hyphen_joined(m: Mention, ctx: Context) -> list[Mention]:
    """The mentions joined to ``m`` by hyphens in the text, both ways: "Japan-China-ROK",
    "U.S.-Britain-Australia". A hyphenated list of states names every one of them, however
    the parser nests its words (it hangs "China" on "ROK", not on the noun they modify)."""
    out: list[Mention] = []
    for step in (-1, 1):
        cur = m
        while True:
            edge = cur.tok_start if step < 0 else cur.tok_end - 1
            nxt = _across_hyphen(edge, step, ctx)
            if nxt is None or nxt is m or any(nxt is x for x in out):
                break
            out.append(nxt)
            cur = nxt
    return out


def _across_hyphen(i: int, step: int, ctx: Context) -> Mention | None:
    """The mention on the other side of a bare hyphen next to token ``i`` ("X-Y")."""
    h, j = i + step, i + 2 * step
    if not 0 <= min(h, j) or max(h, j) >= len(ctx.doc):
        return None
    doc = ctx.doc
    left, hyphen = (doc[j], doc[h]) if step < 0 else (doc[i], doc[h])
    if hyphen.text != "-" or left.whitespace_ or hyphen.whitespace_:
        return None
    return ctx.owner[j]


def _conjunct_mentions(tok: Token, ctx: Context) -> list[Mention]:
    """The mentions coordinated with the one at ``tok`` ("Chile and Bolivia"), below it."""
    out: list[Mention] = []
    for c in tok.conjuncts:
        m = ctx.owner[c.i]
        if m is not None and c.i > tok.i and m is not ctx.owner[tok.i]:
            out.append(m)
    return out


def _argument_child(c: Token, t: Token, top: Token) -> bool:
    """Whether the search descends into child ``c`` of ``t`` (``top``: the phrase's head)."""
    if c.dep_ == "prep" and c.lower_ != "of":
        return False
    # an act named by its doer through a passive participle: "the drills staged by X", "the
    # remarks let loose by X" name X as the act's actor, as "X's drills" does
    if (c.dep_ == "acl" and c.tag_ == "VBN") or (c.dep_ == "agent" and t.dep_ == "acl"):
        return True
    # (a clausal argument's own subject counts: "X operating in")
    return c.dep_ in ARG_DEPS or c.dep_ == "prep" or (
        c.dep_ == "nsubj" and t.pos_ == "VERB" and t.i == top.i)


def same_actor(a: Actor, b: Actor) -> bool:
    """One actor twice: the same object, the same named actor, or the same country body."""
    if a is b:
        return True
    if a.name and b.name:
        return a.name == b.name and a.country == b.country
    return a.country == b.country and a.sector == b.sector and a.name == b.name


# ---------------------------------------------------------------------------------------------
# subjects


def is_passive(v: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in v.children)


def agent(v: Token) -> Token | None:
    """The object of a passive's "by" phrase, or of a "by" the parser hung on the noun of
    the verb's place phrase ("were laid at the statues by the Embassy of Laos": "by" comes
    out under "statues"); a passive's agent is the last phrase a reader attaches it to."""
    for c in v.children:
        if c.dep_ == "agent":
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ in AGENT_HOSTS:
            for noun in (p for p in c.children if p.dep_ == "pobj"):
                by = next((b for b in noun.children if b.dep_ in {"prep", "agent"}
                           and b.lower_ == "by"), None)
                if by is not None:
                    return next((p for p in by.children if p.dep_ == "pobj"), None)
    return None


# The prepositions of a phrase on whose noun the parser may hang a passive's "by" agent
# (language/prepositions.tsv, role agent-host).
AGENT_HOSTS = data.having(data.PREPOSITIONS, "agent-host")


def subject(v: Token, ctx: Context) -> Token | None:
    """The acting argument of a verb: nsubj, or the passive agent, or inherited up the tree."""
    cur = v
    for _ in range(ctx.settings.subject_climb + 1):
        if is_passive(cur):
            return _passive_subject(cur, ctx)
        own = _own_subject(cur)
        if own is not None:
            return own
        step = _climb(cur, ctx)
        if not isinstance(step, _Climb):
            return step
        cur = step.to
    return None


@dataclass(frozen=True)
class _Climb:
    """One step up the tree in the subject search."""

    to: Token


def _passive_subject(v: Token, ctx: Context) -> Token | None:
    by = agent(v)
    if by is None and v.lemma_.lower() in ctx.lex.words("stative_passive"):
        # "Israel is opposed to French mediation": a stance, held by the subject
        return next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    return by


def _own_subject(cur: Token) -> Token | None:
    for c in cur.children:
        if c.dep_ in {"nsubj", "csubj"}:
            if c.lower_ in RELATIVE and cur.dep_ == "relcl":
                return cur.head
            return c
    return None


def _climb(cur: Token, ctx: Context) -> Token | _Climb | None:
    """Where the subject search goes from a verb with no subject: a token that is the
    subject, a step up (``_Climb``), or None (no subject)."""
    if cur.dep_ == "xcomp":
        # object control: "urged the EU to support" → the EU acts
        obj = next((c for c in cur.head.children if c.dep_ in {"dobj", "dative"}), None)
        if obj is not None and cur.head.pos_ == "VERB":
            return obj
        return _Climb(cur.head)
    if cur.dep_ == "conj" and is_passive(cur.head):
        # "X has been indicted by the court and will resign": X resigns
        return next((c for c in cur.head.children if c.dep_ == "nsubjpass"), None)
    if cur.dep_ in {"conj", "advcl", "acomp", "attr"}:
        return _Climb(cur.head)  # ("Honduras is willing to withdraw": willing's copula)
    light = _light_noun_verb(cur, ctx)
    if light is not None:
        return _Climb(light)  # "Australia took the step of expelling the ambassador"
    if cur.dep_ == "pcomp" and cur.head.dep_ == "prep":
        return _Climb(cur.head.head)  # "left here after paying a visit"
    if cur.dep_ == "acl" and _issued_unsigned(cur, ctx):
        return _Climb(cur.head.head)  # "Canada issued a statement condemning Iran"
    if cur.dep_ in {"acl", "relcl"}:
        return cur.head
    if cur.dep_ == "ROOT":
        return _stranded_subject(cur, ctx)
    return None


def _light_noun_verb(clause: Token, ctx: Context) -> Token | None:
    """The light verb whose object noun a clause spells out: "took the step of expelling the
    ambassador", "made the decision to impose sanctions" (patterns.tsv LIGHT). The noun
    names the act and the clause says what it is, so the verb's subject does it (issue #11:
    measures stated as decisions are events). A noun with an owner of its own ("took the
    U.S. decision to ...") is someone else's act, and a participle ("troops stationed in")
    describes its noun: neither climbs."""
    if clause.dep_ == "pcomp" and clause.head.dep_ == "prep" and clause.head.lower_ == "of":
        part = clause.head  # the noun's "of" phrase
    elif clause.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to"
                                      for c in clause.children):
        part = clause
    else:
        return None
    noun = part.head
    verb = noun.head
    if noun.dep_ != "dobj" or noun.pos_ != "NOUN" or verb.lemma_.lower() not in ctx.lex.light:
        return None
    return None if _names_actor_besides(noun, part, ctx) else verb


def _issued_unsigned(clause: Token, ctx: Context) -> bool:
    """A participle on a content noun (modality.tsv: a text, or an operation or campaign) that
    names no author and is itself the object of a verb ("released a report distorting ...",
    "issued a statement condemning ..."): the text speaks for whoever issued it (guide §10,
    the statement's signatory), so the subject search goes on to the issuing verb. A text
    with an author ("the ministry's statement condemning") keeps it."""
    text = clause.head
    if text.lemma_.lower() not in ctx.lex.words("content_noun") or text.dep_ != "dobj" \
            or text.head.pos_ != "VERB":
        return False
    return not _names_actor_besides(text, clause, ctx)


def _names_actor_besides(noun: Token, part: Token, ctx: Context) -> bool:
    """Whether the noun's phrase names an actor outside ``part`` (the clause or phrase on it
    that the caller reads): its author or owner ("the ministry's statement", "the U.S.
    decision")."""
    return any(ctx.owner[t.i] is not None for c in noun.children if c.i != part.i
               for t in c.subtree)


def _stranded_subject(v: Token, ctx: Context) -> Token | None:
    """A subject the small parser hung on a fronted phrase as a conjunct: in "At the
    invitation of Kim Jong Un, chairman of ..., Xi Jinping, general secretary of ..., will pay
    a state visit", "Xi Jinping" comes out as a conjunct of "invitation" and "pay" has no
    subject. The last such conjunct after a comma, under a preposition of the verb, acts."""
    for tok in reversed(list(v.doc[v.sent.start : v.i])):
        m = ctx.owner[tok.i]
        if tok.dep_ != "conj" or m is None or tok.i == 0:
            continue
        left = v.doc[m.tok_start - 1] if m.tok_start > 0 else None
        if left is None or left.text != ",":
            continue
        if any(a.dep_ == "prep" and a.head.i == v.i and a.i < tok.i for a in tok.ancestors):
            return tok
    return None


# ---------------------------------------------------------------------------------------------
# targets


def object_tokens(v: Token, pat: Pattern) -> tuple[list[Token], list[Token]]:
    """A verb's target phrases, as (slots, venues). Slots: dative, direct object (a passive's
    subject), the objects of the pattern's other target prepositions. Venues: the objects of
    its target prepositions that say where ("met in Pyongyang"), which stand for the
    counterpart only when no slot names one (``triggers.verb_targets``); else "here" (the
    dateline place, actors.py)."""
    out: list[Token] = []
    venues: list[Token] = []
    passive = is_passive(v)
    for c in v.children:
        if c.dep_ in {"dative", "iobj"}:
            out.append(c)
        elif c.dep_ == "dobj" or (passive and c.dep_ == "nsubjpass"):
            out.append(c)
        elif c.dep_ in {"prep", "dative"} and c.lower_ in pat.target_preps:
            (venues if c.lower_ in VENUES else out).extend(
                p for p in c.children if p.dep_ == "pobj")
        elif c.dep_ == "advmod" and c.lower_ in PLACE_ADVERBS:  # "left here for Russia"
            out.extend(p for prep in c.children if prep.dep_ == "prep"
                       and prep.lower_ in pat.target_preps
                       for p in prep.children if p.dep_ == "pobj")
    if not out and not venues:  # "arrived here": the dateline place (actors.py resolves it)
        venues.extend(c for c in v.children if c.dep_ == "advmod" and c.lower_ == "here")
    return out, venues


def fallback_targets(anchor: Token, words: list[Token], srcs: list[Pair], ctx: Context,
                     domestic: bool) -> list[Pair]:
    """The nearest actor in the predicate's own phrase (never its subject) when no slot held
    one: "imposed a curfew in the town of Cizre in southeastern Turkey" → TUR."""
    starts = [anchor] + [w for w in words if w.i != anchor.i]
    src_mentions = {id(m) for m, _ in srcs}
    frontier = starts
    visited = {t.i for t in starts}
    for _ in range(ctx.settings.fallback_target_depth):
        nxt: list[Token] = []
        for t in frontier:
            for c in t.children:
                if c.i in visited or c.dep_ in FALLBACK_SKIP:
                    continue
                if c.dep_ == "nsubjpass" and not is_passive(t):
                    continue
                visited.add(c.i)
                m = ctx.owner[c.i]
                if m is not None and id(m) not in src_mentions:
                    acts = [(m, a) for a in m.actors if a.country
                            and not any(same_actor(a, x) for _, x in srcs)
                            and (domestic or all(a.country != x.country for _, x in srcs))]
                    if acts:
                        return acts
                nxt.append(c)
        frontier = nxt
    return []


def conditional_targets(anchor: Token, ctx: Context) -> list[Pair]:
    """Whom a threat is aimed at: the subject of its condition ("threatened to stop the
    negotiations if the United States goes ahead ...", "... unless Israel rescinded ...")."""
    marks = ctx.lex.words("drop_mark")
    for v in [anchor, *(c for c in anchor.children if c.dep_ == "xcomp")]:
        for c in v.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks
                                         for m in c.children):
                subj = next((x for x in c.children if x.dep_ in {"nsubj", "nsubjpass"}), None)
                found = actors_of(subj, ctx)
                if found:
                    return found
    return []


def content_subject_targets(clauses: list[Token], ctx: Context) -> list[Pair]:
    """The actors of the first content clause's subject ("its demand that Israel ease ...":
    Israel is asked)."""
    for c in clauses:
        if c.dep_ in {"acl", "ccomp"}:
            subj = next((x for x in c.children if x.dep_ in {"nsubj", "nsubjpass"}), None)
            targets = actors_of(subj, ctx)
            if targets:
                return targets
    return []


def extraposed_content(noun: Token) -> Token | None:
    """The that-clause a parser hangs on the verb rather than on its object noun: "reiterated
    its demand today that Israel ease restrictions" (ccomp of "reiterated")."""
    if noun.dep_ != "dobj":
        return None
    for c in noun.head.children:
        if c.dep_ == "ccomp" and c.i > noun.i and any(
                m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            return c
    return None


# ---------------------------------------------------------------------------------------------
# sources from context


def reported_speaker(tok: Token, ctx: Context) -> Pair | None:
    """The sayer of the reported speech a word sits in, if an actor with a country. A word
    may sit deeper in the clause than a pronoun subject, so it climbs twice as far."""
    climb = ctx.settings.speaker_climb
    subj = reported_sayer(tok, 2 * climb, climb)
    if subj is None:
        return None
    found = [(m, a) for m, a in actors_of(subj, ctx) if a.country]
    return found[0] if found else None


# Subjects that name a group of people without a country ("Foreign personages", "They"):
# its members may be listed after (``elaborated_source``).
GROUP_PRONOUNS = frozenset({"they", "these", "those"})


def elaborated_source(anchor: Token, ctx: Context) -> list[Pair]:
    """The members of a group subject the next sentences list: "Foreign personages visited
    ... They laid floral baskets ... They included the general secretary of the Nepal
    Communist Party, the chairman of the Egypt-Korea Friendship Association and ...": each
    listed actor did what the group did. Only a plural subject with no country, and only
    when a list follows the act's own sentence (``syntax.elaborations``)."""
    verb = clause_verb(anchor)  # "They laid floral baskets": the noun trigger's verb
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None or not (subj.lower_ in GROUP_PRONOUNS or subj.tag_ in {"NNS", "NNPS"}):
        return []
    return _listed_members(anchor, ctx)


def elaborated_target(anchor: Token, ctx: Context) -> list[Pair]:
    """The members of a group object listed after the act: "the Prime Minister is speaking
    to a number of her fellow world leaders. Those who she has spoken to so far are King
    Abdullah of Jordan; President Erdogan of Turkey; ...": each listed actor is a target.
    Only an object phrase holding a plural noun no mention names."""
    verb = clause_verb(anchor)
    args = [c for c in verb.children if c.dep_ == "dobj"]
    args += [o for p in verb.children if p.dep_ == "prep" and p.lower_ in {"to", "with"}
             for o in p.children if o.dep_ == "pobj"]
    if not any(t.tag_ in {"NNS", "NNPS"} and ctx.owner[t.i] is None
               for a in args for t in a.subtree):
        return []
    return _listed_members(anchor, ctx)


def _listed_members(anchor: Token, ctx: Context) -> list[Pair]:
    """The actors of the sentences after the anchor's that list a group's members."""
    sents = sentences(anchor.doc)
    k = sentence_index(sents, anchor.idx)
    return listed_members(sents, k, ctx.owner) if k is not None else []


def listed_members(sents: list[Span], k: int, owner: list[Mention | None]) -> list[Pair]:
    """The actors with a country, one per country in text order, that the sentences after
    sentence ``k`` list as a group's members (``syntax.elaborations``); pronouns ("Among
    them") name none."""
    out: list[Pair] = []
    for nxt in elaborations(sents, k):
        for t in nxt:
            m = owner[t.i]
            if m is not None and t.i == m.head and m.kind != "pronoun":
                out += [(m, a) for a in m.actors if a.country
                        and all(a.country != b.country for _, b in out)]
    return out


def located_source(anchor: Token, event_type: str, ctx: Context) -> list[Pair]:
    """An actor named without nationality acting in a named country: "Gunmen ... in eastern
    Afghanistan", "Prisoners rioted at a jail in East Timor's capital" (PLOVER codes the
    country where a sub-state actor operates). Only nouns, never pronouns; never after a verb
    of motion, whose place is where the actor went ("the carrier task force called at an
    operational base in Pusan" is not a South Korean act)."""
    v = anchor
    if v.lemma_.lower() in MOTION_VERBS | PORT_CALL_VERBS:
        return []
    attack = event_type in ctx.lex.types("place-target")
    subj = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None:
        return gathered_sources(v, ctx)
    if is_passive(v):
        # "Three US servicemen were killed by an improvised explosive device outside of the
        # Iraqi city of Basra": an attack by an unnamed hand is coded to where it struck
        subj = agent(v) if attack else None
    if subj is None or subj.pos_ not in {"NOUN", "PROPN"}:
        return []
    for head in (subj, v):
        for pobj in _locative_objects(head):
            found = _place_country(pobj, subj, attack, ctx)
            if found:
                return found
    return []


def held_gathering(head: Token, lex: Lexicon) -> Token | None:
    """The clause's subject when it is a gathering ("Meetings took place", "Rallies were
    held": the ``gathering`` class of patterns/classes.tsv), else None."""
    return next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}
                 and c.lemma_.lower() in lex.classes.get("gathering", frozenset())), None)


def gathered_sources(v: Token, ctx: Context) -> list[Pair]:
    """"Meetings took place in Ghana, Peru and Nepal to denounce ...": the act a gathering
    was held for is done by those gathered, one source per country it was held in, as an
    anti-U.S. rally in the ROK is the ROK's protest (docs/annotation.md §3 PROTEST, §10a
    senders known only by country). Only the purpose infinitive of a clause whose subject is
    a gathering noun (the ``gathering`` class of patterns/classes.tsv)."""
    if v.dep_ not in {"advcl", "xcomp"} \
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
        return []
    held = v.head
    subj = held_gathering(held, ctx.lex)
    if subj is None:
        return []
    out: list[Pair] = []
    for pobj in _locative_objects(held) + _locative_objects(subj):
        for t in (pobj, *pobj.conjuncts):
            m = ctx.owner[t.i]
            if m is None or m.kind not in {"country", "metonym"} or not m.actors:
                continue
            iso = m.actors[0].country
            if iso and iso != "IGO" and all(a.country != iso for _, a in out):
                out.append((m, Actor(text=subj.text, name=None, country=iso, code=iso)))
    return out


def _locative_objects(head: Token) -> list[Token]:
    """Objects of the locative prepositions of ``head`` ("outside of the Iraqi city": the
    object hangs on a second preposition)."""
    out: list[Token] = []
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE:
            continue
        out += [c for c in prep.children if c.dep_ == "pobj"] or [
            o for p2 in prep.children if p2.dep_ == "prep" for o in p2.children
            if o.dep_ == "pobj"]
    return out


def _place_country(pobj: Token, subj: Token, attack: bool, ctx: Context) -> list[Pair]:
    """The first country named in a locative phrase, as the located source's actor."""
    for t in pobj.subtree:
        m = ctx.owner[t.i]
        iso = None
        if m is not None and m.kind in {"country", "metonym"} and m.actors \
                and m.actors[0].country and m.actors[0].country != "IGO":
            iso = m.actors[0].country
        elif attack and m is None and t.pos_ == "PROPN" and t.ent_type_ in PLACE_ENTITY_TYPES:
            # a town the gazetteer places ("near the town of Samarra")
            place = place_lookup(t.text)
            iso = place.country if place is not None else None
        if iso:
            return [(m or ctx.owner[subj.i] or _place_mention(t),
                     Actor(text=subj.text, name=None, country=iso, code=iso))]
    return []


def visited_places(slots: list[Token], sources: list[Pair], ctx: Context) -> list[Pair]:
    """The host of a visit to a place that names no actor ("visited Vladivostok"): the
    country the gazetteer puts the place in (guide §8: a visit happens in the visited
    country; §4: the host is a visit's counterpart). Only a place the gazetteer knows, in
    another country than the visitor's: a site it does not know ("the Tower of the Juche
    Idea") says nothing of its country, and a trip at home hosts no one."""
    home = {a.country for _, a in sources}
    out: list[Pair] = []
    for slot in slots:
        for t in (slot, *slot.conjuncts):
            place = _gazetteer_place(t) if ctx.owner[t.i] is None else None
            if place is None or not place.country or place.country in home \
                    or any(a.country == place.country for _, a in out):
                continue
            out.append((_place_mention(t), Actor(text=place.text, name=None,
                                                 country=place.country, code=place.country)))
    return out


def _gazetteer_place(tok: Token) -> Location | None:
    """The place a proper noun tagged as a place names, as the whole phrase it heads
    ("Rio de Janeiro"; a word alone is not enough: "the Naegok Hot Spring" is no town named
    Spring), or the place of its "of" ("the city of Vladivostok")."""
    if tok.pos_ != "PROPN":
        of = [o for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
              for o in p.children if o.dep_ == "pobj" and o.pos_ == "PROPN"]
        return _gazetteer_place(of[0]) if of else None
    if tok.ent_type_ not in PLACE_ENTITY_TYPES:
        return None
    return place_lookup(tok.doc[tok.left_edge.i: tok.i + 1].text)


def _place_mention(tok: Token) -> Mention:
    """A mention for an actor known only by where it acted (no KB entry, no span of its own)."""
    return Mention(tok.idx, tok.idx + len(tok.text), tok.i, tok.i + 1, tok.i, [], "place",
                   "context:place")
