"""What every output shows of a place, prepared once per build: `prepare(directory, settings)`.

A place appears on its page, its print page, two PDFs, the finder, the map, commune cards and
closed-place suggestions. Reading its opening hours, formatting its phone, writing its flyer
text or ranking its alternatives is done here, once, into plain frozen data; templates and
writers receive that data and never call back into other modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import numpy as np

from .data import hours
from .data.calendar import SchoolHoliday
from .data.contact import phone_display, phone_href
from .data.hours import DayRow, Week
from .data.provenance import RULES, Freshness, freshness, source_text
from .data.territory import Departement
from .data.vocabulary import MODALITES_ACCES_PLAIN, SERVICE_BY_LABEL, SERVICE_SHORT, SERVICES
from .model.directory import Directory
from .model.nearest import alternatives
from .model.places import Place
from .settings import Settings
from .urls import PlaceUrls

SATURDAY = 5
NOON = 12 * 60
ONE_PM = 13 * 60

# A flyer never prints « non renseigné »: what is unknown is left out, and the reader is told
# how to ask instead.
SERVICES_INTRO = "Vous pouvez y venir pour :"
HOURS_BY_PHONE = "Appelez avant de venir pour connaître les horaires."
HOURS_BY_EMAIL = "Écrivez avant de venir pour connaître les horaires."


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
    hours_note: str | None  # how to learn the hours when unknown, or EXCEPTIONS_NOTE
    access: str | None  # "Venez sans rendez-vous. Appelez avant de venir."
    phone: str | None  # "05 49 52 67 66"
    reach: tuple[str, ...]  # without a phone: the e-mail, the website or the directory's contact
    cost: str | None  # None: not printed
    url: str
    updated: str  # "Informations du 1er août 2024, non vérifiées"
    services_intro: str = SERVICES_INTRO  # says « d’après la charte France services » when a rule gave them
    publisher: str = ""  # « Annuaire des lieux numériques de la Vienne »: the territory's directory


@dataclass(frozen=True)
class PlaceView:
    """A place with everything its outputs share, computed once."""

    place: Place
    urls: PlaceUrls
    public_url: str  # the page's public address: what QR codes and SMS carry
    week: Week | None  # None: hours unknown or unreadable
    rows: tuple[DayRow, ...]  # Lundi … Dimanche, or () when unknown
    intervals: tuple[tuple[int, int, int], ...]  # (weekday, start, end) minutes of the usual week
    openings: hours.Openings | None  # the usual week, public holidays, school holidays
    status_data: dict[str, object] | None  # what the page's status script reads
    holidays: str | None  # `Jours fériés : fermé.`, in words
    summary: str | None  # `Du lundi au vendredi`
    saturday: str | None  # `Ouvert le samedi matin`
    phone: str | None  # `05 49 52 67 66` (as written when it cannot be read)
    phone_href: str | None  # `tel:+33549526766`
    services: tuple[tuple[str, str | None], ...]  # (plain words, service page slug)
    helps_with: tuple[str, ...]  # services in 2 to 4 words, in the standard's order
    flyer: FlyerContent
    sms_body: str  # name, address, phone, hours in short and address of the page
    appointment: str  # `Sans rendez-vous`, `Sur rendez-vous : appelez avant de venir`…
    freshness: Freshness | None = None  # verified when and how, else from which sources and how long ago
    deduced: dict[str, str] = field(default_factory=dict)  # field → « d’après … », until a person verifies
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


def reach_lines(place: Place, contact_email: str | None) -> tuple[str, ...]:
    """How to reach a place that has no phone: its e-mail, its website, else the directory."""
    if place.courriels:
        return (f"E-mail : {place.courriels[0]}",)
    if place.site_web:
        return (f"Site web : {place.site_web[0]}",)
    if contact_email:
        return ("Écrivez à l’annuaire :", contact_email)
    return ()


def publisher_name(named: Departement) -> str:
    """Who prints the flyers: « Annuaire des lieux numériques de la Vienne »."""
    return f"Annuaire des lieux numériques {named.de}"


def flyer_content(
    place: Place, url: str, week: Week | None, contact_email: str | None = None, today: date | None = None,
    publisher: str = "", day_rows: Iterable[DayRow] | None = None,
) -> FlyerContent:
    """The French texts of `place`'s flyer; `url` is its public page. `day_rows`: the week's
    `hours.week_rows`, when the caller has them already."""
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
    rows = grouped_hours(hours.week_rows(week) if day_rows is None else day_rows)
    note: str | None = None
    if not rows:
        # "appelez avant de venir" only makes sense with a number to call.
        note = HOURS_BY_PHONE if place.telephone else HOURS_BY_EMAIL if place.courriels else None
    elif week is not None and week.has_exceptions:
        note = hours.EXCEPTIONS_NOTE
    else:
        note = None
    access = [MODALITES_ACCES_PLAIN.get(value, value) for value in place.modalites_acces]
    # Paper says what a rule gave, as the page does: « Gratuit (d’après la charte France services) ».
    deduced = deduced_fields(place)
    cost = ", ".join(place.frais_a_charge) if place.frais_a_charge else None
    if cost and "frais_a_charge" in deduced:
        cost += f" ({deduced['frais_a_charge']})"
    access_text = ". ".join(access) if access else None
    if access_text and "modalites_acces" in deduced:
        access_text += f" ({deduced['modalites_acces']})"
    return FlyerContent(
        name=place.nom,
        services=services,
        address=tuple(address),
        accessibility=accessibility,
        hours=tuple(rows),
        hours_note=note,
        access=access_text + "." if access_text else None,
        phone=phone_display(place.telephone) if place.telephone else None,
        reach=() if place.telephone else reach_lines(place, contact_email),
        cost=cost,
        url=url,
        updated=place_freshness(place, today or place.date_maj).short,  # the short form has no age
        services_intro=_services_intro(place),
        publisher=publisher,
    )


def place_freshness(place: Place, today: date) -> Freshness:
    """Verified (when, how), else each source with its date and age."""
    if place.provenance:
        sources = sorted(((source_text(s.source), s.date) for s in place.provenance), key=lambda s: s[1], reverse=True)
    else:
        sources = [(source_text(place.source), place.date_maj)]
    return freshness(sources, place.date_verification, place.verification_moyen, today)


def deduced_fields(place: Place) -> dict[str, str]:
    """Field → « d’après la charte France services », for values a rule gave and no person checked."""
    return {name: RULES[rule].shown for name, rule in place.unverified_deductions if rule in RULES}


def _services_intro(place: Place) -> str:
    rule = place.deduced_rule("services")
    if rule in RULES:
        shown = RULES[rule].shown
        return shown[:1].upper() + shown[1:] + ", vous pouvez y venir pour :"
    return SERVICES_INTRO


SHORT_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def short_hours(week: Week | None) -> str | None:
    """The week in a few characters for an SMS: `lun.-ven. 9h-12h, 14h-17h ; sam. 9h-12h`."""
    if week is None:
        return None

    def clock(minutes: int) -> str:
        h, m = divmod(minutes % hours.DAY_MINUTES, 60)
        return f"{h}h" if m == 0 else f"{h}h{m:02d}"

    runs: list[tuple[list[int], str]] = []
    for day, intervals in enumerate(week.days):
        if not intervals:
            continue
        text = ", ".join(f"{clock(i.start)}-{clock(i.end)}" for i in intervals)
        if runs and runs[-1][1] == text and runs[-1][0][-1] == day - 1:
            runs[-1][0].append(day)
        else:
            runs.append(([day], text))
    parts = []
    for days, text in runs:
        label = SHORT_DAYS[days[0]] if len(days) == 1 else f"{SHORT_DAYS[days[0]]}-{SHORT_DAYS[days[-1]]}"
        parts.append(f"{label} {text}")
    return " ; ".join(parts) or None


def sms_body(place: Place, week: Week | None, url: str) -> str:
    """The text of « Envoyer par SMS »: what a social worker sends to someone to orient them."""
    lines = [place.nom, f"{place.adresse}, {place.code_postal} {place.commune_ref.nom}"]
    if place.telephone:
        lines.append(f"Tél. {phone_display(place.telephone)}")
    week_text = short_hours(week)
    if week_text:
        lines.append(f"Horaires : {week_text}")
    lines.append(url)
    return "\n".join(lines)


def appointment_text(place: Place) -> str:
    """With or without an appointment, in the words of the first screen of a place page."""
    access = set(place.modalites_acces)
    if "Ce lieu n'accueille pas de public" in access:
        return "Ce lieu n’accueille pas de public"
    walk_in = "Se présenter" in access
    online = "Prendre un RDV en ligne" in access or bool(place.prise_rdv)
    if walk_in and (online or "Téléphoner" in access):
        return "Avec ou sans rendez-vous"
    if walk_in:
        return "Sans rendez-vous : venez aux heures d’ouverture"
    if online:
        return "Sur rendez-vous, à prendre en ligne"
    if "Téléphoner" in access:
        return "Sur rendez-vous : appelez avant de venir"
    if "Contacter par mail" in access:
        return "Sur rendez-vous : écrivez avant de venir"
    if "Envoyer un mail avec une fiche de prescription" in access:
        return "Sur orientation d’un travailleur social"
    return "Rendez-vous : non précisé, appelez avant de venir" if place.telephone else "Rendez-vous : non précisé"


def _services(place: Place) -> tuple[tuple[str, str | None], ...]:
    return tuple(
        (SERVICE_BY_LABEL[s].plain, SERVICE_BY_LABEL[s].slug) if s in SERVICE_BY_LABEL else (s, None)
        for s in place.services
    )


def _helps_with(place: Place) -> tuple[str, ...]:
    order = [s.label for s in SERVICES]
    labels = sorted(place.services, key=lambda s: order.index(s) if s in order else len(order))
    return tuple(SERVICE_SHORT.get(s, s) for s in labels)


def place_view(
    place: Place, settings: Settings, school_holidays: tuple[SchoolHoliday, ...] = (),
    alternatives_: tuple[Place, ...] = (), publisher: str = "",
) -> PlaceView:
    week = hours.weekly(place.horaires) if place.horaires else None
    openings = hours.openings(place.horaires) if week is not None else None
    url = settings.page_url(place.url_path)
    summary = hours.week_summary(week)
    rows = tuple(hours.week_rows(week))
    return PlaceView(
        place=place,
        urls=place.urls,
        public_url=url,
        week=week,
        rows=rows,
        intervals=tuple((d, s, e) for d, s, e in hours.week_intervals(week)),
        openings=openings,
        status_data=openings.for_browser(school_holidays) if openings else None,
        holidays=hours.holiday_text(openings) if openings else None,
        summary=summary,
        saturday=saturday_text(week),
        phone=phone_display(place.telephone) if place.telephone else None,
        phone_href=phone_href(place.telephone) if place.telephone else None,
        services=_services(place),
        helps_with=_helps_with(place),
        flyer=flyer_content(place, url, week, settings.contact_email, settings.today, publisher, rows),
        sms_body=sms_body(place, week, url),
        appointment=appointment_text(place),
        freshness=place_freshness(place, settings.today),
        deduced=deduced_fields(place),
        alternatives=alternatives_,
    )


# An open place's view, given back by an earlier build or made now by the given function.
KeptViews = Callable[[Place, Callable[[], "PlaceView"]], "PlaceView"]


@dataclass(frozen=True)
class Views:
    """The views of every open and closed place of a build, by page path."""

    by_path: dict[str, PlaceView]
    _saturday: dict[int, tuple[tuple[Place, ...], np.ndarray]] = field(default_factory=dict, compare=False, repr=False)

    def of(self, place: Place) -> PlaceView:
        return self.by_path[place.url_path]

    def open_on_saturday(self, places: tuple[Place, ...]) -> np.ndarray:
        """Which of `places` open on Saturday, as flags (`Ranking.among`), worked out once for
        the places every commune ranks: each commune's nearest place open on Saturday for a
        need is then found without walking past every place closed that day (35,000 communes
        in France, tens of thousands of places)."""
        kept = self._saturday.get(id(places))
        if kept is None or kept[0] is not places:
            flags = np.fromiter((self.of(place).saturday is not None for place in places), dtype=bool, count=len(places))
            kept = (places, flags)
            self._saturday[id(places)] = kept
        return kept[1]


def _made_now(place: Place, make: Callable[[], PlaceView]) -> PlaceView:
    return make()


def prepare(directory: Directory, settings: Settings, kept: KeptViews | None = None) -> Views:
    """One view per place; a closed place's view carries its nearest open alternatives.
    `kept`: where an open place's view may be given back by an earlier build (`view_memo.py`)."""
    holidays = directory.reference.school_holidays if directory.reference else ()
    publisher = publisher_name(directory.territory.named)
    given_back = kept or _made_now
    views = {p.url_path: given_back(p, partial(place_view, p, settings, holidays, publisher=publisher))
             for p in directory.places}
    for place in directory.closed:
        nearby = tuple(alternatives(place, directory.places, directory.territory, k=3))
        views[place.url_path] = place_view(place, settings, holidays, nearby, publisher)
    return Views(views)
