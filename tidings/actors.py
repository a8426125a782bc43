"""Actor mentions in a parsed article: KB names, titles with dated holders, groups, coreference.

Every mention is resolved against the knowledge base (``kb.py``); the KB overrules spaCy's
entity labels (an unknown PERSON with no title or organisation context is not an actor, so
"Vladivostok" tagged PERSON stays a place). The steps, in priority order:

1. KB phrases (one PhraseMatcher per vocab and KB, built once): people, countries, capitals,
   organisations. People absorb the titles written before them ("Supreme Leader Kim Jong Un").
2. A country word modifying an acting noun: "Russian troops" → RUS MIL, "the Russian Foreign
   Minister" → the dated holder of the title, "Russia's foreign minister" likewise.
3. Title/group + "of" + organisation or country: "Chairwoman of Federation Council of Russia",
   "Orchestra of the 21st Century of Russia", "director of the ... WPK Central Committee".
4. Named entities the matcher missed, looked up in the KB; unknown persons take the country
   of an apposed title ("Kim Song Nam, director of ...").
   4b. A people named by nationality with "in <country>" is that country's ethnic group
   ("ethnic Albanians in south Serbia" → SRB ETH). 4c. Sub-state agents with no country
   (rebels, police, protesters, authorities) take the one country the sentence is set in.
5. Titles with no country: in a national outlet (KCNA → PRK) they are that country's.
6. Coreference, rule-based and left to right: he/she/his → last person; it/they/its → last
   country or organisation; we/our → the outlet's country; "the two sides" → last two parties.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from . import data
from . import kb as kbmod
from .kb import Entry, KnowledgeBase
from .model import Actor, Article, Location, Mention, MentionKind
from .where import lookup as place_lookup

# (lower-case outlet name, the country it speaks for), in the table's order: the first wins.
_OUTLETS = [(r["name"].strip().lower(), r["country"].strip())
            for r in data.rows(data.OUTLETS) if r["country"].strip()]
_AGENT_NOUNS = {r["noun"].strip(): r["sector"].strip() or None
                for r in data.rows(data.AGENT_NOUNS)}
_ROLE_NOUNS = {r["noun"].strip(): r["sector"].strip() or None
               for r in data.rows(data.ROLE_NOUNS)}
_SPEECH_VERBS = frozenset(next(r["words"].strip().split("|") for r in data.rows(data.MODALITY)
                               if r["kind"] == "speech_verb"))
# Plural pronouns that, inside what a foreign speaker is reported to have said, stand for
# the speaker's side ("the chairperson of the ... Party of Romania said ... that they
# bitterly denounce the U.S."): KCNA reports foreign voices this way.
SPEAKER_PRONOUNS = {"they", "them", "their", "we", "us", "our"}
# How far up the tree a pronoun's clause may be from the reported-speech verb (its clause,
# a conjoined or adverbial clause, the "that" clause): three steps cover "said that ...,
# adding that ... and that they denounce" on the dev set without reaching a second speaker.
SPEAKER_CLIMB = 4

# How deep an apposed title is searched for the organisation or country that places an
# unknown person: "minister of X who is chairman of the DPRK side" needs four steps
# (appos → relcl → attr → prep → pobj); deeper reaches picked up unrelated phrases.
PERSON_CONTEXT_DEPTH = 5

# How far back (in characters) a pronoun may look for its antecedent. Two or three news
# sentences; longer reaches picked wrong antecedents in the seed and KCNA samples.
COREF_WINDOW_CHARS = 600
# A definite description that repeats a mention's head noun ("the scum in the ROK ... We give
# the scum a stern warning") reaches further back than a pronoun: the repeated noun itself
# says which mention it is. Two KCNA paragraphs; a wider reach met older, unrelated mentions.
DEFINITE_WINDOW_CHARS = 1200

MALE_FEMALE = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
NONPERSON = {"it", "its", "they", "them", "their", "theirs", "itself", "themselves"}
FIRST_PERSON = {"we", "our", "us", "ours"}
# Steps of an "of" chain from a title to the body that places it: "Minister of Foreign
# Affairs and Expatriates of the Hashemite Kingdom of Jordan" and "general secretary of the
# Central Committee of the People's Socialist Party of Mexico" need three.
OF_CHAIN_STEPS = 3
# Prepositions after an acting noun that name its organisation or country ("a court in
# Argentina", "doctors from American aid groups"); titles take only "of".
LOCATIVE_PREPS = data.having(data.PREPOSITIONS, "member-of")
PAIR_WORDS = {"side", "sides", "country", "countries", "party", "parties", "nation", "nations"}
MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod"}
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

_Matchers = tuple[PhraseMatcher, PhraseMatcher]
_MATCHERS: dict[tuple[int, int], _Matchers] = {}


def _matcher(doc: Doc, kb: KnowledgeBase) -> _Matchers:
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


def outlet_country(article: Article) -> str | None:
    """The country an outlet speaks for (KCNA, Rodong Sinmun → PRK), None for wire services."""
    hay = " ".join(x for x in (article.source, article.byline, article.title) if x).lower()
    tail = article.text[-300:].lower()
    for pat, iso in _OUTLETS:
        if pat in hay or pat in tail:
            return iso
    return None


def _actor(text: str, entry: Entry | None = None, *, country: str | None = None,
           sector: str | None = None, name: str | None = None) -> Actor:
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


class _Builder:
    """Collects candidate mentions with token ownership so earlier steps win."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.owner: list[Mention | None] = [None] * len(doc)
        self.mentions: list[Mention] = []

    def free(self, a: int, b: int) -> bool:
        return all(self.owner[i] is None for i in range(a, b))

    def add(self, a: int, b: int, head: int, actors: list[Actor], kind: MentionKind, rule: str,
            person: bool = False, replace: bool = False) -> Mention | None:
        if not actors or b <= a:
            return None
        if not self.free(a, b):
            if not replace:
                return None
            inside = {id(m): m for m in self.owner[a:b] if m is not None}.values()
            if any(m.tok_start < a or m.tok_end > b for m in inside):
                return None  # would cut another mention in two
            for m in list(inside):
                self.mentions = [x for x in self.mentions if x is not m]
                for i in range(m.tok_start, m.tok_end):
                    self.owner[i] = None
        span = self.doc[a:b]
        m = Mention(span.start_char, span.end_char, a, b, head, actors, kind, rule, person)
        for i in range(a, b):
            self.owner[i] = m
        self.mentions.append(m)
        return m


