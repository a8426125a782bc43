"""The stage order and the tuned numbers of the coder, as one validated settings object.

Like datasette's settings: each setting has a name, a type, a default and one line of help
(``describe()`` lists them; ``tidings settings`` prints them), and is overridden by name
from the API (``code_text(..., settings={"coref_window_chars": 800})``) or the command line
(``tidings code --setting coref_window_chars 800``). An unknown name, a value of the wrong
type or out of range, or a stage order that breaks a stage's needs is refused when the
object is built, with a message that names the setting: a typo never runs silently with
the default.

Why one object: the numbers were tuned together on the gold sets (each default says how it
was chosen), a run is reproducible only when all of them are known, and the object pickles
to worker processes and Dask workers with the shard it codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

# The post-parse stages (tidings/pipeline.py runs them), each with the stages that must
# have run before it. Clean, language and parse always run: every offset depends on them.
STAGE_NEEDS: dict[str, tuple[str, ...]] = {
    "mentions": (),
    "events": ("mentions",),
    "discourse": ("events",),
    "dates": ("events",),
    "places": ("events",),
    "aim": ("places",),
    "alternatives": ("events",),
    "decide": ("events",),
    "merge": ("events",),
}
# Stages that, when both run, must run in this relative order: places reads the dates'
# ``date_source``; discourse proposals are dated and placed like the rules' own; the
# alternatives share their candidate's date and place; decide sees every candidate; merge
# folds tellings by date and keeps a place, so it comes last.
STAGE_AFTER: dict[str, tuple[str, ...]] = {
    "dates": ("discourse",),
    "places": ("dates", "discourse"),
    "alternatives": ("dates", "places", "aim", "discourse"),
    "decide": ("discourse", "dates", "places", "aim", "alternatives"),
    "merge": ("dates", "places", "aim", "decide"),
}
DEFAULT_STAGES = ("mentions", "events", "discourse", "dates", "places", "aim", "alternatives",
                  "decide", "merge")
# Who decides which candidates become events (tidings/scorer.py).
DECIDERS = ("model", "rules")


class SettingsError(ValueError):
    """A setting that does not exist, or a value it cannot take."""


def _setting(default: Any, help: str, minimum: float | None = 0,
             maximum: float | None = None) -> Any:
    """A settings field: its default, its line of help and its allowed range."""
    return field(default=default, metadata={"help": help, "min": minimum, "max": maximum})


@dataclass(frozen=True)
class Settings:
    """Every tunable of one coding run; build with ``Settings.of(...)`` to validate input."""

    stages: tuple[str, ...] = _setting(
        DEFAULT_STAGES, "post-parse stages, in order (comma-separated on the command line)")
    # Documents handed to spaCy's nlp.pipe at a time. 64 short news articles keep the
    # parser's batches full without holding many Docs; measured with bench/bench_coding.py on
    # the KCNA corpus, 32-128 differ by less than the run-to-run noise.
    batch_size: int = _setting(64, "articles parsed per spaCy batch (memory vs speed)", 1)

    # -- mentions (tidings/actors/): how far titles, speakers and antecedents are looked for.
    # How far up the tree a pronoun's clause may be from the reported-speech verb (its clause,
    # a conjoined or adverbial clause, the "that" clause): three steps cover "said that ...,
    # adding that ... and that they denounce" on the dev set without reaching a second
    # speaker (events climb twice as far from a word).
    speaker_climb: int = _setting(4, "mentions: steps from a pronoun up to a reported-speech "
                                  "verb")
    # How deep an apposed title is searched for the organisation or country that places an
    # unknown person: "minister of X who is chairman of the DPRK side" needs four steps
    # (appos → relcl → attr → prep → pobj); deeper reaches picked up unrelated phrases.
    person_context_depth: int = _setting(5, "mentions: depth searched below an unknown "
                                         "person's title")
    # How far back (in characters) a pronoun may look for its antecedent. Two or three news
    # sentences; longer reaches picked wrong antecedents in the seed and KCNA samples.
    coref_window_chars: int = _setting(600, "mentions: characters a pronoun looks back for its "
                                       "antecedent")
    # A definite description that repeats a mention's head noun ("the scum in the ROK ... We
    # give the scum a stern warning") reaches further back than a pronoun: the repeated noun
    # says which mention it is. Two KCNA paragraphs; a wider reach met unrelated mentions.
    definite_window_chars: int = _setting(1200, "mentions: characters \"the <noun>\" looks "
                                          "back for its mention")
    # Steps of an "of" chain from a title to the body that places it: "Minister of Foreign
    # Affairs and Expatriates of the Hashemite Kingdom of Jordan" and "general secretary of
    # the Central Committee of the People's Socialist Party of Mexico" need three.
    of_chain_steps: int = _setting(3, "mentions: \"of\" steps from a title to its body", 1)

    # -- events (tidings/events/): how far the argument search reaches.
    # How many dependency steps a verb may climb (xcomp/conj/advcl) to find its subject.
    # Three steps cover "X agreed to try to help" chains; deeper searches in the GSR dev set
    # only found actors of other clauses.
    subject_climb: int = _setting(3, "events: steps a verb climbs (xcomp, conj, advcl) to its "
                                  "subject")
    # How deep an argument phrase is searched for an actor ("a group of Moroccan diplomats"
    # = 2); measured with subject_climb, deeper found actors of other phrases.
    argument_depth: int = _setting(3, "events: depth of an argument phrase searched for an "
                                   "actor")
    # How deep the fallback target search goes below a predicate. Five levels reach "imposed
    # a curfew in the town of Cizre in southeastern Turkey"; on the GSR dev set deeper levels
    # added no correct targets.
    fallback_target_depth: int = _setting(5, "events: depth of the search for a target no "
                                          "slot named")

    # -- decide (tidings/scorer.py): "model" keeps the candidates the shipped model scores at
    # or above its threshold (rules alone when no model is shipped); "rules" keeps exactly
    # what the rules keep (the ablation of `tidings evaluate --ablate`).
    decider: str = _setting("model", "decide: who chooses the events among the candidates "
                            f"({' or '.join(DECIDERS)})")

    def __post_init__(self) -> None:
        for f in fields(self):
            _check(f.name, getattr(self, f.name), f.type, f.metadata)
        _check_stages(self.stages)

    @classmethod
    def of(cls, values: Settings | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
           ) -> Settings:
        """Settings from defaults overridden by ``values``: a Settings, a mapping or
        (name, value) pairs; strings are parsed as the command line gives them."""
        if values is None:
            return DEFAULT
        if isinstance(values, Settings):
            return values
        pairs = values.items() if isinstance(values, Mapping) else values
        return DEFAULT.with_values(pairs)

    def with_values(self, pairs: Iterable[tuple[str, Any]]) -> Settings:
        """A copy with the named settings changed (validated)."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, value in pairs:
            if name not in known:
                raise SettingsError(
                    f"unknown setting {name!r}; known settings: {', '.join(sorted(known))}")
            changes[name] = _parse(name, value, known[name].type)
        return replace(self, **changes)


