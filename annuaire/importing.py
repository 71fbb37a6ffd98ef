"""Import the two real sources of places into records of the national standard v1.0.2.

Pure functions only: `scripts/import_sources.py` reads the files and writes `places/`. The
importer never invents a value; every defect it meets is reported, grouped per record.

Sources and mappings
--------------------
France services (ANCT, `liste-fs-AAAAMMJJ.csv`):
  - `id: france-services-<id_fs>`, `nom` = `lib_fs`, address fields as given, `code_insee` =
    `insee_com`, `commune` = the territory's name for that INSEE code;
  - `telephone` in E.164; `courriels: [mail]`;
  - `horaires`: the columns `h_lundi`…`h_samedi` (`09:00 - 12:00 / 13:30 - 17:00`) converted to
    OpenStreetMap syntax, consecutive identical days grouped (`Mo-Fr …; Sa …`). The placeholder
    `00:00 - 00:00` is dropped and reported; an empty day is closed; no day at all → no `horaires`;
  - `prise_rdv` → `modalites_acces`: `Non` → `Se présenter` (no appointment needed),
    `Oui` → `Téléphoner` (the source gives no booking link, only a phone number: calling first is
    the one way to get an appointment we can state);
  - `format_fs`: `Fixe`/`Multisites` → `itinerance: [Fixe]`, `Itinérante` → `[Itinérant]`;
  - `commentaire` (the source's own free text) → `presentation_detail`;
  - derived from the label itself, not invented: the national France services charter obliges
    every labelled place to help with online procedures, to give free access to a computer and
    internet, for free and with a person: `dispositif_programmes_nationaux: [France Services]`,
    `services: [Aide aux démarches administratives, Accès internet et matériel informatique]`,
    `frais_a_charge: [Gratuit]`, `modalites_accompagnement: [Accompagnement individuel]`;
  - `typologie`: `LA_POSTE` if the name says "La Poste", `PIMMS` if it says "Pimms", else `RFS`;
  - `source: France services (ANCT)`, `date_maj` = the date of the file.

Conseillers numériques 2022 (cartographie nationale, schema v0.1):
  - `id: conseillers-numeriques-<id>`, fields as given, `courriel` → `courriels: [..]`, `pivot`
    kept when present, `source`/`date_maj`/`horaires` exactly as given (never guessed);
  - `services` (comma-separated v0.1 labels) → v1.0.2 labels through `SERVICES_V01`; an unknown
    label is reported, never guessed; `conditions_access` → `frais_a_charge`,
    `labels_nationaux` → `dispositif_programmes_nationaux` (tables below);
  - `typologie` only when the name makes it unambiguous (`TYPOLOGY_RULES`), else absent.

Checks: commune, postcode and INSEE code must agree with the territory. A postcode that belongs
to no commune (CEDEX) is replaced by the commune's postcode only when it has exactly one; any
other disagreement is reported, and a record that cannot be made consistent without guessing is
not written ("à corriger à la main").

Duplicates: two rows are the same place when they are in the same commune and share a phone
number, an e-mail address, coordinates less than 100 m apart, or the same normalised address.
The newest row is kept (id, source, date_maj, horaires); the lists describing programmes and
services are united; a value missing in the kept row may be filled from an older row (reported).

Slugs: `slugify(nom)` without the commune's name (the folder already says it: `places/gencay/
france-services.yml`), unless that leaves a single word (`grand-chatellerault` stays whole);
"France services" is kept because residents know places by that name. At most 60 characters,
made unique within a commune with `-2`, `-3`.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opening_hours

from .checks import commune_named, unknown_insee_message
from .contact import email_problem, phone_e164
from .hours import syntax_error
from .record_writer import dump_record, ordered
from .records import RecordSyntaxError, parse_record
from .territory import Commune, Territory
from .text import search_key, slugify, strip_accents

FRANCE_SERVICES_SOURCE = "France services (ANCT)"

# --- vocabularies ---------------------------------------------------------------------------

# v0.1 labels of the national cartography (enum `Service` of lieux-de-mediation-numerique)
# → labels of the standard v1.0.2.
SERVICES_V01: dict[str, str] = {
    "Prendre en main un smartphone ou une tablette": "Maîtrise des outils numériques du quotidien",
    "Prendre en main un ordinateur": "Maîtrise des outils numériques du quotidien",
    "Utiliser le numérique au quotidien": "Maîtrise des outils numériques du quotidien",
    "Approfondir ma culture numérique": "Compréhension du monde numérique",
    "Promouvoir la citoyenneté numérique": "Compréhension du monde numérique",
    "Accéder à une connexion internet": "Accès internet et matériel informatique",
    "Accéder à du matériel": "Accès internet et matériel informatique",
    "S’équiper en matériel informatique": "Acquisition de matériel informatique à prix solidaire",
    "Devenir autonome dans les démarches administratives": "Aide aux démarches administratives",
    "Réaliser des démarches administratives avec un accompagnement": "Aide aux démarches administratives",
    "Accompagner les démarches de santé": "Aide aux démarches administratives",
    "Favoriser mon insertion professionnelle": "Insertion professionnelle via le numérique",
    "Créer et développer mon entreprise": "Insertion professionnelle via le numérique",
    "Soutenir la parentalité et l’éducation avec le numérique": "Parentalité et éducation avec le numérique",
    "Créer avec le numérique": "Loisirs et créations numériques",
}
FRAIS_V01: dict[str, str] = {
    "Gratuit": "Gratuit",
    "Gratuit sous condition": "Gratuit sous condition",
    "Payant": "Payant",
}
LABELS_V01: dict[str, str] = {
    "CNFS": "Conseillers numériques",
    "France Services": "France Services",
    "Aidants Connect": "Aidants Connect",
    "Point relais CAF": "Point d'accès numérique CAF",
}

# (code, pattern on `search_key(nom)`), first match wins; two different matches → ambiguous.
TYPOLOGY_RULES: tuple[tuple[str, str], ...] = (
    ("RFS", r"\bfrance services?\b"),
    ("MDS", r"\bmdsp?\b|\bmaison departementale des solidarites\b"),
    ("CCAS", r"\bccas\b|\bcentre communal d action sociale\b"),
    ("CC", r"\bcommunaute de communes\b"),
    ("EPCI", r"\bcommunaute d agglomeration\b"),
    ("ML", r"\bmission locale\b"),
    ("ASSO", r"\bcroix rouge\b|\bassociation\b"),
    ("MUNI", r"\bmairie\b|\bcommune de\b|\bville de\b"),
)

WEEKDAY_COLUMNS = (
    ("h_lundi", "Mo"), ("h_mardi", "Tu"), ("h_mercredi", "We"),
    ("h_jeudi", "Th"), ("h_vendredi", "Fr"), ("h_samedi", "Sa"),
)
PLACEHOLDER_INTERVAL = ("00:00", "00:00")

# Fields the kept (newest) row never takes from an older row.
PRIMARY_ONLY = ("id", "source", "date_maj", "horaires")
# Lists that describe programmes and services: united over the duplicates.
UNION_FIELDS = (
    "services", "dispositif_programmes_nationaux", "formations_labels",
    "modalites_accompagnement", "publics_specifiquement_adresses",
    "prise_en_charge_specifique", "frais_a_charge",
)
LOCATION_FIELDS = ("adresse", "complement_adresse", "code_postal", "commune", "code_insee",
                   "latitude", "longitude")
DUPLICATE_DISTANCE_M = 100.0
NEAR_DISTANCE_M = 300.0
SLUG_MAX_LENGTH = 60

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

    def note(self, kind: str, message: str) -> None:
        self.notes.append(Note(kind, message))


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


# --- hours ----------------------------------------------------------------------------------

_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def parse_day(text: str) -> list[tuple[str, str]] | None:
    """`09:00 - 12:00 / 13:30 - 17:00` → `[("09:00", "12:00"), ("13:30", "17:00")]`; None if unreadable."""
    intervals: list[tuple[str, str]] = []
    for part in text.split("/"):
        part = part.strip()
        if not part:
            continue
        match = _INTERVAL.match(part)
        if not match:
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
            return None
        intervals.append((f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"))
    return intervals


def _day_range(days: list[str]) -> str:
    if len(days) == 1:
        return days[0]
    if len(days) == 2:
        return f"{days[0]},{days[1]}"
    return f"{days[0]}-{days[-1]}"


def weekday_hours_to_osm(columns: Mapping[str, str]) -> tuple[str | None, list[Note]]:
    """France services weekday columns → OSM `opening_hours`, with what was dropped.

    Consecutive days with the same intervals are grouped (`Mo-Fr 09:00-12:00,13:30-17:00`); an
    empty day is closed; the placeholder `00:00 - 00:00` is removed; a day that cannot be read
    makes the whole value absent (never half-guessed hours)."""
    notes: list[Note] = []
    per_day: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    placeholder_days: list[str] = []
    for column, day in WEEKDAY_COLUMNS:
        raw = (columns.get(column) or "").strip()
        intervals = parse_day(raw)
        if intervals is None:
            notes.append(Note(K_HOURS_INVALID, f"horaires du {column[2:]} illisibles : « {raw} »"))
            return None, notes
        if PLACEHOLDER_INTERVAL in intervals:
            placeholder_days.append(column[2:])
            intervals = [i for i in intervals if i != PLACEHOLDER_INTERVAL]
        if any(start >= end for start, end in intervals):
            notes.append(Note(K_HOURS_INVALID, f"horaires du {column[2:]} impossibles : « {raw} »"))
            return None, notes
        per_day.append((day, tuple(sorted(intervals))))
    if placeholder_days:
        notes.append(Note(K_HOURS_PLACEHOLDER, "« 00:00 - 00:00 » n’est pas un horaire, retiré "
                                               f"({', '.join(placeholder_days)})"))
    rules: list[str] = []
    index = 0
    while index < len(per_day):
        day, same_hours_run = per_day[index]
        run = [day]
        while index + 1 < len(per_day) and per_day[index + 1][1] == same_hours_run:
            index += 1
            run.append(per_day[index][0])
        if same_hours_run:
            times = ",".join(f"{start}-{end}" for start, end in same_hours_run)
            rules.append(f"{_day_range(run)} {times}")
        index += 1
    return ("; ".join(rules) or None), notes


def same_hours(first: str, second: str) -> bool:
    """Equal opening hours, however they are written (`Tu-Fr …; Mo …` = `Mo …; Tu-Fr …`)."""
    try:
        return str(opening_hours.OpeningHours(first).normalize()) == str(
            opening_hours.OpeningHours(second).normalize()
        )
    except (SyntaxError, opening_hours.ParserError):  # type: ignore[attr-defined]  # missing from its stub
        return first.replace(" ", "") == second.replace(" ", "")


# --- vocabularies ---------------------------------------------------------------------------


def _apostrophes(text: str) -> str:
    return text.replace("'", "’").strip()


def map_labels(raw: str, table: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Comma-separated old labels → new labels (deduplicated, in order) and the unknown ones."""
    lookup = {_apostrophes(k): v for k, v in table.items()}
    mapped: list[str] = []
    unknown: list[str] = []
    for label in (part.strip() for part in raw.split(",")):
        if not label:
            continue
        new = lookup.get(_apostrophes(label))
        if new is None:
            unknown.append(label)
        elif new not in mapped:
            mapped.append(new)
    return mapped, unknown


