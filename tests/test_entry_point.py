"""The installed ``sccli`` command in a real subprocess, run from another folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import sccli_executable
from sccli.models import DISCLAIMER


def sccli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "SCCLI_DATA")}
    environment.update(env or {})
    return subprocess.run(
        [sccli_executable(), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_show_from_another_folder_prints_plain_text(tmp_path: Path) -> None:
    result = sccli("show", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Effective Relief for Neuropathy")
    assert "\x1b" not in result.stdout
    assert " ".join(result.stdout.split()).endswith(DISCLAIMER)
    assert result.stderr == ""


def test_every_packaged_article_shows(tmp_path: Path) -> None:
    ids = [a["id"] for a in json.loads(sccli("list", "--json", cwd=tmp_path).stdout)["articles"]]
    assert len(ids) >= 4
    for article_id in ids:
        result = sccli("show", article_id, cwd=tmp_path)
        assert result.returncode == 0, (article_id, result.stderr)
        assert "Sources" in result.stdout


def test_json_is_one_document_on_stdout(tmp_path: Path) -> None:
    result = sccli("search", "neuropathy", "--json", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout)["results"]


def test_errors_go_to_stderr_with_status_1(tmp_path: Path) -> None:
    result = sccli("show", "no-such-article", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "Error: No article called 'no-such-article'. Run 'sccli list' to see every article.\n"
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = sccli("list", cwd=tmp_path, env={"SCCLI_DATA": str(bad)})
    assert result.returncode == 1
    assert result.stderr == f"Error: {bad}: not valid JSON at line 1, column 2: the file ends too soon.\n"


def test_usage_error_is_status_2(tmp_path: Path) -> None:
    result = sccli("show", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "No such option" in result.stderr


def test_force_color_gives_rich_output_in_a_pipe(tmp_path: Path) -> None:
    result = sccli("list", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in result.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sccli", "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout.startswith("sccli ")


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    result = subprocess.run(
        f"'{sccli_executable()}' show | head -n 1", shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.stdout == "Effective Relief for Neuropathy- Unveiling the Truth About Spinal Cord\n"
    assert "Traceback" not in result.stderr


def test_the_console_script_imports_nothing_before_it_can_catch_ctrl_c(tmp_path: Path) -> None:
    """The script pip writes imports ``sccli._entry`` outside any ``try``: a Ctrl-C while that
    import runs would print a traceback, so it must load nothing but the two modules themselves."""
    code = (
        "import re, sys\n"  # as the script does
        "before = set(sys.modules)\n"
        "from sccli._entry import main\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sccli", "sccli._entry"]


@pytest.mark.parametrize(
    "command",
    [["show"], ["show", "--json"], ["list"], ["search", "pain"], ["--version"], ["--help"]],
)
def test_commands_import_only_what_they_need(tmp_path: Path, command: list[str]) -> None:
    """Start-up is the main cost of a reader: no command may load pydantic, and --json needs no Rich."""
    code = (
        "import sys\n"
        "from sccli.cli import app\n"
        f"try:\n    app({command!r})\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    modules = set(result.stderr.split())
    assert "pydantic" not in modules
    if "--json" in command or command == ["--version"]:
        assert "rich.console" not in modules
    if command[0] != "search":
        assert "sccli.search" not in modules
    # Without added libraries, looking for the config file costs a stat: nothing to import
    # (some releases of sccli's dependencies import configparser themselves).
    baseline = subprocess.run(
        [sys.executable, "-c", "import sys, typer, rich.console; sys.stderr.write(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stderr.split()
    assert not modules & {"platformdirs", "configparser"} - set(baseline)


def test_library_layers_do_not_import_the_cli_or_rich(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import sccli.data, sccli.lookup, sccli.search, sccli.serialize, sccli.models, sccli.errors\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    modules = set(result.stdout.split())
    assert not {m for m in modules if m.split(".")[0] in ("rich", "typer", "click")}


class _CtrlCWhileImporting:
    """A meta-path finder that raises ``error`` when ``sccli.cli`` is imported, as a Ctrl-C would."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "sccli.cli":
            raise self.error


def _wrapped_ctrl_c() -> BaseException:
    wrapped = RuntimeError("Error calling __set_name__ on 'cached_property' instance 'hostmask' in 'IPv4Interface'")
    wrapped.__cause__ = KeyboardInterrupt()  # as Python 3.10 and 3.11 report a Ctrl-C in __set_name__
    return wrapped


@pytest.mark.parametrize("error", [KeyboardInterrupt, _wrapped_ctrl_c], ids=["plain", "wrapped"])
def test_ctrl_c_while_the_cli_is_imported_ends_with_130(
    monkeypatch: pytest.MonkeyPatch, error: Callable[[], BaseException]
) -> None:
    from sccli import _entry

    monkeypatch.delitem(sys.modules, "sccli.cli", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_CtrlCWhileImporting(error()), *sys.meta_path])
    with pytest.raises(SystemExit) as ended:
        _entry.main()
    assert ended.value.code == 130
    assert ended.value.__suppress_context__  # no traceback of the interrupt behind it


@pytest.mark.parametrize("command", [["list"], ["show"], ["sections"]])
def test_commands_on_a_data_file_import_no_search_engine_and_no_libraries(
    tmp_path: Path, fixture_data: Path, command: list[str]
) -> None:
    """With a warm cache, a data file's ``list``, ``show`` and ``sections`` read the index's
    tables: the ranking and query code is for ``search``, and choosing among added libraries
    is for commands that read them (``--data`` is one file, as sccli.libraries.choose says)."""
    from sccli.data import packaged_data_path
    from sccli.libraries import choose

    assert choose(str(fixture_data), [], ("medlineplus",), None, packaged_data_path()) == str(fixture_data)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    code = (
        "import sys\n"
        "from sccli.cli import app\n"
        f"try:\n    app(['--data', {str(fixture_data)!r}, *{command!r}])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    warm = [sys.executable, "-c", code]
    subprocess.run(warm, cwd=tmp_path, env=env, capture_output=True, timeout=60, check=True)  # builds the index
    loaded = subprocess.run(warm, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60).stderr.split()
    modules = set(loaded)
    assert "sccli.search.cache" in modules  # (it did read the index)
    assert not modules & {"sccli.search.rank", "sccli.search.query", "sccli.libraries"}
