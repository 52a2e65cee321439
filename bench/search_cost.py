#!/usr/bin/env python3
"""What a search costs on a real library of 5,483 articles, against the packaged library.

Usage (sccli installed in the running Python's environment, ``../shared`` beside
the repository):

    .venv/bin/python bench/search_cost.py            # 15 interleaved rounds
    .venv/bin/python bench/search_cost.py --runs 31

For each query it runs ``sccli --data medquad.json search QUERY`` (the cache
warm) and ``sccli search QUERY`` on the packaged library, one after the other,
``--runs`` times, and reports the medians of the CPU time each process used
(user + system, from ``wait4``) and their ratio. The queries are fixed: words
of known frequency in MedQuAD and two questions in a reader's words.

Budget (from the relevance issue): warm ``search`` on MedQuAD at most 1.3x the
same search on the packaged library, by the median ratio over the queries.
The script exits with status 1 when it is missed.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCCLI = str(Path(sys.executable).parent / "sccli")
BUDGET = 1.3

QUERIES = [
    "neuropathy",  # in a few hundred MedQuAD sections
    "symptoms",  # a heading of half the articles
    "infection",
    "What are the treatments for diabetic nerve pain ?",
    "how is celiac disease diagnosed",
]


def cpu(argv: list[str], env: dict[str, str]) -> float:
    """Run a command; return the CPU time (user + system) it used, in seconds."""
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with status {os.waitstatus_to_exitcode(status)}")
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="interleaved rounds per query (default 15)")
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared", help="the shared folder")
    args = parser.parse_args()
    source = args.shared / "relevance" / "medquad.json.gz"
    if not source.is_file():
        print(f"error: no {source}; use --shared PATH", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="sccli-cost-"))
    try:
        data = work / "medquad.json"
        data.write_bytes(gzip.decompress(source.read_bytes()))
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "NO_COLOR": "1"}
        subprocess.run([SCCLI, "--data", str(data), "index"], env=env, check=True, capture_output=True)
        print("| query | packaged, ms CPU | MedQuAD, ms CPU | ratio |\n|---|---:|---:|---:|")
        ratios = []
        for query in QUERIES:
            small, large = [], []
            for _ in range(args.runs):
                small.append(cpu([SCCLI, "search", query], env))
                large.append(cpu([SCCLI, "--data", str(data), "search", query], env))
            ratio = statistics.median(large) / statistics.median(small)
            ratios.append(ratio)
            small_ms, large_ms = statistics.median(small) * 1000, statistics.median(large) * 1000
            print(f"| {query} | {small_ms:.1f} | {large_ms:.1f} | {ratio:.2f} |")
        overall = statistics.median(ratios)
        print(f"\nMedian ratio {overall:.2f} (budget {BUDGET}); {args.runs} interleaved runs per query.")
        print(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs; Python {platform.python_version()}.")
        return 0 if overall <= BUDGET else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
