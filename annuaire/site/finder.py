"""The « Trouver un lieu » page and the map page, with the scripts and libraries they load.

Why this shape: the page is server-rendered (every place, with links) so it works without
JavaScript; the scripts only filter, sort and show a live "open now" status. The scripts read
data computed here at build time (weekly intervals from opening-hours-py, search keys), so
no opening-hours parser and no geocoding service ever runs in the browser. Leaflet and its
cluster plugin are copied from their PyPI packages: the site never calls a CDN.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..data.vocabulary import MODALITES_ACCOMPAGNEMENT, MODALITES_ACCOMPAGNEMENT_PLAIN, PUBLICS, SERVICES
from ..exports.geodata import GEOJSON, communes_data
from ..fingerprint import versioned
from ..model.directory import Directory
from ..text import slugify
from ..urls import page_path, relative_base
from ..views import PlaceView, Views
from .templating import Page, render_page, script_json, too_long_to_list

FINDER_PAGE = "trouver/index.md"
MAP_PAGE = "carte/index.md"
ASSETS = "assets/annuaire/"
STATIC = Path(__file__).resolve().parent / "static"

WALK_IN = "Se présenter"
APPOINTMENT = ("Téléphoner", "Prendre un RDV en ligne", "Contacter par mail")
FREE = "Gratuit"


@dataclass(frozen=True)
class Choice:
    """One option of a filter: the value in the URL and what the reader sees."""

    value: str
    label: str


SERVICE_CHOICES = tuple(Choice(s.slug, s.plain) for s in SERVICES)
PUBLIC_CHOICES = tuple(Choice(slugify(p), p) for p in PUBLICS)
HELP_CHOICES = tuple(Choice(slugify(m), MODALITES_ACCOMPAGNEMENT_PLAIN.get(m, m)) for m in MODALITES_ACCOMPAGNEMENT)


def place_facts(view: PlaceView) -> dict[str, Any]:
    """What the finder's script filters on, for one place (also shown as text on the card)."""
    place = view.place
    by_label = {s.label: s.slug for s in SERVICES}
    return {
        "services": [by_label[s] for s in place.services if s in by_label],
        "publics": [slugify(p) for p in place.publics_specifiquement_adresses],
        "aide": [slugify(m) for m in place.modalites_accompagnement],
        "gratuit": FREE in place.frais_a_charge,
        "sans_rdv": WALK_IN in place.modalites_acces,
        "sur_rdv": any(m in place.modalites_acces for m in APPOINTMENT) or bool(place.prise_rdv),
        "samedi": view.saturday is not None,
        "horaires": view.status_data or [],
    }


class MissingLibrary(RuntimeError):
    """A JavaScript library the site copies is not installed; the message says what to run."""


def fuse_folder(repository: Path) -> Path:
    """Where npm installs fuse.js (`package-lock.json`), which the site copies: what the kept
    build's key and the version of the site's files read of it."""
    return repository / "node_modules" / "fuse.js"


def vendor_files(repository: Path) -> dict[str, bytes]:
    """Leaflet and markercluster from their PyPI packages, fuse.js (the forgiving commune search)
    from npm (`package-lock.json`): copied into the site, never loaded from a CDN."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    fuse = fuse_folder(repository)
    if not (fuse / "dist" / "fuse.basic.min.mjs").is_file():
        raise MissingLibrary(
            f"La bibliothèque fuse.js est absente de {fuse.parent} : lancez ./scripts/bootstrap "
            "(ou « npm ci » dans le dossier du projet)."
        )
    files: dict[str, bytes] = {
        f"{ASSETS}fuse/fuse.basic.min.mjs": (fuse / "dist" / "fuse.basic.min.mjs").read_bytes(),
        f"{ASSETS}fuse/LICENSE": (fuse / "LICENSE").read_bytes(),
    }
    leaflet_dir = Path(leaflet.BASE_DIR)
    for name in ("leaflet.js", "leaflet.css"):
        files[f"{ASSETS}leaflet/{name}"] = (leaflet_dir / name).read_bytes()
    for image in sorted((leaflet_dir / "images").glob("*.png")):
        files[f"{ASSETS}leaflet/images/{image.name}"] = image.read_bytes()
    cluster_dir = Path(cluster.BASE_DIR)
    for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"):
        files[f"{ASSETS}markercluster/{name}"] = (cluster_dir / name).read_bytes()
    return files


SERVICE_WORKER = "sw.js"  # at the site's root: its scope is the whole site
OFFLINE_PAGE = "hors-ligne/index.md"


def static_files() -> dict[str, bytes]:
    """The site's own scripts (`site/static/`); the service worker at the root."""
    files = {f"{ASSETS}{f.name}": f.read_bytes() for f in sorted(STATIC.glob("*")) if f.is_file() and f.name != SERVICE_WORKER}
    files[SERVICE_WORKER] = (STATIC / SERVICE_WORKER).read_bytes()
    return files


def offline_page(env: jinja2.Environment) -> Page:
    """What the service worker shows for a page it does not keep (not in the menu)."""
    return render_page(env, OFFLINE_PAGE, "offline.html", "Hors connexion", searchable=False)


def pages(env: jinja2.Environment, directory: Directory, views: Views, geojson_version: str = "") -> list[Page]:
    """The finder page and the map page. `geojson_version`: the map's data asked for with it
    (`?v=`, from its bytes): a phone that kept yesterday's markers asks for today's."""
    # Too many to list (`too_long_to_list`): the page finds the reader's commune and opens its
    # page, which shows the nearest place for each need, then the nearest places.
    by_commune = too_long_to_list(directory.places)
    places = []
    for place in [] if by_commune else directory.places:
        view = views.of(place)
        facts = place_facts(view)
        places.append((place, facts, script_json(facts), view.summary))
    finder = render_page(
        env, FINDER_PAGE, "finder.html", "Trouver un lieu", in_nav=True, searchable=False,
        places=places,
        by_commune=by_commune,
        n_places=len(directory.places),
        services=SERVICE_CHOICES,
        publics=PUBLIC_CHOICES,
        helps=HELP_CHOICES,
        epcis=directory.territory.epcis,
        communes_json=script_json(communes_data(directory)),
        assets=relative_base(page_path(FINDER_PAGE)) + ASSETS,
    )
    map_page = render_page(
        env, MAP_PAGE, "map.html", "Carte des lieux", in_nav=True,
        n_located=sum(1 for p in directory.places if p.latitude is not None and p.longitude is not None),
        n_places=len(directory.places),
        assets=relative_base(page_path(MAP_PAGE)) + ASSETS,
        geojson_path=versioned(relative_base(page_path(MAP_PAGE)) + GEOJSON, geojson_version),
    )
    return [finder, map_page, offline_page(env)]
