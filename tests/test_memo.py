"""Records of unchanged files are taken back from the last build instead of being read and
checked again: the problems a contributor sees must be exactly those of a check from scratch,
after a correction, a new day, or with a damaged memo."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from support import copied_site

from annuaire.data import memo
from annuaire.model.directory import check_directory
from annuaire.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return copied_site(tmp_path)


def _texts(settings: Settings) -> list[str]:
    return [p.text() for p in check_directory(settings).problems]


def _without_memo(settings: Settings) -> list[str]:
    return _texts(dataclasses.replace(settings, cache_dir=None))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_check_reports_the_same_problems_and_places(settings: Settings) -> None:
    first = check_directory(settings)
    assert (settings.cache_dir / "fiches" / memo.FILE).is_file()
    again = check_directory(settings)
    assert [p.text() for p in again.problems] == [p.text() for p in first.problems] == _without_memo(settings)
    assert again.directory is not None and first.directory is not None
    assert [(p.url_path, p.telephone, p.horaires) for p in again.directory.places] == \
        [(p.url_path, p.telephone, p.horaires) for p in first.directory.places]


def test_a_broken_then_corrected_record_is_checked_again(settings: Settings) -> None:
    record = settings.places_dir / "poitiers" / "mediatheque-des-essais.yml"
    before = _texts(settings)
    _edit(record, "date_maj: '2023-06-01'", "date_maj: '2023-13-01'")
    broken = _texts(settings)
    assert broken == _without_memo(settings)
    new = [t for t in broken if t not in before]
    assert new and all(t.startswith("places/poitiers/mediatheque-des-essais.yml:") for t in new)
    assert check_directory(settings).directory is None  # the build stops
    _edit(record, "date_maj: '2023-13-01'", "date_maj: '2023-06-01'")
    assert _texts(settings) == before


def test_a_date_in_the_future_stops_being_a_problem_the_day_it_comes(settings: Settings) -> None:
    record = settings.places_dir / "poitiers" / "mediatheque-des-essais.yml"
    _edit(record, "date_maj: '2023-06-01'", "date_maj: '2025-01-20'")  # five days after the fixture's today
    future = _texts(settings)
    assert any("mediatheque-des-essais.yml" in t and "date_maj" in t for t in future)
    later = dataclasses.replace(settings, today=date(2025, 1, 25))
    assert not any("mediatheque-des-essais.yml" in t and "date_maj" in t for t in _texts(later))
    assert _texts(later) == _without_memo(later)


def test_the_next_day_checks_again_only_the_records_the_day_can_change(
    settings: Settings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The nightly publication: records whose problems cannot change with the day are taken
    back; one with a date in the future, or whose hint shows today's date, is checked again."""
    from annuaire.validation import places

    checked: list[str] = []
    check_record = places._check_record
    monkeypatch.setattr(places, "_check_record", lambda record, *rest: checked.append(record.path.name)
                        or check_record(record, *rest))
    future = settings.places_dir / "poitiers" / "mediatheque-des-essais.yml"
    _edit(future, "date_maj: '2023-06-01'", "date_maj: '2025-01-20'")
    undated = settings.places_dir / "buxerolles" / "point-numerique-du-moulin.yml"
    text = undated.read_text(encoding="utf-8")
    undated.write_text(text.replace("date_maj:", "date_verification: 'hier'\nverification_moyen: téléphone\ndate_maj:", 1),
                       encoding="utf-8")  # the hint's example is today's date
    first = _texts(settings)
    assert len(checked) == len(list(settings.places_dir.rglob("*.yml")))
    assert any("'2025-01-15'" in t and "point-numerique-du-moulin.yml" in t for t in first)
    checked.clear()

    next_day = dataclasses.replace(settings, today=date(2025, 1, 16))
    again = _texts(next_day)

    assert sorted(checked) == ["mediatheque-des-essais.yml", "point-numerique-du-moulin.yml"]
    assert any("'2025-01-16'" in t and "point-numerique-du-moulin.yml" in t for t in again)
    assert again == _without_memo(next_day)


def test_a_damaged_memo_is_ignored(settings: Settings) -> None:
    expected = _texts(settings)
    (settings.cache_dir / "fiches" / memo.FILE).write_bytes(b"\x80\x05 pas un pickle")
    assert _texts(settings) == expected
    (settings.cache_dir / "fiches" / memo.FILE).write_bytes(b"")
    assert _texts(settings) == expected


def test_a_deleted_record_is_forgotten(settings: Settings) -> None:
    check_directory(settings)
    (settings.places_dir / "poitiers" / "mediatheque-des-essais.yml").unlink()
    checked = check_directory(settings)
    assert checked.directory is not None
    assert not any(p.url_path.endswith("mediatheque-des-essais/") for p in checked.directory.places)
    assert [p.text() for p in checked.problems] == _without_memo(settings)


def test_a_problem_across_records_points_to_the_line_of_a_record_taken_back(settings: Settings) -> None:
    """The memo keeps where each value starts packed, made into positions only when a check
    across records asks: the line it gives must be the record's own."""
    check_directory(settings)  # every record is now taken back from the memo
    original = settings.places_dir / "poitiers" / "mediatheque-des-essais.yml"
    text = original.read_text(encoding="utf-8")
    original.with_name("mediatheque-des-essais-bis.yml").write_text(text, encoding="utf-8")
    texts = _texts(settings)
    assert texts == _without_memo(settings)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("id:"))
    assert any(t.startswith(f"places/poitiers/mediatheque-des-essais.yml:{line}:") for t in texts), texts


def test_a_place_keeps_its_key_until_its_record_or_the_reference_data_changes(settings: Settings) -> None:
    """The build's memos know a place by the key of its record as read (`Directory.place_keys`):
    a correction gives a new key to the corrected place only, and new reference data to all."""
    first = check_directory(settings).directory
    assert first is not None and len(first.place_keys) == len(first.places) + len(first.closed)
    record = settings.places_dir / "poitiers" / "mediatheque-des-essais.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("05 49 00 00 13", "05 49 00 00 99"), encoding="utf-8")

    second = check_directory(settings).directory

    assert second is not None
    changed = {file for file, key in second.place_keys.items() if first.place_keys[file] != key}
    assert changed == {next(p.file for p in second.places if p.telephone and p.telephone.endswith("99"))}
    copy = settings.root / "territoire" / settings.territory_file.name  # never the real data
    copy.parent.mkdir()
    copy.write_bytes(settings.territory_file.read_bytes() + b"\n")
    third = check_directory(dataclasses.replace(settings, territory_file=copy)).directory
    assert third is not None
    assert all(third.place_keys[file] != key for file, key in second.place_keys.items())
