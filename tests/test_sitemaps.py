"""sitemap.xml, news-sitemap.xml and robots.txt."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from lxml import etree

from generator import sitemaps
from generator.model import Story

from conftest import make_article

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
DAY = datetime(2025, 11, 24, 12, tzinfo=timezone.utc)


def test_sitemap_lists_listings_stories_and_articles_with_lastmod(config):
    article = make_article(updated=DAY)
    story = Story(id="s", slug="s", title="S", articles=(article,))
    page = sitemaps.sitemap([article], [story], [("", DAY), ("topics/trade/", None)], config)
    tree = etree.fromstring(page.content)
    assert tree.xpath("//s:loc/text()", namespaces=NS) == [
        "https://example.org/digest/", "https://example.org/digest/topics/trade/",
        "https://example.org/digest/stories/s/", "https://example.org/digest/2025/11/24/example-headline/"]
    assert tree.xpath("//s:url[1]/s:lastmod/text()", namespaces=NS) == ["2025-11-24T12:00:00+00:00"]
    assert tree.xpath("//s:url[2]/s:lastmod", namespaces=NS) == []


def test_sitemap_lastmod_is_never_after_the_build_time(config):
    typo = make_article(published=datetime(2062, 3, 4, tzinfo=timezone.utc))
    story = Story(id="s", slug="s", title="S", articles=(typo,))
    page = sitemaps.sitemap([typo], [story], [("", story.updated), ("archive/", DAY)], config)
    tree = etree.fromstring(page.content)
    assert tree.xpath("//s:lastmod/text()", namespaces=NS) == [
        "2026-01-01T12:00:00+00:00", "2025-11-24T12:00:00+00:00", "2026-01-01T12:00:00+00:00",
        "2026-01-01T12:00:00+00:00"]


def test_news_sitemap_keeps_two_days_before_the_newest_article(config):
    articles = [make_article(id=str(n), url_path=f"a{n}/", title=f"T{n} & co", published=DAY - timedelta(hours=20 * n))
                for n in range(5)]
    tree = etree.fromstring(sitemaps.news_sitemap(articles, config).content)
    assert tree.xpath("//s:loc/text()", namespaces=NS) == [f"https://example.org/digest/a{n}/" for n in range(3)]
    assert tree.xpath("//n:title/text()", namespaces=NS)[0] == "T0 & co"
    assert tree.xpath("//n:language/text()", namespaces=NS)[0] == "en"


def test_news_sitemap_without_dated_articles_is_an_empty_urlset(config):
    tree = etree.fromstring(sitemaps.news_sitemap([make_article(published=None)], config).content)
    assert tree.xpath("//s:url", namespaces=NS) == []


def test_robots_at_a_host_root_points_at_both_sitemaps(config):
    at_root = dataclasses.replace(config, base_url="https://news.example.org/")
    assert sitemaps.robots(at_root).content.decode() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://news.example.org/sitemap.xml\n"
        "Sitemap: https://news.example.org/news-sitemap.xml\n")


def test_robots_under_a_sub_path_says_where_its_lines_must_go(config):
    lines = sitemaps.robots(config).content.decode().splitlines()
    assert lines[0] == "# Crawlers read robots.txt only at the root of a host: https://example.org/robots.txt"
    assert lines[1] == "# This site lives under /digest/, so this file is not read where it is."
    # Everything a crawler acts on is the same as at a host's root, for copying as it stands.
    assert [line for line in lines if line and not line.startswith("#")] == [
        "User-agent: *", "Allow: /", "Sitemap: https://example.org/digest/sitemap.xml",
        "Sitemap: https://example.org/digest/news-sitemap.xml"]
