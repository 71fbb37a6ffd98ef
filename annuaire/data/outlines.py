"""The communes' outlines, to draw maps: read from `communes_<dép>_contours.geojson`.

The file is written by `scripts/import_commune_outlines.py` (communes nouvelles already joined
from their former communes); reading it needs nothing but `json`. Coordinates are (longitude,
latitude), WGS 84, as in GeoJSON.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

Ring = tuple[tuple[float, float], ...]  # closed ring of (longitude, latitude)
OUTLINES_NAME = "communes_{departement}_contours.geojson"  # beside the territory file


def outlines_file(territory_file: Path) -> Path:
    """`data/territoire_86.json` → `data/communes_86_contours.geojson`."""
    departement = territory_file.stem.rsplit("_", 1)[-1]
    return territory_file.parent / OUTLINES_NAME.format(departement=departement)


def load_outlines(path: Path) -> tuple[dict[str, tuple[Ring, ...]], str]:
    """INSEE code → the rings of its outline (outer rings and holes alike: a map fills them
    with the even-odd rule), and the file's sha256, from one read (32 MB for France): maps kept
    with the pages they are on are drawn again when it changes. Missing file: no outlines, an
    empty digest, and no map is drawn."""
    if not path.is_file():
        return {}, ""
    raw = path.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    outlines: dict[str, tuple[Ring, ...]] = {}
    for feature in data.get("features", []):
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for polygon in polygons for ring in polygon)
        outlines[str(feature["properties"]["code"])] = rings
    return outlines, hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude → SVG units: equirectangular at the map's mean latitude (at the
    scale of a département, the distortion is under 1 %)."""

    west: float
    north: float
    scale: float  # SVG units per degree of longitude
    aspect: float  # cos(mean latitude)
    height: float

    @classmethod
    def fit(cls, rings: Iterable[Ring], width: float) -> Projection:
        xs, ys = [], []
        for ring in rings:
            for x, y in ring:
                xs.append(x)
                ys.append(y)
        west, east, south, north = min(xs), max(xs), min(ys), max(ys)
        aspect = math.cos(math.radians((south + north) / 2))
        scale = width / max(east - west, 1e-9)
        height = (north - south) * scale / aspect
        return cls(west, north, scale, aspect, height)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """(x, y) from the top left corner, y downwards (SVG's way; a PDF flips it)."""
        return (lon - self.west) * self.scale, (self.north - lat) * self.scale / self.aspect
