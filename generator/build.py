"""The whole program: read, clean, place, group, render, write. Each line is one stage.

The stages that depend on one file alone (prepare) and on one page alone (the page jobs) run on every
core and are skipped, through the build cache, when their inputs have not changed; the whole-site
stages between them (grouping, topics, addresses) run on the whole corpus every time, in linear time.
Pages are written into the new output folder as they are made, so memory holds the model, not the site.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from . import cluster, export, feeds, ingest, media, pools, prepare, render, search, sitemaps, topics, urls, write
from .cache import (BuildCache, Output, digest, generator_fingerprint, layouts_fingerprint, settings_fingerprint,
                    unchanged_on_disk)
from .config import Config
from .model import Article, Page, Story, replaced
from .report import BuildError, Progress, Report

PAGES_PER_TASK = 32  # page jobs sent to a worker at a time


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did, for the report the CLI prints."""

    pages: int
    articles: int
    stories: int
    bytes_written: int
    seconds: float
    written: bool
    pages_written: int = 0  # pages whose bytes changed; the others were kept from the last build
    notes: tuple[str, ...] = ()  # what happened to the build cache


@dataclass(frozen=True, slots=True)
class Content:
    """The content folder read and placed: everything but output. The articles are kept without
    their HTML body (see prepare.Prepared), which `full_article` puts back."""

    articles: list[Article]
    stories: list[Story]
    images: list[Page]
    terms: Mapping[str, bytes]  # each article's search terms, pickled, by origin (spilled to a file)
    html: Mapping[str, bytes]  # each article's HTML body, compressed, by origin (spilled to a file)

    def full_article(self, article: Article) -> Article:
        return prepare.with_body(article, self.html[article.origin])

    def __enter__(self) -> Content:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the files the bodies and terms were spilled to."""
        for spilled in (self.terms, self.html):
            if isinstance(spilled, prepare.Spilled):
                spilled.close()


@dataclass(frozen=True, slots=True)
class PageJob:
    """Pages made together from the same inputs, and the digest of those inputs (their recipe).
    `paths` is None for a job whose paths depend on what it makes: the last build's files of the
    same recipe are its paths. A job with `place` instead of `make` (the search index) places its
    own pages, keeping what it can of the last build's part by part: it is never kept whole."""

    paths: tuple[str, ...] | None
    recipe: bytes
    make: Callable[[], Iterable[Page]] | None  # pages may be made as they are written
    sources: tuple[str, ...] = ()
    whole_site: bool = False  # made from every article: long, so sent to a worker alone
    # Given the placer, yields the record of each page placed and the bytes written (0 for a file kept).
    place: Callable[[write.Placer], Iterable[tuple[Output, int]]] | None = None


def topic_stories(stories: Sequence[Story]) -> list[tuple[str, str, list[Story]]]:
    """Return (slug, name, stories) for every topic, the biggest topics first."""
    found: dict[str, tuple[str, list[Story]]] = {}
    for story in stories:
        for name in story.topics:
            found.setdefault(topics.topic_slug(name), (name, []))[1].append(story)
    return sorted(((slug, name, members) for slug, (name, members) in found.items()),
                  key=lambda item: (-len(item[2]), item[1].casefold()))


def with_members(stories: Sequence[Story], articles: Sequence[Article]) -> list[Story]:
    """Return the stories holding the final version of each member article, and the topics they share."""
    latest = {article.id: article for article in articles}
    placed = []
    for story in stories:
        members = tuple(latest[a.id] for a in story.articles)
        placed.append(replaced(story, articles=members, topics=topics.story_topics(members)))
    return placed


def listing_paths(stories: Sequence[Story], topic_list, folders: Iterable[str]) -> list[tuple[str, datetime | None]]:
    """Return (site path, last change) of the digest, archive and topic pages, for the sitemap."""
    newest = max((story.updated for story in stories if story.updated), default=None)
    changed = {f"topics/{slug}/": max((s.updated for s in members if s.updated), default=None)
               for slug, _, members in topic_list}
    return [(folder, changed.get(folder, newest)) for folder in folders]