def services_v1(raw: str) -> tuple[list[str], list[str]]:
    """v0.1 `services` (comma-separated) → v1.0.2 labels, and the labels we do not know."""
    return map_labels(raw, SERVICES_V01)


def typologie_from_name(name: str, territory: Territory | None = None) -> list[str]:
    """The `typologie` a name makes unambiguous (`MDS de Poitiers` → `[MDS]`), else `[]`."""
    key = search_key(name)
    codes = [code for code, pattern in TYPOLOGY_RULES if re.search(pattern, key)]
    if not codes and territory is not None:
        for epci in territory.epcis:
            bare = search_key(epci.nom.partition(" ")[2])
            if key == bare:
                codes.append("CC" if epci.type == "CC" else "EPCI")
    unique = list(dict.fromkeys(codes))
    return unique if len(unique) == 1 else []


# --- text checks ----------------------------------------------------------------------------

ACRONYMS = frozenset({
    "MDS", "MDSP", "CCAS", "CIAS", "CNFS", "ZAE", "ZAC", "PIMMS", "ANCT", "CAF", "CPAM",
    "MSAP", "EPN", "MJC", "CSC",
})


def capital_words(text: str) -> list[str]:
    """Words written in capitals (`MDS JAUNAY MARIGNY` → `JAUNAY`, `MARIGNY`), acronyms apart."""
    words = re.findall(r"[^\W\d_]+", text)
    return [w for w in words if len(w) >= 4 and w.isupper() and strip_accents(w) not in ACRONYMS]


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


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    radius = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


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
    if code_insee:
        commune = territory.commune(code_insee)
        if commune is None:
            candidate.note(K_NOT_WRITTEN, unknown_insee_message(code_insee))
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


