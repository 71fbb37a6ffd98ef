"""What a resident reads on a phone is right, reachable and enough to act on: holidays in the
live status, the first screen of a place page, the 404 page, the forgiving commune search,
long names, and a visible focus everywhere (Debian's chromium, real and fixture sites)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annuaire.data import hours
from annuaire.data.calendar import load_school_holidays
from annuaire.data.records import load_records

from .conftest import ROOT, Browsing, serve

pytestmark = pytest.mark.browser

SCHOOL = load_school_holidays(ROOT / "data" / "vacances-scolaires-zone-a.json")
LONG_NAME = (
    "Espace public numérique et maison des services au public de la communauté de communes, "
    "antenne du centre-bourg, rez-de-chaussée"
)
LONG_PLACES = ROOT / "tests" / "fixtures" / "finder" / "places"


def place_paths(site: Path) -> list[str]:
    """Every place page of a built site (`lieux/<commune>/<lieu>/`)."""
    return sorted(
        p.parent.relative_to(site).as_posix() + "/"
        for p in (site / "lieux").glob("*/*/index.html")
        if (p.parent / "flyer-a5.pdf").is_file()
    )


# --- Holidays ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 5, 1, 8, 0, tzinfo=UTC),  # 1 May 2025, 10:00 in Paris
        datetime(2025, 11, 11, 9, 0, tzinfo=UTC),  # 11 November 2025, 10:00 in Paris
        datetime(2026, 5, 14, 8, 0, tzinfo=UTC),  # Ascension 2026, computed from Easter
    ],
)
def test_every_real_place_is_closed_on_a_public_holiday_morning(
    browsing: Browsing, real_site: Path, real_site_url: str, moment: datetime
) -> None:
    """The status of every real place, by the page's script at a fixed clock, is the build's
    (`Openings.status`), and says « Fermé · jour férié » since no record opens on `PH`."""
    page = browsing.new_page(width=360)
    page.clock.set_fixed_time(moment)
    page.goto(real_site_url + "trouver/")
    datas = [
        json.loads(html.unescape(raw))
        for raw in re.findall(r"data-annuaire-horaires='([^']+)'",
                              (real_site / "trouver" / "index.html").read_text(encoding="utf-8"))
    ]
    assert len(datas) > 40
    texts = page.evaluate("ds => ds.map(d => window.annuaireStatut.status(d, new Date()).text)", datas)
    records, _ = load_records(ROOT / "places")
    expressions = {str(r.data["horaires"]).strip() for r in records if r.data.get("horaires")}
    assert not any("PH" in e for e in expressions)
    for text in texts:
        assert text.startswith("Fermé · jour férié · ouvre "), text
    for expression in expressions:
        openings = hours.openings(expression)
        assert openings is not None
        assert openings.status(moment, SCHOOL).startswith("Fermé · jour férié")
        assert hours.status_at(expression, moment).startswith("Fermé · jour férié")


def test_script_and_build_agree_around_holidays_and_school_holidays(browsing: Browsing, real_site_url: str) -> None:
    """Every 53 minutes over weeks with public holidays (May 2025, November 2025) and school
    holidays (Toussaint 2025), for hours with and without `PH` and `SH` rules."""
    page = browsing.new_page(width=360)
    page.goto(real_site_url + "trouver/")
    expressions = [
        "Mo-Fr 09:00-12:00,14:00-17:00",
        "Mo-Fr 09:00-12:00; PH 10:00-11:00",
        "Mo-Fr 09:00-17:00; SH off",
        "Tu-Sa 09:00-12:00; PH off",
        "Su 20:00-24:00; Mo 00:00-02:00; Fr 20:00-02:00",
    ]
    starts = [datetime(2025, 4, 28, tzinfo=UTC), datetime(2025, 10, 27, tzinfo=UTC), datetime(2025, 11, 10, tzinfo=UTC)]
    moments = [s.timestamp() + 53 * 60 * n for s in starts for n in range(7 * 24 * 60 // 53)]
    for expression in expressions:
        openings = hours.openings(expression)
        assert openings is not None
        data = openings.for_browser(SCHOOL)
        texts = page.evaluate(
            "([d, ms]) => ms.map(m => window.annuaireStatut.status(d, new Date(m * 1000)).text)", [data, moments]
        )
        for moment, text in zip(moments, texts):
            when = datetime.fromtimestamp(moment, tz=UTC)
            assert text == openings.status(when, SCHOOL), (expression, when.isoformat())


def test_place_page_says_closed_on_a_holiday_and_what_holidays_mean(browsing: Browsing, real_site: Path,
                                                                   real_site_url: str) -> None:
    path = place_paths(real_site)[0]
    page = browsing.new_page(width=360, height=740)
    page.clock.set_fixed_time(datetime(2025, 11, 11, 9, 0, tzinfo=UTC))
    page.goto(real_site_url + path)
    status = page.locator("h1 + .annuaire-statut")
    expect(status).to_contain_text("Fermé · jour férié · ouvre ")
    expect(page.locator(".annuaire-essentiel__jour")).to_contain_text("Aujourd’hui : fermé (jour férié)")
    expect(page.locator("#horaires ~ p", has_text="Jours fériés")).to_contain_text("fermé en général")


# --- The first screen --------------------------------------------------------------------------

def test_first_screen_of_every_real_place_says_how_to_go(browsing: Browsing, real_site: Path,
                                                        real_site_url: str) -> None:
    """At 360 × 740, without scrolling: name, status, address, a way to reach them (a phone to
    tap when there is one), today's hours and whether to come with or without an appointment."""
    page = browsing.new_page(width=360, height=740)
    page.clock.set_fixed_time(datetime(2025, 3, 18, 9, 0, tzinfo=UTC))  # a Tuesday morning
    for path in place_paths(real_site):
        page.goto(real_site_url + path)
        parts = {
            "nom": page.locator("h1"),
            "adresse": page.locator(".annuaire-essentiel__adresse"),
            "contact": page.locator(".annuaire-essentiel__contact"),
            "jour": page.locator(".annuaire-essentiel__jour"),
            "rendez-vous": page.locator(".annuaire-essentiel__rdv"),
        }
        for name, locator in parts.items():
            box = locator.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 740, (path, name)
        if page.locator(".annuaire-essentiel__contact a[href^='tel:']").count():
            assert page.locator(".annuaire-essentiel__contact a[href^='tel:']").inner_text().startswith("Appeler le")
        freshness = page.locator(".annuaire-alerte--court")
        if freshness.count():  # after the essentials, and short
            assert freshness.bounding_box()["y"] > parts["rendez-vous"].bounding_box()["y"]
            assert len(freshness.inner_text()) < 90
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