def read_content(config: Config, report: Report, cache: BuildCache | None = None, jobs: int = 1,
                 progress: Progress = Progress(), sources: Sequence[prepare.Source] | None = None) -> Content:
    """Return the placed articles, their stories, the images they use and their search terms."""
    prepared = [item for item in prepare.prepare_all(config, report, cache, jobs, progress, sources)
                if item.article]
    articles = [item.article for item in prepared]
    analyses: list[bytes | None] = [item.analysis for item in prepared]
    terms = prepare.Spilled((item.origin, item.terms) for item in prepared)
    html = prepare.Spilled((item.origin, item.html) for item in prepared)
    del prepared  # the bytes are spilled now
    # Each stage's features are let go once it has used them: read after every article, they go back to the system.
    features, readings = prepare.analysed(analyses)
    articles, images = media.resolve_images(articles, config, report)
    # Names are found while the stories are grouped; topics and addresses need the stories' members,
    # not their texts, which are written meanwhile.
    with topics.names_found(readings, config, jobs) as names, \
            cluster.grouped(articles, config.stories, config.tz, features, jobs) as (articles, stories):
        del features
        articles = topics.assign_topics(articles, config, readings=readings, names=names())
        del readings
        articles = urls.assign_urls(articles, report)
        return Content(articles, with_members(stories(), articles), images, terms, html)


class Recipes:
    """The digests of page inputs: the same digest means the same page bytes, by construction.

    Everything a page is made from is either in the render key (the generator's code, the layouts,
    the settings, the asset names) or in the model objects given to it, which are digested whole
    (each article once per build).
    """

    def __init__(self, config: Config, assets: dict[str, str], html: Mapping[str, bytes]):
        folders = render.layout_folders(config)
        # The built-in layouts never show the build time; a site's own may, and then every page has it.
        clock = config.build_time.isoformat() if layouts_mention(folders, b"build_time") else ""
        self.key = digest(b"pages", generator_fingerprint(), settings_fingerprint(config), layouts_fingerprint(folders),
                          repr(sorted(assets.items())).encode(), clock.encode())
        self.html = html
        self.build_time = config.build_time
        self.clock = config.build_time.isoformat()
        self.uses_clock = bool(clock)  # whether some page shows the build time: see BuildRecord
        self.articles: dict[str, bytes] = {}
        self.stories: dict[str, bytes] = {}

    def article(self, article: Article) -> bytes:
        found = self.articles.get(article.origin)
        if found is None:
            found = self.articles[article.origin] = digest(pickle.dumps(article, pickle.HIGHEST_PROTOCOL),
                                                       self.html[article.origin])
        return found

    def story(self, story: Story) -> bytes:
        found = self.stories.get(story.id)
        if found is None:
            shell = pickle.dumps(replaced(story, articles=()), pickle.HIGHEST_PROTOCOL)
            found = self.stories[story.id] = digest(shell, *map(self.article, story.articles))
        return found

    def record(self, article: Article) -> bytes:
        """Return the key of the article's record in articles.json: the same key, the same record."""
        return self.of("record", self.article(article))

    def clock_if_undated_or_future(self, articles: Iterable[Article]) -> str:
        """Return the build time when the feeds, sitemap or articles.json of the articles show it, else "":
        when none of them is dated (it stands in for their date) or one is dated after it (it caps their
        last-change dates: dates.no_later_than_build)."""
        articles = list(articles)
        undated = not any(article.published for article in articles)
        future = any(moment > self.build_time for article in articles
                     for moment in (article.published, article.updated) if moment)
        if not (undated or future):
            return ""
        self.uses_clock = True
        return self.clock

    def of(self, kind: str, *parts: bytes | str) -> bytes:
        return digest(self.key, kind.encode(), *(part.encode() if isinstance(part, str) else part for part in parts))


def layouts_mention(folders: Iterable, word: bytes) -> bool:
    """Return whether any template in the layout folders contains `word`."""
    return any(word in path.read_bytes() for folder in folders if folder.is_dir() for path in folder.rglob("*.html"))


