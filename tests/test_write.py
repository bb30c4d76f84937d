"""The writer: a fresh folder swapped in whole, guarded paths, and a failed build that changes nothing."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator import write
from generator.model import Page
from generator.report import BuildError


def page(path: str, content: str = "x", *sources: str) -> Page:
    return Page(PurePosixPath(path), content, tuple(sources))


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_writes_every_page_and_replaces_the_old_output(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "stale.html").write_text("old")
    size = write.write_site([page("index.html", "home"), page("a/b/index.html", "deep")], out)
    assert tree(out) == {"index.html": "home", "a/b/index.html": "deep"}
    assert size == 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../x", "a\\b.html"])
def test_paths_outside_the_output_are_refused_before_writing(tmp_path, bad):
    out = tmp_path / "public"
    out.mkdir()
    (out / "keep.html").write_text("previous")
    with pytest.raises(BuildError) as caught:
        write.write_site([page("index.html"), page(bad, "x", "evil.md")], out)
    assert str(caught.value) == f"evil.md: refusing to write '{PurePosixPath(bad)}': outside the output folder"
    assert tree(out) == {"keep.html": "previous"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_collision_names_both_sources(tmp_path):
    with pytest.raises(BuildError) as caught:
        write.write_site([page("x/index.html", "1", "a.md"), page("x/index.html", "2", "b.md")], tmp_path / "out")
    assert str(caught.value) == "b.md: two pages would be written to 'x/index.html' (from a.md and b.md)"
    assert not (tmp_path / "out").exists()


def test_failure_while_writing_leaves_the_previous_output_and_no_temporary_folder(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("previous")

    bad = Page(PurePosixPath("b.html"), 12345)  # not text or bytes: writing it fails midway
    with pytest.raises(TypeError):
        write.write_site([page("a.html", "new"), bad], out)
    assert tree(out) == {"index.html": "previous"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("which", ["root", "home", "content", "project"])
def test_dangerous_output_folders_are_refused(tmp_path, which):
    content = tmp_path / "content"
    content.mkdir()
    target = {"root": Path("/"), "home": Path.home(), "content": content, "project": tmp_path}[which]
    with pytest.raises(BuildError) as caught:
        write.refuse_dangerous_output(target, (content, tmp_path))
    assert str(caught.value).startswith(f"refusing to use {target} as the output folder")


def test_an_ordinary_output_folder_is_accepted(tmp_path):
    write.refuse_dangerous_output(tmp_path / "public", (tmp_path / "content", tmp_path))


def test_a_page_made_in_pieces_is_written_and_kept_when_its_bytes_are_unchanged(tmp_path):
    out = tmp_path / "public"
    pieces = [b"{", b'\n  "a": 1', b"\n}\n"]
    with write.staged_output(out) as staging:
        staging.put(Page(PurePosixPath("data/big.json"), iter(pieces)))
        write.publish(staging, out)
    assert (out / "data/big.json").read_bytes() == b"".join(pieces)
    first = (out / "data/big.json").stat()

    with write.staged_output(out, dict(staging.outputs)) as again:  # an update: the same bytes
        again.put(Page(PurePosixPath("data/big.json"), iter(pieces)))
        write.publish(again, out)
    assert again.pages_written == 0 and (out / "data/big.json").stat().st_ino == first.st_ino
    assert [p.name for p in (out / "data").iterdir()] == ["big.json"]  # no piece file left

    with write.staged_output(out, dict(again.outputs)) as changed:
        changed.put(Page(PurePosixPath("data/big.json"), iter([b"{}", b"\n"])))
        write.publish(changed, out)
    assert changed.pages_written == 1 and (out / "data/big.json").read_bytes() == b"{}\n"
    assert [p.name for p in (out / "data").iterdir()] == ["big.json"]
