"""Read your own Markdown notes (one ``.md`` file, or a folder of them) as a library.

Each note becomes one article. The Markdown is parsed by markdown-it-py
(CommonMark) into tokens and never rendered, so nothing in a note is ever run
or shown as markup. What becomes of each element:

* ``# Title`` (the first level-1 heading): the article's title. Without one,
  the title is the file name without its extension, with ``-`` and ``_`` read
  as spaces and the first letter capitalised (``pain-diary.md``: "Pain diary").
* ``## Heading``: starts a section, headed as written; its id is the heading as
  a slug (``-2``, ``-3`` when two headings give the same one). A later ``#``
  heading does the same. Text before the first ``##`` is a section headed
  "Overview"; a note with no ``##`` heading at all is one section headed
  "Notes". A heading with no text under it is left out.
* ``###`` and deeper headings: a paragraph of their own, with their text.
* Paragraphs: plain text. Emphasis marks are dropped, code keeps its text,
  a link keeps its text (a link with no text shows its address, if that is an
  http or https one), an image keeps its alt text, and line breaks become spaces.
* Lists, bulleted or numbered: lists. A list inside a list item is flattened
  into the outer list as further items. An item that starts with bold text
  ending in ``:`` or ``.``, or followed by ``:``, ``.`` or a dash
  (``- **Pain:** worse at night``) gets that text as its label.
* Block quotes: their paragraphs and lists. Code blocks: a paragraph of their text.
* Raw HTML: only the text a browser would show; tags, comments, scripts and
  styles are removed.
* Links to other notes of the folder (``[diary](../pain-diary.md)``, relative
  to the note that links): related articles, as well as text. Other links are only text.

A note may start with front matter: a line ``---``, lines of ``key: value``,
and a line ``---``. It is a small part of YAML, read by sccli itself; for example::

    ---
    # Lines that start with '#', and blank lines, are ignored.
    id: pain-diary
    title: "My pain diary"
    summary: What I noticed, week by week.
    reviewed: 2024-03-18
    next_review: 2024-09-01
    tags: [feet, sleep]
    aliases:
      - Symptom log
      - Pain journal
    related: medications, questions-for-dr-lee
    sources:
      - Mayo Clinic. Peripheral neuropathy. 2023. https://www.mayoclinic.org/
      - NHS. Peripheral neuropathy. https://www.nhs.uk/conditions/peripheral-neuropathy/
    ---

Quotes around a value (``'...'`` or ``"..."``) are removed. A ``#`` starts a
comment only at the start of a line. A key with no value (and no ``- `` lines
after it) is as if it were not there. The keys:

* ``id``: the article's id, lower-case words joined by hyphens. Default: the
  file name as a slug (``note`` when that is empty), with ``-2``, ``-3``
  when another note already has it. Two notes may not name the same ``id``.
* ``title``: the title; it wins over the ``#`` heading, which is then not shown.
* ``summary``: the one-paragraph summary. Default: the first paragraph,
  cut at a word to at most 300 characters and ended with "…".
* ``reviewed``: when the note was last checked. Default: the day the file was
  last modified (local time). ``next_review``: when it is due again (no default).
* ``tags``, ``aliases``, ``related``: lists, written ``[a, b]``, ``a, b``, or
  one per line after ``- ``. ``related`` lists article ids; links to other notes
  are added to them.
* ``sources``: one per line after ``- `` (or one on the key's own line), each as
  sccli prints a source: ``Publisher. Title. Year. URL``. The year (four
  digits) and the URL (http or https only) may be left out. The first ``. ``
  ends the publisher (initials like ``U.S.`` do not); a source of one part is
  both publisher and title, and a source that is only a URL is published by
  its site. Default: none (sccli then says that the note lists no sources).

Any other key, a line that is not ``key: value`` or ``- item``, a bad date or
id, and front matter that never ends are errors that name the file and the line.

In a folder, every ``.md`` and ``.markdown`` file (in any case) is read, in sub-folders too,
in order of their paths. Files and folders whose names start with ``.`` are
skipped, and so are links to folders (which could loop) and anything that is
not a regular file. Notes are UTF-8 text (a byte-order mark is fine). Every
article is then validated and cleaned like a JSON data file
(:func:`sccli.data.decode_library`): no terminal escape or control character
from a note ever reaches the screen.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sccli.data import decode_library, read_bytes
from sccli.errors import DataError
from sccli.medlineplus import slugify, unique_slug
from sccli.models import SCHEMA_VERSION, Article, Library
from sccli.sanitize import clean_text

_T = TypeVar("_T")

SUMMARY_CHARS = 300
EXTENSIONS = (".md", ".markdown")
_MAX_SLUG = 80
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_ITEM_LINE = re.compile(r"^[ \t]*-(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_WEB = ("http://", "https://")
# The ". " that ends a source's publisher; not the one after an initial ("U.S. National ...").
_SOURCE_PARTS = re.compile(r"(?<!\b[A-Za-z])\.\s+")

_SCALAR_KEYS = ("id", "title", "summary", "reviewed", "next_review")
_LIST_KEYS = ("tags", "aliases", "related", "sources")
KEYS = _SCALAR_KEYS + _LIST_KEYS


def read_markdown(path: str | os.PathLike[str], problems: list[str] | None = None) -> Library:
    """A Markdown file, or a folder of them, as a library. Raises DataError.

    Args:
        path: a ``.md`` file, or a folder of notes (read recursively).
        problems: where a folder's notes that cannot be read are told, each
            left out while the others are read; without it, the first is an error.

    Returns:
        One article per note, in order of their paths.

    Raises:
        DataError: the path cannot be read, a folder holds no notes (or none
            that can be read), a note is not UTF-8, has no text, or has a
            mistake in its front matter (each message names the file, and the
            line where there is one).
    """
    root = os.fspath(path)
    if not os.path.isdir(root):
        notes = [_read_note(root, os.path.basename(root))]
        _assign_ids(notes)
        return Library(SCHEMA_VERSION, [_article(notes[0], {})])
    found = _find_notes(root)
    if not found:
        raise DataError(f"{root}: no Markdown notes (.md files) in this folder.")
    failed: list[str] = []
    notes = [
        note for parts in found if (note := _tolerated(failed, _read_note, os.path.join(root, *parts), "/".join(parts)))
    ]
    _assign_ids(notes, failed)
    id_of_path = {note.relative: note.id for note in notes}
    articles = [article for note in notes if (article := _tolerated(failed, _article, note, id_of_path))]
    if (problems is None and failed) or not articles:
        raise DataError(failed[0] if failed else f"{root}: no Markdown notes (.md files) in this folder.")
    if problems is not None:
        problems.extend(f"{message.rstrip('.')}; the note is left out" for message in failed)
    return Library(SCHEMA_VERSION, articles)


def _tolerated(failed: list[str], read: Callable[..., _T], *args: Any) -> _T | None:
    """``read(*args)``, or None with its error's message added to ``failed``."""
    try:
        return read(*args)
    except DataError as error:
        failed.append(str(error))
        return None


