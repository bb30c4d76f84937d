"""Topics: front-matter labels, topic-map detection, names recurring across stories, the cap, readings,
the topic index and story topics."""

from __future__ import annotations

import dataclasses
import itertools
import pickle
import random
from datetime import datetime, timezone

import pytest

from generator import topics
from generator.model import DEFAULT, FRONT_MATTER, INFERRED
from conftest import make_article

TRADE_ONLY = (("Trade", ("tariff", "trade war", "export controls")),)


ARTICLE_NUMBERS = itertools.count()


def article_of(title: str, *paragraphs: str, summary: str = "", **overrides):
    """Return an article whose text is exactly `title`, `summary` and `paragraphs`; it has an id of
    its own and no story, so it is a story of its own unless `story` is given."""
    overrides.setdefault("id", f"article-{next(ARTICLE_NUMBERS)}")
    return make_article(title=title, summary=summary, paragraphs=paragraphs, body="\n\n".join(paragraphs),
                        **overrides)


def with_map(config, topic_map):
    return dataclasses.replace(config, topics=topic_map)


def topics_of(articles, config):
    return [article.topics for article in topics.assign_topics(articles, config)]


# ---- names and slugs ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("tariffs", "Tariffs"),
    ("  #rare   earths ", "Rare earths"),
    ("TARIFFS", "TARIFFS"),
    ("Xi's", "Xi"),
    ("U.S.", "US"),
    ("President Xi Jinping", "Xi Jinping"),
    ("Prime Minister Sanae Takaichi", "Sanae Takaichi"),
    ("Trade War", "Trade War"),
    ("President", "President"),
])
def test_normalize_topic_tidies_a_name_for_display(name, expected):
    assert topics.normalize_topic(name) == expected


def test_topic_slug_folds_case_plural_and_possessive():
    assert {topics.topic_slug(name) for name in ("tariff", "Tariffs", "TARIFFS", "tariff's")} == {"tariff"}
    assert topics.topic_slug("U.S.") == topics.topic_slug("US") == "us"
    assert topics.topic_slug("Rare Earths") == "rare-earth"
    assert topics.topic_slug("Taxes") == "tax"


def test_topic_slug_keeps_words_that_only_look_plural():
    names = ("News", "United States", "Paris", "Texas", "Companies", "Gas")
    assert [topics.topic_slug(name) for name in names] == [
        "news", "united-states", "paris", "texas", "companies", "gas"]


def test_topic_slug_of_a_name_without_latin_letters_is_stable_and_not_empty():
    assert topics.topic_slug("東京") == topics.topic_slug("東京")
    assert topics.topic_slug("東京").startswith("topic-")
    assert topics.topic_slug("東京") != topics.topic_slug("大阪")
    assert topics.topic_slug("Zürich") == "zurich"


# ---- the topic map ------------------------------------------------------------------------------

def test_map_phrases_match_plurals_possessives_and_any_case(config):
    config = with_map(config, (("Trade", ("tariff",)), ("China", ("china",))))
    article = article_of("Markets wait", "TARIFFS went up.", "The tariff's reach grew.", "China's exports fell.",
                         "Talks in china stalled.")
    assert topics_of([article], config) == [("Trade", "China")]


def test_a_single_passing_mention_in_the_body_is_not_a_topic(config):
    config = with_map(config, TRADE_ONLY)
    once = article_of("Markets wait", "Stocks rose.", "A tariff was mentioned.")
    twice = article_of("Markets wait", "Stocks rose on tariffs.", "A tariff was mentioned.")
    assert topics_of([once, twice], config) == [(), ("Trade",)]


def test_one_mention_in_the_title_or_summary_is_enough(config):
    config = with_map(config, TRADE_ONLY)
    in_title = article_of("New tariffs loom", "Stocks rose.")
    in_summary = article_of("Markets wait", "Stocks rose.", summary="Export controls were eased.")
    assert topics_of([in_title, in_summary], config) == [("Trade",), ("Trade",)]


