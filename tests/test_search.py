"""The search engine behind ``sccli search``: pure, deterministic look-ups."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sccli.models import Fragment, Library
from sccli.search import build_index, make_snippet, query_terms, search


def _places(hits) -> list[tuple[str, str]]:
    return [(hit.article_id, hit.section_id) for hit in hits]


def test_query_terms_drop_stopwords_and_case() -> None:
    assert query_terms("What is NERVE pain?") == ["nerve", "pain"]
    assert query_terms("what is") == ["what", "is"]  # nothing but stopwords: keep them
    assert query_terms("  ") == []


def test_best_section_first(fixture_library: Library) -> None:
    hits = search(fixture_library, "nerve pain")
    assert _places(hits)[0] == ("alpha-article", "overview")


def test_prefix_matches_word_forms(fixture_library: Library) -> None:
    assert ("beta-article", "daily-life") in _places(search(fixture_library, "neuropath"))


def test_heading_and_label_weigh_more_than_body(fixture_library: Library) -> None:
    hits = search(fixture_library, "infection")
    assert _places(hits) == [("alpha-article", "risks")]
    assert hits[0].score > 0


def test_limit_and_article_filter(fixture_library: Library) -> None:
    assert len(search(fixture_library, "pain", limit=1)) == 1
    assert {hit.article_id for hit in search(fixture_library, "battery", article="beta-article")} == {"beta-article"}


def test_no_match_and_empty_query(fixture_library: Library) -> None:
    assert search(fixture_library, "zebra") == []
    assert search(fixture_library, "!!!") == []


def test_ties_keep_reading_order(fixture_library: Library) -> None:
    index = build_index(fixture_library)
    assert index.search("a") == index.search("a")


def test_snippet_marks_matches_and_cuts_long_text() -> None:
    words = " ".join(f"w{i}" for i in range(100)) + " target " + " ".join(f"x{i}" for i in range(100))
    snippet = make_snippet(words, ["target"], words=10)
    assert snippet[0] == Fragment("… ")
    assert snippet[-1] == Fragment(" …")
    assert Fragment("target", True) in snippet
    assert sum(len(f.text.split()) for f in snippet if f.text.strip("… ")) == 10


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_query_returns_hits_or_nothing(fixture_library: Library, query: str) -> None:
    hits = search(fixture_library, query, limit=5)
    assert len(hits) <= 5
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
