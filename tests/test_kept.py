"""A build's generated part is read back only when nothing it depends on changed: a record, a
reference file, the build date; and never when a print file it names left the store."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from support import copied_site

from annuaire import kept
from annuaire.build import Site
from annuaire.printing.cache import StoredFile
from annuaire.settings import Settings
from annuaire.site.templating import Page

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return copied_site(tmp_path)


def test_the_key_changes_with_a_record_the_date_or_a_reference_file(settings: Settings, tmp_path: Path) -> None:
    first = kept.inputs_key(settings)
    assert kept.inputs_key(settings) == first  # nothing changed
    record = next(settings.places_dir.rglob("*.yml"))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("telephone:", "telephone: '05 49 00 00 99'\n#", 1), encoding="utf-8")
    assert kept.inputs_key(settings) != first
    record.write_text(text, encoding="utf-8")
    assert kept.inputs_key(settings) == first
    assert kept.inputs_key(dataclasses.replace(settings, today=date(2025, 1, 16))) != first
    (settings.places_dir / "poitiers" / "nouveau.yml").write_text("nom: Nouveau\n", encoding="utf-8")
    assert kept.inputs_key(settings) != first
    data = tmp_path / "donnees"
    shutil.copytree(settings.territory_file.parent, data)
    moved = dataclasses.replace(settings, territory_file=data / settings.territory_file.name)
    before = kept.inputs_key(moved)
    (data / "vacances-scolaires-zone-a.json").write_text("{}", encoding="utf-8")
    assert kept.inputs_key(moved) != before


def test_the_key_changes_with_the_javascript_library_the_site_copies(settings: Settings, tmp_path: Path) -> None:
    repository = tmp_path / "depot"
    for folder in ("data", "schemas", "node_modules/fuse.js"):
        shutil.copytree(ROOT / folder, repository / folder)
    elsewhere = dataclasses.replace(settings, repository=repository)
    before = kept.inputs_key(elsewhere)
    (repository / "node_modules" / "fuse.js" / "package.json").write_text("{}", encoding="utf-8")
    assert kept.inputs_key(elsewhere) != before


def test_a_kept_build_is_read_back_unless_a_print_file_left_the_store(settings: Settings, tmp_path: Path) -> None:
    flyer = tmp_path / "cache" / "abc.pdf"
    flyer.parent.mkdir()
    flyer.write_bytes(b"%PDF-")
    site = Site(pages={"a.md": Page("a.md", "A", b"<p>A</p>")}, files={"lieux/a/flyer-a5.pdf": StoredFile(str(flyer), 5)})
    key = kept.inputs_key(settings)
    assert kept.load(settings, key) is None  # nothing kept yet
    kept.save(settings, key, kept.Kept("Fiches à améliorer", site))
    again = kept.load(settings, key)
    assert again is not None and again.site == site and again.warnings == "Fiches à améliorer"
    assert kept.load(settings, "autre" + key[5:]) is None
    flyer.unlink()  # the store was emptied by hand: the pages would link to nothing
    assert kept.load(settings, key) is None
    kept.save(settings, "autre", kept.Kept("", Site()))
    assert [p.name for p in (tmp_path / "cache" / "site").iterdir()] == ["autre" + kept.SUFFIX]  # one kept build


def test_the_key_does_not_depend_on_how_the_process_found_its_libraries(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # MkDocs adds folders to `sys.path`: a library found twice must not make every build new.
    first = kept.inputs_key(settings)
    monkeypatch.setattr(sys, "path", [*sys.path, *sys.path])
    assert kept.inputs_key(settings) == first


def test_generated_files_are_published_from_the_cache_and_only_this_sites(tmp_path: Path) -> None:
    """The site links its generated files from the cache instead of writing them at every build:
    the same bytes, and the cache keeps only the files of the last site."""
    from annuaire.printing.cache import Store

    flyer = tmp_path / "flyer.pdf"
    flyer.write_bytes(b"%PDF")
    store = Store(tmp_path / "cache" / "publies")
    first = Site(store=store)
    first.add_files({"donnees/lieux.json": '{"nom": "Médiathèque"}', "lieux/a/qr.png": b"\x89PNG",
                     "lieux/a/flyer-a5.pdf": StoredFile(str(flyer), 4)})
    first.forget_older(every_s=0)
    data = first.files["donnees/lieux.json"]
    assert isinstance(data, StoredFile) and data.read_bytes() == '{"nom": "Médiathèque"}'.encode()
    assert len(data) == len('{"nom": "Médiathèque"}'.encode()) and data.path.endswith(".json")
    assert first.files["lieux/a/flyer-a5.pdf"] == StoredFile(str(flyer), 4)  # a print file stays where it is
    png = first.files["lieux/a/qr.png"]
    assert isinstance(png, StoredFile) and png.read_bytes() == b"\x89PNG"

    def next_site() -> Site:  # the JSON changed, the image is gone
        site = Site(store=store)
        site.add_files({"donnees/lieux.json": '{"nom": "Médiathèque Louis-Aragon"}'})
        site.forget_older(every_s=0)
        return site

    second = next_site()
    assert second.files["donnees/lieux.json"].read_bytes() == '{"nom": "Médiathèque Louis-Aragon"}'.encode()  # type: ignore[union-attr]
    # The cache holds this site's files, and those another build used within a day (it may
    # be about to link them).
    assert os.path.exists(data.path) and os.path.exists(png.path)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(data.path, (two_days_ago, two_days_ago))
    next_site()
    assert not os.path.exists(data.path) and os.path.exists(png.path) and flyer.exists()
    # Without a cache folder, the contents stay as they are (written by MkDocs).
    bare = Site()
    bare.add_files({"a.txt": "a"})
    assert bare.files == {"a.txt": "a"}


def test_pages_are_held_in_the_cache_not_in_memory(settings: Settings, tmp_path: Path) -> None:
    """A build holds each generated page's address until MkDocs writes it, not its HTML (at
    20,000 places, hundreds of megabytes); the page reads the same, and a kept build whose page
    left the cache is not read back."""
    from annuaire.printing.cache import Store

    settings = dataclasses.replace(settings, cache_dir=tmp_path / "cache")
    site = Site(store=Store(tmp_path / "cache" / "publies"))
    html = "<p>Médiathèque : ouvert</p>"
    site.add_pages(page for page in [Page("a.md", "A", html.encode()), Page("b/imprimer.md", "B", b"<html>", standalone=True)])
    kept_page = site.pages["a.md"]
    assert isinstance(kept_page.body, StoredFile) and kept_page.html == html
    assert kept_page.sha256 == Page("a.md", "A", html.encode()).sha256  # the digest, without reading the file
    assert site.published() == {"b/imprimer/index.html": site.pages["b/imprimer.md"].body}  # a whole document: a file
    key = kept.inputs_key(settings)
    kept.save(settings, key, kept.Kept("", site))
    assert kept.load(settings, key) is not None
    Path(kept_page.body.path).unlink()
    assert kept.load(settings, key) is None


def test_the_cache_of_published_files_is_swept_at_most_once_an_hour(tmp_path: Path) -> None:
    """A sweep asks the disk about every file of the last sites (100,000 at 20,000 places): a
    build does it once an hour at most, and the files it would delete wait for the next one."""
    from annuaire.printing.cache import Store

    store = Store(tmp_path / "cache" / "publies")
    old = Site(store=store)
    old.add_files({"donnees/lieux.json": '{"nom": "Médiathèque"}'})
    gone = old.files["donnees/lieux.json"]
    assert isinstance(gone, StoredFile)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(gone.path, (two_days_ago, two_days_ago))

    Site(store=store).forget_older()  # the first sweep: nothing tells when the last one was
    assert not os.path.exists(gone.path)
    older = Site(store=store)
    older.add_files({"donnees/lieux.json": '{"nom": "Médiathèque Louis-Aragon"}'})
    left = older.files["donnees/lieux.json"]
    assert isinstance(left, StoredFile)
    os.utime(left.path, (two_days_ago, two_days_ago))
    Site(store=store).forget_older()
    assert os.path.exists(left.path)  # swept a moment ago
    Site(store=store).forget_older(every_s=0)
    assert not os.path.exists(left.path)


def test_a_sweep_meets_files_another_build_deletes_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds on one checkout (the tests run two at once; `mkdocs serve` beside `mkdocs
    build`) sweep the same store: a file listed by one may be gone when it asks its date. The
    build goes on, and the other old files still go."""
    from annuaire.printing import cache

    store = cache.Store(tmp_path / "publies")
    old = [store.keep(text.encode(), ".html") for text in ("a", "b", "c")]
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in old:
        assert path is not None
        os.utime(path, (two_days_ago, two_days_ago))
    real_scandir = os.scandir

    class SweptMeanwhile:
        """The folder as listed, each file deleted by « the other build » once listed."""

        def __init__(self, folder: object) -> None:
            self.entries = list(real_scandir(folder))  # type: ignore[call-overload]

        def __enter__(self) -> list[os.DirEntry[str]]:
            os.unlink(self.entries[0].path)
            return self.entries

        def __exit__(self, *error: object) -> None:
            pass

    monkeypatch.setattr(cache.os, "scandir", SweptMeanwhile)
    store.forget_all_but(set())
    monkeypatch.undo()
    assert not [p for p in old if p is not None and os.path.exists(p)]


