"""The second round of shortcuts in generator.clean and generator.metadata gives the answers of the plain way.

Each test puts a shortcut beside what it replaced (every pattern's words tested in turn, every line split
at bars and bullets, every line searched for date labels, each head value worked out where it is shown)
on the lines of the fixtures and on generated lines.
"""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import clean, dates, metadata
from generator.model import Article
import conftest
from conftest import make_article

UTC = timezone.utc
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def sample_lines() -> list[str]:
    """Return every line of the sample files as the metadata finders see it."""
    return sorted({clean.unwrap(clean.plain(line, markdown)) for line, markdown in conftest.sample_lines()})


# Bylines, date lines, credits, and the letters that ignoring case reads as ASCII ones.
FRAGMENTS = [
    "By", "Jane Doe", "ZEKE MILLER", "and", ",", ";", "|", " | ", " • ", " · ", "•", "·", "Reuters", "AP",
    "Published", "published", "PUBLİSHED", "Poſted", "posted", "Updated", "UPDATED", "upDATEd", "dated", "Date:",
    "last modified", "Modified", "first published", "originally published", "on", "at", ":", "3 March 2026",
    "2026-03-03", "March 3, 2026", "6:12 p.m. ET", "2 hours ago", "yesterday", "photo", "via Getty Images",
    "/", "inbox", "cookie", "İ", "ı", "ſ", "\u212a", " ", "  ", "\t", "—", "-", "said", "Editor: Huang Wei",
    "Reporting by A in X; Editing by B", "Source: BBC", "© 2026 The Times", "Share", "Facebook", "Twitter",
    "Publié le", "mis à jour le", "MODIFIÉ LE", "Veröffentlicht am", "Stand", "Actualizado el", "发布时间：", "更新",
    "公開日", "24 novembre 2025", "2025年11月24日 10:32", "来源：新华网", "Quelle: dpa", "Par Marie Dupont", "记者 王小明",
    "新华社北京11月24日电", "【北京=山田太郎】", "et", "und", "y",
]
LINE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=14).map("".join)
SPACED_LINE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=14).map(" ".join)
ANY_LINE = st.one_of(LINE, SPACED_LINE, st.text(max_size=300))


# --- Line patterns: one test of the fewest words before each pattern's own -----------------------


def holds_a_needed_word(patterns: clean.LinePatterns, lowered: str) -> bool:
    return any(word in lowered for words, _pattern in patterns.one_by_one for word in words)


@SETTINGS
@given(text=ANY_LINE)
def test_the_fewest_words_are_in_a_line_exactly_when_a_needed_word_is(text):
    noise = clean.RULES.noise
    assert noise.any_needed
    lowered = text.lower()
    assert any(word in lowered for word in noise.any_needed) == holds_a_needed_word(noise, lowered)


def test_the_fewest_words_leave_out_only_words_holding_another():
    noise = clean.RULES.noise
    every = {word for words, _pattern in noise.one_by_one for word in words}
    assert set(noise.any_needed) <= every
    for word in every - set(noise.any_needed):
        assert any(other in word for other in noise.any_needed), word


def test_a_pattern_needing_no_word_means_no_line_is_skipped_before_the_patterns():
    patterns = clean.LinePatterns.compile([r"(?=.*(?:inbox)).{0,20}\binbox", r"(a+)b\1"])
    assert patterns.any_needed == ()
    assert patterns.fullmatch("aabaa") and patterns.fullmatch("your INBOX") and not patterns.fullmatch("aab")


@pytest.mark.parametrize("extra", [(), (r"(?=.*(?:harbour|/)).{0,30}harbour.*",), (r"(x+)-\1", "plain")])
def test_line_patterns_agree_with_each_pattern_on_the_fixture_and_odd_lines(extra):
    noise = clean.site_rules(extra).noise
    odd = ["", "/", "A/B", "İnbox", "ınbox", "ſhutterſtock", "photo", "PHOTO", "ph\u00f6to", "harbour",
           "xx-xx", "PLAIN", "x" * 5000, "Smoke rises. Anna Moneymaker/Shutterſtock", "via  Getty Images"]
    for text in sample_lines() + odd:
        assert noise.fullmatch(text) == any(pattern.fullmatch(text) for pattern in noise.patterns), text


