"""The directory's pages: home, one per place, commune, EPCI and service, and their indexes.

Each function gathers a page's context from prepared data (`views`, print facts, workshop
sessions) and renders one template: this is where a record becomes a page (a place's page:
`DirectoryPages.place`, its context made by `place_context`). No MkDocs here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2

from .. import urls
from ..data import hours
from ..data.provenance import french_age, source_text
from ..data.territory import Commune, Epci
from ..data.vocabulary import (
    MODALITES_ACCES_PLAIN,
    MODALITES_ACCOMPAGNEMENT_PLAIN,
    NEEDS,
    SERVICE_BY_LABEL,
    SERVICES,
    Need,
)
from ..model.directory import Directory
from ..model.nearest import Nearest, Ranking
from ..model.places import Place, by_epci
from ..model.quality import contradictions
from ..printing.produce import Batch, Download, Printed
from ..settings import Settings
from ..text import french_date, search_key
from ..views import PlaceView, Views
from .agenda import Session, Sessions
from .coverage import CoveragePages
from .templating import Page, compact, https_href, render_page, render_page_of, script_json, too_long_to_list

Each = Callable[[Callable[[Any], Page], Sequence[Any]], Iterable[Page]]  # `make` applied to every item, in order

ISSUE_TEMPLATE = "signaler-une-erreur.yml"  # fields `lieu` and `url` are prefilled
VERIFY_TEMPLATE = "verifier-un-lieu.yml"  # fields `lieu` and `url` are prefilled
SUGGEST_TEMPLATE = "proposer-un-lieu.yml"  # field `commune` is prefilled

# Listing pages that appear in the navigation; every other generated page stays out of it.
HOME = "index.md"
PLACES_INDEX = "lieux/index.md"
TERRITORIES_INDEX = "territoires/index.md"
SERVICES_INDEX = "services/index.md"

NEARBY_COUNT = 8  # places listed around a commune: enough to choose, short enough for a phone

def is_old(updated: date, today: date) -> bool:
    """True when `updated` is more than 12 months before `today`."""
    try:
        year_before = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_before = today.replace(year=today.year - 1, day=28)
    return updated < year_before


def osm_url(place: Place) -> str | None:
    if place.latitude is None or place.longitude is None:
        return None
    lat, lon = place.latitude, place.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def directions_url(place: Place) -> str | None:
    if place.latitude is None or place.longitude is None:
        return None
    return f"https://www.openstreetmap.org/directions?to={place.latitude},{place.longitude}"


def report_url(place: Place, settings: Settings) -> str:
    """A prefilled GitHub issue form: the contributor only has to say what is wrong."""
    query = urlencode(
        {
            "template": ISSUE_TEMPLATE,
            "title": f"Erreur : {place.nom}",
            "lieu": place.nom,
            "url": settings.page_url(place.url_path),
        },
        quote_via=quote,
    )
    return f"{settings.repo_url}/issues/new?{query}"


def verify_url(place: Place | None, settings: Settings) -> str:
    """« Ces informations sont-elles justes ? »: the verification form, prefilled for a place."""
    fields = {"template": VERIFY_TEMPLATE, "title": f"Vérification : {place.nom}" if place else "Vérification : "}
    if place is not None:
        fields.update({"lieu": place.nom, "url": settings.page_url(place.url_path)})
    return f"{settings.repo_url}/issues/new?{urlencode(fields, quote_via=quote)}"


def report_mail(place: Place | None, settings: Settings) -> str | None:
    """A prefilled e-mail to the directory's contact: reporting an error needs no account."""
    if not settings.contact_email:
        return None
    if place is None:
        subject, body = "Erreur dans l’annuaire", "Page ou lieu concerné : \n\nQu’est-ce qui est faux ? \n"
    else:
        subject = f"Erreur sur la fiche : {place.nom}"
        body = (f"Page : {settings.page_url(place.url_path)}\n\nQu’est-ce qui est faux ? \n\n"
                "Ce qu’il faut écrire à la place : \n")
    query = urlencode({"subject": subject, "body": body}, quote_via=quote)
    return f"mailto:{settings.contact_email}?{query}"


def geo_url(place: Place) -> str | None:
    """`geo:` link: opens the phone's own map application on the place."""
    if place.latitude is None or place.longitude is None:
        return None
    return f"geo:{place.latitude},{place.longitude}"


def general_report_url(settings: Settings) -> str:
    """The same issue form, not prefilled (the data page)."""
    query = urlencode({"template": ISSUE_TEMPLATE, "title": "Erreur dans les données : "}, quote_via=quote)
    return f"{settings.repo_url}/issues/new?{query}"


