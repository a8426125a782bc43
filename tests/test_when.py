"""Date resolution on real KCNA / Rodong Sinmun sentences (values checked by hand) and the
choice of an event's date in the seed article."""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

import pytest
from eventspans import events_at

from tidings import when
from tidings.model import Article


@lru_cache(maxsize=1)
def _kcna(path: str) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        return {d["id"]: d for d in map(json.loads, f)}


def _kcna_sentence(shared: Path, doc_id: str, needle: str) -> tuple[str, str]:
    art = _kcna(str(shared / "corpus" / "kcna_2024_dev.jsonl"))[doc_id]
    i = art["text"].index(needle)
    return art["text"][max(0, i - 120) : i + len(needle) + 60], art["date"]


# (article id, a phrase in it, expected (text, value, precision) of the expression in the phrase)
KCNA_CASES = [
    (
        "kcna-0102aff9f00b",
        "on January 1, Juche 113 (2024)",
        ("January 1, Juche 113 (2024)", "2024-01-01", "day"),
    ),
    ("kcna-53ddd14b0cc1", "the DPRK, on Monday", ("Monday", "2024-01-01", "day")),
    (
        "kcna-1d2e0a173988",
        "on the 27th of last month",
        ("on the 27th of last month", "2024-07-27", "day"),
    ),
    ("kcna-697036d1721c", "the county a year ago", ("a year ago", "2023-09", "month")),
    ("kcna-5699d9d49ca7", "into NATO 18 years ago", ("18 years ago", "2006", "year")),
    (
        "kcna-6ca5e2e361e8",
        "discharge of nuclear-polluted water into sea next February",
        ("next February", "2024-02", "month"),
    ),
    ("kcna-f64db22d6775", "over 70 years ago", ("70 years ago", "1954", "year")),
]


@pytest.mark.parametrize(("doc_id", "needle", "expected"), KCNA_CASES)
def test_kcna_sentences(shared: Path, doc_id: str, needle: str, expected: tuple) -> None:
    text, date = _kcna_sentence(shared, doc_id, needle)
    found = [(t.text, t.value, t.precision) for t in when.resolve(text, date)]
    assert expected in found, found


def test_kcna_non_dates(shared: Path) -> None:
    # "Unit 731", "the 71st anniversary", "the 22nd emergency enlarged meeting", durations
    for doc_id, needle in [
        ("kcna-6ca5e2e361e8", "like Unit 731 and Unit 516"),
        ("kcna-aa849c0f0b1f", "on the 71st anniversary"),
        ("kcna-6d67f92ecc16", "on the 22nd emergency enlarged meeting"),
        ("kcna-f35af6b9df08", "For nearly 80 years since the founding"),
    ]:
        art = _kcna(str(shared / "corpus" / "kcna_2024_dev.jsonl"))[doc_id]
        assert needle in art["text"]
        assert when.resolve(needle, art["date"]) == [], needle


