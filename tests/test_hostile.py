"""Hostile and broken input: every file of tests/hostile/ gets its exact message and leaves the rest
of the site built; nothing that could run reaches a page or a feed; an interrupted or failed build
leaves the previous output exactly as it was."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from generator import build, write
from generator.cli import main
from generator.config import Config
from generator.model import Page
from generator.report import Report

from conftest import BUILD_TIME

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "hostile"
EPOCH = {"SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp()))}
GOOD = ("---\ntitle: A good article\ndate: 2025-01-07\nauthor: Ana Ruiz\n---\n"
        "The bank held its main rate on Thursday, officials said.\n")
GOOD_PAGE = "2025/01/07/a-good-article/index.html"
SECONDS_PER_FILE = 2.0  # a build of one hostile file and one good one; the worst took 20 s to minutes

# Each file of tests/hostile/: what the report says about it (as the CLI prints it, errors first),
# and its own page, or None when it is left out.
EXPECTED: dict[str, tuple[list[str], str | None]] = {
    # Front matter
    "front_matter_malformed_yaml.md": (
        ["error: front_matter_malformed_yaml.md:4: front matter is not valid YAML: did not find expected ',' or ']'"],
        None),
    "front_matter_malformed_toml.md": (
        ["error: front_matter_malformed_toml.md:3: front matter is not valid TOML: Invalid value"], None),
    "front_matter_never_closed.md": (
        ["error: front_matter_never_closed.md:1: front matter opened with '---' on line 1 is never closed "
         "(expected a closing '---' line)"], None),
    "front_matter_is_a_list.md": (
        ["error: front_matter_is_a_list.md:2: front matter is a list; expected 'key: value' lines"], None),
    "front_matter_is_a_scalar.md": (
        ["error: front_matter_is_a_scalar.md:2: front matter is text; expected 'key: value' lines"], None),
    "tags_as_a_number.md": (
        ["warning: tags_as_a_number.md:4: 'tags' is a number; expected a list of words (ignored)"],
        "2025/01/02/tags-as-a-number/index.html"),
    "tags_as_a_mapping.md": (
        ["warning: tags_as_a_mapping.md:4: 'tags' is a mapping; expected a list of words (ignored)"],
        "2025/01/02/tags-as-a-mapping/index.html"),
    "title_as_a_list.md": (
        ["warning: title_as_a_list.md:2: 'title' is a list; expected text (ignored)",
         "warning: title_as_a_list.md:5: no headline line; title inferred from the first paragraph "
         "(expected a short first line or a 'title' in front matter)"],
        "2025/01/02/title-as-a-list/index.html"),
    "date_that_does_not_exist.md": (
        ["error: date_that_does_not_exist.md:3: date '2026-02-30' is not a date "
         "(day is out of range for month; expected YYYY-MM-DD or ISO 8601)"], None),
    "date_far_in_the_past.md": (
        ["warning: date_far_in_the_past.md:3: date 1066-10-14 is before 1900 (check the year)"],
        "1066/10/14/hastings/index.html"),
    "date_far_in_the_future.md": (
        ["warning: date_far_in_the_future.md:3: date 2205-01-02 is more than a year after the build time, "
         "2026-01-01 (check the year)"],
        "2205/01/02/typo-in-the-year/index.html"),
    "date_year_out_of_range.md": (
        ["error: date_year_out_of_range.md:3: date '0001-01-01T00:00:00+05:00' is not a date "
         "(year 1 is out of range; expected YYYY-MM-DD or ISO 8601)"], None),
    "yaml_alias_bomb.md": (
        ["error: yaml_alias_bomb.md: front matter expands to more than 10,000 values (a YAML alias bomb?); "
         "expected a few keys"], None),
    "yaml_merge_key_bomb.md": (
        ["error: yaml_merge_key_bomb.md: front matter expands to more than 10,000 values (a YAML alias bomb?); "
         "expected a few keys"], None),
    "yaml_alias_to_itself.md": (
        ["error: yaml_alias_to_itself.md: front matter refers to itself through a YAML alias; expected plain values"],
        None),
    "yaml_nested_30000_deep.md": (  # libyaml overflowed the C stack: the whole build died (SIGSEGV)
        ["error: yaml_nested_30000_deep.md: front matter is nested more than 50 levels deep; expected plain values"],
        None),
    "yaml_block_sequence_chain.md": (
        ["error: yaml_block_sequence_chain.md: front matter is nested more than 50 levels deep; "
         "expected plain values"], None),
    "toml_nested_5000_deep.md": (
        ["error: toml_nested_5000_deep.md: front matter is nested more than 50 levels deep; expected plain values"],
        None),
    "yaml_python_object_tag.md": (
        ["error: yaml_python_object_tag.md:2: front matter is not valid YAML: could not determine a constructor "
         "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"], None),
    "yaml_number_with_5000_digits.md": (
        ["error: yaml_number_with_5000_digits.md: front matter has a value that cannot be read: Exceeds the limit "
         "(4300 digits) for integer string conversion: value has 5000 digits"], None),
    "source_url_javascript.md": (
        ["warning: source_url_javascript.md:4: 'source_url' is 'javascript:alert(document.cookie)'; "
         "expected an http(s) URL (ignored)"],
        "2025/01/02/click-me/index.html"),
    "unknown_key_with_newline.md": (
        ["warning: unknown_key_with_newline.md: unknown front matter key 'sneaky\\nkey' (ignored)"],
        "2025/01/02/odd-key/index.html"),
    "title_with_control_characters.md": ([], "2025/01/02/bell-and-nul/index.html"),
    # Bytes
    "empty.md": (["warning: empty.md: file is empty; skipped"], None),
    "whitespace_only.txt": (["warning: whitespace_only.txt: file is empty; skipped"], None),
    "nul_byte_in_text.txt": (
        ["error: nul_byte_in_text.txt:2: file contains a NUL byte: it is binary, not text (expected UTF-8 text)"],
        None),
    "binary_png_named_md.md": (
        ["error: binary_png_named_md.md:3: file contains a NUL byte: it is binary, not text (expected UTF-8 text)"],
        None),
    "binary_without_nul.txt": (
        ["error: binary_without_nul.txt: file is binary, not text: 512 of its first 4,080 characters are control "
         "characters (expected UTF-8 text)"], None),
    "invalid_utf8.txt": (
        ["warning: invalid_utf8.txt:1: not valid UTF-8; read as Windows-1252 (save the file as UTF-8 to silence this)"],
        "2025/01/02/cafe-prices-rise/index.html"),
    "too_many_lines.txt": (
        ["error: too_many_lines.txt: file has 5,001 lines; expected an article of at most 5,000"], None),
    "clipping_starting_with_a_rule.txt": (
        ["warning: clipping_starting_with_a_rule.txt:4: no headline line; title inferred from the first paragraph "
         "(expected a short first line or a 'title' in front matter)"],
        "2025/01/02/clipping-starting-with-a-rule/index.html"),
    # Markdown that Python-Markdown would recurse into or take minutes over: refused, the text kept
    "markdown_quote_nesting_bomb.md": (
        ["error: markdown_quote_nesting_bomb.md:7: Markdown nested more than 40 levels deep (quotes or lists); "
         "expected an article"], None),
    "markdown_list_nesting_bomb.md": (
        ["error: markdown_list_nesting_bomb.md:47: Markdown nested more than 40 levels deep (quotes or lists); "
         "expected an article"], None),
    "markdown_definition_nesting_bomb.md": (
        ["error: markdown_definition_nesting_bomb.md:88: Markdown nested more than 40 levels deep (quotes or lists); "
         "expected an article"], None),
    "markdown_bracket_bomb.md": (
        ["error: markdown_bracket_bomb.md:7: Markdown '[' or '](' is left open or nested too deep to render in time; "
         "expected an article (write \\[ for a literal bracket)"], None),
    "markdown_open_bracket_run.md": (
        ["error: markdown_open_bracket_run.md:7: Markdown '[' or '](' is left open or nested too deep to render in "
         "time; expected an article (write \\[ for a literal bracket)"], None),
    "markdown_unclosed_link_targets.md": (
        ["error: markdown_unclosed_link_targets.md:7: Markdown '[' or '](' is left open or nested too deep to render "
         "in time; expected an article (write \\[ for a literal bracket)"],
        None),
    "markdown_star_line.md": (
        ["error: markdown_star_line.md:5: Markdown has 30,000 markup characters (\\ ` * _ [ < & |); "
         "expected at most 10,000 in an article"], None),
    "markdown_tag_soup.md": (
        ["error: markdown_tag_soup.md:7: Markdown '<' starts HTML tags that never close with '>'; "
         "expected an article (write &lt; for a literal '<')"], None),
    "markdown_footnote_referenced_600_times.md": (
        ["error: markdown_footnote_referenced_600_times.md:5: Markdown refers to footnote '[^1]' 600 times; "
         "expected at most 500"], None),
    "markdown_block_of_600_lines.md": (
        ["error: markdown_block_of_600_lines.md:7: Markdown block of 600 lines without a blank line; expected at "
         "most 500 (separate paragraphs with a blank line)"], None),
    "markdown_nested_html_blocks.md": (  # Python-Markdown hits the recursion limit
        ["error: markdown_nested_html_blocks.md:5: Markdown nested too deeply to render; expected an article"],
        None),
    "markdown_horizontal_rule_of_60_dashes.md": ([], "2025/01/02/a-rule/index.html"),
    # Names: every page lands in its date folder, under a slug without separators or reserved names
    "slug_with_dot_segments.md": ([], "2025/01/03/passwd/index.html"),
    "permalink_absolute.md": ([], "2025/01/03/evil/index.html"),
    "slug_with_backslashes.md": ([], "2025/01/03/system32/index.html"),
    "slug_url_encoded.md": ([], "2025/01/03/encoded/index.html"),
    "slug_reserved_index.md": ([], "2025/01/03/reserved-index/index.html"),
    "slug_reserved_feed_xml.md": ([], "2025/01/03/reserved-feed/index.html"),
    "slug_reserved_articles_json.md": ([], "2025/01/03/reserved-data/index.html"),
    "slug_reserved_404.md": ([], "2025/01/03/reserved-not-found/index.html"),
    "slug_collision_first.md": ([], "2025/01/04/same-slug/index.html"),
    "slug_collision_second.md": ([], "2025/01/04/same-slug/index.html"),  # alone it has the slug to itself
    # Markup in fields and bodies: escaped or sanitised, checked by test_no_page_or_feed_can_run_a_script
    "title_with_html.md": ([], "2025/01/05/script-alert-1-script-b-bold-b-quoted/index.html"),
    "author_with_html_and_quotes.md": ([], "2025/01/05/author-markup/index.html"),
    "tags_with_html.md": ([], "2025/01/05/tag-markup/index.html"),
    "summary_with_html.md": ([], "2025/01/05/summary-markup/index.html"),
    "title_with_emoji_and_right_to_left_text.md": ([], "2025/01/05/gnp-exe/index.html"),
    "title_of_5000_characters.md": (
        [], "2025/01/05/longwordlongwordlongwordlongwordlongwordlongwordlongwordlongwordlongwordlongword/index.html"),
    "body_script.md": ([], "2025/01/06/body-script/index.html"),
    "body_iframe.md": ([], "2025/01/06/body-iframe/index.html"),
    "body_style.md": ([], "2025/01/06/body-style/index.html"),
    "body_event_handlers.md": ([], "2025/01/06/body-handlers/index.html"),
    "body_javascript_urls.md": ([], "2025/01/06/body-javascript/index.html"),
    "body_data_urls.md": ([], "2025/01/06/body-data/index.html"),
    "body_tricks.md": ([], "2025/01/06/body-tricks/index.html"),
    "clipping_with_script.txt": ([], "2025/01/02/clipping-with-markup/index.html"),
}
HOSTILE_FILES = sorted(path.name for path in HOSTILE.iterdir())


def make_config(root: Path, **settings) -> Config:
    return Config(title="Hostile", base_url="https://example.org/hostile/", build_time=BUILD_TIME, root=root,
                  path=root / "site.toml", content_dir=root / "content", output_dir=root / "public", **settings)


def build_site(root: Path, files: dict[str, str | bytes], **settings) -> tuple[Config, Report, build.BuildResult]:
    """Write `files` (and the good article) into root/content and build it with --keep-going."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    for name, data in {"good.md": GOOD, **files}.items():
        path = content / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    config = make_config(root, **settings)
    report = Report()
    return config, report, build.build(config, report, keep_going=True)


