"""The steps of clean_pasted and the cleaning settings, each on a small pasted page."""

from __future__ import annotations

from tidings import clean
from tidings.model import Article
from tidings.settings import DEFAULT

PAGE = """Home > News > World
Kim Jong Un Meets Putin
Talks held in Vladivostok
By Ri Hyon Do | Rodong Sinmun
April 25, 2019
Vladivostok, Russia, April 25, 2019
Kim Jong Un held talks with Vladimir Putin in Vladivostok on Thursday morning.
The two leaders discussed the situation on the Korean peninsula at length.
Share on Facebook
Related Articles
Another story that is not this one.
(Compiled from KCNA - April 26, 2019)"""


def test_drop_furniture_stops_at_a_stop_line() -> None:
    kept = clean._drop_furniture(PAGE.split("\n"))
    assert "Share on Facebook" not in kept and "Another story that is not this one." not in kept
    assert kept[-1] == "The two leaders discussed the situation on the Korean peninsula at length."


def test_lift_attribution_takes_outlets_and_date() -> None:
    art = Article(id="a", text="")
    kept = ["Body line.", "", "(Compiled from KCNA - April 26, 2019)"]
    assert clean._lift_attribution(kept, art) == ["KCNA"]
    assert kept == ["Body line."] and art.published == "2019-04-26"


def test_read_header_sorts_the_lines() -> None:
    lines = PAGE.split("\n")
    art = Article(id="a", text="")
    head = clean._read_header(lines, list(range(6)), art)
    assert head.heads == ["Kim Jong Un Meets Putin", "Talks held in Vladivostok"]
    assert head.credit_seen and head.sources == ["Rodong Sinmun"]
    assert art.byline == "Ri Hyon Do" and art.published == "2019-04-25"
    assert [lines[i] for i in head.after_credit] == ["Vladivostok, Russia, April 25, 2019"]


def test_caption_is_the_verbless_block_above_the_body() -> None:
    lines = PAGE.split("\n")
    head = clean._read_header(lines, list(range(6)), Article(id="a", text=""))
    assert clean._caption(lines, list(range(6)), head, DEFAULT) == [
        "Vladivostok, Russia, April 25, 2019"]
    short = DEFAULT.with_values([("caption_max_words", 3)])
    assert clean._caption(lines, list(range(6)), head, short) == []


def test_clean_pasted_puts_it_together() -> None:
    art = clean.clean(Article(id="a", text=PAGE, extraction="text"))
    assert (art.title, art.subtitle) == ("Kim Jong Un Meets Putin", "Talks held in Vladivostok")
    assert art.caption == "Vladivostok, Russia, April 25, 2019"
    # (the attribution line follows "Related Articles", which ends the article)
    assert art.source == "Rodong Sinmun" and art.byline == "Ri Hyon Do"
    assert art.text.startswith("Kim Jong Un held talks")


def test_the_header_zone_is_a_setting() -> None:
    narrow = DEFAULT.with_values([("header_max_lines", 2)])
    art = clean.clean(Article(id="a", text=PAGE, extraction="text"), narrow)
    assert art.title is None  # no body within two lines: the page is taken as it is


def test_repeats_are_dropped_from_a_length_on() -> None:
    sentence = "The delegation laid a wreath at the monument to the fallen soldiers today."
    text = f"{sentence} Long live peace! {sentence} Long live peace!"
    art = clean.clean(Article(id="a", text=text))
    assert art.text.count(sentence) == 1 and art.text.count("Long live peace!") == 2
    long_only = DEFAULT.with_values([("repeat_min_chars", 200)])
    assert clean.clean(Article(id="a", text=text), long_only).text.count(sentence) == 2


def test_a_line_of_furniture_phrases_is_tiled_without_backtracking(monkeypatch) -> None:
    # a table where one phrase is two others ("share on" = "share" + "on"): a line of them
    # that fails at its last word has 2**n tilings, which the pattern must not try
    table = {"share": "drop", "on": "drop", "share on": "drop", "print": "drop"}
    monkeypatch.setattr(clean, "furniture", lambda: table)
    clean._furniture_only.cache_clear()
    try:
        assert clean._furniture_action("Share on | Print") == "drop"
        assert clean._furniture_action("Share | Share on Print") == "drop"
        assert clean._furniture_action(" ".join(["share on"] * 40) + " Kim") is None
    finally:
        clean._furniture_only.cache_clear()
