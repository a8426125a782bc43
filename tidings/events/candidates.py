"""Candidates: every coding the rules propose for a sentence, with the rules' own verdict.

A ``Candidate`` is one proposed event: the trigger and its pattern row, the clause's
status, the coding (type, mode, CAMEO) after the rewrites, the sources and targets with how
each was found, the rule's name, and the verdict of the rules: kept, or dropped with a
reason (``DropReason``: negated, hypothetical, complement, no-target ...). A rule that
drops a candidate does not stop the others: the arguments are still resolved, so a
learned scorer (issue #11) sees every candidate whole and may overrule a verdict; the
``decide`` step of ``events.stage`` chooses which candidates become events.

Each rule is a small function over one candidate (``RULES``, run in order), or over the
sentence (``outlet_candidates``, ``say_must_candidates``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Span, Token

from ..model import Actor, Voice
from ..syntax import doc_text, sentence_tokens, tokens_with, words
from .arguments import (
    Context,
    Pair,
    actors_of,
    conditional_targets,
    elaborated_source,
    elaborated_target,
    extraposed_content,
    fallback_targets,
    located_source,
    reported_speaker,
    same_actor,
    subject,
)
from .lexicon import NO_EVENT, Coding, Pattern
from .modality import (
    DropReason,
    Status,
    clause_status,
    controlled_form,
    in_hypothetical,
    intent_form,
    negated,
    refusal_form,
    scheduled,
    ultimatum,
)
from .triggers import Trigger


@dataclass
class Candidate:
    """One proposed event of one sentence and the rules' verdict on it."""

    sentence_index: int
    words: list[Token]  # the trigger's words: the event's "trigger" offsets
    anchor: Token  # the clause's verb (the light verb of "paid a visit"), or the trigger word
    pattern: Pattern | None  # the pattern row that fired; None for the sentence rules
    rule: str  # the rule's name as the event records it ("pattern:meet/verb+refuse")
    event_type: str
    mode: str | None
    cameo: str
    sources: list[Pair]
    targets: list[Pair]
    sym: bool  # conjoined sources act on each other ("A and B met")
    source_how: str = ""  # how the sources were found (Trigger.source_how, located, ...)
    target_how: str = ""  # how the targets were found (Trigger.target_how, fallback, ...)
    status: Status = "real"  # what the trigger's clause tells (modality.Status)
    weak: bool = False  # source only from a modifier: needs a target
    voice: Voice = "actor"
    trigger: Trigger | None = field(default=None, repr=False)
    announced: Coding | None = None  # the act itself, beside its intent coding
    dropped: DropReason | None = None  # None: the rules keep it

    @property
    def kept(self) -> bool:
        return self.dropped is None

    def drop(self, reason: DropReason) -> None:
        """Record the rules' verdict; the first reason stands."""
        if self.dropped is None:
            self.dropped = reason

    def recode(self, coding: Coding) -> None:
        self.event_type, self.mode, self.cameo = coding


@dataclass
class Sentence:
    """One sentence being coded: its index, its span and its triggers."""

    index: int
    span: Span
    triggers: list[Trigger]
    by_anchor: dict[int, Trigger] = field(init=False)

    def __post_init__(self) -> None:
        self.by_anchor = {t.anchor.i: t for t in self.triggers}

    @cached_property
    def question(self) -> bool:
        """(Asked by a rule of every candidate: spaCy joins the span's tokens for its text.)"""
        text = doc_text(self.span.doc)[self.span.start_char : self.span.end_char]
        return text.rstrip().rstrip("\"'”’").endswith("?")


def propose(trig: Trigger, sent: Sentence) -> Candidate:
    """A trigger's candidate as its pattern row codes it, before any rule."""
    pat = trig.pattern
    return Candidate(sent.index, trig.words, trig.anchor, pat, pat.rule, pat.event_type,
                     pat.mode, pat.cameo, list(trig.sources), list(trig.targets), trig.sym,
                     source_how=trig.source_how, target_how=trig.target_how, weak=trig.weak,
                     trigger=trig)


