#!/usr/bin/env python3
"""A link checker for a built site: serves its folders on 127.0.0.1 and crawls them from the front page,
robots.txt and the sitemaps, requiring every internal link to answer 200. External links are never fetched,
only checked for being well-formed.

    python tools/linkcheck.py public --alias https://example.org/broadsheet/=/
    python tools/linkcheck.py public --mount /sub/path/=build/check-subpath
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from lxml import etree
from problem import BAD_PERCENT, NOT_IN_URL, Problem, split_url

HOST = "127.0.0.1"
REQUEST_SECONDS = 10
CRAWL_SECONDS = 180
MAX_DOCUMENTS = 20_000
MAX_BODY_BYTES = 50 * 1024 * 1024
USER_AGENT = "broadsheet-linkcheck"
# Documents fetched when present; a missing one is no error (links to them must still answer 200).
OPTIONAL_SEEDS = ("robots.txt", "sitemap.xml")
# The HTML spec scrolls to the top for an empty fragment or "#top" without any element of that id.
TOP_FRAGMENTS = {"", "top"}
# Attributes holding one URL, by element.
HTML_URL_ATTRIBUTES = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src"),
    ("source", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"), ("track", "src"),
    ("embed", "src"), ("input", "src"), ("form", "action"), ("object", "data"), ("blockquote", "cite"),
    ("q", "cite"), ("del", "cite"), ("ins", "cite"),
}
SRCSET_ELEMENTS = {"img", "source"}
# <meta property|name=...> whose content is a URL (Open Graph, Twitter cards).
META_URL_NAMES = {"og:url", "og:image", "og:image:url", "og:image:secure_url", "og:audio", "og:video",
                  "twitter:image", "twitter:url"}
# JSON keys whose string values are URLs: JSON Feed, articles.json and schema.org JSON-LD.
JSON_URL_KEYS = {
    "url", "home_page_url", "feed_url", "next_url", "external_url", "source_url", "image", "banner_image",
    "icon", "favicon", "avatar", "logo", "mainEntityOfPage", "@id", "sameAs", "thumbnailUrl", "contentUrl",
}
JSON_HTML_KEYS = {"content_html"}
# articles.json's provenance maps field names ("image", "url") to where each value came from: no URLs.
JSON_SKIP_KEYS = {"provenance"}
# XML elements whose text is a URL (RSS, Atom, sitemaps) and attributes that hold one.
XML_URL_ELEMENTS = {"link", "loc", "url", "docs", "comments", "icon", "logo", "uri"}
XML_URL_ATTRIBUTES = {"href", "url", "src", "uri"}
XML_HTML_ELEMENTS = {"description", "encoded"}
# XML documents read for links: RSS, Atom, sitemaps and sitemap indexes (an XSL stylesheet is not one).
LINKED_XML_ROOTS = {"rss", "feed", "urlset", "sitemapindex"}
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")
PSEUDO_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-\w.:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
REFRESH_URL = re.compile(r"^\s*\d+\s*[;,]\s*url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}
UNCHECKED_SCHEMES = {"data"}


@dataclass(frozen=True)
class Reference:
    """A URL written in a document: where, as written, and resolved to an absolute URL."""

    source: str
    line: int
    attribute: str
    raw: str
    url: str
    page: str


@dataclass(frozen=True)
class Response:
    status: int
    reason: str
    content_type: str
    body: bytes
    location: str | None


@dataclass
class CrawlResult:
    """What a crawl found: documents fetched, links followed, and problems."""

    documents: int = 0
    pages: int = 0
    internal_links: int = 0
    internal_targets: int = 0
    external_links: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == "warning"]


# ------------------------------------------------------------------------------------ the server


def normal_prefix(prefix: str) -> str:
    """Return a mount prefix as "/" or "/a/b/"."""
    return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"


def find_mount(path: str, prefixes: list[str]) -> str | None:
    """Return the longest prefix that `path` lies under ("/sub/path" counts as under "/sub/path/")."""
    for prefix in sorted(prefixes, key=len, reverse=True):
        if path.startswith(prefix) or path + "/" == prefix:
            return prefix
    return None


class MountedHandler(SimpleHTTPRequestHandler):
    """Serves each folder at its prefix, 404 elsewhere, and never lists a folder without index.html."""

    mounts: dict[str, Path] = {}
    timeout = REQUEST_SECONDS
    # Fixed types, so the crawl reads each file the same way whatever the machine's /etc/mime.types says.
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map, ".html": "text/html", ".css": "text/css", ".xml": "application/xml",
        ".xsl": "application/xslt+xml", ".json": "application/json", ".txt": "text/plain", ".js": "text/javascript",
    }

    def send_head(self):  # noqa: ANN201 - the base class's signature
        if find_mount(unquote(urlsplit(self.path).path), list(self.mounts)) is None:
            self.send_error(404, "Not under any mounted folder")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        prefix = find_mount(path, list(self.mounts))
        rest = path[len(prefix):] if prefix and path.startswith(prefix) else ""
        # Dot segments never reach the disk: a client could otherwise climb out of the folder.
        parts = [part for part in rest.split("/") if part not in ("", ".", "..")]
        target = self.mounts[prefix].joinpath(*parts) if prefix else Path("/nonexistent")
        return str(target) + ("/" if rest.endswith("/") else "")

    def list_directory(self, path):  # noqa: ANN001, ANN201 - the base class's signature
        self.send_error(404, "No index.html in this folder")
        return None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class SiteServer:
    """Serves folders at URL prefixes on 127.0.0.1 in a background thread, for as long as `with` lasts."""

    def __init__(self, mounts: dict[str, Path], port: int = 0) -> None:
        served = {normal_prefix(prefix): Path(folder).resolve() for prefix, folder in mounts.items()}
        handler = type("Handler", (MountedHandler,), {"mounts": served})
        self.mounts = served
        self.server = ThreadingHTTPServer((HOST, port), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{HOST}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# ------------------------------------------------------------------------------------- reading


class HtmlLinks(HTMLParser):
    """Collects the URLs an HTML document refers to, its ids and anchor names, and its <base href>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self.ids: set[str] = set()
        self.base: str | None = None
        self.in_json_ld = False
        self.json_ld: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "base" and "href" in values and self.base is None:
            self.base = values["href"]
        for name, value in values.items():
            if (tag, name) in HTML_URL_ATTRIBUTES:
                self.found.append((line, f"<{tag} {name}>", value))
            elif name == "srcset" and tag in SRCSET_ELEMENTS:
                for candidate in value.split(","):
                    words = candidate.split()
                    if words:
                        self.found.append((line, f"<{tag} srcset>", words[0]))
        if tag == "meta" and "content" in values:
            key = values.get("property") or values.get("name") or ""
            if key in META_URL_NAMES:
                self.found.append((line, f'<meta {key}>', values["content"]))
            refresh = REFRESH_URL.match(values["content"]) if values.get("http-equiv", "").lower() == "refresh" else None
            if refresh:
                self.found.append((line, "<meta refresh>", refresh.group(1)))
        self.in_json_ld = tag == "script" and values.get("type", "").lower() == "application/ld+json"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_json_ld = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self.in_json_ld:
            self.json_ld.append((self.getpos()[0], data))