def report_lines(report: Report, path: str | None = None) -> list[str]:
    """The report as the CLI prints it, for one file or all."""
    return ([f"error: {m}" for m in report.errors if path is None or m.path == path]
            + [f"warning: {m}" for m in report.warnings if path is None or m.path == path])


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Temporary folders a build left beside its output."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".public-"))


def test_every_hostile_file_has_its_expectation():
    assert HOSTILE_FILES, "tests/hostile/ is empty"
    assert sorted(EXPECTED) == HOSTILE_FILES


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_hostile_file_gets_its_exact_message_and_the_site_still_builds(name, tmp_path):
    messages, page = EXPECTED[name]
    started = time.perf_counter()
    config, report, result = build_site(tmp_path, {name: (HOSTILE / name).read_bytes()})
    assert time.perf_counter() - started < SECONDS_PER_FILE
    assert report_lines(report) == messages
    assert result.written
    assert "A good article" in (config.output_dir / GOOD_PAGE).read_text(encoding="utf-8")
    articles = json.loads((config.output_dir / "articles.json").read_text(encoding="utf-8"))["articles"]
    assert {record["origin"]: record["path"] + "index.html" for record in articles} == (
        {"good.md": GOOD_PAGE, **({name: page} if page else {})})
    if page:
        assert (config.output_dir / page).is_file()


