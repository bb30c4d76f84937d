"""Live preview: build, serve the output folder on 127.0.0.1, rebuild when the content, layouts or
site.toml change, and reload the open pages.

The reload script and the error banner are added to served HTML responses only; the files on disk
stay exactly as built. watchdog lives here.
"""

from __future__ import annotations

import html
import http.server
import re
import secrets
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import build as build_stage
from . import cache as cache_stage
from . import pools
from .config import Config, load_config
from .ingest import BACKUP_NAME
from .report import BuildError, Report

EVENTS_PATH = "/__broadsheet/events"
DEBOUNCE_SECONDS = 0.3  # editors save in bursts (temporary file, rename, chmod): one rebuild for them all
KEEPALIVE_SECONDS = 15  # an idle event stream sends a comment this often, so dead tabs are noticed
BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
# Reloads the page when the server reports a build other than the one the page was served from.
RELOAD_SCRIPT = (
    '<script id="broadsheet-live-reload">(function () {{\n'
    '  var served = "{generation}";\n'
    '  var events = new EventSource("{path}");\n'
    '  events.addEventListener("build", function (event) {{\n'
    '    if (event.data !== served) {{ events.close(); window.location.reload(); }}\n'
    '  }});\n'
    '}}());</script>\n'
)
BANNER = (
    '<div id="broadsheet-preview-errors" role="alert" style="position:sticky;top:0;z-index:2147483647;'
    'margin:0;padding:0.75em 1em;background:#8b0000;color:#fff;font:14px/1.4 system-ui,sans-serif">'
    '<strong>Broadsheet preview: {count} error{plural} in the last rebuild; {shown}.</strong><pre style="margin:0.5em 0 0;white-space:pre-wrap;font:13px/1.4 monospace">'
    '{messages}</pre></div>\n'
)
NO_SITE_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Broadsheet preview</title>"
    "</head><body><p>Nothing is built yet. Fix the errors above; this page reloads by itself.</p>"
    "</body></html>\n"
)


@dataclass
class State:
    """What the server shows: the output folder, the build it holds, and the last rebuild's errors."""

    output_dir: Path
    generation: int = 0
    errors: tuple[str, ...] = ()
    stale: bool = False  # the last rebuild wrote nothing: the pages are from an earlier one
    stopping: bool = False
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    changed: threading.Condition = field(default_factory=threading.Condition)

    @property
    def build_id(self) -> str:
        # the token changes with every server, so a page from an earlier run reloads too
        return f"{self.token}-{self.generation}"


# --- Serving ---------------------------------------------------------------------------------


