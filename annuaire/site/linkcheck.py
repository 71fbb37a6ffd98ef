"""Every link of a generated page leads to something the site publishes.

Generated pages are rendered by templates, not by Markdown, so MkDocs' own link validation
does not read them; this check does, for the links within the site (relative `href` and
`src`). The MkDocs hook reports each broken link as a warning, which fails `--strict`.

A page whose links all led somewhere is remembered (`passed`) with the paths the site published
then: after a one-line correction, only the pages that changed are read again (at 20,000
places, reading and checking every page took 10 s of each build).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from ..atomic import replaced
from .templating import Page

_LINK = re.compile(r"""\s(?:href|src)="([^"]*)\"""")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def site_target(page_path: str, href: str) -> str | None:
    """The site path a relative link of the page at `page_path` points to; None for a link
    that leaves the site or stays on the page (`https:`, `tel:`, `#section`)."""
    href = href.replace("&amp;", "&")
    if not href or href.startswith("#") or _EXTERNAL.match(href):
        return None
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    joined = posixpath.normpath(posixpath.join("/" + page_path, path))
    target = joined.lstrip("/")
    if target == ".":
        target = ""
    if path.endswith("/") and target:
        target += "/"
    return target


def broken_links(pages: Iterable[Page], known: set[str], passed: Path | None = None) -> list[tuple[str, str]]:
    """(page path, link) of each link whose target is not in `known`, the set of site paths
    the build publishes (`communes/adriers/`, `lieux/a/b/qr.svg`, `` for the home page).

    `passed`: a file of the cache naming the pages (by path, HTML and `known`) that had no
    broken link: those are not read again, and the file is rewritten for the next build."""
    published = hashlib.sha256("\n".join(sorted(known)).encode()).digest()
    before = _read_passed(passed)
    broken: list[tuple[str, str]] = []
    now: set[str] = set()
    for page in pages:
        key = hashlib.sha256(published + f"{page.path}\n{page.sha256}".encode()).hexdigest()[:32]
        if key not in before:
            found = _broken_in(page, known)
            if found:
                broken += found
                continue
        now.add(key)
    if passed is not None and now != before:
        _write_passed(passed, now)
    return broken


def _broken_in(page: Page, known: set[str]) -> list[tuple[str, str]]:
    broken = []
    for href in _LINK.findall(page.html):
        target = site_target(page.path, href)
        if target is None:
            continue
        if target in known or target.rstrip("/") + "/" in known or target + "index.html" in known:
            continue
        broken.append((page.path, href))
    return broken


def _read_passed(path: Path | None) -> set[str]:
    try:
        return set(path.read_text(encoding="ascii").split()) if path is not None else set()
    except (OSError, UnicodeDecodeError):  # none yet, or unreadable: every page is read
        return set()


def _write_passed(path: Path, keys: set[str]) -> None:
    with replaced(path) as stream:
        stream.write("".join(f"{key}\n" for key in sorted(keys)).encode("ascii"))
