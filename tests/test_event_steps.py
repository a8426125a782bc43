"""The events stage step by step: triggers, each rule over a candidate, the sentence rules,
decide, events and foreground. Each test shows one step on a sentence that needs it, and
what the step records on the candidate (coding, how arguments were found, the verdict)."""

from __future__ import annotations

import pytest

from tidings import actors
from tidings.events import Candidate, extract_with_candidates
from tidings.events.candidates import (
    RULES,
    Sentence,
    codings,
    judge,
    outlet_candidates,
    propose,
    say_must_candidates,
)
from tidings.events.stage import candidates_of, context, decide, foreground, to_events
from tidings.events.triggers import find_triggers
from tidings.model import Article


def sentence(nlp, text: str, source: str | None = None):
    """(Sentence of the first sentence, Context) for ``text``."""
    art = Article(id="t", text=text, published="2024-05-01", source=source)
    doc = nlp(text)
    ctx = context(doc, actors.find_mentions(doc, art), art)
    span = next(iter(doc.sents))
    return Sentence(0, span, find_triggers(span, ctx)), ctx


def proposed(nlp, text: str, source: str | None = None) -> list[Candidate]:
    sent, ctx = sentence(nlp, text, source)
    return candidates_of(sent, ctx)


def by_rule(cands: list[Candidate], prefix: str) -> Candidate:
    return next(c for c in cands if c.rule.startswith(prefix))


def countries(pairs) -> list[str | None]:
    return [a.country for _, a in pairs]


def test_triggers_light_verb_noun_and_verb(nlp) -> None:
    sent, _ = sentence(nlp, "Kim Jong Un paid a visit to Russia and met Putin.")
    assert [([w.text for w in t.words], t.pattern.event_type) for t in sent.triggers] == [
        (["paid", "visit"], "CONSULT"), (["met"], "CONSULT")]
    visit = sent.triggers[0]
    assert (visit.source_how, visit.target_how) == ("subject", "preposition")
    assert countries(visit.sources) == ["PRK"] and countries(visit.targets) == ["RUS"]


def test_a_meetings_venue_is_a_party_only_when_none_is_named(nlp) -> None:
    # guide §10: "A met B in Helsinki" names B; Helsinki is where, not with whom
    sent, _ = sentence(nlp, "The Brazilian minister met with Chile's foreign minister on Monday "
                            "in Lisbon.")
    assert countries(sent.triggers[0].targets) == ["CHL"]
    # conjoined parties of a symmetric act are each other's counterparts, not the venue's
    sent, _ = sentence(nlp, "The presidents of Brazil and Chile met in Lisbon on Monday.")
    assert countries(sent.triggers[0].targets) == []
    assert sorted(countries(sent.triggers[0].sources)) == ["BRA", "CHL"]
    # with no counterpart named, the venue's state is the host
    sent, _ = sentence(nlp, "A Brazilian delegation met in Lisbon on Monday.")
    assert countries(sent.triggers[0].targets) == ["PRT"]


def test_propose_codes_as_the_pattern_row_before_any_rule(nlp) -> None:
    sent, _ = sentence(nlp, "Russia did not attack Georgia.")
    c = propose(sent.triggers[0], sent)
    assert (c.event_type, c.cameo, c.rule, c.kept) == ("ASSAULT", "190", "pattern:attack/verb",
                                                       True)


def test_rules_run_in_their_documented_order() -> None:
    assert [r.__name__ for r in RULES] == [
        "question_rule", "no_event_rule", "complement_rule", "status_rule", "control_rule",
        "threat_target_rule", "intent_rule", "source_rule", "partner_rule", "target_rule"]


def test_question_is_dropped_but_resolved(nlp) -> None:
    c = by_rule(proposed(nlp, "Did Russia attack Georgia?"), "pattern:attack")
    assert c.dropped == "question"
    assert countries(c.sources) == ["RUS"] and countries(c.targets) == ["GEO"]


def test_no_event_row(nlp) -> None:
    c = by_rule(proposed(nlp, "Japan denied the charges."), "pattern:deny")
    assert (c.event_type, c.dropped) == ("NONE", "no-event-row")


def test_complement_of_a_control_verb(nlp) -> None:
    cands = proposed(nlp, "Russia refused to meet Japan.")
    assert by_rule(cands, "pattern:meet").dropped == "complement"
    refuse = by_rule(cands, "pattern:refuse")
    assert refuse.kept and (refuse.event_type, refuse.cameo) == ("REJECT", "125")
    assert countries(refuse.targets) == ["JPN"] and refuse.target_how == "complement"


@pytest.mark.parametrize(("text", "reason"), [
    ("Russia did not attack Georgia.", "negated"),
    ("Russia could attack Georgia.", "modal"),
    ("Russia will attack Georgia if Georgia attacks.", None),
])
def test_status_drops_with_a_reason(nlp, text, reason) -> None:
    c = by_rule(proposed(nlp, text), "pattern:attack")
    assert c.dropped == reason


def test_status_refusal_of_a_cooperative_act_is_reject(nlp) -> None:
    c = by_rule(proposed(nlp, "Iran said it will not lift the embargo on Iraq."), "pattern:lift")
    assert (c.status, c.event_type, c.cameo, c.rule) == (
        "refuse", "REJECT", "124", "pattern:lift/verb[dobj]+refuse")
    hostile = by_rule(proposed(nlp, "Iran said it will not attack Iraq."), "pattern:attack")
    assert hostile.dropped == "refused-hostile-act"


def test_threat_targets_the_condition_subject(nlp) -> None:
    cands = proposed(nlp, "Iran threatened to stop the negotiations if the United States goes "
                          "ahead with the sanctions.")
    threat = by_rule(cands, "pattern:threaten")
    assert countries(threat.targets) == ["USA"] and threat.target_how == "condition-subject"


