"""File names of imported records: short, readable, unique within a commune."""

from __future__ import annotations

from ..text import slugify

SLUG_MAX_LENGTH = 60
CONNECTORS = frozenset({"de", "d", "du", "des", "la", "le", "les", "l", "a", "au", "aux", "en", "et"})


def place_slug(name: str, commune_name: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A short, readable file stem: `France services de Gençay` in Gençay → `france-services`."""
    words = slugify(name.replace("@", "a")).split("-")
    commune_words = slugify(commune_name).split("-")
    variants = [commune_words]
    if len(commune_words) > 1 and commune_words[0] in ("le", "la", "les", "l"):
        variants.append(commune_words[1:])
    kept: list[str] = []
    index = 0
    while index < len(words):
        match = next((v for v in variants if words[index:index + len(v)] == v), None)
        if match:
            while kept and kept[-1] in CONNECTORS:
                kept.pop()
            index += len(match)
            continue
        kept.append(words[index])
        index += 1
    while kept and kept[-1] in CONNECTORS:
        kept.pop()
    if len(kept) < 2:
        kept = [w for w in words if w]
    slug = ""
    for word in kept:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    parts = slug.split("-")
    while len(parts) > 1 and parts[-1] in CONNECTORS:
        parts.pop()
    return "-".join(parts) or "lieu"
