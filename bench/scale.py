#!/usr/bin/env python3
"""How sccli grows with a library built from real text, against the packaged library.

Usage (sccli installed in the running Python's environment, ``../shared`` beside
the repository):

    .venv/bin/python bench/scale.py                          # 10,000 and 50,000 articles
    .venv/bin/python bench/scale.py --sizes 10000 50000 200000 --runs 11

Corpora: the MedQuAD library of ``../shared/relevance/`` (5,483 real articles)
repeated with distinct ids until a size is reached, so that common words stay
common and rare ones rare, as in a real library (the generated corpora of
``bench/search.py`` reshuffle a made-up vocabulary per size). Up to 50,000
articles they are JSON files; past that (over the 512 MiB limit of a JSON file),
JSON Lines. They are written to ``bench/.corpora/``.

Query words of known frequency are picked from the corpus itself, by how many
articles have them: a rare word (about 10 articles in 5,483), a word in about
1% of the sections, and the word in the most articles (of five letters or
more: "symptoms", in 82% of them). The question is ten words long.

For each size, with the index warm, each command runs ``--runs`` times,
interleaved with the same command on the packaged library; the table gives the
medians of CPU time (user + system, from ``wait4``) and their ratio, and the
largest peak memory (RSS) seen. The cold build (``index --rebuild``) gives
articles a second from sccli's own count of indexing seconds (the median of
``--builds`` builds, with the slowest and fastest), and its peak memory. Up to
50,000 articles, each build is followed by the engine's floor on the same text:
FTS5 alone indexing the units of the index just built, copied out beforehand
into a plain table, in one statement (once with FTS5's default settings, as the
scale issue measured it, once with sccli's bulk-loading settings), so that the
rate can be read against what the shared machine gives at the time.
Budgets (from the scale issue) are printed beside each figure; the script exits
with status 1 when any is missed.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPORA = HERE / ".corpora"
SCCLI = str(Path(sys.executable).parent / "sccli")
QUESTION = "what are the treatments for pain in the feet and legs"


def corpus(source: list[dict[str, Any]], size: int) -> Path:
    """MedQuAD's articles repeated, with distinct ids, to ``size`` articles (JSON Lines past 50,000)."""
    lines = size > 50000
    path = CORPORA / f"real-{size}.{'jsonl' if lines else 'json'}"
    if path.exists():
        return path
    CORPORA.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write('{"schema_version": 1}\n' if lines else '{"schema_version": 1, "articles": [\n')
        for number in range(size):
            article = dict(source[number % len(source)])
            round_ = number // len(source)
            article["id"] = f"{article['id']}-{round_}" if round_ else article["id"]
            article["related"] = []
            out.write(("" if lines or not number else ",\n") + json.dumps(article) + ("\n" if lines else ""))
        out.write("" if lines else "\n]}\n")
    os.replace(temporary, path)
    settled = time.time() - 60  # not a file edited a moment ago (it would be indexed again)
    os.utime(path, (settled, settled))
    return path


def query_words(source: list[dict[str, Any]]) -> dict[str, str]:
    """Words of known frequency in the corpus: rare, in about 1% of sections, in nearly every article."""
    in_articles: collections.Counter[str] = collections.Counter()
    in_sections: collections.Counter[str] = collections.Counter()
    sections = 0
    for article in source:
        words: set[str] = set()
        for section in article["sections"]:
            sections += 1
            texts = [section["heading"]]
            for block in section["blocks"]:
                texts += [block["text"]] if "text" in block else [item["text"] for item in block["items"]]
            found = set(re.findall(r"[a-z]{5,}", " ".join(texts).lower()))
            in_sections.update(found)
            words |= found
        in_articles.update(words)
    ordered = sorted(in_articles, key=lambda word: (-in_articles[word], word))
    common = ordered[0]
    target = sections // 100
    one_percent = min(in_sections, key=lambda word: (abs(in_sections[word] - target), word))
    titled = {word for article in source for word in re.findall(r"[a-z]{5,}", article["title"].lower())}
    rare = min((w for w in titled if in_articles[w] == 10), default=ordered[-1])  # (titles have no typos)
    return {
        f"rare ('{rare}', {in_articles[rare]} of {len(source)} articles)": rare,
        f"1% of sections ('{one_percent}', {in_sections[one_percent]} of {sections})": one_percent,
        f"most articles ('{common}', {in_articles[common]} of {len(source)})": common,
    }


