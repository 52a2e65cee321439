"""Turn articles and search hits into Rich renderables. Nothing here prints.

Every function takes plain data (``sccli.models``) and returns something a
Rich console can print. Styles are named in ``sccli.theme``. A renderable
looks right on a terminal and degrades to plain text in a pipe, where Rich
writes no escape codes; the one thing that needs a different form in plain
text, a search match, uses :class:`Snippet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from sccli.models import DISCLAIMER, Article, Entry, Fragment, Hit, ListBlock, Paragraph, Section, Source

#: How plain text marks a matched word, where there is no style to show it.
MATCH_MARK = "**"

_INDENT = 2


def render_article(
    article: Article,
    related: Sequence[Entry] = (),
    *,
    section: Section | None = None,
) -> RenderableType:
    """The whole article, or one ``section`` of it, ending with the disclaimer."""
    parts: list[RenderableType] = [_render_header(article)]
    sections = [section] if section is not None else article.sections
    for part in sections:
        parts.append(render_section(part))
    if section is None:
        if related:
            parts.append(_render_related_block(related))
        if article.sources:
            parts.append(_render_sources(article.sources))
    parts.append(render_disclaimer())
    return Group(*parts)


def render_section(section: Section) -> RenderableType:
    """A section: its heading, then its paragraphs and lists."""
    parts: list[RenderableType] = [Text(""), Text(section.heading, style="sccli.heading")]
    for block in section.blocks:
        parts.append(Text(""))
        parts.append(_indent(_render_block(block)))
    return Group(*parts)


def render_list(article: Article, section: Section, block: ListBlock) -> RenderableType:
    """One list of an article (its risks, its benefits) with its heading."""
    return Group(
        Text(article.title, style="sccli.title"),
        Text(""),
        Text(section.heading, style="sccli.heading"),
        Text(""),
        _indent(_render_block(block)),
        render_disclaimer(),
    )


def render_articles(articles: Iterable[Entry]) -> RenderableType:
    """The library's table of contents: id and title, one article a row."""
    return _id_table((article.id, article.title) for article in articles)


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


def render_results(query: str, hits: Sequence[Hit]) -> RenderableType:
    """Search hits, best first: where each one is, how to open it, and a snippet."""
    plural = "section" if len(hits) == 1 else "sections"
    parts: list[RenderableType] = [
        Text(f"{len(hits)} {plural} matching '{query}'", style="sccli.meta")
    ]
    for number, hit in enumerate(hits, start=1):
        place = Text()
        place.append(hit.heading, style="sccli.heading")
        if hit.item is not None:
            place.append(" › ")
            place.append(hit.label or f"item {hit.item}", style="sccli.label")
        place.append(" — ")
        place.append(hit.article_title, style="sccli.title")
        command = Text(f"sccli show {hit.article_id} --section {hit.section_id}", style="sccli.meta")
        parts.extend([Text(""), Hanging(f"{number}.", Group(place, Snippet(hit.snippet), command))])
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

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        gutter = self.indent + self.width + self.gap
        lines = console.render_lines(self.body, options.update(width=max(options.max_width - gutter, 1)), pad=False)
        marker = self.marker.rjust(self.width) if self.align == "right" else self.marker.ljust(self.width)
        first = [Segment(" " * self.indent), Segment(marker, console.get_style(self.style)), Segment(" " * self.gap)]
        rest = Segment(" " * gutter)
        for number, line in enumerate(lines):
            yield from first if number == 0 else (rest,)
            yield from line
            yield Segment.line()


class Snippet:
    """A search snippet: matches are styled on a terminal and marked in plain text."""

    def __init__(self, fragments: Sequence[Fragment]) -> None:
        self.fragments = fragments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = Text()
        for fragment in self.fragments:
            if not fragment.match:
                text.append(fragment.text)
            elif console.is_terminal:
                text.append(fragment.text, style="sccli.match")
            else:
                text.append(f"{MATCH_MARK}{fragment.text}{MATCH_MARK}")
        yield text


def _render_header(article: Article) -> RenderableType:
    meta = Text(style="sccli.meta")
    if article.sources:
        meta.append(f"Source: {article.sources[0].publisher}")
        if len(article.sources) > 1:
            meta.append(f" and {len(article.sources) - 1} more (listed at the end)")
        meta.append(" · ")
    meta.append(f"Reviewed {article.reviewed.isoformat()}")
    return Group(
        Text(article.title, style="sccli.title"),
        Text(article.summary, style="sccli.summary"),
        meta,
    )


def _render_block(block: Paragraph | ListBlock) -> RenderableType:
    if isinstance(block, Paragraph):
        return Text(block.text)
    rows: list[RenderableType] = []
    for number, item in enumerate(block.items, start=1):
        marker = f"{number}." if block.ordered else "•"
        if item.label:
            body: RenderableType = Group(Text(item.label, style="sccli.label"), Text(item.text))
        else:
            body = Text(item.text)
        if number > 1:
            rows.append(Text(""))
        rows.append(Hanging(marker, body))
    return Group(*rows)


def _render_related_block(related: Sequence[Entry]) -> RenderableType:
    return Group(
        Text(""),
        Text("Related articles", style="sccli.heading"),
        Text("Read one with: sccli show ID", style="sccli.meta"),
        Text(""),
        _indent(_id_table((article.id, article.title) for article in related)),
    )


def _render_sources(sources: Sequence[Source]) -> RenderableType:
    rows = [Hanging(f"{number}.", Text(format_source(source))) for number, source in enumerate(sources, start=1)]
    return Group(Text(""), Text("Sources", style="sccli.heading"), Text(""), _indent(Group(*rows)))


def format_source(source: Source) -> str:
    """One source as a line of a reference list: publisher, title, year, URL."""
    parts = [source.publisher, source.title]
    if source.year is not None:
        parts.append(str(source.year))
    text = ". ".join(part.rstrip(".") for part in parts) + "."
    if source.url:
        text += f" {source.url}"
    return text


def _id_table(rows: Iterable[tuple[str, str]]) -> RenderableType:
    """Ids in one column and, beside them, titles that wrap under themselves."""
    pairs = list(rows)
    width = max((len(key) for key, _ in pairs), default=0)
    return Group(
        *(Hanging(key, Text(title), width=width, gap=2, align="left", style="sccli.id") for key, title in pairs)
    )


def _indent(renderable: RenderableType) -> RenderableType:
    return Hanging("", renderable, indent=_INDENT, width=0)
