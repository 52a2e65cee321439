"""A fresh ``pip install .`` into a new virtual environment works from any folder.

Slow (it builds a wheel and installs it with its dependencies), so it carries
the ``slow`` marker; CI runs it too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a wheel from the checkout and install it into a brand-new venv; return its bin folder."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=300,
    )
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    (wheel,) = wheels.glob("sccli-*.whl")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=300)
    return bin_dir


def test_installed_sccli_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(installed / "sccli"), "show"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Effective Relief for Neuropathy")
    listing = subprocess.run(
        [str(installed / "sccli"), "list", "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    packaged = json.loads((ROOT / "data" / "articles.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in json.loads(listing.stdout)["articles"]] == [a["id"] for a in packaged["articles"]]


def test_installed_package_reads_its_own_copy_of_the_data(installed: Path, tmp_path: Path) -> None:
    code = "from sccli.data import packaged_data_path as p; print(p())"
    result = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    path = Path(result.stdout.strip())
    assert path.parts[-3:] == ("sccli", "data", "articles.json")
    assert "site-packages" in path.parts
    assert (path.parent / "articles.schema.json").is_file()


def test_installed_search_reads_its_own_vocabulary(installed: Path, tmp_path: Path) -> None:
    code = "from sccli.vocabulary import vocabulary_path as p; print(p())"
    result = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert Path(result.stdout.strip()).parts[-3:] == ("sccli", "data", "vocabulary.json")
    assert "site-packages" in Path(result.stdout.strip()).parts
    search = subprocess.run(
        [str(installed / "sccli"), "search", "pins and needles", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert search.returncode == 0, search.stderr
    assert any("paresthesia" in hit["snippet"].lower() for hit in json.loads(search.stdout)["results"])


def test_installed_environment_has_no_pydantic(installed: Path) -> None:
    result = subprocess.run([str(installed / "python"), "-c", "import pydantic"], capture_output=True)
    assert result.returncode != 0, "pydantic came in as a dependency: check the Typer pin (bench/README.md)"


def test_installed_package_carries_its_license(installed: Path) -> None:
    code = "from importlib.metadata import distribution as d; print(d('sccli').read_text('licenses/LICENSE'))"
    result = subprocess.run([str(installed / "python"), "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.startswith("MIT License"), result.stderr
