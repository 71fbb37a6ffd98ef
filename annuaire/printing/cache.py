"""The print outputs of one build: QR codes encoded once, PDFs stored by content on disk.

PDFs and QR codes are the slow part of a build. The build owns one `PrintCache` and passes it
down; nothing is cached in a module global. In memory, each URL is encoded once per build
(the SVG, the PNG and the squares drawn in PDFs come from the same symbol). On disk
(`.cache/flyers/`, git-ignored), every output is stored under the sha256 of what it shows, so a
rebuild where a record did not change draws nothing again. The disk cache is only a speed-up:
deleting it gives the same bytes, later.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, overload

from ..atomic import replaced
from ..workers import cores, fork_pool, soon
from . import qr

_KEY = re.compile(r"^[0-9a-f]{64}$")


# A file of a store that no build used for a day is deleted by the next sweep. A day, not an
# hour: a build marks what it uses at most every `page_memo.FRESH_S` (marking the 230,000 files
# of a national directory's pages took 20 s of a correction), and a sweep must spare them.
UNUSED_S = 24 * 3600.0


class Store:
    """Files kept by content key in a folder; `None` keeps nothing (every output is made).

    Its files' paths are plain strings: a build at 20,000 places asks for some 200,000 of
    them, and making each a `Path` cost most of a second."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._prefix = os.path.join(folder, "") if folder is not None else ""

    def _path(self, key: str, suffix: str) -> str:
        if not _KEY.match(key):
            raise ValueError(f"clé de cache invalide : {key!r}")
        assert self.folder is not None
        return f"{self._prefix}{key}{suffix}"

    def location(self, key: str, suffix: str) -> str | None:
        """Where the file of `key` is (or would be) kept; None without a folder."""
        return self._path(key, suffix) if self.folder is not None else None

    def has(self, key: str, suffix: str) -> bool:
        return self.folder is not None and os.path.isfile(self._path(key, suffix))

    def get(self, key: str, suffix: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            with open(self._path(key, suffix), "rb") as stream:
                return stream.read()
        except FileNotFoundError:
            return None

    def stored(self, key: str, suffix: str) -> StoredFile | None:
        """The file of `key`, by its path and size (nothing read); None if it is not kept."""
        if self.folder is None:
            return None
        path = self._path(key, suffix)
        try:
            return StoredFile(path, os.stat(path).st_size)
        except FileNotFoundError:
            return None

    def put(self, key: str, suffix: str, data: bytes) -> None:
        """Write atomically: a build stopped half-way never leaves a truncated file behind."""
        if self.folder is None:
            return
        with replaced(Path(self._path(key, suffix)), mode=0o644) as stream:  # linked into the site: readable by the web server
            stream.write(data)

    def keep(self, data: bytes, suffix: str = "", sha256: str | None = None) -> str | None:
        """Where `data` is kept under its own sha256 (written if it is not there yet, else marked
        as used now); None without a folder. `sha256`: the digest, when the caller has it."""
        if self.folder is None:
            return None
        key = sha256 or hashlib.sha256(data).hexdigest()
        path = self._path(key, suffix)
        try:
            os.utime(path)
        except FileNotFoundError:
            self.put(key, suffix, data)
        return path

    def forget_all_but(self, kept: set[str], grace_s: float = UNUSED_S, every_s: float = 0.0) -> None:
        """Delete every file of the folder but `kept`, except those used in the last `grace_s`
        seconds (another build on the same checkout, `mkdocs serve` beside `mkdocs build`, may
        be about to link them): a folder that holds one site's files, not their history. At
        most once every `every_s` seconds: a sweep asks the disk about every file (at 20,000
        places, some 100,000), and what it would find waits for the next one."""
        if self.folder is None or not self.sweep_due(every_s):
            return
        before = time.time() - grace_s
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.path in kept or not entry.is_file():
                    continue
                try:
                    if entry.stat().st_mtime < before:
                        os.unlink(entry.path)
                except FileNotFoundError:  # deleted meanwhile by a build beside this one
                    continue
        (self.folder / SWEPT).touch()

    def sweep_due(self, every_s: float) -> bool:
        """Whether the last sweep (`forget_all_but`) is `every_s` seconds old or more."""
        if self.folder is None or not self.folder.is_dir():
            return False
        try:
            return time.time() - (self.folder / SWEPT).stat().st_mtime >= every_s
        except FileNotFoundError:
            return True


SWEPT = ".balayage"  # in a store's folder: its date is the last sweep's (`Store.forget_all_but`)
SWEEP_EVERY_S = 3600.0  # how often the build sweeps its stores


# From this many outputs to draw, worker processes are used: a pool starts in about 0.1 s
# (fork), and a single guide or call sheet of a large directory takes seconds.
PARALLEL_FROM = 2


@dataclass(frozen=True)
class Drawing:
    """Files drawn together by `draw(*args)` → {name: bytes} (a module-level function, so that
    a worker process can run it), stored on disk as `<key>.<name>`."""

    key: str
    names: tuple[str, ...]
    draw: Callable[..., dict[str, bytes]]
    args: tuple[Any, ...]


def _run(drawing: Drawing) -> dict[str, bytes]:
    return drawing.draw(*drawing.args)


def _put(store: Store, drawing: Drawing, files: dict[str, bytes]) -> None:
    for name in drawing.names:
        store.put(drawing.key, f".{name}", files[name])


def _run_into(store: Store, drawing: Drawing, here: bool = False) -> dict[str, Blob]:
    """Draw, and keep the files in the store, where the build links them from. From a worker
    process only their paths travel back: the build neither writes them one after the other
    once every worker is done, nor holds their bytes. In the build's own process (`here`), or
    without a store, the bytes are returned as drawn."""
    drawn = _run(drawing)
    _put(store, drawing, drawn)
    files: dict[str, Blob] = {}
    for name in drawing.names:
        path = store.location(drawing.key, f".{name}")
        files[name] = drawn[name] if here or path is None else StoredFile(path, len(drawn[name]))
    return files


def _draw_into(store: Store, drawings: Sequence[Drawing]) -> None:
    """In a background process (`PrintCache.draw_soon`): draw each drawing and store its files.
    Run again by the build when that process failed: what it stored already is not drawn twice."""
    for drawing in drawings:
        if not all(store.has(drawing.key, f".{name}") for name in drawing.names):
            _run_into(store, drawing)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """The same file at a second path without copying it (a hard link); copied where the disk
    allows no link (another disk, a file system without links)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


@dataclass(frozen=True)
class StoredFile:
    """A file of the store, published by its path: the build need not hold its bytes."""

    path: str
    size: int
    sha256: str = ""  # of its bytes, when it is kept by content (`Store.keep`)

    def __len__(self) -> int:
        return self.size

    def read_bytes(self) -> bytes:
        with open(self.path, "rb") as stream:
            return stream.read()

    def __bytes__(self) -> bytes:
        return self.read_bytes()


class StoredModules(Sequence[tuple[bool, ...]]):
    """The squares of an address's QR code as the store keeps them (`<key>.qr.txt`), read when
    first drawn. A flyer carries its code to the drawing: at 20,000 places the symbols would
    take about 300 MB and seconds to read, and a build draws a few of them; a worker process
    reads only those it draws, and is sent an address and a path."""

    __slots__ = ("_url", "_path", "_rows")

    def __init__(self, url: str, path: str) -> None:
        self._url = url
        self._path = path
        self._rows: qr.Modules | None = None

    def _all(self) -> qr.Modules:
        if self._rows is None:
            try:
                with open(self._path, encoding="utf-8") as stream:
                    self._rows = qr.modules_from_text(stream.read())
            except OSError:  # the store emptied meanwhile: the same symbol, encoded again
                self._rows = qr.make_qr(self._url).modules
        return self._rows

    @overload
    def __getitem__(self, index: int) -> tuple[bool, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[bool, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[bool, ...] | Sequence[tuple[bool, ...]]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __reduce__(self) -> tuple[type[StoredModules], tuple[str, str]]:
        return StoredModules, (self._url, self._path)


FileContent = str | bytes | StoredFile  # what a generated file of the site holds
Blob = bytes | StoredFile  # a drawn file: its bytes, or where the store keeps them (`bytes(blob)` reads it)


class PrintCache:
    """What one build has already encoded or drawn, plus the disk store shared by builds."""

    def __init__(self, folder: Path | None) -> None:
        self.store = Store(folder)
        self._codes: dict[str, qr.QRCode] = {}
        self._modules: dict[str, qr.Modules] = {}
        self._files: dict[tuple[str, str], Blob] = {}
        self._in_memory: list[tuple[str, str]] = []  # keys of `_files` held as bytes, until `published`
        self._stored_at: dict[int, tuple[bytes, str]] = {}  # id(bytes) → (those bytes, their file)

    def code(self, url: str) -> qr.QRCode:
        """The QR symbol of `url`, encoded once per build."""
        if url not in self._codes:
            self._codes[url] = qr.make_qr(url)
        return self._codes[url]

    def flyer_modules(self, url: str) -> qr.Modules:
        """`url`'s squares for a flyer, read only if it is drawn (`StoredModules`), once
        `encode_all` has kept them; else as `modules`."""
        key = _qr_key(url)
        path = self.store.location(key, ".qr.txt")
        if url in self._modules or path is None or (key, ".qr.txt") not in self._files:  # no disk asked
            return self.modules(url)
        return StoredModules(url, path)

    def modules(self, url: str) -> qr.Modules:
        """The dark and light squares of `url`'s code: what PDFs draw and cache keys hash.
        Kept on disk too, so a rebuild encodes no QR code (encoding is the slow part)."""
        if url not in self._modules:
            text = self.file(_qr_key(url), ".qr.txt", lambda: qr.modules_text(self.code(url).modules).encode())
            self._modules[url] = qr.modules_from_text(text.decode())
        return self._modules[url]

    def file(self, key: str, suffix: str, make: Callable[[], bytes]) -> bytes:
        """An output by content key, to read: from this build's memory, the disk, or `make()`."""
        found = self.blob(key, suffix, make)
        return found if isinstance(found, bytes) else found.read_bytes()

    def blob(self, key: str, suffix: str, make: Callable[[], bytes]) -> Blob:
        """An output by content key, to publish or measure: the store's file is not read."""
        if (key, suffix) not in self._files:
            found = self.store.stored(key, suffix)
            if found is None:
                data = make()
                self.store.put(key, suffix, data)
            self._keep(key, suffix, found if found is not None else data)
        return self._files[(key, suffix)]

    def _keep(self, key: str, suffix: str, data: Blob) -> None:
        self._files[(key, suffix)] = data
        if isinstance(data, bytes):  # a file already in the store needs no note of where it is
            self._in_memory.append((key, suffix))
            if (path := self.store.location(key, suffix)) is not None:
                self._stored_at[id(data)] = (data, path)

    def published(self, files: Mapping[str, FileContent]) -> dict[str, FileContent]:
        """`files` with every output of the store replaced by its file, and the bytes drawn or
        read so far forgotten: the site is written from the store, and the pages rendered next
        do not share the memory with every PDF of the directory (at 5,000 places, gigabytes).
        What was found in the store stays known: the disk is not asked again for it (at 20,000
        places, each QR code's three files looked up twice took a second of a correction)."""
        out: dict[str, FileContent] = {}
        for name, data in files.items():
            out[name] = (self._as_stored(data) or data) if isinstance(data, bytes) else data
        for key in self._in_memory:
            held = self._files.pop(key, None)
            kept = self._as_stored(held) if held is not None else None
            if kept is not None:
                self._files[key] = kept
        self._in_memory.clear()
        self._stored_at.clear()
        return out

    def _as_stored(self, data: Blob) -> StoredFile | None:
        """`data` as the store's file that holds it; None for bytes the store does not hold."""
        if isinstance(data, StoredFile):
            return data
        found = self._stored_at.get(id(data))
        return StoredFile(found[1], len(data)) if found is not None and found[0] is data else None

    def draw_all(self, drawings: Sequence[Drawing]) -> list[dict[str, Blob]]:
        """Every drawing's files, from memory or the store (not read: `bytes(blob)` reads one);
        the missing ones drawn on every core (a cold build of 265 communes' inserts: about half
        the time on 2 cores), each worker keeping what it drew in the store."""
        found: list[dict[str, Blob] | None] = [self._kept(d) for d in drawings]
        missing = [i for i, kept in enumerate(found) if kept is None]
        workers = min(cores(), len(missing))
        if len(missing) >= PARALLEL_FROM and workers > 1:
            # fork: workers start with the code imported and the fonts registered.
            with fork_pool(workers) as pool:
                # Small chunks when there are few drawings: 8 booklets must not all go to one worker.
                chunk = max(1, min(8, len(missing) // (4 * workers)))
                made = list(pool.map(partial(_run_into, self.store), [drawings[i] for i in missing], chunksize=chunk))
        else:
            made = [_run_into(self.store, drawings[i], here=True) for i in missing]
        for i, files in zip(missing, made, strict=True):
            found[i] = files
        result = []
        for d, outputs in zip(drawings, found, strict=True):
            assert outputs is not None
            for name in d.names:
                self._keep(d.key, f".{name}", outputs[name])
            result.append({name: outputs[name] for name in d.names})
        return result

    def draw_soon(self, drawings: Sequence[Drawing], at_most: int | None = None) -> Callable[[], list[dict[str, Blob]]]:
        """Start drawing the missing `drawings` in one background process; return what waits
        for them (the same result as `draw_all`). For drawings nothing waits for at once: the
        call sheets, a correction's guide and inserts are drawn while the build renders pages,
        on a second core. The files come back through the disk store; what the process did not
        draw (it failed, or there is no store or no second core) is drawn when the result is
        asked for, with the usual errors. When more than `at_most` are missing (a first build),
        they are drawn now on every core: one process would leave the other cores idle."""
        # Only whether the files exist: `draw_all` reads them when the result is asked for.
        missing = [d for d in drawings if not all(
            (d.key, f".{name}") in self._files or self.store.has(d.key, f".{name}") for name in d.names)]
        if at_most is not None and len(missing) > at_most:
            made = self.draw_all(drawings)
            return lambda: made
        if not missing or self.store.folder is None or cores() < 2:
            return lambda: self.draw_all(drawings)
        # One process, not a pool: the parent starts no thread that a later fork would copy.
        drawn = soon(partial(_draw_into, self.store, missing))

        def result() -> list[dict[str, Blob]]:
            drawn()
            return self.draw_all(drawings)

        return result

    def _kept(self, drawing: Drawing) -> dict[str, Blob] | None:
        """All of a drawing's files from this build or the store, or None if one is missing."""
        kept: dict[str, Blob] = {}
        for name in drawing.names:
            data = self._files.get((drawing.key, f".{name}")) or self.store.stored(drawing.key, f".{name}")
            if data is None:
                return None
            kept[name] = data
        return kept

    def encode_all(self, urls: Sequence[str]) -> None:
        """The QR codes of `urls` not yet in the store (squares, SVG, PNG), encoded on every
        core (a cold build draws thousands)."""
        self.draw_all([Drawing(_qr_key(url), QR_FILES, _qr_files, (url,)) for url in dict.fromkeys(urls)])

    def qr_svg(self, url: str) -> str:
        return bytes(self.qr_svg_file(url)).decode("utf-8")

    def qr_svg_file(self, url: str) -> Blob:
        """The SVG as stored: published by its path (`published`), not written again."""
        return self.blob(_qr_key(url), ".qr.svg", lambda: qr.qr_svg(url, self.code(url)).encode("utf-8"))

    def qr_png(self, url: str) -> Blob:
        return self.blob(_qr_key(url), ".qr.png", lambda: qr.qr_png(url, code=self.code(url)))


QR_FILES = ("qr.txt", "qr.svg", "qr.png")  # stored as `<key>.qr.txt`…, as `modules`, `qr_svg`, `qr_png` read them


def _qr_files(url: str) -> dict[str, bytes]:
    """What `modules`, `qr_svg` and `qr_png` make, from one encoding (same bytes)."""
    code = qr.make_qr(url)
    return {
        "qr.txt": qr.modules_text(code.modules).encode(),
        "qr.svg": qr.qr_svg(url, code).encode("utf-8"),
        "qr.png": qr.qr_png(url, code=code),
    }


def _qr_key(url: str) -> str:
    return hashlib.sha256(f"{qr.ENCODER}|{qr.ERROR_LEVEL}|{qr.QUIET_ZONE}|{qr.FILES_VERSION}|{url}"
                          .encode()).hexdigest()