# Finding and reading notes ---------------------------------------------------


def _find_notes(folder: str) -> list[tuple[str, ...]]:
    """The paths (as parts) of the notes under ``folder``, sorted; hidden names and linked folders skipped."""

    def fail(error: OSError) -> None:
        raise DataError(f"{error.filename or folder}: cannot be read ({error.strerror or error}).")

    found: list[tuple[str, ...]] = []
    for directory, folders, files in os.walk(folder, onerror=fail, followlinks=False):
        folders[:] = [name for name in folders if not name.startswith(".")]
        relative = os.path.relpath(directory, folder)
        parts = () if relative == os.curdir else tuple(relative.split(os.sep))
        for name in files:
            if name.startswith(".") or not name.lower().endswith(EXTENSIONS):
                continue
            if os.path.isfile(os.path.join(directory, name)):  # not a broken link, a pipe or a device
                found.append((*parts, name))
    return sorted(found)


@dataclass
class _FrontMatter:
    """What a note's front matter says; ``lines`` maps each key to its line, for messages."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class _Note:
    """A note read and parsed, waiting for its id."""

    name: str  # the file, as messages name it
    relative: str  # its path inside the folder, with '/'
    front: _FrontMatter
    body: _Body
    modified: datetime.date
    id: str = ""


def _read_note(name: str, relative: str) -> _Note:
    raw = read_bytes(name)
    text = _decode(raw, name)
    front, body = _split_front_matter(text, name)
    return _Note(name, relative, front, _parse(body), _modified(name))


def _decode(raw: bytes, name: str) -> str:
    """The text of a note, which must be UTF-8 (a byte-order mark is dropped)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
        line = raw[:start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, start) + 1 : start].decode("utf-8", "replace")) + 1
        raise DataError(f"{name}: line {line}: not UTF-8 text (at column {column}); save the note as UTF-8.") from None


