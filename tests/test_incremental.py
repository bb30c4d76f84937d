"""Parallel and cached builds: the same site as a plain one-process build, byte for byte, with only
what changed made and written again."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest

from generator import build, cache, cli, ingest, prepare, search, write
from generator.report import Report

from conftest import BUILD_TIME, make_article, noted_calls, records_made

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1767268800"  # 2026-01-01 12:00 UTC
CORPUS_SIZE = 60  # enough files for the process pools to start


def load_corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small generated corpus plus the seeds: stories across outlets, clippings and posts."""
    folder = tmp_path_factory.mktemp("corpus") / "content"
    load_corpus_module().write_corpus(folder, CORPUS_SIZE)
    for seed in (ROOT / "tests" / "fixtures" / "seeds").iterdir():
        shutil.copy(seed, folder / seed.name)
    return folder


def make_site(tmp_path: Path, corpus: Path) -> Path:
    """Return a site folder with the repository's settings and a copy of `corpus` as its content."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "site.toml", site / "site.toml")
    shutil.copytree(corpus, site / "content")
    return site


def run(site: Path, *options: str, output: str = "public", capsys=None, epoch: str = EPOCH) -> str:
    environ = {"SOURCE_DATE_EPOCH": epoch, "XDG_CACHE_HOME": str(site.parent / "user-cache")}
    status = cli.main(["build", "--config", str(site / "site.toml"), "--content", str(site / "content"),
                       "--output", str(site / output), *options], environ)
    printed = capsys.readouterr().err if capsys else ""
    assert status == 0, printed
    return printed


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


def test_parallel_and_cached_builds_equal_a_plain_build(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    run(site, "--jobs", "1", "--no-cache", output="plain", capsys=capsys)
    run(site, "--jobs", "2", "--no-cache", output="parallel", capsys=capsys)
    assert not (site / ".cache").exists()  # --no-cache neither reads nor makes the cache
    run(site, "--jobs", "2", output="cold", capsys=capsys)
    run(site, "--jobs", "2", output="cold", capsys=capsys)  # warm: everything from the cache
    plain = tree(site / "plain")
    assert len(plain) > 3 * CORPUS_SIZE
    assert tree(site / "parallel") == plain
    assert tree(site / "cold") == plain
    assert (site / ".cache" / "broadsheet.sqlite").is_file()


def test_a_rebuild_with_no_change_reads_nothing_again_and_writes_nothing(tmp_path, corpus, capsys, monkeypatch):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    before = inodes(site / "public")

    def refuse(*args):
        raise AssertionError("a cached file was prepared again")

    monkeypatch.setattr(prepare, "prepare_file", refuse)
    printed = run(site, capsys=capsys)
    assert inodes(site / "public") == before  # the same files, linked, not rewritten
    assert " 0 written (0 bytes)" in printed, printed


def test_one_edit_rewrites_the_pages_it_changes_and_matches_a_fresh_build(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    before = inodes(site / "public")
    edited = sorted((site / "content").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence added by the desk on a second look.\n",
                      encoding="utf-8")
    run(site, capsys=capsys)
    after = inodes(site / "public")
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed, "the edited article's page must be written again"
    assert len(changed) < len(after) / 4, sorted(changed)
    assert not any(path.startswith("static/") for path in changed)
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public") == tree(site / "fresh")


def test_an_unchanged_file_is_not_read_again_once_its_status_is_settled(tmp_path, corpus, capsys, monkeypatch):
    site = make_site(tmp_path, corpus)
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # the files were written a moment ago
    run(site, capsys=capsys)
    edited = sorted((site / "content").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA line the desk added later.\n", encoding="utf-8")
    read = noted_calls(monkeypatch, ingest, "read_bytes", lambda path, config: path.name)
    run(site, capsys=capsys)
    assert read == [edited.name, edited.name]  # for its key, then to prepare it; no other file
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public") == tree(site / "fresh")


def test_new_bytes_behind_the_same_size_and_modification_time_are_read(tmp_path, corpus, capsys, monkeypatch):
    site = make_site(tmp_path, corpus)
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    run(site, capsys=capsys)
    published = tree(site / "public")
    edited = sorted((site / "content").rglob("*.md"))[0]
    before = edited.stat()
    data = edited.read_bytes()
    at = data.rindex(b" the ")
    edited.write_bytes(data[:at] + b" THE " + data[at + 5:])  # as long
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a program that keeps the time does
    assert (edited.stat().st_size, edited.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    run(site, capsys=capsys)
    assert tree(site / "public") != published
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public") == tree(site / "fresh")


def test_a_files_status_is_trusted_only_once_settled_and_only_if_the_same(tmp_path, config, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    (content / "one.md").write_text("---\ntitle: One\n---\nText.\n", encoding="utf-8")
    config = dataclasses.replace(config, content_dir=content)
    [fresh] = prepare.read_sources(config, Report())
    assert fresh.status is None  # written a moment ago: it could change again within the same clock tick
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    [settled] = prepare.read_sources(config, Report())
    assert settled.status == cache.file_status(os.stat(content / "one.md"))
    assert settled.file_digest == fresh.file_digest
    known = {"one.md": (settled.status, b"what the last build read")}
    [trusted] = prepare.read_sources(config, Report(), known)
    assert trusted.file_digest == b"what the last build read"  # not read again
    moved = settled.status._replace(inode=settled.status.inode + 1)
    [read] = prepare.read_sources(config, Report(), {"one.md": (moved, b"what the last build read")})
    assert read.file_digest == fresh.file_digest


def test_a_deleted_article_leaves_the_site(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    gone = next((site / "content").glob("003_*"))
    assert gone.exists()
    gone.unlink()
    run(site, capsys=capsys)
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public") == tree(site / "fresh")


def test_a_page_edited_by_hand_in_the_output_is_made_again(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    page = site / "public" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"defaced")
    run(site, capsys=capsys)
    assert page.read_bytes() == original


def test_a_template_change_renders_the_pages_again(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    shutil.copytree(ROOT / "layouts", site / "layouts")
    with open(site / "site.toml", "a", encoding="utf-8") as settings:
        settings.write('\nlayouts_dir = "layouts"\n')
    run(site, capsys=capsys)
    article = site / "layouts" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("</article>", "</article><!-- edited -->", 1),
                       encoding="utf-8")
    run(site, capsys=capsys)
    pages = [path for path in (site / "public").rglob("index.html") if "/stories/" not in str(path)
             and path.parent.parent.parent.name.isdigit()]
    assert pages and all("<!-- edited -->" in path.read_text(encoding="utf-8") for path in pages)


def test_a_damaged_cache_is_rebuilt_and_the_site_is_the_same(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    expected = tree(site / "public")
    (site / ".cache" / "broadsheet.sqlite").write_bytes(os.urandom(4096))
    printed = run(site, capsys=capsys)
    assert "note: build cache" in printed and "made a new one" in printed
    assert tree(site / "public") == expected
    assert "note:" not in run(site, capsys=capsys)


def test_a_failed_build_keeps_the_output_and_its_record(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    before = inodes(site / "public")
    broken = site / "content" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    environ = {"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(site.parent / "user-cache")}
    status = cli.main(["build", "--config", str(site / "site.toml"), "--content", str(site / "content"),
                       "--output", str(site / "public")], environ)
    assert status == 1
    assert "broken.md" in capsys.readouterr().err
    assert inodes(site / "public") == before
    broken.unlink()
    printed = run(site, capsys=capsys)
    assert inodes(site / "public") == before and " 0 written" in printed


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(jobs, capsys):
    with pytest.raises(SystemExit):
        cli.main(["build", "--jobs", jobs])
    assert "expected a whole number of 1 or more" in capsys.readouterr().err


def test_a_layout_that_shows_the_build_time_is_made_again_at_each_build(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    shutil.copytree(ROOT / "layouts", site / "layouts")
    with open(site / "site.toml", "a", encoding="utf-8") as settings:
        settings.write('\nlayouts_dir = "layouts"\n')
    story = site / "layouts" / "story.html"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "{% block main %}", "{% block main %}<p class=\"built\">{{ site.build_time.year }}</p>", 1), encoding="utf-8")
    run(site, capsys=capsys)
    environ = {"SOURCE_DATE_EPOCH": "1893456000", "XDG_CACHE_HOME": str(site.parent / "user-cache")}  # 2030
    assert cli.main(["build", "--config", str(site / "site.toml"), "--content", str(site / "content"),
                     "--output", str(site / "public")], environ) == 0
    pages = list((site / "public" / "stories").rglob("index.html"))
    assert pages and all('<p class="built">2030</p>' in page.read_text(encoding="utf-8") for page in pages)


def test_an_unchanged_build_says_the_same_warnings_and_judges_dates_anew(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    (site / "content" / "far-future.md").write_text(
        "---\ntitle: A date a year and a half ahead\ndate: 2027-06-01\n---\nThe text of it.\n", encoding="utf-8")
    first = run(site, capsys=capsys)
    assert "far-future.md:3: date 2027-06-01 is more than a year after the build time" in first
    again = run(site, capsys=capsys)
    assert " 0 written (0 bytes)" in again
    assert [line for line in again.splitlines() if line.startswith("warning")] == \
        [line for line in first.splitlines() if line.startswith("warning")]
    environ = {"SOURCE_DATE_EPOCH": "1798761600", "XDG_CACHE_HOME": str(site.parent / "user-cache")}  # 2027-01-01
    assert cli.main(["build", "--config", str(site / "site.toml"), "--content", str(site / "content"),
                     "--output", str(site / "public")], environ) == 0
    later = capsys.readouterr().err
    assert "far-future.md" not in later and "warning: " in later


LATER_EPOCH = "1798761600"  # 2027-01-01 00:00 UTC
DATED_ARTICLES = {  # dated before both EPOCH and LATER_EPOCH
    "rates.md": "---\ntitle: The bank holds rates\ndate: 2025-06-02 09:00:00 +0000\ntags: [Rates]\n---\nIt held.\n",
    "trade.md": "---\ntitle: Trade talks resume\ndate: 2025-06-03\nupdated: 2025-06-05\ntags: [Trade, Rates]\n---\n"
                "They resumed.\n",
}
FUTURE_ARTICLE = "---\ntitle: A year typed wrong\ndate: 2062-03-04\ntags: [Quokka watch]\n---\nThe text of it.\n"


def dated_site(tmp_path: Path, files: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    shutil.copy(ROOT / "site.toml", site / "site.toml")
    for name, text in files.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    return site


def test_a_site_dated_in_the_past_is_the_same_whatever_the_build_time(tmp_path, capsys):
    site = dated_site(tmp_path, DATED_ARTICLES)
    run(site, capsys=capsys)
    run(site, "--no-cache", output="later", capsys=capsys, epoch=LATER_EPOCH)
    assert tree(site / "public") == tree(site / "later")
    assert " 0 written (0 bytes)" in run(site, capsys=capsys, epoch=LATER_EPOCH)  # the same inputs, the same site


def test_feeds_dated_by_a_future_article_are_made_again_when_the_build_time_moves(tmp_path, capsys):
    site = dated_site(tmp_path, {**DATED_ARTICLES, "typo.md": FUTURE_ARTICLE})
    public = site / "public"
    run(site, capsys=capsys)
    assert "<lastBuildDate>Thu, 01 Jan 2026 12:00:00 +0000</lastBuildDate>" in (public / "feed.xml").read_text()
    run(site, capsys=capsys, epoch=LATER_EPOCH)
    for feed in ("feed.xml", "topics/quokka-watch/feed.xml", "topics/trade/feed.xml"):
        text = (public / feed).read_text(encoding="utf-8")
        expected = "Fri, 01 Jan 2027" if feed != "topics/trade/feed.xml" else "Thu, 05 Jun 2025"
        assert f"<lastBuildDate>{expected} 00:00:00 +0000</lastBuildDate>" in text, feed
    assert "<pubDate>Sat, 04 Mar 2062 00:00:00 +0000</pubDate>" in (public / "feed.xml").read_text(encoding="utf-8")
    assert '"generated": "2027-01-01T00:00:00+00:00"' in (public / "articles.json").read_text(encoding="utf-8")
    run(site, "--no-cache", output="fresh", capsys=capsys, epoch=LATER_EPOCH)
    assert tree(public) == tree(site / "fresh")


def test_the_clock_is_in_a_recipe_only_when_the_articles_are_undated_or_dated_after_it(config):
    recipes = build.Recipes(config, {}, {})
    past = make_article()
    assert recipes.clock_if_undated_or_future([past]) == ""
    assert not recipes.uses_clock
    for other in (make_article(id="f", published=BUILD_TIME + timedelta(seconds=1)),
                  make_article(id="u", updated=BUILD_TIME + timedelta(days=400))):
        assert recipes.clock_if_undated_or_future([past, other]) == BUILD_TIME.isoformat()
    assert recipes.uses_clock
    assert build.Recipes(config, {}, {}).clock_if_undated_or_future([make_article(published=None)]) == \
        BUILD_TIME.isoformat()


def test_a_file_added_to_the_output_by_hand_is_removed_as_a_fresh_build_would(tmp_path, corpus, capsys):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    (site / "public" / "stray.html").write_text("not from the build", encoding="utf-8")
    run(site, capsys=capsys)
    assert not (site / "public" / "stray.html").exists()
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public") == tree(site / "fresh")


@pytest.mark.parametrize("edit", [False, True])
def test_files_added_by_hand_are_found_by_the_times_of_their_folders(tmp_path, corpus, capsys, monkeypatch, edit):
    site = make_site(tmp_path, corpus)
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # trust the folders' times at once
    run(site, capsys=capsys)
    run(site, capsys=capsys)  # an update: it records the times of the folders as the first build left them
    listed = []
    real_scandir = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.fspath(path).startswith(os.fspath(site / "public")):  # not content
            listed.append(os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run(site, capsys=capsys)
    assert listed == [], "no folder of the output changed: none is listed"
    time.sleep(0.05)  # past the tick of the file system's clock that last changed the folders
    story = next((site / "public" / "stories").iterdir())
    (story / "notes.txt").write_text("added by hand", encoding="utf-8")
    (site / "public" / "archive" / "extra" / "deeper").mkdir(parents=True)
    (site / "public" / "archive" / "extra" / "deeper" / "page.html").write_text("added", encoding="utf-8")
    if edit:
        edited = sorted((site / "content").rglob("*.md"))[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    run(site, capsys=capsys)
    assert os.fspath(story) in listed and os.fspath(site / "public" / "archive") in listed
    assert len(listed) < 20, listed  # those, the new folders, and those an edit changed
    assert not (story / "notes.txt").exists() and not (site / "public" / "archive" / "extra").exists()
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public") == tree(site / "fresh")


@pytest.mark.parametrize("count", [3, 20, 500])
def test_each_whole_site_job_goes_to_a_worker_alone(count):
    def job(number: int, whole_site: bool = False) -> build.PageJob:
        return build.PageJob((f"page-{number}.html",), b"recipe", list, whole_site=whole_site)

    jobs = [job(0, True), job(1, True)] + [job(number) for number in range(2, count)] + [job(count, True)]
    tasks = build.worker_tasks(jobs, 2)
    assert tasks[:3] == [(0,), (1,), (len(jobs) - 1,)]  # whole-site jobs first, each alone
    assert sorted(index for task in tasks for index in task) == list(range(len(jobs)))
    assert max(map(len, tasks)) == max(1, min(build.PAGES_PER_TASK, (count - 2) // 8))


@pytest.mark.parametrize("depth", ["story", "stories"])
def test_a_folder_of_the_output_replaced_by_a_link_is_never_followed(tmp_path, corpus, capsys, monkeypatch, depth):
    site = make_site(tmp_path, corpus)
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    run(site, capsys=capsys)
    run(site, capsys=capsys)
    folder = next((site / "public" / "stories").iterdir()) if depth == "story" else site / "public" / "stories"
    elsewhere = tmp_path / "kept-elsewhere"
    shutil.copytree(folder, elsewhere)  # the same files, sizes and times as the output's
    (elsewhere / "notes.txt").write_text("the user's own", encoding="utf-8")
    kept = tree(elsewhere)
    shutil.rmtree(folder)
    folder.symlink_to(elsewhere, target_is_directory=True)
    time.sleep(0.05)
    edited = sorted((site / "content").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    run(site, capsys=capsys)
    assert tree(elsewhere) == kept  # nothing removed or written through the link
    assert not folder.is_symlink() and folder.is_dir()
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public") == tree(site / "fresh")


def article_records(output: Path) -> list[dict]:
    return json.loads((output / "articles.json").read_bytes())["articles"]


def test_after_one_edit_articles_json_makes_only_the_changed_records_and_matches_a_fresh_build(
        tmp_path, corpus, capsys, monkeypatch):
    site = make_site(tmp_path, corpus)
    run(site, "--jobs", "1", capsys=capsys)
    before = article_records(site / "public")
    edited = sorted((site / "content").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence added by the desk on a second look.\n",
                      encoding="utf-8")
    made = records_made(monkeypatch)
    run(site, "--jobs", "1", capsys=capsys)
    changed = [record["id"] for record in article_records(site / "public") if record not in before]
    assert changed and sorted(made) == sorted(changed)
    assert len(made) < len(before) / 4
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert (site / "public" / "articles.json").read_bytes() == (site / "fresh" / "articles.json").read_bytes()


ADDED_ARTICLE = """---
title: "A late report from the talks"
date: 2025-06-02 08:00:00 +0000
author: "Desk"
source: "Outlet Lune"
---

