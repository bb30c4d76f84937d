"""tools/feedcheck.py: valid feeds pass, each rule rejects a feed broken in that one way, and our built
feeds pass."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import feedcheck  # noqa: E402 - tools/ is not a package; it is put on the path above

from generator import cli  # noqa: E402

SITE_URL = "https://example.org/site/"
XSL = """<?xml version="1.0"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>
"""

VALID_RSS = """<?xml version='1.0' encoding='UTF-8'?>
<?xml-stylesheet type="text/xsl" href="/site/static/feed.xsl"?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>Example</title>
    <link>https://example.org/site/</link>
    <description>Example feed.</description>
    <atom:link href="https://example.org/site/feed.xml" rel="self" type="application/rss+xml"/>
    <language>en</language>
    <lastBuildDate>Wed, 04 Feb 2026 00:00:00 +0000</lastBuildDate>
    <item>
      <title>First</title>
      <link>https://example.org/site/first/</link>
      <description>First summary.</description>
      <content:encoded>&lt;p&gt;See &lt;a href="https://example.org/site/x/"&gt;this&lt;/a&gt;.&lt;/p&gt;</content:encoded>
      <guid isPermaLink="false">urn:uuid:2bf8002c-b78e-51e9-8e4a-f0b04c8cdc68</guid>
      <dc:creator>A. Writer</dc:creator>
      <pubDate>Wed, 04 Feb 2026 00:00:00 +0000</pubDate>
    </item>
    <item>
      <title>Second</title>
      <link>https://example.org/site/second/</link>
      <guid>https://example.org/site/second/</guid>
      <pubDate>Mon, 24 Nov 2025 23:03:34 GMT</pubDate>
    </item>
  </channel>
</rss>
"""

VALID_ATOM = """<?xml version='1.0' encoding='UTF-8'?>
<?xml-stylesheet type="text/xsl" href="/site/static/feed.xsl"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>urn:uuid:7f135ff1-0efd-5e28-a3bc-86b1bbbd6160</id>
  <title>Example</title>
  <updated>2026-02-04T00:00:00+00:00</updated>
  <author>
    <name>Example</name>
  </author>
  <link href="https://example.org/site/atom.xml" rel="self" type="application/atom+xml"/>
  <link href="https://example.org/site/" rel="alternate" type="text/html"/>
  <entry>
    <id>urn:uuid:2bf8002c-b78e-51e9-8e4a-f0b04c8cdc68</id>
    <title>First</title>
    <updated>2026-02-04T00:00:00Z</updated>
    <link href="https://example.org/site/first/"/>
    <content type="html">&lt;p&gt;&lt;img src="https://example.org/site/a.png" alt=""&gt;Text&lt;br&gt;more&lt;/p&gt;</content>
  </entry>
  <entry>
    <id>urn:uuid:3bf8002c-b78e-51e9-8e4a-f0b04c8cdc68</id>
    <title>Second</title>
    <updated>2025-11-24T23:03:34.5-05:00</updated>
    <published>2025-11-24T23:03:34-05:00</published>
    <link href="https://example.org/site/second/"/>
    <summary>Second summary.</summary>
  </entry>
