"""Opening hours in OpenStreetMap `opening_hours` syntax: checking, weekly intervals, French words.

Parsing is delegated to opening-hours-py (the Rust `opening-hours` crate): we never hand-write
an OSM parser. We only *evaluate* expressions with it and turn the result into plain French.

Times are wall-clock times in the Vienne (Europe/Paris). The weekly view is computed on naive
datetimes, so daylight-saving changes never shift it; only `status_at`, which speaks about a
real instant, evaluates in the Europe/Paris time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import opening_hours

from ..text import MONTHS, WEEKDAYS, french_time

PARIS = ZoneInfo("Europe/Paris")
COUNTRY = "FR"  # lets the library know French public holidays (`PH`)

# Monday 17 March 2025 – Sunday 23 March 2025 (ISO week 12): no French public holiday, no school
# holiday in any zone (winter holidays ended on 10 March, spring ones start on 5 April), no
# daylight-saving change. Seasonal rules (`Jul-Aug …`) are therefore read as in term time.
REFERENCE_MONDAY = date(2025, 3, 17)
DAY_MINUTES = 24 * 60
EN_DASH = " – "

UNKNOWN_HOURS = "Horaires non renseignés — appelez avant de venir"
EXCEPTIONS_NOTE = "Horaires particuliers certains jours (jours fériés, vacances…)"
ALWAYS_OPEN = "Ouvert 24 h sur 24"
CLOSED = "Fermé"

# Public and school holidays cannot be seen by evaluating a year: the library knows no school
# calendar, and a holiday may fall on a day the place is closed anyway. Their keywords are
# therefore looked for in the expression, outside quoted comments.
_HOLIDAY_KEYWORD = re.compile(r"\b[PS]H\b")
_COMMENT = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class Interval:
    """An opening within one day, in minutes from that day's midnight (0 ≤ start < end ≤ 1440).

    Per-day minutes keep the French rendering and the browser's "open now" check simple; an
    opening across midnight is split into two intervals on two days.
    """

    start: int
    end: int


@dataclass(frozen=True)
class Week:
    """The openings of a typical week, as read from the reference week.

    `days[0]` is Monday … `days[6]` Sunday, each a sorted tuple of non-touching intervals.
    `has_exceptions` tells that some dates differ (public or school holidays, months, weeks,
    specific dates), so pages can warn the reader.
    """

    days: tuple[tuple[Interval, ...], ...]
    has_exceptions: bool

    @property
    def open_days(self) -> list[int]:
        """Weekdays (0 = Monday) with at least one opening."""
        return [day for day, intervals in enumerate(self.days) if intervals]


@dataclass(frozen=True)
class DayRow:
    """One line of a place's hours table: `("Lundi", "9 h – 12 h, 13 h 30 – 17 h", True)`."""

    day: str
    text: str
    open: bool


def syntax_error(expression: str) -> str | None:
    """None when `expression` parses, else a short French explanation for a contributor."""
    try:
        opening_hours.OpeningHours(expression)
    except (SyntaxError, opening_hours.ParserError):  # type: ignore[attr-defined]  # missing from its stub
        return "horaires illisibles (format OpenStreetMap attendu)"
    return None


def _parse(expression: str, zone: ZoneInfo | None = None) -> opening_hours.OpeningHours | None:
    """The library's object with French public holidays, or None when the syntax is wrong."""
    try:
        return opening_hours.OpeningHours(expression, timezone=zone, country=COUNTRY)
    except (SyntaxError, opening_hours.ParserError):  # type: ignore[attr-defined]  # missing from its stub
        return None


def _week_openings(hours: opening_hours.OpeningHours, monday: date) -> tuple[tuple[Interval, ...], ...]:
    """Open intervals of the 7 days starting at `monday`, split at midnight and merged when
    they touch (the library may cut an opening where only its comment changes)."""
    week_start = datetime.combine(monday, time())
    days: list[list[Interval]] = [[] for _ in range(7)]
    for begin, end, state, _comment in hours.intervals(week_start, week_start + timedelta(days=7)):
        if state != opening_hours.State.OPEN:
            continue
        while begin < end:
            midnight = datetime.combine(begin.date(), time())
            cut = min(end, midnight + timedelta(days=1))
            day = days[(begin.date() - monday).days]
            start_minute = (begin - midnight) // timedelta(minutes=1)
            end_minute = (cut - midnight) // timedelta(minutes=1)
            if day and day[-1].end == start_minute:
                day[-1] = Interval(day[-1].start, end_minute)
            else:
                day.append(Interval(start_minute, end_minute))
            begin = cut
    return tuple(tuple(day) for day in days)


def weekly(expression: str) -> Week | None:
    """The openings of a typical week (see `REFERENCE_MONDAY`), None when the expression does
    not parse. Later OSM rules override earlier ones for the same day, as the library does.

    Exceptions are found by comparing the 52 following weeks with the reference week, plus the
    `PH`/`SH` keywords.
    """
    hours = _parse(expression)
    if hours is None:
        return None
    reference = _week_openings(hours, REFERENCE_MONDAY)
    has_exceptions = bool(_HOLIDAY_KEYWORD.search(_COMMENT.sub("", expression))) or any(
        _week_openings(hours, REFERENCE_MONDAY + timedelta(weeks=n)) != reference for n in range(1, 53)
    )
    return Week(days=reference, has_exceptions=has_exceptions)


