"""The live preview: real HTTP on 127.0.0.1 (a free port each time), real file changes, bounded waits."""

from __future__ import annotations

import http.client
import io
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import serve
from generator.cli import main
from generator.config import load_config
from generator.serve import EVENTS_PATH, Preview, State, inject

from conftest import BUILD_TIME

ROOT = Path(__file__).resolve().parent.parent
SITE = 'title = "Digest"\nbase_url = "https://example.org/"\n'
RATES = "---\ntitle: Rates held\ndate: 2025-03-01\n---\nThe bank held rates at 4%.\n"
WAIT = 20  # seconds: the longest any step may take before the test fails


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "site.toml").write_text(SITE, encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "2025-03-01-rates.md").write_text(RATES, encoding="utf-8")
    return tmp_path


@pytest.fixture
def preview(project: Path):
    """A running preview of `project` on a free port; always stopped."""
    config = load_config(project / "site.toml", BUILD_TIME)
    running = Preview(config, port=0, debounce=0.05, stream=io.StringIO())
    try:
        running.start()
        yield running
    finally:
        running.stop()


def get(preview: Preview, path: str) -> tuple[int, str, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=WAIT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8"), dict(response.getheaders())
    finally:
        connection.close()


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {WAIT} s waiting for {what}")
        time.sleep(0.05)


class EventStream:
    """A client of /__broadsheet/events, as a browser tab's EventSource is."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request("GET", EVENTS_PATH)
        self.response = self.connection.getresponse()

    def next_build(self) -> str:
        """Return the data of the next `build` event (the socket timeout bounds the wait)."""
        event = None
        while True:
            line = self.response.readline().decode("utf-8")
            if not line:
                pytest.fail("the event stream closed")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[len("event: "):]
            elif line.startswith("data: ") and event == "build":
                return line[len("data: "):]

    def close(self) -> None:
        self.response.close()
        self.connection.close()


def test_pages_are_served_with_the_reload_script_and_files_on_disk_are_untouched(preview, project):
    status, page, headers = get(preview, "/2025/03/01/rates/")
    assert status == 200
    assert "Rates held" in page
    assert 'id="broadsheet-live-reload"' in page
    assert page.index("broadsheet-live-reload") < page.rindex("</body>")
    assert headers["Cache-Control"] == "no-store"
    assert int(headers["Content-Length"]) == len(page.encode("utf-8"))
    on_disk = (project / "public" / "2025/03/01/rates/index.html").read_text(encoding="utf-8")
    assert "Rates held" in on_disk
    assert "__broadsheet" not in on_disk
    assert "broadsheet-live-reload" not in (project / "public" / "index.html").read_text(encoding="utf-8")


def test_other_files_are_served_as_they_are(preview, project):
    status, body, headers = get(preview, "/articles.json")
    assert status == 200
    assert body == (project / "public" / "articles.json").read_text(encoding="utf-8")
    assert "broadsheet-live-reload" not in body


def test_a_missing_page_gets_the_sites_404_page_with_the_script(preview):
    status, page, _ = get(preview, "/no/such/page/")
    assert status == 404
    assert "broadsheet-live-reload" in page


def test_the_server_listens_on_loopback_only_by_default(preview):
    assert preview.server.server_address[0] == "127.0.0.1"
    assert preview.url == f"http://127.0.0.1:{preview.port}/"


def test_a_changed_file_is_rebuilt_and_open_pages_are_told(preview, project):
    stream = EventStream(preview.port)
    try:
        first = stream.next_build()
        article = project / "content" / "2025-03-01-rates.md"
        article.write_text(RATES.replace("Rates held", "Rates cut to 3%"), encoding="utf-8")
        second = stream.next_build()
    finally:
        stream.close()
    assert second != first
    # an editor's save may come as several events; the page shows the title once the last one is built
    wait_until(lambda: "Rates cut to 3%" in get(preview, "/2025/03/01/rates/")[1], "the new title")
    status, page, _ = get(preview, "/2025/03/01/rates/")
    assert status == 200
    assert "Rates held" not in page
    assert f'var served = "{preview.state.build_id}"' in page


def test_a_new_file_appears_on_the_front_page(preview, project):
    generation = preview.state.generation
    (project / "content" / "2025-03-02-jobs.md").write_text(
        "---\ntitle: Jobs report beats forecasts\ndate: 2025-03-02\n---\nPayrolls rose.\n", encoding="utf-8")
    wait_until(lambda: preview.state.generation > generation, "a rebuild")
    assert "Jobs report beats forecasts" in get(preview, "/")[1]


def test_editor_backups_and_the_output_folder_do_not_trigger_rebuilds(preview, project):
    assert not preview.matters(project / "content" / "rates.md~")
    assert not preview.matters(project / "content" / ".rates.md.swp")
    assert not preview.matters(project / "content" / "4913")
    assert not preview.matters(project / "public" / "index.html")
    assert not preview.matters(project / "README.md")
    assert preview.matters(project / "content" / "new.md")
    assert preview.matters(project / "site.toml")


def test_a_broken_file_shows_a_banner_and_the_server_keeps_serving(preview, project):
    generation = preview.state.generation
    broken = project / "content" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    wait_until(lambda: preview.state.generation > generation, "the rebuild after the broken file")
    status, page, _ = get(preview, "/")
    assert status == 200
    assert 'id="broadsheet-preview-errors"' in page
    assert "broken.md:3: front matter is not valid YAML" in page
    assert "1 error in the last rebuild; the files with errors are left out" in page
    assert "Rates held" in get(preview, "/2025/03/01/rates/")[1]  # the rest of the site is still there
    assert "error: broken.md:3: front matter is not valid YAML" in preview.stream.getvalue()

    generation = preview.state.generation
    broken.write_text("---\ntitle: Mended\ndate: 2025-03-03\n---\nBody\n", encoding="utf-8")
    wait_until(lambda: preview.state.generation > generation, "the rebuild after the fix")
    page = get(preview, "/")[1]
    assert "broadsheet-preview-errors" not in page
    assert "Mended" in page


def test_a_broken_site_toml_is_shown_and_the_last_site_stays(preview, project):
    generation = preview.state.generation
    (project / "site.toml").write_text('title = "Digest"\nbase_url = "nope"\n', encoding="utf-8")
    wait_until(lambda: preview.state.generation > generation, "the rebuild after site.toml changed")
    page = get(preview, "/2025/03/01/rates/")[1]
    assert "site.toml:2: &#x27;base_url&#x27; is &#x27;nope&#x27;" in page
    assert "the pages are from the last good build" in page
    assert "Rates held" in page


def test_the_banner_goes_after_body_and_escapes_the_messages():
    state = State(Path("."), generation=3, errors=("a.md:1: <b>bad</b>",), token="t")
    page = inject(b'<html><body class="x"><p>Hi</p></body></html>', state).decode("utf-8")
    assert page.startswith('<html><body class="x"><div id="broadsheet-preview-errors"')
    assert "a.md:1: &lt;b&gt;bad&lt;/b&gt;" in page
    assert page.endswith("</script>\n</body></html>")
    assert 'var served = "t-3"' in page


def test_a_page_without_a_body_tag_still_gets_the_script():
    page = inject(b"<p>fragment</p>", State(Path("."), token="t"))
    assert page.startswith(b"<p>fragment</p><script")


def test_a_taken_port_is_an_error_not_a_traceback(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)], environ={}) == 1
    err = capsys.readouterr().err
    assert f"error: cannot serve on 127.0.0.1 port {port}" in err
    assert "--port 0 for any free port" in err


def read_line_until(process: subprocess.Popen, text: str, lines: list[str]) -> str:
    """Return the first stderr line containing `text`, waiting at most WAIT seconds."""
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + WAIT
    try:
        while time.monotonic() < deadline:
            if selector.select(timeout=0.2):
                line = process.stderr.readline()
                if not line:
                    break
                lines.append(line)
                if text in line:
                    return line
    finally:
        selector.close()
    pytest.fail(f"no line with {text!r} on stderr: {''.join(lines)}")


def test_serve_command_serves_and_stops_cleanly_on_ctrl_c(project):
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
    environ.pop("CI", None)
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0"], cwd=project,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=environ)
    lines: list[str] = []
    try:
        serving = read_line_until(process, "serving ", lines)
        port = int(serving.split("http://127.0.0.1:")[1].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        try:
            connection.request("GET", "/2025/03/01/rates/")
            response = connection.getresponse()
            assert response.status == 200
            assert b"Rates held" in response.read()
        finally:
            connection.close()
        process.send_signal(signal.SIGINT)
        try:
            status = process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:  # faulthandler shows where each thread waits
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=WAIT)
            pytest.fail(f"serve still running {WAIT} s after Ctrl-C:\n{''.join(lines)}{process.stderr.read()[-8000:]}")
        assert status == 0
        rest = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    output = "".join(lines) + rest
    assert output.startswith("built in ")
    assert "Traceback" not in output
    assert output.rstrip().endswith("stopped")


def test_serve_module_names_what_it_watches(preview, project):
    assert preview.watched == ((project / "content").absolute(),)
    assert serve.display(project / "content").endswith("content/")
