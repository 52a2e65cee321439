"""Never a traceback: untrusted data files, hostile text, odd environments.

Every case runs the installed ``sccli`` in a subprocess, as a user would,
and checks the exit status, stdout and stderr.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_DATA, sccli_executable
from sccli.data import MAX_BYTES
from sccli.errors import ExitStatus

FIXTURE = json.loads(FIXTURE_DATA.read_text())


def sccli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, **kwargs
) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "SCCLI_DATA", "SCCLI_DEBUG")
    }
    environment.update(env or {})
    return subprocess.run(
        [sccli_executable(), *args], env=environment, cwd=cwd, capture_output=True, timeout=60, **kwargs
    )


def _with(change) -> bytes:
    data = json.loads(json.dumps(FIXTURE))
    change(data)
    return json.dumps(data).encode()


def _set(path: str, value):
    def change(data):
        target = data
        keys = path.split("/")
        for key in keys[:-1]:
            target = target[int(key) if key.isdigit() else key]
        last = keys[-1]
        target[int(last) if last.isdigit() else last] = value

    return change


BAD_FILES = {
    "empty": (b"", "the file is empty"),
    "invalid utf-8": (b'{"schema_version": 1, "articles": ["\xff\xfe"]}', "not UTF-8 text at line 1, column 37"),
    "truncated": (FIXTURE_DATA.read_bytes()[:500], "the file ends too soon"),
    "invalid json": (b'{"schema_version": 1, "articles": [,]}', "not valid JSON at line 1, column 36"),
    "nested thousands deep": (
        b'{"schema_version": 1, "articles": ' + b"[" * 20000 + b"]" * 20000 + b"}",
        "nested too deeply",
    ),
    "NaN": (b'{"schema_version": 1, "articles": [{"id": NaN}]}', "NaN and Infinity are not JSON numbers"),
    "Infinity": (b'{"schema_version": Infinity}', "NaN and Infinity are not JSON numbers"),
    "wrong type": (
        _with(_set("articles/0/sections/1/blocks/0/text", 7)),
        "at articles[0].sections[1].blocks[0].text: expected `str`, got `int`",
    ),
    "missing field": (
        _with(lambda d: d["articles"][1].pop("summary")),
        "at articles[1]: object missing required field `summary`",
    ),
    "duplicate article id": (
        _with(_set("articles/1/id", "alpha-article")),
        "the article id 'alpha-article' is used twice",
    ),
    "duplicate section id": (
        _with(_set("articles/0/sections/1/id", "overview")),
        "the section id 'overview' is used twice",
    ),
    "duplicate glossary id": (_with(_set("glossary/1/id", "tingling")), "the glossary id 'tingling' is used twice"),
    "duplicate key": (
        FIXTURE_DATA.read_bytes().replace(
            b'"title": "Beta: living with tests"', b'"title": "Beta", "title": "Beta: living with tests"', 1
        ),
        "at articles[1]: the key `title` appears twice in one object",
    ),
    "no articles": (b'{"schema_version": 1, "articles": []}', "at articles: expected `array` of length >= 1"),
    "not an object": (b"[1, 2]", "at the top level: expected `object`, got `array`"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_data_file_is_one_sentence_and_status_1(case: str, tmp_path: Path) -> None:
    content, message = BAD_FILES[case]
    path = tmp_path / "data.json"
    path.write_bytes(content)
    result = sccli("--data", str(path), "list")
    assert result.returncode == 1, result.stderr
    assert result.stdout == b""
    stderr = result.stderr.decode()
    assert stderr.startswith(f"Error: {path}: ") and stderr.count("\n") == 1, stderr
    assert message in stderr
    assert path.read_bytes() == content  # never written to


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.json", "no such file."),
        (lambda tmp: tmp, "no Markdown notes (.md files) in this folder."),
        (lambda tmp: Path("/dev/zero"), "is a device, not a data file."),
        (lambda tmp: Path("/proc/self/mem"), "cannot be read"),
    ],
    ids=["missing", "folder", "/dev/zero", "unreadable"],
)
def test_paths_that_are_not_data_files(make, message: str, tmp_path: Path) -> None:
    path = make(tmp_path)
    started = time.monotonic()
    result = sccli("--data", str(path), "show")
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"Error: {path}: ") and message in result.stderr.decode()


def test_a_file_over_the_size_limit_is_refused_at_once(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: takes no disk space
    started = time.monotonic()
    result = sccli("--data", str(huge), "list")
    assert time.monotonic() - started < 5
    assert result.returncode == 1
    assert f"larger than the {MAX_BYTES // 2**20} MiB limit" in result.stderr.decode()


@pytest.mark.slow
def test_hundreds_of_megabytes_of_nothing_fail_fast(tmp_path: Path) -> None:
    blank = tmp_path / "zeros.json"
    with open(blank, "wb") as handle:
        handle.truncate(300 * 2**20)  # 300 MB of NUL bytes
    started = time.monotonic()
    result = sccli("--data", str(blank), "list")
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert "not valid JSON at line 1, column 1" in result.stderr.decode()


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE_DATA.read_bytes())
    result = sccli("--data", str(path), "list")
    assert result.returncode == 0 and result.stdout.startswith(b"alpha-article")


def test_a_dangling_related_id_warns_and_the_rest_works(tmp_path: Path) -> None:
    path = tmp_path / "dangling.json"
    path.write_bytes(_with(_set("articles/1/related", ["alpha-article", "nowhere"])))
    result = sccli("--data", str(path), "related", "beta")
    assert result.returncode == 0
    assert b"alpha-article" in result.stdout
    assert (
        result.stderr.decode()
        == "Warning: article 'beta-article' lists 'nowhere' as related, but no article has that id.\n"
    )


HOSTILE = "[bold red]x[/] [link=https://evil.example]y[/link] :thumbs_up: \\[z] "


def _hostile_library(tmp_path: Path) -> Path:
    unsafe = (
        "A\x1b[31mred\x1b[0m B\x1b]0;title\x07 C\x1b]52;c;SGVsbG8=\x07 D\x07\x08\r E\x1b F\x9b31m G\x85 "
        "H\u202eevil\u202c I\u2066x\u2069 J\ud800 K\tL\nM"
    )
    data = json.loads(json.dumps(FIXTURE))
    alpha = data["articles"][0]
    alpha["title"] = HOSTILE + unsafe
    alpha["sections"][0]["heading"] = HOSTILE
    alpha["sections"][0]["blocks"][0]["text"] = unsafe + " tingling " + "x" * 300 + " 👩‍👩‍👧 e\u0301 עברית مرحبا"
    alpha["sections"][2]["blocks"][0]["items"][0]["label"] = HOSTILE
    alpha["sections"][0]["blocks"][0]["notes"][0]["text"] = HOSTILE + unsafe
    alpha["sources"][0]["url"] = "javascript:alert(1)"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))  # ensure_ascii: the surrogate is written as \\ud800
    return path


@pytest.mark.parametrize("force_color", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize(
    "command", [["show", "alpha"], ["risks"], ["search", "tingling"], ["list"], ["show", "--json"]]
)
def test_text_in_data_is_shown_as_written_and_never_controls_the_terminal(
    tmp_path: Path, command: list[str], force_color: bool
) -> None:
    path = _hostile_library(tmp_path)
    result = sccli("--data", str(path), *command, env={"FORCE_COLOR": "1"} if force_color else {})
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    if "--json" not in command:
        assert "[bold red]x[/]" in out and ":thumbs_up:" in out and "\\[z]" in out
    if force_color:
        own = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", out)  # sccli's own styling and http(s) links
        assert "\x1b" not in own
        assert "javascript:" not in re.sub(r"[^\x1b]*", "", out)  # no hyperlink to a non-http URL
    else:
        assert "\x1b" not in out
    for bad in ("\x07", "\x08", "\r", "\x9b", "\x85", "\u202e", "\u2066", "]52;", "]0;title"):
        assert bad not in out, repr(bad)
    assert result.stderr == b""


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    result = sccli("--data", str(_hostile_library(tmp_path)), "show", "alpha")
    assert "J\ufffd" in result.stdout.decode()


@pytest.mark.parametrize(
    "env",
    [
        {"LANG": "C", "LC_ALL": "C"},
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"TERM": "dumb"},
        {"COLUMNS": "0"},
        {"COLUMNS": "1"},
        {"COLUMNS": "20"},
        {"COLUMNS": "nonsense"},
        {"COLUMNS": "100000"},
    ],
    ids=lambda env: " ".join(f"{k}={v}" for k, v in env.items()),
)
def test_odd_environments_render_every_word(tmp_path: Path, env: dict[str, str]) -> None:
    path = _hostile_library(tmp_path)
    for command in (["show", "alpha"], ["show", "beta"], ["search", "tingling"], ["define", "lead"]):
        result = sccli("--data", str(path), *command, env=env)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stderr == b""
    beta = sccli("--data", str(path), "show", "beta", env=env).stdout.decode("utf-8", "replace")
    words = " ".join(beta.split())
    for expected in (
        "Beta: living with tests",
        "Charging the battery takes an hour. Neuropathic pain may change.",
        "General information, not medical advice.",
    ):
        assert expected in words


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    result = subprocess.run(
        f"'{sccli_executable()}' show | head -n 1; echo \"status ${{PIPESTATUS[0]}}\"",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[0].startswith("Effective Relief")
    assert result.stdout.splitlines()[-1] == "status 0"
    assert result.stderr == ""


EVERY_COMMAND = [
    "--help",
    "--version",
    "show",
    "show --json",
    "list",
    "search pain",
    "sections",
    "related",
    "define",
    "risks",
    "benefits",
    "export",
    "index",
    "search --help",
]


@pytest.mark.parametrize("command", EVERY_COMMAND)
@pytest.mark.parametrize(
    ("redirect", "reason"),
    [("> /dev/full", "No space left on device"), (">&-", "standard output is closed")],
    ids=["full", "closed"],
)
def test_a_full_or_closed_stdout_is_one_line_and_status_1(command: str, redirect: str, reason: str) -> None:
    if redirect == "> /dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    result = subprocess.run(
        f"'{sccli_executable()}' {command} {redirect}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (1, f"Error: cannot write the output ({reason}).\n")


def test_a_closed_stdout_does_not_stop_a_command_that_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    result = subprocess.run(
        f"'{sccli_executable()}' export -o '{target}' >&-",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# ")


def _big_corpus(tmp_path: Path, articles: int = 4000) -> Path:
    template = FIXTURE["articles"][0]
    data = {"schema_version": 1, "articles": [dict(template, id=f"a-{n}", related=[]) for n in range(articles)]}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0, 0.005, 0.02, 0.05, 0.3, 0.6, 0.9, 1.2, 1.6])
def test_ctrl_c_ends_with_130_and_no_traceback(tmp_path: Path, delay: float) -> None:
    """Interrupted while starting, reading the data or building the index: always 130, always quiet.

    Two things come before any of sccli's code, and sccli cannot change what they do:

    * Python's start-up. A Ctrl-C before Python has installed its SIGINT handler kills
      the process by the signal, as it would any program: the status is -SIGINT, which a
      shell reports as 130 too, and nothing is printed. After that, and until the script
      runs, Python itself reports it (``Fatal Python error: init_import_site``, status 1).
    * The ``sccli`` script that pip writes: ``import re`` (a few milliseconds), then the
      import of ``sccli._entry``. A Ctrl-C there is Python's own traceback and -SIGINT.

    Those runs are reported as expected failures, with what Python printed; a traceback
    that passes through a file of sccli is a failure. tests/test_entry_point.py checks,
    without timing, that nothing is imported before ``sccli._entry.main`` can catch Ctrl-C.
    """
    path = _big_corpus(tmp_path, 40000)
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sccli_executable(), "--data", str(path), "index", "--rebuild"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # As at a terminal: a test run started in the background of a script (`pytest &`)
        # passes Ctrl-C on as ignored, and Python then leaves it ignored.
        preexec_fn=_default_sigint,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    message = stderr.decode(errors="replace")
    if ("Traceback" in message or "Fatal Python error" in message) and not _SCCLI_FRAME.search(message):
        lines = [line.strip() for line in message.strip().splitlines()]
        script = [code for line, code in itertools.pairwise(lines) if _SCRIPT_FRAME.search(line)]  # pip's bin/sccli
        shown = " | ".join([lines[0], *script[-1:], "…", *lines[-3:]])
        pytest.xfail(f"the Ctrl-C came before sccli's code ran (status {process.returncode}): {shown}")
    if process.returncode == 0:
        pytest.fail(f"the build finished within {delay} s, before the interrupt: make the corpus larger")
    assert process.returncode in (ExitStatus.CTRL_C, -signal.SIGINT), message
    assert "Traceback" not in message, message
    assert stderr == b""


#: A traceback line in one of sccli's own files, and one in the ``bin/sccli`` script pip writes.
_SCCLI_FRAME = re.compile(r'File "[^"]*[/\\]sccli[/\\][^"]*\.py"')
_SCRIPT_FRAME = re.compile(r'File "[^"]*[/\\]sccli(?:\.exe)?", line')


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_nothing_to_trip_on(tmp_path: Path) -> None:
    path = _big_corpus(tmp_path, 20000)
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for delay in (0.2, 0.6, 1.0):
        process = subprocess.Popen([sccli_executable(), "--data", str(path), "index", "--rebuild"], env=environment)
        time.sleep(delay)
        process.kill()
        process.wait()
        result = subprocess.run(
            [sccli_executable(), "--data", str(path), "search", "tingling", "--json"],
            env=environment,
            capture_output=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["results"]


def test_a_folder_where_the_cache_file_should_be_is_worked_around(tmp_path: Path) -> None:
    from sccli.search.cache import cache_path

    path = tmp_path / "data.json"
    path.write_bytes(FIXTURE_DATA.read_bytes())
    cache_path(tmp_path / "cache" / "sccli", path).mkdir(parents=True)
    result = sccli("--data", str(path), "list", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0
    assert result.stderr == b""
