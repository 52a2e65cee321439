"""Load and validate a library of articles: the only module that reads data files.

A data file is untrusted input. Every way of reading one ends in either valid
records or a :class:`~sccli.errors.DataError` with one sentence that names the
file, the place and what was expected.

Two ways in, one reader:

* :func:`load_library` reads a whole file into a :class:`~sccli.models.Library`
  (the packaged library is a few dozen kilobytes);
* :func:`open_library` yields the articles one at a time, so that indexing a
  corpus of 50,000 articles never holds them all (it holds the file's bytes:
  a memory-mapped file that another program shortens kills the reader with
  SIGBUS, so files are read, not mapped).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import stat
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import msgspec

from sccli.errors import DataError
from sccli.models import SCHEMA_VERSION, Article, Library, Synonyms, Term
from sccli.sanitize import clean_tree, safe_json

#: Larger data files are refused before they are read.
MAX_BYTES = 512 * 1024 * 1024

_HERE = os.path.dirname(os.path.realpath(__file__))
_BOM = b"\xef\xbb\xbf"
_BLANK = re.compile(rb"[ \t\r\n]*")

Buffer = bytes


def packaged_data_path() -> str:
    """Return the path of the articles.json that ships with sccli.

    A wheel carries it inside the package (``sccli/data/articles.json``); an
    editable install reads the repository's top-level ``data/`` instead.
    (Plain strings, not pathlib: importing pathlib is a visible part of start-up.)
    """
    inside = os.path.join(_HERE, "data", "articles.json")
    if os.path.isfile(inside):
        return inside
    return os.path.join(os.path.dirname(os.path.dirname(_HERE)), "data", "articles.json")


def load_library(path: str | os.PathLike[str] | None = None) -> Library:
    """Read and validate a whole data file.

    Args:
        path: the file to read; the packaged library when None.

    Raises:
        DataError: the file cannot be read, is not JSON, or does not match
            the format in ``data/articles.schema.json``.
    """
    with open_library(path) as stream:
        return stream.library()


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file that sccli reads (a data file, a Markdown note), whole.

    Raises:
        DataError: the file is missing, a folder, a device, larger than
            :data:`MAX_BYTES`, unreadable, or changed while it was read.
    """
    with _open_buffer(os.fspath(path)) as raw:
        return bytes(raw)


def decode_library(raw: bytes, *, name: str = "<data>") -> Library:
    """Decode and validate the bytes of a data file (see :func:`load_library`)."""
    return LibraryStream(raw, name).library()


@contextmanager
def open_library(path: str | os.PathLike[str] | None = None) -> Iterator[LibraryStream]:
    """Open a data file to read its articles one at a time, each validated.

    The iterator raises :class:`DataError` at the first invalid article, so a
    caller that writes what it reads must be ready to throw it away.
    """
    file = os.fspath(path) if path is not None else packaged_data_path()
    if path is not None and file.lower().endswith(LINES_SUFFIXES):  # JSON Lines: read a line at a time
        with _open_lines(file) as lines:
            yield lines
        return
    if path is not None and os.path.isdir(file):  # a folder of Markdown notes
        from sccli.markdown_library import read_markdown

        problems: list[str] = []
        yield _ReadStream(read_markdown(file, problems), 0, problems)
        return
    with _open_buffer(file) as buffer:
        if path is not None and _is_other_format(buffer):  # MedlinePlus XML: read whole (a few MB)
            from sccli.medlineplus import read_library

            yield _ReadStream(read_library(bytes(buffer), str(file)), len(buffer))
            return
        start = bytes(buffer[:16]).lstrip(b"\xef\xbb\xbf \t\r\n")
        if path is not None and file.lower().endswith((".xml", ".zip", ".gz")) and start[:1] not in (b"", b"{", b"["):
            # Neither XML nor JSON inside (the content decides, not the name): say what the name promised.
            raise DataError(f"{file}: is not XML, nor a zip or gzip file holding it, as its name says.")
        if path is not None and _is_markdown(file, buffer):
            from sccli.markdown_library import read_markdown

            yield _ReadStream(read_markdown(file), len(buffer))
            return
        stream = LibraryStream(buffer, str(file))
        try:
            yield stream
        finally:
            stream.close()


