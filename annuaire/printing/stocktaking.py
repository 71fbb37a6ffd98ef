"""The yearly état des lieux as a printable A4 PDF, for the annual meeting of the network.

What an elected official needs on paper: how many places by EPCI and need, how many people
live in a white zone by EPCI and need, the map, the white-zone communes by name, the places
opened and closed, and the change since the last yearly snapshot. ReportLab's platypus lays
out the tables over as many pages as needed; the map is drawn as vector paths, white zones
hatched so that a black-and-white printer keeps them apart.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from ..data.outlines import Projection, Ring
from ..data.territory import Departement
from ..model.coverage import Coverage, EpciNeed
from ..model.places import Place, by_epci
from ..model.stocktaking import Changes
from ..text import french_date, french_km, french_number, french_percent
from ..views import publisher_name
from .flyers import BOLD, MM, REGULAR, paragraph, printable, register_fonts

TONE_COLOURS = ("#08306b", "#2171b5", "#9ecae1", "#ffffff")
HATCH = "#b2182b"


@dataclass(frozen=True)
class Report:
    """Everything the état des lieux prints."""

    year: int
    today: date
    data_until: date  # the newest record date
    coverage: Coverage
    places: Sequence[Place]  # open places
    closed_this_year: Sequence[Place]
    outlines: Mapping[str, tuple[Ring, ...]]
    changes: Changes | None
    site_url: str
    named: Departement = Departement("")  # « la Vienne »: whose état des lieux


# --- Styles -------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("corps", fontName=REGULAR, fontSize=11, leading=15, spaceAfter=5)
    return {
        "title": ParagraphStyle("titre", parent=body, fontName=BOLD, fontSize=22, leading=27, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=15, leading=19, spaceBefore=12, spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=12, leading=16, spaceBefore=6, spaceAfter=3),
        "body": body,
        "small": ParagraphStyle("petit", parent=body, fontSize=9, leading=12),
        "cell": ParagraphStyle("cellule", parent=body, fontSize=9, leading=11, spaceAfter=0),
        "cell_bold": ParagraphStyle("cellule_gras", parent=body, fontName=BOLD, fontSize=9, leading=11, spaceAfter=0),
    }


# --- The map ------------------------------------------------------------------------------------


class CoverageMap(Flowable):
    """The communes filled by distance to help for one need (vector, hatched white zones)."""

    def __init__(self, report: Report, need_index: int, width: float, max_height: float) -> None:
        super().__init__()
        self.report = report
        self.need_index = need_index
        rings = [r for rings in report.outlines.values() for r in rings]
        fitted = Projection.fit(rings, width)
        factor = min(1.0, max_height / fitted.height) if fitted.height else 1.0
        self.projection = Projection.fit(rings, width * factor)
        self.width, self.height = width * factor, self.projection.height

    def _path(self, rings: Sequence[Ring]):  # type: ignore[no-untyped-def]
        path = self.canv.beginPath()
        for ring in rings:
            for i, (lon, lat) in enumerate(ring):
                x, y = self.projection.point(lon, lat)
                (path.moveTo if i == 0 else path.lineTo)(x, self.height - y)
            path.close()
        return path

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.3)
        canvas.setStrokeColor(colors.HexColor("#666666"))
        for entry in self.report.coverage.communes:
            rings = self.report.outlines.get(entry.commune.code_insee)
            if not rings:
                continue
            tone = self.report.coverage.tone(entry.reaches[self.need_index])
            canvas.setFillColor(colors.HexColor(TONE_COLOURS[tone]))
            canvas.drawPath(self._path(rings), stroke=1, fill=1, fillMode=1)
            if tone == 3:
                self._hatch(rings)

    def _hatch(self, rings: Sequence[Ring]) -> None:
        """Lines at 45° over the commune, clipped by its outline. Only those that cross its box
        are drawn, on the same lines as for the whole map (hatches meet across communes): the
        whole map's 300 lines for each of 35,000 communes took 19 s and most of a 17 MB PDF."""
        canvas = self.canv
        points = [self.projection.point(lon, lat) for ring in rings for lon, lat in ring]
        left, right = min(x for x, _ in points), max(x for x, _ in points)
        bottom, top = self.height - max(y for _, y in points), self.height - min(y for _, y in points)
        canvas.saveState()
        canvas.clipPath(self._path(rings), stroke=0, fill=0, fillMode=1)
        canvas.setStrokeColor(colors.HexColor(HATCH))
        canvas.setLineWidth(0.9)
        step = 3.0
        # The line from (x, 0) to (x + height, height) crosses the box when left - top ≤ x ≤ right - bottom.
        first = math.floor((left - top + self.height) / step)
        x = -self.height + max(first, 0) * step
        while x <= right - bottom:
            canvas.line(x, 0, x + self.height, self.height)
            x += step
        canvas.restoreState()


