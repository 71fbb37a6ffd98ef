"""The checks shared by the place and workshop validators say the same thing in both."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from support import TERRITORY_FILE

from annuaire.data.territory import Territory
from annuaire.problems import visible
from annuaire.validation.checks import (
    HTTPS_PATTERN,
    commune_named,
    date_problem,
    field_path,
    iso_from_french,
    time_problem,
    url_problem,
)

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def _patterns(node: object) -> set[str]:
    """Every `pattern` of a JSON schema that starts with `^https://`."""
    found: set[str] = set()
    if isinstance(node, dict):
        pattern = node.get("pattern")
        if isinstance(pattern, str) and pattern.startswith("^https://"):
            found.add(pattern)
        for value in node.values():
            found |= _patterns(value)
    elif isinstance(node, list):
        for value in node:
            found |= _patterns(value)
    return found


@pytest.mark.parametrize("name", ["lieu.schema.json", "atelier.schema.json"])
def test_web_addresses_follow_the_same_rule_as_the_schemas(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert _patterns(schema) == {HTTPS_PATTERN.pattern}


def test_a_french_date_gets_its_iso_spelling() -> None:
    assert iso_from_french("1/8/2024") == "2024-08-01"
    message, hint = date_problem("01/08/2024", "2026-01-06") or ("", "")
    assert "année-mois-jour" in message and "'2024-08-01'" in hint
    assert date_problem("2024-02-30", "2026-01-06") == (
        "la date 2024-02-30 n’existe pas", "vérifiez le jour et le mois"
    )
    assert date_problem("2024-02-29", "2026-01-06") is None


def test_a_loose_time_gets_its_hh_mm_spelling() -> None:
    assert time_problem("14:30") is None
    assert "'14:30'" in (time_problem("14h30") or ("", ""))[1]
    assert "'09:00'" in (time_problem("9h") or ("", ""))[1]
    assert "'14:30'" in (time_problem("midi") or ("", ""))[1]  # the example


def test_only_https_addresses_are_accepted() -> None:
    assert url_problem("https://www.exemple.fr/a?b=c") is None
    assert "`https://www.exemple.fr`" in (url_problem("http://www.exemple.fr") or ("", ""))[1]
    assert "`https://www.exemple.fr`" in (url_problem("www.exemple.fr") or ("", ""))[1]
    assert url_problem("javascript:alert(1)") is not None


def test_field_paths_match_the_record_positions() -> None:
    assert field_path(["services", 2]) == "services[2]"
    assert field_path(["recurrence", "sauf", 0, "du"]) == "recurrence.sauf[0].du"


def test_a_commune_is_found_by_a_loose_name_or_explained() -> None:
    territory = Territory.load(TERRITORY_FILE)
    commune, problem = commune_named(territory, "CHATELLERAULT")
    assert commune is not None and commune.nom == "Châtellerault" and problem == ""
    commune, problem = commune_named(territory, "Poitier")
    assert commune is None and "introuvable dans la Vienne" in problem and "Poitiers" in problem


def test_a_quoted_value_shows_every_control_or_invisible_character_and_nothing_else() -> None:
    """A message quotes what the contributor wrote: a line break or a right-to-left override in
    it must show as an escape (the log line stays one line, reads in order), all other text as is."""
    invisible = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf")}
    assert visible("Médiathèque « L’Envol », 05 49 00 00 00\u00a0; ok") == "Médiathèque « L’Envol », 05 49 00 00 00\u00a0; ok"
    assert visible("a\nb\u202ec\u00add\te") == "a\\nb\\u202ec\\u00add\\te"
    changed = {c for c in map(chr, range(0x110000)) if visible(c) != c}
    assert changed == invisible
