"""The shortcuts generator.clean takes for speed give the answers of the plain way.

Each test puts a shortcut beside what it replaced (trying every pattern on its own, translating
every line, reading a whole paragraph) on the lines of the fixtures and on generated lines.
"""

from __future__ import annotations

import functools
import re
import string
from datetime import timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conftest
from generator import clean

UTC = timezone.utc


@functools.cache
def sample_lines() -> list[str]:
    """Return every line of the sample files as the finders see it, before and after plain()."""
    return sorted({text for line, markdown in conftest.sample_lines() for text in (line, clean.plain(line, markdown))})


# Pieces of the noise patterns' words, odd letters that ignoring case reads as ASCII ones, and
# the punctuation the patterns turn on.
FRAGMENTS = [
    "Photo", "photograph:", "Picture", "Illustration:", "Image credit:", "image", "Getty Images",
    "getty images", "via", "via Getty Images", "/", "/Getty Images", "for Getty Images", "AFP",
    "Reuters", "REUTERS/Evelyn Hockstein", "REUTERS/", "AP/", "AP", "Xinhua/Li", "EPA/", "(AP Photo/Evan Vucci)",
    "(Reuters)", "(Photo by Kevin Lamarque/Getty Images)", "Shutterstock", "Alamy", "Imagn Images",
    "delivered to your inbox", "straight into your inbox", "inbox", "we use cookies",
    "cookie policy", "manage consent", "accept all cookies", "contributed reporting",
    "contributed to this report", "Subscribe", "Sign up", "newsletter", "Share", "Facebook",
    "Twitter", "Advertisement", "Read more:", "Related", "Most read", "İ", "ı", "ſ", "\u212a",
    "İNBOX", "ınbox", "ſhutterſtock", "coo\u212aie", "CONTRİBUTED", "PHOTO", ".", ". ", "!", "?",
    "”", "’", ")", "(", ":", " ", "  ", "\t", "-", "—", "|", "•", "2026", "10:15", "said",
    "转载", "未经授权不得转载", "無断転載を禁じます", "転載", "（完）", "【纠错】", "责任编辑：", "Lire aussi", "Quelle:",
]
LINE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=14).map("".join)
SPACED_LINE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=14).map(" ".join)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one_by_one(patterns: clean.LinePatterns, text: str) -> bool:
    return any(pattern.fullmatch(text) for pattern in patterns.patterns)


def as_first_written(patterns: clean.LinePatterns, text: str) -> bool:
    """Try each pattern without the lookahead that names its words, as boilerplate.toml had them."""
    return any(re.fullmatch(without_needed_words(pattern.pattern), text, re.IGNORECASE)
               for pattern in patterns.patterns)


def without_needed_words(source: str) -> str:
    named = clean.NEEDED_WORDS.match(source)
    return source[named.end():] if named else source


# --- Noise and tail markers: one alternation, and patterns skipped for want of a word ----------


@pytest.mark.parametrize("name", ["noise", "tail_markers"])
def test_line_patterns_agree_with_each_pattern_on_the_fixture_lines(name):
    patterns = getattr(clean.RULES, name)
    for text in sample_lines():
        expected = one_by_one(patterns, text)
        assert patterns.fullmatch(text) == expected, text
        assert as_first_written(patterns, text) == expected, text


@SETTINGS
@given(text=st.one_of(LINE, SPACED_LINE))
def test_line_patterns_agree_with_each_pattern_on_generated_lines(text):
    for patterns in (clean.RULES.noise, clean.RULES.tail_markers):
        expected = one_by_one(patterns, text)
        assert patterns.fullmatch(text) == expected
        assert as_first_written(patterns, text) == expected