def read_html(body: bytes) -> HtmlLinks:
    reader = HtmlLinks()
    reader.feed(body.decode("utf-8", errors="replace"))
    reader.close()
    return reader


def json_urls(value: object, where: str = "") -> Iterator[tuple[str, str, bool]]:
    """Yield (key path, value, is_html) for every URL-valued key, and HTML-valued key, of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if key in JSON_SKIP_KEYS:
                continue
            if key in JSON_URL_KEYS and isinstance(item, str):
                yield path, item, False
            elif key in JSON_URL_KEYS and isinstance(item, list) and all(isinstance(x, str) for x in item):
                for index, url in enumerate(item):
                    yield f"{path}[{index}]", url, False
            elif key in JSON_HTML_KEYS and isinstance(item, str):
                yield path, item, True
            else:
                yield from json_urls(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_urls(item, f"{where}[{index}]")


def xml_urls(body: bytes) -> Iterator[tuple[int, str, str, bool]]:
    """Yield (line, label, value, is_html) for the URLs of an RSS, Atom or sitemap document."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(body, parser=parser)
    if etree.QName(root).localname not in LINKED_XML_ROOTS:
        return
    for node in reversed(list(root.itersiblings(preceding=True))):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            for name, double, single in PSEUDO_ATTRIBUTE.findall(node.text or ""):
                if name == "href":
                    yield node.sourceline, "<?xml-stylesheet href?>", unescape_xml(double or single), False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        for attribute in XML_URL_ATTRIBUTES:
            if element.get(attribute) is not None:
                yield element.sourceline, f"<{name} {attribute}>", element.get(attribute), False
        text = (element.text or "").strip()
        if not text or len(element):
            continue
        if name in XML_URL_ELEMENTS:
            yield element.sourceline, f"<{name}>", text, False
        elif name == "guid" and element.get("isPermaLink", "true") != "false":
            yield element.sourceline, "<guid>", text, False
        elif name in XML_HTML_ELEMENTS or (name in ("content", "summary") and element.get("type") == "html"):
            yield element.sourceline, f"<{name}>", text, True


