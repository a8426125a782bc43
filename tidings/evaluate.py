"""Measurement: score coded events against gold sets.

The scoring rules are those of ``tests/data/gold/README.md`` (the held-out evaluation uses them
too), so this module follows them literally; docs/annotation.md says how gold is made.

Choices the README leaves open, fixed here:

* **Several predicted events → one triple.** A document's predicted events are reduced to
  distinct (type, source country, target country) triples in input order. The triple carries
  the evidence sentence and rule of its *first* event, and for date and location the first
  non-null value among its events (in input order).
* **Matching order.** Among all ways to pair triples with gold events, the scorer takes a
  maximum matching between triples and *required* gold events (augmenting paths), so a
  triple that could match a required and an optional gold event serves the required one, and
  no triple is paired greedily in a way that costs a true positive. Every triple left unpaired
  that still matches some gold event (optional, or a required one already taken) is ignored;
  the rest are false positives. Optional matches are never counted as true positives.
* **Date and location accuracy** are computed over true positives (matched required gold
  events); a gold event with ``date: null`` is not counted for dates, one with
  ``location: null`` not counted for locations.
* Predicted events whose ``doc_id`` is not a gold document are ignored (and counted).
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .gold import SPLITS, split_of
from .ontology import OLD_TYPE_NAMES

# The PLOVER 2 types, and the older names plover_gsr_dev.jsonl uses (gold README), are the
# ontology's: one list for the coder and the scorer.
OLD_TYPES = OLD_TYPE_NAMES

# PLOVER quad categories (plover_event_types_modes_scores.tsv) as the 1-4 labels of the
# ConfliBERT cameo_class set; 0 there is "statement / no event".
QUAD_OF_TYPE = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}
QUAD_NAMES = ("statement/none", "verbal coop", "material coop", "verbal conflict",
              "material conflict")  # fmt: skip


def norm_type(t: str | None) -> str | None:
    """Upper-case a type and map the old PLOVER names onto PLOVER 2."""
    if t is None:
        return None
    t = t.strip().upper()
    return OLD_TYPES.get(t, t)


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Triple:
    type: str | None
    source: str | None
    target: str | None

    def __str__(self) -> str:
        return f"{self.type} {self.source or '-'} -> {self.target or '-'}"


@dataclass
class _Pred:
    """One distinct predicted triple of a document, with what its events said."""

    triple: Triple
    date: str | None = None
    location: str | None = None
    sentence: str | None = None
    rule: str | None = None
    n_events: int = 0


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        """Pool another set of counts into these (folds, splits)."""
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}  # fmt: skip


@dataclass
class Report:
    """Scores of one gold set; ``errors`` lists every false positive and false negative."""

    overall: Counts = field(default_factory=Counts)
    per_type: dict[str, Counts] = field(default_factory=dict)
    date_correct: int = 0
    date_total: int = 0
    location_correct: int = 0
    location_total: int = 0
    # matched events the gold leaves unplaced (§8: messages, statements ...) and how many of
    # them the coder placed anyway: what location accuracy, by the scoring rules, ignores
    unplaced_total: int = 0
    unplaced_placed: int = 0
    documents: int = 0
    gold_events: int = 0  # required gold events
    optional_gold: int = 0
    predicted_events: int = 0  # events on gold documents
    predicted_triples: int = 0
    ignored_triples: int = 0  # matched only optional or already-matched gold
    unknown_doc_events: int = 0  # predicted events for documents not in the gold set
    errors: list[dict[str, Any]] = field(default_factory=list)
    # matched events whose date or place is wrong: what the date and location accuracies
    # count against, listed so that a developer can read them (never for the test split)
    misplaced: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # documents the pipeline could not code
    name: str = ""

    @property
    def precision(self) -> float:
        return self.overall.precision

    @property
    def recall(self) -> float:
        return self.overall.recall

    @property
    def f1(self) -> float:
        return self.overall.f1

    @property
    def date_accuracy(self) -> float | None:
        return self.date_correct / self.date_total if self.date_total else None

    @property
    def location_accuracy(self) -> float | None:
        return self.location_correct / self.location_total if self.location_total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, **self.overall.to_dict(),
            "per_type": {t: c.to_dict() for t, c in sorted(self.per_type.items())},
            "date_accuracy": self.date_accuracy, "date_total": self.date_total,
            "location_accuracy": self.location_accuracy, "location_total": self.location_total,
            "documents": self.documents, "gold_events": self.gold_events,
            "optional_gold": self.optional_gold, "predicted_events": self.predicted_events,
            "predicted_triples": self.predicted_triples, "ignored_triples": self.ignored_triples,
            "unknown_doc_events": self.unknown_doc_events, "errors": self.errors,
            "failures": self.failures,
        }  # fmt: skip


# ---------------------------------------------------------------- scoring


def _country(actor: Any) -> str | None:
    if isinstance(actor, dict):
        return actor.get("country")
    if isinstance(actor, str):  # tolerate flat codes
        return actor
    return None


def _event_type(ev: dict[str, Any]) -> str | None:
    return norm_type(ev.get("event_type") or ev.get("type"))


def reduce_events(events: Iterable[dict[str, Any]]) -> list[_Pred]:
    """Distinct triples of one document's events, in first-seen order (see module doc)."""
    out: dict[Triple, _Pred] = {}
    for ev in events:
        t = Triple(_event_type(ev), _country(ev.get("source")), _country(ev.get("target")))
        p = out.get(t)
        if p is None:
            p = out[t] = _Pred(t, sentence=ev.get("sentence") or ev.get("event_text"),
                               rule=ev.get("rule"))  # fmt: skip
        p.n_events += 1
        if p.date is None and ev.get("date"):
            p.date = str(ev["date"])
        if p.location is None:
            p.location = _country(ev.get("location"))
    return list(out.values())


