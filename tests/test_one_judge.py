"""One judge: `scripts/validate.py` and `mkdocs build --strict` refuse the same records with the
same French messages, because both read them through `load_directory`.

Each bad record of the test suite (the table of `test_validation.py`, plus whole files: broken
YAML, a wrong workshop, a published address no longer served) is put in a fresh project; the
validator runs as a contributor runs it, the build as CI runs it, and their reports must be
identical, line for line.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from support import write_mkdocs_config
from test_validation import BAD_INPUTS, VALID_TEXT, replace

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2024-09-01"
AGENDA = ROOT / "tests" / "fixtures" / "agenda"
RECORD = "places/poitiers/espace-numerique-exemple.yml"


def _validate_module():
    spec = importlib.util.spec_from_file_location("validate_script", ROOT / "scripts" / "validate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VALIDATE = _validate_module()


def write(folder: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def validator_report(folder: Path, monkeypatch: pytest.MonkeyPatch, today: str) -> tuple[int, str]:
    """What `cd folder && scripts/validate.py places --today …` prints, and its exit code."""
    monkeypatch.chdir(folder)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "ANNUAIRE_DATE"):
        monkeypatch.delenv(name, raising=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = VALIDATE.main(["places", "--today", today])
    return code, out.getvalue().rstrip("\n")


def build_report(folder: Path, monkeypatch: pytest.MonkeyPatch, today: str) -> str:
    """What `ANNUAIRE_DATE=… mkdocs build --strict` says when it refuses the records."""
    monkeypatch.setenv("ANNUAIRE_DATE", today)
    config = load_config(config_file=str(write_mkdocs_config(folder, folder / "places")), strict=True)
    with pytest.raises(Abort) as stopped:
        build(config)
    assert not (folder / "site").exists()  # nothing half-built
    message = str(stopped.value)
    head = "Le site n’a pas été construit.\n"
    assert message.startswith(head), message
    return message[len(head):]


CASES: list[tuple[str, dict[str, str], str]] = [
    *[(case[0], {RECORD: replace(case[1], case[2])}, TODAY) for case in BAD_INPUTS],
    ("YAML illisible", {RECORD: replace("nom: Espace numérique d’exemple", "nom: Espace : numérique: x")}, TODAY),
    ("champ écrit deux fois", {RECORD: VALID_TEXT + "nom: Un autre nom\n"}, TODAY),
    ("nom de fichier", {"places/poitiers/Espace Numérique.yml": VALID_TEXT}, TODAY),
    ("mauvais dossier", {"places/chatellerault/espace-numerique-exemple.yml": VALID_TEXT}, TODAY),
    ("fichier vide", {RECORD: VALID_TEXT, "places/poitiers/vide.yml": ""}, TODAY),
    ("adresse publiée perdue", {RECORD: VALID_TEXT, "data/urls-publiees.txt": "lieux/poitiers/disparu/\n"}, TODAY),
    ("atelier mal écrit", {
        **{f"places/{p.relative_to(AGENDA / 'places')}": p.read_text(encoding="utf-8")
           for p in (AGENDA / "places").rglob("*.yml")},
        "ateliers/smartphone-du-mardi.yml": (AGENDA / "ateliers-invalides" / "smartphone-du-mardi.yml")
        .read_text(encoding="utf-8"),
    }, "2026-02-02"),
    ("lieu et atelier faux ensemble", {
        RECORD: replace("horaires:", "horraires:"),
        "ateliers/atelier.yml": (AGENDA / "ateliers" / "arnaques-en-ligne.yml").read_text(encoding="utf-8"),
    }, TODAY),
]


@pytest.mark.parametrize(("files", "today"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_validator_and_build_give_the_same_verdict_and_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], today: str
) -> None:
    write(tmp_path, files)
    code, printed = validator_report(tmp_path, monkeypatch, today)
    assert code == 1, printed
    assert build_report(tmp_path, monkeypatch, today) == printed


def test_a_valid_project_passes_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(AGENDA / "places", tmp_path / "places")
    shutil.copytree(AGENDA / "ateliers", tmp_path / "ateliers")
    assert validator_report(tmp_path, monkeypatch, "2026-02-02")[0] == 0
    monkeypatch.setenv("ANNUAIRE_DATE", "2026-02-02")
    build(load_config(config_file=str(write_mkdocs_config(tmp_path, tmp_path / "places")), strict=True))
    assert (tmp_path / "site" / "index.html").is_file()
