"""Load and validate a library of articles: the only module that reads data files.

A data file is untrusted input. :func:`load_library` either returns a valid
:class:`~sccli.models.Library` or raises :class:`~sccli.errors.DataError`
with one sentence that names the file, the place and what was expected.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import msgspec

from sccli.errors import DataError
from sccli.models import SCHEMA_VERSION, Library

#: Larger data files are refused before they are read: a library of 50,000
#: articles is about 100 MB, and /dev/zero is endless.
MAX_BYTES = 256 * 1024 * 1024

_HERE = Path(__file__).resolve().parent


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
    """Read and validate a data file.

    Args:
        path: the file to read; the packaged library when None.

    Returns:
        The validated library.

    Raises:
        DataError: the file cannot be read, is not JSON, or does not match
            the format in ``data/articles.schema.json``.
    """
    file = Path(path) if path is not None else packaged_data_path()
    return decode_library(_read_bytes(file), name=str(file))


def decode_library(raw: bytes, *, name: str = "<data>") -> Library:
    """Decode and validate the bytes of a data file (see :func:`load_library`)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        raise DataError(f"{name}: the file is empty; expected a JSON object with 'articles'.")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise DataError(f"{name}: not UTF-8 text at line {line}, column {column}.") from None
    try:
        library = msgspec.json.decode(raw, type=Library, strict=True)
    except msgspec.ValidationError as exc:
        raise DataError(f"{name}: {_describe_validation_error(str(exc))}") from None
    except msgspec.DecodeError as exc:
        raise DataError(f"{name}: {_describe_decode_error(str(exc), raw)}") from None
    _check_ids(library, name)
    return library


def _read_bytes(file: Path) -> bytes:
    try:
        with open(file, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
                raise DataError(f"{file}: is a device, not a data file.")
            if info.st_size > MAX_BYTES:
                raise DataError(f"{file}: {_too_large}")
            raw = handle.read(MAX_BYTES + 1)  # a pipe has no size to check first
    except FileNotFoundError:
        raise DataError(f"{file}: no such file.") from None
    except IsADirectoryError:
        raise DataError(f"{file}: is a folder, not a data file.") from None
    except PermissionError:
        raise DataError(f"{file}: permission denied.") from None
    except OSError as exc:
        raise DataError(f"{file}: cannot be read ({exc.strerror or exc}).") from None
    if len(raw) > MAX_BYTES:
        raise DataError(f"{file}: {_too_large}")
    return raw


_too_large = f"larger than the {MAX_BYTES // (1024 * 1024)} MiB limit for a data file."


_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_BYTE = re.compile(r"\(byte (?P<byte>\d+)\)")


def _describe_validation_error(message: str) -> str:
    """Turn msgspec's "Expected `str`, got `int` - at `$.a[0].b`" into "a[0].b: expected ..."."""
    match = _PATH.search(message)
    what = message[: match.start()] if match else message
    what = what[:1].lower() + what[1:]
    where = match["path"].lstrip(".") if match else ""
    if where == "schema_version":
        what = f"this sccli reads version {SCHEMA_VERSION} files, not {what.rsplit(' ', 1)[-1]}"
    elif "RFC3339" in what:
        what = "expected a date like 2026-01-31"
    return f"at {where or 'the top level'}: {what}."


def _describe_decode_error(message: str, raw: bytes) -> str:
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


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, columns in characters) of a byte offset."""
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def _check_ids(library: Library, name: str) -> None:
    """Reject what the schema cannot: an article or section id used twice."""
    seen: set[str] = set()
    for index, article in enumerate(library.articles):
        where = f"articles[{index}]"
        if article.id in seen:
            raise DataError(f"{name}: at {where}.id: the article id '{article.id}' is used twice.")
        seen.add(article.id)
        sections: set[str] = set()
        for number, section in enumerate(article.sections):
            if section.id in sections:
                raise DataError(
                    f"{name}: at {where}.sections[{number}].id: the section id '{section.id}' "
                    f"is used twice in article '{article.id}'."
                )
            sections.add(section.id)


def find_problems(library: Library) -> list[str]:
    """Return what is wrong with a library but does not stop it being read.

    Today that is a ``related`` id that names no article: the link is left
    out when the article is shown, and the CLI warns about it once.
    """
    ids = {article.id for article in library.articles}
    return [
        f"article '{article.id}' lists '{related}' as related, but no article has that id."
        for article in library.articles
        for related in article.related
        if related not in ids
    ]
