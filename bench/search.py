#!/usr/bin/env python3
"""Measure search and show on large generated corpora, against the packaged library.

Usage (from the repository root, with sccli installed in the running Python's
environment, e.g. ``.venv/bin/python bench/search.py``):

    python bench/search.py                   # corpora of 1,000, 10,000 and 50,000 articles
    python bench/search.py --sizes 1000 10000 --runs 21

It writes the corpora to bench/.corpora/ (deterministic: the same seed gives
the same files), then for each size:

* builds the index cold (``sccli --data FILE index --rebuild --json``) and
  reports articles per second, both over the whole process (wall, with
  Python's start-up) and over the indexing that sccli reports itself, and
  the build's peak memory (max RSS of the process);
* with the cache warm, times ``sccli --data FILE search neuropathy`` and
  ``sccli --data FILE show ID`` against ``sccli search neuropathy`` and
  ``sccli show`` on the packaged library, interleaved, as medians and ratios.

Budgets (from the search issue): warm ``search`` and ``show`` on the 10,000
corpus at most 1.3x the packaged ones; a cold build indexes at least 5,000
articles a second (judged on the indexing time, at every size); peak memory
under 200 MB at 50,000 articles. The script exits with
status 1 when any budget is missed.

Generated articles are shaped like the packaged ones: about 2,000
characters of text (the packaged articles average 2,050) in four or five
sections, a labelled list in three out of four, tags, aliases, related ids
and sources. Their words come from the packaged articles'
vocabulary and from made-up words, drawn with Zipf-like weights, so that a
query word such as "neuropathy" appears in a few percent of sections, as a
real medical word would in a real library.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = HERE / ".corpora"
SCCLI = str(Path(sys.executable).parent / "sccli")

BUDGET_WARM = 1.3
BUDGET_RATE = 5000
BUDGET_RSS_MB = 200


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Words to draw from, with cumulative Zipf-like weights (rank r weighs 1 / (r + 10))."""
    packaged = json.loads((ROOT / "data" / "articles.json").read_text(encoding="utf-8"))
    text = json.dumps(packaged["articles"])
    real = sorted(set(re.findall(r"[a-z]{3,}", text.lower())))
    made_up = sorted(
        {"".join(rng.choice("abcdefghiklmnoprstuvy") for _ in range(rng.randint(4, 10))) for _ in range(30000)}
    )
    words = real + made_up
    rng.shuffle(words)
    return words, list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(words))))


def sentence(rng: random.Random, words: list[str], cumulative: list[float], length: int) -> str:
    return " ".join(rng.choices(words, cum_weights=cumulative, k=length)).capitalize() + "."


def article(rng: random.Random, number: int, count: int, words: list[str], cumulative: list[float]) -> dict[str, Any]:
    """An article of the packaged ones' shape and size: about 2,000 characters of text in
    four or five sections, with a labelled list in three articles out of four."""

    def say(low: int, high: int) -> str:
        return sentence(rng, words, cumulative, rng.randint(low, high))

    def para() -> dict[str, Any]:
        return {"type": "paragraph", "text": " ".join(say(6, 14) for _ in range(rng.randint(2, 4)))}

    sections = []
    with_list = rng.random() < 0.75
    for s in range(rng.randint(4, 5)):
        blocks = [para() for _ in range(rng.randint(1, 2))]
        if s == 2 and with_list:
            blocks.append(
                {
                    "type": "list",
                    "ordered": rng.random() < 0.5,
                    "items": [{"label": say(1, 3)[:-1], "text": say(8, 18)} for _ in range(rng.randint(2, 4))],
                }
            )
        sections.append({"id": f"section-{s + 1}", "heading": say(2, 6)[:-1], "blocks": blocks})
    return {
        "id": f"article-{number:06d}",
        "title": say(4, 9)[:-1],
        "summary": say(12, 20),
        "sections": sections,
        "reviewed": "2026-01-01",
        "sources": [{"publisher": "Generated", "title": say(4, 8), "year": 2020} for _ in range(rng.randint(2, 6))],
        "related": [f"article-{rng.randrange(count):06d}" for _ in range(3)],
        "tags": rng.choices(words[:200], k=4),
        "aliases": [say(1, 3)[:-1]],
    }


