"""Loading and validating data files: the packaged library and broken files."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sccli.data import decode_library, find_problems, load_library, packaged_data_path
from sccli.errors import DataError
from sccli.models import Library, ListBlock, Paragraph, library_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "data" / "articles.schema.json"
SEED = Path(__file__).parent / "fixtures" / "seed-000_57688ef75d946ac9.txt"


def test_packaged_data_matches_its_json_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = json.loads(Path(packaged_data_path()).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def test_schema_file_is_generated_from_the_models() -> None:
    # Regenerate with (any Python from 3.10, any msgspec the project allows: the result is the same):
    # python -c "import json,sccli.models as m; print(json.dumps(m.library_schema(), indent=2))" \
    #     > data/articles.schema.json
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json.dumps(library_schema(), indent=2) + "\n"


def _descriptions(schema: object) -> list[str]:
    if isinstance(schema, dict):
        own = [schema["description"]] if isinstance(schema.get("description"), str) else []
        return own + [text for value in schema.values() for text in _descriptions(value)]
    if isinstance(schema, list):
        return [text for value in schema for text in _descriptions(value)]
    return []


def test_schema_descriptions_do_not_depend_on_how_docstrings_were_indented() -> None:
    # msgspec before 0.23 keeps a docstring's indentation, 0.23 removes it, and Python 3.13
    # removes it at compile time: library_schema cleans every description the same way.
    descriptions = _descriptions(library_schema())
    assert any("\n" in text for text in descriptions)  # the multi-line docstrings are there
    for text in descriptions:
        assert text == inspect.cleandoc(text), text
        assert not any(line.startswith((" ", "\t")) for line in text.splitlines()), text


def test_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    bad = {"schema_version": 1, "articles": [{"id": "Not A Slug", "title": "t"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_packaged_library_has_the_seed_and_three_more_articles() -> None:
    library = load_library()
    assert library.articles[0].id == "scs-for-neuropathy"
    assert len(library.articles) >= 4
    assert find_problems(library) == []
    for article in library.articles:
        assert article.sources, article.id
        assert article.related, article.id
        for source in article.sources:
            assert source.publisher and source.title


def test_related_links_go_both_ways() -> None:
    library = load_library()
    links = {(article.id, other) for article in library.articles for other in article.related}
    assert all((other, article) in links for article, other in links)


def _seed_text_from(library: Library) -> str:
    """Rebuild the seed page's text from the structured article."""
    article = library.articles[0]
    parts = [article.title]
    for section in article.sections:
        if section.id not in ("introduction", "conclusion"):  # the page has no headings for these
            parts.append(section.heading)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                assert isinstance(block, ListBlock) and block.ordered
                parts.extend(f"{n}. {item.label}: {item.text}" for n, item in enumerate(block.items, 1))
    return "\n\n".join(parts)


def test_seed_article_is_kept_word_for_word() -> None:
    page = SEED.read_text(encoding="utf-8")
    # Scrape noise that is not content: a site label, and the end of the page
    # (a "Related Articles" heading whose entries were lost, a "Back to top" button).
    assert page.startswith("Art Review\n\n")
    assert page.endswith("\n\nRelated Articles\n\nBack to top button")
    content = page.removeprefix("Art Review\n\n").removesuffix("\n\nRelated Articles\n\nBack to top button")
    assert _seed_text_from(load_library()) == content


def test_seed_lists_have_four_items_each() -> None:
    article = load_library().articles[0]
    lists = {s.id: [b for b in s.blocks if isinstance(b, ListBlock)] for s in article.sections}
    assert [len(b.items) for b in lists["benefits"]] == [4]
    assert [len(b.items) for b in lists["risks"]] == [4]
    assert [item.label for item in lists["benefits"][0].items] == [
        "Pain relief",
        "Improved function",
        "Non-invasive",
        "Customizable",
    ]


def _library_json(**changes) -> dict:
    data = json.loads((Path(__file__).parent / "fixtures" / "articles.json").read_text())
    data.update(changes)
    return data


def _dump(data: object) -> bytes:
    return json.dumps(data).encode()


