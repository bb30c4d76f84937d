"""Markdown to safe HTML, and HTML back to text."""

from __future__ import annotations

import time

import pytest

from generator import markup
from generator.report import BuildError


def test_markdown_becomes_html():
    assert markup.to_html("Some *emphasis*.\n\n- one\n- two") == (
        "<p>Some <em>emphasis</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>")


@pytest.mark.parametrize("hostile, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('<p style="position:fixed">x</p>', "style="),
])
def test_sanitiser_removes_what_could_run(hostile, forbidden):
    assert forbidden not in markup.to_html(hostile).lower()


def test_unsafe_keeps_raw_html_when_the_site_opts_in():
    assert "<script>" in markup.to_html("<script>alert(1)</script>", unsafe=True)


def test_links_keep_their_target_and_gain_rel():
    assert markup.to_html("[site](https://example.org/a)") == (
        '<p><a href="https://example.org/a" rel="noopener noreferrer">site</a></p>')


def test_plain_paragraphs_are_escaped():
    assert markup.paragraphs_to_html(["a < b & c", "<b>not bold</b>"]) == (
        "<p>a &lt; b &amp; c</p>\n<p>&lt;b&gt;not bold&lt;/b&gt;</p>")


def test_to_blocks_gives_one_string_per_block():
    html = "<h2>Head</h2><p>One <em>two</em>\nthree</p><ul><li>a</li><li>b</li></ul><script>x()</script>"
    assert markup.to_blocks(html) == ["Head", "One two three", "a", "b"]
    assert markup.to_text(html) == "Head\nOne two three\na\nb"


@pytest.mark.parametrize("bomb", [
    ">" * 5000 + " deep",
    "\n".join("> " * depth + "x" for depth in range(2000)),
    "\n".join("  " * depth + "- x" for depth in range(3000)),
    "\n".join("\t" * depth + "- x" for depth in range(3000)),
])
def test_nesting_bombs_are_refused_fast(bomb):
    started = time.perf_counter()
    with pytest.raises(BuildError) as caught:
        markup.to_html(bomb)
    assert "nested" in str(caught.value)
    assert time.perf_counter() - started < 2


def test_a_few_levels_of_nesting_are_fine():
    assert markup.to_html("> > quoted twice").count("<blockquote>") == 2