def matches(triple: Triple, gold: dict[str, Any]) -> bool:
    """The README's match test: type equal, countries in the lists (empty = any), symmetric."""
    if triple.type != norm_type(gold.get("type")):
        return False
    src, tgt = gold.get("source") or [], gold.get("target") or []

    def ok(value: str | None, allowed: list[str]) -> bool:
        return not allowed or value in allowed

    if ok(triple.source, src) and ok(triple.target, tgt):
        return True
    return bool(gold.get("symmetric")) and ok(triple.target, src) and ok(triple.source, tgt)


def _max_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn's augmenting paths): left index → right index."""
    match_right: dict[int, int] = {}

    def augment(u: int, seen: set[int]) -> bool:
        for v in edges.get(u, ()):
            if v in seen:
                continue
            seen.add(v)
            if v not in match_right or augment(match_right[v], seen):
                match_right[v] = u
                return True
        return False

    for u in sorted(edges):
        augment(u, set())
    return {u: v for v, u in match_right.items()}


def _gold_triple(g: dict[str, Any]) -> Triple:
    def show(xs: list[str]) -> str | None:
        return "|".join(xs) if xs else None

    return Triple(norm_type(g.get("type")), show(g.get("source") or []),
                  show(g.get("target") or []))  # fmt: skip


def _score_date_place(doc_id: str, p: _Pred, g: dict[str, Any], report: Report) -> None:
    """A matched event's date and place against the gold's, where the gold gives them."""
    wrong = []
    if g.get("date"):
        report.date_total += 1
        right = bool(p.date and p.date.startswith(str(g["date"])))
        report.date_correct += right
        wrong += [] if right else ["DATE"]
    if g.get("location"):
        report.location_total += 1
        report.location_correct += p.location == g["location"]
        wrong += [] if p.location == g["location"] else ["PLACE"]
    else:
        report.unplaced_total += 1
        report.unplaced_placed += bool(p.location)
    for kind in wrong:
        report.misplaced.append({"kind": kind, "doc_id": doc_id, "triple": str(p.triple),
                                 "evidence": p.sentence, "rule": p.rule,
                                 "date": f"{p.date or '-'} (gold {g.get('date') or '-'})",
                                 "location": f"{p.location or '-'} (gold "
                                             f"{g.get('location') or '-'})"})


