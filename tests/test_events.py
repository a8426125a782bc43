"""The event coder on real sentences: the seed article, KCNA, and PLOVER GSR wire sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings import actors, events
from tidings.model import Article

SEED_START = "It has been a year since"
SEED_END = "against Covid-19."


def code(nlp, text: str, published: str | None = None, source: str | None = None) -> list[dict]:
    art = Article(id="t", text=text, published=published, source=source)
    doc = nlp(text)
    return events.extract(doc, actors.find_mentions(doc, art), art)


def triples(evs: list[dict]) -> set[tuple]:
    return {(e["event_type"], e["source"]["country"],
             e["target"]["country"] if e["target"] else None) for e in evs}


@pytest.fixture(scope="module")
def seed_events(nlp, seed_path: Path) -> tuple[str, list[dict]]:
    raw = seed_path.read_text(encoding="utf-8")
    body = raw[raw.index(SEED_START) : raw.index(SEED_END) + len(SEED_END)]
    return body, code(nlp, body, published="2020-04-23", source="Rodong Sinmun")


def _find(evs: list[dict], sentence_part: str, etype: str) -> list[dict]:
    return [e for e in evs if sentence_part in e["sentence"] and e["event_type"] == etype]


def test_seed_summit_meeting(seed_events) -> None:
    _, evs = seed_events
    met = _find(evs, "met Vladimir Vladimirovich Putin", "CONSULT")
    assert any(e["source"]["name"] == "Kim Jong Un" and e["source"]["country"] == "PRK"
               and e["target"]["name"] == "Vladimir Putin" and e["target"]["country"] == "RUS"
               for e in met)


def test_seed_visits_to_russia(seed_events) -> None:
    _, evs = seed_events
    for part in ("official goodwill visit", "His first visit to Russia"):
        hits = _find(evs, part, "CONSULT")
        assert any(e["mode"] == "visit" and e["cameo"] == "042"
                   and e["source"]["country"] == "PRK" and e["target"]["country"] == "RUS"
                   for e in hits), part


def test_seed_orchestra_visit(seed_events) -> None:
    _, evs = seed_events
    hits = _find(evs, "Orchestra of the 21st Century", "CONSULT")
    assert [(e["source"]["code"], e["target"]["country"], e["mode"]) for e in hits] == [
        ("RUSCVL", "PRK", "visit")]


def test_seed_2018_meetings(seed_events) -> None:
    _, evs = seed_events
    hits = _find(evs, "In 2018 he met with", "CONSULT")
    assert {(e["source"]["country"], e["target"]["code"]) for e in hits} == {
        ("PRK", "RUSGOV"), ("PRK", "RUSLEG")}
    assert any(e["target"]["name"] == "Sergei Lavrov" for e in hits)


def test_seed_wishes(seed_events) -> None:
    body, evs = seed_events
    hits = _find(evs, "Our people wish", "SUPPORT")
    assert [(e["source"]["code"], e["target"]["code"]) for e in hits] == [("PRKCVL", "RUSCVL")]
    e = hits[0]
    assert body[e["trigger"]["start"] : e["trigger"]["end"]] == "wish"
    assert body[e["evidence"]["start"] : e["evidence"]["end"]] == e["sentence"]


def test_event_dict_contract(seed_events) -> None:
    _, evs = seed_events
    keys = {"doc_id", "sentence_index", "sentence", "event_type", "mode", "cameo", "quad_class",
            "goldstein", "plover_score", "source", "target", "event_text", "evidence",
            "trigger", "rule", "date", "date_precision", "date_text", "location"}
    for e in evs:
        assert keys <= set(e)
        assert e["date"] is None and e["location"] is None
        assert set(e["source"]) == {"text", "name", "country", "sector", "code"}
        assert e["rule"].startswith("pattern:")
        assert 1 <= e["quad_class"] <= 4


def test_nominalization_talks_between(nlp) -> None:
    evs = code(nlp, "There were talks between Yun Jong Ho, minister of External Economic "
               "Relations of the DPRK, and Roman Chekushov, vice-minister of Industry and Trade of "
               "the Russian Federation, on a visit to the DPRK as head of a Russian expert "
               "delegation, on Tuesday.", published="2024-08-28", source="KCNA")
    assert {("CONSULT", "PRK", "RUS"), ("CONSULT", "RUS", "PRK")} <= triples(evs)


def test_light_verb_after_motion_verb(nlp) -> None:
    evs = code(nlp, "Pyongyang, July 24 (KCNA) -- At the invitation of the Foreign Ministry of "
               "the DPRK, Maxim Vladimirovich Ruzenkov, foreign minister of the Republic of "
               "Belarus, arrived here on Tuesday to pay an official visit to the DPRK.",
               published="2024-07-24", source="KCNA")
    visits = [e for e in evs if e["event_type"] == "CONSULT" and e["mode"] == "visit"]
    assert any(e["source"]["country"] == "BLR" and e["target"]["country"] == "PRK"
               for e in visits)


def test_message_of_greeting_is_support(nlp) -> None:
    evs = code(nlp, "DPRK Foreign Minister Choe Son Hui sent a message of greeting to Fayssal "
               "Mekdad, minister of Foreign Affairs and Expatriates of Syria, on July 25.",
               published="2024-07-26", source="KCNA")
    assert triples(evs) == {("SUPPORT", "PRK", "SYR")}
    assert evs[0]["cameo"] == "051"


def test_weapons_test_is_mobilize(nlp) -> None:
    evs = code(nlp, "The Missile Administration of the DPRK successfully conducted test-fires of "
               "the new-type tactical ballistic missile Hwasongpho-11-Da-4.",
               published="2024-09-19", source="KCNA")
    assert [(e["event_type"], e["mode"], e["source"]["country"]) for e in evs] == [
        ("MOBILIZE", "weapons", "PRK")]


def test_conjoined_subjects_act_on_each_other(nlp) -> None:
    evs = code(nlp, "Czechia and China signed an agreement today to increase trade in 1983 by 50 "
               "percent compared with last year, the official Czechoslovak news agency Ceteka "
               "said today.")
    # a signing is SUPPORT, CAMEO 057, as CAMEO2PLOVER-2021 and the PLOVER GSR code it
    # (docs/annotation.md)
    assert triples(evs) == {("SUPPORT", "CZE", "CHN"), ("SUPPORT", "CHN", "CZE")}
    assert {e["cameo"] for e in evs} == {"057"}


def test_negation_drops_the_event(nlp) -> None:
    evs = code(nlp, "The U.S. said it would not meet hostage-takers demands to release prisoners "
               "in Iraq, including a number of females.")
    assert not [e for e in evs if e["event_type"] in {"CONSULT", "AGREE"}]


def test_control_verb_takes_over_its_complement(nlp) -> None:
    evs = code(nlp, "Iran threatened to shell Iraqi towns today in retaliation for an air raid on "
               "the southern city of Susangerd where, it said, 100 people were killed.")
    assert triples(evs) == {("THREATEN", "IRN", "IRQ")}
    assert evs[0]["mode"] == "violence" and evs[0]["cameo"] == "138"
    evs = code(nlp, "Vice-President Moody Awori has declined to resign despite growing pressure "
               "by the Kenya Anti-Corruption Commision after he was implicated in a major scandal.")
    assert {e["event_type"] for e in evs} == {"REJECT"}


def test_future_cooperation_is_agree(nlp) -> None:
    evs = code(nlp, "German Foreign Minister Oskar Fischer will visit Albania in June, the first "
               "Warsaw Pact foreign minister to do so since Tirana split with Moscow in 1961, the "
               "Albanian embassy said.")
    assert ("AGREE", "DEU", "ALB") in triples(evs)
    assert [e["cameo"] for e in evs if e["event_type"] == "AGREE"] == ["036"]
    # the announced visit itself is kept too, marked as announced (intent.tsv "keep")
    consult = [e for e in evs if e["event_type"] == "CONSULT"]
    assert [e["rule"].endswith("+announced") for e in consult] == [True]
    # conflictual intent is a threat
    evs = code(nlp, "Radical French farmers said on Friday they would blockade Paris from Monday "
               "night to demand an end to the European Community's drastic farm reform.")
    assert {e["event_type"] for e in evs} == {"THREATEN"}


def test_reported_obligation_is_a_request(nlp) -> None:
    evs = code(nlp, "The Red Cross operating in Iraq said US and British forces must ensure "
               "security to allow emergency water, food, and medical supplies to reach the "
               "needy.")
    assert {("REQUEST", "IGO", "USA"), ("REQUEST", "IGO", "GBR")} <= triples(evs)
    assert not [e for e in evs if e["event_type"] == "CONCEDE"]  # "to allow": a purpose


def test_reported_speech_source_is_the_embedded_subject(nlp) -> None:
    evs = code(nlp, "Hungary has said it will support a U.N. Security Council resolution that "
               "aims to tighten sanctions and impose a naval blockade against neighboring Serbia.")
    assert ("AGREE", "HUN", "IGO") in triples(evs)


def test_passive_agent_is_the_source(nlp) -> None:
    evs = code(nlp, "The 15 British sailors and marines were captured by Iranian forces in the "
               "Persian Gulf on March 23.")
    assert triples(evs) == {("COERCE", "IRN", "GBR")}
    # an attack whose agent is no actor (a device) is coded to where it struck, as the PLOVER
    # GSR codes it (ASSAULT-0012: IRQ -> USA), and says so in its rule
    evs = code(nlp, "Three US servicemen were killed by an improvised explosive device "
                    "outside of the Iraqi city of Basra.")
    assert triples(evs) == {("ASSAULT", "IRQ", "USA")}
    assert evs[0]["rule"].endswith("+located")
    # ... but a passive with no agent at all names no source: no event
    assert not code(nlp, "Three US servicemen were killed outside of the Iraqi city of Basra.")


def test_domestic_target_is_marked(nlp) -> None:
    evs = code(nlp, "Turkish authorities have imposed a curfew in the town of Cizre in "
               "southeastern Turkey after a demonstration over fraud allegations.")
    assert ("COERCE", "TUR", "TUR") in triples(evs)


def test_questions_are_not_coded(nlp) -> None:
    assert not code(nlp, "Will Russia attack Ukraine?")


def test_received_greetings_run_from_sender_to_receiver(nlp) -> None:
    evs = code(nlp, "Kim Jong Un, president of the State Affairs of the Democratic People's "
               "Republic of Korea, received a message of greeting from Tharman Shanmugaratnam, "
               "president of the Republic of Singapore, on December 18, 2023.",
               published="2024-01-12", source="KCNA")
    assert triples(evs) == {("SUPPORT", "SGP", "PRK")}


def test_dateline_here_is_the_host(nlp) -> None:
    text = ("A delegation of the Supreme Prosecutor's Office of the Russian Federation headed by "
            "Director Igor Krasnov arrived here on Monday.")
    art = Article(id="t", text=text, published="2024-07-23", source="KCNA",
                  dateline_place="Pyongyang")
    doc = nlp(text)
    evs = events.extract(doc, actors.find_mentions(doc, art), art)
    assert triples(evs) == {("CONSULT", "RUS", "PRK")}
    assert evs[0]["mode"] == "visit"


def test_farewell_call_is_a_visit(nlp) -> None:
    evs = code(nlp, "The DPRK ambassador to Thailand paid a farewell call on the king of the "
               "Kingdom of Thailand on August 1.", published="2024-08-02", source="KCNA")
    assert [(e["event_type"], e["mode"], e["source"]["country"], e["target"]["country"])
            for e in evs] == [("CONSULT", "visit", "PRK", "THA")]


def test_state_outlet_condemnation(nlp) -> None:
    text = ("Grave touch-and-go military tensions are prevailing on the Korean peninsula due to "
            "the ROK's wanton violation of the sovereignty of the DPRK.")
    assert triples(code(nlp, text, published="2024-10-13", source="KCNA")) == {
        ("ACCUSE", "PRK", "KOR")}
    # the same words in a wire story are not the outlet's act
    assert not code(nlp, text, published="2024-10-13", source="Reuters")


def test_purpose_clause_is_not_an_event(nlp) -> None:
    evs = code(nlp, "Lt. Gen. Prosper Avril resigned yesterday to allow Haiti's first democratic "
               "elections to take place.")
    assert {e["event_type"] for e in evs} == {"RETREAT"}


def test_threat_is_aimed_at_the_subject_of_its_condition(nlp) -> None:
    evs = code(nlp, "Russia has threatened to stop negotiations to reduce long-range nuclear "
               "weapons if the United States goes ahead with the planned deployment of new "
               "medium-range nuclear missiles in Europe, the Washington Post reported today.")
    assert triples(evs) == {("THREATEN", "RUS", "USA")}


def test_conditional_clause_is_not_coded(nlp) -> None:
    evs = code(nlp, "NATO-member Norway is willing to send material to help defend Saudi Arabia "
               "if it is attacked, Norway's foreign minister said.")
    assert "ASSAULT" not in {e["event_type"] for e in evs}


def test_meeting_of_a_two_country_body(nlp) -> None:
    evs = code(nlp, "The 10th meeting of the DPRK-Syria Joint Economic Committee took place in "
               "Pyongyang from May 2 to 4.", published="2018-05-05", source="Rodong Sinmun")
    assert {("CONSULT", "PRK", "SYR"), ("CONSULT", "SYR", "PRK")} == triples(evs)


@pytest.mark.parametrize("text", ["", "   ", "?!", "-0-", "Pyongyang, July 24 (KCNA) --",
                                  "他 访问 了 俄罗斯。", "a" * 3000])
def test_degenerate_input_codes_nothing_and_does_not_fail(nlp, text: str) -> None:
    assert code(nlp, text) == []


def test_dear_price_is_a_threat_by_the_outlet(nlp) -> None:
    evs = code(nlp, "The ROK clans will be tired from suffering a bitter embarrassment, and must "
               "be ready for paying a very high price for their dirty play.",
               published="2024-07-14", source="KCNA")
    assert ("THREATEN", "PRK", "KOR") in triples(evs)


def test_oversaw_tagged_as_noun_still_carries_the_test_fire(nlp) -> None:
    # kcna-a72397aca571: spaCy tags "oversaw" NOUN (lemma "oversaw"); the test is the event
    evs = code(nlp, "Kim Jong Un oversaw on August 27 a test-fire of the 240mm-calibre MRLS "
               "under production at defence industrial enterprises.", published="2024-08-28",
               source="KCNA")
    assert triples(evs) == {("MOBILIZE", "PRK", None)}


def test_charm_offensive_and_talking_rubbish_are_not_events(nlp) -> None:
    # rodong_sinmun_en_0050: only the outlet's condemnation of Japan
    evs = code(nlp, "Japan's Foreign Minister Kono at a recent lecture talked rubbish that \"one "
               "should not respond in haste to the DPRK's charm offensive\".",
               published="2018-04-12", source="Rodong Sinmun")
    assert triples(evs) == {("ACCUSE", "PRK", "JPN")}


def test_predicted_passive_is_not_an_event(nlp) -> None:
    # kcna-269b3fc0e26a: what others will do to the scum is a prediction, not an act
    assert not code(nlp, "As already warned, the scum, who are resorting to do this play, will "
                    "be more strongly criticized by their people.", published="2024-07-14",
                    source="KCNA")


def test_future_until_clause_is_not_an_event(nlp) -> None:
    # rodong_sinmun_en_0025: the accord "until ... is concluded" has not been concluded
    evs = code(nlp, "The speakers said that they would continue the struggle together with all "
               "the anti-U.S. forces until a DPRK-U.S. peace accord is concluded.",
               published="2018-02-27", source="Rodong Sinmun")
    assert "AGREE" not in {e["event_type"] for e in evs}


def test_outlet_condemns_the_subjects_of_a_planned_drill(nlp) -> None:
    # kcna-312c3ca1560c: "going to stage" passes the subject down to "stage"
    evs = code(nlp, "The Institute for American Studies of the Foreign Ministry of the DPRK "
               "released a press statement on August 18 that the U.S. and the ROK are going to "
               "stage Ulji Freedom Shield, large-scale provocative joint military exercises.",
               published="2024-08-18", source="KCNA")
    assert {("ACCUSE", "PRK", "USA"), ("ACCUSE", "PRK", "KOR")} <= triples(evs)


def test_signed_with_no_agent_binds_the_two_named_states(nlp) -> None:
    # rodong_sinmun_en_0063
    evs = code(nlp, "A protocol of the 10th meeting of the DPRK-Syria Joint Economic Committee "
               "was signed there.", published="2018-05-07", source="Rodong Sinmun")
    assert {("SUPPORT", "PRK", "SYR"), ("SUPPORT", "SYR", "PRK")} <= triples(evs)


def test_fighting_without_an_opponent_is_not_an_assault(nlp) -> None:
    # kcna-3a320e99cb35: historical, and no one is fought
    evs = code(nlp, "The message said that the two countries pay tribute to the soldiers of the "
               "Red Army and the Korean patriots who fought shoulder to shoulder for Korea's "
               "liberation.", published="2024-08-15", source="KCNA")
    assert "ASSAULT" not in {e["event_type"] for e in evs}


def test_extraposed_content_of_a_demand(nlp) -> None:
    # PLOVER-GSR01-DEMAND-0026: Israel is asked; the easing is the demand's content
    evs = code(nlp, "The International Labor Office (ILO) reiterated its demand today that "
               "Israel ease restrictions on the movement of Palestinian workers.")
    assert triples(evs) == {("REQUEST", "IGO", "ISR")}


def test_announced_release_keeps_its_domestic_target(nlp) -> None:
    # PLOVER-GSR01-AGREE-0025: the intent form of an internal act is internal too
    evs = code(nlp, "The Fijian rebels said they will release Prime Minister Mahendra Chaudhry "
               "and more than 30 members of his government, whom they had taken hostage two "
               "weeks ago, on the weekend.")
    assert ("AGREE", "FJI", "FJI") in triples(evs)


def test_operation_order_to_units_is_mobilize(nlp) -> None:
    # kcna-9965960a2452
    evs = code(nlp, "The General Staff of the KPA issued a preliminary operation order on "
               "October 12 to the combined artillery units along the border.",
               published="2024-10-13", source="KCNA")
    assert ("MOBILIZE", "PRK", None) in triples(evs)


def test_pejorative_label_of_a_foreign_actor_is_the_outlet_accusing(nlp) -> None:
    # kcna-9f39a2681e9a
    evs = code(nlp, "Disgusting defectors from the DPRK to the ROK, human scum, did not hide via "
               "report the fact that they sent leaflets over the border to our country.",
               published="2024-06-21", source="KCNA")
    assert ("ACCUSE", "PRK", "KOR") in triples(evs)


def test_announced_act_with_unless_is_a_threat(nlp) -> None:
    # PLOVER-GSR01-THREATEN-0003
    evs = code(nlp, "Nigeria today announced that it will withdraw their peacekeeping force from "
               "Chad unless President Goukouni Oueddei arranged a ceasefire with rebels fighting "
               "to topple his government and held elections within four months.")
    assert triples(evs) == {("THREATEN", "NGA", "TCD")}
    assert evs[0]["rule"].endswith("+unless")


def test_on_the_side_of_is_support(nlp) -> None:
    # kcna-059076bd91b2: the outlet's "we"
    evs = code(nlp, "We will always be on the side of the Russian army and people.",
               published="2024-06-27", source="KCNA")
    assert triples(evs) == {("SUPPORT", "PRK", "RUS")}


# --- CAMEO knowledge on real wire sentences (ConfliBERT CAMEO-class set, shared/gold) -------


def _codes(evs: list[dict]) -> set[tuple[str, str]]:
    return {(e["event_type"], e["cameo"]) for e in evs}


def test_announced_refusal_of_a_cooperative_act_is_reject(nlp) -> None:
    evs = code(nlp, "Israel has said it will not lift the embargo until U.N. peacekeepers and "
               "the Lebanese army take positions along the Syrian border.")
    assert ("REJECT", "124") in _codes(evs)
    assert all(e["event_type"] != "RETREAT" for e in evs)
    assert all(e["rule"].endswith("+refuse") or "+refuse+" in e["rule"]
               for e in evs if e["event_type"] == "REJECT")
    # refusing a hostile act is a promise, not an event of its own
    assert code(nlp, "Russia will not attack Ukraine.") == []


def test_failed_agreement_is_reject(nlp) -> None:
    evs = code(nlp, "The United States and South Korea failed to reach agreement on an "
               "elusive free-trade deal.")
    assert {("REJECT", "USA", "KOR"), ("REJECT", "KOR", "USA")} <= triples(evs)
    assert all(e["event_type"] != "AGREE" for e in evs)


@pytest.mark.parametrize("text", [
    "The Government of Eritrea declined to comment on the dispute.",
    "The Chinese government has denied charges by the U.S. Chamber of Commerce that its "
    "technology transfer rules for foreign firms constitute theft.",
    "Iran's foreign ministry on Monday strongly rejected accusations by Netanyahu that Tehran "
    "was behind the attack on the Israeli-owned ship.",
    "Japan is considering sending aid to North Korea following devastating floods this month.",
])
def test_public_statements_are_not_plover_events(nlp, text: str) -> None:
    # CAMEO 011 decline comment, 016 deny responsibility, 014 consider policy option
    assert [e for e in code(nlp, text) if e["event_type"] in {"REJECT", "AGREE", "AID"}] == []


def test_condolence_is_support_with_cameo_018(nlp) -> None:
    evs = code(nlp, "The Brazilian government Thursday evening expressed condolences to "
               "Bangladesh over a fire in its capital city Dhaka that killed more than a dozen.")
    assert ("SUPPORT", "BRA", "BGD") in triples(evs)
    assert {e["cameo"] for e in evs if e["event_type"] == "SUPPORT"} == {"018"}


@pytest.mark.parametrize(("text", "etype", "cameo"), [
    ("Turkey extradited a US citizen suspected of being an Islamic State militant.",
     "COOPERATE", "063"),
    ("Azerbaijani forces violated the ceasefire about 80 times this morning.", "ASSAULT", "196"),
    ("Israeli troops remained on alert amid heightened tensions in the north.",
     "MOBILIZE", "152"),
    ("U.S. reduced tariffs on $120 billion of China's exports from 15 percent to 7.5 percent.",
     "RETREAT", "085"),
    ("The Guatemalan government declared a state of siege Sunday in a province it said has "
     "become overrun by a Mexican drug-trafficking group.", "COERCE", "1724"),
    ("Syrian officers today ended mediation efforts between rival militias in Tripoli as "
     "shells continued crashing into the north Lebanese port.", "SANCTION", "165"),
])
def test_cameo_dictionary_rows(nlp, text: str, etype: str, cameo: str) -> None:
    assert (etype, cameo) in _codes(code(nlp, text))


def test_attack_with_no_named_target_is_aimed_at_the_place_it_struck() -> None:
    # PLOVER GSR ASSAULT-0002: "Afghan rebels ... exploded a series of bombs in the capital
    # Kabul" is coded AFG→AFG
    from tidings import pipeline

    text = ("Afghan rebels have kidnapped up to 16 Russian civilian advisers from a town bazaar "
            "and exploded a series of bombs in the capital Kabul, western diplomatic sources in "
            "neighboring Pakistan said today.")
    evs = pipeline.code_text(text, settings={"decider": "rules"}).events
    bombs = [e for e in evs if e["event_text"].startswith("exploded")]
    assert bombs and bombs[0]["target"]["country"] == "AFG"
    assert bombs[0]["rule"].endswith("+place")


@pytest.mark.parametrize(("text", "triple"), [
    # a stative passive: the subject holds the stance (PLOVER GSR REJECT-0028)
    ("Israel is opposed to French mediation in peace negotiations with Syria, a close aide to "
     "Prime Minister Ehud Barak said Wednesday.", ("REJECT", "ISR", "FRA")),
    # defending another state's right (SUPPORT-0004)
    ("The United States on Thursday defended the right of Russia troops to fire protectively "
     "on militants in Azerbaijan.", ("SUPPORT", "USA", "RUS")),
    # pressing someone to act is a demand (DEMAND-0027)
    ("Iranian authorities have been pressuring workers of the United Bus Company of Tehran to "
     "cancel the strike they have been planning for better pay and working conditions.",
     ("REQUEST", "IRN", "IRN")),
])
def test_gsr_stance_and_pressure(nlp, text: str, triple: tuple) -> None:
    assert triple in triples(code(nlp, text))


def test_attack_by_an_unnamed_hand_near_a_town_is_coded_to_the_towns_country(nlp) -> None:
    # PLOVER GSR ASSAULT-0011: the small model tags Samarra NORP; the gazetteer places it
    evs = code(nlp, "A roadside bombing near the town of Samarra on Sunday killed one U.S. "
                    "soldier and wounded two others, the military said.")
    assert ("ASSAULT", "IRQ", "USA") in triples(evs)


@pytest.mark.parametrize(("text", "kept", "dropped"), [
    # PLOVER GSR SANCTION-0001: the downing is the suspension's occasion
    ("Italy announced a suspension of air links with Serbia on Wednesday, one day after a "
     "Serbian army jet shot down a helicopter carrying EC truce monitors.",
     ("SANCTION", "ITA", "SRB"), "ASSAULT"),
    # AGREE-0005: "suspected ... of blowing up" describes the nationals
    ("Libya has offered to hand over to Great Britain two of its nationals suspected by the "
     "West of blowing up a Pan Am plane in 1988, a state-owned Egyptian newspaper said.",
     ("AGREE", "LBY", "GBR"), "ASSAULT"),
])
def test_background_clause_is_not_coded_beside_the_reported_act(nlp, text, kept, dropped) -> None:
    evs = code(nlp, text)
    assert kept in triples(evs)
    assert all(e["event_type"] != dropped for e in evs)


def test_background_act_told_on_its_own_is_still_coded(nlp) -> None:
    evs = code(nlp, "A Serbian army jet shot down a helicopter carrying EC truce monitors.")
    assert any(e["event_type"] == "ASSAULT" for e in evs)


def test_an_offer_or_a_conditional_meeting_is_intent_only(nlp) -> None:
    # PLOVER GSR AGREE-0036 / -0038: the intent (AGREE 036) without the act itself
    for text in ["On September 29, Putin offered to negotiate with the president of Armenia "
                 "following the invasions of Dagestan.",
                 "Afghan rebel leaders said on Wednesday they would meet U.N. mediator Diego "
                 "Cordovez if he gave them a veto over any settlement reached in peace talks."]:
        types = {e["event_type"] for e in code(nlp, text, published="1999-12-29")}
        assert "AGREE" in types and "CONSULT" not in types, text


def test_what_protesters_call_for_is_their_protest(nlp) -> None:
    evs = code(nlp, "Thousands of Iraqi Kurds demonstrated in the northern city of Kirkuk on "
                    "Sunday calling for independence from Iraq, witnesses said.")
    assert {e["event_type"] for e in evs} == {"PROTEST"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The foreign minister of Laos spoke with the foreign minister of Cuba on Monday.",
     ("CONSULT", "LAO", "CUB")),
    ("The president of Peru held a video call with the president of Chile.",
     ("CONSULT", "PER", "CHL")),
    ("The Laotian president reaffirmed his support for Cuba's sovereignty.",
     ("SUPPORT", "LAO", "CUB")),
    ("Canada reiterated its solidarity with Mongolia.", ("SUPPORT", "CAN", "MNG")),
    ("Peru underscored its commitment to the defense of Chile.", ("SUPPORT", "PER", "CHL")),
    ("Norway stands with Ukraine.", ("SUPPORT", "NOR", "UKR")),
    ("The foreign minister of Canada expressed concern over Iran's missile program.",
     ("ACCUSE", "CAN", "IRN")),
])
def test_readouts_and_statements_of_stance(nlp, text: str, expected: tuple) -> None:
    # docs/annotation.md §10b: a readout's call, stated support or concern is the event
    assert expected in triples(code(nlp, text, published="2024-01-15"))


def test_the_object_of_an_anti_attitude_is_not_its_holder(nlp) -> None:
    # issue #11: "anti-X policy of the West" made X the target of the outlet's condemnation
    evs = code(nlp, "Pyongyang, May 2 (KCNA) -- The U.S. pursues a vicious anti-Russia policy.",
               published="2024-05-02", source="KCNA")
    got = triples(evs)
    assert ("ACCUSE", "PRK", "USA") in got and ("ACCUSE", "PRK", "RUS") not in got


@pytest.mark.parametrize("text", [
    "Japan staged joint naval drills with Canada in the Pacific.",
    "Japan conducted a combined air exercise together with Canada on Monday.",
])
def test_a_partner_in_a_joint_act_acts_itself(nlp, text: str) -> None:
    # issue #11: "X staged drills with Y" was coded X against Y
    got = triples(code(nlp, text, published="2024-05-02"))
    assert ("MOBILIZE", "JPN", None) in got and ("MOBILIZE", "CAN", None) in got
    assert ("MOBILIZE", "JPN", "CAN") not in got


def test_a_counterpart_of_a_nationality_is_that_countrys_official(nlp) -> None:
    # "counterpart" names an official like "minister": the target is Kenya's government, not
    # the bare adjective (and "his" is no second, Chilean, party)
    evs = code(nlp, "The Chilean foreign minister met his Kenyan counterpart in Nairobi.")
    met = [e for e in evs if e["event_type"] == "CONSULT"]
    assert [(e["source"]["country"], e["target"]["country"], e["target"]["sector"])
            for e in met] == [("CHL", "KEN", "GOV")]


def test_an_act_named_through_its_doer_by_a_participle(nlp) -> None:
    # "the drills staged by X" names X as the doer, as "X's drills" does: the target of the
    # condemnation is X
    got = triples(code(nlp, "Peru condemned the naval exercises conducted by Chile and Bolivia."))
    assert ("ACCUSE", "PER", "CHL") in got
    assert ("ACCUSE", "PER", "BOL") in got


def test_an_adverbial_denunciation_is_the_clauses_accusation(nlp) -> None:
    got = triples(code(nlp, "The Foreign Ministry of Peru issued a memorandum in denunciation "
                            "of the Chilean blockade."))
    assert ("ACCUSE", "PER", "CHL") in got


def test_a_title_of_several_countries_is_each_countrys(nlp) -> None:
    # "the ministers of A, B and C": the listed countries after the mention each hold the title
    got = triples(code(nlp, "The Chilean foreign minister met the foreign ministers of Kenya, "
                            "Ghana and Peru in Lima."))
    assert {("CONSULT", "CHL", "KEN"), ("CONSULT", "CHL", "GHA"),
            ("CONSULT", "CHL", "PER")} <= got


def test_a_state_outlet_condemns_an_international_body_too(nlp) -> None:
    # docs/annotation.md §6/§10a: "the West", NATO, the EU are IGO, and a state outlet's
    # condemnation of them is an ACCUSE like any other
    got = triples(code(nlp, "NATO's reckless provocation is a heinous crime.",
                       published="2024-05-01", source="KCNA"))
    assert ("ACCUSE", "PRK", "IGO") in got


def test_the_of_phrase_of_a_condemnation_names_its_targets_not_its_parties(nlp) -> None:
    # "denunciation of the blockade of A and B": A and B are condemned, not condemning each
    # other (the "of" parties of "a meeting of the A-B committee" are its sides)
    got = triples(code(nlp, "The Foreign Ministry of Peru issued a memorandum in denunciation "
                            "of the naval blockade of Chile and Bolivia."))
    assert ("ACCUSE", "PER", "CHL") in got
    assert not {t for t in got if t[0] == "ACCUSE" and t[1] in {"CHL", "BOL"}}


def _proposed(nlp, text: str, source: str = "KCNA") -> set[tuple]:
    from tidings import pipeline

    art = Article(id="t", text=text, published="2024-08-12", source=source)
    return {(e["event_type"], e["source"]["country"], (e["target"] or {}).get("country"),
             e["rule"]) for e in pipeline.propose(nlp(text), art)}


def _listed_doers(nlp, text: str) -> set[tuple]:
    """(type, source) of the candidates whose doers a list after the act named."""
    return {t[:2] for t in _proposed(nlp, text, "Prensa Latina") if t[3].endswith("+listed")}


def test_the_members_of_a_group_subject_listed_after_the_act_are_its_doers(nlp) -> None:
    # "They laid baskets ... They included A, B": each listed actor laid them, whatever the
    # pronoun was guessed to be
    text = ("Foreign personages visited the Cuban missions in their countries. They laid "
            "floral baskets before the statue of Jose Marti. They included the chairman of a "
            "party of Nepal and the president of a society of Mongolia.")
    assert {("SUPPORT", "NPL"), ("SUPPORT", "MNG")} <= _listed_doers(nlp, text)
    # no list after the act: no listed doer
    text = ("Foreign personages visited the Cuban missions in their countries. They laid "
            "floral baskets before the statue of Jose Marti. The ceremony ended at noon.")
    assert not _listed_doers(nlp, text)


def test_a_light_verbs_group_subject_listed_after_the_act(nlp) -> None:
    # "paid visits": the noun's act has no named doer in its own sentence, and the list after
    # it names them (without the list, no doer and no candidate)
    text = ("Foreign personages paid congratulatory visits to the Cuban missions in their "
            "countries. Among them were the chairman of a party of Nepal and the president "
            "of a society of Mongolia.")
    assert {("CONSULT", "NPL"), ("CONSULT", "MNG")} <= _listed_doers(nlp, text)
    text = ("Foreign personages paid congratulatory visits to the Cuban missions in their "
            "countries. The ceremony ended at noon.")
    assert not [t for t in _proposed(nlp, text, "Prensa Latina") if t[0] == "CONSULT"]


def test_a_list_of_doers_read_as_appositions_acts_as_a_list(nlp) -> None:
    # "A, the chairman of B and the head of C": the parser hangs the second on the first as
    # an apposition; the conjunct closing the chain makes it a list of three doers
    got = triples(code(nlp, "The Kenya Peace Forum, the chairman of the Green Party of Malta "
                            "and the head of the People's Party of Panama sent congratulatory "
                            "messages to Kim Jong Un.", published="2024-05-01"))
    assert {("SUPPORT", "KEN", "PRK"), ("SUPPORT", "MLT", "PRK"),
            ("SUPPORT", "PAN", "PRK")} <= got
    # a true apposition adds no doer
    got = triples(code(nlp, "Sergey Lavrov, the foreign minister of Russia, criticized Japan.",
                       published="2024-05-01"))
    assert {t[1] for t in got} == {"RUS"}


def test_a_gatherings_purpose_is_done_by_those_gathered_in_each_country(nlp) -> None:
    # docs/annotation.md §3 (an anti-U.S. rally in the ROK is the ROK's) and §10a (senders
    # known only by country): "rallies were held in A and B to denounce X" is A's and B's
    got = triples(code(nlp, "Rallies were held in Ghana and Peru to denounce the U.S. "
                            "blockade of Cuba.", published="2024-05-01"))
    assert {("ACCUSE", "GHA", "USA"), ("ACCUSE", "PER", "USA")} <= got
    # the purpose of anything else is still only a purpose, and its place names no doer
    assert not code(nlp, "Funds were raised in Ghana to denounce the U.S. blockade of Cuba.",
                    published="2024-05-01")


def test_the_members_of_a_group_object_listed_after_the_act_are_its_targets(nlp) -> None:
    text = ("The Prime Minister of Peru is speaking to a number of her fellow world leaders. "
            "Those who she has spoken to so far are King Abdullah of Jordan; President Erdogan "
            "of Turkey; Chancellor Merkel of Germany.")
    got = {t[:3] for t in _proposed(nlp, text, "VOA") if t[0] == "CONSULT"}
    assert {("CONSULT", "PER", "JOR"), ("CONSULT", "PER", "TUR"),
            ("CONSULT", "PER", "DEU")} <= got
    # a named object keeps its own target
    text = ("The Prime Minister of Peru is speaking to the King of Jordan. Those who she has "
            "spoken to so far are President Erdogan of Turkey.")
    got = {t[:3] for t in _proposed(nlp, text, "VOA") if t[0] == "CONSULT"}
    assert ("CONSULT", "PER", "JOR") in got and ("CONSULT", "PER", "TUR") not in got


def test_every_state_of_a_hyphenated_list_takes_part(nlp) -> None:
    """"the Japan-China-ROK summit": the parser hangs "China" on "ROK", not on "summit";
    the hyphens in the text join all three, whatever the nesting."""
    evs = code(nlp, "The Japan-China-ROK summit was held in Seoul on May 27.",
               published="2024-05-28", source="Ministry of Foreign Affairs of Japan")
    pairs = {(s, t) for e, s, t in triples(evs) if e == "CONSULT"}
    assert {("JPN", "CHN"), ("CHN", "KOR"), ("JPN", "KOR")} <= pairs | {(t, s) for s, t in pairs}
    evs = code(nlp, "The U.S.-Britain-Australia defense talks were held in Canberra on April 8.",
               published="2024-04-10", source="Prime Minister of Australia")
    parties = {c for e, s, t in triples(evs) if e == "CONSULT" for c in (s, t)}
    assert {"USA", "GBR", "AUS"} <= parties


def test_a_gerund_is_its_verbs_act(nlp) -> None:
    """"X's sanctioning of Y" is X sanctioning Y: an -ing noun that no noun row knows borrows
    its verb's pattern, its possessor or modifier the agent and its "of" phrase the patient."""
    from tidings.events.triggers import _gerund_verbs

    assert _gerund_verbs("sanctioning") == ["sanction", "sanctione"]
    assert "impose" in _gerund_verbs("imposing") and "stop" in _gerund_verbs("stopping")
    assert _gerund_verbs("king") == [] and _gerund_verbs("sanction") == []
    got = _proposed(nlp, "The talks followed the U.S. sanctioning of two Chinese officials.",
                    "VOA")
    assert ("SANCTION", "USA", "CHN", "pattern:sanction/gerund") in got
    got = _proposed(nlp, "Canada condemned Australia's sanctioning of Iranian officials.",
                    "Global Affairs Canada")
    assert ("SANCTION", "AUS", "IRN", "pattern:sanction/gerund") in got
    # a noun with its own rows keeps them: "meeting" is not read as "meet"'s gerund
    got = _proposed(nlp, "The meeting of Russia and China was held in Beijing.", "VOA")
    assert got and not any(rule.endswith("/gerund") for *_, rule in got)


