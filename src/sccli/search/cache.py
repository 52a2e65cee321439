"""Keep the index of a user's data file in a cache file, and rebuild it when the file changes.

The cache is an SQLite database under the user cache directory, one per data
file (named by a hash of the file's real path). It is valid while its
recorded key still matches: the data file's size, ``mtime_ns``, ``ctime_ns``,
inode and device (as git's index checks files: ``ctime`` changes on every
write, so a rewrite that sets ``mtime`` back is still noticed), plus the
index format, the data format and the sccli version. Checking costs one
``stat`` and one query, never a read of the data file.

Building is atomic: the new database is written to a temporary file in the
same folder and renamed into place, so processes that start together on a
cold cache each build, all succeed, and leave one valid file. A cache file
that is corrupt or unreadable is rebuilt; a cache folder that cannot be
written (read-only, full) means building in memory, with no error.

A cache file is never trusted more than the data file: the folder is made
0700, a file that another user owns or may write is not used, a file whose
tables, views or triggers are not exactly the ones sccli creates is refused
(:func:`~sccli.search.store.open_database`), and text read back from it is
cleaned like text read from JSON; a cache folder that others may write is
not used (the index is built in memory). An edit made in the same instant as a
build, within the timestamp resolution of the filesystem (a "racy" edit, as
git calls it), could leave the key unchanged; such a build is not marked
valid, so the next run builds again. A data file that is not a regular file
(a pipe, ``/dev/stdin``) is indexed in memory and leaves no cache file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sccli import __version__
from sccli.data import open_library
from sccli.models import SCHEMA_VERSION
from sccli.search.store import INDEX_FORMAT, build, connect, open_database

#: Leftover temporary files (from a build that was killed) older than this are removed.
STALE_SECONDS = 3600

#: Cache files that no run has opened for this long are removed when another is built.
UNUSED_SECONDS = 30 * 24 * 3600

#: A data file changed less than this long before a build ended may have changed
#: again without a new timestamp (FAT keeps 2 s; ext4 and APFS, nanoseconds but a
#: clock that ticks every few milliseconds).
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Built:
    """What a build did, for ``sccli index`` to report."""

    articles: int
    seconds: float
    location: str  # the cache file, or "memory"


class Source(Protocol):
    """What an index is built from: one data file (:class:`FileSource`), or several libraries."""

    def cache_name(self) -> str:
        """The cache file's name, the same for the same source on every run."""
        ...

    def key(self) -> str | None:
        """What a valid cache must have been built from; None when it cannot have a cache file."""
        ...

    def fill(self, conn: sqlite3.Connection, progress: Callable[[int, int], None] | None) -> int:
        """Build the library database in the empty ``conn``; return how many articles."""
        ...

    def racy(self) -> bool:
        """Whether the source changed so recently that a further change could keep its timestamps."""
        ...


def cache_path(cache_dir: Path, data_path: Path) -> Path:
    """The cache file for a data file."""
    return cache_dir / FileSource(data_path).cache_name()


