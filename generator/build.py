"""The whole program: read, clean, place, group, render, write. Each line is one stage."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from . import clean, cluster, export, feeds, ingest, media, render, search, sitemaps, topics, urls, write
from .config import Config
from .model import Article, Page, Story
from .report import BuildError, Report


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did, for the report the CLI prints."""

    pages: int
    articles: int
    stories: int
    bytes_written: int
    seconds: float
    written: bool


def topic_stories(stories: Sequence[Story]) -> list[tuple[str, str, list[Story]]]:
    """Return (slug, name, stories) for every topic, the biggest topics first."""
    found: dict[str, tuple[str, list[Story]]] = {}
    for story in stories:
        for name in story.topics:
            found.setdefault(topics.topic_slug(name), (name, []))[1].append(story)
    return sorted(((slug, name, members) for slug, (name, members) in found.items()),
                  key=lambda item: (-len(item[2]), item[1].casefold()))


def with_members(stories: Sequence[Story], articles: Sequence[Article]) -> list[Story]:
    """Return the stories holding the final version of each member article."""
    latest = {article.id: article for article in articles}
    return [dataclasses.replace(story, articles=tuple(latest[a.id] for a in story.articles)) for story in stories]


def listing_paths(stories: Sequence[Story], topic_list, pages: Sequence[Page]) -> list[tuple[str, datetime | None]]:
    """Return (site path, last change) of the digest, archive and topic pages, for the sitemap."""
    newest = max((story.updated for story in stories if story.updated), default=None)
    changed = {f"topics/{slug}/": max((s.updated for s in members if s.updated), default=None)
               for slug, _, members in topic_list}
    folders = [str(page.path)[:-len("index.html")] for page in pages if str(page.path).endswith("index.html")]
    return [(folder, changed.get(folder, newest)) for folder in folders]


def read_content(config: Config, report: Report) -> tuple[list[Article], list[Story], list[Page]]:
    """Return the placed articles, their stories and the images they use: everything but output."""
    articles = ingest.read_articles(config, report)
    articles = [clean.clean_article(article, config, report) for article in articles]
    # A file with an error is never published: --keep-going builds the site without it.
    articles = [article for article in articles if article.origin not in report.failed_files]
    articles, images = media.resolve_images(articles, config, report)
    articles = topics.assign_topics(articles, config)
    articles, stories = cluster.cluster_stories(articles, config.stories, config.tz)
    articles = urls.assign_urls(articles, report)
    return articles, with_members(stories, articles), images


def make_pages(config: Config, report: Report) -> tuple[list[Page], int, int]:
    """Read the content folder and return every page of the site, unwritten, with the counts."""
    articles, stories, images = read_content(config, report)
    topic_list = topic_stories(stories)
    env = render.make_environment(config)
    pages, assets = render.asset_pages(config)
    story_of = {story.id: story for story in stories}
    pages += [render.render_article(env, article, story_of.get(article.story), assets) for article in articles]
    pages += [render.render_story(env, story, assets) for story in stories]
    listings = render.render_digest(env, stories, config, assets)
    listings += render.render_archive(env, stories, config, assets)
    listings += render.render_topics(env, topic_list, assets)
    pages += listings
    pages.append(render.render_not_found(env, assets))
    pages.append(render.render_search(env, assets))
    pages += feeds.feed_pages(articles, config)
    for slug, name, members in topic_list:
        pages += feeds.feed_pages([a for story in members for a in story.articles], config,
                                  path_prefix=f"topics/{slug}/", title=f"{config.title}: {name}",
                                  page_path=f"topics/{slug}/")
    pages.append(sitemaps.sitemap(articles, stories, listing_paths(stories, topic_list, listings), config))
    pages.append(sitemaps.news_sitemap(articles, config))
    pages.append(sitemaps.robots(config))
    pages.append(export.articles_json(articles, stories, config))
    pages += images
    pages += search.index_pages(pages, report)
    return pages, len(articles), len(stories)


def build(config: Config, report: Report, *, keep_going: bool = False, strict: bool = False) -> BuildResult:
    """Build the site into config.output_dir; write nothing on errors (unless keep_going) or, when
    strict, on warnings."""
    started = time.perf_counter()
    write.refuse_dangerous_output(config.output_dir, (config.content_dir, config.root, config.layouts_dir))
    try:
        pages, article_count, story_count = make_pages(config, report)
    except BuildError as error:
        report.add(error)
        pages, article_count, story_count = [], 0, 0
    written = 0
    publish = bool(pages) and (keep_going or not report.errors) and not (strict and report.warnings)
    if publish:
        written = write.write_site(pages, config.output_dir)
    return BuildResult(len(pages), article_count, story_count, written,
                       time.perf_counter() - started, publish)
