"""The data-health page (`donnees/qualite/`): what to check, call or fix, per EPCI.

One section for the département, then one per EPCI, each with its printable call sheet
(`donnees/qualite/appels-<epci>.pdf`, made by `printing/call_sheets.py`). In a directory too
large to name every place on one page, each EPCI's places are on a page of its own
(`donnees/qualite/<epci>/`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Sized

import jinja2

from ..data.territory import Epci
from ..model.quality import Health
from ..printing.produce import size_text
from ..urls import leaf_source
from .templating import Page, render_page, too_long_to_list

PAGE = "donnees/qualite/index.md"
FOLDER = "donnees/qualite/"


def call_sheet_path(epci: Epci | None) -> str:
    return f"{FOLDER}appels-{epci.slug if epci else 'departement'}.pdf"


def pages(
    env: jinja2.Environment, everything: Health, by_epci: Sequence[tuple[Epci, Health]],
    sheets: Mapping[str, Sized], verify_url: str, split: bool = False,
) -> list[Page]:
    """The page, and in a directory too large to name every place on one page
    (`too_long_to_list`), one page per intercommunality: the main page then gives each
    one's figures and a link, not its places (at 20,000 places it was 16 MB).
    `split`: the département has too many places for one call sheet (its address holds a notice)."""
    one_each = too_long_to_list(everything.places)
    sections = [
        (epci, health, call_sheet_path(epci), size_text(sheets[call_sheet_path(epci)]),
         not too_long_to_list(health.places), epci_page_path(epci) if one_each and health.places else None)
        for epci, health in by_epci
    ]
    main = render_page(
        env, PAGE, "quality.html", "Qualité des données", searchable=False,
        everything=everything,
        everything_listed=not one_each,
        sections=sections,
        all_sheet=call_sheet_path(None),
        all_sheet_size=size_text(sheets[call_sheet_path(None)]),
        all_sheet_split=split,
        verify_url=verify_url,
    )
    return [main, *(
        render_page(env, leaf_source(page), "quality_epci.html", f"Qualité des données : {epci.nom}",
                    searchable=False, epci=epci, h=health, sheet=sheet, size=size, listed=listed, main=FOLDER)
        for epci, health, sheet, size, listed, page in sections if page is not None
    )]


def epci_page_path(epci: Epci) -> str:
    return f"{FOLDER}{epci.slug}/"
