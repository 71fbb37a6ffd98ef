"""A correction rebuilds only the pages it changes (`site/page_memo.py`): every page that shows
the corrected record shows the new value, every other page is taken as the last build made it,
and the site is the one a build without any cache makes."""

from __future__ import annotations

import dataclasses
import gc
import os
import time
import weakref
from collections import Counter
from datetime import timedelta
from pathlib import Path

import jinja2
import pytest
from support import copied_site, fixture_site

from annuaire import workers
from annuaire.build import Site
from annuaire.digests import Digests
from annuaire.model.directory import load_directory
from annuaire.printing.cache import Store, StoredFile
from annuaire.settings import Settings
from annuaire.site import embeds, templating
from annuaire.site.page_memo import PageMemo
from annuaire.site.pages import place_age
from annuaire.views import prepare

RECORD = Path("poitiers") / "mediatheque-des-essais.yml"
PAGE = "lieux/poitiers/mediatheque-des-essais.md"
PRINT_PAGE = "lieux/poitiers/mediatheque-des-essais/imprimer.md"
COMMUNE_PAGE = "communes/poitiers.md"
OTHER_PAGE = "lieux/buxerolles/point-numerique-du-moulin.md"


def build(settings: Settings) -> Site:
    return fixture_site(load_directory(settings), settings)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each template is rendered for a page or a file: every one is rendered in
    this process (the fixture's 265 partners' lists would otherwise be rendered on every core)."""
    monkeypatch.setattr(workers, "MAP_FROM", 1_000_000)
    counts: Counter[str] = Counter()
    get_template = templating.Templates.get_template

    def counting(self: templating.Templates, name: str | jinja2.Template, *args: object, **kwargs: object) -> jinja2.Template:
        counts[str(name)] += 1
        return get_template(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(templating.Templates, "get_template", counting)
    return counts


def test_a_correction_shows_wherever_the_place_shows_and_nothing_else_is_rendered_again(
    tmp_path: Path, rendered: Counter[str],
) -> None:
    settings = copied_site(tmp_path)
    first = build(settings)
    assert rendered["place.html"] == len([p for p in first.pages if p.startswith("lieux/") and p.count("/") == 2])
    record = settings.places_dir / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("05 49 00 00 13", "05 49 00 00 99"), encoding="utf-8")
    rendered.clear()

    second = build(settings)

    for page in (PAGE, PRINT_PAGE, COMMUNE_PAGE):
        assert "05 49 00 00 99" in second.pages[page].html, page
        assert "05 49 00 00 13" not in second.pages[page].html, page
    assert rendered["place.html"] == 1  # the corrected place's page only
    assert rendered["print_place.html"] == 1
    assert second.pages[OTHER_PAGE] == first.pages[OTHER_PAGE]
    # The same site as a build that keeps nothing from the last one.
    fresh = build(dataclasses.replace(settings, cache_dir=tmp_path / "nouveau-cache"))
    assert {p: page.utf8() for p, page in second.pages.items()} == {p: page.utf8() for p, page in fresh.pages.items()}


def _content(content: object) -> bytes:
    if isinstance(content, StoredFile):
        return content.read_bytes()
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)  # type: ignore[call-overload]


def test_a_correction_redoes_only_the_partners_lists_that_hold_the_place(
    tmp_path: Path, rendered: Counter[str],
) -> None:
    settings = copied_site(tmp_path)
    build(settings)
    record = settings.places_dir / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("05 49 00 00 13", "05 49 00 00 99"), encoding="utf-8")
    rendered.clear()

    second = build(settings)

    directory = load_directory(settings)
    holding = [e for e in embeds.lists(directory) if any(p.url_path == "lieux/poitiers/mediatheque-des-essais/"
                                                         for p in e.places)]
    assert len(holding) > 3  # the département, its EPCI, its commune, its services
    assert rendered["embed/list.html"] == len(holding)
    assert "05 49 00 00 99" in _content(second.files["integrer/communes/poitiers.json"]).decode()
    fresh = build(dataclasses.replace(settings, cache_dir=tmp_path / "nouveau-cache"))
    lists = sorted(path for path in fresh.files if path.startswith("integrer/"))
    assert {p: _content(second.files[p]) for p in lists} == {p: _content(fresh.files[p]) for p in lists}


def test_the_next_night_renders_again_only_the_place_pages_that_show_the_day(
    tmp_path: Path, rendered: Counter[str],
) -> None:
    """A place page shows the day only through how old its information is: the next night's
    build renders again the pages whose age in words changed (« il y a 12 jours »), and takes
    the others as they were; every page equals a build without cache."""
    settings = copied_site(tmp_path)
    record = settings.places_dir / RECORD  # updated ten days ago: « il y a 10 jours », then 11
    record.write_text(record.read_text(encoding="utf-8").replace(
        "date_maj: '2023-06-01'", f"date_maj: '{settings.today - timedelta(days=10)}'"), encoding="utf-8")
    build(settings)
    rendered.clear()
    tomorrow = dataclasses.replace(settings, today=settings.today + timedelta(days=1))

    second = build(tomorrow)

    directory = load_directory(tomorrow)
    before, after = prepare(directory, settings), prepare(directory, tomorrow)
    showing_the_day = [p for p in directory.places if before.of(p).freshness != after.of(p).freshness
                       or place_age(before.of(p), settings.today) != place_age(after.of(p), tomorrow.today)]
    assert 0 < len(showing_the_day) < len(directory.places)
    assert rendered["place.html"] == len(showing_the_day)
    # A partner's list shows nothing of the day: only those holding such a place are made again.
    assert rendered["embed/list.html"] == sum(1 for e in embeds.lists(directory) if set(e.places) & set(showing_the_day))
    fresh = build(dataclasses.replace(tomorrow, cache_dir=tmp_path / "nouveau-cache"))
    assert {p: page.utf8() for p, page in second.pages.items()} == {p: page.utf8() for p, page in fresh.pages.items()}


def test_a_page_whose_kept_file_left_the_cache_is_rendered_again(tmp_path: Path) -> None:
    settings = copied_site(tmp_path)
    first = build(settings)
    body = first.pages[OTHER_PAGE].body
    assert isinstance(body, StoredFile)
    html = body.read_bytes()
    Path(body.path).unlink()

    assert build(settings).pages[OTHER_PAGE].utf8() == html


def test_a_context_the_memo_cannot_pickle_is_rendered_every_time(tmp_path: Path) -> None:
    """No key, so nothing kept: never a page another context made."""
    memo = PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "code")
    assert memo.key("place.html", (lambda: "x",), {}) is None
    given = ("lieux/a.md", "A", {"nom": "Médiathèque"})
    key = memo.key("place.html", given, {"dep": "Vienne"})
    assert key is not None
    assert key != memo.key("place.html", given, {"dep": "Deux-Sèvres"})  # what the templates read besides
    assert key != PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "other code").key(
        "place.html", given, {"dep": "Vienne"})
    assert memo.get(key) is None
    kept = memo.put(key, "<p>Médiathèque</p>".encode())
    assert kept is not None and memo.get(key) == kept and kept.read_bytes() == "<p>Médiathèque</p>".encode()


def test_a_page_found_in_the_memo_is_marked_as_used(tmp_path: Path) -> None:
    """A build beside this one (`mkdocs serve`) deletes the pages no build used within a day
    (`Store.forget_all_but`): one this build takes from the memo must count as used now."""
    memo = PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "code")
    key = memo.key("place.html", ("lieux/a.md",), {})
    assert key is not None
    kept = memo.put(key, b"<p>A</p>")
    assert kept is not None
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(kept.path, (two_days_ago, two_days_ago))
    assert memo.get(key) == kept
    assert os.stat(kept.path).st_mtime > time.time() - 60


def test_a_page_used_hours_ago_is_not_marked_again_and_no_sweep_deletes_it(tmp_path: Path) -> None:
    """Marking every page as used at each build cost a national correction 20 s: a page marked
    within `FRESH_S` is not marked again, and the sweeps spare it until it is a day unused."""
    memo = PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "code")
    key = memo.key("place.html", ("lieux/a.md",), {})
    assert key is not None
    kept = memo.put(key, b"<p>A</p>")
    assert kept is not None
    reference = tmp_path / "rendus" / f"{key}.rendu"
    five_hours_ago = time.time() - 5 * 3600
    for path in (kept.path, reference):
        os.utime(path, (five_hours_ago, five_hours_ago))
    assert memo.get(key) == kept
    assert os.stat(kept.path).st_mtime == os.stat(reference).st_mtime == pytest.approx(five_hours_ago)
    memo.forget_unused(every_s=0)
    Store(tmp_path / "publies").forget_all_but(set())
    assert memo.get(key) == kept and reference.exists()


def test_references_unused_for_a_day_are_swept_at_most_once_an_hour(tmp_path: Path) -> None:
    """The memo holds the pages of the records as they are, not their history; the sweep that
    finds the old ones asks the disk about every reference, so it runs once an hour at most."""
    memo = PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "code")
    two_days_ago = time.time() - 2 * 24 * 3600

    def kept_long_ago(name: str) -> Path:
        key = memo.key("place.html", (name,), {})
        assert key is not None and memo.put(key, name.encode()) is not None
        reference = tmp_path / "rendus" / f"{key}.rendu"
        os.utime(reference, (two_days_ago, two_days_ago))
        return reference

    first = kept_long_ago("lieux/a.md")
    memo.forget_unused()
    assert not first.exists()
    second = kept_long_ago("lieux/b.md")
    memo.forget_unused()
    assert second.exists()  # swept a moment ago
    memo.forget_unused(every_s=0)
    assert not second.exists()


def test_a_record_inside_a_context_counts_by_its_content_wherever_it_sits(tmp_path: Path) -> None:
    """Records are digested once per build (`annuaire.digests.Digests`): a corrected phone must still
    change the key of a page that holds the place only through another record (its view, the
    cards of a commune page), and a value the place computed for itself must not."""
    settings = copied_site(tmp_path)
    directory = load_directory(settings)
    views = prepare(directory, settings)
    place = directory.places[0]
    corrected = dataclasses.replace(place, telephone="05 49 00 00 99")
    corrected_view = dataclasses.replace(views.of(place), place=corrected)
    memo = PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "code")

    def key(*context: object) -> str | None:
        return memo.key("commune.html", ("communes/a.md", "A", {"cards": list(context)}), {})

    assert key(views.of(place)) == key(views.of(place))
    assert key(views.of(place)) != key(corrected_view)
    assert key(place) != key(corrected)
    fresh = dataclasses.replace(place)
    before = key(fresh)
    assert fresh.url_path  # a cached property, now in the place's `__dict__`
    assert PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "code").key(
        "commune.html", ("communes/a.md", "A", {"cards": [fresh]}), {}) == before


def test_a_new_setting_shows_on_every_place_page_kept_by_what_it_is_made_from(tmp_path: Path) -> None:
    """A place's page is found in the memo by what its context is made from, settings among
    them (`templating.render_page_of`): a new contact address must reach every place page, and
    its print page must not be rendered again for it."""
    settings = copied_site(tmp_path)
    first = build(settings)
    assert "contact@annuaire-nouveau.fr" not in first.pages[OTHER_PAGE].html

    second = build(dataclasses.replace(settings, contact_email="contact@annuaire-nouveau.fr"))

    place_pages = [p for p in second.pages if p.startswith("lieux/") and p.count("/") == 2]
    assert place_pages and all("contact@annuaire-nouveau.fr" in second.pages[p].html for p in place_pages)
    assert second.pages[PRINT_PAGE] == first.pages[PRINT_PAGE]


def test_a_key_does_not_depend_on_the_pages_keyed_before_it(tmp_path: Path) -> None:
    """One pickler keys every page of a build (`Digests.pickled`): after a large page, or a
    context it could not pickle, a page's key is the one a fresh memo gives."""
    def memo() -> PageMemo:
        return PageMemo(tmp_path / "rendus", Store(tmp_path / "publies"), "code")

    given = ("lieux/a.md", "A", {"nom": "Médiathèque", "jours": ["lundi", "lundi"]})
    used = memo()
    assert used.key("places.html", ("lieux/index.md", [(f"lieu {n}", n) for n in range(50_000)]), {}) is not None
    assert used.key("place.html", ("lieux/b.md", [1, lambda: "x"]), {}) is None
    assert used.key("place.html", given, {}) == memo().key("place.html", given, {})


