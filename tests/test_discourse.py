"""The discourse stage's proposals (tidings.discourse), each on sentences written for it.

These test what is *proposed*: whether a proposal becomes an event is the decide stage's
model's call (tests/test_scorer.py), so each step is checked by the candidates it adds."""

from __future__ import annotations

from typing import Any

import pytest

from tidings import discourse, pipeline
from tidings.model import Article


@pytest.fixture(scope="module")
def propose(nlp: Any) -> Any:
    def run(text: str, source: str | None = "KCNA") -> list[tuple[str, str, str | None, str]]:
        art = Article(id="t", text=text, source=source, published="2024-08-12")
        found = pipeline.propose(nlp(text), art)
        return [(e["event_type"], e["source"]["country"], (e["target"] or {}).get("country"),
                 str((e.get("proposal") or {}).get("verdict", "keep"))) for e in found]
    return run


def test_a_document_speaks_for_the_outlets_state(propose: Any) -> None:
    got = propose("An editorial exposes the criminal designs of Canada.")
    assert ("ACCUSE", "PRK", "CAN", "discourse:document") in got
    # a document of a named issuer speaks for it, whatever the outlet
    got = propose("The white paper of the Foreign Ministry of Cuba unmasked Canada.", "VOA")
    assert ("ACCUSE", "CUB", "CAN", "discourse:document") in got


def test_a_document_that_only_says_something_neutral_proposes_nothing(propose: Any) -> None:
    got = propose("An article says that Canada held an election.")
    assert not [g for g in got if g[3] == "discourse:document"]


def test_a_reporting_agency_lends_no_voice_to_an_anonymous_document(propose: Any) -> None:
    got = propose("An editorial exposes the criminal designs of Canada.", "VOA")
    assert not [g for g in got if g[3] == "discourse:document"]


def test_a_conditional_consequence_threatens_the_conditions_subject(propose: Any) -> None:
    got = propose("If Canada sends warships, it will witness a new counteraction.")
    assert ("THREATEN", "PRK", "CAN", "discourse:threat") in got
    # a triple the rules already propose is not proposed twice
    got = propose("If Canada sends warships, it will pay a dear price.")
    assert [g for g in got if g[:3] == ("THREATEN", "PRK", "CAN")] == [
        ("THREATEN", "PRK", "CAN", "keep")]
    got = propose("If Canada sends warships, our army will use all its forces.")
    assert ("THREATEN", "PRK", "CAN", "discourse:threat") in got


def test_a_threat_is_never_aimed_at_the_speakers_own_side(propose: Any) -> None:
    got = propose("If the harvest is good, the DPRK will pay its farmers more.")
    assert not [g for g in got if g[0] == "THREATEN" and g[2] == "PRK"]
    got = propose("If it rains, we will hold the rally indoors.")
    assert not [g for g in got if g[3].startswith("discourse:threat")]


def test_those_who_will_pay_are_the_topic_of_the_statement(propose: Any) -> None:
    got = propose("Canada sent warships to the coast. Those who threaten us will have to pay "
                  "a high price.")
    assert ("THREATEN", "PRK", "CAN", "discourse:threat-topic") in got


def test_each_sender_of_greetings_supports_the_addressee(propose: Any) -> None:
    got = propose("Greetings came from the president of Laos, the prime minister of Cuba "
                  "and the chairman of a party of Peru.")
    for country in ("LAO", "CUB", "PER"):
        assert ("SUPPORT", country, "PRK", "discourse:senders") in got, country


def test_they_came_from_names_the_senders_of_the_messages_before(propose: Any) -> None:
    # the pronoun stands for the messages the sentence before named
    got = propose("The chairman received many letters of greeting on his birthday. They came "
                  "from the president of Laos, the prime minister of Cuba and the chairman of "
                  "a party of Peru.")
    for country in ("LAO", "CUB", "PER"):
        assert ("SUPPORT", country, "PRK", "discourse:senders") in got, country
    # with no message before, "they" are people who came, not messages
    got = propose("The chairman met the visitors. They came from the president of Laos.")
    assert not [g for g in got if g[3] == "discourse:senders"]


