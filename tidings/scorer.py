"""The decide stage: rules propose candidate events, a model trained on the gold's train split
says which of them are events.

Why a model: the pattern rules were written by reading one small development set, and on
articles they had never seen a third of what they found did not hold (issue #11). Rules are
good at proposing — a trigger, its arguments, the clause it sits in — and poor at weighing
the many weak signals that tell a current interstate act from background, a hypothetical or a
misread argument. A model over those signals, trained on the train split and chosen on dev,
weighs them from data: boosted trees for articles (``tidings.forest``: they learn that a
signal means one thing with another and the opposite without it), a logistic model for lone
sentences (too few of them for trees; ``train.LEARNER``).

Steps, in order (``decide``):

    features     one candidate → named features (rule, trigger, clause, arguments, article,
                 how many of the article's sentences propose its triple)
    probability  the model's weights → P(the candidate's triple is a gold event)
    choose       keep candidates at or above the model's threshold; of the types proposed
                 for one trigger and argument pair keep the most probable (and a type the
                 guide codes together with it: ACCUSE and THREATEN)
    record       every kept event gets ``confidence``; the proposal's bookkeeping is dropped

Without a model (or with the setting ``decider = "rules"``, the ablation) the rules' own
verdict decides and ``confidence`` is None. The model is data: ``data/model/scorer.json``
holds, for each regime (a lone sentence, an article), the feature weights or the trees and
the threshold, and the hash of the gold it was trained on (``tidings train`` rebuilds it
deterministically; ``tidings.train``).
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from spacy.tokens import Doc, Span, Token

from .actors import outlet_voice
from .forest import Forest
from .forest import from_data as forest_from_data
from .model import Article, Event, country_of
from .syntax import doc_text, sentences

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model" / "scorer.json"
# The verdict of a candidate the rules themselves would emit.
KEEP = "keep"
# Coarse buckets of how long before the article an event is dated: anniversaries and history
# ("75 years ago", "in 2018") are background far more often than news (guide §10).
AGE_BUCKETS = ((0, "same-week"), (31, "month"), (366, "year"), (3660, "decade"))
# Clause relations between the trigger and the sentence root worth a feature each.
# Sentences proposing one triple (or country pair) are counted up to this many: 1, 2, 3+.
# Three because a visit's arrival, talks and departure are the usual most an article repeats.
SUPPORT_CAP = 3
# Pairs of types one trigger and argument pair may carry both of, because the guide codes
# them together: "a statement that both condemns and threatens gets ACCUSE and THREATEN to
# the same target" (docs/annotation.md §2). Every other pair of types is a rival reading.
CO_CODED = frozenset({frozenset({"ACCUSE", "THREATEN"})})
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "pcomp",
                         "parataxis", "conj", "pobj", "dobj", "nsubj", "nsubjpass", "appos"})


@dataclass(frozen=True)
class Model:
    """A decider as data: a logistic model (named feature weights and a bias) or, with
    ``forest``, gradient-boosted trees (``tidings.forest``); and a decision threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float
    data_hash: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    rules: bool = False  # the rules' own verdict beat every model in this regime
    forest: Forest | None = None

    def probability(self, feats: dict[str, float]) -> float:
        if self.forest is not None:
            return self.forest.probabilities([feats])[0]
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probabilities(self, rows: Sequence[dict[str, float]]) -> list[float]:
        """The probability of each candidate's features, the trees' all at once."""
        if self.forest is not None:
            return self.forest.probabilities(rows)
        return [self.probability(f) for f in rows]

    def to_data(self) -> dict[str, Any]:
        """The model as the JSON object of its regime in the scorer file."""
        if self.rules:
            return {"kind": "rules", "meta": self.meta}
        if self.forest is not None:
            return {"kind": "trees", "threshold": self.threshold, "data_hash": self.data_hash,
                    "meta": self.meta, **self.forest.to_data()}
        return {"kind": "logistic", "bias": self.bias, "threshold": self.threshold,
                "data_hash": self.data_hash, "meta": self.meta,
                "weights": dict(sorted(self.weights.items()))}