# ---------------------------------------------------------------------------------------------
# rules over one candidate


def question_rule(c: Candidate, sent: Sentence, ctx: Context | None) -> None:
    """A question reports no event."""
    if sent.question:
        c.drop("question")


def no_event_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """A NONE row codes a statement PLOVER leaves out: it matched, but emits nothing."""
    if c.event_type == NO_EVENT:
        c.drop("no-event-row")


def complement_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """A complement is coded by the word that governs it: a speech-act noun's content, what
    protesters call for, a control verb's infinitive, a nominal act another trigger takes as
    its object ("condemned the missile launch")."""
    a = c.anchor
    if _speech_act_content(a, sent, ctx.lex.types("content-clause")) \
            or _participle_content(a, sent, ctx.lex.types("participle-content")) \
            or _controlled(a, sent) \
            or (c.trigger is not None and c.trigger.content_of is not None):
        c.drop("complement")


def _speech_act_content(anchor: Token, sent: Sentence, content_types: frozenset[str]) -> bool:
    """"its demand that Israel ease restrictions" (the noun's clause, or extraposed:
    "reiterated its demand today that ..."): the content of a demand, threat, accusation,
    refusal or agreement, coded by that noun."""
    if anchor.dep_ in {"acl", "ccomp"} and anchor.head.pos_ in {"NOUN", "PROPN"}:
        ctl = sent.by_anchor.get(anchor.head.i)
        if ctl is not None and ctl.pattern.event_type in content_types:
            return True
    if anchor.dep_ != "ccomp":
        return False
    obj = next((c for c in anchor.head.children if c.dep_ == "dobj"), None)
    if obj is None:
        return False
    ctl = sent.by_anchor.get(obj.i)
    light = sent.by_anchor.get(anchor.head.i)
    if ctl is None and light is not None and any(w.i == obj.i for w in light.words):
        ctl = light  # the noun is a light verb's object: "reiterated its demand ... that"
    ext = extraposed_content(obj)
    return ctl is not None and ctl.pattern.event_type in content_types \
        and ext is not None and ext.i == anchor.i


def _participle_content(anchor: Token, sent: Sentence, types: frozenset[str]) -> bool:
    """"demonstrated in Kirkuk, calling for independence": what protesters call for is
    their protest's content, not an act of its own."""
    if anchor.dep_ != "advcl" or anchor.tag_ != "VBG" or any(
            c.dep_ == "mark" for c in anchor.children):
        return False
    ctl = sent.by_anchor.get(anchor.head.i)
    return ctl is not None and ctl.pattern.event_type in types


def _controlled(anchor: Token, sent: Sentence) -> bool:
    """A complement of a control verb ("refused to meet"), coded by that verb."""
    if anchor.dep_ not in {"xcomp", "ccomp", "pcomp"}:
        return False
    ctl = sent.by_anchor.get(anchor.head.i)
    if ctl is None and anchor.head.dep_ == "prep":
        ctl = sent.by_anchor.get(anchor.head.head.i)
    return ctl is not None and ctl.pattern.control


def status_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """The clause's status: not told as happening (dropped, with why), announced, or refused
    (a cooperative act refused is REJECT; a hostile one refused is no event)."""
    a = c.anchor
    if a.pos_ in {"NOUN", "PROPN"}:
        if negated(a, ctx.lex):
            c.drop("negated")
        elif in_hypothetical(a, ctx.lex):
            c.drop("hypothetical")
        status: Status = "real"
        reason: DropReason | None = None
        if a.head.pos_ in {"VERB", "AUX"} and a.dep_ in {"dobj", "nsubj"}:
            status, reason = clause_status(a.head, ctx.lex)
    else:
        status, reason = clause_status(a, ctx.lex)
    c.status = status
    if reason is not None:
        c.drop(reason)
    if status == "refuse":
        form = refusal_form(c.event_type, ctx.lex)
        if form is None:
            c.drop("refused-hostile-act")
        else:
            c.recode(form)
        c.rule += "+refuse"


