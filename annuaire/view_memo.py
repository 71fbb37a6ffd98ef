"""The places' views kept between builds (`.cache/…/vues/vues.pickle`), by each place's digest.

A place's view (`views.place_view`) is made from the place, the settings, the school holidays
and the publisher's name, by this code, and from nothing else: at 20,000 places, making every
view again took three seconds of a correction on one core. A build gives back the view of each
place it finds under the same digest and the same context, and makes the others; each view's
digest comes back with it, so that no page digests it again (`digests.py`). The day is not in
the context: a view shows it only in how old its information is (`freshness`, « il y a
9 mois »), made again for each view given back (at 20,000 places, making every view again
each night took three seconds). Like the print store, only a speed-up: deleting the file gives
the same site.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from . import workers
from .atomic import replaced
from .digests import Digests
from .model.directory import Directory
from .model.places import Place
from .settings import NO_DAY, Settings
from .views import PlaceView, Views, place_freshness, prepare, publisher_name

FORM = "3"  # change when the file's form changes: an older file is then ignored
FILE = "vues.pickle"

Kept = dict[str, tuple[PlaceView, str]]  # place's digest → (its view without the place, the view's digest)


class ViewMemo:
    """`prepare` with the views of the last build (see the module's docstring)."""

    def __init__(self, folder: Path | None, digests: Digests, code: str) -> None:
        self._file = folder / FILE if folder is not None else None
        self._digests = digests
        self._code = code  # `fingerprint.code_digest()`: the code the views are made by
        self._context = ""
        self._today = NO_DAY  # the build's, set by `prepare`
        self._made_on = NO_DAY  # the day of the views given back (their `freshness`)
        self._old: Kept = {}
        self._new: Kept = {}

    def prepare(self, directory: Directory, settings: Settings) -> Views:
        """`views.prepare(directory, settings)`, each open place's view given back when kept."""
        if self._file is None:
            return prepare(directory, settings)
        holidays = directory.reference.school_holidays if directory.reference else ()
        self._context = hashlib.sha256(pickle.dumps(
            (FORM, self._code, self._digests.of(settings.without_day()), holidays,
             publisher_name(directory.territory.named)),
            protocol=5,
        )).hexdigest()
        self._today = settings.today
        self._old, self._new = self._load(), {}
        return prepare(directory, settings, self._kept)

    def save_behind(self) -> None:
        """The views of this build kept, when any changed: at 20,000 places a second of
        pickling, done while the build goes on (`workers.behind`, waited for by `workers.settle`)."""
        if self._file is None or (self._new.keys() == self._old.keys() and self._made_on == self._today):
            return
        file, context, today, new = self._file, self._context, self._today, self._new
        workers.behind(lambda: _save(file, context, today, new), len(new))

    def _kept(self, place: Place, make: Callable[[], PlaceView]) -> PlaceView:
        key = self._digests.of(place)
        found = self._old.get(key)
        if found is None:
            view = make()
            found = (view, self._digests.of(view))
        else:
            kept, digest = found
            # What the view says of the day, for a view made on another day.
            fresh = kept.freshness if self._made_on == self._today else place_freshness(place, self._today)
            if fresh == kept.freshness:
                view = replace(kept, place=place)
                self._digests.remember(view, digest)  # the same fields as the view it was digested as
            else:
                view = replace(kept, place=place, freshness=fresh)
                found = (view, self._digests.of(view))
        self._new[key] = found
        return view

    def _load(self) -> Kept:
        assert self._file is not None
        try:
            with self._file.open("rb") as stream:
                context, made_on, kept = pickle.load(stream)  # written by `_save`, in this project's own cache
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return {}
        if context != self._context or not isinstance(kept, dict):
            return {}
        self._made_on = made_on
        return kept


def _save(file: Path, context: str, today: date, kept: Kept) -> None:
    """Each view without its place (a place is given back by the build that reads it)."""
    bare = {key: (replace(view, place=None), digest)  # type: ignore[arg-type]  # given back by `_kept`
            for key, (view, digest) in kept.items()}
    with replaced(file) as stream:
        pickle.dump((context, today, bare), stream, protocol=pickle.HIGHEST_PROTOCOL)