def unescape_xml(value: str) -> str:
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace(
        "&amp;", "&")


def css_urls(text: str) -> Iterator[tuple[int, str, str]]:
    for match in CSS_URL.finditer(text):
        value = next(group for group in match.groups() if group is not None) if any(
            group is not None for group in match.groups()) else ""
        label = "@import" if match.group(0).startswith("@") else "url()"
        yield text.count("\n", 0, match.start()) + 1, label, value


def robots_urls(text: str) -> Iterator[tuple[int, str, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            yield number, "Sitemap:", value.strip()


def external_problem(url: str) -> str | None:
    """Return why an external URL is not well-formed, or None when it is."""
    parts, reason = split_url(url)
    if reason:
        return reason
    scheme = parts.scheme.lower()
    if scheme not in EXTERNAL_SCHEMES:
        return f"has the scheme {scheme!r} (expected http, https, mailto or tel)"
    if scheme in ("mailto", "tel"):
        return None if parts.path else f"is a {scheme}: URL with nothing after it"
    host = parts.hostname or ""
    if not host:
        return "has no host"
    if host.startswith("[") or ":" in host:
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"has the host {host!r}, which is not a valid domain name"
    labels = ascii_host.rstrip(".").split(".")
    if not all(HOST_LABEL.fullmatch(label) for label in labels):
        return f"has the host {host!r}, which is not a valid domain name"
    return None


# ------------------------------------------------------------------------------------ crawling


class LinkChecker:
    """Crawls the folders a SiteServer serves and checks every link it finds."""

    def __init__(self, server: SiteServer, aliases: dict[str, str] | None = None, *,
                 seconds: float = CRAWL_SECONDS, max_documents: int = MAX_DOCUMENTS) -> None:
        self.server = server
        self.prefixes = list(server.mounts)
        # public URL prefix -> local URL prefix, so canonical links and feed links are checked too.
        self.aliases = {public: server.url + normal_prefix(local) for public, local in (aliases or {}).items()}
        self.seconds = seconds
        self.max_documents = max_documents
        self.responses: dict[str, Response] = {}
        self.ids: dict[str, set[str]] = {}
        self.references: list[Reference] = []
        self.problems: list[Problem] = []
        self.external: set[str] = set()

    # -- URLs

    def to_local(self, url: str) -> str:
        for public, local in self.aliases.items():
            if url.startswith(public) or url + "/" == public:
                return local + url[len(public):]
        return url

    def to_public(self, url: str) -> str:
        for public, local in self.aliases.items():
            if url.startswith(local):
                return public + url[len(local):]
        return url

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        try:
            return parts.scheme == "http" and parts.hostname == HOST and parts.port == self.server.port
        except ValueError:
            return False

    def file_label(self, url: str) -> str:
        """Return the file a local URL is served from, for messages; the URL when it is no file."""
        path = unquote(urlsplit(url).path)
        prefix = find_mount(path, self.prefixes)
        if prefix is None:
            return path
        rest = path[len(prefix):] if path.startswith(prefix) else ""
        file = self.server.mounts[prefix] / rest
        if path.endswith("/"):
            file = file / "index.html"
        try:
            return str(file.relative_to(Path.cwd()))
        except ValueError:
            return str(file)

    # -- fetching

    def fetch(self, url: str) -> Response:
        """GET a URL of our own server, without following redirects."""
        if not self.is_local(url):
            raise ValueError(f"refusing to fetch {url}: only {self.server.url} is crawled")
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = http.client.HTTPConnection(HOST, self.server.port, timeout=REQUEST_SECONDS)
        try:
            connection.request("GET", target, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            body = response.read(MAX_BODY_BYTES)
            return Response(response.status, response.reason, response.getheader("Content-Type", ""), body,
                            response.getheader("Location"))
        except (OSError, http.client.HTTPException) as exc:
            return Response(0, f"request failed: {exc}", "", b"", None)
        finally:
            connection.close()

    # -- the crawl

    def crawl(self) -> CrawlResult:
        """Fetch the front page of every mount and everything reachable from it; return the findings."""
        started = time.monotonic()
        queue: deque[str] = deque()
        required: set[str] = set()
        for prefix in self.prefixes:
            front = self.server.url + prefix
            required.add(front)
            queue.append(front)
            for name in OPTIONAL_SEEDS:
                queue.append(front + name)
        queued = set(queue)
        while queue:
            if time.monotonic() - started > self.seconds or len(self.responses) >= self.max_documents:
                self.problems.append(Problem(self.server.url, 0, f"crawl stopped after {len(self.responses)} documents "
                                             f"and {time.monotonic() - started:.0f} s with {len(queue)} left: "
                                             "the results are incomplete"))
                break
            url = queue.popleft()
            response = self.fetch(url)
            self.responses[url] = response
            if response.status != 200:
                if url in required:
                    self.problems.append(Problem(self.file_label(url), 0,
                                                 f"front page {url} answers {response.status} {response.reason}"))
                continue
            for reference in self.read(url, response):
                self.references.append(reference)
                target = urldefrag(reference.url)[0]
                if self.is_local(target) and target not in queued:
                    queued.add(target)
                    queue.append(target)
        return self.report()

    def read(self, url: str, response: Response) -> list[Reference]:
        """Return the references in a fetched document, by its type."""
        kind = response.content_type.split(";")[0].strip().lower()
        source = self.file_label(url)
        path = urlsplit(url).path
        found: list[tuple[int, str, str, str]] = []
        try:
            if kind in ("text/html", "application/xhtml+xml"):
                links = read_html(response.body)
                self.ids[url] = links.ids
                base = urljoin(url, links.base) if links.base else url
                found += [(line, label, value, base) for line, label, value in links.found]
                for line, text in links.json_ld:
                    found += self.json_references(text, line, url, source, "JSON-LD ")
            elif kind == "text/css":
                found += [(line, label, value, url) for line, label, value in css_urls(response.body.decode("utf-8"))]
            elif kind in ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml"):
                # Feeds and sitemaps are read at their public URL: resolve against that.
                public = self.to_public(url)
                for line, label, value, is_html in xml_urls(response.body):
                    found += self.html_fragment_references(value, line, label, public) if is_html else [
                        (line, label, value, public)]
            elif kind in ("application/json", "application/feed+json"):
                found += self.json_references(response.body.decode("utf-8"), 0, url, source, "")
            elif path.endswith("/robots.txt"):
                found += [(line, label, value, self.to_public(url)) for line, label, value in
                          robots_urls(response.body.decode("utf-8"))]
        except (ValueError, etree.XMLSyntaxError) as exc:
            self.problems.append(Problem(source, 0, f"cannot be read for links: {exc}"))
        return [self.resolve(url, source, line, label, value, base) for line, label, value, base in found]

    def json_references(self, text: str, line: int, url: str, source: str, label: str) -> list[tuple[int, str, str, str]]:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            self.problems.append(Problem(source, line + exc.lineno - 1 if line else exc.lineno,
                                         f"{label or ''}JSON cannot be read for links: {exc.msg}"))
            return []
        public = self.to_public(url)
        found: list[tuple[int, str, str, str]] = []
        for path, value, is_html in json_urls(document):
            if is_html:
                found += self.html_fragment_references(value, line, f"{label}{path}", public)
            else:
                found.append((line, f"{label}{path}", value, public))
        return found

    def html_fragment_references(self, markup: str, line: int, label: str, base: str) -> list[tuple[int, str, str, str]]:
        links = read_html(markup.encode("utf-8"))
        return [(line, f"{label} {inner}", value, base) for _, inner, value in links.found]

    def resolve(self, page: str, source: str, line: int, label: str, raw: str, base: str) -> Reference:
        value = raw.strip()
        try:
            absolute = urljoin(base, value)
        except ValueError:
            absolute = value
        return Reference(source, line, label, raw, self.to_local(absolute), page)

    # -- judging

    def report(self) -> CrawlResult:
        result = CrawlResult()
        seen: set[tuple[str, int, str, str]] = set()
        targets: set[str] = set()
        for reference in self.references:
            key = (reference.source, reference.line, reference.attribute, reference.raw)
            if key in seen:
                continue
            seen.add(key)
            if self.is_local(reference.url):
                result.internal_links += 1
                targets.add(urldefrag(reference.url)[0])
                message = self.internal_problem(reference)
            else:
                message = self.external_reference_problem(reference)
            if message:
                self.problems.append(Problem(reference.source, reference.line,
                                             f'{reference.attribute} "{reference.raw}" {message}'))
        result.internal_targets = len(targets)
        result.external_links = len(self.external)
        result.documents = len(self.responses)
        result.pages = sum(1 for url in self.ids if self.responses[url].status == 200)
        self.problems += self.unreached_pages()
        result.problems = sorted(set(self.problems))
        return result

    def internal_problem(self, reference: Reference) -> str | None:
        raw = reference.raw.strip()
        if NOT_IN_URL.search(raw) or BAD_PERCENT.search(raw):
            return "is not a well-formed URL (percent-encode spaces and special characters)"
        url, fragment = urldefrag(reference.url)
        path = urlsplit(url).path
        source_mount = find_mount(urlsplit(reference.page).path, self.prefixes)
        target_mount = find_mount(path, self.prefixes)
        if source_mount != target_mount or not (path.startswith(source_mount or "/") or path + "/" == source_mount):
            return f"resolves to {path}, outside the site served at {source_mount}"
        response = self.responses.get(url)
        if response is None:
            return "was not fetched: the crawl stopped early"
        if response.status != 200:
            moved = f" (redirects to {response.location})" if response.location else ""
            return f"answers {response.status} {response.reason}{moved}; expected 200"
        if fragment and unquote(fragment).lower() not in TOP_FRAGMENTS and url in self.ids:
            if unquote(fragment) not in self.ids[url]:
                return f'points to #{unquote(fragment)}, but {self.file_label(url)} has no element with that id'
        return None

    def external_reference_problem(self, reference: Reference) -> str | None:
        url = reference.url.strip()
        scheme = urlsplit(url).scheme.lower() if not NOT_IN_URL.search(url) else ""
        if scheme in UNCHECKED_SCHEMES:
            return None
        self.external.add(url)
        reason = external_problem(url)
        return f"is not a well-formed URL: it {reason}" if reason else None

    def unreached_pages(self) -> list[Problem]:
        """Warn about HTML files that no link, sitemap or feed leads to (the 404 page aside)."""
        reached = {urlsplit(url).path for url, response in self.responses.items() if response.status == 200}
        found = []
        for prefix, folder in self.server.mounts.items():
            for file in sorted(folder.rglob("*.html")):
                relative = file.relative_to(folder).as_posix()
                if relative == "404.html":
                    continue
                path = prefix + relative
                folder_path = path[: -len("index.html")] if relative.endswith("index.html") and (
                    relative == "index.html" or relative.endswith("/index.html")) else None
                if path not in reached and folder_path not in reached:
                    try:
                        label = str(file.relative_to(Path.cwd()))
                    except ValueError:
                        label = str(file)
                    found.append(Problem(label, 0, "not reached from the front page, robots.txt, sitemaps or feeds",
                                         "warning"))
        return found


def check_site(mounts: dict[str, Path], aliases: dict[str, str] | None = None, *, port: int = 0,
               seconds: float = CRAWL_SECONDS) -> CrawlResult:
    """Serve the folders, crawl them and return the findings."""
    with SiteServer(mounts, port) as server:
        return LinkChecker(server, aliases, seconds=seconds).crawl()


def summary(result: CrawlResult) -> str:
    return (f"{len(result.errors)} errors, {len(result.warnings)} warnings: {result.documents} documents fetched "
            f"({result.pages} HTML pages), {result.internal_links} internal links to {result.internal_targets} "
            f"targets, {result.external_links} external URLs well-formed-checked (not fetched)")


def parse_pair(text: str) -> tuple[str, str]:
    left, separator, right = text.rpartition("=")
    if not separator or not left or not right:
        raise argparse.ArgumentTypeError(f"{text!r} is not LEFT=RIGHT")
    return left, right


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linkcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="the built site, served at /")
    parser.add_argument("--mount", type=parse_pair, action="append", default=[], metavar="PREFIX=DIR",
                        help="also serve DIR at PREFIX, such as /sub/path/=build/check-subpath")
    parser.add_argument("--alias", type=parse_pair, action="append", default=[], metavar="URL=PREFIX",
                        help="treat URLs under URL as the pages served at PREFIX (a build's base_url)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    parser.add_argument("--seconds", type=float, default=CRAWL_SECONDS, help="time limit for the crawl")
    args = parser.parse_args(argv)
    mounts = {"/": args.site_dir, **{prefix: Path(folder) for prefix, folder in args.mount}}
    result = check_site(mounts, dict(args.alias), port=args.port, seconds=args.seconds)
    for problem in result.problems:
        print(problem)
    print(f"linkcheck: {summary(result)}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
