"""The reference data every build reads once: territory, contracts, typologies, school holidays.

Loaded in one call at the start of `model.load_directory`, then passed down: no module reads
a reference file on its own or keeps it in a module-level cache.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..settings import Settings
from .calendar import SCHOOL_HOLIDAYS_NAME, SchoolHoliday, load_school_holidays
from .territory import Territory
from .vocabulary import TYPOLOGIES_NAME, load_typologies

PLACE_SCHEMA_NAME = "lieu.schema.json"
WORKSHOP_SCHEMA_NAME = "atelier.schema.json"


@dataclass(frozen=True)
class Reference:
    territory: Territory
    place_schema: dict[str, Any]  # `schemas/lieu.schema.json`: the contract of a place record
    workshop_schema: dict[str, Any]  # `schemas/atelier.schema.json`
    typologies: dict[str, str]  # `BIB` → `Bibliothèque - Médiathèque`
    school_holidays: tuple[SchoolHoliday, ...]


def read_json(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def load_reference(settings: Settings) -> Reference:
    return Reference(
        territory=Territory.load(settings.territory_file),
        place_schema=read_json(settings.schemas_dir / PLACE_SCHEMA_NAME),
        workshop_schema=read_json(settings.schemas_dir / WORKSHOP_SCHEMA_NAME),
        typologies=load_typologies(settings.data_dir / TYPOLOGIES_NAME),
        school_holidays=load_school_holidays(settings.data_dir / SCHOOL_HOLIDAYS_NAME),
    )
