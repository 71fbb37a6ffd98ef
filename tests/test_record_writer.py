"""Records written by scripts read back as the same text in YAML 1.1 (PyYAML) and 1.2 (editors)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from annuaire.data.records import parse_record
from annuaire.importers.record_writer import dump_record

TRICKY = ["0549526766", "0612345670", "86000", "07100", "14:30", "no", "yes", "on", "true",
          "null", "~", "1e3", "2024-08-01", "1.5", ".5", "0x1F", "+33549526766"]


@pytest.mark.parametrize("value", TRICKY)
def test_text_that_looks_like_another_type_is_quoted(value: str) -> None:
    text = dump_record({"nom": value})
    assert parse_record(text, Path("x.yml")).data["nom"] == value
    # A YAML 1.1 reader with type resolution gets the same text back.
    assert yaml.safe_load(text)["nom"] == value
    # A YAML 1.2 reader resolves every unquoted number-like or boolean-like scalar: quoted is safe.
    line = next(row for row in text.splitlines() if row.startswith("nom:"))
    assert line.split(": ", 1)[1][0] in "'\"", line


def test_fields_follow_the_standard_order_and_lists_are_block_lists() -> None:
    text = dump_record({"date_maj": "2024-08-01", "services": ["A", "B"], "nom": "Lieu", "id": "x"})
    lines = [row for row in text.splitlines() if not row.startswith("#")]
    assert lines == ["id: x", "nom: Lieu", "services:", "  - A", "  - B", "date_maj: '2024-08-01'"]