@SETTINGS
@given(text=ANY_LINE)
def test_line_patterns_agree_with_each_pattern_on_generated_lines(text):
    noise = clean.RULES.noise
    assert noise.fullmatch(text) == any(pattern.fullmatch(text) for pattern in noise.patterns)


# --- Metadata lines: no split without a bar or bullet, no label search without a label's word ----


def test_segment_split_matches_only_where_a_bar_or_bullet_is():
    for character in conftest.every_character():
        if clean.SEGMENT_SPLIT.search(f" {character} ") or clean.SEGMENT_SPLIT.search(character):
            assert clean.has_separator(character), repr(character)


def test_date_labels_match_only_where_a_labels_word_is():
    # each label of DATE_LABEL, in every case the pattern reads as it, holds one of LABEL_WORDS
    labels = re.findall(r"[a-z ]+", clean.DATE_LABEL.pattern.split("(?P<label>")[1].split(")\\b")[0])
    for label in labels:
        assert any(word in label for word in clean.LABEL_WORDS) or label.strip() in ("first", "originally",
                                                                                      "last"), label
    for text in ["PUBLİSHED", "poſted", "UPDATED", "\u212a dated", "DATE", "Last Modified"]:
        assert dates.may_hold(text, clean.LABEL_WORDS) == bool(clean.DATE_LABEL.search(text)), text


def test_the_other_languages_date_labels_match_only_where_one_of_their_words_is():
    # the other languages' labels join DATE_LABEL in rules.date_label; each of them, lower-cased, holds
    # a word of other_label_words
    rules = tomllib.loads(clean.RULES_FILE.read_text(encoding="utf-8"))
    labels = [label.lower() for group in rules["languages"]["dates"].values() for label in group]
    words = clean.RULES.other_label_words
    assert all(any(word in label for word in words) for label in labels) and set(words) <= set(labels)
    assert clean.RULES.label_words == clean.fewest([*clean.LABEL_WORDS, *words])
    assert clean.RULES.ascii_label_words == tuple(word for word in clean.RULES.label_words if word.isascii())
    for text in ["PUBLIÉ LE", "Mis à jour le", "Veröffentlicht am", "ſtand:", "DATUM", "发布时间：", "公開日",
                 "Pékin", "Zeitung", "新华社", "Standard"]:
        assert dates.may_hold(text, words) == bool(clean.RULES.date_label.search(text)), text


@SETTINGS
@given(text=ANY_LINE)
def test_date_labels_are_searched_only_when_they_can_be_found(text):
    if not dates.may_hold(text, clean.LABEL_WORDS):
        assert not clean.DATE_LABEL.search(text)
    words = clean.RULES.label_words if not text.isascii() else clean.RULES.ascii_label_words
    if not dates.may_hold(text, words):
        assert not clean.RULES.date_label.search(text)
    if not dates.may_hold(text, clean.RULES.other_label_words):  # then rules.date_label finds DATE_LABEL's alone
        assert [label.span() for label in clean.RULES.date_label.finditer(text)] == \
            [label.span() for label in clean.DATE_LABEL.finditer(text)]
    if not clean.has_separator(text):
        assert [part for part in clean.SEGMENT_SPLIT.split(text) if part] == ([text] if text else [])


def read_metadata_line_as_before(text: str, edge: bool, monkeypatch) -> clean.Facts | None:
    """Read the line with every shortcut of this round turned off."""
    with monkeypatch.context() as patched:
        patched.setattr(clean, "has_separator", lambda text: True)
        patched.setattr(dates, "may_hold", lambda text, words: True)
        return clean.read_metadata_line(text, edge, clean.RULES, UTC)


