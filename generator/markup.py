"""Markdown and plain text to safe HTML, and HTML back to plain text.

Python-Markdown and the nh3 sanitiser live here and nowhere else.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown
import nh3

from .report import BuildError

MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt",
              "figcaption", "td", "th", "div", "section", "article"}
# nh3's defaults minus the tags a digest page has no use for, plus figure markup.
ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"map", "area", "bdo"}) | {"figure", "figcaption"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Deeper quote or list nesting than this is no article: Python-Markdown would recurse into it.
MAX_NESTING = 40
NESTING_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])){%d,}" % MAX_NESTING, re.MULTILINE)
DEEP_INDENT = re.compile(r"^[ \t]{%d,}\S" % (4 * MAX_NESTING), re.MULTILINE)

_converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")


def sanitize(fragment: str) -> str:
    """Return `fragment` with scripts, styles, frames, handlers and unsafe URLs removed."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def to_html(text: str, *, unsafe: bool = False) -> str:
    """Return Markdown `text` as HTML, sanitised unless `unsafe` is set by the site."""
    if NESTING_PREFIX.search(text) or DEEP_INDENT.search(text.expandtabs(4)):
        raise BuildError(f"Markdown nested more than {MAX_NESTING} levels deep (quotes or lists); "
                         "expected an article")
    _converter.reset()  # one converter for all articles; reset clears footnotes and references
    try:
        rendered = _converter.convert(text)
    except RecursionError:
        raise BuildError("Markdown nested too deeply to render; expected an article") from None
    return rendered if unsafe else sanitize(rendered)


def paragraphs_to_html(paragraphs: list[str] | tuple[str, ...]) -> str:
    """Return plain-text paragraphs as escaped HTML paragraphs."""
    return "\n".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


class _TextCollector(HTMLParser):
    """Collects the text of each block element of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "template"):
            self.skipping += 1
        elif tag in BLOCK_TAGS or tag == "br":
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def to_blocks(fragment: str) -> list[str]:
    """Return the plain text of each paragraph-like block of an HTML fragment."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    collector.flush()
    return collector.blocks


def to_text(fragment: str) -> str:
    """Return an HTML fragment as plain text, one line per block."""
    return "\n".join(to_blocks(fragment))
