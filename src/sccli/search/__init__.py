"""Search the library: one small interface, SQLite FTS5 behind it.

Commands talk to :class:`Index` only, so the engine can change without
touching them. :func:`memory_index` builds the FTS5 index of a library in
memory (milliseconds for the packaged articles); ``search.cache`` keeps the
index of a user's data file in a cache file; where this Python's SQLite lacks
FTS5, a scan in memory (``search.scan``) takes over.
"""

from __future__ import annotations

from typing import Protocol

from sccli.models import Hit, Library


class Index(Protocol):
    """What the commands need from a search engine."""

    #: "fts5", or "scan" for the fallback that the CLI warns about.
    engine: str

    def search(self, query: str, *, limit: int = 10, article: str | None = None, raw: bool = False) -> list[Hit]:
        """Return up to ``limit`` hits, best first; ties keep reading order.

        Args:
            query: what the user typed; read as words and "quoted phrases".
            limit: the most hits to return.
            article: search only in the article with this id.
            raw: pass ``query`` to the engine as its own syntax (FTS5).

        Raises:
            QuerySyntaxError: ``raw`` is set and the query is not valid.
        """
        ...

    def count(self, query: str, *, article: str | None = None, raw: bool = False, at_most: int | None = None) -> int:
        """How many sections match ``query`` in all (:meth:`search` shows the best of them); with
        ``at_most``, counting stops past that many (a common word in a large library matches
        hundreds of thousands, and counting them all costs a fifth of the search)."""
        ...

    def suggest(self, query: str, *, count: int = 3) -> list[str]:
        """Indexed words that the query's words may have meant, closest first: slips of the
        keys and other forms of the same words (:func:`~sccli.search.query.variant`), never
        words only spelt a little like them."""
        ...

    def correct(self, query: str) -> str | None:
        """``query`` with the words the index lacks spelt as the closest words it has, where
        a word looks like a slip of the keys for one (:func:`~sccli.search.query.misspelling`),
        or None when every word is known or none is close enough to a known one."""
        ...


def memory_index(library: Library) -> Index:
    """Index ``library`` in memory: FTS5 when SQLite has it, else a scan."""
    from sccli.search.store import fts5_available

    if not fts5_available():
        from sccli.search.scan import ScanIndex

        return ScanIndex(library)
    from sccli.search.fts import FtsIndex
    from sccli.search.store import build, connect

    conn = connect(":memory:")
    build(conn, library.articles, lambda: (library.synonyms, library.glossary))
    return FtsIndex(conn)


def search(library: Library, query: str, *, limit: int = 10, article: str | None = None) -> list[Hit]:
    """Search ``library`` for ``query`` (see :meth:`Index.search`)."""
    return memory_index(library).search(query, limit=limit, article=article)