def test_rodong_sentences(shared: Path) -> None:
    with open(shared / "corpus" / "rodong_sinmun_en_sample.csv", encoding="utf-8") as f:
        rows = {r["url"].rsplit("=", 1)[-1]: r for r in csv.DictReader(f)}
    cases = [
        ("2018-01-13-0001", "on its website on January 5", ("January 5", "2018-01-05", "day")),
        ("2018-01-30-0004", "on January 29, 1958", ("January 29, 1958", "1958-01-29", "day")),
        ("2018-01-08-0005", "continued last year", ("last year", "2017", "year")),
        ("2020-12-09-0006", "every day this month", ("this month", "2020-12", "month")),
    ]
    for news_id, needle, expected in cases:
        row = rows[news_id]
        assert needle in row["text"], needle
        got = [(t.text, t.value, t.precision) for t in when.resolve(needle, row["date"])]
        assert expected in got, (needle, got)


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("on April 25, 2019", "2020-04-23", ("April 25, 2019", "2019-04-25", "day")),
        ("25 April 2019", "2020-04-23", ("25 April 2019", "2019-04-25", "day")),
        ("in October 2013", "2020-04-23", ("October 2013", "2013-10", "month")),
        ("In 2018 he met", "2020-04-23", ("2018", "2018", "year")),
        ("two years ago", "2020-04-23", ("two years ago", "2018", "year")),
        ("yesterday", "2024-03-01", ("yesterday", "2024-02-29", "day")),
        ("today", "2024-03-01", ("today", "2024-03-01", "day")),
        ("on Sept. 13", "2019-10-02", ("Sept. 13", "2019-09-13", "day")),
        ("Sept. 13-15", "2019-10-02", ("Sept. 13-15", "2019-09-13", "day")),
        ("last week", "2024-03-03", ("last week", "2024-02", "month")),
        ("last month", "2024-01-10", ("last month", "2023-12", "month")),
        ("early this month", "2024-01-10", ("early this month", "2024-01", "month")),
        ("Juche 113", "2024-05-01", ("Juche 113", "2024", "year")),
        ("on the 4th", "2024-05-10", ("on the 4th", "2024-05-04", "day")),
        ("on the 24th", "2024-05-10", ("on the 24th", "2024-04-24", "day")),
        # the anchor's year, or the previous one when that is more than a month ahead
        ("on December 28", "2024-01-05", ("December 28", "2023-12-28", "day")),
        ("on February 3", "2024-01-05", ("February 3", "2024-02-03", "day")),
        # "on Monday": the most recent Monday not after the anchor (2024-08-07 is a Wednesday)
        ("on Monday", "2024-08-07", ("Monday", "2024-08-05", "day")),
        ("on Wednesday", "2024-08-07", ("Wednesday", "2024-08-07", "day")),
    ],
)
def test_resolve_forms(text: str, anchor: str, expected: tuple) -> None:
    got = [(t.text, t.value, t.precision) for t in when.resolve(text, anchor)]
    assert got == [expected]


def test_not_dates() -> None:
    for text in [
        "the 75th anniversary",
        "Unit 731",
        "the 1950s",
        "2000 troops",
        "Resolution 2397",
        "the February 16 Kanggye Art School",  # named after a day
        "the June 15 joint declaration",
        "the May Day Stadium",
    ]:
        assert when.resolve(text, "2024-01-01") == [], text


def test_offsets_and_no_anchor() -> None:
    text = "It said on April 25, 2019 and yesterday."
    got = when.resolve(text, None)
    assert [text[t.start : t.end] for t in got] == ["April 25, 2019", "yesterday"]
    assert got[0].value == "2019-04-25" and got[1].value is None