def inject(page: bytes, state: State) -> bytes:
    """Return an HTML page with the error banner (if any) after <body> and the reload script before </body>."""
    script = RELOAD_SCRIPT.format(generation=state.build_id, path=EVENTS_PATH).encode("utf-8")
    if state.errors:
        shown = "the pages are from the last good build" if state.stale else "the files with errors are left out"
        banner = BANNER.format(count=len(state.errors), plural="s" * (len(state.errors) != 1), shown=shown,
                               messages=html.escape("\n".join(state.errors))).encode("utf-8")
        opening = BODY_TAG.search(page)
        at = opening.end() if opening else 0
        page = page[:at] + banner + page[at:]
    closing = None
    for closing in BODY_END.finditer(page):
        pass
    at = closing.start() if closing else len(page)
    return page[:at] + script + page[at:]


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder; HTML responses get the reload script, /__broadsheet/events the builds."""

    state: State  # set on the subclass the server makes
    verbose: bool = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.state.output_dir), **kwargs)

    def end_headers(self) -> None:
        # a preview must never be cached: the next build changes every page
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:
            self.send_events()
            return
        if not self.send_page(head=False):
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self.send_page(head=True):
            super().do_HEAD()

    def send_page(self, *, head: bool) -> bool:
        """Send an HTML page with the script added; return False to let http.server send anything else."""
        path = urlsplit(self.path).path
        target = Path(self.translate_path(self.path))
        status = 200
        if target.is_dir():
            if not path.endswith("/"):
                return False  # http.server redirects to the folder's URL with a slash
            target = target / "index.html"
        if not target.exists():
            missing = Path(self.directory) / "404.html"
            if missing.is_file():
                target, status = missing, 404
            elif not Path(self.directory).is_dir():
                return self.send_html(NO_SITE_PAGE.encode("utf-8"), 503, head)
            else:
                return False
        if target.suffix.lower() not in (".html", ".htm") or not target.is_file():
            return False
        try:
            page = target.read_bytes()
        except OSError:
            return False  # swapped away by a rebuild this instant: http.server answers 404
        return self.send_html(page, status, head)

    def send_html(self, page: bytes, status: int, head: bool) -> bool:
        body = inject(page, self.state)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        return True

    def send_events(self) -> None:
        """Stream Server-Sent Events: the current build at once, then every new build, until closed."""
        state = self.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.close_connection = True
        sent = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                with state.changed:
                    state.changed.wait_for(lambda: state.stopping or state.build_id != sent,
                                           timeout=KEEPALIVE_SECONDS)
                    stopping, current = state.stopping, state.build_id
                if stopping:
                    return
                if current != sent:
                    self.wfile.write(f"event: build\ndata: {current}\n\n".encode("ascii"))
                    sent = current
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (ConnectionError, OSError):
            return  # the tab was closed

    def log_message(self, format: str, *args) -> None:
        if self.verbose:
            sys.stderr.write(f"info: {self.address_string()} {format % args}\n")


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


# --- Watching --------------------------------------------------------------------------------


class ChangeHandler(FileSystemEventHandler):
    """Tells the preview about changes that matter: not the output, hidden files or editor backups."""

    def __init__(self, preview: Preview):
        self.preview = preview

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(path and self.preview.matters(Path(str(path))) for path in paths):
            self.preview.note_change(str(event.src_path))


# --- The preview ---------------------------------------------------------------------------------


class Preview:
    """A build, a server and a watcher: start() builds once and serves, stop() ends all three."""

    def __init__(self, config: Config, *, port: int = 8000, bind: str = "127.0.0.1", verbosity: int = 0,
                 base_url: str | None = None, debounce: float = DEBOUNCE_SECONDS, stream=None,
                 cache_secret: bytes | None = None):
        self.config = config
        self.cache_secret = cache_secret  # None: build without the cache
        self.config_path = (config.path or config.root / "site.toml").absolute()
        self.build_time: datetime = config.build_time
        self.base_url = base_url
        self.port = port
        self.bind = bind
        self.verbosity = verbosity
        self.debounce = debounce
        self.stream = stream or sys.stderr
        self.state = State(config.output_dir.absolute())
        self.pending = threading.Event()
        self.stopped = threading.Event()
        self.server: PreviewServer | None = None
        self.observer: Observer | None = None
        self.watched: tuple[Path, ...] = ()
        self.threads: list[threading.Thread] = []

    # --- lifecycle

    def start(self) -> None:
        """Build once, then serve and watch; raise OSError when the port cannot be had."""
        handler = type("Handler", (PreviewHandler,), {"state": self.state, "verbose": self.verbosity > 0})
        server_class = PreviewServer6 if ":" in self.bind else PreviewServer
        self.server = server_class((self.bind, self.port), handler)
        self.port = self.server.server_address[1]
        self.rebuild(first=True)
        self.observer = Observer()
        self.watch(self.config)
        self.observer.start()
        for target, name in ((self.server.serve_forever, "broadsheet-server"),
                             (self.build_loop, "broadsheet-builder")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        """Stop watching, building and serving; open event streams are closed."""
        self.stopped.set()
        with self.state.changed:
            self.state.stopping = True
            self.state.changed.notify_all()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
        if self.server is not None:
            if self.threads:
                self.server.shutdown()
            self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)

    def wait(self) -> None:
        """Block until stop(); a Ctrl-C in the calling thread raises KeyboardInterrupt here."""
        while not self.stopped.wait(0.5):
            pass

    @property
    def url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}/"

    # --- watching

    def watch(self, config: Config) -> None:
        """Watch the content folder, the layouts (and theme) and site.toml of `config`."""
        folders = [config.content_dir, config.layouts_dir, getattr(config, "theme_dir", None)]
        wanted = tuple(dict.fromkeys(f.absolute() for f in folders if f is not None and f.is_dir()))
        if wanted == self.watched:
            return
        self.observer.unschedule_all()
        handler = ChangeHandler(self)
        for folder in wanted:
            self.observer.schedule(handler, str(folder), recursive=True)
        self.observer.schedule(handler, str(self.config_path.parent), recursive=False)
        self.watched = wanted

    def matters(self, path: Path) -> bool:
        """Return whether a change to `path` calls for a rebuild."""
        path = path.absolute()
        if path == self.config_path:
            return True
        if path.name.startswith(".") or BACKUP_NAME.search(path.name) or path.name.isdigit():
            return False  # hidden files, editor backups, and vim's write test file "4913"
        if path.is_relative_to(self.state.output_dir):
            return False
        return any(path == folder or path.is_relative_to(folder) for folder in self.watched)

    def note_change(self, path: str) -> None:
        if self.verbosity > 0:
            print(f"info: changed: {path}", file=self.stream, flush=True)
        self.pending.set()

    def build_loop(self) -> None:
        """Rebuild once per burst of changes: after `debounce` seconds without another one."""
        while not self.stopped.is_set():
            if not self.pending.wait(0.2):
                continue
            while self.pending.is_set():
                self.pending.clear()
                if self.stopped.wait(self.debounce):
                    return
            self.rebuild()

    # --- building

    def rebuild(self, *, first: bool = False) -> None:
        """Build the site, print the outcome, and tell the open pages; never raise."""
        started = time.perf_counter()
        report = Report()
        result = None
        try:
            config = load_config(self.config_path, self.build_time, base_url=self.base_url)
        except BuildError as error:
            config = None
            report.add(error)
        if config is not None:
            notes: list[str] = []
            cache = cache_stage.open_cache(config.root, self.cache_secret, notes) if self.cache_secret else None
            # Only the first build has the process to itself; forking beside the server's threads is unsafe.
            jobs = pools.default_jobs() if first else 1
            try:
                result = build_stage.build(config, report, keep_going=True, cache=cache, jobs=jobs, notes=notes)
            except BuildError as error:
                report.add(error)
            except Exception as exc:  # a bug: say so with its traceback, and keep the preview running
                traceback.print_exc(file=self.stream)
                report.error(f"internal error while building: {exc!r} (this is a bug in Broadsheet; "
                             "the traceback is in the terminal)")
            finally:
                if cache:
                    cache.close()
        errors = tuple(str(message) for message in report.errors)
        with self.state.changed:
            if config is not None:
                self.config = config
                self.state.output_dir = config.output_dir.absolute()
            self.state.errors = errors
            self.state.stale = result is None or not result.written
            self.state.generation += 1
            self.state.changed.notify_all()
        if config is not None and self.observer is not None:
            self.watch(config)
        self.print_outcome(report, result, time.perf_counter() - started, first)

    def print_outcome(self, report: Report, result, seconds: float, first: bool) -> None:
        stream = self.stream
        for message in report.errors:
            print(f"error: {message}", file=stream)
        if self.verbosity > 0:
            for message in report.warnings:
                print(f"warning: {message}", file=stream)
        if self.verbosity >= 0:
            what = "built" if first else "rebuilt"
            if result is not None and result.written:
                counts = (f"{result.pages} pages from {result.articles} articles in {result.stories} stories "
                          f"({len(report.errors)} errors, {len(report.warnings)} warnings)")
                print(f"{what} in {seconds:.2f} s: {counts}", file=stream)
            else:
                print(f"not {what}: {len(report.errors)} errors; serving the last good build "
                      "with the errors on every page", file=stream)
        stream.flush()


# --- The command -----------------------------------------------------------------------------


def run_serve(args, config: Config, environ: dict[str, str]) -> int:
    """`broadsheet serve`: build, serve and rebuild until Ctrl-C; 1 when the port cannot be had."""
    try:
        secret = cache_stage.secret_of(environ)
    except OSError as exc:
        print(f"note: build cache not used: cannot keep its key ({exc.strerror or exc})", file=sys.stderr)
        secret = None
    preview = Preview(config, port=args.port, bind=args.bind, verbosity=args.verbosity, cache_secret=secret)
    try:
        preview.start()
    except OSError as exc:
        preview.stop()
        print(f"error: cannot serve on {args.bind} port {args.port}: {exc.strerror or exc} "
              "(use --port with another number, or --port 0 for any free port)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # during the first build
        preview.stop()
        print("interrupted: stopped before serving", file=sys.stderr)
        return 130
    if args.bind not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {args.bind}: other machines on your network can see the preview",
              file=sys.stderr)
    watched = ", ".join(display(folder) for folder in (*preview.watched, preview.config_path))
    if args.verbosity >= 0:
        print(f"serving {display(preview.state.output_dir)} at {preview.url} (Ctrl-C to stop)", file=sys.stderr)
        print(f"watching {watched}", file=sys.stderr)
    sys.stderr.flush()
    try:
        preview.wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
    if args.verbosity >= 0:
        print("stopped", file=sys.stderr)
    return 0


def display(path: Path) -> str:
    """Return a path relative to the working folder when inside it, folders ending in "/"."""
    try:
        shown = path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = str(path)
    return shown + "/" if path.is_dir() else shown