def score_document(doc: dict[str, Any], events: list[dict[str, Any]], report: Report) -> None:
    """Add one document's matches and errors to ``report``."""
    gold = doc.get("events") or []
    preds = reduce_events(events)
    required = [i for i, g in enumerate(gold) if not g.get("optional")]
    report.documents += 1
    report.gold_events += len(required)
    report.optional_gold += len(gold) - len(required)
    report.predicted_events += len(events)
    report.predicted_triples += len(preds)

    edges = {pi: [gi for gi in required if matches(p.triple, gold[gi])]
             for pi, p in enumerate(preds)}  # fmt: skip
    pairing = _max_matching(edges)
    matched_gold = set(pairing.values())

    def counts(t: str | None) -> Counts:
        return report.per_type.setdefault(t or "?", Counts())

    for pi, p in enumerate(preds):
        if pi in pairing:
            report.overall.tp += 1
            counts(p.triple.type).tp += 1
            _score_date_place(doc["id"], p, gold[pairing[pi]], report)
        elif any(matches(p.triple, g) for g in gold):
            report.ignored_triples += 1
        else:
            report.overall.fp += 1
            counts(p.triple.type).fp += 1
            report.errors.append({"kind": "FP", "doc_id": doc["id"], "triple": str(p.triple),
                                  "evidence": p.sentence, "rule": p.rule, "date": p.date,
                                  "location": p.location})  # fmt: skip
    for gi in required:
        if gi not in matched_gold:
            g = gold[gi]
            report.overall.fn += 1
            counts(norm_type(g.get("type"))).fn += 1
            report.errors.append({"kind": "FN", "doc_id": doc["id"],
                                  "triple": str(_gold_triple(g)), "evidence": g.get("evidence"),
                                  "rule": None, "date": g.get("date"),
                                  "location": g.get("location")})  # fmt: skip


def evaluate_events(gold_docs: list[dict[str, Any]], predicted: Iterable[dict[str, Any]],
                    name: str = "") -> Report:  # fmt: skip
    """Pure scoring of predicted event dicts (keyed by ``doc_id``) against gold documents."""
    report = Report(name=name)
    ids = {d["id"] for d in gold_docs}
    if len(ids) != len(gold_docs):
        raise ValueError("gold document ids are not unique (see unique_ids)")
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in predicted:
        if ev.get("doc_id") in ids:
            by_doc[ev["doc_id"]].append(ev)
        else:
            report.unknown_doc_events += 1
    for doc in gold_docs:
        score_document(doc, by_doc.get(doc["id"], []), report)
    return report


# ---------------------------------------------------------------- running the pipeline


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold documents of a JSONL file (blank lines skipped)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def unique_ids(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents with repeated ids renamed ``id#2``, ``id#3`` (plover_gsr_dev.jsonl repeats
    one), since predictions are routed to documents by id."""
    seen: Counter[str] = Counter()
    out = []
    for d in docs:
        seen[d["id"]] += 1
        out.append(d if seen[d["id"]] == 1 else {**d, "id": f"{d['id']}#{seen[d['id']]}"})
    return out


def read_predictions(path: str | Path) -> Iterator[dict[str, Any]]:
    """Event dicts from the JSONL that ``tidings`` emits (one event a line)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def evaluate(gold_path: str | Path,
             predictions: Iterable[dict[str, Any]] | str | Path) -> Report:  # fmt: skip
    """Score already-coded events (dicts, or a JSONL path) against a gold file."""
    if isinstance(predictions, str | Path):
        predictions = read_predictions(predictions)
    return evaluate_events(unique_ids(load_gold(gold_path)), predictions, name=str(gold_path))


def _code(articles: Iterable[Any],
          use_model: bool = True) -> Iterator[tuple[str | None, list[dict[str, Any]]]]:
    """(coded text, events) per article, in order; a failure (not English, empty, internal
    error) gives (None, [{"failure": reason}]); the caller counts it and scores no events."""
    from tidings.pipeline import code_articles  # imported late: heavy, and scoring needs none

    for item in code_articles(articles, settings={"decider": "model" if use_model else "rules"}):
        events = getattr(item, "events", None)
        article = getattr(item, "article", None)
        if events is None or article is None:
            yield None, [{"failure": str(item)}]
        else:
            yield article.text, [{**ev, "doc_id": ev.get("doc_id") or article.id}
                                 for ev in events]  # fmt: skip


def _article(doc: dict[str, Any]) -> Any:
    from tidings.model import Article

    return Article(id=doc["id"], text=doc["text"], title=doc.get("title"),
                   published=doc.get("date"), source=doc.get("source"))  # fmt: skip


def code_gold(docs: list[dict[str, Any]],
              use_model: bool = True) -> tuple[list[dict[str, Any]], list[str]]:
    """Code each gold document's text with the pipeline: (events, failures)."""
    predicted: list[dict[str, Any]] = []
    failures: list[str] = []
    coded = _code((_article(d) for d in docs), use_model=use_model)
    for doc, (text, events) in zip(docs, coded, strict=True):
        if text is None:
            failures.append(events[0]["failure"])
            continue
        predicted.extend({**ev, "doc_id": doc["id"]} for ev in events)
    return predicted, failures


