"""The French import report: one block per record with every defect, then a summary."""

from __future__ import annotations

from .candidate import (
    K_CAPITALS,
    K_CASE,
    K_COMMUNE_NAME,
    K_HOURS_MISSING,
    K_PIVOT,
    K_POSTBOX,
    ImportResult,
    Note,
    Output,
)


def _record_notes(output: Output) -> list[Note]:
    """Notes of a written record: the kept row's, then the merge notes, then the older rows'
    notes that still describe the written record (capitals of a dropped name do not)."""
    primary, others = output.members[0], output.members[1:]
    notes = list(primary.notes)
    still_missing = {
        K_PIVOT: not output.data.get("pivot"),
        K_HOURS_MISSING: not output.data.get("horaires"),
    }
    notes = [n for n in notes if still_missing.get(n.kind, True)]
    for other in others:
        for note in other.notes:
            if note.kind in (K_PIVOT, K_HOURS_MISSING, K_CAPITALS, K_CASE, K_COMMUNE_NAME, K_POSTBOX):
                continue  # about the dropped row's own values
            notes.append(Note(note.kind, f"{other.id} : {note.message}"))
    notes.extend(output.notes)
    return notes


def _count(number: int, singular: str, plural: str) -> str:
    """`1 ligne lue`, `0 ligne lue`, `2 lignes lues` (French: plural from 2)."""
    return f"{number} {plural if number >= 2 else singular}"


def _note_lines(notes: list[Note], counts: dict[str, int]) -> list[str]:
    """`  - catégorie : message` per note; `counts` (per category, for the summary) is updated."""
    for note in notes:
        counts[note.kind] = counts.get(note.kind, 0) + 1
    return [f"  - {note.kind} : {note.message}" for note in notes]


def format_report(result: ImportResult, places_prefix: str = "places") -> str:
    """The French report: one block per record with every defect, then a summary of counts."""
    lines = ["Rapport de l’import des lieux (scripts/import_sources.py)", ""]
    lines.append("Sources lues :")
    for name, count in result.rows_read.items():
        lines.append(f"  - {name} : {count} lignes")
    lines.append("")
    counts: dict[str, int] = {}
    clean = 0
    for output in result.outputs:
        notes = _record_notes(output)
        if not notes:
            clean += 1
            continue
        lines.append(f"{places_prefix}/{output.path} — {output.data['nom']}")
        ids = ", ".join(f"{m.id} ({m.data.get('date_maj') or 'sans date'})" for m in output.members)
        lines.append(f"  sources : {ids}")
        lines.extend(_note_lines(notes, counts))
        lines.append("")
    if result.rejected:
        lines.append("Lignes non écrites (à corriger à la main) :")
        for candidate in result.rejected:
            lines.append(f"{candidate.id} — {candidate.nom} ({candidate.origin})")
            lines.extend(_note_lines(candidate.notes, counts))
            lines.append("")
    merged_rows = sum(len(o.members) - 1 for o in result.outputs)
    total = sum(result.rows_read.values())
    lines.append("Résumé")
    lines.append(f"  {_count(total, 'ligne lue', 'lignes lues')}, "
                 f"{_count(len(result.outputs), 'fiche produite', 'fiches produites')}, "
                 f"{_count(merged_rows, 'ligne fusionnée', 'lignes fusionnées')} dans une autre fiche, "
                 f"{_count(len({c.id for c in result.rejected}), 'ligne non écrite', 'lignes non écrites')}.")
    lines.append(f"  {_count(clean, 'fiche sans remarque', 'fiches sans remarque')}.")
    for kind in sorted(counts, key=lambda k: (-counts[k], k)):
        lines.append(f"  {counts[kind]:>3} × {kind}")
    return "\n".join(lines) + "\n"
