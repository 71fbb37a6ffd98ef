"""A verification answer (issue form « Ces informations sont-elles justes ? ») → the record change.

The answer says which place (its page address), how and when it was checked, and what changed
as `champ: valeur` lines. The record then carries `date_verification`, `verification_moyen`
(and `verification_par`), its `date_maj` becomes the day of the check, and the changed values
are written. Pure functions: `scripts/verify_place.py` reads the issue and writes the file,
and only when the changed record passes the build's own checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..data.provenance import VERIFICATION_MEANS
from ..settings import REPOSITORY
from ..urls import normalize_path
from .issue_form import NO_RESPONSE, load_form, parse_date, parse_issue_form
from .record_writer import replace_fields

FORM_PATH = REPOSITORY / ".github" / "ISSUE_TEMPLATE" / "verifier-un-lieu.yml"
ALL_RIGHT = "Oui, tout est juste"
LIST_FIELDS = (
    "typologie", "courriels", "site_web", "services", "publics_specifiquement_adresses",
    "prise_en_charge_specifique", "frais_a_charge", "itinerance", "modalites_acces",
    "modalites_accompagnement", "dispositif_programmes_nationaux", "formations_labels", "equipements",
    "communes_desservies",
)
# What a verification may not change: identity and the files' own bookkeeping.
FIXED_FIELDS = ("id", "provenance", "valeurs_deduites", "date_verification", "verification_moyen",
                "verification_par", "date_maj", "anciennes_urls")


class VerificationError(ValueError):
    """An answer that cannot become a record change; the message is French."""


@dataclass(frozen=True)
class Verification:
    page: str  # `lieux/<commune>/<slug>/`
    all_right: bool
    means: str
    day: date
    by: str | None
    changes: dict[str, Any] = field(default_factory=dict)
    unreadable: tuple[str, ...] = ()  # change lines that are not `champ: valeur`: for a person


def read_answer(body: str, today: date, form_path: Path = FORM_PATH) -> Verification:
    """The answer in a GitHub issue body; VerificationError (French) when it cannot be used."""
    answers = parse_issue_form(body, load_form(form_path))

    def one(key: str) -> str:
        value = answers.get(key, "")
        return (", ".join(value) if isinstance(value, list) else value).strip()

    url = one("url")
    match = re.search(r"lieux/[a-z0-9-]+/[a-z0-9-]+/?", url)
    if not match:
        raise VerificationError(f"adresse de page « {url} » : il faut l’adresse d’une page de lieu (…/lieux/<commune>/<lieu>/)")
    means = one("moyen")
    if means not in VERIFICATION_MEANS:
        raise VerificationError(f"moyen de vérification « {means} » inconnu : {', '.join(VERIFICATION_MEANS)}")
    when = one("date")
    day = parse_date(when) if when else today
    if day > today:
        raise VerificationError(f"la date {day.isoformat()} est dans le futur")
    changes: dict[str, Any] = {}
    unreadable = []
    for line in one("changements").splitlines():
        line = line.strip()
        if not line or line == NO_RESPONSE:
            continue
        found = re.match(r"^([a-z_]+)\s*:\s*(.+)$", line)
        if not found:
            unreadable.append(line)
            continue
        name, value = found.group(1), found.group(2).strip()
        if name in FIXED_FIELDS:
            raise VerificationError(f"le champ `{name}` ne se change pas par une vérification")
        changes[name] = [v.strip() for v in re.split(r"\s*[|;]\s*", value) if v.strip()] if name in LIST_FIELDS else value
    all_right = one("reponse") == ALL_RIGHT
    if all_right and (changes or unreadable):
        raise VerificationError("la réponse dit « tout est juste » mais donne des changements : laquelle croire ?")
    return Verification(normalize_path(match.group(0)), all_right, means, day, one("par") or None, changes,
                        tuple(unreadable))


def verified_data(data: Mapping[str, Any], answer: Verification) -> dict[str, Any]:
    """The record's values after the verification (the caller writes `dump_record` of them)."""
    result = dict(data)
    result.update(answer.changes)
    result["date_maj"] = answer.day.isoformat()
    result["date_verification"] = answer.day.isoformat()
    result["verification_moyen"] = answer.means
    if answer.by:
        result["verification_par"] = answer.by
    else:
        result.pop("verification_par", None)
    return result


def verified_text(text: str, data: Mapping[str, Any], answer: Verification) -> str:
    """The record's text with only the changed fields rewritten (a small diff to review)."""
    after = verified_data(data, answer)
    updates = {name: value for name, value in after.items() if data.get(name) != value}
    if "verification_par" in data and "verification_par" not in after:
        updates["verification_par"] = None
    return replace_fields(text, updates)