def _is_other_format(buffer: Buffer) -> bool:
    """Whether a data file is not JSON but another format sccli reads (MedlinePlus XML, zip or gzip)."""
    start = bytes(buffer[:16]).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith((b"<", b"PK\x03\x04", b"\x1f\x8b"))


def _is_markdown(file: str, buffer: Buffer) -> bool:
    """Whether a data file is a Markdown note: named ``.md`` or ``.markdown``, and not JSON inside."""
    start = bytes(buffer[:16]).lstrip(b"\xef\xbb\xbf \t\r\n")
    return file.lower().endswith((".md", ".markdown")) and not start.startswith((b"{", b"["))


class LibraryStream:
    """An open data file, read as it is iterated.

    ``articles`` yields each article once it is decoded and validated;
    ``synonyms`` and ``glossary`` are complete once ``articles`` is exhausted
    (a file may put them after the articles); ``position`` and ``size`` (in bytes) measure
    progress. ``problems`` says what was left out (a folder's notes that cannot be read).
    """

    def __init__(self, buffer: Buffer, name: str) -> None:
        self.name = name
        self.size = len(buffer)
        self.synonyms: list[list[str]] = []
        self.glossary: list[Term] = []
        self.problems: list[str] = []
        self._reader = _Reader(buffer, name)
        self.articles: Generator[Article, None, None] = self._reader.library(self)

    @property
    def position(self) -> int:
        return self._reader.pos

    def close(self) -> None:
        """Let go of the buffer."""
        self.articles.close()
        with contextlib.suppress(BufferError):  # a slice is still alive in a frame being unwound
            self._reader.view.release()

    def library(self) -> Library:
        """Read everything into one :class:`Library`."""
        articles = list(self.articles)
        return Library(SCHEMA_VERSION, articles, self.synonyms, self.glossary)


class _ReadStream(LibraryStream):
    """A library already read whole, behind the same interface as a JSON file's stream."""

    def __init__(self, library: Library, size: int, problems: list[str] | None = None) -> None:
        self.name = "<read>"
        self.size = size
        self.synonyms = list(library.synonyms)
        self.glossary = list(library.glossary)
        self.problems = list(problems or [])
        self._library = library
        self.articles = (article for article in library.articles)

    @property
    def position(self) -> int:
        return self.size

    def close(self) -> None:
        self.articles.close()

    def library(self) -> Library:
        return self._library


#: File names read as JSON Lines: a first line with the format's version (and the synonyms and
#: glossary, if any), then one article per line.
LINES_SUFFIXES = (".jsonl", ".ndjson")

#: A JSON Lines file is never held whole, so only this protects against a device or a mistake.
MAX_LINES_BYTES = 64 * 1024**3


class _LinesStream(LibraryStream):
    """A JSON Lines data file, read and validated one line (one article) at a time: memory stays
    flat whatever the file's size. The first line is ``{"schema_version": 1}``, with
    ``synonyms`` and ``glossary`` if the library has them; every other line that is not blank
    is an article. Every error names the line."""

    def __init__(self, handle: Any, name: str, size: int) -> None:
        self.name = name
        self.size = size
        self.synonyms = []
        self.glossary = []
        self.problems = []
        self._handle = handle
        self._position = 0
        self.articles = self._read()

    @property
    def position(self) -> int:
        return self._position

    def close(self) -> None:
        self.articles.close()

    def _read(self) -> Generator[Article, None, None]:
        ids: set[str] = set()
        index = 0
        header = False
        for number, line in enumerate(self._handle, start=1):
            self._position += len(line)
            raw = line.strip(b"\xef\xbb\xbf \t\r\n") if number == 1 else line.strip(b" \t\r\n")
            if not raw:
                continue
            where = f"{self.name}: line {number}"
            if not header:
                self._header(_decode_value(raw, _Header, "", where, memoryview(raw), 0, one_line=True))
                header = True
                continue
            article = _decode_value(raw, Article, f"articles[{index}]", where, memoryview(raw), 0, one_line=True)
            _check_ids(article, index, ids, where)
            yield article
            index += 1
        if not header:
            raise DataError(f'{self.name}: the file is empty; expected a first line like {{"schema_version": 1}}.')
        if not index:
            raise DataError(f"{self.name}: no articles: after the first line, each line is one article.")

    def _header(self, header: _Header) -> None:
        if header.schema_version != SCHEMA_VERSION:
            raise DataError(
                f"{self.name}: line 1: this sccli reads version {SCHEMA_VERSION} files, not version "
                f"{header.schema_version}."
            )
        self.synonyms = header.synonyms
        self.glossary = header.glossary
        _check_terms(self.glossary, f"{self.name}: line 1")


