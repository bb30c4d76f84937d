"""The terminal: colours, a spinner and a build's progress bar through rich, only when a person is watching.

rich lives here. Piped output, CI and `-q` get plain text, no spinner and no bar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

# A line of output is a list of (text, style) pieces; the style is rich's name, "" for plain.
Piece = tuple[str, str]


def is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def watched(stream, environ: Mapping[str, str]) -> bool:
    """Return whether a person is watching `stream`: a terminal, not CI, not a dumb terminal."""
    return is_terminal(stream) and not environ.get("CI") and environ.get("TERM") != "dumb"


def print_lines(lines: list[list[Piece]], stream, *, styled: bool) -> None:
    """Print the lines, in colour when `styled`, else as plain text."""
    if not styled:
        for pieces in lines:
            print("".join(text for text, _ in pieces).rstrip(), file=stream)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True)
    for pieces in lines:
        text = Text()
        for piece, style in pieces:
            text.append(piece, style=style or None)
        console.print(text)


@contextlib.contextmanager
def spinner(message: str, stream, *, enabled: bool) -> Iterator[None]:
    """Show a spinner with `message` on `stream` while the block runs, when enabled; it leaves no trace."""
    if not enabled:
        yield
        return
    from rich.console import Console

    with Console(file=stream).status(message, spinner="dots"):
        yield


class Bar:
    """A build's progress on a rich progress bar: one line per step, cleared when the build ends."""

    def __init__(self, progress):
        self.progress = progress

    def task(self, label: str, total: int):
        task = self.progress.add_task(label, total=total)
        return lambda done: self.progress.advance(task, done)


@contextlib.contextmanager
def progress_bar(stream, *, enabled: bool) -> Iterator[object]:
    """Yield where a build reports its progress: a bar on `stream` when enabled, else a silent Progress."""
    from .report import Progress

    if not enabled:
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with RichProgress(*columns, console=Console(file=stream), transient=True) as progress:
        yield Bar(progress)
