"""The index cache of a user's data file: reuse, rebuilds, damage, and many processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import sccli_executable, settled
from sccli.cli import app
from sccli.search.cache import cache_path, open_index
from sccli.search.store import fts5_available

pytestmark = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")


@pytest.fixture
def data(tmp_path: Path, fixture_data: Path) -> Path:
    path = tmp_path / "mine.json"
    path.write_bytes(fixture_data.read_bytes())
    return settled(path)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "sccli"


def _index(runner: CliRunner, data: Path, *args: str) -> dict:
    result = runner.invoke(app, ["--data", str(data), "index", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_first_run_builds_the_cache_and_later_runs_reuse_it(runner: CliRunner, data: Path, cache: Path) -> None:
    first = _index(runner, data)
    assert first["built"] is True and first["articles"] == 2
    assert first["cache"] == str(cache_path(cache, data))
    assert Path(first["cache"]).is_file()
    again = _index(runner, data)
    assert again["built"] is False and again["cache"] == first["cache"]
    assert _index(runner, data, "--rebuild")["built"] is True


def test_commands_read_the_cache_not_the_json(
    runner: CliRunner, data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _index(runner, data)
    data_bytes = data.read_bytes()

    def refuse(*args, **kwargs):
        raise AssertionError("the data file was parsed again")

    monkeypatch.setattr("sccli.search.cache.open_library", refuse)
    monkeypatch.setattr("sccli.data.open_library", refuse)
    for args in (
        ["show", "beta"],
        ["list"],
        ["sections"],
        ["related"],
        ["search", "tingling"],
        ["risks"],
        ["show", "ALPHA"],
    ):
        result = runner.invoke(app, ["--data", str(data), *args])
        assert result.exit_code == 0, (args, result.output)
    assert data.read_bytes() == data_bytes  # sccli never writes to the data file


def test_a_changed_file_is_noticed_even_with_the_same_size_and_an_old_mtime(
    runner: CliRunner, data: Path, cache: Path
) -> None:
    _index(runner, data)
    before = os.stat(data)
    text = data.read_text()
    changed = text.replace("tingling in the feet", "tangling in the feet")
    assert len(changed) == len(text)
    time.sleep(0.01)
    data.write_text(changed)
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))  # set mtime back
    assert os.stat(data).st_size == before.st_size
    result = runner.invoke(app, ["--data", str(data), "search", "tangling"])
    assert result.exit_code == 0, result.output
    assert "**tangling**" in result.stdout


def test_a_corrupt_cache_file_is_rebuilt(runner: CliRunner, data: Path, cache: Path) -> None:
    target = Path(_index(runner, data)["cache"])
    target.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["--data", str(data), "search", "tingling"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_a_truncated_cache_file_is_rebuilt(runner: CliRunner, data: Path, cache: Path) -> None:
    target = Path(_index(runner, data)["cache"])
    target.write_bytes(target.read_bytes()[:2000])
    assert runner.invoke(app, ["--data", str(data), "list"]).exit_code == 0
    assert _index(runner, data)["built"] is False


def test_an_unwritable_cache_folder_falls_back_to_memory(
    runner: CliRunner, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    result = runner.invoke(app, ["--data", str(data), "search", "tingling"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    report = _index(runner, data)
    assert report["cache"] == "memory" and report["built"] is True


def test_bad_data_leaves_no_cache_behind(runner: CliRunner, data: Path, cache: Path) -> None:
    document = json.loads(data.read_text())
    document["articles"][1]["id"] = "alpha-article"
    data.write_text(json.dumps(document))
    result = runner.invoke(app, ["--data", str(data), "list"])
    assert result.exit_code == 1
    assert "the article id 'alpha-article' is used twice" in result.stderr
    assert list(cache.glob("*")) == []


def test_leftovers_of_a_killed_build_are_cleared(data: Path, cache: Path) -> None:
    cache.mkdir(parents=True)
    leftover = cache / (cache_path(cache, data).name + ".abc123.tmp")
    leftover.write_bytes(b"half a database")
    old = time.time() - 7200
    os.utime(leftover, (old, old))
    open_index(data, cache)
    assert not leftover.exists()


def test_problems_are_said_when_the_file_is_indexed_not_on_every_run(
    runner: CliRunner, data: Path, cache: Path
) -> None:
    document = json.loads(data.read_text())
    document["articles"][1]["related"] = ["gone"]
    document["articles"][1]["sources"] = []
    data.write_text(json.dumps(document))
    settled(data)
    warnings = ("Warning: article 'beta-article' lists 'gone' as related", "lists no sources: 'beta-article'")
    first = runner.invoke(app, ["--data", str(data), "show", "beta"])
    assert first.exit_code == 0 and all(warning in first.stderr for warning in warnings)
    again = runner.invoke(app, ["--data", str(data), "show", "beta"])  # from the cache
    assert again.exit_code == 0 and again.stderr == ""
    index = runner.invoke(app, ["--data", str(data), "index"])  # what the index holds, problems included
    assert all(warning in index.stderr for warning in warnings)


def test_index_of_the_packaged_library(runner: CliRunner) -> None:
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0
    assert "indexed in memory on each run" in result.stdout


def test_index_reports_in_words(runner: CliRunner, data: Path, cache: Path) -> None:
    result = runner.invoke(app, ["--data", str(data), "index"])
    assert " ".join(result.stdout.split()).startswith(f"Indexed 2 articles from {data} into {cache_path(cache, data)}")
    result = runner.invoke(app, ["--data", str(data), "index"])
    assert " ".join(result.stdout.split()).startswith(f"The index of {data} is up to date (2 articles)")


def test_eight_processes_on_a_cold_cache_all_succeed(data: Path, tmp_path: Path) -> None:
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cold")}
    processes = [
        subprocess.Popen(
            [sccli_executable(), "--data", str(data), "search", "tingling", "--json"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert stderr == ""
        assert json.loads(stdout)["results"][0]["section"]["id"] == "overview"
    folder = tmp_path / "cold" / "sccli"
    assert [path.name for path in folder.iterdir()] == [cache_path(folder, data).name]
    _, built = open_index(data, folder)
    assert built is None  # the one file left is valid


def test_a_full_disk_while_building_falls_back_to_memory(
    runner: CliRunner, data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("sccli.search.cache._build_file", full)
    result = runner.invoke(app, ["--data", str(data), "search", "tingling"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "**tingling**" in result.stdout
    assert _index(runner, data)["cache"] == "memory"


def _many(fixture: dict, count: int) -> dict:
    """``count`` copies of the fixture's first article, each with its own id."""
    template = fixture["articles"][0]
    return {**fixture, "articles": [dict(template, id=f"a-{n}", related=[]) for n in range(count)]}