def test_colliding_slugs_both_survive_under_distinct_urls_every_time(tmp_path):
    files = {name: (HOSTILE / name).read_bytes() for name in ("slug_collision_second.md", "slug_collision_first.md")}
    paths = []
    for attempt in ("one", "two"):
        config, report, result = build_site(tmp_path / attempt, files)
        assert report_lines(report) == [
            "warning: slug_collision_second.md: URL /2025/01/04/same-slug/ is taken by slug_collision_first.md; "
            "this article is at /2025/01/04/same-slug-2/"]
        articles = json.loads((config.output_dir / "articles.json").read_text(encoding="utf-8"))["articles"]
        paths.append({record["origin"]: record["path"] for record in articles})
    assert paths[0] == paths[1] == {"good.md": "2025/01/07/a-good-article/",
                                    "slug_collision_first.md": "2025/01/04/same-slug/",
                                    "slug_collision_second.md": "2025/01/04/same-slug-2/"}


def test_a_several_megabyte_paragraph_builds_in_linear_time(tmp_path):
    paragraph = " ".join(f"word{n % 1000}" for n in range(500_000))  # 3.9 MB, one line
    started = time.perf_counter()
    config, report, result = build_site(tmp_path, {"huge_paragraph.txt": f"Huge paragraph\n{paragraph}\n",
                                                   "huge_paragraph.md": f"---\ntitle: Huge\n---\n{paragraph}\n"})
    assert time.perf_counter() - started < 30
    assert result.written
    assert report.errors == []
    for page in ("undated/huge/index.html", "undated/huge-paragraph/index.html"):
        assert (config.output_dir / page).stat().st_size > len(paragraph)


