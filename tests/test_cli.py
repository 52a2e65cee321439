"""The CLI as a user meets it: output, stdout versus stderr, and exit statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sccli import __version__
from sccli.cli import app
from sccli.models import DISCLAIMER

COMMANDS = ["show", "risks", "benefits", "search", "list", "sections", "related"]


def run(runner: CliRunner, data: Path | None, *args: str, env: dict | None = None):
    prefix = ["--data", str(data)] if data is not None else []
    return runner.invoke(app, [*prefix, *args], env=env)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_show_defaults_to_the_packaged_seed_article(runner: CliRunner) -> None:
    result = run(runner, None, "show")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Effective Relief for Neuropathy- Unveiling the Truth About")
    assert "Reviewed 20" in _flat(result.stdout)
    for heading in ("How does spinal cord stimulation work for neuropathy?", "Risks and considerations"):
        assert heading in result.stdout
    assert "sccli show ID" in result.stdout and "painful-diabetic-neuropathy" in result.stdout
    assert _flat(result.stdout).endswith(DISCLAIMER)
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_show_an_article_and_one_section(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "show", "beta")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Beta: living with tests"
    assert "Source: Beta Publisher · Reviewed 2026-03-04" in result.stdout
    assert "Related articles" in result.stdout and "alpha-article" in result.stdout

    result = run(runner, fixture_data, "show", "alpha", "--section", "risks")
    assert result.exit_code == 0, result.output
    assert "Lead movement" in result.stdout
    assert "Overview" not in result.stdout
    assert _flat(result.stdout).endswith(DISCLAIMER)


def test_numbered_lists_keep_numbers_and_labels(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "show", "--section", "benefits")
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "1. Relief" in lines and "Less pain for some people." in lines
    assert "2. An item without a label." in lines


def test_lines_have_no_trailing_spaces_in_a_pipe(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "show")
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope"], "Error: No article called 'nope'. Run 'sccli list' to see every article."),
        (["show", "alpah-article"], "Error: No article called 'alpah-article'. Did you mean: alpha-article?"),
        (["show", "--section", "riks"], "Error: No section in 'alpha-article' called 'riks'. Did you mean: risks?"),
        (
            ["risks", "beta"],
            "Error: The article 'beta-article' has no list of risks. These do: alpha-article (sccli risks ID).",
        ),
        (["sections", "zzz"], "Error: No article called 'zzz'. Run 'sccli list' to see every article."),
        (["related", "zzz"], "Error: No article called 'zzz'. Run 'sccli list' to see every article."),
        (["search", "zebra"], "Error: Nothing matches 'zebra'. Try fewer or other words."),
        (
            ["search", "pain", "--article", "zzz"],
            "Error: No article called 'zzz'. Run 'sccli list' to see every article.",
        ),
        (
            ["show", "--section", "zzz"],
            "Error: No section in 'alpha-article' called 'zzz'. Its sections: overview, benefits, risks.",
        ),
        (["define", "zzzz"], "Error: No glossary entry for 'zzzz'. Run 'sccli define' to see every entry."),
    ],
)
def test_not_found_is_status_1_with_one_sentence_on_stderr(
    runner: CliRunner, fixture_data: Path, args: list[str], message: str
) -> None:
    result = run(runner, fixture_data, *args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert _flat(result.stderr) == message


def test_no_match_suggests_words_spelt_alike(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "search", "tingeling")
    assert result.exit_code == 0  # the closest word is searched instead, and stderr says so
    assert _flat(result.stderr) == "Note: No match for 'tingeling'; showing results for 'tingling'."
    result = run(runner, fixture_data, "search", "tingeling", "--exact")
    assert result.exit_code == 1
    assert _flat(result.stderr) == "Error: Nothing matches 'tingeling'. Did you mean: tingling?"
    result = run(runner, fixture_data, "search", "tingeling", "--exact", "--json")
    assert json.loads(result.stdout)["suggestions"] == ["tingling"]


def test_no_match_for_a_real_word_offers_no_word_only_spelt_like_it(runner: CliRunner) -> None:
    result = run(runner, None, "search", "I'm scared")
    assert result.exit_code == 1
    assert _flat(result.stderr) == "Error: Nothing matches 'I'm scared'. Try fewer or other words."


def test_raw_search_syntax_error_is_a_usage_error(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "search", "--raw", "NEAR(")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: 'NEAR(' is not a valid search expression (fts5: syntax error")
    result = run(runner, fixture_data, "search", "--raw", "infect* OR tingl*")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("query", ['"', "NOT", "(pain", "pain AND", "-x", "a:b", "^", "NEAR(pain", "*"])
def test_typed_query_syntax_is_never_an_error(runner: CliRunner, fixture_data: Path, query: str) -> None:
    result = run(runner, fixture_data, "search", "--", query)  # "--": a leading "-" is an option otherwise
    assert result.exit_code in (0, 1), result.output
    assert "syntax" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["show", "--bogus"], ["search"], ["search", "pain", "--limit", "0"], ["nosuchcommand"], ["list", "extra"]],
)
def test_usage_errors_are_status_2(runner: CliRunner, fixture_data: Path, args: list[str]) -> None:
    result = run(runner, fixture_data, *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Usage:" in result.stderr


def test_risks_and_benefits_show_only_their_list(runner: CliRunner) -> None:
    risks = run(runner, None, "risks")
    assert risks.exit_code == 0, risks.output
    assert "1. Device-related complications" in risks.stdout
    assert "4. Limited effectiveness" in risks.stdout
    assert "Pain relief" not in risks.stdout
    assert _flat(risks.stdout).endswith(DISCLAIMER)
    benefits = run(runner, None, "benefits")
    assert "3. Non-invasive" in benefits.stdout and "Device-related" not in benefits.stdout


def test_search_shows_where_each_hit_is_and_how_to_open_it(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "search", "nerve", "pain")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "3 sections matching 'nerve pain'"
    assert lines[2] == "1. Overview — Alpha: a test article"
    assert "Alpha talks about **nerve** **pain** and tingling" in result.stdout
    assert "sccli show alpha-article --section overview" in result.stdout


def test_search_limit_and_article(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "search", "pain", "--limit", "1", "--json")
    assert len(json.loads(result.stdout)["results"]) == 1
    result = run(runner, fixture_data, "search", "battery", "--article", "beta", "--json")
    assert {r["article"]["id"] for r in json.loads(result.stdout)["results"]} == {"beta-article"}


def test_list_sections_related(runner: CliRunner, fixture_data: Path) -> None:
    listing = run(runner, fixture_data, "list")
    assert listing.stdout.splitlines() == [
        "alpha-article  Alpha: a test article",
        "               1 min read · reading grade 4",
        "beta-article   Beta: living with tests",
        "               1 min read · reading grade 5.2",
    ]
    sections = run(runner, fixture_data, "sections")
    assert "benefits  Good things" in sections.stdout.splitlines()
    related = run(runner, fixture_data, "related", "beta")
    assert "alpha-article  Alpha: a test article" in [line.strip() for line in related.stdout.splitlines()]


def test_json_documents_have_stable_keys(runner: CliRunner, fixture_data: Path) -> None:
    def doc(*args: str) -> dict:
        result = run(runner, fixture_data, *args, "--json")
        assert result.stderr == "", result.stderr
        return json.loads(result.stdout)

    show = doc("show")
    assert list(show) == ["article", "reading", "overdue", "related", "disclaimer"]
    assert list(show["article"]) == [
        "id",
        "title",
        "summary",
        "sections",
        "reviewed",
        "next_review",
        "sources",
        "related",
        "tags",
        "aliases",
        "origin",
    ]
    assert show["article"]["origin"] is None  # set for a copy of a publisher's file (MedlinePlus)
    assert show["article"]["sections"][1]["blocks"][1] == {
        "type": "list",
        "items": [
            {"text": "Less pain for some people.", "label": "Relief", "notes": []},
            {"text": "An item without a label.", "label": None, "notes": []},
        ],
        "ordered": True,
    }
    assert show["reading"] == {"words": 41, "minutes": 1, "grade": 4.0}
    assert show["overdue"] is True and show["article"]["next_review"] == "2026-06-01"
    assert show["article"]["sections"][0]["blocks"][0]["notes"] == [
        {
            "text": "A note on the first paragraph.",
            "sources": [{"publisher": "Note Publisher", "title": "Note source", "year": 2023, "url": None}],
        }
    ]
    assert show["related"] == [{"id": "beta-article", "title": "Beta: living with tests"}]
    assert show["disclaimer"] == DISCLAIMER
    assert [s["id"] for s in doc("show", "--section", "risks")["article"]["sections"]] == ["risks"]

    risks = doc("risks")
    assert list(risks) == ["article", "section", "ordered", "items", "disclaimer"]
    assert risks["items"][0]["label"] == "Infection"
    assert risks["items"][0]["text"] == "An infection can happen after surgery."
    assert risks["items"][0]["notes"][0]["text"] == "Infections are less common than this suggests."

    assert doc("list")["articles"][1] == {
        "id": "beta-article",
        "title": "Beta: living with tests",
        "summary": "Another small article.",
        "reviewed": "2026-03-04",
        "next_review": "2099-01-01",
        "reading": {"words": 10, "minutes": 1, "grade": 5.2},
    }
    assert doc("sections")["sections"][0] == {"id": "overview", "heading": "Overview"}
    assert doc("related")["related"] == [{"id": "beta-article", "title": "Beta: living with tests"}]

    hit = doc("search", "tingling")["results"][0]
    assert list(hit) == ["article", "section", "item", "snippet", "matches", "note", "score"]
    start, end = hit["matches"][0]
    assert hit["snippet"][start:end] == "tingling"


def test_json_with_no_match_is_still_one_document_and_status_1(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "search", "zebra", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "query": "zebra",
        "corrected": None,
        "total": 0,
        "results": [],
        "suggestions": [],
    }
    assert "Nothing matches" in result.stderr


def test_data_from_the_environment(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, None, "list", env={"SCCLI_DATA": str(fixture_data)})
    assert result.stdout.startswith("alpha-article")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema_version": 1,\n "articles": [}', "not valid JSON at line 2, column 15: invalid character."),
        (
            '{"schema_version": 1, "articles": [{"id": "a", "title": 3}]}',
            "at articles[0].title: expected `str`, got `int`.",
        ),
    ],
)
def test_bad_data_file_is_one_sentence_and_status_1(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    for command in COMMANDS:
        args = [command, "pain"] if command == "search" else [command]
        result = run(runner, bad, *args)
        assert result.exit_code == 1, (command, result.output)
        assert result.stdout == ""
        assert result.stderr.startswith(f"Error: {bad}: ")
        assert result.stderr.count("\n") == 1  # one line, not wrapped
        assert message in _flat(result.stderr)
        assert "Traceback" not in result.output


def test_missing_data_file(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, tmp_path / "none.json", "list")
    assert result.exit_code == 1
    assert _flat(result.stderr) == f"Error: {tmp_path / 'none.json'}: no such file."


def test_dangling_related_id_warns_once_and_still_works(runner: CliRunner, tmp_path: Path, fixture_data: Path) -> None:
    data = json.loads(fixture_data.read_text())
    data["articles"][0]["related"] = ["beta-article", "gone"]
    path = tmp_path / "dangling.json"
    path.write_text(json.dumps(data))
    result = run(runner, path, "show")
    assert result.exit_code == 0
    assert (
        _flat(result.stderr) == "Warning: article 'alpha-article' lists 'gone' as related, but no article has that id."
    )
    assert "gone" not in result.stdout


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"sccli {__version__}\n"


def test_force_color_and_no_color(runner: CliRunner, fixture_data: Path) -> None:
    forced = run(runner, fixture_data, "list", env={"FORCE_COLOR": "1"})
    assert "\x1b[36m" in forced.stdout  # sccli.id is cyan
    plain = run(runner, fixture_data, "list", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[36m" not in plain.stdout
    assert "alpha-article" in plain.stdout


def test_width_follows_columns(runner: CliRunner) -> None:
    result = run(runner, None, "show", env={"COLUMNS": "40"})
    assert max(len(line) for line in result.stdout.splitlines()) <= 40
    wide = run(runner, None, "show", env={"COLUMNS": "160"})
    assert max(len(line) for line in wide.stdout.splitlines()) > 80


def test_no_command_prints_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_without_fts5_search_falls_back_to_a_scan(
    runner: CliRunner, fixture_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sccli.search.store.fts5_available", lambda: False)
    for data in (None, fixture_data):
        result = run(runner, data, "search", "tingling" if data else "neuropathy")
        assert result.exit_code == 0, result.output
        assert result.stderr == "Warning: this Python's SQLite has no FTS5; searching with a simple scan instead.\n"
        assert "**" in result.stdout
    result = run(runner, fixture_data, "show", "beta")
    assert result.exit_code == 0 and result.stderr == ""


def test_editorial_notes_are_shown_beside_their_item_and_can_be_hidden(runner: CliRunner, fixture_data: Path) -> None:
    shown = run(runner, fixture_data, "show", "--section", "risks")
    lines = [line.strip() for line in shown.stdout.splitlines()]
    infection = lines.index("An infection can happen after surgery.")
    assert lines[infection + 2] == "Editorial note: Infections are less common than this suggests."
    assert lines[infection + 3] == "Source: Item Publisher. Item source."
    assert lines.index("• Lead movement") > infection + 3  # the note sits with its item
    hidden = run(runner, fixture_data, "show", "--section", "risks", "--no-notes")
    assert "Editorial note" not in hidden.stdout and "Infection" in hidden.stdout
    as_json = json.loads(run(runner, fixture_data, "risks", "--no-notes", "--json").stdout)
    assert all(item["notes"] == [] for item in as_json["items"])
    assert "Editorial note" in run(runner, fixture_data, "risks").stdout
    assert "Editorial note" not in run(runner, fixture_data, "risks", "--no-notes").stdout


def test_overdue_review_is_said_plainly(runner: CliRunner, fixture_data: Path) -> None:
    overdue = run(runner, fixture_data, "show", "alpha")
    assert "This article was due for review on 2026-06-01. Some of it may be out of date." in _flat(overdue.stdout)
    assert "due for review" not in run(runner, fixture_data, "show", "beta").stdout


def test_explain_defines_the_terms_a_section_uses(runner: CliRunner, fixture_data: Path) -> None:
    plain = run(runner, fixture_data, "show", "--section", "overview")
    assert "›" not in plain.stdout
    explained = run(runner, fixture_data, "show", "--section", "overview", "--explain")
    lines = [line.strip() for line in explained.stdout.splitlines()]
    assert "› tingling: A prickly feeling." in lines
    assert "› battery: Where the power comes from." in lines  # "batteries" is an alias
    as_json = json.loads(run(runner, fixture_data, "show", "--explain", "--json").stdout)
    assert [term["id"] for term in as_json["terms"]] == ["tingling", "battery", "lead"]


def test_first_use_of_a_term_is_marked_on_a_terminal(runner: CliRunner, fixture_data: Path) -> None:
    result = run(runner, fixture_data, "show", env={"FORCE_COLOR": "1"})
    assert "\x1b[4mtingling\x1b[0m" in result.stdout
    assert result.stdout.count("\x1b[4mtingling") == 1


def test_define(runner: CliRunner, fixture_data: Path) -> None:
    one = run(runner, fixture_data, "define", "Pins and needles")
    assert one.exit_code == 0
    assert one.stdout.splitlines()[0] == "tingling"
    assert "Also: pins and needles" in one.stdout and "A prickly feeling." in one.stdout
    assert "Source: Test Publisher. Glossary source." in one.stdout
    listing = run(runner, fixture_data, "define")
    assert listing.stdout.splitlines()[:3] == [  # A to Z, each with its first sentence
        "• battery — Where the power comes from.",
        "• lead — A thin wire.",
        "• tingling — A prickly feeling.",
    ]
    missing = run(runner, fixture_data, "define", "tinglng")
    assert missing.exit_code == 1
    assert _flat(missing.stderr) == "Error: No glossary entry for 'tinglng'. Did you mean: tingling?"
    as_json = json.loads(run(runner, fixture_data, "define", "lead", "--json").stdout)
    assert as_json == {
        "id": "lead",
        "term": "lead",
        "definition": "A thin wire.",
        "source": {"publisher": "Test Publisher", "title": "Glossary source", "year": None, "url": None},
        "aliases": ["leads"],
    }
    assert len(json.loads(run(runner, fixture_data, "define", "--json").stdout)["glossary"]) == 3


def test_articles_without_sources_load_with_one_warning(runner: CliRunner, tmp_path: Path, fixture_data: Path) -> None:
    data = json.loads(fixture_data.read_text())
    for article in data["articles"]:
        article["sources"] = []
    path = tmp_path / "unsourced.json"
    path.write_text(json.dumps(data))
    result = run(runner, path, "show")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: 2 articles list no sources: 'alpha-article', 'beta-article'. Treat what they say with care.\n"
    )
    assert "No sources listed" in result.stdout


def test_an_unexpected_error_is_one_sentence_unless_debugging(
    runner: CliRunner, fixture_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self, name):
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr("sccli.catalog.LibraryCatalog.find", broken)
    monkeypatch.setattr("sccli.catalog.DatabaseCatalog.find", broken)
    result = run(runner, fixture_data, "show")
    assert result.exit_code == 1
    assert _flat(result.stderr) == (
        "Error: sccli hit a problem it did not expect (RuntimeError: the disk caught fire). "
        "Run the command again with --debug to see the details, and please report it."
    )
    assert "Traceback" not in result.output
    debugging = runner.invoke(app, ["--debug", "--data", str(fixture_data), "show"])
    assert isinstance(debugging.exception, RuntimeError)  # the traceback goes to the user
    assert "took" in debugging.stderr  # and the timing
    from_env = run(runner, fixture_data, "show", env={"SCCLI_DEBUG": "1"})
    assert isinstance(from_env.exception, RuntimeError)


def _wrapped_ctrl_c() -> BaseException:
    """A Ctrl-C as Python 3.10 and 3.11 raise it when it lands in ``__set_name__`` during an import."""
    wrapped = RuntimeError("Error calling __set_name__ on 'cached_property' instance 'hostmask' in 'IPv4Interface'")
    wrapped.__cause__ = KeyboardInterrupt()
    return wrapped


@pytest.mark.parametrize("error", [KeyboardInterrupt, _wrapped_ctrl_c], ids=["plain", "wrapped"])
def test_ctrl_c_inside_a_command_is_status_130(
    runner: CliRunner, fixture_data: Path, monkeypatch: pytest.MonkeyPatch, error: Callable[[], BaseException]
) -> None:
    def interrupted(self, name):
        raise error()

    monkeypatch.setattr("sccli.catalog.DatabaseCatalog.find", interrupted)
    result = run(runner, fixture_data, "show")
    assert result.exit_code == 130
    assert result.output == ""


def test_color_flag_overrides_the_environment(runner: CliRunner, fixture_data: Path) -> None:
    always = run(runner, fixture_data, "--color", "always", "list", env={"NO_COLOR": "1"})
    assert "\x1b[36m" in always.stdout
    never = run(runner, fixture_data, "--color", "never", "list", env={"FORCE_COLOR": "1"})
    assert "\x1b" not in never.stdout and "alpha-article" in never.stdout


def test_width_flag(runner: CliRunner) -> None:
    narrow = runner.invoke(app, ["--width", "40", "show"])
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 40
    assert runner.invoke(app, ["--width", "10", "show"]).exit_code == 2


def test_themes_use_their_own_colours(runner: CliRunner, fixture_data: Path) -> None:
    dark = run(runner, fixture_data, "--color", "always", "--theme", "dark", "list", env={"COLORTERM": "truecolor"})
    assert "\x1b[38;2;95;215;255m" in dark.stdout  # #5fd7ff
    light = run(
        runner, fixture_data, "--color", "always", "list", env={"SCCLI_THEME": "light", "COLORTERM": "truecolor"}
    )
    assert "\x1b[38;2;0;95;135m" in light.stdout  # #005f87
    assert run(runner, fixture_data, "--theme", "neon", "list").exit_code == 2
