"""The events stage: predicates and their arguments → PLOVER/CAMEO events, sentence by sentence.

The knowledge is data (``data/patterns/``, read by ``lexicon.py``): ``patterns.tsv`` maps a
verb or nominalization lemma, under conditions on its object, particle, prepositions or
modifiers, to a PLOVER type, mode and CAMEO code; ``intent.tsv`` says what planned,
promised, refused or requested events become; ``modality.tsv`` lists the words of future,
possibility, negation and control; ``classes.tsv`` the word classes conditions refer to.

Steps, per sentence, in order (``extract_with_candidates``):

1. triggers    triggers.find_triggers: light verb + event noun, trigger verbs, free event nouns
2. propose     candidates.propose: one Candidate per trigger, as its pattern row codes it
3. judge       candidates.RULES, each one line in its docstring: question, no-event row,
               complement, clause status (refusal → REJECT), control verb, threat target,
               intent (ultimatum → THREATEN, announced → AGREE ...), sources, partners of
               a joint act, targets
4. codings     candidates.codings: the act itself beside its announced intent, a row's "also"
5. outlet      candidates.outlet_candidates: a state outlet's condemnations (ACCUSE)
6. say-must    candidates.say_must_candidates: "X said Y must Z" (REQUEST)
7. decide      ``decide``: the candidates the rules keep (``extract``); ``propose`` instead
               hands every candidate on with its verdict, for the decide stage's model
8. events      ``to_events``: one event per actor pair of each chosen candidate, a repeat once
9. foreground  ``foreground``: background acts dropped when the sentence has a foreground one

After the places stage, ``aim_at_place`` gives an attack with no named target the country
where it struck.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from .. import ontology
from ..actors import outlet_country
from ..model import Actor, Article, Event, Mention
from ..settings import DEFAULT, Settings
from ..syntax import sentences
from .arguments import Context, Pair, _place_mention, same_actor
from .candidates import (
    Candidate,
    Sentence,
    codings,
    judge,
    outlet_candidates,
    say_must_candidates,
)
from .candidates import propose as propose_candidate
from .lexicon import NO_EVENT, lexicon
from .triggers import find_triggers

# Subordinators of a clause that tells another act's occasion ("one day after a jet shot down
# a helicopter", "as the opposition threatened to storm his residence").
BACKGROUND_MARKS = frozenset({"after", "before", "since", "as", "following", "until"})


def extract(doc: Doc, mentions: list[Mention], article: Article,
            settings: Settings = DEFAULT) -> list[Event]:
    """Every event of a parsed article, in text order (see the module docstring)."""
    return extract_with_candidates(doc, mentions, article, settings)[0]


Decider = Callable[[list[Candidate]], list[Candidate]]


def extract_with_candidates(doc: Doc, mentions: list[Mention], article: Article,
                            settings: Settings = DEFAULT, decider: Decider | None = None,
                            ) -> tuple[list[Event], list[Candidate]]:
    """The events and every candidate the rules proposed, kept or dropped (with why): the
    material a learned candidate scorer trains on. ``decider`` replaces ``decide``."""
    ctx = context(doc, mentions, article, settings)
    choose = decider or decide
    events: list[Event] = []
    candidates: list[Candidate] = []
    for si, span in enumerate(sentences(doc)):
        sent = Sentence(si, span, find_triggers(span, ctx))
        proposed = candidates_of(sent, ctx)
        chosen = choose(proposed)
        events.extend(foreground(to_events(chosen, sent, ctx), doc))
        candidates.extend(proposed)
    return events, candidates


def context(doc: Doc, mentions: list[Mention], article: Article,
            settings: Settings = DEFAULT) -> Context:
    """What every step of one article reads (token ownership from the mentions)."""
    owner: list[Mention | None] = [None] * len(doc)
    for m in mentions:
        for i in range(m.tok_start, min(m.tok_end, len(doc))):
            owner[i] = m
    return Context(doc, article, lexicon(), owner, outlet_country(article), settings)


def candidates_of(sent: Sentence, ctx: Context) -> list[Candidate]:
    """Steps 2-6: every candidate of a sentence, judged by the rules, in emission order."""
    out = [c for trig in sent.triggers
           for c in codings(judge(propose_candidate(trig, sent), sent, ctx))]
    return out + outlet_candidates(sent, ctx) + say_must_candidates(sent, ctx)


def propose(doc: Doc, mentions: list[Mention], article: Article,
            settings: Settings = DEFAULT) -> list[Event]:
    """Every candidate the rules propose, as events, with the rules' verdict in its
    ``proposal``: "keep" for those ``decide`` keeps, "dropped:<reason>" for the others
    (background acts included). The decide stage (tidings.scorer) chooses among them; with
    the rules deciding, the kept ones are exactly what ``extract`` returns."""
    ctx = context(doc, mentions, article, settings)
    out: list[Event] = []
    for si, span in enumerate(sentences(doc)):
        sent = Sentence(si, span, find_triggers(span, ctx))
        proposed = candidates_of(sent, ctx)
        proposed += [act for c in proposed if (act := _announced_act(c)) is not None]
        kept = to_events(decide(proposed), sent, ctx)
        front = {id(ev) for ev in foreground(kept, doc)}
        for c, evs in kept:
            out += [_proposed(ev, c, "keep" if id(ev) in front else "dropped:background")
                    for ev in evs]
        dropped = [_with_outlet_source(c, ctx) for c in proposed if not c.kept]
        for c, evs in to_events([c for c in dropped if c.sources], sent, ctx):
            out += [_proposed(ev, c, f"dropped:{c.dropped}") for ev in evs]
    return out


def _announced_act(c: Candidate) -> Candidate | None:
    """The act itself beside the intent coding of an announced, planned or decided act
    ("decided to keep the artillery units in full combat readiness", "will cut off the roads":
    docs/annotation.md §10, measures stated as plans or decisions), dropped by the rules so
    only the decide stage may keep it; not where the rules already code the act ("keep")."""
    pat = c.pattern
    if c.status != "intent" or pat is None or c.announced is not None \
            or "+unless" in c.rule or pat.event_type in {c.event_type, NO_EVENT}:
        return None
    act = replace(c, rule=c.rule + "+act", announced=None, dropped="announced-act")
    act.recode((pat.event_type, pat.mode, pat.cameo))
    return act


def _with_outlet_source(c: Candidate, ctx: Context) -> Candidate:
    """A candidate the rules dropped for want of a source, with the outlet's state as one
    when the outlet speaks for a state (docs/annotation.md §10: an act told with no agent
    in a state outlet's report is its state's)."""
    if c.dropped != "no-source" or not ctx.home or c.sources:
        return c
    home = Actor(text=ctx.article.source or ctx.home, name=None, country=ctx.home,
                 code=ctx.home)
    return replace(c, sources=[(_place_mention(c.anchor), home)], source_how="outlet")


def _proposed(ev: Event, c: Candidate, verdict: str) -> Event:
    """The event with what the rules knew of its candidate, for the decide stage."""
    ev["proposal"] = {"verdict": verdict, "status": c.status, "source_how": c.source_how,
                      "target_how": c.target_how, "weak": c.weak, "voice": c.voice}
    return ev


def decide(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates that become events: today exactly those the rules keep.

    This is where a learned scorer goes (issue #11): it sees every candidate, its features
    and the rules' verdict (``Candidate.dropped``), and returns the ones to code, in order."""
    return [c for c in candidates if c.kept]


