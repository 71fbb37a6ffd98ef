"""Re-run safety: a file edited by hand is never overwritten by a new import (unless forced)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

CREATED = "créée"
UPDATED = "mise à jour (la source a changé)"
UNCHANGED = "inchangée"
KEPT_EDITED = "modifiée à la main, laissée telle quelle (--force pour l’écraser)"
FORCED = "modifiée à la main, écrasée (--force)"
ORPHAN = "plus produite par les sources, laissée (à supprimer à la main si le lieu a fermé)"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FileAction:
    path: str
    action: str
    text: str | None = None  # what to write; None when nothing is written


def plan_files(wanted: Mapping[str, str], current: Mapping[str, str | None],
               state: Mapping[str, str], force: bool = False) -> tuple[list[FileAction], dict[str, str]]:
    """Decide, for each record file, what a run does, and the new state.

    `wanted`: text the importer produces per path; `current`: text now on disk (None if
    missing) for every path of `wanted` and of `state`; `state`: sha256 of the text the importer
    last wrote. A file whose text no longer has that hash was edited by hand: it is kept."""
    actions: list[FileAction] = []
    new_state: dict[str, str] = {}
    for path in sorted(wanted):
        text = wanted[path]
        now = current.get(path)
        if now is None:
            actions.append(FileAction(path, CREATED, text))
            new_state[path] = sha256(text)
        elif now == text:
            actions.append(FileAction(path, UNCHANGED))
            new_state[path] = sha256(text)
        elif state.get(path) == sha256(now):
            actions.append(FileAction(path, UPDATED, text))
            new_state[path] = sha256(text)
        elif force:
            actions.append(FileAction(path, FORCED, text))
            new_state[path] = sha256(text)
        else:
            actions.append(FileAction(path, KEPT_EDITED))
            if path in state:
                new_state[path] = state[path]
    for path in sorted(set(state) - set(wanted)):
        if current.get(path) is not None:
            actions.append(FileAction(path, ORPHAN))
            new_state[path] = state[path]
    return actions, dict(sorted(new_state.items()))
