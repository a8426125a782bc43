"""The mentions stage: actor mentions in a parsed article, resolved against the knowledge base.

Every mention is resolved against the knowledge base (``kb.py``); the KB overrules spaCy's
entity labels (an unknown PERSON with no title or organisation context is not an actor, so
"Vladivostok" tagged PERSON stays a place). Steps, in priority order (``STEPS``; a step
owns the tokens of its mentions, so earlier steps win):

1. kb_phrases         KB phrases (people, countries, capitals, organisations); people absorb
                      the titles before them ("Supreme Leader Kim Jong Un")
2. country_words      a country word alone or on an acting noun, title or unknown person:
                      "Russian troops" → RUS MIL, "the Russian Foreign Minister" → the holder
3. named_parties      "the Party" that begins a longer name ("the Party for Peace and Unity
                      of Russia") is that party, not the WPK
4. leader_bodies      a leader's name on a body of state: "the Bush administration" → USA GOV
5. city_agents        an agent named with its city: "an Istanbul court" → TUR JUD
6. titles_of          title or acting noun + "of" + organisation or country
7. bodies_of_country  a generic body takes the country of its "of": "the Joint Chiefs of the ROK"
8. igo_offices        a person in an IGO's office acts for the IGO ("Kenzo Oshima, the UN ...")
9. informal_groups    informal groups of states ("the West", "its vassal forces") act as one IGO
10. named_entities    entities the matcher missed; unknown persons placed by an apposed title
11. residence         a people with "in <country>" is its ethnic group ("Albanians in Serbia")
12. located_agents    sub-state agents take the one country the sentence is set in
13. outlet_titles     a national outlet's bare titles ("the Premier") are its country's,
                      unless a foreigner was given that title before ("the Vice Ministers")
14. dateline_here     "here" is the dateline place (else a state outlet's country)
15. voice_ambiguity   "Korea": the DPRK in a DPRK outlet, the ROK anywhere else
16. coreference       pronouns, "we/our", "the special envoy", "the two sides" (coref.py)
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from .. import kb as kbmod
from ..model import Article, Mention
from ..settings import DEFAULT, Settings
from .common import Builder, Work, outlet_country
from .coref import coreference
from .steps import (
    bodies_of_country,
    city_agents,
    country_words,
    dateline_here,
    igo_offices,
    informal_groups,
    kb_phrases,
    leader_bodies,
    located_agents,
    named_entities,
    named_parties,
    outlet_titles,
    residence,
    titles_of,
    voice_ambiguity,
)

Step = Callable[[Work], None]

STEPS: tuple[Step, ...] = (
    kb_phrases, country_words, named_parties, leader_bodies, city_agents, titles_of,
    bodies_of_country, igo_offices, informal_groups, named_entities, residence, located_agents,
    outlet_titles, dateline_here, voice_ambiguity, coreference,
)


def find_mentions(doc: Doc, article: Article, settings: Settings = DEFAULT) -> list[Mention]:
    """Resolve every actor mention of a parsed article (see the module docstring)."""
    w = Work(doc, article, kbmod.load(), settings, outlet_country(article), Builder(doc))
    for step in STEPS:
        step(w)
    return sorted(w.b.mentions, key=lambda m: m.tok_start)
