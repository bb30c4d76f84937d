"""The clean stage: an article's text, pasted from a news site or written as Markdown, turned
into clean paragraphs plus the title, dates, authors, outlet and summary the text names.

Site noise is data (boilerplate.toml plus the site's `boilerplate` patterns); every rule is a
small function over numbered lines, so each removed line can be reported and each field found
in the text keeps the line it came from.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import chain
from pathlib import Path
from urllib.parse import urlsplit

from . import dates, markup
from .config import Config
from .model import CJK, DEFAULT, FILE_NAME, INFERRED, Article, clipping_line, words_in
from .report import BuildError, Report

RULES_FILE = Path(__file__).with_name("boilerplate.toml")
TITLE_LIMIT = 110  # characters of a title inferred from the text, "…" included
SUMMARY_LIMIT = 300  # characters of a summary taken from the lede
HEADLINE_LIMIT = 150  # a longer first line is a paragraph, not a headline
DEK_LIMIT = 160  # a longer opening sentence is the lede, not a standfirst
HEAD_LINES = 8  # bylines, date-only lines and "Source:" credits sit among the first …
TAIL_LINES = 6  # … or the last lines of a clipping; elsewhere such a line is text
SUMMARY_BLOCK_REACH = 12  # a "Highlights" block is looked for among the first lines
LABEL_REACH = 8  # a page's masthead and section labels over the headline: at most this many lines
UNMARKED_POINTS = 4  # summary points pasted without bullets: at most this many, then the lede
DATELINE_REACH = 3  # an agency dateline may open any of the first paragraphs, under a widget's lines
PROSE_WORDS = 15  # a line this long that ends a sentence is article text, not a link's title
MAX_META_LENGTH = 300  # a longer line is never a byline, date line or credit
OPENING_REACH = 2_000  # characters of a paragraph read for a title or summary; the rest only costs time

# Spaces that are not U+0020, and other characters a web page leaves in copied text.
ODD_SPACES = dict.fromkeys([0x09, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680,
                            *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000], " ")
INVISIBLE = dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F, *range(0x80, 0x85),
                           *range(0x86, 0xA0), 0x200B, 0x2060, 0xFEFF])
CLEAN_TRANSLATION = str.maketrans({**ODD_SPACES, **INVISIBLE})
# str.translate looks every character up; one search finds the lines that need it, which are few.
ODD_CHARACTER = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(CLEAN_TRANSLATION)) + "]")

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MARKDOWN_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)+")
MARKDOWN_LINK = re.compile(r"\[([^\[\]]{0,300})\]\([^()\s]{0,500}(?:\s+\"[^\"]{0,200}\")?\)")
HTML_TAG = re.compile(r"<[^<>]{0,200}>")
ATX_TITLE = re.compile(r"^ {0,3}#\s+(.+?)(?:\s+#+)?\s*$")
SETEXT_RULE = re.compile(r"^ {0,3}=+\s*$")
BULLET = re.compile(r"^\s*(?:[-*+•·▪●◦–—]|\d{1,2}[.)])\s+")
URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
URL_LINE = re.compile(r"<?https?://\S+>?", re.IGNORECASE)
TIME_ONLY = re.compile(r"(?:at\s+)?\d{1,2}(?::\d{2}\s*(?:[ap]\.?\s?m\.?)?|(?:[:.]\d{2})?\s*[ap]\.?\s?m\.?)"
                       r"(?:\s*[A-Z]{1,4}|\s*GMT[+-]\d{1,2})?", re.IGNORECASE)
SEGMENT_SPLIT = re.compile(r"\s*\|\s*|\s+[•·]\s+")
# Page widgets whose text sits beside them: a photo caption over "hide caption" (NPR), a video's
# title under its running time (CNBC's "VIDEO 04:12"), ticker symbols under "In this article:"
WIDGET = re.compile(r"hide caption|video\s*\d{1,2}:\d{2}(?::\d{2})?|in this (?:article|story)\s*:", re.IGNORECASE)
TICKER = re.compile(r"[A-Z]{1,6}(?:[.:][A-Z]{1,4})?")  # "NVDA", "BRK.B"
# A masthead's link among the first lines; only there, since the pattern reads much of each line
HOME_LINK = re.compile(r"(?:(?P<outlet>[^|–—-]{1,40}?)\s+[|–—-]\s+)?back to home(?:page)?", re.IGNORECASE)
LABEL_TRAIL_SPLIT = re.compile(r"\s*[|/>›»]\s*")  # "Features | Diplomacy | East Asia", "CHINA / DIPLOMACY"
SHARE_BAR_SPLIT = re.compile(r"[\s,|/•·]+")
SITE_NAME_TAIL = re.compile(r"\s+(?P<bar>[|–—-])\s+(?P<outlet>[^|–—-]+)$")
WORD = re.compile(r"\w+")
DIGIT = re.compile(r"\d")
SENTENCE_STOPS = (".", "!", "?", ":", ";", ",")
DATE_LABEL = re.compile(  # "GMT+8Updated 3 hours ago": Reuters runs the label into the time
    r"(?:\b|(?<=\d))(?P<label>(?:first |originally )?published|posted|(?:last )?updated|last modified|"
    r"modified|dated|date)\b\s*(?:on|at)?\s*:?\s*", re.IGNORECASE)
# Every label DATE_LABEL matches holds one of these, ignoring case ("updated" and "dated" hold "date").
LABEL_WORDS = ("publish", "posted", "date", "modified")
CREDIT_PART = re.compile(r"(?P<role>[A-Za-z][A-Za-z -]{1,30}?)\s+by\s+(?P<names>\S.*)", re.IGNORECASE)
NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
BRACKETED = re.compile(r"\s*\(([^()]{1,60})\)")
CJK_NAME_SPLIT = re.compile(r"[\s、，,;；/／]+")
# A Chinese or Japanese name: two to five characters, or a foreign name's parts joined by a middle dot
CJK_NAME = re.compile(r"[\u3400-\u9fff\u3005]{2,5}|"
                      r"[\u3040-\u30ff\u3400-\u9fff]{1,8}(?:[·・][\u3040-\u30ff\u3400-\u9fff]{1,8}){1,3}")
PLACE_SUFFIX = re.compile(r"\s+(?:in|from)\s+[A-Z][\w.'’ -]*$")
FOLLOW_BUTTON = re.compile(r"\s+Follow$")  # WSJ: "By Yoko Kubo Follow"
BYLINE_GOES_ON = re.compile(r"(?:and|&)\s+(?P<names>[A-Z].*)")  # "By Rebecca Tann" over "and Lyric Lee"
# A stop starts where its run of punctuation starts: trying each dot of "......" is quadratic.
SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9])")
CLOSERS = "”\"’')]»」』）"
# Chinese and Japanese end a sentence with a full-width stop and no space after it
CJK_SENTENCE_END = re.compile(r"[。！？]+[”’」』）)]*")
CJK_STOPS = "。！？"
# Words a sentence-final period follows in "U.S. President" or "Nov. 24" without ending it.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt",
    "cmdr", "adm", "maj", "pres", "st", "jr", "sr", "inc", "co", "corp", "ltd", "vs", "no",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt",
    "ft", "ave", "dept", "est", "approx", "fig", "vol", "rev", "hon", "messrs", "u.s", "u.k",
    "u.n", "e.u", "e.g", "i.e", "a.m", "p.m", "d.c", "u.s.a",
}
# Words that end a title cut short no better than they would end a sentence.
WEAK_ENDINGS = {"a", "an", "the", "of", "to", "and", "or", "in", "on", "at", "for", "with", "by",
                "from", "as", "that", "which", "who", "its", "their", "his", "her", "but"}
NAME_PARTICLES = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du",
                  "bin", "ibn", "al", "el", "dos", "das", "y", "ter", "st."}
NAME_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
NOT_NAMES = {
    "The", "This", "That", "These", "Those", "A", "An", "It", "He", "She", "We", "They", "I",
    "You", "In", "On", "At", "For", "With", "If", "When", "Then", "Now", "Today", "Tomorrow",
    "Yesterday", "Christmas", "Easter", "Mr", "Mrs", "Ms", "Dr", "President", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Or", "Of", "To",
    "From", "Is", "Are", "As", "Not", "No", "All",
}
SHARE_WORDS = {
    "share", "facebook", "twitter", "x", "email", "e-mail", "whatsapp", "linkedin", "reddit",
    "telegram", "pinterest", "print", "copy", "link", "copy link", "messenger", "flipboard",
    "comments", "comment", "save", "bluesky", "threads", "sms", "tweet", "mail", "gift",
    "share on facebook", "share on twitter", "share on x", "share via email",
}


# "(?=.*(?:inbox|newsletter))" in front of a pattern names words a line needs one of (boilerplate.toml)
NEEDED_WORDS = re.compile(r"\(\?=\.\*\(\?:([a-z0-9 /]+(?:\|[a-z0-9 /]+)*)\)\)")
# "(?=(?:lire |voir ))" in front of a pattern, without ".*", names words of which a line starts with one
STARTING_WORDS = re.compile(r"\(\?=\(\?:((?:[^()|\\]|\\.)+(?:\|(?:[^()|\\]|\\.)+)*)\)\)")
# Letters that a pattern ignoring case reads as i or s, and str.lower() does not turn into them
CASE_ODDITIES = "İıſ"


@dataclass(frozen=True, slots=True)
class LinePatterns:
    """Patterns of which one must match a whole line, tried as few times as gives the same answer.

    Most of them become one alternation. A pattern that names the words it needs is tried on its
    own, on the lines that have one of them. So is a pattern with groups, since in an alternation
    its group numbers would shift and a `\\1` would point elsewhere, and so is every pattern when
    the alternation does not compile (an inline flag such as "(?x)"). A pattern that names the
    words a line starts with is tried only on lines that start with one of them, found by their
    first letter.
    """

    patterns: tuple[re.Pattern, ...]
    alternation: re.Pattern | None
    one_by_one: tuple[tuple[tuple[str, ...], re.Pattern], ...]  # (words a line needs one of, pattern)
    # When every pattern tried one by one needs words: the fewest of those words that a line holding
    # any of them holds one of ("/" stands for "reuters/" too); () when some pattern needs none.
    any_needed: tuple[str, ...] = ()
    # The patterns that name the words a line starts with, by those words' first letters:
    # {letter: ((the pattern's words starting with it, pattern), …)}
    by_initial: dict[str, tuple[tuple[tuple[str, ...], re.Pattern], ...]] = field(default_factory=dict)

    @classmethod
    def compile(cls, sources: Iterable[str]) -> LinePatterns:
        patterns = tuple(re.compile(source, re.IGNORECASE) for source in sources)
        started = [pattern for pattern in patterns if starting_words(pattern) and not pattern.groups]
        alone = [pattern for pattern in patterns
                 if pattern not in started and (pattern.groups or needed_words(pattern))]
        together = [pattern for pattern in patterns if pattern not in alone and pattern not in started]
        try:
            alternation = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in together),
                                     re.IGNORECASE) if together else None
        except re.error:
            alternation, alone = None, [pattern for pattern in patterns if pattern not in started]
        one_by_one = tuple((needed_words(pattern), pattern) for pattern in alone)
        by_initial: dict[str, list[tuple[tuple[str, ...], re.Pattern]]] = {}
        for pattern in started:
            words = starting_words(pattern)
            for initial in sorted({word[0] for word in words}):
                by_initial.setdefault(initial, []).append((tuple(w for w in words if w[0] == initial), pattern))
        return cls(patterns, alternation, one_by_one, fewest_words(one_by_one),
                   {initial: tuple(pairs) for initial, pairs in by_initial.items()})

    def fullmatch(self, text: str) -> bool:
        """Return whether any of the patterns matches the whole of `text`."""
        if self.alternation is not None and self.alternation.fullmatch(text):
            return True
        if not self.one_by_one and not self.by_initial:
            return False
        # None when the line has a letter that lower() would hide: then no pattern is skipped
        lowered = text.lower() if text.isascii() or not any(map(text.__contains__, CASE_ODDITIES)) else None
        if lowered is None:
            if any(pattern.fullmatch(text) for pairs in self.by_initial.values() for _, pattern in pairs):
                return True
        elif any(pattern.fullmatch(text) for words, pattern in self.by_initial.get(lowered[:1], ())
                 if lowered.startswith(words)):
            return True
        if not self.one_by_one:
            return False
        if lowered is not None and self.any_needed and not any(map(lowered.__contains__, self.any_needed)):
            return False  # most lines: none of the words any pattern needs (map and any test them in C)
        for words, pattern in self.one_by_one:
            if words and lowered is not None and not any(map(lowered.__contains__, words)):
                continue  # the line has none of the words the pattern needs
            if pattern.fullmatch(text):
                return True
        return False

    def plus(self, sources: Iterable[str]) -> LinePatterns:
        """Return these patterns and `sources`, compiled."""
        return LinePatterns.compile([*(pattern.pattern for pattern in self.patterns), *sources])


def starting_words(pattern: re.Pattern) -> tuple[str, ...]:
    """Return the words a pattern names as those a line starts with, one of which every line it matches
    starts with (lower case, without the backslashes that escape them)."""
    named = STARTING_WORDS.match(pattern.pattern)
    return tuple(re.sub(r"\\(.)", r"\1", word).lower() for word in named[1].split("|")) if named else ()


def needed_words(pattern: re.Pattern) -> tuple[str, ...]:
    """Return the words a pattern names as needed, one of which every line it matches has."""
    named = NEEDED_WORDS.match(pattern.pattern)
    return tuple(named[1].split("|")) if named else ()


def fewest_words(one_by_one: Iterable[tuple[tuple[str, ...], re.Pattern]]) -> tuple[str, ...]:
    """Return the needed words of all the patterns without those holding another one: a line holds
    one of these exactly when it holds one of them all. () when a pattern needs no word."""
    needs = [words for words, _pattern in one_by_one]
    if not all(needs):
        return ()
    return fewest(chain.from_iterable(needs))


def fewest(words: Iterable[str]) -> tuple[str, ...]:
    """Return `words` without those holding another one: a text holds one of these exactly when it
    holds one of them all."""
    every = set(words)
    return tuple(sorted(word for word in every if not any(other != word and other in word for other in every)))


@dataclass(frozen=True, slots=True)
class Rules:
    """boilerplate.toml, compiled: what noise looks like and which names are places or outlets."""

    noise: LinePatterns
    tail_markers: LinePatterns
    summary_heading: re.Pattern
    credits: tuple[tuple[re.Pattern, bool], ...]  # (pattern, trusted anywhere in the text)
    credit_trailers: tuple[re.Pattern, ...]
    fillers: tuple[re.Pattern, ...]
    byline: re.Pattern
    other_byline: re.Pattern
    places: frozenset[str]
    labels: frozenset[str]
    agencies: dict[str, str]
    author_credits: frozenset[str]
    other_credits: frozenset[str]
    roles: frozenset[str]
    qualifiers: frozenset[str]
    outlet_words: frozenset[str]
    date_label: re.Pattern  # DATE_LABEL with the other languages' labels
    # Words of which every other language's label holds one, lower case: a line without them has only
    # DATE_LABEL's labels; with LABEL_WORDS, those of every label, and those of them in ASCII (all an
    # ASCII line can hold)
    other_label_words: tuple[str, ...]
    label_words: tuple[str, ...]
    ascii_label_words: tuple[str, ...]
    name_split: re.Pattern  # what parts the names of a byline: NAME_SPLIT and other languages' "and"
    cjk_byline: re.Pattern  # "记者 王小明 李华", "文／张伟": a prefix, then names written without spaces
    cjk_dateline: re.Pattern  # "新华社北京11月24日电（记者王小明）", "【北京=山田太郎】"
    closing_mark: re.Pattern  # what a wire story prints after its last sentence: "（完）"


def load_rules(path: Path) -> Rules:
    """Return the rules in a boilerplate.toml file, compiled."""
    data = with_other_languages(tomllib.loads(path.read_text(encoding="utf-8")))

    def compiled(patterns: Iterable[str]) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)

    credit_names = "|".join(re.escape(name) for name in
                            sorted(data["captions"]["credits"], key=len, reverse=True))
    captions = [pattern.replace("{credit}", rf"(?:{credit_names})\b")
                for pattern in data["captions"]["patterns"]]
    noise = [pattern for group in data["noise"].values() for pattern in group] + captions
    bylines = data["bylines"]

    def alternatives(words: list[str]) -> str:
        # "By" must be followed by a space ("ByteDance …" is no byline); "Author:" need not be
        return "|".join(re.escape(word).replace(r"\ ", r"\s+") + (r"\s*" if word.endswith(":") else r"\s+")
                        for word in sorted(words, key=len, reverse=True))

    prefixes, others = alternatives(bylines["prefixes"]), alternatives(bylines["other_prefixes"])
    agencies = {key.casefold(): name for key, name in data["agencies"].items()}
    languages = data["languages"]
    other_labels = [label for labels in languages["dates"].values() for label in labels]
    other_label_words = fewest(label.lower() for label in other_labels)
    label_words = fewest([*LABEL_WORDS, *other_label_words])
    return Rules(
        noise=LinePatterns.compile(noise),
        tail_markers=LinePatterns.compile(data["tail"]["markers"]),
        summary_heading=re.compile("|".join(data["summary"]["headings"]), re.IGNORECASE),
        credits=tuple((pattern, True) for pattern in compiled(data["credits"]["patterns"]))
        + tuple((pattern, False) for pattern in compiled(data["credits"]["edge_patterns"])),
        credit_trailers=compiled(data["credits"]["trailers"]),
        fillers=compiled(data["filler"]["prefixes"]),
        byline=re.compile(rf"(?:{prefixes})(?P<names>\S.*)", re.IGNORECASE),
        other_byline=re.compile(rf"(?:{others})(?P<names>\S.*)", re.IGNORECASE),
        places=frozenset(data["datelines"]["places"]),
        labels=frozenset(data["datelines"]["labels"]),
        agencies=agencies,
        author_credits=frozenset(bylines["author_credits"]),
        other_credits=frozenset(bylines["other_credits"]),
        roles=frozenset(bylines["roles"]),
        qualifiers=frozenset(bylines["qualifiers"]),
        outlet_words=frozenset(bylines["outlet_words"]),
        date_label=date_label_pattern(languages["dates"]["published"], languages["dates"]["updated"]),
        other_label_words=other_label_words,
        label_words=label_words,
        ascii_label_words=tuple(word for word in label_words if word.isascii()),
        name_split=re.compile(NAME_SPLIT.pattern.replace(r"\band\b", r"\b(?:and|{})\b".format(
            "|".join(map(re.escape, languages["bylines"]["conjunctions"]))))),
        cjk_byline=re.compile(r"(?:{})\s*[:：]?\s*(?P<names>\S.*)".format(
            "|".join(sorted(languages["bylines"]["cjk_prefixes"], key=len, reverse=True)))),
        cjk_dateline=cjk_dateline_pattern(agencies),
        closing_mark=re.compile("(?:{})$".format("|".join(languages["filler"]["suffixes"]))),
    )


def with_other_languages(data: dict) -> dict:
    """Return boilerplate.toml's tables with the lists of [languages] added to the English ones."""
    languages = data["languages"]

    def joined(table: str, *names: str) -> dict:
        return {**data[table], **{name: data[table][name] + languages[table][name] for name in names}}

    return {**data,
            "noise": {**data["noise"], **{f"{name} (other languages)": patterns
                                          for name, patterns in languages["noise"].items()}},
            "tail": joined("tail", "markers"), "summary": joined("summary", "headings"),
            "credits": joined("credits", "edge_patterns", "trailers"),
            "bylines": joined("bylines", "prefixes", "roles"),
            "agencies": {**data["agencies"], **languages["agencies"]}}


