"""Search puts the answer first: each failure a reader met (issue 11) is a case here.

Two libraries: the packaged one, and a small health-topics library written
for these tests in the shape of MedlinePlus and NIH pages (a topic per
article, sections headed "Symptoms", "Exams and tests"), where a topic whose
title is the query competes with short list items elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sccli.cli import app
from sccli.data import load_library
from sccli.search import Index, memory_index, rank
from sccli.search.query import Thesaurus, expand, misspelling, parse_query, words
from sccli.search.store import fts5_available
from sccli.vocabulary import load_vocabulary, packaged_groups

pytestmark = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")

SOURCE = [{"publisher": "Test", "title": "Made for these tests"}]


def _article(id: str, title: str, sections: list[tuple[str, str, list[Any]]], **extra: Any) -> dict[str, Any]:
    return {
        "id": id,
        "title": title,
        "summary": f"About {title.lower()}.",
        "reviewed": "2026-11-30",
        "sources": SOURCE,
        "sections": [
            {
                "id": section_id,
                "heading": heading,
                "blocks": [
                    {"type": "list", "items": [{"text": text} for text in block]}
                    if isinstance(block, list)
                    else {"type": "paragraph", "text": block}
                    for block in blocks
                ],
            }
            for section_id, heading, blocks in sections
        ],
        **extra,
    }


def _index_of(tmp_path: Path, library: list[dict[str, Any]]) -> Index:
    """The search index of ``library`` (articles as :func:`_article` makes them), from a data file."""
    path = tmp_path / "library.json"
    path.write_text(json.dumps({"schema_version": 1, "articles": library}), encoding="utf-8")
    return memory_index(load_library(path))


TOPICS = [
    _article(
        "endocarditis",
        "Endocarditis",
        [
            ("summary", "Summary", ["Endocarditis is an infection of the inner lining of the heart."]),
            ("risk", "Who is at risk", [["People with a pacemaker.", "People with a damaged heart valve."]]),
        ],
    ),
    _article(
        "heart-failure",
        "Heart Failure",
        [
            ("summary", "Summary", ["Heart failure means the heart cannot pump enough blood."]),
            ("treatment", "Treatment", [["Medicines.", "A pacemaker.", "Water pills, called diuretics."]]),
        ],
    ),
    _article(
        "pacemakers",
        "Pacemakers and Implantable Defibrillators",
        [
            (
                "summary",
                "Summary",
                [
                    (
                        "A pacemaker is a small device placed in the chest to help control the heartbeat. "
                        "An implantable cardioverter defibrillator watches the heart rhythm and gives a shock when "
                        "it is dangerous. Doctors place both devices during minor surgery, and you may go home the "
                        "same day or the next one."
                    )
                ],
            )
        ],
    ),
    _article(
        "heart-attack",
        "Heart Attack",
        [
            ("summary", "Summary", ["A heart attack happens when blood flow to part of the heart stops."]),
            (
                "symptoms",
                "Symptoms",
                [
                    (
                        "Warning signs include chest pain or pressure, pain in the arms, back, neck or jaw, "
                        "shortness of breath and a cold sweat. Call 911 at once."
                    )
                ],
            ),
        ],
    ),
    _article(
        "high-blood-pressure",
        "How to Prevent High Blood Pressure",
        [
            (
                "steps",
                "Steps",
                [["Eat less salt.", "Be active.", "Know the warning signs of a heart attack and stroke."]],
            )
        ],
    ),
    _article(
        "tinnitus",
        "Tinnitus",
        [("summary", "Summary", ["Tinnitus is a sound in one or both ears that only you can hear."])],
    ),
    _article(
        "celiac-disease",
        "Celiac Disease",
        [
            ("overview", "Overview", ["Celiac disease is an immune reaction to eating gluten."]),
            ("exams-and-tests", "Exams and tests", ["Blood tests and a biopsy of the small intestine can show it."]),
            ("treatment", "Treatment", ["A gluten-free diet for life."]),
        ],
    ),
    _article(
        "alzheimers-disease",
        "Alzheimer's Disease",
        [("summary", "Summary", ["Alzheimer's disease is the most common form of dementia in older adults."])],
    ),
    _article(
        "paralysis",
        "Paralysis",
        [("summary", "Summary", ["Paralysis is the loss of muscle function in part of the body."])],
    ),
]


@pytest.fixture(scope="module")
def topics(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("topics") / "topics.json"
    path.write_text(json.dumps({"schema_version": 1, "articles": TOPICS}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def topic_index(topics: Path) -> Index:
    return memory_index(load_library(topics))


@pytest.fixture(scope="module")
def packaged() -> Index:
    return memory_index(load_library())


def _first(index: Index, query: str) -> tuple[str, str]:
    hits = index.search(query, limit=5)
    assert hits, query
    return hits[0].article_id, hits[0].section_id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A topic whose title is the query beats short list items that mention it elsewhere.
        ("pacemaker", ("pacemakers", "summary")),
        ("heart attack warning signs", ("heart-attack", "symptoms")),
        # Everyday words and medical ones, and the words people ask with against the words pages head sections with.
        ("ringing in my ears", ("tinnitus", "summary")),
        ("water pill", ("heart-failure", "treatment")),
        ("how is celiac disease diagnosed", ("celiac-disease", "exams-and-tests")),
        ("what is celiac disease", ("celiac-disease", "overview")),
        ("can it paralyze me", ("paralysis", "summary")),
    ],
)
def test_topic_library_answer_first(topic_index: Index, query: str, expected: tuple[str, str]) -> None:
    assert _first(topic_index, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("airport", ("living-with-a-stimulator", "travel")),  # the text has the word; another section only the tag
        ("pins and needles", ("kinds-of-stimulation", "standard")),  # "paresthesia", "tingling"
        ("anesthesia", ("scs-trial-and-implant", "the-implant")),  # "anaesthetic"
        ("Lyrica", ("painful-diabetic-neuropathy", "risks")),  # pregabalin, by name in the side effects list
        ("HF10", ("kinds-of-stimulation", "high-frequency")),  # 10 kHz
        ("10khz", ("kinds-of-stimulation", "high-frequency")),  # "10 kHz", spaced in the text
        ("can it paralyze me", ("scs-for-neuropathy", "risks")),  # "paralysis", in an editorial note
    ],
)
def test_packaged_answer_first(packaged: Index, query: str, expected: tuple[str, str]) -> None:
    assert _first(packaged, query) == expected


def test_a_section_with_the_word_beats_one_with_only_the_tag(packaged: Index) -> None:
    hits = packaged.search("airport", limit=5)
    assert (hits[0].article_id, hits[0].section_id) == ("living-with-a-stimulator", "travel")
    assert any(fragment.match and fragment.text.lower() == "airport" for fragment in hits[0].snippet)


@pytest.mark.parametrize("query", ["paralysis", "naloxone"])
def test_editorial_notes_are_searched_and_say_so(packaged: Index, query: str) -> None:
    hit = packaged.search(query, limit=1)[0]
    assert hit.note
    assert any(fragment.match and fragment.text.lower() == query for fragment in hit.snippet)


def test_a_hit_in_a_note_says_so_on_screen(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "naloxone"])
    assert result.exit_code == 0, result.output
    assert "In an editorial note:" in result.stdout
    assert json.loads(runner.invoke(app, ["search", "naloxone", "--json"]).stdout)["results"][0]["note"] is True


def test_contractions_and_question_words_never_match_on_their_own(packaged: Index) -> None:
    assert words("What's this? Don't! Can't, won't") == ["what", "this", "do", "can", "will"]
    assert parse_query("what's the risk?") == ["risk"]
    assert parse_query("cant sleep and dont know why") == ["sleep", "know"]  # typed without apostrophes
    for hit in packaged.search("what's the risk?", limit=10):
        assert all(fragment.text.strip().lower() not in {"s", "what"} for fragment in hit.snippet if fragment.match)


def test_dont_is_not_misspelt(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "don't", "--json"])
    assert "down" not in result.stdout
    assert "Note:" not in result.stderr


@pytest.mark.parametrize("query", ["does the trial hurt", "HF10", "airport", "what's the risk?", "driving", "burst"])
def test_every_hit_has_a_snippet(packaged: Index, query: str) -> None:
    hits = packaged.search(query, limit=10)
    assert hits
    for hit in hits:
        assert "".join(fragment.text for fragment in hit.snippet).strip(), (hit.article_id, hit.section_id)


@pytest.mark.parametrize(
    ("query", "meant"),
    [("nueropathy", "neuropathy"), ("parestesia", "paresthesia"), ("neuropaty pain", "neuropathy pain")],
)
def test_a_misspelt_word_is_searched_as_the_closest_word(runner: CliRunner, query: str, meant: str) -> None:
    result = runner.invoke(app, ["search", query])
    assert result.exit_code == 0, result.output
    wrong = query.split()[0]  # only the misspelt word found nothing: "pain" did
    assert result.stderr.strip() == f"Note: No match for '{wrong}'; showing results for '{meant}'."
    assert f"matching '{meant}'" in result.stdout.splitlines()[0]
    document = json.loads(runner.invoke(app, ["search", query, "--json"]).stdout)
    assert document["corrected"] == meant
    assert document["results"]


def test_a_misspelt_word_in_another_library(runner: CliRunner, topics: Path) -> None:
    result = runner.invoke(app, ["--data", str(topics), "search", "alzheimers"])
    assert result.exit_code == 0, result.output
    assert "alzheimers-disease" in result.stdout
    result = runner.invoke(app, ["--data", str(topics), "search", "diabetis"])
    assert result.exit_code == 1  # nothing about diabetes here, and nothing spelt like it


@pytest.mark.parametrize(
    "query", ["what if the trial fails", "first line drugs for nerve pain", "headache since the leads went in"]
)
def test_a_real_word_the_library_lacks_is_not_corrected_into_another(runner: CliRunner, query: str) -> None:
    """ "fails" is not "family", "line" not "living", "since" not "skin": a word is
    replaced only when it is a slip of one or two keys from a longer word."""
    result = runner.invoke(app, ["search", query, "--json"])
    assert "showing results" not in result.stderr
    assert json.loads(result.stdout)["corrected"] is None


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        ("nueropathy", "neuropathy", True),  # two letters swapped
        ("presure", "pressure", True),  # one dropped
        ("coeliac", "celiac", True),  # the UK spelling, one extra
        ("parestesia", "paresthesia", True),
        ("diabetis", "diabetes", True),
        ("fails", "family", False),
        ("since", "skin", False),
        ("dad", "dead", False),  # too short to be sure
        ("mum", "mumps", False),
        ("company", "compared", False),
        ("wrist", "waist", False),  # five letters: a changed letter makes another word
        ("tiral", "trial", True),  # ... but two swapped letters are a slip
        ("shoulder", "should", False),  # never into a word that says little
        ("known", "know", False),
    ],
)
def test_what_counts_as_a_misspelling(typed: str, known: str, expected: bool) -> None:
    assert misspelling(typed, known) is expected


def test_a_misspelling_is_compared_with_the_word_the_library_has_in_any_form(tmp_path: Path) -> None:
    """The library says "allergy"; "alergies" is one letter from its plural."""
    library = [_article("allergy", "Allergy", [("summary", "Summary", ["An allergy is a reaction to a thing."])])]
    assert _index_of(tmp_path, library).correct("alergies") == "allergy"


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("nueropathy presure?", "No match for 'nueropathy', 'presure'; showing results for 'neuropathy pressure?'."),
        ("nueropathy's pain", "No match for 'nueropathy'; showing results for 'neuropathy's pain'."),
    ],
)
def test_the_note_names_each_word_that_found_nothing(runner: CliRunner, query: str, note: str) -> None:
    result = runner.invoke(app, ["search", query])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"Note: {note}"


def test_a_phrase_of_the_vocabulary_with_also_still_applies(packaged: Index) -> None:
    """ "also" is not a stopword: "also known as" is a phrase of the vocabulary."""
    terms = parse_query("SCS also known as")
    assert any("other names" in concept for concept in expand(terms, *packaged.thesauri(terms)))  # type: ignore[attr-defined]


def test_hits_that_match_nothing_are_not_listed(packaged: Index) -> None:
    """FTS5's stemmer finds "on" for "one"; ranking reads the text and knows better."""
    hits = packaged.search("one", limit=100)
    assert hits
    assert all(hit.score > 0 for hit in hits)