def control_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """A control verb takes over its complement's event ("refused to meet" is REJECT,
    "threatened to shell" THREATEN) and, with no target, the complement's."""
    pat = c.pattern
    if pat is None or not pat.control:
        return
    inner = _complement_trigger(c.anchor, sent)
    if inner is not None and (inner.anchor.dep_ == "xcomp" or pat.event_type != "THREATEN"):
        # "threatened to shell": the source's own act; but in "warned X against deploying"
        # the act is the target's, and the warning stays a warning
        c.recode(controlled_form(pat, inner.pattern.event_type, inner.pattern.mode, ctx.lex))
    if c.targets:
        return
    comp = next((x for x in c.anchor.children if x.dep_ == "ccomp"), None)
    if comp is not None and c.event_type in ctx.lex.types("content-target"):
        subj = next((x for x in comp.children if x.dep_ in {"nsubj", "nsubjpass"}), None)
        c.targets, c.target_how = actors_of(subj, ctx), "content-subject"
    if not c.targets and inner is not None:
        c.targets, c.target_how = list(inner.targets), "complement"


def _complement_trigger(anchor: Token, sent: Sentence) -> Trigger | None:
    return next((t for t in sent.triggers if t.anchor.i != anchor.i and (
        (t.anchor.head.i == anchor.i and t.anchor.dep_ in {"xcomp", "ccomp", "pcomp"})
        or (t.anchor.head.dep_ == "prep" and t.anchor.head.head.i == anchor.i))), None)


def threat_target_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """A threat with no target is aimed at its condition's subject ("... if X goes ahead")."""
    if c.event_type == "THREATEN" and not c.targets:
        c.targets, c.target_how = conditional_targets(c.anchor, ctx), "condition-subject"


def intent_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """An announced act: on an "unless" condition a threat (CAMEO 13x, aimed at the
    condition's subject); else its intent form (intent.tsv), the scheduled act kept too."""
    if c.status != "intent":
        return
    if ultimatum(c.anchor):
        # "will withdraw its force from Chad unless President Goukouni arranged a
        # ceasefire": an act announced on a condition the other side must meet is a threat
        c.recode(ctx.lex.rule_codes["ultimatum"])
        found = conditional_targets(c.anchor, ctx)
        if found:
            c.targets, c.target_how = found, "condition-subject"
        c.rule += "+unless"
        return
    if ctx.lex.intent.get(c.event_type, {}).get("keep") == "yes" and scheduled(c.anchor):
        c.announced = (c.event_type, c.mode, c.cameo)
    c.recode(intent_form(c.event_type, c.mode, c.cameo, ctx.lex))


def source_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """The members of a group subject listed after the act ("+listed"); else sources with a
    country; else an actor named without one, coded with the country where it acts
    ("+located"); else no event."""
    srcs = [(m, a) for m, a in c.sources if a.country]
    listed = elaborated_source(c.anchor, ctx)
    if listed:  # the list says who "they" were, better than any guess at the pronoun
        srcs = listed
        c.rule += "+listed"
        c.source_how = "listed"
    if not srcs:
        srcs = located_source(c.anchor, c.pattern.event_type if c.pattern else c.event_type,
                              ctx)
        c.rule += "+located"
        c.source_how = "located"
    c.sources = srcs
    if not srcs:
        c.drop("no-source")


# The prepositions that name a partner of a joint act.
PARTNER_PREPS = frozenset({"with", "alongside"})


