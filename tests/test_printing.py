"""Flyers, posters and QR codes as they come out of a real build of the fixture site: every
code read back by a real decoder (PNG, SVG drawn by chromium, PDF printed at 150 dpi), the
text of the PDFs, the batches by territory, and no PDF redone when nothing changed.

The helpers of `test_qr.py` and `test_flyers.py` are reused (same decoder, same printer).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import pickle
import re
import shutil
from pathlib import Path

import jinja2
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from PIL import Image
from test_flyers import plain, print_pdf, qr_codes
from test_qr import _chromium_screenshots, decode

from annuaire import urls, workers
from annuaire.model import directory as directory_module
from annuaire.printing import cache as print_cache
from annuaire.printing import flyers, produce
from annuaire.printing.cache import Drawing, PrintCache, Store
from annuaire.printing.qr import make_qr
from annuaire.settings import CACHE_ENV
from annuaire.site import rendered, search
from annuaire.site.templating import bytecode_cache

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "tests" / "fixtures" / "flyers" / "places"
LEDGER = ROOT / "tests" / "fixtures" / "printing" / "urls-publiees.txt"
PUBLIC = "https://lieux-numeriques-86.github.io/annuaire/"
BUILD_DATE = "2025-08-01"
OPEN_PLACES = [
    "lieux/chasseneuil-du-poitou/point-numerique-exemple/",
    "lieux/chatellerault/cafe-numerique-le-boeuf/",
    "lieux/montmorillon/france-services-exemple/",
    "lieux/naintre/relais-numerique-exemple/",
    "lieux/poitiers/atelier-numerique-exemple/",
    "lieux/poitiers/mediatheque-exemple/",
    "lieux/saint-georges-les-baillargeaux/espace-public-numerique-intercommunal-des-communes-du-nord/",
]


def project(folder: Path) -> Path:
    """A copy of the fixture records with their ledger: `places/` and `data/urls-publiees.txt`."""
    shutil.copytree(PLACES, folder / "places")
    (folder / "data").mkdir()
    shutil.copy(LEDGER, folder / "data" / "urls-publiees.txt")
    return folder / "places"


def forget_place_pdfs(folder: Path) -> None:
    """The ledger of a new site without PDFs for each place: no place has published one
    (`pdf_par_lieu: false` is refused once a `lieux/*/*/….pdf` address is in it)."""
    ledger = folder / "data" / "urls-publiees.txt"
    ledger.write_text("".join(line + "\n" for line in ledger.read_text(encoding="utf-8").splitlines()
                              if not line.endswith(".pdf")), encoding="utf-8")


def build_site(
    places_dir: Path, site_dir: Path, monkeypatch: pytest.MonkeyPatch, cache: Path, dirty: bool = False,
    annuaire: dict[str, object] | None = None, **settings: str,
) -> Path:
    """A strict build of `places_dir` by MkDocs; `annuaire`: more of `extra.annuaire`."""
    monkeypatch.setenv("ANNUAIRE_DATE", BUILD_DATE)
    monkeypatch.setenv(CACHE_ENV, str(cache))  # each build starts with an empty memory: only the disk helps
    # --dirty always warns (« inaccurate navigation »): strict only for full builds.
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=not dirty, **settings)
    config["extra"]["annuaire"] = {**config["extra"]["annuaire"], "places_dir": str(places_dir),
                                   "encarts_bulletin": False,  # tests/test_inserts.py
                                   **(annuaire or {})}
    build(config, dirty=dirty)
    return site_dir


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("printing")
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build_site(project(folder), folder / "site", monkeypatch, folder / "cache")


def test_each_open_place_has_its_print_files_and_closed_places_none(site: Path) -> None:
    for path in OPEN_PLACES:
        for name in ("qr.svg", "qr.png", "flyer-a5.pdf", "affiche-a4.pdf", "imprimer/index.html"):
            assert (site / path / name).is_file(), path + name
    assert not (site / "lieux/poitiers/ancien-point-numerique/flyer-a5.pdf").exists()


def test_every_file_of_the_site_can_be_read_by_the_web_server(site: Path) -> None:
    """Print files come from the store (linked, not copied): they must be readable by others,
    as every page is, or a web server running as another user answers 403 for a flyer."""
    unreadable = [str(f.relative_to(site)) for f in site.rglob("*") if f.is_file() and not f.stat().st_mode & 0o004]
    assert unreadable == []


def test_png_qr_codes_decode_to_the_public_page(site: Path) -> None:
    for path in OPEN_PLACES:
        assert decode(Image.open(site / path / "qr.png")) == [PUBLIC + path], path


def test_svg_qr_codes_drawn_by_chromium_decode_to_the_public_page(site: Path) -> None:
    svgs = [(site / path / "qr.svg").read_text(encoding="utf-8") for path in OPEN_PLACES]
    shots = _chromium_screenshots(
        [f'<body style="margin:0;background:#333"><div id="qr" style="width:240px">{svg}</div></body>' for svg in svgs]
    )
    for path, png in zip(OPEN_PLACES, shots):
        assert decode(Image.open(io.BytesIO(png))) == [PUBLIC + path], path


@pytest.mark.parametrize("name", ["flyer-a5.pdf", "affiche-a4.pdf"])
def test_printed_pdfs_scan_to_the_public_page(site: Path, tmp_path: Path, name: str) -> None:
    for index, path in enumerate(OPEN_PLACES):
        printed = print_pdf((site / path / name).read_bytes(), tmp_path, f"p{index}")
        assert len(printed.pages) == 1
        assert [c.text for c in qr_codes(printed.pages[0])] == [PUBLIC + path], path


def test_no_flyer_prints_an_empty_promise(site: Path, tmp_path: Path) -> None:
    """What a record does not say is left out of the flyer, never printed as « non renseigné »."""
    for index, path in enumerate(OPEN_PLACES):
        text = plain(print_pdf((site / path / "flyer-a5.pdf").read_bytes(), tmp_path, f"v{index}").text())
        assert "renseign" not in text.lower(), path
    general = plain(print_pdf((site / urls.GENERAL_A5).read_bytes(), tmp_path, "g").text())
    assert "renseign" not in general.lower()


def test_pdf_text_has_name_address_and_phone_with_accents(site: Path, tmp_path: Path) -> None:
    printed = print_pdf((site / "lieux/chatellerault/cafe-numerique-le-boeuf/flyer-a5.pdf").read_bytes(), tmp_path)
    text = plain(printed.text())
    assert "Café numérique « Le Bœuf à l’École »" in text
    assert "12 rue de l’Œuvre" in text and "86100 Châtellerault" in text
    assert "05 49 00 00 11" in text


def test_place_page_shows_the_code_the_address_and_sized_links(site: Path) -> None:
    path = "lieux/poitiers/mediatheque-exemple/"
    html = (site / path / "index.html").read_text(encoding="utf-8")
    assert 'src="../../../lieux/poitiers/mediatheque-exemple/qr.svg"' in html
    assert f'alt="QR code vers {PUBLIC}{path}"' in html
    shown = re.sub(r"<wbr>", "", html)
    assert PUBLIC + path in shown  # printed in full under the code, for those who type it
    size = (site / path / "flyer-a5.pdf").stat().st_size
    assert f"Flyer A5 (PDF, {-(-size // 1024)} Ko)" in html
    assert re.search(r"Affiche A4 \(PDF, \d+ Ko\)", html)
    assert 'href="../../../lieux/poitiers/mediatheque-exemple/imprimer/"' in html


def test_printable_html_flyer_page(site: Path, tmp_path: Path) -> None:
    html = (site / "lieux/poitiers/mediatheque-exemple/imprimer/index.html").read_text(encoding="utf-8")
    # Its styles are one file for every place, with the sheet's size for the printer.
    assert re.search(r'<link rel="stylesheet" href="\.\./\.\./\.\./\.\./assets/annuaire/imprimer\.css\?v=[0-9a-f]{12}">', html)
    css = (site / "assets/annuaire/imprimer.css").read_text(encoding="utf-8")
    assert "@page { size: A5" in css and "size: A4" in css
    assert re.search(r"@media print \{[^}]*\.annuaire-aide-impression", css)  # the help is not printed
    # A page of its own: no site header, menu or footer to hide on paper, and no place in the
    # sitemap; it leads back to the place's page and to the home page.
    assert html.startswith("<!doctype html>\n<html lang=\"fr\">") and "md-header" not in html
    assert '<a href="../../../../lieux/poitiers/mediatheque-exemple/">Médiathèque d’exemple</a>' in html
    assert '<a href="../../../../">Accueil de l’annuaire</a>' in html
    assert "imprimer/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f'<img src="../qr.svg" alt="QR code vers {PUBLIC}lieux/poitiers/mediatheque-exemple/"' in html
    assert "Médiathèque d’exemple" in html
    assert "&lt;svg" not in html and "&lt;article" not in html
    # The page prints the service lines the PDF flyer prints (kept with the PDF when it is drawn).
    flyer = html[html.index('class="annuaire-flyer'):]
    lines = re.findall(r"<li>([^<]+)</li>", flyer[:flyer.index("</ul>")])
    pdf = plain(print_pdf((site / "lieux/poitiers/mediatheque-exemple/flyer-a5.pdf").read_bytes(), tmp_path).text())
    assert len(lines) >= 2 and all(plain(line) in pdf for line in lines), lines


def test_general_flyer_and_batches_by_territory(site: Path, tmp_path: Path) -> None:
    html = (site / "affiches/index.html").read_text(encoding="utf-8")
    assert "Flyer avec QR code permettant d’accéder directement à la carte" in html
    printed = print_pdf((site / urls.GENERAL_A5).read_bytes(), tmp_path, "general")
    assert [c.text for c in qr_codes(printed.pages[0])] == [PUBLIC]
    assert decode(Image.open(site / urls.HOME_QR_PNG)) == [PUBLIC]

    everything = print_pdf((site / urls.ALL_PLACES_BATCH).read_bytes(), tmp_path, "vienne")
    scanned = sorted(c.text for page in everything.pages for c in qr_codes(page))
    assert scanned == sorted(PUBLIC + p for p in OPEN_PLACES)  # open places only, one page each
    poitiers = print_pdf((site / "affiches/commune/poitiers-a5.pdf").read_bytes(), tmp_path, "poitiers")
    assert len(poitiers.pages) == 2
    grand_poitiers = next((site / "affiches/intercommunalite").glob("*grand-poitiers*-a5.pdf"))
    assert len(print_pdf(grand_poitiers.read_bytes(), tmp_path, "gp").pages) == 4
    for link in re.findall(r'href="\.\./([^"]+\.pdf)"', html):
        assert (site / link).is_file(), link
    assert re.search(r"Poitiers : 2 flyers A5, 2 pages \(PDF, \d+ Ko\)", html)
    assert re.search(r"Les mêmes, deux par feuille A4 : 1 feuille à couper \(PDF, \d+ Ko\)", html)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="affiches/"' in home


def test_rebuild_with_nothing_changed_renders_no_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places_dir = project(tmp_path)
    cache = tmp_path / "cache"
    renders: list[str] = []
    # Counted in this process: draw and render here rather than in worker processes.
    monkeypatch.setattr(print_cache, "PARALLEL_FROM", 10**9)
    monkeypatch.setattr(workers, "MAP_FROM", 10**9)
    real_place, real_batch = flyers.flyer_files, flyers.batch_pdf  # a place's flyer is drawn by flyer_files
    monkeypatch.setattr(flyers, "flyer_files", lambda *a, **k: renders.append("lieu") or real_place(*a, **k))
    drawn_pages: list[int] = []  # pages of each batch drawn (not assembled)

    def counted_batch(batch_flyers: list[flyers.Flyer], *args: str) -> bytes:
        renders.append("lot")
        drawn_pages.append(len(batch_flyers))
        return real_batch(batch_flyers, *args)

    monkeypatch.setattr(flyers, "batch_pdf", counted_batch)
    real_check = directory_module.check_directory
    monkeypatch.setattr(directory_module, "check_directory", lambda *a: renders.append("fiches") or real_check(*a))
    real_index = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda *a: renders.append("index") or real_index(*a))
    compiled: list[str | None] = []  # templates compiled (not taken from an earlier build)
    real_compile = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *a, **k: compiled.append(name) or real_compile(self, source, name, *a, **k))
    read_through: list[bytes] = []  # pages read through for what the search index depends on
    real_indexed = search._indexed
    monkeypatch.setattr(search, "_indexed", lambda page: read_through.append(page) or real_indexed(page))
    wrapped: list[str] = []  # pages the theme wrapped (not kept from an earlier build)
    digest_files: list[str] = []  # search digests read from a file of their own (a page new since the last build)
    real_get = print_cache.Store.get
    monkeypatch.setattr(print_cache.Store, "get", lambda self, k, suffix: (
        digest_files.append(k) if suffix == rendered.DIGEST_SUFFIX else None) or real_get(self, k, suffix))
    real_put = rendered.RenderedPages.put
    monkeypatch.setattr(rendered.RenderedPages, "put", lambda self, k, html: wrapped.append(html) or real_put(self, k, html))
    first = build_site(places_dir, tmp_path / "s1", monkeypatch, cache)
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    generated = len(wrapped)  # every generated page, the first time
    assert generated > len(OPEN_PLACES) * 2
    assert renders.count("index") == 1
    assert "place.html" in compiled and "main.html" in compiled  # the site's templates and the theme's
    # Each place is drawn twice: its own flyer and its page of its commune's batch; posters,
    # sheets, intercommunality and département batches are assembled from those pages.
    assert renders.count("lieu") == len(OPEN_PLACES) and sum(drawn_pages) == len(OPEN_PLACES)

    assert len(read_through) > len(OPEN_PLACES)
    renders.clear()
    wrapped.clear()
    read_through.clear()
    digest_files.clear()
    second = build_site(places_dir, tmp_path / "s2", monkeypatch, cache)
    # No record checked again, no PDF drawn, no page indexed for search: the generated part
    # (annuaire/kept.py) and the search index are read back.
    assert renders == []
    assert wrapped == []  # no page wrapped by the theme again: the kept pages are written
    assert read_through == []  # nor read through again to know whether the search index changed
    assert digest_files == []  # their digests are read from one file, not one per page
    assert sorted(p.relative_to(second) for p in second.rglob("*.html")) == pages
    for page in pages:
        assert (first / page).read_bytes() == (second / page).read_bytes(), page
    for kept in (first / "pagefind").rglob("*"):
        if kept.is_file():
            assert kept.read_bytes() == (second / kept.relative_to(first)).read_bytes(), kept
    for path in OPEN_PLACES:  # byte-identical output
        for name in ("flyer-a5.pdf", "affiche-a4.pdf", "qr.png", "qr.svg"):
            assert (first / path / name).read_bytes() == (second / path / name).read_bytes()
    assert (first / urls.ALL_PLACES_BATCH).read_bytes() == (second / urls.ALL_PLACES_BATCH).read_bytes()

    # One record changes: only its flyer and its commune's pages are drawn again.
    record = places_dir / "naintre" / "relais-numerique-exemple.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("date_maj: '", "date_maj: '2025-07-30'\n#", 1),
                      encoding="utf-8")
    renders.clear()
    wrapped.clear()
    drawn_pages.clear()
    compiled.clear()
    read_through.clear()
    third = build_site(places_dir, tmp_path / "s3", monkeypatch, cache)
    # Pages rendered and wrapped again, by templates compiled by the first build; only the
    # pages that changed are read through for the search index.
    assert compiled == []
    assert 0 < len(read_through) <= len(wrapped)
    assert renders.count("index") == 0  # only its date changed: nothing the search reads (see below)
    assert renders.count("fiches") == 1  # a record changed: the records are read again (the others taken back)
    # Its page, its print page, and the lists that show its date are wrapped again; not the others.
    assert any("relais-numerique-exemple" in html and "30 juillet 2025" in html for html in wrapped)
    assert 0 < len(wrapped) < generated / 3
    assert renders.count("lieu") == 1
    # Naintré's pages only; its intercommunality's batch and the département's are assembled.
    assert drawn_pages == [len(list((places_dir / "naintre").glob("*.yml")))]
    naintre = "lieux/naintre/relais-numerique-exemple/"
    assert (third / naintre / "affiche-a4.pdf").read_bytes() != (first / naintre / "affiche-a4.pdf").read_bytes()
    assert (third / urls.ALL_PLACES_BATCH).read_bytes() != (first / urls.ALL_PLACES_BATCH).read_bytes()
    # What the store kept and what a first build makes are the same bytes.
    fresh = build_site(places_dir, tmp_path / "s4", monkeypatch, tmp_path / "cache-vide")
    for name in (urls.ALL_PLACES_BATCH, urls.sheets_of(urls.ALL_PLACES_BATCH), "affiches/commune/poitiers-a5.pdf",
                 naintre + "affiche-a4.pdf", naintre + "deux-flyers-a4.pdf", *(str(p) for p in pages),
                 *(str(p.relative_to(third)) for p in (third / "affiches" / "livrets").glob("*.pdf"))):
        assert (third / name).read_bytes() == (fresh / name).read_bytes(), name
    assert search_bundle(third) == search_bundle(fresh)  # the kept search index is the one made afresh

    # The first site folder built again with --dirty: its print files are replaced, never written
    # into (they may be links to the store, which still holds the earlier poster for other sites).
    before = (second / naintre / "affiche-a4.pdf").read_bytes()
    build_site(places_dir, first, monkeypatch, cache, dirty=True)
    assert (first / naintre / "affiche-a4.pdf").read_bytes() == (third / naintre / "affiche-a4.pdf").read_bytes()
    assert (second / naintre / "affiche-a4.pdf").read_bytes() == before

    # What every page shares changes (here the footer): every page is wrapped again, and shows it.
    wrapped.clear()
    footer = build_site(places_dir, tmp_path / "s5", monkeypatch, cache, copyright="Pied de page changé")
    assert len(wrapped) == generated
    assert "Pied de page changé" in (footer / naintre / "index.html").read_text(encoding="utf-8")


def search_bundle(site_dir: Path) -> dict[str, bytes]:
    """The search index of a built site, file by file."""
    bundle = site_dir / search.BUNDLE
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}


def indexed_texts(site_dir: Path) -> str:
    """The texts Pagefind keeps for the results (its fragments: gzip, then JSON)."""
    return "".join(gzip.decompress(f.read_bytes()).decode("utf-8") for f in (site_dir / "pagefind/fragment").iterdir())


def test_a_corrected_phone_or_hours_keeps_the_search_index(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The most common corrections (a phone, opening hours) touch nothing the search reads: the
    site is not indexed again, and the index kept is exactly the one made from the new pages. A
    new name is searched: the index is made again, and finds it."""
    places_dir = project(tmp_path)
    record = places_dir / "poitiers" / "mediatheque-exemple.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("+33549000012", "+33549998877").replace("Tu-Sa 10:00-12:30", "Tu-Sa 09:00-12:30"),
                      encoding="utf-8")
    indexed: list[Path] = []
    real_index = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda folder, *rest: indexed.append(folder) or real_index(folder, *rest))
    corrected = build_site(places_dir, tmp_path / "corrige", monkeypatch, site.parent / "cache")
    page = (corrected / "lieux/poitiers/mediatheque-exemple/index.html").read_text(encoding="utf-8")
    assert "05 49 99 88 77" in page and "9 h" in page
    assert indexed == []  # kept from the first build of the same records
    afresh = tmp_path / "afresh"
    shutil.copytree(corrected, afresh, ignore=shutil.ignore_patterns(search.BUNDLE))
    search.index_site(afresh)
    assert search_bundle(corrected) == search_bundle(afresh)

    record.write_text(text.replace("nom: Médiathèque d’exemple", "nom: Médiathèque Renommée"), encoding="utf-8")
    missing: list[str] = []

    def index(folder: Path, pages: dict[str, bytes], given: Store) -> None:
        missing.extend(path for path, digest in pages.items() if not given.has(digest.hex(), ".html"))
        indexed.append(folder)
        real_index(folder, pages, given)

    monkeypatch.setattr(search, "_run_pagefind", index)
    renamed = build_site(places_dir, tmp_path / "renomme", monkeypatch, site.parent / "cache")
    assert indexed[-1].is_relative_to(renamed)  # made again, from the renamed site
    assert "Médiathèque Renommée" in indexed_texts(renamed) and "Médiathèque Renommée" not in indexed_texts(site)
    # What Pagefind is given of each page is kept from the builds before, or from this one's
    # new pages: none is read back from the site (at 20,000 places, 8 s of reading).
    assert missing == []


