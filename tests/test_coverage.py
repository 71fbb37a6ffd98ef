"""White zones: the nearest help per commune and need, the coverage pages and maps, the
yearly état des lieux and its snapshot, the open data table.

A small territory with known distances checks the rules; the fixture site and the real data
check what a reader gets (every map link leads to a page, the PDF names the white zones,
populations add up)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from support import ROOT, copied_site, fixture_directory, fixture_settings, fixture_site, territory

from annuaire import build, workers
from annuaire.data.geo import km_between
from annuaire.data.territory import Commune, Epci, Territory
from annuaire.data.vocabulary import NEEDS
from annuaire.exports import coverage as coverage_data
from annuaire.model.coverage import coverage
from annuaire.model.directory import load_directory
from annuaire.model.nearest import place_position
from annuaire.model.places import Place
from annuaire.model.stocktaking import Snapshot, changes, previous_snapshot, take_snapshot
from annuaire.settings import SettingsError, load_settings
from annuaire.site import maps
from annuaire.site.coverage import REPORT_PDF, sentence

FIXTURE = ROOT / "tests" / "fixtures" / "site"
SHARED = ROOT.parent / "shared" / "data" / "vienne"
DEMARCHES, APPRENDRE = NEEDS[0], NEEDS[1]
KM_PER_DEGREE = 111.195  # one degree of latitude, on the sphere `data/geo.py` uses


# --- A territory with known distances ----------------------------------------------------------
# Five communes on one meridian: A has a place; B, C, D are 4, 8 and 13 km north of it;
# E, far north, is where an itinerant place based in A stops.

def _commune(code: str, name: str, population: int, epci: str) -> Commune:
    return Commune(code, name, (code[:2] + "000",), population, epci)


def _north(km: float) -> tuple[float, float]:
    return 46.0 + km / KM_PER_DEGREE, 0.5


COMMUNES = [
    _commune("86001", "Aubigny", 100, "X"), _commune("86002", "Berthegon", 200, "X"),
    _commune("86003", "Cenon", 300, "X"), _commune("86004", "Dangé", 400, "Y"),
    _commune("86005", "Empuré", 500, "Y"),
]
POSITIONS = {"86001": _north(0), "86002": _north(4), "86003": _north(8), "86004": _north(13), "86005": _north(40)}
SMALL = Territory(
    COMMUNES,
    [Epci("X", "CC X", "CC", 600, ("86001", "86002", "86003")), Epci("Y", "CC Y", "CC", 900, ("86004", "86005"))],
    positions=POSITIONS,
)


def _place(slug: str, commune: Commune, *, stops: tuple[str, ...] = (), services: tuple[str, ...]) -> Place:
    lat, lon = POSITIONS[commune.code_insee]
    return Place(
        file=f"places/{commune.slug}/{slug}.yml", slug=slug, commune_ref=commune, epci_ref=SMALL.epci_of(commune),
        id=slug, nom=slug.replace("-", " ").capitalize(), adresse="1 rue", code_postal="86000", commune=commune.nom,
        date_maj=date(2026, 1, 1), latitude=lat, longitude=lon, services=services,
        itinerance=("Itinérant",) if stops else (), communes_desservies=stops,
    )


FIXED = _place("mediatheque", COMMUNES[0], services=(DEMARCHES.service,))
BUS = _place("bus-numerique", COMMUNES[0], stops=("86005",), services=(DEMARCHES.service,))


def test_nearest_help_per_commune_with_known_distances() -> None:
    covered = coverage([FIXED, BUS], SMALL, threshold_km=10)
    a, b, c, d, e = (covered.reach(commune, DEMARCHES) for commune in COMMUNES)
    assert a.in_commune and a.km == 0 and a.place in (FIXED, BUS)
    assert b.km == pytest.approx(4, abs=0.01) and covered.tone(b) == 1 and not covered.is_white(b)
    assert c.km == pytest.approx(8, abs=0.01) and covered.tone(c) == 2 and not covered.is_white(c)
    assert d.km == pytest.approx(13, abs=0.01) and covered.is_white(d) and covered.tone(d) == 3
    # The itinerant place counts where it stops, as if it were there.
    assert e.in_commune and e.place == BUS and e.via_stop == COMMUNES[4]
    assert [c.commune.nom for c in covered.white_zones(DEMARCHES)] == ["Dangé"]


def test_a_need_no_place_meets_is_a_white_zone_everywhere_not_a_zero() -> None:
    covered = coverage([FIXED], SMALL)
    reaches = [covered.reach(c, APPRENDRE) for c in COMMUNES]
    assert all(r.place is None and r.km is None and covered.is_white(r) for r in reaches)
    assert covered.white_population(APPRENDRE) == 1500
    text = sentence(COMMUNES[0], APPRENDRE, reaches[0], covered, "dans la Vienne")
    assert text == "Pour apprendre à utiliser un téléphone ou un ordinateur, aucun lieu n’est encore recensé dans la Vienne."


def test_the_threshold_is_a_setting_and_the_sentence_says_it() -> None:
    covered = coverage([FIXED], SMALL, threshold_km=10)
    dange = COMMUNES[3]
    assert sentence(dange, DEMARCHES, covered.reach(dange, DEMARCHES), covered) == (
        "À Dangé, le lieu le plus proche pour les démarches en ligne est à Aubigny, à 13\u00a0km : "
        "c’est une zone blanche (plus de 10\u00a0km)."
    )
    wider = coverage([FIXED], SMALL, threshold_km=15)
    assert [c.commune.nom for c in wider.white_zones(DEMARCHES)] == ["Empuré"]  # Dangé is now within reach
    assert wider.tone_labels()[3] == "Zone blanche : aucun lieu à moins de 15\u00a0km"


def test_per_epci_the_population_in_white_zones() -> None:
    covered = coverage([FIXED], SMALL)
    rows = {row.epci.code: row for row in covered.by_epci(DEMARCHES, [FIXED])}
    assert rows["X"].population == 0 and rows["X"].places == 1
    assert [c.commune.nom for c in rows["Y"].white] == ["Empuré", "Dangé"]  # the furthest first
    assert rows["Y"].population == 900 and rows["Y"].share == 1.0


def test_each_intercommunalitys_row_says_what_the_whole_map_says_of_its_communes() -> None:
    """On the real data: an EPCI's row (its page, the coverage page, the état des lieux) lists
    the white zones the département's list gives for its communes, in the same order, and
    counts its own places and people."""
    directory = fixture_directory(ROOT)
    covered = coverage(directory.places, directory.territory)
    for need in covered.needs:
        rows = covered.by_epci(need, directory.places)
        assert [row.epci for row in rows] == list(covered.epcis)
        for row in rows:
            assert row.white == tuple(covered.white_zones(need, row.epci))
            assert row.population == sum(c.commune.population for c in row.white)
            assert row.places == len([p for p in directory.places if p.epci_ref and p.epci_ref.code == row.epci.code
                                      and need.service in p.services])
            assert row.total == sum(c.commune.population for c in covered.communes
                                    if c.commune.epci_code == row.epci.code)
    assert any(row.white for need in covered.needs for row in covered.by_epci(need, directory.places))


@pytest.mark.parametrize("value", ["dix", 0, 250, True])
def test_a_wrong_threshold_is_refused_in_french(value: object) -> None:
    with pytest.raises(SettingsError, match="seuil_zone_blanche_km : un nombre de kilomètres entre 1 et 100"):
        load_settings({"seuil_zone_blanche_km": value}, config_dir=ROOT, site_url="https://exemple.fr/",
                      repo_url="https://github.com/exemple/annuaire", env={})


# --- Outlines and positions ------------------------------------------------------------------


def test_a_commune_nouvelle_is_the_union_of_its_former_communes() -> None:
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import Point, shape

    from annuaire.importers.outlines import merge_outlines

    features = json.loads((SHARED / "communes-86-vienne_contours-2018.geojson").read_text(encoding="utf-8"))["features"]
    communes = json.loads((ROOT / "data" / "territoire_86.json").read_text(encoding="utf-8"))["communes"]
    areas = {a.code: a for a in merge_outlines(features, communes)}
    assert len(areas) == 265
    boivre = areas["86123"]  # Boivre-la-Vallée = Lavausseau + Benassay, La Chapelle-Montreuil, Montreuil-Bonnin
    assert boivre.merged == ("86021", "86056", "86166")
    parts = {str(f["properties"]["code"]): shape(f["geometry"]) for f in features}
    together = sum(parts[c].area for c in ("86123", "86021", "86056", "86166"))
    assert boivre.area.area == pytest.approx(together, rel=0.01)
    for code in ("86021", "86056", "86166"):
        assert boivre.area.contains(parts[code].representative_point())
    lat, lon = boivre.point
    assert boivre.area.contains(Point(lon, lat))
    assert shapely.__version__


def _nearest_by_definition(places: list[Place], territory: Territory, commune: Commune, service: str) -> tuple:
    """The rule, way by way: every place's own point (its commune's when it has none) and every
    stop; the shortest; at equal distance one in the commune, then by name."""
    origin = territory.position(commune.code_insee)
    ways = []
    for place in places:
        if service not in place.services:
            continue
        approximate = place.latitude is None or place.longitude is None
        position = place_position(place, territory)
        if place.commune_ref.code_insee == commune.code_insee:
            ways.append((0.0, False, place.sort_key, place, True, approximate, None))
        elif origin is not None and position is not None:
            ways.append((km_between(origin, position), True, place.sort_key, place, False, approximate, None))
        for code in place.communes_desservies:
            stop, at = territory.commune(code), territory.position(code)
            if stop is None or at is None:
                continue
            if code == commune.code_insee:
                ways.append((0.0, False, place.sort_key, place, True, True, stop))
            elif origin is not None:
                ways.append((km_between(origin, at), True, place.sort_key, place, False, True, stop))
    if not ways:
        return (None, None, False, False, None)
    km, _outside, _name, place, inside, approximate, stop = min(ways, key=lambda way: way[:3])
    return (place, km, inside, approximate, stop)


def test_the_nearest_help_is_the_one_the_rule_gives_for_every_commune_and_need() -> None:
    """On the real places, on copies of them moved to other communes (without coordinates, so
    measured from their commune) and made itinerant, and on copies standing on a neighbouring
    commune's point: numpy's search gives the place, the distance and the stop that comparing
    every way one by one gives."""
    real = fixture_directory(ROOT, today=date(2026, 12, 1))
    communes = real.territory.communes
    moved = [
        dataclasses.replace(place, slug=place.slug + "-copie", commune_ref=communes[(i * 7) % len(communes)],
                            latitude=None, longitude=None,
                            communes_desservies=tuple(c.code_insee for c in communes[i % 50:i % 50 + i % 3]))
        for i, place in enumerate(real.places)
    ]
    # Copies standing exactly on another commune's point: from there they are 0 km away without
    # being in the commune (the place in the commune goes first).
    standing = [
        dataclasses.replace(place, slug=place.slug + "-voisin", latitude=at[0], longitude=at[1])
        for place in real.places[::3]
        if (at := real.territory.position(communes[(communes.index(place.commune_ref) + 1) % len(communes)].code_insee))
    ]
    places = [*real.places, *moved, *standing]
    covered = coverage(places, real.territory)
    for commune in communes:
        for need in NEEDS:
            reach = covered.reach(commune, need)
            place, km, inside, approximate, stop = _nearest_by_definition(places, real.territory, commune, need.service)
            assert (reach.place, reach.in_commune, reach.approximate, reach.via_stop) == (place, inside, approximate, stop)
            assert reach.km == pytest.approx(km, abs=1e-9) if km is not None else reach.km is None


# --- Pages, maps and files of a build ----------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("couverture")
    shutil.copytree(FIXTURE / "places", folder / "places")
    settings = dataclasses.replace(fixture_settings(folder, today=date(2026, 12, 1)),
                                   ledger_file=folder / "data" / "urls-publiees.txt")
    directory = fixture_directory(folder, today=date(2026, 12, 1))
    return folder, settings, directory, fixture_site(directory, settings)


def test_every_map_link_leads_to_a_commune_page(built) -> None:  # type: ignore[no-untyped-def]
    _folder, _settings, _directory, site = built
    html = site.pages["couverture/index.md"].html
    svg = re.search(r"<svg class=\"annuaire-carte-svg\".*?</svg>", html, re.S)
    assert svg, "pas de carte sur la page des zones blanches"
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg.group(0))
    assert len(links) == 265 == len({href for href, _ in links})
    for href, label in links:
        target = href.removeprefix("../")
        assert target.startswith("communes/") and f"{target.rstrip('/')}.md" in site.pages, href
        assert " : " in label  # « Adriers : lieu le plus proche à 13 km, à … »


def test_one_map_per_need_and_a_table_sorted_without_javascript(built) -> None:  # type: ignore[no-untyped-def]
    _folder, _settings, _directory, site = built
    for need in NEEDS[1:]:
        assert f"couverture/{need.slug}.md" in site.pages
    table = site.pages["couverture/communes/index.md"].html
    assert table.count('<tr><th scope="row">') == 265
    by_population = site.pages["couverture/communes/par-population.md"].html
    first = re.search(r'<tr><th scope="row"><a [^>]+>([^<]+)</a>', by_population)
    assert first and first.group(1) == "Poitiers"


def test_commune_and_epci_pages_say_it_in_a_sentence_with_their_part_of_the_map(built) -> None:  # type: ignore[no-untyped-def]
    _folder, _settings, _directory, site = built
    adriers = site.pages["communes/adriers.md"].html
    assert "À Adriers, le lieu le plus proche pour les démarches en ligne est à " in adriers
    assert 'class="annuaire-zone-ici-contour"' in adriers  # the commune itself, outlined
    epci = site.pages["territoires/cc-vienne-et-gartempe.md"].html
    assert "Les zones blanches de la communauté" in epci and "habitants (" in epci


def _square(west: float, south: float, side: float = 0.1) -> tuple[tuple[tuple[float, float], ...], ...]:
    return (((west, south), (west + side, south), (west + side, south + side), (west, south + side), (west, south)),)


# Communes drawn as squares of 0.1° on both sides of the Greenwich meridian (la Vienne crosses
# it) and of the grid's cell edges: the one in the middle, (0, 2), sits on a corner of four cells.
SQUARES = {f"{x},{y}": _square(x / 10 - 0.2, 46 + y / 10) for x in range(5) for y in range(5)}


@pytest.mark.parametrize(("around", "margin_km", "expected"), [
    ("2,2", 0.0, {f"{x},{y}" for x in (1, 2, 3) for y in (1, 2, 3)}),  # touching, corners too
    ("2,2", 5.0, {f"{x},{y}" for x in (1, 2, 3) for y in (1, 2, 3)}),  # 5 km: not as far as the next ring
    ("2,2", 8.0, {f"{x},{y}" for x in range(5) for y in (1, 2, 3)}),  # 0.072° north and south, 0.104° east and west
    ("2,2", 12.0, set(SQUARES)),  # 12 km: 0.108° north and south, 0.156° east and west
    ("0,0", 0.0, {"0,0", "0,1", "1,0", "1,1"}),  # a corner of the territory
    ("4,4", 12.0, {f"{x},{y}" for x in (2, 3, 4) for y in (2, 3, 4)}),
    ("absente", 8.0, set()),  # a commune without an outline: no map
])
def test_a_commune_map_shows_the_communes_within_the_distance_and_no_other(
    around: str, margin_km: float, expected: set[str],
) -> None:
    """A commune page's map draws its neighbours found through a grid (35,000 communes would
    otherwise be compared with each other); in the outlines' order, as the page draws them."""
    found = maps.Boxes(SQUARES).neighbours(around, margin_km)
    assert set(found) == expected
    assert found == [code for code in SQUARES if code in expected]