def edit_url(place: Place, settings: Settings) -> str:
    return f"{settings.repo_url}/edit/{quote(settings.branch)}/{quote(place.file)}"


def suggest_url(commune: Commune | None, settings: Settings) -> str:
    """The « Proposer un lieu » form, with the commune prefilled when known."""
    fields = {"template": SUGGEST_TEMPLATE, "title": "Nouveau lieu : "}
    if commune is not None:
        fields["commune"] = commune.nom
    return f"{settings.repo_url}/issues/new?{urlencode(fields, quote_via=quote)}"


def _paragraphs(text: str | None) -> list[list[str]]:
    """Record text split in paragraphs (blank lines) of lines, to render without Markdown."""
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text.strip())
    return [[line.strip() for line in block.splitlines() if line.strip()] for block in blocks]


def by_commune(places: Iterable[Place]) -> list[tuple[Commune, list[Place]]]:
    """Places grouped by commune, communes and places in alphabetical order."""
    groups: dict[str, tuple[Commune, list[Place]]] = {}
    for place in sorted(places, key=lambda p: p.sort_key):
        groups.setdefault(place.commune_ref.code_insee, (place.commune_ref, []))[1].append(place)
    return list(groups.values())


# --- Places seen from a commune -----------------------------------------------------------------


def distance_text(km: float) -> str:
    """`à moins d’1 km`, `à 3,4 km`, `à 12 km`: precise where it matters, rounded beyond."""
    if km < 1:
        return "à moins d’1\u00a0km"
    if km < 10:
        return f"à {km:.1f}\u00a0km".replace(".", ",")
    return f"à {round(km)}\u00a0km"


@dataclass(frozen=True)
class Nearby:
    """A place as a card around a commune: what a resident needs to choose at a glance."""

    place: Place
    km: float
    distance: str
    helps_with: tuple[str, ...]
    days: str | None
    saturday: str | None


def nearby(found: Nearest, views: Views) -> Nearby:
    view = views.of(found.place)
    return Nearby(found.place, found.km, distance_text(found.km), view.helps_with, view.summary, view.saturday)


@dataclass(frozen=True)
class NeedLine:
    """For one need: the nearest place offering it, and the nearest one also open on Saturday."""

    need: Need
    nearest: Nearby | None
    saturday: Nearby | None

    @property
    def lead(self) -> str:
        """`Faire une démarche en ligne` → `Pour faire une démarche en ligne`."""
        return "Pour " + self.need.title[:1].lower() + self.need.title[1:]


def need_lines(ranked: Ranking, views: Views, needs: Sequence[Need] = NEEDS) -> list[NeedLine]:
    """Per need, the first place of `ranked` (nearest first) offering its service, and the
    first one offering it and open on Saturday. Only those become cards: a commune page of a
    large directory must not describe every place to show seven."""
    lines = []
    saturdays = views.open_on_saturday(ranked.all_places)
    for need in needs:
        offering = ranked.offering(need.service)
        nearest = offering[0] if offering else None
        open_saturday = offering.among(saturdays)
        saturday = open_saturday[0] if open_saturday else None
        lines.append(NeedLine(
            need,
            nearby(nearest, views) if nearest else None,
            nearby(saturday, views) if saturday else None,
        ))
    return lines


def place_age(view: PlaceView, today: date) -> str | None:
    """How old a place's information is (« il y a 1 an et 3 mois »), when a year old or more
    (its page then says to call before coming); else None."""
    if view.freshness is None or not is_old(view.freshness.reference, today):
        return None
    return french_age(view.freshness.reference, today)


