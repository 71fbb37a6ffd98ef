"""The site's search (recherche/), in chromium: a resident types a word and gets links to the
right pages, the count is announced, pages that are not the search page load no index, a
search reads only part of the index, and without JavaScript the lists replace the form."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import Browsing
from .test_accessibility import WCAG_TAGS, describe, open_page

pytestmark = pytest.mark.browser
SEARCH = "recherche/"
PLACE = "lieux/vouille/france-services-la-poste/"


def _search(browsing: Browsing, site_url: str, words: str, *, width: int = 360):  # type: ignore[no-untyped-def]
    page = open_page(browsing, site_url + SEARCH, width=width)
    page.get_by_label("Un lieu, une commune, une démarche").press_sequentially(words, delay=20)
    page.keyboard.press("Enter")
    page.locator("#recherche-etat", has_text="pour « ").wait_for(timeout=15000)
    return page


def test_a_place_is_found_by_its_town_and_opens_under_the_public_path(
    browsing: Browsing, published_site_url: str
) -> None:
    """Under `/annuaire/` as on GitHub Pages: the result links must keep that prefix."""
    page = _search(browsing, published_site_url, "Vouillé")
    status = page.locator("#recherche-etat")
    assert status.get_attribute("role") == "status"
    assert "résultat" in status.inner_text()
    links = page.locator("#recherche-resultats a")
    names = links.all_inner_texts()
    assert "France services La Poste de Vouillé" in names, names[:10]
    assert "q=Vouill" in page.url  # the address of the search can be shared
    excerpts = page.locator("#recherche-resultats").inner_text()
    assert "Vouillé" in excerpts and "Ouvrir dans mon application" not in excerpts  # words, not buttons
    links.filter(has_text="France services La Poste de Vouillé").first.click()
    page.wait_for_load_state("load")
    assert page.url == published_site_url + PLACE
    assert "France services La Poste de Vouillé" in page.locator("h1").inner_text()


def test_a_place_is_found_on_its_own_page_not_in_the_lists_that_repeat_it(
    browsing: Browsing, real_site_url: str
) -> None:
    """Commune, intercommunality and service pages list nearby places as cards: those cards are
    not indexed, so a place's name leads to its page, not to every page that mentions it."""
    page = _search(browsing, real_site_url, "communiquer")  # only in the name of ACLÉ (Loudun)
    links = page.locator("#recherche-resultats a")
    assert links.all_inner_texts() == ["ACLÉ (Association communiquer lire écrire)"]
    assert "1 résultat" in page.locator("#recherche-etat").inner_text()


def test_what_every_place_page_says_leads_to_the_pages_that_explain_it(
    browsing: Browsing, real_site_url: str
) -> None:
    """« Une erreur sur cette fiche ? » closes every place page: indexed, « erreur » listed every
    place before the pages that say how to report one (and made a third of the index)."""
    page = _search(browsing, real_site_url, "erreur")
    hrefs = [link.get_attribute("href") or "" for link in page.locator("#recherche-resultats a").all()]
    assert hrefs and not [href for href in hrefs if "/lieux/" in href], hrefs
    assert any(href.endswith("/donnees/") for href in hrefs), hrefs  # « Signaler une erreur »


def test_what_every_commune_page_says_leads_to_the_page_that_explains_it(
    browsing: Browsing, real_site_url: str
) -> None:
    """Every commune page links to « Les zones blanches de toute la Vienne » and names « les lieux
    les plus proches »: indexed, « zones blanches » listed the 265 communes and not the coverage
    page. A commune is still found by its name."""
    page = _search(browsing, real_site_url, "zones blanches")
    hrefs = [link.get_attribute("href") or "" for link in page.locator("#recherche-resultats a").all()]
    assert hrefs and hrefs[0].endswith("/couverture/"), hrefs[:5]
    assert not [href for href in hrefs if "/communes/" in href], hrefs
    page = _search(browsing, real_site_url, "Adriers")
    hrefs = [link.get_attribute("href") or "" for link in page.locator("#recherche-resultats a").all()]
    assert hrefs[0].endswith("/communes/adriers/"), hrefs


