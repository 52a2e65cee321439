"""The pager, on a real pseudo-terminal, with a stand-in pager program."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from conftest import sccli_executable

FAKE_PAGER = """
import os, sys
data = sys.stdin.buffer.read()
with open(sys.argv[1], "wb") as out:
    out.write(data)
with open(sys.argv[1] + ".env", "w") as out:
    out.write(os.environ.get("LESS", "(unset)") + " " + " ".join(sys.argv[2:]))
"""


def run_on_terminal(args: list[str], env: dict[str, str], rows: int = 24, columns: int = 80) -> tuple[int, str]:
    """Run sccli with stdout on a pseudo-terminal of the given size; return its status and screen output."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "PAGER", "SCCLI_PAGER")
    }
    environment.update({"TERM": "xterm-256color", **env})
    process = subprocess.Popen([sccli_executable(), *args], stdin=slave, stdout=slave, stderr=slave, env=environment)
    os.close(slave)
    output = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    return process.wait(timeout=30), output.decode("utf-8", "replace")


def _fake(folder: Path, name: str) -> tuple[str, Path]:
    """A stand-in pager called ``name`` that saves what it is given, and its LESS and arguments."""
    script = folder / name
    script.write_text(f"#!{sys.executable}\n{FAKE_PAGER}")
    script.chmod(0o755)
    paged = folder / "paged.txt"
    return f"{script} {paged}", paged


@pytest.fixture
def pager(tmp_path: Path) -> tuple[str, Path]:
    return _fake(tmp_path, "less")


def test_long_output_on_a_terminal_opens_less_with_colour_and_git_s_less_settings(pager) -> None:
    command, paged = pager
    status, screen = run_on_terminal(["show"], {"SCCLI_PAGER": command}, rows=20)
    assert status == 0
    text = paged.read_text()
    assert "Effective Relief for Neuropathy" in text
    assert "\x1b[1m" in text  # styles kept
    assert "Effective Relief" not in screen  # it went to the pager, not the screen
    assert Path(f"{paged}.env").read_text() == "FRX -R"  # as git: LESS=FRX when unset; -R keeps the colour


def test_the_users_less_setting_is_kept(pager) -> None:
    command, paged = pager
    run_on_terminal(["show"], {"SCCLI_PAGER": command, "LESS": "-i"}, rows=20)
    assert Path(f"{paged}.env").read_text() == "-i -R"


def test_a_pager_not_known_to_show_colour_gets_plain_text(tmp_path: Path) -> None:
    command, paged = _fake(tmp_path, "more")
    status, _ = run_on_terminal(["show"], {"SCCLI_PAGER": command}, rows=20)
    assert status == 0
    text = paged.read_text()
    assert "Effective Relief for Neuropathy" in text and "\x1b[" not in text
    assert Path(f"{paged}.env").read_text() == "(unset) "  # and no less settings


SLOW_PAGER = """
import signal, sys, time
sys.stdin.buffer.read()
signal.signal(signal.SIGINT, lambda *_: open(sys.argv[1], "a").write("ctrl-c "))
time.sleep(1.5)
open(sys.argv[1], "a").write("done")
"""


