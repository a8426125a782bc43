"""The discourse stage: candidates the sentence's grammar alone does not give.

The pattern rules (events.py) read one clause at a time: a verb, its subject, its object.
News and statements also speak through documents ("An article discloses the sinister
intention of Japan"), through conditions ("If they ignore this warning, they will pay a dear
price"), through lists of senders ("Congratulations came from the chairperson of ... of
Russia, ...") and through the act a statement answers ("This is a dangerous act"). Each step
here names one such phenomenon (docs/annotation.md §10) and proposes candidates for it; the
decide stage's model, trained on the gold's train split, says which of them hold. With the
rules alone (no model) none of them is emitted: their verdict is not "keep".

Steps before dates and places (``propose``), one sentence at a time:

    document_voice      a document or outlet as the subject of a verb of judging, urging,
                        warning or praising speaks for its issuer (or the outlet's state)
    conditional_threat  a consequence announced on a condition, or befalling a foreign
                        subject, is a threat from the speaker toward whoever it would strike
    message_senders     "N came from A, B and C", "X received N from A, B and C", "N were
                        sent by A, B and C": each sender's SUPPORT ("They came from ..."
                        after a sentence naming the messages too); "A and B exchanged
                        messages": SUPPORT both ways
    statement_topic     "This is a dangerous act": the outlet condemns the act's actor named
                        in the sentences before
    outlet_judgement    "The U.S. is scheming to ...": a state outlet's own clause that says
                        something damning of its foreign subject accuses it
    labelling           "NATO termed the DPRK a threat": calling a state something damning
                        is the labeller's accusation of it
    agentless_acts      an act with no agent is the state outlet's state's, or the act of
                        the sentence before's subject

then over every candidate so far:

    multilateral        every pair of the states at a meeting of three or more

Steps after dates and places (``alternatives``), one candidate at a time:

    target_alternatives every other foreign actor in the trigger's clause, as the target
    type_alternatives   the types a trigger is often confused with (alternatives.tsv)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from . import data, ontology, tone
from .actors import outlet_country, reported_sayer
from .events.arguments import VENUES, agent, is_passive, listed_members
from .events.lexicon import NO_EVENT, lexicon, match
from .model import Actor, Article, Event, Mention, country_of
from .settings import DEFAULT as SETTINGS
from .syntax import sentences, tokens_with
from .syntax import words as doc_words

# How many sentences back the act a statement answers is looked for ("This is a dangerous
# act" follows the report of the act, usually at once; KCNA statements put it in the lead).
TOPIC_SENTENCES_BACK = 2
# At most this many alternative targets per candidate: the nearest in the clause. Four cover
# "the U.S., Japan and the ROK" plus one more; more only adds far-away actors of other acts.
MAX_TARGET_ALTERNATIVES = 4
# Clause-level dependencies a target is not looked for under (another act's clause).
CLAUSE_BOUNDARY = frozenset({"ccomp", "advcl", "relcl", "parataxis"})
# Subordinators of a condition.
CONDITION_MARKS = frozenset({"if", "unless", "should", "once", "lest"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
FIRST_PERSON = frozenset({"we", "us", "our", "i", "me", "my"})

# Steps whose act is the outlet's own speech (dated by publication, as the events stage's
# outlet condemnations are): a document's judgement, a statement's answer to an act.
OUTLET_STEPS = frozenset({"document", "topic", "threat", "threat-topic", "judgement"})


def words() -> dict[str, frozenset[str]]:
    """The word classes of discourse.tsv (data.word_classes reads and checks them once)."""
    return data.word_classes(data.DISCOURSE)


@lru_cache(maxsize=1)
def type_alternatives() -> dict[str, tuple[tuple[str, str], ...]]:
    """type → ((alternative type, its CAMEO code), ...) of alternatives.tsv."""
    return {r["event_type"]: tuple(tuple(item.split(":", 1)) for item  # type: ignore[misc]
                                   in r["alternatives"].split("|"))
            for r in data.rows(data.ALTERNATIVES)}


@dataclass
class Context:
    """One parsed article as the discourse steps read it."""

    doc: Doc
    article: Article
    home: str | None
    owner: list[Mention | None]
    sents: list[Span] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)  # tokens of the rules' own triggers
    # _clause_targets by clause root: a trigger's candidates and their alternatives ask
    # for the same clause's actors again and again
    clause_actors: dict[int, list[tuple[Actor, str, int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc, mentions: Iterable[Mention], article: Article,
           found: Iterable[Event] = ()) -> Context:
        owner: list[Mention | None] = [None] * len(doc)
        for m in mentions:
            for i in range(m.tok_start, min(m.tok_end, len(doc))):
                owner[i] = m
        taken: set[int] = set()
        for ev in found:
            span = _trigger_span(doc, ev)
            taken.update(t.i for t in span or ())
        return cls(doc, article, outlet_country(article), owner, sentences(doc), taken)

    def home_actor(self) -> Actor | None:
        if not self.home:
            return None
        return Actor(text=self.article.source or self.home, name=None, country=self.home,
                     code=self.home)

    def actors_under(self, root: Token, skip: set[int] | None = None) -> list[Actor]:
        """Actors with a country named in a token's subtree, in text order, once each."""
        out: list[Actor] = []
        seen: set[int] = set()
        for t in root.subtree:
            m = self.owner[t.i]
            if m is None or (skip and t.i in skip) or id(m) in seen or m.kind == "pronoun" \
                    and not any(a.country for a in m.actors):
                continue
            seen.add(id(m))
            out.extend(a for a in m.actors if a.country)
        return out


def _subtree_ids(tok: Token | None) -> set[int]:
    return {t.i for t in tok.subtree} if tok is not None else set()