def _parse(name: str, value: Any, kind: Any) -> Any:
    """A value as its setting's type; command-line strings are converted."""
    if not isinstance(value, str):
        return tuple(value) if kind == "tuple[str, ...]" and isinstance(value, list) else value
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
    except ValueError:
        raise SettingsError(f"setting {name!r} takes a number ({kind}), not {value!r}") from None
    if kind == "tuple[str, ...]":
        return tuple(s.strip() for s in value.split(",") if s.strip())
    return value


def _check(name: str, value: Any, kind: Any, meta: Mapping[str, Any]) -> None:
    """Refuse a value of the wrong type or out of its setting's range."""
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "str":
        ok = isinstance(value, str) and value in CHOICES.get(name, (value,))
    elif kind == "float":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    if not ok:
        choices = f" (one of {', '.join(CHOICES[name])})" if name in CHOICES else ""
        raise SettingsError(f"setting {name!r} takes {kind}{choices}, not {value!r}")
    if kind in {"int", "float"}:
        low, high = meta.get("min"), meta.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            raise SettingsError(f"setting {name!r} must be within [{low}, {high}], not {value}")


def _check_stages(stages: tuple[str, ...]) -> None:
    """Known names, each once, with every stage's needs met before it."""
    for i, name in enumerate(stages):
        if name not in STAGE_NEEDS:
            raise SettingsError(f"unknown stage {name!r} in setting 'stages'; stages: "
                                f"{', '.join(DEFAULT_STAGES)}")
        if name in stages[:i]:
            raise SettingsError(f"stage {name!r} given twice in setting 'stages'")
        missing = [n for n in STAGE_NEEDS[name] if n not in stages[:i]]
        if missing:
            raise SettingsError(f"stage {name!r} needs {', '.join(missing)} before it")
        late = [n for n in STAGE_AFTER.get(name, ()) if n in stages[i + 1:]]
        if late:
            raise SettingsError(f"stage {name!r} must come after {', '.join(late)}")
    if "events" not in stages:
        raise SettingsError("setting 'stages' must include mentions and events")


def describe() -> list[tuple[str, str, Any, str]]:
    """(name, type, default, help) of every setting, in declaration order."""
    return [(f.name, str(f.type), getattr(DEFAULT, f.name), f.metadata["help"])
            for f in fields(Settings)]


# The values a text setting may take.
CHOICES: dict[str, tuple[str, ...]] = {"decider": DECIDERS}

DEFAULT = Settings()
