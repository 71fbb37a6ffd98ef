"""Names and addresses written in capitals by a source come out the way French is written,
and only the words in capitals change."""

from __future__ import annotations

import pytest
from support import territory

from annuaire.importers.casing import proper_address, proper_name, shouts

TERRITORY = territory()


@pytest.mark.parametrize(
    ("source", "written"),
    [
        ("MDS de POITIERS", "MDS de Poitiers"),
        ("MDSP CHATELLERAULT", "MDSP Châtellerault"),
        ("CENTRE COMMUNAL D'ACTION SOCIALE", "Centre communal d'action sociale"),
        ("CROIX ROUGE FRANCAISE", "Croix-Rouge française"),
        ("COMMUNAUTE DE COMMUNES VIENNE ET GARTEMPE", "Communauté de communes Vienne et Gartempe"),
        ("MAIRIE VOUNEUIL SOUS BIARD", "Mairie Vouneuil-sous-Biard"),
        ("MISSION LOCALE DU NORD VIENNE", "Mission locale du Nord Vienne"),
        ("ACLÉ (ASSOCIATION COMMUNIQUER LIRE ECRIRE)", "ACLÉ (Association communiquer lire écrire)"),
        ("MDSP de LOUDUN - MDS JAUNAY-MARIGNY", "MDSP de Loudun - MDS Jaunay-Marigny"),
        ("CAF DE LA VIENNE", "CAF de la Vienne"),  # acronyms stay in capitals
        ("France services de Gençay", "France services de Gençay"),  # already written well: untouched
        ("EPN", "EPN"),
    ],
)
def test_names_in_sentence_case(source: str, written: str) -> None:
    assert proper_name(source, TERRITORY) == written


@pytest.mark.parametrize(
    ("source", "written"),
    [
        ("48 AV DE LA LIBERTE", "48 avenue de la Liberté"),
        ("12 RUE DE L'HOTEL DE VILLE", "12 rue de l'Hôtel de Ville"),
        ("15 PL DU MARECHAL LECLERC", "15 place du Maréchal Leclerc"),
        ("78 BD BLOSSAC", "78 boulevard Blossac"),
        ("9 RUE DU LION D OR", "9 rue du Lion d'Or"),
        ("209 GR DE CHATEAUNEUF", "209 Grand'Rue de Châteauneuf"),
        ("PL DE LA MAIRIE", "place de la Mairie"),
        ("6 RUE DANIEL CORMIER", "6 rue Daniel Cormier"),
        ("12 rue de l'hôtel de Ville, BP9", "12 rue de l'hôtel de Ville, BP9"),  # not shouting: kept
    ],
)
def test_addresses_with_the_street_type_in_full(source: str, written: str) -> None:
    assert proper_address(source, TERRITORY) == written


def test_only_words_of_four_capitals_or_more_shout() -> None:
    assert shouts("MDS JAUNAY-MARIGNY") and shouts("CROIX ROUGE")
    assert not shouts("MDS de Poitiers") and not shouts("CCAS") and not shouts("ACLÉ (Association)")