def _partner_objects(words: list[Token]) -> list[Token]:
    """Objects of "with" and "alongside" on the trigger's words, also under "together"
    or "jointly" ("conducted an exercise together with the U.S.")."""
    preps = [p for w in words for p in w.children if p.dep_ == "prep"]
    preps += [p for w in words for a in w.children if a.dep_ == "advmod"
              for p in a.children if p.dep_ == "prep"]
    return [o for p in preps if p.lower_ in PARTNER_PREPS for o in p.children
            if o.dep_ == "pobj"]


def partner_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """A partner in a joint act acts too: "X staged drills with Y" is a drill of X and one
    of Y, not X's drill against Y (docs/annotation.md §10, partners)."""
    if c.event_type not in ctx.lex.types("joint") or not c.sources:
        return
    partners = [pair for o in _partner_objects([c.anchor, *c.words])
                for pair in actors_of(o, ctx) if pair[1].country]
    if not partners:
        return
    c.targets = [(m, a) for m, a in c.targets if not any(same_actor(a, b) for _, b in partners)]
    c.sources = c.sources + [(m, a) for m, a in partners
                             if not any(same_actor(a, s) for _, s in c.sources)]
    c.source_how += "+partner"


def target_rule(c: Candidate, sent: Sentence, ctx: Context) -> None:
    """Targets with a country that are not the source (nor, for cooperation, its
    compatriots); else the objects a coordinated predicate shares; else the nearest actor in
    the predicate's phrase; an internal act with none targets the source's own country
    ("+domestic"); a row that needs a target and has none is no event."""
    srcs = c.sources
    tgts = [(m, a) for m, a in c.targets if a.country and not any(same_actor(a, x) for _, x in srcs)
            and (c.event_type not in ctx.lex.types("same-country-dropped")
                 or all(a.country != x.country for _, x in srcs))]
    paired = c.sym and len(srcs) > 1
    if not tgts and not paired and c.trigger is not None:
        tgts, c.target_how = _shared_targets(c.trigger, sent.triggers), "shared"
    if not tgts and not paired:
        tgts = [(m, a) for m, a in elaborated_target(c.anchor, ctx)
                if all(a.country != x.country for _, x in srcs)]
        c.target_how = "listed" if tgts else c.target_how
    # an announced release or concession is still an internal act: the act's own type
    # decides, not its intent form ("The Fijian rebels said they will release ...")
    base = c.pattern.event_type if c.pattern else c.event_type
    domestic = c.event_type in ctx.lex.domestic or base in ctx.lex.domestic
    if not tgts and not paired:
        tgts = fallback_targets(c.anchor, c.words, srcs, ctx, domestic)
        c.target_how = "fallback"
    c.targets = tgts
    has_pair = bool(tgts) or paired
    if ((c.pattern is not None and c.pattern.needs_target) or c.weak) and not has_pair:
        c.drop("no-target")
        return
    if not has_pair and domestic and srcs:
        c.targets = [(m, Actor(text=a.text, name=None, country=a.country, code=a.country))
                     for m, a in srcs[:1]]
        c.target_how = "domestic"
        c.rule += "+domestic"


def _shared_targets(trig: Trigger, triggers: list[Trigger]) -> list[Pair]:
    """Objects shared by coordinated predicates: "met and had a friendly talk with X"."""
    a = trig.anchor
    for other in triggers:
        o = other.anchor
        if o.i == a.i or not other.targets:
            continue
        if (o.dep_ == "conj" and o.head.i == a.i) or (a.dep_ == "conj" and a.head.i == o.i):
            return list(other.targets)
    return []


Rule = Callable[[Candidate, Sentence, Context], None]

# The rules over one candidate, in the order they run (each documented above).
RULES: tuple[Rule, ...] = (
    question_rule, no_event_rule, complement_rule, status_rule, control_rule,
    threat_target_rule, intent_rule, source_rule, partner_rule, target_rule,
)


def judge(c: Candidate, sent: Sentence, ctx: Context) -> Candidate:
    """Run every rule on one candidate."""
    for rule in RULES:
        rule(c, sent, ctx)
    return c


