"""Time cluster.cluster_stories on synthetic news and check its grouping against the ground truth.

    .venv/bin/python bench/bench_cluster.py                 # 1,000, 10,000 and 100,000 articles
    .venv/bin/python bench/bench_cluster.py --sizes 2000 --threshold 0.15 --window 3
    .venv/bin/python bench/bench_cluster.py --sizes 10000 --words 500 900   # articles as long as real ones

The generator is deterministic: invented words, outlets, names and numbers; events of 1-6 articles
from different outlets over three years; beats whose events share vocabulary and recurring names
(look-alikes, some of them sequels a few weeks later); 1% of articles undated and 1% with only a
month and day. Each size runs in a fresh process so that the peak memory is its own.

"features s" times cluster.article_features over all articles (what a build does once per file, on
every core, and caches), "cluster s" cluster_stories given those features, and "art/s" is articles per
second of the latter. "feat. MB" is the memory the features take, "RSS MB" the process's peak (the
generated articles included) and "+run MB" what making the features and clustering added to it.
Precision and recall count pairs of articles put in one story against pairs from one event; "undated
ok" counts the undated and year-less articles that joined their own event (or stayed alone when it had
no dated article).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.cluster import ArticleFeatures, article_features, cluster_stories  # noqa: E402
from generator.config import StorySettings  # noqa: E402
from generator.model import Article  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
SEED = 20251124
START = datetime(2023, 1, 1, tzinfo=timezone.utc)
SPAN_DAYS = 3 * 365
BEATS = 60
OUTLETS = tuple(f"Outlet {name}" for name in (
    "Arvel", "Brisk", "Cantor", "Dovre", "Elm", "Fenwick", "Grail", "Hollis", "Ister", "Jarrow", "Kell", "Lune"))
EVENT_SIZES = (1, 2, 3, 4, 5, 6)
EVENT_SIZE_WEIGHTS = (30, 25, 18, 12, 9, 6)
DAY_OFFSETS = (0, 1, 2, 3)
DAY_OFFSET_WEIGHTS = (60, 25, 10, 5)
SEQUEL_SHARE = 0.2  # events that rerun an earlier event of their beat a few weeks later
# What a sentence is made of: (kind of word, share). Real coverage of one event shares about a third
# of its vocabulary, mostly the beat's; the event's own words are a small part.
MIX = (("glue", 30), ("general", 30), ("beat", 20), ("angle", 12), ("event", 4), ("actor", 2), ("number", 1),
       ("place", 1))
MIX_KINDS = tuple(kind for kind, _ in MIX)
MIX_WEIGHTS = tuple(share for _, share in MIX)
QUOTE_SHARE = 0.12
SENTENCES = (8, 14)  # one sentence a paragraph, unless --words asks for longer articles
SENTENCES_PER_PARAGRAPH = (2, 5)
GENERAL_WORDS = 20_000
TOPIC_WORDS = 150
GLUE = ("the", "a", "of", "in", "on", "and", "to", "for", "with", "at", "by", "from", "said", "has",
        "was", "is", "as", "after", "its", "their", "that", "will", "over", "new")
SYLLABLES = tuple(c + v for c in "bdfgklmnprstvz" for v in "aeiou") + ("and", "or", "el", "us", "in")


class Words:
    """A deterministic supply of distinct invented words."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[str] = set()

    def take(self, count: int, capital: bool = False) -> list[str]:
        words = []
        while len(words) < count:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.choice((2, 3, 3, 4))))
            if word not in self.seen:
                self.seen.add(word)
                words.append(word.capitalize() if capital else word)
        return words


def zipf_pick(rng: random.Random, words: list[str], skew: float = 1.1) -> str:
    """Pick a word, the first ones far more often (roughly Zipf's law)."""
    index = int(len(words) * rng.random() ** (1 + skew * 2))
    return words[min(index, len(words) - 1)]


def make_world(rng: random.Random) -> tuple[list[str], list[dict]]:
    words = Words(rng)
    general = words.take(GENERAL_WORDS)
    beats = []
    for _ in range(BEATS):
        beats.append({
            "words": words.take(50),
            "topics": words.take(TOPIC_WORDS),  # rarer words its events draw on, so events overlap
            "actors": [" ".join(pair) for pair in zip(words.take(8, True), words.take(8, True))],
            "places": words.take(4, True),
        })
    return general, beats


def make_event(rng: random.Random, words: Words, beat: dict, day: int, sequel_of: dict | None) -> dict:
    own = words.take(rng.randint(2, 4)) + rng.sample(beat["topics"], rng.randint(5, 8))
    if sequel_of:  # a look-alike: the same beat, names and part of the words, weeks later
        own = own[:5] + rng.sample(sequel_of["words"], min(4, len(sequel_of["words"])))
    actors = rng.sample(beat["actors"], 2) + [" ".join(words.take(2, True))]
    numbers = [str(rng.randint(10, 999)) + rng.choice(("", "%", "", " million")) for _ in range(3)]
    quote_words = [rng.choice(own + beat["words"][:20]) for _ in range(rng.randint(7, 11))]
    return {"words": own, "actors": actors, "numbers": numbers, "quote": " ".join(quote_words).capitalize(),
            "place": rng.choice(beat["places"]), "day": day, "beat": beat}


