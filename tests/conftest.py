"""Shared fixtures: a Config in tmp_path, an empty Report, and make_article(**overrides)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.config import Config
from generator.model import Article
from generator.report import Report

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
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
