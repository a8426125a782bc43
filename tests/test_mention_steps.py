"""The mentions stage step by step: each test runs the steps before one step, then the step,
and looks at what that step alone added or changed (actors/stage.py STEPS)."""

from __future__ import annotations

import pytest

from tidings import kb as kbmod
from tidings.actors import STEPS
from tidings.actors.common import Builder, Work
from tidings.actors.stage import find_mentions
from tidings.model import Article
from tidings.settings import DEFAULT


def step_result(nlp, step: str, text: str, **article) -> dict[str, tuple]:
    """{mention text: (rule, country, sector, name)} of what ``step`` added or changed."""
    art = Article(id="t", text=text, **article)
    doc = nlp(text)
    w = Work(doc, art, kbmod.load(), DEFAULT, None, Builder(doc))
    from tidings.actors.common import outlet_country

    w.home = outlet_country(art)
    names = [s.__name__ for s in STEPS]
    assert step in names
    for s in STEPS[: names.index(step)]:
        s(w)
    before = {id(m): (m.rule, [a.country for a in m.actors]) for m in w.b.mentions}
    STEPS[names.index(step)](w)
    out = {}
    for m in w.b.mentions:
        if before.get(id(m)) != (m.rule, [a.country for a in m.actors]):
            a = m.actors[0]
            out[text[m.start : m.end]] = (m.rule, a.country, a.sector, a.name)
    return out


def test_steps_in_their_documented_order() -> None:
    assert [s.__name__ for s in STEPS] == [
        "kb_phrases", "country_words", "named_parties", "leader_bodies", "city_agents", "titles_of",
        "bodies_of_country", "igo_offices", "informal_groups", "named_entities", "residence",
        "located_agents", "outlet_titles", "dateline_here", "voice_ambiguity", "coreference"]


def test_kb_phrases_people_with_their_titles(nlp) -> None:
    got = step_result(nlp, "kb_phrases", "Supreme Leader Kim Jong Un met Vladimir Putin.",
                      published="2024-06-19")
    assert got["Supreme Leader Kim Jong Un"][:2] == ("kb:person", "PRK")
    assert got["Vladimir Putin"][:2] == ("kb:person", "RUS")


def test_kb_phrases_igo_office(nlp) -> None:
    got = step_result(nlp, "kb_phrases", "U.N. mediator Diego Cordovez arrived in Kabul.")
    assert got["U.N. mediator Diego Cordovez"][:2] == ("kb:person+igo-office", "IGO")


@pytest.mark.parametrize(("text", "phrase", "rule", "country", "sector"), [
    ("Russian warships entered the port.", "Russian warships", "kb:adjective+noun", "RUS",
     "MIL"),
    ("The Russian Foreign Minister arrived.", "The Russian Foreign Minister", "kb:title",
     "RUS", "GOV"),
    ("German Foreign Minister Oskar Fischer spoke.", "German Foreign Minister Oskar Fischer",
     "kb:country+person", "DEU", "GOV"),
    ("Russia protested.", "Russia", "kb:country", "RUS", None),
])
def test_country_words(nlp, text, phrase, rule, country, sector) -> None:
    got = step_result(nlp, "country_words", text, published="2024-06-19")
    assert got[phrase][:3] == (rule, country, sector)


def test_leader_bodies(nlp) -> None:
    got = step_result(nlp, "leader_bodies",
                      "Assad regime said it would allow at least limited access.")
    assert got["Assad regime"][:3] == ("kb:leader+body", "SYR", "GOV")


def test_city_agents(nlp) -> None:
    got = step_result(nlp, "city_agents", "An Istanbul court on September 13 charged him.")
    assert got["An Istanbul court"][:3] == ("gazetteer:city+noun", "TUR", "JUD")


def test_titles_of(nlp) -> None:
    got = step_result(nlp, "titles_of", "The Chairwoman of Federation Council of Russia came.")
    assert got["The Chairwoman of Federation Council of Russia"][:2] == ("kb:title-of", "RUS")


def test_named_parties(nlp) -> None:
    # a bare "the Party" (the WPK in KCNA's style) that begins a longer name is that party
    got = step_result(nlp, "named_parties", "The Party for Justice of Peru sent a card.")
    assert got["The Party"][:2] == ("kb:group+named", "PER")
    got = step_result(nlp, "named_parties",
                      "The Party of Farmers in the Republic of Chile met on Monday.")
    assert got["The Party"][:2] == ("kb:group+named", "CHL")
    # a longer name that gives no country names no known actor
    text = "The Party for Justice sent a card."
    assert not step_result(nlp, "named_parties", text)  # nothing added or changed ...
    assert not [m for m in find_mentions(nlp(text), Article(id="t", text=text))
                if text[m.start:m.end] == "The Party"]  # ... and the WPK's mention is gone
    # the bare Party stays the WPK
    text = "The Party and the state attach importance to farming."
    assert [a.country for m in find_mentions(nlp(text), Article(id="t", text=text))
            if text[m.start:m.end] == "The Party" for a in m.actors] == ["PRK"]