# Lines that only one of the patterns that name their words drops, for each of the words
CAPTIONS_AND_PITCHES = [
    "Get the best stories delivered to your inbox every morning.",
    "Top stories, straight into your İnbox",
    "CNN's Simone McCarthy contributed reporting.",
    "Reuters' Ann Lee contributed to this report",
    "This site uses cookies to give you the best experience.",
    "Please manage consent here",
    "A man walks past a shop in Busan. Picture: Evan Vucci",
    "Leaders meet in Busan on Thursday. Photograph: Mark Schiefelbein",
    "The chip plant, as seen from the air. Illustration: Guardian Design",
    "The surface of the moon. Image credit: NASA",
    "Workers assemble cars in Detroit. REUTERS/Rebecca Cook/Pool/File",
    "XINHUA/Li Xueren/Pool/File",
    "AP/Evan Vucci/Pool/File",
    "Crowds on the square. AFP/Hector Retamal/Pool/Handout",
    "EPA/Jeon Heon-Kyun/Pool/File",
    "Traders work on the floor of the exchange. Kevin Lamarque/Reuters",
    "Police stand guard in Seoul, photo via Getty Images",
    "Ships wait at the port of Shanghai. Chip Somodevilla for Getty Images.",
    "A field of solar panels. Jane Doe for Shutterstock",
    "A field of wind turbines. Jane Doe for Alamy",
    "The stadium before kick-off. Jane Doe for Imagn Images",
    "Smoke rises over the city. Anna Moneymaker/Shutterſtock",
    "Dockers wait at the gate (Ted Aljibe/Getty Images)",
    "Reuse this content (opens in new window)",
    "Vince Thiam/NPR",
    "Residents took cover in Taipei on Monday.Credit...Anna Chi for The New York Times",
]


def test_each_word_a_pattern_names_is_in_a_line_only_that_pattern_drops():
    noise = clean.RULES.noise
    for text in CAPTIONS_AND_PITCHES:
        assert noise.fullmatch(text) and one_by_one(noise, text) and as_first_written(noise, text), text
    for words, pattern in noise.one_by_one:
        for word in words:  # so a word missing from the list would keep such a line
            assert any(pattern.fullmatch(text) and [found for found in words if found in text.lower()] == [word]
                       and sum(bool(other.fullmatch(text)) for other in noise.patterns) == 1
                       for text in CAPTIONS_AND_PITCHES), (pattern.pattern, word)


def test_the_built_in_patterns_are_one_alternation_but_those_that_name_their_words():
    noise = clean.RULES.noise
    assert noise.alternation is not None
    assert len(noise.one_by_one) >= 5
    assert all(words and not pattern.groups for words, pattern in noise.one_by_one)


def test_a_pattern_is_skipped_only_for_want_of_its_words():
    patterns = clean.LinePatterns.compile([r"(?=.*(?:inbox|news)).{0,20}\binbox", "other"])
    assert patterns.fullmatch("Delivered to your INBOX")
    assert patterns.fullmatch("delivered to your İnbox")  # İ is i to a pattern ignoring case
    assert patterns.fullmatch("delivered to your ınbox")
    assert not patterns.fullmatch("delivered to your mailbox")
    assert patterns.fullmatch("OTHER")


def test_a_pattern_naming_the_words_a_line_starts_with_is_tried_only_on_such_lines():
    patterns = clean.LinePatterns.compile([r"(?=(?:lire |à lire ))(?:à )?lire aussi.{0,20}",
                                           r"(?=(?:\(|（))[(（]\s*完\s*[)）]", "other"])
    assert sorted(patterns.by_initial) == ["(", "l", "à", "（"]
    assert patterns.one_by_one == () and patterns.alternation.pattern == "(?:other)"
    for text in ["Lire aussi | Taïwan", "À LIRE AUSSI", "(完)", "（ 完 ）", "OTHER", "LİRE AUSSI"]:
        assert patterns.fullmatch(text) and one_by_one(patterns, text), text
    for text in ["Pour lire aussi", "lire", " (完)", "完", ""]:
        assert not patterns.fullmatch(text) and not one_by_one(patterns, text), text


@SETTINGS
@given(text=st.one_of(LINE, SPACED_LINE))
def test_patterns_naming_their_first_words_agree_with_each_pattern(text):
    noise = clean.RULES.noise
    assert noise.by_initial
    for variant in (text, text.upper(), text.capitalize(), "lire aussi" + text, "Mehr zum Thema" + text):
        assert noise.fullmatch(variant) == one_by_one(noise, variant), variant


