"""The places stage step by step (where.STEPS): each step alone on the sentences that need it,
and the settings that bound how far a place carries."""

from __future__ import annotations

from eventspans import events_at

from tidings import discourse, pipeline, where
from tidings.model import Article
from tidings.settings import DEFAULT


def _placing(nlp, text: str, trigger: str, settings=DEFAULT, **fields):
    doc = nlp(text)
    art = Article(id="x", text=text, **fields)
    ev = events_at(doc, [trigger])[0]
    return ev, where._Trigger.of(ev, doc, len(doc.text)), where._Locating(doc, art, settings)


def test_steps_in_their_documented_order() -> None:
    assert [s.__name__ for s in where.STEPS] == [
        "visited_place", "sentence_place", "own_countries_place", "there_place",
        "same_occasion_place", "struck_place", "news_place", "lead_place",
        "own_territory_place"]


def test_sentence_place(nlp) -> None:
    ev, at, w = _placing(nlp, "Kim Jong Un held talks with Putin in Vladivostok.", "held")
    assert where.sentence_place(ev, at, w)["name"] == "Vladivostok"
    ev, at, w = _placing(nlp, "The ensemble performed at the Kumgang Hall during a visit "
                              "to Russia.", "performed")
    loc = where.sentence_place(ev, at, w)
    assert (loc["name"], loc["country"]) == (None, "RUS")  # an unknown hall, in Russia


def test_there_place(nlp) -> None:
    text = "The delegation arrived in Damascus. A protocol was signed there."
    ev, at, w = _placing(nlp, text, "signed")
    assert where.sentence_place(ev, at, w) is None
    assert where.there_place(ev, at, w)["country"] == "SYR"


def test_same_occasion_place(nlp) -> None:
    text = "He met Putin on April 25, 2019. He performed exploits in Vladivostok at the time."
    ev, at, w = _placing(nlp, text, "met")
    assert where.same_occasion_place(ev, at, w)["name"] == "Vladivostok"


def test_news_place_carries_back_as_far_as_the_setting(nlp) -> None:
    text = ("The rally was staged in Seoul on August 17. Speakers called for peace. "
            "The participants held a ceremony.")
    dateline = {"dateline_place": "Pyongyang", "dateline_date": "2024-08-20"}
    ev, at, w = _placing(nlp, text, "held", **dateline)
    ev["date_source"] = "dateline"
    assert where.news_place(ev, at, w)["country"] == "KOR"
    near = DEFAULT.with_values([("place_carry_back_sentences", 1)])
    ev, at, w = _placing(nlp, text, "held", near, **dateline)
    ev["date_source"] = "dateline"
    assert where.news_place(ev, at, w)["name"] == "Pyongyang"  # only the dateline is left
    ev["date_source"] = "sentence"  # no date of its own near the dateline: not its news
    assert where.news_place(ev, at, w) is None


def test_news_place_of_an_undatelined_release_is_its_occasions(nlp) -> None:
    # a readout with no dateline: an act dated by the release's own date is its news, told at
    # the occasion the lead placed ("met ... in Jakarta. He conveyed his support ...")
    text = ("The foreign minister met his Chilean counterpart in Jakarta on Thursday. "
            "He conveyed his support for the presidency of Chile.")
    ev, at, w = _placing(nlp, text, "conveyed", published="2023-07-13")
    ev["date_source"] = "published"
    assert where.news_place(ev, at, w)["country"] == "IDN"
    ev["date_source"] = None  # no date at all: not the day's news
    assert where.news_place(ev, at, w) is None


def test_lead_place_sets_an_undatelined_articles_occasion(nlp) -> None:
    # a transcript places its occasion in its lead, then tells the day's news many sentences
    # later with no place of its own
    text = ("Good morning. It is good to be here in Lima for the leaders' meeting. "
            "The weather is fine. The hotel is comfortable. The food is good. "
            "The staff are kind. I discussed trade with the President.")
    ev, at, w = _placing(nlp, text, "discussed", published="2024-11-15")
    ev["date_source"] = "published"
    assert where.news_place(ev, at, w) is None  # the lead is out of the carry-back's reach
    assert where.lead_place(ev, at, w)["country"] == "PER"
    ev["date_source"] = None  # undated: not the day's news
    assert where.lead_place(ev, at, w) is None
    ev, at, w = _placing(nlp, text, "discussed", published="2024-11-15",
                         dateline_place="Tokyo")
    ev["date_source"] = "published"
    assert where.lead_place(ev, at, w) is None  # a dateline places the news (news_place)
    late = ("Good morning. Thank you all. It is good to be here in Lima. "
            "I discussed trade with the President.")
    ev, at, w = _placing(nlp, late, "discussed", published="2024-11-15")
    ev["date_source"] = "published"
    assert where.lead_place(ev, at, w) is None  # the third sentence is not the lead


