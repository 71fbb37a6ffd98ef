"""The places nearest to a point: one ranking for commune pages and for closed places.

Straight-line distances (`data/geo.py`): the site is static and calls no routing service;
« à 12 km à vol d’oiseau » is honest and enough to tell the nearest places apart in a rural
département. A place without coordinates is placed at its commune's point (inside its outline), so it still
shows up near its commune.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..data.geo import Points, Position
from ..data.territory import Territory
from .places import Place


@dataclass(frozen=True)
class Nearest:
    place: Place
    km: float  # straight-line distance from the origin


def place_position(place: Place, territory: Territory) -> Position | None:
    """The place's own coordinates, else its commune's point (approximate)."""
    if place.latitude is not None and place.longitude is not None:
        return place.latitude, place.longitude
    return territory.position(place.commune_ref.code_insee)


def nearest(
    origin: Position | None, places: Iterable[Place], territory: Territory, k: int | None = None
) -> list[Nearest]:
    """`places` ranked from the nearest to `origin` (ties by commune then name); the first `k`."""
    return rank(origin, located(places, territory), k)


@dataclass(frozen=True)
class Located:
    """The places that have a position (their own, else their commune's), with those positions
    prepared for distances: worked out once when many origins rank the same places."""

    places: tuple[Place, ...]
    points: Points


def located(places: Iterable[Place], territory: Territory) -> Located:
    found, positions = [], []
    for place in places:
        position = place_position(place, territory)
        if position is not None:
            found.append(place)
            positions.append(position)
    return Located(tuple(found), Points(positions))


def rank(origin: Position | None, places: Located, k: int | None = None) -> list[Nearest]:
    """Located `places` ranked from the nearest to `origin` (ties by commune then name)."""
    if origin is None:
        return []
    ranked = [Nearest(place, km) for place, km in zip(places.places, places.points.km_from(origin), strict=True)]
    ranked.sort(key=lambda n: (n.km, n.place.sort_key))
    return ranked if k is None else ranked[: max(k, 0)]


def alternatives(place: Place, open_places: Iterable[Place], territory: Territory, k: int = 3) -> list[Place]:
    """The `k` open places nearest to `place` (a closed one), to send its visitors elsewhere."""
    others = [p for p in open_places if p.url_path != place.url_path]
    return [n.place for n in nearest(place_position(place, territory), others, territory, k)]