def date_label_pattern(published: list[str], updated: list[str]) -> re.Pattern:
    """Return DATE_LABEL that also reads the labels of other languages ("Publié le", "发布时间："),
    as whole words: no letter before or after them."""

    def alternatives(labels: list[str]) -> str:
        # grouped by first letter, so that a line's letter is compared with each first letter once
        groups: dict[str, list[str]] = {}
        for label in sorted(labels, key=lambda label: (-len(label), label)):
            groups.setdefault(label[0].lower(), []).append(label)
        return "|".join(re.escape(group[0][0]) + "(?:" + "|".join(re.escape(label[1:]) for label in group) + ")"
                        for group in groups.values())

    # the letters they start with, tested first: most lines fail at that one test
    initials = "".join(sorted({re.escape(label[0]) for label in [*published, *updated]}))
    other = (rf"(?<![^\W\d_])(?=[{initials}])(?:(?P<published_label>{alternatives(published)})|"
             rf"(?P<updated_label>{alternatives(updated)}))(?![^\W\d_])\s*[:：]?\s*")
    return re.compile(f"(?:{DATE_LABEL.pattern})|(?:{other})", re.IGNORECASE)


def cjk_dateline_pattern(agencies: dict[str, str]) -> re.Pattern:
    """Return the pattern of a Chinese or Japanese dateline, naming the agencies written in those scripts.

    Chinese: agency (or 本报, "this paper"), place, month, day and 电 ("cabled"), then the reporters
    in brackets: "新华社北京11月24日电（记者王小明 李华）". Japanese: the place and the agency or,
    after "=", the reporter in lenticular brackets: "【ワシントン共同】", "【北京=山田太郎】".
    """
    names = "|".join(sorted((re.escape(key) for key in agencies if CJK.search(key)), key=len, reverse=True))
    return re.compile(
        rf"(?:(?P<agency>{names})|本报|本台|本刊)(?P<place>[^\W\d_]{{1,12}}?)\d{{1,2}}月\d{{1,2}}日"
        r"(?:\d{1,2}时)?电\s*(?:[（(](?P<reporters>[^（()）]{1,60})[）)])?\s*"
        rf"|【(?P<jplace>[^】=＝\d]{{1,12}}?)(?:(?P<jagency>{names})|[=＝](?P<jreporters>[^】]{{2,30}}))】\s*")


RULES = load_rules(RULES_FILE)
RULES_TZ = dates.ZONES["UTC"]  # for clip_boilerplate, which reads no dates