def place_context(
    place: Place, view: PlaceView, settings: Settings, types: tuple[str, ...], downloads: tuple[Download, ...],
    sessions: tuple[Session, ...], old_age: str | None,
) -> dict[str, Any]:
    """What a place's page shows, from nothing but its arguments (`render_page_of`). Nothing of
    the day but `old_age` (`place_age`): `settings` is `Settings.without_day()`."""
    return {
        "p": place,
        "v": view,
        "types": list(types),
        "old": old_age is not None,
        "age": old_age or "",
        "publics": list(place.publics_specifiquement_adresses),
        "accompagnement": [MODALITES_ACCOMPAGNEMENT_PLAIN.get(m, m) for m in place.modalites_accompagnement],
        "acces": [MODALITES_ACCES_PLAIN.get(m, m) for m in place.modalites_acces],
        "hours_note": hours.EXCEPTIONS_NOTE if view.rows and view.has_exceptions else "",
        "unknown_hours": hours.UNKNOWN_HOURS,
        "map_url": osm_url(place),
        "directions_url": directions_url(place),
        "geo_url": geo_url(place),
        "report_mail": report_mail(place, settings),
        "contact_email": settings.contact_email,
        "first_email": next((e for e in place.courriels), None),
        "first_site": next((w for w in place.site_web if https_href(w)), None),
        "acceslibre_href": https_href(place.fiche_acces_libre),
        "labels": [
            *place.dispositif_programmes_nationaux,
            *place.formations_labels,
            *([place.autres_formations_labels] if place.autres_formations_labels else []),
        ],
        "presentation": _paragraphs(place.presentation_detail),
        "source": source_text(place.source),
        "report_url": report_url(place, settings),
        "verify_url": verify_url(place, settings),
        "contradictions": contradictions(place),
        "edit_url": edit_url(place, settings),
        "sessions": list(sessions),
        "downloads": list(downloads),
    }


# --- Pages ------------------------------------------------------------------------------------


