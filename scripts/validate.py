#!/usr/bin/env python3
"""Vérifie les fiches des lieux et des ateliers, et dit, en français, quoi corriger.

    scripts/validate.py [DOSSIER_DES_FICHES] [--ateliers DOSSIER] [--github] [--today AAAA-MM-JJ]

The workshops (`ateliers/`, next to the places folder unless `--ateliers` says otherwise)
are checked against the valid places, as the build does. Prints every problem of every file
at once (`fichier:ligne:colonne: champ: problème — quoi écrire`). In GitHub Actions (or with
--github) it also prints one `::error file=…` line per problem, so that each shows on the
right line of the pull request, and writes a French summary to the job page. Exit code 1
when there is at least one error (warnings alone: 0).
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

from annuaire.checks import display_root  # noqa: E402
from annuaire.model import build_directory  # noqa: E402
from annuaire.problems import Problem, Severity, errors, report  # noqa: E402
from annuaire.records import record_files  # noqa: E402
from annuaire.settings import SettingsError, build_date, date_argument  # noqa: E402
from annuaire.territory import Territory  # noqa: E402
from annuaire.validation import check_folder  # noqa: E402
from annuaire.workshop_validation import check_workshops, valid_records  # noqa: E402


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
    return text.replace("|", "\\|").replace("\n", " ")


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
    places_dir: Path = args.places_dir or ROOT / "places"
    today: date | None = args.today
    if today is None:
        try:
            today = build_date(os.environ)
        except SettingsError as error:
            print(error, file=sys.stderr)
            return 2
    if not places_dir.is_dir():
        print(f"Dossier des fiches introuvable : {places_dir}", file=sys.stderr)
        return 1
    github = args.github or os.environ.get("GITHUB_ACTIONS") == "true"

    territory = Territory.load()
    root = display_root(places_dir)
    records, problems = check_folder(places_dir, territory, root, today)
    workshops_dir: Path = args.workshops_dir or places_dir.parent / "ateliers"
    n_files = len(record_files(places_dir))
    if workshops_dir.is_dir():
        # Workshops need the published places (`lieu:`): only places without errors count,
        # as in the build (which stops anyway while a place has an error).
        places = build_directory(valid_records(records, problems, root), territory, root).places
        workshop_root = display_root(workshops_dir)
        _, workshop_problems = check_workshops(workshops_dir, {p.id: p for p in places}, workshop_root, today)
        problems = sorted(problems + workshop_problems)
        n_files += len(record_files(workshops_dir))
    print(report(problems))
    if github:
        for problem in sorted(problems):
            print(problem.github())
        summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(github_summary(problems, n_files))
    return 1 if errors(problems) else 0


if __name__ == "__main__":
    sys.exit(main())
