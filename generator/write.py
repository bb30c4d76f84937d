"""The only writer: pages go into a fresh folder beside the output as they are made, and that folder
is swapped in for the output at the end.

A failed or interrupted build leaves the previous output exactly as it was. A page path that would
leave the output folder, or that two pages claim, is refused. A page whose bytes are those of the
file already published is not written again: the new folder gets a hard link to the old file, so its
modification time (which sync tools and caches go by) does not change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath

from .cache import DIGEST_SIZE, Output, settled, unchanged_on_disk
from .model import Page
from .report import BuildError

NO_RECIPE = b""


def check_page_path(page: Page, claimed: dict[PurePosixPath, tuple[str, ...]]) -> None:
    """Raise BuildError for a page path outside the output folder or already claimed; else claim it."""
    path = page.path
    if path.is_absolute() or ".." in path.parts or "\\" in str(path) or not path.parts:
        raise BuildError(f"refusing to write '{path}': outside the output folder",
                         page.sources[0] if page.sources else None)
    if path in claimed:
        first = claimed[path]
        raise BuildError(f"two pages would be written to '{path}' (from {', '.join(first) or 'the generator'} "
                         f"and {', '.join(page.sources) or 'the generator'})",
                         page.sources[0] if page.sources else None)
    claimed[path] = page.sources


def check_page_paths(pages: Iterable[Page]) -> None:
    """Raise BuildError for a page path outside the output folder or written twice."""
    claimed: dict[PurePosixPath, tuple[str, ...]] = {}
    for page in pages:
        check_page_path(page, claimed)


def content_hasher() -> hashlib.blake2b:
    """Return a new hasher of a file's bytes, whose digest is the one output records keep."""
    return hashlib.blake2b(digest_size=DIGEST_SIZE)


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).digest()


