"""ANCT's own mappings from its sources to the national standard, applied as published.

The national cartography's import pipeline (`mednum-cli`, MIT) describes, for each source, which
column gives each field and which terms give which value (`<source>.config.json`, copied in
`../shared/data/national/anct-mapping/`). Reading those files instead of rewriting their rules
keeps this directory's records what the national cartography would make of the same rows.

How an entry is read:
- `{"colonne": C}`: the field is the column's text (lists split on `,` `;` `|`);
- `[{"colonnes": [C…], "termes": [T…], "cible": V}, …]`: `V` when one of the column's values
  is a term. A term written `Libellé : explication` also matches its `Libellé` alone (the 2022
  conseillers numériques file writes `Gratuit` for `Gratuit : Je peux accéder gratuitement…`);
- `{"colonnes": [C]}` without terms nor target: the column's text;
- `{"cible": V}` with no column: every row gets `V`. The row did not say it: the value is
  *deduced* by the rule of the file (`valeurs_deduites`), except for the fields that only restate
  that the row is in this list (`typologie`, `dispositif_programmes_nationaux`);
- `horaires`: `{"osm": C}` (OpenStreetMap text) or `{"jours": [{"colonne", "osm"}…]}` (one
  column per weekday, converted by the caller).
A column value that matches no term of a field is returned as unmatched, for the report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..text import search_key

# Fields whose constant value says only that the row is in the source's list: a fact.
MEMBERSHIP_FIELDS = ("typologie", "dispositif_programmes_nationaux")
LIST_TARGETS = (
    "typologie", "courriels", "site_web", "services", "publics_specifiquement_adresses",
    "prise_en_charge_specifique", "frais_a_charge", "itinerance", "modalites_acces",
    "modalites_accompagnement", "dispositif_programmes_nationaux", "formations_labels",
)
IGNORED = ("prive", "horaires")  # `horaires` is read by the caller (two forms); `prive` is not published


@dataclass
class Mapped:
    """A row read through a mapping file."""

    data: dict[str, Any] = field(default_factory=dict)
    from_columns: dict[str, list[str]] = field(default_factory=dict)  # field → the columns it was read from
    deduced: dict[str, str] = field(default_factory=dict)  # field → rule id
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (column, value) no term of any field knows


def load_config(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def split_values(text: str) -> list[str]:
    return [v.strip() for v in re.split(r"\s*[;|]\s*|,(?=\S)|,\s+(?=[A-ZÉ])", text) if v.strip()]


def _term_keys(term: str) -> set[str]:
    keys = {search_key(term)}
    if " : " in term:
        keys.add(search_key(term.split(" : ", 1)[0]))
    return keys


def apply_mapping(
    config: Mapping[str, Any], row: Mapping[str, Any], rule: str, aliases: Mapping[str, str] | None = None,
) -> Mapped:
    """The standard's fields of `row` according to `config`; `rule` names the deductions
    (`anct-france-services`…); `aliases` maps a config column to the row's own name for it."""
    aliases = dict(aliases or {})

    def column(name: str) -> str:
        value = row.get(aliases.get(name, name))
        return "" if value is None else str(value).strip()

    mapped = Mapped()
    known_terms: dict[str, set[str]] = {}  # column → every term any field matches in it
    for target, entry in config.items():
        if target in IGNORED:
            continue
        if isinstance(entry, dict) and "colonne" in entry:
            text = column(entry["colonne"])
            if text:
                mapped.data[target] = split_values(text) if target in LIST_TARGETS else text
                mapped.from_columns[target] = [entry["colonne"]]
            continue
        if not isinstance(entry, list):
            continue
        values: list[str] = []
        constant = False
        for item in entry:
            columns = item.get("colonnes") or []
            target_value = item.get("cible")
            if not columns:
                if target_value and target_value not in values:
                    values.append(target_value)
                    constant = True
                continue
            if not target_value:  # a column copied as it is
                for name in columns:
                    if column(name):
                        values.append(column(name))
                        mapped.from_columns.setdefault(target, []).append(name)
                continue
            terms = {key for term in item.get("termes", []) for key in _term_keys(term)}
            for name in columns:
                known_terms.setdefault(name, set()).update(terms)
                if terms & {search_key(v) for v in split_values(column(name))}:
                    if target_value not in values:
                        values.append(target_value)
                    if name not in mapped.from_columns.get(target, []):
                        mapped.from_columns.setdefault(target, []).append(name)
        if values:
            mapped.data[target] = values if target in LIST_TARGETS else values[0]
            if constant and target not in MEMBERSHIP_FIELDS and target not in mapped.from_columns:
                mapped.deduced[target] = rule
    for name, terms in sorted(known_terms.items()):
        for value in split_values(column(name)):
            if search_key(value) not in terms:
                mapped.unmatched.append((name, value))
    return mapped


def hours_columns(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(column, OSM day) of a `{"jours": …}` hours entry, in the week's order."""
    return [(day["colonne"], day["osm"]) for day in config.get("horaires", {}).get("jours", [])]