def test_messages_sent_by_a_list_name_each_sender(propose: Any) -> None:
    # the passive of "came from": each agent sent the messages, to the named addressee or
    # else the outlet's state
    got = propose("The chairman received many cards on his birthday. The cards were sent by "
                  "the president of Laos, the prime minister of Cuba and a party of Peru.")
    for country in ("LAO", "CUB", "PER"):
        assert ("SUPPORT", country, "PRK", "discourse:senders") in got, country
    got = propose("Letters were sent to the president of Nepal by the premier of Laos and the "
                  "president of Cuba.", "VOA")
    for country in ("LAO", "CUB"):
        assert ("SUPPORT", country, "NPL", "discourse:senders") in got, country
    # what is sent must be a message; and an active sender is the pattern rules' case
    got = propose("Tanks were sent by the president of Laos.")
    assert not [g for g in got if g[3] == "discourse:senders"]
    got = propose("The president of Laos sent letters to the president of Cuba.", "VOA")
    assert not [g for g in got if g[3] == "discourse:senders"]


def test_calling_a_state_something_damning_accuses_it(propose: Any) -> None:
    # guide §3 ACCUSE: the labeller accuses the labelled, whoever reports it
    rows = {
        "NATO branded the DPRK as a threat to the world.": ("IGO", "PRK"),
        "The Japanese minister called Russia a war criminal nation.": ("JPN", "RUS"),
        "The Pentagon described the Russian drills as a serious provocation.": ("USA", "RUS"),
    }
    for text, (src, tgt) in rows.items():
        assert ("ACCUSE", src, tgt, "discourse:labelling") in propose(text, "VOA"), text
    # a participle's labeller is the clause it hangs on
    got = propose("Canada issued a statement terming Iran a grave threat to peace.", "VOA")
    assert ("ACCUSE", "CAN", "IRN", "discourse:labelling") in got
    # a label that judges nothing is no accusation
    got = propose("The minister described the talks with China as productive.", "VOA")
    assert not [g for g in got if g[3] == "discourse:labelling"]


def test_a_protest_with_no_agent_is_of_the_country_it_is_held_in(propose: Any) -> None:
    # guide §10a: what a gathering held in a named country did, its people did; a protest
    # is a gathering, so an agentless one abroad is not the reporting state's
    rows = {
        "A protest demonstration was staged outside the Japanese embassy in London.":
            ("GBR", "JPN"),
        "A protest was held in front of the U.S. embassy in Seoul on Monday.": ("KOR", "USA"),
    }
    for text, (src, tgt) in rows.items():
        got = propose(text, "KCNA")
        assert ("PROTEST", src, tgt, "discourse:agentless-place") in got, text
        assert not [g for g in got if g[0] == "PROTEST" and g[1] == "PRK"], text
    # held at home, or with no place, it stays the reporting state's own
    got = propose("A protest demonstration was staged outside the U.S. embassy in Pyongyang.",
                  "KCNA")
    assert ("PROTEST", "PRK", "USA", "discourse:agentless-home") in got


def test_each_sender_of_what_the_subject_received_supports_it(propose: Any) -> None:
    got = propose("The president of Cuba received letters from the prime minister of Peru, "
                  "the chairman of a party of Chile and public figures in Laos and Nepal.",
                  "VOA")
    for country in ("PER", "CHL", "LAO", "NPL"):
        assert ("SUPPORT", country, "CUB", "discourse:receipt") in got, country
    got = propose("The president of Cuba received the ambassador of Peru.", "VOA")
    assert not [g for g in got if g[3] == "discourse:receipt"]  # a visitor, not a message


