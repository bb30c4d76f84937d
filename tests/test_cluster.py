"""Stories: one event's coverage together, look-alike events apart, stable ids, titles and summaries."""

from __future__ import annotations

import dataclasses
import os
import pickle
import random
from array import array
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from generator import cluster
from generator.config import StorySettings
from generator.model import FRONT_MATTER, INFERRED, Article, Story

from conftest import SEEDS, make_article

UTC = timezone.utc
# The defaults asked of config.StorySettings.
SETTINGS = StorySettings(threshold=0.12, window_days=4)

# An invented corpus: two dock strikes in Halvik six weeks apart, two Norbank rate decisions six
# weeks apart, a budget in the same week as the first rate decision, a museum reopening in the
# same week and town as the first strike, and clippings without a date or without a year.
# (outlet, published or "month-day" or None, title, paragraphs)
CORPUS = {
    "strike1-herald": ("Norland Herald", "2025-03-03T08:00", "Halvik dockworkers walk out over automated cranes", (
        "About 3,200 dockworkers at the port of Halvik began a 48-hour strike on Monday in protest at plans "
        "to bring in automated cranes.",
        "The Harbour Workers' Federation said the walkout would halt loading at all four container terminals.",
        "“We will not be replaced by cranes that answer to nobody,” union leader Tomas Brekke told reporters "
        "at the gates.",
        "The Halvik Port Authority said it regretted the action and that automation would create new technical jobs.",
        "Some 40 ships were waiting to berth by Monday afternoon.")),
    "strike1-coastal": (
        "Coastal Times", "2025-03-03T14:30", "Strike shuts Halvik container port as union fights automation", (
        "Container traffic at Halvik came to a standstill on Monday as dockworkers started a 48-hour strike "
        "against automated cranes.",
        "Tomas Brekke, who leads the Harbour Workers' Federation, said the port authority had ignored the union "
        "for a year.",
        "“We will not be replaced by cranes that answer to nobody,” he said.",
        "Shipping agents said 40 vessels were queueing outside the harbour.",
        "Fish exporters warned that perishable cargo could spoil if the strike was extended.")),
    "strike1-wire": ("Baltic Wire", "2025-03-04T09:15", "Halvik port strike enters second day, 40 ships stuck", (
        "The strike by 3,200 dockworkers at Halvik entered its second day on Tuesday, with 40 ships stuck at anchor.",
        "The Harbour Workers' Federation opposes the port authority's plan to install automated cranes at the "
        "container terminals.",
        "Port officials estimated the stoppage was costing 12 million crowns a day.",
        "Union leader Tomas Brekke said no talks were scheduled before the walkout ends on Wednesday.")),
    "strike2-herald": (
        "Norland Herald", "2025-04-14T07:30", "Halvik dockworkers begin indefinite strike after pay talks collapse", (
        "Dockworkers at the port of Halvik walked out indefinitely on Monday after talks over pay broke down "
        "late on Sunday.",
        "The Harbour Workers' Federation is demanding a 9% rise for its 3,500 members, while the port authority "
        "has offered 4%.",
        "“The port authority has run out of excuses,” union leader Tomas Brekke said.",
        "Government mediator Anna Voss said she would invite both sides back to the table this week.",
        "By Monday evening 62 ships were waiting outside the harbour.")),
    "strike2-coastal": (
        "Coastal Times", "2025-04-15T10:00", "Halvik port strike: 62 ships wait as mediator steps in", (
        "The indefinite strike at Halvik's port left 62 ships waiting at anchor on Tuesday.",
        "Mediator Anna Voss met union and port officials separately but no new talks were set.",
        "Tomas Brekke of the Harbour Workers' Federation said the 4% pay offer was an insult after two years "
        "of high inflation.",
        "Ferry services to the islands were not affected by the walkout.")),
    "strike2-undated": ("Harbour Notes", None, "Indefinite Halvik dock strike enters third day", (
        "The indefinite strike at the port of Halvik entered its third day with 62 ships still waiting to berth.",
        "Dockworkers want a 9% pay rise; the port authority has offered 4%.",
        "“The port authority has run out of excuses,” said Tomas Brekke of the Harbour Workers' Federation.",
        "Mediator Anna Voss said talks could resume on Thursday.")),
    "rates1-herald": (
        "Norland Herald", "2025-03-04T13:00", "Norbank raises key rate to 4.5% as inflation stays high", (
        "Norbank raised its key interest rate by a quarter point to 4.5% on Tuesday, its third increase in a year.",
        "Governor Ilse Marrow said inflation, at 5.1% in February, remained far above the 2% target.",
        "“Inflation is not yet beaten,” Marrow told a press conference in Norby.",
        "The decision was taken by a 5-2 vote of the monetary policy board.")),
    "rates1-finance": (
        "Finance Daily", "2025-03-04T13:20", "Norbank lifts rates a quarter point, signals more to come", (
        "The Norland central bank lifted its benchmark rate to 4.5% from 4.25%, in line with economists' forecasts.",
        "Two of the seven board members voted to keep rates unchanged.",
        "“Inflation is not yet beaten,” Governor Ilse Marrow said, adding that further increases could not be "
        "ruled out.",
        "The crown rose 0.6% against the euro after the announcement.")),
    "rates1-wire": (
        "Baltic Wire", "2025-03-05T08:00", "Norland mortgage holders face higher costs after Norbank rate rise", (
        "Homeowners in Norland face higher monthly payments after Norbank raised its key rate to 4.5% on Tuesday.",
        "Lenders including Fjellbank said they would pass on the increase from April 1.",
        "Inflation was 5.1% in February, well above Norbank's 2% target.")),
    "rates1-yearless": ("Money Brief", "3-4", "Norbank raises rate again", (
        "On March 4, Norbank raised its key interest rate by a quarter point to 4.5%.",
        "Governor Ilse Marrow warned that inflation is not yet beaten, with prices rising 5.1% in February.",
        "The board split 5-2 on the decision.")),
    "rates2-finance": ("Finance Daily", "2025-04-15T13:10", "Norbank holds rates at 4.5% as inflation cools", (
        "Norbank kept its key interest rate at 4.5% on Tuesday after inflation eased to 4.2% in March.",
        "Governor Ilse Marrow said the board could afford to be patient.",
        "“We can afford to wait and watch the data,” Marrow said.",
        "All seven board members backed the decision.")),
    "rates2-herald": (
        "Norland Herald", "2025-04-15T14:00", "Norbank pauses rate rises after inflation slows to 4.2%", (
        "Norland's central bank left borrowing costs unchanged at 4.5%, pausing after three increases.",
        "Inflation slowed to 4.2% in March from 5.1% in February.",
        "“We can afford to wait and watch the data,” Governor Ilse Marrow told reporters in Norby.",
        "Economists expect the first cut before the end of the year.")),
    "budget-finance": (
        "Finance Daily", "2025-03-06T11:00", "Lund's budget raises defence spending by 3 billion crowns", (
        "Finance Minister Petra Lund presented a budget on Thursday that raises defence spending by 3 billion "
        "crowns.",
        "The plan also cuts the lowest income tax band from 22% to 20% from next January.",
        "Lund said the budget would not add to inflation and would keep the deficit below 1.5% of output.",
        "Opposition leader Karl Hest called the tax cut a pre-election gift.")),
    "budget-coastal": (
        "Coastal Times", "2025-03-06T16:00", "Budget: tax cut for low earners, 3 billion more for defence", (
        "Petra Lund's budget gives low earners a tax cut, trimming the bottom income tax rate to 20%.",
        "Defence gets an extra 3 billion crowns, much of it for coastal patrol ships to be built in Halvik.",
        "Lund told parliament the deficit would stay below 1.5% of output.")),
    "museum": ("Coastal Times", "2025-03-05T09:00", "Halvik maritime museum reopens after three-year renovation", (
        "The Halvik Maritime Museum reopened on Wednesday after a three-year renovation costing 80 million crowns.",
        "Its new wing tells the story of the port from the whaling era to the container age.",
        "Director Sofie Dahl said she hoped to welcome 150,000 visitors a year.")),
    "rates-july-yearless": ("Money Brief", "7-9", "Norbank leaves rate unchanged", (
        "On July 9, Norbank left its key interest rate unchanged at 4.5%.",
        "Governor Ilse Marrow said inflation was moving towards the target.")),
}
EVENTS = [{"strike1-herald", "strike1-coastal", "strike1-wire"},
          {"strike2-herald", "strike2-coastal", "strike2-undated"},
          {"rates1-herald", "rates1-finance", "rates1-wire", "rates1-yearless"},
          {"rates2-finance", "rates2-herald"},
          {"budget-finance", "budget-coastal"},
          {"museum"},
          {"rates-july-yearless"}]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def news(article_id: str, source: str, when: str | None, title: str, paragraphs: tuple[str, ...],
         **overrides) -> Article:
    """Return an article of the invented corpus: `when` is ISO, "month-day" (no year) or None."""
    published = at(when) if when and "T" in when else None
    partial = tuple(int(part) for part in when.split("-")) if when and "T" not in when else None
    values = dict(id=article_id, origin=f"{article_id}.md", title=title, slug=article_id, paragraphs=paragraphs,
                  body="\n\n".join(paragraphs), summary=paragraphs[0], published=published,
                  partial_date=partial, source=source, url_path="")
    values.update(overrides)
    return make_article(**values)