def _subject(v: Token) -> Token | None:
    return next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def _distinct(actors: Iterable[Actor], not_country: str | None) -> list[Actor]:
    out: list[Actor] = []
    for a in actors:
        if a.country and a.country != not_country and all(a.country != b.country for b in out):
            out.append(a)
    return out


def _make(ctx: Context, si: int, etype: str, cameo: str, src: Actor, tgt: Actor | None,
          words_: list[Token], step: str, **info: Any) -> Event:
    """A candidate event in the contract's shape, marked as this stage's proposal."""
    sent = ctx.sents[si]
    a = min(t.idx for t in words_)
    b = max(t.idx + len(t.text) for t in words_)
    sc = ontology.scores(etype, None, cameo)
    return Event(
        doc_id=ctx.article.id, sentence_index=si, sentence=sent.text, event_type=etype,
        mode=None, cameo=cameo, quad_class=sc["quad_class"], goldstein=sc["goldstein"],
        plover_score=sc["plover_score"], source=src.to_dict(),
        target=tgt.to_dict() if tgt is not None else None,
        event_text=ctx.article.text[a:b], evidence={"start": sent.start_char,
                                                    "end": sent.end_char},
        trigger={"start": a, "end": b}, rule=f"discourse:{step}", date=None,
        date_precision=None, date_text=None, date_source=None, location=None,
        voice="outlet" if src.country == ctx.home and step in OUTLET_STEPS else "actor",
        proposal={"verdict": f"discourse:{step}", **info})


# ------------------------------------------------------------------------------ steps


def _document_kind(v: Token) -> tuple[str, str] | None:
    """The act a document performs with this verb: (type, CAMEO), or None."""
    w = words()
    lemma = v.lemma_.lower()
    for kind, etype, cameo in (("accuse_verb", "ACCUSE", "111"), ("request_verb", "REQUEST",
                                                                  "020"),
                               ("threaten_verb", "THREATEN", "130"),
                               ("support_verb", "SUPPORT", "051"),
                               ("say_verb", "ACCUSE", "111")):
        if lemma in w[kind]:
            return etype, cameo
    return None


def _condemns(t: Token) -> bool:
    """A pejorative word of the outlet-condemnation classes."""
    classes = lexicon().classes
    return t.lemma_.lower() in classes.get("condemn", frozenset()) \
        or t.lower_ in classes.get("condemn_adj", frozenset())


def _condemning(root: Token) -> bool:
    """A pejorative word of the outlet-condemnation classes under the token."""
    return any(_condemns(t) for t in root.subtree)


def _is_document(tok: Token) -> bool:
    return tok.lemma_.lower() in words()["document_noun"]


def document_voice(ctx: Context, si: int, sent: Span) -> list[Event]:
    """"An article discloses the sinister intention of Japan": the document speaks for its
    issuer (an actor among its modifiers, "the Foreign Ministry's white paper"), else for
    the outlet's state."""
    out: list[Event] = []
    for v in tokens_with(sent, doc_words(sent.doc).pos, {"VERB"}):
        subj = _subject(v)
        if subj is None or not _is_document(subj) or ctx.owner[subj.i] is not None:
            continue
        kind = _document_kind(v)
        if kind is None:
            continue
        etype, cameo = kind
        if v.lemma_.lower() in words()["say_verb"] and not _condemning(v):
            continue
        skip = _subtree_ids(subj)
        issuers = ctx.actors_under(subj)
        src = issuers[0] if issuers else ctx.home_actor()
        if src is None:
            continue
        for tgt in _distinct(ctx.actors_under(v, skip), src.country)[:MAX_TARGET_ALTERNATIVES]:
            out.append(_make(ctx, si, etype, cameo, src, tgt, [subj, v], "document",
                             issuer="named" if issuers else "outlet"))
    return out


def _speaker(ctx: Context, tok: Token) -> Actor | None:
    """Who announces: the sayer of the reported speech the word is in, else the outlet's
    state (a statement published in full is the outlet's voice, guide §5)."""
    climb = SETTINGS.speaker_climb
    sayer = reported_sayer(tok, 2 * climb, climb)
    if sayer is not None:
        found = ctx.actors_under(sayer)
        if found:
            return found[0]
    return ctx.home_actor()


def _condition(v: Token) -> Token | None:
    return next((c for c in v.children if c.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children)), None)


def _future(v: Token) -> bool:
    if any(c.dep_ in {"aux", "auxpass"} and c.lower_ in FUTURE_AUX for c in v.children):
        return True
    # "will have to pay", "will be made to pay": the future sits on the governing verb
    head = v.head if v.dep_ == "xcomp" else None
    return head is not None and any(c.dep_ in {"aux", "auxpass"} and c.lower_ in FUTURE_AUX
                                    for c in head.children)


def _own_side(tok: Token | None, ctx: Context, speaker: Actor) -> bool:
    if tok is None:
        return False
    if tok.lower_ in FIRST_PERSON:
        return True
    found = ctx.actors_under(tok)
    return bool(found) and all(a.country == speaker.country for a in found)


def _threat_targets(ctx: Context, v: Token, cond: Token | None,
                    speaker: Actor) -> list[Actor] | None:
    """Whom a threat is aimed at, or None when the clause is no threat."""
    w = words()
    skip = _subtree_ids(cond)
    lemmas = {t.lemma_.lower() for t in v.subtree if t.i not in skip}
    subj = _subject(v) or (_subject(v.head) if v.dep_ == "xcomp" else None)
    foreign_subj = _distinct(ctx.actors_under(subj), speaker.country) if subj is not None \
        else []
    if lemmas & w["consequence"] and foreign_subj:
        return foreign_subj
    if cond is not None and (lemmas & w["consequence"] or (
            _own_side(subj, ctx, speaker) and lemmas & w["force"])):
        csubj = _subject(cond)
        found = _distinct(ctx.actors_under(csubj), speaker.country) if csubj is not None \
            else []
        return found or _distinct(ctx.actors_under(cond), speaker.country)
    if subj is not None and subj.lower_ in {"those", "whoever", "anyone", "provocateurs"} \
            and lemmas & w["consequence"]:
        return []  # aimed at the topic: "those who ... will have to pay a high price"
    return None


