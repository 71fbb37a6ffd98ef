"""The workshops on the site, as a resident sees them: a fixture agenda (made-up places and
workshops: one-off, weekly skipping school holidays, monthly, exceptions, public holiday)
built as a real site at fixed dates, its pages, its calendar files, and the French messages
when a workshop record is wrong."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import recurring_ical_events
import yaml
from icalendar import Calendar
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from support import fixture_settings, write_mkdocs_config

from annuaire.data.calendar import PARIS
from annuaire.exports.calendars import feeds, stamp
from annuaire.model.directory import Directory, DirectoryError, check_directory, load_directory
from annuaire.settings import Settings
from annuaire.site import agenda
from annuaire.site.templating import environment

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "agenda"
BUILD_DATE = date(2026, 2, 2)  # a Monday; winter holidays (zone A) from 7 to 22 February
LATER = date(2026, 3, 4)  # a Wednesday, one month later

# Every session from 2 February 2026 to the end of the 12 weeks (26 April), by hand:
# - smartphone (Tuesdays 14-16, school holidays skipped, and 17 March in `sauf`):
#   not 10 and 17 February (winter), not 17 March, not 7 and 14 April (spring);
# - démarches (first Thursday 9:30-11:30, not in April: `sauf` period): 5 Feb, 5 Mar;
# - arnaques (one-off): 12 March 10-12;
# - ordinateur (Mondays 10-12 from 2 March, holidays NOT skipped, but Easter Monday 6 April is).
EXPECTED = [
    "2026-02-03T14:00", "2026-02-05T09:30",
    "2026-02-24T14:00",
    "2026-03-02T10:00", "2026-03-03T14:00", "2026-03-05T09:30",
    "2026-03-09T10:00", "2026-03-10T14:00", "2026-03-12T10:00",
    "2026-03-16T10:00",
    "2026-03-23T10:00", "2026-03-24T14:00",
    "2026-03-30T10:00", "2026-03-31T14:00",
    "2026-04-13T10:00",
    "2026-04-20T10:00", "2026-04-21T14:00",
]
SMARTPHONE = [s for s in EXPECTED if s.endswith("T14:00")]


def build_at(folder: Path, day: date, workshops_dir: Path = FIXTURE / "ateliers") -> Path:
    """Build the fixture site as `ANNUAIRE_DATE=<day> mkdocs build --strict` would."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("ANNUAIRE_DATE", day.isoformat())
        build(load_config(config_file=str(write_mkdocs_config(folder, FIXTURE / "places", workshops_dir)), strict=True))
    return folder / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_at(tmp_path_factory.mktemp("agenda"), BUILD_DATE)


@pytest.fixture(scope="module")
def later_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_at(tmp_path_factory.mktemp("agenda-plus-tard"), LATER)


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def times(page: str) -> list[str]:
    """The sessions of a page, in order: the `datetime` of every <time> element."""
    return re.findall(r'<time datetime="([^"]+)"', page)


