"""One event however many articles report it: clusters of event mentions across articles.

A stored event is a *mention*: one article's telling of one interaction. The same interaction
reported by KCNA and by Rodong Sinmun, or filed twice by KCNA, is several mentions of one
event. ``cluster`` groups mentions that have

* the same dyad, at country level (source country → target country; the actor code or name
  where an actor has no country), because outlets name one actor at different precision
  ("Kim Jong Un", PRKGOV; "the DPRK", PRK),
* the same PLOVER event type,
* dates within ``CLOSE_DAYS`` of every other mention's (day-precision dates; the event's date,
  else its article's publication date); dates known only to the month or year join only
  mentions with the same date string,
* the same place where both mentions have one (country and name); a mention without a
  place joins a cluster with one.

Counts follow GDELT's NumMentions / NumSources / NumArticles over article *families* (an
article with its republications, abridgments and later versions, dedup.py and the store):
``num_articles`` distinct families, ``num_mentions`` tellings (evidence spans) in originals,
``num_sources`` distinct outlets, ``num_copies`` mentions in copies, which count for nothing
else. ``avg_tone`` is the mean tone of the families (tone.py), GDELT's AvgTone.

Everything here is a pure function of event dicts as ``Store.events`` returns them (with
``article``: {id, source, ...}), so the store, the exporters and the tests share it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

# Reports of one event fall within a couple of days of each other: KCNA files a meeting on the
# day or the day after (and an undated sentence takes the dateline date), Rodong Sinmun prints
# it the next morning. 2 days from a cluster's first date covers both lags, and stays well short
# of the gap between separate events of one dyad and type in the corpus (a delegation's
# arrival, talks and departure are days apart and are different PLOVER types anyway).
CLOSE_DAYS = 2


def event_key(event: Mapping[str, Any]) -> str:
    """A mention's identity across the store: article id + event id."""
    art = event.get("article") or {}
    return f"{art.get('id') or event.get('doc_id')}::{event.get('id')}"


def article_id(event: Mapping[str, Any]) -> str | None:
    art = event.get("article") or {}
    return art.get("id") or event.get("doc_id")


def _actor_key(actor: Mapping[str, Any] | None) -> str:
    if not actor:
        return "-"
    for k in ("country", "code", "name", "text"):
        v = actor.get(k)
        if v:
            return str(v).upper()
    return "?"


def bucket_key(event: Mapping[str, Any]) -> str:
    """ "SOURCE|TARGET|TYPE": only mentions with the same key can be one event."""
    return "|".join(
        (_actor_key(event.get("source")), _actor_key(event.get("target")),
         str(event.get("event_type") or ""))
    )  # fmt: skip


def cluster_date(event: Mapping[str, Any]) -> str | None:
    """The event's date, or its article's publication date when it has none."""
    d = event.get("date")
    if d:
        return str(d)
    art = event.get("article") or {}
    return art.get("published")


def _ordinal(d: str | None) -> int | None:
    """Day number of a YYYY-MM-DD date; None for coarser or unreadable dates."""
    if not d or len(d) != 10:
        return None
    try:
        return Date.fromisoformat(d).toordinal()
    except ValueError:
        return None


def place_of(event: Mapping[str, Any]) -> tuple[str, str] | None:
    loc = event.get("location")
    if not loc:
        return None
    name = loc.get("name") or loc.get("text") or ""
    return (str(loc.get("country") or ""), str(name).casefold())


def fits(
    date: str | None,
    place: tuple[str, str] | None,
    members: Iterable[tuple[str | None, tuple[str, str] | None]],
    close_days: int = CLOSE_DAYS,
) -> bool:
    """Whether a mention (date, place) can join a cluster whose mentions are ``members``.

    Every member's date must be within ``close_days`` of it (both day-precision) or equal to
    it (coarser dates), and every member's place must equal it where both are known, so a
    cluster never spans more than ``close_days``.
    """
    day = _ordinal(date)
    for m_date, m_place in members:
        m_day = _ordinal(m_date)
        if day is not None and m_day is not None:
            if abs(day - m_day) > close_days:
                return False
        elif date != m_date:
            return False
        if place and m_place and place != m_place:
            return False
    return True


