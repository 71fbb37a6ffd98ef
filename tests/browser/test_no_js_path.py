"""Issue "Find the right place fast", without JavaScript: on a 360 px phone, from the home page,
a resident of Lussac-les-Châteaux reaches the nearest place that helps with online procedures
and opens on Saturday, by following links by their visible names, in a few page loads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Request
from support import TERRITORY_FILE, fixture_directory

from annuaire.data import hours
from annuaire.data.geo import km_between
from annuaire.data.territory import Territory
from annuaire.model.places import Place
from annuaire.text import search_key

from .conftest import ROOT, Browsing
from .test_accessibility import WCAG_TAGS, describe, open_page

pytestmark = pytest.mark.browser

COMMUNE = "Lussac-les-Châteaux"
DEMARCHES = "Aide aux démarches administratives"
# A commune without any place (Lussac-les-Châteaux), one with places, and the list of communes.
PATHS = ("communes/lussac-les-chateaux/", "communes/montmorillon/", "territoires/")


def expected_place() -> Place:
    """Worked out here from the records, apart from the site's code: the nearest place (to the
    town hall, straight line) that helps with online procedures and opens on Saturday."""
    territory = Territory.load(TERRITORY_FILE)
    directory = fixture_directory(ROOT, today=date(2026, 12, 1))
    commune = territory.communes_named(COMMUNE)[0]
    origin = territory.position(commune.code_insee)
    assert origin is not None

    def km(place: Place) -> float:
        if place.latitude is not None and place.longitude is not None:
            return km_between(origin, (place.latitude, place.longitude))
        position = territory.position(place.commune_ref.code_insee)
        assert position is not None
        return km_between(origin, position)

    def on_saturday(place: Place) -> bool:
        week = hours.weekly(place.horaires) if place.horaires else None
        return week is not None and bool(week.days[5])

    candidates = [p for p in directory.places if DEMARCHES in p.services and on_saturday(p)]
    assert candidates, "Aucun lieu réel n'aide aux démarches le samedi : le test n'a plus d'objet."
    return min(candidates, key=km)


def test_resident_finds_the_nearest_place_open_on_saturday_without_javascript(
    browsing: Browsing, real_site_url: str, tmp_path: Path
) -> None:
    target = expected_place()
    page = browsing.new_page(width=360, height=760, javascript=False)
    loads: list[str] = []

    def count(request: Request) -> None:
        if request.is_navigation_request() and request.frame == page.main_frame:
            loads.append(request.url)

    page.on("request", count)
    page.goto(real_site_url, wait_until="load")
    page.get_by_role("link", name="Je cherche ma commune").click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="L", exact=True).click()  # jump inside the page, no load
    page.get_by_role("link", name=COMMUNE, exact=True).click()
    page.wait_for_load_state("load")

    assert page.get_by_role("heading", level=1).inner_text() == COMMUNE
    line = page.locator("li", has_text="Pour faire une démarche en ligne")
    assert line.count() == 1
    assert line.is_visible()
    assert target.nom in line.inner_text(), (
        f"La page de {COMMUNE} devrait nommer « {target.nom} » pour les démarches le samedi ; "
        f"elle dit : {line.inner_text()}"
    )
    assert "samedi" in line.inner_text()
    link = line.get_by_role("link", name=target.nom, exact=True)
    assert link.count() >= 1
    assert len(loads) <= 4, f"{len(loads)} pages chargées : {loads}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(tmp_path / "lussac-360.png"))


@pytest.mark.parametrize("width", (360, 1280))
@pytest.mark.parametrize("path", PATHS)
def test_path_pages_have_no_wcag_violation(browsing: Browsing, real_site_url: str, path: str, width: int) -> None:
    # axe-core is itself a script, so it runs with JavaScript on; the pages use none on this path.
    page = open_page(browsing, real_site_url + path, width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe-core, {path} à {width} px :\n{describe(violations)}"
    if width == 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{path} déborde à 360 px"


def test_letter_links_lead_to_their_communes(browsing: Browsing, real_site_url: str) -> None:
    """Every letter of the index jumps to a group whose communes start with that letter."""
    page = open_page(browsing, real_site_url + "territoires/", width=360, javascript=False)
    letters = page.get_by_role("navigation", name="Communes par première lettre").get_by_role("link")
    assert letters.count() >= 15
    for i in range(letters.count()):
        letter = letters.nth(i).inner_text().strip()
        target = letters.nth(i).get_attribute("href")
        assert target and target.startswith("#")
        heading = page.locator(target)
        assert heading.inner_text().strip() == letter
        names = heading.locator("xpath=following-sibling::ul[1]/li/a").all_inner_texts()
        assert names and all(search_key(n)[:1].upper() == letter for n in names), (letter, names[:5])
