"""The build report: the one error type, and the errors and warnings a build collects.

Every message prints like a compiler's: `content/a.md:3: date 'next tuesday' is not a date`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

ERROR = "error"
WARNING = "warning"


def locate(message: str, path: str | None = None, line: int | None = None) -> str:
    """Return `message` prefixed with `path:line: ` as far as they are known."""
    if path and line:
        return f"{path}:{line}: {message}"
    if path:
        return f"{path}: {message}"
    return message


class BuildError(Exception):
    """Bad input or settings, with the file and line it was found at."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return locate(self.message, self.path, self.line)


@dataclass(frozen=True, slots=True)
class Message:
    level: str  # ERROR or WARNING
    kind: str  # a short label to group by: "inferred title", "missing date", ...
    text: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return locate(self.text, self.path, self.line)

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.path or "", self.line or 0, self.text)


@dataclass
class Report:
    """What a build found wrong, collected so that one run lists every problem."""

    messages: list[Message] = field(default_factory=list)
    failed_files: set[str] = field(default_factory=set)
    skipped: list[str] = field(default_factory=list)  # drafts, left out on purpose
    # (date, file, line) of every date read from a file: whether one is suspicious depends on the
    # build time, so it is judged once per build (ingest.warn_suspicious_dates), not per cached file.
    dates: list[tuple[datetime, str, int | None]] = field(default_factory=list)

    def warn(self, message: str, path: str | None = None, line: int | None = None,
             *, kind: str = "other") -> None:
        self.messages.append(Message(WARNING, kind, message, path, line))

    def error(self, message: str, path: str | None = None, line: int | None = None,
              *, kind: str = "error") -> None:
        self.messages.append(Message(ERROR, kind, message, path, line))
        if path:
            self.failed_files.add(path)

    def add(self, error: BuildError, *, kind: str = "error") -> None:
        """Record a caught BuildError as an error of the build."""
        self.error(error.message, error.path, error.line, kind=kind)

    def note_date(self, moment: datetime, path: str, line: int | None = None) -> None:
        self.dates.append((moment, path, line))

    def merge(self, other: Report) -> None:
        """Add everything `other` collected (one file's report, say) to this report."""
        self.extend(other.messages)
        self.failed_files |= other.failed_files
        self.skipped += other.skipped
        self.dates += other.dates

    def extend(self, messages: list[Message] | tuple[Message, ...]) -> None:
        for message in messages:
            self.messages.append(message)
            if message.level == ERROR and message.path:
                self.failed_files.add(message.path)

    @property
    def errors(self) -> list[Message]:
        return sorted((m for m in self.messages if m.level == ERROR), key=lambda m: m.sort_key)

    @property
    def warnings(self) -> list[Message]:
        return sorted((m for m in self.messages if m.level == WARNING), key=lambda m: m.sort_key)

    def warning_kinds(self) -> list[tuple[str, int]]:
        """Return (kind, count) for the warnings, most frequent first."""
        counts = Counter(m.kind for m in self.messages if m.level == WARNING)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


class Progress:
    """Where a build says how far it has got; this one tells nobody (terminal.py has the bar)."""

    def task(self, label: str, total: int) -> Callable[[int], None]:
        """Start a step of `total` units; return the function to call with each number of units done."""
        return lambda done: None