# --- mapping of each source -----------------------------------------------------------------


def _float(value: Any) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _common_checks(candidate: Candidate, raw_phone: str, emails: list[str]) -> None:
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
        shouting = capital_words(value)
        if shouting:
            candidate.note(K_CAPITALS, f"{name} en majuscules : « {value} » (à réécrire à la main)")
        if name != "nom" and _POSTBOX.search(value):
            candidate.note(K_POSTBOX, f"{name} « {value} » : une boîte postale n’est pas un lieu où se rendre")
    if not data.get("pivot"):
        candidate.note(K_PIVOT, "pas de pivot (SIRET ou RNA), exigé par le standard")
    for axis in ("latitude", "longitude"):
        if data.get(axis) is None:
            candidate.note(K_COORDINATES, f"{axis} absente ou illisible dans la source")


def map_france_services(row: Mapping[str, str], date_maj: str, territory: Territory,
                        origin: str = "France services", order: int = 0) -> Candidate:
    """One row of the France services CSV → a candidate record (see the module docstring)."""
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    name = get("lib_fs")
    data: dict[str, Any] = {
        "id": f"france-services-{get('id_fs')}",
        "nom": name,
        "adresse": get("adresse"),
        "complement_adresse": get("complement_adresse"),
        "code_postal": get("code_postal"),
        "latitude": _float(get("latitude")),
        "longitude": _float(get("longitude")),
        "presentation_detail": get("commentaire"),
        "source": FRANCE_SERVICES_SOURCE,
        "date_maj": date_maj,
        "dispositif_programmes_nationaux": ["France Services"],
        "services": ["Aide aux démarches administratives", "Accès internet et matériel informatique"],
        "frais_a_charge": ["Gratuit"],
        "modalites_accompagnement": ["Accompagnement individuel"],
    }
    key = search_key(name)
    data["typologie"] = ["LA_POSTE"] if "la poste" in key else ["PIMMS"] if "pimms" in key else ["RFS"]
    candidate = Candidate(id=data["id"], nom=name, origin=origin, order=order, data=data)
    horaires, notes = weekday_hours_to_osm(row)
    candidate.notes.extend(notes)
    if horaires:
        data["horaires"] = horaires
    elif not any(n.kind == K_HOURS_INVALID for n in notes):
        candidate.note(K_HOURS_MISSING, "aucun horaire dans la source")
    if "horaire" in search_key(get("commentaire")):
        candidate.note(K_HOURS_COMMENT, "le commentaire de la source parle d’horaires : "
                                        "comparez-le aux horaires par jour et corrigez à la main")
    rdv = get("prise_rdv")
    access = {"Non": "Se présenter", "Oui": "Téléphoner"}.get(rdv)
    if access:
        data["modalites_acces"] = [access]
    elif rdv:
        candidate.note(K_UNKNOWN_VALUE, f"prise_rdv « {rdv} » inconnue")
    form = get("format_fs")
    itinerance = {"Fixe": "Fixe", "Multisites": "Fixe", "Itinérante": "Itinérant"}.get(form)
    if itinerance:
        data["itinerance"] = [itinerance]
    elif form:
        candidate.note(K_UNKNOWN_VALUE, f"format_fs « {form} » inconnu")
    if get("insee_dep") and get("insee_dep") != "86":
        candidate.note(K_NOT_WRITTEN, f"département {get('insee_dep')}, pas la Vienne")
        return candidate
    _common_checks(candidate, get("telephone"), [get("mail")] if get("mail") else [])
    check_location(candidate, territory, get("lib_com"), get("insee_com") or None)
    return candidate


