"""The finder's and the map's data files, rendered without MkDocs: what the scripts and partners
read (GeoJSON, communes, per-place facts) and what a reader gets without JavaScript."""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from support import ROOT as REPOSITORY
from support import TERRITORY_FILE, fixture_directory, fixture_settings, fixture_site, page_text

from annuaire.build import Site
from annuaire.data.territory import Territory, load_positions
from annuaire.model.directory import Directory
from annuaire.site import finder, templating
from annuaire.site.templating import environment
from annuaire.urls import leaf_source
from annuaire.views import place_view, prepare

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "finder"
PUBLIC = "https://exemple.github.io/annuaire/"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return fixture_directory(FIXTURE)


@pytest.fixture(scope="module")
def output(directory: Directory) -> Site:
    return fixture_site(directory, fixture_settings(FIXTURE, public_url=PUBLIC))


def named(directory: Directory, name: str):
    return next(p for p in directory.places if p.nom == name)


def facts(directory: Directory, name: str) -> dict:
    return finder.place_facts(place_view(named(directory, name), fixture_settings(FIXTURE, public_url=PUBLIC)))


def test_pages_are_in_the_navigation_and_generated(output: Site) -> None:
    assert output.pages["trouver/index.md"].in_nav and output.pages["carte/index.md"].in_nav


def test_leaflet_and_scripts_are_copied_into_the_site(output: Site) -> None:
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
    for path, content in {**{k: page.html for k, page in output.pages.items()}, **output.files}.items():
        if path.endswith((".md", ".js")) and "leaflet" not in path and "markercluster" not in path:
            text = content if isinstance(content, str) else content.decode("utf-8")
            assert "unpkg.com" not in text and "cdn" not in text.lower(), path


def test_the_map_asks_for_its_data_by_the_datas_own_version(output: Site) -> None:
    """A phone keeps the map's data for offline use: the map page asks for it with a version
    made from its bytes, so after a correction it asks for the new markers, not the kept ones."""
    geojson = output.files["donnees/lieux.geojson"]
    data = geojson.encode("utf-8") if isinstance(geojson, str) else bytes(geojson)
    version = hashlib.sha256(data).hexdigest()[:12]
    assert f'data-geojson="../donnees/lieux.geojson?v={version}"' in page_text(output, "carte/index.md")


def test_geojson_has_every_located_place_with_its_public_address(directory: Directory, output: Site) -> None:
    data = json.loads(output.files["donnees/lieux.geojson"])
    assert data["type"] == "FeatureCollection"
    located = [p for p in directory.places if p.latitude is not None]
    assert len(located) == 4 and len(data["features"]) == 5
    by_name = {f["properties"]["nom"]: f for f in data["features"]}
    # No coordinates: at its commune's point, never as a precise pin.
    lusignan = directory.territory.communes_named("Lusignan")[0]
    lat, lon = directory.territory.position(lusignan.code_insee)  # type: ignore[misc]
    assert by_name["Atelier sans horaires"]["properties"]["position"] == "approximative"
    assert by_name["Atelier sans horaires"]["geometry"]["coordinates"] == [lon, lat]
    assert by_name["Point du samedi"]["properties"]["position"] == "exacte"
    feature = by_name["Point du samedi"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [0.5461, 46.8178]}  # longitude first
    assert feature["properties"]["commune"] == "Châtellerault"
    assert feature["properties"]["url"] == PUBLIC + "lieux/chatellerault/point-du-samedi/"
    assert feature["properties"]["chemin"] == "lieux/chatellerault/point-du-samedi/"


def test_communes_file_covers_the_265_communes_with_search_keys(output: Site) -> None:
    communes = json.loads(output.files["donnees/communes.json"])
    assert len(communes) == 265
    by_name = {c["nom"]: c for c in communes}
    assert by_name["Châtellerault"]["cle"] == "chatellerault"
    assert by_name["Châtellerault"]["cp"] == ["86100"]
    assert by_name["Saint-Georges-lès-Baillargeaux"]["cle"] == "saint georges les baillargeaux"
    assert all(c["epci"] for c in communes)
    assert all(c["lat"] is not None and c["lon"] is not None for c in communes)
    # Each names its page: where the finder of a large directory sends the reader.
    assert by_name["Châtellerault"]["slug"] == "chatellerault"
    assert all(leaf_source(f"communes/{c['slug']}/") in output.pages for c in communes)


