"""Topics: each article's front-matter labels, the topic-map subjects its text is about, and the
people, places and organisations that recur across stories; one topic is one `topic_slug`.

What depends on one article alone is its `Reading`, which the build caches per file; the rest is
decided over the whole corpus, from the readings, in `assign_topics`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from . import pools
from .config import Config
from .model import FRONT_MATTER, INFERRED, Article, replaced
from .urls import slugify

MAX_TOPICS = 8
# A map topic applies on one mention in the title or summary, or on this many in the body.
MIN_BODY_MENTIONS = 2
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 3, 2, 1
# A name is a topic when at least this many stories mention it (an article without a story is
# its own story): outlets covering one event share its one-off names, which make useless pages...
MIN_NAME_STORIES = 2
# ...and, once the corpus has MIN_CORPUS_FOR_SHARE stories, at most this share of them:
# a name in most stories ("Trump" in a Trump digest) says nothing about any one of them.
MAX_NAME_SHARE = 0.5
MIN_CORPUS_FOR_SHARE = 10
MAX_NAME_WORDS = 5  # a longer capitalised run is a headline or a heading, not a name
HEADLINE_MAX_CHARS = 160
CACHE_SIZE = 1 << 18  # distinct names and runs remembered; a corpus repeats most of them

# Front-matter labels that mean "no label".
EMPTY_LABELS = {"uncategorized", "uncategorised", "none", "untagged"}
# Words that end like plurals but are not; topic_slug leaves them alone.
NOT_PLURALS = {"news", "series", "species", "states", "politics", "economics", "physics", "athletics",
               "olympics", "wales", "philippines", "netherlands", "brussels", "athens", "emirates",
               "maldives", "seychelles", "americas", "mercedes", "reuters", "lens", "means"}
# Capitalised words that start sentences or headlines but never name anything on their own.
STOP_WORDS = set("""
    a about above according across after afterwards again against ahead all almost along already also
    although always among an and another any anyone anything are around as at back be because been
    before behind being below beneath beside besides between beyond both but by can could despite did do
    does doing done during each earlier either else even ever every everyone everything except far few
    finally first for former from further furthermore had has have having he hence her here hers herself
    him himself his how however i if in including indeed inside instead into is it it's its itself just
    last later latest let let's like likewise many maybe me meanwhile might mine more moreover most
    much must my myself near neither never nevertheless next no none nonetheless nor not notably
    nothing now of off often on once one only onto or other others otherwise our ours out outside over
    overall own perhaps please previously rather recently regardless same second separately several she
    should similarly since so some someone something sometimes soon still such than that the their theirs
    them themselves then there therefore these they this those though through throughout thus till to
    today together tomorrow tonight too toward towards two under unless unlike until up upon very via
    was we were what whatever when whenever where whereas whether which while who whoever whom whose why
    will with within without would yes yesterday yet you your yours yourself
    amid western eastern northern southern central
    breaking exclusive opinion analysis update updated watch read photo photos video image getty
    gmt utc bst est edt pst pdt cet
    monday tuesday wednesday thursday friday saturday sunday
