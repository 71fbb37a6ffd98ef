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

from ..data.geo import km_between
from ..data.provenance import age_band
from ..data.territory import Epci
from ..text import search_key
from .places import Place

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
class Health:
    """The state of the information of one group of places (an EPCI, or all)."""

    title: str
    places: tuple[Place, ...]
    by_age: tuple[tuple[Place, ...], tuple[Place, ...], tuple[Place, ...]]  # < 6 months, < 1 year, older
    missing: tuple[tuple[str, tuple[Place, ...]], ...]  # (what, places without it)
    unverified_deductions: tuple[Place, ...]
    duplicates: tuple[tuple[Place, Place, str], ...]
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
        for first, second, why in self.duplicates:
            for place, other in ((first, second), (second, first)):
                asked.setdefault(place.url_path, []).append(f"Êtes-vous le même lieu que « {other.nom} » ({why}) ?")
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


def duplicates(places: Sequence[Place]) -> list[tuple[Place, Place, str]]:
    """Pairs that may be the same place: same phone or e-mail, or under 300 m apart in one commune
    (in the order of `places`)."""
    found = []
    for a, b in sorted(_worth_comparing(places)):
        first, second = places[a], places[b]
        why = []
        if first.telephone and first.telephone == second.telephone:
            why.append("même téléphone")
        if {e.lower() for e in first.courriels} & {e.lower() for e in second.courriels}:
            why.append("même e-mail")
        if (first.commune_ref.code_insee == second.commune_ref.code_insee and None not in
                (first.latitude, first.longitude, second.latitude, second.longitude)):
            metres = km_between((first.latitude, first.longitude), (second.latitude, second.longitude)) * 1000  # type: ignore[arg-type]
            if metres < NEAR_METRES:
                why.append(f"à {round(metres)} m l’un de l’autre")
        if why:
            found.append((first, second, ", ".join(why)))
    return found


def _worth_comparing(places: Sequence[Place]) -> set[tuple[int, int]]:
    """Index pairs (lower first) that share a phone, an e-mail, or a commune and a few hundred
    metres of latitude: every pair of 20,000 places would be 200 million comparisons."""
    groups: dict[tuple[str, str], list[int]] = {}
    located: dict[str, list[tuple[float, int]]] = {}
    for index, place in enumerate(places):
        if place.telephone:
            groups.setdefault(("tel", place.telephone), []).append(index)
        for email in {e.lower() for e in place.courriels}:
            groups.setdefault(("mail", email), []).append(index)
        if place.latitude is not None and place.longitude is not None:
            located.setdefault(place.commune_ref.code_insee, []).append((place.latitude, index))
    pairs = {(a, b) for group in groups.values() for i, a in enumerate(group) for b in group[i + 1:]}
    window = NEAR_METRES / 1000 / 111.0  # degrees of latitude in NEAR_METRES, with room to spare
    for points in located.values():
        points.sort()
        for start, (latitude, index) in enumerate(points):
            for other_latitude, other in points[start + 1:]:
                if other_latitude - latitude > window:
                    break
                pairs.add((min(index, other), max(index, other)))
    return pairs


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
    return [
        (epci, health(epci.nom_long, [p for p in places if p.epci_ref and p.epci_ref.code == epci.code], today))
        for epci in epcis
    ]
