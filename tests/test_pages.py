"""Generated pages, rendered without MkDocs: what a resident reads on a place page, and
that nothing a record contains can become markup or a script link."""

from __future__ import annotations

import dataclasses
import html as html_module
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from support import TERRITORY_FILE, fixture_directory, fixture_settings, fixture_site

from annuaire.data.records import load_records
from annuaire.data.reference import load_reference
from annuaire.data.territory import Territory
from annuaire.model.directory import Directory
from annuaire.model.places import Place, place_from_record
from annuaire.site.templating import Page
from annuaire.urls import leaf_source

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "site"
BUILD_DATE = date(2025, 1, 15)


def unchecked_directory(root: Path) -> Directory:
    """Places built from records that were NOT validated: rendering must stay safe even then."""
    records, syntax_errors = load_records(root / "places")
    assert not syntax_errors
    territory = Territory.load(TERRITORY_FILE)
    places = sorted((place_from_record(r, territory, root) for r in records), key=lambda p: p.sort_key)
    return Directory(tuple(places), territory, reference=load_reference(fixture_settings(root)))


def place_src_uri(place: Place) -> str:
    return leaf_source(place.url_path)


@pytest.fixture(scope="module")
def fixture_pages() -> tuple[Directory, dict[str, Page]]:
    directory = fixture_directory(FIXTURE)
    return directory, fixture_site(directory, fixture_settings(FIXTURE)).pages


def place_named(directory: Directory, name: str) -> Place:
    return next(p for p in directory.places if p.nom == name)


def split_page(page: Page) -> tuple[dict, str]:
    """What the theme reads of the page (as a Markdown page's front matter) and its HTML body."""
    return page.meta(), page.html


def as_html(page: Page) -> str:
    """The HTML MkDocs puts in the page."""
    return page.html


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_place_page_shows_phone_hours_and_source(fixture_pages):
    directory, pages = fixture_pages
    place = place_named(directory, "Espace numérique des Tilleuls")
    content = pages[place_src_uri(place)]
    front, _ = split_page(content)
    html = as_html(content)
    text = text_of(html)

    assert front["title"] == "Espace numérique des Tilleuls"
    assert '<a href="tel:+33549000012">05 49 00 00 12</a>' in html
    # Hours: a table with a caption and one row per day, in French.
    assert "<caption>" in html
    tuesday = re.search(r'<th scope="row">Mardi</th><td>(.*?)</td>', html)
    assert tuesday and re.sub(r"<[^>]+>", "", tuesday.group(1)) == "9 h 30 – 12 h 30, 14 h – 18 h"
    # Each interval is kept on one line on a narrow phone ("16 h" / "30" split is misread).
    assert '<span class="annuaire-insecable">9 h 30 – 12 h 30</span>' in tuesday.group(1)
    assert re.search(r'<th scope="row">Samedi</th><td>Fermé</td>', html)
    # Services in plain words, cost, how.
    assert "Être aidé pour faire une démarche en ligne" in text
    assert "Avec une personne qui vous aide" in text
    assert ("Informations issues de Conseillers numériques (ANCT) du 4 novembre 2024 (il y a 2 mois), "
            "jamais vérifiées auprès du lieu.") in text
    # A recent record carries no warning.
    assert "informations anciennes" not in text
    # Map links are plain links to OpenStreetMap (nothing is loaded on view).
    assert 'href="https://www.openstreetmap.org/directions?to=46.5802,0.3404"' in html
    # The only image is the place's own QR code, a file of the site (issue 3).
    assert "<iframe" not in html and not re.search(r'<img (?!src="(?:\.\./)+lieux/[a-z0-9-]+/[a-z0-9-]+/qr\.svg")', html)
    # Record text is never read as Markdown.
    assert "*des étoiles*" in text and "<em>" not in html


def test_place_page_links_to_report_and_edit(fixture_pages):
    directory, pages = fixture_pages
    place = place_named(directory, "Espace numérique des Tilleuls")
    html = as_html(pages[place_src_uri(place)])
    assert (
        'href="https://github.com/exemple/annuaire/edit/main/places/poitiers/espace-numerique-des-tilleuls.yml"'
        in html
    )
    report = re.search(r'href="([^"]+)">Signaler une erreur sur GitHub<', html).group(1).replace("&amp;", "&")
    assert report.startswith("https://github.com/exemple/annuaire/issues/new?template=signaler-une-erreur.yml&")
    assert "lieu=Espace%20num%C3%A9rique%20des%20Tilleuls" in report
    assert "url=https%3A%2F%2Fexemple.github.io%2Fannuaire%2Flieux%2Fpoitiers%2Fespace-numerique-des-tilleuls%2F" in report
    # The same report without a GitHub account: an e-mail to the directory, already filled in.
    mail = re.search(r'href="([^"]+)">Signaler une erreur par e-mail<', html).group(1).replace("&amp;", "&")
    assert mail.startswith("mailto:annuaire@exemple.fr?subject=Erreur%20sur%20la%20fiche%20%3A%20Espace%20num")
    assert "espace-numerique-des-tilleuls" in mail
    # Links to the commune and EPCI pages, relative so the site works under any base path.
    assert 'href="../../../communes/poitiers/"' in html
    assert 'href="../../../territoires/cu-du-grand-poitiers/"' in html


