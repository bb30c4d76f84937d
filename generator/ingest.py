"""Files to Articles: finding content files, decoding bytes, and front matter in its dialects.

python-frontmatter lives here. FIELD_ALIASES is the one place that knows the names different
tools give a field (Jekyll's `excerpt`, Hugo's `lastmod`, a feed's `pubDate`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Iterator
from datetime import datetime
from itertools import accumulate, islice
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from . import dates
from .config import Config
from .model import FILE_NAME, FRONT_MATTER, Article
from .report import BuildError, Report

EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".txt": "clipping"}
BACKUP_NAME = re.compile(r"(~|\.sw[a-p]|\.bak|\.orig|\.tmp)$|^#.*#$|^\.#")

# Article field -> the front matter keys that set it, first match wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "uuid"),
    "title": ("title", "headline"),
    "published": ("date", "published", "pubdate", "pubDate", "date_published", "datePublished",
                  "publishDate", "publish_date"),
    "updated": ("lastmod", "updated", "last_modified", "modified", "dateModified", "date_modified"),
    "authors": ("authors", "author", "byline", "creator"),
    "source": ("source", "outlet", "publisher", "publication"),
    "source_url": ("source_url", "original_url", "canonical_url", "link"),
    "summary": ("summary", "excerpt", "description", "dek", "subtitle"),
    "tags": ("tags", "keywords"),
    "categories": ("categories", "category"),
    "image": ("image", "cover", "featured_image", "thumbnail"),
    "slug": ("slug", "permalink"),
    "story_key": ("story",),
    "draft": ("draft",),
}
# Keys other tools use that say nothing Broadsheet needs; they are accepted without a warning.
IGNORED_KEYS = {"layout", "comments", "toc", "weight", "aliases", "type", "lang", "language",
                "menu", "sitemap", "hidden", "share", "sharing", "featured", "math", "markup",
                "format", "excerpt_separator", "render_with_liquid", "redirect_from", "status"}
KNOWN_KEYS = {key for keys in FIELD_ALIASES.values() for key in keys} | IGNORED_KEYS
# A YAML alias can make a few lines expand into billions of values; no article needs more.
MAX_FRONT_MATTER_VALUES = 10_000
MAX_FRONT_MATTER_DEPTH = 50  # deeper, libyaml overflows the C stack and tomllib the Python one
MAX_FILE_BYTES = 20 * 1024 * 1024
# Every later stage works line by line; a file this long is a data dump or an attack, not an article.
MAX_LINES = 5_000
TOP_LEVEL_KEY = re.compile(r"^[\"']?([A-Za-z_][\w-]*)[\"']?\s*[:=]", re.MULTILINE)
# Jekyll and Hugo open front matter with exactly "---" or "+++"; a longer rule is text.
OPENING_FENCE = re.compile(r"(---|\+\+\+)[ \t]*(?:\n|$)")
FLOW_DEPTH = {"[": 1, "{": 1, "]": -1, "}": -1}
FLOW_BRACKET = re.compile(r"[\[\]{}]")
# "- - - x" and "? ? x" nest a YAML block inside the one before on the same line.
BLOCK_CHAIN = re.compile(r"^[ \t]*(?:[-?:][ \t]+){%d}" % MAX_FRONT_MATTER_DEPTH, re.MULTILINE)
# Text holds at most a stray control character; where they are common the file is an image or an archive.
# The signs are these control characters and U+FFFD, a byte Windows-1252 lacks. UTF-8 writes each
# control character as its own byte and never uses those bytes inside another character, so they
# are counted in the encoded text, much faster than a pattern can count them.
BINARY_CONTROLS = bytes([*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F])
BINARY_SAMPLE = 4096
BINARY_SHARE = 0.05
# A surrogate is a byte of a file name that is not UTF-8 (os.fsdecode); a newline would break messages.
UNSHOWABLE_NAME = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
CONTROL_CHARACTERS = dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF], " ")


class FrontMatterLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """PyYAML's safe loader, leaving timestamps as text so that dates.parse_date reads every date."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# An explicit `!!timestamp` stays text as well (PyYAML's own constructor fails on a non-date).
FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