@pytest.mark.parametrize("batch", [None, 3])
def test_a_build_of_several_batches_puts_every_unit_in_its_place(
    runner: CliRunner, data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, batch: int | None
) -> None:
    """Batches are indexed by a second thread while the next is read: every hit must still
    name its own article, section and item, and its snippet must show its own text.
    Batches of 3 make the threads take turns hundreds of times."""
    from sccli.search import store

    if batch is not None:
        monkeypatch.setattr(store, "BATCH", batch)
        monkeypatch.setattr(store, "MAX_BATCH", batch)
    count = 1037
    document = _many(json.loads(data.read_text()), count)
    last = document["articles"][-1] = json.loads(json.dumps(document["articles"][-1]))
    section = next(section for section in last["sections"] if any(b["type"] == "list" for b in section["blocks"]))
    items = next(block for block in section["blocks"] if block["type"] == "list")["items"]
    items[-1]["text"] = "Only this item mentions a zeppelin."
    ids = [f"a-{n}" for n in range(count)]
    ids[100] = document["articles"][100]["id"] = "a-100-the-longest-id"
    data.write_text(json.dumps(document))

    result = runner.invoke(app, ["--data", str(data), "search", "zeppelin", "--json"])
    assert result.exit_code == 0, result.output
    [hit] = json.loads(result.stdout)["results"]
    assert (hit["article"]["id"], hit["section"]["id"], hit["item"]["number"]) == (
        f"a-{count - 1}",
        section["id"],
        len(items),
    )
    assert hit["snippet"] == "Only this item mentions a zeppelin."
    listed = runner.invoke(app, ["--data", str(data), "list", "--json"])
    assert [entry["id"] for entry in json.loads(listed.stdout)["articles"]] == ids
    shown = runner.invoke(app, ["--data", str(data), "show", "a-501", "--json"])
    assert json.loads(shown.stdout)["article"]["id"] == "a-501"
    # What the build recorded for `list`, which does not count the rows again.
    from sccli.catalog import DatabaseCatalog

    recorded = DatabaseCatalog(store.open_database(_index(runner, data)["cache"]))
    assert (recorded.count(), recorded.id_width()) == (count, len("a-100-the-longest-id"))


