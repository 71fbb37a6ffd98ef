"""The places nearest to a point: one ranking for commune pages and for closed places.

Straight-line distances (`data/geo.py`): the site is static and calls no routing service;
« à 12 km à vol d’oiseau » is honest and enough to tell the nearest places apart in a rural
département. A place without coordinates is placed at its commune's point (inside its outline), so it still
shows up near its commune.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, overload

import numpy as np

from ..data.geo import Points, Position
from ..data.territory import Territory
from .places import Place


class Nearest(NamedTuple):
    """A place and its distance from an origin."""

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
    return list(rank(origin, located(places, territory), k))


@dataclass(frozen=True)
class Located:
    """The places that have a position (their own, else their commune's), with those positions
    prepared for distances: worked out once when many origins rank the same places."""

    places: tuple[Place, ...]
    points: Points
    ties: np.ndarray  # each place's rank by commune then name: the order at equal distance
    communes: np.ndarray  # each place's commune code (INSEE)
    offers: dict[str, np.ndarray]  # service label → which places offer it


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
    communes = np.array([p.commune_ref.code_insee for p in found], dtype=str)
    offers: dict[str, np.ndarray] = {}
    for i, place in enumerate(found):
        for service in place.services:
            offers.setdefault(service, np.zeros(len(found), dtype=bool))[i] = True
    return Located(tuple(found), Points(positions), ties, communes, offers)


_CHUNK = 64  # places made into `Nearest` at a time while a reader walks a ranking


class Ranking(Sequence[Nearest]):
    """Located places from the nearest to one origin, each made a `Nearest` only when read.

    Every commune ranks every place, and its page, partner list and bulletin insert read the
    same ranking, so rankings are kept for the whole build: as two arrays (12 bytes a place),
    not as lists of tuples (about 90 bytes: 470 MB at 20,000 places and 265 communes). Readers
    stop early: the five nearest, the first place offering a service.
    """

    __slots__ = ("_located", "_order", "_kms")

    def __init__(self, located: Located, order: np.ndarray, kms: np.ndarray) -> None:
        self._located = located
        self._order = order  # indexes into located.places, nearest first
        self._kms = kms  # their distances, in the same order

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> Nearest: ...
    @overload
    def __getitem__(self, index: slice) -> Ranking: ...
    def __getitem__(self, index: int | slice) -> Nearest | Ranking:
        if isinstance(index, slice):
            return Ranking(self._located, self._order[index], self._kms[index])
        return Nearest(self._located.places[int(self._order[index])], float(self._kms[index]))

    def __iter__(self) -> Iterator[Nearest]:
        places = self._located.places
        for start in range(0, len(self._order), _CHUNK):
            indexes = self._order[start:start + _CHUNK].tolist()
            for i, km in zip(indexes, self._kms[start:start + _CHUNK].tolist(), strict=True):
                yield Nearest(places[i], km)

    def of_commune(self, code_insee: str, *, inside: bool = True) -> Ranking:
        """The places of commune `code_insee` in this order (or, `inside=False`, every other
        place): chosen at once, without making every place a `Nearest` to look at it."""
        mask = self._located.communes[self._order] == code_insee
        return self._where(mask if inside else ~mask)

    def offering(self, service: str) -> Ranking:
        """The places offering `service`, in this order: the nearest one per need is the first,
        found without walking past every place that does not offer it."""
        offers = self._located.offers.get(service)
        return self._where(offers[self._order] if offers is not None else np.zeros(len(self), dtype=bool))

    @property
    def all_places(self) -> tuple[Place, ...]:
        """Every place the build ranks, before any choice: what a mask for `among` marks."""
        return self._located.places

    def among(self, mask: np.ndarray) -> Ranking:
        """The places `mask` marks (one flag per place of `all_places`, in its order), in this order."""
        return self._where(mask[self._order])

    def _where(self, mask: np.ndarray) -> Ranking:
        return Ranking(self._located, self._order[mask], self._kms[mask])


def rank(origin: Position | None, places: Located, k: int | None = None) -> Ranking:
    """Located `places` ranked from the nearest to `origin` (ties by commune then name)."""
    if origin is None:
        return Ranking(places, np.empty(0, dtype=np.int32), np.empty(0))
    kms = places.points.km_array(origin)
    order = np.lexsort((places.ties, kms)).astype(np.int32)  # by distance, then by commune and name
    if k is not None:
        order = order[: max(k, 0)]
    return Ranking(places, order, kms[order])


def alternatives(place: Place, open_places: Iterable[Place], territory: Territory, k: int = 3) -> list[Place]:
    """The `k` open places nearest to `place` (a closed one), to send its visitors elsewhere."""
    others = [p for p in open_places if p.url_path != place.url_path]
    return [n.place for n in nearest(place_position(place, territory), others, territory, k)]
