"""clean.clean on real articles: pasted page, KCNA datelines/trailers/glued names, CSV bylines."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from itertools import islice

import pytest

from tidings import clean, readers
from tidings.model import Article


@pytest.fixture(scope="module")
def seed(seed_path) -> Article:
    return clean.clean(next(readers.read(seed_path)))


@pytest.fixture(scope="module")
def kcna(shared) -> list[Article]:
    return list(readers.read(shared / "corpus" / "kcna_2024_dev.jsonl"))


@pytest.fixture(scope="module")
def kcna_clean(kcna) -> list[Article]:
    return [clean.clean(a) for a in kcna]


@pytest.fixture(scope="module")
def rodong(shared) -> list[Article]:
    return list(readers.read(shared / "corpus" / "rodong_sinmun_en_sample.csv"))


# ---------------------------------------------------------------- pasted page


def test_seed_metadata(seed):
    assert seed.title == "Historic DPRK-Russia milestone"
    assert seed.subtitle == (
        "Historic event that marked a new turning point in development of DPRK-Russia friendship"
    )
    assert seed.byline == "Ri Hak Nam"
    assert seed.source == "Rodong Sinmun; KCNA"
    assert seed.published == "2020-04-23"
    assert seed.caption == (
        "One-year summit meeting anniversary of Kim Jong Un and Putin\n"
        "Kim Jong Un and Vladimir Putin, Vladivostok, April 25, 2019."
    )


def test_seed_body(seed):
    assert seed.text.startswith("It has been a year since Supreme Leader Kim Jong Un")
    assert seed.text.endswith("anti-epidemic campaign against Covid-19.")
    for gone in ("Previous Post", "Next Post", "Abridgment", "By Ri Hak Nam", "Vladivostok, April"):
        assert gone not in seed.text
    assert "\n\nThe Supreme Leader met Vladimir Vladimirovich Putin" in seed.text


def test_pasted_page_rules_are_general(seed_path):
    """Same page with furniture variations: a related-articles list, share widgets."""
    raw = seed_path.read_text(encoding="utf-8")
    raw = raw.replace("Previous Post Next Post", "Share | Print\n\nRelated articles\n\nOther story")
    art = clean.clean(Article(id="x", text=raw, extraction="text"))
    assert art.text.endswith("against Covid-19.")
    assert art.caption and art.caption.startswith("One-year summit")
    # the same text from a non-"text" extraction is not treated as a pasted page
    other = clean.clean(Article(id="y", text=raw, extraction="jsonl"))
    assert other.title is None and other.text.startswith("Historic DPRK-Russia milestone")


WIRE_PAGE = """Home > News > Asia

North Korea fires ballistic missile toward the East Sea

By John Smith and Jane Doe, Reuters

Published: Friday, March 3, 2023, 10:42 GMT

Share

SEOUL, March 3 (Reuters) - North Korea fired a ballistic missile off its east coast on \
Friday, South Korea's military said.

The launch came days after the allies held joint drills.

Related articles