# --- 404 ---------------------------------------------------------------------------------------

def test_a_mistyped_address_gets_a_french_page_with_the_places_of_its_commune(
    browsing: Browsing, published_site_url: str
) -> None:
    page = browsing.new_page(width=360)
    response = page.goto(published_site_url + "lieux/poitiers/mediatheque-qui-n-existe-pas/")
    assert response is not None and response.status == 404
    assert page.evaluate("document.documentElement.lang") == "fr"
    expect(page).to_have_title("Page introuvable - Lieux numériques de la Vienne")
    expect(page.locator("h1")).to_have_text("Cette page n’existe pas ou plus")
    expect(page.get_by_label("Votre commune ou code postal")).to_be_visible()
    expect(page.locator("#lieux-commune")).to_have_text("Les lieux de Poitiers")
    assert page.locator("#communes + ul a").count() == 265
    assert "Not found" not in page.content()
    first = page.locator("#introuvable-commune a").first
    href = first.get_attribute("href") or ""
    assert href.startswith("/annuaire/lieux/poitiers/")
    first.click()
    expect(page.locator("h1")).not_to_have_text("Cette page n’existe pas ou plus")


def test_the_404_page_without_javascript_lists_every_commune(browsing: Browsing, published_site_url: str) -> None:
    page = browsing.new_page(width=360, javascript=False)
    page.goto(published_site_url + "communes/chatelleraut/")
    expect(page.locator("h1")).to_have_text("Cette page n’existe pas ou plus")
    link = page.get_by_role("link", name="Châtellerault", exact=True)
    expect(link).to_have_attribute("href", "/annuaire/communes/chatellerault/")
    link.click()
    expect(page.locator("h1")).to_have_text("Châtellerault")


# --- Search that forgives ----------------------------------------------------------------------

def test_a_shared_postcode_lists_every_commune_it_serves(browsing: Browsing, real_site_url: str) -> None:
    page = browsing.new_page(width=360)
    page.goto(real_site_url + "trouver/?commune=86320")
    choices = page.locator("#trouver-commune-trouvee button")
    expect(choices).to_have_count(6)
    assert sorted(choices.all_inner_texts()) == [
        "Civaux", "Gouex", "Lussac-les-Châteaux", "Mazerolles", "Persac", "Sillars",
    ]
    choices.filter(has_text="Persac").click()
    expect(page.locator("#trouver-commune")).to_have_value("Persac")
    expect(page.locator("#trouver-commune-trouvee")).to_have_text("Commune : Persac (86320).")


