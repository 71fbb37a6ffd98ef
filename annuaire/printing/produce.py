"""Everything printed: QR codes, A5 flyers and A4 posters of every open place, batches by
territory, and the general flyer of the directory.

Returns files and plain facts (sizes, page counts) that the pages show: the place page lists
its downloads with their size, « Affiches à imprimer » lists the batches. The pages themselves
are written by `site/`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from .. import urls
from ..data.territory import Commune, Departement, Epci
from ..data.vocabulary import NEEDS, Need
from ..model.directory import Directory
from ..model.places import Place
from ..settings import Settings
from ..text import french_at, french_date, french_km, search_key
from ..views import PlaceView, Views, publisher_name
from . import booklet, flyers, inserts
from .cache import Drawing, PrintCache

BATCH_SIZE = "A5"


def size_text(data: bytes) -> str:
    """`85 Ko`, `1,2 Mo`: what a person needs to decide whether to download on a phone plan."""
    kilo = len(data) / 1024
    if kilo < 1000:
        return f"{max(1, math.ceil(kilo))} Ko"
    return f"{kilo / 1024:.1f} Mo".replace(".", ",")


@dataclass(frozen=True)
class Download:
    label: str  # "Flyer A5 (PDF, 85 Ko)"
    href: str  # relative to the place page, or from the site root for general files
    note: str = ""


@dataclass(frozen=True)
class Batch:
    label: str
    href: str  # from the site root
    count: int
    size: str
    sheets_href: str = ""  # the same flyers two per A4 sheet
    sheets_size: str = ""

    @property
    def sheets(self) -> int:
        return (self.count + 1) // 2


@dataclass(frozen=True)
class Guide:
    """A paper guide (A5 booklet) and what a page says about it."""

    href: str  # from the site root
    title: str
    places: int
    pages: int
    size: str


@dataclass(frozen=True)
class BatchGroup:
    epci: Epci | None  # None: communes outside any EPCI
    batch: Batch | None
    communes: list[Batch]


@dataclass
class Printed:
    """The print files of a build, and what the pages say about them."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    downloads: dict[str, list[Download]] = field(default_factory=dict)  # by place page path
    service_lines: dict[str, list[str]] = field(default_factory=dict)  # by place page path (HTML flyer)
    qr_svgs: dict[str, str] = field(default_factory=dict)  # by place page path (HTML flyer)
    general: list[Download] = field(default_factory=list)
    everything: Batch | None = None
    groups: list[BatchGroup] = field(default_factory=list)
    home_url: str = ""
    inserts: dict[str, list[Download]] = field(default_factory=dict)  # by commune slug, from the root
    booklets: dict[str, Guide] = field(default_factory=dict)  # by EPCI slug, "" for the département


def flyer_of(view: PlaceView, cache: PrintCache) -> flyers.Flyer:
    place = view.place
    return flyers.Flyer(view.flyer, cache.modules(view.public_url), f"{place.nom} ({place.commune_ref.nom})")


def place_pdf(flyer: flyers.Flyer, size: str, cache: PrintCache) -> bytes:
    return cache.file(flyers.flyer_key(flyer.content, size=size), ".pdf", lambda: flyers.flyer_pdf(flyer, size))


def _sheet_key(sheet_flyers: list[flyers.Flyer], title: str, twice: bool) -> str:
    keys = [flyers.flyer_key(f.content, size=BATCH_SIZE) for f in sheet_flyers]
    return flyers.batch_key([*keys, "deux-par-feuille", str(twice)], size="A4", title=title)


def sheet_pdf(sheet_flyers: list[flyers.Flyer], title: str, cache: PrintCache, twice: bool = False) -> bytes:
    """Two A5 flyers per A4 sheet (a place twice, or places two by two), cached like a batch."""
    key = _sheet_key(sheet_flyers, title, twice)
    return cache.file(key, ".pdf", lambda: flyers.sheet_pdf(sheet_flyers, title, twice))


def _as_pdf(draw: Callable[..., bytes], *args: object) -> dict[str, bytes]:
    return {"pdf": draw(*args)}


