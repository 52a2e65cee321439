"""Export an article to share it: Markdown, one self-contained HTML page, or plain text.

Each carries what ``show`` prints: title, summary, source and review line
(and a warning when the article is past its review date), sections with
their editorial notes, the urgent signs set apart, related articles,
numbered sources and the disclaimer. Markdown is written from the article
itself, with the data's text escaped so that it shows as written; HTML is
that Markdown rendered by markdown-it-py (which Rich already brings) into a
page of its own; text is the terminal view, as ``show`` prints it in a pipe.
Output grows in step with the article, whatever its longest line or word.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from rich.console import Console, RenderableType

from sccli.errors import SccliError
from sccli.models import DISCLAIMER, Article, Entry, Note, Paragraph, Section, Source
from sccli.reading import measure, minutes
from sccli.render import copy_age, copy_line, format_source, overdue
from sccli.theme import THEMES

WIDTH = 80


class ExportError(SccliError):
    """An export cannot be written where it was asked to go."""


def to_text(renderable: RenderableType, width: int = WIDTH) -> str:
    """Plain text, as ``show`` prints it in a pipe."""
    text = io.StringIO()
    console = Console(
        file=text,
        width=width,
        color_system=None,
        theme=THEMES["default"],
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in text.getvalue().splitlines())


def to_html(article: Article, related: Sequence[Entry] = (), *, notes: bool = True, today: date | None = None) -> str:
    """One self-contained web page: the Markdown export rendered by markdown-it-py, with a small stylesheet.

    The page is built from the same document as the Markdown (so the two never
    disagree), not from the terminal view: headings, paragraphs, lists, links
    and quotes are HTML's own, so the page reflows on a phone and prints
    cleanly. It is inert by construction: the Markdown escapes every character
    of the data that Markdown reads as syntax, markdown-it-py escapes the rest
    and refuses raw HTML, links are only ``http`` and ``https``, and the title
    is escaped for HTML (it never reaches a format string).
    """
    from html import escape

    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False})
    tokens = parser.parse(to_markdown(article, related, notes=notes, today=today))
    for number, token in enumerate(tokens):
        if token.type == "blockquote_open":  # an editorial note or the urgent signs: styled apart
            text = next((later.content for later in tokens[number:] if later.type == "inline"), "")
            token.attrSet("class", "urgent" if text.startswith(f"**{_URGENT}") else "note")
        elif token.type == "link_open":
            token.attrSet("rel", "noopener noreferrer")
    body: str = parser.renderer.render(tokens, parser.options, {})
    head, _, tail = _HTML.partition("{body}")  # one pass each: neither text can reach the other's slot
    return head.replace("{title}", escape(article.title)) + body + tail


_URGENT = "Urgent: "

_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sccli">
<title>{title}</title>
<style>
html { color: #1b1b1b; background: #fff; }
body { font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       max-width: 42rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
h1 + p { font-size: 1.1rem; color: #333; }
ul, ol { padding-left: 1.5rem; }
li { margin: 0.35rem 0; }
a { color: #0b57d0; }
blockquote { margin: 1rem 0; padding: 0.6rem 0.9rem; border-left: 4px solid #6b6b6b; background: #f3f3f3; }
blockquote.urgent { border: 2px solid #b00020; border-left-width: 6px; background: #fff4f4; }
blockquote.urgent > p:first-child > strong:first-child { color: #b00020; }
blockquote p { margin: 0.4rem 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; }
  blockquote, li, h2 { break-inside: avoid; }
  h2 { break-after: avoid; }
}
</style>
</head>
<body>
<article>
{body}</article>
</body>
</html>
"""


def to_markdown(
    article: Article, related: Sequence[Entry] = (), *, notes: bool = True, today: date | None = None
) -> str:
    """The article as Markdown that renders the same on common viewers (GitHub, editors).

    ``today`` is the date to judge the review date by (None: not judged).
    """
    lines = [f"# {_md(article.title)}", "", f"*{_md(article.summary)}*", ""]
    words, grade = measure(article)
    source = f"Source: {_md(article.sources[0].publisher)}" if article.sources else "No sources listed"
    if len(article.sources) > 1:
        source += f" and {len(article.sources) - 1} more (listed at the end)"
    lines += [
        f"{source} · Reviewed {article.reviewed.isoformat()} · {minutes(words)} min read · reading grade {grade:g}",
        "",
    ]
    if article.origin is not None:
        stale = copy_age(article, today)
        lines += [f"*{_md(article.origin.credit)}.* {_md(stale or copy_line(article))}", ""]
    if today is not None and article.next_review is not None and article.next_review < today:
        lines += [f"**{_md(overdue(article))}**", ""]
    for section in article.sections:
        body = _md_section(section, notes=notes)
        if section.urgent:  # set apart as a quote, like an editorial note, and marked as it is on screen
            lines += [f"> **{_URGENT}{_md(section.heading)}**", ">"]
            lines += [f"> {line}" if line else ">" for line in body[:-1]] + [""]
        else:
            lines += [f"## {_md(section.heading)}", "", *body]
    if related:
        lines += ["## Related articles", ""]
        lines += [f"- `{entry.id}`: {_md(entry.title)}" for entry in related]
        lines += [""]
    if article.sources:
        lines += ["## Sources", ""]
        lines += [f"{number}. {_md_source(source)}" for number, source in enumerate(article.sources, start=1)]
        lines += [""]
    lines += [f"*{_md(DISCLAIMER)}*", ""]
    return "\n".join(lines)


