"""The site in a real browser: content/ built once with site.toml, served on 127.0.0.1 under its base
path (/broadsheet/, as a host would serve a project site), and read in Debian's headless Chromium.

`make e2e` sets CHROMIUM and AXE_JS; Playwright is only the driver and never downloads a browser.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from browsing import BUILD_TIME, CHROMIUM, DESKTOP, LAUNCH_ARGS, OUTPUT, ROOT, Site, SiteHandler
from generator import build
from generator.config import Config, load_config
from generator.report import Report


@pytest.fixture(scope="session")
def built() -> tuple[Config, dict]:
    config = load_config(ROOT / "site.toml", BUILD_TIME, output_dir=str(OUTPUT))
    report = Report()
    result = build.build(config, report)
    assert result.written and not report.errors, [str(message) for message in report.errors]
    data = json.loads((config.output_dir / "articles.json").read_text(encoding="utf-8"))
    return config, data


@pytest.fixture(scope="session")
def site(built) -> Iterator[Site]:
    config, data = built
    handler = type("Handler", (SiteHandler,), {"base_path": config.base_path})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(config.output_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(config, data, f"http://127.0.0.1:{server.server_address[1]}{config.base_path}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser) -> Iterator:
    """Return a function that opens a browser context (closed after the test) and a page in it.

    Uncaught script errors on any page fail the test.
    """
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_page(**options) -> Page:
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == []


@pytest.fixture
def page(open_context) -> Page:
    return open_context()
