"""The places nearest to a point: one ranking for commune pages and for closed places.

Straight-line distances (`data/geo.py`): the site is static and calls no routing service;
« à 12 km à vol d’oiseau » is honest and enough to tell the nearest places apart in a rural
département. A place without coordinates is placed at its commune's point (inside its outline), so it still
shows up near its commune.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..data.geo import Points, Position
from ..data.territory import Territory
from .places import Place


class Nearest(NamedTuple):
    """A place and its distance (a tuple: every commune ranks every place on each build)."""

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
    ties: np.ndarray  # each place's rank by commune then name: the order at equal distance


def located(places: Iterable[Place], territory: Territory) -> Located:
    found, positions = [], []
    for place in places:
        position = place_position(place, territory)
        if position is not None:
            found.append(place)
            positions.append(position)
    by_name = sorted(range(len(found)), key=lambda i: found[i].sort_key)
    ties = np.empty(len(found), dtype=np.int64)
    ties[by_name] = np.arange(len(found))
    return Located(tuple(found), Points(positions), ties)


def rank(origin: Position | None, places: Located, k: int | None = None) -> list[Nearest]:
    """Located `places` ranked from the nearest to `origin` (ties by commune then name)."""
    if origin is None:
        return []
    kms = places.points.km_array(origin)
    order = np.lexsort((places.ties, kms))  # by distance, then by commune and name
    if k is not None:
        order = order[: max(k, 0)]
    found, km_list = places.places, kms.tolist()
    return [Nearest(found[i], km_list[i]) for i in order.tolist()]


def alternatives(place: Place, open_places: Iterable[Place], territory: Territory, k: int = 3) -> list[Place]:
    """The `k` open places nearest to `place` (a closed one), to send its visitors elsewhere."""
    others = [p for p in open_places if p.url_path != place.url_path]
    return [n.place for n in nearest(place_position(place, territory), others, territory, k)]
