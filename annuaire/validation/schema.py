"""JSON Schema errors in French, with what to write instead: one translator for every record.

The contracts (`schemas/lieu.schema.json`, `schemas/atelier.schema.json`) are what editors, the
pre-commit hook and the build share. jsonschema explains a broken rule in English and in its own
terms; a contributor needs the field, the line and an example. What differs between places and
workshops (which field holds the details, field-specific patterns) is passed in `SchemaHints`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..data.records import Position, Record
from .checks import ProblemCollector, check_repeated_items, closest, field_path, quoted_list

# Yes/no words a contributor may write for a field whose values are `oui` and `non`.
YES_NO = {"yes": "oui", "true": "oui", "o": "oui", "no": "non", "false": "non", "n": "non"}
MAX_FIELDS_LISTED = 8  # beyond, a hint names the schema file instead of listing every field


@dataclass(frozen=True)
class SchemaHints:
    """What a message says that depends on the kind of record."""

    schema_file: str  # `schemas/lieu.schema.json`: named when the fields are too many to list
    details_field: str  # where a too-long text's details go (`presentation_detail`)
    enum_hints: Mapping[str, str] = field(default_factory=dict)  # field → hint when no value is close
    # (field, value) → (message, hint) for a broken `pattern`; None: a generic message.
    pattern_message: Callable[[str, str], tuple[str, str] | None] | None = None


def missing_at(record: Record, field_path_: str) -> Position:
    """Where to point for a missing field: its parent key (`recurrence:`), else the file start."""
    parent = field_path_.rsplit(".", 1)[0] if "." in field_path_ else ""
    return record.key_positions.get(parent) or Position(1, 1)


def empty_hint(field_path_: str) -> str:
    if "[" in field_path_:
        return "écrivez une valeur après « - », ou retirez cette ligne de la liste"
    return f"écrivez une valeur, ou retirez la ligne `{field_path_.rsplit('.', 1)[-1]}:`"


class SchemaTranslator:
    """Checks a record against one contract and reports each broken rule in French."""

    def __init__(self, schema: dict[str, Any], hints: SchemaHints) -> None:
        self.schema = schema
        self.hints = hints
        self.validator = Draft202012Validator(schema)

    # --- Reading the contract --------------------------------------------------------------

    def spec(self, field_path_: str) -> dict[str, Any]:
        """The schema of a (nested) field: `recurrence.du`, `services[2]` → `services`."""
        spec: dict[str, Any] = self.schema
        for part in re.sub(r"\[\d+\]", "", field_path_).split("."):
            spec = spec.get("properties", {}).get(part, {})
        return spec

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.schema["properties"])

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(self.schema.get("required", ()))

    def example(self, field_path_: str) -> str:
        """`` `au: '2026-06-30'` ``: the contract's own example for a field, as a line to write."""
        spec = self.spec(field_path_)
        name = re.sub(r"\[\d+\]$", "", field_path_).rsplit(".", 1)[-1]
        if spec.get("type") == "object" and spec.get("properties"):  # `inscription:` then an indented line
            first = next(iter(spec["properties"]))
            return f"`{name}:` puis, en dessous, {self.example(f'{field_path_}.{first}').replace('`', '`  ', 1)}"
        examples = spec.get("examples") or []
        if not examples:
            return f"`{name}: …`"
        value = examples[0]
        if isinstance(value, list):
            return f"`{name}:` puis `  - {value[0]}`"
        shown = f"'{value}'" if isinstance(value, str) and (value[:1].isdigit() or value[:1] == "+") else value
        return f"`{name}: {shown}`"

    # --- Checking ---------------------------------------------------------------------------

    def check(self, instance: dict[str, Any], report: ProblemCollector) -> None:
        for error in self.validator.iter_errors(instance):
            self.translate(error, report)

    def translate(self, error: ValidationError, report: ProblemCollector) -> None:
        """One jsonschema error → French problems with a hint, at the field's line."""
        kind = error.validator
        where = field_path(error.absolute_path)
        # The stubs say `Any | Unset`: an error raised by `iter_errors` always has these.
        value: Any = error.instance
        rule: Any = error.validator_value
        rule_schema: Any = error.schema
        record = report.record

        if kind in ("oneOf", "not") and where == "":
            return  # a choice between shapes of the whole record: the specific checks explain it
        if kind == "required":
            for name in rule:
                if isinstance(value, dict) and name not in value:
                    path = f"{where}.{name}" if where else name
                    report.add(path, "champ obligatoire manquant", f"ajoutez une ligne {self.example(path)}",
                               position=missing_at(record, path))
            return
        if value is None or (isinstance(value, str) and not value.strip()):
            report.add(where, "valeur vide", empty_hint(where), position=report.at_key(where))
            return
        if kind == "additionalProperties":
            self.unknown_fields(where, value, list(rule_schema.get("properties", {})), report)
            return
        if kind == "type":
            self._wrong_type(where, value, rule, rule_schema, report)
            return
        if kind == "enum":
            self._unknown_value(where, value, rule, report)
            return
        if kind in ("minItems", "minProperties", "minLength"):
            if kind == "minLength":
                report.add(where, "valeur vide", empty_hint(where), position=report.at_key(where))
            else:
                message = "liste vide" if kind == "minItems" else "rien n’est écrit sous cette ligne"
                report.add(where, message, "ajoutez au moins une valeur, ou retirez la ligne",
                           position=report.at_key(where))
            return
        if kind == "uniqueItems":
            check_repeated_items(report, where, value)
            return
        if kind == "maxLength":
            details = self.hints.details_field
            hint = "raccourcissez ce texte" if where == details else f"raccourcissez ; les détails vont dans `{details}`"
            report.add(where, f"texte trop long ({len(value)} caractères, {rule} au plus)", hint)
            return
        if kind == "pattern":
            custom = self.hints.pattern_message(where.split("[", 1)[0], str(value)) \
                if self.hints.pattern_message else None
            report.add(where, *(custom or (f"« {value} » est mal écrit", f"exemple : {self.example(where)}")))
            return
        if kind in ("minimum", "maximum"):
            title = self.spec(where).get("title")
            what = f" pour une {title.lower()}" if title else ""
            report.add(where, f"{value} est impossible{what}", f"exemple : {self.example(where)}")
            return
        if kind == "oneOf":  # an item with two possible shapes (a date, or a period)
            report.add(where, "ni une date ni une période", "écrivez `- '2026-02-10'`, ou `- du: '2026-04-04'` "
                       "suivi de `au: '2026-04-19'` sur la ligne d’après")
            return
        report.add(where, "valeur refusée", f"exemple : {self.example(where)}")

    # --- One kind of rule each --------------------------------------------------------------

    def unknown_fields(self, where: str, value: Any, known: list[str], report: ProblemCollector) -> None:
        """Each key of `value` the contract does not know, with the closest known name."""
        for key in value:
            if key in known:
                continue
            path = f"{where}.{key}" if where else key
            guess = closest(key, known, cutoff=0.7)
            if guess:
                hint = f"voulez-vous dire `{guess}` ?"
            elif len(known) > MAX_FIELDS_LISTED:
                hint = f"retirez ce champ ; la liste des champs possibles est dans `{self.hints.schema_file}`"
            else:
                hint = f"champs possibles ici : {quoted_list(known)}"
            report.add(path, f"champ inconnu `{key}`", hint, position=report.at_key(path))

    def _wrong_type(self, where: str, value: Any, expected: Any, rule_schema: Any, report: ProblemCollector) -> None:
        top = where.split("[", 1)[0]
        if expected == "array":
            item = value if isinstance(value, str) else "…"
            report.add(where, "une liste est attendue",
                       f"écrivez une valeur par ligne, sous `{top.rsplit('.', 1)[-1]}:`, chacune précédée de « - » "
                       f"(par exemple `  - {item}`)")
        elif expected == "object":
            names = rule_schema.get("required") or list(rule_schema.get("properties", {}))[:3]
            report.add(where, "des champs sont attendus sous cette ligne",
                       "écrivez en dessous, décalées de deux espaces, les lignes "
                       f"{quoted_list(f'{n}:' for n in names)} ; exemple : {self.example(where)}")
        elif expected in ("integer", "number") and isinstance(value, str):
            report.add(where, f"« {value} » n’est pas un nombre", f"exemple : {self.example(where)}")
        elif isinstance(value, list):
            report.add(where, "une seule valeur est attendue, pas une liste",
                       "écrivez la valeur sur la même ligne que le nom du champ, sans « - »")
        elif isinstance(value, dict):
            report.add(where, "une seule valeur est attendue",
                       "mettez la valeur entre guillemets si elle contient « : »")
        else:
            report.add(where, "valeur mal écrite", f"exemple : {self.example(top)}")

    def _unknown_value(self, where: str, value: Any, rule: Any, report: ProblemCollector) -> None:
        if not isinstance(value, str):
            report.add(where, "une valeur simple est attendue",
                       "écrivez une seule valeur par ligne de liste, entre guillemets si elle contient « : »")
            return
        allowed = [str(choice) for choice in rule]
        top = where.split("[", 1)[0]
        guess = YES_NO.get(value.strip().lower()) if set(allowed) == {"oui", "non"} else None
        guess = guess or closest(value, allowed)
        if guess:
            hint = f"voulez-vous dire « {guess} » ?"
        elif top in self.hints.enum_hints:
            hint = self.hints.enum_hints[top]
        else:
            hint = f"valeurs possibles : {quoted_list(allowed)}"
        report.add(where, f"valeur inconnue « {value} »", hint)