""".split())
# Calendar words are dropped at the start of a name ("May", "In May") but kept inside one ("Theresa May").
CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december", "jan", "feb", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec"}
# Titles before a name: split off, and they mark what follows as a person ("President Xi Jinping").
TITLES = {"president", "president-elect", "vice-president", "minister", "secretary", "chancellor",
          "leader", "mr", "mrs", "ms", "mx", "dr", "sir", "dame", "lord", "king", "queen", "prince",
          "princess", "pope", "senator", "sen", "rep", "representative", "congressman", "congresswoman",
          "governor", "gov", "mayor", "chairman", "chairwoman", "chairperson", "ceo", "ambassador",
          "spokesperson", "spokesman", "spokeswoman", "envoy", "judge", "commissioner", "emperor",
          "sheikh", "ayatollah", "gen", "lt", "col", "capt", "sgt", "adm", "cardinal", "archbishop",
          "bishop", "rabbi", "imam", "professor", "prof", "rev", "reverend", "speaker", "director"}
# Words that belong to the title after them: "Prime Minister", "White House Press Secretary".
TITLE_MODIFIERS = {"prime", "vice", "deputy", "foreign", "press", "chief", "first", "acting", "former",
                   "interim", "defence", "defense", "finance", "home", "interior", "trade", "commerce",
                   "treasury", "health", "education", "energy", "transport", "senior", "assistant",
                   "associate", "supreme", "majority", "minority", "opposition", "executive", "managing"}
# Lower-case words allowed inside a name: "Bank of England", "Charles de Gaulle".
CONNECTORS = ("of", "de", "du", "da", "del", "della", "der", "den", "van", "von", "bin", "ibn", "al")
# Nationality and language adjectives are not topics on their own ("Chinese goods").
DEMONYMS = {"french", "dutch", "german", "greek", "swiss", "thai", "israeli", "iraqi", "saudi",
            "pakistani", "afghan", "emirati", "qatari", "kuwaiti", "yemeni", "bangladeshi", "filipino",
            "czech", "welsh", "arab", "nepali", "somali", "omani", "latino", "latina", "maori", "inuit"}
DEMONYM_ENDINGS = ("ese", "ian", "ean", "ish", "ican")
NOT_DEMONYMS = {"caribbean", "mediterranean", "vatican"}
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or", "the",
               "to", "up", "with", "vs", "via", "from", "into", "over"}


def capital_letters() -> str:
    """Return a character-class body of every upper- and title-case letter in the BMP."""
    letters = "".join(chr(code) for code in range(0x10000) if unicodedata.category(chr(code)) in ("Lu", "Lt"))
    return re.escape(letters)


CAPITAL = f"[{capital_letters()}]"
# After its capital: ".S." of "U.S.", "r." of "Mr." before a name, or the rest of a word;
# then hyphenated parts ("Mar-a-Lago", "China-based"). Possessives are cut off later.
WORD_TAIL = (rf"(?:(?:\.{CAPITAL})+\.|(?:rs|r|s|t|en|ep|ov|ol|apt|gt|dm|rof|ev)\.(?=[ \t\u00a0]+{CAPITAL})"
             r"|\w*(?:['’]\w+)*)(?:-\w+(?:['’]\w+)*)*")
SPACE = r"[ \t\u00a0]+"
# Whether a capital opens a sentence, read by look-behinds that capture the mark before it: a full
# stop, colon, quote, bracket or line break, maybe a space, maybe a closing quote after a full stop.
BLANK = r"[ \t\u00a0]"
MARK = r"""[.!?:;…•"“‘(\[«\n]"""
# The first alternative settles the common case, a word and a space before the capital, in one test.
OPENING = (rf"(?:(?<=[\w,] .)|(?<=({MARK}).)|(?<=({MARK}){BLANK}.)|(?<=({MARK}){BLANK}{BLANK}.)"
           rf"|(?<=([.!?][”’»)]){BLANK}.))?")
# A run of capitalised words, possibly joined by a connector: a name or several names in a row.
# The look-behinds come after the first capital so that the regex engine can skip to capitals fast.
NAME_RUN = re.compile(rf"({CAPITAL}{OPENING}(?<![\w.-].){WORD_TAIL}"
                      rf"(?:{SPACE}(?:(?:{'|'.join(CONNECTORS)}){SPACE})?{CAPITAL}{WORD_TAIL})*)")
DOTTED_ABBREVIATION = re.compile(r"\b(?:(\w)\.){2,}")
WORDS = re.compile(r"\w+")

Name = tuple[str, ...]


def normalize_topic(name: str) -> str:
    """Return the display form of a topic name: tidy spaces, no hashtag, possessive or leading title."""
    text = " ".join(unicodedata.normalize("NFC", str(name)).split())
    text = DOTTED_ABBREVIATION.sub(lambda match: match.group().replace(".", ""), text)
    text = text.lstrip("#").strip(" \"'“”‘’.,;:!?()[]")
    text = re.sub(r"['’]s$", "", text)
    text = " ".join(without_title(text.split(" ")))
    if text and not any(character.isupper() for character in text):
        text = text[0].upper() + text[1:]
    return text


def without_title(words: list[str]) -> list[str]:
    """Return a name's words without a leading title: "Prime Minister Sanae Takaichi" -> "Sanae Takaichi"."""
    start = 0
    while start < len(words) and words[start].casefold() in TITLE_MODIFIERS:
        start += 1
    titled = start + 1 < len(words) and words[start].casefold().rstrip(".") in TITLES
    if titled and words[start + 1][:1].isupper():
        return without_title(words[start + 1:])
    return words


@lru_cache(maxsize=CACHE_SIZE)
def topic_slug(name: str) -> str:
    """Return the URL slug of a topic; names differing in case, plural or possessive share it."""
    return folded_slug(normalize_topic(name))


@lru_cache(maxsize=CACHE_SIZE)
def folded_slug(name: str) -> str:
    """Return the slug of a name that is already normalised: lower case, last word singular."""
    words = WORDS.findall(name.casefold().replace("_", " "))
    if not words:
        return ""
    words[-1] = singular(words[-1])
    folded = " ".join(words)
    # slugify keeps ASCII only; a name written wholly in another script gets a stable hash instead
    return slugify(folded) or "topic-" + hashlib.sha1(folded.encode("utf-8")).hexdigest()[:10]


def singular(word: str) -> str:
    """Return `word` without a regular English plural ending ("tariffs", "taxes")."""
    # "-ies" is left alone: "companies" wants "company" but "movies" wants "movie"
    if (len(word) < 4 or word in NOT_PLURALS or not word.endswith("s")
            or word.endswith(("ss", "us", "is", "as", "ies"))):
        return word
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1]


