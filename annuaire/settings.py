"""Settings of the site build, read from `extra.annuaire` in `mkdocs.yml`.

Kept apart from MkDocs (plain values in, a frozen dataclass out) so that a wrong setting
gives a short French sentence instead of a traceback, and tests can build settings directly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

DATE_ENV = "ANNUAIRE_DATE"  # fixes the build date (YYYY-MM-DD), so tests and rebuilds agree
KNOWN_KEYS = ("places_dir", "workshops_dir", "territory_file", "public_url", "repo_url", "branch")


class SettingsError(ValueError):
    """A setting a maintainer must fix; the message is French and names the setting."""


@dataclass(frozen=True)
class Settings:
    places_dir: Path  # absolute folder of the place records (never written by the build)
    territory_file: Path  # absolute path of `territoire_86.json`
    root: Path  # folder that record paths are relative to (`places/…` in edit links)
    public_url: str  # public base URL, ends with `/` (for QR codes and error reports)
    repo_url: str  # `https://github.com/owner/repo`, no trailing `/`
    branch: str
    today: date  # the build date: how old a record is, is measured from it
    workshops_dir: Path | None = None  # absolute folder of workshop records; None or missing: none

    def page_url(self, path: str) -> str:
        """Public URL of a site path such as `lieux/poitiers/mds/`."""
        return self.public_url + path.lstrip("/")


def _text_setting(extra: Mapping[str, Any], key: str, default: str | None) -> str | None:
    value = extra.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"extra.annuaire.{key} : une valeur texte est attendue (reçu : {value!r}).")
    return value.strip()


def _https_url(key: str, value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(
            f"{key} : « {value} » n’est pas une adresse web (elle doit commencer par https://)."
        )
    return value


def date_argument(text: str) -> date:
    """A command-line date (`--today 2025-01-15`); argparse shows the French message."""
    import argparse

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » : écrivez AAAA-MM-JJ") from None


def build_date(env: Mapping[str, str]) -> date:
    """The date given in ANNUAIRE_DATE, else today."""
    raw = env.get(DATE_ENV, "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise SettingsError(
            f"{DATE_ENV} : « {raw} » n’est pas une date ; écrivez-la AAAA-MM-JJ, par exemple 2024-08-01."
        ) from None


def load_settings(
    extra: Mapping[str, Any] | None,
    *,
    config_dir: Path,
    site_url: str | None,
    repo_url: str | None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Read `extra.annuaire`. Relative paths are relative to the folder of `mkdocs.yml`.

    `site_url` must be the public URL (the hook passes None under `mkdocs serve`, whose
    `site_url` is the local server's address): then `public_url` must be given explicitly.
    """
    extra = dict(extra or {})
    unknown = sorted(set(extra) - set(KNOWN_KEYS))
    if unknown:
        raise SettingsError(
            f"extra.annuaire : réglage inconnu « {unknown[0]} » (réglages possibles : {', '.join(KNOWN_KEYS)})."
        )
    env = os.environ if env is None else env
    config_dir = config_dir.resolve()

    places_dir = config_dir / (_text_setting(extra, "places_dir", "places") or "places")
    if not places_dir.is_dir():
        raise SettingsError(f"extra.annuaire.places_dir : le dossier des fiches « {places_dir} » n’existe pas.")
    workshops_dir = config_dir / (_text_setting(extra, "workshops_dir", "ateliers") or "ateliers")
    territory_file = config_dir / (
        _text_setting(extra, "territory_file", "data/territoire_86.json") or "data/territoire_86.json"
    )
    if not territory_file.is_file():
        raise SettingsError(f"extra.annuaire.territory_file : le fichier « {territory_file} » n’existe pas.")

    public_url = _text_setting(extra, "public_url", site_url)
    if not public_url:
        raise SettingsError(
            "extra.annuaire.public_url : indiquez l’adresse publique du site "
            "(par exemple https://lieux-numeriques-86.github.io/annuaire/)."
        )
    public_url = _https_url("public_url", public_url).rstrip("/") + "/"

    repo = _text_setting(extra, "repo_url", repo_url)
    if not repo:
        raise SettingsError(
            "repo_url : indiquez l’adresse du dépôt GitHub (liens « Signaler une erreur » et « Modifier cette fiche »)."
        )
    repo = _https_url("repo_url", repo).rstrip("/")
    branch = _text_setting(extra, "branch", "main") or "main"

    resolved = places_dir.resolve()
    # Edit links need record paths from the repository root; a places folder outside the
    # config folder (a test fixture) is taken relative to its own parent.
    root = config_dir if resolved.is_relative_to(config_dir) else resolved.parent
    return Settings(
        places_dir=resolved,
        workshops_dir=workshops_dir.resolve(),
        territory_file=territory_file.resolve(),
        root=root,
        public_url=public_url,
        repo_url=repo,
        branch=branch,
        today=build_date(env),
    )
