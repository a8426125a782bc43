"""Minimal event dicts at given trigger words, for testing the date and place stages alone."""

from __future__ import annotations

from typing import Any


def events_at(doc: Any, triggers: list[str]) -> list[dict]:
    """One event per trigger: its sentence as evidence, the trigger's characters as trigger."""
    evs = []
    for trig in triggers:
        i = doc.text.index(trig)
        sent = next(s for s in doc.sents if s.start_char <= i < s.end_char)
        evs.append(
            {
                "sentence_index": 0,
                "evidence": {"start": sent.start_char, "end": sent.end_char},
                "trigger": {"start": i, "end": i + len(trig)},
            }
        )
    return evs
