#!/usr/bin/env python3
"""A feed validator for a built site: RSS 2.0, Atom 1.0 (RFC 4287) and JSON Feed 1.1.

It stands in for the W3C Feed Validation Service, which is on neither PyPI nor npm and so cannot be
installed here, and checks the rules that service applies to the elements Broadsheet emits. README.md
("Checks") lists them.

    python tools/feedcheck.py public --site-url https://example.org/broadsheet/
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
from lxml import etree
from problem import NOT_IN_URL, Problem, split_url

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XSLT_NS = "http://www.w3.org/1999/XSL/Transform"
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".json")

# RSS 2.0 (rssboard.org) elements; the W3C validator reports any other unprefixed one as undefined.
RSS_CHANNEL_ELEMENTS = {
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
    "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput",
    "skipHours", "skipDays", "item",
}
RSS_ITEM_ELEMENTS = {
    "title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source",
}
RSS_SINGLE_CHANNEL = RSS_CHANNEL_ELEMENTS - {"category", "item"}
RSS_SINGLE_ITEM = RSS_ITEM_ELEMENTS - {"category"}
DC_ELEMENTS = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format",
    "identifier", "source", "language", "relation", "coverage", "rights",
}
ATOM_FEED_ELEMENTS = {
    "author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights", "subtitle",
    "title", "updated", "entry",
}
ATOM_ENTRY_ELEMENTS = {
    "author", "category", "content", "contributor", "id", "link", "published", "rights", "source", "summary",
    "title", "updated",
}
ATOM_SINGLE_FEED = {"generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated"}
ATOM_SINGLE_ENTRY = {"content", "id", "published", "rights", "source", "summary", "title", "updated"}
ATOM_TEXT_TYPES = {"text", "html", "xhtml"}
JSON_FEED_KEYS = {
    "version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon",
    "favicon", "authors", "author", "language", "expired", "hubs", "items",
}
JSON_ITEM_KEYS = {
    "id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image",
    "date_published", "date_modified", "authors", "author", "tags", "language", "attachments",
}

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# RFC 822 section 5 zones; single military letters are obsolete (RFC 2822 section 4.3).
RFC822_ZONES = {"UT", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"}
RFC822_DATE = re.compile(
    r"(?:(?P<weekday>[A-Za-z]+),\s*)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d+)\s+"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s+(?P<zone>[+-]\d{4}|[A-Za-z]+)")
RFC3339_DATE = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?P<t>[Tt])(?P<hour>\d{2}):(?P<minute>\d{2})"
    r":(?P<second>\d{2})(?:\.\d+)?(?P<zone>[Zz]|[+-](?P<zone_hour>\d{2}):(?P<zone_minute>\d{2}))")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# Characters RFC 3986 never allows in a URI (non-ASCII is allowed: feeds carry IRIs).
LOOKS_LIKE_HTML = re.compile(r"<(?:[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?|/[A-Za-z][A-Za-z0-9]*\s*)>")
PSEUDO_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-\w.:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

# HTML in feed content: attributes holding one URL, elements that never close, end tags that may be left out.
URL_ATTRIBUTES = {"href", "src", "cite", "poster", "longdesc", "background", "action", "data", "formaction"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
}
OPTIONAL_END_TAGS = {
    "p", "li", "dt", "dd", "rt", "rp", "optgroup", "option", "colgroup", "caption", "thead", "tbody", "tfoot",
    "tr", "td", "th", "html", "head", "body",
}
UNSAFE_ELEMENTS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "meta"}
UNSAFE_SCHEMES = {"javascript", "vbscript", "data"}


@dataclass
class Findings:
    """The problems found in one file."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line or 0, message, "error"))

    def warn(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.path, line or 0, message, "warning"))


@dataclass(frozen=True)
class FeedFile:
    """A feed found in the site folder, the kind it is and the URL it is served at."""

    path: Path
    kind: str
    url: str


# ---------------------------------------------------------------------------------------- values


def url_problem(url: str) -> str | None:
    """Return why `url` is not an absolute, well-formed URL, or None when it is one."""
    if not url:
        return "is empty"
    parts, reason = split_url(url)
    if reason:
        return reason
    if not parts.scheme:
        return "is relative (expected an absolute URL with a scheme)"
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return "has no host"
    return None


def id_problem(value: str) -> str | None:
    """Return why `value` is not a usable absolute IRI for an id, or None."""
    reason = url_problem(value)
    if reason:
        return reason
    if value.lower().startswith("urn:uuid:"):
        try:
            uuid.UUID(value[len("urn:uuid:"):])
        except ValueError:
            return "is a urn:uuid whose UUID is malformed"
    return None


def same_url(first: str, second: str) -> bool:
    """Return whether two URLs name the same resource (scheme and host case, default ports aside)."""
    def normal(url: str) -> tuple[str, str, str, str]:
        parts = urlsplit(url)
        default = {"http": 80, "https": 443}.get(parts.scheme.lower())
        try:
            port = parts.port
        except ValueError:
            return (url, "", "", "")
        host = (parts.hostname or "") + (f":{port}" if port and port != default else "")
        return (parts.scheme.lower(), host, parts.path or "/", parts.query)
    return normal(first) == normal(second)


