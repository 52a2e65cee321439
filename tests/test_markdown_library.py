"""Markdown notes as a library: the sample notes folder, front matter, and untrusted input."""

from __future__ import annotations

import datetime
import os
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from sccli import markdown_library
from sccli.errors import DataError
from sccli.markdown_library import read_markdown
from sccli.models import Article, Library, ListBlock, Paragraph

NOTES = FIXTURES / "markdown"


def write(folder: Path, text: str, name: str = "note.md") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only(path: Path) -> Article:
    library = read_markdown(path)
    assert len(library.articles) == 1
    return library.articles[0]


def texts(article: Article) -> list[str]:
    """Every paragraph and item text (labels first) of an article, in order."""
    found: list[str] = []
    for section in article.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                found.append(block.text)
            else:
                found.extend(f"{item.label}: {item.text}" if item.label else item.text for item in block.items)
    return found


def modified(path: Path) -> datetime.date:
    return datetime.date.fromtimestamp(path.stat().st_mtime)


# The sample notes folder ------------------------------------------------------------


@pytest.fixture(scope="module")
def notes() -> dict[str, Article]:
    return {article.id: article for article in read_markdown(NOTES).articles}


def test_the_notes_folder_gives_one_article_per_note_in_path_order_subfolders_included() -> None:
    library = read_markdown(NOTES)
    assert [article.id for article in library.articles] == [
        "questions-for-dr-lee",  # clinic/questions-for-dr-lee.md
        "medications",
        "pain-diary",
        "things-that-help",
    ]
    assert len({article.id for article in library.articles}) == 4


def test_titles_come_from_front_matter_then_the_first_heading_then_the_file_name(notes: dict[str, Article]) -> None:
    assert notes["pain-diary"].title == "My pain diary"  # front matter wins over "# Pain diary"
    assert notes["medications"].title == "Medications"
    assert notes["questions-for-dr-lee"].title == "Questions for Dr Lee (pain clinic, 21 March)"
    assert notes["things-that-help"].title == "Things that help"  # no heading: the file name


def test_sections_start_at_level_two_headings_and_empty_ones_are_dropped(notes: dict[str, Article]) -> None:
    diary = notes["pain-diary"]
    assert [(section.id, section.heading) for section in diary.sections] == [
        ("overview", "Overview"),  # the text before the first ##
        ("week-of-4-march", "Week of 4 March"),
        ("week-of-11-march", "Week of 11 March"),
        # "## Week of 18 March" has no text under it
    ]
    assert [section.id for section in notes["questions-for-dr-lee"].sections] == [
        "overview",
        "stimulator",
        "practical-things",
    ]  # "## Answers" is empty
    assert [section.heading for section in notes["things-that-help"].sections] == ["Notes"]  # no ## at all


def test_list_items_with_a_bold_lead_get_it_as_their_label(notes: dict[str, Article]) -> None:
    week = notes["pain-diary"].sections[1].blocks[0]
    assert isinstance(week, ListBlock) and not week.ordered
    assert [(item.label, item.text) for item in week.items] == [
        ("Pain", "7 out of 10 most evenings, burning in both feet"),
        ("Sleep", "woke up three times on Tuesday"),
        ("Walking", "about 20 minutes, then the soles feel like pins"),
        (None, "Tried the new socks — no difference"),
    ]
    current = notes["medications"].sections[0].blocks[0]
    assert isinstance(current, ListBlock)
    assert [(item.label, item.text) for item in current.items][:2] == [
        ("Duloxetine", "60 mg every morning."),  # **Duloxetine.**
        ("Pregabalin", "75 mg twice a day; makes me dizzy."),  # **Pregabalin** — ...
    ]


def test_nested_lists_are_flattened_and_deeper_headings_become_paragraphs(notes: dict[str, Article]) -> None:
    blocks = notes["pain-diary"].sections[2].blocks
    assert isinstance(blocks[0], ListBlock) and blocks[0].ordered
    assert [item.text for item in blocks[0].items] == [
        "Monday: pain 6/10",
        "Wednesday: pain 8/10 after a long day on my feet",
        "took an extra dose (see my medication list)",  # the link keeps its text
        "cold feet again at 3 a.m.",
        "Friday: pain 5/10",
    ]
    assert blocks[1] == Paragraph("Things to mention")  # ### heading
    assert blocks[2] == Paragraph("Ask about the trial stimulator: see my questions for Dr Lee.")


