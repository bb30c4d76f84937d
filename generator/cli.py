"""The command line: arguments to calls, the clock and environment read once, the report printed.

Exit status: 0 built; 1 the content had errors (or warnings, with --strict); 2 the command or the
settings were wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import os
import signal
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from . import build as build_stage
from . import cache as cache_stage
from . import checkup, intake, pools, serve, terminal
from .config import Config, load_config
from .report import BuildError, Report

DESCRIPTION = "Broadsheet turns a folder of articles and news clippings into a static news digest."
SERVE_HELP = ("Build the site, serve it at http://127.0.0.1:8000/, rebuild when content/, layouts/ or site.toml "
              "change, and reload open pages. Errors are printed and shown on the pages; Ctrl-C stops.")
SERVE_EXAMPLES = """examples:
  broadsheet serve                          preview at http://127.0.0.1:8000/
  broadsheet serve --port 0                 any free port (the address is printed)
  broadsheet serve -v --config other.toml   also log requests and changed files
"""
NEW_HELP = ("Write content/YYYY-MM-DD-slug.md with the title, date (now, in the site's timezone) and source "
            "filled in, and print its path. An existing file is never overwritten (exit 1).")
NEW_EXAMPLES = """examples:
  broadsheet new "Rates held at 4%"
  broadsheet new "Rates held at 4%" --source Reuters --date 2025-11-24
  $EDITOR "$(broadsheet new -q 'Rates held at 4%')"
"""
CLIP_HELP = ("Read a clipping pasted on standard input (or --from FILE) as a build would, save it unchanged "
             "under the front matter it found (content/YYYY-MM-DD-slug.txt), and print what it found.")
CLIP_EXAMPLES = """examples:
  broadsheet clip                           paste, then Ctrl-D
  pbpaste | broadsheet clip --source "Financial Times"
  broadsheet clip --from ~/Downloads/article.txt
"""
CHECK_HELP = ("Read all content as a build would, write nothing, and report per file: guessed and missing "
              "fields, lines dropped as site noise, likely duplicates, story grouping and suspicious dates. "
              "Exit 1 on errors, or on warnings with --strict.")
CHECK_EXAMPLES = """examples:
  broadsheet check                          read the report in the terminal
  broadsheet check -v                       also show where every field came from
  broadsheet check --strict                 fail on any warning (for CI)
  broadsheet check --format json | jq '.files[] | select(.inferred != [])'
"""
BUILD_EXAMPLES = """examples:
  broadsheet build                          build content/ into public/ using ./site.toml
  broadsheet build --strict                 fail on any warning (for CI)
  broadsheet build --base-url https://preview.example.org/pr-12/
  broadsheet build --content notes/ --output /tmp/site --config other.toml
"""


GC_THRESHOLDS = (50_000, 20, 50)  # allocations before a young collection; young and middle collections before older


def build_time_from_environment(environ: dict[str, str]) -> datetime:
    """Return SOURCE_DATE_EPOCH as an aware datetime when set (reproducible builds), else now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise BuildError(f"SOURCE_DATE_EPOCH is {epoch!r}; expected a whole number of seconds") from None
    return datetime.now(timezone.utc).replace(microsecond=0)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="broadsheet", description=DESCRIPTION,
                                     parents=[verbosity_options(0)])
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build the site", description="Build content/ into public/.",
                                epilog=BUILD_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
                                parents=[verbosity_options()])
    build.add_argument("--config", type=Path, default=Path("site.toml"), metavar="FILE",
                       help="the settings file (default: site.toml)")
    build.add_argument("--content", type=Path, metavar="DIR", help="the content folder (default: content/)")
    build.add_argument("--output", type=Path, metavar="DIR", help="the output folder (default: public/)")
    build.add_argument("--base-url", metavar="URL", help="override base_url from the settings (preview deploys)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--keep-going", action="store_true",
                       help="publish the site without the files that have errors")
    build.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                       help="processes to build with (default: one per core)")
    build.add_argument("--no-cache", action="store_true",
                       help="ignore the build cache in .cache/ and leave it as it is")
    add_editor_commands(commands)
    return parser


