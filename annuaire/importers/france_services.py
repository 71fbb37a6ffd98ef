"""France services (ANCT, `liste-fs-AAAAMMJJ.csv`) → candidate records: see `importers/__init__.py`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..data.territory import Commune, Territory
from ..text import search_key
from .anct_mapping import apply_mapping, hours_columns
from .candidate import (
    K_DEDUCED,
    K_HOURS_COMMENT,
    K_HOURS_INVALID,
    K_HOURS_MISSING,
    K_HOURS_PLACEHOLDER,
    K_OUTSIDE,
    K_UNKNOWN_VALUE,
    Candidate,
    Note,
    check_location,
    common_checks,
    number,
)

FRANCE_SERVICES_SOURCE = "France services (ANCT)"
WEEKDAY_COLUMNS = (
    ("h_lundi", "Mo"), ("h_mardi", "Tu"), ("h_mercredi", "We"),
    ("h_jeudi", "Th"), ("h_vendredi", "Fr"), ("h_samedi", "Sa"),
)
PLACEHOLDER_INTERVAL = ("00:00", "00:00")


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


def weekday_hours_to_osm(
    columns: Mapping[str, str], days: Sequence[tuple[str, str]] = WEEKDAY_COLUMNS
) -> tuple[str | None, list[Note]]:
    """France services weekday columns → OSM `opening_hours`, with what was dropped.

    Consecutive days with the same intervals are grouped (`Mo-Fr 09:00-12:00,13:30-17:00`); an
    empty day is closed; the placeholder `00:00 - 00:00` is removed; a day that cannot be read
    makes the whole value absent (never half-guessed hours)."""
    notes: list[Note] = []
    per_day: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    placeholder_days: list[str] = []
    for column, day in days:
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


def map_france_services(row: Mapping[str, str], date_maj: str, territory: Territory, config: Mapping[str, Any],
                        origin: str = "France services", order: int = 0, file_name: str = "") -> Candidate:
    """One row of the France services CSV → a candidate record, through ANCT's mapping
    (`france-services.config.json`), with two documented differences: the id is prefixed with
    the source (ids of three sources share one directory), and `date_maj` is the date of the
    list, not the date of labellisation ANCT's file takes (which says nothing of the hours)."""
    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    mapped = apply_mapping(config, row, "anct-france-services")
    name = get("lib_fs")
    data: dict[str, Any] = {
        key: value for key, value in mapped.data.items()
        if key not in ("id", "date_maj", "latitude", "longitude", "telephone", "courriels", "commune", "code_insee")
    }
    data.update({
        "id": f"france-services-{get('id_fs')}",
        "nom": name,
        "latitude": number(get("latitude")),
        "longitude": number(get("longitude")),
        "source": FRANCE_SERVICES_SOURCE,
        "date_maj": date_maj,
    })
    candidate = Candidate(id=data["id"], nom=name, origin=origin, order=order, data=data)
    candidate.source = {"source": FRANCE_SERVICES_SOURCE, "fichier": file_name, "date": date_maj,
                        "identifiant": get("id_fs")}
    candidate.deduced = dict(mapped.deduced)
    for rule_field, rule in sorted(mapped.deduced.items()):
        candidate.note(K_DEDUCED, f"{rule_field} « {_show(data[rule_field])} » : règle {rule} (charte France services)")
    key = search_key(name)
    extra = "LA_POSTE" if "la poste" in key else "PIMMS" if "pimms" in key else None
    if extra:  # the source's own typology says RFS only; the name says who runs it
        data["typologie"] = [*data.get("typologie", []), extra]
        candidate.deduced["typologie"] = "typologie-nom"
    for column, value in mapped.unmatched:
        candidate.note(K_UNKNOWN_VALUE, f"{column} « {value} » : absent de la correspondance de l’ANCT (non repris)")
    horaires, notes = weekday_hours_to_osm(row, hours_columns(config) or WEEKDAY_COLUMNS)
    candidate.notes.extend(notes)
    if horaires:
        data["horaires"] = horaires
    elif not any(n.kind == K_HOURS_INVALID for n in notes):
        candidate.note(K_HOURS_MISSING, "aucun horaire dans la source")
    comment = get("commentaire")
    if "horaire" in search_key(comment):
        candidate.note(K_HOURS_COMMENT, "le commentaire de la source parle d’horaires : "
                                        "comparez-le aux horaires par jour et corrigez à la main")
    if get("format_fs") == "Multisites":
        stops = stops_in_comment(comment, territory)
        if stops:
            data["communes_desservies"] = [c.nom for c in stops]
            candidate.note(K_DEDUCED, "communes desservies lues dans le commentaire (Multisites) : "
                                      + ", ".join(c.nom for c in stops))
    if get("insee_dep") and get("insee_dep") != territory.departement:
        candidate.note(K_OUTSIDE, f"département {get('insee_dep')}, pas celui de l’annuaire ({territory.departement})")
        return candidate
    common_checks(candidate, get("telephone"), [get("mail")] if get("mail") else [], territory)
    check_location(candidate, territory, get("lib_com"), get("insee_com") or None)
    return candidate


_STOP = re.compile(r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi)\s*:\s*([^/]+?)\s+-\s", re.IGNORECASE)


def stops_in_comment(comment: str, territory: Territory) -> list[Commune]:
    """`Lundi : BOIVRE-LA-VALLÉE - Mairie … / Mardi : AYRON - …` → the communes named, in order;
    a name the territory does not know is left out (never guessed)."""
    found: list[Commune] = []
    for name in _STOP.findall(comment):
        communes = territory.communes_named(name.strip())
        if len(communes) == 1 and communes[0] not in found:
            found.append(communes[0])
    return found


def _show(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)
