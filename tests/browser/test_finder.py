"""« Trouver un lieu » and the live opening status, in chromium, as a resident uses them:
filters that shorten the list and stay in the address, the commune search, "Autour de moi",
the status with a fixed clock (weekday, Sunday, noon, midnight, summer/winter time), and the
page without JavaScript. Fixture places: tests/fixtures/finder/README.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from annuaire.data import hours
from annuaire.settings import CACHE_ENV
from annuaire.site import templating

from .conftest import ROOT, Browsing, build_site, serve
from .test_accessibility import WCAG_TAGS, describe

pytestmark = pytest.mark.browser

FIXTURE = ROOT / "tests" / "fixtures" / "finder" / "places"
UTC = timezone.utc
HORLOGES = "lieux/poitiers/espace-des-horloges/"
NUIT = "lieux/buxerolles/cafe-de-nuit/"
SAMEDI = "lieux/chatellerault/point-du-samedi/"


@pytest.fixture(scope="module")
def finder_url(site_builder: Callable[[str, Path], Path]) -> Iterator[str]:
    with serve(site_builder("finder", FIXTURE)) as url:
        yield url


@pytest.fixture(scope="module")
def by_commune_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same places as a directory too large to list (`templating.LIST_MAX` lowered), built
    with its own cache: the usual one keeps a finder with its list for the same records."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(templating, "LIST_MAX", 1)
        monkeypatch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("cache-par-commune")))
        site = build_site(tmp_path_factory.mktemp("par-commune") / "site", places_dir=FIXTURE)
    with serve(site) as url:
        yield url


def visible_names(page: Page) -> list[str]:
    return [n.strip() for n in page.locator("#trouver-liste > li:visible .annuaire-carte__nom").all_inner_texts()]


def open_finder(browsing: Browsing, url: str, *, width: int = 360, javascript: bool = True) -> Page:
    page = browsing.new_page(width=width, javascript=javascript)
    page.goto(url, wait_until="load")
    return page


# --- Filters -------------------------------------------------------------------------------

def test_filters_shorten_the_list_keep_the_url_and_back_restores_it(browsing: Browsing, finder_url: str) -> None:
    page = open_finder(browsing, finder_url + "trouver/")
    assert len(visible_names(page)) == 5
    page.get_by_text("Plus de choix").click()  # the less common choices, folded on a phone
    page.get_by_label("Ouvert le samedi").check()
    expect(page).to_have_url(finder_url + "trouver/?samedi=1")
    assert sorted(visible_names(page)) == ["Café de nuit", "Point du samedi", "Relais de la Gartempe"]
    expect(page.locator("#trouver-nombre")).to_have_text("3 lieux correspondent à vos choix.")
    assert page.locator("#trouver-nombre").get_attribute("aria-live") == "polite"

    page.get_by_label("Votre besoin").select_option(label="Être aidé pour faire une démarche en ligne (CAF, impôts, France Travail, santé…)")
    expect(page).to_have_url(finder_url + "trouver/?besoin=aide-aux-demarches-administratives&samedi=1")
    assert sorted(visible_names(page)) == ["Point du samedi", "Relais de la Gartempe"]
    page.get_by_label("Sans rendez-vous").check()
    assert visible_names(page) == ["Relais de la Gartempe"]

    page.go_back()
    expect(page).to_have_url(finder_url + "trouver/?besoin=aide-aux-demarches-administratives&samedi=1")
    assert sorted(visible_names(page)) == ["Point du samedi", "Relais de la Gartempe"]
    assert page.get_by_label("Peu importe").is_checked()
    page.go_back()
    expect(page).to_have_url(finder_url + "trouver/?samedi=1")
    assert len(visible_names(page)) == 3
    assert page.get_by_label("Votre besoin").input_value() == ""


def test_a_shared_address_reopens_the_same_choices(browsing: Browsing, finder_url: str) -> None:
    page = open_finder(browsing, finder_url + "trouver/?gratuit=1&public=seniors")
    assert page.get_by_label("Gratuit").is_checked()
    assert visible_names(page) == ["Espace des Horloges"]
    expect(page.locator("#trouver-nombre")).to_have_text("1 lieu correspond à vos choix.")


def test_open_now_filter_follows_the_paris_clock(browsing: Browsing, finder_url: str) -> None:
    page = browsing.new_page(width=360)
    page.clock.set_fixed_time(datetime(2025, 3, 17, 9, 0, tzinfo=UTC))  # Monday 10:00 in Paris
    page.goto(finder_url + "trouver/?maintenant=1")
    assert visible_names(page) == ["Espace des Horloges"]


# --- Commune search and "Autour de moi" ------------------------------------------------------

@pytest.mark.parametrize("typed", ["chatel", "CHATELLERAULT", "86100", "châtellerault"])
def test_commune_search_finds_chatellerault(browsing: Browsing, finder_url: str, typed: str) -> None:
    page = open_finder(browsing, finder_url + "trouver/")
    page.get_by_label("Votre commune ou code postal").fill(typed)
    if typed.isdigit():  # a postcode several communes share: each is offered, the largest first
        expect(page.locator("#trouver-commune-trouvee")).to_contain_text("Le code postal 86100 couvre 4 communes.")
        expect(page.locator("#trouver-commune-trouvee button").first).to_have_text("Châtellerault")
    else:
        expect(page.locator("#trouver-commune-trouvee")).to_contain_text("Commune : Châtellerault")
    first = page.locator("#trouver-liste > li:visible").first
    expect(first.locator(".annuaire-carte__nom")).to_have_text("Point du samedi")
    expect(first.locator(".annuaire-trouver__distance")).to_have_text("Dans votre commune")
    # Then the others, from the nearest to Châtellerault's town hall.
    assert visible_names(page)[1:] == ["Café de nuit", "Espace des Horloges", "Relais de la Gartempe", "Atelier sans horaires"]
    expect(page.locator(".annuaire-trouver__distance:visible").nth(1)).to_have_text(re.compile(r"^À \d+,\d km de Châtellerault$"))


@pytest.mark.parametrize(
    ("typed", "commune"),
    [("st georges", "Saint-Georges-lès-Baillargeaux"), ("86000", "Poitiers"), ("lussac les chateaux", "Lussac-les-Châteaux")],
)
def test_commune_search_forgives_spelling(browsing: Browsing, finder_url: str, typed: str, commune: str) -> None:
    page = open_finder(browsing, finder_url + "trouver/?commune=" + typed.replace(" ", "+"))
    expect(page.locator("#trouver-commune-trouvee")).to_contain_text(f"Commune : {commune}")


def test_done_when_lussac_saturday_help_with_procedures(browsing: Browsing, finder_url: str) -> None:
    """From the home page, a resident of Lussac-les-Châteaux looks for help with an online
    procedure on a Saturday: the place of the same intercommunality comes first."""
    page = open_finder(browsing, finder_url)
    page.get_by_label("Votre commune ou code postal").fill("lussac")
    page.get_by_role("button", name="Trouver un lieu").click()
    page.wait_for_load_state("load")
    assert "/trouver/?commune=lussac" in page.url
    page.get_by_label("Votre besoin").select_option(value="aide-aux-demarches-administratives")
    page.get_by_text("Plus de choix").click()
    page.get_by_label("Ouvert le samedi").check()
    first = page.locator("#trouver-liste > li:visible").first
    expect(first.locator(".annuaire-carte__nom")).to_have_text("Relais de la Gartempe")
    expect(first.locator(".annuaire-trouver__distance")).to_have_text(re.compile(r"^À 1\d,\d km de Lussac-les-Châteaux$"))
    assert visible_names(page) == ["Relais de la Gartempe", "Point du samedi"]  # Montmorillon, then Châtellerault


def test_around_me_asks_the_position_only_after_the_button(browsing: Browsing, finder_url: str) -> None:
    page = open_finder(browsing, finder_url + "trouver/")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 46.43, "longitude": 0.87})  # Montmorillon
    assert page.locator(".annuaire-trouver__distance:visible").count() == 0
    page.get_by_role("button", name="Autour de moi").click()
    first = page.locator("#trouver-liste > li:visible").first
    expect(first.locator(".annuaire-carte__nom")).to_have_text("Relais de la Gartempe")
    expect(first.locator(".annuaire-trouver__distance")).to_have_text("À 0,4 km de vous")


# --- A directory too large to list: the commune's page answers -----------------------------

def test_a_large_directory_opens_the_page_of_the_commune_typed(browsing: Browsing, by_commune_url: str) -> None:
    page = open_finder(browsing, by_commune_url + "trouver/")
    assert page.locator("#trouver-liste").count() == 0
    page.get_by_label("Votre commune ou code postal").fill("chatelerault")  # misspelt
    page.get_by_role("button", name="Voir les lieux").click()
    page.wait_for_url("**/communes/chatellerault/")
    expect(page.locator("h1")).to_contain_text("Châtellerault")
    expect(page.get_by_role("link", name="Point du samedi").first).to_be_visible()


def test_a_large_directory_answers_the_home_pages_search_and_back_returns_home(
    browsing: Browsing, by_commune_url: str
) -> None:
    page = open_finder(browsing, by_commune_url)
    page.get_by_label("Votre commune ou code postal").fill("lussac les chateaux")
    page.get_by_role("button", name="Trouver un lieu").click()
    page.wait_for_url("**/communes/lussac-les-chateaux/")
    page.go_back()  # the finder was only a step: not a page that sends the reader forward again
    page.wait_for_load_state("load")
    assert page.url == by_commune_url


def test_a_large_directory_offers_each_commune_of_a_postcode_and_says_what_it_cannot_find(
    browsing: Browsing, by_commune_url: str
) -> None:
    page = open_finder(browsing, by_commune_url + "trouver/")
    field = page.get_by_label("Votre commune ou code postal")
    field.fill("Zzyzx")
    field.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Commune introuvable\u00a0: vérifiez l’orthographe ou tapez le code postal.")
    field.fill("86100")
    field.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Plusieurs communes ont ce code postal\u00a0: choisissez la vôtre.")
    expect(page.locator("#trouver-commune-trouvee")).to_contain_text("Le code postal 86100 couvre 4 communes.")
    page.locator("#trouver-commune-trouvee").get_by_role("button", name="Châtellerault").click()
    page.wait_for_url("**/communes/chatellerault/")


def test_a_large_directory_opens_the_nearest_commune_around_me(browsing: Browsing, by_commune_url: str) -> None:
    page = open_finder(browsing, by_commune_url + "trouver/")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 46.43, "longitude": 0.87})  # Montmorillon
    page.get_by_role("button", name="Autour de moi").click()
    page.wait_for_url("**/communes/montmorillon/")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_large_directory_without_javascript_says_where_the_answers_are(
    browsing: Browsing, by_commune_url: str, width: int
) -> None:
    plain = open_finder(browsing, by_commune_url + "trouver/", width=width, javascript=False)
    assert not plain.locator("#trouver-filtres").is_visible()
    plain.get_by_role("link", name="la liste des communes").click()
    plain.wait_for_url("**/territoires/#communes")
    page = open_finder(browsing, by_commune_url + "trouver/", width=width)
    expect(page.locator("#trouver-filtres")).to_be_visible()
    assert not page.locator("#trouver-sansjs").is_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert not results.response["violations"], describe(results.response["violations"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# --- Live opening status -------------------------------------------------------------------

def status_on(browsing: Browsing, url: str, moment: datetime) -> str:
    page = browsing.new_page(width=360)
    page.clock.set_fixed_time(moment)
    page.goto(url)
    status = page.locator("h1 + .annuaire-statut")
    expect(status).to_be_visible()
    return status.inner_text().strip()


@pytest.mark.parametrize(
    ("path", "moment", "expected"),
    [
        # Monday 17 March 2025, 10:00 in Paris (winter time, UTC+1).
        (HORLOGES, datetime(2025, 3, 17, 9, 0, tzinfo=UTC), "Ouvert · ferme à 12 h"),
        (SAMEDI, datetime(2025, 3, 17, 9, 0, tzinfo=UTC), "Fermé · ouvre mardi à 9 h"),
        # Sunday 23 March 2025, 15:00 and 23:00 in Paris; across the end of the week.
        (HORLOGES, datetime(2025, 3, 23, 14, 0, tzinfo=UTC), "Fermé · ouvre lundi à 9 h"),
        (NUIT, datetime(2025, 3, 23, 14, 0, tzinfo=UTC), "Fermé · ouvre à 20 h"),
        (NUIT, datetime(2025, 3, 23, 22, 0, tzinfo=UTC), "Ouvert · ferme lundi à 2 h"),
        # Friday 21 March 2025, 23:30 in Paris: open across midnight.
        (NUIT, datetime(2025, 3, 21, 22, 30, tzinfo=UTC), "Ouvert · ferme samedi à 2 h"),
        # Monday 31 March 2025, the day after the change to summer time (UTC+2).
        (HORLOGES, datetime(2025, 3, 31, 7, 30, tzinfo=UTC), "Ouvert · ferme à 12 h"),
        (HORLOGES, datetime(2025, 3, 31, 6, 30, tzinfo=UTC), "Fermé · ouvre à 9 h"),
        # Sunday 30 March 2025, 03:30 summer time, just after the change.
        (NUIT, datetime(2025, 3, 30, 1, 30, tzinfo=UTC), "Fermé · ouvre à 20 h"),
        # Sunday 26 October 2025, back to winter time: 20:30 in Paris (open until Monday 2 h).
        (NUIT, datetime(2025, 10, 26, 19, 30, tzinfo=UTC), "Ouvert · ferme lundi à 2 h"),
        (NUIT, datetime(2025, 10, 26, 18, 30, tzinfo=UTC), "Fermé · ouvre à 20 h"),
    ],
)
def test_status_with_a_fixed_clock(browsing: Browsing, finder_url: str, path: str, moment: datetime, expected: str) -> None:
    assert status_on(browsing, finder_url + path, moment) == expected


def test_status_changes_at_noon_without_reloading(browsing: Browsing, finder_url: str) -> None:
    page = browsing.new_page(width=360)
    page.clock.install(time=datetime(2025, 3, 17, 10, 59, tzinfo=UTC))  # Monday 11:59 in Paris
    page.goto(finder_url + HORLOGES)
    status = page.locator("h1 + .annuaire-statut")
    expect(status).to_have_text("Ouvert · ferme à 12 h")
    page.clock.fast_forward("02:00")  # 12:01
    expect(status).to_have_text("Fermé · ouvre à 14 h")


def test_a_long_list_shows_every_status(browsing: Browsing, finder_url: str) -> None:
    """A large département's finder lists a thousand places: the statuses are written fifty
    at a time, the page answering in between, and every card ends with its own."""
    page = browsing.new_page(width=360)
    page.clock.install(time=datetime(2025, 3, 17, 9, 0, tzinfo=UTC))  # Monday 10:00 in Paris
    page.goto(finder_url + "trouver/", wait_until="load")
    page.evaluate("""() => {
      const list = document.getElementById("trouver-liste");
      const card = list.querySelector("li[data-lieu] .annuaire-statut").closest("li");
      for (let i = 0; i < 250; i++) {
        const copy = card.cloneNode(true), status = copy.querySelector(".annuaire-statut");
        status.hidden = true;  // as the page comes from the server
        status.textContent = "";
        list.append(copy);
      }
      window.annuaireStatut.refresh();
    }""")
    statuses = page.locator("#trouver-liste .annuaire-statut")
    count = statuses.count()
    assert count > 250
    page.clock.run_for(1000)  # the page's own timers: the other batches
    expect(page.locator("#trouver-liste .annuaire-statut:visible")).to_have_count(count)
    assert all(text.startswith(("Ouvert · ", "Fermé · ")) for text in statuses.all_inner_texts())


def test_browser_status_agrees_with_opening_hours_py(browsing: Browsing, finder_url: str) -> None:
    """The script and `hours.status_at` (opening-hours-py, Europe/Paris) say the same thing
    every 47 minutes over a winter week and over both daylight-saving weeks."""
    page = open_finder(browsing, finder_url + "trouver/")
    expressions = [
        "Mo-Fr 09:00-12:00,14:00-17:00",
        "Tu-Sa 09:00-12:00",
        "We 14:00-18:00; Sa 09:30-12:30",
        "Su 20:00-24:00; Mo 00:00-02:00; Fr 20:00-02:00",
    ]
    starts = [datetime(2025, 3, 17, tzinfo=UTC), datetime(2025, 3, 24, tzinfo=UTC), datetime(2025, 10, 20, tzinfo=UTC)]
    moments = [s + timedelta(minutes=47 * n) for s in starts for n in range(7 * 24 * 60 // 47)]
    for expression in expressions:
        intervals = hours.intervals_for_browser(expression)
        texts = page.evaluate(
            "([iv, ms]) => ms.map(m => window.annuaireStatut.status(iv, new Date(m)).text)",
            [intervals, [int(m.timestamp() * 1000) for m in moments]],
        )
        for moment, text in zip(moments, texts):
            assert text == hours.status_at(expression, moment), (expression, moment.isoformat())


# --- Without JavaScript, accessibility -----------------------------------------------------

def test_finder_lists_every_place_without_javascript(browsing: Browsing, finder_url: str) -> None:
    page = open_finder(browsing, finder_url + "trouver/?samedi=1", javascript=False)
    assert len(visible_names(page)) == 5
    assert not page.locator("#trouver-filtres").is_visible()
    expect(page.locator("#trouver-sansjs")).to_contain_text("par besoin")
    assert page.locator(".annuaire-statut:visible").count() == 0
    page.get_by_role("link", name="Espace des Horloges").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(HORLOGES)
    assert page.locator(".annuaire-statut:visible").count() == 0
    assert page.locator("table.annuaire-horaires").is_visible()


def test_share_without_and_with_javascript(browsing: Browsing, finder_url: str) -> None:
    plain = open_finder(browsing, finder_url + SAMEDI, javascript=False)
    assert plain.get_by_label("Adresse de cette page").input_value().endswith(SAMEDI)
    assert not plain.get_by_role("button", name="Copier le lien").is_visible()
    assert plain.get_by_role("link", name="Envoyer par SMS").get_attribute("href").startswith("sms:?&body=Point%20du%20samedi")
    page = open_finder(browsing, finder_url + SAMEDI)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copier le lien").click()
    expect(page.locator("#partage-etat")).to_have_text("Lien copié. Vous pouvez le coller dans un message.")
    assert page.evaluate("navigator.clipboard.readText()").endswith(SAMEDI)


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", ["trouver/", "trouver/?commune=chatel&samedi=1"])
def test_real_finder_has_no_wcag_violation(browsing: Browsing, real_site_url: str, path: str, width: int) -> None:
    page = browsing.new_page(width=width)
    page.goto(real_site_url + path, wait_until="load")
    page.locator("#trouver-filtres").wait_for(state="visible")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe-core, {path} à {width} px :\n{describe(violations)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
