"""The help and the README say what the CLI does.

Run ``python tests/test_docs.py`` to rewrite the README's tour from real output.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sccli.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TOUR = re.compile(r"<!-- tour: (?P<args>[^>]*) -->\n```text\n(?P<output>.*?)```", re.DOTALL)
COMMANDS = ["show", "risks", "benefits", "search", "list", "sections", "related", "index", "define", "export"]


def tour_output(args: str) -> str:
    """What ``sccli ARGS`` prints at 80 columns; ``ARGS | head -N`` keeps the first N lines."""
    args, _, head = args.partition(" | head -")
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "SCCLI_DATA")}
    environment["COLUMNS"] = "80"
    code = "import sys; from sccli.cli import main; sys.argv[0] = 'sccli'; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, *shlex.split(args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    if head:
        return "".join(result.stdout.splitlines(keepends=True)[: int(head)])
    return result.stdout


def rewrite_readme() -> None:
    text = README.read_text(encoding="utf-8")
    text = TOUR.sub(lambda m: f"<!-- tour: {m['args']} -->\n```text\n{tour_output(m['args'])}```", text)
    README.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"sccli {command}" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`sccli {command}" in README.read_text(encoding="utf-8")


def test_readme_tour_is_real_output() -> None:
    blocks = TOUR.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    for args, output in blocks:
        assert output == tour_output(args), f"README tour for 'sccli {args}' is stale: run python tests/test_docs.py"


def test_ci_runs_the_readme_test_command() -> None:
    readme = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "pytest" in line and line.startswith("python3 -m venv"))
    assert command in ci.splitlines()


if __name__ == "__main__":
    rewrite_readme()