# ---- topics from the topic map ------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, slots=True)
class TopicMap:
    """The topic map compiled once: one regex for every signal phrase, and each phrase's topics."""

    names: tuple[str, ...]
    pattern: re.Pattern
    owners: dict[str, tuple[int, ...]]  # phrase -> positions in `names`


def compile_topic_map(topics: Iterable[tuple[str, Iterable[str]]]) -> TopicMap:
    """Return the topic map as one regex; a phrase matches whole words, plurals and possessives."""
    names, owners = [], defaultdict(list)
    for position, (name, phrases) in enumerate(topics):
        names.append(name)
        for phrase in phrases:
            key = phrase_key(phrase)
            if key and position not in owners[key]:
                owners[key].append(position)
    trie: dict = {}
    for key in owners:
        node = trie
        for character in key:
            node = node.setdefault(character, {})
        node[""] = {}
    # A trie-shaped regex tries a handful of branches per word instead of every phrase, and its
    # optional tails are greedy, so "trade war" wins over "trade". Starting with the non-word
    # character before a phrase (count_phrases puts a line break first) lets the regex engine
    # skip from gap to gap instead of trying every letter.
    phrases = trie_pattern(trie)
    pattern = re.compile(rf"\W({phrases})(?:e?s)?(?:['’]s?)?(?!\w)" if owners else r"(?!)")
    return TopicMap(tuple(names), pattern, {key: tuple(positions) for key, positions in owners.items()})


def trie_pattern(node: dict) -> str:
    """Return a regex matching every path of a character trie; a space matches spaces or a hyphen."""
    branches = [(r"[\s-]+" if character == " " else re.escape(character)) + trie_pattern(child)
                for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{pattern})?" if "" in node else pattern


def phrase_key(phrase: str) -> str:
    """Return a phrase in lower case with single spaces, as the topic map stores it."""
    return " ".join(re.split(r"[\s-]+", phrase.lower().strip()))


def count_phrases(text: str, topic_map: TopicMap) -> list[int]:
    """Return the mentions of each map topic in `text`, one count per topic."""
    counts = [0] * len(topic_map.names)
    # lower-cased text without IGNORECASE, and counting in C, is several times faster
    for phrase, count in Counter(topic_map.pattern.findall("\n" + text.lower())).items():
        for position in topic_map.owners.get(phrase) or topic_map.owners.get(phrase_key(phrase), ()):
            counts[position] += count
    return counts


def detect_map_topics(article: Article, topic_map: TopicMap, body: str) -> list[int]:
    """Return the map position of every map topic the article is about, the strongest first."""
    title, summary, text = (count_phrases(part, topic_map) for part in (article.title, article.summary, body))
    found = [(TITLE_WEIGHT * title[i] + SUMMARY_WEIGHT * summary[i] + BODY_WEIGHT * text[i], i)
             for i in range(len(topic_map.names)) if title[i] or summary[i] or text[i] >= MIN_BODY_MENTIONS]
    return [position for _strength, position in sorted(found, key=lambda item: (-item[0], item[1]))]


# ---- names that recur across the corpus ---------------------------------------------------------

# A name as found in running text: (words, doubtful, titled). Doubtful: its first word opens a
# sentence, so its capital proves nothing. Titled: it followed a title such as "President".
Found = tuple[Name, bool, bool]


@lru_cache(maxsize=CACHE_SIZE)
def clean_word(word: str) -> tuple[str, bool]:
    """Return a capitalised word without possessive, dots or lower-case suffix, and whether it ends a name."""
    ends = False
    if word.endswith(("’s", "'s")):
        word, ends = word[:-2], True
    if "-" in word and word.casefold() not in TITLES:
        parts = word.split("-")
        while len(parts) > 1 and not parts[-1][:1].isupper():  # "China-based", "U.S.-led"
            parts.pop()
            ends = True
        word = "-".join(parts)
    return word.replace(".", "") if "." in word else word, ends


