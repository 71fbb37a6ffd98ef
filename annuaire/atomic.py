"""Files of the cache written whole or not at all.

A build stopped half-way (Ctrl+C, a full disk) or two builds at once must never leave half a
file that the next build would read as true: each is written beside its place, then renamed
over it (a rename is atomic on one file system).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replaced(path: Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A stream whose bytes become `path` when the block ends without error; `mode`: the file's
    permissions (a temporary file is private to its user)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
