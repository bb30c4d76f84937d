"""The command line: exit statuses and the exact report on stderr."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SITE = 'title = "Digest"\nbase_url = "https://example.org/"\n'
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "site.toml").write_text(SITE, encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "2025-03-01-rates.md").write_text(
        "---\ntitle: Rates held\nauthor: Ana Ruiz\n---\nThe bank held rates.\n", encoding="utf-8")
    return tmp_path


def run(project: Path, *args: str) -> int:
    return main(["build", "--config", str(project / "site.toml"), *args], environ=EPOCH)


def summary_line(stderr: str) -> str:
    """The last line, with the pages written, their size and the time (which vary) masked."""
    return re.sub(r": \d+ written \([\d.]+ (bytes|KB|MB)\)(, \d+ unchanged)? in [\d.]+ s$", ": SIZE in TIME",
                  stderr.strip().splitlines()[-1])


def test_clean_build_exits_zero_with_a_summary(project, capsys):
    assert run(project) == 0
    stderr = capsys.readouterr().err
    assert summary_line(stderr) == "built 27 pages from 1 articles in 1 stories (0 errors, 0 warnings): SIZE in TIME"
    assert (project / "public" / "2025/03/01/rates/index.html").is_file()


def test_errors_are_listed_and_nothing_is_written(project, capsys):
    (project / "content" / "bad.md").write_text("---\ndate: someday\n---\nBody\n", encoding="utf-8")
    (project / "content" / "worse.md").write_text("---\ntitle: [x\n---\nBody\n", encoding="utf-8")
    assert run(project) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "error: bad.md:2: date 'someday' is not a date (expected YYYY-MM-DD or ISO 8601)"
    assert lines[1].startswith("error: worse.md:3: front matter is not valid YAML")
    assert lines[-1].startswith("not built: ")
    assert lines[-1].endswith("the previous output is untouched because of the errors")
    assert not (project / "public").exists()


def test_keep_going_publishes_without_the_broken_file(project, capsys):
    (project / "content" / "bad.md").write_text("---\ndate: someday\n---\nBody\n", encoding="utf-8")
    assert run(project, "--keep-going") == 0
    assert (project / "public" / "2025/03/01/rates/index.html").is_file()
    assert "built " in capsys.readouterr().err


def test_strict_turns_warnings_into_failure(project, capsys):
    (project / "content" / "undated.md").write_text("---\ntitle: No date\n---\nBody text.\n", encoding="utf-8")
    assert run(project) == 0
    capsys.readouterr()
    shutil.rmtree(project / "public")
    assert run(project, "--strict") == 1
    stderr = capsys.readouterr().err
    assert "warning: undated.md" in stderr
    assert "because of the warnings with --strict" in stderr
    assert not (project / "public").exists()


def test_bad_settings_exit_two(project, capsys):
    (project / "site.toml").write_text('title = "x"\nbase_url = "nope"\n', encoding="utf-8")
    assert run(project) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_output_and_content_options(project, tmp_path, capsys):
    out = tmp_path / "elsewhere"
    assert run(project, "--output", str(out), "--content", str(project / "content")) == 0
    assert (out / "index.html").is_file()


def test_output_at_the_project_root_is_refused(project, capsys):
    assert run(project, "--output", str(project)) == 1
    assert "refusing to use" in capsys.readouterr().err
    assert (project / "content" / "2025-03-01-rates.md").is_file()


def test_base_url_override_reaches_the_pages(project, capsys):
    assert run(project, "--base-url", "https://preview.example.net/pr-9/") == 0
    html = (project / "public" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://preview.example.net/pr-9/"' in html


def test_no_command_prints_help_and_exits_two(capsys):
    assert main([], environ={}) == 2
    assert "usage: broadsheet" in capsys.readouterr().err


def test_bad_source_date_epoch(project, capsys):
    assert main(["build", "--config", str(project / "site.toml")], environ={"SOURCE_DATE_EPOCH": "soon"}) == 2
    assert capsys.readouterr().err == "error: SOURCE_DATE_EPOCH is 'soon'; expected a whole number of seconds\n"
