"""Lists of places for partners' websites (`integrer/`): a town hall or a library shows them in
an `<iframe>`, or reads the same list as JSON and renders it itself.

One list for the département, each EPCI, each commune (its places, else the nearest ones) and
each service. An embed page is a whole HTML document of its own (no theme, no menu, nothing
loaded from elsewhere), readable from 320 px, with links that open in the partner's window.
`integrer/` itself is a page of the site: choose a list, see it, copy its snippet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any
from urllib.parse import urlsplit

import jinja2

from .. import urls
from ..data.contact import phone_display, phone_href
from ..data.territory import Commune
from ..data.vocabulary import SERVICES
from ..model.directory import Directory
from ..model.places import Place
from ..printing.cache import StoredFile
from ..settings import Settings
from ..text import french_at, french_date, french_km, french_of
from ..views import PlaceView, Views, publisher_name
from .templating import Page, compact, render_file_of, render_page, too_long_to_list

ROOT = "integrer/"
PAGE = f"{ROOT}index.md"
ASSETS = "assets/annuaire/"
AROUND = 5  # a commune without a place lists the nearest ones
# `each(make, lists)`: `make` applied to every list, in order (the build: `Site.files_made_each`).
EachList = Callable[..., Iterable[Sequence[tuple[str, Any]]]]
FINDER = "trouver/"  # where a list too long to show sends the reader (it finds their commune)
SNIPPET_HEIGHT = 600  # px, before the list says its own height (JavaScript), or without it


@dataclass(frozen=True)
class EmbedList:
    """One list a partner can embed."""

    path: str  # `integrer/communes/adriers/`
    title: str  # « Lieux numériques à Adriers »
    places: tuple[Place, ...]
    distances: tuple[str, ...] = ()  # « à 9,9 km », for a commune's nearest places

    @property
    def json_path(self) -> str:
        return self.path.rstrip("/") + ".json"


def lists(directory: Directory) -> list[EmbedList]:
    """Every list: the département, each EPCI, each commune, each service that has places."""
    named = directory.territory.named
    found = [EmbedList(f"{ROOT}departement/", f"Lieux numériques {named.de}", tuple(directory.places))]
    for epci in directory.territory.epcis:
        found.append(EmbedList(f"{ROOT}intercommunalites/{epci.slug}/", f"Lieux numériques : {epci.nom_long}",
                               tuple(directory.in_epci(epci))))
    for commune in directory.territory.communes:
        found.append(_commune_list(commune, directory))
    for service in SERVICES:
        places = tuple(directory.with_service(service.label))
        if places:
            found.append(EmbedList(f"{ROOT}besoins/{service.slug}/", service.plain, places))
    return found


def _commune_list(commune: Commune, directory: Directory) -> EmbedList:
    own = tuple(directory.in_commune(commune))
    path = f"{ROOT}communes/{commune.slug}/"
    if own:
        return EmbedList(path, f"Lieux numériques {french_at(commune.nom)}", own)
    around = directory.ranked_from(commune)[:AROUND]
    return EmbedList(path, f"Les lieux numériques les plus proches {french_of(commune.nom)}",
                     tuple(n.place for n in around), tuple(french_km(n.km) for n in around))


def _entries(embed: EmbedList, views: tuple[PlaceView, ...], settings: Settings) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for index, (place, view) in enumerate(zip(embed.places, views)):
        address = f"{place.adresse}, {place.code_postal} {place.commune_ref.nom}"
        if embed.distances:
            address += f" (à {embed.distances[index]})"
        entries.append({
            "nom": place.nom,
            "url": settings.page_url(place.url_path),
            "address": address,
            "phone": phone_display(place.telephone) if place.telephone else None,
            "tel": phone_href(place.telephone) if place.telephone else None,
            "days": view.summary,
            "appointment": view.appointment,
            "status": view.status_data,
        })
    return entries


def _list_page(
    env: jinja2.Environment, embed: EmbedList, views: tuple[PlaceView, ...], settings: Settings,
    publisher: str, newest: date,
) -> str:
    """A list as a whole HTML document, for a partner's frame."""
    entries = _entries(embed, views, settings)
    return compact(env.get_template("embed/list.html").render(
        title=embed.title, places=entries, publisher=publisher, home=settings.public_url,
        listed=not too_long_to_list(entries),  # the JSON lists them all
        finder=settings.page_url(FINDER),
        updated=french_date(newest), base=urls.relative_base(embed.path),
        assets=urls.relative_base(embed.path) + ASSETS,
    ))