class Placer:
    """Puts pages into the staging folder, unless the published file already has their bytes.

    A full build (no record of the last one) fills the staging folder with the whole site, linking
    unchanged files from the old output, and swaps it in. An update (the last build's record is
    there) stages only the files that changed, and moves them into the output at the end.
    Worker processes that render pages use a copy: it holds only folders and the last build's record.
    """

    def __init__(self, staging: Path, out_dir: Path, previous: Mapping[str, Output], update: bool):
        self.staging = staging
        self.out_dir = out_dir
        self.previous = previous
        self.update = update
        self.folders: set[Path] = set()
        self.by_recipe: dict[bytes, list[str]] | None = None
        # A published file is only reused where the path to it has no link: a link could lead out of the output.
        self.reachable = set(reachable_folders(out_dir, site_folders(previous))[0]) if previous else set()

    def target(self, path: PurePosixPath) -> Path:
        target = self.staging.joinpath(*path.parts)
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        return target

    def unchanged(self, path: PurePosixPath, recipe: bytes, data_digest: bytes | None = None) -> Output | None:
        """Return the record of the published file at `path` when it is unchanged on disk and was made
        from `recipe` (or has the digest `data_digest`); else None."""
        old = self.previous.get(str(path))
        if old is None or not (data_digest == old.digest if data_digest else recipe and recipe == old.recipe):
            return None
        if self.published(path) is None:
            return None
        return Output(str(path), recipe, old.digest, old.size, old.mtime_ns)

    def published(self, path: PurePosixPath) -> str | None:
        """Return where the published file at `path` is, when it is as the last build left it (by its
        record's size and modification time) and reached without a link; else None."""
        old = self.previous.get(str(path))
        if old is None or (str(path.parent) if path.parent.parts else "") not in self.reachable:
            return None
        file = os.path.join(self.out_dir, str(path))
        return file if unchanged_on_disk(old, file) else None

    def made_from(self, recipe: bytes) -> list[str]:
        """Return the paths of the last build's files made from `recipe`."""
        if self.by_recipe is None:
            self.by_recipe = {}
            for output in self.previous.values():
                self.by_recipe.setdefault(output.recipe, []).append(output.path)
        return self.by_recipe.get(recipe, []) if recipe else []

    def adopt(self, path: PurePosixPath) -> bool:
        """Make the published file at `path` part of the new site: nothing to do in an update, a hard
        link into the staging folder in a full build. False if the file system cannot link."""
        if self.update:
            return True
        try:
            os.link(self.out_dir.joinpath(*path.parts), self.target(path))
        except OSError:
            return False
        return True

    def reuse(self, path: PurePosixPath, recipe: bytes, data_digest: bytes | None = None) -> Output | None:
        """Adopt the published file at `path` if it is unchanged (see `unchanged`); return its record."""
        output = self.unchanged(path, recipe, data_digest)
        return output if output is not None and self.adopt(path) else None

    def reuse_all(self, paths: Sequence[PurePosixPath], recipe: bytes) -> list[Output] | None:
        """Adopt the published files at `paths` if all were made from `recipe` and are unchanged; return
        their records. Otherwise adopt none of them and return None."""
        outputs = [self.unchanged(path, recipe) for path in paths]
        if any(output is None for output in outputs):
            return None
        adopted = []
        for path in paths:
            if not self.adopt(path):
                for linked in adopted:  # a full build whose file system refused a link: undo
                    self.target(linked).unlink()
                return None
            adopted.append(path)
        return outputs

    def reuse_made_from(self, recipe: bytes) -> list[Output] | None:
        """Adopt the last build's files made from `recipe` (see reuse_all) and return their records;
        None when there are none or they cannot all be kept."""
        paths = self.made_from(recipe)
        return self.reuse_all([PurePosixPath(path) for path in paths], recipe) if paths else None

    def output_file(self, path: str) -> Path:
        """Return the file at the site path `path` in the output folder (the published site)."""
        return self.out_dir.joinpath(*PurePosixPath(path).parts)

    def put(self, page: Page, recipe: bytes = NO_RECIPE) -> tuple[Output, int]:
        """Place one page; return its record and the bytes written (0 when the old file stays)."""
        if not isinstance(page.content, (str, bytes)):
            return self.put_pieces(page, recipe)
        data = page.content.encode("utf-8") if isinstance(page.content, str) else page.content
        data_digest = content_digest(data)
        kept = self.reuse(page.path, recipe, data_digest)
        if kept is not None:
            return kept, 0
        target = self.target(page.path)
        with open(target, "xb") as file:
            file.write(data)
        return Output(str(page.path), recipe, data_digest, len(data), target.stat().st_mtime_ns), len(data)

    def put_pieces(self, page: Page, recipe: bytes) -> tuple[Output, int]:
        """Place a page whose bytes come in pieces as they are made (a large file, never held whole):
        they are written beside its place, which the published file takes instead if they are its bytes."""
        target = self.target(page.path)
        partial = target.with_name(f".{target.name}.part")
        hasher = content_hasher()
        size = 0
        with open(partial, "xb") as file:
            for piece in page.content:
                hasher.update(piece)
                file.write(piece)
                size += len(piece)
        kept = self.reuse(page.path, recipe, hasher.digest())
        if kept is not None:
            partial.unlink()
            return kept, 0
        os.rename(partial, target)
        return Output(str(page.path), recipe, hasher.digest(), size, target.stat().st_mtime_ns), size


class Staging:
    """The new output while the build makes it: every page claimed, placed and recorded."""

    def __init__(self, placer: Placer):
        self.placer = placer
        self.claimed: dict[PurePosixPath, tuple[str, ...]] = {}
        self.outputs: dict[str, Output] = {}
        self.written: list[str] = []  # paths whose bytes are in the staging folder
        self.bytes_written = 0

    @property
    def folder(self) -> Path:
        return self.placer.staging

    @property
    def pages_written(self) -> int:
        return len(self.written)

    def put(self, page: Page, recipe: bytes = NO_RECIPE) -> None:
        check_page_path(page, self.claimed)
        output, written = self.placer.put(page, recipe)
        self.note(output, written)

    def keep(self, paths: Iterable[str] | None, recipe: bytes, sources: tuple[str, ...] = ()) -> bool:
        """Keep the pages at `paths` (None: the ones the last build made from `recipe`) from the last
        build if all were made from `recipe` and are unchanged; otherwise keep none of them (they are
        made again together)."""
        if paths is None:
            paths = self.placer.made_from(recipe)
            if not paths:
                return False
        paths = [PurePosixPath(path) for path in paths]
        outputs = self.placer.reuse_all(paths, recipe)
        if outputs is None:
            return False
        for path, output in zip(paths, outputs):
            check_page_path(Page(path, b"", sources), self.claimed)
            self.note(output, 0)
        return True

    def note(self, output: Output, written: int) -> None:
        """Record a page placed here or by a worker process."""
        self.outputs[output.path] = output
        self.bytes_written += written
        if written:
            self.written.append(output.path)

    def claim(self, path: str, sources: tuple[str, ...]) -> None:
        """Claim a path a worker process placed, refusing it if another page has it."""
        check_page_path(Page(PurePosixPath(path), b"", sources), self.claimed)