def to_events(chosen: list[Candidate], sent: Sentence,
              ctx: Context) -> list[tuple[Candidate, list[Event]]]:
    """Each chosen candidate's events: one per (source, target) pair; a pair of a type that
    an earlier candidate of the sentence already coded is not coded again."""
    seen: set[tuple[str | None, ...]] = set()
    out: list[tuple[Candidate, list[Event]]] = []
    for c in chosen:
        evs: list[Event] = []
        if c.event_type == NO_EVENT:  # a row PLOVER leaves out has no event to code
            out.append((c, evs))
            continue
        for s, t in _pairs(c.sources, c.targets, c.sym):
            key = (c.event_type, s.country, s.name, s.sector,
                   t.country if t else None, t.name if t else None)
            if key in seen:
                continue
            seen.add(key)
            evs.append(_event(c, s, t, sent.span, ctx))
        out.append((c, evs))
    return out


def _pairs(srcs: list[Pair], tgts: list[Pair], sym: bool) -> list[tuple[Actor, Actor | None]]:
    """Every source with every target; for a symmetric act with no target, the sources with
    each other; else each source alone."""
    pairs: list[tuple[Actor, Actor | None]] = []
    if tgts:
        pairs += [(s, t) for _, s in srcs for _, t in tgts if not same_actor(s, t)]
    if not pairs and sym and len(srcs) > 1:
        pairs += [(s, t) for i, (_, s) in enumerate(srcs) for j, (_, t) in enumerate(srcs)
                  if i != j and not same_actor(s, t)]
    return pairs or [(s, None) for _, s in srcs]