def _span_root(span: Span) -> Token:
    """The span's syntactic head, skipping a leading determiner that the parser hung on the
    outer noun ("the DPRK" in "the DPRK-Syria Committee")."""
    outside = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    content = [t for t in outside if t.pos_ not in {"DET", "PUNCT"}]
    return (content or outside or [span.root])[-1]


def _left_edge(tok: Token, stop: int) -> int:
    """Leftmost token of tok's pre-modifiers (det, amod, compound, poss) not before stop."""
    start = tok.i
    for child in tok.lefts:
        if child.dep_ in {"det", "amod", "compound", "nmod", "poss", "nummod", "quantmod"} \
                and child.i >= stop:
            start = min(start, child.left_edge.i if child.left_edge.i >= stop else child.i)
    return start


def _title_of(tokens: list[Token], kb: KnowledgeBase) -> tuple[str, str | None] | None:
    """(role, sector) of the longest title ending at the last token: "Foreign Minister"."""
    for k in range(min(4, len(tokens)), 0, -1):
        phrase = " ".join(t.text for t in tokens[-k:])
        hit = kb.title(phrase)
        if hit:
            return hit
    return None


def _compound_chain(tok: Token) -> list[Token]:
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


def _noun_sector(tok: Token, kb: KnowledgeBase) -> tuple[bool, str | None]:
    """Whether a noun names an acting group, and its sector (troops → MIL)."""
    for form in (tok.lemma_.lower(), tok.text.lower()):
        sec = kb.sector(form)
        if sec:
            return True, sec
        if form in _AGENT_NOUNS:
            return True, _AGENT_NOUNS[form]
    return False, None


def _holder(kb: KnowledgeBase, country: str, role: str, date: str | None) -> Entry | None:
    return kb.holder(country, role, date)