def corpus(*names: str) -> list[Article]:
    return [news(name, *CORPUS[name]) for name in (names or CORPUS)]


def grouping(stories: list[Story]) -> list[set[str]]:
    return sorted(({article.id for article in story.articles} for story in stories), key=sorted)


def story_of(stories: list[Story], article_id: str) -> Story:
    return next(story for story in stories if any(article.id == article_id for article in story.articles))


@pytest.fixture(scope="module")
def clustered() -> tuple[list[Article], list[Story]]:
    return cluster.cluster_stories(corpus(), SETTINGS, UTC)


def test_the_invented_corpus_groups_by_event(clustered):
    _, stories = clustered
    assert grouping(stories) == sorted(EVENTS, key=sorted)


def test_outlets_covering_one_event_share_one_story(clustered):
    articles, stories = clustered
    story = story_of(stories, "strike1-herald")
    assert {article.id for article in story.articles} == {"strike1-herald", "strike1-coastal", "strike1-wire"}
    assert story.sources == ("Baltic Wire", "Coastal Times", "Norland Herald")  # newest first
    assert {article.story for article in articles if article.id.startswith("strike1")} == {story.id}


def test_look_alike_events_weeks_apart_stay_apart(clustered):
    _, stories = clustered
    assert story_of(stories, "strike1-herald") != story_of(stories, "strike2-herald")
    assert story_of(stories, "rates1-herald") != story_of(stories, "rates2-finance")


