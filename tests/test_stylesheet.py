"""The theme's stylesheet cut down to what the pages use (`annuaire/site/stylesheet.py`):
a rule goes only when no page can match it, a custom property only when nothing reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from annuaire.site.stylesheet import NamesMemo, UsedNames, prune_stylesheets, pruned


def used(*pages: str, scripts: tuple[str, ...] = ()) -> UsedNames:
    names = UsedNames()
    for html in pages:
        names.add_page(html.encode())
    for text in scripts:
        names.add_script(text)
    return names


PAGE = '<html class="no-js"><body><main class="md-main md-typeset"><a class="md-button">x</a></main></body></html>'


@pytest.mark.parametrize(("css", "expected"), [
    # a selector needing a class no page has goes; the others of the same rule stay
    (".md-button{color:red}.md-tabs{color:blue}", ".md-button{color:red}"),
    (".md-tabs a,.md-main a{margin:0}", ".md-main a{margin:0}"),
    # classes inside :not(), :is() or an attribute selector are never a reason to drop
    (".md-main:not(.md-tabs){margin:0}", ".md-main:not(.md-tabs){margin:0}"),
    (".md-main :is(.md-tabs,.md-search){margin:0}", ".md-main :is(.md-tabs,.md-search){margin:0}"),
    ('a[href$=".pdf"]{color:red}', 'a[href$=".pdf"]{color:red}'),
    # element and id selectors, @font-face and @keyframes are kept as they are
    ("body{margin:0}#x{color:red}", "body{margin:0}#x{color:red}"),
    ("@keyframes spin{0%{opacity:0}to{opacity:1}}", "@keyframes spin{0%{opacity:0}to{opacity:1}}"),
    # a media query left without rules goes with them
    ("@media print{.md-tabs{display:none}}.md-main{margin:0}", ".md-main{margin:0}"),
    ("@media print{.md-tabs{display:none}.md-main{margin:0}}", "@media print{.md-main{margin:0}}"),
    # custom properties: kept when a kept rule reads them, even through another property
    (":root{--a:red;--b:var(--c);--c:blue;--d:green}.md-main{color:var(--b)}",
     ":root{--b:var(--c);--c:blue}.md-main{color:var(--b)}"),
    (":root{--only-tabs:red}.md-tabs{color:var(--only-tabs)}", ""),
    # braces and semicolons in strings and url() are not structure
    ('.md-main:after{content:"}{;";background:url(data:x;y)}', '.md-main:after{content:"}{;";background:url(data:x;y)}'),
    # comments (and the source map's address) go
    ("/* a */.md-main{margin:0}/*# sourceMappingURL=main.css.map */", ".md-main{margin:0}"),
    # the class `no-js` of <html> counts like any other
    (".no-js .md-main{margin:0}.js .md-main{margin:1px}", ".no-js .md-main{margin:0}"),
])
def test_rules_no_page_can_match_are_dropped(css: str, expected: str) -> None:
    assert pruned(css, used(PAGE)) == expected


@pytest.mark.parametrize("css", ["}.md-tabs{color:red}", ".md-tabs{color:red", '.md-tabs{content:"x}', "/* .md-tabs{}"])
def test_a_stylesheet_that_cannot_be_read_is_kept_whole(css: str) -> None:
    assert pruned(css, used(PAGE)) == css


def test_classes_a_script_sets_and_properties_a_page_reads_are_kept() -> None:
    names = used(
        '<p class="md-main" style="color:var(--md-accent)">',
        '<script>document.body.classList.add("md-inline")</script>',
        scripts=('el.classList.toggle("md-toggled")',),
    )
    css = ":root{--md-accent:red;--md-other:blue}.md-toggled{color:red}.md-inline{color:red}.md-tabs{color:red}"
    assert pruned(css, names) == ":root{--md-accent:red}.md-toggled{color:red}.md-inline{color:red}"


def test_properties_read_by_the_sites_own_stylesheets_are_kept() -> None:
    css = ":root{--md-primary-fg-color:red;--md-unread:blue}"
    assert pruned(css, used(PAGE), [".annuaire{color:var(--md-primary-fg-color)}"]) == ":root{--md-primary-fg-color:red}"


def test_files_are_cut_down_and_the_theme_scripts_count_only_when_loaded(tmp_path: Path) -> None:
    source = tmp_path / "theme" / "main.css"
    source.parent.mkdir()
    source.write_text(".md-main{margin:0}.md-tabs{color:red}.md-search{color:blue}")
    site = tmp_path / "site"
    published = site / "assets" / "stylesheets" / "main.css"
    published.parent.mkdir(parents=True)
    (site / "assets" / "javascripts").mkdir()
    (site / "assets" / "javascripts" / "bundle.js").write_text('x.classList.add("md-search")')
    (site / "assets" / "annuaire").mkdir()
    (site / "assets" / "annuaire" / "ours.js").write_text('x.classList.add("md-tabs")')

    source_map = published.with_name("main.css.map")  # describes the whole file
    source_map.write_text('{"version": 3}')
    saved = prune_stylesheets([(source, published)], used(PAGE), site, [])
    assert published.read_text() == ".md-main{margin:0}.md-tabs{color:red}"
    assert saved == len(".md-search{color:blue}")
    assert not source_map.exists()  # it would show developers' tools another file

    loading = used(PAGE, '<script src="../assets/javascripts/bundle.js"></script>')
    prune_stylesheets([(source, published)], loading, site, [])
    assert published.read_text() == source.read_text()

    prune_stylesheets([(source, published)], None, site, [])  # a --dirty build: written whole
    assert published.read_text() == source.read_text()
    assert list(published.parent.iterdir()) == [published]  # no temporary file left beside it


def test_the_names_of_a_page_written_again_unchanged_are_taken_from_the_last_build(tmp_path: Path) -> None:
    memo_file = tmp_path / "classes-des-pages.json"
    first = NamesMemo(memo_file)
    assert first.of(b'<p class="md-main">', "a" * 64).classes == {"md-main"}
    assert first.of(b'<p class="md-tabs">', "b" * 64).classes == {"md-tabs"}
    first.save()

    second = NamesMemo(memo_file)
    # Same sha256: the page is not read again (these bytes would say otherwise).
    assert second.of(b'<p class="autre">', "a" * 64).classes == {"md-main"}
    assert second.of(b'<p class="md-new">', "c" * 64).classes == {"md-new"}
    second.save()  # keeps the pages of this build only
    third = NamesMemo(memo_file)
    assert third.of(b'<p class="md-search">', "b" * 64).classes == {"md-search"}


def test_a_damaged_names_memo_is_only_a_slower_build(tmp_path: Path) -> None:
    memo_file = tmp_path / "classes-des-pages.json"
    memo_file.write_text('{"form": 1, "names": [], "pages": {"' + "a" * 64 + '": 3}}')
    assert NamesMemo(memo_file).of(b'<p class="md-main">', "a" * 64).classes == {"md-main"}
    memo_file.write_text("{pas du json")
    assert NamesMemo(memo_file).of(b'<p class="md-main">', "a" * 64).classes == {"md-main"}