def test_a_tribute_is_sent_in_the_name_of_its_bearer_to_the_leaders_of_the_statues(nlp) -> None:
    """Tributes (guide §10a): "in the name(s) of X" names the sender as a possessor would,
    and the statues, portraits or tomb the flowers are laid "at" or "before" name the
    recipient; a passive's "by" the parser hangs on the place noun is still its agent."""
    got = _proposed(nlp, "A wreath in the name of the Vietnamese president was placed at the "
                    "statue of Kim Il Sung on Tuesday.")
    assert ("SUPPORT", "VNM", "PRK", "pattern:wreath/noun") in got
    got = _proposed(nlp, "The Lao ambassador laid a bouquet before the portrait of Kim Jong Il.")
    assert ("SUPPORT", "LAO", "PRK", "pattern:bouquet/noun") in got
    got = _proposed(nlp, "Floral baskets were laid at the statues of Kim Il Sung by the "
                    "Embassy of Mongolia.")
    assert ("SUPPORT", "MNG", "PRK", "pattern:basket/noun[mod]") in got
    # "in the name of" with no actor names no sender
    got = _proposed(nlp, "A bouquet in the name of peace was laid at the statue of Kim Il Sung.")
    assert not any(rule.startswith("pattern:bouquet") for *_, rule in got)


