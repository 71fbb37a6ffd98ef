"""The "Trouver un lieu" page, the map page and their data files (issue 4).

Why this shape: the page is server-rendered (every place, with links) so it works without
JavaScript; the scripts only filter, sort and show a live "open now" status. The scripts read
data computed here at build time (weekly intervals from opening-hours-py, search keys), so
no opening-hours parser and no geocoding service ever runs in the browser. Leaflet and its
cluster plugin are copied from their PyPI packages: the site never calls a CDN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import hours
from .output import Output
from .model import Directory, Place
from .pages import PageRenderer, page_path, relative_base
from .settings import Settings
from .territory import POSITIONS_PATH, load_positions
from .text import search_key, slugify
from .vocabulary import MODALITES_ACCOMPAGNEMENT, MODALITES_ACCOMPAGNEMENT_PLAIN, PUBLICS, SERVICES

FINDER_PAGE = "trouver/index.md"
MAP_PAGE = "carte/index.md"
GEOJSON = "donnees/lieux.geojson"
COMMUNES_JSON = "donnees/communes.json"
ASSETS = "assets/annuaire/"
STATIC = Path(__file__).resolve().parent / "static"
POSITIONS = POSITIONS_PATH

SATURDAY = 5
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


def _service_slugs(place: Place) -> list[str]:
    by_label = {s.label: s.slug for s in SERVICES}
    return [by_label[s] for s in place.services if s in by_label]


def place_facts(place: Place) -> dict[str, Any]:
    """What the finder's script filters on, for one place (also shown as text on the card)."""
    intervals = hours.intervals_for_browser(place.horaires)
    return {
        "services": _service_slugs(place),
        "publics": [slugify(p) for p in place.publics_specifiquement_adresses],
        "aide": [slugify(m) for m in place.modalites_accompagnement],
        "gratuit": FREE in place.frais_a_charge,
        "sans_rdv": WALK_IN in place.modalites_acces,
        "sur_rdv": any(m in place.modalites_acces for m in APPOINTMENT) or bool(place.prise_rdv),
        "samedi": any(day == SATURDAY for day, _start, _end in intervals),
        "horaires": intervals,
    }


def commune_positions(path: Path = POSITIONS) -> dict[str, tuple[float, float]]:
    """INSEE code → (latitude, longitude) of the town hall, from `data/communes_86_positions.json`
    (imported from a public package by `scripts/import_commune_positions.py`, never typed).
    The loader lives in `territory.py`, shared with the commune pages."""
    return load_positions(path)


def communes_data(directory: Directory) -> list[dict[str, Any]]:
    """The 265 communes for the offline search: name, loose search key, postcodes, EPCI and
    town-hall position (to sort places by distance)."""
    result = []
    for c in directory.territory.communes:
        lat, lon = directory.territory.position(c.code_insee) or (None, None)
        result.append(
            {
                "code": c.code_insee,
                "nom": c.nom,
                "cle": search_key(c.nom),
                "cp": list(c.codes_postaux),
                "epci": c.epci_code,
                "pop": c.population,
                "lat": lat,
                "lon": lon,
            }
        )
    return result


def geojson(directory: Directory, settings: Settings) -> dict[str, Any]:
    """Every place with coordinates as a GeoJSON point (WGS 84, longitude first), for the map
    and for partners; `chemin` is the page path on this site, `url` its public address."""
    features = []
    for place in directory.places:
        if place.latitude is None or place.longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                "properties": {
                    "id": place.id,
                    "nom": place.nom,
                    "adresse": place.adresse,
                    "code_postal": place.code_postal,
                    "commune": place.commune_ref.nom,
                    "code_insee": place.commune_ref.code_insee,
                    "telephone": place.telephone,
                    "services": list(place.services),
                    "horaires": place.horaires,
                    "chemin": place.url_path,
                    "url": settings.page_url(place.url_path),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _script_json(data: Any) -> str:
    """JSON safe inside an HTML attribute or a `<script type="application/json">`."""
    return _json(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _vendor_files() -> dict[str, bytes]:
    """Leaflet and markercluster, copied from their PyPI packages (never a CDN)."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    files: dict[str, bytes] = {}
    leaflet_dir = Path(leaflet.BASE_DIR)
    for name in ("leaflet.js", "leaflet.css"):
        files[f"{ASSETS}leaflet/{name}"] = (leaflet_dir / name).read_bytes()
    for image in sorted((leaflet_dir / "images").glob("*.png")):
        files[f"{ASSETS}leaflet/images/{image.name}"] = image.read_bytes()
    cluster_dir = Path(cluster.BASE_DIR)
    for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"):
        files[f"{ASSETS}markercluster/{name}"] = (cluster_dir / name).read_bytes()
    return files


def _static_files() -> dict[str, bytes]:
    return {f"{ASSETS}{f.name}": f.read_bytes() for f in sorted(STATIC.glob("*")) if f.is_file()}


def produce(directory: Directory, settings: Settings) -> Output:
    """The finder page, the map page, their data files and scripts."""

    renderer = PageRenderer(directory, settings)
    epcis = directory.territory.epcis
    places = [
        (p, place_facts(p), _script_json(place_facts(p)), hours.summary(p.horaires))
        for p in directory.places
    ]
    finder = renderer._page(
        FINDER_PAGE,
        "finder.html",
        "Trouver un lieu",
        places=places,
        services=SERVICE_CHOICES,
        publics=PUBLIC_CHOICES,
        helps=HELP_CHOICES,
        epcis=epcis,
        communes_json=_script_json(communes_data(directory)),
        assets=relative_base(page_path(FINDER_PAGE)) + ASSETS,
    )
    map_page = renderer._page(
        MAP_PAGE,
        "map.html",
        "Carte des lieux",
        n_located=sum(1 for p in directory.places if p.latitude is not None and p.longitude is not None),
        n_places=len(directory.places),
        assets=relative_base(page_path(MAP_PAGE)) + ASSETS,
        geojson_path=relative_base(page_path(MAP_PAGE)) + GEOJSON,
    )
    files: dict[str, str | bytes] = {
        FINDER_PAGE: finder,
        MAP_PAGE: map_page,
        GEOJSON: _json(geojson(directory, settings)),
        COMMUNES_JSON: _json(communes_data(directory)),
    }
    files.update(_vendor_files())
    files.update(_static_files())
    return Output(files, frozenset({FINDER_PAGE, MAP_PAGE}))


def share_text(place: Place, settings: Settings) -> str:
    """The SMS text: name, address, opening days and the public page address."""
    lines = [place.nom, f"{place.adresse}, {place.code_postal} {place.commune_ref.nom}"]
    summary = hours.summary(place.horaires)
    if summary:
        lines.append(f"Ouvert : {summary}")
    if place.telephone:
        lines.append(f"Tél. {place.telephone}")
    lines.append(settings.page_url(place.url_path))
    return "\n".join(lines)
