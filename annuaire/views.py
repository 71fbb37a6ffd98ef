"""What every output shows of a place, prepared once per build: `prepare(directory, settings)`.

A place appears on its page, its print page, two PDFs, the finder, the map, commune cards and
closed-place suggestions. Reading its opening hours, formatting its phone, writing its flyer
text or ranking its alternatives is done here, once, into plain frozen data; templates and
writers receive that data and never call back into other modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .data import hours
from .data.contact import phone_display, phone_href
from .data.hours import DayRow, Week
from .data.vocabulary import MODALITES_ACCES_PLAIN, SERVICE_BY_LABEL, SERVICE_SHORT, SERVICES
from .model.directory import Directory
from .model.nearest import alternatives
from .model.places import Place
from .settings import Settings
from .text import french_date
from .urls import PlaceUrls

SATURDAY = 5
NOON = 12 * 60
ONE_PM = 13 * 60

# Flyer texts for what a record does not say.
UNKNOWN_COST = "Non renseigné : demandez en appelant"
UNKNOWN_COST_NO_PHONE = "Non renseigné"
UNKNOWN_HOURS_NO_PHONE = "Horaires non renseignés"


@dataclass(frozen=True)
class FlyerContent:
    """Every piece of text printed on a place flyer, already in plain French.

    Both the PDF and the HTML flyer are drawn from it, and the print cache hashes it, so a
    change of anything the reader would see (and only that) makes a new flyer.
    """

    name: str
    services: tuple[str, ...]
    address: tuple[str, ...]
    accessibility: str | None
    hours: tuple[tuple[str, str], ...]  # ("Du lundi au vendredi", "9 h – 12 h, 13 h 30 – 17 h"), or ()
    hours_note: str | None  # UNKNOWN_HOURS, or EXCEPTIONS_NOTE
    access: str | None  # "Venez sans rendez-vous. Appelez avant de venir."
    phone: str | None  # "05 49 52 67 66"
    cost: str
    url: str
    updated: str  # "Informations du 1er août 2024"


@dataclass(frozen=True)
class PlaceView:
    """A place with everything its outputs share, computed once."""

    place: Place
    urls: PlaceUrls
    public_url: str  # the page's public address: what QR codes and SMS carry
    week: Week | None  # None: hours unknown or unreadable
    rows: tuple[DayRow, ...]  # Lundi … Dimanche, or () when unknown
    intervals: tuple[tuple[int, int, int], ...]  # (weekday, start, end) minutes, for the browser
    summary: str | None  # `Du lundi au vendredi`
    saturday: str | None  # `Ouvert le samedi matin`
    phone: str | None  # `05 49 52 67 66` (as written when it cannot be read)
    phone_href: str | None  # `tel:+33549526766`
    services: tuple[tuple[str, str | None], ...]  # (plain words, service page slug)
    helps_with: tuple[str, ...]  # services in 2 to 4 words, in the standard's order
    flyer: FlyerContent
    sms_body: str  # name, address, open days and address of the page
    alternatives: tuple[Place, ...] = ()  # for a closed place: the nearest open ones

    @property
    def has_exceptions(self) -> bool:
        return self.week is not None and self.week.has_exceptions


def grouped_hours(rows: Iterable[DayRow]) -> list[tuple[str, str]]:
    """Rows with consecutive days of equal hours on one line (`Du lundi au vendredi`,
    `Samedi et dimanche`): fewer lines to scan on paper, and room for larger type."""
    groups: list[list[str]] = []  # [[text, day, day…], …]
    for row in rows:
        if groups and groups[-1][0] == row.text:
            groups[-1].append(row.day)
        else:
            groups.append([row.text, row.day])
    result = []
    for text, *days in groups:
        if len(days) == 1:
            label = days[0]
        elif len(days) == 2:
            label = f"{days[0]} et {days[1].lower()}"
        else:
            label = f"Du {days[0].lower()} au {days[-1].lower()}"
        result.append((label, text))
    return result


def saturday_text(week: Week | None) -> str | None:
    """`Ouvert le samedi matin` / `après-midi` / `Ouvert le samedi`, None when closed on
    Saturdays or hours unknown: the day working people ask for, said in words."""
    if week is None or not week.days[SATURDAY]:
        return None
    intervals = week.days[SATURDAY]
    if all(i.end <= ONE_PM for i in intervals):
        return "Ouvert le samedi matin"
    if all(i.start >= NOON for i in intervals):
        return "Ouvert le samedi après-midi"
    return "Ouvert le samedi"


def flyer_content(place: Place, url: str, week: Week | None) -> FlyerContent:
    """The French texts of `place`'s flyer; `url` is its public page."""
    services = tuple(
        SERVICE_BY_LABEL[label].plain if label in SERVICE_BY_LABEL else label for label in place.services
    )
    address = [place.adresse]
    if place.complement_adresse:
        address.append(place.complement_adresse)
    address.append(f"{place.code_postal} {place.commune_ref.nom}")
    accessibility = None
    if place.accessible_fauteuil_roulant is True:
        accessibility = "Accessible en fauteuil roulant"
    elif place.accessible_fauteuil_roulant is False:
        accessibility = "Pas accessible en fauteuil roulant"
    rows = grouped_hours(hours.week_rows(week))
    if not rows:
        # "appelez avant de venir" only makes sense with a number to call.
        note: str | None = hours.UNKNOWN_HOURS if place.telephone else UNKNOWN_HOURS_NO_PHONE
    elif week is not None and week.has_exceptions:
        note = hours.EXCEPTIONS_NOTE
    else:
        note = None
    access = [MODALITES_ACCES_PLAIN.get(value, value) for value in place.modalites_acces]
    return FlyerContent(
        name=place.nom,
        services=services,
        address=tuple(address),
        accessibility=accessibility,
        hours=tuple(rows),
        hours_note=note,
        access=". ".join(access) + "." if access else None,
        phone=phone_display(place.telephone) if place.telephone else None,
        cost=", ".join(place.frais_a_charge) if place.frais_a_charge else (
            UNKNOWN_COST if place.telephone else UNKNOWN_COST_NO_PHONE
        ),
        url=url,
        updated=f"Informations du {french_date(place.date_maj)}",
    )