def test_a_long_paragraph_dense_with_markup_is_refused_and_left_out(tmp_path):
    paragraph = "&amp; " * 9_000 + "word " * 40_000  # each of 9,000 entities would copy the whole paragraph
    text = f"---\ntitle: Dense\ndate: 2025-01-02\n---\n{paragraph}\n"
    config, report, result = build_site(tmp_path, {"dense.md": text})
    assert report_lines(report) == [
        "error: dense.md:5: Markdown paragraph of 253,999 characters has too many markup characters "
        "(\\ ` * _ [ < & |) to render in time; expected an article"]
    assert result.written  # build_site builds with --keep-going: the refused file is left out
    assert not (config.output_dir / "2025/01/02/dense").exists()


# --- Symbolic links, pipes and file names, which a repository cannot hold --------------------


def test_symbolic_links_out_of_the_content_folder_or_in_circles_are_refused(tmp_path):
    content = tmp_path / "content"
    (content / "real").mkdir(parents=True)
    (content / "real" / "inside.md").write_text("---\ntitle: Inside\ndate: 2025-01-08\n---\nText.\n")
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "passwords.md").write_text("---\ntitle: Secret\n---\nhunter2\n")
    os.symlink(secrets / "passwords.md", content / "outside.md")
    os.symlink(secrets, content / "outside_folder")
    os.symlink(content / "loop.md", content / "loop.md")
    os.symlink(content, content / "loop_folder")
    os.symlink(content / "real", content / "real_link")
    os.symlink(tmp_path / "missing.md", content / "broken.md")
    config, report, result = build_site(tmp_path, {})
    assert report_lines(report) == [
        "warning: broken.md: symbolic link is broken or loops; skipped",
        "warning: loop.md: symbolic link is broken or loops; skipped",
        "warning: loop_folder: symbolic link is broken or loops; skipped",
        "warning: outside.md: symbolic link points outside the content folder; skipped",
        "warning: outside_folder: symbolic link points outside the content folder; skipped",
    ]
    site = b"".join(tree(config.output_dir).values())
    assert b"hunter2" not in site and b"Secret" not in site
    origins = {record["origin"] for record in
               json.loads((config.output_dir / "articles.json").read_text(encoding="utf-8"))["articles"]}
    assert origins == {"good.md", "real/inside.md"}  # read where it is, not again through real_link


