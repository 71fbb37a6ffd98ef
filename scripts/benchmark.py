#!/usr/bin/env python3
"""Measure how long the site takes to build, how much memory and disk it needs, and what a
phone downloads; print a report (a Markdown table for the README).

Speed and memory are measured here and reported (README), never asserted by timed tests: a
test that fails because the machine is busy teaches nothing.

    python scripts/benchmark.py                        # real places, then 1 000 and 5 000 places
    python scripts/benchmark.py --places 1000          # other sizes
    python scripts/benchmark.py --national             # and 20 000 places in 35 000 communes (long)
    python scripts/benchmark.py --lighthouse           # and Lighthouse scores of four pages of each set

For each data set, in order: a cold build (empty print store: every QR code, PDF and insert
drawn, on every core), a warm build (nothing changed), the next day's build (the nightly
publication: the same records, the build date one day later), a build after changing one
phone number (that day), then the same places as minimal pages built by plain mkdocs-material
(and by Hugo when it is installed): the ratios say what the project's own work costs.

Large data sets are made in a temporary folder by copying the real records under new names:
they only measure scaling and are never published. The 20,000 places are built with the settings
a national publication would use (NATIONAL: no PDFs for each place, no bulletin inserts), in a
territory the size of France (`national_territory`: the real communes copied side by side until
there are 35,000, each copy of a record moved into a copy of its commune): a national directory has
a page, a map and a coverage line for every commune, not only for the département's 265.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.data.records import record_files  # noqa: E402  (after sys.path, for a plain checkout)

BUILD_DATE = "2026-12-01"
NEXT_DAY = "2026-12-02"  # the nightly publication's date, and the correction's
PLACE_PAGE = "lieux/vouille/france-services-la-poste/"  # a real place, present in every data set
PHONE_LINE = re.compile(r"^telephone: .*$", re.M)
NATIONAL = {"pdf_par_lieu": False, "encarts_bulletin": False}  # `extra.annuaire` of a national site
NATIONAL_COMMUNES = 35_000  # about as many as France has
TERRITORY = ROOT / "data" / "territoire_86.json"  # with its outlines and points beside it
POSITIONS, OUTLINES = ROOT / "data" / "communes_86_positions.json", ROOT / "data" / "communes_86_contours.geojson"


def build_once(places_dir: Path, site_dir: Path, territory: Path | None = None) -> dict[str, float]:
    """Build the site in this process and return wall time, peak memory and page count."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("ANNUAIRE_DATE", BUILD_DATE)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    start = time.perf_counter()
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    annuaire = dict(config["extra"].get("annuaire") or {})
    annuaire["places_dir"] = str(places_dir)
    if territory is not None:
        annuaire.update(NATIONAL, territory_file=str(territory))
    config["extra"]["annuaire"] = annuaire
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does, to its end
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in site_dir.rglob("index.html"))
    return {"seconds": seconds, "max_rss_mb": _peak_mb(), "pages": pages}


def _peak_mb() -> float:
    """Peak resident memory of this process or of its largest child (the print workers), in MB."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def synthetic_places(source: Path, target: Path, count: int, tiles: int = 0) -> int:
    """Copy the real records until `count` places exist: originals first, then renamed copies.
    With `tiles` copies of the territory (`national_territory`), copy number c goes into copy
    c % (tiles + 1) of its commune (0: the real one)."""
    originals = record_files(source)
    for path in originals:
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    made = len(originals)
    copy = 1
    while made < count:
        tile = copy % (tiles + 1)
        for path in originals:
            if made >= count:
                break
            text = path.read_text(encoding="utf-8")
            lines = [
                f"id: {line[4:].strip()}-copie-{copy}" if line.startswith("id: ") else line
                for line in text.splitlines()
            ]
            folder = path.relative_to(source).parent
            if tile and path.suffix == ".yml":
                lines, folder = _moved(lines, tile), Path(folder.name + f"-{tile}")
            destination = target / folder / f"{path.stem}-copie-{copy}{path.suffix}"
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_text("\n".join(lines) + "\n", encoding="utf-8")
            made += 1
        copy += 1
    return made


# --- A territory the size of France --------------------------------------------------------------

_PREFIXES = [f"{number:02d}" for number in range(1, 100) if number != 86]  # a copy's « département »
_COLUMNS, _TILE_LON, _TILE_LAT = 12, 1.45, 1.2  # copies side by side, each as wide as la Vienne


def _tile_code(code: str, tile: int) -> str:
    """`86294` in copy `tile`: another two-digit prefix; past 98 copies, numbers moved by 400."""
    round_, index = divmod(tile - 1, len(_PREFIXES))
    return f"{_PREFIXES[index]}{int(code[2:]) + 400 * round_:03d}"


def _tile_shift(tile: int) -> tuple[float, float]:
    """How far copy `tile` lies from the real territory: (longitude, latitude) in degrees."""
    return (tile % _COLUMNS - _COLUMNS // 2) * _TILE_LON, (tile // _COLUMNS - 5) * _TILE_LAT


def _moved(lines: list[str], tile: int) -> list[str]:
    """A record's lines moved into copy `tile` of its commune (name, INSEE code, point)."""
    dx, dy = _tile_shift(tile)
    moved = []
    for line in lines:
        key, _, value = line.partition(": ")
        if key == "commune":
            line = f"commune: {value} {tile}"
        elif key == "code_insee":
            line = f"code_insee: '{_tile_code(value.strip(chr(39)), tile)}'"
        elif key in ("latitude", "longitude"):
            line = f"{key}: {float(value) + (dy if key == 'latitude' else dx):.6f}"
        moved.append(line)
    return moved