def test_same_subject_in_the_same_week_is_not_the_same_event(clustered):
    _, stories = clustered
    rates = story_of(stories, "rates1-herald")
    assert story_of(stories, "budget-finance") != rates
    assert story_of(stories, "museum") != story_of(stories, "strike1-herald")


def test_identical_text_outside_the_window_makes_separate_stories():
    text = CORPUS["museum"]
    first = news("museum", *text)
    later = news("museum-again", text[0], "2025-03-12T09:00", *text[2:])
    _, stories = cluster.cluster_stories([first, later], SETTINGS, UTC)
    assert grouping(stories) == [{"museum"}, {"museum-again"}]


def test_a_story_never_spans_more_than_the_window():
    text = CORPUS["museum"]
    days = [news(f"day{day}", text[0], f"2025-03-{day:02d}T09:00", *text[2:]) for day in (1, 4, 7, 10)]
    _, stories = cluster.cluster_stories(days, SETTINGS, UTC)
    for story in stories:
        dates = [article.published for article in story.articles]
        assert max(dates) - min(dates) <= timedelta(days=SETTINGS.window_days)
    assert len(stories) == 2


def test_undated_clipping_joins_its_story_and_takes_its_date(clustered):
    articles, stories = clustered
    story = story_of(stories, "strike2-undated")
    assert story.id == story_of(stories, "strike2-herald").id
    clipping = next(article for article in articles if article.id == "strike2-undated")
    assert clipping.published == at("2025-04-14T07:30")
    assert clipping.origin_of("published") == INFERRED
    assert clipping.story == story.id


def test_year_less_article_takes_its_storys_year(clustered):
    articles, stories = clustered
    clipping = next(article for article in articles if article.id == "rates1-yearless")
    assert clipping.story == story_of(stories, "rates1-herald").id
    assert clipping.published.date() == datetime(2025, 3, 4).date()
    assert clipping.inferred == ("published",)


def test_year_less_article_with_no_story_near_its_day_stays_alone_and_undated(clustered):
    articles, stories = clustered
    clipping = next(article for article in articles if article.id == "rates-july-yearless")
    assert clipping.published is None
    assert clipping.inferred == ()
    assert [article.id for article in story_of(stories, "rates-july-yearless").articles] == ["rates-july-yearless"]


def test_year_less_article_is_only_offered_stories_near_its_day():
    # The text is the March decision's, but a year-less "April 15" rules the March story out.
    source, _, title, paragraphs = CORPUS["rates1-yearless"]
    misdated = news("misdated", source, "4-15", title, paragraphs)
    articles, stories = cluster.cluster_stories(corpus() + [misdated], SETTINGS, UTC)
    assert story_of(stories, "misdated") != story_of(stories, "rates1-herald")


