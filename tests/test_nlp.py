"""The spaCy pipeline as Tidings configures it (tidings/nlp.py)."""

from __future__ import annotations

from tidings import nlp as nlp_mod


def test_pipeline_carries_the_tidings_components(nlp) -> None:
    names = nlp.pipe_names
    assert names.index("tidings_no_break_after_comma") < names.index("parser")
    assert names.index("tidings_line_breaks") < names.index("parser")
    assert names.index("tidings_lemma_fixes") == names.index("lemmatizer") + 1


def test_lemma_fixes_right_the_small_models_stag(nlp) -> None:
    # real wire and KCNA phrasing; the small model's rule lemmatizer gives "stag"
    doc = nlp("Angry activists from the defeated Fatah Party have staged rallies in the Gaza "
              "Strip. The U.S. and the ROK are staging joint drills.")
    assert [t.lemma_ for t in doc if t.lower_ in {"staged", "staging"}] == ["stage", "stage"]
    assert all(row for row in nlp_mod._lemma_fixes().values())


def test_no_sentence_starts_after_a_comma(nlp) -> None:
    text = ("At the invitation of Kim Jong Un, chairman of the Workers' Party of Korea and "
            "chairman of the State Affairs Commission of the Democratic People's Republic of "
            "Korea, Xi Jinping, general secretary of the Central Committee of the Communist "
            "Party of China and president of the People's Republic of China, will pay a state "
            "visit to the DPRK from June 20 to 21.")
    assert len(list(nlp(text).sents)) == 1


def test_a_hyphen_after_an_abbreviation_splits(nlp) -> None:
    """"U.S.-ROK" was one token that named no state; a hyphen after an abbreviation's
    period now splits as one between two words does ("DPRK-Russia")."""
    words = [t.text for t in nlp("The U.S.-Japan-ROK summit and U.K.-France talks, "
                                 "U.S.-led sanctions and a Co.-owned firm.")]
    assert words[:7] == ["The", "U.S.", "-", "Japan", "-", "ROK", "summit"]
    assert ["U.K.", "-", "France"] == words[8:11]
    assert ["U.S.", "-", "led"] == words[13:16]
    assert "Co.-owned" in words  # only a capital's period: not a word's abbreviation


def test_the_components_read_the_word_arrays_as_the_tokens_do(nlp) -> None:
    """Both components find their words in the Doc's arrays of string ids (issue #11's
    speed): a capitalised form is fixed as its lower case is, the last token may be a
    comma with no token after it, and an empty text has no tokens."""
    doc = nlp("Staged rallies went on, they said; STAGED again:")
    assert doc[0].lemma_ == "stage" and doc[8].text == "STAGED" and doc[8].lemma_ == "stage"
    assert not doc[5].is_sent_start and not doc[8].is_sent_start  # after "," and ";"
    assert nlp_mod._positions(doc, "ORTH", {",", ";"}) == [4, 7]
    assert nlp_mod._positions(doc, "ORTH", {":"}, stop=-1) == []  # the last token: no next
    assert len(nlp("")) == 0 and len(nlp(",")) == 1


def test_a_bracket_glued_to_a_word_splits(nlp) -> None:
    """"Republic of Korea(DPRK)" was one token "Korea(DPRK", and the name that ended at
    "Republic of" was read as the ROK; a bracket glued before a capital now splits."""
    words = [t.text for t in nlp("The Democratic People's Republic of Korea(DPRK) fired "
                                 "a missile, the Republic of Korea(ROK) said; item(s) sold.")]
    assert words[6:10] == ["Korea", "(", "DPRK", ")"]
    assert words[17:21] == ["Korea", "(", "ROK", ")"]
    assert "item(s" in words  # no capital after the bracket: as before


def test_a_line_after_a_finished_sentence_or_opening_with_a_list_mark_starts_one(nlp) -> None:
    """A digest gives each news item a line opened by "- "; the model ran items, and the
    headings above them, together. A break inside a sentence, before a capitalised name,
    still joins its two lines, and so does a break after a colon."""
    text = ("Following are the day's main items:\n"
            "- A trade delegation of Laos arrived here.\n"
            "- A Cuban youth delegation left here.\n"
            "Minju Joson\n"
            "- An article says that the talks were useful.\n"
            "The people will always remember\n"
            "Kim Il Sung's exploits, it said.\n"
            "The minister told reporters \"We will go.\"\n"
            "Then he left for Hanoi.")
    sents = [s.text.strip() for s in nlp(text).sents]
    assert "- A trade delegation of Laos arrived here." in sents
    assert "- A Cuban youth delegation left here." in sents
    assert "- An article says that the talks were useful." in sents
    assert "The people will always remember\nKim Il Sung's exploits, it said." in sents
    assert "Then he left for Hanoi." in sents
    assert not any(s.startswith("Minju Joson\n-") for s in sents)
    assert [s.text for s in nlp("- \n-").sents]  # marks alone: no error
