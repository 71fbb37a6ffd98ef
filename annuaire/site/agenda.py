"""The workshops (ateliers) on the site: agenda pages, one page per workshop, calendar files.

A resident or a social worker looks for *the next workshop near me*: the agenda lists the
sessions of the next 12 weeks, grouped by week, from the build date (`settings.today`, fixed
by ANNUAIRE_DATE; the nightly rebuild makes past sessions disappear). Filtering needs no
JavaScript: there is one pre-built agenda page per intercommunality and per theme. Place,
commune and EPCI pages show their next sessions from `Sessions`, computed once per build.

Paths (stable, never renamed):

- `ateliers/` the whole agenda (in the menu), `ateliers/territoires/<epci>/`,
  `ateliers/themes/<service>/`, `ateliers/<workshop>/` (the file name of the record);
- calendars from `exports.calendars.feeds`: `ateliers/agenda.ics`, `ateliers/<epci>.ics`,
  `lieux/<commune>/<lieu>/ateliers.ics`, `ateliers/<workshop>/atelier.ics`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from urllib.parse import quote

import jinja2

from .. import urls
from ..data.calendar import WEEKDAYS, OneOff, Recurrence
from ..data.territory import Commune, Epci
from ..data.vocabulary import SERVICE_BY_LABEL
from ..model.directory import Directory
from ..model.places import Place
from ..model.workshops import Occurrence, Workshop, occurrences, upcoming
from ..settings import Settings
from ..text import MONTHS, french_date, french_time
from .templating import Page, render_page

AGENDA = "ateliers/index.md"
HORIZON_WEEKS = 12
ANNOUNCE_TEMPLATE = "annoncer-un-atelier.yml"
RANK_WORDS = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", -1: "dernier"}


# --------------------------------------------------------------------------------------
# Words


def day_label(day: date, today: date) -> str:
    """`mardi 3 mars` (`jeudi 1er janvier 2027` when the year is not the build's)."""
    text = f"{WEEKDAYS[day.weekday()]} {'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def time_range(start: time, end: time) -> str:
    """`14 h – 16 h`, `9 h 30 – 11 h 30`."""
    return f"{french_time(start.hour, start.minute)} – {french_time(end.hour, end.minute)}"


def _day_month(day: date) -> str:
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"


def week_label(monday: date) -> str:
    """`Semaine du 2 au 8 mars`, `Semaine du 30 mars au 5 avril`, with years across a new year."""
    sunday = monday + timedelta(days=6)
    first = "1er" if monday.day == 1 else str(monday.day)
    if monday.year != sunday.year:
        return f"Semaine du {french_date(monday)} au {french_date(sunday)}"
    if monday.month != sunday.month:
        return f"Semaine du {_day_month(monday)} au {_day_month(sunday)}"
    return f"Semaine du {first} au {_day_month(sunday)}"


def schedule_text(workshop: Workshop) -> str:
    """The rule in words: `Chaque mardi, de 14 h à 16 h, du 2 septembre 2025 au 30 juin 2026.`"""
    schedule = workshop.schedule
    hours = f"de {french_time(schedule.start.hour, schedule.start.minute)} à {french_time(schedule.end.hour, schedule.end.minute)}"
    if isinstance(schedule, OneOff):
        return f"Le {WEEKDAYS[schedule.day.weekday()]} {french_date(schedule.day)}, {hours}."
    days = " et ".join(WEEKDAYS[d] for d in schedule.weekdays)
    if schedule.frequency == "hebdomadaire":
        rule = f"Chaque {days}"
    else:
        rule = f"Le {RANK_WORDS.get(schedule.rank or 1, '')} {days} du mois"
    return f"{rule}, {hours}, du {french_date(schedule.first)} au {french_date(schedule.last)}."


def skipped_text(workshop: Workshop) -> list[str]:
    """What the series skips, one line each, for the workshop page."""
    schedule = workshop.schedule
    if not isinstance(schedule, Recurrence):
        return []
    lines: list[str] = []
    if schedule.skip_school_holidays:
        lines.append("pas d’atelier pendant les vacances scolaires")
    if schedule.skip_public_holidays:
        lines.append("pas d’atelier les jours fériés")
    for day in schedule.except_dates:
        lines.append(f"pas d’atelier le {WEEKDAYS[day.weekday()]} {french_date(day)}")
    for first, last in schedule.except_periods:
        lines.append(f"pas d’atelier du {french_date(first)} au {french_date(last)}")
    return lines


def themes(workshop: Workshop) -> list[tuple[str, str | None]]:
    """(plain words, theme page slug) of each theme."""
    return [
        (SERVICE_BY_LABEL[t].plain, SERVICE_BY_LABEL[t].slug) if t in SERVICE_BY_LABEL else (t, None)
        for t in workshop.theme
    ]


# --------------------------------------------------------------------------------------
# Sessions


@dataclass(frozen=True)
class Session:
    """One session as pages show it."""

    occurrence: Occurrence
    when: str  # `mardi 3 mars, 14 h – 16 h`
    datetime: str  # `2026-03-03T14:00` for <time datetime>

    @property
    def workshop(self) -> Workshop:
        return self.occurrence.workshop


@dataclass(frozen=True)
class Week:
    monday: date
    label: str
    sessions: list[Session]


def session(occurrence: Occurrence, today: date) -> Session:
    return Session(
        occurrence,
        f"{day_label(occurrence.day, today)}, {time_range(occurrence.start.time(), occurrence.end.time())}",
        f"{occurrence.start:%Y-%m-%dT%H:%M}",
    )


def horizon_end(today: date) -> date:
    """Last day shown: 12 weeks counted from the build date."""
    return today + timedelta(weeks=HORIZON_WEEKS) - timedelta(days=1)


def coming(workshops: Iterable[Workshop], today: date) -> list[Session]:
    """Sessions from the build date to the end of the horizon, soonest first."""
    days = (horizon_end(today) - today).days
    return [session(o, today) for o in upcoming(workshops, today, days=days)]


def by_week(sessions: list[Session]) -> list[Week]:
    weeks: dict[date, list[Session]] = {}
    for item in sessions:
        monday = item.occurrence.day - timedelta(days=item.occurrence.day.weekday())
        weeks.setdefault(monday, []).append(item)
    return [Week(monday, week_label(monday), found) for monday, found in weeks.items()]


class Sessions:
    """The coming sessions of a build, computed once, and the ones of a place, commune or EPCI."""

    def __init__(self, workshops: Iterable[Workshop], today: date) -> None:
        self.all = coming(workshops, today)
        # Grouped once, in their order: every place, commune and EPCI page asks for its own.
        self._at_place: dict[str, list[Session]] = {}
        self._in_commune: dict[str, list[Session]] = {}
        self._in_epci: dict[str, list[Session]] = {}
        for s in self.all:
            self._at_place.setdefault(s.workshop.lieu, []).append(s)
            self._in_commune.setdefault(s.workshop.place.commune_ref.code_insee, []).append(s)
            if s.workshop.epci is not None:
                self._in_epci.setdefault(s.workshop.epci.code, []).append(s)

    def at_place(self, place: Place) -> list[Session]:
        return list(self._at_place.get(place.id, ()))

    def in_commune(self, commune: Commune) -> list[Session]:
        return list(self._in_commune.get(commune.code_insee, ()))

    def in_epci(self, epci: Epci) -> list[Session]:
        return list(self._in_epci.get(epci.code, ()))


# --------------------------------------------------------------------------------------
# Pages


def announce_url(settings: Settings) -> str:
    return f"{settings.repo_url}/issues/new?template={ANNOUNCE_TEMPLATE}"


def contributing_url(settings: Settings) -> str:
    return f"{settings.repo_url}/blob/{quote(settings.branch)}/CONTRIBUTING.md#annoncer-un-atelier"


def subscribe_url(settings: Settings, path: str) -> str:
    """`webcal://…`: the scheme phones and agenda applications open as a subscription."""
    url = settings.page_url(path)
    return "webcal://" + url.split("://", 1)[1]


class AgendaPages:
    """Renders the agenda pages of one directory with one set of settings."""

    def __init__(
        self, env: jinja2.Environment, directory: Directory, settings: Settings, sessions: Sessions
    ) -> None:
        self.env = env
        self.directory = directory
        self.settings = settings
        self.workshops = list(directory.workshops)
        self.sessions = sessions.all

    def _common(self) -> dict[str, Any]:
        return {
            "today": self.settings.today,
            "today_label": day_label(self.settings.today, self.settings.today),
            "last_label": day_label(horizon_end(self.settings.today), self.settings.today),
            "weeks_count": HORIZON_WEEKS,
            "announce_url": announce_url(self.settings),
            "contributing_url": contributing_url(self.settings),
            "themes": themes,
        }

    def _filters(self) -> dict[str, Any]:
        epcis = [
            (epci, len([s for s in self.sessions if s.workshop.epci and s.workshop.epci.code == epci.code]))
            for epci in self.directory.territory.epcis
            if any(w.epci and w.epci.code == epci.code for w in self.workshops)
        ]
        used = {t for w in self.workshops for t in w.theme}
        theme_links = [
            (SERVICE_BY_LABEL[label], len([s for s in self.sessions if label in s.workshop.theme]))
            for label in SERVICE_BY_LABEL
            if label in used
        ]
        communes: dict[str, Commune] = {}
        for workshop in sorted(self.workshops, key=lambda w: w.place.sort_key):
            communes.setdefault(workshop.place.commune_ref.code_insee, workshop.place.commune_ref)
        return {"filter_epcis": epcis, "filter_themes": theme_links, "filter_communes": list(communes.values())}

    def agenda(self) -> Page:
        return render_page(
            self.env, AGENDA, "agenda.html", "Ateliers", in_nav=True,
            heading="Ateliers numériques",
            scope=None,
            weeks=by_week(self.sessions),
            has_workshops=bool(self.workshops),
            calendar_path=urls.AGENDA_ICS,
            calendar_subscribe=subscribe_url(self.settings, urls.AGENDA_ICS),
            calendar_url=self.settings.page_url(urls.AGENDA_ICS),
            **self._filters(),
            **self._common(),
        )

    def epci_agenda(self, epci: Epci) -> Page:
        sessions = [s for s in self.sessions if s.workshop.epci and s.workshop.epci.code == epci.code]
        path = urls.epci_ics(epci.slug)
        return render_page(
            self.env, urls.leaf_source(urls.epci_agenda_path(epci.slug)), "agenda.html", f"Ateliers — {epci.nom_long}",
            heading=f"Ateliers : {epci.nom_long}",
            scope=f"dans la {epci.nom_long}",
            epci=epci,
            weeks=by_week(sessions),
            has_workshops=True,
            calendar_path=path,
            calendar_subscribe=subscribe_url(self.settings, path),
            calendar_url=self.settings.page_url(path),
            **self._filters(),
            **self._common(),
        )

    def theme_agenda(self, label: str) -> Page:
        service = SERVICE_BY_LABEL[label]
        sessions = [s for s in self.sessions if label in s.workshop.theme]
        return render_page(
            self.env, urls.leaf_source(urls.theme_agenda_path(service.slug)), "agenda.html",
            f"Ateliers : {service.plain}",
            heading=f"Ateliers : {service.plain}",
            scope=f"sur le thème « {service.plain} »",
            weeks=by_week(sessions),
            has_workshops=True,
            calendar_path=None,
            calendar_subscribe=None,
            calendar_url=None,
            **self._filters(),
            **self._common(),
        )

    def workshop(self, workshop: Workshop) -> Page:
        today = self.settings.today
        schedule = workshop.schedule
        last = schedule.day if isinstance(schedule, OneOff) else schedule.last
        sessions = [session(o, today) for o in occurrences(workshop, today, last)]
        path = urls.workshop_ics(workshop.slug)
        place_calendar = workshop.place.urls.workshops_ics
        return render_page(
            self.env, urls.leaf_source(workshop.url_path), "workshop.html", workshop.titre,
            w=workshop,
            sessions=sessions[:12],
            more=len(sessions) - 12 if len(sessions) > 12 else 0,
            schedule=schedule_text(workshop),
            skipped=skipped_text(workshop),
            description=[line.strip() for line in workshop.description.splitlines() if line.strip()],
            calendar_path=path,
            place_calendar_path=place_calendar,
            place_calendar_subscribe=subscribe_url(self.settings, place_calendar),
            place_calendar_url=self.settings.page_url(place_calendar),
            **self._common(),
        )

    def all(self) -> list[Page]:
        pages = [self.agenda()]
        for epci in self.directory.territory.epcis:
            if any(w.epci and w.epci.code == epci.code for w in self.workshops):
                pages.append(self.epci_agenda(epci))
        used = {t for w in self.workshops for t in w.theme}
        for label in SERVICE_BY_LABEL:
            if label in used:
                pages.append(self.theme_agenda(label))
        pages += [self.workshop(w) for w in self.workshops]
        return pages
