"""End-to-end behaviours on whole real articles of the development gold set (tests/gold):
subjects the parser strands, definite descriptions, pronouns in foreign reported speech,
"there", and which date an act takes. Each case is a rule, shown on the article that needs it,
so the rules alone decide here (the decide stage's model is tested in test_scorer.py)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from tidings.evaluate import _article
from tidings.pipeline import code_articles

DEV = Path(__file__).resolve().parent / "gold" / "state_media_seen.jsonl"


@cache
def coded(doc_id: str) -> tuple[dict, ...]:
    for line in DEV.read_text("utf-8").splitlines():
        doc = json.loads(line)
        if doc["id"] == doc_id:
            result = next(code_articles([_article(doc)], settings={"decider": "rules"}))
            return tuple(result.events)
    raise KeyError(doc_id)


def find(doc_id: str, etype: str, src: str, tgt: str | None) -> list[dict]:
    return [e for e in coded(doc_id) if e["event_type"] == etype
            and e["source"]["country"] == src
            and (e["target"] or {}).get("country") == tgt]


def test_subject_hung_on_a_fronted_phrase_still_acts() -> None:
    # "At the invitation of Kim Jong Un, chairman of ..., Xi Jinping, general secretary of
    # ..., will pay a state visit to the DPRK": the parser makes Xi a conjunct of Kim
    visit = find("rodong_sinmun_en_0263", "CONSULT", "CHN", "PRK")
    assert visit and visit[0]["date"] == "2019-06-20"
    assert not find("rodong_sinmun_en_0263", "CONSULT", "PRK", "PRK")


def test_pronoun_in_foreign_reported_speech_is_the_speakers_side() -> None:
    # "The chairperson of the ... Party of Romania said ..., adding ... that they bitterly
    # denounce the U.S.": they = Romania's party, not the DPRK of the same sentence
    assert find("kcna-331495a30eac", "ACCUSE", "ROU", "USA")
    assert all(e["rule"] != "pattern:denounce/verb"
               for e in find("kcna-331495a30eac", "ACCUSE", "PRK", "USA"))


def test_asking_an_envoy_to_convey_greetings_is_not_a_request() -> None:
    # "The king ... asked the ambassador to convey his sincere greetings to Kim Jong Un"
    assert not [e for e in coded("kcna-020b58fc25dc") if e["event_type"] == "REQUEST"]
    assert find("kcna-020b58fc25dc", "SUPPORT", "THA", "PRK")


def test_there_is_the_place_named_before() -> None:
    # "... arrived in Pyongyang ... A protocol ... was signed there."
    signed = find("rodong_sinmun_en_0063", "SUPPORT", "PRK", "SYR") + find(
        "rodong_sinmun_en_0063", "SUPPORT", "SYR", "PRK")
    assert signed and all((e["location"] or {}).get("country") == "PRK" for e in signed)


def test_commemorated_dates_and_present_tense_acts_take_the_report_date() -> None:
    # "issued statements on the occasion of the June 25-July 27 month": July 27 is the
    # occasion; "they bitterly denounce" (present) is not dated by "July 27, 1953"
    for etype, src, tgt in [("SUPPORT", "MEX", "PRK"), ("ACCUSE", "ROU", "USA")]:
        evs = find("kcna-331495a30eac", etype, src, tgt)
        assert evs and evs[0]["date"] == "2024-07-28", (etype, evs and evs[0]["date"])


def test_outlet_condemnation_dated_by_its_statement() -> None:
    # "The puppet Zelenskiy clique of Ukraine perpetrated a brutal atrocity ... on June 23":
    # the outlet's condemnation is the article's (June 27), not the condemned act's date
    evs = [e for e in find("kcna-059076bd91b2", "ACCUSE", "PRK", "UKR")
           if e["rule"] == "pattern:outlet-condemn"]
    assert evs and evs[0]["date"] == "2024-06-27"


def test_dateline_paragraph_is_body_even_when_the_tagger_misses_its_verb() -> None:
    # "Pyongyang, August 28 (KCNA) --Kim Jong Un ... oversaw on August 27 a test-fire of
    # the 240mm-calibre MRLS": "oversaw" tagged NOUN; the lead paragraph was once dropped
    fire = find("kcna-a72397aca571", "MOBILIZE", "PRK", None)
    assert fire and fire[0]["date"] == "2024-08-27"


def test_scraped_repeats_and_their_signatures_are_dropped() -> None:
    # the Rodong Sinmun CSV repeats an article's sentences with "Rodong Sinmun" between the
    # copies; "It urged him" is the editorial's, not the signature's
    assert find("rodong_sinmun_en_0401", "REQUEST", "KOR", "USA")
    assert not find("rodong_sinmun_en_0401", "REQUEST", "PRK", "USA")


def test_a_foreign_speakers_condemnation_is_the_speakers() -> None:
    # "The general secretary of the Islamic Coalition Party of Iran disclosed that the U.S.
    # war hysteria targeting the DPRK has become more undisguised"
    assert [e for e in find("kcna-331495a30eac", "ACCUSE", "IRN", "USA")
            if e["rule"] == "pattern:speaker-condemn"]


def test_definite_description_reaches_back_to_its_head_noun() -> None:
    # "Twenty-nine large balloons sent by the scum in the ROK ... We give the scum a stern
    # warning again.": the warning is aimed at the ROK, two paragraphs later
    assert find("kcna-cc57654cde87", "THREATEN", "PRK", "KOR")
    assert not find("kcna-cc57654cde87", "THREATEN", "PRK", None)


def test_anti_imperialist_is_not_a_condemnation() -> None:
    # "they full support the Korean people's anti-imperialist, anti-U.S. struggle"
    assert not [e for e in coded("kcna-331495a30eac") if e["rule"].endswith("-condemn")
                and "anti-imperialist" in e["sentence"] and e["event_text"] == "struggle"]
