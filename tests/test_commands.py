"""What every command shares: --help with examples, -q and -v, and a spinner only for a person at a terminal."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from generator import terminal
from generator.cli import main

SITE = 'title = "Digest"\nbase_url = "https://example.org/"\n'
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
COMMANDS = ("build", "serve", "new", "clip", "check")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "site.toml").write_text(SITE, encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "2025-03-01-rates.md").write_text(
        "---\ntitle: Rates held\nauthor: Ana Ruiz\n---\nThe bank held rates.\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples_and_the_verbosity_options(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: broadsheet {command} [-h] [-q | -v]" in out
    assert "\nexamples:\n  broadsheet " in out or "\nexamples:\n  $EDITOR" in out


def test_the_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert f"    {command} " in out


def test_quiet_build_prints_nothing_when_all_is_well(project, capsys):
    assert main(["build", "-q", "--config", str(project / "site.toml")], environ=EPOCH) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["-q", "build", "--config", str(project / "site.toml")], environ=EPOCH) == 0
    assert capsys.readouterr() == ("", "")


def test_quiet_build_still_prints_errors(project, capsys):
    (project / "content" / "bad.md").write_text("---\ndate: someday\n---\nBody\n", encoding="utf-8")
    (project / "content" / "undated.md").write_text("---\ntitle: No date\n---\nBody text.\n", encoding="utf-8")
    assert main(["build", "-q", "--config", str(project / "site.toml")], environ=EPOCH) == 1
    assert capsys.readouterr().err == (
        "error: bad.md:2: date 'someday' is not a date (expected YYYY-MM-DD or ISO 8601)\n")


def test_quiet_strict_build_says_why_nothing_was_built(project, capsys):
    (project / "content" / "undated.md").write_text("---\ntitle: No date\n---\nBody text.\n", encoding="utf-8")
    assert main(["build", "-q", "--strict", "--config", str(project / "site.toml")], environ=EPOCH) == 1
    assert capsys.readouterr().err == "not built: warnings with --strict\n"


def test_verbose_build_adds_information_lines(project, capsys):
    assert main(["build", "-v", "--config", str(project / "site.toml")], environ=EPOCH) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"info: building {project / 'content'} into {project / 'public'} for https://example.org/\n")
    assert "\nbuilt " in err


def test_quiet_and_verbose_together_are_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "-q", "-v"])
    assert exit_info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_no_spinner_or_colour_without_a_terminal(project, capsys):
    assert main(["build", "--config", str(project / "site.toml")], environ=EPOCH) == 0
    assert "\x1b[" not in capsys.readouterr().err


def test_a_person_at_a_terminal_is_watching_but_ci_is_not():
    assert terminal.watched(Terminal(), {})
    assert not terminal.watched(Terminal(), {"CI": "true"})
    assert not terminal.watched(Terminal(), {"TERM": "dumb"})
    assert not terminal.watched(io.StringIO(), {})


@pytest.fixture
def colour_terminal(monkeypatch):
    """rich reads these itself: make the environment look like an ordinary colour terminal."""
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def test_the_spinner_shows_on_a_terminal_only_when_enabled(colour_terminal):
    shown = Terminal()
    with terminal.spinner("building…", shown, enabled=True):
        time.sleep(0.3)
    assert "building…" in shown.getvalue()
    hidden = Terminal()
    with terminal.spinner("building…", hidden, enabled=False):
        time.sleep(0.05)
    assert hidden.getvalue() == ""


def test_colour_only_when_styled(colour_terminal):
    lines = [[("path", "bold"), (" [note]", "cyan")]]
    plain, styled = io.StringIO(), Terminal()
    terminal.print_lines(lines, plain, styled=False)
    terminal.print_lines(lines, styled, styled=True)
    assert plain.getvalue() == "path [note]\n"
    assert "\x1b[1m" in styled.getvalue() and "[note]" in styled.getvalue()


def test_ctrl_c_while_pasting_a_clipping_is_no_traceback(project, capsys, monkeypatch):
    class Interrupted(io.StringIO):
        def read(self, *args):
            raise KeyboardInterrupt

    monkeypatch.chdir(project)
    monkeypatch.setattr("sys.stdin", Interrupted())
    assert main(["clip"], environ=EPOCH) == 130
    assert capsys.readouterr().err == "interrupted\n"
    assert sorted(p.name for p in (project / "content").iterdir()) == ["2025-03-01-rates.md"]