def test_year_less_date_near_new_year_takes_the_nearer_year():
    source, _, title, paragraphs = CORPUS["museum"]
    dated = news("dated", source, "2025-01-02T10:00", title, paragraphs)
    year_less = news("year-less", source, "12-31", title, paragraphs)
    articles, stories = cluster.cluster_stories([dated, year_less], SETTINGS, UTC)
    assert len(stories) == 1
    assert articles[1].published.date() == datetime(2024, 12, 31).date()
    assert stories[0].date_inferred  # its earliest date is the inferred one
    assert stories[0].id.startswith("2025-01-02-")  # the id stays with the read date


def test_year_less_date_must_keep_the_story_within_the_window():
    source, _, title, paragraphs = CORPUS["strike1-coastal"]
    near = news("near", source, "3-6", title, paragraphs)  # the story spans March 3-6: fine
    far = news("far", source, "3-9", title, paragraphs)  # March 3-9 would be six days
    articles, stories = cluster.cluster_stories(corpus("strike1-herald", "strike1-wire") + [near, far], SETTINGS, UTC)
    assert story_of(stories, "near") == story_of(stories, "strike1-herald")
    assert articles[2].published == datetime(2025, 3, 6, tzinfo=UTC)  # no read report that day: midnight
    assert story_of(stories, "far").articles == (articles[3],)
    assert articles[3].published is None


def test_a_round_up_of_two_events_does_not_chain_them():
    rates, budget = CORPUS["rates1-herald"][3], CORPUS["budget-finance"][3]
    round_up = news("round-up", "Weekly Digest", "2025-03-06T18:00", "Week in review: rates and the budget",
                    rates + budget)
    _, stories = cluster.cluster_stories(corpus() + [round_up], SETTINGS, UTC)
    assert story_of(stories, "rates1-herald") != story_of(stories, "budget-finance")


def test_undated_article_without_a_match_stays_alone():
    source, _, title, paragraphs = CORPUS["museum"]
    undated = news("undated", source, None, title, paragraphs)
    articles, stories = cluster.cluster_stories(corpus("strike1-herald", "rates1-herald") + [undated], SETTINGS, UTC)
    assert articles[2].published is None
    assert story_of(stories, "undated").articles == (articles[2],)
    assert story_of(stories, "undated").id.startswith("undated-")


def test_single_article_is_a_story_of_its_own(clustered):
    _, stories = clustered
    story = story_of(stories, "museum")
    assert story.title == "Halvik maritime museum reopens after three-year renovation"
    assert story.id == story.slug == "2025-03-05-halvik-maritime-museum-reopens-after-three-year-renovation"
    assert story.summary == ("The Halvik Maritime Museum reopened on Wednesday after a three-year renovation "
                             "costing 80 million crowns. Its new wing tells the story of the port from the "
                             "whaling era to the container age.")
    assert story.additions == ()


def test_a_story_with_a_japanese_title_is_named_by_its_date_and_a_hash():
    article = news("kyodo", "Kyodo News", "2025-11-26T06:30", "米中首脳会談、来年4月に北京で調整",
                   ("トランプ米大統領は25日、首脳会談を来年4月に北京で開く方向で調整していると明らかにした。",))
    _, [story] = cluster.cluster_stories([article], SETTINGS, UTC)
    assert story.slug.startswith("2025-11-26-") and story.slug != "2025-11-26-4"
    assert len(story.slug) == len("2025-11-26-") + 8


def test_story_key_puts_unlike_articles_together_under_the_key():
    museum = news("museum", *CORPUS["museum"], story_key="Halvik Week")
    rates = news("rates1-herald", *CORPUS["rates1-herald"], story_key="halvik-week")
    far = news("rates2-finance", *CORPUS["rates2-finance"], story_key="halvik week")
    undated = news("strike2-undated", *CORPUS["strike2-undated"], story_key="halvik-week")
    articles, stories = cluster.cluster_stories([museum, rates, far, undated], SETTINGS, UTC)
    assert len(stories) == 1
    assert stories[0].id == stories[0].slug == "halvik-week"
    assert {article.story for article in articles} == {"halvik-week"}
    assert articles[3].published == at("2025-03-04T13:00")  # the earliest read date: rates1-herald's
    assert articles[3].origin_of("published") == INFERRED


def test_story_key_false_keeps_an_article_alone():
    herald = news("strike1-herald", *CORPUS["strike1-herald"])
    copy = news("strike1-copy", *CORPUS["strike1-herald"], story_key="false")
    coastal = news("strike1-coastal", *CORPUS["strike1-coastal"])
    _, stories = cluster.cluster_stories([herald, copy, coastal], SETTINGS, UTC)
    assert grouping(stories) == [{"strike1-coastal", "strike1-herald"}, {"strike1-copy"}]