def rfc822_problems(text: str) -> list[tuple[str, str]]:
    """Return (level, message) pairs for an RSS date that is not a valid RFC 822 date-time."""
    value = text.strip()
    match = RFC822_DATE.fullmatch(value)
    if not match:
        return [("error", f"date {value!r} is not an RFC 822 date-time (expected like 'Wed, 04 Feb 2026 00:00:00 +0000')")]
    found: list[tuple[str, str]] = []
    month = match["month"].title()
    if month not in MONTHS:
        return [("error", f"date {value!r}: {match['month']!r} is not a month name (expected one of {', '.join(MONTHS)})")]
    year = int(match["year"])
    if len(match["year"]) == 2:
        found.append(("warning", f"date {value!r} has a two-digit year (use four digits)"))
        year += 1900 if year >= 50 else 2000
    elif len(match["year"]) != 4:
        return [("error", f"date {value!r}: the year must have four digits")]
    try:
        moment = datetime(year, MONTHS.index(month) + 1, int(match["day"]), int(match["hour"]),
                          int(match["minute"]), int(match["second"] or 0))
    except ValueError as exc:
        return [("error", f"date {value!r} does not exist ({exc})")]
    weekday = match["weekday"]
    if weekday is not None:
        if weekday.title() not in WEEKDAYS:
            found.append(("error", f"date {value!r}: {weekday!r} is not a day name (expected one of {', '.join(WEEKDAYS)})"))
        elif WEEKDAYS.index(weekday.title()) != moment.weekday():
            found.append(("error", f"date {value!r}: the day is a {WEEKDAYS[moment.weekday()]}, not a {weekday.title()}"))
    zone = match["zone"]
    if zone[0] in "+-":
        if int(zone[3:]) > 59:
            found.append(("error", f"date {value!r}: zone {zone} has more than 59 minutes"))
    elif zone.upper() in RFC822_ZONES:
        pass
    elif len(zone) == 1 and zone.upper() != "J":
        found.append(("warning", f"date {value!r}: military zone {zone!r} is obsolete (use +0000 or GMT)"))
    else:
        found.append(("error", f"date {value!r}: {zone!r} is not an RFC 822 zone (expected +hhmm, -hhmm, GMT, UT or a US zone)"))
    return found


def rfc3339_problem(text: str, *, uppercase: bool) -> str | None:
    """Return why `text` is not an RFC 3339 date-time (Atom also wants an uppercase T and Z), or None."""
    value = text.strip()
    match = RFC3339_DATE.fullmatch(value)
    if not match:
        return f"date {value!r} is not an RFC 3339 date-time (expected like '2026-02-04T00:00:00+00:00')"
    if uppercase and (match["t"] != "T" or match["zone"] == "z"):
        return f"date {value!r}: RFC 4287 requires an uppercase 'T' and 'Z'"
    if text != value:
        return f"date {text!r} has spaces around it"
    try:
        datetime(int(match["year"]), int(match["month"]), int(match["day"]), int(match["hour"]),
                 int(match["minute"]), min(int(match["second"]), 59))
    except ValueError as exc:
        return f"date {value!r} does not exist ({exc})"
    if int(match["second"]) > 60:
        return f"date {value!r} does not exist (second must be in 0..60)"
    if match["zone_hour"] and (int(match["zone_hour"]) > 23 or int(match["zone_minute"]) > 59):
        return f"date {value!r}: the offset {match['zone']} is out of range"
    return None


def language_problem(value: str) -> str | None:
    """Return why `value` is not a language tag like 'en' or 'en-GB', or None."""
    if not LANGUAGE_TAG.fullmatch(value.strip()):
        return f"language {value!r} is not a language tag (expected like 'en' or 'en-GB')"
    return None


# ------------------------------------------------------------------------------ HTML in content


class HtmlFragment(HTMLParser):
    """Reads an HTML fragment for its URLs, its unbalanced tags and anything a feed reader would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.read_tag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.read_tag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            if tag not in VOID_ELEMENTS or tag == "br":
                self.problems.append(f"end tag </{tag}> has no matching start tag")
            return
        while self.open:
            name = self.open.pop()
            if name == tag:
                break
            if name not in OPTIONAL_END_TAGS:
                self.problems.append(f"<{name}> is not closed before </{tag}>")

    def close(self) -> None:
        super().close()
        for name in self.open:
            if name not in OPTIONAL_END_TAGS:
                self.problems.append(f"<{name}> is never closed")
        self.open = []

    def read_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_ELEMENTS:
            self.problems.append(f"contains a <{tag}> element, which feed readers strip or refuse")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler attribute {name}")
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value.strip()))
            elif name == "srcset":
                for candidate in value.split(","):
                    words = candidate.split()
                    if words:
                        self.urls.append((tag, name, words[0]))


def html_problems(markup: str) -> list[str]:
    """Return what is wrong with an HTML fragment carried by a feed: tags, relative or unsafe URLs."""
    reader = HtmlFragment()
    reader.feed(markup)
    reader.close()
    found = list(reader.problems)
    for tag, name, url in reader.urls:
        scheme = urlsplit(url).scheme.lower() if not NOT_IN_URL.search(url) else ""
        if scheme in UNSAFE_SCHEMES:
            found.append(f"<{tag} {name}=\"{url[:40]}\"> uses a {scheme}: URL, which feed readers refuse")
            continue
        reason = url_problem(url)
        if reason:
            found.append(f"<{tag} {name}=\"{url}\">: the URL {reason}; feed content is read away from the site, "
                         "so every href and src must be absolute")
    return found


# --------------------------------------------------------------------------------- XML helpers


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def namespace(element: etree._Element) -> str | None:
    return etree.QName(element).namespace


def text_value(element: etree._Element, findings: Findings, what: str) -> str:
    """Return an element's text; child elements in a text element mean HTML that was not escaped."""
    if len(element):
        child = element[0]
        label = local_name(child) if isinstance(child.tag, str) else "comment"
        findings.error(f"{what} contains a child element <{label}>: HTML in it must be escaped", element.sourceline)
    return element.text or ""