def page_jobs(env, content: Content, topic_list, assets: dict[str, str], config: Config,
              recipes: Recipes | None = None, record_keys: Sequence[bytes] = (),
              published: export.Published | None = None) -> list[PageJob]:
    """Return the jobs for the pages made from the model: articles, stories, listings, topics, the
    site-wide files and articles.json (which copies the `published` file's records of the same keys as
    `record_keys`: see articles_json). The search index is a job apart (search_job)."""
    recipes = recipes or Recipes(config, assets, content.html)
    story_of = {story.id: story for story in content.stories}
    jobs = []
    for article in content.articles:
        story = story_of.get(article.story)
        jobs.append(PageJob((article.url_path + "index.html",),
                            recipes.of("article", recipes.article(article), recipes.story(story) if story else b""),
                            lambda article=article, story=story: [
                                render.render_article(env, content.full_article(article), story, assets)],
                            (article.origin,)))
    for story in content.stories:
        jobs.append(PageJob((story.url_path + "index.html",), recipes.of("story", recipes.story(story)),
                            lambda story=story: [render.render_story(env, story, assets)],
                            tuple(article.origin for article in story.articles)))
    every_story = tuple(map(recipes.story, content.stories))
    jobs += listing_jobs(env, content.stories, recipes, assets, config)
    browse = render.topic_browse(topic_list)
    topic_items = feeds.FeedItems(config, full_content=False)  # an article is in the feed of each of its topics
    jobs.append(PageJob(("topics/index.html",),
                        recipes.of("topics", *(part for slug, name, members in topic_list
                                               for part in (slug, name, *map(recipes.story, members)))),
                        lambda: [render.render_topic_index(env, topic_list, assets)]))
    for slug, name, members in topic_list:
        folder = f"topics/{slug}/"
        jobs.append(PageJob(
            (folder + "index.html", *(folder + name for name in feeds.FEED_NAMES)),
            recipes.of("topic", name, slug, repr(render.other_topics(browse, name)), str(len(browse.topics)),
                       *map(recipes.story, members),
                       recipes.clock_if_undated_or_future(a for s in members for a in s.articles)),
            lambda slug=slug, name=name, members=members: topic_pages(env, slug, name, members, browse, assets, config,
                                                                      topic_items)))
    everything = (*map(recipes.article, content.articles), *every_story)
    folders = [path.removesuffix("index.html") for job in jobs if not job.sources for path in job.paths
               if path.endswith("index.html")]
    clock = recipes.clock_if_undated_or_future(content.articles)  # in the feeds, the sitemap and articles.json
    whole_site = [
        PageJob(SITE_FILES, recipes.of("site", *everything, *folders, clock),
                lambda: site_pages(content, topic_list, folders, env, assets, config), whole_site=True),
        # Apart from the other site files, so that two workers make them at once.
        PageJob((str(export.PATH),), recipes.of("export", *everything, clock),
                lambda: [export.articles_json(content.articles, content.stories, config, record_keys, published)],
                whole_site=True),
    ]
    # The whole-site jobs go first: they take the longest and hold the most memory, so they run while
    # the workers are smallest, and the many short page jobs even out the end.
    return whole_site + jobs


def search_job(content: Content, recipes: Recipes) -> PageJob:
    """Return the job of the search index: its files depend on the words in it, and each part of it has
    its own recipe (place_search_index)."""
    return PageJob(None, write.NO_RECIPE, None, whole_site=True,
                   place=lambda placer: place_search_index(content, recipes, placer))


def place_search_index(content: Content, recipes: Recipes, placer: write.Placer) -> Iterator[tuple[Output, int]]:
    """Place the search index: the term shards of each first character are kept from the last build
    when made from the same inputs (after one edit, most of them), else made again; the documents and
    meta.json are placed by their bytes. Yield the record of each file and the bytes written."""
    kept: list[Output] = []

    def reuse(key: bytes) -> dict[str, bytes] | None:
        outputs = placer.reuse_made_from(recipes.of("search part", key))
        if outputs is None:
            return None
        kept.extend(outputs)
        return {output.path: placer.output_file(output.path).read_bytes() for output in outputs}

    for key, page in search.index_parts(content.articles, content.stories, content.terms, reuse=reuse):
        yield placer.put(page, recipes.of("search part", key) if key else write.NO_RECIPE)
    for output in kept:
        yield output, 0


