"""Turn answers about a new place into a record: from questions asked in a terminal, or from
the body GitHub writes for the issue form `proposer-un-lieu.yml`.

Pure functions: `scripts/new_place.py` asks the questions and writes the file. Answers are
keyed by the ids of the issue form, so both ways share one mapping. Nothing is guessed: a
value we cannot put in the standard's form (hours in words, an unknown commune) is left out
and reported as a French "à faire" line for the person who finishes the record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..data import hours, vocabulary
from ..data.contact import email_problem, phone_e164
from ..data.territory import Commune, Territory
from ..settings import REPOSITORY
from ..text import search_key
from ..validation.checks import commune_named, iso_from_french, unknown_insee_message
from .slugs import place_slug

FORM_PATH = REPOSITORY / ".github" / "ISSUE_TEMPLATE" / "proposer-un-lieu.yml"
NO_RESPONSE = "_No response_"

Answers = dict[str, str | list[str]]

# Checkbox ids of the form → record field, and how an option (plain wording or the standard's
# own value) reads in the standard.
_SERVICE_BY_WORDS = {s.plain: s.label for s in vocabulary.SERVICES} | {s.label: s.label for s in vocabulary.SERVICES}
_ACCES_BY_WORDS = {v: k for k, v in vocabulary.MODALITES_ACCES_PLAIN.items()} | {
    k: k for k in vocabulary.MODALITES_ACCES
}
_ACCOMPAGNEMENT_BY_WORDS = {v: k for k, v in vocabulary.MODALITES_ACCOMPAGNEMENT_PLAIN.items()} | {
    k: k for k in vocabulary.MODALITES_ACCOMPAGNEMENT
}
CHOICES: dict[str, tuple[str, dict[str, str]]] = {
    "services": ("services", _SERVICE_BY_WORDS),
    "publics": ("publics_specifiquement_adresses", {v: v for v in vocabulary.PUBLICS}),
    "prise_en_charge": ("prise_en_charge_specifique", {v: v for v in vocabulary.PRISE_EN_CHARGE}),
    "frais": ("frais_a_charge", {v: v for v in vocabulary.FRAIS}),
    "modalites_acces": ("modalites_acces", _ACCES_BY_WORDS),
    "modalites_accompagnement": ("modalites_accompagnement", _ACCOMPAGNEMENT_BY_WORDS),
    "equipements": ("equipements", {v: v for v in vocabulary.EQUIPEMENTS}),
}
# Text answers copied as they are.
TEXTS = {
    "nom": "nom",
    "adresse": "adresse",
    "complement_adresse": "complement_adresse",
    "fiche_acces_libre": "fiche_acces_libre",
    "prise_rdv": "prise_rdv",
    "presentation": "presentation_resume",
    "source": "source",
}


class NewPlaceError(ValueError):
    """An answer that prevents writing the record; the message is French."""


@dataclass
class Draft:
    """The record to write, where it goes, and what a person still has to do by hand."""

    data: dict[str, Any]
    commune: Commune
    slug: str
    todo: list[str] = field(default_factory=list)

    @property
    def relative_path(self) -> str:
        """`<commune-slug>/<slug>.yml`, under `places/`."""
        return f"{self.commune.slug}/{self.slug}.yml"


# --- Reading GitHub's issue body ------------------------------------------------------------

def load_form(path: Path = FORM_PATH) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def parse_issue_form(text: str, form: Mapping[str, Any] | None = None) -> Answers:
    """Answers from the Markdown body GitHub writes for an issue form: one `### Label` section
    per question. Checkboxes become the list of ticked options; `_No response_` and empty
    answers are left out. Keys are the form's ids."""
    form = load_form() if form is None else form
    by_label = {
        str(e["attributes"]["label"]).strip(): e
        for e in form["body"]
        if e.get("type") != "markdown" and "id" in e
    }
    answers: Answers = {}
    sections = re.split(r"^### +(.+?)\s*$", text.replace("\r\n", "\n"), flags=re.M)
    for label, body in zip(sections[1::2], sections[2::2], strict=True):
        element = by_label.get(label.strip())
        if element is None:
            continue
        value = body.strip()
        if element["type"] == "checkboxes":
            ticked = re.findall(r"^- \[[xX]\] +(.+?)\s*$", value, flags=re.M)
            if ticked:
                answers[element["id"]] = ticked
        elif value and value != NO_RESPONSE:
            answers[element["id"]] = value
    return answers


# --- From answers to a record ----------------------------------------------------------------

def _one(answers: Mapping[str, str | list[str]], key: str) -> str:
    value = answers.get(key, "")
    if isinstance(value, list):
        value = ", ".join(value)
    return value.strip()


