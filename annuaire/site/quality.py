"""The data-health page (`donnees/qualite/`): what to check, call or fix, per EPCI.

One section for the département, then one per EPCI, each with its printable call sheet
(`donnees/qualite/appels-<epci>.pdf`, made by `printing/call_sheets.py`). In a directory too
large to name every place on one page, each EPCI's places are on a page of its own
(`donnees/qualite/<epci>/`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Sized
from typing import NamedTuple

import jinja2

from ..data.territory import Epci
from ..model.quality import Health
from ..printing.produce import size_text
from ..urls import leaf_source
from .templating import Page, render_page, too_long_to_list

PAGE = "donnees/qualite/index.md"
FOLDER = "donnees/qualite/"


class Section(NamedTuple):
    """What the data-health pages show of one intercommunality."""

    epci: Epci
    health: Health
    sheet: str  # its call sheet, from the site root
    size: str  # the call sheet's size, in words
    listed: bool  # its places fit on a page (`too_long_to_list`)
    page: str | None  # its own page, in a directory too large to name every place on one


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
        Section(epci, health, call_sheet_path(epci), size_text(sheets[call_sheet_path(epci)]),
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
        render_page(env, leaf_source(s.page), "quality_epci.html", f"Qualité des données : {s.epci.nom}",
                    searchable=False, epci=s.epci, h=s.health, sheet=s.sheet, size=s.size, listed=s.listed, main=FOLDER)
        for s in sections if s.page is not None
    )]


def epci_page_path(epci: Epci) -> str:
    return f"{FOLDER}{epci.slug}/"