def test_a_misplaced_by_phrase_of_a_passive_is_its_agent(nlp) -> None:
    from tidings.events.arguments import agent

    doc = nlp("Flowers were laid at the monument by the delegation of Laos.")
    laid = next(t for t in doc if t.lower_ == "laid")
    by = agent(laid)
    assert by is not None and by.lower_ == "delegation"
    # an active verb's place noun keeps its own "by" (none is asked of it), and a passive
    # with no "by" anywhere has no agent
    doc = nlp("Flowers were laid at the monument on Friday.")
    assert agent(next(t for t in doc if t.lower_ == "laid")) is None


def test_unnamed_international_organizations_are_igo(nlp) -> None:
    """Guide §10c: every member of "international organizations" maps to IGO."""
    got = _proposed(nlp, "Missions of international organizations here laid floral baskets "
                    "at the statue of Kim Jong Il.")
    assert ("SUPPORT", "IGO", "PRK", "pattern:basket/noun[mod]") in got


def test_a_verb_tagged_as_a_plural_noun_still_acts(nlp) -> None:
    """"The ministry strongly condemns and rejects X": the tagger may read the first verb as
    a plural noun (NNS) that the parser still gives the subject; it is coded as the verb."""
    from tidings.events.triggers import _verb_read_as_noun

    doc = nlp("The DPRK Foreign Ministry strongly denounces and rejects the sanctions of Japan.")
    word = next(t for t in doc if t.lower_ == "denounces")
    if word.pos_ != "VERB":  # the mis-tag this handles (the small model makes it)
        assert _verb_read_as_noun(word)
    got = _proposed(nlp, doc.text)
    assert ("ACCUSE", "PRK", "JPN", "pattern:denounce/verb") in got
    assert ("REJECT", "PRK", "JPN", "pattern:reject/verb") in got
    # a plural noun that heads no subject is a noun
    doc = nlp("The statements of both sides were ignored by the rejects of the party.")
    assert not any(_verb_read_as_noun(t) for t in doc if t.tag_ == "NNS")


