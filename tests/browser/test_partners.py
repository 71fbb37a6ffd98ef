"""Lists for partners' websites, in chromium: accessible at 320 and 1280 px, nothing loaded
from elsewhere, and the snippet a webmaster pastes shows the list inside their own page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import Browsing, serve
from .test_accessibility import WCAG_TAGS, describe, open_page

pytestmark = pytest.mark.browser
EMBEDS = ("integrer/departement/", "integrer/communes/adriers/", "integrer/communes/poitiers/",
          "integrer/besoins/aide-aux-demarches-administratives/")


@pytest.mark.parametrize("width", (320, 1280))
@pytest.mark.parametrize("path", EMBEDS)
def test_embed_pages_are_accessible_and_local(browsing: Browsing, real_site_url: str, path: str, width: int) -> None:
    page = open_page(browsing, real_site_url + path, width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert not results.response["violations"], describe(results.response["violations"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("header, nav, .md-header").count() == 0  # no header, no menu
    links = page.locator("a[href]")
    for index in range(links.count()):
        link = links.nth(index)
        if (link.get_attribute("href") or "").startswith("http"):
            assert link.get_attribute("target") == "_top"  # a place opens in the partner's window


# Thursday 3 December 2026 in Paris: late morning (« Ouvert · ferme à 12 h »), and the evening,
# when a status says the day and minutes of the next opening (« Fermé · ouvre vendredi à 13 h 30 »,
# two lines in a 320 px frame). The test must not pass or fail with the hour it runs at.
MOMENTS = (datetime(2026, 12, 3, 10, 0, tzinfo=UTC), datetime(2026, 12, 3, 18, 30, tzinfo=UTC))


@pytest.mark.parametrize("moment", MOMENTS, ids=("matin", "soir"))
def test_statuses_appear_without_moving_the_list(browsing: Browsing, real_site_url: str, moment: datetime) -> None:
    """A partner's page must not jump when the frame's statuses are written (layout shift counts
    against the partner's site): each status keeps its lines before the script writes it, and
    without JavaScript there is no empty line."""
    url = real_site_url + "integrer/communes/poitiers/"

    def last_card_top(page: Page) -> float:
        box = page.locator("li.lieu").last.bounding_box()
        assert box is not None
        return box["y"]

    def at_moment(page: Page) -> Page:
        page.clock.set_fixed_time(moment)
        page.goto(url, wait_until="load")
        return page

    written = at_moment(browsing.new_page(width=320))
    expect(written.locator(".statut").first).to_be_visible()
    waiting = browsing.new_page(width=320)
    waiting.route("**/statut.js?v=*", lambda route: route.abort())  # as before the script has run
    at_moment(waiting)
    assert waiting.locator(".statut").first.is_hidden()
    assert last_card_top(waiting) == last_card_top(written)
    plain = open_page(browsing, url, width=320, javascript=False)
    assert plain.locator(".statut").first.bounding_box() is None
    assert last_card_top(plain) < last_card_top(written)


def test_embed_works_without_javascript(browsing: Browsing, real_site_url: str) -> None:
    page = open_page(browsing, real_site_url + "integrer/communes/poitiers/", width=320, javascript=False)
    assert page.locator("li.lieu").count() > 5
    assert "Appeler le" in page.inner_text("body")


def test_the_snippet_shows_the_list_in_a_partner_page(browsing: Browsing, real_site: Path, tmp_path: Path) -> None:
    """The code copied from `integrer/`, pasted into a town hall's page."""
    chooser = (real_site / "integrer" / "index.html").read_text(encoding="utf-8")
    start = chooser.index("&lt;iframe src=&#34;", chooser.index('id="code-integrer-communes-adriers"'))
    assert start  # the commune's snippet is on the page, escaped in its text area
    with serve(real_site) as site_url:
        snippet = (f'<iframe src="{site_url}integrer/communes/adriers/" title="Lieux numériques" '
                   'style="width:100%;height:600px;border:0"><a href="#">Lieux</a></iframe>')
        host = tmp_path / "mairie"
        host.mkdir()
        (host / "index.html").write_text(
            f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head>'
            f"<body><h1>Mairie d’Adriers</h1>{snippet}</body></html>", encoding="utf-8")
        with serve(host) as host_url:
            page = browsing.new_page(width=1024)
            page.goto(host_url, wait_until="load")
            frame = page.frame_locator("iframe")
            frame.locator("h1").wait_for()
            assert "les plus proches d’Adriers" in frame.locator("h1").inner_text()
            assert frame.locator("li.lieu").count() == 5
