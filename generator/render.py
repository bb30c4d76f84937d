"""Model to HTML pages: the Jinja environment, its filters, and one function per page type.

Templates receive model objects. Autoescaping is on and StrictUndefined catches typos; only the
sanitised output of markup is marked safe. Links between pages are relative, so a built site works
under any base path and from a plain folder.
"""

from __future__ import annotations

import functools
import hashlib
import html
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from pathlib import Path, PurePosixPath

import jinja2
from markupsafe import Markup, escape

from . import dates, metadata, topics
from .config import BUILTIN_LAYOUTS, Config
from .model import Article, Page, Story
from .report import BuildError

ASSETS = ("style.css", "search.js", "favicon.svg")  # fingerprinted: pages link them, so their names may change
FIXED_ASSETS = ("feed.xsl",)  # named inside the feeds; their URLs must not change
SIDEBAR_TOPICS = 12  # topics a sidebar lists; the topic index has them all
LINK_START, LINK_END = "\x1e", "\x1f"  # around a link's target in a shared card; never in a site path
MARKED_LINK = re.compile(f"{LINK_START}([^{LINK_START}{LINK_END}]*){LINK_END}")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Browse:
    """What the sidebars list: topics (slug, name, stories), outlets (name, articles), months (key, date, stories)."""

    topics: tuple[tuple[str, str, int], ...] = ()
    sources: tuple[tuple[str, int], ...] = ()
    months: tuple[tuple[str, datetime, int], ...] = ()


def layout_folders(config: Config) -> list[Path]:
    """Return the folders templates are looked up in: the site's layouts, its theme, the built-in layouts.

    A site whose layouts folder is the built-in one (this project itself) still lets its theme come first.
    """
    builtin = BUILTIN_LAYOUTS.resolve()
    folders: list[Path] = []
    for folder in (config.layouts_dir, config.theme_dir):
        if folder is not None and folder.resolve() != builtin and folder not in folders:
            folders.append(folder)
    return folders + [BUILTIN_LAYOUTS]


def make_environment(config: Config) -> jinja2.Environment:
    """Return the Jinja environment: the site's layouts first, then its theme, then the built-in ones."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in layout_folders(config)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment serves one build, in which the layouts do not change: without this, each
        # get_template, {% extends %} and {% import %} of every page stats the template's file.
        auto_reload=False,
    )
    env.filters["date"] = dates.format_date
    env.filters["datetime"] = dates.format_datetime
    env.filters["month"] = dates.format_month
    env.filters["iso"] = dates.iso
    env.filters["url"] = relative_url
    env.filters["absolute"] = config.absolute_url
    env.filters["safe_html"] = Markup  # only ever applied to markup's sanitised output
    env.filters["jsonld"] = metadata.json_for_script
    env.filters["shorten"] = metadata.shorten
    env.filters["weekday"] = weekday
    env.globals["site"] = config
    env.globals["topic_slug"] = topics.topic_slug
    # Each environment (one a build) has its own cards.
    env.globals["shared_card"] = jinja2.pass_context(functools.partial(shared_card, {}))
    return env


@jinja2.pass_context
def relative_url(context: jinja2.runtime.Context, target: str) -> str:
    """Return the link from the page being rendered to the site path `target` ("" is the front page)."""
    if target.startswith(("https://", "http://")):
        return target
    if context_flag(context, "absolute_links"):
        return context["site"].base_path + target.lstrip("/")
    if context_flag(context, "links_later"):
        return f"{LINK_START}{target}{LINK_END}"  # a piece of page made once for pages anywhere: see shared_card
    return folder_link(page_folder(context["page_path"]), target)


def context_flag(context: jinja2.runtime.Context, name: str) -> bool:
    """Return whether `name` is set and true for the page, as `context.get(name)` tells, without the
    KeyError that context.get raises and catches when the page has no such value."""
    return name in context and bool(context[name])


@functools.lru_cache(maxsize=1 << 10)
def page_folder(page_path: str) -> str:
    """Return posixpath.dirname(page_path); a page asks for it with each of its links."""
    return posixpath.dirname(page_path)


def folder_link(here: str, target: str) -> str:
    """Return the link from site folder `here` to site path `target`, a folder's with its "/"."""
    # A first folder both start with adds nothing to the link (see relative_link): dropped, the rest is
    # often a link many pages share, like the sections from any article or the other topics from a topic.
    while here:
        head, slash, below = here.partition("/")
        if not head or (slash and not below) or not target.startswith(head + "/"):
            break  # an empty folder name (not in a site's paths) is left to relative_link
        here, target = below, target[len(head) + 1:]
    if here and here.partition("/")[0] == target.partition("/")[0]:  # a folder above, named without its "/"
        return with_slash(relative_link(here, target.rstrip("/")), target)
    return climbing_link(here.count("/") + 1 if here else 0, target)


