"""The coverage pages (`couverture/`): where nobody can get help, commune by commune.

One pre-built map per need (`couverture/` for online procedures, `couverture/<besoin>/` for
the others), each with its legend, its white-zone communes and a summary per EPCI; the same
facts as a table in `couverture/communes/`, sorted in several orders by plain links (no
JavaScript). Commune and EPCI pages get their sentence and their part of the map from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import jinja2

from .. import urls
from ..data.outlines import Ring
from ..data.territory import Commune, Departement, Epci
from ..data.vocabulary import Need
from ..model.coverage import CommuneCoverage, Coverage, EpciNeed, Reach
from ..model.places import Place
from ..text import french_at, search_key
from ..text import french_km as km_text
from . import maps
from .templating import Page, render_page, render_page_of

ROOT = "couverture/"
TABLE = f"{ROOT}communes/"
REPORT_PDF = f"{ROOT}etat-des-lieux.pdf"
NEIGHBOURS_KM = 8.0  # a commune page's map: the commune and what lies within this distance
# The orders of the table: (slug, what the link says); `None` is the alphabetical table.
ORDERS: tuple[tuple[str | None, str], ...] = (
    (None, "par commune"),
    ("par-population", "par population"),
)


def need_path(coverage: Coverage, need: Need) -> str:
    """`couverture/` for the first need, `couverture/<slug>/` for the others."""
    return ROOT if coverage.index(need) == 0 else f"{ROOT}{need.slug}/"


def table_path(order: str | None) -> str:
    return TABLE if order is None else f"{TABLE}{order}/"


def sentence(commune: Commune, need: Need, reach: Reach, coverage: Coverage, dans: str = "dans le département") -> str:
    """« À Adriers, le lieu le plus proche pour les démarches en ligne est à L’Isle-Jourdain, à 11 km. »"""
    place = reach.place
    if place is None:
        return f"Pour {need.purpose}, aucun lieu n’est encore recensé {dans}."
    if reach.via_stop is not None and reach.in_commune:
        return f"{_at(commune)}, {place.nom} passe dans la commune pour {need.purpose}."
    if reach.in_commune:
        return f"{_at(commune)}, un lieu pour {need.purpose} est dans la commune : {place.nom}."
    assert reach.km is not None
    where = reach.via_stop.nom if reach.via_stop is not None else place.commune_ref.nom
    text = f"{_at(commune)}, le lieu le plus proche pour {need.purpose} est {french_at(where)}, à {km_text(reach.km)}"
    if coverage.is_white(reach):
        text += f" : c’est une zone blanche (plus de {km_text(coverage.threshold_km)})"
    return text + "."


def _at(commune: Commune) -> str:
    """`À Adriers`, `Au Vigeant`: a sentence's start."""
    words = french_at(commune.nom)
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class NeedSummary:
    """One need seen from the whole département."""

    need: Need
    path: str
    white: int  # communes
    population: int  # people in them
    places: int  # open places offering it


