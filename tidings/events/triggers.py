"""Triggers: the predicates of a sentence that match a pattern row, with their own arguments.

Per sentence every token is looked at once: a light verb whose object is an event noun
("paid a visit", "held talks") yields the noun's event with the verb's subject as source; any
other trigger verb yields its own; an event noun that is no verb's object yields its own.
Nominalizations take their source from a possessor, "by", "between", or actor modifiers
("his visit to Russia", "the talks between A and B"). Each argument list records how it
was found (``Trigger.source_how``, ``target_how``), which a learned scorer can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from ..model import Actor
from ..syntax import VERBAL, doc_tokens, words
from .arguments import (
    Context,
    Pair,
    actors_of,
    agent,
    content_subject_targets,
    elaborated_source,
    extraposed_content,
    hyphen_joined,
    is_passive,
    object_tokens,
    subject,
    visited_places,
)
from .lexicon import Pattern, light_allows, match

# Kinds of mention that, as a modifier of an event noun, name its parties ("U.S.-South
# Korean joint drills", "Russian-Chinese talks").
PARTY_KINDS = {"country", "group", "igo", "name", "title", "metonym"}


@dataclass
class Trigger:
    """A predicate that matched a pattern row, and the arguments its own phrase names."""

    pattern: Pattern
    anchor: Token  # verb of the clause (the light verb for "paid a visit")
    words: list[Token]
    sources: list[Pair]
    targets: list[Pair]
    sym: bool
    weak: bool = False  # source only from a modifier ("Israeli air raids"): needs a target
    source_how: str = ""  # subject, possessor, by, between, from, speaker, modifier, ...
    target_how: str = ""  # object, preposition, of-phrase, light-subject, content-subject, ...
    content_of: int | None = None  # the trigger whose object this nominal act is


def find_triggers(sent: Span, ctx: Context) -> list[Trigger]:
    """Every trigger of a sentence, in text order of their anchors: clauses first (light
    verbs and verbs), then event nouns that are no trigger's object."""
    triggers, used_nouns = _clause_triggers(sent, ctx)
    return triggers + _free_noun_triggers(sent, ctx, triggers, used_nouns)


def _clause_triggers(sent: Span, ctx: Context) -> tuple[list[Trigger], set[int]]:
    triggers: list[Trigger] = []
    used_nouns: set[int] = set()
    wd, toks, light = words(sent.doc), doc_tokens(sent.doc), ctx.lex.light
    for i in range(sent.start, sent.end):
        trig = None
        pos = wd.pos[i]
        if pos not in VERBAL and wd.tag[i] != "NNS" and wd.dep[i] != "ROOT":
            continue  # (no light verb, verb, nor verb read as a noun: most words)
        tok = toks[i]
        if (wd.lemma[i] in light or wd.lower[i] in light) and _acts_as_verb(tok):
            for obj in (c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}):
                for noun in [obj, *obj.conjuncts]:
                    nt = noun_trigger(noun, ctx, tok)
                    used_nouns.add(noun.i)
                    if nt is not None and trig is None:
                        trig = nt
        if trig is None and (pos == "VERB" or _verb_read_as_noun(tok)):
            trig = verb_trigger(tok, ctx)
        if trig is not None:
            triggers.append(trig)
    return triggers, used_nouns


def _free_noun_triggers(sent: Span, ctx: Context, triggers: list[Trigger],
                        used_nouns: set[int]) -> list[Trigger]:
    verb_anchors = {t.anchor.i for t in triggers}
    verb_words = {w.i for t in triggers for w in t.words}
    out: list[Trigger] = []
    wd, toks = words(sent.doc), doc_tokens(sent.doc)
    for i in range(sent.start, sent.end):
        if i in used_nouns or i in verb_words:
            continue
        tok = toks[i]
        if wd.pos[i] not in {"NOUN", "PROPN"} and (
                wd.tag[i] != "VBZ" or not _noun_read_as_verb(tok)):
            continue  # (the tag first: most words are neither)
        # a nominal event that is another event's object is that event's content:
        # "rejected North Korea's demand", "condemned the DPRK's missile launch"; the rules
        # drop it (complement_rule), the decide stage may keep it when the act is news too
        head = tok.head.head if tok.head.dep_ == "prep" else tok.head
        nt = noun_trigger(tok, ctx, None)
        if nt is not None:
            nt.content_of = head.i if head.i in verb_anchors else None
            out.append(nt)
    return out


