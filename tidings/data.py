"""Every table under ``tidings/data``, read by one loader against a schema per table.

A table is a UTF-8 text file: lines starting with ``#`` are comments (each file names its
source and licence there), blank lines are skipped; a TSV table's first row names its
columns, every other row holds tab-separated fields (trailing empty fields may be left
out); a list has one entry per line. Each table has a ``Table`` schema below: its columns
and what each may hold. Anything else fails when the table is read, naming file and line,
as spaCy's ``Matcher(validate=True)`` does::

    DataError: .../data/patterns/patterns.tsv:31: condition: unknown slot 'dobjj' ...

A wrong column row, a stray tab, an unknown condition slot, flag, event type, CAMEO code,
country or sector, a word class no table defines: none of them loads silently and stops a
pattern from firing. ``TABLES`` lists every table; tests/test_data.py reads them all and
checks that no file under ``tidings/data`` goes without a schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


class DataError(ValueError):
    """A table that does not fit its schema; the message starts with ``file:line:``."""


# A check reads one field's text and raises ValueError saying what is wrong with it.
Check = Callable[[str], None]


@dataclass(frozen=True)
class Column:
    """One column: its name, what it may hold, and whether it may be empty."""

    name: str
    check: Check | None = None
    required: bool = False


class Row(Mapping[str, str]):
    """One row of a table: its fields by column name, and where it was read."""

    def __init__(self, fields: dict[str, str], where: str) -> None:
        self._fields = fields
        self.where = where  # "path:line", for messages about this row

    def __getitem__(self, key: str) -> str:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"Row({self._fields!r}, {self.where!r})"


@dataclass(frozen=True)
class Table:
    """The schema of one file under ``tidings/data``.

    ``columns`` for a TSV table (its first row must name exactly these); a list
    (``columns`` of one column and ``header=False``) has one entry per line.
    ``row_check`` checks a whole row (fields that depend on each other)."""

    path: str  # relative to tidings/data
    columns: tuple[Column, ...]
    header: bool = True
    row_check: Callable[[Row], None] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def rows(table: Table) -> list[Row]:
    """The rows of a table (read and checked once per process)."""
    return _cached(table)


@cache
def _cached(table: Table) -> list[Row]:
    return read(table, DATA / table.path)


@cache
def having(table: Table, role: str, column: str = "roles") -> frozenset[str]:
    """The entries (first column) of a table whose comma-separated ``column`` has ``role``."""
    key = table.columns[0].name
    return frozenset(r[key] for r in rows(table) if role in r[column].split(","))


@cache
def months(full_names_only: bool = False) -> dict[str, int]:
    """Month words of the calendar table → 1-12 ("sept" → 9); ``full_names_only``: the
    longest word of each month ("september")."""
    found = {r["word"]: int(r["value"]) for r in rows(CALENDAR) if r["kind"] == "month"}
    if not full_names_only:
        return found
    full = {max((w for w, n in found.items() if n == m), key=len) for m in set(found.values())}
    return {w: n for w, n in found.items() if w in full}


@cache
def word_classes(table: Table) -> dict[str, frozenset[str]]:
    """A (kind, words) table's word classes: kind → its |-separated words, lower case (the
    discourse stage and the places stage read discourse.tsv's)."""
    return {r["kind"]: frozenset(w.strip().lower() for w in r["words"].split("|"))
            for r in rows(table)}


@cache
def voiced_phrases() -> dict[str, tuple[str, str]]:
    """ambiguity.tsv's phrases whose country depends on who speaks, lower case → (the
    country in its own outlets' voice, the country in anyone else's): "korea" → (PRK, KOR),
    for actors and for places alike."""
    return {r["phrase"].lower(): (r["choice"], r["elsewhere"]) for r in rows(AMBIGUITY)
            if r.get("elsewhere")}


def words(table: Table) -> list[str]:
    """The entries of a one-column table, in file order."""
    name = table.columns[0].name
    return [r[name] for r in rows(table)]


@cache
def values(table: Table, column: str) -> frozenset[str]:
    """Every value of one column (what a check of another table looks names up in)."""
    return frozenset(r[column] for r in rows(table))