def run_gold(path: str | Path, limit: int | None = None) -> Report:
    """Code each gold document's text with the pipeline and score it."""
    docs = unique_ids(load_gold(path))
    docs = docs[:limit] if limit else docs
    predicted, failures = code_gold(docs)
    report = evaluate_events(docs, predicted, name=str(path))
    report.failures = failures
    return report


def run_gold_splits(path: str | Path, limit: int | None = None,
                    splits: Iterable[str] = SPLITS,
                    use_model: bool = True) -> dict[str, Report]:
    """Code a gold file once and score each of its splits apart (tidings.gold): the
    project's gold reports train, dev and test side by side. A file whose documents carry
    no split (the external sets) gives one report under ``"all"``."""
    docs = unique_ids(load_gold(path))
    docs = docs[:limit] if limit else docs
    wanted = set(splits)
    if all(split_of(d) is None for d in docs):
        groups = {"all": docs}
    else:
        groups = {s: [d for d in docs if split_of(d) == s] for s in SPLITS if s in wanted}
    coded = [d for group in groups.values() for d in group]
    predicted, failures = code_gold(coded, use_model=use_model)
    reports: dict[str, Report] = {}
    for name, group in groups.items():
        ids = {d["id"] for d in group}
        rep = evaluate_events(group, [e for e in predicted if e["doc_id"] in ids],
                              name=f"{path} [{name}]")
        rep.failures = [f for f in failures if f.split(":", 1)[0] in ids]
        reports[name] = rep
    return reports


def sentence_quad(events: Iterable[dict[str, Any]]) -> int:
    """The 0-4 label of a sentence from our CAMEO codes (Phoenix "PentaClass").

    The ConfliBERT cameo_class labels group CAMEO roots as phoenix_pipeline does (01-02 → 0,
    03-05 → 1, 06-08 → 2, 09-13 and 16 → 3, the rest → 4), so each event is read through
    ``ontology.phoenix_quad`` of its ``cameo``; an event without a code falls back to its
    PLOVER type's category. Several events: the one whose trigger comes first, since each
    ConfliBERT sentence is annotated for one event, the main clause's, which news syntax puts
    before the events of its complements. Measured on train.tsv (1,349 sentences): first
    59.9%, most frequent class 58.6%, most severe 58.6%. No event: 0.
    """
    from tidings import ontology  # imported late: scoring needs no tables otherwise

    def at(ev: dict[str, Any]) -> int:
        span = ev.get("trigger") or ev.get("evidence") or {}
        return span.get("start", 0) if isinstance(span, dict) else 0

    for ev in sorted(events, key=at):
        q = ontology.phoenix_quad(ev.get("cameo"))
        if q is None:
            q = QUAD_OF_TYPE.get(_event_type(ev) or "", 0)
        return q
    return 0


@dataclass
class QuadReport:
    total: int = 0
    correct: int = 0
    confusion: list[list[int]] = field(default_factory=lambda: [[0] * 5 for _ in range(5)])
    failed: int = 0  # sentences the pipeline could not code (scored as no event)
    name: str = ""

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def read_quad_tsv(path: str | Path, limit: int | None = None) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2 and row[-1].strip().isdigit():
                rows.append(("\t".join(row[:-1]), int(row[-1])))
            if limit and len(rows) >= limit:
                break
    return rows


def quad_class_accuracy(tsv_path: str | Path, limit: int | None = None) -> QuadReport:
    """Accuracy and confusion (rows gold, columns predicted) on the ConfliBERT 0-4 labels."""
    rows = read_quad_tsv(tsv_path, limit)
    rep = QuadReport(name=str(tsv_path))
    arts = [_article({"id": f"quad-{i}", "text": s}) for i, (s, _) in enumerate(rows)]
    for (_, gold), (text, events) in zip(rows, _code(arts), strict=True):
        if text is None:
            rep.failed += 1
            events = []
        pred = sentence_quad(events)
        rep.total += 1
        rep.correct += pred == gold
        rep.confusion[gold][pred] += 1
    return rep


