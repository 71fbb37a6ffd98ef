"""Small text helpers shared by every module: slugs, search keys, French dates and numbers.

They are pure functions so that the importer, the validation and the pages agree on
what a slug or a "same name" is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
WEEKDAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")


def strip_accents(text: str) -> str:
    """`Châtellerault` → `Chatellerault` (œ → oe, æ → ae as well)."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str) -> str:
    """A URL segment: lower case ASCII words joined by hyphens (`L'Isle-Jourdain` → `l-isle-jourdain`)."""
    ascii_text = strip_accents(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def search_key(text: str) -> str:
    """A key to compare names loosely: no accents, no case, `st`/`ste` → `saint`/`sainte`,
    punctuation folded to spaces (`ST GEORGES-LES-BX` ≈ `Saint-Georges-lès-Baillargeaux`)."""
    words = re.sub(r"[^a-z0-9]+", " ", strip_accents(text).lower()).split()
    expanded = {"st": "saint", "ste": "sainte"}
    return " ".join(expanded.get(word, word) for word in words)


def french_date(value: date) -> str:
    """`2024-08-01` → `1er août 2024`, as written in French prose."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_time(hour: int, minute: int) -> str:
    """`9, 0` → `9 h`; `13, 30` → `13 h 30` (the typographic French form)."""
    return f"{hour} h" if minute == 0 else f"{hour} h {minute:02d}"
