"""What an import changes in the records already in `places/`, value by value, and why.

A re-import with another mapping (ANCT's own files) or a new source changes published values:
the coordinator must see each of them before committing, with its reason (the rule that
gives it, or the source and file it comes from).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..data.provenance import RULES
from ..data.records import RecordSyntaxError, parse_record
from .candidate import Output
from .merge import text_form

QUIET = ("provenance", "valeurs_deduites")  # bookkeeping: summarised, not listed value by value


def _show(value: Any) -> str:
    if value in (None, "", []):
        return "(vide)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _why(output: Output, name: str) -> str:
    if name in ("source", "date_maj"):
        return "la source la plus récente de la fiche, son nom en clair"
    rule = (output.data.get("valeurs_deduites") or {}).get(name)
    if rule:
        return f"règle {rule} : {RULES[rule].shown}" if rule in RULES else f"règle {rule}"
    sources = output.data.get("provenance") or []
    for source in sources:
        if "champs" not in source or name in source["champs"]:
            where = f" ({source['fichier']})" if source.get("fichier") else ""
            return f"source {source['source']}{where}, correspondance de l’ANCT"
    return "aucune source ne donne plus cette valeur (correspondance de l’ANCT)"


def record_changes(output: Output, current_text: str) -> list[str]:
    """`services : « A » → « A, B » (règle …)` for each value the import changes in a record."""
    try:
        before = parse_record(current_text, Path(output.path)).data
    except RecordSyntaxError:
        return ["fiche actuelle illisible : réécrite en entier"]
    after = {k: text_form(v) for k, v in output.data.items() if v not in (None, "", [])}
    lines = []
    for name in [*after, *(k for k in before if k not in after)]:
        if name in QUIET or before.get(name) == after.get(name):
            continue
        lines.append(f"{name} : « {_show(before.get(name))} » → « {_show(after.get(name))} » ({_why(output, name)})")
    added = [k for k in QUIET if k in after and k not in before]
    if added:
        lines.append(f"{' et '.join(added)} ajouté{'s' if len(added) > 1 else ''} (d’où vient chaque valeur)")
    return lines


def changes_report(outputs: Sequence[Output], current: Mapping[str, str | None], places_prefix: str) -> str:
    """The report's last part: per existing record, every value that changes and why."""
    lines = ["", "Valeurs changées dans les fiches existantes (à relire avant d’enregistrer) :", ""]
    changed = 0
    for output in outputs:
        text = current.get(output.path)
        if text is None:
            continue
        found = record_changes(output, text)
        if found:
            changed += 1
            lines.append(f"{places_prefix}/{output.path}")
            lines.extend(f"  - {line}" for line in found)
    new = [o for o in outputs if current.get(o.path) is None]
    if not changed:
        lines.append("  aucune")
    lines.append("")
    lines.append(f"{changed} fiche{'s' if changed > 1 else ''} existante{'s' if changed > 1 else ''} modifiée"
                 f"{'s' if changed > 1 else ''}, {len(new)} nouvelle{'s' if len(new) > 1 else ''} fiche"
                 f"{'s' if len(new) > 1 else ''}.")
    return "\n".join(lines) + "\n"