@pytest.mark.parametrize(("page", "read"), [
    # What Pagefind reads of a page: the elements marked to ignore go, with what they hold.
    (b"<p>a</p><ul data-pagefind-ignore><li>05 49</li></ul><p>b</p>", b"<p>a</p><p>b</p>"),
    (b"<div data-pagefind-ignore><div>x</div>y</div>z", b"z"),  # nested elements of the same name
    (b"a<br data-pagefind-ignore>b", b"ab"),
    (b'<p title="data-pagefind-ignore">a</p>', b'<p title="data-pagefind-ignore">a</p>'),  # not a mark
    (b"<p>data-pagefind-ignore</p>", b"<p>data-pagefind-ignore</p>"),
    # When in doubt the element stays (the index is made again rather than kept stale):
    (b"<ul data-pagefind-ignore><li>x", b"<ul data-pagefind-ignore><li>x"),  # never closed
    (b'<div data-pagefind-ignore><b data-pagefind-filter="ville">x</b></div>',  # filters are read inside
     b'<div data-pagefind-ignore><b data-pagefind-filter="ville">x</b></div>'),
    (b"<div data-pagefind-ignore><script>'<div>'</script></div>", b"<div data-pagefind-ignore><script>'<div>'</script></div>"),
    # Drawings: Pagefind reads no text in them, not even their titles.
    (b'<p>a</p><svg viewBox="0 0 9 9"><title>Avanton</title><a href="x"><path d="M0 0"/></a></svg><p>b</p>', b"<p>a</p><p>b</p>"),
    (b"<svg><svg><text>x</text></svg></svg>y<svg/>z", b"yz"),
    (b"<svg><text>x</text>", b"<svg><text>x</text>"),  # never closed
    (b'<svg><text data-pagefind-filter="ville">x</text></svg>', b'<svg><text data-pagefind-filter="ville">x</text></svg>'),
    (b'<script>var s = "<svg>";</script><p>a</p><svg></svg>', b'<script>var s = "<svg>";</script><p>a</p>'),
    (b"<!-- <svg> --><p>a</p></svg>", b"<!-- <svg> --><p>a</p></svg>"),
    (b"<div data-pagefind-ignore><svg></svg>x</div><svg><div data-pagefind-ignore></div></svg>y", b"y"),
])
def test_what_the_search_index_depends_on(page: bytes, read: bytes) -> None:
    assert search._indexed(page) == read


