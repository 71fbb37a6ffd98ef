"""The directory as open data, in the national standard « lieux de médiation numérique » v1.0.2.

Pure functions: rows (one dict of text per open place, columns in the standard's order), the
CSV and JSON files built from them, and a checker that applies the standard's own field
constraints (required, pattern, enum, maxLength) so that a partner can load our file.

Two defects of the standard v1.0.2 are handled honestly rather than hidden (see
`is_known_defect`): `pivot` (SIRET) is required but many public places have none in our
sources — we leave it empty, never invent it; the `formations_labels` pattern misses a space
in `Étapes numériques (La Poste)` — we publish the label as it is really written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from ..data.contact import phone_e164
from ..data.provenance import RULES
from ..model.directory import Directory
from ..model.places import LIST_FIELDS, Place

STANDARD_SCHEMA_NAME = "standard-mediation-num_v1.0.2_schema.json"  # in the reference data folder
STANDARD_VERSION = "1.0.2"
STANDARD_URL = "https://github.com/LaMednum/standard-mediation-num"
LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SEPARATOR = "|"

# Column order of the standard v1.0.2 (its schema's `fields`).
COLUMNS = (
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
    "latitude", "longitude", "typologie", "telephone", "courriels", "site_web", "horaires",
    "presentation_resume", "presentation_detail", "source", "itinerance", "structure_parente",
    "date_maj", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
    "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels",
    "autres_formations_labels", "modalites_acces", "modalites_accompagnement",
    "fiche_acces_libre", "prise_rdv",
)

# The standard's pattern, and the pattern it obviously meant (the label has a space).
_LABEL_TYPO = r"Étapes numériques\(La Poste\)"
_LABEL_FIXED = r"Étapes numériques \(La Poste\)"


def load_standard_schema(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _number(value: float | None) -> str:
    """`46.681557` → `"46.681557"`: a plain decimal, read back to the same float."""
    return "" if value is None else repr(float(value))


def _phone(value: str | None) -> str:
    """The standard's E.164 form (`+33549526766`); a number we cannot read is kept as written."""
    if not value:
        return ""
    return phone_e164(value) or value


def place_row(place: Place) -> dict[str, str]:
    """One place as a row of the standard: every value is text, lists joined with `|`."""
    row: dict[str, str] = {}
    for column in COLUMNS:
        if column in ("latitude", "longitude"):
            row[column] = _number(getattr(place, column))
        elif column == "telephone":
            row[column] = _phone(place.telephone)
        elif column == "date_maj":
            row[column] = place.date_maj.isoformat()
        elif column in LIST_FIELDS:
            row[column] = SEPARATOR.join(getattr(place, column))
        else:
            row[column] = getattr(place, column) or ""
    return row


def to_standard_rows(directory: Directory) -> list[dict[str, str]]:
    """Rows of the open places only (a closed place is no longer a place to send anyone)."""
    return [place_row(place) for place in directory.places]


