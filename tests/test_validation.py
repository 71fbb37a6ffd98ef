"""What a contributor sees when a fiche is wrong: the right field, the right line, all at once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from support import TERRITORY_FILE, fixture_directory, fixture_problems

from annuaire.data import vocabulary
from annuaire.data.territory import Territory
from annuaire.data.vocabulary import load_typologies
from annuaire.problems import Problem, Severity, errors

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "records"
VALID = FIXTURES / "places" / "poitiers" / "espace-numerique-exemple.yml"
VALID_TEXT = VALID.read_text(encoding="utf-8")
TODAY = date(2024, 9, 1)
STANDARD = ROOT / "data" / "standard-mediation-num_v1.0.2_schema.json"
SCRIPT = ROOT / "scripts" / "validate.py"
SCHEMA_PATH = ROOT / "schemas" / "lieu.schema.json"


@pytest.fixture(scope="module")
def territory() -> Territory:
    return Territory.load(TERRITORY_FILE)


def write(tmp_path: Path, text: str, rel: str = "places/poitiers/espace-numerique-exemple.yml") -> Path:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(tmp_path: Path, territory: Territory) -> list[Problem]:
    """Every problem the build would report (`check_directory`, as `validate.py` and the hook)."""
    return fixture_problems(tmp_path, today=TODAY)


def replace(old: str, new: str, text: str = VALID_TEXT) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# ------------------------------------------------------------------------------------------
# The contract itself


def test_valid_fixtures_pass_with_zero_problems(territory: Territory) -> None:
    assert fixture_problems(FIXTURES, today=TODAY) == []
    assert len(fixture_directory(FIXTURES, today=TODAY).places) == 2  # one fully filled, one minimal, unquoted


def test_schema_is_draft_2020_12_and_closed() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "nom", "adresse", "code_postal", "commune", "code_insee", "date_maj"}


def test_schema_covers_every_field_of_the_national_standard_in_french() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    standard = json.loads(STANDARD.read_text(encoding="utf-8"))
    names = [f["name"] for f in standard["fields"]]
    assert set(names) <= set(schema["properties"])
    for name in names:
        spec = schema["properties"][name]
        assert spec["title"] and spec["description"], name
    assert "48 des 61" in schema["properties"]["pivot"]["description"]
    for local in ("equipements", "accessible_fauteuil_roulant"):
        assert local not in names
        assert schema["properties"][local]["description"].startswith(
            "Extension locale (hors standard national) :"
        )


def test_schema_vocabularies_are_those_of_the_vocabulary_module() -> None:
    props = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["properties"]
    expected = {
        "services": [s.label for s in vocabulary.SERVICES],
        "publics_specifiquement_adresses": list(vocabulary.PUBLICS),
        "prise_en_charge_specifique": list(vocabulary.PRISE_EN_CHARGE),
        "frais_a_charge": list(vocabulary.FRAIS),
        "itinerance": list(vocabulary.ITINERANCE),
        "modalites_acces": list(vocabulary.MODALITES_ACCES),
        "modalites_accompagnement": list(vocabulary.MODALITES_ACCOMPAGNEMENT),
        "dispositif_programmes_nationaux": list(vocabulary.DISPOSITIFS),
        "formations_labels": list(vocabulary.FORMATIONS_LABELS),
        "equipements": list(vocabulary.EQUIPEMENTS),
        "typologie": list(load_typologies(ROOT / "data" / "typologies.csv")),
    }
    for field, values in expected.items():
        assert props[field]["type"] == "array", field
        assert props[field]["uniqueItems"] is True, field
        assert props[field]["items"]["enum"] == values, field
    # The standard's own pattern forgets a space; we accept the correctly written label.
    assert "Étapes numériques (La Poste)" in props["formations_labels"]["items"]["enum"]


def test_schema_formats_accepted_by_editors() -> None:
    validator = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    base = {"id": "a", "nom": "n", "adresse": "a", "code_postal": "86000", "commune": "Poitiers",
            "code_insee": "86194", "date_maj": "2024-08-01"}
    good = [
        {"telephone": "+33549526766"}, {"telephone": "05 49 52 67 66"},
        {"pivot": "21860194300011"}, {"pivot": "W863001234"},
        {"site_web": ["https://www.exemple.fr/a?b=c"]}, {"latitude": 46.5, "longitude": 0.3},
    ]
    bad = [
        {"telephone": "0549526766"}, {"pivot": "123"}, {"site_web": ["http://www.exemple.fr"]},
        {"prise_rdv": "javascript:alert(1)"}, {"latitude": "46.5"}, {"horraires": "Mo 09:00-12:00"},
    ]
    for extra in good:
        assert list(validator.iter_errors(base | extra)) == [], extra
    for extra in bad:
        assert list(validator.iter_errors(base | extra)) != [], extra


# ------------------------------------------------------------------------------------------
# One kind of bad input at a time: the field AND the line a contributor is sent to


BAD_INPUTS = [
    # id, text to replace, replacement, field reported, words of the message or hint
    ("code postal d’une autre commune", "code_postal: '86000'", "code_postal: '86100'", "code_postal", "86000"),
    ("horaires illisibles", "horaires: Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
     "horaires: du lundi au vendredi de 9h à 12h", "horaires", "Mo-Fr 09:00-12:00,14:00-17:00"),
    ("champ mal orthographié", "horaires:", "horraires:", "horraires", "voulez-vous dire `horaires` ?"),
    ("téléphone invalide", "telephone: '05 49 00 00 01'", "telephone: '05 49 00'", "telephone", "05 49 52 67 66"),
    ("téléphone mal présenté", "telephone: '05 49 00 00 01'", "telephone: '0549000001'", "telephone",
     "'05 49 00 00 01'"),
    ("adresse http", "  - https://www.exemple.fr/espace-numerique", "  - http://www.exemple.fr/espace-numerique",
     "site_web[0]", "https://www.exemple.fr/espace-numerique"),
    ("adresse javascript", "prise_rdv: https://rdv.exemple.fr/espace-numerique", "prise_rdv: javascript:alert(1)",
     "prise_rdv", "https://"),
    ("adresse data", "  - https://www.exemple.fr/espace-numerique", "  - data:text/html,bonjour",
     "site_web[0]", "https://"),
    ("date dans le futur", "date_maj: '2024-08-01'", "date_maj: '2024-09-02'", "date_maj", "futur"),
    ("date impossible", "date_maj: '2024-08-01'", "date_maj: '2024-02-30'", "date_maj", "n’existe pas"),
    ("date à la française", "date_maj: '2024-08-01'", "date_maj: 01/08/2024", "date_maj", "'2024-08-01'"),
    ("coordonnées hors de la Vienne", "latitude: 46.58", "latitude: 45.76", "latitude", "Vienne"),
    ("coordonnées inversées", "latitude: 46.58\nlongitude: 0.34", "latitude: 0.34\nlongitude: 46.58",
     "latitude", "inversées"),
    ("latitude sans longitude", "longitude: 0.34\n", "", "latitude", "longitude"),
    ("latitude pas un nombre", "latitude: 46.58", "latitude: quarante-six", "latitude", "nombre"),
    ("latitude avec une virgule", "latitude: 46.58", "latitude: 46,58", "latitude", "`46.58`"),
    ("service inconnu", "  - Maîtrise des outils numériques du quotidien", "  - Cours de cuisine",
     "services[1]", "Aide aux démarches administratives"),
    ("service sans accent", "  - Aide aux démarches administratives", "  - Aide aux demarches administratives",
     "services[0]", "voulez-vous dire « Aide aux démarches administratives » ?"),
    ("typologie inconnue", "  - EPN", "  - ESPACE_NUMERIQUE", "typologie[0]", "data/typologies.csv"),
    ("oui/non en anglais", "accessible_fauteuil_roulant: oui", "accessible_fauteuil_roulant: yes",
     "accessible_fauteuil_roulant", "« oui »"),
    ("courriel invalide", "  - contact@exemple.fr", "  - contact(at)exemple.fr", "courriels[0]", "contact@"),
    ("liste écrite sur une ligne", "frais_a_charge:\n  - Gratuit", "frais_a_charge: Gratuit",
     "frais_a_charge", "« - »"),
    ("résumé trop long", "presentation_resume: Un lieu inventé pour vérifier la validation des fiches.",
     "presentation_resume: " + "Un lieu inventé. " * 20, "presentation_resume", "280"),
    ("SIRET invalide", "source: Fiche de test inventée", "source: Fiche de test inventée\npivot: '123 456'",
     "pivot", "14 chiffres"),
    ("commune différente du code INSEE", "commune: Poitiers", "commune: Châtellerault", "commune", "Poitiers"),
    ("code INSEE inconnu", "code_insee: '86194'", "code_insee: '86999'", "code_insee", "86194"),
    ("nom vide", "nom: Espace numérique d’exemple", "nom:", "nom", "vide"),
]


@pytest.mark.parametrize(("old", "new", "field", "words"), [case[1:] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_each_bad_input_is_reported_on_its_field_and_line(
    tmp_path: Path, territory: Territory, old: str, new: str, field: str, words: str
) -> None:
    text = replace(old, new)
    write(tmp_path, text)
    problems = check(tmp_path, territory)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.field == field
    needle = new.split("\n", 1)[0] if new else "latitude:"
    if field == "pivot":
        needle = "pivot:"
    assert problem.line == line_of(text, needle)
    assert problem.file == "places/poitiers/espace-numerique-exemple.yml"
    assert problem.severity is Severity.ERROR
    assert words in problem.message + " — " + problem.hint


def test_coordinates_far_away_report_both_lines(tmp_path: Path, territory: Territory) -> None:
    text = replace("latitude: 46.58\nlongitude: 0.34", "latitude: 48.85\nlongitude: 2.35")  # Paris
    write(tmp_path, text)
    problems = check(tmp_path, territory)
    assert [(p.field, p.line) for p in problems] == [
        ("latitude", line_of(text, "latitude:")), ("longitude", line_of(text, "longitude:"))
    ]


def test_missing_required_field_is_named(tmp_path: Path, territory: Territory) -> None:
    write(tmp_path, replace("code_insee: '86194'\n", ""))
    problems = check(tmp_path, territory)
    assert [(p.field, p.line, p.message) for p in problems] == [
        ("code_insee", 1, "champ obligatoire manquant")
    ]
    assert "'86194'" in problems[0].hint


def test_file_in_the_wrong_commune_folder(tmp_path: Path, territory: Territory) -> None:
    write(tmp_path, VALID_TEXT, "places/chatellerault/espace-numerique-exemple.yml")
    problems = check(tmp_path, territory)
    assert [(p.field, p.line) for p in problems] == [("code_insee", line_of(VALID_TEXT, "code_insee:"))]
    assert "`places/poitiers/espace-numerique-exemple.yml`" in problems[0].hint


def test_file_name_that_is_not_a_slug(tmp_path: Path, territory: Territory) -> None:
    write(tmp_path, VALID_TEXT, "places/poitiers/Espace Numérique.yml")
    problems = check(tmp_path, territory)
    assert [(p.field, p.line) for p in problems] == [("", 1)]
    assert "`places/poitiers/espace-numerique.yml`" in problems[0].hint


def test_duplicate_id_is_reported_in_both_files(tmp_path: Path, territory: Territory) -> None:
    write(tmp_path, VALID_TEXT)
    other = replace("  - https://www.exemple.fr/espace-numerique", "  - https://www.exemple.fr/autre")
    other = replace("prise_rdv: https://rdv.exemple.fr/espace-numerique\n", "", other)
    write(tmp_path, other, "places/poitiers/autre-lieu.yml")
    problems = check(tmp_path, territory)
    assert {(p.file, p.field, p.line) for p in problems} == {
        ("places/poitiers/espace-numerique-exemple.yml", "id", line_of(VALID_TEXT, "id:")),
        ("places/poitiers/autre-lieu.yml", "id", line_of(other, "id:")),
    }
    assert all("autre-lieu.yml" in p.message or "espace-numerique-exemple.yml" in p.message for p in problems)


def test_same_website_on_two_places_is_only_a_warning(tmp_path: Path, territory: Territory) -> None:
    write(tmp_path, VALID_TEXT)
    other = replace("id: test-espace-numerique-exemple", "id: test-autre-lieu")
    write(tmp_path, other, "places/poitiers/autre-lieu.yml")
    problems = check(tmp_path, territory)
    assert problems and errors(problems) == []
    assert {p.field for p in problems} == {"site_web[0]", "prise_rdv"}


def test_a_networks_website_shared_by_many_places_is_not_a_duplicate(tmp_path: Path, territory: Territory) -> None:
    """France services, a library network: thousands of places of the national data give the
    same address. Four places or more sharing it are not one place written four times."""
    write(tmp_path, VALID_TEXT)
    for n in range(1, 4):
        write(tmp_path, replace("id: test-espace-numerique-exemple", f"id: test-autre-lieu-{n}"),
              f"places/poitiers/autre-lieu-{n}.yml")
    assert check(tmp_path, territory) == []


def test_a_duplicate_names_a_few_other_files_not_all(tmp_path: Path, territory: Territory) -> None:
    """The same identifier in five files: each message names three others and counts the rest
    (a national import's messages must not list thousands of files each)."""
    write(tmp_path, VALID_TEXT)
    for n in range(1, 5):
        other = replace("site_web:\n  - https://www.exemple.fr/espace-numerique\n", "")
        write(tmp_path, other, f"places/poitiers/autre-lieu-{n}.yml")
    messages = [p.message for p in check(tmp_path, territory) if p.field == "id"]
    assert len(messages) == 5
    assert all(m.count(".yml`") == 3 and m.endswith(" et 1 autre") for m in messages), messages


def test_same_page_address_twice_is_an_error(tmp_path: Path, territory: Territory) -> None:
    """Two files named alike in two folders would publish the same page `/lieux/poitiers/…/`."""
    write(tmp_path, VALID_TEXT)
    other = replace("id: test-espace-numerique-exemple", "id: test-autre-lieu")
    other = replace("site_web:\n  - https://www.exemple.fr/espace-numerique\n", "", other)
    other = replace("prise_rdv: https://rdv.exemple.fr/espace-numerique\n", "", other)
    write(tmp_path, other, "places/ailleurs/espace-numerique-exemple.yml")
    messages = [p.message for p in check(tmp_path, territory) if p.field == ""]
    assert any("/lieux/poitiers/espace-numerique-exemple/" in m for m in messages)


def test_duplicate_key_points_at_the_second_one(tmp_path: Path, territory: Territory) -> None:
    text = VALID_TEXT + "nom: Un autre nom\n"
    write(tmp_path, text)
    problems = check(tmp_path, territory)
    assert [(p.field, p.line) for p in problems] == [("nom", line_of(text, "nom: Un autre nom"))]
    assert "deux fois" in problems[0].message


def test_yaml_syntax_error_points_at_the_line(tmp_path: Path, territory: Territory) -> None:
    text = replace("nom: Espace numérique d’exemple", "nom: Espace : numérique: exemple")
    write(tmp_path, text)
    problems = check(tmp_path, territory)
    assert [(p.field, p.line) for p in problems] == [("", line_of(text, "nom: Espace :"))]
    assert "guillemets" in problems[0].message + problems[0].hint


def test_many_problems_are_all_reported_at_once(tmp_path: Path, territory: Territory) -> None:
    text = VALID_TEXT
    for old, new in [
        ("code_postal: '86000'", "code_postal: '86100'"),
        ("horaires:", "horraires:"),
        ("telephone: '05 49 00 00 01'", "telephone: '12'"),
        ("  - https://www.exemple.fr/espace-numerique", "  - http://www.exemple.fr/espace-numerique"),
        ("  - Aide aux démarches administratives", "  - Cours de cuisine"),
        ("latitude: 46.58", "latitude: nord"),
        ("date_maj: '2024-08-01'", "date_maj: '2024-02-30'"),
    ]:
        text = replace(old, new, text)
    write(tmp_path, text, "places/chatellerault/Mauvais Nom.yml")
    write(tmp_path, "id: [cassé\n", "places/poitiers/casse.yml")
    problems = check(tmp_path, territory)
    fields = sorted(p.field for p in problems)
    assert fields == sorted([
        "", "", "code_postal", "horraires", "telephone", "site_web[0]", "services[0]",
        "latitude", "date_maj", "code_insee",
    ])
    assert {p.file for p in problems} == {"places/chatellerault/Mauvais Nom.yml", "places/poitiers/casse.yml"}


@pytest.mark.parametrize(
    "text",
    [
        "id:\n  - a\n  - b\nnom: {a: b}\nadresse: [x]\ncode_postal:\n  x: 1\ncommune: []\n"
        "code_insee: [86194]\ndate_maj: {}\n",
        "id: a\nnom: b\nadresse: c\ncode_postal: '86000'\ncommune: Poitiers\ncode_insee: '86194'\n"
        "date_maj: '2024-08-01'\nlatitude: [1]\nlongitude: {a: 1}\nservices: [[x], {a: b}, ~]\n"
        "courriels: contact@exemple.fr\nsite_web: {url: x}\nhoraires: [Mo]\ntelephone: [x]\n",
        "id: a\nlatitude: nan\nlongitude: inf\nhoraires: '24/7; ;;'\ndate_maj: '99999-01-01'\n"
        "site_web: ['https://', 'HTTPS://exemple.fr', 'exemple', 'ftp://x.fr', '']\n",
    ],
)
def test_strange_shapes_are_reported_never_raised(tmp_path: Path, territory: Territory, text: str) -> None:
    write(tmp_path, text)
    problems = check(tmp_path, territory)
    assert errors(problems)
    assert not any("vérification impossible" in p.message for p in problems)
    assert all(p.message and p.hint for p in problems)


def test_validation_writes_nothing(tmp_path: Path, territory: Territory) -> None:
    write(tmp_path, replace("horaires:", "horraires:"))
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    check(tmp_path, territory)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


# ------------------------------------------------------------------------------------------
# The command line, as CI runs it

GITHUB_LINE = re.compile(r"^::error file=([^,]+),line=(\d+),col=(\d+)(?:,title=[^:]*)?::(.+)$")


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "ANNUAIRE_DATE")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(SCRIPT), "places", *args],
        cwd=tmp_path, env=environment, capture_output=True, text=True, check=False,
    )


