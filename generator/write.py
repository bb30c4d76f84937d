"""The only writer: every page goes into a fresh folder beside the output, swapped in at the end.

A failed or interrupted build leaves the previous output exactly as it was. A page path that would
leave the output folder, or that two pages claim, is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from .model import Page
from .report import BuildError


def check_page_paths(pages: Iterable[Page]) -> None:
    """Raise BuildError for a page path outside the output folder or written twice."""
    claimed: dict[PurePosixPath, Page] = {}
    for page in pages:
        path = page.path
        if path.is_absolute() or ".." in path.parts or "\\" in str(path) or not path.parts:
            raise BuildError(f"refusing to write '{path}': outside the output folder",
                             page.sources[0] if page.sources else None)
        if path in claimed:
            first = claimed[path].sources
            raise BuildError(f"two pages would be written to '{path}' (from {', '.join(first) or 'the generator'} "
                             f"and {', '.join(page.sources) or 'the generator'})",
                             page.sources[0] if page.sources else None)
        claimed[path] = page


def refuse_dangerous_output(out_dir: Path, protected: Iterable[Path]) -> None:
    """Raise BuildError when `out_dir` is a folder that a fresh build must never replace."""
    target = out_dir.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor) or home.is_relative_to(target):
        raise BuildError(f"refusing to use {out_dir} as the output folder: it would replace "
                         f"{'the root folder' if target == Path(target.anchor) else 'your home folder'}")
    if target.exists() and not target.is_dir():
        raise BuildError(f"refusing to use {out_dir} as the output folder: it is a file, not a folder")
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            raise BuildError(f"refusing to use {out_dir} as the output folder: it holds {folder}")


def write_site(pages: Iterable[Page], out_dir: Path) -> int:
    """Write every page into a new folder and swap it in for `out_dir`; return the bytes written."""
    pages = list(pages)
    check_page_paths(pages)
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging, total = None, 0
    try:
        with signals_held():  # an interrupt now would come between creating the folder and knowing it
            staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
        for page in pages:
            target = staging.joinpath(*page.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = page.content.encode("utf-8") if isinstance(page.content, str) else page.content
            target.write_bytes(data)
            total += len(data)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is readable
        with signals_held():
            swap_in(staging, out_dir)
    except BaseException:
        if staging is not None:
            with signals_held():  # a second Ctrl-C must not leave the half-written folder behind
                shutil.rmtree(staging, ignore_errors=True)
        raise
    return total


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` with `staging` by two renames, so no reader sees a half-written site."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except BaseException:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the output is swapped or cleaned up; they arrive after.

    Python runs signal handlers between any two steps, so without this an interrupt between the
    two renames, or during a clean-up, could leave the old site moved aside or a temporary folder.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield  # Windows has no signal masks; other threads never run Python signal handlers
        return
    previous = None
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        yield
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
