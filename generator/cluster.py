"""Stories: the articles that cover one event, grouped, titled and summarised.

How articles become stories:

- Two articles cover the same event when their texts are alike *and* they appeared within
  `[stories] window_days` calendar days of each other (in the site's timezone). Likeness is the
  cosine of TF-IDF vectors over word stems, two-word names, numbers, dates named in the text
  ("Nov. 24", "April 2026") and word pairs inside quotations, so shared rare details count for
  far more than the common vocabulary of a beat. It fades by a fifth across the window.
- Pairs at or above `[stories] threshold` are joined, strongest first, but only while the story
  spans no more than the window and the two groups being joined are, on average over all their
  pairs, at least four fifths as alike as the threshold: one shared detail cannot chain two events.
- An article with a month and day but no year joins the story it matches best at or above the
  threshold among those the day (in any year) keeps within the window, and takes the story's year.
  An article with no date at all needs twice the threshold, as time cannot back the words up, and
  takes the date of the story's first article. Either is marked inferred; without a match the
  article stays alone and undated.
- `story: some-id` in front matter puts every article with that key in one story, whose id is
  the key (other articles may still join it); `story: false` keeps an article alone.
- A story's id and URL slug come from its earliest article with a read (not inferred) date:
  `2025-11-24-<slug of that article's title>` (a later story asking for a taken slug adds a short
  hash of its article's id), so they do not change when later coverage joins.
  Its title is the member title most like the other members (a read title before an inferred
  one), its summary 2-4 central sentences without repeats, and `additions` lists, for each
  article, the sentences no other article of the story says in substance.

What depends on one article alone (its features and their counts, its sentences and their words)
is `article_features(article)`: small, picklable and the same in every build, so a build makes it
per file, in worker processes, and caches it. `cluster_stories` then does only what needs every
article, and makes any features it is not given.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from heapq import heapify, heappop, heappush
from itertools import accumulate, chain, islice, repeat
from operator import add, contains, itemgetter, mul
from typing import NamedTuple

from . import pools, topics
from .config import StorySettings
from .model import INFERRED, Article, Story, replaced
from .urls import slugify, title_slug

MAX_FEATURES = 40  # features kept per article for matching: its heaviest ones shared with others
KEY_FEATURES = 12  # of those, the ones looked up to find candidate articles
MAX_CANDIDATES = 40  # candidates compared exactly, per article
MAX_POSTINGS = 400  # a feature in more articles of one window than this tells no events apart
IDF_PRIOR = 50  # empty pseudo-documents that keep IDF sensible for a handful of articles
TIME_FADE = 0.2  # share of the similarity lost between articles a whole window apart
LINK_FLOOR = 0.8  # joined groups must be on average at least this fraction of the threshold alike
# With no date at all, time cannot confirm a match, so the text alone must be this many times as alike.
UNDATED_FACTOR = 2.0
TITLE_WEIGHT = 2  # the headline's terms count as often as this
SMALLEST_WEIGHT = 5e-324  # the least positive float: features no other article has weigh less
# How much a feature counts by its first character: a number, a named date, a pair of words in a
# quotation, a two-word name; a word stem (a letter) counts 1.
BOOSTS = {"#": 1.5, "@": 2.0, '"': 1.2, "&": 1.0}
SLUG_TITLE_LENGTH = 60
SUMMARY_WORDS = (6, 45)  # a summary sentence has between this many words
ADDITION_WORDS = 5  # shorter fragments ("Subscribe", bylines) are no addition
# A sentence says in substance what another says when this share of its weighted stems is in it too.
SAME_SUBSTANCE = 0.45
# An addition: a sentence at least this share of whose weighted stems no other member uses.
NEW_SHARE = 0.5
MAX_ADDITIONS = 4  # per outlet: the detail a reader scans, not the whole article again
SUMMARY_SENTENCE = 1  # a sentence's kind: whole, and of a length to summarise with
ADDITION_SENTENCE = 2  # a sentence's kind: whole, and long enough to be an addition
# Far more than settling or summing in another order moves a value: values further apart compare
# the same settled or not. A bound of a summary score exceeds it by this factor and this margin.
ROUNDING_MARGIN = 1e-7
BOUND_MARGIN = 1 + 1e-9
# A headline that opens with a hype label ("Big News:", "BREAKING:") is the last choice for a story.
HYPE_LABEL = re.compile(r"^\W*(?:big|huge|breaking|major|just in|exclusive|must[- ]read|shocking|watch|"
                        r"update|updated|live|news alert|alert|wow|omg)(?: news)?\s*[:!|\u2013\u2014-]", re.I)

STOPWORDS = frozenset("""
a about above after again against ago all almost also although always am among an and another
any are around as at be became because been before being below between both but by can cannot
could did do does doing done down during each either else even ever every few for from further
had has have having he her here hers herself him himself his how however i if in into is it it's
its itself just least less like made make many may me might more most much must my myself near
nearly no nor not now of off often on once one only or other others our ours out over own per
perhaps quite rather same say said saying says she should since so some still such than that
the their theirs them themselves then there these they this those though through thus to too
toward towards under until up upon us very via was we were what when where whether which while
who whom whose why will with within without would yet you your yours mr mrs ms according told
tell tells added adds wrote write writes asked week weeks year years month months day days today
yesterday tomorrow time times including include includes two three several well
""".split())
# Endings taken off before a word is cut to seven letters: (ending, replacement, shortest stem).
SUFFIXES = (("ations", "", 4), ("ation", "", 4), ("ings", "", 3), ("ing", "", 3), ("ies", "y", 3),
            ("ied", "y", 3), ("ed", "", 3), ("es", "", 3), ("s", "", 3))
ENDINGS = tuple(suffix for suffix, _, _ in SUFFIXES)
STEM_LENGTH = 7
# Word -> stem ("" for a stop word): stemming every word of 100,000 articles anew is the slow part.
STEMS: dict[str, str] = {}
STEM_CACHE_SIZE = 500_000

# The regex engine skips straight to the characters a pattern can start with only when it starts with
# a character, not with \b: in NUMBER, NAME_PAIR and MONTH_NAME a look-behind after the first character
# checks that it starts a word ("(?<!\w.)": the character before it is no letter, digit or "_").
PERCENT = re.compile(r"(\d)\s*(?:per ?cent|percent)\b", re.IGNORECASE)
WORD = re.compile(r"\b[^\W\d_]+(?:['’][^\W\d_]+)*")
ASCII_WORD = re.compile(r"\b[a-z]+(?:['’][a-z]+)*")  # WORD, in lower-case text whose letters and digits are ASCII
OTHER_WORD_CHARACTER = re.compile(r"[^\x00-\x7f\W]")  # a letter or digit beyond ASCII
# A number starts with "$" and a digit, or with a digit that starts a word.
NUMBER = re.compile(r"[$\d](?:(?<=\$)\d|(?<=\d)(?<!\w\d))[\d,]*(?:\.\d+)?(?:%|bn\b|tn\b|m\b)?")
NAME_PAIR = re.compile(r"([A-Z](?<!\w.)[^\W\d_]+) (?=([A-Z][^\W\d_]+))")
QUOTE = re.compile(r"[“\"]([^“”\"\n]{12,400})[”\"]")
MONTH_NAME = re.compile(r"((?:J(?<!\w.)(?:an|anuary|une?|uly?)|F(?<!\w.)(?:eb|ebruary)|M(?<!\w.)(?:ar|arch|ay)"
                        r"|A(?<!\w.)(?:pr|pril|ug|ugust)|S(?<!\w.)(?:ept?|eptember)|O(?<!\w.)(?:ct|ctober)"
                        r"|N(?<!\w.)(?:ov|ovember)|D(?<!\w.)(?:ec|ecember)))\b\.?")
DAY_AFTER = re.compile(r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?")  # Nov. 24, November 24th, 2025
DAY_BEFORE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$")  # 24 November, 24th of November
YEAR_AFTER = re.compile(r",?\s+(\d{4})\b")  # April 2026
MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"), start=1)
    for name in names.split()}
FINISHED = re.compile(r"[.!?][\"”’)\]]*$")  # a sentence ends so; a heading or dateline does not
# A full stop after one of these (or after an initial, as in "U.S.") ends no sentence.
ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Gov", "Sen", "Rep", "Lt", "Col", "Sgt", "Capt",
                 "Prof", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No",
                 "vs", "Inc", "Corp", "Co", "Ltd")
# A look-behind has a fixed width: one per length of abbreviation (each ends in a full stop, so "!" and "?" pass).
NOT_ABBREVIATED = "".join(rf"(?<!\b(?:{'|'.join(sorted(word for word in ABBREVIATIONS if len(word) == length))})\.)"
                          for length in sorted({len(word) for word in ABBREVIATIONS})) + r"(?<!\b[A-Z]\.)"
# The end of a sentence, and (group 1) the white space between it and the next sentence.
SENTENCE_END = re.compile(rf"[.!?]{NOT_ABBREVIATED}[\"”’)\]]*(?=(\s+)[\"“‘(\[]?[A-Z0-9])")


# --- Features -----------------------------------------------------------------------------------


def stem(word: str) -> str:
    """Return a crude stem of a lower-case word: possessive, plural and tense endings off, 7 letters."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4:
        for suffix, replacement, shortest in SUFFIXES if word.endswith(ENDINGS) else ():
            if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
                if suffix != "s" or not word.endswith(("ss", "us", "is")):
                    word = word[:-len(suffix)] + replacement
                break
        if len(word) > 4 and word.endswith("e"):
            word = word[:-1]
    return word[:STEM_LENGTH]


