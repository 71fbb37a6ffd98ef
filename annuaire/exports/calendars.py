"""Workshop agendas as iCalendar files (RFC 5545), for "Ajouter à mon agenda" and subscriptions.

A resident adds one workshop to their phone's agenda (`event_ics`); a social worker subscribes
to the whole agenda, to an EPCI's or to a place's (`calendar_ics`, `feeds`). Choices:

- one VEVENT per workshop: a series is a single event with `RRULE` (`FREQ=WEEKLY;BYDAY=TU`,
  `FREQ=MONTHLY;BYDAY=1TH`, always with `UNTIL`) and `EXDATE` for every session that does
  not happen (dates of `sauf`, school and public holidays), so that agendas show exactly the
  sessions of the site;
- `UID` is `<slug>@lieux-numeriques-86`, the same at every build, so a subscribed agenda
  updates the event instead of duplicating it; `DTSTAMP` is the given build time, so the same
  input gives byte-identical files (no noisy diff, cache-friendly);
- times carry `TZID=Europe/Paris` with a fixed VTIMEZONE (the EU rule since 1996) written
  here, not generated from the machine's tz database, for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timezone

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from .. import urls
from ..data.calendar import PARIS, Recurrence, meeting_days, rule_days
from ..data.contact import phone_display
from ..data.territory import Territory
from ..model.workshops import Workshop, at_place, in_epci

PRODID = "-//Lieux ressources numériques//Agenda des ateliers//FR"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def stamp(today: date) -> datetime:
    """DTSTAMP of every event: the build date, never the clock, so files are reproducible."""
    return datetime.combine(today, time(0, 0), tzinfo=timezone.utc)


def paris_timezone() -> Timezone:
    """VTIMEZONE for Europe/Paris: CET, CEST from the last Sunday of March to the last of October."""
    zone = Timezone()
    zone.add("tzid", "Europe/Paris")
    zone.add("x-lic-location", "Europe/Paris")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    summer.add("tzoffsetfrom", datetime(2000, 1, 1, tzinfo=PARIS).utcoffset())
    summer.add("tzoffsetto", datetime(2000, 7, 1, tzinfo=PARIS).utcoffset())
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    winter.add("tzoffsetfrom", datetime(2000, 7, 1, tzinfo=PARIS).utcoffset())
    winter.add("tzoffsetto", datetime(2000, 1, 1, tzinfo=PARIS).utcoffset())
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=PARIS)


def location(workshop: Workshop) -> str:
    """`Médiathèque, 2 place de l’Essai, 86100 Châtellerault`: what a phone's map understands."""
    place = workshop.place
    parts = [place.nom, place.adresse]
    if place.complement_adresse:
        parts.append(place.complement_adresse)
    parts.append(f"{place.code_postal} {place.commune_ref.nom}")
    return ", ".join(parts)


def description(workshop: Workshop, base_url: str | None = None) -> str:
    """The event's text: what, for whom, price and how to sign up, in plain French."""
    lines = [workshop.description, ""]
    lines.append(f"Niveau : {workshop.niveau}. Public : {', '.join(workshop.public)}.")
    lines.append(f"Prix : {workshop.frais}" + (f" ({workshop.tarif})" if workshop.tarif else "") + ".")
    sign_up = workshop.inscription
    phone = phone_display(sign_up.telephone) if sign_up.telephone else None
    ways = [w for w in (phone, sign_up.courriel, sign_up.lien) if w]
    if ways:
        lines.append("Inscription : " + " ou ".join(ways) + ".")
    elif sign_up.sans_inscription:
        lines.append("Sans inscription : venez directement.")
    if workshop.places:
        lines.append(f"Places : {workshop.places}.")
    if workshop.accessibilite:
        lines.append(f"Accessibilité : {workshop.accessibilite}")
    if base_url:
        lines.extend(["", base_url.rstrip("/") + "/" + workshop.url_path])
    return "\n".join(lines)


def _rule(schedule: Recurrence) -> vRecur:
    until = datetime.combine(schedule.last, time(23, 59, 59), tzinfo=PARIS).astimezone(timezone.utc)
    if schedule.frequency == "hebdomadaire":
        days = [BYDAY[d] for d in schedule.weekdays]
        return vRecur({"freq": "WEEKLY", "until": until, "byday": days})
    days = [f"{schedule.rank}{BYDAY[d]}" for d in schedule.weekdays]
    return vRecur({"freq": "MONTHLY", "until": until, "byday": days})


def workshop_event(workshop: Workshop, build_time: datetime, base_url: str | None = None) -> Event | None:
    """The VEVENT of a workshop; None for a series left without any session."""
    schedule = workshop.schedule
    event = Event()
    event.add("uid", workshop.uid)
    event.add("dtstamp", build_time.astimezone(timezone.utc))
    days = meeting_days(schedule)
    if not days:
        return None
    event.add("dtstart", _at(days[0], schedule.start))
    event.add("dtend", _at(days[0], schedule.end))
    if isinstance(schedule, Recurrence):
        event.add("rrule", _rule(schedule))
        kept = set(days)
        skipped = [_at(day, schedule.start) for day in rule_days(schedule) if day > days[0] and day not in kept]
        if skipped:
            event.add("exdate", skipped)
    event.add("summary", workshop.titre)
    event.add("description", description(workshop, base_url))
    event.add("location", location(workshop))
    if workshop.place.latitude is not None and workshop.place.longitude is not None:
        event.add("geo", (workshop.place.latitude, workshop.place.longitude))
    if workshop.theme:
        event.add("categories", list(workshop.theme))
    if base_url:
        event.add("url", base_url.rstrip("/") + "/" + workshop.url_path)
    return event


def calendar_ics(
    workshops: Iterable[Workshop], name: str, build_time: datetime, base_url: str | None = None
) -> bytes:
    """A whole agenda (`.ics`): deterministic for the same workshops, name and build time."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    calendar.add_component(paris_timezone())
    for workshop in sorted(workshops, key=lambda w: w.slug):
        event = workshop_event(workshop, build_time, base_url)
        if event is not None:
            calendar.add_component(event)
    return bytes(calendar.to_ical())


def event_ics(workshop: Workshop, build_time: datetime, base_url: str | None = None) -> bytes:
    """One workshop's `.ics`, behind its "Ajouter à mon agenda" link."""
    return calendar_ics([workshop], workshop.titre, build_time, base_url)


def feeds(
    workshops: list[Workshop], territory: Territory, build_time: datetime, base_url: str | None = None
) -> dict[str, bytes]:
    """Every agenda file of the site, by path: the whole agenda, each EPCI's, each place's,
    each workshop's. Only places and EPCI with at least one workshop get a file."""
    files = {urls.AGENDA_ICS: calendar_ics(workshops, f"Ateliers numériques {territory.named.dans}", build_time, base_url)}
    for epci in territory.epcis:
        chosen = in_epci(workshops, epci)
        if chosen:
            files[urls.epci_ics(epci.slug)] = calendar_ics(
                chosen, f"Ateliers numériques — {epci.nom_long}", build_time, base_url
            )
    places = {w.lieu: w.place for w in workshops}
    for place_id, place in sorted(places.items()):
        files[place.urls.workshops_ics] = calendar_ics(
            at_place(workshops, place_id), f"Ateliers — {place.nom}", build_time, base_url
        )
    for workshop in workshops:
        files[urls.workshop_ics(workshop.slug)] = event_ics(workshop, build_time, base_url)
    return files