def test_place_without_hours_and_old_information(fixture_pages):
    directory, pages = fixture_pages
    place = place_named(directory, "Médiathèque des Essais")
    text = text_of(as_html(pages[place_src_uri(place)]))
    assert "Horaires non renseignés — appelez avant de venir" in text
    assert "<table" not in pages[place_src_uri(place)].html
    assert "Informations du 1er juin 2023, il y a 1 an et 7 mois : appelez avant de venir." in text
    assert "Tout public" not in text  # no public given: nothing is said, never a default


def test_commune_pages_show_white_zones_with_the_epci_places(fixture_pages):
    directory, pages = fixture_pages
    assert len([uri for uri in pages if uri.startswith("communes/")]) == len(directory.territory.communes)
    # Migné-Auxances is in Grand Poitiers and has no place in the fixture.
    text = text_of(as_html(pages["communes/migne-auxances.md"]))
    assert "Aucun lieu recensé dans cette commune." in text
    assert "Point numérique du Moulin" in text  # a place of the same EPCI (Buxerolles)
    # Nearest first, across EPCI borders: Gençay (another EPCI, 29 km) comes after Buxerolles.
    assert text.index("Point numérique du Moulin") < text.index("France services des Exemples")
    epci = text_of(as_html(pages["territoires/cu-du-grand-poitiers.md"]))
    assert "Migné-Auxances : aucun lieu recensé" in epci
    assert "Poitiers : 2 lieux" in epci


def test_service_page_groups_places_by_territory(fixture_pages):
    _, pages = fixture_pages
    html = as_html(pages["services/aide-aux-demarches-administratives.md"])
    text = text_of(html)
    assert "Espace numérique des Tilleuls" in text and "France services des Exemples" in text
    assert "Médiathèque des Essais" not in text
    assert text.index("Communauté de communes du Civraisien en Poitou") < text.index("France services des Exemples")
    home = text_of(as_html(pages["index.md"]))
    assert "Faire une démarche en ligne" in home and "Communauté urbaine du Grand Poitiers" in home


HOSTILE = """\
id: test-hostile
nom: Lieu <script>alert('nom')</script>
adresse: <img src=x onerror=alert('adresse')>
code_postal: '86000'
commune: Poitiers
code_insee: '86194'
telephone: javascript:alert(1)
courriels:
  - 'x@exemple.fr" onmouseover="alert(1)'
site_web:
  - javascript:alert('site')
  - 'https://exemple.fr/" onclick="alert(1)'
prise_rdv: JaVaScRiPt:alert('rdv')
fiche_acces_libre: data:text/html,<script>alert(1)</script>
presentation_detail: |-
  [clic](javascript:alert('md'))
  <a href="javascript:alert('html')">lien</a>
services:
  - <b>Service</b>
horaires: Mo 09:00-12:00
source: <svg onload=alert(1)>
date_maj: '2024-08-01'
"""


def test_hostile_record_text_is_escaped_and_never_linked(tmp_path):
    folder = tmp_path / "places" / "poitiers"
    folder.mkdir(parents=True)
    (folder / "lieu-hostile.yml").write_text(HOSTILE, encoding="utf-8")
    directory = unchecked_directory(tmp_path)
    pages = fixture_site(directory, fixture_settings(tmp_path)).pages
    content = pages["lieux/poitiers/lieu-hostile.md"]
    front, _ = split_page(content)
    html = as_html(content)

    assert "<" not in front["title"] and ">" not in front["title"]
    assert "&lt;script&gt;" in html
    for page in pages.values():
        page_html = as_html(page)
        # Coverage maps and their legend are drawn from the territory's outlines and names
        # (commune names only, escaped): set them aside too, after checking they hold no tag.
        for svg in re.findall(r'<svg class="annuaire-(?:carte-svg|pastille)".*?</svg>', page_html, flags=re.S):
            assert "<script" not in svg.lower() and not re.search(r"<[^>]+\son\w+=", svg)
        page_html = re.sub(r'<svg class="annuaire-(?:carte-svg|pastille)".*?</svg>', "", page_html, flags=re.S)
        # The finder and the map load the site's own scripts and the communes (no record text).
        page_html = re.sub(r'<script (?:type="module" )?src="(?:\.\./)+assets/annuaire/[a-z/.]+"></script>', "", page_html)
        page_html = re.sub(r'<script type="application/json" id="trouver-communes-data">[^<]*</script>', "", page_html)
        assert "<script" not in page_html.lower()
        # The only images allowed are QR codes, files of the site built from slugs (issue 3); a
        # print page shows its place's (`../qr.svg`).
        assert not re.search(
            r'<img (?!src="(?:(?:\.\./)+(?:lieux/[a-z0-9-]+/[a-z0-9-]+/qr|affiches/qr-accueil)|\.\./qr)\.svg")', page_html
        )
        assert "<svg" not in page_html and "<b>" not in page_html
        assert not re.search(r"<[^>]+\son\w+=", page_html), "an event handler attribute leaked"
        hrefs = re.findall(r'href="([^"]*)"', page_html)
        site_links = ("../", "#", "lieux/", "communes/", "territoires/", "services/", "affiches/", "couverture/", "donnees/")
        # `sms:?&body=` is the "Envoyer par SMS" link of the share slot (issue 4).
        assert all(h.startswith(("https://", "tel:", "mailto:", "sms:?&amp;body=", *site_links)) for h in hrefs), hrefs
        assert not any(h.strip().lower().startswith(("javascript:", "data:")) for h in hrefs)
    # The hostile values stay visible as text.
    assert "javascript:alert(&#39;site&#39;)" in html


