"""Search across the site: the « Rechercher » page and its index, made after the site is written.

Why Pagefind and not the theme's search: the theme's index is one file holding every page,
fetched by every page on load (78 % of the bytes of a first visit, 435 KB compressed at 5,000
places). Pagefind splits its index into small files: nothing is fetched until the person
searches on `recherche/`, and a search reads a few tens of kilobytes whatever the size of the
directory. It stems French, runs offline from its PyPI package (`pagefind-bin`), and calls no
other site.

What is indexed: the body of the site's own pages marked `data-pagefind-body` by the theme
template (`overrides/main.html`), except pages whose front matter says `recherche: false`:
print versions, the offline page, this page, and the long lists that repeat every place
(« Tous les lieux », « Trouver un lieu », the coverage table, the data-quality pages) — a place is
found on its own page, and those lists would make most of the index. For the same reason the
place cards, the « nearest place per need » lines and the coverage sentences of commune,
intercommunality and service pages carry `data-pagefind-ignore`: a place's name leads to its
page, not to every page around it (and the index, made again after each change, stays small).
What every place page says alike (« Ces informations sont-elles justes ? », « Une erreur sur
cette fiche ? ») is not indexed either: it made a third of what Pagefind read at 20,000 places,
and « erreur » found every place before the pages that explain how to report one. Nor what
every commune page says alike (headings, small print, the map's legend, « Les zones blanches de
toute la Vienne »): « zones blanches » listed the 265 communes, and Pagefind's memory grows
with the words it indexes (a national directory has 35,000 commune pages). The first coverage
page is searched, without its table and its lists of communes. Embeds, redirects and
the 404 page have no such mark, so they are never results.

What changes with a correction but is not searched carries `data-pagefind-ignore` too: on a place
page, its phone, e-mail, hours, dates, print files and sharing links (all on the page a result
leads to). The index is kept by what Pagefind is given (`read_by_pagefind`), so a corrected phone number or
opening hours rebuild without indexing the site again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import tempfile
import time
from functools import lru_cache, partial
from pathlib import Path

import jinja2

from .. import workers
from ..atomic import replaced
from ..printing.cache import Store, link_or_copy
from ..urls import page_path, relative_base
from .templating import Page, render_page

PAGE = "recherche/index.md"
ASSETS = "assets/annuaire/"
BUNDLE = "pagefind"  # folder of the index in the site
ENTRY = "pagefind-entry.json"  # what the search page reads first: an index without it is no index
# Files of the bundle the site never loads (Pagefind's ready-made interfaces): the page uses
# its own form and list, in French, so these are removed to keep the site small.
_UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
    "wasm.unknown.pagefind",  # the search program for pages without a language: every page says `fr`
)
TIMEOUT_S = 600  # a national directory indexes in well under a minute; a hang must not stall CI


class SearchIndexError(RuntimeError):
    """The index could not be made; the message says, in French, what to do."""


def page(env: jinja2.Environment) -> Page:
    """The « Rechercher » page (in the menu): a form; results listed by `recherche.js`."""
    return render_page(
        env, PAGE, "search.html", "Rechercher", searchable=False,
        assets=relative_base(page_path(PAGE)) + ASSETS,
    )


def executable() -> Path:
    """Pagefind's program, installed with the project (`pagefind-bin` on PyPI)."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError(
            "Le programme de recherche Pagefind est absent : lancez ./scripts/bootstrap."
        ) from None
    return Path(get_executable())


def index_site(site_dir: Path, store: Path | None = None, written: dict[str, bytes] | None = None) -> int:
    """Write the search index of the built site into `site_dir/pagefind/`; return the number of
    pages indexed. A previous index is replaced, never merged (a removed page must disappear).

    `store`: where the last index is kept with a fingerprint of the pages it was made from;
    when no page changed, it is linked instead of made again (a rebuild with nothing changed
    does no indexing). What Pagefind is given of each page is kept there too, by its sha256.
    `written`: the searchable pages' `page_digest`s, by path, taken from the bytes as they were
    written (the build's own record); without it, the site is read back."""
    bundle = site_dir / BUNDLE
    given = given_store(store)
    pages = dict(sorted(written.items())) if written is not None else _searchable(site_dir, given)
    kept = store / f"{KEPT_PREFIX}{_fingerprint(pages)}" if store is not None else None
    if kept is not None and (kept / ENTRY).is_file():
        if not _linked_from(bundle, kept):  # the last site, put back, may hold this very index
            shutil.rmtree(bundle, ignore_errors=True)
            # never written into: links are safe; the entry last, so that it says the rest is there
            shutil.copytree(kept, bundle, copy_function=link_or_copy, ignore=lambda folder, names: (
                [ENTRY] if Path(folder) == kept else []))
            link_or_copy(kept / ENTRY, bundle / ENTRY)
        return _indexed_pages(bundle)
    if bundle.exists():
        shutil.rmtree(bundle)
    if kept is not None:
        workers.behind(partial(_forget_kept_indexes, kept), len(pages))
    _run_pagefind(site_dir, pages, given)
    if kept is not None:
        _keep(bundle, kept)
    return _indexed_pages(bundle)


