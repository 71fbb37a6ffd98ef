"""The one local rule of the importer: a structure's type read in its name.

Every other value comes through ANCT's own mapping files (`anct_mapping.py`). The sources
rarely say what kind of structure a place is; when its name leaves no doubt (« MDS de
Poitiers », « Mairie de … »), `typologie` is set and recorded as deduced (`typologie-nom`).
"""

from __future__ import annotations

import re

from ..data.territory import Territory
from ..text import search_key

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
