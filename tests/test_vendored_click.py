"""sccli/_click.py: the one place that imports Typer's private copy of Click."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest
import typer

SRC = Path(__file__).resolve().parent.parent / "src" / "sccli"


def _shim() -> ModuleType:
    try:
        return importlib.import_module("sccli._click")
    except ImportError as error:
        pytest.fail(f"Typer {typer.__version__} moved its vendored Click: update sccli/_click.py ({error})")


def test_typer_still_has_the_click_names_sccli_uses() -> None:
    shim = _shim()
    missing = [name for name in shim.__all__ if not hasattr(shim, name)]
    assert not missing, f"Typer {typer.__version__} moved its vendored Click: update sccli/_click.py ({missing})"


def test_they_are_the_click_that_typer_runs() -> None:
    shim = _shim()
    message = f"Typer {typer.__version__} moved its vendored Click: update sccli/_click.py"
    assert issubclass(typer.Context, shim.Context), message
    assert issubclass(typer.BadParameter, shim.ClickException), message
    assert shim.get_current_context(silent=True) is None, message  # outside a command


def test_nothing_else_imports_typers_private_modules() -> None:
    offenders = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if path.name != "_click.py" and "typer._" in path.read_text(encoding="utf-8")
    ]
    assert offenders == [], "import Typer's private modules only in sccli/_click.py"
