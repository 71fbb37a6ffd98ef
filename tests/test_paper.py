"""Paper for people who do not search online, on the real data: the insert for the bulletin
municipal (every commune has one, in every form; its QR code scans to the commune's page; its
text is the nearest help for each need) and the paper guide of each EPCI and of the
département (every place in it, a page count that folds, large type). The print store of the
checkout is reused (the build of `./scripts/test` fills it), so all is drawn at most once a run."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from support import ROOT

from annuaire.build import Site, generate_site
from annuaire.data.contact import phone_display
from annuaire.model.directory import Directory, load_directory
from annuaire.printing import booklet, inserts
from annuaire.printing.cache import PrintCache, StoredFile
from annuaire.printing.produce import insert_content, size_text
from annuaire.settings import settings_from_file
from annuaire.text import french_at, search_key
from annuaire.views import FlyerContent, prepare

BUILD_DATE = "2026-12-01"
NAMES = ("encart.txt", "encart-quart-page.pdf", "encart-quart-page.png", "encart-demi-page.pdf", "encart-demi-page.png")


@pytest.fixture(scope="module")
def real() -> tuple[Directory, Site]:
    settings = settings_from_file(ROOT / "mkdocs.yml", env={"ANNUAIRE_DATE": BUILD_DATE})
    assert settings.bulletin_inserts  # the published site has them
    directory = load_directory(settings)
    return directory, generate_site(directory, settings, PrintCache(settings.cache_dir))


def _qr_texts(data: bytes) -> list[str]:
    image = Image.open(io.BytesIO(data))
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_every_commune_has_its_insert_and_its_code_scans_to_the_commune_page(real: tuple[Directory, Site]) -> None:
    directory, site = real
    public = "https://lieux-numeriques-86.github.io/annuaire/"
    for commune in directory.territory.communes:
        folder = f"affiches/encarts/{commune.slug}/"
        for name in NAMES:
            assert folder + name in site.files, folder + name
        page = f"{public}communes/{commune.slug}/"
        assert _qr_texts(bytes(site.files[folder + "encart-quart-page.png"])) == [page], commune.nom  # type: ignore[arg-type]
        text = str(bytes(site.files[folder + "encart.txt"]), "utf-8")  # type: ignore[arg-type]
        at = french_at(commune.nom)  # « À Adriers », « Au Vigeant », « Aux Ormes »
        assert f"{at[:1].upper()}{at[1:]} et autour" in text and page in text
    # The half page too, for one commune; 300 dpi as the layout software reads it.
    png = Image.open(io.BytesIO(bytes(site.files["affiches/encarts/adriers/encart-demi-page.png"])))  # type: ignore[arg-type]
    assert png.size == (2480, 1754) and round(png.info["dpi"][0]) == 300
    assert _qr_texts(bytes(site.files["affiches/encarts/adriers/encart-demi-page.png"])) == [  # type: ignore[arg-type]
        f"{public}communes/adriers/"]


def test_the_insert_names_the_nearest_place_for_each_need_with_its_phone(real: tuple[Directory, Site],
                                                                        tmp_path: Path) -> None:
    directory, site = real
    adriers = directory.territory.communes_named("Adriers")[0]
    assert not directory.in_commune(adriers)  # nothing in the commune: the insert says where, and how far
    pdf = tmp_path / "encart.pdf"
    pdf.write_bytes(bytes(site.files["affiches/encarts/adriers/encart-quart-page.pdf"]))  # type: ignore[arg-type]
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext : lancez ./scripts/bootstrap --browser (paquet poppler-utils)"
    text = " ".join(subprocess.run([tool, str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Besoin d’aide avec le numérique ? À Adriers et autour" in text
    assert "Faire une démarche en ligne" in text
    assert "France services de L'Isle-Jourdain (L'Isle-Jourdain, à" in text
    assert "Tél. 05 49 48 12 93" in text
    assert "Annuaire des lieux numériques de la Vienne" in text
    info = subprocess.run([str(shutil.which("pdfinfo")), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages: +1\n", info) and "(A6)" in info  # a quarter of an A4 page


def test_the_text_never_runs_into_the_qr_code(real: tuple[Directory, Site]) -> None:
    """Whatever the commune (longest names, most needs), no line of text overlaps the code."""
    directory, _site = real
    settings = settings_from_file(ROOT / "mkdocs.yml", env={"ANNUAIRE_DATE": BUILD_DATE})
    views = prepare(directory, settings)
    for commune in directory.territory.communes:
        content = insert_content(commune, directory, views, settings.public_url)
        assert content.lines, commune.nom  # every commune is told where to go for something
        for size, (width, height) in inserts.SIZES.items():
            steps = inserts.layout(content, size)
            qr = next(s for s in steps if s.kind == "qr")
            for step in steps:
                if step.kind != "text":
                    continue
                right = step.x + inserts.text_width(step)
                assert right <= width and 0 < step.y <= height, (commune.nom, size, step.text)
                above_or_below = step.y <= qr.y or step.y - step.size >= qr.y + qr.width
                beside = right <= qr.x or step.x >= qr.x + qr.width
                assert above_or_below or beside, (commune.nom, size, step.text)


def test_the_commune_page_links_its_insert(real: tuple[Directory, Site]) -> None:
    _directory, site = real
    html = site.pages["communes/adriers.md"].html
    assert "Un encart pour le bulletin municipal" in html
    for name in NAMES:
        assert f'href="../../affiches/encarts/adriers/{name}"' in html


def _pdf_text(data: bytes, folder: Path, name: str, *options: str) -> str:
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(data)
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext : lancez ./scripts/bootstrap --browser (paquet poppler-utils)"
    return subprocess.run([tool, *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(data: bytes, folder: Path, name: str) -> int:
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(data)
    info = subprocess.run([str(shutil.which("pdfinfo")), str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Pages: +(\d+)", info)
    assert found and "419.528 x 595.276 pts" in info  # A5
    return int(found.group(1))


def test_each_epci_and_the_departement_have_a_paper_guide_with_all_their_places(
        real: tuple[Directory, Site], tmp_path: Path) -> None:
    directory, site = real
    guides = [(f"affiches/livrets/{e.slug}.pdf", e.nom_long, directory.in_epci(e)) for e in directory.territory.epcis]
    guides.append(("affiches/livrets/departement.pdf", "Toute la Vienne", list(directory.places)))
    for href, title, places in guides:
        if not places:
            assert href not in site.files
            continue
        data = bytes(site.files[href])  # type: ignore[arg-type]
        text = " ".join(_pdf_text(data, tmp_path, "livret").split())
        assert f"Se faire aider avec le numérique {title}" in text, href
        assert "Sommaire" in text and "Une question, une erreur ?" in text
        for place in places:
            assert " ".join(place.nom.split()) in text, (href, place.nom)
            assert place.commune_ref.nom in text
            if place.telephone:
                assert f"Tél. {phone_display(place.telephone)}" in text, (href, place.nom)
        assert _pages(data, tmp_path, "livret") % 4 == 0, href  # folds into an A5 booklet


def test_the_paper_guide_is_in_large_type_and_its_codes_scan(real: tuple[Directory, Site], tmp_path: Path) -> None:
    _directory, site = real
    data = bytes(site.files["affiches/livrets/cc-du-civraisien-en-poitou.pdf"])  # type: ignore[arg-type]
    boxes = _pdf_text(data, tmp_path, "civray", "-bbox")
    heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)]
    assert heights and min(heights) / 1.24 >= 11.9  # the font's line box is 1.24 times its size: 12 pt at least
    pdf = tmp_path / "civray.pdf"
    subprocess.run([str(shutil.which("pdftoppm")), "-r", "300", "-png", "-f", "1", "-l", "3", str(pdf),
                    str(tmp_path / "page")], check=True)
    codes = [c for p in sorted(tmp_path.glob("page-*.png")) for c in _qr_texts(p.read_bytes())]
    public = "https://lieux-numeriques-86.github.io/annuaire/"
    assert codes[0] == f"{public}territoires/cc-du-civraisien-en-poitou/"  # the cover leads to the EPCI page
    assert all(c.startswith(f"{public}lieux/") for c in codes[1:]) and len(codes) > 1


def test_the_paper_guide_contents_give_the_page_where_each_commune_starts(
        real: tuple[Directory, Site], tmp_path: Path) -> None:
    directory, site = real
    epci = next(e for e in directory.territory.epcis if e.slug == "cc-du-civraisien-en-poitou")
    communes = list(dict.fromkeys(p.commune_ref.nom for p in directory.in_epci(epci)))
    pdf = tmp_path / "livret.pdf"
    pdf.write_bytes(bytes(site.files["affiches/livrets/cc-du-civraisien-en-poitou.pdf"]))  # type: ignore[arg-type]

    def page(number: int) -> str:
        return subprocess.run([str(shutil.which("pdftotext")), "-f", str(number), "-l", str(number), "-layout",
                               str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    contents = page(2)
    assert contents.lstrip().startswith("Sommaire")
    lines = re.findall(r"^(\S.*?) (?:\. )+\.?\s+(\d+)$", contents, re.M)
    assert [title for title, _number in lines] == sorted(communes, key=search_key)
    previous = 2
    for title, number in lines:
        assert int(number) > previous  # in order, after the contents
        assert page(int(number)).lstrip().startswith(title), (title, number)  # the commune starts there
        previous = int(number)


def test_a_corrected_phone_reaches_its_guide_and_the_inserts_around_it(
        real: tuple[Directory, Site], tmp_path: Path) -> None:
    """After a correction, its guide and the inserts that name the place are drawn again while
    the pages render (`Printed.finish`): the published files, and the sizes the pages give,
    are the corrected ones. The store is the one `real` filled: only those are drawn."""
    settings = settings_from_file(ROOT / "mkdocs.yml", env={"ANNUAIRE_DATE": BUILD_DATE})
    shutil.copytree(settings.places_dir, tmp_path / "places")
    record = tmp_path / "places" / "bonneuil-matours" / "france-services.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("+33974369970", "+33549998877"), encoding="utf-8")
    corrected = replace(settings, places_dir=tmp_path / "places")
    directory = load_directory(corrected)
    site = generate_site(directory, corrected, PrintCache(corrected.cache_dir))
    phone = phone_display("+33549998877")
    epci = next(p for p in directory.places if p.nom == "France services de Bonneuil-Matours").epci_ref
    assert epci is not None
    assert phone in _pdf_text(bytes(site.files[f"affiches/livrets/{epci.slug}.pdf"]), tmp_path, "guide")  # type: ignore[arg-type]
    folder = "affiches/encarts/bonneuil-matours/"
    assert phone in str(bytes(site.files[folder + "encart.txt"]), "utf-8")  # type: ignore[arg-type]
    png = bytes(site.files[folder + "encart-demi-page.png"])  # type: ignore[arg-type]
    assert f"Demi-page (image PNG 300 dpi, {size_text(png)})" in site.pages["communes/bonneuil-matours.md"].html
    # Guides and inserts are published from the store by their path, like every print file: the
    # build holds none of their bytes (35,000 communes' inserts nationally) and links them.
    published = [site.files[f"affiches/livrets/{epci.slug}.pdf"], *(site.files[folder + n] for n in inserts.names())]
    assert all(isinstance(f, StoredFile) for f in published), [type(f).__name__ for f in published]


def test_epci_and_printing_pages_link_the_guides(real: tuple[Directory, Site]) -> None:
    directory, site = real
    html = site.pages["territoires/cc-du-civraisien-en-poitou.md"].html
    assert re.search(r'href="../../affiches/livrets/cc-du-civraisien-en-poitou.pdf" download>Le guide papier du '
                     r'territoire : livret A5 de \d+ pages, 6 lieux \(PDF, \d+ Ko\)', html)
    printing = next(p.html for uri, p in site.pages.items() if "Le guide papier" in p.html and uri.startswith("affiches"))
    for epci in directory.territory.epcis:
        assert f"affiches/livrets/{epci.slug}.pdf" in printing
    assert "affiches/livrets/departement.pdf" in printing


def test_a_long_commune_name_in_the_contents_stays_clear_of_its_page_number(tmp_path: Path) -> None:
    long_name = "Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson"  # the longest commune name of France
    content = FlyerContent(
        name="Médiathèque", services=("Accès à internet",), address=("1 rue de la Mairie",), accessibility=None,
        hours=(), hours_note=None, access=None, phone="05 49 00 00 00", reach=(), cost=None,
        url="https://exemple.fr/lieux/x/", updated="Informations du 1er août 2024",
    )
    codes = PrintCache(None)
    place = booklet.BookletPlace(content, codes.modules(content.url))
    guide = booklet.Booklet(
        title="Essai", sections=booklet.sections_by_commune([(long_name, place), ("Usson-du-Poitou", place)]),
        url="https://exemple.fr/", modules=codes.modules("https://exemple.fr/"),
        updated="Informations du 1er août 2024", contact="annuaire@exemple.fr", publisher="Annuaire",
    )
    boxes = _pdf_text(booklet.booklet_pdf(guide), tmp_path, "long", "-bbox", "-f", "2", "-l", "2")
    words = [(w, float(x0), float(x1)) for x0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)]
    title = next(x1 for w, _x0, x1 in words if w == long_name)
    number = next(x0 for w, x0, _x1 in words if w == "3")  # its commune starts on the page after the contents
    assert title < number - 20  # the name, then at least a few dots, then the number
    assert [w for w, _x0, _x1 in words if w in (long_name, "Usson-du-Poitou", "3", "4")] == \
        [long_name, "3", "Usson-du-Poitou", "3"]  # both short: on the same page