def test_undated_article_kept_alone_is_not_dated():
    alone = news("alone", *CORPUS["strike2-undated"][:1], None, *CORPUS["strike2-undated"][2:], story_key="False")
    articles, stories = cluster.cluster_stories(corpus("strike2-herald") + [alone], SETTINGS, UTC)
    assert articles[1].published is None
    assert len(stories) == 2


def test_two_story_keys_never_merge():
    first = news("strike1-herald", *CORPUS["strike1-herald"], story_key="strike-day-one")
    second = news("strike1-copy", *CORPUS["strike1-herald"], story_key="strike-day-two")
    joining = news("strike1-coastal", *CORPUS["strike1-coastal"])
    _, stories = cluster.cluster_stories([first, second, joining], SETTINGS, UTC)
    assert sorted(story.id for story in stories) == ["strike-day-one", "strike-day-two"]
    assert len(story_of(stories, "strike1-coastal").articles) == 2  # it joins one of them, not both


def test_same_stories_and_ids_whatever_the_input_order(clustered):
    articles, stories = clustered
    shuffled = corpus()
    random.Random(7).shuffle(shuffled)
    again_articles, again_stories = cluster.cluster_stories(shuffled, SETTINGS, UTC)
    assert again_stories == stories
    assert sorted(again_articles, key=lambda article: article.id) == sorted(articles, key=lambda article: article.id)


def test_story_texts_written_in_worker_processes_are_the_same(clustered, monkeypatch):
    monkeypatch.setattr(cluster, "FEWEST_FOR_WORKERS", 0)  # a pool even for a few stories
    monkeypatch.setattr(cluster, "STORIES_PER_TASK", 2)
    parent = os.getpid()
    real_story_text = cluster.story_text

    def only_in_workers(members, corpus):
        assert os.getpid() != parent, "a story text was written in the parent"
        return real_story_text(members, corpus)

    monkeypatch.setattr(cluster, "story_text", only_in_workers)
    assert cluster.cluster_stories(corpus(), SETTINGS, UTC, jobs=2) == clustered
    assert any(story.additions for story in clustered[1]) and any(len(story.articles) > 2 for story in clustered[1])


def test_articles_come_back_in_input_order(clustered):
    articles, _ = clustered
    assert [article.id for article in articles] == list(CORPUS)


def test_story_id_does_not_change_when_later_coverage_joins():
    _, before = cluster.cluster_stories(corpus("rates1-herald", "rates1-finance"), SETTINGS, UTC)
    _, after = cluster.cluster_stories(corpus("rates1-herald", "rates1-finance", "rates1-wire", "rates1-yearless",
                                              "budget-finance"), SETTINGS, UTC)
    assert len(before) == 1
    assert story_of(after, "rates1-wire").id == before[0].id
    assert before[0].id == "2025-03-04-norbank-raises-key-rate-to-4-5-as-inflation-stays-high"


def test_clashing_slugs_keep_the_earliest_plain():
    morning = news("b-morning", "Coastal Times", "2025-03-05T07:00", "Morning briefing", CORPUS["museum"][3])
    evening = news("a-evening", "Coastal Times", "2025-03-05T20:00", "Morning briefing", CORPUS["budget-finance"][3])
    _, stories = cluster.cluster_stories([evening, morning], SETTINGS, UTC)
    plain = "2025-03-05-morning-briefing"
    assert story_of(stories, "b-morning").id == plain
    assert story_of(stories, "a-evening").id.startswith(plain + "-")


def test_slug_date_is_the_local_day():
    late = news("museum", *CORPUS["museum"][:1], "2025-03-05T23:30", *CORPUS["museum"][2:])
    _, stories = cluster.cluster_stories([late], SETTINGS, ZoneInfo("Europe/Oslo"))
    assert stories[0].slug.startswith("2025-03-06-")


def test_title_is_the_member_title_most_like_the_others(clustered):
    _, stories = clustered
    assert story_of(stories, "strike1-wire").title == "Halvik dockworkers walk out over automated cranes"


def test_inferred_title_never_beats_a_read_one():
    provenance = (("title", INFERRED),)
    best = news("strike1-herald", *CORPUS["strike1-herald"], provenance=provenance)
    read = news("strike1-wire", *CORPUS["strike1-wire"], provenance=(("title", FRONT_MATTER),))
    _, stories = cluster.cluster_stories([best, read], SETTINGS, UTC)
    assert stories[0].title == "Halvik port strike enters second day, 40 ships stuck"


