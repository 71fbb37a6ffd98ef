"""Workshops (ateliers) announced by the places, and the dates on which they take place.

Axis 5 of the Vienne's strategy asks for workshops that build digital autonomy: a resident
or a social worker looks for *the next one near me*. This module turns validated workshop
records into typed, immutable `Workshop` objects and expands their schedule into dated
`Occurrence`s (the dates come from `data/calendar.py`); pages and calendar files read only
these objects.

Decisions (for CONTRIBUTING.md):

- One YAML file per workshop, flat: `ateliers/<slug>.yml`, loaded with
  `data.records.load_records` (text stays text, positions kept). Not `ateliers/<commune>/…`:
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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..data.calendar import PARIS, OneOff, Schedule, SchoolHoliday, meeting_days, schedule_from_data, yes
from ..data.records import Raw, Record, text_list
from ..data.territory import Epci
from ..urls import workshop_path
from ..validation.checks import relative_path
from .places import Place

UID_DOMAIN = "lieux-numeriques-86"
ALL_PUBLICS = "Tout public"


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
        return workshop_path(self.slug)

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


def workshop_from_record(
    record: Record, places_by_id: Mapping[str, Place], root: Path, school_holidays: tuple[SchoolHoliday, ...]
) -> Workshop:
    """Build a Workshop from a record that passed `validation.workshops.check_workshops`."""
    data = record.data
    sign_up = data.get("inscription")
    sign_up = sign_up if isinstance(sign_up, dict) else {}
    seats = _text(data.get("places"))
    lieu = str(data["lieu"]).strip()
    return Workshop(
        file=relative_path(record.path, root),
        slug=record.path.stem,
        titre=str(data["titre"]).strip(),
        description=str(data["description"]).strip(),
        lieu=lieu,
        place=places_by_id[lieu],
        schedule=schedule_from_data(data, school_holidays),
        theme=text_list(data.get("theme")),
        public=text_list(data.get("public")) or (ALL_PUBLICS,),
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
    records: Iterable[Record], places_by_id: Mapping[str, Place], root: Path,
    school_holidays: tuple[SchoolHoliday, ...] = (),
) -> list[Workshop]:
    """Workshops of validated records, in a stable order (by slug)."""
    return sorted(
        (workshop_from_record(r, places_by_id, root, school_holidays) for r in records), key=lambda w: w.slug
    )