def text(page: str) -> str:
    """Visible text, tags removed, spaces normalized (as a reader hears it)."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


# ------------------------------------------------------------------------------------------
# The agenda page


def test_agenda_lists_every_coming_session_by_week_with_holidays_and_exceptions_left_out(site: Path) -> None:
    page = html(site, "ateliers")
    assert times(page) == EXPECTED
    words = text(page)
    for heading in ("Semaine du 2 au 8 février", "Semaine du 23 février au 1er mars", "Semaine du 2 au 8 mars",
                    "Semaine du 30 mars au 5 avril", "Semaine du 20 au 26 avril"):
        assert "<h2 id=\"semaine-" in page and heading in words, heading
    assert "Semaine du 9 au 15 février" not in words  # winter holidays: nothing that week
    assert "mardi 3 février, 14 h – 16 h" in words
    assert "jeudi 5 février, 9 h 30 – 11 h 30" in words
    assert "du lundi 2 février au dimanche 26 avril" in words


def test_each_session_says_where_for_whom_how_much_and_how_to_sign_up(site: Path) -> None:
    page = html(site, "ateliers")
    words = text(page)
    assert 'href="../lieux/chatellerault/mediatheque-des-essais/"' in page
    assert "Médiathèque des Essais , Châtellerault" in words
    assert "Pour : Seniors ; niveau débutant" in words
    assert "Prix : Payant (2 € la séance)" in words
    assert 'href="tel:+33549000021"' in page
    assert 'href="mailto:ateliers@exemple.fr"' in page
    assert 'href="https://www.exemple.fr/ateliers"' in page
    assert "Sans inscription : venez directement" in words
    assert "(8 places)" in words


def test_agenda_is_in_the_menu_and_filters_work_without_javascript(site: Path) -> None:
    home = html(site, "")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    assert re.search(r'<a href="ateliers/" class="md-nav__link">\s*(?:<[^>]+>\s*)*Ateliers\s', nav)
    page = html(site, "ateliers")
    for path in ("ateliers/territoires/ca-grand-chatellerault/", "ateliers/themes/aide-aux-demarches-administratives/"):
        assert f'href="../{path}"' in page
    chatellerault = html(site, "ateliers/territoires/ca-grand-chatellerault")
    assert times(chatellerault) == SMARTPHONE
    assert "<h1>Ateliers : Communauté d’agglomération Grand Châtellerault</h1>" in chatellerault
    steps = html(site, "ateliers/themes/aide-aux-demarches-administratives")
    assert times(steps) == ["2026-02-05T09:30", "2026-03-05T09:30"]
    assert 'href="../communes/chatellerault/#ateliers"' in page


def test_past_sessions_are_gone_at_the_next_build(later_site: Path) -> None:
    page = html(later_site, "ateliers")
    later = [s for s in EXPECTED if s >= "2026-03-04"]
    assert times(page)[: len(later)] == later
    assert "2026-03-03T14:00" not in page and "2026-02-24T14:00" not in page
    # The horizon moves too: new sessions at the end of April and in May appear.
    assert "2026-04-28T14:00" in times(page) and "2026-05-26T14:00" in times(page)
    assert "2026-04-27T10:00" in times(page)  # last Monday of the series


# ------------------------------------------------------------------------------------------
# Place, commune, EPCI and workshop pages


def test_place_page_shows_its_next_workshops_and_its_calendar(site: Path) -> None:
    page = html(site, "lieux/chatellerault/mediatheque-des-essais")
    assert '<h2 id="ateliers">Prochains ateliers</h2>' in page
    assert times(page) == SMARTPHONE[:8]
    assert "mardi 3 février, 14 h – 16 h : Bien utiliser son smartphone" in text(page)
    assert 'href="../../../lieux/chatellerault/mediatheque-des-essais/ateliers.ics"' in page
    assert (site / "lieux/chatellerault/mediatheque-des-essais/ateliers.ics").is_file()


def test_place_without_workshop_shows_nothing_about_workshops(site: Path) -> None:
    page = html(site, "lieux/poitiers/point-numerique-du-marche")
    content = page[page.index('<div class="annuaire annuaire-lieu">'):page.index("</article>")]
    assert 'id="ateliers"' not in content and "<time" not in content and "atelier" not in text(content).lower()


def test_commune_and_epci_pages_show_their_next_workshops(site: Path) -> None:
    commune = html(site, "communes/chatellerault")
    assert "Prochains ateliers à Châtellerault" in text(commune)
    assert times(commune) == SMARTPHONE[:8]
    assert "mardi 3 février, 14 h – 16 h : Bien utiliser son smartphone , à Médiathèque des Essais" in text(commune)
    assert 'href="../../ateliers/territoires/ca-grand-chatellerault/"' in commune
    assert 'id="ateliers"' not in html(site, "communes/adriers")
    epci = html(site, "territoires/cc-vienne-et-gartempe")
    assert times(epci) == [s for s in EXPECTED if s.endswith("T10:00") and s != "2026-03-12T10:00"]
    assert "lundi 2 mars, 10 h – 12 h : Premiers pas sur l’ordinateur , à France services des Essais (Montmorillon)" in text(epci)
    assert 'href="../../ateliers/cc-vienne-et-gartempe.ics"' in epci
    assert 'href="../../ateliers/territoires/cc-vienne-et-gartempe/"' in epci


def test_workshop_page_has_its_dates_rules_and_add_to_my_agenda(site: Path) -> None:
    page = html(site, "ateliers/smartphone-du-mardi")
    words = text(page)
    assert "Chaque mardi, de 14 h à 16 h, du 2 septembre 2025 au 30 juin 2026." in words
    assert "Pas d’atelier pendant les vacances scolaires" in words
    assert "Pas d’atelier le mardi 17 mars 2026" in words
    assert times(page)[:3] == ["2026-02-03T14:00", "2026-02-24T14:00", "2026-03-03T14:00"]
    assert "2026-02-10T14:00" not in times(page)
    assert re.search(r'<a class="annuaire-bouton" href="\.\./\.\./ateliers/smartphone-du-mardi/atelier\.ics">'
                     r"Ajouter à mon agenda</a>", page)
    assert (site / "ateliers/smartphone-du-mardi/atelier.ics").is_file()
    assert 'href="webcal://lieux-numeriques-86.github.io/annuaire/lieux/chatellerault/mediatheque-des-essais/ateliers.ics"' in page
    one_off = text(html(site, "ateliers/arnaques-en-ligne"))
    assert "Le jeudi 12 mars 2026, de 10 h à 12 h." in one_off


def test_finished_workshop_keeps_its_page_and_says_so(later_site: Path) -> None:
    assert "Cet atelier est terminé" not in html(later_site, "ateliers/arnaques-en-ligne")
    directory, settings = fixture_directory(date(2026, 3, 13))
    files = produce(directory, settings)
    assert "Cet atelier est terminé : aucune séance à venir." in str(files["ateliers/arnaques-en-ligne.md"])


# ------------------------------------------------------------------------------------------
# Calendar files


def expanded(ics: bytes, start: date, end: date) -> list[str]:
    calendar = Calendar.from_ical(ics)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(e.decoded("DTSTART").astimezone(PARIS).strftime("%Y-%m-%dT%H:%M") for e in events)


def test_calendars_expand_to_the_sessions_of_the_agenda(site: Path) -> None:
    end = BUILD_DATE + timedelta(weeks=12)
    whole = (site / "ateliers/agenda.ics").read_bytes()
    assert expanded(whole, BUILD_DATE, end) == EXPECTED
    assert expanded((site / "ateliers/ca-grand-chatellerault.ics").read_bytes(), BUILD_DATE, end) == SMARTPHONE
    place = (site / "lieux/chatellerault/mediatheque-des-essais/ateliers.ics").read_bytes()
    assert expanded(place, BUILD_DATE, end) == SMARTPHONE
    one = (site / "ateliers/demarches-premier-jeudi/atelier.ics").read_bytes()
    assert expanded(one, BUILD_DATE, date(2026, 7, 1)) == [
        "2026-02-05T09:30", "2026-03-05T09:30", "2026-05-07T09:30", "2026-06-04T09:30",
    ]
    assert expanded((site / "ateliers/ordinateur-du-lundi/atelier.ics").read_bytes(), date(2026, 4, 5),
                    date(2026, 4, 8)) == []  # Easter Monday


def test_calendars_are_stamped_with_the_build_date_not_the_clock(site: Path) -> None:
    calendar = Calendar.from_ical((site / "ateliers/agenda.ics").read_bytes())
    stamps = {e.decoded("DTSTAMP").isoformat() for e in calendar.walk("VEVENT")}
    assert stamps == {"2026-02-02T00:00:00+00:00"}
    directory, settings = fixture_directory(BUILD_DATE)
    first = produce(directory, settings)
    second = produce(directory, settings)
    assert first == second
    assert first["ateliers/agenda.ics"] == (site / "ateliers/agenda.ics").read_bytes()


# ------------------------------------------------------------------------------------------
# Without workshops, and with a wrong one


def fixture_directory(today: date, workshops_dir: Path | None = FIXTURE / "ateliers") -> tuple[Directory, Settings]:
    settings = fixture_settings(
        FIXTURE, today=today, public_url="https://lieux-numeriques-86.github.io/annuaire/",
        workshops_dir=workshops_dir,
    )
    return load_directory(settings), settings


def produce(directory: Directory, settings: Settings) -> dict[str, str | bytes]:
    """The agenda's pages (HTML, by Markdown source) and calendar files, as a build makes them."""
    sessions = agenda.Sessions(directory.workshops, settings.today)
    pages = agenda.AgendaPages(environment(), directory, settings, sessions).all()
    calendars = feeds(list(directory.workshops), directory.territory, stamp(settings.today), settings.public_url)
    return {**{page.src_uri: page.html for page in pages}, **calendars}


