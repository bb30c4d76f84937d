"""Slugs and URL paths: safe, stable and unique."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from generator import urls
from generator.model import FRONT_MATTER, INFERRED

from conftest import make_article


@pytest.mark.parametrize("text, slug", [
    ("Trump touts “very good” call with Xi", "trump-touts-very-good-call-with-xi"),
    ("Café société à Paris", "cafe-societe-a-paris"),
    ("../../etc/passwd", "etc-passwd"),
    ("a\\b/c%2Fd", "a-b-c-2fd"),
    ("习近平", ""),
    ("  --  ", ""),
])
def test_slugify(text, slug):
    assert urls.slugify(text) == slug


def test_slugify_cuts_long_titles_at_a_word_boundary():
    slug = urls.slugify("word " * 40)
    assert len(slug) <= urls.MAX_SLUG_LENGTH
    assert slug.endswith("word")


def test_url_path_is_the_local_date_and_slug(report):
    article = make_article(slug="", title="Rates held", published=datetime(2025, 3, 1, 9, tzinfo=timezone.utc))
    [placed] = urls.assign_urls([article], report)
    assert placed.url_path == "2025/03/01/rates-held/"
    assert placed.slug == "rates-held"
    assert placed.origin_of("slug") == INFERRED


def test_front_matter_slug_is_kept_but_made_safe(report):
    article = make_article(slug="../Odd Slug/..", provenance=(("slug", FRONT_MATTER),))
    [placed] = urls.assign_urls([article], report)
    assert placed.slug == "odd-slug"
    assert placed.origin_of("slug") == FRONT_MATTER


def test_reserved_names_are_never_slugs(report):
    article = make_article(slug="index", title="feed.xml", origin="404.md", id="0123456789abcdef")
    [placed] = urls.assign_urls([article], report)
    assert placed.slug == "article-01234567"


def test_inferred_title_does_not_name_the_url(report):
    article = make_article(slug="", title="The two leaders discussed Taiwan", origin="clip-17.txt",
                           provenance=(("title", INFERRED),))
    [placed] = urls.assign_urls([article], report)
    assert placed.slug == "clip-17"


def test_colliding_slugs_both_survive_in_file_order(report):
    first = make_article(id="1", origin="b.md", slug="same")
    second = make_article(id="2", origin="a.md", slug="same")
    placed = urls.assign_urls([first, second], report)
    assert {a.origin: a.url_path for a in placed} == {"a.md": "2025/11/24/same/", "b.md": "2025/11/24/same-2/"}
    assert [str(m) for m in report.warnings] == [
        "b.md: URL /2025/11/24/same/ is taken by a.md; this article is at /2025/11/24/same-2/"]


def test_undated_articles_live_under_undated(report):
    [placed] = urls.assign_urls([make_article(published=None, slug="x")], report)
    assert placed.url_path == "undated/x/"


def test_jekyll_file_names_give_the_slug(report):
    article = make_article(slug="", title="Rates held at 4.5%", origin="posts/2025-03-01-rates.md")
    [placed] = urls.assign_urls([article], report)
    assert placed.slug == "rates"


@pytest.mark.parametrize("origin, slug", [("content/xinhua-talks.txt", "xinhua-talks"),
                                          ("content/新华社.txt", "article-a1b2c3d4")])
def test_a_chinese_or_japanese_title_leaves_the_slug_to_the_file_name_or_the_id(report, origin, slug):
    # "米中首脳会談、来年4月に北京で調整" would otherwise be "4", and "G20峰会" "g20"
    for title in ("米中首脳会談、来年4月に北京で調整", "G20峰会在北京举行"):
        article = make_article(slug="", title=title, origin=origin)
        [placed] = urls.assign_urls([article], report)
        assert placed.slug == slug
    assert urls.title_slug("Pékin et Washington") == "pekin-et-washington"
