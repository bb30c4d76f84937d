"""The site settings: `site.toml` read with tomllib, checked, and frozen into a Config.

Every other stage receives the Config; nothing else reads settings, files or the environment.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .report import BuildError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
BUILTIN_LAYOUTS = PACKAGE_ROOT / "layouts"

# Topics detected in article text when site.toml has no [topics] table: name -> signal phrases.
DEFAULT_TOPICS: dict[str, tuple[str, ...]] = {
    "Trade": ("trade", "tariff", "tariffs", "export controls", "trade war", "trade truce",
              "import", "imports", "exports", "trade deal"),
    "Taiwan": ("taiwan", "taipei", "taiwan strait"),
    "Ukraine": ("ukraine", "kyiv", "ukrainian"),
    "Russia": ("russia", "moscow", "kremlin", "putin"),
    "Fentanyl": ("fentanyl", "opioid", "opioids", "precursor chemicals"),
    "Agriculture": ("agriculture", "agricultural", "soybean", "soybeans", "soyabeans",
                    "farmers", "farm products", "farmland"),
    "Technology": ("technology", "tech", "semiconductor", "semiconductors", "chips",
                   "artificial intelligence", "tiktok", "rare earth", "rare earths"),
    "Energy": ("oil", "gas", "energy", "lng", "crude"),
    "Diplomacy": ("state visit", "summit", "foreign ministry", "ambassador", "diplomatic",
                  "phone call", "readout"),
    "Security": ("military", "arms sales", "weapons", "defense", "defence", "missile"),
    "Middle East": ("iran", "israel", "gaza", "tehran"),
    "Japan": ("japan", "tokyo", "japanese"),
}

KNOWN_KEYS = {
    "title", "description", "base_url", "language", "timezone", "feed_items", "author",
    "content_dir", "output_dir", "layouts_dir", "unsafe_html", "page_size",
    "boilerplate", "topics", "stories", "theme",
}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class StorySettings:
    """How articles are grouped into stories (see the README's "Stories" section)."""

    threshold: float = 0.12  # similarity at or above which two articles cover one event
    window_days: int = 4  # articles further apart than this never share a story


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a build needs to know besides the content itself."""

    title: str
    base_url: str  # absolute, always ends with "/"
    build_time: datetime  # aware; SOURCE_DATE_EPOCH or the clock, read once by the CLI
    root: Path = Path(".")  # the folder of site.toml; relative paths start here
    path: Path | None = None  # site.toml itself, for messages
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""
    feed_items: int = 50
    page_size: int = 20
    content_dir: Path = Path("content")
    output_dir: Path = Path("public")
    layouts_dir: Path = BUILTIN_LAYOUTS
    theme_dir: Path | None = None  # a theme's layouts: after the site's own, before the built-in ones
    unsafe_html: bool = False
    boilerplate: tuple[str, ...] = ()  # extra line patterns (regular expressions) to drop
    topics: tuple[tuple[str, tuple[str, ...]], ...] = tuple(DEFAULT_TOPICS.items())
    stories: StorySettings = field(default_factory=StorySettings)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of the base URL: "/" or "/sub/path/"."""
        return urlsplit(self.base_url).path or "/"

    def absolute_url(self, path: str) -> str:
        """Return the absolute URL of a site-relative path such as "2025/11/24/slug/"."""
        return self.base_url + path.lstrip("/")


def find_key_line(text: str, key: str) -> int | None:
    """Return the line of site.toml that sets `key`, for messages."""
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_config(path: Path, build_time: datetime, **overrides: object) -> Config:
    """Read site.toml at `path` and return the checked Config; raise BuildError if it is wrong."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BuildError("settings file not found (expected a site.toml; see README)", shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot read settings: {exc}", shown) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise BuildError(f"not valid TOML: {exc}", shown, int(line.group(1)) if line else None) from exc
    raw.update({key: value for key, value in overrides.items() if value is not None})
    return check_settings(raw, text, path, build_time)


def check_settings(raw: dict, text: str, path: Path, build_time: datetime) -> Config:
    """Validate the parsed TOML table and turn it into a Config."""
    shown = str(path)

    def fail(key: str, message: str) -> BuildError:
        return BuildError(message, shown, find_key_line(text, key))

    def get(key: str, kind: type | tuple[type, ...], default: object) -> object:
        value = raw.get(key, default)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise fail(key, f"'{key}' is {value!r}; expected a {expected}")
        return value

    unknown = sorted(set(raw) - KNOWN_KEYS)
    if unknown:
        raise fail(unknown[0], f"unknown setting '{unknown[0]}' (known: {', '.join(sorted(KNOWN_KEYS))})")
    for required in ("title", "base_url"):
        if required not in raw:
            raise BuildError(f"missing setting '{required}'", shown)

    title = get("title", str, "").strip()
    if not title:
        raise fail("title", "'title' is empty; expected the site's name")
    base_url = get("base_url", str, "").strip()
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise fail("base_url", f"'base_url' is {base_url!r}; expected an absolute http(s) URL "
                               "such as https://example.org/ or https://user.github.io/project/")
    if not base_url.endswith("/"):
        base_url += "/"

    language = get("language", str, "en")
    if not LANGUAGE_TAG.match(language):
        raise fail("language", f"'language' is {language!r}; expected a language tag such as en or en-GB")
    timezone = get("timezone", str, "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", f"'timezone' is {timezone!r}; expected an IANA zone such as UTC or "
                               "Europe/London") from None
    feed_items = get("feed_items", int, 50)
    page_size = get("page_size", int, 20)
    for key, number in (("feed_items", feed_items), ("page_size", page_size)):
        if number < 1:
            raise fail(key, f"'{key}' is {number}; expected a whole number of 1 or more")

    boilerplate = tuple(get("boilerplate", list, []))
    for pattern in boilerplate:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise fail("boilerplate", f"boilerplate pattern {pattern!r} is not a regular expression: {exc}") from None

    topics_table = get("topics", dict, {})
    topics = tuple(DEFAULT_TOPICS.items()) if not topics_table else tuple(
        (name, tuple(check_phrases(name, phrases, fail))) for name, phrases in topics_table.items())

    stories_table = get("stories", dict, {})
    stories = check_story_settings(stories_table, fail)

    root = path.resolve().parent
    theme = get("theme", str, "").strip()
    theme_dir = root / theme if theme else None
    if theme_dir is not None and not theme_dir.is_dir():
        raise fail("theme", f"'theme' is {theme!r}, which is not a folder; expected a folder of layouts, "
                            "relative to site.toml")
    return Config(
        title=title,
        base_url=base_url,
        build_time=build_time,
        root=root,
        path=path,
        description=get("description", str, "").strip(),
        language=language,
        timezone=timezone,
        author=get("author", str, "").strip(),
        feed_items=feed_items,
        page_size=page_size,
        content_dir=root / get("content_dir", str, "content"),
        output_dir=root / get("output_dir", str, "public"),
        layouts_dir=root / get("layouts_dir", str, "layouts"),
        theme_dir=theme_dir,
        unsafe_html=get("unsafe_html", bool, False),
        boilerplate=boilerplate,
        topics=topics,
        stories=stories,
    )


def check_phrases(name: str, phrases: object, fail) -> list[str]:
    """Return the signal phrases of topic `name`, checked to be a list of strings."""
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise fail(name, f"topic '{name}' is {phrases!r}; expected a list of words or phrases")
    return [phrase.strip().lower() for phrase in phrases]


def check_story_settings(table: dict, fail) -> StorySettings:
    """Return the [stories] settings, checked."""
    unknown = sorted(set(table) - {"threshold", "window_days"})
    if unknown:
        raise fail(unknown[0], f"unknown [stories] setting '{unknown[0]}' (known: threshold, window_days)")
    defaults = StorySettings()
    threshold = table.get("threshold", defaults.threshold)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise fail("threshold", f"'threshold' is {threshold!r}; expected a number between 0 and 1")
    window = table.get("window_days", defaults.window_days)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise fail("window_days", f"'window_days' is {window!r}; expected a whole number of days, 0 or more")
    return StorySettings(threshold=float(threshold), window_days=window)
