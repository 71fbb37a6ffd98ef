"""The small checks and the problem collector shared by the two validators.

`validation` (places) and `workshop_validation` (workshops) report problems the same way:
one `Problem` per defect, at the line of the field, in the same French words. What both need
lives here, once, so that a message improved here is improved for every kind of record.

Each `*_problem` function returns `None` when the value is fine, else `(message, hint)`:
what is wrong, and what to write instead. Nothing here raises on bad input.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ..data.records import Position, Raw, Record, RecordSyntaxError
from ..data.territory import Commune, Territory
from ..problems import Problem, Severity
from ..text import SLUG_PATTERN, slugify, strip_accents

# `2026-01-06`: the only date format a record may use (ISO, sorts and compares as text).
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates of a directory: no place was checked before 1990, no workshop is announced past 2100.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# `06/01/2026`, `6.1.2026`, `06-01-2026`: how a French contributor writes a date.
FRENCH_DATE_PATTERN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
# `14:30`, and the forms we can turn into it: `14h30`, `14 h`, `9.30`, `14`.
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
LOOSE_TIME_PATTERN = re.compile(r"^(\d{1,2})\s*(?:[hH:.]\s*(\d{2})?)?$")
# Only `https://` web addresses: the same rule as the `pattern` of both JSON schemas.
HTTPS_PATTERN = re.compile(r"^https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$")

PHONE_HINT = "écrivez un numéro à 10 chiffres entre guillemets : '05 49 52 67 66' ou '+33549526766'"
EMAIL_HINT = "écrivez une adresse comme `{example}`, sans espace ni « mailto: »"
SYNTAX_HINT = (
    "vérifiez cette ligne : indentation avec des espaces, « nom: valeur », "
    "guillemets autour d’une valeur qui contient « : » ou « # »"
)
FILE_NAME_MESSAGE = "nom de fichier « {name} » invalide : lettres minuscules sans accent, chiffres et tirets seulement"


class ProblemCollector:
    """The problems of one record file, each placed at its field's line and column."""

    def __init__(self, record: Record, file: str) -> None:
        self.record = record
        self.file = file  # as shown to the contributor: `places/poitiers/x.yml`
        self.problems: list[Problem] = []

    def add(
        self,
        field: str,
        message: str,
        hint: str = "",
        *,
        position: Position | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record one problem; by default at the field's value (else its key, else line 1)."""
        where = position or self.record.position(field)
        self.problems.append(Problem(self.file, where.line, where.column, field, message, hint, severity))

    def at_key(self, field: str) -> Position:
        """The line of the field's name: the place to point at for an empty or extra value."""
        return self.record.key_positions.get(field) or self.record.position(field)

    def has_errors(self) -> bool:
        """True when a blocking problem was found (warnings never block the site)."""
        return any(p.severity is Severity.ERROR for p in self.problems)


def keep_specific(specific: list[Problem], from_schema: list[Problem]) -> list[Problem]:
    """The specific checks' problems, plus the schema's first problem on each other field.

    A specific check explains better than a JSON Schema error, and one schema problem per
    field is enough: a contributor fixes the field, then sees what else is wrong.
    """
    kept = list(specific)
    spoken = {p.field for p in specific}
    for problem in from_schema:
        if problem.field not in spoken:
            kept.append(problem)
            spoken.add(problem.field)
    return kept


# --------------------------------------------------------------------------------------
# Paths, names and values


def relative_path(path: Path, root: Path) -> str:
    """`places/poitiers/x.yml`: the path a contributor sees in the repository (a link is named
    by itself, not by what it points to)."""
    located = os.path.join(_resolved(path.parent), path.name)  # text, not paths: asked twice per record
    base = str(_resolved(root))
    inside = base if base.endswith(os.sep) else base + os.sep
    if located.startswith(inside):
        return located[len(inside):].replace(os.sep, "/")
    return Path(os.path.relpath(located, base)).as_posix()


@lru_cache(maxsize=4096)
def _resolved(folder: Path) -> Path:
    """A folder's real path, found once: the records of a commune share theirs (resolving it
    for each of 5,000 records took a third of reading them back)."""
    return folder.resolve()


def field_path(parts: Iterable[object]) -> str:
    """`['services', 2]` → `services[2]`, `['recurrence', 'du']` → `recurrence.du`
    (the key format of `Record.positions`)."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def is_blank(value: Raw) -> bool:
    """No value at all, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def text_value(value: Raw) -> str | None:
    """The value without surrounding spaces if it is non-empty text, else None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _fold(text: str) -> str:
    return " ".join(strip_accents(text).lower().split())


def closest(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The allowed value a contributor most likely meant (accents and case ignored)."""
    folded = {_fold(choice): choice for choice in choices}
    if _fold(value) in folded:
        return folded[_fold(value)]
    match = difflib.get_close_matches(_fold(value), list(folded), n=1, cutoff=cutoff)
    return folded[match[0]] if match else None


def quoted_list(values: Iterable[str]) -> str:
    """`« a », « b »`: values named in a French sentence."""
    return ", ".join(f"« {value} »" for value in values)


def good_stem(path: Path, default: str) -> str:
    """The file name (without `.yml`) to suggest: the current one if it is a slug."""
    return path.stem if SLUG_PATTERN.match(path.stem) else (slugify(path.stem) or default)


def file_name_problem(path: Path, expected: str) -> tuple[str, str] | None:
    """A file name that is not a slug, or an extension other than `.yml`."""
    if not SLUG_PATTERN.match(path.stem):
        return FILE_NAME_MESSAGE.format(name=path.name), f"renommez le fichier en `{expected}`"
    if path.suffix != ".yml":
        return "l’extension du fichier doit être `.yml`", f"renommez le fichier en `{expected}`"
    return None


# --------------------------------------------------------------------------------------
# Communes


def unknown_insee_message(code: str, territory: Territory) -> str:
    return f"aucune commune {territory.named.de} n’a le code INSEE « {code} »"


def insee_example(territory: Territory) -> str:
    """`5 chiffres commençant par 86, Poitiers : '86194'`: the territory's largest commune."""
    biggest = max(territory.communes, key=lambda c: c.population, default=None)
    if biggest is None:
        return "5 chiffres"
    return f"5 chiffres commençant par {territory.departement}, {biggest.nom} : '{biggest.code_insee}'"


def commune_named(territory: Territory, name: str, postcode: str = "") -> tuple[Commune | None, str]:
    """The one commune of the territory called `name` (`St Benoît` = `Saint-Benoît`), the postcode
    choosing between communes of the same name; else None and why, in French."""
    candidates = territory.communes_named(name)
    if not candidates:
        close = territory.closest_name(name)
        guess = f" (vouliez-vous dire « {close} » ?)" if close else ""
        return None, f"commune « {name} » introuvable {territory.named.dans}{guess}"
    if postcode and len(candidates) > 1:
        candidates = [c for c in candidates if postcode in c.codes_postaux] or candidates
    if len(candidates) == 1:
        return candidates[0], ""
    names = ", ".join(f"{c.nom} ({c.code_insee})" for c in candidates)
    return None, f"plusieurs communes possibles : {names} ; précisez le code postal"


# --------------------------------------------------------------------------------------
# Dates, times, web addresses


def iso_from_french(text: str) -> str | None:
    """`01/08/2024` → `2024-08-01` (not checked for existence); None for another form."""
    match = FRENCH_DATE_PATTERN.match(text.strip())
    if not match:
        return None
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def date_problem(text: str, example: str) -> tuple[str, str] | None:
    """A date written `AAAA-MM-JJ` that exists; `example` is shown when we cannot guess."""
    text = text.strip()
    if not DATE_PATTERN.match(text):
        french = iso_from_french(text)
        if french:
            hint = f"écrivez '{french}' (année-mois-jour)"
        else:
            hint = f"écrivez la date au format année-mois-jour entre guillemets, par exemple '{example}'"
        return f"« {text} » n’est pas une date au format année-mois-jour", hint
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return f"la date {text} n’existe pas", "vérifiez le jour et le mois"
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return f"l’année {day.year} est impossible ici", f"écrivez une année entre {FIRST_YEAR} et {LAST_YEAR}"
    return None


def time_problem(text: str) -> tuple[str, str] | None:
    """A time written `HH:MM`; `14h30` gets the hint `'14:30'`."""
    text = text.strip()
    if TIME_PATTERN.match(text):
        return None
    loose = LOOSE_TIME_PATTERN.match(text)
    if loose and int(loose.group(1)) < 24 and int(loose.group(2) or 0) < 60:
        hint = f"écrivez '{int(loose.group(1)):02d}:{loose.group(2) or '00'}' (heures:minutes)"
    else:
        hint = "écrivez l’heure au format heures:minutes, par exemple '14:30'"
    return f"« {text} » n’est pas une heure", hint


# A host name: labels of letters, digits and hyphens, a top-level domain of letters (or punycode).
DOMAIN_PATTERN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$")


def _deceiving(text: str) -> tuple[str, str] | None:
    """A `https://` address that does not lead where it reads: credentials before the host
    (`https://www.caf.fr@ailleurs.example/` leads to `ailleurs.example`), or a host that is
    not a domain name (an IP address, `localhost`)."""
    parts = urlsplit(text)
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        return (f"adresse trompeuse : « {text} » mène en réalité à « {host} »",
                "écrivez l’adresse du site sans « @ » avant son nom, par exemple `https://www.caf.fr/`")
    host = (parts.hostname or "").rstrip(".")
    if not DOMAIN_PATTERN.match(host):
        return (f"« {host} » n’est pas un nom de site web",
                "écrivez l’adresse avec le nom du site, par exemple `https://www.exemple.fr/`")
    return None


def url_problem(value: str) -> tuple[str, str] | None:
    """Only `https://` web addresses that lead where they read: no `http:`, `javascript:`,
    `data:`, `mailto:`, no credentials before the host, a real domain name."""
    text = value.strip()
    if HTTPS_PATTERN.match(text):
        return _deceiving(text)
    scheme, sep, rest = text.partition(":")
    scheme = scheme.lower()
    if sep and scheme == "http":
        return (
            "adresse web non sécurisée (`http://`)",
            f"écrivez `https://{rest.lstrip('/')}` si le site s’ouvre ainsi, sinon retirez l’adresse",
        )
    if sep and scheme == "https" and HTTPS_PATTERN.match("https:" + rest):
        return f"« {text} » : `https://` doit être écrit en minuscules", f"écrivez `https:{rest}`"
    if sep and scheme == "https":
        return (
            f"« {text} » n’est pas une adresse web complète",
            "écrivez l’adresse entière, par exemple `https://www.exemple.fr/`",
        )
    if sep and re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) and not rest[:1].isdigit():
        return (
            f"adresse « {scheme}: » refusée : seules les adresses web `https://` sont acceptées",
            "écrivez l’adresse du site, qui commence par `https://`",
        )
    if re.fullmatch(r"(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?", text):
        return f"« {text} » : il manque `https://` au début", f"écrivez `https://{text}`"
    return f"« {text} » n’est pas une adresse web", "écrivez l’adresse complète, qui commence par `https://`"