def content_stems(text: str) -> list[str]:
    """Return the stems of the words of `text` that are not stop words, in order."""
    lowered = text.lower()
    return word_stems(word_pattern(lowered).findall(lowered))


def word_pattern(lowered: str) -> re.Pattern:
    """Return WORD, or ASCII_WORD when it finds the same words in `lowered` (lower-case text), faster."""
    return WORD if OTHER_WORD_CHARACTER.search(lowered) else ASCII_WORD


def word_stems(words: list[str]) -> list[str]:
    """Return the stems of lower-case words that are not stop words, in order."""
    try:
        return list(filter(None, map(STEMS.__getitem__, words)))
    except KeyError:
        learn_stems(words)
        return list(filter(None, map(STEMS.__getitem__, words)))


def learn_stems(words: Iterable[str]) -> None:
    """Put the stems of the lower-case words that STEMS lacks into it ("" for a stop word)."""
    if len(STEMS) > STEM_CACHE_SIZE:
        STEMS.clear()
    for word in set(words).difference(STEMS):
        STEMS[word] = "" if len(word) < 2 or word in STOPWORDS else stem(word)


def named_dates(text: str) -> list[str]:
    """Return date features for the dates `text` names: "@11-24" for Nov. 24, "@2026-04" for April 2026."""
    found: list[str] = []
    for match in MONTH_NAME.finditer(text):
        month = MONTHS[match.group(1).lower()]
        after = DAY_AFTER.match(text, match.end())
        before = DAY_BEFORE.search(text, max(0, match.start() - 12), match.start())
        day = after.group(1) if after else before.group(1) if before else None
        year = after.group(2) if after else None
        if not after:
            named_year = YEAR_AFTER.match(text, match.end())
            year = named_year.group(1) if named_year else None
        if day and 1 <= int(day) <= 31:
            found.append(f"@{month:02d}-{int(day):02d}")
        if year:
            found.append(f"@{year}-{month:02d}")
    return found


def text_features(text: str) -> list[str]:
    """Return the word stems of a text, then its names, numbers, dates and quoted word pairs (marked)."""
    text = PERCENT.sub(r"\1%", text)
    return features_given(text, content_stems(text), NUMBER.findall(text))


def features_given(text: str, stems: list[str], numbers: list[str]) -> list[str]:
    """Return text_features(text), given the stems and numbers of `text` (whose "5 percent" is "5%")."""
    features = stems + ["#" + number for number in (raw.replace(",", "") for raw in numbers) if len(number) > 1]
    for pair, count in Counter(NAME_PAIR.findall(text)).items():  # a name recurs in an article
        stems = content_stems(" ".join(pair))
        if len(stems) == 2:
            features += ["&" + " ".join(stems)] * count
    for quoted in QUOTE.findall(text):
        words = content_stems(quoted)
        features += [f'"{first} {second}' for first, second in zip(words, words[1:])]
    features += named_dates(text)
    return features


