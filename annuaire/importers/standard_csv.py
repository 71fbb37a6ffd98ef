"""Read a CSV in the national standard v1.0.2 (national file, a partner's file, our own export)
and turn the rows of the directory's département into place records.

Nothing is invented: values are kept as written (phone, `source`, `date_maj`), lists are split
on `|`, and only the commune's INSEE code may be filled in, when the territory gives exactly
one commune for the name and postcode. Writing files is left to the caller
(`scripts/import_standard_csv.py`), which never overwrites an existing record.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.territory import Commune, Territory
from ..exports.standard import COLUMNS, SEPARATOR
from ..model.places import LIST_FIELDS
from ..text import slugify
from .record_writer import dump_record

DEPARTEMENT = "86"  # the default; the territory given says its own


@dataclass
class ImportResult:
    """What an import did: files written, rows skipped, and why, in French."""

    written: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    skipped: int = 0


def read_rows(text: str) -> list[dict[str, str]]:
    """Rows of a standard CSV as text (a BOM and spaces around values are dropped)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows = []
    for raw in reader:
        rows.append({(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None})
    return rows


def missing_columns(text: str) -> list[str]:
    """Columns of the standard absent from the file's header."""
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    present = {name.strip() for name in header}
    return [column for column in COLUMNS if column not in present]


def in_departement(row: dict[str, str], departement: str = DEPARTEMENT) -> bool:
    """A row of the directory's département: postcode or INSEE code starting with its number."""
    postcode = row.get("code_postal", "")
    insee = row.get("code_insee", "")
    return (len(postcode) == 5 and postcode.startswith(departement)) or (
        len(insee) == 5 and insee.startswith(departement)
    )


def resolve_commune(row: dict[str, str], territory: Territory) -> Commune | None:
    """The commune of a row: its INSEE code, else its name (within its postcode when known)."""
    code = row.get("code_insee", "")
    if code:
        return territory.commune(code)
    postcode = row.get("code_postal", "")
    name = row.get("commune", "")
    named = territory.communes_named(name) if name else territory.communes_with_postcode(postcode)
    if postcode:
        named = [c for c in named if postcode in c.codes_postaux]
    return named[0] if len(named) == 1 else None


def record_from_row(row: dict[str, str], territory: Territory) -> tuple[dict[str, Any], Commune | None]:
    """A record (standard fields only, lists as lists, text as written) and its commune."""
    data: dict[str, Any] = {}
    for column in COLUMNS:
        value = row.get(column, "").strip()
        if not value:
            continue
        if column in LIST_FIELDS:
            data[column] = [part.strip() for part in value.split(SEPARATOR) if part.strip()]
        else:
            data[column] = value
    commune = resolve_commune(row, territory)
    if commune is not None and "code_insee" not in data:
        data["code_insee"] = commune.code_insee
    return data, commune


def _label(row: dict[str, str], number: int) -> str:
    return f"ligne {number} (« {row.get('nom', '') or row.get('id', '')} »)"


def import_rows(rows: list[dict[str, str]], territory: Territory, folder: Path) -> ImportResult:
    """Write one record per Vienne row under `folder/<commune>/<nom>.yml`; never overwrite."""
    result = ImportResult()
    planned: set[Path] = set()
    for index, row in enumerate(rows):
        number = index + 2  # the header is line 1
        if not in_departement(row, territory.departement):
            result.skipped += 1
            place = row.get("commune", "") or "commune inconnue"
            result.messages.append(
                f"{_label(row, number)} : ignorée, hors {territory.named.de} ({place}, {row.get('code_postal', '') or 'sans code postal'})."
            )
            continue
        data, commune = record_from_row(row, territory)
        if commune is None:
            result.skipped += 1
            result.messages.append(
                f"{_label(row, number)} : ignorée, commune « {row.get('commune', '')} » "
                f"({row.get('code_postal', '')}, INSEE {row.get('code_insee', '') or 'absent'}) introuvable {territory.named.dans}."
            )
            continue
        slug = slugify(row.get("nom", "")) or slugify(row.get("id", "")) or "lieu"
        path = folder / commune.slug / f"{slug}.yml"
        if path.exists() and path not in planned:  # a record already there, maybe corrected by hand
            result.skipped += 1
            result.messages.append(f"{_label(row, number)} : non importée, le fichier {path} existe déjà (rien n’est remplacé).")
            continue
        suffix = 2
        while path in planned or path.exists():
            path = folder / commune.slug / f"{slug}-{suffix}.yml"
            suffix += 1
        planned.add(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # "x": fails rather than overwrite
            handle.write(dump_record(data))
        result.written.append(path)
    return result


def import_csv(text: str, territory: Territory, folder: Path) -> ImportResult:
    return import_rows(read_rows(text), territory, folder)
