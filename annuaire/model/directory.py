"""The one road from the records to the directory: load, validate, build — `load_directory`.

The MkDocs hook, `scripts/validate.py`, the import scripts and the tests all call it, so the
validator refuses exactly what the build would refuse, with the same French messages. Every
problem of every file (places, workshops, the ledger of published addresses) is reported at
once; nothing here writes a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .. import workers
from ..data.ledger import ledger_lines_at
from ..data.memo import RecordMemo
from ..data.records import Record, load_records, record_files
from ..data.reference import Reference, load_reference
from ..data.territory import Commune, Epci, Territory
from ..fingerprint import add_folders, code_digest
from ..problems import Problem, Severity, errors, report
from ..settings import Settings
from ..urls import every_place_files, normalize_path
from ..validation.checks import relative_path, syntax_problem
from ..validation.links import check_ledger, check_ledger_kept
from ..validation.places import check_places, served_paths
from ..validation.workshops import check_workshops
from .nearest import Located, Ranking, located, rank
from .places import CLOSED, Place, by_epci, place_from_record
from .workshops import Workshop, build_workshops

# Places held by the rankings kept for the build (12 bytes each: 120 MB). Each holds its nearest
# places sorted (`nearest.NEAREST_FIRST`): a country's 35,000 communes keep all theirs.
RANKINGS_KEPT = 10_000_000


@dataclass(frozen=True)
class Directory:
    """All published places and workshops with the territory, and the groupings pages need."""

    places: tuple[Place, ...]  # open places only: every list, count and flyer shows these
    territory: Territory
    workshops: tuple[Workshop, ...] = ()
    closed: tuple[Place, ...] = ()  # closed places keep a page saying so (printed links)
    redirects: Mapping[str, str] = field(default_factory=dict)  # old page path → current page path
    reference: Reference | None = None  # typologies and the contracts, as read for this build
    warnings: tuple[Problem, ...] = ()  # what contributors could improve; never stops a build
    # A place's file (`Place.file`) → the key of its record as read (`RecordMemo.key_of`): equal
    # keys, equal places. The build's memos know a place by it instead of digesting its fields
    # (at 20,000 places, half a second of every build).
    place_keys: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def in_commune(self, commune: Commune) -> list[Place]:
        return list(self._by_commune.get(commune.code_insee, ()))

    def in_epci(self, epci: Epci) -> list[Place]:
        return list(self._by_epci.get(epci.code, ()))

    def with_service(self, service_label: str) -> list[Place]:
        return list(self._by_service.get(service_label, ()))

    # The places grouped once, in their order: every commune and EPCI page, batch and insert
    # asks (at 20,000 places, a scan each time took seconds).
    @cached_property
    def _by_commune(self) -> dict[str, list[Place]]:
        return _grouped((p.commune_ref.code_insee, p) for p in self.places)

    @cached_property
    def _by_epci(self) -> dict[str, list[Place]]:
        return by_epci(self.places)

    @cached_property
    def _by_service(self) -> dict[str, list[Place]]:
        return _grouped((service, p) for p in self.places for service in dict.fromkeys(p.services))

    def communes_with_places(self) -> list[Commune]:
        codes = {p.commune_ref.code_insee for p in self.places}
        return [c for c in self.territory.communes if c.code_insee in codes]

    @cached_property
    def newest_update(self) -> date | None:
        """The date of the newest open place's information: what printed lists say they date from."""
        return max((p.date_maj for p in self.places), default=None)

    def ranked_from(self, commune: Commune) -> Ranking:
        """Every open place ranked by distance from the commune's point, computed once per
        commune and build: its page, its partner list and its bulletin insert all read it.
        Kept while the kept rankings hold at most `RANKINGS_KEPT` places in all; beyond, ranked
        again when asked."""
        found = self._rankings.by_code.get(commune.code_insee)
        if found is None:
            found = rank(self.territory.position(commune.code_insee), self.located)
            self.keep_rankings({commune.code_insee: found})
        return found

    def keep_rankings(self, rankings: Mapping[str, Ranking]) -> None:
        """Rankings by commune code, made beforehand (every commune at once on every core, or
        kept from the last build): `ranked_from` gives them back, within `RANKINGS_KEPT`."""
        kept = self._rankings
        for code, ranking in rankings.items():
            if code not in kept.by_code and kept.held + ranking.held <= RANKINGS_KEPT:
                kept.by_code[code] = ranking
                kept.held += ranking.held

    @cached_property
    def _rankings(self) -> _KeptRankings:
        return _KeptRankings()

    @cached_property
    def located(self) -> Located:
        """The open places with their positions, prepared once for every ranking."""
        return located(self.places, self.territory)


@dataclass
class _KeptRankings:
    """The rankings kept for the build, by commune code, and how many places they hold in all."""

    by_code: dict[str, Ranking] = field(default_factory=dict)
    held: int = 0


def _grouped(pairs: Iterable[tuple[str, Place]]) -> dict[str, list[Place]]:
    groups: dict[str, list[Place]] = {}
    for name, place in pairs:
        groups.setdefault(name, []).append(place)
    return groups