def test_yesterday_is_an_undatelined_releases_news(nlp) -> None:
    # a release with no dateline: a day just before its publication is its news, as a day
    # just before a dateline is a KCNA report's
    text = ("It is good to be here in Seoul for the summit. Last night, the leaders had "
            "dinner.")
    ev, at, w = _placing(nlp, text, "had", published="2025-10-30")
    ev.update(date="2025-10-29", date_precision="day", date_source="sentence")
    assert where.news_place(ev, at, w)["country"] == "KOR"
    ev.update(date="2019-04-25")  # history: not the release's news
    assert where.news_place(ev, at, w) is None


def test_a_place_named_korea_is_the_outlets_korea(nlp) -> None:
    # "Korea" names the DPRK in a DPRK outlet and the ROK in anyone else's (ambiguity.tsv),
    # for places as for actors
    text = "The delegation held talks in Korea."
    for voice, expected in [(("PRK", "state-media"), "PRK"), (("AUS", "government"), "KOR"),
                            (None, "KOR")]:
        doc = nlp(text)
        (ev,) = events_at(doc, ["held"])
        (placed,) = where.locate_events([ev], doc, Article(id="x", text=text), voice=voice)
        assert placed["location"]["country"] == expected, voice
    doc = nlp("The delegation held talks in South Korea.")
    (ev,) = events_at(doc, ["held"])
    (placed,) = where.locate_events([ev], doc, Article(id="x", text=doc.text),
                                    voice=("PRK", "state-media"))
    assert placed["location"]["country"] == "KOR"  # a qualified name is never re-voiced


def test_recent_days_is_a_setting(nlp) -> None:
    text = "The Academy of Defence Sciences conducted a test-fire of rocket launcher shells."
    dateline = {"dateline_place": "Pyongyang", "dateline_date": "2024-10-09"}
    for settings, expected in [(DEFAULT, "PRK"),
                               (DEFAULT.with_values([("place_recent_days", 0)]), None)]:
        ev, at, w = _placing(nlp, text, "conducted", settings, **dateline)
        ev.update(date="2024-10-08", date_precision="day", date_source="sentence")
        found = where.news_place(ev, at, w)
        assert (found or {}).get("country") == expected


def test_visited_place_is_in_the_target_country(nlp) -> None:
    text = ("The trade minister came back on Friday after visiting Kenya, Ghana and "
            "Senegal.")
    for code, name in [("GHA", "Ghana"), ("SEN", "Senegal"), ("KEN", "Kenya")]:
        ev, at, w = _placing(nlp, text, "visiting")
        ev.update(event_type="CONSULT", mode="visit", target={"country": code})
        assert where.visited_place(ev, at, w)["name"] == name
        assert where.sentence_place(ev, at, w)["name"] == "Kenya"  # what it was before
    ev, at, w = _placing(nlp, "The minister visited the Chinese embassy in Hanoi.", "visited")
    ev.update(event_type="CONSULT", mode="visit", target={"country": "CHN"})
    assert where.visited_place(ev, at, w) is None  # no place of the sentence is in China
    ev.update(mode="meeting")
    assert where.visited_place(ev, at, w) is None  # not a visit


def test_own_territory_place_of_an_unplaced_weapons_test(nlp) -> None:
    text = "Ministers deplored Iran's latest missile test."
    ev, at, w = _placing(nlp, text, "test")
    ev.update(event_type="MOBILIZE", mode="weapons", source={"country": "IRN"}, target=None)
    assert where.sentence_place(ev, at, w) is None
    loc = where.own_territory_place(ev, at, w)
    assert loc["country"] == "IRN" and loc["name"] == "Iran"
    ev.update(target={"country": "ISR"})  # aimed at someone: an attack's place, not this
    assert where.own_territory_place(ev, at, w) is None
    ev.update(target=None, mode="troops")
    assert where.own_territory_place(ev, at, w) is None
    ev.update(mode="weapons", source={"country": None})
    assert where.own_territory_place(ev, at, w) is None


