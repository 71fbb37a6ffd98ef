"""Everything printed: QR codes, A5 flyers and A4 posters of every open place, batches by
territory, the general flyer, the printable HTML flyers and the page « Affiches à imprimer ».

Also the pages that keep printed links alive (see `links.py`): redirect pages for the old
addresses of renamed places, a page for each closed place, and the check of the ledger of
published addresses (`data/urls-publiees.txt`), which stops the build before a printed
link would lead to « page introuvable ».

PDFs are the slow part of a build: each one is stored in `.cache/flyers/` under its content
key (`flyers.flyer_key`), so a rebuild where a place's record did not change redoes no PDF.
The batches are cached the same way, keyed by their pages' keys, and so are the QR codes
(SVG, PNG: the mask search of the encoder is slow) and the HTML flyers. The cache is only a
speed-up: deleting `.cache/` gives the same bytes, just later.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from markupsafe import Markup

from . import flyers, links, qr
from .output import BuildStop, Output
from .model import Directory, Place
from .pages import PageRenderer, place_src_uri
from .settings import Settings
from .text import french_date


PROJECT_ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "ANNUAIRE_CACHE_DIR"  # another cache folder (tests), default `.cache/flyers/`
PRINT_INDEX = "affiches/index.md"
PRINT_DIR = "affiches/"
LEDGER_NAME = Path("data") / "urls-publiees.txt"

GENERAL_A5 = PRINT_DIR + "flyer-annuaire-a5.pdf"
GENERAL_A4 = PRINT_DIR + "affiche-annuaire-a4.pdf"
HOME_QR_SVG = PRINT_DIR + "qr-accueil.svg"
HOME_QR_PNG = PRINT_DIR + "qr-accueil.png"
ALL_PLACES = PRINT_DIR + "flyers-vienne-a5.pdf"


def cache_folder() -> Path:
    return Path(os.environ.get(CACHE_ENV) or PROJECT_ROOT / ".cache" / "flyers")


def ledger_path(settings: Settings) -> Path:
    """The ledger next to the places folder: `data/urls-publiees.txt` for the real site; a
    fixture site without one checks nothing."""
    return settings.places_dir.parent / LEDGER_NAME


def size_text(data: bytes) -> str:
    """`85 Ko`, `1,2 Mo`: what a person needs to decide whether to download on a phone plan."""
    kilo = len(data) / 1024
    if kilo < 1000:
        return f"{max(1, math.ceil(kilo))} Ko"
    return f"{kilo / 1024:.1f} Mo".replace(".", ",")


def public_url(settings: Settings, path: str) -> str:
    """The printed address; never the development server's (see `qr.public_base`)."""
    try:
        return qr.public_base(settings.public_url) + path.lstrip("/")
    except ValueError as error:
        raise BuildStop(
            f"Affiches et QR codes impossibles : {error}. Indiquez l’adresse publique du site dans "
            "mkdocs.yml (extra.annuaire.public_url)."
        ) from None


# --- PDFs, through the content-hash cache ------------------------------------------------------

_memory: dict[str, bytes] = {}  # per process: the slot and the producer ask for the same PDF


def place_pdf(place: Place, url: str, size: str) -> bytes:
    key = flyers.flyer_key(place, url=url, size=size)
    if key not in _memory:
        _memory[key] = flyers.cached_flyer_pdf(flyers.FlyerCache(cache_folder()), place, url, size)
    return _memory[key]


def batch(places: list[Place], settings: Settings, title: str, size: str = "A5") -> bytes:
    """All `places` in one PDF; cached under the keys of its pages, so it is redrawn only when
    one of its places changed."""
    pairs = [(p, public_url(settings, p.url_path)) for p in places]
    key = flyers.batch_key([flyers.flyer_key(p, url=u, size=size) for p, u in pairs], size=size, title=title)
    if key in _memory:
        return _memory[key]
    cache = flyers.FlyerCache(cache_folder())
    data = cache.get(key)
    if data is None:
        data = flyers.batch_pdf(pairs, size=size, title=title)
        cache.put(key, data)
    _memory[key] = data
    return data