def window(date: str | None, close_days: int = CLOSE_DAYS) -> tuple[str, str] | None:
    """(first, last) YYYY-MM-DD a cluster-mate of a day-precision date can have, for a store's
    range query; None for coarser dates (their mates have the same date string)."""
    day = _ordinal(date)
    if day is None:
        return None
    lo = Date.fromordinal(day - close_days).isoformat()
    hi = Date.fromordinal(day + close_days).isoformat()
    return lo, hi


def cluster_id_for(first_key: str) -> str:
    return "c-" + hashlib.sha1(first_key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Cluster:
    """One event: its mentions and GDELT-style counts."""

    id: str
    bucket: str
    date: str | None
    members: list[str] = field(default_factory=list)  # event keys, in date order
    representative: str = ""  # event key of the mention that stands for the cluster
    num_mentions: int = 0
    num_articles: int = 0
    num_sources: int = 0
    num_copies: int = 0
    avg_tone: float | None = None
    places: list[tuple[str | None, tuple[str, str] | None]] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        return {
            "cluster_id": self.id,
            "num_mentions": self.num_mentions,
            "num_sources": self.num_sources,
            "num_articles": self.num_articles,
            "num_copies": self.num_copies,
            "avg_tone": self.avg_tone,
        }


@dataclass(frozen=True)
class Member:
    """What counting needs of one mention (the store builds these from rows)."""

    key: str
    article: str
    family: str  # the original's article id; == article for an original
    source: str | None  # outlet
    spans: int  # tellings folded into the mention (evidence spans), at least 1
    tone: float | None  # the article's tone


def tally(members: Iterable[Member]) -> dict[str, Any]:
    """GDELT-style counts of one cluster; near-duplicate copies are counted once.

    num_articles: distinct families; num_mentions: tellings in originals (a family seen only
    through a copy counts its copy's tellings once); num_sources: distinct outlets over all
    mentions; num_copies: mentions in copies; avg_tone: mean tone over families (the
    original's tone, or a copy's when the original does not mention the event).
    """
    spans_by_family: dict[str, int] = {}
    copy_spans: dict[str, int] = {}
    tone_by_family: dict[str, float | None] = {}
    sources: set[str] = set()
    copies = 0
    representative = None
    for m in members:
        if m.source:
            sources.add(m.source.casefold())
        if m.article != m.family:
            copies += 1
            copy_spans.setdefault(m.family, max(1, m.spans))
            if m.tone is not None:
                tone_by_family.setdefault(m.family, m.tone)
            continue
        if representative is None:
            representative = m.key
        spans_by_family[m.family] = spans_by_family.get(m.family, 0) + max(1, m.spans)
        if m.tone is not None:
            tone_by_family[m.family] = m.tone
    for fam, n in copy_spans.items():
        spans_by_family.setdefault(fam, n)
    tones = [t for t in tone_by_family.values() if t is not None]
    return {
        "representative": representative,
        "num_mentions": sum(spans_by_family.values()),
        "num_articles": len(spans_by_family),
        "num_sources": len(sources),
        "num_copies": copies,
        "avg_tone": round(sum(tones) / len(tones), 4) if tones else None,
    }


def _member(
    ev: Mapping[str, Any],
    families: Mapping[str, str],
    tones: Mapping[str, float | None],
) -> Member:
    aid = article_id(ev) or "?"
    art = ev.get("article") or {}
    return Member(
        key=event_key(ev),
        article=aid,
        family=families.get(aid, aid),
        source=art.get("source"),
        spans=max(1, len(ev.get("evidences") or [])),
        tone=tones.get(aid, art.get("tone")),
    )


def cluster(
    events: Iterable[Mapping[str, Any]],
    families: Mapping[str, str] | None = None,
    tones: Mapping[str, float | None] | None = None,
    close_days: int = CLOSE_DAYS,
) -> list[Cluster]:
    """Group mentions into clusters, returned in the order of their first mention.

    ``families`` maps a copy's article id to its original's (dedup.link, or the store's
    near-duplicate and version links); ``tones`` maps article id → tone. Mentions are taken
    in date order, originals before copies; a copy's mention joins a cluster of its family
    with the same dyad and type whatever its date (an abridgment may lose the sentence that
    dated the event), else it is placed like any mention. A cluster's id derives from its first
    mention, so it is stable while no earlier mention joins. The store assigns the same
    clusters incrementally (store/base.py), so both agree when articles arrive in date order.
    """
    families = families or {}
    tones = tones or {}
    evs = list(events)

    def is_copy(i: int) -> bool:
        aid = article_id(evs[i]) or "?"
        return families.get(aid, aid) != aid

    order = sorted(
        range(len(evs)),
        key=lambda i: (is_copy(i), cluster_date(evs[i]) is None, cluster_date(evs[i]) or "", i),
    )
    by_bucket: dict[str, list[Cluster]] = {}
    families_in: dict[str, set[str]] = {}  # cluster id -> families of its original mentions
    members: dict[str, list[Member]] = {}
    made: list[Cluster] = []
    for i in order:
        ev = evs[i]
        bucket = bucket_key(ev)
        d = cluster_date(ev)
        place = place_of(ev)
        member = _member(ev, families, tones)
        chosen: Cluster | None = None
        if member.article != member.family:
            chosen = next(
                (c for c in by_bucket.get(bucket, []) if member.family in families_in[c.id]),
                None,
            )
        if chosen is None:
            chosen = next(
                (c for c in by_bucket.get(bucket, []) if fits(d, place, c.places, close_days)),
                None,
            )
        if chosen is None:
            chosen = Cluster(cluster_id_for(member.key), bucket, d)
            by_bucket.setdefault(bucket, []).append(chosen)
            families_in[chosen.id] = set()
            members[chosen.id] = []
            made.append(chosen)
        chosen.members.append(member.key)
        chosen.places.append((d, place))
        members[chosen.id].append(member)
        if member.article == member.family:
            families_in[chosen.id].add(member.family)
    for c in made:
        t = tally(members[c.id])
        c.representative = t.pop("representative") or c.members[0]
        for k, v in t.items():
            setattr(c, k, v)
    return made


def assign(clusters: Iterable[Cluster]) -> dict[str, Cluster]:
    """event key → its cluster."""
    return {key: c for c in clusters for key in c.members}


def annotate(
    events: Iterable[Mapping[str, Any]],
    families: Mapping[str, str] | None = None,
    tones: Mapping[str, float | None] | None = None,
    close_days: int = CLOSE_DAYS,
) -> list[dict[str, Any]]:
    """Every mention with its cluster's id and counts added (``cluster_id``, ``num_*``)."""
    evs = [dict(e) for e in events]
    by_key = assign(cluster(evs, families, tones, close_days))
    for ev in evs:
        ev.update(by_key[event_key(ev)].counts())
    return evs


def unique(
    events: Iterable[Mapping[str, Any]],
    families: Mapping[str, str] | None = None,
    tones: Mapping[str, float | None] | None = None,
    close_days: int = CLOSE_DAYS,
) -> list[dict[str, Any]]:
    """One event per cluster: its representative mention (first telling in an original
    article) with the cluster's counts, in the order of the clusters' first mentions."""
    evs = [dict(e) for e in events]
    by_key = {event_key(e): e for e in evs}
    out = []
    for c in cluster(evs, families, tones, close_days):
        ev = dict(by_key[c.representative])
        ev.update(c.counts())
        out.append(ev)
    return out