@functools.lru_cache(maxsize=8)
def site_rules(patterns: tuple[str, ...]) -> Rules:
    """Return the built-in rules with a site's own line patterns added to the noise."""
    if not patterns:
        return RULES
    return dataclasses.replace(RULES, noise=RULES.noise.plus(patterns))


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the body: its file line number and its normalised text ("" when blank)."""

    number: int
    text: str
    code: bool = False  # inside a Markdown code fence: no rule touches it


@dataclass(frozen=True, slots=True)
class Facts:
    """What one removed line told about the article."""

    title: str = ""
    summary: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    relative: str = ""  # a relative date the line gave instead of a date
    authors: tuple[str, ...] = ()
    outlet: str = ""  # from a byline ("By A | Outlet"): weaker than a credit line
    credit: str = ""  # from a credit line ("Originally published by X")
    url: str = ""
    dateline: str = ""  # a dateline with a place on a line of its own ("Hong Kong CNN —")


@dataclass(frozen=True, slots=True)
class Found:
    """A removed line and what it told."""

    line: Line
    facts: Facts
    keep_in_dropped: bool = True  # False for the headline, which is shown as the title


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int  # file line of its first line
    text: str


@dataclass
class Notes:
    """The warnings one article gets: sent to the report and kept on the article."""

    article: Article
    report: Report
    messages: list[str] = field(default_factory=list)

    def warn(self, message: str, line: int | None, kind: str) -> None:
        self.report.warn(message, self.article.origin, line, kind=kind)
        self.messages.append(message)


# --- Entry points -------------------------------------------------------------------------


def clean_article(article: Article, config: Config, report: Report) -> Article:
    """Return the article with a clean body and the fields its text names filled in."""
    markdown = article.kind == "markdown"
    rules = site_rules(tuple(config.boilerplate))
    notes = Notes(article, report)
    original = normalise(article.body, article.body_line, markdown=markdown)
    front_title = "" if settable(article, "title") else article.title

    lines, found = original, []
    for finder in (find_tail, find_noise, find_summary_block, find_metadata):
        lines, removed = settle(lines, finder(lines, rules, config.tz, markdown), markdown)
        found += removed
    lines, removed = settle(lines, find_headline(lines, rules, front_title, settable(article, "title"),
                                                 markdown), markdown)
    found += removed
    fixes: list[str] = []
    lines, found = put_back_dateline(lines, found, rules, config.tz, markdown)
    lines, dateline = read_first_paragraph(lines, rules, config.tz, markdown, fixes)
    lines = strip_fillers(lines, rules, markdown, fixes)
    lines = strip_closing_marks(lines, rules, fixes)
    if dateline:
        found.append(dateline)

    needs_title = settable(article, "title") and not any(item.facts.title for item in found)
    guess = guess_title(clipping_paragraphs(lines)) if needs_title and not markdown else None
    if guess and guess.from_dek:
        lines = without_paragraph(lines, guess.number)  # the standfirst is now the title

    dropped = tuple(item.line.text for item in sorted(found, key=lambda item: item.line.number)
                    if item.keep_in_dropped) + tuple(fixes)
    if not any(line.text for line in lines) and any(line.text for line in original):
        # Never lose the article: the fields read from the text stay, the text comes back.
        notes.warn("cleaning would leave no text; kept the text as it was "
                   "(check the site's boilerplate patterns)", article.body_line, "emptied body")
        lines, dropped = original, ()
    cleaned, paragraphs = render_body(article, lines, markdown, config, report)
    if needs_title and markdown:
        guess = guess_title(paragraphs)
    cleaned = fill_fields(cleaned, article, found, guess, paragraphs, lines, notes)
    for name in ("published", "updated"):
        where = cleaned.origin_of(name)
        moment = getattr(cleaned, name)
        # front matter and file name dates were noted by ingest; these the text named
        if moment and where.startswith("line "):
            report.note_date(moment, article.origin, int(where.removeprefix("line ")))
    return dataclasses.replace(cleaned, dropped=article.dropped + dropped,
                               warnings=cleaned.warnings + tuple(notes.messages))


def clip_boilerplate(body: str, patterns: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """Return a clipping's text without site noise, one paragraph a line, and the lines removed."""
    rules = site_rules(tuple(patterns))
    lines = normalise(body, 1, markdown=False)
    dropped: list[Found] = []
    for finder in (find_tail, find_noise):
        lines, removed = settle(lines, finder(lines, rules, RULES_TZ, False), False)
        dropped += removed
    dropped.sort(key=lambda item: item.line.number)
    return "\n".join(line.text for line in lines if line.text), tuple(f.line.text for f in dropped)


def settable(article: Article, field_name: str) -> bool:
    """Return whether the text may set `field_name`: front matter did not."""
    return article.origin_of(field_name) in (DEFAULT, FILE_NAME)


# --- Lines --------------------------------------------------------------------------------


def normalise(body: str, first_line: int, *, markdown: bool) -> list[Line]:
    """Return the body as numbered lines: odd spaces made plain, lines trimmed, blank runs single.

    Markdown keeps its indentation, and code fences are kept exactly as written.
    """
    lines: list[Line] = []
    fence = ""
    for offset, raw in enumerate(body.split("\n")):
        number = first_line + offset
        if markdown:
            marker = FENCE.match(raw)
            if fence or marker:
                if marker and not fence:
                    fence = marker[1]
                elif marker and marker[1][0] == fence[0] and len(marker[1]) >= len(fence):
                    fence = ""
                lines.append(Line(number, raw.rstrip(), code=True))
                continue
            text = plain_characters(raw).rstrip()
            text = text if text.strip() else ""
        else:
            text = " ".join(plain_characters(raw).split())
        if not text and (not lines or not lines[-1].text):
            continue
        lines.append(Line(number, text))
    while lines and not lines[-1].text:
        lines.pop()
    return lines


def plain_characters(text: str) -> str:
    """Return text with odd spaces made plain and invisible characters taken out."""
    return text.translate(CLEAN_TRANSLATION) if ODD_CHARACTER.search(text) else text


@functools.lru_cache(maxsize=4096)  # each finder reads every line
def plain(text: str, markdown: bool) -> str:
    """Return a line's text without Markdown's block markers, emphasis and link syntax."""
    if not markdown:
        return text
    text = MARKDOWN_PREFIX.sub("", text)
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = HTML_TAG.sub("", text)
    return text.strip(" *_`#")


def unwrap(text: str) -> str:
    """Return text without the brackets or emphasis a whole metadata line may be wrapped in."""
    text = text.strip(" *_")
    if len(text) > 2 and text[0] + text[-1] in ("()", "[]", "（）"):
        text = text[1:-1].strip()
    return text


def blocks_of(lines: list[Line]) -> list[list[int]]:
    """Return the indexes of each run of non-blank lines."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for index, line in enumerate(lines):
        if line.text:
            current.append(index)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def settle(lines: list[Line], proposal: dict[int, Found], markdown: bool
           ) -> tuple[list[Line], list[Found]]:
    """Remove the proposed lines; in Markdown only whole blocks go, so no paragraph is torn."""
    if not proposal:
        return lines, []  # they were settled before: blank runs already collapsed
    if markdown:
        for block in blocks_of(lines):
            if not all(index in proposal for index in block):
                for index in block:
                    proposal.pop(index, None)
    kept = [line for index, line in enumerate(lines) if index not in proposal]
    removed = [proposal[index] for index in sorted(proposal) if lines[index].text]
    return collapse_blanks(kept), removed


def collapse_blanks(lines: list[Line]) -> list[Line]:
    kept: list[Line] = []
    for line in lines:
        if not line.text and not line.code and (not kept or not kept[-1].text):
            continue
        kept.append(line)
    while kept and not kept[-1].text:
        kept.pop()
    return kept


def content_indexes(lines: list[Line]) -> list[int]:
    return [index for index, line in enumerate(lines) if line.text and not line.code]


def edge_indexes(lines: list[Line]) -> set[int]:
    """Return the indexes of the first and last content lines, where page furniture sits."""
    content = content_indexes(lines)
    return set(content[:HEAD_LINES]) | set(content[-TAIL_LINES:])


def is_prose(text: str) -> bool:
    """Return whether a line reads as article text: a full sentence or more, not a link's title."""
    return text.rstrip(CLOSERS)[-1:] in (".", "!", "?", "…", *CJK_STOPS) and words_in(text) >= PROSE_WORDS


def is_noise(text: str, rules: Rules) -> bool:
    """Return whether a whole line is site furniture: a pitch, an ad slot, a caption, a share bar."""
    if len(text) > 600:
        return False
    if rules.noise.fullmatch(text):
        return True
    return is_share_bar(text)


def is_share_bar(text: str) -> bool:
    """Return whether a line is only the names of share buttons ("Facebook Twitter Email")."""
    lowered = text.lower().rstrip(":")
    opening = [word for word in SHARE_BAR_SPLIT.split(lowered, maxsplit=2)[:2] if word]
    if not opening or opening[0] not in SHARE_WORDS:
        return False  # a share bar starts with a share word (so do the SHARE_WORDS of several words)
    words = [word for word in SHARE_BAR_SPLIT.split(lowered) if word]
    if not 2 <= len(words) <= 12:
        return False
    joined = " ".join(words)
    if joined in SHARE_WORDS:
        return True
    return all(word in SHARE_WORDS for word in words) and any(word != "share" for word in words)


# --- Finders: each returns {line index: what the line told} for the lines to remove --------


def find_tail(lines: list[Line], rules: Rules, tz: tzinfo, markdown: bool) -> dict[int, Found]:
    """Propose the other-stories section that ends a page ("MORE STORIES", "Related articles").

    When real paragraphs follow the heading it was a box inside the article: only the heading
    and its links go.
    """
    proposal: dict[int, Found] = {}
    content = content_indexes(lines)
    prose_after: list[int] = []  # counted at the first heading, since most pages have none
    for position, index in enumerate(content[1:], start=1):
        if index in proposal:
            continue  # already taken as a link under the heading before it
        text = plain(lines[index].text, markdown).rstrip(":").strip()
        if len(text) > 60 or not rules.tail_markers.fullmatch(text):
            continue
        prose_after = prose_after or count_prose_after(lines, content)
        if prose_after[position + 1] < 2:
            # the copyright line at the foot of the page still names the outlet
            proposal.update({i: Found(lines[i], read_credit(lines[i].text, rules, True, tz) or Facts())
                             for i in range(index, len(lines))})
            return proposal
        proposal[index] = Found(lines[index], Facts())
        for following in range(index + 1, len(lines)):
            line = lines[following]
            if not line.text or line.code or is_prose(line.text):
                break
            proposal[following] = Found(line, Facts())
    return proposal


def count_prose_after(lines: list[Line], content: list[int]) -> list[int]:
    """Return how many prose lines there are from each content line on (and 0 after the last)."""
    prose_after = [0] * (len(content) + 1)
    for position in range(len(content) - 1, -1, -1):
        prose_after[position] = prose_after[position + 1] + is_prose(lines[content[position]].text)
    return prose_after