def test_commune_positions_come_from_the_imported_file_and_fit_the_places() -> None:
    """Every commune has a position inside its own IGN outline, and every real place lies near
    the point of its own commune (a wrong or shifted import would break this)."""
    from shapely.geometry import Point, shape

    raw = json.loads((ROOT / "data" / "communes_86_positions.json").read_text(encoding="utf-8"))
    assert "IGN" in raw["source"]
    outlines = json.loads((ROOT / "data" / "communes_86_contours.geojson").read_text(encoding="utf-8"))
    areas = {f["properties"]["code"]: shape(f["geometry"]) for f in outlines["features"]}
    positions = load_positions(REPOSITORY / "data" / "communes_86_positions.json")
    territory = Territory.load(TERRITORY_FILE)
    assert set(positions) == {c.code_insee for c in territory.communes}
    for code, (lat, lon) in positions.items():
        assert areas[code].buffer(0.002).contains(Point(lon, lat)), f"le point de {code} est hors de sa commune"
    real = fixture_directory(ROOT, today=date(2026, 12, 1))
    for place in real.places:
        if place.latitude is None or place.longitude is None:
            continue
        lat, lon = positions[place.commune_ref.code_insee]
        km = 6371 * math.dist(
            (math.radians(lat), math.radians(lon) * math.cos(math.radians(lat))),
            (math.radians(place.latitude), math.radians(place.longitude) * math.cos(math.radians(lat))),
        )
        assert km < 12, f"{place.nom} est à {km:.1f} km du centre de {place.commune_ref.nom}"


def test_place_facts_say_what_the_filters_need(directory: Directory) -> None:
    saturday = facts(directory, "Point du samedi")
    assert saturday["samedi"] and saturday["gratuit"] and saturday["sur_rdv"] and not saturday["sans_rdv"]
    assert saturday["services"] == ["aide-aux-demarches-administratives"]
    weekday = facts(directory, "Espace des Horloges")
    assert not weekday["samedi"] and weekday["sans_rdv"] and weekday["publics"] == ["seniors"]
    assert weekday["horaires"]["semaine"][0] == [0, 540, 720]  # Monday 9 h – 12 h, from opening-hours-py
    assert weekday["horaires"]["ferie"] == []  # closed on public holidays: the record says nothing
    unknown = facts(directory, "Atelier sans horaires")
    assert unknown["horaires"] == [] and not unknown["samedi"] and not unknown["gratuit"]


def test_finder_page_lists_every_place_with_a_link_without_javascript(
    directory: Directory, output: Site
) -> None:
    page = output.pages["trouver/index.md"].html
    assert isinstance(page, str)
    for place in directory.places:
        assert f'href="../{place.url_path}"' in page, place.nom
    # The filters are shown by the script only; the page says where else to look.
    assert re.search(r'<form[^>]*id="trouver-filtres"[^>]*hidden', page)
    assert "par besoin" in page and "par commune" in page
    assert 'aria-live="polite"' in page
    for label in ("Ouvert maintenant", "Ouvert le samedi", "Sans rendez-vous", "Gratuit", "Intercommunalité"):
        assert label in page


def test_a_directory_too_large_to_list_searches_the_commune_instead(
    directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above `templating.LIST_MAX` places the finder lists none (at 20,000 places the page weighed 24.5 MB):
    it finds the reader's commune and opens its page, which shows the nearest places; without
    JavaScript it says which pages give the same answers."""
    settings = fixture_settings(FIXTURE, public_url=PUBLIC)
    env = environment(None)
    env.globals["dep"] = directory.territory.named
    views = prepare(directory, settings)
    listed = finder.pages(env, directory, views)[0].html
    monkeypatch.setattr(templating, "LIST_MAX", len(directory.places) - 1)
    searched = finder.pages(env, directory, views)[0].html
    assert 'id="trouver-liste"' in listed and 'id="trouver-liste"' not in searched
    assert all(place.url_path in listed and place.url_path not in searched for place in directory.places)
    assert f"L’annuaire compte {len(directory.places)} lieux&nbsp;: trop" in searched
    form = re.search(r'<form[^>]*id="trouver-filtres"[^>]*>', searched)
    assert form is not None and " hidden" in form.group(0)  # shown by the script
    assert 'data-annuaire-communes="../communes/"' in form.group(0)
    assert "Plus de choix" not in searched  # those filters need the list
    for link in ('href="../territoires/#communes"', 'href="../services/"', 'href="../territoires/"'):
        assert link in searched
    assert "statut.js" not in searched  # no status to show


def test_place_page_has_live_status_and_share_links(directory: Directory, output: Site) -> None:
    place = named(directory, "Point du samedi")
    page = output.pages[leaf_source(place.url_path)].html
    status = re.search(r"<p class=\"annuaire-statut\"[^>]* data-annuaire-horaires='([^']+)' hidden>", page)
    assert status and json.loads(html.unescape(status.group(1)))["semaine"][0] == [1, 540, 720]
    sms = re.search(r'href="(sms:\?&amp;body=[^"]+)"', page)
    assert sms
    body = unquote(html.unescape(sms.group(1)).split("body=", 1)[1])
    assert body.splitlines() == [
        "Point du samedi",
        "2 place du Marché, 86100 Châtellerault",
        "Tél. 05 49 00 00 22",
        "Horaires : mar.-sam. 9h-12h",
        PUBLIC + "lieux/chatellerault/point-du-samedi/",
    ]
    assert f'value="{PUBLIC}lieux/chatellerault/point-du-samedi/"' in page  # selectable without JS
    # Without hours: no status element at all.
    assert "annuaire-statut" not in output.pages[leaf_source(named(directory, "Atelier sans horaires").url_path)].html
