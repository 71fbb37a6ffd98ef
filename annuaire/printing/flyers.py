"""Printable flyers (A5) and posters (A4) for places, as vector PDF.

Written for a reader with little digital confidence: the place name in large type, what you
can do there in plain words, address, opening hours, phone, cost, and a QR code to the place
page with the sentence that explains what to do with it and the address printed in full
(for those who will type it).

Library: ReportLab, not fpdf2. Measured here for one A5 page with the embedded TTF: ReportLab
~7 ms, fpdf2 ~21 ms (fpdf2 parses the TTF again in every new document; ReportLab registers a
font once per process). ReportLab's `invariant` mode also gives fixed dates and a fixed
document ID out of the box, so the same input gives byte-identical PDFs, and it embeds a
subset of the font with a ToUnicode map: the text stays real, selectable, searchable text.

Font: Atkinson Hyperlegible (Braille Institute, designed for low-vision readers), installed
from PyPI by `fontpkg-atkinson-hyperlegible`; it has every French character (é è à ç œ « » ’ —)
but not the narrow no-break space, which is printed as a normal no-break space. DejaVu Sans
(Debian `fonts-dejavu-core`) is only a fallback when that package is missing.

The A4 poster is the A5 layout enlarged (A4 = A5 × √2): text and QR code grow together, so
the poster reads from further away and needs no second layout to maintain.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from fontTools import ttLib
from reportlab import Version as REPORTLAB_VERSION
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from ..data.vocabulary import NEEDS, Need
from ..views import FlyerContent
from .qr import QUIET_ZONE, Modules, dark_runs

# Change it whenever the drawing code changes what a flyer looks like: cached PDFs made by an
# older layout are then rebuilt (see `flyer_key`).
FLYER_LAYOUT_VERSION = "2026-12-02.2"

PAGE_SIZES = {"A5": A5, "A4": A4}
SCAN_SENTENCE = "Scannez ce code avec l’appareil photo de votre téléphone"
KICKER = "Un lieu pour vous aider avec le numérique"
PUBLISHER = "Annuaire des lieux numériques"  # when the content does not say whose (tests)
NO_SERVICE = "Demandez sur place ce que ce lieu propose"
MORE_SERVICES = "Et d’autres choses encore : scannez le code ci-dessous"

MM = 72 / 25.4  # points per millimetre
NBSP = "\u00a0"

@dataclass(frozen=True)
class Flyer:
    """What one place's flyer page is drawn from: its texts, its QR code and the PDF's title."""

    content: FlyerContent
    modules: Modules  # the QR code of `content.url`, encoded once per build
    title: str  # `Médiathèque (Poitiers)`

    @cached_property
    def key(self) -> str:
        """Its A5 page's `flyer_key`, which a build asks for four or five times (its flyer, poster,
        sheet, batch page and service lines): the content, a dozen fields, is hashed once."""
        return flyer_key(self.content, size="A5")


# --- Fonts -----------------------------------------------------------------------------------

REGULAR = "Annuaire-Regular"
BOLD = "Annuaire-Bold"


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, Path, str]:
    """(regular, bold, family name): Atkinson Hyperlegible from PyPI, else Debian's DejaVu Sans."""
    try:
        from fontpkg_atkinson_hyperlegible import FAMILY, ROOT

        regular = ROOT / "files" / "AtkinsonHyperlegible-Regular.ttf"
        bold = ROOT / "files" / "AtkinsonHyperlegible-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold, FAMILY
    except ImportError:
        pass
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    regular, bold = dejavu / "DejaVuSans.ttf", dejavu / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        return regular, bold, "DejaVu Sans"
    raise RuntimeError(
        "Aucune police pour les affiches : installez le paquet Python fontpkg-atkinson-hyperlegible."
    )


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the two fonts once per process; return the code points they can draw."""
    regular, bold, _family = font_files()
    fonts = (TTFont(REGULAR, unhinted(regular)), TTFont(BOLD, unhinted(bold)))
    for font in fonts:
        pdfmetrics.registerFont(font)
    return frozenset(fonts[0].face.charToGlyph) & frozenset(fonts[1].face.charToGlyph)


def unhinted(font_file: Path) -> io.BytesIO:
    """The font without its hinting instructions, for embedding in PDFs.

    Hinting fits outlines to the pixel grid of a small screen; printers and PDF viewers scale
    the outlines and do without. The instructions were a third of every embedded subset: an
    A5 flyer weighs 22 KB instead of 31 KB, and there is one per place and size.
    """
    font = ttLib.TTFont(str(font_file), recalcTimestamp=False)  # same bytes at every build
    for table in ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX"):
        if table in font:
            del font[table]
    glyphs = font["glyf"]
    for name in font.getGlyphOrder():
        glyphs[name].removeHinting()
    limits = font["maxp"]
    for field in ("maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxTwilightPoints"):
        setattr(limits, field, 0)
    limits.maxZones = 1
    out = io.BytesIO()
    font.save(out)
    out.seek(0)
    return out


def printable(text: str) -> str:
    """`text` with what the font cannot draw replaced (never a blank box on paper).

    The narrow no-break space becomes a no-break space; other missing characters lose their
    accent (NFKD) or, last resort, are dropped. Control characters and line breaks become spaces.
    """
    covered = register_fonts()
    out: list[str] = []
    for char in text.replace("\u202f", NBSP):
        if char in "\t\r\n" or unicodedata.category(char) == "Cc":
            out.append(" ")
        elif ord(char) in covered:
            out.append(char)
        else:
            out.extend(c for c in unicodedata.normalize("NFKD", char) if ord(c) in covered)
    return re.sub(" {2,}", " ", "".join(out)).strip()


def _check_size(size: str) -> tuple[float, float]:
    if size not in PAGE_SIZES:
        raise ValueError(f"format « {size} » inconnu : A5 (flyer) ou A4 (affiche)")
    return PAGE_SIZES[size]


# --- Text layout helpers ---------------------------------------------------------------------


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _hard_break(word: str, font: str, size: float, width: float) -> list[str]:
    """Cut a word longer than the line, character by character (only very long names/URLs)."""
    parts: list[str] = []
    current = ""
    for char in word:
        if current and _width(current + char, font, size) > width:
            parts.append(current)
            current = char
        else:
            current += char
    return parts + ([current] if current else [])


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text as a ReportLab paragraph: markup characters escaped, characters the font
    lacks replaced (the PDF reports and booklets all write their text through it)."""
    return Paragraph(escape(printable(text)), style)


