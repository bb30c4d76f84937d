"""Reading files into Articles: fixture pairs, front matter dialects, bytes, and exact error messages."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from generator import ingest
from generator.report import BuildError, Report

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
FIXTURES = sorted(path for path in ARTICLES.iterdir() if path.suffix in ingest.EXTENSIONS)


def value_of(article, field: str):
    if field == "provenance":
        return dict(article.provenance)
    value = getattr(article, field)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def read_fixture(path: Path, config, report):
    config = dataclasses.replace(config, content_dir=path.parent)
    return ingest.read_article(path, config, report)


def test_every_fixture_has_its_json_twin():
    assert FIXTURES, "no article fixtures found"
    missing = [path.name for path in FIXTURES if not path.with_suffix(".json").is_file()]
    assert missing == []


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_fixture_reads_as_its_json_twin_says(path, config, report):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    article = read_fixture(path, config, report)
    if expected.pop("skipped", False):
        assert article is None
        assert report.skipped == [path.name]
        return
    assert article is not None
    warnings = expected.pop("warnings", [])
    assert [str(message) for message in report.warnings] == warnings
    assert {field: value_of(article, field) for field in expected} == expected


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def error_of(tmp_path: Path, config, name: str, data: str | bytes) -> str:
    path = write(tmp_path, name, data)
    with pytest.raises(BuildError) as caught:
        ingest.read_article(path, config, Report())
    return str(caught.value)


def test_malformed_yaml_names_the_file_line(tmp_path, config):
    message = error_of(tmp_path, config, "bad.md", "---\ntitle: ok\ntags: [one, two\ndate: 2025-01-01\n---\nBody\n")
    assert message.startswith("bad.md:4: front matter is not valid YAML: ")


def test_unclosed_front_matter_is_an_error(tmp_path, config):
    message = error_of(tmp_path, config, "open.md", "---\ntitle: never closed\n\nBody\n")
    assert message == ("open.md:1: front matter opened with '---' on line 1 is never closed "
                       "(expected a closing '---' line)")


def test_front_matter_that_is_a_list_is_an_error(tmp_path, config):
    message = error_of(tmp_path, config, "list.md", "---\n- one\n- two\n---\nBody\n")
    assert message == "list.md:2: front matter is a list; expected 'key: value' lines"


def test_malformed_toml_names_the_line(tmp_path, config):
    message = error_of(tmp_path, config, "bad.md", '+++\ntitle = "ok"\ndate = \n+++\nBody\n')
    assert message.startswith("bad.md:3: front matter is not valid TOML: ")


def test_impossible_date_is_an_error_on_its_line(tmp_path, config):
    message = error_of(tmp_path, config, "feb30.md", "---\ntitle: Leap\ndate: 2026-02-30\n---\nBody\n")
    assert message.startswith("feb30.md:3: date '2026-02-30' is not a date")


def test_yaml_alias_bomb_is_refused_quickly(tmp_path, config):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for number in range(1, 10):
        previous = f"*a{number - 1}"
        levels.append(f"a{number}: &a{number} [{', '.join([previous] * 9)}]")
    message = error_of(tmp_path, config, "bomb.md", "---\n" + "\n".join(levels) + "\n---\nBody\n")
    assert message == ("bomb.md: front matter expands to more than 10,000 values (a YAML alias bomb?); "
                       "expected a few keys")


def test_nul_byte_means_binary(tmp_path, config):
    message = error_of(tmp_path, config, "binary.txt", b"line one\nline\x00two\n")
    assert message == "binary.txt:2: file contains a NUL byte: it is binary, not text (expected UTF-8 text)"


def test_title_that_is_a_list_is_a_warning_and_ignored(tmp_path, config, report):
    path = write(tmp_path, "t.md", "---\ntitle: [a, b]\ndate: 2025-01-01\n---\nBody\n")
    article = ingest.read_article(path, config, report)
    assert article.title == ""
    assert [str(m) for m in report.warnings] == ["t.md:2: 'title' is a list; expected text (ignored)"]


def test_empty_file_is_skipped_with_a_warning(tmp_path, config, report):
    path = write(tmp_path, "empty.md", " \n\n")
    assert ingest.read_article(path, config, report) is None
    assert [str(m) for m in report.warnings] == ["empty.md: file is empty; skipped"]


def test_id_is_stable_hash_of_the_origin_path(tmp_path, config, report):
    first = ingest.read_article(write(tmp_path, "a/story.md", "Body\n"), config, report)
    second = ingest.read_article(write(tmp_path, "a/story.md", "Other body\n"), config, report)
    other = ingest.read_article(write(tmp_path, "b/story.md", "Body\n"), config, report)
    assert first.id == second.id
    assert first.id != other.id
    assert len(first.id) == 16


def test_finds_content_recursively_in_order_skipping_hidden_and_backups(tmp_path, config, report):
    for name in ("b.md", "a/z.txt", "a/y.markdown", ".hidden.md", "c.md~", "#d.md#", "e.md.swp",
                 ".git/x.md", "notes.rst", "f.md.bak"):
        write(tmp_path, name, "Body\n")
    found = [path.relative_to(config.content_dir).as_posix()
             for path in ingest.find_content_files(config.content_dir, report)]
    assert found == ["b.md", "a/y.markdown", "a/z.txt"]


def test_symlink_out_of_the_content_folder_is_refused(tmp_path, config, report):
    outside = tmp_path / "secret.md"
    outside.write_text("secret\n", encoding="utf-8")
    write(tmp_path, "ok.md", "Body\n")
    os.symlink(outside, config.content_dir / "link.md")
    os.symlink(config.content_dir / "loop.md", config.content_dir / "loop.md")
    found = [path.name for path in ingest.find_content_files(config.content_dir, report)]
    assert found == ["ok.md"]
    assert sorted(str(m) for m in report.warnings) == [
        "link.md: symbolic link points outside the content folder; skipped",
        "loop.md: symbolic link is broken or loops; skipped",
    ]


def test_read_articles_lists_every_bad_file(tmp_path, config, report):
    write(tmp_path, "good.md", "---\ntitle: Good\n---\nBody\n")
    write(tmp_path, "bad1.md", "---\ntitle: [unclosed\n---\nBody\n")
    write(tmp_path, "bad2.md", "---\ndate: someday\n---\nBody\n")
    articles = ingest.read_articles(config, report)
    assert [article.origin for article in articles] == ["good.md"]
    assert [m.path for m in report.errors] == ["bad1.md", "bad2.md"]
