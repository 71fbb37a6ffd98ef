"""Browser harness: build a site once, serve it on 127.0.0.1, and drive Debian's chromium.

Why this shape:
- the pages are tested as a resident gets them (a real build, a real HTTP server, a real
  browser), not as strings;
- `playwright install` cannot download a browser here, so Debian's `/usr/bin/chromium` is used;
- the directory promises "no third-party request": every request of every page is recorded,
  and a test fails if one leaves 127.0.0.1.
"""

from __future__ import annotations

import functools
import gzip
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
MKDOCS_YML = ROOT / "mkdocs.yml"
# A fixed build date, so that "mis à jour il y a …" wording does not change from day to day.
BUILD_DATE = "2025-01-15"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = ("data", "blob", "about")
PUBLIC_URL = "https://lieux-numeriques-86.github.io/annuaire/"  # site_url of mkdocs.yml

FOREIGN_REQUESTS = pytest.StashKey[list[str]]()


def build_site(site_dir: Path, *, places_dir: Path | None = None) -> Path:
    """Build the site of `mkdocs.yml` into `site_dir` in strict mode (a warning fails).

    `places_dir` replaces the real `places/` (fixture records); the build date is fixed
    through ANNUAIRE_DATE, as `mkdocs build` would read it.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    previous = os.environ.get("ANNUAIRE_DATE")
    os.environ["ANNUAIRE_DATE"] = BUILD_DATE
    try:
        config = load_config(config_file=str(MKDOCS_YML), site_dir=str(site_dir), strict=True)
        if places_dir is not None:
            annuaire = dict(config["extra"].get("annuaire") or {})
            annuaire["places_dir"] = str(places_dir.resolve())
            annuaire["encarts_bulletin"] = False  # 40 s of drawing for fixture places
            config["extra"]["annuaire"] = annuaire
        build(config)
    finally:
        if previous is None:
            os.environ.pop("ANNUAIRE_DATE", None)
        else:
            os.environ["ANNUAIRE_DATE"] = previous
    return site_dir


class _QuietHandler(SimpleHTTPRequestHandler):
    prefix = "/"  # the site's path on the server (`/annuaire/` as on GitHub Pages)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "absent-de-ce-site")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Like GitHub Pages and most static hosts: a missing address gets the site's `404.html`."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _CompressingHandler(_QuietHandler):
    """Text files gzip-compressed and kept 10 minutes, as GitHub Pages serves them: what a
    phone downloads (Lighthouse, page weight), not what sits on disk."""

    TEXT = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml")

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path.split("?", 1)[0].split("#", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if not (path.suffix in self.TEXT and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Cache-Control", "max-age=600")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    """A browser that closes a connection early (a page left before a file arrived) is not an
    error of the site: only other errors are printed, as the standard server does."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(directory: Path, prefix: str = "/", *, compress: bool = False) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (random free port) under `prefix`; yields the base URL
    ending with `/`. `compress`: gzip like a real host."""
    base = _CompressingHandler if compress else _QuietHandler
    handler = functools.partial(type("Handler", (base,), {"prefix": prefix}), directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def is_local(url: str) -> bool:
    """True for a request that stays on this machine's test server (or needs no network)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real directory (places/ as committed), built once per test session."""
    if not MKDOCS_YML.is_file():
        pytest.fail("mkdocs.yml est absent : le site ne peut pas être construit.")
    return build_site(tmp_path_factory.mktemp("real-site") / "site")


@pytest.fixture(scope="session")
def real_site_url(real_site: Path) -> Iterator[str]:
    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def published_site_url(real_site: Path) -> Iterator[str]:
    """The real site under its public path (`/annuaire/`), as GitHub Pages serves it: for pages
    that are served at any address, such as `404.html`, whose links start at that path."""
    with serve(real_site, prefix=urlsplit(PUBLIC_URL).path) as url:
        yield url


# Module scope, not session: while a sync Playwright runs, no other test can start its own
# (`sync_playwright()` refuses to run inside a running event loop), e.g. tests/test_qr.py.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} est absent : lancez ./scripts/test, qui installe le paquet Debian chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Browsing:
    """Opens pages in fresh contexts and records every request they make."""

    browser: Browser
    requests: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def new_page(
        self, *, width: int = 1280, height: int = 800, javascript: bool = True, service_workers: bool = False
    ) -> Page:
        # Service workers are blocked unless a test is about them: Playwright's request
        # interception (the map's stubbed tiles) does not see what a worker fetches.
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            locale="fr-FR",
            service_workers="allow" if service_workers else "block",
        )
        context.on("request", lambda request: self.requests.append(request.url))
        self.contexts.append(context)
        return context.new_page()

    @property
    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    """A factory of pages; the test fails if any of them requested another host than 127.0.0.1."""
    session = Browsing(browser)
    request.node.stash[FOREIGN_REQUESTS] = session.requests
    yield session
    session.close()


@pytest.fixture
def page(browsing: Browsing) -> Page:
    """A desktop-width page (1280 px) with JavaScript on."""
    return browsing.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not its teardown) when a page left this machine."""
    __tracebackhide__ = True
    result = yield
    requests = item.stash.get(FOREIGN_REQUESTS, [])
    foreign = [url for url in requests if not is_local(url)]
    if foreign:
        listed = "\n  ".join(sorted(set(foreign)))
        pytest.fail(f"Requête(s) vers un autre hôte que 127.0.0.1 (interdit : vie privée) :\n  {listed}")
    return result


@pytest.fixture(scope="session")
def site_builder(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Path], Path]:
    """Build a site from a fixture `places/` folder, once per name in the session."""
    built: dict[str, Path] = {}

    def make(name: str, places_dir: Path) -> Path:
        if name not in built:
            built[name] = build_site(tmp_path_factory.mktemp(name) / "site", places_dir=places_dir)
        return built[name]

    return make