def _draw_place_pdfs(all_flyers: list[flyers.Flyer], cache: PrintCache) -> None:
    """Every place's flyer, poster and sheet not yet in the store, drawn on every core before
    the pages ask for them (then `place_pdf` and `sheet_pdf` find them in memory)."""
    drawings = []
    for flyer in all_flyers:
        for size in ("A5", "A4"):
            drawings.append(Drawing(flyers.flyer_key(flyer.content, size=size), ("pdf",), _as_pdf,
                                    (flyers.flyer_pdf, flyer, size)))
        drawings.append(Drawing(_sheet_key([flyer], flyer.title, True), ("pdf",), _as_pdf,
                                (flyers.sheet_pdf, [flyer], flyer.title, True)))
    cache.draw_all(drawings)


def _batch_key(batch_flyers: list[flyers.Flyer], title: str) -> str:
    keys = [flyers.flyer_key(f.content, size=BATCH_SIZE) for f in batch_flyers]
    return flyers.batch_key(keys, size=BATCH_SIZE, title=title)


def batch_pdf(batch_flyers: list[flyers.Flyer], title: str, cache: PrintCache) -> bytes:
    """All the flyers in one PDF; stored under the keys of its pages, so it is drawn again only
    when one of its places changed."""
    key = _batch_key(batch_flyers, title)
    return cache.file(key, ".pdf", lambda: flyers.batch_pdf(batch_flyers, size=BATCH_SIZE, title=title))


def general_pdf(home_url: str, size: str, cache: PrintCache, needs: list[Need], named: Departement) -> bytes:
    publisher = publisher_name(named)
    key = flyers.batch_key([home_url, publisher, named.dans, *(n.title for n in needs)], size=size, title="annuaire")
    return cache.file(
        key, ".pdf",
        lambda: flyers.general_flyer_pdf(home_url, cache.modules(home_url), size, needs, publisher, named.dans),
    )


def met_needs(directory: Directory) -> list[Need]:
    """The needs at least one open place meets: the only ones a flyer may promise."""
    return [need for need in NEEDS if directory.with_service(need.service)]


def _place_files(view: PlaceView, cache: PrintCache, printed: Printed) -> flyers.Flyer:
    flyer = flyer_of(view, cache)
    page = view.urls
    a5, a4 = place_pdf(flyer, "A5", cache), place_pdf(flyer, "A4", cache)
    sheet = sheet_pdf([flyer], flyer.title, cache, twice=True)
    png = cache.qr_png(view.public_url)
    svg = cache.qr_svg(view.public_url)
    printed.files.update({page.qr_svg: svg, page.qr_png: png, page.flyer_a5: a5, page.poster_a4: a4,
                          page.sheet_a4: sheet})
    printed.qr_svgs[page.page] = svg
    printed.service_lines[page.page] = cache_layout_lines(flyer, cache)
    printed.downloads[page.page] = [
        Download(f"Flyer A5 (PDF, {size_text(a5)})", "flyer-a5.pdf", "une demi-feuille A4 : à poser sur un comptoir"),
        Download(f"Affiche A4 (PDF, {size_text(a4)})", "affiche-a4.pdf", "à afficher sur un panneau"),
        Download(f"Deux flyers A5 sur une feuille A4 (PDF, {size_text(sheet)})", "deux-flyers-a4.pdf",
                 "pour une imprimante de bureau : imprimez, puis coupez au milieu"),
        Download(f"QR code seul (image PNG, {size_text(png)})", "qr.png", "pour un journal ou un site"),
        Download("Flyer à imprimer depuis le navigateur (page web)", "imprimer/", ""),
    ]
    return flyer


def cache_layout_lines(flyer: flyers.Flyer, cache: PrintCache) -> list[str]:
    """The service lines the flyer prints, stored with the PDF: fitting the layout means
    measuring the page several times."""
    key = flyers.flyer_key(flyer.content, size="A5")
    data = cache.file(key, ".services.txt", lambda: "\n".join(flyers.shown_services(flyer)).encode("utf-8"))
    return data.decode("utf-8").split("\n")