class _Header(msgspec.Struct, forbid_unknown_fields=True):
    """The first line of a JSON Lines data file."""

    schema_version: int
    synonyms: Synonyms = []
    glossary: list[Term] = []


@contextmanager
def _open_lines(file: str) -> Iterator[_LinesStream]:
    """Open a JSON Lines data file to read a line at a time; it must not change meanwhile."""
    with _open_data_file(file) as (handle, before):
        if before.st_size > MAX_LINES_BYTES:
            raise DataError(f"{file}: larger than the {MAX_LINES_BYTES // 1024**3} GiB limit for a data file.")
        stream = _LinesStream(handle, file, before.st_size)
        try:
            yield stream
        finally:
            stream.close()
        if stat.S_ISREG(before.st_mode) and _changed(before, os.fstat(handle.fileno()), stream.position):
            raise DataError(f"{file}: changed while sccli was reading it; try again.")


def find_problems(library: Library) -> list[str]:
    """Return what is wrong with a library but does not stop it being read.

    A ``related`` id that names no article (the link is left out when the
    article is shown), and articles without sources. The CLI warns once.
    """
    return [
        *dangling_related({article.id: article.related for article in library.articles}),
        *unsourced([article.id for article in library.articles if not article.sources]),
    ]


def unsourced(ids: list[str]) -> list[str]:
    """The message for articles that list no sources (none when there are none)."""
    if not ids:
        return []
    shown = ", ".join(f"'{article_id}'" for article_id in ids[:5]) + (", …" if len(ids) > 5 else "")
    noun = "article lists" if len(ids) == 1 else f"{len(ids)} articles list"
    return [f"{noun} no sources: {shown}. Treat what they say with care."]


def dangling_related(related: dict[str, list[str]]) -> list[str]:
    """Messages for the ``related`` ids (by article id) that name no article."""
    return [
        f"article '{article_id}' lists '{other}' as related, but no article has that id."
        for article_id, others in related.items()
        for other in others
        if other not in related
    ]


