"""Problems found in records, and the two ways we print them.

A contributor reads `fichier:ligne:colonne: champ: problème — ce qu'il faut écrire`;
GitHub Actions reads `::error file=…,line=…,col=…::…` and shows it on the changed line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


def visible(text: str) -> str:
    """`text` with every control or invisible character written as an escape (`\\n`, `\\u202e`):
    a value quoted in a message can neither break a log line (and start a CI command there) nor
    reorder what a reader sees."""
    if text.isprintable():  # no control nor invisible character (nor any space but " "): most texts
        return text
    out = []
    for char in text:
        if not char.isprintable() and unicodedata.category(char) in ("Cc", "Cf"):
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}"))
        else:
            out.append(char)
    return "".join(out)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path relative to the project root, with `/`
    line: int
    column: int
    field: str  # field name, `services[2]`, or "" for the whole file
    message: str  # what is wrong, in French
    hint: str = ""  # what to write instead, in French
    severity: Severity = Severity.ERROR

    def text(self) -> str:
        """`places/x/y.yml:12:3: horaires: … — …`, on one line whatever the values quoted."""
        where = f"{self.file}:{self.line}:{self.column}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        if self.severity is Severity.WARNING:
            what = f"avertissement : {what}"
        return visible(f"{where}: {what}" + (f" — {self.hint}" if self.hint else ""))

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the line in the pull request."""
        what = f"{self.field}: {self.message}" if self.field else self.message
        body = what + (f" — {self.hint}" if self.hint else "")
        title = f"Fiche {Path(self.file).name}"
        return (
            f"::{self.severity.value} file={_escape_property(visible(self.file))},line={self.line},"
            f"col={self.column},title={_escape_property(visible(title))}::{_escape_data(visible(body))}"
        )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def report(problems: list[Problem]) -> str:
    """The French report printed by the validator and by a failed build."""
    if not problems:
        return "Toutes les fiches sont valides."
    lines = [p.text() for p in sorted(problems)]
    n_errors = len(errors(problems))
    n_warnings = len(problems) - n_errors
    files = len({p.file for p in problems})
    summary = f"{n_errors} erreur{'s' if n_errors > 1 else ''}"
    if n_warnings:
        summary += f" et {n_warnings} avertissement{'s' if n_warnings > 1 else ''}"
    summary += f" dans {files} fiche{'s' if files > 1 else ''}."
    lines.append("")
    lines.append(summary)
    if n_errors:
        lines.append("Corrigez les erreurs ci-dessus : le site n’est pas construit tant qu’il en reste.")
    return "\n".join(lines)