def conditional_threat(ctx: Context, si: int, sent: Span) -> list[Event]:
    """"If the ROK ..., it will witness the new counteraction of the DPRK", "provocateurs
    will be made to pay a dear price": THREATEN from the speaker toward whoever the
    consequence would strike (guide §10); never toward the speaker's own side."""
    out: list[Event] = []
    for v in tokens_with(sent, doc_words(sent.doc).pos, {"VERB", "AUX"}):
        if not _future(v):
            continue
        speaker = _speaker(ctx, v)
        if speaker is None:
            continue
        cond = _condition(v)
        targets = _threat_targets(ctx, v, cond, speaker)
        if targets is None:
            continue
        step = "threat"
        if not targets:
            targets, step = _topic_actors(ctx, si, speaker.country), "threat-topic"
        for tgt in targets[:MAX_TARGET_ALTERNATIVES]:
            out.append(_make(ctx, si, "THREATEN", "130", speaker, tgt, [v], step,
                             conditional=cond is not None))
    return out


def _from_senders(ctx: Context, si: int, v: Token, addressee: str | None) -> list[Actor]:
    """The actors after "from": a list of senders often hangs on the verb itself after the
    first one ("came from the chairperson of ... of Russia, the first secretary of ...");
    senders described only as a group ("from heads of government of different countries")
    are those the next sentence lists (``_elaborated``). The addressee's own country is no
    sender ("from foreign personages on the occasion of Korea's liberation")."""
    frm = next((p for p in v.children if p.dep_ == "prep" and p.lower_ == "from"), None)
    msg = _message_object(v) or _subject(v)
    if frm is None and msg is not None:
        # "received messages of greeting from ...": the parser hangs "from" on the message
        frm = next((p for p in msg.subtree if p.dep_ == "prep" and p.lower_ == "from"), None)
    if frm is None:
        return []
    named = [a for a in _named_senders(ctx, v, frm) if a.country != addressee]
    return named or _elaborated(ctx, si)


def _elaborated(ctx: Context, si: int) -> list[Actor]:
    """The actors a sentence lists as the members of the group the sentence before it named:
    "... received messages of greeting from heads of government of different countries.
    Among them are the prime minister of Laos, the prime minister of Nepal and ...". KCNA
    reports greetings, floral baskets and visits this way; each listed sender is a sender."""
    return [a for _, a in listed_members(ctx.sents, si, ctx.owner)]


def _named_senders(ctx: Context, v: Token, frm: Token) -> list[Actor]:
    # the verb's other phrases name no sender ("to X", "on the occasion of the founding of
    # Y"), but a "to" after "from" is the parser hanging a sender's title on the verb ("from
    # the heir to the emir of Kuwait, the prime minister of ...": the rest of the list too)
    skip: set[int] = set()
    for p in v.children:
        if p.dep_ == "prep" and p.lower_ != "from" and not _sender_to(p, frm):
            skip |= _subtree_ids(p)
    out: list[Actor] = []
    for t in v.subtree:
        m = ctx.owner[t.i]
        if t.i > frm.i and t.i not in skip and m is not None and t.i == m.head:
            out.extend(a for a in m.actors if a.country)
    return out


def _sender_to(p: Token, frm: Token | None) -> bool:
    return p.lower_ == "to" and frm is not None and frm.head.i == p.head.i and p.i > frm.i


def _addressees(ctx: Context, v: Token) -> list[Actor]:
    frm = next((p for p in v.children if p.dep_ == "prep" and p.lower_ == "from"), None)
    found = [a for p in v.children if p.dep_ == "prep" and p.lower_ == "to"
             and not _sender_to(p, frm)
             for o in p.children if o.dep_ == "pobj" for a in ctx.actors_under(o)]
    home = ctx.home_actor()
    return found or ([home] if home is not None else [])


# Pronouns that, as the subject of an arrival, stand for the messages the sentence before
# named ("... received congratulatory messages. They came from A, B and C").
MESSAGE_PRONOUNS = frozenset({"they", "these", "it", "this"})


def _message_subject(ctx: Context, si: int, v: Token) -> Token | None:
    """The verb's subject when it is a message, or a pronoun whose antecedent is one: the
    sentence before has a message noun as its subject or object."""
    subj = _subject(v)
    if subj is None:
        return None
    nouns = words()["message_noun"]
    if subj.lemma_.lower() in nouns:
        return subj
    if subj.lower_ not in MESSAGE_PRONOUNS or si == 0 or si > len(ctx.sents):
        return None
    before = ctx.sents[si - 1]
    named = any(t.lemma_.lower() in nouns and t.dep_ in {"nsubj", "nsubjpass", "dobj"}
                for t in before)
    return subj if named else None


def _arrivals(ctx: Context, si: int, v: Token) -> list[Event]:
    subj = _message_subject(ctx, si, v)
    if subj is None:
        return []
    out = []
    for tgt in _addressees(ctx, v)[:1]:
        for src in _distinct(_from_senders(ctx, si, v, tgt.country), tgt.country):
            out.append(_make(ctx, si, "SUPPORT", "051", src, tgt, [subj, v], "senders"))
    return out