def test_case_oddities_are_every_letter_lower_does_not_turn_into_its_ascii_letter():
    ascii_letter = re.compile("|".join(string.ascii_lowercase), re.IGNORECASE)
    uncased = re.compile("[0-9 /]", re.IGNORECASE)
    for character in conftest.every_character():
        if uncased.fullmatch(character):
            assert character in "0123456789 /"  # the other characters a needed word may hold
        if not ascii_letter.fullmatch(character) or character in clean.CASE_ODDITIES:
            continue
        matched = [letter for letter in string.ascii_lowercase if re.fullmatch(letter, character, re.IGNORECASE)]
        assert matched == [character.lower()], (character, matched)


SITE_PATTERNS = [
    r"Harbour Weekly is reader-supported.*",
    r"(ab+)\1",  # a numbered backreference: its group number would shift in an alternation
    r"(?P<source>x+)-(?P=source)",
    r"(?P<source>y+)",  # the same group name again
    r"(?x) spaced \s+ out",  # a global flag, which no alternation allows but at its start
    r"(?=.*(?:harbour)).{0,30}harbour.*",
    r"",
]


@pytest.mark.parametrize("extra", [tuple(SITE_PATTERNS), tuple(SITE_PATTERNS[:1]), (SITE_PATTERNS[1],),
                                   (SITE_PATTERNS[4],), ("(?i)caps", "plain")])
def test_a_sites_own_patterns_match_as_on_their_own(extra):
    rules = clean.site_rules(extra)
    lines = ["Harbour Weekly is reader-supported. Join us", "abbab", "abbabb", "xx-xx", "xx-x", "yyy",
             "spaced out", "spaced   out", "caps", "CAPS", "PLAIN", "our harbour view", ""]
    for text in sample_lines()[:3000] + lines:
        assert rules.noise.fullmatch(text) == one_by_one(rules.noise, text), (extra, text)


def test_a_sites_own_patterns_keep_their_groups_and_flags():
    noise = clean.site_rules(tuple(SITE_PATTERNS)).noise
    assert [text for text in ["abbabb", "abbab", "xx-xx", "xx-x", "YYY", "spaced   out", "spacedout",
                              "our Harbour view", ""] if noise.fullmatch(text)] == [
        "abbabb", "xx-xx", "YYY", "spaced   out", "our Harbour view", ""]


def test_a_bad_site_pattern_fails_as_re_compile_does():
    with pytest.raises(re.error) as raised:
        clean.site_rules(("(unclosed",))
    with pytest.raises(re.error) as expected:
        re.compile("(unclosed", re.IGNORECASE)
    assert str(raised.value) == str(expected.value)


def is_share_bar_as_before(text: str) -> bool:
    words = [word for word in re.split(r"[\s,|/•·]+", text.lower().rstrip(":")) if word]
    if not 2 <= len(words) <= 12:
        return False
    if " ".join(words) in clean.SHARE_WORDS:
        return True
    return all(word in clean.SHARE_WORDS for word in words) and any(word != "share" for word in words)


SHARE_BAR = st.lists(st.one_of(st.sampled_from(sorted(clean.SHARE_WORDS) + ["Share", "E-MAIL", "on", "via",
                                                                            "Save:", "news"]),
                               st.sampled_from([" ", ", ", " | ", "/", " • ", "·", ":", "  "])),
                     max_size=16).map("".join)


def test_share_bars_are_told_as_before_on_the_fixture_lines():
    assert all(words.split()[0] in clean.SHARE_WORDS for words in clean.SHARE_WORDS)
    for text in sample_lines() + ["Share on Facebook", "| Facebook | Twitter |", "Share Share", "copy link:"]:
        assert clean.is_share_bar(text) == is_share_bar_as_before(text), text


@SETTINGS
@given(text=st.one_of(SHARE_BAR, LINE))
def test_share_bars_are_told_as_before_on_generated_lines(text):
    assert clean.is_share_bar(text) == is_share_bar_as_before(text)


# --- Lines: odd characters, comparable openings, settled lines, date labels -------------------


def test_odd_character_finds_exactly_the_characters_the_translation_changes():
    for character in conftest.every_character():
        assert bool(clean.ODD_CHARACTER.fullmatch(character)) == (ord(character) in clean.CLEAN_TRANSLATION)