def test_a_directory_too_big_for_one_document_points_to_its_intercommunalities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At national size a single PDF of every place (batch or guide) is too heavy: its address
    keeps working and leads, by a QR code, to the page of the smaller files."""
    monkeypatch.setattr(produce, "ONE_DOCUMENT_MAX", 3)
    site = build_site(project(tmp_path), tmp_path / "site", monkeypatch, tmp_path / "cache")
    for path in (urls.ALL_PLACES_BATCH, urls.sheets_of(urls.ALL_PLACES_BATCH), urls.DEPARTEMENT_BOOKLET):
        notice = print_pdf((site / path).read_bytes(), tmp_path, Path(path).stem)
        assert len(notice.pages) == 1, path
        assert [c.text for c in qr_codes(notice.pages[0])] == [PUBLIC + "affiches/"], path
        assert "trop lourd" in plain(notice.text())
    html = (site / "affiches/index.html").read_text(encoding="utf-8")
    assert "trop de lieux pour un seul fichier" in html and "trop de lieux pour un seul guide" in html
    assert "flyers-vienne-a5.pdf" not in html and "livrets/departement.pdf" not in html
    # So is an intercommunality's (Grand Poitiers has 4 places here): its communes' files are whole.
    for number, path in enumerate((urls.epci_batch("cu-du-grand-poitiers"), urls.epci_booklet("cu-du-grand-poitiers"),
                                   urls.sheets_of(urls.epci_batch("cu-du-grand-poitiers")))):
        notice = print_pdf((site / path).read_bytes(), tmp_path, f"grand-poitiers-{number}")
        assert len(notice.pages) == 1, path
        assert [c.text for c in qr_codes(notice.pages[0])] == [PUBLIC + "affiches/"], path
        assert "rangés par commune" in plain(notice.text())
    assert "rangés par commune" in plain(html)
    epci_page = plain((site / "territoires/cu-du-grand-poitiers/index.html").read_text(encoding="utf-8"))
    assert "trop de lieux pour un seul fichier" in epci_page
    poitiers = print_pdf((site / urls.commune_batch("poitiers")).read_bytes(), tmp_path, "poitiers")
    assert len(poitiers.pages) == 2  # still there, whole
    smaller = [p for p in (site / "affiches/intercommunalite").glob("*-a5.pdf") if "grand-poitiers" not in p.name]
    assert smaller and all(len(print_pdf(p.read_bytes(), tmp_path, f"autre-{i}").pages) <= 3
                           for i, p in enumerate(smaller))
    # The département's call sheet too: one page leading to the data-health page, whose
    # intercommunalities' sheets are still there and list their places.
    notice = print_pdf((site / "donnees/qualite/appels-departement.pdf").read_bytes(), tmp_path, "appels")
    assert len(notice.pages) == 1
    assert [c.text for c in qr_codes(notice.pages[0])] == [PUBLIC + "donnees/qualite/"]
    assert "trop longue à imprimer" in plain(notice.text())
    quality = plain((site / "donnees/qualite/index.html").read_text(encoding="utf-8"))
    assert "une seule fiche serait trop longue" in quality and "appels-departement.pdf" not in quality
    sheet = print_pdf((site / "donnees/qualite/appels-cu-du-grand-poitiers.pdf").read_bytes(), tmp_path, "gp-appels")
    assert "Vérifier les lieux" in plain(sheet.text())


def _numbered(n: int) -> dict[str, bytes]:
    return {"txt": f"page {n}".encode(), "png": bytes([n])}


def _never(n: int) -> dict[str, bytes]:
    raise AssertionError(f"drawn again: {n}")


def test_a_template_changed_since_the_last_build_is_compiled_again(tmp_path: Path) -> None:
    """Templates are kept compiled between builds: a changed template must show, never the old one."""
    (tmp_path / "t").mkdir()
    template = tmp_path / "t" / "page.html"

    def rendered_now() -> str:
        loader = jinja2.FileSystemLoader(tmp_path / "t")
        return jinja2.Environment(loader=loader, bytecode_cache=bytecode_cache(tmp_path / "compiled")).get_template(
            "page.html").render(nom="Vouillé")

    template.write_text("Lieu : {{ nom }}", encoding="utf-8")
    assert rendered_now() == "Lieu : Vouillé"
    assert list((tmp_path / "compiled").iterdir())  # kept for the next build
    template.write_text("Le lieu {{ nom }}", encoding="utf-8")
    assert rendered_now() == "Le lieu Vouillé"
    for kept in (tmp_path / "compiled").iterdir():  # a damaged file is compiled again, not read
        kept.write_bytes(kept.read_bytes()[:20])
    assert rendered_now() == "Le lieu Vouillé"


def test_missing_outputs_are_drawn_on_every_core_in_order_then_kept(tmp_path: Path) -> None:
    keys = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(40)]
    drawn = PrintCache(tmp_path).draw_all([Drawing(k, ("txt", "png"), _numbered, (n,)) for n, k in enumerate(keys)])
    assert [bytes(d["txt"]) for d in drawn] == [f"page {n}".encode() for n in range(40)]  # each in its place
    assert (tmp_path / f"{keys[7]}.png").read_bytes() == bytes([7])
    # Kept in the store by the workers: the build holds where they are, not their bytes.
    assert all(isinstance(blob, print_cache.StoredFile) for d in drawn for blob in d.values())
    again = PrintCache(tmp_path).draw_all([Drawing(k, ("txt", "png"), _never, (n,)) for n, k in enumerate(keys)])
    assert _read(again) == _read(drawn)  # a rebuild draws nothing


def _read(drawn: list[dict[str, print_cache.Blob]]) -> list[dict[str, bytes]]:
    return [{name: bytes(blob) for name, blob in files.items()} for files in drawn]


def _in_parent_only(n: int, parent: int) -> dict[str, bytes]:
    if os.getpid() != parent:
        raise RuntimeError("échec simulé du processus d’arrière-plan")
    return _numbered(n)


def test_outputs_drawn_in_the_background_are_the_same_and_a_failure_is_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Call sheets, and a correction's guide and inserts, are drawn in a background process
    while the build goes on: what it draws is what `draw_all` draws, the waiting is only when
    the result is asked for, and a drawing it failed is drawn again in the build itself."""
    keys = [hashlib.sha256(f"fond {n}".encode()).hexdigest() for n in range(3)]
    soon = PrintCache(tmp_path / "a").draw_soon([Drawing(k, ("txt", "png"), _numbered, (n,)) for n, k in enumerate(keys)])
    assert _read(soon()) == [_numbered(n) for n in range(3)]
    assert (tmp_path / "a" / f"{keys[2]}.txt").read_bytes() == b"page 2"
    # One drawing (drawn again in the build's own process) that fails in any other process.
    failing = PrintCache(tmp_path / "b").draw_soon([Drawing(keys[0], ("txt", "png"), _in_parent_only, (0, os.getpid()))])
    assert _read(failing()) == [_numbered(0)]
    kept = PrintCache(tmp_path / "b").draw_soon([Drawing(keys[0], ("txt", "png"), _never, (0,))])
    assert _read(kept()) == [_numbered(0)]  # kept: nothing drawn again
    # More missing than `at_most` (a first build): drawn before draw_soon returns, not by one
    # background process that would leave the other cores idle.
    monkeypatch.setattr(print_cache, "PARALLEL_FROM", 10**9)  # `draw_all` in this process: no drawing fails
    many = [Drawing(k, ("txt", "png"), _in_parent_only, (n, os.getpid())) for n, k in enumerate(keys)]
    now = PrintCache(tmp_path / "c").draw_soon(many, at_most=len(keys) - 1)
    assert all((tmp_path / "c" / f"{k}.txt").is_file() for k in keys)
    assert _read(now()) == [_numbered(n) for n in range(3)]