def test_map_phrases_match_whole_words_only(config):
    config = with_map(config, (("Energy", ("oil", "gas")),))
    article = article_of("Farm report", "Turmoil in the soil.", "Turmoil again, and Vegas gasped.")
    assert topics_of([article], config) == [()]


def test_a_phrase_of_two_words_matches_across_a_hyphen_or_line_break(config):
    config = with_map(config, (("Trade war", ("trade war",)), ("Trade", ("trade",))))
    article = article_of("Markets wait", "The trade-war deepened.", "Another trade\nwar loomed.")
    assert topics_of([article], config) == [("Trade war",)]


def test_map_topics_are_ordered_by_strength_then_map_order(config):
    config = with_map(config, (("Energy", ("oil",)), ("Trade", ("tariff",)), ("Taiwan", ("taiwan",))))
    article = article_of("Tariffs rise", "Oil and tariffs.", "More oil, more tariffs.", "Taiwan and oil.",
                         "Taiwan again.")
    # Trade: title 3 + body 2; Energy: body 3; Taiwan: body 2
    assert topics_of([article], config) == [("Trade", "Energy", "Taiwan")]


# ---- front matter -------------------------------------------------------------------------------

def test_tags_and_categories_come_first_normalised_and_deduplicated(config):
    config = with_map(config, TRADE_ONLY)
    article = article_of("New tariffs loom", "Stocks rose.", tags=("  #steel ", "Steel", "uncategorized"),
                         categories=("world news",))
    assert topics_of([article], config) == [("Steel", "World news", "Trade")]


def test_tariff_spellings_become_one_topic_with_one_name(config):
    config = with_map(config, ())
    articles = [article_of("One", "Text.", tags=("tariff",)), article_of("Two", "Text.", tags=("Tariffs",)),
                article_of("Three", "Text.", tags=("TARIFFS",))]
    assert topics_of(articles, config) == [("Tariffs",), ("Tariffs",), ("Tariffs",)]


def test_the_most_common_spelling_of_a_label_names_the_topic(config):
    config = with_map(config, ())
    articles = [article_of("One", "Text.", tags=("rare earth",)), article_of("Two", "Text.", tags=("rare earth",)),
                article_of("Three", "Text.", tags=("Rare Earths",))]
    assert topics_of(articles, config) == [("Rare earth",)] * 3


def test_a_label_named_like_a_map_topic_takes_the_map_name(config):
    config = with_map(config, TRADE_ONLY)
    article = article_of("New tariffs loom", "Stocks rose.", tags=("TRADE",))
    assert topics_of([article], config) == [("Trade",)]


# ---- recurring names ----------------------------------------------------------------------------

def test_names_in_two_stories_are_topics_and_names_in_one_are_not(config):
    config = with_map(config, ())
    articles = [
        article_of("Tokyo reacts", "Prime Minister Sanae Takaichi spoke to reporters.",
                   "Her spokesman Minoru Kihara declined to comment."),
        article_of("Beijing protests", "China summoned an envoy after remarks by Sanae Takaichi on defence."),
        article_of("Markets", "Stocks fell in Tokyo."),
    ]
    assert topics_of(articles, config) == [("Sanae Takaichi",), ("Sanae Takaichi",), ()]


def test_single_proper_nouns_that_recur_are_topics(config):
    config = with_map(config, ())
    articles = [article_of("Summit", "The leaders met in Busan on a rainy day to discuss TikTok."),
                article_of("Talks", "After the meeting in Busan, officials turned to TikTok and to farming.")]
    assert topics_of(articles, config) == [("Busan", "TikTok")] * 2


def test_sentence_openers_dates_and_titles_are_not_topics(config):
    config = with_map(config, ())
    text = ("Earlier on Monday in November, U.S. President Donald Trump spoke. "
            "The call was long. Officials said it went well. However, little changed in March.")
    articles = [article_of(f"Call {number}", text) for number in range(3)]
    assert topics_of(articles, config) == [("Donald Trump", "US")] * 3