def find_noise(lines: list[Line], rules: Rules, tz: tzinfo, markdown: bool) -> dict[int, Found]:
    """Propose every line that is site noise, breadcrumb trails at the top, a masthead's link
    among the first lines (it names the outlet) and what the page's widgets hold beside them."""
    proposal: dict[int, Found] = {}
    content = content_indexes(lines)
    top, head = content[:3], set(content[:HEAD_LINES])
    widgets: list[int] = []
    for index, line in enumerate(lines):
        if not line.text or line.code or (markdown and "![" in line.text):
            continue
        text = plain(line.text, markdown)
        if agency_line(text, rules):
            continue  # left for find_metadata, which reads it as the outlet
        if is_noise(text, rules) or (index in top and is_breadcrumb(text)):
            proposal[index] = Found(line, Facts())
            if not markdown and WIDGET.fullmatch(text):
                widgets.append(index)
        elif index in head and (home := HOME_LINK.fullmatch(text)):
            outlet = (home["outlet"] or "").strip()  # "The Guardian - Back to home"
            proposal[index] = Found(line, Facts(credit=outlet if looks_like_outlet(outlet) else ""))
    for index in widgets:
        propose_widget_text(lines, index, proposal)
    return proposal


def propose_widget_text(lines: list[Line], index: int, proposal: dict[int, Found]) -> None:
    """Propose the text a widget line holds beside it: the caption over "hide caption" (past the
    photo credits between them), the title under a video's running time ("VIDEO 04:12"), the
    ticker symbols under a quote box's "In this article:" ("NVDA")."""
    widget = lines[index].text.lower()
    if widget.startswith("in this"):
        other = index + 1
        while other < len(lines) and (other in proposal or TICKER.fullmatch(lines[other].text)):
            proposal.setdefault(other, Found(lines[other], Facts()))
            other += 1
        return
    step = -1 if widget.endswith("caption") else 1
    other = index + step
    while 0 <= other < len(lines) and other in proposal:
        other += step
    if not 0 <= other < len(lines) or not lines[other].text or lines[other].code:
        return
    ends_sentence = lines[other].text.rstrip(CLOSERS)[-1:] in ".!?"
    if ends_sentence != (step == -1):
        return  # a caption is a sentence, a video's title is not; other lines there are text
    proposal[other] = Found(lines[other], Facts())


def agency_line(text: str, rules: Rules) -> str:
    """Return the agency a line consists of ("Reuters", "(AFP)", "— AP"), or ""."""
    name = text.strip(" -–—()[].")
    return name if name.casefold() in rules.agencies else ""


def is_breadcrumb(text: str) -> bool:
    """Return whether a line is a trail of section names ("World > Asia > China")."""
    parts = re.split(r"\s+[>›»/]\s+", text)
    return (2 <= len(parts) <= 6 and not any(char.isdigit() for char in text)
            and all(part and len(part.split()) <= 3 and (part[0].isupper() or is_caseless_letter(part[0]))
                    for part in parts))


def is_caseless_letter(character: str) -> bool:
    """Return whether a character is a letter of a script without capitals, such as Chinese: it may
    start a headline or a name as a capital does."""
    return character.isalpha() and not character.islower() and not character.isupper()


def find_summary_block(lines: list[Line], rules: Rules, tz: tzinfo, markdown: bool) -> dict[int, Found]:
    """Propose a "Highlights" / "Key points" heading and the lines under it, as the summary."""
    for index in content_indexes(lines)[:SUMMARY_BLOCK_REACH]:
        heading = plain(lines[index].text, markdown).rstrip(":").strip()
        if len(heading) > 40 or not rules.summary_heading.fullmatch(heading):
            continue
        start = index + 1
        if start < len(lines) and not lines[start].text:
            start += 1  # Markdown puts a blank line between a heading and its list
        points = summary_points(lines[start:start + 8], markdown)
        if not points:
            return {}
        texts = [BULLET.sub("", plain(line.text, markdown)).strip() for line in points]
        summary = " ".join(text if text[-1:] in ".!?…" + CLOSERS else text + "."
                           for text in texts if text)
        proposal = {index: Found(lines[index], Facts())}
        first = lines.index(points[0])
        proposal[first] = Found(points[0], Facts(summary=summary))
        proposal.update({first + offset: Found(line, Facts())
                         for offset, line in enumerate(points[1:], start=1)})
        return proposal
    return {}


def summary_points(lines: list[Line], markdown: bool) -> list[Line]:
    """Return the lines of a summary block: up to a blank line, or in a clipping up to where a
    line was removed as noise (a video box after the points) or where the points' bullets stop.

    Points pasted without bullets are at most UNMARKED_POINTS lines, and stop at a dateline or at
    a line more than twice as long as any of them: the lede that follows.
    """
    points: list[Line] = []
    for line in lines:
        if not line.text or line.code or len(line.text) > 400:
            break
        if points and not markdown and points_end_before(points, line):
            break
        points.append(line)
    return points


def points_end_before(points: list[Line], line: Line) -> bool:
    """Return whether a clipping's summary points end before `line` (see summary_points)."""
    if line.number != points[-1].number + 1:
        return True  # a line between them was removed as noise
    if BULLET.match(points[0].text):
        return not BULLET.match(line.text)
    return (len(points) == UNMARKED_POINTS or opens_with_dateline(line.text)
            or len(line.text) > 2 * max(len(point.text) for point in points))


def opens_with_dateline(text: str) -> bool:
    """Return whether a paragraph starts with a dateline ("WASHINGTON (AP) —", "BEIJING —")."""
    place = PLACE_DATELINE.match(text)
    return bool(PAREN_DATELINE.match(text) or (place and is_place(place["place"], RULES)))


def find_metadata(lines: list[Line], rules: Rules, tz: tzinfo, markdown: bool) -> dict[int, Found]:
    """Propose bylines, date lines and credit lines, with what each says."""
    edges = edge_indexes(lines)
    proposal: dict[int, Found] = {}
    for index, line in enumerate(lines):
        if not line.text or line.code:
            continue
        facts = read_metadata_line(unwrap(plain(line.text, markdown)), index in edges, rules, tz)
        if facts is not None:
            proposal[index] = Found(line, facts)
    # BBC-style: a name on one line and the job title under it ("China correspondent")
    head = content_indexes(lines)[:HEAD_LINES]
    for index, following in zip(head, head[1:]):
        if index in proposal or following in proposal:
            continue
        name = unwrap(plain(lines[index].text, markdown))
        if name_kind(name, rules) == "name" and is_job_title(plain(lines[following].text, markdown), rules):
            proposal[index] = Found(lines[index], Facts(authors=(tidy_name(name),)))
            proposal[following] = Found(lines[following], Facts())
    find_unsigned_bylines(lines, head, proposal, rules, markdown)
    return proposal


def find_unsigned_bylines(lines: list[Line], head: list[int], proposal: dict[int, Found], rules: Rules,
                          markdown: bool) -> None:
    """Add to `proposal` the bylines among the first lines that print names without "By".

    A line of names alone is a byline beside a date line ("Demetri Sevastopoulos in Washington and
    Joe Leary in Beijing" over "Published November 24 2025"), with an outlet or a job title
    ("Jane Doe, Reuters"), or between a headline and the first paragraph. A line that goes on
    with "and Lyric Lee" adds its names to the byline above it.
    """
    # most lines end a sentence, which plain() and unwrap() leave at the end
    candidates = [position for position, index in enumerate(head) if position and index not in proposal
                  and lines[index].text[-1:] not in SENTENCE_STOPS]
    for position in candidates:
        index = head[position]
        text = unwrap(plain(lines[index].text, markdown))
        read = read_names(text, rules) if may_be_names(text) else None
        if not read or not read[0]:
            continue
        names, outlet = read
        before = head[position - 1]
        after = head[position + 1] if position + 1 < len(head) else None
        titled = holds_job_title(text, rules)
        beside_date = ((before in proposal and is_date_line(proposal[before].facts))
                       or (after in proposal and is_date_line(proposal[after].facts)))
        under_headline = (before not in proposal and after is not None and after not in proposal
                          and len(lines[before].text.split()) >= 4 and reads_as_headline(lines[before].text)
                          and is_prose(lines[after].text))
        if outlet or titled or ((beside_date or under_headline) and not mentioned(names, lines, proposal, index)):
            proposal[index] = Found(lines[index], Facts(authors=names, outlet=outlet))
    for index, following in zip(head, head[1:]):
        above = proposal.get(index)
        if above is None or not above.facts.authors or following in proposal:
            continue
        more = BYLINE_GOES_ON.fullmatch(unwrap(plain(lines[following].text, markdown)))
        read = read_names(more["names"], rules) if more else None
        if read and read[0] and not read[1]:
            authors = tuple(dict.fromkeys(above.facts.authors + read[0]))
            proposal[index] = Found(above.line, dataclasses.replace(above.facts, authors=authors))
            proposal[following] = Found(lines[following], Facts())


def mentioned(names: tuple[str, ...], lines: list[Line], proposal: dict[int, Found], index: int) -> bool:
    """Return whether a surname of `names` is in the text: then the line names the story's people
    (a caption, "Donald Trump and Xi Jinping"), not its reporters."""
    surnames = re.compile(r"\b(?:" + "|".join(re.escape(name.split()[-1]) for name in names) + r")\b")
    return any(surnames.search(line.text) for position, line in enumerate(lines)
               if position != index and position not in proposal)


def is_date_line(facts: Facts) -> bool:
    """Return whether a removed line was a date line, absolute or relative."""
    return bool(facts.published or facts.updated or facts.relative)


def may_be_names(text: str) -> bool:
    """Return whether a line could list names: short, no digits, no full stop, and opening with
    two capitalised words ("Kif Leswell") or a name particle ("Ana de la Cruz")."""
    words = text.split(maxsplit=2)
    return (0 < len(text) <= 160 and len(words) >= 2 and text[0].isupper() and text[-1] not in ".!?:;,"
            and (words[1][0].isupper() or words[1].lower() in NAME_PARTICLES) and not DIGIT.search(text))


def find_headline(lines: list[Line], rules: Rules, front_title: str, may_set: bool, markdown: bool
                  ) -> dict[int, Found]:
    """Propose the headline (the first line, when it reads as one) and every later copy of it,
    with the masthead or section label a page may print above it."""
    content = content_indexes(lines)
    proposal: dict[int, Found] = {}
    title = front_title
    if not markdown:
        content = drop_labels(lines, content, rules, proposal)
    while len(content) > 2 and not markdown:
        above, below = lines[content[0]].text, lines[content[1]].text
        if is_masthead(above, rules) and (headline_of(lines, content[1], markdown)
                                          or is_kicker(below, lines[content[2]].text)):
            proposal[content[0]] = Found(lines[content[0]], Facts(credit=above))
        elif headline_of(lines, content[1], markdown) and is_kicker(above, below):
            proposal[content[0]] = Found(lines[content[0]], Facts())
        else:
            break
        content = content[1:]
    if content:
        first = content[0]
        headline, outlet = split_site_name(headline_of(lines, first, markdown), rules)
        if headline and front_title and same_text(headline, front_title):
            proposal[first] = Found(lines[first], Facts(credit=outlet), keep_in_dropped=False)
        elif headline and may_set and not front_title:
            title = headline
            proposal[first] = Found(lines[first], Facts(title=headline, credit=outlet),
                                    keep_in_dropped=False)
            if markdown and not ATX_TITLE.match(lines[first].text):
                proposal[first + 1] = Found(lines[first + 1], Facts(), keep_in_dropped=False)
    if title and (wanted := comparable(title)):
        for index in content:
            text = plain(lines[index].text, markdown)
            # a copy starts with the headline's words, and may go on with " | Outlet"
            if (index not in proposal and comparable_start(text, len(wanted)) == wanted
                    and comparable_start(split_site_name(text, rules)[0], len(wanted) + 1) == wanted):
                proposal[index] = Found(lines[index], Facts())
    return proposal