def _batches(directory: Directory, by_place: dict[str, flyers.Flyer], cache: PrintCache, printed: Printed) -> None:
    """Every batch (the département, each EPCI, each commune), in A5 pages and two per A4 sheet:
    first the missing ones drawn on every core, then each taken from memory into `printed`."""
    drawings: list[Drawing] = []

    def plan(path: str, places: list[Place], title: str, label: str) -> Batch:
        chosen = [by_place[p.url_path] for p in places]
        drawings.append(Drawing(_batch_key(chosen, title), ("pdf",), _as_pdf, (flyers.batch_pdf, chosen, BATCH_SIZE, title)))
        drawings.append(Drawing(_sheet_key(chosen, title, False), ("pdf",), _as_pdf,
                                (flyers.sheet_pdf, chosen, title, False)))
        return Batch(label, path, len(places), "")

    def make(path: str, places: list[Place], title: str, label: str) -> Batch:
        chosen = [by_place[p.url_path] for p in places]
        data = batch_pdf(chosen, title, cache)
        sheets = sheet_pdf(chosen, title, cache)
        printed.files[path] = data
        printed.files[urls.sheets_of(path)] = sheets
        return Batch(label, path, len(places), size_text(data), urls.sheets_of(path), size_text(sheets))

    _each_batch(directory, plan, Printed())
    cache.draw_all(drawings)
    _each_batch(directory, make, printed)


def _each_batch(directory: Directory, make: Callable[[str, list[Place], str, str], Batch], printed: Printed) -> None:
    """Call `make(path, places, title, label)` for every batch, grouped in `printed` by EPCI."""
    named = directory.territory.named
    printed.everything = make(urls.ALL_PLACES_BATCH, list(directory.places), f"Lieux numériques {named.de}",
                              named.tout[:1].upper() + named.tout[1:])
    territory = directory.territory
    communes = directory.communes_with_places()
    for epci in territory.epcis:
        places = directory.in_epci(epci)
        if not places:
            continue
        epci_batch = make(urls.epci_batch(epci.slug), places, f"Lieux numériques : {epci.nom_long}", epci.nom_long)
        of_communes = [
            make(urls.commune_batch(c.slug), directory.in_commune(c), f"Lieux numériques : {c.nom}", c.nom)
            for c in communes
            if (e := territory.epci_of(c)) is not None and e.code == epci.code
        ]
        printed.groups.append(BatchGroup(epci, epci_batch, of_communes))
    orphans = [c for c in communes if territory.epci_of(c) is None]
    if orphans:
        printed.groups.append(BatchGroup(None, None, [
            make(urls.commune_batch(c.slug), directory.in_commune(c), f"Lieux numériques : {c.nom}", c.nom)
            for c in orphans
        ]))


BOOKLET_VERSION = "2026-12-01.1"  # change when the booklet's layout changes


def _booklets(directory: Directory, views: Views, settings: Settings, by_place: dict[str, flyers.Flyer],
              cache: PrintCache, printed: Printed) -> None:
    """The paper guide of each EPCI with places, and of the whole département."""
    named = directory.territory.named
    assert directory.newest_update is not None  # booklets are made only when there are places
    updated = f"Informations du {french_date(directory.newest_update)}"
    contact = f"écrivez à {settings.contact_email}" if settings.contact_email else f"voyez {settings.public_url}"

    def make(key_of: str, href: str, title: str, places: list[Place], url: str) -> None:
        ordered = sorted(places, key=lambda p: (search_key(p.commune_ref.nom), search_key(p.nom)))
        guide = booklet.Booklet(
            title=title,
            sections=booklet.sections_by_commune([
                (p.commune_ref.nom, booklet.BookletPlace(views.of(p).flyer, by_place[p.url_path].modules))
                for p in ordered
            ]),
            url=url, modules=cache.modules(url), updated=updated, contact=contact,
            publisher=publisher_name(named),
        )
        key = hashlib.sha256(json.dumps([BOOKLET_VERSION, repr(guide)], ensure_ascii=False).encode()).hexdigest()
        data = cache.file(key, ".livret.pdf", lambda: booklet.booklet_pdf(guide))
        printed.files[href] = data
        printed.booklets[key_of] = Guide(
            href, title, len(places), booklet.page_count(data), size_text(data))

    for epci in directory.territory.epcis:
        if places := directory.in_epci(epci):
            make(epci.slug, urls.epci_booklet(epci.slug), epci.nom_long, places,
                 settings.public_url + urls.epci_path(epci.slug))
    make("", urls.DEPARTEMENT_BOOKLET, named.tout[:1].upper() + named.tout[1:], list(directory.places),
         settings.public_url)


INSERT_VERSION = "2026-12-01.3"  # change when the insert's layout changes: cached inserts are drawn again


