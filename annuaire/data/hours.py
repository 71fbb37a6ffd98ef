"""Opening hours in OpenStreetMap `opening_hours` syntax: checking, weekly intervals, French words.

Parsing is delegated to opening-hours-py (the Rust `opening-hours` crate): we never hand-write
an OSM parser. We only *evaluate* expressions with it and turn the result into plain French.

Times are wall-clock times in the Vienne (Europe/Paris). The weekly view is computed on naive
datetimes, so daylight-saving changes never shift it; only `status_at`, which speaks about a
real instant, evaluates in the Europe/Paris time zone.

Holidays. Almost every place closes on French public holidays, and most records do not say
so: a record whose hours do not mention `PH` is read as closed on public holidays (the page
says it is the usual rule, not a fact of the record). `SH` rules (school holidays, zone A) are
honoured from the calendar the project keeps, which the library does not know. `Openings`
holds the three weeks that follow (usual, public holiday, school holidays); the page's status
script and `Openings.status` read them the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours

from ..text import MONTHS, WEEKDAYS, french_time
from .calendar import SchoolHoliday, public_holiday_on, school_holiday_on

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
_PUBLIC_HOLIDAY = re.compile(r"\bPH\b")
_SCHOOL_HOLIDAY = re.compile(r"\bSH\b")
# A French public holiday on a Thursday (1 May 2025): what a `PH` rule gives on such a day.
SAMPLE_PUBLIC_HOLIDAY = date(2025, 5, 1)
PUBLIC_HOLIDAY_CLOSED = "Fermé · jour férié"


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


MONTH_DAYS = {"Jan": 31, "Feb": 29, "Mar": 31, "Apr": 30, "May": 31, "Jun": 30,
              "Jul": 31, "Aug": 31, "Sep": 30, "Oct": 31, "Nov": 30, "Dec": 31}
_MONTH_DAY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ?(\d{1,2})\b(?!:)")
MAX_EXPRESSION = 500  # a week of opening hours is far shorter


def syntax_error(expression: str) -> str | None:
    """None when `expression` parses, else a short French explanation for a contributor.

    The library reads `Feb 30` as a date; a day that no calendar has is refused here."""
    if len(expression) > MAX_EXPRESSION:
        return f"horaires trop longs ({len(expression)} caractères, {MAX_EXPRESSION} au plus)"
    for month, day in _MONTH_DAY.findall(_COMMENT.sub("", expression)):
        if not 1 <= int(day) <= MONTH_DAYS[month]:
            return f"date impossible dans les horaires : « {month} {day} »"
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


@lru_cache(maxsize=4096)
def weekly(expression: str) -> Week | None:
    """The openings of a typical week (see `REFERENCE_MONDAY`), None when the expression does
    not parse. Later OSM rules override earlier ones for the same day, as the library does.

    Exceptions are found by comparing the 52 following weeks with the reference week, plus the
    `PH`/`SH` keywords. Remembered per expression: it depends on nothing else, it costs 53
    weeks of the library's intervals, and many places share the same hours.
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


@lru_cache(maxsize=4096)
def _day_text(intervals: tuple[Interval, ...]) -> str:
    """`9 h – 12 h, 13 h 30 – 17 h`, `Ouvert 24 h sur 24` or `Fermé`. Remembered: a few
    hundred different days make the weeks of thousands of places (2 s at 20,000 places)."""
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


def _outside_comments(expression: str) -> str:
    return _COMMENT.sub("", expression)


def states_public_holidays(expression: str) -> bool:
    """True when the record says what happens on public holidays (a `PH` rule)."""
    return bool(_PUBLIC_HOLIDAY.search(_outside_comments(expression)))


def states_school_holidays(expression: str) -> bool:
    return bool(_SCHOOL_HOLIDAY.search(_outside_comments(expression)))


def with_holiday_rule(expression: str) -> str:
    """The expression as the site reads it: closed on public holidays unless it says otherwise
    (or says `24/7`: always open means holidays too)."""
    if states_public_holidays(expression) or expression.strip() == "24/7":
        return expression
    return f"{expression}; PH off"


def status_at(expression: str, moment: datetime) -> str:
    """French status at `moment` in the Vienne: `Ouvert · ferme à 12 h`, `Fermé · ouvre mardi à
    9 h`, `Fermé · jour férié · ouvre vendredi à 9 h`. A naive `moment` is Paris local time; an
    aware one is converted to Europe/Paris and the library evaluates in that zone, so DST days
    are right. Public holidays follow `with_holiday_rule`; the library knows no school holidays
    (`Openings.status` does). The reference the page's status script is checked against."""
    hours = _parse(with_holiday_rule(expression), PARIS)
    if hours is None:
        return UNKNOWN_HOURS
    now = _paris(moment)
    change = hours.next_change(now)
    if hours.is_open(now):
        return ALWAYS_OPEN if change is None else f"Ouvert · ferme {_when(now, change)}"
    state = CLOSED if hours.is_closed(now) else "Ouverture incertaine"
    if state == CLOSED and public_holiday_on(now.date()):
        state = PUBLIC_HOLIDAY_CLOSED
    # Skip `unknown` stretches until the next real opening (bounded, the library is lazy).
    for _ in range(50):
        if change is None or hours.is_open(change):
            break
        change = hours.next_change(change)
    if change is None or not hours.is_open(change):
        return state
    return f"{state} · ouvre {_when(now, change)}"


# --------------------------------------------------------------------------------------
# The three weeks the live status reads: usual, public holiday, school holidays