Another story"""


def test_pasted_wire_page_shape():
    """A page of another shape: breadcrumb, two bylines with outlet, date line, dateline."""
    art = clean.clean(Article(id="w", text=WIRE_PAGE, extraction="text"))
    assert art.title == "North Korea fires ballistic missile toward the East Sea"
    assert art.byline == "John Smith and Jane Doe" and art.source == "Reuters"
    assert art.published == art.dateline_date == "2023-03-03"
    assert art.dateline_place == "SEOUL"
    assert art.text.startswith("North Korea fired a ballistic missile")
    assert art.text.endswith("held joint drills.")
    assert art.subtitle is None and art.caption is None


def test_furniture_lines():
    assert clean._furniture_action("Previous Post Next Post") == "drop"
    assert clean._furniture_action("Related articles") == "stop"
    assert clean._furniture_action("Share") == "drop"
    assert clean._furniture_action("Next, the delegation visited the museum.") is None


# ---------------------------------------------------------------- KCNA


def test_kcna_dateline_and_trailer(kcna):
    raw = next(a for a in kcna if a.text.startswith("Pyongyang, August 4 (KCNA) --"))
    art = clean.clean(raw)
    assert art.dateline_place == "Pyongyang"
    assert art.dateline_date == raw.published == "2024-08-04"
    assert not art.text.startswith("Pyongyang, August 4")
    assert art.text[0].isupper()
    assert raw.text.rstrip().endswith("-0-") and not art.text.endswith("-0-")


def test_kcna_every_dateline_and_trailer_removed(kcna, kcna_clean):
    cleaned = kcna_clean
    with_dateline = [a for a in kcna if re.match(r"Pyongyang, \w+ \d+ \(KCNA\)", a.text)]
    assert sum(c.dateline_place == "Pyongyang" for c in cleaned) == len(with_dateline)
    assert not any(c.text.endswith("-0-") for c in cleaned)
    assert not any("(KCNA) --" in c.text[:60] for c in cleaned)


@pytest.mark.parametrize(("text", "place", "date", "source"), [
    ("MOSCOW, July 5. /TASS/. The minister held talks.", "MOSCOW", "2024-07-05", "TASS"),
    ("Hanoi (VNA) – The minister held talks.", "Hanoi", None, "VNA"),
    ("BEIJING, July 5 (Xinhua) -- The minister held talks.", "BEIJING", "2024-07-05", "Xinhua"),
])
def test_the_datelines_of_other_state_agencies(text, place, date, source):
    # TASS sets its agency between slashes; VNA often prints a place and no date
    art = clean.clean(Article(id="x", text=text, published="2024-07-06"))
    assert (art.dateline_place, art.dateline_date, art.source) == (place, date, source)
    assert art.text == "The minister held talks."


def test_a_place_and_an_unknown_parenthesis_open_no_dateline():
    # with no date, only an agency outlets.tsv knows makes a dateline
    text = "Seoul (Yeouido) - The rally went on."
    art = clean.clean(Article(id="x", text=text, published="2024-07-06"))
    assert art.dateline_place is None and art.text == text


def test_december_dateline_in_january_article(kcna):
    raw = next(a for a in kcna if a.text.startswith("Pyongyang, December 24 (KCNA)"))
    art = clean.clean(replace(raw, published="2024-01-03"))
    assert art.dateline_date == "2023-12-24"
    assert clean.resolve_year(1, 2, "2023-12-30") == "2024-01-02"


def test_dateline_date_fills_missing_published(kcna):
    raw = next(a for a in kcna if a.text.startswith("Pyongyang, August 4 (KCNA) --"))
    # without a year anchor the dateline cannot be dated
    assert clean.clean(replace(raw, published=None)).dateline_date is None
    art = clean.clean(replace(raw, published=None, meta={"year": "2024"}))
    assert art.dateline_date == art.published == "2024-08-04"
    dated = clean.clean(replace(raw, published="2024-08-05"))
    assert dated.dateline_date == "2024-08-04" and dated.published == "2024-08-05"


def test_glued_names_repaired(kcna, kcna_clean):
    raw = next(a for a in kcna if "WhenKim Jong Un" in a.text)
    art = clean.clean(raw)
    assert "WhenKim" not in art.text and "When Kim Jong Un" in art.text
    texts = [a.text for a in kcna_clean]
    for bad in ("ComradeKim", "ofKim", "Kim Jong Unsaid", "Kim Jong Unvisited", "SungUniversity"):
        assert not any(bad in t for t in texts), bad
    assert any("Kim Jong Un said" in t for t in texts)


@pytest.mark.parametrize(
    "text, fixed",
    [
        ("WhenKim Jong Un arrived", "When Kim Jong Un arrived"),
        ("Kim Jong Unsaid that", "Kim Jong Un said that"),
        ("ofKim Jong Un", "of Kim Jong Un"),
        ("the Kim Il SungUniversity", "the Kim Il Sung University"),
        ("Kim Il SungandKim Jong Il", "Kim Il Sung and Kim Jong Il"),
        ("the ceremony ofThe Party", "the ceremony of The Party"),
        ("many years,Kim Jong Un", "many years, Kim Jong Un"),
    ],
)
def test_repair_glued_cases(text, fixed):
    assert clean.repair_glued(text)[0] == fixed


@pytest.mark.parametrize(
    "text",
    [
        "McDonald and McCarthy watched YouTube on an iPhone.",
        "The DPRK, KCNA and the WPK.",
        "A capacity of 1,000 kWh.",
        "Kim Jong Ung visited.",  # a longer name one letter on is not cut
        "The JavaScript and PowerPoint files.",
    ],
)
def test_repair_glued_leaves_good_text(text):
    assert clean.repair_glued(text) == (text, 0)


# ---------------------------------------------------------------- Rodong CSV bylines


def test_rodong_person_byline(rodong):
    art = clean.clean(rodong[0])
    assert art.byline == "Ri Hyon Do"
    assert art.text.endswith("was entirely right.")


def test_rodong_team_and_outlet_tails(rodong):
    cleaned = [clean.clean(a) for a in rodong]
    teams = [a for a in cleaned if a.byline == "Rodong News Team"]
    assert len(teams) >= 150
    assert not any(a.text.endswith("Rodong News Team") for a in cleaned)
    assert not any(a.text.endswith("Rodong Sinmun") for a in cleaned)
    outlet = [a for a in cleaned if a.source == "Rodong Sinmun"]
    assert len(outlet) >= 250


def test_repeated_byline_deduplicated():
    art = clean.clean(Article(id="r", text="It was a success. Kim Chol Kim Chol", extraction="csv"))
    assert art.byline == "Kim Chol" and art.text == "It was a success."
    art = clean.clean(Article(id="r", text="It was a success. By Kim Chol", extraction="csv"))
    assert art.byline == "Kim Chol"
    keep = "They met the delegation of Nigeria. The talks went on"
    assert clean.clean(Article(id="r", text=keep, extraction="csv")).text == keep


# ---------------------------------------------------------------- whitespace, mojibake


def test_whitespace_and_mojibake():
    text = "The  leader\u00a0said\t it.  \n\n\n\nIt\u00e2\u20ac\u2122s  done.\r\n"
    art = clean.clean(Article(id="w", text=text, extraction="jsonl"))
    assert art.text == "The leader said it.\n\nIt\u2019s done."


def test_clean_does_not_mutate_input(shared):
    line = (shared / "corpus" / "kcna_2024_dev.jsonl").open(encoding="utf-8").readline()
    rec = json.loads(line)
    raw = Article(id=rec["id"], text=rec["text"], published=rec["date"], extraction="jsonl")
    before = raw.to_dict()
    clean.clean(raw)
    assert raw.to_dict() == before


def test_clean_is_idempotent(kcna, rodong, seed):
    for a in list(islice(kcna, 50)) + rodong[:50]:
        once = clean.clean(a)
        assert clean.clean(once).text == once.text
    assert clean.clean(seed).text == seed.text


def test_wire_credit_at_end_of_web_pages(shared):
    html = shared / "html"
    afp = clean.clean(next(readers.read(html / "htmldate_news_en" / "html" / "1572542522.html.gz")))
    assert afp.text.endswith("in Munich on August 11-21.")
    assert afp.source == "Malaymail; AFP"
    scmp = html / "trafilatura_eval_en" / "html" / "scmp.com.playbook.html.gz"
    photo = clean.clean(next(readers.read(scmp)))
    assert photo.text.endswith("Photo: AP")  # a photo credit is not the article's outlet
    assert photo.source == "South China Morning Post"


def test_scraper_repeats_dropped_and_glued_sentences_split() -> None:
    # a real Rodong Sinmun CSV row (rodong_sinmun_en_0401 of tests/gold), abridged to
    # its first copy and the start of the second
    text = ("The editorial said that the ambassador acted as colonial governor general.It urged "
            "him to immediately leave south Korea, stressing that anti-American feelings of "
            "south Koreans were at its height.Rodong Sinmun The editorial said that the "
            "ambassador acted as colonial governor general.Rodong Sinmun")
    out = clean.clean(Article(id="r", text=text, extraction="text"))
    assert out.text == ("The editorial said that the ambassador acted as colonial governor "
                        "general. It urged him to immediately leave south Korea, stressing that "
                        "anti-American feelings of south Koreans were at its height.")
    assert out.meta["repeats_dropped"] == 1
    assert out.source == "Rodong Sinmun"
