#!/usr/bin/env python3
"""Importe les lieux de la Vienne d’un fichier CSV au standard national v1.0.2.

    scripts/import_standard_csv.py FICHIER.csv DOSSIER [--today AAAA-MM-JJ]

Garde les lignes de la Vienne (code postal ou code INSEE en 86), écrit une fiche par lieu
dans `DOSSIER/<commune>/<lieu>.yml` sans jamais remplacer un fichier existant, puis vérifie
les fiches du dossier comme le fait la construction du site. Rien n’est inventé : les valeurs
sont reprises telles quelles (téléphone, `source`, `date_maj`).
Code de sortie : 0 si tout va bien, 1 s’il reste une erreur à corriger, 2 si le fichier est illisible.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from annuaire.data.territory import Territory  # noqa: E402
from annuaire.importers.standard_csv import import_csv, missing_columns  # noqa: E402
from annuaire.model.directory import check_directory  # noqa: E402
from annuaire.problems import errors, report  # noqa: E402
from annuaire.settings import checkout_settings, date_argument  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Importe un CSV au standard des lieux de médiation numérique.")
    parser.add_argument("csv", type=Path, help="fichier CSV au standard v1.0.2 (UTF-8)")
    parser.add_argument("dossier", type=Path, help="dossier où écrire les fiches (ex. places)")
    parser.add_argument("--today", type=date_argument, default=date.today(), help="date du jour pour la vérification")
    args = parser.parse_args(argv)

    try:
        text = args.csv.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"Impossible de lire {args.csv} : {error}. Le fichier doit être en UTF-8.", file=sys.stderr)
        return 2
    missing = missing_columns(text)
    if "nom" in missing or "code_postal" in missing:
        print(f"{args.csv} ne suit pas le standard : colonnes absentes : {', '.join(missing)}.", file=sys.stderr)
        return 2

    settings = checkout_settings(today=args.today)
    territory = Territory.load(settings.territory_file)
    result = import_csv(text, territory, args.dossier)
    for message in result.messages:
        print(message)
    print(f"{len(result.written)} fiche(s) écrite(s), {result.skipped} ligne(s) ignorée(s).")
    if not args.dossier.is_dir():
        return 0
    problems = check_directory(checkout_settings(args.dossier, today=args.today)).problems
    if problems:
        print("\nÀ vérifier dans les fiches :")
        print(report(problems))
    return 1 if errors(problems) else 0


if __name__ == "__main__":
    sys.exit(main())
