"""Typed, immutable places built from validated records.

Everything downstream (pages, QR codes, flyers, exports) reads these objects, never YAML.
`place_from_record` assumes the record passed `validation.places.check_places` without errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from ..data.records import Raw, Record, text_list
from ..data.territory import Commune, Epci, Territory
from ..text import search_key
from ..urls import PlaceUrls, place_path, place_urls
from ..validation.checks import relative_path

# Fields of the national standard v1.0.2 that hold several values (a YAML list in a record,
# joined with `|` only in a CSV export).
LIST_FIELDS = (
    "typologie", "courriels", "site_web", "services", "publics_specifiquement_adresses",
    "prise_en_charge_specifique", "frais_a_charge", "itinerance", "modalites_acces",
    "modalites_accompagnement", "dispositif_programmes_nationaux", "formations_labels",
)
# Local extensions (documented in schemas/lieu.schema.json).
LOCAL_LIST_FIELDS = ("equipements", "anciennes_urls")
CLOSED = "fermé"


@dataclass(frozen=True)
class SourceRef:
    """One source a record was imported from (local extension `provenance`)."""

    source: str
    date: date
    fichier: str | None = None
    identifiant: str | None = None
    champs: tuple[str, ...] = ()  # the fields this source gave; empty: not said


@dataclass(frozen=True)
class Place:
    """A digital-help place, as published. Field names follow the national standard."""

    # Where it lives in the repository and on the site.
    file: str  # path relative to the project root, e.g. `places/poitiers/mds-poitiers.yml`
    slug: str
    commune_ref: Commune
    epci_ref: Epci | None
    # National standard v1.0.2.
    id: str
    nom: str
    adresse: str
    code_postal: str
    commune: str
    date_maj: date
    pivot: str | None = None
    code_insee: str | None = None
    complement_adresse: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    typologie: tuple[str, ...] = ()
    telephone: str | None = None
    courriels: tuple[str, ...] = ()
    site_web: tuple[str, ...] = ()
    horaires: str | None = None
    presentation_resume: str | None = None
    presentation_detail: str | None = None
    source: str | None = None
    structure_parente: str | None = None
    services: tuple[str, ...] = ()
    publics_specifiquement_adresses: tuple[str, ...] = ()
    prise_en_charge_specifique: tuple[str, ...] = ()
    frais_a_charge: tuple[str, ...] = ()
    itinerance: tuple[str, ...] = ()
    modalites_acces: tuple[str, ...] = ()
    modalites_accompagnement: tuple[str, ...] = ()
    dispositif_programmes_nationaux: tuple[str, ...] = ()
    formations_labels: tuple[str, ...] = ()
    autres_formations_labels: str | None = None
    fiche_acces_libre: str | None = None
    prise_rdv: str | None = None
    # Local extensions.
    equipements: tuple[str, ...] = ()
    accessible_fauteuil_roulant: bool | None = None
    # Local extensions for printed links that never break (see `data/ledger.py`).
    statut: str = "ouvert"  # "ouvert" or "fermé": a closed place keeps its page
    date_fermeture: date | None = None
    anciennes_urls: tuple[str, ...] = ()  # old page paths `lieux/<commune>/<slug>/`, redirected here
    # Local extension: an itinerant place's stops, as INSEE codes (written as names in records).
    communes_desservies: tuple[str, ...] = ()
    # Local extensions: where each value comes from (see `data/provenance.py`).
    provenance: tuple[SourceRef, ...] = ()
    valeurs_deduites: tuple[tuple[str, str], ...] = ()  # (field, rule id)
    date_verification: date | None = None
    verification_moyen: str | None = None
    verification_par: str | None = None
    extra: dict[str, Raw] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def url_path(self) -> str:
        """The stable public path of the place page, without leading slash: `lieux/<commune>/<slug>/`
        (computed once: views, pages and print outputs are all keyed by it)."""
        return place_path(self.commune_ref.slug, self.slug)

    @property
    def urls(self) -> PlaceUrls:
        """Every address the place publishes (page, print page, PDFs, QR images)."""
        return place_urls(self.url_path)

    @property
    def closed(self) -> bool:
        return self.statut == CLOSED

    @property
    def verified(self) -> bool:
        return self.date_verification is not None

    def deduced_rule(self, field_name: str) -> str | None:
        """The rule that gave `field_name`, while no person has verified the record."""
        if self.verified:
            return None
        return dict(self.valeurs_deduites).get(field_name)

    @property
    def unverified_deductions(self) -> tuple[tuple[str, str], ...]:
        return () if self.verified else self.valeurs_deduites

    @cached_property
    def sort_key(self) -> tuple[str, str]:
        """Commune then name, without accents or case; computed once (every ranking sorts by it)."""
        return (search_key(self.commune_ref.nom), search_key(self.nom))


def by_epci(places: Iterable[Place]) -> dict[str, list[Place]]:
    """Places by their EPCI's code, in their order (a place outside any EPCI is left out). One
    pass: a search through every place for each EPCI is quadratic (1,200 EPCIs in France)."""
    grouped: dict[str, list[Place]] = {}
    for place in places:
        if place.epci_ref:
            grouped.setdefault(place.epci_ref.code, []).append(place)
    return grouped


def _text(value: Raw) -> str | None:
    if value is None:
        return None
    assert isinstance(value, str)
    return value.strip() or None


def _yes_no(value: Raw) -> bool | None:
    if value is None:
        return None
    return str(value).strip().lower() in ("oui", "true")


def _sources(value: Raw) -> tuple[SourceRef, ...]:
    if not isinstance(value, list):
        return ()
    sources = []
    for item in value:
        name, when = (item.get("source"), item.get("date")) if isinstance(item, dict) else (None, None)
        if isinstance(item, dict) and isinstance(name, str) and isinstance(when, str):
            sources.append(SourceRef(
                source=name.strip(),
                date=date.fromisoformat(when.strip()),
                fichier=_text(item.get("fichier")),
                identifiant=_text(item.get("identifiant")),
                champs=text_list(item.get("champs")),
            ))
    return tuple(sources)


def _optional_date(value: Raw) -> date | None:
    text = _text(value)
    return date.fromisoformat(text) if text else None


SCALAR_TEXT_FIELDS = (
    "pivot", "code_insee", "complement_adresse", "telephone", "horaires",
    "presentation_resume", "presentation_detail", "source", "structure_parente",
    "autres_formations_labels", "fiche_acces_libre", "prise_rdv",
)


def place_from_record(record: Record, territory: Territory, root: Path) -> Place:
    """Build a Place from a record that passed validation."""
    data = record.data
    code_insee = _text(data.get("code_insee"))
    commune_ref = territory.commune(code_insee) if code_insee else None
    if commune_ref is None:  # validation guarantees one of the two resolves
        commune_ref = territory.communes_named(str(data["commune"]))[0]
    latitude = _text(data.get("latitude"))
    longitude = _text(data.get("longitude"))
    known = set(Place.__dataclass_fields__)
    texts: dict[str, Any] = {name: _text(data.get(name)) for name in SCALAR_TEXT_FIELDS}
    lists: dict[str, Any] = {name: text_list(data.get(name)) for name in LIST_FIELDS + LOCAL_LIST_FIELDS}
    return Place(
        file=relative_path(record.path, root),
        slug=record.path.stem,
        commune_ref=commune_ref,
        epci_ref=territory.epci_of(commune_ref),
        id=str(data["id"]).strip(),
        nom=str(data["nom"]).strip(),
        adresse=str(data["adresse"]).strip(),
        code_postal=str(data["code_postal"]).strip(),
        commune=str(data["commune"]).strip(),
        date_maj=date.fromisoformat(str(data["date_maj"]).strip()),
        latitude=float(latitude) if latitude else None,
        longitude=float(longitude) if longitude else None,
        accessible_fauteuil_roulant=_yes_no(data.get("accessible_fauteuil_roulant")),
        statut=CLOSED if search_key(_text(data.get("statut")) or "") == search_key(CLOSED) else "ouvert",
        date_fermeture=date.fromisoformat(str(data["date_fermeture"]).strip()) if _text(data.get("date_fermeture")) else None,
        provenance=_sources(data.get("provenance")),
        valeurs_deduites=tuple(
            (str(k), str(v)) for k, v in (data.get("valeurs_deduites") or {}).items()  # type: ignore[union-attr]
        ) if isinstance(data.get("valeurs_deduites"), dict) else (),
        date_verification=_optional_date(data.get("date_verification")),
        verification_moyen=_text(data.get("verification_moyen")),
        verification_par=_text(data.get("verification_par")),
        communes_desservies=tuple(
            territory.communes_named(name)[0].code_insee for name in text_list(data.get("communes_desservies"))
        ),
        **texts,
        **lists,
        extra={k: v for k, v in data.items() if k not in known},
    )