def test_without_workshops_the_agenda_says_so_and_how_to_announce_one() -> None:
    directory, settings = fixture_directory(BUILD_DATE, workshops_dir=None)
    files = produce(directory, settings)
    page = str(files["ateliers/index.md"])
    assert "Aucun atelier n’est annoncé pour le moment." in page
    assert 'href="https://github.com/exemple/annuaire/issues/new?template=annoncer-un-atelier.yml"' in page
    assert "CONTRIBUTING.md#annoncer-un-atelier" in page
    assert "<time" not in page and "S’abonner" not in page
    assert sorted(p for p in files if p.endswith(".md")) == ["ateliers/index.md"]


def test_real_directory_agenda_explains_how_to_announce(tmp_path: Path) -> None:
    """`ateliers/` holds no workshop yet: the real agenda must say so plainly."""
    if any((ROOT / "ateliers").glob("*.yml")):
        pytest.skip("des ateliers réels sont annoncés")
    from annuaire.settings import load_settings

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("*public_url", "x"))
    assert {"Ateliers": "ateliers/index.md"} in config["nav"]
    settings = load_settings({"places_dir": "places"}, config_dir=ROOT, site_url="https://exemple.fr/",
                             repo_url="https://github.com/exemple/annuaire", env={"ANNUAIRE_DATE": "2026-02-02"})
    page = str(produce(load_directory(settings), settings)["ateliers/index.md"])
    assert "Aucun atelier n’est annoncé pour le moment." in page