def _passive_sendings(ctx: Context, si: int, v: Token) -> list[Event]:
    """"The messages were sent by A, B and C": the passive of "came from A, B and C", each
    agent a sender of the messages toward their addressee (named, else the outlet's state)."""
    subj = _message_subject(ctx, si, v)
    by = next((c for c in v.children if c.dep_ == "agent"), None)
    if subj is None or subj.dep_ != "nsubjpass" or by is None:
        return []
    out = []
    for tgt in _addressees(ctx, v)[:1]:
        for src in _distinct(_named_senders(ctx, v, by), tgt.country):
            out.append(_make(ctx, si, "SUPPORT", "051", src, tgt, [subj, v], "senders"))
    return out


def _message_object(v: Token) -> Token | None:
    """The verb's direct object when it is a message ("received greetings", "exchanged
    letters"), else None."""
    obj = next((c for c in v.children if c.dep_ == "dobj"), None)
    return obj if obj is not None and obj.lemma_.lower() in words()["message_noun"] else None


def _receipts(ctx: Context, si: int, v: Token) -> list[Event]:
    """"X received greetings from A, B and persons in C and D": each sender's SUPPORT toward
    X. The pattern rules code one sender (the nearest); the list is the discourse's."""
    obj = _message_object(v)
    subj = _subject(v)
    if obj is None or subj is None:
        return []
    addressees = _distinct(ctx.actors_under(subj), None)[:1]
    out = []
    for tgt in addressees:
        for src in _distinct(_from_senders(ctx, si, v, tgt.country), tgt.country):
            out.append(_make(ctx, si, "SUPPORT", "051", src, tgt, [v, obj], "receipt"))
    return out


def _exchanges(ctx: Context, si: int, v: Token) -> list[Event]:
    obj = _message_object(v)
    if obj is None:
        return []
    subj = _subject(v)
    parties = ctx.actors_under(subj) if subj is not None else []
    # the partner's "with" hangs on the verb, or on the object's last noun when the parser
    # attaches the phrase to the nearest noun ("exchanged messages of greeting with X")
    withs = [p for p in (*v.children, *obj.subtree) if p.dep_ == "prep" and p.lower_ == "with"]
    parties += [a for p in withs for o in p.children if o.dep_ == "pobj"
                for a in ctx.actors_under(o)]
    sides = _distinct(parties, None)
    return [_make(ctx, si, "SUPPORT", "051", a, b, [v, obj], "exchange")
            for a in sides for b in sides if a.country != b.country]


def message_senders(ctx: Context, si: int, sent: Span) -> list[Event]:
    """Each sender of greetings, sympathy or tribute, and both sides of an exchange of
    messages, as SUPPORT toward the addressee (guide §3, §10a)."""
    out: list[Event] = []
    w, lemmas = words(), doc_words(sent.doc).lemma
    for v in tokens_with(sent, lemmas,
                         w["arrival"] | w["receipt"] | w["exchange"] | w["sending"]):
        lemma = lemmas[v.i]
        if lemma in w["arrival"]:
            out += _arrivals(ctx, si, v)
        elif lemma in w["sending"]:
            out += _passive_sendings(ctx, si, v)
        elif lemma in w["receipt"]:
            out += _receipts(ctx, si, v)
        elif lemma in w["exchange"]:
            out += _exchanges(ctx, si, v)
    return out


def _topic_actors(ctx: Context, si: int, not_country: str | None) -> list[Actor]:
    """The foreign actors of the act a statement answers: those of the nearest of the
    sentences before, else of the lead."""
    for k in [*range(si - 1, max(-1, si - 1 - TOPIC_SENTENCES_BACK), -1), 0]:
        if 0 <= k < len(ctx.sents):
            found = _distinct((a for t in ctx.sents[k] if ctx.owner[t.i] is not None
                               for a in ctx.owner[t.i].actors), not_country)
            if found:
                return found
    return []


def _points_back(tok: Token) -> bool:
    demo = words()["demonstrative"]
    return tok.lower_ in demo or any(c.dep_ == "det" and c.lower_ in demo for c in tok.children)


def statement_topic(ctx: Context, si: int, sent: Span) -> list[Event]:
    """"This is a dangerous act", "Such moves are ...": a state outlet condemns the act
    named before, so its actor is the target (guide §10a: the act a statement answers)."""
    src = ctx.home_actor()
    if src is None:
        return []
    out: list[Event] = []
    for tok in tokens_with(sent, doc_words(sent.doc).dep, {"nsubj", "nsubjpass"}):
        if ctx.owner[tok.i] is not None or not _points_back(tok) or not _condemning(tok.head):
            continue
        if _distinct(ctx.actors_under(tok.head), src.country):
            continue  # the sentence names its own target: the outlet-condemn rule's case
        for tgt in _topic_actors(ctx, si, src.country)[:MAX_TARGET_ALTERNATIVES]:
            out.append(_make(ctx, si, "ACCUSE", "111", src, tgt, [tok, tok.head], "topic"))
    return out


def _judging_words(v: Token, skip: set[int]) -> list[Token]:
    """The words under a clause that judge: the outlet-condemnation classes, and words of
    the tone lexicon at least tone.MIN_VALENCE negative (the cut that best separates KCNA's
    attacks from its greetings)."""
    valence = tone.lexicon()
    return [t for t in v.subtree if t.i not in skip and (
        _condemns(t) or valence.get(t.lower_, 0.0) <= -tone.MIN_VALENCE)]


# The clauses whose subject the outlet judges: main clauses and what its own words report
# ("It is clear that the U.S. ..."); not relative or adverbial clauses (background).
JUDGED_CLAUSES = frozenset({"ROOT", "conj", "ccomp"})


