#!/usr/bin/env python3
"""Vérifie les fiches des lieux et des ateliers, et dit, en français, quoi corriger.

    scripts/validate.py [DOSSIER_DES_FICHES] [--ateliers DOSSIER] [--github] [--today AAAA-MM-JJ]

It reads the records exactly as the build does (`annuaire.model.directory.check_directory`,
with the settings of `mkdocs.yml`): a record it accepts builds, a record it refuses stops the
build with the same message. The workshops (`ateliers/`, next to the places folder unless
`--ateliers` says otherwise) are checked against the valid places, and the ledger of published
addresses against the records. Prints every problem of every file at once
(`fichier:ligne:colonne: champ: problème — quoi écrire`). In GitHub Actions (or with --github)
it also prints one `::error file=…` line per problem, so that each shows on the right line of
the pull request, and writes a French summary to the job page. Exit code 1 when there is at
least one error (warnings alone: 0).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from annuaire.model.directory import check_directory  # noqa: E402
from annuaire.problems import Problem, Severity, errors, report, visible  # noqa: E402
from annuaire.settings import SettingsError, build_date, checkout_settings, date_argument  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="validate.py",
        description="Vérifie les fiches YAML des lieux (places/<commune>/<lieu>.yml).",
    )
    parser.add_argument(
        "places_dir", nargs="?", type=Path, default=None, metavar="DOSSIER",
        help="dossier des fiches (par défaut : places/ du dépôt)",
    )
    parser.add_argument(
        "--ateliers", type=Path, default=None, metavar="DOSSIER", dest="workshops_dir",
        help="dossier des fiches d’ateliers (par défaut : ateliers/ à côté du dossier des fiches des lieux)",
    )
    parser.add_argument(
        "--github", action="store_true",
        help="ajoute les annotations GitHub Actions (automatique si GITHUB_ACTIONS=true)",
    )
    parser.add_argument(
        "--today", type=date_argument, default=None, metavar="AAAA-MM-JJ",
        help="date du jour pour refuser les dates futures (par défaut : ANNUAIRE_DATE, sinon aujourd’hui)",
    )
    return parser


def _cell(text: str) -> str:
    return visible(text).replace("|", "\\|")


def github_summary(problems: list[Problem], n_files: int) -> str:
    """The Markdown shown on the job page of GitHub Actions."""
    lines = ["## Vérification des fiches des lieux", ""]
    if not problems:
        lines.append(f"Les {n_files} fiches sont valides." if n_files > 1 else "Toutes les fiches sont valides.")
        return "\n".join(lines) + "\n"
    n_errors = len(errors(problems))
    n_warnings = len(problems) - n_errors
    summary = f"**{n_errors} erreur{'s' if n_errors > 1 else ''}**"
    if n_warnings:
        summary += f" et {n_warnings} avertissement{'s' if n_warnings > 1 else ''}"
    lines += [summary + f" pour {n_files} fiche{'s' if n_files > 1 else ''} vérifiée{'s' if n_files > 1 else ''}.", ""]
    lines += ["| Fiche | Ligne | Champ | Problème | Quoi écrire |", "|---|---|---|---|---|"]
    for problem in sorted(problems):
        kind = "" if problem.severity is Severity.ERROR else "avertissement : "
        lines.append(
            f"| `{_cell(problem.file)}` | {problem.line} | {_cell(problem.field) or '—'} "
            f"| {kind}{_cell(problem.message)} | {_cell(problem.hint)} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    today: date | None = args.today
    try:
        if today is None:
            today = build_date(os.environ)
        if args.places_dir is not None and not args.places_dir.is_dir():
            print(f"Dossier des fiches introuvable : {args.places_dir}", file=sys.stderr)
            return 1
        settings = checkout_settings(args.places_dir, today=today, workshops_dir=args.workshops_dir)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    github = args.github or os.environ.get("GITHUB_ACTIONS") == "true"

    checked = check_directory(settings)
    problems = checked.problems
    print(report(problems))
    if github:
        for problem in problems:
            print(problem.github())
        summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(github_summary(problems, checked.files))
    return 1 if errors(problems) else 0


if __name__ == "__main__":
    sys.exit(main())