def map_conseillers_numeriques(row: Mapping[str, Any], territory: Territory,
                               origin: str = "Conseillers numériques 2022",
                               order: int = 0) -> Candidate:
    """One place of the 2022 conseillers numériques file (schema v0.1) → a candidate record."""
    def get(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value).strip()

    name = get("nom")
    data: dict[str, Any] = {
        "id": f"conseillers-numeriques-{get('id')}",
        "pivot": get("pivot"),
        "nom": name,
        "adresse": get("adresse"),
        "code_postal": get("code_postal"),
        "latitude": _float(row.get("latitude")),
        "longitude": _float(row.get("longitude")),
        "site_web": [get("site_web")] if get("site_web") else [],
        "source": get("source"),
        "date_maj": get("date_maj"),
    }
    candidate = Candidate(id=data["id"], nom=name, origin=origin, order=order, data=data)
    horaires = get("horaires")
    if horaires:
        if syntax_error(horaires):
            candidate.note(K_HOURS_INVALID, f"horaires « {horaires} » illisibles (format OpenStreetMap)")
        else:
            data["horaires"] = horaires
    else:
        candidate.note(K_HOURS_MISSING, "aucun horaire dans la source")
    # Comma-separated v0.1 labels → v1.0.2 values; an unknown label is reported, never guessed.
    for column, field_name, table, unknown_note in (
        ("services", "services", SERVICES_V01, "service « {} » inconnu (pas de correspondance v1.0.2)"),
        ("conditions_access", "frais_a_charge", FRAIS_V01, "conditions_access « {} » inconnue"),
        ("labels_nationaux", "dispositif_programmes_nationaux", LABELS_V01, "labels_nationaux « {} » inconnu"),
    ):
        data[field_name], unknown = map_labels(get(column), table)
        for label in unknown:
            candidate.note(K_UNKNOWN_VALUE, unknown_note.format(label))
    typologie = typologie_from_name(name, territory)
    if typologie:
        data["typologie"] = typologie
    if not get("date_maj"):
        candidate.note(K_NOT_WRITTEN, "pas de date_maj dans la source")
    emails = [e.strip() for e in get("courriel").split(",") if e.strip()]
    _common_checks(candidate, get("telephone"), emails)
    check_location(candidate, territory, get("commune"), None)
    return candidate


