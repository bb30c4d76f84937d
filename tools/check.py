#!/usr/bin/env python3
"""`make check`: build the site twice, at its base URL into public/ and under a sub-path on 127.0.0.1 into
build/check-subpath/, then run the Nu Html Checker, feedcheck and linkcheck over both builds.

Prints each problem as `path:line: level: message`, then one summary line per checker; exits 1 on any error.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import feedcheck
import linkcheck

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = ROOT / "public"
SUBPATH = "/sub/path/"
SUBPATH_OUTPUT = ROOT / "build" / "check-subpath"
TOOLS_DIR = ROOT / "build" / "tools"
VNU_VERSION = "26.9.27"
VNU_PACKAGE = TOOLS_DIR / "node_modules" / "vnu-jar"
VNU_JAR = VNU_PACKAGE / "build" / "dist" / "vnu.jar"
BUILD_SECONDS = 300
INSTALL_SECONDS = 300
VNU_SECONDS = 300
# Nu Html Checker warnings that are accepted, each with why; README.md ("Checks") lists the same.
# A pattern matches the message text. Warnings never fail the check; these are marked as accepted.
ACCEPTED_WARNINGS: dict[str, str] = {}


@dataclass
class Outcome:
    """One checker's result: its problems and its summary line."""

    name: str
    problems: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    summary: str = ""


