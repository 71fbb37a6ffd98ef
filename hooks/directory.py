"""MkDocs hook: adapts MkDocs events to the plain `annuaire` core, and does nothing else.

on_config → Python's collector set for a build (`annuaire/collector.py`, put back in
on_post_build, or on_build_error), the version of the site's files asked for after each style
and script (`?v=`), then `load_directory` (every record read and checked once, those unchanged
since the last build taken back by `annuaire/data/memo.py`; a single error stops the build with
the French report, before anything is written); on_pre_build → the last build's site set aside
before MkDocs empties the folder (`annuaire/previous_site.py`); on_files → `generate_site`, each
page added as a `_GeneratedPage` (MkDocs reads no Markdown for it; a standalone page, such as a
place's print version, as a file) and each data file linked from the cache (both read back
from `annuaire/kept.py` when nothing they depend on changed since the last build), then the last
site put back, to be written over;
on_env → the theme's templates kept compiled for the next build, and the pages no earlier
build kept wrapped by the theme on every core; on_page_context → the core's HTML wrapped by
the theme, or the same bytes kept (`annuaire/site/rendered.py`); on_post_page → what the
search index depends on in each page as written, and the classes it carries (also
on_post_template, for `404.html`), and the page linked to its kept file instead of written
again; on_template_context → the body of `404.html`; on_post_build → what the last site
published and this one does not deleted, the search index of the written site, and the
theme's stylesheets cut down to what the pages use (`annuaire/site/stylesheet.py`);
on_shutdown → the build let go of at once. Nothing here writes to `places/`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from annuaire import kept, workers
from annuaire.build import (
    SEARCH_FOLDER,
    SearchIndexError,
    Site,
    StoredFile,
    bytecode_cache,
    finish_site,
    generate_site,
    search_digest,
)
from annuaire.build import Page as CorePage
from annuaire.collector import fewer_collections
from annuaire.fingerprint import files_version, versioned
from annuaire.model.directory import Directory, DirectoryError, load_directory
from annuaire.previous_site import InPlace, publish
from annuaire.problems import report
from annuaire.settings import Settings, SettingsError, load_settings
from annuaire.site.finder import MissingLibrary, fuse_folder
from annuaire.site.linkcheck import broken_links
from annuaire.site.rendered import FORM, RenderedPages, compact, frame_digest, key, templates
from annuaire.site.stylesheet import NamesMemo, UsedNames, prune_stylesheets

log = logging.getLogger("mkdocs.hooks.annuaire")


class _Build:
    """What one build keeps between events."""

    command: str | None = None
    dirty: bool = False  # `--dirty`: pages not modified are not written again (nor seen in on_post_page)
    settings: Settings | None = None
    directory: Directory | None = None  # None when the generated part is kept from the last build
    inputs: str = ""  # digest of everything the generated part depends on (`annuaire/kept.py`)
    reused: kept.Kept | None = None  # the generated part of the last build, when nothing changed
    warnings: str = ""  # the records' warnings, as shown
    site: Site | None = None
    env: jinja2.Environment | None = None  # the theme's, to render a page not kept
    nav: Navigation | None = None  # the site's menu, for the pages rendered ahead (on_env)
    rendered: RenderedPages | None = None
    frame: str | None = None  # digest of what every page shares, once all pages are read
    dated: bool = False  # a theme template shows `page.update_date` (none does today)
    written: dict[str, bytes] = {}  # searchable page → `search_digest` of its bytes as written
    digest: Callable[[bytes], bytes | None] | None = None  # `search_digest`, for this build's cache
    in_place: InPlace | None = None  # the last build's site, written over (not under `--dirty`: MkDocs keeps it)
    files: Files | None = None  # every file of the site, to know what the last one had in excess
    linked: set[str] = set()  # generated pages published as links to their kept file, not written by MkDocs
    used: UsedNames = UsedNames()  # the classes the written pages carry, for the theme's stylesheets
    names: NamesMemo = NamesMemo(None)  # those of each page, kept for the next build
    theme_styles: list[tuple[Path, Path]] = []  # the theme's stylesheets: (source, published)
    collector: Callable[[], None] | None = None  # puts Python's collector back as before the build


_build = _Build()


class _StoreFile(File):
    """A file of the cache (a print file, or any generated file: `Site` keeps them there), hard-linked
    into the site when the disk allows it: the same bytes, without copying some 5,000 PDFs
    and writing some 2,000 other files at 1,000 places on every build; left as it is when the
    last site, put back, has it already (`annuaire/previous_site.py`)."""

    def copy_file(self, dirty: bool = False) -> None:
        source = self.abs_src_path
        assert source is not None
        found = os.stat(source)
        if not found.st_mode & 0o004:  # kept by an older store, private to its user
            os.chmod(source, 0o644)
            found = os.stat(source)
        publish(source, self.abs_dest_path, found)


class _GeneratedPage(Page):
    """A page of the core, whose HTML is rendered by the core's templates: MkDocs reads no
    Markdown for it (no Markdown parser made for each of thousands of pages), and its theme
    template is wrapped around that HTML in on_page_context."""

    def __init__(self, generated: CorePage, file: File, config: MkDocsConfig, menu_title: str | None) -> None:
        # In the menu, the label mkdocs.yml gives (as MkDocs does for the pages it makes);
        # the page's own title stays in its meta, for the browser's tab.
        super().__init__(menu_title, file, config)
        self.generated = generated
        self.kept: tuple[str, str] | None = None  # its final HTML's kept file, and that HTML (on_page_context)
        self.linked: tuple[str, str] | None = None  # where its kept file is linked, and its key (`_linked_as_kept`)
        self.key: str | None = None  # its `_page_key`, once computed (`_render_ahead`): not computed again for each page

    def _set_canonical_url(self, base: str | None) -> None:
        """As MkDocs's, without parsing the site's address again for each of 20,000 pages
        (`urljoin`, `urlsplit`: 0.4 s at each build)."""
        plain = plain_canonical_urls(base, self.url)
        if plain is None:
            super()._set_canonical_url(base)
        else:
            self.canonical_url, self.abs_url = plain

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", self.generated.meta()

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, self.toc, self._title_from_render = "", get_toc([]), None
        self.present_anchor_ids, self.links_to_anchors = set(), {}
        if self.generated.updated is not None:  # the sitemap's `lastmod`: when the data changed
            self.update_date = self.generated.updated.isoformat()
        # MkDocs holds every page until the last is written: the HTML stays in the core's page
        # (UTF-8, half the memory) and is given to the theme in on_page_context, one page at a time.
        self.meta["template"] = KEPT_TEMPLATE


def plain_canonical_urls(base: str | None, url: str) -> tuple[str, str] | None:
    """A page's (canonical_url, abs_url) as MkDocs's `Page._set_canonical_url` makes them, when
    `url` is a plain path (`lieux/x/y/`, what every generated page has): `urljoin` then only
    appends it to the site's address, parsed once per build. None for any other case."""
    if not base or not _PLAIN_PATH.fullmatch(url):
        return None
    root, path = _site_address(base)
    return (root + url, path + url) if root is not None else None


