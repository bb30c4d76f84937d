"""The search stage: each article's terms, and the index files under search/ that static/search.js reads.

`find` below reads the built files the way the script does (shards, planes of postings, the AND of the
words, the last one as a prefix), so that the index is tested for what a reader would find.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import pickle
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator import build, search
from generator.config import load_config
from generator.model import Story
from generator.report import Report

from conftest import BUILD_TIME, make_article

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "golden" / "seeds"
SCRIPT = ROOT / "layouts" / "static" / "search.js"


def files_of(pages) -> dict[str, bytes]:
    return {str(page.path): page.content for page in pages}


def index_of(files: dict[str, bytes]) -> dict:
    """Return the index read back: meta, documents, and each term's postings as {document: weight}."""
    meta = json.loads(files["search/meta.json"])
    documents = [record for number in range(meta["chunks"]) for record in json.loads(files[f"search/docs/{number}.json"])]
    terms = {}
    for name in meta["shards"]:
        shard = json.loads(files[f"search/terms/{name}.json"])
        data = base64.b64decode(shard["postings"])
        total = len(data) // meta["bytes"]
        values = [sum(data[plane * total + i] << 8 * plane for plane in range(meta["bytes"])) for i in range(total)]
        mask = (1 << meta["doc_bits"]) - 1
        assert shard["terms"] == sorted(shard["terms"]) and sum(shard["counts"]) == total
        start = 0
        for term, count, length in zip(shard["terms"], shard["documents"], shard["counts"], strict=True):
            assert search.shard_name(term) == name
            postings = {value & mask: value >> meta["doc_bits"] for value in values[start:start + length]}
            terms[term] = (count, postings)
            start += length
    return {"meta": meta, "documents": documents, "terms": terms}


def find(index: dict, query: str) -> list[dict]:
    """Return the documents the script lists for `query`, best first."""
    words = search.query_terms(query)
    runs = search.WORD.findall(unicodedata.normalize("NFC", query))
    typing = bool(runs) and bool(search.WORD.fullmatch(query[-1])) and bool(search.word_terms(runs[-1]))
    lists = []
    for number, word in enumerate(words):
        if typing and number == len(words) - 1:
            matching = [term for term in index["terms"] if term.startswith(word)]
        else:
            matching = [word] if word in index["terms"] else []
        found, partial = {}, False
        for term in matching:
            count, postings = index["terms"][term]
            partial = partial or count > len(postings)
            for document, weight in postings.items():
                found[document] = max(found.get(document, 0), weight)
        lists.append((found, partial))
    narrowing = [found for found, partial in lists if not partial] or [found for found, _ in lists]
    if not narrowing:
        return []
    matches = set.intersection(*(set(found) for found in narrowing))
    scores = {document: sum(found.get(document, 0) for found, _ in lists) for document in matches}
    ranked = sorted(matches, key=lambda document: (-scores[document], -document))
    return [index["documents"][document] for document in ranked]


def dated(days: int) -> datetime:
    return datetime(2025, 11, 1, 9, tzinfo=timezone.utc) + timedelta(days=days)


# ---- terms ----

def test_query_terms_fold_case_and_strip_accents():
    assert search.query_terms("Café NAÏVE İstanbul Straße ΟΔΟΣ ﬁnance") == [
        "cafe", "naive", "istanbul", "strasse", "οδοσ", "finance"]


def test_query_terms_split_on_punctuation_keep_numbers_and_drop_single_characters():
    assert search.query_terms("U.S. tariffs — 25% in 2025; co-operate, tariffs!") == [
        "tariffs", "25", "in", "2025", "co", "operate"]
    assert search.query_terms("a ? … “ ”") == []


def test_a_long_word_is_cut_to_the_longest_term():
    word = "x" * 100
    assert search.query_terms(word) == ["x" * search.MAX_TERM_LENGTH]
    assert list(search.count_terms(f"{word} {word}.")) == ["x" * search.MAX_TERM_LENGTH]