def check_counts(parent: etree._Element, names: Iterable[str], findings: Findings, where: str,
                 ns: str | None) -> None:
    """Report elements of `names` that occur more than once under `parent`."""
    for name in sorted(names):
        found = parent.findall(f"{{{ns}}}{name}" if ns else name)
        if len(found) > 1:
            findings.error(f"{where} has {len(found)} <{name}> elements (at most one is allowed)", found[1].sourceline)


def check_self_link(links: list[etree._Element], feed_url: str, media_type: str, findings: Findings,
                    where: str, line: int | None) -> None:
    """Require exactly one rel="self" link, naming the feed's own URL and type."""
    selfs = [link for link in links if link.get("rel") == "self"]
    if not selfs:
        findings.error(f'{where} has no <atom:link rel="self"> naming the feed\'s own URL ({feed_url})', line)
        return
    if len(selfs) > 1:
        findings.error(f'{where} has {len(selfs)} rel="self" links (expected one)', selfs[1].sourceline)
    link = selfs[0]
    href = link.get("href", "")
    if href and not url_problem(href) and not same_url(href, feed_url):
        findings.error(f'rel="self" href {href!r} does not match the feed\'s URL {feed_url!r}', link.sourceline)
    if link.get("type") not in (None, media_type):
        findings.error(f'rel="self" link has type {link.get("type")!r}; this feed is {media_type}', link.sourceline)


def check_link_href(link: etree._Element, findings: Findings, where: str) -> None:
    href = link.get("href")
    if href is None:
        findings.error(f"{where} <link> has no href", link.sourceline)
        return
    reason = url_problem(href)
    if reason:
        findings.error(f"{where} <link> href {href!r} {reason}", link.sourceline)


def check_stylesheet(tree: etree._ElementTree, feed: FeedFile, site_url: str, site_dir: Path,
                     findings: Findings) -> None:
    """Require each xml-stylesheet instruction to name a same-site stylesheet file that exists."""
    root = tree.getroot()
    for node in reversed(list(root.itersiblings(preceding=True))):
        if not isinstance(node, etree._ProcessingInstruction) or node.target != "xml-stylesheet":
            continue
        attributes = {name: html.unescape(double or single)
                      for name, double, single in PSEUDO_ATTRIBUTE.findall(node.text or "")}
        href, media_type = attributes.get("href"), attributes.get("type")
        if not href:
            findings.error("xml-stylesheet instruction has no href", node.sourceline)
            continue
        if media_type not in ("text/xsl", "application/xslt+xml", "text/css"):
            findings.error(f"xml-stylesheet type {media_type!r} is not text/xsl or text/css", node.sourceline)
        target = urljoin(feed.url, href)
        if not target.startswith(site_url):
            # Browsers apply an XSLT stylesheet only from the feed's own origin.
            findings.error(f"xml-stylesheet href {href!r} resolves to {target}, outside the site {site_url}",
                           node.sourceline)
            continue
        relative = unquote(urlsplit(target[len(site_url):]).path)
        file = site_dir / relative
        if not relative or not file.is_file():
            findings.error(f"xml-stylesheet href {href!r} resolves to {target}, but {file} does not exist",
                           node.sourceline)
            continue
        if media_type in ("text/xsl", "application/xslt+xml"):
            try:
                sheet = etree.parse(str(file), parser=xml_parser()).getroot()
            except etree.XMLSyntaxError as exc:
                findings.error(f"xml-stylesheet {file} is not well-formed XML: {exc}", node.sourceline)
                continue
            if sheet.tag not in (f"{{{XSLT_NS}}}stylesheet", f"{{{XSLT_NS}}}transform"):
                findings.error(f"xml-stylesheet {file} is not an XSLT stylesheet (root is {sheet.tag})", node.sourceline)


def check_html_text(markup: str, findings: Findings, where: str, line: int | None) -> None:
    for message in html_problems(markup):
        findings.error(f"{where}: {message}", line)


def warn_if_markup(text: str, findings: Findings, where: str, line: int | None) -> None:
    """Warn about markup in a plain-text element (a title), which readers show as literal tags."""
    if LOOKS_LIKE_HTML.search(text):
        findings.warn(f"{where} looks like it contains HTML, but it is plain text: {text[:60]!r}", line)