def sms_body(place: Place, summary: str | None, url: str) -> str:
    """The text of « Envoyer par SMS »: what a social worker sends to someone to orient them."""
    lines = [place.nom, f"{place.adresse}, {place.code_postal} {place.commune_ref.nom}"]
    if summary:
        lines.append(f"Ouvert : {summary[:1].lower()}{summary[1:]}")
    lines.append(url)
    return "\n".join(lines)


def _services(place: Place) -> tuple[tuple[str, str | None], ...]:
    return tuple(
        (SERVICE_BY_LABEL[s].plain, SERVICE_BY_LABEL[s].slug) if s in SERVICE_BY_LABEL else (s, None)
        for s in place.services
    )


def _helps_with(place: Place) -> tuple[str, ...]:
    order = [s.label for s in SERVICES]
    labels = sorted(place.services, key=lambda s: order.index(s) if s in order else len(order))
    return tuple(SERVICE_SHORT.get(s, s) for s in labels)


def place_view(place: Place, settings: Settings, alternatives_: tuple[Place, ...] = ()) -> PlaceView:
    week = hours.weekly(place.horaires) if place.horaires else None
    url = settings.page_url(place.url_path)
    summary = hours.week_summary(week)
    return PlaceView(
        place=place,
        urls=place.urls,
        public_url=url,
        week=week,
        rows=tuple(hours.week_rows(week)),
        intervals=tuple((d, s, e) for d, s, e in hours.week_intervals(week)),
        summary=summary,
        saturday=saturday_text(week),
        phone=phone_display(place.telephone) if place.telephone else None,
        phone_href=phone_href(place.telephone) if place.telephone else None,
        services=_services(place),
        helps_with=_helps_with(place),
        flyer=flyer_content(place, url, week),
        sms_body=sms_body(place, summary, url),
        alternatives=alternatives_,
    )


@dataclass(frozen=True)
class Views:
    """The views of every open and closed place of a build, by page path."""

    by_path: dict[str, PlaceView]

    def of(self, place: Place) -> PlaceView:
        return self.by_path[place.url_path]


def prepare(directory: Directory, settings: Settings) -> Views:
    """One view per place; a closed place's view carries its nearest open alternatives."""
    views = {p.url_path: place_view(p, settings) for p in directory.places}
    for place in directory.closed:
        nearby = tuple(alternatives(place, directory.places, directory.territory, k=3))
        views[place.url_path] = place_view(place, settings, nearby)
    return Views(views)
