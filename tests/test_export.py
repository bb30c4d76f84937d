"""articles.json: the model as data, one record per line."""

from __future__ import annotations

import json

from generator import export
from generator.model import Story

from conftest import make_article


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