@pytest.mark.parametrize("start", [*range(0x80, 0x3400, 0x400), 0xA400, 0xA800, 0xAC00, 0xF800, 0xFC00,
                                   0x10400, 0x1D400, 0x1D800, 0x1F000])
def test_the_index_and_a_query_make_the_same_terms_of_any_character(start):
    # the index lowers whole texts first (faster); a query folds word by word, as the script does
    for code in range(start, start + 0x400):
        char = chr(code)
        if unicodedata.category(char) in ("Cs", "Cn"):
            continue
        for text in (f"x{char}y", f"{char}{char}", f"Ab{char}", f"{char} ok"):
            assert sorted(search.count_terms(text)) == sorted(search.query_terms(text)), (hex(code), text)


def test_article_terms_weigh_the_title_over_the_summary_over_the_text():
    article = make_article(title="Fentanyl talks", summary="Tariffs and fentanyl.", source="Wire",
                           authors=("Ada Marsh",), paragraphs=("Soybean exports rose; tariffs fell.", "Tariffs again."))
    origin, groups = search.article_terms(article)
    weights = {term: weight for names, group in groups for term, weight in zip(names.split(" "), group)}
    assert origin == article.origin
    assert weights == {"fentanyl": 10 + 3, "talks": 10, "tariffs": 3 + 2, "and": 3, "wire": 3, "ada": 3,
                       "marsh": 3, "soybean": 1, "exports": 1, "rose": 1, "fell": 1, "again": 1}


def test_article_terms_are_grouped_by_first_character_sorted_and_picklable():
    article = make_article(title="Beta alpha", paragraphs=("Ábaco beta zeta 2025 alpha.",))
    terms = search.article_terms(article)
    assert terms == ("example.md", (("2025", bytes([1])), ("abaco alpha", bytes([1, 11])), ("beta", bytes([11])),
                                    ("first", bytes([3])), ("paragraph", bytes([3])), ("zeta", bytes([1]))))
    assert pickle.loads(pickle.dumps(terms)) == terms


# ---- the index ----

def test_documents_are_articles_and_stories_oldest_first_with_their_metadata():
    old = make_article(id="1", title="Old news", url_path="2025/11/01/old/", published=dated(0), source="Wire",
                       summary="An old summary.")
    new = make_article(id="2", title="New news", url_path="2025/11/05/new/", published=dated(4), source="",
                       summary="x " * 200)
    undated = make_article(id="3", title="Undated news", url_path="undated/u/", published=None)
    story = Story(id="s", slug="news", title="News story", articles=(new, old), summary="")
    index = index_of(files_of(search.index_pages([new, undated, old], [story])))
    assert [(d["kind"], d["url"]) for d in index["documents"]] == [
        ("Article", "undated/u/"), ("Article", "2025/11/01/old/"), ("Story", "stories/news/"),
        ("Article", "2025/11/05/new/")]
    assert index["documents"][1] == {"url": "2025/11/01/old/", "title": "Old news", "kind": "Article",
                                     "source": "Wire", "date": "1 November 2025", "excerpt": "An old summary."}
    assert index["documents"][0]["date"] == ""
    assert len(index["documents"][3]["excerpt"]) <= search.EXCERPT_LENGTH
    assert index["documents"][2]["source"] == "Wire" and index["documents"][2]["excerpt"].startswith("x x")
    meta = index["meta"]
    assert (meta["documents"], meta["articles"], meta["stories"], meta["version"]) == (4, 3, 1, search.INDEX_VERSION)


def test_a_story_is_found_by_its_title_summary_and_its_articles_titles():
    member = make_article(title="Ports reopen", paragraphs=("Dockers returned.",))
    story = Story(id="s", slug="s", title="Strike ends", articles=(member,), summary="Unions agreed.")
    index = index_of(files_of(search.index_pages([member], [story])))
    assert [d["kind"] for d in find(index, "strike")] == ["Story"]
    assert [d["kind"] for d in find(index, "unions")] == ["Story"]
    assert [d["kind"] for d in find(index, "ports reopen")] == ["Article", "Story"]  # a title outweighs
    assert [d["kind"] for d in find(index, "dockers")] == ["Article"]


