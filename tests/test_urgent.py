"""Warning signs that need care now are set apart wherever an article is shown."""

from __future__ import annotations

import datetime

import msgspec
import pytest
from markdown_it import MarkdownIt

from conftest import render_to_text
from sccli.data import load_library
from sccli.export import to_html, to_markdown
from sccli.models import Article, Item, ListBlock, Paragraph, Section
from sccli.render import render_section

URGENT = Section(
    id="get-help-now",
    heading="When to get help now",
    urgent=True,
    blocks=[
        ListBlock(items=[Item(text="A fever.")]),
        Paragraph(text="Call the team that fitted your device."),
    ],
)


def _article() -> Article:
    base = load_library().articles[3]
    return msgspec.structs.replace(base, sections=[base.sections[0], URGENT], next_review=None)


def test_plain_text_marks_the_heading_and_keeps_the_text() -> None:
    text = render_to_text(render_section(URGENT))
    assert "Urgent: When to get help now" in text
    assert "A fever." in text and "Call the team that fitted your device." in text


def test_a_terminal_shows_a_panel_in_the_urgent_style() -> None:
    styled = render_to_text(render_section(URGENT), styled=True)
    assert "╭" in styled and "When to get help now" in styled
    assert "\x1b[1;31m" in styled  # bold red, the default theme's sccli.urgent
    assert "\x1b[2m" not in styled  # never dim


def test_markdown_sets_it_apart_as_a_quote() -> None:
    tokens = MarkdownIt().parse(to_markdown(_article()))
    inside, quoted = 0, []
    for token in tokens:
        inside += token.type == "blockquote_open"
        inside -= token.type == "blockquote_close"
        if inside and token.type == "inline":
            quoted.append(token.content)
    assert "**Urgent: When to get help now**" in quoted
    assert "A fever." in quoted
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert "When to get help now" not in headings


def test_html_export_sets_it_apart() -> None:
    page = to_html(_article(), today=datetime.date(2026, 11, 30))
    assert '<blockquote class="urgent">' in page
    assert "<strong>Urgent: When to get help now</strong>" in page


@pytest.mark.parametrize("styled", [False, True], ids=["plain", "styled"])
def test_urgent_section_snapshot(snapshot, styled: bool) -> None:  # type: ignore[no-untyped-def]
    """Update after an intended change with: pytest tests/test_urgent.py --snapshot-update"""
    assert render_to_text(render_section(URGENT), styled=styled) == snapshot
