"""The « Données ouvertes » page and the files it offers: the directory in the national standard.

A producer (see `outputs.py`): `donnees/lieux-mediation-numerique.csv` (the standard, exactly),
`donnees/lieux-mediation-numerique.json` (the same places plus our local extensions) and
`donnees/index.md`, which says what each file holds, under which licence, and where the
standard's defects made us choose (empty SIRET, label spelling). The GeoJSON of the map
(`donnees/lieux.geojson`) belongs to `finder.py`: linked here, never regenerated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlencode

from . import exports
from .finder import GEOJSON
from .model import Directory, Place
from .output import Output
from .pages import ISSUE_TEMPLATE, PageRenderer, source_text
from .printing import size_text
from .settings import Settings

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


def report_url(settings: Settings) -> str:
    """The issue form used by « Signaler une erreur » on every place page, not prefilled."""
    query = urlencode({"template": ISSUE_TEMPLATE, "title": "Erreur dans les données : "}, quote_via=quote)
    return f"{settings.repo_url}/issues/new?{query}"


def produce(directory: Directory, settings: Settings) -> Output:
    """The two open data files and the page that documents them."""
    csv_bytes = exports.to_csv(directory).encode("utf-8")
    json_bytes = exports.to_json(directory).encode("utf-8")
    renderer = PageRenderer(directory, settings)
    page = renderer._page(
        PAGE, "open_data.html", "Données ouvertes",
        csv_file=CSV_FILE, csv_size=size_text(csv_bytes),
        json_file=JSON_FILE, json_size=size_text(json_bytes),
        geojson_file=GEOJSON,
        count=len(directory.places),
        closed_count=len(directory.closed),
        without_pivot=exports.rows_without_pivot(directory),
        with_la_poste_label=[p for p in directory.places if LA_POSTE_LABEL in p.formations_labels],
        la_poste_label=LA_POSTE_LABEL,
        sources=source_summaries(directory),
        standard_version=exports.STANDARD_VERSION,
        standard_url=exports.STANDARD_URL,
        licence_url=exports.LICENCE_URL,
        report_url=report_url(settings),
        today=settings.today,
    )
    return Output(files={CSV_FILE: csv_bytes, JSON_FILE: json_bytes, PAGE: page}, in_nav=frozenset({PAGE}))
