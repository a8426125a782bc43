"""The dates stage step by step: each alternative of the expression pattern, then each step
that dates an event (when.STEPS), then the fallback."""

from __future__ import annotations

import pytest
from eventspans import events_at

from tidings import when
from tidings.model import Article
from tidings.settings import DEFAULT

ANCHOR = "2024-08-07"  # a Wednesday


@pytest.mark.parametrize(("text", "expr", "value", "precision", "kind"), [
    ("in Juche 113 (2024)", "Juche 113 (2024)", "2024", "year", "absolute"),
    ("on April 25, 2019 he", "April 25, 2019", "2019-04-25", "day", "absolute"),
    ("on Aug. 13-15", "Aug. 13-15", "2024-08-13", "day", "relative"),
    ("on 25 April 2019", "25 April 2019", "2019-04-25", "day", "absolute"),
    ("in early October 2013", "early October 2013", "2013-10", "month", "absolute"),
    ("in October", "October", "2023-10", "month", "relative"),
    ("last March", "last March", "2024-03", "month", "relative"),
    ("yesterday", "yesterday", "2024-08-06", "day", "relative"),
    ("last week", "last week", "2024-07", "month", "relative"),
    ("three days ago", "three days ago", "2024-08-04", "day", "relative"),
    ("a year since", "a year since", "2023-08", "month", "since"),
    ("on Friday", "Friday", "2024-08-02", "day", "relative"),
    ("on the 4th of last month", "on the 4th of last month", "2024-07-04", "day", "relative"),
    ("in 2019 the", "2019", "2019", "year", "absolute"),
])
def test_each_alternative_of_the_pattern(text, expr, value, precision, kind) -> None:
    (te,) = when.resolve(text, ANCHOR)
    assert (te.text, te.value, te.precision, te.kind) == (expr, value, precision, kind)


@pytest.mark.parametrize("text", [
    "the June 15 joint declaration", "on the 10th anniversary", "2000 troops", "Unit 731",
    "for 76 years since its birth",
])
def test_what_is_not_a_date(text) -> None:
    assert [te.value for te in when.resolve(text, ANCHOR) if te.value] == []


def test_the_future_tolerance_is_a_setting() -> None:
    # "August 30" in an article of August 7: within 31 days ahead, this year's; a month-day
    # further ahead than the tolerance is last year's
    assert when.resolve("on August 30", ANCHOR)[0].value == "2024-08-30"
    short = DEFAULT.with_values([("future_tolerance_days", 10)])
    assert when.resolve("on August 30", ANCHOR, short)[0].value == "2023-08-30"


def test_steps_in_their_documented_order() -> None:
    assert [s.__name__ for s in when.STEPS] == [
        "sentence_date", "context_date", "same_object_date"]


def _dating(nlp, text: str, trigger: str, **article):
    doc = nlp(text)
    art = Article(id="x", text=text, **article)
    ev = events_at(doc, [trigger])[0]
    anchor = when._as_date(art.dateline_date) or when._as_date(art.published)
    d = when._Dating(doc, art, [te for te in when.resolve(text, anchor) if te.value], DEFAULT)
    return ev, when._Trigger.of(ev, doc, len(doc.text)), d


def test_sentence_date(nlp) -> None:
    ev, at, d = _dating(nlp, "The minister left for Moscow on August 3.", "left",
                        dateline_date="2024-08-07")
    te, source = when.sentence_date(ev, at, d)
    assert (te.value, source) == ("2024-08-03", "sentence")
    assert when.context_date(ev, at, d) is None  # no sentence before


def test_context_date(nlp) -> None:
    text = ("Kim Jong Un received a message of greeting from V. Putin on August 13. "
            "In the message, the Russian president extended heartfelt congratulations.")
    ev, at, d = _dating(nlp, text, "extended", dateline_date="2024-08-16")
    assert when.sentence_date(ev, at, d) is None
    te, source = when.context_date(ev, at, d)
    assert (te.value, source) == ("2024-08-13", "context")
    narrow = when._Dating(d.doc, d.article, d.exprs,
                          DEFAULT.with_values([("date_carry_back_sentences", 0)]))
    assert when.context_date(ev, at, narrow) is None


def test_same_object_date(nlp) -> None:
    text = ("Kim Jong Un received a floral basket from the Lao president. "
            "The Lao ambassador handed over the floral basket to officials on Sept. 4.")
    ev, at, d = _dating(nlp, text, "received a floral basket", dateline_date="2024-09-06")
    te, source = when.same_object_date(ev, at, d)
    assert (te.value, source) == ("2024-09-04", "context")


def test_fallback(nlp) -> None:
    text = "The delegation left for home."
    doc = nlp(text)
    for article, expected in [
        (Article(id="x", text=text, dateline_date="2024-08-04", published="2024-08-05"),
         ("2024-08-04", "dateline")),
        (Article(id="x", text=text, published="2024-08-05"), ("2024-08-05", "published")),
        (Article(id="x", text=text), (None, None)),
    ]:
        (ev,) = when.date_events(events_at(doc, ["left"]), doc, article)
        assert (ev["date"], ev["date_source"]) == expected