def test_intent_is_agree_and_the_scheduled_visit_is_coded_too(nlp) -> None:
    cands = proposed(nlp, "Putin will visit Pyongyang on June 18.")
    assert [(c.rule, c.event_type, c.cameo) for c in cands] == [
        ("pattern:visit/verb", "AGREE", "036"),
        ("pattern:visit/verb+announced", "CONSULT", "042")]


def test_ultimatum_is_a_threat(nlp) -> None:
    c = proposed(nlp, "Chad will withdraw its force from Libya unless Libya agrees to a "
                      "ceasefire.")[0]
    assert (c.rule, c.event_type, c.cameo) == ("pattern:withdraw/verb+unless", "THREATEN", "130")
    assert countries(c.targets) == ["LBY"]


def test_source_located_where_it_acts(nlp) -> None:
    c = by_rule(proposed(nlp, "Unidentified gunmen killed three soldiers near the town of "
                              "Samarra."), "pattern:kill")
    assert countries(c.sources) == ["IRQ"] and c.source_how == "located"
    assert c.rule == "pattern:kill/verb+located"


def test_target_domestic_and_missing(nlp) -> None:
    c = by_rule(proposed(nlp, "Turkish police arrested 20 protesters."), "pattern:arrest")
    assert c.rule.endswith("+domestic") and countries(c.targets) == ["TUR"]
    met = by_rule(proposed(nlp, "Kim Jong Un met officials."), "pattern:meet")
    assert met.dropped == "no-target"


def test_codings_add_the_announced_act(nlp) -> None:
    sent, ctx = sentence(nlp, "Putin will visit Pyongyang on June 18.")
    main = judge(propose(sent.triggers[0], sent), sent, ctx)
    assert main.announced == ("CONSULT", "visit", "042")
    assert [c.event_type for c in codings(main)] == ["AGREE", "CONSULT"]


def test_outlet_condemnation_speaks_with_the_outlets_voice(nlp) -> None:
    sent, ctx = sentence(nlp, "Japan's discharge of contaminated water is a hideous crime.",
                         source="KCNA")
    [c] = outlet_candidates(sent, ctx)
    assert (c.rule, c.event_type, c.voice) == ("pattern:outlet-condemn", "ACCUSE", "outlet")
    assert countries(c.sources) == ["PRK"] and countries(c.targets) == ["JPN"]
    sent, ctx = sentence(nlp, "Japan's discharge of contaminated water is a hideous crime.")
    assert outlet_candidates(sent, ctx) == []  # a wire service speaks for no state


def test_say_must_is_a_request(nlp) -> None:
    sent, ctx = sentence(nlp, "Russia said the United States must withdraw its troops.")
    [c] = say_must_candidates(sent, ctx)
    assert (c.event_type, c.cameo, c.kept) == ("REQUEST", "105", True)
    assert countries(c.sources) == ["RUS"] and countries(c.targets) == ["USA"]


def test_decide_keeps_what_the_rules_keep_in_order(nlp) -> None:
    cands = proposed(nlp, "Russia refused to meet Japan.")
    assert decide(cands) == [c for c in cands if c.kept]
    assert [c.rule for c in decide(cands)] == ["pattern:refuse/verb"]


def test_to_events_codes_each_pair_once(nlp) -> None:
    sent, ctx = sentence(nlp, "Kim Jong Un paid a visit to Russia and met Putin.")
    coded = to_events(decide(candidates_of(sent, ctx)), sent, ctx)
    assert [(c.rule, [e["target"]["name"] for e in evs]) for c, evs in coded] == [
        ("pattern:visit/noun", ["Russia"]), ("pattern:meet/verb", ["Vladimir Putin"])]
    twice = to_events([coded[0][0], coded[0][0]], sent, ctx)
    assert [len(evs) for _, evs in twice] == [1, 0]  # the same coding again adds nothing


def test_foreground_drops_the_background_act(nlp) -> None:
    sent, ctx = sentence(nlp, "Italy announced a suspension of air links with Serbia, one day "
                              "after a Serbian army jet shot down a helicopter.")
    coded = to_events(decide(candidates_of(sent, ctx)), sent, ctx)
    events = foreground(coded, ctx.doc)
    assert [e["event_type"] for e in events] == ["SANCTION"]
    assert [c.dropped for c, _ in coded] == [None, "background"]


def test_a_decider_replaces_decide(nlp) -> None:
    text = "Russia did not attack Georgia."
    art = Article(id="t", text=text)
    doc = nlp(text)
    mentions = actors.find_mentions(doc, art)
    events, cands = extract_with_candidates(doc, mentions, art)
    assert events == [] and [c.dropped for c in cands] == ["negated"]
    everything, _ = extract_with_candidates(doc, mentions, art, decider=lambda cs: cs)
    assert [(e["event_type"], e["source"]["country"], e["target"]["country"])
            for e in everything] == [("ASSAULT", "RUS", "GEO")]


def test_an_announced_act_is_proposed_beside_its_intent(nlp) -> None:
    # docs/annotation.md §10: measures stated as plans or decisions are events; the rules
    # code the intent (THREATEN 13x) and drop the act, which the decide stage may keep
    from tidings import actors, events
    from tidings.model import Article

    text = "Japan will impose sanctions on Iran."
    art = Article(id="t", text=text, published="2024-05-02")
    doc = nlp(text)
    found = events.propose(doc, actors.find_mentions(doc, art), art)
    got = {(e["event_type"], e["proposal"]["verdict"]) for e in found}
    assert ("THREATEN", "keep") in got and ("SANCTION", "dropped:announced-act") in got
    assert [e["event_type"] for e in events.extract(doc, actors.find_mentions(doc, art),
                                                    art)] == ["THREATEN"]