def _legend(report: Report, styles: dict[str, ParagraphStyle]) -> Table:
    rows = []
    for i, words in enumerate(report.coverage.tone_labels()):
        rows.append(["", paragraph(words, styles["cell"])])
    table = Table(rows, colWidths=[8 * MM, 120 * MM])
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOX", (0, 0), (0, -1), 0.5, colors.black)]
    for i, colour in enumerate(TONE_COLOURS):
        style.append(("BACKGROUND", (0, i), (0, i), colors.HexColor(colour)))
        style.append(("BOX", (0, i), (0, i), 0.5, colors.black))
    style.append(("BACKGROUND", (0, 3), (0, 3), colors.HexColor("#f4c7c3")))  # hatching, in the legend as a tint
    table.setStyle(TableStyle(style))
    return table


# --- Tables -------------------------------------------------------------------------------------

GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
])


def _places_table(report: Report, styles: dict[str, ParagraphStyle]) -> Table:
    needs = report.coverage.needs
    header = [paragraph("Intercommunalité", styles["cell_bold"]), paragraph("Lieux", styles["cell_bold"])]
    header += [paragraph(n.short, styles["cell_bold"]) for n in needs]
    rows = [header]
    in_epci = by_epci(report.places)
    for epci in report.coverage.epcis:
        mine = in_epci.get(epci.code, [])
        rows.append([paragraph(epci.nom, styles["cell"]), str(len(mine))]
                    + [str(sum(1 for p in mine if n.service in p.services)) for n in needs])
    rows.append([paragraph(report.named.nom or "Total", styles["cell_bold"]), str(len(report.places))]
                + [str(sum(1 for p in report.places if n.service in p.services)) for n in needs])
    table = Table(rows, colWidths=[52 * MM, 18 * MM] + [26 * MM] * len(needs), repeatRows=1)
    table.setStyle(GRID)
    return table


def _white_table(report: Report, styles: dict[str, ParagraphStyle], per_need: Sequence[Sequence[EpciNeed]]) -> Table:
    """`per_need`: `Coverage.by_epci` for each need, as the list of white communes reads it too."""
    coverage = report.coverage
    header = [paragraph("Intercommunalité", styles["cell_bold"]), paragraph("Habitants", styles["cell_bold"])]
    header += [paragraph(n.short, styles["cell_bold"]) for n in coverage.needs]
    rows = [header]
    for i, epci in enumerate(coverage.epcis):
        cells = []
        for need, rows_of_need in zip(coverage.needs, per_need):
            row = rows_of_need[i]
            text = f"{french_number(row.population)} ({french_percent(row.share)})"
            if report.changes is not None:
                then = report.changes.epci_white_population.get((need.slug, epci.code))
                if then is not None:
                    text += f" ; en {report.changes.previous.year} : {french_number(then)}"
            cells.append(paragraph(text, styles["cell"]))
        rows.append([paragraph(epci.nom, styles["cell"]), printable(french_number(per_need[0][i].total)), *cells])
    total = coverage.population
    rows.append([paragraph(report.named.nom or "Total", styles["cell_bold"]), printable(french_number(total))] + [
        paragraph(f"{french_number(coverage.white_population(n))} ({french_percent(coverage.white_population(n) / total if total else 0)})",
           styles["cell_bold"])
        for n in coverage.needs
    ])
    table = Table(rows, colWidths=[46 * MM, 20 * MM] + [28 * MM] * len(coverage.needs), repeatRows=1)
    table.setStyle(GRID)
    return table


# --- The document -------------------------------------------------------------------------------


