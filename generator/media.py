"""Images named by front matter: found under the content or static folder and copied, or dropped
with a warning, so that no page ever shows a broken image."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .config import Config
from .model import Article, Page
from .report import Report

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"}


def find_image(reference: str, article: Article, config: Config) -> tuple[Path, PurePosixPath] | None:
    """Return (file, path under media/) for an image reference, looked up where sites keep images."""
    relative = PurePosixPath(reference.replace("\\", "/").lstrip("/"))
    if not relative.parts or ".." in relative.parts or relative.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    article_folder = PurePosixPath(article.origin).parent
    candidates = [
        (config.content_dir, article_folder / relative),
        (config.content_dir, relative),
        (config.root / "static", relative),
        (config.root, relative),
    ]
    for root, path in candidates:
        file = root.joinpath(*path.parts)
        try:
            inside = file.resolve(strict=True).is_relative_to(root.resolve())
        except (OSError, RuntimeError):
            continue
        if inside and file.is_file():
            return file, PurePosixPath("media") / path
    return None


def resolve_images(articles: Sequence[Article], config: Config, report: Report) -> tuple[list[Article], list[Page]]:
    """Return the articles with usable image URLs and the pages that copy the local images."""
    placed, pages, copied = [], [], set()
    for article in articles:
        reference = article.image.strip()
        if not reference or reference.startswith(("https://", "http://")):
            placed.append(article)
            continue
        found = find_image(reference, article, config)
        if found is None:
            report.warn(f"image '{reference}' not found under the content or static folder; "
                        "the page is shown without it", article.origin, kind="missing image")
            placed.append(dataclasses.replace(article, image=""))
            continue
        file, site_path = found
        if site_path not in copied:
            copied.add(site_path)
            pages.append(Page(site_path, file.read_bytes(), (article.origin,)))
        placed.append(dataclasses.replace(article, image=str(site_path)))
    return placed, pages
