"""Straight-line distances on the Earth, in one place for every feature that needs them.

Why straight lines: the site is static and calls no routing service; "à 12 km à vol d'oiseau"
is honest and enough to tell the nearest places apart in a rural département.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088

Position = tuple[float, float]  # (latitude, longitude), WGS 84


def km_between(a: Position, b: Position) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))
