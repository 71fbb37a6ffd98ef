"""Where places and communes are, as data files: the map's GeoJSON and the finder's communes.

`donnees/lieux.geojson` serves the map page and partners (it is listed on « Données
ouvertes »); `donnees/communes.json` is the communes' names, postcodes and positions the finder
carries in its page (to search them offline and sort places by distance, without any geocoding
service), as a file for partners.
"""

from __future__ import annotations

import json
from typing import Any

from ..model.directory import Directory
from ..settings import Settings
from ..text import search_key

GEOJSON = "donnees/lieux.geojson"
COMMUNES_JSON = "donnees/communes.json"


def geojson(directory: Directory, settings: Settings) -> dict[str, Any]:
    """Every place as a GeoJSON point (WGS 84, longitude first), for the map and for partners;
    `chemin` is the page path on this site, `url` its public address. A place whose source gave
    no coordinates is put at its commune's point with `position: approximative`, never as a
    precise pin."""
    features = []
    for place in directory.places:
        if place.latitude is not None and place.longitude is not None:
            point, position = [place.longitude, place.latitude], "exacte"
        else:
            commune_point = directory.territory.position(place.commune_ref.code_insee)
            if commune_point is None:
                continue
            point, position = [commune_point[1], commune_point[0]], "approximative"
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": point},
                "properties": {
                    "position": position,
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


def communes_data(directory: Directory) -> list[dict[str, Any]]:
    """The communes for the offline search: name, loose search key, postcodes, EPCI, the
    address of its page and town-hall position (to sort places by distance)."""
    result = []
    for c in directory.territory.communes:
        lat, lon = directory.territory.position(c.code_insee) or (None, None)
        result.append(
            {
                "code": c.code_insee,
                "nom": c.nom,
                "slug": c.slug,  # its page: communes/<slug>/
                "cle": search_key(c.nom),
                "cp": list(c.codes_postaux),
                "epci": c.epci_code,
                "pop": c.population,
                "lat": lat,
                "lon": lon,
            }
        )
    return result


def compact_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def files(directory: Directory, settings: Settings) -> dict[str, str | bytes]:
    return {GEOJSON: compact_json(geojson(directory, settings)), COMMUNES_JSON: compact_json(communes_data(directory))}
