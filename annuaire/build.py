"""Everything a build publishes, from a directory: `generate_site(directory, settings, cache)`.

The road, in order: the views of every place are prepared once (`views.prepare`; those of
unchanged places given back by `view_memo.py`); the print files are made (their sizes are shown
on pages) while the data's health and the yearly report are made beside them (`_upkeep`);
workshop sessions are computed; then every page is rendered from templates and every
data file is written. The MkDocs hook only adds the
result to the site. A new kind of page or file is one more line in `generate_site`. Once the
site is written, `finish_site` indexes it for search.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from . import workers
from .data.outlines import Ring, load_outlines, outlines_file
from .data.territory import Departement, Epci
from .digests import Digests
from .distance_memo import DistanceMemo
from .exports import calendars, geodata
from .fingerprint import add_folders, code_digest, versioned
from .model.coverage import Coverage
from .model.directory import Directory
from .model.quality import Health, health, health_by_epci
from .model.stocktaking import changes, previous_snapshot, take_snapshot
from .printing import produce as printing
from .printing.cache import SWEEP_EVERY_S, Blob, Drawing, FileContent, PrintCache, Store
from .printing.cache import StoredFile as StoredFile  # files the hook copies from the store
from .printing.call_sheets import call_sheet_key, call_sheet_pdf
from .printing.stocktaking import Report, report_pdf
from .settings import Settings
from .site import agenda, embeds, finder, maps, open_data, print_pages, quality, redirects, search
from .site.coverage import REPORT_PDF, CoveragePages, coverage_missing
from .site.page_memo import PageMemo
from .site.pages import DirectoryPages, verify_url
from .site.search import SearchIndexError as SearchIndexError  # raised by finish_site
from .site.templating import Page as Page  # a generated page, which the hook gives MkDocs
from .site.templating import Templates, environment
from .site.templating import bytecode_cache as bytecode_cache  # the theme's templates, kept compiled by the hook
from .text import french_number
from .view_memo import ViewMemo
from .views import publisher_name


@dataclass
class Site:
    """The generated part of the site: pages (by Markdown source) and files (by site path).

    With a `store`, each page and file is kept in the build's cache as soon as it is made, and
    the site holds its address, not its bytes: at 20,000 places the pages alone would hold some
    600 MB until MkDocs writes them, and MkDocs, which empties the site folder at each build,
    then links the files instead of writing them (creating thousands of files in a fresh folder
    tree costs tens of times more than linking them: 0.4 ms against 6 µs a file here)."""

    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, FileContent] = field(default_factory=dict)  # StoredFile: linked from the cache
    not_found: str = ""  # the body of `404.html`, which the theme renders around it
    store: Store = field(default_factory=lambda: Store(None), repr=False, compare=False)

    def add_pages(self, pages: Iterable[Page]) -> None:
        """Add pages, one at a time: given a generator, the build never holds them all in memory."""
        for page in pages:
            if page.src_uri in self.pages:  # two outputs claiming a path: a programming error
                raise ValueError(f"page générée deux fois : {page.src_uri}")
            self.pages[page.src_uri] = self._kept_page(page)

    def made_each(self, make: Callable[[Any], Page], items: Sequence[Any]) -> Iterator[Page]:
        """`make(item)` for every item, in order, on every core: each page is kept in the cache
        by the process that rendered it, and only its address comes back."""
        return workers.each(lambda item: self._kept_page(make(item)), items)

    def files_made_each(
        self, make: Callable[[Any], Sequence[tuple[str, FileContent]]], items: Sequence[Any],
    ) -> Iterator[list[tuple[str, FileContent]]]:
        """`make(item)` (files by path) for every item, in order, on every core: each file is kept
        in the cache by the process that made it, and only its address comes back."""
        return workers.each(lambda item: [(path, self._kept_file(path, c)) for path, c in make(item)], items)

    def made_soon(
        self, make: Callable[[], tuple[Iterable[Page], Mapping[str, FileContent]]],
    ) -> Callable[[], tuple[list[Page], dict[str, FileContent]]]:
        """`make()`'s pages and files made in a background process (`workers.soon`), which
        keeps them in the cache: only their addresses come back. Without a cache (pages would
        come back whole), made here when they are asked for."""
        def kept() -> tuple[list[Page], dict[str, FileContent]]:
            pages, files = make()
            return [self._kept_page(page) for page in pages], \
                {path: self._kept_file(path, content) for path, content in files.items()}

        return workers.soon(kept) if self.store.folder is not None else kept

    def add_files(self, files: Mapping[str, FileContent] | Iterable[tuple[str, FileContent]]) -> None:
        """Add files by path; given pairs one at a time, the build never holds them all in memory."""
        for path, content in files.items() if isinstance(files, Mapping) else files:
            if path in self.files:  # two outputs claiming a path: a programming error
                raise ValueError(f"fichier généré deux fois : {path}")
            self.files[path] = self._kept_file(path, content)

    def published(self) -> dict[str, FileContent]:
        """Every file the site publishes as it is: the generated files, and the pages that are
        whole documents (a place's print version), by the path of their file."""
        out = dict(self.files)
        for page in self.pages.values():
            if page.standalone:
                if page.file_path in out:
                    raise ValueError(f"fichier généré deux fois : {page.file_path}")
                out[page.file_path] = page.body
        return out

    def stored(self) -> set[str]:
        """The cache's files this site is made of."""
        contents = [*self.files.values(), *(page.body for page in self.pages.values())]
        return {content.path for content in contents if isinstance(content, StoredFile)}

    def forget_older(self, every_s: float = SWEEP_EVERY_S) -> None:
        """Empty the cache of the files of earlier sites that no build used within a day (a
        build on the same checkout, `mkdocs serve` beside `mkdocs build`, may be about to use
        them); at most once every `every_s` seconds (`Store.forget_all_but`)."""
        if self.store.sweep_due(every_s):  # the site's 100,000 files are not listed for nothing
            self.store.forget_all_but(self.stored())

    def _kept_page(self, page: Page) -> Page:
        kept = self._kept(page.body, ".html") if isinstance(page.body, bytes) else None
        return replace(page, body=kept) if kept is not None else page

    def _kept_file(self, path: str, content: FileContent) -> FileContent:
        if isinstance(content, StoredFile):
            return content
        data = content.encode("utf-8") if isinstance(content, str) else content
        return self._kept(data, PurePosixPath(path).suffix) or content

    def _kept(self, data: bytes, suffix: str) -> StoredFile | None:
        """`data` as a file of the cache, kept under its sha256; None without a cache folder."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.store.keep(data, suffix, digest)
        return StoredFile(path, len(data), digest) if path is not None else None


def generate_site(directory: Directory, settings: Settings, cache: PrintCache | None = None) -> Site:
    """Every generated page and file of `directory`."""
    cache = cache or PrintCache(settings.cache_dir)
    published = Store(settings.cache_dir / "publies" if settings.cache_dir else None)
    site = Site(store=published)
    digests, code = Digests(), code_digest()  # the records' digests, shared by the memos and inherited by forked processes
    # Distances need a point per commune (`scripts/import_commune_outlines.py`): without them,
    # no white zone is claimed, and the coverage page says what is missing.
    covered, shown = None, ""
    if directory.territory.has_positions:
        distances = DistanceMemo(settings.cache_dir / "distances" if settings.cache_dir else None, code)
        covered = distances.coverage(directory.places, directory.territory, settings.white_zone_km)
        shown = _coverage_shown(directory, settings, distances.coverage_key)
        distances.rank_communes(directory)  # before the pages' processes, which inherit them
    # The open data files (at 20,000 places 60 MB, two seconds) are written on the second core
    # while this one prepares the views and the print files.
    data_soon = site.made_soon(lambda: ([], {**open_data.files(directory, covered), **geodata.files(directory, settings)}))
    for place in (*directory.places, *directory.closed):  # known from the records as read: not digested field by field
        if (known := directory.place_keys.get(place.file)) is not None:
            digests.remember(place, known)
    kept_views = ViewMemo(settings.cache_dir / "vues" if settings.cache_dir else None, digests, code)
    views = kept_views.prepare(directory, settings)
    kept_views.save_behind()
    named = directory.territory.named
    env = environment(settings.cache_dir / "templates" if settings.cache_dir else None)
    env.globals["dep"] = named  # « dans la Vienne », « des Deux-Sèvres »…
    env.globals["version"] = versioned("", settings.files_version)  # after a style's or script's address
    if settings.cache_dir is not None:  # a page whose context did not change is not rendered again
        env.memo = PageMemo(settings.cache_dir / "rendus", published, code, digests)
    newest = max((p.date_maj for p in directory.places + directory.closed), default=settings.today)
    outlines, outlines_sha256 = load_outlines(outlines_file(settings.territory_file))
    env.globals["carte"] = partial(maps.draw_content, outlines)  # a map's SVG, drawn as its page is rendered
    # The data's health (its pages, the call sheets) and the yearly report depend on nothing
    # else this build makes: made on the second core while this one makes the print files.
    upkeep_soon = site.made_soon(partial(_upkeep, directory, settings, env, cache, covered, shown, outlines, newest))
    printed = printing.produce(directory, views, settings, cache)  # guides and inserts may still be drawing
    printed.files = cache.published(printed.files)  # by path from here: the pages need only sizes
    sessions = agenda.Sessions(directory.workshops, settings.today)
    cover = CoveragePages(env, covered, outlines, directory.places, REPORT_PDF, directory.territory.named,
                          outlines_sha256) if covered else None
    if cover is not None:  # its pages are found by what they show, without making their contexts (7 s nationally)
        digests.known_as(cover, f"pages de la couverture {shown}")

    directory_pages = DirectoryPages(env, directory, views, settings, printed, sessions, cover)
    # Pages in the order of the sitemap and the search index, kept in the cache as they are made.
    site.add_pages(directory_pages.all(each=site.made_each))
    site.not_found = directory_pages.not_found()
    site.add_pages(agenda.AgendaPages(env, directory, settings, sessions).all())
    site.add_pages(site.made_each(lambda p: print_pages.place_print_page(env, p, views, printed), directory.places))
    site.add_pages(directory_pages.closed_place(p) for p in directory.closed)
    site.add_pages([print_pages.print_index(env, printed)])
    _, data_files = data_soon()
    site.add_pages(finder.pages(env, directory, views, _version_of(data_files[geodata.GEOJSON])))
    site.add_pages([search.page(env)])
    site.add_pages([open_data.page(env, directory, settings, data_files)])
    site.add_pages(cover.all() if cover else [coverage_missing(env)])
    site.add_pages(embeds.pages(env, directory, settings))
    upkeep_pages, upkeep_files = upkeep_soon()
    site.add_pages(upkeep_pages)
    for src_uri, page in site.pages.items():  # a list changes when one of its records does
        if page.updated is None:
            site.pages[src_uri] = replace(page, updated=newest)

    printed.finish()  # the guides and inserts drawn in the background, if the pages did not wait for them
    site.add_files(printed.files)
    site.add_files(redirects.redirect_pages(directory.redirects))
    site.add_files(redirects.redirect_files(directory.redirects, printed.files))
    site.add_files(data_files)
    site.add_files(upkeep_files)
    site.add_files(calendars.feeds(
        list(directory.workshops), directory.territory, calendars.stamp(settings.today), settings.public_url
    ))
    site.add_files(finder.vendor_files(settings.repository))
    site.add_files(finder.static_files())
    site.add_files(embeds.files(env, directory, views, settings, each=site.files_made_each))
    if site.store.sweep_due(SWEEP_EVERY_S) or (env.memo is not None and env.memo.sweep_due()):
        # Once an hour, so at every nightly publication: asking the disk about every file of the
        # stores took 2 to 4 s at 20,000 places. Done in another process while MkDocs writes the site.
        workers.behind(partial(_sweep, site, env.memo), len(site.pages))
    # The memo holds every record and view of the build (`Digests`), and Jinja's templates hold
    # their environment in a cycle: let go now, they are freed at once, not by the collector's
    # pass after the build (at 20,000 places, half a million objects).
    env.memo = None
    return site


def _upkeep(
    directory: Directory, settings: Settings, env: Templates, cache: PrintCache, covered: Coverage | None, shown: str,
    outlines: dict[str, tuple[Ring, ...]], newest: date,
) -> tuple[list[Page], dict[str, FileContent]]:
    """What coordinators keep the data true with: the data's health pages and call sheets, and
    the yearly état des lieux (when white zones can be measured)."""
    named = directory.territory.named
    everything = health(named.tout[:1].upper() + named.tout[1:], directory.places, settings.today)
    by_epci = health_by_epci(directory.places, directory.territory.epcis, settings.today)
    split = printing.too_big_for_one(directory.places)
    files = cache.published(_call_sheets(everything, by_epci, settings, named, cache, split)())
    pages = quality.pages(env, everything, by_epci, files, verify_url(None, settings), split=split)
    if covered is not None:
        files[REPORT_PDF] = _stocktaking(directory, settings, cache, covered, shown, outlines, newest)
    return pages, files


def _sweep(site: Site, memo: PageMemo | None) -> None:
    """The files of the stores no build used within a day deleted (`Site.forget_older`,
    `PageMemo.forget_unused`)."""
    site.forget_older()
    if memo is not None:
        memo.forget_unused()


SEARCH_FOLDER = search.BUNDLE  # the search index's folder in the site, made whole by `finish_site`


def search_digest(settings: Settings) -> Callable[[bytes], bytes | None]:
    """What `finish_site` needs of each written page (`search.page_digest`), keeping what the
    search indexer is given of it in the cache: indexing then links it instead of making it again."""
    return partial(search.page_digest, given=search.given_store(settings.cache_dir))


def finish_site(site_dir: Path, settings: Settings, written: dict[str, bytes] | None = None) -> int:
    """What is made from the site once written: its search index, so that it holds exactly the
    published pages (kept beside the print store: unchanged pages are not indexed again).
    `written`: each written page's `search_digest` by path, when the caller saw every page
    written (else the site is read back). Returns the number of pages indexed; raises
    `SearchIndexError`."""
    return search.index_site(site_dir, settings.cache_dir, written)


def _version_of(content: FileContent) -> str:
    """A short digest of a file's bytes: asked for with it (`?v=`), it is never taken from an
    older copy a browser kept."""
    if isinstance(content, StoredFile) and content.sha256:
        return content.sha256[:12]
    data = bytes(content) if not isinstance(content, str) else content.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:12]


def _stocktaking(
    directory: Directory, settings: Settings, cache: PrintCache, covered: Coverage, shown: str,
    outlines: dict[str, tuple[Ring, ...]], newest: date,
) -> Blob:
    """The yearly état des lieux PDF: this year's figures against the last yearly snapshot.
    Drawn again only when what it prints changed (`shown`, the day, the newest record's date,
    the closed places, the comparison): a corrected phone number redrew it (6 s nationally)."""
    year = settings.today.year
    now = take_snapshot(directory, covered, settings.today)
    report = Report(
        year=year,
        today=settings.today,
        data_until=newest,
        coverage=covered,
        places=directory.places,
        closed_this_year=[p for p in directory.closed if p.date_fermeture and p.date_fermeture.year == year],
        outlines=outlines,
        changes=changes(now, previous_snapshot(settings.snapshots_dir, year)),
        site_url=settings.public_url,
        named=directory.territory.named,
    )
    printed = (shown, year, report.today, newest, [(p.nom, p.commune_ref.nom, p.date_fermeture)
               for p in report.closed_this_year], report.changes, report.site_url, report.named)
    return cache.blob(hashlib.sha256(repr(printed).encode()).hexdigest(), ".etat-des-lieux.pdf",
                      lambda: report_pdf(report))


def _coverage_shown(directory: Directory, settings: Settings, coverage_key: str) -> str:
    """The digest of everything the coverage pages and the état des lieux show of the coverage:
    what it is computed from (`coverage_key`, with this code), its threshold, what they say of
    each place (its page, its commune, its EPCI) and the territory's files (names, populations,
    EPCIs, outlines). A changed phone number leaves it as it was. A field of a place that these
    pages start to show must be added here, or its corrections would not reach them."""
    digest = hashlib.sha256(repr((coverage_key, settings.white_zone_km, [
        (p.url_path, p.commune_ref.nom, p.epci_ref.code if p.epci_ref else None) for p in directory.places
    ])).encode())
    add_folders(digest, [settings.territory_file.parent])
    return digest.hexdigest()


def _call_sheets(
    everything: Health, by_epci: list[tuple[Epci, Health]], settings: Settings, named: Departement, cache: PrintCache,
    split: bool,
) -> Callable[[], dict[str, Blob]]:
    """One call sheet per EPCI and one for the département (data-health page), drawn again
    only when the places they list changed (not each day: see `call_sheet_key`), the missing
    ones in the background (the returned function waits for them).
    When `split` (above `ONE_DOCUMENT_MAX` places), the département's address holds a notice: nobody
    calls a thousand places from one sheet, and it cost as much as all the others together."""
    publisher = publisher_name(named)
    sheets = [(quality.call_sheet_path(epci), sheet) for epci, sheet in by_epci]
    made: dict[str, Blob] = {}
    if split:
        made[quality.call_sheet_path(None)] = printing.notice_file(
            f"Fiches d’appels {named.de}\u00a0: par intercommunalité",
            CALL_SHEETS_SPLIT.format(n=french_number(len(everything.places))),
            settings.page_url(quality.FOLDER), publisher, cache,
        )
    else:
        sheets.insert(0, (quality.call_sheet_path(None), everything))
    drawings = [
        Drawing(call_sheet_key(sheet, settings.public_url, publisher), (CALL_SHEET_FILE,),
                _call_sheet, (sheet, settings.today, settings.public_url, publisher))
        for _path, sheet in sheets
    ]
    drawn = cache.draw_soon(drawings)

    def result() -> dict[str, Blob]:
        for (path, _sheet), files in zip(sheets, drawn(), strict=True):
            made[path] = files[CALL_SHEET_FILE]
        return made

    return result


CALL_SHEETS_SPLIT = ("Avec {n} lieux, une seule fiche serait trop longue à imprimer. Chaque intercommunalité "
                     "a la sienne, sur la page «\u00a0Qualité des données\u00a0»\u00a0:")
CALL_SHEET_FILE = "appels.pdf"  # stored as `<key>.appels.pdf`


def _call_sheet(sheet: Health, today: date, site_url: str, publisher: str) -> dict[str, bytes]:
    return {CALL_SHEET_FILE: call_sheet_pdf(sheet, today, site_url, publisher)}