BODY_MARK = b"data-pagefind-body"  # set by overrides/main.html on the pages to index


def given_store(store: Path | None) -> Store:
    """Where what Pagefind is given of each page is kept by sha256 (`page_digest` keeps it, the
    indexing links it): inside the build's cache, or nowhere."""
    return Store(store / GIVEN if store is not None else None)


def _searchable(site_dir: Path, given: Store) -> dict[str, bytes]:
    """The pages Pagefind would index (path → sha256 of what it reads of them): those with the
    body mark. Only they are shown to Pagefind, which otherwise parses every page of the site
    (print versions, embeds, redirects: 40 % of its time at 1,000 places) to find the mark."""
    found = {}
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir)
        if BUNDLE not in relative.parts[:1] and (digest := page_digest(page.read_bytes(), given)) is not None:
            found[relative.as_posix()] = digest
    return found


def page_digest(page: bytes, given: Store | None = None) -> bytes | None:
    """What the index depends on in one written page (the sha256 of what Pagefind is given of
    it: `read_by_pagefind`), or None when Pagefind does not index it (no body mark). What
    Pagefind is given is kept in `given`, for the indexing to link rather than make again."""
    if BODY_MARK not in page:
        return None
    content = read_by_pagefind(page)
    digest = hashlib.sha256(content).digest()
    if given is not None:
        given.keep(content, ".html", digest.hex())
    return digest


IGNORE_MARK = b"data-pagefind-ignore"
_IGNORED = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\s" + IGNORE_MARK + rb"\b[^>]*>")
_VOID = frozenset((b"area", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"wbr"))
# Inside an ignored element, Pagefind still reads filters and metadata (unless "all"); scripts and
# comments could hide a tag from the count of nested elements, or the tag itself could be text in
# one: such an element is kept whole.
_READ_INSIDE = re.compile(rb"data-pagefind-(?!ignore)|</?script|<!--|-->", re.IGNORECASE)


def _indexed(page: bytes) -> bytes:
    """`page` without what Pagefind does not index: its elements marked `data-pagefind-ignore`,
    and its drawings (`<svg>`: Pagefind reads no text inside them, not even their titles; a
    commune's map is 19 KB of its page, and a national directory has 35,000 communes). The same
    bytes here mean the same index. When in doubt (an element that does not close, that holds
    other Pagefind marks), the element is kept: the index is made again rather than kept stale."""
    parts, position = [], 0
    while (found := _next_left_out(page, position)) is not None:
        end = _element_end(page, found)
        if end is None or _READ_INSIDE.search(page, found.end(), end):
            parts.append(page[position:found.end()])  # kept, and what it holds is looked at
            position = found.end()
            continue
        parts.append(page[position:found.start()])
        position = end
    parts.append(page[position:])
    return b"".join(parts)


_BODY = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\s" + BODY_MARK + rb"\b[^>]*>")
_OTHER_MARK = re.compile(rb"data-pagefind-(?!ignore|body)", re.IGNORECASE)
_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(rb"<title\b[^>]*>.*?</title>", re.IGNORECASE | re.DOTALL)


def read_by_pagefind(page: bytes) -> bytes:
    """What Pagefind is given of a page: its `<html>` tag, its title and the element marked
    `data-pagefind-body`, without the elements it ignores. The index is the same as from the
    whole page, made twice as fast (at 5,000 places, 17 MB to parse instead of 120 MB: 10 s →
    5 s), but for the thumbnail Pagefind took from the first image near the title (a place's QR
    code, which no result shows). A page with a Pagefind mark outside that element is given whole."""
    indexed = _indexed(page)
    body = _BODY.search(indexed)
    end = _element_end(indexed, body) if body is not None else None
    if body is None or end is None or _OTHER_MARK.search(indexed[:body.start()] + indexed[end:]):
        return indexed
    html = _HTML_TAG.search(indexed)
    title = _TITLE.search(indexed)
    return b"".join((
        b"<!doctype html>\n", html.group(0) if html else b"<html>", b'<head><meta charset="utf-8">',
        title.group(0) if title else b"", b"</head><body>", indexed[body.start():end], b"</body></html>\n",
    ))


