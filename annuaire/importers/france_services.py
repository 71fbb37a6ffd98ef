"""France services (ANCT, `liste-fs-AAAAMMJJ.csv`) → candidate records: see `importers/__init__.py`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..data.territory import Territory
from ..text import search_key
from .candidate import (
    K_HOURS_COMMENT,
    K_HOURS_INVALID,
    K_HOURS_MISSING,
    K_HOURS_PLACEHOLDER,
    K_NOT_WRITTEN,
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
        "latitude": number(get("latitude")),
        "longitude": number(get("longitude")),
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
    common_checks(candidate, get("telephone"), [get("mail")] if get("mail") else [], territory)
    check_location(candidate, territory, get("lib_com"), get("insee_com") or None)
    return candidate
