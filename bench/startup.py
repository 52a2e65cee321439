#!/usr/bin/env python3
"""Measure how long sccli takes to start, against a Rich one-liner, for two Typer releases.

Usage (from the repository root; needs Python 3.10+, pip and network access to PyPI):

    python bench/startup.py            # 21 interleaved runs of each command
    python bench/startup.py --runs 41  # more runs for a quieter median
    python bench/startup.py --fresh    # rebuild the virtual environments first

It builds two virtual environments under bench/.venvs/:

* ``typer-0.28``: ``pip install .``, exactly what a user gets (Typer <0.29);
* ``typer-0.29``: sccli with the newest Typer (0.29.x), which imports
  pydantic whenever a command has parameters.

Every command runs from a temporary folder with output to /dev/null. Runs are
interleaved (one of each command, then again) so that load on a shared
machine hits them alike. The table reports medians and each median's ratio to
the Rich one-liner measured in the same environment and the same run.

Budget: ``sccli show`` in the installed environment must cost at most 2x the
Rich one-liner. The script exits with status 1 when it does not.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENVS = Path(__file__).resolve().parent / ".venvs"
BUDGET = 2.0

ENVIRONMENTS = {
    "typer-0.28": [["install", str(ROOT)]],
    "typer-0.29": [
        ["install", "--no-deps", str(ROOT)],
        ["install", "typer>=0.29,<0.30", "rich", "msgspec", "platformdirs"],
    ],
}

BASELINE = "rich one-liner"


def commands(bin_dir: Path) -> dict[str, list[str]]:
    python = str(bin_dir / "python")
    sccli = str(bin_dir / "sccli")
    return {
        BASELINE: [python, "-c", "import rich.console; rich.console.Console().print('x')"],
        "python -c pass": [python, "-c", "pass"],
        "import typer, rich": [python, "-c", "import typer, rich.console"],
        "… + msgspec": [python, "-c", "import typer, rich.console, msgspec.json"],
        "… + pydantic": [python, "-c", "import typer, rich.console; from pydantic import BaseModel, TypeAdapter"],
        "sccli --version": [sccli, "--version"],
        "sccli --help": [sccli, "--help"],
        "sccli show": [sccli, "show"],
        "sccli show --json": [sccli, "show", "--json"],
        "sccli list": [sccli, "list"],
        "sccli search neuropathy": [sccli, "search", "neuropathy"],
    }


def build(name: str, steps: list[list[str]], fresh: bool) -> Path:
    target = VENVS / name
    if fresh and target.exists():
        shutil.rmtree(target)
    bin_dir = target / "bin"
    if not (bin_dir / "sccli").exists():
        print(f"building {target} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
        for step in steps:
            subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", *step], check=True)
    return bin_dir


def version_of(bin_dir: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    return subprocess.run([str(bin_dir / "python"), "-c", code], capture_output=True, text=True).stdout.strip()


def measure(suites: dict[str, dict[str, list[str]]], runs: int) -> dict[str, dict[str, float]]:
    times: dict[str, dict[str, list[float]]] = {env: {cmd: [] for cmd in cmds} for env, cmds in suites.items()}
    environment = {k: v for k, v in os.environ.items() if k not in ("SCCLI_DATA", "FORCE_COLOR")}
    available = {env: {name: _runs(argv) for name, argv in cmds.items()} for env, cmds in suites.items()}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs + 1):
            for env, cmds in suites.items():
                for name, argv in cmds.items():
                    if not available[env][name]:
                        continue
                    start = time.perf_counter()
                    subprocess.run(
                        argv, cwd=folder, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                    )
                    times[env][name].append(time.perf_counter() - start)
    # The first round warms the file cache; it is not counted.
    return {
        env: {cmd: statistics.median(values[1:]) if values else float("nan") for cmd, values in cmds.items()}
        for env, cmds in times.items()
    }


def _runs(argv: list[str]) -> bool:
    """Whether a command succeeds at all (``import pydantic`` fails where it is not installed)."""
    return subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--fresh", action="store_true", help="rebuild the virtual environments")
    args = parser.parse_args()

    bins = {name: build(name, steps, args.fresh) for name, steps in ENVIRONMENTS.items()}
    suites = {name: commands(bin_dir) for name, bin_dir in bins.items()}
    medians = measure(suites, args.runs)

    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for name, bin_dir in bins.items():
        print(
            f"{name}: typer {version_of(bin_dir, 'typer')}, rich {version_of(bin_dir, 'rich')}, "
            f"msgspec {version_of(bin_dir, 'msgspec')}, pydantic {version_of(bin_dir, 'pydantic') or '-'}"
        )
    print(
        f"Medians of {args.runs} interleaved runs; ratio = median / median of the {BASELINE} in the same environment.\n"
    )
    names = list(ENVIRONMENTS)
    print("| command | " + " | ".join(f"{n} ms | {n} ratio" for n in names) + " |")
    print("|---|" + "---:|---:|" * len(names))
    for command in suites[names[0]]:
        cells = []
        for env in names:
            median = medians[env][command]
            if median != median:  # NaN: not installed in this environment
                cells += ["–", "–"]
            else:
                cells += [f"{median * 1000:.1f}", f"{median / medians[env][BASELINE]:.2f}"]
        print(f"| {command} | " + " | ".join(cells) + " |")

    for env in names:
        base = medians[env]["import typer, rich"]
        for library in ("msgspec", "pydantic"):
            extra = medians[env][f"… + {library}"] - base
            if extra == extra:
                print(f"{env}: importing {library} after typer and rich adds {extra * 1000:.1f} ms")

    ratio = medians["typer-0.28"]["sccli show"] / medians["typer-0.28"][BASELINE]
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"\nsccli show (as installed) costs {ratio:.2f}x the {BASELINE}: {verdict} the {BUDGET}x budget.")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
