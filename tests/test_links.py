"""Printed links keep working: the ledger of published paths, redirects of renamed places,
and the nearest open places shown instead of a closed one."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from annuaire.links import (
    closing_date, distance_km, is_closed, ledger_text, missing_from_site, nearest_open, normalize_path,
    read_ledger, redirect_conflicts, redirect_html, redirect_pages, redirects_for, relative_url, updated_ledger,
)
from annuaire.model import Place, build_directory
from annuaire.records import load_records
from annuaire.territory import Territory

FIXTURES = Path(__file__).parent / "fixtures" / "flyers"
PUBLIC = "https://lieux-numeriques-86.github.io/annuaire/"


@pytest.fixture(scope="module")
def places() -> dict[str, Place]:
    records, errors = load_records(FIXTURES / "places")
    assert not errors
    directory = build_directory(records, Territory.load(), FIXTURES)
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
    renamed = dataclasses.replace(
        place, slug="atelier-numerique-des-couronneries", extra={"anciennes_urls": [place.url_path]}
    )
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
    assert redirect_conflicts(places.values()) == []


def test_conflicting_old_paths_are_ignored_and_explained(places: dict[str, Place]) -> None:
    a = places["mediatheque-exemple"]
    b = dataclasses.replace(places["atelier-numerique-exemple"],
                            extra={"anciennes_urls": ["lieux/poitiers/bibliotheque-exemple/", a.url_path]})
    now = [a, b]
    assert redirects_for(now) == {}  # a live page is never hidden by a redirect
    problems = redirect_conflicts(now)
    assert len(problems) == 2
    assert any("deux fiches" in p for p in problems) and any("déjà la page" in p for p in problems)


@pytest.mark.parametrize("bad", ["https://ailleurs.fr/x/", "//ailleurs.fr/x/", "lieux/../../x/", "", "a b/"])
def test_old_paths_cannot_leave_the_site(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_path(bad)


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


def test_closed_place_is_recognized(places: dict[str, Place]) -> None:
    closed = places["ancien-point-numerique"]
    assert is_closed(closed) and closing_date(closed) == "2025-06-30"
    assert not any(is_closed(p) for p in places.values() if p is not closed)
    assert is_closed(dataclasses.replace(closed, extra={"statut": "Ferme"}))


def test_nearest_open_same_commune_then_epci_then_distance(places: dict[str, Place]) -> None:
    closed = places["ancien-point-numerique"]  # Poitiers, CU du Grand Poitiers
    suggested = [p.slug for p in nearest_open(closed, places.values(), k=10)]
    assert "ancien-point-numerique" not in suggested
    # Poitiers first (nearest first), then Grand Poitiers (without coordinates last), then by distance.
    poitiers = sorted(["mediatheque-exemple", "atelier-numerique-exemple"],
                      key=lambda s: distance_km(closed, places[s]))
    assert suggested[:2] == poitiers
    assert suggested[2:4] == ["point-numerique-exemple", "espace-public-numerique-intercommunal-des-communes-du-nord"]
    assert suggested[4:] == ["relais-numerique-exemple", "cafe-numerique-le-boeuf", "france-services-exemple"]
    assert len(nearest_open(closed, places.values())) == 3


def test_haversine_distance_is_plausible(places: dict[str, Place]) -> None:
    # Poitiers – Châtellerault: about 30 km as the crow flies.
    distance = distance_km(places["mediatheque-exemple"], places["cafe-numerique-le-boeuf"])
    assert distance is not None and 25 < distance < 35
    assert distance_km(places["mediatheque-exemple"], places["espace-public-numerique-intercommunal-des-communes-du-nord"]) is None
    assert re.fullmatch(r"lieux/[a-z0-9-]+/[a-z0-9-]+/", places["mediatheque-exemple"].url_path)
