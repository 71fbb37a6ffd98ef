"""A contributor gets back exactly what they typed, and problems point at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire.data.records import Position, RecordSyntaxError, load_records, parse_record

UNQUOTED = """\
# yaml-language-server: $schema=../../schemas/lieu.schema.json
telephone: 0612345670
horaire_simple: 14:30
accessible_fauteuil_roulant: no
code_postal: 07100
autre: yes
latitude: 1e3
date_maj: 2024-08-01
services:
  - Aide aux démarches administratives
  - 0549
"""


def line_col(text: str, needle: str) -> Position:
    """Where `needle` starts in `text`, counted like an editor (1-based)."""
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Position(line, column)


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("telephone", "0612345670"),  # YAML 1.1 would read an octal/int and drop the 0
        ("horaire_simple", "14:30"),  # YAML 1.1 would read 870 (sexagesimal)
        ("accessible_fauteuil_roulant", "no"),  # YAML 1.1 would read False
        ("code_postal", "07100"),  # leading zero of a postcode must survive
        ("autre", "yes"),
        ("latitude", "1e3"),  # numbers are typed later, by the validation
        ("date_maj", "2024-08-01"),  # not a datetime.date
    ],
)
def test_unquoted_values_come_back_as_the_exact_text(field: str, typed: str) -> None:
    record = parse_record(UNQUOTED, Path("x.yml"))
    assert record.data[field] == typed
    assert type(record.data[field]) is str


def test_list_items_stay_text_too() -> None:
    record = parse_record(UNQUOTED, Path("x.yml"))
    assert record.data["services"] == ["Aide aux démarches administratives", "0549"]


def test_positions_point_at_each_value_and_key() -> None:
    record = parse_record(UNQUOTED, Path("x.yml"))
    assert record.position("telephone") == line_col(UNQUOTED, "0612345670")
    assert record.position("date_maj") == line_col(UNQUOTED, "2024-08-01")
    assert record.position("services[1]") == line_col(UNQUOTED, "0549\n")
    assert record.key_positions["code_postal"] == line_col(UNQUOTED, "code_postal:")
    # A field that is not in the file points at the start of the file, never raises.
    assert record.position("absent") == Position(1, 1)


def test_duplicate_key_is_remembered_where_it_is_written_again() -> None:
    text = "id: a\nnom: Premier\nnom: Second\n"
    record = parse_record(text, Path("x.yml"))
    assert record.duplicate_keys == [("nom", Position(3, 1))]


def test_syntax_error_has_a_french_message_and_a_line() -> None:
    text = "id: a\nnom: Espace: numérique\n"
    with pytest.raises(RecordSyntaxError) as caught:
        parse_record(text, Path("x.yml"))
    assert caught.value.position.line == 2
    assert caught.value.message == "deux-points inattendu"
    assert "guillemets" in caught.value.hint


def test_load_records_returns_unreadable_files_instead_of_raising(tmp_path: Path) -> None:
    (tmp_path / "bon.yml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "casse.yml").write_text("id: [a\n", encoding="utf-8")
    (tmp_path / "latin1.yml").write_bytes("nom: Châtellerault\n".encode("latin-1"))
    records, errors = load_records(tmp_path)
    assert [r.path.name for r in records] == ["bon.yml"]
    assert sorted(e.path.name for e in errors) == ["casse.yml", "latin1.yml"]
    assert any("UTF-8" in e.message for e in errors)


def _texts() -> list[tuple[str, str]]:
    """Every record text the tests know: real places, fixtures, and the hostile table."""
    from test_hostile import CASES

    root = Path(__file__).resolve().parents[1]
    texts = [(str(p.relative_to(root)), p.read_text(encoding="utf-8"))
             for folder in (root / "places", root / "tests" / "fixtures") for p in sorted(folder.rglob("*.yml"))]
    texts += [(f"{name}:{file}", text) for name, files, _today, _expected in CASES
              for file, text in files.items() if file.endswith(".yml")]
    texts += [("alias", "id: a\nnom: &n bonjour\nadresse: *n\n"), ("plain-empty", "id: a\nnom:\nx: ''\n"),
              ("tab", "id: a\nnom:\tb\n"), ("ancre", "id: &a a\n")]
    return texts


def _read(text: str) -> object:
    try:
        return parse_record(text, Path("fiche.yml"))
    except RecordSyntaxError as error:
        return str(error), error.hint


def test_the_quick_reader_gives_the_same_record_or_the_same_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are read by libyaml (C) when they have no problem, else by the careful reader
    that explains it: a contributor must get the same values, lines and messages either way."""
    import annuaire.data.records as records

    texts = _texts()
    assert len(texts) > 150
    quick = [_read(text) for _name, text in texts]
    monkeypatch.setattr(records, "_compose_quickly", lambda text: None)
    careful = [_read(text) for _name, text in texts]
    different = [name for (name, _text), a, b in zip(texts, quick, careful) if a != b]
    assert different == []