def test_quotes_code_and_html_become_plain_paragraphs(notes: dict[str, Article]) -> None:
    assert texts(notes["things-that-help"]) == [
        "Small things that make the burning easier, in no particular order.",
        "A warm (not hot) foot bath before bed",
        "Seamless socks",
        "the grey ones from the pharmacy",
        "Getting up and walking for five minutes",
        "From the support group",
        '"Keep a diary. It is easier to talk to the doctor when it is written down."',
        "Breathing exercise I was given:",
        "breathe in 4, hold 4, breathe out 6",
        "Bring the diary to every appointment.",  # the <div>'s text; the <script> is gone
    ]


def test_summary_is_the_front_matter_s_or_the_first_paragraph(notes: dict[str, Article]) -> None:
    assert notes["medications"].summary == "What I take for the nerve pain, and what it does to me."
    assert notes["pain-diary"].summary == (
        "I keep this diary to show the pain team how my feet change from week to week. "
        "The burning is always worse at night, and walking helps less than it used to."
    )


def test_front_matter_gives_dates_tags_aliases_and_sources(notes: dict[str, Article]) -> None:
    diary = notes["pain-diary"]
    assert diary.reviewed == datetime.date(2024, 3, 18)
    assert diary.next_review == datetime.date(2024, 9, 1)
    assert diary.tags == ["feet", "sleep", "pain diary"]
    assert diary.aliases == ["Symptom log", "Pain journal"]
    assert [(s.publisher, s.title, s.year, s.url) for s in diary.sources] == [
        (
            "Mayo Clinic",
            "Peripheral neuropathy: Symptoms and causes",
            2023,
            "https://www.mayoclinic.org/diseases-conditions/peripheral-neuropathy/symptoms-causes/syc-20352061",
        ),
        ("NHS", "Peripheral neuropathy", None, "https://www.nhs.uk/conditions/peripheral-neuropathy/"),
    ]
    medications = notes["medications"]
    assert medications.reviewed == datetime.date(2024, 2, 29)  # quoted
    assert medications.aliases == ["Medication list", "Tablets"]  # a comma-separated line
    assert [(s.publisher, s.title, s.year, s.url) for s in medications.sources] == [
        ("U.S. Food and Drug Administration", "Medication Guide: Duloxetine", 2023, "https://www.fda.gov/media/"),
        ("NICE", "Neuropathic pain in adults: pharmacological management in non-specialist settings", 2020, None),
        (
            "medlineplus.gov",
            "https://medlineplus.gov/druginfo/meds/a604030.html",
            None,
            "https://medlineplus.gov/druginfo/meds/a604030.html",
        ),
    ]


def test_notes_without_front_matter_have_no_sources_and_the_file_s_date(notes: dict[str, Article]) -> None:
    for article_id, path in [
        ("things-that-help", NOTES / "things-that-help.md"),
        ("questions-for-dr-lee", NOTES / "clinic" / "questions-for-dr-lee.md"),
    ]:
        assert notes[article_id].sources == []
        assert notes[article_id].reviewed == modified(path)
        assert notes[article_id].next_review is None


def test_related_are_the_front_matter_s_and_links_to_other_notes(notes: dict[str, Article]) -> None:
    assert notes["pain-diary"].related == ["medications", "questions-for-dr-lee"]  # a link into clinic/, with #anchor
    assert notes["questions-for-dr-lee"].related == ["medications"]  # ../medications.md; ../old/... goes nowhere
    assert notes["medications"].related == ["pain-diary"]
    assert notes["things-that-help"].related == []


def test_a_single_file_is_a_library_of_one(tmp_path: Path) -> None:
    library = read_markdown(NOTES / "medications.md")
    assert isinstance(library, Library)
    assert [article.id for article in library.articles] == ["medications"]
    assert library.articles[0].related == []  # its link to pain-diary.md names no note of this library
    note = write(tmp_path, "# Pins and needles\n\nWorse after sitting.\n", "2024_03 tingling.markdown")
    assert (only(note).id, only(note).title) == ("2024-03-tingling", "Pins and needles")


def test_a_file_without_front_matter_is_dated_by_its_modification(tmp_path: Path) -> None:
    note = write(tmp_path, "Burning feet tonight.\n")
    when = datetime.datetime(2023, 5, 17, 12, 0).timestamp()
    os.utime(note, (when, when))
    article = only(note)
    assert article.reviewed == datetime.date(2023, 5, 17)
    assert article.sources == []
    assert (article.id, article.title, article.summary) == ("note", "Note", "Burning feet tonight.")


# Structure -------------------------------------------------------------------------