def _acts_as_verb(tok: Token) -> bool:
    """A verb, or a word the tagger took for a noun that still heads a subject and an object
    ("Kim Jong Un oversaw ... a test-fire": "oversaw" tagged NOUN, lemma unchanged)."""
    if tok.pos_ in VERBAL:
        return True
    if tok.dep_ != "ROOT":
        return False
    deps = {c.dep_ for c in tok.children}
    return "nsubj" in deps and "dobj" in deps


def _verb_read_as_noun(tok: Token) -> bool:
    """A present-tense verb the tagger took for a plural noun, which the parser still gives
    a subject ("The Foreign Ministry strongly denounces and rejects ...": "denounces" comes
    out NNS with "Ministry" as its nsubj). No noun heads a subject in this parser's scheme
    (a copula's subject hangs on the copula), so the subject is the verb's mark."""
    return tok.tag_ == "NNS" and any(c.dep_ == "nsubj" for c in tok.children)


# The dependencies of a noun phrase's head: a word the parser attaches so is a noun.
NOMINAL_DEPS = frozenset({"dobj", "pobj", "nsubj", "nsubjpass"})
# A noun's own modifiers, which no verb takes.
NOUN_MODIFIERS = frozenset({"compound", "poss", "det"})


def _noun_read_as_verb(tok: Token) -> bool:
    """A plural event noun the tagger took for a present-tense verb, which the parser still
    attaches as a noun with a noun's modifiers ("condemned North Korea's ballistic missile
    launches": "launches" comes out VBZ, the object of "condemned", with "missile" as its
    compound)."""
    return (tok.tag_ == "VBZ" and tok.dep_ in NOMINAL_DEPS
            and any(c.dep_ in NOUN_MODIFIERS for c in tok.children))


def _pobj(prep: Token) -> Token | None:
    return next((p for p in prep.children if p.dep_ == "pobj"), None)


# ---------------------------------------------------------------------------------------------
# verbs


def verb_trigger(v: Token, ctx: Context) -> Trigger | None:
    """A verb's own event: subject acts on its objects."""
    pats = ctx.lex.verbs.get(v.lemma_.lower())
    pat = match(pats, v, ctx.lex, ctx.owner) if pats else None
    if pat is None:
        return None
    if pat.addressee:  # "they will pay dearly"
        return _addressee_trigger(None, v, pat, ctx)
    sources = actors_of(subject(v, ctx), ctx)
    targets = verb_targets(v, pat, sources, ctx)
    words = [v] + [c for c in v.children if c.dep_ == "prt"]
    if not sources and pat.sym and is_passive(v):
        parties = _passive_parties(v, ctx)
        if len({a.country for _, a in parties}) >= 2:
            return Trigger(pat, v, words, parties, [], True, source_how="passive-parties")
    return Trigger(pat, v, words, sources, targets, pat.sym, source_how="subject",
                   target_how="object")


def verb_targets(v: Token, pat: Pattern, sources: list[Pair], ctx: Context,
                 skip: Token | None = None) -> list[Pair]:
    """The actors of the verb's target slots; failing those, of its venue ("the delegation
    met in Pyongyang": the host), unless a symmetric act's subjects are already its parties
    ("A and B met in Helsinki": Helsinki is where, not with whom; guide §10); failing
    those, for a visit, the country of the place visited (``visited_places``)."""
    slots, venues = object_tokens(v, pat)
    skipped = -1 if skip is None else skip.i
    found = [pair for t in slots if t.i != skipped for pair in actors_of(t, ctx)]
    if found or (pat.sym and len({a.country for _, a in sources}) > 1):
        return found
    hosts = [pair for t in venues if t.i != skipped for pair in actors_of(t, ctx)]
    if hosts or pat.mode != "visit":
        return hosts
    return visited_places([t for t in slots + venues if t.i != skipped], sources, ctx)