def insert_content(commune: Commune, directory: Directory, views: Views, public_url: str) -> inserts.InsertContent:
    """For each need some place meets: the nearest place offering it, how far, how to call."""
    ranked = directory.ranked_from(commune)
    lines = []
    for need in met_needs(directory):
        found = next((n for n in ranked if need.service in n.place.services), None)
        if found is None:
            continue
        place = found.place
        where = "dans la commune" if place.commune_ref.code_insee == commune.code_insee else \
            f"{place.commune_ref.nom}, à {french_km(found.km)}"
        view = views.of(place)
        contact = " · ".join(part for part in (
            f"Tél. {view.phone}" if view.phone else "", (view.summary or "").lower()) if part)
        lines.append(inserts.InsertLine(need.title, f"{place.nom} ({where})", contact))
    newest = directory.newest_update
    at = french_at(commune.nom)
    return inserts.InsertContent(
        commune=commune.nom,
        where=f"{at[:1].upper()}{at[1:]} et autour",
        lines=tuple(lines),
        url=public_url + urls.commune_path(commune.slug),
        updated=f"Informations du {french_date(newest)}" if newest else "",
        publisher=publisher_name(directory.territory.named),
    )


def _inserts(directory: Directory, views: Views, settings: Settings, cache: PrintCache, printed: Printed) -> None:
    """Each commune's insert for the bulletin municipal, in every form (cached by content,
    the missing ones drawn in parallel)."""
    names = list(inserts.names())
    communes = directory.territory.communes
    drawings = []
    for commune in communes:
        content = insert_content(commune, directory, views, settings.public_url)
        key = hashlib.sha256(json.dumps([INSERT_VERSION, asdict(content)], ensure_ascii=False).encode()).hexdigest()
        drawings.append(Drawing(key, tuple(names), inserts.insert_files, (content, cache.modules(content.url))))
    for commune, made in zip(communes, cache.draw_all(drawings), strict=True):
        folder = urls.commune_inserts(commune.slug)
        for name in names:
            printed.files[folder + name] = made[name]
        printed.inserts[commune.slug] = [
            Download(f"{label} ({kind}, {size_text(made[name])})", folder + name, note)
            for name, label, kind, note in INSERT_DOWNLOADS
        ]


INSERT_DOWNLOADS = (  # file, label, format, what it is for
    ("encart-quart-page.pdf", "Quart de page", "PDF", "10,5 × 14,8 cm, pour un bulletin imprimé"),
    ("encart-quart-page.png", "Quart de page", "image PNG 300 dpi", "pour un logiciel de mise en page"),
    ("encart-demi-page.pdf", "Demi-page", "PDF", "21 × 14,8 cm"),
    ("encart-demi-page.png", "Demi-page", "image PNG 300 dpi", "pour un logiciel de mise en page"),
    ("encart.txt", "Texte seul", "texte", "à copier dans une lettre d’information ou sur un site"),
)


def produce(directory: Directory, views: Views, settings: Settings, cache: PrintCache) -> Printed:
    """QR codes and PDFs of every open place, the batches and the general flyer."""
    printed = Printed(home_url=settings.page_url(""))
    _draw_place_pdfs([flyer_of(views.of(p), cache) for p in directory.places], cache)
    by_place = {p.url_path: _place_files(views.of(p), cache, printed) for p in directory.places}

    home = printed.home_url
    printed.files[urls.HOME_QR_SVG] = cache.qr_svg(home)
    printed.files[urls.HOME_QR_PNG] = cache.qr_png(home)
    for path, size in ((urls.GENERAL_A5, "A5"), (urls.GENERAL_A4, "A4")):
        printed.files[path] = general_pdf(home, size, cache, met_needs(directory), directory.territory.named)
    printed.general = [
        Download(f"Flyer A5 (PDF, {size_text(printed.files[urls.GENERAL_A5])})", urls.GENERAL_A5),  # type: ignore[arg-type]
        Download(f"Affiche A4 (PDF, {size_text(printed.files[urls.GENERAL_A4])})", urls.GENERAL_A4),  # type: ignore[arg-type]
        Download(f"QR code seul (image PNG, {size_text(printed.files[urls.HOME_QR_PNG])})", urls.HOME_QR_PNG),  # type: ignore[arg-type]
    ]
    if directory.places:
        _batches(directory, by_place, cache, printed)
        _booklets(directory, views, settings, by_place, cache, printed)
        if settings.bulletin_inserts:
            _inserts(directory, views, settings, cache, printed)
    return printed
