"""The shortcuts generator.dates and generator.ingest take for speed give the answers of the plain way.

Each test puts a shortcut beside what it replaced (every date pattern tried on the whole line, the
relative-date pattern searched, a pattern counting binary signs, every YAML node counted the long
way) on the lines of the fixtures and on generated text.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import timezone
from itertools import accumulate
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conftest
from generator import dates, ingest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
UTC = timezone.utc
SETTINGS = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def sample_lines() -> list[str]:
    """Return every line of the sample files."""
    return sorted({line for text in conftest.sample_texts() for line in text.splitlines()})


# Pieces of dates, relative dates and prose, and the letters outside ASCII that ignoring case
# reads as ASCII ones.
FRAGMENTS = [
    "2026", "1999", "12", "3", "03", "24th", "1st", "-", "/", ".", ",", ":", " ", "  ", "\t", "T", "Z",
    "09:12", "9.12", "am", "p.m.", "GMT", "UTC+1", "+01:00", "ET", "(BST)", "Beijing time",
    "January", "jan", "Feb.", "March", "Mar", "MAY", "may", "June", "Jul", "Aug", "Sept", "sep",
    "October", "Nov.", "dec", "Tue", "Tuesday", "of", "the", "on", "at", "by", "Published", "Updated",
    "ago", "AGO", "2 hours", "a few", "minutes", "moments", "just", "now", "yesterday", "today",
    "tonight", "tomorrow", "this", "last", "next", "coming", "morning", "week", "month", "year",
    "Monday", "friday", "\u0130", "\u0131", "\u017f", "\u212a", "ye\u017fterday", "THİS", "la\u017ft",
    "\u212anow", "\u0663\u0660\u0662\u0666", "\uff12\uff10\uff12\uff16", "said", "Word", "\u2014", "\u00a0",
    "novembre", "NOVEMBRE", "März", "MÄRZ", "mai", "déc.", "juil", "enero", "noviembre", "Dezember", "24.", "1er",
    "de", "del", "à", "a las", "um", "Uhr", "18h30", "8 h 05", "年", "月", "日", "时", "時", "分", "(月)", "：",
]
date_text = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)
any_text = st.one_of(date_text, st.text(max_size=200))


def test_ascii_folds_are_every_letter_that_ignoring_case_reads_as_ascii():
    pattern = re.compile(r"[a-z0-9./\-]", re.IGNORECASE)
    odd = {char for char in conftest.every_character() if not char.isascii() and pattern.fullmatch(char)}
    assert odd == set(map(chr, dates.ASCII_FOLDS))
    for char in odd:
        folded = dates._folded(char)
        assert re.fullmatch(folded, char, re.IGNORECASE), char


def test_each_month_name_of_another_language_holds_a_stem_the_shortcut_looks_for():
    for name in dates.OTHER_MONTHS.keys() - dates.MONTHS.keys():
        assert any(stem in name for stem in dates.OTHER_MONTH_STEMS), name


def plain_dates_in(text, tz, dayfirst):
    """Every date pattern tried on the whole text, as before the shortcut."""
    candidates = sorted((match.start(), index, match)
                        for index, pattern in enumerate(dates.DATE_PATTERNS)
                        for match in pattern.finditer(text))
    found = (dates._build(match, text, tz, dayfirst) for _, _, match in candidates)
    return [built for built in found if built is not None]


def plain_partial_date(text):
    candidates = sorted((match.start(), index, match)
                        for index, pattern in enumerate(dates.PARTIAL_PATTERNS)
                        for match in pattern.finditer(text))
    for _, _, match in candidates:
        month_word = match["month"]
        if not month_word[0].isupper():
            continue
        month, day = dates.MONTHS[month_word.lower().rstrip(".")], int(match["day"])
        if 1 <= day <= calendar.monthrange(2024, month)[1]:
            return month, day
    return None


def check_same(text):
    for dayfirst in (None, True, False):
        assert list(dates._dates_in(text, UTC, dayfirst)) == plain_dates_in(text, UTC, dayfirst), text
    plain_span = plain_dates_in(text, UTC, None)
    assert dates.find_date_span(text, UTC) == (plain_span[0] if plain_span else None)
    relative = dates.RELATIVE.search(text)
    assert dates.find_relative_date(text) == (relative.group(0) if relative else None), text
    assert dates.find_partial_date(text) == plain_partial_date(text), text


def test_shortcuts_agree_on_every_fixture_line():
    lines = sample_lines()
    assert len(lines) > 1000
    found = 0
    for line in lines:
        check_same(line)
        found += dates.find_date_span(line, UTC) is not None
    assert found > 20  # the fixtures hold dates, so the comparison saw some


@pytest.mark.parametrize("text", [
    "Published 3 March 2026", "Tue, 03 Mar 2026 09:12:00 GMT", "2026-03-03T09:12:00+01:00", "03/04/2026",
    "3.3.2026 09.12 GMT", "24th of November, 2025", "Nov. 24", "2 hours ago", "YE\u017fTERDAY",
    "thİs morning", "la\u017ft week", "\u0663/\u0663/\u0662\u0660\u0662\u0666", "Ma\u212a 2026", "just now",
])
def test_shortcuts_agree_on_known_dates(text):
    check_same(text)


@SETTINGS
@given(any_text)
def test_shortcuts_agree_on_generated_text(text):
    check_same(text)


@SETTINGS
@given(date_text)
def test_parse_date_refuses_relative_dates_as_before(text):
    refused = bool(text.strip()) and len(text.strip()) <= dates.MAX_DATE_LENGTH and bool(
        dates.RELATIVE.search(text.strip()))
    if refused:
        with pytest.raises(dates.DateError):
            dates.parse_date(text, UTC)


BINARY_SIGN = re.compile("[\x01-\x08\x0e-\x1f\x7f\ufffd]")


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x01\x08\t\n\x0b\x0e\x1f\x7f\x80\ufffd")))
def test_binary_signs_counts_what_the_pattern_finds(text):
    assert ingest.binary_signs(text) == len(BINARY_SIGN.findall(text))


def test_binary_signs_on_windows_1252_and_fixtures():
    text = bytes(range(256)).decode("cp1252", errors="replace")
    assert ingest.binary_signs(text) == len(BINARY_SIGN.findall(text))
    for path in sorted((TESTS / "hostile").rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            assert ingest.binary_signs(text) == len(BINARY_SIGN.findall(text)), path


def plain_count_nodes(node, sizes, depth):
    """count_nodes as it was: every node, scalars too, marked while its children are counted."""
    key = id(node)
    if key in sizes:
        if sizes[key] < 0:
            raise ingest.TooBig("front matter refers to itself through a YAML alias; expected plain values")
        return sizes[key]
    if depth > ingest.MAX_FRONT_MATTER_DEPTH:
        raise ingest.TooBig(f"front matter is nested more than {ingest.MAX_FRONT_MATTER_DEPTH} levels deep; "
                            "expected plain values")
    sizes[key] = -1
    if isinstance(node, yaml.MappingNode):
        children = [value for _, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    total = 1 + sum(plain_count_nodes(child, sizes, depth + 1) for child in children)
    if total > ingest.MAX_FRONT_MATTER_VALUES:
        raise ingest.TooBig(f"front matter expands to more than {ingest.MAX_FRONT_MATTER_VALUES:,} values "
                            "(a YAML alias bomb?); expected a few keys")
    sizes[key] = total
    return total


def nested(depth: int, inner: str) -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + "  " * depth + inner + "\n"


def front_matters() -> list[str]:
    found = []
    for folder in (TESTS / "fixtures", TESTS / "hostile", ROOT / "content"):
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            parts = text.split("---\n")
            if text.startswith("---\n") and len(parts) > 2:
                found.append(parts[1])
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n" for n in range(5))
    found += [
        bomb,
        "base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  z: 3\nagain: *b\n",
        "top: &s shared\n" + nested(49, "leaf: *s"),  # an aliased scalar just past the depth limit
        "top: &s shared\n" + nested(50, "leaf: *s"),
        nested(49, "leaf: plain"), nested(50, "leaf: plain"), nested(51, "leaf: plain"),
        "list: &l [1, 2, 3]\n" + nested(49, "leaf: *l"),
    ]
    return found


def test_count_nodes_agrees_with_the_plain_count():
    checked = 0
    for text in front_matters():
        depth = max(accumulate(map(ingest.FLOW_DEPTH.__getitem__, ingest.FLOW_BRACKET.findall(text))), default=0)
        if depth > ingest.MAX_FRONT_MATTER_DEPTH or ingest.BLOCK_CHAIN.search(text):
            continue  # refused before libyaml sees it, which would overflow the C stack
        loader = ingest.FrontMatterLoader(text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            continue
        finally:
            loader.dispose()
        if node is None:
            continue
        outcomes = []
        for count in (ingest.count_nodes, plain_count_nodes):
            try:
                outcomes.append(count(node, {}, 0))
            except (ingest.TooBig, RecursionError) as exc:
                outcomes.append((type(exc), str(exc)))
        assert outcomes[0] == outcomes[1], text[:200]
        checked += 1
    assert checked > 20
