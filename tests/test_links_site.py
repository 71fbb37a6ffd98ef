"""Printed links never break, on a real build of the fixture site: a renamed place keeps its
old address (redirect page, no JavaScript), a deleted record stops the build with a French
message saying what to do, a closed place keeps its page, and new places never block."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from support import ROOT, fixture_problems
from test_printing import build_site, forget_place_pdfs, project

from annuaire.problems import errors
from annuaire.settings import SettingsError, load_settings

CLOSED = "lieux/poitiers/ancien-point-numerique/"


def build(folder: Path, monkeypatch: pytest.MonkeyPatch, **annuaire: object) -> Path:
    return build_site(folder / "places", folder / "site", monkeypatch, folder / "cache", annuaire=annuaire)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("liens")
    project(folder)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build(folder, monkeypatch)


def redirect_target(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    link = re.search(r'<a href="([^"]+)">', html)
    assert refresh and link and refresh.group(1) == link.group(1), "redirection sans lien visible"
    return refresh.group(1)


def test_old_addresses_of_fixture_records_redirect(site: Path) -> None:
    target = redirect_target(site, "lieux/poitiers/bibliotheque-exemple/")
    assert target == "../../../lieux/poitiers/mediatheque-exemple/"
    assert (site / "lieux/poitiers/bibliotheque-exemple" / target / "index.html").resolve().is_file()


def test_renaming_a_place_keeps_its_old_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places = project(tmp_path)
    old = places / "montmorillon" / "france-services-exemple.yml"
    new = places / "montmorillon" / "france-services-du-montmorillonnais.yml"
    new.write_text(old.read_text(encoding="utf-8") + "anciennes_urls:\n  - lieux/montmorillon/france-services-exemple/\n",
                   encoding="utf-8")
    old.unlink()
    site = build(tmp_path, monkeypatch)
    assert (site / "lieux/montmorillon/france-services-du-montmorillonnais/index.html").is_file()
    target = redirect_target(site, "lieux/montmorillon/france-services-exemple/")
    assert target == "../../../lieux/montmorillon/france-services-du-montmorillonnais/"


def test_deleting_a_published_record_stops_the_build_and_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = project(tmp_path)
    (places / "naintre" / "relais-numerique-exemple.yml").unlink()
    with pytest.raises(Abort) as stopped:
        build(tmp_path, monkeypatch)
    message = str(stopped.value)
    assert re.search(r"data/urls-publiees\.txt:\d+:1: l’adresse `lieux/naintre/relais-numerique-exemple/` a été publiée", message)
    assert "ajoutez cette adresse dans `anciennes_urls` de la fiche renommée" in message
    assert "gardez sa fiche avec `statut: fermé` et `date_fermeture` au lieu de la supprimer" in message
    assert "Traceback" not in message


def test_a_new_place_not_yet_in_the_ledger_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places = project(tmp_path)
    shutil.copy(places / "naintre" / "relais-numerique-exemple.yml", places / "naintre" / "nouveau-lieu.yml")
    record = places / "naintre" / "nouveau-lieu.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("id: ", "id: nouveau-", 1), encoding="utf-8")
    site = build(tmp_path, monkeypatch)
    assert (site / "lieux/naintre/nouveau-lieu/flyer-a5.pdf").is_file()


PLACE = "lieux/naintre/relais-numerique-exemple/"
PDFS = ("flyer-a5.pdf", "affiche-a4.pdf", "deux-flyers-a4.pdf")


def test_a_new_site_can_go_without_pdfs_for_each_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A national directory (`pdf_par_lieu: false`, its ledger without `lieux/*/*/….pdf`): each
    place keeps its QR code and its flyer to print from the browser, communes keep their PDFs,
    and no link leads to a missing file (the build is strict)."""
    places = project(tmp_path)
    forget_place_pdfs(tmp_path)
    renamed = places / "naintre" / "relais-numerique-de-naintre.yml"
    renamed.write_text((places / "naintre" / "relais-numerique-exemple.yml").read_text(encoding="utf-8")
                       + f"anciennes_urls:\n  - {PLACE}\n", encoding="utf-8")
    (places / "naintre" / "relais-numerique-exemple.yml").unlink()
    site = build(tmp_path, monkeypatch, pdf_par_lieu=False)

    new = "lieux/naintre/relais-numerique-de-naintre/"
    for path in (new, PLACE):  # the old address answers for every file the place still has
        assert [name for name in ("qr.svg", "qr.png", "imprimer/index.html") if not (site / path / name).is_file()] == []
        assert [name for name in PDFS if (site / path / name).exists()] == []
    assert (site / PLACE / "qr.png").read_bytes() == (site / new / "qr.png").read_bytes()
    page = (site / new / "index.html").read_text(encoding="utf-8")
    assert ".pdf" not in page
    assert 'href="../../../lieux/naintre/relais-numerique-de-naintre/imprimer/"' in page
    assert "le navigateur peut aussi l’enregistrer en PDF" in page
    sheet = (site / new / "imprimer" / "index.html").read_text(encoding="utf-8")
    assert ".pdf" not in sheet and "choisissez « Enregistrer au format PDF »" in sheet
    assert (site / "affiches" / "commune" / "naintre-a5.pdf").is_file()  # a commune's flyers, all in one PDF
    assert "Le flyer d’un seul lieu (à imprimer depuis le navigateur)" in (site / "affiches" / "index.html").read_text(
        encoding="utf-8")