def read(table: Table, path: Path) -> list[Row]:
    """Read ``path`` as ``table`` (``rows`` reads the shipped file; tests read others)."""
    out: list[Row] = []
    width = len(table.columns)
    expect_header = table.header
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            where = f"{path}:{n}"
            fields = line.split("\t") if table.header else [line.strip()]
            if expect_header:
                if tuple(fields) != table.names:
                    raise DataError(f"{where}: column row {fields} should be "
                                    f"{list(table.names)}")
                expect_header = False
                continue
            if len(fields) > width:
                raise DataError(f"{where}: {len(fields)} fields, the table has {width} columns "
                                f"({', '.join(table.names)}): a stray tab?")
            out.append(_row(table, fields + [""] * (width - len(fields)), where))
    if expect_header:
        raise DataError(f"{path}:1: no column row {list(table.names)}")
    return out


def _row(table: Table, fields: list[str], where: str) -> Row:
    # fields are kept as written (a consumer strips where it means to); a list's entry is
    # its stripped line
    found = dict(zip(table.names, fields, strict=True))
    for col in table.columns:
        value = found[col.name]
        try:
            if not value.strip():
                if col.required:
                    raise ValueError("must not be empty")
                continue
            if col.check is not None:
                col.check(value)
        except ValueError as exc:
            raise DataError(f"{where}: {col.name}: {exc}") from None
    row = Row(found, where)
    if table.row_check is not None:
        try:
            table.row_check(row)
        except ValueError as exc:
            raise DataError(f"{where}: {exc}") from None
    return row


# ---------------------------------------------------------------------------------------------
# checks


def one_of(*allowed: str) -> Check:
    """A check that the value is one of ``allowed``."""
    def check(value: str) -> None:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return check


def each(check: Check, sep: str = "|") -> Check:
    """A check of every item of a ``sep``-separated list."""
    def check_all(value: str) -> None:
        for item in filter(None, (v.strip() for v in value.split(sep))):
            check(item)
    return check_all


def pattern(regex: str, what: str) -> Check:
    """A check that the value matches ``regex`` (``what`` names it in the message)."""
    compiled = re.compile(regex)

    def check(value: str) -> None:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not {what}")
    return check


def number(value: str) -> None:
    try:
        float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None


def integer(value: str) -> None:
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError(f"{value!r} is not a whole number")


iso_date = pattern(r"\d{4}-\d{2}-\d{2}", "a YYYY-MM-DD date")
role_name = pattern(r"[A-Z_]+|-", "a role NAME in capitals")


def plover_type(value: str) -> None:
    """A PLOVER 2 event type (the types of ontology/plover_scores.tsv)."""
    if value not in values(PLOVER_SCORES, "event_type"):
        raise ValueError(f"unknown PLOVER event type {value!r}")


def cameo_code(value: str) -> None:
    """A CAMEO event code of the Goldstein table (ontology/goldstein_gdelt.tsv)."""
    if value not in values(GOLDSTEIN, "CAMEOEVENTCODE"):
        raise ValueError(f"unknown CAMEO code {value!r}")


def country_code(value: str) -> None:
    """An ISO alpha-3 code of actors/countries.tsv, or IGO / IMG (CAMEO's international
    and transnational-militant codes)."""
    if value not in {"IGO", "IMG"} and value not in values(COUNTRIES, "iso3"):
        raise ValueError(f"unknown country code {value!r}")


def sector_code(value: str) -> None:
    """A CAMEO agent (sector) code of ontology/cameo_sectors.tsv."""
    if value not in values(CAMEO_SECTORS, "code"):
        raise ValueError(f"unknown CAMEO sector {value!r}")


# ---------------------------------------------------------------------------------------------
# ontology


PLOVER_SCORES = Table("ontology/plover_scores.tsv", (
    Column("event_type", pattern(r"[A-Z]+", "an event type in capitals"), required=True),
    Column("quad_category", one_of("VERBAL COOPERATION", "MATERIAL COOPERATION",
                                   "VERBAL CONFLICT", "MATERIAL CONFLICT"), required=True),
    Column("requires_recipient", one_of("Yes", "No")),
    Column("mode"),
    Column("plover_score", number),
))
GOLDSTEIN = Table("ontology/goldstein_gdelt.tsv", (
    Column("CAMEOEVENTCODE", pattern(r"\d{2,4}", "a CAMEO code"), required=True),
    Column("GOLDSTEINSCALE", number, required=True),
))
# A copy of tests/data/ontology/cameo_root_codes.tsv (tests/test_ontology.py keeps it one), so
# its column row stays as that file writes it.
ROOT_GDELT_QUAD = ("gdelt_quadclass(1=VerbCoop,2=MatCoop,3=VerbConf,4=MatConf; grouping as in "
                   "GDELT CAMEO.eventcodes.txt)")
