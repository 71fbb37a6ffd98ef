"""The digest of each record of a build (`Digests`), by content, computed once.

A place appears in its page, its print version, a dozen commune pages around it, and its view
in as many: pickling it whole each time a build asks whether an output changed was most of the
time it spent deciding so. Records are immutable and live for the whole build: each is
digested once, by identity, and an output's key holds its records' digests
(`site/page_memo.py`, `view_memo.py`). Forked processes inherit what the build's own process
digested before they started.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import weakref
from dataclasses import fields
from typing import Any

from .data.territory import Commune, Epci
from .model.places import Place
from .settings import Settings
from .views import PlaceView

# Immutable records that live for the whole build: each is digested once, by identity.
RECORDS: tuple[type, ...] = (Place, PlaceView, Commune, Epci, Settings)


class Digests:
    """The digest of each record of the build, computed the first time a context holds it.
    Records are kept alive here, so an identity is never reused by another object."""

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[object, str]] = {}
        self._known: set[type] = set()  # types of the values `known_as` a digest
        self._buffer = io.BytesIO()
        self._pickler = _RecordPickler(self._buffer, self)  # one for every page: making one costs as much as using it

    def pickled(self, value: object) -> bytes:
        """`value` pickled with each record in it replaced by its digest."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._pickler.memo = {}  # each page pickled on its own (`clear_memo` would walk every entry the largest page ever needed)
        self._pickler.dump(value)
        return self._buffer.getvalue()

    def remember(self, record: Any, digest: str) -> None:
        """`record`'s digest, known from an earlier build (`view_memo.py`): not computed again."""
        self._by_id[id(record)] = (record, digest)

    def known_as(self, value: Any, digest: str) -> None:
        """`value` (not a record) held by contexts as `digest`, which its maker computed from
        everything it is made of: a page made from it is found by that digest, without pickling
        it (the coverage pages' source: 35,000 communes)."""
        self._by_id[id(value)] = (value, digest)
        self._known.add(type(value))

    def of(self, record: Any) -> str:
        """The digest of `record` (one of `RECORDS`): its type and fields, each record in them by
        its own digest."""
        kept = self._by_id.get(id(record))
        if kept is None:
            # Its fields, not its `__dict__`: a cached property computed in one process and
            # not in another must not change the digest. A plain pickle (a record nested deeper
            # is pickled whole: slower, as exact): the C pickler, asked about every object it
            # writes, would spend more on the question than on the answer.
            state = (type(record).__qualname__,
                     tuple(self._shallow(getattr(record, f.name)) for f in fields(record)))
            kept = (record, hashlib.sha256(pickle.dumps(state, protocol=5)).hexdigest())
            self._by_id[id(record)] = kept
        return kept[1]

    def _shallow(self, value: object) -> object:
        """A field's value with the records it holds, or holds in a tuple, as their digests."""
        if type(value) in RECORDS:
            return ("record", self.of(value))
        if type(value) is tuple and value and type(value[0]) in RECORDS:
            return tuple(self._shallow(item) for item in value)
        return value


class _RecordPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, digests: Digests) -> None:
        super().__init__(file, protocol=5)
        # Not a plain reference: `Digests` holds this pickler, and a cycle would keep every
        # record of the build alive until the collector's next full pass (after the build).
        self._digests = weakref.ref(digests)
        self._known = digests._known

    def persistent_id(self, obj: Any) -> str | None:
        if type(obj) not in RECORDS:
            if type(obj) not in self._known:
                return None
            digests = self._digests()
            known = digests._by_id.get(id(obj)) if digests is not None else None
            return known[1] if known is not None else None
        digests = self._digests()
        assert digests is not None, "used only through its `Digests`"
        return digests.of(obj)