class DirectoryPages:
    """Renders the directory's pages from prepared data."""

    def __init__(
        self, env: jinja2.Environment, directory: Directory, views: Views, settings: Settings,
        printed: Printed, sessions: Sessions, cover: CoveragePages | None = None,
    ) -> None:
        self.cover = cover  # coverage sentences and maps on commune and EPCI pages
        self.env = env
        self.directory = directory
        self.views = views
        self.settings = settings
        # For the place pages: one night's build finds the last one's (`place_context`).
        self._without_day = settings.without_day()
        self.printed = printed
        self.sessions = sessions

    def place(self, place: Place) -> Page:
        typologies = self.directory.reference.typologies if self.directory.reference else {}
        view = self.views.of(place)
        return render_page_of(
            self.env, urls.leaf_source(place.url_path), "place.html", place.nom, place_context, (
                place, view, self._without_day, tuple(typologies.get(code, code) for code in place.typologie),
                tuple(self.printed.downloads.get(place.url_path, ())), tuple(self.sessions.at_place(place)),
                place_age(view, self.settings.today),
            ),
            updated=place.date_maj,
        )

    def closed_place(self, place: Place) -> Page:
        view = self.views.of(place)
        closed_on = french_date(place.date_fermeture) if place.date_fermeture else None
        return render_page(
            self.env, urls.leaf_source(place.url_path), "closed_place.html", f"{place.nom} (fermé)",
            updated=place.date_maj,
            p=place, closed_on=closed_on, nearest=list(view.alternatives),
        )

    def commune(self, commune: Commune) -> Page:
        """The commune's places, then the nearest ones around it and, per need, the nearest
        place (and the nearest open on Saturday): the answer without JavaScript."""
        territory = self.directory.territory
        ranked = self.directory.ranked_from(commune)
        own = self.directory.in_commune(commune)
        code = commune.code_insee
        path = urls.commune_path(commune.slug)
        return render_page(
            self.env, urls.leaf_source(path), "commune.html", commune.nom,
            cover=self.cover.commune_part(commune, urls.relative_base(path)) if self.cover else None,
            commune=commune,
            epci=territory.epci_of(commune),
            places=own,
            own_cards=[nearby(n, self.views) for n in ranked.of_commune(code)],
            around=[nearby(n, self.views) for n in ranked.of_commune(code, inside=False)[:NEARBY_COUNT]],
            needs=need_lines(ranked, self.views) if ranked else [],
            suggest_url=suggest_url(commune, self.settings),
            sessions=self.sessions.in_commune(commune),
            batch=self._batch(urls.commune_batch(commune.slug)),
            inserts=self.printed.inserts.get(commune.slug, []),
        )

    def epci(self, epci: Epci) -> Page:
        places = self.directory.in_epci(epci)
        communes = self.directory.territory.communes_of(epci)
        counts = [(c, len(self.directory.in_commune(c))) for c in communes]
        path = urls.epci_path(epci.slug)
        return render_page(
            self.env, urls.leaf_source(path), "epci.html", epci.nom_long,
            cover=self.cover.epci_part(epci, urls.relative_base(path)) if self.cover else None,
            epci=epci,
            places=places,
            listed=not too_long_to_list(places),
            communes=communes,
            counts=counts,
            white=[c for c, n in counts if n == 0],
            by_commune=by_commune(places),
            sessions=self.sessions.in_epci(epci),
            batch=self._batch(urls.epci_batch(epci.slug)),
            guide=self.printed.booklets.get(epci.slug),
        )

    def _batch(self, href: str) -> Batch | None:
        """The flyers to print of a commune or an EPCI, if it has places."""
        return self._batches.get(href)

    @cached_property
    def _batches(self) -> dict[str, Batch]:
        """Every batch by its address, found once: each commune and EPCI page asks for its own
        (35,000 communes in France: a search through all for each page would be quadratic)."""
        return {batch.href: batch for group in self.printed.groups
                for batch in [group.batch, *group.communes] if batch is not None}

    def service(self, service_label: str) -> Page:
        service = SERVICE_BY_LABEL[service_label]
        places = self.directory.with_service(service_label)
        in_epci = by_epci(places)
        groups = [(epci, by_commune(in_epci.get(epci.code, ()))) for epci in self.directory.territory.epcis]
        return render_page(
            self.env, urls.leaf_source(urls.service_path(service.slug)), "service.html", service.plain,
            service=service, places=places, groups=groups, listed=not too_long_to_list(places),
        )

    def places_index(self) -> Page:
        places = list(self.directory.places)
        return render_page(
            self.env, PLACES_INDEX, "places_index.html", "Tous les lieux", in_nav=True, searchable=False,
            places=places, by_commune=by_commune(places), listed=not too_long_to_list(places),
        )

    def territories_index(self) -> Page:
        territory = self.directory.territory
        epcis = [
            (e, len(self.directory.in_epci(e)), len(territory.communes_of(e))) for e in territory.epcis
        ]
        per_commune: dict[str, int] = {}
        for place in self.directory.places:
            per_commune[place.commune_ref.code_insee] = per_commune.get(place.commune_ref.code_insee, 0) + 1
        communes = [(c, per_commune.get(c.code_insee, 0)) for c in territory.communes]
        # Grouped by first letter, with jump links: 265 names are quick to reach on a phone.
        by_letter: dict[str, list[tuple[Commune, int]]] = {}
        for commune, n in communes:
            by_letter.setdefault(search_key(commune.nom)[:1].upper(), []).append((commune, n))
        return render_page(
            self.env, TERRITORIES_INDEX, "territories_index.html", "Par territoire", in_nav=True,
            epcis=epcis, communes=communes, by_letter=list(by_letter.items()),
        )

    def services_index(self) -> Page:
        services = [(s, len(self.directory.with_service(s.label))) for s in SERVICES]
        return render_page(
            self.env, SERVICES_INDEX, "services_index.html", "Par besoin", in_nav=True, services=services,
        )

    def home(self) -> Page:
        years = sorted({p.date_maj.year for p in self.directory.places})
        return render_page(
            self.env, HOME, "home.html", "Accueil", in_nav=True,
            n_places=len(self.directory.places),
            needs=[
                (need, SERVICE_BY_LABEL[need.service], len(self.directory.with_service(need.service)))
                for need in NEEDS
            ],
            epcis=[(e, len(self.directory.in_epci(e))) for e in self.directory.territory.epcis],
            oldest=str(years[0]) if years else "",
            newest=str(years[-1]) if years else "",
            suggest_url=suggest_url(None, self.settings),
            contact_email=self.settings.contact_email,
        )

    def not_found(self) -> str:
        """The body of `404.html`: served at any depth, so its links start at the site's root path."""
        base = urlsplit(self.settings.public_url).path or "/"
        index: dict[str, dict[str, object]] = {}
        listed = not too_long_to_list(self.directory.places)  # else the page links the commune's page only
        for commune, places in by_commune(self.directory.places):
            index[commune.slug] = {"nom": commune.nom, "lieux": [[p.nom, p.url_path] for p in places] if listed else []}
        body = self.env.get_template("not_found.html").render(
            base=base,
            communes=self.directory.territory.communes,
            places_json=script_json(index),
        )
        return compact(body)

    def all(self, each: Each = map) -> Iterator[Page]:
        """Every page but the closed places' (the build places those after the print pages),
        one at a time: the build keeps each in its cache before the next is rendered.
        `each(make, items)`: how the many pages of one kind are made (the build: on every core)."""
        yield from (self.home(), self.places_index(), self.territories_index(), self.services_index())
        yield from each(self.place, self.directory.places)
        yield from each(self.commune, self.directory.territory.communes)
        yield from (self.epci(e) for e in self.directory.territory.epcis)
        yield from (self.service(s.label) for s in SERVICES)
