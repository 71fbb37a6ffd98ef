"""Import of a CSV in the national standard (the national file, a partner's, our own export):
only the Vienne is kept, nothing is invented, nothing is overwritten."""

from __future__ import annotations

import csv
import importlib.util
import io
from datetime import date
from pathlib import Path

import pytest
from support import TERRITORY_FILE, fixture_problems

from annuaire.data.records import load_record
from annuaire.data.territory import Territory
from annuaire.importers.standard_csv import import_rows, read_rows
from annuaire.problems import errors

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "exports" / "standard-exemple-valide.csv"
SHARED_EXAMPLE = ROOT.parent / "shared" / "data" / "national" / "standard-mediation-num_v1.0.2_exemple-valide.csv"
TODAY = date(2025, 1, 15)


@pytest.fixture(scope="module")
def territory() -> Territory:
    return Territory.load(TERRITORY_FILE)


@pytest.fixture
def example_row() -> dict[str, str]:
    rows = read_rows(EXAMPLE.read_text(encoding="utf-8"))
    assert len(rows) == 1
    return rows[0]


def in_poitiers(row: dict[str, str]) -> dict[str, str]:
    """The standard's example moved to Poitiers, INSEE code left for the import to find."""
    return dict(row, commune="Poitiers", code_postal="86000", code_insee="", latitude="46.58", longitude="0.34")


def test_fixture_is_the_standards_own_example():
    if not SHARED_EXAMPLE.is_file():
        pytest.skip("../shared absent : la copie de tests/fixtures/exports/ sert de référence")
    assert EXAMPLE.read_bytes() == SHARED_EXAMPLE.read_bytes()


def test_example_row_outside_the_vienne_is_skipped_with_a_message(example_row, territory, tmp_path):
    result = import_rows([example_row], territory, tmp_path)
    assert result.written == [] and result.skipped == 1
    assert result.messages == ["ligne 2 (« Anonymal ») : ignorée, hors de la Vienne (Reims, 51100)."]
    assert not any(tmp_path.iterdir())


def test_example_row_in_the_vienne_maps_every_field(example_row, territory, tmp_path):
    result = import_rows([in_poitiers(example_row)], territory, tmp_path)
    assert result.written == [tmp_path / "poitiers" / "anonymal.yml"] and result.messages == []
    data = load_record(result.written[0]).data
    assert data["id"] == "structure-1" and data["pivot"] == "43493312300029"
    assert data["code_insee"] == "86194"  # found from « Poitiers » and 86000
    assert data["telephone"] == "+33180059880"
    assert data["source"] == "Hubik" and data["date_maj"] == "2024-04-02"
    assert data["courriels"] == ["contact@laquincaillerie.tl", "responsable@laquincaillerie.tl"]
    assert data["modalites_accompagnement"] == ["Dans un atelier collectif", "À distance", "En autonomie", "Accompagnement individuel"]
    assert data["prise_en_charge_specifique"] == ["Surdité", "Illettrisme", "Langues étrangères (anglais)"]
    assert data["horaires"] == "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"
    assert data["autres_formations_labels"] == "Label et la bête"
    assert errors(fixture_problems(tmp_path.parent, places_dir=tmp_path, today=TODAY)) == []


def test_nothing_is_invented(territory, tmp_path):
    row = {"id": "x-1", "nom": "Lieu minimal", "commune": "Gençay", "code_postal": "86160", "adresse": "1 rue A", "date_maj": "2024-01-01"}
    [path] = import_rows([row], territory, tmp_path).written
    data = load_record(path).data
    assert data == {**row, "code_insee": "86103"}


def test_existing_files_are_never_overwritten(example_row, territory, tmp_path):
    row = in_poitiers(example_row)
    [path] = import_rows([row], territory, tmp_path).written
    path.write_text(path.read_text(encoding="utf-8") + "# corrigé à la main\n", encoding="utf-8")
    again = import_rows([dict(row, nom="Anonymal", telephone="+33549000000")], territory, tmp_path)
    assert again.written == [] and again.skipped == 1
    assert "existe déjà" in again.messages[0]
    assert path.read_text(encoding="utf-8").endswith("# corrigé à la main\n")


def test_unknown_commune_is_skipped_and_two_homonyms_get_two_files(example_row, territory, tmp_path):
    lost = dict(in_poitiers(example_row), commune="Atlantis", code_postal="86999")
    result = import_rows([lost, in_poitiers(example_row), dict(in_poitiers(example_row), id="structure-2")], territory, tmp_path)
    assert "introuvable dans la Vienne" in result.messages[0]
    assert [p.name for p in result.written] == ["anonymal.yml", "anonymal-2.yml"]


def test_insee_code_alone_is_enough(example_row, territory, tmp_path):
    row = dict(example_row, commune="Poitiers", code_postal="", code_insee="86194", latitude="", longitude="")
    result = import_rows([row], territory, tmp_path)
    assert result.written == [tmp_path / "poitiers" / "anonymal.yml"]


def test_command_line_reports_skips_and_problems(example_row, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("import_standard_csv", ROOT / "scripts" / "import_standard_csv.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(example_row))
    writer.writeheader()
    writer.writerow(example_row)  # Reims: skipped
    writer.writerow(dict(in_poitiers(example_row), id="structure-2", nom="Lieu à vérifier", horaires="tous les jours"))
    source = tmp_path / "partenaire.csv"
    source.write_text(out.getvalue(), encoding="utf-8")

    code = script.main([str(source), str(tmp_path / "fiches"), "--today", "2025-01-15"])
    printed = capsys.readouterr().out
    assert code == 1  # the hours must be fixed by a person
    assert "hors de la Vienne (Reims, 51100)" in printed
    assert "1 fiche(s) écrite(s), 1 ligne(s) ignorée(s)." in printed
    assert "lieu-a-verifier.yml" in printed and "horaires" in printed
