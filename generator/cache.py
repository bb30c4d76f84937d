"""The build cache: an SQLite file under `.cache/` that remembers, between builds, each content file's
prepared article and each output file's recipe, so that an unchanged article costs no Markdown and an
unchanged page is neither rendered nor rewritten; and the digest of each content file's bytes with its
status (`os.stat`), so that an unchanged file is not even read.

Keys are digests of everything a value was made from (the file's bytes, the settings, the generator's
and the layouts' own files; see `recipe_key`), so a stale entry is never found, only left unused and
deleted after the build. Values are pickles, and unpickling runs code: every value carries a keyed
digest (BLAKE2b with a secret kept outside the project, in the user's cache folder), and one that does
not match is treated as missing. A cache copied from another machine or restored by CI from another
job is therefore rebuilt, never trusted; so is a file that is not SQLite, not Broadsheet's, from
another version of its schema, or damaged. The cache is only ever a shortcut: `--no-cache`, or any
problem opening it, gives the same site.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata as package_metadata
from pathlib import Path
from typing import NamedTuple

from .config import Config

CACHE_FOLDER = ".cache"
CACHE_FILE = "broadsheet.sqlite"
SECRET_FILE = "cache-secret"
APPLICATION_ID = 0x42534854  # "BSHT" in PRAGMA application_id: this file is Broadsheet's
SCHEMA_VERSION = 3
DIGEST_SIZE = 20
MAC_SIZE = 16
LOCK_SECONDS = 10  # another build holding the file this long: build without the cache
# A prepared file is about 16 KB: with SQLite's default 4 KB pages each is a chain of overflow pages,
# and reading an archive's took twice as long as with 16 KB pages (the file is no larger).
PAGE_SIZE = 16384
GENERATOR_FOLDER = Path(__file__).resolve().parent
# The libraries whose output the cache keeps; a new version of one is a new recipe.
LIBRARIES = ("markdown", "nh3", "python-frontmatter", "PyYAML", "Jinja2", "feedgen")
SCHEMA = """
CREATE TABLE prepared (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE outputs (path TEXT PRIMARY KEY, recipe BLOB NOT NULL, digest BLOB NOT NULL,
                      size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE published (folder TEXT NOT NULL);
CREATE TABLE last_build (folder TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL);
CREATE TABLE folders (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (origin TEXT PRIMARY KEY, device INTEGER NOT NULL, inode INTEGER NOT NULL,
                      size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                      digest BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE record_keys (file_digest BLOB NOT NULL, keys BLOB NOT NULL);
"""
TABLES = {"prepared", "outputs", "folders", "published", "last_build", "sources", "record_keys"}
# A file or folder changed this long before a build looked at it cannot change again unseen: see `settled`.
SETTLED_NS = 3 * 10**9


class FileStatus(NamedTuple):
    """What `os.stat` says of a content file: a file whose status is unchanged has unchanged bytes
    (the change time, unlike the modification time, cannot be set back by a program that writes it)."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int


def file_status(status: os.stat_result) -> FileStatus:
    return FileStatus(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def settled(mtime_ns: int, ctime_ns: int, seen_ns: int) -> bool:
    """Tell whether a file or folder whose times were these when seen at `seen_ns` has certainly not
    changed since if they are the same later. A change within the last few seconds could be followed
    by another in the same tick of the file system's clock, which would leave the times as they were."""
    return seen_ns - max(mtime_ns, ctime_ns) >= SETTLED_NS


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the last published site: what it was made from and how it looked when written."""

    path: str
    recipe: bytes  # the digest of its inputs; empty when unknown
    digest: bytes  # of its bytes
    size: int
    mtime_ns: int


def digest(*parts: bytes) -> bytes:
    """Return the digest of the parts, each length-prefixed so that no two sequences collide."""
    hasher = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.digest()


@functools.cache
def generator_fingerprint() -> bytes:
    """Return the digest of the generator's own code and data files and of the library versions: of
    the code this process runs, so it is read once."""
    parts = [sys.version.encode()]
    for name in LIBRARIES:
        try:
            parts.append(f"{name}=={package_metadata.version(name)}".encode())
        except package_metadata.PackageNotFoundError:
            parts.append(f"{name} missing".encode())
    for path in sorted(GENERATOR_FOLDER.iterdir()):
        if path.suffix in (".py", ".toml"):
            parts += [path.name.encode(), path.read_bytes()]
    return digest(*parts)


# Not part of the settings' fingerprint: the build time (dates are judged against it once per build,
# never inside a cached value), and where the site's files are. A content file is known by its path
# inside the content folder and its bytes, and the layouts by theirs, so the same site reached by
# another path ("../site/content", a build run from another folder) keeps its cache.
UNFINGERPRINTED = {"build_time", "root", "path", "content_dir", "output_dir", "layouts_dir", "theme_dir"}


def settings_fingerprint(config: Config) -> bytes:
    """Return the digest of the settings that change what a build makes (not UNFINGERPRINTED)."""
    fields = {name: getattr(config, name) for name in config.__dataclass_fields__ if name not in UNFINGERPRINTED}
    return digest(repr(sorted(fields.items())).encode())


def layouts_fingerprint(folders: Iterable[Path]) -> bytes:
    """Return the digest of every file in the layout folders, by path and bytes."""
    parts = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix().encode(), path.read_bytes()]
    return digest(*parts)


def secret_of(environ: Mapping[str, str]) -> bytes:
    """Return the signing key for this user: BROADSHEET_CACHE_SECRET when set (CI jobs that share a
    cache set it from their secrets), else the key kept in the user's cache folder; raise OSError."""
    cache_home = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return find_secret(cache_home, environ.get("BROADSHEET_CACHE_SECRET"))


def find_secret(cache_home: Path, given: str | None = None) -> bytes:
    """Return the key values are signed with: `given` (an environment setting), else the one kept in
    `cache_home`, made on first use and readable by the user alone."""
    if given:
        return hashlib.blake2b(given.encode(), digest_size=32).digest()
    path = cache_home / "broadsheet" / SECRET_FILE
    try:
        secret = path.read_bytes()
        if len(secret) == 32:
            return secret
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = os.urandom(32)
    scratch = path.with_name(f"{SECRET_FILE}.{os.getpid()}")
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secret)
    os.replace(scratch, path)  # two builds at once: one secret wins, the other's entries are rebuilt
    return path.read_bytes()


class CacheUnusable(Exception):
    """The cache file cannot be used as it is: why, for the note the build prints."""


class BuildCache:
    """The open cache file. Reads happen as the build goes; writes are kept in one transaction that
    is committed only when the build has published the site (`commit`)."""

    def __init__(self, path: Path, secret: bytes, notes: list[str]):
        self.path = path
        self.secret = secret
        self.notes = notes  # what happened to the cache, for the build's report
        self.rejected = 0  # values whose signature did not match
        self.used: set[bytes] = set()
        self.connection = open_database(path, notes)

    # -- prepared articles ---------------------------------------------------------------------

    def load_prepared(self, keys: Iterable[bytes]) -> dict[bytes, object]:
        """Return the values stored under those keys that are there and signed by us."""
        keys = list(dict.fromkeys(keys))
        self.used.update(keys)
        found: dict[bytes, object] = {}
        for start in range(0, len(keys), 500):  # SQLite's limit on parameters in one statement
            chunk = keys[start:start + 500]
            rows = self.connection.execute(
                f"SELECT key, value FROM prepared WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            for key, value in rows:
                loaded = self.unseal(key, value)
                if loaded is not None:
                    found[key] = loaded[0]
        return found

    def keep_prepared(self, keys: Iterable[bytes]) -> None:
        """Mark entries as used by this build without reading them, so `commit` keeps them."""
        self.used.update(keys)

    def store_prepared(self, items: Iterable[tuple[bytes, object]]) -> None:
        self.store_pickled((key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) for key, value in items)

    def store_pickled(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        """Store values already pickled (as worker processes send them) under their keys."""
        rows = [(key, self.sign(key, data) + data) for key, data in items]
        self.used.update(key for key, _ in rows)
        self.connection.executemany("INSERT OR REPLACE INTO prepared (key, value) VALUES (?, ?)", rows)

    def seal(self, key: bytes, value: object) -> bytes:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return self.sign(key, data) + data

    def unseal(self, key: bytes, stored: bytes) -> tuple[object] | None:
        """Return (value,) when the stored bytes carry our signature and unpickle, else None."""
        mac, data = stored[:MAC_SIZE], stored[MAC_SIZE:]
        if not hmac.compare_digest(mac, self.sign(key, data)):
            self.rejected += 1
            return None
        try:
            return (pickle.loads(data),)
        except Exception:  # signed by us, yet unreadable: a class that changed shape
            self.rejected += 1
            return None

    def sign(self, key: bytes, data: bytes) -> bytes:
        hasher = hashlib.blake2b(key=self.secret, digest_size=MAC_SIZE)
        hasher.update(key)
        hasher.update(data)
        return hasher.digest()

    # -- the content files' digests --------------------------------------------------------------

    def known_sources(self) -> dict[str, tuple[FileStatus, bytes]]:
        """Return the status and bytes' digest each content file had when a build last read it."""
        rows = self.connection.execute("SELECT origin, device, inode, size, mtime_ns, ctime_ns, digest FROM sources")
        return {row[0]: (FileStatus(*row[1:6]), row[6]) for row in rows}

    def replace_sources(self, sources: Iterable[tuple[str, FileStatus, bytes]]) -> None:
        """Record the content files this build read (saved at commit): origin, status and digest."""
        self.connection.execute("DELETE FROM sources")
        self.connection.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    ((origin, *status, found) for origin, status, found in sources))

    # -- the published files -------------------------------------------------------------------

    def published_to(self, folder: Path) -> bool:
        """Return whether the site last published went to `folder`."""
        published = self.connection.execute("SELECT folder FROM published").fetchone()
        return published is not None and published[0] == str(folder.absolute())

    def outputs(self, folder: Path) -> dict[str, Output]:
        """Return what the cache knows of the files of the site last published, if it went to `folder`."""
        if not self.published_to(folder):
            return {}
        rows = self.connection.execute("SELECT path, recipe, digest, size, mtime_ns FROM outputs")
        return {row[0]: Output(*row) for row in rows}

    def folders(self, folder: Path) -> dict[str, tuple[int, int]]:
        """Return the (modification, change) times of the folders of the site last published, if it went
        to `folder`, as they were after it (or after a later build that found it unchanged)."""
        if not self.published_to(folder):
            return {}
        return {row[0]: (row[1], row[2]) for row in self.connection.execute("SELECT * FROM folders")}

    def replace_folders(self, folders: Mapping[str, tuple[int, int]]) -> None:
        """Record the times of the published site's folders (saved at commit)."""
        self.connection.execute("DELETE FROM folders")
        self.connection.executemany("INSERT INTO folders VALUES (?, ?, ?)",
                                    ((path, *times) for path, times in folders.items()))

    def record_keys(self, folder: Path) -> tuple[bytes, list[bytes]] | None:
        """Return the digest of the `articles.json` last published, if it went to `folder`, and the key of
        each of its article records in the file's order (see export.Published); else None."""
        row = self.connection.execute("SELECT file_digest, keys FROM record_keys").fetchone()
        if row is None or len(row[1]) % DIGEST_SIZE or not self.published_to(folder):
            return None
        file_digest, joined = row
        return file_digest, [joined[start:start + DIGEST_SIZE] for start in range(0, len(joined), DIGEST_SIZE)]

    def replace_record_keys(self, file_digest: bytes, keys: Sequence[bytes]) -> None:
        """Record the keys of the article records of the `articles.json` being published, in order, with
        the digest of its bytes, which they describe (saved at commit, with the published files)."""
        if any(len(key) != DIGEST_SIZE for key in keys):
            raise ValueError("a record key is not a digest")
        self.connection.execute("DELETE FROM record_keys")
        self.connection.execute("INSERT INTO record_keys (file_digest, keys) VALUES (?, ?)",
                                (file_digest, b"".join(keys)))

    def replace_outputs(self, folder: Path, outputs: Iterable[Output]) -> None:
        self.connection.execute("DELETE FROM published")
        self.connection.execute("INSERT INTO published (folder) VALUES (?)", (str(folder.absolute()),))
        self.connection.execute("DELETE FROM outputs")
        self.connection.executemany(
            "INSERT INTO outputs (path, recipe, digest, size, mtime_ns) VALUES (?, ?, ?, ?, ?)",
            ((o.path, o.recipe, o.digest, o.size, o.mtime_ns) for o in outputs))

    # -- the last build as a whole -------------------------------------------------------------

    def last_build(self, folder: Path) -> tuple[bytes, object] | None:
        """Return (key, record) of the last build published to `folder`, if signed by us."""
        row = self.connection.execute("SELECT folder, key, value FROM last_build").fetchone()
        if row is None or row[0] != str(folder.absolute()):
            return None
        loaded = self.unseal(row[1], row[2])
        return None if loaded is None else (row[1], loaded[0])

    def remember_build(self, folder: Path, key: bytes, record: object) -> None:
        """Record what the build published to `folder` from inputs of digest `key` (saved at commit)."""
        self.connection.execute("DELETE FROM last_build")
        self.connection.execute("INSERT INTO last_build (folder, key, value) VALUES (?, ?, ?)",
                                (str(folder.absolute()), key, self.seal(key, record)))

    def forget_build(self) -> None:
        self.connection.execute("DELETE FROM last_build")

    # -- the end of a build --------------------------------------------------------------------

    def commit(self, published: tuple[Path, Iterable[Output]] | None = None) -> None:
        """Forget the prepared articles this build did not use, and save the rest; record the
        `published` (folder, files) unless None (nothing was published: the last record stays true)."""
        connection = self.connection
        if published is not None:
            self.replace_outputs(*published)
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY) WITHOUT ROWID")
        connection.execute("DELETE FROM used")
        connection.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)", ((key,) for key in self.used))
        connection.execute("DELETE FROM prepared WHERE key NOT IN (SELECT key FROM used)")
        connection.commit()
        if self.rejected:
            self.notes.append(f"build cache: {self.rejected} stored value(s) failed their check "
                              "(another machine's cache, or damaged) and were rebuilt")

    def close(self) -> None:
        self.connection.rollback()  # nothing uncommitted is kept: a failed build changes no entry
        self.connection.close()


def open_database(path: Path, notes: list[str]) -> sqlite3.Connection:
    """Return a connection to Broadsheet's cache at `path`, making it, or remaking it when the file is
    not one (not SQLite, another program's, another schema, damaged); raise CacheUnusable if locked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return connect_checked(path)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise CacheUnusable(f"build cache {path} is in use by another build; building without it") from None
        reason = str(exc)
    except (sqlite3.DatabaseError, CacheUnusable) as exc:
        reason = str(exc)
    notes.append(f"build cache {path} could not be used ({reason}); made a new one")
    for leftover in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        leftover.unlink(missing_ok=True)
    return connect_checked(path)


def connect_checked(path: Path) -> sqlite3.Connection:
    """Open the file and check it is this schema of Broadsheet's cache; set it up when new."""
    connection = sqlite3.connect(path, timeout=LOCK_SECONDS, isolation_level="DEFERRED")
    try:
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables and application == 0:
            connection.executescript(f"PRAGMA page_size = {PAGE_SIZE}; PRAGMA application_id = {APPLICATION_ID};"
                                     f"PRAGMA user_version = {SCHEMA_VERSION};" + SCHEMA)
        elif application != APPLICATION_ID:
            raise CacheUnusable("the file belongs to another program")
        elif version != SCHEMA_VERSION or tables != TABLES:
            raise CacheUnusable(f"schema {version}, expected {SCHEMA_VERSION}")
        check = connection.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise CacheUnusable(f"damaged: {check}")
    except BaseException:
        connection.close()
        raise
    return connection


def open_cache(root: Path, secret: bytes, notes: list[str]) -> BuildCache | None:
    """Return the cache of the site at `root`, or None (with a note) when there can be none."""
    path = root / CACHE_FOLDER / CACHE_FILE
    try:
        return BuildCache(path, secret, notes)
    except CacheUnusable as exc:
        notes.append(str(exc))
    except (OSError, sqlite3.Error) as exc:
        notes.append(f"build cache {path} could not be used ({exc}); building without it")
    return None


def unchanged_on_disk(output: Output | None, file: Path | str) -> bool:
    """Return whether `file` is still exactly as the last build left it, by size and modification time."""
    if output is None:
        return False
    try:
        status = os.stat(file)
    except OSError:
        return False
    return status.st_size == output.size and status.st_mtime_ns == output.mtime_ns