def _passive_parties(v: Token, ctx: Context) -> list[Pair]:
    """"A protocol of the ... DPRK-Syria Joint Economic Committee was signed": with no agent,
    the parties of a symmetric act are the states named in its object."""
    obj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    parties: list[Pair] = []
    if obj is not None and ctx.owner[obj.i] is None:
        for t in obj.subtree:
            m = ctx.owner[t.i]
            if m is not None and m.kind != "pronoun" and all(m is not x for x, _ in parties):
                parties.extend((m, a) for a in m.actors if a.country)
    return parties


# ---------------------------------------------------------------------------------------------
# nouns


@dataclass
class _NounArguments:
    """What an event noun's own phrase names: sources, targets and party modifiers."""

    sym: bool
    sources: list[Pair] = field(default_factory=list)
    targets: list[Pair] = field(default_factory=list)
    modifiers: list[Pair] = field(default_factory=list)
    source_how: str = ""
    target_how: str = ""

    def source(self, found: list[Pair], how: str) -> None:
        self.sources.extend(found)
        self.source_how = self.source_how or (how if found else "")

    def target(self, found: list[Pair], how: str) -> None:
        self.targets.extend(found)
        self.target_how = self.target_how or (how if found else "")


def noun_trigger(noun: Token, ctx: Context, light: Token | None) -> Trigger | None:
    """An event noun's event; ``light``: the light verb whose object it is ("paid a visit")."""
    pats = ctx.lex.nouns.get(noun.lemma_.lower()) or ctx.lex.nouns.get(noun.lower_)
    pat = match(pats, noun, ctx.lex, ctx.owner) if pats else None
    if pat is None and not pats:
        pat = gerund_pattern(noun, ctx)
    if pat is None:
        return None
    if light is not None and pat.addressee:
        return _addressee_trigger(noun, light, pat, ctx)
    if light is not None and light.lemma_.lower() in ctx.lex.words("reverse_light"):
        return _reverse_light_trigger(noun, light, pat, ctx)
    own = _noun_arguments(noun, pat, ctx)
    trig = Trigger(pat, noun, [noun], own.sources, own.targets, own.sym,
                   source_how=own.source_how, target_how=own.target_how)
    if light is not None:
        _light_arguments(trig, noun, light, ctx)
    if not trig.sources:
        _implicit_sources(trig, noun, own, ctx)
    if not trig.targets and pat.event_type in ctx.lex.types("content-clause"):
        ext = extraposed_content(noun)
        content = [c for c in noun.children if c.dep_ in {"acl", "ccomp"}]
        trig.targets = content_subject_targets(content + ([ext] if ext is not None else []),
                                               ctx)
        trig.target_how = "content-subject" if trig.targets else trig.target_how
    if not trig.sources and own.modifiers:
        # "Israeli air raids", "U.S.-south Korea joint military exercises"; a drill or test
        # needs no recipient (docs/annotation.md), anything else does
        trig.sources, trig.source_how = own.modifiers, "modifier"
        trig.weak = pat.event_type not in ctx.lex.types("no-recipient")
    # "Foreign personages paid visits ... Among them were A, B and C": the light verb's group
    # subject names no one, the list after it does (the source rule reads it)
    return trig if trig.sources or (light is not None
                                    and elaborated_source(noun, ctx)) else None


def _gerund_verbs(word: str) -> list[str]:
    """The verbs an -ing word may be made of: "sanctioning" → sanction, "imposing" →
    impose, "shelling" → shell (and shel), "stopping" → stop."""
    if not word.endswith("ing") or len(word) < 6:
        return []
    stem = word[:-3]
    out = [stem, stem + "e"]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        out.append(stem[:-1])
    return out