def _md_section(section: Section, *, notes: bool) -> list[str]:
    lines: list[str] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            lines += [_md(block.text), ""]
            lines += _md_notes(block.notes, "") if notes else []
            continue
        for number, item in enumerate(block.items, start=1):
            marker = f"{number}." if block.ordered else "-"
            pad = " " * (len(marker) + 1)
            text = f"**{_md(item.label)}**  \n{pad}{_md(item.text)}" if item.label else _md(item.text)
            lines += [f"{marker} {text}", ""]
            lines += _md_notes(item.notes, pad) if notes else []
    return lines


def _md_notes(notes: Sequence[Note], pad: str) -> list[str]:
    lines = []
    for note in notes:
        lines.append(f"{pad}> **Editorial note:** {_md(note.text)}")
        for source in note.sources:
            lines += [f"{pad}>", f"{pad}> Source: {_md_source(source)}"]
        lines.append("")
    return lines


def _md_source(source: Source) -> str:
    text = _md(format_source(Source(source.publisher, source.title, source.year)))
    if source.url:
        url = source.url
        text += f" <{url}>" if _AUTOLINK.fullmatch(url) else f" {_md(url)}"
    return text


_AUTOLINK = re.compile(r"(?i)https?://[^\s<>\x00-\x1f\x7f]+")  # what CommonMark takes as <autolink>
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")  # emphasis, code, links, HTML, tables, strikethrough, entities
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)  # four spaces or a tab would start a code block
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))", re.MULTILINE)  # headings, quotes, lists, rules


def _md(text: str) -> str:
    """Escape what Markdown would read as syntax, and keep line breaks as breaks."""
    escaped = _INLINE.sub(r"\\\1", _INDENT.sub("", text))
    # A numbered line is escaped after its number: a backslash before a digit shows as text.
    escaped = _LINE_START.sub(
        lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)), escaped
    )
    return escaped.replace("\n", "  \n")


def write_atomically(path: str, content: str, *, force: bool, protected: Sequence[Path] = ()) -> None:
    """Write ``content`` to the file ``path``, whole or not at all (a temporary file renamed into place).

    Only a regular file is ever replaced, and only with ``force``; a symbolic
    link to one is followed. A new file gets the permissions the umask gives
    (``0666 & ~umask``); a replaced file keeps its own.

    Raises:
        ExportError: ``path`` is empty, names a folder, a device, a FIFO or a
            socket, a dangling link (without ``force``), an existing file
            (without ``force``), or one of ``protected`` (data files sccli
            reads), or it cannot be written.
    """
    if not path:
        raise ExportError("no file name given after -o; use -o - to write to standard output.")
    if path.endswith(("/", os.sep)):
        raise ExportError(f"{path}: names a folder; give a file name.")
    target = Path(path)
    try:
        info: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise ExportError(f"{path}: cannot write there ({error.strerror or error}).") from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(target)
        except FileNotFoundError:
            if not force:
                raise ExportError(
                    f"{path}: is a link to a file that does not exist; add --force to replace the link."
                ) from None
            info = None  # --force: the link itself is replaced by the file
        except OSError as error:
            raise ExportError(f"{path}: cannot write there ({error.strerror or error}).") from None
        else:
            target = Path(os.path.realpath(target))
    mode = _new_file_mode()
    if info is not None:
        what = _not_a_file(info.st_mode)
        if what:
            raise ExportError(f"{path}: is {what}, not a file; use -o - to write to standard output.")
        if any(_same_file(target, other) for other in protected):
            raise ExportError(f"{path}: that is a data file sccli reads; choose another file.")
        if not force:
            raise ExportError(f"{path} already exists; add --force to replace it.")
        mode = stat.S_IMODE(info.st_mode)
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".sccli-", suffix=".tmp")
    except FileNotFoundError:
        raise ExportError(f"{path}: the folder {folder} does not exist.") from None
    except OSError as error:
        raise ExportError(f"{path}: cannot write there ({error.strerror or error}).") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(content)
        os.chmod(temporary, mode)  # mkstemp made it 0600 (and os.fchmod is POSIX-only before 3.13)
        os.replace(temporary, target)
    except OSError as error:
        _unlink(temporary)
        raise ExportError(f"{path}: cannot write there ({error.strerror or error}).") from None
    except BaseException:
        _unlink(temporary)
        raise


def _not_a_file(mode: int) -> str:
    """What a file of ``mode`` is when it is not a regular file ("" when it is one)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _new_file_mode() -> int:
    """``0666 & ~umask``, as ``open`` would create a file (the temporary file is made 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