def wrap(text: str, font: str, size: float, width: float, *, breaks: str = r"(?<= )") -> list[str]:
    """Greedy line breaking at normal spaces only (a no-break space never breaks), or at the
    positions matched by `breaks`."""
    return list(_wrapped(text, font, size, width, breaks))


@lru_cache(maxsize=16384)
def _wrapped(text: str, font: str, size: float, width: float, breaks: str) -> tuple[str, ...]:
    """`wrap`, kept per process: every flyer tries up to 33 layouts, and places share service
    names, hours and footers, so the same line is measured thousands of times in a build."""
    tokens = [t for t in re.split(breaks, text) if t]
    lines: list[str] = []
    current = ""
    for token in tokens:
        candidate = current + token
        if not current or _width(candidate.rstrip(" "), font, size) <= width:
            current = candidate
        else:
            lines.append(current.rstrip(" "))
            current = token
        if _width(current.rstrip(" "), font, size) > width:  # a single token too long
            *full, current = _hard_break(current, font, size, width)
            lines.extend(full)
    if current.strip():
        lines.append(current.rstrip(" "))
    return tuple(lines) or ("",)


def wrap_url(url: str, font: str, size: float, width: float) -> list[str]:
    """An address cut only after `/`, `?` or `&`: a cut at a hyphen would leave the reader
    unsure whether to type it."""
    return wrap(url, font, size, width, breaks=r"(?<=[/?&])")


def _keep_together(text: str) -> str:
    """No-break spaces where a line break would puzzle a reader: `9 h`, `12 h 30`, ` – `, ` :`."""
    text = re.sub(r"(\d) h\b", rf"\1{NBSP}h", text)
    text = re.sub(r"\bh (\d)", rf"h{NBSP}\1", text)
    return text.replace(" – ", f"{NBSP}– ").replace(" :", f"{NBSP}:")


# --- Drawing ---------------------------------------------------------------------------------

