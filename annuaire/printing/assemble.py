"""Print files made from pages already drawn, never drawn again: an intercommunality's batch
is the pages of its communes' batches, the département's batch takes every commune's, an A4
poster is the A5 flyer enlarged, and « two per sheet » puts A5 pages side by side on A4
landscape over a cut line.

Why: drawing a flyer (layout, text measured, QR squares) is the costly part of a build;
copying a drawn page costs about a millisecond. A batch is drawn once for a commune rather
than glued from the places' own files, because a drawn batch embeds its font once for all its
pages (an intercommunality's batch carries one font subset per commune); and a correction
draws again one commune's pages, not its intercommunality's. The document ID is fixed, so a
rebuild gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import SupportsBytes

import pikepdf

A4_SHORT, A4_LONG = 595.2756, 841.8898  # points, as reportlab's A4
A5_SHORT = 419.5276  # A5 is A4 folded: its long side is A4's short side


@dataclass(frozen=True)
class Meta:
    """What a PDF says about itself (title shown by readers, language for screen readers)."""

    title: str
    subject: str
    publisher: str


PageRef = tuple[SupportsBytes, int]  # a drawn PDF (its bytes, or the file that holds them) and one of its pages (0-based)


class _Sources:
    """Drawn PDFs opened once each, kept open until the new document is saved (pikepdf copies
    their objects lazily), so a font shared by their pages is copied once."""

    def __init__(self, out: pikepdf.Pdf) -> None:
        self._out = out
        # By content, not by object: the same bytes pickled to a worker process twice are one source.
        self._open: dict[SupportsBytes, pikepdf.Pdf] = {}
        self._forms: dict[PageRef, pikepdf.Object] = {}

    def page(self, ref: PageRef) -> pikepdf.Page:
        data, number = ref
        if data not in self._open:
            self._open[data] = pikepdf.open(io.BytesIO(bytes(data)))
        return self._open[data].pages[number]

    def place(self, sheet: pikepdf.Page, ref: PageRef, rect: pikepdf.Rectangle) -> None:
        """Draw page `ref` on `sheet`, scaled to fit `rect` and centred. The page becomes a form
        (one copy per document, however often it is placed) under a name that depends only on
        its position, so the bytes are the same at every build."""
        key = ref
        if key not in self._forms:
            self._forms[key] = self._out.copy_foreign(self.page(ref).as_form_xobject())
        form = self._forms[key]
        placed = len(sheet.Resources.get("/XObject", {}))
        name = sheet.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/Page{placed}"))
        placement = sheet.calc_form_xobject_placement(
            form, name, rect, invert_transformations=True, allow_shrink=True, allow_expand=True)
        sheet.contents_add(placement, prepend=False)

    def close(self) -> None:
        for pdf in self._open.values():
            pdf.close()


def _save(pdf: pikepdf.Pdf, meta: Meta) -> bytes:
    pdf.docinfo["/Title"] = meta.title
    pdf.docinfo["/Subject"] = meta.subject
    pdf.docinfo["/Author"] = meta.publisher
    pdf.docinfo["/Creator"] = meta.publisher
    pdf.Root.Lang = pikepdf.String("fr-FR")
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def pages(refs: Sequence[PageRef], meta: Meta) -> bytes:
    """The given pages, in this order, in one document."""
    if not refs:
        raise ValueError("aucune page à assembler")
    out = pikepdf.new()
    sources = _Sources(out)
    try:
        for ref in refs:
            out.pages.append(sources.page(ref))
        return _save(out, meta)
    finally:
        sources.close()


def enlarged(a5: SupportsBytes, meta: Meta) -> bytes:
    """The A5 flyer on an A4 page, enlarged and centred (A4 = A5 × √2): the poster."""
    out = pikepdf.new()
    sources = _Sources(out)
    try:
        page = pikepdf.Page(out.add_blank_page(page_size=(A4_SHORT, A4_LONG)))
        sources.place(page, (a5, 0), pikepdf.Rectangle(0, 0, A4_SHORT, A4_LONG))
        return _save(out, meta)
    finally:
        sources.close()


def two_per_sheet(refs: Sequence[PageRef], cut: SupportsBytes, meta: Meta) -> bytes:
    """A5 pages two by two on A4 landscape sheets, each over the page `cut` (the dashed line
    and « Découpez ici », drawn once); an odd last page has its half sheet alone."""
    if not refs:
        raise ValueError("aucune page à assembler")
    out = pikepdf.new()
    sources = _Sources(out)
    left = (A4_LONG - 2 * A5_SHORT) / 2  # A5 is a hair narrower than half of A4
    try:
        for start in range(0, len(refs), 2):
            sheet = pikepdf.Page(out.add_blank_page(page_size=(A4_LONG, A4_SHORT)))
            sources.place(sheet, (cut, 0), pikepdf.Rectangle(0, 0, A4_LONG, A4_SHORT))
            for side, ref in enumerate(refs[start:start + 2]):
                x = left + side * A5_SHORT
                sources.place(sheet, ref, pikepdf.Rectangle(x, 0, x + A5_SHORT, A4_SHORT))
        return _save(out, meta)
    finally:
        sources.close()
