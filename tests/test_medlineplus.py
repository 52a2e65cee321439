"""MedlinePlus health-topics XML as a data file: the genuine sample, the full 2024 file,
zip and gzip, and malformed input, through the installed entry point."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import time
import zipfile
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import FIXTURES, sccli_executable, settled
from sccli.data import load_library
from sccli.search.store import fts5_available

HERE = FIXTURES / "medlineplus"
SAMPLE = HERE / "mplus_topics_2012-07-21.xml"  # genuine: two topics, every element of the format
FULL = HERE / "mplus_topics_2024-06-06.xml.gz"  # all 1,023 English topics of 2024-06-06
DEFINITIONS = HERE / "generalhealthdefinitions.xml"
CREDIT = "Courtesy of MedlinePlus from the National Library of Medicine."
needs_fts5 = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")


def sccli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("SCCLI_DATA", "NO_COLOR")}
    environment.update(XDG_CACHE_HOME=str(home), COLUMNS="80")
    return subprocess.run([sccli_executable(), *args], capture_output=True, text=True, env=environment, timeout=120)


@pytest.fixture
def full(tmp_path: Path) -> Path:
    path = tmp_path / "mplus_topics_2024-06-06.xml"
    path.write_bytes(gzip.decompress(FULL.read_bytes()))
    return settled(path)


def test_the_genuine_sample_becomes_two_articles_with_everything_the_format_gives() -> None:
    library = load_library(SAMPLE)
    english, spanish = library.articles
    assert (english.id, english.title, spanish.id, spanish.title) == (
        "abdominal-pain",
        "Abdominal Pain",
        "dolor-abdominal",
        "Dolor abdominal",
    )
    assert english.aliases == ["Bellyache", "Pain, Abdominal", "Stomach Ache"]  # also-called and see-reference
    assert english.tags == ["Digestive System", "Symptoms"]  # groups
    assert english.related == ["dolor-abdominal"]  # the topic in the other language, which the file has
    assert english.sources[0].url == "https://www.nlm.nih.gov/medlineplus/abdominalpain.html"
    assert english.reviewed.isoformat() == "2003-01-07"  # date-created
    assert english.origin is not None and english.origin.date.isoformat() == "2012-07-21"
    assert (english.origin.language, spanish.origin.language) == ("English", "Spanish")  # type: ignore[union-attr]
    assert english.origin.update_url == "https://medlineplus.gov/xml.html"
    items = [item.text for block in english.sections[0].blocks if hasattr(block, "items") for item in block.items]
    assert "You have abdominal pain that is sudden and sharp" in items  # HTML lists are lists


@needs_fts5
def test_show_gives_the_source_the_credit_and_how_old_the_copy_is(tmp_path: Path) -> None:
    result = sccli("--data", str(SAMPLE), "show", "stomach ache", home=tmp_path)  # found by an alias
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert text.startswith("Abdominal Pain")
    assert CREDIT in text
    assert "This copy, of 2012-07-21 (in English), is more than" in text
    assert "Download a new one from https://medlineplus.gov/xml.html" in text
    assert "https://www.nlm.nih.gov/medlineplus/abdominalpain.html" in text


@needs_fts5
@pytest.mark.parametrize("format", ["markdown", "html", "text"])
def test_every_export_carries_the_credit(tmp_path: Path, format: str) -> None:
    result = sccli("--data", str(SAMPLE), "export", "abdominal-pain", "-f", format, home=tmp_path)
    assert result.returncode == 0, result.stderr
    page = result.stdout if format != "markdown" else MarkdownIt("commonmark").render(result.stdout)
    assert "Courtesy of MedlinePlus from the National Library of Medicine" in " ".join(page.split())


@needs_fts5
def test_the_full_file_indexes_in_seconds_and_answers_a_reader(tmp_path: Path, full: Path) -> None:
    started = time.monotonic()
    indexed = sccli("--data", str(full), "index", "--json", home=tmp_path)
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["articles"] == 1023
    assert time.monotonic() - started < 10  # about 1.5 s on the 2-core machine in bench/README.md
    found = sccli("--data", str(full), "search", "--json", "diabetic", "nerve", "pain", "-n", "5", home=tmp_path)
    titles = [hit["article"]["title"] for hit in json.loads(found.stdout)["results"]]
    assert "Diabetic Nerve Problems" in titles
    shown = sccli("--data", str(full), "show", "diabetic-nerve-problems", home=tmp_path)
    text = " ".join(shown.stdout.split())
    assert CREDIT in text and "NIH: National Institute of Diabetes and Digestive and Kidney Diseases" in text
    assert "NIH: National" not in text.split("Sources")[0].split("Summary", 1)[-1]  # a source, not text


@needs_fts5
@pytest.mark.parametrize("packing", ["zip", "gzip", "plain"])
def test_detected_from_the_content_not_the_name(tmp_path: Path, packing: str) -> None:
    target = tmp_path / "topics.data"  # no telling extension
    if packing == "zip":
        with zipfile.ZipFile(target, "w") as archive:
            archive.write(SAMPLE, "mplus_topics_2012-07-21.xml")
    elif packing == "gzip":
        target.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    else:
        target.write_bytes(SAMPLE.read_bytes())
    result = sccli("--data", str(target), "list", "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [article["id"] for article in json.loads(result.stdout)["articles"]] == ["abdominal-pain", "dolor-abdominal"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'<?xml version="1.0"?>\n<health-topics>\n  <health-topic title="x">\n</health-topics>',
            "not well-formed XML at line 4, column 3",
        ),
        (b"<rss><channel/></rss>", "a <rss> document, not MedlinePlus health topics"),
        (b"<definition-page title='x'><term-group><term>x</term></term-group></definition-page>", "no <term-group>"),
        (
            b"<health-topics><health-topic title='x'><full-summary>&lt;p&gt;x&lt;/p&gt;</full-summary>"
            b"</health-topic>" * 2 + b"</health-topics>",
            "not well-formed XML at line 1",
        ),
        (b"<health-topics date-generated='01/01/2024'></health-topics>", "no health topic with a summary"),
        (b"PK\x03\x04broken", "a damaged zip file"),
        (b"\x1f\x8b\x08broken", "a damaged gzip file"),
    ],
    ids=["malformed", "rss", "no-definitions", "two-roots", "empty", "bad-zip", "bad-gzip"],
)
def test_a_broken_file_is_one_clear_error_naming_the_file_and_place(
    tmp_path: Path, content: bytes, message: str
) -> None:
    target = tmp_path / "topics.xml"
    target.write_bytes(content)
    result = sccli("--data", str(target), "list", home=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {target}: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_summary_html_is_parsed_never_passed_through(tmp_path: Path) -> None:
    summary = (
        "&lt;p&gt;Plain words &lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold &lt;i&gt;unclosed"
        "&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;li&gt;two&lt;/ul&gt;&lt;p&gt;&#x202E;red&#x9B;31m&lt;/p&gt;"
        "&lt;p&gt;&lt;a href='javascript:alert(2)'&gt;a link&lt;/a&gt;&lt;/p&gt;"
    )
    xml = (
        '<health-topics date-generated="06/06/2024 00:00:00"><health-topic title="Test &lt;b&gt;Topic"'
        f' url="javascript:alert(3)" language="English"><full-summary>{summary}</full-summary>'
        "</health-topic></health-topics>"
    )  # (XML 1.0 allows no ESC at all; a bidi override and a C1 control it does)
    target = tmp_path / "topics.xml"
    target.write_text(xml, encoding="utf-8")
    (article,) = load_library(target).articles
    texts = [block.text for block in article.sections[0].blocks if hasattr(block, "text")]
    items = [item.text for block in article.sections[0].blocks if hasattr(block, "items") for item in block.items]
    assert texts[0] == "Plain words bold unclosed" and "alert(1)" not in " ".join(texts)
    assert items == ["one", "two"] and texts[1] == "red"  # cleaned like a JSON file's text (a C1 CSI goes whole)
    assert texts[2] == "a link"
    assert article.title == "Test <b>Topic" and article.sources[0].url is None  # shown as text; no javascript: URL


def test_a_definitions_file_is_a_glossary(tmp_path: Path) -> None:
    result = sccli("--data", str(DEFINITIONS), "define", "blood pressure", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.startswith("Blood Pressure\n")
        and "Source: National Heart, Lung, and Blood Institute" in result.stdout
    )
    result = sccli("--data", str(DEFINITIONS), "define", "--json", home=tmp_path)
    terms = json.loads(result.stdout)["glossary"]
    assert len(terms) == 18 and not any(term["term"].startswith(">") for term in terms)
    result = sccli("--data", str(DEFINITIONS), "show", home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: There are no articles here, only glossary entries.")


@pytest.mark.parametrize("packing", ["gzip", "zip"])
def test_an_archive_that_unpacks_past_the_limit_is_refused(
    packing: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    from sccli import medlineplus
    from sccli.errors import DataError

    monkeypatch.setattr(medlineplus, "MAX_BYTES", 1000)
    xml = SAMPLE.read_bytes()
    if packing == "gzip":
        packed = gzip.compress(xml)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("topics.xml", xml)
        packed = buffer.getvalue()
    with pytest.raises(DataError, match=r"^x: unpacks to more than the 0 MiB limit"):
        medlineplus.read_library(packed, "x")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<ul>",
                "<li>",
                "</ul>",
                "<h3>",
                "</h3>",
                "<a href='x'>",
                "<",
                ">",
                "&amp;",
                "&#",
                "<script>",
                "</script>",
                "<!--",
                "-->",
                "<p",
                "word ",
                "\u202e",
                "\n",
            ]
        ),
        max_size=40,
    )
)
def test_any_summary_html_reads_or_is_one_clear_error(pieces: list[str]) -> None:
    """Broken HTML in a summary is read as a browser would, never passed through and never a crash."""
    from xml.sax.saxutils import escape

    from sccli.errors import DataError
    from sccli.medlineplus import read_library

    xml = (
        '<health-topics date-generated="06/06/2024"><health-topic title="T" language="English">'
        f"<full-summary>{escape(''.join(pieces))} closing words</full-summary></health-topic></health-topics>"
    )
    try:
        library = read_library(xml.encode(), "t.xml")
    except DataError as error:
        assert str(error).startswith("t.xml: ")
        return
    text = json.dumps(msgspec.to_builtins(library.articles[0].sections))
    assert "<script" not in text and "<p>" not in text and "\u202e" not in text


def test_a_file_named_xml_that_is_neither_xml_nor_json_says_what_its_name_promised(tmp_path: Path) -> None:
    from sccli.errors import DataError

    garbage = tmp_path / "topics.xml"
    garbage.write_bytes(b"\x00\x01 not a MedlinePlus file")
    with pytest.raises(DataError, match=r"topics.xml: is not XML, nor a zip or gzip file holding it"):
        load_library(garbage)
    json_inside = tmp_path / "library.xml"  # the content decides, not the name
    json_inside.write_bytes((Path(__file__).parent / "fixtures" / "articles.json").read_bytes())
    assert load_library(json_inside).articles