def run(argv: list[str], env: dict[str, str], *, head: bool = False) -> tuple[float, int]:
    """CPU time (user + system) and peak RSS in KiB of a command; with ``head``, its stdout is
    read for five lines and closed, as ``| head -5`` does."""
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE if head else subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if head:
        assert process.stdout is not None
        for _ in range(5):
            process.stdout.readline()
        process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with status {os.waitstatus_to_exitcode(status)}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def prepare(medquad: Path, sizes: list[int]) -> None:
    """Write the corpora; print the query words and an article id to show, as JSON."""
    source = json.loads(gzip.decompress(medquad.read_bytes()))["articles"]
    for size in sizes:
        corpus(source, size)
    print(json.dumps([query_words(source), source[len(source) // 2]["id"]]))


def prepare_floor(index: Path, prepared: Path) -> None:
    """Copy the units' text out of a built sccli index into a plain table (as FTS5 will get it)."""
    from sccli.search.store import open_database

    source = open_database(index)
    columns = [row[1] for row in source.execute("PRAGMA table_info(unit_text)")]
    tokenize = source.execute("SELECT value FROM meta WHERE key = 'tokenize'").fetchone()[0]
    target = sqlite3.connect(prepared)
    target.execute("CREATE TABLE meta (tokenize TEXT)")
    target.execute("INSERT INTO meta VALUES (?)", (tokenize,))
    target.execute(f"CREATE TABLE prepared ({', '.join(columns)})")
    rows = source.execute(f"SELECT {', '.join(columns)} FROM unit_text ORDER BY uid")
    while batch := rows.fetchmany(10000):
        target.executemany(f"INSERT INTO prepared VALUES ({', '.join('?' * len(columns))})", batch)
    target.commit()
    target.close()
    source.close()


def floor(prepared: Path, target: Path, settings: str) -> None:
    """Print the seconds FTS5 takes to index the prepared units in one statement into a new
    file, with the tokenizer of sccli's index: the engine's floor. ``settings`` is "defaults"
    (FTS5's own, as the scale issue measured it) or "sccli" (its bulk-loading settings too)."""
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("ATTACH DATABASE ? AS p", (str(prepared),))
    tokenize = conn.execute("SELECT tokenize FROM p.meta").fetchone()[0]
    columns = [row[1] for row in conn.execute("PRAGMA p.table_info(prepared)")][1:]  # (after uid)
    conn.execute(f"CREATE VIRTUAL TABLE units USING fts5({', '.join(columns)}, content = '', tokenize = '{tokenize}')")
    bulk = (("automerge", 0), ("crisismerge", 200), ("hashsize", 16 * 1024 * 1024))
    for setting, value in bulk if settings == "sccli" else ():
        conn.execute("INSERT INTO units (units, rank) VALUES (?, ?)", (setting, value))
    conn.commit()
    started = time.perf_counter()
    conn.execute(f"INSERT INTO units (rowid, {', '.join(columns)}) SELECT uid, {', '.join(columns)} FROM p.prepared")
    conn.commit()
    print(time.perf_counter() - started)
    conn.close()


def main() -> int:
    if sys.argv[1:2] == ["--prepare"]:
        prepare(Path(sys.argv[2]), [int(size) for size in sys.argv[3:]])
        return 0
    if sys.argv[1:2] == ["--prepare-floor"]:
        prepare_floor(Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    if sys.argv[1:2] == ["--floor"]:
        floor(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--runs", type=int, default=11, help="interleaved runs of each warm command")
    parser.add_argument("--builds", type=int, default=5, help="cold builds of each size (the median is the rate)")
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared", help="the shared folder")
    args = parser.parse_args()
    medquad = args.shared / "relevance" / "medquad.json.gz"
    if not medquad.is_file():
        print(f"error: no {medquad}; use --shared PATH", file=sys.stderr)
        return 2
    # The corpora and the query words are made by a child process: the peak memory that the
    # kernel reports for a command includes what its parent held when it forked, so the
    # parent holds nothing large.
    made = subprocess.run(
        [sys.executable, __file__, "--prepare", str(medquad), *map(str, args.sizes)],
        capture_output=True,
        text=True,
        check=True,
    )
    words, show_id = json.loads(made.stdout)
    work = Path(tempfile.mkdtemp(prefix="sccli-scale-"))
    env = {k: v for k, v in os.environ.items() if k not in ("SCCLI_DATA", "FORCE_COLOR")}
    env.update(XDG_CACHE_HOME=str(work / "cache"), XDG_CONFIG_HOME=str(work / "config"), NO_COLOR="1")
    print(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs; Python {platform.python_version()}.")
    print(f"Medians of {args.runs} interleaved runs, CPU time; ratio to the same command on the packaged library.\n")
    ok = True
    try:
        for size in args.sizes:
            path = CORPORA / f"real-{size}.{'jsonl' if size > 50000 else 'json'}"
            data = ["--data", str(path)]
            timings: list[float] = []
            floors: dict[str, list[float]] = {"defaults": [], "sccli": []}
            prepared, target = work / f"prepared-{size}.sqlite3", work / "floor.sqlite3"
            for _ in range(args.builds):  # each sccli build, then FTS5 alone on the same text (up to 50k)
                built = subprocess.run(
                    [SCCLI, *data, "index", "--rebuild", "--json"], env=env, capture_output=True, text=True, check=True
                )
                report = json.loads(built.stdout)
                timings.append(report["seconds"])
                if size > 50000:
                    continue
                if not prepared.exists():
                    subprocess.run([sys.executable, __file__, "--prepare-floor", report["cache"], prepared], check=True)
                for settings, found in floors.items():
                    target.unlink(missing_ok=True)
                    measured = subprocess.run(
                        [sys.executable, __file__, "--floor", prepared, target, settings],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    found.append(float(measured.stdout))
            target.unlink(missing_ok=True)
            prepared.unlink(missing_ok=True)
            seconds = statistics.median(timings)
            build_rss = run([SCCLI, *data, "index", "--rebuild"], env)[1] / 1024
            rate = size / seconds
            spread = f"{size / max(timings):,.0f} to {size / min(timings):,.0f}" if len(timings) > 1 else "one build"
            commands = {
                "list \\| head -5": (["list"], True, (1.5, 1.5), 100),
                **{f"search: {label}": (["search", word], False, (1.5, 3.0), None) for label, word in words.items()},
                "search: a 10-word question": (["search", *QUESTION.split()], False, (2.0, 4.0), None),
                "show": (["show", show_id], False, (1.2, 1.2), None),
            }
            print(f"### {size:,} articles ({path.name}, {path.stat().st_size / 1e6:.0f} MB)\n")
            print(
                f"Cold build: {rate:,.0f} articles/s of indexing ({seconds:.2f} s, median of {len(timings)} builds: "
                f"{spread}), peak {build_rss:.0f} MB "
                f"(budgets: 8,000 articles/s at 10k and 50k; under 250 MB at 200k).\n"
            )
            if floors["defaults"]:
                alone = {settings: size / statistics.median(found) for settings, found in floors.items()}
                print(
                    f"FTS5 alone, indexing the same units from a prepared table, between those builds (medians of "
                    f"{args.builds}): {alone['defaults']:,.0f} articles/s with its default settings (sccli builds at "
                    f"{rate / alone['defaults']:.0%} of that), {alone['sccli']:,.0f} with sccli's bulk-loading "
                    f"settings ({rate / alone['sccli']:.0%}).\n"
                )
            if size <= 50000:
                ok &= rate >= 8000
            if size >= 200000:
                ok &= build_rss < 250
            print(
                "| command | packaged, ms | this size, ms | ratio | budget | peak MB |\n|---|---:|---:|---:|---:|---:|"
            )
            for name, (argv, head, budgets, memory) in commands.items():
                small, large, peak = [], [], 0
                base = ["show"] if argv[0] == "show" else argv
                for _ in range(args.runs):
                    small.append(run([SCCLI, *base], env, head=head)[0])
                    used, rss = run([SCCLI, *data, *argv], env, head=head)
                    large.append(used)
                    peak = max(peak, rss)
                ratio = statistics.median(large) / statistics.median(small)
                budget = budgets[0] if size <= 10000 else budgets[1] if size >= 200000 else max(budgets)
                ok &= ratio <= budget and (memory is None or peak / 1024 < memory)
                print(
                    f"| {name} | {statistics.median(small) * 1000:.0f} | {statistics.median(large) * 1000:.0f} "
                    f"| {ratio:.2f} | {budget} | {peak / 1024:.0f} |"
                )
            print()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("Budgets:", "all met." if ok else "some missed (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