def drop_labels(lines: list[Line], content: list[int], rules: Rules, proposal: dict[int, Found]) -> list[int]:
    """Propose the run of mastheads and section labels a page prints over its headline ("AP NEWS",
    "Sections", "World", "U.S. News"), and return the content lines from the headline on.

    The line after the run must read as a headline, much longer than any label, with text below it.
    Two capitalised words alone ("Asia Pacific") are a label only beside other labels or over a
    headline in title case, since "Rates Held" over a subheading is a headline.
    """
    kinds: list[str] = []
    for index in content[:LABEL_REACH]:
        kind = label_kind(lines[index].text, rules)
        if not kind:
            break
        kinds.append(kind)
    run = len(kinds)
    if not run or run + 1 >= len(content):
        return content
    headline = lines[content[run]].text
    longest = max(len(part) for index in content[:run] for part in LABEL_TRAIL_SPLIT.split(lines[index].text))
    if not reads_as_headline(headline) or len(headline) < 1.5 * longest:
        return content
    if kinds == ["words"] and not is_title_case(headline):
        return content
    for index in content[:run]:
        text = lines[index].text
        proposal[index] = Found(lines[index], Facts(credit=text) if is_masthead(text, rules) else Facts())
    return content[run:]


def label_kind(text: str, rules: Rules) -> str:
    """Return "label" for a masthead, a section label or a trail of them ("Features | Diplomacy"),
    "words" for two capitalised words that may be a label ("Asia Pacific"), or "" for other text."""
    if len(text) > 60:
        return ""
    if is_masthead(text, rules):
        return "label"
    parts = LABEL_TRAIL_SPLIT.split(text)
    if len(parts) > 1:
        return "label" if len(parts) <= 6 and all(label_kind(part, rules) for part in parts) else ""
    words = text.split()
    if not words or len(text) > 30 or DIGIT.search(text) or not text.rstrip(CLOSERS)[-1:].isalnum():
        return ""
    if len(words) == 1 or (len(words) <= 3 and (text.isupper() or re.search(r"\w[-/&]\w|\s&\s", text))):
        return "label"
    return "words" if len(words) == 2 and all(word[0].isupper() for word in words) else ""


def is_title_case(text: str) -> bool:
    """Return whether a headline capitalises its words ("Taiwan Stages Largest Drill as China …")."""
    long_words = re.findall(r"[^\W\d_]{4,}", text)
    return len(long_words) >= 3 and sum(word[0].isupper() for word in long_words) >= 0.7 * len(long_words)


def is_masthead(text: str, rules: Rules) -> bool:
    """Return whether a line is an outlet's name printed over the headline ("BBC News")."""
    words = text.split()
    return (text.casefold() in rules.agencies
            or 1 < len(words) <= 5 and all(word[0].isupper() for word in words)
            and words[-1].lower() in rules.outlet_words)


def split_site_name(headline: str, rules: Rules) -> tuple[str, str]:
    """Return a headline copied from a page title without its " | Outlet" tail, and the outlet.

    After a dash the tail must name an outlet outright ("- BBC News"), since "Trump v Xi - The
    Rematch" is a headline; after a bar, which headlines do not use, "The …" is enough.
    """
    match = SITE_NAME_TAIL.search(headline)
    if not match or not headline[:match.start()].strip() or not 1 <= len(match["outlet"].split()) <= 5:
        return headline, ""  # no tail, nothing before it, or a tail of no words or too many
    outlet = match["outlet"].strip()
    words = outlet.split()
    named = (outlet.casefold() in rules.agencies or words[-1].lower() in rules.outlet_words
             or (len(words) == 1 and outlet.isupper() and outlet.isalpha()))
    if named or (match["bar"] == "|" and looks_like_outlet(outlet, strict=True, rules=rules)):
        return headline[:match.start()].rstrip(), outlet
    return headline, ""


def is_kicker(text: str, headline: str) -> bool:
    """Return whether a line over a headline is a section label, much shorter than the headline:
    one word ("Politics"), a few in capitals ("WORLD NEWS") or a topic tag ("China-US relations").

    Two ordinary words ("Rates held") are a headline, and what follows them is text.
    """
    words = text.split()
    shaped = len(words) == 1 or text.isupper() or re.search(r"\w[-/&]\w|\s&\s", text)
    return bool(shaped and words_in(text) <= 3 and len(text) <= 30 and not any(c.isdigit() for c in text)
                and text.rstrip(CLOSERS)[-1:].isalnum() and len(headline) >= 1.5 * len(text))


def headline_of(lines: list[Line], index: int, markdown: bool) -> str:
    """Return the headline line `index` holds, or "" when it does not read as one."""
    text = lines[index].text
    if markdown:
        atx = ATX_TITLE.match(text)
        if atx:
            return atx[1].strip()
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following and SETEXT_RULE.match(following.text) and not text.startswith((" ", "\t")):
            return text.strip()
        return ""
    return text if reads_as_headline(text) else ""


def reads_as_headline(text: str) -> bool:
    """Return whether a line is short, starts like a title and does not end a sentence."""
    core = text.rstrip(CLOSERS)
    first = next((char for char in text if char.isalnum()), "")
    return (2 <= words_in(text) <= 25 and len(text) <= HEADLINE_LIMIT and core[-1:] not in ".,;:。，；："
            and (first.isupper() or first.isdigit() or is_caseless_letter(first)) and not BULLET.match(text))


def same_text(first: str, second: str) -> bool:
    """Return whether two lines say the same words, whatever their case, quotes or dashes."""
    return comparable(first) == comparable(second) != ""


def comparable(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def comparable_start(text: str, size: int) -> str:
    """Return comparable(text)[:size], reading no more of a long text than that needs."""
    start = comparable(text[:4 * size])
    if len(text) <= 4 * size or start.rfind(" ") >= size:
        return start[:size]  # the words before the last space were read whole
    return comparable(text)[:size]


# --- Metadata lines -------------------------------------------------------------------------


def read_metadata_line(text: str, edge: bool, rules: Rules, tz: tzinfo) -> Facts | None:
    """Return what a byline, date line or credit line says, or None when it is article text.

    `edge` says the line is among the first or last lines, the only place where a bare date,
    a byline or a "Source:" line is trusted to be page furniture.
    """
    if not text or len(text) > MAX_META_LENGTH:
        return None
    credit = read_credit(text, rules, edge, tz)
    if credit is not None:
        return credit
    if edge and URL_LINE.fullmatch(text):
        return Facts(url=text.strip("<>"))
    if edge and not text.isascii() and opens_cjk(text) and (cjk_dateline := read_cjk_dateline(text, rules)) \
            and not cjk_dateline[0]:
        return cjk_dateline[2]  # a Chinese or Japanese dateline on a line of its own: "新华社北京11月24日电"
    if edge:
        dateline = read_dateline(text, rules, tz) if DASH_END.search(text) else None
        if dateline is not None:
            # a dateline on a line of its own: "Hong Kong CNN —"; one with a place heads the lede
            kept, _, facts = dateline
            return dataclasses.replace(facts, dateline=text) if kept.strip(" -–—") else facts
    if edge and agency_line(text, rules):
        # syndicated copy opens or ends with the agency's name alone: "Reuters", "— AFP"
        return Facts(credit=agency_line(text, rules))
    if edge:
        authors = read_credits_line(text, rules)
        if authors is not None:
            return Facts(authors=authors)
        other = rules.other_byline.fullmatch(text)
        if other and read_names(other["names"], rules):
            return Facts()  # "Editor: Huang Wei": a contributor, not an author
    # SEGMENT_SPLIT needs a bar or a bullet, which most lines lack: then the line is one segment
    segments = [segment for segment in SEGMENT_SPLIT.split(text) if segment] if has_separator(text) else [text]
    if len(segments) > 1:
        segments = with_times_joined(segments, tz)
    known: list[Facts] = []
    unknown: list[str] = []
    for segment in segments:
        facts = read_date_segment(segment, edge, rules, tz)
        if facts is None and edge:
            facts = read_byline(segment, rules) or read_signed_title(segment, rules)
        if facts is None and edge and len(segments) > 1:
            facts = read_credit(segment, rules, edge, tz)  # "2025年11月25日08:15 | 来源：人民网"
        if facts is None and len(segments) > 1 and is_noise(segment, rules):
            facts = Facts()
        if facts is None:
            unknown.append(segment)
        else:
            known.append(facts)
    if not known:
        return None
    if unknown:
        # "By A | Outlet": the one part that is not a name or a date names the outlet
        if len(unknown) > 1 or not any(f.authors for f in known) or not looks_like_outlet(unknown[0]):
            return None
        known.append(Facts(outlet=unknown[0]))
    return merge_facts(known)


def with_times_joined(segments: list[str], tz: tzinfo) -> list[str]:
    """Return a line's segments with a time alone joined to the date beside it: "November 24,
    2025 | 5:32 PM" and "5:32 PM · Nov 24, 2025" are one moment each."""
    joined: list[str] = []
    for segment in segments:
        if joined and ((TIME_ONLY.fullmatch(segment.strip()) and dates.find_date(joined[-1], tz))
                       or (TIME_ONLY.fullmatch(joined[-1].strip()) and dates.find_date(segment, tz))):
            joined[-1] = f"{joined[-1]} | {segment}"
        else:
            joined.append(segment)
    return joined


def has_separator(text: str) -> bool:
    """Return whether a line holds a character each SEGMENT_SPLIT match needs: "|", "•" or "·"."""
    return "|" in text or "•" in text or "·" in text


def merge_facts(parts: list[Facts]) -> Facts:
    merged = Facts()
    for part in parts:
        changes = {name: getattr(part, name) for name in Facts.__slots__
                   if getattr(part, name) and not getattr(merged, name)}
        if changes:
            merged = dataclasses.replace(merged, **changes)
    return merged


def read_date_segment(text: str, edge: bool, rules: Rules, tz: tzinfo) -> Facts | None:
    """Return the dates of a "Published …", "Updated …" or date-only line, or None for text.

    A line may carry several ("Published 3 March 2026, updated 4 March 2026"); every part of
    it must be a date or a relative date for the line to count.
    """
    if not edge and not rules.date_label.match(text, len(text) - len(text.lstrip(" ,;|-–—"))):
        return None  # an unlabelled date is only trusted on a line of its own near the edges
    starts: list[int] = []
    if dates.may_hold(text, rules.label_words if not text.isascii() else rules.ascii_label_words):
        # DATE_LABEL finds the labels rules.date_label does in a line without another language's words
        other = dates.may_hold(text, rules.other_label_words)
        starts = [label.start() for label in (rules.date_label if other else DATE_LABEL).finditer(text)]
    if not starts or text[:starts[0]].strip(" ,;|-–—"):
        starts = [0] + starts
    parts = [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)])]
    merged = Facts()
    for part in parts:
        facts = read_date_part(part.strip(" ,;|-–—"), edge, rules, tz)
        if facts is None:
            return None
        merged = merge_facts([merged, facts])
    return merged