_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*/)*(?:[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*)?")


@lru_cache(maxsize=8)
def _site_address(base: str) -> tuple[str | None, str]:
    """The site's address ending with `/`, and its path; (None, "") when it has a query or a
    fragment, which a path would not simply follow."""
    root = base if base.endswith("/") else base + "/"
    parts = urlsplit(root)
    return (root, parts.path) if not parts.query and not parts.fragment else (None, "")


KEPT_TEMPLATE = "annuaire-page.html"  # overrides/: prints `annuaire_html`, nothing else
THEME_TEMPLATE = "main.html"  # the theme's page, wrapped around the core's HTML in on_page_context


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: under `mkdocs serve`, site_url is the local server's address."""
    _build.command, _build.dirty = command, dirty


def _quiet_linked_pages(record: logging.LogRecord) -> bool:
    """MkDocs says « Page skipped » of a page it was not given to write (on_post_page): not of
    those published as links, which are all there."""
    message = record.getMessage()
    if message.startswith("Page skipped: '"):
        return message.removeprefix("Page skipped: '").split("'", 1)[0] not in _build.linked
    return True


def on_build_error(error: Exception) -> None:
    """A build stopped, here or in MkDocs (`mkdocs serve` goes on running): the collector as before it."""
    workers.settle()
    _restore_collector()


def _restore_collector() -> None:
    restore, _build.collector = _build.collector, None
    if restore is not None:
        restore()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _build.collector is None:
        _build.collector = fewer_collections()
    try:
        settings = load_settings(
            config.extra.get("annuaire"),
            config_dir=Path(config.config_file_path).resolve().parent,
            site_url=None if _build.command == "serve" else config.site_url,
            repo_url=config.repo_url,
        )
    except SettingsError as error:
        raise Abort(f"Réglage du site à corriger dans mkdocs.yml :\n{error}") from None
    settings = replace(settings, files_version=_version_files(config, settings))
    _build.inputs = kept.inputs_key(settings)
    _build.reused = kept.load(settings, _build.inputs)
    if _build.reused is not None:  # nothing the generated part depends on changed since the last build
        _build.directory, warnings = None, _build.reused.warnings
    else:
        try:
            _build.directory = load_directory(settings)
        except DirectoryError as error:
            raise Abort("Le site n’a pas été construit.\n" + report(error.problems)) from None
        warnings = report(list(_build.directory.warnings)) if _build.directory.warnings else ""
    if warnings:  # shown, but they must not fail `mkdocs build --strict`
        log.info("Fiches à améliorer :\n%s", warnings)
    _build.settings, _build.warnings = settings, warnings
    _build.rendered = RenderedPages(settings.cache_dir / "pages" if settings.cache_dir else None)
    _build.frame, _build.written, _build.used, _build.linked = None, {}, UsedNames(), set()
    logging.getLogger("mkdocs.commands.build").addFilter(_quiet_linked_pages)  # added once, however many builds `serve` runs
    _build.names = NamesMemo(settings.cache_dir / "classes-des-pages.json" if settings.cache_dir else None)
    _build.digest = search_digest(settings)
    return config


def _version_files(config: MkDocsConfig, settings: Settings) -> str:
    """Every style and script a page loads asked for with the version of the files (`?v=`): the
    site's own (`extra_css`, `extra_javascript`) here, the theme's in `overrides/main.html`, the
    generated pages' in their templates. A browser that kept older ones (the offline copy)
    asks for the new ones with the first page of a new publication."""
    docs = Path(config.docs_dir)
    version = files_version([
        *{(docs / versioned(str(path), "")).parent for path in [*config.extra_css, *config.extra_javascript]},
        Path(config.theme.custom_dir) if config.theme.custom_dir else None,
        fuse_folder(settings.repository),
    ])
    config.extra_css = [versioned(path, version) for path in config.extra_css]
    for number, script in enumerate(config.extra_javascript):
        if isinstance(script, str):
            config.extra_javascript[number] = versioned(script, version)
        else:
            script.path = versioned(script.path, version)
    config.extra[THEME_VERSION] = version
    return version


THEME_VERSION = "annuaire_version"  # config.extra's key for overrides/main.html


def on_pre_build(config: MkDocsConfig) -> None:
    """The last build's site set aside before MkDocs empties the folder, put back in on_files to
    be written over (`annuaire/previous_site.py`); not under `--dirty`, where MkDocs keeps it."""
    _build.in_place = None if _build.dirty else InPlace(Path(config.site_dir), made_apart={SEARCH_FOLDER})
    if _build.in_place is not None:
        _build.in_place.set_aside()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _build.settings is not None, "on_config must run first"
    if _build.reused is not None:
        site = _build.reused.site
    else:
        assert _build.directory is not None
        try:
            site = generate_site(_build.directory, _build.settings)
        except MissingLibrary as error:
            raise Abort(f"Le site n’a pas été construit.\n{error}") from None
        # Pickling the site takes most of a second at 20,000 places: done while MkDocs writes it.
        settings, inputs, made = _build.settings, _build.inputs, kept.Kept(_build.warnings, site)
        workers.behind(lambda: kept.save(settings, inputs, made), len(site.pages))
    menu = _menu_titles(config.nav)
    for page in site.pages.values():
        _refuse_hand_written(files, page.src_uri)
        if page.standalone:  # a document of its own, published as a file: no theme around it
            continue
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, page.src_uri, content="", inclusion=inclusion)
        _GeneratedPage(page, file, config, menu.get(page.src_uri))  # becomes `file.page`: MkDocs makes no other
        files.append(file)
    for path, content in site.published().items():
        _refuse_hand_written(files, path)
        if isinstance(content, StoredFile):  # linked from the cache, never held in memory
            files.append(_StoreFile.generated(config, path, abs_src_path=str(content.path)))
        else:
            files.append(File.generated(config, path, content=content))
    known = {f.url.removeprefix("./") for f in files} | {f.dest_uri for f in files}
    passed = _build.settings.cache_dir / "liens-verifies.txt" if _build.settings.cache_dir else None
    for page_path, href in broken_links(site.pages.values(), known, passed):
        log.warning("Lien cassé dans la page générée « /%s » : %s", page_path, href)
    _build.site, _build.files = site, files
    _build.theme_styles = _theme_stylesheets(files, config)
    if _build.in_place is not None:
        _build.in_place.put_back(_written_by_mkdocs(files, config))
        _build.in_place.list_soon()
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _build.nav = nav
    return nav


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """The theme's templates, compiled once for later builds in the cache; then the generated
    pages not kept from an earlier build, wrapped by them on every core (`_render_ahead`)."""
    assert _build.settings is not None, "on_config must run first"
    cache_dir = _build.settings.cache_dir
    env.bytecode_cache = bytecode_cache(cache_dir / "theme" if cache_dir else None)
    _build.env = env
    _render_ahead(config, files)
    return env


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """A generated page's final HTML: kept from an earlier build when neither the page nor the
    site's frame changed, else rendered now with the page's own template, and kept; then linked
    into the site from where it is kept (`_linked_as_kept`), when a cache folder keeps it."""
    if not isinstance(page, _GeneratedPage):
        return context
    assert _build.rendered is not None
    if _build.frame is None:  # every page has been read: the menu's titles are known
        _build.frame, _build.dated = _frame(config, nav)
    page_key = page.key if page.key is not None else _page_key(page, _build.frame)
    linkable = _alone(config)
    if linkable and _linked_as_kept(page, page_key):
        context["annuaire_html"] = ""  # nothing for the theme to render, nor for MkDocs to write
        return context
    html = _build.rendered.get(page_key)
    if html is None:
        html = _wrapped(page, context)
        _build.rendered.put(page_key, html)
        if linkable and _linked_as_kept(page, page_key):  # kept now: linked as the others
            context["annuaire_html"] = ""
            return context
    kept_file = _build.rendered.location(page_key)
    page.kept = (kept_file, html) if kept_file is not None else None
    context["annuaire_html"] = html
    return context