def test_exact_turns_spelling_correction_off(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "nueropathy", "--exact"])
    assert result.exit_code == 1
    assert "Did you mean: neuropathy" in result.stderr
    assert "showing results" not in result.stderr


def test_words_that_match_nothing_are_not_corrected_into_synonyms(packaged: Index) -> None:
    assert packaged.correct("pins and needles") is None
    assert packaged.correct("neuropathy") is None


def test_a_stem_that_is_not_its_own_prefix_still_finds_its_word(topic_index: Index) -> None:
    """FTS5 stems a prefix query again: "paralys"* found nothing, so "paralysis" found nothing."""
    assert _first(topic_index, "paralysis") == ("paralysis", "summary")


def test_synonyms_count_less_than_the_words_typed(topic_index: Index) -> None:
    stem = topic_index.stem  # type: ignore[attr-defined]
    matcher = rank.Matcher([rank.Concept(["water pill", "diuretic"], 1.0)], stem)
    assert matcher.counts("a water pill") == [1.0]
    assert matcher.counts("a diuretic") == [rank.SYNONYM]
    assert 0 < rank.SYNONYM < 1


@pytest.mark.parametrize(
    ("word", "forms", "others"),
    [
        ("one", ["one", "ones"], ["on", "depending on it"]),  # the stemmer makes "one" "on"
        ("care", ["care", "cares", "cared", "caring"], ["car", "cars"]),
        ("use", ["use", "used", "using"], ["us"]),
        ("hurt", ["hurt", "hurts", "hurting"], ["hut"]),
        ("drive", ["drive", "drives", "driver", "driving"], ["dry", "drove"]),  # "driving" drops the "e"
        ("used", ["use", "used", "using"], ["us", "in the US"]),  # the stemmer makes "used" "us"
        ("ones", ["one", "ones"], ["on", "on it"]),
        ("doing", ["does", "doing"], ["do", "to do"]),
        # ... and every form the index's stemmer joins, so that what is listed is what is counted
        ("pain", ["pains", "painful", "painfully"], ["painkillers"]),
        ("stop", ["stops", "stopped", "stopping"], ["stoop"]),
        ("feel", ["feelings"], ["fee"]),
        ("care", ["careful"], ["cart"]),
    ],
)
def test_a_short_word_matches_its_forms_and_not_a_shorter_word(
    topic_index: Index, word: str, forms: list[str], others: list[str]
) -> None:
    matcher = rank.Matcher([rank.Concept([word], 1.0)], topic_index.stem)  # type: ignore[attr-defined]
    assert [matcher.counts(form) for form in forms] == [[1.0]] * len(forms)
    assert [matcher.counts(other) for other in others] == [[0.0]] * len(others)


