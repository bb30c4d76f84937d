"""Slugs and URL paths: every article gets a safe, stable, unique place in the site.

A slug never carries a path separator, a dot segment or a reserved name, so no article can be
written outside the output folder or over a generated file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from .model import CJK, FRONT_MATTER, INFERRED, Article, replaced
from .report import Report

MAX_SLUG_LENGTH = 80
NOT_SLUG = re.compile(r"[^a-z0-9]+")
JEKYLL_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-(.+)$")
# Top-level names the generator writes itself; an article slug never takes one of them.
RESERVED_SLUGS = {"index", "feed", "atom", "feed-xml", "articles", "articles-json", "404", "stories",
                  "topics", "archive", "page", "static", "search", "sitemap", "robots", "undated"}


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Return a lower-case ASCII slug of `text`, cut at a word boundary; "" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length + 1] else slug[:max_length]
    return slug.strip("-")


def title_slug(title: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Return the slug of a title, or "" for one in Chinese or Japanese: its ASCII leftovers (a number, an
    acronym) would not name it, and "4" or "g20" would be taken by every such title of the day."""
    return "" if not title.isascii() and CJK.search(title) else slugify(title, max_length)


def article_slug(article: Article) -> str:
    """Return the slug an article asks for, or one made from its title, file name or id."""
    for candidate in asked_slugs(article):
        if candidate and candidate not in RESERVED_SLUGS:
            return candidate
    return f"article-{article.id[:8]}"


def asked_slugs(article: Article) -> Iterator[str]:
    """Yield the slugs an article may have, the best first, each made only when the ones before fail."""
    yield slugify(article.slug)
    stem = article.origin.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    # A Jekyll post is named YYYY-MM-DD-slug on purpose; other file names rarely say much.
    jekyll = JEKYLL_NAME.match(stem)
    yield slugify(jekyll.group(1)) if jekyll else ""
    yield "" if article.origin_of("title") == INFERRED else title_slug(article.title)
    yield slugify(stem)
    yield title_slug(article.title)


def date_folder(article: Article) -> str:
    """Return "YYYY/MM/DD" in the article's own zone, or "undated"."""
    return f"{article.published:%Y/%m/%d}" if article.published else "undated"


def assign_urls(articles: Iterable[Article], report: Report) -> list[Article]:
    """Return the articles with a unique slug and URL path each; later duplicates are suffixed."""
    taken: dict[str, str] = {}
    placed = []
    for article in sorted(articles, key=lambda a: a.origin):
        slug = article_slug(article)
        folder = date_folder(article)
        url_path = f"{folder}/{slug}/"
        number = 2
        while url_path in taken:
            url_path = f"{folder}/{slug}-{number}/"
            number += 1
        if number > 2:
            report.warn(f"URL /{folder}/{slug}/ is taken by {taken[f'{folder}/{slug}/']}; "
                        f"this article is at /{url_path}", article.origin, kind="duplicate slug")
            slug = f"{slug}-{number - 1}"
        taken[url_path] = article.origin
        provenance = article.provenance if article.origin_of("slug") == FRONT_MATTER else \
            article.with_origin("slug", INFERRED)
        placed.append(replaced(article, slug=slug, url_path=url_path, provenance=provenance))
    return placed
