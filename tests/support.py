"""Helpers shared by the tests that read records or build pages and sites from fixtures.

Every test reads records through the same road as the build (`load_directory`,
`check_directory`); settings and mkdocs.yml for a fixture are written here once, so a new
setting is added in one place instead of in every test module.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml

from annuaire.build import Site, generate_site
from annuaire.data.territory import Territory
from annuaire.model.directory import Directory, check_directory, load_directory
from annuaire.printing.cache import PrintCache
from annuaire.problems import Problem
from annuaire.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TERRITORY_FILE = ROOT / "data" / "territoire_86.json"
FIXTURE_PUBLIC_URL = "https://exemple.github.io/annuaire/"
FIXTURE_REPO_URL = "https://github.com/exemple/annuaire"
FIXTURE_CONTACT = "annuaire@exemple.fr"


def territory() -> Territory:
    """The Vienne, as every build reads it."""
    return Territory.load(TERRITORY_FILE)


def fixture_settings(
    root: Path,
    *,
    today: date = date(2025, 1, 15),
    places_dir: Path | None = None,
    public_url: str = FIXTURE_PUBLIC_URL,
    workshops_dir: Path | None = None,
    cache_dir: Path | None = None,
    bulletin_inserts: bool = False,
) -> Settings:
    """Settings of a fixture whose records are in `root/places` (unless `places_dir` is given).
    Without the bulletin inserts unless asked: drawn for every commune, they would make each
    fixture site cost 40 s (tests/test_inserts.py checks them on the real data)."""
    return Settings(
        places_dir=places_dir if places_dir is not None else root / "places",
        territory_file=TERRITORY_FILE,
        root=root,
        public_url=public_url,
        repo_url=FIXTURE_REPO_URL,
        branch="main",
        today=today,
        workshops_dir=workshops_dir,
        cache_dir=cache_dir,
        contact_email=FIXTURE_CONTACT,
        bulletin_inserts=bulletin_inserts,
    )


def copied_site(folder: Path) -> Settings:
    """Settings of the fixture site's records copied into `folder/places`, with a cache in
    `folder/cache`: for tests that edit records between two builds or checks."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "site" / "places", folder / "places")
    return fixture_settings(folder, cache_dir=folder / "cache")


def fixture_directory(root: Path, **settings: object) -> Directory:
    """The directory of a fixture, read as the build reads it (fails on any record error)."""
    return load_directory(fixture_settings(root, **settings))  # type: ignore[arg-type]


def fixture_problems(root: Path, **settings: object) -> list[Problem]:
    """Every problem the build would report for a fixture's records."""
    return check_directory(fixture_settings(root, **settings)).problems  # type: ignore[arg-type]


def fixture_site(directory: Directory, settings: Settings) -> Site:
    """Every generated page and file of a fixture (print outputs made in memory only)."""
    return generate_site(directory, settings, PrintCache(settings.cache_dir))


def page_text(site: Site, src_uri: str) -> str:
    """The HTML of a generated page, by its Markdown source path (`lieux/x/y.md`)."""
    return site.pages[src_uri].html


def write_mkdocs_config(
    folder: Path, places_dir: Path, workshops_dir: Path | None = None, territory_file: Path = TERRITORY_FILE,
) -> Path:
    """A mkdocs.yml inheriting the project's, with absolute paths (INHERIT resolves relative
    paths from the child file) and the given records."""
    annuaire = {"places_dir": str(places_dir), "territory_file": str(territory_file), "encarts_bulletin": False}
    if workshops_dir is not None:
        annuaire["workshops_dir"] = str(workshops_dir)
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(ROOT / "docs"),
        "site_dir": str(folder / "site"),
        "hooks": [str(ROOT / "hooks" / "directory.py")],
        "theme": {"custom_dir": str(ROOT / "overrides")},
        "extra": {"annuaire": annuaire},
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path
