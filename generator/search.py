"""The full-text search index: each article's and story's terms, inverted into small JSON files under
`search/` that static/search.js fetches and reads in the reader's browser.

The files, relative to `search/`, are the same bytes for the same content:

- `meta.json`: the version, the counts, the documents per chunk, the layout of a posting and the names
  of the term shards.
- `docs/<N>.json`: documents N * chunk onwards, each {"url", "title", "kind", "source", "date",
  "excerpt"}, `url` relative to the site root. Documents are numbered oldest first, undated before.
- `terms/<shard>.json`: {"terms", "documents", "counts", "postings"} for the terms whose first two
  characters (one, for a Chinese or Japanese term) name the shard (`shard_name`): the terms, sorted; for
  each, how many documents have it and how many postings it has; and the postings of all of them in turn,
  base64-encoded. A posting is `weight << doc_bits | document` in `bytes` bytes (meta.json), stored by
  planes: the low byte of every posting of the shard, then the next byte of every posting, and so on. A
  term in more than POSTINGS_CAP documents keeps only the POSTINGS_CAP postings of highest weight (so its
  count is less than its documents), and the script does not let such a term narrow a search.

The shards of the terms that share a first character depend on nothing but that character's groups
(its terms, with their weights, in each document) and their documents' numbers: a build keeps them from
the last one when those are the same (`index_parts`, `part_key`), and inverts only the others.

Terms are made alike here and in the script (`query_terms`, `queryTerms`): the text composed (NFC),
cut into runs of letters and digits, each run decomposed (NFKD) without its combining marks and
case-folded, runs of one character dropped and long ones cut to MAX_TERM_LENGTH characters. Chinese and
Japanese, written without spaces, are cut into every pair of neighbouring characters ("经贸磋商" holds
"经贸", "贸磋" and "磋商"), so that a word of two or more characters is found inside a longer run.
"""

from __future__ import annotations

import base64
import functools
import json
import pickle
import re
import sys
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, groupby
from operator import itemgetter
from pathlib import PurePosixPath

from . import dates, metadata
from .cache import digest
from .model import CJK, CJK_RANGES, Article, Page, Story

INDEX_VERSION = 2  # of the files' layout and of article_terms' value
FOLDER = "search"
CHUNK_SIZE = 100  # documents per docs/N.json: 30 results fetch a few files of ~40 KB (~11 KB gzipped)
POSTINGS_CAP = 2_000  # postings kept per term, the highest weights first, so that no shard grows unbounded
MAX_TERM_LENGTH = 32  # characters; a longer run is cut, in the index and in a query alike
EXCERPT_LENGTH = 180
WEIGHT_BITS = 6  # a weight is at most 36
MIN_DOC_BITS = 18  # a posting is weight << bits | document: 3 bytes up to 262,144 documents
# A term's weight in a document: each place it appears in counts, up to a few times, the title most.
TITLE_WEIGHT, SUMMARY_WEIGHT = 10, 3
TITLE_TIMES, SUMMARY_TIMES, TEXT_TIMES = 2, 2, 10
WORD = re.compile(r"[^\W_]+")  # letters and digits: the script's /[\p{L}\p{N}]+/gu
ASCII_TERM = re.compile(r"[a-z0-9]{2,}")  # in lowered text whose letters and digits are all ASCII
OTHER_LETTER = re.compile(r"[^\x00-\x7f\W_]")  # a letter or digit beyond ASCII
ASCII_RUN = re.compile(r"(?<![^\W_])[a-z0-9]{2,}(?![^\W_])")  # a whole run, lower-case ASCII, in any text
OTHER_RUN = re.compile(r"(?<![^\W_])[^\W_]*[^\x00-\x7f\W_][^\W_]*")  # a whole run with a character beyond ASCII
SHARD = re.compile(r"[a-z0-9]{2}")
# A run's Chinese or Japanese parts and the parts between them
CJK_PARTS = re.compile(f"[{CJK_RANGES}]+|[^{CJK_RANGES}]+")

# A document's distinct terms, sorted, in groups that share a first character; each group is the terms
# joined by spaces and their weights, one byte each. Picklable and small.
Groups = tuple[tuple[str, bytes], ...]
# article_terms' value: the article's origin, which index_pages pairs it by, and its groups.
Terms = tuple[str, Groups]
# One first character's groups in the index: their document numbers, their terms, their weights.
Numbered = tuple[list[int], list[str], list[bytes]]


