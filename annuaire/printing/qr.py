"""QR codes that lead to a place page, for flyers printed today and scanned years later.

zxing-cpp makes the symbol (in compiled code: about 0.5 ms a code, where a pure-Python encoder
spends 10 ms choosing the mask); this module fixes the choices every caller must share, so the
SVG on a page, the PNG to download and the squares drawn in a PDF are the same code:

- error correction at least M (15 % of the symbol can be dirty or folded), raised to Q or H
  when the URL leaves room for it in the same symbol size: paper ages, phones are cheap;
- a full quiet zone of 4 modules (the standard's minimum; cheap phone cameras need it);
- dark on a real white background, so the code reads on a dark page or a coloured paper;
- no timestamp and no random id: the same URL always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from importlib import metadata

import zxingcpp
from PIL import Image

from .png import bilevel_png

ERROR_LEVEL = "M"
RAISED_LEVELS = ("H", "Q")  # tried in this order at the size level M needs
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires
DARK = "#000"
LIGHT = "#fff"
FILES_VERSION = "4"  # change when the symbol or its PNG and SVG files are made differently (kept files are made again)
ENCODER = f"zxing-cpp {metadata.version('zxing-cpp')}"  # part of every kept code's key

Modules = Sequence[tuple[bool, ...]]  # rows of dark (True) and light squares


@dataclass(frozen=True)
class QRCode:
    """A full QR code (never a Micro QR): its dark (True) and light modules without the quiet
    zone, and its error correction level."""

    modules: Modules
    error: str  # "M", "Q" or "H"

    @property
    def size(self) -> int:
        return len(self.modules)


def make_qr(url: str) -> QRCode:
    """The QR code of `url` with the project's settings."""
    if not url:
        raise ValueError("adresse vide : impossible de faire un QR code")
    code = _encode(url, ERROR_LEVEL)
    version = (code.size - 17) // 4
    for level in RAISED_LEVELS:
        try:
            return _encode(url, level, version)
        except ValueError:  # the URL needs a bigger symbol at that level: keep the smaller one
            continue
    return code


def _encode(url: str, level: str, version: int | None = None) -> QRCode:
    options = {"ec_level": level} if version is None else {"ec_level": level, "version": version}
    symbol = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, **options)
    image = symbol.to_image(scale=1, add_quiet_zones=False)  # one byte a module, 0 for dark
    side = image.shape[0]
    pixels = memoryview(image).tobytes()  # type: ignore[arg-type]  # zxing-cpp's Image is a buffer
    modules = tuple(tuple(pixel == 0 for pixel in pixels[r * side:(r + 1) * side]) for r in range(side))
    return QRCode(modules, symbol.ec_level)


def qr_title(url: str) -> str:
    """What a screen reader says for the image (French, with the address)."""
    return f"QR code vers {url}"


def dark_runs(modules: Modules) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each run of dark modules, row by row: what the SVG,
    the PNG and the PDF draw, one stroke or rectangle per run."""
    for r, row in enumerate(modules):
        c, count = 0, len(row)
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            yield r, start, c - start


def qr_svg(url: str, code: QRCode | None = None) -> str:
    """A standalone SVG (also usable inline in HTML) that scales with its container.

    It has a `viewBox` and no fixed size, a white background path and a `<title>` read by
    screen readers; `role="img"` makes browsers expose that title. Each run of dark modules is
    one horizontal stroke, one module thick, reached by a relative move (about 3 KB a code),
    with crisp edges: a blurred module border makes cheap cameras hesitate.
    """
    modules = (code or make_qr(url)).modules
    side = len(modules) + 2 * QUIET_ZONE
    path: list[str] = []
    x, y = 0, 0
    for r, start, length in dark_runs(modules):
        column, row = start + QUIET_ZONE, r + QUIET_ZONE
        path.append(f"M{column} {row}.5h{length}" if not path else f"m{column - x} {row - y}h{length}")
        x, y = column + length, row
    return (
        f'<svg role="img" shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg" class="annuaire-qr" '
        f'viewBox="0 0 {side} {side}"><title>{escape(qr_title(url))}</title>'
        f'<path fill="{LIGHT}" d="M0 0h{side}v{side}h-{side}z"/><path stroke="{DARK}" d="{"".join(path)}"/></svg>'
    )


def qr_png(url: str, scale: int = 10, code: QRCode | None = None) -> bytes:
    """A PNG, `scale` pixels per module, with the quiet zone (no date chunk: same bytes each time)."""
    if scale < 1:
        raise ValueError("scale doit être au moins 1")
    modules = (code or make_qr(url)).modules
    side = len(modules) + 2 * QUIET_ZONE
    grey = bytearray(b"\xff" * (side * side))
    for r, row in enumerate(modules):
        start = (r + QUIET_ZONE) * side + QUIET_ZONE
        for c, dark in enumerate(row):
            if dark:
                grey[start + c] = 0
    image = Image.frombytes("L", (side, side), bytes(grey)).convert("1", dither=Image.Dither.NONE)
    return bilevel_png(image.resize((side * scale, side * scale), Image.Resampling.NEAREST))


def qr_modules(url: str) -> Modules:
    """The symbol as rows of dark (True) / light modules, WITHOUT the quiet zone: for drawing
    vector squares in a PDF (the caller keeps `QUIET_ZONE` modules of blank paper around)."""
    return make_qr(url).modules


def modules_text(modules: Modules) -> str:
    """One line of 0 and 1 per row: how the print store keeps a code."""
    return "\n".join("".join("1" if dark else "0" for dark in row) for row in modules)


def modules_from_text(text: str) -> Modules:
    return tuple(tuple(c == "1" for c in line) for line in text.splitlines())
