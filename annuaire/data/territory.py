"""The territory of the Vienne: its communes (INSEE code, postcodes, population) and EPCI.

Loaded from `data/territoire_86.json`, a subset of the npm package
`@etalab/decoupage-administratif` refreshed by `scripts/refresh_territory.py`; positions from
`data/communes_86_positions.json` (`scripts/import_commune_outlines.py`: a point inside each
commune's IGN outline), the one source of commune positions for every distance the site shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..text import search_key, slugify

POSITIONS_NAME = "communes_{departement}_positions.json"  # beside the territory file


def load_positions(path: Path) -> dict[str, tuple[float, float]]:
    """INSEE code → (latitude, longitude) of a point inside the commune (derived from IGN's
    outlines, never typed)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {c["code"]: (float(c["lat"]), float(c["lon"])) for c in data["communes"]}


@dataclass(frozen=True)
class Commune:
    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    population: int
    epci_code: str
    anciens_codes: tuple[str, ...] = ()  # communes merged into it (commune nouvelle)

    @cached_property
    def slug(self) -> str:
        """Computed once: every place's URL and every list of a build asks for it."""
        return slugify(self.nom)


@dataclass(frozen=True)
class Epci:
    code: str  # SIREN
    nom: str
    type: str  # CA, CC, CU, ME
    population: int
    membres: tuple[str, ...]  # INSEE codes

    @property
    def slug(self) -> str:
        return slugify(self.nom)

    @property
    def nom_long(self) -> str:
        """`CC du Haut Poitou` → `Communauté de communes du Haut Poitou` (plain French for residents)."""
        kinds = {
            "CC": "Communauté de communes",
            "CA": "Communauté d’agglomération",
            "CU": "Communauté urbaine",
            "ME": "Métropole",
        }
        prefix, _, rest = self.nom.partition(" ")
        return f"{kinds[prefix]} {rest}" if prefix in kinds and rest else self.nom


@dataclass(frozen=True)
class Departement:
    """The département a directory serves, and how French names it in a sentence.

    `liaison` is INSEE's « type de nom en clair »: 0 no article (consonant), 1 no article
    (vowel), 2 « le », 3 « la », 4 « les », 5 « l’ »."""

    code: str
    nom: str = ""
    liaison: int = 0

    @property
    def le(self) -> str:
        """`la Vienne`, `les Deux-Sèvres`, `le Cher`, `l’Ain`, `Paris`."""
        if not self.nom:
            return f"le département {self.code}".strip()
        return {2: "le ", 3: "la ", 4: "les ", 5: "l’"}.get(self.liaison, "") + self.nom

    @property
    def dans(self) -> str:
        """`dans la Vienne`, `dans les Deux-Sèvres`, `à Paris`."""
        return f"à {self.nom}" if self.nom and self.liaison in (0, 1) else f"dans {self.le}"

    @property
    def tout(self) -> str:
        """`toute la Vienne`, `toutes les Deux-Sèvres`, `tout le Cher`, `tout Paris`."""
        if not self.nom:
            return f"tout le département {self.code}".strip()
        return {3: "toute ", 4: "toutes "}.get(self.liaison, "tout ") + self.le

    @property
    def de(self) -> str:
        """`de la Vienne`, `des Deux-Sèvres`, `du Cher`, `de l’Ain`, `d’Essonne`, `de Paris`."""
        if not self.nom:
            return f"du département {self.code}".strip()
        return {1: "d’", 2: "du ", 3: "de la ", 4: "des ", 5: "de l’"}.get(self.liaison, "de ") + self.nom


