"""Shared fixtures: a Config in tmp_path, an empty Report, make_article(**overrides), and the real
inputs the speed-equivalence tests compare shortcuts on."""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator import clean, export
from generator.config import Config
from generator.model import Article
from generator.report import Report

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
# What users paste, what attackers write, and the project's own content: the inputs a shortcut is
# checked on against the code it replaced.
SAMPLE_FOLDERS = (FIXTURES, Path(__file__).parent / "hostile", Path(__file__).parent.parent / "content")
BUILD_TIME = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def make_article(**overrides) -> Article:
    """Return an Article with plausible values, changed by `overrides`."""
    values = dict(
        id="a1b2c3d4e5f60718",
        origin="example.md",
        kind="markdown",
        title="Example headline",
        slug="example-headline",
        url_path="2025/11/24/example-headline/",
        published=datetime(2025, 11, 24, 9, 30, tzinfo=timezone.utc),
        body="First paragraph.\n\nSecond paragraph.",
        body_html="<p>First paragraph.</p>\n<p>Second paragraph.</p>",
        paragraphs=("First paragraph.", "Second paragraph."),
        summary="First paragraph.",
    )
    values.update(overrides)
    return Article(**values)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A Config whose folders live in tmp_path."""
    return Config(
        title="Test Digest",
        base_url="https://example.org/digest/",
        build_time=BUILD_TIME,
        root=tmp_path,
        path=tmp_path / "site.toml",
        description="A digest for tests.",
        content_dir=tmp_path / "content",
        output_dir=tmp_path / "public",
    )


@pytest.fixture
def report() -> Report:
    return Report()


def replace(article: Article, **changes) -> Article:
    return dataclasses.replace(article, **changes)


def every_character() -> Iterator[str]:
    """Yield every character a str of text can hold (all code points but the lone surrogates)."""
    return (chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)


@functools.cache
def sample_texts() -> tuple[str, ...]:
    """Return the text of every .txt, .md and .json file of the sample folders."""
    return tuple(path.read_text(encoding="utf-8", errors="replace") for folder in SAMPLE_FOLDERS
                 for path in sorted(folder.rglob("*")) if path.is_file() and path.suffix in (".txt", ".md", ".json"))


@functools.cache
def sample_lines() -> tuple[tuple[str, bool], ...]:
    """Return each line of the sample texts that is not code, as clean.normalise gives it, read as a clipping
    and as Markdown: (text, read as Markdown)."""
    return tuple((line.text, markdown) for body in sample_texts() for markdown in (False, True)
                 for line in clean.normalise(body, 1, markdown=markdown) if line.text and not line.code)


def noted_calls(monkeypatch, owner, name: str, note: Callable[..., object]) -> list:
    """Replace `owner.name` with a function that calls it and first appends `note` of the same
    arguments to the list returned (in this process: a build must run with --jobs 1 for its calls)."""
    notes: list = []
    real = getattr(owner, name)

    def noting(*args, **kwargs):
        notes.append(note(*args, **kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, noting)
    return notes


def records_made(monkeypatch) -> list[str]:
    """Note the id of each article whose record export.article_record makes."""
    return noted_calls(monkeypatch, export, "article_record", lambda article, config: article.id)