def test_invalid_workshop_stops_the_build_naming_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(Abort) as stopped:
        build_at(tmp_path, BUILD_DATE, FIXTURE / "ateliers-invalides")
    message = str(stopped.value)
    assert "Le site n’a pas été construit." in message
    assert "ateliers-invalides/smartphone-du-mardi.yml:10:10: recurrence.debut: « 14h » n’est pas une heure" in message
    assert "écrivez '14:00'" in message
    assert not (tmp_path / "site" / "ateliers").exists()


def test_a_workshop_file_named_like_an_agenda_page_stops_with_a_french_message(tmp_path: Path) -> None:
    shutil.copy(FIXTURE / "ateliers" / "arnaques-en-ligne.yml", tmp_path / "themes.yml")
    with pytest.raises(DirectoryError, match="nom de fichier réservé : « themes » est le nom d’une page de l’agenda"):
        fixture_directory(BUILD_DATE, workshops_dir=tmp_path)


# ------------------------------------------------------------------------------------------
# scripts/validate.py


def run_validate(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "ANNUAIRE_DATE")}
    environment.update(env)
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "places", *args],
                          cwd=cwd, env=environment, capture_output=True, text=True, check=False)


def test_validate_script_checks_the_workshops_next_to_the_places(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "places", tmp_path / "places")
    shutil.copytree(FIXTURE / "ateliers", tmp_path / "ateliers")
    assert run_validate(tmp_path, "--today", "2026-02-02").returncode == 0
    shutil.copy(FIXTURE / "ateliers-invalides" / "smartphone-du-mardi.yml", tmp_path / "ateliers" / "smartphone-du-mardi.yml")
    summary = tmp_path / "resume.md"
    result = run_validate(tmp_path, "--github", "--today", "2026-02-02", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    assert "ateliers/smartphone-du-mardi.yml:10:10: recurrence.debut: « 14h » n’est pas une heure" in result.stdout
    assert "::error file=ateliers/smartphone-du-mardi.yml,line=10,col=10" in result.stdout
    assert "pour 8 fiches vérifiées" in summary.read_text(encoding="utf-8")  # 4 places and 4 workshops


def test_validate_script_workshops_folder_option_and_unknown_place(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE / "places", tmp_path / "places")
    folder = tmp_path / "autres"
    folder.mkdir()
    text_ = (FIXTURE / "ateliers" / "arnaques-en-ligne.yml").read_text(encoding="utf-8")
    (folder / "arnaques-en-ligne.yml").write_text(text_.replace("test-agenda-espace-numerique", "test-agenda-espace"),
                                                  encoding="utf-8")
    result = run_validate(tmp_path, "--ateliers", "autres", "--today", "2026-02-02")
    assert result.returncode == 1
    assert "autres/arnaques-en-ligne.yml:" in result.stdout and "lieu: aucun lieu" in result.stdout
    assert "voulez-vous dire `lieu: test-agenda-" in result.stdout  # a likely id is suggested


# ------------------------------------------------------------------------------------------
# The guide's example: one record, every coming Tuesday except holidays and exceptions


def test_guide_example_shows_on_every_tuesday_except_holidays_and_exceptions(tmp_path: Path) -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("### Annoncer un atelier", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "ateliers"
    folder.mkdir()
    (folder / "smartphone-mediatheque.yml").write_text(example, encoding="utf-8")
    today = date(2026, 9, 1)
    settings = fixture_settings(ROOT, places_dir=ROOT / "places", workshops_dir=folder, today=today)
    assert check_directory(settings).problems == []
    (workshop,) = load_directory(settings).workshops
    sessions = agenda.coming([workshop], date(2026, 10, 5))
    assert [s.when for s in sessions if s.occurrence.day < date(2027, 1, 1)] == [
        "mardi 6 octobre, 14 h – 16 h", "mardi 13 octobre, 14 h – 16 h",
        # 20 and 27 October: Toussaint holidays
        "mardi 3 novembre, 14 h – 16 h", "mardi 10 novembre, 14 h – 16 h",
        "mardi 17 novembre, 14 h – 16 h", "mardi 24 novembre, 14 h – 16 h",
        "mardi 1er décembre, 14 h – 16 h", "mardi 8 décembre, 14 h – 16 h",
        # 15 December: `sauf`; 22 and 29 December: Christmas holidays
    ]


def test_words_for_weeks_days_and_rules() -> None:
    assert agenda.week_label(date(2026, 3, 2)) == "Semaine du 2 au 8 mars"
    assert agenda.week_label(date(2026, 6, 1)) == "Semaine du 1er au 7 juin"
    assert agenda.week_label(date(2026, 12, 28)) == "Semaine du 28 décembre 2026 au 3 janvier 2027"
    assert agenda.day_label(date(2027, 1, 1), today=date(2026, 12, 20)) == "vendredi 1er janvier 2027"
    directory, _ = fixture_directory(BUILD_DATE)
    monthly = next(w for w in directory.workshops if w.slug == "demarches-premier-jeudi")
    assert agenda.schedule_text(monthly) == (
        "Le premier jeudi du mois, de 9 h 30 à 11 h 30, du 1er octobre 2025 au 30 juin 2026."
    )
    assert agenda.skipped_text(monthly) == [
        "pas d’atelier les jours fériés", "pas d’atelier du 1er avril 2026 au 30 avril 2026",
    ]


def test_hostile_workshop_text_is_escaped_and_never_linked() -> None:
    directory, settings = fixture_directory(BUILD_DATE)
    hostile = [
        replace(w, titre="<script>alert(1)</script> Atelier", description="<img src=x onerror=alert(1)>",
                inscription=replace(w.inscription, lien="javascript:alert(1)", courriel="x@y.fr\"><script>"))
        for w in directory.workshops
    ]
    files = produce(replace(directory, workshops=tuple(hostile)), settings)
    for path, content in files.items():
        if path.endswith(".md"):
            body = str(content)
            assert "<script" not in body and "<img" not in body and "javascript:" not in body, path
            assert "&lt;script&gt;" in body or "<time" not in body, path
