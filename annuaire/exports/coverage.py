"""The coverage table as open data: one row per commune, the nearest help per need.

Columns are French, as in the national standard's files; distances in km with one decimal,
straight line from a point inside the commune (see `model/coverage.py`). A need no place
offers has empty place columns and `zone_blanche` true everywhere: an absence, not a zero.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from ..model.coverage import Coverage, Reach

CSV_FILE = "donnees/couverture-communes.csv"
JSON_FILE = "donnees/couverture-communes.json"
METHOD = (
    "Pour chaque commune et chaque besoin : le lieu ouvert le plus proche qui y répond, à vol d’oiseau depuis "
    "un point à l’intérieur de la commune (pôle d’inaccessibilité de son contour IGN). Un lieu itinérant compte "
    "dans les communes où il s’arrête. Zone blanche : aucun lieu dans la commune, ni à moins du seuil."
)


def _reach_cells(reach: Reach, white: bool) -> dict[str, Any]:
    place = reach.place
    return {
        "lieu_id": place.id if place else None,
        "lieu_nom": place.nom if place else None,
        "lieu_commune": place.commune_ref.nom if place else None,
        "lieu_page": place.url_path if place else None,
        "distance_km": round(reach.km, 1) if reach.km is not None else None,
        "dans_la_commune": reach.in_commune,
        "zone_blanche": white,
    }


def rows(coverage: Coverage) -> list[dict[str, Any]]:
    """One dict per commune: identity, then `<besoin>_<colonne>` per need."""
    table = []
    for entry in coverage.communes:
        row: dict[str, Any] = {
            "code_insee": entry.commune.code_insee,
            "commune": entry.commune.nom,
            "epci_siren": entry.epci.code if entry.epci else None,
            "epci": entry.epci.nom if entry.epci else None,
            "population": entry.commune.population,
        }
        for need, reach in zip(coverage.needs, entry.reaches):
            for column, value in _reach_cells(reach, coverage.is_white(reach)).items():
                row[f"{need.slug}_{column}"] = value
        table.append(row)
    return table


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def to_csv(coverage: Coverage) -> str:
    table = rows(coverage)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(table[0]) if table else [])
    for row in table:
        writer.writerow([_csv_cell(v) for v in row.values()])
    return buffer.getvalue()


def to_json(coverage: Coverage, updated: date, where: str = "du département") -> str:
    document = {
        "titre": f"Couverture des communes {where} par les lieux ressources numériques",
        "date_des_donnees": updated.isoformat(),
        "seuil_zone_blanche_km": coverage.threshold_km,
        "methode": METHOD,
        "besoins": [{"code": n.slug, "besoin": n.title, "service": n.service} for n in coverage.needs],
        "licence": "Licence Ouverte 2.0",
        "communes": rows(coverage),
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def files(coverage: Coverage, updated: date, where: str = "du département") -> dict[str, str | bytes]:
    """`where`: « de la Vienne », for the JSON's title."""
    return {
        CSV_FILE: to_csv(coverage).encode("utf-8"),
        JSON_FILE: to_json(coverage, updated, where).encode("utf-8"),
    }