def test_headings_give_unique_section_ids_and_a_later_h1_starts_a_section(tmp_path: Path) -> None:
    article = only(
        write(tmp_path, "# Title\n\nIntro.\n\n## Pain\n\nOne.\n\n## Pain\n\nTwo.\n\n# Later\n\nThree.\n\n##\n\nFour.\n")
    )
    assert article.title == "Title"
    assert [(s.id, s.heading) for s in article.sections] == [
        ("overview", "Overview"),
        ("pain", "Pain"),
        ("pain-2", "Pain"),
        ("later", "Later"),  # an empty ## heading is no heading: "Four." stays in "Later"
    ]
    assert texts(article)[-2:] == ["Three.", "Four."]


def test_a_long_first_paragraph_is_cut_at_a_word_for_the_summary(tmp_path: Path) -> None:
    words = " ".join(f"word{number}" for number in range(100))
    summary = only(write(tmp_path, words + "\n")).summary
    assert len(summary) <= 300 and summary.endswith("…")
    assert words.startswith(summary[:-1]) and words[len(summary) - 1] == " "


@pytest.mark.parametrize(
    ("line", "label", "text"),
    [
        ("- **Pain:** worse at night", "Pain", "worse at night"),
        ("- **Pain**: worse at night", "Pain", "worse at night"),
        ("- __Sleep.__ poor", "Sleep", "poor"),
        ("- **Mood** — low", "Mood", "low"),
        ("- **Pain:**", None, "Pain:"),  # nothing after the label: no label
        ("- **Really** bad day", None, "Really bad day"),
        ("- Pain: worse", None, "Pain: worse"),
        ("- *Pain:* worse", None, "Pain: worse"),  # emphasis is not bold
    ],
)
def test_list_item_labels(tmp_path: Path, line: str, label: str | None, text: str) -> None:
    block = only(write(tmp_path, line + "\n")).sections[0].blocks[0]
    assert isinstance(block, ListBlock)
    assert (block.items[0].label, block.items[0].text) == (label, text)


def test_inline_markup_is_made_plain(tmp_path: Path) -> None:
    article = only(
        write(
            tmp_path,
            "Take `2 x 75 mg`, see ![foot *x-ray*](x.png) and [](https://example.org/leaflet)"
            " [](notes.txt) <https://nhs.uk/x>\\\nthen   *rest*.\n",
        )
    )
    assert texts(article) == [
        "Take 2 x 75 mg, see foot x-ray and https://example.org/leaflet https://nhs.uk/x then rest."
    ]


# Untrusted input ---------------------------------------------------------------------


def test_raw_html_scripts_and_styles_never_appear(tmp_path: Path) -> None:
    note = write(
        tmp_path,
        '# Note <script>alert("title")</script>\n\n'
        'Pain <span onclick="steal()">is <b>better</b></span><script>alert(1)</script> today.\n\n'
        "<style>p { color: red }</style>\n\n"
        "<!-- private: do not show -->\n\n"
        '<div><img src=x onerror="alert(2)">Feet <i>warm</i>.</div>\n\n'
        "- item <script>alert(3)</script>\n\n"
        "<script\nalert(4)\n",
    )
    article = only(note)
    shown = " ".join([article.title, article.summary, *texts(article)])
    assert texts(article) == ["Pain is better today.", "Feet warm.", "item"]
    for hidden in ("<", ">", "alert", "script", "color", "private", "onclick", "onerror"):
        assert hidden not in shown


def test_escapes_and_control_characters_are_removed(tmp_path: Path) -> None:
    article = only(write(tmp_path, "# \x1b[31mRed\x1b[0m title\n\nBell\x07 and \u202eevil\u202c text.\n"))
    assert article.title == "Red title"
    assert texts(article) == ["Bell and evil text."]


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    note = tmp_path / "bom.md"
    note.write_bytes(b"\xef\xbb\xbf---\ntitle: With a BOM\n---\nText.\n")
    assert only(note).title == "With a BOM"


def test_a_note_that_is_not_utf8_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    note = tmp_path / "latin1.md"
    note.write_bytes("# Notes\n\nCaf\u00e9 with my daughter.\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin1\.md: line 3: not UTF-8 text") as caught:
        read_markdown(tmp_path)
    assert str(caught.value).endswith(".")


@pytest.mark.parametrize("text", ["", "   \n\n", "# Only a title\n", "## Empty\n\n## Headings\n", "<!-- -->\n"])
def test_a_note_with_no_text_is_an_error_naming_it(tmp_path: Path, text: str) -> None:
    note = write(tmp_path, text, "empty.md")
    with pytest.raises(DataError, match=r"empty\.md: the note has no text to show\.$"):
        read_markdown(note)