def _many(answers: Mapping[str, str | list[str]], key: str) -> list[str]:
    value = answers.get(key, [])
    if isinstance(value, str):
        value = [v for v in re.split(r"\s*[,;\n]\s*", value) if v.strip()]
    return [v.strip() for v in value if v.strip()]


def parse_date(text: str) -> date:
    """`2026-11-28`, `28/11/2026` or `28-11-2026` (the forms a French contributor writes)."""
    text = text.strip()
    try:
        return date.fromisoformat(iso_from_french(text) or text)
    except ValueError:
        raise NewPlaceError(
            f"date « {text} » illisible : écrivez-la jour/mois/année, par exemple 28/11/2026"
        ) from None


def find_commune(territory: Territory, name: str, postcode: str = "", code_insee: str = "") -> Commune:
    """The commune of the Vienne meant by the answers; a French error if none or several."""
    if code_insee:
        commune = territory.commune(code_insee)
        if commune is None:
            raise NewPlaceError(unknown_insee_message(code_insee, territory))
        return commune
    if not name:
        raise NewPlaceError("la commune est obligatoire")
    # The postcode only chooses between communes of the same name; a postcode that belongs
    # to another commune is reported by `record_from_answers`.
    commune, problem = commune_named(territory, name, postcode)
    if commune is None:
        raise NewPlaceError(problem)
    return commune


def _choices(answers: Mapping[str, str | list[str]], key: str, todo: list[str]) -> list[str]:
    field_name, table = CHOICES[key]
    folded = {search_key(k): v for k, v in table.items()}
    values: list[str] = []
    raw = answers.get(key, [])
    # A single text answer is one option: plain wordings contain commas ("CAF, impôts…").
    for answer in [a.strip() for a in ([raw] if isinstance(raw, str) else raw) if a.strip()]:
        value = table.get(answer) or folded.get(search_key(answer))
        if value is None:
            todo.append(f"{field_name} : « {answer} » n’est pas une valeur connue, à vérifier")
        elif value not in values:
            values.append(value)
    return values


def record_from_answers(answers: Mapping[str, str | list[str]], territory: Territory, today: date) -> Draft:
    """The record for these answers, in the standard's fields, with what is left to do."""
    todo: list[str] = []
    nom = _one(answers, "nom")
    if not nom:
        raise NewPlaceError("le nom du lieu est obligatoire")
    postcode = re.sub(r"\s", "", _one(answers, "code_postal"))
    commune = find_commune(territory, _one(answers, "commune"), postcode, _one(answers, "code_insee"))
    if postcode and postcode not in commune.codes_postaux:
        todo.append(
            f"code_postal : {postcode} n’est pas un code postal de {commune.nom} "
            f"({', '.join(commune.codes_postaux)}), à vérifier"
        )
    slug = place_slug(nom, commune.nom)
    data: dict[str, Any] = {"id": f"{commune.slug}-{slug}"}
    for key, field_name in TEXTS.items():
        if value := _one(answers, key):
            data[field_name] = value
    data["code_postal"] = postcode or (commune.codes_postaux[0] if len(commune.codes_postaux) == 1 else "")
    data["commune"] = commune.nom
    data["code_insee"] = commune.code_insee

    if phone := _one(answers, "telephone"):
        e164 = phone_e164(phone)
        data["telephone"] = e164 or phone
        if e164 is None:
            todo.append(f"telephone : « {phone} » n’est pas un numéro valide, à vérifier")
    emails = _many(answers, "courriel")
    for email in emails:
        if email_problem(email):
            todo.append(f"courriels : « {email} » n’est pas une adresse e-mail valide, à vérifier")
    data["courriels"] = emails
    data["site_web"] = _many(answers, "site_web")

    if opening := _one(answers, "horaires"):
        if hours.syntax_error(opening) is None:
            data["horaires"] = opening
        else:
            todo.append(
                "horaires : à écrire au format OpenStreetMap (par exemple "
                f"« Mo-Fr 09:00-12:00,14:00-17:00 ») d’après : « {' '.join(opening.split())} »"
            )
    for key, (field_name, _) in CHOICES.items():
        data[field_name] = _choices(answers, key, todo)

    wheelchair = search_key(_one(answers, "accessible_fauteuil_roulant"))
    if wheelchair in ("oui", "non"):
        data["accessible_fauteuil_roulant"] = wheelchair
    when = _one(answers, "date")
    day = parse_date(when) if when else today
    if day > today:
        raise NewPlaceError(f"la date {day.isoformat()} est dans le futur")
    data["date_maj"] = day.isoformat()
    if not data.get("source"):
        todo.append("source : dites qui a fourni ces informations (le lieu, la mairie…)")
    if "adresse" not in data:
        todo.append("adresse : numéro et rue du lieu, obligatoire")
    return Draft(data=data, commune=commune, slug=slug, todo=todo)