class YamlFrontMatter(YAMLHandler):
    """YAML between `---` fences."""

    def load(self, fm: str, **kwargs: object) -> object:
        """Return the YAML's value, refusing alias bombs before PyYAML expands them."""
        loader = FrontMatterLoader(fm)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            count_nodes(node, {}, 0)
            return loader.construct_document(node)
        finally:
            loader.dispose()


class TomlFrontMatter(BaseHandler):
    """TOML between `+++` fences (Hugo), read with the standard library's tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> object:
        return tomllib.loads(fm)


HANDLERS = (YamlFrontMatter(), TomlFrontMatter())


def find_content_files(content_dir: Path, report: Report) -> Iterator[Path]:
    """Yield the content files under `content_dir` in a stable order, skipping hidden and backup files,
    and refusing (with a warning) links out of the folder or in circles, and files that are no text."""
    root = content_dir.resolve()
    for folder, subfolders, names in os.walk(content_dir, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith((".", "_")))
        for name in list(subfolders):
            path = Path(folder) / name
            if path.is_symlink():  # os.walk does not follow it; say why its files are left out
                subfolders.remove(name)
                refusal = link_refusal(path, root)
                if refusal:
                    report.warn(refusal, shown_path(path, content_dir), kind="skipped file")
        for name in sorted(names):
            if name.startswith(".") or BACKUP_NAME.search(name):
                continue
            if os.path.splitext(name)[1].lower() not in EXTENSIONS:
                continue
            path = Path(folder, name)
            origin = shown_path(path, content_dir)
            try:
                mode = os.lstat(path).st_mode
            except OSError:  # gone since the folder was listed
                continue
            refusal = link_refusal(path, root) if stat.S_ISLNK(mode) else None
            if refusal is None and UNSHOWABLE_NAME.search(origin):
                refusal = "file name has control characters or bytes that are not UTF-8; skipped (rename the file)"
                origin = repr(origin)[1:-1]  # escaped, so the message stays one printable line
            if refusal is None and not (stat.S_ISREG(mode) or path.is_file()):  # a link to a file is fine
                refusal = "not a regular file (a pipe, socket or device); skipped"
            if refusal:
                report.warn(refusal, origin, kind="skipped file")
                continue
            yield path


def link_refusal(path: Path, root: Path) -> str | None:
    """Return why a symbolic link under the content folder is skipped, or None to read it."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "symbolic link is broken or loops; skipped"
    if not target.is_relative_to(root):
        return "symbolic link points outside the content folder; skipped"
    if path.is_dir():
        if path.absolute().is_relative_to(target):
            return "symbolic link is broken or loops; skipped"
        return None  # a folder inside the content folder: its files are read where they are
    return None


def shown_path(path: Path, content_dir: Path) -> str:
    """Return the path as messages and articles.json show it: relative to the content folder."""
    text, folder = os.fspath(path), os.fspath(content_dir).rstrip(os.sep)
    if text.startswith(folder + os.sep) and os.pardir + os.sep not in text:  # the usual case, without pathlib
        return text[len(folder) + 1:].replace(os.sep, "/")
    try:
        return path.relative_to(content_dir).as_posix()
    except ValueError:
        return path.as_posix()


def read_articles(config: Config, report: Report) -> list[Article]:
    """Return every publishable article under the content folder; problems go to the report."""
    if not config.content_dir.is_dir():
        report.error("content folder not found (expected a folder of .md, .markdown or .txt files)",
                     str(config.content_dir))
        return []
    articles = []
    for path in find_content_files(config.content_dir, report):
        try:
            article = read_article(path, config, report)
        except BuildError as error:
            report.add(error)
            continue
        if article is not None:
            articles.append(article)
    return articles


