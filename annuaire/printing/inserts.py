"""Inserts for the bulletin municipal: per commune, a ready-to-print block that says where to get
help for each need, with the QR code of the commune page.

Two sizes (a quarter of an A4 page, portrait; half of it, landscape), each as a PDF and as a
300 dpi PNG (what a bulletin's layout software takes), and as plain text to paste. The layout
is computed once, in points, as a list of drawing steps; ReportLab draws the PDF and Pillow
the PNG from the same steps, so the two never disagree.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .flyers import BOLD, MM, REGULAR, draw_qr, font_files, printable, register_fonts, wrap
from .png import bilevel_png
from .qr import QUIET_ZONE, Modules

DPI = 300
SIZES = {  # name → (width, height) in points
    "quart": (105 * MM, 148.5 * MM),
    "demi": (210 * MM, 148.5 * MM),
}
TITLE = "Besoin d’aide avec le numérique ?"
SCAN = "Tous les lieux près de chez vous : scannez ce code"


@dataclass(frozen=True)
class InsertLine:
    """One need, and where to go for it."""

    need: str  # « Faire une démarche en ligne »
    place: str  # « France services de Lusignan (Lusignan, à 9,9 km) »
    contact: str  # « Tél. 05 49 … · du lundi au vendredi »


@dataclass(frozen=True)
class InsertContent:
    commune: str
    where: str  # « À Adriers et autour » (the title's second line)
    lines: tuple[InsertLine, ...]
    url: str
    updated: str  # « Informations du 1er août 2024 »
    publisher: str


def plain_text(content: InsertContent) -> str:
    """The insert as text to paste into a newsletter."""
    out = [TITLE, content.where, ""]
    for line in content.lines:
        out.append(f"{line.need} : {line.place}.")
        if line.contact:
            out.append(f"  {line.contact}.")
    out += ["", f"Tous les lieux : {content.url}", f"{content.updated}. {content.publisher}."]
    return "\n".join(out) + "\n"


# --- Layout ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    kind: str  # "text", "qr" or "rule"
    x: float
    y: float  # from the top, in points
    size: float = 0.0
    bold: bool = False
    text: str = ""
    width: float = 0.0


def text_width(step: Step) -> float:
    """How wide a text step is drawn, in points."""
    register_fonts()
    return float(stringWidth(step.text, BOLD if step.bold else REGULAR, step.size))


BODY_SIZES = {"quart": (9.5, 9, 8.5, 8, 7.5, 7), "demi": (12, 11, 10, 9, 8)}


def layout(content: InsertContent, size: str) -> list[Step]:
    """The drawing steps of one insert, in points from the top-left corner: the largest body
    type whose text ends above the QR code (quarter page) or the footer (half page)."""
    for body in BODY_SIZES[size]:
        steps, bottom, limit = _layout(content, size, body)
        if bottom <= limit:
            break
    return steps


def _layout(content: InsertContent, size: str, body: float) -> tuple[list[Step], float, float]:
    """Steps, where the needs' text ends, and where it must end."""
    register_fonts()
    width, height = SIZES[size]
    margin = 6 * MM
    wide = size == "demi"
    qr_side = (46 if wide else 30) * MM
    text_width = (width - 2 * margin - qr_side - 6 * MM) if wide else width - 2 * margin
    steps: list[Step] = []
    y = margin

    def lines(text: str, font_size: float, bold: bool, leading: float) -> None:
        nonlocal y
        for part in wrap(printable(text), BOLD if bold else REGULAR, font_size, text_width):
            y += font_size
            steps.append(Step("text", margin, y, font_size, bold, part))
            y += leading - font_size

    title_size = 22 if wide else 15
    lines(TITLE, title_size, True, title_size * 1.2)
    lines(content.where, title_size - 3, True, (title_size - 3) * 1.3)
    steps.append(Step("rule", margin, y + 2, width=text_width))
    y += 6
    for line in content.lines:
        lines(line.need, body + 0.5, True, body * 1.3)
        lines(line.place, body, False, body * 1.25)
        if line.contact:
            lines(line.contact, body, False, body * 1.25)
        y += body * 0.4
    text_end = y
    if wide:
        qr_x, qr_y = width - margin - qr_side, margin + 4 * MM
    else:
        qr_x, qr_y = width - margin - qr_side, height - margin - qr_side - 9 * MM
    steps.append(Step("qr", qr_x, qr_y, width=qr_side))
    cy = qr_y + qr_side + 2
    for part in wrap(printable(SCAN), BOLD, 7, qr_side):
        cy += 7
        steps.append(Step("text", qr_x, cy, 7, True, part))
        cy += 1.5
    footer = [printable(content.url), printable(f"{content.updated}. {content.publisher}.")]
    fy = height - margin - (2 if wide else 0)
    limit = width - 2 * margin - (0 if wide else qr_side + 4 * MM)
    for part in reversed([p for text in footer for p in wrap(text, REGULAR, 6.5, limit, breaks=r"(?<=[ /])")]):
        steps.append(Step("text", margin, fy, 6.5, False, part))
        fy -= 8
    return steps, text_end, (qr_y - 2 * MM) if not wide else fy