def test_a_build_lets_go_of_its_records_digests_without_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The build's `Digests` keeps every record and view alive: once the site is made, nothing
    may hold it in a cycle (its pickler, the templates' memo), or they all wait for the
    collector's next full pass (after a build of 20,000 places, most of a second)."""
    settings = copied_site(tmp_path)
    directory = load_directory(settings)
    made: list[weakref.ref[Digests]] = []
    real_init = Digests.__init__

    def remembered(self: Digests) -> None:
        real_init(self)
        made.append(weakref.ref(self))

    monkeypatch.setattr(Digests, "__init__", remembered)
    gc.disable()
    try:
        fixture_site(directory, settings)
        assert made and all(ref() is None for ref in made)
    finally:
        gc.enable()


def test_the_coverage_pages_are_rendered_again_only_when_what_they_show_changes(
    tmp_path: Path, rendered: Counter[str],
) -> None:
    """A corrected phone number moves no distance: the coverage pages (a map and every commune
    each) are taken as they were, without making their contexts; a moved place changes them, as
    in a build from nothing."""
    settings = copied_site(tmp_path)
    first = build(settings)
    coverage_pages = sorted(p for p in first.pages if p.startswith("couverture/"))
    assert len(coverage_pages) == 10  # a map per need, and the table in six orders
    record = settings.places_dir / "poitiers" / "espace-numerique-des-tilleuls.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("+33549000012", "+33549000099"), encoding="utf-8")
    rendered.clear()

    second = build(settings)

    assert rendered["coverage.html"] == rendered["coverage_table.html"] == 0
    assert all(second.pages[p] == first.pages[p] for p in coverage_pages)
    # Moved from Poitiers to Montmorillon, 45 km away.
    record.write_text(text.replace("latitude: 46.5802\nlongitude: 0.3404", "latitude: 46.4265\nlongitude: 0.8706"),
                      encoding="utf-8")

    third = build(settings)

    assert rendered["coverage.html"] == 4 and rendered["coverage_table.html"] == 6
    assert third.pages["couverture/communes/index.md"].html != first.pages["couverture/communes/index.md"].html
    fresh = build(dataclasses.replace(settings, cache_dir=tmp_path / "nouveau-cache"))
    assert {p: third.pages[p].utf8() for p in coverage_pages} == {p: fresh.pages[p].utf8() for p in coverage_pages}