def read_date_part(text: str, edge: bool, rules: Rules, tz: tzinfo) -> Facts | None:
    label = rules.date_label.match(text)
    if not label and not edge:
        return None
    rest = text[label.end():] if label else text
    kind = "updated" if label and (label["updated_label"] or re.search("updated|modified", label["label"] or "",
                                                                       re.I)) else "published"
    found = dates.find_date_span(rest, tz)
    if found:
        moment, start, end = found
        leftover = f"{rest[:start]} {rest[end:]}"
        authors: tuple[str, ...] = ()
        by = re.search(r"\bby\s+(?=[A-Z])", leftover)
        outlet = ""
        if by:  # WordPress: "Posted on March 3, 2026 by Jane Doe"; The Hill: "by Jane Doe - 11/24/25 5:32 PM ET"
            byline = read_byline(leftover[by.start():].strip(" ,.;|-–—"), rules)
            if byline is None:
                return None
            authors, outlet, leftover = byline.authors, byline.outlet, leftover[:by.start()]
        elif edge and (rest_of_line := leftover.strip(" ,;|-–—")):
            credit = read_credit(rest_of_line, rules, edge, tz)
            if credit and credit.credit:  # a source after the date: "2025-11-24 10:32 来源：新华网"
                return dataclasses.replace(credit, **{kind: moment})
        if len(re.findall(r"\w+", leftover)) > 2:
            return None
        return Facts(authors=authors, outlet=outlet, **{kind: moment})
    if label and TIME_ONLY.fullmatch(rest.strip(" .")):
        return Facts()  # "Updated 6:12 p.m. ET": a time without its day says nothing usable
    relative = dates.find_relative_date(rest)
    if relative and (label or edge):
        leftover = rest.replace(relative, " ")
        leftover = re.sub(r"\b(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?", " ", leftover, flags=re.I)
        if len(re.findall(r"\w+", leftover)) <= 2:
            return Facts(relative=text)
    return None


def read_byline(text: str, rules: Rules) -> Facts | None:
    """Return the authors (and outlet) of "By A, B and C | Outlet", or None for a sentence."""
    match = rules.byline.fullmatch(text.strip(" .,;"))
    if not match:
        return read_cjk_byline(text, rules) if not text.isascii() and opens_cjk(text) else None
    names_text = match["names"].strip(" .,;:")
    if "(" in names_text:  # "Par Marie Dupont (Pékin, correspondante)": the job in brackets goes
        names_text = BRACKETED.sub(lambda found: " " if holds_job_title(found[1], rules) else found[0], names_text)
    outlet = ""
    parts = re.split(r"\s+[-–—]\s+", names_text, maxsplit=1)
    if len(parts) == 2:
        names_text, outlet = parts
        if not looks_like_outlet(outlet):
            return None
    working_for = re.search(r"\s+for\s+(?=[A-Z])(.+)$", names_text)
    if working_for and not outlet:
        outlet = working_for[1]
        names_text = names_text[:working_for.start()]
        if not looks_like_outlet(outlet):
            return None
    read = read_names(names_text, rules)
    if read is None:
        return None
    names, named_outlet = read
    outlet = outlet or named_outlet
    if not names and not outlet:
        return None
    return Facts(authors=names, outlet=outlet)


def holds_job_title(text: str, rules: Rules) -> bool:
    """Return whether some word of `text` is a job title: "Jane Doe, Senior Correspondent", the
    brackets after a name in "Par Marie Dupont (Pékin, correspondante)"."""
    return any(word.strip(".,").lower() in rules.roles for word in text.split())


def read_cjk_byline(text: str, rules: Rules) -> Facts | None:
    """Return the authors of a Chinese or Japanese byline ("记者 王小明 李华", "文／张伟"), or None."""
    match = rules.cjk_byline.fullmatch(text.strip())
    names = read_cjk_names(match["names"]) if match else ()
    return Facts(authors=names) if names else None


def read_cjk_names(text: str) -> tuple[str, ...]:
    """Return the names of a list such as "王小明 李华" or "刘洋、陈静", or () when a part is no name:
    two to five Chinese characters, or a foreign name in kana or hanzi parted by a middle dot."""
    parts = [part for part in CJK_NAME_SPLIT.split(text.strip(" ()（）")) if part]
    if not parts or len(parts) > 8 or not all(CJK_NAME.fullmatch(part) for part in parts):
        return ()
    return tuple(dict.fromkeys(parts))


def read_signed_title(text: str, rules: Rules) -> Facts | None:
    """Return the author of "Amy Hawkins Senior China correspondent": a name, then a job title.

    The name is taken to be the first two words (three with a particle or an initial), since
    the title may itself start with capitalised words.
    """
    words = text.split()
    if not 3 <= len(words) <= 9:
        return None
    size = 2
    while size < len(words) - 1 and (words[size - 1].lower() in NAME_PARTICLES
                                     or re.fullmatch(r"[A-Z]\.", words[size - 1])):
        size += 1
    name, title = " ".join(words[:size]), " ".join(words[size:])
    if name_kind(name, rules) == "name" and is_job_title(title, rules):
        return Facts(authors=(tidy_name(name),))
    return None


def is_job_title(text: str, rules: Rules) -> bool:
    """Return whether a line is a job title such as "Senior China correspondent".

    The title word itself must be lower case, as bylines print it; a headline's "Top Editor" is not.
    """
    words = text.strip(" .,").split()
    if not 1 <= len(words) <= 6 or words[-1] not in rules.roles:
        return False
    return all(word[0].isupper() or word in rules.qualifiers for word in words[:-1])


def read_credits_line(text: str, rules: Rules) -> tuple[str, ...] | None:
    """Return the authors of "Reporting by A in X; Editing by B", or None for other text.

    Reporters and writers are authors; editors and other contributors are not.
    """
    authors: list[str] = []
    parts = [part.strip() for part in text.split(";") if part.strip()]
    for part in parts:
        match = CREDIT_PART.fullmatch(part.rstrip("."))
        if not match:
            return None
        role = " ".join(match["role"].lower().split())
        if role not in rules.author_credits and role not in rules.other_credits:
            return None
        read = read_names(match["names"], rules)
        if read is None or not read[0]:
            return None
        if role in rules.author_credits:
            authors += read[0]
    return tuple(dict.fromkeys(authors))


def read_names(text: str, rules: Rules) -> tuple[tuple[str, ...], str] | None:
    """Return the person names listed in `text` and a trailing outlet, or None if any part is
    not a name ("Monday, the talks…" is a sentence, not two people)."""
    parts = [part for part in rules.name_split.split(text.strip(" .")) if part]
    if not parts or len(parts) > 8:
        return None
    names: list[str] = []
    outlet = ""
    for position, part in enumerate(parts):
        part = PLACE_SUFFIX.sub("", FOLLOW_BUTTON.sub("", part)).strip()
        kind = name_kind(part, rules)
        if position == len(parts) - 1 and (glued := split_glued_outlet(part, kind, rules)):
            names.append(tidy_name(glued[0]))  # "By Landon Mead Fox News"
            outlet = glued[1]
            continue
        if kind == "role" and part.split()[0].casefold() in rules.agencies and position == len(parts) - 1:
            outlet = part.split()[0]  # "By Reuters Staff"
            continue
        if kind == "role":
            continue
        if kind == "outlet" and position == len(parts) - 1:
            outlet = part
            continue
        if kind != "name":
            return None
        names.append(tidy_name(part))
    return tuple(dict.fromkeys(names)), outlet


def split_glued_outlet(part: str, kind: str, rules: Rules) -> tuple[str, str] | None:
    """Return (name, outlet) of a name with a known outlet's name glued after it ("Landon Mead
    Fox News", "Jane Doe CNN"), or None. A name whose last word merely is an outlet's stays whole,
    unless that word is an acronym in capitals."""
    words = part.split()
    for size in (3, 2, 1):
        if len(words) < size + 2:
            continue
        outlet = " ".join(words[-size:])
        if outlet.casefold() not in rules.agencies or (kind == "name" and not (size == 1 and outlet.isupper())):
            continue
        if name_kind(" ".join(words[:-size]), rules) == "name":
            return " ".join(words[:-size]), outlet
    return None


def name_kind(part: str, rules: Rules) -> str:
    """Return "name", "role", "outlet" or "" for one comma-separated part of a byline."""
    words = part.split()
    if not words or len(words) > 6:
        return ""
    if {word.lower().strip(".,") for word in words} & rules.roles:
        return "role"
    if part.casefold() in rules.agencies or looks_like_outlet(part, strict=True, rules=rules):
        return "outlet"
    significant = [word for word in words if word.lower() not in NAME_PARTICLES]
    if not 2 <= len(significant) <= 5:
        return ""
    for word in words:
        if word.lower() in NAME_PARTICLES or word in NAME_SUFFIXES:
            continue
        if word.strip(".,") in NOT_NAMES:
            return ""
        if not re.fullmatch(r"[^\W\d_](?:\.|[^\W\d_]*(?:['’-][^\W\d_]+)*\.?)", word):
            return ""
        if not word[0].isupper():
            return ""
    return "name"


def tidy_name(name: str) -> str:
    """Return a name as people write it: "ZEKE MILLER" becomes "Zeke Miller"."""
    if not name.isupper() or len(name) <= 3:
        return " ".join(name.split())
    return " ".join(re.sub(r"[^\W\d_]+", lambda m: m[0].capitalize(), word) for word in name.split())


def looks_like_outlet(text: str, *, strict: bool = False, rules: Rules = RULES) -> bool:
    """Return whether `text` could be a news outlet's name.

    Loosely, any short capitalised phrase; strictly (inside a list of names), one that says so:
    a known agency, "The …", a word such as News or Times, or an acronym such as CNN.
    """
    text = text.strip()
    words = text.split()
    if not words or len(words) > 8 or len(text) > 80 or not (text[0].isupper() or text[0].isdigit()
                                                              or is_caseless_letter(text[0])):
        return False
    if not text.isascii() and words_in(text) > 8:
        return False  # a sentence in Chinese or Japanese, without spaces
    if re.search(r"[.!?]\s+[A-Z]", text) or text[-1] in ",;:。，；：":
        return False
    if not strict:
        return True
    return (text.casefold() in rules.agencies or words[0] == "The" and len(words) > 1
            or any(word.lower().strip(".,") in rules.outlet_words for word in words)
            or (len(words) == 1 and text.isupper() and 2 <= len(text) <= 6 and text.isalpha()))


def read_credit(text: str, rules: Rules, edge: bool, tz: tzinfo) -> Facts | None:
    """Return the outlet (and URL) a credit line names: "Originally published by X", "© 2026 X"."""
    for pattern, anywhere in rules.credits:
        if not anywhere and not edge:
            continue
        match = pattern.fullmatch(text)
        if not match:
            continue
        named = match.group("source")
        source = named or ""
        for trailer in rules.credit_trailers:
            source = trailer.sub("", source)
        address = URL.search(source)
        url = address.group(0).rstrip(".,;") if address else ""
        if address:
            source = source[:address.start()] + source[address.end():]
        source = source.strip(" .,;:()[]-–—|")
        outlet = looks_like_outlet(source) or source.casefold() in rules.agencies  # "Quelle: dpa"
        if dates.find_date(source, tz) or dates.find_relative_date(source) or not outlet:
            if named is not None and not url:
                # "Copyright law in China …", "Originally published on 3 March 2026": not a credit
                return None
            source = ""
        if not source and url:
            source = (urlsplit(url).hostname or "").removeprefix("www.")
        return Facts(credit=source, url=url)
    return None


