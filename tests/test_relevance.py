"""Realistic queries against the packaged library find the right section first.

These pin the behaviour a worried reader depends on: if an article is
rewritten, update the expected places here with it.
"""

from __future__ import annotations

import pytest

from sccli.data import load_library
from sccli.search import memory_index
from sccli.search.store import fts5_available

pytestmark = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")


@pytest.fixture(scope="module")
def index():
    return memory_index(load_library())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("infection", {("risks-and-complications", "infection")}),
        ("lead migration", {("risks-and-complications", "hardware"), ("living-with-a-stimulator", "problems")}),
        ("lead moved", {("living-with-a-stimulator", "problems"), ("risks-and-complications", "hardware")}),
        ("MRI", {("living-with-a-stimulator", "mri")}),
        ("can I have an MRI scan?", {("living-with-a-stimulator", "mri")}),
        ("magnetic resonance imaging", {("living-with-a-stimulator", "mri")}),
        ("charging", {("living-with-a-stimulator", "charging")}),
        ("airport security", {("living-with-a-stimulator", "travel")}),
        ("driving", {("living-with-a-stimulator", "driving")}),
        (
            "how long does the battery last",
            {("scs-trial-and-implant", "batteries"), ("questions-for-your-doctor", "about-the-device")},
        ),
        ("trial stimulation", {("scs-trial-and-implant", "the-trial")}),
        ("paddle lead laminectomy", {("scs-trial-and-implant", "the-implant")}),
        ("removal", {("risks-and-complications", "removal"), ("scs-trial-and-implant", "removal")}),
        ("opioids", {("painful-diabetic-neuropathy", "first-treatments")}),
        # A medicine's name: where it is offered, or its side effects (both answer it).
        ("duloxetine", {("painful-diabetic-neuropathy", "first-treatments"), ("painful-diabetic-neuropathy", "risks")}),
        ("capsaicin patch", {("painful-diabetic-neuropathy", "first-treatments")}),
        ("SENZA-PDN trial results", {("painful-diabetic-neuropathy", "evidence")}),
        ("endorphins", {("scs-for-neuropathy", "how-it-works")}),
        ("mechanism of action", {("scs-for-neuropathy", "how-it-works")}),
        (
            "risks",
            {
                ("scs-for-neuropathy", "risks"),
                ("risks-and-complications", "how-common"),
                ("questions-for-your-doctor", "about-risks"),
            },
        ),
        ("benefits", {("scs-for-neuropathy", "benefits")}),
        ("nerve pain", {("painful-diabetic-neuropathy", "what-it-is")}),
        ("diabetic nerve pain", {("painful-diabetic-neuropathy", "what-it-is")}),
        ("what is diabetic neuropathy", {("painful-diabetic-neuropathy", "what-it-is")}),
        ("burst", {("kinds-of-stimulation", "burst")}),
        ("closed loop", {("kinds-of-stimulation", "closed-loop")}),
        ("dorsal root ganglion", {("kinds-of-stimulation", "drg")}),
        ("questions to ask my doctor", {("questions-for-your-doctor", "before")}),
    ],
)
def test_top_hit(index, query: str, expected: set[tuple[str, str]]) -> None:
    hits = index.search(query, limit=3)
    assert hits, query
    assert (hits[0].article_id, hits[0].section_id) in expected, [
        (hit.article_id, hit.section_id, hit.score) for hit in hits
    ]


def _sections(index, query: str, *, raw: bool = False) -> set[tuple[str, str]]:
    return {(hit.article_id, hit.section_id) for hit in index.search(query, limit=100, raw=raw)}


@pytest.mark.parametrize(
    ("query", "other"),
    [
        ("neuropathy", "neuropathic"),
        ("neuropathic", "neuropathy"),
        ("neuropathies", "neuropathy"),
        ("stimulator", "stimulation"),
        ("infections", "infected"),
    ],
)
def test_word_forms_meet(index, query: str, other: str) -> None:
    """Every section that has the other form (searched raw: no synonyms, no prefix) the query finds."""
    assert _sections(index, f'"{other}"', raw=True) <= _sections(index, query)


@pytest.mark.parametrize(
    ("query", "synonym"),
    [
        ("SCS", "spinal cord stimulation"),
        ("nerve pain", "neuropathic pain"),
        ("pins and needles", "tingling"),
        ("DPN", "diabetic peripheral neuropathy"),
        ("pulse generator", "IPG"),
    ],
)
def test_synonyms_from_the_data_widen_the_query(index, query: str, synonym: str) -> None:
    """A query finds what its synonym, as a phrase, finds."""
    found = _sections(index, f'"{synonym}"')
    assert found, synonym
    assert found <= _sections(index, query)


def test_misspelling_gets_a_suggestion(index) -> None:
    assert index.search("nueropathy") == []
    assert index.suggest("nueropathy")[0] == "neuropathy"
    assert index.suggest("infektion")[0] == "infection"


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("tingly", ["tingling"]),  # another form of the word: its stem begins the other
        ("paralysed", ["paralysis"]),  # the UK spelling, in an editorial note
        ("scared", []),  # not "scores" or "scale": a real word the library lacks
        ("wanted", []),  # not "what", "went" or "warning"
    ],
)
def test_did_you_mean_offers_only_slips_and_other_forms_of_the_word(index, typed: str, offered: list[str]) -> None:
    """A worried reader who types "scared" is not asked whether they meant "scores"."""
    assert index.suggest(typed) == offered


def test_variant_takes_slips_and_forms_and_leaves_words_only_spelt_alike(index) -> None:
    from sccli.search.query import variant

    assert variant("presure", "pressure") and variant("nueropathy", "neuropathy")
    assert variant("wheezy", "wheezing", index.stem) and variant("crusty", "crust", index.stem)
    assert not variant("wheezy", "wheezing")  # without a stemmer, only slips of the keys
    for typed, known in [("since", "skin"), ("company", "compared"), ("mum", "mumps"), ("dad", "dead")]:
        assert not variant(typed, known, index.stem), (typed, known)


def test_the_check_questions_judge_sections_that_exist() -> None:
    """bench/check/ judges lay questions by packaged section ids: when an article is
    rewritten and a section renamed, the check set must follow (see bench/check/README.md)."""
    import csv
    from pathlib import Path

    check = Path(__file__).resolve().parent.parent / "bench" / "check" / "lay-check-packaged.tsv"
    if not check.is_file():
        pytest.skip("bench/check/ is not beside the tests (an installed copy)")
    library = load_library()
    places = {article.id for article in library.articles}
    places |= {f"{article.id}:{section.id}" for article in library.articles for section in article.sections}
    with check.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    assert len(rows) >= 20
    for row in rows:
        for place in row["accept"].split(","):
            assert place in places, (row["query"], place)