def strip_marks(text: str) -> str:
    return "".join(char for char in text if not unicodedata.category(char).startswith("M"))


@functools.lru_cache(maxsize=65_536)
def word_terms(word: str) -> tuple[str, ...]:
    """Return the terms of one run of letters and digits: decomposed, without marks, case-folded, cut."""
    folded = strip_marks(unicodedata.normalize("NFKD", word)).casefold()
    # case folding can leave marks ("ǰ") and decomposition can split a run ("½" is "1⁄2")
    runs = WORD.findall(strip_marks(unicodedata.normalize("NFKD", folded)))
    return tuple(term for run in runs for term in run_terms(run))


def run_terms(run: str) -> tuple[str, ...]:
    """Return the terms of one folded run: itself, cut, or its pairs of Chinese or Japanese characters."""
    if len(run) < 2:
        return ()
    if not CJK.search(run):
        return (run[:MAX_TERM_LENGTH],)
    terms: list[str] = []
    for part in CJK_PARTS.findall(run):
        if CJK.match(part):
            terms += [part[start:start + 2] for start in range(len(part) - 1)]
        elif len(part) > 1:
            terms.append(part[:MAX_TERM_LENGTH])
    return tuple(terms)


def count_terms(text: str) -> Counter[str]:
    """Return how often each term occurs in `text`."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if text.isascii() or not OTHER_LETTER.search(text):
        # beyond ASCII only punctuation and symbols (“quotes”, dashes): they part words like spaces do
        counts = Counter(ASCII_TERM.findall(text.lower()))
    else:
        # Lowering the whole text cuts no run apart, but for "İ", which lowers to "i" and a combining dot.
        text = text.replace("\u0130", "I").lower()
        counts = Counter(ASCII_RUN.findall(text))
        for run, count in Counter(OTHER_RUN.findall(text)).items():
            for term in word_terms(run):
                counts[term] += count
    if counts and max(map(len, counts)) > MAX_TERM_LENGTH:
        for term in [term for term in counts if len(term) > MAX_TERM_LENGTH]:
            counts[term[:MAX_TERM_LENGTH]] += counts.pop(term)
    return counts


def query_terms(text: str) -> list[str]:
    """Return the distinct terms of a query in their order, as the script finds them."""
    runs = WORD.findall(unicodedata.normalize("NFC", text))
    return list(dict.fromkeys(term for run in runs for term in word_terms(run)))


def weigh(title: Counter[str], summary: Counter[str], text: Counter[str]) -> Groups:
    """Return the terms of a document's three parts with their weights, grouped by first character."""
    weight = {term: count if count < TEXT_TIMES else TEXT_TIMES for term, count in text.items()}
    for counts, factor, times in ((summary, SUMMARY_WEIGHT, SUMMARY_TIMES), (title, TITLE_WEIGHT, TITLE_TIMES)):
        for term, count in counts.items():
            weight[term] = weight.get(term, 0) + factor * (count if count < times else times)
    terms = sorted(weight)
    weights = bytes(map(weight.__getitem__, terms))
    groups, start = [], 0
    for _, members in groupby(terms, key=itemgetter(0)):
        names = list(members)
        groups.append((" ".join(names), weights[start:start + len(names)]))
        start += len(names)
    return tuple(groups)


def article_terms(article: Article) -> Terms:
    """Return the article's origin and its terms with their weights: title, then summary, byline and outlet,
    then text. It depends on the article alone, so a build may compute it in any process and keep it."""
    return article.origin, weigh(count_terms(article.title),
                                 count_terms("\n".join([article.summary, article.source, *article.authors])),
                                 count_terms("\n".join(article.paragraphs)))


def story_terms(story: Story) -> Groups:
    """Return the story's terms with their weights: its title, its summary, its articles' titles."""
    return weigh(count_terms(story.title), count_terms(story.summary),
                 count_terms("\n".join(article.title for article in story.articles)))


