"""The search engine behind ``sccli search``: FTS5 in memory, its query rewriting, and the scan fallback."""

from __future__ import annotations

import json

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sccli.cli import app
from sccli.errors import QuerySyntaxError
from sccli.models import Fragment, Library
from sccli.search import memory_index
from sccli.search.query import MAX_RUN, Thesaurus, expand, fts_expression, parse_query, run_keys
from sccli.search.scan import ScanIndex, make_snippet
from sccli.search.store import fts5_available

pytestmark = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")

SPECIAL = [
    '"',
    "'",
    "*",
    "-",
    ":",
    "^",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "\\",
    "{",
    "}",
    "+",
    ",",
    ".",
    "[",
    "]",
    "%",
    "_",
]


def _places(hits) -> list[tuple[str, str]]:
    return [(hit.article_id, hit.section_id) for hit in hits]


@pytest.fixture(scope="module")
def index(fixture_library: Library):
    return memory_index(fixture_library)


def test_parse_query_reads_words_and_phrases() -> None:
    assert parse_query('What is "nerve pain" in SCS?') == ["nerve pain", "scs"]
    assert parse_query("what is") == ["what", "is"]  # nothing but stopwords: keep them
    assert parse_query("NOT (pain* AND -x:y^2)") == ["pain", "x", "y", "2"]
    assert parse_query('an "unclosed phrase') == ["unclosed", "phrase"]
    assert parse_query("  ") == []


def test_synonyms_widen_the_query() -> None:
    groups = [["SCS", "spinal cord stimulation"], ["nerve pain", "neuropathic pain"], ["tingling", "pins and needles"]]
    assert expand(["scs", "trial"], Thesaurus(groups)) == [["scs", "spinal cord stimulation"], ["trial"]]
    assert expand(["nerve", "pain"], Thesaurus(groups)) == [["nerve pain", "neuropathic pain", ("nerve", "pain")]]
    assert expand(["pins", "needles"], Thesaurus(groups)) == [
        ["pins needles", "tingling", "pins and needles", ("pins", "needles")]
    ]


def test_an_articles_aliases_widen_the_query(fixture_library: Library, tmp_path, runner) -> None:
    """An article's aliases name one thing: searching for one finds text that uses another,
    in memory and from a cache file."""
    alpha, *others = fixture_library.articles
    widened = msgspec.structs.replace(
        fixture_library, articles=[msgspec.structs.replace(alpha, aliases=["Power cell", "battery"]), *others]
    )
    assert ("beta-article", "daily-life") not in _places(memory_index(fixture_library).search("power cell"))
    assert ("beta-article", "daily-life") in _places(memory_index(widened).search("power cell"))

    data = tmp_path / "aliases.json"
    data.write_bytes(msgspec.json.encode(widened))
    result = runner.invoke(app, ["--data", str(data), "search", "power cell", "--json"])
    assert result.exit_code == 0, result.output
    found = [(hit["article"]["id"], hit["section"]["id"]) for hit in json.loads(result.stdout)["results"]]
    assert ("beta-article", "daily-life") in found


def test_a_pasted_page_is_compared_with_synonyms_in_short_runs_only() -> None:
    terms = parse_query(" ".join(f"word{n}" for n in range(2000)))
    assert len(run_keys(terms)) <= len(terms) * MAX_RUN
    groups = [["word1990 word1991", "found it"]]
    assert expand(terms, Thesaurus(groups))[1990] == ["word1990 word1991", "found it", ("word1990", "word1991")]


def test_fts_expression_quotes_everything_and_stems_single_words() -> None:
    stems = {
        "neuropathy": "neuropathi",
        "neuropath": "neuropath",
        "paralysis": "paralysi",
        "paralys": "paraly",
        "paralysi": "paralysi",
        "pain": "pain",
        "nerve": "nerv",
        "damage": "damag",
        "x": "x",
    }
    expression = fts_expression([["neuropathy"], ["nerve damage", ("x", "paralysis")], ["pain"]], stems.get)
    # A stem less its last letter only when that is a stem too (FTS5 stems a prefix again);
    # stems shorter than MIN_PREFIX are searched whole.
    assert expression == '"neuropath"* OR "nerve damage" OR ("x" AND "paralysi"*) OR "pain"'


@pytest.mark.parametrize(
    ("alternatives", "expected"),
    [
        # A phrase with a word that another alternative finds adds no row.
        (["symptoms", "signs and symptoms"], '"symptom"*'),
        (["signs and symptoms", "symptoms"], '"symptom"*'),
        # A longer prefix is found by a shorter one; the same word twice is searched once.
        (["treatment", "treat", "treated", "therapy"], '"treat"* OR "therap"*'),
        # A group of words is found by what finds any of its words.
        (["pain", ("x", "pain")], '"pain"'),
        # Nothing else is left out: each of these finds rows the other does not.
        (["pain", "painkiller"], '"pain" OR "painkil"*'),
        (["nerve pain", "neuropathy"], '"nerve pain" OR "neuropath"*'),
        # FTS5 stems a prefix again: "paralys"* would be looked for as "parali"*, which finds
        # neither "paralyse" nor "paralysis", so "paralyse" is searched by its stem.
        (["paralyse", "paralysis"], '"paralyse" OR "paralysi"*'),
    ],
)
def test_fts_expression_leaves_out_what_another_alternative_finds(index, alternatives: list, expected: str) -> None:
    assert fts_expression([alternatives], index.stem) == expected


def test_best_section_first(index) -> None:
    assert _places(index.search("nerve pain"))[0] == ("alpha-article", "overview")


@pytest.mark.parametrize("query", ["neuropathy", "neuropathic", "neuropathies", "NEUROPATHY"])
def test_word_forms_meet(index, query: str) -> None:
    assert ("beta-article", "daily-life") in _places(index.search(query))