def test_nationality_adjectives_are_not_topics(config):
    config = with_map(config, ())
    articles = [article_of("One", "It hit Chinese goods and Japanese cars in Osaka."),
                article_of("Two", "Chinese buyers and Japanese sellers met in Osaka.")]
    assert topics_of(articles, config) == [("Osaka",), ("Osaka",)]


def test_a_surname_or_family_name_joins_the_titled_full_name(config):
    config = with_map(config, ())
    articles = [article_of("Call", "Chinese President Xi Jinping called President Donald Trump."),
                article_of("Reply", "Xi said the talks went well, and Trump agreed with Xi."),
                article_of("More", "Trump spoke to Xi Jinping again.")]
    assert topics_of(articles, config) == [("Donald Trump", "Xi Jinping"), ("Xi Jinping", "Donald Trump"),
                                           ("Donald Trump", "Xi Jinping")]


def test_a_title_and_the_words_before_it_are_split_from_the_names_around_it(config):
    config = with_map(config, ())
    articles = [article_of("Briefing", "A statement by White House Press Secretary Karoline Leavitt followed."),
                article_of("Briefing", "Reporters at the White House questioned Karoline Leavitt.")]
    assert topics_of(articles, config) == [("Karoline Leavitt", "White House")] * 2


def test_a_lower_case_suffix_ends_a_name(config):
    config = with_map(config, ())
    articles = [article_of("Ban", "The app from China-based ByteDance faces a ban in the US-China dispute."),
                article_of("Ban", "Regulators in China questioned ByteDance about the US-China dispute.")]
    assert topics_of(articles, config) == [("ByteDance", "China", "US-China")] * 2


def test_a_name_in_two_articles_of_one_story_is_not_a_topic(config):
    config = with_map(config, ())
    articles = [article_of("Summit", "The leaders met in Busan.", story="busan-summit"),
                article_of("Talks", "Officials stayed in Busan.", story="busan-summit"),
                article_of("Markets", "Stocks fell in Tokyo.")]
    assert topics_of(articles, config) == [(), (), ()]


def test_a_name_in_two_stories_is_a_topic_in_every_article_that_mentions_it(config):
    config = with_map(config, ())
    articles = [article_of("Summit", "The leaders met in Busan.", story="busan-summit"),
                article_of("Talks", "Officials stayed in Busan.", story="busan-summit"),
                article_of("Ferry", "A ferry left Busan late.", story="ferry-delay")]
    assert topics_of(articles, config) == [("Busan",)] * 3


def test_an_article_without_a_story_is_a_story_of_its_own(config):
    config = with_map(config, ())
    articles = [article_of("Summit", "The leaders met in Busan.", story="busan-summit"),
                article_of("Ferry", "A ferry left Busan late.", story="")]
    assert topics_of(articles, config) == [("Busan",)] * 2


def test_labels_and_map_topics_need_no_second_story(config):
    config = with_map(config, TRADE_ONLY)
    articles = [article_of("New tariffs", "Officials met in Busan.", tags=("Steel",), story="one"),
                article_of("Tariffs again", "Officials stayed in Busan.", story="one")]
    assert topics_of(articles, config) == [("Steel", "Trade"), ("Trade",)]


def test_names_in_most_stories_of_a_big_corpus_are_not_topics(config):
    config = with_map(config, ())
    articles = [article_of(f"Day {number}", f"Reporters asked Trump about item {number}.") for number in range(9)]
    articles += [article_of(f"Round {number}", f"Reporters saw Trump fly to Busan for round {number}.")
                 for number in range(3)]
    assert [article.topics for article in topics.assign_topics(articles, config)] == [()] * 9 + [("Busan",)] * 3