def _story(report: Report) -> list[Flowable]:
    s = _styles()
    coverage = report.coverage
    threshold = french_km(coverage.threshold_km)
    story: list[Flowable] = [
        paragraph(f"État des lieux {report.year}", s["title"]),
        paragraph(f"Les lieux ressources numériques {report.named.de}", s["h3"]),
        paragraph(f"Données à jour au {french_date(report.data_until)} ; document produit le {french_date(report.today)}. "
           f"Source : {report.site_url}", s["small"]),
        HRFlowable(width="100%", thickness=0.5, color=colors.grey, spaceBefore=4, spaceAfter=6),
        paragraph("L’essentiel", s["h2"]),
        paragraph(f"{len(report.places)} lieux ouverts. Une commune est en zone blanche quand aucun lieu ne répond au besoin "
           f"dans la commune ni à moins de {threshold} à vol d’oiseau.", s["body"]),
    ]
    for need in coverage.needs:
        white = coverage.white_zones(need)
        people = coverage.white_population(need)
        text = (f"{need.title} : {len(white)} communes en zone blanche, {french_number(people)} habitants "
                f"({french_percent(people / coverage.population if coverage.population else 0)} {report.named.de}).")
        if report.changes and need.slug in report.changes.white_population:
            then, now = report.changes.white_population[need.slug]
            delta = now - then
            trend = "stable" if delta == 0 else (f"{french_number(-delta)} de moins" if delta < 0 else f"{french_number(delta)} de plus")
            text += f" En {report.changes.previous.year} : {french_number(then)} habitants ({trend})."
        story.append(paragraph("• " + text, s["body"]))
    if report.changes is None:
        story.append(paragraph("C’est le premier état des lieux : la comparaison avec l’année précédente commencera "
                        "l’an prochain.", s["body"]))

    per_need = [coverage.by_epci(n, report.places) for n in coverage.needs]  # one pass over the communes each
    story += [paragraph("Les lieux, par intercommunalité et par besoin", s["h2"]), _places_table(report, s)]
    story += [paragraph("Les habitants en zone blanche, par intercommunalité et par besoin", s["h2"]),
              _white_table(report, s, per_need)]

    first = coverage.needs[0]
    story.append(KeepTogether([
        paragraph(f"La carte : {first.title.lower()}", s["h2"]),
        CoverageMap(report, 0, 170 * MM, 175 * MM),
        Spacer(1, 4),
        _legend(report, s),
    ]))

    story.append(paragraph("Les communes en zone blanche", s["h2"]))
    for need, by_epci_of_need in zip(coverage.needs, per_need, strict=True):
        story.append(paragraph(need.title, s["h3"]))
        white = coverage.white_zones(need)
        if not white:
            story.append(paragraph(f"Aucune : chaque commune a un lieu à moins de {threshold}.", s["body"]))
            continue
        if len(white) == len(coverage.communes):
            story.append(paragraph(f"Aucun lieu recensé {report.named.dans} : toutes les communes.", s["body"]))
            continue
        for row in by_epci_of_need:
            if row.white:
                names = ", ".join(f"{c.commune.nom} ({french_number(c.commune.population)})" for c in
                                  sorted(row.white, key=lambda c: c.commune.nom))
                story.append(paragraph(f"{row.epci.nom} : {names}.", s["small"]))

    story.append(paragraph(f"Les lieux ouverts et fermés en {report.year}", s["h2"]))
    if report.changes is not None:
        added = report.changes.added
        story.append(paragraph(f"Depuis l’état des lieux de {report.changes.previous.year} : "
                        f"{len(added)} lieu{'x' if len(added) > 1 else ''} en plus.", s["body"]))
        for _path, name in added:
            story.append(paragraph("• " + name, s["small"]))
        removed = report.changes.removed
        if removed:
            story.append(paragraph(f"{len(removed)} lieu{'x' if len(removed) > 1 else ''} en moins :", s["body"]))
            for _path, name in removed:
                story.append(paragraph("• " + name, s["small"]))
    else:
        story.append(paragraph("Les lieux ajoutés seront comptés à partir du prochain état des lieux.", s["body"]))
    closed = report.closed_this_year
    if closed:
        story.append(paragraph(f"Fermés en {report.year} :", s["body"]))
        for place in closed:
            when = french_date(place.date_fermeture) if place.date_fermeture else ""
            story.append(paragraph(f"• {place.nom} ({place.commune_ref.nom}), le {when}", s["small"]))
    else:
        story.append(paragraph(f"Aucun lieu fermé en {report.year}.", s["body"]))

    story += [
        paragraph("Méthode", s["h2"]),
        paragraph("Pour chaque commune et chaque besoin : le lieu ouvert le plus proche qui y répond, à vol d’oiseau depuis "
           "un point à l’intérieur de la commune. Un lieu itinérant compte dans les communes où il s’arrête. Les "
           "chiffres de population sont ceux de l’INSEE (découpage administratif d’Etalab). Les lieux sont ceux de "
           "l’annuaire à la date des données : un lieu qui n’y est pas n’est pas compté.", s["body"]),
    ]
    return story


def report_pdf(report: Report) -> bytes:
    """The état des lieux: byte-identical for the same data (ReportLab's invariant mode)."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=15 * MM, rightMargin=15 * MM, topMargin=15 * MM, bottomMargin=15 * MM,
        title=f"État des lieux {report.year} : lieux ressources numériques {report.named.de}",
        author=publisher_name(report.named), subject="État des lieux annuel", creator=publisher_name(report.named),
        lang="fr-FR", invariant=1,
    )

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(A4[0] - 15 * MM, 8 * MM, f"État des lieux {report.year} · page {doc.page}")
        canvas.restoreState()

    document.build(_story(report), onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
