"""Small text helpers shared by every module: slugs, search keys, French dates and numbers.

They are pure functions so that the importer, the validation and the pages agree on
what a slug or a "same name" is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

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


@lru_cache(maxsize=65536)  # commune names come back for every place of a commune
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


def french_number(value: int) -> str:
    """`12345` → `12 345` (narrow no-break space, as French typography writes thousands)."""
    return f"{value:,}".replace(",", "\u202f")


def french_percent(share: float) -> str:
    """`0.125` → `13 %`; a non-zero share under 1 % is `moins de 1 %`, never `0 %`."""
    if 0 < share < 0.005:
        return "moins de 1\u00a0%"
    return f"{round(share * 100)}\u00a0%"


def french_km(km: float) -> str:
    """`3,4 km`, `10,3 km`, `5 km`, `24 km`: one decimal up to 20 km, so that a distance just
    over a 10 km threshold never reads « 10 km »."""
    if km < 20:
        return f"{km:.1f}".replace(".", ",").removesuffix(",0") + "\u00a0km"
    return f"{round(km)}\u00a0km"


_VOWELS = "aeiouyàâäéèêëîïôöûüœ"


def french_of(name: str) -> str:
    """`de Poitiers`, `d’Adriers`, `du Vigeant`, `des Trois-Moutiers`, `de La Roche-Posay`."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    return ("d’" if name[:1].lower() in _VOWELS else "de ") + name


def french_at(name: str) -> str:
    """`à Poitiers`, `au Vigeant`, `aux Trois-Moutiers`, `à La Roche-Posay`."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name
