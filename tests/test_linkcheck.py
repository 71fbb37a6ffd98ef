"""The links of generated pages, resolved as a browser would: a link to a page or a file the
site does not publish is reported (and fails `mkdocs build --strict`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annuaire.printing.cache import StoredFile
from annuaire.site.linkcheck import broken_links, site_target
from annuaire.site.templating import Page

PLACE = "lieux/poitiers/mds/"


@pytest.mark.parametrize(("page", "href", "target"), [
    (PLACE, "../../../communes/poitiers/", "communes/poitiers/"),
    (PLACE, "../../../lieux/poitiers/mds/qr.svg", "lieux/poitiers/mds/qr.svg"),
    (PLACE, "../../../", ""),
    (PLACE, "../../", "lieux/"),
    (PLACE, "qr.png", "lieux/poitiers/mds/qr.png"),
    (PLACE, "imprimer/", "lieux/poitiers/mds/imprimer/"),
    (PLACE, "../../../services/a/#horaires", "services/a/"),
    (PLACE, "../../../trouver/?besoin=demarches&amp;samedi=1", "trouver/"),
    (PLACE, "../../../communes/saint-georges-l%C3%A8s-baillargeaux/", "communes/saint-georges-lès-baillargeaux/"),
    (PLACE, "../../../communes/./poitiers/", "communes/poitiers/"),
    (PLACE, "../../../../hors-du-site/", "hors-du-site/"),  # above the root: the root, as a browser does
    (PLACE, "#horaires", None),
    (PLACE, "https://www.openstreetmap.org/", None),
    (PLACE, "tel:+33549000000", None),
    (PLACE, "mailto:contact@exemple.fr", None),
    (PLACE, "sms:?&amp;body=Bonjour", None),
    ("", "lieux/", "lieux/"),
    ("", "communes/poitiers/", "communes/poitiers/"),
    ("", "//cdn.exemple.fr/x.js", None),
])
def test_a_link_leads_where_a_browser_goes(page: str, href: str, target: str | None) -> None:
    assert site_target(page, href) == target


def test_a_link_to_a_page_the_site_does_not_publish_is_reported() -> None:
    html = ('<a href="../../../communes/poitiers/">Poitiers</a> <img src="../../../lieux/poitiers/mds/qr.svg">'
            ' <a href="../../../communes/disparue/">?</a> <a href="https://exemple.fr/">ailleurs</a>')
    page = Page("lieux/poitiers/mds.md", "MDS", html.encode())
    known = {"communes/poitiers/", "lieux/poitiers/mds/qr.svg"}
    assert broken_links([page], known) == [(PLACE, "../../../communes/disparue/")]


def test_a_page_that_passed_is_not_read_again_until_it_or_the_site_changes(tmp_path: Path) -> None:
    """After a one-line correction, only the pages that changed are read again; a page whose
    link target has gone is read and reported, even if it passed before."""
    kept = tmp_path / "pages"
    kept.mkdir()
    passed = tmp_path / "cache" / "liens-verifies.txt"

    def page(name: str, html: str) -> Page:
        data = html.encode()
        (kept / name).write_bytes(data)
        return Page(f"lieux/poitiers/{name}.md", name, StoredFile(str(kept / name), len(data), hashlib.sha256(data).hexdigest()))

    pages = [page("mds", '<a href="../../../communes/poitiers/">Poitiers</a>'), page("caf", '<a href="../../../">Accueil</a>')]
    known = {"", "communes/poitiers/"}
    assert broken_links(pages, known, passed) == []
    for name in ("mds", "caf"):
        (kept / name).unlink()  # reading a page now would fail
    assert broken_links(pages, known, passed) == []  # neither page was read

    changed = page("caf", '<a href="../../../communes/disparue/">?</a>')  # its HTML changed: read again
    assert broken_links([pages[0], changed], known, passed) == [("lieux/poitiers/caf/", "../../../communes/disparue/")]
    assert broken_links([pages[0], changed], known, passed) == [("lieux/poitiers/caf/", "../../../communes/disparue/")]

    again = page("mds", '<a href="../../../communes/poitiers/">Poitiers</a>')  # the same page as before
    assert broken_links([again], {""}, passed) == [("lieux/poitiers/mds/", "../../../communes/poitiers/")]
