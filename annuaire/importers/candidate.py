"""A source row mapped to the standard, with every defect found in it, before duplicates merge.

What both sources share: the report's categories of defects, the checks of phone numbers,
e-mails, capitals and postboxes, and the resolution of the commune and postcode against the
territory (a CEDEX postcode is replaced only when the commune has exactly one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..data.contact import email_problem, phone_e164
from ..data.geo import km_between
from ..data.territory import Commune, Territory
from ..text import search_key
from ..validation.checks import commune_named, unknown_insee_message, url_problem
from .casing import proper_address, proper_name, shouts
from .record_writer import dump_record

# Report categories (the summary counts them).
K_MERGE = "fusion de doublons"
K_FILLED = "valeur reprise d’une source plus ancienne"
K_DIFFERENT = "valeur différente entre sources (non reprise)"
K_HOURS_DIFFERENT = "horaires différents entre sources"
K_HOURS_MISSING = "horaires manquants"
K_HOURS_PLACEHOLDER = "horaires : valeur fictive 00:00 - 00:00 retirée"
K_HOURS_INVALID = "horaires illisibles (non écrits)"
K_HOURS_COMMENT = "commentaire de la source sur les horaires"
K_PIVOT = "pivot (SIRET/RNA) manquant"
K_CAPITALS = "texte en majuscules"
K_CASE = "majuscules réécrites en minuscules"
K_POSTCODE_FIXED = "code postal corrigé (CEDEX)"
K_POSTCODE = "code postal incohérent avec la commune"
K_COMMUNE_NAME = "nom de commune remplacé par le nom officiel"
K_UNKNOWN_VALUE = "valeur inconnue (non reprise)"
K_PHONE = "téléphone invalide (non écrit)"
K_EMAIL = "courriel invalide (non écrit)"
K_POSTBOX = "boîte postale dans l’adresse"
K_COORDINATES = "coordonnées manquantes"
K_NEAR = "doublon possible (non fusionné, à vérifier)"
K_NOT_WRITTEN = "non écrite : à corriger à la main"
K_OUTSIDE = "hors du département (non écrite)"
K_DEDUCED = "valeur déduite par une règle (signalée sur la page)"
K_ANCT = "écart avec la correspondance de l’ANCT"


@dataclass(frozen=True)
class Note:
    """One defect or correction, in French, with its category for the summary."""

    kind: str
    message: str


@dataclass
class Candidate:
    """One source row mapped to the standard, before duplicates are merged."""

    id: str
    nom: str
    origin: str  # name of the source file, for the report
    order: int  # position over both sources, for stable ordering
    data: dict[str, Any]
    commune: Commune | None = None
    consistent: bool = False  # commune, postcode and INSEE code agree
    notes: list[Note] = field(default_factory=list)
    # Where its values come from: the source (name, file, date, id in the source) and the
    # fields a rule gave rather than the row (field → rule id of `data/provenance.py`).
    source: dict[str, str] = field(default_factory=dict)
    deduced: dict[str, str] = field(default_factory=dict)

    def note(self, kind: str, message: str) -> None:
        self.notes.append(Note(kind, message))


_POSTBOX = re.compile(r"\b(?:BP|CS|TSA)\s*\d+|\bCEDEX\b", re.IGNORECASE)

_ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "pl": "place",
    "r": "rue", "rte": "route", "ch": "chemin", "che": "chemin", "imp": "impasse",
    "all": "allee", "sq": "square", "fg": "faubourg", "gr": "grande rue", "za": "zone",
    "zi": "zone", "zae": "zone", "dr": "docteur", "gal": "general",
}


def address_key(address: str) -> str:
    """A key to compare addresses (`78 BD BLOSSAC` = `78 boulevard Blossac`; BP/CS ignored)."""
    text = _POSTBOX.sub(" ", address)
    words = search_key(text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


# --- territory ------------------------------------------------------------------------------


def _codes(communes: Iterable[Commune], limit: int = 4) -> str:
    names = [c.nom for c in sorted(communes, key=lambda c: (-c.population, c.nom))]  # biggest first
    shown = ", ".join(names[:limit])
    return shown + (f"… ({len(names)} communes)" if len(names) > limit else "")


def check_location(candidate: Candidate, territory: Territory, commune_text: str,
                   code_insee: str | None) -> None:
    """Resolve the commune (by INSEE code, else by name) and make the postcode agree with it.

    Sets `candidate.commune`, `candidate.consistent` and the fields `commune`, `code_insee`,
    `code_postal`; every correction and every disagreement becomes a note."""
    data = candidate.data
    postcode = str(data.get("code_postal") or "").strip()
    commune: Commune | None = None
    outside = code_insee if code_insee and not territory.in_departement(code_insee) else (
        postcode if postcode and not code_insee and not territory.in_departement(postcode) else "")
    if outside:  # never moved into the territory by a commune of the same name (Vernon 27 ≠ Vernon 86)
        what = "code INSEE" if outside == code_insee else "code postal"
        candidate.note(K_OUTSIDE, f"{what} {outside} : hors du département {territory.departement}")
        return
    if code_insee:
        commune = territory.commune(code_insee)
        if commune is None:
            candidate.note(K_NOT_WRITTEN, unknown_insee_message(code_insee, territory))
            return
        if commune_text and search_key(commune_text) != search_key(commune.nom):
            named = territory.communes_named(commune_text)
            if named and all(c.code_insee != commune.code_insee for c in named):
                candidate.note(K_NOT_WRITTEN,
                               f"commune « {commune_text} » mais code INSEE {code_insee} "
                               f"({commune.nom}) : impossible de choisir")
                return
    else:
        commune, problem = commune_named(territory, commune_text, postcode)
        if commune is None:
            candidate.note(K_NOT_WRITTEN, problem)
            return
    candidate.commune = commune
    if commune_text and commune_text != commune.nom:
        candidate.note(K_COMMUNE_NAME, f"commune « {commune_text} » écrite « {commune.nom} »")
    data["commune"] = commune.nom
    data["code_insee"] = commune.code_insee
    if postcode in commune.codes_postaux:
        candidate.consistent = True
        return
    owners = territory.communes_with_postcode(postcode)
    if not owners and not code_insee and not _coordinates_in(candidate, commune, territory):
        candidate.note(K_NOT_WRITTEN, f"code postal {postcode or '(vide)'} inconnu (CEDEX ?) et ni code INSEE ni "
                                      f"coordonnées pour confirmer la commune « {commune.nom} » : à vérifier à la main")
        return
    if not owners and len(commune.codes_postaux) == 1:
        data["code_postal"] = commune.codes_postaux[0]
        candidate.consistent = True
        candidate.note(K_POSTCODE_FIXED,
                       f"code postal {postcode or '(vide)'} (CEDEX ou inconnu) remplacé par "
                       f"{commune.codes_postaux[0]}, le code postal de {commune.nom}")
        return
    expected = ", ".join(commune.codes_postaux)
    if owners:
        candidate.note(K_POSTCODE, f"code postal {postcode} : il appartient à {_codes(owners)}, "
                                   f"pas à {commune.nom} ({expected})")
    else:
        candidate.note(K_POSTCODE, f"code postal {postcode or '(vide)'} inconnu, et {commune.nom} "
                                   f"en a plusieurs ({expected}) : impossible de choisir")


CONFIRM_KM = 15.0  # coordinates this close to a commune's point confirm a commune found by its name


def _coordinates_in(candidate: Candidate, commune: Commune, territory: Territory) -> bool:
    """Whether the row's own coordinates confirm the commune (a CEDEX postcode says nothing)."""
    lat, lon = candidate.data.get("latitude"), candidate.data.get("longitude")
    point = territory.position(commune.code_insee)
    if lat is None or lon is None or point is None:
        return False
    return km_between((float(lat), float(lon)), point) <= CONFIRM_KM


