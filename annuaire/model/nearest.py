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
    communes: np.ndarray  # each place's commune, as an index into `commune_index`
    commune_index: dict[str, int]  # commune code (INSEE) → its index in `communes`
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
    commune_index: dict[str, int] = {}
    communes = np.array([commune_index.setdefault(p.commune_ref.code_insee, len(commune_index)) for p in found],
                        dtype=np.int32)
    offers: dict[str, np.ndarray] = {}
    for i, place in enumerate(found):
        for service in place.services:
            offers.setdefault(service, np.zeros(len(found), dtype=bool))[i] = True
    return Located(tuple(found), Points(positions), ties, communes, commune_index, offers)


_CHUNK = 64  # places made into `Nearest` at a time while a reader walks a ranking
NEAREST_FIRST = 256  # places sorted when a commune is ranked; the others only if a reader goes past them


RankingParts = tuple[np.ndarray, np.ndarray, bool]  # sorted places (indexes), their km, cut short


class Ranking(Sequence[Nearest]):
    """Located places from the nearest to one origin, each made a `Nearest` only when read.

    Every commune ranks every place, and its page, partner list and bulletin insert read the
    same ranking, so rankings are kept for the whole build: as two arrays (12 bytes a place),
    not as lists of tuples (about 90 bytes: 470 MB at 20,000 places and 265 communes). Readers
    stop early — the five nearest, the first place offering a service —, so only the nearest
    `NEAREST_FIRST` are sorted and kept: the rest is sorted when a reader goes past them, the
    same as if it had been from the start (35,000 communes each sorting 20,000 places took a
    minute, and 8 GB to keep).
    """

    __slots__ = ("_located", "_origin", "_order", "_kms", "_chosen", "_size")

    def __init__(self, located: Located, order: np.ndarray, kms: np.ndarray, *, origin: Position | None = None,
                 chosen: tuple[np.ndarray, ...] = ()) -> None:
        self._located = located
        self._order = order  # indexes into located.places, nearest first
        self._kms = kms  # their distances, in the same order
        # A ranking cut short (`origin` given) holds the nearest of the places `chosen` (those
        # every mask flags: one flag per place of `located`; no mask: all), up to a distance: its
        # first places are those of the whole ranking, made from `origin` when a reader goes
        # further. The masks are combined only then: a commune page chooses a dozen times.
        self._origin = origin
        self._chosen = chosen
        # How many places the whole ranking has: these, or all those chosen, counted only when a
        # reader asks (a commune page masks its ranking a dozen times and reads the first places
        # of each: counting 20,000 flags each time took 7 s of a national build).
        self._size: int | None = len(order) if origin is None else len(located.places) if not chosen else None

    def __len__(self) -> int:
        if self._size is None:
            self._size = int(np.count_nonzero(self._choice()))
        return self._size

    def __bool__(self) -> bool:
        return len(self._order) > 0 or (self._origin is not None and len(self) > 0)

    @overload
    def __getitem__(self, index: int) -> Nearest: ...
    @overload
    def __getitem__(self, index: slice) -> Ranking: ...
    def __getitem__(self, index: int | slice) -> Nearest | Ranking:
        if isinstance(index, slice):
            if index.step in (None, 1) and (index.start or 0) >= 0 and index.stop is not None \
                    and 0 <= index.stop <= len(self._order):  # the nearest ones, sorted already: not counted
                return Ranking(self._located, self._order[index], self._kms[index])
            start, stop, step = index.indices(len(self))
            if step == 1 and stop <= len(self._order):  # within the places sorted already
                return Ranking(self._located, self._order[start:stop], self._kms[start:stop])
            order, kms = self._all()
            return Ranking(self._located, order[index], kms[index])
        if 0 <= index < len(self._order):
            return Nearest(self._located.places[int(self._order[index])], float(self._kms[index]))
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        order, kms = (self._order, self._kms) if position < len(self._order) else self._all()
        return Nearest(self._located.places[int(order[position])], float(kms[position]))

    def __iter__(self) -> Iterator[Nearest]:
        places = self._located.places
        order, kms, start = self._order, self._kms, 0
        while True:
            for begin in range(start, len(order), _CHUNK):
                indexes = order[begin:begin + _CHUNK].tolist()
                for i, km in zip(indexes, kms[begin:begin + _CHUNK].tolist(), strict=True):
                    yield Nearest(places[i], km)
            if self._origin is None or len(order) >= len(self):
                return
            start, (order, kms) = len(order), self._all()  # past the sorted places: read on in the whole ranking

    @classmethod
    def restored(cls, located: Located, origin: Position | None, parts: RankingParts) -> Ranking:
        """The ranking of every place of `located` from `origin` that `parts` describe (kept
        from another build made from the same positions and ties)."""
        order, kms, cut = parts
        return cls(located, order, kms, origin=origin if cut else None)

    def parts(self) -> RankingParts:
        """What keeping this ranking for another build needs (a ranking of all places, not a
        choice among them): its sorted places, their distances, and whether it is cut short."""
        assert not self._chosen, "a choice among the places is made again from its ranking"
        return self._order, self._kms, self._origin is not None

    @property
    def held(self) -> int:
        """How many places this ranking holds sorted (what keeping it costs: 12 bytes each)."""
        return len(self._order)

    def of_commune(self, code_insee: str, *, inside: bool = True) -> Ranking:
        """The places of commune `code_insee` in this order (or, `inside=False`, every other
        place): chosen at once, without making every place a `Nearest` to look at it."""
        index = self._located.commune_index.get(code_insee, -1)
        mask = self._located.communes == index
        return self._where(mask if inside else ~mask)

    def offering(self, service: str) -> Ranking:
        """The places offering `service`, in this order: the nearest one per need is the first,
        found without walking past every place that does not offer it."""
        offers = self._located.offers.get(service)
        return self._where(offers if offers is not None else np.zeros(len(self._located.places), dtype=bool))

    @property
    def all_places(self) -> tuple[Place, ...]:
        """Every place the build ranks, before any choice: what a mask for `among` marks."""
        return self._located.places

    def among(self, mask: np.ndarray) -> Ranking:
        """The places `mask` marks (one flag per place of `all_places`, in its order), in this order."""
        return self._where(mask)

    def _where(self, mask: np.ndarray) -> Ranking:
        keep = mask[self._order]
        if self._origin is None:
            return Ranking(self._located, self._order[keep], self._kms[keep])
        return Ranking(self._located, self._order[keep], self._kms[keep], origin=self._origin,
                       chosen=(*self._chosen, mask))

    def _choice(self) -> np.ndarray:
        """The places every mask chose, as one flag per place of `located`."""
        return self._chosen[0] if len(self._chosen) == 1 else np.logical_and.reduce(self._chosen)

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        """The whole ranking's order and distances: this one's, or made now from its origin."""
        if self._origin is None:
            return self._order, self._kms
        whole = rank(self._origin, self._located, first=None)
        if not self._chosen:
            return whole._order, whole._kms
        keep = self._choice()[whole._order]
        return whole._order[keep], whole._kms[keep]


