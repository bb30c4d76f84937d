"""Process pools: the stages that run on every core (preparing files, writing story summaries, making
pages) fork their workers from the build, which shares its memory with them."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

Result = TypeVar("Result")


def fork_context() -> multiprocessing.context.BaseContext | None:
    """Return the fork start method where the platform has it, else None (work in one process).

    Forked workers start at once and share the parent's memory: the work they do is the parent's
    own data and closures, never pickled.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def leave_signals_to_parent() -> None:
    """In a worker process: ignore Ctrl-C and let SIGTERM end it at once. The parent gets both
    (Ctrl-C reaches the whole process group), cleans up its output and ends the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# The work started_beside gives its forked process, which inherits it rather than receiving it pickled.
_work_beside: Callable[[], object] | None = None


def work_beside() -> object:
    return _work_beside()


@contextlib.contextmanager
def started_beside(work: Callable[[], Result], jobs: int) -> Iterator[Callable[[], Result]]:
    """Start `work()` in a forked process of its own when `jobs` allows more than one and the platform
    can fork, and yield the function that waits for its result (pickled back), so that the block does
    other work meanwhile; otherwise that function does the work in this process. The process stops
    when the block ends."""
    context = fork_context()
    if jobs <= 1 or context is None:
        yield work
        return
    global _work_beside
    _work_beside = work
    try:
        with context.Pool(1, initializer=leave_signals_to_parent) as pool:
            yield pool.apply_async(work_beside).get
    finally:
        _work_beside = None