def test_an_unplaced_attack_happened_where_it_struck(nlp) -> None:
    # docs/annotation.md §8: not at the dateline of the statement that condemns it
    text = "The spokesman denounced the shelling of Armenia by Azerbaijan."
    dateline = {"dateline_place": "Pyongyang", "dateline_date": "2024-03-02"}
    doc = nlp(text)
    (ev,) = events_at(doc, ["shelling"])
    ev.update(event_type="ASSAULT", source={"country": "AZE"}, target={"country": "ARM"},
              date_source="dateline")
    art = Article(id="x", text=text, **dateline)
    assert where.locate_events([ev], doc, art)[0]["location"]["country"] == "ARM"
    ev.update(target={"country": "IGO"})  # a body's people: no state to place it in
    assert where.locate_events([ev], doc, art)[0]["location"]["name"] == "Pyongyang"
    ev.update(event_type="ACCUSE", target={"country": "ARM"})  # not an attack
    assert where.locate_events([ev], doc, art)[0]["location"]["name"] == "Pyongyang"
    # a place the sentence gives comes first: the attack on troops abroad is where they are
    text = "Militias attacked American troops in Syria."
    ev, at, w = _placing(nlp, text, "attacked")
    ev.update(event_type="ASSAULT", source={"country": None}, target={"country": "USA"})
    assert where.struck_place(ev, at, w)["country"] == "USA"
    (placed,) = where.locate_events([ev], nlp(text), Article(id="x", text=text))
    assert placed["location"]["country"] == "SYR"


def test_a_place_of_another_clause_does_not_move_an_inferred_place(nlp) -> None:
    # docs/annotation.md §8: the toll felt in France is not where the shelling struck
    text = ("The minister condemned the shelling of Armenia by Azerbaijan, which has also "
            "alarmed families in France.")
    ev, at, w = _placing(nlp, text, "shelling")
    ev.update(event_type="ASSAULT", source={"country": "AZE"}, target={"country": "ARM"})
    assert where.sentence_place(ev, at, w) is None
    assert where.struck_place(ev, at, w)["country"] == "ARM"
    ev.update(event_type="ACCUSE")  # an act placed by no inference keeps the old reading
    assert where.sentence_place(ev, at, w)["country"] == "FRA"
    # nor does the place of a summit told in a clause on a launch
    assert _launch_placed(nlp, "Seoul condemned the missile launch by the North, which came "
                          "days after the summit in Washington.", "launch", "PRK") == "PRK"
    # a place of the act's own clause still places it
    text = "Militias attacked American troops in Syria, which angered voters in Texas."
    ev, at, w = _placing(nlp, text, "attacked")
    ev.update(event_type="ASSAULT", source={"country": None}, target={"country": "USA"})
    assert where.sentence_place(ev, at, w)["country"] == "SYR"


def _own_launch(ev, country: str) -> None:
    ev.update(event_type="MOBILIZE", mode="weapons", source={"country": country}, target=None,
              date_source="dateline")


def _launch_placed(nlp, text: str, trigger: str, country: str) -> str | None:
    """The country where the placing steps put the state's own launch told at ``trigger``."""
    doc = nlp(text)
    (ev,) = events_at(doc, [trigger])
    _own_launch(ev, country)
    (placed,) = where.locate_events([ev], doc, Article(id="x", text=text))
    return placed["location"]["country"]


def test_a_launchs_flight_path_is_not_its_place(nlp) -> None:
    # docs/annotation.md §8: where the missile flew or fell is not where it was launched
    assert _launch_placed(nlp, "Canberra deplored Pyongyang's rocket launch, which flew over "
                          "Hokkaido.", "launch", "PRK") == "PRK"
    assert _launch_placed(nlp, "The missiles Iran fired on Monday fell into the sea near "
                          "Oman.", "fired", "IRN") == "IRN"
    # a delegation's flight is its visit's way there: only a launch's path is skipped
    text = "The delegation flew to Hanoi for the talks."
    ev, at, w = _placing(nlp, text, "flew")
    ev.update(event_type="CONSULT", source={"country": "PRK"}, target={"country": "VNM"})
    assert where.sentence_place(ev, at, w)["country"] == "VNM"


