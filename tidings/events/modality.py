"""A clause's status: happened, announced, refused, or not told as happening (and why).

The words are data (``data/patterns/modality.tsv``, ``intent.tsv``). Negated events,
if/unless clauses, purposes, questions and could/should/must are not coded; future and
intent turn into AGREE or THREATEN (intent.tsv); a negated intent of a cooperative act
("will not lift the embargo") is a refusal, REJECT with the intent table's 12x code.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Token

from .arguments import MOTION_VERBS, agent, held_gathering, is_passive
from .lexicon import Coding, Lexicon, Pattern

# What the clause tells: the act happened ("real"), is announced or planned ("intent"), is
# refused ("refuse": a negated intent), or is not told as happening ("drop").
Status = Literal["real", "intent", "refuse", "drop"]
# Why a candidate is not coded: the rules' verdict (candidates.py); the clause status gives some.
DropReason = Literal[
    "question", "no-event-row", "complement", "negated", "hypothetical", "purpose", "modal",
    "reference", "unrealised", "prediction", "refused-hostile-act", "no-source", "no-target",
    "background", "announced-act",
]
ClauseStatus = tuple[Status, DropReason | None]

# "until"/"till" with a present-tense clause refers to a future condition ("until the drills are
# terminated"), which has not happened; with a past tense it reports what did ("fought until
# the town fell"), so only the former is dropped.
FUTURE_MARKS = {"until", "till"}
# "unless" on an announced act makes it an ultimatum (coded as rule_codes.tsv's "ultimatum").
ULTIMATUM_MARKS = frozenset({"unless"})
# Auxiliaries that schedule an act ("will pay a state visit from June 20 to 21"), unlike
# "would" (reported or conditional) or an intent verb ("offered to negotiate").
SCHEDULE_AUX = frozenset({"will", "shall", "'ll", "wo"})
# How far up a clause chain (xcomp, conj, acomp) a verb's status is looked for.
STATUS_CLIMB = 6

REAL: ClauseStatus = ("real", None)
INTENT: ClauseStatus = ("intent", None)


def negated(tok: Token, lex: Lexicon) -> bool:
    """A "not"/"never"/"no" on the word itself."""
    neg = lex.words("negation")
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ in {"advmod", "det", "preconj"} and c.lower_ in neg):
            return True
    return False


def clause_status(v: Token, lex: Lexicon) -> ClauseStatus:
    """What the clause of verb ``v`` tells (see ``Status``), with the reason of a drop."""
    status = REAL
    cur = v
    for _ in range(STATUS_CLIMB):
        found = _own_status(cur, lex)
        if found[0] in {"drop", "refuse"}:
            return found
        if found[0] == "intent":
            status = INTENT
        if cur.dep_ == "xcomp":
            found = _governor_status(cur.head, lex)
            if found[0] == "drop":
                return found
            if found[0] == "intent":
                status = INTENT
            cur = cur.head
            continue
        if cur.dep_ in {"conj", "acomp"}:
            cur = cur.head
            continue
        # (a conditional higher up, "if it attacked ..., X would ...", only drops its own
        # clause, which _own_status has already seen)
        break
    if v.lemma_.lower() == "go" or any(c.lower_ == "going" for c in v.children):
        status = INTENT
    if status[0] == "intent" and is_passive(v) and agent(v) is not None:
        # "the scum will be criticized by their people": a prediction about what others will
        # do, not an intent the agent announced
        return ("drop", "prediction")
    return status


def _own_status(cur: Token, lex: Lexicon) -> ClauseStatus:
    """The status one clause's own words give: negation, purpose, auxiliaries, marks."""
    intent_aux = lex.words("intent_aux")
    if negated(cur, lex):
        # "will not lift the ban", "said it would never accept": an announced refusal
        # (CAMEO 12x), which the caller codes only for cooperative acts
        if any(c.dep_ == "aux" and c.lower_ in intent_aux for c in cur.children):
            return ("refuse", None)
        return ("drop", "negated")
    if _purpose(cur, lex):
        return ("drop", "purpose")
    status = REAL
    for c in cur.children:
        found = _word_status(c, cur, lex)
        if found[0] == "drop":
            return found
        if found[0] == "intent":
            status = INTENT
    return status


def _purpose(cur: Token, lex: Lexicon) -> bool:
    """A purpose clause: "resigned to allow elections", "efforts to forge peace"; but after a
    motion verb the purpose is what happened: "arrived here to pay a visit", and so is the
    purpose of a gathering that was held: "rallies were held to denounce ..." (they
    denounced it)."""
    return cur.dep_ in {"advcl", "acl"} and _infinitive(cur) \
        and cur.head.lemma_.lower() not in MOTION_VERBS \
        and not _is_operation(cur, lex) and held_gathering(cur.head, lex) is None