def positive_int(text: str) -> int:
    """Parse a whole number of at least 1, for --jobs."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return number


def verbosity_options(default: object = argparse.SUPPRESS) -> argparse.ArgumentParser:
    """Return the -q/-v options every command takes (a subcommand's own default must not undo `broadsheet -q`)."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1, default=default,
                       help="print errors only")
    group.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=1, default=default,
                       help="also print information lines")
    return options


def add_editor_commands(commands) -> None:
    """Add serve, new, clip and check: the editor's commands (generator/serve.py, intake.py, checkup.py)."""
    def command(name: str, summary: str, description: str, examples: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=textwrap.fill(description, 78), epilog=examples,
                                  formatter_class=argparse.RawDescriptionHelpFormatter,
                                  parents=[verbosity_options()])
        sub.add_argument("--config", type=Path, default=Path("site.toml"), metavar="FILE",
                         help="the settings file (default: site.toml)")
        return sub

    sub = command("serve", "build, preview on 127.0.0.1 and rebuild on every change", SERVE_HELP, SERVE_EXAMPLES)
    sub.add_argument("--port", type=int, default=8000, metavar="N", help="the port (default: 8000; 0: any free port)")
    sub.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                     help="the address to listen on (default: 127.0.0.1, this machine only)")
    sub = command("new", "start a new article file", NEW_HELP, NEW_EXAMPLES)
    sub.add_argument("title", metavar="HEADLINE", help="the article's headline")
    sub.add_argument("--source", metavar="OUTLET", help="the outlet that published it")
    sub.add_argument("--date", metavar="DATE", help="its date (default: now, in the site's timezone)")
    sub = command("clip", "save a pasted clipping as a new content file", CLIP_HELP, CLIP_EXAMPLES)
    sub.add_argument("--source", metavar="OUTLET", help="the outlet that published it, if the text does not say")
    sub.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                     help="read the clipping from FILE instead of standard input")
    sub = command("check", "report on the content without building", CHECK_HELP, CHECK_EXAMPLES)
    sub.add_argument("--format", choices=("text", "json"), default="text",
                     help="text for people (default), json for scripts (see docs/commands.md)")
    sub.add_argument("--strict", action="store_true", help="exit 1 on any warning too (for CI)")


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


def print_report(report: Report, result: build_stage.BuildResult | None, strict: bool, stream,
                 verbosity: int = 0) -> None:
    """Print the errors and warnings, sorted by file, then a one-line summary per warning kind;
    quiet (verbosity -1): the errors, and why nothing was built."""
    for message in report.errors:
        print(f"error: {message}", file=stream)
    if verbosity < 0:
        if result is not None and not result.written and not report.errors:
            print("not built: warnings with --strict", file=stream)
        return
    for message in report.warnings:
        print(f"warning: {message}", file=stream)
    kinds = report.warning_kinds()
    if kinds:
        print("warnings: " + ", ".join(f"{count} {kind}" for kind, count in kinds), file=stream)
    if report.skipped:
        print(f"skipped {len(report.skipped)} draft(s): {', '.join(sorted(report.skipped))}", file=stream)
    if result is None:
        return
    counts = (f"{result.pages} pages from {result.articles} articles in {result.stories} stories "
              f"({len(report.errors)} errors, {len(report.warnings)} warnings)")
    for note in result.notes:
        print(f"note: {note}", file=stream)
    if result.written:
        kept = result.pages - result.pages_written
        unchanged = f", {kept} unchanged" if kept else ""
        print(f"built {counts}: {result.pages_written} written ({human_size(result.bytes_written)}){unchanged} "
              f"in {result.seconds:.2f} s", file=stream)
    else:
        reason = "warnings with --strict" if strict and not report.errors else "errors"
        print(f"not built: {counts}; the previous output is untouched because of the {reason}", file=stream)