def rank(origin: Position | None, places: Located, k: int | None = None, first: int | None = NEAREST_FIRST) -> Ranking:
    """Located `places` ranked from the nearest to `origin` (ties by commune then name): the first
    `k`, or all of them, of which only the nearest `first` are sorted now (None: all)."""
    if origin is None:
        return Ranking(places, np.empty(0, dtype=np.int32), np.empty(0))
    kms = places.points.km_array(origin)
    if first is not None and k is None and first < len(kms):
        # Every place as near as the `first`-th nearest, ties included: the start of the whole ranking.
        limit = np.partition(kms, first - 1)[first - 1]
        near = np.flatnonzero(kms <= limit)
        order = near[np.lexsort((places.ties[near], kms[near]))].astype(np.int32)
        return Ranking(places, order, kms[order], origin=origin)
    order = np.lexsort((places.ties, kms)).astype(np.int32)  # by distance, then by commune and name
    if k is not None:
        order = order[: max(k, 0)]
    return Ranking(places, order, kms[order])


def alternatives(place: Place, open_places: Iterable[Place], territory: Territory, k: int = 3) -> list[Place]:
    """The `k` open places nearest to `place` (a closed one), to send its visitors elsewhere."""
    others = [p for p in open_places if p.url_path != place.url_path]
    return [n.place for n in nearest(place_position(place, territory), others, territory, k)]