def find_mentions(doc: Doc, article: Article) -> list[Mention]:
    """Resolve every actor mention of a parsed article (see the module docstring)."""
    kb = kbmod.load()
    date = article.published
    home = outlet_country(article)
    matchers = _matcher(doc, kb)
    b = _Builder(doc)

    # 1. KB phrases, longest first.
    from spacy.util import filter_spans

    spans = filter_spans([doc[s:e] for m in matchers for _, s, e in m(doc)])
    pending_mods: list[tuple[Span, Entry]] = []
    for span in spans:
        # the phrase table only finds candidates: the KB's own date- and case-aware lookup
        # decides, so lower-case "turkey", "china", "us" (English words) are dropped
        entry = kb.lookup(span.text, date)
        if entry is None:
            continue
        if entry.kind == "person":
            start = _left_edge(span.root, 0) if span.root.i == span.end - 1 else span.start
            start = min(start, span.start)
            text = doc[start : span.end].text
            office = _igo_office(doc[start : span.start], spans, kb, date)
            actor = _actor(text, entry) if office is None else _actor(
                text, country=office.country, sector=office.sector, name=entry.name)
            b.add(start, span.end, span.root.i, [actor], "name",
                  "kb:person" if office is None else "kb:person+igo-office", True)
        else:
            pending_mods.append((span, entry))

    # 2. Country words: alone, or modifying an acting noun / title / unknown person.
    pending_spans = {(sp.start, sp.end): e for sp, e in pending_mods}
    for span, entry in pending_mods:
        if b.owner[span.start] is not None:
            continue  # taken into a group mention with a neighbour ("DPRK-Syria Committee")
        root = _span_root(span)
        head = root.head
        # "German Foreign Minister Oskar Fischer": the title words lean on the name
        while head.dep_ == "compound" and head.head.pos_ == "PROPN" and head.head.i > head.i:
            head = head.head
        # "Sri Lankan Tamil rebels", "Bosnian Serb forces": a proper-noun modifier of a common
        # noun names a people, not a person (a name heads its own phrase), so the acting noun
        # is the head
        while head.dep_ in {"compound", "amod"} and head.pos_ == "PROPN" \
                and head.head.pos_ == "NOUN" and head.head.i > head.i:
            head = head.head
        mod_dep = root.dep_ in MODIFIER_DEPS or root.dep_ == "poss"
        if mod_dep and head.i >= span.end and head.pos_ in {"NOUN", "PROPN"}:
            if (own := b.owner[head.i]) is not None and own.person:
                continue  # "Russian Foreign Minister Sergei Lavrov": the name already won
            countries: list[Entry | Actor] = [entry]
            # "the DPRK-Syria Joint Economic Committee": the other country words before the head
            for (a, z), other in pending_spans.items():
                if span.end <= a and z <= head.i and other.kind == "country" \
                        and all(other.country != c.country for c in countries):
                    countries.append(other)
            for conj in root.conjuncts:  # "Hungarian and Romanian officials"
                iso = _adjective(kb, conj.text)
                if iso:
                    countries.append(_country_entry(kb, iso))
            chain = _compound_chain(head)
            named = head.ent_type_ == "PERSON" and head.pos_ == "PROPN"
            title = _title_of([t for t in chain if t.i >= span.end
                               and not (t.ent_type_ == "PERSON" and t.pos_ == "PROPN")], kb)
            start = min(span.start, _left_edge(head, 0))
            text = doc[start : head.i + 1].text
            if named:  # an unknown person with a nationality: "German Foreign Minister X"
                sector = title[1] if title else None
                name = " ".join(t.text for t in chain if t.ent_type_ == "PERSON") or None
                acts = [_actor(text, country=c.country, sector=sector, name=name)
                        for c in countries]
                b.add(start, head.i + 1, head.i, acts, "name", "kb:country+person", True)
                continue
            if title and len(countries) == 1:
                role, tsector = title
                holder = _holder(kb, entry.country, role, date) if date else None
                if holder is not None:
                    actor = _actor(text, holder)
                else:
                    actor = _actor(text, country=entry.country, sector=tsector)
                b.add(start, head.i + 1, head.i, [actor], "title", "kb:title", True)
                continue
            agentive, sector = _noun_sector(head, kb)
            if not agentive:
                for t in chain[:-1]:
                    agentive, sector = _noun_sector(t, kb)
                    if agentive:
                        break
            if agentive:
                acts = [_actor(text, country=c.country, sector=sector,
                               name=c.name) for c in countries]
                b.add(start, head.i + 1, head.i, acts, "group", "kb:adjective+noun")
                continue
        kind: MentionKind = "igo" if entry.country == "IGO" else (
            "country" if entry.kind == "country" else "group")
        b.add(span.start, span.end, root.i, [_actor(span.text, entry)], kind, "kb:" + entry.kind)

    # 2b. A leader's name on a body of state: "the Bush administration", "Assad regime",
    # "Putin's government" are that leader's country's government (CAMEO codes them so).
    for m in list(b.mentions):
        if not m.person or len(m.actors) != 1 or not m.actors[0].country:
            continue
        root = doc[m.head]
        head = root.head
        if root.dep_ not in {"compound", "poss"} or head.i < m.tok_end \
                or b.owner[head.i] is not None or head.pos_ not in {"NOUN", "PROPN"}:
            continue
        agentive, sector = _noun_sector(head, kb)
        if not agentive or sector not in STATE_BODY_SECTORS:
            continue
        start = _left_edge(head, 0)
        if b.free(start, m.tok_start) and b.free(m.tok_end, head.i + 1):
            b.mentions = [x for x in b.mentions if x is not m]
            for i in range(m.tok_start, m.tok_end):
                b.owner[i] = None
            b.add(min(start, m.tok_start), head.i + 1, head.i,
                  [_actor(doc[min(start, m.tok_start) : head.i + 1].text,
                          country=m.actors[0].country, sector=sector)],
                  "group", "kb:leader+body")

    # 2c. An agent named with its city: "an Istanbul court", "Cleveland officials", "Delhi
    # Police" act under the city's state (the gazetteer places the city).
    for tok in doc:
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
        agentive, sector = _noun_sector(head, kb)
        if not agentive:
            continue
        ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        name = ent.text if ent is not None and tok.ent_type_ == "GPE" else tok.text
        place = _city(name, tok.sent, b)
        if place is None or not place.country:
            continue
        start = _left_edge(head, 0)
        if b.free(start, head.i + 1):
            b.add(start, head.i + 1, head.i,
                  [_actor(doc[start : head.i + 1].text, country=place.country, sector=sector)],
                  "group", "gazetteer:city+noun")

    # 3. Title or acting noun + "of" + a resolved organisation/country.
    for tok in doc:
        if b.owner[tok.i] is not None or tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        chain = _compound_chain(tok)
        title = _title_of(chain, kb)
        if title is None and tok.lemma_.lower() in _ROLE_NOUNS:
            title = ("", _ROLE_NOUNS[tok.lemma_.lower()])
        agentive, sector = (False, None) if title else _noun_sector(tok, kb)
        if not title and not agentive:
            continue
        if tok.dep_ == "appos" and (own := b.owner[tok.head.i]) is not None and own.person:
            continue  # "Putin, president of the Russian Federation": the name decides
        inner = _of_mention(tok, b, LOCATIVE_PREPS if agentive else {"of"})
        if inner is None or not inner.actors or inner.actors[0].country is None:
            continue
        org = inner.actors[0]
        start = min(_left_edge(tok, 0), chain[0].i)
        text = doc[start : inner.tok_end].text
        if title:
            role, tsector = title
            holder = None
            if role and date and inner.kind in {"country", "metonym"} and org.country:
                holder = _holder(kb, org.country, role, date)
            actor = _actor(text, holder) if holder is not None else _actor(
                text, country=org.country, sector=org.sector if inner.kind == "group"
                and org.sector else tsector)
            b.add(start, inner.tok_end, tok.i, [actor], "title", "kb:title-of", True,
                  replace=True)
        else:
            actor = _actor(text, country=org.country, sector=sector or org.sector)
            b.add(start, inner.tok_end, tok.i, [actor], "group", "kb:noun-of", replace=True)

    # 3b. A generic body named with its country: "the Joint Chiefs of Staff of the ROK".
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
            m.actors = [_actor(m_text(doc, m), country=outer.country, sector=mine.sector)]
            m.rule += "+of-country"

    # 3c. "Kenzo Oshima, the United Nations Emergency Relief Coordinator": a person in an
    # international organisation's office acts for it, whatever their nationality.
    for m in list(b.mentions):
        if not m.person or m.kind != "name" or len(m.actors) != 1 \
                or m.actors[0].country == "IGO":
            continue
        for app in (c for c in doc[m.head].rights if c.dep_ == "appos"):
            igo: Mention | None
            app_owner = b.owner[app.i]
            if app_owner is not None and app_owner.kind == "title" and app_owner.actors \
                    and app_owner.actors[0].country == "IGO":
                igo = app_owner  # the whole apposition already read as an IGO title
            else:
                chain = _compound_chain(app)
                igo = next((o for t in chain if (o := b.owner[t.i]) is not None
                            and o.kind == "igo"), None)
                if igo is None or not (_title_of([t for t in chain if b.owner[t.i] is None],
                                                 kb) or _noun_sector(app, kb)[0]):
                    continue
            post = igo.actors[0]
            m.actors = [_actor(m_text(doc, m), country=post.country, sector=post.sector,
                               name=m.actors[0].name)]
            m.rule += "+igo-office"
            break

    # 4. Named entities the matcher missed.
    for ent in doc.ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"} or not b.free(ent.start, ent.end):
            continue
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        entry = kb.lookup(text, date)
        if entry is not None:
            kind = "name" if entry.kind == "person" else (
                "igo" if entry.country == "IGO" else "group")
            b.add(ent.start, ent.end, ent.root.i, [_actor(ent.text, entry)], kind,
                  "ner:kb", entry.kind == "person")
            continue
        if ent.label_ == "NORP":
            iso = _adjective(kb, text)
            if iso:
                b.add(ent.start, ent.end, ent.root.i, [_actor(ent.text, country=iso)],
                      "group", "ner:demonym")
            continue
        if ent.label_ == "PERSON":
            known = _known_person(ent, b)
            if known is not None:  # "Alexandr Galushka" again, or just "Galushka"
                b.add(ent.start, ent.end, ent.root.i,
                      [Actor(text=ent.text, name=known.name, country=known.country,
                             sector=known.sector, code=known.code)], "name",
                      "ner:person-again", True)
                continue
            ctx = _person_context(ent, b)
            if ctx is not None:
                b.add(ent.start, ent.end, ent.root.i,
                      [_actor(ent.text, country=ctx.country, sector=ctx.sector,
                              name=ent.text)], "name", "ner:person+title", True)

    # 4b. A people named with where it lives: "ethnic Albanians in south Serbia" → SRB ETH.
    for m in list(b.mentions):
        _residence(doc, b, m, kb)

    # 4c. Sub-state agents named without a country ("rebels", "police", "protesters") take
    # the one country the sentence places its action in: "rebels ... in Syria" → SYR REB.
    _located_agents(doc, b, kb)

    # 5. Unqualified titles: a national outlet's own officials.
    if home:
        for tok in doc:
            if b.owner[tok.i] is not None or tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            if tok.i + 1 < len(doc) and tok.head.i == tok.i + 1 and tok.dep_ == "compound":
                continue  # only the head of a title phrase
            # only a capitalised singular title ("the Supreme Leader", "the Premier"):
            # "the great leaders" or "a minister" name no one in particular
            if tok.tag_ not in {"NN", "NNP"} or not tok.text[:1].isupper() or any(
                    c.lower_ in {"a", "an", "any", "some", "every"} for c in tok.lefts):
                continue
            chain = _compound_chain(tok)
            title = _title_of(chain, kb)
            if not title:
                continue
            role, tsector = title
            holder = _holder(kb, home, role, date) if date else None
            start = min(_left_edge(tok, 0), chain[0].i)
            text = doc[start : tok.i + 1].text
            actor = _actor(text, holder) if holder is not None else _actor(
                text, country=home, sector=tsector)
            b.add(start, tok.i + 1, tok.i, [actor], "title", "outlet:title", True)

    # 6. "here" in a datelined article is the dateline place ("arrived here on Monday").
    if article.dateline_place:
        dateline = kb.lookup(article.dateline_place, date)
        if dateline is not None and dateline.kind == "country":
            for tok in doc:
                if tok.lower_ == "here" and tok.dep_ == "advmod" and b.owner[tok.i] is None:
                    b.add(tok.i, tok.i + 1, tok.i, [_actor(tok.text, dateline)], "metonym",
                          "dateline:here")

    _coreference(doc, b, home)
    return sorted(b.mentions, key=lambda m: m.tok_start)


