"""How a generated page is written: a Jinja template, a context, and nothing else.

`render_page` is the one public way to make a page. The MkDocs hook adds each page with its
`meta` (what a Markdown page's front matter would say) and gives the rendered HTML to the
theme: record text never goes through Markdown, so nothing a contributor writes is ever read
as Markdown or HTML.
Every value is escaped by autoescape; links are emitted only for `https:`, `tel:` and `mailto:`
values (the helpers below) and for site paths built from slugs.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sized
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from ..data.contact import email_problem, phone_display, phone_href
from ..data.territory import Departement
from ..printing.cache import StoredFile
from ..text import french_date, french_number, french_percent
from ..urls import page_path, relative_base
from .page_memo import PageMemo

TEMPLATES = Path(__file__).resolve().parent / "templates"

_SAFE_URL = re.compile(r"^[^\s<>\"'`\\\x00-\x1f\x7f]+$")

# The most places a page lists one by one. Above, the lists of a whole territory (« Trouver un
# lieu », all places, a need's places, an intercommunality's, a partner's list of the
# département or of a need) give way to their communes, whose pages list their own places and
# the nearest: at 20,000 places « Trouver un lieu » weighed 24.5 MB and a need's page 6 MB,
# more than a phone can download or show. A large département (1,500 places) still lists them.
LIST_MAX = 2000


def too_long_to_list(places: Sized) -> bool:
    """Whether a page shows the communes of these places rather than each place (`LIST_MAX`)."""
    return len(places) > LIST_MAX


@dataclass(frozen=True)
class Page:
    """A generated page: its Markdown source path, its title, its HTML body."""

    src_uri: str  # `lieux/poitiers/mds.md`, relative to `docs/`
    title: str
    # The HTML in UTF-8 (a French page as `str` takes two bytes a character), or the file of the
    # build's cache that holds it: a build keeps every page until MkDocs writes it, and 20,000
    # places' pages held in memory would take some 600 MB (`Site.add_pages`).
    body: bytes | StoredFile
    in_nav: bool = False  # listed in the site's menu (`nav` of mkdocs.yml)
    updated: date | None = None  # when its data last changed (the sitemap's `lastmod`), never the build day
    searchable: bool = True  # False: never a search result (print versions, offline page, long lists)
    # A whole HTML document of its own (a place's print version): written as is, never wrapped
    # in the theme's header, menu and footer, nor listed in the sitemap.
    standalone: bool = False

    @property
    def html(self) -> str:
        return self.utf8().decode("utf-8")

    def utf8(self) -> bytes:
        """The HTML's bytes, read from the cache when the page is kept there."""
        return self.body if isinstance(self.body, bytes) else self.body.read_bytes()

    @property
    def sha256(self) -> str:
        """The digest of the HTML (what a rendered page is kept by), without reading a kept page."""
        if isinstance(self.body, StoredFile) and self.body.sha256:
            return self.body.sha256
        return hashlib.sha256(self.utf8()).hexdigest()

    @property
    def path(self) -> str:
        return page_path(self.src_uri)

    @property
    def file_path(self) -> str:
        """Where the page is written in the site: `lieux/x/y/imprimer/index.html`."""
        return self.path + "index.html"

    def meta(self) -> dict[str, Any]:
        """What a Markdown page says in its front matter, for the theme: its title, no table of
        contents, and whether the search indexes it."""
        meta: dict[str, Any] = {"title": self.title, "hide": ["toc"]}
        if not self.searchable:
            meta["recherche"] = False  # read by overrides/main.html
        return meta


# --- Helpers the templates use (formatting only: they compute nothing) ------------------------


def https_href(value: str | None) -> str | None:
    """The value itself if it is a plain `https://` address, else None (shown as text only)."""
    if not value:
        return None
    value = value.strip()
    if value.lower().startswith("https://") and len(value) > len("https://") and _SAFE_URL.match(value):
        return value
    return None