FRONT_MATTER_ERRORS = [
    ("---\ntitle: A\nauthor: me\n---\nText.\n", 3, "unknown key 'author'"),
    ("---\nreviewed: 2024-13-01\n---\nText.\n", 2, "'reviewed' should be a date like 2026-01-31, not '2024-13-01'"),
    ("---\n# fine\n\nnext_review: soon\n---\nText.\n", 4, "'next_review' should be a date"),
    ("---\nreviewed: 2024-02-30\n---\nText.\n", 2, "should be a date"),
    ("---\ntitle: A\nsummary: B\n\nText.\n", 1, "the front matter that starts here never ends"),
    ("---\ntitle: A\njust some words\n---\nText.\n", 3, "expected 'key: value' or '- item', not 'just some words'"),
    ("---\ntitle: A\n  indented: b\n---\nText.\n", 3, "expected 'key: value'"),
    ("---\ntitle: A\ntitle: B\n---\nText.\n", 3, "the key 'title' appears twice"),
    ("---\n- stray\n---\nText.\n", 2, "a list item, but no key above it takes a list"),
    ("---\ntitle: A\n  - B\n---\nText.\n", 3, "'title' takes one value, not a list"),
    ("---\ntags: a\n  - b\n---\nText.\n", 3, "'tags' has its values on its own line already"),
    ("---\nid: Pain Diary\n---\nText.\n", 2, "'Pain Diary' is not an article id"),
    ("---\nrelated: [ok, Not OK]\n---\nText.\n", 2, "'Not OK' is not an article id"),
    ("---\ntags: [a, b\n---\nText.\n", 2, "a list that starts with '[' should end with ']'"),
    ("---\nsources:\n  - NHS. Leaflet. ftp://nhs.uk/x\n---\nText.\n", 3, "should start with http:// or https://"),
    ("---\nsources:\n  - NHS. Leaflet. 1066.\n---\nText.\n", 3, "year should be between 1800 and 2100, not 1066"),
    ("---\nsources:\n  - 2024.\n---\nText.\n", 3, "a source needs a publisher or a title"),
]


@pytest.mark.parametrize(("text", "line", "what"), FRONT_MATTER_ERRORS)
def test_front_matter_errors_name_the_file_and_the_line(tmp_path: Path, text: str, line: int, what: str) -> None:
    note = write(tmp_path, text, "diary.md")
    with pytest.raises(DataError) as caught:
        read_markdown(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{note}: line {line}: "), message
    assert what in message and message.endswith(".") and message.count(". ") == 0, message


def test_front_matter_values_comments_and_list_forms(tmp_path: Path) -> None:
    article = only(
        write(
            tmp_path,
            "---\n"
            "# a comment\n"
            "\n"
            "title: 'It''s my note'\n"
            'summary: "Short: and sweet"\n'
            "tags: feet, \"sleep, mostly\", 'night'\n"
            "aliases: []\n"
            "related:\n"
            "  - other-note\n"
            "- my-note\n"  # an item may start the line; a note is never related to itself
            "sources: Diabetes UK. Looking after your feet\n"
            "id: my-note\n"
            "next_review:\n"  # no value: as if the key were not there
            "---\n"
            "Text.\n",
        )
    )
    assert (article.id, article.title, article.summary) == ("my-note", "It's my note", "Short: and sweet")
    assert article.tags == ["feet", "sleep, mostly", "night"]
    assert article.aliases == []
    assert article.related == ["other-note"]  # an unknown id: sccli warns when it loads the library
    assert [(s.publisher, s.title) for s in article.sources] == [("Diabetes UK", "Looking after your feet")]
    assert article.next_review is None


def test_the_front_matter_example_in_the_documentation_reads_as_it_says(tmp_path: Path) -> None:
    assert markdown_library.__doc__ is not None
    example = markdown_library.__doc__.split("for example::\n\n", 1)[1].split("\n\n", 1)[0]
    article = only(write(tmp_path, textwrap.dedent(example) + "\n# Diary\n\nBurning feet.\n"))
    assert (article.id, article.title, article.summary) == (
        "pain-diary",
        "My pain diary",
        "What I noticed, week by week.",
    )
    assert (article.reviewed, article.next_review) == (datetime.date(2024, 3, 18), datetime.date(2024, 9, 1))
    assert (article.tags, article.aliases) == (["feet", "sleep"], ["Symptom log", "Pain journal"])
    assert article.related == ["medications", "questions-for-dr-lee"]
    assert [(s.publisher, s.title, s.year) for s in article.sources] == [
        ("Mayo Clinic", "Peripheral neuropathy", 2023),
        ("NHS", "Peripheral neuropathy", None),
    ]


def test_a_one_part_source_is_both_publisher_and_title(tmp_path: Path) -> None:
    article = only(write(tmp_path, "---\nsources:\n  - My neurologist's leaflet\n---\nText.\n"))
    assert [(s.publisher, s.title, s.year, s.url) for s in article.sources] == [
        ("My neurologist's leaflet", "My neurologist's leaflet", None, None)
    ]


# Folders -------------------------------------------------------------------------------


def test_a_folder_without_notes_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"no Markdown notes \(\.md files\) in this folder\.$") as caught:
        read_markdown(tmp_path)
    assert str(caught.value) == f"{tmp_path}: no Markdown notes (.md files) in this folder."
    write(tmp_path, "Not Markdown.", "notes.txt")
    write(tmp_path, "Hidden.", ".hidden.md")
    write(tmp_path, "In a hidden folder.", ".obsidian/workspace.md")
    with pytest.raises(DataError, match="no Markdown notes"):
        read_markdown(tmp_path)


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_markdown(tmp_path / "nowhere.md")