def outlet_judgement(ctx: Context, si: int, sent: Span) -> list[Event]:
    """"The U.S. is scheming to establish an axis of war": a state outlet's own clause that
    says something damning of its foreign subject is the outlet's accusation, whatever its
    verb (guide §2: a commentary that condemns Japan is ACCUSE PRK→JPN; §10, targets). The
    model weighs it by how many words judge (``judging``) and where it stands."""
    home = ctx.home_actor()
    if home is None:
        return []
    out: list[Event] = []
    wd = doc_words(sent.doc)
    for v in tokens_with(sent, wd.pos, {"VERB", "AUX"}):
        if wd.dep[v.i] not in JUDGED_CLAUSES:
            continue
        subj = _subject(v)
        if subj is None or any(c.dep_ == "neg" for c in v.children):
            continue
        speaker = _speaker(ctx, v)
        if speaker is None or speaker.country != home.country:
            continue  # a foreign speaker's words: the rules' speaker-condemn case
        targets = _distinct(ctx.actors_under(subj), home.country)
        if not targets:
            continue
        # the clause's own words: not its subject's, nor another clause's (what it reports)
        skip = _subtree_ids(subj).union(*(_subtree_ids(c) for c in v.children
                                           if c.dep_ in CLAUSE_BOUNDARY))
        judging = _judging_words(v, skip)
        for tgt in targets[:MAX_TARGET_ALTERNATIVES] if judging else ():
            out.append(_make(ctx, si, "ACCUSE", "111", home, tgt, [subj, v], "judgement",
                             judging=len(judging)))
    return out


# How far up the clauses the labeller of a participle is looked for ("The U.S. let out
# rubbish terming our country ...": "rubbish" names no one, "let out" has the U.S.);
# two reaches a participle on a clause on the main verb.
LABELLER_CLIMB = 2


def labelling(ctx: Context, si: int, sent: Span) -> list[Event]:
    """"NATO termed the DPRK a threat", "branded Japan as a war criminal", "described the
    drills as a provocation": calling a state something damning is the labeller's
    accusation of it (guide §3 ACCUSE), whoever reports it."""
    out: list[Event] = []
    lemmas = doc_words(sent.doc).lemma
    for v in tokens_with(sent, lemmas, words()["label_verb"]):
        labelled, label = _labelled(v)
        if labelled is None or label is None or not _judging_words(label, set()):
            continue
        src = _labeller(ctx, v)
        if src is None:
            continue
        targets = _distinct(ctx.actors_under(labelled), src.country) or _distinct(
            ctx.actors_under(label), src.country)
        for tgt in targets[:MAX_TARGET_ALTERNATIVES]:
            out.append(_make(ctx, si, "ACCUSE", "111", src, tgt, [v], "labelling"))
    return out


def _labelled(v: Token) -> tuple[Token | None, Token | None]:
    """(what a verb of calling names, what it calls it): "termed X a threat" (two objects,
    or an object predicate), "branded X as a threat"."""
    # the parser reads "terming Iran a threat" as a dative and an object too
    objs = sorted((c for c in v.children if c.dep_ in {"dobj", "dative"}), key=lambda c: c.i)
    label = next((c for c in v.children if c.dep_ == "oprd"), None) or (
        objs[1] if len(objs) > 1 else None)
    if label is None:
        as_ = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        label = next((c for c in as_.children if c.dep_ == "pobj"), None) if as_ else None
    return (objs[0] if objs else None), label


def _labeller(ctx: Context, v: Token) -> Actor | None:
    """The subject's actor, else that of the verb the participle's clause hangs on ("issued
    a statement terming ...": the verb above the noun)."""
    for _ in range(LABELLER_CLIMB + 1):
        subj = _subject(v)
        found = ctx.actors_under(subj) if subj is not None else []
        if found:
            return found[0]
        if v.dep_ == "ROOT":
            return None
        v = v.head
        while v.pos_ not in {"VERB", "AUX"} and v.dep_ != "ROOT":
            v = v.head
    return None


def _agentless(tok: Token, ctx: Context) -> bool:
    """No agent in the grammar: a passive verb without "by", a nominal act without a
    possessor, "by" phrase or actor modifier ("the launch of a new-type ICBM"), or a noun
    under a passive light verb ("a test-fire was conducted")."""
    if tok.pos_ == "VERB":
        return is_passive(tok) and agent(tok) is None
    for c in tok.children:
        if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by") or (
                c.dep_ in {"compound", "amod", "nmod"} and ctx.owner[c.i] is not None):
            return False
    head = tok.head
    if tok.dep_ == "nsubjpass" and head.pos_ == "VERB":
        return agent(head) is None
    if tok.dep_ == "dobj" and head.pos_ == "VERB":
        # the object of a verb with a subject is that subject's act (events.py's light verbs)
        return _subject(head) is None and head.dep_ not in {"xcomp", "conj", "advcl"}
    return True


def _previous_agent(ctx: Context, si: int) -> Actor | None:
    """The subject actor of the sentence before: the act is told as its continuation."""
    if si == 0:
        return None
    prev = ctx.sents[si - 1]
    subj = _subject(prev.root)
    found = ctx.actors_under(subj) if subj is not None else []
    return found[0] if found else None


def _gathering_places(ctx: Context, tok: Token) -> list[Actor]:
    """The foreign countries where the gathering an act was done at is said to be held: "a
    message ... was adopted at the seminar held in Mongolia", "at the meetings held in
    Pakistan, Denmark and Sweden", "at the memorial meeting in Nepal". Only a gathering's
    place: an act done in a place ("an agreement was signed in Moscow") may be anyone's."""
    verb = tok if tok.pos_ == "VERB" else tok.head
    return _foreign_countries(ctx, (t for pobj in _prep_objects([verb], GATHERING_PREPS)
                                    for place in _held_in(pobj)
                                    for t in (place, *place.conjuncts)))


