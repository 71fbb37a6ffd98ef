"""Flyers and posters as a resident gets them: printed (PDF rasterized at 150 dpi by pdftoppm)
then scanned by a real decoder, and read (pdftotext) with their French accents."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from fontTools.ttLib import TTFont
from PIL import Image
from support import fixture_directory

from annuaire.data import hours
from annuaire.data.contact import phone_display
from annuaire.data.vocabulary import NEEDS, SERVICE_BY_LABEL
from annuaire.model.places import Place
from annuaire.printing import assemble, flyers
from annuaire.printing.cache import PrintCache, Store
from annuaire.printing.flyers import FLYER_LAYOUT_VERSION, SCAN_SENTENCE, font_files
from annuaire.printing.produce import Drawn, cut_sheet, place_pdf, sheet_drawing
from annuaire.printing.qr import qr_modules
from annuaire.site.print_pages import flyer_html as render_flyer_html
from annuaire.site.templating import environment
from annuaire.views import HOURS_BY_PHONE, FlyerContent, flyer_content

FIXTURES = Path(__file__).parent / "fixtures" / "flyers"
PUBLIC = "https://lieux-numeriques-86.github.io/annuaire/"
DPI = 150
FRENCH = "éèêëàâçîïôûùüÿœæÉÈÊÀÇÎÔŒ«»’—–…"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} est absent : lancez ./scripts/bootstrap --browser (paquet Debian poppler-utils).")
    return path


@pytest.fixture(scope="module")
def places() -> dict[str, Place]:
    return {p.slug: p for p in fixture_directory(FIXTURES, today=date(2025, 8, 1)).places}


# The printing API takes what a build prepares once (texts, QR modules); these helpers prepare
# it for one place and one address, as `views.prepare` and `printing.produce` do.

def place_url(public: str, place: Place) -> str:
    return public + place.url_path


def content_of(place: Place, url: str, contact: str | None = None) -> FlyerContent:
    return flyer_content(place, url, hours.weekly(place.horaires) if place.horaires else None, contact)


def flyer_of(place: Place, url: str, contact: str | None = None) -> flyers.Flyer:
    return flyers.Flyer(content_of(place, url, contact), qr_modules(url), f"{place.nom} ({place.commune_ref.nom})")


def flyer_pdf(place: Place, url: str, size: str = "A5", contact: str | None = None) -> bytes:
    return flyers.flyer_pdf(flyer_of(place, url, contact), size)


def batch_pdf(pairs: list[tuple[Place, str]], size: str, title: str) -> bytes:
    return flyers.batch_pdf([flyer_of(p, u) for p, u in pairs], size, title)


def general_flyer_pdf(url: str, size: str = "A5") -> bytes:
    return flyers.general_flyer_pdf(url, qr_modules(url), size)


def flyer_key(place: Place, version: str = FLYER_LAYOUT_VERSION, *, url: str, size: str = "A5") -> str:
    return flyers.flyer_key(content_of(place, url), size=size, template_version=version)


def flyer_html(place: Place, url: str, *, size: str = "A5", heading_level: int = 1) -> str:
    flyer = flyer_of(place, url)
    return str(render_flyer_html(environment(), flyer.content, flyers.shown_services(flyer), "../qr.svg",
                                 size=size, heading_level=heading_level))


@dataclasses.dataclass
class Printed:
    pdf: Path
    pages: list[Image.Image]

    def text(self, *options: str) -> str:
        result = subprocess.run([_tool("pdftotext"), *options, str(self.pdf), "-"], capture_output=True,
                                check=True)
        return result.stdout.decode("utf-8")

    def words(self) -> list[list[tuple[float, float, float, float, str]]]:
        """Word boxes per page, in points from the top-left corner."""
        pages = self.text("-bbox").split("<page ")[1:]
        pattern = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
        return [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in pattern.findall(p)] for p in pages]


def print_pdf(data: bytes, folder: Path, name: str = "flyer") -> Printed:
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run([_tool("pdftoppm"), "-r", str(DPI), "-png", str(pdf), str(folder / name)], check=True)
    pngs = sorted(folder.glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return Printed(pdf, [Image.open(p) for p in pngs])


def qr_codes(image: Image.Image) -> list[zxingcpp.Barcode]:
    return [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def plain(text: str) -> str:
    """Text as a reader sees it: no-break spaces and line breaks are just spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def qr_width_cm(code: zxingcpp.Barcode) -> float:
    position = code.position
    return abs(position.top_right.x - position.top_left.x) / DPI * 2.54


