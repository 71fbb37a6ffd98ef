"""The links of generated pages, resolved as a browser would: a link to a page or a file the
site does not publish is reported (and fails `mkdocs build --strict`)."""

from __future__ import annotations

import pytest

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