def _alone(config: MkDocsConfig) -> bool:
    """No plugin but this hook changes a page's context or its written HTML."""
    return all(len(config.plugins.events[event]) == 1 for event in ("page_context", "post_page"))


def _linked_as_kept(page: _GeneratedPage, page_key: str) -> bool:
    """The page's final HTML, kept by an earlier build, linked where MkDocs would write it, and
    never read: at 20,000 places, 600 MB of HTML read, rendered through the theme's template,
    encoded and hashed again at each build only to be found equal. False when it is not kept."""
    assert _build.rendered is not None
    kept_file = _build.rendered.used(page_key)
    if kept_file is None:
        return False
    target = page.file.abs_dest_path
    try:
        publish(kept_file, target)
    except FileNotFoundError:  # never kept, or deleted by a build beside this one: rendered now
        return False
    page.linked = (target, page_key)
    return True


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """What the search index depends on in this page, from the bytes MkDocs writes (the site is
    then not read back to find out), kept by page for the next build."""
    if isinstance(page, _GeneratedPage) and page.linked is not None:
        return _linked_page(page)
    if not output.strip():
        return output
    written = output.encode("utf-8", errors="xmlcharrefreplace")
    sha256 = hashlib.sha256(written).hexdigest()  # both memos below keep what they read by it
    rendered = _build.rendered
    assert _build.digest is not None, "on_config must run first"
    digest = rendered.search_digest(written, _build.digest, sha256) if rendered is not None else _build.digest(written)
    if digest is not None:
        _build.written[page.file.dest_uri] = digest
    _build.used.add(_build.names.of(written, sha256))
    target = Path(page.file.abs_dest_path)
    kept = None
    if isinstance(page, _GeneratedPage):  # MkDocs holds every page until the last: not its HTML
        kept, page.kept = page.kept, None
    if kept is not None and output == kept[1]:  # the kept file holds these very bytes: linked, not written
        try:
            publish(kept[0], target)
        except FileNotFoundError:  # the kept file was deleted meanwhile: MkDocs writes the page
            pass
        else:
            _build.linked.add(page.file.src_uri)
            return ""
    target.unlink(missing_ok=True)  # MkDocs writes into what is there: a link to a kept file would be altered
    return output


