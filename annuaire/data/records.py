"""Load records from YAML so that text stays text, within bounds, and remember where each value is.

PyYAML's normal loaders follow YAML 1.1: `0612345670` becomes an octal number, `14:30`
becomes 870 and `no` becomes False. A contributor who writes a phone number or an hour
without quotes must get back exactly what they typed, so we never let PyYAML resolve
types: we compose the node tree and keep every scalar as the string written in the file.
Typing (numbers for coordinates) is done later, field by field, by the validation.

Anyone can propose a record, so reading one is bounded (limits stated in CONTRIBUTING.md): a
file of at most `MAX_FILE_BYTES`, no YAML aliases (`*nom`: a few bytes of them can expand to
gigabytes), at most `MAX_DEPTH` levels and `MAX_NODES` values. A file that breaks a limit,
or is not a record by its name (`.YML`, `.yml.txt`, a link leaving the folder…), is
reported in French with its line, like any other problem, and never read further.
"""

from __future__ import annotations

import os
import re
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml

# A value as loaded: strings, lists and dicts only (never int, float, bool or date).
Raw = str | list["Raw"] | dict[str, "Raw"] | None


def text_list(value: Raw) -> tuple[str, ...]:
    """A field written as one text or as a list of texts (`services`, `jours`…), as its texts,
    stripped, blank ones left out: what a model keeps once the record has been checked."""
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list):
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())
    return ()


MAX_FILE_BYTES = 64 * 1024  # a real record is 1 to 3 KB
MAX_DEPTH = 6  # record → recurrence → sauf → period → date: 5 levels
MAX_NODES = 2000  # values in one file
RECORD_SUFFIX = ".yml"
GUIDE_NAME = "README.md"  # a guide for contributors may sit beside the records


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column in a file, as editors and GitHub annotations count them.
    (Without a `__dict__`: a record holds one per value, 20,000 records some 2.7 million.)"""

    line: int
    column: int

    def __reduce__(self) -> tuple[type[Position], tuple[int, int]]:
        # Read back from the memo of checked records by its constructor: the state a frozen
        # dataclass with slots pickles is restored field by field (a third of reading 5,000 records back).
        return Position, (self.line, self.column)


@dataclass
class Record:
    """One YAML file as written by a contributor.

    `data` holds the mapping with every scalar as text. `positions` maps a field path
    (`"horaires"`, `"services[1]"`) to where its value starts, so that any problem can be
    reported at the right line.
    """

    path: Path
    data: dict[str, Raw]
    positions: Mapping[str, Position] = field(default_factory=dict)
    key_positions: Mapping[str, Position] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, Position]] = field(default_factory=list)

    def position(self, field_path: str) -> Position:
        """Where to point a reader for `field_path`: the value, the key, else the file start."""
        if field_path in self.positions:
            return self.positions[field_path]
        base = field_path.split("[", 1)[0]
        return self.positions.get(base) or self.key_positions.get(base) or Position(1, 1)


class PackedPositions(Mapping[str, Position]):
    """Where each value of a record starts, kept as names and numbers and made into positions
    only when one is asked for. The memo of checked records (`memo.py`) reads back every record
    at every build, some 135 positions each (2.7 million at 20,000 places: seconds to rebuild),
    and a build asks for a few, those of a problem found across records."""

    __slots__ = ("_names", "_numbers", "_decoded")

    def __init__(self, names: tuple[str, ...], numbers: array[int]) -> None:
        self._names = names
        self._numbers = numbers
        self._decoded: dict[str, Position] | None = None

    @classmethod
    def of(cls, positions: Mapping[str, Position], shared: dict[tuple[str, ...], tuple[str, ...]]) -> PackedPositions:
        """`positions` packed; `shared`: the names of the records packed so far (records of one
        kind share their field names: one tuple for all, which pickle then stores once)."""
        if isinstance(positions, PackedPositions):
            return positions
        names = tuple(sys.intern(name) for name in positions)
        numbers = array("I", [n for position in positions.values() for n in (position.line, position.column)])
        return cls(shared.setdefault(names, names), numbers)

    def _all(self) -> dict[str, Position]:
        if self._decoded is None:
            n = self._numbers
            self._decoded = {name: Position(n[2 * i], n[2 * i + 1]) for i, name in enumerate(self._names)}
        return self._decoded

    def __getitem__(self, name: str) -> Position:
        return self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __reduce__(self) -> tuple[type[PackedPositions], tuple[tuple[str, ...], array[int]]]:
        return PackedPositions, (self._names, self._numbers)


class RecordSyntaxError(Exception):
    """A file that is not a readable record: broken YAML, a limit passed, a wrong file name.
    `message` and `hint` are French."""

    def __init__(self, path: Path, position: Position, message: str, hint: str = "") -> None:
        super().__init__(f"{path}:{position.line}:{position.column}: {message}")
        self.path = path
        self.position = position
        self.message = message
        self.hint = hint


class _Limit(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.hint = hint


class _BoundedLoader(yaml.SafeLoader):
    """Composes nodes only (no type is resolved), refusing aliases, deep nesting, too many values."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Limit(event.start_mark, "renvoi YAML (« *… ») refusé",
                         "recopiez la valeur au lieu d’y renvoyer : les renvois ne sont pas acceptés dans une fiche")
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Limit(self.peek_event().start_mark, f"valeur trop imbriquée (plus de {MAX_DEPTH} niveaux)",
                             "une fiche n’a que des champs simples et des listes : retirez les niveaux en trop")
            if self._nodes > MAX_NODES:
                raise _Limit(self.peek_event().start_mark, f"trop de valeurs (plus de {MAX_NODES})",
                             "une fiche décrit un seul lieu ou un seul atelier : retirez les valeurs en trop")
            return super().compose_node(parent, index)  # type: ignore[arg-type,return-value]
        finally:
            self._depth -= 1


