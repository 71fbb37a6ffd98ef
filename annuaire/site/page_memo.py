"""Generated pages kept by everything they are rendered from (`.cache/…/rendus/`).

A correction changes one record, but a build renders every page again from its template: at
20,000 places about 9 s of the 50 s a changed phone number took on 2 cores, for pages whose
context did not change. Each page is kept under the sha256 of what `render_page` is given (the
template's name, the page's address and title, its whole context pickled) and of the code
(this package's files, the installed libraries' versions, the templates' data globals): a
page whose context pickles to the same bytes is the same page, and is not rendered again. A
context that cannot be pickled is rendered every time. Like the print store, only a speed-up:
deleting the folder gives the same site.

The records in a context (places, their views, communes, EPCIs) are pickled once per build
each, and a context holds their digests (`annuaire/digests.py`): a place appears in its page,
its print version and a dozen commune pages around it, and pickling it whole for each was most
of the time a build spent deciding that a page had not changed (3.7 s of CPU at 20,000 places).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..digests import Digests
from ..printing.cache import SWEEP_EVERY_S, Store, StoredFile

FORM = "2"  # change when a key's parts or a reference's form change: older ones are then ignored
REFERENCE = ".rendu"  # `<key>.rendu`: "<sha256 of the page> <size>", the page kept in the pages' store
PAGE = ".html"  # the suffix `Site` keeps a page's HTML under, in the same store
# A file marked as used this recently is not marked again: a correction within six hours of the
# last build marks nothing (a national directory's 113,000 pages and their references: 20 s);
# sweeps spare what was used within a day (`printing.cache.UNUSED_S`), far more than this.
FRESH_S = 6 * 3600.0


class PageMemo:
    """Rendered pages by key: `references` maps a key to a page kept in `pages` (the build's
    store of generated pages, where `Site` keeps them by their own sha256). `code`: the digest
    of the code pages are rendered by (`fingerprint.code_digest`)."""

    def __init__(self, references: Path, pages: Store, code: str, digests: Digests | None = None) -> None:
        self._references = Store(references)
        self._pages = pages
        self._code = code
        self._digests = digests or Digests()  # the build's: records digested before the pages are not digested again

    def rendered(
        self, template: str, context: tuple[Any, ...], template_globals: Mapping[str, Any], render: Callable[[], bytes],
    ) -> bytes | StoredFile:
        """The page `render()` makes from `template` and `context`: kept by an earlier build, or
        rendered now and kept."""
        key = self.key(template, context, template_globals)
        if key is None:
            return render()
        kept = self.get(key)
        if kept is None:
            html = render()
            kept = self.put(key, html)
            return kept if kept is not None else html
        return kept

    def key(self, template: str, context: tuple[Any, ...], template_globals: Mapping[str, Any]) -> str | None:
        """The key of a page rendered from `template` with `context` and the templates' data
        globals (`dep`, the territory's name); None when they cannot be pickled (the page is
        then rendered every time)."""
        data = sorted((name, value) for name, value in template_globals.items() if not callable(value))
        try:
            parts = (template.encode(), pickle.dumps(data, protocol=5), self._digests.pickled(context))
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        digest = hashlib.sha256(f"{FORM}|{self._code}".encode())
        for part in parts:
            digest.update(f"{len(part)}:".encode())
            digest.update(part)
        return digest.hexdigest()

    def get(self, key: str) -> StoredFile | None:
        """The page kept under `key`, if both its reference and its file are still there; both
        are marked as used (`forget_unused`, `Store.forget_all_but`) unless a build did within
        `FRESH_S`: at 20,000 places, asking the disk four times a page cost a second of CPU."""
        reference = self._references.location(key, REFERENCE)
        assert reference is not None
        try:
            handle = os.open(reference, os.O_RDONLY)
            try:
                sha256, size = os.read(handle, 256).decode("ascii").split()
                _mark_used(reference, os.fstat(handle))
            finally:
                os.close(handle)
            page = self._pages.location(sha256, PAGE)
            assert page is not None
            found = os.stat(page)
            if str(found.st_size) != size:
                return None
            _mark_used(page, found)
        except (OSError, ValueError):
            return None
        return StoredFile(page, found.st_size, sha256)

    def put(self, key: str, html: bytes) -> StoredFile | None:
        """Keep `html` in the pages' store and under `key`; None when nothing is kept."""
        sha256 = hashlib.sha256(html).hexdigest()
        path = self._pages.keep(html, PAGE, sha256)
        if path is None:
            return None
        self._references.put(key, REFERENCE, f"{sha256} {len(html)}".encode("ascii"))
        return StoredFile(path, len(html), sha256)

    def sweep_due(self, every_s: float = SWEEP_EVERY_S) -> bool:
        """Whether `forget_unused` would sweep now."""
        return self._references.sweep_due(every_s)

    def forget_unused(self, every_s: float = SWEEP_EVERY_S) -> None:
        """Delete the references no build used within a day (pages of older records), at most
        once every `every_s`: one unused for a day is found by the next sweep anyway, and a sweep
        asks the disk about every reference (at 20,000 places 40,000 files: a second)."""
        self._references.forget_all_but(set(), every_s=every_s)


def _mark_used(path: str, found: os.stat_result) -> None:
    """`path` marked as used now (its date), unless it was within `FRESH_S`."""
    if time.time() - found.st_mtime > FRESH_S:
        os.utime(path)
