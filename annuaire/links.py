"""Printed links that never break: a ledger of published place URLs, redirects, closed places.

A flyer pinned in a town hall is scanned for years. Every place path ever published is kept
in a committed ledger (`data/urls-publiees.txt`); the build checks that each one is still
served, by a page or by a redirect page. When a place is renamed or moves to another commune,
its record lists its old paths in the local field `anciennes_urls`; when it closes, its record
stays with `statut: fermé` and `date_fermeture`, and its page points to the nearest open places.

Pure functions only (like mkdocs-redirects, minus the file writing): the MkDocs hooks decide
where and when to write.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path, PurePosixPath

from .geo import km_between
from .model import Place
from .text import search_key

LEDGER_PATH = Path(__file__).resolve().parent.parent / "data" / "urls-publiees.txt"
LEDGER_HEADER = (
    "# Chemins de fiches déjà publiés (un par ligne, triés). Ne jamais en retirer :\n"
    "# un flyer imprimé peut encore y mener. Une fiche renommée garde son ancien chemin\n"
    "# dans `anciennes_urls`, qui devient une page de redirection.\n"
)
OLD_PATHS_FIELD = "anciennes_urls"
STATUS_FIELD = "statut"
CLOSED_STATUS = "fermé"
CLOSING_DATE_FIELD = "date_fermeture"


def normalize_path(path: str) -> str:
    """`/lieux/poitiers/x` → `lieux/poitiers/x/`: the form of `Place.url_path` and the ledger.

    Raises ValueError for a full URL or anything that is not a plain site path, so a typo in
    a record cannot make a redirect leave the site.
    """
    text = path.strip()
    if not text or "://" in text or text.startswith("//") or any(c in text for c in "?#\\ \t\n"):
        raise ValueError(f"« {path} » n’est pas un chemin du site (exemple : lieux/poitiers/mon-lieu/)")
    text = text.strip("/")
    if not text or any(part in ("", ".", "..") for part in text.split("/")):
        raise ValueError(f"« {path} » n’est pas un chemin du site (exemple : lieux/poitiers/mon-lieu/)")
    return text + "/"


def read_ledger(path: Path = LEDGER_PATH) -> list[str]:
    """The published paths, normalized and sorted; [] when the ledger does not exist yet.
    Blank lines and `#` comments are ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = (line.strip() for line in text.splitlines())
    return sorted({normalize_path(line) for line in lines if line and not line.startswith("#")})


def ledger_text(paths: Iterable[str]) -> str:
    """The ledger file's content for `paths` (for the caller to write)."""
    return LEDGER_HEADER + "".join(f"{p}\n" for p in sorted({normalize_path(p) for p in paths}))


def missing_from_site(ledger: Iterable[str], site_paths: Iterable[str]) -> list[str]:
    """Ledger paths that no page and no redirect serves any more: each one is a printed link
    that would now lead to « page introuvable »."""
    served = {normalize_path(p) for p in site_paths}
    return sorted({normalize_path(p) for p in ledger} - served)


def updated_ledger(ledger: Iterable[str], current_paths: Iterable[str]) -> list[str]:
    """The ledger plus the paths published now. Nothing is ever removed."""
    return sorted({normalize_path(p) for p in ledger} | {normalize_path(p) for p in current_paths})


def old_paths(place: Place) -> list[str]:
    """The `anciennes_urls` of a record, normalized (a single string is accepted too)."""
    raw = place.extra.get(OLD_PATHS_FIELD)
    if raw is None:
        raw = list(place.anciennes_urls)  # the typed field of a record (model.Place)
    if not raw:
        return []
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    return [normalize_path(str(v)) for v in values if isinstance(v, str) and v.strip()]


def redirects_for(places: Iterable[Place]) -> dict[str, str]:
    """`{old_path: new_path}` from every place's `anciennes_urls`.

    An old path that is today the page of a place is skipped (the page wins), and so is an
    old path claimed by two places (neither can be right; `redirect_conflicts` reports it).
    """
    places = list(places)
    current = {p.url_path for p in places}
    claims: dict[str, set[str]] = {}
    for place in places:
        for old in old_paths(place):
            if old != place.url_path:
                claims.setdefault(old, set()).add(place.url_path)
    return {
        old: next(iter(targets))
        for old, targets in sorted(claims.items())
        if len(targets) == 1 and old not in current
    }


