"""The parse helpers several stages share (tidings/syntax.py)."""

from __future__ import annotations

import gc
import weakref

from tidings import syntax


def test_sentences_are_listed_once_and_keep_no_old_doc_alive(nlp) -> None:
    first = nlp("Kim Jong Un met Putin. They signed a treaty.")
    listed = syntax.sentences(first)
    assert [s.text for s in listed] == [s.text for s in first.sents]
    assert syntax.sentences(first) is listed  # asked again: the same list
    gone = weakref.ref(first)
    del first, listed
    second = nlp("The delegation left Pyongyang.")
    assert len(syntax.sentences(second)) == 1
    gc.collect()
    assert gone() is None  # a coded article's Doc is freed once the next is asked about


def test_sentence_index_and_event_at(nlp) -> None:
    doc = nlp("Kim Jong Un met Putin. They signed a treaty in Vladivostok.")
    sents = syntax.sentences(doc)
    at = doc.text.index("signed")
    assert syntax.sentence_index(sents, 0) == 0
    assert syntax.sentence_index(sents, at) == 1
    assert syntax.sentence_index(sents, len(doc.text) + 5) is None
    ev = {"evidence": {"start": sents[1].start_char, "end": sents[1].end_char},
          "trigger": {"start": at, "end": at + len("signed")}}
    where = syntax.EventAt.of(ev, doc, len(doc.text))
    assert (where.s0, where.ts) == (sents[1].start_char, at)
    assert where.span is not None and where.span.text == "signed"
    assert where.verb is not None and where.verb.lemma_ == "sign"


def test_text_and_entities_are_made_once_per_doc(nlp) -> None:
    doc = nlp("Kim Jong Un met Vladimir Putin in Vladivostok on April 25, 2019.")
    assert syntax.doc_text(doc) == doc.text
    assert [(e.start, e.end, e.label_) for e in syntax.entities(doc)] == \
        [(e.start, e.end, e.label_) for e in doc.ents]
    assert syntax.entities(doc) is syntax.entities(doc)  # asked again: the same tuple
    other = nlp("The delegation left Pyongyang.")
    assert syntax.doc_text(other) == "The delegation left Pyongyang."  # the slot moves on
    assert syntax.doc_text(doc) == doc.text


def test_tokens_are_listed_once_per_doc(nlp) -> None:
    doc = nlp("Kim Jong Un met Putin. They signed a treaty.")
    toks = syntax.doc_tokens(doc)
    assert syntax.doc_tokens(doc) is toks and [t.i for t in toks] == [t.i for t in doc]
    second = syntax.sentences(doc)[1]
    assert [t.text for t in syntax.sentence_tokens(second)] == [t.text for t in second]
    other = nlp("Another text.")
    assert syntax.doc_tokens(other) is not toks and len(syntax.doc_tokens(other)) == 3


def test_a_list_read_as_appositions_is_a_list_and_a_true_apposition_is_not(nlp) -> None:
    # the small parser hangs "A, B and C" as B an apposition of A and C a conjunct of B; a
    # conjunct closing the chain tells the list from a true apposition
    doc = nlp("The Kenya Peace Forum, the chairman of the Green Party of Malta and the head of "
              "the People's Party of Panama sent congratulatory messages to Kim Jong Un.")
    forum = next(t for t in doc if t.text == "Forum")
    assert [t.text for t in syntax.listed_appositions(forum)] == ["chairman", "head"]
    doc = nlp("Sergey Lavrov, the foreign minister of Russia, met Wang Yi.")
    lavrov = next(t for t in doc if t.text == "Lavrov")
    assert [t.dep_ for t in lavrov.children if t.dep_ == "appos"] == ["appos"]
    assert syntax.listed_appositions(lavrov) == []


def test_the_word_lists_say_what_each_token_says(nlp) -> None:
    """``words`` reads the Doc's arrays once (issue #11's speed): each list must give, by
    index, what the Token's own attribute gives, with the lemma lower-cased, and the fixed
    lemma of tidings_lemma_fixes ("Staged" → "stage")."""
    doc = nlp("Staged rallies went on in Hanoi.\n\nThe U.S. Forces Korea, they said, "
              "WARNED of drills.")
    wd = syntax.words(doc)
    assert [(wd.pos[t.i], wd.tag[t.i], wd.dep[t.i], wd.lower[t.i], wd.lemma[t.i])
            for t in doc] == [(t.pos_, t.tag_, t.dep_, t.lower_, t.lemma_.lower())
                              for t in doc]
    assert wd.lemma[0] == "stage" and wd.lower[-2] == "drills"
    second = syntax.sentences(doc)[-1]
    verbs = syntax.tokens_with(second, wd.pos, {"VERB"})
    assert [t.text for t in verbs] == [t.text for t in second if t.pos_ == "VERB"]
    assert syntax.words(nlp("")).pos == []
