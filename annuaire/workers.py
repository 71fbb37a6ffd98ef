"""Work spread over every core of the machine, by forked processes.

A fork starts with everything the build has prepared (the directory, the views, the compiled
templates): a job is given by its position in a list, never pickled, and only the results
travel back. Rendering 1,000 place pages takes about a second on one core; the build's
machines have two or more.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items, starting the processes (about 0.1 s) costs more than they save.
MAP_FROM = 200
BEHIND_FROM = 2000  # below this many items, work `behind` takes less than the fork it would start
SETTLE_S = 120.0  # how long the program's end waits for work `behind`

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what the forked processes run
_behind: list[multiprocessing.process.BaseProcess] = []  # work `behind`, until `settle`
_settled_at_exit = False


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` forked processes: they start with the code imported and the build's
    data in memory (copied only where they write)."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def cores() -> int:
    return os.cpu_count() or 1


def each(make: Callable[[Item], Result], items: Sequence[Item], at_least: int | None = None) -> Iterator[Result]:
    """`make(item)` for every item, in order, on every core when there are `at_least` items
    (`MAP_FROM` unless given).

    `make` may be any function, even a lambda: the processes inherit it. What it returns is
    pickled back, so it should be small (a page kept in the cache, not its HTML). The first
    item is made here, before the fork, so that what it loads once (templates) is loaded for
    all. The first error stops the work: what was not started is not started."""
    global _job
    workers = min(cores(), len(items) - 1)
    if len(items) < (MAP_FROM if at_least is None else at_least) or workers < 2:
        yield from map(make, items)
        return
    yield make(items[0])
    if _job is not None:  # a job inside a job: the outer one already uses every core
        yield from map(make, items[1:])
        return
    _job = (make, items)
    try:
        with fork_pool(workers) as pool:
            step = max(1, (len(items) - 1) // (8 * workers))  # small slices: both cores end together
            slices = [(start, min(start + step, len(items))) for start in range(1, len(items), step)]
            try:
                for made in pool.map(_run_slice, slices):
                    yield from made
            except BaseException:  # an error, Ctrl+C, or the caller stopped reading
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    finally:
        _job = None


def _run_slice(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None, "a forked process starts with the job"
    make, items = _job
    return [make(item) for item in items[bounds[0]:bounds[1]]]


def soon(make: Callable[[], Result]) -> Callable[[], Result]:
    """`make()` begun now in one forked process, on a core the build's own process leaves idle
    (it prepares the print files alone for seconds); the returned function waits for the
    result. Keep the result small (files kept in the cache, by their address): under a pipe's
    buffer, the process never waits for the build to read it. Where no second core or process
    helps (one core, inside a job), or where the process fails, `make()` runs here when the
    result is asked for, with its usual errors."""
    if cores() < 2 or _job is not None:
        return make
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_send, args=(make, writer), daemon=True)
    process.start()
    writer.close()

    def result() -> Result:
        try:
            made, value = reader.recv()
        except (EOFError, OSError):  # the process died without a word
            made, value = False, None
        finally:
            reader.close()
            process.join()
        return value if made else make()

    return result


def _send(make: Callable[[], Any], writer: Any) -> None:
    """In the forked process of `soon`: the result, or that there is none (the build makes it
    again itself, and says why)."""
    try:
        message: tuple[bool, Any] = (True, make())
    except BaseException:  # the build's own process meets the error again, and reports it
        message = (False, None)
    writer.send(message)
    writer.close()


def behind(make: Callable[[], None], items: int) -> None:
    """`make()` (keeping a memo for the next build) in a forked process while the build goes
    on: waited for by `settle()`, or at the program's end. For fewer than `BEHIND_FROM` items,
    or where no fork helps, made now."""
    if items < BEHIND_FROM or cores() < 2 or _job is not None:
        make()
        return
    global _settled_at_exit
    if not _settled_at_exit:  # before multiprocessing's own end, which stops what still runs
        atexit.register(settle)
        _settled_at_exit = True
    process = multiprocessing.get_context("fork").Process(target=make, daemon=True)
    process.start()
    _behind.append(process)


def settle() -> None:
    """Wait for the work begun `behind`."""
    while _behind:
        _behind.pop().join(SETTLE_S)