# The regimes a text is decided in, by its length in sentences: a lone sentence (a wire
# lead, the PLOVER GSR's world news) codes every act it tells, and its rule-kept candidates
# are right three times in four; an article codes its news, and half of its rule-kept
# candidates are background, passing mentions or optional. One logistic model calibrated on
# both decided the lone sentences badly (PLOVER GSR dev F1 0.83 with the rules, 0.66 with a
# single model), so each regime has its own model, trained and chosen on its own documents.
SENTENCE_REGIME_MAX = 1
REGIMES = ("sentence", "article")


def regime_of(n_sents: int) -> str:
    return "sentence" if n_sents <= SENTENCE_REGIME_MAX else "article"


@dataclass(frozen=True)
class Scorer:
    """The decide stage's models, one per regime, and the hash of the gold they learnt."""

    models: dict[str, Model]
    data_hash: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def model_for(self, n_sents: int) -> Model:
        return self.models[regime_of(n_sents)]

    def to_json(self) -> str:
        """Indented, but each tree of a forest on one line: a node per line would make the
        file ten times longer and its diff unreadable."""
        regimes = {name: self.models[name].to_data() for name in REGIMES}
        trees = {name: r.pop("trees") for name, r in regimes.items() if "trees" in r}
        for name in trees:
            regimes[name]["trees"] = f"@trees:{name}"
        body = {"kind": "regimes", "data_hash": self.data_hash, "meta": self.meta,
                "regimes": regimes}
        text = json.dumps(body, indent=1, ensure_ascii=False) + "\n"
        for name, forest in trees.items():
            lines = ",\n".join(json.dumps(t, ensure_ascii=False, separators=(",", ":"))
                               for t in forest)
            text = text.replace(json.dumps(f"@trees:{name}"), f"[\n{lines}\n]")
        return text


def _model(data: dict[str, Any], where: str) -> Model:
    if data.get("kind") == "rules":
        return Model({}, 0.0, 0.5, meta=dict(data.get("meta", {})), rules=True)
    if data.get("kind") == "trees":
        return Model({}, 0.0, float(data["threshold"]), str(data.get("data_hash", "")),
                     dict(data.get("meta", {})), forest=forest_from_data(data, where))
    if data.get("kind") != "logistic" or not isinstance(data.get("weights"), dict):
        raise ValueError(f"{where}: not a Tidings scorer model (kind 'logistic' with weights, "
                         "or 'trees')")
    return Model(weights={str(k): float(v) for k, v in data["weights"].items()},
                 bias=float(data["bias"]), threshold=float(data["threshold"]),
                 data_hash=str(data.get("data_hash", "")), meta=dict(data.get("meta", {})))


