"""The model as data: `articles.json`, the uniform article record for anyone who builds on it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import BinaryIO

from . import dates
from .config import Config
from .model import Article, Page, Story, minutes_to_read
from .write import content_hasher

SCHEMA_VERSION = 1
PATH = PurePosixPath("articles.json")
ARTICLES_OPENING = b'  "articles": [\n'  # the line record_pieces opens the list of articles with
RECORD_INDENT = b"    "  # what record_pieces puts before each record of a list


@dataclass(frozen=True, slots=True)
class Published:
    """The articles.json of the last build, as the build cache knows it: where the file is, the digest of
    the bytes it had, and the key of each of its article records (see build.Recipes.record), in order."""

    file: str
    digest: bytes
    keys: Sequence[bytes]


def content_time(articles: Sequence[Article], config: Config) -> datetime:
    """Return the newest date in the content, so that unchanged content gives unchanged output, but never
    after the build time; the build time when nothing is dated."""
    known = (moment for article in articles for moment in (article.published, article.updated) if moment)
    return dates.no_later_than_build(max(known, default=config.build_time), config.build_time)


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


def articles_json(articles: Sequence[Article], stories: Sequence[Story], config: Config,
                  keys: Sequence[bytes] = (), published: Published | None = None) -> Page:
    """Return `articles.json`: every article (newest first) and every story, deterministic bytes, made
    a record at a time as the page is written. Given the key of each listed article's record (`keys`,
    in the order listed), a record the `published` file has under the same key is copied from it."""
    ordered = [article for story in stories for article in story.articles]
    if published is None:
        records = (article_record(article, config) for article in ordered)
    else:
        records = reused_records(ordered, keys, published, config)
    document = {
        "version": SCHEMA_VERSION,
        "generated": dates.iso(content_time(articles, config)),
        "site": {"title": config.title, "url": config.base_url, "language": config.language},
        "articles": records,
        "stories": (story_record(story, config) for story in stories),
    }
    return Page(PATH, record_pieces(document))


def reused_records(articles: Sequence[Article], keys: Sequence[bytes], published: Published,
                   config: Config) -> Iterator[bytes | dict]:
    """Yield each article's record: the published file's bytes for it when the file has a record of the
    same key, else the record as a dict. The file is read through once, a line at a time, to check its
    bytes and find its records, then only where a record is copied from, never held whole."""
    try:
        file = open(published.file, "rb")
    except OSError:  # gone since the cache vouched for it: every record is made anew
        yield from (article_record(article, config) for article in articles)
        return
    with file:
        places = record_places(file, published)
        for article, key in zip(articles, keys, strict=True):
            place = places.get(key)
            if place is None:
                yield article_record(article, config)
            else:
                file.seek(place[0])
                yield file.read(place[1])


def record_places(file: BinaryIO, published: Published) -> dict[bytes, tuple[int, int]]:
    """Return where each article record of the published file is, (offset, length) by its key; nothing
    unless the file has the bytes the keys were stored with, and as many records as keys."""
    hasher = content_hasher()
    places = []
    offset = 0
    in_articles = False
    for line in file:
        hasher.update(line)
        if in_articles and line.startswith(RECORD_INDENT):
            ending = 2 if line.endswith(b",\n") else 1  # every record but the last has a comma
            places.append((offset + len(RECORD_INDENT), len(line) - len(RECORD_INDENT) - ending))
        else:
            in_articles = line == ARTICLES_OPENING
        offset += len(line)
    if hasher.digest() != published.digest or len(places) != len(published.keys):
        return {}
    return dict(zip(published.keys, places))


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
