"""Everything printed: QR codes, A5 flyers and A4 posters of every open place, batches by
territory, and the general flyer of the directory.

Each place is drawn twice, whatever the number of batches it is in: its own A5 flyer, and its
page in its commune's batch (drawn whole, so the font is embedded once for all its pages); on
a site without PDFs for each place, only the second, and its flyer's service lines are measured.
Everything else is assembled from those pages (`assemble.py`): the A4 poster is the A5 flyer
enlarged, an intercommunality's batch and the département's take the pages of their communes,
and every « two per sheet » form places A5 pages side by side. Drawn or assembled, each output
is kept in the print store under a key made of what it shows and what it was made from.

Returns files and plain facts (sizes, page counts) that the pages show: the place page lists
its downloads with their size, « Affiches à imprimer » lists the batches. The pages themselves
are written by `site/`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence, Sized
from dataclasses import asdict, dataclass, field

from .. import urls
from ..data.territory import Commune, Departement, Epci
from ..data.vocabulary import NEEDS, Need
from ..model.directory import Directory
from ..model.places import Place
from ..settings import Settings
from ..text import french_at, french_date, french_km, french_number, search_key
from ..views import PlaceView, Views, publisher_name
from . import assemble, booklet, flyers, inserts
from .cache import Blob, Drawing, FileContent, PrintCache

BATCH_SIZE = "A5"


def size_text(data: Sized) -> str:
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

    files: dict[str, FileContent] = field(default_factory=dict)
    downloads: dict[str, list[Download]] = field(default_factory=dict)  # by place page path
    service_lines: dict[str, list[str]] = field(default_factory=dict)  # by place page path (HTML flyer)
    general: list[Download] = field(default_factory=list)
    everything: Batch | None = None
    groups: list[BatchGroup] = field(default_factory=list)
    home_url: str = ""
    split: bool = False  # too many places for one document: no département batch nor guide (a notice)
    place_pdfs: bool = True  # each place has its PDFs (`Settings.place_pdfs`)
    _inserts: dict[str, list[Download]] = field(default_factory=dict)
    _booklets: dict[str, Guide] = field(default_factory=dict)
    _pending: Callable[[], None] | None = None  # what finishes the background drawings

    @property
    def inserts(self) -> dict[str, list[Download]]:
        """The communes' inserts, by commune slug, from the root (waits for them: see `finish`)."""
        self.finish()
        return self._inserts

    @property
    def booklets(self) -> dict[str, Guide]:
        """The paper guides, by EPCI slug, "" for the département (waits for them: see `finish`)."""
        self.finish()
        return self._booklets

    def defer(self, step: Callable[[], None]) -> None:
        """Run `step` (which waits for drawings made in the background) when `finish` is called."""
        assert self._pending is None, "one step finishes the background drawings"
        self._pending = step

    def finish(self) -> None:
        """Wait for what is still drawn in the background (after a correction, its guide and
        inserts are drawn while the place pages render): their files join `files`."""
        step, self._pending = self._pending, None
        if step is not None:
            step()


def flyer_of(view: PlaceView, cache: PrintCache) -> flyers.Flyer:
    place = view.place
    return flyers.Flyer(view.flyer, cache.flyer_modules(view.public_url), f"{place.nom} ({place.commune_ref.nom})")


def place_pdf(flyer: flyers.Flyer, cache: PrintCache) -> Blob:
    """The place's A5 flyer."""
    return cache.blob(flyer.key, ".pdf", lambda: flyers.flyer_pdf(flyer, "A5"))


ASSEMBLY_VERSION = "2026-12-01.1"  # change when assemble.py's output changes
SHEET_SUBJECT = "Deux flyers A5 sur une feuille A4"


@dataclass(frozen=True)
class Drawn:
    """A page already drawn: the PDF (its bytes or its file), the page's number in it, and the PDF's store key."""

    pdf: Blob
    number: int
    key: str

    @property
    def ref(self) -> assemble.PageRef:
        return self.pdf, self.number


def _assembled_key(kind: str, title: str, pages: Sequence[Drawn]) -> str:
    """The key of an assembled file: made of its pages' sources, so that when an
    commune's batch is drawn again, every file taken from it is assembled again (the
    same bytes as a first build), and nothing else."""
    parts = [ASSEMBLY_VERSION, kind, title, *(f"{p.key}:{p.number}" for p in pages)]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def cut_sheet(cache: PrintCache) -> Drawn:
    """The ground of every « two per sheet » page: the dashed cut line, drawn once."""
    key = flyers.batch_key(["ligne de coupe"], size="A4", title="")
    return Drawn(cache.file(key, ".pdf", flyers.cut_sheet_pdf), 0, key)