def is_demonym(word: str) -> bool:
    """Return whether `word` is a nationality or language adjective such as "Chinese" or "Danish"."""
    folded = word.casefold()
    folded = folded[:-1] if folded.endswith("s") else folded
    return folded in DEMONYMS or (folded.endswith(DEMONYM_ENDINGS) and folded not in NOT_DEMONYMS)


@lru_cache(maxsize=CACHE_SIZE)
def names_in_run(run: str, doubtful: bool) -> tuple[Found, ...]:
    """Return the names in a run of capitalised words; runs recur, so this is cached."""
    return tuple(split_run(run.split(), doubtful))


def split_run(words: list[str], doubtful: bool) -> list[Found]:
    """Return each name in a run of capitalised words: "US President Donald Trump" -> US, Donald Trump."""
    # a title splits the run and marks the name after it; stop words and dates are trimmed
    found: list[Found] = []
    name: list[str] = []
    titled = False
    index = 0
    while index < len(words):
        raw = words[index]
        index += 1
        if raw in CONNECTORS:
            name.append(raw)
            continue
        word, ends = clean_word(raw)
        folded = word.casefold()
        if folded in TITLES:
            while name and name[-1].casefold() in TITLE_MODIFIERS:
                name.pop()
            add_name(found, name, doubtful, titled)
            name, doubtful, titled = [], False, True
            # "Secretary of State Marco Rubio": the "of" phrase still belongs to the title
            if index + 2 < len(words) and words[index] in CONNECTORS:
                index += 2
            continue
        if not name and folded in STOP_WORDS:  # "The", "However", "According": not part of a name
            doubtful = False
            continue
        name.append(word)
        if ends:
            add_name(found, name, doubtful, titled)
            name, doubtful, titled = [], False, False
    add_name(found, name, doubtful, titled)
    return found


def add_name(found: list[Found], words: list[str], doubtful: bool, titled: bool) -> None:
    """Append to `found` the name that words of a run make, without connectors, dates and stop words at its ends."""
    first, last = 0, len(words)
    while first < last and (words[first] in CONNECTORS or words[first].casefold() in CALENDAR_WORDS):
        first += 1
    while last > first and (words[last - 1] in CONNECTORS or words[last - 1].casefold() in STOP_WORDS):
        last -= 1
    name = tuple(words[first:last])
    shouting = len(name) > 1 and all(word.isupper() for word in name)
    if name and len(name) <= MAX_NAME_WORDS and not shouting:
        found.append((name, doubtful and first == 0, titled))


def looks_like_headline(paragraph: str) -> bool:
    """Return whether a paragraph is a Title Case headline, whose capitals name nothing."""
    if len(paragraph) > HEADLINE_MAX_CHARS or paragraph.rstrip().endswith((".", "!", "?", "”", '"')):
        return False
    words = [word for word in WORDS.findall(paragraph)
             if word.casefold() not in SMALL_WORDS and not word.isdigit()]
    return len(words) >= 3 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def find_word_runs(text: str) -> Iterator[list[str]]:
    """Yield each capitalised run of `text` as cleaned words, for matching names already known."""
    for run, *_marks in NAME_RUN.findall(text):
        yield [clean_word(word)[0] for word in run.split()]


@lru_cache(maxsize=CACHE_SIZE)
def is_name(words: Name) -> bool:
    """Return whether resolved `words` can name a topic: no lone stop word, title or adjective."""
    if not words:
        return False
    if len(words) > 1:
        return True
    word = words[0]
    folded = word.casefold()
    return (len(word) > 1 and folded not in STOP_WORDS and folded not in TITLES and folded not in CALENDAR_WORDS
            and not is_demonym(word))


# What a name's words can do, the last field of its line in Reading.names: bits.
NAMES = 1  # the words can name a topic
REST_NAMES = 2  # the words after the first can: the name's first word may only open a sentence


