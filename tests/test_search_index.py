"""The search index made again from a kept folder of what Pagefind reads: after any change of
pages (one changed, one removed, one added), the same index as one made from nothing."""

from __future__ import annotations

import gzip
import os
import shutil
import time
from pathlib import Path

import pytest

from annuaire import workers
from annuaire.site import search


def page(title: str, text: str) -> str:
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><nav>Menu</nav><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>")


def write_site(site: Path, pages: dict[str, str]) -> None:
    for path, html in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")


def bundle(site: Path) -> dict[str, bytes]:
    folder = site / search.BUNDLE
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def texts(site: Path) -> str:
    return "".join(gzip.decompress(f.read_bytes()).decode("utf-8") for f in (site / search.BUNDLE / "fragment").iterdir())


def test_an_index_made_again_is_the_one_made_from_nothing(tmp_path: Path) -> None:
    store, site = tmp_path / "cache", tmp_path / "site"
    pages = {
        "lieux/vouille/mairie/index.html": page("Mairie de Vouillé", "Wi-Fi public et aide aux démarches"),
        "lieux/naintre/mediatheque/index.html": page("Médiathèque de Naintré", "Ordinateurs en accès libre"),
        "communes/vouille/index.html": page("Vouillé", "Lieux proches"),
    }
    write_site(site, pages)
    assert search.index_site(site, store) == 3
    (site / "lieux/vouille/mairie/index.html").write_text(page("Mairie de Vouillé", "Imprimante et scanner"), encoding="utf-8")
    shutil.rmtree(site / "lieux/naintre")
    write_site(site, {"lieux/ayron/ecole/index.html": page("École d’Ayron", "Atelier numérique")})
    shutil.rmtree(site / search.BUNDLE)

    assert search.index_site(site, store) == 3
    fresh = tmp_path / "frais"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(search.BUNDLE))
    search.index_site(fresh)  # no store: made from nothing
    assert bundle(site) == bundle(fresh)
    assert "Imprimante" in texts(site) and "Ayron" in texts(site)
    assert "Naintré" not in texts(site) and "Wi-Fi" not in texts(site)


def test_a_kept_folder_without_its_list_is_made_afresh_and_old_ones_go(tmp_path: Path) -> None:
    """A build stopped while the folder changed leaves no list: the next one does not trust
    the folder. The folder of a site folder no build used for a day (`mkdocs serve` builds
    into a temporary one) is deleted."""
    store, site = tmp_path / "cache", tmp_path / "site"
    write_site(site, {"a/index.html": page("Mairie", "Wi-Fi"), "b/index.html": page("Poste", "Démarches")})
    search.index_site(site, store)
    root = store / search.STAGINGS
    (staging,) = [p for p in root.iterdir() if p.is_dir()]
    staging.with_suffix(".liste").unlink()
    (staging / "b/index.html").unlink()  # what a stop half-way may leave: a page missing, another too many
    (staging / "c").mkdir()
    (staging / "c/index.html").write_text(page("Fantôme", "supprimé"), encoding="utf-8")
    old = root / "0123456789abcdef"
    (old / "x").mkdir(parents=True)
    (old / "x/index.html").write_text(page("Ancien", "site"), encoding="utf-8")
    day_ago = time.time() - search.STAGING_KEPT_S - 60
    os.utime(old, (day_ago, day_ago))
    write_site(site, {"a/index.html": page("Mairie", "Imprimante")})
    shutil.rmtree(site / search.BUNDLE)

    search.index_site(site, store)
    assert "Poste" in texts(site) and "Imprimante" in texts(site) and "Fantôme" not in texts(site)
    assert not old.exists() and staging.with_suffix(".liste").is_file()


def test_only_the_last_index_is_kept_and_the_old_one_goes_beside_the_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 20,000 places deleting the last index (20,000 files) took up to 1.8 s of a correction
    the search reads: it is deleted by another process while Pagefind runs, and the new one is
    kept whole."""
    store, site = tmp_path / "cache", tmp_path / "site"
    write_site(site, {"a/index.html": page("Mairie", "Wi-Fi")})
    search.index_site(site, store)
    (first,) = kept_indexes(store)
    monkeypatch.setattr(workers, "BEHIND_FROM", 1)  # one page counts as a large site
    real_rmtree = shutil.rmtree

    def rmtree(path: Path, *args: object, **kwargs: object) -> None:
        if Path(path) == first:
            (tmp_path / "supprime-par").write_text(str(os.getpid()), encoding="utf-8")
        real_rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search.shutil, "rmtree", rmtree)
    write_site(site, {"a/index.html": page("Mairie", "Imprimante")})
    search.index_site(site, store)
    workers.settle()
    (second,) = kept_indexes(store)
    assert second != first
    assert (tmp_path / "supprime-par").read_text(encoding="utf-8") != str(os.getpid())
    assert (second / search.ENTRY).is_file() and "Imprimante" in texts(site)
    assert sorted(p.relative_to(second) for p in second.rglob("*")) == sorted(
        p.relative_to(site / search.BUNDLE) for p in (site / search.BUNDLE).rglob("*"))


def kept_indexes(store: Path) -> list[Path]:
    return [p for p in store.iterdir() if search._KEPT_INDEX.fullmatch(p.name)]