def test_a_launch_told_where_the_article_is_set_happened_at_home(nlp) -> None:
    # a readout datelined in Seoul of a meeting that discussed another state's launch: the
    # launch is on the launcher's soil, the meeting in Seoul
    text = "The two ministers met and discussed the recent launches by the Iranians."
    doc = nlp(text)
    launch, meet = events_at(doc, ["launches", "met"])
    _own_launch(launch, "IRN")
    meet.update(event_type="CONSULT", source={"country": "USA"}, target={"country": "KOR"},
                date_source="dateline")
    art = Article(id="x", text=text, dateline_place="Seoul", dateline_date="2024-08-04")
    got = [e["location"]["country"] for e in where.locate_events([launch, meet], doc, art)]
    assert got == ["IRN", "KOR"]


def test_an_unknown_site_takes_the_country_of_the_next_step(nlp) -> None:
    text = "The Mongolian government delegation visited the Grand People's Study House."
    doc = nlp(text)
    art = Article(id="x", text=text, dateline_place="Pyongyang", dateline_date="2024-08-12")
    (ev,) = events_at(doc, ["visited"])
    ev.update(date="2024-08-12", date_source="dateline", event_type="CONSULT", mode="visit")
    (placed,) = where.locate_events([ev], doc, art)
    loc = placed["location"]
    assert (loc["text"], loc["country"]) == ("the Grand People's Study House", "PRK")
    art = Article(id="x", text=text)  # no dateline: the site stays where the text left it
    (ev,) = events_at(doc, ["visited"])
    assert where.locate_events([ev], doc, art)[0]["location"]["country"] is None


def test_own_countries_place_of_a_groups_act_in_their_countries(nlp) -> None:
    text = ("Foreign personages visited the Cuban missions in their countries. They laid "
            "floral baskets before the statue of Jose Marti.")
    ev, at, w = _placing(nlp, text, "laid")
    ev.update(event_type="SUPPORT", source={"country": "NPL"}, target={"country": "CUB"})
    assert where.own_countries_place(ev, at, w)["country"] == "NPL"  # each doer's own
    ev.update(source={"country": "MNG"})
    assert where.own_countries_place(ev, at, w)["country"] == "MNG"
    text = "Foreign personages visited the Cuban missions. They laid floral baskets."
    ev, at, w = _placing(nlp, text, "laid")
    ev.update(event_type="SUPPORT", source={"country": "NPL"}, target={"country": "CUB"})
    assert where.own_countries_place(ev, at, w) is None  # no "in their countries"


def _news(nlp, text: str, triggers: list[str], voice=("PRK", "state-media"), **fields):
    """Events at the triggers, dated as the dateline's news, placed by the whole stage."""
    doc = nlp(text)
    fields = fields or {"dateline_place": "Pyongyang", "dateline_date": "2024-08-04"}
    evs = events_at(doc, triggers)
    for ev in evs:
        ev["date_source"] = "dateline"
    return doc, evs, Article(id="x", text=text, **fields), voice


def test_a_message_sent_has_no_place_the_text_does_not_give(nlp) -> None:
    # docs/annotation.md §8: messages, letters and floral baskets sent have no place unless
    # the text gives one; one laid or expressed in person is placed where it was
    text = ("The general secretary received a message of greeting from the president of "
            "Laos. A delegation laid a wreath at the cemetery. The ambassador sent a floral "
            "basket to the embassy in Moscow.")
    doc, evs, art, voice = _news(nlp, text, ["received a message", "laid a wreath",
                                             "sent a floral basket"])
    got = [e["location"] for e in where.locate_events(evs, doc, art, voice=voice)]
    assert got[0] is None  # received, and the text names no place: not an event in Pyongyang
    assert got[1]["country"] == "PRK"  # laid in person: the dateline's news, there
    assert got[2]["country"] == "RUS"  # sent, but the text gives the place


def test_a_documents_act_and_a_state_outlets_commentary_have_no_inferred_place(nlp) -> None:
    text = "The commentary denounced the military drills. Such moves are a grave provocation."
    doc, evs, art, voice = _news(nlp, text, ["denounced", "provocation"])
    evs[0]["proposal"] = {"issuer": "outlet"}  # discourse's document step
    evs[1]["proposal"] = {"source_how": "outlet"}  # the outlet's own condemnation
    assert [e["location"] for e in where.locate_events(evs, doc, art, voice=voice)] == [
        None, None]
    # a government's release condemning in its own voice is someone's remarks at the
    # occasion its lead places
    text = "It is good to be here in Lima. Such moves are a grave provocation."
    doc, evs, art, _ = _news(nlp, text, ["provocation"], published="2024-11-15")
    evs[0]["proposal"] = {"source_how": "outlet"}
    (placed,) = where.locate_events(evs, doc, art, voice=("CAN", "government"))
    assert placed["location"]["country"] == "PER"