def _clock(minutes: int) -> str:
    """`570` → `9 h 30`; midnight (0 or 1440) → `minuit`."""
    if minutes % DAY_MINUTES == 0:
        return "minuit"
    return french_time(minutes // 60, minutes % 60)


def _day_text(intervals: tuple[Interval, ...]) -> str:
    """`9 h – 12 h, 13 h 30 – 17 h`, `Ouvert 24 h sur 24` or `Fermé`."""
    if not intervals:
        return CLOSED
    if intervals == (Interval(0, DAY_MINUTES),):
        return ALWAYS_OPEN
    return ", ".join(f"{_clock(i.start)}{EN_DASH}{_clock(i.end)}" for i in intervals)


def weekly_rows(expression: str | None) -> list[DayRow]:
    """The 7 rows Lundi … Dimanche of a place's hours table; [] when unknown or unreadable
    (the page then shows `UNKNOWN_HOURS`)."""
    return week_rows(weekly(expression) if expression else None)


def week_rows(week: Week | None) -> list[DayRow]:
    """`weekly_rows` of a week already read."""
    if week is None:
        return []
    return [
        DayRow(day=name, text=_day_text(intervals), open=bool(intervals))
        for name, intervals in zip(WEEKDAYS, week.days)
    ]


def intervals_for_browser(expression: str | None) -> list[list[int]]:
    """JSON-ready `[[weekday, start_minute, end_minute], …]` (0 = Monday, minutes from that
    day's midnight) for the client-side "open now" badge; [] when unknown."""
    return week_intervals(weekly(expression) if expression else None)


def week_intervals(week: Week | None) -> list[list[int]]:
    """`intervals_for_browser` of a week already read."""
    if week is None:
        return []
    return [[day, i.start, i.end] for day, intervals in enumerate(week.days) for i in intervals]


def _join_french(parts: list[str]) -> str:
    """`["a", "b", "c"]` → `a, b et c`."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def summary(expression: str | None) -> str | None:
    """Open days in a few words for lists and flyers (`Du lundi au vendredi`, `Lundi, mardi et
    jeudi`, `Tous les jours`); None when the hours are unknown."""
    return week_summary(weekly(expression) if expression else None)


def week_summary(week: Week | None) -> str | None:
    """`summary` of a week already read."""
    if week is None:
        return None
    days = week.open_days
    if not days:
        return "Horaires variables selon les dates" if week.has_exceptions else CLOSED
    if len(days) == 7:
        return "Tous les jours"
    runs: list[list[int]] = []  # consecutive open days, Monday first
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    has_range = any(len(run) >= 3 for run in runs)
    parts: list[str] = []
    for run in runs:
        names = [WEEKDAYS[day].lower() for day in run]
        if len(run) >= 3:
            parts.append(f"du {names[0]} au {names[-1]}")
        else:
            parts.extend(f"le {name}" if has_range else name for name in names)
    text = _join_french(parts)
    return text[0].upper() + text[1:]


def _paris(moment: datetime) -> datetime:
    """`moment` as a real Europe/Paris time. A naive moment is read as Paris wall-clock time;
    the round trip through UTC resolves times skipped or repeated by daylight saving, which the
    library refuses otherwise."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment.astimezone(timezone.utc).astimezone(PARIS)


def _when(now: datetime, change: datetime) -> str:
    """When `change` happens, seen from `now`: `à 12 h`, `mardi à 9 h`, `le 2 septembre à 9 h`."""
    change = change.astimezone(PARIS)
    days_ahead = (change.date() - now.date()).days
    if change.time() == time() and days_ahead == 1:
        return "à minuit"  # the end of today
    at = f"à {french_time(change.hour, change.minute)}"
    if days_ahead == 0:
        return at
    if days_ahead < 7:
        return f"{WEEKDAYS[change.weekday()].lower()} {at}"
    day = "1er" if change.day == 1 else str(change.day)
    return f"le {day} {MONTHS[change.month - 1]} {at}"


def status_at(expression: str, moment: datetime) -> str:
    """French status at `moment` in the Vienne: `Ouvert · ferme à 12 h`, `Fermé · ouvre mardi à
    9 h`. A naive `moment` is Paris local time; an aware one is converted to Europe/Paris and the
    library evaluates in that zone, so DST days are right. For tests and flyers: the site's live
    status is computed in the browser from `intervals_for_browser`."""
    hours = _parse(expression, PARIS)
    if hours is None:
        return UNKNOWN_HOURS
    now = _paris(moment)
    change = hours.next_change(now)
    if hours.is_open(now):
        return ALWAYS_OPEN if change is None else f"Ouvert · ferme {_when(now, change)}"
    state = CLOSED if hours.is_closed(now) else "Ouverture incertaine"
    # Skip `unknown` stretches until the next real opening (bounded, the library is lazy).
    for _ in range(50):
        if change is None or hours.is_open(change):
            break
        change = hours.next_change(change)
    if change is None or not hours.is_open(change):
        return state
    return f"{state} · ouvre {_when(now, change)}"