def _event(c: Candidate, src: Actor, tgt: Actor | None, sent: Span, ctx: Context) -> Event:
    a = min(t.idx for t in c.words)
    b = max(t.idx + len(t.text) for t in c.words)
    sc = ontology.scores(c.event_type, c.mode, c.cameo)
    return Event(
        doc_id=ctx.article.id,
        sentence_index=c.sentence_index,
        sentence=sent.text,
        event_type=c.event_type,
        mode=c.mode,
        cameo=c.cameo,
        quad_class=sc["quad_class"],
        goldstein=sc["goldstein"],
        plover_score=sc["plover_score"],
        source=src.to_dict(),
        target=tgt.to_dict() if tgt is not None else None,
        event_text=ctx.article.text[a:b],  # (Doc.text joins every token per call)
        evidence={"start": sent.start_char, "end": sent.end_char},
        trigger={"start": a, "end": b},
        rule=c.rule,
        date=None,
        date_precision=None,
        date_text=None,
        date_source=None,
        location=None,
        voice=c.voice,
    )


def foreground(coded: list[tuple[Candidate, list[Event]]], doc: Doc) -> list[Event]:
    """Drop a sentence's background events when it reports one in the foreground.

    "Italy announced a suspension of air links with Serbia, one day after a Serbian army jet
    shot down a helicopter": the sentence reports the suspension; the downing is told as its
    occasion (after/before/since/as clauses), and "guerrillas who overran it", "suspected of
    blowing up a Pan Am plane" describe a participant (relative, participial and "of"
    clauses). Told on its own, such an act is still coded. A dropped candidate records it."""
    found = [(c, ev) for c, evs in coded for ev in evs]
    if len(found) < 2:
        return [ev for _, ev in found]
    flags = [_is_background(doc, ev) for _, ev in found]
    if all(flags) or not any(flags):
        return [ev for _, ev in found]
    for (c, _), bg in zip(found, flags, strict=True):
        if bg:
            c.drop("background")
    return [ev for (_, ev), bg in zip(found, flags, strict=True) if not bg]


def _is_background(doc: Doc, ev: Event) -> bool:
    span = doc.char_span(ev["trigger"]["start"], ev["trigger"]["end"], alignment_mode="expand")
    if span is None:
        return False
    return any(_background_clause(node) for node in [span.root, *span.root.ancestors])


def _background_clause(node: Token) -> bool:
    """A relative or participial clause, an after/before/since/as clause, or "of" + -ing."""
    if node.dep_ in {"relcl", "acl"} and node.pos_ in {"VERB", "AUX"}:
        return True
    if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS
                                    for c in node.children):
        return True
    return node.dep_ == "pcomp" and node.head.lower_ == "of"  # "suspected of blowing up"


def aim_at_place(events: list[Event]) -> list[Event]:
    """Give an attack with no named target the country it happened in (needs the places of
    the where stage, so the pipeline runs it after that): types.tsv's place-target types."""
    attacks = lexicon().types("place-target")
    for ev in events:
        loc = ev.get("location")
        iso = loc["country"] if loc else None
        if loc and iso and ev.get("target") is None and ev["event_type"] in attacks:
            ev["target"] = Actor(text=loc.get("text") or iso, name=None, country=iso,
                                 code=iso).to_dict()
            ev["rule"] += "+place"
    return events
