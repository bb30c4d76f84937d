"""Files for crawlers: sitemap.xml, the Google News sitemap, and robots.txt pointing at them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

from . import dates
from .config import Config
from .model import Article, Page, Story

NEWS_WINDOW = timedelta(days=2)  # Google News wants the articles of the last two days
NEWS_LIMIT = 1000


def newest(moments: Sequence[datetime | None]) -> datetime | None:
    known = [moment for moment in moments if moment]
    return max(known) if known else None


def url_entry(location: str, lastmod: datetime | None, build_time: datetime) -> str:
    """Return a sitemap entry; its lastmod says when the page last changed, so never after the build."""
    modified = f"<lastmod>{dates.iso(dates.no_later_than_build(lastmod, build_time))}</lastmod>" if lastmod else ""
    return f"  <url><loc>{escape(location)}</loc>{modified}</url>"


def sitemap(articles: Sequence[Article], stories: Sequence[Story], site_paths: Sequence[tuple[str, datetime | None]],
            config: Config) -> Page:
    """Return sitemap.xml: every article and story page, plus the listing pages in `site_paths`."""
    build_time = config.build_time
    entries = [url_entry(config.absolute_url(path), lastmod, build_time) for path, lastmod in site_paths]
    entries += [url_entry(config.absolute_url(story.url_path), story.updated, build_time) for story in stories]
    entries += [url_entry(config.absolute_url(article.url_path), article.updated or article.published, build_time)
                for article in sorted(articles, key=lambda a: a.url_path)]
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(entries) + "\n</urlset>\n")
    return Page(PurePosixPath("sitemap.xml"), text.encode("utf-8"))


def news_sitemap(articles: Sequence[Article], config: Config) -> Page:
    """Return news-sitemap.xml: the articles of the two days before the newest one, newest first."""
    dated = sorted((a for a in articles if a.published), key=lambda a: (a.published, a.id), reverse=True)
    recent = [a for a in dated if a.published >= dated[0].published - NEWS_WINDOW][:NEWS_LIMIT] if dated else []
    entries = [
        "  <url>\n"
        f"    <loc>{escape(config.absolute_url(article.url_path))}</loc>\n"
        "    <news:news>\n"
        "      <news:publication>\n"
        f"        <news:name>{escape(config.title)}</news:name>\n"
        f"        <news:language>{escape(config.language.split('-')[0].lower())}</news:language>\n"
        "      </news:publication>\n"
        f"      <news:publication_date>{dates.iso(article.published)}</news:publication_date>\n"
        f"      <news:title>{escape(article.title)}</news:title>\n"
        "    </news:news>\n"
        "  </url>"
        for article in recent
    ]
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            + "".join(entry + "\n" for entry in entries) + "</urlset>\n")
    return Page(PurePosixPath("news-sitemap.xml"), text.encode("utf-8"))


def robots(config: Config) -> Page:
    """Return robots.txt: everything may be crawled, and here are the sitemaps. Crawlers read only the
    host's own robots.txt, so a site under a sub-path says where its lines must go to be read."""
    root = urlunsplit(urlsplit(config.base_url)[:2] + ("/robots.txt", "", ""))
    if config.base_path != "/":
        head = (f"# Crawlers read robots.txt only at the root of a host: {root}\n"
                f"# This site lives under {config.base_path}, so this file is not read where it is.\n"
                "# Copy the Sitemap lines below into the host's robots.txt for crawlers to find them.\n\n")
    else:
        head = ""
    text = (head + "User-agent: *\nAllow: /\n\n"
            f"Sitemap: {config.absolute_url('sitemap.xml')}\n"
            f"Sitemap: {config.absolute_url('news-sitemap.xml')}\n")
    return Page(PurePosixPath("robots.txt"), text.encode("utf-8"))
