"""site.toml: defaults, checks and the exact messages for bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import DEFAULT_TOPICS, load_config
from generator.report import BuildError

from conftest import BUILD_TIME


def load(tmp_path: Path, text: str, **overrides):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, BUILD_TIME, **overrides)


def error(tmp_path: Path, text: str) -> str:
    with pytest.raises(BuildError) as caught:
        load(tmp_path, text)
    return str(caught.value).replace(str(tmp_path / "site.toml"), "site.toml")


MINIMAL = 'title = "Digest"\nbase_url = "https://example.org/sub"\n'


def test_minimal_settings_get_defaults(tmp_path):
    config = load(tmp_path, MINIMAL)
    assert config.base_url == "https://example.org/sub/"
    assert config.base_path == "/sub/"
    assert (config.language, config.timezone, config.feed_items, config.page_size) == ("en", "UTC", 50, 20)
    assert config.content_dir == tmp_path / "content"
    assert config.output_dir == tmp_path / "public"
    assert config.unsafe_html is False
    assert dict(config.topics) == DEFAULT_TOPICS


def test_absolute_url_joins_the_base_path(tmp_path):
    config = load(tmp_path, MINIMAL)
    assert config.absolute_url("2025/11/24/slug/") == "https://example.org/sub/2025/11/24/slug/"
    assert config.absolute_url("/feed.xml") == "https://example.org/sub/feed.xml"


def test_base_url_override_wins(tmp_path):
    config = load(tmp_path, MINIMAL, base_url="https://preview.example.net/pr-7")
    assert config.base_url == "https://preview.example.net/pr-7/"


def test_missing_title(tmp_path):
    assert error(tmp_path, 'base_url = "https://example.org/"\n') == "site.toml: missing setting 'title'"


def test_relative_base_url_is_refused_on_its_line(tmp_path):
    assert error(tmp_path, 'title = "D"\nbase_url = "/blog/"\n') == (
        "site.toml:2: 'base_url' is '/blog/'; expected an absolute http(s) URL such as "
        "https://example.org/ or https://user.github.io/project/")


def test_unknown_timezone(tmp_path):
    assert error(tmp_path, MINIMAL + 'timezone = "Mars/Olympus"\n') == (
        "site.toml:3: 'timezone' is 'Mars/Olympus'; expected an IANA zone such as UTC or Europe/London")


def test_wrong_type(tmp_path):
    assert error(tmp_path, MINIMAL + 'feed_items = "ten"\n') == "site.toml:3: 'feed_items' is 'ten'; expected a int"


def test_bool_is_not_a_number(tmp_path):
    assert error(tmp_path, MINIMAL + "page_size = true\n") == "site.toml:3: 'page_size' is True; expected a int"


def test_unknown_key_is_an_error_naming_the_known_ones(tmp_path):
    message = error(tmp_path, MINIMAL + "colour = 1\n")
    assert message.startswith("site.toml:3: unknown setting 'colour' (known: author, base_url, ")


def test_invalid_toml_names_the_line(tmp_path):
    assert error(tmp_path, MINIMAL + "title = \n").startswith("site.toml:3: not valid TOML: ")


def test_missing_file(tmp_path):
    with pytest.raises(BuildError) as caught:
        load_config(tmp_path / "nope.toml", BUILD_TIME)
    assert str(caught.value).endswith("nope.toml: settings file not found (expected a site.toml; see README)")


def test_topic_map_replaces_the_default(tmp_path):
    config = load(tmp_path, MINIMAL + '[topics]\n"Rates" = ["interest rate", "Rate Cut"]\n')
    assert config.topics == (("Rates", ("interest rate", "rate cut")),)


def test_bad_boilerplate_pattern(tmp_path):
    message = error(tmp_path, MINIMAL + 'boilerplate = ["(unclosed"]\n')
    assert message.startswith("site.toml:3: boilerplate pattern '(unclosed' is not a regular expression")


def test_story_settings(tmp_path):
    config = load(tmp_path, MINIMAL + "[stories]\nthreshold = 0.5\nwindow_days = 2\n")
    assert (config.stories.threshold, config.stories.window_days) == (0.5, 2)
    assert error(tmp_path, MINIMAL + "[stories]\nthreshold = 2\n") == (
        "site.toml:4: 'threshold' is 2; expected a number between 0 and 1")


def test_theme_is_a_folder_beside_site_toml(tmp_path):
    (tmp_path / "themes" / "paper").mkdir(parents=True)
    assert load(tmp_path, MINIMAL + 'theme = "themes/paper"\n').theme_dir == tmp_path / "themes" / "paper"
    assert load(tmp_path, MINIMAL).theme_dir is None


def test_missing_theme_folder_is_refused_on_its_line(tmp_path):
    assert error(tmp_path, MINIMAL + 'theme = "themes/none"\n') == (
        "site.toml:3: 'theme' is 'themes/none', which is not a folder; expected a folder of layouts, "
        "relative to site.toml")
