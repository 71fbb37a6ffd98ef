"""A real MkDocs build of the fixture: the pages exist where residents and QR codes expect
them, place pages stay out of the menu, and a wrong record stops the build in French."""

from __future__ import annotations

import functools
import gc
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from support import write_mkdocs_config

from annuaire import collector
from annuaire.site.rendered import compact

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_PLACES = ROOT / "tests" / "fixtures" / "site" / "places"
BUILD_DATE = "2025-01-15"


def run_build(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNUAIRE_DATE", BUILD_DATE)
    build(load_config(config_file=str(config_file), strict=True))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    with pytest.MonkeyPatch.context() as monkeypatch:
        run_build(write_mkdocs_config(folder, FIXTURE_PLACES), monkeypatch)
    return folder / "site"


def test_a_build_leaves_pythons_collector_as_it_found_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build collects garbage less often (`annuaire/collector.py`); `mkdocs serve` runs builds
    for hours in one process, which must not keep that setting between them."""
    before = gc.get_threshold()
    assert before != collector.DURING_A_BUILD
    restore = collector.fewer_collections()
    assert gc.get_threshold() == collector.DURING_A_BUILD
    restore()
    assert gc.get_threshold() == before
    run_build(write_mkdocs_config(tmp_path, FIXTURE_PLACES), monkeypatch)
    assert gc.get_threshold() == before
    # Nor a build stopped by a record to correct.
    places = tmp_path / "places"
    shutil.copytree(FIXTURE_PLACES, places)
    (places / "poitiers" / "mauvaise-fiche.yml").write_text(BAD_RECORD, encoding="utf-8")
    with pytest.raises(Abort):
        run_build(write_mkdocs_config(tmp_path, places), monkeypatch)
    assert gc.get_threshold() == before


def test_once_the_command_is_over_nothing_of_the_build_waits_for_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`mkdocs build` ends with on_shutdown: the build's pages must go with their last reference,
    not wait in a cycle with their files for the collector (at 20,000 places, 1.3 s of the
    command's exit). Only the menu's dozen pages, which point to one another, are left to it;
    and the collector is set back as it was only then."""
    monkeypatch.setenv("ANNUAIRE_DATE", BUILD_DATE)
    config = load_config(config_file=str(write_mkdocs_config(tmp_path, FIXTURE_PLACES)), strict=True)
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does

    hook = next(iter(config["hooks"].values()))

    def generated_pages() -> list[Any]:
        """This build's: an earlier test's build in this process may have left its own."""
        return [o for o in gc.get_objects() if type(o) is hook._GeneratedPage
                and o.file.dest_dir.startswith(str(tmp_path))]

    before = gc.get_threshold()
    gc.collect()
    gc.disable()
    try:
        build(config)
        assert len(generated_pages()) > 100
        # The collector's full pass would walk the whole build once more: put back after it goes.
        assert gc.get_threshold() == collector.DURING_A_BUILD
        config.plugins.on_shutdown()
        left = generated_pages()
        assert len(left) < 20 and all(page.file.inclusion.is_in_nav() for page in left)
        assert gc.get_threshold() == before
    finally:
        gc.enable()
    assert (tmp_path / "site" / "lieux" / "poitiers" / "mediatheque-des-essais" / "index.html").is_file()


def read(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def primary_nav(html: str) -> str:
    start = html.index('<nav class="md-nav md-nav--primary"')
    return html[start : html.index("</nav>", start)]


def test_place_commune_epci_and_service_pages_exist(site: Path):
    place = read(site, "lieux/poitiers/espace-numerique-des-tilleuls")
    assert "<h1>Espace numérique des Tilleuls</h1>" in place
    assert "05 49 00 00 12" in place
    assert "<title>Espace numérique des Tilleuls - Lieux numériques de la Vienne</title>" in place
    assert "Aucun lieu recensé dans cette commune." in read(site, "communes/adriers")
    assert "Point numérique du Moulin" in read(site, "territoires/cu-du-grand-poitiers")
    service = read(site, "services/acquisition-de-materiel-informatique-a-prix-solidaire")
    assert "Trouver un ordinateur ou un téléphone à petit prix" in service
    assert "Point numérique du Moulin" in service
    assert len(list((site / "communes").iterdir())) == 265
    home = read(site, "")
    assert "Faire une démarche en ligne" in home
    assert 'href="services/aide-aux-demarches-administratives/"' in home
    for page in ("accessibilite", "mentions-legales", "donnees-personnelles", "lieux", "territoires", "services"):
        assert (site / page / "index.html").is_file()


def test_menu_is_small_and_never_lists_places(site: Path):
    nav = primary_nav(read(site, "lieux/poitiers/espace-numerique-des-tilleuls"))
    for entry in ("Accueil", "Tous les lieux", "Par territoire", "Par besoin", "Mentions légales"):
        assert entry in nav
    assert "Espace numérique des Tilleuls" not in nav
    assert "communes/" not in nav and "Poitiers" not in nav
    assert len(re.findall(r"<a ", nav)) <= 17  # the fixed pages only, never the hundreds of places


def test_generated_pages_have_no_edit_button_but_their_own_edit_link(site: Path):
    place = read(site, "lieux/poitiers/espace-numerique-des-tilleuls")
    assert "/edit/main/docs/" not in place
    assert "/edit/main/places/poitiers/espace-numerique-des-tilleuls.yml" in place
    assert "/edit/main/docs/mentions-legales.md" in read(site, "mentions-legales")


def test_no_request_to_another_site_on_page_load(site: Path):
    """Scripts, styles, fonts and images all come from the site itself."""
    html = read(site, "lieux/poitiers/espace-numerique-des-tilleuls")
    tags = [t for t in re.findall(r"<(?:script|img|link|iframe)\b[^>]*>", html) if 'rel="canonical"' not in t]
    loaded = [m.group(1) for t in tags if (m := re.search(r'(?:src|href)="([^"]+)"', t))]
    assert loaded
    assert not [url for url in loaded if url.startswith(("http:", "https:", "//"))]



@pytest.mark.parametrize("page", [
    "index.html", "lieux/poitiers/espace-numerique-des-tilleuls/index.html",
    "lieux/poitiers/espace-numerique-des-tilleuls/imprimer/index.html", "trouver/index.html", "carte/index.html",
    "recherche/index.html", "hors-ligne/index.html", "integrer/communes/poitiers/index.html", "404.html",
])
def test_every_style_and_script_a_page_loads_asks_for_this_publications_version(site: Path, page: str) -> None:
    """A phone that kept yesterday's stylesheet (the offline copy) asks for today's with the
    first page of a new publication: each style and script is asked for with the version of
    the site's files, the same on every page, and the file is there."""
    html = (site / page).read_text(encoding="utf-8")
    tags = re.findall(r'<link rel="stylesheet" href="([^"]+)"|<script[^>]* src="([^"]+)"', html)
    loaded = [href or src for href, src in tags]
    assert loaded, page
    versions = {address.partition("?v=")[2] for address in loaded}
    assert len(versions) == 1 and re.fullmatch(r"[0-9a-f]{12}", versions.pop()), loaded
    base = (site / page).parent
    for address in loaded:
        plain = address.split("?", 1)[0]
        found = site / plain.removeprefix("/annuaire/") if plain.startswith("/") else base / plain
        assert found.is_file(), address


def test_documents_without_the_theme_show_the_sites_icon(site: Path) -> None:
    """A partner's list opened alone and a place's print version name the site's icon, as the
    theme's pages do: else the browser asks the server's root for `/favicon.ico` (an error on a
    partner's or GitHub's host)."""
    standalone = [*site.glob("integrer/communes/*/index.html"), *site.glob("lieux/*/*/imprimer/index.html")]
    theme_page = site / "lieux/poitiers/espace-numerique-des-tilleuls/index.html"
    assert len(standalone) > 2
    for page in [*standalone, theme_page]:
        icons = re.findall(r'<link rel="icon"[^>]* href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(icons) == 1, page
        assert (page.parent / icons[0]).resolve().is_file(), (page, icons[0])

BAD_RECORD = """\
# yaml-language-server: $schema=../../schemas/lieu.schema.json
id: test-mauvaise-fiche
nom: Mauvaise fiche
adresse: 1 rue Fausse
code_postal: '86999'
commune: Poitiers
code_insee: '86194'
horaires: lundi de 9h à midi
date_maj: '2024-08-01'
"""


@pytest.mark.parametrize(("html", "expected"), [
    ("<ul>\n    <li>Un</li>\n\n      <li>Deux</li>\n</ul>", "<ul>\n<li>Un</li>\n<li>Deux</li>\n</ul>"),
    ("<p>Ouvert\n      aujourd’hui</p>", "<p>Ouvert\naujourd’hui</p>"),  # still one space when shown
    ("<p>8\u202fh\u00a030 \n\u00a0– 12 h</p>", "<p>8\u202fh\u00a030\n\u00a0– 12 h</p>"),  # no-break spaces are text
    ("<pre>  a\n\n    b</pre>\n\n<p>x</p>", "<pre>  a\n\n    b</pre>\n<p>x</p>"),
    ("<textarea>\n  ligne\n\n</textarea>", "<textarea>\n  ligne\n\n</textarea>"),
    ("<script>\n  const a = `x\n\n  y`;\n</script>", "<script>\n  const a = `x\n\n  y`;\n</script>"),
    ("<p>rien à changer</p>", "<p>rien à changer</p>"),
])
def test_pages_lose_indentation_and_blank_lines_only(html: str, expected: str) -> None:
    assert compact(html) == expected


def test_generated_pages_are_written_without_indentation(site: Path) -> None:
    place = read(site, "lieux/poitiers/espace-numerique-des-tilleuls")
    outside = re.sub(r"<(pre|textarea|script|style)\b.*?</\1>", "<kept/>", place, flags=re.S)
    assert "\n " not in outside and "\n\n" not in outside
    assert "<h1>Espace numérique des Tilleuls</h1>" in place


def test_a_bad_record_stops_the_build_in_french_without_a_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    places = tmp_path / "places"
    shutil.copytree(FIXTURE_PLACES, places)
    (places / "poitiers" / "mauvaise-fiche.yml").write_text(BAD_RECORD, encoding="utf-8")
    config_file = write_mkdocs_config(tmp_path, places)

    with pytest.raises(Abort) as stopped:
        run_build(config_file, monkeypatch)

    message = str(stopped.value)
    assert "places/poitiers/mauvaise-fiche.yml:5:" in message  # file and line of code_postal
    assert "code_postal" in message and "86999" in message
    assert "places/poitiers/mauvaise-fiche.yml:8:" in message and "horaires" in message
    assert "le site n’est pas construit" in message
    assert "Traceback" not in message
    assert not (tmp_path / "site").exists()
    assert (places / "poitiers" / "mauvaise-fiche.yml").read_text(encoding="utf-8") == BAD_RECORD


def test_a_hand_written_page_where_a_generated_one_goes_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A commune's page is made from the records: a file written by hand at its address would
    hide the records' one, and the build says which file to delete."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "communes").mkdir(exist_ok=True)
    (docs / "communes" / "poitiers.md").write_text("# Poitiers\n", encoding="utf-8")
    config_file = write_mkdocs_config(tmp_path, FIXTURE_PLACES)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    with pytest.raises(Abort) as stopped:
        run_build(config_file, monkeypatch)

    assert "docs/communes/poitiers.md" in str(stopped.value) and "supprimez-le" in str(stopped.value)


def test_theme_fixes_privacy_and_accessibility_defaults(site: Path):
    html = read(site, "")
    # The repository link must not call the GitHub API (Material's "source" component does).
    assert 'data-md-component="source"' not in html
    # No Google Fonts.
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    # RGAA: the compliance status is linked from every page.
    assert "Accessibilité : non conforme" in read(site, "lieux/poitiers/mediatheque-des-essais")


def test_search_index_holds_the_pages_a_resident_looks_for(site: Path):
    """Pagefind's index is made after the build, from the pages as written: every page of the
    site except the print versions, the offline page and the search page itself."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    marked = [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert entry["languages"]["fr"]["page_count"] == len(marked)
    indexed = {p.parent.relative_to(site).as_posix() for p in marked}
    assert "lieux/poitiers/espace-numerique-des-tilleuls" in indexed and "communes/poitiers" in indexed
    assert not {"lieux/poitiers/espace-numerique-des-tilleuls/imprimer", "hors-ligne", "recherche"} & indexed
    assert not {"lieux", "trouver", "donnees/qualite"} & indexed  # lists that repeat every place
    assert not any(path.startswith("integrer/") for path in indexed)  # partners' lists
    assert not (site / "search" / "search_index.json").exists()  # the theme's one-file index is gone
    # Every page leads to the search page by a plain link, JavaScript or not.
    assert 'href="../../../recherche/"' in read(site, "lieux/poitiers/espace-numerique-des-tilleuls")


def test_a_wrong_build_date_is_explained_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config_file = write_mkdocs_config(tmp_path, FIXTURE_PLACES)
    monkeypatch.setenv("ANNUAIRE_DATE", "15/01/2025")
    with pytest.raises(Abort) as stopped:
        build(load_config(config_file=str(config_file), strict=True))
    assert "ANNUAIRE_DATE" in str(stopped.value) and "AAAA-MM-JJ" in str(stopped.value)
    assert not (tmp_path / "site").exists()


def test_the_serve_command_of_the_readme_serves_the_real_site(tmp_path: Path) -> None:
    """`./scripts/site` (no argument) is how a contributor sees the site: MkDocs refuses to start
    when a watched folder does not exist. Its `mkdocs serve` line is run as written (on another
    port, with an empty store) until the home page and a place page answer."""
    script = (ROOT / "scripts" / "site").read_text(encoding="utf-8")
    line = re.search(r"mkdocs serve (.*?)\"\$@\"", script, re.S)
    assert line is not None
    arguments = [a for a in line.group(1).replace("\\\n", " ").split() if a]
    watched = [arguments[i + 1] for i, a in enumerate(arguments) if a == "--watch"]
    assert watched and all((ROOT / w).exists() for w in watched), watched
    port = _free_port()
    arguments[arguments.index("--dev-addr") + 1] = f"127.0.0.1:{port}"
    env = {**os.environ, "ANNUAIRE_CACHE_DIR": str(tmp_path / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "mkdocs"), "serve", *arguments], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        home = _wait_for(f"http://127.0.0.1:{port}/annuaire/", server)
        assert "Lieux numériques de la Vienne" in home and 'href="lieux/"' in home
        place = re.search(r'href="\.\./(lieux/[^"]+/)"', _wait_for(f"http://127.0.0.1:{port}/annuaire/lieux/", server))
        assert place is not None
        assert "Appeler" in _wait_for(f"http://127.0.0.1:{port}/annuaire/{place.group(1)}", server)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, server: subprocess.Popen[str], seconds: float = 240) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"mkdocs serve s’est arrêté : {server.stderr.read() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return str(answer.read().decode("utf-8"))
        except OSError:
            time.sleep(1)
    raise AssertionError(f"{url} n’a pas répondu en {seconds} s")


def test_pages_wrapped_ahead_on_every_core_are_those_mkdocs_wraps_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A first build wraps the generated pages in the theme on every core before MkDocs writes
    them; with another plugin reading the pages' context it leaves them to MkDocs, one by one.
    Both must publish the same bytes (the menu shows where the reader is, the search reads the same)."""
    from annuaire import workers

    monkeypatch.setattr(workers, "MAP_FROM", 2)
    sites = {}
    for name, other_hook in (("ahead", False), ("one-by-one", True)):
        folder = tmp_path / name
        folder.mkdir()
        config = write_mkdocs_config(folder, FIXTURE_PLACES)
        if other_hook:
            hook = folder / "lecteur.py"
            hook.write_text("def on_page_context(context, page, config, nav):\n    return context\n", encoding="utf-8")
            settings = yaml.safe_load(config.read_text(encoding="utf-8"))
            settings["hooks"].append(str(hook))
            config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        monkeypatch.setenv("ANNUAIRE_CACHE_DIR", str(folder / "cache"))
        run_build(config, monkeypatch)
        site = folder / "site"
        sites[name] = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html")}
    ahead, one_by_one = sites["ahead"], sites["one-by-one"]
    assert len(ahead) > 100 and ahead.keys() == one_by_one.keys()
    assert [path for path in ahead if ahead[path] != one_by_one[path]] == []
    assert 'md-nav__link--active' in ahead["lieux/index.html"].decode("utf-8")


def test_a_rebuild_writes_over_the_last_site_and_leaves_what_a_build_into_an_empty_folder_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A correction rebuilds into the last site (`annuaire/previous_site.py`): the corrected
    place shows its new phone number, a page that did not change is not written again, what is
    no longer published is gone (what MkDocs keeps, a hidden `.git` or `.nojekyll`, stays), and
    the folder holds exactly the files, with the same bytes, that a first build writes."""
    places = tmp_path / "places"
    shutil.copytree(FIXTURE_PLACES, places)
    config = write_mkdocs_config(tmp_path, places)
    monkeypatch.setenv("ANNUAIRE_CACHE_DIR", str(tmp_path / "cache"))
    run_build(config, monkeypatch)
    site = tmp_path / "site"
    unchanged = site / "lieux" / "poitiers" / "mediatheque-des-essais" / "index.html"
    before = unchanged.stat()
    (site / "ancienne-page").mkdir()
    (site / "ancienne-page" / "index.html").write_text("<p>plus publiée</p>", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    record = places / "poitiers" / "espace-numerique-des-tilleuls.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("+33549000012", "+33549000099"), encoding="utf-8")

    run_build(config, monkeypatch)

    assert "05 49 00 00 99" in read(site, "lieux/poitiers/espace-numerique-des-tilleuls")
    assert "05 49 00 00 12" not in read(site, "lieux/poitiers/espace-numerique-des-tilleuls")
    assert unchanged.stat().st_ino == before.st_ino and unchanged.stat().st_mtime_ns == before.st_mtime_ns
    assert not (site / "ancienne-page").exists()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".nojekyll"]
    # Built again with nothing changed: the search index, kept, is not made or copied again either.
    index_before = (site / "pagefind").stat()
    run_build(config, monkeypatch)
    assert (site / "pagefind").stat().st_ino == index_before.st_ino
    assert (site / "pagefind").stat().st_mtime_ns == index_before.st_mtime_ns  # nothing added or removed in it
    (site / ".nojekyll").unlink()
    monkeypatch.setenv("ANNUAIRE_CACHE_DIR", str(tmp_path / "autre-cache"))
    fresh = tmp_path / "premier"
    fresh.mkdir()
    run_build(write_mkdocs_config(fresh, places), monkeypatch)
    assert _all_files(site) == _all_files(fresh / "site")


def _all_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

def test_pages_whose_kept_html_left_the_cache_are_written_again_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build links each page the cache keeps into the site without reading it; a page whose
    kept file is gone (the cache emptied, a build beside this one) is rendered again, and the
    site is the same."""
    config = write_mkdocs_config(tmp_path, FIXTURE_PLACES)
    cache = tmp_path / "cache"
    monkeypatch.setenv("ANNUAIRE_CACHE_DIR", str(cache))
    run_build(config, monkeypatch)
    site = tmp_path / "site"
    first = _all_files(site)
    kept = list((cache / "pages").glob("*.page.html"))
    assert len(kept) > 100
    for path in kept:
        path.unlink()

    run_build(config, monkeypatch)

    assert _all_files(site) == first
    page = site / "lieux" / "poitiers" / "mediatheque-des-essais" / "index.html"
    assert page.stat().st_nlink == 2  # kept again, and linked from there


def test_new_outlines_draw_the_maps_again_on_pages_kept_from_the_last_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A map is drawn as its page is rendered, and a page whose context did not change is taken
    from the cache: the outlines file is part of a map's context, so a corrected border shows on
    the next build, as on a build from nothing."""
    data = tmp_path / "donnees"
    data.mkdir()
    for name in ("territoire_86.json", "communes_86_positions.json", "communes_86_contours.geojson"):
        shutil.copy(ROOT / "data" / name, data / name)
    config = write_mkdocs_config(tmp_path, FIXTURE_PLACES, territory_file=data / "territoire_86.json")
    monkeypatch.setenv("ANNUAIRE_CACHE_DIR", str(tmp_path / "cache"))
    run_build(config, monkeypatch)
    site = tmp_path / "site"
    before = read(site, "communes/poitiers")
    outlines_path = data / "communes_86_contours.geojson"
    outlines = json.loads(outlines_path.read_text(encoding="utf-8"))
    poitiers = next(f["geometry"] for f in outlines["features"] if f["properties"]["code"] == "86194")
    ring = (poitiers["coordinates"][0] if poitiers["type"] == "MultiPolygon" else poitiers["coordinates"])[0]
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    middle = (sum(xs) / len(xs), sum(ys) / len(ys))
    # A border point drawn half-way to the commune's middle: its box, neighbours and distances stay.
    moved = next(point for point in ring[1:-1] if point[0] not in (min(xs), max(xs)) and point[1] not in (min(ys), max(ys)))
    moved[0], moved[1] = (moved[0] + middle[0]) / 2, (moved[1] + middle[1]) / 2
    outlines_path.write_text(json.dumps(outlines), encoding="utf-8")

    run_build(config, monkeypatch)

    after = read(site, "communes/poitiers")
    assert after != before
    monkeypatch.setenv("ANNUAIRE_CACHE_DIR", str(tmp_path / "autre-cache"))
    fresh = tmp_path / "premier"
    fresh.mkdir()
    run_build(write_mkdocs_config(fresh, FIXTURE_PLACES, territory_file=data / "territoire_86.json"), monkeypatch)
    assert after == read(fresh / "site", "communes/poitiers")
    assert read(site, "couverture") == read(fresh / "site", "couverture")


@functools.cache
def _hook() -> Any:
    """The hook's module, loaded once for the table below."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("hook_for_urls", ROOT / "hooks" / "directory.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("base", "url", "shortcut"), [
    ("https://lieux-numeriques-86.github.io/annuaire/", "lieux/poitiers/mediatheque-des-essais/", True),
    ("https://lieux-numeriques-86.github.io/annuaire", "lieux/poitiers/mediatheque-des-essais/", True),
    ("https://exemple.fr/", "", True),
    ("https://exemple.fr", "communes/saint-benoit/", True),
    ("http://127.0.0.1:8000/annuaire/", "donnees/qualite/appels-cc-du-civraisien-en-poitou.pdf", True),
    ("https://exemple.fr/annuaire/", "a.b/c/", True),
    # Not plain paths, or a site address with a query or a fragment: MkDocs's own answer
    ("https://exemple.fr/annuaire/", "../ailleurs/", False),
    ("https://exemple.fr/annuaire/", "./lieux/", False),
    ("https://exemple.fr/annuaire/", "/lieux/", False),
    ("https://exemple.fr/annuaire/", "lieux/?q=1", False),
    ("https://exemple.fr/annuaire/?v=1", "lieux/", False),
    ("https://exemple.fr/annuaire/#haut", "lieux/", False),
    ("", "lieux/", False),
    (None, "lieux/", False),
])
def test_a_generated_pages_canonical_address_is_mkdocs_own(base: str | None, url: str, shortcut: bool) -> None:
    """The sitemap, the `<link rel="canonical">` and every kept page's key read these addresses:
    the shortcut for plain paths must give MkDocs's answer, and leave every other case to it."""
    from types import SimpleNamespace

    from mkdocs.structure.pages import Page

    expected = SimpleNamespace(url=url)
    Page._set_canonical_url(expected, base)  # type: ignore[arg-type]
    plain = _hook().plain_canonical_urls(base, url)
    assert (plain is not None) == shortcut
    assert plain is None or plain == (expected.canonical_url, expected.abs_url)