</feed>
"""

VALID_JSON = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Example",
    "home_page_url": "https://example.org/site/",
    "feed_url": "https://example.org/site/feed.json",
    "language": "en",
    "items": [
        {"id": "urn:uuid:2bf8002c-b78e-51e9-8e4a-f0b04c8cdc68", "url": "https://example.org/site/first/",
         "title": "First", "content_html": "<p>See <a href=\"https://example.org/site/x/\">this</a>.</p>",
         "date_published": "2026-02-04T00:00:00+00:00", "authors": [{"name": "A. Writer"}], "tags": ["Trade"]},
        {"id": "urn:uuid:3bf8002c-b78e-51e9-8e4a-f0b04c8cdc68", "url": "https://example.org/site/second/",
         "content_text": "Second.", "date_modified": "2025-11-24T23:03:34Z"},
    ],
}


def make_site(tmp_path: Path, files: dict[str, str]) -> Path:
    """Write a site folder with the feed stylesheet and `files`; return the folder."""
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / "static" / "feed.xsl").write_text(XSL, encoding="utf-8")
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def messages(tmp_path: Path, files: dict[str, str], level: str = "error") -> list[str]:
    result = feedcheck.check_site(make_site(tmp_path, files), SITE_URL)
    return [problem.message for problem in result.problems if problem.level == level]


def mutated(text: str, old: str, new: str) -> str:
    assert old in text, f"the valid feed no longer contains {old!r}"
    return text.replace(old, new, 1)


def test_valid_feeds_of_each_kind_pass(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"feed.xml": VALID_RSS, "atom.xml": VALID_ATOM, "feed.json": json.dumps(VALID_JSON)})

    result = feedcheck.check_site(site, SITE_URL)

    assert result.problems == []
    assert sorted(feed.kind for feed in result.feeds) == ["atom", "json", "rss"]
    assert result.items == 6


RSS_BREAKAGES = [
    ("not well-formed", "<title>Example</title>", "<title>Example</titel>",
     "not well-formed XML: Opening and ending tag mismatch: title line 5 and titel, line 5, column 27"),
    ("wrong version", 'version="2.0"', 'version="0.91"', "<rss> has version '0.91' (expected '2.0')"),
    ("no description", "<description>Example feed.</description>", "",
     "<channel> has no <description> (RSS 2.0 requires title, link and description)"),
    ("relative channel link", "<link>https://example.org/site/</link>", "<link>/site/</link>",
     "channel <link> '/site/' is relative (expected an absolute URL with a scheme)"),
    ("undefined element", "<language>en</language>", "<lang>en</lang>",
     "<channel> contains <lang>, which RSS 2.0 does not define"),
    ("bad language", "<language>en</language>", "<language>English</language>",
     "channel language 'English' is not a language tag (expected like 'en' or 'en-GB')"),
    ("wrong day name", "<pubDate>Wed, 04 Feb 2026", "<pubDate>Thu, 04 Feb 2026",
     "item <pubDate>: date 'Thu, 04 Feb 2026 00:00:00 +0000': the day is a Wed, not a Thu"),
    ("unknown day name", "<pubDate>Wed, 04", "<pubDate>Wen, 04",
     "item <pubDate>: date 'Wen, 04 Feb 2026 00:00:00 +0000': 'Wen' is not a day name "
     "(expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun)"),
    ("UTC is no RFC 822 zone", "23:03:34 GMT", "23:03:34 UTC",
     "item <pubDate>: date 'Mon, 24 Nov 2025 23:03:34 UTC': 'UTC' is not an RFC 822 zone "
     "(expected +hhmm, -hhmm, GMT, UT or a US zone)"),
    ("ISO date in RSS", "<lastBuildDate>Wed, 04 Feb 2026 00:00:00 +0000", "<lastBuildDate>2026-02-04T00:00:00Z",
     "channel <lastBuildDate>: date '2026-02-04T00:00:00Z' is not an RFC 822 date-time "
     "(expected like 'Wed, 04 Feb 2026 00:00:00 +0000')"),
    ("impossible date", "Mon, 24 Nov 2025", "Mon, 31 Nov 2025",
     "item <pubDate>: date 'Mon, 31 Nov 2025 23:03:34 GMT' does not exist (day is out of range for month)"),
    ("duplicate guid", "<guid>https://example.org/site/second/</guid>",
     '<guid isPermaLink="false">urn:uuid:2bf8002c-b78e-51e9-8e4a-f0b04c8cdc68</guid>',
     "item <guid> 'urn:uuid:2bf8002c-b78e-51e9-8e4a-f0b04c8cdc68' repeats the guid of the item at line 16"),
    ("relative permalink guid", "<guid>https://example.org/site/second/</guid>", "<guid>/site/second/</guid>",
     "item <guid> '/site/second/' is a permalink (isPermaLink is not \"false\") but is relative "
     "(expected an absolute URL with a scheme)"),
    ("relative item link", "<link>https://example.org/site/first/</link>", "<link>first/</link>",
     "item <link> 'first/' is relative (expected an absolute URL with a scheme)"),
    ("no self link", '<atom:link href="https://example.org/site/feed.xml" rel="self" type="application/rss+xml"/>',
     "", "<channel> has no <atom:link rel=\"self\"> naming the feed's own URL (https://example.org/site/feed.xml)"),
    ("self link elsewhere", 'href="https://example.org/site/feed.xml"', 'href="https://example.org/feed.xml"',
     "rel=\"self\" href 'https://example.org/feed.xml' does not match the feed's URL "
     "'https://example.org/site/feed.xml'"),
    ("relative href in content", 'href="https://example.org/site/x/"', 'href="../x/"',
     'item <content:encoded>: <a href="../x/">: the URL is relative (expected an absolute URL with a scheme); '
     "feed content is read away from the site, so every href and src must be absolute"),
    ("unescaped HTML", "<description>First summary.</description>", "<description><p>First</p></description>",
     "item <description> contains a child element <p>: HTML in it must be escaped"),
    ("unclosed tag", "&lt;p&gt;See", "&lt;p&gt;&lt;b&gt;See",
     "item <content:encoded>: <b> is not closed before </p>"),
    ("stray end tag", "this&lt;/a&gt;", "this&lt;/a&gt;&lt;/em&gt;",
     "item <content:encoded>: end tag </em> has no matching start tag"),
    ("script in content", "&lt;p&gt;See", "&lt;script&gt;x()&lt;/script&gt;&lt;p&gt;See",
     "item <content:encoded>: contains a <script> element, which feed readers strip or refuse"),
    ("item with neither title nor description", "<title>Second</title>", "",
     "<item> has neither <title> nor <description> (RSS 2.0 requires one)"),
    ("missing stylesheet", 'href="/site/static/feed.xsl"', 'href="/site/static/gone.xsl"',
     "xml-stylesheet href '/site/static/gone.xsl' resolves to https://example.org/site/static/gone.xsl, "
     "but {site}/static/gone.xsl does not exist"),
    ("stylesheet on another site", 'href="/site/static/feed.xsl"', 'href="https://cdn.example.net/feed.xsl"',
     "xml-stylesheet href 'https://cdn.example.net/feed.xsl' resolves to https://cdn.example.net/feed.xsl, "
     "outside the site https://example.org/site/"),
]


@pytest.mark.parametrize(("old", "new", "expected"), [case[1:] for case in RSS_BREAKAGES],
                         ids=[case[0] for case in RSS_BREAKAGES])
def test_rss_feed_broken_in_one_way_is_rejected(tmp_path: Path, old: str, new: str, expected: str) -> None:
    found = messages(tmp_path, {"feed.xml": mutated(VALID_RSS, old, new)})

    assert expected.format(site=tmp_path / "site") in found


ATOM_BREAKAGES = [
    ("no feed id", "<id>urn:uuid:7f135ff1-0efd-5e28-a3bc-86b1bbbd6160</id>", "",
     "<feed> has no <id> (RFC 4287 requires id, title and updated)"),
    ("two feed titles", "<title>Example</title>", "<title>Example</title><title>Again</title>",
     "<feed> has 2 <title> elements (at most one is allowed)"),
    ("entry without updated", "<updated>2026-02-04T00:00:00Z</updated>", "",
     "<entry> has no <updated> (RFC 4287 requires id, title and updated)"),
    ("no author anywhere", "<author>\n    <name>Example</name>\n  </author>", "",
     "<entry> has no <author>, and neither has the feed (RFC 4287 requires one)"),
    ("entry without link", '<link href="https://example.org/site/first/"/>', "",
     "<entry> has no <link rel=\"alternate\"> to the article's page"),
    ("date not RFC 3339", "<updated>2026-02-04T00:00:00+00:00</updated>", "<updated>2026-02-04 00:00:00</updated>",
     "feed <updated>: date '2026-02-04 00:00:00' is not an RFC 3339 date-time "
     "(expected like '2026-02-04T00:00:00+00:00')"),
    ("lowercase t", "<updated>2026-02-04T00:00:00Z</updated>", "<updated>2026-02-04t00:00:00Z</updated>",
     "entry <updated>: date '2026-02-04t00:00:00Z': RFC 4287 requires an uppercase 'T' and 'Z'"),
    ("offset out of range", "<published>2025-11-24T23:03:34-05:00", "<published>2025-11-24T23:03:34-25:00",
     "entry <published>: date '2025-11-24T23:03:34-25:00': the offset -25:00 is out of range"),
    ("duplicate entry id", "<id>urn:uuid:3bf8002c", "<id>urn:uuid:2bf8002c",
     "entry <id> 'urn:uuid:2bf8002c-b78e-51e9-8e4a-f0b04c8cdc68' repeats the id of the entry at line 13"),
    ("relative id", "<id>urn:uuid:3bf8002c-b78e-51e9-8e4a-f0b04c8cdc68</id>", "<id>second</id>",
     "entry <id> 'second' is relative (expected an absolute URL with a scheme) (RFC 4287 wants an absolute IRI)"),
    ("malformed urn:uuid", "<id>urn:uuid:3bf8002c-b78e-51e9-8e4a-f0b04c8cdc68</id>", "<id>urn:uuid:3bf8002c</id>",
     "entry <id> 'urn:uuid:3bf8002c' is a urn:uuid whose UUID is malformed (RFC 4287 wants an absolute IRI)"),
    ("relative entry link", '<link href="https://example.org/site/second/"/>', '<link href="second/"/>',
     "entry <link> href 'second/' is relative (expected an absolute URL with a scheme)"),
    ("two alternates of one type", '<link href="https://example.org/site/first/"/>',
     '<link href="https://example.org/site/first/"/><link href="https://example.org/site/one/"/>',
     "entry has two rel=\"alternate\" links with type None and hreflang None (lines 16 and 16)"),
    ("self link elsewhere", 'href="https://example.org/site/atom.xml"', 'href="https://example.org/site/feed.xml"',
     "rel=\"self\" href 'https://example.org/site/feed.xml' does not match the feed's URL "
     "'https://example.org/site/atom.xml'"),
    ("self link of another type", 'rel="self" type="application/atom+xml"', 'rel="self" type="application/rss+xml"',
     "rel=\"self\" link has type 'application/rss+xml'; this feed is application/atom+xml"),
    ("html content not escaped", '<content type="html">&lt;p&gt;&lt;img', '<content type="html"><p>Text</p>&lt;p&gt;&lt;img',
     "entry <content> (type html) contains a child element <p>: HTML in it must be escaped"),
    ("relative src in content", 'src="https://example.org/site/a.png"', 'src="/site/a.png"',
     'entry <content> (type html): <img src="/site/a.png">: the URL is relative (expected an absolute URL '
     "with a scheme); feed content is read away from the site, so every href and src must be absolute"),
    ("unknown text type", '<content type="html">', '<content type="markdown">',
     "entry <content> has type 'markdown' (expected text, html or xhtml)"),
    ("undefined element", "<summary>Second summary.</summary>", "<description>Second.</description>",
     "<entry> contains <description>, which RFC 4287 does not define there"),
    ("stylesheet missing", 'href="/site/static/feed.xsl"', 'href="static/feed.xsl.bak"',
     "xml-stylesheet href 'static/feed.xsl.bak' resolves to https://example.org/site/static/feed.xsl.bak, "
     "but {site}/static/feed.xsl.bak does not exist"),
]


@pytest.mark.parametrize(("old", "new", "expected"), [case[1:] for case in ATOM_BREAKAGES],
                         ids=[case[0] for case in ATOM_BREAKAGES])
def test_atom_feed_broken_in_one_way_is_rejected(tmp_path: Path, old: str, new: str, expected: str) -> None:
    found = messages(tmp_path, {"atom.xml": mutated(VALID_ATOM, old, new)})

    assert expected.format(site=tmp_path / "site") in found


def json_with(change) -> str:
    feed = json.loads(json.dumps(VALID_JSON))
    change(feed)
    return json.dumps(feed, indent=2)


JSON_BREAKAGES = [
    ("wrong version", lambda feed: feed.update(version="https://jsonfeed.org/version/2"),
     "version is 'https://jsonfeed.org/version/2' (expected 'https://jsonfeed.org/version/1.1')"),
    ("no title", lambda feed: feed.pop("title"), "title is missing or empty (JSON Feed requires a title)"),
    ("no items", lambda feed: feed.pop("items"), "items is missing or not an array (JSON Feed requires items)"),
    ("item without id", lambda feed: feed["items"][1].pop("id"), "items[1] has no id (JSON Feed requires one)"),
    ("duplicate id", lambda feed: feed["items"][1].update(id=feed["items"][0]["id"]),
     "items[1].id 'urn:uuid:2bf8002c-b78e-51e9-8e4a-f0b04c8cdc68' repeats the id of items[0]"),
    ("no content", lambda feed: feed["items"][1].pop("content_text"),
     "items[1] has neither content_html nor content_text (JSON Feed requires one)"),
    ("relative item url", lambda feed: feed["items"][0].update(url="/site/first/"),
     "items[0].url '/site/first/' is relative (expected an absolute URL with a scheme)"),
    ("relative link in content_html", lambda feed: feed["items"][0].update(content_html='<a href="x/">x</a>'),
     'items[0].content_html: <a href="x/">: the URL is relative (expected an absolute URL with a scheme); '
     "feed content is read away from the site, so every href and src must be absolute"),
    ("date not RFC 3339", lambda feed: feed["items"][0].update(date_published="04/02/2026"),
     "items[0].date_published: date '04/02/2026' is not an RFC 3339 date-time "
     "(expected like '2026-02-04T00:00:00+00:00')"),
    ("feed_url elsewhere", lambda feed: feed.update(feed_url="https://example.org/feed.json"),
     "feed_url 'https://example.org/feed.json' does not match the feed's URL 'https://example.org/site/feed.json'"),
    ("home_page_url with a space", lambda feed: feed.update(home_page_url="https://example.org/my site/"),
     "home_page_url 'https://example.org/my site/' contains a space, control character or one of "
     "<>\"\\^`{|} (percent-encode it)"),
    ("empty author", lambda feed: feed["items"][0].update(authors=[{}]),
     "items[0].authors[0] has none of name, url and avatar (JSON Feed requires one)"),
    ("tags not strings", lambda feed: feed["items"][0].update(tags=[1, 2]),
     "items[0].tags is not an array of non-empty strings"),
]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in JSON_BREAKAGES],
                         ids=[case[0] for case in JSON_BREAKAGES])
def test_json_feed_broken_in_one_way_is_rejected(tmp_path: Path, change, expected: str) -> None:
    found = messages(tmp_path, {"feed.json": json_with(change)})

    assert expected in found


def test_json_feed_that_is_not_json_is_rejected(tmp_path: Path) -> None:
    text = json.dumps(VALID_JSON, indent=2).replace('"title": "Example",', '"title": "Example"', 1)

    result = feedcheck.check_site(make_site(tmp_path, {"feed.json": text}), SITE_URL)

    assert [(problem.line, problem.message) for problem in result.errors] == [
        (4, "not valid JSON: Expecting ',' delimiter")]


@pytest.mark.parametrize("date", ["Wed, 04 Feb 2026 00:00:00 +0000", "4 Feb 2026 00:00 GMT",
                                  "Mon, 24 Nov 2025 18:03:34 EST", "wed, 04 feb 2026 00:00:00 -0130"])
def test_rfc822_dates_rss_readers_accept_pass(date: str) -> None:
    assert feedcheck.rfc822_problems(date) == []


def test_two_digit_year_and_military_zone_are_warnings() -> None:
    assert feedcheck.rfc822_problems("Wed, 04 Feb 26 00:00:00 Z") == [
        ("warning", "date 'Wed, 04 Feb 26 00:00:00 Z' has a two-digit year (use four digits)"),
        ("warning", "date 'Wed, 04 Feb 26 00:00:00 Z': military zone 'Z' is obsolete (use +0000 or GMT)")]


@pytest.mark.parametrize("date", ["2026-02-04T00:00:00Z", "2026-02-04T00:00:00.123+05:30", "2016-12-31T23:59:60Z"])
def test_rfc3339_dates_pass(date: str) -> None:
    assert feedcheck.rfc3339_problem(date, uppercase=True) is None


def test_sitemaps_and_other_json_are_not_taken_for_feeds(tmp_path: Path) -> None:
    sitemap = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/x</loc></url></urlset>'
    site = make_site(tmp_path, {"feed.xml": VALID_RSS, "sitemap.xml": sitemap,
                                "articles.json": json.dumps({"version": 1, "articles": []})})

    result = feedcheck.check_site(site, SITE_URL)

    assert [feed.path.name for feed in result.feeds] == ["feed.xml"]
    assert result.problems == []


def test_folder_without_feeds_is_an_error(tmp_path: Path) -> None:
    assert messages(tmp_path, {"index.html": "<p>hi</p>"}) == ["no RSS, Atom or JSON feed found"]


def test_command_line_exits_1_and_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path, {"feed.xml": mutated(VALID_RSS, "<link>https://example.org/site/first/</link>",
                                                    "<link>first/</link>")})

    status = feedcheck.main([str(site), "--site-url", SITE_URL])

    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0] == (f"{site / 'feed.xml'}:13: error: item <link> 'first/' is relative "
                      "(expected an absolute URL with a scheme)")
    assert out[-1] == ("feedcheck: 1 errors, 0 warnings in 1 feeds (1 RSS, 0 Atom, 0 JSON Feed; 2 items)")


@pytest.mark.parametrize("base_url", ["https://example.org/broadsheet/", "http://127.0.0.1:8000/sub/path/"])
def test_feeds_built_from_our_content_pass(tmp_path: Path, base_url: str) -> None:
    output = tmp_path / "public"
    status = cli.main(["build", "--config", str(ROOT / "site.toml"), "--output", str(output),
                       "--base-url", base_url], environ={"SOURCE_DATE_EPOCH": "1767225600"})
    assert status == 0

    result = feedcheck.check_site(output, base_url)

    assert [str(problem) for problem in result.problems] == []
    assert {feed.path.relative_to(output).as_posix() for feed in result.feeds} >= {"feed.xml", "atom.xml", "feed.json"}
    assert result.items > 0