def test_wrong_field_is_named_by_its_json_path() -> None:
    data = _library_json()
    data["articles"][0]["sections"][1]["heading"] = 7
    with pytest.raises(DataError, match=r"at articles\[0\]\.sections\[1\]\.heading: expected `str`, got `int`"):
        decode_library(_dump(data))


def test_unknown_field_is_an_error_because_it_is_a_typo() -> None:
    data = _library_json()
    data["articles"][1]["heding"] = "x"
    with pytest.raises(DataError, match=r"object contains unknown field `heding` - |unknown field `heding`"):
        decode_library(_dump(data))


def test_bad_date_and_bad_slug_are_errors() -> None:
    data = _library_json()
    data["articles"][0]["reviewed"] = "last week"
    with pytest.raises(DataError, match=r"at articles\[0\]\.reviewed: expected a date like 2026-01-31\."):
        decode_library(_dump(data))
    data = _library_json()
    data["articles"][0]["id"] = "Alpha Article"
    with pytest.raises(DataError, match=r"at articles\[0\]\.id: expected `str` matching regex"):
        decode_library(_dump(data))


def test_duplicate_ids_are_errors() -> None:
    data = _library_json()
    data["articles"][1]["id"] = "alpha-article"
    with pytest.raises(DataError, match=r"at articles\[1\]\.id: the article id 'alpha-article' is used twice"):
        decode_library(_dump(data))
    data = _library_json()
    data["articles"][0]["sections"][2]["id"] = "overview"
    with pytest.raises(DataError, match=r"sections\[2\]\.id: the section id 'overview' is used twice"):
        decode_library(_dump(data))


def test_related_id_that_goes_nowhere_is_a_problem_not_an_error() -> None:
    data = _library_json()
    data["articles"][1]["related"] = ["alpha-article", "gone"]
    library = decode_library(_dump(data))
    assert find_problems(library) == ["article 'beta-article' lists 'gone' as related, but no article has that id."]


def test_byte_order_mark_is_accepted() -> None:
    library = decode_library(b"\xef\xbb\xbf" + _dump(_library_json()))
    assert library.articles[0].id == "alpha-article"


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing\.json: no such file\."):
        load_library(tmp_path / "missing.json")
    with pytest.raises(DataError, match=r"no Markdown notes \(\.md files\) in this folder\."):
        load_library(tmp_path)
    with pytest.raises(DataError, match=r"is a device, not a data file\."):
        load_library("/dev/zero")


def test_invalid_utf8_is_a_clear_error() -> None:
    with pytest.raises(DataError, match=r"^<data>: not UTF-8 text at line 2, column 16\.$"):
        decode_library(b'{"schema_version": 1,\n "articles": ["\xff"]}')


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_load_or_fail_cleanly(raw: bytes) -> None:
    try:
        decode_library(raw)
    except DataError as error:
        assert str(error)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_loads_or_fails_cleanly(value: object) -> None:
    try:
        decode_library(_dump(value))
    except DataError as error:
        assert str(error).startswith("<data>: ")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["title", "summary", "reviewed", "sections", "related", "id"]), json_values)