ROOT_PHOENIX_QUAD = "phoenix_quadclass(0=neutral,1..4; phoenix_pipeline/postprocess.py)"
CAMEO_ROOTS = Table("ontology/cameo_root_codes.tsv", (
    Column("root", pattern(r"\d{2}", "a two-digit CAMEO root"), required=True),
    Column("name", required=True),
    Column(ROOT_GDELT_QUAD, one_of("1", "2", "3", "4"), required=True),
    Column(ROOT_PHOENIX_QUAD, one_of("0", "1", "2", "3", "4"), required=True),
    Column("goldstein_root(GDELT file)", number),
    Column("goldstein_root(phoenix/Parus 0.5B1)", number),
    Column("plover_category"),
))
# PLOVER's own CAMEO2PLOVER-2021.txt, kept verbatim (CC BY-SA): a list of "CODE: TYPE, ..." lines.
CAMEO2PLOVER = Table("ontology/cameo2plover.txt", (
    Column("line", pattern(r"\d{2,4}:.*|~+", 'a "CODE: TYPE, , mode # note" line')),
), header=False)
CAMEO_SECTORS = Table("ontology/cameo_sectors.tsv", (
    Column("code", pattern(r"[A-Z]{3}", "a three-letter CAMEO code"), required=True),
    Column("name", required=True),
))


# ---------------------------------------------------------------------------------------------
# actors (kb.py; see data/actors/README.md)

_PHRASES = each(pattern(r"[^|]+", "a phrase"))

AMBIGUITY = Table("actors/ambiguity.tsv", (
    Column("phrase", required=True),
    Column("choice", pattern(r"[A-Z]{3}|-", "a country code or -"), required=True),
    Column("rule", required=True),
    Column("elsewhere", pattern(r"[A-Z]{3}", "a country code")),
))
COUNTRIES = Table("actors/countries.tsv", (
    Column("iso3", pattern(r"[A-Z]{3}", "an ISO alpha-3 code"), required=True),
    Column("iso2"),
    Column("cameo", pattern(r"[A-Z]{3}", "a CAMEO country code"), required=True),
    Column("form", one_of("name", "alias", "adjective", "capital"), required=True),
    Column("phrase", required=True),
    Column("source"),
    Column("key", required=True),
))
COUNTRIES_EXTRA = Table("actors/countries_extra.tsv", (
    Column("iso3", country_code, required=True),
    Column("form", one_of("alias", "adjective", "capital"), required=True),
    Column("phrase", required=True),
    Column("note"),
))
_GROUP_COLUMNS = (
    Column("country", country_code, required=True),
    Column("sector", sector_code),
    Column("code", pattern(r"[A-Z0-9]{3,}", "a CAMEO actor code")),
    Column("name", required=True),
    Column("aliases", _PHRASES),
)
GROUPS = Table("actors/groups.tsv", _GROUP_COLUMNS)
GROUPS_PHOENIX = Table("actors/groups_phoenix.tsv", _GROUP_COLUMNS)
INTERNATIONAL = Table("actors/international_phoenix.tsv", (
    *_GROUP_COLUMNS,
    Column("kind", one_of("group", "igo"), required=True),
    Column("keys", required=True),
))
IGOS = Table("actors/igos.tsv", (
    Column("code", pattern(r"IGO[A-Z]{0,9}", "a CAMEO IGO code"), required=True),
    Column("sector", sector_code),
    Column("name", required=True),
    Column("aliases", _PHRASES),
))
PEOPLE = Table("actors/people.tsv", (
    Column("name", required=True),
    Column("aliases", _PHRASES),
    Column("country", country_code, required=True),
    Column("sector", sector_code),
    Column("role", role_name),
    Column("valid_from", iso_date),
    Column("valid_to", iso_date),
    Column("code", pattern(r"[A-Z0-9]{3,}", "a CAMEO actor code")),
    Column("note"),
))
PEOPLE_PHOENIX = Table("actors/people_phoenix.tsv", (
    Column("name", required=True),
    Column("aliases", _PHRASES),
    Column("country", country_code, required=True),
    Column("sector", sector_code),
    Column("code", pattern(r"[A-Z0-9]{3,}", "a CAMEO actor code"), required=True),
    Column("valid_from", iso_date),
    Column("valid_to", iso_date),
    Column("keys", required=True),
))
SECTORS = Table("actors/sectors.tsv", (
    Column("noun", required=True),
    Column("sector", sector_code, required=True),
))
TITLES = Table("actors/titles.tsv", (
    Column("phrase", required=True),
    Column("role", role_name, required=True),
    Column("sector", pattern(r"[A-Z]{3}|-", "a CAMEO sector or -"), required=True),
    Column("kind", one_of("title", "honorific"), required=True),
))


