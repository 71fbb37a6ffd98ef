#!/usr/bin/env python3
"""Write this year's snapshot for the yearly état des lieux: `data/etat-des-lieux/<année>.json`.

The coordinator runs it once a year, just before the annual meeting, and commits the file;
from the next year on, the état des lieux (`couverture/etat-des-lieux.pdf`) shows the change
since then. Never edit a snapshot by hand.

    .venv/bin/python scripts/etat_des_lieux.py                    # this year, today's data
    .venv/bin/python scripts/etat_des_lieux.py --date 2026-11-30  # the year and day to record
    .venv/bin/python scripts/etat_des_lieux.py --remplacer        # write again over this year's file
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.model.coverage import coverage  # noqa: E402
from annuaire.model.directory import DirectoryError, load_directory  # noqa: E402
from annuaire.model.stocktaking import snapshot_file, take_snapshot  # noqa: E402
from annuaire.problems import report  # noqa: E402
from annuaire.settings import checkout_settings, date_argument  # noqa: E402
from annuaire.text import french_number  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit l’état des lieux de l’année (data/etat-des-lieux/).")
    parser.add_argument("--date", type=date_argument, default=None, help="jour de l’état des lieux (AAAA-MM-JJ)")
    parser.add_argument("--places", type=Path, default=None, help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    parser.add_argument("--dossier", type=Path, default=None, help="dossier des états des lieux (par défaut : data/etat-des-lieux/)")
    parser.add_argument("--remplacer", action="store_true", help="remplacer le fichier de l’année s’il existe")
    args = parser.parse_args(argv)

    settings = checkout_settings(args.places, today=args.date)
    try:
        directory = load_directory(settings)
    except DirectoryError as error:
        print("Corrigez d’abord les fiches :\n" + report(error.problems), file=sys.stderr)
        return 1
    covered = coverage(directory.places, directory.territory, settings.white_zone_km)
    snapshot = take_snapshot(directory, covered, settings.today)
    folder: Path = args.dossier or settings.snapshots_dir
    target = snapshot_file(folder, snapshot.year)
    if target.exists() and not args.remplacer:
        print(f"{target} existe déjà : l’état des lieux {snapshot.year} est écrit. "
              "Ajoutez --remplacer pour l’écrire de nouveau.", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(snapshot.to_json(), encoding="utf-8")
    first = covered.needs[0]
    print(f"{target} : {len(snapshot.places)} lieux ; {first.title.lower()} : "
          f"{french_number(snapshot.needs[first.slug].white_population)} habitants en zone blanche.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
