"""Settings of a build: where the records and reference data are, the public address, the date.

One frozen object, made once (by the MkDocs hook from `extra.annuaire` in `mkdocs.yml`, by
`scripts/validate.py` from the same file, by tests directly) and passed down: no other module
computes a path of the repository. A wrong setting is a short French sentence, not a traceback.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

# The checkout this code belongs to: its `schemas/` and `data/` folders are the contract and
# the reference data of every build. The only path computed from `__file__` in the package.
REPOSITORY = Path(__file__).resolve().parent.parent

DATE_ENV = "ANNUAIRE_DATE"  # fixes the build date (YYYY-MM-DD), so tests and rebuilds agree
CACHE_ENV = "ANNUAIRE_CACHE_DIR"  # another folder for the print cache (tests), default `.cache/flyers/`
# A git revision (`origin/main`) whose ledger of published addresses the current one must keep
# whole: set by the pull-request check, so that removing a ledger line is refused.
LEDGER_BASE_ENV = "ANNUAIRE_REGISTRE_DEPUIS"
KNOWN_KEYS = (
    "places_dir", "workshops_dir", "territory_file", "ledger_file", "public_url", "repo_url", "branch",
    "contact_email", "seuil_zone_blanche_km", "departement", "encarts_bulletin", "pdf_par_lieu",
)
DEFAULT_WHITE_ZONE_KM = 10.0
_EMAIL = re.compile(r"^[^@\s<>\"'?&]+@[^@\s<>\"'?&]+\.[A-Za-z]{2,}$")
LEDGER_NAME = Path("data") / "urls-publiees.txt"


NO_DAY = date.min  # `Settings.without_day`


class SettingsError(ValueError):
    """A setting a maintainer must fix; the message is French and names the setting."""


@dataclass(frozen=True)
class Settings:
    places_dir: Path  # absolute folder of the place records (never written by the build)
    territory_file: Path  # absolute path of `data/territoire_<département>.json`
    root: Path  # folder that record paths are shown relative to (`places/…` in edit links)
    public_url: str  # public base URL, ends with `/` (for QR codes and error reports)
    repo_url: str  # `https://github.com/owner/repo`, no trailing `/`
    branch: str
    today: date  # the build date: how old a record is, is measured from it
    workshops_dir: Path | None = None  # absolute folder of workshop records; None or missing: none
    # The ledger of published addresses; by default `data/urls-publiees.txt` beside the places
    # folder. A fixture without one checks nothing.
    ledger_file: Path | None = None
    cache_dir: Path | None = None  # content-addressed print outputs; None: no cache on disk
    repository: Path = REPOSITORY  # `schemas/` and reference `data/` come from here
    # The directory's own address: anyone can report an error or ask, without a GitHub account.
    contact_email: str | None = None
    ledger_base: str | None = None  # git revision whose ledger must be kept whole (LEDGER_BASE_ENV)
    # Beyond this straight-line distance from help, a commune is a white zone (coverage pages).
    white_zone_km: float = DEFAULT_WHITE_ZONE_KM
    # An insert per commune for the bulletin municipal (PDF and PNG, two sizes): most of a cold
    # build's time (about 40 s for 265 communes), so a test or a quick preview can go without.
    bulletin_inserts: bool = True
    # Three PDFs for each place (flyer, poster, two per sheet): 60 KB a place, 1.2 GB of a
    # 20,000-place site, over what GitHub Pages takes (1 GB). Without them, each place still has
    # its flyer to print from the browser and its QR code; communes and territories keep their
    # PDFs. The ledger refuses turning them off once published (`lieux/*/*/flyer-a5.pdf`).
    place_pdfs: bool = True
    # The version of the files pages load (styles, scripts: `fingerprint.files_version`), set
    # by the hook: their addresses end with `?v=` and it, so that a browser that kept an older
    # stylesheet asks for the new one with the first page of a new publication.
    files_version: str = ""

    @property
    def data_dir(self) -> Path:
        """Reference data: typologies, school holidays, commune positions, the national schema."""
        return self.repository / "data"

    @property
    def snapshots_dir(self) -> Path:
        """The yearly états des lieux (`data/etat-des-lieux/<année>.json`), beside the ledger."""
        return self.ledger.parent / "etat-des-lieux"

    @property
    def schemas_dir(self) -> Path:
        return self.repository / "schemas"

    @property
    def ledger(self) -> Path:
        return self.ledger_file or self.places_dir.parent / LEDGER_NAME

    def without_day(self) -> Settings:
        """These settings for an output that shows nothing of the day, given what it shows of it
        apart (a page's « il y a 1 an et 3 mois »): its key in the build's memos then stays the
        same from one night's build to the next. The day becomes `NO_DAY`, a date no output
        can show: one that reads it shows the year 1."""
        return dataclasses.replace(self, today=NO_DAY)

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


def _yes_no(extra: Mapping[str, Any], key: str) -> bool:
    """A true/false setting, true when absent."""
    value = extra.get(key, True)
    if not isinstance(value, bool):
        raise SettingsError(f"extra.annuaire.{key} : true ou false est attendu (reçu : {value!r}).")
    return value


def _https_url(key: str, value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(
            f"{key} : « {value} » n’est pas une adresse web (elle doit commencer par https://)."
        )
    return value


_DEV_HOSTS = ("localhost", "0.0.0.0")


def _is_dev_host(host: str) -> bool:
    if host in _DEV_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_private or address.is_link_local


def public_base(public_url: str) -> str:
    """`public_url` checked and ending with `/`; ValueError (French) otherwise.

    A printed QR code lives for years: it must point to the public site, never to the address
    of `mkdocs serve` (`http://127.0.0.1:8000/`) or of a machine on a local network.
    """
    parts = urlsplit(public_url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"« {public_url} » n’est pas une adresse publique (https://…)")
    if _is_dev_host(host):
        raise ValueError(
            f"« {public_url} » est l’adresse d’un serveur local : un QR code imprimé doit mener au site public"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"« {public_url} » : l’adresse de base ne doit contenir ni « ? » ni « # »")
    return public_url.strip().rstrip("/") + "/"


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


def cache_dir(env: Mapping[str, str], repository: Path = REPOSITORY) -> Path:
    """`ANNUAIRE_CACHE_DIR`, else `.cache/flyers/` of the checkout."""
    return Path(env.get(CACHE_ENV) or repository / ".cache" / "flyers")


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
    # The one setting that names the département: its territory file (communes, EPCI, name),
    # and from it the postcodes, the extent of valid coordinates and the pages' French.
    departement = str(extra.get("departement", "86")).strip()
    if not re.fullmatch(r"\d{2}|2[AB]|97\d", departement):
        raise SettingsError(f"extra.annuaire.departement : « {departement} » n’est pas un numéro de département (ex. '86').")
    default_territory = f"data/territoire_{departement}.json"
    territory_file = config_dir / (_text_setting(extra, "territory_file", default_territory) or default_territory)
    if not territory_file.is_file():
        raise SettingsError(f"extra.annuaire.territory_file : le fichier « {territory_file} » n’existe pas.")
    ledger = _text_setting(extra, "ledger_file", None)

    public_url = _text_setting(extra, "public_url", site_url)
    if not public_url:
        raise SettingsError(
            "extra.annuaire.public_url : indiquez l’adresse publique du site "
            "(par exemple https://lieux-numeriques-86.github.io/annuaire/)."
        )
    try:
        public_url = public_base(_https_url("public_url", public_url))
    except ValueError as error:
        raise SettingsError(
            f"extra.annuaire.public_url : {error}. Indiquez l’adresse publique du site (codes QR et affiches)."
        ) from None

    repo = _text_setting(extra, "repo_url", repo_url)
    if not repo:
        raise SettingsError(
            "repo_url : indiquez l’adresse du dépôt GitHub (liens « Signaler une erreur » et « Modifier cette fiche »)."
        )
    repo = _https_url("repo_url", repo).rstrip("/")
    branch = _text_setting(extra, "branch", "main") or "main"
    contact = _text_setting(extra, "contact_email", None)
    if contact is not None and not _EMAIL.match(contact):
        raise SettingsError(f"extra.annuaire.contact_email : « {contact} » n’est pas une adresse e-mail.")

    threshold = extra.get("seuil_zone_blanche_km", DEFAULT_WHITE_ZONE_KM)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 1 <= threshold <= 100:
        raise SettingsError(
            f"extra.annuaire.seuil_zone_blanche_km : un nombre de kilomètres entre 1 et 100 est attendu "
            f"(reçu : {threshold!r})."
        )

    inserts = _yes_no(extra, "encarts_bulletin")
    place_pdfs = _yes_no(extra, "pdf_par_lieu")

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
        ledger_file=(config_dir / ledger).resolve() if ledger else None,
        cache_dir=cache_dir(env),
        contact_email=contact,
        ledger_base=env.get(LEDGER_BASE_ENV, "").strip() or None,
        white_zone_km=float(threshold),
        bulletin_inserts=inserts,
        place_pdfs=place_pdfs,
    )


def settings_from_file(config_file: Path, env: Mapping[str, str] | None = None) -> Settings:
    """The settings a build of `config_file` (`mkdocs.yml`) would use, read without MkDocs:
    `scripts/validate.py` judges the records exactly as the build does."""
    try:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"{config_file} : fichier de configuration illisible ({error}).") from None
    extra = (config.get("extra") or {}).get("annuaire")
    return load_settings(
        extra, config_dir=config_file.resolve().parent, site_url=config.get("site_url"),
        repo_url=config.get("repo_url"), env=env,
    )


def display_root(folder: Path) -> Path:
    """The folder paths are shown from: the current one when `folder` is inside it (as in
    CI, run from the checkout), else the folder that holds `folder`."""
    cwd = Path.cwd().resolve()
    resolved = folder.resolve()
    return cwd if resolved.is_relative_to(cwd) else resolved.parent


def checkout_settings(
    places_dir: Path | None = None,
    *,
    today: date | None = None,
    workshops_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """The settings of this checkout's `mkdocs.yml`, for another folder of records or date:
    command-line tools judge records exactly as the build does. With `places_dir`, the
    workshops are the `ateliers/` beside it (unless given) and its own ledger applies."""
    settings = settings_from_file(REPOSITORY / "mkdocs.yml", env)
    if today is not None:
        settings = dataclasses.replace(settings, today=today)
    if places_dir is None:
        return settings
    places = places_dir.resolve()
    return dataclasses.replace(
        settings,
        places_dir=places,
        workshops_dir=(workshops_dir or places.parent / "ateliers").resolve(),
        root=display_root(places),
        ledger_file=None,
    )