def test_any_value_in_any_article_field_loads_or_fails_cleanly(field: str, value: object) -> None:
    data = _library_json()
    data["articles"][0][field] = value
    try:
        decode_library(_dump(data))
    except DataError as error:
        assert "articles[0]" in str(error) or "used twice" in str(error) or "not valid JSON" in str(error)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty; expected a JSON object with 'articles'"),
        (b"   \n", "the file is empty; expected a JSON object with 'articles'"),
        (b'{"schema_version": 1,\n  "articles": [}', "not valid JSON at line 2, column 16: invalid character"),
        (b'{"schema_version": 1', "not valid JSON at line 1, column 21: the file ends too soon"),
        (b"[]", "at the top level: expected `object`, got `array`"),
        (b"{}", "at the top level: object missing required field `schema_version`"),
        (
            b'{"schema_version": 2, "articles": []}',
            "at schema_version: this sccli reads version 1 files, not version 2",
        ),
        (
            b'{"schema_version": "1", "articles": []}',
            "at schema_version: expected a whole number (the format's version, 1), not a string",
        ),
        (
            b'{"schema_version": [1], "articles": []}',
            "at schema_version: expected a whole number (the format's version, 1), not an array",
        ),
        (
            b'{"schema_version": 1.0, "articles": []}',
            "at schema_version: expected a whole number (the format's version, 1), not a number with a fraction",
        ),
        (b'{"schema_version": 1, "articles": []}', "at articles: expected `array` of length >= 1"),
        (b'{"schema_version": 1, "articles": [], "x": 1}', "at articles: expected `array` of length >= 1"),
        (b'{"schema_version": 1, "extra": 1}', "at the top level: object contains unknown field `extra`"),
        (b'{"schema_version": 1, "schema_version": 1}', "at schema_version: the field appears twice"),
        (b'{"schema_version": 2, "schema_version": 1}', "at schema_version: the field appears twice"),
        (b'{"synonyms": [["a", "b"]], "schema_version": 1, "synonyms": []}', "at synonyms: the field appears twice"),
        (
            b'{"schema_version": 1, "articles": [{"id": "a"}], "articles": [{"id": "b"}]}',
            "at articles: the field appears twice",
        ),
        (b'{"articles": [{"id": "a"}]}', "at articles[0]: object missing required field `title`"),
        (b'{"schema_version": 1}', "at the top level: object missing required field `articles`"),
        (b'{"schema_version": 1} {}', "not valid JSON at line 1, column 23: trailing characters"),
        (b'{"schema_version": 1 "articles": []}', "not valid JSON at line 1, column 22: expected ',' or '}'"),
        (b'{"schema_version": 1, "articles": [{"id"', "not valid JSON at line 1, column 41: the file ends too soon"),
        (b'"just a string"', "at the top level: expected `object`, got `str`"),
        (b"{", "not valid JSON at line 1, column 2: the file ends too soon"),
    ],
)
def test_a_broken_file_gets_one_sentence_naming_the_place(raw: bytes, message: str) -> None:
    with pytest.raises(DataError) as error:
        decode_library(raw, name="f.json")
    assert str(error.value) == f"f.json: {message}."


def test_synonyms_may_come_after_the_articles() -> None:
    data = _library_json()
    document = {"articles": data["articles"], "schema_version": 1, "synonyms": [["a", "b"]]}
    assert decode_library(_dump(document)).synonyms == [["a", "b"]]


def test_a_large_file_is_decoded_one_article_at_a_time(tmp_path: Path) -> None:
    from sccli.data import open_library

    data = _library_json()
    template = data["articles"][1]
    data["articles"] = [dict(template, id=f"article-{n}", related=[]) for n in range(3000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data, indent=1))
    assert path.stat().st_size > 1024 * 1024
    with open_library(path) as stream:
        first = next(stream.articles)
        assert first.id == "article-0" and 0 < stream.position < stream.size
        assert sum(1 for _ in stream.articles) == 2999
    assert len(load_library(path).articles) == 3000


def test_packaged_library_covers_the_topics_and_links_them() -> None:
    ids = [article.id for article in load_library().articles]
    assert ids == [
        "scs-for-neuropathy",
        "painful-diabetic-neuropathy",
        "scs-trial-and-implant",
        "living-with-a-stimulator",
        "kinds-of-stimulation",
        "risks-and-complications",
        "questions-for-your-doctor",
    ]


def test_every_packaged_article_has_sources_and_review_dates() -> None:
    for article in load_library().articles:
        assert article.sources, article.id
        assert article.next_review is not None and article.next_review > article.reviewed, article.id


def _notes_by_place(article) -> dict[str, str]:
    places = {}
    for section in article.sections:
        for number, block in enumerate(section.blocks):
            if isinstance(block, Paragraph):
                for note in block.notes:
                    places[f"{section.id}/p{number}"] = note.text
            else:
                for item in block.items:
                    for note in item.notes:
                        places[f"{section.id}/{item.label}"] = note.text
    return places


