"""The shared mapping table: values of the old national schema (v0.1) → the standard v1.0.2.

The conseillers numériques file of 2022 uses the v0.1 labels of the national cartography; the
France services list has no vocabulary at all. These tables say which v1.0.2 value each old
label becomes; a label that is not here is reported by the importer, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..data.territory import Territory
from ..text import search_key

# v0.1 labels of the national cartography (enum `Service` of lieux-de-mediation-numerique)
# → labels of the standard v1.0.2.
SERVICES_V01: dict[str, str] = {
    "Prendre en main un smartphone ou une tablette": "Maîtrise des outils numériques du quotidien",
    "Prendre en main un ordinateur": "Maîtrise des outils numériques du quotidien",
    "Utiliser le numérique au quotidien": "Maîtrise des outils numériques du quotidien",
    "Approfondir ma culture numérique": "Compréhension du monde numérique",
    "Promouvoir la citoyenneté numérique": "Compréhension du monde numérique",
    "Accéder à une connexion internet": "Accès internet et matériel informatique",
    "Accéder à du matériel": "Accès internet et matériel informatique",
    "S’équiper en matériel informatique": "Acquisition de matériel informatique à prix solidaire",
    "Devenir autonome dans les démarches administratives": "Aide aux démarches administratives",
    "Réaliser des démarches administratives avec un accompagnement": "Aide aux démarches administratives",
    "Accompagner les démarches de santé": "Aide aux démarches administratives",
    "Favoriser mon insertion professionnelle": "Insertion professionnelle via le numérique",
    "Créer et développer mon entreprise": "Insertion professionnelle via le numérique",
    "Soutenir la parentalité et l’éducation avec le numérique": "Parentalité et éducation avec le numérique",
    "Créer avec le numérique": "Loisirs et créations numériques",
}
FRAIS_V01: dict[str, str] = {
    "Gratuit": "Gratuit",
    "Gratuit sous condition": "Gratuit sous condition",
    "Payant": "Payant",
}
LABELS_V01: dict[str, str] = {
    "CNFS": "Conseillers numériques",
    "France Services": "France Services",
    "Aidants Connect": "Aidants Connect",
    "Point relais CAF": "Point d'accès numérique CAF",
}

# (code, pattern on `search_key(nom)`), first match wins; two different matches → ambiguous.
TYPOLOGY_RULES: tuple[tuple[str, str], ...] = (
    ("RFS", r"\bfrance services?\b"),
    ("MDS", r"\bmdsp?\b|\bmaison departementale des solidarites\b"),
    ("CCAS", r"\bccas\b|\bcentre communal d action sociale\b"),
    ("CC", r"\bcommunaute de communes\b"),
    ("EPCI", r"\bcommunaute d agglomeration\b"),
    ("ML", r"\bmission locale\b"),
    ("ASSO", r"\bcroix rouge\b|\bassociation\b"),
    ("MUNI", r"\bmairie\b|\bcommune de\b|\bville de\b"),
)


def _apostrophes(text: str) -> str:
    return text.replace("'", "’").strip()


def map_labels(raw: str, table: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Comma-separated old labels → new labels (deduplicated, in order) and the unknown ones."""
    lookup = {_apostrophes(k): v for k, v in table.items()}
    mapped: list[str] = []
    unknown: list[str] = []
    for label in (part.strip() for part in raw.split(",")):
        if not label:
            continue
        new = lookup.get(_apostrophes(label))
        if new is None:
            unknown.append(label)
        elif new not in mapped:
            mapped.append(new)
    return mapped, unknown


def services_v1(raw: str) -> tuple[list[str], list[str]]:
    """v0.1 `services` (comma-separated) → v1.0.2 labels, and the labels we do not know."""
    return map_labels(raw, SERVICES_V01)


def typologie_from_name(name: str, territory: Territory | None = None) -> list[str]:
    """The `typologie` a name makes unambiguous (`MDS de Poitiers` → `[MDS]`), else `[]`."""
    key = search_key(name)
    codes = [code for code, pattern in TYPOLOGY_RULES if re.search(pattern, key)]
    if not codes and territory is not None:
        for epci in territory.epcis:
            bare = search_key(epci.nom.partition(" ")[2])
            if key == bare:
                codes.append("CC" if epci.type == "CC" else "EPCI")
    unique = list(dict.fromkeys(codes))
    return unique if len(unique) == 1 else []
