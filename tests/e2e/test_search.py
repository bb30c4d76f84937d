"""Search in Chromium: Pagefind's index, read by static/search.js, under the site's sub-path."""

from __future__ import annotations

from browsing import local_path, visit


def matching(site, word: str) -> set[str]:
    """Return the local paths of the articles whose text names `word`."""
    return {local_path(site.local(article["url"])) for article in site.data["articles"]
            if word in " ".join([article["title"], *article["paragraphs"]]).lower()}


def result_paths(page) -> list[str]:
    return page.locator("#search-results .result-title a").evaluate_all(
        "links => links.map(link => new URL(link.href).pathname)")


def test_searching_fentanyl_finds_the_matching_articles(site, page):
    visit(page, site.url("search/"))
    page.locator("#search-query").fill("fentanyl")
    page.locator("#search-query").press("Enter")
    page.locator("#search-results .result").first.wait_for()
    found = result_paths(page)
    expected = matching(site, "fentanyl")
    assert expected and expected <= set(found)
    assert all(path.startswith(site.config.base_path) for path in found)
    assert page.locator("#search-status").inner_text().startswith(f"{len(found)} results for “fentanyl”")
    assert page.locator("#search-results mark").first.inner_text().lower().startswith("fentanyl")
    assert "q=fentanyl" in page.url


def test_header_search_box_leads_to_the_results_and_they_open(site, page):
    visit(page, site.url(site.main_article["path"]))
    page.locator("#site-search").fill("fentanyl")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/search/?q=fentanyl")
    assert page.locator("#search-query").input_value() == "fentanyl"
    first = page.locator("#search-results .result-title a").first
    first.wait_for()
    target = local_path(first.evaluate("link => link.href"))
    first.click()
    page.wait_for_url(f"**{target}")
    assert "fentanyl" in page.locator("[data-pagefind-body]").inner_text().lower()


def test_search_finds_stories_too(site, page):
    visit(page, site.url("search/?q=fentanyl"))
    page.locator("#search-results .result").first.wait_for()
    kinds = page.locator("#search-results .result-kind").all_inner_texts()
    assert any(kind.lower().startswith("story") for kind in kinds)
    assert any(kind.lower().startswith("article") for kind in kinds)


def test_only_article_and_story_text_is_indexed(site, page):
    visit(page, site.url("search/"))
    records = page.evaluate("""async () => {
        const pagefind = await import(new URL("../pagefind/pagefind.js", location.href));
        const search = await pagefind.search("fentanyl");
        return Promise.all(search.results.map(async result => {
            const data = await result.data();
            return [data.url, data.content];
        }));
    }""")
    indexed = {path for path, _ in records}  # the page's search script has set Pagefind's base URL
    articles = {local_path(site.local(article["url"])) for article in site.data["articles"]}
    stories = {local_path(site.local(story["url"])) for story in site.data["stories"]}
    assert indexed <= articles | stories and indexed & articles and indexed & stories
    for path, content in records:
        for navigation in ("Skip to content", "Digest", "Follow by RSS", "More coverage", "At a glance", "Topics"):
            assert navigation not in content, (path, navigation)


def test_a_word_in_no_article_finds_nothing(site, page):
    visit(page, site.url("search/?q=zxqvjk"))
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('Nothing found')")
    assert page.locator("#search-results .result").count() == 0


def test_typing_searches_as_you_go_and_clearing_empties_the_list(site, page):
    visit(page, site.url("search/"))
    page.locator("#search-query").press_sequentially("soybean", delay=20)
    page.locator("#search-results .result").first.wait_for()
    assert set(result_paths(page)) >= matching(site, "soybean")
    page.locator("#search-query").fill("")
    page.wait_for_function("document.querySelectorAll('#search-results .result').length === 0")
    assert page.locator("#search-status").inner_text() == ""
