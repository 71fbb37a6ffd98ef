"""The map page in chromium: nothing leaves 127.0.0.1 before "Afficher la carte"; after it,
every place is on the map (as a marker or inside a cluster), markers open with the keyboard,
and the page passes axe at 360 and 1280 px. Tile requests after the click are answered by a
local stub, so the tests need no network."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Route, expect

from .conftest import ROOT, Browsing, serve
from .test_accessibility import WCAG_TAGS, describe

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "finder" / "places"
TILE_HOST = "tile.openstreetmap.org"
# A 1×1 transparent PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture(scope="module")
def finder_url(site_builder: Callable[[str, Path], Path]) -> Iterator[str]:
    with serve(site_builder("finder", FIXTURE)) as url:
        yield url


def stub_tiles(page: Page) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), fulfil)


def show_map(browsing: Browsing, url: str, width: int = 1280) -> Page:
    """Open the map page, check that nothing left this machine, then press the button and
    forget the (stubbed) tile requests, which are the only foreign ones allowed."""
    page = browsing.new_page(width=width)
    stub_tiles(page)
    page.goto(url + "carte/", wait_until="networkidle")
    assert browsing.foreign_requests == [], "Requête vers un autre site avant « Afficher la carte »"
    page.get_by_role("button", name="Afficher la carte").click()
    expect(page.locator("#carte-etat")).to_contain_text("Carte affichée")
    page.wait_for_load_state("networkidle")
    foreign = browsing.foreign_requests
    assert foreign and all(TILE_HOST in url for url in foreign), foreign
    return page


def forget_tiles(browsing: Browsing) -> None:
    """Close the pages (no late tile request can follow), then drop the stubbed tile
    requests: they are the only foreign requests allowed, and only after the click."""
    for context in browsing.contexts:
        context.close()
    browsing.contexts.clear()
    foreign = browsing.foreign_requests
    assert all(TILE_HOST in url for url in foreign), foreign
    browsing.requests[:] = [u for u in browsing.requests if TILE_HOST not in u]


def places_on_map(page: Page) -> int:
    single = page.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
    clustered = sum(int(t) for t in page.locator(".marker-cluster span").all_inner_texts())
    return single + clustered


def test_no_request_leaves_before_the_button_and_every_place_is_on_the_map(browsing: Browsing, finder_url: str) -> None:
    page = show_map(browsing, finder_url)
    assert places_on_map(page) == 5  # 4 with coordinates, 1 at its commune (« position approximative »)
    forget_tiles(browsing)


def test_a_marker_opens_with_the_keyboard(browsing: Browsing, finder_url: str) -> None:
    page = show_map(browsing, finder_url)
    marker = page.get_by_role("button", name=re.compile("Relais de la Gartempe"))
    if marker.count() == 0:  # clustered at this zoom: open the cluster first
        page.locator(".marker-cluster").first.focus()
        page.keyboard.press("Enter")
        # The map zooms in: at the end of the zoom the clusters are made again, which would
        # close a popup opened meanwhile (a slow machine is still zooming).
        expect(page.locator(".leaflet-zoom-anim")).to_have_count(0)
    marker = page.locator('.leaflet-marker-icon[title="Relais de la Gartempe"]')
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Relais de la Gartempe")
    expect(popup).to_contain_text("Montmorillon")
    link = popup.get_by_role("link", name="Voir la fiche du lieu")
    link.focus()  # with the keyboard too (a click could land while the popup pans into view)
    page.keyboard.press("Enter")
    # The map page is already loaded: waiting for « load » could return before Enter navigates.
    page.wait_for_url("**/lieux/montmorillon/relais-de-la-gartempe/", wait_until="load")
    assert page.url.endswith("lieux/montmorillon/relais-de-la-gartempe/")
    forget_tiles(browsing)


def test_geojson_is_served_for_partners(browsing: Browsing, finder_url: str) -> None:
    page = browsing.new_page()
    response = page.goto(finder_url + "donnees/lieux.geojson")
    assert response is not None and response.ok
    features = response.json()["features"]
    assert len(features) == 5
    approximate = [f["properties"]["nom"] for f in features if f["properties"]["position"] == "approximative"]
    assert approximate == ["Atelier sans horaires"]


def test_map_page_without_javascript_points_to_the_list(browsing: Browsing, finder_url: str) -> None:
    page = browsing.new_page(width=360, javascript=False)
    page.goto(finder_url + "carte/")
    assert not page.get_by_role("button", name="Afficher la carte").is_visible()
    page.get_by_role("link", name="la liste des lieux").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/trouver/")


@pytest.mark.parametrize("width", [360, 1280])
def test_real_map_page_has_no_wcag_violation(browsing: Browsing, real_site_url: str, width: int) -> None:
    page = browsing.new_page(width=width)
    stub_tiles(page)
    page.goto(real_site_url + "carte/", wait_until="networkidle")
    assert browsing.foreign_requests == []
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = axe.run(page, options=options).response["violations"]
    assert not violations, f"axe-core, carte/ à {width} px, avant la carte :\n{describe(violations)}"
    page.get_by_role("button", name="Afficher la carte").click()
    expect(page.locator("#carte-etat")).to_contain_text("Carte affichée")
    violations = axe.run(page, options=options).response["violations"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    forget_tiles(browsing)
    assert not violations, f"axe-core, carte/ à {width} px, carte affichée :\n{describe(violations)}"
    assert scroll_width <= width