def article_paragraphs(article: Article) -> tuple[str, ...]:
    """Return the plain-text paragraphs of an article, falling back on its body or summary."""
    if article.paragraphs:
        return article.paragraphs
    text = article.body or article.summary
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Return where each sentence of a paragraph starts and ends, not splitting after "Mr.", "Nov." or "U.S."."""
    # A sentence ends with a mark, and white space parts it from the next: only the paragraph's ends need stripping.
    breaks = [match.span(1) for match in SENTENCE_END.finditer(paragraph)]
    starts = [len(paragraph) - len(paragraph.lstrip()), *(start for _, start in breaks)]
    ends = [*(end for end, _ in breaks), len(paragraph.rstrip())]
    return [(start, end) for start, end in zip(starts, ends) if start < end]


def split_sentences(paragraph: str) -> list[str]:
    """Return the sentences of a paragraph, not splitting after "Mr.", "Nov." or "U.S."."""
    return [paragraph[start:end] for start, end in sentence_spans(paragraph)]


def sentence_kind(text: str, keys: int) -> int:
    """Return SUMMARY_SENTENCE and ADDITION_SENTENCE bits: what a sentence with `keys` stems may be used for."""
    if not FINISHED.search(text):  # a heading, caption or dateline is neither
        return 0
    words = text.count(" ") + 1
    shortest, longest = SUMMARY_WORDS
    return ((SUMMARY_SENTENCE if shortest <= words <= longest and keys >= 3 else 0)
            | (ADDITION_SENTENCE if words >= ADDITION_WORDS and keys >= 2 else 0))


def index_array(values: list[int]) -> array:
    """Return non-negative integers in an array of two-byte items, or four-byte ones when they need it."""
    return array("H" if not values or max(values) <= 0xFFFF else "I", values)


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What grouping and summaries take from one article's text: its feature counts and its sentences.

    It depends on the article alone (and this module), so a build can make it in a worker process and
    keep it between builds. It is compact on purpose: a few strings and arrays, no object per term.
    """

    # The distinct features in order of first use, then the sentence words that are no feature
    # (a number is "#12" in both), one a line.
    terms: str
    counts: array  # how often each feature occurs; the first len(counts) terms are the features
    words: array  # the terms the sentences use (stems and numbers), as places in `terms`, in order of first use
    sentence_words: array  # each sentence's distinct words, as places in `words`, one sentence after another
    sentence_ends: array  # where each sentence's run in `sentence_words` ends
    spans: array  # paragraph, start and end of each sentence: article_paragraphs(article)[p][start:end]
    kinds: bytes  # SUMMARY_SENTENCE and ADDITION_SENTENCE bits of each sentence
    # Per sentence, 1 / sqrt(words) / (1 + 0.1 * position): what its centrality is worth in a summary
    # (lead sentences a little more); 0 for a sentence that is no summary material.
    scales: array


def article_features(article: Article) -> ArticleFeatures:
    """Return what grouping and summaries take from the article's text, its headline counting double."""
    paragraphs = article_paragraphs(article)
    sentences = [(number, start, end) for number, paragraph in enumerate(paragraphs)
                 for start, end in sentence_spans(paragraph)]
    heading = "\n".join([article.title] * TITLE_WEIGHT if article.title else [])
    text = "\n".join([heading, *paragraphs] if heading else paragraphs)
    lowered = text.lower()
    # Where each paragraph, then each sentence, starts and ends in `text`.
    offsets = list(accumulate([len(heading) + 1 if heading else 0, *(len(part) + 1 for part in paragraphs)]))
    bounds = [(offsets[number] + start, offsets[number] + end) for number, start, end in sentences]
    find_words = word_pattern(lowered).findall  # a sentence has no letter that the whole text has not
    if len(lowered) == len(text):  # each character lowers to one: the sentences are at their places in `lowered`
        tokens = [find_words(lowered, start, end) for start, end in bounds]
    else:
        tokens = [find_words(text[start:end].lower()) for start, end in bounds]
    learn_stems(chain.from_iterable(tokens))  # at once: a KeyError per sentence with a new word is slow
    stems = [list(filter(None, map(STEMS.__getitem__, found))) for found in tokens]
    numbers = [NUMBER.findall(text, start, end) for start, end in bounds]
    # "5 percent" is the feature "#5%": the sentences' words will not do. PERCENT needs "cent" in some
    # case, and looking for that first is much faster than the regex.
    if "cent" in lowered and PERCENT.search(text):
        counts = Counter(text_features(text))
    else:  # every word and number of a paragraph is in one of its sentences: tokenise once
        counts = Counter(features_given(text, content_stems(heading) + list(chain.from_iterable(stems)),
                                         NUMBER.findall(heading) + list(chain.from_iterable(numbers))))
    places: defaultdict[str, int] = defaultdict(None, zip(counts, range(len(counts))))  # term -> place in terms
    places.default_factory = places.__len__  # a sentence word that is no feature becomes a term too
    words: defaultdict[int, int] = defaultdict()  # place in terms -> place in words
    words.default_factory = words.__len__
    # Each sentence's distinct words (stems, then numbers), in order.
    keys = [dict.fromkeys(found + ["#" + number.replace(",", "") for number in raw] if raw else found)
            for found, raw in zip(stems, numbers)]
    sentence_words = list(map(words.__getitem__, map(places.__getitem__, chain.from_iterable(keys))))
    sizes = list(map(len, keys))
    kinds = bytes([sentence_kind(text[start:end], size) for (start, end), size in zip(bounds, sizes)])
    scales = array("d", [1 / math.sqrt(size) / (1 + 0.1 * position) if kind & SUMMARY_SENTENCE else 0.0
                         for position, (kind, size) in enumerate(zip(kinds, sizes))])
    return ArticleFeatures("\n".join(places), saturated(list(counts.values())), index_array(list(words)),
                           index_array(sentence_words), index_array(list(accumulate(sizes))),
                           index_array(list(chain.from_iterable(sentences))), kinds, scales)


def saturated(counts: list[int]) -> array:
    """Return counts as two-byte numbers: a word 65,535 times in one article is saturated long before."""
    try:
        return array("H", counts)
    except OverflowError:
        return array("H", [min(count, 0xFFFF) for count in counts])


