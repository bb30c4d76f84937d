"""Reading the site in Chromium: what the digest, story and article pages show, and how the layout holds
at phone and desktop widths, in dark mode, from the keyboard, without JavaScript and in print."""

from __future__ import annotations

import re

import pytest

from browsing import DESKTOP, PHONE, local_path, visit

NOISE = ("Subscribe", "Sign up", "MORE STORIES", "newsletter", "Share this", "Advertisement")
WIDTHS = (320, 390, 768, 1280, 1920)


def absolute_hrefs(locator) -> list[str]:
    return locator.evaluate_all("links => links.map(link => new URL(link.href).pathname)")


def test_digest_shows_the_stories_newest_first_with_their_sources(site, page):
    visit(page, site.url())
    stories = site.data["stories"]
    assert len(stories) >= 3
    cards = page.locator("main .story")
    assert cards.locator(".headline").all_inner_texts() == [story["title"] for story in stories]
    dates = [story["date"] for story in stories if story["date"]]
    assert dates == sorted(dates, reverse=True)
    for card, story in zip(cards.all(), stories):
        links = absolute_hrefs(card.locator("a"))
        assert local_path(site.local(story["url"])) in links
        for article_id in story["articles"]:
            article = site.article(article_id)
            assert local_path(site.local(article["url"])) in links, (story["title"], article["title"])
        text = card.inner_text()
        for outlet in story["sources"]:
            assert outlet.lower() in text.lower()  # outlets are set in capitals
        if len(story["articles"]) > 1:
            assert f"{len(story['articles'])} sources" in text


def test_digest_sidebar_lists_topics_sources_and_months(site, page):
    visit(page, site.url())
    sidebar = page.get_by_role("complementary", name="Browse the digest")
    assert sidebar.is_visible()
    topics = {topic for story in site.data["stories"] for topic in story["topics"]}
    listed = sidebar.locator("#panel-topics + ul a").all_inner_texts()
    assert listed and set(listed) <= topics
    outlets = {outlet for story in site.data["stories"] for outlet in story["sources"]}
    assert set(sidebar.locator("#panel-sources + ul li > span:first-child").all_inner_texts()) == outlets
    box = sidebar.bounding_box()
    main = page.locator("main").bounding_box()
    assert box["x"] > main["x"] + main["width"], "on a wide screen the sidebar stands beside the stories"


def test_story_page_lists_its_coverage(site, page):
    story = site.main_story
    visit(page, site.local(story["url"]))
    assert page.locator("h1").inner_text() == story["title"]
    members = [site.article(article_id) for article_id in story["articles"]]
    entries = page.locator(".sources .source")
    assert entries.locator("h3").all_inner_texts() == [article["title"] for article in members]
    assert absolute_hrefs(entries.locator("h3 a")) == [local_path(site.local(a["url"])) for a in members]
    assert page.locator(".kicker").inner_text().lower() == f"story · {len(members)} sources"
    for outlet in story["sources"]:
        assert outlet.lower() in page.locator(".sources").inner_text().lower()


def test_article_page_shows_the_cleaned_body_and_its_facts(site, page):
    article = site.main_article
    visit(page, site.url(article["path"]))
    assert page.locator("h1").inner_text() == article["title"]
    body = page.locator(".article .body").inner_text()
    for paragraph in article["paragraphs"]:
        assert paragraph in body
    for noise in NOISE:
        assert noise not in body
    assert "“" in body or "’" in body, "typographic quotation marks are kept"
    assert page.locator(".article time").first.get_attribute("datetime") == article["date"]
    assert f"{article['reading_time']} min read" in page.locator(".byline").inner_text()
    if article["source"]:
        assert page.locator(".kicker").inner_text().lower() == article["source"].lower()
    others = [a for a in site.main_story["articles"] if a != article["id"]]
    coverage = page.get_by_role("complementary", name="About this article").locator(".coverage a")
    assert absolute_hrefs(coverage) == [local_path(site.local(site.article(i)["url"])) for i in others]


def test_article_measure_is_a_comfortable_line_length(site, page):
    visit(page, site.url(site.main_article["path"]))
    first = page.locator(".article .body p").first
    chars_per_line = first.evaluate("""p => {
        const range = document.createRange();
        range.selectNodeContents(p);
        const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size;
        return p.textContent.length / lines;
    }""")
    assert 55 <= chars_per_line <= 80, chars_per_line


@pytest.mark.parametrize("width", WIDTHS)
def test_layout_has_no_horizontal_scroll(site, open_context, width):
    page = open_context(viewport={"width": width, "height": 900})
    for kind, path in site.page_types().items():
        visit(page, site.url(path), 404 if kind == "404" else 200)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{kind} at {width} px scrolls sideways: {scroll} > {inner}"