@pytest.mark.parametrize(("key", "value"), [("pdf_par_lieu", "non"), ("pdf_par_lieu", 0), ("encarts_bulletin", "oui")])
def test_a_yes_or_no_setting_is_refused_in_french_when_it_is_neither(key: str, value: object) -> None:
    with pytest.raises(SettingsError, match=f"extra.annuaire.{key} : true ou false est attendu"):
        load_settings({key: value}, config_dir=ROOT, site_url="https://exemple.fr/",
                      repo_url="https://github.com/exemple/annuaire", env={})
    assert load_settings({}, config_dir=ROOT, site_url="https://exemple.fr/",
                         repo_url="https://github.com/exemple/annuaire", env={}).place_pdfs  # true unless said


def test_a_site_that_published_pdfs_for_each_place_cannot_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path)  # its ledger says every place has published its three PDFs
    with pytest.raises(Abort) as stopped:
        build(tmp_path, monkeypatch, pdf_par_lieu=False)
    message = str(stopped.value)
    for name in PDFS:
        assert re.search(rf"data/urls-publiees\.txt:\d+:1: chaque lieu a publié `{re.escape(name)}`, mais ce site ne le "
                         rf"fait plus — remettez `pdf_par_lieu: true`", message), name
    assert "Traceback" not in message


def test_closed_place_keeps_its_page_and_points_to_open_places(site: Path) -> None:
    html = (site / CLOSED / "index.html").read_text(encoding="utf-8")
    assert "Ce lieu a fermé le 30 juin 2025." in html
    nearest = re.findall(r'class="annuaire-carte__nom" href="\.\./\.\./\.\./([^"]+)"', html)
    # Same commune first (Poitiers), then the same intercommunality.
    assert set(nearest[:2]) == {"lieux/poitiers/mediatheque-exemple/", "lieux/poitiers/atelier-numerique-exemple/"}
    assert nearest[2] == "lieux/chasseneuil-du-poitou/point-numerique-exemple/"
    # Gone from every list and count.
    for page in ("lieux/index.html", "communes/poitiers/index.html", "index.html"):
        assert "Ancien point numérique" not in (site / page).read_text(encoding="utf-8"), page


def problems_of(tmp_path: Path, name: str, extra: str) -> list[str]:
    places = project(tmp_path)
    record = next(places.glob(f"*/{name}.yml"))
    record.write_text(record.read_text(encoding="utf-8") + extra, encoding="utf-8")
    problems = fixture_problems(tmp_path, places_dir=places, today=date(2025, 8, 1))
    return [f"{p.field} {p.message}" for p in errors(problems)]


def test_closing_needs_a_date_not_in_the_future(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "a", "relais-numerique-exemple", "statut: fermé\n") == [
        "statut lieu fermé sans date de fermeture"
    ]
    found = problems_of(tmp_path / "b", "relais-numerique-exemple", "statut: fermé\ndate_fermeture: '2030-01-01'\n")
    assert found == ["date_fermeture la date 2030-01-01 est dans le futur"]
    assert problems_of(tmp_path / "c", "relais-numerique-exemple", "statut: fini\n")


def test_old_address_cannot_be_a_current_page_nor_claimed_twice(tmp_path: Path) -> None:
    current = problems_of(tmp_path / "a", "relais-numerique-exemple",
                          "anciennes_urls:\n  - lieux/poitiers/mediatheque-exemple/\n")
    assert current == ["anciennes_urls[0] `lieux/poitiers/mediatheque-exemple/` est l’adresse actuelle d’un lieu"]
    twice = problems_of(tmp_path / "b", "relais-numerique-exemple",
                        "anciennes_urls:\n  - lieux/poitiers/bibliotheque-exemple/\n")
    assert len(twice) == 2 and all("est aussi une ancienne adresse de" in p for p in twice)
    assert problems_of(tmp_path / "c", "relais-numerique-exemple", "anciennes_urls:\n  - https://exemple.fr/\n")
