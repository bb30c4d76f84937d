"""Property-based tests: arbitrary bytes, front matter and text never make a stage fail with
anything but BuildError, and no single file takes more than a moment, however it is built."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import clean, dates, ingest, markup, urls
from generator.model import Article
from generator.report import BuildError, Report

from conftest import BUILD_TIME, make_article
from test_hostile import runnable_in_html

# Generous for a shared CI machine; the pathological inputs these tests build took 20 s to minutes.
SECONDS_PER_FILE = 2.0
SETTINGS = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
# Characters Markdown, YAML, HTML and the clipping rules give meaning to, and a few they never see.
MARKUP = "[]()<>!*_`\\&#|:-+=.,;'\"{}~^%/ \t\n\r\x00\x0c\u00a0\u200b\u202e\ufeff\ufffd"
FRAGMENTS = ["[", "]", "](", "(", ")", "![", "[^", "*[", "<a ", "<div>", "</div>", "<!--", "-->", "<", ">", "*", "_",
             "**", "`", "```", "\\", "&", "&#", "|", "> ", "- ", "1. ", "    ", "\t", "\n", "\n\n", "#", "===",
             ":", ": ", "a\n: b\n", "[x](y)", "<http://", "http://x.org/ ", "By ", "Published ", "2025-01-01 ",
             "November 24 ", "9:00 ", "A. ", "Mr. ", "...", "!?", "WASHINGTON (Reuters) - ", "Related articles\n",
             "Share Facebook Twitter\n", "word ", "Word ", "\u00a0", "\u202e", "😀", "x"]

pathological_text = st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, 3000)), min_size=1, max_size=4).map(
    lambda runs: "".join(fragment * count for fragment, count in runs))
markup_text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(MARKUP), max_size=2000)
any_text = st.one_of(markup_text, pathological_text)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


@pytest.fixture(scope="module")
def site(folder):
    from generator.config import Config
    return Config(title="Properties", base_url="https://example.org/", build_time=BUILD_TIME, root=folder,
                  content_dir=folder, output_dir=folder / "public")


def timed(call, *args):
    """Return call(*args), or the BuildError it raised, failing if it took longer than a file may."""
    started = time.perf_counter()
    try:
        result = call(*args)
    except BuildError as error:
        result = error
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS_PER_FILE, f"{elapsed:.1f} s"
    return result


def read_bytes_as_article(data: bytes, name: str, folder: Path, site) -> Article | BuildError | None:
    path = folder / name
    path.write_bytes(data)
    report = Report()
    result = timed(ingest.read_article, path, site, report)
    for message in report.messages:
        assert "\n" not in str(message)  # every message stays one line
    return result


@SETTINGS
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".md", ".txt"]))
def test_any_bytes_read_as_an_article_or_a_build_error(data, suffix, folder, site):
    result = read_bytes_as_article(data, "bytes" + suffix, folder, site)
    assert result is None or isinstance(result, (Article, BuildError))


@SETTINGS
@given(text=any_text, fence=st.sampled_from(["---", "+++"]), body=any_text)
def test_any_front_matter_text_reads_or_fails_with_a_build_error(text, fence, body, folder, site):
    data = f"{fence}\n{text}\n{fence}\n{body}".encode("utf-8", "surrogatepass")
    result = read_bytes_as_article(data, "front.md", folder, site)
    assert result is None or isinstance(result, (Article, BuildError))


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=200),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5),
    max_leaves=30)
front_matter = st.dictionaries(
    st.sampled_from(sorted(ingest.KNOWN_KEYS)) | st.text(max_size=20), yaml_values, max_size=8)


@SETTINGS
@given(metadata=front_matter, body=any_text)
def test_any_yaml_front_matter_reads_or_fails_with_a_build_error(metadata, body, folder, site):
    data = f"---\n{yaml.safe_dump(metadata, allow_unicode=True)}---\n{body}".encode("utf-8", "surrogatepass")
    result = read_bytes_as_article(data, "yaml.md", folder, site)
    assert result is None or isinstance(result, (Article, BuildError))
    if isinstance(result, Article):
        for text in (result.title, result.slug, result.source, result.source_url, *result.tags, *result.authors):
            assert not re.search(r"[\x00-\x1f\x7f]", text)  # nothing a feed's XML would refuse
        assert not result.source_url or result.source_url.startswith(("http://", "https://"))


@SETTINGS
@given(body=any_text, kind=st.sampled_from(["markdown", "clipping"]), unsafe=st.booleans())
def test_clean_article_takes_any_body(body, kind, unsafe, site):
    config = dataclasses.replace(site, unsafe_html=unsafe)
    article = Article(id="p", origin="p.md", kind=kind, body=body)
    report = Report()
    cleaned = timed(clean.clean_article, article, config, report)
    assert isinstance(cleaned, Article)  # clean records problems; it never raises
    assert all(message.path == "p.md" for message in report.messages)
    if not unsafe:
        assert runnable_in_html(cleaned.body_html, "p.md", set()) == []


@SETTINGS
@given(title=any_text, summary=any_text, tags=st.lists(any_text, max_size=3))
def test_clean_article_takes_any_fields(title, summary, tags, site):
    article = make_article(title=title, summary=summary, tags=tuple(tags), body="Body text.", body_html="",
                           paragraphs=())
    cleaned = timed(clean.clean_article, article, site, Report())
    assert isinstance(cleaned, Article)


@SETTINGS
@given(text=any_text)
def test_to_html_renders_or_refuses_with_a_build_error(text):
    result = timed(markup.to_html, text)
    assert isinstance(result, (str, BuildError))


@SETTINGS
@given(value=any_text | st.integers() | st.floats() | st.lists(st.integers(), max_size=3))
def test_parse_date_returns_an_aware_date_or_a_date_error(value):
    try:
        moment = dates.parse_date(value, dates.ZONES["UTC"])
    except dates.DateError:
        return
    assert moment.tzinfo is not None
    assert dates.EARLIEST_YEAR <= moment.year <= dates.LATEST_YEAR


@SETTINGS
@given(slug=any_text, title=any_text, origin=st.text(min_size=1, max_size=60))
def test_every_url_path_stays_inside_the_site(slug, title, origin):
    [placed] = urls.assign_urls([make_article(slug=slug, title=title, origin=origin + ".md")], Report())
    assert re.fullmatch(r"(\d{4}/\d{2}/\d{2}|undated)/[a-z0-9]+(-[a-z0-9]+)*/", placed.url_path)
    assert placed.slug not in urls.RESERVED_SLUGS
