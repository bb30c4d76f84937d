"""Screenshots of the digest, a story and an article at phone and desktop widths, light and dark, saved
under build/screenshots/ for people to look at."""

from __future__ import annotations

import struct

import pytest

from browsing import SCREENSHOTS, visit


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", ["digest", "story", "article"])
def test_screenshot(site, open_context, kind, width, scheme):
    page = open_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    visit(page, site.url(site.page_types()[kind]))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{kind}-{width}{'-dark' if scheme == 'dark' else ''}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    shot_width, shot_height = struct.unpack(">II", data[16:24])
    assert shot_width == width and shot_height >= 900
