"""Libraries: the packaged one and the ones a reader adds, read together as one.

A reader adds a library with ``sccli library add PATH``: a data file, a
MedlinePlus health-topics or definitions file, a Markdown note or a folder of
notes (:func:`sccli.data.open_library` tells them apart). Added libraries are
remembered in ``libraries.ini`` in the user config directory, a file meant to
be read and edited by hand::

    [medlineplus]
    path = /home/me/mplus_topics_2024-06-06.xml

Every command reads the packaged library (named ``sccli``) and the added ones
through one index (:class:`Shelves`, cached like a data file's), so search
ranks them all on one scale. Article ids stay as they are where they are
unique; where two libraries share one, both are written ``NAME/ID``; a
glossary id shared by two libraries is handled the same way. A library that
cannot be read is left out with a warning: the others are still read.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from sccli.catalog import PACKAGED as PACKAGED  # the packaged library's name (catalog imports nothing of this module)
from sccli.errors import DataError, NotFound, SccliError

if TYPE_CHECKING:
    from pathlib import Path

    from sccli.models import Article, Library, Term

# Every command checks for a config file; the modules that read and index
# libraries are imported only once there is one (start-up, bench/README.md).


#: The config file, in the user config directory.
CONFIG_NAME = "libraries.ini"

_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 40

#: What ``--lang`` takes, and the language names MedlinePlus writes for them.
LANGUAGES = {"en": "English", "es": "Spanish"}

#: What a library without a language of its own is written in.
DEFAULT_LANGUAGE = "English"

_HEADER = """\
# The libraries sccli reads beside its own (see "sccli library --help").
# Each [name] is a library; path is the file or folder to read (~ and paths relative to
# this file's folder work). 'sccli library add PATH' and 'sccli library remove NAME'
# edit this file; so may you.
"""


class LibraryError(SccliError):
    """A library cannot be added or removed: the name is taken or unknown, the path is wrong."""


class Shelf(msgspec.Struct, frozen=True):
    """A library as the config names it: its name and the file or folder to read."""

    name: str
    path: str  # absolute; the packaged data file for the packaged library


def valid_name(name: str) -> bool:
    """Whether ``name`` can name a library: lower-case words joined by hyphens, at most 40 characters."""
    return bool(_NAME.match(name)) and len(name) <= MAX_NAME


def read_config(file: Path) -> tuple[list[Shelf], list[str]]:
    """The added libraries, in the file's order, and what is wrong with the file (one warning each).

    A missing file means no added libraries. A file that cannot be read or
    parsed is one warning, and no added libraries; an entry without a path,
    with a name that cannot be one, or named twice, is one warning, and the
    others are read (of a name given twice, the first).
    """
    import configparser

    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{file}: cannot be read ({_reason(error)}); only the packaged library is read"]
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER_LINE.match(line)
        if header:
            name = header.group(1).strip()
            if name in seen:
                problems.append(f"{file}: [{name}] appears twice; the first is read")
            seen.add(name)
        elif not seen and line.strip() and line.lstrip()[:1] not in "#;":
            problems.append(f"{file}: line {number} is not in an entry (an entry starts with [name]); ignored")
    shelves: list[Shelf] = []
    for name, body in _sections(text):
        section = configparser.ConfigParser(interpolation=None, strict=True, default_section="\x00defaults")
        try:
            section.read_string(f"[x]\n{body}", source=str(file))
        except configparser.DuplicateOptionError as error:
            problems.append(f"{file}: the entry [{name}] gives '{error.option}' more than once; skipped")
            continue
        except configparser.Error:
            problems.append(f"{file}: the entry [{name}] has a line that is not 'key = value'; skipped")
            continue
        value = section["x"].get("path", "").strip()
        if any(shelf.name == name for shelf in shelves):
            continue
        if not valid_name(name) or name == PACKAGED:
            problems.append(f"{file}: [{name}] is not a library name (lower-case words joined by hyphens); skipped")
        elif not value:
            problems.append(f"{file}: library '{name}' has no path; skipped")
        elif "\n" in value:
            problems.append(f"{file}: the path of library '{name}' goes on over more than one line; skipped")
        else:
            path = os.path.expanduser(value)
            shelves.append(Shelf(name, os.path.normpath(os.path.join(file.parent, path))))
    return shelves, problems


_HEADER_LINE = re.compile(r"^\s*\[([^\]]*)\]\s*$")


def _sections(text: str) -> list[tuple[str, str]]:
    """Each ``[name]`` of the file with the lines under it, in order (lines before the first are ignored)."""
    found: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        header = _HEADER_LINE.match(line)
        if header:
            found.append((header.group(1).strip(), []))
        elif found:
            found[-1][1].append(line)
    return [(name, "\n".join(lines)) for name, lines in found]


def check_path(path: str) -> None:
    """A path must be one line of printable text to be written in the config file.

    Raises:
        LibraryError: it is not (a line break would start a new line of the file).
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise LibraryError(f"{path!r}: the name is not UTF-8 text; rename it to add it.") from None
    if not path.isprintable() or path != path.strip():
        raise LibraryError(
            f"{path!r}: a name with line breaks, control characters or spaces at its ends cannot be written "
            "in the libraries file; rename it to add it."
        )


