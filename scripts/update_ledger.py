#!/usr/bin/env python3
"""Add the place pages published now to the ledger `data/urls-publiees.txt` (never removes one).

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

from annuaire import links  # noqa: E402
from annuaire.model import build_directory  # noqa: E402
from annuaire.problems import errors, report  # noqa: E402
from annuaire.settings import build_date  # noqa: E402
from annuaire.territory import Territory  # noqa: E402
from annuaire.validation import check_folder  # noqa: E402


def current_paths(places_dir: Path, root: Path) -> list[str]:
    """Pages of every place (open or closed) and every old address they redirect from."""
    import os

    territory = Territory.load()
    records, problems = check_folder(places_dir, territory, root, build_date(os.environ))
    if errors(problems):
        raise SystemExit("Corrigez d’abord les fiches :\n" + report(problems))
    directory = build_directory(records, territory, root)
    everyone = list(directory.places + directory.closed)
    return [p.url_path for p in everyone] + list(links.redirects_for(everyone))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ajoute les adresses des fiches publiées au registre.")
    parser.add_argument("--places", type=Path, default=ROOT / "places")
    parser.add_argument("--ledger", type=Path, default=links.LEDGER_PATH)
    parser.add_argument("--check", action="store_true", help="seulement dire ce qui manque (code de sortie 0)")
    parser.add_argument("--github", action="store_true", help="avec --check : avertissements GitHub Actions")
    args = parser.parse_args(argv)

    ledger = links.read_ledger(args.ledger)
    updated = links.updated_ledger(ledger, current_paths(args.places.resolve(), ROOT))
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
    args.ledger.parent.mkdir(parents=True, exist_ok=True)
    args.ledger.write_text(links.ledger_text(updated), encoding="utf-8")
    print(f"{len(new)} adresse(s) ajoutée(s) ; le registre en compte {len(updated)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
