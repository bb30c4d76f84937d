"""The build cache: values come back only as stored, signed by this machine, from Broadsheet's own file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from generator import cache
from generator.cache import BuildCache, Output

SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))


def cache_path(root: Path) -> Path:
    return root / cache.CACHE_FOLDER / cache.CACHE_FILE


def opened(root: Path, secret: bytes = SECRET) -> tuple[BuildCache, list[str]]:
    notes: list[str] = []
    found = cache.open_cache(root, secret, notes)
    assert found is not None
    return found, notes


def store(root: Path, items: dict[bytes, object], secret: bytes = SECRET) -> None:
    built, _ = opened(root, secret)
    built.store_prepared(items.items())
    built.commit(None)
    built.close()


def test_values_come_back_as_stored(tmp_path):
    store(tmp_path, {b"k1": {"title": "One"}, b"k2": ("two", 2)})
    built, notes = opened(tmp_path)
    assert built.load_prepared([b"k1", b"k2", b"k3"]) == {b"k1": {"title": "One"}, b"k2": ("two", 2)}
    assert notes == []


def test_a_tampered_value_is_rebuilt_not_trusted(tmp_path):
    store(tmp_path, {b"k1": "original"})
    with sqlite3.connect(cache_path(tmp_path)) as connection:
        [(value,)] = connection.execute("SELECT value FROM prepared")
        forged = value[:-1] + bytes([value[-1] ^ 1])
        connection.execute("UPDATE prepared SET value = ?", (forged,))
    built, notes = opened(tmp_path)
    assert built.load_prepared([b"k1"]) == {}
    built.commit(None)
    assert notes == ["build cache: 1 stored value(s) failed their check (another machine's cache, or damaged) "
                     "and were rebuilt"]


def test_another_machines_cache_is_not_trusted(tmp_path):
    store(tmp_path, {b"k1": "from elsewhere"}, secret=OTHER_SECRET)
    built, _ = opened(tmp_path)
    assert built.load_prepared([b"k1"]) == {}
    assert built.rejected == 1


def test_a_value_moved_to_another_key_is_not_trusted(tmp_path):
    store(tmp_path, {b"k1": "one"})
    with sqlite3.connect(cache_path(tmp_path)) as connection:
        connection.execute("UPDATE prepared SET key = ?", (b"k2",))
    built, _ = opened(tmp_path)
    assert built.load_prepared([b"k2"]) == {}


@pytest.mark.parametrize("contents, reason", [
    (b"this is not a database, just text that happens to be here\n" * 20, "file is not a database"),
    (b"SQLite format 3\x00" + b"\xff" * 200, "file is not a database"),
])
def test_a_file_that_is_not_sqlite_is_replaced(tmp_path, contents, reason):
    path = cache_path(tmp_path)
    path.parent.mkdir()
    path.write_bytes(contents)
    built, notes = opened(tmp_path)
    assert built.load_prepared([b"k"]) == {}
    assert len(notes) == 1 and notes[0].startswith(f"build cache {path} could not be used")
    assert reason in notes[0] and notes[0].endswith("made a new one")
    built.store_prepared([(b"k", 1)])
    built.commit(None)
    built.close()
    assert opened(tmp_path)[0].load_prepared([b"k"]) == {b"k": 1}


def test_another_programs_database_is_replaced(tmp_path):
    path = cache_path(tmp_path)
    path.parent.mkdir()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE prepared (key BLOB, value BLOB)")
        connection.execute("INSERT INTO prepared VALUES (?, ?)", (b"k", b"\x80\x04K\x01."))
    built, notes = opened(tmp_path)
    assert built.load_prepared([b"k"]) == {}
    assert notes == [f"build cache {path} could not be used (the file belongs to another program); made a new one"]


def test_another_schema_version_is_replaced(tmp_path):
    store(tmp_path, {b"k": 1})
    with sqlite3.connect(cache_path(tmp_path)) as connection:
        connection.execute(f"PRAGMA user_version = {cache.SCHEMA_VERSION + 1}")
    built, notes = opened(tmp_path)
    assert built.load_prepared([b"k"]) == {}
    assert f"schema {cache.SCHEMA_VERSION + 1}, expected {cache.SCHEMA_VERSION}" in notes[0]


def test_commit_forgets_what_the_build_did_not_use(tmp_path):
    store(tmp_path, {b"old": 1, b"kept": 2})
    built, _ = opened(tmp_path)
    assert built.load_prepared([b"kept"]) == {b"kept": 2}
    built.commit(None)
    built.close()
    assert opened(tmp_path)[0].load_prepared([b"old", b"kept"]) == {b"kept": 2}


def test_closing_without_commit_keeps_nothing_new(tmp_path):
    built, _ = opened(tmp_path)
    built.store_prepared([(b"k", 1)])
    built.close()
    assert opened(tmp_path)[0].load_prepared([b"k"]) == {}


def test_the_content_files_read_are_replaced_at_commit_only(tmp_path):
    first = cache.FileStatus(1, 2, 30, 40, 50)
    built, _ = opened(tmp_path)
    built.replace_sources([("a.md", first, b"digest a"), ("b.md", first._replace(inode=3), b"digest b")])
    built.commit(None)
    built.close()
    built, _ = opened(tmp_path)
    assert built.known_sources() == {"a.md": (first, b"digest a"), "b.md": (first._replace(inode=3), b"digest b")}
    built.replace_sources([("a.md", first, b"digest a")])
    built.close()  # a failed build: what it read is forgotten, the last record stays
    assert opened(tmp_path)[0].known_sources() == {"a.md": (first, b"digest a"),
                                                   "b.md": (first._replace(inode=3), b"digest b")}


def test_outputs_are_replaced_only_when_given(tmp_path):
    built, _ = opened(tmp_path)
    first = Output("index.html", b"recipe", b"digest", 10, 123)
    built.commit((tmp_path / "public", [first]))
    built.close()
    built, _ = opened(tmp_path)
    assert built.outputs(tmp_path / "public") == {"index.html": first}
    built.commit(None)  # a build that published nothing
    built.close()
    assert opened(tmp_path)[0].outputs(tmp_path / "public") == {"index.html": first}


def test_outputs_of_another_folder_are_not_known(tmp_path):
    built, _ = opened(tmp_path)
    built.commit((tmp_path / "public", [Output("index.html", b"recipe", b"digest", 10, 123)]))
    assert built.outputs(tmp_path / "elsewhere") == {}


def test_record_keys_are_replaced_at_commit_only_and_known_for_their_folder(tmp_path):
    keys = [bytes([number]) * cache.DIGEST_SIZE for number in range(3)]
    built, _ = opened(tmp_path)
    built.replace_record_keys(b"file digest", keys)
    built.commit((tmp_path / "public", [Output("articles.json", b"recipe", b"file digest", 10, 123)]))
    built.close()
    built, _ = opened(tmp_path)
    assert built.record_keys(tmp_path / "public") == (b"file digest", keys)
    assert built.record_keys(tmp_path / "elsewhere") is None
    built.replace_record_keys(b"another digest", keys[:1])
    built.close()  # a failed build: the keys of the file still published stay
    assert opened(tmp_path)[0].record_keys(tmp_path / "public") == (b"file digest", keys)


def test_the_secret_is_made_once_and_private(tmp_path):
    first = cache.find_secret(tmp_path)
    assert cache.find_secret(tmp_path) == first and len(first) == 32
    assert (tmp_path / "broadsheet" / cache.SECRET_FILE).stat().st_mode & 0o077 == 0
    assert cache.find_secret(tmp_path, "from the environment") != first


def test_a_locked_cache_is_skipped_with_a_note(tmp_path, monkeypatch):
    store(tmp_path, {b"k": 1})
    monkeypatch.setattr(cache, "LOCK_SECONDS", 0.1)
    holder = sqlite3.connect(cache_path(tmp_path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        notes: list[str] = []
        assert cache.open_cache(tmp_path, SECRET, notes) is None
        assert notes == [f"build cache {cache_path(tmp_path)} is in use by another build; building without it"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert opened(tmp_path)[0].load_prepared([b"k"]) == {b"k": 1}  # left as it was, not replaced


def test_fingerprints_ignore_the_build_time(config):
    import dataclasses
    from datetime import datetime, timezone
    later = dataclasses.replace(config, build_time=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert cache.settings_fingerprint(later) == cache.settings_fingerprint(config)
    assert cache.settings_fingerprint(dataclasses.replace(config, timezone="Asia/Tokyo")) != \
        cache.settings_fingerprint(config)


def test_fingerprints_ignore_where_the_sites_folders_are(config, tmp_path):
    import dataclasses
    elsewhere = dataclasses.replace(config, root=tmp_path / "x" / "..", path=tmp_path / "x" / ".." / "site.toml",
                                    content_dir=tmp_path / "x" / ".." / "content", output_dir=tmp_path / "out",
                                    layouts_dir=tmp_path / "layouts", theme_dir=tmp_path / "theme")
    assert cache.settings_fingerprint(elsewhere) == cache.settings_fingerprint(config)
    assert cache.settings_fingerprint(dataclasses.replace(config, unsafe_html=True)) != \
        cache.settings_fingerprint(config)


def test_the_last_build_is_known_for_its_own_folder_and_only_signed(tmp_path):
    built, _ = opened(tmp_path)
    built.remember_build(tmp_path / "public", b"inputs", {"pages": 3})
    built.commit(None)
    built.close()
    assert opened(tmp_path)[0].last_build(tmp_path / "public") == (b"inputs", {"pages": 3})
    assert opened(tmp_path)[0].last_build(tmp_path / "elsewhere") is None
    assert opened(tmp_path, OTHER_SECRET)[0].last_build(tmp_path / "public") is None