def test_the_etat_des_lieux_names_the_white_zones_and_the_change_since_last_year(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _folder, settings, directory, _site = built
    covered = coverage(directory.places, directory.territory, settings.white_zone_km)
    # Last year, one place fewer and a larger white zone.
    fewer = dataclasses.replace(directory, places=directory.places[1:])
    last_year = take_snapshot(fewer, coverage(fewer.places, fewer.territory), date(2025, 11, 30))
    settings.snapshots_dir.mkdir(parents=True, exist_ok=True)
    (settings.snapshots_dir / "2025.json").write_text(last_year.to_json(), encoding="utf-8")
    (settings.snapshots_dir / "2027.json").write_text(last_year.to_json(), encoding="utf-8")  # a later year: ignored
    site = fixture_site(directory, settings)
    pdf = tmp_path / "etat.pdf"
    pdf.write_bytes(site.files[REPORT_PDF])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "État des lieux 2026" in flat
    white = covered.white_zones(DEMARCHES)
    assert white
    for entry in white:
        assert entry.commune.nom in flat, entry.commune.nom
    assert "Depuis l’état des lieux de 2025 : 1 lieu en plus." in flat
    assert directory.places[0].nom in flat
    then = last_year.needs[DEMARCHES.slug].white_population
    assert f"En2025:{then}habitants" in re.sub(r"\s", "", text)  # thousands are spaced
    assert "en 2025 :" in flat  # and per EPCI, in the table of white zones


def test_the_etat_des_lieux_map_hatches_the_white_zones_and_nothing_else(tmp_path: Path) -> None:
    """The printed map's white zones are hatched (the map does not rely on colour alone); the
    hatch lines are drawn only across each white commune, not across the whole map for each."""
    import numpy
    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    from annuaire.data.territory import Departement
    from annuaire.printing.stocktaking import HATCH, CoverageMap, Report

    side = 0.03  # a square of about 3 km around each commune's point
    outlines = {code: (((lon - side / 2, lat - side / 2), (lon + side / 2, lat - side / 2), (lon + side / 2, lat + side / 2),
                        (lon - side / 2, lat + side / 2), (lon - side / 2, lat - side / 2)),)
                for code, (lat, lon) in POSITIONS.items()}
    covered = coverage([FIXED, BUS], SMALL, threshold_km=10)  # Dangé alone is a white zone
    report = Report(year=2026, today=date(2026, 12, 1), data_until=date(2026, 12, 1), coverage=covered,
                    places=[FIXED, BUS], closed_this_year=[], outlines=outlines, changes=None,
                    site_url="https://example.org/", named=Departement("86", "Vienne", 3))
    drawn = CoverageMap(report, 0, 100, 400)
    pdf = tmp_path / "carte.pdf"
    canvas = Canvas(str(pdf), pagesize=(drawn.width, drawn.height))
    drawn.drawOn(canvas, 0, 0)
    canvas.save()
    subprocess.run(["pdftoppm", "-r", "288", "-png", "-singlefile", str(pdf), str(tmp_path / "carte")], check=True)
    image = Image.open(tmp_path / "carte.png").convert("RGB")
    scale = image.width / drawn.width  # pixels per point
    hatch = tuple(int(HATCH[i:i + 2], 16) for i in (1, 3, 5))

    def hatched(code: str) -> int:
        """Pixels of the hatch colour well inside commune `code`'s square."""
        (x0, y0), (x1, y1) = (drawn.projection.point(lon, lat) for lon, lat in (outlines[code][0][3], outlines[code][0][1]))
        box = [round(v * scale) for v in (x0, y0, x1, y1)]
        inner = (box[0] + 3, box[1] + 3, box[2] - 3, box[3] - 3)
        pixels = numpy.asarray(image.crop(inner), dtype=int)
        return int((numpy.abs(pixels - hatch).max(axis=2) < 40).sum())

    assert hatched("86004") > 50  # Dangé, 13 km from the nearest help
    assert [code for code in POSITIONS if code != "86004" and hatched(code)] == []


def test_a_first_etat_des_lieux_says_it_has_nothing_to_compare(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _folder, settings, directory, _site = built
    settings = dataclasses.replace(settings, ledger_file=tmp_path / "registre.txt")
    pdf = tmp_path / "etat.pdf"
    pdf.write_bytes(fixture_site(directory, settings).files[REPORT_PDF])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "premier état des lieux" in " ".join(text.split())


def test_a_snapshot_reads_back_what_it_wrote(built) -> None:  # type: ignore[no-untyped-def]
    _folder, settings, directory, _site = built
    covered = coverage(directory.places, directory.territory)
    snapshot = take_snapshot(directory, covered, date(2026, 12, 1))
    again = Snapshot.from_json(snapshot.to_json())
    assert again == snapshot
    diff = changes(snapshot, again)
    assert diff is not None and diff.added == [] and diff.removed == []
    assert previous_snapshot(settings.snapshots_dir / "absent", 2026) is None


def test_the_snapshot_script_writes_once_and_refuses_to_overwrite(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "etat_des_lieux.py"
    command = [str(ROOT / ".venv" / "bin" / "python"), str(script), "--date", "2026-12-01", "--dossier", str(tmp_path)]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    written = json.loads((tmp_path / "2026.json").read_text(encoding="utf-8"))
    assert written["annee"] == 2026 and written["lieux"]
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 1 and "existe déjà" in again.stderr


# --- Open data ------------------------------------------------------------------------------


def test_coverage_table_populations_add_up_to_the_territory() -> None:
    real = fixture_directory(ROOT, today=date(2026, 12, 1))
    covered = coverage(real.places, real.territory)
    rows = list(csv.DictReader(io.StringIO(coverage_data.to_csv(covered))))
    assert len(rows) == 265 == len({r["code_insee"] for r in rows})
    assert sum(int(r["population"]) for r in rows) == sum(c.population for c in territory().communes)
    for row in rows:
        for need in NEEDS:
            white = row[f"{need.slug}_zone_blanche"] == "oui"
            km = row[f"{need.slug}_distance_km"]
            assert white == (km == "" or (row[f"{need.slug}_dans_la_commune"] == "non" and float(km) > 10))
    document = json.loads(coverage_data.to_json(covered, date(2024, 8, 1)))
    assert document["seuil_zone_blanche_km"] == 10 and len(document["communes"]) == 265


def test_the_etat_des_lieux_is_drawn_again_only_when_what_it_prints_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A corrected phone number leaves the report as it was, without drawing it; a place closed
    this year is listed in the next build's report, which is the one a build from nothing draws."""
    drawn: list[int] = []
    report_pdf = build.report_pdf
    monkeypatch.setattr(build, "report_pdf", lambda report: drawn.append(1) or report_pdf(report))
    monkeypatch.setattr(workers, "cores", lambda: 1)  # drawn in this process, so counted here
    settings = dataclasses.replace(copied_site(tmp_path), today=date(2026, 11, 2))

    def report() -> bytes:
        return bytes(fixture_site(load_directory(settings), settings).files[REPORT_PDF])

    def edit(old: str, new: str) -> None:
        record = settings.places_dir / "poitiers" / "espace-numerique-des-tilleuls.yml"
        text = record.read_text(encoding="utf-8")
        assert old in text
        record.write_text(text.replace(old, new), encoding="utf-8")

    first = report()
    edit("+33549000012", "+33549000099")
    drawn.clear()
    assert report() == first and drawn == []

    edit("nom: ", "statut: fermé\ndate_fermeture: '2026-10-15'\nnom: ")
    closed = report()
    assert drawn == [1]
    pdf = tmp_path / "etat.pdf"
    pdf.write_bytes(closed)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Fermés en 2026 : • Espace numérique des Tilleuls (Poitiers), le 15 octobre 2026" in text
    assert closed == bytes(fixture_site(load_directory(settings), dataclasses.replace(settings, cache_dir=None))
                           .files[REPORT_PDF])
