"""Tests for the feeds stage: RSS 2.0, Atom 1.0 and JSON Feed 1.1 built from articles."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import BUILD_TIME, make_article, replace
from generator import feeds
from generator.config import Config

STYLESHEET = Path(__file__).parent.parent / "layouts" / "static" / "feed.xsl"
NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/",
      "content": "http://purl.org/rss/1.0/modules/content/"}
RFC_822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                     r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}$")
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
UTC = timezone.utc
# For property tests, which cannot take function-scoped fixtures such as `config`.
SITE = Config(title="Test Digest", base_url="https://example.org/digest/", build_time=BUILD_TIME)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2025, 11, day, hour, 0, tzinfo=UTC)


def three_articles() -> list:
    """Three dated articles, given out of order so that the feed has to sort them."""
    return [
        make_article(id="old", title="Old", slug="old", url_path="2025/11/20/old/", published=at(20)),
        make_article(id="new", title="New", slug="new", url_path="2025/11/24/new/", published=at(24)),
        make_article(id="mid", title="Mid", slug="mid", url_path="2025/11/22/mid/", published=at(22)),
    ]


def xml_tree(page) -> etree._Element:
    return etree.fromstring(page.content)


def rss_items(page) -> list[etree._Element]:
    return xml_tree(page).findall("channel/item")


def parse(page) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(page.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def json_of(page) -> dict:
    return json.loads(page.content.decode("utf-8"))


# --- pages and paths ---------------------------------------------------------------------------

def test_feed_pages_returns_rss_atom_and_json_pages_as_bytes(config):
    pages = feeds.feed_pages(three_articles(), config)

    assert [page.path for page in pages] == [PurePosixPath("feed.xml"), PurePosixPath("atom.xml"),
                                             PurePosixPath("feed.json")]
    assert all(isinstance(page.content, bytes) for page in pages)
    assert parse(pages[0]).version == "rss20"
    assert parse(pages[1]).version == "atom10"
    assert json_of(pages[2])["version"] == "https://jsonfeed.org/version/1.1"


def test_each_feed_function_returns_the_page_feed_pages_returns(config):
    articles = three_articles()

    assert feeds.feed_pages(articles, config) == [feeds.rss_feed(articles, config),
                                                  feeds.atom_feed(articles, config),
                                                  feeds.json_feed(articles, config)]


@pytest.mark.parametrize("full_content", [True, False])
def test_feeds_sharing_their_items_are_the_feeds_made_alone(config, full_content):
    undated = make_article(id="undated", title="Undated", published=None, url_path="undated/undated/")
    articles = three_articles() + [undated]
    groups = [articles[:2], articles[1:], articles[::2], articles]
    items = feeds.FeedItems(config, full_content)

    shared = [feeds.feed_pages(group, config, path_prefix=f"topics/t{number}/", items=items)
              for number, group in enumerate(groups)]

    assert shared == [feeds.feed_pages(group, config, path_prefix=f"topics/t{number}/",
                                       items=feeds.FeedItems(config, full_content))
                      for number, group in enumerate(groups)]


def test_path_prefix_places_topic_feeds_and_their_self_links(config):
    pages = feeds.feed_pages(three_articles(), config, path_prefix="topics/taiwan/",
                             title="Test Digest — Taiwan", page_path="topics/taiwan/")

    assert [str(page.path) for page in pages] == ["topics/taiwan/feed.xml", "topics/taiwan/atom.xml",
                                                  "topics/taiwan/feed.json"]
    rss, atom, feed = parse(pages[0]).feed, parse(pages[1]).feed, json_of(pages[2])
    assert rss.title == atom.title == feed["title"] == "Test Digest — Taiwan"
    assert rss.link == feed["home_page_url"] == "https://example.org/digest/topics/taiwan/"
    assert xml_tree(pages[0]).find("channel/atom:link", NS).get("href") == \
        "https://example.org/digest/topics/taiwan/feed.xml"
    assert [link.href for link in atom.links if link.rel == "self"] == \
        ["https://example.org/digest/topics/taiwan/atom.xml"]
    assert feed["feed_url"] == "https://example.org/digest/topics/taiwan/feed.json"


def test_path_prefix_without_trailing_slash_is_still_a_folder(config):
    assert feeds.rss_feed([], config, path_prefix="topics/taiwan").path == PurePosixPath("topics/taiwan/feed.xml")


def test_topic_feed_has_another_atom_id_than_the_site_feed(config):
    site = parse(feeds.atom_feed([], config)).feed.id
    topic = parse(feeds.atom_feed([], config, path_prefix="topics/taiwan/")).feed.id

    assert site != topic
    assert site.startswith("urn:uuid:") and topic.startswith("urn:uuid:")


# --- channel -----------------------------------------------------------------------------------

def test_channel_has_title_link_description_language_generator_and_self_link(config):
    page = feeds.rss_feed(three_articles(), config)
    channel = xml_tree(page).find("channel")

    assert channel.findtext("title") == "Test Digest"
    assert channel.findtext("link") == "https://example.org/digest/"
    assert channel.findtext("description") == "A digest for tests."
    assert channel.findtext("language") == "en"
    assert channel.findtext("generator") == "Broadsheet"
    self_link = channel.find("atom:link", NS)
    assert (self_link.get("rel"), self_link.get("type"), self_link.get("href")) == \
        ("self", "application/rss+xml", "https://example.org/digest/feed.xml")


def test_atom_feed_has_self_and_alternate_links_language_and_a_feed_author(config):
    parsed = parse(feeds.atom_feed(three_articles(), config)).feed

    links = {link.rel: (link.href, link.type) for link in parsed.links}
    assert links == {"self": ("https://example.org/digest/atom.xml", "application/atom+xml"),
                     "alternate": ("https://example.org/digest/", "text/html")}
    assert parsed.language == "en"
    assert parsed.subtitle == "A digest for tests."
    # Atom requires an author for the feed unless every entry has one.
    assert parsed.author == "Test Digest"


def test_feed_author_is_the_configured_author_when_set(config):
    config = dataclasses.replace(config, author="Jane Editor")

    assert parse(feeds.atom_feed([], config)).feed.author == "Jane Editor"
    assert json_of(feeds.json_feed([], config))["authors"] == [{"name": "Jane Editor"}]


def test_empty_site_description_gets_a_default_because_rss_requires_one(config):
    config = dataclasses.replace(config, description="")

    description = xml_tree(feeds.rss_feed([], config)).findtext("channel/description")

    assert description == "The latest articles from Test Digest."
    assert json_of(feeds.json_feed([], config))["description"] == description


def test_page_path_is_the_channel_link(config):
    page = feeds.atom_feed([], config, page_path="topics/trade/")

    assert [link.href for link in parse(page).feed.links if link.rel == "alternate"] == \
        ["https://example.org/digest/topics/trade/"]


# --- items: order, limit, selection -------------------------------------------------------------

def test_items_are_newest_first_in_every_format(config):
    rss, atom, feed = feeds.feed_pages(three_articles(), config)

    assert [entry.title for entry in parse(rss).entries] == ["New", "Mid", "Old"]
    assert [entry.title for entry in parse(atom).entries] == ["New", "Mid", "Old"]
    assert [item["title"] for item in json_of(feed)["items"]] == ["New", "Mid", "Old"]


def test_articles_published_at_the_same_moment_are_ordered_by_id(config):
    articles = [make_article(id=name, title=name.upper(), published=at(24)) for name in ("c", "a", "b")]

    assert [item["title"] for item in json_of(feeds.json_feed(articles, config))["items"]] == ["A", "B", "C"]


def test_order_compares_instants_not_local_times(config):
    tokyo = timezone(timedelta(hours=9))
    earlier = make_article(id="tokyo", title="Tokyo 17:00", published=datetime(2025, 11, 24, 17, 0, tzinfo=tokyo))
    later = make_article(id="london", title="London 09:00", published=datetime(2025, 11, 24, 9, 0, tzinfo=UTC))

    titles = [entry.title for entry in parse(feeds.rss_feed([earlier, later], config)).entries]

    assert titles == ["London 09:00", "Tokyo 17:00"]


def test_feed_holds_at_most_feed_items_newest_articles(config):
    config = dataclasses.replace(config, feed_items=2)
    rss, atom, feed = feeds.feed_pages(three_articles(), config)

    assert [entry.title for entry in parse(rss).entries] == ["New", "Mid"]
    assert [entry.title for entry in parse(atom).entries] == ["New", "Mid"]
    assert [item["title"] for item in json_of(feed)["items"]] == ["New", "Mid"]


def test_drafts_are_left_out(config):
    articles = three_articles() + [make_article(id="draft", title="Draft", published=at(25), draft=True)]

    assert "Draft" not in [item["title"] for item in json_of(feeds.json_feed(articles, config))["items"]]


def test_an_article_given_twice_is_listed_once(config):
    article = make_article(id="same", title="Same")

    items = rss_items(feeds.rss_feed([article, article], config))

    assert len(items) == 1


# --- links and content -------------------------------------------------------------------------

def test_item_link_is_the_absolute_url_of_the_article(config):
    article = make_article(url_path="2025/11/24/example-headline/")
    rss, atom, feed = feeds.feed_pages([article], config)
    url = "https://example.org/digest/2025/11/24/example-headline/"

    assert parse(rss).entries[0].link == url
    assert parse(atom).entries[0].link == url
    assert json_of(feed)["items"][0]["url"] == url


def test_relative_links_and_images_in_the_content_become_absolute(config):
    article = make_article(url_path="2025/11/24/slug/", body_html=(
        '<p><a href="../../23/other/">yesterday</a> <a href="/about/">about</a> '
        '<a href="notes.html#n1">note</a> <a href="#fn1">1</a></p>'
        '<p><img src="chart.png" alt="Chart"> <img src="//cdn.example.net/x.jpg" alt=""></p>'
        '<blockquote cite="quote/">q</blockquote>'))
    base = "https://example.org/digest/2025/11/24/slug/"
    expected = {
        "yesterday": "https://example.org/digest/2025/11/23/other/",
        "about": "https://example.org/about/",
        "note": base + "notes.html#n1",
        "1": base + "#fn1",
    }

    for content in (parse(feeds.rss_feed([article], config)).entries[0].content[0].value,
                    parse(feeds.atom_feed([article], config)).entries[0].content[0].value,
                    json_of(feeds.json_feed([article], config))["items"][0]["content_html"]):
        fragment = etree.HTML(content)
        links = {a.text: a.get("href") for a in fragment.iter("a")}
        assert {text: links[text] for text in expected} == expected
        assert [img.get("src") for img in fragment.iter("img")] == \
            [base + "chart.png", "https://cdn.example.net/x.jpg"]


def test_blockquote_cite_and_srcset_are_made_absolute_too():
    html = ('<blockquote cite="quote/">q</blockquote>'
            '<img src="a.png" srcset="a.png 1x, big/a.png 2x" alt="">')

    result = feeds.absolute_links(html, "https://example.org/2025/s/")

    assert 'cite="https://example.org/2025/s/quote/"' in result
    assert 'srcset="https://example.org/2025/s/a.png 1x, https://example.org/2025/s/big/a.png 2x"' in result


def test_absolute_links_keep_the_rest_of_the_markup_as_written():
    html = ('<p class="lede">Tom &amp; Jerry &#8212; <em>“quoted”</em><br>'
            '<a href="https://example.com/x?a=1&amp;b=2" rel="noopener noreferrer">abs</a> '
            '<a href="mailto:desk@example.org">mail</a></p><!-- note -->')

    assert feeds.absolute_links(html, "https://example.org/a/") == html


def test_rebuilt_tags_escape_attribute_values():
    result = feeds.absolute_links('<a title="say &quot;hi&quot; &amp; go" href="x?a=1&amp;b=2">x</a>',
                                  "https://example.org/a/")

    assert result == '<a title="say &quot;hi&quot; &amp; go" href="https://example.org/a/x?a=1&amp;b=2">x</a>'


def test_source_url_is_linked_in_the_content_and_is_the_json_external_url(config):
    article = make_article(source="BBC News", source_url="https://www.bbc.co.uk/news/articles/c1?x=1&y=2")
    rss, atom, feed = feeds.feed_pages([article], config)

    for content in (parse(rss).entries[0].content[0].value, parse(atom).entries[0].content[0].value):
        link = etree.HTML(content).xpath("//a[text()='BBC News']")[0]
        assert link.get("href") == "https://www.bbc.co.uk/news/articles/c1?x=1&y=2"
    assert json_of(feed)["items"][0]["external_url"] == "https://www.bbc.co.uk/news/articles/c1?x=1&y=2"


@pytest.mark.parametrize("source_url", ["javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://x/",
                                        "not a url"])
def test_source_url_that_is_not_http_is_never_linked(config, source_url):
    article = make_article(source="Outlet", source_url=source_url)
    rss, atom, feed = feeds.feed_pages([article], config)

    assert b"Read the original" not in rss.content and b"Read the original" not in atom.content
    assert "external_url" not in json_of(feed)["items"][0]
    assert "Read the original" not in json_of(feed)["items"][0]["content_html"]


def test_atom_entry_has_one_link_so_no_duplicate_alternate(config):
    # feedgen 1.0 drops rel on entry links: a second link would be a second rel="alternate".
    article = make_article(source="BBC News", source_url="https://www.bbc.co.uk/news/1")
    entry = etree.fromstring(feeds.atom_feed([article], config).content).find("atom:entry", NS)

    assert [link.get("href") for link in entry.findall("atom:link", NS)] == \
        ["https://example.org/digest/2025/11/24/example-headline/"]


def test_no_source_url_means_no_external_url(config):
    item = json_of(feeds.json_feed([make_article()], config))["items"][0]

    assert "external_url" not in item
    assert item["content_html"] == "<p>First paragraph.</p>\n<p>Second paragraph.</p>"


def test_summary_is_the_description_and_the_body_is_the_content(config):
    article = make_article(summary="Growth < 2% & falling", body_html="<p>Body <b>text</b>.</p>")
    rss, atom, feed = feeds.feed_pages([article], config)
    item = rss_items(rss)[0]

    # RSS descriptions are HTML, so the plain-text summary is escaped once more inside them.
    assert item.findtext("description") == "Growth &lt; 2% &amp; falling"
    assert item.findtext("content:encoded", namespaces=NS) == "<p>Body <b>text</b>.</p>"
    entry = etree.fromstring(atom.content).find("atom:entry", NS)
    assert entry.findtext("atom:summary", namespaces=NS) == "Growth < 2% & falling"
    assert entry.find("atom:content", NS).get("type") == "html"
    assert entry.findtext("atom:content", namespaces=NS) == "<p>Body <b>text</b>.</p>"
    assert json_of(feed)["items"][0]["summary"] == "Growth < 2% & falling"


def test_article_without_body_gets_its_summary_as_content(config):
    article = make_article(body_html="", summary="Only a summary.")

    assert json_of(feeds.json_feed([article], config))["items"][0]["content_html"] == "<p>Only a summary.</p>"
    assert parse(feeds.atom_feed([article], config)).entries[0].content[0].value == "<p>Only a summary.</p>"


# --- ids ---------------------------------------------------------------------------------------

def test_guid_is_the_same_uuid_urn_in_every_format_and_not_a_permalink(config):
    rss, atom, feed = feeds.feed_pages([make_article()], config)
    guid = rss_items(rss)[0].find("guid")

    assert guid.get("isPermaLink") == "false"
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", guid.text)
    assert parse(atom).entries[0].id == guid.text
    assert json_of(feed)["items"][0]["id"] == guid.text


def test_guid_survives_edits_of_title_slug_and_date(config):
    original = make_article()
    edited = replace(original, title="A new headline", slug="a-new-headline",
                     url_path="2025/11/25/a-new-headline/", published=at(25), updated=at(26))

    assert feeds.article_guid(edited, config) == feeds.article_guid(original, config)
    assert rss_items(feeds.rss_feed([edited], config))[0].findtext("guid") == \
        rss_items(feeds.rss_feed([original], config))[0].findtext("guid")


def test_guid_differs_between_articles_and_between_sites(config):
    other_site = dataclasses.replace(config, base_url="https://another.example/")

    assert feeds.article_guid(make_article(id="one"), config) != feeds.article_guid(make_article(id="two"), config)
    assert feeds.article_guid(make_article(), config) != feeds.article_guid(make_article(), other_site)


def test_guid_does_not_change_when_the_site_moves_to_https(config):
    http = dataclasses.replace(config, base_url="http://example.org/digest/")

    assert feeds.article_guid(make_article(), http) == feeds.article_guid(make_article(), config)


# --- dates -------------------------------------------------------------------------------------

def test_rss_dates_are_rfc_822(config):
    tokyo = timezone(timedelta(hours=9))
    article = make_article(published=datetime(2025, 11, 24, 18, 30, 15, 123456, tzinfo=tokyo))
    channel = xml_tree(feeds.rss_feed([article], config)).find("channel")

    pub_date = channel.findtext("item/pubDate")
    assert RFC_822.match(pub_date)
    assert pub_date == "Mon, 24 Nov 2025 09:30:15 +0000"
    assert parsedate_to_datetime(pub_date) == datetime(2025, 11, 24, 9, 30, 15, tzinfo=UTC)
    assert RFC_822.match(channel.findtext("lastBuildDate"))


def test_atom_and_json_dates_are_rfc_3339(config):
    article = make_article(published=at(24), updated=at(25, 14))
    atom, feed = feeds.atom_feed([article], config), feeds.json_feed([article], config)
    entry = etree.fromstring(atom.content).find("atom:entry", NS)
    item = json_of(feed)["items"][0]

    dates = [entry.findtext("atom:published", namespaces=NS), entry.findtext("atom:updated", namespaces=NS),
             item["date_published"], item["date_modified"]]
    assert all(RFC_3339.match(date) for date in dates)
    assert [datetime.fromisoformat(date) for date in dates] == [at(24), at(25, 14), at(24), at(25, 14)]


def test_last_build_date_is_the_newest_item_date_not_the_clock(config):
    rss, atom, _ = feeds.feed_pages(three_articles(), config)

    assert parsedate_to_datetime(xml_tree(rss).findtext("channel/lastBuildDate")) == at(24)
    assert datetime.fromisoformat(etree.fromstring(atom.content).findtext("atom:updated", namespaces=NS)) == at(24)


def test_feed_date_counts_an_update_after_publication(config):
    articles = three_articles() + [make_article(id="fixed", published=at(21), updated=at(26, 8))]

    lastbuild = xml_tree(feeds.rss_feed(articles, config)).findtext("channel/lastBuildDate")

    assert parsedate_to_datetime(lastbuild) == at(26, 8)


def test_output_is_byte_identical_on_a_second_call_and_for_any_input_order(config):
    articles = three_articles()

    first = feeds.feed_pages(articles, config)

    assert feeds.feed_pages(articles, config) == first
    assert feeds.feed_pages(list(reversed(articles)), config) == first


def test_output_does_not_depend_on_the_build_time_when_items_are_dated(config):
    later = dataclasses.replace(config, build_time=BUILD_TIME + timedelta(days=30))

    assert feeds.feed_pages(three_articles(), later) == feeds.feed_pages(three_articles(), config)


def test_a_future_dated_article_dates_the_feeds_at_the_build_time_and_keeps_its_own_date(config):
    typo = make_article(id="typo", title="Typo", published=datetime(2062, 3, 4, 9, tzinfo=UTC))
    rss, atom, feed = feeds.feed_pages(three_articles() + [typo], config)

    channel = xml_tree(rss).find("channel")
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == BUILD_TIME
    assert parsedate_to_datetime(channel.findtext("item/pubDate")) == typo.published
    atom_tree = etree.fromstring(atom.content)
    assert datetime.fromisoformat(atom_tree.findtext("atom:updated", namespaces=NS)) == BUILD_TIME
    entry = atom_tree.find("atom:entry", NS)
    assert datetime.fromisoformat(entry.findtext("atom:published", namespaces=NS)) == typo.published
    assert datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS)) == typo.published
    # JSON Feed has no date of its own, only its items'.
    assert [key for key in json_of(feed) if "date" in key] == []
    assert datetime.fromisoformat(json_of(feed)["items"][0]["date_published"]) == typo.published


def test_a_future_update_is_capped_like_a_future_publication(config):
    articles = three_articles() + [make_article(id="fixed", published=at(21), updated=BUILD_TIME + timedelta(days=2))]

    lastbuild = xml_tree(feeds.rss_feed(articles, config)).findtext("channel/lastBuildDate")

    assert parsedate_to_datetime(lastbuild) == BUILD_TIME


def test_feeds_with_a_future_dated_article_follow_the_build_time(config):
    typo = make_article(id="typo", published=datetime(2062, 3, 4, tzinfo=UTC))
    later = dataclasses.replace(config, build_time=BUILD_TIME + timedelta(days=30))

    assert feeds.feed_pages([typo], later)[:2] != feeds.feed_pages([typo], config)[:2]


# --- undated articles --------------------------------------------------------------------------

def test_undated_articles_come_after_dated_ones_without_a_date(config):
    undated = make_article(id="undated", title="Undated", published=None, url_path="undated/undated/")
    rss, atom, feed = feeds.feed_pages([undated] + three_articles(), config)

    items = rss_items(rss)
    assert [item.findtext("title") for item in items] == ["New", "Mid", "Old", "Undated"]
    assert items[-1].find("pubDate") is None
    entry = etree.fromstring(atom.content).findall("atom:entry", NS)[-1]
    assert entry.find("atom:published", NS) is None
    # Atom requires updated: an undated entry takes the feed's own date, the newest item's.
    assert datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS)) == at(24)
    json_item = json_of(feed)["items"][-1]
    assert "date_published" not in json_item and "date_modified" not in json_item


def test_a_feed_of_only_undated_articles_is_dated_by_the_build_time(config):
    undated = make_article(published=None)
    rss, atom, _ = feeds.feed_pages([undated], config)

    assert parsedate_to_datetime(xml_tree(rss).findtext("channel/lastBuildDate")) == BUILD_TIME
    entry = parse(atom).entries[0]
    assert datetime.fromisoformat(entry.updated) == BUILD_TIME


def test_naive_datetimes_are_refused_as_a_bug(config):
    with pytest.raises(ValueError, match="no time zone"):
        feeds.rss_feed([make_article(published=datetime(2025, 11, 24, 9, 30))], config)


# --- titles, authors, categories ---------------------------------------------------------------

TRICKY_TITLE = 'Q&A: <b>Tariffs</b> & "trade" — it\'s 🎉 <script>'


def test_titles_with_markup_quotes_and_emoji_survive_as_plain_text(config):
    article = make_article(title=TRICKY_TITLE)
    rss, atom, feed = feeds.feed_pages([article], config)

    assert rss_items(rss)[0].findtext("title") == TRICKY_TITLE
    assert parse(atom).entries[0].title == TRICKY_TITLE
    assert json_of(feed)["items"][0]["title"] == TRICKY_TITLE
    assert "🎉".encode() in rss.content and "🎉".encode() in feed.content


def test_markup_characters_in_xml_text_are_hex_character_references(config):
    # The W3C validator's RSS profile check asks for &#x26; and &#x3C; in plain-text elements.
    rss = feeds.rss_feed([make_article(title="AT&T <b>wins</b>")], config)

    assert b"<title>AT&#x26;T &#x3C;b&gt;wins&#x3C;/b&gt;</title>" in rss.content
    assert b"&amp;" not in rss.content and b"&lt;" not in rss.content


def test_control_characters_are_dropped_from_xml_and_json(config):
    article = make_article(title="Bell\x07 and\x0c form\x85feed", summary="tab\tkept\x1b")
    rss, atom, feed = feeds.feed_pages([article], config)

    assert rss_items(rss)[0].findtext("title") == "Bell and formfeed"
    assert parse(atom).entries[0].title == "Bell and formfeed"
    assert json_of(feed)["items"][0]["summary"] == "tab\tkept"


def test_untitled_article_gets_a_placeholder_title(config):
    assert parse(feeds.atom_feed([make_article(title="  ")], config)).entries[0].title == "Untitled"


def test_authors_are_dc_creator_in_rss_and_authors_in_atom_and_json(config):
    article = make_article(authors=("Ann Lee", "Bo Chen"), source="Reuters")
    rss, atom, feed = feeds.feed_pages([article], config)
    item = rss_items(rss)[0]

    assert [node.text for node in item.findall("dc:creator", NS)] == ["Ann Lee", "Bo Chen"]
    # RSS <author> must hold an e-mail address; with names only it is left out.
    assert item.find("author") is None
    assert [author.name for author in parse(atom).entries[0].authors] == ["Ann Lee", "Bo Chen"]
    assert json_of(feed)["items"][0]["authors"] == [{"name": "Ann Lee"}, {"name": "Bo Chen"}]


def test_outlet_is_the_author_when_the_article_names_none(config):
    article = make_article(authors=(), source="Reuters")
    rss, atom, feed = feeds.feed_pages([article], config)

    assert [node.text for node in rss_items(rss)[0].findall("dc:creator", NS)] == ["Reuters"]
    assert parse(atom).entries[0].author == "Reuters"
    assert json_of(feed)["items"][0]["authors"] == [{"name": "Reuters"}]


def test_article_without_authors_or_outlet_has_no_item_author(config):
    rss, atom, feed = feeds.feed_pages([make_article()], config)

    assert rss_items(rss)[0].find("dc:creator", NS) is None
    assert etree.fromstring(atom.content).find("atom:entry/atom:author", NS) is None
    assert "authors" not in json_of(feed)["items"][0]


def test_categories_are_topics_or_else_tags(config):
    with_topics = make_article(id="t", topics=("Trade", "Taiwan"), tags=("ignored",))
    with_tags = make_article(id="g", published=at(23), tags=("markets", "markets", "asia"))
    rss, atom, feed = feeds.feed_pages([with_topics, with_tags], config)

    assert [[c.text for c in item.findall("category")] for item in rss_items(rss)] == \
        [["Trade", "Taiwan"], ["markets", "asia"]]
    assert [[tag.term for tag in entry.tags] for entry in parse(atom).entries] == \
        [["Trade", "Taiwan"], ["markets", "asia"]]
    assert [item["tags"] for item in json_of(feed)["items"]] == [["Trade", "Taiwan"], ["markets", "asia"]]


HOSTILE_TAG = "<script>alert(1)</script>"


def test_a_topic_name_is_escaped_html_in_the_rss_channel_description_and_plain_text_elsewhere(config):
    config = dataclasses.replace(config, description="")
    article = make_article(title="Rates <b>rise</b> & fall", topics=(HOSTILE_TAG, "Tom & Jerry"))
    rss, atom, feed = feeds.feed_pages([article], config, path_prefix="topics/script/",
                                       title=f"Test Digest: {HOSTILE_TAG}",
                                       items=feeds.FeedItems(config, full_content=False))
    channel = xml_tree(rss).find("channel")

    # RSS readers show the description as HTML: the name must come out of it as text, never as a tag.
    description = channel.findtext("description")
    assert description == "The latest articles from Test Digest: &lt;script&gt;alert(1)&lt;/script&gt;."
    assert "<script" not in description
    assert html.unescape(description) == f"The latest articles from Test Digest: {HOSTILE_TAG}."
    assert channel.findtext("title") == f"Test Digest: {HOSTILE_TAG}"
    assert [category.text for category in channel.findall("item/category")] == [HOSTILE_TAG, "Tom & Jerry"]
    assert channel.findtext("item/title") == "Rates <b>rise</b> & fall"
    atom_tree = etree.fromstring(atom.content)
    assert atom_tree.findtext("atom:subtitle", namespaces=NS) == html.unescape(description)
    assert [category.get("term") for category in atom_tree.findall("atom:entry/atom:category", NS)] == \
        [HOSTILE_TAG, "Tom & Jerry"]
    assert json_of(feed)["description"] == html.unescape(description)
    assert json_of(feed)["items"][0]["tags"] == [HOSTILE_TAG, "Tom & Jerry"]


def test_a_site_description_is_escaped_html_in_rss_only(config):
    config = dataclasses.replace(config, description="News & <views>")
    rss, atom, feed = feeds.feed_pages([], config)

    assert xml_tree(rss).findtext("channel/description") == "News &amp; &lt;views&gt;"
    assert parse(rss).feed.subtitle == "News &amp; &lt;views&gt;"  # feedparser reads it as HTML: all text
    assert parse(atom).feed.subtitle == "News & <views>"
    assert json_of(feed)["description"] == "News & <views>"


def test_a_summary_only_item_has_escaped_html_in_rss_and_plain_text_in_atom(config):
    article = make_article(summary="Growth < 2% & <i>falling</i>", body_html="<p>Body.</p>")
    rss, atom, feed = feeds.feed_pages([article], config, items=feeds.FeedItems(config, full_content=False))
    item = rss_items(rss)[0]

    assert item.findtext("description") == "Growth &lt; 2% &amp; &lt;i&gt;falling&lt;/i&gt;"
    assert item.find("content:encoded", NS) is None
    entry = etree.fromstring(atom.content).find("atom:entry", NS)
    # Atom text constructs without a type are plain text, so they hold the summary as it is.
    for name in ("summary", "content"):
        assert entry.find(f"atom:{name}", NS).get("type") is None
        assert entry.findtext(f"atom:{name}", namespaces=NS) == "Growth < 2% & <i>falling</i>"
    assert json_of(feed)["items"][0]["content_text"] == "Growth < 2% & <i>falling</i>"


# --- sub-path sites, empty feeds ---------------------------------------------------------------

def test_sub_path_base_url_is_kept_in_every_url(config):
    config = dataclasses.replace(config, base_url="https://user.github.io/project/")
    article = make_article(url_path="2025/11/24/slug/", body_html='<p><img src="pic.png" alt=""></p>')
    rss, atom, feed = feeds.feed_pages([article], config)
    channel = xml_tree(rss).find("channel")

    assert channel.findtext("link") == "https://user.github.io/project/"
    assert channel.find("atom:link", NS).get("href") == "https://user.github.io/project/feed.xml"
    assert channel.findtext("item/link") == "https://user.github.io/project/2025/11/24/slug/"
    assert "https://user.github.io/project/2025/11/24/slug/pic.png" in channel.findtext(
        "item/content:encoded", namespaces=NS)
    assert [link.href for link in parse(atom).feed.links if link.rel == "self"] == \
        ["https://user.github.io/project/atom.xml"]
    assert json_of(feed)["feed_url"] == "https://user.github.io/project/feed.json"
    assert json_of(feed)["items"][0]["url"] == "https://user.github.io/project/2025/11/24/slug/"


def test_feeds_without_items_are_still_complete(config):
    rss, atom, feed = feeds.feed_pages([], config)
    channel = xml_tree(rss).find("channel")

    assert channel.findall("item") == []
    assert channel.findtext("title") and channel.findtext("link") and channel.findtext("description")
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == BUILD_TIME
    parsed_atom = parse(atom)
    assert parsed_atom.entries == []
    assert datetime.fromisoformat(parsed_atom.feed.updated) == BUILD_TIME
    assert json_of(feed)["items"] == []


def test_json_feed_has_the_required_fields_in_a_fixed_order(config):
    page = feeds.json_feed(three_articles(), config)
    feed = json_of(page)

    assert list(feed) == ["version", "title", "home_page_url", "feed_url", "description", "language", "items"]
    assert all({"id", "url", "title", "content_html"} <= set(item) for item in feed["items"])
    assert page.content.endswith(b"}\n")
    # one item a line, so the file reads and diffs like indented JSON
    item_lines = [line for line in page.content.decode().splitlines() if line.startswith('    {"id": ')]
    assert [json.loads(line.rstrip(",")) for line in item_lines] == feed["items"]


# --- browser stylesheet ------------------------------------------------------------------------

def test_xml_feeds_link_the_stylesheet_after_the_xml_declaration(config):
    config = dataclasses.replace(config, base_url="https://user.github.io/project/")

    for page in feeds.feed_pages([], config)[:2]:
        lines = page.content.decode().splitlines()
        assert lines[0].startswith("<?xml version=")
        assert lines[1] == '<?xml-stylesheet type="text/xsl" href="/project/static/feed.xsl"?>'


@pytest.mark.parametrize("feed", [feeds.rss_feed, feeds.atom_feed])
def test_stylesheet_turns_both_xml_feeds_into_a_page_with_subscribe_instructions(config, feed):
    page = feed([make_article(title="Tom & Jerry", summary="Cats < dogs & mice", authors=("Ann",))], config)

    shown = str(etree.XSLT(etree.parse(str(STYLESHEET)))(etree.fromstring(page.content)))

    assert "copy this address into your feed reader" in shown
    assert f"<code>{config.base_url}{page.path}</code>" in shown
    assert ">Tom &amp; Jerry</a>" in shown
    assert "<p>Cats &lt; dogs &amp; mice</p>" in shown
    assert "· Ann</p>" in shown


@pytest.mark.parametrize("feed", [feeds.rss_feed, feeds.atom_feed])
def test_stylesheet_shows_the_channel_description_as_the_text_it_is(config, feed):
    config = dataclasses.replace(config, description="News & views <weekly>")
    page = feed([make_article()], config)

    shown = str(etree.XSLT(etree.parse(str(STYLESHEET)))(etree.fromstring(page.content)))

    # escaped once for HTML in RSS, not at all in Atom: the page shows the same text for both
    assert "News &amp; views &lt;weekly&gt;" in shown
    assert "&amp;amp;" not in shown and "&amp;lt;" not in shown


# --- properties --------------------------------------------------------------------------------

XML_SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=60, deadline=None)
@given(title=XML_SAFE_TEXT, summary=XML_SAFE_TEXT)
def test_any_title_and_summary_come_back_unchanged_from_atom_and_json(title, summary):
    article = make_article(title=title, summary=summary)
    expected_title = feeds.clean_text(title).strip() or "Untitled"

    entry = etree.fromstring(feeds.atom_feed([article], SITE).content).find("atom:entry", NS)
    item = json_of(feeds.json_feed([article], SITE))["items"][0]

    assert entry.findtext("atom:title", namespaces=NS) == item["title"] == expected_title
    assert (entry.findtext("atom:summary", namespaces=NS) or "") == item.get("summary", "") == \
        feeds.clean_text(summary)


@settings(max_examples=60, deadline=None)
@given(path=st.text(st.sampled_from("ab/.#?-_ %é"), max_size=20))
def test_rewritten_href_is_always_absolute(path):
    fragment = f'<a href="{html.escape(path)}">x</a>'

    href = etree.HTML(feeds.absolute_links(fragment, "https://example.org/p/")).find(".//a").get("href")

    # "//host/x" is already absolute (another host, same scheme); everything else stays on this site.
    on_this_site = not path.strip(" ").startswith("//")
    assert href.startswith("https://example.org/" if on_this_site else "https://")
