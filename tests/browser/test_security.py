"""Anyone can propose a record: text typed in a record must never run as code in a page.

A small site is built from made-up records (`tests/fixtures/xss/places/`) whose text fields
hold classic injections; chromium opens the pages a resident would reach and checks that
nothing ran and that the text is shown literally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from support import TERRITORY_FILE, fixture_problems

from annuaire.data.territory import Territory
from annuaire.problems import errors

from .conftest import ROOT, Browsing, serve

pytestmark = pytest.mark.browser

XSS_PLACES = ROOT / "tests" / "fixtures" / "xss" / "places"
SCRIPT_NAME = "Lieu <script>window.__xss=1</script> de test"
IMAGE_NAME = '<img src=x onerror="window.__xss=2">'
SCRIPT_ADDRESS = '<img src=x onerror="window.__xss=2"> 1 rue du Test'

# Every attribute whose name starts with "on" (event handlers), as "TAG attribute".
EVENT_ATTRIBUTES_JS = """
() => [...document.querySelectorAll('*')].flatMap(element =>
    [...element.attributes]
        .filter(attribute => attribute.name.toLowerCase().startsWith('on'))
        .map(attribute => element.tagName + ' ' + attribute.name))
"""
INJECTED_SCRIPTS_JS = "() => [...document.scripts].filter(s => s.textContent.includes('__xss')).length"


def _territory_paths() -> dict[str, str]:
    territory = Territory.load(TERRITORY_FILE)
    lusignan = territory.commune("86139")
    assert lusignan is not None
    epci = territory.epci_of(lusignan)
    assert epci is not None
    return {
        "accueil": "",
        "lieu (script)": "lieux/lusignan/lieu-script/",
        "lieu (image)": "lieux/lusignan/lieu-image/",
        "commune": f"communes/{lusignan.slug}/",
        "intercommunalité": f"territoires/{epci.slug}/",
        "tous les lieux": "lieux/",
    }


PAGES = _territory_paths()


@pytest.fixture(scope="session")
def xss_site_url(site_builder: Callable[[str, Path], Path]) -> Iterator[str]:
    with serve(site_builder("xss-site", XSS_PLACES)) as url:
        yield url


@pytest.mark.parametrize("javascript", [True, False], ids=["avec-js", "sans-js"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_injected_markup_never_runs(browsing: Browsing, xss_site_url: str, kind: str, javascript: bool) -> None:
    page = browsing.new_page(javascript=javascript)
    response = page.goto(xss_site_url + PAGES[kind], wait_until="load")
    assert response is not None and response.ok, f"page « {kind} » absente : /{PAGES[kind]}"

    # page.evaluate runs in the page even when the page's own scripts are disabled.
    assert page.evaluate("typeof window.__xss") == "undefined", f"Du code d'une fiche s'est exécuté (page « {kind} »)."
    assert page.evaluate(EVENT_ATTRIBUTES_JS) == [], f"Attribut d'événement injecté (page « {kind} »)."
    assert page.evaluate(INJECTED_SCRIPTS_JS) == 0, f"Balise <script> injectée (page « {kind} »)."
    assert page.locator('a[href^="javascript:" i], iframe[src^="javascript:" i]').count() == 0, (
        f"Lien javascript: dans la page « {kind} »."
    )
    assert page.locator('img[src="x"], svg[onload], iframe').count() == 0, f"Balise injectée (page « {kind} »)."


def test_injected_text_is_shown_as_text_on_the_place_page(browsing: Browsing, xss_site_url: str) -> None:
    page = browsing.new_page()
    page.goto(xss_site_url + PAGES["lieu (script)"], wait_until="load")
    assert page.locator("h1").first.inner_text().strip() == SCRIPT_NAME
    body = page.locator("body").inner_text()
    assert SCRIPT_ADDRESS in body
    assert "Accueil <script>window.__xss=1</script> pour tous." in body


def test_injected_name_is_shown_as_text_in_lists(browsing: Browsing, xss_site_url: str) -> None:
    page = browsing.new_page()
    page.goto(xss_site_url + PAGES["commune"], wait_until="load")
    body = page.locator("main").inner_text()
    assert SCRIPT_NAME in body
    assert IMAGE_NAME in body


def test_javascript_address_is_refused_by_validation(tmp_path: Path) -> None:
    """`javascript:` cannot reach a page: the validation stops it, with a message on `site_web`."""
    folder = tmp_path / "places" / "lusignan"
    folder.mkdir(parents=True)
    record = (XSS_PLACES / "lusignan" / "lieu-image.yml").read_text(encoding="utf-8")
    record = record.replace("nom: '<img src=x onerror=\"window.__xss=2\">'", "nom: Lieu avec un lien piégé")
    (folder / "lieu-image.yml").write_text(record + "site_web:\n  - javascript:alert(1)\n", encoding="utf-8")

    problems = fixture_problems(tmp_path, today=date(2025, 1, 15))
    refused = [p for p in errors(problems) if p.field.startswith("site_web")]
    assert refused, "Une adresse javascript: dans site_web devrait être refusée."
    assert any("https://" in p.message + p.hint for p in refused), "Le message doit dire d'écrire une adresse https://."