def xml_parser() -> etree.XMLParser:
    """Return a parser that never reads a DTD, expands an external entity or touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def feedparser_problem(data: bytes, expected: str) -> str | None:
    """Return a second opinion from feedparser: its parse error, or the feed version it saw instead."""
    result = feedparser.parse(data)
    if result.get("bozo"):
        return f"feedparser cannot read it: {result.get('bozo_exception')}"
    if result.get("version") != expected:
        return f"feedparser reads it as {result.get('version') or 'an unknown format'!r}, not {expected!r}"
    return None


# -------------------------------------------------------------------------------------- RSS 2.0


def check_rss(root: etree._Element, feed: FeedFile, findings: Findings) -> int:
    """Check an RSS 2.0 document; return the number of items."""
    if root.get("version") != "2.0":
        findings.error(f"<rss> has version {root.get('version')!r} (expected '2.0')", root.sourceline)
    channels = root.findall("channel")
    if len(channels) != 1:
        findings.error(f"<rss> has {len(channels)} <channel> elements (expected one)", root.sourceline)
        return 0
    channel = channels[0]
    check_known_children(channel, RSS_CHANNEL_ELEMENTS, findings, "<channel>")
    check_counts(channel, RSS_SINGLE_CHANNEL, findings, "<channel>", None)
    for name in ("title", "link", "description"):
        element = channel.find(name)
        if element is None or not text_value(element, findings, f"channel <{name}>").strip():
            findings.error(f"<channel> has no <{name}> (RSS 2.0 requires title, link and description)",
                           channel.sourceline if element is None else element.sourceline)
    title = channel.find("title")
    if title is not None:
        warn_if_markup(title.text or "", findings, "channel <title>", title.sourceline)
    for name in ("link", "docs"):
        element = channel.find(name)
        if element is not None and (element.text or "").strip():
            check_url_text(element, findings, f"channel <{name}>")
    check_rss_dates(channel, findings, "channel")
    language = channel.find("language")
    if language is not None:
        reason = language_problem(language.text or "")
        if reason:
            findings.error(f"channel {reason}", language.sourceline)
    image = channel.find("image")
    if image is not None:
        for name in ("url", "title", "link"):
            element = image.find(name)
            if element is None:
                findings.error(f"channel <image> has no <{name}>", image.sourceline)
            elif name != "title":
                check_url_text(element, findings, f"channel <image><{name}>")
    atom_links = channel.findall(f"{{{ATOM_NS}}}link")
    for link in atom_links:
        check_link_href(link, findings, "channel atom:")
    check_self_link(atom_links, feed.url, RSS_TYPE, findings, "<channel>", channel.sourceline)
    check_extension_children(channel, findings, allowed_atom={"link"})
    guids: dict[str, int] = {}
    items = channel.findall("item")
    for item in items:
        check_rss_item(item, findings, guids)
    return len(items)


def check_rss_item(item: etree._Element, findings: Findings, guids: dict[str, int]) -> None:
    line = item.sourceline
    check_known_children(item, RSS_ITEM_ELEMENTS, findings, "<item>")
    check_counts(item, RSS_SINGLE_ITEM, findings, "<item>", None)
    check_extension_children(item, findings, allowed_atom=set())
    title, description = item.find("title"), item.find("description")
    if title is None and description is None:
        findings.error("<item> has neither <title> nor <description> (RSS 2.0 requires one)", line)
    if title is not None:
        text = text_value(title, findings, "item <title>")
        if not text.strip():
            findings.error("item <title> is empty", title.sourceline)
        warn_if_markup(text, findings, "item <title>", title.sourceline)
    if description is not None:
        check_html_text(text_value(description, findings, "item <description>"), findings,
                        "item <description>", description.sourceline)
    for encoded in item.findall(f"{{{CONTENT_NS}}}encoded"):
        check_html_text(text_value(encoded, findings, "item <content:encoded>"), findings,
                        "item <content:encoded>", encoded.sourceline)
    link = item.find("link")
    if link is not None:
        check_url_text(link, findings, "item <link>")
    comments = item.find("comments")
    if comments is not None:
        check_url_text(comments, findings, "item <comments>")
    for enclosure in item.findall("enclosure"):
        for name in ("url", "length", "type"):
            if not enclosure.get(name):
                findings.error(f"item <enclosure> has no {name} attribute (all three are required)", enclosure.sourceline)
        reason = url_problem(enclosure.get("url") or "x")
        if enclosure.get("url") and reason:
            findings.error(f"item <enclosure> url {enclosure.get('url')!r} {reason}", enclosure.sourceline)
        if enclosure.get("length") and not enclosure.get("length", "").isdigit():
            findings.error(f"item <enclosure> length {enclosure.get('length')!r} is not a number of bytes",
                           enclosure.sourceline)
    for creator in item.findall(f"{{{DC_NS}}}creator") + item.findall("category"):
        if not (creator.text or "").strip():
            findings.error(f"item <{creator.prefix + ':' if creator.prefix else ''}{local_name(creator)}> is empty",
                           creator.sourceline)
    check_rss_dates(item, findings, "item")
    guid = item.find("guid")
    if guid is None:
        findings.warn("<item> has no <guid>; readers cannot tell it from an edited item", line)
        return
    value = text_value(guid, findings, "item <guid>").strip()
    permalink = guid.get("isPermaLink", "true")
    if permalink not in ("true", "false"):
        findings.error(f"item <guid> isPermaLink is {permalink!r} (expected 'true' or 'false')", guid.sourceline)
    if not value:
        findings.error("item <guid> is empty", guid.sourceline)
        return
    if permalink != "false":
        reason = url_problem(value)
        if reason:
            findings.error(f'item <guid> {value!r} is a permalink (isPermaLink is not "false") but {reason}',
                           guid.sourceline)
    if value in guids:
        findings.error(f"item <guid> {value!r} repeats the guid of the item at line {guids[value]}", guid.sourceline)
    else:
        guids[value] = guid.sourceline


def check_rss_dates(parent: etree._Element, findings: Findings, where: str) -> None:
    for name in ("pubDate", "lastBuildDate"):
        for element in parent.findall(name):
            for level, message in rfc822_problems(element.text or ""):
                getattr(findings, "error" if level == "error" else "warn")(f"{where} <{name}>: {message}",
                                                                            element.sourceline)
    for element in parent.findall(f"{{{DC_NS}}}date"):
        reason = rfc3339_problem(element.text or "", uppercase=False)
        if reason and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", (element.text or "").strip()):
            findings.error(f"{where} <dc:date>: {reason}", element.sourceline)


def check_url_text(element: etree._Element, findings: Findings, where: str) -> None:
    value = (element.text or "").strip()
    reason = url_problem(value)
    if reason:
        findings.error(f"{where} {value!r} {reason}", element.sourceline)


def check_known_children(parent: etree._Element, known: set[str], findings: Findings, where: str) -> None:
    """Report unprefixed elements that RSS 2.0 does not define."""
    for child in parent:
        if isinstance(child.tag, str) and namespace(child) is None and child.tag not in known:
            findings.error(f"{where} contains <{child.tag}>, which RSS 2.0 does not define", child.sourceline)


def check_extension_children(parent: etree._Element, findings: Findings, allowed_atom: set[str]) -> None:
    """Report elements of the Dublin Core, content and Atom namespaces that those modules do not define."""
    allowed = {DC_NS: DC_ELEMENTS, CONTENT_NS: {"encoded"}, ATOM_NS: allowed_atom}
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        names = allowed.get(namespace(child) or "")
        if names is not None and local_name(child) not in names:
            findings.error(f"<{child.prefix}:{local_name(child)}> is not defined here", child.sourceline)


# ------------------------------------------------------------------------------------- Atom 1.0


def check_atom(root: etree._Element, feed: FeedFile, findings: Findings) -> int:
    """Check an Atom 1.0 feed document; return the number of entries."""
    check_atom_children(root, ATOM_FEED_ELEMENTS, ATOM_SINGLE_FEED, findings, "<feed>")
    for name in ("id", "title", "updated"):
        if root.find(f"{{{ATOM_NS}}}{name}") is None:
            findings.error(f"<feed> has no <{name}> (RFC 4287 requires id, title and updated)", root.sourceline)
    check_atom_common(root, findings, "feed")
    links = root.findall(f"{{{ATOM_NS}}}link")
    check_self_link(links, feed.url, ATOM_TYPE, findings, "<feed>", root.sourceline)
    feed_has_author = root.find(f"{{{ATOM_NS}}}author") is not None
    for name in ("subtitle", "rights"):
        for element in root.findall(f"{{{ATOM_NS}}}{name}"):
            check_text_construct(element, findings, f"feed <{name}>")
    for name in ("icon", "logo"):
        for element in root.findall(f"{{{ATOM_NS}}}{name}"):
            check_url_text(element, findings, f"feed <{name}>")
    generator = root.find(f"{{{ATOM_NS}}}generator")
    if generator is not None and generator.get("uri"):
        reason = url_problem(generator.get("uri", ""))
        if reason:
            findings.error(f"feed <generator> uri {generator.get('uri')!r} {reason}", generator.sourceline)
    ids: dict[str, int] = {}
    entries = root.findall(f"{{{ATOM_NS}}}entry")
    for entry in entries:
        check_atom_entry(entry, findings, ids, feed_has_author)
    return len(entries)


def check_atom_entry(entry: etree._Element, findings: Findings, ids: dict[str, int], feed_has_author: bool) -> None:
    line = entry.sourceline
    check_atom_children(entry, ATOM_ENTRY_ELEMENTS, ATOM_SINGLE_ENTRY, findings, "<entry>")
    for name in ("id", "title", "updated"):
        if entry.find(f"{{{ATOM_NS}}}{name}") is None:
            findings.error(f"<entry> has no <{name}> (RFC 4287 requires id, title and updated)", line)
    if not feed_has_author and entry.find(f"{{{ATOM_NS}}}author") is None:
        findings.error("<entry> has no <author>, and neither has the feed (RFC 4287 requires one)", line)
    links = entry.findall(f"{{{ATOM_NS}}}link")
    if not [link for link in links if link.get("rel", "alternate") == "alternate"]:
        findings.error('<entry> has no <link rel="alternate"> to the article\'s page', line)
    check_atom_common(entry, findings, "entry")
    identifier = entry.find(f"{{{ATOM_NS}}}id")
    if identifier is not None:
        value = (identifier.text or "").strip()
        if value in ids:
            findings.error(f"entry <id> {value!r} repeats the id of the entry at line {ids[value]}", identifier.sourceline)
        elif value:
            ids[value] = identifier.sourceline
    content = entry.find(f"{{{ATOM_NS}}}content")
    summary = entry.find(f"{{{ATOM_NS}}}summary")
    if summary is not None:
        check_text_construct(summary, findings, "entry <summary>")
    if entry.find(f"{{{ATOM_NS}}}rights") is not None:
        check_text_construct(entry.find(f"{{{ATOM_NS}}}rights"), findings, "entry <rights>")
    if content is not None:
        if content.get("src") is not None:
            reason = url_problem(content.get("src", ""))
            if reason:
                findings.error(f"entry <content> src {content.get('src')!r} {reason}", content.sourceline)
            if summary is None:
                findings.error("<entry> has <content src> but no <summary> (RFC 4287 requires one)", line)
        else:
            check_text_construct(content, findings, "entry <content>", content_element=True)
    elif not [link for link in links if link.get("rel", "alternate") == "alternate"] and summary is None:
        findings.error("<entry> has no content, summary or alternate link", line)


def check_atom_common(element: etree._Element, findings: Findings, where: str) -> None:
    """Check what feeds and entries share: id, title, dates, links, people, categories, xml:lang."""
    identifier = element.find(f"{{{ATOM_NS}}}id")
    if identifier is not None:
        value = text_value(identifier, findings, f"{where} <id>")
        reason = id_problem(value.strip())
        if reason:
            findings.error(f"{where} <id> {value!r} {reason} (RFC 4287 wants an absolute IRI)", identifier.sourceline)
        elif value != value.strip():
            findings.error(f"{where} <id> {value!r} has spaces around it", identifier.sourceline)
    title = element.find(f"{{{ATOM_NS}}}title")
    if title is not None:
        check_text_construct(title, findings, f"{where} <title>")
        if not "".join(title.itertext()).strip():
            findings.error(f"{where} <title> is empty", title.sourceline)
    for name in ("updated", "published"):
        for date in element.findall(f"{{{ATOM_NS}}}{name}"):
            reason = rfc3339_problem(date.text or "", uppercase=True)
            if reason:
                findings.error(f"{where} <{name}>: {reason}", date.sourceline)
    alternates: dict[tuple[str | None, str | None], int] = {}
    for link in element.findall(f"{{{ATOM_NS}}}link"):
        check_link_href(link, findings, where)
        if link.get("rel", "alternate") == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                findings.error(f'{where} has two rel="alternate" links with type {key[0]!r} and hreflang {key[1]!r} '
                               f"(lines {alternates[key]} and {link.sourceline})", link.sourceline)
            alternates[key] = link.sourceline
    for name in ("author", "contributor"):
        for person in element.findall(f"{{{ATOM_NS}}}{name}"):
            person_name = person.find(f"{{{ATOM_NS}}}name")
            if person_name is None or not (person_name.text or "").strip():
                findings.error(f"{where} <{name}> has no <name>", person.sourceline)
            uri = person.find(f"{{{ATOM_NS}}}uri")
            if uri is not None:
                check_url_text(uri, findings, f"{where} <{name}><uri>")
            email = person.find(f"{{{ATOM_NS}}}email")
            if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", (email.text or "").strip()):
                findings.error(f"{where} <{name}><email> {email.text!r} is not an e-mail address", email.sourceline)
    for category in element.findall(f"{{{ATOM_NS}}}category"):
        if not (category.get("term") or "").strip():
            findings.error(f"{where} <category> has no term", category.sourceline)
    language = element.get("{http://www.w3.org/XML/1998/namespace}lang")
    if language:
        reason = language_problem(language)
        if reason:
            findings.error(f"{where} xml:lang: {reason}", element.sourceline)


def check_text_construct(element: etree._Element, findings: Findings, where: str, *,
                         content_element: bool = False) -> None:
    """Check an Atom text construct: text and html escaped, with no child elements; xhtml in one div."""
    kind = element.get("type", "text")
    if kind not in ATOM_TEXT_TYPES:
        if content_element and "/" in kind:
            return
        findings.error(f"{where} has type {kind!r} (expected text, html or xhtml)", element.sourceline)
        return
    if kind == "xhtml":
        children = [child for child in element if isinstance(child.tag, str)]
        if (len(children) != 1 or children[0].tag != f"{{{XHTML_NS}}}div"
                or (element.text or "").strip() or (children[0].tail or "").strip()):
            findings.error(f"{where} of type xhtml must hold exactly one xhtml <div>", element.sourceline)
        return
    text = text_value(element, findings, f"{where} (type {kind})")
    if kind == "html":
        check_html_text(text, findings, f"{where} (type html)", element.sourceline)
    elif local_name(element) == "title":
        warn_if_markup(text, findings, where, element.sourceline)


def check_atom_children(parent: etree._Element, known: set[str], single: set[str], findings: Findings,
                        where: str) -> None:
    for child in parent:
        if isinstance(child.tag, str) and namespace(child) == ATOM_NS and local_name(child) not in known:
            findings.error(f"{where} contains <{local_name(child)}>, which RFC 4287 does not define there",
                           child.sourceline)
    check_counts(parent, single, findings, where, ATOM_NS)


# -------------------------------------------------------------------------------- JSON Feed 1.1


def check_json_feed(data: bytes, feed: FeedFile, findings: Findings) -> int:
    """Check a JSON Feed 1.1 document; return the number of items."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        findings.error(f"not UTF-8 ({exc})")
        return 0
    except json.JSONDecodeError as exc:
        findings.error(f"not valid JSON: {exc.msg}", exc.lineno)
        return 0
    if not isinstance(document, dict):
        findings.error("the top level is not a JSON object")
        return 0
    version = document.get("version")
    if version not in JSON_FEED_VERSIONS:
        findings.error(f"version is {version!r} (expected {JSON_FEED_VERSIONS[0]!r})")
    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        findings.error("title is missing or empty (JSON Feed requires a title)")
    for key in sorted(set(document) - JSON_FEED_KEYS):
        if not key.startswith("_"):
            findings.warn(f"unknown top-level key {key!r} (extensions must start with '_')")
    if version == JSON_FEED_VERSIONS[0] and "author" in document:
        findings.warn("'author' is deprecated in JSON Feed 1.1; use 'authors'")
    for key in ("home_page_url", "feed_url", "next_url", "icon", "favicon"):
        check_json_url(document, key, findings, key)
    feed_url = document.get("feed_url")
    if feed_url is None:
        findings.warn("feed_url is missing (JSON Feed strongly recommends it)")
    elif isinstance(feed_url, str) and not url_problem(feed_url) and not same_url(feed_url, feed.url):
        findings.error(f"feed_url {feed_url!r} does not match the feed's URL {feed.url!r}")
    for key in ("description", "user_comment"):
        if key in document and not isinstance(document[key], str):
            findings.error(f"{key} is not a string")
    if "expired" in document and not isinstance(document["expired"], bool):
        findings.error("expired is not true or false")
    check_json_language(document, findings, "")
    check_json_authors(document, findings, "")
    items = document.get("items")
    if not isinstance(items, list):
        findings.error("items is missing or not an array (JSON Feed requires items)")
        return 0
    ids: dict[str, int] = {}
    for index, item in enumerate(items):
        check_json_item(item, f"items[{index}]", findings, ids, index)
    return len(items)