def read_model(path: str | Path) -> Scorer:
    """A model file (a model per regime); a file that is not one fails here, naming it (a
    field missing or of the wrong kind too: the file is edited by hand or cut short)."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not a Tidings scorer (not JSON: {exc})") from exc
    regimes = data.get("regimes") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("kind") != "regimes" \
            or not isinstance(regimes, dict) or set(regimes) != set(REGIMES):
        raise ValueError(f"{path}: not a Tidings scorer (kind 'regimes' with the models of "
                         f"{', '.join(REGIMES)})")
    models = {}
    for name in REGIMES:
        try:
            models[name] = _model(regimes[name], f"{path}: {name}")
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}: {name}: not a Tidings scorer model (a field missing "
                             f"or of the wrong kind: {exc!r})") from exc
    return Scorer(models, str(data.get("data_hash", "")), dict(data.get("meta", {})))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> Scorer | None:
    """The shipped scorer, once per process; None when none is shipped (rules alone)."""
    p = Path(path) if path else MODEL_PATH
    return read_model(p) if p.is_file() else None


# ------------------------------------------------------------------------------ features


def _trigger(ev: Event, doc: Doc) -> Token | None:
    trig = ev.get("trigger") or {}
    if not isinstance(trig.get("start"), int):
        return None
    span = doc.char_span(trig["start"], trig["end"], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _rule_features(ev: Event) -> dict[str, float]:
    """The proposing rule: its pattern, its family and each rewrite it went through."""
    rule = str(ev.get("rule") or "")
    base, *suffixes = rule.split("+")
    family = base.split(":", 1)[0]
    etype = str(ev.get("event_type"))
    out = {f"type={etype}": 1.0, f"rule={base}": 1.0, f"family={family}": 1.0,
           f"cameo2={str(ev.get('cameo') or '')[:2]}": 1.0, f"mode={ev.get('mode')}": 1.0}
    pattern = base.split("[", 1)[0]
    out[f"pattern={pattern}"] = 1.0
    for s in suffixes:
        out[f"suffix={s}"] = 1.0
        out[f"type*suffix={etype}*{s}"] = 1.0
    return out


def _clause_features(tok: Token, sent: Span, text: str | None = None) -> dict[str, float]:
    """Where the trigger sits: its own relation, the clauses above it, their markers,
    tense, modality and negation, quotation, questions. ``text`` is the Doc's text if the
    caller has it (spaCy joins every token of a span for its text)."""
    out: dict[str, float] = {f"dep={tok.dep_}": 1.0, f"pos={tok.pos_}": 1.0,
                             f"tag={tok.tag_}": 1.0, f"lemma={tok.lemma_.lower()}": 1.0}
    depth = 0
    for node in [tok, *tok.ancestors]:
        if node.dep_ in CLAUSE_DEPS and node is not tok:
            out[f"above={node.dep_}"] = 1.0
        for c in node.children:
            if c.dep_ == "mark":
                out[f"mark={c.lower_}"] = 1.0
            elif c.dep_ in {"aux", "auxpass"} and c.tag_ == "MD":
                out[f"modal={c.lower_}"] = 1.0
            elif c.dep_ == "neg":
                out["negated" if node is tok else "negated_above"] = 1.0
        depth += 1
    out["depth"] = min(depth, 8) / 8
    text = doc_text(sent.doc) if text is None else text
    before = text[sent.start_char : tok.idx]  # (whitespace between: no quotation marks)
    if before.count("\"") % 2 == 1 or before.count("“") > before.count("”"):
        out["quoted"] = 1.0
    if text[sent.start_char : sent.end_char].rstrip().endswith("?"):
        out["question"] = 1.0
    return out


def _actor_features(ev: Event, home: str | None) -> dict[str, float]:
    """Who: the arguments' countries relative to each other and to the outlet's state."""
    src: Mapping[str, Any] = ev.get("source") or {}
    tgt: Mapping[str, Any] = ev.get("target") or {}
    out: dict[str, float] = {}
    etype = str(ev.get("event_type"))
    out["has_target"] = 1.0 if tgt else 0.0
    out[f"type*has_target={etype}*{bool(tgt)}"] = 1.0
    sc, tc = src.get("country"), tgt.get("country")
    if sc and tc and sc == tc:
        out["same_country"] = 1.0
    for role, actor in (("src", src), ("tgt", tgt)):
        if not actor:
            continue
        out[f"{role}_sector={actor.get('sector')}"] = 1.0
        out[f"{role}_named"] = 1.0 if actor.get("name") else 0.0
        country = actor.get("country")
        if country == "IGO":
            out[f"{role}_igo"] = 1.0
        if home and country == home:
            out[f"{role}_home"] = 1.0
        text = str(actor.get("text") or "").lower()
        if text in {"he", "she", "it", "they", "we", "i", "us", "our", "them", "its", "their"}:
            out[f"{role}_pronoun"] = 1.0
    return out


def _proposal_features(ev: Event) -> dict[str, float]:
    """What the events stage recorded while proposing: its own verdict and why, the
    clause status, how each argument was found, the mentions' kinds."""
    prop = ev.get("proposal") or {}
    out: dict[str, float] = {}
    for key, value in prop.items():
        if isinstance(value, bool):
            if value:
                out[f"p.{key}"] = 1.0
        elif isinstance(value, int | float):
            out[f"p.{key}"] = float(value)
        elif value is not None:
            out[f"p.{key}={value}"] = 1.0
    verdict = str(prop.get("verdict", KEEP))
    out[f"type*verdict={ev.get('event_type')}*{verdict}"] = 1.0
    return out