# The layout is drawn in A5 points; A4 scales it (see module docstring).
A5_WIDTH, A5_HEIGHT = A5
MARGIN = 10 * MM
QR_SYMBOL_WIDTH = 35 * MM  # dark modules only; the quiet zone comes on top (≥ 3 cm required)
NAME_SIZE = 26.0
NAME_LONG_SIZE = 24.0  # a name on more than three lines at 26 pt
SMALL_NAME_SIZES = (21.0, 18.0)  # only when nothing else makes the page fit; 18 pt is the floor
# (body size, at most that many service lines; 0 = all), tried in this order.
LAYOUTS = (
    (16.0, 0), (15.0, 0), (14.0, 0), (13.0, 0), (12.0, 0),
    (13.0, 5), (12.0, 5), (12.0, 4), (11.0, 4), (11.0, 3), (11.0, 2),
)
URL_SIZE = 11.0
FOOTER_SIZE = 9.5


class _Page:
    """Draws lines top-down on one page; without a canvas it only measures (layout fitting)."""

    def __init__(self, canvas: Canvas | None) -> None:
        self.canvas = canvas

    def text(self, x: float, y: float, line: str, font: str, size: float) -> None:
        if self.canvas is not None:
            self.canvas.setFont(font, size)
            self.canvas.drawString(x, y, line)

    def lines(
        self, x: float, top: float, lines: Sequence[str], font: str, size: float, leading: float
    ) -> float:
        """Draw `lines` with their first baseline one `size` under `top`; return the new top."""
        for line in lines:
            self.text(x, top - size, line, font, size)
            top -= leading
        return top


QR_SEAM = 0.04  # of a module: how far each row reaches into the next


def draw_qr(canvas: Canvas, modules: Modules, x: float, y_top: float, symbol_width: float) -> float:
    """Draw a QR code's `modules` as vector squares, its symbol's top-left corner at (x, y_top).

    Returns the size of one module. The white quiet zone is painted too, so the code reads
    even on coloured paper. Dark runs of a row are one rectangle each, and rows overlap by a
    hair, filled by the non-zero rule, so no viewer shows thin white seams between them.
    The rectangles are written in module units (one scaling for the whole symbol) as one
    literal path: a build draws thousands of codes of hundreds of runs each, and reportlab's
    path object formatted every number of every rectangle in Python.
    """
    count = len(modules)
    module = symbol_width / count
    quiet = QUIET_ZONE * module
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x - quiet, y_top - symbol_width - quiet, symbol_width + 2 * quiet, symbol_width + 2 * quiet,
                stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(module, 0, 0, module, x, y_top - symbol_width)  # origin: the symbol's bottom-left corner
    rectangles = [
        f"{start} {count - row - 1 - QR_SEAM:.2f} {length} {1 + QR_SEAM:.2f} re" if row < count - 1
        else f"{start} 0 {length} 1 re"
        for row, start, length in dark_runs(modules)
    ]
    canvas.addLiteral("\n".join([*rectangles, "f"]))
    canvas.restoreState()
    return module


def _qr_block_width(modules: Modules) -> tuple[float, float]:
    """(width of the QR code with its quiet zone, module size)."""
    count = len(modules)
    module = QR_SYMBOL_WIDTH / count
    return QR_SYMBOL_WIDTH + 2 * QUIET_ZONE * module, module


def _usual_name_size(name: str) -> float:
    width = A5_WIDTH - 2 * MARGIN
    return NAME_SIZE if len(wrap(printable(name), BOLD, NAME_SIZE, width)) <= 3 else NAME_LONG_SIZE


