#!/usr/bin/env python3
"""What reading MedlinePlus beside the packaged library costs: adding it, and searching both.

Usage (sccli installed in the running Python's environment):

    .venv/bin/python bench/libraries.py              # 7 adds, 15 interleaved search rounds
    .venv/bin/python bench/libraries.py --adds 9 --runs 21

The MedlinePlus file is the one the tests use (all 1,023 English topics of the
2024-06-06 release, ``tests/fixtures/medlineplus/``), unpacked to plain XML as
MedlinePlus serves it. Every run has config and cache folders of its own
(``XDG_CONFIG_HOME``, ``XDG_CACHE_HOME``), never the user's.

* **add**: ``sccli library add FILE`` from nothing (no config file, no cache),
  ``--adds`` times: wall time and CPU time (user + system, from ``wait4``),
  medians. It reads the file, writes the config file and builds the shared
  index of the packaged library and MedlinePlus.
* **search**: with the index warm, ``sccli search QUERY`` with MedlinePlus added
  and the same search on the packaged library alone, one after the other,
  ``--runs`` times per query: medians of CPU time and their ratio.

Budgets (from the libraries issue): ``library add`` at most 2 s (wall, median);
warm search across both at most 1.3x the packaged library alone, by the median
ratio over the queries. The script exits with status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCCLI = str(Path(sys.executable).parent / "sccli")
TOPICS = HERE.parent / "tests" / "fixtures" / "medlineplus" / "mplus_topics_2024-06-06.xml.gz"
BUDGET_ADD_SECONDS = 2.0
BUDGET_SEARCH = 1.3

QUERIES = [
    "neuropathy",
    "diabetic nerve pain",
    "pacemaker",
    "infection",
    "how is it diagnosed",
]


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return its wall time and the CPU time (user + system) it used, in seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with status {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=7, help="library add runs (default 7)")
    parser.add_argument("--runs", type=int, default=15, help="interleaved search rounds per query (default 15)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sccli-libraries-"))
    try:
        topics = work / "mplus_topics_2024-06-06.xml"
        topics.write_bytes(gzip.decompress(TOPICS.read_bytes()))
        settled = time.time() - 60  # not a file edited a moment ago (sccli would index it again next run)
        os.utime(topics, (settled, settled))
        alone = {
            **os.environ,
            "XDG_CONFIG_HOME": str(work / "alone"),
            "XDG_CACHE_HOME": str(work / "c1"),
            "NO_COLOR": "1",
        }
        both = {
            **os.environ,
            "XDG_CONFIG_HOME": str(work / "both"),
            "XDG_CACHE_HOME": str(work / "c2"),
            "NO_COLOR": "1",
        }
        for env in (alone, both):
            env.pop("SCCLI_DATA", None)

        walls, cpus = [], []
        for _ in range(args.adds):
            shutil.rmtree(work / "both", ignore_errors=True)
            shutil.rmtree(work / "c2", ignore_errors=True)
            wall, used = run([SCCLI, "library", "add", str(topics)], both)
            walls.append(wall)
            cpus.append(used)
        add_wall = statistics.median(walls)
        print("| `sccli library add` (1,023 topics, from nothing) | wall, s | CPU, s |\n|---|---:|---:|")
        print(f"| median of {args.adds} | {add_wall:.2f} | {statistics.median(cpus):.2f} |")
        print(f"| fastest, slowest | {min(walls):.2f}, {max(walls):.2f} | {min(cpus):.2f}, {max(cpus):.2f} |\n")

        print("| query | packaged alone, ms CPU | packaged + MedlinePlus, ms CPU | ratio |\n|---|---:|---:|---:|")
        ratios = []
        for query in QUERIES:
            small, large = [], []
            for _ in range(args.runs):
                small.append(run([SCCLI, "search", *query.split()], alone)[1])
                large.append(run([SCCLI, "search", *query.split()], both)[1])
            ratio = statistics.median(large) / statistics.median(small)
            ratios.append(ratio)
            print(
                f"| {query} | {statistics.median(small) * 1000:.1f} | {statistics.median(large) * 1000:.1f} "
                f"| {ratio:.2f} |"
            )
        search_ratio = statistics.median(ratios)
        print(
            f"\n`library add` median {add_wall:.2f} s (budget {BUDGET_ADD_SECONDS:.0f} s); search median ratio "
            f"{search_ratio:.2f} (budget {BUDGET_SEARCH}); {args.runs} interleaved runs per query."
        )
        print(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs; Python {platform.python_version()}.")
        return 0 if add_wall <= BUDGET_ADD_SECONDS and search_ratio <= BUDGET_SEARCH else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
