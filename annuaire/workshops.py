"""Workshops (ateliers) announced by the places, and the dates on which they take place.

Axis 5 of the Vienne's strategy asks for workshops that build digital autonomy: a resident
or a social worker looks for *the next one near me*. This module turns validated workshop
records into typed, immutable `Workshop` objects and expands their schedule into dated
`Occurrence`s; pages and calendar feeds (`calendars.py`) read only these objects.

Decisions (for CONTRIBUTING.md):

- One YAML file per workshop, flat: `ateliers/<slug>.yml`, loaded with
  `records.load_records` (text stays text, positions kept). Not `ateliers/<commune>/…`:
  the commune already follows from the place (`lieu`), so a folder would repeat it and
  could contradict it, and moving a workshop to another place would change its address.
  The file name is the workshop's identity: page `ateliers/<slug>/`, calendar
  `UID <slug>@lieux-numeriques-86`. Never rename a published file (agendas that
  subscribed would see a new event and keep the old one).
- When: either `date` + `debut` + `fin` (one-off), or `recurrence` with `frequence`
  `hebdomadaire` (`jours`: lundi…dimanche) or `mensuelle` (`rang` 1, 2, 3, 4 or -1 for the
  last, + `jour`), `debut`, `fin`, `du` and a required `au` (a series is announced for a
  period, never forever), and exceptions: `sauf` (dates, or periods `{du, au}`),
  `sauf_vacances_scolaires: oui` (zone A, from `data/vacances-scolaires-zone-a.json`) and
  `sauf_jours_feries` (default `oui`: most places close on public holidays, and a resident
  finding a closed door is worse than a session left out; write `non` if it does happen).
- Times are local (Europe/Paris); occurrences are timezone-aware datetimes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.easter import easter

from .model import Place
from .records import Raw, Record
from .territory import Epci

PARIS = ZoneInfo("Europe/Paris")
DATA = Path(__file__).resolve().parent.parent / "data"
SCHOOL_HOLIDAYS_PATH = DATA / "vacances-scolaires-zone-a.json"
UID_DOMAIN = "lieux-numeriques-86"

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FREQUENCIES = ("hebdomadaire", "mensuelle")
RANKS = (1, 2, 3, 4, -1)
LEVELS = ("débutant", "intermédiaire", "avancé")
ALL_PUBLICS = "Tout public"

TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------
# Parsing of the record's text (shared with the validation, which explains failures)


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


@lru_cache(maxsize=1)
def school_holidays() -> tuple[SchoolHoliday, ...]:
    """Zone A holidays shipped in `data/` (sourced from the PyPI package vacances-scolaires-france)."""
    raw = json.loads(SCHOOL_HOLIDAYS_PATH.read_text(encoding="utf-8"))
    return tuple(
        SchoolHoliday(p["nom"], date.fromisoformat(p["du"]), date.fromisoformat(p["au"]))
        for p in raw["periodes"]
    )


def school_holidays_known_until() -> date:
    """Last day covered by the shipped data: after it, `sauf_vacances_scolaires` skips nothing."""
    return max(h.last for h in school_holidays())


def school_holiday_on(day: date) -> SchoolHoliday | None:
    return next((h for h in school_holidays() if h.first <= day <= h.last), None)


@lru_cache(maxsize=None)
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
# The model


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


Schedule = OneOff | Recurrence


@dataclass(frozen=True)
class Registration:
    """How to sign up: any of phone, e-mail or web link, or no sign-up at all."""

    telephone: str | None = None
    courriel: str | None = None
    lien: str | None = None
    sans_inscription: bool = False


@dataclass(frozen=True)
class Workshop:
    """A published workshop. Field names are the record's (French)."""

    file: str  # `ateliers/smartphone-mardi.yml`
    slug: str
    titre: str
    description: str
    lieu: str  # id of the place record
    place: Place
    schedule: Schedule
    theme: tuple[str, ...]
    public: tuple[str, ...]
    niveau: str
    frais: str
    inscription: Registration
    tarif: str | None = None
    places: int | None = None
    accessibilite: str | None = None

    @property
    def url_path(self) -> str:
        """Stable page path, without leading slash: `ateliers/<slug>/`."""
        return f"ateliers/{self.slug}/"

    @property
    def uid(self) -> str:
        """Calendar UID, the same at every build so that subscribed agendas update in place."""
        return f"{self.slug}@{UID_DOMAIN}"

    @property
    def epci(self) -> Epci | None:
        return self.place.epci_ref


@dataclass(frozen=True)
class Occurrence:
    """One session of a workshop, with Europe/Paris aware start and end."""

    workshop: Workshop
    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def id(self) -> str:
        """Stable id (a workshop meets at most once a day): `<slug>-2026-01-06`."""
        return f"{self.workshop.slug}-{self.start:%Y-%m-%d}"


# --------------------------------------------------------------------------------------
# Occurrences


