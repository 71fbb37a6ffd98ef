"""The digest of a set of folders, and of the code: what the kept build, the records' memo and
the rendered pages' memo are keyed by.

Each must notice any change of the files it depends on (a record, a reference file, the
code), and read each file once even when one listed folder lies inside another (the real
site's territory file sits in `data/`, with `data/etat-des-lieux/`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # the code, its templates and the scripts pages load


def add_folders(digest: hashlib._Hash, folders: Iterable[Path | None]) -> None:
    """Feed `digest` with the name, size and bytes of every file under `folders` (compiled
    Python left out), each file once, in a stable order."""
    listed = {f.resolve() for f in folders if f is not None}
    for folder in sorted(f for f in listed if not any(other in f.parents for other in listed)):
        digest.update(f"\0{folder}\0".encode())
        for relative, path in _files_under(str(folder)):
            with open(path, "rb") as stream:
                data = stream.read()
            digest.update(f"{relative}\0{len(data)}\0".encode())
            digest.update(data)


def _files_under(folder: str) -> list[tuple[str, str]]:
    """Every file under `folder` (links to files too, not into linked folders), as (its path
    relative to `folder`, with `/`; its path), sorted: strings, not `Path`s (at 20,000 places,
    the records' folders are listed at every build)."""
    found: list[tuple[str, str]] = []
    for top, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        prefix = os.path.relpath(top, folder).replace(os.sep, "/") + "/" if top != folder else ""
        found.extend((prefix + name, path) for name in names if os.path.isfile(path := os.path.join(top, name)))
    return sorted(found)


def code_digest() -> str:
    """The digest of the code a build runs: this package's files (templates and page scripts
    among them) and the installed libraries' versions. Computed at each call: under
    `mkdocs serve`, the code may change between two builds of the same process."""
    digest = hashlib.sha256()
    add_folders(digest, [PACKAGE])
    add_libraries(digest)
    return digest.hexdigest()


def files_version(folders: Iterable[Path | None]) -> str:
    """A short digest of what the files pages load are made from: the code (the site's own
    scripts, its templates, the theme's version) and `folders` (the site's own stylesheets, the
    theme's overrides). The theme's stylesheets are cut down to the classes the pages use
    (`site/stylesheet.py`), which the code decides; a class used for the first time by a record
    alone is not counted, and would show without its style only until the next change of code."""
    digest = hashlib.sha256(code_digest().encode())
    add_folders(digest, folders)
    return digest.hexdigest()[:12]


def versioned(address: str, version: str) -> str:
    """`address` asking for `version` of its file (`?v=`), any earlier version replaced."""
    plain = address.split("?", 1)[0]
    return f"{plain}?v={version}" if version else plain


def add_libraries(digest: hashlib._Hash) -> None:
    """Feed `digest` with the name and version of every installed library: an upgrade may
    change a message, a page or a PDF. Each once: a library is listed once per folder of
    `sys.path` it is found in, and a build's path is not a script's (MkDocs adds its own)."""
    libraries = sorted({f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()})
    digest.update("\n".join(libraries).encode())
