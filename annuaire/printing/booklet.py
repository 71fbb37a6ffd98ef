"""The paper guide: every place of an EPCI (or of the département) in an A5 booklet, for people
who will not search online.

A cover, a contents page, the places by commune (what they help with, how to come, hours in
words, the phone in large type, a small QR code to the page), then the general contact and the
date of the information on the back. Type is 12 pt or more, black on white; blank « Notes »
pages bring the count to a multiple of 4, so that A4 sheets printed as a booklet fold into it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..data.hours import CLOSED
from ..views import FlyerContent
from .flyers import BOLD, MM, REGULAR, draw_qr, paragraph, printable, register_fonts
from .qr import QUIET_ZONE, Modules

BODY = 12  # points: the smallest type in the booklet
QR_SIDE = 20 * MM  # dark modules; small, the page is the place's full record


@dataclass(frozen=True)
class BookletPlace:
    content: FlyerContent
    modules: Modules  # QR code of the place's page


@dataclass(frozen=True)
class BookletSection:
    title: str  # the commune
    places: tuple[BookletPlace, ...]


@dataclass(frozen=True)
class Booklet:
    title: str  # « Communauté de communes du Civraisien en Poitou »
    sections: tuple[BookletSection, ...]
    url: str  # the territory's page
    modules: Modules  # its QR code
    updated: str  # « Informations du 1er août 2024 »
    contact: str  # how to reach the directory: e-mail, or the site
    publisher: str

    @property
    def place_count(self) -> int:
        return sum(len(s.places) for s in self.sections)


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("corps", fontName=REGULAR, fontSize=BODY, leading=BODY * 1.3, spaceAfter=2)
    return {
        "cover": ParagraphStyle("couverture", parent=body, fontName=BOLD, fontSize=26, leading=31, spaceAfter=10),
        "cover_sub": ParagraphStyle("sous-titre", parent=body, fontSize=16, leading=21, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=18, leading=22, spaceBefore=4, spaceAfter=6),
        "notes": ParagraphStyle("notes", parent=body, fontName=BOLD, fontSize=18, leading=22),
        "name": ParagraphStyle("nom", parent=body, fontName=BOLD, fontSize=14, leading=17, spaceAfter=2),
        "phone": ParagraphStyle("tel", parent=body, fontName=BOLD, fontSize=18, leading=22, spaceBefore=2),
        "body": body,
    }


class _QrFlowable(Flowable):
    """A QR code with its white quiet zone, `side` wide."""

    def __init__(self, modules: Modules, side: float) -> None:
        super().__init__()
        self.modules, self.side = modules, side
        self.module = side / len(modules)
        self.width = self.height = side + 2 * QUIET_ZONE * self.module

    def draw(self) -> None:
        quiet = QUIET_ZONE * self.module
        draw_qr(self.canv, self.modules, quiet, self.height - quiet, self.side)


class _Heading(Paragraph):
    """A commune's title: the `index`-th entry of the contents page."""

    def __init__(self, text: str, style: ParagraphStyle, index: int) -> None:
        super().__init__(text, style)
        self.index = index


ROW = 2 * BODY  # height of a line of the contents: room between lines for a finger and a pen
NUMBER_WIDTH = 12 * MM  # « 1 234 » at 12 pt, right-aligned


def _number_form(index: int) -> str:
    return f"sommaire-{index}"


