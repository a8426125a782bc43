"""One interaction told several times in an article → one event with several evidence spans.

News repeats itself: a lead sentence, a recap paragraph and a closing line often tell the same
meeting. Events are folded when they have the same PLOVER type, the same source and target
(actor country and name) and compatible dates (equal, one unknown, or one a coarser prefix of
the other). A telling dated only by the fallback (the publication date or dateline,
``date_source`` "published"/"dateline": the sentence gave no date) is another telling of a
sentence-dated event with the same type, mode, source and target ("an official goodwill visit
to Russia a year ago" ... "His first visit to Russia"), so it folds into it and the sentence
date is kept. Every event then gets a stable ``id`` so that re-coding an article is idempotent.
"""

from __future__ import annotations

import hashlib

from .model import ActorRef, Article, Event, Evidence


def _actor_key(actor: ActorRef | None) -> tuple[str | None, str | None]:
    if not actor:
        return (None, None)
    return (actor.get("country"), actor.get("name") or actor.get("text"))


def _dates_compatible(a: str | None, b: str | None) -> bool:
    """Equal, unknown on one side, or one date a coarser prefix of the other (2019 ~ 2019-04)."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


FALLBACK_DATE_SOURCES = {"published", "dateline"}
"""date_source values of when.date_events that say "no date in the text, the article's date
was used": such a date is a convention, not evidence that the telling is another event."""


def _is_fallback(ev: Event) -> bool:
    return ev.get("date_source") in FALLBACK_DATE_SOURCES


def _compatible(home: Event, ev: Event) -> bool:
    """Tellings of one interaction: compatible sentence dates, or one side dated only by the
    fallback and the same mode (a visit and a meeting are different tellings to keep)."""
    if _dates_compatible(home.get("date"), ev.get("date")):
        return True
    if _is_fallback(home) != _is_fallback(ev):
        return home.get("mode") == ev.get("mode")
    return False


def _better_date(home: Event, ev: Event) -> bool:
    """Whether ev's date should replace home's: a sentence date beats a fallback one; among
    sentence dates (or among fallbacks) the finer compatible one wins."""
    if not ev.get("date"):
        return False
    if _is_fallback(home) != _is_fallback(ev):
        return _is_fallback(home)
    return _finer(home.get("date"), ev.get("date")) != home.get("date")


def _finer(a: str | None, b: str | None) -> str | None:
    if not a:
        return b
    if not b:
        return a
    return a if len(a) >= len(b) else b


def event_id(doc_id: str, event: Event, first_start: int, variant: int = 0) -> str:
    """Stable id: hash of doc id, type, source, target and first evidence offset; ``variant``
    (above 0) tells apart events that share all of these (see ``merge_events``)."""
    parts = [
        str(doc_id),
        str(event.get("event_type")),
        "|".join(str(x) for x in _actor_key(event.get("source"))),
        "|".join(str(x) for x in _actor_key(event.get("target"))),
        str(first_start),
    ] + ([str(variant)] if variant else [])
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _evidence(event: Event) -> Evidence:
    span = event.get("evidence")
    return Evidence(
        start=span.get("start") if span else None,
        end=span.get("end") if span else None,
        sentence_index=event.get("sentence_index"),
    )


def _take_date(home: Event, ev: Event) -> None:
    home["date"] = ev.get("date")
    home["date_precision"] = ev.get("date_precision")
    home["date_text"] = ev.get("date_text")
    home["date_source"] = ev.get("date_source")


def _take_mode(home: Event, ev: Event) -> None:
    """The mode and the numbers that go with it (a telling that names the mode)."""
    home["mode"] = ev.get("mode")
    home["cameo"] = ev.get("cameo")
    home["quad_class"] = ev.get("quad_class")
    home["goldstein"] = ev.get("goldstein")
    home["plover_score"] = ev.get("plover_score")


def merge_events(events: list[Event], article: Article) -> list[Event]:
    """Fold repeated tellings; keep the first telling's fields, the finest sentence date and a
    mode."""
    merged: list[Event] = []
    for ev in events:
        key = (ev.get("event_type"), _actor_key(ev.get("source")), _actor_key(ev.get("target")))
        home = None
        for cand in merged:
            ckey = (
                cand.get("event_type"),
                _actor_key(cand.get("source")),
                _actor_key(cand.get("target")),
            )
            if ckey == key and _compatible(cand, ev):
                home = cand
                break
        if home is None:
            new = ev.copy()
            new["evidences"] = [_evidence(ev)]
            merged.append(new)
            continue
        evid = _evidence(ev)
        tellings = home.setdefault("evidences", [])
        if evid not in tellings:
            tellings.append(evid)
        if _better_date(home, ev):
            _take_date(home, ev)
        if home.get("mode") is None and ev.get("mode") is not None:
            _take_mode(home, ev)
        if home.get("location") is None and ev.get("location") is not None:
            home["location"] = ev["location"]
    _assign_ids(merged, article.id)
    return merged


def _assign_ids(merged: list[Event], doc_id: str) -> None:
    """Each event's id, unique in its article: two events of one triple whose tellings do not
    fold (a dated act and the outlet's undated judgement of it) can begin in the same
    sentence, and the later one then takes the next variant (a store keys events by id)."""
    taken: set[str] = set()
    for ev in merged:
        tellings = ev.setdefault("evidences", [])
        tellings.sort(key=lambda e: (e["start"] is None, e["start"] or 0))
        first = tellings[0]["start"] if tellings else None
        variant = 0
        while (ev_id := event_id(doc_id, ev, first if first is not None else -1,
                                 variant)) in taken:
            variant += 1
        taken.add(ev_id)
        ev["id"] = ev_id