@functools.lru_cache(maxsize=1 << 12)
def climbing_link(depth: int, target: str) -> str:
    """Return relative_link(here, target) with its "/" for a folder `here` `depth` deep that shares no first
    folder with `target`: the link climbs all the way out of `here`, whatever its names."""
    there = target.rstrip("/")
    return with_slash("/".join([".."] * depth + (there.split("/") if there else [])) or ".", target)


def with_slash(link: str, target: str) -> str:
    """Return the link to `target` ending in "/" when `target` is a folder ("" is the front page's)."""
    if target.endswith("/") or not target:
        return "./" if link == "." else link + "/"
    return link


@functools.lru_cache(maxsize=1 << 10)
def relative_link(here: str, there: str) -> str:
    """Return the relative path from site folder `here` to site path `there` ("" is the root), as
    posixpath.relpath gives it for the clean paths a site has (no "", "." or ".." parts), without
    its two trips through os.getcwd; a page links the same targets many times."""
    from_parts = here.split("/") if here else []
    to_parts = there.split("/") if there else []
    shared = 0
    for mine, theirs in zip(from_parts, to_parts):
        if mine != theirs:
            break
        shared += 1
    return "/".join([".."] * (len(from_parts) - shared) + to_parts[shared:]) or "."


def shared_card(cards: dict[tuple, list[str]], context: jinja2.runtime.Context, story: Story,
                heading: str = "h3", show_date: bool = False) -> Markup:
    """Return `story_card(story, heading, show_date=show_date)` for the page being rendered.

    A story is on the page of each of its topics: its card is made once, with its links marked
    rather than made (they depend on the page's folder), and each page puts its own links in.
    """
    key = (story.id, heading, show_date)
    pieces = cards.get(key)
    if pieces is None:
        pieces = cards[key] = card_pieces(context.environment.get_template("_card.html").render(
            story=story, heading=heading, show_date=show_date, links_later=True))
    # Text and targets alternate, as MARKED_LINK.split cut them: each target becomes this page's link.
    link = page_linker(context)
    return Markup("".join([piece if number % 2 == 0 else escape(link(piece)) for number, piece in enumerate(pieces)]))


def page_linker(context: jinja2.runtime.Context) -> Callable[[str], str]:
    """Return relative_url for the page being rendered as a function of the target alone, for the many links
    of its cards: the page's flags and folder are looked up once rather than for each link."""
    if context_flag(context, "absolute_links") or context_flag(context, "links_later"):
        return functools.partial(relative_url, context)
    here = page_folder(context["page_path"])
    return lambda target: target if target.startswith(("https://", "http://")) else folder_link(here, target)


def card_pieces(card: str) -> list[str]:
    """Return the card cut at its marked links: its text and the links' targets (unescaped) in turn."""
    pieces = MARKED_LINK.split(card)
    pieces[1::2] = [html.unescape(target) for target in pieces[1::2]]
    return pieces


def weekday(day: date) -> str:
    """Return the English name of the day, whatever the locale."""
    return WEEKDAYS[day.weekday()]


def asset_pages(config: Config) -> tuple[list[Page], dict[str, str]]:
    """Return the fingerprinted static assets and a map from their names to their site paths."""
    pages, names = [], {}
    for name in ASSETS:
        path = find_layout_file(config, f"static/{name}")
        data = path.read_bytes()
        stem, suffix = name.rsplit(".", 1)
        fingerprint = hashlib.sha256(data).hexdigest()[:10]
        site_path = f"static/{stem}.{fingerprint}.{suffix}"
        pages.append(Page(PurePosixPath(site_path), data))
        names[name] = site_path
    for name in FIXED_ASSETS:
        pages.append(Page(PurePosixPath(f"static/{name}"), find_layout_file(config, f"static/{name}").read_bytes()))
    return pages, names


def find_layout_file(config: Config, name: str) -> Path:
    """Return the first `name` in the layout folders, so a site or theme overrides an asset file by file."""
    for folder in layout_folders(config):
        if (folder / name).is_file():
            return folder / name
    raise BuildError(f"layout file '{name}' not found in {', '.join(map(str, layout_folders(config)))}")


def render_page(env: jinja2.Environment, template: str, path: str, sources: Sequence[str] = (),
                **context: object) -> Page:
    """Render `template` into the page at site path `path`; template errors name the template and line."""
    try:
        html = env.get_template(template).render({"page_path": path, "absolute_links": False, **context})
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno) from exc
    except jinja2.TemplateNotFound as exc:
        raise BuildError(f"template '{exc.name}' not found in the layouts folders") from exc
    except jinja2.UndefinedError as exc:
        raise BuildError(f"template '{template}' uses an undefined value: {exc.message}",
                         *template_location(exc, template)) from exc
    return Page(PurePosixPath(path), html, tuple(sources))