def test_a_common_word_is_not_read_as_an_abbreviation(tmp_path: Path) -> None:
    """ "tired all the time": "all" is also the short name of a leukemia, which a reader did not mean."""
    library = [
        _article(
            "leukemia",
            "Acute Lymphocytic Leukemia",
            [("summary", "Summary", ["ALL is a cancer of the blood. It can make you feel tired."])],
            aliases=["ALL"],
        ),
        _article(
            "fatigue",
            "Fatigue",
            [("summary", "Summary", ["Feeling tired all the time, even after a good night's sleep."])],
        ),
    ]
    assert parse_query("tired all the time") == ["tired", "time"]
    assert _first(_index_of(tmp_path, library), "tired all the time") == ("fatigue", "summary")


def test_a_heading_that_repeats_its_title_does_not_outrank_the_topic_named_by_the_query(tmp_path: Path) -> None:
    """MedlinePlus heads every section of "Aplastic Anemia" with its name ("What causes
    aplastic anemia?"), and "anemia" found those before the topic "Anemia"."""
    library = [
        _article(
            "aplastic-anemia",
            "Aplastic Anemia",
            [
                ("what-is", "What is aplastic anemia?", ["Aplastic anemia is a rare blood disorder."]),
                ("causes", "What causes aplastic anemia?", ["Aplastic anemia can be caused by some medicines."]),
                ("symptoms", "What are the symptoms of aplastic anemia?", ["Feeling tired, and pale skin."]),
            ],
        ),
        _article(
            "anemia",
            "Anemia",
            [
                (
                    "summary",
                    "Summary",
                    ["If you have anemia, your blood does not carry enough oxygen. Anemia has many causes."],
                )
            ],
        ),
    ]
    index = _index_of(tmp_path, library)
    assert _first(index, "anemia") == ("anemia", "summary")
    assert _first(index, "aplastic anemia") == ("aplastic-anemia", "what-is")
    assert _first(index, "anemia causes") == ("aplastic-anemia", "causes")  # the heading's own word still counts


