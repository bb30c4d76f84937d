"""The finding every checker reports, printed like a compiler message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

NOT_IN_URL = re.compile(r"[\x00-\x20\x7f<>\"\\^`{|}]")
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed like a compiler message: `path:line: level: message`."""

    path: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


def split_url(url: str) -> tuple[SplitResult | None, str | None]:
    """Return (parts, None) for a well-formed URL, or (None, why it is not one)."""
    if NOT_IN_URL.search(url):
        return None, "contains a space, control character or one of <>\"\\^`{|} (percent-encode it)"
    if BAD_PERCENT.search(url):
        return None, "has a % not followed by two hex digits"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as exc:
        return None, f"cannot be parsed ({exc})"
    return parts, None