# ---------------------------------------------------------------------------------------------
# event patterns (events/lexicon.py)

# The named slots of a condition (events/lexicon.py SLOTS reads them); any other slot must be
# a preposition of language/prepositions.tsv, whose objects fill it.
CONDITION_SLOTS = ("dobj", "dobjmod", "prt", "advmod", "prep", "oprd", "xcomp", "mod", "subj",
                   "light")
FLAGS = ("sym", "control", "needs_target", "addressee")


def preposition(value: str) -> None:
    if value not in values(PREPOSITIONS, "preposition"):
        raise ValueError(f"unknown preposition {value!r} (language/prepositions.tsv)")


def _condition_value(value: str) -> None:
    if value.startswith("@") and value != "@actor" \
            and value[1:] not in values(CLASSES, "class"):
        raise ValueError(f"unknown word class {value!r} (patterns/classes.tsv)")


def condition(value: str) -> None:
    """Conditions "slot=a|b;!slot=*": a known slot (or a preposition) and known classes."""
    for part in filter(None, value.split(";")):
        slot, eq, values = part.partition("=")
        slot = slot.removeprefix("!")
        if not eq or not values:
            raise ValueError(f"{part!r} is not slot=value|value")
        if slot not in CONDITION_SLOTS:
            try:
                preposition(slot)
            except ValueError:
                raise ValueError(f"unknown slot {slot!r} in {part!r}: a slot is one of "
                                 f"{', '.join(CONDITION_SLOTS)} or a preposition") from None
        for v in values.split("|"):
            _condition_value(v)


def flag(value: str) -> None:
    """A pattern flag, or also=TYPE:CAMEO (a second coding of the same act)."""
    if value.startswith("also="):
        etype, colon, code = value[5:].partition(":")
        if not colon:
            raise ValueError(f"{value!r} is not also=TYPE:CAMEO")
        plover_type(etype)
        cameo_code(code)
    elif value not in FLAGS:
        raise ValueError(f"unknown flag {value!r}: flags are {', '.join(FLAGS)}, also=TYPE:CAMEO")


def _pattern_type(value: str) -> None:
    if value != "NONE":  # a statement PLOVER leaves out (events/lexicon.py NO_EVENT)
        plover_type(value)


def _pattern_row(row: Row) -> None:
    if row["pos"] == "LIGHT":
        extra = [c for c in ("condition", "event_type", "mode", "cameo") if row[c]]
        if extra:
            raise ValueError(f"a LIGHT row has only lemma and pos, not {', '.join(extra)}")
        return
    for col in ("event_type", "cameo"):
        if not row[col]:
            raise ValueError(f"a {row['pos']} row needs {col}")


