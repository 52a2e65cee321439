"""The library database: its tables, how articles are written into it, and how they are read back.

One SQLite database holds the whole library: a table of articles (so that
``show``, ``list`` and ``sections`` need not parse the JSON again), the FTS5
index of sections and list items, and the synonym groups. The same schema
serves an in-memory database (the packaged library) and a cache file (a
user's data file). Searching it is :mod:`sccli.search.fts`; commands that
only read articles import this module alone (start-up).

Building is bound by FTS5's tokenizer, so every word is indexed once: a
section's row holds its heading and paragraphs, each list item has a row of
its own, and "did you mean" reads the index's own vocabulary (``fts5vocab``)
instead of a second index of unstemmed words. Every word is stored once, too:
the FTS5 table has external content, a view that takes a row's text from the
stored article when a snippet needs it (:func:`connect` registers the SQL
function it calls), so the cache file is not twice the size it needs to be.
"""

from __future__ import annotations

import functools
import math
import os
import sqlite3
import sys
import threading
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from sccli.models import Article, Note, Paragraph, Term

INDEX_FORMAT = 14

#: How text becomes index terms. English (the default, and any mix of languages): Porter's
#: English stemmer over Unicode words with accents folded. Another language alone (``--lang
#: es``): the same without the stemmer, whose English rules would mangle its words ("presión"
#: to "pres"); the query's prefixes (``stem_root``) then meet its word forms ("dolor*").
TOKENIZERS = {"english": "porter unicode61 remove_diacritics 2", "plain": "unicode61 remove_diacritics 2"}
TOKENIZE = TOKENIZERS["english"]
#: The indexed columns of a unit (a section, or a list item), in order (:func:`_units`).
COLUMNS = ("title", "aliases", "tags", "heading", "labels", "body", "context", "notes")