def check_json_item(item: object, where: str, findings: Findings, ids: dict[str, int], index: int) -> None:
    if not isinstance(item, dict):
        findings.error(f"{where} is not an object")
        return
    identifier = item.get("id")
    if identifier is None or (isinstance(identifier, str) and not identifier.strip()):
        findings.error(f"{where} has no id (JSON Feed requires one)")
    else:
        if not isinstance(identifier, str):
            findings.warn(f"{where}.id {identifier!r} is not a string (JSON Feed 1.1 wants a string)")
        key = str(identifier)
        if key in ids:
            findings.error(f"{where}.id {key!r} repeats the id of items[{ids[key]}]")
        else:
            ids[key] = index
    if "content_html" not in item and "content_text" not in item:
        findings.error(f"{where} has neither content_html nor content_text (JSON Feed requires one)")
    for key in ("content_html", "content_text", "title", "summary"):
        if key in item and not isinstance(item[key], str):
            findings.error(f"{where}.{key} is not a string")
    if isinstance(item.get("content_html"), str):
        for message in html_problems(item["content_html"]):
            findings.error(f"{where}.content_html: {message}")
    for key in ("url", "external_url", "image", "banner_image"):
        check_json_url(item, key, findings, f"{where}.{key}")
    for key in ("date_published", "date_modified"):
        if key in item:
            value = item[key]
            reason = rfc3339_problem(value, uppercase=False) if isinstance(value, str) else "is not a string"
            if reason:
                findings.error(f"{where}.{key}: {reason}")
    tags = item.get("tags")
    if tags is not None and (not isinstance(tags, list) or not all(isinstance(tag, str) and tag for tag in tags)):
        findings.error(f"{where}.tags is not an array of non-empty strings")
    for key in sorted(set(item) - JSON_ITEM_KEYS):
        if not key.startswith("_"):
            findings.warn(f"{where} has unknown key {key!r} (extensions must start with '_')")
    check_json_language(item, findings, f"{where}.")
    check_json_authors(item, findings, f"{where}.")
    attachments = item.get("attachments")
    if attachments is not None:
        if not isinstance(attachments, list):
            findings.error(f"{where}.attachments is not an array")
        else:
            for number, attachment in enumerate(attachments):
                label = f"{where}.attachments[{number}]"
                if not isinstance(attachment, dict) or "url" not in attachment or "mime_type" not in attachment:
                    findings.error(f"{label} needs url and mime_type")
                else:
                    check_json_url(attachment, "url", findings, f"{label}.url")