def test_ctrl_c_inside_the_pager_is_the_pager_s_and_sccli_waits_for_it(tmp_path: Path) -> None:
    """As with git and man: Ctrl-C goes to the pager (less ends a search with it); sccli does not
    exit under a pager that still owns the terminal, and ends when the pager does, with 0."""
    script = tmp_path / "less"
    script.write_text(f"#!{sys.executable}\n{SLOW_PAGER}")
    script.chmod(0o755)
    log = tmp_path / "log.txt"
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 20, 80, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PAGER", "COLUMNS", "LINES")}
    environment.update(TERM="xterm-256color", SCCLI_PAGER=f"{script} {log}")
    before = termios.tcgetattr(slave)
    process = subprocess.Popen(
        [sccli_executable(), "show"], stdin=slave, stdout=slave, stderr=slave, env=environment, start_new_session=True
    )
    time.sleep(0.8)  # sccli has started the pager
    os.killpg(process.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C: to the whole foreground group
    assert process.poll() is None  # still waiting for the pager
    status = process.wait(timeout=30)
    after = termios.tcgetattr(slave)
    os.close(slave)
    os.close(master)
    assert status == 0
    assert log.read_text() == "ctrl-c done"
    assert after[3] == before[3]  # local modes (echo, canonical input) as they were


def test_pager_falls_back_to_pager_then_less(pager) -> None:
    command, paged = pager
    status, _ = run_on_terminal(["show"], {"PAGER": command}, rows=20)
    assert status == 0 and "Effective Relief" in paged.read_text()


def test_short_output_is_not_paged(pager) -> None:
    command, paged = pager
    status, screen = run_on_terminal(["define", "lead"], {"SCCLI_PAGER": command}, rows=60)
    assert status == 0
    assert not paged.exists()
    assert "A thin, soft wire" in screen


def test_pager_and_no_pager_force_either(pager) -> None:
    command, paged = pager
    run_on_terminal(["--pager", "define", "lead"], {"SCCLI_PAGER": command}, rows=60)
    assert "A thin, soft wire" in paged.read_text()
    paged.unlink()
    status, screen = run_on_terminal(["--no-pager", "show"], {"SCCLI_PAGER": command}, rows=20)
    assert status == 0 and not paged.exists()
    assert "Effective Relief" in screen


def test_never_in_a_pipe(pager, tmp_path: Path) -> None:
    command, paged = pager
    environment = {**os.environ, "SCCLI_PAGER": command, "LINES": "5"}
    for args in (["show"], ["--pager", "show"]):
        result = subprocess.run(
            [sccli_executable(), *args], env=environment, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0 and result.stdout.startswith("Effective Relief")
        assert not paged.exists()


def test_a_missing_pager_program_means_plain_output_and_no_error() -> None:
    status, screen = run_on_terminal(["show"], {"SCCLI_PAGER": "/no/such/pager --flag"}, rows=20)
    assert status == 0
    assert "Effective Relief" in screen and "Error" not in screen


@pytest.mark.parametrize("setting", ["SCCLI_PAGER", "PAGER"])
def test_a_pager_setting_that_cannot_be_parsed_is_a_warning_and_plain_output(setting: str) -> None:
    status, screen = run_on_terminal(["show"], {setting: 'less "unclosed', "NO_COLOR": "1"}, rows=20)
    assert status == 0
    assert f"Warning: {setting} cannot be read" in screen
    assert "Effective Relief" in screen and "Error" not in screen and "Traceback" not in screen


def _many_articles(folder: Path, count: int) -> Path:
    import json

    article = {
        "summary": "A short summary.",
        "reviewed": "2026-01-01",
        "sources": [{"publisher": "P", "title": "T"}],
        "sections": [{"id": "s", "heading": "Part", "blocks": [{"type": "paragraph", "text": "Some words here."}]}],
    }
    articles = [{"id": f"article-{n}", "title": f"Article {n}", **article} for n in range(count)]
    data = folder / "many.json"
    data.write_text(json.dumps({"schema_version": 1, "articles": articles}))
    modified = time.time() - 10  # not a file edited a moment ago (it would be indexed again)
    os.utime(data, (modified, modified))
    return data


def test_list_streams_into_the_pager_when_taller_than_the_window(pager, tmp_path: Path) -> None:
    command, paged = pager
    status, screen = run_on_terminal(["list"], {"SCCLI_PAGER": command}, rows=10)
    assert status == 0 and "living-with-a-stimulator" not in screen
    listed = paged.read_text()
    assert "scs-for-neuropathy" in listed and "questions-for-your-doctor" in listed  # every row, in order
    assert listed.index("scs-for-neuropathy") < listed.index("questions-for-your-doctor")
    paged.unlink()
    status, screen = run_on_terminal(["list"], {"SCCLI_PAGER": command}, rows=60)
    assert status == 0 and "questions-for-your-doctor" in screen  # it fits: no pager
    assert not paged.exists()


def test_a_reader_who_quits_the_pager_early_ends_the_listing(tmp_path: Path) -> None:
    data = _many_articles(tmp_path, 20000)
    subprocess.run(
        [sccli_executable(), "--data", str(data), "index"],
        capture_output=True,
        check=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    quitter = tmp_path / "less"
    quitter.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.buffer.readline()\n")  # reads one line, quits
    quitter.chmod(0o755)
    started = time.monotonic()
    status, _ = run_on_terminal(
        ["--data", str(data), "list"], {"SCCLI_PAGER": str(quitter), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    )
    assert status == 0
    assert time.monotonic() - started < 5  # the 20,000 rows are never all made (that takes far longer)


def test_list_in_a_pipe_ends_when_the_reader_does(tmp_path: Path) -> None:
    data = _many_articles(tmp_path, 20000)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    subprocess.run([sccli_executable(), "--data", str(data), "index"], capture_output=True, check=True, env=env)
    for json in ([], ["--json"]):
        started = time.monotonic()
        listing = subprocess.Popen(
            [sccli_executable(), "--data", str(data), "list", *json],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert listing.stdout is not None
        first = listing.stdout.readline()
        listing.stdout.close()
        assert listing.wait(timeout=30) == 0 and listing.stderr.read() == b""  # type: ignore[union-attr]
        assert first.startswith(b"article-0" if not json else b"{")
        assert time.monotonic() - started < 5
