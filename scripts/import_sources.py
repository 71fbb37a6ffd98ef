#!/usr/bin/env python3
"""Import the France services (2024), conseillers numériques (2022) and data·inclusion (2023)
sources into `places/`, with ANCT's own mapping files (`data/anct-mapping/`).

    .venv/bin/python scripts/import_sources.py             # write places/, the state and the report
    .venv/bin/python scripts/import_sources.py --dry-run   # show what would change, write nothing
    .venv/bin/python scripts/import_sources.py --force     # also overwrite files edited by hand
    .venv/bin/python scripts/import_sources.py --departement 79 --places ../annuaire-79/places \
        --state ../annuaire-79/import-state.json --report ../annuaire-79/import-report.txt
                                                           # another département: its own folder

With `--departement NN`, the territory is `data/territoire_NN.json` (written by
`scripts/refresh_territory.py --departement NN`) and the sources default to the files of
`../shared/data/` for that département; a row of another département is reported, never moved.
The report lists every value that changes in an existing record, and why.

Safe to re-run: `data/import-state.json` keeps the sha256 of the text last written to each
file, so a file edited by hand is never overwritten (unless `--force`), and a file no source
produces any more is reported, never deleted. The mapping rules are in `annuaire/importers/`.
After writing, every record is read back through the build's own road (`load_directory`).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annuaire.data.territory import Territory  # noqa: E402
from annuaire.importers.changes import changes_report  # noqa: E402
from annuaire.importers.files import UNCHANGED, plan_files  # noqa: E402
from annuaire.importers.merge import build_import, round_trip_problems  # noqa: E402
from annuaire.model.directory import check_directory  # noqa: E402
from annuaire.problems import errors, report  # noqa: E402
from annuaire.settings import checkout_settings  # noqa: E402

SHARED = Path("../shared/data")
SHARED_FOLDERS = {"86": "vienne", "79": "deux-sevres"}


def default_source(departement: str, pattern: str) -> Path | None:
    """The file of `../shared/data/<département>/` matching `pattern`, if there is one."""
    folder = ROOT / SHARED / SHARED_FOLDERS.get(departement, departement)
    found = sorted(folder.glob(pattern.format(dep=departement))) if folder.is_dir() else []
    return found[-1] if found else None
STATE_COMMENT = (
    "Écrit par scripts/import_sources.py : empreinte sha256 du texte que l’import a écrit en "
    "dernier dans chaque fiche (chemins relatifs au dossier des fiches). Une fiche dont le texte "
    "n’a plus cette empreinte a été modifiée à la main : l’import ne l’écrase pas."
)


def _resolve(path: Path) -> Path:
    return path if path.is_absolute() else ROOT / path


def file_date(path: Path) -> str | None:
    """`france-services_2024-08-01_dep86.csv` → `2024-08-01` (the date the list was published)."""
    match = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return match.group(1) if match else None


def read_state(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("files", {}))


def state_text(files: dict[str, str]) -> str:
    return json.dumps({"comment": STATE_COMMENT, "files": files}, ensure_ascii=False, indent=2) + "\n"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Importe les deux sources de lieux dans places/.")
    parser.add_argument("--departement", default="86", help="code du département (défaut : 86, la Vienne)")
    parser.add_argument("--france-services", type=Path, default=None,
                        help="CSV des France services (liste ANCT filtrée sur le département)")
    parser.add_argument("--france-services-date", default=None,
                        help="date de la liste (AAAA-MM-JJ), par défaut lue dans le nom du fichier")
    parser.add_argument("--conseillers", type=Path, default=None,
                        help="JSON des lieux des conseillers numériques 2022 (schéma v0.1)")
    parser.add_argument("--data-inclusion", type=Path, default=None,
                        help="JSON du flux data·inclusion de 2023 (lieux déjà aux noms du standard)")
    parser.add_argument("--territory", type=Path, default=None, help="défaut : data/territoire_<département>.json")
    parser.add_argument("--places", type=Path, default=Path("places"), help="dossier des fiches")
    parser.add_argument("--state", type=Path, default=Path("data/import-state.json"))
    parser.add_argument("--report", type=Path, default=Path("data/import-report.txt"))
    parser.add_argument("--dry-run", action="store_true", help="n’écrit rien, montre ce qui changerait")
    parser.add_argument("--force", action="store_true", help="écrase aussi les fiches modifiées à la main")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    dep = args.departement
    fs_given = args.france_services or default_source(dep, "france-services_*_dep{dep}.csv")
    cn_given = args.conseillers or default_source(dep, "conseillers-numeriques_*_dep{dep}.json")
    # The shared files go together: with sources named on the command line, only those are read.
    explicit = args.france_services is not None or args.conseillers is not None
    di_given = args.data_inclusion or (None if explicit else default_source(dep, "data-inclusion_*_dep{dep}.json"))
    if fs_given is None or cn_given is None:
        print(f"Sources du département {dep} introuvables : passez --france-services et --conseillers.", file=sys.stderr)
        return 2
    fs_path, cn_path = _resolve(fs_given), _resolve(cn_given)
    di_path = _resolve(di_given) if di_given else None
    territory_path = _resolve(args.territory or Path(f"data/territoire_{dep}.json"))
    if not territory_path.is_file():
        print(f"{territory_path} absent : lancez scripts/refresh_territory.py --departement {dep}", file=sys.stderr)
        return 2
    places, state_path, report_path = _resolve(args.places), _resolve(args.state), _resolve(args.report)
    fs_date = args.france_services_date or file_date(fs_path)
    if not fs_date:
        print(f"Date de {fs_path.name} inconnue : passez --france-services-date AAAA-MM-JJ", file=sys.stderr)
        return 2
    with fs_path.open(encoding="utf-8", newline="") as handle:
        fs_rows = list(csv.DictReader(handle))
    cn_rows = json.loads(cn_path.read_text(encoding="utf-8"))
    di_rows = json.loads(di_path.read_text(encoding="utf-8")) if di_path else []
    territory = Territory.load(territory_path)
    result = build_import(
        fs_rows, cn_rows, territory, fs_date,
        france_services_name=f"France services, {fs_path.name}",
        conseillers_name=f"Conseillers numériques, {cn_path.name}",
        places_prefix=args.places.as_posix().rstrip("/"),
        data_inclusion_rows=di_rows,
        data_inclusion_name=f"data·inclusion, {di_path.name}" if di_path else "data·inclusion",
        files={"france-services": fs_path.name, "conseillers-numeriques": cn_path.name,
               "data-inclusion": di_path.name if di_path else ""},
    )
    state = read_state(state_path)
    wanted = result.files
    current = {}
    for relative in set(wanted) | set(state):
        path = places / relative
        current[relative] = path.read_text(encoding="utf-8") if path.is_file() else None
    actions, new_state = plan_files(wanted, current, state, force=args.force)
    result.report += changes_report(result.outputs, current, args.places.as_posix().rstrip("/"))

    print(result.report)
    print("Fiches :" if not args.dry_run else "Fiches (simulation, rien n’est écrit) :")
    tally: dict[str, int] = {}
    for action in actions:
        tally[action.action] = tally.get(action.action, 0) + 1
        if action.action != UNCHANGED:
            print(f"  {args.places.as_posix()}/{action.path} : {action.action}")
    for name, count in sorted(tally.items()):
        print(f"  {count:>3} × {name}")
    if args.dry_run:
        return 0

    failures = 0
    for action in actions:
        if action.text is None:
            continue
        path = places / action.path
        write_text(path, action.text)
        # Read back with the project's loader: every value must still be the same text.
        reread = path.read_text(encoding="utf-8")
        data = next(o.data for o in result.outputs if o.path == action.path)
        for problem in round_trip_problems(reread, data):
            failures += 1
            print(f"  ERREUR {action.path} relue différemment : {problem}", file=sys.stderr)
    write_text(state_path, state_text(new_state))
    write_text(report_path, result.report)
    # The records as the build will read them: what it would refuse is said now.
    settings = checkout_settings(places)
    if territory_path != settings.territory_file:
        settings = dataclasses.replace(settings, territory_file=territory_path)
    problems = errors(check_directory(settings).problems)
    if problems:
        print("\nFiches que la construction du site refuserait :", file=sys.stderr)
        print(report(problems), file=sys.stderr)
    return 1 if failures or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
