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
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import NamedTuple

from .config import StorySettings
from .model import INFERRED, Article, Story
from .urls import slugify

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
STEM_LENGTH = 7
# Word -> stem ("" for a stop word): stemming every word of 100,000 articles anew is the slow part.
STEMS: dict[str, str] = {}
STEM_CACHE_SIZE = 500_000

PERCENT = re.compile(r"(\d)\s*(?:per ?cent|percent)\b", re.IGNORECASE)
WORD = re.compile(r"\b[^\W\d_]+(?:['’][^\W\d_]+)*")
NUMBER = re.compile(r"(?:\$|\b)\d[\d,]*(?:\.\d+)?(?:%|bn\b|tn\b|m\b)?")
NAME_PAIR = re.compile(r"\b([A-Z][^\W\d_]+) (?=([A-Z][^\W\d_]+))")
QUOTE = re.compile(r"[“\"]([^“”\"\n]{12,400})[”\"]")
MONTH_NAME = re.compile(r"\b(Jan|January|Feb|February|Mar|March|Apr|April|May|June?|July?|Aug|August|Sept?"
                        r"|September|Oct|October|Nov|November|Dec|December)\b\.?")
DAY_AFTER = re.compile(r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?")  # Nov. 24, November 24th, 2025
DAY_BEFORE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$")  # 24 November, 24th of November
YEAR_AFTER = re.compile(r",?\s+(\d{4})\b")  # April 2026
MONTHS = {name: number for number, names in enumerate(
    ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"), start=1)
    for name in names.split()}
FINISHED = re.compile(r"[.!?][\"”’)\]]*$")  # a sentence ends so; a heading or dateline does not
SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
ABBREVIATED = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|Prof|Jan|Feb"
                         r"|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|Inc|Corp|Co|Ltd)|\b[A-Z])\.$")


# --- Features -----------------------------------------------------------------------------------


def stem(word: str) -> str:
    """Return a crude stem of a lower-case word: possessive, plural and tense endings off, 7 letters."""
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if len(word) > 4:
        for suffix, replacement, shortest in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
                if suffix != "s" or not word.endswith(("ss", "us", "is")):
                    word = word[:-len(suffix)] + replacement
                break
        if len(word) > 4 and word.endswith("e"):
            word = word[:-1]
    return word[:STEM_LENGTH]


def content_stems(text: str) -> list[str]:
    """Return the stems of the words of `text` that are not stop words, in order."""
    words = WORD.findall(text.lower())
    try:
        return [found for found in map(STEMS.__getitem__, words) if found]
    except KeyError:
        if len(STEMS) > STEM_CACHE_SIZE:
            STEMS.clear()
        for word in words:
            if word not in STEMS:
                STEMS[word] = "" if len(word) < 2 or word in STOPWORDS else stem(word)
        return [found for found in map(STEMS.__getitem__, words) if found]


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
    features = content_stems(text)
    features += ["#" + number for number in (raw.replace(",", "") for raw in NUMBER.findall(text)) if len(number) > 1]
    for pair in NAME_PAIR.findall(text):
        names = content_stems(" ".join(pair))
        if len(names) == 2:
            features.append("&" + " ".join(names))
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


def count_features(article: Article) -> Counter[str]:
    """Return how often each feature occurs in the article, its headline counting double."""
    title = [article.title] * TITLE_WEIGHT if article.title else []
    return Counter(text_features("\n".join(title + list(article_paragraphs(article)))))


@dataclass(slots=True)
class Entry:
    """One article while it is being grouped: its place, local day and weighted features."""

    index: int  # position in the canonical (input-order independent) order
    article: Article
    day: int | None  # proleptic ordinal of its local publication day
    key: str  # normalised story key; "" when none
    alone: bool  # story: false
    ids: array = dataclasses.field(default_factory=lambda: array("i"))  # feature ids, heaviest first
    weights: array = dataclasses.field(default_factory=lambda: array("d"))  # unit-vector weights

    def vector(self) -> dict[int, float]:
        """Return the features and weights as a dict, for lookups."""
        return dict(zip(self.ids, self.weights))


@dataclass(slots=True)
class Corpus:
    """The weighted features of every article, and the rarity (IDF) of the words and numbers."""

    entries: list[Entry]
    rarity: dict[str, float]  # of the word stems and numbers in two articles or more; grows on lookup
    once: float  # the rarity of one in a single article

    def weigh(self, stems: frozenset[str]) -> float:
        """Return the summed rarity of a set of word stems and numbers."""
        try:
            return settle(sum(map(self.rarity.__getitem__, stems)))
        except KeyError:
            for word in stems.difference(self.rarity):
                self.rarity[word] = self.once
            return settle(sum(map(self.rarity.__getitem__, stems)))


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


def weigh_articles(articles: Sequence[Article], tz: tzinfo) -> Corpus:
    """Return the articles in canonical order, each with its TF-IDF vector over shared features."""
    ordered = canonical_order(articles)
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new feature gets the next id
    frequency: Counter[int] = Counter()
    counted = []
    for position in ordered:
        counts = count_features(articles[position])
        ids = array("i", map(vocabulary.__getitem__, counts))
        frequency.update(ids)
        try:
            tfs = array("H", counts.values())
        except OverflowError:  # a word 65,536 times in one article: saturated long before
            tfs = array("H", (min(tf, 65535) for tf in counts.values()))
        counted.append((ids, tfs))
    vocabulary.default_factory = None
    total = len(articles) + IDF_PRIOR
    idf = [0.0] * len(vocabulary)
    shared = [False] * len(vocabulary)
    rarity: dict[str, float] = {}  # what summaries need once the vocabulary is gone
    for feature, fid in vocabulary.items():
        df = frequency[fid]
        idf[fid] = math.log(total / (df + 1)) * BOOSTS.get(feature[0], 1.0)
        if df > 1:
            shared[fid] = True
            if feature[0] not in BOOSTS or feature[0] == "#":
                rarity[feature.lstrip("#")] = math.log(total / (df + 1))
    del frequency, vocabulary
    log = math.log
    entries = []
    for index, position in enumerate(ordered):
        ids, tfs = counted[index]
        counted[index] = None  # type: ignore[call-overload]  # free as we go
        weights = [(1 + log(tf)) * idf[fid] for fid, tf in zip(ids, tfs)]
        norm = math.hypot(*weights) or 1.0
        # A feature no other article has cannot match: it only counts in the norm.
        kept = sorted([(-weight, fid) for weight, fid in zip(weights, ids) if shared[fid]])[:MAX_FEATURES]
        article = articles[position]
        key, alone = story_key(article)
        entries.append(Entry(index, article, local_day(article.published, tz), key, alone,
                             array("i", [fid for _, fid in kept]),
                             array("d", [-weight / norm for weight, _ in kept])))
    return Corpus(entries, rarity, math.log(total / 2))


def cosine(vector: dict[int, float], entry: Entry) -> float:
    """Return the similarity of a vector and an entry's vector (both unit length)."""
    get = vector.get
    return sum(get(fid, 0.0) * weight for fid, weight in zip(entry.ids, entry.weights))


def dot(first: dict[int, float], second: dict[int, float]) -> float:
    """Return the dot product of two sparse vectors."""
    if len(first) > len(second):
        first, second = second, first
    get = second.get
    return sum(weight * get(fid, 0.0) for fid, weight in first.items())


# --- Grouping -----------------------------------------------------------------------------------


def find_pairs(entries: list[Entry], settings: StorySettings) -> list[tuple[float, int, int]]:
    """Return (-similarity, i, j) for dated pairs within the window at or above the threshold."""
    window = settings.window_days
    order = sorted((entry for entry in entries if entry.day is not None and not entry.alone),
                   key=lambda entry: (entry.day, entry.index))
    postings: dict[int, deque[int]] = {}
    pairs = []
    left = 0
    for entry in order:
        while order[left].day < entry.day - window:
            for fid in order[left].ids:  # the oldest article is first in each of its postings
                queue = postings[fid]
                queue.popleft()
                if not queue:
                    del postings[fid]
            left += 1
        found: dict[int, float] = {}
        for fid, weight in zip(entry.ids[:KEY_FEATURES], entry.weights[:KEY_FEATURES]):
            queue = postings.get(fid)
            if queue is not None and len(queue) <= MAX_POSTINGS:
                for other in queue:
                    found[other] = found.get(other, 0.0) + weight
        if len(found) > MAX_CANDIDATES:
            found = dict.fromkeys(sorted(found, key=lambda other: (-found[other], other))[:MAX_CANDIDATES])
        vector = entry.vector() if found else {}
        for other_index in found:
            other = entries[other_index]
            if entry.key and other.key:  # one key is already one story; two keys never merge
                continue
            fade = 1 - TIME_FADE * (entry.day - other.day) / window if window else 1.0
            similarity = cosine(vector, other) * fade
            if similarity >= settings.threshold:
                pairs.append((-similarity, min(entry.index, other_index), max(entry.index, other_index)))
        for fid in entry.ids:
            postings.setdefault(fid, deque()).append(entry.index)
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
                for fid, weight in zip(self.entries[member].ids, self.entries[member].weights):
                    summed[fid] = summed.get(fid, 0.0) + weight
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
            summed = self.total(first)
            for fid, weight in self.total(second).items():
                summed[fid] = summed.get(fid, 0.0) + weight
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
                postings.setdefault(fid, []).append(entry.index)
    choices = []
    for entry in waiting:
        threshold = groups.settings.threshold * (1 if entry.article.partial_date else UNDATED_FACTOR)
        found: dict[int, float] = {}
        for fid, weight in zip(entry.ids, entry.weights):
            for other in postings.get(fid, ()):
                found[other] = found.get(other, 0.0) + weight
        month_day = entry.article.partial_date
        if month_day:  # before the cap, so look-alikes on other days cannot crowd out the right one
            found = {other: score for other, score in found.items()
                     if fits_partial(month_day, groups, groups.find(other))}
        if len(found) > MAX_CANDIDATES:
            found = dict.fromkeys(sorted(found, key=lambda other: (-found[other], other))[:MAX_CANDIDATES])
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
    """A sentence of a member article, with its content stems and their summed rarity."""

    text: str
    stems: frozenset[str]
    weight: float
    words: int
    position: int  # its place in the article, from 0


def split_sentences(paragraph: str) -> list[str]:
    """Return the sentences of a paragraph, not splitting after "Mr.", "Nov." or "U.S."."""
    sentences, start = [], 0
    for match in SENTENCE_END.finditer(paragraph):
        if match.group()[0] == "." and ABBREVIATED.search(paragraph, max(0, match.start() - 6), match.start() + 1):
            continue
        sentences.append(paragraph[start:match.end()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [sentence for sentence in sentences if sentence]


def sentence_texts(article: Article) -> list[str]:
    """Return the sentences of an article, paragraph by paragraph."""
    return [sentence for paragraph in article_paragraphs(article) for sentence in split_sentences(paragraph)]


def make_sentence(text: str, position: int, corpus: Corpus) -> Sentence:
    """Return a sentence with its content stems and numbers and their summed rarity."""
    stems = frozenset(content_stems(text) + [number.replace(",", "") for number in NUMBER.findall(text)])
    return Sentence(text, stems, corpus.weigh(stems), text.count(" ") + 1, position)


def repeats(sentence: Sentence, chosen: list[Sentence], corpus: Corpus) -> bool:
    """Tell whether the sentence says mostly what one of the chosen ones says, or the reverse."""
    return any(corpus.weigh(sentence.stems & other.stems)
               >= settle(SAME_SUBSTANCE * min(sentence.weight, other.weight)) for other in chosen)


def summary_material(sentence: Sentence) -> bool:
    """Tell whether a sentence is a whole one of a useful length (not a heading, caption or dateline)."""
    shortest, longest = SUMMARY_WORDS
    return (shortest <= sentence.words <= longest and len(sentence.stems) >= 3
            and FINISHED.search(sentence.text) is not None)


def lead_summary(article: Article, corpus: Corpus) -> str:
    """Return the first two sentences of a lone article that make a summary."""
    chosen: list[Sentence] = []
    for position, text in enumerate(sentence_texts(article)):
        sentence = make_sentence(text, position, corpus)
        if summary_material(sentence) and not repeats(sentence, chosen, corpus):
            chosen.append(sentence)
            if len(chosen) == 2:
                break
    return " ".join(sentence.text for sentence in chosen)


def summarize(members: list[Article], sentences: list[list[Sentence]], corpus: Corpus) -> str:
    """Return 2-4 sentences that say what most members say, without repeats, lead sentences first."""
    wanted = min(4, 1 + len(members))
    weights = corpus.rarity  # every stem of every sentence is in it already
    shared = Counter(word for found in sentences for word in frozenset().union(*(s.stems for s in found)))
    scored = []
    for rank, found in enumerate(sentences):
        for sentence in found:
            if summary_material(sentence):
                # Rare words that many members use make a sentence central; leads count a little more.
                centrality = sum(weights[word] * (shared[word] - 1) for word in sentence.stems)
                score = settle(centrality / math.sqrt(len(sentence.stems)) / (1 + 0.1 * sentence.position))
                scored.append((-score, sentence.position, rank, sentence))
    scored.sort(key=lambda item: item[:3])
    chosen: list[tuple[int, int, Sentence]] = []
    for _, position, rank, sentence in scored:
        if len(chosen) == wanted:
            break
        if not repeats(sentence, [other for _, _, other in chosen], corpus):
            chosen.append((position, rank, sentence))
    return " ".join(sentence.text for _, _, sentence in sorted(chosen, key=lambda item: item[:2]))


def find_additions(members: list[Article], sentences: list[list[Sentence]],
                   corpus: Corpus) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return, per member, the few sentences whose substance no other member reports."""
    vocabularies = [frozenset().union(*(sentence.stems for sentence in found)) for found in sentences]
    additions = []
    for rank, (article, found) in enumerate(zip(members, sentences)):
        elsewhere = frozenset().union(*(words for other, words in enumerate(vocabularies) if other != rank))
        own = []
        for sentence in found:
            if sentence.words < ADDITION_WORDS or len(sentence.stems) < 2 or not FINISHED.search(sentence.text):
                continue
            # What no other member mentions at all is what this outlet adds; keep the richest few.
            new = corpus.weigh(sentence.stems - elsewhere)
            if new >= settle(NEW_SHARE * sentence.weight):
                own.append((-settle(new), sentence.position, sentence))
        richest = sorted(sorted(own, key=lambda item: item[:2])[:MAX_ADDITIONS], key=lambda item: item[1])
        additions.append((article.id, tuple(sentence.text for _, _, sentence in richest)))
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
        for fid, weight in zip(entry.ids, entry.weights):
            total[fid] = total.get(fid, 0.0) + weight

    def likeness(entry: Entry) -> float:
        vector = entry.vector()
        return dot(vector, total) - dot(vector, vector)

    best = min(candidates, key=lambda entry: (HYPE_LABEL.match(entry.article.title) is not None,
                                                entry.article.title.isupper(), -settle(likeness(entry)),
                                                entry.day is None, entry.day or 0, entry.index))
    return best.article.title.strip()


def story_topics(members: list[Article]) -> tuple[str, ...]:
    """Return every member topic, the most frequent first."""
    counts = Counter(topic for article in members for topic in dict.fromkeys(article.topics))
    return tuple(sorted(counts, key=lambda topic: (-counts[topic], topic.casefold(), topic)))


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
    name = slugify(anchor.title, SLUG_TITLE_LENGTH) or hashlib.sha1(anchor.id.encode()).hexdigest()[:8]
    return f"{prefix}-{name}", claim


def make_story(slug: str, members: list[Entry], corpus: Corpus) -> Story:
    """Return the story of the members (whose articles already carry its id and their dates)."""
    articles = sorted((entry.article for entry in members), key=newest_first)
    by_age = sorted(articles, key=oldest_first)
    if len(by_age) == 1:
        summary, additions = lead_summary(by_age[0], corpus), ()
    else:
        sentences = [[make_sentence(text, position, corpus) for position, text in enumerate(sentence_texts(article))]
                     for article in by_age]
        summary, additions = summarize(by_age, sentences, corpus), find_additions(by_age, sentences, corpus)
    summary = summary or next((article.summary for article in by_age if article.summary), "")
    start = by_age[0].published
    inferred = start is not None and all(article.origin_of("published") == INFERRED
                                         for article in articles if article.published == start)
    return Story(id=slug, slug=slug, title=story_title(members), articles=tuple(articles), summary=summary,
                 topics=story_topics(by_age), date_inferred=inferred, additions=additions)


def cluster_stories(articles: Sequence[Article], settings: StorySettings,
                    tz: tzinfo) -> tuple[list[Article], list[Story]]:
    """Return the articles with their story id (and inferred dates) and the stories, newest first."""
    corpus = weigh_articles(articles, tz)
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
    stories = []
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
            entry.article = dataclasses.replace(article, **changes)
        stories.append(make_story(slug, members, corpus))
    stories.sort(key=lambda story: (story.published is None,
                                    -story.published.timestamp() if story.published else 0.0, story.id))
    placed: list[Article] = list(articles)
    for entry, position in zip(entries, canonical_order(articles)):
        placed[position] = entry.article
    return placed, stories