def _modified(name: str) -> datetime.date:
    """The local date the file was last changed (today if the system cannot say)."""
    try:
        return datetime.date.fromtimestamp(os.stat(name).st_mtime)
    except (OSError, OverflowError, ValueError):
        return datetime.date.today()


def _assign_ids(notes: list[_Note], failed: list[str] | None = None) -> None:
    """Give every note its id: the one its front matter names, else a unique slug of its file name.

    A note that names the id of an earlier one is an error; with ``failed``, it
    is told there and left out (taken out of ``notes``).
    """
    named: dict[str, str] = {}
    for note in list(notes):
        wanted = note.front.values.get("id")
        if wanted is None:
            continue
        if wanted in named:
            line = note.front.lines["id"]
            message = f"{note.name}: line {line}: the id '{wanted}' is already the id of {named[wanted]}."
            if failed is None:
                raise DataError(message)
            failed.append(message)
            notes.remove(note)
            continue
        named[wanted] = note.name
        note.id = wanted
    taken = set(named)
    for note in notes:
        if not note.id:
            stem = os.path.splitext(os.path.basename(note.relative))[0]
            note.id = unique_slug(slugify(stem) or "note", taken)


# The article ------------------------------------------------------------------


def _article(note: _Note, id_of_path: dict[str, str]) -> Article:
    """The note as a validated article (errors name the note's file)."""
    front = note.front.values
    body = note.body
    sections = _sections(body.sections)
    if not sections:
        raise DataError(f"{note.name}: the note has no text to show.")
    title = front.get("title") or body.title or _title_from_file(note.relative)
    linked = [id_of_path.get(_link_target(href, note.relative) or "") for href in body.links]
    related = [other for other in dict.fromkeys([*front.get("related", []), *linked]) if other and other != note.id]
    article: dict[str, Any] = {
        "id": note.id,
        "title": title,
        "summary": front.get("summary") or _summary(body.first_paragraph or _first_text(sections)),
        "sections": sections,
        "reviewed": (front.get("reviewed") or note.modified).isoformat(),
        "sources": front.get("sources", []),
        "related": related,
        "tags": front.get("tags", []),
        "aliases": front.get("aliases", []),
    }
    if "next_review" in front:
        article["next_review"] = front["next_review"].isoformat()
    document = {"schema_version": SCHEMA_VERSION, "articles": [article]}
    return decode_library(json.dumps(document).encode(), name=note.name).articles[0]


def _sections(raw: list[tuple[str | None, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """Sections in the data file's format: headed, with unique ids, the empty ones left out."""
    sections: list[dict[str, Any]] = []
    taken: set[str] = set()
    for heading, blocks in raw:
        if not blocks:
            continue
        title = heading or ("Overview" if len(raw) > 1 else "Notes")
        sections.append({"id": unique_slug(slugify(title) or "section", taken), "heading": title, "blocks": blocks})
    return sections


def _title_from_file(relative: str) -> str:
    """The title of a note without a heading: "pain-diary.md" gives "Pain diary"."""
    stem = os.path.splitext(posixpath.basename(relative))[0]
    words = _plain(stem.replace("-", " ").replace("_", " "))
    return words[:1].upper() + words[1:] if words else "Untitled note"


def _first_text(sections: list[dict[str, Any]]) -> str:
    first = sections[0]["blocks"][0]
    return str(first["text"] if first["type"] == "paragraph" else first["items"][0]["text"])


def _summary(text: str) -> str:
    """``text``, or as many of its words as fit in SUMMARY_CHARS with "…"."""
    if len(text) <= SUMMARY_CHARS:
        return text
    head = text[:SUMMARY_CHARS]
    cut = head.rsplit(" ", 1)[0] if " " in head else head[: SUMMARY_CHARS - 1]
    return cut.rstrip(" ,;:") + "…"


def _link_target(href: str, relative: str) -> str | None:
    """The path (inside the folder, with '/') of the note a link points to, or None if it is no note's."""
    if not href or href.startswith(("#", "/", "\\")) or _SCHEME.match(href):
        return None
    path = unquote(href.split("#", 1)[0].split("?", 1)[0]).replace("\\", "/")
    if not path.lower().endswith(EXTENSIONS):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), path))
    return None if target.startswith("../") else target