def open_index(
    data_path: Path,
    cache_dir: Path | None,
    *,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[sqlite3.Connection, Built | None]:
    """Return a connection to a valid library database for ``data_path`` (see :func:`open_source`).

    Raises:
        DataError: the data file is missing or invalid.
    """
    return open_source(FileSource(data_path), cache_dir, rebuild=rebuild, progress=progress)


def open_source(
    source: Source,
    cache_dir: Path | None,
    *,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[sqlite3.Connection, Built | None]:
    """Return a connection to a valid library database for ``source``.

    Args:
        source: what to index.
        cache_dir: where cache files live; None to build in memory.
        rebuild: build even if the cache is valid.
        progress: called as ``progress(done, total)`` while building.

    Returns:
        The connection, and what was built (None when the cache was valid).

    Raises:
        DataError: the data file is missing or invalid.
    """
    key = source.key()
    usable = cache_dir is not None and key is not None and _private(cache_dir)
    target = cache_dir / source.cache_name() if usable and cache_dir is not None else None
    if target is not None and key is not None and not rebuild:
        conn = _open_valid(target, key)
        if conn is not None:
            return conn, None
    started = time.perf_counter()
    if target is not None:
        try:
            count = _build_file(source, target, key, progress)
            if not (_private(target.parent) and _ours(target)):  # made or swapped meanwhile by another user
                raise OSError("the cache folder is not this user's alone")
            conn = open_database(target)
        except (OSError, sqlite3.DatabaseError):
            pass  # the cache folder cannot be written: build in memory instead
        else:
            return conn, Built(count, time.perf_counter() - started, str(target))
    conn = connect(":memory:")
    count = _fill(conn, source, key, progress)
    return conn, Built(count, time.perf_counter() - started, "memory")


@dataclass(frozen=True)
class FileSource:
    """One data file (JSON, MedlinePlus XML, Markdown), indexed as it is read."""

    path: Path

    def cache_name(self) -> str:
        digest = hashlib.sha256(os.fsencode(os.path.realpath(self.path))).hexdigest()[:20]
        return f"index-{digest}.sqlite3"

    def key(self) -> str | None:
        state = file_state(self.path)
        if state is None:
            return None
        return json.dumps({**index_version(), "path": os.path.realpath(self.path), **state}, sort_keys=True)

    def fill(self, conn: sqlite3.Connection, progress: Callable[[int, int], None] | None) -> int:
        with open_library(self.path) as stream:
            report = (lambda _: progress(stream.position, stream.size)) if progress is not None else None
            return build(
                conn,
                stream.articles,
                lambda: (stream.synonyms, stream.glossary),
                progress=report,
                notices=lambda: stream.problems,
                share_read=lambda: stream.position / stream.size if stream.size else 1.0,
            )

    def racy(self) -> bool:
        return racy(self.path)


def index_version() -> dict[str, object]:
    """What, besides its sources, a cache file depends on: the formats and sccli's version."""
    return {"index_format": INDEX_FORMAT, "schema_version": SCHEMA_VERSION, "sccli": __version__}


def file_state(path: Path) -> dict[str, int] | None:
    """A file's size, times, inode and device; None for one that cannot have a cache file
    (missing, or a pipe, a device, /dev/stdin: read once, never again from the same bytes)."""
    try:
        info = os.stat(path)
    except OSError:
        return None  # reading it will say what is wrong
    if not stat.S_ISREG(info.st_mode) or os.path.abspath(path).startswith(("/dev/", "/proc/")):
        return None
    return {
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
        "inode": info.st_ino,
        "device": info.st_dev,
    }


def _open_valid(target: Path, key: str) -> sqlite3.Connection | None:
    """Open the cache file read-only if it is ours alone, is sccli's database, and matches ``key``."""
    if not _ours(target):
        return None
    try:
        conn = open_database(target)
    except sqlite3.DatabaseError:  # corrupt, truncated, not a database, unreadable, altered
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None or row[0] != key:
        conn.close()
        return None
    with contextlib.suppress(OSError):
        os.utime(target)  # used now: not removed as unused (see _remove_stale)
    return conn


def _private(folder: Path) -> bool:
    """Whether ``folder`` is this user's alone (or does not exist yet, and will be made so).

    In a folder that others may write, a cache file could be swapped between
    the checks below and its opening: such a folder is not used at all. One
    of this user's own that others may write (an older sccli made it 0775
    under umask 002) is made private again.
    """
    if os.name == "nt":
        return True  # no POSIX modes: Windows keeps a user's cache folder private by its ACLs
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if info.st_uid != os.geteuid():
        return False
    if info.st_mode & 0o022:
        try:
            os.chmod(folder, 0o700)
        except OSError:
            return False
    return True


def _ours(target: Path) -> bool:
    """Whether ``target`` is a regular file that this user owns and nobody else may write."""
    try:
        info = os.lstat(target)
    except OSError:
        return False
    if os.name == "nt":
        return stat.S_ISREG(info.st_mode)
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _build_file(source: Source, target: Path, key: str | None, progress: Callable[[int, int], None] | None) -> int:
    target.parent.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        target.parent.mkdir(mode=0o700)  # private whatever the umask, as the XDG spec asks
    _remove_stale(target.parent)
    import tempfile  # (only a build needs it: start-up)

    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".tmp")
    os.close(handle)
    try:
        conn = connect(temporary)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            count = _fill(conn, source, key, progress)
        finally:
            conn.close()
        os.replace(temporary, target)
    except BaseException:
        _unlink(temporary)
        raise
    return count


def _fill(
    conn: sqlite3.Connection, source: Source, key: str | None, progress: Callable[[int, int], None] | None
) -> int:
    count = source.fill(conn, progress)
    if key is not None and source.racy():
        key = None  # the source may change again unseen: build again next time
    with conn:
        # The key goes in last: a database without it is never taken as valid.
        conn.execute("INSERT INTO meta (key, value) VALUES ('source', ?)", (key or "",))
    return count


def racy(path: Path) -> bool:
    """Whether ``path`` was modified so recently that a further edit could keep its timestamps."""
    try:
        modified = os.stat(path).st_mtime_ns
    except OSError:
        return True
    return time.time_ns() - modified < RACY_NS


def _remove_stale(folder: Path) -> None:
    """Remove what builds leave behind: temporary files of builds that were killed, and cache
    files that no run has used for :data:`UNUSED_SECONDS` (their data file deleted, a choice of
    libraries or a language not read again), so that the folder does not grow without end."""
    now = time.time()
    for pattern, age in (("*.tmp", STALE_SECONDS), ("*.sqlite3", UNUSED_SECONDS)):
        for leftover in [*folder.glob(f"index-{pattern}"), *folder.glob(f"libraries-{pattern}")]:
            try:
                if leftover.stat().st_mtime < now - age:
                    leftover.unlink()
            except OSError:
                pass


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