def test_sms_carries_name_address_phone_and_hours_with_apostrophes_and_ampersands(tmp_path):
    """A social worker sends the place by SMS: it must read right on the phone that gets it."""
    record = (FIXTURE / "places" / "poitiers" / "espace-numerique-des-tilleuls.yml").read_text(encoding="utf-8")
    record = record.replace("nom: Espace numérique des Tilleuls", "nom: \"L'Atelier d'Émile & Cie\"")
    record = record.replace("adresse: 12 rue des Tilleuls", "adresse: 12 rue de l'Église")
    folder = tmp_path / "places" / "poitiers"
    folder.mkdir(parents=True)
    (folder / "atelier-d-emile.yml").write_text(record, encoding="utf-8")
    directory = fixture_directory(tmp_path)
    page = fixture_site(directory, fixture_settings(tmp_path)).pages["lieux/poitiers/atelier-d-emile.md"]
    href = re.search(r'href="(sms:\?&amp;body=[^"]+)"', page.html).group(1)
    body = unquote(html_module.unescape(href).split("body=", 1)[1])
    assert body.splitlines() == [
        "L'Atelier d'Émile & Cie",
        "12 rue de l'Église, 86000 Poitiers",
        "Tél. 05 49 00 00 12",
        "Horaires : lun. 9h30-12h30 ; mar. 9h30-12h30, 14h-18h ; mer.-jeu. 9h30-12h30, 14h-17h ; ven. 9h30-12h30",
        "https://exemple.github.io/annuaire/lieux/poitiers/atelier-d-emile/",
    ]
    assert 'href="geo:46.5802,0.3404"' in page.html  # the phone's own map application


def test_place_page_says_what_happens_on_public_holidays(fixture_pages):
    directory, pages = fixture_pages
    text = text_of(as_html(pages[place_src_uri(place_named(directory, "Espace numérique des Tilleuls"))]))
    assert "Jours fériés : fermé en général (la fiche ne le précise pas) — appelez pour vérifier." in text


def test_home_promises_only_needs_some_place_meets(tmp_path):
    """No fixture place sells or repairs devices: the home page says so plainly, links no empty
    page, and invites such places to be listed."""
    directory = fixture_directory(FIXTURE)
    without = [p for p in directory.places if "Acquisition de matériel informatique à prix solidaire" not in p.services]
    directory = dataclasses.replace(directory, places=tuple(without))
    home = fixture_site(directory, fixture_settings(FIXTURE)).pages["index.md"].html
    text = text_of(home)
    assert "Trouver un ordinateur à petit prix : aucun lieu n’est recensé pour le moment." in text
    assert 'href="services/acquisition-de-materiel-informatique-a-prix-solidaire/"' not in home
    assert "Proposez-le" in text and "annuaire@exemple.fr" in text
    assert 'href="services/aide-aux-demarches-administratives/"' in home


def test_pages_made_on_every_core_are_the_pages_made_on_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Place, commune and print pages are rendered by forked processes in a large directory:
    the site must be the same, page for page and in the same order (sitemap, search)."""
    from annuaire import workers

    directory = fixture_directory(FIXTURE)
    monkeypatch.setattr(workers, "MAP_FROM", 10**9)
    one = fixture_site(directory, fixture_settings(FIXTURE, cache_dir=tmp_path / "one"))
    monkeypatch.setattr(workers, "MAP_FROM", 2)
    every = fixture_site(directory, fixture_settings(FIXTURE, cache_dir=tmp_path / "every"))
    assert list(every.pages) == list(one.pages)
    assert len(directory.places) > 2 and len(directory.territory.communes) > 2
    for src_uri, page in one.pages.items():
        assert every.pages[src_uri].html == page.html, src_uri
    # The partners' lists (HTML and JSON), made on every core too.
    lists = [path for path in one.files if path.startswith("integrer/")]
    assert len(lists) > 4 and [p for p in every.files if p.startswith("integrer/")] == lists
    for path in lists:
        assert bytes(every.files[path]) == bytes(one.files[path]), path


def test_a_page_that_fails_in_a_forked_process_stops_the_build() -> None:
    from annuaire import workers

    def make(n: int) -> int:
        if n == 7:
            raise ValueError("fiche 7 illisible")
        return n * n

    assert list(workers.each(make, range(6), at_least=2)) == [0, 1, 4, 9, 16, 25]
    with pytest.raises(ValueError, match="fiche 7 illisible"):
        list(workers.each(make, range(10), at_least=2))
