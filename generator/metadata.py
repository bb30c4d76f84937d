"""What each page says about itself to crawlers and link previews: canonical URL, OpenGraph and
Twitter card values, and schema.org JSON-LD (NewsArticle, CollectionPage with an ItemList)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from . import dates
from .config import Config
from .model import Article, Story

DESCRIPTION_LENGTH = 300


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The head of one page: what base.html writes into <meta> and JSON-LD."""

    title: str
    url: str  # absolute, canonical
    description: str = ""
    kind: str = "website"  # og:type
    image: str = ""  # absolute URL or ""
    published: datetime | None = None
    modified: datetime | None = None
    jsonld: dict = field(default_factory=dict)


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """Return `text` cut at a word boundary to at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if text[limit - 1] != " ":  # the cut fell inside a word: drop that word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;: ") + "…"


def image_url(article: Article, config: Config) -> str:
    if not article.image:
        return ""
    return article.image if article.image.startswith(("https://", "http://")) else config.absolute_url(article.image)


def person_or_outlet(article: Article) -> list[dict]:
    if article.authors:
        return [{"@type": "Person", "name": name} for name in article.authors]
    if article.source:
        return [{"@type": "Organization", "name": article.source}]
    return []


def article_meta(article: Article, config: Config) -> PageMeta:
    """Return the head of an article page; a clipping names its outlet and original as isBasedOn."""
    # Each value is worked out once, though the head and the JSON-LD both show it: every article page asks.
    url = config.absolute_url(article.url_path)
    headline = shorten(article.title, 110)
    description = shorten(article.summary)
    modified = article.updated or article.published
    image = image_url(article, config)
    jsonld: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "url": url,
        "mainEntityOfPage": url,
        "description": description,
        "wordCount": article.word_count,
        "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
    }
    if article.published:
        jsonld["datePublished"] = dates.iso(article.published)
    if modified:
        jsonld["dateModified"] = dates.iso(modified)
    if author := person_or_outlet(article):
        jsonld["author"] = author
    if image:
        jsonld["image"] = [image]
    if article.topics:
        jsonld["keywords"] = list(article.topics)
    if article.source or article.source_url:
        original: dict = {"@type": "NewsArticle", "headline": headline}
        if article.source_url:
            original["url"] = article.source_url
        if article.source:
            original["publisher"] = {"@type": "Organization", "name": article.source}
        jsonld["isBasedOn"] = original
    return PageMeta(title=article.title, url=url, description=description, kind="article",
                    image=image, published=article.published, modified=modified, jsonld=jsonld)


def item_list(stories: Sequence[Story], config: Config) -> dict:
    return {
        "@type": "ItemList",
        "numberOfItems": len(stories),
        "itemListElement": [
            {"@type": "ListItem", "position": number, "url": config.absolute_url(story.url_path),
             "name": story.title}
            for number, story in enumerate(stories, start=1)
        ],
    }


def story_meta(story: Story, config: Config) -> PageMeta:
    """Return the head of a story page: a CollectionPage listing every outlet's article."""
    url = config.absolute_url(story.url_path)
    jsonld = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": story.title,
        "url": url,
        "description": shorten(story.summary),
        "inLanguage": config.language,
        "mainEntity": {
            "@type": "ItemList",
            "numberOfItems": len(story.articles),
            "itemListElement": [
                {"@type": "ListItem", "position": number, "url": config.absolute_url(article.url_path),
                 "name": article.title}
                for number, article in enumerate(story.articles, start=1)
            ],
        },
    }
    if story.published:
        jsonld["datePublished"] = dates.iso(story.published)
    image = next((image_url(a, config) for a in story.articles if image_url(a, config)), "")
    return PageMeta(title=story.title, url=url, description=shorten(story.summary), kind="website",
                    image=image, published=story.published, modified=story.updated, jsonld=jsonld)


def listing_meta(title: str, path: str, stories: Sequence[Story], config: Config, description: str = "") -> PageMeta:
    """Return the head of a page that lists stories: the digest, a topic, an archive month."""
    url = config.absolute_url(path)
    jsonld = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": title,
        "url": url,
        "inLanguage": config.language,
        "mainEntity": item_list(stories, config),
    }
    if description:
        jsonld["description"] = description
    return PageMeta(title=title, url=url, description=description or config.description, jsonld=jsonld)


def json_for_script(data: dict) -> Markup:
    """Return JSON that is safe inside <script>: no "<", ">" or "&" can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