def _compose_quickly(text: str) -> yaml.Node | None:
    """The node tree from libyaml's composer (C, about 30 times faster), or None when the file
    must go through `_BoundedLoader` instead: any syntax problem, an alias, a limit passed.

    Only the careful reader explains problems; this one only reads files that have none. An
    alias is seen as a node met twice (libyaml shares it, never copies it), so nothing expands.
    libyaml accepts a tab after « : » where PyYAML refuses it: a tab sends the file to the
    careful reader, so that both readers accept exactly the same files."""
    if not getattr(yaml, "__with_libyaml__", False) or "\t" in text:
        return None
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if node is None:
        return None
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if id(current) in seen or depth > MAX_DEPTH or len(seen) >= MAX_NODES:
            return None
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
    return node


def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class _Where:
    """Where the values and keys of the record being read start, and its keys written twice."""

    values: dict[str, Position] = field(default_factory=dict)
    keys: dict[str, Position] = field(default_factory=dict)
    twice: list[tuple[str, Position]] = field(default_factory=list)


def _convert(node: yaml.Node, prefix: str, where: _Where) -> Raw:
    """Turn a composed node into text/list/dict, recording the position of each value."""
    if prefix:
        where.values[prefix] = _pos(node)
    if isinstance(node, yaml.ScalarNode):
        # An empty plain scalar (`champ:` with nothing after) is "no value", like JSON null.
        # (A plain scalar's style is None from PyYAML's composer, "" from libyaml's.)
        if not node.style and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(child, f"{prefix}[{index}]", where)
            for index, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Raw] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            path = f"{prefix}.{key}" if prefix else key
            if key in result:
                where.twice.append((path, _pos(key_node)))
            where.keys[path] = _pos(key_node)
            result[key] = _convert(value_node, path, where)
        return result
    raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover


# PyYAML's problems, in French, with what to do. Whatever is not listed gets the last line.
SYNTAX_MESSAGES = (
    ("mapping values are not allowed here", "deux-points inattendu",
     "mettez la valeur entre guillemets si elle contient « : »"),
    ("could not find expected ':'", "il manque « : » après le nom du champ",
     "écrivez chaque champ sous la forme « nom: valeur »"),
    ("found character '\\t' that cannot start any token", "tabulation interdite",
     "indentez avec des espaces, jamais avec la touche Tab"),
    ("found undefined alias", "« * » en début de valeur",
     "mettez la valeur entre guillemets si elle commence par « * »"),
    ("found character '@' that cannot start any token", "« @ » en début de valeur",
     "mettez la valeur entre guillemets si elle commence par « @ »"),
    ("found character '`' that cannot start any token", "« ` » en début de valeur",
     "mettez la valeur entre guillemets si elle commence par « ` »"),
    ("found character '%' that cannot start any token", "« % » en début de valeur",
     "mettez la valeur entre guillemets si elle commence par « % »"),
    ("found unexpected end of stream", "guillemets ou crochets non refermés",
     "refermez les guillemets « ' » ou « \" » et les crochets « [ » ouverts sur cette ligne"),
    ("did not find expected key", "décalage (indentation) incohérent",
     "alignez les champs sur la même colonne, et les éléments de liste « - » sous leur champ"),
    ("expected <block end>", "décalage (indentation) incohérent",
     "alignez les champs sur la même colonne, et les éléments de liste « - » sous leur champ"),
    ("did not find expected '-' indicator", "élément de liste mal aligné",
     "alignez tous les « - » d’une même liste sur la même colonne"),
    ("expected ',' or ']'", "liste entre crochets mal refermée", "écrivez une valeur par ligne, précédée de « - »"),
    ("expected ',' or '}'", "accolades mal refermées", "écrivez un champ par ligne, sans accolades"),
    ("found unknown escape character", "barre oblique inverse « \\ » inattendue",
     "mettez la valeur entre apostrophes ' … ' plutôt qu’entre guillemets"),
    ("found unexpected ':'", "deux-points inattendu", "mettez la valeur entre guillemets si elle contient « : »"),
    ("expected alphabetic or numeric character", "caractère inattendu après « & » ou « * »",
     "mettez la valeur entre guillemets"),
    ("found duplicate anchor", "renvoi YAML (« &… ») écrit deux fois", "retirez les « & »"),
    ("expected a single document", "le fichier contient plusieurs documents (« --- »)",
     "gardez une seule fiche par fichier"),
)
SYNTAX_FALLBACK = ("structure du fichier illisible à cet endroit",
                   "vérifiez cette ligne : indentation avec des espaces, « nom: valeur », "
                   "guillemets autour d’une valeur qui contient « : » ou « # »")


UNCLOSED_QUOTE = ("guillemet non refermé", "ajoutez le même guillemet à la fin de la valeur, sur la même ligne")
SHIFTED_FIELD = ("décalage (indentation) incohérent",
                 "ce champ est décalé vers la droite : alignez-le sur les autres champs de la fiche")
_VALUE_START = re.compile(r"^\s*(?:-\s+|[A-Za-z_][\w.-]*:\s+)(?P<value>['\"].*)$")
_SHIFTED_KEY = re.compile(r"^(?P<indent> +)[A-Za-z_][\w-]*:(?:\s|$)")


def _syntax_message(error: yaml.YAMLError) -> tuple[str, str]:
    said = f"{getattr(error, 'context', None) or ''} {getattr(error, 'problem', None) or error}"
    for english, french, hint in SYNTAX_MESSAGES:
        if english in said:
            return french, hint
    return SYNTAX_FALLBACK


def _unclosed_quote(lines: list[str], last: int) -> Position | None:
    """The first value, up to line `last`, that opens a quote and does not close it on its line.

    YAML lets a quoted value run over several lines, so PyYAML stops only at the next quote,
    far below; a record's values hold on one line, so the line that opened it is the one to fix."""
    for number, line in enumerate(lines[: last + 1]):
        found = _VALUE_START.match(line)
        if not found:
            continue
        value = found["value"]
        quote, rest = value[0], value[1:]
        rest = rest.replace("''", "") if quote == "'" else re.sub(r"\\.", "", rest)
        if quote not in rest:
            return Position(number + 1, found.start("value") + 1)
    return None


def _locate_syntax_error(text: str, error: yaml.YAMLError) -> tuple[Position, str, str]:
    """Where and what, in French: PyYAML's own position, unless the cause is visibly earlier
    (an unclosed quote) or more precise (a field shifted to the right)."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    message, hint = _syntax_message(error)
    lines = text.splitlines()
    if mark is not None:
        opened = _unclosed_quote(lines, min(mark.line, len(lines) - 1))
        if opened is not None:
            return opened, *UNCLOSED_QUOTE
        shifted = _SHIFTED_KEY.match(lines[mark.line]) if mark.line < len(lines) else None
        if shifted and "mapping values" in str(getattr(error, "problem", "")) and len(shifted["indent"]) > _indent_above(lines, mark.line):
            return Position(mark.line + 1, len(shifted["indent"]) + 1), *SHIFTED_FIELD
    return position, message, hint


def _indent_above(lines: list[str], number: int) -> int:
    """Indentation of the nearest field line above `number` that has a value on its line."""
    for line in reversed(lines[:number]):
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            opens_block = stripped.rstrip().endswith((":", "|", ">", "|-", ">-"))
            return len(line) - len(stripped) + (2 if opens_block else 0)
    return 0


def parse_record(text: str, path: Path) -> Record:
    """Parse one record's text. Raises RecordSyntaxError with a French message."""
    if text.startswith("\ufeff"):
        raise RecordSyntaxError(path, Position(1, 1), "le fichier commence par une marque d’ordre des octets (BOM)",
                                "enregistrez-le en « UTF-8 » (sans BOM) : dans votre éditeur, « Enregistrer sous »")
    node = _compose_quickly(text) or _compose_carefully(text, path)
    if node is None:
        raise RecordSyntaxError(path, Position(1, 1), "fichier vide", "écrivez les champs de la fiche, un par ligne")
    if not isinstance(node, yaml.MappingNode):
        raise RecordSyntaxError(path, _pos(node), "le fichier doit être une liste de champs « nom: valeur »",
                                "écrivez un champ par ligne, par exemple « nom: Médiathèque »")
    where = _Where()
    data = _convert(node, "", where)
    assert isinstance(data, dict)
    return Record(path, data, where.values, where.keys, where.twice)