def decode(data: bytes, origin: str, report: Report) -> str:
    """Return the text of a file: UTF-8 (with or without BOM), else Windows-1252 with a warning;
    raise BuildError for a binary file."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise BuildError("file contains a NUL byte: it is binary, not text (expected UTF-8 text)", origin, line)
    try:
        text, not_utf8 = data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        not_utf8 = data.count(b"\n", 0, exc.start) + 1
        text = data.decode("cp1252", errors="replace")
    sample = text[:BINARY_SAMPLE]
    controls = binary_signs(sample)
    if controls > len(sample) * BINARY_SHARE:
        raise BuildError(f"file is binary, not text: {controls:,} of its first {len(sample):,} characters are "
                         "control characters (expected UTF-8 text)", origin)
    if not_utf8:
        report.warn("not valid UTF-8; read as Windows-1252 (save the file as UTF-8 to silence this)",
                    origin, not_utf8, kind="encoding")
    if "\r" not in text:  # the usual case: one scan instead of two replacements
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def binary_signs(text: str) -> int:
    """Return how many control characters (BINARY_CONTROLS) and U+FFFD `text` holds."""
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, BINARY_CONTROLS)) + text.count("\ufffd")


def read_bytes(path: Path, config: Config) -> bytes:
    """Return the bytes of one content file; raise BuildError if it cannot be read or is too big."""
    origin = shown_path(path, config.content_dir)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BuildError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; expected an article",
                             origin)
        return path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read file: {exc.strerror or exc}", origin) from None


def read_article(path: Path, config: Config, report: Report, data: bytes | None = None) -> Article | None:
    """Return the Article in one file (whose bytes may be given), or None for a draft or an empty file;
    raise BuildError if it is bad."""
    origin = shown_path(path, config.content_dir)
    if data is None:
        data = read_bytes(path, config)
    text = decode(data, origin, report)
    line_count = text.count("\n") + (not text.endswith("\n"))
    if line_count > MAX_LINES:
        raise BuildError(f"file has {line_count:,} lines; expected an article of at most {MAX_LINES:,}", origin)
    metadata, body, body_line, lines = split_front_matter(text, origin)
    if not body.strip() and not metadata:
        report.warn("file is empty; skipped", origin, kind="skipped file")
        return None
    article = Article(
        id=metadata_id(metadata, origin),
        origin=origin,
        kind=EXTENSIONS[path.suffix.lower()],
        body=body,
        body_line=body_line,
    )
    article = apply_front_matter(article, metadata, lines, config, report)
    if article.draft:
        report.skipped.append(origin)
        return None
    if article.published is None:
        from_name = dates.date_from_filename(path.name)
        if from_name is not None:
            published = dates.parse_date(from_name, config.tz)
            report.note_date(published, origin)
            article = dataclasses.replace(article, published=published,
                                          provenance=article.with_origin("published", FILE_NAME))
    return article


def warn_suspicious_dates(report: Report, build_time: datetime) -> None:
    """Warn about each date the files named before 1900 or more than a year after the build: kept,
    but likely a typo. Run once per build, after every file (cached or not) is read."""
    for moment, origin, line in report.dates:
        reason = dates.suspicious(moment, build_time)
        if reason:
            report.warn(reason, origin, line, kind="suspicious date")


def key_lines(raw: str, offset: int = 0) -> dict[str, int]:
    """Return the file line of each top-level front matter key (`raw` starts on line 1 + offset)."""
    lines, line, counted = {}, 1 + offset, 0
    for match in TOP_LEVEL_KEY.finditer(raw):
        line += raw.count("\n", counted, match.start())  # counted on from the last key, not from the top
        counted = match.start()
        lines.setdefault(match.group(1), line)
    return lines


def split_front_matter(text: str, origin: str) -> tuple[dict, str, int, dict[str, int]]:
    """Return (front matter, body, first body line, line of each key); no front matter: all body."""
    opening = OPENING_FENCE.match(text)
    if opening is None:
        return {}, text, 1, {}
    handler = HANDLERS[0] if opening.group(1) == "---" else HANDLERS[1]
    fences = list(islice(handler.FM_BOUNDARY.finditer(text), 2))
    if len(fences) < 2:
        raise BuildError(f"front matter opened with '{handler.START_DELIMITER}' on line 1 is never closed "
                         f"(expected a closing '{handler.END_DELIMITER}' line)", origin, 1)
    raw = text[fences[0].end():fences[1].start()]
    offset = text.count("\n", 0, fences[0].end())  # file line = line in `raw` + offset
    closing = fences[1]
    body_start = text.find("\n", closing.end())
    body_start = len(text) if body_start == -1 else body_start + 1
    body_line = text.count("\n", 0, body_start) + 1
    metadata = load_front_matter(handler, raw, origin, offset)
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise BuildError(f"front matter is {type_name(metadata)}; expected 'key: value' lines", origin, offset + 2)
    check_size(metadata, origin)
    return metadata, text[body_start:], body_line, key_lines(raw, offset)


def load_front_matter(handler: BaseHandler, raw: str, origin: str, offset: int) -> object:
    """Return the parsed front matter; every way it can fail is a BuildError naming the file (and line)."""
    depth = max(accumulate(map(FLOW_DEPTH.__getitem__, FLOW_BRACKET.findall(raw))), default=0)
    chain = BLOCK_CHAIN.search(raw)
    if depth > MAX_FRONT_MATTER_DEPTH or chain:
        raise too_deep(origin)
    try:
        return handler.load(raw)
    except TooBig as exc:
        raise BuildError(str(exc), origin) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise BuildError(f"front matter is not valid YAML: {one_line(problem)}", origin,
                         mark.line + 1 + offset if mark else None) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise BuildError(f"front matter is not valid TOML: {one_line(message)}", origin,
                         int(found.group(1)) + offset if found else None) from None
    except RecursionError:
        raise too_deep(origin) from None
    except ValueError as exc:  # a value its tag cannot hold (`!!int abc`), or a number of 5,000 digits
        reason = one_line(str(exc).split(";")[0])
        raise BuildError(f"front matter has a value that cannot be read: {reason}", origin) from None


class TooBig(Exception):
    """YAML whose aliases would expand past MAX_FRONT_MATTER_VALUES, or nest past the stack."""


def count_nodes(node: yaml.Node, sizes: dict[int, int], depth: int) -> int:
    """Return how many values a YAML node expands to, aliases and `<<` merges counted each time."""
    key = id(node)
    if key in sizes:
        if sizes[key] < 0:
            raise TooBig("front matter refers to itself through a YAML alias; expected plain values")
        return sizes[key]
    if depth > MAX_FRONT_MATTER_DEPTH:
        raise TooBig(f"front matter is nested more than {MAX_FRONT_MATTER_DEPTH} levels deep; "
                     "expected plain values")
    if isinstance(node, yaml.MappingNode):
        children = [value for _, value in node.value]  # a `<<` merge's mappings are its value
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:  # a scalar, the usual node: one value, and no children to wait for
        sizes[key] = 1
        return 1
    sizes[key] = -1
    total = 1
    for child in children:
        total += count_nodes(child, sizes, depth + 1)
    if total > MAX_FRONT_MATTER_VALUES:
        raise TooBig(f"front matter expands to more than {MAX_FRONT_MATTER_VALUES:,} values "
                     "(a YAML alias bomb?); expected a few keys")
    sizes[key] = total
    return total


def too_deep(origin: str) -> BuildError:
    return BuildError(f"front matter is nested more than {MAX_FRONT_MATTER_DEPTH} levels deep; "
                      "expected plain values", origin)


def plain_text(text: str) -> str:
    """Return a front matter string on one line, without the control characters that no page shows
    and no feed may hold (XML refuses them)."""
    return " ".join(text.translate(CONTROL_CHARACTERS).split())


def quote(value: object) -> str:
    """Return a key or value quoted for a message: one line, escapes visible, at most 60 characters."""
    return one_line(repr(str(value)), 60)


def one_line(text: str, limit: int = 120) -> str:
    """Return `text` on one line and at most `limit` characters, for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def check_size(metadata: dict, origin: str) -> None:
    """Raise BuildError when the front matter nests or repeats itself past any sane size."""
    sizes: dict[int, int] = {}

    def size(value: object, depth: int) -> int:
        if not isinstance(value, (dict, list)):
            return 1
        key = id(value)
        if key in sizes:
            if sizes[key] < 0:
                raise BuildError("front matter refers to itself through a YAML alias; expected plain values",
                                 origin)
            return sizes[key]
        if depth > MAX_FRONT_MATTER_DEPTH:
            raise too_deep(origin)
        sizes[key] = -1
        children = value.values() if isinstance(value, dict) else value
        total = 1 + sum(size(child, depth + 1) for child in children)
        sizes[key] = total
        if total > MAX_FRONT_MATTER_VALUES:
            raise BuildError(f"front matter expands to more than {MAX_FRONT_MATTER_VALUES:,} values "
                             "(a YAML alias bomb?); expected a few keys", origin)
        return total

    size(metadata, 0)