# Front matter -----------------------------------------------------------------


def _split_front_matter(text: str, name: str) -> tuple[_FrontMatter, str]:
    """The front matter (if the note starts with one) and the Markdown after it."""
    lines = _LINE_BREAK.split(text)
    if lines[0].rstrip() != "---":
        return _FrontMatter(), text
    for end in range(1, len(lines)):
        if lines[end].rstrip() == "---":
            front = _parse_front_matter(lines[1:end], name)
            return front, "\n".join(lines[end + 1 :])
    raise DataError(f"{name}: line 1: the front matter that starts here never ends (with a line '---').")


def _parse_front_matter(lines: list[str], name: str) -> _FrontMatter:
    """Read the ``key: value`` lines of a front matter block (the note's lines 2 on)."""
    front = _FrontMatter()
    open_list: str | None = None  # the key whose items the next '- ' lines are
    last_key: str | None = None
    for number, line in enumerate(lines, start=2):
        where = f"{name}: line {number}:"
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        item = _ITEM_LINE.match(line)
        if item:
            if open_list is None:
                raise DataError(f"{where} a list item, but {_why_no_list(last_key)}.")
            value = _unquote(item["value"] or "")
            front.values[open_list].extend(_list_values(open_list, [value], where))
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            shown = stripped if len(stripped) <= 40 else stripped[:39] + "…"
            raise DataError(f"{where} expected 'key: value' or '- item', not '{shown}'.")
        key, value = match["key"], match["value"] or ""
        if key not in KEYS:
            raise DataError(f"{where} unknown key '{key}' (the keys are {', '.join(KEYS)}).")
        if key in front.lines:
            raise DataError(f"{where} the key '{key}' appears twice.")
        front.lines[key] = number
        last_key = key
        open_list = None
        if key in _LIST_KEYS:
            front.values[key] = _list_values(key, _inline_list(key, value, where), where)
            open_list = key if not value else None
        elif value:
            front.values[key] = _scalar(key, _unquote(value), where)
    return front


def _why_no_list(key: str | None) -> str:
    if key is None:
        return "no key above it takes a list"
    if key in _LIST_KEYS:
        return f"'{key}' has its values on its own line already"
    return f"'{key}' takes one value, not a list"


def _scalar(key: str, value: str, where: str) -> Any:
    if key in ("reviewed", "next_review"):
        return _date(key, value, where)
    if key == "id":
        return _slug(value, where)
    return _plain(value) or None


def _date(key: str, value: str, where: str) -> datetime.date:
    if _DATE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise DataError(f"{where} '{key}' should be a date like 2026-01-31, not '{value}'.")


def _related(value: str) -> bool:
    """Whether ``value`` is NAME/ID, a link to an article of a library of that name."""
    name, slash, local = value.partition("/")
    return bool(slash) and all(_SLUG.match(part) and len(part) <= _MAX_SLUG for part in (name, local))


def _slug(value: str, where: str) -> str:
    if _SLUG.match(value) and len(value) <= _MAX_SLUG:
        return value
    raise DataError(f"{where} '{value}' is not an article id (lower-case words joined by hyphens, like 'pain-diary').")


def _inline_list(key: str, value: str, where: str) -> list[str]:
    """The items of ``[a, b]`` or ``a, b`` (a source is never split at its commas)."""
    if not value:
        return []
    if key == "sources":
        return [_unquote(value)]
    if value.startswith("["):
        if not value.endswith("]"):
            raise DataError(f"{where} a list that starts with '[' should end with ']'.")
        value = value[1:-1]
    return [_unquote(part) for part in _split_commas(value)]


