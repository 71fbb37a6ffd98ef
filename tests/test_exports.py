"""Open data exports in the national standard v1.0.2: what a partner downloading our CSV or
JSON gets, and what the « Données ouvertes » page tells them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from support import TERRITORY_FILE, fixture_settings
from support import fixture_directory as load_fixture

from annuaire.data.territory import Territory
from annuaire.exports import standard as exports
from annuaire.importers.standard_csv import import_csv
from annuaire.model.directory import Directory
from annuaire.site import open_data
from annuaire.site.templating import environment

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "exports"
BUILD_DATE = date(2025, 1, 15)


def directory_of(root: Path, places: Path | None = None) -> Directory:
    return load_fixture(root, places_dir=places or root / "places", today=date(2026, 12, 1))


def open_data_page(directory: Directory, root: Path) -> str:
    """The « Données ouvertes » page, as the build renders it."""
    return open_data.page(environment(), directory, fixture_settings(root), open_data.files(directory)).html


@pytest.fixture(scope="module")
def real() -> Directory:
    return directory_of(ROOT)


@pytest.fixture(scope="module")
def fixture_directory() -> Directory:
    return directory_of(FIXTURE)


@pytest.fixture(scope="module")
def standard() -> dict:
    return exports.load_standard_schema(ROOT / "data" / exports.STANDARD_SCHEMA_NAME)


def by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in rows}


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- The real directory -----------------------------------------------------------------------

def test_every_real_row_passes_the_standard_except_its_known_defects(real, standard):
    rows = exports.to_standard_rows(real)
    assert len(rows) == len(real.places) > 0
    problems = exports.check_rows_against_standard(rows, standard)
    assert exports.unexplained_problems(rows, standard) == [], "\n".join(problems)
    # The only literal failures left are the empty SIRETs of places that have none.
    without_pivot = {p.id for p in exports.rows_without_pivot(real)}
    assert problems == [m for m in problems if "pivot : obligatoire, mais vide" in m]
    assert {re.search(r"id « (.*?) »", m).group(1) for m in problems} == without_pivot


def test_no_siret_is_ever_invented(real):
    for place, row in zip(real.places, exports.to_standard_rows(real)):
        assert row["pivot"] == (place.pivot or "")


def test_csv_header_is_exactly_the_standards(real, standard):
    text = exports.to_csv(real)
    header = text.split("\r\n", 1)[0]
    assert header == ",".join(field["name"] for field in standard["fields"])


def test_real_round_trip_export_import_export(real, tmp_path):
    rows = exports.to_standard_rows(real)
    result = import_csv(exports.to_csv(real), Territory.load(TERRITORY_FILE), tmp_path / "places")
    assert len(result.written) == len(rows) and result.skipped == 0, result.messages
    assert exports.to_standard_rows(directory_of(tmp_path)) == rows


# --- Values as the standard wants them --------------------------------------------------------

def test_values_follow_the_standards_formats(fixture_directory):
    row = by_id(exports.to_standard_rows(fixture_directory))["essai-export-1"]
    assert row["telephone"] == "+33549000071"  # written `05 49 00 00 71` in the record
    assert row["latitude"] == "46.58" and row["longitude"] == "0.34"
    assert float(row["latitude"]) == 46.58
    assert row["typologie"] == "ASSO|TIERS_LIEUX"
    assert row["services"] == "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    assert row["date_maj"] == "2024-11-02"
    assert row["source"] == "Inventé pour les tests"


def test_local_extensions_are_in_the_json_only(fixture_directory):
    text = exports.to_csv(fixture_directory)
    header = parse_csv(text)[0].keys()
    assert "equipements" not in header and "accessible_fauteuil_roulant" not in header
    assert "Wi-Fi gratuit" not in text
    document = json.loads(exports.to_json(fixture_directory))
    place = next(p for p in document["lieux"] if p["id"] == "essai-export-1")
    assert place["extensions_locales"] == {
        "equipements": ["Wi-Fi gratuit", "Imprimante"], "accessible_fauteuil_roulant": True, "communes_desservies": [],
        "provenance": [], "valeurs_deduites": {}, "date_verification": None, "verification_moyen": None,
    }
    assert place["latitude"] == 46.58 and place["services"][0] == "Aide aux démarches administratives"
    assert "Licence Ouverte" in document["licence"] and "1.0.2" in document["standard"]


def test_closed_places_are_not_exported(fixture_directory):
    assert [p.id for p in fixture_directory.closed] == ["essai-export-ferme"]
    ids = [row["id"] for row in exports.to_standard_rows(fixture_directory)]
    assert "essai-export-ferme" not in ids and len(ids) == 2
    assert "essai-export-ferme" not in exports.to_csv(fixture_directory)
    assert "essai-export-ferme" not in exports.to_json(fixture_directory)


def test_la_poste_label_is_exported_as_really_written(fixture_directory, standard):
    """The standard's pattern lacks the space; we keep the real label, and the checker says
    it is the standard's defect, not ours."""
    rows = exports.to_standard_rows(fixture_directory)
    row = by_id(rows)["essai-export-1"]
    assert row["formations_labels"] == "Étapes numériques (La Poste)|Fabriques de Territoire"
    problems = exports.check_rows_against_standard(rows, standard)
    label_problems = [m for m in problems if "formations_labels" in m]
    assert len(label_problems) == 1
    assert exports.is_known_defect(label_problems[0], rows, standard)
    assert exports.unexplained_problems(rows, standard) == []