def test_a_visit_with_another_target_is_placed_in_that_country(nlp) -> None:
    # the alternatives stage copies a candidate with each other actor of its clause as the
    # target; a copy of a visit must be placed in its own target's country, not share the
    # place of the visit it was copied from
    text = ("The trade minister of Japan came back on Friday after visiting Kenya, Ghana "
            "and Senegal.")
    found = pipeline.propose(nlp(text), Article(id="x", text=text, published="2024-05-03"))
    copies = [ev for ev in found
              if ev["mode"] == "visit" and discourse.is_target_alternative(ev)]
    assert {ev["target"]["country"] for ev in copies} == {"KEN", "GHA", "SEN"}
    for ev in copies:
        assert ev["location"]["country"] == ev["target"]["country"]


def test_a_welcome_happens_where_the_guest_is_welcomed_to(nlp) -> None:
    ev, at, w = _placing(nlp, "The premier warmly welcomed the Lao president to Hanoi.",
                         "welcomed")
    assert where.sentence_place(ev, at, w)["country"] == "VNM"
    ev, at, w = _placing(nlp, "The premier welcomed the president's contribution to Vietnam.",
                         "welcomed")
    assert where.sentence_place(ev, at, w) is None  # "to" a place that no welcome goes to


def test_an_undatelined_releases_title_sets_its_occasion(nlp) -> None:
    # remarks whose opening sentences name no place: the title says where they were given
    text = "Thank you, Madam President. The Republic of Narnia condemns the missile launch."
    for title, expected in [
        ("Remarks by the Ambassador at a UN Security Council Briefing on Narnia", "USA"),
        ("Statement by the Minister at the Lima Conference on Trade", "PER"),
        ("Statement on the Situation in Peru", None),  # "in" names the topic
        ("Remarks at a Press Availability", None),  # no place the gazetteer knows
    ]:
        ev, at, w = _placing(nlp, text, "condemns", published="2024-11-15", title=title)
        ev["date_source"] = "published"
        assert (where.lead_place(ev, at, w) or {}).get("country") == expected, title
    ev, at, w = _placing(nlp, text, "condemns", published="2024-11-15", title="Remarks at Lima",
                         dateline_place="Tokyo")
    ev["date_source"] = "published"
    assert where.lead_place(ev, at, w) is None  # a dateline places the news (news_place)


def test_a_name_that_begins_with_a_sites_is_not_a_place(nlp) -> None:
    # a facility named after its city is in the city; a longer name that begins with a site's
    # (accords, resolutions) names a thing of the site, not where anything happened
    ev, at, w = _placing(nlp, "The minister landed at Pyongyang Airport.", "landed")
    assert where.sentence_place(ev, at, w)["country"] == "PRK"
    for text, trigger in [
            ("Egypt agreed to the terms set out in the Camp David Accords.", "agreed"),
            ("The launch breached duties set out in several UN Security Council Resolutions.",
             "breached")]:
        ev, at, w = _placing(nlp, text, trigger)
        assert (where.sentence_place(ev, at, w) or {}).get("country") is None, text


def test_a_place_inside_a_topic_is_not_where_the_act_was(nlp) -> None:
    """Guide §8: "the situation in X" says what talks were about, not where they were."""
    text = "In Beijing on Friday, the foreign ministers discussed the situation in Ukraine."
    ev, at, w = _placing(nlp, text, "discussed")
    assert where.sentence_place(ev, at, w)["country"] == "CHN"
    ev, at, w = _placing(nlp, "The two ministers discussed the crisis in Sudan.", "discussed")
    assert where.sentence_place(ev, at, w) is None


def test_a_topic_noun_that_is_the_act_keeps_its_place(nlp) -> None:
    ev, at, w = _placing(nlp, "The war in Ukraine continued.", "war")
    assert where.sentence_place(ev, at, w)["country"] == "UKR"


def test_a_topic_place_is_not_carried_to_the_next_sentences(nlp) -> None:
    text = ("Discussing the situation in Ukraine, the leaders agreed to meet again. "
            "They signed an accord.")
    dateline = {"dateline_place": "Beijing", "dateline_date": "2024-10-18"}
    ev, at, w = _placing(nlp, text, "signed", **dateline)
    ev["date_source"] = "dateline"
    assert where.news_place(ev, at, w)["name"] == "Beijing"
