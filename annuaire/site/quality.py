"""The data-health page (`donnees/qualite/`): what to check, call or fix, per EPCI.

One section for the département, then one per EPCI, each with its printable call sheet
(`donnees/qualite/appels-<epci>.pdf`, made by `printing/call_sheets.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Sized

import jinja2

from ..data.territory import Epci
from ..model.quality import Health
from ..printing.produce import size_text
from .templating import Page, render_page, too_long_to_list

PAGE = "donnees/qualite/index.md"
FOLDER = "donnees/qualite/"


def call_sheet_path(epci: Epci | None) -> str:
    return f"{FOLDER}appels-{epci.slug if epci else 'departement'}.pdf"


def page(
    env: jinja2.Environment, everything: Health, by_epci: Sequence[tuple[Epci, Health]],
    sheets: Mapping[str, Sized], verify_url: str, split: bool = False,
) -> Page:
    """`split`: the département has too many places for one call sheet (its address holds a notice)."""
    return render_page(
        env, PAGE, "quality.html", "Qualité des données", searchable=False,
        everything=everything,
        # Places are named where they fit on a page (`too_long_to_list`): once, under their EPCI,
        # in a large directory (at 20,000 places, naming them twice made 16 MB).
        everything_listed=not too_long_to_list(everything.places),
        sections=[(epci, health, call_sheet_path(epci), size_text(sheets[call_sheet_path(epci)]),
                   not too_long_to_list(health.places)) for epci, health in by_epci],
        all_sheet=call_sheet_path(None),
        all_sheet_size=size_text(sheets[call_sheet_path(None)]),
        all_sheet_split=split,
        verify_url=verify_url,
    )
