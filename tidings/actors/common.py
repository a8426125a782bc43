"""What the mention steps share: the tables they read, the Builder that owns tokens, the
article's Work, and the small phrase helpers (titles, acting nouns, "of" chains, cities)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .. import data
from ..kb import Entry, KnowledgeBase
from ..model import Actor, Article, Location, Mention, MentionKind
from ..settings import Settings
from ..syntax import doc_text, doc_tokens
from ..where import lookup as place_lookup

# (lower-case outlet name, the country it speaks for), in the table's order: the first wins.
OUTLETS = [(r["name"].strip().lower(), r["country"].strip())
           for r in data.rows(data.OUTLETS) if r["country"].strip()]
# Nouns that name an acting group, with their sector, where the KB's sectors.tsv is silent.
AGENT_NOUNS = {r["noun"].strip(): r["sector"].strip() or None
               for r in data.rows(data.AGENT_NOUNS)}
# Nouns that name a person's post, where the KB's titles.tsv is silent.
ROLE_NOUNS = {r["noun"].strip(): r["sector"].strip() or None
              for r in data.rows(data.ROLE_NOUNS)}
MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod"}
OWNER_DEPS = MODIFIER_DEPS | {"poss"}  # the words before a noun that can say whose it is


# (lower-case publisher name or address, its country): a government's own releases.
GOVERNMENTS = [(r["name"].strip().lower(), r["country"].strip())
               for r in data.rows(data.GOVERNMENTS)]
# Every outlet name, with a country or none, for telling a news agency's source apart.
PRESS = [r["name"].strip().lower() for r in data.rows(data.OUTLETS)]


def _names(pattern: str, text: str) -> bool:
    """Whether ``text`` names the outlet as a whole word ("VNA", not a part of a longer
    word). The plain substring test first: outlet_voice runs several times per article over
    some 60 names, and the regular expression only where the name occurs at all."""
    return pattern in text and re.search(rf"(?<!\w){re.escape(pattern)}(?!\w)", text) is not None


def outlet_voice(article: Article) -> tuple[str, str] | None:
    """(country, "state-media" | "government") of whoever speaks in the article: a state
    outlet (KCNA → PRK) named in its source, or, when its source names no other press
    outlet, in its byline, title or closing lines (a VOA story titled "China Daily says ..."
    or ending "..., Xinhua reported" is VOA's); else a government publisher named in its
    source or address; None for a news agency or an unknown source."""
    return _voice(article.source, article.byline, article.title, article.text[-300:],
                  article.url)


@lru_cache(maxsize=64)
def _voice(source_: str | None, byline: str | None, title: str | None, tail: str,
           url: str | None) -> tuple[str, str] | None:
    """``outlet_voice`` of these fields of an article: every stage asks it of its article,
    the decide stage of each candidate, and the answer reads only these."""
    source = (source_ or "").lower()
    rest = " ".join(x for x in (byline, title, tail) if x).lower()
    for hay in (source, rest):
        state = next((iso for pat, iso in OUTLETS if _names(pat, hay)), None)
        if state is not None:
            return state, "state-media"
        if hay is source and any(_names(p, source) for p in PRESS):
            return None  # a press outlet with no state voice (VOA, Reuters ...)
    where = f"{source} {(url or '').lower()}"
    for pat, iso in GOVERNMENTS:
        if pat in where:
            return iso, "government"
    return None


def outlet_country(article: Article) -> str | None:
    """The country whose voice the article is (KCNA, Rodong Sinmun → PRK; a State Department
    release → USA), None for wire services and news agencies."""
    voice = outlet_voice(article)
    return voice[0] if voice else None


def make_actor(text: str, entry: Entry | None = None, *, country: str | None = None,
               sector: str | None = None, name: str | None = None) -> Actor:
    """An actor as written, from a KB entry and/or a country and sector; its CAMEO code is
    the entry's when the sector is the entry's, else country + sector."""
    if entry is not None:
        country = country or entry.country
        sector = sector or entry.sector
        name = name or entry.name
    code = None
    if entry is not None and entry.code and (
        sector is None or sector == entry.sector
    ):
        code = entry.code
    elif country:
        code = country + (sector or "") if country != "IGO" else "IGO" + (sector or "")
    return Actor(text=text, name=name, country=country, sector=sector, code=code)


class Builder:
    """Collects candidate mentions with token ownership so earlier steps win."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.owner: list[Mention | None] = [None] * len(doc)
        self.mentions: list[Mention] = []

    def free(self, a: int, b: int) -> bool:
        return all(self.owner[i] is None for i in range(a, b))

    def add(self, a: int, b: int, head: int, actors: list[Actor], kind: MentionKind, rule: str,
            person: bool = False, replace: bool = False) -> Mention | None:
        """A mention of tokens [a, b), unless an earlier one owns any of them (``replace``:
        unless it would cut an earlier one in two; mentions inside are then dropped)."""
        if not actors or b <= a:
            return None
        if not self.free(a, b):
            if not replace:
                return None
            inside = {id(m): m for m in self.owner[a:b] if m is not None}.values()
            if any(m.tok_start < a or m.tok_end > b for m in inside):
                return None  # would cut another mention in two
            for m in list(inside):
                self.remove(m)
        span = self.doc[a:b]
        m = Mention(span.start_char, span.end_char, a, b, head, actors, kind, rule, person)
        for i in range(a, b):
            self.owner[i] = m
        self.mentions.append(m)
        return m

    def remove(self, m: Mention) -> None:
        self.mentions = [x for x in self.mentions if x is not m]
        for i in range(m.tok_start, m.tok_end):
            self.owner[i] = None


@dataclass
class Work:
    """One article's mention resolution: what every step reads, and the builder it adds to."""

    doc: Doc
    article: Article
    kb: KnowledgeBase
    settings: Settings
    home: str | None  # the country the outlet speaks for
    b: Builder
    spans: list[Span] = field(default_factory=list)  # KB phrase matches, longest first
    pending: list[tuple[Span, Entry]] = field(default_factory=list)  # KB matches to place

    @property
    def date(self) -> str | None:
        return self.article.published

    @property
    def tokens(self) -> list[Token]:
        """The doc's tokens (``syntax.doc_tokens``: made once per Doc)."""
        return doc_tokens(self.doc)


_Matchers = tuple[PhraseMatcher, PhraseMatcher]
_MATCHERS: dict[tuple[int, int], _Matchers] = {}


def matchers(doc: Doc, kb: KnowledgeBase) -> _Matchers:
    """PhraseMatchers over every KB surface form (case-blind, and exact for caps-only forms
    such as "US" or "WHO"), built once per (vocab, KB)."""
    key = (id(doc.vocab), id(kb))
    if key in _MATCHERS:
        return _MATCHERS[key]
    import spacy

    blank = spacy.blank("en")
    lower: list[str] = []
    exact: list[str] = []
    for phrase, _entry in kb.phrases():
        if kb.caps_only(phrase):
            exact.append(phrase)  # "US", "WHO": only in capitals
        else:
            lower.append(phrase)
    matcher = PhraseMatcher(doc.vocab, attr="LOWER")
    batch = 2000
    for i in range(0, len(lower), batch):
        matcher.add("KB", [blank.make_doc(p) for p in lower[i : i + batch]])
    orth = PhraseMatcher(doc.vocab, attr="ORTH")
    for i in range(0, len(exact), batch):
        orth.add("KB", [blank.make_doc(p) for p in exact[i : i + batch]])
    _MATCHERS[key] = (matcher, orth)
    return _MATCHERS[key]


# ---------------------------------------------------------------------------------------------
# phrases


def text_of(doc: Doc, m: Mention) -> str:
    return doc_text(doc)[m.start : m.end]


def span_root(span: Span) -> Token:
    """The span's syntactic head, skipping a leading determiner that the parser hung on the
    outer noun ("the DPRK" in "the DPRK-Syria Committee")."""
    outside = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    content = [t for t in outside if t.pos_ not in {"DET", "PUNCT"}]
    return (content or outside or [span.root])[-1]


def left_edge(tok: Token, stop: int) -> int:
    """Leftmost token of tok's pre-modifiers (det, amod, compound, poss) not before stop."""
    start = tok.i
    for child in tok.lefts:
        if child.dep_ in {"det", "amod", "compound", "nmod", "poss", "nummod", "quantmod"} \
                and child.i >= stop:
            start = min(start, child.left_edge.i if child.left_edge.i >= stop else child.i)
    return start


def title_of(tokens: list[Token], kb: KnowledgeBase) -> tuple[str, str | None] | None:
    """(role, sector) of the longest title ending at the last token: "Foreign Minister"."""
    for k in range(min(4, len(tokens)), 0, -1):
        phrase = " ".join(t.text for t in tokens[-k:])
        hit = kb.title(phrase)
        if hit:
            return hit
    return None


def compound_chain(tok: Token) -> list[Token]:
    """tok with the contiguous compound/amod words before it, left to right ("Foreign
    Minister", "Foreign Minister Oskar Fischer")."""
    chain = [tok]
    inside = {tok.i}
    i = tok.i - 1
    doc = tok.doc
    if i >= 1 and doc[i].text == "-" and not doc[i].whitespace_ \
            and not doc[i - 1].whitespace_ and doc[i - 1].is_alpha:
        # "vice-president", "Vice-Chairman": the parser splits the word and hangs the parts
        # anywhere, but it is one title ("vice-president of X" is not X's president)
        chain = [doc[i - 1], doc[i], tok]
        inside |= {i - 1, i}
        i -= 2
    while i >= 0:
        t = tok.doc[i]
        if t.dep_ not in {"compound", "amod"} or t.head.i not in inside:
            break
        chain.insert(0, t)
        inside.add(i)
        i -= 1
    return chain


def noun_sector(tok: Token, kb: KnowledgeBase) -> tuple[bool, str | None]:
    """Whether a noun names an acting group, and its sector (troops → MIL)."""
    for form in (tok.lemma_.lower(), tok.text.lower()):
        sec = kb.sector(form)
        if sec:
            return True, sec
        if form in AGENT_NOUNS:
            return True, AGENT_NOUNS[form]
    return False, None


def adjective(kb: KnowledgeBase, word: str) -> str | None:
    """Country of a nationality word, also for plural demonyms ("Palestinians")."""
    for form in (word, word[:-1] if word.endswith("s") else None):
        if not form:
            continue
        iso = kb.adjective(form)
        if iso:
            return iso
    return None


def city(name: str, sent: Span, b: Builder) -> Location | None:
    """A city from the gazetteer, preferring one in a country the sentence names ("Tripoli"
    near "the north Lebanese port" is Lebanon's)."""
    named = {m.actors[0].country for t in sent if (m := b.owner[t.i]) is not None
             and m.actors and m.actors[0].country not in {None, "IGO"}}
    for iso in sorted(named):
        place = place_lookup(name, iso)
        if place is not None and place.country == iso:
            return place
    return place_lookup(name)


# What can own a body named "X of Y": a country, a capital standing for one, or another
# organisation (a party, a front, an international organisation) the KB knows.
OWNER_KINDS = frozenset({"country", "metonym", "group", "igo"})


def of_mention(tok: Token, b: Builder, preps: Collection[str], steps: int) -> Mention | None:
    """The mention reached by an "of" chain of at most ``steps`` steps (X of Y of Russia);
    acting groups also by "in"/"from" ("a court in Argentina", "doctors from American aid
    groups"): ``preps`` are the first step's prepositions."""
    cur = tok
    for step in range(steps):
        pobj = _chain_object(cur, preps if step == 0 else {"of"})
        if pobj is None:
            return None
        m = b.owner[pobj.i]
        if m is None:  # "the Algeria-Korea Friendship Association": its first modifier;
            # "the Pakistan People's Party", which the parser reads as the party of the
            # Pakistan people: its possessor
            m = next((b.owner[c.i] for c in pobj.lefts if c.dep_ in OWNER_DEPS
                      and b.owner[c.i] is not None), None)
        if m is not None and m.actors and m.actors[0].country:
            if m.kind in {"group", "igo"} and step + 1 < steps:
                # a body of a body: "the Central Committee of the People's Socialist Party
                # of Mexico", "of the Lao People's Revolutionary Party" belongs to the
                # innermost owner, a country or a known party, not to the WPK's namesake
                deeper = of_mention(pobj, b, {"of"}, steps - step - 1)
                if deeper is not None and deeper.kind in OWNER_KINDS \
                        and deeper.actors[0].country != m.actors[0].country:
                    return deeper
            return m
        # "Minister of Foreign Affairs and Expatriates of the Hashemite Kingdom of Jordan";
        # not past an "of" of its own: "the chairman of a party of Nepal and the president
        # of a society of Mongolia" is Nepal's chairman (the president is a title of its own)
        cur = pobj if has_of_phrase(pobj) else next(
            (cj for cj in pobj.conjuncts if has_of_phrase(cj)), pobj)
    return None


def has_of_phrase(tok: Token) -> bool:
    """An "of" complement of its own ("the ministers of Laos", "Expatriates of Jordan")."""
    return any(p.dep_ == "prep" and p.lower_ == "of" for p in tok.rights)


def _chain_object(cur: Token, preps: Collection[str]) -> Token | None:
    """The object of the first of ``cur``'s right prepositions that is one of ``preps``."""
    for prep in cur.rights:
        if prep.dep_ == "prep" and prep.lower_ in preps:
            return next((c for c in prep.rights if c.dep_ == "pobj"), None)
    return None