@pytest.mark.parametrize("edge", [False, True])
def test_metadata_lines_read_as_before_on_the_fixture_lines(edge, monkeypatch):
    odd = ["By Jane Doe | Reuters", "Published 3 March 2026 • Updated 4 March 2026", "PUBLİSHED 3 March 2026",
           "Poſted on March 3, 2026 by Jane Doe", "Jane Doe · 3 March 2026", "", "|", "• •", "x" * 400]
    for text in sample_lines() + odd:
        assert clean.read_metadata_line(text, edge, clean.RULES, UTC) == \
            read_metadata_line_as_before(text, edge, monkeypatch), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(text=ANY_LINE, edge=st.booleans())
def test_metadata_lines_read_as_before_on_generated_lines(text, edge, monkeypatch):
    assert clean.read_metadata_line(text, edge, clean.RULES, UTC) == \
        read_metadata_line_as_before(text, edge, monkeypatch)


# --- The head of an article page: each value worked out once -----------------------------------


def article_meta_as_first_written(article: Article, config) -> metadata.PageMeta:
    url = config.absolute_url(article.url_path)
    jsonld: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": metadata.shorten(article.title, 110),
        "url": url,
        "mainEntityOfPage": url,
        "description": metadata.shorten(article.summary),
        "wordCount": article.word_count,
        "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.title, "url": config.base_url},
    }
    if article.published:
        jsonld["datePublished"] = dates.iso(article.published)
    if article.updated or article.published:
        jsonld["dateModified"] = dates.iso(article.updated or article.published)
    if metadata.person_or_outlet(article):
        jsonld["author"] = metadata.person_or_outlet(article)
    if metadata.image_url(article, config):
        jsonld["image"] = [metadata.image_url(article, config)]
    if article.topics:
        jsonld["keywords"] = list(article.topics)
    if article.source or article.source_url:
        original: dict = {"@type": "NewsArticle", "headline": metadata.shorten(article.title, 110)}
        if article.source_url:
            original["url"] = article.source_url
        if article.source:
            original["publisher"] = {"@type": "Organization", "name": article.source}
        jsonld["isBasedOn"] = original
    return metadata.PageMeta(title=article.title, url=url, description=metadata.shorten(article.summary),
                             kind="article", image=metadata.image_url(article, config), published=article.published,
                             modified=article.updated or article.published, jsonld=jsonld)


MOMENTS = st.one_of(st.none(), st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9998, 1, 1),
                                            timezones=st.just(UTC)))
TEXTS = st.one_of(st.sampled_from(["", "İ ı ſ ß", "x" * 500, "Rates held " * 40]), st.text(max_size=400))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXTS, summary=TEXTS, published=MOMENTS, updated=MOMENTS,
       authors=st.lists(st.text(max_size=20), max_size=3), source=st.sampled_from(["", "Reuters", "ſource"]),
       source_url=st.sampled_from(["", "https://example.com/a"]),
       image=st.sampled_from(["", "img/a.jpg", "https://cdn.example.com/b.png"]),
       topics=st.lists(st.text(max_size=10), max_size=3), paragraphs=st.lists(TEXTS, max_size=4))
def test_article_meta_is_as_first_written(config, title, summary, published, updated, authors, source, source_url,
                                          image, topics, paragraphs):
    article = make_article(title=title, summary=summary, published=published, updated=updated,
                           authors=tuple(authors), source=source, source_url=source_url, image=image,
                           topics=tuple(topics), paragraphs=tuple(paragraphs))
    new, old = metadata.article_meta(article, config), article_meta_as_first_written(article, config)
    assert new == old
    assert list(new.jsonld) == list(old.jsonld)  # the keys in the same order, as the JSON-LD shows them
    assert metadata.json_for_script(new.jsonld) == metadata.json_for_script(old.jsonld)
