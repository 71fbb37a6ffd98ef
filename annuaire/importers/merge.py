"""The whole import: map both sources, merge duplicates, name the files, check the round trip."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import opening_hours

from ..data.geo import km_between
from ..data.records import RecordSyntaxError, parse_record
from ..data.territory import Commune, Territory
from ..settings import REPOSITORY
from ..text import search_key
from .anct_mapping import load_config
from .candidate import (
    K_DIFFERENT,
    K_FILLED,
    K_HOURS_DIFFERENT,
    K_MERGE,
    K_NEAR,
    K_NOT_WRITTEN,
    K_OUTSIDE,
    Candidate,
    ImportResult,
    Note,
    Output,
    address_key,
    number,
)
from .conseillers_numeriques import map_conseillers_numeriques, map_data_inclusion
from .france_services import map_france_services
from .record_writer import ordered
from .report import format_report
from .slugs import CONNECTORS, place_slug

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
MAPPING_DIR = REPOSITORY / "data" / "anct-mapping"  # copied by scripts/copy_anct_mapping.py
CONFIG_FILES = {
    "france-services": "france-services.config.json",
    "conseillers-numeriques": "conseiller-numerique.config.json",
    # The 2023 data·inclusion file is that pipeline's output in the conseillers numériques'
    # labels: the conseiller-numerique mapping is the one that reads it.
    "data-inclusion": "conseiller-numerique.config.json",
}
DUPLICATE_DISTANCE_M = 100.0
NEAR_DISTANCE_M = 300.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Straight-line distance in metres."""
    return km_between((lat1, lon1), (lat2, lon2)) * 1000


def same_hours(first: str, second: str) -> bool:
    """Equal opening hours, however they are written (`Tu-Fr …; Mo …` = `Mo …; Tu-Fr …`)."""
    try:
        return str(opening_hours.OpeningHours(first).normalize()) == str(
            opening_hours.OpeningHours(second).normalize()
        )
    except (SyntaxError, opening_hours.ParserError):  # type: ignore[attr-defined]  # missing from its stub
        return first.replace(" ", "") == second.replace(" ", "")


# --- duplicates -----------------------------------------------------------------------------


def name_words(name: str, commune: Commune | None) -> set[str]:
    """Significant words of a place name, without the commune's own words."""
    commune_words = set(search_key(commune.nom).split()) if commune else set()
    return {w for w in search_key(name).split() if w not in CONNECTORS | commune_words}


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
    """Merge the candidates of one place; None when no member has a consistent location.

    The merged record says where each value comes from: `provenance` lists every member's
    source with the fields it gave, `valeurs_deduites` the fields that only rules gave."""
    members = _primary_order(group)
    primary = members[0]
    others = members[1:]
    notes: list[Note] = []
    data = dict(primary.data)
    gave: dict[int, set[str]] = {id(m): set() for m in members}  # member → fields it gave
    gave[id(primary)] = {k for k, v in primary.data.items() if v not in (None, "", [])}
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
            gave[id(primary)].discard(name)
            if located.data.get(name) not in (None, "", []):
                gave[id(located)].add(name)
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
                gave[id(other)].add(name)  # it says so too (a source confirms what a rule gave)
                continue
            if name in LOCATION_FIELDS and located is not primary:
                continue
            if mine in (None, "", []):
                if name == "horaires":
                    notes.append(Note(K_HOURS_DIFFERENT, f"horaires de {other.id} (« {value} », "
                                      f"{other.data.get('date_maj')}) non repris : trop anciens"))
                elif name not in PRIMARY_ONLY:
                    data[name] = value
                    gave[id(other)].add(name)
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
    data["provenance"] = _provenance(members, gave)
    deduced = _deduced(members, gave, data)
    if deduced:
        data["valeurs_deduites"] = deduced
    # A merged record's remaining defects are the kept record's; fill-ins may cure some.
    return data, notes


BOOKKEEPING = ("id", "source", "date_maj", "provenance", "valeurs_deduites")


def _provenance(members: list[Candidate], gave: dict[int, set[str]]) -> list[dict[str, Any]]:
    """One entry per source row, newest first; with several, each says the fields it gave to
    the record (`champs`; a single source gave them all)."""
    entries = []
    sourced = [m for m in members if m.source]
    for member in sourced:
        entry: dict[str, Any] = {k: v for k, v in member.source.items() if v}
        fields = sorted(gave[id(member)] - set(BOOKKEEPING), key=_field_rank)
        if fields and len(sourced) > 1:
            entry["champs"] = fields
        entries.append(entry)
    return entries


def _deduced(members: list[Candidate], gave: dict[int, set[str]], data: Mapping[str, Any]) -> dict[str, str]:
    """The fields only rules gave: every member that gave the field deduced it."""
    deduced = {}
    for name in data:
        givers = [m for m in members if name in gave[id(m)]]
        if givers and all(name in m.deduced for m in givers):
            deduced[name] = givers[0].deduced[name]
    return deduced


def _field_rank(name: str) -> int:
    from .record_writer import FIELD_ORDER

    return FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)


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
            same = isinstance(got, str) and number(got) == value
        else:
            same = got == text_form(value)
        if not same:
            problems.append(f"{name} : {value!r} relu comme {got!r}")
    for name in record.data:
        if name not in expected:
            problems.append(f"{name} : champ inattendu")
    return problems


def text_form(value: Any) -> Any:
    """What a record's reader gives back for a written value: text, in lists and mappings."""
    if isinstance(value, dict):
        return {str(k): text_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [text_form(v) for v in value]
    return str(value)


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
                 places_prefix: str = "places",
                 data_inclusion_rows: Sequence[Mapping[str, Any]] = (),
                 data_inclusion_name: str = "data·inclusion 2023",
                 files: Mapping[str, str] | None = None,
                 mapping_dir: Path = MAPPING_DIR) -> ImportResult:
    """Map the three sources with ANCT's mapping files, merge duplicates across all of them,
    check, and produce the records and the report. `files` names each source's file
    (`france-services`, `conseillers-numeriques`, `data-inclusion`) for the provenance."""
    files = dict(files or {})
    configs = {kind: load_config(mapping_dir / name) for kind, name in CONFIG_FILES.items()}
    candidates: list[Candidate] = []
    for index, row in enumerate(france_services_rows):
        candidates.append(map_france_services(row, france_services_date, territory, configs["france-services"],
                                              france_services_name, order=index,
                                              file_name=files.get("france-services", "")))
    offset = len(candidates)
    for index, row in enumerate(conseillers_rows):
        candidates.append(map_conseillers_numeriques(row, territory, configs["conseillers-numeriques"],
                                                     conseillers_name, order=offset + index,
                                                     file_name=files.get("conseillers-numeriques", "")))
    offset = len(candidates)
    for index, row in enumerate(data_inclusion_rows):
        candidates.append(map_data_inclusion(row, territory, configs["data-inclusion"], data_inclusion_name,
                                             order=offset + index, file_name=files.get("data-inclusion", "")))
    blocked = [c for c in candidates if any(n.kind in (K_NOT_WRITTEN, K_OUTSIDE) for n in c.notes)]
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
    if data_inclusion_rows:
        rows_read[data_inclusion_name] = len(data_inclusion_rows)
    result = ImportResult(outputs, sorted(rejected, key=lambda c: c.order), rows_read, "")
    result.report = format_report(result, places_prefix)
    return result
