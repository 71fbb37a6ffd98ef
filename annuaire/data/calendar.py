"""Dates a workshop meets on: public and school holidays, one-off days and recurring series.

Below validation and model: the validation expands a series to tell a contributor that every
session is excluded, the model stores the schedule, the agenda and the calendar files list its
sessions, all with these functions. Times are local (Europe/Paris).

Public holidays are computed (no data to refresh); school holidays of zone A are read once
from `data/vacances-scolaires-zone-a.json` and stored in the schedule of each series that
skips them, so that expanding a series needs nothing but the schedule itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.easter import easter

from .records import Raw, text_list

PARIS = ZoneInfo("Europe/Paris")
SCHOOL_HOLIDAYS_NAME = "vacances-scolaires-zone-a.json"  # in the reference data folder

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------
# Parsing of the record's text (the validation explains failures, the model trusts it)


def parse_time(text: str) -> time | None:
    """`14:30` → 14:30; anything else (`14h30`, `25:00`) → None."""
    match = TIME_PATTERN.match(text.strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_date(text: str) -> date | None:
    """`2026-01-06` → a date; a wrong format or an impossible day → None."""
    text = text.strip()
    if not DATE_PATTERN.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def yes(value: Raw, default: bool = False) -> bool:
    """`oui` → True, `non` → False, absent → `default`."""
    if value is None:
        return default
    return str(value).strip().lower() == "oui"


# --------------------------------------------------------------------------------------
# Holidays


@dataclass(frozen=True)
class SchoolHoliday:
    """A zone A school-holiday period, first and last day without class included."""

    name: str
    first: date
    last: date


def load_school_holidays(path: Path) -> tuple[SchoolHoliday, ...]:
    """Zone A holidays shipped in `data/` (sourced from the PyPI package vacances-scolaires-france)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        SchoolHoliday(p["nom"], date.fromisoformat(p["du"]), date.fromisoformat(p["au"]))
        for p in raw["periodes"]
    )


def school_holiday_on(day: date, holidays: tuple[SchoolHoliday, ...]) -> SchoolHoliday | None:
    return next((h for h in holidays if h.first <= day <= h.last), None)


def public_holidays(year: int) -> dict[date, str]:
    """French public holidays of `year` (metropolitan France), computed: no data to refresh."""
    sunday = easter(year)
    days = {
        date(year, 1, 1): "Jour de l’an",
        sunday + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        sunday + timedelta(days=39): "Ascension",
        sunday + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    return dict(sorted(days.items()))


def public_holiday_on(day: date) -> str | None:
    return public_holidays(day.year).get(day)


# --------------------------------------------------------------------------------------
# Schedules


@dataclass(frozen=True)
class OneOff:
    """A workshop on a single day."""

    day: date
    start: time
    end: time


@dataclass(frozen=True)
class Recurrence:
    """A series: weekly on some weekdays, or monthly on the n-th (or last) weekday."""

    frequency: Literal["hebdomadaire", "mensuelle"]
    weekdays: tuple[int, ...]  # 0 = Monday, as `date.weekday()`
    rank: int | None  # 1..4 or -1 (last) for a monthly series
    start: time
    end: time
    first: date  # `du`
    last: date  # `au`
    except_dates: tuple[date, ...] = ()
    except_periods: tuple[tuple[date, date], ...] = ()
    skip_school_holidays: bool = False
    skip_public_holidays: bool = True
    # The school holidays known when the record was read: skipped when `skip_school_holidays`.
    school_holidays: tuple[SchoolHoliday, ...] = ()


Schedule = OneOff | Recurrence


def _nth_weekday(year: int, month: int, weekday: int, rank: int) -> date | None:
    """The `rank`-th `weekday` of a month (rank -1: the last one)."""
    if rank > 0:
        first = date(year, month, 1)
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (rank - 1))
        return day if day.month == month else None
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


MAX_EXPANSION_DAYS = 3 * 366  # expanding a series never walks further (the validation allows two years)