# --- duplicates -----------------------------------------------------------------------------


def name_words(name: str, commune: Commune | None) -> set[str]:
    """Significant words of a place name, without the commune's own words."""
    commune_words = set(search_key(commune.nom).split()) if commune else set()
    return {w for w in search_key(name).split() if w not in _CONNECTORS | commune_words}


def similar_names(a: Candidate, b: Candidate) -> bool:
    """Two names that designate the same structure (`ESPACE FRANCE SERVICES` ≈ `France services
    Pleumartin`), not two structures sharing a building (`MDS de Chauvigny` ≠ `France services`)."""
    words_a, words_b = name_words(a.nom, a.commune), name_words(b.nom, b.commune)
    smaller, larger = sorted((words_a, words_b), key=len)
    return bool(smaller) and len(smaller & larger) * 3 >= len(smaller) * 2


def location_reasons(a: Candidate, b: Candidate) -> list[str]:
    """Same building: coordinates under 100 m apart, or the same normalised address."""
    reasons = []
    da, db = a.data, b.data
    coords = (da.get("latitude"), da.get("longitude"), db.get("latitude"), db.get("longitude"))
    if None not in coords:
        metres = distance_m(*coords)  # type: ignore[arg-type]
        if metres < DUPLICATE_DISTANCE_M:
            reasons.append(f"coordonnées à {metres:.0f} m")
    if da.get("adresse") and address_key(da["adresse"]) == address_key(db.get("adresse") or ""):
        reasons.append("même adresse")
    return reasons


def duplicate_reasons(a: Candidate, b: Candidate) -> list[str]:
    """Why two candidates are the same place (empty if they are not).

    The same phone or e-mail in the same commune is the same place. The same building alone
    is not: a France services and a Maison départementale des solidarités often share one,
    each with its own phone and hours, and a social worker needs both. So a shared location
    counts only when the names designate the same structure; otherwise `near_duplicate`
    reports the pair for a person to check."""
    if a.commune is None or b.commune is None or a.commune.code_insee != b.commune.code_insee:
        return []
    reasons = []
    da, db = a.data, b.data
    if da.get("telephone") and da.get("telephone") == db.get("telephone"):
        reasons.append("même téléphone")
    mails_a = {m.lower() for m in da.get("courriels") or []}
    mails_b = {m.lower() for m in db.get("courriels") or []}
    if mails_a & mails_b:
        reasons.append("même courriel")
    if reasons or similar_names(a, b):
        reasons += location_reasons(a, b)
    return reasons


def near_duplicate(a: Candidate, b: Candidate) -> str | None:
    """A likely duplicate the strict rule misses (same commune, same number, similar street,
    or a few hundred metres apart): reported for a person to check, never merged."""
    if a.commune is None or b.commune is None or a.commune.code_insee != b.commune.code_insee:
        return None
    shared = location_reasons(a, b)
    if shared:
        return f"même bâtiment ({', '.join(shared)}) mais noms différents : deux structures distinctes ?"
    key_a, key_b = address_key(a.data.get("adresse") or ""), address_key(b.data.get("adresse") or "")
    num_a, num_b = key_a.split(" ", 1)[0], key_b.split(" ", 1)[0]
    if num_a.isdigit() and num_a == num_b:
        ratio = difflib.SequenceMatcher(None, key_a, key_b).ratio()
        if ratio >= 0.85:
            return f"adresses proches (« {a.data.get('adresse')} » / « {b.data.get('adresse')} »)"
    coords = (a.data.get("latitude"), a.data.get("longitude"), b.data.get("latitude"), b.data.get("longitude"))
    if None not in coords:
        metres = distance_m(*coords)  # type: ignore[arg-type]
        if metres < NEAR_DISTANCE_M and search_key(a.nom) == search_key(b.nom):
            return f"même nom à {metres:.0f} m"
    return None