def test_a_list_item_is_reported_with_its_section(index) -> None:
    (hit,) = index.search("infection")
    assert (hit.section_id, hit.item, hit.label) == ("risks", 1, "Infection")
    assert hit.heading == "Risks" and hit.article_title == "Alpha: a test article"
    assert Fragment("infection", True) in hit.snippet


def test_headings_weigh_more_than_body_text(index) -> None:
    hits = index.search("risks")
    assert _places(hits)[0] == ("alpha-article", "risks")


def test_every_concept_first_then_some(index) -> None:
    hits = index.search("battery charging")
    assert _places(hits)[0] == ("beta-article", "daily-life")  # has both
    assert ("alpha-article", "overview") in _places(hits)  # has "batteries" only


def test_quoted_phrase_searches_the_phrase(index) -> None:
    assert _places(index.search('"lead movement"')) == [("alpha-article", "risks")]
    assert index.search('"pain nerve"') == []


def test_limit_and_article_filter(index) -> None:
    assert len(index.search("pain", limit=1)) == 1
    assert {hit.article_id for hit in index.search("battery", article="beta-article")} == {"beta-article"}


def test_one_hit_per_section(index) -> None:
    places = _places(index.search("pain tingling infection lead relief"))
    assert len(places) == len(set(places))


def test_ties_keep_reading_order_and_results_are_stable(index) -> None:
    assert index.search("a test") == index.search("a test")


@pytest.mark.parametrize("character", SPECIAL)
def test_special_characters_are_plain_text(index, character: str) -> None:
    for query in (character, f"pain {character}", f"{character}pain{character}", f"pain {character} tingling"):
        index.search(query)  # never an FTS5 syntax error
    assert index.search(f"pain {character}")


def test_raw_passes_fts5_syntax_through(index) -> None:
    assert _places(index.search("infect* NOT lead", raw=True)) == [("alpha-article", "risks")]
    with pytest.raises(QuerySyntaxError, match=r"'AND \(' is not a valid search expression"):
        index.search("AND (", raw=True)


def test_suggestions_come_from_the_index(index) -> None:
    assert index.search("nueropathic") == []
    assert index.suggest("nueropathic") == ["neuropathic"]
    assert index.suggest("tingeling") == ["tingling"]
    assert index.suggest("zzzzzz") == []
    assert index.suggest("battery tingeling") == ["tingling"]  # words the index has need no suggestion
    assert index.suggest("charging") == []  # not "changing", which the index also has


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_query_returns_hits_or_nothing(index, query: str) -> None:
    hits = index.search(query, limit=5)
    assert len(hits) <= 5
    assert len(set(_places(hits))) == len(hits)
    index.suggest(query)


def test_the_scan_fallback_finds_the_same_kind_of_hits(fixture_library: Library) -> None:
    scan = ScanIndex(fixture_library)
    assert scan.engine == "scan"
    assert _places(scan.search("nerve pain"))[0] == ("alpha-article", "overview")
    assert scan.suggest("tingeling") == ["tingling"]
    with pytest.raises(QuerySyntaxError, match="--raw needs SQLite's FTS5"):
        scan.search("x", raw=True)


def test_scan_snippet_marks_matches_and_cuts_long_text() -> None:
    words = " ".join(f"w{i}" for i in range(100)) + " target " + " ".join(f"x{i}" for i in range(100))
    snippet = make_snippet(words, ["target"], words=10)
    assert snippet[0] == Fragment("… ") and snippet[-1] == Fragment(" …")
    assert Fragment("target", True) in snippet


@pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")
def test_one_article_shows_three_sections_before_the_next_article() -> None:
    def article(article_id: str, title: str, texts: list[str]) -> dict:
        return {
            "id": article_id,
            "title": title,
            "summary": "A summary.",
            "reviewed": "2026-01-01",
            "sources": [{"publisher": "P", "title": "T"}],
            "sections": [
                {"id": f"s{n}", "heading": f"Part {n}", "blocks": [{"type": "paragraph", "text": text}]}
                for n, text in enumerate(texts)
            ],
        }

    document = {
        "schema_version": 1,
        "articles": [
            article("tingling", "Tingling", [f"Tingling, tingling and more tingling, part {n}." for n in range(5)]),
            article("other", "Other things", ["Some tingling in the hands, among many other words here."]),
        ],
    }
    library = msgspec.json.decode(json.dumps(document).encode(), type=Library)
    hits = memory_index(library).search("tingling", limit=10)
    assert [hit.article_id for hit in hits] == ["tingling"] * 3 + ["other"] + ["tingling"] * 2
    within = memory_index(library).search("tingling", limit=10, article="tingling")
    assert len(within) == 5  # inside one article, every section in score order


def test_counting_stops_past_at_most_and_the_view_says_more_than() -> None:
    from conftest import render_to_text
    from sccli.data import load_library
    from sccli.render import render_results

    index = memory_index(load_library())
    every = index.count("stimulation")
    assert every > 3 and index.count("stimulation", at_most=2) == 3
    hits = index.search("stimulation", limit=1)
    shown = render_to_text(render_results("stimulation", hits, 3, at_most=2))
    assert shown.startswith("Showing 1 of more than 2 sections matching 'stimulation'")
    assert render_to_text(render_results("stimulation", hits, 12345)).startswith("Showing 1 of 12,345 sections")


def test_the_examples_in_the_search_modules_docstrings_are_true() -> None:
    """The examples in docstrings are documentation; a stale one misleads (one did, until 2026-12-01)."""
    import doctest

    from sccli.search import query, store

    for module in (query, store):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__
