"""Check place records against the contract and the territory, and say in French what to fix.

The contract is `schemas/lieu.schema.json` (the same file editors and CI use). On top of it
we check what a JSON Schema cannot: the file's place in `places/`, the commune and its
postcodes, coordinates inside the département, opening hours, phone numbers, dates, duplicates.
Every problem of every file is reported at once, with its line, so that a volunteer fixes
everything in one go. Nothing here raises on bad input or writes a file.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from ..data.contact import email_problem, phone_display, phone_problem
from ..data.hours import syntax_error as hours_syntax_error
from ..data.memo import RecordMemo
from ..data.records import Position, Record
from ..data.territory import Commune, Territory
from ..problems import Problem, Severity
from ..text import search_key
from ..urls import RESERVED_PLACE_SLUGS, place_path
from .checks import (
    EMAIL_HINT,
    PHONE_HINT,
    ProblemCollector,
    check_duplicate_keys,
    check_required_not_blank,
    check_text,
    commune_named,
    crash_problem,
    date_problem,
    file_name_problem,
    good_stem,
    insee_example,
    is_blank,
    keep_specific,
    relative_path,
    text_value,
    unknown_insee_message,
    url_problem,
)
from .schema import SchemaHints, SchemaTranslator

SCHEMA_FILE = "schemas/lieu.schema.json"

# The département's extent comes from its communes' points (`Territory.bounds`), plus this
# margin (about 9 km, a commune's point is inside it, not on its edge): a place on the border is
# never refused, but a point in the sea or in another région (swapped or mistyped) is.
MARGIN = 0.08

HOURS_EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:00"
HOURS_HINT = (
    f"exemple : `{HOURS_EXAMPLE}; Sa 09:00-12:00` "
    "(Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, Sa samedi, Su dimanche)"
)
URL_FIELDS = ("site_web", "fiche_acces_libre", "prise_rdv")
# A web address given by this many places is a network's site or booking service (France
# services, a library network: thousands in the national data), not one place written twice:
# no warning. Below, each place is told which others give it.
SHARED_SITE_FROM = 4
NAMED_OTHERS = 3  # the other files a message names; beyond, « et N autres »
MULTILINE_FIELDS = ("presentation_detail", "presentation_resume")  # the only fields that may hold line breaks
NUMBER_FIELDS = ("telephone", "latitude", "longitude")  # may start with « + » or « - »


# --------------------------------------------------------------------------------------
# Small helpers


def _text(record: Record, field: str) -> str | None:
    return text_value(record.data.get(field))


def _or_list(values: Iterable[str]) -> str:
    items = list(values)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " ou " + items[-1]


def _pattern_message(field: str, value: str) -> tuple[str, str] | None:
    """What a broken pattern means for the fields that have one."""
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
        return (f"« {value} » n’est pas un code INSEE", "écrivez les 5 chiffres du code INSEE de la commune, entre guillemets")
    if field in URL_FIELDS:
        return (f"« {value} » n’est pas une adresse web", "écrivez l’adresse complète, qui commence par `https://`")
    return None  # dates are explained by _check_date and _check_closing, which speak first


HINTS = SchemaHints(
    schema_file=SCHEMA_FILE,
    details_field="presentation_detail",
    enum_hints={
        "typologie": "écrivez un code de la typologie nationale (`BIB`, `CCAS`, `MDS`, `ASSO`…) ; "
                     "liste complète dans `data/typologies.csv`",
    },
    pattern_message=_pattern_message,
)


def _schema_instance(record: Record, report: ProblemCollector, schema: SchemaTranslator) -> dict[str, Any]:
    """The record as the contract sees it: known fields only, coordinates as numbers.
    Unknown fields are reported by `_check_fields`, with the closest known name."""
    instance: dict[str, Any] = {k: v for k, v in record.data.items() if k in schema.fields}
    for name in ("latitude", "longitude"):
        value = instance.get(name)
        if not isinstance(value, str):
            continue
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
            hint = "écrivez un nombre avec un point, par exemple " + schema.example(name)
            if re.fullmatch(r"\s*-?\d+,\d+\s*", value):
                hint = f"écrivez `{value.strip().replace(',', '.')}` (avec un point, pas une virgule)"
            report.add(name, f"« {value} » n’est pas un nombre", hint)
            del instance[name]
            continue
        if not math.isfinite(number):
            report.add(name, f"« {value} » n’est pas un nombre",
                       "écrivez un nombre, par exemple " + schema.example(name))
            del instance[name]
            continue
        instance[name] = number
    return instance


# --------------------------------------------------------------------------------------
# Checks beyond the schema (one record)


def _check_fields(record: Record, report: ProblemCollector, schema: SchemaTranslator) -> None:
    """Duplicate keys, unknown keys (with the closest known name), empty required values."""
    check_duplicate_keys(report)
    schema.unknown_fields("", record.data, list(schema.fields), report)
    check_required_not_blank(report, schema.required, schema.example)


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
    elif record.path.stem in RESERVED_PLACE_SLUGS:
        report.add("", f"nom de fichier réservé : « {record.path.name} » serait la page de la commune, pas celle du lieu",
                   f"renommez le fichier d’après le nom du lieu, par exemple `{relative_path(places_dir / folder, root)}/mediatheque.yml`",
                   position=Position(1, 1))

    if code and commune is None:
        named = territory.communes_named(name) if name else []
        if named:
            hint = f"le code INSEE de {named[0].nom} est '{named[0].code_insee}'"
        else:
            hint = f"écrivez le code INSEE de la commune ({insee_example(territory)})"
        report.add("code_insee", unknown_insee_message(code, territory), hint)
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


def _check_coordinates(record: Record, report: ProblemCollector, instance: dict[str, Any], territory: Territory) -> None:
    """Both or none, and inside the département (a swapped pair is recognised)."""
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
    bounds = territory.bounds(MARGIN)
    if bounds is None:  # no commune points for this territory: only the ranges of the Earth
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            report.add("latitude", "coordonnées impossibles", "copiez les coordonnées depuis adresse.data.gouv.fr")
        return
    south, north, west, east = (round(b, 2) for b in bounds)
    dans = territory.named.dans

    def inside(la: float, lo: float) -> bool:
        return south <= la <= north and west <= lo <= east

    if inside(lat, lon):
        return
    if inside(lon, lat):
        report.add("latitude", "latitude et longitude semblent inversées",
                   f"échangez les deux valeurs ({dans}, la latitude est proche de {round((south + north) / 2, 1)})")
        return
    hint = (
        f"{dans}, la latitude est entre {south} et {north} et la longitude entre {west} et {east} ; "
        "copiez les coordonnées depuis adresse.data.gouv.fr"
    )
    if not south - MARGIN <= lat <= north + MARGIN:
        report.add("latitude", f"la latitude {record.data.get('latitude')} est hors {territory.named.de}", hint)
    if not west - MARGIN <= lon <= east + MARGIN:
        report.add("longitude", f"la longitude {record.data.get('longitude')} est hors {territory.named.de}", hint)


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


def _check_stops(record: Record, report: ProblemCollector, territory: Territory) -> None:
    """`communes_desservies` (an itinerant place's stops, or the sites of a multi-site place)
    names communes of the territory."""
    stops = record.data.get("communes_desservies")
    if not isinstance(stops, list):
        return
    for index, name in enumerate(stops):
        if not isinstance(name, str) or not name.strip():
            continue
        commune, why = commune_named(territory, name.strip())
        if commune is None:
            report.add(f"communes_desservies[{index}]", why, "écrivez le nom de la commune comme sur la page « Par territoire »")


def _check_provenance(record: Record, report: ProblemCollector, today: date, fields: Iterable[str]) -> None:
    """Verification said whole (when and how, not in the future); deduced values and source
    fields name fields the record has."""
    verified = _text(record, "date_verification")
    means = _text(record, "verification_moyen")
    if verified is not None:
        problem = date_problem(verified, today.isoformat())
        if problem:
            report.add("date_verification", *problem)
        elif date.fromisoformat(verified) > today:
            report.add("date_verification", f"la date {verified} est dans le futur",
                       f"écrivez le jour de la vérification, au plus tard aujourd’hui ('{today.isoformat()}')")
        if means is None:
            report.add("date_verification", "dites comment la fiche a été vérifiée",
                       "ajoutez `verification_moyen:` avec `téléphone`, `e-mail`, `sur place` ou `par le lieu`")
    elif means is not None:
        report.add("verification_moyen", "il manque le jour de la vérification",
                   f"ajoutez `date_verification: '{today.isoformat()}'` (le jour où vous avez vérifié)")
    deduced = record.data.get("valeurs_deduites")
    if isinstance(deduced, dict):
        for name in deduced:
            if is_blank(record.data.get(name)):
                report.add(f"valeurs_deduites.{name}", f"le champ `{name}` n’a pas de valeur dans la fiche",
                           f"retirez la ligne `{name}:` de `valeurs_deduites`")
    sources = record.data.get("provenance")
    if isinstance(sources, list):
        known = set(fields)
        for index, source in enumerate(sources):
            if not isinstance(source, dict):
                continue
            when = source.get("date")
            if isinstance(when, str):
                problem = date_problem(when, today.isoformat())
                if problem:
                    report.add(f"provenance[{index}].date", *problem)
            given = source.get("champs")
            for position, field_name in enumerate(given if isinstance(given, list) else []):
                if isinstance(field_name, str) and field_name not in known:
                    report.add(f"provenance[{index}].champs[{position}]", f"champ inconnu `{field_name}`",
                               "écrivez le nom d’un champ de la fiche")


def _check_record(
    record: Record, schema: SchemaTranslator, territory: Territory, root: Path, today: date, places_dir: Path
) -> list[Problem]:
    report = ProblemCollector(record, relative_path(record.path, root))
    instance = _schema_instance(record, report, schema)
    _check_fields(record, report, schema)
    check_text(report, multiline=MULTILINE_FIELDS, numbers=NUMBER_FIELDS)
    _check_location(record, report, territory, places_dir, root)
    _check_stops(record, report, territory)
    _check_coordinates(record, report, instance, territory)
    _check_contact(record, report)
    _check_date(record, report, today)
    _check_closing(record, report, today)
    _check_provenance(record, report, today, schema.fields)
    schema_report = ProblemCollector(record, report.file)
    schema.check(instance, schema_report)
    return keep_specific(report.problems, schema_report.problems)


# --------------------------------------------------------------------------------------
# Checks across records


def _place_key(record: Record, territory: Territory) -> str | None:
    """The page path a record will get (`lieux/<commune>/<slug>/`), if it resolves."""
    code = _text(record, "code_insee")
    commune: Commune | None = territory.commune(code) if code else None
    if commune is None:
        return None
    return place_path(commune.slug, record.path.stem)


def _duplicates(records: list[Record], territory: Territory, root: Path) -> list[Problem]:
    problems: list[Problem] = []
    files = {id(r): relative_path(r.path, root) for r in records}

    def others(group: list[Record], record: Record) -> str:
        """The other files of `group`, the first few by name: a national import's duplicates
        must not make messages that name thousands of files each."""
        named = [f"`{files[id(o)]}`" for o in group[:NAMED_OTHERS + 1] if o is not record][:NAMED_OTHERS]
        rest = len(group) - 1 - len(named)
        return ", ".join(named) + (f" et {rest} autre{'s' if rest > 1 else ''}" if rest else "")

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
        if not 2 <= len(group) < SHARED_SITE_FROM:
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


DATED_FIELDS = ("date_maj", "date_fermeture", "date_verification")


def _lasting(record: Record, today: date, problems: list[Problem]) -> bool:
    """Whether the problems `_check_record` found `today` are the same on any later day: none
    names today's date (the examples of the hints), and no date of the record is after today
    (a date in the future stops being a problem the day it comes). What is not sure counts
    as changing: the record is then checked again the next day."""
    day = today.isoformat()
    if any(day in problem.message or day in problem.hint for problem in problems):
        return False
    sources = record.data.get("provenance")
    dates = [record.data.get(name) for name in DATED_FIELDS]
    dates += [source.get("date") for source in sources if isinstance(source, dict)] if isinstance(sources, list) else []
    # Dates are text here (`data/records.py`): `AAAA-MM-JJ` compares as text as it does as a date,
    # and any other text either has no day in it or is compared the same way (checked again).
    return all(not isinstance(value, str) or value.strip() <= day for value in dates)


# --------------------------------------------------------------------------------------
# Entry point


def check_places(
    records: list[Record], schema: dict[str, Any], territory: Territory, root: Path, today: date, places_dir: Path,
    memo: RecordMemo | None = None,
) -> list[Problem]:
    """Every problem of every place record, sorted by file and line; empty when all is well.

    `places_dir` is where records belong (hints name the right path for a misplaced file);
    `root` is what file paths are shown relative to. `memo`: the problems of records read
    through it and unchanged since the last build (same context) are taken back from it.
    """
    translator = SchemaTranslator(schema, HINTS)
    problems: list[Problem] = []
    for record in records:
        check = partial(_check_record, record, translator, territory, root, today, places_dir)
        try:
            problems.extend(
                memo.checked(record, check, today, partial(_lasting, record, today)) if memo is not None else check())
        except Exception as error:  # a validator must report, never crash the build
            problems.append(crash_problem(relative_path(record.path, root), error))
    try:
        problems.extend(_duplicates(records, territory, root))
    except Exception as error:  # pragma: no cover - same guarantee as above
        problems.append(crash_problem("", error, "vérification des doublons"))
    return sorted(set(problems))


def served_paths(records: list[Record], territory: Territory) -> dict[str, Record]:
    """Every page path the records will publish (place pages and their old addresses), with
    the record that publishes it: what the ledger of printed addresses is checked against."""
    served: dict[str, Record] = {}
    for record in records:
        page = _place_key(record, territory)
        if page:
            served[page] = record
        values = record.data.get("anciennes_urls")
        for value in values if isinstance(values, list) else []:
            if isinstance(value, str) and re.fullmatch(r"/?lieux/[a-z0-9-]+/[a-z0-9-]+/?", value.strip()):
                served.setdefault(value.strip().strip("/") + "/", record)
    return served
