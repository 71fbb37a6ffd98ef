"""MkDocs hook: adapts MkDocs events to the plain `annuaire` modules.

on_config loads and validates every record once (a single error stops the build with a French
report, before anything is written); on_files adds the generated pages. Nothing here writes
to `places/`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from dataclasses import replace

from annuaire.model import Directory, build_directory
from annuaire.output import BuildStop
from annuaire.outputs import generate_site
from annuaire.problems import errors, report
from annuaire.settings import Settings, SettingsError, load_settings
from annuaire.territory import Territory
from annuaire.validation import check_folder
from annuaire.workshop_validation import check_workshops
from annuaire.workshops import build_workshops

log = logging.getLogger("mkdocs.hooks.annuaire")
_command: str | None = None
_settings: Settings | None = None
_directory: Directory | None = None


def on_startup(command: str, dirty: bool) -> None:
    """Remember the command: under `mkdocs serve`, site_url is the local server's address."""
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _settings, _directory
    config_dir = Path(config.config_file_path).resolve().parent
    try:
        settings = load_settings(
            config.extra.get("annuaire"),
            config_dir=config_dir,
            site_url=None if _command == "serve" else config.site_url,
            repo_url=config.repo_url,
        )
    except SettingsError as error:
        raise Abort(f"Réglage du site à corriger dans mkdocs.yml :\n{error}") from None

    territory = Territory.load(settings.territory_file)
    records, problems = check_folder(settings.places_dir, territory, settings.root, settings.today)
    directory = build_directory(records, territory, settings.root) if not errors(problems) else None
    if directory is not None:
        places_by_id = {place.id: place for place in directory.places}
        workshop_records, workshop_problems = (
            check_workshops(settings.workshops_dir, places_by_id, settings.root, settings.today)
            if settings.workshops_dir else ([], [])
        )
        problems += workshop_problems
    if directory is None or errors(problems):
        raise Abort("Le site n’a pas été construit.\n" + report(problems))
    if problems:  # warnings only: shown, but they must not fail `mkdocs build --strict`
        log.info("Fiches à améliorer :\n%s", report(problems))
    workshops = build_workshops(workshop_records, places_by_id, settings.root)
    _settings = settings
    _directory = replace(directory, workshops=tuple(workshops))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _settings is not None and _directory is not None, "on_config must run first"
    try:
        site = generate_site(_directory, _settings)
    except BuildStop as stop:
        raise Abort(f"Le site n’a pas été construit.\n{stop}") from None
    for src_uri, content in site.files.items():
        if files.get_file_from_path(src_uri) is not None:
            raise Abort(f"docs/{src_uri} : ce fichier est généré à partir des fiches ; supprimez-le.")
        hidden = src_uri.endswith(".md") and src_uri not in site.in_nav
        inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
    return files