def test_the_share_of_a_name_counts_stories_not_articles(config):
    config = with_map(config, ())
    # Osaka is in 9 of 17 articles but in 2 of 10 stories; Trump in 6 of 17 articles but 6 of 10 stories
    articles = [article_of(f"Expo {number}", f"Crowds filled Osaka on day {number}.", story="expo")
                for number in range(8)]
    articles += [article_of("Castle", "A castle in Osaka reopened.")]
    articles += [article_of(f"Day {number}", f"Reporters asked Trump about item {number}.") for number in range(6)]
    articles += [article_of(f"Weather {number}", f"Rain fell on day {number}.") for number in range(2)]
    assert topics_of(articles, config) == [("Osaka",)] * 9 + [()] * 8


def test_a_recurring_name_in_a_title_counts_for_that_article(config):
    config = with_map(config, ())
    articles = [article_of("Busan Summit Ends Early", "The leaders left."),
                article_of("Summit", "They met in Busan."), article_of("Talks", "Officials stayed in Busan.")]
    assert topics_of(articles, config) == [("Busan",)] * 3


def test_a_title_case_headline_paragraph_does_not_invent_names(config):
    config = with_map(config, ())
    headline = "Markets Cheer Strong Harvest Numbers"
    articles = [article_of("One", headline, "Stocks rose."), article_of("Two", headline, "Stocks fell.")]
    assert topics_of(articles, config) == [(), ()]


def test_a_title_case_headline_paragraph_still_names_known_names(config):
    config = with_map(config, ())
    articles = [article_of("One", "Leaders Meet In Busan For Talks", "Stocks rose."),
                article_of("Two", "They met in Busan."), article_of("Three", "Talks ended in Busan.")]
    assert topics_of(articles, config) == [("Busan",)] * 3


def test_article_without_paragraphs_is_read_from_its_body(config):
    config = with_map(config, TRADE_ONLY)
    article = make_article(title="Markets", summary="", paragraphs=(), body="Tariffs rose.\n\nTariffs fell.")
    assert topics_of([article], config) == [("Trade",)]


# ---- order, cap and provenance ------------------------------------------------------------------

def test_topics_come_as_labels_then_map_topics_then_names(config):
    config = with_map(config, TRADE_ONLY)
    articles = [article_of("Tariffs in Busan", "Officials met in Busan.", tags=("Asia",)),
                article_of("Talks", "They met in Busan.")]
    assert topics_of(articles, config)[0] == ("Asia", "Trade", "Busan")


def test_topics_do_not_depend_on_the_order_of_the_articles(config):
    articles = [article_of(f"Report {number}", f"Officials in Busan and Osaka discussed tariffs and oil {number}.",
                           f"Sanae Takaichi met Xi Jinping and spoke about TikTok, tariffs and oil in round {number}.",
                           id=f"id{number}")
                for number in range(6)]
    shuffled = articles[:]
    random.Random(7).shuffle(shuffled)
    first = {article.id: article.topics for article in topics.assign_topics(articles, config)}
    second = {article.id: article.topics for article in topics.assign_topics(shuffled, config)}
    assert first == second
    # Trade and Energy tie (two mentions each) and keep the map's order; TikTok, one mention
    # of Technology, is not enough for the map topic but is a recurring name
    assert first["id0"] == ("Trade", "Energy", "Busan", "Osaka", "Sanae Takaichi", "TikTok", "Xi Jinping")


def test_no_article_gets_more_than_eight_topics(config):
    config = with_map(config, ())
    many_tags = article_of("Tags", "Text.", tags=tuple(f"tag {letter}" for letter in "abcdefghij"))
    assert topics_of([many_tags], config) == [tuple(f"Tag {letter}" for letter in "abcdefgh")]


def test_map_topics_and_names_share_the_room_left_by_labels(config):
    topic_map = tuple((f"Topic {number}", (f"word{number}",)) for number in range(8))
    config = with_map(config, topic_map)
    text = " ".join(f"word{number} word{number}" for number in range(8))
    names = "Alpha Centauri, Bravo Station, Charlie Point, Delta Base, Echo Ridge and Foxtrot Bay"
    articles = [article_of("One", text, f"They visited {names}.", tags=("Label",)),
                article_of("Two", f"They visited {names} again.")]
    first = topics.assign_topics(articles, config)[0].topics
    assert first == ("Label", "Topic 0", "Topic 1", "Topic 2", "Topic 3", "Alpha Centauri", "Bravo Station",
                     "Charlie Point")