def test_a_named_pipe_is_skipped_instead_of_hanging_the_build(tmp_path):
    (tmp_path / "content").mkdir()
    os.mkfifo(tmp_path / "content" / "pipe.md")
    config, report, result = build_site(tmp_path, {})
    assert report_lines(report) == ["warning: pipe.md: not a regular file (a pipe, socket or device); skipped"]
    assert result.written


def test_file_names_that_cannot_be_shown_are_skipped(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    with open(os.path.join(os.fsencode(content), b"latin1-caf\xe9.md"), "w", encoding="utf-8") as file:
        file.write("Text.\n")
    (content / "new\nline.md").write_text("Text.\n", encoding="utf-8")
    config, report, result = build_site(tmp_path, {})
    assert report_lines(report) == [
        "warning: latin1-caf\\udce9.md: file name has control characters or bytes that are not UTF-8; "
        "skipped (rename the file)",
        "warning: new\\nline.md: file name has control characters or bytes that are not UTF-8; "
        "skipped (rename the file)",
    ]
    assert result.written


# --- Nothing that runs reaches a page or a feed -------------------------------------------------


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "cite", "srcset",
                  "xlink:href", "longdesc", "manifest", "ping", "lowsrc", "dynsrc", "codebase"}
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "svg", "math"}
DATA_SCRIPTS = {"application/ld+json", "application/json"}  # data for machines, never run
RUNNABLE_SCHEMES = ("javascript:", "vbscript:", "data:")


def url_scheme_text(value: str) -> str:
    """Return a URL as a browser reads its scheme: trimmed, tabs and newlines dropped, lower case."""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()