def _nth_weekday(year: int, month: int, weekday: int, rank: int) -> date | None:
    """The `rank`-th `weekday` of a month (rank -1: the last one)."""
    if rank > 0:
        first = date(year, month, 1)
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (rank - 1))
        return day if day.month == month else None
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def rule_days(recurrence: Recurrence) -> list[date]:
    """Every day the rule gives between `du` and `au`, before any exception."""
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
        holiday = school_holiday_on(day)
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


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def occurrences(workshop: Workshop, start: date, end: date) -> list[Occurrence]:
    """Sessions of `workshop` from `start` to `end` (both included), exceptions removed."""
    schedule = workshop.schedule
    return [
        Occurrence(workshop, _at(day, schedule.start), _at(day, schedule.end))
        for day in meeting_days(schedule)
        if start <= day <= end
    ]


def upcoming(workshops: Iterable[Workshop], today: date, days: int = 90) -> list[Occurrence]:
    """Sessions from `today` to `today + days`, soonest first (the agenda page)."""
    last = today + timedelta(days=days)
    found = [o for w in workshops for o in occurrences(w, today, last)]
    return sorted(found, key=lambda o: (o.start, o.workshop.slug))


def next_occurrence(workshop: Workshop, today: date) -> Occurrence | None:
    """The next session, to show on a place page ("Prochain atelier : mardi 6 janvier")."""
    schedule = workshop.schedule
    last = schedule.day if isinstance(schedule, OneOff) else schedule.last
    found = occurrences(workshop, today, last)
    return found[0] if found else None


def at_place(workshops: Iterable[Workshop], place_id: str) -> list[Workshop]:
    return [w for w in workshops if w.lieu == place_id]


def in_epci(workshops: Iterable[Workshop], epci: Epci) -> list[Workshop]:
    return [w for w in workshops if w.epci is not None and w.epci.code == epci.code]


# --------------------------------------------------------------------------------------
# From records


def _text(value: Raw) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _list(value: Raw) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if isinstance(v, str) and v.strip())
    return ()


def _required_time(value: Raw) -> time:
    parsed = parse_time(str(value))
    assert parsed is not None, value
    return parsed


def _required_date(value: Raw) -> date:
    parsed = parse_date(str(value))
    assert parsed is not None, value
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


def schedule_from_data(data: Mapping[str, Raw]) -> Schedule:
    """The schedule of a validated record (or of a record's fields that parsed)."""
    rule = data.get("recurrence")
    if not isinstance(rule, dict):
        return OneOff(
            _required_date(data.get("date")), _required_time(data.get("debut")), _required_time(data.get("fin"))
        )
    frequency = str(rule.get("frequence")).strip()
    if frequency == "hebdomadaire":
        weekdays = tuple(sorted(WEEKDAYS.index(d.lower()) for d in _list(rule.get("jours"))))
        rank = None
    else:
        weekdays = (WEEKDAYS.index(str(rule.get("jour")).strip().lower()),)
        rank = int(str(rule.get("rang")).strip())
    except_dates, except_periods = _exceptions(rule.get("sauf"))
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
        skip_school_holidays=yes(rule.get("sauf_vacances_scolaires")),
        skip_public_holidays=yes(rule.get("sauf_jours_feries"), default=True),
    )


def workshop_from_record(record: Record, places_by_id: Mapping[str, Place], root: Path) -> Workshop:
    """Build a Workshop from a record that passed `workshop_validation.check_workshops`."""
    data = record.data
    sign_up = data.get("inscription")
    sign_up = sign_up if isinstance(sign_up, dict) else {}
    seats = _text(data.get("places"))
    lieu = str(data["lieu"]).strip()
    return Workshop(
        file=record.path.resolve().relative_to(root.resolve()).as_posix(),
        slug=record.path.stem,
        titre=str(data["titre"]).strip(),
        description=str(data["description"]).strip(),
        lieu=lieu,
        place=places_by_id[lieu],
        schedule=schedule_from_data(data),
        theme=_list(data.get("theme")),
        public=_list(data.get("public")) or (ALL_PUBLICS,),
        niveau=str(data["niveau"]).strip(),
        frais=str(data["frais"]).strip(),
        inscription=Registration(
            telephone=_text(sign_up.get("telephone")),
            courriel=_text(sign_up.get("courriel")),
            lien=_text(sign_up.get("lien")),
            sans_inscription=yes(sign_up.get("sans_inscription")),
        ),
        tarif=_text(data.get("tarif")),
        places=int(seats) if seats else None,
        accessibilite=_text(data.get("accessibilite")),
    )


def build_workshops(
    records: Iterable[Record], places_by_id: Mapping[str, Place], root: Path
) -> list[Workshop]:
    """Workshops of validated records, in a stable order (by slug)."""
    return sorted((workshop_from_record(r, places_by_id, root) for r in records), key=lambda w: w.slug)
