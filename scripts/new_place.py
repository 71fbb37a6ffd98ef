#!/usr/bin/env python3
"""Crée la fiche d'un nouveau lieu, en posant les questions du formulaire « Proposer un lieu ».

    scripts/new_place.py                          → pose les questions une à une
    scripts/new_place.py --depuis-issue FICHIER   → lit le texte d'une demande GitHub
                                                    (copiez le texte de la demande dans un fichier ;
                                                    « - » pour le lire au clavier)

Writes `places/<commune>/<lieu>.yml` with `record_writer.dump_record`, never overwrites a
file, then runs the same checks as CI and prints, in French, what is still missing.
Exit code 1 when the new record still has errors (the file is kept, to be completed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from annuaire.data.contact import phone_e164  # noqa: E402
from annuaire.data.territory import Territory  # noqa: E402
from annuaire.importers.issue_form import (  # noqa: E402
    Answers,
    NewPlaceError,
    find_commune,
    load_form,
    parse_date,
    parse_issue_form,
    record_from_answers,
)
from annuaire.importers.record_writer import dump_record  # noqa: E402
from annuaire.model.directory import check_directory  # noqa: E402
from annuaire.problems import errors, report  # noqa: E402
from annuaire.settings import checkout_settings, display_root  # noqa: E402

SKIPPED = {"accord"}  # the consent box makes sense on GitHub only


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="new_place.py", description="Crée la fiche d'un nouveau lieu.")
    parser.add_argument(
        "--depuis-issue", type=Path, metavar="FICHIER",
        help="texte d'une demande « Proposer un lieu » copiée depuis GitHub (« - » : entrée standard)",
    )
    parser.add_argument(
        "--dossier", type=Path, default=ROOT / "places", metavar="DOSSIER",
        help="dossier des fiches (par défaut : places/ du dépôt)",
    )
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, metavar="AAAA-MM-JJ",
        help="date du jour (par défaut : aujourd'hui)",
    )
    return parser


def _options(element: dict[str, Any]) -> list[str]:
    raw = element["attributes"]["options"]
    return [o["label"] if isinstance(o, dict) else str(o) for o in raw]


def _pick(options: list[str], text: str, several: bool) -> list[str] | None:
    """Numbers typed by the user (`1, 3`) → options; None if a number is wrong."""
    picked: list[str] = []
    for part in text.replace(",", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= len(options):
            return None
        picked.append(options[int(part) - 1])
    if not several and len(picked) > 1:
        return None
    return picked


def _checker(key: str, answers: Answers, territory: Territory) -> Callable[[str], str | None]:
    """A check run right after an answer, so the user can correct it at once."""

    def check(value: str) -> str | None:
        try:
            if key == "commune":
                postcode = answers.get("code_postal", "")
                find_commune(territory, value, postcode if isinstance(postcode, str) else "")
            elif key == "date":
                parse_date(value)
            elif key == "telephone" and phone_e164(value) is None:
                return "ce numéro de téléphone n'est pas valide (exemple : 05 49 12 34 56)"
        except NewPlaceError as error:
            return str(error)
        return None

    return check


def ask(territory: Territory, form: dict[str, Any] | None = None) -> Answers:
    """Ask the questions of the issue form, one by one, with `input()`."""
    form = load_form() if form is None else form
    answers: Answers = {}
    print("Nouvelle fiche de lieu. Appuyez sur Entrée pour passer une question facultative.\n")
    for element in form["body"]:
        key = element.get("id")
        if element["type"] == "markdown" or key is None or key in SKIPPED:
            continue
        attributes = element["attributes"]
        required = bool(element.get("validations", {}).get("required"))
        label = attributes["label"] + (" (obligatoire)" if required else "")
        if key == "date":  # in a terminal, today is the obvious default
            required, label = False, attributes["label"] + " (Entrée : aujourd'hui)"
        if key == "horaires":  # kept only if already in the OpenStreetMap syntax
            label += " (format OpenStreetMap, par exemple Mo-Fr 09:00-12:00 ; sinon en mots, à reprendre)"
        if element["type"] in ("checkboxes", "dropdown"):
            options = _options(element)
            several = element["type"] == "checkboxes"
            print(label)
            for number, option in enumerate(options, start=1):
                print(f"  {number}. {option}")
            prompt = "Numéros séparés par des virgules : " if several else "Numéro : "
            while True:
                picked = _pick(options, input(prompt), several)
                if picked is not None:
                    break
                print(f"  Tapez {'des numéros' if several else 'un numéro'} entre 1 et {len(options)}.")
            if picked:
                answers[key] = picked if several else picked[0]
            print()
            continue
        check = _checker(key, answers, territory)
        while True:
            value = input(f"{label} : ").strip()
            if not value and required:
                print("  Cette réponse est obligatoire.")
                continue
            problem = check(value) if value else None
            if problem:
                print(f"  {problem}")
                continue
            break
        if value:
            answers[key] = value
    return answers


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    today = args.today or date.today()
    territory = Territory.load(checkout_settings().territory_file)
    if args.depuis_issue is not None:
        text = sys.stdin.read() if str(args.depuis_issue) == "-" else args.depuis_issue.read_text(encoding="utf-8")
        answers = parse_issue_form(text)
        if not answers:
            print("Aucune réponse trouvée : le texte doit venir du formulaire « Proposer un lieu ».", file=sys.stderr)
            return 2
    else:
        try:
            answers = ask(territory)
        except (EOFError, KeyboardInterrupt):
            print("\nAbandon : aucune fiche n'a été créée.", file=sys.stderr)
            return 1

    try:
        draft = record_from_answers(answers, territory, today)
    except NewPlaceError as error:
        print(f"Impossible de créer la fiche : {error}.", file=sys.stderr)
        return 1

    places_dir: Path = args.dossier.resolve()
    path = places_dir / draft.relative_path
    root = display_root(places_dir)
    shown = path.relative_to(root).as_posix()
    if path.exists():
        print(
            f"La fiche {shown} existe déjà : elle n'a pas été remplacée. "
            "Modifiez-la, ou choisissez un autre nom de lieu.",
            file=sys.stderr,
        )
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_record(draft.data), encoding="utf-8")
    print(f"Fiche créée : {shown}")

    problems = check_directory(checkout_settings(places_dir, today=today)).problems
    mine = [p for p in problems if p.file == shown]
    if mine:
        print("\nVérification de la fiche :")
        print(report(mine))
    if draft.todo:
        print("\nÀ compléter à la main :")
        for line in draft.todo:
            print(f"- {line}")
    if not mine and not draft.todo:
        print("La fiche est complète et valide.")
    return 1 if errors(mine) else 0


if __name__ == "__main__":
    sys.exit(main())