def _protest_places(ctx: Context, tok: Token) -> list[Actor]:
    """The foreign countries a protest with no agent is held in: "a demonstration was staged
    outside the ROK embassy in London", "a rally was held in Seoul". A protest is itself a
    gathering, and the gathered are of its place (guide §10a: an anti-U.S. rally in the ROK
    is the ROK's); the country of the embassy protested at is the target, not the place."""
    noun = tok.head if tok.dep_ == "compound" else tok  # "a protest demonstration"
    holders = [noun] + ([noun.head] if noun.dep_ in {"nsubjpass", "dobj", "nsubj"} else [])
    places: list[Token] = []
    for pobj in _prep_objects(holders, PROTEST_SITES):
        if pobj.lower_ == "front":  # "in front of the embassy in Tokyo"
            pobj = next((o for p in pobj.children if p.lower_ == "of"
                         for o in p.children if o.dep_ == "pobj"), pobj)
        places += [pobj, *_held_in(pobj)]
    return _foreign_countries(ctx, places)


def _prep_objects(heads: Iterable[Token], preps: Collection[str]) -> Iterator[Token]:
    """The objects of the heads' prepositions that are one of ``preps``."""
    for h in heads:
        for prep in h.children:
            if prep.dep_ == "prep" and prep.lower_ in preps:
                yield from (c for c in prep.children if c.dep_ == "pobj")


def _foreign_countries(ctx: Context, places: Iterable[Token]) -> list[Actor]:
    """The countries other than the outlet's that these words name as country mentions."""
    return _distinct((a for t in places if (m := ctx.owner[t.i]) is not None
                      and m.kind == "country" for a in m.actors), ctx.home)


# Where a protest is said to stand: "in Seoul", "outside the embassy", "at the square".
PROTEST_SITES = frozenset({"in", "outside", "at", "near", "before"})


def _own_targets(ctx: Context, tok: Token, preps: Iterable[str]) -> list[Actor]:
    """The recipient in an act noun's own phrase ("a message to Kim Jong Un was adopted"):
    the clause's targets leave out the subject, and an agentless act is often its subject."""
    if tok.pos_ == "VERB":
        return []
    return [a for c in tok.children if c.dep_ == "prep" and c.lower_ in preps
            for p in c.children if p.dep_ == "pobj" for a in ctx.actors_under(p)]


def _held_in(noun: Token) -> list[Token]:
    """"the seminar held in Mongolia", "the meeting in Nepal": the places a gathering noun
    is said to be held in (none for a noun that is no gathering: a place, a country)."""
    if noun.pos_ != "NOUN":
        return []
    holders = [noun, *(acl for acl in noun.children if acl.dep_ == "acl"
                       and acl.lemma_ == "hold")]
    return [p for h in holders for prep in h.children
            if prep.dep_ == "prep" and prep.lower_ == "in"
            for p in prep.children if p.dep_ == "pobj"]


def agentless_acts(ctx: Context, si: int, sent: Span) -> list[Event]:
    """An act told with no agent is the participants' of the foreign gathering it was done
    at, else the outlet's state's when a state outlet reports it, else the act of whoever
    the sentence before was about (guide §10: "a test-fire was conducted", "the launch of a
    new-type ICBM"; §10c: "a message was adopted at the seminar held in Mongolia")."""
    lex = lexicon()
    out: list[Event] = []
    wd = doc_words(sent.doc)
    for tok in tokens_with(sent, wd.pos, {"VERB", "NOUN"}):
        pats = (lex.verbs if wd.pos[tok.i] == "VERB" else lex.nouns).get(wd.lemma[tok.i])
        if not pats or tok.i in ctx.taken or not _agentless(tok, ctx):
            continue
        pat = match(pats, tok, lex, ctx.owner)
        if pat is None or pat.event_type == NO_EVENT:
            continue
        places = _gathering_places(ctx, tok) or (
            _protest_places(ctx, tok) if pat.event_type == "PROTEST" else [])
        home = ctx.home_actor() or _previous_agent(ctx, si)
        sources = places or ([home] if home is not None else [])
        step = "agentless-place" if places else \
            "agentless-home" if ctx.home else "agentless-previous"
        for src in sources:
            targets = [a for a in _own_targets(ctx, tok, pat.target_preps)
                       + [a for a, _, _ in _clause_targets(ctx, tok)]
                       if a.country != src.country]
            choices: list[Actor | None] = [*_distinct(targets, src.country)[:1]] or [None]
            for tgt in choices:
                out.append(_make(ctx, si, pat.event_type, pat.cameo, src, tgt, [tok], step,
                                 pattern=pat.rule))
    return out


# The prepositions that name the gathering an act was done at ("adopted at the seminar").
GATHERING_PREPS = frozenset({"at", "in"})

SENTENCE_STEPS: tuple[Callable[[Context, int, Span], list[Event]], ...] = (
    document_voice, conditional_threat, message_senders, statement_topic, outlet_judgement,
    labelling, agentless_acts)


def _key(ev: Event) -> tuple[Any, ...]:
    return (ev.get("sentence_index"), ev.get("event_type"),
            country_of(ev.get("source")), country_of(ev.get("target")))


# Words that make a meeting one of several parties ("a trilateral meeting", "tripartite
# summit"); and the most parties paired (beyond, the sentence lists more than a meeting).
MULTI_WORDS = frozenset({"trilateral", "tripartite", "multilateral", "three-way", "four-way",
                         "quadrilateral", "three-party", "six-party", "summit"})
