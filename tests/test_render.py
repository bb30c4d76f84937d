"""Rendering: relative links, escaping, safe bodies, and template errors that name file and line."""

from __future__ import annotations

import dataclasses

import pytest

from generator import render
from generator.model import Story
from generator.report import BuildError

from conftest import make_article


@pytest.fixture
def env(config):
    return render.make_environment(config)


@pytest.mark.parametrize("page, target, link", [
    ("index.html", "", "./"),
    ("index.html", "stories/x/", "stories/x/"),
    ("2025/11/24/slug/index.html", "", "../../../../"),
    ("2025/11/24/slug/index.html", "stories/x/", "../../../../stories/x/"),
    ("topics/trade/index.html", "static/style.abc.css", "../../static/style.abc.css"),
    ("index.html", "feed.xml", "feed.xml"),
    ("index.html", "https://example.com/a", "https://example.com/a"),
])
def test_links_are_relative_to_the_page(env, page, target, link):
    template = env.from_string("{{ target|url }}")
    assert template.render(page_path=page, target=target) == link


def test_404_links_are_absolute_paths_under_the_base(env):
    template = env.from_string("{{ 'topics/'|url }}")
    assert template.render(page_path="404.html", absolute_links=True) == "/digest/topics/"


def test_article_page_escapes_text_and_keeps_sanitised_body(env, config):
    _, assets = render.asset_pages(config)
    article = make_article(title='<script>alert("t")</script> & “quotes”', authors=("<b>Ann</b>",),
                           body_html="<p>Safe <em>body</em></p>", topics=("Trade",))
    page = render.render_article(env, article, None, assets)
    assert str(page.path) == "2025/11/24/example-headline/index.html"
    html = page.content
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; “quotes”" in html
    assert "&lt;b&gt;Ann&lt;/b&gt;" in html
    assert "<p>Safe <em>body</em></p>" in html
    assert '<time datetime="2025-11-24T09:30:00+00:00">' in html
    assert 'href="../../../../static/style.' in html


def test_article_page_links_its_story_and_other_coverage(env, config):
    _, assets = render.asset_pages(config)
    one = make_article(id="1", title="First take", story="s1")
    two = make_article(id="2", title="Second take", url_path="2025/11/25/second/", source="Wire", story="s1")
    story = Story(id="s1", slug="2025-11-24-first-take", title="First take", articles=(two, one))
    html = render.render_article(env, one, story, assets).content
    assert 'href="../../../../stories/2025-11-24-first-take/"' in html
    assert 'href="../../25/second/">Second take</a>' in html


def test_template_error_names_the_template_and_line(tmp_path, config):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "article.html").write_text("line one\n{{ article.no_such_field }}\n", encoding="utf-8")
    site = dataclasses.replace(config, layouts_dir=layouts)
    env = render.make_environment(site)
    _, assets = render.asset_pages(site)
    with pytest.raises(BuildError) as caught:
        render.render_article(env, make_article(), None, assets)
    assert str(caught.value).endswith("article.html:2: template 'article.html' uses an undefined value: "
                                      "'generator.model.Article object' has no attribute 'no_such_field'")


def test_template_syntax_error_names_the_line(tmp_path, config):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "article.html").write_text("ok\n{% if %}\n", encoding="utf-8")
    site = dataclasses.replace(config, layouts_dir=layouts)
    env = render.make_environment(site)
    _, assets = render.asset_pages(site)
    with pytest.raises(BuildError) as caught:
        render.render_article(env, make_article(), None, assets)
    assert str(caught.value).endswith("article.html:2: template error: Expected an expression, got 'end of statement block'")


def test_site_layouts_override_builtin_ones_file_by_file(tmp_path, config):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "404.html").write_text("custom {{ site.title }}", encoding="utf-8")
    site = dataclasses.replace(config, layouts_dir=layouts)
    env = render.make_environment(site)
    _, assets = render.asset_pages(site)
    assert render.render_not_found(env, assets).content == "custom Test Digest"
    assert "<!DOCTYPE html>" in render.render_article(env, make_article(), None, assets).content


def test_stylesheet_is_fingerprinted(config):
    pages, assets = render.asset_pages(config)
    assert assets["style.css"].startswith("static/style.")
    assert str(pages[0].path) == assets["style.css"]