def test_outputs_of_the_store_are_published_by_path_and_their_bytes_forgotten(tmp_path: Path) -> None:
    """A national directory's PDFs do not fit in memory: once published, the site copies them
    from the store, and the build no longer holds their bytes."""
    cache = PrintCache(tmp_path / "store")
    key = hashlib.sha256(b"flyer").hexdigest()
    pdf = cache.file(key, ".pdf", lambda: b"%PDF-1.7 un flyer")
    published = cache.published({"lieu/flyer-a5.pdf": pdf, "lieu/qr.svg": "<svg/>", "autre.bin": b"fait ici"})
    stored = published["lieu/flyer-a5.pdf"]
    assert isinstance(stored, print_cache.StoredFile)
    assert stored.read_bytes() == pdf and len(stored) == len(pdf) and Path(stored.path).parent == tmp_path / "store"
    assert published["lieu/qr.svg"] == "<svg/>" and published["autre.bin"] == b"fait ici"  # not from the store
    assert cache.file(key, ".pdf", lambda: b"jamais") == pdf  # read again from the disk, not drawn again
    assert PrintCache(None).published({"a.pdf": pdf}) == {"a.pdf": pdf}  # no store: bytes stay bytes


def test_places_made_a_few_at_a_time_give_the_same_files(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(produce, "PLACES_AT_ONCE", 2)
    small = build_site(project(tmp_path), tmp_path / "site", monkeypatch, tmp_path / "cache")
    for path in sorted(site.rglob("*")):
        if path.is_file() and "pagefind" not in path.parts:
            assert (small / path.relative_to(site)).read_bytes() == path.read_bytes(), path


def _flyer_part(sheet: Path) -> str:
    """A print page's flyer, from its name to its hours: what the paper shows of the place."""
    html = sheet.read_text(encoding="utf-8")
    return html[html.index('<article class="annuaire-flyer'):html.index("annuaire-flyer__bottom")]


def test_a_site_without_pdfs_for_each_place_prints_the_same_flyers_from_the_browser(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a PDF for each place, its service lines are measured without drawing its flyer:
    the flyer printed from the browser shows the same lines, shortened the same way."""
    places = project(tmp_path)
    forget_place_pdfs(tmp_path)
    without = build_site(places, tmp_path / "site", monkeypatch, tmp_path / "cache", annuaire={"pdf_par_lieu": False})
    for place in OPEN_PLACES:
        assert not (without / place / "flyer-a5.pdf").exists()
        assert _flyer_part(without / place / "imprimer" / "index.html") == \
            _flyer_part(site / place / "imprimer" / "index.html"), place
    assert "Et d’autres choses" in _flyer_part(without / OPEN_PLACES[1] / "imprimer" / "index.html")  # a long list, shortened


@pytest.mark.parametrize(("page", "given"), [
    # Only the element marked for the index, its page's language and title: not the menu or footer.
    (b'<html lang="fr"><head><title>Mairie</title><script>x</script></head><body><nav>Menu</nav>'
     b'<div data-pagefind-body><h1>Mairie</h1><p data-pagefind-ignore>05 49</p><p>Wi-Fi</p></div><footer>Pied</footer></body></html>',
     b'<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head><body>'
     b'<div data-pagefind-body><h1>Mairie</h1><p>Wi-Fi</p></div></body></html>\n'),
    # A Pagefind mark outside that element: the page is given whole (without what is ignored).
    (b'<html><head><meta data-pagefind-meta="image:a.png"></head><body><div data-pagefind-body>x</div></body></html>',
     b'<html><head><meta data-pagefind-meta="image:a.png"></head><body><div data-pagefind-body>x</div></body></html>'),
    (b"<html><body><p>no mark</p></body></html>", b"<html><body><p>no mark</p></body></html>"),
    (b"<html><body><div data-pagefind-body>never closed</body></html>", b"<html><body><div data-pagefind-body>never closed</body></html>"),
])
def test_what_pagefind_is_given_of_a_page(page: bytes, given: bytes) -> None:
    assert search.read_by_pagefind(page) == given


def test_pagefind_given_only_the_indexed_part_finds_the_same(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given each page's indexed part instead of the whole page, Pagefind makes the same
    results (titles, texts, addresses), but for the thumbnail it took from the QR code."""
    def fragments(site_dir: Path) -> dict[str, dict]:
        out = {}
        for file in (site_dir / search.BUNDLE / "fragment").iterdir():
            data = gzip.decompress(file.read_bytes())
            fragment = json.loads(data[data.index(b"{"):])
            for name in ("image", "image_alt"):
                fragment["meta"].pop(name, None)
            out[fragment["url"]] = fragment
        return out

    reduced = tmp_path / "reduit"
    shutil.copytree(site, reduced, ignore=shutil.ignore_patterns(search.BUNDLE))
    whole = tmp_path / "entier"
    shutil.copytree(site, whole, ignore=shutil.ignore_patterns(search.BUNDLE))
    assert search.index_site(reduced) > 3
    monkeypatch.setattr(search, "read_by_pagefind", search._indexed)
    search.index_site(whole)
    found = fragments(reduced)
    assert found == fragments(whole)
    assert any("Médiathèque" in f["content"] for f in found.values())


def test_a_flyer_reads_its_qr_code_from_the_store_only_when_it_is_drawn(tmp_path: Path) -> None:
    """At 20,000 places the build holds each flyer's address, not its QR symbol: the squares
    are read from the store where the flyer is drawn (a worker process), and are the same."""
    url = "https://exemple.github.io/annuaire/lieux/poitiers/mediatheque-exemple/"
    cache = PrintCache(tmp_path)
    cache.encode_all([url])
    lazy = cache.flyer_modules(url)
    assert isinstance(lazy, print_cache.StoredModules)
    sent = pickle.loads(pickle.dumps(lazy))  # what a worker process receives
    assert list(sent) == list(make_qr(url).modules) and len(sent) == len(make_qr(url).modules)
    for stored in tmp_path.glob("*.qr.txt"):
        stored.unlink()  # the store emptied meanwhile: encoded again, the same squares
    assert list(pickle.loads(pickle.dumps(lazy))) == list(make_qr(url).modules)
    assert PrintCache(None).flyer_modules(url) == make_qr(url).modules  # no store: the symbol itself