def test_paying_dearly_is_the_threat_of_a_dear_price(nlp) -> None:
    """"X will pay dearly" is "X will pay a dear price" (guide §3, THREATEN from the speaker,
    else the outlet's state, to whoever pays); under a passive of compulsion ("will be made
    to pay", "will be forced to pay") the passive's subject pays."""
    got = _proposed(nlp, "Japan will pay dearly for its crimes against the Korean nation.")
    assert ("THREATEN", "PRK", "JPN", "pattern:pay/verb[advmod]") in got
    got = _proposed(nlp, "The ROK puppets will be forced to pay dearly.")
    assert ("THREATEN", "PRK", "KOR", "pattern:pay/verb[advmod]") in got
    got = _proposed(nlp, "The United States will be made to pay a dear price.")
    assert ("THREATEN", "PRK", "USA", "pattern:price/noun[light]") in got
    # paying a visit, or paying cheaply, threatens nobody
    got = _proposed(nlp, "Japan paid a visit to China.", "VOA")
    assert not any(t[0] == "THREATEN" for t in got)


def test_a_delegations_departure_belongs_to_its_visit(nlp) -> None:
    """Guide §3: arrivals, departures and tours belong to the one visit. "left here for
    home" ends a visit to the host, "left here for X" starts one to X (the parser hangs
    "for X" on "here": a place adverb's prepositions are the verb's)."""
    got = _proposed(nlp, "Pyongyang, May 2 (KCNA) -- A Cuban party delegation left here for "
                    "home on Monday.")
    assert ("CONSULT", "CUB", "PRK", "pattern:leave/verb[for,!subj]") in got
    got = _proposed(nlp, "Pyongyang, May 2 (KCNA) -- The DPRK trade minister and his party "
                    "left here for Belarus.")
    assert ("CONSULT", "PRK", "BLR", "pattern:leave/verb[for,!subj]") in got
    got = _proposed(nlp, "A Syrian delegation departed from Pyongyang for home.",
                    "Rodong Sinmun")
    assert ("CONSULT", "SYR", "PRK", "pattern:depart/verb[for,!subj]") in got
    # troops leaving, or leaving for no actor, visit nobody
    got = _proposed(nlp, "Russian troops left Syria for home.", "VOA")
    assert not any(t[0] == "CONSULT" for t in got)
    got = _proposed(nlp, "The Cuban delegation left for the airport.", "VOA")
    assert not any(t[0] == "CONSULT" for t in got)


