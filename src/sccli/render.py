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
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from sccli.models import DISCLAIMER, Article, Fragment, Hit, ListBlock, Paragraph, Section, Source

#: How plain text marks a matched word, where there is no style to show it.
MATCH_MARK = "**"

_INDENT = 2


def render_article(
    article: Article,
    related: Sequence[Article] = (),
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


def render_articles(articles: Iterable[Article]) -> RenderableType:
    """The library's table of contents: id and title, one article a row."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="sccli.id", no_wrap=True)
    table.add_column()
    for article in articles:
        table.add_row(article.id, article.title)
    return table


def render_sections(article: Article) -> RenderableType:
    """An article's sections: the ids that ``show --section`` accepts, and headings."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="sccli.id", no_wrap=True)
    table.add_column()
    for section in article.sections:
        table.add_row(section.id, section.heading)
    return Group(Text(article.title, style="sccli.title"), Text(""), table)


def render_related(article: Article, related: Sequence[Article]) -> RenderableType:
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
        place = Text.assemble(
            (hit.heading, "sccli.heading"), " — ", (hit.article_title, "sccli.title")
        )
        command = Text(f"sccli show {hit.article_id} --section {hit.section_id}", style="sccli.meta")
        grid = _numbered()
        grid.add_row(f"{number}.", Group(place, Snippet(hit.snippet), command))
        parts.extend([Text(""), grid])
    return Group(*parts)


def render_disclaimer() -> RenderableType:
    """The reminder that closes every article view."""
    return Group(Text(""), Text(DISCLAIMER, style="sccli.disclaimer"))


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
    grid = _numbered()
    for number, item in enumerate(block.items, start=1):
        marker = f"{number}." if block.ordered else "•"
        if item.label:
            body: RenderableType = Group(Text(item.label, style="sccli.label"), Text(item.text))
        else:
            body = Text(item.text)
        if number > 1:
            grid.add_row("", "")
        grid.add_row(marker, body)
    return grid


def _render_related_block(related: Sequence[Article]) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="sccli.id", no_wrap=True)
    table.add_column()
    for article in related:
        table.add_row(article.id, article.title)
    return Group(
        Text(""),
        Text("Related articles", style="sccli.heading"),
        Text("Read one with: sccli show ID", style="sccli.meta"),
        Text(""),
        _indent(table),
    )


def _render_sources(sources: Sequence[Source]) -> RenderableType:
    grid = _numbered()
    for number, source in enumerate(sources, start=1):
        grid.add_row(f"{number}.", Text(format_source(source)))
    return Group(Text(""), Text("Sources", style="sccli.heading"), Text(""), _indent(grid))


def format_source(source: Source) -> str:
    """One source as a line of a reference list: publisher, title, year, URL."""
    parts = [source.publisher, source.title]
    if source.year is not None:
        parts.append(str(source.year))
    text = ". ".join(part.rstrip(".") for part in parts) + "."
    if source.url:
        text += f" {source.url}"
    return text


def _indent(renderable: RenderableType) -> RenderableType:
    return Padding(renderable, (0, 0, 0, _INDENT), expand=False)


def _numbered() -> Table:
    """A two-column grid: a right-aligned marker, then text with a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="sccli.marker", no_wrap=True, min_width=2)
    grid.add_column()
    return grid