def check_json_url(document: dict, key: str, findings: Findings, where: str) -> None:
    if key not in document:
        return
    value = document[key]
    reason = url_problem(value) if isinstance(value, str) else "is not a string"
    if reason:
        findings.error(f"{where} {value!r} {reason}")


def check_json_language(document: dict, findings: Findings, prefix: str) -> None:
    if "language" in document:
        value = document["language"]
        reason = language_problem(value) if isinstance(value, str) else "language is not a string"
        if reason:
            findings.error(f"{prefix}{reason}")


def check_json_authors(document: dict, findings: Findings, prefix: str) -> None:
    if "authors" not in document:
        return
    authors = document["authors"]
    if not isinstance(authors, list):
        findings.error(f"{prefix}authors is not an array")
        return
    for number, author in enumerate(authors):
        label = f"{prefix}authors[{number}]"
        if not isinstance(author, dict) or not any(author.get(key) for key in ("name", "url", "avatar")):
            findings.error(f"{label} has none of name, url and avatar (JSON Feed requires one)")
            continue
        for key in ("url", "avatar"):
            check_json_url(author, key, findings, f"{label}.{key}")


# ------------------------------------------------------------------------------------- the site


def check_feed(feed: FeedFile, site_url: str, site_dir: Path) -> tuple[list[Problem], int]:
    """Return the problems in one feed file and the number of items it holds."""
    findings = Findings(str(feed.path))
    data = feed.path.read_bytes()
    if feed.kind == "json":
        count = check_json_feed(data, feed, findings)
        return sorted(findings.problems), count
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=xml_parser()))
    except etree.XMLSyntaxError as exc:
        findings.error(f"not well-formed XML: {exc.msg}", exc.lineno)
        return sorted(findings.problems), 0
    root = tree.getroot()
    expected = {"rss": "rss20", "atom": "atom10"}[feed.kind]
    problem = feedparser_problem(data, expected)
    if problem:
        findings.error(problem)
    check_stylesheet(tree, feed, site_url, site_dir, findings)
    count = check_rss(root, feed, findings) if feed.kind == "rss" else check_atom(root, feed, findings)
    return sorted(findings.problems), count