@pytest.mark.parametrize("listing", [
    "Among them are the prime minister of Laos, the president of Cuba and the prime minister "
    "of Nepal.",
    "They include the prime minister of Laos, the president of Cuba and the prime minister "
    "of Nepal.",
])
def test_senders_described_as_a_group_are_those_the_next_sentence_lists(
        propose: Any, listing: str) -> None:
    text = ("The premier of Peru received messages of greeting from heads of government of "
            "different countries on the occasion of the founding anniversary of Peru. "
            + listing)
    got = propose(text, "VOA")
    for country in ("LAO", "CUB", "NPL"):
        assert ("SUPPORT", country, "PER", "discourse:receipt") in got, country


def test_a_list_of_senders_goes_on_over_the_sentences_that_continue_it(propose: Any) -> None:
    text = ("The premier of Peru received letters from foreign personages and organizations "
            "on the occasion of the liberation of Peru. They included the chairman of a party "
            "of Laos and the president of Cuba. Among them are also the chairman of a party of "
            "Chile. The premier of Nepal visited Bolivia on Monday.")
    got = propose(text, "VOA")
    for country in ("LAO", "CUB", "CHL"):
        assert ("SUPPORT", country, "PER", "discourse:receipt") in got, country
    assert ("SUPPORT", "NPL", "PER", "discourse:receipt") not in got  # the list has ended


def test_a_to_after_from_belongs_to_a_senders_title_not_to_the_addressee(
        propose: Any) -> None:
    # the parser hangs "to the emir of Kuwait" (and the rest of the list) on "came"
    got = propose("Messages of greeting came from the heir to the emir of Kuwait, the "
                  "president of Laos and the prime minister of Nepal.")
    for country in ("KWT", "LAO", "NPL"):
        assert ("SUPPORT", country, "PRK", "discourse:senders") in got, country
    assert not [g for g in got if g[3] == "discourse:senders" and g[2] == "KWT"]


def test_every_sender_of_a_received_message_whose_from_hangs_on_it(propose: Any) -> None:
    got = propose("The premier of Peru received messages of greeting from the president of "
                  "Laos, the president of Cuba and the prime minister of Nepal.", "VOA")
    # the pattern rules code the nearest sender; the discourse every other one
    assert ("SUPPORT", "LAO", "PER", "keep") in got
    for country in ("CUB", "NPL"):
        assert ("SUPPORT", country, "PER", "discourse:receipt") in got, country


def test_a_group_of_senders_with_no_list_after_it_names_no_sender(propose: Any) -> None:
    got = propose("The premier of Peru received messages of greeting from heads of government "
                  "of different countries. The premier of Laos visited Cuba on Monday.", "VOA")
    assert not [g for g in got if g[3] == "discourse:receipt"]


def test_an_exchange_of_messages_is_support_both_ways(propose: Any) -> None:
    got = propose("The foreign ministers of Cuba and Laos exchanged messages of greeting.")
    assert ("SUPPORT", "CUB", "LAO", "discourse:exchange") in got
    assert ("SUPPORT", "LAO", "CUB", "discourse:exchange") in got


def test_an_exchange_partner_hung_on_the_object_is_still_a_side(propose: Any) -> None:
    # the parser attaches "with X" to the nearest noun ("greeting") rather than the verb
    got = propose("The Lao premier exchanged letters of congratulation with the Cuban premier.")
    assert ("SUPPORT", "LAO", "CUB", "discourse:exchange") in got
    assert ("SUPPORT", "CUB", "LAO", "discourse:exchange") in got
    # a "with" that is no party of the exchange names no side
    got = propose("The Lao premier exchanged letters with pleasure.")
    assert not [g for g in got if g[3] == "discourse:exchange"]


def test_a_demonstrative_condemnation_aims_at_the_act_named_before(propose: Any) -> None:
    got = propose("Canada staged a naval drill near the coast. This is a reckless provocation.")
    assert ("ACCUSE", "PRK", "CAN", "discourse:topic") in got
    # a reporting agency has no voice of its own
    got = propose("Canada staged a naval drill. This is a reckless provocation.", "VOA")
    assert not [g for g in got if g[3] == "discourse:topic"]