def test_phone_layout_stacks_the_sidebar_below_the_stories(site, open_context):
    page = open_context(viewport=PHONE)
    visit(page, site.url())
    main = page.locator("main").bounding_box()
    sidebar = page.locator(".sidebar").bounding_box()
    assert sidebar["y"] >= main["y"] + main["height"]
    assert page.locator("main").evaluate("main => main.getBoundingClientRect().width") <= PHONE["width"]


def test_dark_scheme_follows_the_system_setting(site, open_context):
    colours = {}
    for scheme in ("light", "dark"):
        page = open_context(color_scheme=scheme)
        visit(page, site.url())
        colours[scheme] = page.evaluate("""() => {
            const style = getComputedStyle(document.body);
            return [style.backgroundColor, style.color];
        }""")
    assert colours["light"][0] != colours["dark"][0]
    assert colours["light"][1] != colours["dark"][1]
    assert colours["dark"][0] == "rgb(20, 20, 19)"


def test_keyboard_focus_is_visible(site, page):
    visit(page, site.url())
    page.keyboard.press("Tab")
    skip = page.evaluate("[document.activeElement.textContent, document.activeElement.getBoundingClientRect().left]")
    assert skip[0] == "Skip to content" and skip[1] >= 0, "the skip link comes first and shows when focused"
    for _ in range(3):
        page.keyboard.press("Tab")
        tag, style, width = page.evaluate("""() => {
            const style = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, style.outlineStyle, parseFloat(style.outlineWidth)];
        }""")
        assert tag in ("A", "INPUT", "BUTTON")
        assert style != "none" and width >= 2, (tag, style, width)


def test_skip_link_moves_focus_to_the_main_content(site, page):
    visit(page, site.url(site.main_article["path"]))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_without_javascript_everything_reads_and_search_is_a_link(site, open_context):
    page = open_context(java_script_enabled=False)
    visit(page, site.url())
    assert page.locator(".search-box").is_hidden()
    link = page.locator(".search-link a")
    assert link.is_visible() and local_path(link.evaluate("a => a.href")) == local_path(site.url("search/"))
    assert page.locator("main .story .headline").count() == len(site.data["stories"])
    visit(page, site.url(site.main_article["path"]))
    assert page.locator(".article .body p").first.is_visible()
    visit(page, site.url("search/"))
    assert "needs JavaScript" in page.locator("main").inner_text()


def test_with_javascript_the_header_has_a_search_box(site, page):
    visit(page, site.url())
    assert page.locator(".search-box input[type=search]").is_visible()
    assert page.locator(".search-link").is_hidden()


@pytest.mark.parametrize("kind", ["digest", "story", "article"])
def test_pages_do_not_shift_while_loading(site, open_context, kind):
    page = open_context(viewport=PHONE)
    page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver(list => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
        }).observe({type: "layout-shift", buffered: true});
    """)
    visit(page, site.url(site.page_types()[kind]))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") == 0


def test_digest_weighs_under_50_kb_and_runs_no_script(site, page):
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    visit(page, site.url())
    page.wait_for_load_state("networkidle")
    sizes = {request.url: len(request.response().body()) for request in requests}
    total = sum(sizes.values())
    print(f"digest page weight: {total} bytes in {len(sizes)} requests: {sizes}")
    assert total < 50_000
    assert not [url for url in sizes if url.endswith(".js")]
    assert page.locator("script[src]").count() == 0


def test_assets_are_fingerprinted(site, page):
    visit(page, site.url("search/"))
    urls = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet], link[rel=icon], script[src]')]
                                   .map(node => node.href || node.src)""")
    assert len(urls) == 3
    for url in urls:
        assert re.search(r"/static/[a-z]+\.[0-9a-f]{10}\.(css|js|svg)$", url), url


def test_print_keeps_the_article_and_drops_the_navigation(site, page):
    visit(page, site.url(site.main_article["path"]))
    page.emulate_media(media="print")
    for hidden in (".sections", ".search-box", ".sidebar", ".colophon"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator(".article .body").is_visible()
    assert page.locator("body").evaluate("body => getComputedStyle(body).backgroundColor") == "rgb(255, 255, 255)"


def test_missing_pages_answer_with_the_404_page_under_the_base_path(site, page):
    visit(page, site.url("no/such/page/"), 404)
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_role("link", name="the front page").click()
    assert local_path(page.url) == site.config.base_path
    assert page.locator("main .story").count() == len(site.data["stories"])


def test_desktop_story_page_uses_the_right_column(site, open_context):
    page = open_context(viewport=DESKTOP)
    visit(page, site.local(site.main_story["url"]))
    main = page.locator("main").bounding_box()
    aside = page.get_by_role("complementary", name="About this story").bounding_box()
    assert aside["x"] > main["x"] + main["width"]
    assert aside["x"] + aside["width"] > DESKTOP["width"] * 0.85
