"""A build's generated part kept by everything it is made from (`.cache/…/site/`).

When no record, reference file, setting, code file or installed library changed since the
last build (a second build in a row, `mkdocs serve` after a documentation page was edited),
the records' warnings and the generated site are read back instead of checking every record
and rendering every page again: at 1,000 places, more than half of such a build. Like the
print store, it is only a speed-up: deleting it gives the same site.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .atomic import replaced
from .build import Site
from .fingerprint import add_folders, code_digest
from .settings import Settings
from .site.finder import fuse_folder

FORM = "2"  # change when `Kept` or `Site` change shape: older kept builds are then ignored
SUFFIX = ".site.pickle"


@dataclass(frozen=True)
class Kept:
    """What a build with these inputs found and made: the records' warnings, and the site."""

    warnings: str  # the report shown to contributors ("" when no record needs improving)
    site: Site


def inputs_key(settings: Settings) -> str:
    """The sha256 of everything a build's generated part depends on.

    Every file of the records' folders, of the reference data, of this package (code,
    templates, scripts the pages load) and of the JavaScript library the site copies, the
    settings (the build date among them), the versions of every installed library, and the
    commit the ledger is compared with."""
    digest = hashlib.sha256(FORM.encode())
    digest.update(repr(settings).encode())
    add_folders(digest, [
        settings.places_dir, settings.workshops_dir, settings.territory_file.parent, settings.ledger.parent,
        settings.snapshots_dir, settings.data_dir, settings.schemas_dir,
        fuse_folder(settings.repository),  # copied into the site
    ])
    digest.update(code_digest().encode())
    if settings.ledger_base:
        digest.update(_commit(settings.ledger_base, settings.root).encode())
    return digest.hexdigest()


def _commit(revision: str, folder: Path) -> str:
    """The commit `revision` names now (a branch moves), or the revision itself outside git."""
    try:
        found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", revision + "^{commit}"],
                               cwd=folder, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return revision
    return found.stdout.strip() or revision


def _folder(settings: Settings) -> Path | None:
    return settings.cache_dir / "site" if settings.cache_dir is not None else None


def load(settings: Settings, key: str) -> Kept | None:
    """The build kept under `key`, if there is one and every file of the cache it names (print
    files, pages, data files) is still there; else None (the build checks and renders as usual)."""
    folder = _folder(settings)
    if folder is None:
        return None
    try:
        with (folder / (key + SUFFIX)).open("rb") as stream:
            kept = pickle.load(stream)  # written by `save` below, in this project's own cache
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None
    if not isinstance(kept, Kept):
        return None
    if not all(map(os.path.isfile, kept.site.stored())):
        return None
    return kept


def save(settings: Settings, key: str, kept: Kept) -> None:
    """Keep this build (atomically), and only this one: the folder holds one site, not its history."""
    folder = _folder(settings)
    if folder is None:
        return
    with replaced(folder / (key + SUFFIX)) as stream:
        pickle.dump(kept, stream, protocol=pickle.HIGHEST_PROTOCOL)
    for older in folder.glob("*" + SUFFIX):
        if older.name != key + SUFFIX:
            older.unlink(missing_ok=True)