class RunnableFinder(HTMLParser):
    """Lists what in an HTML document could run: scripts, handlers, script URLs, embedded documents."""

    def __init__(self, where: str, own_scripts: set[str]):
        super().__init__(convert_charrefs=True)  # attribute values arrive with entities decoded
        self.where, self.own_scripts, self.found, self.script = where, own_scripts, [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.found.append(f"{self.where}: <{tag} {name}>")
            elif name == "style":
                self.found.append(f"{self.where}: <{tag} style>")
            elif name in URL_ATTRIBUTES and url_scheme_text(value).startswith(RUNNABLE_SCHEMES):
                self.found.append(f"{self.where}: <{tag} {name}={value[:30]!r}>")
        if tag in EMBEDDING or (tag == "meta" and values.get("http-equiv", "").lower() == "refresh"):
            self.found.append(f"{self.where}: <{tag}>")
        if tag == "script":
            self.script = values.get("type", "").lower()
            if self.script not in DATA_SCRIPTS and values.get("src", "").rsplit("/", 1)[-1] not in self.own_scripts:
                self.found.append(f"{self.where}: <script {values}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None and self.script not in DATA_SCRIPTS and data.strip():
            self.found.append(f"{self.where}: inline script {data.strip()[:30]!r}")


def runnable_in_html(text: str, where: str, own_scripts: set[str]) -> list[str]:
    finder = RunnableFinder(where, own_scripts)
    finder.feed(text)
    finder.close()
    return finder.found


def runnable_in_site(public: Path) -> list[str]:
    """Return everything in a built site that a browser or feed reader could run, parsed, not grepped."""
    own_scripts = {path.name for path in (public / "static").glob("*.js")}
    found: list[str] = []
    for path in sorted(public.rglob("*")):
        where = path.relative_to(public).as_posix()
        if not path.is_file() or where.startswith("static/"):
            continue  # the layouts' own assets
        if path.suffix == ".html":
            found += runnable_in_html(path.read_text(encoding="utf-8"), where, own_scripts)
        elif path.suffix == ".xml":
            for element in etree.fromstring(path.read_bytes()).iter():
                if not isinstance(element.tag, str):
                    continue
                name = etree.QName(element).localname
                parent = element.getparent()
                for attribute, value in element.attrib.items():
                    if url_scheme_text(value).startswith(RUNNABLE_SCHEMES):
                        found.append(f"{where}: <{name} {attribute}>")
                # HTML in feeds: RSS channel and item description, content:encoded, Atom text constructs of
                # type html
                in_rss = parent is not None and etree.QName(parent).localname in ("channel", "item")
                if element.text and ((name in ("description", "encoded") and in_rss)
                                      or element.get("type") in ("html", "xhtml")):
                    found += runnable_in_html(element.text, f"{where} <{name}>", own_scripts)
                elif element.text and url_scheme_text(element.text).startswith(RUNNABLE_SCHEMES[:2]):
                    found.append(f"{where}: <{name}> {element.text[:30]!r}")
        elif path.suffix == ".json":
            found += runnable_in_json(json.loads(path.read_text(encoding="utf-8")), where, own_scripts)
    return found


def runnable_in_json(value: object, where: str, own_scripts: set[str], key: str = "") -> list[str]:
    """JSON Feed's content_html is HTML; any field that is a URL must not be a script URL."""
    if isinstance(value, dict):
        return [found for name, item in value.items() for found in runnable_in_json(item, where, own_scripts, name)]
    if isinstance(value, list):
        return [found for item in value for found in runnable_in_json(item, where, own_scripts, key)]
    if isinstance(value, str):
        if key == "content_html":
            return runnable_in_html(value, f"{where} {key}", own_scripts)
        if url_scheme_text(value).startswith(RUNNABLE_SCHEMES[:2]) or (
                (key.endswith("url") or key in ("image", "icon", "favicon", "banner_image"))
                and url_scheme_text(value).startswith(RUNNABLE_SCHEMES)):
            return [f"{where} {key}: {value[:30]!r}"]
    return []


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    """The whole hostile corpus built together, with --keep-going."""
    root = tmp_path_factory.mktemp("corpus")
    return build_site(root, {name: (HOSTILE / name).read_bytes() for name in HOSTILE_FILES})


def test_no_page_or_feed_can_run_a_script(corpus_site):
    config, report, result = corpus_site
    assert result.written
    assert runnable_in_site(config.output_dir) == []


def test_the_check_finds_what_runs_when_the_site_allows_raw_html(tmp_path):
    files = {name: (HOSTILE / name).read_bytes() for name in HOSTILE_FILES if name.startswith("body_")}
    config, report, result = build_site(tmp_path, files, unsafe_html=True)
    found = runnable_in_site(config.output_dir)
    for expected in ("2025/01/06/body-script/index.html: inline script 'alert(1)'",
                     "2025/01/06/body-handlers/index.html: <img onerror>",
                     "2025/01/06/body-iframe/index.html: <iframe>",
                     "2025/01/06/body-javascript/index.html: <a href='javascript:alert(1)'>",
                     "2025/01/06/body-data/index.html: <object>",
                     "2025/01/06/body-style/index.html: <style>"):
        assert expected in found


def test_a_javascript_source_url_never_becomes_a_link(corpus_site):
    config, _, _ = corpus_site
    page = (config.output_dir / "2025/01/02/click-me/index.html").read_text(encoding="utf-8")
    assert "javascript:" not in page


def test_markup_in_titles_names_tags_and_summaries_is_shown_as_text(corpus_site):
    config, _, _ = corpus_site
    page = (config.output_dir / EXPECTED["title_with_html.md"][1]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &#34;quoted&#34;" in page
    page = (config.output_dir / EXPECTED["author_with_html_and_quotes.md"][1]).read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt; O&#39;Brien &#34;Jr&#34;" in page
    page = (config.output_dir / EXPECTED["title_with_emoji_and_right_to_left_text.md"][1]).read_text(encoding="utf-8")
    assert "\U0001F4F0 \u0627\u0644\u0623\u062e\u0628\u0627\u0631 \u202egnp.exe\u202c \u05e9\u05dc\u05d5\u05dd" in page
    page = (config.output_dir / EXPECTED["title_of_5000_characters.md"][1]).read_text(encoding="utf-8")
    assert "Longword" * 625 in page
    page = (config.output_dir / EXPECTED["clipping_with_script.txt"][1]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; The bank held rates" in page


def test_control_characters_in_front_matter_never_reach_the_xml_feeds(corpus_site):
    config, _, _ = corpus_site
    for feed in ("feed.xml", "atom.xml"):
        etree.fromstring((config.output_dir / feed).read_bytes())  # raises on a control character
    assert "Bell and NUL" in (config.output_dir / EXPECTED["title_with_control_characters.md"][1]).read_text()


# --- Whole builds: default, --keep-going, twice, interrupted, failing ----------------------------


@pytest.fixture
def corpus_project(tmp_path) -> Path:
    """A project whose content/ is the hostile corpus plus the good article, with a previous build."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "site.toml").write_text('title = "Hostile"\nbase_url = "https://example.org/hostile/"\n',
                                        encoding="utf-8")
    shutil.copytree(HOSTILE, project / "content")
    (project / "content" / "good.md").write_text(GOOD, encoding="utf-8")
    previous = project / "public"
    previous.mkdir()
    (previous / "index.html").write_text("the previous build\n", encoding="utf-8")
    return project


def run_cli(project: Path, *args: str) -> int:
    return main(["build", "--config", str(project / "site.toml"), *args], environ=EPOCH)


def all_expected(level: str) -> list[str]:
    return sorted(line for messages, _ in EXPECTED.values() for line in messages if line.startswith(level))


def test_the_default_build_fails_listing_every_error_and_keeps_the_previous_output(corpus_project, capsys):
    before = tree(corpus_project / "public")
    assert run_cli(corpus_project) == 1
    stderr = capsys.readouterr().err.splitlines()
    assert [line for line in stderr if line.startswith("error: ")] == all_expected("error: ")
    assert stderr[-1].startswith("not built: ")
    assert tree(corpus_project / "public") == before
    assert leftovers(corpus_project) == []


def test_keep_going_publishes_without_the_files_that_could_not_be_read(corpus_project, capsys):
    assert run_cli(corpus_project, "--keep-going") == 0
    stderr = capsys.readouterr().err.splitlines()
    assert [line for line in stderr if line.startswith(("error: ", "warning: ")) and "same-slug" not in line] == (
        all_expected("error: ") + all_expected("warning: "))
    records = json.loads((corpus_project / "public" / "articles.json").read_text(encoding="utf-8"))["articles"]
    unread = {name for name, (messages, page) in EXPECTED.items() if page is None}
    assert {record["origin"] for record in records} & unread == set()
    assert (corpus_project / "public" / GOOD_PAGE).is_file()


def test_keep_going_publishes_without_any_file_that_had_an_error(corpus_project, capsys):
    assert run_cli(corpus_project, "--keep-going") == 0
    records = json.loads((corpus_project / "public" / "articles.json").read_text(encoding="utf-8"))["articles"]
    failed = {name for name, (messages, _) in EXPECTED.items() if any(m.startswith("error: ") for m in messages)}
    assert {record["origin"] for record in records} & failed == set()


def test_two_builds_of_the_hostile_corpus_are_byte_identical(corpus_project, tmp_path, capsys):
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli(corpus_project, "--keep-going", "--output", str(first)) == 0
    assert run_cli(corpus_project, "--keep-going", "--output", str(second)) == 0
    assert tree(first) == tree(second)


@pytest.mark.parametrize("where", ["home", "above home", "content", "project", "a file"])
def test_dangerous_output_folders_are_refused_from_the_command_line(where, corpus_project, tmp_path, monkeypatch,
                                                                    capsys):
    home = tmp_path / "users" / "ana"
    home.mkdir(parents=True)
    (home / "letter.txt").write_text("keep me", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    target = {"home": home, "above home": home.parent, "content": corpus_project / "content",
              "project": corpus_project, "a file": corpus_project / "site.toml"}[where]
    before = tree(tmp_path)
    assert run_cli(corpus_project, "--keep-going", "--output", str(target)) == 1
    reason = {"home": "it would replace your home folder", "above home": "it would replace your home folder",
              "content": f"it holds {(corpus_project / 'content').resolve()}",
              "project": f"it holds {(corpus_project / 'content').resolve()}",
              "a file": "it is a file, not a folder"}[where]
    assert capsys.readouterr().err == f"error: refusing to use {target} as the output folder: {reason}\n"
    assert tree(tmp_path) == before


def test_a_template_error_leaves_the_previous_output_as_it_was(corpus_project, capsys):
    layouts = corpus_project / "layouts"
    layouts.mkdir()
    (layouts / "article.html").write_text("{{ article.no_such_field }}\n", encoding="utf-8")
    (corpus_project / "site.toml").write_text('title = "Hostile"\nbase_url = "https://example.org/hostile/"\n'
                                              'layouts_dir = "layouts"\n', encoding="utf-8")
    before = tree(corpus_project / "public")
    assert run_cli(corpus_project, "--keep-going") == 1
    assert "template 'article.html' uses an undefined value" in capsys.readouterr().err
    assert tree(corpus_project / "public") == before
    assert leftovers(corpus_project) == []


def test_an_exception_inside_a_template_leaves_the_previous_output_as_it_was(tmp_path):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "article.html").write_text("{{ 1 // 0 }}\n", encoding="utf-8")
    previous = tmp_path / "public"
    previous.mkdir()
    (previous / "index.html").write_text("the previous build\n", encoding="utf-8")
    with pytest.raises(ZeroDivisionError):  # a bug, not bad input: it keeps its traceback
        build_site(tmp_path, {}, layouts_dir=layouts)
    assert tree(previous) == {"index.html": b"the previous build\n"}
    assert leftovers(tmp_path) == []


def test_an_interrupt_while_writing_removes_the_new_folder_and_keeps_the_old(tmp_path, monkeypatch):
    previous = tmp_path / "public"
    previous.mkdir()
    (previous / "index.html").write_text("the previous build\n", encoding="utf-8")
    pages = [Page(PurePosixPath(f"{number}/index.html"), f"page {number}") for number in range(10)]
    placed = 0

    def interrupted_put(self, page, recipe=b""):
        nonlocal placed
        placed += 1
        if placed == len(pages) // 2:
            raise KeyboardInterrupt
        return original(self, page, recipe)

    original = write.Placer.put
    monkeypatch.setattr(write.Placer, "put", interrupted_put)
    with pytest.raises(KeyboardInterrupt):
        write.write_site(pages, previous)
    assert tree(previous) == {"index.html": b"the previous build\n"}
    assert leftovers(tmp_path) == []


def test_sigterm_unwinds_a_build_like_ctrl_c(tmp_path, monkeypatch, capsys):
    (tmp_path / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "good.md").write_text(GOOD, encoding="utf-8")

    def terminated_build(config, report, **options):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
        raise AssertionError("SIGTERM did not interrupt the build")

    monkeypatch.setattr(build, "build", terminated_build)
    before = signal.getsignal(signal.SIGTERM)
    assert main(["build", "--config", str(tmp_path / "site.toml")], environ=EPOCH) == 143
    assert capsys.readouterr().err == "terminated: the previous output is untouched\n"
    assert signal.getsignal(signal.SIGTERM) == before


def write_big_corpus(content: Path, count: int) -> None:
    content.mkdir()
    words = ("trade", "tariff", "summit", "rates", "bank", "soybeans", "chips", "energy", "talks", "minister")
    for number in range(count):
        topic = " ".join(words[(number + k) % len(words)] for k in range(3))
        text = " ".join(f"{words[(number * k) % len(words)]}{k}" for k in range(400))
        (content / f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}-story-{number}.md").write_text(
            f"---\ntitle: Story {number} about {topic}\nauthor: Writer {number % 7}\nsource: Outlet {number % 5}\n---\n"
            f"{text}\n\n{text}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> tuple[Path, list[str], dict[str, str]]:
    """A project of 150 articles (a build of a few seconds), built once into reference/."""
    project = tmp_path_factory.mktemp("big")
    (project / "site.toml").write_text('title = "Big"\nbase_url = "https://example.org/"\n', encoding="utf-8")
    write_big_corpus(project / "content", 150)
    command = [sys.executable, "-m", "generator", "build", "-v", "--config", str(project / "site.toml")]
    environment = {**os.environ, **EPOCH, "PYTHONPATH": str(ROOT)}
    first = subprocess.run([*command, "--output", str(project / "reference")], env=environment,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    return project, command, environment


@pytest.mark.parametrize("signal_number, status, moment", [
    (signal.SIGTERM, 143, "reading"),
    (signal.SIGINT, 130, "reading"),
    (signal.SIGTERM, 143, "writing"),
    (signal.SIGINT, 130, "writing"),
], ids=["SIGTERM-while-reading", "SIGINT-while-reading", "SIGTERM-while-writing", "SIGINT-while-writing"])
def test_an_interrupted_build_leaves_the_previous_output_byte_identical(big_project, tmp_path, signal_number,
                                                                       status, moment):
    project, command, environment = big_project
    output = tmp_path / "public"
    shutil.copytree(project / "reference", output)
    before = tree(output)
    assert len(before) > 300
    # the new build would differ in every page: if it were swapped in, the comparison below would fail
    process = subprocess.Popen([*command, "--output", str(output), "--base-url", "https://example.org/new/"],
                               env=environment, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr.readline().startswith("info: building ")  # past start-up: the handlers are set
    deadline = time.monotonic() + 120
    while moment == "writing" and process.poll() is None and time.monotonic() < deadline:
        staging = [path for path in tmp_path.iterdir() if path.name.startswith(".public-new-")]
        with contextlib.suppress(FileNotFoundError):  # the folder may be gone by the time it is read
            if staging and any(staging[0].iterdir()):  # some pages are written, most are not
                break
        time.sleep(0.001)
    assert process.poll() is None, "the build ended before it could be interrupted"
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert stderr.endswith("the previous output is untouched\n")
    assert tree(output) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["public"]
