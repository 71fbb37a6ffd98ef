"""Load place records from YAML so that text stays text, and remember where each value is.

PyYAML's normal loaders follow YAML 1.1: `0612345670` becomes an octal number, `14:30`
becomes 870 and `no` becomes False. A contributor who writes a phone number or an hour
without quotes must get back exactly what they typed, so we never let PyYAML resolve
types: we compose the node tree and keep every scalar as the string written in the file.
Typing (numbers for coordinates) is done later, field by field, by the validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

# A value as loaded: strings, lists and dicts only (never int, float, bool or date).
Raw = str | list["Raw"] | dict[str, "Raw"] | None


@dataclass(frozen=True)
class Position:
    """1-based line and column in a file, as editors and GitHub annotations count them."""

    line: int
    column: int


@dataclass
class Record:
    """One YAML file as written by a contributor.

    `data` holds the mapping with every scalar as text. `positions` maps a field path
    (`"horaires"`, `"services[1]"`) to where its value starts, so that any problem can be
    reported at the right line.
    """

    path: Path
    data: dict[str, Raw]
    positions: dict[str, Position] = field(default_factory=dict)
    key_positions: dict[str, Position] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, Position]] = field(default_factory=list)

    def position(self, field_path: str) -> Position:
        """Where to point a reader for `field_path`: the value, the key, else the file start."""
        if field_path in self.positions:
            return self.positions[field_path]
        base = field_path.split("[", 1)[0]
        return self.positions.get(base) or self.key_positions.get(base) or Position(1, 1)


class RecordSyntaxError(Exception):
    """A file that is not readable YAML, or whose top level is not a mapping."""

    def __init__(self, path: Path, position: Position, message: str) -> None:
        super().__init__(f"{path}:{position.line}:{position.column}: {message}")
        self.path = path
        self.position = position
        self.message = message


def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, prefix: str, record: Record) -> Raw:
    """Turn a composed node into text/list/dict, recording the position of each value."""
    if prefix:
        record.positions[prefix] = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        # An empty plain scalar (`champ:` with nothing after) is "no value", like JSON null.
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(child, f"{prefix}[{index}]", record)
            for index, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Raw] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{prefix}.{key}" if prefix else key
            if key in result:
                record.duplicate_keys.append((path, _pos(key_node)))
            record.key_positions[path] = _pos(key_node)
            result[key] = _convert(value_node, path, record)
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover


def _syntax_message(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error)
    translations = {
        "mapping values are not allowed here": "deux-points inattendu (mettez la valeur entre guillemets)",
        "could not find expected ':'": "il manque « : » après le nom du champ",
        "found character '\\t' that cannot start any token": "tabulation interdite : indentez avec des espaces",
        "found undefined alias": "« * » en début de valeur : mettez la valeur entre guillemets",
    }
    for english, french in translations.items():
        if english in problem:
            return french
    return f"YAML illisible ({problem})"


def parse_record(text: str, path: Path) -> Record:
    """Parse one record's text. Raises RecordSyntaxError with a French message."""
    record = Record(path=path, data={})
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise RecordSyntaxError(path, position, _syntax_message(error)) from None
    if node is None:
        raise RecordSyntaxError(path, Position(1, 1), "fichier vide")
    if not isinstance(node, yaml.MappingNode):
        raise RecordSyntaxError(
            path, _pos(node), "le fichier doit être une liste de champs « nom: valeur »"
        )
    data = _convert(node, "", record)
    assert isinstance(data, dict)
    record.data = data
    return record


def load_record(path: Path) -> Record:
    """Read and parse one record file (UTF-8)."""
    return parse_record(path.read_text(encoding="utf-8"), path)


def record_files(folder: Path) -> list[Path]:
    """Every record file under `folder`, in a stable order (sorted paths)."""
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def load_records(folder: Path) -> tuple[list[Record], list[RecordSyntaxError]]:
    """Load every record under `folder`; unreadable files are returned, never raised,
    so that a contributor sees all problems at once."""
    records: list[Record] = []
    errors: list[RecordSyntaxError] = []
    for path in record_files(folder):
        try:
            records.append(load_record(path))
        except RecordSyntaxError as error:
            errors.append(error)
        except UnicodeDecodeError:
            errors.append(
                RecordSyntaxError(path, Position(1, 1), "le fichier doit être enregistré en UTF-8")
            )
    return records, errors