def _split_commas(value: str) -> list[str]:
    """``a, "b, c"`` as ``['a', '"b, c"']``: commas inside quotes do not split."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in value:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and not "".join(current).strip():
            quote = char
        elif char == ",":
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return parts


def _list_values(key: str, values: list[str], where: str) -> list[Any]:
    """List items made plain (empty ones dropped) and, for ids and sources, checked."""
    plain = [text for text in (_plain(value) for value in values) if text]
    if key == "related":  # an id, or NAME/ID: an article of another library
        return [value if _related(value) else _slug(value, where) for value in plain]
    if key == "sources":
        return [_source(value, where) for value in plain]
    return plain


def _source(text: str, where: str) -> dict[str, Any]:
    """``Publisher. Title. Year. URL`` (year and URL optional) as a source."""
    words = text.split()
    url = None
    if "://" in words[-1] or words[-1].lower().startswith(("javascript:", "data:", "file:", "mailto:")):
        if not words[-1].lower().startswith(_WEB):
            raise DataError(f"{where} a source's link should start with http:// or https://.")
        url = words.pop()
    parts = [part.strip() for part in _SOURCE_PARTS.split(" ".join(words).rstrip(". ")) if part.strip()]
    source: dict[str, Any] = {}
    if parts and _YEAR.match(parts[-1]):
        year = int(parts.pop())
        if not 1800 <= year <= 2100:
            raise DataError(f"{where} a source's year should be between 1800 and 2100, not {year}.")
        source["year"] = year
    if not parts:
        if url is None:
            raise DataError(f"{where} a source needs a publisher or a title before its year and link.")
        host = urlsplit(url).hostname or url
        parts = [host.removeprefix("www."), url]
    source["publisher"] = parts[0]
    source["title"] = ". ".join(parts[1:]) or parts[0]
    if url is not None:
        source["url"] = url
    return source


def _unquote(value: str) -> str:
    """``'it''s'`` as ``it's``, ``"a"`` as ``a``; anything else as it is."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


# The Markdown -----------------------------------------------------------------


@functools.cache
def _markdown() -> MarkdownIt:
    """The parser, made on first use. ``html`` is on so that raw HTML comes as HTML tokens, whose
    tags can be removed; with it off, tags would be plain text and shown as written. Nothing is rendered."""
    return MarkdownIt("commonmark", {"html": True})


@dataclass
class _Item:
    parts: list[str] = field(default_factory=list)
    label: str | None = None


@dataclass
class _Body:
    """A note's Markdown, walked token by token into sections of blocks (in the data file's format).

    ``sections`` starts with the untitled one for text before the first ``##``.
    """

    title: str | None = None
    sections: list[tuple[str | None, list[dict[str, Any]]]] = field(default_factory=lambda: [(None, [])])
    first_paragraph: str | None = None
    links: list[str] = field(default_factory=list)
    _lists: int = 0
    _quotes: int = 0
    _ordered: bool = False
    _items: list[_Item] = field(default_factory=list)
    _open_items: list[_Item] = field(default_factory=list)

    def walk(self, tokens: list[Token]) -> None:
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                opener = tokens[index - 1] if index else None
                if opener is not None and opener.type == "heading_open":
                    self._heading(opener.tag, _inline_text(token.children or [], self.links))
                else:
                    self._paragraph(token.children or [])
            elif kind in ("bullet_list_open", "ordered_list_open"):
                if not self._lists:
                    self._ordered = kind == "ordered_list_open"
                self._lists += 1
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self._lists -= 1
                if not self._lists:
                    self._end_list()
            elif kind == "list_item_open":
                self._items.append(_Item())
                self._open_items.append(self._items[-1])
            elif kind == "list_item_close":
                self._open_items.pop()
            elif kind == "blockquote_open":
                self._quotes += 1
            elif kind == "blockquote_close":
                self._quotes -= 1
            elif kind in ("fence", "code_block"):
                self._add(_plain(token.content))
            elif kind == "html_block":
                self._add(_visible(token.content))

    def _heading(self, tag: str, text: str) -> None:
        if not text:
            return
        if self._lists or self._quotes or tag not in ("h1", "h2"):
            self._add(text)
        elif tag == "h1" and self.title is None:
            self.title = text
        else:
            self.sections.append((text, []))

    def _paragraph(self, children: list[Token]) -> None:
        item = self._open_items[-1] if self._open_items else None
        if item is not None and not item.parts:
            label, text = _label(children, self.links)
            if label is not None:
                item.label = label
                item.parts.append(text)
                return
        text = _inline_text(children, self.links)
        if text and item is None and self.first_paragraph is None:
            self.first_paragraph = text
        self._add(text)

    def _add(self, text: str) -> None:
        """A paragraph of the current section, or more text of the list item being read."""
        if not text:
            return
        if self._open_items:
            self._open_items[-1].parts.append(text)
        else:
            self.sections[-1][1].append({"type": "paragraph", "text": text})

    def _end_list(self) -> None:
        items: list[dict[str, Any]] = []
        for item in self._items:
            if item.parts:
                entry: dict[str, Any] = {"text": " ".join(item.parts)}
                if item.label is not None:
                    entry["label"] = item.label
                items.append(entry)
        if items:
            self.sections[-1][1].append({"type": "list", "items": items, "ordered": self._ordered})
        self._items = []