def listing_jobs(env, stories: Sequence[Story], recipes: Recipes, assets: dict[str, str],
                 config: Config) -> list[PageJob]:
    """Return a job for each digest page, the archive index and each archive month: a page is made
    again when its own stories or the sidebar's counts change, not whenever any story does."""
    browse = render.browse_of(stories, config)
    sidebar = repr(browse)
    chunks = render.digest_chunks(stories, config)
    jobs = []
    for number, (chunk, path) in enumerate(zip(chunks, render.digest_paths(len(stories), config)), start=1):
        jobs.append(PageJob((path,), recipes.of("digest", str(number), str(len(chunks)), str(len(stories)), sidebar,
                                                *map(recipes.story, chunk)),
                            lambda number=number, chunk=chunk: [render.render_digest_page(
                                env, number, chunk, len(chunks), len(stories), browse, assets)]))
    months = render.month_groups(stories, config)
    jobs.append(PageJob(("archive/index.html",),
                        recipes.of("archive", *(part for key, group in months
                                                for part in (key, *map(recipes.story, group)))),
                        lambda: [render.render_archive_index(env, months, assets)]))
    for key, group in months:
        jobs.append(PageJob((f"archive/{key}/index.html",),
                            recipes.of("month", key, sidebar, *map(recipes.story, group)),
                            lambda key=key, group=group: [render.render_archive_month(env, key, group, browse,
                                                                                      assets)]))
    return jobs


def topic_pages(env, slug: str, name: str, members: list[Story], browse: render.Browse,
                assets: dict[str, str], config: Config, items: feeds.FeedItems | None = None) -> list[Page]:
    """Return one topic's page and its three feeds (summaries only), their items taken from `items`."""
    page = render.render_topic(env, slug, name, members, browse, assets)
    return [page] + feeds.feed_pages([a for story in members for a in story.articles], config,
                                     path_prefix=f"topics/{slug}/", title=f"{config.title}: {name}",
                                     page_path=f"topics/{slug}/",
                                     items=items or feeds.FeedItems(config, full_content=False))


def run_page_jobs(jobs: Sequence[PageJob], staging: write.Staging, workers: int, progress: Progress) -> None:
    """Place every job's pages: linked from the last build when their recipe is unchanged, else made
    here or, for many, in a pool of `workers` processes that write into the staging folder themselves."""
    advance = progress.task("pages", len(jobs))
    to_make = []
    for job in jobs:
        if job.place is None and staging.keep(job.paths, job.recipe, job.sources):
            advance(1)
        else:
            to_make.append(job)
    context = pools.fork_context()
    if workers <= 1 or len(to_make) < 2 or context is None:
        for job in to_make:
            place_here(job, staging)
            advance(1)
        return
    global _page_jobs
    _page_jobs = (to_make, staging.placer)
    try:
        with context.Pool(workers, initializer=pools.leave_signals_to_parent) as pool:
            tasks = worker_tasks(to_make, workers)
            for task, placed in zip(tasks, pool.imap(make_in_worker, tasks)):
                for output, written, sources in placed:
                    staging.claim(output.path, sources)
                    staging.note(output, written)
                advance(len(task))
    finally:
        _page_jobs = None