def test_a_large_sites_sweep_runs_beside_the_build_and_is_done_when_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once an hour a build deletes the stores' files no build used within a day; on a large
    site it does so in another process while MkDocs writes the site. Once the build has waited
    for it (as on_post_build does), the old files are gone and this site's files are all there."""
    from annuaire import workers
    from annuaire.build import generate_site
    from annuaire.model.directory import load_directory
    from annuaire.printing.cache import PrintCache, Store

    settings = copied_site(tmp_path)
    monkeypatch.setattr(workers, "BEHIND_FROM", 1)  # the fixture's 700 pages count as a large site
    swept_by = tmp_path / "balaye-par.txt"
    real_sweep = Store.forget_all_but

    def noted(self: Store, *args: object, **kwargs: object) -> None:
        with swept_by.open("a", encoding="utf-8") as note:
            note.write(f"{os.getpid()}\n")
        real_sweep(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "forget_all_but", noted)
    assert settings.cache_dir is not None
    stale = [settings.cache_dir / "publies" / ("0" * 64 + ".html"), settings.cache_dir / "rendus" / ("1" * 64 + ".rendu")]
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("d’une construction d’avant", encoding="utf-8")
        os.utime(path, (two_days_ago, two_days_ago))

    site = generate_site(load_directory(settings), settings, PrintCache(settings.cache_dir))
    workers.settle()

    assert not [path for path in stale if path.exists()]
    assert site.stored() and all(os.path.isfile(path) for path in site.stored())
    sweepers = swept_by.read_text(encoding="utf-8").split()
    assert len(sweepers) == 2 and str(os.getpid()) not in sweepers  # both stores, beside the build


