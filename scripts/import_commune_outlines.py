#!/usr/bin/env python3
"""Write the communes' outlines and positions from IGN's public outlines.

    python scripts/import_commune_outlines.py
    python scripts/import_commune_outlines.py --outlines contours.geojson --territory data/territoire_79.json

Reads the outlines of 2018 (`../shared/data/vienne/communes-86-vienne_contours-2018.geojson`,
IGN ADMIN EXPRESS, Licence Ouverte) and the territory file; writes, beside the territory file:
- `communes_<dép>_contours.geojson`: one outline per current commune (communes nouvelles
  joined from their former communes), drawn by the coverage maps;
- `communes_<dép>_positions.json`: one point inside each commune, where distances start.
Nothing is typed by hand; a commune without an outline stops the script with a French message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.importers.outlines import OutlineError, merge_outlines, outlines_geojson, positions_json  # noqa: E402

DEFAULT_OUTLINES = ROOT.parent / "shared" / "data" / "vienne" / "communes-86-vienne_contours-2018.geojson"
SOURCE = ("IGN ADMIN EXPRESS COG 2018 simplified (GitHub gregoiredavid/france-geojson, "
          "departements/86-vienne/communes-86-vienne.geojson at 5d34ee6), Licence Ouverte; "
          "communes nouvelles joined from their former communes (anciensCodes of {territory})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit les contours et les positions des communes.")
    parser.add_argument("--outlines", type=Path, default=DEFAULT_OUTLINES, help="contours GeoJSON (IGN)")
    parser.add_argument("--territory", type=Path, default=ROOT / "data" / "territoire_86.json")
    args = parser.parse_args(argv)
    features = json.loads(args.outlines.read_text(encoding="utf-8"))["features"]
    territory = json.loads(args.territory.read_text(encoding="utf-8"))
    try:
        areas = merge_outlines(features, territory["communes"])
    except OutlineError as error:
        print(f"Erreur : {error}. Fichiers non modifiés.", file=sys.stderr)
        return 1
    departement = args.territory.stem.rsplit("_", 1)[-1]
    source = SOURCE.format(territory=args.territory.name)
    folder = args.territory.parent
    outlines_file = folder / f"communes_{departement}_contours.geojson"
    positions_file = folder / f"communes_{departement}_positions.json"
    outlines_file.write_text(
        json.dumps(outlines_geojson(areas, source), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    positions_file.write_text(
        json.dumps(positions_json(areas, source + "; point: pole of inaccessibility of the outline"),
                   ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    merged = sum(1 for a in areas if a.merged)
    print(f"{outlines_file.name}, {positions_file.name} : {len(areas)} communes, dont {merged} communes nouvelles "
          "réunies à partir de leurs anciennes communes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