def test_state_medias_words_for_a_meeting_and_presenting_credentials(nlp) -> None:
    """"held a confab", "were closeted" (a stative passive: those closeted met), and an
    ambassador presenting credentials, whom the head of state receives (guide §3)."""
    got = _proposed(nlp, "The defence chiefs of Japan and Australia held a confab in Tokyo.")
    assert ("CONSULT", "JPN", "AUS", "pattern:confab/noun") in got
    got = _proposed(nlp, "Britain and France were closeted over the sanctions.")
    assert {("CONSULT", "GBR", "FRA", "pattern:closet/verb"),
            ("CONSULT", "FRA", "GBR", "pattern:closet/verb")} <= got
    got = _proposed(nlp, "The DPRK ambassador presented his credentials to the president of "
                    "Laos.")
    assert ("CONSULT", "PRK", "LAO", "pattern:credentials/noun[light]") in got


def test_receiving_credentials_hosts_the_ambassadors_call(nlp) -> None:
    """The same call told from the host's side: "received credentials from" an ambassador
    (guide §3; a visit is symmetric, §4). The giver acts, as in "received a message from"."""
    got = _proposed(nlp, "The president of Laos received the credentials from the Cuban "
                    "ambassador on Monday.")
    assert ("CONSULT", "CUB", "LAO", "pattern:credentials/noun[light]") in got
    got = _proposed(nlp, "The president of Laos received a letter from the Cuban ambassador.")
    assert not any(t[3] == "pattern:credentials/noun[light]" for t in got)