# --- Weights ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """One article while it is being grouped: its place, local day, weighted features and sentences."""

    index: int  # position in the canonical (input-order independent) order
    article: Article
    day: int | None  # proleptic ordinal of its local publication day
    key: str  # normalised story key; "" when none
    alone: bool  # story: false
    features: ArticleFeatures
    ids: array  # feature ids, heaviest first
    weights: array  # unit-vector weights
    words: array  # the word ids of features.words

    def vector(self) -> dict[int, float]:
        """Return the features and weights as a dict, for lookups."""
        return dict(zip(self.ids, self.weights))


@dataclass(slots=True)
class Corpus:
    """The weighted features of every article, and the rarity (IDF) of the words and numbers."""

    entries: list[Entry]  # in canonical order
    positions: list[int]  # of each entry's article in the input
    rarity: list[float]  # by word id: of a stem or number in one article or more; log(total / 2) for one

    def weigh(self, words: frozenset[int]) -> float:
        """Return the summed rarity of a set of word stems and numbers."""
        return settle(sum(map(self.rarity.__getitem__, words)))


def settle(number: float) -> float:
    """Return the number rounded so that summing a set in another order gives the same result."""
    # Set order changes with PYTHONHASHSEED; the last bits of a float sum must not change a build.
    return round(number, 9)


def story_key(article: Article) -> tuple[str, bool]:
    """Return the article's normalised story key and whether it must stay alone."""
    raw = article.story_key.strip()
    if raw.lower() == "false":
        return "", True
    if not raw:
        return "", False
    return slugify(raw) or "story-" + hashlib.sha1(raw.casefold().encode()).hexdigest()[:10], False


def local_day(moment: datetime | None, tz: tzinfo) -> int | None:
    """Return the ordinal of the calendar day of `moment` in the site's timezone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(tz).date().toordinal()


def pick(values: Sequence | dict, keys: Sequence) -> Sequence:
    """Return values[key] for each key, in order."""
    # itemgetter picks them all in one call, much faster than a loop; it wants two keys or more.
    return itemgetter(*keys)(values) if len(keys) > 1 else [values[key] for key in keys]


def weigh_articles(articles: Sequence[Article], features: Sequence[ArticleFeatures], tz: tzinfo) -> Corpus:
    """Return the articles in canonical order, each with its TF-IDF vector over shared features."""
    ordered = canonical_order(articles)
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new feature gets the next id
    frequency: Counter[int] = Counter()
    counted = []
    for position in ordered:
        found = features[position]
        terms = found.terms.split("\n") if found.terms else []
        ids = list(pick(vocabulary, terms[:len(found.counts)]))
        frequency.update(ids)
        counted.append((ids, terms[len(found.counts):]))
    total = len(articles) + IDF_PRIOR
    dfs = list(frequency.values())  # by id: ids come in order of first use, as the counts do
    del frequency
    # The rarity of a stem or number; in one article it is log(total / 2), as for a word no feature spells.
    by_df = [0.0] + [math.log(total / (df + 1)) for df in range(1, max(dfs, default=0) + 1)]
    rarity = [by_df[df] for df in dfs]
    # A feature no other article has cannot match, but counts in the norm: its idf is negative.
    idf = [(factor if df > 1 else -factor) * BOOSTS.get(feature[0], 1.0)
           for feature, df, factor in zip(vocabulary, dfs, rarity)]
    del dfs
    top = max((max(found.counts, default=0) for found in features), default=0)
    tf_weights = [0.0] + [1 + math.log(tf) for tf in range(1, top + 1)]
    entries = []
    for index, position in enumerate(ordered):
        ids, extra = counted[index]
        counted[index] = None  # type: ignore[call-overload]  # free as we go
        found = features[position]
        weights = list(pick(idf, ids))
        for place, tf in enumerate(found.counts):
            if tf > 1:  # most features occur once, and 1 + log(1) is 1
                weights[place] = tf_weights[tf] * weights[place]
        norm = math.hypot(*weights) or 1.0
        kept = heaviest(ids, weights)
        # A sentence word no feature spells (a one-digit number, "percent" after one) is a word id all the same.
        ids += map(vocabulary.__getitem__, extra)
        article = articles[position]
        key, alone = story_key(article)
        # Arrays, unlike lists, are no work for the garbage collector.
        entries.append(Entry(index, article, local_day(article.published, tz), key, alone, found,
                             array("I", [fid for _, fid in kept]), array("d", [-weight / norm for weight, _ in kept]),
                             array("I", pick(ids, found.words))))
    rarity += [math.log(total / 2)] * (len(vocabulary) - len(rarity))
    return Corpus(entries, ordered, rarity)


def heaviest(ids: list[int], weights: list[float]) -> list[tuple[float, int]]:
    """Return (-weight, id) of the MAX_FEATURES heaviest features with a positive weight, the lower
    id first among equals."""
    # Sorting the weights alone is much faster than sorting pairs: only pairs at or above the
    # MAX_FEATURES-th weight need sorting.
    floor = sorted(weights)[-MAX_FEATURES] if len(weights) > MAX_FEATURES else 0.0
    floor = max(floor, SMALLEST_WEIGHT)
    return sorted([(-weight, fid) for fid, weight in zip(ids, weights) if weight >= floor])[:MAX_FEATURES]


def cosine(vector: dict[int, float], entry: Entry) -> float:
    """Return the similarity of a vector and an entry's vector (both unit length)."""
    return sum(map(mul, map(vector.get, entry.ids, repeat(0.0)), entry.weights))


def dot(first: dict[int, float], second: dict[int, float]) -> float:
    """Return the dot product of two sparse vectors."""
    if len(first) > len(second):
        first, second = second, first
    return sum(map(mul, first.values(), map(second.get, first, repeat(0.0))))


def add_to(total: dict[int, float], ids: Sequence[int], weights: Sequence[float]) -> None:
    """Add a sparse vector to a sum of vectors, in place."""
    total.update(zip(ids, map(add, map(total.get, ids, repeat(0.0)), weights)))


# --- Grouping -----------------------------------------------------------------------------------


def strongest(found: dict[int, float]) -> list[int]:
    """Return the MAX_CANDIDATES candidates with the highest scores, the lower index first among equals."""
    # Sorting indexes, then (stably) scores is much faster than sorting by (-score, index).
    return sorted(sorted(found), key=found.__getitem__, reverse=True)[:MAX_CANDIDATES]