def test_bodies_of_country(nlp) -> None:
    got = step_result(nlp, "bodies_of_country",
                      "The Joint Chiefs of Staff of the ROK said the drills began.")
    assert any(rule.endswith("+of-country") and c == "KOR" for rule, c, _, _ in got.values())


def test_igo_offices(nlp) -> None:
    got = step_result(nlp, "igo_offices", "Kenzo Oshima, the United Nations Emergency Relief "
                                          "Coordinator, visited the camp.")
    assert got["Kenzo Oshima"][:2] == ("kb:person+igo-office", "IGO")


def test_named_entities_person_placed_by_title(nlp) -> None:
    got = step_result(nlp, "named_entities", "Ivan Petrov, the Russian ambassador, arrived.")
    assert got["Ivan Petrov"][:3] == ("ner:person+title", "RUS", "GOV")


def test_named_entities_surname_first_names_a_known_person(nlp) -> None:
    text = ("Secretary Mattis spoke with Defense Minister Song Young-moo. Both Secretary "
            "Mattis and Minister Song condemned the test.")
    got = step_result(nlp, "named_entities", text)
    assert got["Song"][:2] == ("ner:person-again", "KOR")


def test_named_entities_person_placed_by_a_title_before_the_name(nlp) -> None:
    text = ("President Joe Biden met today with Philippine Secretary of Foreign Affairs Enrique "
            "Manalo in Manila.")
    got = step_result(nlp, "named_entities", text)
    assert got["Enrique Manalo"][:2] == ("ner:person+title", "PHL")


def test_residence(nlp) -> None:
    got = step_result(nlp, "residence", "Ethnic Albanians in south Serbia protested.")
    assert any(rule.endswith("+residence") and (c, s) == ("SRB", "ETH")
               for rule, c, s, _ in got.values())


def test_located_agents(nlp) -> None:
    got = step_result(nlp, "located_agents", "Rebels attacked a convoy in Syria.")
    assert got["Rebels"][:3] == ("context:location", "SYR", "REB")


def test_outlet_titles(nlp) -> None:
    got = step_result(nlp, "outlet_titles", "The Premier inspected a factory.",
                      published="2024-06-01", source="KCNA")
    assert got["The Premier"][:3] == ("outlet:title", "PRK", "GOV")


def test_dateline_here(nlp) -> None:
    got = step_result(nlp, "dateline_here", "The delegation arrived here on Monday.",
                      dateline_place="Pyongyang")
    assert got["here"][:2] == ("dateline:here", "PRK")


def test_here_without_a_dateline_is_a_state_outlets_country(nlp) -> None:
    # Rodong Sinmun prints no dateline: its "here" is where it is published
    got = step_result(nlp, "dateline_here", "The Lao delegation left here on Monday.",
                      source="Rodong Sinmun")
    assert got["here"][:2] == ("outlet:here", "PRK")
    # an outlet that speaks for no state gives "here" no country
    got = step_result(nlp, "dateline_here", "The Lao delegation left here on Monday.",
                      source="Reuters")
    assert "here" not in got


@pytest.mark.parametrize(("text", "source", "phrase", "rule", "country"), [
    ("Vladimir Putin arrived. He met officials.", None, "He", "coref:pronoun", "RUS"),
    ("Our people denounce the U.S.", "KCNA", "Our people", "coref:outlet", "PRK"),
    ("Russia and China met. The two countries agreed.", None, "The two countries",
     "coref:pair", "RUS"),
])
def test_coreference(nlp, text, source, phrase, rule, country) -> None:
    got = step_result(nlp, "coreference", text, published="2024-06-01", source=source)
    assert got[phrase][:2] == (rule, country)


def test_settings_reach_the_steps(nlp) -> None:
    text = "Vladimir Putin arrived. " + "It rained. " * 60 + "He left."
    art = Article(id="t", text=text, published="2024-06-01")
    doc = nlp(text)
    near = {m.rule for m in find_mentions(doc, art)}
    far = {m.rule for m in find_mentions(doc, art, DEFAULT.with_values(
        [("coref_window_chars", 2000)]))}
    assert "coref:pronoun" not in near and "coref:pronoun" in far