def test_provenance_records_whether_topics_were_inferred(config):
    config = with_map(config, TRADE_ONLY)
    labelled, detected, bare = topics.assign_topics([
        article_of("Markets", "Stocks rose.", tags=("Steel",)),
        article_of("New tariffs", "Stocks rose.", tags=("Steel",)),
        article_of("Markets", "Stocks rose."),
    ], config)
    assert labelled.origin_of("topics") == FRONT_MATTER
    assert detected.origin_of("topics") == INFERRED
    assert bare.origin_of("topics") == DEFAULT and bare.topics == ()


def test_assign_topics_of_no_articles_is_empty(config):
    assert topics.assign_topics([], config) == []


# ---- readings, read once per file ---------------------------------------------------------------

def test_readings_given_give_the_topics_read_here(config):
    articles = [article_of(title, *paragraphs, summary=paragraphs[0], story="calls" if number < 2 else "")
                for number, (title, *paragraphs) in enumerate(SEED_STORIES)]
    topic_map = topics.compile_topic_map(config.topics)
    readings = [topics.read_article_text(article, topic_map) for article in articles]
    assert topics.assign_topics(articles, config, readings) == topics.assign_topics(articles, config)


@pytest.mark.parametrize("jobs", [1, 2])
def test_names_found_while_stories_are_grouped_give_the_same_topics(config, monkeypatch, jobs):
    monkeypatch.setattr(topics, "FEWEST_FOR_WORKER", 1)  # a worker even for a few readings, when jobs allow
    articles = [article_of(title, *paragraphs, summary=paragraphs[0], story="calls" if number < 2 else "")
                for number, (title, *paragraphs) in enumerate(SEED_STORIES)]
    topic_map = topics.compile_topic_map(config.topics)
    readings = [topics.read_article_text(article, topic_map) for article in articles]
    with topics.names_found(readings, config, jobs) as names:
        found = names()
    assert found == topics.find_names(readings, set(topics.map_topics(config)[1]))
    assert any(found.strengths) and found.forms  # the seeds do name people and places
    assert topics.assign_topics(articles, config, readings, names=found) == topics.assign_topics(articles, config)


def test_a_reading_is_frozen_and_survives_pickling(config):
    title, *paragraphs = SEED_STORIES[0]
    reading = topics.read_article_text(article_of(title, *paragraphs, tags=("Asia",)),
                                       topics.compile_topic_map(config.topics))
    assert pickle.loads(pickle.dumps(reading)) == reading
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.names = ""


def test_a_reading_depends_only_on_the_article_text_not_on_its_story_or_id(config):
    topic_map = topics.compile_topic_map(config.topics)
    alone = article_of("Summit", "The leaders met in Busan.", id="one")
    grouped = article_of("Summit", "The leaders met in Busan.", id="two", story="busan-summit")
    assert topics.read_article_text(alone, topic_map) == topics.read_article_text(grouped, topic_map)


def test_readings_must_match_the_articles_one_to_one(config):
    article = article_of("Summit", "The leaders met in Busan.")
    with pytest.raises(ValueError, match="0 readings for 1 articles"):
        topics.assign_topics([article], config, readings=[])


# ---- story topics -------------------------------------------------------------------------------

def test_story_topics_put_the_most_frequent_first_then_by_name():
    members = [make_article(id="a", topics=("Trade", "Taiwan", "Trade")),
               make_article(id="b", topics=("Trade", "Busan")),
               make_article(id="c", topics=("taiwan",)), make_article(id="d", topics=("Taiwan",))]
    # an article counts a topic once; names that tie sort without regard to case
    assert topics.story_topics(members) == ("Taiwan", "Trade", "Busan", "taiwan")


