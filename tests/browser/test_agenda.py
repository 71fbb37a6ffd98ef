"""The workshop agenda in chromium: with and without workshops, on a 360 px phone and on a
desktop, checked by axe-core (WCAG 2.1 A and AA), readable and filterable without JavaScript."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe

from .conftest import ROOT, Browsing, serve
from .test_accessibility import WCAG_TAGS, WIDTHS, describe, open_page

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "agenda"
BUILD_DATE = "2026-02-02"


def build_fixture_site(folder: Path) -> Path:
    """The made-up places and workshops of tests/fixtures/agenda, built at a fixed date."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / "docs"),
        "site_dir": str(folder / "site"),
        "hooks": [str(ROOT / "hooks" / "directory.py")],
        "theme": {"custom_dir": str(ROOT / "overrides")},
        "extra": {"annuaire": {
            "places_dir": str(FIXTURE / "places"),
            "workshops_dir": str(FIXTURE / "ateliers"),
            "territory_file": str(ROOT / "data" / "territoire_86.json"),
            "encarts_bulletin": False,
        }},
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    previous = os.environ.get("ANNUAIRE_DATE")
    os.environ["ANNUAIRE_DATE"] = BUILD_DATE
    try:
        build(load_config(config_file=str(folder / "mkdocs.yml"), strict=True))
    finally:
        if previous is None:
            os.environ.pop("ANNUAIRE_DATE", None)
        else:
            os.environ["ANNUAIRE_DATE"] = previous
    return folder / "site"


@pytest.fixture(scope="module")
def agenda_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build_fixture_site(tmp_path_factory.mktemp("agenda-site"))) as url:
        yield url


PAGES = {
    "agenda": "ateliers/",
    "atelier": "ateliers/smartphone-du-mardi/",
    "agenda-intercommunalite": "ateliers/territoires/ca-grand-chatellerault/",
    "lieu-avec-ateliers": "lieux/chatellerault/mediatheque-des-essais/",
}


def assert_no_violation(browsing: Browsing, url: str, width: int) -> None:
    page = open_page(browsing, url, width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe-core, {url} à {width} px :\n{describe(violations)}"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= max(width, 360), f"{url} déborde à {width} px (largeur {scroll_width} px)"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_agenda_pages_have_no_wcag_violation(browsing: Browsing, agenda_url: str, kind: str, width: int) -> None:
    assert_no_violation(browsing, agenda_url + PAGES[kind], width)


@pytest.mark.parametrize("width", WIDTHS)
def test_empty_agenda_of_the_real_directory_has_no_wcag_violation(
    browsing: Browsing, real_site_url: str, width: int
) -> None:
    assert_no_violation(browsing, real_site_url + "ateliers/", width)


def test_empty_agenda_says_so_and_links_to_the_announce_form(browsing: Browsing, real_site_url: str) -> None:
    if any((ROOT / "ateliers").glob("*.yml")):
        pytest.skip("des ateliers réels sont annoncés")
    page = open_page(browsing, real_site_url + "ateliers/", width=360, javascript=False)
    assert page.get_by_text("Aucun atelier n’est annoncé pour le moment.").is_visible()
    link = page.get_by_role("link", name="Annoncer un atelier")
    assert link.get_attribute("href").endswith("/issues/new?template=annoncer-un-atelier.yml")


def test_filter_by_intercommunality_without_javascript(browsing: Browsing, agenda_url: str) -> None:
    page = open_page(browsing, agenda_url + "ateliers/", width=360, javascript=False)
    assert page.locator("time").first.inner_text() == "mardi 3 février, 14 h – 16 h"
    page.get_by_text("Choisir un territoire, un thème ou une commune").click()  # <details>: no script needed
    page.get_by_role("link", name="Communauté de communes Vienne et Gartempe").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/ateliers/territoires/cc-vienne-et-gartempe/")
    sessions = page.locator("main time").all_inner_texts()
    assert sessions[0] == "lundi 2 mars, 10 h – 12 h"
    assert "lundi 6 avril, 10 h – 12 h" not in sessions  # Easter Monday
    assert all(s.startswith("lundi") for s in sessions)


def test_add_to_my_agenda_serves_a_calendar_file(browsing: Browsing, agenda_url: str) -> None:
    page = open_page(browsing, agenda_url + PAGES["atelier"], width=360, javascript=False)
    href = page.get_by_role("link", name="Ajouter à mon agenda").get_attribute("href")
    assert href is not None
    response = page.request.get(page.url + href)
    assert response.ok and response.body().startswith(b"BEGIN:VCALENDAR")