def test_a_state_outlets_damning_clause_accuses_its_foreign_subject(propose: Any) -> None:
    """Guide §2 and §10: a state outlet's own clause that damns a foreign subject is its ACCUSE,
    whatever the verb; the proposal counts the words that judge (a feature of the model)."""
    judged = "discourse:judgement"
    got = propose("Canada is plotting to seize the islands of its neighbours by brutal force.")
    assert ("ACCUSE", "PRK", "CAN", judged) in got
    got = propose("It is clear that Canada is scheming to destroy the peace of the region.")
    assert ("ACCUSE", "PRK", "CAN", judged) in got
    for text, source in (
            ("Canada held an election and opened a new bridge.", "KCNA"),  # nothing damning
            ("Canada did not commit any crime in the war.", "KCNA"),  # denied
            ("Canada, which committed brutal crimes in the past, held an election.", "KCNA"),
            ("The Chilean minister said that Canada is a brutal aggressor.", "KCNA"),
            ("Canada is plotting to seize the islands by brutal force.", "VOA")):
        got = propose(text, source)
        assert not [g for g in got if g[3] == judged], text


def test_a_judgement_records_how_many_words_judge(nlp: Any) -> None:
    text = "Canada is plotting a brutal war of aggression against its neighbours."
    art = Article(id="t", text=text, source="KCNA", published="2024-08-12")
    judged = [e for e in pipeline.propose(nlp(text), art)
              if (e.get("proposal") or {}).get("verdict") == "discourse:judgement"]
    assert judged and all(e["proposal"]["judging"] >= 2 for e in judged)
    assert all(e["voice"] == "outlet" for e in judged)  # dated as the outlet's own speech


def test_an_agentless_act_in_state_media_is_the_outlets_states(propose: Any) -> None:
    got = propose("A test-fire of a new-type cruise missile was conducted on Sunday.")
    assert ("MOBILIZE", "PRK", None, "discourse:agentless-home") in got


def test_an_agentless_act_at_a_gathering_abroad_is_its_places(propose: Any) -> None:
    """"adopted at the seminar held in Mongolia": the participants there act, not the
    outlet's state; the recipient stands in the act noun's own phrase (its subject)."""
    got = propose("A congratulatory message to Kim Jong Un was adopted at the seminar held "
                  "in Mongolia.")
    assert ("SUPPORT", "MNG", "PRK", "discourse:agentless-place") in got
    got = propose("Congratulatory messages to Kim Jong Un were adopted at the meetings held "
                  "in Laos, Denmark and Sweden.")
    assert {("SUPPORT", c, "PRK", "discourse:agentless-place") for c in ("LAO", "DNK", "SWE")} \
        <= set(got)
    got = propose("A congratulatory message to Kim Jong Un was adopted at the memorial "
                  "meeting in Nepal.")
    assert ("SUPPORT", "NPL", "PRK", "discourse:agentless-place") in got
    # an act done in a place, not at a gathering there, may be anyone's: as before
    got = propose("A congratulatory message to Putin was adopted in Laos.")
    assert not [g for g in got if g[3] == "discourse:agentless-place"]
    # held at home: the outlet's state, as before
    got = propose("A congratulatory message to Putin was adopted at the meeting held in "
                  "Pyongyang.")
    assert ("SUPPORT", "PRK", "RUS", "discourse:agentless-home") in got


def test_other_actors_of_the_clause_are_proposed_as_targets(propose: Any) -> None:
    got = propose("Cuba condemned the provocations of Canada against Laos.", "VOA")
    targets = {g[2] for g in got if g[0] == "ACCUSE" and g[1] == "CUB"}
    assert {"CAN", "LAO"} <= targets
    assert any(g[3] == "alt:target" for g in got)