@pytest.mark.parametrize(
    ("typed", "commune"),
    [("chatelleraut", "Châtellerault"), ("poitier", "Poitiers"), ("lusignam", "Lusignan"),
     ("st georges les bailargeaux", "Saint-Georges-lès-Baillargeaux"), ("montmorilon", "Montmorillon")],
)
def test_a_misspelt_commune_is_found(browsing: Browsing, real_site_url: str, typed: str, commune: str) -> None:
    page = browsing.new_page(width=360)
    page.goto(real_site_url + "trouver/")
    page.get_by_label("Votre commune ou code postal").press_sequentially(typed)
    expect(page.locator("#trouver-commune-trouvee")).to_contain_text(f"Commune : {commune} (")


def test_first_result_shows_on_the_first_screen_after_the_summary(browsing: Browsing, real_site_url: str) -> None:
    page = browsing.new_page(width=360, height=740)
    page.goto(real_site_url + "trouver/?commune=Poitiers")
    summary = page.locator("#trouver-nombre")
    first = page.locator("#trouver-liste > li:visible").first.locator(".annuaire-carte__nom")
    expect(first).to_be_visible()
    assert summary.bounding_box()["y"] < first.bounding_box()["y"]
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 740


def test_finder_without_javascript_says_filters_need_it(browsing: Browsing, real_site_url: str) -> None:
    page = browsing.new_page(width=360, javascript=False)
    page.goto(real_site_url + "trouver/?commune=Poitiers&samedi=1")
    note = page.locator("#trouver-sansjs")
    expect(note).to_be_visible()
    expect(note).to_contain_text("ont besoin de JavaScript")
    for name in ("par besoin", "par commune", "par intercommunalité"):
        expect(note.get_by_role("link", name=name)).to_be_visible()


# --- Long names --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_name_site(tmp_path_factory: pytest.TempPathFactory, site_builder: Callable[[str, Path], Path]) -> Iterator[str]:
    places = tmp_path_factory.mktemp("long") / "places"
    for record in LONG_PLACES.rglob("*.yml"):
        target = places / record.relative_to(LONG_PLACES)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(record.read_text(encoding="utf-8"), encoding="utf-8")
    record = places / "poitiers" / "espace-des-horloges.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"^nom: .*$", f"nom: {LONG_NAME}", text, flags=re.M), encoding="utf-8")
    assert len(LONG_NAME) >= 120
    with serve(site_builder("noms-longs", places)) as url:
        yield url


@pytest.mark.parametrize("path", ["lieux/poitiers/espace-des-horloges/", "lieux/poitiers/espace-des-horloges/imprimer/",
                                  "trouver/", "communes/poitiers/"])
def test_a_120_character_name_stays_within_a_phone_screen(browsing: Browsing, long_name_site: str, path: str) -> None:
    page = browsing.new_page(width=360, height=740)
    page.goto(long_name_site + path)
    expect(page.get_by_text(LONG_NAME).first).to_be_attached()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# --- Focus -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["", "trouver/", "communes/poitiers/"])
def test_every_focusable_element_shows_a_visible_focus(browsing: Browsing, real_site: Path, real_site_url: str,
                                                       path: str) -> None:
    """Tab through the page: each element reached is visible (not a zero-size one) and draws
    an outline of at least 2 px, with a colour (never `none` or transparent)."""
    for target in (path, place_paths(real_site)[0]):
        page = browsing.new_page(width=360, height=740)
        page.goto(real_site_url + target)
        seen = 0
        for _ in range(40):
            page.keyboard.press("Tab")
            info = page.evaluate("""() => {
                const el = document.activeElement;
                if (!el || el === document.body) { return null; }
                const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                return {tag: el.tagName, text: (el.textContent || el.id || '').trim().slice(0, 40),
                        w: r.width, h: r.height, style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                        color: s.outlineColor, visible: el.matches(':focus-visible')};
            }""")
            if info is None:
                break
            seen += 1
            assert info["w"] > 0 and info["h"] > 0, (target, info)
            assert info["style"] != "none" and info["width"] >= 2, (target, info)
            assert info["color"] not in ("transparent", "rgba(0, 0, 0, 0)"), (target, info)
        assert seen >= 5, target


def page_text(page: Page) -> str:
    return " ".join(page.locator("body").inner_text().split())


@pytest.mark.parametrize("width", [360, 1280])
def test_the_404_page_has_no_wcag_violation(browsing: Browsing, published_site_url: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from .test_accessibility import WCAG_TAGS, describe

    page = browsing.new_page(width=width)
    page.goto(published_site_url + "lieux/poitiers/nulle-part/")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert not results.response["violations"], describe(results.response["violations"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
