"""The shortcuts generator.markup takes for speed give the answers of the plain way.

Each test puts a shortcut beside what it replaced (Python-Markdown's own inline patterns, checking
every block of a text) on the fixtures, the hostile files and generated text.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import markup
from generator.report import BuildError

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def sample_texts() -> list[str]:
    """Return every fixture, hostile file and content/ file, as text."""
    texts = []
    for folder in (TESTS / "fixtures", TESTS / "hostile", TESTS / "golden", ROOT / "content"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".txt", ".md", ".markdown", ".json"):
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def plain_converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=markup.MARKDOWN_EXTENSIONS, output_format="html")


def matches(pattern: re.Pattern, text: str, start: int) -> list[tuple]:
    return [(match.span(), match.groups(), [match.span(group) for group in range(pattern.groups + 1)])
            for match in pattern.finditer(text, start)]


# Markdown's inline markers, the characters its patterns look behind for, and text around them.
MARKERS = ["\\", "\\\\", "`", "``", "!", "[", "]", "![", "](", "(", ")", "a", " ", "\n", "*", "_", "<", "İ", "ſ"]
MARKED_TEXT = st.lists(st.one_of(st.sampled_from(MARKERS), st.text(max_size=3)), max_size=30).map("".join)


# --- Inline patterns with their look-behind after their first character ------------------------


def test_each_faster_pattern_replaces_one_python_markdown_has():
    """Fails when a Markdown release changes a pattern: the shortcut is then no longer taken."""
    plain = {processor.compiled_re.pattern for processor in plain_converter().inlinePatterns}
    assert set(markup.FASTER_INLINE_PATTERNS) <= plain


def test_the_converter_uses_the_faster_patterns_with_the_same_flags():
    for original, processor in zip(plain_converter().inlinePatterns, markup._converter.inlinePatterns):
        before = original.compiled_re
        expected = markup.FASTER_INLINE_PATTERNS.get(before.pattern, before.pattern)
        assert type(processor) is type(original)
        assert (processor.compiled_re.pattern, processor.compiled_re.flags) == (expected, before.flags)


@pytest.mark.parametrize("original", list(markup.FASTER_INLINE_PATTERNS))
def test_faster_patterns_match_as_before_in_the_sample_texts(original):
    slow = re.compile(original, re.DOTALL | re.UNICODE)
    fast = re.compile(markup.FASTER_INLINE_PATTERNS[original], re.DOTALL | re.UNICODE)
    assert fast.groups == slow.groups
    for text in sample_texts():
        assert matches(fast, text, 0) == matches(slow, text, 0)


@SETTINGS
@given(text=MARKED_TEXT, start=st.integers(0, 40))
def test_faster_patterns_match_as_before_in_generated_text(text, start):
    # a search from inside the text still looks behind its start, as Python-Markdown's do
    for original, faster in markup.FASTER_INLINE_PATTERNS.items():
        slow = re.compile(original, re.DOTALL | re.UNICODE)
        fast = re.compile(faster, re.DOTALL | re.UNICODE)
        assert matches(fast, text, start) == matches(slow, text, start)


def convert_both(text: str) -> tuple[str, str]:
    plain = plain_converter()
    try:
        expected = plain.convert(text)
    except RecursionError:
        expected = "RecursionError"
    markup._converter.reset()
    try:
        found = markup._converter.convert(text)
    except RecursionError:
        found = "RecursionError"
    return found, expected


def test_the_converter_renders_the_sample_texts_as_python_markdown_does():
    for text in sample_texts():
        try:
            markup.check_renderable(text)
        except BuildError:
            continue  # too costly to render: never given to Python-Markdown
        found, expected = convert_both(text)
        assert found == expected


MARKDOWN_LINE = st.lists(st.one_of(st.sampled_from(MARKERS + ["[a](b)", "![i](s)", "[a][1]", "[1]: /u",
                                                              "`c`", "\\`", "\\\\`", "[^1]", "[^1]: n",
                                                              "**b**", "# ", "> ", "- ", "1. ", "    "]),
                                   st.text(max_size=3)), max_size=12).map("".join)


@SETTINGS
@given(lines=st.lists(MARKDOWN_LINE, max_size=8))
def test_the_converter_renders_generated_markdown_as_python_markdown_does(lines):
    found, expected = convert_both("\n".join(lines))
    assert found == expected


# --- The inline processor that first asks whether any pattern can match -------------------------


def test_the_converter_asks_first_with_the_patterns_the_trigger_was_worked_out_from():
    """Fails when a Markdown release changes the inline patterns: the trigger must then be checked again."""
    assert type(markup._converter.treeprocessors["inline"]) is markup.PrecheckedInlineProcessor
    assert markup.patterns_digest(markup._converter.inlinePatterns) == markup.INLINE_PATTERNS_DIGEST


def trigger_misses(text: str) -> list[tuple[str, str]]:
    """Return (pattern, match) for each match of an inline pattern in `text` that holds no trigger."""
    return [(processor.compiled_re.pattern, match.group(0))
            for processor in markup._converter.inlinePatterns
            for match in processor.compiled_re.finditer(text)
            if not markup.INLINE_TRIGGER.search(match.group(0))]


def test_every_inline_match_in_the_sample_texts_holds_a_trigger():
    for text in sample_texts():
        assert trigger_misses(text) == []


@SETTINGS
@given(text=MARKED_TEXT)
def test_every_inline_match_in_generated_text_holds_a_trigger(text):
    assert trigger_misses(text) == []


@SETTINGS
@given(lines=st.lists(MARKDOWN_LINE, max_size=8))
def test_the_converter_without_its_trigger_renders_as_python_markdown_does(lines):
    # patterns the trigger was not worked out from: each is asked in turn
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup, "INLINE_PATTERNS_DIGEST", "")
        found, expected = convert_both("\n".join(lines))
    assert found == expected


# --- check_renderable: the blocks are checked only when the whole text could break a limit -------


def outcome(text: str) -> tuple[str, int | None] | None:
    try:
        markup.check_renderable(text)
    except BuildError as error:
        return error.message, error.line
    return None


def outcome_checking_every_block(text: str, monkeypatch) -> tuple[str, int | None] | None:
    with monkeypatch.context() as patch:
        patch.setattr(markup, "some_block_may_be_costly", lambda text, markers: True)
        return outcome(text)


def test_check_renderable_finds_as_before_in_the_sample_texts(monkeypatch):
    for text in sample_texts():
        assert outcome(text) == outcome_checking_every_block(text, monkeypatch)


BLOCK_PIECES = [": ", "\n: ", "\n   : ", "   : ", "    : ", ":\t", "\n", "\n\n", "\n \n", "[", "](", "]", ")",
                "\\[", "*", "  \n", "<a", ">", "a", "İ", "ſ", " "]
BLOCK_TEXT = st.lists(st.one_of(st.sampled_from(BLOCK_PIECES), st.text(max_size=3)), max_size=60).map("".join)


@SETTINGS
@given(text=BLOCK_TEXT)
def test_check_renderable_finds_as_before_with_small_limits(text):
    # with limits this small, generated text breaks each of them in some block, or just misses it
    with pytest.MonkeyPatch.context() as patch:
        for name, limit in (("MAX_NESTING", 2), ("MAX_BLOCK_LINES", 3), ("MAX_INLINE_WORK", 60),
                            ("MAX_LINK_SCAN", 30), ("MAX_MARKERS", 10**6)):
            patch.setattr(markup, name, limit)
        assert outcome(text) == outcome_checking_every_block(text, patch)


@pytest.mark.parametrize("text", ["", "\n", "a" * 1_000_000, ": a\n" * 41, ": a\n" * 40 + "\n: b",
                                  "line\n" * 501, "line\n" * 500, "[" * 600 + " " * 1000,
                                  "*" * 9_000 + "a" * 300_000, "İ\n\nſ" * 1000])
def test_check_renderable_finds_as_before_at_the_limits(text, monkeypatch):
    assert outcome(text) == outcome_checking_every_block(text, monkeypatch)