# --- The first paragraph: datelines; any paragraph: blog filler ------------------------------

PAREN_DATELINE = re.compile(
    r"(?P<place>[A-Z][^()\n]{0,60}?)?\s*\((?P<agency>[^()\n]{2,40})\)\s*(?P<dash>--|[-–—:])\s*(?=\S|$)")
GLUED_DATELINE = re.compile(
    r"(?P<name>[A-Z][A-Z&'’ ]{0,38}[A-Z])(?P<space>\s?)(?P<dash>--|[-–—])(?P<after>\s*)(?=\S|$)")
# A place dateline, kept in the text but not in a summary: "WASHINGTON — ", "BEIJING, Nov 24 - "
PLACE_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w.'’ /-]{0,50}?)(?:,\s*[A-Za-z0-9., ]{1,30}?)?\s*(?:--|[-–—])\s+(?=\S)")
# CNN's newer style names the outlet without brackets: "Hong Kong/Washington CNN — ", "Washington, DC CNN — "
BARE_AGENCY_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w.'’ /-]{0,50}?)(?:,\s*(?P<region>[A-Z][\w.']{0,20}))?"
    r"\s+(?P<agency>[A-Z]{2,6})\s*(?:--|[-–—])(?:\s+(?=\S)|\s*$)")
DASH_END = re.compile(r"(?:--|[-–—])\s*$")
# The place before "(Agency)": "WASHINGTON", "Hong Kong", "BEIJING, Nov 24", "SPRINGFIELD, Ill."
PLACE_PART = re.compile(r"[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,2}(?:,\s*[A-Za-z0-9., ]{1,30})?")


def read_first_paragraph(lines: list[Line], rules: Rules, tz: tzinfo, markdown: bool,
                         fixes: list[str]) -> tuple[list[Line], Found | None]:
    """Return the lines with an agency or outlet dateline taken off the first paragraph, and
    what it told: "WASHINGTON (AP) — …" loses "(AP)", "ALBAWABA- U.S. …" loses "ALBAWABA- ".

    A place-only dateline ("WASHINGTON — …") is the article's own text and stays. A place and a
    known agency in brackets ("WASHINGTON (Reuters) -") are a dateline on any of the first
    DATELINE_REACH paragraphs, under the lines a quote widget leaves ("NVDA").
    """
    for position, index in enumerate(content_indexes(lines)[:DATELINE_REACH]):
        line = lines[index]
        if not opens_with_text(line.text, markdown):
            return lines, None
        if position and not opens_with_agency(line.text, rules):
            continue
        result = read_dateline(line.text, rules, tz)
        if result is None:
            continue
        text, removed, facts = result
        fixes.append(removed)
        changed = lines[:index] + [dataclasses.replace(line, text=text)] + lines[index + 1:]
        return changed, Found(line, facts, keep_in_dropped=False)  # `fixes` has the cut part
    return lines, None


def opens_with_agency(text: str, rules: Rules) -> bool:
    """Return whether a paragraph opens with a place and a known agency: "WASHINGTON (Reuters) -"."""
    if "(" not in text[:64]:
        return False  # the place before the bracket is at most 60 characters
    paren = PAREN_DATELINE.match(text)
    return bool(paren and paren["place"] and paren["agency"].strip().casefold() in rules.agencies)


def put_back_dateline(lines: list[Line], found: list[Found], rules: Rules, tz: tzinfo,
                      markdown: bool) -> tuple[list[Line], list[Found]]:
    """Return the lines with a dateline printed on a line of its own right above the first
    paragraph ("Hong Kong CNN —") put back at the paragraph's start, and `found` without it.

    read_first_paragraph then reads it as it reads "Hong Kong (CNN) — …" on one line: the outlet
    is taken off and the place stays. A dateline without a place is left removed.
    """
    content = content_indexes(lines)
    if not content:
        return lines, found
    index = content[0]
    lede = lines[index]
    # every line above the first paragraph was removed: the nearest of them is the one over it
    above = max((item for item in found if item.line.number < lede.number),
                key=lambda item: item.line.number, default=None)
    if above is None or not above.facts.dateline or not opens_with_text(lede.text, markdown):
        return lines, found
    joined = Line(above.line.number, f"{above.facts.dateline} {lede.text}")
    if read_dateline(joined.text, rules, tz) is None:
        return lines, found  # the lede's words changed how the dateline reads: leave it removed
    return lines[:index] + [joined] + lines[index + 1:], [item for item in found if item is not above]


def opens_with_text(text: str, markdown: bool) -> bool:
    """Return whether a first paragraph starts with its words, not a Markdown list, quote or tag."""
    return not markdown or not (MARKDOWN_PREFIX.match(text) or text.startswith((" ", "<", "!")))


def read_dateline(text: str, rules: Rules, tz: tzinfo) -> tuple[str, str, Facts] | None:
    """Return (text without the outlet part, the part removed, what it told) or None."""
    if opens_cjk(text) and (cjk := read_cjk_dateline(text, rules)) and cjk[0]:
        return cjk
    paren = PAREN_DATELINE.match(text)
    if paren:
        place = (paren["place"] or "").strip()
        agency = " ".join(paren["agency"].split())
        outlet = rules.agencies.get(agency.casefold())
        if outlet is None and looks_like_outlet(agency) and re.fullmatch(r"[A-Za-z&' ]+", agency) \
                and all(word[0].isupper() for word in agency.split()) and len(agency.split()) <= 4:
            outlet = agency
        # an unknown name in brackets is an outlet only after a capitalised place: "TALLINN (ERR) -"
        known_place = not place or PLACE_PART.fullmatch(place) and (
            agency.casefold() in rules.agencies or re.match(r"[A-Z]{2,}\b", place))
        if outlet and known_place:
            if place:
                opening = paren.start("agency") - 1
                closing = paren.end("agency") + 1
                kept = text[:opening].rstrip() + " " + text[closing:].lstrip()
                removed = text[opening:closing]
            else:
                kept, removed = text[paren.end():], text[:paren.end()].strip()
            published = dates.find_date(place, tz) if place else None
            return kept, removed, Facts(credit=outlet, published=published)
    bare = BARE_AGENCY_DATELINE.match(text)
    if bare and bare["agency"].casefold() in rules.agencies and is_place(bare["place"], rules):
        kept = text[:bare.start("agency")].rstrip() + " " + text[bare.end("agency"):].lstrip()
        return kept, bare["agency"], Facts(credit=rules.agencies[bare["agency"].casefold()])
    glued = GLUED_DATELINE.match(text)
    if glued:
        name = " ".join(glued["name"].split())
        known = rules.agencies.get(name.casefold())
        glued_to_dash = not glued["space"] and (glued["dash"] != "-" or glued["after"])
        if known or (glued_to_dash and name not in rules.places and name not in rules.labels):
            outlet = known or " ".join(word.capitalize() for word in name.split())
            rest = text[glued.end():]
            return rest[:1].upper() + rest[1:], text[:glued.end()].strip(), Facts(credit=outlet)
    return None


def opens_cjk(text: str) -> bool:
    """Return whether a line starts in Chinese or Japanese, or with the bracket of a Japanese dateline."""
    return not text.isascii() and (CJK.match(text) is not None or text.startswith("【"))


def read_cjk_dateline(text: str, rules: Rules) -> tuple[str, str, Facts] | None:
    """Return (the text after a Chinese or Japanese dateline, the dateline, the agency and reporters it
    names) or None. Unlike an English one, the whole dateline leaves the text, place and date too."""
    match = rules.cjk_dateline.match(text)
    if not match:
        return None
    agency = match["agency"] or match["jagency"]
    authors: tuple[str, ...] = ()
    if match["reporters"]:  # "（记者王小明 李华）"
        byline = read_cjk_byline(match["reporters"], rules)
        authors = byline.authors if byline else read_cjk_names(match["reporters"])
    elif match["jreporters"]:  # "【北京=山田太郎】"
        authors = read_cjk_names(match["jreporters"])
    facts = Facts(credit=rules.agencies[agency.casefold()] if agency else "", authors=authors)
    return text[match.end():], match.group(0).strip(), facts


def is_place(text: str, rules: Rules) -> bool:
    """Return whether a dateline's place reads as one: in capitals, or places the rules know."""
    pieces = [piece.strip() for piece in text.split("/")]
    return all(piece and (piece.isupper() or piece.upper() in rules.places) for piece in pieces)


def without_place_dateline(text: str) -> str:
    """Return a paragraph without its place dateline ("WASHINGTON — "), for a summary or a title."""
    match = PLACE_DATELINE.match(text)
    if match and is_place(match["place"], RULES) and text[match.end():]:
        return text[match.end():]
    return text


def strip_fillers(lines: list[Line], rules: Rules, markdown: bool, fixes: list[str]) -> list[Line]:
    """Return the lines with blog filler ("Let's dive into the details: ") cut off paragraph starts."""
    starts = {block[0] for block in blocks_of(lines)} if markdown else set(content_indexes(lines))
    changed = list(lines)
    for index in sorted(starts):
        line = lines[index]
        if line.code:
            continue
        for pattern in rules.fillers:
            match = pattern.match(line.text)
            if match and line.text[match.end():].strip():
                rest = line.text[match.end():]
                changed[index] = dataclasses.replace(line, text=rest[:1].upper() + rest[1:])
                fixes.append(match.group(0).strip())
                break
    return changed


def strip_closing_marks(lines: list[Line], rules: Rules, fixes: list[str]) -> list[Line]:
    """Return the lines without the mark a wire story ends its last paragraph with ("…预期。（完）")."""
    last = lines[-1] if lines else None
    # every closing mark ends in a bracket: most texts are passed over at that test
    if last is None or last.code or not last.text.endswith((")", "）")):
        return lines
    mark = rules.closing_mark.search(last.text)
    if not mark or not last.text[:mark.start()].strip():
        return lines
    fixes.append(mark.group(0).strip())
    return lines[:-1] + [dataclasses.replace(last, text=last.text[:mark.start()])]


# --- Paragraphs and HTML ---------------------------------------------------------------------


def paragraph_groups(lines: list[Line]) -> list[list[int]]:
    """Return the line indexes of each paragraph of a clipping: one line each, or a blank-line
    block each when the text is hard-wrapped."""
    blocks = blocks_of(lines)
    if is_hard_wrapped([[lines[index] for index in block] for block in blocks]):
        return blocks
    return [[index] for block in blocks for index in block]


def clipping_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Return a clipping's paragraphs, each with the file line it starts on."""
    return [Paragraph(lines[group[0]].number, join_wrapped(lines[index].text for index in group))
            for group in paragraph_groups(lines)]


def without_paragraph(lines: list[Line], number: int) -> list[Line]:
    """Return the lines without the clipping paragraph that starts on file line `number`."""
    for group in paragraph_groups(lines):
        if lines[group[0]].number == number:
            return collapse_blanks([line for index, line in enumerate(lines) if index not in group])
    return lines


