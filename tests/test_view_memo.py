"""A place's view is given back by the last build when nothing it is made from changed
(`annuaire/view_memo.py`): a correction makes only the corrected place's view again, and every
view is the one a build without the memo makes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from support import copied_site

from annuaire import views as views_module
from annuaire import workers
from annuaire.digests import Digests
from annuaire.model.directory import load_directory
from annuaire.settings import Settings
from annuaire.view_memo import FILE, ViewMemo
from annuaire.views import Views, prepare

RECORD = Path("poitiers") / "mediatheque-des-essais.yml"


def kept_views(settings: Settings, digests: Digests | None = None) -> Views:
    assert settings.cache_dir is not None
    memo = ViewMemo(settings.cache_dir / "vues", digests or Digests(), "code")
    views = memo.prepare(load_directory(settings), settings)
    memo.save_behind()
    workers.settle()
    return views


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The places whose view is made (not given back)."""
    names: list[str] = []
    place_view = views_module.place_view

    def counting(place, *args, **kwargs):  # type: ignore[no-untyped-def]
        names.append(place.nom)
        return place_view(place, *args, **kwargs)

    monkeypatch.setattr(views_module, "place_view", counting)
    return names


def same_views(kept: Views, fresh: Views) -> bool:
    """Equal field for field (by their digests: a view holds objects compared by identity)."""
    mine, theirs = Digests(), Digests()
    return kept.by_path.keys() == fresh.by_path.keys() and all(
        mine.of(kept.by_path[path]) == theirs.of(fresh.by_path[path]) for path in fresh.by_path)


def test_a_correction_makes_only_its_places_view_again(tmp_path: Path, made: list[str]) -> None:
    settings = copied_site(tmp_path)
    first = kept_views(settings)
    assert (settings.cache_dir / "vues" / FILE).is_file()  # type: ignore[operator]
    record = settings.places_dir / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("05 49 00 00 13", "05 49 00 00 99"), encoding="utf-8")
    made.clear()

    digests = Digests()
    second = kept_views(settings, digests)

    directory = load_directory(settings)
    corrected = next(p for p in directory.places if p.file.endswith(RECORD.as_posix()))
    assert made == [corrected.nom]
    assert second.of(corrected).phone == "05 49 00 00 99"
    assert len(first.by_path) == len(second.by_path) > 1
    assert same_views(second, prepare(directory, settings))
    # Each view given back holds this build's place, and its digest is the one computed anew.
    for place in directory.places:
        view = second.by_path[place.url_path]
        assert view.place.nom == place.nom and view.place is not first.by_path[place.url_path].place
        assert digests.of(view) == Digests().of(dataclasses.replace(view))


def test_the_next_day_a_view_says_how_old_its_information_is_that_day(tmp_path: Path, made: list[str]) -> None:
    """A view shows the day only in how old its information is: the next day, each view is
    given back with its age in words for that day (« il y a 11 jours »), and none is made again."""
    settings = copied_site(tmp_path)
    record = settings.places_dir / RECORD  # updated ten days ago
    record.write_text(record.read_text(encoding="utf-8").replace(
        "date_maj: '2023-06-01'", f"date_maj: '{settings.today - timedelta(days=10)}'"), encoding="utf-8")
    first = kept_views(settings)
    made.clear()
    tomorrow = dataclasses.replace(settings, today=settings.today + timedelta(days=1))
    views = kept_views(tomorrow)
    assert made == []
    corrected = next(path for path in views.by_path if "mediatheque-des-essais" in path)
    assert "il y a 10 jours" in first.by_path[corrected].freshness.sentence  # type: ignore[union-attr]
    assert "il y a 11 jours" in views.by_path[corrected].freshness.sentence  # type: ignore[union-attr]
    assert same_views(views, prepare(load_directory(tomorrow), tomorrow))


def test_a_damaged_memo_is_made_again_without_a_word(tmp_path: Path, made: list[str]) -> None:
    settings = copied_site(tmp_path)
    kept_views(settings)
    (settings.cache_dir / "vues" / FILE).write_bytes(b"\x80\x05 pas un pickle")  # type: ignore[operator]
    made.clear()
    views = kept_views(settings)
    assert len(made) == len(views.by_path)
    assert same_views(views, prepare(load_directory(settings), settings))
