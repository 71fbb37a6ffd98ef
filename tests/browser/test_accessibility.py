"""The real pages, opened in chromium as residents open them: on a 360 px phone and on a
desktop, with and without JavaScript, checked by axe-core against WCAG 2.1 A and AA.

The sample pages are taken from the built site (the first place that has opening hours,
its commune, its intercommunality, its first service), so the tests follow the real data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from support import TERRITORY_FILE

from annuaire.data.records import load_records
from annuaire.data.territory import Territory

from .conftest import ROOT, Browsing

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (360, 1280)
KINDS = ("accueil", "lieu", "commune", "intercommunalite", "service", "couverture", "couverture_tableau", "recherche",
         "qualite")


@pytest.fixture(scope="session")
def sample_paths(real_site: Path) -> dict[str, str]:
    """One URL path (relative to the site root) of each kind of page, found in the built site."""
    records, _ = load_records(ROOT / "places")
    with_hours = sorted(
        (r.path for r in records if isinstance(r.data.get("horaires"), str) and r.data["horaires"].strip()),
    )
    assert with_hours, "Aucune fiche de places/ n'a d'horaires : impossible de tester une page de lieu."
    place_file = with_hours[0]
    place_path = f"lieux/{place_file.parent.name}/{place_file.stem}/"
    assert (real_site / place_path / "index.html").is_file(), f"Page du lieu absente : {place_path}"

    territory = Territory.load(TERRITORY_FILE)
    code_insee = str(next(r for r in records if r.path == place_file).data["code_insee"]).strip()
    commune = territory.commune(code_insee)
    assert commune is not None
    epci = territory.epci_of(commune)
    assert epci is not None

    place_html = (real_site / place_path / "index.html").read_text(encoding="utf-8")
    services = re.findall(r'href="(?:\.\./)*services/([a-z0-9-]+)/"', place_html)
    service_slug = services[0] if services else sorted(p.parent.name for p in (real_site / "services").glob("*/index.html"))[0]

    paths = {
        "accueil": "",
        "lieu": place_path,
        "commune": f"communes/{commune.slug}/",
        "intercommunalite": f"territoires/{epci.slug}/",
        "service": f"services/{service_slug}/",
        "couverture": "couverture/",
        "couverture_tableau": "couverture/communes/",
        "recherche": "recherche/",
        "qualite": "donnees/qualite/",  # for coordinators: tables in a frame that scrolls on a phone
    }
    for kind, path in paths.items():
        assert (real_site / path / "index.html").is_file(), f"Page « {kind} » absente du site construit : /{path}"
    return paths


def open_page(browsing: Browsing, url: str, *, width: int = 1280, javascript: bool = True) -> Page:
    page = browsing.new_page(width=width, javascript=javascript)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} : réponse {response.status if response else 'aucune'}"
    return page


def describe(violations: list[dict]) -> str:
    """axe violations, one per paragraph, with the CSS targets to fix."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}) : {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    · {node['target']} — {node.get('failureSummary', '').splitlines()[-1:]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    · … et {len(violation['nodes']) - 10} autres éléments")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", KINDS)
