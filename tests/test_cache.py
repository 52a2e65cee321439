"""The index cache of a user's data file: reuse, rebuilds, damage, and many processes at once."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import sccli_executable
from sccli.cli import app
from sccli.search.cache import cache_path, open_index
from sccli.search.fts import fts5_available

pytestmark = pytest.mark.skipif(not fts5_available(), reason="this Python's SQLite has no FTS5")


@pytest.fixture
def data(tmp_path: Path, fixture_data: Path) -> Path:
    path = tmp_path / "mine.json"
    path.write_bytes(fixture_data.read_bytes())
    return path


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
    for args in (["show", "beta"], ["list"], ["sections"], ["related"], ["search", "tingling"], ["risks"], ["show", "ALPHA"]):
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


def test_dangling_related_warns_from_the_cache_too(runner: CliRunner, data: Path, cache: Path) -> None:
    document = json.loads(data.read_text())
    document["articles"][1]["related"] = ["gone"]
    data.write_text(json.dumps(document))
    for _ in range(2):  # once building, once from the cache
        result = runner.invoke(app, ["--data", str(data), "show", "beta"])
        assert result.exit_code == 0
        assert "Warning: article 'beta-article' lists 'gone' as related" in result.stderr


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
            env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
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