def test_cli_exit_code_and_github_annotations(tmp_path: Path) -> None:
    text = replace("horaires:", "horraires:")
    write(tmp_path, text)
    summary = tmp_path / "summary.md"
    result = run_cli(tmp_path, "--today", "2024-09-01", GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    assert "places/poitiers/espace-numerique-exemple.yml:" in result.stdout
    annotations = [GITHUB_LINE.match(line) for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and annotations[0] is not None
    file, line, col, body = annotations[0].groups()
    expected = ("places/poitiers/espace-numerique-exemple.yml", line_of(text, "horraires:"), 1)
    assert (file, int(line), int(col)) == expected
    assert "horaires" in body
    assert "horraires" in summary.read_text(encoding="utf-8")


def test_cli_valid_folder_exits_zero_without_annotations(tmp_path: Path) -> None:
    write(tmp_path, VALID_TEXT)
    result = run_cli(tmp_path, "--today", "2024-09-01")
    assert result.returncode == 0, result.stdout
    assert "::error" not in result.stdout
    assert "valides" in result.stdout


def test_cli_today_comes_from_annuaire_date(tmp_path: Path) -> None:
    write(tmp_path, VALID_TEXT)  # dated 2024-08-01
    assert run_cli(tmp_path, ANNUAIRE_DATE="2024-07-01").returncode == 1
    assert run_cli(tmp_path, "--github", ANNUAIRE_DATE="2024-08-01").returncode == 0


def test_cli_warnings_alone_exit_zero(tmp_path: Path) -> None:
    write(tmp_path, VALID_TEXT)
    write(tmp_path, replace("id: test-espace-numerique-exemple", "id: test-autre"), "places/poitiers/autre.yml")
    result = run_cli(tmp_path, "--github", "--today", "2024-09-01")
    assert result.returncode == 0
    assert "::warning file=places/poitiers/autre.yml," in result.stdout


def test_an_itinerant_place_names_its_stops_by_commune(tmp_path: Path, territory: Territory) -> None:
    """`communes_desservies` (local extension): communes of the Vienne where the place receives."""
    stops = "source: Fiche de test inventée\ncommunes_desservies:\n  - Lussac-les-Châteaux\n  - Lusac\n"
    text = replace("source: Fiche de test inventée", stops)
    write(tmp_path, text)
    messages = [(p.field, p.message) for p in check(tmp_path, territory)]
    assert any(field == "communes_desservies[1]" and "« Lusac » introuvable" in message for field, message in messages)
    write(tmp_path, replace("source: Fiche de test inventée",
                            "itinerance:\n  - Itinérant\ncommunes_desservies:\n  - Lussac-les-Châteaux\n"
                            "source: Fiche de test inventée"))
    assert check(tmp_path, territory) == []
