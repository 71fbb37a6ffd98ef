"""Everything a build generates, gathered from one producer per feature.

Each feature (pages, flyers, agenda, finder…) owns a producer `(directory, settings) -> Output`
in its own module; the MkDocs hook only adds the files. Adding a feature is one line in
`PRODUCERS`, never a change to the hook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import agenda, finder, pages, printing
from .model import Directory
from .settings import Settings


class BuildStop(Exception):
    """A producer found something a contributor must fix; the message is French and says what
    to do (the hook turns it into a clean MkDocs error, without a traceback)."""


@dataclass(frozen=True)
class Output:
    """Files to add to the site: `src_uri` (relative to `docs/`) → text or bytes.

    `.md` files become pages, kept out of the navigation unless listed in `in_nav`.
    """

    files: dict[str, str | bytes]
    in_nav: frozenset[str] = field(default_factory=frozenset)


Producer = Callable[[Directory, Settings], Output]


def _pages(directory: Directory, settings: Settings) -> Output:
    return Output(pages.generate_pages(directory, settings), frozenset(pages.LISTING_PAGES))


PRODUCERS: list[Producer] = [
    _pages,
    agenda.produce,
    printing.produce,
    finder.produce,
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
