"""The nearest places from a commune, computed at build time so that a commune page answers
"where do I go?" without JavaScript: distances, the per-need line and the Saturday mention."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from support import fixture_settings

from annuaire.data import hours
from annuaire.data.geo import Points, km_between
from annuaire.data.territory import Commune, Epci, Territory
from annuaire.model.directory import Directory
from annuaire.model.nearest import Ranking, nearest
from annuaire.model.places import Place
from annuaire.printing.produce import Printed
from annuaire.site.agenda import Sessions
from annuaire.site.pages import DirectoryPages, distance_text, need_lines
from annuaire.site.templating import environment
from annuaire.views import prepare, saturday_text

ROOT = Path(__file__).resolve().parents[1]
KM_PER_DEGREE = 111.195  # along a meridian, Earth radius 6371.0088 km

DEMARCHES = "Aide aux démarches administratives"
ORDINATEUR = "Accès internet et matériel informatique"

# Made-up communes on one meridian: distances are easy to check by hand.
ORIGINE = Commune("99001", "Origine", ("99100",), 500, "999999999")
LOINTAINE = Commune("99002", "Lointaine", ("99200",), 300, "999999999")
VOISINE = Commune("99003", "Voisine", ("99300",), 300, "999999999")
EPCI = Epci("999999999", "CC des Essais", "CC", 1100, ("99001", "99002", "99003"))
POSITIONS = {"99001": (46.0, 0.5), "99002": (46.3, 0.5), "99003": (46.1, 0.5)}


def place(slug: str, commune: Commune, services: tuple[str, ...], hours: str | None,
          lat: float | None, lon: float | None = 0.5) -> Place:
    return Place(
        file=f"places/{commune.slug}/{slug}.yml", slug=slug, commune_ref=commune, epci_ref=EPCI,
        id=slug, nom=slug.replace("-", " ").capitalize(), adresse="1 rue des Essais",
        code_postal=commune.codes_postaux[0], commune=commune.nom, date_maj=date(2025, 1, 1),
        latitude=lat, longitude=lon if lat is not None else None, services=services, horaires=hours,
        telephone="05 49 00 00 00",
    )


WEEKDAYS_ONLY = place("en-semaine", VOISINE, (DEMARCHES,), "Mo-Fr 09:00-12:00", 46.05)
SATURDAY_MORNING = place("samedi-matin", VOISINE, (DEMARCHES, ORDINATEUR), "Mo-Fr 09:00-17:00; Sa 09:00-12:00", 46.10)
COMPUTERS = place("ordinateurs", ORIGINE, (ORDINATEUR,), "Sa 14:00-18:00", 46.02)
NO_COORDINATES = place("sans-position", LOINTAINE, (DEMARCHES,), "Sa 10:00-16:00", None)


@pytest.fixture(scope="module")
def directory() -> Directory:
    territory = Territory([ORIGINE, LOINTAINE, VOISINE], [EPCI], "essai", POSITIONS)
    places = (WEEKDAYS_ONLY, SATURDAY_MORNING, COMPUTERS, NO_COORDINATES)
    return Directory(places=tuple(sorted(places, key=lambda p: p.sort_key)), territory=territory)


def ranked_from(directory: Directory, commune: Commune) -> Ranking:
    return directory.ranked_from(commune)


def test_nearest_places_are_sorted_by_straight_line_distance_from_the_town_hall(directory: Directory) -> None:
    ranked = ranked_from(directory, ORIGINE)
    assert [n.place.slug for n in ranked] == ["ordinateurs", "en-semaine", "samedi-matin", "sans-position"]
    # A place without coordinates is placed at its commune's town hall (30 km north).
    for found, degrees in zip(ranked, (0.02, 0.05, 0.10, 0.30)):
        assert found.km == pytest.approx(degrees * KM_PER_DEGREE, rel=1e-3)
    two = nearest(directory.territory.position(ORIGINE.code_insee), directory.places, directory.territory, k=2)
    assert [n.place.slug for n in two] == ["ordinateurs", "en-semaine"]


def test_a_ranking_reads_as_the_list_of_every_place_in_order(directory: Directory) -> None:
    """Rankings are kept as arrays and read lazily: what a commune page takes from one (its own
    places, the others nearest first) is what the full list gives."""
    ranked = ranked_from(directory, ORIGINE)
    listed = list(ranked)
    assert [ranked[i] for i in range(len(ranked))] == listed and ranked[-1] == listed[-1]
    assert list(ranked[:2]) == listed[:2]
    assert list(ranked.of_commune(VOISINE.code_insee)) == [n for n in listed if n.place.commune_ref == VOISINE]
    others = ranked.of_commune(ORIGINE.code_insee, inside=False)
    assert list(others) == [n for n in listed if n.place.commune_ref != ORIGINE] and len(others) == 3
    assert list(ranked.of_commune("00000")) == []
    assert list(ranked.offering(ORDINATEUR)) == [n for n in listed if ORDINATEUR in n.place.services]
    assert list(ranked.offering("Service que personne n’offre")) == []


def test_distances_read_as_a_resident_says_them() -> None:
    # A non-breaking space keeps "12 km" together at the end of a phone line.
    assert distance_text(0.4) == "à moins d’1\u00a0km"
    assert distance_text(5.56) == "à 5,6\u00a0km"
    assert distance_text(11.8) == "à 12\u00a0km"
    assert km_between((46.0, 0.5), (47.0, 0.5)) == pytest.approx(KM_PER_DEGREE, rel=1e-4)
    # Many distances at once (every commune ranks every place) agree with the one-by-one formula.
    points = [(47.0, 0.5), (46.58, 0.34), (46.0, 0.5), (46.58, 0.34), (43.3, 5.4)]
    together = Points(points).km_array((46.0, 0.5)).tolist()
    assert together == pytest.approx([km_between((46.0, 0.5), p) for p in points], abs=1e-9)
    assert together[2] == 0.0 and together[1] == together[3]
    assert Points([]).km_array((46.0, 0.5)).tolist() == []


def test_saturday_is_said_in_words() -> None:
    def saturday(place: Place) -> str | None:
        return saturday_text(hours.weekly(place.horaires or ""))

    assert saturday(SATURDAY_MORNING) == "Ouvert le samedi matin"
    assert saturday(COMPUTERS) == "Ouvert le samedi après-midi"
    assert saturday(NO_COORDINATES) == "Ouvert le samedi"
    assert saturday(WEEKDAYS_ONLY) is None


def test_per_need_line_picks_the_nearest_place_and_the_nearest_open_on_saturday(directory: Directory) -> None:
    views = prepare(directory, fixture_settings(ROOT))
    lines = {line.need.service: line for line in need_lines(ranked_from(directory, ORIGINE), views)}
    online = lines[DEMARCHES]
    assert online.nearest is not None and online.nearest.place == WEEKDAYS_ONLY
    assert online.saturday is not None and online.saturday.place == SATURDAY_MORNING
    assert online.lead == "Pour faire une démarche en ligne"
    computers = lines[ORDINATEUR]
    assert computers.nearest is not None and computers.saturday is not None
    assert computers.nearest.place == computers.saturday.place == COMPUTERS
    phone = lines["Maîtrise des outils numériques du quotidien"]
    assert phone.nearest is None and phone.saturday is None


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_commune_page_answers_without_javascript(directory: Directory) -> None:
    settings = fixture_settings(ROOT, places_dir=ROOT / "tests" / "fixtures" / "site" / "places")
    pages = DirectoryPages(environment(), directory, prepare(directory, settings), settings, Printed(),
                           Sessions((), settings.today))
    text = text_of(pages.commune(ORIGINE).html)
    assert (
        "Pour faire une démarche en ligne : le plus proche est En semaine (Voisine, à 5,6 km). "
        "Ouvert le samedi matin : Samedi matin (Voisine, à 11 km)." in text
    )
    assert "Pour utiliser un ordinateur ou Internet : le plus proche est Ordinateurs (Origine, à 2,2 km), ouvert le samedi après-midi." in text
    assert "Pour apprendre à utiliser mon téléphone : aucun lieu recensé dans le département." in text
    # Its own place first, then the others around it, nearest first, with days and services.
    own, around = text.index("1 lieu à Origine"), text.index("Les lieux les plus proches")
    assert own < text.index("Ordinateurs Origine, à 2,2 km") < around
    assert around < text.index("En semaine Voisine, à 5,6 km") < text.index("Samedi matin Voisine, à 11 km") < text.index("Sans position Lointaine, à 33 km")
    assert "Aide pour : démarches en ligne, ordinateur et Internet Du lundi au samedi Ouvert le samedi matin" in text


def test_rankings_beyond_what_is_kept_are_ranked_again_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A national directory does not keep every commune's ranking (20,000 places from 35,000
    communes: 8 GB): past `RANKINGS_KEPT`, a commune's places are ranked again when asked, in the
    same order, at the same distances."""
    from annuaire.model import directory as directory_module

    territory = Territory([ORIGINE, LOINTAINE, VOISINE], [EPCI], "essai", POSITIONS)
    places = tuple(sorted((WEEKDAYS_ONLY, SATURDAY_MORNING, COMPUTERS, NO_COORDINATES), key=lambda p: p.sort_key))
    kept_all, kept_one = Directory(places=places, territory=territory), Directory(places=places, territory=territory)
    monkeypatch.setattr(directory_module, "RANKINGS_KEPT", len(kept_one.ranked_from(ORIGINE).all_places))
    for commune in (VOISINE, LOINTAINE, ORIGINE, VOISINE):
        again, kept = kept_one.ranked_from(commune), kept_all.ranked_from(commune)
        assert [(n.place.slug, n.km) for n in again] == [(n.place.slug, n.km) for n in kept]
    assert kept_one.ranked_from(ORIGINE) is kept_one.ranked_from(ORIGINE)  # the first commune asked: kept
    assert kept_one.ranked_from(VOISINE) is not kept_one.ranked_from(VOISINE)  # past the limit: ranked again


