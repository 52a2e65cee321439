"""Shared fixtures: a CLI runner, the tiny test library, and a pinned environment."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from sccli.data import load_library
from sccli.models import Library
from sccli.theme import THEME

FIXTURES = Path(__file__).parent / "fixtures"
_LINK_ID = re.compile(r"id=\d+;")
FIXTURE_DATA = FIXTURES / "articles.json"


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(scope="session")
def config_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config-home")  # empty: no libraries added


@pytest.fixture(autouse=True)
def pinned_environment(monkeypatch: pytest.MonkeyPatch, cache_home: Path, config_home: Path) -> None:
    """Every test sees the same terminal (80 columns, no colour settings, no data
    override), a cache folder of its own and a config folder without added
    libraries, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    for name in ("NO_COLOR", "FORCE_COLOR", "SCCLI_DATA", "TERM", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERMINAL_WIDTH", "80")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def fixture_library() -> Library:
    """The tiny test library; its records are immutable, so one copy serves every test."""
    return load_library(FIXTURE_DATA)


@pytest.fixture
def fixture_data() -> Path:
    return FIXTURE_DATA


def settled(path: Path) -> Path:
    """Date ``path`` ten seconds back, as a file edited a moment before sccli runs is not:
    the index of a file changed less than two seconds before a build is built again
    next time (a "racy" edit could keep the same timestamps)."""
    modified = path.stat().st_mtime - 10
    os.utime(path, (modified, modified))
    return path


def render_to_text(renderable, *, styled: bool = False, width: int = 80) -> str:
    """Render as sccli would, at a fixed width: plain (a pipe) or styled (a terminal)."""
    console = Console(
        file=io.StringIO(),
        width=width,
        theme=THEME,
        force_terminal=styled,
        color_system="truecolor" if styled else None,
        legacy_windows=False,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(renderable)
    return _LINK_ID.sub("id=0;", console.file.getvalue())  # hyperlink ids are random (rich's tests do the same)


def sccli_executable() -> str:
    """The installed ``sccli`` script of the Python running the tests."""
    beside = Path(sys.executable).parent / "sccli"
    if beside.exists():
        return str(beside)
    found = shutil.which("sccli")
    if found is None:
        pytest.fail("the sccli entry point is not installed; run: pip install '.[test]'")
    return found
