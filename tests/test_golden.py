"""Golden sites: each case under tests/golden/ is built and compared, file by file, with expected/.

`make golden` (UPDATE_GOLDEN=1) rewrites expected/ from the current output; review that diff like code.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import shutil
from pathlib import Path

import pytest

from generator import build
from generator.config import load_config
from generator.report import Report

from conftest import BUILD_TIME

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(path for path in GOLDEN.iterdir() if (path / "site.toml").is_file()) if GOLDEN.is_dir() else []


def tree(folder: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file():
            files[relative] = path.read_bytes()
    return files


def test_there_is_a_golden_case():
    assert CASES, "no golden case under tests/golden/"


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_golden_site(case: Path, tmp_path: Path):
    output = tmp_path / "public"
    config = dataclasses.replace(load_config(case / "site.toml", BUILD_TIME), output_dir=output)
    report = Report()
    result = build.build(config, report)
    assert result.written, [str(m) for m in report.errors]
    built = tree(output)
    expected_dir = case / "expected"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(output, expected_dir)
        return
    expected = tree(expected_dir)
    assert sorted(built) == sorted(expected), "files differ: run `make golden` and review the diff"
    differences = []
    for name, data in built.items():
        if data != expected[name]:
            try:
                old, new = expected[name].decode("utf-8"), data.decode("utf-8")
            except UnicodeDecodeError:
                differences.append(f"{name}: binary content differs")
                continue
            differences.append("".join(difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), f"expected/{name}", f"built/{name}")))
    assert not differences, "\n".join(differences)[:20000]
