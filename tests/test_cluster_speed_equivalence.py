"""The shortcuts generator.cluster takes for speed give the answers of the plain way.

Each test puts a shortcut beside what it replaced (summing each sentence's rarities one word at a
time) on the stories of the invented corpus of test_cluster and of a generated one.
"""

from __future__ import annotations

import sys
from datetime import timezone
from pathlib import Path

import pytest

from generator import cluster
from generator.config import StorySettings

from test_cluster import corpus

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))

import bench_cluster  # noqa: E402

UTC = timezone.utc
SETTINGS = StorySettings(threshold=0.12, window_days=4)


def stories_to_write(articles) -> tuple[list[list[cluster.Entry]], cluster.Corpus]:
    """Return the groups whose texts cluster_stories writes, and its corpus."""
    corpus = cluster.weigh_articles(articles, list(map(cluster.article_features, articles)), UTC)
    return [members for _, members in cluster.story_plans(corpus, SETTINGS, UTC)], corpus


def plain_weigh_sentences(members, shared, found) -> list[cluster.Weighed]:
    """Return weigh_sentences' answer, summing each sentence's word rarities one at a time."""
    weighed = []
    for entry in members:
        sentences = range(len(entry.features.kinds))
        words = [[entry.words[place] for place in cluster.sentence_words(entry.features, position)]
                 for position in sentences]
        weights = [sum(found.rarity[word] for word in sentence) for sentence in words]
        news = [sum(0.0 if word in shared else found.rarity[word] for word in sentence) for sentence in words]
        weighed.append(cluster.Weighed(weights, news))
    return weighed


@pytest.fixture(scope="module", params=["invented", "generated"])
def written(request) -> tuple[list[list[cluster.Entry]], cluster.Corpus]:
    articles = corpus() if request.param == "invented" else bench_cluster.make_corpus(400)[0]
    return stories_to_write(articles)


def test_weighing_sentences_sums_each_sentences_rarities_as_the_plain_way_does(written):
    groups, found = written
    several = [cluster.by_age(members) for members in groups if len(members) > 1]
    assert several
    for members in several:
        words = [entry.words.tolist() for entry in members]
        shared = cluster.shared_words([set(each) for each in words])
        assert cluster.weigh_sentences(members, words, shared, found) == plain_weigh_sentences(members, shared, found)
