"""QR codes to place pages, read back by a real decoder (zxing-cpp) as a phone would read them:
from the PNG, and from the SVG drawn by chromium."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
import zxingcpp
from PIL import Image
from support import fixture_directory

from annuaire.model.places import Place
from annuaire.printing.qr import QUIET_ZONE, make_qr, qr_modules, qr_png, qr_svg
from annuaire.settings import SettingsError, load_settings, public_base

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "flyers"
PUBLIC = "https://lieux-numeriques-86.github.io/annuaire/"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def places() -> dict[str, Place]:
    return {p.slug: p for p in fixture_directory(FIXTURES, today=date(2025, 8, 1)).places}


def place_url(public_url: str, place: Place) -> str:
    """The address a place's QR code carries: the public base (checked) and the page path."""
    return public_base(public_url) + place.url_path


def decode(image: Image.Image) -> list[str]:
    """Texts of the QR codes zxing-cpp finds in `image`."""
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_place_url_is_the_public_page_of_the_place(places: dict[str, Place]) -> None:
    place = places["mediatheque-exemple"]
    assert place_url(PUBLIC, place) == PUBLIC + "lieux/poitiers/mediatheque-exemple/"
    # The base URL may be written without its final slash.
    assert place_url(PUBLIC.rstrip("/"), place) == PUBLIC + "lieux/poitiers/mediatheque-exemple/"


@pytest.mark.parametrize(
    "dev_url",
    ["http://127.0.0.1:8000/", "http://localhost:8000/annuaire/", "http://0.0.0.0:8000/", "http://192.168.1.20/",
     "http://[::1]:8000/", "lieux-numeriques-86.github.io/annuaire/"],
)
def test_a_printed_code_never_leads_to_a_development_server(dev_url: str, places: dict[str, Place]) -> None:
    with pytest.raises(ValueError):
        place_url(dev_url, places["mediatheque-exemple"])
    with pytest.raises(ValueError):
        public_base(dev_url)
    with pytest.raises(SettingsError, match="public_url"):  # the build refuses it at once
        load_settings({"public_url": dev_url}, config_dir=ROOT, site_url=None, repo_url="https://github.com/e/a")


def test_png_decodes_to_the_public_url_of_each_place(places: dict[str, Place]) -> None:
    for place in places.values():
        url = place_url(PUBLIC, place)
        image = Image.open(io.BytesIO(qr_png(url)))
        assert decode(image) == [url], place.slug


def test_png_has_a_white_quiet_zone_of_four_modules(places: dict[str, Place]) -> None:
    url = place_url(PUBLIC, places["cafe-numerique-le-boeuf"])
    scale = 6
    image = Image.open(io.BytesIO(qr_png(url, scale=scale))).convert("L")
    modules = len(qr_modules(url))
    assert image.width == image.height == (modules + 2 * QUIET_ZONE) * scale
    border = QUIET_ZONE * scale
    width = image.width
    for x in range(width):
        for y in list(range(border)) + list(range(width - border, width)):
            assert image.getpixel((x, y)) == 255 and image.getpixel((y, x)) == 255
    # …and the symbol starts right after it (the finder pattern's corner is dark).
    assert image.getpixel((border, border)) == 0


def test_png_and_svg_are_deterministic(places: dict[str, Place]) -> None:
    url = place_url(PUBLIC, places["mediatheque-exemple"])
    assert qr_png(url) == qr_png(url)
    assert qr_svg(url) == qr_svg(url)
    assert b"tIME" not in qr_png(url)  # no timestamp chunk


def test_error_correction_is_at_least_m(places: dict[str, Place]) -> None:
    for place in places.values():
        assert make_qr(place_url(PUBLIC, place)).error in ("M", "Q", "H")


def test_svg_scales_has_white_background_and_a_french_title() -> None:
    url = "https://exemple.fr/annuaire/lieux/poitiers/a?b=<c>&d=1"
    svg = qr_svg(url)
    root = ElementTree.fromstring(svg)  # well-formed XML, special characters escaped
    assert root.tag == f"{SVG_NS}svg"
    assert "width" not in root.attrib and "height" not in root.attrib
    size = len(qr_modules(url)) + 2 * QUIET_ZONE
    assert root.attrib["viewBox"] == f"0 0 {size} {size}"
    assert root.attrib["role"] == "img"
    assert root.find(f"{SVG_NS}title").text == f"QR code vers {url}"
    background = root.find(f"{SVG_NS}path")
    assert background.attrib["fill"] == "#fff"
    assert re.fullmatch(rf"M0 0h{size}v{size}h-{size}z", background.attrib["d"])


def _chromium_screenshots(pages: list[str]) -> list[bytes]:
    """Screenshots of element `#qr` in each HTML page, drawn by Debian's chromium."""
    if not CHROMIUM.exists():
        pytest.skip("pas de /usr/bin/chromium pour dessiner le SVG (paquet Debian chromium : ./scripts/bootstrap --browser)")
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 420, "height": 420})
            for html in pages:
                page.set_content(html)
                shots.append(page.locator("#qr").screenshot())
        finally:
            browser.close()
    return shots


def test_svg_drawn_by_chromium_decodes_to_the_public_url(places: dict[str, Place]) -> None:
    longest = max(places.values(), key=lambda p: len(p.url_path))
    urls = [place_url(PUBLIC, longest), place_url(PUBLIC, places["mediatheque-exemple"])]
    shots = _chromium_screenshots([
        # On a dark page: the SVG brings its own white background and quiet zone.
        f'<body style="margin:0;background:#333"><div id="qr" style="width:360px">{qr_svg(urls[0])}</div></body>',
        # Small, as on a phone screen.
        f'<body style="margin:0"><div id="qr" style="width:160px">{qr_svg(urls[1])}</div></body>',
    ])
    for url, png in zip(urls, shots):
        assert decode(Image.open(io.BytesIO(png))) == [url]


def test_error_correction_is_raised_when_the_address_leaves_room() -> None:
    # 19 characters need a 25-module symbol at level M, where level Q fits too (H does not):
    # the code keeps its size and survives more dirt.
    assert make_qr("https://exemple.fr/").error == "Q"
    assert len(make_qr("https://exemple.fr/").modules) == 25