def relative(path: Path | str) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def run(command: list[str], seconds: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command from the project folder with no standard input; its output is captured."""
    return subprocess.run(command, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=seconds, check=False, env=env)


def site_base_url() -> str:
    with open(ROOT / "site.toml", "rb") as file:
        base_url = tomllib.load(file)["base_url"]
    return base_url if base_url.endswith("/") else base_url + "/"


# ------------------------------------------------------------------------------------------ build


def build_sites(server_url: str) -> Outcome:
    """Build public/ at the site's base URL and the sub-path copy at `server_url` + SUBPATH."""
    outcome = Outcome("build")
    builds = [([], PUBLIC), (["--base-url", server_url + SUBPATH, "--output", relative(SUBPATH_OUTPUT)],
                             SUBPATH_OUTPUT)]
    lines = []
    for options, folder in builds:
        command = [sys.executable, "-m", "generator", "build", *options]
        try:
            result = run(command, BUILD_SECONDS)
        except subprocess.TimeoutExpired:
            outcome.problems.append(f"{' '.join(command[1:])}: still running after {BUILD_SECONDS} s")
            outcome.errors += 1
            continue
        output = (result.stdout + result.stderr).strip().splitlines()
        last = output[-1] if output else "(no output)"
        if result.returncode != 0:
            outcome.problems += [f"{' '.join(command[2:])} exited {result.returncode}:", *output]
            outcome.errors += 1
        lines.append(f"{relative(folder)}/: {last}")
    outcome.summary = "; ".join(lines) if not outcome.errors else f"{outcome.errors} builds failed"
    return outcome


# ------------------------------------------------------------------------------------------- HTML


def installed_vnu_version() -> str | None:
    try:
        return json.loads((VNU_PACKAGE / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None


def ensure_vnu() -> str | None:
    """Install vnu-jar from npm into build/tools/ unless that version is there; return why not, or None."""
    if VNU_JAR.is_file() and installed_vnu_version() == VNU_VERSION:
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed, so the Nu Html Checker (vnu-jar) cannot be fetched: install Node.js and npm"
    print(f"check: installing vnu-jar {VNU_VERSION} (the Nu Html Checker) from npm into {relative(TOOLS_DIR)}/")
    TOOLS_DIR.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(TOOLS_DIR), "--no-audit", "--no-fund", "--loglevel=error",
               f"vnu-jar@{VNU_VERSION}"]
    try:
        result = run(command, INSTALL_SECONDS, env={**os.environ, "npm_config_update_notifier": "false"})
    except subprocess.TimeoutExpired:
        return f"npm install vnu-jar@{VNU_VERSION} was still running after {INSTALL_SECONDS} s"
    if result.returncode != 0 or not VNU_JAR.is_file():
        return f"npm install vnu-jar@{VNU_VERSION} failed:\n{(result.stdout + result.stderr).strip()}"
    return None


def accepted_reason(message: str) -> str | None:
    for pattern, reason in ACCEPTED_WARNINGS.items():
        if re.search(pattern, message):
            return reason
    return None


def run_vnu(command: list[str]) -> list[dict]:
    """Run the Nu Html Checker and return its messages; a failure to run is one message too."""
    try:
        result = run(command, VNU_SECONDS)
    except subprocess.TimeoutExpired:
        return [{"type": "non-document-error", "message": f"vnu was still running after {VNU_SECONDS} s"}]
    try:
        return json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        return [{"type": "non-document-error", "message": f"vnu gave no JSON report: {result.stderr.strip()}"}]


def source_line(file: Path, message: dict) -> int | None:
    """Return the line of a vnu message, found from its extract in the file: vnu 26.9.27 numbers stylesheet
    lines one too late. Of several places with that extract, the one nearest vnu's line wins."""
    reported = message.get("lastLine") or message.get("firstLine")
    extract = message.get("extract")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return reported
    if not extract or not extract.strip():
        return reported
    # vnu's CSS extracts end in newlines the file may not have.
    core = extract.strip()
    offset = message.get("hiliteStart", 0) - (len(extract) - len(extract.lstrip()))
    lines = []
    start = text.find(core)
    while start != -1:
        lines.append(text.count("\n", 0, start + max(offset, 0)) + 1)
        start = text.find(core, start + 1)
    if not lines:
        return reported
    return min(lines, key=lambda line: abs(line - (reported or line)))


def check_html(folders: list[Path]) -> Outcome:
    """Run the Nu Html Checker over every HTML page, then every stylesheet, of the folders."""
    outcome = Outcome("html")
    pages = sum(len(list(folder.rglob("*.html"))) for folder in folders)
    sheets = sum(len(list(folder.rglob("*.css"))) for folder in folders)
    problem = ensure_vnu()
    java = shutil.which("java")
    if problem is None and java is None:
        problem = "java is not installed; the Nu Html Checker needs Java 11 or newer (apt-get install default-jre-headless)"
    if problem:
        outcome.problems.append(f"error: {problem}")
        outcome.errors = 1
        outcome.summary = "1 error: the Nu Html Checker could not run"
        return outcome
    # Two passes: with --also-check-css, vnu 26.9.27 numbers HTML lines one too early.
    messages = []
    for only in ("--skip-non-html", "--skip-non-css"):
        messages += run_vnu([java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", only,
                             *[str(folder) for folder in folders]])
    for message in messages:
        kind = message.get("type")
        level = "warning" if kind == "info" and message.get("subType") == "warning" else (
            "error" if kind in ("error", "non-document-error") else None)
        if level is None:
            continue
        url = message.get("url", "")
        file = Path(unquote(url.removeprefix("file:"))) if url.startswith("file:") else None
        where = relative(file) if file else (url or "vnu")
        line = source_line(file, message) if file else None
        text = message.get("message", "").strip()
        extract = " ".join(message.get("extract", "").split())
        line_text = f"{where}:{line}" if line else where
        detail = f"{line_text}: {level}: {text}" + (f"  [{extract[:100]}]" if extract else "")
        if level == "warning":
            reason = accepted_reason(text)
            detail += f"  (accepted: {reason})" if reason else ""
            outcome.warnings += 1
        else:
            outcome.errors += 1
        outcome.problems.append(detail)
    outcome.summary = (f"{outcome.errors} errors, {outcome.warnings} warnings in {pages} pages and {sheets} "
                       f"stylesheets (Nu Html Checker {VNU_VERSION})")
    return outcome


# ----------------------------------------------------------------------------------- feeds, links


def check_feeds(sites: list[tuple[Path, str]]) -> Outcome:
    outcome = Outcome("feeds")
    results = [feedcheck.check_site(folder, url) for folder, url in sites]
    for result in results:
        outcome.problems += [str(problem) for problem in result.problems]
        outcome.errors += len(result.errors)
        outcome.warnings += len(result.warnings)
    merged = feedcheck.SiteResult([feed for result in results for feed in result.feeds],
                                  sum(result.items for result in results),
                                  [problem for result in results for problem in result.problems])
    outcome.summary = feedcheck.summary(merged) + " (feedcheck, standing in for the W3C validator)"
    return outcome


def check_links(server: linkcheck.SiteServer, base_url: str) -> Outcome:
    outcome = Outcome("links")
    result = linkcheck.LinkChecker(server, {base_url: "/"}).crawl()
    outcome.problems = [str(problem) for problem in result.problems]
    outcome.errors = len(result.errors)
    outcome.warnings = len(result.warnings)
    outcome.summary = linkcheck.summary(result)
    return outcome


def main() -> int:
    base_url = site_base_url()
    outcomes: list[Outcome] = []
    with linkcheck.SiteServer({"/": PUBLIC, SUBPATH: SUBPATH_OUTPUT}) as server:
        print(f"check: building public/ at {base_url} and {relative(SUBPATH_OUTPUT)}/ at {server.url}{SUBPATH}")
        outcomes.append(build_sites(server.url))
        if not outcomes[0].errors:
            outcomes.append(check_html([PUBLIC, SUBPATH_OUTPUT]))
            outcomes.append(check_feeds([(PUBLIC, base_url), (SUBPATH_OUTPUT, server.url + SUBPATH)]))
            outcomes.append(check_links(server, base_url))
    for outcome in outcomes:
        if outcome.problems:
            print(f"\n== {outcome.name} ==")
            print("\n".join(outcome.problems))
    print()
    for outcome in outcomes:
        print(f"check: {outcome.name:<6} {outcome.summary}")
    errors = sum(outcome.errors for outcome in outcomes)
    print(f"check: {'FAILED with ' + str(errors) + ' errors' if errors else 'passed'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
