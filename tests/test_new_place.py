"""Creating a new place from the issue form's answers or from questions in a terminal.

The place below is made up (a fixture): it is written to `tmp_path`, never to `places/`.
"""

from __future__ import annotations

import builtins
import importlib.util
from datetime import date
from pathlib import Path

import pytest
from support import TERRITORY_FILE

from annuaire.data.records import load_record
from annuaire.data.territory import Territory
from annuaire.data.vocabulary import SERVICES
from annuaire.importers.issue_form import NewPlaceError, load_form, parse_issue_form, record_from_answers

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 29)

# The body GitHub writes for `proposer-un-lieu.yml` (abridged: GitHub writes every question).
ISSUE_BODY = """\
### Nom du lieu

Médiathèque d'essai de Lusignan

### Adresse (numéro et rue)

1 rue de l'Essai

### Complément d'adresse

_No response_

### Code postal

86600

### Commune

Lusignan

### Téléphone du lieu

05 36 49 12 34

### Adresse e-mail du lieu

accueil@example.org

### Jours et heures d'ouverture

du lundi au vendredi de 9 h à 12 h,
le samedi matin

### Ce qu'on peut faire dans ce lieu

- [X] Être aidé pour faire une démarche en ligne (CAF, impôts, France Travail, santé…)
- [ ] Apprendre à utiliser un téléphone, une tablette ou un ordinateur
- [X] Utiliser un ordinateur ou Internet sur place

### Comment venir ?

- [x] Venez sans rendez-vous

### Ce qu'on trouve sur place

- [X] Wi-Fi gratuit
- [X] Imprimante

### Peut-on entrer en fauteuil roulant ?

Oui

### Qui êtes-vous, ou d'où viennent ces informations ?

Accueil de la médiathèque

### Date à laquelle ces informations étaient justes

28/11/2026

### Avant d'envoyer

- [X] Ces informations concernent un lieu ouvert au public, pas une personne, et peuvent être publiées.
"""