def test_summary_has_two_to_four_sentences_and_no_repeats(clustered):
    _, stories = clustered
    for story in stories:
        sentences = cluster.split_sentences(story.summary)
        assert 2 <= len(sentences) <= 4
        assert len(set(sentences)) == len(sentences)
    strike = story_of(stories, "strike1-herald").summary
    assert strike.count("We will not be replaced") <= 1


def test_summary_drops_a_sentence_two_outlets_share_word_for_word():
    wire = "Norbank raised its key interest rate by a quarter point to 4.5% on Tuesday, its third increase in a year."
    first = news("first", "Finance Daily", "2025-03-04T13:00", "Norbank raises rates",
                 (wire, *CORPUS["rates1-herald"][3][1:]))
    second = news("second", "Baltic Wire", "2025-03-04T14:00", "Norbank lifts rates",
                  (wire, *CORPUS["rates1-finance"][3]))
    _, stories = cluster.cluster_stories([first, second], SETTINGS, UTC)
    [story] = stories
    assert story.summary.count(wire) == 1
    assert len(cluster.split_sentences(story.summary)) == 3


def test_additions_hold_what_only_that_outlet_says(clustered):
    _, stories = clustered
    story = story_of(stories, "strike1-herald")
    assert [article_id for article_id, _ in story.additions] == ["strike1-herald", "strike1-coastal", "strike1-wire"]
    coastal = story.additions_of("strike1-coastal")
    assert "Fish exporters warned that perishable cargo could spoil if the strike was extended." in coastal
    assert "“We will not be replaced by cranes that answer to nobody,” he said." not in coastal
    wire = story.additions_of("strike1-wire")
    assert "Port officials estimated the stoppage was costing 12 million crowns a day." in wire
    # A quotation that more than one outlet carries is nobody's addition.
    quoting = [article_id for article_id, added in story.additions if any("answer to nobody" in s for s in added)]
    assert quoting == []
    assert all(len(added) <= cluster.MAX_ADDITIONS for _, added in story.additions)
    # A clipping that says nothing the other outlets do not adds nothing.
    assert story_of(stories, "rates1-yearless").additions_of("rates1-yearless") == ()
    assert story.additions_of("museum") == ()


def test_topics_are_the_members_topics_most_frequent_first():
    herald = news("strike1-herald", *CORPUS["strike1-herald"], topics=("Labour", "Shipping"))
    coastal = news("strike1-coastal", *CORPUS["strike1-coastal"], topics=("Shipping", "Fishing"))
    wire = news("strike1-wire", *CORPUS["strike1-wire"], topics=("Shipping", "Economy", "Labour"))
    _, [story] = cluster.cluster_stories([herald, coastal, wire], SETTINGS, UTC)
    assert story.topics == ("Shipping", "Labour", "Economy", "Fishing")


def test_stories_come_newest_first(clustered):
    _, stories = clustered
    dates = [story.published for story in stories if story.published]
    assert dates == sorted(dates, reverse=True)
    assert stories[-1].published is None  # undated stories last
    assert stories[0].articles[0].published >= stories[0].articles[-1].published


def test_sentences_do_not_split_after_abbreviations():
    text = "U.S. President Trump spoke with Xi on Nov. 24 and Mr. Brekke agreed. “Then he left!” She stayed."
    assert cluster.split_sentences(text) == [
        "U.S. President Trump spoke with Xi on Nov. 24 and Mr. Brekke agreed.", "“Then he left!”", "She stayed."]


def test_dates_named_in_text_become_features():
    assert cluster.named_dates("on Nov. 24, in April 2026; 3 March 2025 and November 24th, 2025. May said") == [
        "@11-24", "@2026-04", "@03-03", "@2025-03", "@11-24", "@2025-11"]


def test_no_articles_no_stories():
    assert cluster.cluster_stories([], SETTINGS, UTC) == ([], [])


# --- The seed clippings: three reports of the Nov. 24, 2025 Trump-Xi call and two other calls. ---

SEED_DATES = {"000": datetime(2025, 11, 24, 23, 3, 34, tzinfo=UTC), "001": datetime(2025, 11, 24, 7, 5, tzinfo=UTC),
              "002": None, "003": datetime(2026, 2, 4, 12, tzinfo=UTC), "004": datetime(2025, 1, 17, 12, tzinfo=UTC)}


