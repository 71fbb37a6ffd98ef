"""Straight-line distances on the Earth, in one place for every feature that needs them.

Why straight lines: the site is static and calls no routing service; "à 12 km à vol d'oiseau"
is honest and enough to tell the nearest places apart in a rural département.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_KM = 6371.0088

Position = tuple[float, float]  # (latitude, longitude), WGS 84


def km_between(a: Position, b: Position) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


class Points:
    """Many positions prepared once, so that the distances from one origin to all of them are
    computed in one numpy expression: every commune ranks every place (at 1,000 places and
    265 communes, half a million distances on each build)."""

    def __init__(self, positions: Sequence[Position]) -> None:
        self._lat = np.radians(np.array([p[0] for p in positions], dtype=float))
        self._lon = np.radians(np.array([p[1] for p in positions], dtype=float))
        self._cos = np.cos(self._lat)

    def __len__(self) -> int:
        return len(self._lat)

    def fingerprint(self) -> bytes:
        """The positions' exact bytes: what a distance kept from another build was computed from."""
        return self._lat.tobytes() + self._lon.tobytes()

    def km_array(self, origin: Position) -> np.ndarray:
        """`km_between(origin, p)` for every position, in order (same formula)."""
        lat1, lon1 = math.radians(origin[0]), math.radians(origin[1])
        h = np.sin((self._lat - lat1) / 2) ** 2 + math.cos(lat1) * self._cos * np.sin((self._lon - lon1) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
