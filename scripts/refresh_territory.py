#!/usr/bin/env python3
"""Refresh `data/territoire_86.json` from the npm package `@etalab/decoupage-administratif`.

Communes and EPCI change (mergers on 1 January, new intercommunalities): this keeps the
project's copy reproducible from its public source instead of edited by hand.

    python scripts/refresh_territory.py                 # latest version on the npm registry
    python scripts/refresh_territory.py --version 6.0.0 # a given version
    python scripts/refresh_territory.py --from-tarball paquet.tgz
    python scripts/refresh_territory.py --departement 79 # another département: data/territoire_79.json

It needs `npm` (to download the package) unless `--from-tarball` is given.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "@etalab/decoupage-administratif"
DEPARTEMENT = "86"


def subset(
    communes: list[dict[str, Any]], epcis: list[dict[str, Any]], version: str, departement: str = DEPARTEMENT,
    departements: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The current communes of the département, each with its EPCI, and the EPCI that hold them."""
    current = [
        c for c in communes
        if c.get("departement") == departement and c.get("type") == "commune-actuelle"
    ]
    codes = {c["code"] for c in current}
    epci_of: dict[str, str] = {}
    kept_epcis = []
    for epci in epcis:
        members = [m["code"] for m in epci.get("membres", [])]
        if not codes.intersection(members):
            continue
        for code in members:
            epci_of[code] = epci["code"]
        kept_epcis.append(
            {
                "code": epci["code"],
                "nom": epci["nom"],
                "type": epci.get("type", ""),
                "populationTotale": epci.get("populationTotale"),
                "membres": [m for m in members if m in codes],
            }
        )
    named = next((d for d in departements or [] if d.get("code") == departement), None)
    return {
        # its name and INSEE « type de nom » (3: « la Vienne », 4: « les Deux-Sèvres »…), for the pages' French
        "departement": {"code": departement, "nom": named["nom"], "typeLiaison": named.get("typeLiaison", 0)}
        if named else {"code": departement},
        "source": (
            f"npm package {PACKAGE} {version} (data/communes.json, data/epci.json); "
            f"data under Licence Ouverte, package code under MIT; subset for département {departement}"
        ),
        "communes": [
            {
                "code": c["code"],
                "nom": c["nom"],
                "codesPostaux": c.get("codesPostaux", []),
                "population": c.get("population"),
                "siren": c.get("siren"),
                "epci": epci_of.get(c["code"], ""),
                # the communes merged into it (communes nouvelles): their outlines are its own
                **({"anciensCodes": c["anciensCodes"]} if c.get("anciensCodes") else {}),
            }
            for c in sorted(current, key=lambda c: c["code"])
        ],
        "epci": kept_epcis,
    }


def read_tarball(tarball: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    with tarfile.open(tarball) as archive:
        def load(name: str) -> Any:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"Fichier {name} absent du paquet {tarball}")
            return json.load(member)

        version = load("package.json")["version"]
        return load("data/communes.json"), load("data/epci.json"), version


def read_departements(tarball: Path) -> list[dict[str, Any]]:
    """The package's départements (name and « type de nom »), or none in an older package."""
    with tarfile.open(tarball) as archive:
        try:
            member = archive.extractfile("package/data/departements.json")
        except KeyError:
            return []
        return json.load(member) if member is not None else []


def download(version: str, folder: Path) -> Path:
    spec = f"{PACKAGE}@{version}" if version else PACKAGE
    result = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(folder)],
        check=True, capture_output=True, text=True,
    )
    return folder / result.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Met à jour data/territoire_86.json.")
    parser.add_argument("--version", default="", help="version du paquet npm (défaut : la dernière)")
    parser.add_argument("--from-tarball", type=Path, help="utiliser un paquet .tgz déjà téléchargé")
    parser.add_argument("--departement", default=DEPARTEMENT, help="code du département (défaut : 86)")
    parser.add_argument("--output", type=Path, help="fichier écrit (défaut : data/territoire_<département>.json)")
    args = parser.parse_args(argv)
    output: Path = args.output or ROOT / "data" / f"territoire_{args.departement}.json"

    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.from_tarball or download(args.version, Path(tmp))
        communes, epcis, version = read_tarball(tarball)
        departements = read_departements(tarball)
    territory = subset(communes, epcis, version, args.departement, departements)
    n_communes, n_epci = len(territory["communes"]), len(territory["epci"])
    if not n_communes:
        print(f"Aucune commune trouvée pour le département {args.departement} : fichier non modifié.", file=sys.stderr)
        return 1
    output.write_text(
        json.dumps(territory, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{output}: {n_communes} communes, {n_epci} EPCI ({PACKAGE} {version}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
