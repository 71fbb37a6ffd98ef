"""QR codes that lead to a place page, for flyers printed today and scanned years later.

segno makes the symbol; this module only fixes the choices every caller must share, so the
SVG on a page, the PNG to download and the squares drawn in a PDF are the same code:

- error correction at least M (15 % of the symbol can be dirty or folded), raised by segno
  when the URL leaves room for it (`boost_error`): paper ages, phones are cheap;
- a full quiet zone of 4 modules (the standard's minimum; cheap phone cameras need it);
- dark on a real white background, so the code reads on a dark page or a coloured paper;
- no timestamp and no random id: the same URL always gives the same bytes.
"""

from __future__ import annotations

import io

import segno
from PIL import Image

from .png import bilevel_png

ERROR_LEVEL = "m"
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires
DARK = "#000"
LIGHT = "#fff"
FILES_VERSION = "2"  # change when the PNG or SVG files are written differently (kept files are made again)


def make_qr(url: str) -> segno.QRCode:
    """The QR code of `url` with the project's settings (a full QR code, never a Micro QR)."""
    if not url:
        raise ValueError("adresse vide : impossible de faire un QR code")
    return segno.make(url, error=ERROR_LEVEL, boost_error=True, micro=False)


def qr_title(url: str) -> str:
    """What a screen reader says for the image (French, with the address)."""
    return f"QR code vers {url}"


def qr_svg(url: str, code: segno.QRCode | None = None) -> str:
    """A standalone SVG (also usable inline in HTML) that scales with its container.

    It has a `viewBox` and no fixed size (`omitsize`), a white background rectangle and a
    `<title>` read by screen readers; `role="img"` makes browsers expose that title.
    """
    out = io.BytesIO()
    (code or make_qr(url)).save(
        out,
        kind="svg",
        border=QUIET_ZONE,
        dark=DARK,
        light=LIGHT,
        omitsize=True,
        title=qr_title(url),  # segno escapes it
        xmldecl=False,
        svgns=True,
        svgclass="annuaire-qr",
        lineclass=None,
        nl=False,
    )
    svg = out.getvalue().decode("utf-8")
    # Crisp edges: a blurred module border makes cheap cameras hesitate.
    return svg.replace("<svg ", '<svg role="img" shape-rendering="crispEdges" ', 1)


def qr_png(url: str, scale: int = 10, code: segno.QRCode | None = None) -> bytes:
    """A PNG, `scale` pixels per module, with the quiet zone (no date chunk: same bytes each time)."""
    if scale < 1:
        raise ValueError("scale doit être au moins 1")
    modules = modules_of(code or make_qr(url))
    side = len(modules) + 2 * QUIET_ZONE
    grey = bytearray(b"\xff" * (side * side))
    for r, row in enumerate(modules):
        start = (r + QUIET_ZONE) * side + QUIET_ZONE
        for c, dark in enumerate(row):
            if dark:
                grey[start + c] = 0
    image = Image.frombytes("L", (side, side), bytes(grey)).convert("1", dither=Image.Dither.NONE)
    return bilevel_png(image.resize((side * scale, side * scale), Image.Resampling.NEAREST))


Modules = tuple[tuple[bool, ...], ...]


def qr_modules(url: str) -> Modules:
    """The symbol as rows of dark (True) / light modules, WITHOUT the quiet zone: for drawing
    vector squares in a PDF (the caller keeps `QUIET_ZONE` modules of blank paper around).
    Encoding (the mask choice) is most of a flyer's drawing time: a build encodes each URL
    once, in its `PrintCache`."""
    return modules_of(make_qr(url))


def modules_of(code: segno.QRCode) -> Modules:
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


def modules_text(modules: Modules) -> str:
    """One line of 0 and 1 per row: how the print store keeps a code."""
    return "\n".join("".join("1" if dark else "0" for dark in row) for row in modules)


def modules_from_text(text: str) -> Modules:
    return tuple(tuple(c == "1" for c in line) for line in text.splitlines())