@dataclasses.dataclass(frozen=True, slots=True)
class Reading:
    """What one article contributes to its topics; it depends only on the article and the topic map.

    The build caches one per file and holds one per article, so names are kept as text rather
    than as objects. A name is sure when a capital proves it somewhere in the text, and doubtful
    when it only ever opens a sentence, whose capital proves nothing: the corpus decides. Most
    doubtful names are one word ("Officials", "Shares") and name nothing: they are kept apart, as
    openers, for the corpus to pick the few it has seen capitalised elsewhere.
    """

    labels: tuple[tuple[str, str, int], ...]  # front-matter labels in order: (slug, form, form_quality)
    map_topics: tuple[int, ...]  # map positions of the topics the text is about, strongest first
    names: str  # one name_line per distinct name, apart by line breaks: those after a title
    # ("President"), the other sure ones, then the doubtful ones of two words or more
    titled: int  # how many of the names followed a title
    sure: int  # how many of the names are sure, the titled ones included
    mentions: tuple[int, ...]  # the mentions of each name, weighted
    openers: str  # the doubtful names of one word, apart by spaces
    opener_mentions: tuple[int, ...]  # the mentions of each opener, weighted
    confirmed: str  # the words whose capital proves something (all of a sure name's, a doubtful
    # one's after the first), case-folded, apart by spaces
    headlines: tuple[tuple[str, int], ...]  # (window_slugs of a capitalised run, weight), from the title and
    # Title Case paragraphs: their capitals prove nothing, so they are only matched against names found elsewhere

    def name_lines(self) -> list[str]:
        """Return the lines of `names`."""
        return self.names.split("\n") if self.names else []

    def proven_names(self, confirmed: set[str]) -> tuple[list[str], tuple[int, ...]]:
        """Return the name lines and their mentions, with the openers whose word is in `confirmed`."""
        lines = self.name_lines()
        if confirmed.isdisjoint(self.openers.casefold().split(" ")):
            return lines, self.mentions
        proven = [(word, count) for word, count in zip(self.openers.split(" "), self.opener_mentions)
                  if word.casefold() in confirmed]
        lines += [name_line((word,)) for word, _count in proven]
        return lines, self.mentions + tuple(count for _word, count in proven)


@lru_cache(maxsize=CACHE_SIZE, typed=True)
def read_label(raw: str) -> tuple[str, str, int] | None:
    """Return the slug, display form and form_quality of a front-matter label; None for one meaning "no label"."""
    form = normalize_topic(raw)
    if form and form.casefold() not in EMPTY_LABELS:
        return topic_slug(form), form, form_quality(str(raw))
    return None


def read_article_text(article: Article, topic_map: TopicMap) -> Reading:
    """Return the labels, map topics and names of one article."""
    labels = [label for label in map(read_label, (*article.tags, *article.categories, *article.topics)) if label]
    paragraphs = article.paragraphs or tuple(part for part in re.split(r"\n\s*\n", article.body)
                                             if part.strip())
    headline = [looks_like_headline(paragraph) for paragraph in paragraphs]
    prose = "\n".join(paragraph for paragraph, is_headline in zip(paragraphs, headline) if not is_headline)
    # the regex finds and Counter counts, both in C, so no Python runs per mention
    runs = Counter(NAME_RUN.findall("\n" + prose))
    summary_runs = NAME_RUN.findall("\n" + article.summary)
    for _weight in range(SUMMARY_WEIGHT):
        runs.update(summary_runs)
    mentions: defaultdict[Name, int] = defaultdict(int)
    sure: set[Name] = set()
    titled: set[Name] = set()
    # a run as NAME_RUN finds it: its words, then the mark before them in whichever OPENING group
    # matched ("" in the others), so any mark means that the run opens a sentence
    for run, count in runs.items():
        for words, doubtful, after_title in names_in_run(run[0], any(run[1:])):
            mentions[words] += count
            if after_title:
                titled.add(words)
            if after_title or not doubtful:
                sure.add(words)
    names = sorted(mentions, key=lambda words: (words not in titled, words not in sure))
    confirmed = " ".join(" ".join(words if words in sure else words[1:]) for words in names).casefold().split()
    openers = [words[0] for words in names if len(words) == 1 and words not in sure]
    names = [words for words in names if len(words) > 1 or words in sure]
    headlines = [(article.title, TITLE_WEIGHT)]
    headlines += [(paragraph, BODY_WEIGHT) for paragraph, is_headline in zip(paragraphs, headline) if is_headline]
    return Reading(
        labels=tuple(labels),
        map_topics=tuple(detect_map_topics(article, topic_map, "\n".join(paragraphs))),
        names="\n".join(name_line(words) for words in names),
        titled=len(titled),
        sure=len(sure),
        mentions=tuple(mentions[words] for words in names),
        openers=" ".join(openers),
        opener_mentions=tuple(mentions[(word,)] for word in openers),
        confirmed=" ".join(dict.fromkeys(confirmed)),
        headlines=tuple((window_slugs(words), weight) for text, weight in headlines
                        for words in find_word_runs(text)),
    )


@lru_cache(maxsize=CACHE_SIZE)
def name_line(words: Name) -> str:
    """Return a name as Reading keeps it, tab-separated: its words joined by spaces, its slug, the slug
    of its words after the first, and what each can do (NAMES, REST_NAMES)."""
    slug = folded_slug(" ".join(words))
    rest = words_after_first(words)
    rest_slug = folded_slug(" ".join(rest))
    kind = (NAMES if is_name(words) and slug else 0) | (REST_NAMES if is_name(rest) and rest_slug else 0)
    return f"{' '.join(words)}\t{slug}\t{rest_slug}\t{kind}"