def read_seed(number: str) -> Article:
    """Return a seed clipping: non-empty lines are paragraphs; the first is the title, or 000's front matter's."""
    [path] = SEEDS.glob(f"{number}_*.txt")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    title = ""
    if lines[0] == "---":
        end = lines.index("---", 1)
        title = next(line for line in lines[1:end] if line.startswith("title:")).split(":", 1)[1].strip().strip('"')
        lines = lines[end + 1:]
    paragraphs = [line for line in lines if line]
    if not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return make_article(id=number, origin=path.name, title=title, paragraphs=tuple(paragraphs),
                        body="\n\n".join(paragraphs), published=SEED_DATES[number],
                        partial_date=(11, 24) if number == "002" else None, source=f"seed {number}")


def test_seed_clippings_make_three_stories():
    seeds = [read_seed(number) for number in SEED_DATES]
    articles, stories = cluster.cluster_stories(seeds, SETTINGS, UTC)
    assert grouping(stories) == [{"000", "001", "002"}, {"003"}, {"004"}]
    call = story_of(stories, "000")
    assert call.id == "2025-11-24-trump-touts-very-good-call-with-xi-as-u-s-china-ties"
    assert articles[2].published.year == 2025
    assert (articles[2].published.month, articles[2].published.day) == (11, 24)
    assert articles[2].inferred == ("published",)
    assert [story.id for story in stories] == [story_of(stories, "003").id, call.id, story_of(stories, "004").id]
    assert not call.date_inferred


def test_seed_clippings_without_any_date_stay_alone():
    # 003 and 004 are other calls on the same subject: with no date, words alike are not enough.
    seeds = [read_seed(number) for number in SEED_DATES]
    seeds[3:] = [dataclasses.replace(seed, published=None) for seed in seeds[3:]]
    articles, stories = cluster.cluster_stories(seeds, SETTINGS, UTC)
    assert grouping(stories) == [{"000", "001", "002"}, {"003"}, {"004"}]
    assert [article.published for article in articles[3:]] == [None, None]
    assert articles[2].published.date() == datetime(2025, 11, 24).date()


def test_seed_story_summary_and_additions_are_extracts():
    seeds = [read_seed(number) for number in SEED_DATES]
    _, stories = cluster.cluster_stories(seeds, SETTINGS, UTC)
    call = story_of(stories, "000")
    text = {article.id: " ".join(article.paragraphs) for article in call.articles}
    sentences = cluster.split_sentences(call.summary)
    assert 2 <= len(sentences) <= 4
    assert all(any(sentence in body for body in text.values()) for sentence in sentences)
    for article_id, added in call.additions:
        assert all(sentence in text[article_id] for sentence in added)
    assert "The US decided to cut a 20% tariff in half aimed at decreasing the flow of fentanyl." in \
        call.additions_of("000")
    assert any("Tommy Pigott" in sentence for sentence in call.additions_of("002"))
    assert all(len(added) <= cluster.MAX_ADDITIONS for _, added in call.additions)


def test_a_hype_label_headline_is_the_last_choice_for_a_story():
    text = ("Dockworkers walked out on Monday over plans to automate cranes at the port.",)
    plain = news("hype-plain", "Herald", "2025-05-05T09:00", "Port workers strike over automation plans", text)
    hyped = news("hype-hyped", "Wire", "2025-05-05T08:00",
                 "BREAKING: Port workers strike over automation plans at the port", text)
    _, [story] = cluster.cluster_stories([hyped, plain], SETTINGS, UTC)
    assert story.title == "Port workers strike over automation plans"


def test_every_member_carries_its_storys_id(clustered):
    articles, stories = clustered
    assert sum(len(story.articles) for story in stories) == len(articles)
    for story in stories:
        assert {article.story for article in story.articles} == {story.id}
        assert story.url_path == f"stories/{story.slug}/"


# --- Features made once per article -----------------------------------------------------------


def all_articles() -> list[Article]:
    return corpus() + [read_seed(number) for number in SEED_DATES]


def test_stories_are_the_same_with_features_made_beforehand():
    articles = all_articles()
    features = [cluster.article_features(article) for article in articles]
    assert cluster.cluster_stories(articles, SETTINGS, UTC, features=features) == \
        cluster.cluster_stories(articles, SETTINGS, UTC)


def test_features_may_be_given_for_some_articles_only():
    articles = all_articles()
    features = [cluster.article_features(article) if number % 2 else None for number, article in enumerate(articles)]
    assert cluster.cluster_stories(articles, SETTINGS, UTC, features=features) == \
        cluster.cluster_stories(articles, SETTINGS, UTC)


def test_features_follow_the_articles_whatever_their_order():
    articles = all_articles()
    shuffled = articles[:]
    random.Random(11).shuffle(shuffled)
    _, stories = cluster.cluster_stories(articles, SETTINGS, UTC)
    _, again = cluster.cluster_stories(shuffled, SETTINGS, UTC,
                                       features=[cluster.article_features(article) for article in shuffled])
    assert again == stories


