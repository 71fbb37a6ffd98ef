"""Printed links keep working: the ledger of published paths, redirects of renamed places,
and the nearest open places shown instead of a closed one."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import fixture_directory

from annuaire.data.geo import km_between
from annuaire.data.ledger import ledger_entry, ledger_text, missing_from_site, read_ledger, updated_ledger
from annuaire.data.records import parse_record
from annuaire.model.directory import Directory
from annuaire.model.directory import redirects_of as redirects_for
from annuaire.model.nearest import alternatives, place_position
from annuaire.model.places import Place, place_from_record
from annuaire.site.redirects import redirect_html, redirect_pages
from annuaire.urls import every_place_files, normalize_path, relative_url

FIXTURES = Path(__file__).parent / "fixtures" / "flyers"
PUBLIC = "https://lieux-numeriques-86.github.io/annuaire/"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return fixture_directory(FIXTURES, today=date(2025, 8, 1))


@pytest.fixture(scope="module")
def places(directory: Directory) -> dict[str, Place]:
    return {p.slug: p for p in directory.places + directory.closed}


def site_paths(places: list[Place]) -> list[str]:
    """What a build serves: one page per place plus one redirect page per old path."""
    return [p.url_path for p in places] + list(redirects_for(places))


def test_ledger_reads_sorted_normalized_paths_and_ignores_comments(tmp_path: Path) -> None:
    ledger = tmp_path / "urls-publiees.txt"
    ledger.write_text("# commentaire\n\nlieux/poitiers/b/\n/lieux/poitiers/a\nlieux/poitiers/b/\n", encoding="utf-8")
    assert read_ledger(ledger) == ["lieux/poitiers/a/", "lieux/poitiers/b/"]
    assert read_ledger(tmp_path / "absent.txt") == []
    # What the build writes back reads the same.
    ledger.write_text(ledger_text(["lieux/poitiers/b/", "/lieux/poitiers/a"]), encoding="utf-8")
    assert read_ledger(ledger) == ["lieux/poitiers/a/", "lieux/poitiers/b/"]


def test_a_published_path_no_longer_served_is_reported(places: dict[str, Place]) -> None:
    current = list(places.values())
    ledger = updated_ledger([], [p.url_path for p in current])
    assert missing_from_site(ledger, site_paths(current)) == []
    # A record deleted (or its file renamed) without `anciennes_urls`: its printed link breaks.
    without = [p for p in current if p.slug != "atelier-numerique-exemple"]
    assert missing_from_site(ledger, site_paths(without)) == ["lieux/poitiers/atelier-numerique-exemple/"]


def test_a_renamed_place_keeps_its_old_path_through_a_redirect(places: dict[str, Place]) -> None:
    place = places["atelier-numerique-exemple"]
    ledger = updated_ledger([], [p.url_path for p in places.values()])
    renamed = dataclasses.replace(place, slug="atelier-numerique-des-couronneries", anciennes_urls=(place.url_path,))
    now = [p for p in places.values() if p is not place] + [renamed]
    redirects = redirects_for(now)
    assert redirects[place.url_path] == "lieux/poitiers/atelier-numerique-des-couronneries/"
    assert missing_from_site(ledger, site_paths(now)) == []
    # The ledger keeps the old path and learns the new one; nothing is ever removed.
    new_ledger = updated_ledger(ledger, [p.url_path for p in now])
    assert place.url_path in new_ledger and renamed.url_path in new_ledger
    assert new_ledger == sorted(new_ledger) and set(ledger) <= set(new_ledger)


def test_redirects_from_fixture_records(places: dict[str, Place]) -> None:
    assert redirects_for(places.values()) == {
        "lieux/poitiers/bibliotheque-exemple/": "lieux/poitiers/mediatheque-exemple/",
        "lieux/saint-georges-les-baillargeaux/epn-saint-georges/":
            "lieux/saint-georges-les-baillargeaux/espace-public-numerique-intercommunal-des-communes-du-nord/",
    }


def test_conflicting_old_paths_are_ignored(places: dict[str, Place]) -> None:
    """The validation explains them (`test_links_site.py`); a build never follows them."""
    a = places["mediatheque-exemple"]
    b = dataclasses.replace(places["atelier-numerique-exemple"],
                            anciennes_urls=("lieux/poitiers/bibliotheque-exemple/", a.url_path))
    now = [a, b]
    assert redirects_for(now) == {}  # a live page is never hidden by a redirect


@pytest.mark.parametrize("bad", ["https://ailleurs.fr/x/", "//ailleurs.fr/x/", "lieux/../../x/", "", "a b/"])
def test_old_paths_cannot_leave_the_site(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_path(bad)


@pytest.mark.parametrize(("line", "entry"), [
    ("lieux/poitiers/mds", "lieux/poitiers/mds/"),  # a page: the form of place paths
    ("/lieux/poitiers/mds/", "lieux/poitiers/mds/"),
    ("lieux/*/*/flyer-a5.pdf", "lieux/*/*/flyer-a5.pdf"),  # a file of every place: as written
    ("  lieux/*/*/imprimer/ ", "lieux/*/*/imprimer/"),
    ("lieux/*/*/", None),  # no file named
    ("lieux/*/*/../x.pdf", None),
    ("lieux/*/*/a/b.pdf", None),
    ("lieux/*/*/https://ailleurs.fr/", None),
])
def test_ledger_lines_are_pages_or_files_of_every_place(line: str, entry: str | None) -> None:
    if entry is None:
        with pytest.raises(ValueError):
            ledger_entry(line)
    else:
        assert ledger_entry(line) == entry


def test_files_of_every_place_with_and_without_pdfs() -> None:
    assert every_place_files(True) == [
        "lieux/*/*/imprimer/", "lieux/*/*/flyer-a5.pdf", "lieux/*/*/affiche-a4.pdf", "lieux/*/*/deux-flyers-a4.pdf",
        "lieux/*/*/qr.svg", "lieux/*/*/qr.png",
    ]
    assert every_place_files(False) == ["lieux/*/*/imprimer/", "lieux/*/*/qr.svg", "lieux/*/*/qr.png"]
    # The ledger of a site that made PDFs for each place, read against one that does not.
    ledger = updated_ledger(["lieux/poitiers/mds/"], every_place_files(True))
    assert missing_from_site(ledger, ["lieux/poitiers/mds/", *every_place_files(False)]) == [
        "lieux/*/*/affiche-a4.pdf", "lieux/*/*/deux-flyers-a4.pdf", "lieux/*/*/flyer-a5.pdf",
    ]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_redirect_page_works_without_javascript() -> None:
    target = PUBLIC + "lieux/poitiers/mediatheque-exemple/"
    html = redirect_html(target)
    page = _Page()
    page.feed(html)
    tags = page.tags
    assert ("html", {"lang": "fr"}) in tags
    assert ("meta", {"http-equiv": "refresh", "content": f"0; url={target}"}) in tags
    assert ("link", {"rel": "canonical", "href": target}) in tags
    assert ("a", {"href": target}) in tags
    assert "Cette page a déménagé" in "".join(page.text)
    assert "<script" not in html


def test_redirect_page_escapes_its_target() -> None:
    html = redirect_html('https://e.fr/"><script>alert(1)</script>')
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


def test_redirect_pages_relative_and_absolute(places: dict[str, Place]) -> None:
    redirects = redirects_for(places.values())
    relative = redirect_pages(redirects)
    html = relative["lieux/poitiers/bibliotheque-exemple/index.html"]
    assert 'href="../../../lieux/poitiers/mediatheque-exemple/"' in html
    absolute = redirect_pages(redirects, PUBLIC)
    assert f'href="{PUBLIC}lieux/poitiers/mediatheque-exemple/"' in absolute[
        "lieux/poitiers/bibliotheque-exemple/index.html"]
    assert relative_url("lieux/a/b/", "lieux/c/d/") == "../../../lieux/c/d/"


def test_closed_place_is_recognized(directory: Directory, places: dict[str, Place]) -> None:
    closed = places["ancien-point-numerique"]
    assert closed.closed and closed.date_fermeture == date(2025, 6, 30)
    assert not any(p.closed for p in places.values() if p is not closed)
    assert directory.closed == (closed,) and closed not in directory.places
    # `statut` is read loosely: accents and case do not matter.
    record = parse_record((FIXTURES / "places" / "poitiers" / "ancien-point-numerique.yml").read_text(encoding="utf-8")
                          .replace("statut: fermé", "statut: Ferme"), FIXTURES / "places" / "poitiers" / "a.yml")
    assert place_from_record(record, directory.territory, FIXTURES).closed


def test_alternatives_to_a_closed_place_are_the_nearest_open_ones(directory: Directory, places: dict[str, Place]) -> None:
    closed = places["ancien-point-numerique"]  # Poitiers, CU du Grand Poitiers
    suggested = [p.slug for p in alternatives(closed, directory.places, directory.territory, k=10)]
    assert "ancien-point-numerique" not in suggested
    # Nearest first, as the crow flies; a place without coordinates counts at its town hall.
    assert suggested == [
        "mediatheque-exemple", "atelier-numerique-exemple", "point-numerique-exemple",
        "espace-public-numerique-intercommunal-des-communes-du-nord", "relais-numerique-exemple",
        "cafe-numerique-le-boeuf", "france-services-exemple",
    ]
    origin = place_position(closed, directory.territory)
    distances = [km_between(origin, place_position(places[s], directory.territory)) for s in suggested]
    assert distances == sorted(distances)
    assert len(alternatives(closed, directory.places, directory.territory)) == 3


def test_haversine_distance_is_plausible(places: dict[str, Place]) -> None:
    # Poitiers – Châtellerault: about 30 km as the crow flies.
    a, b = places["mediatheque-exemple"], places["cafe-numerique-le-boeuf"]
    assert a.latitude and a.longitude and b.latitude and b.longitude
    assert 25 < km_between((a.latitude, a.longitude), (b.latitude, b.longitude)) < 35
    assert places["espace-public-numerique-intercommunal-des-communes-du-nord"].latitude is None
    assert re.fullmatch(r"lieux/[a-z0-9-]+/[a-z0-9-]+/", places["mediatheque-exemple"].url_path)
