"""The model as data: `articles.json`, the uniform article record for anyone who builds on it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import PurePosixPath

from . import dates
from .config import Config
from .model import Article, Page, Story, minutes_to_read

SCHEMA_VERSION = 1


def content_time(articles: Sequence[Article], config: Config) -> datetime:
    """Return the newest date in the content, so that unchanged content gives unchanged output."""
    known = [moment for article in articles for moment in (article.published, article.updated) if moment]
    return max(known) if known else config.build_time


def article_record(article: Article, config: Config) -> dict:
    words = article.word_count
    return {
        "id": article.id,
        "url": config.absolute_url(article.url_path),
        "path": article.url_path,
        "title": article.title,
        "date": dates.iso(article.published) if article.published else None,
        "updated": dates.iso(article.updated) if article.updated else None,
        "authors": list(article.authors),
        "source": article.source or None,
        "source_url": article.source_url or None,
        "summary": article.summary,
        "paragraphs": list(article.paragraphs),
        "tags": list(article.tags),
        "categories": list(article.categories),
        "topics": list(article.topics),
        "image": article.image or None,
        "word_count": words,
        "reading_time": minutes_to_read(words),
        "story": article.story or None,
        "origin": article.origin,
        "inferred": list(article.inferred),
        "provenance": dict(sorted(dict(article.provenance).items())),
    }


def story_record(story: Story, config: Config) -> dict:
    return {
        "id": story.id,
        "url": config.absolute_url(story.url_path),
        "title": story.title,
        "date": dates.iso(story.published) if story.published else None,
        "summary": story.summary,
        "articles": [article.id for article in story.articles],
        "sources": list(story.sources),
        "topics": list(story.topics),
    }


def articles_json(articles: Sequence[Article], stories: Sequence[Story], config: Config) -> Page:
    """Return `articles.json`: every article (newest first) and every story, deterministic bytes, made
    a record at a time as the page is written."""
    ordered = (article for story in stories for article in story.articles)
    document = {
        "version": SCHEMA_VERSION,
        "generated": dates.iso(content_time(articles, config)),
        "site": {"title": config.title, "url": config.base_url, "language": config.language},
        "articles": (article_record(article, config) for article in ordered),
        "stories": (story_record(story, config) for story in stories),
    }
    return Page(PurePosixPath("articles.json"), record_pieces(document))


def record_lines(document: dict) -> bytes:
    """Return the document as UTF-8 JSON with each record of its lists on a line of its own (record_pieces)."""
    return b"".join(record_pieces(document))


def record_pieces(document: dict) -> Iterator[bytes]:
    """Yield the document as UTF-8 JSON with each record of its lists on a line of its own, a piece at a time.

    Readable and diffable like indented JSON, but written by the json module's C encoder: indenting
    switches it to pure Python, which takes seconds on a large archive. A list may be given as an
    iterator: each record is then made, encoded and let go in turn, and a large archive is written
    without ever being held whole. A record may come encoded already (encode_record's bytes), when many
    documents share it.
    """
    yield b"{"
    for number, (key, value) in enumerate(document.items()):
        comma = b"," if number < len(document) - 1 else b""
        name = json.dumps(key).encode()
        if isinstance(value, (list, Iterator)):
            opened = False
            for item in value:
                # bytes are never JSON: a record given as bytes was encoded already, by encode_record.
                record = item if isinstance(item, bytes) else encode_record(item)
                yield (b",\n    " if opened else b"\n  " + name + b": [\n    ") + record
                opened = True
            yield b"\n  ]" + comma if opened else b"\n  " + name + b": []" + comma
        else:
            yield b"\n  " + name + b": " + json.dumps(value, ensure_ascii=False).encode("utf-8") + comma
    yield b"\n}\n"


def encode_record(record: object) -> bytes:
    """Return one record of a list as record_pieces writes it: UTF-8 JSON on one line."""
    return json.dumps(record, ensure_ascii=False).encode("utf-8")
