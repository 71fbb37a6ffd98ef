"""Every address of the site, in one module: pages, print files, QR images, calendars, redirects.

A printed QR code is scanned for years, so these rules are a contract: change one and a flyer
on a wall leads nowhere (the ledger `data/urls-publiees.txt` and the build check that this
never happens). Paths are site paths without a leading `/`, with MkDocs' directory URLs: the
page written in `lieux/a/b.md` is served at `lieux/a/b/`. Pure functions of slugs: the
validation, the model and every renderer use them, and none needs anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

# Folders of generated pages.
PLACES = "lieux/"
COMMUNES = "communes/"
TERRITORIES = "territoires/"
SERVICES = "services/"
AGENDA = "ateliers/"
PRINT = "affiches/"

# Agenda pages live beside the workshop pages (`ateliers/<slug>/`): these workshop names are taken.
RESERVED_WORKSHOP_SLUGS = ("index", "territoires", "themes")
# A place record named `index.yml` would be the commune's folder page, not a place page.
RESERVED_PLACE_SLUGS = ("index",)


@dataclass(frozen=True)
class PlaceUrls:
    """Every file a place publishes, as site paths. A renamed place keeps all of them working."""

    page: str  # `lieux/poitiers/mds/`
    print_page: str  # `lieux/poitiers/mds/imprimer/`
    flyer_a5: str
    poster_a4: str
    sheet_a4: str  # two A5 flyers on one A4 sheet, for office printers
    qr_svg: str
    qr_png: str
    workshops_ics: str  # only written when the place has workshops

    def files(self, pdfs: bool = True) -> tuple[str, ...]:
        """The downloadable files (not pages) of the place: its QR images, and its PDFs when the
        site makes them for each place (`pdf_par_lieu`)."""
        return (*((self.flyer_a5, self.poster_a4, self.sheet_a4) if pdfs else ()), self.qr_svg, self.qr_png)


# What every open place publishes beside its page, as the ledger writes it: `lieux/*/*/qr.png`
# says « each place's qr.png has been published » (a link to it may be printed or shared).
EVERY_PLACE = f"{PLACES}*/*/"


def every_place_files(pdfs: bool) -> list[str]:
    """The ledger lines of the files each open place publishes (`lieux/*/*/flyer-a5.pdf`…)."""
    urls = place_urls(EVERY_PLACE)
    return [urls.print_page, *urls.files(pdfs)]


def place_path(commune_slug: str, slug: str) -> str:
    """`lieux/<commune>/<slug>/`: the stable public path of a place page."""
    return f"{PLACES}{commune_slug}/{slug}/"


def place_urls(page: str) -> PlaceUrls:
    """All the addresses of the place whose page is `page`."""
    return PlaceUrls(
        page=page,
        print_page=page + "imprimer/",
        flyer_a5=page + "flyer-a5.pdf",
        poster_a4=page + "affiche-a4.pdf",
        sheet_a4=page + "deux-flyers-a4.pdf",
        qr_svg=page + "qr.svg",
        qr_png=page + "qr.png",
        workshops_ics=page + "ateliers.ics",
    )


def commune_path(commune_slug: str) -> str:
    return f"{COMMUNES}{commune_slug}/"


def epci_path(epci_slug: str) -> str:
    return f"{TERRITORIES}{epci_slug}/"


def service_path(service_slug: str) -> str:
    return f"{SERVICES}{service_slug}/"


def workshop_path(slug: str) -> str:
    return f"{AGENDA}{slug}/"


def workshop_ics(slug: str) -> str:
    return f"{AGENDA}{slug}/atelier.ics"


def epci_agenda_path(epci_slug: str) -> str:
    return f"{AGENDA}territoires/{epci_slug}/"


def epci_ics(epci_slug: str) -> str:
    return f"{AGENDA}{epci_slug}.ics"


def theme_agenda_path(service_slug: str) -> str:
    return f"{AGENDA}themes/{service_slug}/"


AGENDA_ICS = f"{AGENDA}agenda.ics"


def commune_batch(commune_slug: str) -> str:
    return f"{PRINT}commune/{commune_slug}-a5.pdf"


def epci_batch(epci_slug: str) -> str:
    return f"{PRINT}intercommunalite/{epci_slug}-a5.pdf"


def commune_inserts(commune_slug: str) -> str:
    """The folder of a commune's inserts for the bulletin municipal (PDF, PNG, text)."""
    return f"{PRINT}encarts/{commune_slug}/"


def epci_booklet(epci_slug: str) -> str:
    """The paper guide of an EPCI: an A5 booklet of all its places."""
    return f"{PRINT}livrets/{epci_slug}.pdf"


DEPARTEMENT_BOOKLET = f"{PRINT}livrets/departement.pdf"


def sheets_of(batch: str) -> str:
    """The same flyers, two per A4 sheet: `…-a5.pdf` → `…-a4-deux-par-feuille.pdf`."""
    return batch.removesuffix("-a5.pdf") + "-a4-deux-par-feuille.pdf"


ALL_PLACES_BATCH = f"{PRINT}flyers-vienne-a5.pdf"
GENERAL_A5 = f"{PRINT}flyer-annuaire-a5.pdf"
GENERAL_A4 = f"{PRINT}affiche-annuaire-a4.pdf"
HOME_QR_SVG = f"{PRINT}qr-accueil.svg"
HOME_QR_PNG = f"{PRINT}qr-accueil.png"


# --- MkDocs' rules: source file ↔ page path ---------------------------------------------------


def page_path(src_uri: str) -> str:
    """URL path of a page with directory URLs: `lieux/x/y.md` → `lieux/x/y/`, `a/index.md` → `a/`."""
    stem = src_uri[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def leaf_source(path: str) -> str:
    """The Markdown source of a page that is not a folder's index: `lieux/x/y/` → `lieux/x/y.md`."""
    return path.rstrip("/") + ".md"


def relative_base(path: str) -> str:
    """`lieux/poitiers/mds/` → `../../../`: prefix from a page URL back to the site root."""
    return "../" * len([part for part in path.strip("/").split("/") if part])


# --- Paths written by people (ledger, `anciennes_urls`) ---------------------------------------


def normalize_path(path: str) -> str:
    """`/lieux/poitiers/x` → `lieux/poitiers/x/`: the form of `place_path` and the ledger.

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


def relative_url(from_path: str, to_path: str) -> str:
    """The link from the page at `from_path` to the page at `to_path` (both site paths with
    directory URLs): works on the public site, under `mkdocs serve` and from a local copy."""
    source = PurePosixPath(normalize_path(from_path))
    return "../" * len(source.parts) + normalize_path(to_path)
