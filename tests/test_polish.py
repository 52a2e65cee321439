"""A reader's polish (issue 15), observed as a user sees it: the installed entry point,
a pseudo-terminal, parsed pages and, where one is installed, a real browser."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from test_pager import run_on_terminal
from typer.testing import CliRunner

from conftest import FIXTURE_DATA, sccli_executable
from sccli.cli import app

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def sccli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("SCCLI_DATA", "SCCLI_THEME")}
    environment.update({"COLUMNS": "80", **(env or {})})
    return subprocess.run([sccli_executable(), *args], capture_output=True, text=True, env=environment, timeout=60)


# The terminal --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "before"),
    [
        (["show", "living", "--no-pager"], ["--no-pager", "show", "living"]),
        (["search", "mri", "--color", "never"], ["--color", "never", "search", "mri"]),
        (["search", "mri", "--color=never", "-n", "2"], ["--color=never", "search", "mri", "-n", "2"]),
        (["sections", "living", "--width", "40"], ["--width", "40", "sections", "living"]),
        (["show", "--theme", "dark", "--plain"], ["--theme", "dark", "--plain", "show"]),
        (["list", "--data", str(FIXTURE_DATA)], ["--data", str(FIXTURE_DATA), "list"]),
        (["define", "lead", "--pager"], ["--pager", "define", "lead"]),
    ],
)
def test_global_options_work_after_the_command_too(after: list[str], before: list[str], tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    late, early = sccli(*after, env=env), sccli(*before, env=env)
    assert late.returncode == 0, late.stderr
    assert (late.stdout, late.stderr) == (early.stdout, early.stderr)


def test_a_word_after_double_dash_is_never_an_option() -> None:
    result = sccli("search", "--", "--width")
    assert "Invalid value" not in result.stderr and "No such option" not in result.stderr


@pytest.mark.parametrize(
    ("args", "first", "command"),
    [
        (["show", "--no-such"], "Error: No such option: --no-such", "sccli show"),
        (["nosuch"], "Error: No such command 'nosuch'.", "sccli"),
        (["search"], "Error: Missing argument 'QUERY...'.", "sccli search"),
        (
            ["search", "x", "--limit", "0"],
            "Error: Invalid value for '--limit' / '-n': 0 is not in the range",
            "sccli search",
        ),
        (["--color", "purple", "show"], "Error: Invalid value for '--color'", "sccli"),
        (["export", "-o", "a.txt", "-f", "html"], "Error: --format html does not match the file name", "sccli export"),
        (["help", "nosuch"], "Error: No such command 'nosuch'.", "sccli help"),
    ],
)
def test_a_usage_error_is_one_error_line_and_one_line_of_help(args: list[str], first: str, command: str) -> None:
    result = sccli(*args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith(first)
    assert lines[1] == f"Try '{command} --help' for help."


@pytest.mark.parametrize("args", [["--help"], ["show", "--help"], ["search", "--help"], ["export", "--help"]])
def test_help_fits_80_columns_and_cuts_nothing_off(args: list[str]) -> None:
    result = sccli(*args)
    assert result.returncode == 0
    assert "…" not in result.stdout and "╭" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    if args == ["--help"]:
        assert "--install-completion" in result.stdout and "<auto|always|never>" in result.stdout


@pytest.mark.parametrize("command", [None, "search", "export"])
def test_sccli_help_is_command_help(command: str | None) -> None:
    words = [command] if command else []
    assert sccli("help", *words).stdout == sccli(*words, "--help").stdout


def test_help_loads_no_rich_at_all() -> None:
    """--help is Click's plain text: it loads neither Rich's Markdown nor its tracebacks (it cost 2.2x)."""
    code = "import sys; from sccli.cli import main; sys.argv = ['sccli', '--help']; main()"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, timeout=60
    )
    loaded = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert not {name for name in loaded if name == "rich" or name.startswith("rich.")}


def test_an_invalid_theme_in_the_environment_is_a_warning_and_the_default() -> None:
    result = sccli("sections", "living", env={"SCCLI_THEME": "neon"})
    assert result.returncode == 0
    assert result.stderr == "Warning: SCCLI_THEME=neon is not a theme (default, light, dark); using the default.\n"
    assert result.stdout == sccli("sections", "living").stdout
    assert sccli("--theme", "neon", "show").returncode == 2  # typed on the command line: a usage error


@pytest.mark.parametrize("how", [["--plain"], ["TERM=dumb"]])
def test_plain_mode_draws_no_boxes_or_rules_at_the_terminal_s_width(how: list[str]) -> None:
    args = [arg for arg in how if "=" not in arg]
    env = dict(arg.split("=", 1) for arg in how if "=" in arg)
    status, screen = run_on_terminal([*args, "--no-pager", "show", "living"], env, rows=40, columns=120)
    assert status == 0
    assert not set("╭╮╰╯│─━") & set(screen)
    assert "\x1b[" not in screen
    assert max(len(line) for line in screen.splitlines()) > 80  # the terminal's width, not a pipe's 80
    assert "Urgent: When to get help now" in screen  # set apart by words, as in a pipe


@pytest.mark.parametrize("theme", ["default", "light", "dark"])
def test_editorial_notes_are_never_dim(theme: str) -> None:
    status, screen = run_on_terminal(["--no-pager", "--theme", theme, "show"], {}, rows=200)
    assert status == 0
    notes = [line for line in screen.splitlines() if "Editorial note" in line]
    assert notes and not any("\x1b[2m" in line for line in notes)


def test_color_never_on_a_terminal_still_marks_search_matches() -> None:
    status, screen = run_on_terminal(["--color", "never", "search", "neuropathy", "-n", "1"], {}, rows=60)
    assert status == 0
    assert "**neuropathy**" in screen.lower() and "\x1b[" not in ESCAPE.sub("", screen).replace("\x1b]", "")


# Finding things ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "living with"], "Error: No article called 'living with'. Did you mean: living-with-a-stimulator?"),
        (
            ["show", "living", "-s", "nope"],
            "Error: No section in 'living-with-a-stimulator' called 'nope'. Its sections: settings, charging, mri,",
        ),
        (["show", "foo"], "Error: No article called 'foo'. Run 'sccli list' to see every article."),
        (["define", "qqqq"], "Error: No glossary entry for 'qqqq'. Run 'sccli define' to see every entry."),
    ],
)
def test_every_not_found_names_the_closest_matches_or_where_to_see_them(args: list[str], message: str) -> None:
    result = sccli(*args)
    assert result.returncode == 1
    assert result.stderr.startswith(message)


@pytest.mark.parametrize(
    ("word", "entry"),
    [("pins and needles", "paresthesia"), ("neuropathic", "neuropathy"), ("paresthesias", "paresthesia")],
)
def test_define_finds_entries_through_aliases_synonyms_and_word_forms(word: str, entry: str) -> None:
    result = sccli("define", word)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == entry


def test_define_lists_terms_a_to_z_each_with_its_first_sentence() -> None:
    lines = [line for line in sccli("define").stdout.splitlines() if line.startswith("• ")]
    terms = [line[2:].split(" — ")[0] for line in lines]
    assert terms == sorted(terms, key=str.casefold) and len(terms) > 20
    assert all(" — " in line for line in lines)


def test_search_says_how_many_it_shows_of_how_many_match(runner: CliRunner) -> None:
    first = runner.invoke(app, ["search", "pain"]).stdout.splitlines()[0]
    shown, total = map(int, re.fullmatch(r"Showing (\d+) of (\d+) sections matching 'pain'", first).groups())  # type: ignore[union-attr]
    assert shown == 10 and total > 10
    everything = runner.invoke(app, ["search", "pain", "-n", "1000"]).stdout.splitlines()[0]
    assert everything == f"{total} sections matching 'pain'"


def test_a_section_lists_the_sources_its_header_promises(runner: CliRunner) -> None:
    out = runner.invoke(app, ["show", "living", "--section", "mri"]).stdout
    count = int(re.search(r"and (\d+) more \(listed at the end\)", " ".join(out.split())).group(1))  # type: ignore[union-attr]
    assert "\nSources\n" in out
    assert re.search(rf"^\s+{count + 1}\. ", out, re.MULTILINE)


# Export --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [("handout.html", "<!DOCTYPE html>"), ("notes.md", "# "), ("notes.markdown", "# "), ("copy.txt", "Effective")],
)
def test_export_takes_the_format_from_the_file_name(tmp_path: Path, name: str, start: str) -> None:
    target = tmp_path / name
    result = sccli("export", "-o", str(target), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith(start)


def test_export_writes_no_terminal_hints_into_a_file(tmp_path: Path) -> None:
    for name in ("a.md", "a.html"):
        target = tmp_path / name
        sccli("export", "painful", "-o", str(target))
        assert "sccli show" not in target.read_text(encoding="utf-8")


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _chromium(tmp_path: Path, *args: str) -> None:
    """Run the browser headless, offline, with a profile of the test's own."""
    quiet = ["--no-first-run", "--disable-background-networking", "--disable-component-update"]
    command = [str(BROWSER), "--headless", "--no-sandbox", "--disable-gpu", *quiet]
    subprocess.run([*command, f"--user-data-dir={tmp_path / 'profile'}", *args], capture_output=True, timeout=120)


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason="no Chromium here to look at the page")
@pytest.mark.parametrize("width", [390, 1280])
def test_the_html_export_renders_in_a_real_browser_at_phone_and_desktop_widths(tmp_path: Path, width: int) -> None:
    page = tmp_path / "living.html"
    assert sccli("export", "living", "-o", str(page)).returncode == 0
    shot = tmp_path / f"shot-{width}.png"
    _chromium(tmp_path, f"--window-size={width},1600", f"--screenshot={shot}", page.as_uri())
    assert shot.exists() and _png_size(shot) == (width, 1600)
    pdf = tmp_path / "living.pdf"
    _chromium(tmp_path, f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_index_counts_in_words(tmp_path: Path) -> None:
    import json

    data = json.loads(FIXTURE_DATA.read_text(encoding="utf-8"))
    data["articles"] = data["articles"][:1]
    data["articles"][0]["related"] = []
    path = tmp_path / "one.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = sccli("--data", str(path), "index", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert "Indexed 1 article from" in " ".join(result.stdout.split())


@pytest.mark.parametrize("path", ["cache", "memory", "pipe"])
def test_a_files_glossary_is_kept_on_every_path(tmp_path: Path, path: str) -> None:
    """Through its cache file, indexed in memory (no cache folder), and read from a pipe."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache") if path != "memory" else "/dev/null/no-such-folder"}
    data = str(FIXTURE_DATA) if path != "pipe" else "/dev/stdin"
    for args in (["define", "pins and needles"], ["show", "alpha", "--explain"], ["define", "--json"]):
        command = [sccli_executable(), "--data", data, *args]
        with open(FIXTURE_DATA, "rb") as stdin:
            result = subprocess.run(
                command, stdin=stdin, capture_output=True, text=True, env={**os.environ, **env}, timeout=60
            )
        assert result.returncode == 0, (args, result.stderr)
        assert "A prickly feeling." in result.stdout or '"definition": "A prickly feeling."' in result.stdout