def rows_to_csv(rows: list[dict[str, str]]) -> str:
    """UTF-8 text, comma-separated, header = the standard's column names in its order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_csv(directory: Directory) -> str:
    return rows_to_csv(to_standard_rows(directory))


def _json_place(place: Place, row: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for column in COLUMNS:
        if column in ("latitude", "longitude"):
            item[column] = getattr(place, column)
        elif column in LIST_FIELDS:
            item[column] = list(getattr(place, column))
        else:
            item[column] = row[column] or None
    item["extensions_locales"] = {
        "equipements": list(place.equipements),
        "accessible_fauteuil_roulant": place.accessible_fauteuil_roulant,
        "communes_desservies": list(place.communes_desservies),
        "provenance": [
            {"source": ref.source, "date": ref.date.isoformat(), "fichier": ref.fichier,
             "identifiant": ref.identifiant, "champs": list(ref.champs)}
            for ref in place.provenance
        ],
        "valeurs_deduites": {name: {"regle": rule, "explication": RULES[rule].explained if rule in RULES else None}
                             for name, rule in place.valeurs_deduites},
        "date_verification": place.date_verification.isoformat() if place.date_verification else None,
        "verification_moyen": place.verification_moyen,
    }
    return item


def to_json(directory: Directory) -> str:
    """The same places as the CSV, lists as arrays, plus our local extensions, kept apart."""
    places = [_json_place(place, place_row(place)) for place in directory.places]
    document = {
        "standard": f"Schéma des lieux de médiation numérique v{STANDARD_VERSION}",
        "standard_url": STANDARD_URL,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "extensions_locales": {
            "equipements": "Équipements en libre accès (Wi-Fi, ordinateur, imprimante…) : hors standard.",
            "accessible_fauteuil_roulant": "true si le lieu est accessible en fauteuil roulant, false sinon, null si on ne sait pas : hors standard.",
            "communes_desservies": "Pour un lieu itinérant : codes INSEE des communes où il s’arrête : hors standard.",
            "provenance": "Les sources de la fiche : nom, date, fichier, identifiant dans la source, champs donnés.",
            "valeurs_deduites": "Champs dont la valeur vient d’une règle documentée (pas de la source ni du lieu), "
                                "avec la règle ; elles restent dans les colonnes du standard.",
            "date_verification": "Jour où une personne a vérifié toute la fiche auprès du lieu (null : jamais).",
            "verification_moyen": "Comment : téléphone, e-mail, sur place, ou par le lieu lui-même.",
        },
        "lieux": places,
    }
    # Without indentation: a program reads it, and at 20,000 places indenting adds 15 MB (a third).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- Checking rows against the standard -------------------------------------------------------

def _message(row: dict[str, str], number: int, column: str, problem: str) -> str:
    return f"ligne {number} (id « {row.get('id', '')} »), {column} : {problem}"


def check_rows_against_standard(rows: list[dict[str, str]], standard_schema: dict[str, Any]) -> list[str]:
    """Every value that breaks a constraint of the standard's own schema, in French.

    Rows are numbered as in the CSV file (the header is line 1). The check is literal: the
    standard's defects are reported too, and `is_known_defect` tells them apart.
    """
    problems: list[str] = []
    fields = standard_schema["fields"]
    seen_ids: set[str] = set()
    for index, row in enumerate(rows):
        number = index + 2
        for field in fields:
            name = field["name"]
            value = row.get(name, "")
            constraints = field.get("constraints", {})
            if value == "":
                if constraints.get("required"):
                    problems.append(_message(row, number, name, "obligatoire, mais vide"))
                continue
            if constraints.get("unique"):
                if value in seen_ids:
                    problems.append(_message(row, number, name, f"« {value} » apparaît deux fois"))
                seen_ids.add(value)
            pattern = constraints.get("pattern")
            if pattern and not re.fullmatch(pattern, value):
                problems.append(_message(row, number, name, f"« {value} » ne suit pas le motif du standard"))
            enum = constraints.get("enum")
            if enum and value not in enum:
                problems.append(_message(row, number, name, f"« {value} » n’est pas une valeur permise"))
            max_length = constraints.get("maxLength")
            if max_length and len(value) > int(max_length):
                problems.append(_message(row, number, name, f"{len(value)} caractères, plus que {max_length}"))
            if field.get("type") == "number":
                try:
                    float(value)
                except ValueError:
                    problems.append(_message(row, number, name, f"« {value} » n’est pas un nombre"))
            if field.get("type") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                problems.append(_message(row, number, name, f"« {value} » n’est pas une date AAAA-MM-JJ"))
    return problems


def corrected_schema(standard_schema: dict[str, Any]) -> dict[str, Any]:
    """The standard's schema with its two known defects lifted: `pivot` optional, and the
    `formations_labels` pattern with the missing space."""
    fixed = json.loads(json.dumps(standard_schema))
    for field in fixed["fields"]:
        constraints = field.setdefault("constraints", {})
        if field["name"] == "pivot":
            constraints["required"] = False
        if field["name"] == "formations_labels" and "pattern" in constraints:
            constraints["pattern"] = constraints["pattern"].replace(_LABEL_TYPO, _LABEL_FIXED)
    return fixed


def unexplained_problems(rows: list[dict[str, str]], standard_schema: dict[str, Any]) -> list[str]:
    """Problems that remain once the standard's two known defects are set aside."""
    return check_rows_against_standard(rows, corrected_schema(standard_schema))


def is_known_defect(message: str, rows: list[dict[str, str]], standard_schema: dict[str, Any]) -> bool:
    return message not in unexplained_problems(rows, standard_schema)


def rows_without_pivot(directory: Directory) -> list[Place]:
    """Open places exported with an empty `pivot`: listed on the « Données ouvertes » page."""
    return [place for place in directory.places if not place.pivot]
