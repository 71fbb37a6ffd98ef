"""The print pages in chromium: the HTML flyer and « Affiches à imprimer » pass axe at 360 and
1280 px, fit a small phone, and the flyer prints alone on one A5 sheet (no site header)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from .conftest import ROOT, Browsing, serve
from .test_accessibility import WCAG_TAGS, describe, open_page

pytestmark = pytest.mark.browser

PUBLIC = "https://lieux-numeriques-86.github.io/annuaire/"
WIDTHS = (360, 1280)


@pytest.fixture(scope="module")
def print_paths(real_site: Path) -> dict[str, str]:
    flyer = sorted(real_site.glob("lieux/*/*/imprimer/index.html"))[0].parent.relative_to(real_site).as_posix()
    return {"flyer": flyer + "/", "affiches": "affiches/"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["flyer", "affiches"])
def test_print_pages_have_no_wcag_violation(
    browsing: Browsing, real_site_url: str, print_paths: dict[str, str], kind: str, width: int
) -> None:
    page = open_page(browsing, real_site_url + print_paths[kind], width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe-core, page « {kind} » à {width} px :\n{describe(violations)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"« {kind} » déborde à {width} px"


def test_affiches_page_is_in_the_menu_and_reachable_from_home(browsing: Browsing, real_site_url: str) -> None:
    page = open_page(browsing, real_site_url, width=1280, javascript=False)
    page.get_by_role("link", name=re.compile("Flyers et affiches à imprimer")).click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/affiches/")
    assert page.get_by_role("link", name="Affiches à imprimer").count() >= 1


def test_html_flyer_prints_alone_on_one_a5_sheet(
    browsing: Browsing, real_site_url: str, print_paths: dict[str, str], tmp_path: Path
) -> None:
    page = open_page(browsing, real_site_url + print_paths["flyer"], width=1280, javascript=False)
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".annuaire-aide-impression").is_visible()
    pdf = tmp_path / "flyer.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and "(A5)" in info, info
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "flyer")], check=True)
    codes = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "flyer.png"))]
    assert codes == [PUBLIC + print_paths["flyer"].removesuffix("imprimer/")]


def test_place_page_qr_image_is_shown_and_scans(
    browsing: Browsing, real_site_url: str, print_paths: dict[str, str]
) -> None:
    place = print_paths["flyer"].removesuffix("imprimer/")
    page = open_page(browsing, real_site_url + place, width=360, javascript=False)
    image = page.locator(".annuaire-qr img")
    assert image.is_visible()
    codes = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))]
    assert codes == [PUBLIC + place]
    assert page.get_by_role("link", name=re.compile(r"^Flyer A5 \(PDF, \d+ Ko\)$")).is_visible()


@pytest.fixture(scope="module")
def links_site_url(tmp_path_factory: pytest.TempPathFactory):
    """The fixture records (a closed place, renamed places) built at a date after their changes."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from test_printing import build_site, project

    folder = tmp_path_factory.mktemp("liens-navigateur")
    with pytest.MonkeyPatch.context() as monkeypatch:
        site = build_site(project(folder), folder / "site", monkeypatch, folder / "cache")
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("width", WIDTHS)
def test_closed_place_page_has_no_wcag_violation(browsing: Browsing, links_site_url: str, width: int) -> None:
    page = open_page(browsing, links_site_url + "lieux/poitiers/ancien-point-numerique/", width=width)
    assert "Ce lieu a fermé le 30 juin 2025." in page.locator("main").inner_text()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert not results.response["violations"], describe(results.response["violations"])


def test_old_address_leads_to_the_new_page_without_javascript(browsing: Browsing, links_site_url: str) -> None:
    page = browsing.new_page(width=360, javascript=False)
    page.goto(links_site_url + "lieux/poitiers/bibliotheque-exemple/")
    page.wait_for_url("**/lieux/poitiers/mediatheque-exemple/")
    assert page.locator("h1").first.inner_text().strip() == "Médiathèque d’exemple"
