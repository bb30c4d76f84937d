"""The immutable records every stage passes along: Article, Story and Page.

Standard library only and no I/O; a stage returns a new record with `replaced`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import PurePosixPath

# Where a field's value came from, as recorded in Article.provenance.
FRONT_MATTER = "front matter"
INFERRED = "inferred"
DEFAULT = "default"
FILE_NAME = "file name"
WORDS_PER_MINUTE = 230
# Chinese and Japanese characters (kana, kanji, hanzi): written without spaces between words
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # as a character class holds them
CJK = re.compile(f"[{CJK_RANGES}]")


def words_in(text: str) -> int:
    """Return the words of `text`: what spaces part, and in Chinese or Japanese a word for every two
    characters (about the length of a word there)."""
    if text.isascii():
        return len(text.split())
    characters = len(CJK.findall(text))
    if not characters:
        return len(text.split())
    # what is left between the characters are words, or punctuation such as "，" that is none
    return sum(any(map(str.isalnum, word)) for word in CJK.sub(" ", text).split()) + (characters + 1) // 2


# A page asks for the reading time of its articles several times, and an article is on many pages (its
# own, its story's, its topics', the digest, articles.json): room for an archive's articles.
@functools.lru_cache(maxsize=1 << 14)
def count_words(paragraphs: tuple[str, ...]) -> int:
    return sum(map(words_in, paragraphs))


def minutes_to_read(words: int) -> int:
    """Return the minutes `words` take to read at an average pace, never less than one."""
    return max(1, round(words / WORDS_PER_MINUTE))


@functools.cache
def init_fields(kind: type) -> tuple[tuple[str, ...], attrgetter]:
    """Return the names of a dataclass's fields set by its constructor, and a getter of their values."""
    names = tuple(found.name for found in dataclasses.fields(kind) if found.init)
    return names, attrgetter(*names)


def replaced(record, /, **changes):
    """Return dataclasses.replace(record, **changes): the record's constructor given its values and
    the changes. It skips replace's checks of every field, slow when a stage makes tens of thousands."""
    names, values = init_fields(type(record))
    given = dict(zip(names, values(record)))
    given.update(changes)
    return type(record)(**given)


def clipping_line(number: int) -> str:
    """Return the provenance label of a value read from line `number` of the file."""
    return f"line {number}"


@dataclass(frozen=True, slots=True)
class Article:
    """One input file, read, cleaned and placed; every field always exists."""

    id: str  # stable: an explicit `id` key, else a hash of the origin path
    origin: str  # path relative to the content folder, POSIX separators
    kind: str  # "markdown" (Markdown rules) or "clipping" (one paragraph per line)
    body: str = ""  # the text after the front matter; cleaned by the clean stage
    body_line: int = 1  # the file line on which `body` starts, for messages
    title: str = ""
    slug: str = ""
    url_path: str = ""  # "2025/11/24/slug/": relative to the site root, ends with "/"
    published: datetime | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    source: str = ""  # the outlet that published it
    source_url: str = ""
    summary: str = ""  # plain text
    body_html: str = ""  # sanitised HTML of the cleaned body
    paragraphs: tuple[str, ...] = ()  # plain text of each paragraph
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    image: str = ""
    story: str = ""  # the id of the story it belongs to
    story_key: str = ""  # front matter `story:`; "false" keeps the article alone
    draft: bool = False
    partial_date: tuple[int, int] | None = None  # (month, day) the text names without a year
    provenance: tuple[tuple[str, str], ...] = ()  # (field, where it came from)
    dropped: tuple[str, ...] = ()  # lines the clean stage removed as site noise
    warnings: tuple[str, ...] = ()

    @property
    def word_count(self) -> int:
        return count_words(self.paragraphs)

    @property
    def reading_time(self) -> int:
        """Minutes to read at an average pace, never less than one."""
        return minutes_to_read(self.word_count)

    def origin_of(self, field_name: str) -> str:
        """Return where `field_name` came from, or DEFAULT when nothing set it."""
        for name, where in reversed(self.provenance):
            if name == field_name:
                return where
        return DEFAULT

    @property
    def inferred(self) -> tuple[str, ...]:
        """Names of the fields whose value was guessed rather than read."""
        latest = dict(self.provenance)
        return tuple(sorted(name for name, where in latest.items() if where == INFERRED))

    def with_origin(self, field_name: str, where: str) -> tuple[tuple[str, str], ...]:
        """Return the provenance with `field_name` recorded as coming from `where`."""
        kept = tuple(pair for pair in self.provenance if pair[0] != field_name)
        return kept + ((field_name, where),)


@dataclass(frozen=True, slots=True)
class Story:
    """The coverage of one event: articles from one or more outlets, newest first."""

    id: str
    slug: str
    title: str
    articles: tuple[Article, ...]
    summary: str = ""
    topics: tuple[str, ...] = ()
    date_inferred: bool = False  # the story's date comes only from members whose date was inferred
    # (article id, sentences of that article no other member says in substance); empty for one article
    additions: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def published(self) -> datetime | None:
        dates = [article.published for article in self.articles if article.published]
        return min(dates) if dates else None

    @property
    def updated(self) -> datetime | None:
        dates = [article.updated or article.published for article in self.articles]
        known = [date for date in dates if date]
        return max(known) if known else None

    @property
    def sources(self) -> tuple[str, ...]:
        """The outlets that covered it, each once, in article order."""
        return tuple(dict.fromkeys(article.source for article in self.articles if article.source))

    @property
    def url_path(self) -> str:
        return f"stories/{self.slug}/"

    def additions_of(self, article_id: str) -> tuple[str, ...]:
        """Return the sentences only article `article_id` contributes to the story."""
        for member_id, sentences in self.additions:
            if member_id == article_id:
                return sentences
        return ()


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its path under the output folder and its bytes or text."""

    path: PurePosixPath
    content: str | bytes | Iterable[bytes]  # pieces: a large file (articles.json) made as it is written
    sources: tuple[str, ...] = field(default=())  # content files it was made from, for collisions
