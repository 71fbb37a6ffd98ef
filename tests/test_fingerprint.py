"""The version of the files pages load: it changes when one of them changes, and only then,
so that a browser keeps a stylesheet exactly as long as it is the one the pages expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire.fingerprint import files_version, versioned


def test_the_version_changes_with_a_stylesheet_and_only_with_it(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "extra.css").write_text(".lieu { color: #222; }\n", encoding="utf-8")
    first = files_version([assets])
    assert files_version([assets]) == first
    (assets / "extra.css").write_text(".lieu { color: #000; }\n", encoding="utf-8")
    changed = files_version([assets])
    assert changed != first
    (assets / "nouveau.css").write_text("", encoding="utf-8")
    assert files_version([assets]) not in (first, changed)


@pytest.mark.parametrize(("address", "version", "expected"), [
    ("assets/extra.css", "0123456789ab", "assets/extra.css?v=0123456789ab"),
    ("assets/extra.css?v=old", "0123456789ab", "assets/extra.css?v=0123456789ab"),  # `mkdocs serve`'s next build
    ("assets/annuaire/statut.js", "", "assets/annuaire/statut.js"),  # no version given: the plain address
    ("", "0123456789ab", "?v=0123456789ab"),  # what the templates put after an address
])
def test_an_address_asks_for_one_version(address: str, version: str, expected: str) -> None:
    assert versioned(address, version) == expected
