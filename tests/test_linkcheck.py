"""tools/linkcheck.py: a tiny site served on 127.0.0.1 passes whole, and each kind of broken link is found."""

from __future__ import annotations

import http.client
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import linkcheck  # noqa: E402 - tools/ is not a package; it is put on the path above

SITE_URL = "https://example.org/site/"
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<title>{title}</title>
<link rel="canonical" href="https://example.org/site/{path}">
<link rel="stylesheet" href="{up}static/style.css">
<link rel="alternate" type="application/rss+xml" href="{up}feed.xml">
</head>
<body>
<main id="main">
<a href="#main">Skip</a>
{body}
</main>
</body>
</html>
"""
CSS = "body { background: url('bg.png'); }\n"
FEED = """<?xml version='1.0' encoding='UTF-8'?>
<?xml-stylesheet type="text/xsl" href="/site/static/feed.xsl"?>
<rss version="2.0"><channel><title>T</title><link>https://example.org/site/</link><description>D</description>
<item><title>A</title><link>https://example.org/site/a/</link></item>
</channel></rss>
"""
ROBOTS = "User-agent: *\nSitemap: https://example.org/site/sitemap.xml\n"
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/site/</loc></url>
<url><loc>https://example.org/site/a/</loc></url>
</urlset>
"""


def page(path: str, body: str = "") -> str:
    """Return a page at `path` ("" or "a/") with relative links to the shared files, and `body`."""
    return PAGE.format(title=path or "home", path=path, up="../" * path.count("/"), body=body)


def good_site() -> dict[str, str | bytes]:
    return {
        "index.html": page("", '<p><a href="a/">A</a> <a href="a/#part">part of A</a> '
                               '<a href="https://www.example.com/news?id=1">elsewhere</a> '
                               '<img src="static/logo.png" alt="" srcset="static/logo.png 2x"></p>'),
        "a/index.html": page("a/", '<p id="part"><a href="../">home</a> <a href="mailto:desk@example.org">mail</a></p>'),
        "static/style.css": CSS,
        "static/bg.png": b"\x89PNG\r\n",
        "static/logo.png": b"\x89PNG\r\n",
        "static/feed.xsl": '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
        "feed.xml": FEED,
        "robots.txt": ROBOTS,
        "sitemap.xml": SITEMAP,
    }


def make_site(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def check(tmp_path: Path, files: dict[str, str | bytes], **options) -> linkcheck.CrawlResult:
    site = make_site(tmp_path / "site", files)
    return linkcheck.check_site({"/": site}, {SITE_URL: "/"}, **options)


def errors(result: linkcheck.CrawlResult, tmp_path: Path) -> list[str]:
    """Return the errors as `file:line: message`, files relative to the site folder."""
    prefix = str(tmp_path / "site") + "/"
    return [str(problem).replace(prefix, "") for problem in result.errors]


def test_site_whose_links_all_work_passes(tmp_path: Path) -> None:
    result = check(tmp_path, good_site())

    assert result.problems == []
    assert result.pages == 2
    # home, a/, the stylesheet, its image, the logo, the feed, its XSL stylesheet, robots.txt and the sitemap
    assert result.documents == 9
    assert result.external_links == 2


def test_broken_link_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    files = good_site()
    files["a/index.html"] = page("a/", '<p id="part"><a href="../missing/">gone</a></p>')

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'a/index.html:12: error: <a href> "../missing/" answers 404 File not found; expected 200']


def test_broken_stylesheet_is_reported(tmp_path: Path) -> None:
    files = good_site()
    del files["static/style.css"]

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'a/index.html:6: error: <link href> "../static/style.css" answers 404 File not found; expected 200',
        'index.html:6: error: <link href> "static/style.css" answers 404 File not found; expected 200']


def test_missing_image_inside_a_stylesheet_is_reported(tmp_path: Path) -> None:
    files = good_site()
    files["static/style.css"] = "body {}\n.hero { background: url(hero.jpg) }\n"

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'static/style.css:2: error: url() "hero.jpg" answers 404 File not found; expected 200']


def test_fragment_without_its_element_is_reported(tmp_path: Path) -> None:
    files = good_site()
    files["index.html"] = page("", '<p><a href="a/#nowhere">A</a></p>')

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'index.html:12: error: <a href> "a/#nowhere" points to #nowhere, but a/index.html has no element with that id']


def test_canonical_link_under_the_base_url_is_checked_on_the_local_server(tmp_path: Path) -> None:
    files = good_site()
    files["a/index.html"] = str(files["a/index.html"]).replace("https://example.org/site/a/", "https://example.org/site/b/")

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'a/index.html:5: error: <link href> "https://example.org/site/b/" answers 404 File not found; expected 200']


def test_links_in_feeds_sitemaps_and_robots_txt_are_checked(tmp_path: Path) -> None:
    files = good_site()
    files["feed.xml"] = FEED.replace("/site/static/feed.xsl", "/site/static/gone.xsl").replace("site/a/", "site/b/")
    files["robots.txt"] = ROBOTS + "Sitemap: https://example.org/site/news-sitemap.xml\n"
    files["sitemap.xml"] = SITEMAP.replace("site/a/", "site/c/")

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'feed.xml:2: error: <?xml-stylesheet href?> "/site/static/gone.xsl" answers 404 File not found; expected 200',
        'feed.xml:4: error: <link> "https://example.org/site/b/" answers 404 File not found; expected 200',
        'robots.txt:3: error: Sitemap: "https://example.org/site/news-sitemap.xml" answers 404 File not found; '
        "expected 200",
        'sitemap.xml:4: error: <loc> "https://example.org/site/c/" answers 404 File not found; expected 200']