def link_text(url: str) -> str:
    """What a link shows: where it really leads (`www.caf.fr/aides`), read from the address."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return (parts.hostname or url) + path


def mailto_href(email: str | None) -> str | None:
    """`mailto:` link for a plausible address, else None."""
    if not email or email_problem(email.strip()) is not None:
        return None
    return "mailto:" + email.strip()


def safe_title(text: str) -> str:
    """A page title MkDocs and Material can print unescaped: no `<`, `>` or straight quotes."""
    cleaned = text.replace("<", "‹").replace(">", "›").replace('"', "”").replace("'", "’")
    return " ".join(cleaned.split())


class Templates(jinja2.Environment):
    """The generated pages' templates, and where pages rendered by an earlier build are kept
    (`memo`, set by the build when it has a cache: `render_page` then renders only new pages)."""

    memo: PageMemo | None = None


def environment(compiled: Path | None = None) -> Templates:
    """The templates of every generated page, with the formatting helpers; compiled once into
    `compiled` (a folder of the build's cache) when given (`bytecode_cache`)."""
    env = Templates(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=bytecode_cache(compiled),
        auto_reload=False,  # one build, one version of each template: no file checked at every page
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        phone_display=phone_display,
        phone_href=phone_href,
        mailto=mailto_href,
        https_href=https_href,
        link_text=link_text,
        french_date=french_date,
        number=french_number,
        percent=french_percent,
        dep=Departement(""),  # the build sets the territory's own (`generate_site`)
        version="",  # `?v=…` after the address of a style or script (`generate_site`)
    )
    env.filters["first_upper"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier build, checked by Jinja against their source and written
    atomically. A file that cannot be read (truncated, damaged) is compiled again: Jinja alone
    would stop the build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any unreadable file: compile the template again
            bucket.reset()


def bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Where templates are kept compiled between builds (compiling the site's templates and the
    theme's takes about half a second of every build); None: compiled in every build."""
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return _CompiledTemplates(str(folder))


def script_json(data: Any) -> str:
    """JSON safe inside an HTML attribute or a `<script type="application/json">`."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def compact(html: str) -> str:
    """The HTML without indentation and blank lines: templates stay readable, pages stay small.
    (No `<pre>` or `<textarea>` is generated, whose text would change.)"""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())


def render_page(
    env: jinja2.Environment, src_uri: str, template: str, title: str, *, in_nav: bool = False,
    updated: date | None = None, searchable: bool = True, standalone: bool = False, **context: Any,
) -> Page:
    """Render `template` with `context` into the page `src_uri`; `base` (the way back to the
    site root) is added to the context, so every link works from any depth. A page an earlier
    build rendered from the same template and context is taken from `env.memo` instead."""
    def render() -> bytes:
        html = env.get_template(template).render(base=relative_base(page_path(src_uri)), **context)
        return compact(html).encode("utf-8")

    given = (src_uri, title, in_nav, updated, searchable, standalone, context)
    body = _kept_or_rendered(env, template, given, render)
    return Page(src_uri, safe_title(title), body, in_nav, updated, searchable, standalone)


def render_file_of(
    env: jinja2.Environment, name: str, make: Callable[..., str], made_from: tuple[Any, ...],
) -> bytes | StoredFile:
    """The file `make(env, *made_from)` writes, where `make` is a module-level function that
    reads nothing else: the one an earlier build made from the same things is given back, and
    `make` runs only for a file not kept (a partner's list, HTML and JSON: 20,000 places over
    some 300 lists were rendered again at every build)."""
    def render() -> bytes:
        return make(env, *made_from).encode("utf-8")

    return _kept_or_rendered(env, name, (name, f"{make.__module__}.{make.__qualname__}", made_from), render)


def render_page_of(
    env: jinja2.Environment, src_uri: str, template: str, title: str,
    context_of: Callable[..., Mapping[str, Any]], made_from: tuple[Any, ...], *, in_nav: bool = False,
    updated: date | None = None, searchable: bool = True, standalone: bool = False,
) -> Page:
    """`render_page` with the context `context_of(*made_from)`, where `context_of` is a
    module-level function that reads nothing else: an earlier build's page is found by what
    its context is made from, and the context is made only for a page not kept (at 20,000
    places, making the place pages' contexts to find them unchanged was a second of a
    correction)."""
    def render() -> bytes:
        context = context_of(*made_from)
        html = env.get_template(template).render(base=relative_base(page_path(src_uri)), **context)
        return compact(html).encode("utf-8")

    given = (src_uri, title, in_nav, updated, searchable, standalone,
             f"{context_of.__module__}.{context_of.__qualname__}", made_from)
    body = _kept_or_rendered(env, template, given, render)
    return Page(src_uri, safe_title(title), body, in_nav, updated, searchable, standalone)


def _kept_or_rendered(
    env: jinja2.Environment, template: str, given: tuple[Any, ...], render: Callable[[], bytes],
) -> bytes | StoredFile:
    """What `render()` makes, or what an earlier build made from the same `template` and
    `given` (`env.memo`, when the build keeps pages)."""
    memo = env.memo if isinstance(env, Templates) else None
    return memo.rendered(template, given, env.globals, render) if memo is not None else render()