def corpus(size: int) -> Path:
    path = CORPORA / f"corpus-{size}.json"
    if path.exists():
        return path
    CORPORA.mkdir(parents=True, exist_ok=True)
    rng = random.Random(size)
    words, weights = vocabulary(rng)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write('{"schema_version": 1, "synonyms": [["nerve pain", "neuropathic pain"]], "articles": [\n')
        for number in range(size):
            if number:
                handle.write(",\n")
            handle.write(json.dumps(article(rng, number, size, words, weights)))
        handle.write("\n]}\n")
    os.replace(temporary, path)
    return path


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Run a command; return its wall time, exit status and peak RSS in KiB."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=21, help="runs of each warm command")
    parser.add_argument("--builds", type=int, default=3, help="cold builds of each corpus")
    args = parser.parse_args()

    cache_home = tempfile.mkdtemp(prefix="sccli-bench-cache-")
    env = {k: v for k, v in os.environ.items() if k not in ("SCCLI_DATA", "FORCE_COLOR")}
    env["XDG_CACHE_HOME"] = cache_home
    ok = True
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )

    rows = []
    for size in args.sizes:
        path = corpus(size)
        builds = []
        for _ in range(args.builds):
            report = tempfile.NamedTemporaryFile(suffix=".json", delete=False)  # noqa: SIM115 (the child writes it; read back by name)
            argv = [SCCLI, "--data", str(path), "index", "--rebuild", "--json"]
            start = time.perf_counter()
            process = subprocess.Popen(argv, env=env, stdout=report, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
            assert os.waitstatus_to_exitcode(status) == 0, f"index failed on {path}"
            indexing = json.loads(Path(report.name).read_text())["seconds"]
            os.unlink(report.name)
            builds.append((wall, indexing, usage.ru_maxrss / 1024))
        wall = statistics.median(b[0] for b in builds)
        indexing = statistics.median(b[1] for b in builds)
        rss = max(b[2] for b in builds)
        rows.append((size, path.stat().st_size / 1e6, wall, size / wall, indexing, size / indexing, rss))
    print(f"\nCold build (sccli --data FILE index --rebuild), medians of {args.builds} builds:\n")
    print("| articles | file MB | wall s | articles/s (wall) | indexing s | articles/s (indexing) | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size, mb, wall, wall_rate, indexing, rate, rss in rows:
        print(f"| {size:,} | {mb:.0f} | {wall:.2f} | {wall_rate:,.0f} | {indexing:.2f} | {rate:,.0f} | {rss:.0f} |")
        ok &= rate >= BUDGET_RATE
        if size >= 50000:
            ok &= rss < BUDGET_RSS_MB

    commands = {
        "search (packaged)": [SCCLI, "search", "neuropathy"],
        "show (packaged)": [SCCLI, "show"],
    }
    for size in args.sizes:
        data = str(corpus(size))
        commands[f"search ({size:,})"] = [SCCLI, "--data", data, "search", "neuropathy"]
        commands[f"show ({size:,})"] = [SCCLI, "--data", data, "show", f"article-{size // 2:06d}"]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(args.runs + 1):
        for name, argv in commands.items():
            seconds, status, _ = run(argv, env)
            assert status in (0, 1), (name, status)
            if round_:
                times[name].append(seconds)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"\nWarm cache, medians of {args.runs} interleaved runs; ratio to the same command on the packaged library:\n"
    )
    print("| command | median ms | ratio |")
    print("|---|---:|---:|")
    for name, median in medians.items():
        base = medians["search (packaged)" if name.startswith("search") else "show (packaged)"]
        print(f"| sccli {name} | {median * 1000:.1f} | {median / base:.2f} |")
    for kind in ("search", "show"):
        key = f"{kind} (10,000)"
        if key in medians:
            ok &= medians[key] / medians[f"{kind} (packaged)"] <= BUDGET_WARM
    print("\nBudgets:", "all met." if ok else "MISSED (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
