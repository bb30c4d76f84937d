"""Front matter images: found and copied, or dropped with a warning."""

from __future__ import annotations

from pathlib import PurePosixPath

from generator import media

from conftest import make_article


def test_local_image_is_copied_under_media(config, report):
    (config.content_dir / "img").mkdir(parents=True)
    (config.content_dir / "img" / "a.jpg").write_bytes(b"\xff\xd8jpeg")
    articles, pages = media.resolve_images([make_article(image="img/a.jpg")], config, report)
    assert articles[0].image == "media/img/a.jpg"
    assert [(page.path, page.content) for page in pages] == [(PurePosixPath("media/img/a.jpg"), b"\xff\xd8jpeg")]
    assert report.messages == []


def test_image_beside_the_article_and_in_static(config, report):
    (config.content_dir / "news").mkdir(parents=True)
    (config.content_dir / "news" / "b.png").write_bytes(b"png")
    (config.root / "static").mkdir()
    (config.root / "static" / "c.png").write_bytes(b"png2")
    articles, pages = media.resolve_images(
        [make_article(id="1", origin="news/x.md", image="b.png"), make_article(id="2", image="/c.png")],
        config, report)
    assert [a.image for a in articles] == ["media/news/b.png", "media/c.png"]
    assert len(pages) == 2


def test_missing_image_warns_and_is_dropped(config, report):
    articles, pages = media.resolve_images([make_article(image="assets/gone.jpg")], config, report)
    assert articles[0].image == ""
    assert pages == []
    assert [str(m) for m in report.warnings] == [
        "example.md: image 'assets/gone.jpg' not found under the content or static folder; "
        "the page is shown without it"]


def test_remote_image_is_kept(config, report):
    articles, _ = media.resolve_images([make_article(image="https://cdn.example.org/a.jpg")], config, report)
    assert articles[0].image == "https://cdn.example.org/a.jpg"


def test_image_outside_the_site_is_never_read(config, report, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(b"secret")
    config.content_dir.mkdir()
    articles, pages = media.resolve_images([make_article(image="../secret.jpg")], config, report)
    assert articles[0].image == "" and pages == []
    assert report.warnings[0].kind == "missing image"