def _spread_places(count: int) -> tuple[Place, ...]:
    """`count` places on the meridian of the made-up communes, several at the same point (ties
    broken by commune then name), offering one need or the other, some none of ours."""
    communes = (ORIGINE, LOINTAINE, VOISINE)
    made = []
    for i in range(count):
        services = ((DEMARCHES,), (ORDINATEUR,), (DEMARCHES, ORDINATEUR), ("Autre",))[(i * 7) % 4]
        made.append(place(f"lieu-{i:03d}", communes[i % 3], services, "Sa 09:00-12:00" if i % 5 == 0 else None,
                          46.0 + ((i * 37) % 23) / 100))
    return tuple(sorted(made, key=lambda p: p.sort_key))


@pytest.mark.parametrize("first", [1, 2, 5, 17, 40, 200])
def test_a_ranking_sorted_only_at_its_start_reads_as_the_whole_ranking(first: int) -> None:
    """Only the nearest places of a commune are sorted at first (a country's 35,000 communes each
    sorting 20,000 places took a minute): every reader — the nearest places, the commune's own,
    the first offering a need, open on Saturday, a slice, a place from the end — gets what the
    whole ranking gives, ties included, also past the places sorted at first."""
    from annuaire.model.nearest import located, rank

    territory = Territory([ORIGINE, LOINTAINE, VOISINE], [EPCI], "essai", POSITIONS)
    places = located(_spread_places(60), territory)
    saturdays = np.array(["Sa" in (p.horaires or "") for p in places.places])
    for origin in POSITIONS.values():
        cut, whole = rank(origin, places, first=first), rank(origin, places, first=None)

        def read(r: Ranking) -> list[tuple[str, float]]:
            return [(n.place.slug, n.km) for n in r]

        assert read(cut) == read(whole) and len(cut) == len(whole) == 60
        assert cut[-1] == whole[-1] and cut[min(first, 59)] == whole[min(first, 59)] and cut[-60] == whole[0]
        assert read(cut[:3]) == read(whole[:3]) and read(cut[first - 1:first + 4]) == read(whole[first - 1:first + 4])
        assert read(cut[::-7]) == read(whole[::-7])
        for code in ("99001", "99002", "00000"):
            for inside in (True, False):
                mine, all_of = cut.of_commune(code, inside=inside), whole.of_commune(code, inside=inside)
                assert read(mine) == read(all_of) and len(mine) == len(all_of)
                assert read(mine[:5]) == read(all_of[:5])
        for service in (DEMARCHES, ORDINATEUR, "Service que personne n’offre"):
            offering, all_offering = cut.offering(service), whole.offering(service)
            assert bool(offering) == bool(all_offering)
            if all_offering:
                assert offering[0] == all_offering[0]
                assert read(offering.among(saturdays)) == read(all_offering.among(saturdays))
        with pytest.raises(IndexError):
            cut[60]
