"""Conseillers numériques 2022 (cartographie nationale, schema v0.1) → candidate records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..data.hours import syntax_error
from ..data.territory import Territory
from .candidate import (
    K_HOURS_INVALID,
    K_HOURS_MISSING,
    K_NOT_WRITTEN,
    K_UNKNOWN_VALUE,
    Candidate,
    check_location,
    common_checks,
    number,
)
from .mapping import FRAIS_V01, LABELS_V01, SERVICES_V01, map_labels, typologie_from_name


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
        "latitude": number(row.get("latitude")),
        "longitude": number(row.get("longitude")),
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
    common_checks(candidate, get("telephone"), emails, territory)
    check_location(candidate, territory, get("commune"), None)
    return candidate
