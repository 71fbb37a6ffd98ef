#!/usr/bin/env python3
"""Measure how long the site takes to build and how much memory it needs, and print a report.

Speed and memory are measured here and reported (README), never asserted by timed tests: a
test that fails because the machine is busy teaches nothing.

    python scripts/benchmark.py              # real places, then 1 000 places, 3 runs each
    python scripts/benchmark.py --places 2000 --runs 1

Each data set is built cold (an empty print store: every QR code, PDF and insert drawn, on
every core) and warm (the store of the first build: what a rebuild with nothing changed costs).

The large data set is made in a temporary folder by copying the real records under new
names: it only measures scaling and is never published.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.data.records import record_files  # noqa: E402  (after sys.path, for a plain checkout)


def build_once(places_dir: Path, site_dir: Path) -> dict[str, float]:
    """Build the site in this process and return wall time, peak memory and page count."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("ANNUAIRE_DATE", "2025-01-15")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    start = time.perf_counter()
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    annuaire = dict(config["extra"].get("annuaire") or {})
    annuaire["places_dir"] = str(places_dir)
    config["extra"]["annuaire"] = annuaire
    build(config)
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in site_dir.rglob("index.html"))
    # KiB on Linux; the print workers are child processes, counted apart.
    max_rss_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    return {"seconds": seconds, "max_rss_mb": max_rss_mb, "pages": pages}


def synthetic_places(source: Path, target: Path, count: int) -> int:
    """Copy the real records until `count` places exist: originals first, then renamed copies."""
    originals = record_files(source)
    for path in originals:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    made = len(originals)
    copy = 1
    while made < count:
        for path in originals:
            if made >= count:
                break
            text = path.read_text(encoding="utf-8")
            lines = [
                f"id: {line[4:].strip()}-copie-{copy}" if line.startswith("id: ") else line
                for line in text.splitlines()
            ]
            destination = target / path.relative_to(source).parent / f"{path.stem}-copie-{copy}.yml"
            destination.write_text("\n".join(lines) + "\n", encoding="utf-8")
            made += 1
        copy += 1
    return made


def measure(places_dir: Path, runs: int, store: Path, cold: bool) -> dict[str, float]:
    """Median of `runs` builds, each in a fresh process (so memory is that of one build);
    cold: each starts with an empty print store."""
    results = []
    for _ in range(runs):
        if cold:
            shutil.rmtree(store, ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:
            output = subprocess.run(
                [sys.executable, __file__, "--child", str(places_dir), str(Path(tmp) / "site")],
                check=True, capture_output=True, text=True, env={**os.environ, "ANNUAIRE_CACHE_DIR": str(store)},
            ).stdout
            results.append(json.loads(output.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in results),
        "max_rss_mb": max(r["max_rss_mb"] for r in results),
        "pages": results[0]["pages"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure le temps de construction du site.")
    parser.add_argument("--places", type=int, default=1000, help="taille du jeu agrandi (défaut 1000)")
    parser.add_argument("--runs", type=int, default=3, help="constructions par mesure (médiane)")
    parser.add_argument("--child", nargs=2, metavar=("PLACES", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(build_once(Path(args.child[0]), Path(args.child[1]))))
        return 0

    rows = []
    real = ROOT / "places"
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        for name, places in ((f"{len(record_files(real))} lieux réels", real), ("", None)):
            if places is None:
                made = synthetic_places(real, Path(tmp) / "places", args.places)
                name, places = f"{made} lieux (copies)", Path(tmp) / "places"
            for kind, cold in (("à froid", True), ("à chaud", False)):
                rows.append((name, kind, measure(places, args.runs, store, cold)))

    print(f"Construction du site (médiane de {args.runs}, mkdocs build --strict, {os.cpu_count()} cœurs)")
    print(f"{'jeu de données':<22} {'cache':<8} {'pages':>7} {'durée':>9} {'mémoire max':>12}")
    for name, kind, result in rows:
        print(f"{name:<22} {kind:<8} {result['pages']:>7} {result['seconds']:>8.1f} s {result['max_rss_mb']:>9.0f} Mo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
