"""Check place records against the contract and the territory, and say in French what to fix.

The contract is `schemas/lieu.schema.json` (the same file editors and CI use). On top of it
we check what a JSON Schema cannot: the file's place in `places/`, the commune and its
postcodes, coordinates inside the Vienne, opening hours, phone numbers, dates, duplicates.
Every problem of every file is reported at once, with its line, so that a volunteer fixes
everything in one go. Nothing here raises on bad input or writes a file.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .checks import (
    EMAIL_HINT,
    PHONE_HINT,
    ProblemCollector,
    check_duplicate_keys,
    check_repeated_items,
    check_required_not_blank,
    closest,
    crash_problem,
    date_problem,
    field_path,
    file_name_problem,
    good_stem,
    is_blank,
    keep_specific,
    quoted_list,
    relative_path,
    syntax_problem,
    text_value,
    url_problem,
)
from .contact import email_problem, phone_display, phone_problem
from .hours import syntax_error as hours_syntax_error
from .problems import Problem, Severity
from .records import Position, Record, RecordSyntaxError, load_records
from .territory import Commune, Territory
from .text import search_key

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "lieu.schema.json"

# Extent of the Vienne (south, north, west, east) in WGS84 degrees, rounded outwards, plus a
# margin of about 5 km: a place on the border must not be refused for a rounding of its
# coordinates, but a point in the sea or in another région (swapped or mistyped) must be.
VIENNE_BOUNDS = (46.04, 47.18, -0.11, 1.22)
MARGIN = 0.05

HOURS_EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:00"
HOURS_HINT = (
    f"exemple : `{HOURS_EXAMPLE}; Sa 09:00-12:00` "
    "(Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, Sa samedi, Su dimanche)"
)
URL_FIELDS = ("site_web", "fiche_acces_libre", "prise_rdv")
YES_NO = {"yes": "oui", "true": "oui", "o": "oui", "no": "non", "false": "non", "n": "non"}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The record contract, read once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """The compiled contract: built once, reused for every record."""
    return Draft202012Validator(schema())


def known_fields() -> tuple[str, ...]:
    return tuple(schema()["properties"])


def required_fields() -> tuple[str, ...]:
    return tuple(schema()["required"])


# --------------------------------------------------------------------------------------
# Small helpers


def _text(record: Record, field: str) -> str | None:
    return text_value(record.data.get(field))


def _or_list(values: Iterable[str]) -> str:
    items = list(values)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " ou " + items[-1]


def _example(field: str) -> str:
    examples = schema()["properties"].get(field, {}).get("examples") or []
    if not examples:
        return f"`{field}: …`"
    value = examples[0]
    shown = f"'{value}'" if isinstance(value, str) and (value[:1].isdigit() or value[:1] == "+") else value
    return f"`{field}: {shown}`"


def _empty_hint(field: str) -> str:
    if "[" in field:
        return "écrivez une valeur après « - », ou retirez cette ligne de la liste"
    return f"écrivez une valeur, ou retirez la ligne `{field}:`"


# --------------------------------------------------------------------------------------
# Schema errors, in French


def _schema_instance(record: Record, report: ProblemCollector) -> dict[str, Any]:
    """The record as the contract sees it: known fields only, coordinates as numbers."""
    properties = schema()["properties"]
    instance: dict[str, Any] = {k: v for k, v in record.data.items() if k in properties}
    for name in ("latitude", "longitude"):
        value = instance.get(name)
        if not isinstance(value, str):
            continue
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
            hint = "écrivez un nombre avec un point, par exemple " + _example(name)
            if re.fullmatch(r"\s*-?\d+,\d+\s*", value):
                hint = f"écrivez `{value.strip().replace(',', '.')}` (avec un point, pas une virgule)"
            report.add(name, f"« {value} » n’est pas un nombre", hint)
            del instance[name]
            continue
        if not math.isfinite(number):
            report.add(name, f"« {value} » n’est pas un nombre", "écrivez un nombre, par exemple " + _example(name))
            del instance[name]
            continue
        instance[name] = number
    return instance


def _schema_problems(instance: dict[str, Any], report: ProblemCollector) -> None:
    for error in _validator().iter_errors(instance):
        _translate(error, report)


def _translate(error: ValidationError, report: ProblemCollector) -> None:
    """One jsonschema error → one or more French problems with a hint."""
    kind = error.validator
    field = field_path(error.absolute_path)
    # The stubs say `Any | Unset`: an error raised by `iter_errors` always has these.
    value: Any = error.instance
    rule: Any = error.validator_value
    top = field.split("[", 1)[0].split(".", 1)[0]
    spec = schema()["properties"].get(top, {})

    if kind == "required":
        assert isinstance(value, dict)
        for name in rule:
            if name not in value:
                report.add(
                    name,
                    "champ obligatoire manquant",
                    f"ajoutez une ligne {_example(name)}",
                    position=Position(1, 1),
                )
        return
    if value is None:
        report.add(field, "valeur vide", _empty_hint(field),
                   position=report.at_key(field))
        return
    if kind == "additionalProperties":
        return  # unknown fields are reported with a suggestion by _check_fields
    if kind == "type":
        expected = rule
        if value is None or (isinstance(value, str) and not value.strip()):
            report.add(field, "valeur vide", _empty_hint(field),
                       position=report.at_key(field))
        elif expected == "array":
            report.add(
                field,
                "une liste est attendue",
                f"écrivez une valeur par ligne, sous `{top}:`, chacune précédée de « - » "
                f"(par exemple `  - {value if isinstance(value, str) else '…'}`)",
            )
        elif isinstance(value, list):
            report.add(field, "une seule valeur est attendue, pas une liste",
                       "écrivez la valeur sur la même ligne que le nom du champ, sans « - »")
        elif isinstance(value, dict):
            report.add(field, "une seule valeur est attendue",
                       "mettez la valeur entre guillemets si elle contient « : »")
        else:
            report.add(field, "valeur mal écrite", f"exemple : {_example(top)}")
        return
    if kind == "enum" and not isinstance(value, str):
        report.add(field, "une valeur simple est attendue",
                   "écrivez une seule valeur par ligne de liste, entre guillemets si elle contient « : »")
        return
    if kind == "enum":
        allowed = [str(choice) for choice in rule]
        text = str(value)
        guess = YES_NO.get(text.strip().lower()) if top == "accessible_fauteuil_roulant" else None
        guess = guess or closest(text, allowed)
        if guess:
            hint = f"voulez-vous dire « {guess} » ?"
        elif top == "typologie":
            hint = (
                "écrivez un code de la typologie nationale (`BIB`, `CCAS`, `MDS`, `ASSO`…) ; "
                "liste complète dans `data/typologies.csv`"
            )
        else:
            hint = f"valeurs possibles : {quoted_list(allowed)}"
        report.add(field, f"valeur inconnue « {text} »", hint)
        return
    if kind == "maxLength":
        report.add(
            field,
            f"texte trop long ({len(value)} caractères, {rule} au plus)",
            "raccourcissez ce résumé ; les détails vont dans `presentation_detail`",
        )
        return
    if kind == "minLength":
        report.add(field, "valeur vide", _empty_hint(field),
                   position=report.at_key(field))
        return
    if kind == "minItems":
        report.add(field, "liste vide", f"ajoutez au moins une valeur ou retirez la ligne `{top}:`",
                   position=report.at_key(field))
        return
    if kind == "uniqueItems":
        assert isinstance(value, list)
        check_repeated_items(report, field, value)
        return
    if kind == "pattern":
        report.add(field, *_pattern_message(top, str(value)))
        return
    if kind in ("minimum", "maximum"):
        report.add(field, f"{value} est impossible pour une {spec.get('title', top).lower()}",
                   f"exemple : {_example(top)}")
        return
    report.add(field, "valeur refusée", f"exemple : {_example(top)}")  # pragma: no cover


def _pattern_message(field: str, value: str) -> tuple[str, str]:
    if field == "pivot":
        return (
            f"« {value} » n’est ni un SIRET ni un RNA",
            "écrivez le SIRET (14 chiffres, sans espace) ou le RNA (W suivi de 9 chiffres), "
            "ou retirez la ligne si vous ne le connaissez pas",
        )
    if field == "telephone":
        display = phone_display(value)
        if display != value and phone_problem(value) is None:
            return ("numéro de téléphone mal présenté", f"écrivez '{display}'")
        return ("numéro de téléphone mal présenté", PHONE_HINT)
    if field == "code_postal":
        return (f"« {value} » n’est pas un code postal", "écrivez 5 chiffres entre guillemets, par exemple '86000'")
    if field == "code_insee":
        return (
            f"« {value} » n’est pas un code INSEE de la Vienne",
            "écrivez 5 chiffres entre guillemets commençant par 86, par exemple '86194' pour Poitiers",
        )
    if field in URL_FIELDS:
        return (f"« {value} » n’est pas une adresse web", "écrivez l’adresse complète, qui commence par `https://`")
    # Dates are explained by _check_date and _check_closing, which speak first.
    return (f"« {value} » est mal écrit", f"exemple : {_example(field)}")  # pragma: no cover


# --------------------------------------------------------------------------------------
# Checks beyond the schema (one record)


def _check_fields(record: Record, report: ProblemCollector) -> None:
    """Duplicate keys, unknown keys (with the closest known name), empty required values."""
    check_duplicate_keys(report)
    known = known_fields()
    for key in record.data:
        if key in known:
            continue
        guess = closest(key, known, cutoff=0.7)
        hint = (
            f"voulez-vous dire `{guess}` ?"
            if guess
            else "retirez ce champ ; la liste des champs possibles est dans `schemas/lieu.schema.json`"
        )
        report.add(key, f"champ inconnu `{key}`", hint, position=report.at_key(key))
    check_required_not_blank(report, required_fields(), _example)


def _check_location(
    record: Record, report: ProblemCollector, territory: Territory, places_dir: Path, root: Path
) -> None:
    """Commune, postcode, folder and file name must agree with the INSEE code."""
    code = _text(record, "code_insee")
    name = _text(record, "commune")
    commune = territory.commune(code) if code else None
    folder = commune.slug if commune else record.path.parent.name
    expected = relative_path(places_dir / folder / f"{good_stem(record.path, 'lieu')}.yml", root)

    file_name = file_name_problem(record.path, expected)
    if file_name:
        report.add("", *file_name, position=Position(1, 1))

    if code and commune is None:
        named = territory.communes_named(name) if name else []
        if named:
            hint = f"le code INSEE de {named[0].nom} est '{named[0].code_insee}'"
        else:
            hint = "écrivez le code INSEE de la commune (5 chiffres commençant par 86, Poitiers : '86194')"
        report.add("code_insee", f"aucune commune de la Vienne n’a le code INSEE « {code} »", hint)
        return
    if commune is None:
        return

    if record.path.parent.name != commune.slug:
        report.add(
            "code_insee",
            f"la fiche est rangée dans `{record.path.parent.name}/` mais le code INSEE {code} "
            f"est celui de {commune.nom}",
            f"déplacez le fichier vers `{expected}`, ou corrigez `code_insee`",
        )
    if name and search_key(name) != search_key(commune.nom):
        others = [c for c in territory.communes_named(name) if c.code_insee != commune.code_insee]
        hint = f"écrivez `commune: {commune.nom}`"
        if others:
            hint += f", ou `code_insee: '{others[0].code_insee}'` si le lieu est à {others[0].nom}"
        report.add("commune", f"« {name} » ne correspond pas au code INSEE {code} ({commune.nom})", hint)
    postcode = _text(record, "code_postal")
    if postcode and postcode not in commune.codes_postaux:
        codes = commune.codes_postaux
        if len(codes) == 1:
            hint = f"le code postal de {commune.nom} est '{codes[0]}'"
        else:
            hint = f"codes postaux de {commune.nom} : {_or_list([f'{c}' for c in codes])}"
        report.add("code_postal", f"« {postcode} » n’est pas un code postal de {commune.nom}", hint)


def _check_coordinates(record: Record, report: ProblemCollector, instance: dict[str, Any]) -> None:
    """Both or none, and inside the Vienne (a swapped pair is recognised)."""
    present = {name: not is_blank(record.data.get(name)) for name in ("latitude", "longitude")}
    if present["latitude"] != present["longitude"]:
        given, missing = ("latitude", "longitude") if present["latitude"] else ("longitude", "latitude")
        report.add(
            given,
            f"{given} sans {missing}",
            f"ajoutez `{missing}:` (copiez les deux depuis adresse.data.gouv.fr) ou retirez `{given}:`",
        )
        return
    lat, lon = instance.get("latitude"), instance.get("longitude")
    if not isinstance(lat, float) or not isinstance(lon, float):
        return
    south, north, west, east = VIENNE_BOUNDS

    def inside(la: float, lo: float) -> bool:
        return south - MARGIN <= la <= north + MARGIN and west - MARGIN <= lo <= east + MARGIN

    if inside(lat, lon):
        return
    if inside(lon, lat):
        report.add("latitude", "latitude et longitude semblent inversées",
                   "échangez les deux valeurs (dans la Vienne, la latitude est proche de 46.5)")
        return
    hint = (
        f"dans la Vienne, la latitude est entre {south} et {north} et la longitude entre {west} et {east} ; "
        "copiez les coordonnées depuis adresse.data.gouv.fr"
    )
    if not south - MARGIN <= lat <= north + MARGIN:
        report.add("latitude", f"la latitude {record.data.get('latitude')} est hors de la Vienne", hint)
    if not west - MARGIN <= lon <= east + MARGIN:
        report.add("longitude", f"la longitude {record.data.get('longitude')} est hors de la Vienne", hint)


def _check_contact(record: Record, report: ProblemCollector) -> None:
    hours = _text(record, "horaires")
    if hours:
        try:
            message = hours_syntax_error(hours)
        except Exception:  # the parser is a native extension: never let it stop a build
            message = "horaires illisibles (format OpenStreetMap attendu)"
        if message:
            report.add("horaires", message, HOURS_HINT)
    phone = _text(record, "telephone")
    if phone:
        message = phone_problem(phone)
        if message:
            report.add("telephone", message, PHONE_HINT)
    emails = record.data.get("courriels")
    if isinstance(emails, list):
        for index, email in enumerate(emails):
            if isinstance(email, str) and email.strip():
                message = email_problem(email.strip())
                if message:
                    report.add(f"courriels[{index}]", f"{message} : « {email} »",
                               EMAIL_HINT.format(example="contact@mairie-exemple.fr"))
    for field, value in _urls(record):
        problem = url_problem(value)
        if problem:
            report.add(field, *problem)


def _urls(record: Record) -> Iterator[tuple[str, str]]:
    """Every web address of a record with its field path (`site_web[1]`)."""
    for name in URL_FIELDS:
        value = record.data.get(name)
        if isinstance(value, str) and value.strip():
            yield name, value.strip()
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and item.strip():
                    yield f"{name}[{index}]", item.strip()


def _check_date(record: Record, report: ProblemCollector, today: date) -> None:
    value = _text(record, "date_maj")
    if value is None:
        return
    problem = date_problem(value, today.isoformat())
    if problem:
        report.add("date_maj", *problem)
        return
    if date.fromisoformat(value) > today:
        report.add(
            "date_maj",
            f"la date {value} est dans le futur",
            f"écrivez la date de la dernière vérification, au plus tard aujourd’hui ('{today.isoformat()}')",
        )


def _check_closing(record: Record, report: ProblemCollector, today: date) -> None:
    """A closed place keeps its page and says since when: `date_fermeture` is then required."""
    status = _text(record, "statut")
    closing = _text(record, "date_fermeture")
    closed = status is not None and search_key(status) == search_key("fermé")
    if status is not None and not closed and search_key(status) != "ouvert":
        report.add("statut", f"valeur inconnue « {status} »",
                   "écrivez `fermé` (ou retirez la ligne si le lieu est ouvert)")
        return
    if closed and closing is None:
        report.add(
            "statut", "lieu fermé sans date de fermeture",
            f"ajoutez `date_fermeture: '{today.isoformat()}'` (le jour de la fermeture, année-mois-jour)",
        )
    if closing is None:
        return
    if not closed:
        report.add("date_fermeture", "date de fermeture d’un lieu ouvert",
                   "ajoutez `statut: fermé`, ou retirez la ligne")
    problem = date_problem(closing, today.isoformat())
    if problem:
        report.add("date_fermeture", *problem)
    elif date.fromisoformat(closing) > today:
        report.add(
            "date_fermeture", f"la date {closing} est dans le futur",
            "marquez le lieu fermé le jour de sa fermeture, pas avant",
        )


def _check_record(
    record: Record, territory: Territory, root: Path, today: date, places_dir: Path
) -> list[Problem]:
    report = ProblemCollector(record, relative_path(record.path, root))
    instance = _schema_instance(record, report)
    _check_fields(record, report)
    _check_location(record, report, territory, places_dir, root)
    _check_coordinates(record, report, instance)
    _check_contact(record, report)
    _check_date(record, report, today)
    _check_closing(record, report, today)
    schema_report = ProblemCollector(record, report.file)
    _schema_problems(instance, schema_report)
    return keep_specific(report.problems, schema_report.problems)


# --------------------------------------------------------------------------------------
# Checks across records


def _place_key(record: Record, territory: Territory) -> str | None:
    """The page path a record will get (`lieux/<commune>/<slug>/`), if it resolves."""
    code = _text(record, "code_insee")
    commune: Commune | None = territory.commune(code) if code else None
    if commune is None:
        return None
    return f"lieux/{commune.slug}/{record.path.stem}/"


def _duplicates(records: list[Record], territory: Territory, root: Path) -> list[Problem]:
    problems: list[Problem] = []
    files = {id(r): relative_path(r.path, root) for r in records}

    def others(group: list[Record], record: Record) -> str:
        return ", ".join(f"`{files[id(o)]}`" for o in group if o is not record)

    by_id: dict[str, list[Record]] = defaultdict(list)
    by_page: dict[str, list[Record]] = defaultdict(list)
    by_url: dict[str, list[tuple[Record, str]]] = defaultdict(list)
    for record in records:
        ident = _text(record, "id")
        if ident:
            by_id[ident].append(record)
        page = _place_key(record, territory)
        if page:
            by_page[page].append(record)
        for field, url in _urls(record):
            by_url[url.lower().rstrip("/")].append((record, field))

    for ident, group in by_id.items():
        if len(group) < 2:
            continue
        for record in group:
            pos = record.position("id")
            problems.append(Problem(
                files[id(record)], pos.line, pos.column, "id",
                f"l’identifiant « {ident} » est aussi celui de {others(group, record)}",
                "donnez à chaque lieu un identifiant unique (jamais réutilisé)",
            ))
    for page, group in by_page.items():
        if len(group) < 2:
            continue
        for record in group:
            problems.append(Problem(
                files[id(record)], 1, 1, "",
                f"même adresse de page `/{page}` que {others(group, record)}",
                "renommez l’un des fichiers : deux lieux d’une commune ne peuvent pas avoir le même nom de fichier",
            ))
    problems.extend(_old_path_problems(records, territory, files, set(by_page)))
    for uses in by_url.values():
        group = list({id(r): r for r, _ in uses}.values())
        if len(group) < 2:
            continue
        for record, field in uses:
            pos = record.position(field)
            problems.append(Problem(
                files[id(record)], pos.line, pos.column, field,
                f"même adresse web que {others(group, record)}",
                "vérifiez que ce n’est pas le même lieu écrit deux fois ; sinon, rien à faire",
                Severity.WARNING,
            ))
    return problems


def _old_path_problems(
    records: list[Record], territory: Territory, files: dict[int, str], current: set[str]
) -> list[Problem]:
    """`anciennes_urls` must name a former page: not a page of today, not claimed twice
    (a redirect can only lead to one place)."""
    claims: dict[str, list[tuple[Record, str]]] = defaultdict(list)
    for record in records:
        values = record.data.get("anciennes_urls")
        if not isinstance(values, list):
            continue
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                continue
            text = value.strip().strip("/")
            if not re.fullmatch(r"lieux/[a-z0-9-]+/[a-z0-9-]+", text):
                continue  # the schema explains the expected form
            claims[text + "/"].append((record, f"anciennes_urls[{index}]"))
    problems: list[Problem] = []
    for path, uses in claims.items():
        owners = list({id(r): r for r, _ in uses}.values())
        for record, field in uses:
            pos = record.position(field)
            if path in current:
                problems.append(Problem(
                    files[id(record)], pos.line, pos.column, field,
                    f"`{path}` est l’adresse actuelle d’un lieu",
                    "n’indiquez ici que les anciennes adresses de cette fiche, qui ne sont plus celles d’aucun lieu",
                ))
            elif len(owners) > 1:
                others = ", ".join(f"`{files[id(o)]}`" for o in owners if o is not record)
                problems.append(Problem(
                    files[id(record)], pos.line, pos.column, field,
                    f"`{path}` est aussi une ancienne adresse de {others}",
                    "une ancienne adresse ne peut mener qu’à un seul lieu : gardez-la dans une seule fiche",
                ))
    return problems


# --------------------------------------------------------------------------------------
# Entry points


def validate(
    records: list[Record],
    syntax_errors: list[RecordSyntaxError],
    territory: Territory,
    root: Path,
    today: date,
    places_dir: Path | None = None,
) -> list[Problem]:
    """Every problem of every record, sorted by file and line; empty when all is well.

    `places_dir` (default: the grand-parent folder of each file) is only used to write the
    right path in the hint of a misplaced file.
    """
    problems = [syntax_problem(error, root) for error in syntax_errors]
    for record in records:
        base = places_dir if places_dir is not None else record.path.parent.parent
        try:
            problems.extend(_check_record(record, territory, root, today, base))
        except Exception as error:  # a validator must report, never crash the build
            problems.append(crash_problem(relative_path(record.path, root), error))
    try:
        problems.extend(_duplicates(records, territory, root))
    except Exception as error:  # pragma: no cover - same guarantee as above
        problems.append(crash_problem("", error, "vérification des doublons"))
    return sorted(set(problems))


def check_folder(
    places_dir: Path, territory: Territory, root: Path, today: date
) -> tuple[list[Record], list[Problem]]:
    """Load and check every record under `places_dir` (used by the build and by the CLI)."""
    records, syntax_errors = load_records(places_dir)
    return records, validate(records, syntax_errors, territory, root, today, places_dir)
