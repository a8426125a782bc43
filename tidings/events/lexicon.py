"""The pattern lexicon: which predicate codes which event, under which conditions.

The rows live in ``tidings/data/patterns/`` (``patterns.tsv`` and the tables it refers to),
read and validated by ``tidings.data`` (a misspelt slot, flag, type or CAMEO code fails at
load with file and line); this module indexes them and tests a row's conditions on a token.
A condition names a slot of the predicate (its object, particle, modifiers, governing word
... see ``SLOTS``, or a preposition: ``on=@actor`` "called on X") and the words or word
classes that must fill it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from .. import data
from ..model import Mention
from ..syntax import PLACE_ADVERBS

# The event type of a pattern row that codes a statement PLOVER leaves out (CAMEO 01x:
# "declined to comment" 011, "denied the charges" 016): the row matches, so no later row of
# its lemma fires, and as a control verb it keeps its complement from being coded, but it
# emits nothing.
NO_EVENT = "NONE"

Condition = tuple[str, bool, frozenset[str]]  # (slot, negated, values)
Coding = tuple[str, str | None, str]  # (event type, mode, CAMEO code)


@dataclass(frozen=True)
class Pattern:
    """One row of patterns.tsv: a predicate, its conditions and its coding."""

    lemma: str
    pos: str  # VERB | NOUN
    conditions: tuple[Condition, ...]
    event_type: str
    mode: str | None
    cameo: str
    target_preps: frozenset[str]
    sym: bool
    control: bool
    needs_target: bool
    note: str = ""
    also: tuple[str, str] | None = None  # a second coding of the same act (type, CAMEO)
    addressee: bool = False  # the light verb's subject is the target, the speaker the source

    @property
    def rule(self) -> str:
        """The rule name events record: "pattern:meet/verb", "pattern:talk/verb[!dobj]"."""
        cond = ",".join(("!" if n else "") + s for s, n, _ in self.conditions)
        return f"pattern:{self.lemma}/{self.pos.lower()}" + (f"[{cond}]" if cond else "")


@dataclass(frozen=True)
class Lexicon:
    """Every pattern table, read once (``lexicon()``)."""

    verbs: dict[str, list[Pattern]]
    nouns: dict[str, list[Pattern]]
    light: frozenset[str]
    classes: dict[str, frozenset[str]]
    intent: dict[str, dict[str, str]]
    modality: dict[str, frozenset[str]]
    policies: dict[str, frozenset[str]]  # event type → its policies (types.tsv)
    rule_codes: dict[str, Coding]  # rule → its coding (rule_codes.tsv)

    def words(self, kind: str) -> frozenset[str]:
        """The words of one modality.tsv kind ("negation", "speech_verb", ...); a kind the
        table does not have is a caller's bug, and raises KeyError."""
        return self.modality[kind]

    def types(self, policy: str) -> frozenset[str]:
        """The event types with a policy of types.tsv ("domestic", "place-target", ...)."""
        return frozenset(t for t, ps in self.policies.items() if policy in ps)

    @property
    def domestic(self) -> frozenset[str]:
        return self.types("domestic")


def _pattern(row: data.Row) -> Pattern:
    lemma, pos, cond, etype, mode, cameo, preps, flags, note = (
        row[c].strip() for c in data.PATTERNS.names)
    conds = []
    for part in filter(None, cond.split(";")):
        slot, _, vals = part.partition("=")
        neg = slot.startswith("!")
        conds.append((slot.lstrip("!"), neg, frozenset(vals.split("|"))))
    flagset = set(filter(None, flags.split(",")))
    also = next((f[5:].partition(":")[::2] for f in flagset if f.startswith("also=")), None)
    return Pattern(lemma, pos, tuple(conds), etype, mode or None, cameo,
                   frozenset(filter(None, preps.split(","))), "sym" in flagset,
                   "control" in flagset, "needs_target" in flagset, note, also,
                   "addressee" in flagset)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Read the pattern tables once per process."""
    verbs: dict[str, list[Pattern]] = {}
    nouns: dict[str, list[Pattern]] = {}
    light: set[str] = set()
    for row in data.rows(data.PATTERNS):
        if row["pos"].strip() == "LIGHT":
            light.add(row["lemma"].strip())
            continue
        pat = _pattern(row)
        (verbs if pat.pos == "VERB" else nouns).setdefault(pat.lemma, []).append(pat)
    classes = {r["class"]: frozenset(r["words"].split("|")) for r in data.rows(data.CLASSES)}
    intent = {r["event_type"]: {k: v.strip() for k, v in r.items()}
              for r in data.rows(data.INTENT)}
    modality = {r["kind"]: frozenset(r["words"].split("|")) for r in data.rows(data.MODALITY)}
    policies = {r["event_type"]: frozenset(filter(None, r["policies"].split(",")))
                for r in data.rows(data.EVENT_TYPES)}
    codes = {r["rule"]: (r["event_type"], r["mode"] or None, r["cameo"])
             for r in data.rows(data.RULE_CODES)}
    return Lexicon(verbs, nouns, frozenset(light), classes, intent, modality, policies, codes)


# ---------------------------------------------------------------------------------------------
# conditions


def values_hold(values: frozenset[str], toks: list[Token], lex: Lexicon,
                owner: list[Mention | None]) -> bool:
    """Whether a slot's words satisfy a condition: a word, "*", "@actor" or "@class"."""
    for t in toks:
        forms = {t.lemma_.lower(), t.lower_}
        for v in values:
            if v == "*":
                return True
            if v == "@actor":
                if owner[t.i] is not None:
                    return True
            elif v.startswith("@"):
                if forms & lex.classes.get(v[1:], frozenset()):
                    return True
            elif v in forms:
                return True
    return False