def sentence(rng: random.Random, general: list[str], event: dict, angle: list[str], told: list[str]) -> str:
    """Return one sentence: glue, common words, the beat's words, the event's, the outlet's own angle."""
    beat = event["beat"]
    supply = {"glue": lambda: rng.choice(GLUE), "general": lambda: zipf_pick(rng, general),
              "beat": lambda: zipf_pick(rng, beat["words"], 0.6), "angle": lambda: rng.choice(angle),
              "event": lambda: rng.choice(told), "actor": lambda: rng.choice(event["actors"]),
              "number": lambda: rng.choice(event["numbers"]), "place": lambda: event["place"]}
    kinds = rng.choices(MIX_KINDS, MIX_WEIGHTS, k=rng.randint(11, 20))
    text = " ".join(supply[kind]() for kind in kinds)
    if rng.random() < QUOTE_SHARE:  # outlets quote the same statement, not always all of it
        quote = event["quote"].split()
        start = rng.randrange(len(quote) // 3 + 1)
        text += f", {rng.choice(event['actors'])} said: “{' '.join(quote[start:]).capitalize()}”"
    return text[0].upper() + text[1:] + "."


def long_paragraphs(rng: random.Random, general: list[str], event: dict, angle: list[str], told: list[str],
                    target: int) -> tuple[str, ...]:
    """Return paragraphs of two to five sentences, at least `target` words in all."""
    paragraphs: list[str] = []
    count = 0
    while count < target:
        paragraph = " ".join(sentence(rng, general, event, angle, told)
                             for _ in range(rng.randint(*SENTENCES_PER_PARAGRAPH)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return tuple(paragraphs)


def make_article(rng: random.Random, words: Words, general: list[str], event: dict, number: int,
                 outlet: str, length: tuple[int, int] | None = None) -> Article:
    title_words = ([rng.choice(event["words"]) for _ in range(2)] + words.take(1)
                   + [zipf_pick(rng, event["beat"]["words"], 0.6)])
    title = f"{rng.choice(event['actors'])} {' '.join(title_words)} in {event['place']}"
    # Each outlet tells part of the event and adds details of its own.
    told = rng.sample(event["words"], max(3, len(event["words"]) * 2 // 3))
    angle = words.take(rng.randint(4, 10))
    if length:  # like bench/corpus.py: paragraphs of a few sentences up to a drawn number of words
        paragraphs = long_paragraphs(rng, general, event, angle, told, rng.randint(*length))
    else:
        paragraphs = tuple(sentence(rng, general, event, angle, told) for _ in range(rng.randint(*SENTENCES)))
    offset = rng.choices(DAY_OFFSETS, DAY_OFFSET_WEIGHTS)[0]
    published = START + timedelta(days=event["day"] + offset, hours=rng.randint(5, 22), minutes=rng.randint(0, 59))
    partial_date = None
    roll = rng.random()
    if roll < 0.01:
        published = None
    elif roll < 0.02:
        partial_date = (published.month, published.day)
        published = None
    return Article(id=f"a{number:07d}", origin=f"content/a{number:07d}.md", kind="markdown", title=title,
                   published=published, partial_date=partial_date, source=outlet, paragraphs=paragraphs,
                   body="\n\n".join(paragraphs))


def new_world(rng: random.Random) -> tuple[list[str], list[dict], Words]:
    """Return the invented world: its general words, its beats, and a supply of new words."""
    general, beats = make_world(rng)
    words = Words(rng)
    words.seen = set(general) | {word for beat in beats for word in beat["words"]}
    return general, beats, words


def covered_events(rng: random.Random, words: Words, beats: list[dict],
                   size: int) -> Iterator[tuple[dict, list[str]]]:
    """Yield invented events, each with the outlets that cover it, until they have `size` articles in
    all; a sequel comes 10 to 45 days after an earlier event of its beat."""
    history: dict[int, list[dict]] = {}
    covered = 0
    while covered < size:
        beat_number = rng.randrange(BEATS)
        day = rng.randrange(SPAN_DAYS)
        earlier = history.get(beat_number, [])
        sequel_of = rng.choice(earlier) if earlier and rng.random() < SEQUEL_SHARE else None
        if sequel_of:
            day = min(SPAN_DAYS - 1, sequel_of["day"] + rng.randint(10, 45))
        event = make_event(rng, words, beats[beat_number], day, sequel_of)
        history.setdefault(beat_number, []).append(event)
        count = min(rng.choices(EVENT_SIZES, EVENT_SIZE_WEIGHTS)[0], size - covered)
        covered += count
        yield event, rng.sample(OUTLETS, count)


def make_corpus(size: int, seed: int = SEED,
                length: tuple[int, int] | None = None) -> tuple[list[Article], list[int]]:
    """Return `size` synthetic articles (of `length` words if given) and the event number of each."""
    rng = random.Random(seed)
    general, beats, words = new_world(rng)
    articles: list[Article] = []
    truth: list[int] = []
    for event_number, (event, outlets) in enumerate(covered_events(rng, words, beats, size)):
        for outlet in outlets:
            articles.append(make_article(rng, words, general, event, len(articles), outlet, length))
            truth.append(event_number)
    order = list(range(size))
    rng.shuffle(order)  # input order carries no hint of the events
    return [articles[i] for i in order], [truth[i] for i in order]


def pair_scores(predicted: list[str], truth: list[int]) -> tuple[float, float]:
    """Return pairwise precision and recall of the predicted grouping."""
    both = Counter(zip(predicted, truth))
    together = sum(comb(n, 2) for n in both.values())
    predicted_pairs = sum(comb(n, 2) for n in Counter(predicted).values())
    true_pairs = sum(comb(n, 2) for n in Counter(truth).values())
    return (together / predicted_pairs if predicted_pairs else 1.0,
            together / true_pairs if true_pairs else 1.0)


def footprint(features: ArticleFeatures) -> int:
    """Return the bytes one article's features take, the object and its strings and arrays."""
    return sys.getsizeof(features) + sum(sys.getsizeof(getattr(features, field.name))
                                         for field in dataclasses.fields(features))


def run_one(size: int, settings: StorySettings, trace: bool, length: tuple[int, int] | None) -> dict:
    articles, truth = make_corpus(size, length=length)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    features = [article_features(article) for article in articles]
    featured = time.perf_counter()
    placed, stories = cluster_stories(articles, settings, timezone.utc, features=features)
    clustered = time.perf_counter()
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    precision, recall = pair_scores([article.story for article in placed], truth)
    # Undated articles: did each land with its own event, or stay alone when it had no dated company?
    members = Counter(zip((article.story for article in placed), truth))
    sizes = Counter(article.story for article in placed)
    dated_events = {event for article, event in zip(articles, truth) if article.published is not None}
    undated = [(article, event) for article, event, given in zip(placed, truth, articles) if given.published is None]
    right = sum(1 for article, event in undated if (
        members[(article.story, event)] > 1 and article.published is not None if event in dated_events
        else sizes[article.story] == 1))
    words = sum(len(article.title.split()) + article.word_count for article in articles) / size
    return {"size": size, "words": words, "features_seconds": featured - started,
            "cluster_seconds": clustered - featured, "stories": len(stories), "precision": precision,
            "recall": recall, "events": len(set(truth)), "undated": len(undated), "undated_joined": right,
            "features_mb": sum(map(footprint, features)) / 2**20,
            "rss_before_mb": before / 1024, "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "traced_mb": traced / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--words", type=int, nargs=2, metavar=("MIN", "MAX"),
                        help="articles of MIN-MAX words in paragraphs of a few sentences (default: 8-14 sentences)")
    parser.add_argument("--threshold", type=float, default=StorySettings().threshold)
    parser.add_argument("--window", type=int, default=StorySettings().window_days)
    parser.add_argument("--trace", action="store_true", help="also measure Python allocations (slower)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    settings = StorySettings(threshold=options.threshold, window_days=options.window)
    length = tuple(options.words) if options.words else None
    if options.child:
        print(json.dumps(run_one(options.sizes[0], settings, options.trace, length)))
        return
    print(f"threshold {settings.threshold}, window {settings.window_days} days")
    header = (f"{'articles':>9} {'words':>5} {'events':>7} {'stories':>7} {'features s':>10} {'cluster s':>9} "
              f"{'art/s':>7} {'precision':>9} {'recall':>6} {'undated ok':>10} {'feat. MB':>8} {'RSS MB':>7} "
              f"{'+run MB':>7}" + (" traced MB" if options.trace else ""))
    print(header)
    for size in options.sizes:
        command = [sys.executable, __file__, "--child", "--sizes", str(size), "--threshold", str(settings.threshold),
                   "--window", str(settings.window_days)] + (["--trace"] if options.trace else []) + (
                   ["--words", *map(str, length)] if length else [])
        row = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        print(f"{row['size']:>9,} {row['words']:>5.0f} {row['events']:>7,} {row['stories']:>7,} "
              f"{row['features_seconds']:>10.2f} {row['cluster_seconds']:>9.2f} "
              f"{row['size'] / row['cluster_seconds']:>7,.0f} {row['precision']:>9.3f} {row['recall']:>6.3f} "
              f"{row['undated_joined']:>4}/{row['undated']:<5} {row['features_mb']:>8.1f} {row['rss_peak_mb']:>7.0f} "
              f"{row['rss_peak_mb'] - row['rss_before_mb']:>7.0f}" + (f" {row['traced_mb']:>9.0f}" if options.trace else ""))


if __name__ == "__main__":
    main()
