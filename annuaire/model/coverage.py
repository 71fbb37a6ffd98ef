"""Coverage: for each commune and each need, the nearest help, and the white zones.

The strategy asks to make visible the communes where nothing is offered (axe 3). For each of
the territory's communes and each need of the home page, the open place nearest to the
commune's point (straight line, `data/geo.py`) that offers the need's service; a commune is a
*white zone* for a need when that place is further than the threshold (`seuil_zone_blanche_km`
in `mkdocs.yml`, 10 km by default), or when no place offers it at all. An itinerant place
counts at each commune where it stops (`communes_desservies`), as if it were there.

Computed once per build (`coverage(...)`), then read by the coverage pages, the commune and
EPCI pages, the open data files and the yearly état des lieux.
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..data.geo import Points, Position
from ..data.territory import Commune, Epci, Territory
from ..data.vocabulary import NEEDS, Need
from ..text import french_km
from .nearest import place_position
from .places import Place

DEFAULT_THRESHOLD_KM = 10.0


@dataclass(frozen=True)
class Reach:
    """The nearest help for one need, seen from one commune."""

    place: Place | None  # None: no place of the département offers this need
    km: float | None
    in_commune: bool  # the place is in the commune, or stops there
    approximate: bool  # the place has no coordinates: measured from its commune's point
    via_stop: Commune | None = None  # an itinerant place, counted at this stop


@dataclass(frozen=True)
class CommuneCoverage:
    commune: Commune
    epci: Epci | None
    reaches: tuple[Reach, ...]  # in the order of `Coverage.needs`


@dataclass(frozen=True)
class EpciNeed:
    """One EPCI, one need: who lives beyond the threshold."""

    epci: Epci
    need: Need
    white: tuple[CommuneCoverage, ...]  # the communes that are white zones, furthest first
    population: int  # people living in them
    places: int  # open places of the EPCI offering the need
    total: int  # people living in the EPCI (sum of its communes, as `population`)

    @property
    def share(self) -> float:
        return self.population / self.total if self.total else 0.0


@dataclass(frozen=True)
class Coverage:
    threshold_km: float
    needs: tuple[Need, ...]
    communes: tuple[CommuneCoverage, ...]  # in the territory's alphabetical order
    epcis: tuple[Epci, ...]

    def index(self, need: Need) -> int:
        return self.needs.index(need)

    def reach(self, commune: Commune, need: Need) -> Reach:
        return self._by_code[commune.code_insee].reaches[self.index(need)]

    def of(self, commune: Commune) -> CommuneCoverage:
        return self._by_code[commune.code_insee]

    def by_code(self, code_insee: str) -> CommuneCoverage | None:
        return self._by_code.get(code_insee)

    def is_white(self, reach: Reach) -> bool:
        """Beyond the threshold, at the precision every page and file shows (0.1 km)."""
        return reach.km is None or (not reach.in_commune and round(reach.km, 1) > self.threshold_km)

    def tone(self, reach: Reach) -> int:
        """The class a map draws: 0 help in the commune, 1 up to half the threshold, 2 up to
        the threshold, 3 white zone (the order of `tone_labels`)."""
        if self.is_white(reach):
            return 3
        if reach.in_commune:
            return 0
        assert reach.km is not None
        return 1 if round(reach.km, 1) <= self.threshold_km / 2 else 2

    def tone_labels(self) -> list[str]:
        """What each class means, for a legend (web page and PDF alike)."""
        half, full = french_km(self.threshold_km / 2), french_km(self.threshold_km)
        return [
            "Un lieu dans la commune",
            f"Un lieu à {half} ou moins",
            f"Un lieu entre {half} et {full}",
            f"Zone blanche : aucun lieu à moins de {full}",
        ]

    def white_zones(self, need: Need, epci: Epci | None = None) -> list[CommuneCoverage]:
        """White-zone communes for `need` (of one EPCI, or all), the furthest from help first."""
        i = self.index(need)
        found = [
            c for c in self.communes
            if self.is_white(c.reaches[i]) and (epci is None or c.commune.epci_code == epci.code)
        ]
        return _furthest_first(found, i)

    def by_epci(self, need: Need, places: Sequence[Place]) -> list[EpciNeed]:
        """Per EPCI, its white zones for `need` (as `white_zones`), their people, its places
        offering `need` and its people: one pass over the communes and one over the places,
        not one per EPCI (a national directory has some 1,200 EPCIs and 20,000 places)."""
        i = self.index(need)
        white: dict[str, list[CommuneCoverage]] = {}
        total: Counter[str] = Counter()
        for c in self.communes:
            total[c.commune.epci_code] += c.commune.population
            if self.is_white(c.reaches[i]):
                white.setdefault(c.commune.epci_code, []).append(c)
        offering = Counter(p.epci_ref.code for p in places if p.epci_ref and need.service in p.services)
        rows = []
        for epci in self.epcis:
            zones = _furthest_first(white.get(epci.code, []), i)
            rows.append(EpciNeed(epci, need, tuple(zones), sum(c.commune.population for c in zones),
                                 offering[epci.code], total[epci.code]))
        return rows

    def white_population(self, need: Need) -> int:
        return sum(c.commune.population for c in self.white_zones(need))

    @property
    def population(self) -> int:
        return sum(c.commune.population for c in self.communes)

    @cached_property
    def _by_code(self) -> dict[str, CommuneCoverage]:
        return {c.commune.code_insee: c for c in self.communes}


@dataclass(frozen=True)
class _Candidate:
    """A place prepared once for every commune: where it is, and where it stops."""

    place: Place
    position: Position | None
    sort_key: tuple[str, str]
    stops: tuple[tuple[Commune, Position], ...]
    index: int  # of its distances in `_Distances`
    first_stop: int  # of its first stop's distance



def _furthest_first(communes: list[CommuneCoverage], need_index: int) -> list[CommuneCoverage]:
    """White zones as every list shows them: the furthest from help first, then by name."""
    return sorted(communes, key=lambda c: (-(c.reaches[need_index].km or float("inf")), c.commune.nom))

def _candidates(places: Sequence[Place], territory: Territory) -> list[_Candidate]:
    candidates = []
    stop_count = 0
    for index, place in enumerate(places):
        stops = []
        for code in place.communes_desservies:
            commune, position = territory.commune(code), territory.position(code)
            if commune is not None and position is not None:
                stops.append((commune, position))
        candidates.append(_Candidate(place, place_position(place, territory), place.sort_key, tuple(stops),
                                     index, stop_count))
        stop_count += len(stops)
    return candidates


class _Distances:
    """Every candidate's own position and stops, prepared once; from one commune, how far each
    way to reach each candidate is, in two arrays (their own places, their stops) computed
    together. A way that cannot be measured (no position) is infinitely far."""

    def __init__(self, candidates: Sequence[_Candidate]) -> None:
        # A candidate without position gets a stand-in (0, 0) whose distance is never read.
        self._own = Points([c.position or (0.0, 0.0) for c in candidates])
        self._stops = Points([position for c in candidates for _commune, position in c.stops])
        self._placed = np.array([c.position is not None for c in candidates], dtype=bool)
        self._codes: dict[str, int] = {}  # commune code → a number, to compare whole arrays at once
        self._own_commune = np.array([self._number(c.place.commune_ref) for c in candidates], dtype=np.int64)
        self._stop_commune = np.array([self._number(stop) for c in candidates for stop, _position in c.stops],
                                      dtype=np.int64)
        self.stop_owner = np.array([c.index for c in candidates for _stop in c.stops], dtype=np.int64)

    def _number(self, commune: Commune) -> int:
        return self._codes.setdefault(commune.code_insee, len(self._codes))

    def from_(self, commune: Commune, origin: Position | None) -> tuple[np.ndarray, np.ndarray]:
        """(km to each candidate's own place, km to each stop) from `commune`; 0 in the commune."""
        if origin is not None:
            own = np.where(self._placed, self._own.km_array(origin), np.inf)
            stops = self._stops.km_array(origin)
        else:
            own, stops = np.full(len(self._own), np.inf), np.full(len(self._stops), np.inf)
        here = self._codes.get(commune.code_insee, -1)
        own[self._own_commune == here] = 0.0
        stops[self._stop_commune == here] = 0.0
        return own, stops


_Option = tuple[float, bool, bool, Commune | None]  # km, in the commune, approximate, via this stop


def _options(commune: Commune, candidate: _Candidate, own: np.ndarray, stops: np.ndarray) -> list[_Option]:
    """The ways to reach `candidate` from `commune` (its place, then its stops), and how far."""
    place = candidate.place
    approximate = place.latitude is None or place.longitude is None
    found: list[_Option] = []
    km = float(own[candidate.index])
    if km != math.inf:
        found.append((km, place.commune_ref.code_insee == commune.code_insee, approximate, None))
    for number, (stop, _position) in enumerate(candidate.stops, start=candidate.first_stop):
        km = float(stops[number])
        if km != math.inf:
            found.append((km, stop.code_insee == commune.code_insee, True, stop))
    return found


def _reach(commune: Commune, candidates: Sequence[_Candidate], own: np.ndarray, stops: np.ndarray,
           stop_owner: np.ndarray) -> Reach:
    """The nearest candidate (`own`, `stops`: infinite for those that do not offer the need); at
    equal distance, one in the commune, then by name (stable pages). numpy finds the shortest
    distance; only the candidates at exactly that distance are compared, in their order and,
    for each, its place before its stops: the same choice as comparing them all."""
    nearest = min(own.min(initial=math.inf), stops.min(initial=math.inf))
    if nearest == math.inf:
        return Reach(None, None, False, False)
    tied = sorted({*np.flatnonzero(own == nearest).tolist(), *stop_owner[stops == nearest].tolist()})
    best: tuple[tuple[float, bool, tuple[str, str]], _Candidate, _Option] | None = None
    for index in tied:
        candidate = candidates[index]
        for option in _options(commune, candidate, own, stops):
            key = (option[0], not option[1], candidate.sort_key)
            if option[0] == nearest and (best is None or key < best[0]):
                best = (key, candidate, option)
    assert best is not None
    _key, candidate, (km, in_commune, approximate, stop) = best
    return Reach(candidate.place, km, in_commune, approximate, stop)


def coverage(
    places: Sequence[Place], territory: Territory, threshold_km: float = DEFAULT_THRESHOLD_KM,
    needs: Sequence[Need] = NEEDS,
) -> Coverage:
    """The nearest help per commune and need, among the open `places`. For each commune, the
    distances to every place at once (numpy): a national directory has 35,000 communes."""
    candidates = _candidates(places, territory)
    distances = _Distances(candidates)
    offering = {need.service: np.array([need.service in c.place.services for c in candidates], dtype=bool)
                for need in needs}
    stopping = {service: offers[distances.stop_owner] for service, offers in offering.items()}
    communes = []
    for commune in territory.communes:
        own, stops = distances.from_(commune, territory.position(commune.code_insee))
        reaches = tuple(
            _reach(commune, candidates, np.where(offering[need.service], own, math.inf),
                   np.where(stopping[need.service], stops, math.inf), distances.stop_owner)
            for need in needs
        )
        communes.append(CommuneCoverage(commune, territory.epci_of(commune), reaches))
    return Coverage(threshold_km, tuple(needs), tuple(communes), tuple(territory.epcis))


# One reach, as a build keeps it for the next: the place's index in the build's `places` (-1:
# none), km, in the commune, approximate, the code of the stop it is counted at.
ReachParts = tuple[int, float | None, bool, bool, str | None]


def coverage_inputs(places: Sequence[Place], territory: Territory, needs: Sequence[Need] = NEEDS) -> bytes:
    """Everything the reaches are chosen from, exactly: each place's position, commune, needs
    offered, stops, order by name and whether it is approximate, and each commune's point.
    A coverage kept from a build with the same inputs is this build's (not its threshold,
    which only reads the reaches)."""
    rows = [
        (c.position, c.place.commune_ref.code_insee, tuple(need.service in c.place.services for need in needs),
         tuple((stop.code_insee, position) for stop, position in c.stops), c.sort_key,
         c.place.latitude is None or c.place.longitude is None)
        for c in _candidates(places, territory)  # where each place is and stops, as `coverage` reads them
    ]
    communes = [(c.code_insee, territory.position(c.code_insee)) for c in territory.communes]
    return pickle.dumps((rows, communes, [need.service for need in needs]), protocol=5)


def coverage_parts(covered: Coverage, places: Sequence[Place]) -> list[tuple[ReachParts, ...]]:
    """`covered`'s reaches, commune by commune, with places as indexes into `places`."""
    index = {id(place): i for i, place in enumerate(places)}
    return [
        tuple((-1 if r.place is None else index[id(r.place)], r.km, r.in_commune, r.approximate,
               None if r.via_stop is None else r.via_stop.code_insee) for r in c.reaches)
        for c in covered.communes
    ]


def coverage_restored(
    parts: Sequence[tuple[ReachParts, ...]], places: Sequence[Place], territory: Territory,
    threshold_km: float = DEFAULT_THRESHOLD_KM, needs: Sequence[Need] = NEEDS,
) -> Coverage:
    """The coverage `coverage_parts` kept, given back with this build's places and communes."""
    communes = []
    for commune, reaches in zip(territory.communes, parts, strict=True):
        communes.append(CommuneCoverage(commune, territory.epci_of(commune), tuple(
            Reach(None if i < 0 else places[i], km, in_commune, approximate,
                  None if stop is None else territory.commune(stop))
            for i, km, in_commune, approximate, stop in reaches)))
    return Coverage(threshold_km, tuple(needs), tuple(communes), tuple(territory.epcis))