def test_font_has_every_french_character_and_is_atkinson_hyperlegible() -> None:
    regular, bold, family = font_files()
    assert family == "Atkinson Hyperlegible"
    for path in (regular, bold):
        cmap = TTFont(path).getBestCmap()
        assert [c for c in FRENCH if ord(c) not in cmap] == []


@pytest.mark.parametrize("size", ["A5", "A4"])
def test_flyer_qr_code_scans_to_the_public_page(size: str, places: dict[str, Place], tmp_path: Path) -> None:
    for place in places.values():
        url = place_url(PUBLIC, place)
        printed = print_pdf(flyer_pdf(place, url, size), tmp_path, f"{place.slug}-{size}")
        assert len(printed.pages) == 1
        codes = qr_codes(printed.pages[0])
        assert [c.text for c in codes] == [url], place.slug
        assert qr_width_cm(codes[0]) >= (3.0 if size == "A5" else 4.5), place.slug


def test_a_printed_qr_code_has_no_white_seam_between_its_rows(places: dict[str, Place], tmp_path: Path) -> None:
    """At a printer's resolution (600 dpi), the left column of the top-left finder square is
    solid black from its top to its bottom: rows of modules are drawn to overlap, and the
    overlap must be filled, not punched out (it was, by the even-odd rule)."""
    place = places["mediatheque-exemple"]
    url = place_url(PUBLIC, place)
    pdf = tmp_path / "flyer.pdf"
    pdf.write_bytes(flyer_pdf(place, url))
    subprocess.run([_tool("pdftoppm"), "-r", "600", "-gray", "-png", str(pdf), str(tmp_path / "flyer")], check=True)
    page = Image.open(next(tmp_path.glob("flyer-*.png"))).convert("L")
    [code] = qr_codes(page)
    corner, right, bottom = code.position.top_left, code.position.top_right, code.position.bottom_left
    module = (right.x - corner.x) / len(qr_modules(url))
    x = round(corner.x + module / 2)
    column = [page.getpixel((x, y)) for y in range(round(corner.y + module / 4), round(corner.y + 6.75 * module))]
    assert bottom.y > corner.y and max(column) < 128, "une ligne blanche traverse le code QR imprimé"


def test_flyer_text_is_real_text_with_accents(places: dict[str, Place], tmp_path: Path) -> None:
    place = places["cafe-numerique-le-boeuf"]
    url = place_url(PUBLIC, place)
    printed = print_pdf(flyer_pdf(place, url), tmp_path)
    text = plain(printed.text())
    assert "Café numérique « Le Bœuf à l’École »" in text
    assert "12 rue de l’Œuvre" in text
    assert "Près de l’église — entrée côté cour" in text
    assert "86100 Châtellerault" in text
    assert phone_display(place.telephone) == "05 49 00 00 11" and "05 49 00 00 11" in text
    assert SCAN_SENTENCE in text
    assert SERVICE_BY_LABEL["Aide aux démarches administratives"].plain in text
    assert "Gratuit" in text and "Venez sans rendez-vous" in text
    assert "Du lundi au vendredi : 9 h – 12 h, 13 h 30 – 17 h" in text
    assert "Dimanche : Fermé" in text
    # The address printed in full, so it can be typed (it is cut across lines only after `/`).
    assert url in re.sub(r"\s", "", printed.text())


