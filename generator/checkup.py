"""The content check: every file read, cleaned and grouped as a build would, nothing written, and
what an editor should look at listed per file: guessed or missing fields, lines dropped as site
noise, likely duplicates, story decisions and suspicious dates.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from . import build, clean, cluster, dates, terminal
from .config import Config
from .model import DEFAULT, FILE_NAME, FRONT_MATTER, INFERRED, Article, Story
from .report import ERROR, WARNING, Report
from .terminal import Piece

NOTE = "note"
LEVELS = (ERROR, WARNING, NOTE)
JSON_VERSION = 1
# The fields the check shows for every article, in this order; the first four are expected.
SHOWN_FIELDS = ("title", "published", "updated", "authors", "source", "source_url", "summary",
                "tags", "categories", "image")
EXPECTED_FIELDS = ("title", "published", "authors", "source")
EARLIEST_YEAR = 1990  # an earlier date is nearly always a typo or a misread number
FUTURE_SLACK = timedelta(hours=12)  # a date this far past "now" is no time zone mix-up
# Duplicates: overlapping runs of this many words ("shingles") are compared between articles.
SHINGLE_WORDS = 5
DUPLICATE_SHARE = 0.8  # this share of the shorter article's shingles found in the other: a duplicate
MIN_SHARED = 8  # fewer shared shingles prove nothing (unless that is the whole shorter article)
COMMON_SHINGLE = 50  # a shingle in more articles than this is a stock phrase, not a copy
WORD = re.compile(r"\w+")
DROPPED_WIDTH = 100  # characters of a dropped line shown in text output


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the check wants an editor to look at."""

    level: str  # ERROR, WARNING or NOTE
    kind: str  # a short label to group by: "inferred title", "duplicate", "future date", ...
    message: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two articles whose text is nearly the same: one clipping pasted twice, or syndicated copy."""

    first: str  # origins, first < second
    second: str
    overlap: float  # share of the shorter article's text found in the other, 0..1


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What the check found in one content file."""

    path: str
    article: Article | None  # None for a file with errors, a draft or an empty file
    story: Story | None
    findings: tuple[Finding, ...]
    duplicates: tuple[tuple[str, float], ...] = ()  # (other file, overlap)

    def count(self, level: str) -> int:
        return sum(finding.level == level for finding in self.findings)


@dataclass(frozen=True, slots=True)
class Checkup:
    """The whole check: every file, the stories, the duplicates and problems of no single file."""

    files: tuple[FileCheck, ...]
    stories: tuple[Story, ...]
    duplicates: tuple[Duplicate, ...]
    general: tuple[Finding, ...] = ()

    def count(self, level: str) -> int:
        return (sum(file.count(level) for file in self.files)
                + sum(finding.level == level for finding in self.general))

    @property
    def articles(self) -> int:
        return sum(file.article is not None for file in self.files)


# --- Reading ---------------------------------------------------------------------------------


def read_content(config: Config, report: Report) -> tuple[list[Article], list[Story]]:
    """Return the articles and stories a build would make, without rendering or writing anything."""
    with build.read_content(config, report) as content:
        return content.articles, content.stories


def check_content(config: Config, report: Report) -> Checkup:
    """Read the content folder as a build would and return every finding, file by file."""
    articles, stories = read_content(config, report)
    return assess(articles, stories, report, config.build_time)


def assess(articles: Sequence[Article], stories: Sequence[Story], report: Report, now: datetime) -> Checkup:
    """Return the findings about articles already read, grouped and reported on."""
    by_origin = {article.origin: article for article in articles}
    story_of = {story.id: story for story in stories}
    duplicates = find_duplicates(articles)
    twins: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for pair in duplicates:
        twins[pair.first].append((pair.second, pair.overlap))
        twins[pair.second].append((pair.first, pair.overlap))

    found: dict[str, list[Finding]] = defaultdict(list)
    general: list[Finding] = []
    for message in report.messages:
        finding = Finding(message.level, message.kind, message.text, message.line)
        if message.path:
            found[message.path].append(finding)
        else:
            general.append(finding)
    for origin in report.skipped:
        found[origin].append(Finding(NOTE, "draft", "draft: left out of the site"))

    for article in articles:
        story = story_of.get(article.story)
        found[article.origin] += date_findings(article, story, now)
        if not article.paragraphs:
            found[article.origin].append(Finding(WARNING, "no text", "the article has no text yet; "
                                                 "its page would show only the headline"))
        found[article.origin] += [
            Finding(WARNING, "duplicate", f"same text as {other} ({overlap:.0%} of the shorter one): "
                    "pasted twice, or one outlet's copy of another's; remove one or keep both on purpose")
            for other, overlap in twins[article.origin]]

    files = []
    for path in sorted(set(found) | set(by_origin)):
        article = by_origin.get(path)
        story = story_of.get(article.story) if article else None
        ordered = sorted(found[path], key=lambda f: (LEVELS.index(f.level), f.line or 0, f.message))
        files.append(FileCheck(path, article, story, tuple(ordered), tuple(twins.get(path, ()))))
    return Checkup(tuple(files), tuple(stories), tuple(duplicates), tuple(general))


