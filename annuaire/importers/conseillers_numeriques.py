"""The conseillers numériques places (cartographie nationale) and the data·inclusion feed of
2023 → candidate records, through ANCT's mapping `conseiller-numerique.config.json`.

The 2022 file writes `conditions_access` for the mapping's `conditions_acces`, and short labels
(`Gratuit`) for its long terms (`Gratuit : Je peux accéder…`): both are read as the mapping
means them (see `anct_mapping`). The 2023 data·inclusion file is the same pipeline's output for
the Vienne, with the same labels (`services`, `publics_accueillis`, `conditions_acces`): the same
mapping applies; its rows have no coordinates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..data.hours import syntax_error
from ..data.provenance import source_text
from ..data.territory import Territory
from .anct_mapping import apply_mapping
from .candidate import (
    K_DEDUCED,
    K_HOURS_INVALID,
    K_HOURS_MISSING,
    K_NOT_WRITTEN,
    K_UNKNOWN_VALUE,
    Candidate,
    check_location,
    common_checks,
    number,
)
from .mapping import typologie_from_name

ALIASES_2022 = {"conditions_acces": "conditions_access"}
DATA_INCLUSION_SOURCE = "data·inclusion (ANCT)"


def map_conseillers_numeriques(row: Mapping[str, Any], territory: Territory, config: Mapping[str, Any],
                               origin: str = "Conseillers numériques 2022", order: int = 0,
                               file_name: str = "", id_prefix: str = "conseillers-numeriques",
                               source_name: str | None = None) -> Candidate:
    """One place of the conseillers numériques file (or of the data·inclusion feed) → a candidate."""
    def get(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value).strip()

    mapped = apply_mapping(config, row, "anct-conseillers-numeriques", ALIASES_2022)
    name = get("nom")
    data: dict[str, Any] = {
        key: value for key, value in mapped.data.items()
        if key not in ("id", "latitude", "longitude", "telephone", "courriels", "commune", "code_insee",
                       "prise_rdv", "horaires")
    }
    source = source_name or source_text(get("source"))
    data.update({
        "id": f"{id_prefix}-{get('id')}",
        "nom": name,
        "latitude": number(row.get("latitude")),
        "longitude": number(row.get("longitude")),
        "source": source,
        "date_maj": get("date_maj"),
    })
    if get("prise_rdv").lower().startswith("https://"):
        data["prise_rdv"] = get("prise_rdv")
    candidate = Candidate(id=data["id"], nom=name, origin=origin, order=order, data=data)
    candidate.source = {"source": source, "fichier": file_name, "date": get("date_maj"), "identifiant": get("id")}
    candidate.deduced = dict(mapped.deduced)
    for column, value in mapped.unmatched:
        candidate.note(K_UNKNOWN_VALUE, f"{column} « {value} » : absent de la correspondance de l’ANCT (non repris)")
    horaires = get("horaires")
    if horaires:
        if syntax_error(horaires):
            candidate.note(K_HOURS_INVALID, f"horaires « {horaires} » illisibles (format OpenStreetMap)")
        else:
            data["horaires"] = horaires
    else:
        candidate.note(K_HOURS_MISSING, "aucun horaire dans la source")
    typologie = typologie_from_name(name, territory)
    if typologie and not data.get("typologie"):
        data["typologie"] = typologie
        candidate.deduced["typologie"] = "typologie-nom"
        candidate.note(K_DEDUCED, f"typologie « {typologie[0]} » lue dans le nom (règle typologie-nom)")
    if not get("date_maj"):
        candidate.note(K_NOT_WRITTEN, "pas de date_maj dans la source")
    emails = [e.strip() for e in get("courriel").split(",") if e.strip()]
    common_checks(candidate, get("telephone"), emails, territory)
    check_location(candidate, territory, get("commune"), get("code_insee") or None)
    return candidate


def map_data_inclusion(row: Mapping[str, Any], territory: Territory, config: Mapping[str, Any],
                       origin: str = "data·inclusion 2023", order: int = 0, file_name: str = "") -> Candidate:
    """One place of the data·inclusion feed of February 2023 (already in the standard's names)."""
    return map_conseillers_numeriques(row, territory, config, origin, order, file_name, "data-inclusion",
                                      DATA_INCLUSION_SOURCE)