def test_the_seed_carries_editorial_notes_where_it_overstates() -> None:
    notes = _notes_by_place(load_library().articles[0])
    assert notes["benefits/Non-invasive"].startswith("This is wrong.")
    assert "not proven" in notes["how-it-works/p1"] and "naloxone" in notes["how-it-works/p1"]  # endorphins
    assert "no evidence that a stimulator builds a new nerve pathway" in notes["how-it-works/p2"]
    assert "Cochrane" in notes["introduction/p1"]  # "minimally invasive"
    assert "motor function" in notes["benefits/Improved function"]
    assert "paralysis" in notes["risks/Device-related complications"]
    assert "Tingling (paresthesia)" in notes["risks/Side effects"]
    for block_notes in (
        b.notes for s in load_library().articles[0].sections for b in s.blocks if isinstance(b, Paragraph)
    ):
        assert all(note.sources for note in block_notes)


def test_the_glossary_has_at_least_30_sourced_terms() -> None:
    glossary = load_library().glossary
    assert len(glossary) >= 30
    assert len({term.id for term in glossary}) == len(glossary)
    names = [name.casefold() for term in glossary for name in (term.term, *term.aliases)]
    assert len(names) == len(set(names)), "a name belongs to two entries"
    for wanted in (
        "neuropathy",
        "paresthesia",
        "paraesthesia",
        "dorsal column",
        "epidural space",
        "implantable pulse generator",
        "dorsal root ganglion",
        "complex regional pain syndrome",
        "responder",
    ):
        assert wanted in names, wanted
    assert all(term.source.publisher and term.definition for term in glossary)


def test_reading_grades(capsys: pytest.CaptureFixture[str]) -> None:
    """Our own articles aim at grade 8 or lower; the seed is reported, not judged (it is kept word for word)."""
    from sccli.reading import measure

    report = []
    for article in load_library().articles:
        words, grade = measure(article)
        report.append(f"{article.id}: grade {grade}, {words} words")
        if article.id != "scs-for-neuropathy":
            assert grade <= 8, report[-1]
    with capsys.disabled():
        print("\nReading grades (Flesch-Kincaid):\n  " + "\n  ".join(report))


def test_the_same_articles_twice_is_a_repeated_field() -> None:
    data = _library_json()
    text = _dump(data).decode()
    articles = json.dumps(data["articles"])
    twice = text[:-1] + f', "articles": {articles}' + "}"
    with pytest.raises(DataError, match=r"at articles: the field appears twice\.$"):
        decode_library(twice.encode())
    longer = text[:-1] + f', "articles": {json.dumps(data["articles"][:1])}' + "}"
    with pytest.raises(DataError, match=r"at articles: the field appears twice\.$"):
        decode_library(longer.encode())


def _lines(tmp_path, lines: list[object], name: str = "library.jsonl"):
    path = tmp_path / name
    path.write_text("".join((json.dumps(line) if not isinstance(line, str) else line) + "\n" for line in lines))
    return path


def test_json_lines_read_as_the_same_library(tmp_path) -> None:
    from conftest import FIXTURE_DATA

    document = json.loads(FIXTURE_DATA.read_text())
    header = {key: value for key, value in document.items() if key != "articles"}
    path = _lines(tmp_path, [header, "", *document["articles"]], "library.ndjson")
    assert load_library(path) == load_library(FIXTURE_DATA)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], 'the file is empty; expected a first line like {"schema_version": 1}'),
        ([{"schema_version": 2}], "line 1: this sccli reads version 1 files, not version 2"),
        ([{"schema_version": 1}], "no articles: after the first line, each line is one article"),
        ([{"schema_version": 1, "extra": 1}], "line 1: at the top level: object contains unknown field `extra`"),
        ([{"schema_version": 1}, {"id": "a"}], "line 2: at articles[0]: object missing required field `title`"),
        ([{"schema_version": 1}, '{"id": "a",'], "line 2: not valid JSON at column 12: the line ends too soon"),
        ([{"schema_version": 1}, '{"id": "a", "id": "b"}'], "line 2: at articles[0]: the key `id` appears twice"),
    ],
)
def test_json_lines_errors_name_the_line(tmp_path, lines: list[object], message: str) -> None:
    path = _lines(tmp_path, lines)
    with pytest.raises(DataError) as error:
        load_library(path)
    assert str(error.value).startswith(f"{path}: {message}")
