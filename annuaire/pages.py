"""Generated pages of the site: src_uri → Markdown text, rendered from Jinja2 templates.

No MkDocs here (the hook adapts it). Each page is front matter plus ONE raw HTML block, so
that record text is never read as Markdown or HTML: Jinja2 escapes every value, links are
emitted only for `https:`, `tel:` and `mailto:` values, and site links are built from slugs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
import yaml

from . import hours
from .contact import email_problem, phone_display, phone_href
from .geo import km_between
from .model import Directory, Place
from .settings import Settings
from .territory import Commune, Epci
from .text import french_date, search_key
from .vocabulary import (
    MODALITES_ACCES_PLAIN,
    MODALITES_ACCOMPAGNEMENT_PLAIN,
    NEEDS,
    SERVICE_BY_LABEL,
    SERVICE_SHORT,
    SERVICES,
    Need,
    typologies,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
ISSUE_TEMPLATE = "signaler-une-erreur.yml"  # fields `lieu` and `url` are prefilled
SUGGEST_TEMPLATE = "proposer-un-lieu.yml"  # field `commune` is prefilled

# Listing pages that appear in the navigation; every other generated page stays out of it.
HOME = "index.md"
PLACES_INDEX = "lieux/index.md"
TERRITORIES_INDEX = "territoires/index.md"
SERVICES_INDEX = "services/index.md"
LISTING_PAGES = (HOME, PLACES_INDEX, TERRITORIES_INDEX, SERVICES_INDEX)

# Source codes found in imported data, in words a resident understands.
SOURCE_NAMES = {
    "conseiller-numerique": "Conseillers numériques (ANCT)",
    "conseillers-numeriques": "Conseillers numériques (ANCT)",
    "cnfs": "Conseillers numériques (ANCT)",
    "france-services": "France services (ANCT)",
    "data-inclusion": "data·inclusion",
    "dora": "DORA",
    "hinaura": "Hub numérique Hinaura",
    "mednum": "La MedNum",
}

_SAFE_URL = re.compile(r"^[^\s<>\"'`\\\x00-\x1f\x7f]+$")


# --- Small helpers used by the templates ----------------------------------------------------

def https_href(value: str | None) -> str | None:
    """The value itself if it is a plain `https://` address, else None (shown as text only)."""
    if not value:
        return None
    value = value.strip()
    if value.lower().startswith("https://") and len(value) > len("https://") and _SAFE_URL.match(value):
        return value
    return None


def mailto_href(email: str | None) -> str | None:
    """`mailto:` link for a plausible address, else None."""
    if not email or email_problem(email.strip()) is not None:
        return None
    return "mailto:" + email.strip()


def safe_title(text: str) -> str:
    """A page title MkDocs and Material can print unescaped: no `<`, `>` or straight quotes."""
    cleaned = text.replace("<", "‹").replace(">", "›").replace('"', "”").replace("'", "’")
    return " ".join(cleaned.split())


def source_text(source: str | None) -> str:
    """`conseiller-numerique` → `Conseillers numériques (ANCT)`; readable sources are kept."""
    if not source:
        return "non précisée"
    known = SOURCE_NAMES.get(source.strip().lower())
    if known:
        return known
    if re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", source.strip()):
        words = re.sub(r"[-_]+", " ", source.strip())
        return words[:1].upper() + words[1:]
    return source.strip()


def is_old(updated: date, today: date) -> bool:
    """True when `updated` is more than 12 months before `today`."""
    try:
        year_before = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_before = today.replace(year=today.year - 1, day=28)
    return updated < year_before


def relative_base(page_path: str) -> str:
    """`lieux/poitiers/mds/` → `../../../`: prefix from a page URL back to the site root."""
    depth = len([part for part in page_path.strip("/").split("/") if part])
    return "../" * depth


def page_path(src_uri: str) -> str:
    """URL path of a page with directory URLs: `lieux/x/y.md` → `lieux/x/y/`, `a/index.md` → `a/`."""
    stem = src_uri[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def place_src_uri(place: Place) -> str:
    return place.url_path.rstrip("/") + ".md"


def commune_src_uri(commune: Commune) -> str:
    return f"communes/{commune.slug}.md"


def epci_src_uri(epci: Epci) -> str:
    return f"territoires/{epci.slug}.md"


def service_src_uri(slug: str) -> str:
    return f"services/{slug}.md"


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


def edit_url(place: Place, settings: Settings) -> str:
    return f"{settings.repo_url}/edit/{quote(settings.branch)}/{quote(place.file)}"


def suggest_url(commune: Commune, settings: Settings) -> str:
    query = urlencode(
        {"template": SUGGEST_TEMPLATE, "title": "Nouveau lieu : ", "commune": commune.nom}, quote_via=quote
    )
    return f"{settings.repo_url}/issues/new?{query}"


def _paragraphs(text: str | None) -> list[list[str]]:
    """Record text split in paragraphs (blank lines) of lines, to render without Markdown."""
    if not text:
        return []
    blocks = re.split(r"\n\s*\n", text.strip())
    return [[line.strip() for line in block.splitlines() if line.strip()] for block in blocks]


def _by_commune(places: Iterable[Place]) -> list[tuple[Commune, list[Place]]]:
    groups: dict[str, tuple[Commune, list[Place]]] = {}
    for place in sorted(places, key=lambda p: p.sort_key):
        groups.setdefault(place.commune_ref.code_insee, (place.commune_ref, []))[1].append(place)
    return list(groups.values())


# --- Nearest places from a commune (issue "Find the right place fast", no JavaScript) ------

NEARBY_COUNT = 8  # places listed around a commune: enough to choose, short enough for a phone
SATURDAY = 5
NOON = 12 * 60
ONE_PM = 13 * 60


def place_position(place: Place, directory: Directory) -> tuple[float, float] | None:
    """The place's own coordinates, else its commune's town hall (close enough to rank places
    by distance; a record without coordinates still shows up near its commune)."""
    if place.latitude is not None and place.longitude is not None:
        return place.latitude, place.longitude
    return directory.territory.position(place.commune_ref.code_insee)


def nearest_places(directory: Directory, commune: Commune, k: int) -> list[tuple[Place, float]]:
    """The `k` open places nearest to the commune's town hall, nearest first, with the
    straight-line distance in km (places of the commune itself included)."""
    origin = directory.territory.position(commune.code_insee)
    if origin is None:
        return []
    ranked = []
    for place in directory.places:
        position = place_position(place, directory)
        if position is not None:
            ranked.append((place, km_between(origin, position)))
    ranked.sort(key=lambda pair: (pair[1], pair[0].sort_key))
    return ranked[: max(k, 0)]


def saturday_text(place: Place) -> str | None:
    """`Ouvert le samedi matin` / `après-midi` / `Ouvert le samedi`, None when closed on
    Saturdays or hours unknown: the day working people ask for, said in words."""
    week = hours.weekly(place.horaires) if place.horaires else None
    if week is None or not week.days[SATURDAY]:
        return None
    intervals = week.days[SATURDAY]
    if all(i.end <= ONE_PM for i in intervals):
        return "Ouvert le samedi matin"
    if all(i.start >= NOON for i in intervals):
        return "Ouvert le samedi après-midi"
    return "Ouvert le samedi"


def opens_on_saturday(place: Place) -> bool:
    return saturday_text(place) is not None


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


def nearby(place: Place, km: float) -> Nearby:
    order = [s.label for s in SERVICES]
    labels = sorted(place.services, key=lambda s: order.index(s) if s in order else len(order))
    return Nearby(
        place=place,
        km=km,
        distance=distance_text(km),
        helps_with=tuple(SERVICE_SHORT.get(s, s) for s in labels),
        days=hours.summary(place.horaires),
        saturday=saturday_text(place),
    )


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


def need_lines(ranked: Sequence[tuple[Place, float]], needs: Sequence[Need] = NEEDS) -> list[NeedLine]:
    """Per need, the first place of `ranked` (nearest first) offering its service, and the
    first one offering it and open on Saturday."""
    lines = []
    for need in needs:
        offering = [(p, km) for p, km in ranked if need.service in p.services]
        nearest = offering[0] if offering else None
        saturday = next(((p, km) for p, km in offering if opens_on_saturday(p)), None)
        lines.append(
            NeedLine(
                need,
                nearby(*nearest) if nearest else None,
                nearby(*saturday) if saturday else None,
            )
        )
    return lines


# --- Rendering -----------------------------------------------------------------------------

def _environment(template_globals: Mapping[str, Callable[..., Any]] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        phone_display=phone_display,
        phone_href=phone_href,
        mailto=mailto_href,
        https_href=https_href,
        french_date=french_date,
        hours_summary=hours.summary,
        intervals_for_browser=hours.intervals_for_browser,
    )
    env.globals.update(template_globals or {})
    return env


class PageRenderer:
    """Renders every generated page of one directory with one set of settings."""

    def __init__(
        self,
        directory: Directory,
        settings: Settings,
        template_globals: Mapping[str, Callable[..., Any]] | None = None,
    ) -> None:
        self.directory = directory
        self.settings = settings
        self.env = _environment(template_globals)

    def _page(self, src_uri: str, template: str, title: str, **context: Any) -> str:
        # Every page also gets the directory and settings, for the optional `slots/*.html`
        # sections that other features (flyers, workshops, live status) plug into pages.
        body = self.env.get_template(template).render(
            base=relative_base(page_path(src_uri)),
            directory=self.directory,
            settings=self.settings,
            **context,
        )
        # No blank line may split the HTML block, or Markdown would start parsing after it.
        html = "\n".join(line.strip() for line in body.splitlines() if line.strip())
        front = yaml.safe_dump({"title": safe_title(title), "hide": ["toc"]}, allow_unicode=True, sort_keys=False)
        return f"---\n{front}---\n\n{html}\n"

    def place(self, place: Place) -> str:
        types_by_code = typologies()
        rows = hours.weekly_rows(place.horaires) if place.horaires else []
        week = hours.weekly(place.horaires) if place.horaires else None
        return self._page(
            place_src_uri(place),
            "place.html",
            place.nom,
            p=place,
            types=[types_by_code.get(code, code) for code in place.typologie],
            old=is_old(place.date_maj, self.settings.today),
            services=[
                (SERVICE_BY_LABEL[s].plain, SERVICE_BY_LABEL[s].slug) if s in SERVICE_BY_LABEL else (s, None)
                for s in place.services
            ],
            publics=list(place.publics_specifiquement_adresses),
            accompagnement=[MODALITES_ACCOMPAGNEMENT_PLAIN.get(m, m) for m in place.modalites_accompagnement],
            acces=[MODALITES_ACCES_PLAIN.get(m, m) for m in place.modalites_acces],
            hours_rows=rows,
            hours_note=hours.EXCEPTIONS_NOTE if rows and week is not None and week.has_exceptions else "",
            unknown_hours=hours.UNKNOWN_HOURS,
            tel_href=phone_href(place.telephone) if place.telephone else None,
            map_url=osm_url(place),
            directions_url=directions_url(place),
            acceslibre_href=https_href(place.fiche_acces_libre),
            labels=[
                *place.dispositif_programmes_nationaux,
                *place.formations_labels,
                *([place.autres_formations_labels] if place.autres_formations_labels else []),
            ],
            presentation=_paragraphs(place.presentation_detail),
            source=source_text(place.source),
            report_url=report_url(place, self.settings),
            edit_url=edit_url(place, self.settings),
        )

    def commune(self, commune: Commune) -> str:
        """The commune's places, then the nearest ones around it and, per need, the nearest
        place (and the nearest open on Saturday): the answer without JavaScript."""
        epci = self.directory.territory.epci_of(commune)
        ranked = nearest_places(self.directory, commune, len(self.directory.places))
        own = self.directory.in_commune(commune)
        return self._page(
            commune_src_uri(commune),
            "commune.html",
            commune.nom,
            commune=commune,
            epci=epci,
            places=own,
            own_cards=[nearby(p, km) for p, km in ranked if p.commune_ref.code_insee == commune.code_insee],
            around=[
                nearby(p, km) for p, km in ranked if p.commune_ref.code_insee != commune.code_insee
            ][:NEARBY_COUNT],
            needs=need_lines(ranked) if ranked else [],
            suggest_url=suggest_url(commune, self.settings),
        )

    def epci(self, epci: Epci) -> str:
        places = self.directory.in_epci(epci)
        communes = self.directory.territory.communes_of(epci)
        counts = [(c, len(self.directory.in_commune(c))) for c in communes]
        return self._page(
            epci_src_uri(epci),
            "epci.html",
            epci.nom_long,
            epci=epci,
            places=places,
            communes=communes,
            counts=counts,
            white=[c for c, n in counts if n == 0],
            by_commune=_by_commune(places),
        )

    def service(self, service_label: str) -> str:
        service = SERVICE_BY_LABEL[service_label]
        places = self.directory.with_service(service_label)
        groups = [
            (epci, _by_commune(p for p in places if p.epci_ref and p.epci_ref.code == epci.code))
            for epci in self.directory.territory.epcis
        ]
        return self._page(
            service_src_uri(service.slug), "service.html", service.plain,
            service=service, places=places, groups=groups,
        )

    def places_index(self) -> str:
        places = list(self.directory.places)
        return self._page(
            PLACES_INDEX, "places_index.html", "Tous les lieux",
            places=places, by_commune=_by_commune(places),
        )

    def territories_index(self) -> str:
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
        return self._page(
            TERRITORIES_INDEX, "territories_index.html", "Par territoire", epcis=epcis, communes=communes,
            by_letter=list(by_letter.items()),
        )

    def services_index(self) -> str:
        services = [(s, len(self.directory.with_service(s.label))) for s in SERVICES]
        return self._page(SERVICES_INDEX, "services_index.html", "Par besoin", services=services)

    def home(self) -> str:
        years = sorted({p.date_maj.year for p in self.directory.places})
        return self._page(
            HOME,
            "home.html",
            "Accueil",
            n_places=len(self.directory.places),
            needs=[
                (need, SERVICE_BY_LABEL[need.service], len(self.directory.with_service(need.service)))
                for need in NEEDS
            ],
            epcis=[(e, len(self.directory.in_epci(e))) for e in self.directory.territory.epcis],
            oldest=str(years[0]) if years else "",
            newest=str(years[-1]) if years else "",
        )

    def all_pages(self) -> dict[str, str]:
        pages: dict[str, str] = {
            HOME: self.home(),
            PLACES_INDEX: self.places_index(),
            TERRITORIES_INDEX: self.territories_index(),
            SERVICES_INDEX: self.services_index(),
        }
        for place in self.directory.places:
            pages[place_src_uri(place)] = self.place(place)
        for commune in self.directory.territory.communes:
            pages[commune_src_uri(commune)] = self.commune(commune)
        for epci in self.directory.territory.epcis:
            pages[epci_src_uri(epci)] = self.epci(epci)
        for service in SERVICES:
            pages[service_src_uri(service.slug)] = self.service(service.label)
        return pages


def generate_pages(
    directory: Directory,
    settings: Settings,
    template_globals: Mapping[str, Callable[..., Any]] | None = None,
) -> dict[str, str]:
    """Every generated page: src_uri (relative to docs/) → Markdown text with front matter.

    `template_globals` are the functions other features lend to the page slots."""
    return PageRenderer(directory, settings, template_globals).all_pages()