@SETTINGS
@given(text=st.text())
def test_plain_characters_is_the_translation(text):
    assert clean.plain_characters(text) == text.translate(clean.CLEAN_TRANSLATION)


@SETTINGS
@given(text=st.one_of(st.text(), SPACED_LINE), size=st.integers(1, 90))
def test_comparable_start_is_the_start_of_comparable(text, size):
    assert clean.comparable_start(text, size) == clean.comparable(text)[:size]
    wanted = clean.comparable(text[:size])
    if wanted:  # how find_headline looks for copies of the headline
        assert (clean.comparable_start(text, len(wanted) + 1) == wanted) == (clean.comparable(text) == wanted)


HEADLINE = st.tuples(SPACED_LINE, st.sampled_from(["", " | BBC News", " - Reuters", " — The Guardian", " |  AP ",
                                                    " – Trump v Xi - The Rematch", "|x", " | "])).map("".join)


@SETTINGS
@given(text=HEADLINE)
def test_a_headline_without_its_site_name_keeps_its_first_words(text):
    # find_headline looks at a line's first words before it looks for a site name's tail
    words, kept = clean.comparable(text), clean.comparable(clean.split_site_name(text, clean.RULES)[0])
    assert not kept or words == kept or words.startswith(kept + " ")


@SETTINGS
@given(body=st.lists(st.one_of(st.sampled_from(["", " ", "```", "~~~", "    code", "text", "\t", "\u00a0"]),
                               st.text(max_size=5)), max_size=20).map("\n".join),
       markdown=st.booleans())
def test_normalised_lines_are_settled_already(body, markdown):
    lines = clean.normalise(body, 1, markdown=markdown)
    assert clean.collapse_blanks(list(lines)) == lines  # so settling with nothing to remove keeps them
    assert clean.settle(lines, {}, markdown) == (lines, [])


DATE_PART = st.tuples(
    st.sampled_from(["Published", "published on", "Updated", "last updated:", "Posted", "date", "Dated", "",
                     "x", "Publié le", "Mis à jour le", "Aktualisiert am", "Stand:", "发布时间：", "更新日", "公開"]),
    st.sampled_from([" ", ": ", ", ", ""]),
    st.sampled_from(["3 March 2026", "March 3, 2026", "2 hours ago", "yesterday", "6:12 p.m. ET",
                     "3 March 2026 by Jane Doe", "x", "", "24 novembre 2025 à 18h30", "2025年11月24日 10:32",
                     "2025-11-24 10:32 来源：新华网"]),
    st.sampled_from(["", " ", ", ", " | ", "; "]),
).map("".join)
DATE_SEGMENT = st.tuples(st.text(alphabet=" ,;|-–—x", max_size=3), st.lists(DATE_PART, max_size=3)
                         ).map(lambda parts: parts[0] + "".join(parts[1]))


def read_date_segment_as_before(text: str, edge: bool) -> clean.Facts | None:
    """read_date_segment as it was, scanning for every label before looking at the line's start."""
    starts = [label.start() for label in clean.RULES.date_label.finditer(text)]
    if not starts or text[:starts[0]].strip(" ,;|-–—"):
        if not edge:
            return None
        starts = [0] + starts
    parts = [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)])]
    merged = clean.Facts()
    for part in parts:
        facts = clean.read_date_part(part.strip(" ,;|-–—"), edge, clean.RULES, UTC)
        if facts is None:
            return None
        merged = clean.merge_facts([merged, facts])
    return merged


@pytest.mark.parametrize("text", ["— Published 3 March 2026", "| Updated: 4 March 2026", ", posted 2 hours ago",
                                  "x Published 3 March 2026", "Published 3 March 2026", "3 March 2026"])
@pytest.mark.parametrize("edge", [False, True])
def test_read_date_segment_looks_only_at_the_lines_start_away_from_the_edges(text, edge):
    assert clean.read_date_segment(text, edge, clean.RULES, UTC) == read_date_segment_as_before(text, edge)


@SETTINGS
@given(text=DATE_SEGMENT, edge=st.booleans())
def test_read_date_segment_reads_generated_segments_as_before(text, edge):
    assert clean.read_date_segment(text, edge, clean.RULES, UTC) == read_date_segment_as_before(text, edge)