def find_pairs(entries: list[Entry], settings: StorySettings) -> list[tuple[float, int, int]]:
    """Return (-similarity, i, j) for dated pairs within the window at or above the threshold."""
    window = settings.window_days
    threshold = settings.threshold
    order = sorted((entry for entry in entries if entry.day is not None and not entry.alone),
                   key=lambda entry: (entry.day, entry.index))
    indexes = [entry.index for entry in order]
    # Per feature, the places in `order` of the articles that have it, in order: those within the
    # window are the tail from place `left` on, so nothing ever needs removing.
    postings: dict[int, list[int]] = {}
    pairs = []
    left = 0
    for place, entry in enumerate(order):
        while order[left].day < entry.day - window:
            left += 1
        found: dict[int, float] = {}
        for fid, weight in zip(entry.ids[:KEY_FEATURES], entry.weights[:KEY_FEATURES]):
            places = postings.get(fid)
            if places is None or places[-1] < left:  # no article within the window has it
                continue
            start = bisect_left(places, left)
            if len(places) - start <= MAX_POSTINGS:
                for at in islice(places, start, None):
                    other = indexes[at]
                    found[other] = found.get(other, 0.0) + weight
        if len(found) > MAX_CANDIDATES:
            found = dict.fromkeys(strongest(found))
        vector = entry.vector() if found else {}
        for other_index in found:
            other = entries[other_index]
            if entry.key and other.key:  # one key is already one story; two keys never merge
                continue
            fade = 1 - TIME_FADE * (entry.day - other.day) / window if window else 1.0
            similarity = cosine(vector, other) * fade
            if similarity >= threshold:
                pairs.append((-similarity, min(entry.index, other_index), max(entry.index, other_index)))
        for fid in entry.ids:
            places = postings.get(fid)
            if places is None:
                postings[fid] = [place]
            else:
                places.append(place)
    pairs.sort()
    return pairs


class Groups:
    """Union-find over entries that knows each group's members, days, key and summed vector."""

    def __init__(self, entries: list[Entry], settings: StorySettings):
        self.entries = entries
        self.settings = settings
        self.parent = list(range(len(entries)))
        self.members: dict[int, list[int]] = {entry.index: [entry.index] for entry in entries}
        self.first = [entry.day for entry in entries]
        self.last = [entry.day for entry in entries]
        self.key = [entry.key for entry in entries]
        self.allowed = [settings.window_days] * len(entries)  # the longest span the group may have
        self.sums: dict[int, dict[int, float]] = {}

    def find(self, index: int) -> int:
        """Return the root of the entry's group, halving the path on the way."""
        parent = self.parent
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    def total(self, root: int) -> dict[int, float]:
        """Return the sum of the vectors of the group's members."""
        if root not in self.sums:
            summed: dict[int, float] = {}
            for member in self.members[root]:
                add_to(summed, self.entries[member].ids, self.entries[member].weights)
            self.sums[root] = summed
        return self.sums[root]

    def span(self, first: int, second: int) -> tuple[int | None, int | None]:
        """Return the first and last day of two groups together."""
        days = [day for day in (self.first[first], self.first[second]) if day is not None]
        ends = [day for day in (self.last[first], self.last[second]) if day is not None]
        return (min(days), max(ends)) if days else (None, None)

    def mean_similarity(self, first: int, second: int) -> float:
        """Return the average similarity of the pairs of members, one from each group."""
        return dot(self.total(first), self.total(second)) / (len(self.members[first]) * len(self.members[second]))

    def mean_similarity_to(self, vector: dict[int, float], root: int) -> float:
        """Return the average similarity of a vector to the group's members."""
        return dot(vector, self.total(root)) / len(self.members[root])

    def can_join(self, first: int, second: int) -> bool:
        """Tell whether two groups may become one story: keys, span and average likeness agree."""
        if self.key[first] and self.key[second] and self.key[first] != self.key[second]:
            return False
        start, end = self.span(first, second)
        if start is not None and end - start > max(self.allowed[first], self.allowed[second]):
            return False
        if len(self.members[first]) * len(self.members[second]) == 1:
            return True  # the pair itself is at or above the threshold
        return self.mean_similarity(first, second) >= LINK_FLOOR * self.settings.threshold

    def join(self, first: int, second: int) -> int:
        """Merge two groups and return the root of the result."""
        if len(self.members[first]) < len(self.members[second]):
            first, second = second, first
        if first in self.sums or second in self.sums:
            other = self.total(second)
            add_to(self.total(first), other.keys(), other.values())
            del self.sums[second]
        self.parent[second] = first
        self.members[first].extend(self.members.pop(second))
        self.first[first], self.last[first] = self.span(first, second)
        self.key[first] = self.key[first] or self.key[second]
        self.allowed[first] = max(self.allowed[first], self.allowed[second])
        return first


def group_keyed(groups: Groups) -> None:
    """Put the articles that share a story key into one group, whatever their dates."""
    by_key: dict[str, int] = {}
    for entry in groups.entries:
        if entry.key:
            if entry.key in by_key:
                by_key[entry.key] = groups.join(groups.find(by_key[entry.key]), entry.index)
            else:
                by_key[entry.key] = entry.index
    for root in by_key.values():
        if groups.first[root] is not None:
            groups.allowed[root] = max(groups.allowed[root], groups.last[root] - groups.first[root])


def partial_day(month_day: tuple[int, int], near: int) -> int | None:
    """Return the ordinal of the month and day in the year that brings it closest to day `near`."""
    year = date.fromordinal(near).year
    days = []
    for candidate in (year - 1, year, year + 1):
        try:
            days.append(date(candidate, *month_day).toordinal())
        except ValueError:  # 29 February, or no date at all
            continue
    return min(days, key=lambda day: (abs(day - near), day)) if days else None


def fits_partial(month_day: tuple[int, int], groups: Groups, root: int) -> bool:
    """Tell whether the month and day, in some year, keeps the group within its window."""
    first, last = groups.first[root], groups.last[root]
    if first is None:
        return False
    return any(day is not None and max(last, day) - min(first, day) <= groups.allowed[root]
               for day in (partial_day(month_day, first), partial_day(month_day, last)))