@contextlib.contextmanager
def staged_output(out_dir: Path, previous: Mapping[str, Output] | None = None) -> Iterator[Staging]:
    """Yield a Staging in a new folder beside `out_dir`; the caller publishes it with `publish`.
    On any exception, or if it is not published, the folder is removed and `out_dir` is untouched.
    With the record of the last build (`previous`) and its output in place, the build is an update."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = None
    try:
        with signals_held():  # an interrupt now would come between creating the folder and knowing it
            staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-new-", dir=out_dir.parent))
        update = bool(previous) and out_dir.is_dir()
        yield Staging(Placer(staging, out_dir, previous or {}, update))
    finally:
        if staging is not None and staging.exists():
            with signals_held():  # a second Ctrl-C must not leave the half-written folder behind
                shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Staging, out_dir: Path, folders: Mapping[str, tuple[int, int]] | None = None) -> None:
    """Make the staged site the output: swap the folder in, or move an update's changed files in
    (`folders`: the times of the output's folders after the last build, which tell where to look for
    files added by hand)."""
    out_dir = out_dir.absolute()
    with signals_held():
        if staging.placer.update:
            apply_update(staging, out_dir, folders or {})
        else:
            os.chmod(staging.folder, 0o755)  # mkdtemp makes it private; a published site is readable
            swap_in(staging.folder, out_dir)


def site_prefix(folder: str, root: str) -> str:
    """Return the site path of `folder`, a folder os.walk found under `root`, as a prefix: "" or "a/b/"."""
    return "" if folder == root else folder[len(root) + 1:].replace(os.sep, "/") + "/"


def site_folders(paths: Iterable[str]) -> set[str]:
    """Return the folders that hold the files at these site paths, and the folders above them, as site
    paths ("" for the site's own folder)."""
    folders = {""}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def folder_times(out_dir: Path, folders: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Return the modification and change times of those of `folders` that are real folders of the
    output (see reachable_folders) and have settled (see cache.settled): a folder whose times are the
    same later has had no file added, removed or renamed."""
    now = time.time_ns()
    real, _ = reachable_folders(out_dir, folders)
    return {folder: (status.st_mtime_ns, status.st_ctime_ns) for folder, status in real.items()
            if settled(status.st_mtime_ns, status.st_ctime_ns, now)}


def reachable_folders(out_dir: Path, folders: Iterable[str]) -> tuple[dict[str, os.stat_result], list[str]]:
    """Return the status of each of `folders` (site paths) that is a real folder of the output reached
    through real folders, and the site paths of those that are something else now (a link or a file
    in a folder's place) in a real folder. Nothing is ever listed, removed or reused through a link:
    it could lead out of the output, to files the user keeps elsewhere."""
    root = os.fspath(out_dir)
    real: dict[str, os.stat_result] = {}
    replaced: list[str] = []
    for folder in sorted(folders):  # a folder before those inside it
        if folder and folder.rpartition("/")[0] not in real:
            continue  # in a folder that is gone, a link or a file
        try:  # the output folder itself may be a link the user made; a folder in it may not
            status = os.lstat(os.path.join(root, folder)) if folder else os.stat(root)
        except OSError:
            continue
        if stat.S_ISDIR(status.st_mode):
            real[folder] = status
        elif folder:
            replaced.append(folder)
    return real, replaced


def stray_entries(out_dir: Path, real: Mapping[str, os.stat_result], folders: Container[str],
                  known: Mapping[str, tuple[int, int]], keep: Container[str]) -> tuple[list[str], list[str]]:
    """Return the files of the output not in `keep`, and the folders not in `folders`, as site paths:
    what a hand or another program added to the site last published, whose folders are `folders` and
    `real` those of them that are real folders still (see reachable_folders).

    Only the folders whose times differ from `known` (those they had after that build) are listed: a
    folder with no file added or removed since has only the files that build left. A folder that the
    site did not have is read whole, without following links.
    """
    root = os.fspath(out_dir)
    files: list[str] = []
    added: list[str] = []
    for folder, status in real.items():
        if known.get(folder) == (status.st_mtime_ns, status.st_ctime_ns):
            continue
        prefix = folder + "/" if folder else ""
        with contextlib.suppress(OSError), os.scandir(os.path.join(root, folder)) as entries:
            for entry in entries:
                path = prefix + entry.name
                if path in folders:
                    continue  # a folder of the site: checked on its own
                if entry.is_dir(follow_symlinks=False):
                    added.append(path)
                    for inner, subfolders, names in os.walk(entry.path):
                        inner_prefix = site_prefix(inner, root)
                        added += (inner_prefix + name for name in subfolders)
                        files += (inner_prefix + name for name in names if inner_prefix + name not in keep)
                elif path not in keep:
                    files.append(path)
    return files, added


def apply_update(staging: Staging, out_dir: Path, known: Mapping[str, tuple[int, int]]) -> None:
    """Remove the output's files the new site does not have, then move the changed files in.

    The last build's files are known from its record; files added since by hand are found in the
    folders whose times changed (`known`: the folders' times after the last build). A link or a file
    where a folder was is removed itself. Each file is replaced by a rename, so a reader never sees
    half a page; signals are held, so an interrupt cannot stop the update halfway.
    """
    root = os.fspath(out_dir)
    previous = staging.placer.previous
    folders = site_folders(previous)
    real, replaced = reachable_folders(out_dir, folders)
    stray, added = stray_entries(out_dir, real, folders, known, staging.outputs)
    gone = [path for path in previous if path not in staging.outputs and path.rpartition("/")[0] in real]
    gone += replaced + stray
    for path in gone:
        with contextlib.suppress(FileNotFoundError):  # removed by hand since
            os.unlink(os.path.join(root, path))
    # The folders that may be empty now, the deepest first; rmdir leaves one that is not.
    emptied = site_folders(gone).union(added)
    emptied.discard("")
    for folder in sorted(emptied, key=lambda path: path.count("/"), reverse=True):
        with contextlib.suppress(OSError):
            os.rmdir(os.path.join(root, folder))
    for path in staging.written:
        parts = PurePosixPath(path).parts
        target = out_dir.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging.folder.joinpath(*parts), target)


def write_site(pages: Iterable[Page], out_dir: Path) -> int:
    """Write every page into a new folder and swap it in for `out_dir`; return the bytes written."""
    with staged_output(out_dir) as staging:
        for page in pages:
            staging.put(page)
        publish(staging, out_dir)
    return staging.bytes_written


def refuse_dangerous_output(out_dir: Path, protected: Iterable[Path]) -> None:
    """Raise BuildError when `out_dir` is a folder that a fresh build must never replace."""
    target = out_dir.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor) or home.is_relative_to(target):
        raise BuildError(f"refusing to use {out_dir} as the output folder: it would replace "
                         f"{'the root folder' if target == Path(target.anchor) else 'your home folder'}")
    if target.exists() and not target.is_dir():
        raise BuildError(f"refusing to use {out_dir} as the output folder: it is a file, not a folder")
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            raise BuildError(f"refusing to use {out_dir} as the output folder: it holds {folder}")


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` with `staging` by two renames, so no reader sees a half-written site."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except BaseException:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the output is swapped or cleaned up; they arrive after.

    Python runs signal handlers between any two steps, so without this an interrupt between the
    two renames, or during a clean-up, could leave the old site moved aside or a temporary folder.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield  # Windows has no signal masks; other threads never run Python signal handlers
        return
    previous = None
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        yield
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