def sheet_drawing(pages: Sequence[Drawn], title: str, publisher: str, cut: Drawn) -> Drawing:
    """How to put A5 pages two per A4 landscape sheet over the cut line (a place twice, or places
    two by two, to cut), and under which key."""
    return Drawing(_assembled_key("deux-par-feuille", title, [cut, *pages]), ("pdf",), _as_pdf, (
        assemble.two_per_sheet, [p.ref for p in pages], cut.pdf, assemble.Meta(title, SHEET_SUBJECT, publisher)))


def _as_pdf(draw: Callable[..., bytes], *args: object) -> dict[str, bytes]:
    return {"pdf": draw(*args)}


def _draw_place_flyers(all_flyers: list[flyers.Flyer], cache: PrintCache, pdfs: bool) -> None:
    """Every place's service lines (what its flyer prints) not yet in the store, with its A5
    flyer when the site publishes one (`pdfs`), made on every core before the pages ask for
    them (then `place_pdf` and `cache_layout_lines` find them in memory). Without PDFs for each
    place (a national site), only the lines are measured: drawing 20,000 flyers nobody downloads
    took about 50 s of a first build on 2 cores, the lines alone a tenth of that."""
    make, names = (_as_flyer_files, ("pdf", SERVICES_FILE)) if pdfs else (_as_services_file, (SERVICES_FILE,))
    cache.draw_all([Drawing(flyer.key, names, make, (flyer,)) for flyer in all_flyers])


SERVICES_FILE = "services.txt"  # stored as `<A5 flyer key>.services.txt`, as `cache_layout_lines` reads it


def _as_flyer_files(flyer: flyers.Flyer) -> dict[str, bytes]:
    pdf, services = flyers.flyer_files(flyer, "A5")
    return {"pdf": pdf, SERVICES_FILE: _lines_file(services)}


def _as_services_file(flyer: flyers.Flyer) -> dict[str, bytes]:
    return {SERVICES_FILE: _lines_file(flyers.shown_services(flyer))}


