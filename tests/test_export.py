"""``sccli export``: Markdown, HTML and text that say what ``show`` says, written safely."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from sccli.cli import app
from sccli.models import DISCLAIMER


def run(runner: CliRunner, data: Path, *args: str):
    return runner.invoke(app, ["--data", str(data), "export", *args])


def _flat(text: str) -> str:
    return " ".join(text.split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            assert name != "src", (tag, name, value)  # no external assets (links to sources are fine)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_text_is_what_show_prints(runner: CliRunner, fixture_data: Path) -> None:
    exported = run(runner, fixture_data, "alpha", "--format", "text")
    shown = runner.invoke(app, ["--data", str(fixture_data), "show", "alpha"])
    assert exported.exit_code == 0
    assert exported.stdout == shown.stdout


def test_markdown_renders_the_whole_article(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "alpha", "--format", "markdown")
    assert result.exit_code == 0
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Alpha: a test article", "Overview", "Good things", "Risks", "Related articles", "Sources"]
    html = MarkdownIt("commonmark").render(result.stdout)
    text = _flat(HTMLParserText.of(html))
    for expected in (
        "A small article for tests.",
        "Reviewed 2026-01-02",
        "Alpha talks about nerve pain and tingling in the feet.",
        "Editorial note: A note on the first paragraph.",
        "Source: Note Publisher. Note source. 2023.",
        "Relief Less pain for some people.",
        "Infection An infection can happen after surgery.",
        "Editorial note: Infections are less common than this suggests.",
        "beta-article",
        "Beta: living with tests",
        "Test Publisher. A test source. 2024. https://example.org/source",
        DISCLAIMER,
    ):
        assert expected in text, expected
    assert "<ol>" in html and "<ul>" in html and "<blockquote>" in html


def test_markdown_shows_data_text_as_written(runner: CliRunner, fixture_data: Path, tmp_path: Path) -> None:
    data = json.loads(fixture_data.read_text())
    data["articles"][0]["sections"][0]["blocks"][0]["text"] = (
        "# not a heading *not bold* [not](a link) <b>x</b> 1. not a list"
    )
    path = tmp_path / "tricky.json"
    path.write_text(json.dumps(data))
    html = MarkdownIt("commonmark").render(run(runner, path, "alpha").stdout)
    assert "# not a heading *not bold* [not](a link) &lt;b&gt;x&lt;/b&gt; 1. not a list" in html


def test_html_is_one_self_contained_page(runner: CliRunner, fixture_data: Path) -> None:
    """A real web page, not a terminal printout: HTML's own headings, lists, quotes and links."""
    result = run(runner, fixture_data, "alpha", "--format", "html")
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page and "<pre" not in page
    markup = _Markup()
    markup.feed(page)
    assert not {"link", "script", "img", "iframe", "style"} & set(markup.elements[markup.elements.index("body") :])
    assert markup.elements.count("h1") == 1 and "h2" in markup.elements
    assert {"ul", "ol", "li", "blockquote"} <= set(markup.elements)
    assert ("class", "note") in markup.attributes
    assert all(value.startswith(("https://", "http://")) for name, value in markup.attributes if name == "href")
    text = _flat(HTMLParserText.of(page))
    plain = _flat(run(runner, fixture_data, "alpha", "--format", "text").stdout)
    for sentence in ("Alpha: a test article", "Editorial note:", DISCLAIMER, "Sources"):
        assert sentence in text and sentence in plain
    assert "sccli show" not in text  # a terminal's hint has no place in a page


def test_exports_say_when_an_article_is_past_its_review_date(
    runner: CliRunner, fixture_data: Path, tmp_path: Path
) -> None:
    data = json.loads(fixture_data.read_text(encoding="utf-8"))
    data["articles"][0]["next_review"] = "2001-01-01"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for format in ("markdown", "html", "text"):
        out = _flat(HTMLParserText.of(run(runner, path, data["articles"][0]["id"], "-f", format).stdout))
        assert "This article was due for review on 2001-01-01." in out, format


def test_a_long_paragraph_or_url_exports_in_step_with_its_size(
    runner: CliRunner, fixture_data: Path, tmp_path: Path
) -> None:
    """Output grows with the input, not with the input times its wrapped lines, in every format."""
    import time

    data = json.loads(fixture_data.read_text(encoding="utf-8"))
    article = data["articles"][0]
    article["sources"][0]["url"] = "https://example.org/" + "u" * 200_000
    article["sections"][0]["blocks"] = [{"type": "paragraph", "text": " ".join(["word"] * 200_000)}]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    size = path.stat().st_size
    for format in ("markdown", "html", "text"):
        started = time.process_time()
        result = run(runner, path, article["id"], "-f", format)
        assert result.exit_code == 0
        assert len(result.stdout) < 3 * size, format
        assert time.process_time() - started < 5, format
    shown = runner.invoke(app, ["--data", str(path), "--color", "always", "--no-pager", "show", article["id"]])
    assert len(shown.stdout) < 3 * size  # a terminal link is written once per line: long URLs are not links