def words_after_first(words: Name) -> Name:
    """Return a name's words after the first, without a leading connector: "Shares of Apple" -> Apple."""
    rest = words[1:]
    while rest and rest[0] in CONNECTORS:
        rest = rest[1:]
    return rest


def window_slugs(words: list[str]) -> str:
    """Return the slug of every run of up to MAX_NAME_WORDS of `words`: one line per first word, its
    longest run first, slugs apart by a space."""
    return "\n".join(" ".join(folded_slug(" ".join(words[start:end]))
                              for end in range(min(len(words), start + MAX_NAME_WORDS), start, -1))
                     for start in range(len(words)))


def match_known_names(windows: str, known: dict[str, str]) -> Iterator[str]:
    """Yield the slug of every known name among `windows` (see window_slugs), longest first and
    without overlaps."""
    starts = windows.split("\n")
    start = 0
    while start < len(starts):
        slugs = starts[start].split(" ")
        for position, slug in enumerate(slugs):
            if slug in known:
                yield known[slug]
                start += len(slugs) - position  # the number of words in this window
                break
        else:
            start += 1


def resolve_names(lines: Iterable[str], sure: set[str], confirmed: set[str]) -> dict[str, tuple[str, str]]:
    """Return (slug, written form) of each name line that names something, judged against the corpus:
    `sure` holds the lines sure somewhere, `confirmed` every word whose capital proves something."""
    # A capital at the start of a sentence proves nothing unless the word is capitalised elsewhere.
    # An unproven first word is dropped from a longer name when the rest is a name elsewhere
    # ("Shares of Apple", "Republican Mitt Romney"), and kept when it is not ("Sanae Takaichi said").
    named = {line.split("\t")[1] for line in sure}
    resolved = {}
    for line in lines:
        name, slug, rest_slug, kind = line.split("\t")
        if line not in sure and name.partition(" ")[0].casefold() not in confirmed:
            if " " not in name:  # one unproven word: nothing is left of it
                continue
            if rest_slug in named:
                if int(kind) & REST_NAMES:
                    resolved[line] = rest_slug, " ".join(words_after_first(tuple(name.split(" "))))
                continue
        if int(kind) & NAMES:
            resolved[line] = slug, name
    return resolved


def titled_words(titled: set[str], resolved: dict[str, tuple[str, str]]) -> dict[str, Name]:
    """Return the words of every name that followed a title, by slug: the least of its spellings."""
    titled_slugs = {resolved[line][0] for line in titled if line in resolved}
    words_of: dict[str, Name] = {}
    for slug, form in resolved.values():
        if slug in titled_slugs:
            words = tuple(form.split(" "))
            if slug not in words_of or words < words_of[slug]:  # the same words whatever the order
                words_of[slug] = words
    return words_of


def person_aliases(words_of: dict[str, Name], counts: Counter, protected: set[str]) -> dict[str, str]:
    """Return slug -> slug for one-word names that stand for a titled full name ("Xi" -> "Xi Jinping")."""
    candidates: dict[str, Counter] = defaultdict(Counter)
    for slug, words in words_of.items():
        if 2 <= len(words) <= 3 and not any(word in CONNECTORS for word in words) and not words[0].isupper():
            for edge in {folded_slug(words[0]), folded_slug(words[-1])}:
                if edge and edge not in protected:
                    candidates[edge][slug] = counts[slug]
    aliases = {}
    for edge, targets in candidates.items():
        ranked = targets.most_common(2)
        # "Trump" is "Donald Trump" unless another titled Trump is just as common
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            aliases[edge] = ranked[0][0]
    return aliases


def name_strengths(lines: list[str], mentions: Sequence[int], slug_of: dict[str, str]) -> dict[str, int]:
    """Return the weighted mentions of each name (slug) in one article, from its name lines."""
    strength: defaultdict[str, int] = defaultdict(int)  # Counter's __missing__ is slow Python
    for line, count in zip(lines, mentions):
        if line in slug_of:
            strength[slug_of[line]] += count
    return strength