def m_text(doc: Doc, m: Mention) -> str:
    return doc.text[m.start : m.end]


def _adjective(kb: KnowledgeBase, word: str) -> str | None:
    """Country of a nationality word, also for plural demonyms ("Palestinians")."""
    for form in (word, word[:-1] if word.endswith("s") else None):
        if not form:
            continue
        iso = kb.adjective(form)
        if iso:
            return iso
    return None


def _located_agents(doc: Doc, b: _Builder, kb: KnowledgeBase) -> None:
    """Country-less sub-state agents coded with the sentence's single named location country.

    CAMEO codes rebels, police, courts, protesters, students... under the state where they act
    (PETRARCH's "rebels in Syria" → SYRREB). Only when the sentence names exactly one country
    in a locative phrase ("in", "at", "near" ...): with two there is no telling which. State
    agents (MIL, GOV, ...) are left alone: troops or officials may be abroad."""
    for sent in doc.sents:
        places: set[str] = set()
        for prep in sent:
            if prep.dep_ != "prep" or prep.lower_ not in LOCATION_PREPS:
                continue
            for t in prep.subtree:
                m = b.owner[t.i]
                if m is not None and m.kind in {"country", "metonym"} and m.actors \
                        and m.actors[0].country not in {None, "IGO"}:
                    places.add(m.actors[0].country)
                elif m is not None and t.ent_type_ == "GPE":
                    # "Police in Kenya", "in Myanmar's Rakhine State": the place was taken
                    # into a larger mention
                    hit = kb.lookup(t.text)
                    if hit is not None and hit.kind == "country":
                        places.add(hit.country)
                elif m is None and t.ent_type_ == "GPE" and t.dep_ == "pobj":
                    # "Police in Los Angeles": a city the gazetteer places
                    ent = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
                    place = _city(ent.text if ent is not None else t.text, sent, b)
                    if place is not None and place.country:
                        places.add(place.country)
        if len(places) != 1:
            continue
        where = next(iter(places))
        for tok in sent:
            if b.owner[tok.i] is not None or tok.pos_ not in {"NOUN", "PROPN"} \
                    or (tok.dep_ in {"compound", "amod"} and tok.head.i > tok.i):
                continue
            if any(c.dep_ == "poss" for c in tok.children):
                continue  # "their supporters": whose they are is coreference's job
            agentive, sector = _noun_sector(tok, kb)
            if not agentive or (sector not in SUB_STATE_SECTORS
                                and tok.lemma_.lower() not in LOCAL_GOV_NOUNS):
                continue
            start = _left_edge(tok, sent.start)
            if not b.free(start, tok.i + 1):
                start = tok.i
            b.add(start, tok.i + 1, tok.i,
                  [_actor(doc[start : tok.i + 1].text, country=where, sector=sector)],
                  "group", "context:location")