def _linked_page(page: _GeneratedPage) -> str:
    """on_post_page for a page linked as kept (`_linked_as_kept`): its memos are asked by the
    page's key, which only its bytes have, and read it only if they lack it."""
    assert page.linked is not None and _build.rendered is not None and _build.digest is not None
    (target, page_key), page.linked = page.linked, None

    def read() -> bytes:
        with open(target, "rb") as stream:
            return stream.read()

    digest = _build.rendered.search_digest(read, _build.digest, page_key)
    if digest is not None:
        _build.written[page.file.dest_uri] = digest
    _build.used.add(_build.names.of(read, page_key))
    _build.linked.add(page.file.src_uri)
    return ""


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """`404.html` is a page too: its classes count for the theme's stylesheets."""
    if template_name.endswith(".html"):
        _build.used.add_page(output_content.encode("utf-8", errors="xmlcharrefreplace"))
    return output_content


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """`404.html` (a theme template, not a page): its body comes from the core."""
    if template_name == "404.html" and _build.site is not None:
        context["annuaire_404"] = _build.site.not_found
    return context


def on_post_build(config: MkDocsConfig) -> None:
    """The search index is made from the pages as written, so it holds exactly what is published."""
    assert _build.settings is not None, "on_config must run first"
    workers.settle()  # the memos kept behind the build, before anything can stop it or the next one reads them
    if _build.in_place is not None and _build.files is not None:  # what the last site had in excess, before indexing
        removed = _build.in_place.remove_stale(_published(_build.files, config))
        log.debug("Site précédent : %d fichiers qui ne sont plus publiés supprimés", removed)
    try:
        # Under --dirty, pages not modified are not written again: their digests are read back.
        pages = finish_site(Path(config.site_dir), _build.settings, None if _build.dirty else _build.written)
    except SearchIndexError as error:
        raise Abort(f"Le site a été construit, sans sa recherche.\n{error}") from None
    log.debug("Recherche : %d pages indexées", pages)
    # Under --dirty the pages not written again were not seen: the stylesheets stay whole.
    site_dir = Path(config.site_dir)
    own = [site_dir / path for path in config.extra_css if "://" not in str(path)]
    saved = prune_stylesheets(_build.theme_styles, None if _build.dirty else _build.used, site_dir, own)
    if not _build.dirty:
        _build.names.save()
    log.debug("Styles du thème : %d octets de règles qu’aucune page n’utilise retirés", saved)
    if _build.rendered is not None:
        _build.rendered.forget_unused()
    if _build.command != "build":  # `mkdocs build` ends with on_shutdown, which puts it back
        _restore_collector()