def test_output_file_is_written_whole_and_never_replaced_without_force(
    runner: CliRunner, fixture_data: Path, tmp_path: Path
) -> None:
    target = tmp_path / "alpha.out"
    first = run(runner, fixture_data, "alpha", "-o", str(target))
    assert first.exit_code == 0 and first.stdout == ""
    assert first.stderr == f"Wrote {target} (markdown).\n"
    assert target.read_text().startswith("# Alpha: a test article")
    target.write_text("my own notes")
    again = run(runner, fixture_data, "alpha", "-o", str(target))
    assert again.exit_code == 1
    assert again.stderr == f"Error: {target} already exists; add --force to replace it.\n"
    assert target.read_text() == "my own notes"
    forced = run(runner, fixture_data, "alpha", "-o", str(target), "--force", "--format", "text")
    assert forced.exit_code == 0 and target.read_text().startswith("Alpha: a test article")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["alpha.out"]  # no temporary file left


def test_never_writes_over_the_data_file(runner: CliRunner, fixture_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_bytes(fixture_data.read_bytes())
    result = run(runner, data, "-o", str(data), "--force")
    assert result.exit_code == 1
    assert "that is a data file sccli reads" in result.stderr
    assert data.read_bytes() == fixture_data.read_bytes()


def test_an_unwritable_place_is_one_sentence(runner: CliRunner, fixture_data: Path, tmp_path: Path) -> None:
    result = run(runner, fixture_data, "-o", str(tmp_path / "no" / "such" / "folder" / "x.md"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "folder" in result.stderr and "does not exist" in result.stderr


def test_no_notes(runner: CliRunner, fixture_data: Path) -> None:
    assert "Editorial note" not in run(runner, fixture_data, "--no-notes").stdout
    assert "Editorial note" not in run(runner, fixture_data, "--no-notes", "-f", "html").stdout


class HTMLParserText(HTMLParser):
    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.parts = []
        parser.feed(html)
        return " ".join(parser.parts)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


class _Markup(HTMLParser):
    """Every element and attribute of a page, and its title text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs) -> None:
        self.elements.append(tag)
        self.attributes.extend(attrs)
        self._in_title = tag == "title"

    def handle_endtag(self, tag) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def test_html_from_hostile_data_is_inert(runner: CliRunner, fixture_data: Path, tmp_path: Path) -> None:
    """A title or a URL from a data file never becomes markup, and never reaches a format string."""
    data = json.loads(fixture_data.read_text(encoding="utf-8"))
    article = data["articles"][0]
    article["title"] = "Alpha {0} {code} <script>alert(1)</script>"
    article["sources"][0]["url"] = 'https://example.org/" onmouseover="alert(1)" x="'
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    result = run(runner, hostile, article["id"], "--format", "html")
    assert result.exit_code == 0, result.output
    page = _Markup()
    page.feed(result.stdout)
    assert page.title == "Alpha {0} {code} <script>alert(1)</script>"
    assert "script" not in page.elements
    assert not [name for name, _ in page.attributes if name.startswith("on")]
    assert [value for name, value in page.attributes if name == "href"] == []  # not a URL a browser would take
    assert "onmouseover" in _flat(HTMLParserText.of(result.stdout))  # the URL is still shown, as text


def test_markdown_from_hostile_text_has_no_structure_the_text_did_not(
    runner: CliRunner, fixture_data: Path, tmp_path: Path
) -> None:
    data = json.loads(fixture_data.read_text(encoding="utf-8"))
    article = data["articles"][0]
    hostile = (
        "# Not a heading\n1. not a list\n- nor this\n> nor a quote\n[a link](javascript:alert(1)) <script>x</script>"
    )
    article["sections"][0]["blocks"] = [{"type": "paragraph", "text": hostile}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run(runner, path, article["id"], "--format", "markdown")
    assert result.exit_code == 0, result.output
    html = MarkdownIt("commonmark").render(result.stdout)
    for unwanted in ("<script", 'href="javascript', "<li>not a list", "<li>nor this", "<h1>Not", "<p>nor a quote"):
        assert unwanted not in html
    text = _flat(HTMLParserText.of(html))
    assert (
        "# Not a heading 1. not a list - nor this > nor a quote [a link](javascript:alert(1)) <script>x</script>"
        in text
    )