def group_duplicates(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Groups of candidates that are the same place (transitively), in source order."""
    parent = list(range(len(candidates)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if duplicate_reasons(candidates[i], candidates[j]):
                parent[find(j)] = find(i)
    groups: dict[int, list[Candidate]] = {}
    for index, candidate in enumerate(candidates):
        groups.setdefault(find(index), []).append(candidate)
    return sorted(groups.values(), key=lambda g: min(c.order for c in g))


def _primary_order(group: list[Candidate]) -> list[Candidate]:
    """Newest `date_maj` first; same date → first in the sources."""
    return sorted(group, key=lambda c: (_negated_date(c.data.get("date_maj") or ""), c.order))


def _negated_date(text: str) -> tuple[int, ...]:
    digits = [int(p) for p in re.findall(r"\d+", text)] or [0]
    return tuple(-d for d in digits)


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def merge_group(group: list[Candidate]) -> tuple[dict[str, Any] | None, list[Note]]:
    """Merge the candidates of one place; None when no member has a consistent location."""
    members = _primary_order(group)
    primary = members[0]
    others = members[1:]
    notes: list[Note] = []
    data = dict(primary.data)
    for other in others:
        reasons = duplicate_reasons(primary, other) or ["relié par un autre doublon"]
        exact = ordered(other.data) == ordered({**primary.data, "id": other.id})
        what = "doublon exact" if exact else "même lieu"
        notes.append(Note(K_MERGE, f"{other.id} (« {other.nom} », {other.data.get('date_maj')}) : "
                                   f"{what} ({', '.join(reasons)}) ; fiche gardée : {primary.id}"))
    located = next((c for c in members if c.consistent), None)
    if located is None:
        return None, notes
    if located is not primary:
        for name in LOCATION_FIELDS:
            data[name] = located.data.get(name)
        notes.append(Note(K_FILLED, f"adresse, code postal et commune repris de {located.id} "
                                    f"(ceux de {primary.id} sont incohérents)"))
    for other in others:
        for name, value in other.data.items():
            if value in (None, "", []) or name in ("id",):
                continue
            mine = data.get(name)
            if name in UNION_FIELDS:
                united = list(mine or [])
                added = [v for v in value if v not in united]
                if added:
                    data[name] = united + added
                continue
            if name in LOCATION_FIELDS and located is not primary:
                continue
            if mine in (None, "", []):
                if name == "horaires":
                    notes.append(Note(K_HOURS_DIFFERENT, f"horaires de {other.id} (« {value} », "
                                      f"{other.data.get('date_maj')}) non repris : trop anciens"))
                elif name not in PRIMARY_ONLY:
                    data[name] = value
                    notes.append(Note(K_FILLED, f"{name} « {_show(value)} » repris de {other.id} "
                                                f"({other.data.get('date_maj')})"))
                continue
            if name == "horaires":
                if not same_hours(str(mine), str(value)):
                    notes.append(Note(K_HOURS_DIFFERENT, f"horaires différents : « {mine} » "
                                      f"({primary.data.get('date_maj')}) gardés, « {value} » dans "
                                      f"{other.id} ({other.data.get('date_maj')})"))
                continue
            if name in ("source", "date_maj", "latitude", "longitude", "nom"):
                continue
            if name == "adresse" and address_key(str(mine)) == address_key(str(value)):
                continue
            if mine != value:
                notes.append(Note(K_DIFFERENT, f"{name} « {_show(value)} » dans {other.id}, "
                                               f"« {_show(mine)} » gardé"))
    # A merged record's remaining defects are the kept record's; fill-ins may cure some.
    return data, notes


# --- slugs ----------------------------------------------------------------------------------

_CONNECTORS = frozenset({"de", "d", "du", "des", "la", "le", "les", "l", "a", "au", "aux", "en", "et"})


def place_slug(name: str, commune_name: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A short, readable file stem: `France services de Gençay` in Gençay → `france-services`."""
    words = slugify(name.replace("@", "a")).split("-")
    commune_words = slugify(commune_name).split("-")
    variants = [commune_words]
    if len(commune_words) > 1 and commune_words[0] in ("le", "la", "les", "l"):
        variants.append(commune_words[1:])
    kept: list[str] = []
    index = 0
    while index < len(words):
        match = next((v for v in variants if words[index:index + len(v)] == v), None)
        if match:
            while kept and kept[-1] in _CONNECTORS:
                kept.pop()
            index += len(match)
            continue
        kept.append(words[index])
        index += 1
    while kept and kept[-1] in _CONNECTORS:
        kept.pop()
    if len(kept) < 2:
        kept = [w for w in words if w]
    slug = ""
    for word in kept:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    parts = slug.split("-")
    while len(parts) > 1 and parts[-1] in _CONNECTORS:
        parts.pop()
    return "-".join(parts) or "lieu"


# --- whole import ---------------------------------------------------------------------------


def round_trip_problems(text: str, data: Mapping[str, Any]) -> list[str]:
    """Differences between `data` and what `records.parse_record` reads back from `text`:
    every value must come back as the same text (and numbers as the same number)."""
    try:
        record = parse_record(text, Path("fiche.yml"))
    except RecordSyntaxError as error:
        return [error.message]
    problems = []
    expected = ordered(dict(data))
    for name, value in expected.items():
        got = record.data.get(name)
        if isinstance(value, float):
            same = isinstance(got, str) and _float(got) == value
        elif isinstance(value, list):
            same = got == [str(v) for v in value]
        else:
            same = got == str(value)
        if not same:
            problems.append(f"{name} : {value!r} relu comme {got!r}")
    for name in record.data:
        if name not in expected:
            problems.append(f"{name} : champ inattendu")
    return problems


def _assign_paths(merged: list[tuple[dict[str, Any], list[Candidate], list[Note]]],
                  territory: Territory) -> list[Output]:
    by_folder: dict[str, list[tuple[str, dict[str, Any], list[Candidate], list[Note]]]] = {}
    for data, members, notes in merged:
        commune = territory.commune(data["code_insee"])
        assert commune is not None
        by_folder.setdefault(commune.slug, []).append(
            (place_slug(data["nom"], commune.nom), data, members, notes)
        )
    outputs: list[Output] = []
    for folder, entries in sorted(by_folder.items()):
        used: set[str] = set()
        for slug, data, members, notes in sorted(entries, key=lambda e: (e[0], e[1]["id"])):
            unique, n = slug, 2
            while unique in used:
                unique, n = f"{slug}-{n}", n + 1
            used.add(unique)
            outputs.append(Output(f"{folder}/{unique}.yml", data, members, notes))
    return sorted(outputs, key=lambda o: o.path)


def build_import(france_services_rows: Sequence[Mapping[str, str]],
                 conseillers_rows: Sequence[Mapping[str, Any]],
                 territory: Territory,
                 france_services_date: str,
                 france_services_name: str = "France services",
                 conseillers_name: str = "Conseillers numériques 2022",
                 places_prefix: str = "places") -> ImportResult:
    """Map both sources, merge duplicates, check, and produce the records and the report."""
    candidates: list[Candidate] = []
    for index, row in enumerate(france_services_rows):
        candidates.append(map_france_services(row, france_services_date, territory,
                                              france_services_name, order=index))
    offset = len(candidates)
    for index, row in enumerate(conseillers_rows):
        candidates.append(map_conseillers_numeriques(row, territory, conseillers_name,
                                                     order=offset + index))
    blocked = [c for c in candidates if any(n.kind == K_NOT_WRITTEN for n in c.notes)]
    usable = [c for c in candidates if c not in blocked]
    merged: list[tuple[dict[str, Any], list[Candidate], list[Note]]] = []
    rejected: list[Candidate] = list(blocked)
    for group in group_duplicates(usable):
        data, notes = merge_group(group)
        members = _primary_order(group)
        if data is None:
            for member in members:
                member.note(K_NOT_WRITTEN, "adresse incohérente et aucun doublon cohérent : "
                                           "corrigez la source ou créez la fiche à la main")
            rejected.extend(members)
            continue
        merged.append((data, members, notes))
    outputs = _assign_paths(merged, territory)
    # Likely duplicates the strict rule missed.
    for i, first in enumerate(outputs):
        for second in outputs[i + 1:]:
            reason = next((r for a in first.members for b in second.members
                           if (r := near_duplicate(a, b))), None)
            if reason:
                for here, there in ((first, second), (second, first)):
                    here.notes.append(Note(K_NEAR, f"{reason} avec {places_prefix}/{there.path} "
                                                   f"(« {there.data['nom']} »)"))
    for output in outputs:
        problems = round_trip_problems(output.text, output.data)
        if problems:  # pragma: no cover - dump_record quotes every ambiguous text
            raise ValueError(f"{output.path} ne se relit pas à l’identique : {problems}")
    rows_read = {france_services_name: len(france_services_rows),
                 conseillers_name: len(conseillers_rows)}
    result = ImportResult(outputs, sorted(rejected, key=lambda c: c.order), rows_read, "")
    result.report = format_report(result, places_prefix)
    return result


# --- report ---------------------------------------------------------------------------------


def _record_notes(output: Output) -> list[Note]:
    """Notes of a written record: the kept row's, then the merge notes, then the older rows'
    notes that still describe the written record (capitals of a dropped name do not)."""
    primary, others = output.members[0], output.members[1:]
    notes = list(primary.notes)
    still_missing = {
        K_PIVOT: not output.data.get("pivot"),
        K_HOURS_MISSING: not output.data.get("horaires"),
    }
    notes = [n for n in notes if still_missing.get(n.kind, True)]
    for other in others:
        for note in other.notes:
            if note.kind in (K_PIVOT, K_HOURS_MISSING, K_CAPITALS, K_COMMUNE_NAME, K_POSTBOX):
                continue  # about the dropped row's own values
            notes.append(Note(note.kind, f"{other.id} : {note.message}"))
    notes.extend(output.notes)
    return notes


def _count(number: int, singular: str, plural: str) -> str:
    """`1 ligne lue`, `0 ligne lue`, `2 lignes lues` (French: plural from 2)."""
    return f"{number} {plural if number >= 2 else singular}"


def _note_lines(notes: list[Note], counts: dict[str, int]) -> list[str]:
    """`  - catégorie : message` per note; `counts` (per category, for the summary) is updated."""
    for note in notes:
        counts[note.kind] = counts.get(note.kind, 0) + 1
    return [f"  - {note.kind} : {note.message}" for note in notes]


def format_report(result: ImportResult, places_prefix: str = "places") -> str:
    """The French report: one block per record with every defect, then a summary of counts."""
    lines = ["Rapport de l’import des lieux (scripts/import_sources.py)", ""]
    lines.append("Sources lues :")
    for name, count in result.rows_read.items():
        lines.append(f"  - {name} : {count} lignes")
    lines.append("")
    counts: dict[str, int] = {}
    clean = 0
    for output in result.outputs:
        notes = _record_notes(output)
        if not notes:
            clean += 1
            continue
        lines.append(f"{places_prefix}/{output.path} — {output.data['nom']}")
        ids = ", ".join(f"{m.id} ({m.data.get('date_maj') or 'sans date'})" for m in output.members)
        lines.append(f"  sources : {ids}")
        lines.extend(_note_lines(notes, counts))
        lines.append("")
    if result.rejected:
        lines.append("Lignes non écrites (à corriger à la main) :")
        for candidate in result.rejected:
            lines.append(f"{candidate.id} — {candidate.nom} ({candidate.origin})")
            lines.extend(_note_lines(candidate.notes, counts))
            lines.append("")
    merged_rows = sum(len(o.members) - 1 for o in result.outputs)
    total = sum(result.rows_read.values())
    lines.append("Résumé")
    lines.append(f"  {_count(total, 'ligne lue', 'lignes lues')}, "
                 f"{_count(len(result.outputs), 'fiche produite', 'fiches produites')}, "
                 f"{_count(merged_rows, 'ligne fusionnée', 'lignes fusionnées')} dans une autre fiche, "
                 f"{_count(len({c.id for c in result.rejected}), 'ligne non écrite', 'lignes non écrites')}.")
    lines.append(f"  {_count(clean, 'fiche sans remarque', 'fiches sans remarque')}.")
    for kind in sorted(counts, key=lambda k: (-counts[k], k)):
        lines.append(f"  {counts[kind]:>3} × {kind}")
    return "\n".join(lines) + "\n"


# --- re-run safety --------------------------------------------------------------------------

CREATED = "créée"
UPDATED = "mise à jour (la source a changé)"
UNCHANGED = "inchangée"
KEPT_EDITED = "modifiée à la main, laissée telle quelle (--force pour l’écraser)"
FORCED = "modifiée à la main, écrasée (--force)"
ORPHAN = "plus produite par les sources, laissée (à supprimer à la main si le lieu a fermé)"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FileAction:
    path: str
    action: str
    text: str | None = None  # what to write; None when nothing is written


def plan_files(wanted: Mapping[str, str], current: Mapping[str, str | None],
               state: Mapping[str, str], force: bool = False) -> tuple[list[FileAction], dict[str, str]]:
    """Decide, for each record file, what a run does, and the new state.

    `wanted`: text the importer produces per path; `current`: text now on disk (None if
    missing) for every path of `wanted` and of `state`; `state`: sha256 of the text the importer
    last wrote. A file whose text no longer has that hash was edited by hand: it is kept."""
    actions: list[FileAction] = []
    new_state: dict[str, str] = {}
    for path in sorted(wanted):
        text = wanted[path]
        now = current.get(path)
        if now is None:
            actions.append(FileAction(path, CREATED, text))
            new_state[path] = sha256(text)
        elif now == text:
            actions.append(FileAction(path, UNCHANGED))
            new_state[path] = sha256(text)
        elif state.get(path) == sha256(now):
            actions.append(FileAction(path, UPDATED, text))
            new_state[path] = sha256(text)
        elif force:
            actions.append(FileAction(path, FORCED, text))
            new_state[path] = sha256(text)
        else:
            actions.append(FileAction(path, KEPT_EDITED))
            if path in state:
                new_state[path] = state[path]
    for path in sorted(set(state) - set(wanted)):
        if current.get(path) is not None:
            actions.append(FileAction(path, ORPHAN))
            new_state[path] = state[path]
    return actions, dict(sorted(new_state.items()))