def _parse(markdown: str) -> _Body:
    body = _Body()
    body.walk(_markdown().parse(markdown))
    return body


def _label(children: list[Token], links: list[str]) -> tuple[str | None, str]:
    """Split ``**Pain:** worse at night`` into ("Pain", "worse at night"); (None, "") if it does not start so."""
    start = 0
    while start < len(children) and children[start].type == "text" and not children[start].content.strip():
        start += 1
    if start >= len(children) or children[start].type != "strong_open":
        return None, ""
    depth = 0
    end = start
    for end in range(start, len(children)):
        depth += {"strong_open": 1, "strong_close": -1}.get(children[end].type, 0)
        if depth == 0:
            break
    label = _inline_text(children[start + 1 : end], links=[])
    rest = _inline_text(children[end + 1 :], links=[])
    if label.endswith((":", ".")):
        label = label[:-1].rstrip()
    elif rest.startswith((":", ".", "—", "–")):
        rest = rest[1:].lstrip()
    else:
        return None, ""
    if not label or not rest:
        return None, ""
    links.extend(str(child.attrs.get("href") or "") for child in children if child.type == "link_open")
    return label, rest


def _inline_text(children: list[Token], links: list[str]) -> str:
    """The plain text of a paragraph's (or heading's) inline tokens; the links' targets join ``links``."""
    has_html = any(child.type == "html_inline" for child in children)
    pieces: list[str] = []
    link_starts: list[tuple[int, str]] = []

    def add(text: str) -> None:
        pieces.append(escape(text, quote=False) if has_html else text)

    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif kind == "html_inline":
            pieces.append(child.content)
        elif kind == "image":
            add(_inline_text(child.children or [], links))
        elif kind == "link_open":
            href = str(child.attrs.get("href") or "")
            links.append(href)
            link_starts.append((len(pieces), href))
        elif kind == "link_close" and link_starts:
            start, href = link_starts.pop()
            inside = "".join(pieces[start:])
            if not (_visible(inside) if has_html else inside.strip()) and href.lower().startswith(_WEB):
                add(href)
        elif kind in ("text", "code_inline", "text_special") or (child.content and child.nesting == 0):
            add(child.content)
    text = "".join(pieces)
    return _visible(text) if has_html else _plain(text)


class _VisibleText(HTMLParser):
    """The text a browser would show of some HTML: no tags, comments, scripts or styles."""

    _HIDDEN = frozenset({"script", "style", "template", "noscript", "title", "textarea"})
    _BREAKS = frozenset(
        {"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "blockquote", "hr", "pre", "section"}
        | {"h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "article", "header", "footer", "img"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    def text(self) -> str:
        """All the visible text fed, made plain. A tag or comment left unfinished is markup, not text."""
        if self.rawdata.startswith("<"):
            self.rawdata = ""
        self.close()
        return _plain("".join(self.parts))


def _visible(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return parser.text()


def _plain(text: str) -> str:
    """Whitespace folded to single spaces, control characters and escapes removed, ends trimmed."""
    return " ".join(clean_text(" ".join(text.split())).split())