def recurring_names(strengths: Sequence[dict[str, int]], stories: Sequence[str], excluded: set[str]) -> set[str]:
    """Return the names (slugs) mentioned in at least MIN_NAME_STORIES stories and, in a corpus of
    MIN_CORPUS_FOR_SHARE stories or more, in at most MAX_NAME_SHARE of them."""
    names_of_story: defaultdict[str, set[str]] = defaultdict(set)
    for strength, story in zip(strengths, stories):
        names_of_story[story].update(strength)
    stories_with = Counter(chain.from_iterable(names_of_story.values()))
    story_count = len(names_of_story)
    limit = MAX_NAME_SHARE * story_count if story_count >= MIN_CORPUS_FOR_SHARE else story_count
    return {slug for slug, count in stories_with.items()
            if MIN_NAME_STORIES <= count <= limit and slug not in excluded}


class NameFindings(NamedTuple):
    """What the readings say of names, before the stories are known: each article's names with their
    strengths (slug -> strength), the written forms of every name (slug -> form -> articles), and
    the aliases (a person's edge word -> their slug)."""

    strengths: list[dict[str, int]]
    forms: dict[str, Counter]
    aliases: dict[str, str]


def find_names(readings: Sequence[Reading], map_slugs: set[str]) -> NameFindings:
    """Return the names of the articles of `readings`, resolved across the corpus."""
    confirmed = set(" ".join(reading.confirmed for reading in readings).split())
    proven = [reading.proven_names(confirmed) for reading in readings]
    lines_of = [lines for lines, _mentions in proven]
    mentions_of = [mentions for _lines, mentions in proven]
    articles_with = Counter(chain.from_iterable(lines_of))  # name line -> articles
    sure = set(chain.from_iterable(lines[:reading.sure] for lines, reading in zip(lines_of, readings)))
    resolved = resolve_names(articles_with, sure, confirmed)
    reach: Counter = Counter()  # articles per slug, counted per spelling: at least the true count
    for line, (slug, _form) in resolved.items():
        reach[slug] += articles_with[line]
    titled = set(chain.from_iterable(lines[:reading.titled] for lines, reading in zip(lines_of, readings)))
    aliases = person_aliases(titled_words(titled, resolved), reach, map_slugs)
    slug_of = {line: aliases.get(slug, slug) for line, (slug, _form) in resolved.items()}
    strengths = [name_strengths(lines, mentions, slug_of) for lines, mentions in zip(lines_of, mentions_of)]
    forms: defaultdict[str, Counter] = defaultdict(Counter)
    for line, (slug, form) in resolved.items():
        forms[slug][form] += articles_with[line]
    return NameFindings(strengths, dict(forms), aliases)


def choose_names(readings: Sequence[Reading], stories: Sequence[str], map_slugs: set[str],
                 found: NameFindings | None = None) -> tuple[list[dict[str, int]], dict[str, Counter]]:
    """Return each article's recurring names (slug -> strength) and the written forms of each;
    `stories` holds the story of each article, and `found`, when given, find_names(readings, map_slugs)."""
    strengths, all_forms, aliases = found or find_names(readings, map_slugs)
    recurring = recurring_names(strengths, stories, map_slugs)
    forms = {slug: counts for slug, counts in all_forms.items() if slug in recurring}
    known = {slug: slug for slug in recurring}
    known |= {edge: slug for edge, slug in aliases.items() if slug in recurring}
    chosen = []
    for reading, strength in zip(readings, strengths):
        found_here = {slug: strength[slug] for slug in strength.keys() & recurring}
        for windows, weight in reading.headlines:
            for slug in match_known_names(windows, known):
                found_here[slug] = found_here.get(slug, 0) + weight
        chosen.append(found_here)
    return chosen, forms


# Readings of fewer articles than this have their names found faster than a worker starts.
FEWEST_FOR_WORKER = 1000


@contextlib.contextmanager
def names_found(readings: Sequence[Reading], config: Config, jobs: int) -> Iterator[Callable[[], NameFindings]]:
    """Start finding the names of `readings` (find_names), in a forked process when `jobs` allows and
    there are many, and yield the function that waits for them: stories are grouped meanwhile.
    The process stops when the block ends."""
    map_slugs = set(map_topics(config)[1])
    with pools.started_beside(lambda: find_names(readings, map_slugs),
                              jobs if len(readings) >= FEWEST_FOR_WORKER else 1) as names:
        yield names


# ---- putting it together ------------------------------------------------------------------------

def form_quality(raw: str) -> int:
    """Rank how a label was written: Capitalised beats SHOUTED beats lower case."""
    if not any(character.isupper() for character in raw):
        return 0
    return 1 if raw.isupper() and len(raw) > 1 else 2


