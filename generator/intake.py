"""New content files: a blank article from a headline, or a pasted clipping read by the real
ingest and clean stages and saved with the front matter they found, for the editor to confirm.

Nothing here ever overwrites a file: every file is opened with mode "x".
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import checkup, clean, dates, ingest, terminal, urls
from .config import Config
from .model import CJK, DEFAULT, FRONT_MATTER, INFERRED, Article
from .report import BuildError, Message, Report
from .terminal import Piece

FILE_SLUG_LENGTH = 60  # characters of the title in a file name
SCRATCH_NAME = "clipping.txt"  # the clipping's name while the stages read it
# Characters YAML refuses, or reads as line breaks, anywhere in the file (PyYAML's reader rules).
NOT_YAML_SAFE = re.compile("[^\x09\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
QUOTED_WIDTH = 70  # characters of a clipping line quoted in a front matter comment
DROPPED_WIDTH = 100


@dataclass(frozen=True, slots=True)
class Clipping:
    """A pasted clipping as the build would read it."""

    text: str  # as pasted: line endings made "\n", a byte-order mark removed
    article: Article
    messages: tuple[Message, ...]  # warnings from the stages; lines count from the pasted text's first
    own_front_matter: bool  # the text brings its own front matter: it is saved exactly as pasted


@dataclass(frozen=True, slots=True)
class Entry:
    """One front matter line of a saved clipping: active, or a comment for the editor to settle."""

    key: str
    value: str  # YAML text; "" for a placeholder
    note: str  # the comment after it
    active: bool


# --- new ---------------------------------------------------------------------------------------


def new_article(config: Config, title: str, published: datetime, source: str = "") -> Path:
    """Write an empty article with its front matter filled in and return its path; never overwrite."""
    title = " ".join(title.split())
    if not title:
        raise BuildError('the headline is empty; expected a few words, for example: broadsheet new "Rates held"')
    local = published.astimezone(config.tz)
    lines = ["---", f"title: {yaml_text(title)}", f"date: {dates.iso(local)}"]
    if source.strip():
        lines.append(f"source: {yaml_text(' '.join(source.split()))}")
    lines += ["---", "", ""]
    path = content_path(config, title, local, ".md")
    create_file(path, "\n".join(lines))
    return path


def content_path(config: Config, title: str, published: datetime | None, suffix: str) -> Path:
    """Return content/YYYY-MM-DD-slug.suffix, or content/slug.suffix for an undated clipping."""
    slug = urls.title_slug(title, FILE_SLUG_LENGTH)
    if not slug and CJK.search(title):
        # a title in Chinese or Japanese gives no slug: a digest of it keeps a day's clippings apart
        slug = "clip-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]
    slug = slug or "untitled"
    # a dated name gives the date (ingest reads Jekyll file names), so an unknown date stays out of it
    name = f"{published:%Y-%m-%d}-{slug}{suffix}" if published else f"{slug}{suffix}"
    return config.content_dir / name


def create_file(path: Path, text: str) -> None:
    """Write a new file; raise BuildError naming it when it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise BuildError("already exists; nothing was written (edit that file, or choose another headline "
                         "or --date)", shown(path)) from None