@dataclass
class Output:
    """One record to write: `path` is `<commune-slug>/<slug>.yml` under `places/`."""

    path: str
    data: dict[str, Any]
    members: list[Candidate]
    notes: list[Note]

    @property
    def text(self) -> str:
        return dump_record(self.data)


@dataclass
class ImportResult:
    outputs: list[Output]
    rejected: list[Candidate]
    rows_read: dict[str, int]
    report: str

    @property
    def files(self) -> dict[str, str]:
        return {o.path: o.text for o in self.outputs}


# --- checks both sources share ----------------------------------------------------------------


def number(value: Any) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None


def common_checks(
    candidate: Candidate, raw_phone: str, emails: list[str], territory: Territory | None = None
) -> None:
    data = candidate.data
    if raw_phone:
        e164 = phone_e164(raw_phone)
        if e164:
            data["telephone"] = e164
        else:
            candidate.note(K_PHONE, f"téléphone « {raw_phone} » invalide")
    valid = []
    for email in emails:
        if email_problem(email):
            candidate.note(K_EMAIL, f"courriel « {email} » invalide")
        else:
            valid.append(email)
    if valid:
        data["courriels"] = valid
    for name in ("nom", "adresse", "complement_adresse"):
        value = str(data.get(name) or "")
        rewritten = proper_name(value, territory) if name == "nom" else proper_address(value, territory)
        if rewritten != value:
            candidate.note(K_CASE, f"{name} « {value} » écrit « {rewritten} » (à vérifier)")
            data[name] = value = rewritten
            if name == "nom":
                candidate.nom = rewritten
        if shouts(value):
            candidate.note(K_CAPITALS, f"{name} en majuscules : « {value} » (à réécrire à la main)")
        if name != "nom" and _POSTBOX.search(value):
            candidate.note(K_POSTBOX, f"{name} « {value} » : une boîte postale n’est pas un lieu où se rendre")
    sites = []
    for address in data.get("site_web") or []:
        problem = url_problem(address)
        if problem:  # `http://`, an IP, a deceiving address: the build would refuse it
            candidate.note(K_UNKNOWN_VALUE, f"site web « {address} » non repris : {problem[0]} ({problem[1]})")
        else:
            sites.append(address)
    if data.get("site_web"):
        data["site_web"] = sites
    if not data.get("pivot"):
        candidate.note(K_PIVOT, "pas de pivot (SIRET ou RNA), exigé par le standard")
    for axis in ("latitude", "longitude"):
        if data.get(axis) is None:
            candidate.note(K_COORDINATES, f"{axis} absente ou illisible dans la source")
