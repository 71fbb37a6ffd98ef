"""Maps drawn at build time as inline SVG: no tiles, no JavaScript, no request to anyone.

A map is a set of commune outlines (`data/outlines.py`), each filled with one *tone* (a class
of distance to help), each a link to its commune page. The tones differ by lightness, and the
white zones are also hatched, so the map does not rely on colour alone; the legend is HTML,
beside it, and the same facts are in a table on the same page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ..data.outlines import Projection, Ring

WIDTH = 1000  # user units; the SVG scales to its container


@dataclass(frozen=True)
class Tone:
    """One class of distance: how it is drawn and what it means."""

    key: str  # CSS class suffix
    fill: str  # a colour, or `url(#…)` of a pattern defined in every map


TONES: tuple[Tone, ...] = (
    Tone("ici", "#08306b"),  # help in the commune
    Tone("proche", "#2171b5"),  # nearer than half the threshold
    Tone("moyen", "#9ecae1"),  # up to the threshold
    Tone("blanche", "url(#{prefix}-hachures)"),  # beyond: a white zone, hatched
)
HATCH = "#b2182b"


@dataclass(frozen=True)
class Area:
    """One commune on a map."""

    code: str
    label: str  # what a screen reader and a tooltip say: « Adriers : démarches à 11 km »
    tone: int  # index in TONES
    href: str | None = None
    current: bool = False  # the commune of the page: drawn with a thick outline


def ring_path(ring: Ring, projection: Projection) -> str:
    """`M x y l dx dy …z`: relative moves in whole units keep a 265-commune map small."""
    points: list[tuple[int, int]] = []
    for lon, lat in ring:
        x, y = projection.point(lon, lat)
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) < 3:
        return ""
    parts = [f"M{points[0][0]} {points[0][1]}l"]
    moves = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        moves.append(f"{x1 - x0} {y1 - y0}")
    parts.append(" ".join(moves))
    return "".join(parts).replace(" -", "-") + "z"


Box = tuple[float, float, float, float]  # west, south, east, north
CELL_DEG = 0.25  # side of a `Boxes` grid cell, in degrees: a few communes wide


class Boxes:
    """The bounding box of each commune, computed once for every neighbourhood map, and put in
    the cells of a grid they cross: a commune's neighbours are looked for among the boxes of the
    cells around it, not among every commune (for 35,000 communes, 74 s of comparisons)."""

    def __init__(self, outlines: Mapping[str, Sequence[Ring]]) -> None:
        self.boxes: dict[str, Box] = {}
        for code, rings in outlines.items():
            xs = [x for ring in rings for x, _ in ring]
            ys = [y for ring in rings for _, y in ring]
            if xs:
                self.boxes[code] = (min(xs), min(ys), max(xs), max(ys))
        self._order = {code: i for i, code in enumerate(self.boxes)}
        self._cells: dict[tuple[int, int], list[str]] = {}
        for code, box in self.boxes.items():
            for cell in _cells(box):
                self._cells.setdefault(cell, []).append(code)

    def neighbours(self, around: str, margin_km: float) -> list[str]:
        """The communes whose box comes within about `margin_km` of the box of commune `around`,
        in the outlines' order: a commune page shows its neighbours, not the whole département."""
        if around not in self.boxes:
            return []
        west, south, east, north = self.boxes[around]
        dlat = margin_km / 111.0
        dlon = dlat / math.cos(math.radians((south + north) / 2))
        west, south, east, north = west - dlon, south - dlat, east + dlon, north + dlat
        near = {code for cell in _cells((west, south, east, north)) for code in self._cells.get(cell, ())}
        return sorted((code for code in near if _overlap(self.boxes[code], (west, south, east, north))),
                      key=self._order.__getitem__)


def _cells(box: Box) -> list[tuple[int, int]]:
    west, south, east, north = box
    columns = range(math.floor(west / CELL_DEG), math.floor(east / CELL_DEG) + 1)
    return [(x, y) for x in columns for y in range(math.floor(south / CELL_DEG), math.floor(north / CELL_DEG) + 1)]


