"""Rendering: relative links, escaping, safe bodies, and template errors that name file and line."""

from __future__ import annotations

import dataclasses
import itertools
import posixpath

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


def write_layout(folder, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_theme_sits_between_the_site_layouts_and_the_builtin_ones(tmp_path, config):
    layouts, theme = tmp_path / "layouts", tmp_path / "themes" / "paper"
    write_layout(layouts, "404.html", "site 404")
    write_layout(theme, "404.html", "theme 404")
    write_layout(theme, "story.html", "theme story {{ story.title }}")
    site = dataclasses.replace(config, layouts_dir=layouts, theme_dir=theme)
    assert render.layout_folders(site) == [layouts, theme, render.BUILTIN_LAYOUTS]
    env = render.make_environment(site)
    _, assets = render.asset_pages(site)
    story = Story(id="s1", slug="s", title="Rates held", articles=(make_article(),))
    assert render.render_not_found(env, assets).content == "site 404"
    assert render.render_story(env, story, assets).content == "theme story Rates held"
    assert "<h1>Example headline</h1>" in render.render_article(env, make_article(), None, assets).content


def test_a_theme_overrides_static_assets_and_their_fingerprint_follows(tmp_path, config):
    theme = tmp_path / "theme"
    write_layout(theme, "static/style.css", "body { color: teal; }")
    pages, assets = render.asset_pages(dataclasses.replace(config, theme_dir=theme))
    sheet = next(page for page in pages if str(page.path) == assets["style.css"])
    assert sheet.content == b"body { color: teal; }"
    assert assets["style.css"] != render.asset_pages(config)[1]["style.css"]


def test_every_script_and_stylesheet_is_fingerprinted(config):
    pages, assets = render.asset_pages(config)
    assert set(assets) == {"style.css", "search.js", "favicon.svg"}
    for name, path in assets.items():
        stem, suffix = name.rsplit(".", 1)
        assert path.startswith(f"static/{stem}.") and path.endswith(f".{suffix}") and len(path.split(".")[1]) == 10
    assert {str(page.path) for page in pages} == set(assets.values()) | {"static/feed.xsl"}


def test_search_page_finds_its_index_and_script_relative_to_itself(env, config):
    _, assets = render.asset_pages(config)
    html = render.render_search(env, assets).content
    assert 'action="./"' in html and 'name="q"' in html
    assert 'data-index="./" data-root="../"' in html
    assert f'<script type="module" src="../{assets["search.js"]}"></script>' in html
    assert "<noscript>" in html and '<meta name="robots" content="noindex">' in html
    assert 'class="search-box"' not in html  # the page's own form replaces the header box


def test_header_search_box_submits_to_the_search_page_and_falls_back_to_a_link(env, config):
    _, assets = render.asset_pages(config)
    html = render.render_article(env, make_article(), None, assets).content
    assert '<form class="search-box" role="search" action="../../../../search/" method="get">' in html
    assert '<li class="search-link"><a href="../../../../search/">Search</a></li>' in html
    assert "<script" not in html.replace('<script type="application/ld+json">', "")


def test_pages_carry_no_search_index_markup(env, config):
    # the search index is made from the model (search.py), not from the rendered pages
    _, assets = render.asset_pages(config)
    article = make_article(source="Wire", topics=("Trade",))
    story = Story(id="s1", slug="s", title="Rates held", articles=(article,), topics=("Trade",))
    article_html = render.render_article(env, article, story, assets).content
    body = article_html[article_html.index('<article class="article">'):article_html.index("</article>")]
    assert "<p>First paragraph.</p>" in body and '<p class="kicker">Wire</p>' in body
    assert article_html.index("</article>") < article_html.index('<aside class="sidebar"')
    story_html = render.render_story(env, story, assets).content
    digest = render.render_digest(env, [story], config, assets)[0].content
    assert not [html for html in (article_html, story_html, digest) if "data-pagefind" in html]


def test_digest_sidebar_counts_topics_outlets_and_months(env, config):
    _, assets = render.asset_pages(config)
    wire = make_article(id="1", source="Wire", topics=("Trade", "Energy"))
    post = make_article(id="2", source="Post", url_path="2025/11/25/b/")
    stories = [Story(id="a", slug="a", title="A", articles=(wire, post), topics=("Trade", "Energy")),
               Story(id="b", slug="b", title="B", articles=(make_article(id="3", source="Wire"),), topics=("Trade",))]
    browse = render.browse_of(stories, config)
    assert browse.topics == (("trade", "Trade", 2), ("energy", "Energy", 1))
    assert browse.sources == (("Wire", 2), ("Post", 1))
    assert [(key, count) for key, _, count in browse.months] == [("2025/11", 2)]
    html = render.render_digest(env, stories, config, assets)[0].content
    aside = html[html.index('<aside class="sidebar"'):]
    assert '<a href="topics/trade/">Trade</a> <span class="count">2</span>' in aside
    assert '<li><span>Wire</span> <span class="count">2</span></li>' in aside
    assert '<a href="archive/2025/11/">November 2025</a>' in aside
    assert '<h1 class="brand">Test Digest</h1>' in html


def test_day_headings_name_the_weekday_whatever_the_locale(env):
    from datetime import date
    assert env.from_string("{{ day|weekday }}").render(day=date(2025, 11, 24)) == "Monday"


SITE_FOLDERS = ["", "a", "a/b", "2025/11/24", "2025/11/25", "stories", "stories/call", "topics/xi-jinping",
                "page/2", "archive/2025/11"]


@pytest.mark.parametrize("here", SITE_FOLDERS)
@pytest.mark.parametrize("there", SITE_FOLDERS + ["2025/11/24/call/index.html", "static/site.css", "a/b/c"])
def test_relative_link_is_what_relpath_gives_for_site_paths(here: str, there: str) -> None:
    assert render.relative_link(here, there) == posixpath.relpath(there or ".", here or ".")


@pytest.mark.parametrize("here", SITE_FOLDERS + ["2025", "2025/11", "topics", "/x", "a//b", "..", "a/b/c/d"])
@pytest.mark.parametrize("target", SITE_FOLDERS + [folder + "/" for folder in SITE_FOLDERS] + [
    "2025/11/24/call/index.html", "2025/11/24/call/", "2025/11/", "2025", "2025/", "topics/trade/", "topics",
    "static/site.css", "a/b/c", "a/b/c/", "a/bc/", "ab/", "/", "/a", "a//", "a//b", "//", "../x", "../"])
def test_folder_link_is_relative_link_with_a_folders_slash(here: str, target: str) -> None:
    link = render.relative_link(here, target.rstrip("/"))
    if target.endswith("/") or not target:
        link = "./" if link == "." else link + "/"
    assert render.folder_link(here, target) == link


def test_folder_link_is_relative_link_with_a_folders_slash_for_any_path_of_two_names() -> None:
    paths = ["".join(letters) for length in range(6) for letters in itertools.product("ab/", repeat=length)]
    for here in paths:
        for target in paths:
            link = render.relative_link(here, target.rstrip("/"))
            if target.endswith("/") or not target:
                link = "./" if link == "." else link + "/"
            assert render.folder_link(here, target) == link, (here, target)


def test_a_story_card_shared_by_topic_pages_has_each_pages_own_links(env, config):
    article = make_article(title="Tariffs & talks", topics=("Trade", "Taiwan Strait"))
    story = Story(id="s1", slug="tariffs", title="Tariffs & talks", articles=(article,), topics=article.topics)
    browse = render.topic_browse([("trade", "Trade", [story]), ("taiwan-strait", "Taiwan Strait", [story])])
    trade, taiwan = (render.render_topic(env, slug, name, [story], browse, {"style.css": "s.css", "search.js": "j.js",
                                                                              "favicon.svg": "f.svg"}).content
                     for slug, name in (("trade", "Trade"), ("taiwan-strait", "Taiwan Strait")))
    for page in (trade, taiwan):
        assert 'href="../../stories/tariffs/"' in page and 'href="../../2025/11/24/example-headline/"' in page
        assert "Tariffs &amp; talks" in page and "\x1e" not in page and "\x1f" not in page
    # the page's own topic is "./" on it: the card made for the first page is not the second's
    assert 'href="./">Trade</a>' in trade and 'href="../taiwan-strait/">Taiwan Strait</a>' in trade
    assert 'href="../trade/">Trade</a>' in taiwan and 'href="./">Taiwan Strait</a>' in taiwan


def test_a_sites_own_story_card_is_used_on_topic_pages(config, tmp_path):
    layouts = tmp_path / "site-layouts"
    layouts.mkdir()
    builtin = (render.BUILTIN_LAYOUTS / "_macros.html").read_text()
    own = builtin.replace('<article class="story', '<article data-own="yes" class="story')
    (layouts / "_macros.html").write_text(own)
    env = render.make_environment(dataclasses.replace(config, layouts_dir=layouts))
    story = Story(id="s1", slug="s", title="Rates held", articles=(make_article(),), topics=("Trade",))
    page = render.render_topic(env, "trade", "Trade", [story], render.topic_browse([("trade", "Trade", [story])]),
                               {"style.css": "s.css", "search.js": "j.js", "favicon.svg": "f.svg"})
    assert 'data-own="yes"' in page.content
