"""The communes' rankings and the coverage are given back by the last build when the places'
positions did not change (`annuaire/distance_memo.py`): a corrected phone number measures no
distance again, a moved place is measured again, and what a build gives back is always what
it would have computed."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import copied_site

from annuaire import distance_memo, workers
from annuaire.model.coverage import Coverage, coverage
from annuaire.model.directory import Directory, load_directory
from annuaire.model.nearest import located, rank
from annuaire.settings import Settings

TILLEULS = Path("poitiers") / "espace-numerique-des-tilleuls.yml"


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the memo computed instead of giving back: « coverage », and one « rank » per commune."""
    seen: list[str] = []

    def counted_rank(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append("rank")
        return rank(*args, **kwargs)

    def counted_coverage(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append("coverage")
        return coverage(*args, **kwargs)

    monkeypatch.setattr(distance_memo, "rank", counted_rank)
    monkeypatch.setattr(distance_memo, "coverage", counted_coverage)
    monkeypatch.setattr(workers, "cores", lambda: 1)  # ranked in this process, so counted here
    return seen


def with_memo(settings: Settings) -> tuple[Directory, Coverage]:
    """A directory with its rankings, and the coverage, as a build prepares them."""
    directory = load_directory(settings)
    assert settings.cache_dir is not None
    memo = distance_memo.DistanceMemo(settings.cache_dir / "distances", "code")
    covered = memo.coverage(directory.places, directory.territory, settings.white_zone_km)
    memo.rank_communes(directory)
    workers.settle()
    return directory, covered


def rankings(directory: Directory) -> dict[str, list[tuple[str, float]]]:
    return {c.code_insee: [(n.place.url_path, n.km) for n in directory.ranked_from(c)]
            for c in directory.territory.communes}


def anew(settings: Settings) -> tuple[dict[str, list[tuple[str, float]]], Coverage]:
    """What a build without any memo computes."""
    directory = load_directory(settings)
    fresh = {c.code_insee: [(n.place.url_path, n.km) for n in rank(directory.territory.position(c.code_insee),
                                                                     located(directory.places, directory.territory))]
             for c in directory.territory.communes}
    return fresh, coverage(directory.places, directory.territory, settings.white_zone_km)


def edit(settings: Settings, old: str, new: str) -> None:
    record = settings.places_dir / TILLEULS
    text = record.read_text(encoding="utf-8")
    assert old in text
    record.write_text(text.replace(old, new), encoding="utf-8")


def test_a_corrected_phone_number_measures_no_distance_again(tmp_path: Path, computed: list[str]) -> None:
    settings = copied_site(tmp_path)
    with_memo(settings)
    assert computed.count("coverage") == 1 and computed.count("rank") == 265
    edit(settings, "+33549000012", "+33549000099")
    computed.clear()

    directory, covered = with_memo(settings)

    assert computed == []
    fresh_rankings, fresh_coverage = anew(settings)
    assert rankings(directory) == fresh_rankings
    assert covered == fresh_coverage
    # Given back with this build's places: the corrected phone number is the one they show.
    tilleuls = next(n.place for n in directory.ranked_from(directory.territory.communes[0])
                    if n.place.file.endswith(TILLEULS.as_posix()))
    assert tilleuls.telephone == "+33549000099"
    reaches = [r for c in covered.communes for r in c.reaches if r.place is not None and r.place.nom == tilleuls.nom]
    assert reaches and all(r.place is tilleuls for r in reaches)


def test_a_moved_place_is_measured_again_from_where_it_is_now(tmp_path: Path, computed: list[str]) -> None:
    settings = copied_site(tmp_path)
    before, covered_before = with_memo(settings)
    # From Poitiers to Montmorillon, 45 km away: the rankings and the coverage change.
    edit(settings, "latitude: 46.5802\nlongitude: 0.3404", "latitude: 46.4265\nlongitude: 0.8706")
    computed.clear()

    directory, covered = with_memo(settings)

    assert "coverage" in computed and computed.count("rank") == 265
    fresh_rankings, fresh_coverage = anew(settings)
    assert rankings(directory) == fresh_rankings != rankings(before)
    assert covered == fresh_coverage
    assert kms(covered) != kms(covered_before)
    nearer = list(zip(kms(covered, "Montmorillon"), kms(covered_before, "Montmorillon"), strict=True))
    assert all(now <= then for now, then in nearer) and any(now < then for now, then in nearer)


def kms(covered: Coverage, commune: str | None = None) -> list[float]:
    """How far help is, per commune (or in one) and need."""
    return [r.km if r.km is not None else float("inf") for c in covered.communes for r in c.reaches
            if commune is None or c.commune.nom == commune]


def test_a_damaged_memo_is_computed_again_without_a_word(tmp_path: Path, computed: list[str]) -> None:
    settings = copied_site(tmp_path)
    with_memo(settings)
    assert settings.cache_dir is not None
    for name in (distance_memo.RANKINGS, distance_memo.COVERAGE):
        (settings.cache_dir / "distances" / name).write_bytes(b"\x80\x05 pas un pickle")
    computed.clear()

    directory, covered = with_memo(settings)

    assert computed.count("coverage") == 1 and computed.count("rank") == 265
    fresh_rankings, fresh_coverage = anew(settings)
    assert rankings(directory) == fresh_rankings and covered == fresh_coverage