def test_a_query_that_is_one_name_finds_the_topic_of_that_name_first(tmp_path: Path) -> None:
    """A reader who types a topic's name expects that topic, before a page that compares
    itself with it ("How is sudden cardiac arrest different from a heart attack?")."""
    library = [
        _article(
            "sudden-cardiac-arrest",
            "Sudden Cardiac Arrest",
            [
                ("what-is", "What is sudden cardiac arrest?", ["The heart suddenly stops beating."]),
                (
                    "heart-attack",
                    "How is sudden cardiac arrest different from a heart attack?",
                    ["A heart attack happens when blood flow to the heart is blocked. A heart attack can lead to it."],
                ),
            ],
        ),
        _article(
            "heart-attack",
            "Heart Attack",
            [
                ("summary", "Summary", ["Each year many people have a heart attack. Call 911 at once."]),
                ("symptoms", "Symptoms", ["Chest pain, and pain in the arms, back or jaw."]),
            ],
        ),
    ]
    index = _index_of(tmp_path, library)
    assert _first(index, "heart attack") == ("heart-attack", "summary")
    assert _first(index, "heart attack sudden cardiac arrest") == ("sudden-cardiac-arrest", "heart-attack")


@pytest.mark.parametrize("query", ["meningitis", "meninges", "syringe"])
def test_a_word_whose_stem_ends_like_a_suffix_is_found(tmp_path: Path, query: str) -> None:
    """Porter makes "meningitis" "mening", and would read a prefix "mening" as "mene": a
    MedlinePlus topic titled "Meningitis" was not found at all."""
    library = [
        _article(
            "meningitis",
            "Meningitis",
            [("summary", "Summary", ["Meningitis is an infection of the meninges. A syringe takes a sample."])],
        ),
        _article("mental", "Mental Health", [("summary", "Summary", ["Men and women can feel low."])]),
    ]
    assert _first(_index_of(tmp_path, library), query) == ("meningitis", "summary")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("covid19", ("covid", "summary")),
        ("type2 diabetes", ("diabetes-type-2", "summary")),
        ("b12 deficiency", ("vitamins", "summary")),  # the text has the word whole: still found so
    ],
)
def test_a_word_of_letters_and_digits_finds_them_spaced_or_hyphenated(
    tmp_path: Path, query: str, expected: tuple[str, str]
) -> None:
    """People type "covid19" and "type2"; pages write "COVID-19" and "type 2"."""
    library = [
        _article("covid", "COVID-19", [("summary", "Summary", ["COVID-19 is an illness caused by a virus."])]),
        _article(
            "diabetes-type-2",
            "Diabetes Type 2",
            [("summary", "Summary", ["Type 2 diabetes is the most common kind of diabetes."])],
        ),
        _article(
            "diabetes-type-1",
            "Diabetes Type 1",
            [("summary", "Summary", ["With type 1 diabetes, the body makes no insulin. Diabetes needs care."])],
        ),
        _article("vitamins", "B Vitamins", [("summary", "Summary", ["A B12 deficiency can cause tiredness."])]),
    ]
    assert expand(parse_query("covid19")) == [["covid19", "covid 19"]]
    assert _first(_index_of(tmp_path, library), query) == expected