def on_shutdown() -> None:
    """Let go of the build once MkDocs is done with it: its files and pages hold one another (a
    cycle each), so at 20,000 places Python's exit met some 300,000 objects only its collector
    could free, 1.3 s after the site was written. With each file's page unlinked, everything
    the build held goes with its last reference, in a tenth of that. Under `mkdocs build`, the
    collector is put back only now: put back after the last page, its first full pass walked
    the whole build a last time (0.4 s at 20,000 places) just before the build was let go."""
    for file in _build.files or ():
        file.page = None
    _restore_collector()
    vars(_build).clear()  # every field back to its class default, as before a first build


def _written_by_mkdocs(files: Files, config: MkDocsConfig) -> list[Path]:
    """The files MkDocs itself copies or renders into the site: the theme's, those of `docs/`,
    the theme's own templates (sitemap, 404) — all but the generated ones."""
    site_dir = Path(config.site_dir)
    copied = [Path(f.abs_dest_path) for f in files
              if not isinstance(f, _StoreFile) and not isinstance(f.page, _GeneratedPage)]
    return copied + [site_dir / name for name in _templates_written(config)]


def _published(files: Files, config: MkDocsConfig) -> set[str]:
    """Every path of the site this build writes, relative to the site folder."""
    return {f.dest_uri for f in files} | set(_templates_written(config))


def _templates_written(config: MkDocsConfig) -> list[str]:
    names = [*config.theme.static_templates, *config.extra_templates]
    return names + [f"{name}.gz" for name in names if name == "sitemap.xml"]  # MkDocs gzips the sitemap too


def _page_key(page: _GeneratedPage, frame: str) -> str:
    """What a generated page's final HTML is kept by: the frame, and all the theme reads of it."""
    return key(frame, [
        page.file.src_uri, THEME_TEMPLATE, page.url, page.title or "", repr(sorted(page.meta.items())),
        page.generated.sha256, repr(_toc(page.toc)), page.canonical_url or "", page.edit_url or "",
        # The data's date only feeds the sitemap: one changed record must not wrap every list again.
        str(page.update_date) if _build.dated else "",
    ])


