"""What a feature's producer returns: files to add to the site, or a stop with a French message.

Kept in its own module, with no import of any feature, so that features and the registry
(`outputs.py`) can both import it without cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


Producer = Callable[["Directory", "Settings"], Output]