def add(file: Path, path: str, name: str, *, packaged: str | None = None) -> Shelf:
    """Add a library to the config file (made if need be); return it.

    Raises:
        LibraryError: the name is not valid or is taken, the path is already a
            library (or the packaged one), or it cannot be written in the file.
    """
    check_path(os.path.abspath(path))
    shelf = Shelf(name, os.path.abspath(path))
    if not valid_name(name):
        raise LibraryError(f"'{name}' cannot name a library: use lower-case words joined by hyphens (at most 40).")
    if packaged is not None and os.path.realpath(packaged) == os.path.realpath(shelf.path):
        raise LibraryError(f"{path} is the packaged library, which sccli always reads.")
    with _locked(file):
        shelves, _ = read_config(file)
        if name == PACKAGED or any(other.name == name for other in shelves):
            raise LibraryError(f"a library called '{name}' exists already; choose another name with --name.")
        for other in shelves:
            if os.path.realpath(other.path) == os.path.realpath(shelf.path):
                raise LibraryError(f"{path} is already the library '{other.name}'.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            text = _HEADER
        except (OSError, UnicodeDecodeError) as error:
            raise LibraryError(f"{file}: cannot be read ({_reason(error)}).") from None
        entry = f"[{name}]\npath = {shelf.path}\n"
        text = text if not text or text.endswith("\n") else text + "\n"
        _write(file, f"{text}\n{entry}" if text.strip() else _HEADER + "\n" + entry)
    return shelf


def remove(file: Path, name: str) -> Shelf:
    """Take a library out of the config file (the rest of the file is left as it is); return it.

    Its ``[name]`` line and what follows go, up to the next entry, but for the
    comments and blank lines just before that entry, which belong to it.

    Raises:
        LibraryError: no library has that name, or it is the packaged one.
    """
    if name == PACKAGED:
        raise LibraryError("the packaged library cannot be removed; --library NAME reads only the libraries you name.")
    with _locked(file):
        shelves, _ = read_config(file)
        found = next((shelf for shelf in shelves if shelf.name == name), None)
        if found is None:
            raise _unknown(name, [shelf.name for shelf in shelves])
        lines = file.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        kept: list[str] = []
        dropped: list[str] = []
        inside = False
        for line in lines:
            header = _HEADER_LINE.match(line)
            if header:
                if inside:  # the comments and blank lines just before this entry are its own
                    trailing = len(dropped)
                    while trailing and (
                        not dropped[trailing - 1].strip() or dropped[trailing - 1].lstrip()[:1] in "#;"
                    ):
                        trailing -= 1
                    kept.extend(dropped[trailing:])
                    dropped = []
                inside = header.group(1).strip() == name
            (dropped if inside else kept).append(line)
        _write(file, "".join(kept))
    return found


@contextlib.contextmanager
def _locked(file: Path) -> Iterator[None]:
    """Hold a lock beside the config file while it is read and written (two adds at once both land)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here
        yield
        return
    folder = os.path.dirname(os.path.realpath(file))
    try:
        os.makedirs(folder, exist_ok=True)
        handle = os.open(os.path.join(folder, ".libraries.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise LibraryError(f"{file}: cannot be written ({_reason(error)}).") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def select(shelves: Sequence[Shelf], names: Sequence[str], packaged: Shelf) -> list[Shelf]:
    """The libraries a command reads: all (the packaged one first), or those ``names`` names, in config order.

    Raises:
        NotFound: a name is not a library's.
    """
    every = [packaged, *shelves]
    if not names:
        return every
    known = {shelf.name for shelf in every}
    for name in names:
        if name not in known:
            raise _unknown(name, [shelf.name for shelf in every])
    return [shelf for shelf in every if shelf.name in names]


def choose(
    data: str | None,
    shelves: Sequence[Shelf],
    names: Sequence[str],
    language: str | None,
    packaged: str,
    *,
    preloaded: Mapping[str, Library] | None = None,
    notices: Sequence[str] = (),
) -> str | Shelves | None:
    """What a command reads.

    Args:
        data: ``--data``: only this file or folder (None: the libraries).
        shelves: the added libraries (:func:`read_config`).
        names: ``--library``: only these libraries (none: every one).
        language: ``--lang`` (``en``, ``es``): only the articles in it.
        packaged: the packaged data file.
        preloaded: libraries already read, by path (``library add`` reads the new one first).
        notices: what reading those left out.

    Returns:
        The data file (its path) to index alone; the libraries to index as one
        (:class:`Shelves`); or None for the packaged library alone, which is
        read in memory with no cache file.

    Raises:
        NotFound: a name is not a library's.
    """
    wanted = LANGUAGES[language] if language is not None else None
    if data is not None:
        if wanted is None:
            return data
        return Shelves((Shelf("data", os.path.abspath(data)),), language=wanted)
    if not shelves and not names and wanted is None:
        return None
    chosen = select(shelves, names, Shelf(PACKAGED, packaged))
    # Narrowed, every id is NAME/ID: what such a command prints (search's "sccli show ..." hints,
    # list's ids) must also work without --library and --lang, where ids may be shared.
    narrowed = bool(names) or wanted is not None
    return Shelves(tuple(chosen), language=wanted, qualified=narrowed, preloaded=preloaded or {}, notices=notices)


def _unknown(name: str, names: list[str]) -> NotFound:
    from sccli.lookup import suggest_ids

    listed = ", ".join(names) if names else "none added"
    return NotFound(
        f"No library called '{name}'.", suggest_ids(name, names), f"Libraries: {listed} (sccli library list)."
    )


def _write(file: Path, text: str) -> None:
    """Write the config file whole or not at all; a link to it is followed (a dotfiles folder keeps its file)."""
    import tempfile

    target = os.path.realpath(file)
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        with contextlib.suppress(OSError):
            os.chmod(temporary, os.stat(target).st_mode & 0o777)  # an edited file keeps its permissions
        os.replace(temporary, target)
    except (OSError, UnicodeError) as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise LibraryError(f"{file}: cannot be written ({_reason(error)}).") from None


def _reason(error: BaseException) -> str:
    return str(getattr(error, "strerror", None) or error)


# What a library holds, and reading several as one.


class Summary(msgspec.Struct, frozen=True):
    """One library as ``sccli library list`` shows it."""

    name: str
    kind: str
    path: str
    articles: int
    terms: int
    date: str | None  # ISO date of the copy
    languages: str  # "English, Spanish"
    problem: str | None = None  # why it could not be read


def describe(name: str, path: str, library: Library, *, packaged: bool = False) -> Summary:
    """What ``library`` (read from ``path``) is: its kind, size, date and languages."""
    from sccli.medlineplus import CREDIT

    origins = [article.origin for article in library.articles if article.origin is not None]
    if packaged:
        kind = "packaged"
    elif origins and any(origin.credit == CREDIT for origin in origins):
        kind = "MedlinePlus health topics"
    elif not library.articles and library.glossary:
        kind = "MedlinePlus definitions" if path.lower().endswith((".xml", ".zip", ".gz")) else "glossary"
    elif os.path.isdir(path) or path.lower().endswith((".md", ".markdown")):
        kind = "Markdown notes"
    elif path.lower().endswith((".jsonl", ".ndjson")):
        kind = "sccli JSON Lines"
    else:
        kind = "sccli JSON"
    if origins:
        date: str | None = max(origin.date for origin in origins).isoformat()
    elif packaged and library.articles:
        date = max(article.reviewed for article in library.articles).isoformat()
    else:
        date = _modified(path)
    languages = sorted({language_of(article) for article in library.articles})
    return Summary(name, kind, path, len(library.articles), len(library.glossary), date, ", ".join(languages))


def language_of(article: Article) -> str:
    """The language an article is written in ("English" unless it says otherwise)."""
    return (article.origin.language if article.origin is not None else None) or DEFAULT_LANGUAGE


def _modified(path: str) -> str | None:
    """The date of the newest file at ``path`` (a file, or the notes in a folder)."""
    import datetime

    try:
        times = [info.st_mtime for _, info in _walk(path)] or [os.stat(path).st_mtime]
    except OSError:
        return None
    return datetime.date.fromtimestamp(max(times)).isoformat()


def merge(
    named: Sequence[tuple[str, Library]], language: str | None = None, *, qualified: bool = False
) -> tuple[Library, dict[str, str], dict[str, str]]:
    """Several libraries as one, and the library of each article and glossary entry (by id in the result).

    Ids stay as they are where they are unique; an article id (or a glossary
    id) that two libraries share becomes ``NAME/ID`` in both. A ``related``
    id names an article of its own library first, else one of another
    library whose id is unique, or, written ``NAME/ID``, the article of that
    library. ``language`` keeps only the articles in it; ``qualified`` writes
    every article id ``NAME/ID``.
    """
    from msgspec.structs import replace

    from sccli.models import SCHEMA_VERSION, Library

    kept = [
        (name, [article for article in library.articles if language is None or language_of(article) == language])
        for name, library in named
    ]
    own = {name: {article.id for article in library.articles} for name, library in named}
    shared = _shared(article.id for _, articles in kept for article in articles)
    if qualified:
        shared = {article.id for _, articles in kept for article in articles}
    final = {
        (name, article.id): _qualified(name, article.id, shared) for name, articles in kept for article in articles
    }
    unique = {local: final_id for (_, local), final_id in final.items() if local not in shared}
    merged: list[Article] = []
    library_of: dict[str, str] = {}
    for name, articles in kept:
        for article in articles:
            new_id = final[(name, article.id)]
            related = [
                final.get((name, other)) or final.get(_split(other)) or unique.get(other) or other
                for other in article.related
                if (name, other) in final or other not in own[name]  # not one left out for its language
            ]
            changed = new_id != article.id or related != article.related
            merged.append(replace(article, id=new_id, related=related) if changed else article)
            library_of[new_id] = name
    terms = [(name, term) for name, library in named for term in library.glossary]
    shared_terms = _shared(term.id for _, term in terms)
    glossary: list[Term] = [
        replace(term, id=_qualified(name, term.id, shared_terms)) if term.id in shared_terms else term
        for name, term in terms
    ]
    term_library_of = {term.id: name for term, (name, _) in zip(glossary, terms, strict=True)}
    synonyms = [group for _, library in named for group in library.synonyms]
    # Built directly: a data file's rules (at least one article, plain ids) are for files, not for this.
    return Library(SCHEMA_VERSION, merged, synonyms, glossary), library_of, term_library_of


def _split(qualified: str) -> tuple[str, str]:
    library, _, local = qualified.partition("/")
    return library, local


def _shared(ids: Iterable[str]) -> set[str]:
    from collections import Counter

    return {found for found, count in Counter(ids).items() if count > 1}


def _qualified(name: str, local: str, shared: set[str]) -> str:
    return f"{name}/{local}" if local in shared else local


class Shelves(msgspec.Struct, frozen=True):
    """Several libraries indexed as one (a :class:`~sccli.search.cache.Source`).

    The cache is valid while every library's files are as they were (size,
    times, inode: for a folder, those of each note in it) and the selection is
    the same. Building reads each library; one that cannot be read becomes a
    problem that :class:`~sccli.catalog.DatabaseCatalog` reports on every run.
    """

    shelves: tuple[Shelf, ...]
    packaged: str = PACKAGED
    language: str | None = None
    qualified: bool = False  # every article id NAME/ID, not only shared ones
    preloaded: Mapping[str, Library] = msgspec.field(default_factory=dict)
    notices: Sequence[str] = ()  # what reading the preloaded ones left out

    def cache_name(self) -> str:
        import hashlib
        import json

        names = [[shelf.name, os.path.realpath(shelf.path)] for shelf in self.shelves]
        digest = hashlib.sha256(json.dumps([names, self.language, self.qualified]).encode()).hexdigest()[:20]
        return f"libraries-{digest}.sqlite3"

    def key(self) -> str | None:
        import json

        from sccli.search.cache import index_version

        states = [[shelf.name, os.path.realpath(shelf.path), _state(shelf.path)] for shelf in self.shelves]
        return json.dumps(
            {**index_version(), "language": self.language, "qualified": self.qualified, "libraries": states},
            sort_keys=True,
        )

    def racy(self) -> bool:
        from pathlib import Path

        from sccli.search.cache import racy

        for shelf in self.shelves:
            try:
                if any(racy(Path(path)) for path, _ in _walk_or_file(shelf.path)):
                    return True
            except OSError:
                continue  # missing: its key says so, and a file that appears changes the key
        return False

    def read(self, notices: list[str] | None = None) -> tuple[list[tuple[str, Library]], list[Summary]]:
        """Each library that can be read, and what each one is (or why it cannot be read); what
        reading left out (a folder's notes that cannot be read) goes to ``notices``."""
        loaded: list[tuple[str, Library]] = []
        summaries: list[Summary] = []
        for shelf in self.shelves:
            packaged = shelf.name == self.packaged
            try:
                if shelf.path in self.preloaded:
                    library = self.preloaded[shelf.path]
                else:
                    library = _load(shelf, packaged=packaged, notices=notices)
            except DataError as error:
                summaries.append(Summary(shelf.name, "?", shelf.path, 0, 0, None, "", str(error).rstrip(".")))
                continue
            loaded.append((shelf.name, library))
            summaries.append(describe(shelf.name, shelf.path, library, packaged=packaged))
        return loaded, summaries

    def fill(self, conn: Any, progress: Callable[[int, int], None] | None) -> int:
        from sccli.search.store import TOKENIZERS, build

        notices: list[str] = list(self.notices)
        loaded, summaries = self.read(notices)
        library, library_of, term_library_of = merge(loaded, self.language, qualified=self.qualified)
        total = len(library.articles)
        report = (lambda done: progress(done, total)) if progress is not None else None
        count = build(
            conn,
            library.articles,
            lambda: (library.synonyms, library.glossary),
            progress=report,
            library_of=library_of.__getitem__,
            # English word forms for English and for a mix; for another language alone, none.
            tokenize=TOKENIZERS["english" if self.language in (None, DEFAULT_LANGUAGE) else "plain"],
            notices=lambda: notices,
            term_library_of=term_library_of.__getitem__,
        )
        with conn:
            conn.executemany(
                "INSERT INTO libraries (ord, name, kind, path, articles, terms, date, languages, problem)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (number, s.name, s.kind, s.path, s.articles, s.terms, s.date, s.languages, s.problem)
                    for number, s in enumerate(summaries)
                ],
            )
        return count


