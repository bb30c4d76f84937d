"""End to end: the seeds built into a site, checked page by page, feed by feed, field by field."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import feedparser
import pytest

from generator import build
from generator.config import load_config
from generator.report import Report

from conftest import BUILD_TIME, SEEDS

ROOT = Path(__file__).resolve().parent.parent
NOISE = ("Subscribe", "Sign up", "MORE STORIES", "newsletter", "Gimhae Air Base", "Your guide to",
         "By Dorothy Li", "ALBAWABA")


def build_site(tmp_path: Path, content: Path, **settings):
    config = load_config(ROOT / "site.toml", BUILD_TIME)
    config = dataclasses.replace(config, content_dir=content, output_dir=tmp_path / "public", **settings)
    report = Report()
    result = build.build(config, report)
    return config, report, result


@pytest.fixture(scope="module")
def content_site(tmp_path_factory):
    """The repository's own content/ (seeds plus an editor's front matter), built once."""
    tmp_path = tmp_path_factory.mktemp("content-site")
    return build_site(tmp_path, ROOT / "content")


@pytest.fixture(scope="module")
def raw_site(tmp_path_factory):
    """The raw seed fixtures, without any editorial front matter, built once."""
    tmp_path = tmp_path_factory.mktemp("raw-site")
    content = tmp_path / "content"
    shutil.copytree(SEEDS, content)
    return build_site(tmp_path, content)


def articles_json(config) -> dict:
    return json.loads((config.output_dir / "articles.json").read_text(encoding="utf-8"))


def by_origin(config) -> dict[str, dict]:
    return {record["origin"][:3]: record for record in articles_json(config)["articles"]}


def test_content_builds_without_errors(content_site):
    config, report, result = content_site
    assert report.errors == []
    assert result.written
    assert result.articles == 5


def test_content_articles_have_the_expected_fields(content_site):
    config, _, _ = content_site
    records = by_origin(config)
    assert records["000"]["title"] == "Big News: Trump says he will visit China in April after call with Xi"
    assert records["000"]["date"] == "2025-11-24T23:03:34+00:00"
    assert records["000"]["authors"] == ["badely"]
    assert records["000"]["source"] is None
    assert records["001"]["title"] == ("Trump touts “very good” call with Xi as U.S.-China ties stabilize "
                                       "after Busan summit")
    assert records["001"]["date"] == "2025-11-24T07:05:00+00:00"
    assert records["001"]["source"] == "Albawaba"
    assert records["001"]["summary"].startswith("In Busan, Trump and Xi reached a trade truce")
    assert records["002"]["authors"] == ["Dorothy Li"]
    assert records["002"]["date"].startswith("2025-11-24")
    assert "title" in records["002"]["inferred"]
    assert records["003"]["date"].startswith("2026-02-04")
    assert "title" in records["003"]["inferred"]
    assert records["003"]["title"].startswith("Donald Trump said he had spoken to Xi Jinping")
    assert len(records["003"]["title"]) <= 112
    assert records["004"]["title"] == "Trump Confirms ‘Very Good’ Phone Call With Chinese Leader Xi Jinping"
    assert records["004"]["date"].startswith("2025-01-17")


def test_no_site_noise_in_any_body(content_site):
    config, _, _ = content_site
    for record in articles_json(config)["articles"]:
        body = "\n".join(record["paragraphs"])
        for noise in NOISE:
            assert noise not in body, (record["origin"], noise)
        title = record["title"].casefold()
        assert all(paragraph.casefold() != title for paragraph in record["paragraphs"])


def test_missing_image_is_a_warning_not_a_broken_image(content_site):
    config, report, _ = content_site
    assert [m.kind for m in report.warnings if m.path.startswith("000")] == ["missing image"]
    page = (config.output_dir / "2025/11/24").glob("*/index.html")
    assert not any("<img" in path.read_text(encoding="utf-8") for path in page)


def test_seeds_group_into_three_stories(content_site):
    config, _, _ = content_site
    stories = articles_json(config)["stories"]
    groups = sorted(sorted(record_id for record_id in story["articles"]) for story in stories)
    ids = {record["id"]: record["origin"][:3] for record in articles_json(config)["articles"]}
    assert sorted(sorted(ids[i] for i in group) for group in groups) == [["000", "001", "002"], ["003"], ["004"]]
    assert [story["date"][:10] for story in stories] == ["2026-02-04", "2025-11-24", "2025-01-17"]


def test_raw_fixtures_put_002_in_the_november_2025_story(raw_site):
    config, report, _ = raw_site
    records = by_origin(config)
    assert records["002"]["date"].startswith("2025-11-24")
    assert "date" in records["002"]["inferred"] or records["002"]["provenance"]["published"] == "inferred"
    assert records["002"]["story"] == records["001"]["story"] == records["000"]["story"]
    assert records["004"]["date"] is None


def test_every_article_has_a_page_with_its_title(content_site):
    config, _, _ = content_site
    for record in articles_json(config)["articles"]:
        page = config.output_dir / record["path"] / "index.html"
        html = page.read_text(encoding="utf-8")
        assert f"<h1>{escape(record['title'])}</h1>" in html


def escape(text: str) -> str:
    from markupsafe import escape as markup_escape
    return str(markup_escape(text))


def test_digest_lists_stories_newest_first(content_site):
    config, _, _ = content_site
    html = (config.output_dir / "index.html").read_text(encoding="utf-8")
    stories = articles_json(config)["stories"]
    positions = [html.index(escape(story["title"])) for story in stories]
    assert positions == sorted(positions)
    assert 'datetime="2026-02-04"' in html


def test_rss_feed_parses_with_absolute_links_and_full_content(content_site):
    config, _, _ = content_site
    feed = feedparser.parse((config.output_dir / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 5
    for entry in feed.entries:
        assert entry.link.startswith(config.base_url)
        assert entry.get("content")
    dates = [entry.published_parsed for entry in feed.entries if entry.get("published_parsed")]
    assert dates == sorted(dates, reverse=True)


def test_second_build_is_byte_identical(tmp_path):
    first = build_site(tmp_path / "one", ROOT / "content")[0].output_dir
    second = build_site(tmp_path / "two", ROOT / "content")[0].output_dir
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_a_failed_build_leaves_the_previous_site(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    config, report, result = build_site(tmp_path, content)
    assert result.written
    before = {p: p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()}
    (content / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    config, report, result = build_site(tmp_path, content)
    assert not result.written
    assert [str(m) for m in report.errors][0].startswith("broken.md:3: front matter is not valid YAML")
    assert {p: p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]
