"""The theme's stylesheet as published, cut down to what the pages use
(`annuaire/site/stylesheet.py`): the pages must look exactly as with the theme's whole one."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from material import templates
from playwright.sync_api import Route

from annuaire.site.stylesheet import UsedNames

from .conftest import Browsing

pytestmark = pytest.mark.browser

THEME_STYLES = Path(templates.__file__).parent / "assets" / "stylesheets"


def theme_stylesheet() -> Path:
    [original] = THEME_STYLES.glob("main.*.min.css")
    return original


def styles(css: str, name: str) -> bool:
    return re.search(rf"\.{re.escape(name)}(?![\w-])", css) is not None


def test_every_class_the_pages_use_keeps_its_rules(real_site: Path) -> None:
    original = theme_stylesheet()
    names = UsedNames()
    for page in real_site.rglob("*.html"):
        names.add_page(page.read_bytes())
    full = original.read_text()
    cut = (real_site / "assets" / "stylesheets" / original.name).read_text()
    styled = {name for name in names.classes if styles(full, name)}
    assert len(styled) > 20, "les pages n’ont presque aucune classe du thème ?"
    assert not sorted(name for name in styled if not styles(cut, name))
    # The reason for all this: what a phone waits for before showing a page.
    assert len(gzip.compress(cut.encode())) < len(gzip.compress(full.encode())) / 2


def test_pages_look_the_same_as_with_the_whole_theme_stylesheet(real_site: Path, published_site_url: str,
                                                                 browsing: Browsing) -> None:
    """Screenshots of each kind of page, whole, at 360 and 1280 px, with the published
    stylesheet and with the theme's: the same pixels. Without JavaScript, so that nothing
    but the stylesheet differs (the status « ouvert » follows the clock)."""
    original = theme_stylesheet()
    place = sorted((real_site / "lieux").glob("*/*/index.html"))[0].parent.relative_to(real_site).as_posix()
    commune = sorted((real_site / "communes").glob("*/index.html"))[0].parent.relative_to(real_site).as_posix()
    paths = ["", f"{place}/", f"{commune}/", "couverture/", "accessibilite/", "affiches/", "404.html"]
    whole = original.read_bytes()
    differing = []
    replaced: list[str] = []  # what the whole stylesheet was given for: the test compares something
    for width in (360, 1280):
        shots = {}
        for kind in ("publiée", "entière"):
            page = browsing.new_page(width=width, javascript=False)
            if kind == "entière":  # the theme's whole stylesheet, at its address and version
                def whole_sheet(route: Route) -> None:
                    replaced.append(route.request.url)
                    route.fulfill(body=whole, content_type="text/css")

                page.route(re.compile(rf"/assets/stylesheets/{re.escape(original.name)}(\?v=[0-9a-f]+)?$"), whole_sheet)
            for path in paths:
                page.goto(published_site_url + path, wait_until="networkidle")
                shots[kind, path] = page.screenshot(full_page=True, animations="disabled", caret="hide")
            # The place page as printed, and (on a phone) with its menu open: states of the page
            # that only the stylesheet makes.
            page.goto(published_site_url + f"{place}/", wait_until="networkidle")
            page.emulate_media(media="print")
            shots[kind, "impression"] = page.screenshot(full_page=True, animations="disabled")
            page.emulate_media(media="screen")
            if width == 360:
                page.locator("label.md-header__button[for=__drawer]").click()
                shots[kind, "menu"] = page.screenshot(animations="disabled")
        states = [*paths, "impression", *(["menu"] if width == 360 else [])]
        differing += [f"{width} px /{path}" for path in states if shots["publiée", path] != shots["entière", path]]
    assert len(replaced) >= len(paths), replaced
    assert not differing, f"pages qui changent d’aspect avec la feuille de style réduite : {differing}"