def _compose_carefully(text: str, path: Path) -> yaml.Node | None:
    """The node tree from PyYAML's composer within bounds; every problem in French, at its line."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    except _Limit as limit:
        mark = limit.mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise RecordSyntaxError(path, position, limit.message, limit.hint) from None
    except yaml.YAMLError as error:
        raise RecordSyntaxError(path, *_locate_syntax_error(text, error)) from None
    finally:
        loader.dispose()


class Reader(Protocol):
    """Where records may be taken back from instead of parsed (`memo.RecordMemo`)."""

    def read(self, path: Path, data: bytes, parse: Callable[[], Record]) -> Record: ...


def load_record(path: Path, memo: Reader | None = None) -> Record:
    """Read and parse one record file (UTF-8, at most `MAX_FILE_BYTES`)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise RecordSyntaxError(
            path, Position(1, 1), f"fichier trop gros ({size // 1024} Ko, {MAX_FILE_BYTES // 1024} Ko au plus)",
            "une fiche fait quelques Ko : raccourcissez les textes ; les documents longs vont sur le site du lieu",
        )
    data = path.read_bytes()

    def parse() -> Record:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RecordSyntaxError(path, Position(1, 1), "le fichier doit être enregistré en UTF-8",
                                    "dans votre éditeur, « Enregistrer sous », encodage « UTF-8 »") from None
        return parse_record(text, path)

    return memo.read(path, data, parse) if memo is not None else parse()


def _file_problem(path: Path, folder: Path) -> RecordSyntaxError | None:
    """Why a file found in `folder` is not a record it can read, else None."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(folder.resolve()) or not target.is_file():
            return RecordSyntaxError(path, Position(1, 1), "lien vers un fichier hors du dossier des fiches",
                                     "remplacez le lien par le fichier lui-même")
    if path.suffix == RECORD_SUFFIX and not path.stem.startswith("."):
        return None
    if path.name == GUIDE_NAME and not path.is_symlink():
        return None
    stem = path.name.split(".", 1)[0] or path.name.lstrip(".")
    if path.name.lower().endswith((".yml", ".yaml")) or ".yml" in path.name.lower() or ".yaml" in path.name.lower():
        return RecordSyntaxError(path, Position(1, 1), f"« {path.name} » n’est pas lu : une fiche se termine par « .yml »",
                                 f"renommez le fichier en « {stem.lower()}.yml »")
    return RecordSyntaxError(path, Position(1, 1), f"« {path.name} » n’est pas une fiche",
                             "retirez ce fichier du dossier : il ne contient que des fiches « .yml »")


def record_files(folder: Path) -> list[Path]:
    """Every file under `folder` (links not followed into other folders), in a stable order."""
    found: list[Path] = []
    for directory, subfolders, names in os.walk(folder, followlinks=False):
        subfolders.sort()
        base = Path(directory)
        for name in names:
            found.append(base / name)
        for name in subfolders:
            if (base / name).is_symlink():
                found.append(base / name)
    return sorted(found)


def load_records(folder: Path, memo: Reader | None = None) -> tuple[list[Record], list[RecordSyntaxError]]:
    """Load every record under `folder`; unreadable files are returned, never raised, so that
    a contributor sees all problems at once. Every file is either a record or refused by name.
    `memo`: records of unchanged files are taken back from it instead of parsed again."""
    records: list[Record] = []
    errors: list[RecordSyntaxError] = []
    for path in record_files(folder):
        problem = _file_problem(path, folder)
        if problem is not None:
            errors.append(problem)
            continue
        if path.name == GUIDE_NAME:
            continue
        try:
            records.append(load_record(path, memo))
        except RecordSyntaxError as error:
            errors.append(error)
    return records, errors