def run_build(args: argparse.Namespace, environ: dict[str, str]) -> int:
    # A build makes millions of objects that live until it ends, and few reference cycles: with the
    # default thresholds the collector would scan them over and over.
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return build_command(args, environ)
    finally:
        gc.set_threshold(*thresholds)


def build_command(args: argparse.Namespace, environ: dict[str, str]) -> int:
    report = Report()
    try:
        config = load_config(args.config, build_time_from_environment(environ), base_url=args.base_url)
        if args.content:
            config = _with_folder(config, "content_dir", args.content)
        if args.output:
            config = _with_folder(config, "output_dir", args.output)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.verbosity > 0:
        print(f"info: building {config.content_dir} into {config.output_dir} for {config.base_url}",
              file=sys.stderr)
    notes: list[str] = []
    cache = None
    try:
        build_stage.check_output(config)  # before the cache folder is made beside it
        cache = None if args.no_cache else open_build_cache(config, environ, notes)
        watched = args.verbosity >= 0 and terminal.watched(sys.stderr, environ)
        with terminal.progress_bar(sys.stderr, enabled=watched) as progress:
            result = build_stage.build(config, report, keep_going=args.keep_going, strict=args.strict, cache=cache,
                                       jobs=args.jobs or pools.default_jobs(), progress=progress, notes=notes)
    except BuildError as error:
        report.add(error)
        print_report(report, None, args.strict, sys.stderr, args.verbosity)
        return 1
    finally:
        if cache:
            cache.close()
    print_report(report, result, args.strict, sys.stderr, args.verbosity)
    if report.errors and (not args.keep_going or not result.written):  # --keep-going that built nothing failed
        return 1
    if args.strict and report.warnings:
        return 1
    return 0


def open_build_cache(config: Config, environ: dict[str, str], notes: list[str]) -> cache_stage.BuildCache | None:
    """Open the site's build cache, its values signed with this user's key (see cache.secret_of)."""
    try:
        secret = cache_stage.secret_of(environ)
    except OSError as exc:
        notes.append(f"build cache not used: cannot keep its key ({exc.strerror or exc}); "
                     "set BROADSHEET_CACHE_SECRET or XDG_CACHE_HOME")
        return None
    return cache_stage.open_cache(config.root, secret, notes)


def _with_folder(config: Config, name: str, folder: Path) -> Config:
    return dataclasses.replace(config, **{name: folder.absolute()})


EDITOR_COMMANDS = {"serve": serve.run_serve, "new": intake.run_new, "clip": intake.run_clip,
                   "check": checkup.run_check}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every clean-up on the way out runs."""


def raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


@contextlib.contextmanager
def terminate_like_interrupt() -> Iterator[None]:
    """Make SIGTERM unwind the program like Ctrl-C while the block runs: by default it kills the
    process on the spot, leaving a half-written temporary folder beside the output."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers, and only it runs them
        return
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    environ = dict(os.environ) if environ is None else environ
    if args.command == "build":
        try:
            with terminate_like_interrupt():
                return run_build(args, environ)
        except Terminated:
            print("terminated: the previous output is untouched", file=sys.stderr)
            return 128 + signal.SIGTERM
        except KeyboardInterrupt:
            print("interrupted: the previous output is untouched", file=sys.stderr)
            return 128 + signal.SIGINT
    if args.command in EDITOR_COMMANDS:
        try:
            config = load_config(args.config, build_time_from_environment(environ))
        except BuildError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        try:
            return EDITOR_COMMANDS[args.command](args, config, environ)
        except KeyboardInterrupt:  # serve stops cleanly by itself; this is Ctrl-C in new, clip or check
            print("interrupted", file=sys.stderr)
            return 130
    parser.print_help(sys.stderr)
    return 2
