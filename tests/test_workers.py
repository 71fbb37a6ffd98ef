"""Work done on a second core while the build goes on (`workers.soon`): what comes back is what
the build would have made itself, and a failure there is never a silent hole in the site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import ROOT, fixture_settings

from annuaire import workers
from annuaire.build import generate_site
from annuaire.exports import geodata
from annuaire.model.directory import load_directory
from annuaire.printing.cache import PrintCache
from annuaire.site import open_data

FIXTURE = ROOT / "tests" / "fixtures" / "site"


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)


def test_work_begun_in_the_background_is_done_by_another_process(two_cores: None) -> None:
    build = os.getpid()
    result = workers.soon(lambda: (os.getpid(), "Données ouvertes"))
    worker, text = result()
    assert text == "Données ouvertes"
    assert worker != build


def test_work_that_fails_in_the_background_is_done_again_here(two_cores: None) -> None:
    build = os.getpid()

    def only_here() -> str:
        if os.getpid() != build:
            raise OSError("disque plein")
        return "fait par la construction"

    assert workers.soon(only_here)() == "fait par la construction"


def test_an_error_in_the_background_is_raised_with_its_own_message(two_cores: None) -> None:
    def broken() -> None:
        raise ValueError("fiche illisible : lieux/poitiers/x.yml")

    waiting = workers.soon(broken)
    with pytest.raises(ValueError, match="lieux/poitiers/x.yml"):
        waiting()


def test_open_data_made_in_the_background_is_what_a_build_without_cache_publishes(
    tmp_path: Path, two_cores: None,
) -> None:
    """With a cache, the CSV, JSON and GeoJSON files are written by a second process; a partner
    downloads the same bytes as from a build that made them itself."""
    made = {}
    for name, cache in (("sans cache", None), ("avec cache", tmp_path / "cache")):
        settings = fixture_settings(FIXTURE, cache_dir=cache)
        site = generate_site(load_directory(settings), settings, PrintCache(settings.cache_dir))
        made[name] = {path: bytes(site.files[path]) if not isinstance(site.files[path], str)
                      else site.files[path].encode() for path in (open_data.CSV_FILE, open_data.JSON_FILE, geodata.GEOJSON, geodata.COMMUNES_JSON)}
        if cache is not None:
            assert all(not isinstance(site.files[path], bytes) for path in made[name])  # linked from the cache
    assert made["avec cache"] == made["sans cache"]
    for path in (open_data.CSV_FILE, open_data.JSON_FILE, geodata.GEOJSON):
        assert "Point numérique du Moulin".encode() in made["avec cache"][path]


def test_a_memo_kept_behind_the_build_is_written_once_settled(tmp_path: Path, two_cores: None) -> None:
    """The records' memo of a large directory is written by another process while the build goes
    on (`workers.behind`); `settle` (the end of a build) waits for it. A small one is written now."""
    def keep(name: str) -> None:
        (tmp_path / name).write_text(str(os.getpid()), encoding="utf-8")

    workers.behind(lambda: keep("grand"), items=workers.BEHIND_FROM)
    workers.behind(lambda: keep("petit"), items=workers.BEHIND_FROM - 1)
    assert (tmp_path / "petit").read_text(encoding="utf-8") == str(os.getpid())
    workers.settle()
    assert (tmp_path / "grand").read_text(encoding="utf-8") not in ("", str(os.getpid()))
