"""Turn articles and search hits into Rich renderables. Nothing here prints.

Every function takes plain data (``sccli.models``) and returns something a
Rich console can print. Styles are named in ``sccli.theme``. A renderable
looks right on a terminal and degrades to plain text in a pipe, where Rich
writes no escape codes. The things that need a different form in plain text
(a search match, an editorial note) choose it in ``__rich_console__``:
:class:`Snippet` and :class:`NoteView`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from sccli.models import (
    DISCLAIMER,
    Article,
    Entry,
    Fragment,
    Hit,
    Item,
    ListBlock,
    Note,
    Paragraph,
    Section,
    Source,
    Term,
)
from sccli.reading import measure, minutes

if TYPE_CHECKING:
    from sccli.libraries import Summary

#: How plain text marks a matched word, where there is no style to show it.
MATCH_MARK = "**"

_INDENT = 2


@dataclass(frozen=True)
class ArticleOptions:
    """How to show an article.

    Attributes:
        notes: show editorial notes beside the text they correct.
        glossary: terms to mark at their first use in the article.
        explain: after each section, define the terms first used in it.
        today: the date to judge ``next_review`` against (None: do not judge).
    """

    notes: bool = True
    glossary: Sequence[Term] = ()
    explain: bool = False
    today: datetime.date | None = None


def render_article(
    article: Article,
    related: Sequence[Entry] = (),
    *,
    section: Section | None = None,
    options: ArticleOptions = ArticleOptions(),
) -> RenderableType:
    """The whole article, or one ``section`` of it, then its sources, ending with the disclaimer.

    A section has no sources of its own: the article's are listed under it too,
    as the header promises ("listed at the end").
    """
    marker = _TermMarker(options.glossary)
    parts: list[RenderableType] = [_render_header(article, options.today)]
    for part in [section] if section is not None else article.sections:
        parts.append(render_section(part, options=options, marker=marker))
    if section is None and related:
        parts.append(_render_related_block(related))
    if article.sources:
        parts.append(_render_sources(article.sources))
    parts.append(render_disclaimer())
    return Group(*parts)


def render_section(
    section: Section, *, options: ArticleOptions = ArticleOptions(), marker: _TermMarker | None = None
) -> RenderableType:
    """A section: its heading, its paragraphs and lists (with their notes), then any definitions."""
    marker = marker or _TermMarker(options.glossary)
    marker.first_used.clear()
    blocks: list[RenderableType] = []
    for block in section.blocks:
        blocks.append(Text(""))
        blocks.append(_indent(_render_block(block, options, marker)))
    if options.explain and marker.first_used:
        blocks.append(Text(""))
        blocks.append(_indent(render_definitions(marker.first_used)))
    if section.urgent:
        return Group(Text(""), UrgentView(section.heading, Group(*blocks[1:])))
    return Group(Text(""), Text(section.heading, style="sccli.heading"), *blocks)


def render_definitions(terms: Sequence[Term]) -> RenderableType:
    """Short definitions: each term, then what it means."""
    rows = []
    for term in terms:
        text = Text()
        text.append(term.term, style="sccli.term")
        text.append(": ")
        text.append(term.definition)
        rows.append(Hanging("›", text, width=1))
    return Group(*rows)


def render_term(term: Term) -> RenderableType:
    """One glossary entry: the term, its other names, the definition and its source."""
    parts: list[RenderableType] = [Text(term.term, style="sccli.title")]
    if term.aliases:
        parts.append(Text("Also: " + ", ".join(term.aliases), style="sccli.meta"))
    parts += [
        Text(""),
        _indent(Text(term.definition)),
        Text(""),
        Text(f"Source: {format_source(term.source)}", style="sccli.meta"),
    ]
    parts.append(render_disclaimer())
    return Group(*parts)


def render_glossary(terms: Sequence[Term]) -> RenderableType:
    """Every glossary entry, A to Z: its term (what ``define`` accepts) and the first sentence of its definition."""
    ordered = sorted(terms, key=lambda term: (term.term.casefold(), term.id))
    rows = [
        Hanging("•", Text.assemble((term.term, "sccli.label"), " — ", first_sentence(term.definition)), width=1)
        for term in ordered
    ]
    return Group(*rows, Text(""), Text("Read one with: sccli define TERM", style="sccli.meta"))


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it has one sentence)."""
    import re

    found = re.match(r"(.+?[.!?])(?=\s|$)", text.strip(), re.DOTALL)
    return found.group(1) if found else text.strip()