def test_every_word_must_match_and_the_last_may_be_the_start_of_one():
    articles = [make_article(id=str(n), title=title, url_path=f"a/{n}/", published=dated(n), paragraphs=(text,))
                for n, (title, text) in enumerate([("Fentanyl deal", "Trade talks."),
                                                   ("Tariff cut", "Fentanyl and trade."),
                                                   ("Soybeans", "Farmers trade.")])]
    index = index_of(files_of(search.index_pages(articles, [])))
    assert [d["title"] for d in find(index, "fentanyl")] == ["Fentanyl deal", "Tariff cut"]  # title first
    assert [d["title"] for d in find(index, "fentan")] == ["Fentanyl deal", "Tariff cut"]
    assert [d["title"] for d in find(index, "fentan ")] == []  # a finished word is a whole word
    assert [d["title"] for d in find(index, "trade fentanyl")] == ["Fentanyl deal", "Tariff cut"]
    assert [d["title"] for d in find(index, "farmers fen")] == []
    assert [d["title"] for d in find(index, "tra")] == ["Soybeans", "Tariff cut", "Fentanyl deal"]  # newest first
    assert find(index, "zxqvjk") == [] and find(index, "") == []


def test_a_common_term_keeps_its_best_postings_and_no_longer_narrows_a_search(monkeypatch):
    monkeypatch.setattr(search, "POSTINGS_CAP", 3)
    articles = [make_article(id=str(n), url_path=f"a/{n}/", published=dated(n), title="Rates" if n in (1, 4) else "News",
                             paragraphs=("Rates " * (n % 3 + 1) + ("rare" if n == 0 else "") + ".",))
                for n in range(6)]
    index = index_of(files_of(search.index_pages(articles, [])))
    count, postings = index["terms"]["rates"]
    assert count == 6 and len(postings) == 3
    # weights: the two titles (10 + text) first, then the highest text count (3: articles 2 and 5; 5 is newer)
    assert sorted(postings) == [1, 4, 5]
    assert [d["url"] for d in find(index, "rare rates")] == ["a/0/"]  # "rates" ranks but does not narrow


def test_terms_beyond_ascii_go_to_shards_named_by_code_points():
    article = make_article(title="Αθήνα 東京 Zürich", paragraphs=())
    files = files_of(search.index_pages([article], []))
    meta = json.loads(files["search/meta.json"])
    assert {"u3b1-3b8", "u6771", "zu"} <= set(meta["shards"])  # a Chinese or Japanese pair: its first character
    assert all(f"search/terms/{name}.json" in files for name in meta["shards"])
    index = index_of(files)
    assert [d["title"] for d in find(index, "ΑΘΗΝΑ")] == ["Αθήνα 東京 Zürich"]
    assert [d["title"] for d in find(index, "zurich")] == ["Αθήνα 東京 Zürich"]


def test_chinese_and_japanese_are_cut_into_pairs_of_characters():
    assert search.query_terms("吉隆坡") == ["吉隆", "隆坡"]
    assert search.query_terms("G20峰会，美 x") == ["g20", "峰会"]  # a character alone is no term, like a letter
    assert search.query_terms("首脳が電話会談") == ["首脳", "脳か", "か電", "電話", "話会", "会談"]  # が folds to か


def test_a_chinese_word_is_found_inside_a_sentence_without_spaces():
    articles = [make_article(title="中美经贸团队在吉隆坡举行新一轮磋商", url_path="a/0/", paragraphs=(
                    "双方就经贸问题进行了坦诚、深入的交流。",)),
                make_article(title="美国国务卿下月访华", url_path="a/1/", paragraphs=("双方将交换意见。",))]
    index = index_of(files_of(search.index_pages(articles, [])))
    assert [d["url"] for d in find(index, "吉隆坡")] == ["a/0/"]
    assert [d["url"] for d in find(index, "经贸 磋商")] == ["a/0/"]
    assert sorted(d["url"] for d in find(index, "双方")) == ["a/0/", "a/1/"]
    assert find(index, "北京") == []


