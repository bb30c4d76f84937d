"""The benchmark's corpus generator and its converters for Pelican and Hugo; nothing here times anything."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import bench_build  # noqa: E402
import corpus  # noqa: E402

SAMPLE_SIZE = 20
# corpus.py aims at 500-900 words; the paragraph that reaches the aim can run over it by up to five sentences.
FEWEST_WORDS, MOST_WORDS = corpus.WORDS[0], corpus.WORDS[1] + 150


def written_bytes(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` by its relative path."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def split_article(path: Path) -> tuple[dict, str]:
    """Return the front matter of a corpus article, parsed by PyYAML, and its body."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A folder with the first articles of the default corpus, written once for this module."""
    folder = tmp_path_factory.mktemp("bench") / "corpus"
    corpus.write_corpus(folder, SAMPLE_SIZE)
    return folder


def test_same_seed_gives_the_same_bytes(sample, tmp_path):
    corpus.write_corpus(tmp_path / "again", SAMPLE_SIZE)
    first = written_bytes(sample)
    assert len(first) == SAMPLE_SIZE
    assert first == written_bytes(tmp_path / "again")


def test_another_seed_gives_other_articles(sample, tmp_path):
    corpus.write_corpus(tmp_path / "other", SAMPLE_SIZE, seed=corpus.SEED + 1)
    assert set(written_bytes(sample).values()).isdisjoint(written_bytes(tmp_path / "other").values())


def test_articles_have_yaml_front_matter_and_500_to_900_words_give_or_take_a_paragraph(sample):
    outlets = set()
    for path in sorted(sample.rglob("*.md")):
        metadata, body = split_article(path)
        assert set(metadata) == {"title", "date", "author", "source", "tags"}
        assert metadata["title"] and metadata["author"] and metadata["tags"]
        # "+0000" is not a YAML timestamp offset, so YAML leaves the date a string; it is still ISO-like
        assert datetime.strptime(metadata["date"], "%Y-%m-%d %H:%M:%S %z").tzinfo is not None
        assert FEWEST_WORDS <= len(body.split()) <= MOST_WORDS
        outlets.add(metadata["source"])
    assert len(outlets) > 1


def test_bench_build_knows_the_corpus_seed():
    assert bench_build.CORPUS_SEED == corpus.SEED


def test_bench_build_reads_the_front_matter_as_yaml_does(sample):
    path = min(sample.rglob("*.md"))
    metadata, body = bench_build.split_front_matter(path.read_text(encoding="utf-8"))
    expected, expected_body = split_article(path)
    assert metadata["title"] == expected["title"]
    assert metadata["author"] == expected["author"]
    assert metadata["source"] == expected["source"]
    assert metadata["tags"] == expected["tags"]
    assert body == expected_body.lstrip("\n")


def test_pelican_article_has_metadata_lines_then_the_body():
    text = ('---\ntitle: "Talks resume in Geneva"\ndate: 2024-03-01 09:30:00 +0000\nauthor: "Ada Marsh"\n'
            'source: "Outlet Brisk"\ntags: [trade, tariffs]\n---\n\nFirst paragraph.\n\nSecond paragraph.\n')
    assert bench_build.pelican_article(text, "2024-03-01-brisk-talks-000001") == (
        "Title: Talks resume in Geneva\n"
        "Date: 2024-03-01 09:30:00 +0000\n"
        "Author: Ada Marsh\n"
        "Category: Outlet Brisk\n"
        "Tags: trade, tariffs\n"
        "Slug: 2024-03-01-brisk-talks-000001\n"
        "\n"
        "First paragraph.\n\nSecond paragraph.\n")


def test_hugo_site_keeps_the_yaml_front_matter(sample, tmp_path, monkeypatch):
    monkeypatch.setattr(bench_build, "BENCH_DIR", tmp_path)
    site = bench_build.write_hugo_site(sample, SAMPLE_SIZE, "fingerprint")
    for path in sample.rglob("*.md"):
        assert (site / "content" / "posts" / path.name).read_bytes() == path.read_bytes()
    assert 'tag = "tags"' in (site / "hugo.toml").read_text()
    assert {"_default/single.html", "_default/list.html", "index.html"} == {
        layout.relative_to(site / "layouts").as_posix() for layout in (site / "layouts").rglob("*.html")}


def test_one_edit_appends_a_sentence_and_restores_the_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_build, "PENDING_EDITS", tmp_path / "pending")
    article = tmp_path / "article.md"
    article.write_bytes(b"---\ntitle: x\n---\n\nLast paragraph.\n")
    with bench_build.appended_sentence(article, bench_build.edit_sentence(0)):
        assert article.read_text().endswith("Last paragraph. " + bench_build.edit_sentence(0) + "\n")
        assert len(list((tmp_path / "pending").iterdir())) == 1
    assert article.read_bytes() == b"---\ntitle: x\n---\n\nLast paragraph.\n"
    assert not list((tmp_path / "pending").iterdir())
    assert bench_build.edit_sentence(0) != bench_build.edit_sentence(1)
