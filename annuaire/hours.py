"""Opening hours in OpenStreetMap `opening_hours` syntax: checking, weekly intervals, French words.

Parsing is delegated to opening-hours-py (the Rust `opening-hours` crate): we never hand-write
an OSM parser.
"""

from __future__ import annotations

import opening_hours


def syntax_error(expression: str) -> str | None:
    """None when `expression` parses, else a short French explanation for a contributor."""
    try:
        opening_hours.OpeningHours(expression)
    except (SyntaxError, opening_hours.ParserError):
        return "horaires illisibles (format OpenStreetMap attendu)"
    return None