@lru_cache(maxsize=1024)  # (asked of every candidate; an article's share a few dates)
def _age_bucket(event_date: str | None, published: str | None) -> str:
    if not event_date or not published:
        return "unknown"
    from datetime import date

    def parse(s: str) -> date | None:
        parts = (s + "-01-01")[:10].split("-")
        try:
            return date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))
        except ValueError:
            return None

    a, b = parse(event_date), parse(published)
    if a is None or b is None:
        return "unknown"
    days = (b - a).days
    if days < -1:
        return "future"
    label = "older"
    for bound, name in reversed(AGE_BUCKETS):
        if days <= max(bound, 7):
            label = name
    return label


# Article lengths in sentences, by bucket: a single sentence (a wire lead, the PLOVER GSR's
# world-news sentences) codes every act it tells, a long article only its news; the model
# learns each regime apart through these buckets and their interactions.
LENGTH_BUCKETS = ((1, "1"), (5, "2-5"), (15, "6-15"))


def _length_bucket(n_sents: int) -> str:
    return next((name for bound, name in LENGTH_BUCKETS if n_sents <= bound), "16+")


def _article_features(ev: Event, article: Article, home: str | None,
                      n_sents: int) -> dict[str, float]:
    """The article around it: the genre of voice, the event's age against the article's
    date, where in the article the sentence is."""
    voice = outlet_voice(article)
    genre = voice[1] if voice else "agency"  # state-media | government | agency
    etype = str(ev.get("event_type"))
    published = article.dateline_date or article.published
    age = _age_bucket(ev.get("date"), published)
    si = int(ev.get("sentence_index") or 0)
    pos = "lead" if si == 0 else ("early" if si < 3 else ("late" if si >= n_sents - 2
                                                           else "middle"))
    size = _length_bucket(n_sents)
    verdict = str((ev.get("proposal") or {}).get("verdict", KEEP))
    return {f"genre={genre}": 1.0, f"type*genre={etype}*{genre}": 1.0,
            f"doclen={size}": 1.0, f"doclen*verdict={size}*{verdict}": 1.0,
            f"doclen*type={size}*{etype}": 1.0,
            f"age={age}": 1.0, f"type*age={etype}*{age}": 1.0,
            f"date_source={ev.get('date_source')}": 1.0, f"position={pos}": 1.0,
            f"has_location={bool(ev.get('location'))}": 1.0}


class _Sentences:
    """The article's sentences and each trigger's clause features, computed once: many
    candidates share a trigger, and spaCy finds a token's sentence by walking them all."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)  # spaCy joins every token for doc.text and span.text
        self.spans = sentences(doc)
        self.starts = [s.start for s in self.spans]
        self._clauses: dict[int, dict[str, float]] = {}
        self.memo: dict[tuple[Any, ...], Any] = {}  # (_argument_features)

    def trigger(self, ev: Event) -> Token | None:
        """``_trigger``, once per trigger span: candidates of one trigger are many."""
        trig = ev.get("trigger") or {}
        key = ("trigger", trig.get("start"), trig.get("end"))
        if key not in self.memo:
            self.memo[key] = _trigger(ev, self.doc)
        return cast(Token | None, self.memo[key])

    def clause(self, tok: Token) -> dict[str, float]:
        if tok.i not in self._clauses:
            k = bisect.bisect_right(self.starts, tok.i) - 1
            self._clauses[tok.i] = _clause_features(tok, self.spans[max(0, k)], self.text)
        return self._clauses[tok.i]


def _argument_key(ev: Event, role: str) -> tuple[Any, ...]:
    """What ``_argument_token`` reads of an event: the argument's text and the evidence."""
    actor: Mapping[str, Any] = (ev.get("source") if role == "source" else ev.get("target")) or {}
    evid = ev.get("evidence") or {}
    return str(actor.get("text") or ""), evid.get("start"), evid.get("end")


