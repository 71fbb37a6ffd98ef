"""The last build's site, written over instead of made again.

MkDocs empties the site folder at the start of every build and then creates every folder and
file again: at 20,000 places some 100,000 files in 20,000 folders, about twelve seconds of a
build where one phone number changed, and five of a build where nothing did. The last site is
set aside before MkDocs empties the folder and put back after (`InPlace`): a file that is
already the right kept file of the build's cache (every generated page and file of the site is
a hard link to one) is left as it is (`publish`), the others are replaced, and what this build
no longer publishes is deleted at the end (`remove_stale`), so the folder holds exactly what a
build into an empty folder writes. Like MkDocs, it leaves what starts with a dot (a `.git`
folder, `.nojekyll`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Set
from pathlib import Path

from .printing.cache import link_or_copy
from .workers import soon

ASIDE = ".site-precedent"  # hidden: MkDocs leaves it when it empties the site folder


class InPlace:
    """The last site, written over instead of made again (see the module's docstring).

    The order is MkDocs': `set_aside` before it empties the folder, `put_back` once it has,
    before anything is written, then `list_soon`; `publish` for each kept file; `remove_stale`
    once every file is written."""

    def __init__(self, site_dir: Path, made_apart: Set[str] = frozenset()) -> None:
        """`made_apart`: top folders remade whole by their own step (the search index), which
        `remove_stale` leaves as they are."""
        self.site_dir = site_dir
        self.made_apart = made_apart
        self._listed: Callable[[], tuple[list[str], list[str]]] | None = None  # `list_soon`

    def set_aside(self) -> None:
        """What MkDocs would delete moved into the hidden `ASIDE` folder (what a stopped build
        left there is deleted first)."""
        aside = self.site_dir / ASIDE
        shutil.rmtree(aside, ignore_errors=True)
        entries = [name for name in os.listdir(self.site_dir) if not name.startswith(".")] \
            if self.site_dir.is_dir() else []
        if entries:
            aside.mkdir()
            for name in entries:
                os.replace(self.site_dir / name, aside / name)

    def put_back(self, written_by_mkdocs: Iterable[Path]) -> None:
        """The last site back in the folder. The files MkDocs writes itself (the theme's files,
        the Markdown pages, the sitemap) are deleted first: MkDocs writes into a file that
        exists, and a file of the last site may be a link to a kept file, which it would alter."""
        aside = self.site_dir / ASIDE
        if not aside.is_dir():
            return
        for name in os.listdir(aside):
            target = self.site_dir / name
            if target.exists() or target.is_symlink():  # written meanwhile: the new one wins
                _delete(aside / name)
            else:
                os.replace(aside / name, target)
        shutil.rmtree(aside, ignore_errors=True)
        for path in written_by_mkdocs:
            _delete(path)

    def list_soon(self) -> None:
        """Begin listing the folder in a background process (`workers.soon`), for `remove_stale`:
        at 20,000 places, walking its 40,000 folders took most of a second at the end of the
        build, while the second core waited for MkDocs to write the pages. Call it once the last
        site is back (`put_back`): what the build writes afterwards is published, never stale."""
        site_dir, made_apart = str(self.site_dir), self.made_apart
        self._listed = soon(lambda: _listing(site_dir, made_apart))

    def remove_stale(self, published: Set[str]) -> int:
        """Delete every file of the folder that is not in `published` (paths relative to the
        folder, with `/`), and the folders left empty; not what starts with a dot at the top,
        nor the top folders `made_apart`. Returns the number of files deleted."""
        listed, self._listed = self._listed, None
        if not self.site_dir.is_dir():
            return 0
        files, folders = listed() if listed is not None else _listing(str(self.site_dir), self.made_apart)
        prefix = os.path.join(self.site_dir, "")
        removed = 0
        holding: set[str] = set()  # folders with a file of their own, as listed
        emptied: set[str] = set()  # folders a stale file was deleted from
        for relative in files:
            folder = relative.rpartition("/")[0]
            holding.add(folder)
            if relative in published:
                continue
            try:
                os.unlink(prefix + relative)
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):  # replaced meanwhile (`publish`)
                continue
            removed += 1
            emptied.add(folder)
        # Folders that may be empty now: those a file was deleted from, and those that held only
        # folders; the deepest first, so that a folder whose last folder went is tried after it.
        maybe_empty = (emptied | (set(folders) - holding)) - {""}
        for folder in sorted(maybe_empty, key=lambda name: name.count("/"), reverse=True):
            try:
                os.rmdir(prefix + folder)
            except OSError:  # something is left in it, or was written there meanwhile
                pass
        return removed


def _listing(site_dir: str, made_apart: Set[str]) -> tuple[list[str], list[str]]:
    """Every file and folder under `site_dir` (relative, with `/`), but what starts with a dot at
    the top (a `.git` folder, `.nojekyll`: MkDocs leaves them too) and the top folders `made_apart`."""
    files: list[str] = []
    folders: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not prefix and (entry.name.startswith(".") or entry.name in made_apart):
                    continue
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(relative)
                    walk(entry.path, relative + "/")
                else:
                    files.append(relative)

    walk(site_dir, "")
    return files, folders


def publish(source: str | Path, target: str | Path, source_stat: os.stat_result | None = None) -> None:
    """`source` (a kept file, never written into) at `target`, as a hard link, unless `target`
    is that file already: an unchanged file costs two `stat`s (one, when the caller has
    `source_stat`), not a folder and a link — and no `Path` (at 20,000 places, 60,000 files
    are found unchanged at each build). What `target` was is replaced, never written into: it
    may be a link to another kept file."""
    try:
        if os.path.samestat(source_stat or os.stat(source), os.stat(target)):
            return
    except (FileNotFoundError, NotADirectoryError):
        pass
    source, target = Path(source), Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a file of the last site where a folder goes now
        next(folder for folder in reversed(target.parents) if folder.is_file()).unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
    _delete(target)
    link_or_copy(source, target)


def _delete(path: Path) -> None:
    """`path` gone, whether a file, a link or a folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