def _span(text: str, span: dict[str, Any]) -> tuple[int, int] | None:
    """A gold span's offsets, repaired from its text when they do not match (SOURCE.txt)."""
    s, e, t = span.get("start"), span.get("end"), span.get("text") or ""
    if isinstance(s, int) and isinstance(e, int) and text[s:e] == t:
        return s, e
    hits, i = [], text.find(t) if t else -1
    while i >= 0:
        hits.append(i)
        i = text.find(t, i + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(h - (s if isinstance(s, int) else 0)))
    return best, best + len(t)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class LocationReport:
    total: int = 0  # items
    with_event: int = 0  # items where an event's trigger overlaps the VERB span
    correct: int = 0  # of those: location agrees (overlap, or both none)
    gold_place: int = 0
    gold_place_correct: int = 0
    gold_none: int = 0
    gold_none_correct: int = 0
    skipped: int = 0  # VERB span not found in the text
    failed: int = 0  # sentences the pipeline could not code (no event, counted in total)
    name: str = ""

    @property
    def accuracy(self) -> float:
        return self.correct / self.with_event if self.with_event else 0.0

    @property
    def coverage(self) -> float:
        return self.with_event / self.total if self.total else 0.0


def _location_agrees(text: str, loc: dict[str, Any] | None,
                     places: list[tuple[int, int]]) -> bool:  # fmt: skip
    """Predicted location text overlaps a gold LOCATION span; or both are absent."""
    if not places:
        return not loc
    if not loc or not loc.get("text"):
        return False
    lt = str(loc["text"])
    i, found = text.find(lt), False
    while i >= 0:
        found = True
        if any(_overlap((i, i + len(lt)), p) for p in places):
            return True
        i = text.find(lt, i + 1)
    if found:
        return False
    low = lt.lower()  # the place came from elsewhere (normalised name): compare strings
    return any(low in text[a:b].lower() or text[a:b].lower() in low for a, b in places)


