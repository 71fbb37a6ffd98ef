"""Keeping the directory true: an answer to « Ces informations sont-elles justes ? » becomes a
verified record (exact diff), the data-health page and its call sheets say what to check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from support import ROOT, fixture_directory, fixture_settings, fixture_site
from test_pages import as_html, text_of

from annuaire.data.geo import km_between
from annuaire.importers.verification import VerificationError, read_answer
from annuaire.model.places import Place
from annuaire.model.quality import NEAR_METRES, contradictions, duplicates, health

FIXTURE = ROOT / "tests" / "fixtures" / "site"
PAGE_URL = "https://exemple.github.io/annuaire/lieux/poitiers/espace-numerique-des-tilleuls/"
TODAY = date(2026, 12, 1)


def body(answer: str = "Oui, tout est juste", means: str = "téléphone", day: str = "2026-03-03",
         changes: str = "_No response_", by: str = "Coordination du Grand Poitiers") -> str:
    """The Markdown GitHub writes for the issue form (one `### label` per question)."""
    return (
        "### Nom du lieu\n\nEspace numérique des Tilleuls\n\n"
        f"### Adresse de la page du lieu\n\n{PAGE_URL}\n\n"
        f"### La fiche est-elle juste ?\n\n{answer}\n\n"
        f"### Comment l'avez-vous vérifié ?\n\n{means}\n\n"
        f"### Quel jour ?\n\n{day}\n\n"
        f"### Ce qui a changé\n\n{changes}\n\n"
        f"### Qui a vérifié ? (structure, facultatif)\n\n{by}\n"
    )


def run(places: Path, text: str) -> subprocess.CompletedProcess[str]:
    issue = places.parent / "issue.md"
    issue.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "verify_place.py"), "--issue", str(issue), "--places", str(places),
         "--today", TODAY.isoformat()],
        capture_output=True, text=True, cwd=ROOT,
    )


@pytest.fixture
def places(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "places", tmp_path / "places")
    return tmp_path / "places"


def test_a_confirmation_becomes_a_verified_record_with_the_expected_diff(places: Path) -> None:
    record = places / "poitiers" / "espace-numerique-des-tilleuls.yml"
    before = record.read_text(encoding="utf-8")
    result = run(places, body())
    assert result.returncode == 0, result.stderr
    after = record.read_text(encoding="utf-8")
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert removed == ["date_maj: '2024-11-04'"]
    assert added[-4:] == ["date_maj: '2026-03-03'", "date_verification: '2026-03-03'", "verification_moyen: téléphone",
                          "verification_par: Coordination du Grand Poitiers"]
    assert "+verification_moyen: téléphone" in result.stdout  # the diff to commit
    directory = fixture_directory(places.parent, today=TODAY)
    page = fixture_site(directory, fixture_settings(places.parent, today=TODAY)).pages[
        "lieux/poitiers/espace-numerique-des-tilleuls.md"]
    assert "Informations vérifiées le 3 mars 2026 par téléphone (il y a 8 mois)." in text_of(as_html(page))


def test_a_correction_changes_the_values_it_names(places: Path) -> None:
    record = places / "poitiers" / "espace-numerique-des-tilleuls.yml"
    result = run(places, body("Non, des choses ont changé", "par le lieu", "",
                              "horaires: Mo-Fr 09:00-12:00\ntelephone: 05 49 00 00 99"))
    assert result.returncode == 0, result.stderr
    text = record.read_text(encoding="utf-8")
    assert "horaires: Mo-Fr 09:00-12:00\n" in text and "telephone: 05 49 00 00 99\n" in text
    assert f"date_verification: '{TODAY.isoformat()}'" in text and "verification_moyen: par le lieu" in text


def test_a_change_the_build_would_refuse_leaves_the_record_untouched(places: Path) -> None:
    record = places / "poitiers" / "espace-numerique-des-tilleuls.yml"
    before = record.read_text(encoding="utf-8")
    result = run(places, body("Non, des choses ont changé", changes="horaires: le matin"))
    assert result.returncode == 1
    assert "horaires" in result.stderr and "rien n’a changé" in result.stderr
    assert record.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(("text", "message"), [
    (body(means="pigeon voyageur"), "moyen de vérification « pigeon voyageur » inconnu"),
    (body(day="2027-01-01"), "la date 2027-01-01 est dans le futur"),
    (body(changes="id: autre"), "le champ `id` ne se change pas par une vérification"),
    (body(changes="horaires: Mo 09:00-12:00"), "la réponse dit « tout est juste » mais donne des changements"),
    (body().replace(PAGE_URL, "https://exemple.fr/"), "il faut l’adresse d’une page de lieu"),
])
def test_an_unusable_answer_is_refused_in_french(text: str, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        read_answer(text, TODAY)


def test_the_data_health_page_and_call_sheets_say_what_to_check(tmp_path: Path) -> None:
    directory = fixture_directory(FIXTURE, today=TODAY)
    site = fixture_site(directory, fixture_settings(FIXTURE, today=TODAY))
    page = text_of(as_html(site.pages["donnees/qualite/index.md"]))
    assert "Jamais vérifiées auprès du lieu" in page and "Fiche d’appels : CU du Grand Poitiers" in page
    sheet = tmp_path / "appels.pdf"
    sheet.write_bytes(site.files["donnees/qualite/appels-cu-du-grand-poitiers.pdf"])
    text = " ".join(subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    poitiers = [p for p in directory.places if p.epci_ref and p.epci_ref.slug == "cu-du-grand-poitiers"]
    assert poitiers
    for place in poitiers:
        assert place.nom in text
    assert "Les horaires sont-ils toujours ceux-ci ?" in text or "Quels sont vos horaires ?" in text


def test_a_call_sheet_says_the_day_it_was_made_until_what_it_lists_changes(tmp_path: Path) -> None:
    """The nightly build does not draw every call sheet again for the new day: a sheet keeps the
    day it was made (nothing on it changed since), and a correction makes it again, dated."""
    places = tmp_path / "places"
    shutil.copytree(FIXTURE / "places", places)
    path = "donnees/qualite/appels-cu-du-grand-poitiers.pdf"

    def sheet(today: date) -> str:
        settings = fixture_settings(FIXTURE, today=today, places_dir=places, cache_dir=tmp_path / "cache")
        drawn = fixture_site(fixture_directory(FIXTURE, today=today, places_dir=places), settings).files[path]
        (tmp_path / "appels.pdf").write_bytes(bytes(drawn))
        return " ".join(subprocess.run(["pdftotext", str(tmp_path / "appels.pdf"), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())

    assert "Fiche produite le 1er décembre 2026" in sheet(TODAY)
    assert "Fiche produite le 1er décembre 2026" in sheet(date(2026, 12, 2))
    record = places / "poitiers" / "espace-numerique-des-tilleuls.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("+33549000012", "+33549000099"), encoding="utf-8")
    corrected = sheet(date(2026, 12, 3))
    assert "Fiche produite le 3 décembre 2026" in corrected and "05 49 00 00 99" in corrected


def test_hours_in_the_comment_that_are_not_the_hours_are_a_contradiction() -> None:
    real = fixture_directory(ROOT, today=TODAY)
    vouille = next(p for p in real.places if p.commune_ref.nom == "Vouillé")
    assert contradictions(vouille) == ["la présentation donne d’autres horaires que les horaires de la fiche "
                                       "(13h50 – 16h15)"]
    everything = health("Toute la Vienne", real.places, TODAY)
    assert any({p.commune_ref.nom for p in d.places} == {"Moncontour"} for d in everything.duplicates)


def test_possible_duplicates_are_the_groups_linked_by_a_phone_an_email_or_300_metres() -> None:
    """Only close or alike places are compared (a national directory has 200 million pairs):
    the groups found are exactly those every pair linked by a shared phone, e-mail or less
    than 300 m makes, on the real records and on copies moved a little (under and over 300 m,
    same and other phone); two places alone say what they share and how far apart they are."""
    real = fixture_directory(ROOT, today=TODAY).places
    moved = [replace(p, latitude=p.latitude + 0.0025 * (i % 3), telephone=p.telephone if i % 2 else None)
             for i, p in enumerate(real) if p.latitude is not None]
    places = [*real, *moved]
    pairs = _every_pair(places)
    found = duplicates(places)
    assert sorted(sorted(id(p) for p in d.places) for d in found) == _components(places, pairs)
    two = {frozenset(map(id, d.places)): d.why for d in found if len(d.places) == 2}
    for first, second, why in pairs:
        if frozenset((id(first), id(second))) in two:
            assert two[frozenset((id(first), id(second)))] == why
    assert any("même téléphone" in d.why for d in found)
    assert any(" m l’un de l’autre" in why and "téléphone" not in why for why in two.values())
    assert any(len(d.places) > 2 for d in found)


def test_twelve_places_sharing_a_phone_are_one_group_asked_about_by_three_names() -> None:
    real = fixture_directory(ROOT, today=TODAY).places
    switchboard = [replace(p, telephone="+33549000000", latitude=None, longitude=None, nom=f"Antenne {i}",
                           courriels=[]) for i, p in enumerate(real[:12])]
    group = health("Réseau", switchboard, TODAY)
    assert [(len(d.places), d.why) for d in group.duplicates] == [(12, "même téléphone")]
    first, a, b, c, *_ = group.places
    assert f"Êtes-vous le même lieu que « {a.nom} », « {b.nom} », « {c.nom} » ou l’un des 8 autres lieux " \
           "(même téléphone) ?" in group.questions(first)


def _components(places: list[Place], pairs: list[tuple[Place, Place, str]]) -> list[list[int]]:
    """The groups every pair makes (ids of places, sorted), by a plain search of the graph."""
    neighbours: dict[int, set[int]] = {}
    for first, second, _why in pairs:
        neighbours.setdefault(id(first), set()).add(id(second))
        neighbours.setdefault(id(second), set()).add(id(first))
    seen: set[int] = set()
    groups = []
    for start in neighbours:
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            group.append(node)
            for other in neighbours[node] - seen:
                seen.add(other)
                stack.append(other)
        groups.append(sorted(group))
    return sorted(groups)


def _every_pair(places: list[Place]) -> list[tuple[Place, Place, str]]:
    found = []
    for i, first in enumerate(places):
        for second in places[i + 1:]:
            why = []
            if first.telephone and first.telephone == second.telephone:
                why.append("même téléphone")
            if {e.lower() for e in first.courriels} & {e.lower() for e in second.courriels}:
                why.append("même e-mail")
            if first.commune_ref.code_insee == second.commune_ref.code_insee and None not in (
                    first.latitude, first.longitude, second.latitude, second.longitude):
                metres = km_between((first.latitude, first.longitude), (second.latitude, second.longitude)) * 1000
                if metres < NEAR_METRES:
                    why.append(f"à {round(metres)} m l’un de l’autre")
            if why:
                found.append((first, second, ", ".join(why)))
    return found


def test_the_data_health_page_counts_in_french_at_any_size() -> None:
    """« 1 200 lieux » with its thousands space, « 1 lieu » in the singular."""
    from annuaire.site import quality as quality_page
    from annuaire.site.templating import environment

    real = fixture_directory(ROOT, today=TODAY).places
    many = [replace(p, nom=f"{p.nom} {i}") for i in range(19) for p in real][:1200]
    one = real[:1]
    epci = real[0].epci_ref
    assert epci is not None
    sheets = {quality_page.call_sheet_path(None): b"x", quality_page.call_sheet_path(epci): b"x"}
    html = as_html(quality_page.pages(
        environment(), health("Toute la Vienne", many, TODAY), [(epci, health(epci.nom_long, one, TODAY))],
        sheets, "https://exemple.fr/verifier",
    )[0])
    assert "Âge des informations (1\u202f200 lieux)" in html  # narrow no-break space
    assert "Âge des informations (1 lieu)" in text_of(html)
