"""The model records: `replaced`, the stages' fast copy of a record with some fields changed."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from generator.model import Story, replaced

from conftest import make_article


def test_replaced_equals_dataclasses_replace_on_articles_and_stories():
    article = make_article(tags=("trade",), provenance=(("title", "front matter"),))
    changes = dict(topics=("Trade",), url_path="2025/11/24/other/", published=datetime(2025, 1, 2, tzinfo=timezone.utc))
    assert replaced(article, **changes) == dataclasses.replace(article, **changes)
    assert replaced(article) == article and replaced(article) is not article
    story = Story(id="s", slug="s", title="A story", articles=(article,), summary="It happened.")
    assert replaced(story, articles=(), topics=("Trade",)) == dataclasses.replace(story, articles=(), topics=("Trade",))


def test_replaced_keeps_every_field_it_is_not_given():
    article = make_article(authors=("A. Writer",), source="Example News", story="a-story")
    copy = replaced(article, title="Another title")
    for field in dataclasses.fields(article):
        expected = "Another title" if field.name == "title" else getattr(article, field.name)
        assert getattr(copy, field.name) == expected, field.name


def test_replaced_refuses_a_field_the_record_does_not_have():
    with pytest.raises(TypeError):
        replaced(make_article(), headline="No such field")