def test_documents_come_in_chunks(monkeypatch):
    monkeypatch.setattr(search, "CHUNK_SIZE", 2)
    articles = [make_article(id=str(n), url_path=f"a/{n}/", published=dated(n)) for n in range(5)]
    files = files_of(search.index_pages(articles, []))
    assert [len(json.loads(files[f"search/docs/{n}.json"])) for n in range(3)] == [2, 2, 1]
    assert json.loads(files["search/meta.json"])["chunks"] == 3


def test_nothing_to_index_is_an_empty_index():
    files = files_of(search.index_pages([], []))
    assert list(files) == ["search/meta.json"]
    assert json.loads(files["search/meta.json"])["shards"] == []


def test_pickled_terms_are_paired_with_their_articles_by_origin():
    articles = [make_article(id=str(n), origin=f"{n}.md", url_path=f"a/{n}/", title=f"Title {word}")
                for n, word in enumerate(["zebra", "aardvark", "bison"])]
    expected = list(search.index_pages(articles, []))
    pickled = {article.origin: pickle.dumps(search.article_terms(article)) for article in articles}
    assert list(search.index_pages(articles, [], pickled)) == expected  # as a build gives them
    del pickled["1.md"]
    assert list(search.index_pages(articles, [], pickled)) == expected  # the missing one is computed
    stale = {"0.md": pickle.dumps(search.article_terms(make_article(origin="0.md", title="Other words")))}
    assert [d["url"] for d in find(index_of(files_of(search.index_pages(articles, [], stale))), "other")] == ["a/0/"]


def test_the_shards_of_a_first_character_whose_groups_are_unchanged_are_kept_and_the_index_is_the_same():
    articles = [make_article(id=str(n), origin=f"{n}.md", url_path=f"a/{n}/", published=dated(n),
                             title=f"Title {word}") for n, word in enumerate(["zebra", "aardvark", "bison"])]
    last = {}
    for key, page in search.index_parts(articles, []):
        if key:
            last.setdefault(key, {})[str(page.path)] = page.content
    articles[0] = dataclasses.replace(articles[0], title="Title zebu")
    kept = {}

    def reuse(key: bytes) -> dict[str, bytes] | None:
        kept.update(last.get(key, {}))
        return last.get(key)

    made = files_of(page for _, page in search.index_parts(articles, [], reuse=reuse))
    assert [path for path in made if path.startswith("search/terms/")] == ["search/terms/ze.json"]
    assert not set(made) & set(kept)
    assert {**kept, **made} == files_of(search.index_pages(articles, []))  # meta.json counts the kept shards' terms


def test_the_index_is_the_same_bytes_in_any_input_order_and_hash_seed():
    code = """
import hashlib, sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from datetime import datetime, timedelta, timezone
from conftest import make_article
from generator import search
from generator.model import Story
articles = [make_article(id=str(n), title=f"Talks day {n} über fentanyl", url_path=f"a/{n}/",
                         published=datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(days=n % 4),
                         paragraphs=(f"Words {n} and more words", "ΟΔΟΣ 東京"), source=f"Outlet {n % 3}")
            for n in range(40)]
stories = [Story(id=str(n), slug=f"s{n}", title=f"Story {n}", articles=tuple(articles[n::7])) for n in range(7)]
if sys.argv[2] == "reversed":
    articles.reverse(); stories.reverse()
digest = hashlib.sha256()
for page in search.index_pages(articles, stories):
    digest.update(str(page.path).encode() + b"\\0" + page.content)
print(digest.hexdigest())
"""
    digests = set()
    for seed, order in (("0", "given"), ("1", "reversed"), ("4242", "given")):
        result = subprocess.run([sys.executable, "-c", code, str(ROOT), order], capture_output=True, text=True,
                                env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        digests.add(result.stdout)
    assert len(digests) == 1


def test_markup_in_the_index_is_only_ever_text():
    hostile = '</script><img src=x onerror="alert(1)">Fentanyl <b>deal</b>'
    article = make_article(title=hostile, summary=hostile)
    files = files_of(search.index_pages([article], []))
    record = json.loads(files["search/docs/0.json"])[0]
    assert record["title"] == hostile and record["excerpt"].startswith("</script>")
    assert [d["title"] for d in find(index_of(files), "fentanyl deal")] == [hostile]
    script = SCRIPT.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "DOMParser", "document.write", "eval("):
        assert sink not in script


