"""Actor mentions on real sentences: KB names, titles, dated holders, honorifics, groups,
metonyms and rule-based coreference."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings import actors
from tidings.model import Article


def mentions(nlp, text: str, published: str | None = None, source: str | None = None):
    art = Article(id="t", text=text, published=published, source=source)
    doc = nlp(text)
    return {text[m.start : m.end]: m for m in actors.find_mentions(doc, art)}


def first(m: actors.Mention) -> tuple:
    a = m.actors[0]
    return (a.name, a.country, a.sector)


@pytest.fixture(scope="module")
def seed(nlp, seed_path: Path) -> tuple[str, list[actors.Mention]]:
    raw = seed_path.read_text(encoding="utf-8")
    body = raw[raw.index("It has been a year") : raw.index("against Covid-19.") + 17]
    art = Article(id="seed", text=body, published="2020-04-23", source="Rodong Sinmun")
    return body, actors.find_mentions(nlp(body), art)


def _at(seed, phrase: str, after: str = "") -> actors.Mention:
    body, ms = seed
    start = body.index(phrase, body.index(after) if after else 0)
    hits = [m for m in ms if m.start <= start < m.end]
    assert hits, phrase
    return hits[0]


def test_mention_offsets_and_tokens_agree(nlp, seed) -> None:
    body, ms = seed
    doc = nlp(body)
    for m in ms:
        span = doc[m.tok_start : m.tok_end]
        assert (span.start_char, span.end_char) == (m.start, m.end)
        assert m.tok_start <= m.head < m.tok_end
        assert m.actors and m.rule


def test_title_and_name(seed) -> None:
    m = _at(seed, "Supreme Leader Kim Jong Un")
    assert m.kind == "name" and first(m) == ("Kim Jong Un", "PRK", "GOV")
    assert m.person


def test_honorific_title_in_dprk_outlet(seed) -> None:
    m = _at(seed, "Supreme Leader met")
    assert first(m)[:2] == ("Kim Jong Un", "PRK")
    assert m.rule == "outlet:title"


def test_dated_title_holder(seed) -> None:
    m = _at(seed, "Russian Foreign Minister")
    assert first(m) == ("Sergei Lavrov", "RUS", "GOV")


def test_title_of_organisation(seed) -> None:
    m = _at(seed, "Chairwoman of Federation Council")
    assert first(m)[1:] == ("RUS", "LEG")


def test_group_noun_of_country(seed) -> None:
    m = _at(seed, "Orchestra of the 21st Century")
    assert m.actors[0].code == "RUSCVL"


def test_adjective_and_sector_noun(seed) -> None:
    m = _at(seed, "Russian people successes")
    assert m.actors[0].code == "RUSCVL"
    m = _at(seed, "Our people")
    assert (m.kind, m.actors[0].code) == ("pronoun", "PRKCVL")


def test_pronouns_prefer_the_subject(seed) -> None:
    assert first(_at(seed, "him on April 25"))[0] == "Vladimir Putin"
    assert first(_at(seed, "he performed"))[0] == "Kim Jong Un"
    assert first(_at(seed, "His first visit"))[0] == "Kim Jong Un"
    assert first(_at(seed, "he met with the Russian"))[0] == "Kim Jong Un"


def test_the_two_countries(seed) -> None:
    m = _at(seed, "the two countries.")
    assert m.kind == "description"
    assert {a.country for a in m.actors} == {"PRK", "RUS"}


def test_kb_overrules_ner_places(nlp, seed) -> None:
    body, ms = seed
    start = body.index("Vladivostok")
    assert not [m for m in ms if m.start <= start < m.end]


def test_capital_as_metonym(nlp) -> None:
    ms = mentions(nlp, "Moscow has warned Washington against deploying missiles in Europe.")
    assert first(ms["Moscow"])[1] == "RUS" and first(ms["Washington"])[1] == "USA"


def test_unknown_person_takes_the_country_of_a_title(nlp) -> None:
    ms = mentions(nlp, "German Foreign Minister Oskar Fischer will visit Albania in June, the "
                  "first Warsaw Pact foreign minister to do so since Tirana split with Moscow in "
                  "1961, the Albanian embassy said.")
    m = ms["German Foreign Minister Oskar Fischer"]
    assert first(m) == ("Oskar Fischer", "DEU", "GOV")


def test_kcna_person_with_organisation(nlp) -> None:
    ms = mentions(nlp, "He was accompanied by Choe Son Hui, foreign minister of the DPRK, and Kim "
                  "Song Nam, director of the International Department of the WPK Central "
                  "Committee.", published="2024-07-26", source="KCNA")
    assert first(ms["Kim Song Nam"])[1] == "PRK"
    assert first(ms["Choe Son Hui"])[1] == "PRK"


def test_kcna_groups(nlp) -> None:
    ms = mentions(nlp, "The Joint Chiefs of Staff of the ROK puppet army said that the DPRK is "
                  "scattering a large number of balloons over the ROK from last night.",
                  published="2024-05-29", source="KCNA")
    assert first(ms["Joint Chiefs of Staff"])[1:] == ("KOR", "MIL")
    ms = mentions(nlp, "Now is hard to find in this land such traces of shuddering massacres and "
                  "destruction committed by the U.S. imperialists in the war.",
                  published="2024-06-25", source="KCNA")
    assert first(ms["the U.S. imperialists"])[1] == "USA"


def test_conjoined_nationalities(nlp) -> None:
    ms = mentions(nlp, "Senior Hungarian and Romanian officials agreed on Wednesday that their "
                  "countries should cooperate to encourage Romanian refugees in Hungary to return "
                  "home.")
    m = next(m for t, m in ms.items() if t.endswith("officials"))
    assert {a.country for a in m.actors} == {"HUN", "ROU"}
    assert all(a.sector == "GOV" for a in m.actors)


def test_outlet_country() -> None:
    assert actors.outlet_country(Article(id="a", text="...", source="KCNA")) == "PRK"
    assert actors.outlet_country(Article(id="a", text="...", source="Reuters")) is None


@pytest.mark.parametrize(("source", "country"), [
    ("Xinhua", "CHN"), ("People's Daily Online", "CHN"), ("Global Times", "CHN"),
    ("TASS", "RUS"), ("Vietnam News Agency", "VNM"), ("VNA", "VNM"), ("Nhan Dan", "VNM"),
])
def test_a_states_official_agency_or_paper_speaks_for_it(source, country) -> None:
    # docs/annotation.md §10: the state's official press names its leaders without a
    # nationality, as KCNA does
    art = Article(id="a", text="...", source=source)
    assert actors.outlet_voice(art) == (country, "state-media")


def test_a_state_outlet_quoted_at_the_end_of_an_agency_story_does_not_speak() -> None:
    # the closing lines name a state outlet only as a source of the agency's report
    quoted = "The ministry announced the talks on Monday, Xinhua reported."
    assert actors.outlet_voice(Article(id="a", text=quoted, source="Reuters")) is None
    # with no source, a closing attribution is the article's outlet
    assert actors.outlet_voice(Article(id="a", text=quoted)) == ("CHN", "state-media")
    # nor does a title that quotes one make an agency's story the state's
    titled = Article(id="a", text="...", title="China Daily says the talks were useful",
                     source="Voice of America")
    assert actors.outlet_voice(titled) is None


def test_an_outlet_is_named_by_whole_words_only() -> None:
    # "VNA" inside a longer word is no outlet
    art = Article(id="a", text="...", source="Kovna Regional Herald")
    assert actors.outlet_voice(art) is None
    # nor is a surveillance camera China's television
    art = Article(id="a", text="The police said CCTV footage showed two men.")
    assert actors.outlet_voice(art) is None


def test_a_vietnamese_outlets_unqualified_prime_minister_is_vietnamese(nlp) -> None:
    ms = mentions(nlp, "Prime Minister Pham Minh Chinh received the Japanese Ambassador.",
                  "2024-06-01", "Vietnam News Agency")
    assert first(ms["Prime Minister Pham Minh Chinh"])[1] == "VNM"


@pytest.mark.parametrize(("source", "url", "country"), [
    ("New Zealand Government (beehive.govt.nz)", None, "NZL"),
    ("Minister of Foreign Affairs", "https://www.beehive.govt.nz/release/x", "NZL"),
    ("U.S. Department of the Treasury", None, "USA"),
    ("U.S. Mission to the OSCE", "https://osce.usmission.gov/x", "USA"),
    ("Australian Embassy, Vienna (DFAT)", None, "AUS"),
])
def test_a_governments_release_speaks_for_it(source, url, country) -> None:
    art = Article(id="a", text="...", source=source, url=url)
    assert actors.outlet_voice(art) == (country, "government")


@pytest.mark.parametrize("outlet", ["Minju Joson", "Minju Choson", "Naenara", "Korea Today",
                                    "Tongil Sinbo", "KCTV"])
def test_every_dprk_outlet_speaks_for_the_dprk(nlp, outlet) -> None:
    # clean.py knows these outlets; outlet_country must too, or "our" and the outlet's
    # condemnations go uncoded in their articles
    from tidings import clean

    assert any(o.lower() == outlet.lower() for o in clean.outlets())
    assert actors.outlet_country(Article(id="a", text="...", source=outlet)) == "PRK"
    ms = mentions(nlp, "Our people denounce the U.S.", "2024-06-01", outlet)
    assert first(ms["Our people"])[1:] == ("PRK", "CVL")


def test_person_placed_by_relative_clause_and_named_again(nlp) -> None:
    text = ("Present at the signing ceremony were Kim Yong Jae, minister of External Economic "
            "Relations who is chairman of the DPRK side to the committee, and the members of the "
            "Russian government economic delegation led by Alexandr Galushka, minister of "
            "Development of Far East who is chairman of the Russian side to the committee. "
            "Kim Yong Jae and Alexandr Galushka signed the protocol.")
    art = Article(id="t", text=text, published="2018-03-21", source="Rodong Sinmun")
    ms = actors.find_mentions(nlp(text), art)
    second = text.rindex("Kim Yong Jae")
    found = {(text[m.start : m.end], m.start >= second): m.actors[0].country for m in ms
             if m.kind == "name"}
    assert found[("Kim Yong Jae", False)] == "PRK"
    assert found[("Kim Yong Jae", True)] == "PRK"
    assert found[("Alexandr Galushka", True)] == "RUS"


# ---- sub-state and non-state actors (sentences from the GSR and ConfliBERT gold files)


def test_ethnic_group_takes_its_residence_country(nlp) -> None:
    # PLOVER GSR DEMAND-0014 codes the source SRB: a people coded where it lives
    text = ("Ethnic Albanians in south Serbia are demanding a U.N. military presence to "
            "protect them against a heavily armed ruling Serb minority.")
    m = mentions(nlp, text)["Albanians"]
    assert (m.actors[0].country, m.actors[0].sector) == ("SRB", "ETH")


def test_people_word_before_an_acting_noun_is_not_a_person(nlp) -> None:
    text = ("Sri Lankan Tamil rebels have said that they will release two homeguards held "
            "captive by them on Monday.")
    assert first(mentions(nlp, text)["Sri Lankan Tamil rebels"])[1:] == ("LKA", "REB")


def test_named_armed_groups_outside_petrarch(nlp) -> None:
    text = "Islamic State militants held around 20,000 civilians as human shields in Raqqa."
    assert first(mentions(nlp, text)["Islamic State militants"])[1:] == ("IMG", "REB")


def test_sub_state_agent_takes_the_sentence_country(nlp) -> None:
    text = ("Georgian President Eduard Shevardnadze resigned Sunday as the opposition "
            "threatened to storm his residence in Tbilisi.")
    assert first(mentions(nlp, text)["the opposition"])[1:] == ("GEO", "OPP")
    # two countries named: no telling where the rebels are, so they stay uncoded
    text = ("Russian troops in Syria and Turkish troops in Iraq attacked rebels.")
    assert "rebels" not in mentions(nlp, text)


def test_kb_refusal_drops_a_phrase_table_match(nlp) -> None:
    from tidings import kb as kbmod

    kb = kbmod.load()
    # the case-blind phrase matcher finds "turkey"; the KB's lookup refuses the English word
    assert any(p.lower() == "turkey" for p, _ in kb.phrases())
    assert kb.lookup("turkey") is None and kb.lookup("Turkey").country == "TUR"
    assert mentions(nlp, "They ate turkey at the feast.") == {}
    assert first(mentions(nlp, "Turkey closed its border.")["Turkey"])[1] == "TUR"


def test_role_end_date_is_exclusive_as_in_the_kb(nlp) -> None:
    # a successor takes office on the day the predecessor's role ends (valid_to exclusive)
    ms = mentions(nlp, "Ismail Haniyeh met Iranian officials.", published="2024-07-30")
    assert ms["Ismail Haniyeh"].actors[0].code == "PSEREB"
    from tidings import kb as kbmod

    kb = kbmod.load()
    assert kb.lookup("Ismail Haniyeh", "2024-07-30").role == "PARTY_LEADER"
    assert kb.lookup("Ismail Haniyeh", "2024-07-31").role is None


def test_hyphenated_title_is_one_title(nlp) -> None:
    # "vice-president of Russia" is not Russia's president (the parser splits the word)
    ms = mentions(nlp, "Supreme Leader Kim Jong Un met the vice-president of Russia.",
                  published="2024-06-19", source="KCNA")
    vp = ms["vice-president of Russia"]
    assert first(vp) == (None, "RUS", "GOV")


def test_nested_body_belongs_to_its_innermost_owner(nlp) -> None:
    # dev gold kcna-331495a30eac: a Mexican party's Central Committee, not the WPK's
    text = ("The general secretary of the Central Committee of the People's Socialist Party "
            "of Mexico praised the Korean people for having won the victory.")
    ms = mentions(nlp, text, published="2024-07-28", source="KCNA")
    m = next(v for k, v in ms.items() if k.startswith("The general secretary"))
    assert m.actors[0].country == "MEX"


@pytest.mark.parametrize(("text", "start", "country"), [
    # a known foreign party owns its organ, and so the organ's office
    ("Kim Jong Un sent a reply message to the general secretary of the Central Committee "
     "of the Lao People's Revolutionary Party.", "the general secretary", "LAO"),
    ("A floral basket came from the first secretary of the Central Committee of the "
     "Communist Party of Cuba.", "the first secretary", "CUB"),
    ("A member of the Political Bureau of the Central Committee of the Nepal Communist "
     "Party visited the embassy.", "A member", "NPL"),
    # the WPK's own organ stays the DPRK's, and an office of an international body is its
    ("A member of the Political Bureau of the Central Committee of the Workers' Party of "
     "Korea spoke at the meeting.", "A member", "PRK"),
    ("The head of the Secretariat of the United Nations spoke at the meeting.", "The head",
     "IGO"),
    # a party whose name the parser reads as a possessive ("the party of the Pakistan
    # people") is its possessor's
    ("The director of the Central Secretariat of the Pakistan People's Party sent a "
     "bouquet to the DPRK mission.", "The director", "PAK"),
])
def test_a_known_party_owns_the_office_of_its_organ(nlp, text, start, country) -> None:
    ms = mentions(nlp, text, published="2024-09-18", source="KCNA")
    m = next(v for k, v in ms.items() if k.startswith(start))
    assert m.actors[0].country == country


def test_kcnas_great_leaders_are_the_dprks(nlp) -> None:
    # groups.tsv: "the great leaders", with no names, are Kim Il Sung and Kim Jong Il
    text = ("The Nepalese delegation laid a floral basket before the statues of the great "
            "leaders and paid tribute to them.")
    ms = mentions(nlp, text, "2024-08-28", "KCNA")
    assert first(ms["the great leaders"])[1:] == ("PRK", "GOV")
    assert first(ms["The Nepalese delegation"])[1] == "NPL"


def test_kcna_puppet_forces_are_the_roks(nlp) -> None:
    text = ("This is a reflection of the security uneasiness and restless psychology of the "
            "puppet forces.")
    assert first(mentions(nlp, text, "2024-06-01", "KCNA")["the puppet forces"])[1:] == \
        ("KOR", "MIL")


@pytest.mark.parametrize(("text", "phrase", "country", "sector"), [
    # a leader's name on a body of state
    ("Assad regime said it would allow at least limited access for relief workers.",
     "Assad regime", "SYR", "GOV"),
    # a city names the state of a local agent (gazetteer)
    ("An Istanbul court on September 13 formally charged Erdogan with terrorism.",
     "An Istanbul court", "TUR", "JUD"),
    ("Disha Ravi was arrested by Delhi Police for collaborating with a pro-Khalistani outfit.",
     "Delhi Police", "IND", "COP"),
    # federal agencies as knowledge (groups.tsv)
    ("ICE returned 11 oil paintings to the Pirmasen Municipal Museum in Germany.",
     "ICE", "USA", "COP"),
])
def test_state_bodies_named_by_leader_city_or_acronym(nlp, text, phrase, country, sector) -> None:
    ms = mentions(nlp, text)
    assert phrase in ms, sorted(ms)
    a = ms[phrase].actors[0]
    assert (a.country, a.sector) == (country, sector)


def test_lowercase_word_is_not_an_agency_acronym(nlp) -> None:
    assert mentions(nlp, "The ice on the lake melted early.") == {}  # ICE only in capitals


@pytest.mark.parametrize(("text", "phrase"), [
    # PLOVER GSR AGREE-0038 and DEMAND-0030: an international office, before the name or
    # apposed to it, makes its holder act for the organisation (the KB knows both men as
    # Ecuadorian and Japanese diplomats)
    ("Afghan rebel leaders said on Wednesday they would meet U.N. mediator Diego Cordovez.",
     "U.N. mediator Diego Cordovez"),
    ("Kenzo Oshima, the United Nations Emergency Relief Coordinator, demanded parties to the "
     "conflict in Iraq to allow humanitarian workers the freedom of movement.", "Kenzo Oshima"),
])
def test_person_in_an_igo_office_acts_for_the_igo(nlp, text: str, phrase: str) -> None:
    m = mentions(nlp, text, published="2000-01-01")[phrase]
    assert m.actors[0].country == "IGO" and m.rule.endswith("igo-office")
    assert m.actors[0].name in {"Diego Cordovez", "Kenzo Oshima"}


def test_national_office_keeps_the_persons_country(nlp) -> None:
    ms = mentions(nlp, "Russian Foreign Minister Sergei Lavrov met the envoy.",
                  published="2020-01-01")
    assert ms["Russian Foreign Minister Sergei Lavrov"].actors[0].country == "RUS"


def test_activists_of_the_outlet_are_civilians(nlp) -> None:
    # CAMEO has no ACT sector (agent_nouns.tsv had one): "our activists" in a state outlet are
    # civilians, as its demonstrators and protesters are
    ms = mentions(nlp, "Our activists denounced the U.S.", "2024-06-01", "KCNA")
    m = ms["Our activists"]
    assert (m.actors[0].country, m.actors[0].sector, m.actors[0].code) == ("PRK", "CVL", "PRKCVL")


def _countries_of(ms: dict, phrase: str) -> set:
    return {a.country for a in ms[phrase].actors}


@pytest.mark.parametrize(("source", "text", "phrase", "expected"), [
    # a readout names its two parties, then tells what "they" did
    ("VOA", "The prime minister of Laos met the foreign minister of Peru in Lima. They "
     "condemned the attack.", "They", {"LAO", "PER"}),
    # plural descriptions of the people named before
    ("VOA", "The president of Chile spoke with the president of Cuba. The two leaders agreed "
     "to meet.", "The two leaders", {"CHL", "CUB"}),
    ("VOA", "Chilean Vice Foreign Minister Ana Soto, Peruvian Vice Foreign Minister Luis Paz "
     "and the Secretary of State of Cuba met. The Vice Ministers condemned the attack.",
     "The Vice Ministers", {"CHL", "PER"}),
    # in a national outlet, a bare title repeating a foreigner's title refers back to them
    ("KCNA", "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang. The Foreign "
     "Minister laid a wreath.", "The Foreign Minister", {"RUS"}),
    # ... unless the latest holder of that title named is the outlet's own official
    ("KCNA", "Russian Foreign Minister Sergei Lavrov arrived. Foreign Minister Choe Son Hui "
     "met him. The Foreign Minister said so.", "The Foreign Minister", {"PRK"}),
    # a title nobody was given before is the outlet's own official
    ("KCNA", "Russian Foreign Minister Sergei Lavrov arrived. The Premier met him.",
     "The Premier", {"PRK"}),
])
def test_descriptions_and_pronouns_are_the_people_named_before(
        nlp, source: str, text: str, phrase: str, expected: set) -> None:
    ms = mentions(nlp, text, published="2024-01-15", source=source)
    assert _countries_of(ms, phrase) == expected


def test_the_countries_described_after_a_list_are_the_listed_states(nlp) -> None:
    # "the countries involved" after "Chile, Peru and Bolivia ...": each listed state (§6)
    text = ("Chile, Peru and Bolivia joined the embargo. The countries involved will regret "
            "it.")
    ms = mentions(nlp, text, published="2024-01-15", source="VOA")
    assert _countries_of(ms, "The countries") == {"CHL", "PER", "BOL"}
    # "the forces involved": a statement's word for the same listed states
    text = ("Chile, Peru and Bolivia joined the embargo. The forces involved will pay a dear "
            "price.")
    ms = mentions(nlp, text, published="2024-01-15", source="VOA")
    assert _countries_of(ms, "The forces") == {"CHL", "PER", "BOL"}
    # no list before: the description stays unresolved; "the countries of X" is named there
    ms = mentions(nlp, "Chile joined the embargo. The countries involved will regret it.",
                  published="2024-01-15", source="VOA")
    assert "The countries" not in ms


def test_the_countries_described_are_the_nearest_list_before(nlp) -> None:
    # two lists in reach: the description takes the last one written, not the first
    text = ("Germany and France sent envoys. Chile, Peru and Bolivia joined the embargo. "
            "The countries involved will regret it.")
    ms = mentions(nlp, text, published="2024-01-15", source="VOA")
    assert _countries_of(ms, "The countries") == {"CHL", "PER", "BOL"}


def test_a_description_that_names_its_members_is_those_members(nlp) -> None:
    # guide §10, plural descriptions: "including A and B" on the description (or on its
    # participle) names its members, so a list before it does not
    text = ("Germany and France sent envoys. The ministry praised the efforts by the "
            "countries concerned including Chile and Peru.")
    ms = mentions(nlp, text, published="2024-01-15", source="VOA")
    assert _countries_of(ms, "the countries") == {"CHL", "PER"}
    text = ("Germany and France sent envoys. These states, such as Chile and Peru, joined the "
            "embargo.")
    ms = mentions(nlp, text, published="2024-01-15", source="VOA")
    assert _countries_of(ms, "These states") == {"CHL", "PER"}


def test_a_plural_pronoun_without_two_parties_keeps_its_old_reading(nlp) -> None:
    text = "The ministry of Peru issued a statement. They condemned the attack."
    ms = mentions(nlp, text, published="2024-01-15", source="VOA")
    assert _countries_of(ms, "They") == {"PER"}


def test_the_unquoted_first_person_singular_speaks_for_the_outlets_state(nlp) -> None:
    # issue #11: "I express strong dissatisfaction" in a press statement is its signatory's
    text = "Pyongyang, May 2 (KCNA) -- I express strong dissatisfaction with Canada."
    ms = mentions(nlp, text, published="2024-05-02", source="KCNA")
    assert _countries_of(ms, "I") == {"PRK"}
    text = 'Pyongyang, May 2 (KCNA) -- The guest said: "I thank the leader."'
    ms = mentions(nlp, text, published="2024-05-02", source="KCNA")
    assert "I" not in ms or _countries_of(ms, "I") != {"PRK"}
    text = "I spoke today with the foreign minister of Peru."
    ms = mentions(nlp, text, published="2024-05-02", source="U.S. Department of State")
    assert _countries_of(ms, "I") == {"USA"}


@pytest.mark.parametrize(("source", "expected"), [
    ("KCNA", {"PRK"}), ("U.S. Department of State", {"KOR"}), ("VOA", {"KOR"})])
def test_korea_is_the_state_of_whoever_is_not_speaking_of_the_dprk(nlp, source: str,
                                                                   expected: set) -> None:
    # ambiguity.tsv "elsewhere": the DPRK's outlets call their state "Korea"; others the ROK
    ms = mentions(nlp, "Korea and Canada signed a trade agreement.", published="2024-01-15",
                  source=source)
    assert _countries_of(ms, "Korea") == expected
    ms = mentions(nlp, "North Korea and Canada met.", published="2024-01-15", source=source)
    assert _countries_of(ms, "North Korea") == {"PRK"}


def test_noun_lemmas_follow_the_doc_they_are_asked_for(nlp) -> None:
    # the one-slot cache of coref._noun_lemmas must never answer for another Doc
    from tidings.actors import coref
    a, b = nlp("The delegations met."), nlp("Putin spoke.")
    assert coref._noun_lemmas(a) == [None, "delegation", None, None]
    assert coref._noun_lemmas(b) == ["putin", None, None]
    assert coref._noun_lemmas(a)[1] == "delegation"


def test_plural_bare_titles_are_every_foreign_holder_named_before(nlp) -> None:
    text = ("Japanese Vice Foreign Minister Mori Takeo and Chilean Vice Foreign Minister Ana "
            "Soto met in Washington. The Deputy Secretary and the Vice Ministers condemned the "
            "launch.")
    ms = mentions(nlp, text, published="2023-02-13", source="U.S. Department of State")
    assert _countries_of(ms, "the Vice Ministers") == {"JPN", "CHL"}
    assert _countries_of(ms, "The Deputy Secretary") == {"USA"}  # nobody held it: home


def test_a_country_before_a_title_counts_across_its_bracketed_abbreviation(nlp) -> None:
    text = "Republic of Korea (ROK) First Vice Foreign Minister Cho Hyundong met Mr. Smith."
    ms = mentions(nlp, text, published="2023-02-13", source="U.S. Department of State")
    assert _countries_of(ms, "First Vice Foreign Minister") == {"KOR"}


@pytest.mark.parametrize("name", ["Zhao Lijian", "Hua Chunying", "Geng Shuang"])
def test_chinas_foreign_ministry_spokespersons_are_known(nlp, name) -> None:
    # a wire story names them without a nationality ("Zhao Lijian told reporters ...")
    ms = mentions(nlp, f"{name} told reporters that the talks were useful.", "2020-06-01",
                  "Reuters")
    assert first(ms[name])[1:] == ("CHN", "GOV")


def test_an_articles_voice_follows_its_fields_when_they_change() -> None:
    # outlet_voice is remembered by the fields it reads (issue #11's speed): an article
    # given another source, or whose closing lines name an outlet, speaks anew
    art = Article(id="a", text="Talks went on.", source="Reuters")
    assert actors.outlet_voice(art) is None
    art.source = "KCNA"
    assert actors.outlet_voice(art) == ("PRK", "state-media")
    art.source, art.text = None, "Talks went on, TASS reported."
    assert actors.outlet_voice(art) == ("RUS", "state-media")
    art.url = "https://www.state.gov/briefings/x"
    assert actors.outlet_voice(art) == ("RUS", "state-media")  # the outlet first
    art.text = "Talks went on."
    assert actors.outlet_voice(art) == ("USA", "government")  # then the address
