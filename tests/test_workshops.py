"""Workshops: the dates a resident will see, and what a contributor is told when a fiche is wrong."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from support import fixture_directory, fixture_problems

from annuaire.data import vocabulary
from annuaire.data.calendar import PARIS, Recurrence, load_school_holidays, public_holidays
from annuaire.model.directory import DirectoryError
from annuaire.model.workshops import Occurrence, Workshop, next_occurrence, occurrences, upcoming
from annuaire.problems import Problem, Severity, errors

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ateliers"
TODAY = date(2026, 1, 5)  # a Monday, during the school year 2025-2026


ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schemas" / "atelier.schema.json"


@pytest.fixture(scope="module")
def workshops() -> dict[str, Workshop]:
    assert fixture_problems(FIXTURES, workshops_dir=FIXTURES / "ateliers", today=TODAY) == []
    directory = fixture_directory(FIXTURES, workshops_dir=FIXTURES / "ateliers", today=TODAY)
    return {w.slug: w for w in directory.workshops}


def days(found: list[Occurrence]) -> list[str]:
    return [o.start.date().isoformat() for o in found]


# ------------------------------------------------------------------------------------------
# Occurrences


def test_agenda_of_the_next_90_days(workshops: dict[str, Workshop]) -> None:
    agenda = upcoming(workshops.values(), TODAY, days=90)
    assert [(o.id, o.start.strftime("%H:%M")) for o in agenda] == [
        ("smartphone-du-mardi-2026-01-06", "14:00"),
        ("smartphone-du-mardi-2026-01-13", "14:00"),
        ("arnaques-en-ligne-2026-01-20", "10:00"),
        ("smartphone-du-mardi-2026-01-20", "14:00"),
        ("smartphone-du-mardi-2026-01-27", "14:00"),
        ("smartphone-du-mardi-2026-02-03", "14:00"),
        ("demarches-premier-jeudi-2026-02-05", "09:30"),
        # 10 and 17 February: winter holidays of zone A
        ("smartphone-du-mardi-2026-02-24", "14:00"),
        ("smartphone-du-mardi-2026-03-03", "14:00"),
        ("demarches-premier-jeudi-2026-03-05", "09:30"),
        ("smartphone-du-mardi-2026-03-10", "14:00"),
        # 17 March: listed in `sauf`
        ("smartphone-du-mardi-2026-03-24", "14:00"),
        ("smartphone-du-mardi-2026-03-31", "14:00"),
    ]


def test_weekly_workshop_skips_school_holidays_public_holidays_and_listed_dates(
    workshops: dict[str, Workshop],
) -> None:
    autumn = occurrences(workshops["smartphone-du-mardi"], date(2025, 10, 1), date(2025, 11, 30))
    # 21 and 28 October: Toussaint holidays; 11 November: Armistice (a Tuesday in 2025).
    assert days(autumn) == ["2025-10-07", "2025-10-14", "2025-11-04", "2025-11-18", "2025-11-25"]
    whole = occurrences(workshops["smartphone-du-mardi"], date(2025, 1, 1), date(2027, 1, 1))
    assert days(whole)[0] == "2025-09-02" and days(whole)[-1] == "2026-06-30"
    assert "2026-03-17" not in days(whole)
    assert not {"2026-04-07", "2026-04-14"} & set(days(whole))  # spring holidays
    assert all(o.start.weekday() == 1 for o in whole)


def test_monthly_workshop_on_the_first_thursday(workshops: dict[str, Workshop]) -> None:
    found = occurrences(workshops["demarches-premier-jeudi"], date(2025, 1, 1), date(2027, 1, 1))
    # 1 January 2026 is the first Thursday but a public holiday; April is excluded by a period.
    assert days(found) == [
        "2025-10-02", "2025-11-06", "2025-12-04", "2026-02-05", "2026-03-05", "2026-05-07", "2026-06-04",
    ]


def test_last_weekday_of_the_month_and_public_holidays_kept_on_request(workshops: dict[str, Workshop]) -> None:
    base = workshops["smartphone-du-mardi"]
    assert isinstance(base.schedule, Recurrence)
    last_saturday = replace(base, schedule=replace(
        base.schedule, frequency="mensuelle", weekdays=(5,), rank=-1, skip_school_holidays=False, except_dates=(),
    ))
    assert days(occurrences(last_saturday, date(2026, 1, 1), date(2026, 3, 31))) == [
        "2026-01-31", "2026-02-28", "2026-03-28",
    ]
    open_on_holidays = replace(base, schedule=replace(base.schedule, skip_public_holidays=False))
    assert "2025-11-11" in days(occurrences(open_on_holidays, date(2025, 11, 1), date(2025, 11, 30)))


def test_sessions_are_paris_local_times_across_daylight_saving(workshops: dict[str, Workshop]) -> None:
    before, after = occurrences(workshops["smartphone-du-mardi"], date(2026, 3, 24), date(2026, 3, 31))
    assert before.start.tzinfo == PARIS and after.start.tzinfo == PARIS
    assert before.start.time() == after.start.time() == time(14, 0)
    assert before.start.utcoffset() == timedelta(hours=1) and after.start.utcoffset() == timedelta(hours=2)
    assert after.end - after.start == timedelta(hours=2)


def test_one_off_workshop_and_next_session(workshops: dict[str, Workshop]) -> None:
    one_off = workshops["arnaques-en-ligne"]
    assert days(occurrences(one_off, date(2026, 1, 1), date(2026, 12, 31))) == ["2026-01-20"]
    assert occurrences(one_off, date(2026, 1, 21), date(2026, 12, 31)) == []
    assert next_occurrence(one_off, date(2026, 1, 21)) is None
    nxt = next_occurrence(workshops["smartphone-du-mardi"], date(2026, 2, 4))
    assert nxt is not None and nxt.id == "smartphone-du-mardi-2026-02-24"


def test_stable_addresses_and_record_values(workshops: dict[str, Workshop]) -> None:
    weekly = workshops["smartphone-du-mardi"]
    assert weekly.url_path == "ateliers/smartphone-du-mardi/"
    assert weekly.uid == "smartphone-du-mardi@lieux-numeriques-86"
    assert weekly.file == "ateliers/smartphone-du-mardi.yml"
    assert weekly.place.nom == "Espace numérique des Essais"
    assert weekly.epci is not None and weekly.epci.slug == "cu-du-grand-poitiers"
    # Unquoted phone, times and dates stay exactly what the contributor wrote.
    assert weekly.inscription.telephone == "05 49 00 00 03"
    assert weekly.places == 8 and weekly.public == ("Seniors",)
    assert workshops["demarches-premier-jeudi"].public == ("Tout public",)
    assert workshops["arnaques-en-ligne"].inscription.sans_inscription is True


def test_holiday_calendars() -> None:
    holidays_2026 = public_holidays(2026)
    assert holidays_2026[date(2026, 4, 6)] == "Lundi de Pâques"
    assert holidays_2026[date(2026, 5, 14)] == "Ascension"
    assert holidays_2026[date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert len(holidays_2026) == 11
    periods = load_school_holidays(ROOT / "data" / "vacances-scolaires-zone-a.json")
    toussaint = periods[0]
    assert (toussaint.name, toussaint.first, toussaint.last) == (
        "Vacances de la Toussaint", date(2025, 10, 18), date(2025, 11, 2),
    )
    raw = json.loads((Path(__file__).resolve().parent.parent / "data" / "vacances-scolaires-zone-a.json").read_text())
    for year in ("2025-2026", "2026-2027"):
        names = {p["nom"] for p in raw["periodes"] if p["annee_scolaire"] == year}
        assert {"Vacances de la Toussaint", "Vacances de Noël", "Vacances d'hiver",
                "Vacances de printemps", "Vacances d'été"} <= names
    assert all(a.last < b.first for a, b in zip(periods, periods[1:], strict=False))


# ------------------------------------------------------------------------------------------
# The contract


def test_schema_is_valid_french_and_follows_the_vocabularies() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert all(spec.get("title") and spec.get("description") for spec in schema["properties"].values())
    props = schema["properties"]
    assert props["theme"]["items"]["enum"] == [s.label for s in vocabulary.SERVICES]
    assert props["frais"]["enum"] == list(vocabulary.FRAIS)
    assert props["public"]["items"]["enum"] == ["Tout public", *vocabulary.PUBLICS]


# ------------------------------------------------------------------------------------------
# Validation: the right field, the right line, all at once

VALID_ONE_OFF = (FIXTURES / "ateliers" / "arnaques-en-ligne.yml").read_text(encoding="utf-8")
VALID_WEEKLY = (FIXTURES / "ateliers" / "smartphone-du-mardi.yml").read_text(encoding="utf-8")


def check(tmp_path: Path, files: dict[str, str], today: date = TODAY) -> list[Problem]:
    """What the build reports for these workshop files, next to the fixture's places."""
    folder = tmp_path / "ateliers"
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return fixture_problems(tmp_path, places_dir=FIXTURES / "places", workshops_dir=folder, today=today)


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def only(problems: list[Problem], field: str) -> Problem:
    found = [p for p in problems if p.field == field]
    assert len(found) == 1, problems
    return found[0]