The talks went on past midnight, and the delegations said they would meet again.
"""


@pytest.mark.parametrize("change", ["removed", "added"])
def test_articles_json_matches_a_fresh_build_after_an_article_is_removed_or_added(tmp_path, corpus, capsys, change):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    if change == "removed":
        sorted((site / "content").rglob("*.md"))[1].unlink()
    else:
        (site / "content" / "late-report.md").write_text(ADDED_ARTICLE, encoding="utf-8")
    run(site, capsys=capsys)
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert (site / "public" / "articles.json").read_bytes() == (site / "fresh" / "articles.json").read_bytes()
    assert tree(site / "public") == tree(site / "fresh")


def test_a_new_base_url_makes_every_record_of_articles_json_again(tmp_path, corpus, capsys, monkeypatch):
    site = make_site(tmp_path, corpus)
    run(site, "--jobs", "1", capsys=capsys)
    made = records_made(monkeypatch)
    run(site, "--jobs", "1", "--base-url", "https://mirror.example.net/news/", capsys=capsys)
    records = article_records(site / "public")
    assert len(made) == len(records)
    assert all(record["url"].startswith("https://mirror.example.net/news/") for record in records)
    run(site, "--no-cache", "--base-url", "https://mirror.example.net/news/", output="fresh", capsys=capsys)
    assert (site / "public" / "articles.json").read_bytes() == (site / "fresh" / "articles.json").read_bytes()


@pytest.mark.parametrize("edit", ["appended", "same size and time"])
def test_articles_json_edited_by_hand_is_not_copied_from(tmp_path, corpus, capsys, monkeypatch, edit):
    site = make_site(tmp_path, corpus)
    run(site, "--jobs", "1", capsys=capsys)
    published = site / "public" / "articles.json"
    status = published.stat()
    data = published.read_bytes()
    first = json.loads(data)["articles"][0]["title"]
    if edit == "appended":
        published.write_bytes(data + b" ")
    else:  # a title replaced in place, and the file's size and time as the build left them
        published.write_bytes(data.replace(json.dumps(first, ensure_ascii=False).encode(),
                                           json.dumps(first.swapcase(), ensure_ascii=False).encode(), 1))
        os.utime(published, ns=(status.st_atime_ns, status.st_mtime_ns))
        assert published.stat().st_size == status.st_size
    edited = sorted((site / "content").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA line the desk added later.\n", encoding="utf-8")
    made = records_made(monkeypatch)
    run(site, "--jobs", "1", capsys=capsys)
    assert len(made) == len(article_records(site / "public"))
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert published.read_bytes() == (site / "fresh" / "articles.json").read_bytes()


@pytest.mark.parametrize("edit", ["text", "date", "removal"])
def test_the_search_index_after_an_edit_equals_a_fresh_one(tmp_path, corpus, capsys, edit):
    site = make_site(tmp_path, corpus)
    run(site, capsys=capsys)
    before = tree(site / "public" / "search")
    oldest = sorted((site / "content").rglob("*.md"))[0]
    text = oldest.read_text(encoding="utf-8")
    if edit == "text":
        oldest.write_text(text + "\nThe desk added a line about quorums and zoning.\n", encoding="utf-8")
    elif edit == "date":  # the oldest article becomes a recent one: the documents after it are numbered anew
        oldest.write_text(re.sub(r"^date: .*$", "date: 2025-12-20 09:00:00 +0000", text, count=1, flags=re.M),
                          encoding="utf-8")
    else:
        oldest.unlink()
    run(site, capsys=capsys)
    assert tree(site / "public" / "search") != before
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public" / "search") == tree(site / "fresh" / "search")
    assert tree(site / "public") == tree(site / "fresh")


def test_one_edit_makes_again_only_the_search_shards_of_the_first_characters_it_changes(tmp_path, corpus, capsys,
                                                                                        monkeypatch):
    site = make_site(tmp_path, corpus)
    run(site, "--jobs", "1", capsys=capsys)  # the index is made in this process, where invert is watched
    before = inodes(site / "public" / "search")
    # the first character of the first group's first term
    inverted = noted_calls(monkeypatch, search, "invert", lambda numbered, bits: numbered[1][0][0])
    edited = sorted((site / "content").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nQuokkas queue quietly.\n", encoding="utf-8")
    run(site, "--jobs", "1", capsys=capsys)
    assert inverted == ["q"]
    after = inodes(site / "public" / "search")
    changed = sorted(path for path in after if before.get(path) != after[path])
    assert all(path == "meta.json" or path.startswith("terms/q") for path in changed), changed
    assert len(after) > 10 * len(changed)
    run(site, "--no-cache", output="fresh", capsys=capsys)
    assert tree(site / "public" / "search") == tree(site / "fresh" / "search")


def test_a_full_build_links_the_search_shards_it_keeps_into_its_new_folder(tmp_path, config):
    articles = [make_article(id=str(n), origin=f"{n}.md", url_path=f"a/{n}/", title=f"Title {word}", summary="")
                for n, word in enumerate(["zebra", "aardvark", "bison"])]
    recipes = build.Recipes(config, {}, {})
    out = tmp_path / "public"

    def search_job(articles) -> build.PageJob:
        return build.search_job(build.Content(articles, [], [], {}, {}), recipes)

    with write.staged_output(out) as first:
        build.place_here(search_job(articles), first)
        write.publish(first, out)
    articles[1] = dataclasses.replace(articles[1], title="Title anteater")
    folder = tmp_path / "new"
    folder.mkdir()
    again = write.Staging(write.Placer(folder, out, dict(first.outputs), update=False))
    build.place_here(search_job(articles), again)
    expected = {str(page.path): page.content for page in search.index_pages(articles, [])}
    assert tree(folder) == expected and set(again.outputs) == set(expected)
    linked = {path for path in expected if (out / path).exists() and (folder / path).samefile(out / path)}
    # all shards but those of "a", whose terms changed; the document chunk has the new title
    assert linked == {f"search/terms/{name}.json" for name in json.loads(expected["search/meta.json"])["shards"]
                      if not name.startswith("a")}
    assert again.pages_written == len(expected) - len(linked)
