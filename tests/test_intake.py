"""`broadsheet new` and `broadsheet clip`: files written once, never overwritten, and read back as pasted."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator import clean, ingest, intake
from generator.cli import main
from generator.report import Report

from conftest import SEEDS

SITE = 'title = "Digest"\nbase_url = "https://example.org/"\ntimezone = "Asia/Tokyo"\n'
# 2025-11-24T20:00:00Z, which is already 25 November in Tokyo
EPOCH = {"SOURCE_DATE_EPOCH": "1764014400"}
CLIPPING = """Harbour Times
Central bank holds rates at 4% as inflation cools
By Ana Ruiz and Tom Lee
Published 3 March 2026 09:12 GMT
Sign up for our free morning newsletter
The central bank kept its main rate at 4% on Tuesday, saying inflation had cooled faster than expected.
Officials said they would watch wages closely before any cut.
Markets had priced in a hold after last month's data.
"""
NO_HEADLINE = """The bank kept rates on hold for a third month.
The central bank kept its main rate at 4% on Tuesday, saying inflation had cooled faster than it had expected in the autumn.
Officials said they would watch wages closely before any cut, and markets had priced in a hold after last month's data.
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "site.toml").write_text(SITE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def clip(monkeypatch, text: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    return main(["clip", *args], environ=EPOCH)


def read_back(project: Path, name: str):
    """Return the saved file as the build reads it: ingest, then clean."""
    config = intake_config(project)
    report = Report()
    article = ingest.read_article(config.content_dir / name, config, report)
    return clean.clean_article(article, config, report), report


def intake_config(project: Path):
    from generator.config import load_config
    return load_config(project / "site.toml", datetime(2026, 1, 1, tzinfo=timezone.utc))


# --- new ---------------------------------------------------------------------------------------


def test_new_writes_front_matter_dated_now_in_the_site_timezone(project, capsys):
    assert main(["new", "Rates held at 4%", "--source", "Reuters"], environ=EPOCH) == 0
    path = "content/2025-11-25-rates-held-at-4.md"
    assert capsys.readouterr().out == path + "\n"
    assert (project / path).read_text(encoding="utf-8") == (
        '---\ntitle: "Rates held at 4%"\ndate: 2025-11-25T05:00:00+09:00\nsource: "Reuters"\n---\n\n')
    article, report = read_back(project, "2025-11-25-rates-held-at-4.md")
    assert article.title == "Rates held at 4%"
    assert article.published == datetime(2025, 11, 24, 20, 0, tzinfo=timezone.utc)
    assert article.published.utcoffset() == timedelta(hours=9)
    assert article.source == "Reuters"
    assert article.origin_of("title") == article.origin_of("published") == "front matter"


def test_new_never_overwrites_an_existing_file(project, capsys):
    assert main(["new", "Rates held"], environ=EPOCH) == 0
    path = project / "content" / "2025-11-25-rates-held.md"
    path.write_text("my edits\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "Rates held", "--source", "AP"], environ=EPOCH) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("error: content/2025-11-25-rates-held.md: already exists; nothing was written "
                            "(edit that file, or choose another headline or --date)\n")
    assert path.read_text(encoding="utf-8") == "my edits\n"


def test_new_takes_a_date_and_quotes_awkward_titles(project, capsys):
    title = 'He said "no": rates \\ held'
    assert main(["new", title, "--date", "2025-03-01"], environ=EPOCH) == 0
    assert capsys.readouterr().out == "content/2025-03-01-he-said-no-rates-held.md\n"
    article, _ = read_back(project, "2025-03-01-he-said-no-rates-held.md")
    assert article.title == title
    assert article.published == datetime(2025, 3, 1, tzinfo=timezone(timedelta(hours=9)))


def test_new_refuses_a_bad_date_or_an_empty_headline(project, capsys):
    assert main(["new", "Rates", "--date", "next tuesday"], environ=EPOCH) == 2
    assert capsys.readouterr().err == ("error: date 'next tuesday' is not a date (expected YYYY-MM-DD or "
                                       "ISO 8601)\n")
    assert main(["new", " !! "], environ=EPOCH) == 2
    assert "has no letters or digits" in capsys.readouterr().err
    assert not (project / "content").exists()


def test_new_quiet_prints_only_the_path_and_verbose_adds_the_date(project, capsys):
    assert main(["new", "-q", "Quiet one"], environ=EPOCH) == 0
    assert capsys.readouterr() == ("content/2025-11-25-quiet-one.md\n", "")
    assert main(["new", "-v", "Loud one"], environ=EPOCH) == 0
    assert capsys.readouterr().err == "info: dated 25 November 2025, 05:00 JST (site timezone Asia/Tokyo)\n"


# --- clip --------------------------------------------------------------------------------------


def test_clip_saves_the_text_as_pasted_under_the_front_matter_it_found(project, capsys, monkeypatch):
    assert clip(monkeypatch, CLIPPING) == 0
    out = capsys.readouterr().out.splitlines()
    name = "2026-03-03-central-bank-holds-rates-at-4-as-inflation-cools.txt"
    assert out[0] == f"content/{name}"
    saved = (project / "content" / name).read_text(encoding="utf-8")
    front, body = saved.split("---\n\n", 1)
    assert body == CLIPPING  # nothing the user pasted is lost
    assert front.splitlines() == [
        "---",
        'title: "Central bank holds rates at 4% as inflation cools"  # read from line 9: '
        '"Central bank holds rates at 4% as inflation cools"',
        'date: 2026-03-03T09:12:00+00:00  # read from line 11: "Published 3 March 2026 09:12 GMT"',
        'authors: ["Ana Ruiz", "Tom Lee"]  # read from line 10: "By Ana Ruiz and Tom Lee"',
        'source: "Harbour Times"  # read from line 8: "Harbour Times"',
    ]
    assert saved.splitlines()[7] == "Harbour Times"  # the line numbers in the comments are the file's


def test_clip_prints_what_it_found(project, capsys, monkeypatch):
    assert clip(monkeypatch, CLIPPING) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1:] == [
        "  title       Central bank holds rates at 4% as inflation cools  (line 9)",
        "  date        3 March 2026, 09:12 UTC  (line 11)",
        "  authors     Ana Ruiz, Tom Lee  (line 10)",
        "  source      Harbour Times  (line 8)",
        "  paragraphs  3",
        "  dropped     4 lines as site noise:",
        "              Harbour Times",
        "              By Ana Ruiz and Tom Lee",
        "              Published 3 March 2026 09:12 GMT",
        "              Sign up for our free morning newsletter",
    ]
    assert "\x1b[" not in captured.out  # not a terminal: plain text
    assert captured.err == ""


def test_a_saved_clipping_reads_back_as_the_clipping_did(project, capsys, monkeypatch):
    assert clip(monkeypatch, CLIPPING) == 0
    name = capsys.readouterr().out.splitlines()[0].removeprefix("content/")
    config = intake_config(project)
    pasted = intake.read_clipping(CLIPPING, config).article
    saved, report = read_back(project, name)
    for field in ("title", "published", "authors", "source", "paragraphs", "summary", "dropped"):
        assert getattr(saved, field) == getattr(pasted, field), field
    assert report.messages == []


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_every_seed_reads_back_the_same_after_clipping(project, seed):
    config = intake_config(project)
    pasted = intake.read_clipping(seed.read_text(encoding="utf-8"), config)
    path, _ = intake.save_clipping(pasted, config)
    saved, _ = read_back(project, path.name)
    for field in ("title", "published", "partial_date", "authors", "source", "paragraphs", "summary"):
        assert getattr(saved, field) == getattr(pasted.article, field), field


def test_a_guessed_title_is_left_as_a_comment_to_confirm(project, capsys, monkeypatch):
    assert clip(monkeypatch, NO_HEADLINE, "--source", "The Ledger") == 0
    captured = capsys.readouterr()
    name = "the-bank-kept-rates-on-hold-for-a-third-month.txt"  # no date found: none in the name
    assert captured.out.splitlines()[0] == f"content/{name}"
    assert "  title       The bank kept rates on hold for a third month  (guessed: confirm it)" in captured.out
    assert "  source      The Ledger  (given)" in captured.out
    assert captured.err.splitlines() == [
        f"warning: content/{name}: no publication date found (expected a 'Published …' line, a date line "
        "or a 'date' in front matter)",
        f"warning: content/{name}:8: no headline line; title inferred from the opening sentence (expected a "
        "short first line or a 'title' in front matter)",
    ]
    lines = (project / "content" / name).read_text(encoding="utf-8").splitlines()
    assert lines[1] == ('# title: "The bank kept rates on hold for a third month"  # guessed from line 8: '
                        '"The bank kept rates on hold for a third month."; uncomment to confirm, or write your own')
    assert lines[2] == "# date:  # no date found; write one (YYYY-MM-DD) and uncomment"
    assert lines[4] == 'source: "The Ledger"  # given on the command line'
    saved, report = read_back(project, name)
    assert saved.inferred == ("summary", "title")  # still a guess until the editor confirms it
    assert [m.kind for m in report.warnings] == ["missing date", "inferred title"]


def test_clip_never_overwrites(project, capsys, monkeypatch):
    assert clip(monkeypatch, CLIPPING) == 0
    first = capsys.readouterr().out.splitlines()[0]
    before = (project / first).read_text(encoding="utf-8")
    assert clip(monkeypatch, CLIPPING.replace("Markets", "Traders")) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {first}: already exists; nothing was written")
    assert (project / first).read_text(encoding="utf-8") == before


def test_clip_reads_a_file_with_windows_line_endings(project, capsys, tmp_path):
    source = tmp_path / "pasted.txt"
    source.write_bytes(("\ufeff" + CLIPPING).replace("\n", "\r\n").encode("utf-8"))
    assert main(["clip", "--from", str(source)], environ=EPOCH) == 0
    name = capsys.readouterr().out.splitlines()[0]
    assert (project / name).read_text(encoding="utf-8").endswith(CLIPPING)


def test_clip_refuses_empty_input(project, capsys, monkeypatch):
    assert clip(monkeypatch, " \n\n") == 1
    assert capsys.readouterr().err == ("error: the clipping is empty; expected the text of an article "
                                       "(paste it, then press Ctrl-D)\n")
    assert not (project / "content").exists()


def test_a_clipping_with_its_own_front_matter_is_saved_exactly(project, capsys, monkeypatch):
    text = "---\ntitle: Mine\ndate: 2025-01-02\n---\nMy own text.\n"
    assert clip(monkeypatch, text, "--source", "Ignored") == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "content/2025-01-02-mine.txt"
    assert (project / "content" / "2025-01-02-mine.txt").read_text(encoding="utf-8") == text
    assert "--source was not added" in captured.err


def test_clip_quiet_prints_only_the_path(project, capsys, monkeypatch):
    assert clip(monkeypatch, NO_HEADLINE, "-q") == 0
    assert capsys.readouterr() == ("content/the-bank-kept-rates-on-hold-for-a-third-month.txt\n", "")


@given(st.text())
def test_yaml_text_round_trips_any_text(value):
    assert yaml.safe_load(f"key: {intake.yaml_text(value)}  # note")["key"] == value


@given(st.text())
def test_comment_text_never_breaks_a_line(value):
    loaded = yaml.safe_load(f"key: 1  # {intake.comment_text(value)}\nother: 2\n")
    assert loaded == {"key": 1, "other": 2}


def test_content_path_leaves_the_date_out_when_unknown(config):
    moment = datetime(2025, 11, 24, 23, 30, tzinfo=timezone.utc)
    assert intake.content_path(config, "Rates: held!", moment, ".md").name == "2025-11-24-rates-held.md"
    assert intake.content_path(config, "Rates", None, ".txt").name == "rates.txt"
    assert intake.content_path(config, "???", None, ".txt").name == "untitled.txt"


def test_a_chinese_or_japanese_title_names_the_file_by_a_digest(config):
    moment = datetime(2025, 11, 26, 6, 30, tzinfo=timezone.utc)
    first = intake.content_path(config, "米中首脳会談、来年4月に北京で調整", moment, ".txt").name
    second = intake.content_path(config, "米中、貿易休戦を1年延長 首脳が電話会談", moment, ".txt").name
    assert first.startswith("2025-11-26-clip-") and len(first) == len("2025-11-26-clip-12345678.txt")
    assert second != first  # not "2025-11-26-4.txt" and "2025-11-26-1.txt", nor both "untitled"
