"""articles.json: the model as data, one record per line."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

import pytest

from generator import export, write
from generator.model import Story

from conftest import make_article, records_made


def test_records_are_one_per_line_and_the_document_is_json():
    document = {"version": 1, "site": {"title": "T"}, "articles": [{"id": "a", "paragraphs": ["x\ny", "“z”"]},
                                                                  {"id": "b"}], "stories": []}
    text = export.record_lines(document)
    assert json.loads(text) == document
    assert text.decode("utf-8").splitlines() == [
        "{",
        '  "version": 1,',
        '  "site": {"title": "T"},',
        '  "articles": [',
        '    {"id": "a", "paragraphs": ["x\\ny", "“z”"]},',
        '    {"id": "b"}',
        "  ],",
        '  "stories": []',
        "}",
    ]


def test_a_record_given_encoded_is_written_as_the_record_itself():
    records = [{"id": "a", "title": "“z” & <b>"}, {"id": "b"}]
    document = {"version": 1, "items": records}
    encoded = {"version": 1, "items": [export.encode_record(record) for record in records]}
    assert export.record_lines(encoded) == export.record_lines(document)


def test_articles_json_lists_the_articles_of_the_stories_newest_first(config):
    older = make_article(id="old", title="A </script> title", story="s")
    newer = make_article(id="new", published=older.published.replace(year=2026), story="s")
    story = Story(id="s", slug="s", title="S", articles=(newer, older))
    document = json.loads(b"".join(export.articles_json([older, newer], [story], config).content))
    assert [record["id"] for record in document["articles"]] == ["new", "old"]
    assert document["articles"][1]["title"] == "A </script> title"
    assert document["stories"][0]["articles"] == ["new", "old"]


def test_generated_is_the_newest_content_date_but_never_after_the_build_time(config):
    past = make_article(id="past", story="s")
    typo = make_article(id="typo", published=datetime(2062, 3, 4, tzinfo=timezone.utc), story="s")

    def document(articles, config):
        story = Story(id="s", slug="s", title="S", articles=tuple(articles))
        return json.loads(b"".join(export.articles_json(articles, [story], config).content))

    assert document([past], config)["generated"] == "2025-11-24T09:30:00+00:00"
    later = dataclasses.replace(config, build_time=config.build_time.replace(year=2030))
    assert document([past], later)["generated"] == "2025-11-24T09:30:00+00:00"
    future = document([typo, past], config)
    assert future["generated"] == "2026-01-01T12:00:00+00:00"
    assert future["articles"][0]["date"] == "2062-03-04T00:00:00+00:00"
    assert document([typo, past], later)["generated"] == "2030-01-01T12:00:00+00:00"


def published_articles_json(articles, story, config, folder) -> export.Published:
    """Write articles.json of `articles` into `folder` as a build would publish it, each record keyed by its title."""
    data = b"".join(export.articles_json(articles, [story], config).content)
    (folder / "articles.json").write_bytes(data)
    return export.Published(str(folder / "articles.json"), write.content_digest(data),
                            [title_key(article) for article in story.articles])


def title_key(article) -> bytes:
    return article.title.encode().ljust(20, b".")


def three_articles() -> list:
    return [make_article(id=f"id-{n}", origin=f"{n}.md", title=f"Title {n}", story="s",
                         published=datetime(2025, 11, 20 + n, tzinfo=timezone.utc)) for n in (3, 2, 1)]


def test_a_record_whose_key_the_published_file_has_is_copied_from_it(config, tmp_path, monkeypatch):
    articles = three_articles()
    published = published_articles_json(articles, Story(id="s", slug="s", title="S", articles=tuple(articles)),
                                         config, tmp_path)
    articles[1] = dataclasses.replace(articles[1], title="Title 2, corrected", summary="Corrected.")
    added = make_article(id="id-4", origin="4.md", title="Title 4", story="s",
                         published=datetime(2025, 11, 24, tzinfo=timezone.utc))
    story = Story(id="s", slug="s", title="S", articles=(added, *articles))
    made = records_made(monkeypatch)
    copied = b"".join(export.articles_json(articles, [story], config, list(map(title_key, story.articles)),
                                           published).content)
    assert made == ["id-4", "id-2"]
    assert copied == b"".join(export.articles_json(articles, [story], config).content)


@pytest.mark.parametrize("damage", ["bytes", "keys"])
def test_nothing_is_copied_from_a_file_unlike_the_one_the_keys_describe(config, tmp_path, monkeypatch, damage):
    articles = three_articles()
    story = Story(id="s", slug="s", title="S", articles=tuple(articles))
    published = published_articles_json(articles, story, config, tmp_path)
    if damage == "bytes":  # same size, another title: the digest differs
        file = tmp_path / "articles.json"
        file.write_bytes(file.read_bytes().replace(b"Title 2", b"Title X"))
    else:
        published = dataclasses.replace(published, keys=published.keys[:2])
    made = records_made(monkeypatch)
    copied = b"".join(export.articles_json(articles, [story], config, list(map(title_key, articles)),
                                           published).content)
    assert made == ["id-3", "id-2", "id-1"]
    assert b"Title X" not in copied
    assert copied == b"".join(export.articles_json(articles, [story], config).content)


def test_a_published_file_gone_since_is_not_needed(config, tmp_path, monkeypatch):
    articles = three_articles()
    story = Story(id="s", slug="s", title="S", articles=tuple(articles))
    published = published_articles_json(articles, story, config, tmp_path)
    (tmp_path / "articles.json").unlink()
    made = records_made(monkeypatch)
    copied = b"".join(export.articles_json(articles, [story], config, list(map(title_key, articles)),
                                           published).content)
    assert len(made) == 3
    assert copied == b"".join(export.articles_json(articles, [story], config).content)