class Territory:
    """Look-ups over the communes and EPCI of the département."""

    def __init__(
        self,
        communes: list[Commune],
        epcis: list[Epci],
        source: str = "",
        positions: dict[str, tuple[float, float]] | None = None,
        named: Departement | None = None,
    ) -> None:
        self.communes = sorted(communes, key=lambda c: search_key(c.nom))
        self.epcis = sorted(epcis, key=lambda e: search_key(e.nom))
        self.source = source
        self._positions = dict(positions or {})
        self._named = named
        self._by_code = {c.code_insee: c for c in communes}
        self._epci_by_code = {e.code: e for e in epcis}

    @classmethod
    def load(cls, path: Path, positions_path: Path | None = None) -> Territory:
        """The territory file, and commune positions (by default the file beside it)."""
        departement = path.stem.rsplit("_", 1)[-1]
        positions_path = positions_path or path.parent / POSITIONS_NAME.format(departement=departement)
        raw = json.loads(path.read_text(encoding="utf-8"))
        communes = [
            Commune(
                code_insee=c["code"],
                nom=c["nom"],
                codes_postaux=tuple(c.get("codesPostaux", ())),
                population=int(c.get("population") or 0),
                epci_code=c.get("epci", ""),
                anciens_codes=tuple(c.get("anciensCodes", ())),
            )
            for c in raw["communes"]
        ]
        epcis = [
            Epci(
                code=e["code"],
                nom=e["nom"],
                type=e.get("type", ""),
                population=int(e.get("populationTotale") or 0),
                membres=tuple(e.get("membres", ())),
            )
            for e in raw["epci"]
        ]
        positions = load_positions(positions_path) if positions_path.is_file() else {}
        info = raw.get("departement") or {}
        named = Departement(str(info["code"]), info.get("nom", ""), int(info.get("typeLiaison", 0))) if info else None
        return cls(communes, epcis, raw.get("source", ""), positions, named)

    @cached_property
    def departement(self) -> str:
        """`86`: the code every commune of the territory starts with (`974` overseas)."""
        codes = {c.code_insee[:3] if c.code_insee.startswith("97") else c.code_insee[:2] for c in self.communes}
        return codes.pop() if len(codes) == 1 else ""

    @cached_property
    def named(self) -> Departement:
        """The département and its name (`la Vienne`); from the codes alone when the file has no name."""
        return self._named or Departement(self.departement)

    @property
    def has_positions(self) -> bool:
        """Whether every commune has a position: distances, coverage and the finder's sorting need them."""
        return bool(self._positions) and all(c.code_insee in self._positions for c in self.communes)

    def bounds(self, margin: float = 0.05) -> tuple[float, float, float, float] | None:
        """(south, north, west, east) of the communes' positions, with a margin; None without positions."""
        if self._extent is None:
            return None
        south, north, west, east = self._extent
        return south - margin, north + margin, west - margin, east + margin

    @cached_property
    def _extent(self) -> tuple[float, float, float, float] | None:
        """Worked out once: every record's coordinates are checked against it (20,000 records in
        a territory of 35,000 communes took 34 s when each looked at every commune)."""
        if not self._positions:
            return None
        lats = [lat for lat, _lon in self._positions.values()]
        lons = [lon for _lat, lon in self._positions.values()]
        return min(lats), max(lats), min(lons), max(lons)

    def in_departement(self, code: str) -> bool:
        """Whether a postcode or INSEE code belongs to the territory's département."""
        return bool(self.departement) and code.strip().startswith(self.departement)

    def commune(self, code_insee: str) -> Commune | None:
        return self._by_code.get(code_insee)

    def position(self, code_insee: str) -> tuple[float, float] | None:
        """(latitude, longitude) of a point inside the commune, None if unknown."""
        return self._positions.get(code_insee)

    def epci(self, code: str) -> Epci | None:
        return self._epci_by_code.get(code)

    def epci_of(self, commune: Commune) -> Epci | None:
        return self._epci_by_code.get(commune.epci_code)

    @cached_property
    def _by_name(self) -> dict[str, list[Commune]]:
        index: dict[str, list[Commune]] = {}
        for commune in self.communes:
            index.setdefault(search_key(commune.nom), []).append(commune)
        return index

    @cached_property
    def _by_postcode(self) -> dict[str, list[Commune]]:
        index: dict[str, list[Commune]] = {}
        for commune in self.communes:
            for postcode in commune.codes_postaux:
                index.setdefault(postcode, []).append(commune)
        return index

    def communes_named(self, name: str) -> list[Commune]:
        """Communes whose name matches loosely (`CHATELLERAULT`, `St Benoît`)."""
        return list(self._by_name.get(search_key(name), []))

    def communes_with_postcode(self, postcode: str) -> list[Commune]:
        return list(self._by_postcode.get(postcode, []))

    def communes_of(self, epci: Epci) -> list[Commune]:
        return sorted(
            (self._by_code[code] for code in epci.membres if code in self._by_code),
            key=lambda c: search_key(c.nom),
        )

    def closest_name(self, name: str) -> str | None:
        """The commune name closest to a misspelt one, to suggest it in a message."""
        import difflib

        keys = list(self._by_name)
        match = difflib.get_close_matches(search_key(name), keys, n=1, cutoff=0.75)
        return self._by_name[match[0]][0].nom if match else None
