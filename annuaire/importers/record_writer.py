"""Write a record as YAML that a person can read and that any YAML reader reads back as text.

Used by the importer and by the new-place command: fields in the order of the national
standard, lists as block lists, long text as literal blocks, and every string that YAML 1.1
could misread (`0612345670`, `14:30`, `no`, `86000`) quoted.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schemas/lieu.schema.json\n"

# Order of the national standard v1.0.2, then local extensions.
FIELD_ORDER = (
    "id", "pivot", "nom", "adresse", "complement_adresse", "code_postal", "commune",
    "code_insee", "latitude", "longitude", "typologie", "structure_parente", "telephone",
    "courriels", "site_web", "horaires", "presentation_resume", "presentation_detail",
    "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
    "frais_a_charge", "itinerance", "modalites_acces", "modalites_accompagnement",
    "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels",
    "fiche_acces_libre", "prise_rdv", "equipements", "accessible_fauteuil_roulant",
    "source", "date_maj",
    # Local extensions that say where the values come from (data/provenance.py).
    "date_verification", "verification_moyen", "verification_par", "provenance", "valeurs_deduites",
)


class _Dumper(yaml.SafeDumper):
    """Literal blocks for multi-line text; indented block lists."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


# Plain scalars that a YAML 1.2 reader (editors, yaml-language-server) would not read as text:
# numbers of any form (`0549526766` is no octal for YAML 1.1, but a number for 1.2), booleans, null.
_YAML12_NOT_TEXT = re.compile(
    r"^(?:[-+]?(?:\d[\d_]*)?\.?\d*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$"
)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if value and _YAML12_NOT_TEXT.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Fields in the standard's order; unknown fields last, in their given order."""
    known = [k for k in FIELD_ORDER if k in data]
    rest = [k for k in data if k not in FIELD_ORDER]
    return {k: data[k] for k in known + rest if data[k] not in (None, "", [], ())}


def dump_record(data: dict[str, Any]) -> str:
    """The text of a record file. SafeDumper quotes strings that YAML 1.1 would resolve to
    another type, `_represent_str` those that YAML 1.2 would: text stays text for every reader."""
    body = yaml.dump(
        ordered(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
    return SCHEMA_COMMENT + body


def dump_fields(data: dict[str, Any]) -> str:
    """Some fields as record text, in the given order (no schema comment)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def replace_fields(text: str, updates: dict[str, Any]) -> str:
    """`text` with the top-level fields of `updates` rewritten in place (a new field goes at
    the end; `None` removes one): comments and every other line stay as they are, so that the
    change reads as a small diff."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for name, value in updates.items():
        start = next((i for i, line in enumerate(lines) if re.match(rf"^{re.escape(name)}\s*:", line)), None)
        fragment = [] if value in (None, "", []) else dump_fields({name: value}).splitlines(keepends=True)
        if start is None:
            lines.extend(fragment)
            continue
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "-", "\t")) or not lines[end].strip()):
            end += 1
        lines[start:end] = fragment
    return "".join(lines)