# --- Backends -------------------------------------------------------------------------------------

def insert_pdf(content: InsertContent, size: str, modules: Modules) -> bytes:
    register_fonts()
    width, height = SIZES[size]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1, lang="fr-FR",
                    initialFontName=REGULAR)
    canvas.setTitle(printable(f"Encart pour le bulletin : {content.commune}"))
    canvas.setAuthor(content.publisher)
    canvas.setCreator(content.publisher)
    for step in layout(content, size):
        if step.kind == "text":
            canvas.setFont(BOLD if step.bold else REGULAR, step.size)
            canvas.drawString(step.x, height - step.y, step.text)
        elif step.kind == "rule":
            canvas.setLineWidth(1)
            canvas.line(step.x, height - step.y, step.x + step.width, height - step.y)
        elif step.kind == "qr":
            module = step.width / (len(modules) + 2 * QUIET_ZONE)
            draw_qr(canvas, modules, step.x + QUIET_ZONE * module, height - step.y - QUIET_ZONE * module,
                    module * len(modules))
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@lru_cache(maxsize=8)
def _font(bold: bool, px: int) -> ImageFont.FreeTypeFont:
    regular, bold_file, _family = font_files()
    return ImageFont.truetype(str(bold_file if bold else regular), px)


@lru_cache(maxsize=4096)
def _text_stamp(text: str, bold: bool, px: int) -> tuple[Image.Image, int, int]:
    """One line of text as a 1-bit mask, and where it sits from its baseline's left end.
    Drawing a line costs FreeType a few milliseconds; three lines in four of a département's
    inserts are the same (the needs, the contacts, the title, the footer), so each is drawn once."""
    font = _font(bold, px)
    left, top, right, bottom = (round(edge) for edge in font.getbbox(text, mode="1", anchor="ls"))
    stamp = Image.new("1", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(stamp).text((-left, -top), text, font=font, fill=1, anchor="ls")
    return stamp, left, top


def insert_png(content: InsertContent, size: str, modules: Modules) -> bytes:
    """The same insert at 300 dpi in black and white: line art, as printers of bulletins want it,
    and ten times faster to encode than grey levels."""
    width, height = SIZES[size]
    scale = DPI / 72
    image = Image.new("1", (round(width * scale), round(height * scale)), 1)
    draw = ImageDraw.Draw(image)
    for step in layout(content, size):
        if step.kind == "text":
            stamp, dx, dy = _text_stamp(step.text, step.bold, round(step.size * scale))
            image.paste(0, (round(step.x * scale) + dx, round(step.y * scale) + dy), stamp)
        elif step.kind == "rule":
            draw.line([(step.x * scale, step.y * scale), ((step.x + step.width) * scale, step.y * scale)],
                      fill=0, width=max(1, round(scale)))
        elif step.kind == "qr":
            module = step.width * scale / (len(modules) + 2 * QUIET_ZONE)
            left, top = step.x * scale + QUIET_ZONE * module, step.y * scale + QUIET_ZONE * module
            for r, row in enumerate(modules):
                for c, dark in enumerate(row):
                    if dark:
                        x0, y0 = round(left + c * module), round(top + r * module)
                        draw.rectangle([x0, y0, round(left + (c + 1) * module) - 1, round(top + (r + 1) * module) - 1],
                                       fill=0)
    return bilevel_png(image, DPI)


def insert_files(content: InsertContent, modules: Modules) -> dict[str, bytes]:
    """File name → bytes, for one commune."""
    files: dict[str, bytes] = {"encart.txt": plain_text(content).encode("utf-8")}
    for size in SIZES:
        files[f"encart-{size}-page.pdf"] = insert_pdf(content, size, modules)
        files[f"encart-{size}-page.png"] = insert_png(content, size, modules)
    return files


def names() -> Sequence[str]:
    return ["encart.txt", *(f"encart-{s}-page.{ext}" for s in SIZES for ext in ("pdf", "png"))]