def _word_status(c: Token, cur: Token, lex: Lexicon) -> ClauseStatus:
    """The status one child word gives its clause: an auxiliary or a subordinator."""
    if c.dep_ in {"aux", "auxpass"}:
        if c.lower_ in lex.words("drop_aux"):
            return ("drop", "modal")
        if c.lower_ in lex.words("intent_aux"):
            return INTENT
    if c.dep_ != "mark":
        return REAL
    if c.lower_ in lex.words("drop_mark"):
        return ("drop", "hypothetical")
    if c.lower_ in FUTURE_MARKS and not past(cur):
        return ("drop", "hypothetical")  # "continue the struggle until ... a peace accord"
    if c.lower_ in lex.words("reference_mark") and not any(
            x.dep_ in {"dobj", "ccomp", "xcomp"} for x in cur.children):
        return ("drop", "reference")  # "as we have already warned"
    return REAL


def _governor_status(head: Token, lex: Lexicon) -> ClauseStatus:
    """The status a governing verb gives its infinitive complement: "failed to", "plans to"."""
    hl = head.lemma_.lower()
    if hl in lex.words("drop_verb"):
        return ("drop", "unrealised")
    if hl in lex.words("intent_verb") or head.lower_ in lex.words("intent_verb"):
        return INTENT
    if hl == "go" and head.lower_ in lex.words("intent_aux"):
        return INTENT
    return REAL


def past(v: Token) -> bool:
    """The clause is in a past tense (its verb or an auxiliary is VBD)."""
    return v.tag_ == "VBD" or any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD"
                                  for c in v.children)


def _is_operation(v: Token, lex: Lexicon) -> bool:
    """A purpose clause of an operation ("launched operations to detain 110 people")."""
    ops = lex.words("content_noun")
    head = v.head
    if head.lemma_.lower() in ops:
        return True
    return any(c.dep_ == "dobj" and c.lemma_.lower() in ops for c in head.children)


def _infinitive(v: Token) -> bool:
    """A subjectless to-infinitive ("to allow ..."): a purpose, not a reported event."""
    kids = list(v.children)
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in kids) and not any(
        c.dep_ in {"nsubj", "nsubjpass"} for c in kids)


def in_hypothetical(tok: Token, lex: Lexicon) -> bool:
    """A word inside an if/unless clause, or inside a present-tense until clause, at any depth:
    "until the north-targeted nuclear war drills including the U.S.-south Korea joint military
    exercises are terminated" (the exercises are not reported there)."""
    marks = lex.words("drop_mark")
    for anc in tok.ancestors:
        for c in anc.children:
            if c.dep_ != "mark":
                continue
            if c.lower_ in marks or (c.lower_ in FUTURE_MARKS and not past(anc)):
                return True
    return False


def ultimatum(v: Token) -> bool:
    """The clause (or its infinitive complement) carries an "unless" condition."""
    for x in [v, *(c for c in v.children if c.dep_ == "xcomp")]:
        for c in x.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ULTIMATUM_MARKS
                                         for m in c.children):
                return True
    return False


def scheduled(v: Token) -> bool:
    """An announced act on the calendar: a will/shall future with no condition on it, which
    docs/annotation.md codes as the act itself besides its intent (intent.tsv "keep")."""
    if not any(c.dep_ == "aux" and c.lower_ in SCHEDULE_AUX for c in v.children):
        return False
    return not any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"}
                                             for m in c.children) for c in v.children)


def intent_form(etype: str, mode: str | None, cameo: str, lex: Lexicon) -> Coding:
    """The coding of an announced act: its intent.tsv row's type (AGREE, THREATEN ...)."""
    row = lex.intent.get(etype)
    if not row:
        return etype, mode, cameo
    itype = row["intent_type"]
    if itype == etype:
        return etype, mode, cameo
    return itype, row.get("intent_mode") or None, row.get("cameo") or cameo


def refusal_form(etype: str, lex: Lexicon) -> Coding | None:
    """Refusing a cooperative act is a rejection ("will not lift the embargo until ...");
    refusing a hostile one ("will not attack") is no event (None)."""
    row = lex.intent.get(etype, {})
    if row.get("intent_type") != "AGREE":
        return None
    rtype, _, rcode = lex.rule_codes["refusal"]
    return rtype, row.get("reject_mode") or None, row.get("reject_cameo") or rcode


def controlled_form(ctrl: Pattern, inner_type: str | None, inner_mode: str | None,
                    lex: Lexicon) -> Coding:
    """The coding of a control verb given its complement's event type."""
    if inner_type is None:
        return ctrl.event_type, ctrl.mode, ctrl.cameo
    row = lex.intent.get(inner_type, {})
    if ctrl.event_type == "REJECT":
        rcode = lex.rule_codes["refusal"][2]
        return "REJECT", row.get("reject_mode") or ctrl.mode, row.get("reject_cameo") or rcode
    if ctrl.event_type == "REQUEST":
        return "REQUEST", row.get("request_mode") or ctrl.mode, \
            row.get("request_cameo") or ctrl.cameo
    if ctrl.event_type in {"THREATEN", "AGREE"}:
        itype, imode, icode = intent_form(inner_type, inner_mode, ctrl.cameo, lex)
        if itype == ctrl.event_type:
            return itype, imode, icode
    return ctrl.event_type, ctrl.mode, ctrl.cameo