def attach_undated(groups: Groups) -> None:
    """Join each unkeyed article without a full date to the dated story it matches best."""
    entries = groups.entries
    waiting = [entry for entry in entries if entry.day is None and not entry.alone and not entry.key]
    if not waiting:
        return
    postings: dict[int, list[int]] = {}
    for entry in entries:
        if entry.day is not None and not entry.alone:
            for fid in entry.ids[:KEY_FEATURES]:
                others = postings.get(fid)
                if others is None:
                    postings[fid] = [entry.index]
                else:
                    others.append(entry.index)
    choices = []
    for entry in waiting:
        threshold = groups.settings.threshold * (1 if entry.article.partial_date else UNDATED_FACTOR)
        found: dict[int, float] = {}
        for fid, weight in zip(entry.ids, entry.weights):
            others = postings.get(fid, ())
            found.update(zip(others, map(add, map(found.get, others, repeat(0.0)), repeat(weight))))
        month_day = entry.article.partial_date
        if month_day:  # before the cap, so look-alikes on other days cannot crowd out the right one
            found = {other: score for other, score in found.items()
                     if fits_partial(month_day, groups, groups.find(other))}
        if len(found) > MAX_CANDIDATES:
            found = dict.fromkeys(strongest(found))
        vector = entry.vector()
        best: dict[int, float] = {}
        for other in found:
            root = groups.find(other)
            similarity = cosine(vector, entries[other])
            if similarity >= threshold and similarity > best.get(root, 0.0):
                best[root] = similarity
        ranked = sorted(((-similarity, -groups.mean_similarity_to(vector, root),
                          min(groups.members[root]), root) for root, similarity in best.items()))
        for _, negative_mean, _, root in ranked:
            if -negative_mean >= LINK_FLOOR * groups.settings.threshold:
                choices.append((entry.index, root))
                break
    for index, root in choices:  # after all choices, so no undated article steers another
        groups.join(groups.find(root), index)


def inferred_date(article: Article, dated: list[Article], tz: tzinfo) -> datetime | None:
    """Return the date an undated member takes from its story's read dates (earliest first)."""
    if not dated:
        return None
    if not article.partial_date:
        return dated[0].published
    day = partial_day(article.partial_date, local_day(dated[0].published, tz))
    if day is None:
        return None
    # Same day as a read report: borrow its time, so the story keeps its read date and time.
    same_day = [other.published for other in dated if local_day(other.published, tz) == day]
    return same_day[0] if same_day else datetime.combine(date.fromordinal(day), time(), tzinfo=tz)


# --- Summaries ----------------------------------------------------------------------------------


class Sentence(NamedTuple):
    """A sentence of a member article, with its word ids and their summed rarity."""

    text: str
    stems: frozenset[int]
    weight: float
    position: int  # its place in the article, from 0


def sentence_words(features: ArticleFeatures, position: int) -> array:
    """Return the places in `features.words` of the words of one sentence."""
    ends = features.sentence_ends
    return features.sentence_words[ends[position - 1] if position else 0:ends[position]]


def sentence_text(entry: Entry, position: int) -> str:
    """Return the text of a sentence of the entry's article."""
    paragraph, start, end = entry.features.spans[3 * position:3 * position + 3]
    return article_paragraphs(entry.article)[paragraph][start:end]


def make_sentence(entry: Entry, position: int, corpus: Corpus) -> Sentence:
    """Return a sentence of the entry's article with its word ids and their summed rarity."""
    stems = frozenset(map(entry.words.__getitem__, sentence_words(entry.features, position)))
    return Sentence(sentence_text(entry, position), stems, corpus.weigh(stems), position)


def repeats(sentence: Sentence, chosen: list[Sentence], corpus: Corpus) -> bool:
    """Tell whether the sentence says mostly what one of the chosen ones says, or the reverse."""
    rarity = corpus.rarity
    for other in chosen:
        common = sentence.stems & other.stems
        weight = sum([rarity[word] for word in common])
        least = SAME_SUBSTANCE * min(sentence.weight, other.weight)
        # Settling moves a value by far less than the margin, so only close calls need it.
        if weight - least >= ROUNDING_MARGIN or (
                weight - least > -ROUNDING_MARGIN and settle(weight) >= settle(least)):
            return True
    return False


def lead_summary(entry: Entry, corpus: Corpus) -> str:
    """Return the first two sentences of a lone article that make a summary."""
    chosen: list[Sentence] = []
    for position, kind in enumerate(entry.features.kinds):
        if kind & SUMMARY_SENTENCE:
            sentence = make_sentence(entry, position, corpus)
            if not repeats(sentence, chosen, corpus):
                chosen.append(sentence)
                if len(chosen) == 2:
                    break
    return " ".join(sentence.text for sentence in chosen)


class Weighed(NamedTuple):
    """The sentences of a story member: the summed rarity of each one's words, all and its own."""

    weights: list[float]  # of all its words
    news: list[float]  # of the words no other member uses


def shared_words(vocabularies: list[set[int]]) -> set[int]:
    """Return the words that two vocabularies or more have."""
    seen: set[int] = set()
    shared: set[int] = set()
    for words in vocabularies:
        shared |= seen & words
        seen |= words
    return shared


def weigh_sentences(members: list[Entry], words: list[list[int]], shared: set[int], corpus: Corpus) -> list[Weighed]:
    """Return, per member, the summed rarity of each sentence's words, and of those only it uses
    (`words[i]` is members[i].words as a list)."""
    rarity = corpus.rarity
    weighed = []
    for entry, found in zip(members, words):
        features = entry.features
        rarities = pick(rarity, found)
        own = [0.0 if word in shared else value for word, value in zip(found, rarities)]
        ends = features.sentence_ends
        sentences = list(map(slice, chain((0,), ends), ends))
        # sum() over each sentence's slice, as a loop of `sum(by_word[start:end])` would, in C.
        by_word = pick(rarities, features.sentence_words)
        weights = list(map(sum, map(by_word.__getitem__, sentences)))
        by_word = pick(own, features.sentence_words)
        weighed.append(Weighed(weights, list(map(sum, map(by_word.__getitem__, sentences)))))
    return weighed


def centrality(entry: Entry, position: int, vocabularies: list[set[int]], corpus: Corpus) -> float:
    """Return the score of a sentence for a summary: rare words that many members use, leads a little more."""
    stems = [entry.words[word] for word in sentence_words(entry.features, position)]
    rarity = corpus.rarity
    central = sum([rarity[word] * (sum(map(contains, vocabularies, repeat(word))) - 1) for word in stems])
    return settle(central / math.sqrt(len(stems)) / (1 + 0.1 * position))