# --- Findings --------------------------------------------------------------------------------


def field_origins(article: Article) -> dict[str, str]:
    """Return where each shown field came from: front matter, "line N", inferred, file name, default."""
    return {name: article.origin_of(name) for name in SHOWN_FIELDS}


def missing_fields(article: Article) -> list[str]:
    """Return the expected fields that nothing set."""
    return [name for name in EXPECTED_FIELDS if getattr(article, name) in ("", (), None)]


def date_findings(article: Article, story: Story | None, now: datetime) -> list[Finding]:
    """Return warnings about a date that is guessed, in the future, too early or out of order."""
    findings = []
    published = article.published
    where = article.origin_of("published")
    story_name = f"story '{story.title}'" if story else "its story"
    if published and where == INFERRED:
        if article.partial_date:
            month, day = article.partial_date
            findings.append(Finding(WARNING, "inferred year", (
                f"year inferred: the text names {day} {dates.MONTH_NAMES[month - 1]} without a year; "
                f"{published.year} comes from {story_name} (add a 'date' to front matter to settle it)")))
        else:
            findings.append(Finding(WARNING, "inferred date", (
                f"date inferred: the text names no date; {dates.iso(published)} is the date of "
                f"{story_name} (add a 'date' to front matter to settle it)")))
    if published and where == FILE_NAME:
        findings.append(Finding(NOTE, "date from file name", "date taken from the file name"))
    if published and published > now + FUTURE_SLACK:
        findings.append(Finding(WARNING, "future date", (
            f"date {dates.iso(published)} is in the future (now is {dates.iso(now)}); a typo in the year?")))
    if published and published.year < EARLIEST_YEAR:
        findings.append(Finding(WARNING, "early date", (
            f"date {dates.iso(published)} is before {EARLIEST_YEAR}; a misread number or a typo?")))
    if published and article.updated and article.updated < published:
        findings.append(Finding(WARNING, "updated before published", (
            f"updated {dates.iso(article.updated)} is earlier than published {dates.iso(published)}")))
    return findings


def story_decision(article: Article, story: Story | None) -> str:
    """Return how the article was grouped, in words."""
    if story is None:
        return "no story"
    others = [member.origin for member in story.articles if member.origin != article.origin]
    if article.story_key == "false":
        return "kept alone ('story: false' in front matter)"
    if article.story_key:
        reason = f"put in story '{story.id}' by front matter"
    elif others:
        reason = "joined the story"
    else:
        return "alone in its story"
    names = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    return f"{reason} '{story.title}' with {names}" if others else reason


def story_grouping(article: Article, story: Story | None) -> str:
    """Return the grouping as a stable word for JSON: front matter, similar text, alone, kept alone."""
    if story is None:
        return "none"
    if article.story_key == "false":
        return "kept alone"
    if article.story_key:
        return "front matter"
    return "similar text" if len(story.articles) > 1 else "alone"


# --- Duplicates ------------------------------------------------------------------------------