def test_features_for_another_number_of_articles_are_refused():
    articles = corpus("museum", "strike1-herald")
    with pytest.raises(ValueError, match="1 features for 2 articles"):
        cluster.cluster_stories(articles, SETTINGS, UTC, features=[cluster.article_features(articles[0])])


def test_article_features_survive_a_pickle_round_trip():
    for article in all_articles():
        features = cluster.article_features(article)
        assert pickle.loads(pickle.dumps(features)) == features


def test_article_features_depend_on_the_article_alone():
    article = news("museum", *CORPUS["museum"])
    before = cluster.article_features(article)
    cluster.cluster_stories(corpus(), SETTINGS, UTC)  # warms the stem cache with other articles
    assert cluster.article_features(article) == before
    assert cluster.article_features(dataclasses.replace(article, title="Museum closes")) != before


def test_article_features_count_what_text_features_finds():
    # The features are counted from the sentences' words when no "5 percent" asks for the whole text.
    percent = news("percent", "Finance Daily", "2025-03-04T13:00", "Rates up 5 percent",
                   ("Prices rose 5 percent in March.", "Wages rose 3 per cent, the bank said on March 4."))
    for article in all_articles() + [percent]:
        title = [article.title] * cluster.TITLE_WEIGHT if article.title else []
        expected = Counter(cluster.text_features("\n".join(title + list(cluster.article_paragraphs(article)))))
        features = cluster.article_features(article)
        terms = features.terms.split("\n")[:len(features.counts)]
        assert dict(zip(terms, features.counts)) == expected
        assert terms == list(expected)  # in order of first use: feature ids follow it


def test_article_features_know_each_sentence_and_its_words():
    article = news("museum", *CORPUS["museum"])
    features = cluster.article_features(article)
    terms = features.terms.split("\n")
    sentences = [sentence for paragraph in article.paragraphs for sentence in cluster.split_sentences(paragraph)]
    assert len(features.sentence_ends) == len(features.kinds) == len(features.scales) == len(sentences)
    start = 0
    for position, (sentence, end) in enumerate(zip(sentences, features.sentence_ends)):
        paragraph, first, last = features.spans[3 * position:3 * position + 3]
        assert article.paragraphs[paragraph][first:last] == sentence
        words = [terms[features.words[word]] for word in features.sentence_words[start:end]]
        assert words == list(dict.fromkeys(cluster.content_stems(sentence) + [
            "#" + number.replace(",", "") for number in cluster.NUMBER.findall(sentence)]))
        start = end
    assert terms[features.words[features.sentence_words[0]]] == "halvik"


def test_article_features_read_words_beyond_ascii():
    # Letters beyond ASCII need the general word pattern, and "İ" lowers to two characters.
    for title, paragraphs in (
            ("Traders in Zürich", ("Café owners in Zürich said Łódź buyers paid 1,200 francs.", "Mr. Nagy agreed. Rose.")),
            ("Traders in İzmir and Zürich", ("İstanbul traders said the İzmir port reopened on Nov. 24.",
                                             "Ships İN QUEUE waited in Zürich. Then 40 left."))):
        article = news("beyond-ascii", "Wire", "2025-11-25T09:00", title, paragraphs)
        features = cluster.article_features(article)
        terms = features.terms.split("\n")
        expected = Counter(cluster.text_features("\n".join([title] * cluster.TITLE_WEIGHT + list(paragraphs))))
        assert dict(zip(terms, features.counts)) == expected
        assert "zürich" in expected
        sentences = [sentence for paragraph in paragraphs for sentence in cluster.split_sentences(paragraph)]
        start = 0
        for sentence, end in zip(sentences, features.sentence_ends, strict=True):
            words = [terms[features.words[word]] for word in features.sentence_words[start:end]]
            assert words == list(dict.fromkeys(cluster.content_stems(sentence) + [
                "#" + number.replace(",", "") for number in cluster.NUMBER.findall(sentence)]))
            start = end


def test_article_features_are_compact():
    features = cluster.article_features(read_seed("000"))
    assert {type(getattr(features, field.name)) for field in dataclasses.fields(features)} <= {str, bytes, array}


def test_sentence_spans_leave_out_the_white_space_around_sentences():
    paragraph = "  First one.   Second one!  \n Third "
    assert [paragraph[start:end] for start, end in cluster.sentence_spans(paragraph)] == [
        "First one.", "Second one!", "Third"]
    assert cluster.sentence_spans("   ") == []