def test_weak_words_do_not_outvote_the_word_a_question_is_about(tmp_path: Path) -> None:
    """In a small library "put" and "after" are as rare as "drive": a long list that has
    them all must not beat the one section about driving."""
    library = [
        _article(
            "recovery",
            "Recovery",
            [
                (
                    "get-help",
                    "When to get help",
                    [
                        (
                            "Most problems show up in the weeks after the leads are put in or taken out. "
                            "Get help at once if your legs go weak, if you get a fever, "
                            "or if the wound starts to leak after you go home."
                        ),
                    ],
                ),
                ("driving", "Driving", ["Do not drive for 6 weeks, and ask your team first."]),
                *((f"part-{n}", f"Part {n}", [f"Text number {n} about something else."]) for n in range(8)),
            ],
        ),
    ]
    index = _index_of(tmp_path, library)
    assert _first(index, "how soon can I drive after getting it put in") == ("recovery", "driving")


def _common_word_library(tmp_path: Path, named: int, unnamed: int) -> Index:
    """Articles whose text all says "symptoms"; ``named`` of them have a section headed so."""
    library = [
        _article(
            f"topic-{n}",
            f"Topic {n}",
            [
                ("overview", "Overview", [f"Symptoms of topic {n} come and go."]),
                *([("symptoms", "Symptoms", ["Pain and swelling."])] if n < named else []),
            ],
        )
        for n in range(named + unnamed)
    ]
    return _index_of(tmp_path, library)


