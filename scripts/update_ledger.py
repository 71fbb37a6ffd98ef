#!/usr/bin/env python3
"""Add the place pages (and the files of every place) published now to the ledger
`data/urls-publiees.txt` (never removes one).

A maintainer runs it after a new place is merged (see CONTRIBUTING.md), then commits the
ledger; from then on, the build refuses to lose that address. A contributor never has to.

    .venv/bin/python scripts/update_ledger.py          # update the ledger
    .venv/bin/python scripts/update_ledger.py --check  # only list what is missing (exit 0)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.data.ledger import ledger_text, read_ledger, updated_ledger  # noqa: E402
from annuaire.model.directory import DirectoryError, load_directory  # noqa: E402
from annuaire.problems import report  # noqa: E402
from annuaire.settings import checkout_settings  # noqa: E402
from annuaire.urls import every_place_files  # noqa: E402


def current_paths(places_dir: Path | None) -> list[str]:
    """Pages of every place (open or closed), every old address they redirect from, and the
    files each open place publishes (`lieux/*/*/qr.png`…)."""
    settings = checkout_settings(places_dir)
    try:
        directory = load_directory(settings)
    except DirectoryError as error:
        raise SystemExit("Corrigez d’abord les fiches :\n" + report(error.problems)) from None
    pages = [p.url_path for p in directory.places + directory.closed] + list(directory.redirects)
    return pages + (every_place_files(settings.place_pdfs) if directory.places else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ajoute les adresses des fiches publiées au registre.")
    parser.add_argument("--places", type=Path, default=None, help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    parser.add_argument("--ledger", type=Path, default=None, help="registre (par défaut : celui de mkdocs.yml)")
    parser.add_argument("--check", action="store_true", help="seulement dire ce qui manque (code de sortie 0)")
    parser.add_argument("--github", action="store_true", help="avec --check : avertissements GitHub Actions")
    args = parser.parse_args(argv)

    ledger_path: Path = args.ledger or checkout_settings(args.places).ledger
    ledger = read_ledger(ledger_path)
    updated = updated_ledger(ledger, current_paths(args.places))
    new = sorted(set(updated) - set(ledger))
    if args.check:
        for path in new:
            if args.github:
                print(f"::warning title=Registre des adresses::{path} n’est pas encore dans data/urls-publiees.txt "
                      "(lancez scripts/update_ledger.py et enregistrez le fichier)")
            else:
                print(f"à ajouter : {path}")
        if not new:
            print("Le registre des adresses publiées est à jour.")
        return 0
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    ledger_path.write_text(ledger_text(updated), encoding="utf-8")
    print(f"{len(new)} adresse(s) ajoutée(s) ; le registre en compte {len(updated)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