def _upper_part(page: _Page, c: FlyerContent, body: float, max_services: int, name_size: float) -> float:
    """What the place is, what you can do there, when it is open; returns the y reached."""
    width = A5_WIDTH - 2 * MARGIN
    x, top = MARGIN, A5_HEIGHT - MARGIN
    leading, gap = body * 1.3, body * 0.75
    top = page.lines(x, top, wrap(printable(KICKER), BOLD, 12, width), BOLD, 12, 15) - 4
    name_lines = wrap(printable(c.name), BOLD, name_size, width)
    top = page.lines(x, top, name_lines, BOLD, name_size, name_size * 1.15) - 6
    if page.canvas is not None:
        page.canvas.setLineWidth(1.5)
        page.canvas.line(x, top, x + width, top)
    top -= gap

    if not c.services:  # nothing known to promise: say so, never a generic promise
        top = page.lines(x, top, wrap(printable(NO_SERVICE), BOLD, body + 1, width), BOLD, body + 1, leading)
    else:
        intro = wrap(printable(c.services_intro), BOLD, body + 1, width)
        top = page.lines(x, top, intro, BOLD, body + 1, leading * 1.08)
    bullet = "•" + NBSP
    indent = _width(bullet, REGULAR, body)
    for service in _shown_services(c, max_services) if c.services else []:
        lines = wrap(printable(service), REGULAR, body, width - indent)
        page.text(x, top - body, bullet, REGULAR, body)
        top = page.lines(x + indent, top, lines, REGULAR, body, leading)
    top -= gap

    if not c.hours and not c.hours_note:
        return page.lines(x, top, wrap(printable(c.access), REGULAR, body, width), REGULAR, body, leading) \
            if c.access else top
    top = page.lines(x, top, ["Horaires"], BOLD, body + 1, leading * 1.08)
    labels = [f"{label}{NBSP}:" for label, _text in c.hours]
    label_width = min(max((_width(label, BOLD, body) for label in labels), default=0.0), width * 0.5)
    for label, (_day, text) in zip(labels, c.hours):
        label_lines = wrap(label, BOLD, body, label_width)
        text_lines = wrap(_keep_together(printable(text)), REGULAR, body, width - label_width - body * 0.6)
        page.lines(x, top, label_lines, BOLD, body, leading)
        top -= max(len(label_lines), len(text_lines)) * leading
        page.lines(x + label_width + body * 0.6, top + max(len(label_lines), len(text_lines)) * leading,
                   text_lines, REGULAR, body, leading)
    for extra in (c.hours_note, c.access):
        if extra:
            top = page.lines(x, top, wrap(printable(extra), REGULAR, body, width), REGULAR, body, leading)
    return top


def _contact_column(page: _Page, c: FlyerContent, body: float, top: float, width: float) -> float:
    """Address, phone (else how to reach) and cost, left of the QR code; returns the y reached.
    What the record does not say is left out."""
    x = MARGIN
    leading, gap = body * 1.3, body * 0.75
    top = page.lines(x, top, ["Adresse"], BOLD, body + 1, leading * 1.08)
    for line in c.address:
        top = page.lines(x, top, wrap(printable(line), REGULAR, body, width), REGULAR, body, leading)
    if c.accessibility:
        top = page.lines(x, top, wrap(c.accessibility, REGULAR, body, width), REGULAR, body, leading)
    if c.phone:
        top -= gap
        top = page.lines(x, top, ["Téléphone"], BOLD, body + 1, leading * 1.08)
        phone = printable(c.phone).replace(" ", NBSP)  # never cut a number across two lines
        size = body + 5
        top = page.lines(x, top, wrap(phone, BOLD, size, width), BOLD, size, size * 1.25)
    elif c.reach:
        top -= gap
        top = page.lines(x, top, ["Pour les joindre"], BOLD, body + 1, leading * 1.08)
        for line in c.reach:
            top = page.lines(x, top, wrap_url(printable(line), REGULAR, body, width), REGULAR, body, leading)
    if c.cost:
        top -= gap
        top = page.lines(x, top, ["Prix"], BOLD, body + 1, leading * 1.08)
        top = page.lines(x, top, wrap(printable(c.cost), REGULAR, body, width), REGULAR, body, leading)
    return top


SCAN_SIZE = 12.0