def codings(c: Candidate) -> list[Candidate]:
    """The candidate and the other codings of the same act: the act itself beside its
    announced intent ("+announced", intent.tsv keep), a row's second coding ("+also")."""
    out = [c]
    if c.announced is not None and c.announced[0] != c.event_type:
        extra = replace(c, rule=c.rule + "+announced", announced=None)
        extra.recode(c.announced)
        out.append(extra)
    if c.pattern is not None and c.pattern.also and c.status == "real":
        etype, cameo = c.pattern.also
        out.append(replace(c, rule=c.rule + "+also", event_type=etype, mode=None, cameo=cameo,
                           announced=None))
    return out


# ---------------------------------------------------------------------------------------------
# rules over the sentence


def outlet_candidates(sent: Sentence, ctx: Context) -> list[Candidate]:
    """An outlet that speaks for a state condemns: "Japan's discharge ... is a hideous crime",
    "due to the ROK's wanton violation of ..." (docs/annotation.md: the outlet is the
    source, and its condemnation happens when it is published: voice "outlet"). Inside a
    foreign speaker's reported words, the speaker condemns ("pattern:speaker-condemn")."""
    home = ctx.home
    if not home:
        return []
    out: list[Candidate] = []
    condemnation = ctx.lex.rule_codes["outlet-condemn"]
    for tok, tgts in outlet_condemnations(sent.span, ctx):
        speaker = reported_speaker(tok, ctx)
        if speaker is not None and speaker[1].country not in {home, "IGO"}:
            # the words are a foreign speaker's the outlet reports: "the chairperson of
            # the ... Party of Romania said that ... it beat back the U.S. aggression"
            theirs = [(m, a) for m, a in tgts if a.country != speaker[1].country]
            c = _sentence_candidate(sent, tok, "pattern:speaker-condemn", condemnation,
                                    [speaker], theirs, "speaker")
            if not theirs:
                c.drop("no-target")
            out.append(c)
            continue
        src = Actor(text=ctx.article.source or home, name=None, country=home, code=home)
        c = _sentence_candidate(sent, tok, "pattern:outlet-condemn", condemnation,
                                [(tgts[0][0], src)], tgts, "outlet")
        c.voice = "outlet"
        out.append(c)
    return out


def _sentence_candidate(sent: Sentence, tok: Token, rule: str, coding: Coding,
                        srcs: list[Pair], tgts: list[Pair], source_how: str) -> Candidate:
    etype, mode, cameo = coding
    c = Candidate(sent.index, [tok], tok, None, rule, etype, mode, cameo, srcs, tgts, False,
                  source_how=source_how, target_how="condemned")
    question_rule(c, sent, ctx=None)
    return c


def say_must_candidates(sent: Sentence, ctx: Context) -> list[Candidate]:
    """"X said (that) Y must/should Z": X demands of Y (REQUEST, with the intent table's 10x
    code of the demanded act)."""
    obligation = ctx.lex.words("obligation_aux")
    speech = ctx.lex.words("speech_verb")
    request, _, request_cameo = ctx.lex.rule_codes["say-must"]
    out: list[Candidate] = []
    for tok in sentence_tokens(sent.span):
        if tok.dep_ != "ccomp" or tok.head.lemma_.lower() not in speech:
            continue
        if not any(c.dep_ == "aux" and c.lower_ in obligation for c in tok.children):
            continue
        srcs = [(m, a) for m, a in actors_of(subject(tok.head, ctx), ctx) if a.country]
        subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        tgts = [(m, a) for m, a in actors_of(subj, ctx)
                if a.country and all(a.country != x.country for _, x in srcs)]
        inner = sent.by_anchor.get(tok.i)
        row = ctx.lex.intent.get(inner.pattern.event_type, {}) if inner is not None else {}
        c = Candidate(sent.index, [tok.head], tok.head, None, "pattern:say-must/ccomp",
                      request, row.get("request_mode") or None,
                      row.get("request_cameo") or request_cameo, srcs, tgts, False,
                      source_how="speaker", target_how="content-subject")
        question_rule(c, sent, ctx)
        if negated(tok.head, ctx.lex):
            c.drop("negated")
        elif not srcs:
            c.drop("no-source")
        elif not tgts:
            c.drop("no-target")  # (a leader's exhortation to his own people)
        out.append(c)
    return out