def _lines_file(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


def _batch_key(batch_flyers: list[flyers.Flyer], title: str) -> str:
    keys = [f.key for f in batch_flyers]  # what each page shows; the batch's own size is in its key
    return flyers.batch_key(keys, size=BATCH_SIZE, title=title)


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


def _place_prints(flyer: flyers.Flyer, cache: PrintCache) -> list[Drawing]:
    """How to assemble a place's poster and its sheet from its A5 flyer."""
    a5 = Drawn(place_pdf(flyer, cache), 0, flyer.key)
    publisher = flyer.content.publisher or flyers.PUBLISHER
    poster = assemble.Meta(flyer.title, "Affiche A4", publisher)
    return [
        Drawing(_assembled_key("affiche-a4", flyer.title, [a5]), ("pdf",), _as_pdf, (assemble.enlarged, a5.pdf, poster)),
        sheet_drawing([a5, a5], flyer.title, publisher, cut_sheet(cache)),
    ]


def _assemble_place_prints(all_flyers: list[flyers.Flyer], cache: PrintCache) -> list[tuple[Blob, Blob]]:
    """Every place's (poster, sheet), the ones missing from the store assembled on every core."""
    made = cache.draw_all([drawing for flyer in all_flyers for drawing in _place_prints(flyer, cache)])
    return [(poster["pdf"], sheet["pdf"]) for poster, sheet in zip(made[::2], made[1::2], strict=True)]


def _place_files(view: PlaceView, flyer: flyers.Flyer, pdfs: tuple[Blob, Blob] | None, cache: PrintCache,
                 printed: Printed) -> None:
    """A place's print files into `printed`, with what its page says about them; `pdfs` is its
    (poster, sheet), None when the site makes no PDF for each place."""
    page = view.urls
    png = cache.qr_png(view.public_url)
    svg = cache.qr_svg_file(view.public_url)
    printed.files.update({page.qr_svg: svg, page.qr_png: png})
    printed.service_lines[page.page] = cache_layout_lines(flyer, cache)
    downloads = []
    if pdfs is not None:
        a5, (a4, sheet) = place_pdf(flyer, cache), pdfs
        printed.files.update({page.flyer_a5: a5, page.poster_a4: a4, page.sheet_a4: sheet})
        downloads = [
            Download(f"Flyer A5 (PDF, {size_text(a5)})", "flyer-a5.pdf", "une demi-feuille A4 : à poser sur un comptoir"),
            Download(f"Affiche A4 (PDF, {size_text(a4)})", "affiche-a4.pdf", "à afficher sur un panneau"),
            Download(f"Deux flyers A5 sur une feuille A4 (PDF, {size_text(sheet)})", "deux-flyers-a4.pdf",
                     "pour une imprimante de bureau : imprimez, puis coupez au milieu"),
        ]
    printed.downloads[page.page] = [
        *downloads,
        Download(f"QR code seul (image PNG, {size_text(png)})", "qr.png", "pour un journal ou un site"),
        Download("Flyer à imprimer depuis le navigateur (page web)", "imprimer/", "" if pdfs is not None else
                 "au format A5 ou A4 : le navigateur peut aussi l’enregistrer en PDF"),
    ]


def cache_layout_lines(flyer: flyers.Flyer, cache: PrintCache) -> list[str]:
    """The service lines the flyer prints, stored with the PDF: fitting the layout means
    measuring the page several times."""
    key = flyer.key
    data = cache.file(key, f".{SERVICES_FILE}", lambda: _as_services_file(flyer)[SERVICES_FILE])
    return data.decode("utf-8").split("\n")


def _batch_units(directory: Directory) -> list[list[Place]]:
    """The places of each commune: one drawn batch each (the font embedded once per commune).
    Every published batch is assembled from these pages: a correction draws again the pages
    of one commune, not of its whole intercommunality (hundreds of pages in a large département)."""
    return [directory.in_commune(commune) for commune in directory.communes_with_places()]


def _batch_drawings(units: list[list[Place]], by_place: dict[str, flyers.Flyer]) -> list[Drawing]:
    drawings = []
    for places in units:
        chosen = [by_place[p.url_path] for p in places]
        title = f"Lieux numériques : {places[0].commune_ref.nom}"
        drawings.append(Drawing(_batch_key(chosen, title), ("pdf",), _as_pdf, (flyers.batch_pdf, chosen, BATCH_SIZE, title)))
    return drawings


def _batches(directory: Directory, by_place: dict[str, flyers.Flyer], units: list[list[Place]],
             drawn: list[tuple[Drawing, dict[str, Blob]]], cache: PrintCache, printed: Printed) -> None:
    """Every batch (the département, each EPCI, each commune), in A5 pages and two per A4 sheet.

    Drawn (`drawn`): one batch per unit of `_batch_units`. Assembled from their pages: every
    published batch and sheet."""
    page_of: dict[str, Drawn] = {}
    for places, (drawing, made) in zip(units, drawn, strict=True):
        for number, place in enumerate(places):
            page_of[place.url_path] = Drawn(made["pdf"], number, drawing.key)
    cut = cut_sheet(cache)

    def assemblies(places: list[Place], title: str) -> list[Drawing]:
        """A batch's A5 pages in one file, and two per A4 sheet."""
        pages = [page_of[p.url_path] for p in places]
        publisher = by_place[places[0].url_path].content.publisher or flyers.PUBLISHER
        return [
            Drawing(_assembled_key("lot", title, pages), ("pdf",), _as_pdf,
                    (assemble.pages, [p.ref for p in pages], assemble.Meta(title, "Flyers A5 : lieux", publisher))),
            sheet_drawing(pages, title, publisher, cut),
        ]

    # Every batch missing from the store assembled at once, on every core (one by one, they
    # took minutes of a first build at 20,000 places); then each is found in memory.
    planned: list[Drawing] = []

    def plan(path: str, places: list[Place], title: str, label: str) -> Batch:
        planned.extend(assemblies(places, title))
        return Batch(label, path, len(places), "")  # only the drawings are kept

    _each_batch(directory, plan, Printed(home_url=printed.home_url, split=printed.split), cache)
    cache.draw_all(planned)

    def make(path: str, places: list[Place], title: str, label: str) -> Batch:
        data, sheets = (made["pdf"] for made in cache.draw_all(assemblies(places, title)))
        printed.files[path] = data
        printed.files[urls.sheets_of(path)] = sheets
        return Batch(label, path, len(places), size_text(data), urls.sheets_of(path), size_text(sheets))

    _each_batch(directory, make, printed, cache)
    if printed.split:
        notice = _split_notice(None, len(directory.places), printed, cache, directory.territory.named)
        printed.files[urls.ALL_PLACES_BATCH] = notice
        printed.files[urls.sheets_of(urls.ALL_PLACES_BATCH)] = notice


# Above this many places, one PDF for the whole département or an intercommunality (a batch of
# one page per place, a paper guide) is too heavy to download or print, and redrawing it for
# every correction costs most of a rebuild: its address then holds one page that leads to the
# smaller files (the intercommunalities', or the communes').
ONE_DOCUMENT_MAX = 400
# Places whose own print files (flyer, poster, sheet: about 100 KB a place) are made and held in
# memory together, before they are published by their path in the store.
PLACES_AT_ONCE = 500
NOTICE_TEXT = ("Avec {n} lieux, un seul fichier serait trop lourd à télécharger et à imprimer. Les flyers "
               "{what}sont rangés par {unit}, sur la page "
               "«\u00a0Affiches à imprimer\u00a0»\u00a0:")  # no-break spaces: no line starts with « : » or « »


def too_big_for_one(places: Sized) -> bool:
    """Whether the documents of so many places (the département's, an intercommunality's) give
    way to a notice (`ONE_DOCUMENT_MAX`)."""
    return len(places) > ONE_DOCUMENT_MAX


def _split_notice(epci: Epci | None, count: int, printed: Printed, cache: PrintCache, named: Departement) -> bytes:
    """The page that replaces a document too big for one file (its address stays valid): the
    département's (`epci` None) leads to the intercommunalities' files and guides, an
    intercommunality's to its communes' files, on the print page."""
    if epci is None:
        title, what, unit = f"Lieux numériques {named.de}\u00a0: par intercommunalité", "et les guides papier ", \
            "intercommunalité"
    else:
        title, what, unit = f"Lieux numériques : {epci.nom_long}, par commune", "", "commune"
    return notice_file(
        title, NOTICE_TEXT.format(n=french_number(count), what=what, unit=unit),
        printed.home_url + urls.PRINT, publisher_name(named), cache,
    )


def notice_file(title: str, text: str, url: str, publisher: str, cache: PrintCache) -> bytes:
    """An A5 notice leading to `url` (see `flyers.notice_pdf`), kept by content."""
    key = hashlib.sha256(json.dumps([flyers.FLYER_LAYOUT_VERSION, title, text, url, publisher],
                                    ensure_ascii=False).encode()).hexdigest()
    return cache.file(key, ".avis.pdf", lambda: flyers.notice_pdf(title, text, url, cache.modules(url), publisher))


def _each_batch(directory: Directory, make: Callable[[str, list[Place], str, str], Batch], printed: Printed,
                cache: PrintCache) -> None:
    """Call `make(path, places, title, label)` for every batch, grouped in `printed` by EPCI
    (the département's and each EPCI's only up to `ONE_DOCUMENT_MAX` places)."""
    named = directory.territory.named
    if not printed.split:
        printed.everything = make(urls.ALL_PLACES_BATCH, list(directory.places), f"Lieux numériques {named.de}",
                                  named.tout[:1].upper() + named.tout[1:])
    territory = directory.territory
    communes = directory.communes_with_places()
    in_epci: dict[str, list[Commune]] = {}
    for commune in communes:  # one pass, not one per EPCI (1,200 in France)
        if (found := territory.epci_of(commune)) is not None:
            in_epci.setdefault(found.code, []).append(commune)
    for epci in territory.epcis:
        places = directory.in_epci(epci)
        if not places:
            continue
        if too_big_for_one(places):  # its address keeps a notice; its communes' files are there
            epci_batch = None
            notice = _split_notice(epci, len(places), printed, cache, named)
            printed.files[urls.epci_batch(epci.slug)] = printed.files[urls.sheets_of(urls.epci_batch(epci.slug))] = notice
        else:
            epci_batch = make(urls.epci_batch(epci.slug), places, f"Lieux numériques : {epci.nom_long}", epci.nom_long)
        of_communes = [
            make(urls.commune_batch(c.slug), directory.in_commune(c), f"Lieux numériques : {c.nom}", c.nom)
            for c in in_epci.get(epci.code, [])
        ]
        printed.groups.append(BatchGroup(epci, epci_batch, of_communes))
    orphans = [c for c in communes if territory.epci_of(c) is None]
    if orphans:
        printed.groups.append(BatchGroup(None, None, [
            make(urls.commune_batch(c.slug), directory.in_commune(c), f"Lieux numériques : {c.nom}", c.nom)
            for c in orphans
        ]))


BOOKLET_VERSION = "2026-12-02.3"  # change when the booklet's layout changes


_Planned = tuple[str, str, str, int]  # (key in printed.booklets, href, title, places)


def _booklet_drawings(directory: Directory, views: Views, settings: Settings, by_place: dict[str, flyers.Flyer],
                      cache: PrintCache, printed: Printed) -> tuple[list[_Planned], list[Drawing]]:
    """The paper guide of each EPCI with places, and of the whole département, to draw."""
    named = directory.territory.named
    assert directory.newest_update is not None  # booklets are made only when there are places
    updated = f"Informations du {french_date(directory.newest_update)}"
    contact = f"écrivez à {settings.contact_email}" if settings.contact_email else f"voyez {settings.public_url}"
    planned: list[_Planned] = []
    drawings: list[Drawing] = []

    def plan(key_of: str, href: str, title: str, places: list[Place], url: str) -> None:
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
        key = _booklet_key(guide)
        drawings.append(Drawing(key, (BOOKLET_FILE,), _as_booklet, (guide,)))
        planned.append((key_of, href, title, len(places)))

    for epci in directory.territory.epcis:
        places = directory.in_epci(epci)
        if too_big_for_one(places):
            printed.files[urls.epci_booklet(epci.slug)] = _split_notice(epci, len(places), printed, cache, named)
        elif places:
            plan(epci.slug, urls.epci_booklet(epci.slug), epci.nom_long, places,
                 settings.public_url + urls.epci_path(epci.slug))
    if printed.split:
        printed.files[urls.DEPARTEMENT_BOOKLET] = _split_notice(None, len(directory.places), printed, cache, named)
    else:
        plan("", urls.DEPARTEMENT_BOOKLET, named.tout[:1].upper() + named.tout[1:], list(directory.places),
             settings.public_url)
    return planned, drawings


def _booklet_key(guide: booklet.Booklet) -> str:
    """The guide's texts and, per commune, its places' flyer keys (their texts and the QR codes
    of their addresses), hashed piece by piece: `repr` of a guide with thousands of places
    and their codes took hundreds of megabytes at 20,000 places."""
    digest = hashlib.sha256(json.dumps(
        [BOOKLET_VERSION, guide.title, guide.url, guide.updated, guide.contact, guide.publisher], ensure_ascii=False,
    ).encode())
    for section in guide.sections:
        keys = [flyers.flyer_key(place.content) for place in section.places]
        digest.update(json.dumps([section.title, keys], ensure_ascii=False).encode())
    return digest.hexdigest()


def _booklets(planned: list[_Planned], made: list[dict[str, Blob]], printed: Printed) -> dict[str, Blob]:
    """The guides' files by path; what the pages say of each guide into `printed`."""
    files = {}
    for (key_of, href, title, count), drawn in zip(planned, made, strict=True):
        data = files[href] = drawn[BOOKLET_FILE]
        printed._booklets[key_of] = Guide(href, title, count, booklet.page_count(bytes(data)), size_text(data))
    return files


BOOKLET_FILE = "livret.pdf"  # stored as `<key>.livret.pdf`


def _as_booklet(guide: booklet.Booklet) -> dict[str, bytes]:
    return {BOOKLET_FILE: booklet.booklet_pdf(guide)}


INSERT_VERSION = "2026-12-02.2"  # change when the insert's layout changes: cached inserts are drawn again


def insert_content(commune: Commune, directory: Directory, views: Views, public_url: str) -> inserts.InsertContent:
    """For each need some place meets: the nearest place offering it, how far, how to call."""
    ranked = directory.ranked_from(commune)
    lines = []
    for need in met_needs(directory):
        offering = ranked.offering(need.service)
        if not offering:
            continue
        found = offering[0]
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


def _insert_drawings(directory: Directory, views: Views, settings: Settings, cache: PrintCache) -> list[Drawing]:
    """Each commune's insert for the bulletin municipal, in every form (kept by content)."""
    drawings = []
    for commune in directory.territory.communes:
        content = insert_content(commune, directory, views, settings.public_url)
        key = hashlib.sha256(json.dumps([INSERT_VERSION, asdict(content)], ensure_ascii=False).encode()).hexdigest()
        drawings.append(Drawing(key, tuple(inserts.names()), inserts.insert_files, (content, cache.modules(content.url))))
    return drawings


def _inserts(communes: Sequence[Commune], made: list[dict[str, Blob]], printed: Printed) -> dict[str, Blob]:
    """The inserts' files by path; what the commune pages say of them into `printed`."""
    files = {}
    for commune, drawn in zip(communes, made, strict=True):
        folder = urls.commune_inserts(commune.slug)
        for name in inserts.names():
            files[folder + name] = drawn[name]
        printed._inserts[commune.slug] = [
            Download(f"{label} ({kind}, {size_text(drawn[name])})", folder + name, note)
            for name, label, kind, note in INSERT_DOWNLOADS
        ]
    return files


INSERT_DOWNLOADS = (  # file, label, format, what it is for
    ("encart-quart-page.pdf", "Quart de page", "PDF", "10,5 × 14,8 cm, pour un bulletin imprimé"),
    ("encart-quart-page.png", "Quart de page", "image PNG 300 dpi", "pour un logiciel de mise en page"),
    ("encart-demi-page.pdf", "Demi-page", "PDF", "21 × 14,8 cm"),
    ("encart-demi-page.png", "Demi-page", "image PNG 300 dpi", "pour un logiciel de mise en page"),
    ("encart.txt", "Texte seul", "texte", "à copier dans une lettre d’information ou sur un site"),
)


def produce(directory: Directory, views: Views, settings: Settings, cache: PrintCache) -> Printed:
    """QR codes and PDFs of every open place, the batches and the general flyer."""
    printed = Printed(home_url=settings.page_url(""), split=too_big_for_one(directory.places),
                      place_pdfs=settings.place_pdfs)
    cache.encode_all([views.of(p).public_url for p in directory.places])
    all_flyers = [flyer_of(views.of(p), cache) for p in directory.places]
    for start in range(0, len(all_flyers), PLACES_AT_ONCE):
        places, some = directory.places[start:start + PLACES_AT_ONCE], all_flyers[start:start + PLACES_AT_ONCE]
        _draw_place_flyers(some, cache, settings.place_pdfs)
        assembled: list[tuple[Blob, Blob] | None] = [*_assemble_place_prints(some, cache)] if settings.place_pdfs \
            else [None] * len(some)
        for place, flyer, pdfs in zip(places, some, assembled, strict=True):
            _place_files(views.of(place), flyer, pdfs, cache, printed)
        printed.files = cache.published(printed.files)  # these places' files by path from here on
    by_place = {p.url_path: flyer for p, flyer in zip(directory.places, all_flyers, strict=True)}

    home = printed.home_url
    printed.files[urls.HOME_QR_SVG] = cache.qr_svg_file(home)
    printed.files[urls.HOME_QR_PNG] = cache.qr_png(home)
    for path, size in ((urls.GENERAL_A5, "A5"), (urls.GENERAL_A4, "A4")):
        printed.files[path] = general_pdf(home, size, cache, met_needs(directory), directory.territory.named)
    printed.general = [
        Download(f"Flyer A5 (PDF, {size_text(printed.files[urls.GENERAL_A5])})", urls.GENERAL_A5),
        Download(f"Affiche A4 (PDF, {size_text(printed.files[urls.GENERAL_A4])})", urls.GENERAL_A4),
        Download(f"QR code seul (image PNG, {size_text(printed.files[urls.HOME_QR_PNG])})", urls.HOME_QR_PNG),
    ]
    if directory.places:
        # Nothing waits for the guides and the inserts but a few pages (the commune's and
        # intercommunality's, the print page): after a correction, the few to draw again are
        # drawn in the background while the batches are assembled and the place pages render.
        # A first build draws them now, on every core.
        planned, booklet_drawings = _booklet_drawings(directory, views, settings, by_place, cache, printed)
        communes = directory.territory.communes if settings.bulletin_inserts else []
        insert_drawings = _insert_drawings(directory, views, settings, cache) if communes else []
        # The guides first: drawn now, the longest drawings start first (a guide in the last
        # chunk would keep one core busy alone at the end).
        later = cache.draw_soon([*booklet_drawings, *insert_drawings], at_most=BACKGROUND_MAX)
        units = _batch_units(directory)
        batch_drawings = _batch_drawings(units, by_place)
        made = cache.draw_all(batch_drawings)
        _batches(directory, by_place, units, list(zip(batch_drawings, made, strict=True)), cache, printed)

        def finish() -> None:
            drawn = later()
            files = _booklets(planned, drawn[:len(booklet_drawings)], printed)
            files.update(_inserts(communes, drawn[len(booklet_drawings):], printed))
            # Published at once: `published` forgets every output it was given so far.
            printed.files.update(cache.published(files))

        printed.defer(finish)
    return printed


# Guides and inserts missing from the store up to which they are drawn in the background (a
# correction touches one guide and the inserts of a few communes around it).
BACKGROUND_MAX = 16