def _city(name: str, sent: Span, b: _Builder) -> Location | None:
    """A city from the gazetteer, preferring one in a country the sentence names ("Tripoli"
    near "the north Lebanese port" is Lebanon's)."""
    named = {m.actors[0].country for t in sent if (m := b.owner[t.i]) is not None
             and m.actors and m.actors[0].country not in {None, "IGO"}}
    for iso in sorted(named):
        place = place_lookup(name, iso)
        if place is not None and place.country == iso:
            return place
    return place_lookup(name)


def _igo_office(prefix: Span, spans: list[Span], kb: KnowledgeBase,
                date: str | None) -> Entry | None:
    """The international organisation whose office a title before a name holds: "U.N.
    mediator Diego Cordovez" mediates for the UN, not for Ecuador (the PLOVER GSR codes IGO).
    Needs the organisation and a title or acting noun between it and the name."""
    if not len(prefix):
        return None
    igo = None
    for sp in spans:
        if prefix.start <= sp.start and sp.end <= prefix.end:
            e = kb.lookup(sp.text, date)
            if e is not None and e.country == "IGO":
                igo = (sp, e)
    if igo is None:
        return None
    rest = [t for t in prefix if not (igo[0].start <= t.i < igo[0].end)]
    if not rest or not (_title_of(rest, kb) or any(_noun_sector(t, kb)[0] for t in rest)):
        return None
    return igo[1]