def test_folder_without_index_and_link_without_slash_do_not_count_as_working(tmp_path: Path) -> None:
    files = good_site()
    files["empty/.keep"] = ""
    files["index.html"] = page("", '<p><a href="empty/">listing</a> <a href="a">no slash</a></p>')

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'index.html:12: error: <a href> "a" answers 301 Moved Permanently (redirects to /a/); expected 200',
        'index.html:12: error: <a href> "empty/" answers 404 No index.html in this folder; expected 200']


def test_malformed_external_links_are_reported_without_fetching_them(tmp_path: Path) -> None:
    files = good_site()
    files["index.html"] = page("", '<p><a href="https://exa mple.org/">a</a>\n'
                                    '<a href="https://bad_host..org/">b</a>\n<a href="ftp://example.org/f">c</a></p>')

    result = check(tmp_path, files)

    assert errors(result, tmp_path) == [
        'index.html:12: error: <a href> "https://exa mple.org/" is not a well-formed URL: it contains a space, '
        'control character or one of <>"\\^`{|} (percent-encode it)',
        'index.html:13: error: <a href> "https://bad_host..org/" is not a well-formed URL: it has the host '
        "'bad_host..org', which is not a valid domain name",
        "index.html:14: error: <a href> \"ftp://example.org/f\" is not a well-formed URL: it has the scheme 'ftp' "
        "(expected http, https, mailto or tel)"]


def test_only_our_own_server_is_ever_fetched(tmp_path: Path) -> None:
    with linkcheck.SiteServer({"/": make_site(tmp_path / "site", good_site())}) as server:
        checker = linkcheck.LinkChecker(server)
        with pytest.raises(ValueError, match="only http://127.0.0.1:"):
            checker.fetch("https://example.org/")
        assert checker.fetch(server.url + "/").status == 200


def test_root_relative_link_in_a_sub_path_build_is_reported(tmp_path: Path) -> None:
    # The root folder has static/style.css too, so only the mount check can catch the sub-path page's mistake.
    root = make_site(tmp_path / "root", good_site())
    files = {name: content.replace("example.org/site/", "example.org/sub/").replace("/site/static/", "/sub/static/")
             if isinstance(content, str) else content for name, content in good_site().items()}
    files["a/index.html"] = str(files["a/index.html"]).replace('href="../static/style.css"', 'href="/static/style.css"')
    sub = make_site(tmp_path / "sub", files)

    result = linkcheck.check_site({"/": root, "/sub/path/": sub},
                                  {SITE_URL: "/", "https://example.org/sub/": "/sub/path/"})

    assert [str(problem).replace(str(tmp_path) + "/", "") for problem in result.errors] == [
        'sub/a/index.html:6: error: <link href> "/static/style.css" resolves to /static/style.css, '
        "outside the site served at /sub/path/"]
    assert result.documents == 18


def test_server_serves_each_folder_at_its_prefix_and_nothing_else(tmp_path: Path) -> None:
    make_site(tmp_path, {"secret.txt": "no", "sub/index.html": "<p>sub</p>"})
    with linkcheck.SiteServer({"/sub/path/": tmp_path / "sub"}) as server:
        def status(path: str) -> int:
            connection = http.client.HTTPConnection(linkcheck.HOST, server.port, timeout=5)
            try:
                connection.request("GET", path)
                return connection.getresponse().status
            finally:
                connection.close()

        assert status("/sub/path/") == 200
        assert status("/sub/path/index.html") == 200
        assert status("/") == 404
        assert status("/index.html") == 404
        assert status("/sub/path/../../secret.txt") == 404


def test_page_no_link_leads_to_is_a_warning(tmp_path: Path) -> None:
    files = good_site()
    files["orphan/index.html"] = page("orphan/")
    files["404.html"] = page("")

    result = check(tmp_path, files)

    assert result.errors == []
    assert [(Path(problem.path).relative_to(tmp_path / "site").as_posix(), problem.message)
            for problem in result.warnings] == [
        ("orphan/index.html", "not reached from the front page, robots.txt, sitemaps or feeds")]


def test_crawl_stops_at_its_time_limit_and_says_so(tmp_path: Path) -> None:
    result = check(tmp_path, good_site(), seconds=0)

    assert [problem.message for problem in result.errors][0].startswith("crawl stopped after 0 documents")


def test_command_line_exits_1_on_a_broken_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = good_site()
    files["index.html"] = page("", '<p><a href="nope.html">x</a></p>')
    site = make_site(tmp_path / "site", files)

    status = linkcheck.main([str(site), "--alias", f"{SITE_URL}=/"])

    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0] == f'{site / "index.html"}:12: error: <a href> "nope.html" answers 404 File not found; expected 200'
    assert out[-1].startswith("linkcheck: 1 errors, 0 warnings: 9 documents fetched (2 HTML pages)")
