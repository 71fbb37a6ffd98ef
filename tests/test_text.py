"""Slugs, loose name keys and French dates and times, as residents and URLs see them."""

from __future__ import annotations

from datetime import date

import pytest

from annuaire.text import SLUG_PATTERN, french_date, french_time, search_key, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Châtellerault", "chatellerault"),
        ("L'Isle-Jourdain", "l-isle-jourdain"),
        ("France services de Saint-Julien-l'Ars", "france-services-de-saint-julien-l-ars"),
        ("Maison de l'Œuvre", "maison-de-l-oeuvre"),
        ("ACLÉ (ASSOCIATION COMMUNIQUER LIRE ECRIRE)", "acle-association-communiquer-lire-ecrire"),
    ],
)
def test_slugs_are_readable_ascii(name: str, slug: str) -> None:
    assert slugify(name) == slug
    assert SLUG_PATTERN.match(slug)


def test_search_key_folds_case_accents_punctuation_and_saint() -> None:
    assert search_key("ST GEORGES-LES-BAILLARGEAUX") == search_key("Saint-Georges-lès-Baillargeaux")
    assert search_key("Ste Radegonde") == "sainte radegonde"


def test_french_dates_and_times() -> None:
    assert french_date(date(2024, 8, 1)) == "1er août 2024"
    assert french_date(date(2022, 6, 22)) == "22 juin 2022"
    assert french_time(9, 0) == "9 h"
    assert french_time(13, 30) == "13 h 30"
    assert french_time(8, 5) == "8 h 05"
