"""The ledger of published place addresses (`data/urls-publiees.txt`): printed links never break.

A flyer pinned in a town hall is scanned for years. Every place path ever published is kept in
this committed file; the validation checks that each one is still served, by a page or by a
redirect, and `scripts/update_ledger.py` adds the new ones. Nothing is ever removed.

Lines such as `lieux/*/*/flyer-a5.pdf` record a file that every place has published: a site
that once had PDFs for each place cannot stop making them (`pdf_par_lieu`) without a refusal.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from ..urls import EVERY_PLACE, normalize_path

LEDGER_HEADER = (
    "# Chemins de fiches déjà publiés (un par ligne, triés). Ne jamais en retirer :\n"
    "# un flyer imprimé peut encore y mener. Une fiche renommée garde son ancien chemin\n"
    "# dans `anciennes_urls`, qui devient une page de redirection. Une ligne `lieux/*/*/…`\n"
    "# est un fichier que chaque fiche a publié (son flyer PDF, son QR code…).\n"
)
_FILE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9]+|/)")


def ledger_entry(line: str) -> str:
    """A ledger line in its one written form: a page (`lieux/poitiers/mds/`) or a file of every
    place (`lieux/*/*/qr.png`, `lieux/*/*/imprimer/`). ValueError (French) for anything else."""
    text = line.strip()
    if text.startswith(EVERY_PLACE):
        if not _FILE_NAME.fullmatch(text[len(EVERY_PLACE):]):
            raise ValueError(f"« {text} » n’est pas un fichier de fiche (exemple : lieux/*/*/flyer-a5.pdf)")
        return text
    return normalize_path(text)


def read_ledger(path: Path) -> list[str]:
    """The published paths, normalized and sorted; [] when the ledger does not exist yet.
    Blank lines and `#` comments are ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = (line.strip() for line in text.splitlines())
    return sorted({ledger_entry(line) for line in lines if line and not line.startswith("#")})


def ledger_text(paths: Iterable[str]) -> str:
    """The ledger file's content for `paths` (for the caller to write)."""
    return LEDGER_HEADER + "".join(f"{p}\n" for p in sorted({ledger_entry(p) for p in paths}))


def missing_from_site(ledger: Iterable[str], site_paths: Iterable[str]) -> list[str]:
    """Ledger paths that no page and no redirect serves any more: each one is a printed link
    that would now lead to « page introuvable »."""
    served = {ledger_entry(p) for p in site_paths}
    return sorted({ledger_entry(p) for p in ledger} - served)


def updated_ledger(ledger: Iterable[str], current_paths: Iterable[str]) -> list[str]:
    """The ledger plus the paths published now. Nothing is ever removed."""
    return sorted({ledger_entry(p) for p in ledger} | {ledger_entry(p) for p in current_paths})


def ledger_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of each address written in the ledger, as written; [] without a ledger."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def ledger_lines_at(revision: str, path: Path) -> list[tuple[int, str]] | None:
    """The ledger's lines as committed at a git `revision` (`origin/main`); None when git cannot
    say (not a git checkout, unknown revision). An absent ledger there has no line."""
    if revision.startswith("-"):
        return None
    try:
        result = subprocess.run(
            ["git", "-C", str(path.parent), "show", f"{revision}:./{path.name}"],
            capture_output=True, text=True, check=False, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        missing = "does not exist" in result.stderr or "exists on disk, but not in" in result.stderr
        return [] if missing else None
    return [
        (number, line.strip())
        for number, line in enumerate(result.stdout.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]