def is_hard_wrapped(blocks: list[list[Line]]) -> bool:
    """Return whether blank lines separate paragraphs whose lines were broken at a fixed width.

    The sign of wrapping: a line inside a block is short, mostly stops mid-sentence, and the
    next line's first word would not have fitted on it within the text's widest line.
    """
    pairs = [(line.text, following.text) for block in blocks
             for line, following in zip(block, block[1:])]
    if len(pairs) < 2:
        return False
    width = max(len(line.text) for block in blocks if len(block) > 1 for line in block)
    broken = sum(len(text) + 1 + first_word_length(following) > width for text, following in pairs)
    short = sum(len(text) <= 100 for text, _ in pairs)
    open_ended = sum(text.rstrip(CLOSERS)[-1:] not in ".!?" + CJK_STOPS for text, _ in pairs)
    return broken >= 0.8 * len(pairs) and short >= 0.8 * len(pairs) and open_ended >= 0.6 * len(pairs)


def first_word_length(text: str) -> int:
    """Return the length of a line's first word; Chinese and Japanese may break after any character."""
    return 1 if CJK.match(text) else len(text.split()[0])


def join_wrapped(texts: Iterable[str]) -> str:
    joined = ""
    for text in texts:
        if joined.endswith("-") and joined[-2:-1].isalpha() and text[:1].isalpha():
            joined += text  # a word broken at the margin: "U.S.-" + "China"
        else:
            joined = f"{joined} {text}" if joined else text
    return joined


def render_body(article: Article, lines: list[Line], markdown: bool, config: Config,
                report: Report) -> tuple[Article, list[Paragraph]]:
    """Return the article with its cleaned body, paragraphs and HTML, and the numbered paragraphs."""
    if not markdown:
        paragraphs = clipping_paragraphs(lines)
        texts = tuple(paragraph.text for paragraph in paragraphs)
        return dataclasses.replace(article, body="\n\n".join(texts), paragraphs=texts,
                                   body_html=markup.paragraphs_to_html(texts)), paragraphs
    body = "\n".join(line.text for line in lines)
    try:
        body_html = markup.to_html(body, unsafe=config.unsafe_html)
        texts = tuple(markup.to_blocks(body_html))
    except BuildError as exc:
        # the message counts lines of the cleaned body; each of them knows its file line
        line = lines[exc.line - 1].number if exc.line and exc.line <= len(lines) else article.body_line
        report.error(exc.message, article.origin, line, kind="markup")
        texts = tuple(" ".join(block.split()) for block in re.split(r"\n\s*\n", body) if block.strip())
        body_html = markup.paragraphs_to_html(texts)
    cleaned = dataclasses.replace(article, body=body, paragraphs=texts, body_html=body_html)
    return cleaned, number_blocks(texts, lines, article.body_line)


def number_blocks(texts: Iterable[str], lines: list[Line], default: int) -> list[Paragraph]:
    """Return rendered Markdown blocks with the file line each starts on, as far as it is found."""
    first_line: dict[str, int] = {}  # the opening words of a line -> the first line opening so
    for line in lines:
        if line.text and not line.code:
            if key := comparable_start(plain(line.text, True), 20):
                first_line.setdefault(key, line.number)
    # a start of a block's words is a key only if it is as long as one: look up those lengths alone
    sizes = sorted({len(key) for key in first_line})
    numbered = []
    for text in texts:
        words = comparable_start(text, 20)
        found = [first_line[words[:size]] for size in sizes if size <= len(words) and words[:size] in first_line]
        numbered.append(Paragraph(min(found, default=default), text))
    return numbered


# --- Fields ----------------------------------------------------------------------------------


def fill_fields(article: Article, original: Article, found: list[Found], guess: TitleGuess | None,
                paragraphs: list[Paragraph], lines: list[Line], notes: Notes) -> Article:
    """Return the article with each field the text names set, where front matter left it open."""

    def put(current: Article, name: str, value: object, where: str) -> Article:
        if value in (None, "", ()) or not settable(original, name):
            return current
        return dataclasses.replace(current, **{name: value}, provenance=current.with_origin(name, where))

    def first(attribute: str) -> Found | None:
        # the earliest line wins: a masthead or dateline before a copyright line at the foot
        return min((item for item in found if getattr(item.facts, attribute)),
                   key=lambda item: item.line.number, default=None)

    def line_of(item: Found) -> str:
        return clipping_line(item.line.number)

    for attribute, name in (("title", "title"), ("summary", "summary"), ("authors", "authors"),
                            ("url", "source_url")):
        if item := first(attribute):
            article = put(article, name, getattr(item.facts, attribute), line_of(item))
    # a credit line or an agency dateline names the outlet more surely than a byline's tail
    if item := first("credit") or first("outlet"):
        article = put(article, "source", canonical_outlet(item.facts.credit or item.facts.outlet),
                      line_of(item))

    published, updated = first("published"), first("updated")
    if dated := published or updated:
        article = put(article, "published", dated.facts.published or dated.facts.updated, line_of(dated))
    if updated:
        article = put(article, "updated", updated.facts.updated, line_of(updated))
    if settable(original, "published") or settable(original, "updated"):
        for item in found:
            if item.facts.relative:
                notes.warn(f"relative date '{item.facts.relative}' ignored (expected an absolute date "
                           "such as 24 November 2025)", item.line.number, "relative date")

    if guess and settable(original, "title") and not first("title"):
        where = "opening sentence" if guess.from_dek else "first paragraph"
        notes.warn(f"no headline line; title inferred from the {where} (expected a short first "
                   "line or a 'title' in front matter)", guess.number, "inferred title")
        article = put(article, "title", guess.title, INFERRED)
    if settable(original, "summary") and not first("summary"):
        inferred = article.title if article.origin_of("title") == INFERRED else ""
        if lede := lede_of(paragraphs, inferred):
            article = put(article, "summary", summarise(without_place_dateline(lede.text)), INFERRED)
    if article.published is None:
        article = note_missing_date(article, original, lines, notes)
    return article


def canonical_outlet(name: str) -> str:
    """Return an agency's usual name ("AP" is the Associated Press), or `name` as written."""
    return RULES.agencies.get(name.casefold(), name)


@dataclass(frozen=True, slots=True)
class TitleGuess:
    """A title taken from the text when no line reads as a headline."""

    title: str
    number: int  # the file line of the paragraph it comes from
    from_dek: bool  # the whole paragraph is a one-sentence standfirst, now the title


def guess_title(paragraphs: list[Paragraph]) -> TitleGuess | None:
    """Return a title from the standfirst (a short first sentence over longer text) or from the
    lede's first sentence, cut to TITLE_LIMIT at a word; None when there is no text."""
    usable = [paragraph for paragraph in paragraphs if words_in(paragraph.text) >= 3]
    if not usable:
        return None
    opening = usable[0]
    text = without_place_dateline(opening.text)  # "WASHINGTON — " heads the story, not its title
    sentences = split_sentences(text[:OPENING_REACH]) or [text]
    from_dek = (len(sentences) == 1 and len(text) <= DEK_LIMIT and len(usable) > 1
                and len(usable[1].text) > len(text))
    return TitleGuess(shorten(sentences[0], TITLE_LIMIT), opening.number, from_dek)


def lede_of(paragraphs: list[Paragraph], inferred_title: str) -> Paragraph | None:
    """Return the first paragraph of running text, skipping a standfirst that became the title."""
    for paragraph in paragraphs:
        if words_in(paragraph.text) < 6:
            continue
        if inferred_title and comparable(without_place_dateline(paragraph.text)) == comparable(inferred_title):
            continue
        return paragraph
    return None


def note_missing_date(article: Article, original: Article, lines: list[Line], notes: Notes) -> Article:
    """Warn that no date was found, and keep the month and day the text names without a year."""
    expected = "expected a 'Published …' line, a date line or a 'date' in front matter"
    for line in lines:
        if not line.text or line.code:
            continue
        if partial := dates.find_partial_date(line.text):
            month, day = partial
            notes.warn(f"no publication date found; the text names {day} "
                       f"{dates.MONTH_NAMES[month - 1]} without a year ({expected})",
                       line.number, "missing date")
            if not settable(original, "partial_date"):
                return article
            return dataclasses.replace(article, partial_date=partial, provenance=article.with_origin(
                "partial_date", clipping_line(line.number)))
    notes.warn(f"no publication date found ({expected})", None, "missing date")
    return article


# --- Sentences -------------------------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """Return the sentences of a paragraph, not breaking after "U.S." or "Nov."."""
    if not text.isascii() and any(map(text.__contains__, CJK_STOPS)):
        return split_cjk_sentences(text)
    sentences: list[str] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        # only the last word matters; reading back to `start` would make skipped stops quadratic
        before = text[max(start, match.start() - 40):match.start()].split()
        word = before[-1].lower().strip("(“\"'‘") if before else ""
        if match.group(0).startswith(".") and (word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word)
                                                or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word)):
            continue
        sentences.append(text[start:match.end()].strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def split_cjk_sentences(text: str) -> list[str]:
    """Return the sentences of Chinese or Japanese text, which end in "。", "！" or "？" without a space."""
    sentences: list[str] = []
    start = 0
    for match in CJK_SENTENCE_END.finditer(text):
        if text[start:match.end()].strip():
            sentences.append(text[start:match.end()].strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def width(text: str) -> int:
    """Return how wide `text` prints: a Chinese or Japanese character takes the room of two letters."""
    return len(text) if text.isascii() else len(text) + len(CJK.findall(text))


def shorten(text: str, limit: int) -> str:
    """Return `text` as a title: no final period, at most `limit` characters, cut at a word."""
    text = text.strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    if not text.isascii() and CJK.search(text):
        return shorten_cjk(text.removesuffix("。"), limit)
    if len(text) <= limit:
        return text
    words = text[:limit].split()
    if not text[limit].isspace() and len(words) > 1:
        words.pop()  # the last word was cut through
    while len(words) > 1 and words[-1].lower().strip(",;:—–-") in WEAK_ENDINGS:
        words.pop()
    cut = " ".join(words).rstrip(" ,;:—–-")
    return cut[:limit - 1].rstrip() + "…"


def shorten_cjk(text: str, limit: int) -> str:
    """Return Chinese or Japanese text at most `limit` wide (see `width`), cut at any character."""
    if width(text) <= limit:
        return text
    cut, room = [], limit - 1  # "…" takes one
    for character in text:
        room -= width(character)
        if room < 0:
            break
        cut.append(character)
    return "".join(cut).rstrip(" ,;:—–-、，；：") + "…"


def summarise(text: str) -> str:
    """Return the first sentences of a paragraph, up to SUMMARY_LIMIT characters (see `width`)."""
    summary = ""
    opening = text[:OPENING_REACH]
    measure = width if not opening.isascii() and CJK.search(opening) else len
    for sentence in split_sentences(opening):
        # Chinese and Japanese put no space between sentences
        gap = "" if not summary or summary.rstrip(CLOSERS)[-1:] in tuple(CJK_STOPS) else " "
        candidate = summary + gap + sentence
        if measure(candidate) > SUMMARY_LIMIT:
            break
        summary = candidate
    return summary or shorten(text, SUMMARY_LIMIT)
