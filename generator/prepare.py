"""The part of the build that depends on one content file alone: read, clean (Markdown included) and
analyse each file for the whole-site stages. It runs on every core, and the build cache keeps its
result per file, so an unchanged file is neither parsed nor rendered again.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import clean, cluster, ingest, pools, search, topics
from .cache import BuildCache, FileStatus, digest, file_status, generator_fingerprint, settings_fingerprint, settled
from .config import Config
from .model import Article, replaced
from .report import BuildError, Progress, Report

FILES_PER_TASK = 16  # files sent to a worker at a time: few enough to spread the work evenly
STORE_BATCH = 256  # prepared files written to the cache at a time


@dataclass(frozen=True, slots=True)
class Prepared:
    """One file, prepared: its article (None for a draft, an empty file or one with an error), what
    reading it found, and its text's features for grouping, topics and search.

    The article is kept without its two longest texts, which no whole-site stage reads: the cleaned
    Markdown `body` (made into `body_html` and `paragraphs` already) and `body_html` itself, kept
    compressed in `html` until its page is made (`with_body`). An archive's model then fits in memory.

    The features and reading stay pickled (`analysis`) until every article is in memory (`analysed`):
    unpickled with the articles, each file's would sit among them, and the memory they leave when
    let go after grouping could not go back to the system, nor be left out of the page workers.
    """

    origin: str
    article: Article | None
    report: Report
    html: bytes = b""  # the article's body_html, UTF-8, compressed with zlib
    analysis: bytes = b""  # (cluster.ArticleFeatures, topics.Reading), pickled
    terms: bytes = b""  # search.article_terms, pickled: one object, not thousands, until the index is made


def analysed(analyses: list[bytes | None]) -> tuple[list[cluster.ArticleFeatures], list[topics.Reading]]:
    """Return the features and readings of the `analyses` (Prepared.analysis), each let go from the
    list as it is read."""
    features, readings = [], []
    for number, analysis in enumerate(analyses):
        analyses[number] = None
        found, reading = pickle.loads(analysis)
        features.append(found)
        readings.append(reading)
    return features, readings


class Spilled(Mapping[str, bytes]):
    """Byte strings by key, kept in an unnamed temporary file rather than in memory: the compressed
    bodies and search terms of an archive, which the page jobs read one at a time. Forked workers
    read the same file (os.pread moves no shared file position); it has no name, and is gone once the
    last process closes it."""

    def __init__(self, items: Iterable[tuple[str, bytes]]):
        self.file = tempfile.TemporaryFile(buffering=0)
        self.places: dict[str, tuple[int, int]] = {}
        end = 0
        for key, data in items:
            view = memoryview(data)
            while view:  # a raw write may take less than it is given
                view = view[self.file.write(view):]
            self.places[key] = (end, len(data))
            end += len(data)

    def __getitem__(self, key: str) -> bytes:
        start, size = self.places[key]
        return os.pread(self.file.fileno(), size, start)

    def __iter__(self) -> Iterator[str]:
        return iter(self.places)

    def __len__(self) -> int:
        return len(self.places)

    def close(self) -> None:
        self.file.close()


def with_shared_values(item: Prepared, shared: dict) -> Prepared:
    """Return the item with its article's provenance and authors the same objects as equal ones
    already seen. Each file's values come from their own pickle, so an archive's articles held
    thousands of copies of a few provenances (about a kilobyte each)."""
    article = item.article
    if article is None:
        return item
    provenance = shared.setdefault(article.provenance, article.provenance)
    authors = shared.setdefault(article.authors, article.authors)
    if provenance is article.provenance and authors is article.authors:
        return item
    return replaced(item, article=replaced(article, provenance=provenance, authors=authors))


def without_body(article: Article) -> tuple[Article, bytes]:
    """Return the article without its Markdown body and HTML, and the HTML compressed."""
    html = zlib.compress(article.body_html.encode("utf-8"))
    # An article without paragraphs is read from its body by the stages that need text: keep it.
    body = "" if article.paragraphs else article.body
    return replaced(article, body=body, body_html=""), html


def with_body(article: Article, html: bytes) -> Article:
    """Return the article with the HTML body `without_body` took out put back."""
    return replaced(article, body_html=zlib.decompress(html).decode("utf-8"))


@dataclass(frozen=True, slots=True)
class Source:
    """A content file to prepare: where it is, and its cache key (the file's bytes are read again when
    it is prepared, so that a build never holds the whole content folder in memory); and what the
    next build needs to know that it has not changed."""

    path: Path
    key: bytes
    origin: str = ""
    file_digest: bytes = b""  # of its bytes
    status: FileStatus | None = None  # when read, if settled: the next build may trust its digest


def source_key(recipe: bytes, origin: str, file_digest: bytes) -> bytes:
    """Return the cache key of a file's prepared value: its bytes (by digest), its path, and what it
    is made with."""
    return digest(recipe, origin.encode("utf-8", "surrogateescape"), file_digest)


def prepare_file(source: Source, config: Config, topic_map: topics.TopicMap, recipe: bytes) -> tuple[bytes, Prepared]:
    """Read, clean and analyse one file; everything it finds wrong goes into its own report. Return
    the key of the bytes it read (not the source's, if the file changed since) with the result."""
    report = Report()
    origin = ingest.shown_path(source.path, config.content_dir)
    key = source.key
    try:
        data = ingest.read_bytes(source.path, config)
        key = source_key(recipe, origin, digest(data))
        article = ingest.read_article(source.path, config, report, data)
        if article is not None:
            article = clean.clean_article(article, config, report)
    except BuildError as error:
        report.add(error)
        article = None
    if article is None or origin in report.failed_files:
        # A file with an error is never published: --keep-going builds the site without it.
        return key, Prepared(origin, None, report)
    analysis = pickle.dumps((cluster.article_features(article), topics.read_article_text(article, topic_map)),
                            protocol=pickle.HIGHEST_PROTOCOL)
    terms = pickle.dumps(search.article_terms(article), protocol=pickle.HIGHEST_PROTOCOL)
    slim, html = without_body(article)
    return key, Prepared(origin, slim, report, html, analysis, terms)


def recipe_key(config: Config) -> bytes:
    """Return the digest of what, besides a file's bytes and path, its prepared value depends on."""
    return digest(b"prepared", generator_fingerprint(), settings_fingerprint(config))


def read_sources(config: Config, report: Report,
                 known: Mapping[str, tuple[FileStatus, bytes]] | None = None) -> list[Source]:
    """Return every content file with its key; unreadable files go to the report. A file whose status
    is as `known` has it (what the last build read) is not read again: its digest is the known one."""
    if not config.content_dir.is_dir():
        report.error("content folder not found (expected a folder of .md, .markdown or .txt files)",
                     str(config.content_dir))
        return []
    known = known or {}
    recipe = recipe_key(config)
    started = time.time_ns()
    sources = []
    for path in ingest.find_content_files(config.content_dir, report):
        origin = ingest.shown_path(path, config.content_dir)
        try:
            status = file_status(os.stat(path))
            remembered = known.get(origin)
            if remembered is not None and remembered[0] == status:
                found = remembered[1]
            else:
                found = digest(ingest.read_bytes(path, config))
        except OSError as exc:
            report.error(f"cannot read file: {exc.strerror or exc}", origin)
            continue
        except BuildError as error:
            report.add(error)
            continue
        trusted = status if settled(status.mtime_ns, status.ctime_ns, started) else None
        sources.append(Source(path, source_key(recipe, origin, found), origin, found, trusted))
    return sources


def prepare_all(config: Config, report: Report, cache: BuildCache | None, jobs: int,
                progress: Progress = Progress(), sources: Sequence[Source] | None = None) -> list[Prepared]:
    """Return every content file prepared (the `sources` read already, or the content folder's), in
    the content folder's order: from the cache where it has the file, else made in `jobs` processes
    (and stored). Each file's findings join `report`."""
    if sources is None:
        sources = read_sources(config, report)
    advance = progress.task("reading", len(sources))
    known = cache.load_prepared(source.key for source in sources) if cache else {}
    advance(sum(source.key in known for source in sources))
    missing = [source for source in sources if source.key not in known]
    made: dict[bytes, Prepared] = {}
    pickled: list[tuple[bytes, bytes]] = []  # stored in the cache as the workers made them, in batches
    for source, (key, data) in zip(missing, run_prepare(missing, config, jobs, advance)):
        made[source.key] = pickle.loads(data)
        if cache:
            pickled.append((key, data))
            if len(pickled) == STORE_BATCH:
                cache.store_pickled(pickled)
                pickled.clear()
    if cache and pickled:
        cache.store_pickled(pickled)
    prepared = [known.get(source.key) or made[source.key] for source in sources]
    shared: dict = {}
    prepared = [with_shared_values(item, shared) for item in prepared]
    for item in prepared:
        report.merge(item.report)
    ingest.warn_suspicious_dates(report, config.build_time)
    return prepared


def run_prepare(sources: Sequence[Source], config: Config, jobs: int,
                advance: Callable[[int], None]) -> Iterable[tuple[bytes, bytes]]:
    """Yield the sources prepared in order, pickled, with their keys, in this process or in a pool of
    `jobs` processes."""
    context = pools.fork_context()
    if jobs <= 1 or len(sources) < 2 * FILES_PER_TASK or context is None:
        start_worker(config)
        for source in sources:
            yield prepare_in_worker(source)
            advance(1)
        return
    with context.Pool(jobs, initializer=start_pool_worker, initargs=(config,)) as pool:
        for prepared in pool.imap(prepare_in_worker, sources, chunksize=FILES_PER_TASK):
            yield prepared
            advance(1)


_worker: tuple[Config, topics.TopicMap, bytes] | None = None


def start_worker(config: Config) -> None:
    """Set up a process to prepare files: the settings, the compiled topic map and the recipe, once."""
    global _worker
    _worker = (config, topics.compile_topic_map(config.topics), recipe_key(config))


def start_pool_worker(config: Config) -> None:
    pools.leave_signals_to_parent()
    start_worker(config)


def prepare_in_worker(source: Source) -> tuple[bytes, bytes]:
    """Return the source's key and its Prepared, pickled: the pickle the pool would make to send it
    back, made here so that the build cache can store it as it is."""
    config, topic_map, recipe = _worker
    key, prepared = prepare_file(source, config, topic_map, recipe)
    return key, pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL)