def test_empty_pivot_is_the_only_pivot_problem(fixture_directory, standard):
    rows = exports.to_standard_rows(fixture_directory)
    assert by_id(rows)["essai-export-2"]["pivot"] == ""
    assert by_id(rows)["essai-export-1"]["pivot"] == "12345678900011"
    pivot_problems = [m for m in exports.check_rows_against_standard(rows, standard) if "pivot" in m]
    assert pivot_problems == ["ligne 2 (id « essai-export-2 »), pivot : obligatoire, mais vide"]  # Gençay sorts first


def test_fixture_round_trip(fixture_directory, tmp_path):
    rows = exports.to_standard_rows(fixture_directory)
    import_csv(exports.to_csv(fixture_directory), Territory.load(TERRITORY_FILE), tmp_path / "places")
    assert exports.to_standard_rows(directory_of(tmp_path)) == rows


def test_checker_reports_what_breaks_the_standard(fixture_directory, standard):
    good = exports.to_standard_rows(fixture_directory)[0]
    bad = dict(
        good,
        nom="",
        code_postal="8600",
        telephone="05 49 00 00 71",
        presentation_resume="x" * 281,
        services="Aide aux démarches",
        latitude="nord",
    )
    problems = exports.check_rows_against_standard([good, bad], standard)
    text = "\n".join(problems)
    for column in ("nom", "code_postal", "telephone", "presentation_resume", "services", "latitude"):
        assert f"ligne 3 (id « {bad['id']} »), {column} :" in text, column
    assert "id : « " in text  # the same id twice
    assert exports.unexplained_problems([good], standard) == []


# --- The producer and the « Données ouvertes » page -------------------------------------------

def test_open_data_files_and_their_page_in_the_nav(fixture_directory):
    files = open_data.files(fixture_directory)
    assert set(files) == {open_data.CSV_FILE, open_data.JSON_FILE, "donnees/couverture-communes.csv",
                          "donnees/couverture-communes.json"}
    page = open_data.page(environment(), fixture_directory, fixture_settings(FIXTURE), files)
    assert page.src_uri == open_data.PAGE and page.in_nav
    assert 'href="../donnees/couverture-communes.csv" download>La couverture des communes (CSV,' in page.html
    csv_text = files[open_data.CSV_FILE].decode("utf-8")
    assert csv_text == exports.to_csv(fixture_directory)
    assert "lieux.geojson" not in files  # the map's file belongs to exports/geodata.py


def test_page_documents_the_files_licence_and_defects(real):
    rendered = open_data.page(environment(), real, fixture_settings(ROOT), open_data.files(real))
    assert rendered.title == "Données ouvertes" and rendered.meta()["title"] == "Données ouvertes"
    page = rendered.html
    for href in ("../donnees/lieux-mediation-numerique.csv", "../donnees/lieux-mediation-numerique.json", "../donnees/lieux.geojson"):
        assert f'href="{href}"' in page
    for words in ("Licence Ouverte 2.0", "chaque nuit", "version 1.0.2", "equipements", "accessible_fauteuil_roulant", "Signaler une erreur"):
        assert words in page
    missing = exports.rows_without_pivot(real)
    assert f"Voir les {len(missing)} lieux sans SIRET" in page
    for place in missing:
        assert f'href="../{place.url_path}"' in page
    for place in real.places:
        if place.pivot:
            assert f'href="../{place.url_path}"' not in page


def test_page_lists_sources_with_their_dates(fixture_directory):
    page = open_data_page(fixture_directory, FIXTURE)
    assert "Inventé pour les tests : 2 lieux, mis à jour entre le 1er octobre 2024 et le 2 novembre 2024." in page
    assert "1 lieu n’a pas de SIRET connu" in page
    assert "1 lieu a ce label." in page
