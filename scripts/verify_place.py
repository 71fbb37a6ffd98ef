#!/usr/bin/env python3
"""Turn an accepted answer to « Ces informations sont-elles justes ? » into the record change.

    .venv/bin/python scripts/verify_place.py --issue reponse.md        # the issue's text, copied
    gh issue view 123 --json body -q .body | .venv/bin/python scripts/verify_place.py --issue -

The record of the page named in the answer gets `date_verification`, `verification_moyen`
(`verification_par`), `date_maj` set to the day of the check, and the changed values. It is
written only if the build would accept it; otherwise nothing changes and the problems are
printed in French. The diff is printed: commit it with « Vérification du lieu … (#123) ».
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.data.records import RecordSyntaxError, load_record  # noqa: E402
from annuaire.importers.verification import VerificationError, read_answer, verified_text  # noqa: E402
from annuaire.model.directory import check_directory  # noqa: E402
from annuaire.problems import errors, report  # noqa: E402
from annuaire.settings import checkout_settings, date_argument  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reporte une vérification dans la fiche du lieu.")
    parser.add_argument("--issue", required=True, help="fichier du texte de l’issue, ou - pour l’entrée standard")
    parser.add_argument("--places", type=Path, default=None, help="dossier des fiches (par défaut : celui de mkdocs.yml)")
    parser.add_argument("--today", type=date_argument, default=None, help="date du jour (AAAA-MM-JJ)")
    args = parser.parse_args(argv)

    settings = checkout_settings(args.places, today=args.today)
    body = sys.stdin.read() if args.issue == "-" else Path(args.issue).read_text(encoding="utf-8")
    try:
        answer = read_answer(body, settings.today)
    except VerificationError as error:
        print(f"Réponse inutilisable : {error}.", file=sys.stderr)
        return 1
    parts = answer.page.strip("/").split("/")
    path = settings.places_dir / parts[1] / f"{parts[2]}.yml"
    if not path.is_file():
        print(f"Aucune fiche pour {answer.page} ({path} n’existe pas).", file=sys.stderr)
        return 1
    try:
        record = load_record(path)
    except RecordSyntaxError as error:
        print(f"{path} : {error.message}.", file=sys.stderr)
        return 1
    before = path.read_text(encoding="utf-8")
    after = verified_text(before, record.data, answer)
    path.write_text(after, encoding="utf-8")
    problems = [p for p in errors(check_directory(settings).problems) if p.file.endswith(f"{parts[1]}/{parts[2]}.yml")]
    if problems:
        path.write_text(before, encoding="utf-8")  # never leave a record the build would refuse
        print("La fiche modifiée serait refusée ; rien n’a changé :\n" + report(problems), file=sys.stderr)
        return 1
    sys.stdout.writelines(difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), str(path), str(path)
    ))
    for line in answer.unreadable:
        print(f"À reporter à la main : « {line} »", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
