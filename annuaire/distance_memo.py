"""The distances kept between builds (`.cache/…/distances/`): every commune's ranking of the
places, and the coverage.

Both are computed from positions, never from what a page says: a place's ranking from each
commune depends only on where the places are and on their order by name, the nearest help per
need also on the services they offer and where they stop. A corrected phone number, hours or
description moves nothing, yet in a national directory (35,000 communes, 20,000 places) each
build measured 700 million distances again for them: about 45 s of a one-line correction. A
build gives back what the last one kept under the same inputs and the same code, and computes
the rest as before. Like the other memos, only a speed-up: deleting the folder gives the same
site.

Without a kept ranking, every commune is ranked here, on every core, before the pages are made:
the processes that make the pages inherit the rankings, and the partner lists and the inserts
read the same ones instead of ranking every commune again.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import workers
from .atomic import replaced
from .data.geo import Position
from .data.territory import Territory
from .data.vocabulary import NEEDS, Need
from .model.coverage import Coverage, coverage, coverage_inputs, coverage_parts, coverage_restored
from .model.directory import Directory
from .model.nearest import NEAREST_FIRST, Located, Ranking, RankingParts, rank
from .model.places import Place

FORM = "1"  # change when a file's form changes: an older file is then ignored
RANKINGS, COVERAGE = "classements.pickle", "couverture.pickle"
_SLICE = 256  # communes ranked by one task: a ranking's arrays go back to the build in batches


class DistanceMemo:
    """`coverage` and the communes' rankings, with those of the last build (see the module's docstring)."""

    def __init__(self, folder: Path | None, code: str) -> None:
        self._folder = folder
        self._code = code  # `fingerprint.code_digest()`: the code that computes the distances
        self.coverage_key = ""  # set by `coverage`: the digest of what the coverage it gave is computed from

    def coverage(self, places: Sequence[Place], territory: Territory, threshold_km: float,
                 needs: Sequence[Need] = NEEDS) -> Coverage:
        """`model.coverage.coverage(...)`, given back when its inputs did not change."""
        key = self.coverage_key = self._key(coverage_inputs(places, territory, needs))
        parts = self._load(COVERAGE, key)
        if isinstance(parts, list) and len(parts) == len(territory.communes):
            return coverage_restored(parts, places, territory, threshold_km, needs)
        covered = coverage(places, territory, threshold_km, needs)
        self._save_behind(COVERAGE, key, coverage_parts(covered, places), len(territory.communes))
        return covered

    def rank_communes(self, directory: Directory) -> None:
        """Every commune's ranking kept in `directory` (`Directory.ranked_from`): the last
        build's when the places' positions and order did not change, else ranked now."""
        located, territory = directory.located, directory.territory
        codes = [c.code_insee for c in territory.communes]
        origins = [territory.position(code) for code in codes]
        key = self._key(pickle.dumps((NEAREST_FIRST, located.points.fingerprint(), located.ties.tobytes(), origins),
                                     protocol=5))
        parts = self._load(RANKINGS, key)
        if not (isinstance(parts, list) and len(parts) == len(codes)):
            parts = _ranked(located, origins)
            self._save_behind(RANKINGS, key, parts, len(codes))
        directory.keep_rankings({
            code: Ranking.restored(located, origin, part) for code, origin, part in zip(codes, origins, parts, strict=True)
        })

    def _key(self, inputs: bytes) -> str:
        return hashlib.sha256(f"{FORM}\0{self._code}\0".encode() + inputs).hexdigest()

    def _load(self, name: str, key: str) -> Any:
        if self._folder is None:
            return None
        try:
            with (self._folder / name).open("rb") as stream:
                kept_key, kept = pickle.load(stream)  # written by `_save`, in this project's own cache
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return kept if kept_key == key else None

    def _save_behind(self, name: str, key: str, kept: object, items: int) -> None:
        if self._folder is not None:
            file = self._folder / name
            workers.behind(lambda: _save(file, key, kept), items)


def _ranked(located: Located, origins: Sequence[Position | None]) -> list[RankingParts]:
    """Each origin's ranking, on every core (a national directory: 35,000 communes, each
    sorting its nearest among 20,000 places)."""
    slices = [origins[start:start + _SLICE] for start in range(0, len(origins), _SLICE)]
    return [part for made in workers.each(lambda some: [rank(o, located).parts() for o in some], slices, at_least=2)
            for part in made]


def _save(file: Path, key: str, kept: object) -> None:
    with replaced(file) as stream:
        pickle.dump((key, kept), stream, protocol=pickle.HIGHEST_PROTOCOL)