def summarize(members: list[Entry], weighed: list[Weighed], vocabularies: list[set[int]], corpus: Corpus) -> str:
    """Return 2-4 sentences that say what most members say, without repeats, lead sentences first."""
    wanted = min(4, 1 + len(members))
    # (-score, position, rank, exact): the best sentence first. Scoring every sentence is slow, so a
    # sentence starts with a bound of its score (each word it shares used by every member) and gets
    # its score when it comes first; one that comes first with its score is the best.
    queue: list[tuple[float, int, int, bool]] = []
    most = (len(members) - 1) * BOUND_MARGIN
    for rank, (entry, (weights, news)) in enumerate(zip(members, weighed)):
        queue += [(-(weight - new) * most * scale - ROUNDING_MARGIN, position, rank, False)
                  for position, (scale, weight, new) in enumerate(zip(entry.features.scales, weights, news)) if scale]
    heapify(queue)
    chosen: list[tuple[int, int, Sentence]] = []
    while queue and len(chosen) < wanted:
        _, position, rank, exact = heappop(queue)
        if not exact:
            heappush(queue, (-centrality(members[rank], position, vocabularies, corpus), position, rank, True))
            continue
        sentence = make_sentence(members[rank], position, corpus)
        if not repeats(sentence, [other for _, _, other in chosen], corpus):
            chosen.append((position, rank, sentence))
    return " ".join(sentence.text for _, _, sentence in sorted(chosen, key=lambda item: item[:2]))


def adds_enough(new: float, weight: float) -> bool:
    """Tell whether a sentence whose words' rarity sums to `weight` adds enough: `new` of it only its member has."""
    return settle(new) >= settle(NEW_SHARE * settle(weight))


def richest(own: list[tuple[float, int]]) -> list[int]:
    """Return the positions of the MAX_ADDITIONS sentences that add most: (new rarity, place) pairs in,
    the highest settled rarity first, then the earliest place."""
    if len(own) > MAX_ADDITIONS:  # settling is slow: only the few that may be among the richest
        floor = sorted([new for new, _ in own])[-MAX_ADDITIONS] - ROUNDING_MARGIN
        own = [(new, position) for new, position in own if new >= floor]
    return [position for _, position in sorted([(-settle(new), position) for new, position in own])[:MAX_ADDITIONS]]