# --------------------------------------------------------------------------------------
# Problems every record file can have


def syntax_problem(error: RecordSyntaxError, root: Path) -> Problem:
    """A file that is not readable YAML, at the line where reading stopped."""
    return Problem(
        relative_path(error.path, root), error.position.line, error.position.column, "", error.message,
        error.hint or SYNTAX_HINT,
    )


def crash_problem(file: str, error: Exception, what: str = "vérification") -> Problem:
    """A check that failed on an unforeseen value: reported, so the build never crashes."""
    return Problem(
        file, 1, 1, "", f"{what} impossible ({type(error).__name__})",
        "signalez ce problème à l’équipe du site avec le fichier concerné",
    )


def check_duplicate_keys(report: ProblemCollector) -> None:
    """A field written twice: YAML keeps the last value silently, the contributor must know."""
    for path, position in report.record.duplicate_keys:
        report.add(
            path,
            f"le champ `{path}` est écrit deux fois : seule la dernière valeur compterait",
            f"gardez une seule ligne `{path.rsplit('.', 1)[-1]}:`",
            position=position,
        )


def check_required_not_blank(
    report: ProblemCollector, required: Iterable[str], example: Callable[[str], str]
) -> None:
    """A required field present but empty (`nom:` alone); `example(field)` shows a value."""
    for name in required:
        if name in report.record.data and is_blank(report.record.data[name]):
            report.add(name, "champ obligatoire vide", f"écrivez une valeur, par exemple {example(name)}",
                       position=report.at_key(name))


