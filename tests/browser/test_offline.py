"""Offline after a first visit: the place page a resident opened reopens on the bus without
signal, the « Hors connexion » page lists it, and nothing from another site is stored."""

from __future__ import annotations

import pytest

from .conftest import Browsing

pytestmark = pytest.mark.browser
PLACE = "lieux/vouille/france-services-la-poste/"


def _first_visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open `url`, wait until the service worker is active, then reload under it (a reload
    started while the worker installs stays uncontrolled, as in any browser)."""
    page.goto(url, wait_until="load")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload(wait_until="load")


def _ready(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the service worker controls the page and has kept it."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)
    page.wait_for_function(
        """async (path) => {
            const names = await caches.keys();
            for (const name of names) {
                const cache = await caches.open(name);
                if (await cache.match(location.origin + path)) { return true; }
            }
            return false;
        }""", arg=page.url.replace(page.url.split("/annuaire/")[0], ""), timeout=15000)


def test_a_place_page_visited_once_reloads_with_the_network_off(browsing: Browsing, published_site_url: str) -> None:
    page = browsing.new_page(width=360, service_workers=True)
    _first_visit(page, published_site_url + PLACE)
    _ready(page)
    page.context.set_offline(True)
    page.reload(wait_until="load")
    assert "France services La Poste de Vouillé" in page.locator("h1").inner_text()
    assert "Appeler le" in page.inner_text("body")
    page.goto(published_site_url + "lieux/poitiers/mds-de-poitiers/", wait_until="load")  # never opened
    assert "Vous êtes hors connexion" in page.locator("h1").inner_text()
    page.get_by_text("France services La Poste de Vouillé").wait_for(timeout=10000)  # listed as kept
    page.context.set_offline(False)


def test_nothing_from_another_site_is_kept(browsing: Browsing, published_site_url: str) -> None:
    page = browsing.new_page(service_workers=True)
    _first_visit(page, published_site_url)
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15000)
    kept = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) { urls.push(request.url); }
        }
        return urls;
    }""")
    assert kept and all(url.startswith(published_site_url) for url in kept), kept