def article_document(article: Article) -> dict[str, str]:
    return {"url": article.url_path, "title": article.title, "kind": "Article", "source": article.source,
            "date": dates.format_date(article.published) if article.published else "",
            "excerpt": metadata.shorten(article.summary, EXCERPT_LENGTH)}


def story_document(story: Story) -> dict[str, str]:
    summary = story.summary or next((article.summary for article in story.articles if article.summary), "")
    return {"url": story.url_path, "title": story.title, "kind": "Story", "source": ", ".join(story.sources),
            "date": dates.format_date(story.published) if story.published else "",
            "excerpt": metadata.shorten(summary, EXCERPT_LENGTH)}


def shard_head(term: str) -> str:
    """Return the start of `term` that names its shard: two characters, or one of a Chinese or Japanese
    pair (pairs of characters would make a shard a term)."""
    return term[:1] if CJK.match(term) else term[:2]


def shard_name(term: str) -> str:
    """Return the name of the shard holding `term`: its head (`shard_head`), or the head's code points in
    hex when those are not ASCII letters and digits ("fe", "u3b1-3b2", "u4e2d")."""
    head = shard_head(term)
    return head if SHARD.fullmatch(head) else "u" + "-".join(f"{ord(char):x}" for char in head)


def doc_bits(count: int) -> int:
    """Return the bits a document number takes in a posting: 18 or more, so that most sites need 3 bytes."""
    return max(MIN_DOC_BITS, (count - 1).bit_length())