class _Contents(Flowable):
    """The contents: one line per commune, « Dissay . . . . 59 ». Each page number is a PDF
    form placed here and defined once the commune's pages are laid out (`_PageNumbers`), so the
    booklet is laid out in one pass; ReportLab's table of contents needs two or three."""

    def __init__(self, titles: Sequence[str], first: int = 0) -> None:
        super().__init__()
        self.titles, self.first = list(titles), first

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, len(self.titles) * ROW
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fits = int(available_height // ROW)
        if fits <= 0:
            return []
        if fits >= len(self.titles):
            return [self]
        return [_Contents(self.titles[:fits], self.first), _Contents(self.titles[fits:], self.first + fits)]

    def draw(self) -> None:
        canvas = self.canv
        dot = stringWidth(". ", REGULAR, BODY)
        last_dot = self.width - NUMBER_WIDTH - 2 * MM
        for row, title in enumerate(self.titles):
            y = self.height - (row + 1) * ROW + (ROW - BODY) / 2
            canvas.setFont(REGULAR, BODY)
            canvas.drawString(0, y, title)  # the longest commune name of France takes 265 of 312 points
            # Leader dots on a grid shared by every line, as a typesetter does.
            x = (int((stringWidth(title, REGULAR, BODY) + 2 * MM) // dot) + 1) * dot
            canvas.drawString(x, y, ". " * max(0, int((last_dot - x) // dot)))
            canvas.saveState()
            canvas.translate(self.width - NUMBER_WIDTH, y)
            canvas.doForm(_number_form(self.first + row))
            canvas.restoreState()


class _PageNumbers(Flowable):
    """Defines the page number of every contents line; placed after the last commune."""

    def __init__(self, pages: dict[int, int], count: int) -> None:
        super().__init__()
        self.pages, self.count = pages, count

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        for index in range(self.count):
            self.canv.beginForm(_number_form(index), 0, -BODY / 2, NUMBER_WIDTH, BODY * 1.5)  # its box: the number's
            self.canv.setFont(REGULAR, BODY)
            self.canv.drawRightString(NUMBER_WIDTH, 0, str(self.pages.get(index, "")))
            self.canv.endForm()


class _NotesUntilFold(Flowable):
    """« Notes » pages until the next page (the back cover) ends a sheet of four: placed last,
    it knows the page count in the same pass, so the booklet is laid out once."""

    def __init__(self, heading: Paragraph) -> None:
        super().__init__()
        self.heading = heading

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._doctemplateAttr("page") % 4 != 3:
            self._doctemplateAttr("frame").add_generated_content(PageBreak(), self.heading, self)
        return 0, 0

    def draw(self) -> None:
        pass


class _Document(BaseDocTemplate):
    """Notes the page where each commune starts (read by `_PageNumbers`)."""

    starts: dict[int, int]

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's name)
        if isinstance(flowable, _Heading):
            self.starts.setdefault(flowable.index, self.page)


def _place(place: BookletPlace, s: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    c = place.content
    text: list[Flowable] = [paragraph(c.name, s["name"]), paragraph(", ".join(c.address), s["body"])]
    if c.services:
        text.append(paragraph(c.services_intro, s["body"]))  # says when a rule, not the place, gave them
    text += [paragraph(f"• {service}", s["body"]) for service in c.services[:5]]
    if c.access:
        text.append(paragraph(c.access, s["body"]))
    open_rows = [(days, times) for days, times in c.hours if times != CLOSED]
    text += [paragraph(f"{days} : {times}", s["body"]) for days, times in open_rows]
    if len(open_rows) < len(c.hours):
        text.append(paragraph("Les autres jours : fermé.", s["body"]))
    if not c.hours and c.hours_note:
        text.append(paragraph(c.hours_note, s["body"]))
    if c.phone:
        text.append(paragraph(f"Tél. {c.phone}", s["phone"]))
    else:
        text += [paragraph(line, s["body"]) for line in c.reach]
    text.append(paragraph(c.updated + ".", s["body"]))
    code = _QrFlowable(place.modules, QR_SIDE)
    table = Table([[text, code]], colWidths=[width - code.width - 3 * MM, code.width + 3 * MM],
                  style=TableStyle([
                      ("VALIGN", (0, 0), (-1, -1), "TOP"),
                      ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                      ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                      ("LINEBELOW", (0, 0), (-1, -1), 0.8, colors.black),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                  ]))
    return [table, Spacer(1, 8)]


def _story(booklet: Booklet, s: dict[str, ParagraphStyle], width: float, starts: dict[int, int]) -> list[Flowable]:
    count = booklet.place_count
    story: list[Flowable] = [
        Spacer(1, 20 * MM),
        paragraph("Se faire aider avec le numérique", s["cover"]),
        paragraph(booklet.title, s["cover_sub"]),
        paragraph(f"{count} lieu{'x' if count > 1 else ''} près de chez vous : pour faire une démarche en ligne, "
           "apprendre à utiliser un téléphone ou un ordinateur, trouver un accès à Internet.", s["body"]),
        Spacer(1, 10 * MM),
        _QrFlowable(booklet.modules, 30 * MM),
        paragraph(f"Tous les lieux, à jour : {booklet.url}", s["body"]),
        paragraph(f"{booklet.updated}.", s["body"]),
        NextPageTemplate("page"), PageBreak(),
        paragraph("Sommaire", s["h1"]),
    ]
    story += [_Contents([printable(section.title) for section in booklet.sections]), PageBreak()]
    for index, section in enumerate(booklet.sections):
        first, *others = section.places
        heading = _Heading(escape(printable(section.title)), s["h1"], index)
        story.append(KeepTogether([heading, *_place(first, s, width)]))  # never a title alone at a page's foot
        story += [KeepTogether(_place(p, s, width)) for p in others]
    story += [
        _PageNumbers(starts, len(booklet.sections)),
        _NotesUntilFold(paragraph("Notes", s["notes"])),
        PageBreak(),
        paragraph("Une question, une erreur ?", s["h1"]),
        paragraph(f"Si une information de ce livret n’est plus juste, ou pour ajouter un lieu : {booklet.contact}.", s["body"]),
        paragraph(f"Ce livret reprend l’annuaire en ligne, plus à jour : {booklet.url}", s["body"]),
        paragraph(f"{booklet.updated}. {booklet.publisher}.", s["body"]),
    ]
    return story


def booklet_pdf(booklet: Booklet) -> bytes:
    """The booklet, its page count a multiple of 4."""
    s = _styles()
    out = io.BytesIO()
    margin = 12 * MM
    document = _Document(
        out, pagesize=A5, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin + 4 * MM,
        title=printable(f"Se faire aider avec le numérique : {booklet.title}"), author=booklet.publisher,
        creator=booklet.publisher, subject="Livret à imprimer en A5", lang="fr-FR", invariant=1,
    )
    frame = Frame(margin, margin + 4 * MM, A5[0] - 2 * margin, A5[1] - 2 * margin - 4 * MM, id="texte",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def numbered(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, BODY)
        canvas.drawCentredString(A5[0] / 2, margin - 2 * MM, str(doc.page))
        canvas.restoreState()

    document.addPageTemplates([PageTemplate("couverture", [frame]), PageTemplate("page", [frame], onPage=numbered)])
    document.starts = {}
    document.build(_story(booklet, s, frame._width, document.starts))
    return out.getvalue()


def page_count(data: bytes) -> int:
    """Pages of a PDF this module wrote (ReportLab writes the page tree's `/Count` once)."""
    for tree in re.findall(rb"<<[^<>]*/Type /Pages\b[^<>]*>>", data):
        if found := re.search(rb"/Count (\d+)", tree):
            return int(found.group(1))
    return 0


def sections_by_commune(items: Sequence[tuple[str, BookletPlace]]) -> tuple[BookletSection, ...]:
    """(commune, place) pairs, already sorted, grouped under one heading per commune."""
    sections: list[BookletSection] = []
    for commune, place in items:
        if sections and sections[-1].title == commune:
            sections[-1] = BookletSection(commune, (*sections[-1].places, place))
        else:
            sections.append(BookletSection(commune, (place,)))
    return tuple(sections)
