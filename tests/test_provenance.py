"""Where a value comes from: a deduced value reads as deduced, a never-verified record says its
exact age, a verified one says when and how; the JSON export carries the provenance."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from support import fixture_directory, fixture_problems, fixture_settings, fixture_site
from test_pages import as_html, text_of
from test_validation import VALID_TEXT, replace

from annuaire.data.provenance import age_band, french_age
from annuaire.exports import standard

TODAY = date(2026, 12, 1)
RECORD = "places/poitiers/espace-numerique-exemple.yml"
PAGE = "lieux/poitiers/espace-numerique-exemple.md"
IMPORTED = replace(
    "source: Fiche de test inventée",
    "source: France services (ANCT)\n"
    "provenance:\n"
    "  - source: France services (ANCT)\n"
    "    fichier: france-services_2024-08-01_dep86.csv\n"
    "    date: '2024-08-01'\n"
    "    identifiant: '2102'\n"
    "  - source: Conseillers numériques (ANCT)\n"
    "    date: '2022-06-01'\n"
    "valeurs_deduites:\n"
    "  services: anct-france-services\n"
    "  frais_a_charge: anct-france-services",
)
VERIFIED = IMPORTED + "date_verification: '2026-03-03'\nverification_moyen: téléphone\n"


@pytest.mark.parametrize(("since", "words"), [
    (date(2022, 6, 1), "il y a 4 ans et 6 mois"),
    (date(2025, 12, 1), "il y a 1 an"),
    (date(2024, 8, 1), "il y a 2 ans et 4 mois"),
    (date(2026, 9, 1), "il y a 3 mois"),
    (date(2026, 11, 30), "il y a 1 jour"),
    (date(2026, 11, 19), "il y a 12 jours"),
    (date(2026, 12, 1), "aujourd’hui"),
])
def test_ages_are_exact_in_french(since: date, words: str) -> None:
    assert french_age(since, TODAY) == words


@pytest.mark.parametrize(("since", "band"), [
    (date(2026, 6, 2), 0), (date(2026, 6, 1), 1), (date(2025, 12, 2), 1), (date(2025, 12, 1), 2),
])
def test_age_bands_of_the_data_health_page(since: date, band: int) -> None:
    assert age_band(since, TODAY) == band


def _page(tmp_path: Path, text: str, page: str = PAGE) -> str:
    (tmp_path / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / RECORD).write_text(text, encoding="utf-8")
    directory = fixture_directory(tmp_path, today=TODAY)
    return text_of(as_html(fixture_site(directory, fixture_settings(tmp_path, today=TODAY)).pages[page]))


def test_a_deduced_value_reads_as_deduced_and_each_source_with_its_age(tmp_path: Path) -> None:
    text = _page(tmp_path, IMPORTED)
    assert "D’après la charte France services :" in text  # above the services
    assert "Gratuit (d’après la charte France services)" in text
    assert ("Informations issues de France services (ANCT) du 1er août 2024 (il y a 2 ans et 4 mois) et de "
            "Conseillers numériques (ANCT) du 1er juin 2022 (il y a 4 ans et 6 mois), jamais vérifiées auprès du lieu.") in text


def test_a_verified_record_says_when_and_how_and_no_longer_hedges(tmp_path: Path) -> None:
    text = _page(tmp_path, VERIFIED)
    assert "Informations vérifiées le 3 mars 2026 par téléphone (il y a 8 mois)." in text
    assert "d’après la charte" not in text.lower()


@pytest.mark.parametrize(("record", "price"), [
    (IMPORTED, "Gratuit (d’après la charte France services)"), (VERIFIED, "Gratuit"),
])
def test_the_flyer_says_a_deduced_price_is_deduced(tmp_path: Path, record: str, price: str) -> None:
    """Paper too: a flyer pinned for years must not promise « Gratuit » as a fact when a rule
    said it (the flyer to print from the browser and the PDFs share this content)."""
    flyer = _page(tmp_path, record, PAGE.removesuffix(".md") + "/imprimer.md")
    assert f"Prix {price} " in flyer + " "


def test_the_json_export_carries_the_provenance_and_the_rules(tmp_path: Path) -> None:
    _page(tmp_path, IMPORTED)
    document = json.loads(standard.to_json(fixture_directory(tmp_path, today=TODAY)))
    local = document["lieux"][0]["extensions_locales"]
    assert local["valeurs_deduites"]["services"]["regle"] == "anct-france-services"
    assert "charte France services" in local["valeurs_deduites"]["services"]["explication"]
    assert [s["date"] for s in local["provenance"]] == ["2024-08-01", "2022-06-01"]
    assert local["date_verification"] is None


@pytest.mark.parametrize(("addition", "expected"), [
    ("date_verification: '2026-03-03'\n", ("date_verification", "dites comment la fiche a été vérifiée")),
    ("verification_moyen: téléphone\n", ("verification_moyen", "il manque le jour de la vérification")),
    ("date_verification: '2027-01-01'\nverification_moyen: téléphone\n",
     ("date_verification", "la date 2027-01-01 est dans le futur")),
    ("valeurs_deduites:\n  pivot: typologie-nom\n", ("valeurs_deduites.pivot", "le champ `pivot` n’a pas de valeur dans la fiche")),
])
def test_verification_and_deductions_are_checked(tmp_path: Path, addition: str, expected: tuple[str, str]) -> None:
    (tmp_path / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / RECORD).write_text(VALID_TEXT + addition, encoding="utf-8")
    problems = fixture_problems(tmp_path, today=TODAY)
    assert expected in [(p.field, p.message) for p in problems]


def test_the_mission_locale_page_never_says_tout_public(tmp_path: Path) -> None:
    """It serves 16–25-year-olds: no default may say otherwise (the real record, imported from
    the 2023 feed)."""
    real = Path(__file__).resolve().parents[1] / "places" / "poitiers" / "mission-locale-d-insertion-du-poitou.yml"
    text = _page_of(tmp_path, real.read_text(encoding="utf-8"), "lieux/poitiers/mission-locale-d-insertion-du-poitou.md",
                    "places/poitiers/mission-locale-d-insertion-du-poitou.yml")
    assert "Mission locale d&#39;insertion du Poitou" in text
    assert "tout public" not in text.lower()
    assert "Informations issues de data·inclusion (ANCT) du 12 juillet 2022" in text


def _page_of(tmp_path: Path, record: str, page: str, file: str) -> str:
    (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / file).write_text(record, encoding="utf-8")
    directory = fixture_directory(tmp_path, today=TODAY)
    return text_of(as_html(fixture_site(directory, fixture_settings(tmp_path, today=TODAY)).pages[page]))
