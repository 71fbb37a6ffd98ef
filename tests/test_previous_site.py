"""The last site written over in place (`annuaire/previous_site.py`): a file already published
is left as it is, a kept file is never written into, and what is no longer published goes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annuaire.previous_site import ASIDE, InPlace, publish


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def files_of(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_file_already_published_is_left_as_it_is(tmp_path: Path) -> None:
    kept = write(tmp_path / "cache" / "a.pdf", "affiche")
    target = tmp_path / "site" / "lieux" / "x" / "affiche.pdf"
    publish(kept, target)
    assert target.read_text(encoding="utf-8") == "affiche" and os.path.samefile(kept, target)
    before = target.stat()
    os.utime(target.parent, (1, 1))

    publish(kept, target)

    assert target.stat().st_ino == before.st_ino
    assert target.parent.stat().st_mtime == 1  # nothing created or removed in its folder


def test_publishing_over_another_kept_file_replaces_it_without_writing_into_it(tmp_path: Path) -> None:
    old = write(tmp_path / "cache" / "ancien.html", "ancienne page")
    new = write(tmp_path / "cache" / "nouveau.html", "nouvelle page")
    target = tmp_path / "site" / "index.html"
    publish(old, target)

    publish(new, target)

    assert target.read_text(encoding="utf-8") == "nouvelle page"
    assert old.read_text(encoding="utf-8") == "ancienne page"


def test_a_file_of_the_last_site_where_a_folder_goes_now_makes_way(tmp_path: Path) -> None:
    kept = write(tmp_path / "cache" / "page.html", "nouvelle page")
    write(tmp_path / "site" / "lieux" / "ancien", "un fichier d’avant")
    target = tmp_path / "site" / "lieux" / "ancien" / "index.html"

    publish(kept, target)

    assert target.read_text(encoding="utf-8") == "nouvelle page"


def test_the_last_site_comes_back_without_the_files_mkdocs_writes_itself(tmp_path: Path) -> None:
    site = tmp_path / "site"
    kept = write(tmp_path / "cache" / "theme.css", "kept")
    write(site / "lieux" / "x" / "index.html", "page")
    write(site / ".nojekyll", "")
    (site / "assets").mkdir()
    os.link(kept, site / "assets" / "main.css")  # a file MkDocs copies, linked by an older build
    in_place = InPlace(site)

    in_place.set_aside()
    assert sorted(p.name for p in site.iterdir()) == [".nojekyll", ASIDE]  # what MkDocs then empties: nothing
    in_place.put_back([site / "assets" / "main.css", site / "sitemap.xml"])

    assert files_of(site) == {".nojekyll": "", "lieux/x/index.html": "page"}
    (site / "assets" / "main.css").write_text("copié par MkDocs", encoding="utf-8")
    assert kept.read_text(encoding="utf-8") == "kept"


@pytest.mark.parametrize(("present", "published", "left"), [
    # a published file stays, the others go
    (["index.html", "lieux/x/index.html", "lieux/y/index.html"], {"index.html", "lieux/x/index.html"},
     ["index.html", "lieux/x/index.html"]),
    # a folder left empty goes with its last file
    (["index.html", "lieux/ferme/index.html", "lieux/ferme/affiche.pdf"], {"index.html"}, ["index.html"]),
    # hidden files at the top stay (MkDocs never deletes them), and the search index is remade apart
    ([".nojekyll", ".git/HEAD", "pagefind/pagefind.js", "vieux.html"], set(),
     [".git/HEAD", ".nojekyll", "pagefind/pagefind.js"]),
    # a hidden file deeper is no exception: MkDocs copies no hidden file
    (["assets/.ancien", "assets/site.css"], {"assets/site.css"}, ["assets/site.css"]),
])
def test_what_the_build_no_longer_publishes_is_removed(
    tmp_path: Path, present: list[str], published: set[str], left: list[str],
) -> None:
    site = tmp_path / "site"
    for path in present:
        write(site / path, path)

    removed = InPlace(site, made_apart={"pagefind"}).remove_stale(published)

    assert sorted(files_of(site)) == left
    assert removed == len(present) - len(left)
    assert not [p for p in site.rglob("*") if p.is_dir() and not any(p.iterdir())]  # no empty folder left


def test_a_site_listed_before_the_build_writes_it_loses_only_what_is_no_longer_published(tmp_path: Path) -> None:
    """The folder is listed while MkDocs writes the pages (`list_soon`): what is written
    meanwhile is published and stays; a file that became a folder, or a folder that became a
    file, does not stop the build; an empty folder of the last site goes."""
    site = tmp_path / "site"
    for path in ["index.html", "lieux/ferme/index.html", "lieux/x/qr.png", "lieux/y/index.html", "vieux.html"]:
        write(site / path, path)
    (site / "lieux" / "vide").mkdir()
    in_place = InPlace(site, made_apart={"pagefind"})
    in_place.list_soon()
    # What the build then writes: a new place, a file where a folder was and a folder where a file was.
    write(site / "lieux" / "nouveau" / "index.html", "nouveau")
    publish(write(tmp_path / "cache" / "y", "y"), site / "lieux" / "y")
    publish(write(tmp_path / "cache" / "page", "page"), site / "vieux.html" / "index.html")

    removed = in_place.remove_stale({"index.html", "lieux/x/qr.png", "lieux/nouveau/index.html", "lieux/y",
                                     "vieux.html/index.html"})

    assert sorted(files_of(site)) == ["index.html", "lieux/nouveau/index.html", "lieux/x/qr.png", "lieux/y",
                                      "vieux.html/index.html"]
    assert removed == 1  # lieux/ferme/index.html: the others were replaced by the build itself
    assert not [p for p in site.rglob("*") if p.is_dir() and not any(p.iterdir())]