def feed_kind(path: Path) -> tuple[str | None, tuple[int, str] | None]:
    """Return (kind, None) for a feed, (None, None) for another file, (None, (line, why)) when it does not parse."""
    data = path.read_bytes()
    if path.suffix == ".json":
        try:
            document = json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return None, (0, f"not UTF-8 ({exc})")
        except json.JSONDecodeError as exc:
            return None, (exc.lineno, f"not valid JSON: {exc.msg}")
        version = document.get("version") if isinstance(document, dict) else None
        if isinstance(version, str) and version.startswith("https://jsonfeed.org/version/"):
            return "json", None
        return None, None
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as exc:
        return None, (exc.lineno or 0, f"not well-formed XML: {exc.msg}")
    if root.tag == "rss":
        return "rss", None
    if root.tag == f"{{{ATOM_NS}}}feed":
        return "atom", None
    return None, None


def find_feeds(site_dir: Path, site_url: str) -> tuple[list[FeedFile], list[Problem]]:
    """Return every RSS, Atom and JSON feed under `site_dir`, and the feed-like files that do not parse."""
    feeds, problems = [], []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in FEED_SUFFIXES:
            continue
        kind, unreadable = feed_kind(path)
        if unreadable:
            problems.append(Problem(str(path), *unreadable))
        elif kind:
            feeds.append(FeedFile(path, kind, site_url + path.relative_to(site_dir).as_posix()))
    return feeds, problems