MAX_PARTIES = 5


def _party_countries(ctx: Context, evs: list[Event], trig: Token) -> list[Actor]:
    """Every party of a meeting of several: its candidates' sources and targets and, when
    its noun says it is one of several or names several states in its modifiers ("a
    Japan-U.S.-ROK Foreign Ministers' Meeting", "a tripartite summit"), every state and
    person of its sentence (the parser often scatters such lists) but the venue's."""
    named_evs = [ev for ev in evs if not _verdict(ev).startswith("discourse:agentless")
                 and (ev.get("proposal") or {}).get("source_how") != "outlet"]
    parties = [Actor(**ev["source"]) for ev in named_evs]
    parties += [Actor(**ev["target"])  # type: ignore[arg-type]
                for ev in named_evs if ev.get("target")]
    left = _noun_phrase_left(trig)
    named = _distinct((a for t in left if ctx.owner[t.i] is not None
                       for a in ctx.owner[t.i].actors), None)  # type: ignore[union-attr]
    if len(named) >= 2 or {t.lower_ for t in left} & MULTI_WORDS:
        sent = trig.sent
        parties += [a for t in sent if (m := ctx.owner[t.i]) is not None and t.i == m.head
                    and m.kind in {"name", "title", "country", "igo", "description"}
                    and not _venue(t) for a in m.actors]
    return _distinct(parties, None)[:MAX_PARTIES]


def _venue(t: Token) -> bool:
    """Where a meeting was held ("in Helsinki"), not who met there (guide §10)."""
    return t.dep_ == "pobj" and t.head.lower_ in VENUES


def _noun_phrase_left(trig: Token, limit: int = 12) -> list[Token]:
    """The words before a noun back to the nearest verb, preposition or sentence start (its
    modifiers, however the parser attached them)."""
    out: list[Token] = []
    for t in reversed(list(trig.doc[max(trig.sent.start, trig.i - limit): trig.i])):
        if t.pos_ in {"VERB", "AUX", "ADP"} and t.lower_ != "of":
            break
        out.append(t)
    return list(reversed(out))


def multilateral(ctx: Context, found: list[Event]) -> list[Event]:
    """Every pair of the states at a meeting of three or more (docs/annotation.md §10b:
    each pair of named states at a multilateral meeting is a CONSULT)."""
    by_trigger: dict[tuple[int, int], list[Event]] = {}
    for ev in found:
        if ev.get("event_type") == "CONSULT" and ev.get("trigger"):
            by_trigger.setdefault((ev["trigger"]["start"], ev["trigger"]["end"]), []).append(ev)
    out: list[Event] = []
    for evs in by_trigger.values():
        trig = _trigger_token(ctx.doc, evs[0])
        if trig is None:
            continue
        parties = _party_countries(ctx, evs, trig)
        if len(parties) < 3:
            continue
        base = evs[0]
        for i, a in enumerate(parties):
            for b in parties[i + 1:]:
                pair = base.copy()
                pair["source"], pair["target"] = a.to_dict(), b.to_dict()
                pair["rule"], pair["mode"] = base["rule"] + "+pairs", "multilateral"
                pair["proposal"] = {**(base.get("proposal") or {}), "verdict": "discourse:pairs"}
                out.append(pair)
    return out


def propose(doc: Doc, mentions: Iterable[Mention], article: Article,
            found: list[Event]) -> list[Event]:
    """The rules' candidates followed by this stage's new ones (none already proposed)."""
    ctx = Context.of(doc, mentions, article, found)
    seen = {_key(ev) for ev in found}
    out = list(found)

    def add(ev: Event) -> None:
        if _key(ev) not in seen and (ev["source"].get("country"), country_of(ev.get("target"))) \
                not in _pairs_seen(out, ev):
            seen.add(_key(ev))
            out.append(ev)

    for si, sent in enumerate(ctx.sents):
        for step in SENTENCE_STEPS:
            for ev in step(ctx, si, sent):
                add(ev)
    for ev in multilateral(ctx, list(out)):
        add(ev)
    return out


def _pairs_seen(found: list[Event], ev: Event) -> set[tuple[str | None, str | None]]:
    """The (source, target) country pairs of a sentence's symmetric meetings already
    proposed, both ways (a meeting of A and B need not be proposed as B and A too)."""
    if ev.get("event_type") != "CONSULT":
        return set()
    pairs: set[tuple[str | None, str | None]] = set()
    for other in found:
        if other.get("event_type") == "CONSULT" and \
                other.get("sentence_index") == ev.get("sentence_index"):
            s, t = other["source"].get("country"), country_of(other.get("target"))
            pairs |= {(s, t), (t, s)}
    return pairs


# ------------------------------------------------------------------------------ alternatives


def _trigger_span(doc: Doc, ev: Event) -> Span | None:
    trig = ev.get("trigger") or {}
    if not isinstance(trig.get("start"), int):
        return None
    span = doc.char_span(trig["start"], trig["end"], alignment_mode="expand")
    return span if span is not None and len(span) else None


def _trigger_token(doc: Doc, ev: Event) -> Token | None:
    span = _trigger_span(doc, ev)
    return span.root if span is not None else None


def _clause(tok: Token) -> Token:
    """The clause a trigger belongs to: a nominal trigger's governing verb."""
    if tok.pos_ in {"NOUN", "PROPN"} and tok.head.pos_ in {"VERB", "AUX"} and tok.dep_ in {
            "dobj", "nsubj", "nsubjpass", "attr"}:
        return tok.head
    return tok


