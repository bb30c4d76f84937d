"""`broadsheet check`: what it reports about real content, its JSON, duplicates, dates and exit codes."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator import checkup
from generator.cli import main

from conftest import SEEDS, make_article

SITE = 'title = "Digest"\nbase_url = "https://example.org/"\n'
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01T00:00:00Z
CLEAN = "---\ntitle: Rates held\ndate: 2025-03-01\nauthor: Ana Ruiz\nsource: The Ledger\n---\nThe bank held rates.\n"


def make_project(tmp_path: Path, files: dict[str, str] | None = None, seeds: bool = False) -> Path:
    (tmp_path / "site.toml").write_text(SITE, encoding="utf-8")
    content = tmp_path / "content"
    if seeds:
        shutil.copytree(SEEDS, content)
    content.mkdir(exist_ok=True)
    for name, text in (files or {}).items():
        (content / name).write_text(text, encoding="utf-8")
    return tmp_path


def check(project: Path, *args: str) -> int:
    return main(["check", "--config", str(project / "site.toml"), *args], environ=EPOCH)


def check_json(project: Path, capsys, *args: str) -> tuple[int, dict]:
    status = check(project, "--format", "json", *args)
    return status, json.loads(capsys.readouterr().out)


def by_path(report: dict) -> dict[str, dict]:
    return {record["path"][:3]: record for record in report["files"]}


def test_json_reports_the_inferred_and_missing_fields_of_the_raw_seeds(tmp_path, capsys):
    status, report = check_json(make_project(tmp_path, seeds=True), capsys)
    assert status == 0  # warnings only, and no --strict
    files = by_path(report)
    assert sorted(files) == ["000", "001", "002", "003", "004"]
    assert files["002"]["fields"]["title"] == "inferred"
    assert files["003"]["fields"]["title"] == "inferred"
    assert "title" in files["002"]["inferred"] and "title" in files["003"]["inferred"]
    assert files["001"]["fields"]["title"] == "line 1"
    # 002 names "Nov. 24" without a year: the story it joins settles the year
    assert "published" in files["002"]["inferred"]
    assert files["002"]["date"].startswith("2025-11-24")
    assert "inferred year" in [finding["kind"] for finding in files["002"]["findings"]]
    assert files["002"]["story"]["grouping"] == "similar text"
    assert files["002"]["story"]["id"] == files["001"]["story"]["id"]
    # 004 has no date at all, and joins no story
    assert files["004"]["date"] is None
    assert files["004"]["fields"]["published"] == "default"
    assert "published" in files["004"]["missing"]
    assert "missing date" in [finding["kind"] for finding in files["004"]["findings"]]
    assert files["004"]["story"]["grouping"] == "alone"
    assert files["003"]["dropped"] == ["Unlock the White House Watch newsletter for free",
                                       "Your guide to what Trump’s second term means for Washington, "
                                       "business and the world"]
    assert report["counts"] == {"files": 5, "articles": 5, "stories": 3, "errors": 0,
                                "warnings": report["counts"]["warnings"], "notes": 0, "duplicates": 0}
    assert report["counts"]["warnings"] >= 6
    assert report["duplicates"] == []


def test_json_keys_are_stable(tmp_path, capsys):
    _, report = check_json(make_project(tmp_path, {"2025-03-01-rates.md": CLEAN}), capsys)
    assert list(report) == ["version", "content_dir", "counts", "files", "duplicates", "stories", "general"]
    assert report["version"] == 1
    record = report["files"][0]
    assert list(record) == ["path", "article", "kind", "title", "date", "authors", "source", "fields", "inferred",
                            "missing", "paragraphs", "dropped", "story", "duplicates", "findings"]
    assert record["missing"] == [] and record["inferred"] == []
    assert list(report["stories"][0]) == ["id", "title", "url", "date", "articles"]


def test_the_same_clipping_pasted_twice_is_a_likely_duplicate(tmp_path, capsys):
    seed = (SEEDS / "001_2654537ed6485ab2.txt").read_text(encoding="utf-8")
    # the second paste came without the page furniture and with different line breaks
    second = seed.replace("Subscribe\n", "").replace(". ", ".\n", 3)
    project = make_project(tmp_path, {"a.txt": seed, "b.txt": second, "c.txt": CLEAN.replace(".md", "")},
                           seeds=True)
    status, report = check_json(project, capsys)
    assert status == 0
    pairs = [(pair["files"], pair["overlap"]) for pair in report["duplicates"]]
    assert pairs == [(["001_2654537ed6485ab2.txt", "a.txt"], 1.0), (["001_2654537ed6485ab2.txt", "b.txt"], 1.0),
                     (["a.txt", "b.txt"], 1.0)]
    files = {record["path"]: record for record in report["files"]}
    assert [d["path"] for d in files["a.txt"]["duplicates"]] == ["001_2654537ed6485ab2.txt", "b.txt"]
    assert "duplicate" in [finding["kind"] for finding in files["a.txt"]["findings"]]
    assert files["c.txt"]["duplicates"] == []


def test_coverage_of_one_event_by_two_outlets_is_no_duplicate(tmp_path, capsys):
    _, report = check_json(make_project(tmp_path, seeds=True), capsys)
    files = by_path(report)
    assert files["000"]["story"]["id"] == files["001"]["story"]["id"]  # same story …
    assert files["000"]["duplicates"] == []  # … but not the same text


def test_strict_fails_on_warnings_and_errors_always_fail(tmp_path, capsys):
    project = make_project(tmp_path, {"2025-03-01-rates.md": CLEAN})
    assert check(project, "--strict") == 0
    (project / "content" / "undated.md").write_text("---\ntitle: No date\n---\nText.\n", encoding="utf-8")
    assert check(project) == 0
    assert check(project, "--strict") == 1
    (project / "content" / "bad.md").write_text("---\ntitle: [x\n---\nText.\n", encoding="utf-8")
    assert check(project) == 1
    capsys.readouterr()


def test_bad_settings_exit_two(tmp_path, capsys):
    project = make_project(tmp_path)
    (project / "site.toml").write_text('title = "x"\n', encoding="utf-8")
    assert check(project) == 2
    assert capsys.readouterr().err == f"error: {project / 'site.toml'}: missing setting 'base_url'\n"


def test_check_writes_nothing(tmp_path, capsys):
    project = make_project(tmp_path, seeds=True)
    before = sorted(path.relative_to(project) for path in project.rglob("*"))
    assert check(project) == 0
    assert sorted(path.relative_to(project) for path in project.rglob("*")) == before


def test_text_report_is_plain_when_not_a_terminal(tmp_path, capsys):
    status = check(make_project(tmp_path, seeds=True))
    out = capsys.readouterr().out
    assert status == 0
    assert "\x1b[" not in out
    assert "002_b305b2e2b3b8d618.txt  (clipping, 13 paragraphs)" in out
    assert "  title      The two leaders discussed Taiwan and Ukraine, Beijing said  [inferred]" in out
    assert "  warning    line 1: no headline line; title inferred from the opening sentence" in out
    assert "  story      joined the story 'Trump touts" in out
    assert "  dropped    2 lines as site noise" in out
    assert out.splitlines()[-1].startswith("checked 5 files: 5 articles in 3 stories, 0 errors, ")


def test_quiet_prints_only_errors(tmp_path, capsys):
    project = make_project(tmp_path, {"bad.md": "---\ndate: someday\n---\nText.\n"}, seeds=True)
    assert check(project, "-q") == 1
    assert capsys.readouterr().out == (
        "bad.md:2: error: date 'someday' is not a date (expected YYYY-MM-DD or ISO 8601)\n")


def test_verbose_shows_where_every_field_came_from(tmp_path, capsys):
    project = make_project(tmp_path, {"2025-03-01-rates.md": CLEAN})
    assert check(project) == 0
    # nothing to look at: only the summary line
    assert capsys.readouterr().out == ("checked 1 file: 1 article in 1 story, 0 errors, 0 warnings, "
                                       "0 likely duplicates\n")
    assert check(project, "-v") == 0
    out = capsys.readouterr().out
    assert out.startswith("2025-03-01-rates.md  (markdown, 1 paragraph)\n")
    assert "  title      Rates held  [front matter]" in out
    assert "  story      alone in its story" in out


NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(("published", "kind"), [
    (datetime(2026, 6, 1, tzinfo=timezone.utc), "future date"),
    (datetime(1989, 12, 31, tzinfo=timezone.utc), "early date"),
])
def test_suspicious_dates_are_warnings(published, kind):
    findings = checkup.date_findings(make_article(published=published), None, NOW)
    assert [(finding.level, finding.kind) for finding in findings] == [("warning", kind)]


def test_a_date_a_few_hours_ahead_is_a_time_zone_not_a_typo():
    assert checkup.date_findings(make_article(published=datetime(2026, 1, 1, 9, tzinfo=timezone.utc)),
                                 None, NOW) == []


def test_an_update_before_publication_is_a_warning():
    article = make_article(updated=datetime(2025, 11, 23, tzinfo=timezone.utc))
    assert [f.kind for f in checkup.date_findings(article, None, NOW)] == ["updated before published"]


def test_distinct_articles_are_not_duplicates():
    articles = [make_article(origin=f"{n}.txt", paragraphs=(f"Story number {n} says {n * 7} things about "
                                                            f"topic {n % 3} and nothing else at all.",))
                for n in range(200)]
    assert checkup.find_duplicates(articles) == []


def test_a_short_copy_inside_a_longer_article_is_a_duplicate():
    text = "The central bank kept its main rate at four percent on Tuesday after a long meeting."
    articles = [make_article(origin="short.txt", paragraphs=(text,)),
                make_article(origin="long.txt", paragraphs=(text, "A second paragraph adds much more detail."))]
    assert checkup.find_duplicates(articles) == [checkup.Duplicate("long.txt", "short.txt", 1.0)]


def test_an_article_without_text_is_a_warning(tmp_path, capsys):
    project = make_project(tmp_path, {"2025-03-01-empty.md": "---\ntitle: Empty\ndate: 2025-03-01\n---\n\n"})
    _, report = check_json(project, capsys)
    assert [f["kind"] for f in report["files"][0]["findings"]] == ["no text"]
