"""The full-text search index: Pagefind's bundled binary run over the rendered HTML pages, its bundle
returned as pages under `pagefind/`, so the writer publishes it in the same swap as the rest of the site.

Only the parts of a page inside `data-pagefind-body` are indexed (articles and stories); the layouts mark
navigation with `data-pagefind-ignore`. The bundle's URLs are root-relative; the search script gives Pagefind
the site's base path at run time, so one build works at a domain's root and under a sub-path.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from pagefind.service import get_executable

from .model import Page
from .report import BuildError, Report

BUNDLE = "pagefind"
INDEX_SECONDS = 300
BODY_MARK = "data-pagefind-body"
# Pagefind writes ready-made search interfaces too; the site ships its own small script instead.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def find_pagefind() -> Path | None:
    """Return Pagefind's executable (the pagefind[bin] or [extended] wheel, or one on PATH), or None."""
    try:
        return get_executable()
    except FileNotFoundError:  # pagefind_bin is installed but its binary is missing
        return None


def index_pages(pages: Sequence[Page], report: Report) -> list[Page]:
    """Return the Pagefind bundle for the HTML pages marked `data-pagefind-body`, as pages under pagefind/."""
    marked = [page for page in pages if str(page.path).endswith(".html") and isinstance(page.content, str)
              and BODY_MARK in page.content]
    if not marked:
        return []  # Pagefind would index every <body> instead: the digest, topics and archive too
    executable = find_pagefind()
    if executable is None:
        report.warn("search index not built: the Pagefind binary was not found (expected the "
                    "'pagefind[bin]' package; run make site to install it)", kind="no search index")
        return []
    with tempfile.TemporaryDirectory(prefix="broadsheet-search-") as folder:
        site = Path(folder)
        for page in marked:
            target = site.joinpath(*page.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.content, encoding="utf-8")
        command = [str(executable), "--site", str(site), "--output-subdir", BUNDLE, "--silent"]
        try:
            result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                    timeout=INDEX_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BuildError(f"search index not built: cannot run Pagefind ({exc})") from exc
        if result.returncode != 0:
            output = " ".join((result.stdout + result.stderr).split())
            raise BuildError(f"search index not built: Pagefind exited {result.returncode}: {output}")
        return read_bundle(site / BUNDLE)


def read_bundle(folder: Path) -> list[Page]:
    """Return the files Pagefind wrote, in path order, less the interfaces the site does not use."""
    files = sorted(path for path in folder.rglob("*") if path.is_file() and path.name not in UNUSED)
    return [Page(PurePosixPath(BUNDLE, *path.relative_to(folder).parts), path.read_bytes()) for path in files]