def gerund_pattern(noun: Token, ctx: Context) -> Pattern | None:
    """A gerund nominalization is its verb's act: "Australia's sanctioning of Iranian
    officials", "the U.S. sanctioning of seven directors" are Australia and the U.S.
    sanctioning them. The verb's first pattern that holds on the noun (a row with object
    conditions cannot: a noun has no direct object), coded as a noun whose "of" phrase is
    the patient (``GERUND``: the rule records it). Only for -ing nouns no noun row knows
    ("meeting" and "bombing" have their own)."""
    if noun.tag_ != "NN":
        return None
    for verb in _gerund_verbs(noun.lower_):
        pats = ctx.lex.verbs.get(verb)
        pat = match(pats, noun, ctx.lex, ctx.owner) if pats else None
        if pat is not None:
            return replace(pat, pos=GERUND, target_preps=pat.target_preps | {"of"})
    return None


# The pos a gerund's borrowed verb pattern records ("pattern:sanction/gerund").
GERUND = "GERUND"


def _noun_arguments(noun: Token, pat: Pattern, ctx: Context) -> _NounArguments:
    """Sources, targets and party modifiers named in the noun's own phrase."""
    out = _NounArguments(pat.sym)
    for c in noun.children:
        if (owner := _possessor(c)) is not None:
            out.source(actors_of(owner, ctx), "possessor")
        elif c.dep_ == "prep" and c.lower_ == "by":
            out.source(actors_of(_pobj(c), ctx), "by")
        elif c.dep_ == "prep" and c.lower_ == "between":
            out.source(actors_of(_pobj(c), ctx), "between")
            out.sym = True
        elif c.dep_ == "prep" and c.lower_ == "in" and (name := _in_the_name_of(c)):
            out.source(actors_of(name, ctx), "in-the-name-of")
        elif c.dep_ == "prep" and c.lower_ in pat.target_preps:
            out.target(actors_of(_pobj(c), ctx), "preposition")
        elif c.dep_ == "prep" and c.lower_ == "of":  # "a message of greeting to X"
            for pobj in (p for p in c.children if p.dep_ == "pobj"):
                for pp in pobj.children:
                    if pp.dep_ == "prep" and pp.lower_ in pat.target_preps:
                        out.target(actors_of(_pobj(pp), ctx), "of-phrase")
        elif c.dep_ in {"compound", "amod", "nmod"} and (m := ctx.owner[c.i]) is not None \
                and m.kind in PARTY_KINDS:
            # "U.S.-South Korean joint drills", "Russian-Chinese talks", "the
            # Japan-China-ROK summit" (the parser hangs "China" on "ROK")
            for x in [m, *hyphen_joined(m, ctx)]:
                if all(x is not y for y, _ in out.modifiers):
                    out.modifiers.extend((x, a) for a in x.actors)
    return out


def _possessor(c: Token) -> Token | None:
    """A noun's child that is its possessor, or the possessor the parser hung on the noun's
    compound rather than on the noun ("North Korea's ballistic missile launches", with
    "launches" read as a verb: "Korea" is the possessor of "missile"); the possessive still
    owns the whole phrase."""
    if c.dep_ == "poss":
        return c
    if c.dep_ != "compound":
        return None
    return next((p for p in c.children if p.dep_ == "poss"), None)


def _in_the_name_of(prep: Token) -> Token | None:
    """The bearer a thing is sent or laid in the name of ("floral baskets in the names of
    the missions of UNICEF and WHO", "a message in the name of the Government"): the noun
    after "of", the sender, as a possessor would be."""
    name = _pobj(prep)
    if name is None or name.lemma_.lower() != "name":
        return None
    of = next((p for p in name.children if p.dep_ == "prep" and p.lower_ == "of"), None)
    return _pobj(of) if of is not None else None


def _addressee_trigger(noun: Token | None, light: Token, pat: Pattern,
                       ctx: Context) -> Trigger | None:
    """"They will pay a dear price", "they will pay dearly" (``noun`` None: the verb's own
    pattern): the one who pays is the target; the speaker (the subject of a governing
    speech verb), else the outlet's state, is the source."""
    targets = actors_of(_payer(light, ctx), ctx)
    speaker = light
    while speaker.dep_ in {"conj", "xcomp", "aux"} and speaker.head.i != speaker.i:
        speaker = speaker.head
    sources: list[Pair] = []
    how = "speaker"
    if speaker.dep_ == "ccomp" and speaker.head.lemma_.lower() in ctx.lex.words("speech_verb"):
        sources = actors_of(subject(speaker.head, ctx), ctx)
    if not sources and ctx.home:
        home = ctx.home
        sources = [(targets[0][0], Actor(text=home, country=home, code=home))] \
            if targets else []
        how = "outlet"
    if not sources or not targets:
        return None
    words = [light] if noun is None else [light, noun]
    return Trigger(pat, light, words, sources, targets, False, False,
                   source_how=how, target_how="light-subject")