def worker_tasks(jobs: Sequence[PageJob], workers: int) -> list[tuple[int, ...]]:
    """Return the places in `jobs` of the jobs a worker is sent at a time: each whole-site job alone,
    so that two never queue in one worker while the other runs out of work (after one edit they are
    most of it), then the others in runs, short when there are few so that the long ones have company."""
    alone = [(index,) for index, job in enumerate(jobs) if job.whole_site]
    rest = [index for index, job in enumerate(jobs) if not job.whole_site]
    size = max(1, min(PAGES_PER_TASK, len(rest) // (4 * workers)))
    return alone + [tuple(rest[start:start + size]) for start in range(0, len(rest), size)]


_page_jobs: tuple[Sequence[PageJob], write.Placer] | None = None


def make_in_worker(task: tuple[int, ...]) -> list[tuple]:
    """Make the pages of some jobs in a forked worker, which has the jobs and the placer from its parent."""
    jobs, placer = _page_jobs
    return [placed for index in task for placed in placed_pages(jobs[index], placer)]


def placed_pages(job: PageJob, placer: write.Placer) -> Iterator[tuple[Output, int, tuple[str, ...]]]:
    """Place a job's pages with `placer`; yield the record of each, the bytes written and its sources."""
    if job.place is not None:
        for output, written in job.place(placer):
            yield output, written, job.sources
        return
    for page in job.make():
        yield (*placer.put(page, job.recipe), page.sources)


@contextlib.contextmanager
def placed_beside(job: PageJob, staging: write.Staging, workers: int) -> Iterator[Callable[[], None]]:
    """Start placing the pages of `job` (one with `place`) in a forked process of its own, when `workers`
    allows, and yield the function that waits for them and records them in `staging`; the block makes
    the other pages meanwhile. Otherwise that function places them in this process."""
    with pools.started_beside(lambda: list(placed_pages(job, staging.placer)), workers) as placed:

        def recorded() -> None:
            for output, written, sources in placed():
                staging.claim(output.path, sources)
                staging.note(output, written)

        yield recorded


def place_here(job: PageJob, staging: write.Staging) -> None:
    """Place a job's pages in this process: a page it makes is claimed before it is written."""
    if job.place is None:
        for page in job.make():
            staging.put(page, job.recipe)
        return
    for output, written, sources in placed_pages(job, staging.placer):
        staging.claim(output.path, sources)
        staging.note(output, written)


SITE_FILES = ("404.html", "search/index.html", *feeds.FEED_NAMES, "sitemap.xml", "news-sitemap.xml", "robots.txt")


def site_pages(content: Content, topic_list, listing_folders: Iterable[str], env, assets: dict[str, str],
               config: Config) -> list[Page]:
    """Return the pages made from the whole corpus at once: feeds and sitemaps (SITE_FILES)."""
    pages = [render.render_not_found(env, assets), render.render_search(env, assets)]
    newest = feeds.select_articles(content.articles, config.feed_items)
    pages += feeds.feed_pages(map(content.full_article, newest), config)
    pages.append(sitemaps.sitemap(content.articles, content.stories,
                                  listing_paths(content.stories, topic_list, listing_folders), config))
    pages.append(sitemaps.news_sitemap(content.articles, config))
    pages.append(sitemaps.robots(config))
    return pages


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """What a published build found, kept in the cache so that a build of the same inputs can say it
    again without doing anything: its report (but for the dates, judged anew against each build's
    time), its counts, and whether a page shows the build time (then no build is the same)."""

    report: Report
    pages: int
    articles: int
    stories: int
    uses_clock: bool


def make_site(config: Config, report: Report, staging: write.Staging, cache: BuildCache | None,
              workers: int, progress: Progress, sources: Sequence[prepare.Source]) -> tuple[BuildRecord, list[bytes]]:
    """Read the content files and place every page of the site in `staging`; return what it found, and
    the keys of the article records of the articles.json placed, in order (see Recipes.record)."""
    with read_content(config, report, cache, workers, progress, sources) as content:
        topic_list = topic_stories(content.stories)
        env = render.make_environment(config)
        asset_pages, assets = render.asset_pages(config)
        for page in asset_pages + content.images:
            staging.put(page)
        recipes = Recipes(config, assets, content.html)
        record_keys = [recipes.record(article) for story in content.stories for article in story.articles]
        published = published_export(staging.placer, cache.record_keys(config.output_dir) if cache else None)
        release_free_memory()  # the page workers start as copies of this process
        # The search index, the longest job after an edit, needs no page recipe: it starts first.
        with placed_beside(search_job(content, recipes), staging, workers) as index_placed:
            run_page_jobs(page_jobs(env, content, topic_list, assets, config, recipes, record_keys, published),
                          staging, workers, progress)
            index_placed()
    record = BuildRecord(report, len(staging.outputs), len(content.articles), len(content.stories), recipes.uses_clock)
    return record, record_keys


def published_export(placer: write.Placer, stored: tuple[bytes, list[bytes]] | None) -> export.Published | None:
    """Return the articles.json the last build published, with the keys of its records the cache `stored`,
    when it is there as that build left it (articles_json checks its bytes too); else None."""
    file = placer.published(export.PATH) if stored else None
    return export.Published(file, *stored) if file else None


def release_free_memory() -> None:
    """Give the memory the whole-site stages let go of back to the system, where the C library can
    (glibc's malloc_trim): freed blocks inside the heap otherwise still count as this process's."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):  # not glibc
        pass


def inputs_key(config: Config, sources: Sequence[prepare.Source]) -> bytes:
    """Return the digest of everything a build reads: the content files, settings, code and layouts."""
    return digest(b"site", prepare.recipe_key(config), layouts_fingerprint(render.layout_folders(config)),
                  *(source.key for source in sources))


def same_as_last_build(config: Config, cache: BuildCache, key: bytes) -> BuildRecord | None:
    """Return the last build's record when it was made from the same inputs and the output folder
    holds exactly the files it published, untouched; else None."""
    last = cache.last_build(config.output_dir)
    if last is None:
        return None
    stored, record = last
    if stored not in (key, digest(key, config.build_time.isoformat().encode())):
        return None
    outputs = cache.outputs(config.output_dir)
    root = os.fspath(config.output_dir)
    if not all(unchanged_on_disk(output, os.path.join(root, path)) for path, output in outputs.items()):
        return None
    folders = write.site_folders(outputs)
    real, replaced = write.reachable_folders(config.output_dir, folders)
    if replaced:
        return None
    stray, _ = write.stray_entries(config.output_dir, real, folders, cache.folders(config.output_dir), outputs)
    return None if stray else record


def remember_record_keys(cache: BuildCache, outputs: Mapping[str, Output], keys: Sequence[bytes]) -> None:
    """Record the keys of the article records of the articles.json published, with the digest of its bytes."""
    exported = outputs.get(str(export.PATH))
    if exported is not None:
        cache.replace_record_keys(exported.digest, keys)


def remember_folders(config: Config, cache: BuildCache, paths: Iterable[str]) -> None:
    """Record the times of the output's folders, which holds the files at `paths` (site paths) alone."""
    cache.replace_folders(write.folder_times(config.output_dir, write.site_folders(paths)))


def check_output(config: Config) -> None:
    """Raise BuildError when the output folder is one a build must never replace."""
    write.refuse_dangerous_output(config.output_dir, (config.content_dir, config.root, config.layouts_dir))


def build(config: Config, report: Report, *, keep_going: bool = False, strict: bool = False,
          cache: BuildCache | None = None, jobs: int = 1, progress: Progress = Progress(),
          notes: Sequence[str] = ()) -> BuildResult:
    """Build the site into config.output_dir; publish nothing on errors (unless keep_going) or, when
    strict, on warnings. With a cache, unchanged files and pages are reused; the site is the same.
    When nothing the build reads has changed since the last build, and its output is as it left it,
    the build only says again what that build found."""
    started = time.perf_counter()
    check_output(config)
    sources = prepare.read_sources(config, report, cache.known_sources() if cache else None)
    if cache:
        cache.replace_sources((source.origin, source.status, source.file_digest) for source in sources if source.status)
    key = inputs_key(config, sources) if cache else b""
    record = same_as_last_build(config, cache, key) if cache else None
    if record is not None:
        report.merge(record.report)
        ingest.warn_suspicious_dates(report, config.build_time)
        cache.keep_prepared(source.key for source in sources)
        remember_folders(config, cache, cache.outputs(config.output_dir))
        cache.commit(None)
        publish = (keep_going or not report.errors) and not (strict and report.warnings)
        return BuildResult(record.pages, record.articles, record.stories, 0, time.perf_counter() - started,
                           publish, 0, tuple(notes) + tuple(cache.notes))
    previous = cache.outputs(config.output_dir) if cache else {}
    found = Report()  # what the content says, kept for a build of the same inputs
    record_keys: list[bytes] = []
    with write.staged_output(config.output_dir, previous) as staging:
        try:
            record, record_keys = make_site(config, found, staging, cache, jobs, progress, sources)
        except BuildError as error:  # the site is incomplete: never published, even with keep_going
            found.add(error)
        report.merge(found)
        publish = record is not None and (keep_going or not report.errors) and not (strict and report.warnings)
        if publish:
            write.publish(staging, config.output_dir, cache.folders(config.output_dir) if cache else None)
        if cache:
            if publish:
                dated = [m for m in found.messages if m.kind != "suspicious date"]  # judged again each time
                kept = dataclasses.replace(record, report=Report(dated, set(found.failed_files), list(found.skipped),
                                                                 list(found.dates)))
                cache.remember_build(config.output_dir, digest(key, config.build_time.isoformat().encode())
                                     if record.uses_clock else key, kept)
                remember_folders(config, cache, staging.outputs)
                remember_record_keys(cache, staging.outputs, record_keys)
            cache.commit((config.output_dir, staging.outputs.values()) if publish else None)
    return BuildResult(len(staging.outputs), record.articles if record else 0, record.stories if record else 0,
                       staging.bytes_written, time.perf_counter() - started, publish, staging.pages_written,
                       tuple(notes) + (tuple(cache.notes) if cache else ()))