def redirect_conflicts(places: Iterable[Place]) -> list[str]:
    """French sentences for the `anciennes_urls` that `redirects_for` had to ignore."""
    places = list(places)
    current = {p.url_path: p for p in places}
    claims: dict[str, list[Place]] = {}
    for place in places:
        for old in old_paths(place):
            if old != place.url_path:
                claims.setdefault(old, []).append(place)
    problems = []
    for old, claimants in sorted(claims.items()):
        if old in current:
            problems.append(f"{claimants[0].file} : « {old} » est déjà la page de {current[old].file}")
        elif len(claimants) > 1:
            files = " et ".join(sorted(p.file for p in claimants))
            problems.append(f"« {old} » est l’ancienne adresse de deux fiches : {files}")
    return problems


def redirect_html(target_url: str) -> str:
    """A tiny French page that sends the reader to `target_url`, without JavaScript.

    The meta refresh (0 s) moves browsers on; the canonical link tells search engines where
    the page lives now; the visible link serves anyone whose browser blocks refreshes.
    """
    url = escape(target_url, quote=True)
    return (
        "<!doctype html>\n"
        '<html lang="fr">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<title>Cette page a déménagé</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{url}">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        "<style>body{font-family:system-ui,sans-serif;font-size:1.25rem;line-height:1.5;"
        "max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}"
        "a{color:#0b4fa8}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        "<h1>Cette page a déménagé</h1>\n"
        f'<p>La fiche de ce lieu est maintenant à cette adresse : <a href="{url}">{url}</a></p>\n'
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


def relative_url(from_path: str, to_path: str) -> str:
    """The link from the page at `from_path` to the page at `to_path` (both site paths with
    directory URLs): works on the public site, under `mkdocs serve` and from a local copy."""
    source = PurePosixPath(normalize_path(from_path))
    target = normalize_path(to_path)
    return "../" * len(source.parts) + target


def redirect_pages(redirects: Mapping[str, str], public_url: str | None = None) -> dict[str, str]:
    """`{file path in the built site: HTML}` for each redirect (`lieux/a/b/index.html`).

    With `public_url` the target is absolute (best for the canonical link), else relative.
    """
    pages = {}
    for old, new in sorted(redirects.items()):
        target = public_url.rstrip("/") + "/" + normalize_path(new) if public_url else relative_url(old, new)
        pages[normalize_path(old) + "index.html"] = redirect_html(target)
    return pages


def is_closed(place: Place) -> bool:
    """True for a record with `statut: fermé` (accents and case ignored)."""
    status = place.extra.get(STATUS_FIELD, place.statut)
    return isinstance(status, str) and search_key(status) == search_key(CLOSED_STATUS)


def closing_date(place: Place) -> str | None:
    """The raw `date_fermeture` (YYYY-MM-DD) of a closed place, if given."""
    value = place.extra.get(CLOSING_DATE_FIELD)
    if value is None and place.date_fermeture is not None:
        return place.date_fermeture.isoformat()
    return value.strip() if isinstance(value, str) and value.strip() else None


def distance_km(a: Place, b: Place) -> float | None:
    """Great-circle distance (`geo.km_between`), None when either place has no coordinates."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return km_between((a.latitude, a.longitude), (b.latitude, b.longitude))


def nearest_open(place: Place, places: Iterable[Place], k: int = 3) -> list[Place]:
    """The `k` open places to suggest instead of `place` (typically a closed one).

    Same commune first, then the same EPCI (the same intercommunal services and buses), then
    the others; within each group the nearest first (places without coordinates last, by name).
    """

    def rank(other: Place) -> tuple[int, float, tuple[str, str]]:
        if other.commune_ref.code_insee == place.commune_ref.code_insee:
            group = 0
        elif place.epci_ref is not None and other.epci_ref is not None and other.epci_ref.code == place.epci_ref.code:
            group = 1
        else:
            group = 2
        distance = distance_km(place, other)
        return group, math.inf if distance is None else distance, other.sort_key

    candidates = [p for p in places if p.url_path != place.url_path and not is_closed(p)]
    return sorted(candidates, key=rank)[: max(k, 0)]