class _Reader:
    """Read a data file front to back, decoding one JSON value at a time with msgspec.

    msgspec decodes a whole document at once, and a corpus of 50,000 articles
    is a document of 170 MB: holding every article decoded from it takes far
    more memory than indexing needs. So one pass of msgspec first checks the
    whole file's syntax and finds its values without decoding them
    (``msgspec.Raw``: each value's bytes, in place); then this reader walks the
    top-level object and the articles array itself, handing msgspec one value
    at a time (an article, the synonyms, the version) to decode and validate.
    """

    def __init__(self, buffer: Buffer, name: str) -> None:
        self.buffer = buffer
        self.view = memoryview(buffer)
        self.name = name
        self.pos = 3 if bytes(self.view[:3]) == _BOM else 0
        self._repaired = False
        self._values: dict[str, msgspec.Raw] = {}  # each top-level key's value, as msgspec found it
        self._articles: list[msgspec.Raw] = []

    def library(self, stream: LibraryStream) -> Generator[Article, None, None]:
        self._space()
        if self.pos >= len(self.view):
            raise self._error("the file is empty; expected a JSON object with 'articles'")
        self._find_values()
        self.pos += 1
        seen: set[str] = set()
        while True:
            self._space()
            if not seen and self._peek() == "}":
                self.pos += 1
                break
            key = self._key()
            if key in seen:
                raise self._error(f"at {key}: the field appears twice")
            seen.add(key)
            self._punctuation(":")
            if key == "articles":
                yield from self._each_article()
            elif key == "schema_version":
                self._check_version(self._decode(Any, "schema_version", self._values[key]))
            elif key == "synonyms":
                stream.synonyms = self._decode(Synonyms, "synonyms", self._values[key])
            elif key == "glossary":
                stream.glossary = self._decode(list[Term], "glossary", self._values[key])
                _check_terms(stream.glossary, self.name)
            else:
                raise self._error(f"at the top level: object contains unknown field `{key}`")
            if self._punctuation(",}") == "}":
                break
        self._space()
        if self.pos < len(self.view):
            raise self._error(self._syntax("trailing characters", self.pos))
        for field in ("schema_version", "articles"):
            if field not in seen:
                raise self._error(f"at the top level: object missing required field `{field}`")

    def _find_values(self) -> None:
        """Check the whole file's syntax and find its values (:attr:`_values`, :attr:`_articles`), in one
        pass of msgspec that decodes no text. Where that pass fails, :meth:`_find_values_apart`
        takes the file in two steps, to say what is wrong (or to repair lone surrogates)."""
        try:
            layout = _layout_decoder().decode(self.view[self.pos :])
        except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
            self._find_values_apart()
            return
        self._articles = layout.articles
        found = {"schema_version": layout.schema_version, "synonyms": layout.synonyms, "glossary": layout.glossary}
        self._values = {key: value for key, value in found.items() if len(value)}  # (no JSON value is empty)

    def _find_values_apart(self) -> None:
        """:meth:`_find_values` in two passes: the top-level object, then the articles if an array."""
        try:
            self._values = _top_level_decoder().decode(self.view[self.pos :])
            found = self._values.get("articles")
            self._articles = _raw_list_decoder().decode(found) if found is not None and _is_array(found) else []
        except RecursionError:
            raise self._error(self._syntax("nested too deeply", self.pos)) from None
        except msgspec.ValidationError as exc:  # not an object at the top
            raise self._error(_describe_validation_error(str(exc))) from None
        except msgspec.DecodeError as exc:
            if not self._repaired and self._may_have_surrogates(self.pos) and _lone_surrogate().search(self.view):
                self._repair_surrogates()
                self._find_values()
                return
            raise self._error(_describe_decode_error(str(exc), self.view, self.pos)) from None

    def _each_article(self) -> Iterator[Article]:
        self._punctuation("[")
        self._space()
        if self._peek() == "]":
            raise self._error("at articles: expected `array` of length >= 1")
        ids: set[str] = set()
        index = 0
        while True:
            if index >= len(self._articles):  # the array was not the last "articles" in the object
                raise self._error("at articles: the field appears twice")
            article = self._decode(Article, f"articles[{index}]", self._articles[index])
            _check_ids(article, index, ids, self.name)
            yield article
            index += 1
            if self._punctuation(",]") == "]":
                return

    def _key(self) -> str:
        """The object key at the cursor (the file's syntax is known to be valid), and move past it."""
        self._space()
        found = _STRING.match(self.view, self.pos)
        if found is None:
            raise self._error(self._syntax("expected a string key", self.pos))
        key: str = self._decode(str, "", msgspec.Raw(found.group()))
        return key

    def _decode(self, kind: Any, path: str, expected: msgspec.Raw) -> Any:
        """Decode the JSON value at the cursor as ``kind``, made safe to print, and move past it.

        ``expected`` is the value msgspec found for this place in its first pass:
        its bytes are the value's, unless an object's key appears twice (msgspec
        keeps the last value; the first is then not it).
        """
        self._space()
        start = self.pos
        end = start + len(expected)
        value = bytes(self.view[start:end])  # bytes compare at once; memoryviews, item by item (ten times slower)
        if value != bytes(expected):
            raise self._error(f"at {path.split('[')[0] or 'the top level'}: the field appears twice")
        result = _decode_value(value, kind, path, self.name, self.view, start)
        self.pos = end
        return result

    def _check_version(self, value: Any) -> None:
        """The file's format must be the one this sccli reads; say whether its type or its number is wrong."""
        if type(value) is int and value == SCHEMA_VERSION:
            return
        if type(value) is int:
            problem = f"this sccli reads version {SCHEMA_VERSION} files, not version {value}"
        else:
            problem = f"expected a whole number (the format's version, {SCHEMA_VERSION}), not {_json_type(value)}"
        raise self._error(f"at schema_version: {problem}")

    def _may_have_surrogates(self, start: int) -> bool:
        """Whether a surrogate escape can follow ``start``: two plain searches, far quicker
        than the regular expression on a large file that has none (300 MB: 0.1 s, not 10)."""
        return self.buffer.find(b"\\ud", start) >= 0 or self.buffer.find(b"\\uD", start) >= 0

    def _repair_surrogates(self) -> None:
        """Turn lone surrogate escapes (valid JSON, but msgspec refuses them) into U+FFFD.

        Both escapes are six bytes long, so every offset stays where it was. This
        copies the file once, which only files with lone surrogates pay for.
        """
        old = self.view
        self.buffer = _lone_surrogate().sub(rb"\\ufffd", old)
        self.view = memoryview(self.buffer)
        self._repaired = True
        old.release()

    def _punctuation(self, allowed: str) -> str:
        self._space()
        found = self._peek()
        if not found or found not in allowed:
            expected = " or ".join(f"'{char}'" for char in allowed)
            what = "the file ends too soon" if not found else f"expected {expected}"
            raise self._error(self._syntax(what, self.pos))
        self.pos += 1
        return found

    def _peek(self) -> str:
        return chr(self.view[self.pos]) if self.pos < len(self.view) else ""

    def _space(self) -> None:
        blank = _BLANK.match(self.view, self.pos)
        assert blank is not None  # never fails: the pattern matches the empty string too
        self.pos = blank.end()

    def _syntax(self, what: str, offset: int) -> str:
        line, column = _position(self.view, offset)
        return f"not valid JSON at line {line}, column {column}: {what}"

    def _error(self, message: str) -> DataError:
        return DataError(f"{self.name}: {message}.")