def _payer(light: Token, ctx: Context) -> Token | None:
    """Who is to pay: the verb's subject, or, under a passive of compulsion ("will be made
    to pay", "will be forced to pay dearly"), the passive's own subject, whom the passive
    has no agent to name (the parser hangs "to pay" as an xcomp or an advcl)."""
    found = subject(light, ctx)
    if found is None and light.dep_ in {"xcomp", "advcl"} and is_passive(light.head):
        found = next((c for c in light.head.children if c.dep_ == "nsubjpass"), None)
    return found


def _reverse_light_trigger(noun: Token, light: Token, pat: Pattern,
                           ctx: Context) -> Trigger | None:
    """"received a message of greeting from Putin": the sender acts on the receiver."""
    heads = [noun, light] + [o for p in noun.children if p.dep_ == "prep"
                             and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    frm = [p for t in heads for p in t.children if p.dep_ == "prep" and p.lower_ == "from"]
    sources = [a for p in frm for a in actors_of(_pobj(p), ctx)]
    targets = actors_of(subject(light, ctx), ctx)
    if not sources:
        return None
    return Trigger(pat, light, [light, noun], sources, targets, False, False,
                   source_how="from", target_how="light-subject")


def _light_arguments(trig: Trigger, noun: Token, light: Token, ctx: Context) -> None:
    """A light verb's arguments for its event noun: "talks were held between A and B", the
    verb's subject, the verb's objects."""
    trig.anchor = light
    trig.words = [light, noun]
    if not trig.sources:
        for c in light.children:
            if c.dep_ == "prep" and c.lower_ == "between":
                trig.sources = actors_of(_pobj(c), ctx)
                trig.sym = trig.sym or len(trig.sources) > 1
                trig.source_how = "between"
    if not trig.sources:
        trig.sources = actors_of(subject(light, ctx), ctx)
        trig.source_how = "subject"
    if not trig.targets:
        trig.targets = verb_targets(light, trig.pattern, trig.sources, ctx, skip=noun)
        trig.target_how = "light-object"


def _implicit_sources(trig: Trigger, noun: Token, own: _NounArguments, ctx: Context) -> None:
    """Sources the noun's phrase does not name: a participle's agent, the parties of an "of"
    phrase, the subject of the clause the noun sits in."""
    for c in noun.children:  # "the joint drill staged by the U.S. and the ROK"
        if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in ctx.lex.light:
            by = agent(c)
            if by is not None:
                trig.sources, trig.source_how = actors_of(by, ctx), "participle-agent"
    if not trig.sources and not own.modifiers and "of" not in trig.pattern.target_preps:
        # (where "of" names the target, "denunciation of the drills of A and B", its actors
        # are the targets, not the parties)
        own.modifiers = _of_parties(noun, ctx)
    if not trig.sources and not own.modifiers and noun.dep_ == "pobj" \
            and (noun.head.lower_ in {"in", "with"} or light_allows(trig.pattern, noun.head)):
        # "released a statement in support of X", "in protest against X": the clause's act
        gov = noun.head.head
        verb = gov if gov.pos_ in {"VERB", "AUX"} else gov.head
        if verb.pos_ in {"VERB", "AUX"}:
            trig.sources = actors_of(subject(verb, ctx), ctx)
            trig.source_how = "clause-subject"


def _of_parties(noun: Token, ctx: Context) -> list[Pair]:
    """"the 10th meeting of the DPRK-Syria Joint Economic Committee": two parties named in
    the "of" phrase's modifiers."""
    parties: list[Pair] = []
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                mods = actors_of(pobj, ctx)
                if len({a.country for _, a in mods}) >= 2:
                    parties = mods
    return parties
