"""Page heads: JSON-LD and link-preview values."""

from __future__ import annotations

import json

from generator import metadata
from generator.model import Story

from conftest import make_article


def test_clipping_article_is_a_news_article_based_on_its_outlet(config):
    article = make_article(source="Albawaba", source_url="https://albawaba.example/a", authors=(),
                           summary="A summary.", topics=("Trade",))
    meta = metadata.article_meta(article, config)
    assert meta.kind == "article"
    assert meta.url == "https://example.org/digest/2025/11/24/example-headline/"
    assert meta.jsonld["@type"] == "NewsArticle"
    assert meta.jsonld["author"] == [{"@type": "Organization", "name": "Albawaba"}]
    assert meta.jsonld["isBasedOn"] == {"@type": "NewsArticle", "headline": "Example headline",
                                        "url": "https://albawaba.example/a",
                                        "publisher": {"@type": "Organization", "name": "Albawaba"}}
    assert meta.jsonld["datePublished"] == "2025-11-24T09:30:00+00:00"


def test_own_article_has_no_is_based_on_and_names_its_authors(config):
    meta = metadata.article_meta(make_article(authors=("Ana Ruiz",)), config)
    assert "isBasedOn" not in meta.jsonld
    assert meta.jsonld["author"] == [{"@type": "Person", "name": "Ana Ruiz"}]


def test_story_is_a_collection_page_listing_its_articles(config):
    one, two = make_article(id="1", title="One"), make_article(id="2", title="Two", url_path="b/")
    meta = metadata.story_meta(Story(id="s", slug="s", title="S", articles=(one, two)), config)
    assert meta.jsonld["@type"] == "CollectionPage"
    assert [item["name"] for item in meta.jsonld["mainEntity"]["itemListElement"]] == ["One", "Two"]
    assert [item["position"] for item in meta.jsonld["mainEntity"]["itemListElement"]] == [1, 2]


def test_json_for_script_cannot_close_the_script_element():
    text = str(metadata.json_for_script({"headline": "</script><script>alert(1)</script> & more"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": "</script><script>alert(1)</script> & more"}


def test_descriptions_are_cut_at_a_word_boundary():
    assert metadata.shorten("word " * 100, 30) == "word word word word word word…"
    assert metadata.shorten("short  text") == "short text"