def read_library(path: str | None, notices: list[str] | None = None) -> Library:
    """A library's file or folder read whole (the packaged one for None); what it leaves out
    (a folder's notes that cannot be read) goes to ``notices``.

    Raises:
        DataError: it cannot be read.
    """
    from sccli.data import open_library

    with open_library(path) as stream:
        library = stream.library()
        if notices is not None:
            notices.extend(stream.problems)
    return library


def _load(shelf: Shelf, *, packaged: bool, notices: list[str] | None) -> Library:
    import stat

    if packaged:
        return read_library(None)
    try:
        info = os.stat(shelf.path)
    except FileNotFoundError:
        raise DataError(
            f"{shelf.path}: no such file or folder; if it moved, run 'sccli library remove {shelf.name}' "
            "and add it again"
        ) from None
    except OSError as error:
        raise DataError(f"{shelf.path}: cannot be read ({_reason(error)})") from None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        raise DataError(f"{shelf.path}: is not a file or a folder")
    return read_library(shelf.path, notices)


def _state(path: str) -> object:
    """What the cache key records of a library's files."""
    try:
        return [
            [name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino] for name, info in _walk_or_file(path)
        ]
    except OSError as error:
        return f"unreadable: {_reason(error)}"


def _walk_or_file(path: str) -> list[tuple[str, os.stat_result]]:
    import stat

    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        return [(path, info), *_walk(path)]
    return [(path, info)]


def _walk(path: str) -> list[tuple[str, os.stat_result]]:
    """The folders and Markdown notes under ``path`` (as the Markdown reader reads them), with their stat."""
    found: list[tuple[str, os.stat_result]] = []
    if not os.path.isdir(path):
        return found
    for folder, folders, files in os.walk(path):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in [*folders, *sorted(files)]:
            if name.startswith(".") or not (name in folders or name.lower().endswith((".md", ".markdown"))):
                continue
            with contextlib.suppress(OSError):
                found.append((os.path.join(folder, name), os.stat(os.path.join(folder, name))))
    return found