def national_territory(target: Path, communes: int = NATIONAL_COMMUNES) -> tuple[Path, int]:
    """The real territory copied side by side until it has about `communes` communes (new codes
    and names, outlines and points moved by whole tiles), written into `target` with its
    outlines and points; return the territory file and the number of copies."""
    territory = json.loads(TERRITORY.read_text(encoding="utf-8"))
    positions = json.loads(POSITIONS.read_text(encoding="utf-8"))
    outlines = json.loads(OUTLINES.read_text(encoding="utf-8"))
    tiles = max(0, round(communes / len(territory["communes"])) - 1)
    real = (list(territory["communes"]), list(territory["epci"]), list(positions["communes"]), list(outlines["features"]))
    for tile in range(1, tiles + 1):
        dx, dy = _tile_shift(tile)

        def moved(ring: list[list[float]], dx: float = dx, dy: float = dy) -> list[list[float]]:
            return [[x + dx, y + dy] for x, y, *_ in ring]

        territory["communes"] += [
            {**c, "code": _tile_code(c["code"], tile), "nom": f"{c['nom']} {tile}", "epci": f"{tile:03d}{c['epci'][3:]}",
             "anciensCodes": [_tile_code(a, tile) for a in c.get("anciensCodes", [])]} for c in real[0]]
        territory["epci"] += [
            {**e, "code": f"{tile:03d}{e['code'][3:]}", "nom": f"{e['nom']} {tile}",
             "membres": [_tile_code(m, tile) for m in e["membres"]]} for e in real[1]]
        positions["communes"] += [
            {**c, "code": _tile_code(c["code"], tile), "nom": f"{c['nom']} {tile}", "lat": c["lat"] + dy, "lon": c["lon"] + dx}
            for c in real[2]]
        for feature in real[3]:
            geometry = feature["geometry"]
            coordinates = ([[moved(ring) for ring in polygon] for polygon in geometry["coordinates"]]
                           if geometry["type"] == "MultiPolygon" else [moved(ring) for ring in geometry["coordinates"]])
            outlines["features"].append({
                **feature, "properties": {**feature["properties"], "code": _tile_code(str(feature["properties"]["code"]), tile)},
                "geometry": {"type": geometry["type"], "coordinates": coordinates}})
    target.mkdir(parents=True, exist_ok=True)
    for path, data in ((TERRITORY, territory), (POSITIONS, positions), (OUTLINES, outlines)):
        (target / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target / TERRITORY.name, tiles


def change_one_phone(places_dir: Path) -> None:
    """A coordinator's one-line correction: the phone number of one place."""
    record = places_dir / (PLACE_PAGE.removeprefix("lieux/").rstrip("/") + ".yml")
    text = record.read_text(encoding="utf-8")
    record.write_text(PHONE_LINE.sub("telephone: '+33549015199'", text, count=1), encoding="utf-8")


def timed_build(
    places_dir: Path, site_dir: Path, store: Path, territory: Path | None = None, day: str = BUILD_DATE,
) -> dict[str, float]:
    """One build in a fresh process (so memory is that of one build) into `site_dir`, on `day`;
    with national settings in `territory` when given."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(places_dir), str(site_dir),
         *(["--territory", str(territory)] if territory is not None else [])],
        check=True, capture_output=True, text=True,
        env={**os.environ, "ANNUAIRE_CACHE_DIR": str(store), "ANNUAIRE_DATE": day},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- What the site weighs ------------------------------------------------------------------------

KINDS = (  # (label, test on the path relative to the site)
    ("index de recherche", lambda p: p.startswith("pagefind/")),
    ("pages HTML", lambda p: p.endswith(".html")),
    ("PDF", lambda p: p.endswith(".pdf")),
    ("images PNG", lambda p: p.endswith(".png")),
    ("images SVG", lambda p: p.endswith(".svg")),
    ("données (JSON, CSV, GeoJSON, ICS)", lambda p: p.endswith((".json", ".csv", ".geojson", ".ics"))),
)


def sizes_by_kind(site: Path) -> dict[str, tuple[int, int]]:
    """Bytes and file count per kind of file."""
    size: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for path in site.rglob("*"):
        if path.is_file():
            relative = path.relative_to(site).as_posix()
            kind = next((label for label, test in KINDS if test(relative)), "autres")
            size[kind] += path.stat().st_size
            count[kind] += 1
    return {kind: (size[kind], count[kind]) for kind in size}


_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"#?]+)')
TEXT = (".html", ".css", ".js", ".mjs", ".json", ".svg")


def _compressed(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.compress(data, 6)) if path.suffix in TEXT else len(data)


def page_weight(site: Path, page: str) -> dict[str, int]:
    """Compressed bytes a first visit downloads (the page, its styles, scripts and images), and
    a later one (the page alone: the shared files are in the browser's cache)."""
    html_file = site / page / "index.html"
    html = html_file.read_text(encoding="utf-8")
    assets = {(html_file.parent / href).resolve() for href in _ASSET.findall(html) if "://" not in href}
    page_bytes = _compressed(html_file)
    return {"first": page_bytes + sum(_compressed(a) for a in assets if a.is_file()), "again": page_bytes}


def heaviest_page(site: Path) -> dict[str, object]:
    """The largest HTML page a reader can open (not `404.html`, which nobody asks for by name):
    its address, its bytes, and what it weighs compressed. A list that grows with the directory
    shows here first (« Trouver un lieu » weighed 24.5 MB at 20,000 places before `LIST_MAX`)."""
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    address = largest.relative_to(site).as_posix().removesuffix("index.html") or "(accueil)"
    return {"path": address, "bytes": largest.stat().st_size, "compressed": _compressed(largest)}


def search_weight(site: Path) -> dict[str, int]:
    """Compressed bytes of one search on `recherche/`: Pagefind's program and entry files, one
    chunk of the index (the largest: the worst word) and the ten fragments shown (average)."""
    bundle = site / "pagefind"
    fixed = sum(_compressed(p) for p in bundle.iterdir() if p.is_file() and not p.name.startswith("wasm."))
    fixed += sum(p.stat().st_size for p in bundle.glob("wasm.fr.pagefind"))  # the one language it loads
    chunks = [p.stat().st_size for p in (bundle / "index").iterdir()]
    fragments = [p.stat().st_size for p in (bundle / "fragment").iterdir()]
    return {"fixed": fixed, "search": max(chunks) + 10 * sum(fragments) // max(len(fragments), 1),
            "index": sum(chunks) + sum(fragments)}


# --- Plain mkdocs-material and Hugo on the same places ------------------------------------------


def minimal_pages(places_dir: Path, docs: Path) -> int:
    """One Markdown page per place (name, address, phone): what a bare theme builds."""
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Lieux\n", encoding="utf-8")
    count = 0
    for path in record_files(places_dir):
        if path.suffix != ".yml":
            continue
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
        target = docs / "lieux" / path.relative_to(places_dir).with_suffix(".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f"# {data.get('nom', path.stem)}\n\n{data.get('adresse', '')}, {data.get('commune', '')}\n\n"
            f"Téléphone : {data.get('telephone', '')}\n", encoding="utf-8")
        count += 1
    return count


def plain_material(places_dir: Path, work: Path) -> float:
    """Seconds for plain mkdocs-material (search on, places out of the menu) to build them."""
    minimal_pages(places_dir, work / "docs")
    (work / "mkdocs.yml").write_text(
        "site_name: Lieux\nsite_url: https://example.org/\ntheme:\n  name: material\n  language: fr\n"
        "nav:\n  - index.md\nnot_in_nav: /lieux/\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml")],
                   check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


def plain_hugo(places_dir: Path, work: Path) -> float | None:
    """Seconds for Hugo to build the same minimal pages, None when Hugo is not installed."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    minimal_pages(places_dir, work / "content")
    (work / "hugo.toml").write_text("baseURL = 'https://example.org/'\ntitle = 'Lieux'\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([hugo, "--quiet", "-s", str(work)], check=True, capture_output=True)
    return time.perf_counter() - start


# --- Lighthouse ----------------------------------------------------------------------------------


def lighthouse_scores(site: Path) -> dict[str, dict[str, float]]:
    """Lighthouse (mobile) scores of four pages (the home, a real place, a commune, the finder),
    served gzip-compressed like GitHub Pages."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser.conftest import serve
    from browser.test_lighthouse import PAGES, lighthouse

    scores = {}
    with serve(site, compress=True) as url, tempfile.TemporaryDirectory() as tmp:
        for kind, path in PAGES.items():
            report = lighthouse(url + path, Path(tmp) / "rapport.json")
            scores[kind] = {name: round(100 * c["score"]) for name, c in report["categories"].items()}
    return scores


# A weak 3G connection (400 kbit/s each way, 400 ms per round trip) and a cheap phone's processor
# (four times slower than this machine's): the resident who scans a flyer's QR code.
WEAK_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
SLOW_PHONE_CPU = 4
PAINTS = """() => new Promise(resolve => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const load = performance.getEntriesByType("navigation")[0].loadEventEnd;
  new PerformanceObserver(list => {
    const last = list.getEntries().at(-1);
    resolve({first: fcp ? fcp.startTime : null, largest: last.startTime, load: load});
  }).observe({type: "largest-contentful-paint", buffered: true});
})"""


def weak_3g_times(site: Path) -> dict[str, float]:
    """A place page's first visit (nothing cached) on a weak 3G connection with a slow phone,
    served gzip-compressed like GitHub Pages: first paint, largest paint and load, in seconds."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve
    from playwright.sync_api import sync_playwright

    with serve(site, compress=True) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})
            session = page.context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", WEAK_3G)
            session.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_PHONE_CPU})
            page.goto(url + PLACE_PAGE, wait_until="load")
            page.wait_for_function('performance.getEntriesByType("navigation")[0].loadEventEnd > 0')
            times = page.evaluate(PAINTS)
        finally:
            browser.close()
    return {name: value / 1000 for name, value in times.items() if value is not None}


# --- Report --------------------------------------------------------------------------------------


def _mb(size: float) -> str:
    return f"{size / 1e6:,.1f} Mo".replace(",", " ").replace(".", ",")


def _kb(size: float) -> str:
    return f"{size / 1024:.0f} Ko"


def _s(seconds: float) -> str:
    return f"{seconds:.1f} s".replace(".", ",")


def measure_set(name: str, places: Path, work: Path, territory: Path | None = None) -> dict:
    store, site = work / "store", work / "site"
    row: dict = {"name": name}
    row["cold"] = timed_build(places, site, store, territory)
    row["sizes"] = sizes_by_kind(site)
    row["page"] = page_weight(site, PLACE_PAGE)
    row["search"] = search_weight(site)
    row["heaviest"] = heaviest_page(site)
    row["warm"] = timed_build(places, work / "site-warm", store, territory)
    row["next_day"] = timed_build(places, work / "site-next-day", store, territory, NEXT_DAY)
    change_one_phone(places)
    row["change"] = timed_build(places, work / "site-change", store, territory, NEXT_DAY)
    row["material"] = plain_material(places, work / "material")
    row["hugo"] = plain_hugo(places, work / "hugo")
    row["site"] = site
    for key in ("site-warm", "site-next-day", "site-change"):
        shutil.rmtree(work / key, ignore_errors=True)
    return row


def report(rows: list[dict], scores: dict[str, dict[str, dict[str, float]]] | None,
           weak: dict[str, float] | None = None) -> str:
    lines = [
        f"Mesuré le {time.strftime('%d/%m/%Y')} sur {os.cpu_count()} cœurs (`python scripts/benchmark.py`), "
        "une construction par mesure :",
        "",
        "| lieux | pages | à froid | à chaud | le lendemain | un téléphone changé | mémoire max | Material seul "
        "| ratio à froid / à chaud / un changement | site |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        base = row["material"]
        ratios = " / ".join(f"{row[k]['seconds'] / base:.1f}".replace(".", ",") for k in ("cold", "warm", "change"))
        total = sum(size for size, _count in row["sizes"].values())
        memory = max(row[k]["max_rss_mb"] for k in ("cold", "warm", "next_day", "change"))
        hugo = f" (Hugo {_s(row['hugo'])})" if row["hugo"] is not None else ""
        lines.append(
            f"| {row['name']} | {row['cold']['pages']} | {_s(row['cold']['seconds'])} | {_s(row['warm']['seconds'])} "
            f"| {_s(row['next_day']['seconds'])} | {_s(row['change']['seconds'])} | {memory:.0f} Mo | {_s(base)}{hugo} | {ratios} | {_mb(total)} |"
        )
    lines += ["", "Poids du site par sorte de fichier :", "",
              "| lieux | " + " | ".join(label for label, _ in KINDS) + " | autres |",
              "|---|" + "---|" * (len(KINDS) + 1)]
    for row in rows:
        cells = [_mb(row["sizes"].get(label, (0, 0))[0]) for label, _ in KINDS] + [_mb(row["sizes"].get("autres", (0, 0))[0])]
        lines.append(f"| {row['name']} | " + " | ".join(cells) + " |")
    lines += ["", "Ce que télécharge un téléphone (compressé) :", "",
              "| lieux | page d’un lieu, première visite | page d’un lieu, visite suivante | une recherche (programme + index lu) | index complet (jamais téléchargé en entier) | la page la plus lourde |",
              "|---|---|---|---|---|---|"]
    for row in rows:
        heaviest = row["heaviest"]
        lines.append(f"| {row['name']} | {_kb(row['page']['first'])} | {_kb(row['page']['again'])} "
                     f"| {_kb(row['search']['fixed'])} + {_kb(row['search']['search'])} | {_mb(row['search']['index'])} "
                     f"| `{heaviest['path']}` {_kb(heaviest['compressed'])} ({_mb(heaviest['bytes'])} non compressés) |")
    if scores:
        lines += ["", "Lighthouse (mobile) :", "",
                  "| lieux | page | performance | accessibilité | bonnes pratiques | référencement |",
                  "|---|---|---|---|---|---|"]
        for name, pages in scores.items():
            for kind, score in pages.items():
                lines.append(f"| {name} | {kind} | {score['performance']} | {score['accessibility']} "
                             f"| {score['best-practices']} | {score['seo']} |")
    if weak:
        lines += ["", "La page d’un lieu réel, première visite, en 3G faible (400 kbit/s, 400 ms par aller-retour) "
                  f"sur un téléphone {SLOW_PHONE_CPU} fois plus lent que cette machine : premier affichage "
                  f"{_s(weak['first'])}, plus grand élément affiché {_s(weak['largest'])}, page chargée {_s(weak['load'])}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure la construction du site et son poids.")
    parser.add_argument("--places", type=int, nargs="*", default=[1000, 5000],
                        help="tailles des jeux agrandis (défaut : 1000 et 5000)")
    parser.add_argument("--national", action="store_true",
                        help="ajoute 20 000 lieux dans un territoire de 35 000 communes (long)")
    parser.add_argument("--lighthouse", action="store_true",
                        help="scores Lighthouse de quatre pages de chaque jeu (sauf 20 000 lieux), et la page d’un lieu réel en 3G faible")
    parser.add_argument("--child", nargs=2, metavar=("PLACES", "SITE"), help=argparse.SUPPRESS)
    parser.add_argument("--territory", type=Path, help=argparse.SUPPRESS)  # --child's, national
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(build_once(Path(args.child[0]), Path(args.child[1]), args.territory)))
        return 0

    sizes = [*args.places, *([20000] if args.national else [])]
    rows = []
    scores: dict[str, dict[str, dict[str, float]]] = {}
    weak = None
    with tempfile.TemporaryDirectory() as tmp:
        real = Path(tmp) / "reels" / "places"
        shutil.copytree(ROOT / "places", real)
        real_count = sum(1 for p in record_files(ROOT / "places") if p.suffix == ".yml")
        rows.append(measure_set(f"{real_count} réels", real, Path(tmp) / "reels"))
        if args.lighthouse:
            scores[rows[0]["name"]] = lighthouse_scores(rows[0]["site"])
            weak = weak_3g_times(rows[0]["site"])
        for count in sizes:
            work = Path(tmp) / str(count)
            national = count == 20000 and args.national
            territory, tiles = national_territory(work / "territoire") if national else (None, 0)
            made = synthetic_places(ROOT / "places", work / "places", count, tiles)
            name = f"{made:,}".replace(",", " ") + (" (national, 35 000 communes)" if national else "")
            rows.append(measure_set(name, work / "places", work, territory))
            if args.lighthouse and not national:  # the finder lists every place: it grows with them
                scores[name] = lighthouse_scores(rows[-1]["site"])
            shutil.rmtree(work, ignore_errors=True)
    print(report(rows, scores, weak))
    return 0


if __name__ == "__main__":
    sys.exit(main())
