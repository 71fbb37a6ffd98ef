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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

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
        return sorted(found, key=lambda c: (-(c.reaches[i].km or float("inf")), c.commune.nom))

    def by_epci(self, need: Need, places: Sequence[Place]) -> list[EpciNeed]:
        rows = []
        for epci in self.epcis:
            white = self.white_zones(need, epci)
            offering = sum(1 for p in places if p.epci_ref and p.epci_ref.code == epci.code and need.service in p.services)
            total = sum(c.commune.population for c in self.communes if c.commune.epci_code == epci.code)
            rows.append(EpciNeed(epci, need, tuple(white), sum(c.commune.population for c in white), offering, total))
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
    """Every candidate's own position and stops, prepared once; their distances from one
    commune computed together (`Points`)."""

    def __init__(self, candidates: Sequence[_Candidate]) -> None:
        # A candidate without position gets a stand-in (0, 0) whose distance is never read.
        self._own = Points([c.position or (0.0, 0.0) for c in candidates])
        self._stops = Points([position for c in candidates for _commune, position in c.stops])

    def from_(self, origin: Position) -> tuple[list[float], list[float]]:
        return self._own.km_from(origin), self._stops.km_from(origin)


_Option = tuple[float, bool, bool, Commune | None]  # km, in the commune, approximate, via this stop


def _reach(offering: Iterable[_Candidate], options: Callable[[_Candidate], list[_Option]]) -> Reach:
    """The nearest candidate; at equal distance, one in the commune, then by name (stable pages)."""
    best: tuple[tuple[float, bool, tuple[str, str]], _Candidate, _Option] | None = None
    for candidate in offering:
        for option in options(candidate):
            key = (option[0], not option[1], candidate.sort_key)
            if best is None or key < best[0]:
                best = (key, candidate, option)
    if best is None:
        return Reach(None, None, False, False)
    _key, candidate, (km, in_commune, approximate, stop) = best
    return Reach(candidate.place, km, in_commune, approximate, stop)


def _options_from(
    commune: Commune, origin: Position | None, distances: _Distances
) -> Callable[[_Candidate], list[_Option]]:
    """Where each candidate can be reached from `commune`: its own place and its stops. Kept per
    candidate, because each need asks again (at 1,000 places, most of the coverage's time)."""
    known: dict[int, list[_Option]] = {}
    own_km, stop_km = distances.from_(origin) if origin is not None else ([], [])

    def options(candidate: _Candidate) -> list[_Option]:
        found = known.get(id(candidate))
        if found is not None:
            return found
        place = candidate.place
        approximate = place.latitude is None or place.longitude is None
        found = []
        if place.commune_ref.code_insee == commune.code_insee:
            found.append((0.0, True, approximate, None))
        elif origin is not None and candidate.position is not None:
            found.append((own_km[candidate.index], False, approximate, None))
        for number, (stop, _position) in enumerate(candidate.stops, start=candidate.first_stop):
            if stop.code_insee == commune.code_insee:
                found.append((0.0, True, True, stop))
            elif origin is not None:
                found.append((stop_km[number], False, True, stop))
        known[id(candidate)] = found
        return found

    return options


def coverage(
    places: Sequence[Place], territory: Territory, threshold_km: float = DEFAULT_THRESHOLD_KM,
    needs: Sequence[Need] = NEEDS,
) -> Coverage:
    """The nearest help per commune and need, among the open `places`."""
    candidates = _candidates(places, territory)
    distances = _Distances(candidates)
    offering = {need.service: [c for c in candidates if need.service in c.place.services] for need in needs}
    communes = []
    for commune in territory.communes:
        options = _options_from(commune, territory.position(commune.code_insee), distances)
        reaches = tuple(_reach(offering[need.service], options) for need in needs)
        communes.append(CommuneCoverage(commune, territory.epci_of(commune), reaches))
    return Coverage(threshold_km, tuple(needs), tuple(communes), tuple(territory.epcis))