def test_seed_article_event_dates(nlp, seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    body = text[text.index("It has been a year") : text.index("(Abridgment")]
    doc = nlp(body)
    art = Article(id="seed", text=body, published="2020-04-23")
    evs = when.date_events(
        events_at(
            doc,
            [
                "visit to the Russian",
                "had talks",
                "visited the DPRK",
                "met with the Russian",
                "performed undying",
            ],
        ),
        doc,
        art,
    )
    got = [(e["date"], e["date_precision"], e["date_source"]) for e in evs]
    assert got == [
        ("2019-04", "month", "sentence"),
        ("2019-04-25", "day", "sentence"),
        ("2013-10", "month", "sentence"),
        ("2018", "year", "sentence"),
        ("2020-04-23", "day", "published"),
    ]
    assert evs[1]["date_text"] == "April 25, 2019" and evs[4]["date_text"] is None


def test_attached_expression_beats_nearer_one(nlp) -> None:
    text = "On Monday the minister said that the two sides had signed the treaty in March 2019."
    doc = nlp(text)
    art = Article(id="x", text=text, dateline_date="2024-08-07", published="2024-08-08")
    said, signed = when.date_events(events_at(doc, ["said", "signed"]), doc, art)
    assert said["date"] == "2024-08-05"
    assert signed["date"] == "2019-03"


def test_an_outlets_own_condemnation_is_dated_when_published(nlp) -> None:
    # the outlet condemns on its dateline day, whatever date the condemned act carries; a
    # date on the verb that publishes a statement dates it
    art = Article(id="x", text="", dateline_date="2024-06-25", published="2024-06-25")
    text = "The U.S. perpetrated a brutal atrocity on June 23."
    doc = nlp(text)
    (reported,) = when.date_events(events_at(doc, ["atrocity"]), doc, art)
    (voiced,) = when.date_events([{**events_at(doc, ["atrocity"])[0], "voice": "outlet"}],
                                 doc, art)
    assert reported["date"] == "2024-06-23" and voiced["date"] == "2024-06-25"
    text = "The ministry released a statement on June 24 that the U.S. act was a crime."
    doc = nlp(text)
    (voiced,) = when.date_events([{**events_at(doc, ["crime"])[0], "voice": "outlet"}], doc, art)
    assert voiced["date"] == "2024-06-24"


def test_dateline_fallback(nlp) -> None:
    text = "The delegation left for home."
    doc = nlp(text)
    art = Article(id="x", text=text, dateline_date="2024-08-04", published="2024-08-05")
    (ev,) = when.date_events(events_at(doc, ["left"]), doc, art)
    assert (ev["date"], ev["date_source"], ev["date_text"]) == ("2024-08-04", "dateline", None)
    (ev,) = when.date_events(events_at(doc, ["left"]), doc, Article(id="y", text=text))
    assert ev["date"] is None and ev["date_source"] is None


def test_date_carries_from_previous_sentence(nlp) -> None:
    # kcna-3a320e99cb35: the message's date is in the sentence before
    text = (
        "Kim Jong Un received a message of greeting from V. Putin on August 13. "
        "In the message, the Russian president extended heartfelt congratulations to Kim Jong Un."
    )
    doc = nlp(text)
    art = Article(id="x", text=text, dateline_date="2024-08-16", dateline_place="Pyongyang")
    received, extended = when.date_events(events_at(doc, ["received", "extended"]), doc, art)
    assert (received["date"], received["date_source"]) == ("2024-08-13", "sentence")
    assert (extended["date"], extended["date_source"]) == ("2024-08-13", "context")
    assert extended["date_text"] == "August 13"


def test_since_dates_only_its_own_clause(nlp) -> None:
    art = Article(id="x", text="", published="2020-04-23")
    cases = [
        ("Two years have passed since the leaders signed the declaration.", "signed", "2018"),
        # the elapsed time belongs to the armistice, not to the threat: publication date
        (
            "Seventy years since the armistice, the U.S. still threatens the DPRK.",
            "threatens",
            "2020-04-23",
        ),
    ]
    for text, trig, expected in cases:
        doc = nlp(text)
        (ev,) = when.date_events(events_at(doc, [trig]), doc, art)
        assert ev["date"] == expected, text


# Sentences written for the scan: expressions at a text's start, after hyphens and dots,
# inside words, in upper case, back to back, and words that only look like cues.
SCAN_TEXTS = [
    "April 25, 2019 in Vladivostok; mid-October 2013 and early-2018 too.",
    "On the 3rd of last month, two years ago and 12 days since the 4th of April.",
    "SEPT. 13-15 and Sept 13 to 15, 1998; 25abc April 2019 and _2019 or x2019.",
    "The 1990s saw 2000 troops; last night, this morning, next Friday and past week.",
    "Juche 113 (2024) began. In October, between May and June, till December 1.",
    "Byline:2019,2020. Resolution 2397 of 2017 and model 2024 were cited yesterday.",
]


@pytest.mark.parametrize("text", SCAN_TEXTS)
def test_scan_finds_what_the_pattern_finds_everywhere(text: str) -> None:
    """_matches tries the pattern only at the words an expression can begin with: the
    same matches, in the same order, as trying it at every character."""
    everywhere = [(m.start(), m.end(), m.group(0)) for m in when._pattern().finditer(text)]
    scanned = [(m.start(), m.end(), m.group(0)) for m in when._matches(text)]
    assert scanned == everywhere
    assert everywhere  # every sentence holds at least one expression