def test_batches_grow_and_shrink_again_near_the_end_of_a_file() -> None:
    """The last batch is indexed while nothing else happens: near the end of a file batches
    shrink to half of what is left (issue 16: a faster cold build)."""
    from sccli.search.store import BATCH, MAX_BATCH, _next_batch

    assert _next_batch(BATCH, BATCH, None) == 2 * BATCH
    assert _next_batch(MAX_BATCH, 10 * MAX_BATCH, None) == MAX_BATCH
    assert _next_batch(MAX_BATCH, 10 * MAX_BATCH, 0.5) == MAX_BATCH  # far from the end
    assert _next_batch(MAX_BATCH, 2 * MAX_BATCH, 0.8) == 1000
    assert _next_batch(1000, 19_000, 0.95) == 500
    assert _next_batch(BATCH, 19_950, 0.9975) == BATCH  # never below BATCH
    assert _next_batch(1000, 1000, 1.0) == 2000  # read whole before indexing (MedlinePlus): no end to foresee
    # A file read evenly: batches rise to MAX_BATCH and fall again; the last is small.
    total, count, batch, sizes = 40_000, 0, BATCH, []
    while count < total:
        batch = min(batch, total - count)
        sizes.append(batch)
        count += batch
        batch = _next_batch(batch, count, count / total)
    assert max(sizes) == MAX_BATCH and sizes[-1] <= BATCH and len(sizes) < 20


def test_a_data_error_after_several_batches_leaves_no_cache_behind(runner: CliRunner, data: Path, cache: Path) -> None:
    from sccli.search.store import BATCH

    document = _many(json.loads(data.read_text()), BATCH * 2 + 10)
    document["articles"][BATCH * 2 + 5]["id"] = "a-3"
    data.write_text(json.dumps(document))
    result = runner.invoke(app, ["--data", str(data), "list"])
    assert result.exit_code == 1
    assert "the article id 'a-3' is used twice" in result.stderr
    assert list(cache.glob("*")) == []


def test_a_disk_that_fills_up_mid_build_means_an_index_in_memory(
    runner: CliRunner, data: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite reports a full disk from whichever thread writes: the build falls back to memory."""
    from sccli.search import cache as cache_module
    from sccli.search.store import BATCH, connect

    def small_disk(database: str, **options):
        conn = connect(database, **options)
        if database != ":memory:" and "mode=ro" not in database:
            conn.execute("PRAGMA max_page_count = 40")  # about 160 kB
        return conn

    monkeypatch.setattr(cache_module, "connect", small_disk)
    data.write_text(json.dumps(_many(json.loads(data.read_text()), BATCH * 3)))
    result = runner.invoke(app, ["--data", str(data), "index", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert (report["cache"], report["articles"]) == ("memory", BATCH * 3)
    assert list(cache.glob("*.tmp")) == []


def test_an_error_in_the_indexing_thread_reaches_the_reading_thread() -> None:
    import sqlite3

    from sccli.search.store import _Indexer, connect

    interval = sys.getswitchinterval()
    conn = connect(":memory:")  # no staging table: the indexer's statement fails
    indexer = _Indexer(conn)
    try:
        indexer.start()
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            indexer.wait()
        indexer.wait()  # reported once
    finally:
        indexer.close()
    assert sys.getswitchinterval() == interval  # the interpreter is left as it was


@pytest.mark.slow
def test_a_long_build_shows_a_progress_bar_on_a_terminal_only(data: Path, tmp_path: Path) -> None:
    from test_pager import run_on_terminal

    document = _many(json.loads(data.read_text()), 4000)
    data.write_text(json.dumps(document))
    assert data.stat().st_size > 4 * 1024 * 1024  # big enough to take a while
    environment = {"XDG_CACHE_HOME": str(tmp_path / "terminal")}
    status, screen = run_on_terminal(["--data", str(data), "index"], environment)
    assert status == 0, screen
    assert "Indexing articles" in screen
    assert "Indexed 4,000 articles" in screen

    piped = subprocess.run(
        [sccli_executable(), "--color", "always", "--data", str(data), "index", "--rebuild"],
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "pipe")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""  # no bar in a log, even with --color always
    assert "Indexed 4,000 articles" in piped.stdout