def _next_left_out(page: bytes, position: int) -> re.Match[bytes] | None:
    """The next start tag from `position` of an element Pagefind does not index: marked to be
    ignored, or a drawing (`<svg>`), whichever comes first."""
    ignored = _next_ignored(page, position)
    drawing = page.find(b"<svg", position, ignored.start() if ignored is not None else len(page))
    return (_SVG.match(page, drawing) if drawing != -1 else None) or ignored


_SVG = re.compile(rb"<(svg)\b[^>]*>")


def _next_ignored(page: bytes, position: int) -> re.Match[bytes] | None:
    """The next start tag from `position` marked `data-pagefind-ignore` (the mark is looked for
    first: trying the pattern at every tag of a page took longer than reading the site)."""
    while (mark := page.find(IGNORE_MARK, position)) != -1:
        opening = page.rfind(b"<", position, mark)
        found = _IGNORED.match(page, opening) if opening != -1 else None
        if found is not None and found.end() > mark:
            return found
        position = mark + len(IGNORE_MARK)
    return None


def _element_end(page: bytes, start: re.Match[bytes]) -> int | None:
    """Where the element opened by `start` ends (after its closing tag), counting nested
    elements of the same name; None when it never closes."""
    name = start.group(1).lower()
    if name in _VOID or start.group(0).endswith(b"/>"):
        return start.end()
    depth = 1
    for tag in _tag_of(name).finditer(page, start.end()):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return tag.end()
        elif not tag.group(0).endswith(b"/>"):
            depth += 1
    return None


@lru_cache(maxsize=32)
def _tag_of(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<(/?)" + re.escape(name) + rb"\b[^>]*>", re.IGNORECASE)


def _fingerprint(pages: dict[str, bytes]) -> str:
    """What the index depends on: the indexed pages (path and bytes), Pagefind's version and options."""
    digest = hashlib.sha256(f"{executable().name}|{_version()}|{OPTIONS}|{STAGED}".encode())
    for path, page_digest in pages.items():
        digest.update(path.encode() + b"\0")
        digest.update(page_digest)
    return digest.hexdigest()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind-bin")
    except PackageNotFoundError:
        return "?"


OPTIONS = ("--force-language", "fr", "--silent")
STAGING = ".pages-a-indexer"  # without a store: inside the site folder while Pagefind runs, then removed
STAGINGS = "recherche-a-indexer"  # with a store: beside it, one folder of links per site folder (`_staged`)
STAGED = "corps-sans-dessins"  # what Pagefind is given of each page (`read_by_pagefind`): change it when that changes
GIVEN = "recherche-pages"  # in the store: what Pagefind was given of each page, by sha256
STAGING_KEPT_S = 86400.0  # a site folder's staging no build used for a day is deleted (`mkdocs serve`'s are temporary)


def _run_pagefind(site_dir: Path, pages: dict[str, bytes], given: Store) -> None:
    """Index `pages` (paths relative to `site_dir`, with their `page_digest`): Pagefind reads
    what it is given of each (`read_by_pagefind`) from a folder with the same paths, so result
    addresses are the site's. With a store, that folder is kept from one indexing to the next,
    and only the pages that changed are linked again (`_staged`)."""
    bundle = site_dir / BUNDLE
    if given.folder is None:
        staging = site_dir / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        try:
            for path in pages:
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(read_by_pagefind((site_dir / path).read_bytes()))
            done = _pagefind(staging, bundle)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    else:
        done = _pagefind(_staged(site_dir, pages, given), bundle)
        given.forget_all_but({location for digest in pages.values()
                              if (location := given.location(digest.hex(), ".html")) is not None})
    if done.returncode != 0 or not (bundle / ENTRY).is_file():
        raise SearchIndexError(f"L’index de recherche n’a pas été fait :\n{done.stderr.strip()}")
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _pagefind(staging: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    command = [str(executable()), "--site", str(staging), "--output-path", str(bundle), *OPTIONS]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"L’index de recherche n’a pas été fait en {TIMEOUT_S} s.") from None


def _staged(site_dir: Path, pages: dict[str, bytes], given: Store) -> Path:
    """The folder Pagefind reads for `site_dir`: each of `pages` at its path, linked from
    `given`. Kept beside the store with the list of what it holds, and brought up to date:
    at 20,000 places, making 20,000 folders and removing them at each indexing took 3 s.
    The list is removed while the folder changes, so a build stopped half-way leaves a folder
    the next one makes afresh."""
    assert given.folder is not None
    root = given.folder.parent / STAGINGS
    staging = root / hashlib.sha256(os.fsencode(site_dir.resolve())).hexdigest()[:16]
    listing = staging.with_suffix(".liste")
    before = _staged_before(listing) if staging.is_dir() else None
    listing.unlink(missing_ok=True)
    if before is None:
        shutil.rmtree(staging, ignore_errors=True)
        before = {}
    folder = str(staging)
    for path, digest in before.items():
        if pages.get(path) != digest:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(folder, path))
    made: set[str] = set()
    for path, digest in pages.items():
        if before.get(path) == digest:
            continue
        target = os.path.join(folder, path)
        if (parent := os.path.dirname(target)) not in made:  # asked once per folder, not once per page
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        kept = given.location(digest.hex(), ".html")
        if kept is None or not os.path.isfile(kept):
            kept = given.keep(read_by_pagefind((site_dir / path).read_bytes()), ".html", digest.hex())
        assert kept is not None
        with contextlib.suppress(FileNotFoundError):  # never copied over: it may be a link to another page's
            os.unlink(target)
        link_or_copy(kept, target)
    with replaced(listing) as stream:
        pickle.dump(pages, stream, protocol=pickle.HIGHEST_PROTOCOL)
    _forget_other_stagings(root, staging)
    return staging


