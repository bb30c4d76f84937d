"""Topics: front-matter labels, topic-map detection, recurring names, the cap and the topic index."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timezone

import pytest

from generator import topics
from generator.model import DEFAULT, FRONT_MATTER, INFERRED
from conftest import make_article

TRADE_ONLY = (("Trade", ("tariff", "trade war", "export controls")),)


def story(title: str, *paragraphs: str, summary: str = "", **overrides):
    """Return an article whose text is exactly `title`, `summary` and `paragraphs`."""
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
    article = story("Markets wait", "TARIFFS went up.", "The tariff's reach grew.", "China's exports fell.",
                    "Talks in china stalled.")
    assert topics_of([article], config) == [("Trade", "China")]


def test_a_single_passing_mention_in_the_body_is_not_a_topic(config):
    config = with_map(config, TRADE_ONLY)
    once = story("Markets wait", "Stocks rose.", "A tariff was mentioned.")
    twice = story("Markets wait", "Stocks rose on tariffs.", "A tariff was mentioned.")
    assert topics_of([once, twice], config) == [(), ("Trade",)]


def test_one_mention_in_the_title_or_summary_is_enough(config):
    config = with_map(config, TRADE_ONLY)
    in_title = story("New tariffs loom", "Stocks rose.")
    in_summary = story("Markets wait", "Stocks rose.", summary="Export controls were eased.")
    assert topics_of([in_title, in_summary], config) == [("Trade",), ("Trade",)]


def test_map_phrases_match_whole_words_only(config):
    config = with_map(config, (("Energy", ("oil", "gas")),))
    article = story("Farm report", "Turmoil in the soil.", "Turmoil again, and Vegas gasped.")
    assert topics_of([article], config) == [()]


def test_a_phrase_of_two_words_matches_across_a_hyphen_or_line_break(config):
    config = with_map(config, (("Trade war", ("trade war",)), ("Trade", ("trade",))))
    article = story("Markets wait", "The trade-war deepened.", "Another trade\nwar loomed.")
    assert topics_of([article], config) == [("Trade war",)]


def test_map_topics_are_ordered_by_strength_then_map_order(config):
    config = with_map(config, (("Energy", ("oil",)), ("Trade", ("tariff",)), ("Taiwan", ("taiwan",))))
    article = story("Tariffs rise", "Oil and tariffs.", "More oil, more tariffs.", "Taiwan and oil.",
                    "Taiwan again.")
    # Trade: title 3 + body 2; Energy: body 3; Taiwan: body 2
    assert topics_of([article], config) == [("Trade", "Energy", "Taiwan")]


# ---- front matter -------------------------------------------------------------------------------

def test_tags_and_categories_come_first_normalised_and_deduplicated(config):
    config = with_map(config, TRADE_ONLY)
    article = story("New tariffs loom", "Stocks rose.", tags=("  #steel ", "Steel", "uncategorized"),
                    categories=("world news",))
    assert topics_of([article], config) == [("Steel", "World news", "Trade")]


def test_tariff_spellings_become_one_topic_with_one_name(config):
    config = with_map(config, ())
    articles = [story("One", "Text.", tags=("tariff",)), story("Two", "Text.", tags=("Tariffs",)),
                story("Three", "Text.", tags=("TARIFFS",))]
    assert topics_of(articles, config) == [("Tariffs",), ("Tariffs",), ("Tariffs",)]


def test_the_most_common_spelling_of_a_label_names_the_topic(config):
    config = with_map(config, ())
    articles = [story("One", "Text.", tags=("rare earth",)), story("Two", "Text.", tags=("rare earth",)),
                story("Three", "Text.", tags=("Rare Earths",))]
    assert topics_of(articles, config) == [("Rare earth",)] * 3


def test_a_label_named_like_a_map_topic_takes_the_map_name(config):
    config = with_map(config, TRADE_ONLY)
    article = story("New tariffs loom", "Stocks rose.", tags=("TRADE",))
    assert topics_of([article], config) == [("Trade",)]


# ---- recurring names ----------------------------------------------------------------------------

def test_names_in_two_articles_are_topics_and_names_in_one_are_not(config):
    config = with_map(config, ())
    articles = [
        story("Tokyo reacts", "Prime Minister Sanae Takaichi spoke to reporters.",
              "Her spokesman Minoru Kihara declined to comment."),
        story("Beijing protests", "China summoned an envoy after remarks by Sanae Takaichi on defence."),
        story("Markets", "Stocks fell in Tokyo."),
    ]
    assert topics_of(articles, config) == [("Sanae Takaichi",), ("Sanae Takaichi",), ()]


def test_single_proper_nouns_that_recur_are_topics(config):
    config = with_map(config, ())
    articles = [story("Summit", "The leaders met in Busan on a rainy day to discuss TikTok."),
                story("Talks", "After the meeting in Busan, officials turned to TikTok and to farming.")]
    assert topics_of(articles, config) == [("Busan", "TikTok")] * 2


def test_sentence_openers_dates_and_titles_are_not_topics(config):
    config = with_map(config, ())
    text = ("Earlier on Monday in November, U.S. President Donald Trump spoke. "
            "The call was long. Officials said it went well. However, little changed in March.")
    articles = [story(f"Call {number}", text) for number in range(3)]
    assert topics_of(articles, config) == [("Donald Trump", "US")] * 3


def test_nationality_adjectives_are_not_topics(config):
    config = with_map(config, ())
    articles = [story("One", "It hit Chinese goods and Japanese cars in Osaka."),
                story("Two", "Chinese buyers and Japanese sellers met in Osaka.")]
    assert topics_of(articles, config) == [("Osaka",), ("Osaka",)]


def test_a_surname_or_family_name_joins_the_titled_full_name(config):
    config = with_map(config, ())
    articles = [story("Call", "Chinese President Xi Jinping called President Donald Trump."),
                story("Reply", "Xi said the talks went well, and Trump agreed with Xi."),
                story("More", "Trump spoke to Xi Jinping again.")]
    assert topics_of(articles, config) == [("Donald Trump", "Xi Jinping"), ("Xi Jinping", "Donald Trump"),
                                           ("Donald Trump", "Xi Jinping")]


def test_a_title_and_the_words_before_it_are_split_from_the_names_around_it(config):
    config = with_map(config, ())
    articles = [story("Briefing", "A statement by White House Press Secretary Karoline Leavitt followed."),
                story("Briefing", "Reporters at the White House questioned Karoline Leavitt.")]
    assert topics_of(articles, config) == [("Karoline Leavitt", "White House")] * 2


def test_a_lower_case_suffix_ends_a_name(config):
    config = with_map(config, ())
    articles = [story("Ban", "The app from China-based ByteDance faces a ban in the US-China dispute."),
                story("Ban", "Regulators in China questioned ByteDance about the US-China dispute.")]
    assert topics_of(articles, config) == [("ByteDance", "China", "US-China")] * 2


def test_names_in_most_articles_of_a_big_corpus_are_not_topics(config):
    config = with_map(config, ())
    articles = [story(f"Day {number}", f"Reporters asked Trump about item {number}.") for number in range(9)]
    articles += [story(f"Round {number}", f"Reporters saw Trump fly to Busan for round {number}.")
                 for number in range(3)]
    assert [article.topics for article in topics.assign_topics(articles, config)] == [()] * 9 + [("Busan",)] * 3


def test_a_recurring_name_in_a_title_counts_for_that_article(config):
    config = with_map(config, ())
    articles = [story("Busan Summit Ends Early", "The leaders left."),
                story("Summit", "They met in Busan."), story("Talks", "Officials stayed in Busan.")]
    assert topics_of(articles, config) == [("Busan",)] * 3


def test_a_title_case_headline_paragraph_does_not_invent_names(config):
    config = with_map(config, ())
    headline = "Markets Cheer Strong Harvest Numbers"
    articles = [story("One", headline, "Stocks rose."), story("Two", headline, "Stocks fell.")]
    assert topics_of(articles, config) == [(), ()]


def test_a_title_case_headline_paragraph_still_names_known_names(config):
    config = with_map(config, ())
    articles = [story("One", "Leaders Meet In Busan For Talks", "Stocks rose."),
                story("Two", "They met in Busan."), story("Three", "Talks ended in Busan.")]
    assert topics_of(articles, config) == [("Busan",)] * 3


def test_article_without_paragraphs_is_read_from_its_body(config):
    config = with_map(config, TRADE_ONLY)
    article = make_article(title="Markets", summary="", paragraphs=(), body="Tariffs rose.\n\nTariffs fell.")
    assert topics_of([article], config) == [("Trade",)]


# ---- order, cap and provenance ------------------------------------------------------------------

def test_topics_come_as_labels_then_map_topics_then_names(config):
    config = with_map(config, TRADE_ONLY)
    articles = [story("Tariffs in Busan", "Officials met in Busan.", tags=("Asia",)),
                story("Talks", "They met in Busan.")]
    assert topics_of(articles, config)[0] == ("Asia", "Trade", "Busan")


def test_topics_do_not_depend_on_the_order_of_the_articles(config):
    articles = [story(f"Report {number}", f"Officials in Busan and Osaka discussed tariffs and oil {number}.",
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
    many_tags = story("Tags", "Text.", tags=tuple(f"tag {letter}" for letter in "abcdefghij"))
    assert topics_of([many_tags], config) == [tuple(f"Tag {letter}" for letter in "abcdefgh")]


def test_map_topics_and_names_share_the_room_left_by_labels(config):
    topic_map = tuple((f"Topic {number}", (f"word{number}",)) for number in range(8))
    config = with_map(config, topic_map)
    text = " ".join(f"word{number} word{number}" for number in range(8))
    names = "Alpha Centauri, Bravo Station, Charlie Point, Delta Base, Echo Ridge and Foxtrot Bay"
    articles = [story("One", text, f"They visited {names}.", tags=("Label",)),
                story("Two", f"They visited {names} again.")]
    first = topics.assign_topics(articles, config)[0].topics
    assert first == ("Label", "Topic 0", "Topic 1", "Topic 2", "Topic 3", "Alpha Centauri", "Bravo Station",
                     "Charlie Point")


def test_provenance_records_whether_topics_were_inferred(config):
    config = with_map(config, TRADE_ONLY)
    labelled, detected, bare = topics.assign_topics([
        story("Markets", "Stocks rose.", tags=("Steel",)),
        story("New tariffs", "Stocks rose.", tags=("Steel",)),
        story("Markets", "Stocks rose."),
    ], config)
    assert labelled.origin_of("topics") == FRONT_MATTER
    assert detected.origin_of("topics") == INFERRED
    assert bare.origin_of("topics") == DEFAULT and bare.topics == ()


def test_assign_topics_of_no_articles_is_empty(config):
    assert topics.assign_topics([], config) == []


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
    articles = [story(title, *paragraphs, summary=paragraphs[0]) for title, *paragraphs in SEED_STORIES]
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
