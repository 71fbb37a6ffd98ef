"""Whole pages as the theme wrapped them, kept by everything they are made from.

The theme's templates wrap each generated page in the site's header, menu and footer: at a
thousand places that is most of a rebuild. A page's final HTML depends only on its own content
and on the site's frame (settings, menu, template files, versions), so it is kept under the
sha256 of both (`.cache/`, beside the print files) and written again as is while neither
changes. Like the print store, it is only a speed-up: deleting it gives the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ..atomic import replaced
from ..printing.cache import Store

SUFFIX = ".page.html"
DIGEST_SUFFIX = ".pagefind"  # `<sha256 of a written page>.pagefind`: the `page_digest` of what Pagefind is given of it
DIGEST_SIZE = 32  # a sha256; an empty file: a page the search does not read
DIGESTS = "recherche.pickle"  # the digests of the last build's pages, in one file (`forget_unused`)
FORM = "compact-1"  # how kept pages are written (`compact`): part of every key, change it with `compact`

# Where spaces and line breaks are the content itself: kept exactly.
_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
# Indentation and blank lines: ASCII only (a no-break space is text, never layout).
_BLANK_LINES = re.compile(r"[ \t\r]*\n[ \t\r\n]*")


def compact(html: str) -> str:
    """The page without the theme's indentation and blank lines: each run becomes one line
    break, which a browser shows exactly as it showed the run (one space, or nothing between
    blocks). A sixth of a place page's bytes, on every page of the site and every phone.
    `pre`, `textarea`, scripts and styles are left as they are: unlike the generated body
    (`templating.compact`, whose templates hold none), the theme's page may have them."""
    parts, start = [], 0
    for block in _VERBATIM.finditer(html):
        parts += [_BLANK_LINES.sub("\n", html[start:block.start()]), block.group(0)]
        start = block.end()
    parts.append(_BLANK_LINES.sub("\n", html[start:]))
    return "".join(parts)


def key(frame: str, parts: Iterable[str]) -> str:
    """The key of one page: the frame's digest and the page's own parts, each length-prefixed
    (two different lists of parts never give the same text to hash)."""
    digest = hashlib.sha256(frame.encode())
    for part in parts:
        data = part.encode("utf-8", errors="surrogatepass")
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def templates(folders: Iterable[Path]) -> list[tuple[str, bytes]]:
    """Every template file of the theme's folders (name, content), in a stable order."""
    return [(str(path.relative_to(folder)), path.read_bytes())
            for folder in folders for path in sorted(folder.rglob("*.html"))]


def frame_digest(settings: Iterable[str], files: Iterable[tuple[str, bytes]]) -> str:
    """The digest of what every page shares: the settings as text, and the template files."""
    digest = hashlib.sha256()
    for text in settings:
        digest.update(key("", [text]).encode())
    for name, content in files:
        digest.update(key("", [name]).encode() + hashlib.sha256(content).digest())
    return digest.hexdigest()


class RenderedPages:
    """Pages kept by key; a missing folder keeps nothing (every page is rendered)."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder
        self._store = Store(folder)
        self._used: set[str] = set()
        self._seen: set[str] = set()  # written pages whose search digest this build asked for
        self._digests: dict[str, bytes] | None = None  # the last build's, read at the first question

    @property
    def keeps(self) -> bool:
        """Whether pages are kept (a cache folder): else every page is rendered where it is written."""
        return self._folder is not None

    def has(self, page_key: str) -> bool:
        return self._store.has(page_key, SUFFIX)

    def get(self, page_key: str) -> str | None:
        self._used.add(page_key)
        data = self._store.get(page_key, SUFFIX)
        return data.decode("utf-8") if data is not None else None

    def location(self, page_key: str) -> str | None:
        """Where the page of `page_key` is kept (the site links it there); None without a folder."""
        return self._store.location(page_key, SUFFIX)

    def used(self, page_key: str) -> str | None:
        """Where the page of `page_key` is kept, for a build that links it without reading it
        (it is then kept for the next build); None without a folder."""
        self._used.add(page_key)
        return self.location(page_key)

    def put(self, page_key: str, html: str) -> None:
        self._used.add(page_key)
        self._store.put(page_key, SUFFIX, html.encode("utf-8"))

    def search_digest(
        self, page: bytes | Callable[[], bytes], digest: Callable[[bytes], bytes | None], sha256: str | None = None
    ) -> bytes | None:
        """`digest(page)` (what the search index depends on in a written page: a sha256, or None
        for a page the search does not read), kept under the page's own sha256 (`sha256`, when
        the caller has it, or a key only these bytes have: a kept page's) for the next build: a
        page that did not change is not read through again (half a second at 1,000 places).
        `page`: its bytes, or how to read them (only when they are not known here)."""
        if sha256 is None:
            assert isinstance(page, bytes), "a page given by how to read it comes with its key"
            sha256 = hashlib.sha256(page).hexdigest()
        self._seen.add(sha256)
        known = self._known_digest(sha256)
        if known is not None:
            return known or None
        found = digest(page() if callable(page) else page)
        self._store.put(sha256, DIGEST_SUFFIX, found or b"")
        return found

    def forget_unused(self) -> None:
        """Delete the pages this build did not ask for (the store holds one site, not its
        history), and gather the search digests of this build's pages into one file for the
        next: at 20,000 places, reading a small file for each page was half a second of every
        build. Each new page's digest is written to a file of its own first, since processes
        that render pages ahead cannot add to this one's memory."""
        if self._folder is None or not self._folder.is_dir():
            return
        digests = {sha256: known for sha256 in self._seen if (known := self._known_digest(sha256)) is not None}
        if digests != self._last_digests():
            with replaced(self._folder / DIGESTS) as stream:
                pickle.dump(digests, stream, protocol=pickle.HIGHEST_PROTOCOL)
        with os.scandir(self._folder) as entries:
            for entry in entries:
                if entry.name.endswith(DIGEST_SUFFIX) or (
                        entry.name.endswith(SUFFIX) and entry.name.removesuffix(SUFFIX) not in self._used):
                    with contextlib.suppress(FileNotFoundError):  # deleted meanwhile by a build beside this one
                        os.unlink(entry.path)

    def _known_digest(self, sha256: str) -> bytes | None:
        """The search digest kept for a page: by the last build (one file), or by this one, maybe
        in a worker (a file of its own); None when neither has it."""
        known = self._last_digests().get(sha256)
        if known is None:
            known = self._store.get(sha256, DIGEST_SUFFIX)
        return known if known is not None and len(known) in (0, DIGEST_SIZE) else None

    def _last_digests(self) -> dict[str, bytes]:
        if self._digests is None:
            self._digests = _read_digests(self._folder / DIGESTS) if self._folder is not None else {}
        return self._digests


def _read_digests(file: Path) -> dict[str, bytes]:
    """The digests `forget_unused` kept; none when the file is missing or damaged (the pages are
    then read through again: only slower)."""
    try:
        with file.open("rb") as stream:
            digests = pickle.load(stream)  # written by `forget_unused`, in this project's own cache
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return digests if isinstance(digests, dict) else {}