def test_unknown_place_suggests_the_closest_id(tmp_path: Path) -> None:
    text = edit(VALID_ONE_OFF, "lieu: test-espace-numerique-essais", "lieu: test-espace-numerique-essai")
    problem = only(check(tmp_path, {"a.yml": text}), "lieu")
    assert problem.severity is Severity.ERROR and problem.line == line_of(text, "lieu:")
    assert "test-espace-numerique-essai »" in problem.message
    assert "`lieu: test-espace-numerique-essais`" in problem.hint
    by_name = edit(VALID_ONE_OFF, "lieu: test-espace-numerique-essais", "lieu: Médiathèque des essais")
    assert "`lieu: test-mediatheque-essais`" in only(check(tmp_path, {"a.yml": by_name}), "lieu").hint


def test_end_before_start(tmp_path: Path) -> None:
    text = edit(VALID_ONE_OFF, "fin: '12:00'", "fin: '09:00'")
    problem = only(check(tmp_path, {"a.yml": text}), "fin")
    assert problem.line == line_of(text, "fin:") and "avant de commencer" in problem.message
    weekly = edit(VALID_WEEKLY, "fin: 16:00", "fin: 13:00")
    problem = only(check(tmp_path, {"b.yml": weekly}), "recurrence.fin")
    assert problem.line == line_of(weekly, "fin:")
    late = edit(VALID_WEEKLY, "au: 2026-06-30", "au: 2025-06-30")
    problem = only(check(tmp_path, {"b.yml": late}), "recurrence.au")
    assert problem.severity is Severity.ERROR and "avant la première date" in problem.message


