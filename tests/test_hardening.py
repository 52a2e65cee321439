"""Hostile inputs through the installed entry point, one table per kind of attack (issue 13).

Exports are inert; output grows in step with the input; ``export -o`` writes
only what it means to; the index cache is never trusted more than the data
file; a file that changes while it is read is a clear error; ordinary faults
are ordinary errors; "did you mean" has a budget.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import msgspec
import pytest
from markdown_it import MarkdownIt

from conftest import FIXTURE_DATA, sccli_executable, settled
from sccli.search.store import fts5_available

FIXTURE = json.loads(FIXTURE_DATA.read_text(encoding="utf-8"))
ARTICLE = FIXTURE["articles"][0]["id"]
NOTE_SOURCE = {"publisher": "A publisher", "title": "A title", "year": 2020}
needs_fts5 = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")
as_root = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A cache folder of this test's own."""
    return tmp_path / "cache-home"


def sccli(
    *args: str, home: Path, cwd: Path | None = None, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(home), "NO_COLOR": "1", **(env or {})}
    environment.pop("SCCLI_DATA", None)
    result = subprocess.run(
        [sccli_executable(), *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def shell(line: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run a bash command line (for umask, redirections, process substitution) with its own cache folder."""
    return subprocess.run(
        line,
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(home)},
        timeout=60,
    )


def one_error(result: subprocess.CompletedProcess[str], status: int = 1) -> str:
    """The single ``Error:`` line a failed command printed (and nothing that looks like a crash)."""
    assert result.returncode == status, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("Error: ")]) == 1, result.stderr
    assert "Traceback" not in result.stderr and "did not expect" not in result.stderr
    return next(line for line in lines if line.startswith("Error: "))


def library(tmp_path: Path, change=None, name: str = "data.json") -> Path:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(FIXTURE))
    if change is not None:
        change(data["articles"][0])
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return settled(path)


# 1. Exports are inert -------------------------------------------------------------------------

HOSTILE = [
    '<script>alert(1)</script><img src=x onerror="alert(2)">',
    '"><svg onload=alert(3)>',
    "[click](javascript:alert(4)) ![x](https://example.org/x.png)",
    "# heading\n## another\n---\n> quote\n1. list\n- item",
    "<!-- comment --> <a href='https://example.org'>a link</a> &lt;&amp;",
    "{title} {0} %s {{body}} $(whoami) `code`",
]
URLS = [
    "javascript:alert(1)",
    'https://example.org/"onmouseover="alert(1)',
    "https://ex.org/<b>x</b>",
    "data:text/html,x",
]


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:  # type: ignore[no-untyped-def]
        self.elements.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _everywhere(text: str, url: str):  # type: ignore[no-untyped-def]
    def change(article: dict) -> None:  # type: ignore[type-arg]
        article["title"] = text.replace("\n", " ")[:80]
        article["summary"] = text
        article["aliases"] = [text.replace("\n", " ")]
        section = article["sections"][0]
        section["heading"] = text.replace("\n", " ")
        section["blocks"] = [
            {"type": "paragraph", "text": text, "notes": [{"text": text, "sources": [NOTE_SOURCE]}]},
            {"type": "list", "items": [{"label": text.replace("\n", " "), "text": text}]},
        ]
        article["sources"][0].update(publisher=text.replace("\n", " "), title=text.replace("\n", " "), url=url)

    return change


ALLOWED = {"html", "head", "meta", "title", "style", "body", "article", "h1", "h2", "p", "em", "strong"}
ALLOWED |= {"ul", "ol", "li", "blockquote", "a", "br", "code"}


@needs_fts5
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("text", HOSTILE)
def test_html_export_has_no_markup_the_text_did_not(tmp_path: Path, home: Path, text: str, url: str) -> None:
    data = library(tmp_path, _everywhere(text, url))
    result = sccli("--data", str(data), "export", ARTICLE, "-f", "html", home=home)
    assert result.returncode == 0, result.stderr
    page = Page()
    page.feed(result.stdout)
    assert set(page.elements) <= ALLOWED, set(page.elements) - ALLOWED
    assert page.elements.count("style") == 1 and page.elements.count("title") == 1
    assert not [name for name, _ in page.attributes if name.startswith("on") or name in ("src", "srcset")]
    hrefs = [value or "" for name, value in page.attributes if name == "href"]
    assert all(href.startswith(("https://", "http://")) and '"' not in href and "<" not in href for href in hrefs)
    assert text[:8] in "".join(page.text)  # the text is still there, as text


@needs_fts5
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_export_has_no_structure_the_text_did_not(tmp_path: Path, home: Path, text: str, url: str) -> None:
    data = library(tmp_path, _everywhere(text, url))
    result = sccli("--data", str(data), "export", ARTICLE, "-f", "markdown", home=home)
    assert result.returncode == 0, result.stderr
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    kinds = {token.type for token in tokens} | {child.type for token in tokens for child in token.children or []}
    assert not kinds & {"html_block", "html_inline", "image", "hr", "fence", "code_block"}, kinds
    headings = [tokens[n + 1].content for n, token in enumerate(tokens) if token.type == "heading_open"]
    assert headings.count(text.replace("\n", " ")[:80].strip()) <= 1  # the title, once; no heading from the text
    assert not [heading for heading in headings if heading in ("heading", "another")]
    links = [
        child.attrs.get("href", "") for token in tokens for child in token.children or [] if child.type == "link_open"
    ]
    assert all(str(link).startswith(("https://", "http://")) for link in links), links


# 2. Output size is linear in input size ------------------------------------------------------


@needs_fts5
@pytest.mark.parametrize(
    "change",
    [
        lambda a: a["sources"][0].update(url="https://example.org/" + "u" * 200_000),
        lambda a: a["sections"][0]["blocks"][0].update(text="x" * 200_000),
        lambda a: a["sections"][0]["blocks"][0].update(text=" ".join(["word"] * 200_000)),
        lambda a: a["sections"][0]["blocks"][0].update(notes=[{"text": "note " * 100_000, "sources": [NOTE_SOURCE]}]),
    ],
    ids=["long-url", "long-word", "long-paragraph", "long-note"],
)
@pytest.mark.parametrize(
    "command",
    [
        ["--color", "always", "--no-pager", "show"],
        ["--color", "always", "--no-pager", "show", "COLUMNS=1000000000"],
        ["export", "-f", "html"],
        ["export", "-f", "markdown"],
        ["export", "-f", "text"],
    ],
    ids=["terminal", "wide-terminal", "html", "markdown", "text"],
)
def test_output_grows_in_step_with_the_input(tmp_path: Path, home: Path, change, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    data = library(tmp_path, change)
    env = dict(part.split("=", 1) for part in command if "=" in part)
    command = [part for part in command if "=" not in part]
    started = time.monotonic()
    result = sccli("--data", str(data), *command, ARTICLE, home=home, env=env)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 15
    assert len(result.stdout) < 3 * data.stat().st_size + 200_000  # the input, and a page as wide as 1000 columns


@needs_fts5
def test_a_long_query_stays_within_seconds(tmp_path: Path, home: Path) -> None:
    data = library(tmp_path)
    query = " ".join(f"word{n} neuropathy" for n in range(5000))
    started = time.monotonic()
    result = sccli("--data", str(data), "search", query, home=home)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    assert time.monotonic() - started < 10


def test_ctrl_c_stops_sqlite_work_within_a_second(tmp_path: Path) -> None:
    """SQLite would swallow a Ctrl-C that lands while it works; sccli's connections let it through."""
    script = """
import os, signal, sys, threading, time
from sccli import cli
from sccli.search.store import connect
signal.signal(signal.SIGINT, cli._on_ctrl_c)
conn = connect(":memory:")
threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
try:
    conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c").fetchone()
except BaseException as error:
    print(cli._interrupted(error), round(time.monotonic() - started, 2))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    interrupted, seconds = result.stdout.split()
    assert interrupted == "True" and float(seconds) < 1.3, result.stdout + result.stderr


# 3. sccli writes only what it means to -------------------------------------------------------


def _fifo(folder: Path) -> Path:
    path = folder / "fifo"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def _dangling(folder: Path) -> Path:
    path = folder / "link.md"
    path.symlink_to(folder / "nowhere")
    return path


PACKAGED = Path(__file__).parents[1] / "data" / "articles.json"


@pytest.mark.parametrize(
    ("target", "force", "reason"),
    [
        (lambda folder: "/dev/null", True, "is a device, not a file"),
        (lambda folder: str(_fifo(folder)), True, "is a named pipe (FIFO), not a file"),
        (lambda folder: str(_socket(folder)), True, "is a socket, not a file"),
        (lambda folder: str(_dangling(folder)), False, "is a link to a file that does not exist; add --force"),
        (lambda folder: str(folder), True, "is a folder, not a file"),
        (lambda folder: f"{folder}/", True, "names a folder; give a file name"),
        (lambda folder: f"{folder}/new/", True, "names a folder; give a file name"),
        (lambda folder: "", False, "no file name given after -o; use -o -"),
        (lambda folder: str(folder / "no" / "x.md"), False, "does not exist"),
        (lambda folder: str(folder / ("n" * 256 + ".md")), False, "cannot write there (File name too long)"),
        (lambda folder: str(PACKAGED), True, "that is a data file sccli reads"),
    ],
    ids=[
        "device",
        "fifo",
        "socket",
        "dangling-link",
        "folder",
        "folder-slash",
        "new-folder-slash",
        "empty",
        "no-folder",
        "long-name",
        "packaged",
    ],
)
def test_export_refuses_what_is_not_a_plain_file_to_write(
    tmp_path: Path, home: Path, target, force: bool, reason: str
) -> None:  # type: ignore[no-untyped-def]
    if not hasattr(os, "mkfifo") or not hasattr(socket, "AF_UNIX"):
        pytest.skip("no FIFOs or Unix sockets here")
    before = PACKAGED.read_bytes() if PACKAGED.exists() else b""
    result = sccli("export", "-o", target(tmp_path), *(["--force"] if force else []), home=home)
    assert reason in one_error(result)
    if PACKAGED.exists():
        assert PACKAGED.read_bytes() == before
    assert not list(tmp_path.glob(".sccli-*"))


def test_export_never_replaces_the_data_file_in_use(tmp_path: Path, home: Path) -> None:
    data = library(tmp_path)
    before = data.read_bytes()
    for name in (str(data), str(tmp_path / "." / "data.json")):
        assert "that is a data file sccli reads" in one_error(
            sccli("--data", str(data), "export", "-o", name, "--force", home=home)
        )
    link = tmp_path / "hard.json"
    os.link(data, link)
    assert "that is a data file sccli reads" in one_error(
        sccli("--data", str(data), "export", "-o", str(link), "--force", home=home)
    )
    assert data.read_bytes() == before


@pytest.mark.parametrize("umask", [0o077, 0o022, 0o002])
def test_a_new_export_has_the_permissions_the_umask_gives(tmp_path: Path, home: Path, umask: int) -> None:
    target = tmp_path / "out.md"
    result = shell(f"umask {umask:03o} && exec '{sccli_executable()}' export -o '{target}'", home)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, home: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("mine")
    target.chmod(0o640)
    assert sccli("export", "-o", str(target), "--force", home=home).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text().startswith("# ")


def test_force_writes_through_a_link_to_a_file_and_keeps_the_link(tmp_path: Path, home: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert sccli("export", "-o", str(link), "--force", home=home).returncode == 0
    assert link.is_symlink() and real.read_text().startswith("# ")


def test_a_name_at_the_limit_is_written(tmp_path: Path, home: Path) -> None:
    target = tmp_path / ("n" * 252 + ".md")  # 255 bytes, the usual limit
    result = sccli("export", "-o", str(target), home=home)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_dash_writes_to_stdout(home: Path) -> None:
    result = sccli("export", "-o", "-", home=home)
    assert result.returncode == 0 and result.stdout.startswith("# ")


# 4. The cache is never trusted more than the data file ---------------------------------------


def _index_file(home: Path) -> Path:
    (found,) = (home / "sccli").glob("index-*.sqlite3")
    return found


def _built(data: Path, home: Path) -> bool:
    result = sccli("--data", str(data), "index", "--json", home=home)
    assert result.returncode == 0, result.stderr
    return bool(json.loads(result.stdout)["built"])


@needs_fts5
@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_the_cache_folder_is_private_whatever_the_umask(tmp_path: Path, home: Path, umask: int) -> None:
    data = library(tmp_path)
    result = shell(f"umask {umask:03o} && exec '{sccli_executable()}' --data '{data}' index", home)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((home / "sccli").stat().st_mode) == 0o700
    assert not stat.S_IMODE(_index_file(home).stat().st_mode) & 0o077


@needs_fts5
@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_an_index_others_may_write_is_not_used(tmp_path: Path, home: Path, mode: int) -> None:
    data = library(tmp_path)
    assert _built(data, home) and not _built(data, home)
    _index_file(home).chmod(mode)
    assert _built(data, home)  # built again, as a file of this user's alone
    assert not stat.S_IMODE(_index_file(home).stat().st_mode) & 0o022


def _tamper_article(index: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Change a stored article as a hand with sqlite3 could, checksum and all."""
    import zlib

    from sccli.models import Article

    conn = sqlite3.connect(index)
    blob = conn.execute("SELECT article FROM articles ORDER BY ord LIMIT 1").fetchone()[0]
    article = msgspec.msgpack.decode(blob[4:], type=Article)
    payload = msgspec.msgpack.encode(change(article))
    conn.execute("UPDATE articles SET article = ? WHERE ord = 0", (zlib.crc32(payload).to_bytes(4, "big") + payload,))
    conn.execute("UPDATE articles SET title = title || ? WHERE ord = 0", ("\x1b]0;pwned\x07",))
    conn.commit()
    conn.close()


@needs_fts5
@pytest.mark.parametrize("command", [["show"], ["list"], ["search", "alpha"], ["sections"], ["show", "--json"]])
def test_text_read_back_from_the_cache_is_cleaned(tmp_path: Path, home: Path, command: list[str]) -> None:
    data = library(tmp_path)
    assert _built(data, home)
    _tamper_article(
        _index_file(home),
        lambda article: msgspec.structs.replace(
            article,
            title="Alpha \x1b[31mred\x1b]52;c;cHduZWQ=\x07 \u202etxt",
            summary="Sum\x1b[2Jmary \x9b31m",
        ),
    )
    result = sccli("--data", str(data), *command, home=home)
    assert result.returncode == 0, result.stderr
    for unsafe in ("\x1b", "\x07", "\x9b", "\u202e", "\\u001b", "\\u202e"):
        assert unsafe not in result.stdout + result.stderr


@needs_fts5
@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM articles; END",
        "CREATE VIEW extra AS SELECT 1",
        "CREATE TABLE extra (x)",
        "DROP INDEX articles_title_key",
        "ALTER TABLE problems RENAME TO problems_old; CREATE VIEW problems AS SELECT 'x\x1b[31m' AS message",
    ],
    ids=["trigger", "view", "table", "missing-index", "table-made-a-view"],
)
def test_a_cache_with_objects_sccli_did_not_create_is_refused(tmp_path: Path, home: Path, statement: str) -> None:
    data = library(tmp_path)
    assert _built(data, home)
    conn = sqlite3.connect(_index_file(home))
    conn.executescript(statement)
    conn.close()
    assert _built(data, home)  # refused and built again
    assert sccli("--data", str(data), "list", home=home).returncode == 0


@needs_fts5
@pytest.mark.parametrize("where", [0.2, 0.35, 0.5, 0.65, 0.8, 0.95])
@pytest.mark.parametrize("command", [["list"], ["search", "alpha"], ["show"], ["define", "--json"]])
def test_a_damaged_page_anywhere_is_rebuilt_not_reported_as_a_bug(
    tmp_path: Path, home: Path, where: float, command: list[str]
) -> None:
    data = library(tmp_path)
    expected = sccli("--data", str(data), *command, home=home)
    index = _index_file(home)
    damaged = bytearray(index.read_bytes())
    start = int(len(damaged) * where)
    for offset in range(start, min(len(damaged), start + 3000)):
        damaged[offset] ^= 0x5A
    index.write_bytes(bytes(damaged))
    index.chmod(0o600)
    result = sccli("--data", str(data), *command, home=home)
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout), result.stderr
    assert "Traceback" not in result.stderr and "did not expect" not in result.stderr