def shown(path: Path) -> str:
    """Return the path as messages show it: relative to the working folder when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def yaml_text(value: str) -> str:
    """Return `value` as a YAML double-quoted scalar (JSON's quoting, plus YAML's own line breaks)."""
    quoted = json.dumps(value, ensure_ascii=False)
    return NOT_YAML_SAFE.sub(lambda match: f"\\u{ord(match.group()):04x}" if ord(match.group()) <= 0xFFFF
                             else f"\\U{ord(match.group()):08x}", quoted)


def comment_text(text: str) -> str:
    """Return text that is safe inside a YAML comment: one line, no characters YAML refuses."""
    return NOT_YAML_SAFE.sub(" ", text)


# --- clip --------------------------------------------------------------------------------------


def read_clipping(text: str, config: Config, source: str = "") -> Clipping:
    """Return the clipping as the ingest and clean stages read it; raise BuildError if they refuse it."""
    text = ingest.decode(text.encode("utf-8"), "standard input", Report())
    if not text.strip():
        raise BuildError("the clipping is empty; expected the text of an article (paste it, then press Ctrl-D)")
    own_front_matter = any(handler.detect(text) for handler in ingest.HANDLERS)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="broadsheet-clip-") as folder:
        path = Path(folder) / SCRATCH_NAME
        path.write_text(text, encoding="utf-8")
        scratch = dataclasses.replace(config, content_dir=Path(folder))
        article = ingest.read_article(path, scratch, report)
        if article is None:
            reason = "a draft" if report.skipped else "empty"
            raise BuildError(f"the clipping is {reason}; nothing to save")
        if source.strip() and not own_front_matter:
            # given on the command line: it is written as front matter, so the text may not change it
            article = dataclasses.replace(article, source=" ".join(source.split()),
                                          provenance=article.with_origin("source", FRONT_MATTER))
        article = clean.clean_article(article, scratch, report)
    if report.errors:
        first = report.errors[0]
        raise BuildError(first.text, None, first.line)
    return Clipping(text, article, tuple(report.warnings), own_front_matter)


def save_clipping(clipping: Clipping, config: Config) -> tuple[Path, int]:
    """Save the clipping as a new .txt file and return its path and how many lines precede the text.

    The text is kept exactly as pasted, so nothing is lost; the front matter above it holds what was
    read from the text (active) and what was guessed or not found (as comments to confirm).
    """
    article = clipping.article
    path = content_path(config, article.title or "clipping", article.published
                        if article.origin_of("published") != DEFAULT else None, ".txt")
    if clipping.own_front_matter:
        create_file(path, clipping.text if clipping.text.endswith("\n") else clipping.text + "\n")
        return path, 0
    entries = front_matter_entries(clipping)
    offset = len(entries) + 3  # the two fences and a blank line
    lines = ["---"] + [entry_line(entry, clipping.text, offset) for entry in entries] + ["---", ""]
    body = clipping.text if clipping.text.endswith("\n") else clipping.text + "\n"
    create_file(path, "\n".join(lines) + "\n" + body)
    return path, offset


def front_matter_entries(clipping: Clipping) -> list[Entry]:
    """Return the front matter of a saved clipping: title, date, authors and source always, each
    active when the text or the command line stated it, a comment when guessed or missing."""
    article = clipping.article
    entries = []

    def guessed_from(field: str) -> str:
        kind = {"title": "inferred title"}.get(field)
        line = next((message.line for message in clipping.messages
                     if message.kind == kind and message.line), None)
        return f"line {line}" if line else "the text"

    def add(key: str, field: str, value: str, missing: str) -> None:
        where = article.origin_of(field)
        if where == DEFAULT or not value:
            entries.append(Entry(key, "", missing, active=False))
        elif where == INFERRED:
            entries.append(Entry(key, value, f"guessed from {guessed_from(field)}; uncomment to confirm, "
                                 "or write your own", active=False))
        elif where == FRONT_MATTER:
            entries.append(Entry(key, value, "given on the command line", active=True))
        else:
            entries.append(Entry(key, value, f"read from {where}", active=True))

    add("title", "title", yaml_text(article.title) if article.title else "",
        "no headline found; write one here and uncomment")
    if article.published is None and article.partial_date:
        month, day = article.partial_date
        entries.append(Entry("date", f"YYYY-{month:02d}-{day:02d}", (
            f"the text names {day} {dates.MONTH_NAMES[month - 1]} without a year "
            f"({article.origin_of('partial_date')}); the build takes "
            "the year from the story it joins, or write the year and uncomment"), active=False))
    else:
        add("date", "published", dates.iso(article.published) if article.published else "",
            "no date found; write one (YYYY-MM-DD) and uncomment")
    if article.origin_of("updated") not in (DEFAULT, INFERRED) and article.updated:
        add("updated", "updated", dates.iso(article.updated), "")
    add("authors", "authors", "[" + ", ".join(yaml_text(name) for name in article.authors) + "]"
        if article.authors else "", "no byline found")
    add("source", "source", yaml_text(article.source) if article.source else "",
        "no outlet named; write it here and uncomment, or use --source")
    if article.origin_of("source_url") not in (DEFAULT, INFERRED) and article.source_url:
        add("source_url", "source_url", yaml_text(article.source_url), "")
    return entries


def entry_line(entry: Entry, text: str, offset: int) -> str:
    """Return one front matter line, its note naming (and quoting) the line of the saved file it came from."""
    note = entry.note
    found = re.search(r"line (\d+)", note)
    if found:
        number = int(found.group(1))
        pasted = text.split("\n")[number - 1] if number <= text.count("\n") + 1 else ""
        quoted = " ".join(pasted.split())
        if len(quoted) > QUOTED_WIDTH:
            quoted = quoted[:QUOTED_WIDTH - 1] + "…"
        note = note.replace(found.group(0), f"line {number + offset}: {json.dumps(quoted, ensure_ascii=False)}")
    line = f"{entry.key}: {entry.value}".rstrip()
    if not entry.active:
        line = "# " + line
    return f"{line}  # {comment_text(note)}" if note else line


def clipping_lines(clipping: Clipping, offset: int, *, verbose: bool) -> list[list[Piece]]:
    """Return what the clipping gave, for the terminal: fields and where they are, paragraphs, dropped lines."""
    article = clipping.article

    def where(field: str) -> str:
        found = article.origin_of(field)
        if field == "published" and found == DEFAULT and article.partial_date:
            found = article.origin_of("partial_date") + "; the build takes the year from the story it joins"
        number = re.match(r"line (\d+)", found)
        if number:
            return f"line {int(number.group(1)) + offset}{found[number.end():]}"
        return {DEFAULT: "not found", INFERRED: "guessed: confirm it", FRONT_MATTER: "given"}.get(found, found)

    fields = [("title", "title"), ("date", "published"), ("authors", "authors"), ("source", "source")]
    if verbose:
        fields += [("updated", "updated"), ("source url", "source_url"), ("summary", "summary")]
    lines: list[list[Piece]] = []
    for label, field in fields:
        origin = where(field)
        style = "yellow" if origin in ("not found", "guessed: confirm it") else "dim"
        if verbose or label in ("title", "date", "authors", "source"):
            lines.append([(f"  {label:<11} ", "bold"), (checkup.describe_value(article, field), ""), (f"  ({origin})", style)])
    lines.append([(f"  {'paragraphs':<11} ", "bold"), (str(len(article.paragraphs)), "")])
    count = len(article.dropped)
    lines.append([(f"  {'dropped':<11} ", "bold"),
                  (f"{count} line{'s' * (count != 1)} as site noise{':' if count else ''}", "dim")])
    for text in article.dropped:
        lines.append([(" " * 14, ""), (text if len(text) <= DROPPED_WIDTH else text[:DROPPED_WIDTH - 1] + "…",
                                       "dim")])
    if clipping.own_front_matter:
        lines.append([("  note: the clipping brings its own front matter; it was saved exactly as pasted",
                       "yellow")])
    return lines


def clipping_warnings(clipping: Clipping, path: Path, offset: int) -> list[str]:
    """Return the stages' warnings, placed at the lines of the saved file."""
    place = shown(path)
    return [f"warning: {place}:{message.line + offset}: {message.text}" if message.line
            else f"warning: {place}: {message.text}" for message in clipping.messages]


