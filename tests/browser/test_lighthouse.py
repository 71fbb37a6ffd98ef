"""Lighthouse (mobile), as a phone on a slow connection sees the site: accessibility, best
practices and search-engine basics at 100 on the four pages residents open most.

Performance is a timing and is reported by `scripts/benchmark.py --lighthouse`, never asserted
here. Lighthouse comes from the npm registry (package.json, installed by ./scripts/bootstrap
--browser) and drives Debian's chromium.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, serve

pytestmark = pytest.mark.browser
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {"accueil": "", "lieu": "lieux/vouille/france-services-la-poste/", "commune": "communes/poitiers/",
         "trouver": "trouver/"}
ALWAYS_100 = ("accessibility", "best-practices", "seo")


def lighthouse(url: str, out: Path) -> dict:
    """Lighthouse's JSON report of `url`, mobile settings (its default), in Debian's chromium."""
    if not LIGHTHOUSE.exists():
        pytest.fail(f"{LIGHTHOUSE} est absent : lancez ./scripts/bootstrap --browser (npm ci).")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={flags}",
         "--only-categories=performance,accessibility,best-practices,seo"],
        check=True, timeout=180, env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compressed_site_url(real_site: Path) -> Iterator[str]:
    with serve(real_site, compress=True) as url:
        yield url


@pytest.mark.parametrize("kind", PAGES)
def test_lighthouse_finds_nothing_to_fix(compressed_site_url: str, tmp_path: Path, kind: str) -> None:
    report = lighthouse(compressed_site_url + PAGES[kind], tmp_path / "rapport.json")
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failing = [
        f"{audit_id} : {audit['title']}"
        for audit_id, audit in report["audits"].items()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
        and any(ref["id"] == audit_id for name in ALWAYS_100 for ref in report["categories"][name]["auditRefs"])
    ]
    assert all(scores[name] == 1 for name in ALWAYS_100), f"page « {kind} » : {scores}\n" + "\n".join(failing)
