"""The « Données ouvertes » page in chromium: no axe violation on a phone and a desktop, and
its files really download (the CSV with the standard's header)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from annuaire.exports.standard import COLUMNS

from .conftest import Browsing
from .test_accessibility import WCAG_TAGS, WIDTHS, describe, open_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_open_data_page_is_accessible_and_its_files_download(browsing: Browsing, real_site_url: str, width: int) -> None:
    url = real_site_url + "donnees/"
    page = open_page(browsing, url, width=width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert not violations, f"axe-core, page « Données ouvertes » à {width} px :\n{describe(violations)}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    downloaded: dict[str, str] = {}
    files = {"CSV": "lieux-mediation-numerique.csv", "JSON": "lieux-mediation-numerique.json", "GeoJSON": "lieux.geojson"}
    for name, file in files.items():
        link = page.locator(f'main a[href$="donnees/{file}"]').first
        assert name in link.inner_text(), f"Le lien vers {file} ne dit pas son format."
        with page.expect_download() as info:
            link.click()
        path = info.value.path()
        assert path is not None, f"Le fichier {name} ne se télécharge pas."
        downloaded[name] = path.read_bytes().decode("utf-8")
    assert downloaded["CSV"].splitlines()[0] == ",".join(COLUMNS)
    rows = list(csv.DictReader(io.StringIO(downloaded["CSV"], newline="")))
    assert rows and len(json.loads(downloaded["JSON"])["lieux"]) == len(rows)
    assert json.loads(downloaded["GeoJSON"])["type"] == "FeatureCollection"