def test_series_without_end_date(tmp_path: Path) -> None:
    text = edit(VALID_WEEKLY, "  au: 2026-06-30\n", "")
    problem = only(check(tmp_path, {"a.yml": text}), "recurrence.au")
    assert problem.severity is Severity.ERROR
    assert problem.line == line_of(text, "recurrence:")
    assert "date de fin" in problem.message and "au: '2026-06-30'" in problem.hint


def test_past_workshop_is_a_warning_only(tmp_path: Path) -> None:
    problems = check(tmp_path, {"a.yml": VALID_ONE_OFF}, today=date(2026, 2, 1))
    problem = only(problems, "date")
    assert problem.severity is Severity.WARNING and "passé" in problem.message
    assert problem.line == line_of(VALID_ONE_OFF, "date:")
    ended = only(check(tmp_path, {"b.yml": VALID_WEEKLY}, today=date(2026, 9, 1)), "recurrence.au")
    assert ended.severity is Severity.WARNING


def test_two_workshops_at_the_same_time_in_the_same_place(tmp_path: Path) -> None:
    clash = edit(edit(VALID_ONE_OFF, "debut: '10:00'", "debut: '15:00'"), "fin: '12:00'", "fin: '17:00'")
    problems = check(tmp_path, {"mardi.yml": VALID_WEEKLY, "arnaques.yml": clash})
    assert errors(problems) == []
    assert {(p.file, p.field, p.severity) for p in problems} == {
        ("ateliers/mardi.yml", "recurrence", Severity.WARNING),
        ("ateliers/arnaques.yml", "date", Severity.WARNING),
    }
    mine = next(p for p in problems if p.file == "ateliers/arnaques.yml")
    assert "`ateliers/mardi.yml`" in mine.message and "20 janvier 2026" in mine.message
    other_place = edit(clash, "lieu: test-espace-numerique-essais", "lieu: test-mediatheque-essais")
    assert check(tmp_path, {"mardi.yml": VALID_WEEKLY, "arnaques.yml": other_place}) == []