def _objects(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]


def _dobj(tok: Token) -> list[Token]:
    objs = _objects(tok)
    return objs + [cj for o in objs for cj in o.conjuncts]


def _raised_objects(tok: Token) -> list[Token]:
    """A coordinated verb's shared object: in "fabricated and spread rumours about X" the
    parser hangs the object on the last verb only, and the first has none of its own. The
    object of the nearest later verb of the coordination stands for it, unless that verb has
    a subject of its own ("X fabricated and Y spread rumours": two clauses, two objects)."""
    if _objects(tok):
        return []
    for cj in sorted((c for c in tok.conjuncts if c.i > tok.i and c.pos_ == "VERB"),
                     key=lambda c: c.i):
        if any(c.dep_ in {"nsubj", "nsubjpass"} for c in cj.children):
            return []
        objs = _objects(cj)
        if objs:
            return objs + [o for obj in objs for o in obj.conjuncts]
    return []


def _dobjmod(tok: Token) -> list[Token]:
    """The object's own modifiers: "violated the ceasefire agreement"."""
    return [m for o in _objects(tok) for m in o.children if m.dep_ in {"compound", "amod", "nmod"}]


def _mod(tok: Token) -> list[Token]:
    out = [c for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}]
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                out.append(pobj)  # "the launch of reconnaissance satellite Malligyong-1-1"
                out.extend(c for c in pobj.children if c.dep_ in {"compound", "amod"})
    return out


def _subj(tok: Token) -> list[Token]:
    subj = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return subj + [cj for t in subj for cj in t.conjuncts]


def _light(tok: Token) -> list[Token]:
    head = tok
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "launched artillery, mortar and rocket fire"
    return [head.head] if head.head.i != head.i else []


SlotReader = Callable[[Token], list[Token]]


def _children(*deps: str) -> SlotReader:
    return lambda tok: [c for c in tok.children if c.dep_ in deps]


# The named slots of a condition; any other slot name is a preposition whose objects fill it.
SLOTS = {
    "dobj": _dobj,
    "dobjmod": _dobjmod,
    "prt": _children("prt"),
    "advmod": _children("advmod"),
    "prep": _children("prep", "prt", "agent"),
    "oprd": _children("oprd"),
    "xcomp": _children("xcomp"),
    "mod": _mod,
    "subj": _subj,
    "light": _light,
}


def slot_tokens(tok: Token, slot: str, shared: bool = False) -> list[Token]:
    """The words that fill a condition's slot on the predicate ``tok``; with ``shared``, a
    verb with no object of its own takes the one it shares with a later verb
    (``_raised_objects``). Only a condition that asks for an object shares one: a row that
    asks for none ("talk" with !dobj) still reads "talked and signed an agreement" as
    talks."""
    read = SLOTS.get(slot)
    if read is not None:
        found = read(tok)
        if shared and slot == "dobj" and not found:
            found = _raised_objects(tok)
        return found
    # any other slot names a preposition: its objects ("on=@actor": "called on X")
    return [o for c in prepositions(tok) if c.lower_ == slot
            for o in c.children if o.dep_ == "pobj"]


def prepositions(tok: Token) -> list[Token]:
    """The predicate's prepositions, with those the parser hung on its place adverb."""
    out = []
    for c in tok.children:
        if c.dep_ == "prep":
            out.append(c)
        elif c.dep_ == "advmod" and c.lower_ in PLACE_ADVERBS:
            out.extend(p for p in c.children if p.dep_ == "prep")
    return out


def match(pats: list[Pattern], tok: Token, lex: Lexicon,
          owner: list[Mention | None]) -> Pattern | None:
    """The first row of a lemma whose conditions all hold on ``tok``."""
    for pat in pats:
        if all(values_hold(values, slot_tokens(tok, slot, shared=not neg), lex, owner) != neg
               for slot, neg, values in pat.conditions):
            return pat
    return None


def light_allows(pat: Pattern, head: Token) -> bool:
    """The pattern names this governing word in its light= condition ("side" with light=on:
    "we will always be on the side of the Russian army": the clause's subject acts)."""
    return any(slot == "light" and not neg and head.lower_ in values
               for slot, neg, values in pat.conditions)