def test_page_has_no_wcag_violation(
    browsing: Browsing, real_site_url: str, sample_paths: dict[str, str], kind: str, width: int
) -> None:
    url = real_site_url + sample_paths[kind]
    page = open_page(browsing, url, width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe-core, page « {kind} » ({url}) à {width} px :\n{describe(violations)}"


@pytest.mark.parametrize("kind", KINDS)
def test_no_horizontal_scroll_on_a_small_phone(
    browsing: Browsing, real_site_url: str, sample_paths: dict[str, str], kind: str
) -> None:
    page = open_page(browsing, real_site_url + sample_paths[kind], width=360)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, (
        f"La page « {kind} » déborde à 360 px (largeur {scroll_width} px) : "
        "sur un petit téléphone, il faudrait défiler de côté."
    )


@pytest.mark.parametrize("kind", KINDS)
def test_page_readable_without_javascript(
    browsing: Browsing, real_site_url: str, sample_paths: dict[str, str], kind: str
) -> None:
    page = open_page(browsing, real_site_url + sample_paths[kind], width=360, javascript=False)
    heading = page.locator("h1").first
    assert heading.is_visible(), f"Sans JavaScript, la page « {kind} » n'affiche pas son titre."
    assert heading.inner_text().strip()


def test_place_hours_shown_without_javascript(
    browsing: Browsing, real_site_url: str, sample_paths: dict[str, str]
) -> None:
    page = open_page(browsing, real_site_url + sample_paths["lieu"], width=360, javascript=False)
    table = page.locator("table").filter(has=page.locator("caption", has_text="Horaires"))
    assert table.count() == 1 and table.is_visible(), "Sans JavaScript, le tableau des horaires n'est pas visible."
    days = [text.strip() for text in table.locator("tbody th").all_inner_texts()]
    assert days == ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


def test_home_need_links_work_without_javascript(
    browsing: Browsing, real_site_url: str, sample_paths: dict[str, str]
) -> None:
    page = open_page(browsing, real_site_url, width=360, javascript=False)
    needs = page.locator("h2:has-text('besoin') + ul a")
    assert needs.count() >= 2, "Sans JavaScript, la page d'accueil ne montre pas les besoins."
    for index in range(needs.count()):
        assert needs.nth(index).is_visible()
    first = needs.first
    label = first.inner_text().splitlines()[0].strip()
    first.click()
    page.wait_for_load_state("load")
    assert "/services/" in page.url, f"Le lien « {label} » ne mène pas à une page de besoin ({page.url})."
    assert page.locator("h1").first.is_visible()


def test_menu_opens_without_javascript_on_a_phone(
    browsing: Browsing, real_site_url: str, sample_paths: dict[str, str]
) -> None:
    """On a 360 px phone the menu is a drawer: it must open (CSS only) and lead to the lists."""
    page = open_page(browsing, real_site_url + sample_paths["commune"], width=360, javascript=False)
    by_need = page.get_by_role("link", name="Par besoin")
    page.locator('label.md-header__button[for="__drawer"]').first.click()
    box = by_need.bounding_box()
    for _ in range(20):  # the drawer slides in with a CSS transition
        if box is not None and box["x"] >= 0:
            break
        page.wait_for_timeout(100)
        box = by_need.bounding_box()
    assert box is not None and box["x"] >= 0, "Sans JavaScript, le menu ne s'ouvre pas sur un téléphone."
    by_need.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/services/")
    assert page.locator("h1").first.is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_keyboard_opens_the_menu_on_a_phone(
    browsing: Browsing, real_site_url: str, sample_paths: dict[str, str], javascript: bool
) -> None:
    """A keyboard user on a small screen reaches the menu button by Tab, hears its name, and
    opens it with Space; a "skip to content" link follows it on every page."""
    page = open_page(browsing, real_site_url + sample_paths["lieu"], width=360, javascript=javascript)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "__drawer", f"Le premier arrêt de tabulation devrait être le menu, pas « {focused} »."
    assert page.get_by_role("checkbox", name="Menu").count() == 1
    page.keyboard.press("Space")
    by_need = page.get_by_role("link", name="Par besoin")
    box = by_need.bounding_box()
    for _ in range(20):  # the drawer slides in with a CSS transition
        if box is not None and box["x"] >= 0:
            break
        page.wait_for_timeout(100)
        box = by_need.bounding_box()
    assert box is not None and box["x"] >= 0, "Le clavier n'ouvre pas le menu."
    page.keyboard.press("Space")  # closes it again
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "sans-js"])
def test_home_offers_a_commune_search_that_works(browsing: Browsing, real_site_url: str, javascript: bool) -> None:
    """The commune search box filters in the browser: without JavaScript it would lead to an
    unfiltered list, so it is replaced by a link to the alphabetical list of communes."""
    page = open_page(browsing, real_site_url, width=360, javascript=javascript)
    search_box = page.get_by_label("Votre commune ou code postal")
    list_link = page.get_by_role("link", name="Trouver ma commune dans la liste")
    if javascript:
        assert search_box.is_visible() and not list_link.is_visible()
    else:
        assert not search_box.is_visible() and list_link.is_visible()
        list_link.click()
        page.wait_for_load_state("load")
        assert page.get_by_role("link", name="Lussac-les-Châteaux").count() >= 1
