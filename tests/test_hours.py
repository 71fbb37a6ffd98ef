"""Opening hours as residents read them: the weekly table, the short summary, the status line."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from annuaire.data import hours
from annuaire.data.calendar import load_school_holidays
from annuaire.data.hours import (
    UNKNOWN_HOURS,
    DayRow,
    intervals_for_browser,
    status_at,
    summary,
    syntax_error,
    weekly,
    weekly_rows,
)

CLOSED = "Fermé"
OFFICE = "Mo-Fr 09:00-12:00,13:30-17:00"  # a typical office week
UTC = timezone.utc


def texts(expression: str) -> list[str]:
    """The right-hand column of the hours table, Monday first."""
    return [row.text for row in weekly_rows(expression)]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # Real expressions from the conseillers numériques source.
        (
            "Mo-Fr 08:00-12:00,13:30-16:30",
            ["8 h – 12 h, 13 h 30 – 16 h 30"] * 5 + [CLOSED] * 2,
        ),
        (
            "Tu-Fr 08:30-12:00,13:15-17:30; Mo 08:00-12:00,13:15-17:30",
            ["8 h – 12 h, 13 h 15 – 17 h 30"]
            + ["8 h 30 – 12 h, 13 h 15 – 17 h 30"] * 4
            + [CLOSED] * 2,
        ),
        (  # later rules replace earlier ones for Wednesday and Thursday
            "Mo-Fr 09:00-12:00,13:30-17:00; We 09:00-12:00,13:30-17:30; Th 09:00-12:00,13:30-19:00",
            [
                "9 h – 12 h, 13 h 30 – 17 h",
                "9 h – 12 h, 13 h 30 – 17 h",
                "9 h – 12 h, 13 h 30 – 17 h 30",
                "9 h – 12 h, 13 h 30 – 19 h",
                "9 h – 12 h, 13 h 30 – 17 h",
                CLOSED,
                CLOSED,
            ],
        ),
        ("Th 14:00-17:00", [CLOSED] * 3 + ["14 h – 17 h"] + [CLOSED] * 3),
        ("Mo 09:30-12:15", ["9 h 30 – 12 h 15"] + [CLOSED] * 6),
        ("24/7", ["Ouvert 24 h sur 24"] * 7),
        # Across midnight: Friday until midnight, Saturday from midnight.
        ("Fr 20:00-02:00", [CLOSED] * 4 + ["20 h – minuit", "minuit – 2 h", CLOSED]),
        ("Mo-Fr 09:00-12:00; Fr off", ["9 h – 12 h"] * 4 + [CLOSED] * 3),
        ("Mo-Sa 09:00-12:00; We closed", ["9 h – 12 h"] * 2 + [CLOSED] + ["9 h – 12 h"] * 3 + [CLOSED]),
        # Public holidays do not leak into the typical week.
        ("Mo-Fr 09:00-12:00; PH off", ["9 h – 12 h"] * 5 + [CLOSED] * 2),
    ],
)
def test_weekly_table_in_french(expression: str, expected: list[str]) -> None:
    rows = weekly_rows(expression)
    assert [row.day for row in rows] == [
        "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
    ]
    assert [row.text for row in rows] == expected
    assert [row.open for row in rows] == [text != CLOSED for text in expected]


def test_a_row_is_day_text_and_open_flag() -> None:
    rows = weekly_rows("Mo 09:00-12:00,13:30-17:00")
    assert rows[0] == DayRow("Lundi", "9 h – 12 h, 13 h 30 – 17 h", True)
    assert rows[6] == DayRow("Dimanche", "Fermé", False)


@pytest.mark.parametrize(
    ("expression", "has_exceptions"),
    [
        ("Mo-Fr 08:00-12:00,13:30-16:30", False),
        ("24/7", False),
        ("Mo-Fr 09:00-12:00; PH off", True),
        ("Mo-Fr 09:00-12:00; SH off", True),
        ("Sa 10:00-12:00; PH off", True),
        ("Mo-Fr 09:00-12:00; Jul-Aug off", True),
        ("Mo-Fr 09:00-12:00; Dec 24 off", True),
        ("week 1-53/2 Mo 09:00-12:00", True),
        ('Mo-Fr 09:00-12:00 "fermé les PH"', False),  # a comment is not a rule
    ],
)
def test_date_dependent_rules_are_flagged(expression: str, has_exceptions: bool) -> None:
    week = weekly(expression)
    assert week is not None
    assert week.has_exceptions is has_exceptions


def test_seasonal_hours_read_as_in_term_time() -> None:
    week = weekly("Mo-Fr 09:00-17:00; Jul-Aug Mo-Fr 09:00-12:00")
    assert week is not None and week.has_exceptions
    assert texts("Mo-Fr 09:00-17:00; Jul-Aug Mo-Fr 09:00-12:00")[0] == "9 h – 17 h"


@pytest.mark.parametrize(
    "expression", ["lundi 9h-12h", "Mo-Fr 9h-12h", "du lundi au vendredi", "Mo-Fr 09:00-12:00; ph off"]
)
def test_unreadable_hours_are_reported_and_not_shown(expression: str) -> None:
    message = syntax_error(expression)
    assert message is not None and "horaires" in message
    assert weekly(expression) is None
    assert weekly_rows(expression) == []
    assert intervals_for_browser(expression) == []
    assert summary(expression) is None
    assert status_at(expression, datetime(2025, 3, 17, 10)) == UNKNOWN_HOURS


@pytest.mark.parametrize("expression", [None, ""])
def test_missing_hours_give_nothing(expression: str | None) -> None:
    assert weekly_rows(expression) == []
    assert intervals_for_browser(expression) == []
    assert summary(expression) is None


@pytest.mark.parametrize(
    ("expression", "intervals"),
    [
        ("Mo 09:00-12:00,13:30-17:00", [[0, 540, 720], [0, 810, 1020]]),
        ("Fr 20:00-02:00", [[4, 1200, 1440], [5, 0, 120]]),
        ("Su 22:00-01:00", [[0, 0, 60], [6, 1320, 1440]]),  # Sunday night spills onto Monday
        ("24/7", [[day, 0, 1440] for day in range(7)]),
        ("off", []),
    ],
)
def test_intervals_for_the_browser(expression: str, intervals: list[list[int]]) -> None:
    assert intervals_for_browser(expression) == intervals
    assert json.loads(json.dumps(intervals_for_browser(expression))) == intervals


@pytest.mark.parametrize(
    ("expression", "text"),
    [
        ("Mo-Fr 08:00-12:00,13:30-16:30", "Du lundi au vendredi"),
        ("Tu-Th 08:30-12:30,13:30-17:00; Mo 08:30-12:30; Fr 08:30-12:30,13:30-16:30", "Du lundi au vendredi"),
        ("Mo-Sa 09:00-12:00", "Du lundi au samedi"),
        ("Mo,Tu,Th 10:00-12:00", "Lundi, mardi et jeudi"),
        ("Mo-We,Fr 10:00-12:00", "Du lundi au mercredi et le vendredi"),
        ("Tu 09:00-12:00", "Mardi"),
        ("Mo,Fr 09:00-12:00", "Lundi et vendredi"),
        ("24/7", "Tous les jours"),
        ("off", "Fermé"),
        ("Jul-Aug Mo 10:00-12:00", "Horaires variables selon les dates"),
    ],
)
def test_summary_names_open_days(expression: str, text: str) -> None:
    assert summary(expression) == text


@pytest.mark.parametrize(
    ("expression", "moment", "status"),
    [
        (OFFICE, datetime(2025, 3, 17, 10, 0), "Ouvert · ferme à 12 h"),  # Monday
        (OFFICE, datetime(2025, 3, 17, 11, 59), "Ouvert · ferme à 12 h"),
        (OFFICE, datetime(2025, 3, 17, 12, 1), "Fermé · ouvre à 13 h 30"),
        (OFFICE, datetime(2025, 3, 17, 18, 0), "Fermé · ouvre mardi à 9 h"),
        (OFFICE, datetime(2025, 3, 16, 10, 0), "Fermé · ouvre lundi à 9 h"),  # Sunday
        (OFFICE, datetime(2025, 3, 21, 18, 0), "Fermé · ouvre lundi à 9 h"),  # Friday
        ("Mo 20:00-24:00", datetime(2025, 3, 17, 21, 0), "Ouvert · ferme à minuit"),
        ("Fr 20:00-02:00", datetime(2025, 3, 21, 23, 0), "Ouvert · ferme samedi à 2 h"),
        ("24/7", datetime(2025, 3, 17, 3, 0), "Ouvert 24 h sur 24"),
        ("off", datetime(2025, 3, 17, 10, 0), "Fermé"),
        ("Jul-Aug Mo 09:00-12:00", datetime(2025, 3, 17, 10, 0), "Fermé · ouvre le 7 juillet à 9 h"),
        # Easter Monday 2025 is a public holiday.
        ("Mo-Fr 09:00-12:00; PH off", datetime(2025, 4, 21, 10, 0), "Fermé · jour férié · ouvre mardi à 9 h"),
        # Hours that say nothing of public holidays: closed on them (the usual rule), said so.
        (OFFICE, datetime(2025, 5, 1, 10, 0), "Fermé · jour férié · ouvre vendredi à 9 h"),
        (OFFICE, datetime(2025, 11, 11, 10, 0), "Fermé · jour férié · ouvre mercredi à 9 h"),
        # Hours that open on public holidays keep them open.
        ("Mo-Fr 09:00-12:00; PH 10:00-11:00", datetime(2025, 5, 1, 10, 30), "Ouvert · ferme à 11 h"),
    ],
)
def test_status_in_local_time(expression: str, moment: datetime, status: str) -> None:
    assert status_at(expression, moment) == status


@pytest.mark.parametrize(
    ("expression", "moment", "status"),
    [
        # Last Sunday of March 2025: 07:30 UTC is 9:30 in Poitiers (summer time), not 8:30.
        ("Su 09:00-12:00", datetime(2025, 3, 30, 7, 30, tzinfo=UTC), "Ouvert · ferme à 12 h"),
        ("Mo 09:00-12:00", datetime(2025, 3, 30, 18, 0, tzinfo=UTC), "Fermé · ouvre lundi à 9 h"),
        ("Mo 09:00-12:00", datetime(2025, 3, 31, 6, 30, tzinfo=UTC), "Fermé · ouvre à 9 h"),
        ("Mo 09:00-12:00", datetime(2025, 3, 31, 7, 30, tzinfo=UTC), "Ouvert · ferme à 12 h"),
        # Last Sunday of October 2025: 07:30 UTC is 8:30 in Poitiers (winter time), not 9:30.
        ("Su 09:00-12:00", datetime(2025, 10, 26, 7, 30, tzinfo=UTC), "Fermé · ouvre à 9 h"),
        ("Mo 09:00-12:00", datetime(2025, 10, 27, 7, 30, tzinfo=UTC), "Fermé · ouvre à 9 h"),
        ("Mo 09:00-12:00", datetime(2025, 10, 27, 8, 30, tzinfo=UTC), "Ouvert · ferme à 12 h"),
        # Local times skipped (March) or repeated (October) by the clock change do not crash.
        ("Su 01:00-04:00", datetime(2025, 3, 30, 2, 30), "Ouvert · ferme à 4 h"),
        ("Su 01:00-04:00", datetime(2025, 10, 26, 2, 30), "Ouvert · ferme à 4 h"),
        ("Su 01:00-04:00", datetime(2025, 10, 26, 2, 30, fold=1), "Ouvert · ferme à 4 h"),
    ],
)
def test_status_across_daylight_saving_changes(expression: str, moment: datetime, status: str) -> None:
    assert status_at(expression, moment) == status


# --- Holidays: the three weeks of a place ------------------------------------------------------

SCHOOL = load_school_holidays(Path(__file__).resolve().parents[1] / "data" / "vacances-scolaires-zone-a.json")


@pytest.mark.parametrize(
    ("expression", "moment", "status"),
    [
        # Toussaint holidays 2025 (zone A: 18 October – 2 November): `SH off` closes the week.
        ("Mo-Fr 09:00-17:00; SH off", datetime(2025, 10, 20, 10, 0), "Fermé · ouvre le 3 novembre à 9 h"),
        ("Mo-Fr 09:00-17:00; SH off", datetime(2025, 11, 3, 10, 0), "Ouvert · ferme à 17 h"),
        # Shorter hours during school holidays.
        ("Mo-Fr 09:00-17:00; SH 10:00-12:00", datetime(2025, 10, 21, 11, 0), "Ouvert · ferme à 12 h"),
        # A public holiday inside the school holidays is a public holiday first.
        ("Mo-Fr 09:00-17:00; SH 10:00-12:00", datetime(2025, 11, 11, 11, 0), "Fermé · jour férié · ouvre mercredi à 9 h"),
        # Whit Monday 2026, from Easter.
        (OFFICE, datetime(2026, 5, 25, 10, 0), "Fermé · jour férié · ouvre mardi à 9 h"),
        ("24/7", datetime(2025, 12, 25, 10, 0), "Ouvert 24 h sur 24"),
    ],
)
def test_openings_follow_public_and_school_holidays(expression: str, moment: datetime, status: str) -> None:
    openings = hours.openings(expression)
    assert openings is not None
    assert openings.status(moment, SCHOOL) == status


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        (OFFICE, "Jours fériés : fermé en général (la fiche ne le précise pas) — appelez pour vérifier."),
        ("Mo-Fr 09:00-12:00; PH off", "Jours fériés : fermé."),
        ("Mo-Fr 09:00-12:00; PH 10:00-11:30", "Jours fériés : 10 h – 11 h 30."),
    ],
)
def test_public_holidays_in_words(expression: str, words: str) -> None:
    openings = hours.openings(expression)
    assert openings is not None and hours.holiday_text(openings) == words