@pytest.mark.parametrize(
    ("old", "new", "field", "hint_part"),
    [
        ("debut: '10:00'", "debut: 10h30", "debut", "'10:30'"),
        ("date: '2026-01-20'", "date: 20/01/2026", "date", "'2026-01-20'"),
        ("date: '2026-01-20'", "date: '2026-02-30'", "date", "vérifiez le jour"),
        ("fin: '12:00'", "fin: '25:00'", "fin", "heures:minutes"),
        ("niveau: intermédiaire", "niveau: intermediaire", "niveau", "« intermédiaire »"),
        ("  - Utilisation sécurisée du numérique", "  - Utilisation securisee du numerique", "theme[0]",
         "« Utilisation sécurisée du numérique »"),
        ("frais: Gratuit", "frais: gratuit", "frais", "« Gratuit »"),
        ("description:", "descritpion:", "descritpion", "`description`"),
        ("  sans_inscription: oui", "  telephone: '12 34'", "inscription.telephone", "'05 49 52 67 66'"),
        ("  sans_inscription: oui", "  lien: http://www.exemple.fr/", "inscription.lien", "https://www.exemple.fr/"),
        ("  sans_inscription: oui", "  courriel: ateliers(at)exemple.fr", "inscription.courriel", "sans espace"),
        ("  - Tout public", "  - Retraités", "public[0]", "« Tout public »"),
    ],
)
def test_bad_values_are_reported_on_their_line(
    tmp_path: Path, old: str, new: str, field: str, hint_part: str,
) -> None:
    text = edit(VALID_ONE_OFF, old, new)
    problem = only(check(tmp_path, {"a.yml": text}), field)
    assert problem.severity is Severity.ERROR
    assert problem.line == line_of(text, new.strip().split(":")[0].lstrip("- ")), problem
    assert hint_part in problem.hint, problem.hint


@pytest.mark.parametrize(
    ("old", "new", "field", "message_part"),
    [
        ("  frequence: hebdomadaire", "  frequence: hebdo", "recurrence.frequence", "hebdo"),
        ("    - mardi", "    - mardy", "recurrence.jours[0]", "mardy"),
        ("  frequence: hebdomadaire", "  frequence: hebdomadaire\n  rang: 1", "recurrence.rang", "mensuels"),
        ("  frequence: hebdomadaire\n  jours:\n    - mardi",
         "  frequence: mensuelle\n  rang: 1", "recurrence.jour", "il manque"),
        ("    - 2026-03-17", "    - du: 2026-04-20\n      au: 2026-04-01", "recurrence.sauf[0].au", "avant son début"),
        ("    - 2026-03-17", "    - 17/03/2026", "recurrence.sauf[0]", "année-mois-jour"),
        ("  du: 2025-09-02", "  du: 2025-09-02\n  frequance: hebdomadaire", "recurrence.frequance", "inconnu"),
    ],
)
def test_bad_recurrences(
    tmp_path: Path, old: str, new: str, field: str, message_part: str,
) -> None:
    text = edit(VALID_WEEKLY, old, new)
    problem = only(check(tmp_path, {"a.yml": text}), field)
    assert problem.severity is Severity.ERROR and message_part in problem.message, problem
    assert problem.line > 1


