"""The search stage: Pagefind's binary over the pages marked for the index, its bundle returned as pages."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest

from generator import search
from generator.model import Page
from generator.report import BuildError

MARKED = ('<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body><nav>Digest Topics</nav>'
          '<article data-pagefind-body><h1>{title}</h1><p>{text}</p></article></body></html>')
UNMARKED = '<!DOCTYPE html><html lang="en"><head><title>List</title></head><body><p>{text}</p></body></html>'


def page(path: str, template: str, **values: str) -> Page:
    return Page(PurePosixPath(path), template.format(**values))


def bundle(pages: list[Page]) -> dict[str, bytes]:
    return {str(p.path): p.content for p in pages}


def test_marked_pages_are_indexed_into_a_pagefind_bundle(report):
    pages = [page("2025/01/02/tariffs/index.html", MARKED, title="Tariffs cut", text="Soybean exports rose."),
             page("index.html", UNMARKED, text="Soybean digest"),
             Page(PurePosixPath("static/style.css"), "body {}")]
    files = bundle(search.index_pages(pages, report))
    assert all(path.startswith("pagefind/") for path in files)
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json"} <= set(files)
    assert any(path.startswith("pagefind/fragment/") for path in files)
    assert any(path.startswith("pagefind/wasm.") for path in files)
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == 1
    assert report.messages == []


def test_the_ready_made_interfaces_are_left_out(report, monkeypatch):
    written: list[str] = []
    read_bundle = search.read_bundle

    def spy(folder: Path) -> list[Page]:
        written.extend(path.name for path in folder.rglob("*") if path.is_file())
        return read_bundle(folder)

    monkeypatch.setattr(search, "read_bundle", spy)
    files = bundle(search.index_pages([page("a/index.html", MARKED, title="A", text="words")], report))
    assert {"pagefind-ui.js", "pagefind-ui.css"} <= set(written)
    assert not [path for path in files if PurePosixPath(path).name in search.UNUSED]


def test_no_marked_page_means_no_index(report):
    assert search.index_pages([page("index.html", UNMARKED, text="Only a list")], report) == []
    assert report.messages == []


def test_the_index_is_the_same_bytes_every_time(report):
    pages = [page(f"2025/01/0{n}/story-{n}/index.html", MARKED, title=f"Story {n}", text=f"Fentanyl talks, day {n}.")
             for n in range(1, 6)]
    assert bundle(search.index_pages(pages, report)) == bundle(search.index_pages(list(reversed(pages)), report))


def test_a_missing_binary_is_a_warning_and_no_index(report, monkeypatch):
    monkeypatch.setattr(search, "find_pagefind", lambda: None)
    assert search.index_pages([page("a/index.html", MARKED, title="A", text="words")], report) == []
    assert [(m.level, m.kind, str(m)) for m in report.messages] == [
        ("warning", "no search index", "search index not built: the Pagefind binary was not found (expected the "
                                       "'pagefind[bin]' package; run make site to install it)")]


def test_a_failing_binary_is_a_build_error(report, monkeypatch, tmp_path):
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'cannot index' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(search, "find_pagefind", lambda: Path(failing))
    with pytest.raises(BuildError) as caught:
        search.index_pages([page("a/index.html", MARKED, title="A", text="words")], report)
    assert str(caught.value) == "search index not built: Pagefind exited 3: cannot index"


def test_the_bundled_binary_is_found():
    assert search.find_pagefind() is not None