def check_repeated_items(report: ProblemCollector, field: str, items: list[Raw]) -> None:
    """A value written twice in a list: each repetition, at its own line."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            report.add(f"{field}[{index}]", f"« {item} » est écrit deux fois dans la liste",
                       "gardez une seule fois cette valeur")
        seen.add(key)


# --------------------------------------------------------------------------------------
# Text that is text: what a contributor cannot see must not reach a page, a flyer or a file


# Characters with a French name, for a message a contributor understands.
INVISIBLE_NAMES = {
    "\u00ad": "trait d’union conditionnel (invisible)",
    "\u200b": "espace sans largeur",
    "\u200c": "antiliant sans largeur",
    "\u200d": "liant sans largeur",
    "\u200e": "marque gauche-à-droite",
    "\u200f": "marque droite-à-gauche",
    "\u202a": "enchâssement gauche-à-droite",
    "\u202b": "enchâssement droite-à-gauche",
    "\u202c": "fin d’enchâssement",
    "\u202d": "forçage gauche-à-droite",
    "\u202e": "forçage droite-à-gauche (retourne le texte)",
    "\u2060": "gluon de mots",
    "\u2066": "isolat gauche-à-droite",
    "\u2067": "isolat droite-à-gauche",
    "\u2068": "isolat à direction déterminée",
    "\u2069": "fin d’isolat",
    "\ufeff": "espace insécable sans largeur (BOM)",
    "\t": "tabulation",
    "\n": "retour à la ligne",
    "\r": "retour chariot",
}
FORMULA_STARTS = ("=", "+", "-", "@")


def character_problem(text: str, multiline: bool) -> tuple[str, str] | None:
    """The first character a contributor cannot see or that breaks a line, named and placed."""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if char == "\n" and multiline:
            continue
        if category not in ("Cc", "Cf"):
            continue
        name = INVISIBLE_NAMES.get(char) or (
            "caractère de contrôle" if category == "Cc" else "caractère invisible de mise en forme"
        )
        code = f"U+{ord(char):04X}"
        if char in "\n\r":
            return (f"{name} ({code}) au caractère {index + 1} : ce champ tient sur une ligne",
                    "écrivez la valeur sur une seule ligne")
        if char == "\t":
            return (f"{name} ({code}) au caractère {index + 1}", "remplacez la tabulation par une espace")
        return (f"{name} ({code}) au caractère {index + 1}",
                "retirez ce caractère : retapez le texte au clavier plutôt que de le copier-coller")
    return None


def formula_problem(text: str) -> tuple[str, str] | None:
    """A value a spreadsheet would run as a formula when it opens the open data CSV."""
    if text.lstrip().startswith(FORMULA_STARTS):
        first = text.lstrip()[0]
        return (f"une valeur ne peut pas commencer par « {first} »",
                "un tableur la prendrait pour une formule : commencez par un mot ou un chiffre")
    return None


def _strings(value: Raw, path: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)


def check_text(report: ProblemCollector, multiline: Iterable[str], numbers: Iterable[str]) -> None:
    """Every text value of the record: no control, invisible or direction character (a newline
    only in `multiline` fields), no spreadsheet formula (but in `numbers`: phones, coordinates)."""
    multiline, numbers = set(multiline), set(numbers)
    for path, text in _strings(report.record.data, ""):
        top = re.sub(r"\[\d+\]", "", path)
        problem = character_problem(text, top in multiline)
        if problem is None and top not in numbers:
            problem = formula_problem(text)
        if problem is not None:
            report.add(path, *problem)