def _argument_token(ev: Event, role: str, doc: Doc, trigger: Token,
                    doc_text: str) -> Token | None:
    """Where an argument is named in the event's sentence: the occurrence of its text
    nearest the trigger (the event keeps the argument's text, not its offsets);
    ``doc_text`` is doc.text, computed once per article."""
    text, a, b = _argument_key(ev, role)
    if not text or not isinstance(a, int) or not isinstance(b, int):
        return None
    hits = []
    start = doc[trigger.i].idx
    chars = doc.char_span(a, b, alignment_mode="expand")
    if chars is None:
        return None
    hay = doc_text[chars.start_char: chars.end_char]
    i = hay.find(text)
    while i >= 0:
        hits.append(chars.start_char + i)
        i = hay.find(text, i + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(h - start))
    span = doc.char_span(best, best + len(text), alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _argument_features(ev: Event, doc: Doc, trigger: Token, doc_text: str,
                       memo: dict[tuple[Any, ...], Any] | None = None) -> dict[str, float]:
    """How the arguments hang on the trigger's clause: "dobj>poss", "prep>pobj", "other"
    (an actor outside the clause, found by a fallback or by discourse). ``memo`` keeps the
    clause, argument tokens and paths across an article's candidates, which share them."""
    from .discourse import _clause, _path

    memo = {} if memo is None else memo
    root = memo.get(("clause", trigger.i))
    if root is None:
        root = memo[("clause", trigger.i)] = _clause(trigger)
    out: dict[str, float] = {}
    etype = str(ev.get("event_type"))
    for role in ("source", "target"):
        key = ("token", _argument_key(ev, role), trigger.i)
        if key not in memo:
            memo[key] = _argument_token(ev, role, doc, trigger, doc_text)
        tok = memo[key]
        if tok is None:
            continue
        if ("path", root.i, tok.i) not in memo:
            memo[("path", root.i, tok.i)] = _path(root, tok)
        path, depth = memo[("path", root.i, tok.i)]
        out[f"{role}_path={path}"] = 1.0
        out[f"type*{role}_path={etype}*{path}"] = 1.0
        out[f"{role}_depth"] = min(depth, 6) / 6
        if tok.i < root.i:
            out[f"{role}_before"] = 1.0
        if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "anti":
            out[f"{role}_anti"] = 1.0  # "the anti-X policy": X is its object, not its holder
    return out


def features(ev: Event, doc: Doc, article: Article, home: str | None,
             n_sents: int, sentences: _Sentences | None = None) -> dict[str, float]:
    """Every named feature of one candidate (see the module docstring)."""
    out = _rule_features(ev)
    tok = _trigger(ev, doc) if sentences is None else sentences.trigger(ev)
    if tok is not None:
        sents = sentences or _Sentences(doc)
        out.update(sents.clause(tok))
        out.update(_argument_features(ev, doc, tok, sents.text, sents.memo))
        etype = str(ev.get("event_type"))
        out[f"type*lemma={etype}*{tok.lemma_.lower()}"] = 1.0
    out.update(_actor_features(ev, home))
    out.update(_proposal_features(ev))
    out.update(_article_features(ev, article, home, n_sents))
    out["bias_term"] = 1.0
    return out


# ------------------------------------------------------------------------------ deciding


def _rule_verdict(ev: Event) -> bool:
    return (ev.get("proposal") or {}).get("verdict", KEEP) == KEEP


def _best_per_slot(scored: list[tuple[Event, float]]) -> list[Event]:
    """Of several types proposed for one trigger and argument pair, the most probable, and
    beside it any type the guide codes together with every one kept (CO_CODED): most types
    of a slot are rival readings of one act, but a statement that condemns and threatens
    is both."""
    slots: dict[tuple[Any, ...], list[tuple[Event, float]]] = {}
    for ev, p in scored:
        trig = ev.get("trigger") or {}
        key = (trig.get("start"), trig.get("end"), country_of(ev.get("source")),
               country_of(ev.get("target")))
        slots.setdefault(key, []).append((ev, p))
    kept: list[Event] = []
    for rivals in slots.values():  # slots in the order they were first proposed
        chosen: list[Event] = []
        # most probable first; of equals, the first proposed
        for ev, _ in sorted(rivals, key=lambda r: -r[1]):
            if all(_co_coded(ev, other) for other in chosen):
                chosen.append(ev)
        kept.extend(chosen)
    return kept


def _co_coded(a: Event, b: Event) -> bool:
    pair = frozenset((str(a.get("event_type")), str(b.get("event_type"))))
    return len(pair) == 2 and pair in CO_CODED


def choose_events(scored: list[tuple[Event, float]],
                  threshold: float) -> list[Event]:
    """The candidates at or above the threshold, one type per trigger and argument pair."""
    return _best_per_slot([(ev, p) for ev, p in scored if p >= threshold])


def _support_bucket(n: int) -> str:
    return str(n) if n < SUPPORT_CAP else f"{SUPPORT_CAP}+"


def support_features(events: Sequence[Event]) -> list[dict[str, float]]:
    """How often the article proposes each candidate's triple, and its country pair, in how
    many sentences: the gold reduces an article to (type, source, target) triples, and an
    act the article tells again and again (a visit in the lead, its talks, its farewell) is
    news far more often than one passing mention (GDELT's NumMentions is the same signal)."""
    triples: dict[tuple[Any, ...], set[int]] = {}
    pairs: dict[tuple[Any, ...], set[int]] = {}
    keys = []
    for ev in events:
        pair = (country_of(ev.get("source")), country_of(ev.get("target")))
        triple = (str(ev.get("event_type")), *pair)
        si = int(ev.get("sentence_index") or 0)
        triples.setdefault(triple, set()).add(si)
        pairs.setdefault(pair, set()).add(si)
        keys.append((triple, pair))
    return [{f"triple_sentences={_support_bucket(len(triples[t]))}": 1.0,
             f"pair_sentences={_support_bucket(len(pairs[p]))}": 1.0,
             f"type*triple_sentences={t[0]}*{_support_bucket(len(triples[t]))}": 1.0,
             **({"triple_in_lead": 1.0} if 0 in triples[t] else {})}
            for t, p in keys]


def candidate_features(events: Iterable[Event], doc: Doc, article: Article,
                       home: str | None) -> list[tuple[Event, dict[str, float]]]:
    """Each proposed candidate with its features (the training rows of ``tidings.train``)."""
    sentences = _Sentences(doc)
    n_sents = max(1, len(sentences.spans))
    events = list(events)
    # a lone sentence tells each triple once: counting carries nothing there
    support = (support_features(events) if regime_of(n_sents) == "article"
               else [{} for _ in events])
    return [(ev, {**features(ev, doc, article, home, n_sents, sentences), **extra})
            for ev, extra in zip(events, support, strict=True)]


def decide(events: Iterable[Event], doc: Doc, article: Article,
           home: str | None, *, model: Scorer | Model | None = None) -> list[Event]:
    """The events of the article among the proposed candidates (module docstring)."""
    if isinstance(model, Scorer):
        model = model.model_for(len(sentences(doc)))
    if model is None or model.rules:
        kept = [ev for ev in events if _rule_verdict(ev)]
        for ev in kept:
            ev["confidence"] = None
    else:
        pairs = candidate_features(events, doc, article, home)
        scored = []
        for (ev, _), p in zip(pairs, model.probabilities([f for _, f in pairs]), strict=True):
            ev["confidence"] = round(p, 4)
            scored.append((ev, p))
        kept = choose_events(scored, model.threshold)
    for ev in kept:
        ev.pop("proposal", None)
    return kept