def type_name(value: object) -> str:
    """Return what a front matter value is, for a message: "a list", "text", "a number"."""
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), f"a {type(value).__name__}")


def metadata_id(metadata: dict, origin: str) -> str:
    """Return the explicit id, else a stable hash of the file's path (titles and dates may change)."""
    for key in FIELD_ALIASES["id"]:
        value = metadata.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return re.sub(r"[^A-Za-z0-9._:-]+", "-", str(value).strip())[:128]
    return hashlib.sha256(origin.encode("utf-8")).hexdigest()[:16]


def apply_front_matter(article: Article, metadata: dict, lines: dict[str, int], config: Config,
                       report: Report) -> Article:
    """Return the article with every front matter field set, checked and recorded as FRONT_MATTER."""
    origin = article.origin
    found: dict[str, object] = {}
    for key in metadata:
        if key not in KNOWN_KEYS:
            report.warn(f"unknown front matter key {quote(key)} (ignored)", origin, lines.get(key),
                        kind="unknown key")
    # Jekyll's `published: false` is a flag, not a date.
    flag = metadata.get("published")
    if isinstance(flag, bool):
        metadata = {key: value for key, value in metadata.items() if key != "published"}
        if not flag:
            found["draft"] = True
    for field_name, keys in FIELD_ALIASES.items():
        for key in keys:
            if key in metadata and metadata[key] is not None and metadata[key] != "":
                try:
                    found[field_name] = coerce(field_name, metadata[key], config)
                except dates.DateError as exc:
                    raise BuildError(str(exc), origin, lines.get(key)) from None
                except TypeError as exc:
                    report.warn(f"'{key}' {exc} (ignored)", origin, lines.get(key), kind="wrong type")
                if field_name in ("published", "updated") and field_name in found:
                    report.note_date(found[field_name], origin, lines.get(key))
                break
    provenance = article.provenance
    for field_name in found:
        if field_name not in ("id", "draft", "story_key"):
            provenance += ((field_name, FRONT_MATTER),)
    return dataclasses.replace(article, provenance=provenance, **{k: v for k, v in found.items() if k != "id"})


