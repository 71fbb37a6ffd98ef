"""Commune outlines and positions from public geometry, for maps and distances.

The outlines come from IGN ADMIN EXPRESS (2018, via `france-geojson`); communes have merged
since (communes nouvelles). A current commune's area is its own 2018 outline plus those of the
communes merged into it (`anciensCodes` in the territory file), joined with shapely. Its
position is a point guaranteed inside that area, far from its edges (the "pole of
inaccessibility"): every distance the site shows starts there. Run by
`scripts/import_commune_outlines.py`; the build reads the files it writes, never shapely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shapely import coverage_simplify, make_valid, set_precision
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel, unary_union

DECIMALS = 5  # about one metre: the precision of the source
POLE_TOLERANCE = 0.0005  # degrees (≈ 50 m): precise enough for a distance in km
# Outlines kept for maps are simplified together, so neighbours keep a shared border (no gap,
# no overlap): 20 765 points become about 7 800, and a map page stays light on a phone.
MAP_SIMPLIFICATION = 0.003


class OutlineError(ValueError):
    """A commune of the territory without an outline; the message is French."""


@dataclass(frozen=True)
class CommuneArea:
    code: str
    nom: str
    merged: tuple[str, ...]  # codes of the 2018 communes merged into it, found in the outlines
    area: BaseGeometry  # Polygon or MultiPolygon, WGS 84 (longitude, latitude)

    @property
    def point(self) -> tuple[float, float]:
        """(latitude, longitude) of a point inside the commune, far from its edges."""
        largest = max(_polygons(self.area), key=lambda p: p.area)
        pole = polylabel(largest, tolerance=POLE_TOLERANCE)
        return round(pole.y, DECIMALS), round(pole.x, DECIMALS)


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon)]


def merge_outlines(features: Iterable[Mapping[str, Any]], communes: Iterable[Mapping[str, Any]]) -> list[CommuneArea]:
    """One area per current commune of the territory: its outline joined with its former ones.

    `features` are GeoJSON features with a `code` property (INSEE); `communes` are the
    territory file's communes (`code`, `nom`, `anciensCodes`). A commune with no outline at all
    raises OutlineError: a map with a hole would hide a commune from its residents."""
    by_code = {str(f["properties"]["code"]): make_valid(shape(f["geometry"])) for f in features}
    areas = []
    for commune in communes:
        codes = [commune["code"], *commune.get("anciensCodes", ())]
        parts = [by_code[c] for c in codes if c in by_code]
        if not parts:
            raise OutlineError(f"commune {commune['code']} ({commune['nom']}) : aucun contour dans le fichier source")
        joined = unary_union(parts) if len(parts) > 1 else parts[0]
        joined = set_precision(joined, 10**-DECIMALS)
        merged = tuple(c for c in codes[1:] if c in by_code)
        areas.append(CommuneArea(commune["code"], commune["nom"], merged, joined))
    return areas


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates, (int, float)):
        return round(float(coordinates), DECIMALS)
    return [_rounded(c) for c in coordinates]


def outlines_geojson(areas: Iterable[CommuneArea], source: str) -> dict[str, Any]:
    """The areas, simplified for maps, as a GeoJSON FeatureCollection (what `data.outlines`
    reads at build)."""
    areas = list(areas)
    simplified = coverage_simplify([a.area for a in areas], MAP_SIMPLIFICATION)
    features = []
    for area, outline in zip(areas, simplified):
        geometry = mapping(outline)
        features.append({
            "type": "Feature",
            "properties": {"code": area.code, "nom": area.nom, "anciens_codes": list(area.merged)},
            "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
        })
    return {"type": "FeatureCollection", "source": f"{source}; simplified for maps ({MAP_SIMPLIFICATION})",
            "features": features}


def positions_json(areas: Iterable[CommuneArea], source: str) -> dict[str, Any]:
    """One point per commune, inside its area (what `data.territory.load_positions` reads)."""
    communes = []
    for area in areas:
        lat, lon = area.point
        communes.append({"code": area.code, "nom": area.nom, "lat": lat, "lon": lon, "point": "dans le contour"})
    return {"source": source, "communes": communes}