def rule_days(recurrence: Recurrence) -> list[date]:
    """Every day the rule gives between `du` and `au`, before any exception (at most three
    years are walked, whatever the record says)."""
    last = min(recurrence.last, recurrence.first + timedelta(days=MAX_EXPANSION_DAYS))
    recurrence = replace(recurrence, last=last)
    days: list[date] = []
    if recurrence.frequency == "hebdomadaire":
        day = recurrence.first
        while day <= recurrence.last:
            if day.weekday() in recurrence.weekdays:
                days.append(day)
            day += timedelta(days=1)
        return days
    assert recurrence.rank is not None
    year, month = recurrence.first.year, recurrence.first.month
    while date(year, month, 1) <= recurrence.last:
        for weekday in sorted(recurrence.weekdays):
            nth = _nth_weekday(year, month, weekday, recurrence.rank)
            if nth and recurrence.first <= nth <= recurrence.last:
                days.append(nth)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def skip_reason(recurrence: Recurrence, day: date) -> str | None:
    """Why the series does not meet on `day` (for pages and the validation), or None."""
    if day in recurrence.except_dates:
        return "date exclue"
    if any(first <= day <= last for first, last in recurrence.except_periods):
        return "période exclue"
    if recurrence.skip_school_holidays:
        holiday = school_holiday_on(day, recurrence.school_holidays)
        if holiday:
            return holiday.name
    if recurrence.skip_public_holidays:
        name = public_holiday_on(day)
        if name:
            return name
    return None


def meeting_days(schedule: Schedule) -> list[date]:
    """Every day the workshop actually meets."""
    if isinstance(schedule, OneOff):
        return [schedule.day]
    return [day for day in rule_days(schedule) if skip_reason(schedule, day) is None]


# --------------------------------------------------------------------------------------
# From a record's fields


def _required_time(value: Raw) -> time:
    parsed = parse_time(str(value))
    if parsed is None:
        raise ValueError(f"heure illisible : {value!r}")
    return parsed


def _required_date(value: Raw) -> date:
    parsed = parse_date(str(value))
    if parsed is None:
        raise ValueError(f"date illisible : {value!r}")
    return parsed


def _exceptions(value: Raw) -> tuple[tuple[date, ...], tuple[tuple[date, date], ...]]:
    dates: list[date] = []
    periods: list[tuple[date, date]] = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            periods.append((_required_date(item.get("du")), _required_date(item.get("au"))))
        elif isinstance(item, str):
            dates.append(_required_date(item))
    return tuple(sorted(dates)), tuple(sorted(periods))


def schedule_from_data(data: Mapping[str, Raw], school_holidays: tuple[SchoolHoliday, ...]) -> Schedule:
    """The schedule of a record's fields; ValueError when a value does not parse (the
    validation says which, in French, before the model ever calls this)."""
    rule = data.get("recurrence")
    if not isinstance(rule, dict):
        return OneOff(
            _required_date(data.get("date")), _required_time(data.get("debut")), _required_time(data.get("fin"))
        )
    frequency = str(rule.get("frequence")).strip()
    if frequency == "hebdomadaire":
        weekdays = tuple(sorted(WEEKDAYS.index(d.lower()) for d in text_list(rule.get("jours"))))
        rank = None
    else:
        weekdays = (WEEKDAYS.index(str(rule.get("jour")).strip().lower()),)
        rank = int(str(rule.get("rang")).strip())
    except_dates, except_periods = _exceptions(rule.get("sauf"))
    skip_school = yes(rule.get("sauf_vacances_scolaires"))
    return Recurrence(
        frequency="hebdomadaire" if frequency == "hebdomadaire" else "mensuelle",
        weekdays=weekdays,
        rank=rank,
        start=_required_time(rule.get("debut")),
        end=_required_time(rule.get("fin")),
        first=_required_date(rule.get("du")),
        last=_required_date(rule.get("au")),
        except_dates=except_dates,
        except_periods=except_periods,
        skip_school_holidays=skip_school,
        skip_public_holidays=yes(rule.get("sauf_jours_feries"), default=True),
        school_holidays=school_holidays if skip_school else (),
    )