def _without_school_keyword(expression: str) -> str:
    """The expression as it reads during school holidays: every `SH` selector always true
    (`Mo-Fr 09:00-17:00; SH off` → `…; off`, `PH,SH off` → `PH off`)."""
    text = re.sub(r"\bSH\b\s*,\s*", "", expression)
    text = re.sub(r",\s*\bSH\b", "", text)
    return re.sub(r"\bSH\b", "", text)


def _day_openings(hours: opening_hours.OpeningHours, day: date) -> tuple[Interval, ...]:
    start = datetime.combine(day, time())
    found: list[Interval] = []
    for begin, end, state, _comment in hours.intervals(start, start + timedelta(days=1)):
        if state == opening_hours.State.OPEN:
            first = (begin - start) // timedelta(minutes=1)
            last = (min(end, start + timedelta(days=1)) - start) // timedelta(minutes=1)
            if found and found[-1].end == first:
                found[-1] = Interval(found[-1].start, last)
            elif last > first:
                found.append(Interval(first, last))
    return tuple(found)


@dataclass(frozen=True)
class Openings:
    """What a place's live status needs, read once from its hours.

    `week`: the usual week (term time, no holiday). `public_holiday`: the openings of a public
    holiday (`()`: closed), `holiday_stated` whether the record says so or the usual rule
    applies. `school_week`: the week during zone A school holidays, when the record has `SH`
    rules (else None: the usual week applies).
    """

    week: Week
    public_holiday: tuple[Interval, ...]
    holiday_stated: bool
    school_week: tuple[tuple[Interval, ...], ...] | None

    def day(self, day: date, school_holidays: tuple[SchoolHoliday, ...]) -> tuple[Interval, ...]:
        """The openings of one calendar day."""
        if public_holiday_on(day):
            return self.public_holiday
        if self.school_week is not None and school_holiday_on(day, school_holidays):
            return self.school_week[day.weekday()]
        return self.week.days[day.weekday()]

    def status(self, moment: datetime, school_holidays: tuple[SchoolHoliday, ...] = ()) -> str:
        """The status the page's script shows at `moment` (same rules, same words)."""
        now = _paris(moment).replace(tzinfo=None)
        today = now.date()
        minute = now.hour * 60 + now.minute
        for interval in self.day(today, school_holidays):
            if interval.start <= minute < interval.end:
                return self._open_until(today, interval, school_holidays, now)
        for ahead in range(0, 400):
            day = today + timedelta(days=ahead)
            for interval in self.day(day, school_holidays):
                if ahead > 0 or interval.start > minute:
                    state = PUBLIC_HOLIDAY_CLOSED if public_holiday_on(today) else CLOSED
                    opening = datetime.combine(day, time()) + timedelta(minutes=interval.start)
                    return f"{state} · ouvre {_when_local(now, opening)}"
        return PUBLIC_HOLIDAY_CLOSED if public_holiday_on(today) else CLOSED

    def _open_until(
        self, day: date, interval: Interval, school_holidays: tuple[SchoolHoliday, ...], now: datetime
    ) -> str:
        end_day, end = day, interval.end
        for _ in range(8):  # an opening that runs past midnight continues the next day
            if end < DAY_MINUTES:
                break
            following = self.day(end_day + timedelta(days=1), school_holidays)
            if not following or following[0].start != 0:
                break
            end_day, end = end_day + timedelta(days=1), following[0].end
        else:
            return ALWAYS_OPEN
        closing = datetime.combine(end_day, time()) + timedelta(minutes=end)
        return f"Ouvert · ferme {_when_local(now, closing)}"

    def for_browser(self, school_holidays: tuple[SchoolHoliday, ...]) -> dict[str, object]:
        """JSON-ready data of the page's status script (`site/static/statut.js`)."""
        data: dict[str, object] = {
            "semaine": week_intervals(self.week),
            "ferie": [[i.start, i.end] for i in self.public_holiday],
        }
        if self.school_week is not None:
            data["vacances"] = [[d, i.start, i.end] for d, day in enumerate(self.school_week) for i in day]
            data["periodes"] = [[h.first.isoformat(), h.last.isoformat()] for h in school_holidays]
        return data


def _when_local(now: datetime, change: datetime) -> str:
    """`_when` for naive Paris wall-clock times."""
    return _when(now.replace(tzinfo=PARIS), change.replace(tzinfo=PARIS))


def openings(expression: str | None) -> Openings | None:
    """The openings of a record's hours; None when unknown or unreadable."""
    if not expression:
        return None
    week = weekly(expression)
    hours = _parse(with_holiday_rule(expression))
    if week is None or hours is None:
        return None
    school_week = None
    if states_school_holidays(expression):
        variant = _parse(with_holiday_rule(_without_school_keyword(expression)))
        school_week = _week_openings(variant, REFERENCE_MONDAY) if variant is not None else None
    return Openings(
        week=week,
        public_holiday=_day_openings(hours, SAMPLE_PUBLIC_HOLIDAY),
        holiday_stated=states_public_holidays(expression) or expression.strip() == "24/7",
        school_week=school_week,
    )


def holiday_text(found: Openings) -> str:
    """What happens on public holidays, in words, for the place page."""
    if not found.holiday_stated:
        return "Jours fériés : fermé en général (la fiche ne le précise pas) — appelez pour vérifier."
    if not found.public_holiday:
        return "Jours fériés : fermé."
    return "Jours fériés : " + _day_text(found.public_holiday) + "."
