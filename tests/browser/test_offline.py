"""Offline after a first visit: the place page a resident opened reopens on the bus without
signal, the « Hors connexion » page lists it, and nothing from another site is stored."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import Browsing, serve

pytestmark = pytest.mark.browser
PLACE = "lieux/vouille/france-services-la-poste/"
KEPT_FILES = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        if (!name.endsWith("-fichiers")) { continue; }
        const cache = await caches.open(name);
        for (const request of await cache.keys()) { urls.push(request.url); }
    }
    return urls;
}"""


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


def test_the_finder_finds_a_commune_offline_after_a_first_visit_home_without_any_data_file(
    browsing: Browsing, published_site_url: str,
) -> None:
    """A first visit keeps « Trouver un lieu » with the scripts it asks for, and its communes
    are in its page: its commune search works without a connection even if it was never
    opened, and no data file was downloaded for it (a whole country's communes would be
    megabytes on a phone)."""
    page = browsing.new_page(width=360, service_workers=True)
    _first_visit(page, published_site_url)
    _ready(page)
    page.wait_for_function("""async () => {
        for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) {
                if (request.url.includes("/trouver.js?v=")) { return true; }
            }
        }
        return false;
    }""", timeout=15000)
    kept = page.evaluate(KEPT_FILES.replace('if (!name.endsWith("-fichiers")) { continue; }', ""))
    assert not [url for url in kept if "/donnees/" in url], kept
    page.context.set_offline(True)
    page.goto(published_site_url + "trouver/", wait_until="load")
    page.get_by_label("Votre commune ou code postal").press_sequentially("Vouillé")
    expect(page.locator("#trouver-commune-trouvee")).to_contain_text("Commune : Vouillé", timeout=10000)
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


def _rewritten(path: Path, text: str) -> None:
    """`path` replaced by a new file (the copy's files are links to the built site's)."""
    path.unlink()
    path.write_text(text, encoding="utf-8")


def test_the_first_page_of_a_new_publication_has_its_new_style_even_offline_later(
    browsing: Browsing, real_site: Path, tmp_path: Path,
) -> None:
    """A resident's phone kept yesterday's stylesheet; today's publication changed it. The first
    page opened today has today's style (not yesterday's under today's page), one version of the
    file stays kept, and a page kept from yesterday still has a style without a connection."""
    served = tmp_path / "site"
    shutil.copytree(real_site, served, copy_function=os.link)
    with serve(served, prefix="/annuaire/") as url:
        page = browsing.new_page(width=360, service_workers=True)
        _first_visit(page, url + PLACE)
        _ready(page)
        page.wait_for_function(KEPT_FILES.replace("return urls;", "return urls.some(u => u.includes('extra.css?v='));"),
                               timeout=15000)
        place = served / PLACE / "index.html"
        html = place.read_text(encoding="utf-8")
        old = re.search(r"extra\.css\?v=([0-9a-f]+)", html)
        assert old is not None
        # Today's publication: a new rule in the site's stylesheet, asked for with a new version.
        css = served / "assets" / "extra.css"
        _rewritten(css, css.read_text(encoding="utf-8") + "\nh1 { color: rgb(1, 2, 3) !important; }\n")
        _rewritten(place, html.replace(f"?v={old.group(1)}", "?v=000000000000"))
        page.reload(wait_until="load")
        assert page.eval_on_selector("h1", "e => getComputedStyle(e).color") == "rgb(1, 2, 3)"
        page.wait_for_function(KEPT_FILES.replace("return urls;", "return urls.some(u => u.endsWith('extra.css?v=000000000000'));"),
                               timeout=15000)
        kept = [u for u in page.evaluate(KEPT_FILES) if "/assets/extra.css" in u]
        assert kept == [url + "assets/extra.css?v=000000000000"], kept
        # The home page, kept since the first visit, asks for yesterday's version: offline, it
        # still has the site's style (the version kept, or the browser's own copy of yesterday's).
        page.context.set_offline(True)
        home = page.context.new_page()
        home.goto(url, wait_until="load")
        assert home.evaluate("""() => [...document.styleSheets].some(
            (sheet) => (sheet.href || "").includes("/assets/extra.css?v=") && sheet.cssRules.length > 0)""")
        page.context.set_offline(False)
