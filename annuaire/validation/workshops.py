"""Check workshop records (`ateliers/<slug>.yml`) and say in French what to fix, and where.

The contract is `schemas/atelier.schema.json` (editors and CI use the same file). On top of
it we check what a schema cannot: the place exists, times and dates are real, the end comes
after the start, a series has an end date and at least one session, sign-up contacts work,
and, as warnings that never block the site, workshops already over and two workshops at the
same place at the same time. Every problem of every file is reported at once, with its line.

The validation cannot know whether a file is new: a one-off workshop whose date is past gets
a warning ("it no longer shows in the agenda") rather than an error, so that old files never
break the build; remove them when convenient.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, time, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from ..data.calendar import (
    WEEKDAYS,
    OneOff,
    Recurrence,
    Schedule,
    SchoolHoliday,
    meeting_days,
    parse_date,
    parse_time,
    rule_days,
    schedule_from_data,
)
from ..data.contact import email_problem, phone_problem
from ..data.records import Position, Raw, Record
from ..problems import Problem, Severity
from ..text import french_date, search_key
from ..urls import RESERVED_WORKSHOP_SLUGS
from .checks import (
    EMAIL_HINT,
    PHONE_HINT,
    ProblemCollector,
    check_duplicate_keys,
    check_required_not_blank,
    check_text,
    closest,
    crash_problem,
    date_problem,
    file_name_problem,
    good_stem,
    keep_specific,
    quoted_list,
    relative_path,
    text_value,
    time_problem,
    url_problem,
)
from .schema import SchemaHints, SchemaTranslator, missing_at

SCHEMA_FILE = "schemas/atelier.schema.json"
ONE_OFF_FIELDS = ("date", "debut", "fin")
MAX_SERIES_DAYS = 731  # a series is announced for two years at most
HINTS = SchemaHints(schema_file=SCHEMA_FILE, details_field="description")


# --------------------------------------------------------------------------------------
# Dates and times, with a guess of what was meant


def _check_time(report: ProblemCollector, field: str, value: Raw) -> time | None:
    """A `HH:MM` time, else a problem with the corrected spelling when we can guess it."""
    text = text_value(value)
    if text is None:
        return None
    problem = time_problem(text)
    if problem:
        report.add(field, *problem)
        return None
    return parse_time(text)


def _check_date(report: ProblemCollector, field: str, value: Raw) -> date | None:
    """An existing `AAAA-MM-JJ` date, else a problem (with the ISO form of a French date)."""
    text = text_value(value)
    if text is None:
        return None
    problem = date_problem(text, "2026-01-06")
    if problem:
        report.add(field, *problem)
        return None
    return parse_date(text)


def _check_span(report: ProblemCollector, prefix: str, data: Mapping[str, Raw]) -> None:
    """`debut` and `fin` are times, and the end comes after the start."""
    start = _check_time(report, f"{prefix}debut", data.get("debut"))
    end = _check_time(report, f"{prefix}fin", data.get("fin"))
    if start and end and end <= start:
        report.add(
            f"{prefix}fin",
            f"l’atelier finit ({data.get('fin')}) avant de commencer ({data.get('debut')})",
            "vérifiez les heures : `debut` est l’heure de début, `fin` l’heure de fin",
        )


# --------------------------------------------------------------------------------------
# One record


def _check_file(record: Record, report: ProblemCollector, folder: Path, root: Path) -> None:
    """A slug name (not one of the agenda's own pages), `.yml`, directly in `ateliers/`."""
    stem = good_stem(record.path, "atelier")
    if stem in RESERVED_WORKSHOP_SLUGS:
        stem = f"atelier-{stem}"
    expected = relative_path(folder / f"{stem}.yml", root)
    file_name = file_name_problem(record.path, expected)
    if file_name:
        report.add("", *file_name, position=Position(1, 1))
    elif record.path.stem in RESERVED_WORKSHOP_SLUGS:
        report.add("", f"nom de fichier réservé : « {record.path.stem} » est le nom d’une page de l’agenda",
                   f"renommez le fichier en `{expected}`", position=Position(1, 1))
    elif record.path.parent.resolve() != folder.resolve():
        report.add("", "les fiches d’ateliers se rangent directement dans le dossier des ateliers, sans sous-dossier",
                   f"déplacez le fichier vers `{expected}`", position=Position(1, 1))


def _check_place(record: Record, report: ProblemCollector, known_places: Mapping[str, tuple[str, str]]) -> None:
    """`lieu` is the id of a published place; `known_places` maps ids to (name, commune)."""
    ident = text_value(record.data.get("lieu"))
    if ident is None or ident in known_places:
        return
    guess = closest(ident, known_places, cutoff=0.6)
    if guess is None:  # a place name instead of its id
        guess = next((i for i, (name, _) in known_places.items() if search_key(name) == search_key(ident)), None)
    if guess:
        name, commune = known_places[guess]
        hint = f"voulez-vous dire `lieu: {guess}` ({name}, {commune}) ?"
    else:
        hint = "écrivez l’`id` de la fiche du lieu (dans `places/<commune>/<lieu>.yml`, ligne `id:`)"
    report.add("lieu", f"aucun lieu de l’annuaire n’a l’identifiant « {ident} »", hint)


def _check_when(
    record: Record, report: ProblemCollector, today: date, schema: SchemaTranslator,
    holidays: tuple[SchoolHoliday, ...],
) -> None:
    """One-off or series, never both, never neither; then each kind's own rules."""
    data = record.data
    one_off = [name for name in ONE_OFF_FIELDS if name in data]
    rule = data.get("recurrence")
    if not one_off and "recurrence" not in data:
        report.add("", "la date de l’atelier manque",
                   "écrivez `date`, `debut` et `fin` pour un atelier unique, ou `recurrence:` pour un atelier régulier",
                   position=Position(1, 1))
        return
    if one_off and "recurrence" in data:
        report.add("recurrence", "un atelier est soit unique (`date`), soit régulier (`recurrence`), pas les deux",
                   f"retirez `recurrence:` ou les lignes {quoted_list(one_off)}",
                   position=record.key_positions.get("recurrence"))
        return
    if one_off:
        for name in ONE_OFF_FIELDS:
            if name not in data:
                report.add(name, "champ obligatoire manquant pour un atelier unique",
                           f"ajoutez une ligne {schema.example(name)}", position=Position(1, 1))
        day = _check_date(report, "date", data.get("date"))
        _check_span(report, "", data)
        if day and day < today:
            report.add("date", f"cet atelier est passé ({french_date(day)}) : il n’apparaît plus dans l’agenda",
                       "vérifiez la date, ou retirez la fiche", severity=Severity.WARNING)
        return
    if isinstance(rule, dict):
        _check_recurrence(record, report, rule, today, holidays)


def _check_recurrence(
    record: Record, report: ProblemCollector, rule: dict[str, Raw], today: date, holidays: tuple[SchoolHoliday, ...]
) -> None:
    frequency = text_value(rule.get("frequence"))
    if frequency == "hebdomadaire":
        for name in ("rang", "jour"):
            if name in rule:
                report.add(f"recurrence.{name}", f"`{name}` ne sert qu’aux ateliers mensuels",
                           "pour un atelier chaque semaine, écrivez les jours dans `jours:` (par exemple `- mardi`)",
                           position=record.key_positions.get(f"recurrence.{name}"))
        if "jours" not in rule:
            report.add("recurrence.jours", "il manque le ou les jours de la semaine",
                       "ajoutez sous `recurrence:` la ligne `jours:` puis une ligne `- mardi` par jour",
                       position=missing_at(record, "recurrence.jours"))
    elif frequency == "mensuelle":
        if "jours" in rule:
            report.add("recurrence.jours", "`jours` ne sert qu’aux ateliers hebdomadaires",
                       "pour un atelier mensuel, écrivez `rang: 1` et `jour: jeudi` (le premier jeudi du mois)",
                       position=record.key_positions.get("recurrence.jours"))
        for name in ("rang", "jour"):
            if name not in rule:
                report.add(f"recurrence.{name}", f"il manque `{name}` pour un atelier mensuel",
                           "écrivez par exemple `rang: 1` et `jour: jeudi` pour le premier jeudi du mois "
                           "(`rang: -1` pour le dernier)", position=missing_at(record, f"recurrence.{name}"))
    _check_span(report, "recurrence.", rule)
    first = _check_date(report, "recurrence.du", rule.get("du"))
    last = _check_date(report, "recurrence.au", rule.get("au"))
    if "au" not in rule:
        report.add("recurrence.au", "un atelier régulier doit avoir une date de fin (`au`)",
                   "ajoutez sous `recurrence:` une ligne comme `au: '2026-06-30'` (la fin de l’année scolaire, "
                   "par exemple) ; vous pourrez la prolonger ensuite", position=missing_at(record, "recurrence.au"))
    if first and last and last < first:
        report.add("recurrence.au", f"la date de fin ({rule.get('au')}) est avant la première date ({rule.get('du')})",
                   "vérifiez `du` (première séance) et `au` (dernière)")
        return
    if first and last and (last - first).days > MAX_SERIES_DAYS:
        limit = first + timedelta(days=MAX_SERIES_DAYS)
        report.add("recurrence.au", "un atelier régulier s’annonce pour deux ans au plus",
                   f"écrivez au plus tard `au: '{limit.isoformat()}'` ; vous pourrez le prolonger ensuite")
        return
    periods = _check_exceptions(report, rule.get("sauf"))
    if last and last < today:
        report.add("recurrence.au", f"cet atelier régulier est terminé depuis le {french_date(last)} : "
                   "il n’apparaît plus dans l’agenda", "prolongez `au` s’il continue, ou retirez la fiche",
                   severity=Severity.WARNING)
    known_until = max((h.last for h in holidays), default=date.min)
    if str(rule.get("sauf_vacances_scolaires", "")).strip() == "oui" and last and last > known_until:
        report.add("recurrence.sauf_vacances_scolaires",
                   f"les vacances scolaires ne sont connues que jusqu’au {french_date(known_until)}",
                   "après cette date, les séances pendant les vacances seront annoncées : ajoutez-les dans `sauf`, "
                   "ou demandez la mise à jour de `data/vacances-scolaires-zone-a.json`", severity=Severity.WARNING)
    if not periods or report.has_errors():
        return
    try:
        schedule = schedule_from_data(record.data, holidays)
    except (ValueError, TypeError):
        return  # an invalid value: the schema translation reports it
    assert isinstance(schedule, Recurrence)
    days = set(rule_days(schedule))
    named = ", ".join(WEEKDAYS[d] for d in schedule.weekdays)
    sauf = rule.get("sauf")
    for index, item in enumerate(sauf if isinstance(sauf, list) else []):
        day = parse_date(item) if isinstance(item, str) else None
        if day and day not in days:
            report.add(f"recurrence.sauf[{index}]", f"le {french_date(day)} n’est pas un jour d’atelier",
                       f"vérifiez la date : l’atelier a lieu le {named}", severity=Severity.WARNING)
    if not meeting_days(schedule):
        report.add("recurrence", "aucune séance : toutes les dates de la période sont exclues",
                   "vérifiez `jours`/`jour`, `du`, `au` et `sauf`", position=record.key_positions.get("recurrence"))


def _check_exceptions(report: ProblemCollector, value: Raw) -> bool:
    """Dates and periods of `sauf`; True when all of them are readable."""
    if not isinstance(value, list):
        return value is None
    fine = True
    for index, item in enumerate(value):
        field = f"recurrence.sauf[{index}]"
        if isinstance(item, dict):
            first = _check_date(report, f"{field}.du", item.get("du"))
            last = _check_date(report, f"{field}.au", item.get("au"))
            fine = fine and first is not None and last is not None
            if first and last and last < first:
                report.add(f"{field}.au", "la fin de la période est avant son début", "vérifiez `du` et `au`")
                fine = False
        elif isinstance(item, str):
            fine = _check_date(report, field, item) is not None and fine
        else:
            fine = False
    return fine


def _check_sign_up(record: Record, report: ProblemCollector) -> None:
    value = record.data.get("inscription")
    if not isinstance(value, dict):
        return
    phone = text_value(value.get("telephone"))
    message = phone_problem(phone) if phone else None
    if message:
        report.add("inscription.telephone", message, PHONE_HINT)
    email = text_value(value.get("courriel"))
    message = email_problem(email) if email else None
    if message:
        report.add("inscription.courriel", f"{message} : « {email} »",
                   EMAIL_HINT.format(example="ateliers@mairie-exemple.fr"))
    link = text_value(value.get("lien"))
    if link:
        problem = url_problem(link)
        if problem:
            report.add("inscription.lien", *problem)
    ways = [name for name in ("telephone", "courriel", "lien") if text_value(value.get(name))]
    if not ways and text_value(value.get("sans_inscription")) == "non":
        report.add("inscription", "la fiche ne dit pas comment s’inscrire",
                   "ajoutez `telephone`, `courriel` ou `lien` sous `inscription:`",
                   position=record.key_positions.get("inscription"))


def _check_fees(record: Record, report: ProblemCollector) -> None:
    fees = text_value(record.data.get("frais"))
    if fees in ("Payant", "Gratuit sous condition") and not text_value(record.data.get("tarif")):
        report.add("frais", "le prix ou la condition n’est pas précisé",
                   "ajoutez une ligne `tarif:` (par exemple `tarif: 5 € la séance`)", severity=Severity.WARNING)


def _instance(record: Record, report: ProblemCollector) -> dict[str, Any]:
    """The record as the contract sees it: `places` and `rang` as integers."""
    instance: dict[str, Any] = dict(record.data)
    seats = instance.get("places")
    if isinstance(seats, str):
        try:
            instance["places"] = int(seats.strip())
        except ValueError:
            report.add("places", f"« {seats} » n’est pas un nombre",
                       "écrivez un nombre entier, par exemple `places: 8`")
            del instance["places"]
    rule = instance.get("recurrence")
    if isinstance(rule, dict) and isinstance(rule.get("rang"), str):
        rule = dict(rule)
        try:
            rule["rang"] = int(str(rule["rang"]).strip())
        except ValueError:
            pass  # stays text: the enum error names the allowed values
        instance["recurrence"] = rule
    return instance


def _check_record(
    record: Record, schema: SchemaTranslator, known_places: Mapping[str, tuple[str, str]],
    holidays: tuple[SchoolHoliday, ...], root: Path, today: date, folder: Path,
) -> list[Problem]:
    report = ProblemCollector(record, relative_path(record.path, root))
    instance = _instance(record, report)
    _check_file(record, report, folder, root)
    check_duplicate_keys(report)
    check_text(report, multiline=("description", "accessibilite"),
               numbers=("places", "recurrence.rang", "inscription.telephone"))
    check_required_not_blank(report, schema.required, schema.example)
    _check_place(record, report, known_places)
    _check_when(record, report, today, schema, holidays)
    _check_sign_up(record, report)
    _check_fees(record, report)
    schema_report = ProblemCollector(record, report.file)
    schema.check(instance, schema_report)
    return keep_specific(report.problems, schema_report.problems)


# --------------------------------------------------------------------------------------
# Across records


def _sessions(schedule: Schedule, today: date) -> list[tuple[date, time, time]]:
    """(day, start, end) of each session from `today` on."""
    if isinstance(schedule, OneOff):
        days = [schedule.day]
    else:
        days = meeting_days(schedule)
    return [(day, schedule.start, schedule.end) for day in days if day >= today]


def _overlaps(records: list[Record], holidays: tuple[SchoolHoliday, ...], root: Path, today: date) -> list[Problem]:
    """Two workshops at the same place at the same time (from today on): a warning each."""
    sessions: dict[tuple[str, date], list[tuple[time, time, Record]]] = defaultdict(list)
    for record in records:
        schedule = schedule_from_data(record.data, holidays)
        place = str(record.data.get("lieu")).strip()
        for day, start, end in _sessions(schedule, today):
            sessions[(place, day)].append((start, end, record))
    seen: set[tuple[str, ...]] = set()
    problems: list[Problem] = []
    for (_place, day), found in sorted(sessions.items(), key=lambda item: item[0]):
        for (start_a, end_a, record_a), (start_b, end_b, record_b) in combinations(found, 2):
            if not (start_a < end_b and start_b < end_a):
                continue
            pair = tuple(sorted((record_a.path.stem, record_b.path.stem)))
            if pair in seen:
                continue
            seen.add(pair)
            for record, other, (start, end) in (
                (record_a, record_b, (start_b, end_b)), (record_b, record_a, (start_a, end_a))
            ):
                field = "recurrence" if "recurrence" in record.data else "date"
                where = record.key_positions.get(field) or Position(1, 1)
                problems.append(Problem(
                    relative_path(record.path, root), where.line, where.column, field,
                    f"en même temps que `{relative_path(other.path, root)}` au même lieu, le {french_date(day)} "
                    f"({start:%H:%M}-{end:%H:%M})",
                    "vérifiez l’heure et le lieu ; si les deux ont bien lieu en même temps (deux salles), rien à faire",
                    Severity.WARNING,
                ))
    return problems


def check_workshops(
    records: list[Record], schema: dict[str, Any], known_places: Mapping[str, tuple[str, str]],
    school_holidays: tuple[SchoolHoliday, ...], root: Path, today: date, folder: Path,
) -> list[Problem]:
    """Every problem of every workshop record (`ateliers/<slug>.yml`), sorted.

    `known_places` maps the id of each published place to its (name, commune), for hints.
    """
    translator = SchemaTranslator(schema, HINTS)
    problems: list[Problem] = []
    clean: list[Record] = []
    for record in records:
        try:
            found = _check_record(record, translator, known_places, school_holidays, root, today, folder)
        except Exception as error:  # a validator must report, never crash the build
            found = [crash_problem(relative_path(record.path, root), error)]
        problems.extend(found)
        if not any(p.severity is Severity.ERROR for p in found):
            clean.append(record)
    try:
        problems.extend(_overlaps(clean, school_holidays, root, today))
    except Exception as error:  # pragma: no cover - same guarantee as above
        problems.append(crash_problem("", error, "vérification des chevauchements"))
    return sorted(set(problems))