def display_names(readings: Sequence[Reading], name_forms: dict[str, Counter],
                  map_names: dict[str, str]) -> dict[str, str]:
    """Return one display name per slug: the map's name, else the most common, best-written form."""
    votes: dict[str, Counter] = defaultdict(Counter)
    quality: dict[str, int] = defaultdict(int)
    for reading in readings:
        for slug, form, form_rank in reading.labels:
            votes[slug][form] += 1
            quality[form] = max(quality[form], form_rank)
    for slug, forms in name_forms.items():
        for form, count in forms.items():
            votes[slug][form] += count
            quality[form] = max(quality[form], form_quality(form))
    names = {slug: min(forms, key=lambda form: (-forms[form], -quality[form], form))
             for slug, forms in votes.items()}
    names.update(map_names)
    return names


def pick_topics(labels: list[str], detected: list[str], names: list[str]) -> list[str]:
    """Return the slugs to keep: labels first, then detected map topics and names sharing what is left."""
    kept = list(dict.fromkeys(labels))[:MAX_TOPICS]
    detected = [slug for slug in dict.fromkeys(detected) if slug not in kept]
    names = [slug for slug in dict.fromkeys(names) if slug not in kept and slug not in detected]
    room = MAX_TOPICS - len(kept)
    share = min(len(detected), max((room + 1) // 2, room - len(names)))
    return kept + detected[:share] + names[:room - share]


def map_topics(config: Config) -> tuple[list[str], dict[str, str]]:
    """Return the slug of each topic of the map, in its order (as compile_topic_map numbers them),
    and each slug's display name (the first topic's, when two share a slug)."""
    map_topic_names = [name for name, _phrases in config.topics]
    map_slugs = [topic_slug(name) for name in map_topic_names]
    return map_slugs, {slug: normalize_topic(name) for slug, name in reversed(list(zip(map_slugs, map_topic_names)))}


def assign_topics(articles: Sequence[Article], config: Config, readings: Sequence[Reading] | None = None,
                  names: NameFindings | None = None) -> list[Article]:
    """Return the articles with their topics: front-matter labels, map topics, then names recurring
    across stories; `readings`, one per article, are read here when not given, and `names`, when
    given, must be find_names of them (see names_found)."""
    if readings is None:
        topic_map = compile_topic_map(config.topics)
        readings = [read_article_text(article, topic_map) for article in articles]
    elif len(readings) != len(articles):
        raise ValueError(f"{len(readings)} readings for {len(articles)} articles")
    map_slugs, map_names = map_topics(config)
    stories = [article.story or article.id for article in articles]
    strengths, name_forms = choose_names(readings, stories, set(map_names), names)
    names = display_names(readings, name_forms, map_names)
    placed = []
    for article, reading, strength in zip(articles, readings, strengths):
        labels = [slug for slug, _form, _quality in reading.labels if slug]
        detected = [map_slugs[position] for position in reading.map_topics if map_slugs[position]]
        found = sorted(strength, key=lambda slug: (-strength[slug], names[slug].casefold(), slug))
        slugs = pick_topics(labels, detected, found)
        topics = tuple(names[slug] for slug in slugs)
        provenance = article.provenance
        if topics:
            inferred = any(slug not in labels for slug in slugs)
            provenance = article.with_origin("topics", INFERRED if inferred else FRONT_MATTER)
        if topics != article.topics or provenance != article.provenance:
            article = replaced(article, topics=topics, provenance=provenance)
        placed.append(article)
    return placed


def story_topics(members: Sequence[Article]) -> tuple[str, ...]:
    """Return the topics of a story's member articles, the most frequent first."""
    counts = Counter(topic for article in members for topic in dict.fromkeys(article.topics))
    return tuple(sorted(counts, key=lambda topic: (-counts[topic], topic.casefold(), topic)))


def newest_first(article: Article) -> tuple[bool, float]:
    """Sort key: dated articles newest first, then undated ones."""
    published = article.published or datetime.min.replace(tzinfo=timezone.utc)
    return (article.published is None, -published.timestamp())


def topic_index(articles: Iterable[Article]) -> list[tuple[str, str, tuple[Article, ...]]]:
    """Return (slug, display name, articles newest first) per topic, the biggest topics first."""
    members: dict[str, list[Article]] = defaultdict(list)
    forms: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        for name in dict.fromkeys(article.topics):
            slug = topic_slug(name)
            if not slug:
                continue
            if not members[slug] or members[slug][-1] is not article:
                members[slug].append(article)
            forms[slug][name] += 1
    index = []
    for slug, group in members.items():
        name = min(forms[slug], key=lambda form: (-forms[slug][form], form))
        index.append((slug, name, tuple(sorted(group, key=newest_first))))
    return sorted(index, key=lambda item: (-len(item[2]), item[1].casefold(), item[0]))
