#!/usr/bin/env python3
"""Copy ANCT's mapping files (mednum-cli, MIT) into `data/anct-mapping/`, unchanged.

The importer reads them to map France services, conseillers numériques and data·inclusion rows
to the national standard exactly as the national cartography does. They come from
`../shared/data/national/anct-mapping/` (see its PROVENANCE.md); this script copies them byte
for byte, with their licence, so that a checkout builds and imports without that folder.

    .venv/bin/python scripts/copy_anct_mapping.py
    .venv/bin/python scripts/copy_anct_mapping.py --from /chemin/vers/anct-mapping
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "national" / "anct-mapping"
TARGET = ROOT / "data" / "anct-mapping"
FILES = ("france-services.config.json", "conseiller-numerique.config.json", "data-inclusion.config.json", "LICENSE.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Copie les fichiers de correspondance de l’ANCT dans data/anct-mapping/.")
    parser.add_argument("--from", dest="source", type=Path, default=SOURCE, help="dossier source")
    args = parser.parse_args(argv)
    missing = [name for name in FILES if not (args.source / name).is_file()]
    if missing:
        print(f"Fichiers absents de {args.source} : {', '.join(missing)}.", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(args.source / name, TARGET / name)
    print(f"{len(FILES)} fichiers copiés dans {TARGET.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