def render_list(
    article: Article, section: Section, block: ListBlock, *, options: ArticleOptions = ArticleOptions()
) -> RenderableType:
    """One list of an article (its risks, its benefits) with its heading and notes."""
    return Group(
        Text(article.title, style="sccli.title"),
        Text(""),
        Text(section.heading, style="sccli.heading"),
        Text(""),
        _indent(_render_block(block, options, _TermMarker(options.glossary))),
        render_disclaimer(),
    )


def render_articles(articles: Iterable[Article]) -> RenderableType:
    """The library's table of contents: id, title, reading time and grade, one article a row."""
    listed = list(articles)
    return Group(*article_rows(listed, max((len(article.id) for article in listed), default=0)))


def article_rows(articles: Iterable[Article], width: int) -> Iterator[RenderableType]:
    """:func:`render_articles` one row at a time, as the articles are read (``list`` streams them):
    ``width`` is the id column's, the longest id's length (known before the rows are)."""
    for article in articles:
        yield Hanging(
            article.id,
            Group(Text(article.title), Text(_reading(*measure(article)), style="sccli.meta")),
            width=width,
            gap=2,
            align="left",
            style="sccli.id",
        )


def render_libraries(libraries: Sequence[Summary]) -> RenderableType:
    """The libraries read: name, then kind, size, date and language, and where the files are."""
    rows = []
    for library in libraries:
        if library.problem:
            rows.append((library.name, Group(Text(library.path), Text(f"Cannot be read: {library.problem}."))))
            continue
        size = [_count(library.articles, "article")] + (
            [_count(library.terms, "glossary entry")] if library.terms else []
        )
        facts = [library.kind, *size, *([f"copy of {library.date}"] if library.date else [])]
        facts += [library.languages] if library.languages else []
        rows.append((library.name, Group(Text(" · ".join(facts)), Text(library.path, style="sccli.meta"))))
    return _id_table(rows)


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number:,} {noun if number == 1 else plural}"


def render_sections(article: Article) -> RenderableType:
    """An article's sections: the ids that ``show --section`` accepts, and headings."""
    rows = _id_table((section.id, section.heading) for section in article.sections)
    return Group(Text(article.title, style="sccli.title"), Text(""), rows)


def render_related(article: Article, related: Sequence[Entry]) -> RenderableType:
    """The articles that ``article`` links to."""
    if not related:
        return Group(
            Text(article.title, style="sccli.title"),
            Text("No related articles.", style="sccli.meta"),
        )
    return Group(Text(article.title, style="sccli.title"), _render_related_block(related))


def render_results(
    query: str, hits: Sequence[Hit], total: int | None = None, *, at_most: int | None = None
) -> RenderableType:
    """Search hits, best first: where each one is, how to open it, and a snippet.

    ``total`` is how many sections match in all, when more match than are shown;
    past ``at_most``, counting stopped ("more than 10,000").
    """
    total = max(total or 0, len(hits))
    plural = "section" if total == 1 else "sections"
    counted = f"more than {at_most:,}" if at_most is not None and total > at_most else f"{total:,}"
    shown = f"Showing {len(hits)} of {counted} {plural}" if total > len(hits) else f"{total:,} {plural}"
    parts: list[RenderableType] = [Text(f"{shown} matching '{query}'", style="sccli.meta")]
    for number, hit in enumerate(hits, start=1):
        place = Text()
        place.append(hit.heading, style="sccli.heading")
        if hit.item is not None:
            place.append(" › ")
            place.append(hit.label or f"item {hit.item}", style="sccli.label")
        place.append(" — ")
        place.append(hit.article_title, style="sccli.title")
        command = Text(f"sccli show {hit.article_id} --section {hit.section_id}", style="sccli.meta")
        snippet: RenderableType = Snippet(hit.snippet)
        if hit.note:  # the match is in sccli's own words beside the text, and the reader should know
            snippet = Group(Text("In an editorial note:", style="sccli.note"), snippet)
        parts.extend([Text(""), Hanging(f"{number}.", Group(place, snippet, command))])
    return Group(*parts)