def template_location(exc: BaseException, template: str) -> tuple[str, int | None]:
    """Return the template file and line a render error came from.

    Jinja rewrites the traceback so that template code shows as frames of the template file.
    """
    found: tuple[str, int | None] = (template, None)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name.endswith("template code") or code.co_name.startswith(("block ", "macro ")):
            found = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def site_of(env: jinja2.Environment) -> Config:
    return env.globals["site"]


def render_article(env: jinja2.Environment, article: Article, story: Story | None,
                   assets: dict[str, str]) -> Page:
    """Return the page of one article, with links to the rest of its story's coverage."""
    others = [other for other in story.articles if other.id != article.id] if story else []
    return render_page(env, "article.html", article.url_path + "index.html", (article.origin,),
                       article=article, story=story, others=others, assets=assets,
                       meta=metadata.article_meta(article, site_of(env)))


def render_story(env: jinja2.Environment, story: Story, assets: dict[str, str]) -> Page:
    """Return the page of one story: its summary and every outlet's coverage."""
    return render_page(env, "story.html", story.url_path + "index.html",
                       tuple(article.origin for article in story.articles), story=story, assets=assets,
                       meta=metadata.story_meta(story, site_of(env)))


def day_groups(stories: Sequence[Story], config: Config) -> list[tuple[datetime | None, list[Story]]]:
    """Return the stories grouped by the local day of their date, in the given order."""
    def day(story: Story):
        return story.published.astimezone(config.tz).date() if story.published else None

    return [(key, list(group)) for key, group in groupby(stories, key=day)]


def month_groups(stories: Sequence[Story], config: Config) -> list[tuple[str, list[Story]]]:
    """Return the dated stories grouped by the local month of their date ("YYYY/MM"), in the given order."""
    def month(story: Story) -> str:
        return f"{story.published.astimezone(config.tz):%Y/%m}"

    dated = [story for story in stories if story.published]
    return [(key, list(group)) for key, group in groupby(dated, key=month)]


def browse_of(stories: Sequence[Story], config: Config) -> Browse:
    """Return the topics, outlets and months of `stories` with their counts, biggest (or newest) first."""
    topic_names = Counter(name for story in stories for name in story.topics)
    outlets = Counter(article.source for story in stories for article in story.articles if article.source)
    return Browse(
        topics=tuple((topics.topic_slug(name), name, count) for name, count in
                     sorted(topic_names.items(), key=lambda item: (-item[1], item[0].casefold()))),
        sources=tuple(sorted(outlets.items(), key=lambda item: (-item[1], item[0].casefold()))),
        months=tuple((key, group[0].published.astimezone(config.tz), len(group))
                     for key, group in month_groups(stories, config)),
    )


