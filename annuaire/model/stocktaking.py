"""The yearly état des lieux (axe 10 of the strategy): this year's figures, and the change
since the last yearly snapshot kept in the repository.

A snapshot (`data/etat-des-lieux/<année>.json`) is written by `scripts/etat_des_lieux.py`,
never by hand: the open places, and per need the white-zone communes and their population,
for the département and per EPCI. The build compares the current data with the newest
snapshot of an earlier year; with none, the report says it is the first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .coverage import Coverage
from .directory import Directory

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class NeedFigures:
    white_communes: tuple[str, ...]  # INSEE codes
    white_population: int
    by_epci: dict[str, tuple[int, int]]  # EPCI SIREN → (places offering the need, people in white zones)


@dataclass(frozen=True)
class Snapshot:
    year: int
    day: date
    threshold_km: float
    places: dict[str, str]  # page path → name (open places)
    needs: dict[str, NeedFigures]  # need slug → figures

    def to_json(self) -> str:
        document = {
            "version": SNAPSHOT_VERSION,
            "annee": self.year,
            "date": self.day.isoformat(),
            "seuil_zone_blanche_km": self.threshold_km,
            "lieux": [{"page": path, "nom": name} for path, name in sorted(self.places.items())],
            "besoins": {
                slug: {
                    "communes_zone_blanche": list(f.white_communes),
                    "habitants_zone_blanche": f.white_population,
                    "par_epci": {
                        siren: {"lieux": places, "habitants_zone_blanche": people}
                        for siren, (places, people) in sorted(f.by_epci.items())
                    },
                }
                for slug, f in self.needs.items()
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        raw: dict[str, Any] = json.loads(text)
        return cls(
            year=int(raw["annee"]),
            day=date.fromisoformat(raw["date"]),
            threshold_km=float(raw["seuil_zone_blanche_km"]),
            places={p["page"]: p["nom"] for p in raw["lieux"]},
            needs={
                slug: NeedFigures(
                    tuple(f["communes_zone_blanche"]), int(f["habitants_zone_blanche"]),
                    {siren: (int(e["lieux"]), int(e["habitants_zone_blanche"])) for siren, e in f["par_epci"].items()},
                )
                for slug, f in raw["besoins"].items()
            },
        )


def take_snapshot(directory: Directory, coverage: Coverage, day: date) -> Snapshot:
    """This year's figures, as the script writes them and the report compares them."""
    needs = {}
    for need in coverage.needs:
        by_epci = {
            row.epci.code: (row.places, row.population) for row in coverage.by_epci(need, directory.places)
        }
        white = coverage.white_zones(need)
        needs[need.slug] = NeedFigures(
            tuple(sorted(c.commune.code_insee for c in white)), sum(c.commune.population for c in white), by_epci
        )
    return Snapshot(day.year, day, coverage.threshold_km, {p.url_path: p.nom for p in directory.places}, needs)


def snapshot_file(folder: Path, year: int) -> Path:
    return folder / f"{year}.json"


def previous_snapshot(folder: Path, year: int) -> Snapshot | None:
    """The newest snapshot of a year before `year`, if any (a broken file is an error: it is
    written by a script and reviewed, so it must be read)."""
    if not folder.is_dir():
        return None
    years = sorted(int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit() and int(p.stem) < year)
    if not years:
        return None
    return Snapshot.from_json(snapshot_file(folder, years[-1]).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Changes:
    """What changed since the previous snapshot."""

    previous: Snapshot
    added: list[tuple[str, str]]  # (page path, name) of places open now and not then
    removed: list[tuple[str, str]]  # open then, not now (closed or gone)
    white_population: dict[str, tuple[int, int]]  # need slug → (then, now)
    white_communes: dict[str, tuple[int, int]]  # need slug → (then, now)
    epci_white_population: dict[tuple[str, str], int]  # (need slug, EPCI SIREN) → people then


def changes(current: Snapshot, previous: Snapshot | None) -> Changes | None:
    if previous is None:
        return None
    added = sorted((p, n) for p, n in current.places.items() if p not in previous.places)
    removed = sorted((p, n) for p, n in previous.places.items() if p not in current.places)
    population = {}
    communes = {}
    by_epci = {}
    for slug, now in current.needs.items():
        then = previous.needs.get(slug)
        if then is not None:
            population[slug] = (then.white_population, now.white_population)
            communes[slug] = (len(then.white_communes), len(now.white_communes))
            for siren, (_places, people) in then.by_epci.items():
                by_epci[(slug, siren)] = people
    return Changes(previous, added, removed, population, communes, by_epci)