def render_disclaimer() -> RenderableType:
    """The reminder that closes every article view."""
    return Group(Text(""), Text(DISCLAIMER, style="sccli.disclaimer"))


class Hanging:
    """A body led by a marker ("1.", "•", an id), every later line indented to match.

    Rich's Table can lay this out too, but at several times the cost, and a
    reader that prints dozens of list items must start instantly.

    Args:
        marker: the text in the gutter of the first line.
        body: what follows it; wrapped to the width that is left.
        indent: spaces before the marker.
        width: the marker column's width (at least the marker's length).
        gap: spaces between the marker column and the body.
        align: "right" for numbers, "left" for ids.
        style: the marker's style name.
    """

    def __init__(
        self,
        marker: str,
        body: RenderableType,
        *,
        indent: int = 0,
        width: int = 2,
        gap: int = 1,
        align: str = "right",
        style: str = "sccli.marker",
    ) -> None:
        self.marker = marker
        self.body = body
        self.indent = indent
        self.width = max(width, len(marker))
        self.gap = gap if self.width else 0
        self.align = align
        self.style = style

    #: A left-aligned marker column (ids) takes at most this share of the width; a longer
    #: marker goes on a line of its own, its body below it, so that a narrow terminal or a
    #: very long id never leaves the body a column of a few characters.
    MAX_COLUMN = 0.4

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = self.width
        if self.align == "left":
            width = min(width, max(int(options.max_width * self.MAX_COLUMN) - self.indent - self.gap, 1))
        if len(self.marker) > width:
            yield from self._stacked(console, options)
            return
        gutter = self.indent + width + self.gap
        lines = console.render_lines(self.body, options.update(width=max(options.max_width - gutter, 1)), pad=False)
        marker = self.marker.rjust(width) if self.align == "right" else self.marker.ljust(width)
        first = [Segment(" " * self.indent), Segment(marker, console.get_style(self.style)), Segment(" " * self.gap)]
        rest = Segment(" " * gutter)
        for number, line in enumerate(lines):
            yield from first if number == 0 else (rest,)
            yield from line
            yield Segment.line()

    def _stacked(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The marker on its own line (folded if it is wider than the width), the body under it."""
        style = console.get_style(self.style)
        room = max(options.max_width - self.indent, 1)
        for start in range(0, len(self.marker), room):
            yield from (Segment(" " * self.indent), Segment(self.marker[start : start + room], style), Segment.line())
        indent = self.indent + 4
        lines = console.render_lines(self.body, options.update(width=max(options.max_width - indent, 1)), pad=False)
        for line in lines:
            yield Segment(" " * indent)
            yield from line
            yield Segment.line()


class Wrapped:
    """Text wrapped to the width, rendered one line at a time: what a long text needs.

    Rich renders a wrapped :class:`~rich.text.Text` as one run of segments with
    a line break after each line, then splits that run at every break, copying
    what is left each time: a cost that grows with the square of the text's
    length (a 2 MB paragraph took 1.5 s more). Line by line, it grows in step.
    """

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text
        lines = text.wrap(
            console,
            options.max_width,
            justify=text.justify or options.justify or "default",
            overflow=text.overflow or options.overflow or "fold",
            tab_size=text.tab_size or console.tab_size or 8,
            no_wrap=bool(text.no_wrap if text.no_wrap is not None else options.no_wrap),
        )
        for line in lines:
            yield from line.render(console, end="")
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


def wrapped(text: Text) -> RenderableType:
    """``text`` as is, or as :class:`Wrapped` when it is long enough for Rich's own wrapping to be slow."""
    return Wrapped(text) if len(text) > LONG_TEXT else text


#: Characters beyond which a text is rendered line by line (see :class:`Wrapped`).
LONG_TEXT = 2000


class Snippet:
    """A search snippet: matches are styled on a terminal and marked in plain text (and with --color never)."""

    def __init__(self, fragments: Sequence[Fragment]) -> None:
        self.fragments = fragments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = Text()
        for fragment in self.fragments:
            if not fragment.match:
                text.append(fragment.text)
            elif console.is_terminal and console.color_system is not None:  # a style that can show
                text.append(fragment.text, style="sccli.match")
            else:
                text.append(f"{MATCH_MARK}{fragment.text}{MATCH_MARK}")
        yield text


def _render_header(article: Article, today: datetime.date | None) -> RenderableType:
    meta = Text(style="sccli.meta")
    if article.sources:
        meta.append(f"Source: {article.sources[0].publisher}")
        if len(article.sources) > 1:
            meta.append(f" and {len(article.sources) - 1} more (listed at the end)")
    else:
        meta.append("No sources listed")
    meta.append(f" · Reviewed {article.reviewed.isoformat()}")
    words, grade = measure(article)
    meta.append(f" · {_reading(words, grade)}")
    parts: list[RenderableType] = [
        Text(article.title, style="sccli.title"),
        wrapped(Text(article.summary, style="sccli.summary")),
        meta,
    ]
    if article.origin is not None:
        parts.append(Text(f"{article.origin.credit}.", style="sccli.meta"))
        stale = copy_age(article, today)
        parts.append(Text(stale or copy_line(article), style="sccli.warning" if stale else "sccli.meta"))
    if article.next_review is not None and today is not None and article.next_review < today:
        parts.append(Text(overdue(article), style="sccli.warning"))
    return Group(*parts)


def copy_line(article: Article) -> str:
    """Where a copied article comes from: "From the copy of 2024-06-06 (in English)."."""
    origin = article.origin
    if origin is None:
        return ""
    language = f" (in {origin.language})" if origin.language else ""
    return f"From the copy of {origin.date.isoformat()}{language}."


def copy_age(article: Article, today: datetime.date | None) -> str:
    """What to say of a copy more than a year old: how old, and where to get a new one ("" otherwise)."""
    origin = article.origin
    if origin is None or today is None or (today - origin.date).days <= 365:
        return ""
    years = (today - origin.date).days // 365
    age = "a year" if years == 1 else f"{years} years"
    where = f" Download a new one from {origin.update_url}" if origin.update_url else ""
    language = f" (in {origin.language})" if origin.language else ""
    return f"This copy, of {origin.date.isoformat()}{language}, is more than {age} old.{where}"


def _reading(words: int, grade: float) -> str:
    return f"{minutes(words)} min read · reading grade {grade:g}"


@dataclass
class _TermMarker:
    """Marks the first use of each glossary term in an article, and remembers which."""

    glossary: Sequence[Term]
    used: set[str] = field(default_factory=set)
    first_used: list[Term] = field(default_factory=list)

    def __post_init__(self) -> None:
        from sccli.terms import TermFinder

        self.finder = TermFinder(self.glossary) if self.glossary else None

    def text(self, content: str) -> RenderableType:
        text = Text(content)
        if self.finder is not None:
            for start, end, term in self.finder.find(content):
                if term.id not in self.used:
                    self.used.add(term.id)
                    self.first_used.append(term)
                    text.stylize("sccli.term", start, end)
        return wrapped(text)


def _render_block(block: Paragraph | ListBlock, options: ArticleOptions, marker: _TermMarker) -> RenderableType:
    if isinstance(block, Paragraph):
        return _with_notes(marker.text(block.text), block.notes, options)
    rows: list[RenderableType] = []
    for number, item in enumerate(block.items, start=1):
        if number > 1:
            rows.append(Text(""))
        rows.append(Hanging(f"{number}." if block.ordered else "•", _render_item(item, options, marker)))
    return Group(*rows)


def _render_item(item: Item, options: ArticleOptions, marker: _TermMarker) -> RenderableType:
    text = marker.text(item.text)
    body = Group(Text(item.label, style="sccli.label"), text) if item.label else text
    return _with_notes(body, item.notes, options)


def _with_notes(body: RenderableType, notes: Sequence[Note], options: ArticleOptions) -> RenderableType:
    if not options.notes or not notes:
        return body
    return Group(body, *(NoteView(note) for note in notes))


class NoteView:
    """An editorial note: a dim panel on a terminal, a plain "Editorial note:" paragraph elsewhere."""

    def __init__(self, note: Note) -> None:
        self.note = note

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        body = Text(self.note.text)
        for source in self.note.sources:
            body.append(f"\nSource: {format_source(source)}", style="sccli.meta")
        if console.is_terminal:
            from rich.panel import Panel

            yield Panel(
                wrapped(body), title="Editorial note", title_align="left", border_style="sccli.note", style="sccli.note"
            )
        else:
            yield Text("")
            yield wrapped(Text.assemble(("Editorial note: ", "sccli.note"), body))


class UrgentView:
    """The signs that need care now: a panel on a terminal, a marked heading elsewhere.

    Set apart like an editorial note, but never dim: it is what a reader must not miss.
    """

    #: What marks the heading where there is no panel (a pipe, a file, a screen reader).
    LABEL = "Urgent: "

    def __init__(self, heading: str, body: RenderableType) -> None:
        self.heading = heading
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if console.is_terminal:
            from rich.panel import Panel

            title = Text(self.heading, style="sccli.urgent")
            yield Panel(self.body, title=title, title_align="left", border_style="sccli.urgent")
        else:
            yield Text.assemble((self.LABEL, "sccli.urgent"), (self.heading, "sccli.heading"))
            yield Text("")
            yield self.body


def _render_related_block(related: Sequence[Entry]) -> RenderableType:
    return Group(
        Text(""),
        Text("Related articles", style="sccli.heading"),
        Text("Read one with: sccli show ID", style="sccli.meta"),
        Text(""),
        _indent(_id_table((article.id, article.title) for article in related)),
    )


def _render_sources(sources: Sequence[Source]) -> RenderableType:
    rows = [Hanging(f"{number}.", wrapped(_source_text(source))) for number, source in enumerate(sources, start=1)]
    return Group(Text(""), Text("Sources", style="sccli.heading"), Text(""), _indent(Group(*rows)))


#: Longer URLs are shown but not made terminal hyperlinks: a link's target is written again
#: on every line its text wraps over (a 200 KB URL made 500 MB of output). Browsers and
#: terminals (VTE) refuse longer ones anyway.
MAX_LINK = 2083


def _source_text(source: Source) -> Text:
    """A source as text; its URL is also a terminal hyperlink, but only for http and https."""
    text = Text(format_source(source))
    if source.url and len(source.url) <= MAX_LINK and source.url.lower().startswith(("http://", "https://")):
        start = text.plain.rfind(source.url)
        text.stylize(Style(link=source.url), start, start + len(source.url))
    return text


def overdue(article: Article) -> str:
    """What ``show`` and exports say of an article past its ``next_review`` date."""
    when = article.next_review.isoformat() if article.next_review is not None else "an earlier date"
    return f"This article was due for review on {when}. Some of it may be out of date."


def format_source(source: Source) -> str:
    """One source as a line of a reference list: publisher, title, year, URL."""
    parts = [source.publisher, source.title]
    if source.year is not None:
        parts.append(str(source.year))
    text = ". ".join(part.rstrip(".") for part in parts) + "."
    if source.url:
        text += f" {source.url}"
    return text


def _id_table(rows: Iterable[tuple[str, RenderableType]]) -> RenderableType:
    """Ids in one column and, beside them, titles that wrap under themselves."""
    pairs = list(rows)
    width = max((len(key) for key, _ in pairs), default=0)
    return Group(
        *(
            Hanging(
                key,
                Text(title) if isinstance(title, str) else title,
                width=width,
                gap=2,
                align="left",
                style="sccli.id",
            )
            for key, title in pairs
        )
    )


def _indent(renderable: RenderableType) -> RenderableType:
    return Hanging("", renderable, indent=_INDENT, width=0)