_UNIT_COLUMNS = ", ".join(f"sccli_unit(a.article, m.unit, {n}) AS {name}" for n, name in enumerate(COLUMNS))

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    ord INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    title_key TEXT NOT NULL,
    title TEXT NOT NULL,
    library TEXT NOT NULL,
    article BLOB NOT NULL
);
CREATE TABLE libraries (
    ord INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    articles INTEGER NOT NULL,
    terms INTEGER NOT NULL,
    date TEXT,
    languages TEXT NOT NULL,
    problem TEXT
);
CREATE TABLE aliases (key TEXT NOT NULL, match_key TEXT NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE synonyms (grp INTEGER NOT NULL, phrase TEXT NOT NULL);
CREATE TABLE glossary (ord INTEGER PRIMARY KEY, library TEXT NOT NULL, term BLOB NOT NULL);
CREATE TABLE problems (message TEXT NOT NULL);
CREATE TABLE unit_map (
    uid INTEGER PRIMARY KEY,
    ord INTEGER NOT NULL,
    unit INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    item INTEGER NOT NULL,
    length INTEGER NOT NULL
);
CREATE VIEW unit_text AS SELECT m.uid AS uid, {_UNIT_COLUMNS}
    FROM unit_map AS m JOIN articles AS a ON a.ord = m.ord;
CREATE VIRTUAL TABLE units USING fts5(
    {", ".join(COLUMNS)},
    content = 'unit_text', content_rowid = 'uid',
    tokenize = '{{tokenize}}'
);
CREATE VIRTUAL TABLE units_vocab USING fts5vocab(units, row);
"""


def schema(tokenize: str = TOKENIZE) -> str:
    """The tables of a library database whose index uses ``tokenize`` (one of :data:`TOKENIZERS`)."""
    return _SCHEMA.replace("{tokenize}", tokenize)


SCHEMA = schema()

#: Indexes are built once the rows are in: faster than keeping them up to date row by row.
INDEXES = """
CREATE UNIQUE INDEX articles_id ON articles (id);
CREATE INDEX articles_title_key ON articles (title_key);
CREATE INDEX aliases_key ON aliases (key);
CREATE INDEX aliases_match_key ON aliases (match_key);
"""

#: Articles read per batch: the indexer thread indexes one batch while the next is
#: read. Batches start small, so that indexing starts soon, and double up to
#: MAX_BATCH; near the end of a file they shrink again towards half of what is left
#: (:func:`_next_batch`), so that the last batch, which nothing overlaps, is small.
#: Each batch is a segment of the index (FTS5 keeps up to 16 MB of pending terms in
#: one piece, about 4,000 articles of MedQuAD's size): fewer segments mean less to
#: merge at the end (see MERGE_ABOVE_SEGMENTS).
BATCH = 250
MAX_BATCH = 4000

#: Merge the index into one segment only when loading left more than this
#: many (50,000 articles of MedQuAD leave 14 to 17). Across 10 to 16 segments
#: a query takes at most about 2 ms longer (on 50,000 articles), while merging
#: costs a tenth to a quarter of a build; across 30, up to 7 ms.
MERGE_ABOVE_SEGMENTS = 20

#: Where in :data:`COLUMNS` a unit's own text is, and the editorial notes on it.
BODY, NOTES = COLUMNS.index("body"), COLUMNS.index("notes")
#: What marks a match in a snippet (text read back keeps them: :func:`_clean_row`).
MARK_START, MARK_END = "\x02", "\x03"
_encode_payload = msgspec.msgpack.Encoder().encode
_decode_article = msgspec.msgpack.Decoder(Article).decode
_decode_term = msgspec.msgpack.Decoder(Term).decode


def _encode(value: Article | Term) -> bytes:
    """A record as stored: its CRC-32, then its MessagePack bytes.

    The checksum is what tells a damaged cache file from a valid one where
    SQLite cannot: bytes changed inside a stored article (a bad disk page, an
    edit) would otherwise read back as different text.
    """
    payload = _encode_payload(value)
    return zlib.crc32(payload).to_bytes(4, "big") + payload


class DamagedIndex(Exception):
    """What a library database holds cannot be what sccli wrote (the file was damaged or altered)."""


def recorded(conn: sqlite3.Connection, key: str, *, whole: bool = True) -> float:
    """A figure that the build recorded in ``meta``, where finding it again would read every row:
    a whole number of at most 18 digits, or (``whole=False``) any finite number.

    Raises:
        DamagedIndex: it is missing or not such a number (a cache file changed by hand).
    """
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    text = row[0] if row is not None else None
    if isinstance(text, str) and text.isascii():
        if text.isdigit() and len(text) <= 18:
            return int(text)
        if not whole:
            try:
                number = float(text)
            except ValueError:
                pass
            else:
                if math.isfinite(number):
                    return number
    raise DamagedIndex(f"its record of {key!r} is missing or not a number")


def decode_article(blob: bytes) -> Article:
    """An article stored in a library database, its text made safe to print like text read from JSON.

    Raises:
        DamagedIndex: the stored bytes are not an article.
    """
    article: Article = _trusted(_decode_article, Article, blob)
    return article


def decode_term(blob: bytes) -> Term:
    """A glossary entry stored in a library database, made safe like :func:`decode_article`."""
    term: Term = _trusted(_decode_term, Term, blob)
    return term


def _trusted(decode: Callable[[memoryview], Any], kind: type, blob: bytes) -> Any:
    """Decode ``blob``; a database file is never trusted more than the data file it was built from."""
    from sccli.sanitize import clean_tree, safe_json

    if len(blob) < 4 or zlib.crc32(memoryview(blob)[4:]) != int.from_bytes(blob[:4], "big"):
        raise DamagedIndex(f"a stored {kind.__name__.lower()} does not match its checksum")
    try:
        value = decode(memoryview(blob)[4:])
        text = msgspec.json.encode(value)
        if safe_json(text):
            return value
        return msgspec.convert(clean_tree(msgspec.json.decode(text)), type=kind, strict=False)
    except (msgspec.DecodeError, msgspec.ValidationError, TypeError) as error:
        raise DamagedIndex(f"a stored {kind.__name__.lower()} cannot be read ({error})") from None


def connect(database: str, **options: Any) -> sqlite3.Connection:
    """Open a library database, with the SQL function that its ``unit_text`` view calls.

    The connection may be used from more than one thread, one at a time, as
    :func:`build` does.
    """
    conn: sqlite3.Connection = sqlite3.connect(database, check_same_thread=False, **options)
    conn.create_function("sccli_unit", 3, _unit_column, deterministic=True)
    # Some builds of SQLite refuse application functions inside views unless told the schema is trusted.
    conn.execute("PRAGMA trusted_schema = ON")
    # Temporary tables (the build's staging table, the stemmer) stay in memory, never in TMPDIR.
    conn.execute("PRAGMA temp_store = MEMORY")
    interruptible(conn)
    return conn


def open_database(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open a library database file to read, refusing one that is not sccli's.

    A file in a cache folder is not trusted: its tables, views, indexes and
    triggers must be exactly those :data:`SCHEMA` creates (a view in place
    of a table, or an added trigger, could run anything), and every text it
    returns is cleaned like text read from JSON.

    Raises:
        sqlite3.DatabaseError: the file is not a database, is damaged, or is not sccli's.
    """
    from pathlib import Path

    # As a URI, so that it is opened read-only; as_uri() escapes "?", "#" and "%" in the path.
    conn = connect(Path(os.path.abspath(path)).as_uri() + "?mode=ro", uri=True)
    try:
        found = conn.execute(_MASTER).fetchall()
    except BaseException:
        conn.close()
        raise
    if found not in [_expected_schema(tokenize) for tokenize in TOKENIZERS.values()]:
        conn.close()
        raise sqlite3.DatabaseError("the database does not have the tables sccli creates")
    conn.row_factory = _clean_row
    return conn


_MASTER = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"


@functools.cache
def _expected_schema(tokenize: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.create_function("sccli_unit", 3, _unit_column, deterministic=True)
        conn.executescript(schema(tokenize) + INDEXES)
        return conn.execute(_MASTER).fetchall()
    finally:
        conn.close()


def _clean_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(_clean_marked(value) if type(value) is str else value for value in row)


def _clean_marked(text: str) -> str:
    """:func:`~sccli.sanitize.clean_text`, keeping the control characters that mark matches in a snippet."""
    from sccli.sanitize import clean_text

    if text.isprintable():
        return text
    return MARK_START.join(
        MARK_END.join(clean_text(piece) for piece in part.split(MARK_END)) for part in text.split(MARK_START)
    )


#: SQLite virtual-machine steps between two chances for Python to act on a signal (Ctrl-C).
#: A step is well under a microsecond; each chance costs about one.
TICK = 20_000


def interruptible(conn: sqlite3.Connection, on: bool = True) -> None:
    """Let a signal handler run while SQLite works: Python acts on a signal only between its own steps.

    Python's handler for Ctrl-C raises KeyboardInterrupt inside the callback;
    SQLite then stops the statement, which the caller sees as an
    :class:`sqlite3.OperationalError` ("interrupted"), so the signal handler
    must also leave a mark of its own (the CLI's does).
    """
    conn.set_progress_handler(_tick if on else None, TICK)


def _tick() -> int:
    return 0  # go on (a signal handler may raise here)


def _unit_column(blob: bytes, unit: int, column: int) -> str:
    """Column ``column`` of the ``unit``-th indexed row of the article stored as ``blob``."""
    try:
        text: str = article_units(blob)[unit][column]  # columns before the section id are texts
    except (DamagedIndex, IndexError):
        return ""  # a damaged database: nothing to show (the query that reads the unit says so)
    return text


@functools.lru_cache(maxsize=16)
def article_units(blob: bytes) -> list[tuple[Any, ...]]:
    """The indexed rows of a stored article, as a build made them (a snippet reads its unit's)."""
    return _units(stored_article(blob))


@functools.lru_cache(maxsize=16)
def stored_article(blob: bytes) -> Article:
    """A stored article, decoded once for the several rows and columns that read it."""
    return decode_article(blob)


def fts5_available() -> bool:
    """Whether this Python's SQLite was built with FTS5."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


def build(
    conn: sqlite3.Connection,
    articles: Iterable[Article],
    extras: Callable[[], tuple[list[list[str]], list[Term]]],
    *,
    progress: Callable[[int], None] | None = None,
    library_of: Callable[[str], str] | None = None,
    tokenize: str = TOKENIZE,
    notices: Callable[[], list[str]] | None = None,
    term_library_of: Callable[[str], str] | None = None,
    share_read: Callable[[], float] | None = None,
) -> int:
    """Create the schema in an empty database and fill it; return how many articles.

    ``extras`` returns the synonyms and the glossary; it is called once the
    articles are read, since a data file may list them after its articles.
    ``library_of`` names the library of an article (by its id), and ``term_library_of`` that of
    a glossary entry, when several are read together.
    ``tokenize`` is how text becomes terms (:data:`TOKENIZERS`). ``notices`` returns,
    once the articles are read, what reading them left out, to keep with the problems.
    ``share_read`` says how much of the source has been read (0 to 1), when that is known
    while reading: the last batches are then made small (:func:`_next_batch`).
    """
    from sccli.data import dangling_related, unsourced

    conn.executescript(schema(tokenize))
    conn.execute("INSERT INTO meta (key, value) VALUES ('tokenize', ?)", (tokenize,))
    related: dict[str, list[str]] = {}
    without_sources: list[str] = []

    def remember(stream: Iterable[Article]) -> Iterable[Article]:
        for article in stream:
            related[article.id] = list(article.related)
            if not article.sources:
                without_sources.append(article.id)
            yield article

    with conn:
        # Bulk loading. Each batch becomes one FTS5 segment (the indexer's
        # multi-row INSERT makes FTS5 write out pending terms first; 8 MB of
        # them, not 1, keeps a batch in one piece). Nothing is merged while
        # loading; one merge at the end joins the segments if there are many.
        conn.execute("INSERT INTO units (units, rank) VALUES ('automerge', 0)")
        conn.execute("INSERT INTO units (units, rank) VALUES ('crisismerge', 200)")
        conn.execute("INSERT INTO units (units, rank) VALUES ('hashsize', 16777216)")
        count = write_articles(
            conn, remember(articles), progress=progress, library_of=library_of, share_read=share_read
        )
        synonyms, glossary = extras()
        write_synonyms(conn, synonyms)
        conn.executemany(
            "INSERT INTO glossary (ord, library, term) VALUES (?, ?, ?)",
            [(n, term_library_of(t.id) if term_library_of else "", _encode(t)) for n, t in enumerate(glossary)],
        )
        problems = [*(notices() if notices else []), *dangling_related(related), *unsourced(without_sources)]
        conn.executemany("INSERT INTO problems (message) VALUES (?)", [(message,) for message in problems])
        if conn.execute("SELECT count(DISTINCT segid) FROM units_idx").fetchone()[0] > MERGE_ABOVE_SEGMENTS:
            conn.execute("INSERT INTO units (units) VALUES ('optimize')")
        for statement in INDEXES.strip().splitlines():
            conn.execute(statement)
    return count


def write_articles(
    conn: sqlite3.Connection,
    articles: Iterable[Article],
    *,
    progress: Callable[[int], None] | None = None,
    library_of: Callable[[str], str] | None = None,
    share_read: Callable[[], float] | None = None,
) -> int:
    """Add articles (in reading order) to the database; return how many.

    Two things happen at once: this thread reads and prepares the next batch
    of articles (Python) while an :class:`_Indexer` thread has FTS5 index the
    batch before it (SQLite, without the GIL). On two cores a build takes
    about a quarter less time than doing one after the other (bench/README.md).
    """
    from sccli.search.query import phrase_key  # (only a build needs it: start-up)

    count = uid = flushed = widest = 0
    lengths = [0, 0]  # words of text and notes in sections, and in list items
    kinds = [0, 0]
    batch = BATCH
    rows: list[tuple[Any, ...]] = []
    aliases: list[tuple[str, str, int]] = []
    units: list[tuple[Any, ...]] = []
    places: list[tuple[Any, ...]] = []
    conn.execute(f"CREATE TEMP TABLE staging (rowid INTEGER PRIMARY KEY, {', '.join(COLUMNS)})")
    # The indexer thread runs without the GIL; a callback would have to take it every few steps.
    # Ctrl-C still ends the build: the reading thread sees it within a batch.
    interruptible(conn, on=False)
    indexer = _Indexer(conn)
    try:
        for order, article in enumerate(articles):
            library = library_of(article.id) if library_of is not None else ""
            widest = max(widest, len(article.id))
            rows.append((order, article.id, article.title.casefold(), article.title, library, _encode(article)))
            aliases.extend((alias.casefold(), phrase_key(alias), order) for alias in article.aliases)
            for number, row in enumerate(_units(article)):
                uid += 1
                units.append((uid, *row[: len(COLUMNS)]))
                length = _words(row[BODY]) + _words(row[NOTES])
                places.append((uid, order, number, *row[len(COLUMNS) :], length))
                kind = 1 if row[-1] else 0
                lengths[kind] += length
                kinds[kind] += 1
            count += 1
            # A batch is written as soon as the indexer is idle and half of it is read, so that
            # indexing does not wait for reading; while the indexer is busy, reading goes on (up
            # to MAX_BATCH) rather than waiting for it.
            if count - flushed >= batch // 2 and (indexer.idle() or count - flushed >= MAX_BATCH):
                _flush(conn, indexer, rows, aliases, units, places)
                flushed = count
                batch = _next_batch(batch, count, share_read() if share_read is not None else None)
                if progress is not None:
                    progress(count)
        _flush(conn, indexer, rows, aliases, units, places)
        indexer.wait()
    finally:
        indexer.close()
        interruptible(conn)
    conn.execute("DROP TABLE temp.staging")
    # What ranking needs of the whole index: how many units, and the average length in
    # words of a section's text and of a list item's, each unit being compared with its kind.
    # And what `list` needs before its first row: how many articles, and the longest id
    # (counted in SQL, they read every id: 16 ms of a `list` on 200,000 articles).
    averages = [repr(lengths[kind] / kinds[kind] if kinds[kind] else 1.0) for kind in (0, 1)]
    conn.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        [
            ("units", str(uid)),
            ("section_length", averages[0]),
            ("item_length", averages[1]),
            ("articles", str(count)),
            ("id_width", str(widest)),
        ],
    )
    if progress is not None:
        progress(count)
    return count


def _next_batch(batch: int, count: int, share: float | None) -> int:
    """How many articles the next batch has, after ``count`` articles in batches of up to ``batch``,
    when ``share`` of the source is read: twice as many, up to :data:`MAX_BATCH`, but near
    the end no more than half of the articles that the rest of the source holds by its size.

    >>> _next_batch(250, 250, None), _next_batch(4000, 40000, None), _next_batch(4000, 8000, 0.8)
    (500, 4000, 1000)
    """
    grown = min(batch * 2, MAX_BATCH)
    if share is None or not 0 < share < 1:
        return grown
    return max(BATCH, min(grown, round(count * (1 - share) / share / 2)))


def write_synonyms(conn: sqlite3.Connection, groups: Iterable[Iterable[str]]) -> None:
    conn.executemany(
        "INSERT INTO synonyms (grp, phrase) VALUES (?, ?)",
        [(number, phrase) for number, group in enumerate(groups) for phrase in group],
    )


def _flush(
    conn: sqlite3.Connection,
    indexer: _Indexer,
    rows: list[tuple[Any, ...]],
    aliases: list[tuple[str, str, int]],
    units: list[tuple[Any, ...]],
    places: list[tuple[Any, ...]],
) -> None:
    """Write a batch: the articles and where their units are now, the units' text to
    the staging table, for the indexer to index while the next batch is read."""
    indexer.wait()  # the connection is the indexer's until it has finished the batch before
    conn.execute("DELETE FROM temp.staging")
    conn.executemany(
        "INSERT INTO articles (ord, id, title_key, title, library, article) VALUES (?, ?, ?, ?, ?, ?)", rows
    )
    conn.executemany("INSERT INTO aliases (key, match_key, ord) VALUES (?, ?, ?)", aliases)
    conn.executemany(
        "INSERT INTO unit_map (uid, ord, unit, section_id, item, length) VALUES (?, ?, ?, ?, ?, ?)", places
    )
    conn.executemany(
        f"INSERT INTO temp.staging (rowid, {', '.join(COLUMNS)}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
        units,
    )
    indexer.start()
    for batch in (rows, aliases, units, places):
        batch.clear()


class _Indexer:
    """A thread that has FTS5 index the staged batch of units, one batch at a time.

    Indexing a batch is a single statement (``INSERT INTO units SELECT ... FROM
    staging``), and SQLite runs a statement without holding Python's GIL, so
    the thread that reads articles keeps going meanwhile. (Inserting row by row
    from a second thread gains nothing: every row hands the GIL back and forth.)
    The two threads take turns with the connection: the reader touches it only
    after :meth:`wait`, the indexer only between :meth:`start` and the end of
    its statement.

    The indexer needs the GIL twice per batch, to start its statement and when
    it returns, and by default waits up to 5 ms each time for the reading thread
    to let go of it. While the indexer runs, the interpreter's switch interval
    is 0.5 ms instead: 10,000 articles build about 15% faster.
    """

    #: Seconds, see above.
    SWITCH_INTERVAL = 0.0005

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, self.SWITCH_INTERVAL))
        self._requests = threading.Semaphore(0)
        self._idle = threading.Event()
        self._idle.set()
        self._closing = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sccli-indexer", daemon=True)
        self._thread.start()

    def start(self) -> None:
        """Index what is staged (the connection is the indexer's until :meth:`wait` returns)."""
        self._idle.clear()
        self._requests.release()

    def idle(self) -> bool:
        """Whether the indexer has finished its batch."""
        return self._idle.is_set()

    def wait(self) -> None:
        """Wait until the indexer is idle; raise what went wrong in it, if anything did."""
        self._idle.wait()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> None:
        """Stop the thread, interrupting its statement if the build is being abandoned."""
        if not self._idle.is_set():
            self._conn.interrupt()
        self._closing = True
        self._requests.release()
        try:
            self._thread.join()
        finally:
            sys.setswitchinterval(self._interval)

    def _run(self) -> None:
        columns = f"rowid, {', '.join(COLUMNS)}"
        while True:
            self._requests.acquire()
            if self._closing:
                return
            try:
                self._conn.execute(f"INSERT INTO units ({columns}) SELECT {columns} FROM temp.staging")
            except BaseException as error:  # handed to the reading thread by wait()
                self._error = error
            finally:
                self._idle.set()


def _units(article: Article) -> list[tuple[Any, ...]]:
    """One row per section (its heading and paragraphs) and one per list item:
    the text of the indexed columns, then the section id and the item's position.

    Every row carries what describes its whole article (title, aliases, tags),
    so that a section is found by what its article is about; ranking
    (``search.rank``) counts that evidence once per concept, however long the
    article. An item's row carries its section's heading in ``context``; each
    row carries the editorial notes on its own text in ``notes``.
    """
    rows: list[tuple[Any, ...]] = []
    aliases, tags = "\n".join(article.aliases), "\n".join(article.tags)
    for section in article.sections:
        paragraphs: list[str] = []
        notes: list[str] = []
        items: list[tuple[str, str, str]] = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                paragraphs.append(block.text)
                notes.extend(note.text for note in block.notes)
            else:
                items.extend((item.label or "", item.text, _notes(item.notes)) for item in block.items)
        text, notes_text = "\n".join(paragraphs), "\n".join(notes)
        rows.append((article.title, aliases, tags, section.heading, "", text, "", notes_text, section.id, 0))
        for position, (label, item_text, item_notes) in enumerate(items, start=1):
            rows.append(
                (article.title, aliases, tags, "", label, item_text, section.heading, item_notes, section.id, position)
            )
    return rows


def _words(text: str) -> int:
    """About how many words ``text`` has: its spaces and line breaks, counted without
    splitting it (a fifth of the time, in a build; texts from a data file are rarely
    spaced twice)."""
    return text.count(" ") + text.count("\n") + 1 if text else 0


def _notes(notes: Iterable[Note]) -> str:
    return "\n".join(note.text for note in notes)
