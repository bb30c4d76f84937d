"""The command line: arguments to calls, the clock and environment read once, the report printed.

Exit status: 0 built; 1 the content had errors (or warnings, with --strict); 2 the command or the
settings were wrong.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

from . import build as build_stage
from .config import Config, load_config
from .report import BuildError, Report

DESCRIPTION = "Broadsheet turns a folder of articles and news clippings into a static news digest."
BUILD_EXAMPLES = """examples:
  broadsheet build                          build content/ into public/ using ./site.toml
  broadsheet build --strict                 fail on any warning (for CI)
  broadsheet build --base-url https://preview.example.org/pr-12/
  broadsheet build --content notes/ --output /tmp/site --config other.toml
"""


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
    parser = argparse.ArgumentParser(prog="broadsheet", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build the site", description="Build content/ into public/.",
                                epilog=BUILD_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--config", type=Path, default=Path("site.toml"), metavar="FILE",
                       help="the settings file (default: site.toml)")
    build.add_argument("--content", type=Path, metavar="DIR", help="the content folder (default: content/)")
    build.add_argument("--output", type=Path, metavar="DIR", help="the output folder (default: public/)")
    build.add_argument("--base-url", metavar="URL", help="override base_url from the settings (preview deploys)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--keep-going", action="store_true",
                       help="publish the site without the files that have errors")
    return parser


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


def print_report(report: Report, result: build_stage.BuildResult | None, strict: bool, stream) -> None:
    """Print the errors and warnings, sorted by file, then a one-line summary per warning kind."""
    for message in report.errors:
        print(f"error: {message}", file=stream)
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
    if result.written:
        print(f"built {counts}: {human_size(result.bytes_written)} in {result.seconds:.2f} s", file=stream)
    else:
        reason = "warnings with --strict" if strict and not report.errors else "errors"
        print(f"not built: {counts}; the previous output is untouched because of the {reason}", file=stream)


def run_build(args: argparse.Namespace, environ: dict[str, str]) -> int:
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
    try:
        result = build_stage.build(config, report, keep_going=args.keep_going, strict=args.strict)
    except BuildError as error:
        report.add(error)
        print_report(report, None, args.strict, sys.stderr)
        return 1
    print_report(report, result, args.strict, sys.stderr)
    if report.errors and not args.keep_going:
        return 1
    if args.strict and report.warnings:
        return 1
    return 0


def _with_folder(config: Config, name: str, folder: Path) -> Config:
    return dataclasses.replace(config, **{name: folder.absolute()})


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    environ = dict(os.environ) if environ is None else environ
    if args.command == "build":
        try:
            return run_build(args, environ)
        except KeyboardInterrupt:
            print("interrupted: the previous output is untouched", file=sys.stderr)
            return 130
    parser.print_help(sys.stderr)
    return 2