def test_ids_are_unique_across_the_folder(tmp_path: Path) -> None:
    write(tmp_path, "First.", "a/pain.md")
    write(tmp_path, "Second.", "b/pain.md")
    write(tmp_path, "---\nid: pain\n---\nThird.", "c/named.md")  # a named id wins over a file name's
    write(tmp_path, "Fourth.", "Pain.markdown")
    library = read_markdown(tmp_path)
    assert [(article.id, article.summary) for article in library.articles] == [
        ("pain-2", "Fourth."),  # "Pain.markdown" sorts first
        ("pain-3", "First."),
        ("pain-4", "Second."),
        ("pain", "Third."),
    ]


def test_two_notes_naming_the_same_id_is_an_error(tmp_path: Path) -> None:
    first = write(tmp_path, "---\nid: diary\n---\nOne.", "a.md")
    second = write(tmp_path, "\n---\nid: other\n---\nnot front matter: starts on line 2", "b.md")
    third = write(tmp_path, "---\ntitle: C\nid: diary\n---\nThree.", "c.md")
    with pytest.raises(DataError) as caught:
        read_markdown(tmp_path)
    assert str(caught.value) == f"{third}: line 3: the id 'diary' is already the id of {first}."
    assert second.exists()


def _symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make symbolic links")


def test_linked_folders_loops_and_broken_links_are_skipped(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write(notes, "Real note.", "real.md")
    _symlink(notes / "loop", notes)  # a folder that contains itself
    _symlink(notes / "up", tmp_path)  # and its parent
    _symlink(notes / "self.md", notes / "self.md")  # a link to itself
    _symlink(notes / "broken.md", notes / "missing.md")
    _symlink(notes / "alias.md", notes / "real.md")  # a link to a note is a note
    library = read_markdown(notes)
    assert [(article.id, article.summary) for article in library.articles] == [
        ("alias", "Real note."),
        ("real", "Real note."),
    ]


def test_links_between_notes_resolve_relative_to_the_linking_note(tmp_path: Path) -> None:
    write(
        tmp_path, "See [b](sub/b.md), [c](../c.md), [self](a.md), [web](https://x.org/d.md), [d](sub/d%20e.md).", "a.md"
    )
    write(tmp_path, "Back to [a](../a.md) and [d](<./d e.md#top>).", "sub/b.md")
    write(tmp_path, "D.", "sub/d e.md")
    related = {article.id: article.related for article in read_markdown(tmp_path).articles}
    assert related == {"a": ["b", "d-e"], "b": ["a", "d-e"], "d-e": []}


# Anything at all -------------------------------------------------------------------------


def _read_or_refuse(folder: str, raw: bytes) -> None:
    path = Path(folder) / "note.md"
    path.write_bytes(raw)
    try:
        library = read_markdown(path)
    except DataError as error:
        message = str(error)
        assert message.startswith(str(path)) and message.endswith("."), message
        return
    assert isinstance(library, Library) and len(library.articles) == 1


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_any_text_is_a_library_or_a_data_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _read_or_refuse(folder, text.encode("utf-8"))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["---\n", "title: x\n", "tags: [a\n", "  - b\n", "# T\n", "## H\n", "- **L:** t\n", "> q\n", "<b>\n", "\n"]
        )
        | st.text(max_size=20),
        max_size=12,
    ).map("".join)
)
def test_any_mix_of_markdown_and_front_matter_is_a_library_or_a_data_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _read_or_refuse(folder, text.encode("utf-8"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_a_library_or_a_data_error(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _read_or_refuse(folder, raw)
