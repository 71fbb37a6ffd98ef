"""Everything a build generates, gathered from one producer per feature.

Each feature (pages, flyers, agenda, finder…) owns a producer `(directory, settings) -> Output`
in its own module; the MkDocs hook only adds the files. Adding a feature is one line in
`PRODUCERS`, never a change to the hook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import agenda, finder, open_data, pages, printing
from .model import Directory
from .output import BuildStop, Output, Producer
from .settings import Settings

__all__ = ["BuildStop", "Output", "PRODUCERS", "generate_site"]

# Functions that features lend to the templates of the main pages, for their slots
# (`templates/slots/*.html`): pages.py stays unaware of the features.
TEMPLATE_GLOBALS: dict[str, Callable[..., Any]] = {
    "coming_sessions": agenda.coming_sessions,  # next workshops of a place, commune or EPCI
    "print_downloads": printing.place_downloads,  # a place's flyers with their sizes
}


def _pages(directory: Directory, settings: Settings) -> Output:
    return Output(
        pages.generate_pages(directory, settings, template_globals=TEMPLATE_GLOBALS),
        frozenset(pages.LISTING_PAGES),
    )


PRODUCERS: list[Producer] = [
    _pages,
    agenda.produce,
    printing.produce,
    finder.produce,
    open_data.produce,  # donnees/: CSV and JSON in the national standard, and their page
]


def generate_site(directory: Directory, settings: Settings) -> Output:
    """All producers' files; two producers claiming the same path is a programming error."""
    files: dict[str, str | bytes] = {}
    in_nav: set[str] = set()
    for produce in PRODUCERS:
        output = produce(directory, settings)
        clash = files.keys() & output.files.keys()
        if clash:
            raise ValueError(f"generated twice: {sorted(clash)[:3]}")
        files.update(output.files)
        in_nav |= output.in_nav
    return Output(files, frozenset(in_nav))
