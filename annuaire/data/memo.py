"""Each record as read and checked, kept by its file's bytes (`.cache/…/fiches/`).

A coordinator's correction changes one file: the others are taken back as they were parsed and
checked in the last build, instead of being parsed and checked again (at 1,000 places, about
1.5 s of a one-change build; at 20,000, half a minute). Only what depends on one file alone is
kept: checks across records (duplicates, the ledger, workshops against places) run on every
build. Everything else a record's check reads (the code, the reference data, the folders) is
the memo's context: when it changes, nothing is taken back. The day is not: a record's
problems are taken back on a later day when its check said they would be the same then
(`checked`), so the nightly publication does not check every record again (at 20,000 places,
15 s of every night). Like the print store, it is only a speed-up: deleting it gives the same
records and problems.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..atomic import replaced
from ..problems import Problem
from .records import PackedPositions, Position, Raw, Record

FORM = "5"  # change when `Record`, `Problem` or `_Entry` change shape: older memos are then ignored
FILE = "fiches.pickle"


@dataclass
class _Entry:
    record: Record
    problems: tuple[Problem, ...] | None = None  # None: read in this build, not checked yet
    day: date | None = None  # the day they were found
    lasting: bool = False  # the same on any later day

    def holds_on(self, today: date) -> bool:
        """Whether its problems are those a check would find `today`."""
        return self.problems is not None and self.day is not None and (
            self.day == today or (self.lasting and self.day < today))


# How an entry is written: the record's fields, its positions packed (read back, they are made
# only if a check across records asks for one), and its problems.
_Kept = tuple[
    Path, dict[str, Raw], PackedPositions, PackedPositions, list[tuple[str, Position]], tuple[Problem, ...], date, bool,
]


def _kept(entry: _Entry, shared: dict[tuple[str, ...], tuple[str, ...]]) -> _Kept:
    r = entry.record
    assert entry.problems is not None and entry.day is not None
    return (r.path, r.data, PackedPositions.of(r.positions, shared), PackedPositions.of(r.key_positions, shared),
            r.duplicate_keys, entry.problems, entry.day, entry.lasting)


def _entry(kept: _Kept) -> _Entry:
    path, data, positions, key_positions, duplicate_keys, problems, day, lasting = kept
    return _Entry(Record(path, data, positions, key_positions, duplicate_keys), problems, day, lasting)


class RecordMemo:
    """The records read (and checked) by the last build with the same context, by path and bytes.

    `read` and `checked` take a record back when its file is unchanged, else call the given
    function; `save` keeps this build's records only (a deleted file is forgotten)."""

    def __init__(self, folder: Path | None, context: str) -> None:
        self._file = folder / FILE if folder is not None else None
        self._context = FORM + context
        self._old = self._load()
        self._new: dict[str, _Entry] = {}
        self._keys: dict[Path, str] = {}  # path of a record read in this build → its key
        self._checked = False  # a record was checked in this build: the memo is saved

    def read(self, path: Path, data: bytes, parse: Callable[[], Record]) -> Record:
        """The record of `path`, whose bytes are `data`: taken back, or `parse()`d now."""
        key = hashlib.sha256(os.fsencode(path) + b"\0" + data).hexdigest()
        entry = self._new.get(key) or self._old.get(key) or _Entry(parse())
        self._new[key] = entry
        self._keys[path] = key
        return entry.record

    def key_of(self, record: Record) -> str | None:
        """A digest of `record`'s file and of the memo's context (the code, the reference data,
        the folders): everything a place built from the record depends on, so two builds give
        the same key exactly when they would build the same place. None for a record not read
        through this memo."""
        found = self._read_through(record)
        return hashlib.sha256(f"{self._context}\0{found[0]}".encode()).hexdigest() if found is not None else None

    def checked(
        self, record: Record, check: Callable[[], list[Problem]], today: date,
        lasting: Callable[[list[Problem]], bool],
    ) -> list[Problem]:
        """The problems of one record on its own on `today`: taken back when they were found
        today, or on an earlier day and `lasting(problems)` said then that they would be the
        same on any later day; else `check()`ed now."""
        found = self._read_through(record)
        if found is None:
            return check()
        entry = found[1]
        if not entry.holds_on(today):
            problems = check()
            entry.problems, entry.day, entry.lasting = tuple(problems), today, lasting(problems)
            self._checked = True
        return list(entry.problems or ())

    def _read_through(self, record: Record) -> tuple[str, _Entry] | None:
        """`record`'s key and entry, when this build read it through this memo; else None."""
        key = self._keys.get(record.path)
        entry = self._new.get(key) if key is not None else None
        return (key, entry) if key is not None and entry is not None and entry.record is record else None

    def save(self) -> None:
        """Keep this build's records (atomically); nothing is written when none changed."""
        if self._file is None or not self._new:
            return
        if self._new.keys() == self._old.keys() and not self._checked:
            return
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        kept = {key: _kept(entry, shared) for key, entry in self._new.items() if entry.problems is not None}
        with replaced(self._file) as stream:
            pickle.dump((self._context, kept), stream, protocol=pickle.HIGHEST_PROTOCOL)

    def _load(self) -> dict[str, _Entry]:
        if self._file is None:
            return {}
        try:
            with self._file.open("rb") as stream:
                context, entries = pickle.load(stream)  # written by `save`, in this project's own cache
            if context != self._context or not isinstance(entries, dict):
                return {}
            return {key: _entry(kept) for key, kept in entries.items()}
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return {}