def test_country_word_before_an_act_noun_keeps_its_mention(nlp) -> None:
    """"joint military drills" is an act, not an acting group: the adjective "military" does
    not make one, and a country word whose phrase another mention cuts into keeps its own
    mention ("U.S.-ROK": "U.S." hangs on "ROK", "ROK" on "drills")."""
    got = step_result(nlp, "country_words", "The U.S.-ROK joint military drills began.")
    assert got["U.S."][:2] == ("kb:country", "USA")
    assert got["ROK"][:2] == ("kb:country", "KOR")
    got = step_result(nlp, "country_words", "Japanese military officials arrived.")
    assert got["Japanese military officials"][:2] == ("kb:adjective+noun", "JPN")


def _countries(nlp, text: str) -> dict[str, list[str | None]]:
    art = Article(id="t", text=text, published="2024-06-01")
    return {text[m.start: m.end]: [a.country for a in m.actors]
            for m in find_mentions(nlp(text), art)}


def test_a_friendship_body_named_for_two_countries_is_the_first_ones(nlp) -> None:
    # docs/annotation.md §6: such bodies name their own country first; a joint body of two
    # states is both
    got = _countries(nlp, "The Ghana-Korea Friendship Society and the Chile-Korea Amicable "
                          "Association sent congratulatory messages.")
    assert got["The Ghana-Korea Friendship Society"] == ["GHA"]
    assert got["the Chile-Korea Amicable Association"] == ["CHL"]
    got = _countries(nlp, "The DPRK-Iran Joint Economic Committee held its session.")
    assert got["The DPRK-Iran Joint Economic Committee"] == ["PRK", "IRN"]


def test_they_after_a_list_is_every_listed_actor(nlp) -> None:
    # docs/annotation.md §10, plural descriptions: "they" stands for the whole list, also
    # when the parser reads the list as appositions and a country ends a listed phrase
    got = _countries(nlp, "Among the guests were the Green Party of Kenya, the Labour Party "
                          "of Malta and the People's Party of Panama. They laid flowers at "
                          "the statues.")
    assert got["They"] == ["KEN", "MLT", "PAN"]
    # one antecedent alone stays one
    got = _countries(nlp, "The Labour Party of Malta sent a delegation. They laid flowers.")
    assert got["They"] == ["MLT"]


def test_titles_of_coordinated_bodies_each_keep_their_own_country(nlp) -> None:
    # "the chairman of a party of A and the secretary of a union of B": the chain of the
    # first title ends at A; the jump to a conjunct is only for a phrase with no "of" of its
    # own ("Minister of Foreign Affairs and Expatriates of Jordan")
    got = _countries(nlp, "Among them were the chairman of a party of Nepal and the "
                          "secretary of a union of Chile.")
    assert got["the chairman of a party of Nepal"] == ["NPL"]
    assert got["the secretary of a union of Chile"] == ["CHL"]


@pytest.mark.parametrize(("text", "phrase"), [
    ("The U.S. and its vassal forces staged war drills.", "vassal forces"),
    ("Washington and the satellite countries imposed sanctions.", "satellite countries"),
    ("The sanctions of the U.S. and Western countries failed.", "Western countries"),
    ("The West keeps arming Kiev.", "West"),
    ("The U.S. and its followers slandered the sovereign state.", "followers"),
    ("The U.S. and Japan and their followers held drills.", "followers"),
])
def test_informal_groups_of_states_are_one_igo(nlp, text, phrase) -> None:
    # docs/annotation.md §6: an informal group of states is one IGO actor
    got = step_result(nlp, "informal_groups", text)
    assert got[phrase][:2] == ("group:informal", "IGO")


@pytest.mark.parametrize("text", [
    "Warships sailed in the West Sea.",                    # a modifier of a place name
    "Japan is a vassal state of the U.S.",                 # singular: one state
    "The preacher met his followers.",                     # a person's followers
    "The U.S. and its allies held drills.",                # named partners, not a group code
    "The following countries sent messages: Laos and Cuba.",  # a list of named states
    "Western media reported the visit.",                   # not a group of states
    "Non-Western countries and anti-Western forces met.",  # the opposite of the West
])
def test_not_informal_groups(nlp, text) -> None:
    assert not [v for v in step_result(nlp, "informal_groups", text).values()
                if v[0] == "group:informal"]


def test_an_informal_group_is_an_actor_beside_its_leader(nlp) -> None:
    got = _countries(nlp, "The U.S. and its vassal forces escalated their moves.")
    assert got["U.S."] == ["USA"] and got["vassal forces"] == ["IGO"]