def test_travelling_to_a_state_is_a_visit(nlp) -> None:
    got = _proposed(nlp, "The foreign minister of Chile traveled to Peru on Monday.", "VOA")
    assert ("CONSULT", "CHL", "PER", "pattern:travel/verb[to,!subj]") in got
    got = _proposed(nlp, "The Irish prime minister flew to Canada for talks.", "VOA")
    assert ("CONSULT", "IRL", "CAN", "pattern:fly/verb[to,!subj]") in got
    # aircraft and troops flying somewhere visit nobody
    got = _proposed(nlp, "U.S. bombers flew to Guam.", "VOA")
    assert not any(t[0] == "CONSULT" for t in got)


def test_sanctions_levied_slapped_and_restrictive_measures(nlp) -> None:
    """"levied/slapped sanctions on X" (light verbs like "imposed"), and the EU's legal
    name for its sanctions, "restrictive measures"."""
    got = _proposed(nlp, "Canada levied sanctions against three Iranian officials.", "VOA")
    assert ("SANCTION", "CAN", "IRN", "pattern:sanction/noun") in got
    got = _proposed(nlp, "Britain slapped sanctions on Belarus.", "VOA")
    assert ("SANCTION", "GBR", "BLR", "pattern:sanction/noun") in got
    got = _proposed(nlp, "The EU imposed restrictive measures against Syria.", "VOA")
    assert ("SANCTION", "IGO", "SYR", "pattern:measure/noun[mod]") in got
    # other measures are no sanction
    got = _proposed(nlp, "The EU imposed economic measures to help Syria.", "VOA")
    assert not any(t[0] == "SANCTION" for t in got)