def _list_json(
    env: jinja2.Environment, embed: EmbedList, views: tuple[PlaceView, ...], settings: Settings,
    publisher: str, newest: date,
) -> str:
    """The same list for programs: no indentation."""
    entries = _entries(embed, views, settings)
    return json.dumps({
        "titre": embed.title,
        "source": publisher,
        "adresse_source": settings.public_url,
        "licence": "Licence Ouverte 2.0",
        "date_des_donnees": newest.isoformat(),
        "lieux": [
            {"nom": e["nom"], "page": e["url"], "adresse": e["address"], "telephone": e["phone"],
             "jours": e["days"], "rendez_vous": e["appointment"],
             "horaires_osm": place.horaires}
            for e, place in zip(entries, embed.places)
        ],
    }, ensure_ascii=False, separators=(",", ":")) + "\n"


def files(
    env: jinja2.Environment, directory: Directory, views: Views, settings: Settings, each: EachList = map,
) -> Iterator[tuple[str, bytes | StoredFile]]:
    """Each list as an HTML page (`…/index.html`) and as JSON (`….json`), by path, one list at a
    time (a commune's list holds every place around it: together, they grow with the square
    of a large directory); a list whose places and views did not change is given back as an
    earlier build made it. `each(make, lists)`: how the lists are made (the build: on every core)."""
    publisher = publisher_name(directory.territory.named)
    newest = directory.newest_update or settings.today
    without_day = settings.without_day()  # a list shows nothing of the day: the same list the next night

    def both(embed: EmbedList) -> list[tuple[str, bytes | StoredFile]]:
        made_from = (embed, tuple(views.of(place) for place in embed.places), without_day, publisher, newest)
        return [(embed.path + "index.html", render_file_of(env, "embed/list.html", _list_page, made_from)),
                (embed.json_path, render_file_of(env, "embed/list.json", _list_json, made_from))]

    for pair in each(both, lists(directory)):
        yield from pair


def snippet(embed: EmbedList, settings: Settings) -> str:
    """The HTML a webmaster pastes: the frame, a link inside it for whoever cannot show frames,
    and a few lines that give the frame the list's own height."""
    source = settings.page_url(embed.path)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(settings.public_url))
    title = escape(embed.title)
    return (
        f'<iframe src="{source}" title="{title}" loading="lazy" '
        f'style="width:100%;height:{SNIPPET_HEIGHT}px;border:0">'
        f'<a href="{source}">{title}</a></iframe>\n'
        "<script>addEventListener(\"message\",function(e){"
        f"if(e.origin!==\"{origin}\"||!e.data||!e.data.annuaireHauteur)return;"
        "document.querySelectorAll(\"iframe\").forEach(function(f){"
        "if(f.contentWindow===e.source)f.style.height=e.data.annuaireHauteur+\"px\";});});</script>"
    )


def page(env: jinja2.Environment, directory: Directory, settings: Settings) -> Page:
    """`integrer/`: choose a list, see it, copy its snippet (all without JavaScript)."""
    found = lists(directory)
    by_path = {e.path: e for e in found}
    territory = directory.territory
    groups = []
    for epci in territory.epcis:
        communes = [by_path[f"{ROOT}communes/{c.slug}/"] for c in territory.communes_of(epci)]
        groups.append((by_path[f"{ROOT}intercommunalites/{epci.slug}/"], communes))
    needs = [e for e in found if e.path.startswith(f"{ROOT}besoins/")]
    everything = found[0]
    return render_page(
        env, PAGE, "embed_page.html", "Intégrer l’annuaire à votre site", in_nav=True,
        everything=everything, groups=groups, needs=needs,
        snippet=lambda embed: snippet(embed, settings),
    )


def pages(env: jinja2.Environment, directory: Directory, settings: Settings) -> list[Page]:
    return [page(env, directory, settings)]
