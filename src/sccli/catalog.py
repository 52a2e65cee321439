"""A library as the commands use it: find an article, read it, list them, search them.

Two catalogs answer the same questions:

* :class:`LibraryCatalog` over a :class:`~sccli.models.Library` in memory (the
  packaged articles, parsed on every run: they are small);
* :class:`DatabaseCatalog` over the SQLite cache of a user's data file, which
  reads only what a command needs, so that ``show`` on a corpus of 10,000
  articles costs about what it costs on the packaged ones.

Both find articles by the same rules (see :func:`sccli.lookup.find_article`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from sccli.errors import NotFound
from sccli.lookup import LIST_HINT, NO_ARTICLES, ambiguous, find_article, suggest_ids
from sccli.models import Article, Entry, Library, Term

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from pathlib import Path

    from sccli.libraries import Shelves, Summary
    from sccli.search import Index


#: The packaged library's name (``NAME/ID`` works for its ids too).
PACKAGED = "sccli"


class Catalog(Protocol):
    """What the commands ask of a library."""

    def find(self, name: str | None) -> Article:
        """The article called ``name`` (the first one when None); raises NotFound."""
        ...

    def ids(self) -> list[str]:
        """Every article's id, in reading order."""
        ...

    def qualified_ids(self) -> list[str]:
        """Every article's id written ``NAME/ID``, when several libraries are read as one."""
        ...

    def id_width(self) -> int:
        """The length of the longest article id (``list`` lays out its rows before it reads them)."""
        ...

    def libraries(self) -> list[Summary]:
        """What each library read is (``sccli library list``); empty for a single data file."""
        ...

    def count(self) -> int:
        """How many articles there are."""
        ...

    def articles(self) -> Iterator[Article]:
        """Every article, in reading order (for ``list``, which shows reading figures)."""
        ...

    def related(self, article: Article) -> list[Entry]:
        """The entries of the articles ``article`` links to, skipping ids that go nowhere."""
        ...

    def glossary(self) -> list[Term]:
        """The glossary, in the data file's order."""
        ...

    def glossary_of(self, library: str) -> list[Term] | None:
        """The glossary entries of one library (for ``define NAME/ID``); None when no library has that name."""
        ...

    @property
    def index(self) -> Index:
        """The search engine over this library."""
        ...

    @property
    def problems(self) -> list[str]:
        """What is wrong with the library but does not stop it being read."""
        ...