def _place_page(page: _Page, flyer: Flyer, name_size: float, body: float, max_services: int) -> float:
    """Draw (or only measure) a place flyer in A5 points with body text size `body`.

    Returns the free height between the upper part and the bottom zone (negative: overflow).
    """
    c = flyer.content
    width = A5_WIDTH - 2 * MARGIN
    x = MARGIN
    upper_bottom = _upper_part(page, c, body, max_services, name_size)

    # Bottom, from the page edge up: footer, the address printed in full, then the contact
    # details beside the QR code and its sentence.
    bottom = MARGIN
    page.text(x, bottom, printable(f"{c.updated}. {c.publisher or PUBLISHER}."), REGULAR, FOOTER_SIZE)
    bottom += FOOTER_SIZE + 10
    url_lines = wrap_url(printable(c.url), REGULAR, URL_SIZE, width)
    url_leading = URL_SIZE * 1.25
    for line in reversed(url_lines):
        page.text(x, bottom, line, REGULAR, URL_SIZE)
        bottom += url_leading
    if page.canvas is not None:  # clickable when the PDF is read on a screen
        page.canvas.linkURL(c.url, (x, bottom - len(url_lines) * url_leading - 3, x + width, bottom - 2),
                            relative=0)
    bottom += 2

    block, module = _qr_block_width(flyer.modules)
    quiet = QUIET_ZONE * module
    scan_lines = wrap(printable(SCAN_SENTENCE), BOLD, SCAN_SIZE, block - quiet)
    scan_height = len(scan_lines) * SCAN_SIZE * 1.2
    qr_height = block + scan_height  # nothing printed in the quiet zone, not even the sentence
    column_width = width - block - 6
    column_height = _place_column_height(c, body, column_width)
    zone_top = bottom + max(qr_height, column_height)
    if page.canvas is not None:
        qr_x = x + width - block
        draw_qr(page.canvas, flyer.modules, qr_x + quiet, zone_top - quiet, QR_SYMBOL_WIDTH)
        page.lines(qr_x + quiet * 0.5, zone_top - block, scan_lines, BOLD, SCAN_SIZE, SCAN_SIZE * 1.2)
        _contact_column(page, c, body, zone_top, column_width)
    return upper_bottom - zone_top - body * 0.75


def _place_column_height(c: FlyerContent, body: float, width: float) -> float:
    return A5_HEIGHT - _contact_column(_Page(None), c, body, A5_HEIGHT, width)


def _shown_services(c: FlyerContent, max_services: int) -> list[str]:
    """The service lines printed: all of them, or the first ones and « Et d’autres choses… »."""
    services = list(c.services or (NO_SERVICE,))
    if len(services) > max_services:
        services = services[: max_services - 1] + [MORE_SERVICES]
    return services


def fitting_layout(flyer: Flyer) -> tuple[float, float, int]:
    """(name size, body size, number of service lines) of the first layout that fits the page.

    Large type first; a long list of services is shortened before the type gets small
    (the QR code leads to the full list); 11 pt is the floor of the text. A very long name
    wraps, and gets smaller (down to 18 pt) only when nothing else makes the page fit: it never
    runs into the QR code.
    """
    everything = max(len(flyer.content.services), 1)
    for name_size in (_usual_name_size(flyer.content.name), *SMALL_NAME_SIZES):
        for body, max_services in LAYOUTS:
            max_services = max_services or everything
            if _place_page(_Page(None), flyer, name_size, body, max_services) >= 0:
                return name_size, body, max_services
    return SMALL_NAME_SIZES[-1], LAYOUTS[-1][0], LAYOUTS[-1][1] or everything


def _new_canvas(out: io.BytesIO, size: str, title: str, subject: str, publisher: str = "") -> Canvas:
    register_fonts()
    canvas = Canvas(
        out,
        pagesize=_check_size(size),
        invariant=1,  # fixed creation date and document ID: byte-identical rebuilds
        pageCompression=1,
        lang="fr-FR",
        initialFontName=REGULAR,
    )
    canvas.setTitle(printable(title))
    canvas.setSubject(subject)
    canvas.setAuthor(publisher or PUBLISHER)
    canvas.setCreator(publisher or PUBLISHER)
    canvas.setViewerPreference("DisplayDocTitle", "true")
    return canvas


def _scale_to(canvas: Canvas, size: str) -> None:
    """Enlarge the A5 layout to the page (A4 = A5 × √2), centred."""
    page_width, page_height = _check_size(size)
    factor = min(page_width / A5_WIDTH, page_height / A5_HEIGHT)
    canvas.translate((page_width - A5_WIDTH * factor) / 2, (page_height - A5_HEIGHT * factor) / 2)
    canvas.scale(factor, factor)


def shown_services(flyer: Flyer) -> list[str]:
    """The service lines the PDF prints (the HTML flyer prints the same)."""
    return _shown_services(flyer.content, fitting_layout(flyer)[2])


def _draw_place(canvas: Canvas, flyer: Flyer, size: str, layout: tuple[float, float, int] | None = None) -> None:
    canvas.saveState()
    _scale_to(canvas, size)
    _place_page(_Page(canvas), flyer, *(layout or fitting_layout(flyer)))
    canvas.restoreState()
    canvas.showPage()


def _subject(size: str) -> str:
    return "Affiche A4" if size == "A4" else "Flyer A5"


