"""Process pools: the stages that run on every core (preparing files, writing story summaries, making
pages) fork their workers from the build, which shares its memory with them."""

from __future__ import annotations

import multiprocessing
import os
import signal


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