def test_taking_part_in_a_meeting_is_attending_it(nlp) -> None:
    # guide §10c: a stated attendance at a meeting abroad is CONSULT with the host, whether
    # the text says "attended", "took part in" or "participated in"
    for text, rule in (("The Mongolian delegation took part in the talks with Laos.",
                        "pattern:take/verb[dobj,in]"),
                       ("The Mongolian delegation participated in the regional forum held "
                        "in Laos.", "pattern:participate/verb[in]")):
        assert ("CONSULT", "MNG", "LAO", rule) in _proposed(nlp, text, "Reuters"), text
    # taking part in something that is no meeting is no consultation
    got = _proposed(nlp, "Mongolian athletes took part in the marathon in Laos.", "Reuters")
    assert not {t for t in got if t[3].startswith(("pattern:take", "pattern:participate"))}


def test_a_foreign_ministrys_diplomatic_formulas(nlp) -> None:
    # guide §3: a protest lodged verbally and criticism are ACCUSE; announced countermeasures
    # are a threat, countermeasures taken a sanction
    src = "Ministry of Foreign Affairs of the People's Republic of China"
    rows = {
        "Beijing has lodged stern representations with the Canadian side.":
            ("ACCUSE", "CHN", "CAN", "pattern:representation/noun[light]"),
        "Beijing expressed strong dissatisfaction with Canada.":
            ("ACCUSE", "CHN", "CAN", "pattern:dissatisfaction/noun"),
        "Beijing will take resolute countermeasures against Canada.":
            ("THREATEN", "CHN", "CAN", "pattern:countermeasure/noun[light]"),
        "Moscow took countermeasures against Canada on Monday.":
            ("SANCTION", "RUS", "CAN", "pattern:countermeasure/noun[light]"),
    }
    for text, want in rows.items():
        assert want in _proposed(nlp, text, src), text


def test_slandering_is_the_slanderers_accusation(nlp) -> None:
    # guide §3 ACCUSE: what an outlet calls slander is the other side's criticism
    rows = {
        "The Japanese defence minister vilified the DPRK in a speech.": ("JPN", "PRK"),
        "NATO maligned the friendly relations of Russia on Monday.": ("IGO", "RUS"),
        "The British foreign secretary slandered Iran at the conference.": ("GBR", "IRN"),
    }
    for text, (src, tgt) in rows.items():
        got = {t[:3] for t in _proposed(nlp, text)}
        assert ("ACCUSE", src, tgt) in got, text
    got = _proposed(nlp, "The U.S. slander against Cuba is groundless.", "Prensa Latina")
    assert ("ACCUSE", "USA", "CUB", "pattern:slander/noun") in got


def test_weapons_testing_and_troop_deployment_are_mobilizations(nlp) -> None:
    # guide §3 MOBILIZE: weapons tests and deployments, whether a verb or a noun tells them
    src = "Global Affairs Canada"
    got = _proposed(nlp, "The minister voiced concern over Iran's recent rocket testing.", src)
    assert ("MOBILIZE", "IRN", None, "pattern:testing/noun[mod]") in got
    got = _proposed(nlp, "Ottawa condemned Belarus's troop deployment near the border.", src)
    assert ("MOBILIZE", "BLR", None, "pattern:deployment/noun[mod]") in got
    # a deployment of something else is not a mobilization
    got = _proposed(nlp, "Ottawa praised Norway's deployment of new software.", src)
    assert not {t for t in got if t[0] == "MOBILIZE"}