def test_the_partners_page_is_found_by_its_words_not_its_code(browsing: Browsing, real_site_url: str) -> None:
    """The partners' page holds a code to copy for every commune: a commune's name showed it,
    `<iframe src=…`, as the excerpt a resident reads."""
    page = _search(browsing, real_site_url, "Vouillé")
    while (more := page.get_by_role("button", name="Voir plus de résultats")).is_visible():
        shown = page.locator("#recherche-resultats li").count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('#recherche-resultats li').length > {shown}")
    results = page.locator("#recherche-resultats").inner_text()
    assert "Intégrer l’annuaire à votre site" in results
    assert "iframe" not in results and "src=" not in results, results


def test_an_address_with_words_searches_at_once(browsing: Browsing, real_site_url: str) -> None:
    page = open_page(browsing, real_site_url + SEARCH + "?q=imprimer", width=1280)
    page.locator("#recherche-etat", has_text="pour « imprimer »").wait_for(timeout=15000)
    assert page.get_by_label("Un lieu, une commune, une démarche").input_value() == "imprimer"
    assert page.locator("#recherche-resultats li").count() >= 1


def test_more_results_are_shown_on_demand_and_focus_the_first_new_one(
    browsing: Browsing, real_site_url: str
) -> None:
    page = _search(browsing, real_site_url, "France services")
    assert page.locator("#recherche-resultats li").count() == 10
    more = page.get_by_role("button", name="Voir plus de résultats")
    more.click()
    page.wait_for_function("document.querySelectorAll('#recherche-resultats li').length > 10")
    assert page.evaluate("document.activeElement === document.querySelectorAll('#recherche-resultats a')[10]")


def test_an_unknown_word_says_what_to_do(browsing: Browsing, real_site_url: str) -> None:
    page = _search(browsing, real_site_url, "zzyzxq")
    assert "Aucun résultat pour « zzyzxq »" in page.locator("#recherche-etat").inner_text()
    assert page.get_by_role("link", name="les communes, de A à Z").is_visible()


def test_other_pages_load_no_search_index(browsing: Browsing, real_site_url: str) -> None:
    """The theme's search fetched its whole index on every page: 78 % of a first visit."""
    for path in ("", PLACE, "communes/poitiers/"):
        open_page(browsing, real_site_url + path, width=360).wait_for_load_state("networkidle")
    fetched = [url for url in browsing.requests if "pagefind" in url or "search_index" in url]
    assert not fetched, fetched


def test_a_search_reads_only_part_of_the_index(browsing: Browsing, real_site_url: str, real_site: Path) -> None:
    """The real site's index has only a few pieces (two on 4 December): a search reads some, not
    all; what it reads at 1,000 and 20,000 places is measured by `scripts/benchmark.py`."""
    page = _search(browsing, real_site_url, "Châtellerault")
    page.wait_for_load_state("networkidle")
    chunks = {url.rsplit("/", 1)[1] for url in browsing.requests if "/pagefind/index/" in url}
    stored = {p.name for p in (real_site / "pagefind" / "index").iterdir()}
    assert chunks and chunks <= stored
    assert len(chunks) < len(stored), f"{len(chunks)} morceaux d’index lus sur {len(stored)}"


@pytest.mark.parametrize("width", (360, 1280))
def test_results_are_accessible(browsing: Browsing, real_site_url: str, width: int) -> None:
    page = _search(browsing, real_site_url, "Loudun", width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert not results.response["violations"], describe(results.response["violations"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_without_javascript_the_lists_replace_the_form(browsing: Browsing, real_site_url: str) -> None:
    page = open_page(browsing, real_site_url + SEARCH, width=360, javascript=False)
    assert not page.get_by_label("Un lieu, une commune, une démarche").is_visible()
    assert "La recherche a besoin de JavaScript" in page.inner_text("main")
    page.get_by_role("link", name="les communes, de A à Z").click()
    page.wait_for_load_state("load")
    assert "/territoires/" in page.url


def test_the_header_leads_to_the_search_without_javascript(browsing: Browsing, real_site_url: str) -> None:
    page = open_page(browsing, real_site_url + PLACE, width=360, javascript=False)
    page.locator("header").get_by_role("link", name="Rechercher").click()
    page.wait_for_load_state("load")
    assert page.url == real_site_url + SEARCH