def test_flyer_metadata_title_language_and_embedded_fonts(places: dict[str, Place], tmp_path: Path) -> None:
    place = places["cafe-numerique-le-boeuf"]
    data = flyer_pdf(place, place_url(PUBLIC, place))
    assert b"/Lang (fr-FR)" in data
    printed = print_pdf(data, tmp_path)
    info = subprocess.run([_tool("pdfinfo"), str(printed.pdf)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Title:\s+Café numérique « Le Bœuf à l’École » \(Châtellerault\)$", info, re.M)
    fonts = subprocess.run([_tool("pdffonts"), str(printed.pdf)], capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all("AtkinsonHyperlegible" in row for row in rows)
    assert all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows)  # embedded, subset, unicode map
    # Without hinting programs (a third of each subset): a flyer per place and size stays light.
    for font in embedded_fonts(data):
        assert not {"fpgm", "prep", "cvt "} & set(font.keys())
        assert not any(font["glyf"][name].program.getBytecode() for name in font.getGlyphOrder()
                       if hasattr(font["glyf"][name], "program"))


def test_the_embedded_font_is_the_same_whenever_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """The font is rewritten without hinting in every build process: it must not carry the
    time it was written, or each build would publish different bytes for the same flyer."""
    made = []
    for now in ("1000000000", "1800000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", now)  # the clock fontTools reads when it saves a font
        made.append(flyers.unhinted(font_files()[0]).getvalue())
    assert made[0] == made[1]


def embedded_fonts(data: bytes) -> list[TTFont]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        programs = [obj.FontFile2.read_bytes() for obj in pdf.objects
                    if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj]
    return [TTFont(io.BytesIO(program)) for program in programs]


def assert_readable_layout(printed: Printed, page: int, width: float, height: float, label: str) -> None:
    """Every word on the page, no word over another, none in the QR code or its quiet zone."""
    words = printed.words()[page]
    for x0, y0, x1, y1, word in words:
        assert 0 < x0 < x1 < width and 0 < y0 < y1 < height, (label, word)
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            # Poppler's boxes span ascender to descender: tight headings touch by a few % only.
            slack = 0.12 * min(a[3] - a[1], b[3] - b[1])
            assert overlap_x <= 0.5 or overlap_y <= slack, (label, a[4], b[4])
    code = qr_codes(printed.pages[page])[0]
    scale = 72 / DPI
    corners = (code.position.top_left, code.position.top_right, code.position.bottom_left,
               code.position.bottom_right)
    xs = [p.x * scale for p in corners]
    ys = [p.y * scale for p in corners]
    modules = len(qr_modules(code.text))
    quiet = 4 * (max(xs) - min(xs)) / modules * 0.9  # the 4-module quiet zone, minus rounding
    for x0, y0, x1, y1, word in words:
        assert (x1 < min(xs) - quiet or x0 > max(xs) + quiet or y1 < min(ys) - quiet
                or y0 > max(ys) + quiet), (label, word)


@pytest.mark.parametrize("size", ["A5", "A4"])
def test_name_is_large_and_no_text_overlaps(size: str, places: dict[str, Place], tmp_path: Path) -> None:
    width, height = flyers.PAGE_SIZES[size]
    factor = width / flyers.A5_WIDTH
    for place in places.values():
        url = place_url(PUBLIC, place)
        printed = print_pdf(flyer_pdf(place, url, size), tmp_path, place.slug)
        words = printed.words()[0]
        box = next(w for w in words if w[4] == place.nom.split()[0])
        # Poppler's word box is the font's line height (≈ 1.24 em for this font): ≥ 24 pt type.
        assert box[3] - box[1] >= 24 * 1.2 * min(factor, 1.0), place.slug
        assert_readable_layout(printed, 0, width, height, f"{place.slug} {size}")


def test_general_flyer_layout_is_readable(tmp_path: Path) -> None:
    printed = print_pdf(general_flyer_pdf(PUBLIC), tmp_path)
    assert_readable_layout(printed, 0, *flyers.PAGE_SIZES["A5"], "general")


def test_characters_missing_from_the_font_never_print_as_boxes(places: dict[str, Place], tmp_path: Path) -> None:
    place = dataclasses.replace(places["mediatheque-exemple"], nom="Médiathèque des Ŀoisirs 😀 ✓")
    text = plain(print_pdf(flyer_pdf(place, "https://e.fr/lieux/x/"), tmp_path).text())
    assert "Médiathèque des" in text and "😀" not in text and "✓" not in text


def test_unknown_values_are_left_out_and_the_reader_told_how_to_ask(places: dict[str, Place], tmp_path: Path) -> None:
    """A flyer never prints « non renseigné »: without a phone it gives the e-mail, the website or
    the directory's address; without hours it says how to learn them, or nothing at all."""
    no_phone = places["espace-public-numerique-intercommunal-des-communes-du-nord"]
    printed = flyer_pdf(no_phone, place_url(PUBLIC, no_phone), contact="annuaire@exemple.fr")
    text = plain(print_pdf(printed, tmp_path, "a").text())
    assert "non renseign" not in text.lower() and "appelez" not in text.lower()
    assert "Téléphone" not in text and "Pour les joindre Écrivez à l’annuaire : annuaire@exemple.fr" in text
    with_phone = places["point-numerique-exemple"]
    text = plain(print_pdf(flyer_pdf(dataclasses.replace(with_phone, horaires=None, frais_a_charge=()),
                                     "https://e.fr/x/"), tmp_path, "b").text())
    assert HOURS_BY_PHONE in text and "Prix" not in text and "non renseign" not in text.lower()
    by_mail = dataclasses.replace(no_phone, courriels=("accueil@exemple.fr",))
    text = plain(print_pdf(flyer_pdf(by_mail, "https://e.fr/x/", contact="annuaire@exemple.fr"), tmp_path, "c").text())
    assert "Pour les joindre E-mail : accueil@exemple.fr" in text and "annuaire@exemple.fr" not in text


def test_long_service_list_still_fits_in_readable_type(places: dict[str, Place]) -> None:
    flyer = flyer_of(places["cafe-numerique-le-boeuf"], "https://e.fr/lieux/x/")
    _name, body, shown = flyers.fitting_layout(flyer)
    assert body >= 11 and shown < len(flyer.content.services)


def test_same_input_gives_byte_identical_pdfs(places: dict[str, Place]) -> None:
    place = places["mediatheque-exemple"]
    url = place_url(PUBLIC, place)
    assert flyer_pdf(place, url) == flyer_pdf(place, url)
    assert flyer_pdf(place, url, "A4") == flyer_pdf(place, url, "A4")
    batch = [(p, place_url(PUBLIC, p)) for p in places.values()]
    assert batch_pdf(batch, "A5", "Vienne") == batch_pdf(batch, "A5", "Vienne")
    assert general_flyer_pdf(PUBLIC) == general_flyer_pdf(PUBLIC)
    other = places["atelier-numerique-exemple"]
    assert flyer_pdf(other, place_url(PUBLIC, other)) != flyer_pdf(place, url)


def test_batch_has_one_scannable_page_per_place(places: dict[str, Place], tmp_path: Path) -> None:
    batch = [(p, place_url(PUBLIC, p)) for p in places.values() if p.commune_ref.nom == "Poitiers"]
    assert len(batch) >= 2
    data = batch_pdf(batch, "A5", "Lieux numériques de Poitiers")
    printed = print_pdf(data, tmp_path)
    assert len(printed.pages) == len(batch)
    texts = printed.text().split("\f")
    for (place, url), page, text in zip(batch, printed.pages, texts):
        assert [c.text for c in qr_codes(page)] == [url]
        assert place.nom in plain(text)
    info = subprocess.run([_tool("pdfinfo"), str(printed.pdf)], capture_output=True, check=True).stdout.decode()
    assert "Title:           Lieux numériques de Poitiers" in info


def two_per_sheet(pages: list[Drawn], title: str, publisher: str, cache: PrintCache) -> bytes:
    return cache.draw_all([sheet_drawing(pages, title, publisher, cut_sheet(cache))])[0]["pdf"]


def test_two_flyers_on_an_a4_sheet_for_office_printers(places: dict[str, Place], tmp_path: Path) -> None:
    """A place's sheet: the same flyer twice on A4 landscape, both codes scanning to its page,
    a cut line between; a commune's: its places two by two (pages of a drawn batch, placed)."""
    cache = PrintCache(tmp_path / "magasin")
    place = next(iter(places.values()))
    url = place_url(PUBLIC, place)
    a5 = Drawn(flyer_pdf(place, url), 0, "a5")
    printed = print_pdf(two_per_sheet([a5, a5], place.nom, "Éditeur", cache), tmp_path, "feuille")
    assert len(printed.pages) == 1
    width, height = printed.pages[0].size
    assert abs(width / height - 297 / 210) < 0.01  # A4, landscape
    assert [c.text for c in qr_codes(printed.pages[0])] == [url, url]
    text = plain(printed.text())
    assert text.count(place.nom) == 2 and "Découpez ici" in text
    fonts = subprocess.run([_tool("pdffonts"), str(printed.pdf)], capture_output=True, check=True).stdout.decode()
    embedded = [row for row in fonts.splitlines()[2:] if row.split()[-5] == "yes"]
    assert len(embedded) == 2  # the flyer's regular and bold, not a second subset for the cut line
    pairs = [(p, place_url(PUBLIC, p)) for p in places.values()][:3]
    batch = batch_pdf(pairs, "A5", "Trois lieux")
    sheets = two_per_sheet([Drawn(batch, n, "lot") for n in range(3)], "Trois lieux", "Éditeur", cache)
    three = print_pdf(sheets, tmp_path, "trois")
    assert len(three.pages) == 2  # two sheets for three places
    assert sorted(c.text for page in three.pages for c in qr_codes(page)) == sorted(u for _p, u in pairs)
    assert two_per_sheet([Drawn(batch, n, "lot") for n in range(3)], "Trois lieux", "Éditeur",
                         PrintCache(tmp_path / "autre")) == sheets  # the same bytes at every build


def test_the_poster_is_the_flyer_enlarged_to_a4(places: dict[str, Place], tmp_path: Path) -> None:
    place = places["mediatheque-exemple"]
    url = place_url(PUBLIC, place)
    a5 = flyer_pdf(place, url)
    poster = assemble.enlarged(a5, assemble.Meta(f"{place.nom} (Poitiers)", "Affiche A4", "Éditeur"))
    small, large = print_pdf(a5, tmp_path, "a5"), print_pdf(poster, tmp_path, "a4")
    width, height = large.pages[0].size
    assert abs(height / width - 297 / 210) < 0.01  # A4, portrait
    codes = qr_codes(large.pages[0])
    assert [c.text for c in codes] == [url]
    assert qr_width_cm(codes[0]) > 1.35 * qr_width_cm(qr_codes(small.pages[0])[0])  # A4 = A5 × √2
    assert place.nom in plain(large.text())
    info = subprocess.run([_tool("pdfinfo"), str(large.pdf)], capture_output=True, check=True).stdout.decode()
    assert f"Title:           {place.nom} (Poitiers)" in info
    assert assemble.enlarged(a5, assemble.Meta(f"{place.nom} (Poitiers)", "Affiche A4", "Éditeur")) == poster


def test_a_batch_taken_from_a_drawn_one_embeds_its_font_once(places: dict[str, Place], tmp_path: Path) -> None:
    """A commune's batch is pages of its intercommunality's: one font for all its pages, as if
    drawn alone, not one per page."""
    pairs = [(p, place_url(PUBLIC, p)) for p in places.values()]
    drawn = batch_pdf(pairs, "A5", "Tous")
    chosen = assemble.pages([(drawn, 2), (drawn, 0)], assemble.Meta("Deux lieux", "Flyers A5 : lieux", "Éditeur"))
    printed = print_pdf(chosen, tmp_path, "deux")
    assert [c.text for page in printed.pages for c in qr_codes(page)] == [pairs[2][1], pairs[0][1]]
    (tmp_path / "deux.pdf").write_bytes(chosen)
    fonts = subprocess.run([_tool("pdffonts"), str(tmp_path / "deux.pdf")], capture_output=True, check=True).stdout.decode()
    assert len(fonts.strip().splitlines()) - 2 == 2  # regular and bold, once each


def test_general_flyer_leads_to_the_home_page(tmp_path: Path) -> None:
    printed = print_pdf(general_flyer_pdf(PUBLIC, "A4"), tmp_path)
    codes = qr_codes(printed.pages[0])
    assert [c.text for c in codes] == [PUBLIC]
    assert qr_width_cm(codes[0]) >= 4.5
    text = plain(printed.text())
    assert "Besoin d’aide avec Internet, un téléphone ou un ordinateur ?" in text
    assert PUBLIC in text and SCAN_SENTENCE in text


def test_flyer_key_follows_what_is_printed(places: dict[str, Place]) -> None:
    place = places["mediatheque-exemple"]
    url = place_url(PUBLIC, place)
    key = flyer_key(place, url=url)
    assert re.fullmatch(r"[0-9a-f]{64}", key) and flyer_key(place, url=url) == key
    # A field not printed on the flyer does not make a new PDF…
    assert flyer_key(dataclasses.replace(place, courriels=("x@exemple.fr",)), url=url) == key
    # …anything printed, the address of the page, the format or the layout do.
    assert flyer_key(dataclasses.replace(place, telephone="05 49 00 00 99"), url=url) != key
    assert flyer_key(dataclasses.replace(place, horaires="Mo 09:00-12:00"), url=url) != key
    assert flyer_key(place, url=url.replace("annuaire", "lieux")) != key
    assert flyer_key(place, url=url, size="A4") != key
    assert flyer_key(place, "autre-version", url=url) != key


def test_rebuild_with_nothing_changed_renders_no_pdf(places: dict[str, Place], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    place = places["mediatheque-exemple"]
    url = place_url(PUBLIC, place)
    first = place_pdf(flyer_of(place, url), PrintCache(tmp_path / "cache"))
    renders: list[str] = []
    monkeypatch.setattr(flyers, "flyer_pdf", lambda *args: renders.append("render") or b"")
    cache = PrintCache(tmp_path / "cache")  # the next build: an empty memory, the same disk
    assert bytes(place_pdf(flyer_of(place, url), cache)) == first  # read from the disk, not drawn
    assert renders == []
    place_pdf(flyer_of(dataclasses.replace(place, telephone="05 49 00 00 98"), url), cache)
    assert renders == ["render"]
    assert Store(tmp_path / "vide").get(flyer_key(place, url=url), ".pdf") is None
    with pytest.raises(ValueError):
        cache.store.get("../../etc/passwd", ".pdf")


def test_html_flyer_for_printing_from_the_browser(places: dict[str, Place]) -> None:
    place = places["cafe-numerique-le-boeuf"]
    url = place_url(PUBLIC, place)
    html = flyer_html(place, url)
    assert re.search(r'class="annuaire-flyer annuaire-flyer--a5[ a-z-]*"', html)
    assert "<h1 class=\"annuaire-flyer__name\">Café numérique « Le Bœuf à l’École »</h1>" in html
    assert f'<img src="../qr.svg" alt="QR code vers {url}"' in html
    assert SCAN_SENTENCE in html and f'<a href="{url}">' in html
    assert "Du lundi au vendredi&nbsp;:" in html
    assert 'class="annuaire-flyer annuaire-flyer--a4' in flyer_html(place, url, size="A4")
    hostile = dataclasses.replace(place, nom='<script>alert("x")</script>', adresse="<img src=x onerror=alert(1)>")
    escaped = flyer_html(hostile, url, heading_level=2)
    assert "<script>alert" not in escaped and "<img src=x" not in escaped
    assert "&lt;script&gt;" in escaped and "<h2 class=\"annuaire-flyer__name\">" in escaped


LONG_NAME = (
    "Espace public numérique et maison des services au public de la communauté de communes, "
    "antenne du centre-bourg, rez-de-chaussée"
)


@pytest.mark.parametrize("size", ["A5", "A4"])
def test_a_120_character_name_wraps_shrinks_and_never_reaches_the_qr_code(
    size: str, places: dict[str, Place], tmp_path: Path
) -> None:
    assert len(LONG_NAME) >= 120
    for slug in ("cafe-numerique-le-boeuf", "espace-public-numerique-intercommunal-des-communes-du-nord"):
        place = dataclasses.replace(places[slug], nom=LONG_NAME)
        printed = print_pdf(flyer_pdf(place, place_url(PUBLIC, place), size), tmp_path, f"{slug}-{size}")
        assert LONG_NAME.split(",")[0].split()[-1] in plain(printed.text())
        assert [c.text for c in qr_codes(printed.pages[0])] == [place_url(PUBLIC, place)]
        assert_readable_layout(printed, 0, *flyers.PAGE_SIZES[size], f"{slug} {size}")


def test_general_flyer_promises_only_needs_some_place_meets(tmp_path: Path) -> None:
    met = [n for n in NEEDS if n.service != "Acquisition de matériel informatique à prix solidaire"]
    text = plain(print_pdf(flyers.general_flyer_pdf(PUBLIC, qr_modules(PUBLIC), "A5", met), tmp_path).text())
    assert "trouver un ordinateur à petit prix" not in text.lower()
    assert "faire une démarche en ligne" in text.lower()