class CoveragePages:
    """Renders the coverage pages and the coverage parts of commune and EPCI pages."""

    def __init__(
        self, env: jinja2.Environment, coverage: Coverage, outlines: dict[str, tuple[Ring, ...]],
        places: Sequence[Place], report_pdf: str | None = None, named: Departement | None = None,
        outlines_digest: str = "",
    ) -> None:
        self.env = env
        self.coverage = coverage
        self.outlines = outlines
        self.outlines_digest = outlines_digest  # in each map of a page's context (`maps.MapContent`)
        self.places = places
        self.report_pdf = report_pdf
        self.boxes = maps.Boxes(outlines)
        self.named = named or Departement("")

    # --- Parts of other pages ------------------------------------------------------------

    def commune_part(self, commune: Commune, base: str) -> dict[str, object]:
        """The sentences and the map of a commune page (context for `parts/coverage.html`)."""
        entry = self.coverage.of(commune)
        first = self.coverage.needs[0]
        codes = self.boxes.neighbours(commune.code_insee, NEIGHBOURS_KM)
        shown_map = self._map(first, codes, base, title=f"{commune.nom} et ses voisines : distance au lieu le plus "
                        f"proche pour {first.purpose}", prefix="carte-commune", current=commune.code_insee)
        return {
            "sentences": [
                (need, sentence(commune, need, reach, self.coverage, self.named.dans), self.coverage.is_white(reach))
                for need, reach in zip(self.coverage.needs, entry.reaches)
            ],
            "map": shown_map,
            "legend": self._legend_items("carte-commune"),
            "coverage_href": ROOT,
            "threshold": km_text(self.coverage.threshold_km),
        }

    def epci_part(self, epci: Epci, base: str) -> dict[str, object]:
        """Per need, the EPCI's white zones and their population, and its map."""
        first = self.coverage.needs[0]
        codes = list(epci.membres)
        shown_map = self._map(first, codes, base, title=f"{epci.nom_long} : distance au lieu le plus proche pour "
                        f"{first.purpose}", prefix="carte-epci")
        mine = [self._by_epci[i][epci.code] for i in range(len(self.coverage.needs))]
        return {
            "rows": mine,
            "map": shown_map,
            "legend": self._legend_items("carte-epci"),
            "coverage_href": ROOT,
            "threshold": km_text(self.coverage.threshold_km),
        }

    @cached_property
    def _by_epci(self) -> list[dict[str, EpciNeed]]:
        """Per need (in the coverage's order), each EPCI's row by its code, in the territory's
        order: computed once for the coverage pages and every EPCI page."""
        return [{row.epci.code: row for row in self.coverage.by_epci(need, self.places)} for need in self.coverage.needs]

    # --- Pages ---------------------------------------------------------------------------

    def need_page(self, need: Need) -> Page:
        path = need_path(self.coverage, need)
        source = "couverture/index.md" if path == ROOT else urls.leaf_source(path)
        return render_page_of(
            self.env, source, "coverage.html", f"Zones blanches : {need.short.lower()}", _need_context, (self, need),
            in_nav=path == ROOT,
            searchable=path == ROOT,  # « zones blanches » finds the first need's page, not the others alike
        )

    def _need_context(self, need: Need) -> dict[str, Any]:
        base = urls.relative_base(need_path(self.coverage, need))
        white = self.coverage.white_zones(need)
        shown_map = self._map(need, [c.commune.code_insee for c in self.coverage.communes], base,
                        title=f"Carte des communes {self.named.de} : distance au lieu le plus proche pour {need.purpose}",
                        prefix="carte")
        counts = [0, 0, 0, 0]
        people = [0, 0, 0, 0]
        for entry in self.coverage.communes:
            t = self.coverage.tone(entry.reaches[self.coverage.index(need)])
            counts[t] += 1
            people[t] += entry.commune.population
        return dict(
            need=need,
            needs=self.summaries(),
            map=shown_map,
            legend=list(zip(self._legend_items("carte"), counts, people)),
            white=white,
            white_population=self.coverage.white_population(need),
            index=self.coverage.index(need),
            by_epci=list(self._by_epci[self.coverage.index(need)].values()),
            threshold=km_text(self.coverage.threshold_km),
            total_population=self.coverage.population,
            table_href=TABLE,
            report_pdf=self.report_pdf,
            km_text=km_text,
        )

    def table_page(self, order: str | None) -> Page:
        path = table_path(order)
        source = f"{TABLE}index.md" if order is None else urls.leaf_source(path)
        return render_page_of(self.env, source, "coverage_table.html", "Couverture, commune par commune",
                              _table_context, (self, order), searchable=False)

    def _table_context(self, order: str | None) -> dict[str, Any]:
        entries = list(self.coverage.communes)
        if order == "par-population":
            entries.sort(key=lambda c: (-c.commune.population, search_key(c.commune.nom)))
        for need in self.coverage.needs:
            if order == f"par-distance-{need.slug}":
                index = self.coverage.index(need)

                def furthest_first(entry: CommuneCoverage, i: int = index) -> tuple[float, str]:
                    return -_km_or_far(entry.reaches[i]), search_key(entry.commune.nom)

                entries.sort(key=furthest_first)
        return dict(
            coverage=self.coverage,
            entries=entries,
            orders=[(slug, words, table_path(slug), slug == order) for slug, words in self.orders()],
            threshold=km_text(self.coverage.threshold_km),
            km_text=km_text,
            white=self.coverage.is_white,
        )

    def orders(self) -> list[tuple[str | None, str]]:
        """Alphabetical, by population, then by distance for each need (furthest first)."""
        by_need = [(f"par-distance-{n.slug}", f"par distance : {n.short.lower()}") for n in self.coverage.needs]
        return [*ORDERS, *by_need]

    def all(self) -> list[Page]:
        pages = [self.need_page(need) for need in self.coverage.needs]
        pages += [self.table_page(order) for order, _ in self.orders()]
        return pages

    def summaries(self) -> list[NeedSummary]:
        return [
            NeedSummary(
                need, need_path(self.coverage, need), len(self.coverage.white_zones(need)),
                self.coverage.white_population(need),
                sum(1 for p in self.places if need.service in p.services),
            )
            for need in self.coverage.needs
        ]

    # --- Helpers -------------------------------------------------------------------------

    def _legend_items(self, prefix: str) -> list[tuple[str, str]]:
        return [(maps.swatch(i, f"{prefix}-legende"), words) for i, words in enumerate(self.coverage.tone_labels())]

    def _map(self, need: Need, codes: Sequence[str], base: str, *, title: str, prefix: str,
             current: str | None = None) -> maps.MapContent | None:
        """The map, drawn by the template (`carte`, `maps.draw_content`) only when the page is
        rendered: a page whose map did not change is taken from the memo without drawing it."""
        index = self.coverage.index(need)
        areas = []
        for code in codes:
            commune_entry: CommuneCoverage | None = self.coverage.by_code(code)
            if commune_entry is None:
                continue
            commune = commune_entry.commune
            reach = commune_entry.reaches[index]
            areas.append(maps.Area(
                code=code,
                label=_area_label(commune, reach, self.coverage),
                tone=self.coverage.tone(reach),
                href=f"{base}{urls.commune_path(commune.slug)}" if code != current else None,
                current=code == current,
            ))
        return maps.content(self.outlines, areas, title=title, prefix=prefix, digest=self.outlines_digest)


