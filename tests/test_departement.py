"""Any département: one setting names it, and a neighbouring département starts its own
directory with one import command. Tested on the Deux-Sèvres (79) slice of the shared data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from annuaire.data.records import load_records
from annuaire.data.territory import Departement, Territory
from annuaire.settings import CACHE_ENV, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "deux-sevres"
TERRITORY_79 = ROOT / "tests" / "fixtures" / "deux-sevres" / "territoire_79.json"


@pytest.mark.parametrize(("named", "le", "dans", "de"), [
    (Departement("86", "Vienne", 3), "la Vienne", "dans la Vienne", "de la Vienne"),
    (Departement("79", "Deux-Sèvres", 4), "les Deux-Sèvres", "dans les Deux-Sèvres", "des Deux-Sèvres"),
    (Departement("18", "Cher", 2), "le Cher", "dans le Cher", "du Cher"),
    (Departement("01", "Ain", 5), "l’Ain", "dans l’Ain", "de l’Ain"),
    (Departement("75", "Paris", 0), "Paris", "à Paris", "de Paris"),
])
def test_the_departement_is_named_the_french_way(named: Departement, le: str, dans: str, de: str) -> None:
    assert (named.le, named.dans, named.de) == (le, dans, de)


def test_the_setting_names_the_territory_file(tmp_path: Path) -> None:
    (tmp_path / "places").mkdir()
    with pytest.raises(SettingsError, match="data/territoire_79.json"):
        load_settings({"departement": "79"}, config_dir=tmp_path, site_url="https://exemple.fr/",
                      repo_url="https://github.com/exemple/annuaire", env={})
    with pytest.raises(SettingsError, match="n’est pas un numéro de département"):
        load_settings({"departement": "Vienne"}, config_dir=tmp_path, site_url="https://exemple.fr/",
                      repo_url="https://github.com/exemple/annuaire", env={})


@pytest.mark.skipif(not SHARED.is_dir(), reason="sources partagées absentes")
def test_the_deux_sevres_import_in_one_command_and_its_site_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "annuaire-79"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_sources.py"), "--departement", "79",
         "--territory", str(TERRITORY_79), "--places", str(folder / "places"),
         "--state", str(folder / "import-state.json"), "--report", str(folder / "import-report.txt")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    records, errors = load_records(folder / "places")
    assert not errors and len(records) > 20
    territory = Territory.load(TERRITORY_79)
    for record in records:
        assert str(record.data["code_postal"]).startswith("79"), record.path
        assert territory.commune(str(record.data["code_insee"])) is not None, record.path
    report = (folder / "import-report.txt").read_text(encoding="utf-8")
    assert "France services, france-services_2024-08-01_dep79.csv" in report

    (folder / "ateliers").mkdir()
    monkeypatch.setenv("ANNUAIRE_DATE", "2026-12-01")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(folder / "site"), strict=True,
                         site_name="Lieux numériques des Deux-Sèvres",
                         site_description="Où se faire aider pour le numérique dans les Deux-Sèvres.")
    config["extra"]["annuaire"] = {
        **config["extra"]["annuaire"], "departement": "79", "territory_file": str(TERRITORY_79),
        "places_dir": str(folder / "places"), "workshops_dir": str(folder / "ateliers"),
        "encarts_bulletin": False,  # drawn like the Vienne's (tests/test_inserts.py); 40 s here
    }
    build(config)
    home = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert "Trouver de l’aide pour le numérique dans les Deux-Sèvres" in home
    assert "Vienne" not in home  # everything the project writes follows the setting
    # No point per commune here: no white zone is claimed, and the page says why.
    coverage = (folder / "site" / "couverture" / "index.html").read_text(encoding="utf-8")
    assert "aucune zone blanche n’est calculée" in coverage
