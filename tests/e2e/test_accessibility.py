"""axe-core in Chromium: no violation on any kind of page, in the light and the dark scheme."""

from __future__ import annotations

import pytest

from browsing import AXE_JS, visit

KINDS = ["digest", "story", "article", "topic", "topics", "archive", "archive-month", "404", "search"]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at " + ", ".join(str(n["target"]) for n in v["nodes"])
                     for v in violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_page_has_no_axe_violations(site, open_context, kind, scheme):
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: `make e2e` installs axe-core from npm"
    page = open_context(color_scheme=scheme)
    visit(page, site.url(site.page_types()[kind]), 404 if kind == "404" else 200)
    if kind == "search":
        page.locator("#search-results .result").first.wait_for()
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    print(f"{kind} ({scheme}): {len(result['passes'])} rules passed, {len(result['violations'])} violations")
    assert result["violations"] == [], describe(result["violations"])