def general_pdf(settings: Settings, size: str) -> bytes:
    home = public_url(settings, "")
    key = flyers.batch_key([home], size=size, title="annuaire")
    if key not in _memory:
        cache = flyers.FlyerCache(cache_folder())
        data = cache.get(key)
        if data is None:
            data = flyers.general_flyer_pdf(home, size)
            cache.put(key, data)
        _memory[key] = data
    return _memory[key]


# --- What the place page shows (slot `place_before_report.html`) ------------------------------


@dataclass(frozen=True)
class Download:
    label: str  # "Flyer A5 (PDF, 85 Ko)"
    href: str  # relative to the place page
    note: str = ""


def _cached(key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
    """`make()`, stored in the cache folder under `key` (a sha256) + `suffix`: a QR code's mask
    search and a flyer's layout fitting cost more than reading a small file."""
    path = cache_folder() / f"{key}{suffix}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)
    return data


def _qr_key(url: str) -> str:
    return hashlib.sha256(f"{segno.__version__}|{qr.ERROR_LEVEL}|{qr.QUIET_ZONE}|{url}".encode()).hexdigest()


@lru_cache(maxsize=1024)
def _png(url: str) -> bytes:
    return _cached(_qr_key(url), ".qr.png", lambda: qr.qr_png(url))


@lru_cache(maxsize=1024)
def _svg(url: str) -> str:
    return _cached(_qr_key(url), ".qr.svg", lambda: qr.qr_svg(url).encode("utf-8")).decode("utf-8")


def place_downloads(place: Place, settings: Settings) -> list[Download]:
    """The links of the « Imprimer » section of a place page, with format and size."""
    url = public_url(settings, place.url_path)
    return [
        Download(f"Flyer A5 (PDF, {size_text(place_pdf(place, url, 'A5'))})", "flyer-a5.pdf",
                 "une demi-feuille A4 : à poser sur un comptoir"),
        Download(f"Affiche A4 (PDF, {size_text(place_pdf(place, url, 'A4'))})", "affiche-a4.pdf",
                 "à afficher sur un panneau"),
        Download(f"QR code seul (image PNG, {size_text(_png(url))})", "qr.png", "pour un journal ou un site"),
        Download("Flyer à imprimer depuis le navigateur (page web)", "imprimer/", ""),
    ]


# --- Pages ------------------------------------------------------------------------------------


def _print_page(renderer: PageRenderer, place: Place, settings: Settings) -> str:
    url = public_url(settings, place.url_path)
    key = flyers.flyer_key(place, url=url, size="A5")
    html = _cached(key, ".flyer.html", lambda: flyers.flyer_html(
        place, url, _svg(url), size="A5", heading_level=2
    ).encode("utf-8"))
    # Trusted: flyer_html escapes every record value itself (Jinja2 autoescape).
    flyer = Markup(html.decode("utf-8"))
    return renderer._page(
        place.url_path + "imprimer.md", "print_place.html", f"Flyer à imprimer : {place.nom}",
        p=place, flyer=flyer,
    )


def _closed_page(renderer: PageRenderer, place: Place, directory: Directory) -> str:
    closed_on = french_date(place.date_fermeture) if place.date_fermeture else None
    return renderer._page(
        place_src_uri(place), "closed_place.html", f"{place.nom} (fermé)",
        p=place, closed_on=closed_on, nearest=links.nearest_open(place, directory.places, k=3),
    )


@dataclass(frozen=True)
class Batch:
    label: str
    href: str  # from the site root
    count: int
    size: str


def _batches(directory: Directory, settings: Settings, files: dict[str, str | bytes]) -> tuple[
    Batch, list[tuple[object, Batch | None, list[Batch]]]
]:
    """(whole département, [(EPCI, its batch, [batches of its communes])]); files are added."""

    def make(path: str, places: list[Place], title: str, label: str) -> Batch:
        data = batch(places, settings, title)
        files[path] = data
        return Batch(label, path, len(places), size_text(data))

    everything = make(ALL_PLACES, list(directory.places), "Lieux numériques de la Vienne", "Toute la Vienne")
    groups = []
    communes = directory.communes_with_places()
    for epci in directory.territory.epcis:
        places = directory.in_epci(epci)
        if not places:
            continue
        epci_batch = make(f"{PRINT_DIR}intercommunalite/{epci.slug}-a5.pdf", places,
                          f"Lieux numériques : {epci.nom_long}", epci.nom_long)
        of_communes = [
            make(f"{PRINT_DIR}commune/{c.slug}-a5.pdf", directory.in_commune(c),
                 f"Lieux numériques : {c.nom}", c.nom)
            for c in communes
            if (e := directory.territory.epci_of(c)) is not None and e.code == epci.code
        ]
        groups.append((epci, epci_batch, of_communes))
    orphans = [c for c in communes if directory.territory.epci_of(c) is None]
    if orphans:
        groups.append((None, None, [
            make(f"{PRINT_DIR}commune/{c.slug}-a5.pdf", directory.in_commune(c), f"Lieux numériques : {c.nom}", c.nom)
            for c in orphans
        ]))
    return everything, groups


def check_ledger(directory: Directory, settings: Settings, redirects: dict[str, str]) -> None:
    """Stop the build when an address of the ledger would lead nowhere."""
    ledger = links.read_ledger(ledger_path(settings))
    served = [p.url_path for p in directory.places + directory.closed] + list(redirects)
    missing = links.missing_from_site(ledger, served)
    if missing:
        listed = "\n".join(f"  - {path}" for path in missing)
        raise BuildStop(
            "Des adresses déjà publiées ne mènent plus à aucune page (un flyer imprimé y mène peut-être) :\n"
            f"{listed}\n"
            "Pour chacune : si la fiche a été renommée ou déplacée, ajoutez l’ancienne adresse dans "
            "`anciennes_urls` de la fiche renommée ; si le lieu a fermé, marquez le lieu `statut: fermé` "
            "(avec `date_fermeture`) au lieu de supprimer la fiche. Voir CONTRIBUTING.md, "
            "« Renommer, déplacer ou fermer un lieu »."
        )


def produce(directory: Directory, settings: Settings) -> Output:
    """QR codes, PDFs and print pages of every open place; closed places and redirects."""
    everyone = list(directory.places + directory.closed)
    conflicts = links.redirect_conflicts(everyone)
    if conflicts:
        raise BuildStop("Anciennes adresses à corriger (`anciennes_urls`) :\n" + "\n".join(conflicts))
    redirects = links.redirects_for(everyone)
    check_ledger(directory, settings, redirects)

    renderer = PageRenderer(directory, settings)
    files: dict[str, str | bytes] = {}
    for place in directory.places:
        url = public_url(settings, place.url_path)
        files[place.url_path + "qr.svg"] = _svg(url)
        files[place.url_path + "qr.png"] = _png(url)
        files[place.url_path + "flyer-a5.pdf"] = place_pdf(place, url, "A5")
        files[place.url_path + "affiche-a4.pdf"] = place_pdf(place, url, "A4")
        files[place.url_path + "imprimer.md"] = _print_page(renderer, place, settings)
    for place in directory.closed:
        files[place_src_uri(place)] = _closed_page(renderer, place, directory)
    files.update(links.redirect_pages(redirects))

    home = public_url(settings, "")
    files[HOME_QR_SVG] = _svg(home)
    files[HOME_QR_PNG] = _png(home)
    files[GENERAL_A5] = general_pdf(settings, "A5")
    files[GENERAL_A4] = general_pdf(settings, "A4")
    everything, groups = (None, []) if not directory.places else _batches(directory, settings, files)
    files[PRINT_INDEX] = renderer._page(
        PRINT_INDEX, "print_index.html", "Affiches à imprimer",
        home_url=home,
        general=[
            Download(f"Flyer A5 (PDF, {size_text(files[GENERAL_A5])})", GENERAL_A5),  # type: ignore[arg-type]
            Download(f"Affiche A4 (PDF, {size_text(files[GENERAL_A4])})", GENERAL_A4),  # type: ignore[arg-type]
            Download(f"QR code seul (image PNG, {size_text(files[HOME_QR_PNG])})", HOME_QR_PNG),  # type: ignore[arg-type]
        ],
        qr_svg=HOME_QR_SVG,
        everything=everything,
        groups=groups,
    )

    return Output(files, frozenset({PRINT_INDEX}))