# Patterns that only unusual files need are compiled on first use: compiling
# regular expressions is a visible part of start-up.


@functools.cache
def _lone_surrogate() -> re.Pattern[bytes]:
    """A high surrogate escape without its low half, or a low one without its high half."""
    return re.compile(
        rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
        rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    )


@functools.cache
def _decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(kind, strict=True)


class _RepeatedKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_keys(items: list[tuple[str, Any]]) -> None:
    if len(items) > 1 and len(dict(items)) < len(items):
        keys = [key for key, _ in items]
        raise _RepeatedKey(next(key for key in keys if keys.count(key) > 1))


def _decode_value(
    raw: bytes, kind: Any, path: str, name: str, text: memoryview, start: int, *, one_line: bool = False
) -> Any:
    """Decode one JSON value (at ``start`` in ``text``, for error positions) as ``kind``, made safe to print.

    Raises:
        DataError: a key repeats, the bytes are not UTF-8 or not JSON, or the value is not a ``kind``.
    """
    try:
        _check_duplicate_keys(raw, path, name)  # also proves the bytes are UTF-8
    except UnicodeDecodeError as exc:
        line, column = _position(text, start + exc.start)
        where = f"column {column}" if one_line else f"line {line}, column {column}"
        raise DataError(f"{name}: not UTF-8 text at {where}.") from None
    except (ValueError, RecursionError):
        pass  # not JSON, or too deep for Python's parser: msgspec says what, below
    try:
        if safe_json(raw):
            return _decoder(kind).decode(raw)
        # control characters or escapes: clean every string first
        return msgspec.convert(clean_tree(msgspec.json.decode(raw)), type=kind, strict=True)
    except msgspec.ValidationError as exc:
        raise DataError(f"{name}: {_describe_validation_error(str(exc), path)}.") from None
    except msgspec.DecodeError as exc:
        described = _describe_decode_error(str(exc), text, start)
        if one_line:  # a JSON Lines file's line: its column is enough
            described = described.replace(" at line 1, column ", " at column ", 1).replace(
                "the file ends too soon", "the line ends too soon"
            )
        raise DataError(f"{name}: {described}.") from None
    except RecursionError:
        raise DataError(f"{name}: at {path or 'the top level'}: the JSON is nested too deeply.") from None


