"""Tests for generator.clean: clippings and posts turned into clean paragraphs and fields."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import clean
from generator.clean import clean_article, clip_boilerplate
from generator.model import FILE_NAME, FRONT_MATTER, INFERRED, Article
from generator.report import BuildError, Report

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
CLIPPINGS = FIXTURES / "clippings"
UTC = timezone.utc


def clipping(text: str, **fields) -> Article:
    """Return a raw clipping as ingest hands it over: no front matter, every field default."""
    return Article(id="x", origin="clip.txt", kind="clipping", body=text, **fields)


def with_front_matter(article: Article, **fields) -> Article:
    """Return `article` with `fields` set as if front matter had set them."""
    provenance = article.provenance + tuple((name, FRONT_MATTER) for name in fields)
    return dataclasses.replace(article, provenance=provenance, **fields)


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def warnings_of(report: Report, kind: str | None = None) -> list[str]:
    return [str(message) for message in report.warnings if kind is None or message.kind == kind]


# --- the raw seeds ----------------------------------------------------------------------------


def test_seed_001_headline_date_outlet_and_highlights(config, report):
    article = clean_article(clipping(seed("001")), config, report)
    assert article.title == ("Trump touts “very good” call with Xi as U.S.-China ties stabilize "
                             "after Busan summit")
    assert article.origin_of("title") == "line 1"
    assert article.published == datetime(2025, 11, 24, 7, 5, tzinfo=UTC)
    assert article.origin_of("published") == "line 3"
    assert article.source == "Albawaba"
    assert article.summary.startswith("In Busan, Trump and Xi reached a trade truce")
    assert article.origin_of("summary") == "line 7"
    assert article.paragraphs[0].startswith("U.S. President Donald Trump said he held")
    body = article.body.lower()
    assert "gimhae air base" not in body  # the AFP caption
    assert "ties stabilize" not in body  # the repeated headline
    assert "subscribe" not in body and "sign up" not in body
    assert "highlights" not in body and "albawaba" not in body
    assert "\xa0" not in article.body
    assert warnings_of(report) == []


def test_seed_002_title_from_its_standfirst_author_and_partial_date(config, report):
    article = clean_article(clipping(seed("002")), config, report)
    assert article.title == "The two leaders discussed Taiwan and Ukraine, Beijing said"
    assert article.origin_of("title") == INFERRED
    assert article.authors == ("Dorothy Li",)
    assert article.published is None
    assert article.partial_date == (11, 24)
    assert "By Dorothy Li" not in article.body
    # the standfirst became the title, so the body opens with the lede
    assert article.paragraphs[0].startswith("U.S. President Donald Trump spoke with Chinese leader")
    assert len(article.paragraphs) == 13
    assert article.summary.startswith("U.S. President Donald Trump spoke with Chinese leader Xi Jinping")
    assert warnings_of(report) == [
        "clip.txt:1: no headline line; title inferred from the opening sentence "
        "(expected a short first line or a 'title' in front matter)",
        "clip.txt:2: no publication date found; the text names 24 November without a year "
        "(expected a 'Published …' line, a date line or a 'date' in front matter)",
    ]


def test_seed_003_title_from_its_lede_and_no_newsletter_lines(config, report):
    article = clean_article(clipping(seed("003")), config, report)
    assert article.title.startswith("Donald Trump said he had spoken to Xi Jinping")
    assert article.title.endswith("…") and len(article.title) <= 110
    cut = article.title[:-1]
    assert article.paragraphs[0].startswith(cut)
    assert article.paragraphs[0][len(cut)] == " "  # cut at a word boundary
    assert article.origin_of("title") == INFERRED
    assert "newsletter" not in article.body.lower()
    assert "Your guide to" not in article.body
    assert article.published is None and article.partial_date is None
    assert sorted(m.kind for m in report.warnings) == ["inferred title", "missing date"]


def test_seed_004_headline_kept_and_more_stories_cut(config, report):
    article = clean_article(clipping(seed("004")), config, report)
    assert article.title == "Trump Confirms ‘Very Good’ Phone Call With Chinese Leader Xi Jinping"
    assert "MORE STORIES" not in article.body
    assert article.dropped == ("MORE STORIES",)
    assert article.paragraphs[0].startswith("President-elect Donald Trump confirmed on Friday")
    assert len(article.paragraphs) == 8
    assert len(article.summary) <= 300 and article.summary.endswith("nations.")


def jekyll_seed() -> Article:
    """Return seed 000 as ingest would: Markdown body after its YAML front matter."""
    lines = seed("000").split("\n")
    end = lines.index("---", 1)
    article = Article(id="x", origin="2025-11-24-big-news.md", kind="markdown",
                      body="\n".join(lines[end + 1:]), body_line=end + 2)
    return with_front_matter(
        article, title="Big News: Trump says he will visit China in April after call with Xi",
        published=datetime(2025, 11, 24, 23, 3, 34, tzinfo=UTC), authors=("badely",),
        summary="The two leaders discussed trade, Ukraine and Taiwan in their first phone call "
                "since meeting in South Korea last month.")


def test_seed_000_front_matter_wins_and_filler_is_cut(config, report):
    source = jekyll_seed()
    article = clean_article(source, config, report)
    for name in ("title", "published", "authors", "summary"):
        assert getattr(article, name) == getattr(source, name)
        assert article.origin_of(name) == FRONT_MATTER
    assert article.source == "" and article.partial_date is None
    assert article.paragraphs[0].startswith("President Donald Trump has said he agreed to visit Beijing")
    assert article.body_html.startswith("<p>President Donald Trump has said")
    assert article.dropped == ("Let's dive into the details:",)
    assert len(article.paragraphs) == 16
    assert warnings_of(report) == []


# --- invented clippings, each with its JSON twin ---------------------------------------------


def test_every_clipping_fixture_has_its_json_twin():
    texts = sorted(CLIPPINGS.glob("*.txt"))
    assert len(texts) >= 8
    assert all(text.with_suffix(".json").exists() for text in texts)
    assert {p.stem for p in CLIPPINGS.glob("*.json")} == {p.stem for p in texts}


@pytest.mark.parametrize("path", sorted(CLIPPINGS.glob("*.txt")), ids=lambda path: path.stem)
def test_clipping_fixture_gives_the_fields_of_its_twin(path, config, report):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    article = clean_article(clipping(path.read_text(encoding="utf-8")), config, report)
    assert article.title == expected["title"]
    for name in ("published", "updated"):
        value = getattr(article, name)
        assert (value.isoformat() if value else None) == expected[name], name
    assert list(article.authors) == expected["authors"]
    assert article.source == expected["source"]
    assert article.source_url == expected["source_url"]
    assert article.summary == expected["summary"]
    assert article.partial_date == (tuple(expected["partial_date"]) if expected["partial_date"] else None)
    assert article.paragraphs[0].startswith(expected["first_paragraph_starts"])
    assert len(article.paragraphs) == expected["paragraph_count"]
    for text in expected["not_in_body"]:
        assert text not in article.body
    assert sorted({m.kind for m in report.warnings}) == sorted(expected["warning_kinds"])


# --- 1. normalising -----------------------------------------------------------------------------


def test_odd_spaces_become_plain_and_blank_runs_collapse(config, report):
    text = "Ports reopen after the storm\n\n\n\n\xa0Dockers\u2009returned  to work on Monday.\xa0\n\n\n\nShips queued\u200b offshore."
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("Dockers returned to work on Monday.", "Ships queued offshore.")
    assert article.body == "Dockers returned to work on Monday.\n\nShips queued offshore."
    assert article.body_html == "<p>Dockers returned to work on Monday.</p>\n<p>Ships queued offshore.</p>"


# --- 2. paragraphs --------------------------------------------------------------------------------


def test_short_lines_without_blank_lines_are_not_taken_for_wrapping(config, report):
    text = ("Port strike ends\nA week of walkouts\nWhat comes next\n"
            "Dockers voted to return to work on Monday after a week-long strike that stranded ships.\n\n"
            "The union said the deal raised pay.")
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs[:2] == ("A week of walkouts", "What comes next")
    assert len(article.paragraphs) == 4


def test_each_line_of_a_clipping_is_a_paragraph(config, report):
    text = ("Port strike ends\nDockers voted to return to work on Monday after a week-long strike.\n"
            "The union said the deal raised pay by 6%.")
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("Dockers voted to return to work on Monday after a week-long strike.",
                                  "The union said the deal raised pay by 6%.")


def test_a_hard_wrapped_clipping_joins_its_lines_into_paragraphs(config, report):
    text = ("Port strike ends after a week\n\n"
            "Dockers voted to return to work on Monday after a\n"
            "week-long strike that stranded dozens of ships in\n"
            "the harbour.\n\n"
            "The union said the deal raised pay by six per cent\n"
            "and would be put to members again next year.")
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == (
        "Dockers voted to return to work on Monday after a week-long strike that stranded dozens "
        "of ships in the harbour.",
        "The union said the deal raised pay by six per cent and would be put to members again next year.")


# --- 3. headline and title ------------------------------------------------------------------------


def test_a_later_copy_of_the_headline_in_another_case_is_dropped(config, report):
    text = ("Floods Close Schools Across The Region\nFLOODS CLOSE SCHOOLS ACROSS THE REGION\n"
            "Schools across the region stayed shut on Monday as rivers rose.")
    article = clean_article(clipping(text), config, report)
    assert article.title == "Floods Close Schools Across The Region"
    assert article.paragraphs == ("Schools across the region stayed shut on Monday as rivers rose.",)
    assert article.dropped == ("FLOODS CLOSE SCHOOLS ACROSS THE REGION",)


def test_a_first_line_that_ends_a_sentence_is_no_headline(config, report):
    text = ("Schools across the region stayed shut on Monday as rivers rose. Officials said they "
            "would reopen on Thursday if the water fell.\nParents were told to check the council website.")
    article = clean_article(clipping(text), config, report)
    assert article.title == "Schools across the region stayed shut on Monday as rivers rose"
    assert article.origin_of("title") == INFERRED
    assert len(article.paragraphs) == 2
    assert warnings_of(report, "inferred title") == [
        "clip.txt:1: no headline line; title inferred from the first paragraph "
        "(expected a short first line or a 'title' in front matter)"]


def test_an_inferred_title_is_cut_at_a_word_with_an_ellipsis(config, report):
    lede = ("Officials in the coastal province said on Tuesday that the evacuation of low-lying "
            "villages would continue through the weekend as forecasters warned of a second storm.")
    article = clean_article(clipping(lede + "\nMore rain is expected."), config, report)
    assert article.title == ("Officials in the coastal province said on Tuesday that the evacuation "
                             "of low-lying villages would continue…")
    assert len(article.title) <= 110


def test_a_front_matter_title_removes_its_copies_from_the_body(config, report):
    source = with_front_matter(clipping("Rates held at 4%\nRates Held At 4%\nThe bank kept rates unchanged."),
                               title="Rates held at 4%")
    article = clean_article(source, config, report)
    assert article.title == "Rates held at 4%" and article.origin_of("title") == FRONT_MATTER
    assert article.paragraphs == ("The bank kept rates unchanged.",)


def test_a_section_label_and_a_masthead_over_the_headline_are_dropped(config, report):
    text = ("Harbour News\nOPINION\nWhy the port strike had to end\n"
            "The bank kept rates unchanged on Thursday.")
    article = clean_article(clipping(text), config, report)
    assert article.title == "Why the port strike had to end"
    assert article.source == "Harbour News"
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)
    assert article.dropped == ("Harbour News", "OPINION")


def test_two_short_lines_are_a_headline_and_text(config, report):
    text = "Rates held\nThe long pause continues at the bank\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.title == "Rates held"
    assert article.paragraphs[0] == "The long pause continues at the bank"


def test_a_page_title_loses_its_site_name(config, report):
    text = "Why the port strike had to end | Harbour Times\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.title == "Why the port strike had to end"
    assert article.source == "Harbour Times"


@pytest.mark.parametrize("headline", ["Port strike ends - for now", "Trump v Xi - The Rematch"])
def test_a_headline_with_a_dash_keeps_it(headline, config, report):
    article = clean_article(clipping(f"{headline}\nThe bank kept rates unchanged on Thursday."), config, report)
    assert article.title == headline
    assert article.source == ""


def test_a_name_like_a_month_is_a_name(config, report):
    text = "Rates held\nBy April Ryan and June Park\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.authors == ("April Ryan", "June Park")


def test_a_markdown_heading_is_the_headline(config, report):
    post = Article(id="x", origin="post.md", kind="markdown",
                   body="# Rates held at 4%\n\nThe bank kept rates *unchanged* on Thursday.")
    article = clean_article(post, config, report)
    assert article.title == "Rates held at 4%"
    assert article.body == "The bank kept rates *unchanged* on Thursday."
    assert article.body_html == "<p>The bank kept rates <em>unchanged</em> on Thursday.</p>"
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


# --- 4. dates ---------------------------------------------------------------------------------


def test_an_updated_line_alone_gives_published_too(config, report):
    text = "Rates held\nUpdated: 3 March 2026 14:05 GMT\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.published == article.updated == datetime(2026, 3, 3, 14, 5, tzinfo=UTC)
    assert article.origin_of("published") == article.origin_of("updated") == "line 2"
    assert "Updated" not in article.body


def test_published_and_updated_on_one_line(config, report):
    text = ("Rates held\nPublished 3 March 2026, updated 4 March 2026 10:00 GMT\n"
            "The bank kept rates unchanged on Thursday.")
    article = clean_article(clipping(text), config, report)
    assert article.published == datetime(2026, 3, 3, tzinfo=UTC)
    assert article.updated == datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def test_a_date_without_a_zone_is_in_the_site_zone(config, report):
    config = dataclasses.replace(config, timezone="America/New_York")
    text = "Rates held\nPublished March 3, 2026 9:12 a.m.\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.published.utcoffset() == timedelta(hours=-5)
    assert article.published.hour == 9


def test_a_line_that_is_only_a_date_gives_published(config, report):
    text = "Rates held\nTuesday 3 March 2026 09.12 GMT\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.published == datetime(2026, 3, 3, 9, 12, tzinfo=UTC)
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


def test_a_sentence_with_a_date_stays_in_the_body(config, report):
    text = ("Rates held\nThe bank last raised rates on 3 March 2026 and has held them since, "
            "economists noted on Thursday.")
    article = clean_article(clipping(text), config, report)
    assert article.published is None
    assert len(article.paragraphs) == 1


def test_a_relative_date_is_never_trusted(config, report):
    text = "Rates held\nUpdated 2 hours ago\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.published is None and article.updated is None
    assert "2 hours ago" not in article.body
    assert warnings_of(report, "relative date") == [
        "clip.txt:2: relative date 'Updated 2 hours ago' ignored "
        "(expected an absolute date such as 24 November 2025)"]
    assert warnings_of(report, "missing date") == [
        "clip.txt: no publication date found "
        "(expected a 'Published …' line, a date line or a 'date' in front matter)"]
    assert article.warnings == tuple(m.text for m in report.messages)


def test_the_text_does_not_override_a_front_matter_date_but_loses_the_line(config, report):
    moment = datetime(2026, 1, 2, tzinfo=UTC)
    text = "Rates held\nPublished 3 March 2026\nThe bank kept rates unchanged on Thursday."
    article = clean_article(with_front_matter(clipping(text), published=moment), config, report)
    assert article.published == moment and article.origin_of("published") == FRONT_MATTER
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


def test_the_text_overrides_a_date_from_the_file_name(config, report):
    text = "Rates held\nPublished 3 March 2026\nThe bank kept rates unchanged on Thursday."
    source = clipping(text, published=datetime(2026, 3, 1, tzinfo=UTC), provenance=(("published", FILE_NAME),))
    article = clean_article(source, config, report)
    assert article.published == datetime(2026, 3, 3, tzinfo=UTC)
    assert article.origin_of("published") == "line 2"


def test_a_date_from_the_file_name_is_no_missing_date(config, report):
    source = clipping("Rates held\nThe bank kept rates unchanged on Thursday.",
                      published=datetime(2026, 3, 1, tzinfo=UTC), provenance=(("published", FILE_NAME),))
    article = clean_article(source, config, report)
    assert article.published == datetime(2026, 3, 1, tzinfo=UTC)
    assert warnings_of(report) == []


# --- 5. bylines -------------------------------------------------------------------------------


@pytest.mark.parametrize("byline, authors", [
    ("By Dorothy Li", ("Dorothy Li",)),
    ("By Ana de la Cruz and Tom Price", ("Ana de la Cruz", "Tom Price")),
    ("By Ana Ruiz, Tom Price and Li Wei", ("Ana Ruiz", "Tom Price", "Li Wei")),
    ("By ZEKE HOLLAND and DIDI TRAN", ("Zeke Holland", "Didi Tran")),
    ("Written by Mary O'Neill", ("Mary O'Neill",)),
    ("Author: Jean-Luc Martin", ("Jean-Luc Martin",)),
    ("By Dorothy Li, Senior Correspondent", ("Dorothy Li",)),
    ("(Reporting by Ana Ruiz in Madrid and Tom Price; Editing by Sam Kerr)", ("Ana Ruiz", "Tom Price")),
    # in other languages
    ("Par Marie Dupont", ("Marie Dupont",)),
    ("Par Marie Dupont (Pékin, correspondante) et Julien Leroy", ("Marie Dupont", "Julien Leroy")),
    ("Von Anna Schmidt und Lukas Becker", ("Anna Schmidt", "Lukas Becker")),
    ("Por Juan Pérez y María López", ("Juan Pérez", "María López")),
    ("记者 王小明 李华", ("王小明", "李华")),
    ("文／张伟", ("张伟",)),
    ("記者：山田太郎", ("山田太郎",)),
    ("（记者 刘洋、陈静）", ("刘洋", "陈静")),
])
def test_bylines_give_the_authors_and_leave_the_body(byline, authors, config, report):
    for text in (f"Rates held\n{byline}\nThe bank kept rates unchanged on Thursday.",
                 f"Rates held\nThe bank kept rates unchanged on Thursday.\n{byline}"):
        article = clean_article(clipping(text), config, Report())
        assert article.authors == authors
        assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


def test_a_byline_with_an_outlet_gives_the_source(config, report):
    text = "Rates held\nBy Dorothy Li | Central Bank Watch\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.authors == ("Dorothy Li",)
    assert article.source == "Central Bank Watch"


@pytest.mark.parametrize("line", [
    "By Monday, the talks had collapsed and both sides went home.",
    "By the end of the year, prices could fall",
    "By Tuesday",
    "By raising rates, the bank hopes to cool prices",
    "By Design Or Default",
])
def test_a_sentence_that_starts_with_by_is_text(line, config, report):
    text = f"Rates held\n{line}\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.authors == ()
    assert article.paragraphs[0] == line


@pytest.mark.parametrize("byline, authors, source", [
    ("By Reuters Staff", (), "Reuters"),
    ("By The Associated Press", (), "Associated Press"),
    ("By Kevin Lapp and Nora Gant, CNN", ("Kevin Lapp", "Nora Gant"), "CNN"),
    ("By Dorothy Li for Harbour Weekly", ("Dorothy Li",), "Harbour Weekly"),
    ("Posted on March 3, 2026 by Jane Okafor", ("Jane Okafor",), ""),
    ("Originally published on Nov. 24, 2025 by The Epoch Times", (), "The Epoch Times"),
])
def test_a_byline_may_name_an_outlet(byline, authors, source, config, report):
    text = f"Rates held\n{byline}\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert (article.authors, article.source) == (authors, source)
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


def test_editors_and_other_contributors_are_not_authors(config, report):
    text = ("Rates held\nEditor: Huang Wen\nThe bank kept rates unchanged on Thursday.\n"
            "(Additional reporting by Sam Kerr; Editing by Ana Ruiz)")
    article = clean_article(clipping(text), config, report)
    assert article.authors == ()
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


def test_a_name_over_a_job_title_is_a_byline(config, report):
    text = "Rates held\nPriya Raman\nEconomics correspondent\nThe bank kept rates unchanged on Thursday."
    article = clean_article(clipping(text), config, report)
    assert article.authors == ("Priya Raman",)
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


# --- 6. the outlet -------------------------------------------------------------------------------


@pytest.mark.parametrize("lede, source, kept", [
    ("ALBAWABA- Officials said the port would reopen on Monday.", "Albawaba",
     "Officials said the port would reopen on Monday."),
    ("GULF TIMES—Officials said the port would reopen on Monday.", "Gulf Times",
     "Officials said the port would reopen on Monday."),
    ("WASHINGTON (AP) — Officials said the port would reopen on Monday.", "Associated Press",
     "WASHINGTON — Officials said the port would reopen on Monday."),
    ("LONDON, March 3 (Reuters) - Officials said the port would reopen on Monday.", "Reuters",
     "LONDON, March 3 - Officials said the port would reopen on Monday."),
    ("Hong Kong (CNN) — Officials said the port would reopen on Monday.", "CNN",
     "Hong Kong — Officials said the port would reopen on Monday."),
    ("Hong Kong/Washington CNN — Officials said the port would reopen on Monday.", "CNN",
     "Hong Kong/Washington — Officials said the port would reopen on Monday."),
    ("TALLINN (ERR) - Officials said the port would reopen on Monday.", "ERR",
     "TALLINN - Officials said the port would reopen on Monday."),
])
def test_an_outlet_dateline_gives_the_source(lede, source, kept, config, report):
    article = clean_article(clipping(f"Port to reopen\n{lede}"), config, report)
    assert article.source == source
    assert article.paragraphs == (kept,)
    assert article.origin_of("source") == "line 2"


@pytest.mark.parametrize("lede", [
    "WASHINGTON — Officials said the port would reopen on Monday.",
    "KYIV—Officials said the port would reopen on Monday.",
    "EXCLUSIVE- Officials said the port would reopen on Monday.",
    "U.S.-China talks resumed on Monday, officials said.",
    "NATO-led forces said the port would reopen on Monday.",
    "President Xi Jinping (CPC) — officials said the port would reopen.",
])
def test_a_place_only_dateline_or_a_prefix_is_text(lede, config, report):
    article = clean_article(clipping(f"Port to reopen\n{lede}"), config, report)
    assert article.source == ""
    assert article.paragraphs == (lede,)


@pytest.mark.parametrize("dateline, source, place", [
    ("Hong Kong CNN —", "CNN", "Hong Kong —"),
    ("HONG KONG CNN –", "CNN", "HONG KONG –"),
    ("Hong Kong (CNN) -", "CNN", "Hong Kong -"),
    ("HONG KONG (CNN) —", "CNN", "HONG KONG —"),
    ("Washington, DC (CNN) –", "CNN", "Washington, DC –"),
    ("Washington, DC CNN —", "CNN", "Washington, DC —"),
    ("Washington AP -", "Associated Press", "Washington -"),
    ("WASHINGTON (Reuters) —", "Reuters", "WASHINGTON —"),
])
def test_a_dateline_on_a_line_of_its_own_keeps_its_place_on_the_lede(dateline, source, place, config, report):
    lede = "Officials said the port would reopen on Monday."
    article = clean_article(clipping(f"Port to reopen\n{dateline}\n{lede}"), config, report)
    assert article.paragraphs == (f"{place} {lede}",)
    assert article.source == source
    assert article.origin_of("source") == "line 2"
    assert article.summary == lede  # the place is text, but not the summary's
    assert dateline not in article.dropped


@pytest.mark.parametrize("dateline", ["Hong Kong CNN —", "HONG KONG (CNN) -", "Washington, DC (CNN) –"])
@pytest.mark.parametrize("headline", ["Port to reopen\n", ""], ids=["under a headline", "no headline"])
@pytest.mark.parametrize("between", ["\n", "\n\n"], ids=["next line", "blank line between"])
def test_a_dateline_on_a_line_of_its_own_reads_as_on_the_ledes_line(dateline, headline, between, config):
    lede = "Officials said the port would reopen on Monday. Dockers voted to accept a six per cent rise."
    rest = "\nShips queued offshore through the night."
    own = clean_article(clipping(f"{headline}{dateline}{between}{lede}{rest}"), config, Report())
    same = clean_article(clipping(f"{headline}{dateline} {lede}{rest}"), config, Report())
    for name in ("title", "paragraphs", "body", "summary", "source", "dropped", "warnings"):
        assert getattr(own, name) == getattr(same, name), name
    assert own.origin_of("source") == same.origin_of("source")


def test_a_markdown_dateline_block_keeps_its_place_on_the_lede(config, report):
    post = Article(id="x", origin="post.md", kind="markdown",
                   body="# Port to reopen\n\nHong Kong CNN —\n\nOfficials said the port would reopen on Monday.")
    article = clean_article(post, config, report)
    assert article.paragraphs == ("Hong Kong — Officials said the port would reopen on Monday.",)
    assert article.source == "CNN"
    assert article.summary == "Officials said the port would reopen on Monday."


@pytest.mark.parametrize("line", [
    "The port would reopen on Monday, officials said —",  # a sentence that ends in a dash
    "Hong Kong Gazette CNN —",  # a word that is no place before the outlet
    "Springfield CNN –",  # a place the rules do not know, not in capitals
    "Smith, Jones AP —",  # names, not a place and its region
    "WASHINGTON —",  # a place with no outlet
    "Hong Kong Harbour Authority -",  # no outlet
])
def test_a_line_that_looks_like_a_dateline_on_its_own_stays(line, config, report):
    lede = "Officials said the port would reopen on Monday."
    article = clean_article(clipping(f"Port to reopen\n{line}\n{lede}"), config, report)
    assert article.paragraphs == (line, lede)
    assert article.source == ""


@pytest.mark.parametrize("dateline", ["WASHINGTON (Reuters) —", "Hong Kong CNN —\n", "BEIJING —"])
def test_a_title_taken_from_the_lede_leaves_its_place_out(dateline, config, report):
    lede = "Officials said the port would reopen on Monday after a week of strikes. Dockers voted to accept a rise."
    article = clean_article(clipping(f"{dateline} {lede}\nShips waited through the night."), config, report)
    assert article.paragraphs[0].startswith(dateline.split()[0])  # the place stays in the text
    assert article.title == "Officials said the port would reopen on Monday after a week of strikes"
    assert article.summary == lede


def test_a_dateline_under_the_text_is_put_on_no_paragraph(config, report):
    text = "Port to reopen\nOfficials said the port would reopen on Monday.\nShips queued offshore.\nHong Kong CNN —"
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("Officials said the port would reopen on Monday.", "Ships queued offshore.")


@pytest.mark.parametrize("credit, source, url", [
    ("Originally published by Harbour Weekly", "Harbour Weekly", ""),
    ("This article first appeared on Coastal Times.", "Coastal Times", ""),
    ("This article was originally published on https://www.harbour.example/port-reopens",
     "harbour.example", "https://www.harbour.example/port-reopens"),
    ("Source: Harbour Weekly", "Harbour Weekly", ""),
    ("© 2026 Harbour Media Group", "Harbour Media Group", ""),
    ("Copyright 2025 Harbour Weekly. All rights reserved.", "Harbour Weekly", ""),
    ("Copyright 2025 The Associated Press. All rights reserved. This material may not be published.",
     "Associated Press", ""),
])
def test_a_credit_line_gives_the_source_and_leaves_the_body(credit, source, url, config, report):
    text = f"Port to reopen\nOfficials said the port would reopen on Monday.\n{credit}"
    article = clean_article(clipping(text), config, report)
    assert (article.source, article.source_url) == (source, url)
    assert article.paragraphs == ("Officials said the port would reopen on Monday.",)


def test_an_agency_name_alone_on_the_last_line_is_the_source(config, report):
    text = "Port to reopen\nOfficials said the port would reopen on Monday.\n— AFP"
    article = clean_article(clipping(text), config, report)
    assert article.source == "AFP"
    assert article.paragraphs == ("Officials said the port would reopen on Monday.",)


def test_a_sentence_about_copyright_is_no_credit(config, report):
    line = "Copyright law in the region has not changed since 1998, lawyers say."
    article = clean_article(clipping(f"Port to reopen\n{line}"), config, report)
    assert article.source == ""
    assert article.paragraphs == (line,)


# --- 7. summary ---------------------------------------------------------------------------------


def test_a_key_points_block_is_the_summary(config, report):
    text = ("Port to reopen\nAt a glance\n- Dockers return on Monday\n- Pay rises 6%.\n\n"
            "Officials said the port would reopen on Monday.")
    article = clean_article(clipping(text), config, report)
    assert article.summary == "Dockers return on Monday. Pay rises 6%."
    assert article.origin_of("summary") == "line 3"
    assert article.paragraphs == ("Officials said the port would reopen on Monday.",)


def test_the_summary_is_the_ledes_first_sentences_up_to_300_characters(config, report):
    sentences = ["Officials said the port would reopen on Monday after a week-long strike.",
                 "Dockers voted by a large margin to accept the offer of a six per cent rise.",
                 "The union's leader, Ms. Ana Ruiz, called it a fair deal for members in St. Ives.",
                 "Shipping lines said it would take a fortnight to clear the queue of vessels."]
    article = clean_article(clipping("Port to reopen\n" + " ".join(sentences)), config, report)
    assert article.summary == " ".join(sentences[:3])
    assert article.origin_of("summary") == INFERRED


def test_a_front_matter_summary_is_kept(config, report):
    source = with_front_matter(clipping("Port to reopen\nKey points\nDockers return.\n\nOfficials said so."),
                               summary="A strike ends.")
    article = clean_article(source, config, report)
    assert article.summary == "A strike ends."
    assert "Dockers return." not in article.body


# --- 8. boilerplate ---------------------------------------------------------------------------


@pytest.mark.parametrize("noise", [
    "Subscribe", "Sign up", "Advertisement", "ADVERTISEMENT", "Share this article",
    "Facebook Twitter Email", "Share on WhatsApp", "Listen to this article", "5 min read",
    "Click here to get the app", "Follow us on Instagram", "Read more: Strikes spread to rail",
    "Unlock the Harbour Watch newsletter for free", "Sign up to our newsletter for weekly updates",
    "Get the latest headlines delivered straight to your inbox",
    "We use cookies to give you the best experience on our site.",
    "Dockers at the gate on Monday. AFP", "Dockers at the gate on Monday (Reuters)",
    "Dockers at the gate on Monday. (Photo by Ana Ruiz/Getty Images)",
    "Dockers at the gate on Monday. Photograph: Ana Ruiz/AP",
    "Photo: Ana Ruiz", "Image source, Getty Images", "File photo: dockers at the gate",
    "Dockers at the gate on Monday. REUTERS/Ana Ruiz/File Photo",
    "Story continues below advertisement",
])
def test_noise_lines_are_dropped(noise, config, report):
    text = f"Port to reopen\nOfficials said the port would reopen on Monday.\n{noise}\nShips are queueing."
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("Officials said the port would reopen on Monday.", "Ships are queueing.")
    assert article.dropped == (noise,)


@pytest.mark.parametrize("line", [
    "Subscribers to the service will pay more from April, the company said.",
    "The advertisement ran in three newspapers.",
    "Officials said the APEC meeting (APEC) would go ahead.",
    "Readers can sign up for alerts at the council office, officials said.",
    "The AP/NORC poll found most voters agree.",
    "He told AFP the talks would continue.",
    "He wrote a column for AP.",
    "More on the tariffs",
])
def test_lines_that_only_mention_noise_words_are_text(line, config, report):
    text = f"Port to reopen\n{line}"
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == (line,)


def test_everything_after_a_related_stories_heading_is_cut(config, report):
    text = ("Port to reopen\nOfficials said the port would reopen on Monday.\nMost read\n"
            "Rail strike spreads\nFerry fares to rise\nFive charts on shipping")
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("Officials said the port would reopen on Monday.",)
    assert article.dropped == ("Most read", "Rail strike spreads", "Ferry fares to rise",
                               "Five charts on shipping")


def test_a_related_box_inside_the_article_loses_only_its_links(config, report):
    long_one = "Officials said the port would reopen on Monday after dockers voted to accept a pay offer from the operators."
    long_two = "Shipping lines said it would take at least a fortnight to clear the queue of vessels anchored offshore."
    text = f"Port to reopen\n{long_one}\nRelated articles\nRail strike spreads\n{long_two}\n{long_one[:-1]} again."
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == (long_one, long_two, long_one[:-1] + " again.")


def test_site_patterns_from_the_config_are_dropped_too(config, report):
    config = dataclasses.replace(config, boilerplate=(r"Harbour Weekly is reader-supported.*",))
    text = ("Port to reopen\nOfficials said the port would reopen on Monday.\n"
            "Harbour Weekly is reader-supported. Donate today!")
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("Officials said the port would reopen on Monday.",)


def test_blog_filler_is_cut_from_the_start_of_a_paragraph(config, report):
    text = "Port to reopen\nLet’s dive into the details: the port reopens on Monday."
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("The port reopens on Monday.",)


def test_a_markdown_heading_that_repeats_the_front_matter_title_goes(config, report):
    post = Article(id="x", origin="post.md", kind="markdown",
                   body="# Rates Held At 4%\n\nThe bank kept rates unchanged.\n\n## What next\n\nMore.")
    article = clean_article(with_front_matter(post, title="Rates held at 4%"), config, report)
    assert article.title == "Rates held at 4%"
    assert article.body == "The bank kept rates unchanged.\n\n## What next\n\nMore."
    assert article.dropped == ()


def test_markdown_loses_only_whole_noise_blocks(config, report):
    post = Article(id="x", origin="post.md", kind="markdown", body=(
        "The port reopens on Monday.\n\n**Advertisement**\n\n"
        "Dockers said they would\nSubscribe\nto the offer.\n\n## Related articles\n\n- [Rail strike](/rail)"))
    article = clean_article(post, config, report)
    assert article.body == "The port reopens on Monday.\n\nDockers said they would\nSubscribe\nto the offer."
    assert article.dropped == ("**Advertisement**", "## Related articles", "- [Rail strike](/rail)")


def test_markdown_code_blocks_are_left_alone(config, report):
    body = "The port reopens on Monday.\n\n```\nSubscribe\n\n\n\nShare this article\n```"
    post = Article(id="x", origin="post.md", kind="markdown", body=body)
    article = clean_article(post, config, report)
    assert article.body == body


def test_clip_boilerplate_removes_noise_lines_from_text(config):
    text, dropped = clip_boilerplate("Port to reopen\nAdvertisement\nShips queue.\nMORE STORIES\nRail strike")
    assert text == "Port to reopen\nShips queue."
    assert dropped == ("Advertisement", "MORE STORIES", "Rail strike")


# --- 8b. other languages: French, German, Spanish, Chinese, Japanese ---------------------------


@pytest.mark.parametrize("line, published, updated", [
    ("Publié le 24 novembre 2025 à 18h30, modifié le 25 novembre 2025 à 08h12",
     datetime(2025, 11, 24, 18, 30, tzinfo=UTC), datetime(2025, 11, 25, 8, 12, tzinfo=UTC)),
    ("Mis à jour le 25 novembre 2025 à 08h12", datetime(2025, 11, 25, 8, 12, tzinfo=UTC),
     datetime(2025, 11, 25, 8, 12, tzinfo=UTC)),
    ("Veröffentlicht am 24. November 2025, 18:30 Uhr", datetime(2025, 11, 24, 18, 30, tzinfo=UTC), None),
    ("Stand: 24.11.2025 18:30 Uhr", datetime(2025, 11, 24, 18, 30, tzinfo=UTC),
     datetime(2025, 11, 24, 18, 30, tzinfo=UTC)),
    ("Publicado el 24 de noviembre de 2025 a las 18:30", datetime(2025, 11, 24, 18, 30, tzinfo=UTC), None),
    ("发布时间：2025-11-24 10:32", datetime(2025, 11, 24, 10, 32, tzinfo=UTC), None),
    ("更新时间：2025年11月25日 08:15", datetime(2025, 11, 25, 8, 15, tzinfo=UTC),
     datetime(2025, 11, 25, 8, 15, tzinfo=UTC)),
    ("公開日：2025年11月26日 6時30分 更新日：2025年11月26日 8時05分", datetime(2025, 11, 26, 6, 30, tzinfo=UTC),
     datetime(2025, 11, 26, 8, 5, tzinfo=UTC)),
    ("2025年11月25日 9時15分", datetime(2025, 11, 25, 9, 15, tzinfo=UTC), None),
])
def test_date_lines_in_other_languages_give_the_dates(line, published, updated, config, report):
    article = clean_article(clipping(f"Rates held\n{line}\nThe bank kept rates unchanged on Thursday."), config,
                            report)
    assert (article.published, article.updated) == (published, updated)
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


@pytest.mark.parametrize("line", [
    "Par ailleurs, le gouvernement a démenti.", "Von der Leyen traf Xi in Peking.", "Por eso los mercados subieron.",
    "记者从商务部获悉，双方将继续磋商。", "Par Excellence",
])
def test_a_sentence_that_starts_like_a_byline_in_another_language_is_text(line, config, report):
    article = clean_article(clipping(f"Rates held\n{line}\nThe bank kept rates unchanged on Thursday."), config,
                            report)
    assert article.authors == ()
    assert article.paragraphs[0] == line


@pytest.mark.parametrize("credit, source", [
    ("Source : AFP", "AFP"), ("Quelle: dpa", "dpa"), ("Fuente: EFE", "EFE"), ("来源：新华网", "Xinhua"),
    ("来源：人民网－国际频道", "People's Daily"), ("出典：共同通信", "Kyodo News"), ("共同通信", "Kyodo News"),
])
def test_source_lines_in_other_languages_give_the_outlet(credit, source, config, report):
    article = clean_article(clipping(f"Rates held\nThe bank kept rates unchanged on Thursday.\n{credit}"), config,
                            report)
    assert article.source == source
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.",)


@pytest.mark.parametrize("line", ["2025-11-24 10:32:15 来源：新华网", "2025年11月24日 10:32 | 来源：新华网"])
def test_a_date_and_source_line_gives_both(line, config, report):
    article = clean_article(clipping(f"中美经贸磋商在吉隆坡举行\n{line}\n双方同意继续保持沟通，推动经贸关系稳定发展。"),
                            config, report)
    assert article.title == "中美经贸磋商在吉隆坡举行"
    assert article.published == datetime(2025, 11, 24, 10, 32, article.published.second, tzinfo=UTC)
    assert article.source == "Xinhua"
    assert article.paragraphs == ("双方同意继续保持沟通，推动经贸关系稳定发展。",)


@pytest.mark.parametrize("lede, source, authors, kept", [
    ("新华社北京11月24日电（记者王小明 李华）中美双方24日举行磋商。", "Xinhua", ("王小明", "李华"), "中美双方24日举行磋商。"),
    ("中新网华盛顿11月24日电 美国国务院24日宣布了访问安排。", "China News Service", (), "美国国务院24日宣布了访问安排。"),
    ("本报华盛顿11月24日电 （记者 张伟）美国国务院宣布了访问安排。", "", ("张伟",), "美国国务院宣布了访问安排。"),
    ("【ワシントン共同】トランプ米大統領は25日、会談の日程を明らかにした。", "Kyodo News", (),
     "トランプ米大統領は25日、会談の日程を明らかにした。"),
    ("【北京=山田太郎】米国と中国は24日、電話会談を行った。", "", ("山田太郎",), "米国と中国は24日、電話会談を行った。"),
])
def test_a_chinese_or_japanese_dateline_gives_the_agency_and_reporters_and_leaves(lede, source, authors, kept,
                                                                                  config, report):
    for text in (f"中美经贸磋商举行\n{lede}\n双方同意继续保持沟通。",
                 "中美经贸磋商举行\n" + lede.replace(kept, "") + f"\n{kept}\n双方同意继续保持沟通。"):
        article = clean_article(clipping(text), config, Report())
        assert (article.source, article.authors) == (source, authors)
        assert article.paragraphs == (kept, "双方同意继续保持沟通。")


@pytest.mark.parametrize("noise", [
    "Lire aussi | Entre Pékin et Washington, la bataille des terres rares", "Abonnez-vous à partir de 1 €",
    "Il vous reste 62.35% de cet article à lire.", "Temps de Lecture 3 min.", "Déjà abonné ? Se connecter",
    "Mehr zum Thema: Chinas Exporte steigen", "Lesen Sie auch: Wie Chinas Exportkontrollen wirken", "Anzeige",
    "Artikel anhören", "4 Minuten Lesezeit",
    "Leer más: La guerra de las tierras raras", "Suscríbete para seguir leyendo", "Compartir en Facebook",
    "3 min de lectura",
    "责任编辑：王小明", "编辑：李华", "（责编：刘洋、陈静）", "【纠错】 【责任编辑：赵晓燕】", "（完）", "字号：大 中 小", "分享到：",
    "本文为本网原创稿件，未经授权不得转载。",
    "この記事は有料会員限定です。", "この記事をシェアする", "無断転載・複製を禁じます",
])
def test_noise_lines_in_other_languages_are_dropped(noise, config, report):
    article = clean_article(clipping(f"Rates held\nThe bank kept rates unchanged on Thursday.\n{noise}\n"
                                     "Dockers returned to work."), config, report)
    assert article.paragraphs == ("The bank kept rates unchanged on Thursday.", "Dockers returned to work.")


@pytest.mark.parametrize("line", [
    "Lire les mémoires de l’ambassadeur reste un plaisir, écrit-il.", "Anzeigen gingen im Oktober zurück.",
    "编辑部表示，将继续关注此事。", "分享经济在中国发展迅速，已惠及数亿用户。", "Compartir la información es clave, dijo.",
])
def test_lines_in_other_languages_that_only_start_like_noise_are_text(line, config, report):
    article = clean_article(clipping(f"Rates held\n{line}\nThe bank kept rates unchanged on Thursday."), config,
                            report)
    assert article.paragraphs[0] == line


def test_a_wire_storys_closing_mark_leaves_its_last_paragraph(config, report):
    text = "中美经贸磋商举行\n双方同意继续保持沟通。\n分析人士指出，此轮磋商有助于稳定市场预期。（完）"
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("双方同意继续保持沟通。", "分析人士指出，此轮磋商有助于稳定市场预期。")
    assert "（完）" in article.dropped


def test_a_chinese_headline_is_the_title_and_the_summary_ends_at_a_full_stop(config, report):
    sentences = ["中美经贸团队24日在马来西亚首都吉隆坡举行新一轮经贸磋商。",
                 "双方围绕落实两国元首通话共识，就各自关切的经贸问题进行了坦诚、深入、富有建设性的交流。",
                 "双方同意继续发挥中美经贸磋商机制作用，保持密切沟通，" * 4 + "推动双边经贸关系稳定发展。"]
    text = "中美经贸团队在吉隆坡举行新一轮磋商\n2025年11月24日 10:32\n" + "".join(sentences)
    article = clean_article(clipping(text), config, report)
    assert article.title == "中美经贸团队在吉隆坡举行新一轮磋商"
    # a Chinese character is as wide as two letters: the third sentence would take the summary past 300
    assert article.summary == sentences[0] + sentences[1]
    characters = sum("\u4e00" <= character <= "\u9fff" for character in "".join(sentences))
    assert article.word_count == 1 + (characters + 1) // 2  # "24", and a word for every two characters
    assert warnings_of(report) == []


def test_a_title_inferred_from_chinese_text_is_cut_at_about_half_as_many_characters(config, report):
    lede = "据新华社报道，" + "中美双方在吉隆坡举行的新一轮经贸磋商中就多项议题进行了深入交流，" * 3 + "取得积极进展。"
    article = clean_article(clipping(f"{lede}\n双方同意继续保持沟通。"), config, report)
    assert article.origin_of("title") == INFERRED
    assert article.title.endswith("…") and clean.TITLE_LIMIT - 2 <= clean.width(article.title) <= clean.TITLE_LIMIT
    assert article.title.startswith("据新华社报道")


# --- 9. never lose the article --------------------------------------------------------------


def test_a_body_that_cleaning_would_empty_is_kept_with_a_warning(config, report):
    article = clean_article(clipping("Subscribe\nAdvertisement"), config, report)
    assert article.paragraphs == ("Subscribe", "Advertisement")
    assert article.dropped == ()
    assert warnings_of(report, "emptied body") == [
        "clip.txt:1: cleaning would leave no text; kept the text as it was "
        "(check the site's boilerplate patterns)"]


def test_an_empty_body_stays_empty_without_a_traceback(config, report):
    article = clean_article(clipping(""), config, report)
    assert article.body == "" and article.paragraphs == () and article.title == ""
    assert [m.kind for m in report.warnings] == ["missing date"]


def test_markdown_that_markup_refuses_is_reported_and_kept_as_text(config, report):
    nested = "> " * 60 + "deep <b>quote</b>"
    post = Article(id="x", origin="post.md", kind="markdown", body=f"Intro para here.\n\n{nested}", body_line=4)
    article = clean_article(post, config, report)
    assert [str(m) for m in report.errors] == [
        "post.md:6: Markdown nested more than 40 levels deep (quotes or lists); expected an article"]
    assert "&lt;b&gt;quote&lt;/b&gt;" in article.body_html
    assert "<b>" not in article.body_html
    assert article.paragraphs[0] == "Intro para here."


def test_lines_keep_their_file_line_numbers_in_provenance(config, report):
    source = clipping("Rates held\nBy Dorothy Li\nPublished 3 March 2026\n"
                      "The bank kept its main rate unchanged at 4% on Thursday.", body_line=7)
    article = clean_article(source, config, report)
    assert article.provenance == (("title", "line 7"), ("authors", "line 8"),
                                  ("published", "line 9"), ("summary", INFERRED))
    assert article.inferred == ("summary",)


def test_the_input_article_is_not_changed(config, report):
    source = clipping(seed("001"))
    before = dataclasses.replace(source)
    clean_article(source, config, report)
    assert source == before


# --- properties -----------------------------------------------------------------------------

LINE_PARTS = st.sampled_from([
    "Published 3 March 2026", "Updated 2 hours ago", "By Ana Ruiz", "By Monday, the talks",
    "Subscribe", "Highlights", "MORE STORIES", "ALBAWABA- ", "WASHINGTON (AP) — ", "Nov. 24",
    "© 2026 X", "\xa0", "#", "> ", "- ", "```", "(", ")", "|", "—", ".", "https://x.example/a",
])
TEXT = st.lists(st.one_of(st.text(max_size=60), LINE_PARTS), max_size=40).map("".join)
LINES = st.lists(st.one_of(st.text(max_size=80), LINE_PARTS), max_size=30).map("\n".join)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(TEXT, LINES), kind=st.sampled_from(["clipping", "markdown"]))
def test_any_text_is_cleaned_quickly_without_an_unexpected_exception(body, kind):
    config = clean_config()
    started = time.perf_counter()
    try:
        article = clean_article(Article(id="x", origin="any.txt", kind=kind, body=body), config, Report())
    except BuildError:
        return
    assert time.perf_counter() - started < 2
    assert isinstance(article.body, str) and all(isinstance(p, str) for p in article.paragraphs)
    assert article.published is None or article.published.tzinfo is not None


def clean_config():
    from generator.config import Config
    return Config(title="Test", base_url="https://example.org/", build_time=datetime(2026, 1, 1, tzinfo=UTC))


def test_the_rules_file_is_read_at_import():
    assert clean.RULES_FILE.name == "boilerplate.toml" and clean.RULES_FILE.exists()
    assert "BEIJING" in clean.RULES.places
    assert clean.RULES.agencies["reuters"] == "Reuters"


def test_a_share_widget_pasted_one_button_per_line_leaves_a_markdown_post(config, report):
    text = ("The strike at the port enters its second week.\n\n"
            "Share this:\nTwitter\nFacebook\nLike this:\nLike Loading...\n")
    post = Article(id="x", origin="post.md", kind="markdown", body=text)
    article = clean_article(with_front_matter(post, title="Why the strike matters"), config, report)
    assert article.paragraphs == ("The strike at the port enters its second week.",)
    assert "Twitter" in article.dropped


def test_a_word_like_twitter_inside_a_sentence_stays(config, report):
    text = "Ports reopen\n\nTwitter users shared videos of the queues.\nShips waited offshore for days."
    article = clean_article(clipping(text), config, report)
    assert "Twitter users shared videos of the queues." in article.paragraphs


def test_a_headline_ending_in_a_dash_and_spaces_is_kept_whole():
    # found by hypothesis: the tail after the dash has no words
    assert clean.split_site_name("Photo -  ", clean.RULES) == ("Photo -  ", "")


# --- 10. the furniture of more English-language news pages ----------------------------------

BODY = "Officials said the port would reopen on Monday after dockers voted to accept a pay offer."


@pytest.mark.parametrize("top, source", [
    ("AP NEWS\nSections\nWorld\nU.S. News\nPolitics\nWorld News", "Associated Press"),
    ("WORLD\nCHINA", ""),
    ("The Diplomat\nFeatures | Diplomacy | East Asia", "The Diplomat"),
    ("POLITICO\nCongress", "Politico"),
    ("Nikkei Asia\nSpotlight\nSupply Chain", "Nikkei Asia"),
])
def test_a_masthead_and_section_labels_over_the_headline_are_dropped(top, source, config, report):
    text = f"{top}\nPort to reopen after a week of strikes, union says\n{BODY}"
    article = clean_article(clipping(text), config, report)
    assert article.title == "Port to reopen after a week of strikes, union says"
    assert article.source == source
    assert article.paragraphs == (BODY,)
    assert article.dropped == tuple(top.split("\n"))


def test_two_capitalised_words_over_a_title_case_headline_are_a_label(config, report):
    text = f"Asia Pacific\nPort Reopens After a Week of Strikes as Dockers Accept Deal\n{BODY}"
    article = clean_article(clipping(text), config, report)
    assert article.title == "Port Reopens After a Week of Strikes as Dockers Accept Deal"
    assert article.dropped == ("Asia Pacific",)


@pytest.mark.parametrize("second", ["The long pause continues at the bank", BODY])
def test_two_capitalised_words_alone_over_other_text_are_the_headline(second, config, report):
    article = clean_article(clipping(f"Rates Held\n{second}\n{BODY}"), config, report)
    assert article.title == "Rates Held"
    assert article.paragraphs[0] == second


def test_key_points_without_bullets_end_where_a_video_box_was_removed(config, report):
    text = ("Port to reopen\nKey Points\nDockers accepted a pay offer.\nShips will dock from Monday.\n"
            "WATCH NOW\nVIDEO 2:31\nWhy the strike mattered\n"
            f"{BODY}\nShipping lines said the queue would clear within a fortnight.")
    article = clean_article(clipping(text), config, report)
    assert article.summary == "Dockers accepted a pay offer. Ships will dock from Monday."
    assert article.paragraphs == (BODY, "Shipping lines said the queue would clear within a fortnight.")


def test_key_points_without_bullets_end_at_a_much_longer_line_or_a_dateline(config, report):
    lede = ("The port authority said on Sunday that ships would dock from Monday morning, ending a week "
            "of strikes that left dozens of vessels waiting offshore and cost exporters millions of dollars.")
    for body in (lede, "LONDON (Reuters) - Ships will dock again."):
        text = f"Port to reopen\nKey takeaways\nDockers accepted a pay offer.\nShips dock on Monday.\n{body}\nMore later."
        article = clean_article(clipping(text), config, Report())
        assert article.summary == "Dockers accepted a pay offer. Ships dock on Monday."
        assert len(article.paragraphs) == 2


def test_key_points_with_bullets_end_at_the_first_line_without_one(config, report):
    text = f"Port to reopen\nKey points\n• Dockers accept a pay offer\n• Ships dock on Monday\n{BODY}"
    article = clean_article(clipping(text), config, report)
    assert article.summary == "Dockers accept a pay offer. Ships dock on Monday."
    assert article.paragraphs == (BODY,)


def test_takeaways_by_a_named_tool_head_a_summary_block(config, report):
    text = f"Port to reopen\nTakeaways by Harbour AI\nDockers accepted a pay offer.\n\n{BODY}"
    article = clean_article(clipping(text), config, report)
    assert article.summary == "Dockers accepted a pay offer."
    assert article.paragraphs == (BODY,)


@pytest.mark.parametrize("names, around, authors, source", [
    ("Ana Ruiz in Madrid and Tom Price in London", "Published 3 March 2026", ("Ana Ruiz", "Tom Price"), ""),
    ("ANA RUIZ and TOM PRICE, Harbour Times chief correspondent and staff writer", "", ("Ana Ruiz", "Tom Price"),
     ""),
    ("Ana Ruiz, Reuters", "", ("Ana Ruiz",), "Reuters"),
    ("Ana Ruiz", "Updated Tue, March 3, 2026 at 9:12 AM GMT", ("Ana Ruiz",), ""),
    ("Ana Ruiz", "", ("Ana Ruiz",), ""),  # between the headline and the first paragraph
])
def test_names_without_by_are_a_byline_where_a_byline_sits(names, around, authors, source, config, report):
    lines = ["Port to reopen after a week of strikes", names, around, BODY]
    article = clean_article(clipping("\n".join(line for line in lines if line)), config, report)
    assert (article.authors, article.source) == (authors, source)
    assert article.paragraphs == (BODY,)


@pytest.mark.parametrize("text", [
    # a caption naming the story's people, who the text names again
    "Port to reopen after a week of strikes\nAna Ruiz and Tom Price\nDock workers led by Ana Ruiz voted to accept "
    "a pay offer on Monday, ending the strike.",
    # names between paragraphs, away from the headline and the dates
    f"Port to reopen\n{BODY}\nAna Ruiz\nShips are queueing.",
])
def test_names_without_by_elsewhere_are_text(text, config, report):
    article = clean_article(clipping(text), config, report)
    assert article.authors == ()
    assert len(article.paragraphs) == len(text.split("\n")) - 1


@pytest.mark.parametrize("byline", ["By Ana Ruiz\nand Tom Price", "By Ana Ruiz Follow\nand Tom Price Follow"])
def test_a_byline_goes_on_to_a_line_that_starts_with_and(byline, config, report):
    article = clean_article(clipping(f"Port to reopen\n{byline}\n{BODY}"), config, report)
    assert article.authors == ("Ana Ruiz", "Tom Price")
    assert article.paragraphs == (BODY,)


def test_a_sentence_after_a_byline_that_starts_with_and_is_text(config, report):
    text = f"Port to reopen\nBy Ana Ruiz\nAnd the ships waited.\n{BODY}"
    article = clean_article(clipping(text), config, report)
    assert article.authors == ("Ana Ruiz",)
    assert article.paragraphs == ("And the ships waited.", BODY)


@pytest.mark.parametrize("byline, authors, source", [
    ("By Ana Ruiz Fox News", ("Ana Ruiz",), "Fox News"),
    ("By Ana Ruiz CNN", ("Ana Ruiz",), "CNN"),
    ("By Ana Maria Efe", ("Ana Maria Efe",), ""),  # a name that ends like an agency's is a name
])
def test_an_outlet_glued_to_a_byline_is_the_source(byline, authors, source, config, report):
    article = clean_article(clipping(f"Port to reopen\n{byline}\n{BODY}"), config, report)
    assert (article.authors, article.source) == (authors, source)


@pytest.mark.parametrize("line, moment", [
    ("by Ana Ruiz - 11/24/25 5:32 PM ET", datetime(2025, 11, 24, 22, 32, tzinfo=UTC)),
    ("Published November 24, 2025 | 5:32 PM", datetime(2025, 11, 24, 17, 32, tzinfo=UTC)),
    ("5:32 PM · Nov 24, 2025", datetime(2025, 11, 24, 17, 32, tzinfo=UTC)),
    ("November 24, 20255:32 PM GMT+8Updated 3 hours ago", datetime(2025, 11, 24, 9, 32, tzinfo=UTC)),
])
def test_a_time_printed_apart_from_its_date_is_read_with_it(line, moment, config, report):
    article = clean_article(clipping(f"Port to reopen\n{line}\n{BODY}"), config, report)
    assert article.published == moment
    assert article.paragraphs == (BODY,)


def test_an_agency_dateline_under_a_quote_box_gives_the_source(config, report):
    text = "Port to reopen\nIn this article:\nMAERSK.B\n+1.2%\nLONDON (Reuters) - Ships will dock again on Monday."
    article = clean_article(clipping(text), config, report)
    assert article.source == "Reuters"
    assert article.paragraphs == ("LONDON - Ships will dock again on Monday.",)


def test_a_bracket_in_a_later_paragraph_is_no_dateline(config, report):
    text = f"Port to reopen\n{BODY}\nHarbour Board (HB) - a new body - met on Tuesday."
    article = clean_article(clipping(text), config, report)
    assert article.source == ""
    assert article.paragraphs == (BODY, "Harbour Board (HB) - a new body - met on Tuesday.")


def test_a_caption_over_its_toggle_and_a_video_title_under_its_time_are_dropped(config, report):
    text = ("Port to reopen\nDockers at the gate on Monday.\nAna Ruiz/NPR\nhide caption\ntoggle caption\n"
            f"Ana Ruiz/NPR\n{BODY}\nVIDEO 2:31\nWhy the strike mattered\nShips are queueing.")
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == (BODY, "Ships are queueing.")


def test_lines_beside_a_widget_that_do_not_read_as_its_text_stay(config, report):
    text = f"Port to reopen\nShips in the harbour\nhide caption\n{BODY}\nVIDEO 2:31\nShips are queueing."
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == ("Ships in the harbour", BODY, "Ships are queueing.")


@pytest.mark.parametrize("noise", [
    "Copy", "Translate", "Resize", "More", "LEARN MORE", "@KIFLESWELL", "@in/kifleswell", "VIDEO 04:12",
    "+1.2%", "In this article:", "Stay informed with free updates", "Share Article via Facebook", "(2 min)",
    "5 min", "Read 214 Comments", "See more on: Taiwan, Trade", "Go deeper: Trump says he will visit China",
    "Skip to contentSkip to site index", "Heard on All Things Considered", "Democracy Dies in Darkness",
    "Unlock the Editor’s Digest for free",
    "Rula Khalil, Editor of the FT, picks her favourite stories in this weekly newsletter.",
    "Reuse this content (opens in new window)",
    "Appeared in the November 25, 2025, print edition as 'Rates Held'.",
    "Shannon Tezzi is Editor-in-Chief of The Diplomat.",
    "Rebecca Tann is The Post's Southeast Asia bureau chief, based in Singapore.",
    "Chris Buckland, the chief China correspondent for The Times, reports on China and Taiwan from Taipei.",
    "Dockers at the gate on Monday. (Ted Aljibe/AFP/Getty Images)",
    "Emily Fong/NPR", "Dockers at the gate on Monday. | Frank Chong/POLITICO",
    "Dockers at the gate on Monday.Credit...Ana Ruiz for The New York Times",
    "Before it’s here, it’s on the Bloomberg Terminal",
    "This article is more than 1 month old",
])
def test_more_page_furniture_is_dropped(noise, config, report):
    text = f"Port to reopen\n{BODY}\n{noise}\nShips are queueing."
    article = clean_article(clipping(text), config, report)
    assert article.paragraphs == (BODY, "Ships are queueing.")
    assert article.dropped == (noise,)


@pytest.mark.parametrize("line", [
    "More than 40 ships waited offshore.",
    "Copy editors at the paper walked out too.",
    "Banks tightened credit... Then they eased it again.",
    "The figures were first reported in this newsletter.",
    "Stay calm, the minister told dockers.",
    "He said talks on Taiwan/Hong Kong would continue.",
    "Chris Buckland, the chief China correspondent, said the drills were the largest yet.",
    "Lin Jian is Foreign Ministry spokesperson.",
    "Up 1.2% on the day, the index closed higher.",
    "Video shows the ship leaving at 04:12 local time.",
    "Heard on the dockside: the strike is over.",
    "Don't miss the deadline, officials warned dockers on Monday.",
    "The ship is more than 40 years old.",
    "Dockers went back to home ports on Monday.",
])
def test_lines_like_the_new_furniture_are_text(line, config, report):
    article = clean_article(clipping(f"Port to reopen\n{BODY}\n{line}\nShips are queueing."), config, report)
    assert article.paragraphs == (BODY, line, "Ships are queueing.")


@pytest.mark.parametrize("tail", [
    "Authors\nGuest Author\nAna Ruiz\nAna Ruiz is a writer based in Lisbon.",
    "Follow the topics in this article\nShipping\nTrade",
    "Don't miss these insights from Harbour PRO\nWhy rates will fall\nFive stocks to watch",
])
def test_an_author_box_or_a_topic_list_ends_the_article(tail, config, report):
    article = clean_article(clipping(f"Port to reopen\n{BODY}\n{tail}"), config, report)
    assert article.paragraphs == (BODY,)


def test_a_year_and_limited_after_the_outlet_in_a_copyright_line_go(config, report):
    text = f"Port to reopen\n{BODY}\nCopyright The Harbour Times Limited 2025. All rights reserved."
    article = clean_article(clipping(text), config, report)
    assert article.source == "The Harbour Times"


def test_a_link_back_to_the_home_page_among_the_first_lines_names_the_outlet(config, report):
    text = f"Skip to main content\nThe Harbour Times - Back to home\nNews\nPort to reopen after a week of strikes\n{BODY}"
    article = clean_article(clipping(text), config, report)
    assert article.source == "The Harbour Times"
    assert article.title == "Port to reopen after a week of strikes"
    assert article.paragraphs == (BODY,)


def test_back_to_home_further_down_is_text(config, report):
    lines = [f"Line {n} of the report said the port would reopen." for n in range(9)]
    text = "Port to reopen\n" + "\n".join(lines) + "\nDockers - back to home\nShips are queueing."
    article = clean_article(clipping(text), config, report)
    assert "Dockers - back to home" in article.paragraphs


def test_a_surname_inside_another_word_is_no_mention(config, report):
    text = f"Port to reopen after a week of strikes\nLaura Li\nPublished 3 March 2026\n{BODY} Lithium prices rose."
    article = clean_article(clipping(text), config, report)
    assert article.authors == ("Laura Li",)