class LibraryCatalog:
    """A catalog over a library held in memory."""

    def __init__(
        self,
        library: Library,
        *,
        summaries: Sequence[Summary] = (),
        library_of: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> None:
        """``library_of`` names each article's library (by id) when several are read as one;
        ``name`` is the library's own name when it is one (``sccli``, so that NAME/ID works)."""
        self.library = library
        self._summaries = list(summaries)
        self._library_of = dict(library_of or {})
        self._name = name
        self.term_library_of: dict[str, str] = {}

    def find(self, name: str | None) -> Article:
        library, slash, local = (name or "").strip().partition("/")
        if slash and library == self._name:
            return find_article(self.library, local)
        if slash and self._library_of and not any(article.id == name for article in self.library.articles):
            for article in self.library.articles:
                if article.id == local and self._library_of.get(article.id) == library:
                    return article
        return find_article(self.library, name)

    def ids(self) -> list[str]:
        return [article.id for article in self.library.articles]

    def id_width(self) -> int:
        return max((len(article.id) for article in self.library.articles), default=0)

    def qualified_ids(self) -> list[str]:
        return [
            found if "/" in found else f"{self._library_of[found]}/{found}"
            for found in self.ids()
            if found in self._library_of
        ]

    def libraries(self) -> list[Summary]:
        return list(self._summaries)

    def count(self) -> int:
        return len(self.library.articles)

    def articles(self) -> Iterator[Article]:
        return iter(self.library.articles)

    def related(self, article: Article) -> list[Entry]:
        by_id = {candidate.id: candidate for candidate in self.library.articles}
        return [Entry.of(by_id[other]) for other in article.related if other in by_id]

    def glossary(self) -> list[Term]:
        return list(self.library.glossary)

    def glossary_of(self, library: str) -> list[Term] | None:
        if library == self._name:
            return self.glossary()
        if library not in self.term_library_of.values():
            return None
        return [term for term in self.library.glossary if self.term_library_of.get(term.id) == library]

    @cached_property
    def index(self) -> Index:
        from sccli.search import memory_index

        return memory_index(self.library)

    @cached_property
    def problems(self) -> list[str]:
        from sccli.data import find_problems

        return find_problems(self.library)


class DatabaseCatalog:
    """A catalog over a library database (``sccli.search.store.SCHEMA``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def find(self, name: str | None) -> Article:
        if name is None:
            row = self.conn.execute("SELECT article FROM articles ORDER BY ord LIMIT 1").fetchone()
            if row is None:
                raise NotFound(NO_ARTICLES, [], "Run 'sccli define' to see them.")
            return _decode_article(row[0])
        wanted = name.strip()
        folded = wanted.casefold()
        row = self.conn.execute("SELECT article FROM articles WHERE id = ?", (wanted,)).fetchone()
        library, slash, local = wanted.partition("/")
        if row is None and slash:  # NAME/ID, where the id is unique and so written without NAME/
            row = self.conn.execute(
                "SELECT article FROM articles WHERE id = ? AND library = ?", (local, library)
            ).fetchone()
            if row is None and library in self.library_names():
                full = self._ids_of(library)
                ids = [found.rpartition("/")[2] for found in full]
                starting = [f"{library}/{found}" for found in ids if local and found.startswith(local.casefold())]
                if len(starting) == 1:
                    return self.find(starting[0])
                if starting:
                    raise ambiguous(name, "article", starting)
                close = [f"{library}/{found}" for found in suggest_ids(local.casefold(), ids)]
                raise NotFound(f"No article called '{local}' in the library '{library}'.", close, LIST_HINT)
        if row is None:
            row = self.conn.execute(
                "SELECT article FROM articles WHERE ord = (SELECT min(ord) FROM ("
                " SELECT ord FROM articles WHERE title_key = :key"
                " UNION ALL SELECT ord FROM aliases WHERE key = :key))",
                {"key": folded},
            ).fetchone()
        if row is not None:
            return _decode_article(row[0])
        shared = [
            found
            for (found,) in self.conn.execute(
                "SELECT id FROM articles WHERE library != '' AND id = library || '/' || ? ORDER BY ord", (folded,)
            )
        ]
        if len(shared) == 1:  # written NAME/ID (as every id is when --library narrows what is read)
            return self._article("SELECT article FROM articles WHERE id = ?", (shared[0],))
        if shared:  # an id that two libraries share: each is NAME/ID
            raise ambiguous(name, "article (libraries share this id)", shared)
        if folded:
            # The start of an id, or of the ID of a NAME/ID (a shared id, or any id under --library).
            prefixed = [
                found
                for (found,) in self.conn.execute(
                    "SELECT id FROM articles WHERE id >= :start AND id < :end"
                    " OR (library != '' AND substr(id, 1, length(library) + 1) = library || '/'"
                    " AND substr(id, length(library) + 2) >= :start AND substr(id, length(library) + 2) < :end)"
                    " ORDER BY ord LIMIT 11",
                    {"start": folded, "end": folded + "\U0010ffff"},
                )
            ]
            if len(prefixed) == 1:
                return self._article("SELECT article FROM articles WHERE id = ?", (prefixed[0],))
            if prefixed:
                raise ambiguous(name, "article", prefixed)
        named = (
            [
                found
                for (found,) in self.conn.execute(
                    "SELECT id FROM articles WHERE "
                    + " AND ".join(["instr(title_key, ?) > 0"] * len(words))
                    + " LIMIT 3",
                    words,
                )
            ]
            if (words := folded.split()[:10])
            else []
        )
        close = list(dict.fromkeys([*named, *suggest_ids(folded, self.ids())]))[:3]
        raise NotFound(f"No article called '{name}'.", close, LIST_HINT)

    def ids(self) -> list[str]:
        return [found for (found,) in self.conn.execute("SELECT id FROM articles ORDER BY ord")]

    def id_width(self) -> int:
        from sccli.search.store import recorded

        return int(recorded(self.conn, "id_width"))

    def qualified_ids(self) -> list[str]:
        """Every article's id as ``NAME/ID`` (for completion), when several libraries are read."""
        return [
            found if "/" in found else f"{library}/{found}"
            for found, library in self.conn.execute("SELECT id, library FROM articles WHERE library != '' ORDER BY ord")
        ]

    def library_names(self) -> list[str]:
        return [name for (name,) in self.conn.execute("SELECT name FROM libraries ORDER BY ord")]

    def libraries(self) -> list[Summary]:
        """What each library read is (``sccli library list``), in order; empty for one data file."""
        rows = self.conn.execute(
            "SELECT name, kind, path, articles, terms, date, languages, problem FROM libraries ORDER BY ord"
        ).fetchall()
        if not rows:
            return []  # one data file: nothing more to import (start-up)
        from sccli.libraries import Summary

        return [Summary(*row) for row in rows]

    def _ids_of(self, library: str) -> list[str]:
        return [found for (found,) in self.conn.execute("SELECT id FROM articles WHERE library = ?", (library,))]

    def count(self) -> int:
        from sccli.search.store import recorded

        return int(recorded(self.conn, "articles"))  # (a count in SQL would read every article's row)

    def articles(self) -> Iterator[Article]:
        for (blob,) in self.conn.execute("SELECT article FROM articles ORDER BY ord"):
            yield _decode_article(blob)

    def related(self, article: Article) -> list[Entry]:
        found = {}
        for other in article.related:
            row = self.conn.execute("SELECT article FROM articles WHERE id = ?", (other,)).fetchone()
            if row is not None:
                found[other] = Entry.of(_decode_article(row[0]))
        return [found[other] for other in article.related if other in found]

    def glossary(self) -> list[Term]:
        from sccli.search.store import decode_term

        return [decode_term(blob) for (blob,) in self.conn.execute("SELECT term FROM glossary ORDER BY ord")]

    def glossary_of(self, library: str) -> list[Term] | None:
        from sccli.search.store import decode_term

        if library not in self.library_names():
            return None
        rows = self.conn.execute("SELECT term FROM glossary WHERE library = ? ORDER BY ord", (library,))
        return [decode_term(blob) for (blob,) in rows]

    @cached_property
    def index(self) -> Index:
        from sccli.search.fts import FtsIndex

        return FtsIndex(self.conn)

    @cached_property
    def problems(self) -> list[str]:
        return [message for (message,) in self.conn.execute("SELECT message FROM problems ORDER BY rowid")]

    def _article(self, sql: str, params: Sequence[object]) -> Article:
        row = self.conn.execute(sql, params).fetchone()
        return _decode_article(row[0])


def _decode_article(blob: bytes) -> Article:
    from sccli.search.store import decode_article

    return decode_article(blob)


def open_catalog(
    data: Path | None,
    cache_dir: Path | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    rebuild: bool = False,
) -> tuple[Catalog, bool]:
    """Open a library for the commands (and for shell completion).

    The packaged library is parsed and kept in memory; a data file is read
    through its cached index (:mod:`sccli.search.cache`), or in memory with the
    scan engine when this Python's SQLite lacks FTS5.

    Args:
        data: a data file, or None for the packaged library.
        cache_dir: where index files live; None to index in memory.
        progress: called as ``progress(bytes_read, bytes_in_file)`` while indexing.
        rebuild: build the index even if its cache file looks valid.

    Returns:
        The catalog, and whether it was indexed just now (rather than read
        from a valid cache file), which is when its problems are worth saying.

    Raises:
        DataError: the data file is missing or invalid.
    """
    from sccli.data import load_library

    if data is None:
        return LibraryCatalog(load_library(None), name=PACKAGED), True
    if data is not None:
        from sccli.search.store import fts5_available

        if fts5_available():
            from sccli.search.cache import open_index

            conn, built = open_index(data, cache_dir, progress=progress, rebuild=rebuild)
            return DatabaseCatalog(conn), built is not None
    return LibraryCatalog(load_library(data)), True


def open_libraries(
    shelves: Shelves,
    cache_dir: Path | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    rebuild: bool = False,
) -> tuple[Catalog, bool]:
    """Open several libraries as one (:mod:`sccli.libraries`): one index, cached like a data file's.

    Returns:
        The catalog, and whether it was indexed just now.
    """
    from sccli.search.store import fts5_available

    if fts5_available():
        from sccli.search.cache import open_source

        conn, built = open_source(shelves, cache_dir, progress=progress, rebuild=rebuild)
        return DatabaseCatalog(conn), built is not None
    from sccli.libraries import merge

    loaded, summaries = shelves.read()
    library, library_of, term_library_of = merge(loaded, shelves.language, qualified=shelves.qualified)
    catalog = LibraryCatalog(library, summaries=summaries, library_of=library_of)
    catalog.term_library_of = term_library_of
    return catalog, True


def open_chosen(
    source: str | Shelves | None,
    cache_dir: Path | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    rebuild: bool = False,
) -> tuple[Catalog, bool]:
    """Open what :func:`sccli.libraries.choose` chose: a data file, several libraries, or (None)
    the packaged library alone. The commands and shell completion both open libraries here.

    Returns:
        The catalog, and whether it was indexed just now.
    """
    if source is None:
        return open_catalog(None, None)
    if isinstance(source, str):
        from pathlib import Path

        return open_catalog(Path(source), cache_dir, progress=progress, rebuild=rebuild)
    return open_libraries(source, cache_dir, progress=progress, rebuild=rebuild)