def _need_context(pages: CoveragePages, need: Need) -> dict[str, Any]:
    """A need page's context, made only for a page not kept (`render_page_of`): `pages` is
    known by the digest of everything it shows (`Digests.known_as`, in `build.py`)."""
    return pages._need_context(need)


def _table_context(pages: CoveragePages, order: str | None) -> dict[str, Any]:
    return pages._table_context(order)


def _km_or_far(reach: Reach) -> float:
    """A distance to sort by; no place at all is the furthest of all."""
    return reach.km if reach.km is not None else float("inf")


def _area_label(commune: Commune, reach: Reach, coverage: Coverage) -> str:
    if reach.place is None:
        return f"{commune.nom} : aucun lieu"
    if reach.in_commune:
        return f"{commune.nom} : un lieu dans la commune"
    assert reach.km is not None
    where = reach.via_stop.nom if reach.via_stop is not None else reach.place.commune_ref.nom
    white = " (zone blanche)" if coverage.is_white(reach) else ""
    return f"{commune.nom} : lieu le plus proche à {km_text(reach.km)}, à {where}{white}"


def coverage_missing(env: jinja2.Environment) -> Page:
    """`couverture/` when the communes have no positions: say so, never claim a white zone."""
    return render_page(env, f"{ROOT}index.md", "coverage_missing.html", "Zones blanches", in_nav=True)