def test_a_relative_clause_on_a_predicate_noun_targets_the_subject(propose: Any) -> None:
    # guide §10: "X's act is a crime that threatens Y" tells what X's act does, so X is a
    # target of the outlet's condemnation beside Y
    got = propose("Canada's military build-up is a move that threatens Laos.")
    assert ("THREATEN", "PRK", "CAN", "alt:target") in got
    # the predicate noun may be a conjunct of the one the copula takes
    got = propose("Canada's build-up is not a defensive step but a move that threatens Laos.")
    assert ("THREATEN", "PRK", "CAN", "alt:target") in got
    # no copula: the subject is the clause's own source, not a further target
    # (the outlet's own judgement of Canada is proposed apart, as discourse:judgement)
    got = propose("Canada's military build-up threatens Laos.")
    assert not [g for g in got if g[2] == "CAN" and not g[3].startswith(("discourse:judgement",
                                                                       "alt:type"))]


def test_type_alternatives_come_from_the_table() -> None:
    table = discourse.type_alternatives()
    assert ("SUPPORT", "051") in table["AGREE"]
    ev = {"event_type": "AGREE", "cameo": "030", "mode": None, "proposal": {}}
    alts = discourse.type_alternatives_of(ev)
    assert [a["event_type"] for a in alts] == [t for t, _ in table["AGREE"]]
    assert all(a["proposal"]["verdict"] == "alt:type" for a in alts)


def test_a_malformed_table_row_fails_with_file_and_line(tmp_path: Any) -> None:
    from tidings import data

    bad = tmp_path / "alternatives.tsv"
    bad.write_text("# source: test. licence: MIT\nevent_type\talternatives\n"
                   "AGREE\tSUPORT:051\n", "utf-8")
    with pytest.raises(data.DataError, match=r"alternatives.tsv:3"):
        data.read(data.ALTERNATIVES, bad)
    bad.write_text("event_type\talternatives\nAGREE\tSUPPORT:0519\n", "utf-8")
    with pytest.raises(data.DataError, match=r"alternatives.tsv:2"):
        data.read(data.ALTERNATIVES, bad)


def test_rules_alone_emit_none_of_the_proposals(nlp: Any) -> None:
    from tidings import scorer

    text = "An editorial exposes the criminal designs of Canada."
    art = Article(id="t", text=text, source="KCNA", published="2024-08-12")
    doc = nlp(text)
    kept = scorer.decide(pipeline.propose(doc, art), doc, art, "PRK", model=None)
    assert kept == []


def test_every_pair_of_a_meeting_of_three_is_proposed(propose: Any) -> None:
    got = propose("The foreign ministers of Chile, Peru and Cuba held a trilateral meeting in "
                  "Lima.", "VOA")
    pairs = {frozenset((g[1], g[2])) for g in got if g[0] == "CONSULT" and g[2]}
    assert {frozenset(p) for p in (("CHL", "PER"), ("CHL", "CUB"), ("PER", "CUB"))} <= pairs


def test_a_meetings_venue_is_not_one_of_its_parties(propose: Any) -> None:
    # guide §10: the state of the place where two parties met is not a third party
    got = propose("The presidents of Brazil and Chile met in Lisbon on Monday.", "VOA")
    kept = {(g[1], g[2]) for g in got if g[0] == "CONSULT" and g[3] in ("keep",
                                                                       "discourse:pairs")}
    assert kept == {("BRA", "CHL"), ("CHL", "BRA")}
    got = propose("Brazil, Chile and Peru held a trilateral summit in Lisbon on Monday.", "VOA")
    pairs = {frozenset((g[1], g[2])) for g in got if g[0] == "CONSULT" and g[2]
             and g[3] in ("keep", "discourse:pairs")}
    assert pairs == {frozenset(p) for p in (("BRA", "CHL"), ("BRA", "PER"), ("CHL", "PER"))}


def test_a_meeting_of_two_gets_no_third_party(propose: Any) -> None:
    got = propose("The foreign minister of Chile met the foreign minister of Peru in Lima.",
                  "VOA")
    assert not [g for g in got if g[3] == "discourse:pairs"]