def _overlap(box: Box, other: Box) -> bool:
    w, s, e, n = box
    west, south, east, north = other
    return w <= east and e >= west and s <= north and n >= south


def draw(outlines: Mapping[str, Sequence[Ring]], areas: Sequence[Area], *, title: str, prefix: str) -> str:
    """The inline SVG of `areas` (each a link when it has `href`), fitted to their outlines."""
    drawn = [a for a in areas if outlines.get(a.code)]
    if not drawn:
        return ""
    projection = Projection.fit((ring for a in drawn for ring in outlines[a.code]), WIDTH)
    title_id = f"{prefix}-titre"
    out = [
        f'<svg class="annuaire-carte-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {math.ceil(projection.height)}"'
        f' role="group" aria-labelledby="{title_id}" focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<defs><pattern id="{prefix}-hachures" width="8" height="8" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
        f'<rect width="3" height="8" fill="{HATCH}"/></pattern></defs>',
    ]
    current = []
    for area in drawn:
        path = "".join(ring_path(r, projection) for r in outlines[area.code])
        if not path:
            continue
        tone = TONES[area.tone]
        shape = (f'<path class="annuaire-zone annuaire-zone-{tone.key}" d="{path}" '
                 f'fill="{tone.fill.format(prefix=prefix)}" fill-rule="evenodd"/>')
        if area.href:
            out.append(f'<a href="{escape(area.href)}" aria-label="{escape(area.label)}">'
                       f'<title>{escape(area.label)}</title>{shape}</a>')
        else:
            out.append(f'<g><title>{escape(area.label)}</title>{shape}</g>')
        if area.current:
            current.append(f'<path class="annuaire-zone-ici-contour" d="{path}" fill="none"/>')
    out.extend(current)  # drawn last, so no neighbour covers the thick outline
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class MapContent:
    """What a map shows, without the outlines it is drawn from: what a page's context holds, so
    that a page whose map did not change is neither rendered nor drawn again (`page_memo`): with
    1,060 communes, a changed phone number took 5.6 s when every map was drawn to make the
    context, 4.8 to 5.1 s now."""

    areas: tuple[Area, ...]
    title: str
    prefix: str
    outlines: str  # the digest of the outlines file: new outlines draw the maps again (today every
    # record's key also changes with the territory's folder, so every page is rendered again)


def content(outlines: Mapping[str, Sequence[Ring]], areas: Sequence[Area], *, title: str, prefix: str,
            digest: str) -> MapContent | None:
    """The map of `areas`, to draw when the page is rendered (`draw_content`); None when none of
    them has an outline (no map on the page)."""
    if not any(outlines.get(a.code) for a in areas):
        return None
    return MapContent(tuple(areas), title, prefix, digest)


def draw_content(outlines: Mapping[str, Sequence[Ring]], map_: MapContent) -> str:
    """The inline SVG of `map_` (a template global, `carte`, bound to the build's outlines)."""
    return draw(outlines, map_.areas, title=map_.title, prefix=map_.prefix)


def swatch(tone: int, prefix: str) -> str:
    """A small square of a tone, for the legend (decorative: the text beside it says it)."""
    fill = TONES[tone].fill.format(prefix=prefix)
    defs = ""
    if fill.startswith("url("):
        defs = (f'<defs><pattern id="{prefix}-hachures" width="8" height="8" patternUnits="userSpaceOnUse"'
                f' patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff"/>'
                f'<rect width="3" height="8" fill="{HATCH}"/></pattern></defs>')
    return (f'<svg class="annuaire-pastille" width="28" height="20" viewBox="0 0 28 20" aria-hidden="true"'
            f' focusable="false">{defs}<rect x="1" y="1" width="26" height="18" fill="{fill}" stroke="#333"/></svg>')