def find_additions(members: list[Entry], weighed: list[Weighed]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return, per member, the few sentences whose substance no other member reports."""
    additions = []
    for entry, (weights, news) in zip(members, weighed):
        # What no other member mentions at all is what this outlet adds; keep the richest few.
        # Settling moves a value by far less than the margin, so only close calls need it.
        own = [(new, position) for position, (kind, weight, new) in enumerate(zip(entry.features.kinds, weights, news))
               if kind & ADDITION_SENTENCE and (new - NEW_SHARE * weight >= ROUNDING_MARGIN or (
                   new - NEW_SHARE * weight > -ROUNDING_MARGIN and adds_enough(new, weight)))]
        positions = sorted(richest(own))
        additions.append((entry.article.id, tuple(sentence_text(entry, position) for position in positions)))
    return tuple(additions)


def story_title(members: list[Entry]) -> str:
    """Return the title of the member most like the others; a read title beats an inferred one."""
    titled = [entry for entry in members if entry.article.title.strip()]
    read = [entry for entry in titled if entry.article.origin_of("title") != INFERRED]
    candidates = read or titled
    if len(candidates) < 2:
        return candidates[0].article.title.strip() if candidates else ""
    total: dict[int, float] = {}
    for entry in members:
        add_to(total, entry.ids, entry.weights)

    def likeness(entry: Entry) -> float:
        vector = entry.vector()
        return dot(vector, total) - dot(vector, vector)

    best = min(candidates, key=lambda entry: (HYPE_LABEL.match(entry.article.title) is not None,
                                                entry.article.title.isupper(), -settle(likeness(entry)),
                                                entry.day is None, entry.day or 0, entry.index))
    return best.article.title.strip()


# --- Stories ------------------------------------------------------------------------------------


def newest_first(article: Article) -> tuple:
    """Return a sort key: the newest article first, undated ones last."""
    moment = article.published
    return (moment is None, -moment.timestamp() if moment else 0.0, article.id, article.origin)


def oldest_first(article: Article) -> tuple:
    """Return a sort key: the oldest article first, undated ones last."""
    moment = article.published
    return (moment is None, moment.timestamp() if moment else 0.0, article.id, article.origin)


def canonical_order(articles: Sequence[Article]) -> list[int]:
    """Return the positions of the articles in an order that does not depend on the input order."""
    return sorted(range(len(articles)), key=lambda i: (
        articles[i].id, articles[i].origin, articles[i].title, articles[i].body, i))


def earliest_read(members: list[Entry]) -> list[Article]:
    """Return the members with a read (not inferred) date, earliest first."""
    dated = [entry.article for entry in members if entry.article.published is not None
             and entry.article.origin_of("published") != INFERRED]
    return sorted(dated, key=lambda article: (article.published, article.id, article.origin))


def story_slug(members: list[Entry], key: str, dated: list[Article], tz: tzinfo) -> tuple[str, tuple]:
    """Return the slug a story asks for and the order in which clashing slugs are served."""
    if key:
        return key, (0, 0.0, key, "")
    if dated:
        anchor = dated[0]
        moment = anchor.published if anchor.published.tzinfo else anchor.published.replace(tzinfo=tz)
        prefix, claim = f"{moment.astimezone(tz):%Y-%m-%d}", (1, moment.timestamp(), anchor.id, anchor.origin)
    else:
        anchor = min((entry.article for entry in members), key=lambda article: (article.id, article.origin))
        prefix, claim = "undated", (2, 0.0, anchor.id, anchor.origin)
    name = title_slug(anchor.title, SLUG_TITLE_LENGTH) or hashlib.sha1(anchor.id.encode()).hexdigest()[:8]
    return f"{prefix}-{name}", claim


class StoryText(NamedTuple):
    """What is written for a story from its members' texts: the slow part of making it."""

    title: str
    summary: str
    additions: tuple[tuple[str, tuple[str, ...]], ...]


def by_age(members: list[Entry]) -> list[Entry]:
    """Return the members oldest first (undated last), in an order that does not depend on the input."""
    newest = sorted(members, key=lambda entry: newest_first(entry.article))
    return sorted(newest, key=lambda entry: oldest_first(entry.article))


def story_text(members: list[Entry], corpus: Corpus) -> StoryText:
    """Return the title, summary and additions of the story of the members (whose articles already
    carry their dates): they depend on the members and the corpus alone."""
    oldest = by_age(members)
    if len(oldest) == 1:
        summary, additions = lead_summary(oldest[0], corpus), ()
    else:
        # An array makes a new int each time it is read: read each member's words once.
        words = [entry.words.tolist() for entry in oldest]
        vocabularies = [set(found) for found in words]
        weighed = weigh_sentences(oldest, words, shared_words(vocabularies), corpus)
        summary, additions = summarize(oldest, weighed, vocabularies, corpus), find_additions(oldest, weighed)
    return StoryText(story_title(members), summary, additions)


def make_story(slug: str, members: list[Entry], text: StoryText) -> Story:
    """Return the story of the members (whose articles already carry its id and their dates)."""
    articles = sorted((entry.article for entry in members), key=newest_first)
    oldest = [entry.article for entry in by_age(members)]
    summary = text.summary or next((article.summary for article in oldest if article.summary), "")
    start = oldest[0].published
    inferred = start is not None and all(article.origin_of("published") == INFERRED
                                         for article in articles if article.published == start)
    return Story(id=slug, slug=slug, title=text.title, articles=tuple(articles), summary=summary,
                 topics=topics.story_topics(oldest), date_inferred=inferred, additions=text.additions)


# The story texts to write in forked workers, which inherit them: (each story's members, the corpus).
_stories_to_write: tuple[list[list[Entry]], Corpus] | None = None
STORIES_PER_TASK = 64
FEWEST_FOR_WORKERS = 512  # fewer stories than this are written faster than workers start


def write_in_worker(index: int) -> StoryText:
    groups, corpus = _stories_to_write
    return story_text(groups[index], corpus)


@contextlib.contextmanager
def texts_written(groups: list[list[Entry]], corpus: Corpus, jobs: int) -> Iterator[Callable[[], list[StoryText]]]:
    """Start writing the text of each group's story, in `jobs` forked processes when there are many,
    and yield the function that waits for them; the workers stop when the block ends."""
    context = pools.fork_context()
    if jobs <= 1 or len(groups) < FEWEST_FOR_WORKERS or context is None:
        yield lambda: [story_text(members, corpus) for members in groups]
        return
    global _stories_to_write
    _stories_to_write = (groups, corpus)
    try:
        with context.Pool(jobs, initializer=pools.leave_signals_to_parent) as pool:
            yield pool.map_async(write_in_worker, range(len(groups)), chunksize=STORIES_PER_TASK).get
    finally:
        _stories_to_write = None


def cluster_stories(articles: Sequence[Article], settings: StorySettings, tz: tzinfo,
                    features: Sequence[ArticleFeatures | None] | None = None,
                    jobs: int = 1) -> tuple[list[Article], list[Story]]:
    """Return the articles with their story id (and inferred dates) and the stories, newest first.

    `features[i]`, when given, must be `article_features(articles[i])` (made earlier, in another
    process or in a cache); what is missing is made here. Story texts are written in `jobs` processes.
    """
    with grouped(articles, settings, tz, features, jobs) as (placed, stories):
        return placed, stories()


@contextlib.contextmanager
def grouped(articles: Sequence[Article], settings: StorySettings, tz: tzinfo,
            features: Sequence[ArticleFeatures | None] | None = None,
            jobs: int = 1) -> Iterator[tuple[list[Article], Callable[[], list[Story]]]]:
    """Yield what cluster_stories returns, the stories as a function that waits for them: their texts
    are written in worker processes meanwhile, so the block can do other work (topics, addresses)."""
    if features is None:
        features = [None] * len(articles)
    if len(features) != len(articles):
        raise ValueError(f"{len(features)} features for {len(articles)} articles (expected one per article)")
    features = [article_features(article) if found is None else found for article, found in zip(articles, features)]
    corpus = weigh_articles(articles, features, tz)
    plans = story_plans(corpus, settings, tz)
    placed: list[Article] = list(articles)
    for entry, position in zip(corpus.entries, corpus.positions):
        placed[position] = entry.article
    with texts_written([members for _, members in plans], corpus, jobs) as texts:

        def stories() -> list[Story]:
            made = [make_story(slug, members, text) for (slug, members), text in zip(plans, texts())]
            return sorted(made, key=lambda story: (story.published is None,
                                                  -story.published.timestamp() if story.published else 0.0, story.id))

        yield placed, stories


def story_plans(corpus: Corpus, settings: StorySettings, tz: tzinfo) -> list[tuple[str, list[Entry]]]:
    """Return each story's slug and members, grouping the corpus; each member's article gets the story's
    slug, and an undated one the date it takes from the story."""
    entries = corpus.entries
    groups = Groups(entries, settings)
    group_keyed(groups)
    for _, first, second in find_pairs(entries, settings):
        first, second = groups.find(first), groups.find(second)
        if first != second and groups.can_join(first, second):
            groups.join(first, second)
    attach_undated(groups)

    planned = []
    for root, indexes in groups.members.items():
        members = [entries[index] for index in sorted(indexes)]
        dated = earliest_read(members)
        slug, claim = story_slug(members, groups.key[root], dated, tz)
        planned.append((claim, slug, members, dated))
    planned.sort(key=lambda plan: plan[0])
    taken: set[str] = set()
    plans = []
    for claim, slug, members, dated in planned:
        if slug in taken:  # the earlier story keeps the plain slug; the later one adds its anchor's hash
            slug = f"{slug}-{hashlib.sha1(f'{claim[2]}/{claim[3]}'.encode()).hexdigest()[:6]}"
        while slug in taken:
            slug += "-2"
        taken.add(slug)
        for entry in members:
            article = entry.article
            changes: dict = {"story": slug}
            if article.published is None:
                moment = inferred_date(article, dated, tz)
                if moment is not None:
                    changes.update(published=moment, provenance=article.with_origin("published", INFERRED))
            entry.article = replaced(article, **changes)
        plans.append((slug, members))
    return plans
