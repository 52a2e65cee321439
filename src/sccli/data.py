"""Load and validate a library of articles: the only module that reads data files.

A data file is untrusted input. Every way of reading one ends in either valid
records or a :class:`~sccli.errors.DataError` with one sentence that names the
file, the place and what was expected.

Two ways in, one decoder:

* :func:`load_library` reads a whole file into a :class:`~sccli.models.Library`
  (the packaged library is a few dozen kilobytes);
* :func:`open_library` yields the articles one at a time from a memory-mapped
  file, so that indexing a corpus of 50,000 articles never holds them all.
"""

from __future__ import annotations

import codecs
import mmap
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, Union

import msgspec

from sccli.errors import DataError
from sccli.models import SCHEMA_VERSION, Article, Library, Synonyms

#: Larger data files are refused before they are read.
MAX_BYTES = 512 * 1024 * 1024

_HERE = Path(__file__).resolve().parent
_BOM = b"\xef\xbb\xbf"
_BLANK = re.compile(rb"[ \t\r\n]*")

Buffer = Union[bytes, mmap.mmap, memoryview]


class _Outline(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The data file with each article left as undecoded JSON, to be decoded one by one."""

    schema_version: Literal[1]
    articles: Annotated[list[msgspec.Raw], msgspec.Meta(min_length=1)]
    synonyms: Synonyms = []


@dataclass(frozen=True)
class LibraryStream:
    """An open data file: its synonyms now, its articles as they are decoded."""

    name: str
    synonyms: list[list[str]]
    count: int
    articles: Iterator[Article]


def packaged_data_path() -> Path:
    """Return the path of the articles.json that ships with sccli.

    A wheel carries it inside the package (``sccli/data/articles.json``); an
    editable install reads the repository's top-level ``data/`` instead.
    """
    inside = _HERE / "data" / "articles.json"
    if inside.is_file():
        return inside
    return _HERE.parent.parent / "data" / "articles.json"


def load_library(path: str | os.PathLike[str] | None = None) -> Library:
    """Read and validate a whole data file.

    Args:
        path: the file to read; the packaged library when None.

    Raises:
        DataError: the file cannot be read, is not JSON, or does not match
            the format in ``data/articles.schema.json``.
    """
    with open_library(path) as stream:
        return Library(SCHEMA_VERSION, list(stream.articles), stream.synonyms)


def decode_library(raw: Buffer, *, name: str = "<data>") -> Library:
    """Decode and validate the bytes of a data file (see :func:`load_library`)."""
    stream = _stream(raw, name)
    return Library(SCHEMA_VERSION, list(stream.articles), stream.synonyms)


@contextmanager
def open_library(path: str | os.PathLike[str] | None = None) -> Iterator[LibraryStream]:
    """Open a data file and decode its articles lazily, validating each one.

    The iterator raises :class:`DataError` at the first invalid article, so a
    caller that writes what it reads must be ready to throw it away.
    """
    file = Path(path) if path is not None else packaged_data_path()
    with _open_buffer(file) as buffer:
        yield _stream(buffer, str(file))


def find_problems(library: Library) -> list[str]:
    """Return what is wrong with a library but does not stop it being read.

    Today that is a ``related`` id that names no article: the link is left
    out when the article is shown, and the CLI warns about it once.
    """
    return dangling_related({article.id: article.related for article in library.articles})


def dangling_related(related: dict[str, list[str]]) -> list[str]:
    """Messages for the ``related`` ids (by article id) that name no article."""
    return [
        f"article '{article_id}' lists '{other}' as related, but no article has that id."
        for article_id, others in related.items()
        for other in others
        if other not in related
    ]


def _stream(raw: Buffer, name: str) -> LibraryStream:
    view = memoryview(raw)
    if bytes(view[:3]) == _BOM:
        view = view[3:]
    if _BLANK.fullmatch(view):
        raise DataError(f"{name}: the file is empty; expected a JSON object with 'articles'.")
    _check_utf8(view, name)
    try:
        outline = msgspec.json.decode(view, type=_Outline, strict=True)
    except msgspec.ValidationError as exc:
        raise DataError(f"{name}: {_describe_validation_error(str(exc))}") from None
    except msgspec.DecodeError as exc:
        raise DataError(f"{name}: {_describe_decode_error(str(exc), view)}") from None
    return LibraryStream(name, outline.synonyms, len(outline.articles), _articles(outline, name))


_decode_article = msgspec.json.Decoder(Article, strict=True).decode


def _articles(outline: _Outline, name: str) -> Iterator[Article]:
    seen: set[str] = set()
    raws = outline.articles
    for index in range(len(raws)):
        try:
            article = _decode_article(raws[index])
        except msgspec.ValidationError as exc:
            raise DataError(f"{name}: {_describe_validation_error(str(exc), f'articles[{index}]')}") from None
        raws[index] = None  # type: ignore[call-overload]  # let the decoded JSON go
        if article.id in seen:
            raise DataError(f"{name}: at articles[{index}].id: the article id '{article.id}' is used twice.")
        seen.add(article.id)
        sections: set[str] = set()
        for number, section in enumerate(article.sections):
            if section.id in sections:
                raise DataError(
                    f"{name}: at articles[{index}].sections[{number}].id: the section id "
                    f"'{section.id}' is used twice in article '{article.id}'."
                )
            sections.add(section.id)
        yield article


@contextmanager
def _open_buffer(file: Path) -> Iterator[Buffer]:
    """Map a regular file into memory (read a pipe), refusing devices and huge files."""
    try:
        handle = open(file, "rb")
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
        if info.st_size > MAX_BYTES:
            raise DataError(f"{file}: {_TOO_LARGE}")
        if stat.S_ISREG(info.st_mode) and info.st_size > 1024 * 1024:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            try:
                yield mapped
            finally:
                try:
                    mapped.close()
                except BufferError:  # a caller still holds a view; it goes with the object
                    pass
            return
        try:
            raw = handle.read(MAX_BYTES + 1)  # a pipe has no size to check first
        except OSError as exc:
            raise DataError(f"{file}: cannot be read ({exc.strerror or exc}).") from None
        if len(raw) > MAX_BYTES:
            raise DataError(f"{file}: {_TOO_LARGE}")
        yield raw


_TOO_LARGE = f"larger than the {MAX_BYTES // (1024 * 1024)} MiB limit for a data file."


def _check_utf8(view: memoryview, name: str) -> None:
    """Reject bytes that are not UTF-8, a megabyte at a time (no copy of the whole file)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = 1024 * 1024
    for start in range(0, len(view), chunk):
        try:
            decoder.decode(view[start : start + chunk], final=start + chunk >= len(view))
        except UnicodeDecodeError as exc:
            line, column = _position(view, start + exc.start)
            raise DataError(f"{name}: not UTF-8 text at line {line}, column {column}.") from None


_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_BYTE = re.compile(r"\(byte (?P<byte>\d+)\)")


def _describe_validation_error(message: str, prefix: str = "") -> str:
    """Turn msgspec's "Expected `str`, got `int` - at `$.a[0].b`" into "at a[0].b: expected ..."."""
    match = _PATH.search(message)
    what = message[: match.start()] if match else message
    what = what[:1].lower() + what[1:]
    where = prefix + (match["path"] if match else "")
    where = where.lstrip(".")
    if where == "schema_version":
        what = f"this sccli reads version {SCHEMA_VERSION} files, not {what.rsplit(' ', 1)[-1]}"
    elif "RFC3339" in what:
        what = "expected a date like 2026-01-31"
    return f"at {where or 'the top level'}: {what}."


def _describe_decode_error(message: str, raw: memoryview) -> str:
    """Give a broken-JSON error a line and a column instead of a byte offset."""
    match = _BYTE.search(message)
    offset = int(match["byte"]) if match else len(raw)
    line, column = _position(raw, offset)
    what = _BYTE.sub("", message).strip().rstrip(".")
    what = what.removeprefix("JSON is malformed: ")
    what = what[:1].lower() + what[1:]
    if what == "input data was truncated":
        what = "the file ends too soon"
    return f"not valid JSON at line {line}, column {column}: {what}."


def _position(raw: Buffer, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, columns in characters) of a byte offset."""
    head = bytes(raw[:offset])  # only on the way to an error message
    start = head.rfind(b"\n") + 1
    return head.count(b"\n") + 1, len(head[start:].decode("utf-8", "replace")) + 1