def _staged_before(listing: Path) -> dict[str, bytes] | None:
    """What a staging folder holds, by its list; None when there is no list to trust."""
    try:
        with listing.open("rb") as stream:
            found = pickle.load(stream)  # written by `_staged`, in this project's own cache
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _forget_other_stagings(root: Path, kept: Path) -> None:
    """Delete the staging folders of other site folders no indexing used for `STAGING_KEPT_S`."""
    before = time.time() - STAGING_KEPT_S
    for staging in root.iterdir():
        if staging == kept or not staging.is_dir():
            continue
        listing = staging.with_suffix(".liste")
        try:
            used = listing.stat().st_mtime if listing.exists() else staging.stat().st_mtime
        except FileNotFoundError:  # deleted meanwhile by a build beside this one
            continue
        if used < before:
            listing.unlink(missing_ok=True)
            shutil.rmtree(staging, ignore_errors=True)


def _linked_from(bundle: Path, kept: Path) -> bool:
    """Whether `bundle` is the kept index itself, linked file by file (its entry is linked last)."""
    try:
        return os.path.samestat((bundle / ENTRY).stat(), (kept / ENTRY).stat())
    except OSError:
        return False


def _forget_kept_indexes(kept: Path) -> None:
    """Delete the indexes kept beside `kept`, which is about to replace them: only the last
    index is worth keeping. Only indexes: beside them, what Pagefind was given of each page
    (`GIVEN`) must stay, or the next indexing makes it all again (at 20,000 places, 8 s).
    Done while Pagefind runs (`workers.behind`): at 20,000 places an index has 20,000 files,
    up to 1.8 s to delete."""
    with contextlib.suppress(FileNotFoundError):
        for old in kept.parent.iterdir():
            if old.name != kept.name and _KEPT_INDEX.fullmatch(old.name):
                shutil.rmtree(old, ignore_errors=True)


def _keep(bundle: Path, kept: Path) -> None:
    """Keep the new index in the store (linked aside, then renamed: never half an index).
    Linked, not copied: Pagefind never writes into a file it made, and the next indexing
    writes a new bundle (at 20,000 places, 20,000 files)."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=kept.parent, prefix=".recherche-"))
    shutil.copytree(bundle, temporary, dirs_exist_ok=True, copy_function=link_or_copy)
    try:
        temporary.rename(kept)
    except OSError:  # kept meanwhile by a build beside this one, from the same pages
        shutil.rmtree(temporary, ignore_errors=True)


KEPT_PREFIX = "recherche-"  # in the store: `recherche-<fingerprint>`, the last index (`_keep`)
_KEPT_INDEX = re.compile(re.escape(KEPT_PREFIX) + "[0-9a-f]{64}")


def _indexed_pages(bundle: Path) -> int:
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    return sum(int(language.get("page_count", 0)) for language in entry.get("languages", {}).values())
