"""Helpers of the browser tests: the built site and where it is served, the server's handler, page visits."""

from __future__ import annotations

import dataclasses
import http.server
import os
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

from playwright.sync_api import Page

from generator.config import Config
from generator.topics import topic_slug

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "build" / "e2e" / "public"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("AXE_JS", ROOT / "build/tools/axe-core-4.14.1/node_modules/axe-core/axe.min.js"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]
BUILD_TIME = datetime(2026, 3, 1, tzinfo=timezone.utc)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclasses.dataclass(frozen=True)
class Site:
    """The built site, its settings, its articles.json, and where the local server serves it."""

    config: Config
    data: dict
    base: str  # http://127.0.0.1:PORT/broadsheet/

    def url(self, path: str = "") -> str:
        return self.base + path

    def local(self, absolute: str) -> str:
        """Return the local URL of a page named by its absolute (base_url) URL."""
        return self.base + absolute.removeprefix(self.config.base_url)

    @property
    def main_story(self) -> dict:
        """The story with the most coverage."""
        return max(self.data["stories"], key=lambda story: len(story["articles"]))

    def article(self, article_id: str) -> dict:
        return next(article for article in self.data["articles"] if article["id"] == article_id)

    @property
    def main_article(self) -> dict:
        """The main story's article that names its outlet (else its first)."""
        members = [self.article(article_id) for article_id in self.main_story["articles"]]
        return next((article for article in members if article["source"]), members[0])

    def page_types(self) -> dict[str, str]:
        """One path of every kind of page, relative to the base."""
        story = self.main_story
        month = story["date"][:7].replace("-", "/")
        return {
            "digest": "",
            "story": story["url"].removeprefix(self.config.base_url),
            "article": self.main_article["path"],
            "topic": f"topics/{topic_slug(story['topics'][0])}/",
            "topics": "topics/",
            "archive": "archive/",
            "archive-month": f"archive/{month}/",
            "404": "no/such/page/",
            "search": "search/?q=fentanyl",
        }


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder under the base path only, and 404.html for anything missing."""

    base_path = "/"

    def translate_path(self, path: str) -> str:
        path = urllib.parse.urlsplit(path).path
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / "-outside-the-base-path-")
        return super().translate_path("/" + path[len(self.base_path):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass


def visit(page: Page, url: str, status: int = 200) -> Page:
    """Go to `url`, check the status it answers with, and return the page."""
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    return page


def local_path(url: str) -> str:
    return urllib.parse.urlsplit(url).path