def _residence(doc: Doc, b: _Builder, m: Mention, kb: KnowledgeBase) -> None:
    """Recode a people named by nationality or ethnicity ("Albanians", "ethnic Albanians")
    with an "in <country>" modifier as that country's ethnic group (sector ETH).

    CAMEO codes a sub-state group under the state where it acts, and the PLOVER GSR codes
    "Ethnic Albanians in south Serbia" SRB; agents abroad ("Russian troops in Syria") keep
    their own country, so only a demonym noun itself (or one after "ethnic") qualifies."""
    if m.person or len(m.actors) != 1 or m.kind not in {"group", "country"}:
        return
    head = doc[m.head]
    if head.pos_ not in {"NOUN", "PROPN"} or head.tag_ not in {"NNS", "NNPS"} \
            or _adjective(kb, head.text) is None:
        return
    for prep in head.rights:
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        for t in prep.subtree:
            inner = b.owner[t.i]
            if inner is None or inner is m or inner.kind not in {"country", "metonym"} \
                    or not inner.actors:
                continue
            where = inner.actors[0].country
            if where and where not in {"IGO", m.actors[0].country}:
                m.actors = [_actor(m_text(doc, m), country=where, sector=ETHNIC_SECTOR,
                                   name=m.actors[0].name)]
                m.rule += "+residence"
            return


def _country_entry(kb: KnowledgeBase, iso: str) -> Entry | Actor:
    entry = kb.country(iso)
    if entry is not None:
        return entry
    return Actor(text=iso, name=None, country=iso)