def test_excluded_date_that_is_not_a_session_day(tmp_path: Path) -> None:
    text = edit(VALID_WEEKLY, "    - 2026-03-17", "    - 2026-03-18")
    problem = only(check(tmp_path, {"a.yml": text}), "recurrence.sauf[0]")
    assert problem.severity is Severity.WARNING and "mardi" in problem.hint
    assert problem.line == line_of(text, "- 2026-03-18")


def test_when_is_missing_or_given_twice(tmp_path: Path) -> None:
    none = edit(edit(edit(VALID_ONE_OFF, "date: '2026-01-20'\n", ""), "debut: '10:00'\n", ""), "fin: '12:00'\n", "")
    problem = only(check(tmp_path, {"a.yml": none}), "")
    assert "date de l’atelier manque" in problem.message
    both = VALID_WEEKLY + "date: '2026-01-20'\n"
    problem = only(check(tmp_path, {"a.yml": both}), "recurrence")
    assert "pas les deux" in problem.message and problem.line == line_of(both, "recurrence:")


def test_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    broken = edit(VALID_ONE_OFF, "lieu: test-espace-numerique-essais", "lieu: inconnu")
    broken = edit(broken, "frais: Gratuit", "frais: Gratis")
    problems = check(tmp_path, {
        "a.yml": broken,
        "b.yml": "titre: [pas fermé\n",
        "Mauvais Nom.yml": VALID_ONE_OFF,
        "sous-dossier/c.yml": VALID_ONE_OFF,
    })
    by_file = {(p.file, p.field) for p in errors(problems)}
    assert {("ateliers/a.yml", "lieu"), ("ateliers/a.yml", "frais")} <= by_file
    assert any(f == "ateliers/b.yml" for f, _ in by_file)
    bad_name = next(p for p in problems if p.file == "ateliers/Mauvais Nom.yml")
    assert "`ateliers/mauvais-nom.yml`" in bad_name.hint
    nested = next(p for p in problems if p.file == "ateliers/sous-dossier/c.yml")
    assert "`ateliers/c.yml`" in nested.hint


@pytest.mark.parametrize("name", ["index", "territoires", "themes"])
def test_file_named_like_an_agenda_page_is_refused_before_the_build(
    tmp_path: Path, name: str
) -> None:
    problems = check(tmp_path, {f"{name}.yml": VALID_ONE_OFF})
    assert [(p.file, p.line, p.field, p.severity) for p in problems] == [
        (f"ateliers/{name}.yml", 1, "", Severity.ERROR)
    ]
    assert "nom de fichier réservé" in problems[0].message
    assert f"`ateliers/atelier-{name}.yml`" in problems[0].hint


def test_no_workshop_folder_is_fine(tmp_path: Path) -> None:
    settings = {"places_dir": FIXTURES / "places", "workshops_dir": tmp_path / "ateliers", "today": TODAY}
    assert fixture_problems(tmp_path, **settings) == []
    assert fixture_directory(tmp_path, **settings).workshops == ()


def test_a_wrong_workshop_stops_the_build_and_only_it_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "ateliers"
    folder.mkdir()
    (folder / "bon.yml").write_text(VALID_ONE_OFF, encoding="utf-8")
    (folder / "mauvais.yml").write_text(edit(VALID_ONE_OFF, "fin: '12:00'", "fin: '09:00'"), encoding="utf-8")
    settings = {"places_dir": FIXTURES / "places", "workshops_dir": folder, "today": TODAY}
    assert {p.file for p in errors(fixture_problems(tmp_path, **settings))} == {"ateliers/mauvais.yml"}
    with pytest.raises(DirectoryError):
        fixture_directory(tmp_path, **settings)
    (folder / "mauvais.yml").unlink()
    assert [w.slug for w in fixture_directory(tmp_path, **settings).workshops] == ["bon"]