def test_a_plural_event_noun_read_as_a_verb_is_still_an_event(nlp) -> None:
    # "launches" tagged VBZ but parsed as the object, its possessor hung on its compound
    text = "Australia criticised North Korea's ballistic missile launches again."
    doc = nlp(text)
    launches = next(t for t in doc if t.lower_ == "launches")
    assert launches.tag_ == "VBZ" and launches.dep_ == "dobj"  # the misreading this is about
    got = _proposed(nlp, text, "Department of Foreign Affairs and Trade")
    assert ("MOBILIZE", "PRK", None, "pattern:launch/noun[mod]") in got
    # a real present-tense verb stays a verb
    got = _proposed(nlp, "North Korea launches a ballistic missile.", "Reuters")
    assert ("MOBILIZE", "PRK", None, "pattern:launch/verb[dobj]") in got


def test_calling_someone_something_is_no_phone_call(nlp) -> None:
    # "called X a Y" names X (an object predicate); "called X" alone telephoned X
    src = "Department of Foreign Affairs and Trade"
    called = "Kenyan President William Ruto called Ugandan President Yoweri Museveni"
    got = {t[:3] for t in _proposed(nlp, called + " on Monday.", src)}
    assert ("CONSULT", "KEN", "UGA") in got
    for text in (called + " a reliable friend on Monday.", called + " a threat to the region."):
        got = {t[:3] for t in _proposed(nlp, text, src)}
        assert ("CONSULT", "KEN", "UGA") not in got, text


def test_fabricating_claims_about_a_state_accuses_it(nlp) -> None:
    # guide §3 ACCUSE: what an outlet calls a fabrication is the other side's claim about
    # the state it names
    rows = {
        "The Japanese media fabricated false stories about Russia last week.": ("JPN", "RUS"),
        "Canadian officials have cooked up a tale about the DPRK.": ("CAN", "PRK"),
        "The British report distorted the situation in Iran.": ("GBR", "IRN"),
        "The U.S. senator concocted a rumour against Cuba.": ("USA", "CUB"),
    }
    for text, (src, tgt) in rows.items():
        got = {t[:3] for t in _proposed(nlp, text, "KCNA")}
        assert ("ACCUSE", src, tgt) in got, text
    # a fabrication about no state accuses no one (proposed without a target, it is dropped)
    got = _proposed(nlp, "The Japanese army cooked up an incident to start the war.", "KCNA")
    assert not [t for t in got if t[3].startswith("pattern:cook") and t[2] is not None]
    # nor is an agreement or bloc the outlet calls "cooked up" a claim about anyone
    got = _proposed(nlp, "Washington cooked up new nuclear guidelines with Seoul.", "KCNA")
    assert not [t for t in got if t[3].startswith("pattern:cook")]


def test_a_text_with_no_author_speaks_for_whoever_issued_it(nlp) -> None:
    # guide §10: a statement's acts are its signatory's; "issued a statement condemning X"
    src = "Department of Foreign Affairs and Trade"
    got = {t[:3] for t in _proposed(nlp, "Canada issued a statement condemning Iran.", src)}
    assert ("ACCUSE", "CAN", "IRN") in got
    got = {t[:3] for t in _proposed(
        nlp, "The Kenyan government released a report praising Ethiopia's reforms.", src)}
    assert ("SUPPORT", "KEN", "ETH") in got
    # a text with its own author keeps it
    got = {t[:3] for t in _proposed(
        nlp, "Norway published Sweden's statement condemning Russia.", src)}
    assert ("ACCUSE", "SWE", "RUS") in got and ("ACCUSE", "NOR", "RUS") not in got


def test_a_verb_coordinated_before_another_shares_its_object(nlp) -> None:
    # right node raising: in "fabricated and spread rumours" the parser hangs the object on
    # the last verb only; the first verb's row, which asks for a claim as its object, must
    # still read it
    rows = {
        "The Japanese media fabricated and spread false stories about Russia.": ("JPN", "RUS"),
        "Canadian officials cooked up and circulated a tale about Cuba.": ("CAN", "CUB"),
        "The U.S. senator fabricated, distorted and spread rumours about Laos.": ("USA", "LAO"),
    }
    for text, (src, tgt) in rows.items():
        got = {t[:4] for t in _proposed(nlp, text, "KCNA")}
        assert any(t[:3] == ("ACCUSE", src, tgt) and t[3].startswith(("pattern:fabricate",
                                                                       "pattern:cook"))
                   for t in got), (text, got)
    # a later verb with its own subject is another clause: its object is not shared
    text = "The Japanese media fabricated, and the British press spread stories about Russia."
    assert not [t for t in _proposed(nlp, text, "KCNA") if t[3].startswith("pattern:fabricate")]


def test_a_visit_to_a_place_is_hosted_by_the_places_country(nlp) -> None:
    # guide §8 (a visit happens in the visited country) and §4 (the host is a visit's
    # counterpart): a city the gazetteer knows, which names no actor, gives its country
    text = ("Pyongyang, May 3 (KCNA) -- A Lao government delegation visited Vladivostok and "
            "Khabarovsk on Friday.")
    got = {t[:3] for t in _proposed(nlp, text)}
    assert ("CONSULT", "LAO", "RUS") in got
    # and the place a delegation arrived in, as "arrived in Pyongyang" is the DPRK's visit
    text = "Pyongyang, May 3 (KCNA) -- A Lao government delegation arrived in Vladivostok."
    assert ("CONSULT", "LAO", "RUS") in {t[:3] for t in _proposed(nlp, text)}
    # a site the gazetteer does not know says nothing of its country, though a word of its
    # name may be a town somewhere ("Spring")
    text = ("Pyongyang, May 3 (KCNA) -- A Lao government delegation toured the Naegok Hot "
            "Spring.")
    assert not [t for t in _proposed(nlp, text) if t[0] == "CONSULT" and t[2] is not None]
    # nor does a trip at home host anyone
    text = "Pyongyang, May 3 (KCNA) -- Kim Jong Un visited Mangyongdae on Friday."
    assert not [t for t in _proposed(nlp, text) if t[0] == "CONSULT" and t[2] is not None]


def test_the_clause_of_a_light_verbs_noun_is_done_by_the_verbs_subject(nlp) -> None:
    # "took the step of expelling": the noun names the act, its clause says what it is, and
    # the light verb's subject does it (issue #11: measures stated as decisions are events)
    rows = {
        "Australia took the unprecedented step of expelling the Iranian ambassador.":
            ("SANCTION", "AUS", "IRN"),
        "Canada took the decision of sanctioning Russia.": ("SANCTION", "CAN", "RUS"),
    }
    for text, triple in rows.items():
        assert triple in {t[:3] for t in _proposed(nlp, text, "Reuters")}, text
    # a noun with an owner of its own is that owner's act, not the light verb's subject's
    got = _proposed(nlp, "Japan took the Chinese decision of expelling the Iranian envoy.",
                    "Reuters")
    assert not [t for t in got if t[0] == "SANCTION" and t[1] == "JPN"]
