"""Published addresses must keep working: every address of the ledger is still served.

A flyer printed years ago leads to its address in `data/urls-publiees.txt`. When a record is
renamed, moved or deleted, the address must still be served by a page or a redirect: otherwise
this check says, at the ledger's line, what to do instead. `scripts/validate.py` and the build
both run it, so a pull request that would break a printed link is refused before it merges.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..data.ledger import ledger_entry, ledger_lines
from ..problems import Problem
from ..urls import EVERY_PLACE
from .checks import relative_path

RENAME_HINT = (
    "si la fiche a été renommée ou déplacée, ajoutez cette adresse dans `anciennes_urls` de la fiche "
    "renommée ; si le lieu a fermé, gardez sa fiche avec `statut: fermé` et `date_fermeture` au lieu de la "
    "supprimer ; ne retirez jamais une ligne de ce fichier (CONTRIBUTING.md, « Renommer, déplacer ou fermer un lieu »)"
)
EVERY_PLACE_HINT = (
    "remettez `pdf_par_lieu: true` dans `extra.annuaire` de `mkdocs.yml` : un fichier publié pour chaque lieu "
    "doit rester en ligne (un lien vers lui a pu être imprimé ou partagé)"
)


def check_ledger(ledger: Path, served: Iterable[str], root: Path) -> list[Problem]:
    """A problem at each ledger line whose address no page and no redirect serves any more."""
    file = relative_path(ledger, root)
    served_paths = set(served)
    problems: list[Problem] = []
    for line, text in ledger_lines(ledger):
        try:
            path = ledger_entry(text)
        except ValueError as error:
            problems.append(Problem(file, line, 1, "", str(error), "écrivez un chemin comme `lieux/poitiers/mon-lieu/`"))
            continue
        if path in served_paths:
            continue
        if path.startswith(EVERY_PLACE):
            problems.append(Problem(
                file, line, 1, "",
                f"chaque lieu a publié `{path.removeprefix(EVERY_PLACE)}`, mais ce site ne le fait plus", EVERY_PLACE_HINT,
            ))
        else:
            problems.append(Problem(
                file, line, 1, "",
                f"l’adresse `{path}` a été publiée (un flyer imprimé y mène peut-être), mais plus aucune page ne la sert",
                RENAME_HINT,
            ))
    return problems


def check_ledger_kept(ledger: Path, previous: list[tuple[int, str]], revision: str, root: Path) -> list[Problem]:
    """A problem for each address of the ledger as it was at `revision` that is missing now:
    a published address never leaves the ledger."""
    file = relative_path(ledger, root)
    now: set[str] = set()
    for _line, text in ledger_lines(ledger):
        try:
            now.add(ledger_entry(text))
        except ValueError:
            continue  # reported by check_ledger
    problems = []
    for _line, text in previous:
        try:
            path = ledger_entry(text)
        except ValueError:
            continue
        if path not in now:
            problems.append(Problem(
                file, 1, 1, "", f"l’adresse `{path}` a été retirée du registre (elle y était dans {revision})",
                "remettez cette ligne : une adresse publiée ne se retire jamais, un flyer imprimé y mène peut-être ; "
                "si le lieu a fermé, gardez sa fiche avec `statut: fermé` et `date_fermeture`",
            ))
    return problems