def _check_duplicate_keys(raw: bytes, path: str, name: str) -> None:
    """JSON lets a key repeat and keeps the last value; in a data file that is a mistake.

    Raises:
        DataError: a key repeats. UnicodeDecodeError: the bytes are not UTF-8.
        ValueError: the bytes are not JSON (for the caller to report).
    """
    try:
        _DUPLICATES.decode(raw.decode("utf-8"))
    except _RepeatedKey as repeated:
        where = path or "the top level"
        raise DataError(f"{name}: at {where}: the key `{repeated.key}` appears twice in one object.") from None


_DUPLICATES = json.JSONDecoder(object_pairs_hook=_unique_keys)
#: A JSON string token (the text is known to be valid JSON where it is used).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


class _Layout(msgspec.Struct):
    """Where a data file's values are, as one pass of msgspec finds them (each value's bytes,
    in place; an empty one for a key the file does not have). Other keys are passed over here
    and refused by the walk that follows (:meth:`_Reader.library`)."""

    articles: list[msgspec.Raw] = []
    schema_version: msgspec.Raw = msgspec.Raw(b"")
    synonyms: msgspec.Raw = msgspec.Raw(b"")
    glossary: msgspec.Raw = msgspec.Raw(b"")


@functools.cache
def _layout_decoder() -> msgspec.json.Decoder[_Layout]:
    return msgspec.json.Decoder(_Layout)


@functools.cache
def _top_level_decoder() -> msgspec.json.Decoder[dict[str, msgspec.Raw]]:
    return msgspec.json.Decoder(dict[str, msgspec.Raw])


@functools.cache
def _raw_list_decoder() -> msgspec.json.Decoder[list[msgspec.Raw]]:
    return msgspec.json.Decoder(list[msgspec.Raw])


def _is_array(raw: msgspec.Raw) -> bool:
    return bytes(memoryview(raw)[:1]) == b"["


def _check_ids(article: Article, index: int, ids: set[str], name: str) -> None:
    """Reject what the schema cannot: an article or section id used twice; a library-qualified id."""
    _check_plain(article.id, f"articles[{index}].id", name)  # (a related id may be NAME/ID: another library's)
    if article.id in ids:
        raise DataError(f"{name}: at articles[{index}].id: the article id '{article.id}' is used twice.")
    ids.add(article.id)
    sections: set[str] = set()
    for number, section in enumerate(article.sections):
        if section.id in sections:
            raise DataError(
                f"{name}: at articles[{index}].sections[{number}].id: the section id "
                f"'{section.id}' is used twice in article '{article.id}'."
            )
        sections.add(section.id)


def _check_plain(value: str, path: str, name: str) -> None:
    """A data file's ids are plain slugs: ``NAME/ID`` is how sccli tells libraries read together apart."""
    if "/" in value:
        raise DataError(
            f"{name}: at {path}: '{value}' is not an id: use lower-case words joined by hyphens, "
            "without '/' (sccli writes NAME/ID to tell libraries apart)."
        )


def _check_terms(terms: list[Term], name: str) -> None:
    seen: set[str] = set()
    for index, term in enumerate(terms):
        _check_plain(term.id, f"glossary[{index}].id", name)
        if term.id in seen:
            raise DataError(f"{name}: at glossary[{index}].id: the glossary id '{term.id}' is used twice.")
        seen.add(term.id)


@contextmanager
def _open_data_file(file: str) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """Open a data file to read, with what ``fstat`` says of it; one sentence for what stops it (a device too)."""
    try:
        handle = open(file, "rb")  # noqa: SIM115 (`with handle:` below; this `try` is for open's own errors)
    except FileNotFoundError:
        raise DataError(f"{file}: no such file.") from None
    except IsADirectoryError:
        raise DataError(f"{file}: is a folder, not a data file.") from None
    except PermissionError:
        raise DataError(f"{file}: permission denied.") from None
    except OSError as exc:
        raise DataError(f"{file}: cannot be read ({exc.strerror or exc}).") from None
    with handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            raise DataError(f"{file}: is a device, not a data file.")
        yield handle, info