@dataclass
class SiteResult:
    """What checking a site's feeds found."""

    feeds: list[FeedFile]
    items: int
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.level == "warning"]


def check_site(site_dir: Path, site_url: str) -> SiteResult:
    """Find and check every feed of a built site whose root is served at `site_url`."""
    if not site_url.endswith("/"):
        site_url += "/"
    feeds, problems = find_feeds(site_dir, site_url)
    if not feeds and not problems:
        problems.append(Problem(str(site_dir), 0, "no RSS, Atom or JSON feed found"))
    items = 0
    for feed in feeds:
        found, count = check_feed(feed, site_url, site_dir)
        problems += found
        items += count
    return SiteResult(feeds, items, sorted(problems))


def summary(result: SiteResult) -> str:
    kinds = {kind: sum(feed.kind == kind for feed in result.feeds) for kind in ("rss", "atom", "json")}
    return (f"{len(result.errors)} errors, {len(result.warnings)} warnings in {len(result.feeds)} feeds "
            f"({kinds['rss']} RSS, {kinds['atom']} Atom, {kinds['json']} JSON Feed; {result.items} items)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="feedcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="the built site, such as public/")
    parser.add_argument("--site-url", required=True, help="the URL the folder is served at (the build's base_url)")
    args = parser.parse_args(argv)
    result = check_site(args.site_dir, args.site_url)
    for problem in result.problems:
        print(problem)
    print(f"feedcheck: {summary(result)}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
