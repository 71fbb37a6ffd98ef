"""The importer of the two real sources: mapping, duplicates, checks, and safe re-runs.

Fixtures under `tests/fixtures/importing/` are made up (places "d'essai" in real communes);
one test runs on the real shared sources when they are present.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from support import TERRITORY_FILE

from annuaire.data.hours import syntax_error
from annuaire.data.records import load_record, parse_record
from annuaire.data.territory import Territory
from annuaire.data.vocabulary import DISPOSITIFS, FRAIS, ITINERANCE, MODALITES_ACCES, SERVICE_BY_LABEL, load_typologies
from annuaire.importers import anct_mapping, candidate, files, france_services, mapping, merge, slugs
from annuaire.importers.record_writer import dump_record

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "importing"
FS_FIXTURE = FIXTURES / "france-services_2025-01-15_test.csv"
CN_FIXTURE = FIXTURES / "conseillers-numeriques_test.json"
REAL_FS = ROOT.parent / "shared" / "data" / "vienne" / "france-services_2024-08-01_dep86.csv"
REAL_CN = ROOT.parent / "shared" / "data" / "vienne" / "conseillers-numeriques_2022_dep86.json"

sys.path.insert(0, str(ROOT / "scripts"))
import import_sources  # noqa: E402


@pytest.fixture(scope="module")
def territory() -> Territory:
    return Territory.load(TERRITORY_FILE)


def _rows(fs: Path = FS_FIXTURE, cn: Path = CN_FIXTURE) -> tuple[list[dict[str, str]], list[dict]]:
    with fs.open(encoding="utf-8", newline="") as handle:
        fs_rows = list(csv.DictReader(handle))
    return fs_rows, json.loads(cn.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(territory: Territory) -> candidate.ImportResult:
    fs_rows, cn_rows = _rows()
    return merge.build_import(fs_rows, cn_rows, territory, "2025-01-15")


def _output(result: candidate.ImportResult, record_id: str) -> candidate.Output:
    return next(o for o in result.outputs if o.data["id"] == record_id)


def _days(**days: str) -> dict[str, str]:
    columns = {column: "" for column, _ in france_services.WEEKDAY_COLUMNS}
    names = {"lu": "h_lundi", "ma": "h_mardi", "me": "h_mercredi", "je": "h_jeudi", "ve": "h_vendredi",
             "sa": "h_samedi"}
    columns.update({names[k]: v for k, v in days.items()})
    return columns


# --- hours ------------------------------------------------------------------------------------


def test_identical_consecutive_days_are_grouped() -> None:
    week = "09:00 - 12:00 / 13:30 - 17:00"
    hours, notes = france_services.weekday_hours_to_osm(
        _days(lu=week, ma=week, me=week, je=week, ve=week, sa="09:00 - 12:00")
    )
    assert hours == "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00"
    assert notes == []
    assert syntax_error(hours) is None


def test_two_consecutive_days_use_a_comma_and_distant_days_stay_apart() -> None:
    hours, _ = france_services.weekday_hours_to_osm(_days(
        lu="09:30 - 12:30", ma="09:30 - 12:30 / 14:00 - 18:00",
        me="09:30 - 12:30 / 14:00 - 17:00", je="09:30 - 12:30 / 14:00 - 17:00", ve="09:30 - 12:30",
    ))
    assert hours == "Mo 09:30-12:30; Tu 09:30-12:30,14:00-18:00; We,Th 09:30-12:30,14:00-17:00; Fr 09:30-12:30"
    assert syntax_error(hours) is None


def test_placeholder_is_dropped_and_reported_and_empty_day_is_closed() -> None:
    hours, notes = france_services.weekday_hours_to_osm(
        _days(lu="00:00 - 00:00 / 09:00 - 12:00", ma="", me="09:00 - 12:00")
    )
    assert hours == "Mo 09:00-12:00; We 09:00-12:00"  # Tuesday empty → closed, never 00:00
    assert "00:00" not in hours
    assert [n.kind for n in notes] == [candidate.K_HOURS_PLACEHOLDER]
    assert "lundi" in notes[0].message


def test_no_hours_at_all_gives_no_value_and_unreadable_hours_are_not_guessed() -> None:
    assert france_services.weekday_hours_to_osm(_days()) == (None, [])
    hours, notes = france_services.weekday_hours_to_osm(_days(lu="le matin", ma="09:00 - 12:00"))
    assert hours is None
    assert notes[0].kind == candidate.K_HOURS_INVALID


# --- vocabularies -----------------------------------------------------------------------------


MAPPING = ROOT / "data" / "anct-mapping"


def test_anct_mapping_reads_terms_short_labels_and_reports_the_rest() -> None:
    config = anct_mapping.load_config(MAPPING / "conseiller-numerique.config.json")
    row = {"services": "Prendre en main un ordinateur, Approfondir ma culture numérique, Faire du vélo",
           "conditions_access": "Gratuit", "labels_nationaux": "CNFS", "nom": "Essai"}
    mapped = anct_mapping.apply_mapping(config, row, "anct-conseillers-numeriques", {"conditions_acces": "conditions_access"})
    assert mapped.data["services"] == ["Maîtrise des outils numériques du quotidien", "Compréhension du monde numérique"]
    assert mapped.data["frais_a_charge"] == ["Gratuit"]  # « Gratuit : Je peux accéder… » written short
    assert mapped.data["dispositif_programmes_nationaux"] == ["Conseillers numériques"]
    assert mapped.unmatched == [("services", "Faire du vélo")]
    assert mapped.deduced == {}  # every value came from a column


def test_anct_constants_are_deduced_except_membership_of_the_list() -> None:
    config = anct_mapping.load_config(MAPPING / "france-services.config.json")
    mapped = anct_mapping.apply_mapping(config, {"lib_fs": "France services d’essai", "prise_rdv": "Oui"}, "anct-france-services")
    assert mapped.deduced == {"frais_a_charge": "anct-france-services", "services": "anct-france-services"}
    assert mapped.data["typologie"] == ["RFS"] and mapped.data["dispositif_programmes_nationaux"] == ["France Services"]
    assert mapped.data["modalites_acces"] == ["Téléphoner", "Contacter par mail"]


def test_every_anct_target_is_a_value_of_the_standard() -> None:
    allowed = {"services": set(SERVICE_BY_LABEL), "frais_a_charge": set(FRAIS), "itinerance": set(ITINERANCE),
               "modalites_acces": set(MODALITES_ACCES), "dispositif_programmes_nationaux": set(DISPOSITIFS)}
    for name in ("france-services.config.json", "conseiller-numerique.config.json"):
        config = anct_mapping.load_config(MAPPING / name)
        for field_name, values in allowed.items():
            for entry in config.get(field_name, []):
                assert entry["cible"] in values, (name, field_name, entry["cible"])
    assert {code for code, _ in mapping.TYPOLOGY_RULES} <= set(load_typologies(ROOT / "data" / "typologies.csv"))


@pytest.mark.parametrize(("name", "expected"), [
    ("MDS de POITIERS", ["MDS"]),
    ("Maison départementale des Solidarités de Chauvigny", ["MDS"]),
    ("MAIRIE VOUNEUIL SOUS BIARD", ["MUNI"]),
    ("COMMUNE DE BUXEROLLES", ["MUNI"]),
    ("CENTRE COMMUNAL D'ACTION SOCIALE", ["CCAS"]),
    ("MISSION LOCALE DU NORD VIENNE", ["ML"]),
    ("CROIX ROUGE FRANCAISE", ["ASSO"]),
    ("Communauté de communes du Haut-Poitou", ["CC"]),
    ("Grand Châtellerault", ["EPCI"]),
    ("Maison des Services", []),
    ("L'@telier de Neuville", []),
])
def test_typologie_only_when_the_name_says_it(name: str, expected: list[str], territory: Territory) -> None:
    assert mapping.typologie_from_name(name, territory) == expected


# --- mapping of a whole import ----------------------------------------------------------------


def test_france_services_row_is_mapped_to_the_standard(result: candidate.ImportResult) -> None:
    vivonne = _output(result, "france-services-9002").data
    assert vivonne["typologie"] == ["RFS", "LA_POSTE"]  # ANCT's RFS, and who runs it, read in the name
    assert vivonne["horaires"] == "Mo,Tu 09:00-12:00; Th,Fr 09:00-12:00"
    assert vivonne["modalites_acces"] == ["Téléphoner", "Contacter par mail"]  # prise_rdv Oui (ANCT's mapping)
    # The charter's services and price are deduced, and said so; the label is a fact of the list.
    assert vivonne["services"] == ["Aide aux démarches administratives", "Insertion professionnelle via le numérique",
                                   "Maîtrise des outils numériques du quotidien", "Compréhension du monde numérique"]
    assert vivonne["valeurs_deduites"] == {"frais_a_charge": "anct-france-services", "services": "anct-france-services",
                                           "typologie": "typologie-nom"}
    assert vivonne["provenance"] == [{"source": "France services (ANCT)", "date": "2025-01-15", "identifiant": "9002"}]
    assert vivonne["itinerance"] == ["Itinérant"]
    assert vivonne["telephone"] == "+33549112244"
    assert vivonne["date_maj"] == "2025-01-15"
    assert vivonne["dispositif_programmes_nationaux"] == ["France Services"]
    for value in vivonne["modalites_acces"]:
        assert value in MODALITES_ACCES
    assert set(vivonne["itinerance"]) <= set(ITINERANCE)
    assert "pivot" not in vivonne  # never invented


def test_conseillers_row_keeps_its_own_source_date_and_hours(result: candidate.ImportResult) -> None:
    croix_rouge = _output(result, "conseillers-numeriques-d001")
    assert croix_rouge.data["source"] == "Conseillers numériques (ANCT)"  # the source's code, in words
    assert croix_rouge.data["date_maj"] == "2022-06-20"
    assert "horaires" not in croix_rouge.data  # absent in the source: never guessed
    assert croix_rouge.data["typologie"] == ["ASSO"]
    assert croix_rouge.data["services"] == ["Accès internet et matériel informatique"]
    assert croix_rouge.data["nom"] == "Croix-Rouge d'essai"  # capitals rewritten, and reported
    assert "nom « CROIX ROUGE D'ESSAI » écrit « Croix-Rouge d'essai »" in result.report


def test_duplicates_are_merged_keeping_the_newest(result: candidate.ImportResult) -> None:
    gencay = _output(result, "france-services-9001")
    assert [m.id for m in gencay.members] == ["france-services-9001", "conseillers-numeriques-a001"]
    data = gencay.data
    assert data["source"] == "France services (ANCT)" and data["date_maj"] == "2025-01-15"
    assert data["horaires"] == "Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00"  # the newest hours
    assert data["pivot"] == "21860103700099"  # filled from the older row…
    assert data["site_web"] == ["https://essai.example.org"]
    assert "Maîtrise des outils numériques du quotidien" in data["services"]  # …lists united
    assert data["dispositif_programmes_nationaux"] == ["France Services", "Conseillers numériques"]
    assert data["courriels"] == ["essai-gencay@example.org"]
    assert not any(o.data["id"] == "conseillers-numeriques-a001" for o in result.outputs)
    block = result.report.split("places/gencay/")[1].split("\n\n")[0]
    assert "conseillers-numeriques-a001" in block and "même téléphone" in block
    assert "pivot « 21860103700099 » repris de conseillers-numeriques-a001" in block
    assert "horaires différents" in block


def test_exact_duplicates_become_one_record(result: candidate.ImportResult) -> None:
    mds = [o for o in result.outputs if o.data["nom"].startswith("MDS ")]
    assert len(mds) == 1
    assert {m.id for m in mds[0].members} == {"conseillers-numeriques-b001", "conseillers-numeriques-b002"}
    assert "doublon exact" in result.report


def test_duplicate_needs_the_same_commune(territory: Territory) -> None:
    fs_rows, cn_rows = _rows()
    moved = dict(cn_rows[0], commune="Civray", code_postal="86400")  # same phone, other commune
    merged = merge.build_import(fs_rows, [moved], territory, "2025-01-15")
    assert len(merged.outputs) == 4


def test_cedex_postcode_is_corrected_and_reported(result: candidate.ImportResult) -> None:
    poitiers = _output(result, "france-services-9003")
    assert poitiers.data["code_postal"] == "86000"
    assert "86021" in result.report and "remplacé par 86000" in result.report
    croix_rouge = _output(result, "conseillers-numeriques-d001")
    assert croix_rouge.data["code_postal"] == "86100"
    assert croix_rouge.data["commune"] == "Châtellerault" and croix_rouge.data["code_insee"] == "86066"


def test_postcode_of_another_commune_is_not_written(result: candidate.ImportResult) -> None:
    assert not any(o.data["id"] == "conseillers-numeriques-c001" for o in result.outputs)
    assert [c.id for c in result.rejected] == ["conseillers-numeriques-c001"]
    rejected = result.report.split("Lignes non écrites")[1]
    assert "conseillers-numeriques-c001" in rejected and "86200" in rejected
    assert "Jaunay-Marigny" in rejected and "à corriger à la main" in rejected


def test_report_lists_defects_per_record_with_counts(result: candidate.ImportResult) -> None:
    report = result.report
    croix = report.split("places/chatellerault/")[1].split("\n\n")[0]
    assert "majuscules" in croix and "BD D'ESSAI" in croix
    assert "boîte postale" in croix
    assert "Faire du vélo d'appartement" in croix
    assert "aucun horaire" in croix
    assert "pivot" in croix
    assert "Résumé" in report
    assert ("8 lignes lues, 5 fiches produites, 2 lignes fusionnées dans une autre fiche, "
            "1 ligne non écrite.") in report


def test_slug_is_short_readable_and_unique_in_its_commune(result: candidate.ImportResult) -> None:
    assert slugs.place_slug("France services de Gençay", "Gençay") == "france-services"
    assert slugs.place_slug("France services La Poste des Trois Moutiers", "Les Trois-Moutiers") == (
        "france-services-la-poste"
    )
    assert slugs.place_slug("France services de Poitiers - La Blaiserie", "Poitiers") == (
        "france-services-la-blaiserie"
    )
    assert slugs.place_slug("Grand Châtellerault", "Châtellerault") == "grand-chatellerault"
    assert slugs.place_slug("Saint-Sauvant", "Saint-Sauvant") == "saint-sauvant"
    assert len(slugs.place_slug("Un nom " * 30, "Poitiers")) <= slugs.SLUG_MAX_LENGTH
    paths = [o.path for o in result.outputs]
    assert "gencay/france-services.yml" in paths
    assert len(paths) == len(set(paths))


def test_slugs_collide_get_a_number(territory: Territory) -> None:
    fs_rows, _ = _rows()
    twin = dict(fs_rows[0], id_fs="9009", latitude="46.40", longitude="0.45", telephone="05 49 11 22 99",
                mail="autre@example.org", adresse="99 Chemin d'ailleurs")
    paths = [o.path for o in merge.build_import([fs_rows[0], twin], [], territory, "2025-01-15").outputs]
    assert paths == ["gencay/france-services-2.yml", "gencay/france-services.yml"]


# --- text stays text -------------------------------------------------------------------------


def test_written_records_read_back_as_the_same_text(result: candidate.ImportResult, tmp_path: Path) -> None:
    for output in result.outputs:
        path = tmp_path / output.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output.text, encoding="utf-8")
        record = load_record(path)
        assert record.data["code_postal"] == output.data["code_postal"]
        assert merge.round_trip_problems(path.read_text(encoding="utf-8"), output.data) == []
    gencay = load_record(tmp_path / "gencay" / "france-services.yml").data
    assert gencay["code_postal"] == "86160" and gencay["pivot"] == "21860103700099"
    assert gencay["telephone"] == "+33549112233"


def test_leading_zero_and_postcode_survive_a_round_trip() -> None:
    data = {"id": "x", "nom": "Essai", "telephone": "0549526766", "code_postal": "86000",
            "horaires": "Mo 14:30-18:00", "latitude": 46.5, "accessible_fauteuil_roulant": "non"}
    text = dump_record(data)
    record = parse_record(text, Path("essai.yml"))
    assert record.data["telephone"] == "0549526766"
    assert record.data["code_postal"] == "86000"
    assert record.data["accessible_fauteuil_roulant"] == "non"
    assert merge.round_trip_problems(text, data) == []
    assert merge.round_trip_problems(text.replace("'86000'", "86001"), data)


# --- re-run safety (CLI) ------------------------------------------------------------------------


def _cli(tmp: Path, *extra: str, fs: Path = FS_FIXTURE, cn: Path = CN_FIXTURE) -> int:
    return import_sources.main([
        "--france-services", str(fs), "--conseillers", str(cn),
        "--places", str(tmp / "places"), "--state", str(tmp / "state.json"),
        "--report", str(tmp / "report.txt"), *extra,
    ])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_second_run_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(tmp_path) == 0
    first = _tree(tmp_path)
    assert len([p for p in first if p.startswith("places/")]) == 5
    assert "5 nouvelles fiches." in (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert _cli(tmp_path) == 0
    second = _tree(tmp_path)
    assert {k: v for k, v in second.items() if k != "report.txt"} == {k: v for k, v in first.items() if k != "report.txt"}
    assert "0 fiche existante modifiée, 0 nouvelle fiche." in (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert "5 × inchangée" in capsys.readouterr().out


def test_output_is_deterministic(tmp_path: Path) -> None:
    _cli(tmp_path / "a")
    _cli(tmp_path / "b")
    a, b = _tree(tmp_path / "a" / "places"), _tree(tmp_path / "b" / "places")
    assert a == b and a
    assert (tmp_path / "a" / "state.json").read_bytes() == (tmp_path / "b" / "state.json").read_bytes()


def test_hand_edited_file_is_left_alone_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cli(tmp_path)
    edited = tmp_path / "places" / "gencay" / "france-services.yml"
    text = edited.read_text(encoding="utf-8").replace("nom: France services de Gençay",
                                                      "nom: France services de Gençay (mairie)")
    edited.write_text(text, encoding="utf-8")
    capsys.readouterr()
    _cli(tmp_path)
    assert edited.read_text(encoding="utf-8") == text
    assert "modifiée à la main, laissée telle quelle" in capsys.readouterr().out
    _cli(tmp_path)  # still recognised as edited on the next run
    assert edited.read_text(encoding="utf-8") == text
    _cli(tmp_path, "--force")
    assert "(mairie)" not in edited.read_text(encoding="utf-8")


def test_source_change_rewrites_untouched_files_and_missing_files_come_back(tmp_path: Path) -> None:
    _cli(tmp_path)
    record = tmp_path / "places" / "vivonne" / "france-services-la-poste.yml"
    changed_fs = tmp_path / "france-services_2025-01-15_test.csv"
    changed_fs.write_text(FS_FIXTURE.read_text(encoding="utf-8").replace("05 49 11 22 44", "05 49 11 22 45"),
                          encoding="utf-8")
    _cli(tmp_path, fs=changed_fs)
    assert "'+33549112245'" in record.read_text(encoding="utf-8")
    record.unlink()
    _cli(tmp_path, fs=changed_fs)
    assert record.exists()


def test_record_no_source_produces_is_reported_not_deleted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cli(tmp_path)
    fewer = tmp_path / "conseillers.json"
    rows = json.loads(CN_FIXTURE.read_text(encoding="utf-8"))
    fewer.write_text(json.dumps([r for r in rows if r["id"] != "d001"]), encoding="utf-8")
    capsys.readouterr()
    _cli(tmp_path, cn=fewer)
    orphan = tmp_path / "places" / "chatellerault" / "croix-rouge-d-essai.yml"
    assert orphan.exists()
    assert "chatellerault/croix-rouge-d-essai.yml : plus produite par les sources" in capsys.readouterr().out


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(tmp_path, "--dry-run") == 0
    assert not (tmp_path / "places").exists() and not (tmp_path / "state.json").exists()
    out = capsys.readouterr().out
    assert "gencay/france-services.yml : créée" in out


def test_report_file_is_the_printed_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cli(tmp_path)
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert report in capsys.readouterr().out
    assert "Résumé" in report


def test_plan_files_decisions() -> None:
    state = {"a.yml": files.sha256("old"), "gone.yml": files.sha256("x")}
    actions, new_state = files.plan_files(
        {"a.yml": "new", "b.yml": "b", "c.yml": "c"},
        {"a.yml": "old", "b.yml": None, "c.yml": "edited", "gone.yml": "x"},
        state,
    )
    by_path = {a.path: a for a in actions}
    assert by_path["a.yml"].action == files.UPDATED and by_path["a.yml"].text == "new"
    assert by_path["b.yml"].action == files.CREATED
    assert by_path["c.yml"].action == files.KEPT_EDITED and by_path["c.yml"].text is None
    assert by_path["gone.yml"].action == files.ORPHAN and by_path["gone.yml"].text is None
    assert "c.yml" not in new_state and new_state["gone.yml"] == state["gone.yml"]


# --- the real sources ---------------------------------------------------------------------------


@pytest.mark.skipif(not (REAL_FS.exists() and REAL_CN.exists()), reason="sources partagées absentes")
def test_real_sources_known_defects_are_handled(territory: Territory) -> None:
    fs_rows, cn_rows = _rows(REAL_FS, REAL_CN)
    real = merge.build_import(fs_rows, cn_rows, territory, "2024-08-01")
    by_id = {m.id: o for o in real.outputs for m in o.members}
    # Exact duplicates of the 2022 file, and the same place in both files, are one record.
    first, second = "conseillers-numeriques-62ac88598255a806e299d989", "conseillers-numeriques-62ac8b7a8255a806e299da0e"
    assert by_id[first] is by_id[second]
    pleumartin = by_id["france-services-2274"]
    assert len(pleumartin.members) == 3 and pleumartin.data["id"] == "france-services-2274"
    assert by_id["conseillers-numeriques-627b56dead1bdb06edc4920e"].data["id"] == "france-services-2104"
    # The Jaunay-Marigny row with Loudun's postcode joins its 86130 twin.
    jaunay = by_id["conseillers-numeriques-62ac21828255a806e299cfb5"]
    assert jaunay.data["code_postal"] == "86130" and jaunay.path.startswith("jaunay-marigny/")
    # CEDEX corrected, placeholder hours dropped, capitals rewritten the French way.
    assert by_id["conseillers-numeriques-62b040358255a806e299e2d7"].data["code_postal"] == "86100"
    assert "00:00" not in by_id["france-services-2527"].data["horaires"]
    assert by_id["conseillers-numeriques-62b5ab5bdd51e705b1809cf0"].data["adresse"] == "209 Grand'Rue de Châteauneuf"
    # Rows without hours stay without hours.
    no_hours = [r["id"] for r in cn_rows if not r.get("horaires")]
    for ident in no_hours:
        output = by_id[f"conseillers-numeriques-{ident}"]
        if output.data["id"] == f"conseillers-numeriques-{ident}":
            assert "horaires" not in output.data
    assert sum(len(o.members) for o in real.outputs) + len(real.rejected) == 61


def _candidate(territory: Territory, nom: str, **data: object) -> candidate.Candidate:
    chauvigny = territory.communes_named("Chauvigny")[0]
    base = {"nom": nom, "adresse": "7 Rue des entrepreneurs", "latitude": 46.557243, "longitude": 0.622088}
    return candidate.Candidate(id=nom, nom=nom, origin="test", order=0, data={**base, **data},
                               commune=chauvigny, consistent=True)


def test_two_structures_in_one_building_stay_two_places(territory: Territory) -> None:
    """A France services and a Maison départementale des solidarités sharing a building each
    keep their own page, phone and hours: they are reported, not merged."""
    fs = _candidate(territory, "France services Chauvigny", telephone="+33549472869")
    mds = _candidate(territory, "Maison départementale des Solidarités de Chauvigny",
                     telephone="+33549000000")
    assert merge.duplicate_reasons(fs, mds) == []
    assert "noms différents" in (merge.near_duplicate(fs, mds) or "")
    same_structure = _candidate(territory, "ESPACE FRANCE SERVICES")
    assert merge.duplicate_reasons(fs, same_structure) != []
    same_phone = _candidate(territory, "Mairie annexe", telephone="+33549472869")
    assert "même téléphone" in merge.duplicate_reasons(fs, same_phone)


# --- three sources, CEDEX and other départements --------------------------------------------------

REAL_DI = ROOT.parent / "shared" / "data" / "vienne" / "data-inclusion_2023-02_dep86.json"


def test_a_row_of_another_departement_is_reported_not_moved(territory: Territory) -> None:
    """Vernon (27200, Eure) has a namesake in the Vienne (86340): a commune name alone never
    moves a row into the territory."""
    fs_rows, cn_rows = _rows()
    eure = dict(cn_rows[0], id="eure", commune="Vernon", code_postal="27200", telephone="02 32 00 00 00",
                courriel="vernon@example.org", latitude=49.09, longitude=1.48)
    result = merge.build_import([], [eure], territory, "2025-01-15")
    assert result.outputs == []
    assert [n.message for n in result.rejected[0].notes if n.kind == candidate.K_OUTSIDE] == [
        "code postal 27200 : hors du département 86"]


def test_a_cedex_postcode_needs_an_insee_code_or_coordinates(territory: Territory) -> None:
    fs_rows, cn_rows = _rows()
    base = dict(cn_rows[0], id="cedex", commune="Poitiers", code_postal="86035", telephone="05 49 00 00 77",
                courriel="cedex@example.org")
    blind = dict(base, latitude=None, longitude=None)
    located = dict(base, id="cedex-2", latitude=46.58, longitude=0.34, telephone="05 49 00 00 78",
                   courriel="cedex2@example.org")
    result = merge.build_import([], [blind, located], territory, "2025-01-15")
    assert [o.data["code_postal"] for o in result.outputs] == ["86000"]  # confirmed by its coordinates
    assert "ni code INSEE ni coordonnées" in " ".join(n.message for n in result.rejected[0].notes)


@pytest.mark.skipif(not REAL_DI.exists(), reason="sources partagées absentes")
def test_the_2023_feed_adds_its_places_and_never_a_pin_it_does_not_give(territory: Territory) -> None:
    fs_rows, cn_rows = _rows(REAL_FS, REAL_CN)
    feed = json.loads(REAL_DI.read_text(encoding="utf-8"))
    result = merge.build_import(fs_rows, cn_rows, territory, "2024-08-01", data_inclusion_rows=feed)
    names = {o.data["nom"] for o in result.outputs}
    # Capitals rewritten, but accents the source does not have are never invented.
    for name in ("Mission locale d'insertion du Poitou", "Centre regional information jeunesse nouvelle aquitaine",
                 "CC des Vallées du Clain"):
        assert name in names, sorted(names)
    mission = next(o for o in result.outputs if o.data["nom"] == "Mission locale d'insertion du Poitou")
    assert mission.data["provenance"][0]["source"] == "data·inclusion (ANCT)"
    # A row without coordinates gets none (the map puts it at its commune, « approximative »).
    for row in feed:
        if not row.get("latitude"):
            output = next(o for o in result.outputs if any(m.id == f"data-inclusion-{row['id']}" for m in o.members))
            if len(output.members) == 1:
                assert output.data.get("latitude") is None
    assert "publics_specifiquement_adresses" not in mission.data  # never « Tout public » by default, never invented
    # Every row of the three files is a record, merged into one, or reported.
    assert sum(len(o.members) for o in result.outputs) + len(result.rejected) == len(fs_rows) + len(cn_rows) + len(feed)