def _of_mention(tok: Token, b: _Builder, preps: Collection[str] | None = None,
                steps: int = OF_CHAIN_STEPS) -> Mention | None:
    """The mention reached by an "of" chain of at most two steps (X of Y of Russia); acting
    groups also by "in"/"from" ("a court in Argentina", "doctors from American aid groups")."""
    preps = preps or {"of"}
    cur = tok
    for step in range(steps):
        pobj = None
        for prep in cur.rights:
            if prep.dep_ == "prep" and (prep.lower_ in preps if step == 0 else
                                        prep.lower_ == "of"):
                pobj = next((c for c in prep.rights if c.dep_ == "pobj"), None)
                break
        if pobj is None:
            return None
        m = b.owner[pobj.i]
        if m is None:  # "the Algeria-Korea Friendship Association": its first modifier
            m = next((b.owner[c.i] for c in pobj.lefts if c.dep_ in MODIFIER_DEPS
                      and b.owner[c.i] is not None), None)
        if m is not None and m.actors and m.actors[0].country:
            if m.kind in {"group", "igo"} and step + 1 < steps:
                # a body of a body: "the Central Committee of the People's Socialist Party
                # of Mexico" belongs to the innermost owner, not to the WPK's namesake
                deeper = _of_mention(pobj, b, {"of"}, steps - step - 1)
                if deeper is not None and deeper.kind in {"country", "metonym"} \
                        and deeper.actors[0].country != m.actors[0].country:
                    return deeper
            return m
        # "Minister of Foreign Affairs and Expatriates of the Hashemite Kingdom of Jordan"
        cur = next((cj for cj in pobj.conjuncts if any(
            p.dep_ == "prep" and p.lower_ == "of" for p in cj.rights)), pobj)
    return None


def _known_person(ent: Span, b: _Builder) -> Actor | None:
    """A person already resolved earlier in the article under the same name or surname."""
    text = ent.text.lower()
    last = ent[-1].lower_
    for m in b.mentions:
        if not m.person or m.kind != "name" or m.start >= ent.start_char or not m.actors:
            continue
        a = m.actors[0]
        names = {(a.name or "").lower(), a.text.lower()}
        if text in names or any(n.split()[-1:] == [last] for n in names if n):
            return a
    return None


def _person_context(ent: Span, b: _Builder) -> Actor | None:
    """Country of an unknown named person from an apposed title ("X, director of the WPK ...",
    "X, minister of External Economic Relations who is chairman of the DPRK side")."""
    root = ent.root
    apps = [c for c in root.rights if c.dep_ in {"appos", "relcl"}]
    if root.dep_ == "appos":
        apps.append(root.head)
    if root.dep_ in {"nsubj", "nsubjpass"}:  # "Suharto resigned as president of Indonesia"
        apps.extend(p for p in root.head.children if p.dep_ == "prep" and p.lower_ == "as")
    for app in apps:
        frontier = [app]
        for _ in range(PERSON_CONTEXT_DEPTH):
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