def location_accuracy(jsonl_gz_path: str | Path, limit: int | None = None) -> LocationReport:
    """Score event locations on the event_location sentences (Halterman 2019).

    Per item (one VERB, zero or more LOCATION spans where that event happened): the predicted
    event is the first whose ``trigger`` (else evidence span) overlaps the VERB span. With a
    gold place, correct when the event's location text overlaps a LOCATION span; with none,
    correct when the event has no location. Items with no such event count against coverage,
    not accuracy.
    """
    items: list[dict[str, Any]] = []
    with gzip.open(jsonl_gz_path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                items.append(json.loads(line))
            if limit and len(items) >= limit:
                break
    rep = LocationReport(name=str(jsonl_gz_path))
    arts = [_article({"id": f"loc-{i}", "text": it["text"]}) for i, it in enumerate(items)]
    for it, (coded_text, events) in zip(items, _code(arts), strict=True):
        if coded_text is None:
            rep.failed += 1
            events = []
        text = coded_text if coded_text is not None else it["text"]
        verbs = [sp for sp in it["spans"] if sp.get("label") == "VERB"]
        verb = _span(text, verbs[0]) if verbs else None
        if verb is None:
            rep.skipped += 1
            continue
        places = [p for sp in it["spans"] if sp.get("label") == "LOCATION"
                  if (p := _span(text, sp)) is not None]  # fmt: skip
        rep.total += 1
        ev = next((e for e in events if _trigger_overlaps(e, verb)), None)
        if ev is None:
            continue
        rep.with_event += 1
        ok = _location_agrees(text, ev.get("location"), places)
        rep.correct += ok
        if places:
            rep.gold_place += 1
            rep.gold_place_correct += ok
        else:
            rep.gold_none += 1
            rep.gold_none_correct += ok
    return rep


def _trigger_overlaps(ev: dict[str, Any], verb: tuple[int, int]) -> bool:
    for key in ("trigger", "evidence"):
        sp = ev.get(key)
        if isinstance(sp, dict) and isinstance(sp.get("start"), int):
            return _overlap((sp["start"], sp["end"]), verb)
    return False


# ---------------------------------------------------------------- output


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def format_report(report: Report, errors: bool = False) -> str:
    """A plain-text table of a gold-set report; with ``errors``, every FP and FN too, and
    the matched events whose date or place is wrong."""
    lines = [f"== {report.name or 'gold'}: {report.documents} documents, "
             f"{report.gold_events} required gold events (+{report.optional_gold} optional), "
             f"{report.predicted_events} predicted events -> {report.predicted_triples} triples "
             f"({report.ignored_triples} ignored)"]  # fmt: skip
    head = f"{'type':<10} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>7} {'R':>7} {'F1':>7}"
    lines += [head, "-" * len(head)]

    def row(name: str, c: Counts) -> str:
        return (f"{name:<10} {c.tp:>4} {c.fp:>4} {c.fn:>4} {_pct(c.precision):>7} "
                f"{_pct(c.recall):>7} {_pct(c.f1):>7}")  # fmt: skip

    for t in sorted(report.per_type):
        lines.append(row(t, report.per_type[t]))
    lines += ["-" * len(head), row("ALL", report.overall)]
    lines.append(f"date accuracy     {_pct(report.date_accuracy)} "
                 f"({report.date_correct}/{report.date_total})")  # fmt: skip
    lines.append(f"location accuracy {_pct(report.location_accuracy)} "
                 f"({report.location_correct}/{report.location_total})")  # fmt: skip
    lines.append(f"placed, where the gold has no place: {report.unplaced_placed}/"
                 f"{report.unplaced_total} (not in the location accuracy)")  # fmt: skip
    if report.unknown_doc_events:
        lines.append(f"{report.unknown_doc_events} predicted events for unknown documents")
    if report.failures:
        lines.append(f"{len(report.failures)} documents not coded (scored as no events):")
        lines += [f"  {f}" for f in report.failures[:20]]
    if errors and report.errors:
        lines.append("")
        lines.append("errors:")
        for e in sorted(report.errors, key=lambda e: (e["doc_id"], e["kind"], e["triple"])):
            lines.append(f"  {e['kind']} {e['doc_id']}  {e['triple']}  rule={e['rule'] or '-'}"
                         f"  date={e['date'] or '-'}  loc={e['location'] or '-'}")  # fmt: skip
            if e.get("evidence"):
                lines.append(f"      \u201c{' '.join(str(e['evidence']).split())}\u201d")
    if errors and report.misplaced:
        lines += ["", "matched, but the date or the place is wrong:"]
        for e in sorted(report.misplaced, key=lambda e: (e["doc_id"], e["kind"], e["triple"])):
            lines.append(f"  {e['kind']} {e['doc_id']}  {e['triple']}  rule={e['rule'] or '-'}"
                         f"  date={e['date']}  loc={e['location']}")  # fmt: skip
            if e.get("evidence"):
                lines.append(f"      \u201c{' '.join(str(e['evidence']).split())}\u201d")
    return "\n".join(lines)


def format_splits(path: str | Path, reports: dict[str, Report], errors: bool = False) -> str:
    """The splits of one gold file side by side; with ``errors``, the per-type table and
    every error of train and dev, never of test (read test only as a number)."""
    if set(reports) == {"all"}:
        return format_report(reports["all"], errors=errors)
    head = (f"{'split':<6} {'docs':>5} {'gold':>5} {'opt':>4} {'tp':>4} {'fp':>4} {'fn':>4} "
            f"{'P':>7} {'R':>7} {'F1':>7} {'date':>7} {'place':>7}")
    lines = [f"== {path}: splits side by side", head, "-" * len(head)]
    for name, r in reports.items():
        c = r.overall
        lines.append(f"{name:<6} {r.documents:>5} {r.gold_events:>5} {r.optional_gold:>4} "
                     f"{c.tp:>4} {c.fp:>4} {c.fn:>4} {_pct(c.precision):>7} "
                     f"{_pct(c.recall):>7} {_pct(c.f1):>7} {_pct(r.date_accuracy):>7} "
                     f"{_pct(r.location_accuracy):>7}")  # fmt: skip
    lines.append("placed, where the gold has no place (not in the place column): " + ", ".join(
        f"{name} {r.unplaced_placed}/{r.unplaced_total}" for name, r in reports.items()))
    for name, r in reports.items():
        if r.failures:
            lines.append(f"{name}: {len(r.failures)} documents not coded (scored as no events)")
    if errors:
        for name in ("train", "dev"):
            if name in reports:
                lines += ["", format_report(reports[name], errors=True)]
        if "test" in reports:
            lines += ["", "(test: errors are not listed; the test split is read as a number)"]
    return "\n".join(lines)


def format_quad(rep: QuadReport) -> str:
    lines = [f"== {rep.name}: quad class accuracy {_pct(rep.accuracy)} "
             f"({rep.correct}/{rep.total}); rows gold, columns predicted"]  # fmt: skip
    if rep.failed:
        lines.append(f"{rep.failed} sentences not coded by the pipeline (predicted 0)")
    lines.append(" " * 19 + "".join(f"{i:>7}" for i in range(5)))
    for g in range(5):
        lines.append(f"{g} {QUAD_NAMES[g]:<17}" + "".join(f"{n:>7}" for n in rep.confusion[g]))
    return "\n".join(lines)


def format_location(rep: LocationReport) -> str:
    return "\n".join([
        f"== {rep.name}: event location",
        f"items {rep.total} (skipped {rep.skipped}); event on the verb: {rep.with_event} "
        f"(coverage {_pct(rep.coverage)})",
        f"location agreement {_pct(rep.accuracy)} ({rep.correct}/{rep.with_event})",
        f"  gold place: {rep.gold_place_correct}/{rep.gold_place}; "
        f"gold none: {rep.gold_none_correct}/{rep.gold_none}",
        *([f"{rep.failed} sentences not coded by the pipeline"] if rep.failed else []),
    ])  # fmt: skip


def file_kind(path: str | Path) -> str | None:
    """'gold' (.jsonl), 'quad' (.tsv) or 'location' (.jsonl.gz) from the file name."""
    name = str(path).lower()
    if name.endswith(".jsonl.gz"):
        return "location"
    if name.endswith(".jsonl"):
        return "gold"
    if name.endswith(".tsv"):
        return "quad"
    return None


def format_ablation(path: str | Path, rules: dict[str, Report],
                    model: dict[str, Report]) -> str:
    """Rules alone against rules + model, split by split (``--ablate``)."""
    head = (f"{'split':<6} {'decider':<13} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>7} {'R':>7} "
            f"{'F1':>7} {'date':>7} {'place':>7}")
    lines = [f"== {path}: ablation, rules alone vs rules + model", head, "-" * len(head)]
    for name in rules:
        if not rules[name].documents:
            continue
        for label, r in (("rules alone", rules[name]), ("rules + model", model[name])):
            c = r.overall
            lines.append(f"{name:<6} {label:<13} {c.tp:>4} {c.fp:>4} {c.fn:>4} "
                         f"{_pct(c.precision):>7} {_pct(c.recall):>7} {_pct(c.f1):>7} "
                         f"{_pct(r.date_accuracy):>7} {_pct(r.location_accuracy):>7}")
    return "\n".join(lines)


def cli_evaluate(paths: list[str], errors: bool = False, limit: int | None = None,
                 splits: Iterable[str] = SPLITS, ablate: bool = False) -> int:
    """Evaluate each file by its kind and print the reports: 0 all done, 1 a file failed,
    2 a file of unknown kind or missing, or errors asked of the test split alone."""
    splits = tuple(splits)
    if errors and splits == ("test",):
        print("--errors is refused on the test split: tune on train, choose on dev, and read "
              "test only as a number (docs/annotation.md §11)")
        return 2
    code = 0
    for p in _expand(paths):
        kind = file_kind(p)
        if kind is None or not Path(p).is_file():
            why = "not found" if kind else "unknown kind (.jsonl, .tsv or .jsonl.gz)"
            print(f"{p}: {why}")
            code = max(code, 2)
            continue
        try:
            if kind == "gold" and ablate:
                wanted = [s for s in splits if s != "train"] or list(splits)
                print(format_ablation(p, run_gold_splits(p, limit, wanted, use_model=False),
                                      run_gold_splits(p, limit, wanted)))
            elif kind == "gold":
                print(format_splits(p, run_gold_splits(p, limit, splits), errors=errors))
            elif kind == "quad":
                print(format_quad(quad_class_accuracy(p, limit)))
            else:
                print(format_location(location_accuracy(p, limit)))
        except (OSError, ValueError, KeyError) as exc:
            print(f"{p}: failed: {exc}")
            code = max(code, 1)
    return code


def _expand(paths: list[str]) -> list[str]:
    """A folder stands for its ``*.jsonl`` gold files (``tidings evaluate tests/gold``)."""
    out: list[str] = []
    for p in paths:
        folder = Path(p)
        out.extend(sorted(str(f) for f in folder.glob("*.jsonl")) if folder.is_dir() else [p])
    return out
