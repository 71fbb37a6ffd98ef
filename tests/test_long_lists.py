"""A directory too large to list every place on one page (`templating.LIST_MAX`, a national
import): each list of a whole territory shows its communes instead, whose pages list their
own places and the nearest. At 20,000 places « Trouver un lieu » weighed 24.5 MB and a need's
page 6 MB; a phone could neither download nor show them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import fixture_directory, fixture_settings, fixture_site

from annuaire.build import Site
from annuaire.data.vocabulary import SERVICES
from annuaire.model.directory import Directory
from annuaire.site import templating

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "finder"
PLACE_LINK = re.compile(r'href="[^"]*lieux/[a-z0-9-]+/[a-z0-9-]+/"')


@pytest.fixture(scope="module")
def directory() -> Directory:
    return fixture_directory(FIXTURE)


def built(directory: Directory, list_max: int | None) -> Site:
    with pytest.MonkeyPatch.context() as monkeypatch:
        if list_max is not None:
            monkeypatch.setattr(templating, "LIST_MAX", list_max)
        return fixture_site(directory, fixture_settings(FIXTURE))


@pytest.fixture(scope="module")
def listed(directory: Directory) -> Site:
    return built(directory, None)


@pytest.fixture(scope="module")
def too_long(directory: Directory) -> Site:
    return built(directory, 1)  # every list of two places or more is too long


def largest_epci(directory: Directory) -> str:
    return max(directory.territory.epcis, key=lambda e: len(directory.in_epci(e))).slug


def largest_service(directory: Directory) -> str:
    return max(SERVICES, key=lambda s: len(directory.with_service(s.label))).slug


def text(site: Site, path: str) -> str:
    """A generated page (by source) or file (by path) as text."""
    if path in site.pages:
        return site.pages[path].html
    content = site.files[path]
    return content if isinstance(content, str) else bytes(content).decode("utf-8")


# (what, where it is, what the reader is given instead of the places)
PAGES: list[tuple[str, Callable[[Directory], str], str]] = [
    ("« Trouver un lieu »", lambda d: "trouver/index.md", 'data-annuaire-communes="../communes/"'),
    ("tous les lieux", lambda d: "lieux/index.md", 'href="../communes/'),
    ("un besoin", lambda d: f"services/{largest_service(d)}.md", '/#au-plus-pres"'),
    ("une intercommunalité", lambda d: f"territoires/{largest_epci(d)}.md", 'href="#communes"'),
    ("liste d’un partenaire : le département", lambda d: "integrer/departement/index.html", "/trouver/"),
    ("liste d’un partenaire : un besoin", lambda d: f"integrer/besoins/{largest_service(d)}/index.html", "/trouver/"),
    ("les lieux sans SIRET des données ouvertes", lambda d: "donnees/index.md",
     'lieux sans SIRET sont trop nombreux pour cette page : ce sont les lignes du '
     '<a href="../donnees/lieux-mediation-numerique.csv" download>fichier CSV</a> dont la colonne <code>pivot</code> est vide'),
]


@pytest.mark.parametrize(("what", "where", "instead"), PAGES, ids=[row[0] for row in PAGES])
def test_a_list_too_long_for_a_page_gives_way_to_its_communes(
    directory: Directory, listed: Site, too_long: Site, what: str, where: Callable[[Directory], str], instead: str,
) -> None:
    path = where(directory)
    assert len(set(PLACE_LINK.findall(text(listed, path)))) > 1, f"{what} : la liste habituelle"
    page = text(too_long, path)
    assert PLACE_LINK.findall(page) == [], f"{what} : aucun lieu un par un"
    assert instead in page, f"{what} : ce qui remplace la liste"


def test_the_data_health_page_of_a_large_directory_has_a_page_per_intercommunality(
    directory: Directory, listed: Site, too_long: Site,
) -> None:
    """Coordinators' page: the département's section and each intercommunality's name the
    places to check. In a directory too large (at 20,000 places the page weighed 16 MB), it
    gives their figures and each intercommunality has a page that names its own, unless it
    is too large itself: its call sheet names them."""
    main = "donnees/qualite/index.md"

    def section(site: Site, anchor: str) -> str:
        return text(site, main).split(f'id="{anchor}"', 1)[1].split("<h2", 1)[0]

    epcis = [e for e in directory.territory.epcis if directory.in_epci(e)]
    largest = max(epcis, key=lambda e: len(directory.in_epci(e)))
    smallest = min(epcis, key=lambda e: len(directory.in_epci(e)))
    assert len(directory.in_epci(largest)) > 1 and len(directory.in_epci(smallest)) == 1
    assert PLACE_LINK.findall(section(listed, "departement")) and PLACE_LINK.findall(section(listed, largest.slug))
    assert not [src for src in listed.pages if src.startswith("donnees/qualite/") and src != main]

    assert PLACE_LINK.findall(text(too_long, main)) == []
    for epci in epcis:
        assert f'href="../../donnees/qualite/{epci.slug}/"' in section(too_long, epci.slug)
    own = text(too_long, f"donnees/qualite/{smallest.slug}.md")
    assert len(set(PLACE_LINK.findall(own))) == 1  # its one place, named
    too_large = text(too_long, f"donnees/qualite/{largest.slug}.md")
    assert PLACE_LINK.findall(too_large) == [] and "la fiche d’appels les nomme" in too_large
    assert 'href="../../../donnees/qualite/"' in too_large  # back to the other intercommunalities


def test_the_missing_page_points_to_the_communes_page_instead_of_its_places(listed: Site, too_long: Site) -> None:
    """`404.html` keeps, for a mistyped address, the commune it names: with its places when
    they fit in the page, else only its name (its page lists them)."""
    assert '"lieux/' in listed.not_found
    assert '"lieux/' not in too_long.not_found
    assert '"poitiers":{"nom":"Poitiers","lieux":[]}' in too_long.not_found.replace(" ", "")


def test_the_data_for_programs_keeps_every_place(directory: Directory, too_long: Site) -> None:
    """A partner's program reads the whole list as JSON, whatever its length."""
    data = json.loads(text(too_long, "integrer/departement.json"))
    assert len(data["lieux"]) == len(directory.places)