# ---- the built site ----

@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory) -> tuple[dict, dict]:
    output = tmp_path_factory.mktemp("seeds") / "public"
    config = dataclasses.replace(load_config(SEEDS / "site.toml", BUILD_TIME), output_dir=output)
    report = Report()
    assert build.build(config, report).written, [str(m) for m in report.errors]
    files = {path.relative_to(output).as_posix(): path.read_bytes()
             for path in output.rglob("*") if path.is_file() and path.relative_to(output).parts[0] == "search"}
    return index_of(files), json.loads((output / "articles.json").read_bytes())


def expected(data: dict, query: str) -> set[str]:
    """Return the site paths of the articles and stories whose text has every term of `query`."""
    wanted = search.query_terms(query)
    titles = {article["id"]: article["title"] for article in data["articles"]}
    texts = {article["path"]: [article["title"], article["summary"], article["source"] or "", *article["authors"],
                               *article["paragraphs"]] for article in data["articles"]}
    texts |= {story["url"].removeprefix(data["site"]["url"]): [story["title"], story["summary"],
                                                               *(titles[a] for a in story["articles"])]
              for story in data["stories"]}
    return {path for path, parts in texts.items()
            if all(term in search.count_terms("\n".join(parts)) for term in wanted)}


@pytest.mark.parametrize("query", ["fentanyl", "Fentanyl", "FENTANYL ", "trump xi", "soybeans", "busan",
                                   "taiwan trump", "april"])
def test_searching_the_seeds_finds_every_article_and_story_with_the_words(seeds_site, query):
    index, data = seeds_site
    found = {document["url"] for document in find(index, query)}
    assert found == expected(data, query) and found


def test_searching_the_seeds_by_the_start_of_a_word(seeds_site):
    index, data = seeds_site
    assert {d["url"] for d in find(index, "fentan")} == expected(data, "fentanyl")
    assert {d["kind"] for d in find(index, "fentan")} == {"Article", "Story"}
    assert find(index, "zxqvjk") == []


def test_the_seeds_index_covers_every_article_and_story_once(seeds_site):
    index, data = seeds_site
    urls = [document["url"] for document in index["documents"]]
    assert sorted(urls) == sorted([a["path"] for a in data["articles"]] +
                                  [s["url"].removeprefix(data["site"]["url"]) for s in data["stories"]])


def test_each_article_is_indexed_with_its_own_terms_wherever_its_file_is(tmp_path):
    content = tmp_path / "content"
    (content / "a-desk").mkdir(parents=True)
    (content / "a").mkdir()
    files = {"zz-top.md": "zebra", "a/inner.md": "aardvark", "a-desk/dash.md": "dromedary", "b.md": "bison"}
    for name, word in files.items():
        (content / name).write_text(f"---\ntitle: About the {word}\ndate: 2025-11-0{len(name) % 9 + 1}\n---\n\n"
                                    f"The {word} was seen.\n", encoding="utf-8")
    (tmp_path / "site.toml").write_text('title = "T"\nbase_url = "https://example.org/"\n', encoding="utf-8")
    config = load_config(tmp_path / "site.toml", BUILD_TIME)
    report = Report()
    assert build.build(config, report).written, [str(m) for m in report.errors]
    output = config.output_dir
    index = index_of({path.relative_to(output).as_posix(): path.read_bytes()
                      for path in (output / "search").rglob("*") if path.is_file()})
    for word in files.values():
        assert [d["title"] for d in find(index, word) if d["kind"] == "Article"] == [f"About the {word}"], word