def _coreference(doc: Doc, b: _Builder, home: str | None) -> None:
    """Pronouns and pair descriptions → the most recent compatible mention (left to right)."""
    existing = sorted(b.mentions, key=lambda m: m.tok_start)
    idx = 0
    recent: list[Mention] = []
    for tok in doc:
        while idx < len(existing) and existing[idx].tok_start <= tok.i:
            recent.append(existing[idx])
            idx += 1
        if b.owner[tok.i] is not None:
            continue
        low = tok.lower_
        if (tok.pos_ == "PRON" or tok.tag_ in {"PRP", "PRP$"}) and low in SPEAKER_PRONOUNS:
            speaker = _foreign_speaker(tok, b, home)
            if speaker is not None:
                acts = [Actor(text=tok.text, name=None, country=a.country, sector=a.sector,
                              code=a.code) for a in speaker.actors]
                m = b.add(tok.i, tok.i + 1, tok.i, acts, "pronoun", "coref:speaker")
                if m is not None:
                    recent.append(m)
                continue
        if tok.pos_ == "PRON" or tok.tag_ in {"PRP", "PRP$"}:
            if low in FIRST_PERSON and home:
                end = tok.i + 1
                sector = _first_person_sector(tok)
                if tok.dep_ == "poss" and sector and tok.head.i == tok.i + 1 \
                        and b.owner[tok.head.i] is None:
                    end = tok.head.i + 1  # "Our people"
                b.add(tok.i, end, end - 1, [_actor(doc[tok.i:end].text, country=home,
                      sector=sector)], "pronoun", "coref:outlet")
                continue
            want_person = low in MALE_FEMALE
            if not want_person and low not in NONPERSON:
                continue
            ante = _antecedent(recent, tok, want_person)
            if ante is not None:
                acts = [Actor(text=tok.text, name=a.name, country=a.country, sector=a.sector,
                              code=a.code) for a in ante.actors]
                m = b.add(tok.i, tok.i + 1, tok.i, acts, "pronoun", "coref:pronoun", want_person)
                if m is not None:
                    recent.append(m)
            continue
        if tok.pos_ == "NOUN" and tok.dep_ not in {"compound", "amod"}:
            ante = _same_head_antecedent(recent, tok)
            if ante is not None:
                start = min(c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound"})
                acts = [Actor(text=doc[start : tok.i + 1].text, name=a.name, country=a.country,
                              sector=a.sector, code=a.code) for a in ante.actors]
                # (kind of the antecedent: a pronoun may refer on to it, unlike a pair)
                m = b.add(start, tok.i + 1, tok.i, acts, ante.kind, "coref:definite",
                          ante.person)
                if m is not None:
                    recent.append(m)
                continue
        if low in PAIR_WORDS and tok.pos_ == "NOUN":
            nums = {c.lower_ for c in tok.lefts}
            if nums & {"two", "both"}:
                pair = _last_pair(recent, tok)
                if pair:
                    start = min(c.i for c in tok.lefts if c.dep_ in {"det", "nummod", "predet"}
                                or c.lower_ in {"two", "both"})
                    acts = [Actor(text=doc[start : tok.i + 1].text, name=a.name,
                                  country=a.country, sector=a.sector, code=a.code)
                            for a in pair]
                    b.add(start, tok.i + 1, tok.i, acts, "description", "coref:pair")


def _first_person_sector(tok: Token) -> str | None:
    if tok.dep_ == "poss":
        return _AGENT_NOUNS.get(tok.head.lemma_.lower())
    return None


def _antecedent(recent: list[Mention], tok: Token, want_person: bool) -> Mention | None:
    """Most recent compatible mention; subjects first for subject/possessive pronouns.

    News keeps its topic in subject position ("The Supreme Leader met Putin ... His first
    visit"), so a pronoun that is itself a subject or possessor prefers the last subject; an
    object pronoun never takes the subject of its own verb ("X had talks with him").
    """
    doc = tok.doc
    cands: list[Mention] = []
    for m in reversed(recent):
        if tok.idx - m.end > COREF_WINDOW_CHARS:
            break
        if m.tok_end > tok.i or not m.actors or m.actors[0].country is None:
            continue
        if m.kind == "description" or m.person != want_person:
            continue
        if not want_person and tok.lower_ in {"it", "its", "itself"} and len(m.actors) > 1:
            continue
        cands.append(m)
    if not cands:
        return None
    if tok.dep_ in {"nsubj", "nsubjpass", "poss"}:
        for m in cands:
            if doc[m.head].dep_ in {"nsubj", "nsubjpass"}:
                return m
        return cands[0]
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    for m in cands:
        h = doc[m.head]
        if h.dep_ in {"nsubj", "nsubjpass"} and h.head.i in {verb.i, verb.head.i}:
            continue
        return m
    return cands[0]


def reported_sayer(start: Token, steps: int) -> Token | None:
    """The subject of the speech verb whose "that" clause ``start`` sits in, at most
    ``steps`` heads up ("said that ..., adding that ... and that they denounce": the one who
    said also adds), or None."""
    cur = start
    for _ in range(steps):
        if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in _SPEECH_VERBS:
            for verb in [cur.head, *list(cur.head.ancestors)[:SPEAKER_CLIMB]]:
                if verb.lemma_.lower() in _SPEECH_VERBS:
                    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                    if subj is not None:
                        return subj
            return None
        if cur.head is cur:
            return None
        cur = cur.head
    return None


def _foreign_speaker(tok: Token, b: _Builder, home: str | None) -> Mention | None:
    """The speaker of the reported speech a plural pronoun sits in, when that speaker is not
    the outlet's own state: "we"/"they" in it are the speaker's side."""
    subj = reported_sayer(tok.head, SPEAKER_CLIMB)
    m = b.owner[subj.i] if subj is not None else None
    if m is None or m.kind == "pronoun" or not m.actors:
        return None
    country = m.actors[0].country
    if country is None or country == home or country == "IGO":
        return None
    return m


def _same_head_antecedent(recent: list[Mention], tok: Token) -> Mention | None:
    """A definite description that repeats the head noun of a recent mention refers to it:
    "special envoy of the DPRK government Ri Ho Jun ... The special envoy met ...", "the
    Russian delegation ... the delegation". Only "the" + noun with no "of" complement of its
    own (which would name someone else), within the pronoun window."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.lefts):
        return None
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.rights):
        return None
    lemma = tok.lemma_.lower()
    doc = tok.doc
    for m in reversed(recent):
        if tok.idx - m.end > DEFINITE_WINDOW_CHARS:
            break
        if m.tok_end > tok.i or not m.actors or m.actors[0].country is None:
            continue
        if any(t.lemma_.lower() == lemma and t.pos_ == "NOUN"
               for t in doc[m.tok_start : m.tok_end]):
            return m
    return None


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
