"""Finding articles and sections by the names people type."""

from __future__ import annotations

import re

import msgspec
import pytest

from sccli.errors import NotFound
from sccli.lookup import find_article, find_list, find_section
from sccli.models import Library


@pytest.mark.parametrize(
    "name",
    ["alpha-article", "alpha", "ALPHA", "Alpha: a test article", "alpha: A TEST ARTICLE", "  alpha-article "],
)
def test_article_by_id_prefix_title_or_alias(fixture_library: Library, name: str) -> None:
    assert find_article(fixture_library, name).id == "alpha-article"


def test_no_name_means_the_first_article(fixture_library: Library) -> None:
    assert find_article(fixture_library).id == "alpha-article"


def test_unknown_article_suggests_close_ids(fixture_library: Library) -> None:
    with pytest.raises(NotFound) as error:
        find_article(fixture_library, "alpah-article")
    assert str(error.value) == "No article called 'alpah-article'. Did you mean: alpha-article?"


def test_ambiguous_prefix_names_the_candidates(fixture_library: Library) -> None:
    article = find_article(fixture_library)
    twin = msgspec.structs.replace(article, id="alpha-twin", title="Twin", aliases=[])
    library = msgspec.structs.replace(fixture_library, articles=[article, twin])
    with pytest.raises(NotFound) as error:
        find_article(library, "alpha-")
    assert str(error.value) == "'alpha-' could be more than one article: alpha-article, alpha-twin."


def test_unknown_section_names_the_article(fixture_library: Library) -> None:
    with pytest.raises(NotFound) as error:
        find_section(find_article(fixture_library), "riks")
    assert str(error.value) == "No section in 'alpha-article' called 'riks'. Did you mean: risks?"


def test_section_by_id_prefix_or_heading(fixture_library: Library) -> None:
    article = find_article(fixture_library)
    assert find_section(article, "risks").id == "risks"
    assert find_section(article, "ben").id == "benefits"
    assert find_section(article, "good things").id == "benefits"


def test_find_list_and_missing_list(fixture_library: Library) -> None:
    section, block = find_list(find_article(fixture_library), "risks")
    assert section.heading == "Risks" and len(block.items) == 2
    with pytest.raises(NotFound, match=re.escape("The article 'beta-article' has no list of risks.")):
        find_list(find_article(fixture_library, "beta"), "risks")