def test_a_word_in_most_units_is_looked_for_where_a_page_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word in more than a quarter of all units finds its candidates in titles, aliases,
    tags, headings and labels (scoring every unit whose text has it is what makes a search
    for it slow in a large library); where those give too few, everywhere (issue 16)."""
    from sccli.search.fts import FtsIndex

    monkeypatch.setattr(FtsIndex, "CANDIDATES", 6)
    searched: list[tuple[str, int]] = []
    best = FtsIndex._best

    def spy(self: FtsIndex, expression: str, count: int) -> set[int]:
        found = best(self, expression, count)
        searched.append((expression, len(found)))
        return found

    monkeypatch.setattr(FtsIndex, "_best", spy)
    index = _common_word_library(tmp_path, named=8, unnamed=0)
    assert [hit.section_id for hit in index.search("symptoms", limit=1)] == ["symptoms"]
    named = "{title aliases tags heading labels} : "
    assert [expression.startswith(named) for expression, _ in searched] == [True, False]  # then titles
    # Ranking still reads every place: both kinds of section are found when more are asked for.
    assert {hit.section_id for hit in index.search("symptoms", limit=20)} == {"symptoms", "overview"}
    # Two sections named for it give too few candidates: every place is searched.
    searched.clear()
    index = _common_word_library(tmp_path, named=2, unnamed=6)
    assert index.search("symptoms", limit=1)
    assert [(expression.startswith(named), found) for expression, found in searched[:2]] == [(True, 2), (False, 6)]
    # A word in fewer units is looked for everywhere at once.
    searched.clear()
    assert index.search("swelling", limit=1)
    assert not searched[0][0].startswith(named)


# The vocabulary is data with its sources; these keep it sound as it grows.


def test_the_vocabulary_is_well_formed() -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary.groups) >= 300
    used = {key for group in vocabulary.groups for key in group.sources}
    assert used == set(vocabulary.sources), "every source is cited, and every citation is listed"
    seen: dict[str, int] = {}
    for number, group in enumerate(vocabulary.groups):
        phrases = {" ".join(words(term)) for term in group.terms}
        assert len(phrases) >= 2, group.terms
        for phrase in phrases:
            assert phrase not in seen, f"{phrase!r} is in groups {seen.get(phrase)} and {number}"
            seen[phrase] = number


def test_the_vocabulary_applies_to_every_library(topic_index: Index) -> None:
    thesauri = topic_index.thesauri(["pins", "needles"])  # type: ignore[attr-defined]
    assert "paresthesia" in expand(["pins", "needles"], *thesauri)[0]
    assert any("paresthesia" in group for group in packaged_groups())


def test_a_one_word_key_with_stopwords_does_not_start_its_group() -> None:
    thesaurus = Thesaurus([["prevalence", "how common"]])
    assert expand(["common", "side", "effects"], thesaurus)[0] == ["common"]
    assert expand(["prevalence"], thesaurus)[0] == ["prevalence", "how common"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("does it hurt", ("scs-trial-and-implant", "recovery")),
        ("recovery", ("scs-trial-and-implant", "recovery")),
        ("cost", ("questions-for-your-doctor", "cost")),
        ("pregnant", ("painful-diabetic-neuropathy", "who-it-suits")),
        ("pacemaker", ("painful-diabetic-neuropathy", "who-it-suits")),
        ("blood thinners", ("painful-diabetic-neuropathy", "who-it-suits")),
        ("can I fly", ("living-with-a-stimulator", "travel")),
        ("exercise", ("scs-trial-and-implant", "recovery")),
        ("diathermy", ("living-with-a-stimulator", "other-treatments-and-id-card")),
        ("when to get help", ("living-with-a-stimulator", "get-help-now")),
    ],
)
def test_what_a_reader_needs_to_act_safely_is_found_first(
    packaged: Index, query: str, expected: tuple[str, str]
) -> None:
    """The searches that found nothing before the content of issue 12."""
    assert _first(packaged, query) == expected


def test_a_quoted_phrase_with_a_possessive_finds_its_text(topic_index: Index) -> None:
    """The index splits "Alzheimer's" into "alzheimer", "s": a phrase is searched the same way."""
    assert _first(topic_index, '"Alzheimer\'s disease"') == ("alzheimers-disease", "summary")
    assert parse_query('"Alzheimer\'s disease"') == ["alzheimer s disease"]


def test_a_raw_query_that_matches_only_a_tag_still_shows_why(packaged: Index) -> None:
    hits = packaged.search("tags : airport", limit=3, raw=True)
    assert hits
    assert all(any(fragment.match for fragment in hit.snippet) for hit in hits)