def outlet_condemnations(span: Span, ctx: Context) -> list[tuple[Token, list[Pair]]]:
    """Pejorative nominals of a state outlet about a foreign actor: "Japan's discharge ... is
    a hideous crime", "the ROK's wanton violation", "X are going to stage provocative
    exercises" (the outlet is the source: docs/annotation.md)."""
    out = []
    for tok in tokens_with(span, words(span.doc).pos, {"NOUN", "PROPN"}):
        if not _pejorative(tok, ctx):
            continue
        tgts = _condemned(_holders(tok, ctx), ctx)
        if tgts:
            out.append((tok, tgts))
    return out


def _pejorative(tok: Token, ctx: Context) -> bool:
    """A condemning noun ("crime", "provocation"), or a noun with a condemning adjective.
    (Asked of every word of a state outlet's sentences: the cheap questions first.)"""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    adjs = ctx.lex.classes.get("condemn_adj", frozenset())
    condemning = tok.lemma_.lower() in ctx.lex.classes.get("condemn", frozenset()) or any(
        c.dep_ == "amod" and c.lower_ in adjs and not _anti(c) for c in tok.children)
    return condemning and not negated(tok, ctx.lex)


def _holders(tok: Token, ctx: Context) -> list[Token]:
    """The words whose actors a pejorative is about: itself, what it is apposed or conjoined
    to, and the subject of the clause that calls something so ("X is a crime")."""
    holders = [tok]
    cur = tok
    while cur.dep_ in {"appos", "conj"} and cur.head.i != cur.i:
        cur = cur.head
        holders.append(cur)
    if cur.dep_ not in {"attr", "dobj"}:
        return holders
    verb = cur.head
    # "X is not a crime" denies the label; "X are not stopping this dirty play" keeps it;
    # "is not the one merely concerning some countries but a hideous crime" asserts it
    denied = cur.dep_ == "attr" and negated(verb, ctx.lex) and not (
        tok.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "but"
                                   for c in tok.head.children))
    if denied or verb.lemma_.lower() in ctx.lex.words("speech_verb"):
        return holders
    subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subj and verb.dep_ == "xcomp":
        # "the U.S. and the ROK are going to stage ... provocative exercises"
        up = subject(verb, ctx)
        subj = [up] if up is not None else []
    return holders + subj


def _condemned(holders: list[Token], ctx: Context) -> list[Pair]:
    """The foreign actors of the first holder that names any."""
    home = ctx.home
    tgts: list[Pair] = []
    for h in holders:
        for c in [h, *h.children]:
            if c.i != h.i and c.dep_ not in {"poss", "compound", "amod", "nmod"}:
                continue
            m = ctx.owner[c.i]
            if m is not None and m.kind != "pronoun" and not _anti(ctx.doc[m.tok_start]):
                # ("the anti-Russia policy of the West" is the West's: Russia is its object)
                tgts += [(m, a) for a in m.actors if a.country and a.country != home]
            for cj in c.conjuncts:
                mm = ctx.owner[cj.i]
                if mm is not None:
                    tgts += [(mm, a) for a in mm.actors
                             if a.country and a.country != home]
        if tgts:
            break
    return tgts


def _anti(adj: Token) -> bool:
    """"anti-imperialist", "anti-Russia" split by the tokenizer: the word is what the
    attitude is against (a negated adjective is not pejorative; an actor is its object)."""
    doc = adj.doc
    return adj.i >= 2 and doc[adj.i - 1].text == "-" and doc[adj.i - 2].lower_ == "anti"