class DirectoryError(Exception):
    """Records a contributor must fix: `problems` holds every one, in French, with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(report(problems))
        self.problems = problems


@dataclass(frozen=True)
class Checked:
    """The outcome of reading every record: the directory when nothing blocks it, and every problem."""

    directory: Directory | None
    problems: list[Problem]
    files: int  # how many record files were read (places and workshops)


def redirects_of(places: Iterable[Place]) -> dict[str, str]:
    """`{old_path: new_path}` from every place's `anciennes_urls`.

    An old path that is today the page of a place is skipped (the page wins), and so is an old
    path claimed by two places (neither can be right); the validation reports both.
    """
    places = list(places)
    current = {p.url_path for p in places}
    claims: dict[str, set[str]] = {}
    for place in places:
        for old in place.anciennes_urls:
            path = normalize_path(old)
            if path != place.url_path:
                claims.setdefault(path, set()).add(place.url_path)
    return {
        old: next(iter(targets))
        for old, targets in sorted(claims.items())
        if len(targets) == 1 and old not in current
    }


def _without_errors(records: list[Record], problems: list[Problem], settings: Settings) -> list[Record]:
    bad = {p.file for p in problems if p.severity is Severity.ERROR}
    return [r for r in records if relative_path(r.path, settings.root) not in bad] if bad else records


def check_directory(settings: Settings) -> Checked:
    """Read and check every record; build the directory from them when nothing blocks it.

    Workshops are checked against the places that have no error, so a contributor sees the
    problems of both kinds of records in one pass.
    """
    reference = load_reference(settings)
    territory = reference.territory
    root, today = settings.root, settings.today

    memo = RecordMemo(settings.cache_dir / "fiches" if settings.cache_dir else None, _memo_context(settings))
    records, syntax_errors = load_records(settings.places_dir, memo)
    problems = [syntax_problem(error, root) for error in syntax_errors]
    problems += check_places(records, reference.place_schema, territory, root, today, settings.places_dir, memo)
    workers.behind(memo.save, len(records))  # kept for the next build while this one goes on
    served = [*served_paths(records, territory), *every_place_files(settings.place_pdfs)]
    problems += check_ledger(settings.ledger, served, root)
    if settings.ledger_base:
        previous = ledger_lines_at(settings.ledger_base, settings.ledger)
        if previous is None:
            problems.append(Problem(
                relative_path(settings.ledger, root), 1, 1, "",
                f"impossible de lire le registre tel qu’il était dans « {settings.ledger_base} »",
                "vérifiez la révision git donnée dans ANNUAIRE_REGISTRE_DEPUIS (par exemple origin/main)",
            ))
        else:
            problems += check_ledger_kept(settings.ledger, previous, settings.ledger_base, root)

    usable = _without_errors(records, problems, settings)
    built = [(place_from_record(r, territory, root), memo.key_of(r)) for r in usable]
    everyone = sorted((place for place, _ in built), key=lambda p: p.sort_key)
    place_keys = {place.file: key for place, key in built if key is not None}
    places = [p for p in everyone if p.statut != CLOSED]
    files = len(record_files(settings.places_dir))

    workshop_records: list[Record] = []
    folder = settings.workshops_dir
    if folder is not None and folder.is_dir():
        workshop_records, workshop_syntax = load_records(folder)
        files += len(record_files(folder))
        problems += [syntax_problem(error, root) for error in workshop_syntax]
        known = {p.id: (p.nom, p.commune_ref.nom) for p in places}
        problems += check_workshops(
            workshop_records, reference.workshop_schema, known, reference.school_holidays, root, today, folder
        )
    problems = sorted(set(problems))
    if errors(problems):
        return Checked(None, problems, files)

    by_id = {p.id: p for p in places}
    workshops = build_workshops(workshop_records, by_id, root, reference.school_holidays)
    directory = Directory(
        places=tuple(places),
        territory=territory,
        workshops=tuple(workshops),
        closed=tuple(p for p in everyone if p.statut == CLOSED),
        redirects=redirects_of(everyone),
        reference=reference,
        warnings=tuple(problems),
        place_keys=place_keys,
    )
    return Checked(directory, problems, files)


def _memo_context(settings: Settings) -> str:
    """What a place record's reading and check depend on besides its own file: the code, the
    reference data (territory, contract, vocabularies), the installed libraries and the folders
    (paths are shown relative to the root). Not the day: the memo keeps it with each record."""
    digest = hashlib.sha256(f"{settings.root}\0{settings.places_dir}\0{code_digest()}".encode())
    add_folders(digest, [settings.territory_file.parent, settings.data_dir, settings.schemas_dir])
    return digest.hexdigest()


def load_directory(settings: Settings) -> Directory:
    """The directory of `settings`' records; DirectoryError (every problem, in French) when a
    record must be fixed first. Warnings are kept in `Directory.warnings`."""
    checked = check_directory(settings)
    if checked.directory is None:
        raise DirectoryError(checked.problems)
    return checked.directory