def _wrapped(page: _GeneratedPage, context: Mapping[str, Any]) -> str:
    """The page's HTML inside the theme's header, menu and footer."""
    assert _build.env is not None
    page.content = page.generated.html  # what the theme's templates show, for this page only
    try:
        return compact(_build.env.get_template(THEME_TEMPLATE).render(context))
    finally:
        page.content = ""


def _render_ahead(config: MkDocsConfig, files: Files) -> None:
    """Wrap the generated pages that no earlier build kept on every core, before MkDocs writes
    the pages one by one and finds them kept: the theme's templates are most of the time a
    first build spends on its pages. Each is also read for the search index as it will be
    written. Only when pages are kept (a cache folder) and no plugin changes a page's context
    (the workers run this hook's part of `page_context` alone)."""
    rendered, nav, digest = _build.rendered, _build.nav, _build.digest
    if rendered is None or not rendered.keeps or nav is None or digest is None \
            or len(config.plugins.events["page_context"]) > 1:
        return
    _build.frame, _build.dated = _frame(config, nav)
    doc_files = files.documentation_pages()
    missing = []
    for file in doc_files:
        if isinstance(page := file.page, _GeneratedPage):
            page.key = _page_key(page, _build.frame)  # the same in on_page_context: nothing it reads changes meanwhile
            if not rendered.has(page.key):
                missing.append((page, page.key))

    def render(item: tuple[_GeneratedPage, str]) -> None:
        page, page_key = item
        page.active = True  # as MkDocs does: the menu shows where the reader is
        try:
            html = _wrapped(page, get_context(nav, doc_files, config, page))
        finally:
            page.active = False
        rendered.put(page_key, html)
        rendered.search_digest(html.encode("utf-8", errors="xmlcharrefreplace"), digest, page_key)  # as `_linked_page`

    for _ in workers.each(render, missing):
        pass


def _frame(config: MkDocsConfig, nav: Navigation) -> tuple[str, bool]:
    """What the theme puts around every page: the site's settings, its menu (titles and
    addresses), the template files and the versions of MkDocs and of the theme; and whether a
    template shows a page's date."""
    settings = [
        FORM, version("mkdocs"), version("mkdocs-material"), repr(sorted(dict(config.theme).items())),
        *(repr(config.get(name)) for name in (
            "site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
            "edit_uri", "extra", "extra_css", "extra_javascript", "use_directory_urls", "nav", "dev_addr",
        )),
        repr(_menu(nav.items)),
    ]
    files = templates(Path(folder) for folder in config.theme.dirs)
    return frame_digest(settings, files), any(b"update_date" in content for _name, content in files)


def _theme_stylesheets(files: Files, config: MkDocsConfig) -> list[tuple[Path, Path]]:
    """The theme's stylesheets as MkDocs copies them (`annuaire/site/stylesheet.py` cuts them down)."""
    themes = [Path(folder).resolve() for folder in config.theme.dirs]
    found = []
    for file in files:
        if file.src_uri.startswith("assets/stylesheets/") and file.src_uri.endswith(".css") and file.abs_src_path:
            source = Path(file.abs_src_path).resolve()
            if any(source.is_relative_to(theme) for theme in themes):
                found.append((source, Path(file.abs_dest_path)))
    return found


def _toc(items: Iterable) -> list:
    return [(item.title, item.url, item.level, _toc(item.children)) for item in items]


def _menu(items: list) -> list:
    return [(item.title, getattr(item, "url", None), _menu(getattr(item, "children", None) or [])) for item in items]


def _menu_titles(items: list | None) -> dict[str, str]:
    """Source path → label, for the pages `nav` of mkdocs.yml names with a label."""
    titles: dict[str, str] = {}
    for item in items or []:
        for label, value in item.items() if isinstance(item, dict) else ():
            if isinstance(value, list):
                titles.update(_menu_titles(value))
            elif isinstance(value, str):
                titles[value] = label
    return titles


def _refuse_hand_written(files: Files, src_uri: str) -> None:
    if src_uri in files.src_uris:  # a generated path is already POSIX: no `PurePath` made for each of 80,000
        raise Abort(f"docs/{src_uri} : ce fichier est généré à partir des fiches ; supprimez-le.")