def coerce(field_name: str, value: object, config: Config) -> object:
    """Return a front matter value as the Article field wants it; TypeError when it cannot be."""
    if field_name in ("published", "updated"):
        return dates.parse_date(value, config.tz)
    if field_name == "draft":
        if not isinstance(value, bool):
            raise TypeError(f"is {one_line(repr(value), 60)}; expected true or false")
        return value
    if field_name in ("authors", "tags", "categories"):
        return text_list(value)
    if field_name == "story_key":
        if value is False:
            return "false"
        return scalar_text(value)
    if field_name == "source_url":
        url = scalar_text(value)
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise TypeError(f"is {quote(url)}; expected an http(s) URL")
        return url
    if field_name == "slug":
        text = plain_text(unquote(scalar_text(value)))  # "..%2F..%2Fetc" hides its separators
        # A Jekyll permalink such as /news/2025/rates.html: its last segment names the page.
        segments = [s for s in re.split(r"[/\\]+", text) if s and s not in (".", "..")]
        return re.sub(r"\.html?$", "", segments[-1]) if segments else ""
    return scalar_text(value)


def scalar_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"is {type_name(value)}; expected text")
    return plain_text(str(value))


def text_list(value: object) -> tuple[str, ...]:
    """Return a list of words: a YAML/TOML list, or one comma-separated string."""
    if isinstance(value, str):
        items: list[object] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise TypeError(f"is {type_name(value)}; expected a list of words")
    words = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise TypeError(f"has {type_name(item)} in it; expected a list of words")
        word = plain_text(str(item))
        if word and word not in words:
            words.append(word)
    return tuple(words)
