"""Data health: what a coordinator should check, call or fix, per EPCI and for the département.

The directory must stay true (« à mettre à jour régulièrement »): for each place, how old its
information is (since its verification, else its newest source), what is missing (phone,
hours, e-mail, SIRET), which values a rule gave and nobody verified, which places look like
the same one, and what the record contradicts in itself (hours in the comment that are not
the hours, an itinerant place with no stop, a « multisites » name on one fixed place).
Prepared once per build for the data-health page and the call sheets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import islice

from ..data.geo import km_between
from ..data.provenance import age_band
from ..data.territory import Epci
from ..text import search_key
from .places import Place, by_epci

MISSING_FIELDS = (
    ("telephone", "téléphone"),
    ("horaires", "horaires"),
    ("courriels", "e-mail"),
    ("pivot", "SIRET"),
)
NEAR_METRES = 300.0
_RANGE = re.compile(r"(\d{1,2})\s*[h:]\s*(\d{2})?\s*(?:-|à|–)\s*(\d{1,2})\s*[h:]\s*(\d{2})?")


@dataclass(frozen=True)
class Finding:
    place: Place
    text: str  # French, for the page and the call sheet


@dataclass(frozen=True)
class Duplicate:
    """Places that may be one and the same: linked two by two by a shared phone or e-mail, or
    by standing under 300 m apart in one commune. A group, not every pair: twelve offices
    sharing a switchboard number are one line to check, not sixty-six (at 20,000 places, pairs
    made a page of gigabytes)."""

    places: tuple[Place, ...]  # two or more, in the order of the list they were found in
    why: str  # « même téléphone, à 12 m l’un de l’autre »

    def others(self, place: Place, at_most: int) -> tuple[list[Place], int]:
        """Up to `at_most` of the group's other places, and how many there are in all: a
        switchboard number shared by hundreds of offices makes one group, and listing every
        other place for each of them took 0.3 s of every build at 20,000 places."""
        return list(islice((p for p in self.places if p is not place), at_most)), len(self.places) - 1


@dataclass(frozen=True)
class Health:
    """The state of the information of one group of places (an EPCI, or all)."""

    title: str
    places: tuple[Place, ...]
    by_age: tuple[tuple[Place, ...], tuple[Place, ...], tuple[Place, ...]]  # < 6 months, < 1 year, older
    missing: tuple[tuple[str, tuple[Place, ...]], ...]  # (what, places without it)
    unverified_deductions: tuple[Place, ...]
    duplicates: tuple[Duplicate, ...]
    contradictions: tuple[Finding, ...]
    never_verified: tuple[Place, ...] = field(default=())

    @cached_property
    def _asked_about(self) -> dict[str, list[str]]:
        """Per place (page path), what its findings and duplicates make us ask: indexed once,
        not searched again for each place (a département has thousands of places)."""
        asked: dict[str, list[str]] = {}
        for place in self.unverified_deductions:
            asked.setdefault(place.url_path, []).append("Confirmez-vous ce que vous proposez, et que c’est gratuit ?")
        for finding in self.contradictions:
            asked.setdefault(finding.place.url_path, []).append(
                finding.text[:1].upper() + finding.text[1:] + " : qu’en est-il ?")
        for group in self.duplicates:
            for place in group.places:
                others, count = group.others(place, ASKED_NAMES)
                names = ", ".join(f"« {o.nom} »" for o in others)
                if count > ASKED_NAMES:
                    names += f" ou l’un des {count - ASKED_NAMES} autres lieux"
                asked.setdefault(place.url_path, []).append(f"Êtes-vous le même lieu que {names} ({group.why}) ?")
        return asked

    def questions(self, place: Place) -> list[str]:
        """What to ask this place on the phone, in the order of a call."""
        asked = ["Les horaires sont-ils toujours ceux-ci ?" if place.horaires else "Quels sont vos horaires ?"]
        for name, words in MISSING_FIELDS:
            if name in ("horaires", "telephone"):
                continue
            value = getattr(place, name)
            if not value:
                asked.append(f"Quel est votre {words} ?" if name != "courriels" else "Avez-vous une adresse e-mail pour le public ?")
        return asked + self._asked_about.get(place.url_path, [])


def known_true_on(place: Place) -> date:
    """The last day the information was known true: its verification, else its newest source."""
    if place.date_verification is not None:
        return place.date_verification
    if place.provenance:
        return max(s.date for s in place.provenance)
    return place.date_maj


def _ranges(text: str) -> set[str]:
    found = set()
    for h1, m1, h2, m2 in _RANGE.findall(text):
        found.add(f"{int(h1):02d}:{int(m1 or 0):02d}-{int(h2):02d}:{int(m2 or 0):02d}")
    return found


def contradictions(place: Place) -> list[str]:
    """What a record says against itself, in French."""
    found = []
    comment = " ".join(t for t in (place.presentation_resume, place.presentation_detail) if t)
    if place.horaires and comment:
        in_comment = _ranges(comment)
        in_hours = set(re.findall(r"\d{2}:\d{2}-\d{2}:\d{2}", place.horaires))
        if in_comment - in_hours:
            shown = ", ".join(sorted(r.replace(":", "h").replace("-", " – ") for r in in_comment - in_hours))
            found.append(f"la présentation donne d’autres horaires que les horaires de la fiche ({shown})")
    if "Itinérant" in place.itinerance and not place.communes_desservies:
        found.append("lieu itinérant sans ses communes desservies (champ communes_desservies)")
    if "multisite" in search_key(place.nom).replace(" ", "") and not place.communes_desservies:
        found.append("« multisites » : plusieurs lieux décrits par une seule fiche, comme un seul lieu fixe")
    return found


ASKED_NAMES = 3  # names read out on the phone for one possible duplicate; the others are counted


def duplicates(places: Sequence[Place]) -> list[Duplicate]:
    """Groups of places that may be the same: linked by a shared phone or e-mail, or under 300 m
    apart in one commune (groups and places in the order of `places`). The work grows with
    the number of places, not of pairs: places sharing a value or a point are linked in a chain."""
    parent = list(range(len(places)))
    reasons: dict[int, set[str]] = {}

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def link(a: int, b: int, reason: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
            reasons.setdefault(min(ra, rb), set()).update(reasons.pop(max(ra, rb), set()))
        reasons.setdefault(min(ra, rb), set()).add(reason)

    shared: dict[tuple[str, str], int] = {}
    at_point: dict[tuple[str, float, float], int] = {}
    located: dict[str, list[tuple[float, float, int]]] = {}
    for index, place in enumerate(places):
        values = [("tel", place.telephone)] if place.telephone else []
        values += [("mail", email) for email in sorted({e.lower() for e in place.courriels})]
        for value in values:
            first = shared.setdefault(value, index)
            if first != index:
                link(first, index, PHONE if value[0] == "tel" else EMAIL)
        if place.latitude is not None and place.longitude is not None:
            point = (place.commune_ref.code_insee, place.latitude, place.longitude)
            first = at_point.setdefault(point, index)
            if first != index:
                link(first, index, NEAR)
            else:  # one point per place position: copies at the same point are linked above
                located.setdefault(point[0], []).append((place.latitude, place.longitude, index))
    window = NEAR_METRES / 1000 / 111.0  # degrees of latitude in NEAR_METRES, with room to spare
    for points in located.values():
        points.sort()
        for start, (latitude, longitude, index) in enumerate(points):
            for other_latitude, other_longitude, other in points[start + 1:]:
                if other_latitude - latitude > window:
                    break
                if km_between((latitude, longitude), (other_latitude, other_longitude)) * 1000 < NEAR_METRES:
                    link(index, other, NEAR)

    groups: dict[int, list[int]] = {}
    for index in range(len(places)):
        groups.setdefault(root(index), []).append(index)
    return [
        Duplicate(tuple(places[i] for i in members), _why([places[i] for i in members], reasons[key]))
        for key, members in groups.items() if len(members) > 1
    ]


PHONE, EMAIL, NEAR = "même téléphone", "même e-mail", "à moins de 300 m"


def _why(group: list[Place], reasons: set[str]) -> str:
    """What links a group, in French; for two places, what they share and their exact distance."""
    if len(group) > 2:
        return ", ".join(r for r in (PHONE, EMAIL, NEAR) if r in reasons)
    first, second = group
    why = []
    if first.telephone and first.telephone == second.telephone:
        why.append(PHONE)
    if {e.lower() for e in first.courriels} & {e.lower() for e in second.courriels}:
        why.append(EMAIL)
    if (first.commune_ref.code_insee == second.commune_ref.code_insee and None not in
            (first.latitude, first.longitude, second.latitude, second.longitude)):
        metres = km_between((first.latitude, first.longitude), (second.latitude, second.longitude)) * 1000  # type: ignore[arg-type]
        if metres < NEAR_METRES:
            why.append(f"à {round(metres)} m l’un de l’autre")
    return ", ".join(why)


def health(title: str, places: Iterable[Place], today: date) -> Health:
    group = tuple(sorted(places, key=lambda p: p.sort_key))
    bands: tuple[list[Place], list[Place], list[Place]] = ([], [], [])
    for place in group:
        bands[age_band(known_true_on(place), today)].append(place)
    missing = tuple(
        (words, tuple(p for p in group if not getattr(p, name))) for name, words in MISSING_FIELDS
    )
    return Health(
        title=title,
        places=group,
        by_age=(tuple(bands[0]), tuple(bands[1]), tuple(bands[2])),
        missing=missing,
        unverified_deductions=tuple(p for p in group if p.unverified_deductions),
        duplicates=tuple(duplicates(group)),
        contradictions=tuple(Finding(p, text) for p in group for text in contradictions(p)),
        never_verified=tuple(p for p in group if not p.verified),
    )


def health_by_epci(places: Sequence[Place], epcis: Sequence[Epci], today: date) -> list[tuple[Epci, Health]]:
    """`health` of each EPCI's places, in the territory's order of EPCIs."""
    grouped = by_epci(places)
    return [(epci, health(epci.nom_long, grouped.get(epci.code, []), today)) for epci in epcis]
