"""The nightly publication (the same records, one day later) must not redo what the day does
not change: what the search reads of each page stays the same, so the index is kept (at 20,000
places, indexing again took 28 s of every night, for one sentence giving the build day)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from support import fixture_directory, fixture_settings, fixture_site

from annuaire.build import Site
from annuaire.site import search

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "site"


def searched(site: Site) -> dict[str, bytes]:
    """What the search index reads of each searchable page (its elements not marked ignored)."""
    return {src: search._indexed(page.utf8()) for src, page in site.pages.items() if page.searchable}


def test_what_the_search_reads_does_not_change_from_one_day_to_the_next() -> None:
    settings = fixture_settings(FIXTURE)
    directory = fixture_directory(FIXTURE)
    today = searched(fixture_site(directory, settings))
    tomorrow_settings = dataclasses.replace(settings, today=settings.today + timedelta(days=1))
    tomorrow = searched(fixture_site(fixture_directory(FIXTURE, today=tomorrow_settings.today), tomorrow_settings))

    assert today.keys() == tomorrow.keys()
    assert [src for src in today if today[src] != tomorrow[src]] == []
    assert "donnees/index.md" in today  # the page that said the build day