@pytest.fixture(scope="module")
def territory() -> Territory:
    return Territory.load(TERRITORY_FILE)


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("new_place_script", ROOT / "scripts" / "new_place.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_issue_body_gives_the_ticked_answers_only() -> None:
    answers = parse_issue_form(ISSUE_BODY)
    assert answers["nom"] == "Médiathèque d'essai de Lusignan"
    assert answers["code_postal"] == "86600"
    assert "complement_adresse" not in answers  # `_No response_`
    assert answers["services"] == [SERVICES[0].plain, "Utiliser un ordinateur ou Internet sur place"]
    assert answers["horaires"] == "du lundi au vendredi de 9 h à 12 h,\nle samedi matin"
    assert answers["accessible_fauteuil_roulant"] == "Oui"


def test_issue_answers_become_a_record_of_the_standard(territory: Territory) -> None:
    draft = record_from_answers(parse_issue_form(ISSUE_BODY), territory, TODAY)
    data = draft.data
    assert draft.relative_path == "lusignan/mediatheque-d-essai.yml"
    assert data["id"] == "lusignan-mediatheque-d-essai"
    assert (data["commune"], data["code_insee"], data["code_postal"]) == ("Lusignan", "86139", "86600")
    assert data["telephone"] == "+33536491234"
    assert data["courriels"] == ["accueil@example.org"]
    assert data["services"] == ["Aide aux démarches administratives", "Accès internet et matériel informatique"]
    assert data["modalites_acces"] == ["Se présenter"]
    assert data["equipements"] == ["Wi-Fi gratuit", "Imprimante"]
    assert data["accessible_fauteuil_roulant"] == "oui"
    assert data["date_maj"] == "2026-11-28"
    assert data["source"] == "Accueil de la médiathèque"


def test_hours_in_words_are_not_guessed_but_left_to_do(territory: Territory) -> None:
    draft = record_from_answers(parse_issue_form(ISSUE_BODY), territory, TODAY)
    assert "horaires" not in draft.data
    (note,) = [t for t in draft.todo if t.startswith("horaires")]
    assert "du lundi au vendredi de 9 h à 12 h, le samedi matin" in note


def test_hours_already_in_osm_syntax_are_kept(territory: Territory) -> None:
    answers = {"nom": "Lieu d'essai", "commune": "Poitiers", "horaires": "Mo-Fr 09:00-12:00; Sa 09:00-12:00"}
    draft = record_from_answers(answers, territory, TODAY)
    assert draft.data["horaires"] == "Mo-Fr 09:00-12:00; Sa 09:00-12:00"
    assert draft.data["date_maj"] == TODAY.isoformat()  # no date given: today


def test_misspelt_commune_is_refused_with_a_suggestion(territory: Territory) -> None:
    with pytest.raises(NewPlaceError, match="Lusignan"):
        record_from_answers({"nom": "Lieu d'essai", "commune": "Lusignant"}, territory, TODAY)


def test_a_future_date_is_refused(territory: Territory) -> None:
    with pytest.raises(NewPlaceError, match="futur"):
        record_from_answers({"nom": "Lieu d'essai", "commune": "Poitiers", "date": "01/01/2027"}, territory, TODAY)


def test_a_wrong_phone_is_kept_as_typed_and_flagged(territory: Territory) -> None:
    draft = record_from_answers({"nom": "Lieu d'essai", "commune": "Poitiers", "telephone": "05 49"}, territory, TODAY)
    assert draft.data["telephone"] == "05 49"
    assert any(t.startswith("telephone") for t in draft.todo)


def test_script_writes_a_valid_record_from_an_issue_and_never_overwrites(
    tmp_path: Path, script, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = tmp_path / "demande.md"
    issue.write_text(ISSUE_BODY, encoding="utf-8")
    places = tmp_path / "places"
    args = ["--depuis-issue", str(issue), "--dossier", str(places), "--today", TODAY.isoformat()]

    assert script.main(args) == 0
    out = capsys.readouterr().out
    written = places / "lusignan" / "mediatheque-d-essai.yml"
    assert "Fiche créée" in out and "places/lusignan/mediatheque-d-essai.yml" in out
    assert "horaires : à écrire au format OpenStreetMap" in out
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/lieu.schema.json\n")
    record = load_record(written)
    assert record.data["telephone"] == "+33536491234"
    assert record.data["code_postal"] == "86600"

    assert script.main(args) == 1
    assert "existe déjà" in capsys.readouterr().err
    assert written.read_text(encoding="utf-8") == text


def scripted_input(answers: dict[str, list[str]]) -> list[str]:
    """Replies to the questions in the form's order; several replies = the first ones are refused."""
    queue: list[str] = []
    for element in load_form()["body"]:
        key = element.get("id")
        if element["type"] != "markdown" and key and key != "accord":
            queue.extend(answers.get(key, [""]))
    return queue


def test_questions_in_the_terminal_reask_until_the_answer_is_usable(
    tmp_path: Path, script, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = scripted_input({
        "nom": ["", "Espace numérique d'essai"],
        "adresse": ["2 place de l'Essai"],
        "code_postal": ["86280"],
        "commune": ["Saint Benoit des Prés", "St Benoît"],
        "telephone": ["05 49", "05 36 49 12 34"],
        "horaires": ["Tu,Th 14:00-18:00"],
        "services": ["12", "2, 8"],
        "accessible_fauteuil_roulant": ["1"],
        "source": ["Mairie de Saint-Benoît"],
        "date": ["28/11/2026"],
    })
    monkeypatch.setattr(builtins, "input", lambda prompt="": queue.pop(0))
    places = tmp_path / "places"

    assert script.main(["--dossier", str(places), "--today", TODAY.isoformat()]) == 0
    assert queue == []  # every refused answer was asked again, nothing more
    out = capsys.readouterr().out
    assert "Cette réponse est obligatoire." in out
    assert "introuvable dans la Vienne" in out
    assert "n'est pas valide" in out
    (written,) = places.rglob("*.yml")
    assert written.relative_to(places).as_posix() == "saint-benoit/espace-numerique-d-essai.yml"
    data = load_record(written).data
    assert data["commune"] == "Saint-Benoît" and data["code_insee"] == "86214"
    assert data["horaires"] == "Tu,Th 14:00-18:00"
    assert data["services"] == [SERVICES[1].label, SERVICES[7].label]
    assert data["accessible_fauteuil_roulant"] == "oui"


def test_a_postcode_of_another_commune_is_flagged(territory: Territory) -> None:
    answers = {"nom": "Lieu d'essai", "commune": "Lusignan", "code_postal": "86000"}
    draft = record_from_answers(answers, territory, TODAY)
    assert draft.data["code_insee"] == "86139"
    (note,) = [t for t in draft.todo if t.startswith("code_postal")]
    assert "86600" in note
