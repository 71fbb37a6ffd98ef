"""Vocabularies of the national standard v1.0.2, and their plain-French wording for residents.

The standard's values are kept exactly (they are the interchange format); what a resident
reads next to them is written here, once, so that pages, flyers and filters agree.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..text import slugify

TYPOLOGIES_NAME = "typologies.csv"  # in the reference data folder


@dataclass(frozen=True)
class Service:
    """One value of `services`, with what it means for a resident."""

    label: str  # exact value of the standard
    plain: str  # what you can do there, in plain words
    slug: str


SERVICES: tuple[Service, ...] = tuple(
    Service(label, plain, slugify(label))
    for label, plain in (
        ("Aide aux démarches administratives", "Être aidé pour faire une démarche en ligne (CAF, impôts, France Travail, santé…)"),
        ("Maîtrise des outils numériques du quotidien", "Apprendre à utiliser un téléphone, une tablette ou un ordinateur"),
        ("Insertion professionnelle via le numérique", "Chercher un emploi ou une formation avec Internet"),
        ("Utilisation sécurisée du numérique", "Se protéger sur Internet (arnaques, mots de passe, données)"),
        ("Parentalité et éducation avec le numérique", "Accompagner ses enfants avec les écrans et l’école en ligne"),
        ("Loisirs et créations numériques", "Créer, jouer, faire des photos ou des vidéos"),
        ("Compréhension du monde numérique", "Mieux comprendre le numérique et ses enjeux"),
        ("Accès internet et matériel informatique", "Utiliser un ordinateur ou Internet sur place"),
        ("Acquisition de matériel informatique à prix solidaire", "Trouver un ordinateur ou un téléphone à petit prix"),
    )
)
SERVICE_BY_LABEL = {s.label: s for s in SERVICES}

# The same services in 2 to 4 words, for place cards where several must fit on one phone line.
SERVICE_SHORT = {
    "Aide aux démarches administratives": "démarches en ligne",
    "Maîtrise des outils numériques du quotidien": "téléphone et ordinateur",
    "Insertion professionnelle via le numérique": "emploi et formation",
    "Utilisation sécurisée du numérique": "sécurité sur Internet",
    "Parentalité et éducation avec le numérique": "enfants et écrans",
    "Loisirs et créations numériques": "loisirs numériques",
    "Compréhension du monde numérique": "comprendre le numérique",
    "Accès internet et matériel informatique": "ordinateur et Internet",
    "Acquisition de matériel informatique à prix solidaire": "matériel à petit prix",
}


@dataclass(frozen=True)
class Need:
    """An entry of the home page: a need in the resident's words, leading to a service."""

    title: str
    service: str  # label of the standard
    slug: str = ""  # its coverage map: `couverture/<slug>/`
    short: str = ""  # a table's column
    purpose: str = ""  # « le lieu le plus proche pour … »


NEEDS: tuple[Need, ...] = (
    Need("Faire une démarche en ligne", "Aide aux démarches administratives", "demarches", "Démarches en ligne",
         "les démarches en ligne"),
    Need("Apprendre à utiliser mon téléphone", "Maîtrise des outils numériques du quotidien", "apprendre",
         "Apprendre le numérique", "apprendre à utiliser un téléphone ou un ordinateur"),
    Need("Utiliser un ordinateur ou Internet", "Accès internet et matériel informatique", "ordinateur-internet",
         "Ordinateur et Internet", "utiliser un ordinateur ou Internet"),
    Need("Trouver un ordinateur à petit prix", "Acquisition de matériel informatique à prix solidaire", "materiel",
         "Matériel à petit prix", "trouver un ordinateur à petit prix"),
)

PUBLICS = ("Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes")
PRISE_EN_CHARGE = (
    "Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme",
    "Langues étrangères (anglais)", "Langues étrangères (autres)", "Déficience visuelle",
)
FRAIS = ("Gratuit", "Gratuit sous condition", "Payant")
ITINERANCE = ("Itinérant", "Fixe")
MODALITES_ACCES = (
    "Se présenter", "Téléphoner", "Contacter par mail", "Prendre un RDV en ligne",
    "Ce lieu n'accueille pas de public", "Envoyer un mail avec une fiche de prescription",
)
MODALITES_ACCOMPAGNEMENT = (
    "En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance",
)
DISPOSITIFS = (
    "Aidants Connect", "Bibliothèques numérique de référence", "Certification PIX",
    "Conseillers numériques", "Emmaüs Connect", "France Services", "Grande école du numérique",
    "La Croix Rouge", "Point d'accès numérique CAF", "Promeneurs du net",
    "Relais numérique (Emmaüs Connect)",
)
FORMATIONS_LABELS = (
    "Formé à « Mon Espace Santé »", "Formé à « DUPLEX » (illettrisme)",
    "Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
    "Collectif ressources et acteurs réemploi (Normandie)", "Étapes numériques (La Poste)",
    "Fabriques de Territoire", "Les Éclaireurs du numérique (Drôme)",
    "Mes Papiers (Métropole de Lyon)", "ORDI 3.0", "SUD LABS (PACA)",
)

# Local extension (not in the standard): equipment a resident can use on site.
EQUIPEMENTS = ("Wi-Fi gratuit", "Ordinateurs en libre accès", "Imprimante", "Scanner")

# How each value reads on a place page.
MODALITES_ACCOMPAGNEMENT_PLAIN = {
    "En autonomie": "Seul, avec le matériel du lieu",
    "Accompagnement individuel": "Avec une personne qui vous aide",
    "Dans un atelier collectif": "En atelier, en petit groupe",
    "À distance": "À distance, par téléphone ou en visio",
}
MODALITES_ACCES_PLAIN = {
    "Se présenter": "Venez sans rendez-vous",
    "Téléphoner": "Appelez avant de venir",
    "Contacter par mail": "Écrivez un e-mail",
    "Prendre un RDV en ligne": "Prenez rendez-vous en ligne",
    "Ce lieu n'accueille pas de public": "Ce lieu n’accueille pas de public",
    "Envoyer un mail avec une fiche de prescription": "Sur orientation d’un travailleur social (fiche de prescription par e-mail)",
}


def load_typologies(path: Path) -> dict[str, str]:
    """Typologie codes (`BIB`, `CCAS`…) and their French labels, from `data/typologies.csv`."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["libelle"].lstrip("- ").strip() for row in csv.DictReader(handle)}