def flyer_pdf(flyer: Flyer, size: str = "A5") -> bytes:
    """One page, A5 flyer or A4 poster, for one place."""
    return flyer_files(flyer, size)[0]


def flyer_files(flyer: Flyer, size: str = "A5") -> tuple[bytes, list[str]]:
    """The flyer's PDF and the service lines it prints (`shown_services`), from one layout:
    fitting the layout measures the page several times, a millisecond or two a place."""
    layout = fitting_layout(flyer)
    out = io.BytesIO()
    canvas = _new_canvas(out, size, flyer.title, _subject(size), flyer.content.publisher)
    _draw_place(canvas, flyer, size, layout)
    canvas.save()
    return out.getvalue(), _shown_services(flyer.content, layout[2])


def batch_pdf(flyers: Iterable[Flyer], size: str = "A5", title: str = "") -> bytes:
    """One page per place in one document (a commune, an EPCI, the whole département): one
    printing, and the font is embedded once for all the pages."""
    out = io.BytesIO()
    flyers = list(flyers)
    publisher = flyers[0].content.publisher if flyers else ""
    canvas = _new_canvas(out, size, title or "Lieux numériques", f"{_subject(size)} : lieux", publisher)
    count = 0
    for flyer in flyers:
        _draw_place(canvas, flyer, size)
        count += 1
    if count == 0:
        raise ValueError("aucun lieu à imprimer")
    canvas.save()
    return out.getvalue()


CUT_LABEL = "Découpez ici"


def cut_sheet_pdf() -> bytes:
    """An A4 landscape page with only a dashed line down the middle and « Découpez ici »: the
    ground on which two A5 flyers are placed side by side (`assemble.two_per_sheet`), for an
    office printer that prints A4 without any setting."""
    out = io.BytesIO()
    canvas = _new_canvas(out, "A5", "Ligne de coupe", "Deux flyers A5 sur une feuille A4")
    canvas.setPageSize(landscape(A4))
    _cut_line(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


CUT_FONT = "Helvetica"  # one of the 14 fonts every PDF reader has: nothing to embed


def _cut_line(canvas: Canvas) -> None:
    """A dashed line down the middle of the sheet, and the words at its top and bottom.

    The words are in Helvetica, not in the flyer's font: the flyers placed over this ground
    bring their own subset of it, so a second subset for two words weighed 11 KB on every
    place's sheet (a third of the file)."""
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.5)
    middle, height = landscape(A4)[0] / 2, landscape(A4)[1]
    canvas.line(middle, 6 * MM, middle, height - 6 * MM)
    canvas.setFont(CUT_FONT, 7)
    canvas.drawCentredString(middle, height - 4 * MM, CUT_LABEL)
    canvas.drawCentredString(middle, 2.5 * MM, CUT_LABEL)
    canvas.restoreState()


GENERAL_TITLE = "Besoin d’aide avec Internet, un téléphone ou un ordinateur ?"
GENERAL_INTRO = "Près de chez vous, {dans}, des lieux vous aident à :"
GENERAL_FIND = "Trouvez le lieu le plus proche, ses horaires et son téléphone :"
GENERAL_NO_PHONE = "Pas de téléphone pour scanner ? Tapez cette adresse sur un ordinateur :"


