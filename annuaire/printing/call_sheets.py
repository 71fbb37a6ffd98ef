"""Call sheets: one A4 PDF per EPCI, to check its places by phone in an afternoon.

Large type (the phone number biggest), what the directory says now, what to ask, boxes to
tick and lines to write on: a coordinator calls, notes, and turns each answer into a verified
record (`scripts/verify_place.py`). Places without a phone are listed at the end, to write to.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from ..data import hours
from ..data.contact import phone_display
from ..model.places import Place
from ..model.quality import Health, known_true_on
from ..text import french_date
from ..views import grouped_hours
from .flyers import BOLD, MM, PUBLISHER, REGULAR, paragraph, printable, register_fonts

BOX = "\u2610"  # ☐, drawn by the font when it has it; a bracket pair otherwise


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("corps", fontName=REGULAR, fontSize=13, leading=17, spaceAfter=3)
    return {
        "title": ParagraphStyle("titre", parent=body, fontName=BOLD, fontSize=22, leading=27, spaceAfter=6),
        "name": ParagraphStyle("nom", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceAfter=2),
        "phone": ParagraphStyle("tel", parent=body, fontName=BOLD, fontSize=22, leading=27, spaceAfter=4),
        "body": body,
        "small": ParagraphStyle("petit", parent=body, fontSize=11, leading=14),
        "box": ParagraphStyle("case", parent=body, fontName=REGULAR, fontSize=14, leading=20),
    }


def _place_block(place: Place, sheet: Health, s: dict[str, ParagraphStyle], box: str) -> list[Flowable]:
    when = known_true_on(place)
    said = (f"vérifiée le {french_date(when)}" if place.verified else f"information du {french_date(when)}, jamais vérifiée")
    rows: list[Flowable] = [
        paragraph(place.nom, s["name"]),
        paragraph(f"{place.commune_ref.nom} · {said}", s["small"]),
        paragraph(phone_display(place.telephone) if place.telephone else "", s["phone"]),
    ]
    week = hours.weekly(place.horaires) if place.horaires else None
    if week is not None:
        said = " ; ".join(f"{days} : {text}" for days, text in grouped_hours(hours.week_rows(week)))
        rows.append(paragraph(f"Horaires connus : {said}", s["small"]))
    rows.append(paragraph("À demander :", s["body"]))
    for question in sheet.questions(place):
        rows.append(paragraph(f"• {question}", s["body"]))
    rows += [
        Spacer(1, 3),
        paragraph(f"{box} Tout est juste      {box} Des choses ont changé (notez-les)      {box} Pas de réponse", s["box"]),
        Spacer(1, 2),
        Table([[""], [""], [""]], colWidths=[180 * MM], rowHeights=[9 * MM] * 3,
              style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.HexColor("#777777"))])),
        paragraph("Appelé le ____ / ____ / ________ par ______________________", s["small"]),
        Spacer(1, 10),
    ]
    return [KeepTogether(rows)]


CALL_SHEET_VERSION = "2026-12-02.1"  # change with the call sheet's layout


def call_sheet_key(sheet: Health, site_url: str, publisher: str) -> str:
    """sha256 of everything the sheet prints (see `call_sheet_pdf` and `_place_block`) but the
    day it was made: a sheet is drawn again only when what it lists changes, and keeps saying
    the day it was made until then (true: nothing on it changed since). Drawing every sheet
    again each night for its date took 12 s of the nightly build at 20,000 places. Read field
    by field, not `repr(sheet)`: a thousand places' full records took seconds to print."""
    places = [
        (p.nom, p.commune_ref.nom, p.verified, str(known_true_on(p)), p.telephone, p.horaires, p.courriels[:1],
         sheet.questions(p))
        for p in sheet.places
    ]
    parts = [CALL_SHEET_VERSION, sheet.title, len(sheet.never_verified), site_url, publisher, places]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def call_sheet_pdf(sheet: Health, today: date, site_url: str, publisher: str = PUBLISHER) -> bytes:
    """The call sheet of one EPCI (or of the département): byte-identical for the same data."""
    s = _styles()
    box = BOX if ord(BOX) in register_fonts() else "[  ]"  # a box to tick, in whatever the font can draw
    with_phone: Sequence[Place] = [p for p in sheet.places if p.telephone]
    without = [p for p in sheet.places if not p.telephone]
    story: list[Flowable] = [
        paragraph(f"Vérifier les lieux : {sheet.title}", s["title"]),
        paragraph(f"{len(sheet.places)} lieux, dont {len(sheet.never_verified)} jamais vérifiés. Fiche produite le "
           f"{french_date(today)}. Après l’appel, reportez les réponses dans l’annuaire : "
           f"{site_url}donnees/qualite/", s["small"]),
        Spacer(1, 8),
    ]
    for place in with_phone:
        story += _place_block(place, sheet, s, box)
    if without:
        story.append(paragraph("Sans téléphone connu : à écrire ou à visiter", s["name"]))
        for place in without:
            how = place.courriels[0] if place.courriels else "aucun contact connu : passer sur place"
            story.append(paragraph(f"• {place.nom} ({place.commune_ref.nom}) : {how}", s["body"]))
    if not sheet.places:
        story.append(paragraph("Aucun lieu recensé dans ce territoire.", s["body"]))
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=15 * MM, rightMargin=15 * MM, topMargin=14 * MM, bottomMargin=14 * MM,
        title=f"Vérifier les lieux : {printable(sheet.title)}", author=publisher, creator=publisher,
        subject="Fiche d’appels", lang="fr-FR", invariant=1,
    )
    document.build(story)
    return out.getvalue()
