"""Where a value comes from: a source, a documented rule, or a person who checked it.

A record may carry three local extensions (documented in `schemas/lieu.schema.json`):
- `provenance`: the sources it was imported from, each with its file, date and the fields it
  gave (a merged record has several);
- `valeurs_deduites`: the fields whose value a rule gave, not the source's row (field → rule
  id of `RULES`): pages say « d’après … » beside them until someone verifies the record;
- `date_verification` and `verification_moyen` (and optionally `verification_par`): when and
  how a person confirmed the whole record.

The rules are written here, once, in the words a page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from ..text import french_date


@dataclass(frozen=True)
class Rule:
    """A documented way of deducing a value."""

    id: str
    shown: str  # « d’après … », beside the value on a page
    explained: str  # the data page's sentence: what the rule says and where it comes from


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule(
        "anct-france-services",
        "d’après la charte France services",
        "Tout lieu labellisé France services reçoit ces valeurs dans la correspondance nationale de l’ANCT "
        "(cartographie nationale, fichier `france-services.config.json` de mednum-cli) : elles viennent de la "
        "charte France services, pas de la ligne du lieu.",
    ),
    Rule(
        "anct-conseillers-numeriques",
        "d’après le programme Conseillers numériques",
        "Valeurs données à tout lieu de la liste des conseillers numériques par la correspondance nationale "
        "de l’ANCT (`conseiller-numerique.config.json` de mednum-cli).",
    ),
    Rule(
        "anct-data-inclusion",
        "d’après la correspondance de l’ANCT",
        "Valeurs données par la correspondance nationale de l’ANCT pour le flux data·inclusion "
        "(`data-inclusion.config.json` de mednum-cli).",
    ),
    Rule(
        "typologie-nom",
        "d’après le nom du lieu",
        "Le type de structure est lu dans le nom du lieu quand le nom ne laisse aucun doute "
        "(« Médiathèque … » : BIB) ; la source ne le donne pas.",
    ),
)}

# Source codes found in imported data, in words a resident understands.
SOURCE_NAMES = {
    "conseiller-numerique": "Conseillers numériques (ANCT)",
    "conseillers-numeriques": "Conseillers numériques (ANCT)",
    "cnfs": "Conseillers numériques (ANCT)",
    "france-services": "France services (ANCT)",
    "data-inclusion": "data·inclusion",
    "dora": "DORA",
    "hinaura": "Hub numérique Hinaura",
    "mednum": "La MedNum",
    "siao": "SIAO (via data·inclusion)",
}


def source_text(source: str | None) -> str:
    """`conseiller-numerique` → `Conseillers numériques (ANCT)`; readable sources are kept."""
    if not source:
        return "non précisée"
    known = SOURCE_NAMES.get(source.strip().lower())
    if known:
        return known
    if re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)+", source.strip()):
        words = re.sub(r"[-_]+", " ", source.strip())
        return words[:1].upper() + words[1:]
    return source.strip()


# How a person verified a record: the value in the record → how a page says it.
VERIFICATION_MEANS: dict[str, str] = {
    "téléphone": "par téléphone",
    "e-mail": "par e-mail",
    "sur place": "sur place",
    "par le lieu": "par le lieu lui-même",
}


@lru_cache(maxsize=4096)
def french_age(since: date, today: date) -> str:
    """`il y a 4 ans et 6 mois`, `il y a 1 an`, `il y a 3 mois`, `il y a 12 jours`: exact, in
    whole months once past a month, as a resident would say it. Remembered: thousands of
    records share a few hundred dates, and each costs a `relativedelta`."""
    if since >= today:
        return "aujourd’hui"
    delta = relativedelta(today, since)
    years, months, days = delta.years, delta.months, delta.days
    if years == 0 and months == 0:
        return "il y a 1 jour" if days == 1 else f"il y a {days} jours"
    parts = []
    if years:
        parts.append("1 an" if years == 1 else f"{years} ans")
    if months:
        parts.append(f"{months} mois")
    return "il y a " + " et ".join(parts)


def age_band(since: date, today: date) -> int:
    """0: under 6 months; 1: under a year; 2: a year or more (the data-health page's columns)."""
    six_months, one_year = _band_starts(today)
    if since > six_months:
        return 0
    if since > one_year:
        return 1
    return 2


@lru_cache(maxsize=8)
def _band_starts(today: date) -> tuple[date, date]:
    """Six months and a year before `today`: two `relativedelta` per build, not per record."""
    return today - relativedelta(months=6), today - relativedelta(years=1)


@dataclass(frozen=True)
class Freshness:
    """How true a record's information is, in the words a page and a flyer print."""

    sentence: str  # « Informations vérifiées le 3 mars 2026 par téléphone (il y a 9 mois). »
    short: str  # a flyer's footer: « Informations vérifiées le 3 mars 2026 »
    reference: date  # the date the information was last known true: verified, else newest source
    verified: bool


def freshness(
    sources: list[tuple[str, date]], verified_on: date | None, means: str | None, today: date
) -> Freshness:
    """`sources`: (readable name, date) of each source of the record, newest first."""
    if verified_on is not None:
        how = VERIFICATION_MEANS.get(means or "", "")
        how = f" {how}" if how else ""
        return Freshness(
            f"Informations vérifiées le {french_date(verified_on)}{how} ({french_age(verified_on, today)}).",
            f"Informations vérifiées le {french_date(verified_on)}", verified_on, True,
        )
    parts = [f"{name} du {french_date(when)} ({french_age(when, today)})" for name, when in sources]
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et de " + parts[-1]
    newest = max(when for _name, when in sources)
    return Freshness(
        f"Informations issues de {said}, jamais vérifiées auprès du lieu.",
        f"Informations du {french_date(newest)}, non vérifiées", newest, False,
    )
