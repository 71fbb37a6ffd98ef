"""The print pages: one printable HTML flyer per place, and « Affiches à imprimer ».

The PDFs and QR codes are made by `printing/`; these pages show them with their sizes. The
HTML flyer prints the same lines as the PDF (the service lines the PDF's layout kept).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import jinja2
from markupsafe import Markup

from .. import urls
from ..model.places import Place
from ..printing.flyers import KICKER, PUBLISHER, SCAN_SENTENCE
from ..printing.produce import Printed
from ..printing.qr import qr_title
from ..views import FlyerContent, PlaceView, Views
from .templating import Page, render_page, render_page_of

PRINT_INDEX = "affiches/index.md"


def flyer_context(
    content: FlyerContent, services: list[str], qr_src: str, *, size: str = "A5", heading_level: int = 1,
) -> dict[str, Any]:
    """What `flyer/flyer.html` is rendered with: the same texts and service lines as the PDF.
    `qr_src`: the address of the place's `qr.svg` from the page (one file, not 3 KB more in
    each of 20,000 pages)."""
    if size not in ("A5", "A4"):
        raise ValueError(f"format « {size} » inconnu : A5 (flyer) ou A4 (affiche)")
    if heading_level not in range(1, 7):
        raise ValueError("heading_level : de 1 à 6")
    return {
        "c": content,
        "services": services,
        "qr_src": qr_src,
        "qr_alt": qr_title(content.url),
        "size": size.lower(),
        "h": heading_level,
        "kicker": KICKER,
        "scan_sentence": SCAN_SENTENCE,
        "publisher": content.publisher or PUBLISHER,
    }


def flyer_html(
    env: jinja2.Environment, content: FlyerContent, services: list[str], qr_src: str,
    *, size: str = "A5", heading_level: int = 1,
) -> Markup:
    """The flyer as HTML, to print from the browser (`@page { size: A5 }`, or A4, in
    `static/imprimer.css`)."""
    html = env.get_template("flyer/flyer.html").render(
        **flyer_context(content, services, qr_src, size=size, heading_level=heading_level))
    return Markup(html)  # every record value was escaped by autoescape


def place_print_page(env: jinja2.Environment, place: Place, views: Views, printed: Printed) -> Page:
    view = views.of(place)
    # A page of its own, without the site's header, menu and footer: what matters is the sheet
    # it prints, and at 20,000 places the theme's frame would cost 20,000 pages of it (a minute
    # of every first build, 170 MB of the site).
    return render_page_of(
        env, urls.leaf_source(view.urls.print_page), "print_place.html", print_title(place), print_context,
        (place, view, printed.place_pdfs, tuple(printed.service_lines[place.url_path])),
        updated=place.date_maj, searchable=False, standalone=True,
    )


def print_title(place: Place) -> str:
    return f"Flyer à imprimer : {place.nom}"


def print_context(place: Place, view: PlaceView, pdfs: bool, services: tuple[str, ...]) -> dict[str, Any]:
    """What a place's print page shows, from nothing but its arguments (`render_page_of`). The
    flyer is rendered inside the page (`flyer/flyer.html`), with the same texts as the PDF."""
    qr_src = "../" + PurePosixPath(view.urls.qr_svg).name  # the page is in the place's folder: `…/imprimer/`
    return {
        "p": place, "document_title": print_title(place), "pdfs": pdfs,
        **flyer_context(view.flyer, list(services), qr_src, heading_level=2),
    }


def print_index(env: jinja2.Environment, printed: Printed) -> Page:
    return render_page(
        env, PRINT_INDEX, "print_index.html", "Affiches à imprimer", in_nav=True,
        home_url=printed.home_url,
        general=printed.general,
        qr_svg=urls.HOME_QR_SVG,
        everything=printed.everything,
        groups=printed.groups,
        guides=dict(sorted(printed.booklets.items())),  # the département first, then each EPCI
        split=printed.split,
        place_pdfs=printed.place_pdfs,
    )