@contextmanager
def _open_buffer(file: str) -> Iterator[Buffer]:
    """Read a data file (or a pipe) whole, refusing devices, huge files and a file that changes meanwhile."""
    with _open_data_file(file) as (handle, info):
        if info.st_size > MAX_BYTES:
            raise DataError(f"{file}: {_TOO_LARGE}")
        # Read, never memory-mapped: a mapped file that another program shrinks
        # while it is read kills the process (SIGBUS); a read file cannot.
        try:
            raw = handle.read(MAX_BYTES + 1)  # a pipe has no size to check first
        except OSError as exc:
            raise DataError(f"{file}: cannot be read ({exc.strerror or exc}).") from None
        if len(raw) > MAX_BYTES:
            raise DataError(f"{file}: {_TOO_LARGE}")
        if stat.S_ISREG(info.st_mode) and _changed(info, os.fstat(handle.fileno()), len(raw)):
            raise DataError(f"{file}: changed while sccli was reading it; try again.")
        yield raw


def _json_type(value: Any) -> str:
    """What kind of JSON value ``value`` was decoded from, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    kinds = {str: "a string", float: "a number with a fraction", list: "an array", dict: "an object"}
    return kinds.get(type(value), type(value).__name__)


def _changed(before: os.stat_result, after: os.stat_result, read: int) -> bool:
    """Whether a regular file was written to (or shortened) while it was read."""
    return (
        (before.st_size > 0 and read != before.st_size)  # /proc files say 0 and have text
        or after.st_size != before.st_size
        or after.st_mtime_ns != before.st_mtime_ns
        or after.st_ctime_ns != before.st_ctime_ns
    )


_TOO_LARGE = f"larger than the {MAX_BYTES // (1024 * 1024)} MiB limit for a data file."
_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_BYTE = re.compile(r"\(byte (?P<byte>\d+)\)")


def _describe_validation_error(message: str, prefix: str = "") -> str:
    """Turn msgspec's "Expected `str`, got `int` - at `$.a[0].b`" into "at a[0].b: expected ..."."""
    match = _PATH.search(message)
    what = message[: match.start()] if match else message
    what = what[:1].lower() + what[1:]
    where = (prefix + (match["path"] if match else "")).lstrip(".")
    if "RFC3339" in what:
        what = "expected a date like 2026-01-31"
    return f"at {where or 'the top level'}: {what}"


def _describe_decode_error(message: str, raw: memoryview, start: int = 0) -> str:
    """Give a broken-JSON error a line and a column instead of a byte offset.

    The one place that reads the text of msgspec's messages (for the offset; tests pin
    each kind of message, so a msgspec that words them otherwise is noticed).

    ``start`` is where the decoded value began: msgspec counts from there.
    """
    match = _BYTE.search(message)
    offset = start + int(match["byte"]) if match else len(raw)
    if match and "trailing characters" in message:
        offset -= 1  # msgspec counts past the first trailing character
    line, column = _position(raw, offset)
    what = _BYTE.sub("", message).strip().rstrip(".")
    what = what.removeprefix("JSON is malformed: ")
    what = what[:1].lower() + what[1:]
    if what == "input data was truncated":
        what = "the file ends too soon"
    elif bytes(raw[offset : offset + 9]).startswith((b"NaN", b"Infinity", b"-Infinity")):
        what = "NaN and Infinity are not JSON numbers"
    return f"not valid JSON at line {line}, column {column}: {what}"


def _position(raw: memoryview, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, columns in characters) of a byte offset."""
    head = bytes(raw[:offset])  # only on the way to an error message
    start = head.rfind(b"\n") + 1
    return head.count(b"\n") + 1, len(head[start:].decode("utf-8", "replace")) + 1
