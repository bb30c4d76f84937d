"""Markdown and plain text to safe HTML, and HTML back to plain text.

Python-Markdown and the nh3 sanitiser live here and nowhere else.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from itertools import islice
from html.parser import HTMLParser

import markdown
import nh3
from markdown import inlinepatterns, treeprocessors

from .report import BuildError

MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt",
              "figcaption", "td", "th", "div", "section", "article"}
# nh3's defaults minus the tags a digest page has no use for, plus figure markup.
ALLOWED_TAGS = (nh3.ALLOWED_TAGS - {"map", "area", "bdo"}) | {"figure", "figcaption"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Limits on what Python-Markdown is asked to render, each well under a second of its time. Past
# them it recurses into the stack or goes quadratic; no article comes near them.
MAX_NESTING = 40  # quotes, lists or definitions inside each other
MAX_BLOCK_LINES = 500  # block parsers split a block a line at a time and re-read the rest
MAX_MARKERS = 10_000  # characters that make the inline patterns try a match
MAX_INLINE_WORK = 2_000_000_000  # every inline match copies its paragraph: markers times length
MAX_LINK_SCAN = 1_000_000  # characters read one by one from each '[' to its ']', '](' to its ')'
MAX_TAG_SCAN = 5_000_000  # characters the HTML parser reads from each '<' to the next '>'
MAX_FOOTNOTE_REFS = 500  # each reference to one footnote counts the ones before it
MARKER_CHARS = "\\`*_[<&|"
HR_LINE = r"[ \t]*([-*_])(?:[ \t]*\1)*[ \t]*$"  # "* * *" is a rule, not three lists
NESTING_PREFIX = re.compile(r"^(?!%s)(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))){%d,}"
                            % (HR_LINE, MAX_NESTING), re.MULTILINE)
DEEP_INDENT = re.compile(r"^ {%d,}(?:[-*+]|\d{1,9}[.)])[ \t]" % (4 * MAX_NESTING), re.MULTILINE)
# Python-Markdown puts the lines after a definition inside it, so definitions in one block nest.
DEFINITION = re.compile(r"^ {0,3}:[ \t]", re.MULTILINE)
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
OPENING_BRACKET = re.compile(r"\\.|\[", re.DOTALL)  # escaped characters are skipped
BRACKET = re.compile(r"\\.|\]\(?|\[", re.DOTALL)
TAG_START = re.compile(r"<[A-Za-z/!?]")
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]{1,100})\](?!:)")  # a reference, not the note itself

# Python-Markdown tries each inline pattern on every paragraph. Those that open with a look-behind make
# the regex engine try every position; each pattern here has its look-behind moved after its first,
# literal character, which the engine skips to. Each pair matches the same spans with the same groups
# (tests/test_markup_speed_equivalence.py), and a pattern that a Markdown release changes keeps its own.
FASTER_INLINE_PATTERNS = {
    # backtick: an even run of backslashes before a backtick, or a backtick, neither after a backslash
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": r"(?:(\\(?<!\\\\)\\(?:\\{2})*)(?=`+)|`(?<!\\`))",
    # link and reference openers: a '[' that does not follow a '!'
    r"(?<!\!)\[": r"\[(?<!\!\[)",
}


# Every inline pattern of Python-Markdown 3 with "extra" matches text holding one of these: each one's
# match opens with one of the characters, or holds a hard line break (two spaces and a line break).
INLINE_TRIGGER = re.compile(r"[\\`\[<&*_]|  \n")
# The inline patterns INLINE_TRIGGER was worked out from (patterns_digest): with others, as a release or
# an extension may bring, each pattern is asked in turn.
INLINE_PATTERNS_DIGEST = "7f2ffe9e38cdf1b9"


def patterns_digest(patterns) -> str:
    """Return a short digest of the class and regex of each inline pattern, in order."""
    described = "\n".join(f"{type(pattern).__name__} {pattern.getCompiledRegExp().pattern}" for pattern in patterns)
    return hashlib.blake2b(described.encode(), digest_size=8).hexdigest()


class PrecheckedInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor, which first asks whether any pattern can match a text.

    For each text of the tree, the processor tries its patterns in turn, each through a Python call
    that costs several times the regex search itself; most texts of an article match none of them.
    A text with no trigger character is left as it is; otherwise it goes to the patterns from the
    first one whose regex finds something in it, since the processor passes over those before.
    """

    def run(self, tree, ancestors=None):
        # The patterns of this document: an extension may add some for it.
        self.trigger = INLINE_TRIGGER if patterns_digest(self.inlinePatterns) == INLINE_PATTERNS_DIGEST else None
        self.pattern_tests = [pattern.getCompiledRegExp().search
                              if isinstance(pattern, inlinepatterns.InlineProcessor)
                              else pattern.getCompiledRegExp().match  # old-style patterns match from the start
                              for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        if isinstance(data, markdown.util.AtomicString) or (self.trigger and not self.trigger.search(data)):
            return data
        for index in range(patternIndex, len(self.pattern_tests)):
            if self.pattern_tests[index](data):
                return super()._InlineProcessor__handleInline(data, index)
        return data


def make_converter() -> markdown.Markdown:
    """Return the Markdown converter, its slowest inline patterns swapped for their faster twins,
    and its inline processor one that skips the patterns that cannot match."""
    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
    for processor in converter.inlinePatterns:
        faster = FASTER_INLINE_PATTERNS.get(processor.compiled_re.pattern)
        if faster:
            processor.compiled_re = re.compile(faster, processor.compiled_re.flags)
    # The private method it overrides is the one the processor calls for every text: a release that
    # renames it, or another inline processor, is left as it is. The instance keeps its place and state.
    inline = converter.treeprocessors["inline"]
    if type(inline) is treeprocessors.InlineProcessor and hasattr(inline, "_InlineProcessor__handleInline"):
        inline.__class__ = PrecheckedInlineProcessor
    return converter


_converter = make_converter()


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
    check_renderable(text)
    _converter.reset()  # one converter for all articles; reset clears footnotes and references
    try:
        rendered = _converter.convert(text)
    except RecursionError:
        raise BuildError("Markdown nested too deeply to render; expected an article") from None
    return rendered if unsafe else sanitize(rendered)


def check_renderable(text: str) -> None:
    """Raise BuildError, with the line in `text`, for Markdown that would take Python-Markdown
    minutes or the whole stack: nesting bombs, endless blocks, and runs of open brackets or tags."""
    text = text.expandtabs(4)  # as Python-Markdown reads it
    nested = NESTING_PREFIX.search(text) or DEEP_INDENT.search(text)
    if nested:
        raise nesting_error(text, nested.start())
    markers = sum(map(text.count, MARKER_CHARS)) + text.count("  \n")
    if markers > MAX_MARKERS:
        raise BuildError(f"Markdown has {markers:,} markup characters ({' '.join(MARKER_CHARS)}); expected "
                         f"at most {MAX_MARKERS:,} in an article")
    footnotes = Counter(match.group(1) for match in FOOTNOTE_REF.finditer(text))
    if footnotes and max(footnotes.values()) > MAX_FOOTNOTE_REFS:
        [(name, count)] = footnotes.most_common(1)
        raise BuildError(f"Markdown refers to footnote '[^{name}]' {count:,} times; expected at most "
                         f"{MAX_FOOTNOTE_REFS:,}", line=line_at(text, text.index(f"[^{name}]")))
    if some_block_may_be_costly(text, markers):
        check_blocks(text)
    opener = costly_opener(tag_openers(text), MAX_TAG_SCAN)
    if opener is not None:
        raise BuildError("Markdown '<' starts HTML tags that never close with '>'; expected an article "
                         "(write &lt; for a literal '<')", line=line_at(text, opener))


def check_blocks(text: str) -> None:
    """Raise BuildError for a block of `text` too deeply nested, too long or too costly to render."""
    for start, block in blocks(text):
        too_deep = next(islice(DEFINITION.finditer(block), MAX_NESTING, None), None)
        if too_deep:
            raise nesting_error(text, start + too_deep.start())
        lines = block.rstrip("\n").count("\n") + 1
        if lines > MAX_BLOCK_LINES:
            raise BuildError(f"Markdown block of {lines:,} lines without a blank line; expected at most "
                             f"{MAX_BLOCK_LINES:,} (separate paragraphs with a blank line)",
                             line=line_at(text, start))
        work = (sum(map(block.count, MARKER_CHARS)) + block.count("  \n")) * len(block)
        if work > MAX_INLINE_WORK:
            raise BuildError(f"Markdown paragraph of {len(block):,} characters has too many markup characters "
                             f"({' '.join(MARKER_CHARS)}) to render in time; expected an article",
                             line=line_at(text, start))
        opener = costly_opener(link_openers(block), MAX_LINK_SCAN)
        if opener is not None:
            raise BuildError("Markdown '[' or '](' is left open or nested too deep to render in time; "
                             r"expected an article (write \[ for a literal bracket)",
                             line=line_at(text, start + opener))


def some_block_may_be_costly(text: str, markers: int) -> bool:
    """Return whether a block of `text` may break a limit that check_renderable puts on each block.

    Each of those limits is on a count or a length within the block, which is never more than in the
    whole text (a block is a run of whole lines of it), so a text within them all has no block beyond.
    """
    return (next(islice(DEFINITION.finditer(text), MAX_NESTING, None), None) is not None
            or text.count("\n") + 1 > MAX_BLOCK_LINES
            or markers * len(text) > MAX_INLINE_WORK
            or 2 * text.count("[") * len(text) > MAX_LINK_SCAN)


def nesting_error(text: str, position: int) -> BuildError:
    return BuildError(f"Markdown nested more than {MAX_NESTING} levels deep (quotes or lists); expected an article",
                      line=line_at(text, position))


def line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def blocks(text: str):
    """Yield (offset, block) for each run of lines between blank lines, as Python-Markdown splits them."""
    start = 0
    for blank in BLANK_LINES.finditer(text):
        yield start, text[start:blank.start()]
        start = blank.end()
    yield start, text[start:]


def link_openers(block: str):
    """Yield (offset, characters read) for each '[' the link patterns read on from to find its ']',
    and each '](' they read on from to find its ')'."""
    if 2 * block.count("[") * len(block) <= MAX_LINK_SCAN:
        return
    opened: list[int] = []
    match = OPENING_BRACKET.search(block)
    while match:
        found, at = match.group(), match.start()
        if found == "[":
            opened.append(at)
        elif found.startswith("]"):
            start = opened.pop()
            yield start, at - start
            if found == "](":
                close = block.find(")", at)
                yield at + 1, (len(block) if close == -1 else close) - at - 1
        # with nothing open, a ']' closes nothing: skip to the next '['
        match = (BRACKET if opened else OPENING_BRACKET).search(block, match.end())
    for start in opened:
        yield start, len(block) - start


def tag_openers(text: str):
    """Yield (offset, characters read) for each '<' the HTML parser reads on from to find its '>'."""
    if text.count("<") * len(text) <= MAX_TAG_SCAN:
        return
    for match in TAG_START.finditer(text):
        end = text.find(">", match.end())
        yield match.start(), (len(text) if end == -1 else end) - match.start()


def costly_opener(openers, limit: int) -> int | None:
    """Return the offset of the opener that reads the most, once all of them read more than `limit`."""
    total, costliest, position = 0, -1, None
    for offset, cost in openers:
        total += cost
        if cost > costliest:
            costliest, position = cost, offset
        if total > limit:
            return position
    return None


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
