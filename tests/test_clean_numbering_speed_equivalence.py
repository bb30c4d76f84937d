"""clean.number_blocks looks up only the starts of a block's words as long as some line's: the lines it
finds are those that looking up every start found.
"""

from __future__ import annotations

import functools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import clean, markup
from generator.report import BuildError

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def number_every_start(texts, lines, default):
    """number_blocks as first written: every start of a block's words, one to twenty characters long."""
    first_line: dict[str, int] = {}
    for line in lines:
        if line.text and not line.code:
            if key := clean.comparable_start(clean.plain(line.text, True), 20):
                first_line.setdefault(key, line.number)
    numbered = []
    for text in texts:
        words = clean.comparable_start(text, 20)
        found = [first_line[words[:size]] for size in range(1, 21) if words[:size] in first_line]
        numbered.append(clean.Paragraph(min(found, default=default), text))
    return numbered


@functools.cache
def sample_bodies() -> list[tuple[tuple[str, ...], list[clean.Line]]]:
    """Return the rendered blocks and the lines of every fixture, hostile file and content/ file."""
    bodies = []
    for folder in (TESTS / "fixtures", TESTS / "hostile", ROOT / "content"):
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix not in (".txt", ".md"):
                continue
            lines = clean.normalise(path.read_text(encoding="utf-8", errors="replace"), 1, markdown=True)
            try:
                texts = tuple(markup.to_blocks(markup.to_html("\n".join(line.text for line in lines))))
            except BuildError:
                continue
            bodies.append((texts, lines))
    return bodies


def test_blocks_are_numbered_as_before_in_the_sample_files():
    for texts, lines in sample_bodies():
        assert clean.number_blocks(texts, lines, 0) == number_every_start(texts, lines, 0)


WORDS = ["", "a", "A", "the", "The rate", "İ", "ı", "ſ", "ß", "SS", "—", "“", "*", "#", "> ", "1. ", " ", "  ",
         "Rates rose", "rates rose sharply on Tuesday", "x" * 25, "[link](http://a)", "<b>", "_"]
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=10).map(" ".join)


@SETTINGS
@given(line_texts=st.lists(TEXT, max_size=12), block_texts=st.lists(TEXT, max_size=8),
       code=st.lists(st.booleans(), max_size=12))
def test_blocks_are_numbered_as_before_in_generated_text(line_texts, block_texts, code):
    lines = [clean.Line(number, text, code=number < len(code) and code[number])
             for number, text in enumerate(line_texts, start=3)]
    # blocks that open as some lines do, cut anywhere, as well as blocks of their own
    texts = block_texts + [text[:cut] for text in line_texts for cut in (5, 19, 20, 21, 200)]
    assert clean.number_blocks(texts, lines, 1) == number_every_start(texts, lines, 1)
