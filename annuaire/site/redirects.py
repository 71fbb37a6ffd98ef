"""Redirect pages for the old addresses of renamed places: printed links keep working.

Pure functions, like mkdocs-redirects minus the file writing: which old address leads where is
decided by the model (`Directory.redirects`, from each record's `anciennes_urls`); here each
one becomes a tiny French page that works without JavaScript, and the old print page, PDFs and
QR images keep answering too.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from ..printing.cache import FileContent
from ..urls import normalize_path, place_urls, relative_url


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


def redirect_pages(redirects: Mapping[str, str], public_url: str | None = None) -> dict[str, str]:
    """`{file path in the built site: HTML}` for each redirect (`lieux/a/b/index.html`).

    With `public_url` the target is absolute (best for the canonical link), else relative.
    """
    pages = {}
    for old, new in sorted(redirects.items()):
        target = public_url.rstrip("/") + "/" + normalize_path(new) if public_url else relative_url(old, new)
        pages[normalize_path(old) + "index.html"] = redirect_html(target)
    return pages


def redirect_files(redirects: Mapping[str, str], files: Mapping[str, FileContent]) -> dict[str, FileContent]:
    """Everything else a renamed place had at its old address, so no printed link breaks: its
    print page (a redirect page) and its PDFs and QR images (the new place's, as they are now)."""
    moved: dict[str, FileContent] = {}
    for old, new in sorted(redirects.items()):
        old_urls, new_urls = place_urls(normalize_path(old)), place_urls(normalize_path(new))
        if new_urls.qr_svg not in files:
            continue  # the place has closed since: its page says where to go instead
        moved[old_urls.print_page + "index.html"] = redirect_html(relative_url(old_urls.print_page, new_urls.print_page))
        for old_file, new_file in zip(old_urls.files(), new_urls.files(), strict=True):
            if new_file in files:  # without PDFs for each place (`pdf_par_lieu: false`), the QR images
                moved[old_file] = files[new_file]
    return moved
