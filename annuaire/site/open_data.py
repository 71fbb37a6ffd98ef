"""The « Données ouvertes » page: what each open data file holds, its licence, its sources.

The files themselves are written by `exports/` (the standard's CSV and JSON, the GeoJSON);
this page says where the standard's defects made us choose (empty SIRET, label spelling).
"""

from __future__ import annotations

from collections.abc import Mapping, Sized
from dataclasses import dataclass
from datetime import date

import jinja2

from ..data.provenance import source_text
from ..exports import coverage as coverage_data
from ..exports import standard
from ..exports.geodata import GEOJSON
from ..model.coverage import Coverage, coverage
from ..model.directory import Directory
from ..model.places import Place
from ..printing.produce import size_text
from ..settings import Settings
from ..text import french_km, french_number
from .pages import general_report_url, report_mail
from .templating import Page, render_page, too_long_to_list

PAGE = "donnees/index.md"
CSV_FILE = "donnees/lieux-mediation-numerique.csv"
JSON_FILE = "donnees/lieux-mediation-numerique.json"
LA_POSTE_LABEL = "Étapes numériques (La Poste)"


@dataclass(frozen=True)
class SourceSummary:
    """How many open places come from one source, and how old their information is."""

    name: str
    count: int
    oldest: date
    newest: date


def source_summaries(directory: Directory) -> list[SourceSummary]:
    groups: dict[str, list[Place]] = {}
    for place in directory.places:
        groups.setdefault(source_text(place.source), []).append(place)
    return sorted(
        (
            SourceSummary(name, len(places), min(p.date_maj for p in places), max(p.date_maj for p in places))
            for name, places in groups.items()
        ),
        key=lambda s: (-s.count, s.name),
    )


def files(directory: Directory, covered: Coverage | None = None) -> dict[str, str | bytes]:
    """The two files in the national standard, and the coverage of the communes (computed
    here with the default threshold when the build does not pass its own)."""
    if covered is None and directory.territory.has_positions:
        covered = coverage(directory.places, directory.territory)
    newest = max((p.date_maj for p in directory.places + directory.closed), default=None)
    return {
        CSV_FILE: standard.to_csv(directory).encode("utf-8"),
        JSON_FILE: standard.to_json(directory).encode("utf-8"),
        **(coverage_data.files(covered, newest, directory.territory.named.de) if covered and newest else {}),
    }


def page(env: jinja2.Environment, directory: Directory, settings: Settings, data: Mapping[str, Sized]) -> Page:
    """The page that documents the open data files (`files(directory)` and the coverage
    files), with their sizes (the bytes, or the cache's files that hold them)."""
    csv_bytes, json_bytes = data[CSV_FILE], data[JSON_FILE]
    cov_csv, cov_json = data.get(coverage_data.CSV_FILE, b""), data.get(coverage_data.JSON_FILE, b"")
    dates = [p.date_maj for p in directory.places] or [settings.today]
    without_pivot = standard.rows_without_pivot(directory)
    return render_page(
        env, PAGE, "open_data.html", "Données ouvertes", in_nav=True,
        csv_file=CSV_FILE, csv_size=size_text(csv_bytes),
        json_file=JSON_FILE, json_size=size_text(json_bytes),
        coverage_csv=coverage_data.CSV_FILE if cov_csv else None, coverage_csv_size=size_text(cov_csv),
        coverage_json=coverage_data.JSON_FILE, coverage_json_size=size_text(cov_json),
        threshold=french_km(settings.white_zone_km),
        data_oldest=min(dates), data_newest=max(dates),
        geojson_file=GEOJSON,
        count=len(directory.places),
        closed_count=len(directory.closed),
        without_pivot=without_pivot,
        without_pivot_count=french_number(len(without_pivot)),  # « 13 123 », not « 13123 »
        list_without_pivot=not too_long_to_list(without_pivot),  # at 20,000 places, 1.7 MB of links
        with_la_poste_label=[p for p in directory.places if LA_POSTE_LABEL in p.formations_labels],
        la_poste_label=LA_POSTE_LABEL,
        sources=source_summaries(directory),
        standard_version=standard.STANDARD_VERSION,
        standard_url=standard.STANDARD_URL,
        licence_url=standard.LICENCE_URL,
        report_url=general_report_url(settings),
        report_mail=report_mail(None, settings),
        contact_email=settings.contact_email,
        today=settings.today,
    )
