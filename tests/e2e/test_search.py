"""Search in Chromium: the site's own index (search/*.json), read by static/search.js, under the site's sub-path."""

from __future__ import annotations

from browsing import local_path, visit

from generator import search

# Words whose terms the script must make exactly as search.py does, or the index would not find them.
TRICKY = ["Café NAÏVE", "İstanbul", "STRASSE Straße ẞ", "ΟΔΟΣ οδος", "ﬁnance ½", "Ǆemal", "ᲀ", "x" * 40,
          "co-operate U.S. 2025", "東京 タワー", "nai\u0308ve in NFD", "a ? “”", "élan vital", "Fentanyl"]


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
    assert all(mark.lower() == "fentanyl" for mark in page.locator("#search-results mark").all_inner_texts())
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
    assert "fentanyl" in page.locator("main").inner_text().lower()


def test_search_finds_stories_too(site, page):
    visit(page, site.url("search/?q=fentanyl"))
    page.locator("#search-results .result").first.wait_for()
    kinds = page.locator("#search-results .result-kind").all_inner_texts()
    assert any(kind.lower().startswith("story") for kind in kinds)
    assert any(kind.lower().startswith("article") for kind in kinds)


def test_the_index_holds_every_article_and_story_and_nothing_else(site, page):
    visit(page, site.url("search/"))
    urls = page.evaluate("""async () => {
        const get = async (path) => (await fetch(new URL(path, location.href))).json();
        const meta = await get("meta.json");
        const chunks = await Promise.all([...Array(meta.chunks).keys()].map((n) => get(`docs/${n}.json`)));
        return chunks.flat().map((doc) => doc.url);
    }""")
    articles = {local_path(site.local(article["url"])) for article in site.data["articles"]}
    stories = {local_path(site.local(story["url"])) for story in site.data["stories"]}
    assert len(urls) == len(set(urls))
    assert {local_path(site.url(url)) for url in urls} == articles | stories


def test_the_script_makes_the_same_terms_as_the_index(site, page):
    visit(page, site.url("search/"))
    made = page.evaluate("""async (texts) => {
        const script = await import(document.querySelector('script[type="module"]').src);
        return texts.map((text) => script.queryTerms(text));
    }""", TRICKY)
    assert made == [search.query_terms(text) for text in TRICKY]


def test_the_start_of_a_word_finds_what_the_word_finds(site, page):
    visit(page, site.url("search/?q=fentanyl"))
    page.locator("#search-results .result").first.wait_for()
    whole = result_paths(page)
    page.locator("#search-query").fill("")
    page.locator("#search-query").press_sequentially("fentan", delay=20)
    page.wait_for_function("document.getElementById('search-status').textContent.includes('fentan”')")
    assert set(result_paths(page)) == set(whole) and whole


def test_the_query_words_are_marked_in_titles_and_excerpts(site, page):
    # the index keeps titles and summaries, not whole texts: a word found only in the text is not shown
    visit(page, site.url("search/?q=Trump%20xi"))
    page.locator("#search-results .result").first.wait_for()
    results = page.locator("#search-results .result")
    assert all(results.nth(n).locator("mark").count() for n in range(results.count()))
    marks = {mark.lower() for mark in page.locator("#search-results mark").all_inner_texts()}
    assert "trump" in marks and any(mark.startswith("xi") for mark in marks)
    assert all(mark == "trump" or mark.startswith("xi") for mark in marks)


def test_a_word_in_no_article_finds_nothing(site, page):
    visit(page, site.url("search/?q=zxqvjk"))
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('Nothing found')")
    assert page.locator("#search-status").inner_text() == "Nothing found for “zxqvjk”."
    assert page.locator("#search-results .result").count() == 0


def test_a_query_without_a_word_of_two_characters_asks_for_one(site, page):
    visit(page, site.url("search/?q=a%20%3F"))
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('Type')")
    assert page.locator("#search-status").inner_text() == "Type a word of at least two letters or digits."


def test_a_finished_word_must_match_whole_and_every_word_must_match(site, page):
    visit(page, site.url("search/?q=fentan%20"))  # the space ends the word
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('Nothing found')")
    visit(page, site.url("search/?q=fentanyl%20zxqvjk"))
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
