"""Lists for partners (`integrer/`): every territory and need has one, as HTML and as JSON, and
the snippet a webmaster copies is a frame with a link inside for whoever cannot show frames."""

from __future__ import annotations

import json
from datetime import date

from support import ROOT, fixture_directory, fixture_settings, fixture_site

from annuaire.site import embeds

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def test_every_territory_and_need_has_its_list_in_html_and_json() -> None:
    directory = fixture_directory(FIXTURE, today=date(2026, 12, 1))
    site = fixture_site(directory, fixture_settings(FIXTURE, today=date(2026, 12, 1)))
    found = embeds.lists(directory)
    assert found[0].path == "integrer/departement/" and len(found[0].places) == len(directory.places)
    assert sum(1 for e in found if e.path.startswith("integrer/communes/")) == 265
    assert sum(1 for e in found if e.path.startswith("integrer/intercommunalites/")) == 7
    for embed in found:
        assert embed.path + "index.html" in site.files and embed.json_path in site.files
    far = next(e for e in found if e.path == "integrer/communes/adriers/")
    assert far.title == "Les lieux numériques les plus proches d’Adriers"
    assert len(far.places) == len(far.distances) > 0
    document = json.loads(site.files["integrer/communes/poitiers.json"])  # type: ignore[arg-type]
    assert {p["nom"] for p in document["lieux"]} == {p.nom for p in directory.in_commune(
        directory.territory.communes_named("Poitiers")[0])}
    assert document["licence"] == "Licence Ouverte 2.0"
    made = site.files["integrer/communes/poitiers/index.html"]
    assert isinstance(made, bytes)  # no cache: made in memory
    html = made.decode("utf-8")
    assert 'target="_top"' in html and "<nav" not in html and 'lang="fr"' in html
    # A screen reader jumps to the list (main) and to the source (footer): nothing outside them.
    body = html.split("<body>", 1)[1].split("<script", 1)[0].strip()
    assert body.startswith("<main>\n<h1>") and "</main>\n<footer>" in body and body.endswith("</footer>")
    assert "https://" not in html.split("<body>")[0].replace("https://exemple.github.io/", "")  # nothing loaded from elsewhere


def test_the_snippet_frames_the_list_with_a_link_inside() -> None:
    directory = fixture_directory(FIXTURE, today=date(2026, 12, 1))
    settings = fixture_settings(FIXTURE, today=date(2026, 12, 1))
    embed = next(e for e in embeds.lists(directory) if e.path == "integrer/communes/poitiers/")
    code = embeds.snippet(embed, settings)
    assert code.startswith('<iframe src="https://exemple.github.io/annuaire/integrer/communes/poitiers/" title="Lieux numériques à Poitiers"')
    assert '<a href="https://exemple.github.io/annuaire/integrer/communes/poitiers/">Lieux numériques à Poitiers</a></iframe>' in code
    assert 'e.origin!=="https://exemple.github.io"' in code  # the height comes only from the directory