def test_story_topics_of_members_without_topics_are_empty():
    assert topics.story_topics([make_article(id="a"), make_article(id="b")]) == ()


# Excerpts of the seed clippings (Trump-Xi calls), as the clean stage leaves them.
SEED_STORIES = [
    ("Trump says he will visit China in April after call with Xi",
     "President Donald Trump has said he agreed to visit Beijing in April and invited Chinese President "
     "Xi Jinping for a state visit later next year, following a phone call between the two leaders.",
     "Trump and Xi - who met nearly a month ago in South Korea - discussed a range of issues including trade, "
     "Russia's invasion of Ukraine, fentanyl and Taiwan, according to the president and China's foreign ministry.",
     "The leaders met in Busan, South Korea in October, after which they agreed to a truce on tariffs.",
     "Earlier this month, Japanese Prime Minister Sanae Takaichi said any Chinese attack on Taiwan could "
     "force a Japanese military response."),
    ("Trump touts “very good” call with Xi as U.S.-China ties stabilize after Busan summit",
     "U.S. President Donald Trump said he held a “very good” phone call with Chinese President Xi Jinping on "
     "Monday, describing the conversation as a continuation of their meeting in South Korea.",
     "In Busan, Trump and Xi reached a trade truce that included U.S. tariff reductions on Chinese imports "
     "and China’s pledge to resume large-scale soybean purchases.",
     "Taiwan also featured prominently in the call, with Xi describing reunification as a long-term priority."),
    ("Trump and Xi discuss Taiwan and Ukraine by phone",
     "U.S. President Donald Trump spoke with Chinese leader Xi Jinping by phone on Nov. 24, two months after "
     "their meeting in the South Korean city of Busan.",
     "The Trump–Xi phone call came as the CCP dialed up economic and diplomatic pressure on Japan, following "
     "Japanese Prime Minister Sanae Takaichi’s recent comments on the Taiwan Strait."),
]


def test_seed_clippings_get_their_people_places_and_subjects(config):
    articles = [article_of(title, *paragraphs, summary=paragraphs[0]) for title, *paragraphs in SEED_STORIES]
    # no "Xi", "Trump", "President", "Chinese", "Nov" or "Japanese Prime Minister"; one soybean
    # mention in the body is not Agriculture; Busan and Sanae Takaichi lose out to the cap
    assert topics_of(articles, config) == [
        ("Diplomacy", "Trade", "Taiwan", "Japan", "Donald Trump", "Xi Jinping", "China", "South Korea"),
        ("Diplomacy", "Trade", "Xi Jinping", "Donald Trump", "Busan", "US", "South Korea", "China"),
        ("Taiwan", "Ukraine", "Diplomacy", "Japan", "Donald Trump", "Xi Jinping", "Busan", "US"),
    ]


# ---- the topic index ----------------------------------------------------------------------------

def test_topic_index_counts_articles_biggest_topic_first_newest_first():
    def dated(day, *names):
        return make_article(id=f"d{day}", topics=names, published=datetime(2025, 11, day, tzinfo=timezone.utc))

    old, new, undated = dated(1, "Trade", "Busan"), dated(3, "Trade", "Taiwan"), make_article(
        id="u", topics=("Trade", "Busan"), published=None)
    assert topics.topic_index([old, undated, new]) == [
        ("trade", "Trade", (new, old, undated)),
        ("busan", "Busan", (old, undated)),
        ("taiwan", "Taiwan", (new,)),
    ]


def test_topic_index_joins_spellings_of_one_topic():
    articles = [make_article(id="a", topics=("Tariffs",)), make_article(id="b", topics=("Tariffs",)),
                make_article(id="c", topics=("tariff", "Tariffs"))]
    assert [(slug, name, len(members)) for slug, name, members in topics.topic_index(articles)] == [
        ("tariff", "Tariffs", 3)]
