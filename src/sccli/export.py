"""Export an article to share it: Markdown, one self-contained HTML page, or plain text.

Each is a faithful copy of what ``show`` prints: title, summary, source and
review line, sections with their editorial notes, related articles, numbered
sources and the disclaimer. HTML comes from Rich's own export
(``Console(record=True)``), so it looks like the terminal view and needs no
hand-written markup; Markdown is written from the article itself, with the
data's text escaped so that it shows as written.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console, RenderableType
from rich.segment import Segment, Segments

from sccli.errors import SccliError
from sccli.models import DISCLAIMER, Article, Entry, Note, Paragraph, Section, Source
from sccli.reading import measure, minutes
from sccli.render import format_source
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


def to_html(renderable: RenderableType, title: str, width: int = WIDTH) -> str:
    """One self-contained page (no external assets), readable on a phone and printable."""
    from html import escape

    console = Console(
        record=True,
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        theme=THEMES["light"],
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    # Links are dropped before recording: Rich writes a link's target into href
    # as it is, so a URL from a data file could close the attribute and add its
    # own. The URL still shows as text. The title is escaped for HTML, then its
    # braces for the format string Rich fills in ("{code}" in a title is text).
    lines = Segment.strip_links(console.render(renderable, console.options))
    console.print(Segments(lines))
    template = _HTML.replace("{title}", escape(title).replace("{", "{{").replace("}", "}}"))
    return console.export_html(inline_styles=True, code_format=template)


_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 1rem; color: {foreground}; background-color: {background}; }}
pre {{ font-family: ui-monospace, "Cascadia Mono", Menlo, Consolas, monospace; font-size: 0.95rem;
      line-height: 1.4; white-space: pre-wrap; overflow-wrap: anywhere; }}
@media print {{ body {{ margin: 0; }} pre {{ font-size: 10pt; }} }}
</style>
</head>
<body>
<pre><code>{code}</code></pre>
</body>
</html>
"""


def to_markdown(article: Article, related: Sequence[Entry] = (), *, notes: bool = True) -> str:
    """The article as Markdown that renders the same on common viewers (GitHub, editors)."""
    lines = [f"# {_md(article.title)}", "", f"*{_md(article.summary)}*", ""]
    words, grade = measure(article)
    source = f"Source: {_md(article.sources[0].publisher)}" if article.sources else "No sources listed"
    if len(article.sources) > 1:
        source += f" and {len(article.sources) - 1} more (listed at the end)"
    lines += [
        f"{source} · Reviewed {article.reviewed.isoformat()} · {minutes(words)} min read · reading grade {grade:g}",
        "",
    ]
    for section in article.sections:
        body = _md_section(section, notes=notes)
        if section.urgent:  # set apart as a quote, like an editorial note, and marked as it is on screen
            lines += [f"> **Urgent: {_md(section.heading)}**", ">"]
            lines += [f"> {line}" if line else ">" for line in body[:-1]] + [""]
        else:
            lines += [f"## {_md(section.heading)}", "", *body]
    if related:
        lines += ["## Related articles", ""]
        lines += [f"- `{entry.id}`: {_md(entry.title)}" for entry in related]
        lines += ["", "Read one with: `sccli show ID`", ""]
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
        text += f" <{url}>" if url.lower().startswith(("http://", "https://")) and ">" not in url else f" {_md(url)}"
    return text


_INLINE = re.compile(r"([\\`*_\[\]<>|~])")  # emphasis, code, links, HTML, tables, strikethrough
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))", re.MULTILINE)  # headings, quotes, lists, rules


def _md(text: str) -> str:
    """Escape what Markdown would read as syntax, and keep line breaks as breaks."""
    escaped = _INLINE.sub(r"\\\1", text)
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
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(content)
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
