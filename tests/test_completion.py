"""Shell completion through Typer's completion variables, as bash, zsh and fish ask for it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE_DATA, sccli_executable


def complete(shell: str, line: str, *, env: dict[str, str] | None = None) -> list[str]:
    """The completions a shell gets for the command line ``line`` (completing its last word)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("_SCCLI", "_TYPER", "COMP_", "SCCLI_DATA"))}
    environment.update(env or {})
    environment["_SCCLI_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        words = line.split(" ")
        environment.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        environment["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            environment["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run([sccli_executable()], env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    if shell == "zsh":
        return (
            [part.strip("\"'") for part in result.stdout.split("((", 1)[-1].split("))", 1)[0].split()]
            if "((" in result.stdout
            else []
        )
    return [line.split("\t")[0] for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_article_ids(shell: str) -> None:
    assert complete(shell, "sccli show living") == ["living-with-a-stimulator"]
    assert set(complete(shell, "sccli risks scs")) == {"scs-for-neuropathy", "scs-trial-and-implant"}
    assert complete(shell, "sccli search pain --article kinds") == ["kinds-of-stimulation"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_section_ids_of_the_article_already_typed(shell: str) -> None:
    assert complete(shell, "sccli show living-with-a-stimulator --section dr") == ["driving"]
    assert complete(shell, "sccli show --section how") == ["how-it-works"]  # the first article


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_glossary_terms(shell: str) -> None:
    assert complete(shell, "sccli define pares") == ["paresthesia"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_search_completes_glossary_words_never_file_names(shell: str, tmp_path: Path) -> None:
    (tmp_path / "paresthesia-notes.txt").write_text("a file that must not be offered")
    assert complete(shell, "sccli search pares") == ["paresthesia", "paresthesias"]
    assert complete(shell, "sccli search zzzq") == ["zzzq"]  # the word itself: bash would offer files for none


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_data_after_the_command_is_the_data_in_use_too(shell: str, tmp_path: Path) -> None:
    cache = {"XDG_CACHE_HOME": str(tmp_path)}
    assert complete(shell, f"sccli show --data {FIXTURE_DATA} a", env=cache) == ["alpha-article"]
    assert complete(shell, f"sccli define --data={FIXTURE_DATA} ti", env=cache) == ["tingling"]


@pytest.mark.parametrize("shell", ["bash", "fish"])
def test_completions_come_from_the_data_in_use(shell: str, tmp_path: Path) -> None:
    cache = {"XDG_CACHE_HOME": str(tmp_path)}
    assert complete(shell, f"sccli --data {FIXTURE_DATA} show a", env=cache) == ["alpha-article"]
    assert complete(shell, "sccli show b", env={**cache, "SCCLI_DATA": str(FIXTURE_DATA)}) == ["beta-article"]
    assert complete(shell, f"sccli --data {FIXTURE_DATA} define ti", env=cache) == ["tingling"]


def test_a_broken_data_file_gives_no_completions_and_no_noise(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert complete("bash", f"sccli --data {bad} show a", env={"XDG_CACHE_HOME": str(tmp_path)}) == []


@pytest.mark.parametrize(
    ("shell", "installed"),
    [
        ("bash", ".bash_completions/sccli.sh"),
        ("zsh", ".zfunc/_sccli"),
        ("fish", ".config/fish/completions/sccli.fish"),
    ],
)
def test_install_completion(shell: str, installed: str, tmp_path: Path) -> None:
    # Typer detects the user's shell from the process tree; its own test switch lets us name one.
    environment = {**os.environ, "HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = subprocess.run(
        [sccli_executable(), "--install-completion", shell], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    script = (tmp_path / installed).read_text()
    assert "_SCCLI_COMPLETE" in script


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_libraries_and_name_slash_id(shell: str, tmp_path: Path) -> None:
    config = tmp_path / "config" / "sccli"
    config.mkdir(parents=True)
    sample = Path(__file__).parent / "fixtures" / "medlineplus" / "mplus_topics_2012-07-21.xml"
    (config / "libraries.ini").write_text(f"[old]\npath = {sample}\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert complete(shell, "sccli show abdominal", env=env) == ["abdominal-pain"]
    assert complete(shell, "sccli show old/", env=env) == ["old/abdominal-pain", "old/dolor-abdominal"]
    assert complete(shell, "sccli show sccli/liv", env=env) == ["sccli/living-with-a-stimulator"]
    assert complete(shell, "sccli --library o", env=env) == ["old"]
    assert complete(shell, "sccli --library old show d", env=env) == ["dolor-abdominal"]  # it names it there
    assert complete(shell, "sccli library remove ", env=env) == ["old"]
