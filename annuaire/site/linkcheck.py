"""Every link of a generated page leads to something the site publishes.

Generated pages are rendered by templates, not by Markdown, so MkDocs' own link validation
does not read them; this check does, for the links within the site (relative `href` and
`src`). The MkDocs hook reports each broken link as a warning, which fails `--strict`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import unquote

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


def broken_links(pages: Iterable[Page], known: set[str]) -> list[tuple[str, str]]:
    """(page path, link) of each link whose target is not in `known`, the set of site paths
    the build publishes (`communes/adriers/`, `lieux/a/b/qr.svg`, `` for the home page)."""
    broken = []
    for page in pages:
        for href in _LINK.findall(page.html):
            target = site_target(page.path, href)
            if target is None:
                continue
            if target in known or target.rstrip("/") + "/" in known or target + "index.html" in known:
                continue
            broken.append((page.path, href))
    return broken
