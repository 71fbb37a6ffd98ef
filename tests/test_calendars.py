"""Agenda files: what a phone's calendar shows after "Ajouter à mon agenda" or a subscription."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import recurring_ical_events
from icalendar import Calendar
from support import fixture_directory

from annuaire.data.calendar import PARIS
from annuaire.data.territory import Territory
from annuaire.exports.calendars import calendar_ics, event_ics, feeds
from annuaire.model.workshops import Workshop, occurrences, upcoming

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ateliers"
TODAY = date(2026, 1, 5)
BUILD = datetime(2026, 1, 5, 6, 30, tzinfo=timezone.utc)
SITE = "https://annuaire.exemple.fr/"


@pytest.fixture(scope="module")
def territory() -> Territory:
    return fixture_directory(FIXTURES, workshops_dir=FIXTURES / "ateliers", today=TODAY).territory


@pytest.fixture(scope="module")
def workshops() -> list[Workshop]:
    return list(fixture_directory(FIXTURES, workshops_dir=FIXTURES / "ateliers", today=TODAY).workshops)


def by_slug(workshops: list[Workshop], slug: str) -> Workshop:
    return next(w for w in workshops if w.slug == slug)


def expanded(ics: bytes, start: date, end: date) -> list[tuple[str, datetime, datetime]]:
    """What an agenda application shows: every session, from the parsed file alone."""
    calendar = Calendar.from_ical(ics)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted((str(e["UID"]), e.decoded("DTSTART"), e.decoded("DTEND")) for e in events)


def test_agenda_file_parses_back_with_one_event_per_workshop(workshops: list[Workshop]) -> None:
    calendar = Calendar.from_ical(calendar_ics(workshops, "Ateliers numériques dans la Vienne", BUILD, SITE))
    assert str(calendar["X-WR-CALNAME"]) == "Ateliers numériques dans la Vienne"
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == [
        "arnaques-en-ligne@lieux-numeriques-86",
        "demarches-premier-jeudi@lieux-numeriques-86",
        "smartphone-du-mardi@lieux-numeriques-86",
    ]
    weekly = events["smartphone-du-mardi@lieux-numeriques-86"]
    assert str(weekly["SUMMARY"]) == "Bien utiliser son smartphone"
    assert str(weekly["LOCATION"]) == "Espace numérique des Essais, 3 rue des Essais, 86000 Poitiers"
    assert "Inscription : 05 49 00 00 03." in str(weekly["DESCRIPTION"])
    assert str(weekly["URL"]) == "https://annuaire.exemple.fr/ateliers/smartphone-du-mardi/"
    assert weekly.decoded("DTSTAMP") == BUILD
    assert weekly.decoded("DTSTART") == datetime(2025, 9, 2, 14, 0, tzinfo=PARIS)
    monthly = events["demarches-premier-jeudi@lieux-numeriques-86"]
    assert str(monthly["LOCATION"]).endswith("Premier étage, 86100 Châtellerault")
    assert "Prix : Payant (2 € la séance)." in str(monthly["DESCRIPTION"])


def test_rules_are_written_as_agendas_expect(workshops: list[Workshop]) -> None:
    text = calendar_ics(workshops, "Agenda", BUILD).decode("utf-8").replace("\r\n ", "")
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260630T215959Z;BYDAY=TU\r\n" in text
    assert "RRULE:FREQ=MONTHLY;UNTIL=20260630T215959Z;BYDAY=1TH\r\n" in text
    assert "DTSTART;TZID=Europe/Paris:20250902T140000\r\n" in text
    assert "DTEND;TZID=Europe/Paris:20260120T120000\r\n" in text
    # Toussaint, Armistice, Christmas, winter holidays, a listed date, spring holidays.
    assert ("EXDATE;TZID=Europe/Paris:20251021T140000,20251028T140000,20251111T140000,"
            "20251223T140000,20251230T140000,20260210T140000,20260217T140000,20260317T140000,"
            "20260407T140000,20260414T140000\r\n") in text
    assert "EXDATE;TZID=Europe/Paris:20260101T093000,20260402T093000\r\n" in text


def test_expanded_agenda_gives_the_same_sessions_as_the_site(workshops: list[Workshop]) -> None:
    ics = calendar_ics(workshops, "Agenda", BUILD)
    in_file = expanded(ics, TODAY, date(2026, 4, 5))
    on_site = sorted((o.workshop.uid, o.start, o.end) for o in upcoming(workshops, TODAY, days=90))
    assert in_file == on_site
    assert len(in_file) == 13
    # Over the whole school year, rule by rule.
    for workshop in workshops:
        sessions = expanded(event_ics(workshop, BUILD), date(2025, 1, 1), date(2027, 1, 1))
        expected = [(workshop.uid, o.start, o.end) for o in occurrences(workshop, date(2025, 1, 1), date(2027, 1, 1))]
        assert sessions == expected, workshop.slug
    monthly_file = event_ics(by_slug(workshops, "demarches-premier-jeudi"), BUILD)
    monthly = expanded(monthly_file, date(2025, 1, 1), date(2027, 1, 1))
    assert [start.date().isoformat() for _, start, _ in monthly] == [
        "2025-10-02", "2025-11-06", "2025-12-04", "2026-02-05", "2026-03-05", "2026-05-07", "2026-06-04",
    ]


def test_summer_time_sessions_keep_their_local_hour(workshops: list[Workshop]) -> None:
    weekly_file = event_ics(by_slug(workshops, "smartphone-du-mardi"), BUILD)
    sessions = expanded(weekly_file, date(2026, 3, 24), date(2026, 4, 1))
    assert [(s.astimezone(PARIS).hour, s.astimezone(timezone.utc).hour) for _, s, _ in sessions] == [(14, 13), (14, 12)]


def test_same_input_gives_byte_identical_files(workshops: list[Workshop]) -> None:
    first = calendar_ics(workshops, "Agenda", BUILD, SITE)
    assert calendar_ics(list(reversed(workshops)), "Agenda", BUILD, SITE) == first
    later = calendar_ics(workshops, "Agenda", datetime(2026, 2, 1, 6, 30, tzinfo=timezone.utc), SITE)
    changed = set(first.split(b"\r\n")) ^ set(later.split(b"\r\n"))
    assert changed == {b"DTSTAMP:20260105T063000Z", b"DTSTAMP:20260201T063000Z"}
    assert all(len(line) <= 75 for line in first.split(b"\r\n"))
    assert first.endswith(b"END:VCALENDAR\r\n")


def test_add_to_my_agenda_file_for_one_workshop(workshops: list[Workshop]) -> None:
    one_off = by_slug(workshops, "arnaques-en-ligne")
    calendar = Calendar.from_ical(event_ics(one_off, BUILD))
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["X-WR-CALNAME"]) == "Reconnaître les arnaques en ligne"
    assert event.decoded("DTSTART") == datetime(2026, 1, 20, 10, 0, tzinfo=PARIS)
    assert "RRULE" not in event and "EXDATE" not in event
    assert "Sans inscription" in str(event["DESCRIPTION"])


def test_special_characters_survive_the_round_trip(workshops: list[Workshop]) -> None:
    tricky = replace(by_slug(workshops, "arnaques-en-ligne"), titre="Mails, SMS ; et « arnaques »\\",
                     description="Ligne 1\nLigne 2 : ok, fin.")
    (event,) = Calendar.from_ical(event_ics(tricky, BUILD)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Mails, SMS ; et « arnaques »\\"
    assert str(event["DESCRIPTION"]).startswith("Ligne 1\nLigne 2 : ok, fin.\n")


def test_feeds_for_the_whole_agenda_each_epci_and_each_place(
    workshops: list[Workshop], territory: Territory,
) -> None:
    files = feeds(workshops, territory, BUILD, SITE)
    assert sorted(files) == [
        "ateliers/agenda.ics",
        "ateliers/arnaques-en-ligne/atelier.ics",
        "ateliers/ca-grand-chatellerault.ics",
        "ateliers/cu-du-grand-poitiers.ics",
        "ateliers/demarches-premier-jeudi/atelier.ics",
        "ateliers/smartphone-du-mardi/atelier.ics",
        "lieux/chatellerault/mediatheque-des-essais/ateliers.ics",
        "lieux/poitiers/espace-numerique-des-essais/ateliers.ics",
    ]

    def uids(path: str) -> list[str]:
        return sorted(str(e["UID"]) for e in Calendar.from_ical(files[path]).walk("VEVENT"))

    assert uids("ateliers/cu-du-grand-poitiers.ics") == [
        "arnaques-en-ligne@lieux-numeriques-86", "smartphone-du-mardi@lieux-numeriques-86",
    ]
    assert uids("lieux/chatellerault/mediatheque-des-essais/ateliers.ics") == [
        "demarches-premier-jeudi@lieux-numeriques-86",
    ]
    assert len(uids("ateliers/agenda.ics")) == 3