PATTERNS = Table("patterns/patterns.tsv", (
    Column("lemma", required=True),
    Column("pos", one_of("VERB", "NOUN", "LIGHT"), required=True),
    Column("condition", condition),
    Column("event_type", _pattern_type),
    Column("mode"),
    Column("cameo", cameo_code),
    Column("target_preps", each(preposition, ",")),
    Column("flags", each(flag, ",")),
    Column("note"),
), row_check=_pattern_row)
CLASSES = Table("patterns/classes.tsv", (
    Column("class", pattern(r"[a-z_]+", "a class name"), required=True),
    Column("words", required=True),
))
INTENT = Table("patterns/intent.tsv", (
    Column("event_type", plover_type, required=True),
    Column("intent_type", plover_type, required=True),
    Column("intent_mode"),
    Column("cameo", cameo_code, required=True),
    Column("reject_mode"),
    Column("reject_cameo", cameo_code),
    Column("request_mode"),
    Column("request_cameo", cameo_code),
    Column("keep", one_of("yes")),
))
# The kinds of modality.tsv that the code reads (events/modality.py and friends).
MODALITY_KINDS = ("intent_aux", "drop_aux", "intent_verb", "drop_mark", "drop_verb", "negation",
                  "obligation_aux", "speech_verb", "content_noun", "reverse_light",
                  "stative_passive", "reference_mark")
MODALITY = Table("patterns/modality.tsv", (
    Column("kind", one_of(*MODALITY_KINDS), required=True),
    Column("words", required=True),
))
EVENT_TYPES = Table("patterns/types.tsv", (
    Column("event_type", plover_type, required=True),
    Column("policies", each(one_of("domestic", "same-country-dropped", "content-clause",
                                   "content-target", "place-target", "no-recipient",
                                   "participle-content", "joint"), ",")),
))
RULE_CODES = Table("patterns/rule_codes.tsv", (
    Column("rule", one_of("outlet-condemn", "say-must", "refusal", "ultimatum"), required=True),
    Column("event_type", plover_type, required=True),
    Column("mode"),
    Column("cameo", cameo_code, required=True),
))
LEMMA_FIXES = Table("patterns/lemma_fixes.tsv", (
    Column("form", required=True),
    Column("pos", one_of("VERB", "NOUN", "ADJ", "PROPN"), required=True),
    Column("lemma", required=True),
))
AGENT_NOUNS = Table("patterns/agent_nouns.tsv", (
    Column("noun", required=True),
    Column("sector", sector_code),
))
ROLE_NOUNS = Table("patterns/role_nouns.tsv", (
    Column("noun", required=True),
    Column("sector", sector_code),
))


# ---------------------------------------------------------------------------------------------
# lists that several stages read

# News outlets: clean.py lifts them out of pasted pages, actors.py gives an article the country
# its outlet speaks for.
OUTLETS = Table("outlets.tsv", (
    Column("name", required=True),
    Column("country", country_code),
))

GOVERNMENTS = Table("governments.tsv", (
    Column("name", required=True),
    Column("country", country_code, required=True),
))

PREPOSITIONS = Table("language/prepositions.tsv", (
    Column("preposition", pattern(r"[a-z]+", "a preposition in lower case"), required=True),
    Column("roles", each(one_of("place", "agent-place", "source-place", "destination", "agent-host",
                                "member-of", "venue"), ",")),
))
MOTION = Table("language/motion.tsv", (
    Column("word", pattern(r"[a-z]+", "a word in lower case"), required=True),
    Column("roles", each(one_of("purpose-happened", "destination", "flight"), ","),
           required=True),
))
ENTITY_LABELS = Table("language/entity_labels.tsv", (
    Column("label", pattern(r"[A-Z_]+", "a spaCy entity label"), required=True),
    Column("roles", each(one_of("place", "gazetteer", "town"), ","), required=True),
))
CALENDAR = Table("language/calendar.tsv", (
    Column("kind", one_of("month", "weekday", "number"), required=True),
    Column("word", pattern(r"[a-z]+", "a word in lower case"), required=True),
    Column("value", integer, required=True),
))


# ---------------------------------------------------------------------------------------------
# cleaning, places, tone, export

FUNCTION_WORDS = Table("clean/function_words.txt", (Column("word"),), header=False)
SURNAMES = Table("clean/surnames.txt", (Column("surname"),), header=False)
FURNITURE = Table("clean/furniture.txt", (
    Column("phrase", required=True),
    Column("action", one_of("drop", "stop")),
))
GLUED_NAMES = Table("clean/glued_names.txt", (
    Column("name", required=True),
    Column("count", integer),
))
PLACES = Table("gazetteer/places.tsv", (
    Column("name", required=True),
    Column("aliases", _PHRASES),
    Column("country", pattern(r"[A-Z]{3}|-", "a country code or -"), required=True),
    Column("lat", number, required=True),
    Column("lon", number, required=True),
    Column("kind", one_of("country", "city", "site", "region", "sea", "not_place"),
           required=True),
))
REGIONS = Table("gazetteer/regions.tsv", (
    Column("name", required=True),
    Column("aliases", _PHRASES),
    Column("country", pattern(r"[A-Z]{3}", "an ISO alpha-3 code"), required=True),
    Column("lat", number, required=True),
    Column("lon", number, required=True),
    Column("population", integer, required=True),
))
SAME_OCCASION = Table("gazetteer/same_occasion.txt", (Column("phrase"),), header=False)
FRIENDSHIP_WORDS = Table("actors/friendship_words.txt", (
    Column("word", pattern(r"[a-z]+", "a word in lower case")),), header=False)