def _path(trigger: Token, tok: Token) -> tuple[str, int]:
    """The dependency path from a trigger down to a token ("dobj>prep>pobj"), and its length;
    "other" when the token is not under the trigger."""
    steps: list[str] = []
    cur, top = tok, trigger.i
    while cur.i != top:
        if cur.head.i == cur.i:
            return "other", 9
        # a preposition names its relation ("prep:with" is a partner, "prep:against" a target)
        steps.append(f"prep:{cur.lower_}" if cur.dep_ in {"prep", "agent"} else cur.dep_)
        cur = cur.head
    return ">".join(reversed(steps[-3:])), len(steps)


def _within_clause(root: Token, tok: Token) -> bool:
    """The token hangs under the root without crossing into another clause."""
    cur = tok
    while cur.i != root.i:
        if cur.dep_ in CLAUSE_BOUNDARY or cur.head.i == cur.i:
            return False
        cur = cur.head
    return True


def _clause_targets(ctx: Context, trig: Token) -> list[tuple[Actor, str, int]]:
    """Actors of the trigger's clause outside its subject, and those of the subject a
    relative clause on a predicate noun is about (``_predicated_subject``), nearest first,
    each at its mention's head: (actor, dependency path, path length). Made once per clause
    (shared: do not change the list)."""
    root = _clause(trig)
    if root.i in ctx.clause_actors:
        return ctx.clause_actors[root.i]
    skip = _subtree_ids(_subject(root))
    found: list[tuple[Actor, str, int]] = []
    for t in root.subtree:
        m = ctx.owner[t.i]
        if m is None or t.i in skip or t.i != m.head or not _within_clause(root, t):
            continue
        path, depth = _path(root, t)
        found.extend((a, path, depth) for a in m.actors)
    found.extend(_predicated_subject(ctx, root))
    found.sort(key=lambda x: x[2])
    ctx.clause_actors[root.i] = found
    return found


# The path and depth given to the actors of a predicated subject: as far as an "of" inside
# the clause's object ("dobj>prep:of>pobj", three steps), not nearer than the clause's own.
PREDICATED_PATH, PREDICATED_DEPTH = "predicated-subject", 3


def _predicated_subject(ctx: Context, root: Token) -> list[tuple[Actor, str, int]]:
    """"X's discharge is a crime that threatens all countries": a relative clause on the
    predicate noun of "be" tells what the copula's subject does, so the subject's actors
    are the clause's targets too (guide §10, targets inside a noun phrase)."""
    attr = root.head
    while attr.dep_ == "conj" and attr.head.i != attr.i:  # "is not X but a crime that ..."
        attr = attr.head
    if root.dep_ not in {"relcl", "acl"} or attr.dep_ != "attr" or attr.head.lemma_ != "be":
        return []
    subj = _subject(attr.head)
    if subj is None:
        return []
    return [(a, PREDICATED_PATH, PREDICATED_DEPTH) for a in ctx.actors_under(subj)]


def _verdict(ev: Event) -> str:
    """The verdict of the candidate an alternative comes from (its base, for an
    alternative of an alternative)."""
    prop = ev.get("proposal") or {}
    return str(prop.get("base") or prop.get("verdict") or "keep")


# The verdict of a candidate that is another candidate with another target.
ALT_TARGET = "alt:target"


def is_target_alternative(ev: Event) -> bool:
    return (ev.get("proposal") or {}).get("verdict") == ALT_TARGET


def target_alternatives(ctx: Context, ev: Event) -> list[Event]:
    """Every other actor of the trigger's clause as the candidate's target (guide §10: the
    target may sit inside a noun phrase, "the provocations of X")."""
    trig = _trigger_token(ctx.doc, ev)
    src = country_of(ev.get("source"))
    if trig is None or not src:
        return []
    current = country_of(ev.get("target"))
    out: list[Event] = []
    taken = {current}
    for actor, path, depth in _clause_targets(ctx, trig):
        if actor.country in taken or actor.country == src or not actor.country:
            continue
        taken.add(actor.country)
        alt = ev.copy()  # shallow: stages replace an event's nested values, never edit them
        alt["target"] = actor.to_dict()
        alt["proposal"] = {**(ev.get("proposal") or {}), "verdict": ALT_TARGET,
                           "base": _verdict(ev), "tgt_path": path, "tgt_depth": min(depth, 6)}
        out.append(alt)
        if len(out) >= MAX_TARGET_ALTERNATIVES:
            break
    return out


def type_alternatives_of(ev: Event) -> list[Event]:
    """The same act coded as each type it is often confused with (alternatives.tsv); the
    model keeps the most probable type per trigger and argument pair."""
    out: list[Event] = []
    for etype, cameo in type_alternatives().get(str(ev.get("event_type")), ()):
        alt = ev.copy()
        sc = ontology.scores(etype, None, cameo)
        alt["event_type"], alt["mode"], alt["cameo"] = etype, None, cameo
        alt["quad_class"], alt["goldstein"] = sc["quad_class"], sc["goldstein"]
        alt["plover_score"] = sc["plover_score"]
        alt["proposal"] = {**(ev.get("proposal") or {}), "verdict": "alt:type",
                           "base": _verdict(ev), "from_type": ev.get("event_type")}
        out.append(alt)
    return out


def alternatives(events: list[Event], doc: Doc, mentions: Iterable[Mention],
                 article: Article) -> list[Event]:
    """The candidates, each followed by its alternative targets and types (after dates and
    places, which alternatives share with the candidate they come from)."""
    ctx = Context.of(doc, mentions, article)
    out: list[Event] = []
    for ev in events:
        out.append(ev)
        targets = target_alternatives(ctx, ev)
        out.extend(targets)
        for base in [ev, *targets]:
            out.extend(type_alternatives_of(base))
    return out
