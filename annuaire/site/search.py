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
(« Tous les lieux », « Trouver un lieu », the coverage and data-quality tables) — a place is
found on its own page, and those lists would make most of the index. For the same reason the
place cards, the « nearest place per need » lines and the coverage sentences of commune,
intercommunality and service pages carry `data-pagefind-ignore`: a place's name leads to its
page, not to every page around it (and the index, made again after each change, stays small). Embeds, redirects and
the 404 page have no such mark, so they are never results.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import jinja2

from ..urls import page_path, relative_base
from .templating import Page, render_page

PAGE = "recherche/index.md"
ASSETS = "assets/annuaire/"
BUNDLE = "pagefind"  # folder of the index in the site
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


def index_site(site_dir: Path, store: Path | None = None) -> int:
    """Write the search index of the built site into `site_dir/pagefind/`; return the number of
    pages indexed. A previous index is replaced, never merged (a removed page must disappear).

    `store`: where the last index is kept with a fingerprint of the pages it was made from;
    when no page changed, it is copied instead of made again (a rebuild with nothing changed
    does no indexing)."""
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    pages = _searchable(site_dir)
    kept = store / f"recherche-{_fingerprint(site_dir, pages)}" if store is not None else None
    if kept is not None and (kept / "pagefind-entry.json").is_file():
        shutil.copytree(kept, bundle)
        return _indexed_pages(bundle)
    _run_pagefind(site_dir, list(pages))
    if kept is not None:
        _keep(bundle, kept)
    return _indexed_pages(bundle)


BODY_MARK = b"data-pagefind-body"  # set by overrides/main.html on the pages to index


def _searchable(site_dir: Path) -> dict[str, bytes]:
    """The pages Pagefind would index (path → sha256 of their bytes): those with the body mark.
    Only they are shown to Pagefind, which otherwise parses every page of the site (print
    versions, embeds, redirects: 40 % of its time at 1,000 places) to find the mark."""
    found = {}
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir)
        if BUNDLE not in relative.parts[:1]:
            data = page.read_bytes()
            if BODY_MARK in data:
                found[relative.as_posix()] = hashlib.sha256(data).digest()
    return found


def _fingerprint(site_dir: Path, pages: dict[str, bytes]) -> str:
    """What the index depends on: the indexed pages (path and bytes), Pagefind's version and options."""
    digest = hashlib.sha256(f"{executable().name}|{_version()}|{OPTIONS}".encode())
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
STAGING = ".pages-a-indexer"  # inside the site folder while Pagefind runs, then removed


def _run_pagefind(site_dir: Path, pages: list[str]) -> None:
    """Index `pages` (paths relative to `site_dir`): Pagefind reads them from a folder of hard
    links with the same paths, so result addresses are the site's."""
    staging = site_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    bundle = site_dir / BUNDLE
    try:
        staging.mkdir()
        for path in pages:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / path, target)
            except OSError:  # a file system without links
                shutil.copyfile(site_dir / path, target)
        command = [str(executable()), "--site", str(staging), "--output-path", str(bundle), *OPTIONS]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise SearchIndexError(f"L’index de recherche n’a pas été fait en {TIMEOUT_S} s.") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if done.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"L’index de recherche n’a pas été fait :\n{done.stderr.strip()}")
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)


def _keep(bundle: Path, kept: Path) -> None:
    """Copy the new index into the store (written aside, then renamed: never half a copy), and
    drop older ones: only the last index is worth keeping."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    for old in kept.parent.glob("recherche-*"):
        shutil.rmtree(old, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(dir=kept.parent, prefix=".recherche-"))
    shutil.copytree(bundle, temporary, dirs_exist_ok=True)
    temporary.rename(kept)


def _indexed_pages(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(language.get("page_count", 0)) for language in entry.get("languages", {}).values())