def _informal_group_row(row: Row) -> None:
    if (row["role"] == "noun") == bool(row["name"]):
        raise ValueError("a noun row has no name; every other row names its group")


INFORMAL_GROUPS = Table("actors/informal_groups.tsv", (
    Column("word", pattern(r"[a-z]+", "a word in lower case"), required=True),
    Column("role", one_of("name", "modifier", "noun", "possessed"), required=True),
    Column("name"),
), row_check=_informal_group_row)
TOPIC_NOUNS = Table("language/topic_nouns.txt", (
    Column("noun", pattern(r"[a-z]+", "a noun in lower case")),), header=False)
VADER = Table("tone/vader_words.tsv", (
    Column("word", required=True),
    Column("valence", number, required=True),
))
FIPS = Table("export/fips.tsv", (
    Column("iso3", pattern(r"[A-Z]{3}", "an ISO alpha-3 code"), required=True),
    Column("fips", pattern(r"[A-Z]{2}|-", "a FIPS 10-4 code or -"), required=True),
    Column("name", required=True),
))


# The word classes of the discourse stage (tidings/discourse.py) and the types a candidate is
# often coded as instead of its own (the alternatives it proposes).
DISCOURSE_KINDS = ("document_noun", "accuse_verb", "request_verb", "threaten_verb",
                   "support_verb", "say_verb", "consequence", "force", "message_noun",
                   "arrival", "receipt", "exchange", "sending", "label_verb",
                   "demonstrative")
DISCOURSE = Table("patterns/discourse.tsv", (
    Column("kind", one_of(*DISCOURSE_KINDS), required=True),
    Column("words", required=True),
))


def type_and_code(value: str) -> None:
    """"TYPE:cameo": a PLOVER type and a CAMEO code of the Goldstein table."""
    etype, _, cameo = value.partition(":")
    plover_type(etype)
    cameo_code(cameo)


ALTERNATIVES = Table("patterns/alternatives.tsv", (
    Column("event_type", plover_type, required=True),
    Column("alternatives", each(type_and_code), required=True),
))


CENTROIDS = Table("geo/country_centroids.tsv", (
    Column("iso3", pattern(r"[A-Z]{3}", "an ISO alpha-3 code"), required=True),
    Column("lat", number, required=True),
    Column("lon", number, required=True),
    Column("source", one_of("naturalearth-50m", "capital"), required=True),
))


# Every table, for tests/test_data.py (a file under tidings/data without one is an error).
TABLES = (
    PLOVER_SCORES, GOLDSTEIN, CAMEO_ROOTS, CAMEO2PLOVER, CAMEO_SECTORS,
    AMBIGUITY, COUNTRIES, COUNTRIES_EXTRA, GROUPS, GROUPS_PHOENIX, INTERNATIONAL, IGOS, PEOPLE,
    PEOPLE_PHOENIX, SECTORS, TITLES, FRIENDSHIP_WORDS, INFORMAL_GROUPS,
    PATTERNS, CLASSES, INTENT, MODALITY, EVENT_TYPES, RULE_CODES, LEMMA_FIXES, AGENT_NOUNS,
    ROLE_NOUNS, DISCOURSE, ALTERNATIVES,
    OUTLETS, GOVERNMENTS, PREPOSITIONS, MOTION, ENTITY_LABELS, CALENDAR,
    FUNCTION_WORDS, SURNAMES, FURNITURE, GLUED_NAMES, PLACES, REGIONS, SAME_OCCASION, TOPIC_NOUNS,
    VADER,
    FIPS, CENTROIDS,
)