def general_flyer_pdf(
    home_url: str, modules: Modules, size: str = "A5", needs: Sequence[Need] = NEEDS,
    publisher: str = PUBLISHER, where: str = "dans le département",
) -> bytes:
    """The flyer of the whole directory: what these places do, and a QR code to the home page.

    `needs` are the ones at least one place meets today: a flyer never promises the others;
    `where` says the territory (« dans la Vienne »)."""
    out = io.BytesIO()
    canvas = _new_canvas(out, size, publisher, f"{_subject(size)} : l’annuaire", publisher)
    canvas.saveState()
    _scale_to(canvas, size)
    page = _Page(canvas)
    width = A5_WIDTH - 2 * MARGIN
    x, top = MARGIN, A5_HEIGHT - MARGIN
    top = page.lines(x, top, [printable(publisher)], BOLD, 12, 15) - 4
    top = page.lines(x, top, wrap(printable(GENERAL_TITLE), BOLD, 28, width), BOLD, 28, 32) - 6
    canvas.setLineWidth(1.5)
    canvas.line(x, top, x + width, top)
    top -= 12
    body = 15.0
    intro = GENERAL_INTRO.format(dans=where)
    top = page.lines(x, top, wrap(printable(intro), REGULAR, body, width), REGULAR, body, body * 1.3)
    bullet = "•" + NBSP
    indent = _width(bullet, REGULAR, body)
    for need in needs:
        text = need.title[0].lower() + need.title[1:]
        page.text(x, top - body, bullet, REGULAR, body)
        top = page.lines(x + indent, top, wrap(printable(text), BOLD, body, width - indent), BOLD, body, body * 1.3)
    top -= 10
    top = page.lines(x, top, wrap(printable(GENERAL_FIND), REGULAR, body, width), REGULAR, body, body * 1.3)
    top = _qr_block(canvas, modules, x, top, 45 * MM)  # the sentence stays out of the quiet zone
    top = page.lines(x, top, wrap(printable(SCAN_SENTENCE), BOLD, 14, width), BOLD, 14, 17) - 8
    top = page.lines(x, top, wrap(printable(GENERAL_NO_PHONE), REGULAR, 12, width), REGULAR, 12, 15)
    _linked_url(canvas, home_url, x, top, width)
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _qr_block(canvas: Canvas, modules: Modules, x: float, top: float, symbol: float) -> float:
    """A QR code with its quiet zone below `top`; returns the top of what comes under it."""
    module = symbol / len(modules)
    top -= QUIET_ZONE * module
    draw_qr(canvas, modules, x + QUIET_ZONE * module, top, symbol)
    return top - symbol - QUIET_ZONE * module


def _linked_url(canvas: Canvas, url: str, x: float, top: float, width: float) -> float:
    """The address in words, bold 14 pt, clickable in a PDF viewer; returns the top below it."""
    bottom = _Page(canvas).lines(x, top, wrap_url(printable(url), BOLD, 14, width), BOLD, 14, 17)
    canvas.linkURL(url, (x, bottom, x + width, top), relative=0)
    return bottom


def notice_pdf(title: str, text: str, url: str, modules: Modules, publisher: str) -> bytes:
    """One A5 page that says where to go instead, with the address as a QR code and in words:
    what a published PDF address holds when its document would be too big to make (a whole
    département's batch or guide above `produce.ONE_DOCUMENT_MAX` places). Its address keeps
    working; the reader is led to the smaller files."""
    out = io.BytesIO()
    canvas = _new_canvas(out, "A5", title, "Où trouver les documents", publisher)
    page = _Page(canvas)
    width = A5_WIDTH - 2 * MARGIN
    x, top = MARGIN, A5_HEIGHT - MARGIN
    top = page.lines(x, top, [printable(publisher)], BOLD, 12, 15) - 4
    top = page.lines(x, top, wrap(printable(title), BOLD, 24, width), BOLD, 24, 28) - 10
    top = page.lines(x, top, wrap(printable(text), REGULAR, 15, width), REGULAR, 15, 20) - 10
    top = _qr_block(canvas, modules, x, top, 40 * MM)
    _linked_url(canvas, url, x, top, width)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


# --- Cache keys ------------------------------------------------------------------------------


def flyer_key(content: FlyerContent, *, size: str = "A5", template_version: str = FLYER_LAYOUT_VERSION) -> str:
    """sha256 of everything printed on the flyer (as the reader sees it), the layout version,
    the page size, the font and the PDF library: equal keys give identical PDFs, so a rebuild
    where none of these changed needs no new PDF."""
    return _flyer_key(content, size, template_version)


@lru_cache(maxsize=65536)
def _flyer_key(content: FlyerContent, size: str, template_version: str) -> str:
    """Kept per process: a build asks for each place's key five times (its flyer, poster,
    sheet, batch page and service lines). The content's fields are read as they are, not
    copied by `asdict` (a third of the print part of a correction at 20,000 places): they are
    text, tuples of text and None, which JSON writes the same either way."""
    _check_size(size)
    payload = {
        "layout": template_version,
        "size": size,
        "font": font_files()[2],
        "reportlab": REPORTLAB_VERSION,
        "content": {f.name: getattr(content, f.name) for f in fields(content)},
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def batch_key(keys: Iterable[str], *, size: str, title: str, template_version: str = FLYER_LAYOUT_VERSION) -> str:
    """Key of a batch PDF from its pages' `flyer_key`s, in order, its title and size."""
    text = json.dumps([template_version, size, title, list(keys)], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