def little_endian(values: list[int]) -> array:
    """Return the values as an array of unsigned 64-bit numbers whose bytes are little-endian anywhere."""
    packed = array("Q", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def shard_file(terms: dict[str, list[int]], size: int) -> dict:
    """Return a shard's JSON value: its terms, sorted, how many documents have each, and their postings,
    `counts[i]` for `terms[i]` in turn, packed in `size`-byte planes and base64-encoded."""
    lists = list(terms.values())
    documents = list(map(len, lists))
    for number in [number for number, count in enumerate(documents) if count > POSTINGS_CAP]:
        # weight first, then document: the highest weights, the newest documents on a tie
        lists[number] = sorted(lists[number], reverse=True)[:POSTINGS_CAP]
    packed = little_endian(list(chain.from_iterable(lists)))  # from a list: several times faster than from chain
    data = packed.tobytes()
    planes = b"".join(data[plane::packed.itemsize] for plane in range(size))
    return {"terms": list(terms), "documents": documents, "counts": list(map(len, lists)),
            "postings": base64.b64encode(planes).decode("ascii")}


def json_page(path: str, value: object) -> Page:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return Page(PurePosixPath(FOLDER, path), text.encode("utf-8"))


# What index_parts asks of the last build: given the key of a part's inputs (see part_key), the files the
# last build made from the same inputs, by site path, with their bytes, once they are part of the new
# site; or None when there are none to keep and the part must be made.
Reuse = Callable[[bytes], Mapping[str, bytes] | None]


def index_pages(articles: Sequence[Article], stories: Sequence[Story],
                pickled: Mapping[str, bytes] | None = None) -> Iterator[Page]:
    """Yield the search index, pages under search/: the term shards, the documents in chunks, and
    meta.json last. Each page is made as it is asked for, so a large index is never held whole.

    `pickled` holds the articles' article_terms pickled, by origin, as the build keeps them: each is
    unpickled only when its document is numbered. An article without them has them computed here.
    """
    return (page for _, page in index_parts(articles, stories, pickled))


def index_parts(articles: Sequence[Article], stories: Sequence[Story], pickled: Mapping[str, bytes] | None = None,
                reuse: Reuse | None = None) -> Iterator[tuple[bytes, Page]]:
    """Yield the pages of index_pages, each with the key of its part: the term shards of one first
    character are a part, made again only when `reuse` has no files of the last build for its key;
    the documents and meta.json have the key b"" (they are made every time)."""
    records, groups = numbered_documents(articles, stories, pickled)
    bits = doc_bits(len(records))
    size = (bits + WEIGHT_BITS + 7) // 8
    shards, term_count = [], 0
    for first in sorted(groups):
        numbered = groups.pop(first)  # each character's groups are let go once inverted
        key = part_key(first, numbered, bits)
        kept = reuse(key) if reuse else None
        if kept is not None:
            shards += [PurePosixPath(path).stem for path in kept]
            term_count += sum(map(shard_term_count, kept.values()))
            continue
        postings = invert(numbered, bits)
        del numbered
        for name, shard in character_shards(postings, size):
            shards.append(name)
            term_count += len(shard["terms"])
            yield key, json_page(f"terms/{name}.json", shard)
    chunks = range(0, len(records), CHUNK_SIZE)
    for number, start in enumerate(chunks):
        yield b"", json_page(f"docs/{number}.json", records[start:start + CHUNK_SIZE])
    yield b"", json_page("meta.json", {
        "version": INDEX_VERSION, "documents": len(records), "articles": len(articles), "stories": len(stories),
        "terms": term_count, "chunk": CHUNK_SIZE, "chunks": len(chunks), "cap": POSTINGS_CAP, "doc_bits": bits,
        "bytes": size, "max_term_length": MAX_TERM_LENGTH, "shards": sorted(shards)})


def numbered_documents(articles: Sequence[Article], stories: Sequence[Story],
                       pickled: Mapping[str, bytes] | None) -> tuple[list[dict[str, str]], dict[str, Numbered]]:
    """Return the documents' records in their order, and their groups by first character, numbered
    (see number_groups). `pickled` is as index_pages takes it."""
    pickled = pickled or {}

    def article_groups(article: Article) -> Groups:
        if article.origin in pickled:
            return pickle.loads(pickled[article.origin])[1]
        return article_terms(article)[1]

    documents = [(article.published, article.url_path, article_document(article),
                  functools.partial(article_groups, article))
                 for article in articles]
    documents += [(story.published, story.url_path, story_document(story), functools.partial(story_terms, story))
                  for story in stories]
    # Oldest first, undated before: a higher number is a newer document, preferred on a tie.
    documents.sort(key=lambda item: (item[0] is not None, item[0].timestamp() if item[0] else 0, item[1],
                                     item[2]["kind"]))
    records = [item[2] for item in documents]
    return records, number_groups(item[3]() for item in documents)


def part_key(first: str, numbered: Numbered, bits: int) -> bytes:
    """Return the digest of everything the shards of the terms starting with `first` are made from: the
    bits of a document number, and each group of the character with its document's number."""
    numbers, names, weights = numbered
    # Terms hold no spaces or line breaks, and a group has a weight a term: joined, the groups are unambiguous.
    return digest(first.encode(), str(bits).encode(), little_endian(numbers).tobytes(), "\n".join(names).encode(),
                  b"".join(weights))


def shard_term_count(data: bytes) -> int:
    """Return how many terms the shard file `data` holds: the length of its first list, "counts"."""
    start = data.index(b"[")
    return len(json.loads(data[start:data.index(b"]", start) + 1]))


def character_shards(postings: dict[str, list[int]], size: int) -> Iterator[tuple[str, dict]]:
    """Yield the name and JSON value of each shard of one first character's terms, in order."""
    for head, members in groupby(sorted(postings), key=shard_head):
        yield shard_name(head), shard_file({term: postings[term] for term in members}, size)


def number_groups(documents: Iterable[Groups]) -> dict[str, Numbered]:
    """Return each first character's groups with their document numbers, the documents in order: three
    lists rather than a tuple a group, which an archive's hundreds of thousands of groups make costly."""
    found: dict[str, Numbered] = {}
    for number, groups in enumerate(documents):
        for names, weights in groups:
            lists = found.get(names[0])
            if lists is None:
                lists = found[names[0]] = ([], [], [])
            lists[0].append(number)
            lists[1].append(names)
            lists[2].append(weights)
    return found


def invert(numbered: Numbered, bits: int) -> dict[str, list[int]]:
    """Return each term's postings (weight << bits | document) in document order, for the groups of one
    first character: one character at a time keeps the dict small and in cache, about twice as fast
    as all terms at once."""
    shifted = [weight << bits for weight in range(1 << WEIGHT_BITS)]
    postings: dict[str, list[int]] = {}
    get = postings.get
    for number, names, weights in zip(*numbered):
        for name, weight in zip(names.split(" "), weights):
            found = get(name)
            if found is None:
                postings[name] = [shifted[weight] | number]
            else:
                found.append(shifted[weight] | number)
    return postings
