"""MkDocs hook: adapts MkDocs events to the plain `annuaire` core, and does nothing else.

on_config → `load_directory` (every record read and checked once; a single error stops the
build with the French report, before anything is written); on_files → `generate_site`, each
page added as a stub file and each data file as is; on_page_content → the page's HTML,
rendered by the core's templates; on_template_context → the body of `404.html`;
on_post_build → the search index of the written site. Nothing here writes to `places/`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from annuaire.build import SearchIndexError, Site, finish_site, generate_site
from annuaire.model.directory import Directory, DirectoryError, load_directory
from annuaire.problems import report
from annuaire.settings import Settings, SettingsError, load_settings
from annuaire.site.finder import MissingLibrary
from annuaire.site.linkcheck import broken_links

log = logging.getLogger("mkdocs.hooks.annuaire")


class _Build:
    """What one build keeps between events."""

    command: str | None = None
    settings: Settings | None = None
    directory: Directory | None = None
    site: Site | None = None


_build = _Build()


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: under `mkdocs serve`, site_url is the local server's address."""
    _build.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        settings = load_settings(
            config.extra.get("annuaire"),
            config_dir=Path(config.config_file_path).resolve().parent,
            site_url=None if _build.command == "serve" else config.site_url,
            repo_url=config.repo_url,
        )
    except SettingsError as error:
        raise Abort(f"Réglage du site à corriger dans mkdocs.yml :\n{error}") from None
    try:
        directory = load_directory(settings)
    except DirectoryError as error:
        raise Abort("Le site n’a pas été construit.\n" + report(error.problems)) from None
    if directory.warnings:  # shown, but they must not fail `mkdocs build --strict`
        log.info("Fiches à améliorer :\n%s", report(list(directory.warnings)))
    _build.settings, _build.directory = settings, directory
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _build.settings is not None and _build.directory is not None, "on_config must run first"
    try:
        site = generate_site(_build.directory, _build.settings)
    except MissingLibrary as error:
        raise Abort(f"Le site n’a pas été construit.\n{error}") from None
    for page in site.pages.values():
        _refuse_hand_written(files, page.src_uri)
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.src_uri, content=page.stub(), inclusion=inclusion))
    for path, content in site.files.items():
        _refuse_hand_written(files, path)
        files.append(File.generated(config, path, content=content))
    known = {f.url.removeprefix("./") for f in files} | {f.dest_uri for f in files}
    for page_path, href in broken_links(site.pages.values(), known):
        log.warning("Lien cassé dans la page générée « /%s » : %s", page_path, href)
    _build.site = site
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The HTML of a generated page comes from the core's template, not from Markdown."""
    generated = _build.site.pages.get(page.file.src_uri) if _build.site else None
    if generated is None:
        return html
    if generated.updated is not None:  # the sitemap's `lastmod`: when the data changed
        page.update_date = generated.updated.isoformat()
    return generated.html


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """`404.html` (a theme template, not a page): its body comes from the core."""
    if template_name == "404.html" and _build.site is not None:
        context["annuaire_404"] = _build.site.not_found
    return context


def on_post_build(config: MkDocsConfig) -> None:
    """The search index is made from the pages as written, so it holds exactly what is published."""
    assert _build.settings is not None, "on_config must run first"
    try:
        pages = finish_site(Path(config.site_dir), _build.settings)
    except SearchIndexError as error:
        raise Abort(f"Le site a été construit, sans sa recherche.\n{error}") from None
    log.debug("Recherche : %d pages indexées", pages)


def _refuse_hand_written(files: Files, src_uri: str) -> None:
    if files.get_file_from_path(src_uri) is not None:
        raise Abort(f"docs/{src_uri} : ce fichier est généré à partir des fiches ; supprimez-le.")