def read_input(stream) -> str:
    """Return the text on `stream`, from its bytes when it has them (undecodable UTF-8 is read as cp1252)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return ingest.decode(buffer.read(), "standard input", Report())
    return stream.read()


def read_file(path: Path) -> str:
    """Return a clipping saved in a file, as ingest decodes files."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read the clipping: {exc.strerror or exc}", str(path)) from None
    return ingest.decode(data, str(path), Report())


# --- The commands --------------------------------------------------------------------------------


def run_new(args, config: Config, environ: dict[str, str]) -> int:
    """`broadsheet new`: create the article file and print its path; 1 when it exists, 2 on bad input."""
    try:
        published = dates.parse_date(args.date, config.tz) if args.date else config.build_time
        if not urls.slugify(args.title):
            raise BuildError(f"the headline {args.title!r} has no letters or digits; expected a few words, "
                             'for example: broadsheet new "Rates held"')
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        path = new_article(config, args.title, published, args.source or "")
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.verbosity > 0:
        print(f"info: dated {dates.format_datetime(published.astimezone(config.tz))} "
              f"(site timezone {config.timezone})", file=sys.stderr)
    print(shown(path))
    return 0


def run_clip(args, config: Config, environ: dict[str, str]) -> int:
    """`broadsheet clip`: read, save and describe a clipping; 1 when it is refused or the file exists."""
    try:
        if args.from_file:
            text = read_file(args.from_file)
        else:
            if terminal.is_terminal(sys.stdin) and args.verbosity >= 0:
                print("Paste the clipping, then press Ctrl-D on a line of its own (Ctrl-Z, Enter on Windows).",
                      file=sys.stderr)
            text = read_input(sys.stdin)
        clipping = read_clipping(text, config, args.source or "")
        path, offset = save_clipping(clipping, config)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(shown(path))
    if args.verbosity >= 0:
        terminal.print_lines(clipping_lines(clipping, offset, verbose=args.verbosity > 0), sys.stdout,
                             styled=terminal.watched(sys.stdout, environ))
        for warning in clipping_warnings(clipping, path, offset):
            print(warning, file=sys.stderr)
        if args.source and clipping.own_front_matter:
            print("warning: the clipping brings its own front matter, so --source was not added; "
                  "edit its 'source' key", file=sys.stderr)
    return 0