def shingles(article: Article) -> set[int]:
    """Return hashes of the article's overlapping runs of SHINGLE_WORDS words, case and punctuation ignored."""
    words = WORD.findall(" ".join(cluster.article_paragraphs(article)).casefold())
    if len(words) <= SHINGLE_WORDS:
        return {hash(" ".join(words))} if words else set()
    return {hash(" ".join(words[i:i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)}


def find_duplicates(articles: Sequence[Article]) -> list[Duplicate]:
    """Return the pairs of articles whose texts are nearly the same, most alike first.

    Each article's shingles go into one index, so the work grows with the total text, not with
    the number of pairs; only articles that share a shingle are ever counted against each other.
    """
    sets = [shingles(article) for article in articles]
    postings: dict[int, list[int]] = defaultdict(list)
    for index, found in enumerate(sets):
        for shingle in found:
            postings[shingle].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in postings.values():
        if 1 < len(holders) <= COMMON_SHINGLE:
            shared.update(combinations(holders, 2))
    pairs = []
    for (first, second), count in shared.items():
        smaller = min(len(sets[first]), len(sets[second]))
        overlap = count / smaller
        if overlap >= DUPLICATE_SHARE and count >= min(MIN_SHARED, smaller):
            names = sorted((articles[first].origin, articles[second].origin))
            pairs.append(Duplicate(names[0], names[1], round(overlap, 2)))
    return sorted(pairs, key=lambda pair: (-pair.overlap, pair.first, pair.second))


# --- Output ----------------------------------------------------------------------------------


def exit_status(checkup: Checkup, strict: bool) -> int:
    """Return 1 on errors, or on warnings with `strict`; else 0."""
    if checkup.count(ERROR) or (strict and checkup.count(WARNING)):
        return 1
    return 0


def to_json(checkup: Checkup, config: Config) -> str:
    """Return the check as JSON text with stable keys (documented in docs/commands.md)."""
    return json.dumps(check_record(checkup, config), ensure_ascii=False, indent=2) + "\n"


def check_record(checkup: Checkup, config: Config) -> dict:
    return {
        "version": JSON_VERSION,
        "content_dir": str(config.content_dir),
        "counts": {"files": len(checkup.files), "articles": checkup.articles, "stories": len(checkup.stories),
                   "errors": checkup.count(ERROR), "warnings": checkup.count(WARNING),
                   "notes": checkup.count(NOTE), "duplicates": len(checkup.duplicates)},
        "files": [file_record(file) for file in checkup.files],
        "duplicates": [{"files": [pair.first, pair.second], "overlap": pair.overlap}
                       for pair in checkup.duplicates],
        "stories": [{"id": story.id, "title": story.title, "url": story.url_path,
                     "date": dates.iso(story.published) if story.published else None,
                     "articles": [article.origin for article in story.articles]}
                    for story in checkup.stories],
        "general": [finding_record(finding) for finding in checkup.general],
    }


def file_record(file: FileCheck) -> dict:
    article = file.article
    record: dict = {"path": file.path, "article": article is not None}
    if article is not None:
        record.update({
            "kind": article.kind,
            "title": article.title,
            "date": dates.iso(article.published) if article.published else None,
            "authors": list(article.authors),
            "source": article.source or None,
            "fields": field_origins(article),
            "inferred": sorted(name for name, where in field_origins(article).items() if where == INFERRED),
            "missing": missing_fields(article),
            "paragraphs": len(article.paragraphs),
            "dropped": list(article.dropped),
            "story": None if file.story is None else {
                "id": file.story.id, "title": file.story.title,
                "grouping": story_grouping(article, file.story),
                "with": [member.origin for member in file.story.articles if member.origin != article.origin]},
        })
    record["duplicates"] = [{"path": other, "overlap": overlap} for other, overlap in file.duplicates]
    record["findings"] = [finding_record(finding) for finding in file.findings]
    return record


def finding_record(finding: Finding) -> dict:
    return {"level": finding.level, "kind": finding.kind, "line": finding.line, "message": finding.message}


# --- Text ------------------------------------------------------------------------------------

STYLES = {ERROR: "bold red", WARNING: "yellow", NOTE: "cyan"}
LABELS = {"published": "date", "source_url": "source url"}  # the names front matter uses


def describe_value(article: Article, name: str) -> str:
    value = getattr(article, name)
    if name == "published":
        if value is None and article.partial_date:
            month, day = article.partial_date
            return f"{day} {dates.MONTH_NAMES[month - 1]}, no year"
        return dates.format_datetime(value) if value else "—"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "—"
    return clean.shorten(value, 90) if value else "—"


def origin_label(where: str) -> str:
    return {DEFAULT: "missing", FRONT_MATTER: "front matter"}.get(where, where)


def text_lines(checkup: Checkup, *, verbosity: int = 0) -> list[list[Piece]]:
    """Return the check as terminal lines: per file its fields, story and findings; quiet: errors only."""
    lines: list[list[Piece]] = []
    if verbosity < 0:
        for file in checkup.files:
            lines += [finding_line(file.path, finding) for finding in file.findings if finding.level == ERROR]
        lines += [finding_line(None, finding) for finding in checkup.general if finding.level == ERROR]
        return lines
    for finding in checkup.general:
        lines.append(finding_line(None, finding))
    for file in checkup.files:
        block = file_block(file, verbose=verbosity > 0)
        if block:
            lines += block + [[("", "")]]
    lines.append([(summary_line(checkup), "bold")])
    return lines


def file_block(file: FileCheck, *, verbose: bool) -> list[list[Piece]]:
    """Return the lines about one file; nothing for an article with nothing to look at (unless verbose)."""
    article = file.article
    body: list[list[Piece]] = []
    if article is not None:
        origins = field_origins(article)
        for name in SHOWN_FIELDS:
            where = origins[name]
            flagged = where == INFERRED or (name in EXPECTED_FIELDS and where == DEFAULT)
            if flagged or (verbose and where != DEFAULT):
                style = "yellow" if flagged else "dim"
                body.append([(f"  {LABELS.get(name, name):<10} ", "bold"), (describe_value(article, name), ""),
                             (f"  [{origin_label(where)}]", style)])
        if len(file.story.articles if file.story else ()) > 1 or article.story_key or verbose:
            body.append([("  story      ", "bold"), (story_decision(article, file.story), "")])
    for finding in file.findings:
        where = f"line {finding.line}: " if finding.line else ""
        body.append([(f"  {finding.level:<10} ", STYLES[finding.level]), (where + finding.message, "")])
    if article is not None and article.dropped:
        count = len(article.dropped)
        body.append([("  dropped    ", "bold"), (f"{count} line{'s' * (count != 1)} as site noise", "dim")])
        for text in article.dropped:
            shown = text if len(text) <= DROPPED_WIDTH else text[:DROPPED_WIDTH - 1] + "…"
            body.append([("             ", ""), (shown, "dim")])
    if not body:
        return []
    kind = f"  ({article.kind}, {counted(len(article.paragraphs), 'paragraph')})" if article else ""
    return [[(file.path, "bold underline"), (kind, "dim")]] + body


def finding_line(path: str | None, finding: Finding) -> list[Piece]:
    place = f"{path}:{finding.line}: " if path and finding.line else f"{path}: " if path else ""
    return [(place, "bold"), (f"{finding.level}: ", STYLES[finding.level]), (finding.message, "")]


def summary_line(checkup: Checkup) -> str:
    """Return "checked 5 files: 5 articles in 3 stories, 0 errors, 6 warnings, 1 likely duplicate"."""
    return (f"checked {counted(len(checkup.files), 'file')}: {counted(checkup.articles, 'article')} in "
            f"{counted(len(checkup.stories), 'story', 'stories')}, {counted(checkup.count(ERROR), 'error')}, "
            f"{counted(checkup.count(WARNING), 'warning')}, "
            f"{counted(len(checkup.duplicates), 'likely duplicate')}")


def counted(number: int, word: str, words: str = "") -> str:
    return f"{number} {word if number == 1 else words or word + 's'}"


# --- The command -----------------------------------------------------------------------------


def run_check(args, config: Config, environ: dict[str, str]) -> int:
    """`broadsheet check`: report on the content, write nothing; 1 on errors (or warnings with --strict)."""
    report = Report()
    quiet_terminal = args.format == "json" or args.verbosity < 0
    with terminal.spinner("checking content…", sys.stderr,
                          enabled=not quiet_terminal and terminal.watched(sys.stderr, environ)):
        checkup = check_content(config, report)
    if args.format == "json":
        sys.stdout.write(to_json(checkup, config))
    else:
        terminal.print_lines(text_lines(checkup, verbosity=args.verbosity), sys.stdout,
                             styled=terminal.watched(sys.stdout, environ))
    return exit_status(checkup, args.strict)