def test_the_data_health_and_yearly_report_are_made_beside_the_build_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The data's health pages, its call sheets and the yearly report are made in another
    process while this one makes the print files and the directory's pages: the same pages and
    files as a build without a cache, which makes them itself."""
    import annuaire.build as build
    from annuaire.model.directory import load_directory
    from annuaire.printing.cache import PrintCache
    from annuaire.site.coverage import REPORT_PDF

    made_by = tmp_path / "fait-par.txt"
    real_health = build.health

    def noted(*args: object, **kwargs: object) -> object:
        with made_by.open("a", encoding="utf-8") as note:
            note.write(f"{os.getpid()}\n")
        return real_health(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "health", noted)
    settings = copied_site(tmp_path / "avec")
    directory = load_directory(settings)
    beside = build.generate_site(directory, settings, PrintCache(settings.cache_dir))
    assert made_by.read_text(encoding="utf-8").split() != [str(os.getpid())]
    made_by.unlink()
    alone = build.generate_site(directory, dataclasses.replace(settings, cache_dir=None), PrintCache(None))
    assert made_by.read_text(encoding="utf-8").split() == [str(os.getpid())]

    upkeep = [src for src in alone.pages if src.startswith("donnees/qualite/")]
    assert upkeep and [src for src in beside.pages if src.startswith("donnees/qualite/")] == upkeep
    for src in upkeep:
        assert bytes(beside.pages[src].body) == alone.pages[src].html.encode("utf-8")  # type: ignore[arg-type]
    sheets = [path for path in alone.files if path.startswith("donnees/qualite/appels-")]
    assert len(sheets) > 1 and REPORT_PDF in alone.files
    for path in [*sheets, REPORT_PDF]:
        assert bytes(beside.files[path]) == bytes(alone.files[path])  # type: ignore[arg-type]