def digest_paths(story_count: int, config: Config) -> tuple[str, ...]:
    """Return the paths of the front page and its numbered older pages."""
    count = max(1, -(-story_count // config.page_size))
    return ("index.html",) + tuple(f"page/{number}/index.html" for number in range(2, count + 1))


def digest_chunks(stories: Sequence[Story], config: Config) -> list[Sequence[Story]]:
    """Return the stories of each digest page, newest first; one empty page for no stories."""
    size = config.page_size
    return [stories[start:start + size] for start in range(0, len(stories), size)] or [[]]


def render_digest_page(env: jinja2.Environment, number: int, chunk: Sequence[Story], count: int,
                       story_count: int, browse: Browse, assets: dict[str, str]) -> Page:
    """Return digest page `number` of `count`: its stories grouped by day, beside the sidebar."""
    config = site_of(env)
    path = digest_paths(count * config.page_size, config)[number - 1]
    folder = path.removesuffix("index.html")
    newer = None if number == 1 else ("" if number == 2 else f"page/{number - 1}/")
    older = f"page/{number + 1}/" if number < count else None
    title = config.title if number == 1 else f"{config.title}: page {number}"
    meta = metadata.listing_meta(title, folder, chunk, config)
    return render_page(env, "digest.html", path, days=day_groups(chunk, config), number=number, count=count,
                       newer=newer, older=older, story_count=story_count, browse=browse, assets=assets, meta=meta)


def render_digest(env: jinja2.Environment, stories: Sequence[Story], config: Config,
                  assets: dict[str, str]) -> list[Page]:
    """Return the front page and its numbered older pages: stories newest first, grouped by day, beside
    a sidebar of topics, outlets and months."""
    chunks = digest_chunks(stories, config)
    browse = browse_of(stories, config)
    return [render_digest_page(env, number, chunk, len(chunks), len(stories), browse, assets)
            for number, chunk in enumerate(chunks, start=1)]


def archive_paths(stories: Sequence[Story], config: Config) -> tuple[str, ...]:
    """Return the paths of the archive index and of its month pages."""
    return ("archive/index.html",) + tuple(f"archive/{key}/index.html" for key, _ in month_groups(stories, config))


def render_archive_index(env: jinja2.Environment, months: Sequence[tuple[str, list[Story]]],
                         assets: dict[str, str]) -> Page:
    """Return the archive index: every month with its stories, by year."""
    config = site_of(env)
    years = [(year, list(group)) for year, group in groupby(months, key=lambda month: month[0][:4])]
    meta = metadata.listing_meta(f"Archive · {config.title}", "archive/", [], config)
    return render_page(env, "archive.html", "archive/index.html", months=months, years=years, assets=assets,
                       meta=meta)


def render_archive_month(env: jinja2.Environment, key: str, group: Sequence[Story], browse: Browse,
                         assets: dict[str, str]) -> Page:
    """Return the page of one month (`archive/YYYY/MM/`) of dated stories."""
    config = site_of(env)
    first = group[0].published.astimezone(config.tz)
    meta = metadata.listing_meta(f"{dates.format_month(first)} · {config.title}", f"archive/{key}/", group, config)
    return render_page(env, "archive_month.html", f"archive/{key}/index.html", key=key, month=first,
                       days=day_groups(group, config), browse=browse, assets=assets, meta=meta)


def render_archive(env: jinja2.Environment, stories: Sequence[Story], config: Config,
                   assets: dict[str, str]) -> list[Page]:
    """Return the archive index and one page per month (`archive/YYYY/MM/`) of dated stories."""
    months = month_groups(stories, config)
    browse = browse_of(stories, config)
    return [render_archive_index(env, months, assets)] + [render_archive_month(env, key, group, browse, assets)
                                                           for key, group in months]


def topic_browse(topics: Sequence[tuple[str, str, Sequence[Story]]]) -> Browse:
    """Return every topic with its number of stories, for the topic pages' sidebars."""
    return Browse(topics=tuple((slug, name, len(stories)) for slug, name, stories in topics))


def other_topics(browse: Browse, name: str) -> tuple[tuple[str, str, int], ...]:
    """Return the biggest topics but `name`, as many as a sidebar shows: each topic page costs the
    same however many topics there are."""
    return tuple(topic for topic in browse.topics[:SIDEBAR_TOPICS + 1] if topic[1] != name)[:SIDEBAR_TOPICS]


def render_topic_index(env: jinja2.Environment, topics: Sequence[tuple[str, str, Sequence[Story]]],
                       assets: dict[str, str]) -> Page:
    """Return the topic index: every topic with its number of stories."""
    config = site_of(env)
    meta = metadata.listing_meta(f"Topics · {config.title}", "topics/", [], config)
    return render_page(env, "topics.html", "topics/index.html", topics=topics, assets=assets, meta=meta)


def render_topic(env: jinja2.Environment, slug: str, name: str, stories: Sequence[Story], browse: Browse,
                 assets: dict[str, str]) -> Page:
    """Return one topic's page: its stories, newest first, beside the biggest other topics."""
    config = site_of(env)
    meta = metadata.listing_meta(f"{name} · {config.title}", f"topics/{slug}/", stories, config,
                                 f"Stories about {name}, newest first.")
    return render_page(env, "topic.html", f"topics/{slug}/index.html", topic=name, slug=slug, stories=stories,
                       others=other_topics(browse, name), topic_count=len(browse.topics), assets=assets, meta=meta)


def render_search(env: jinja2.Environment, assets: dict[str, str]) -> Page:
    """Return the search page, which reads the search index (see search.py) in the reader's browser."""
    config = site_of(env)
    meta = metadata.PageMeta(title=f"Search · {config.title}", url=config.absolute_url("search/"),
                             description=f"Search the articles and stories of {config.title}.")
    return render_page(env, "search.html", "search/index.html", assets=assets, meta=meta)


def render_not_found(env: jinja2.Environment, assets: dict[str, str]) -> Page:
    """Return 404.html, whose links are absolute paths because a host serves it at any URL."""
    config = site_of(env)
    meta = metadata.PageMeta(title=f"Page not found · {config.title}", url=config.absolute_url("404.html"))
    return render_page(env, "404.html", "404.html", absolute_links=True, assets=assets, meta=meta)
