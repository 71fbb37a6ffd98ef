"""The territory: look-ups that the importer, validation and pages rely on, and its refresh."""

from __future__ import annotations

import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest
from support import TERRITORY_FILE

from annuaire.data.territory import Territory

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def territory() -> Territory:
    return Territory.load(TERRITORY_FILE)


def test_the_vienne_has_265_communes_in_7_epci(territory: Territory) -> None:
    assert len(territory.communes) == 265
    assert len(territory.epcis) == 7
    assert all(territory.epci_of(c) is not None for c in territory.communes)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("CHATELLERAULT", "Châtellerault"),
        ("JAUNAY MARIGNY", "Jaunay-Marigny"),
        ("Neuville de Poitou", "Neuville-de-Poitou"),
        ("ST SAUVANT", "Saint-Sauvant"),
        ("l'isle jourdain", "L'Isle-Jourdain"),
    ],
)
def test_communes_are_found_however_the_name_is_written(
    territory: Territory, written: str, expected: str
) -> None:
    assert [c.nom for c in territory.communes_named(written)] == [expected]


def test_postcodes_and_epci_names(territory: Territory) -> None:
    jaunay = territory.communes_named("Jaunay-Marigny")[0]
    assert jaunay.codes_postaux == ("86130", "86380")
    assert "86200" not in jaunay.codes_postaux  # Loudun's postcode, seen in the 2022 data
    assert {c.nom for c in territory.communes_with_postcode("86200")} >= {"Loudun"}
    haut_poitou = next(e for e in territory.epcis if e.nom == "CC du Haut Poitou")
    assert haut_poitou.nom_long == "Communauté de communes du Haut Poitou"
    neuville = territory.communes_named("Neuville-de-Poitou")[0]
    assert neuville in territory.communes_of(haut_poitou)
    assert territory.epci_of(jaunay).nom == "CU du Grand Poitiers"


def test_a_misspelt_commune_gets_a_suggestion(territory: Territory) -> None:
    assert territory.closest_name("Chatelerault") == "Châtellerault"
    assert territory.closest_name("Xyzzy") is None


def _load_refresh_script():
    spec = importlib.util.spec_from_file_location("refresh_territory", ROOT / "scripts" / "refresh_territory.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_refresh_keeps_current_communes_of_the_departement_with_their_epci(tmp_path: Path) -> None:
    communes = [
        {"code": "86001", "nom": "Adriers", "departement": "86", "type": "commune-actuelle",
         "codesPostaux": ["86430"], "population": 698, "siren": "218600013"},
        {"code": "86999", "nom": "Ancienne", "departement": "86", "type": "commune-deleguee"},
        {"code": "79001", "nom": "Ailleurs", "departement": "79", "type": "commune-actuelle"},
    ]
    epcis = [
        {"code": "200070043", "nom": "CC Vienne et Gartempe", "type": "CC", "populationTotale": 10,
         "membres": [{"code": "86001"}, {"code": "86999"}]},
        {"code": "200000000", "nom": "CC Autre", "type": "CC", "membres": [{"code": "79001"}]},
    ]
    tarball = tmp_path / "paquet.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for name, content in {
            "package/package.json": {"version": "9.9.9"},
            "package/data/communes.json": communes,
            "package/data/epci.json": epcis,
        }.items():
            data = json.dumps(content).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    script = _load_refresh_script()
    got_communes, got_epcis, version = script.read_tarball(tarball)
    result = script.subset(got_communes, got_epcis, version)
    assert [c["code"] for c in result["communes"]] == ["86001"]
    assert result["communes"][0]["epci"] == "200070043"
    assert [e["membres"] for e in result["epci"]] == [["86001"]]
    assert "9.9.9" in result["source"]