@needs_fts5
def test_a_build_just_after_an_edit_is_not_trusted_until_the_file_settles(tmp_path: Path, home: Path) -> None:
    """A "racy" edit, as git calls it: an edit within the timestamp resolution of the build."""
    data = tmp_path / "data.json"
    data.write_text(json.dumps(FIXTURE), encoding="utf-8")
    assert _built(data, home)
    assert _built(data, home)  # edited a moment ago: it could change again with the same timestamps
    settled(data)
    assert _built(data, home)  # utime changed its ctime: built once more, now settled
    assert not _built(data, home)


@needs_fts5
@pytest.mark.parametrize("how", ["stdin", "pipe"])
def test_a_data_file_from_a_pipe_leaves_no_cache_file(tmp_path: Path, home: Path, how: str) -> None:
    if how == "stdin":
        result = sccli("--data", "/dev/stdin", "list", home=home, stdin=FIXTURE_DATA.read_bytes())
    else:
        result = shell(f"'{sccli_executable()}' --data <(cat '{FIXTURE_DATA}') list", home)
    assert result.returncode == 0, result.stderr
    assert "alpha" in result.stdout
    assert not list(home.glob("**/index-*"))


# 5. A file that changes while it is read -----------------------------------------------------


@needs_fts5
def test_a_file_shortened_or_rewritten_while_it_is_read_is_never_a_crash(tmp_path: Path, home: Path) -> None:
    template = FIXTURE["articles"][1]
    articles = [dict(template, id=f"article-{n}", related=[]) for n in range(6000)]
    whole = json.dumps({"schema_version": 1, "articles": articles}).encode()
    data = tmp_path / "big.json"
    statuses = set()
    for round_ in range(6):
        data.write_bytes(whole)
        process = subprocess.Popen(
            [sccli_executable(), "--data", str(data), "index", "--rebuild"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "XDG_CACHE_HOME": str(home)},
        )
        time.sleep(0.05 * round_)
        with open(data, "r+b") as handle:  # as an editor that rewrites in place would
            handle.truncate(len(whole) // 3)
        _, err = process.communicate(timeout=120)
        statuses.add(process.returncode)
        assert process.returncode in (0, 1), (process.returncode, err)  # never killed by a signal (SIGBUS)
        assert b"Traceback" not in err and b"did not expect" not in err
    assert statuses <= {0, 1}


# 6. Ordinary faults are ordinary errors ------------------------------------------------------


def test_a_deleted_working_folder_is_no_problem(tmp_path: Path, home: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    result = shell(
        f"cd '{gone}' && rmdir '{gone}' && '{sccli_executable()}' show --json && '{sccli_executable()}' search pain",
        home,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(as_root, reason="root may enter any folder")
def test_a_data_file_in_a_folder_without_search_permission(tmp_path: Path, home: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    data = library(locked)
    locked.chmod(0o600)
    try:
        assert "permission denied" in one_error(sccli("--data", str(data), "show", home=home))
    finally:
        locked.chmod(0o700)


@pytest.mark.skipif(as_root, reason="root may write any folder")
@needs_fts5
def test_a_cache_folder_that_cannot_be_entered_means_indexing_in_memory(tmp_path: Path, home: Path) -> None:
    (home / "sccli").mkdir(parents=True)
    (home / "sccli").chmod(0o000)
    try:
        result = sccli("--data", str(library(tmp_path)), "list", home=home)
        assert result.returncode == 0, result.stderr
    finally:
        (home / "sccli").chmod(0o700)


@pytest.mark.parametrize("value", ["0", "-1", "1001", "10" * 30, "abc", ""])
def test_an_out_of_range_limit_is_a_usage_error(home: Path, value: str) -> None:
    result = sccli("search", "pain", "--limit", value, home=home)
    assert "--limit" in one_error(result, status=2)
    assert result.stderr.splitlines()[-1] == "Try 'sccli search --help' for help."


@pytest.mark.parametrize("value", ['"1"', "[1]", "1.0", "true", "null", "{}"])
def test_a_schema_version_of_the_wrong_type_says_the_type_is_wrong(tmp_path: Path, home: Path, value: str) -> None:
    text = json.dumps(FIXTURE).replace('"schema_version": 1', f'"schema_version": {value}', 1)
    data = tmp_path / "data.json"
    data.write_text(text, encoding="utf-8")
    assert "at schema_version: expected a whole number" in one_error(sccli("--data", str(data), "show", home=home))


@pytest.mark.parametrize(
    "args",
    [
        ["show", "\x1b]0;title\x07x\x1b[31m"],
        ["search", "pain\x1b[2J\u202e"],
        ["--data", "/tmp/\x1b[31mnope.json", "list"],
        ["define", "\x9b31mterm"],
        ["show", "--section", "\x1b[5mx"],
    ],
)
def test_what_is_echoed_from_a_command_line_is_cleaned(home: Path, args: list[str]) -> None:
    result = sccli(*args, home=home)
    for unsafe in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert unsafe not in result.stdout and unsafe not in result.stderr


# 7. "Did you mean" has a budget --------------------------------------------------------------


@needs_fts5
@pytest.mark.slow
def test_suggestions_for_a_long_misspelt_query_over_a_large_vocabulary_come_back_within_a_second(
    tmp_path: Path, home: Path
) -> None:
    import random
    import string

    random.seed(7)

    def word() -> str:
        return "".join(random.choice(string.ascii_lowercase) for _ in range(random.randint(6, 11)))

    template = FIXTURE["articles"][1]
    articles = []
    for n in range(3000):
        text = " ".join(word() for _ in range(40))
        section = {"id": "s", "heading": word(), "blocks": [{"type": "paragraph", "text": text}]}
        articles.append(dict(template, id=f"a-{n}", related=[], sections=[section]))
    data = tmp_path / "vocabulary.json"
    data.write_text(json.dumps({"schema_version": 1, "articles": articles}), encoding="utf-8")
    settled(data)
    assert sccli("--data", str(data), "index", home=home).returncode == 0
    query = " ".join(word()[:-1] + "q" for _ in range(300))  # near-misses of no word at all
    started = time.monotonic()
    result = sccli("--data", str(data), "search", query, home=home)
    assert time.monotonic() - started < 3  # start-up, search, and at most 0.4 s of spelling
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    started = time.monotonic()
    result = sccli("--data", str(data), "show", "a-" + "x" * 5000, home=home)
    assert time.monotonic() - started < 3
    one_error(result)


@needs_fts5
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_a_cache_folder_others_may_write_is_never_written_as_it_is(tmp_path: Path, home: Path, mode: int) -> None:
    """This user's own folder is made private first; one of another user's is not used at all."""
    (home / "sccli").mkdir(parents=True)
    (home / "sccli").chmod(mode)
    result = sccli("--data", str(library(tmp_path)), "index", "--json", home=home)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((home / "sccli").stat().st_mode) & 0o077 == 0


@needs_fts5
def test_dev_stdin_from_a_file_leaves_no_cache_file(home: Path) -> None:
    with open(FIXTURE_DATA, "rb") as handle:
        result = subprocess.run(
            [sccli_executable(), "--data", "/dev/stdin", "list"],
            stdin=handle,
            capture_output=True,
            text=True,
            env={**os.environ, "XDG_CACHE_HOME": str(home)},
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert not list(home.glob("**/index-*"))


@needs_fts5
def test_a_path_with_escape_sequences_is_cleaned_in_the_index_report(tmp_path: Path, home: Path) -> None:
    data = library(tmp_path, name="ok\x1b]0;pwned\x07\x1b[31mRED\u202e.json")
    for args in (["index"], ["index", "--json"]):
        result = sccli("--data", str(data), *args, home=home)
        assert result.returncode == 0, result.stderr
        for unsafe in ("\x1b", "\x07", "\u202e"):
            assert unsafe not in result.stdout


@pytest.mark.parametrize(
    "text",
    ["    indented like code\n\n    more", "\tafter a tab", "&#60;script&#62; &lt;b&gt; &amp;", "line\n    indented"],
)
def test_markdown_export_keeps_indents_and_entities_as_text(tmp_path: Path, home: Path, text: str) -> None:
    data = library(tmp_path, lambda a: a["sections"][0].update(blocks=[{"type": "paragraph", "text": text}]))
    result = sccli("--data", str(data), "export", ARTICLE, home=home)
    tokens = MarkdownIt("commonmark").parse(result.stdout)
    assert not {"code_block", "fence"} & {token.type for token in tokens}
    page = Page()
    page.feed(MarkdownIt("commonmark").render(result.stdout))
    shown = " ".join("".join(page.text).split())
    assert " ".join(text.split()) in shown  # as written, entities and all (indents aside)


def test_a_usage_error_is_what_the_readme_says(home: Path) -> None:
    result = sccli("show", "living", "--no-such", home=home)
    assert result.returncode == 2 and result.stdout == ""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"$ sccli show living --no-such\n{result.stderr}```" in readme


@needs_fts5
@pytest.mark.parametrize("name", ["q?z", "h#x", "p%41"])
def test_a_cache_folder_with_uri_characters_in_its_path_works(tmp_path: Path, name: str) -> None:
    home = tmp_path / name
    data = library(tmp_path)
    assert _built(data, home) and not _built(data, home)  # built into the file, then reused
    assert [path.name for path in tmp_path.iterdir() if path.name not in (name, "data.json")] == []


@needs_fts5
def test_an_own_cache_folder_others_may_write_is_made_private_again(tmp_path: Path, home: Path) -> None:
    """What an older sccli left under umask 002 (0775) is repaired, not given up on."""
    (home / "sccli").mkdir(parents=True)
    (home / "sccli").chmod(0o775)
    data = library(tmp_path)
    result = sccli("--data", str(data), "index", "--json", home=home)
    assert json.loads(result.stdout)["cache"] != "memory"
    assert stat.S_IMODE((home / "sccli").stat().st_mode) == 0o700


def test_a_title_with_template_words_does_not_break_the_page(tmp_path: Path, home: Path) -> None:
    data = library(tmp_path, lambda a: a.update(title="Pain {body} {title} relief"))
    page = sccli("--data", str(data), "export", ARTICLE, "-f", "html", home=home).stdout
    assert "<title>Pain {body} {title} relief</title>" in page
    assert page.count("</article>") == 1 and "{body}</article>" not in page


def test_with_stderr_closed_errors_never_reach_stdout(home: Path) -> None:
    result = shell(f"'{sccli_executable()}' show no-such-article --json 2>&-", home)
    assert result.returncode == 1 and result.stdout == ""


def _set_meta(index: Path, key: str, value: str | None) -> None:
    """Change a figure a build recorded, as a hand with sqlite3 could (None: delete it)."""
    conn = sqlite3.connect(index)
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        assert conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key)).rowcount == 1
    conn.commit()
    conn.close()


@needs_fts5
@pytest.mark.parametrize("value", [None, "", "-1", "1e3", "\uff11\uff12", "7 rows", "9" * 5000])
@pytest.mark.parametrize(
    ("command", "key"), [(["list"], "articles"), (["list"], "id_width"), (["index", "--json"], "articles")]
)
def test_counts_the_build_recorded_are_read_and_a_damaged_one_means_a_rebuild(
    tmp_path: Path, home: Path, key: str, value: str | None, command: list[str]
) -> None:
    """`list` reads how many articles there are and the longest id from what the build
    recorded, not by reading every row (issue 16), and `index` says how many articles;
    a record gone or not a number is damage: the index is built again and the command run again."""
    data = library(tmp_path)
    expected = sccli("--data", str(data), "list", home=home)
    _set_meta(_index_file(home), key, value)
    result = sccli("--data", str(data), *command, home=home)
    assert result.returncode == 0 and "was damaged; rebuilding it" in result.stderr, result.stderr
    if command == ["list"]:
        assert result.stdout == expected.stdout
    else:
        assert json.loads(result.stdout)["articles"] == 2 and json.loads(result.stdout)["built"] is True


@needs_fts5
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("units", "many"),
        ("units", "-1"),
        ("units", "9" * 5000),
        ("units", str(2**60)),
        ("section_length", "nan"),
        ("item_length", "inf"),
        ("item_length", "long"),
    ],
)
def test_figures_for_ranking_that_are_not_numbers_mean_a_rebuild(
    tmp_path: Path, home: Path, key: str, value: str
) -> None:
    data = library(tmp_path)
    expected = sccli("--data", str(data), "search", "alpha", home=home)
    _set_meta(_index_file(home), key, value)
    result = sccli("--data", str(data), "search", "alpha", home=home)
    assert (result.returncode, result.stdout) == (0, expected.stdout)
    assert "was damaged; rebuilding it" in result.stderr, result.stderr
