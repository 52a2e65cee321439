"""Snapshots of what each view looks like at 80 columns, plain (a pipe) and styled (a terminal).

Update after an intended change with: pytest tests/test_render.py --snapshot-update
"""

from __future__ import annotations

import datetime

import msgspec
import pytest
from rich.console import Group

from conftest import render_to_text
from sccli.catalog import LibraryCatalog
from sccli.lookup import find_article, find_list
from sccli.models import DISCLAIMER, Fragment, Hit, Library
from sccli.render import (
    ArticleOptions,
    Snippet,
    render_article,
    render_articles,
    render_list,
    render_related,
    render_results,
    render_sections,
)
from sccli.search import search


def _views(library: Library) -> dict:
    alpha = find_article(library)
    beta = find_article(library, "beta")
    related = LibraryCatalog(library).related(alpha)
    section, block = find_list(alpha, "risks")
    today = datetime.date(2026, 11, 24)
    full = ArticleOptions(glossary=library.glossary, today=today)
    return {
        "article": render_article(alpha, related, options=full),
        "article_explained": render_article(
            alpha, related, options=ArticleOptions(glossary=library.glossary, explain=True, today=today)
        ),
        "article_no_notes": render_article(alpha, options=ArticleOptions(notes=False, today=today)),
        "article_section": render_article(alpha, section=alpha.sections[0], options=full),
        "list": render_list(alpha, section, block),
        "articles": render_articles(library.articles),
        "sections": render_sections(alpha),
        "related": render_related(alpha, related),
        "related_none": render_related(beta, []),
        "results": render_results("nerve pain", search(library, "nerve pain")),
    }


VIEWS = [
    "article",
    "article_explained",
    "article_no_notes",
    "article_section",
    "list",
    "articles",
    "sections",
    "related",
    "related_none",
    "results",
]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("styled", [False, True], ids=["plain", "styled"])
def test_view_snapshot(fixture_library: Library, snapshot, view: str, styled: bool) -> None:
    assert render_to_text(_views(fixture_library)[view], styled=styled) == snapshot


@pytest.mark.parametrize("view", ["article", "list", "article_section"])
def test_article_views_end_with_the_disclaimer(fixture_library: Library, view: str) -> None:
    text = render_to_text(_views(fixture_library)[view], width=200)
    assert text.rstrip().endswith(DISCLAIMER)


def test_plain_output_has_no_escape_codes(fixture_library: Library) -> None:
    for view in _views(fixture_library).values():
        assert "\x1b" not in render_to_text(view)


def test_snippet_marks_matches_in_plain_text_and_styles_them_on_a_terminal() -> None:
    snippet = Snippet([Fragment("about "), Fragment("pain", True), Fragment(" relief")])
    assert render_to_text(snippet) == "about **pain** relief\n"
    styled = render_to_text(snippet, styled=True)
    assert "**" not in styled and "\x1b[1;7mpain\x1b[0m" in styled


def test_data_text_is_never_read_as_markup(fixture_library: Library) -> None:
    hit = Hit(
        article_id="a",
        article_title="[bold]x[/bold] :thumbs_up:",
        section_id="s",
        heading="[red]h",
        snippet=(Fragment("[link=http://x]y[/link]"),),
        score=1.0,
    )
    text = render_to_text(render_results("q", [hit]))
    assert "[bold]x[/bold] :thumbs_up:" in text and "[red]h" in text and "[link=http://x]y[/link]" in text


@pytest.mark.parametrize("width", [20, 40, 120])
def test_every_word_survives_narrow_and_wide_terminals(fixture_library: Library, width: int) -> None:
    alpha = find_article(fixture_library)
    text = " ".join(render_to_text(render_article(alpha), width=width).split())
    for section in alpha.sections:
        assert section.heading in text
    assert "An infection can happen after surgery." in text


def test_a_long_id_on_a_narrow_terminal_goes_on_a_line_of_its_own(fixture_library) -> None:
    from sccli.reading import grade
    from sccli.render import article_rows

    article = fixture_library.articles[0]
    long_id = "a-long-article-id-that-is-quite-wide"
    rows = list(article_rows([msgspec.structs.replace(article, id=long_id), article], len(long_id)))
    text = render_to_text(Group(*rows), width=50)
    lines = text.splitlines()
    assert lines[0] == long_id and lines[1].startswith("    " + article.title[:10])
    assert any(line.startswith(article.id) and article.title[:5] in line for line in lines[2:])  # short ids align
    assert grade(10, 10, 10) == 0.0  # Flesch-Kincaid below zero is shown as 0
