#!/usr/bin/env python3
"""Measure how well ``sccli search`` finds answers, side by side with two BM25 anchors.

What is measured: for each question of four question sets, whether a system
puts the section that answers it first (and how near the top), on the same
library text for every system. The sets and libraries are the shared ones
described in ``../shared/relevance/README.md``:

* **medquad**: 3,260 MedQuAD dev questions (``medquad-dev.tsv``) against the
  MedQuAD library (``medquad.json.gz``, one article per document, one section
  per answered question). Scores: MRR@10 at section level, hit@1, recall@10
  and article@1. As the README asks, articles with the same title (lower case,
  spaces collapsed) count as the same article, and their sections with the
  same id as the same answer.
* **medlineplus**: lay queries (``lay-dev-medlineplus.tsv``) against the
  MedlinePlus health topics of 2024-06-06, read by sccli's own MedlinePlus
  reader (``sccli.medlineplus``: the XML file is the data file). Scores: top1 and top3, a hit counting when its
  article's title is one of the accepted titles.
* **packaged**: lay queries (``lay-dev-packaged.tsv``) against sccli's own
  ``data/articles.json``. Scores: top1 and top3, a hit counting when it is an
  accepted ``article`` or ``article:section``.
* **names**: every MedlinePlus topic's title and "also called" name as a query
  (known-item search), against the same MedlinePlus library. Score: top1, a hit
  counting when its article is a topic of that name. Not a question set of
  ``../shared``: the names are the library's own.

The systems:

* **sccli**: ``sccli.search.memory_index(library).search(question, limit=10)``,
  the public API only, so this keeps working when the ranking changes.
* **bm25s**: bm25s (0.3) with PyStemmer's English stemmer and bm25s's English
  stopwords, default parameters, one document per section whose one field is
  the article title, its aliases, the section heading and the section's text
  (paragraphs, list labels and items; not editorial notes, which sccli does
  not index either).
* **bm25s3**: the same with the title and heading written three times, to show
  what plain field weighting is worth.
* **fts5**: SQLite FTS5 (``porter unicode61``) over the same one-field
  documents, the question's words each quoted and ORed, ranked by ``bm25()``.

``sccli`` searches as ``sccli search`` does: a word the library lacks is first
searched as the closest word it has (``index.correct``), then as typed when that
finds nothing. Ties are broken by reading order in every system. Each system's time is the
time to index the library plus the time to run every question of the set.

Run it from anywhere, with sccli installed (``pip install bm25s PyStemmer`` for
the anchors)::

    .venv/bin/python bench/relevance.py                    # everything (a couple of minutes)
    .venv/bin/python bench/relevance.py --sample 600       # 600 MedQuAD questions, evenly spaced
    .venv/bin/python bench/relevance.py --systems sccli --sets medquad --show-misses 10
    .venv/bin/python bench/relevance.py --json > result.json
    .venv/bin/python bench/relevance.py --sets medlineplus,packaged \
        --medlineplus-questions bench/check/lay-check-medlineplus.tsv \
        --packaged-questions bench/check/lay-check-packaged.tsv     # the second lay set

The shared material is looked for in ``../shared`` next to the repository
(``--shared PATH`` to point elsewhere). Results go to stdout, as Markdown
tables or ``--json``; progress goes to stderr. Tune on these dev sets without
fitting them one question at a time: a larger held-out part judges the result.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SHARED = ROOT.parent / "shared"

SYSTEMS = ("sccli", "bm25s", "bm25s3", "fts5")
SETS = ("medquad", "medlineplus", "packaged", "names")
LIMIT = 10

#: What each set reports, in table order: (metric key, column label).
COLUMNS = {
    "medquad": [("mrr", "MRR@10"), ("hit1", "hit@1"), ("recall10", "recall@10"), ("article1", "article@1")],
    "medlineplus": [("hit1", "top1"), ("hit3", "top3")],
    "packaged": [("hit1", "top1"), ("hit3", "top3")],
    "names": [("hit1", "top1")],
}
SET_LABELS = {
    "medquad": "MedQuAD",
    "medlineplus": "MedlinePlus lay",
    "packaged": "packaged lay",
    "names": "MedlinePlus names",
}

#: A ranked result: (article id, section id) pairs, best first.
Ranking = list[tuple[str, str]]
#: A system ready to answer: question in, ranking out.
Searcher = Callable[[str], Ranking]


# Question sets ---------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One query and what answers it.

    ``answers`` holds (article key, section id) pairs; a section id of None
    accepts any section of that article. What an article key is depends on
    the set (see :class:`QuestionSet`).
    """

    text: str
    answers: frozenset[tuple[str, str | None]]
    expected: str  # how the answer is shown in --show-misses


@dataclass
class QuestionSet:
    """A set of questions, the library they are asked of, and how hits are judged.

    ``key_of`` maps an article id of the library to the key that ``answers``
    use: the normalized title for MedQuAD (same title, same article) and
    MedlinePlus (judged by title), the id itself for the packaged library.
    """

    name: str
    library: Any  # sccli.models.Library
    questions: list[Question]
    key_of: dict[str, str]
    titles: dict[str, str] = field(default_factory=dict)  # article id -> title, for --show-misses


def title_key(title: str) -> str:
    """A title compared the README's way: lower case, runs of spaces collapsed."""
    return " ".join(title.lower().split())


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header line, as dicts."""
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        rows = []
        for number, line in enumerate(handle, start=2):
            fields = line.rstrip("\n").split("\t")
            if not line.strip():
                continue
            if len(fields) != len(header):
                raise ValueError(f"{path}, line {number}: {len(fields)} fields where the header has {len(header)}")
            rows.append(dict(zip(header, fields, strict=True)))
    return rows


def evenly_spaced(items: Sequence[Any], count: int | None) -> list[Any]:
    """A deterministic subsample: ``count`` items spread evenly over ``items`` (all when None)."""
    if count is None or count >= len(items):
        return list(items)
    return [items[i * len(items) // count] for i in range(max(count, 0))]


def load_medquad(shared: Path, workdir: Path, sample: int | None) -> QuestionSet:
    """The MedQuAD library (gunzipped into ``workdir``) and its dev questions."""
    from sccli.data import load_library

    data = workdir / "medquad.json"
    with gzip.open(shared / "relevance" / "medquad.json.gz", "rb") as source, open(data, "wb") as target:
        shutil.copyfileobj(source, target)
    library = load_library(data)
    titles = {article.id: article.title for article in library.articles}
    key_of = {article_id: title_key(title) for article_id, title in titles.items()}
    questions = []
    for row in evenly_spaced(read_tsv(shared / "relevance" / "medquad-dev.tsv"), sample):
        if row["article"] not in key_of:
            _warn(f"medquad: {row['qid']} names article '{row['article']}', which is not in the library")
            continue
        answers = frozenset({(key_of[row["article"]], row["section"])})
        questions.append(Question(row["question"], answers, f"{row['article']}:{row['section']}"))
    return QuestionSet("medquad", library, questions, key_of, titles)


def load_medlineplus(shared: Path, workdir: Path, asked: Path | None = None) -> QuestionSet:
    """The MedlinePlus topics (as sccli reads the XML file) and the lay queries judged by title."""
    from sccli.data import load_library

    data = workdir / "mplus_topics_2024-06-06.xml"
    with gzip.open(shared / "medlineplus" / "mplus_topics_2024-06-06.xml.gz", "rb") as source:
        data.write_bytes(source.read())
    library = load_library(data)
    titles = {article.id: article.title for article in library.articles}
    key_of = {article_id: title_key(title) for article_id, title in titles.items()}
    known = set(key_of.values())
    questions = []
    for row in read_tsv(asked or shared / "relevance" / "lay-dev-medlineplus.tsv"):
        accepted = [title for title in row["accept_titles"].split("|") if title.strip()]
        for title in accepted:
            if title_key(title) not in known:
                _warn(f"medlineplus: no topic is titled '{title}' (query '{row['query']}')")
        answers = frozenset((title_key(title), None) for title in accepted)
        questions.append(Question(row["query"], answers, " | ".join(accepted)))
    return QuestionSet("medlineplus", library, questions, key_of, titles)


def load_names(shared: Path, workdir: Path) -> QuestionSet:
    """Every MedlinePlus topic's own name asked as a query: its title and each "also called"
    name, answered by any topic of that name (known-item search: a reader who types a
    topic's name expects that topic first)."""
    medlineplus = load_medlineplus(shared, workdir)
    named: dict[str, set[str]] = {}  # a name as typed, lower case -> the title keys of the topics it names
    for article in medlineplus.library.articles:
        for name in (article.title, *article.aliases):
            named.setdefault(" ".join(name.casefold().split()), set()).add(title_key(article.title))
    questions = [
        Question(name, frozenset((key, None) for key in keys), " | ".join(sorted(keys)))
        for name, keys in sorted(named.items())
    ]
    return QuestionSet("names", medlineplus.library, questions, medlineplus.key_of, medlineplus.titles)


def load_packaged(shared: Path, asked: Path | None = None) -> QuestionSet:
    """sccli's packaged library and the lay queries judged by ``article`` or ``article:section``."""
    from sccli.data import load_library

    library = load_library()
    titles = {article.id: article.title for article in library.articles}
    sections = {(article.id, section.id) for article in library.articles for section in article.sections}
    key_of = {article_id: article_id for article_id in titles}
    questions = []
    for row in read_tsv(asked or shared / "relevance" / "lay-dev-packaged.tsv"):
        answers = set()
        for accept in row["accept"].split(","):
            article_id, _, section_id = accept.strip().partition(":")
            answers.add((article_id, section_id or None))
            known = (article_id, section_id) in sections if section_id else article_id in titles
            if not known:
                _warn(f"packaged: '{accept}' is not in data/articles.json (query '{row['query']}')")
        questions.append(Question(row["query"], frozenset(answers), row["accept"]))
    return QuestionSet("packaged", library, questions, key_of, titles)


# Systems -------------------------------------------------------------------------


def section_documents(library: Any, *, repeat: int = 1) -> tuple[list[tuple[str, str]], list[str]]:
    """One plain-text document per section, for the anchors.

    Args:
        library: an sccli Library.
        repeat: how many times the title and the heading are written (1 or 3).

    Returns:
        The (article id, section id) of each document, and its text: title,
        aliases, heading, then the paragraphs and list items (with labels).
    """
    from sccli.models import Paragraph

    places: list[tuple[str, str]] = []
    texts: list[str] = []
    for article in library.articles:
        for section in article.sections:
            parts = [article.title] * repeat + list(article.aliases) + [section.heading] * repeat
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    parts.append(block.text)
                else:
                    for item in block.items:
                        parts.extend([item.label, item.text] if item.label else [item.text])
            places.append((article.id, section.id))
            texts.append("\n".join(parts))
    return places, texts


def build_sccli(library: Any) -> Searcher:
    """sccli's own search, through its public API only."""
    from sccli.search import memory_index

    index = memory_index(library)

    def search(question: str) -> Ranking:
        # As `sccli search` does: a word the library lacks is searched as the closest word it has.
        corrected = index.correct(question)
        hits = index.search(corrected, limit=LIMIT) if corrected else []
        hits = hits or index.search(question, limit=LIMIT)
        return [(hit.article_id, hit.section_id) for hit in hits]

    return search


def build_bm25s(library: Any, *, repeat: int = 1) -> Searcher:
    """bm25s with PyStemmer's English stemmer and English stopwords, one field per section."""
    import bm25s
    import numpy as np
    import Stemmer

    places, texts = section_documents(library, repeat=repeat)
    stemmer = Stemmer.Stemmer("english")
    corpus = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    vocabulary = retriever.vocab_dict

    def search(question: str) -> Ranking:
        tokens = bm25s.tokenize([question], stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)[0]
        tokens = [token for token in tokens if token in vocabulary]
        if not tokens:
            return []
        scores = retriever.get_scores(tokens)
        found = np.flatnonzero(scores > 0)
        best = found[np.lexsort((found, -scores[found]))][:LIMIT]  # score, then reading order
        return [places[i] for i in best]

    return search


def build_fts5(library: Any) -> Searcher:
    """SQLite FTS5 with the porter tokenizer, the question's words ORed, ranked by bm25()."""
    places, texts = section_documents(library)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'porter unicode61')")
    conn.executemany("INSERT INTO docs (rowid, body) VALUES (?, ?)", enumerate(texts))
    conn.execute("INSERT INTO docs (docs) VALUES ('optimize')")

    def search(question: str) -> Ranking:
        words = dict.fromkeys(re.findall(r"\w+", question.lower()))
        if not words:
            return []
        expression = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        rows = conn.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs), rowid LIMIT ?", (expression, LIMIT)
        ).fetchall()
        return [places[rowid] for (rowid,) in rows]

    return search


BUILDERS: dict[str, Callable[[Any], Searcher]] = {
    "sccli": build_sccli,
    "bm25s": build_bm25s,
    "bm25s3": lambda library: build_bm25s(library, repeat=3),
    "fts5": build_fts5,
}
SYSTEM_LABELS = {
    "sccli": "sccli",
    "bm25s": "bm25s + PyStemmer, one field",
    "bm25s3": "bm25s x3 fields (title, heading x3)",
    "fts5": "SQLite FTS5 porter, words ORed",
}


# Scoring -------------------------------------------------------------------------


def judge(question: Question, ranking: Ranking, key_of: dict[str, str]) -> dict[str, float]:
    """Score one ranking: rank-based metrics for this question (each 0 or 1, MRR in between).

    Returns:
        ``mrr`` (1/rank of the first answering section within the first 10),
        ``hit1``, ``hit3``, ``recall10`` and ``article1`` (the first hit is in an
        answering article).
    """
    rank = first_answer_rank(question, ranking, key_of)
    answer_articles = {article for article, _ in question.answers}
    return {
        "mrr": 1.0 / rank if rank else 0.0,
        "hit1": float(rank == 1),
        "hit3": float(rank is not None and rank <= 3),
        "recall10": float(rank is not None),
        "article1": float(bool(ranking) and key_of.get(ranking[0][0]) in answer_articles),
    }


def first_answer_rank(question: Question, ranking: Ranking, key_of: dict[str, str]) -> int | None:
    """The 1-based rank of the first hit that answers ``question`` within the first 10, or None."""
    for rank, (article_id, section_id) in enumerate(ranking[:LIMIT], start=1):
        key = key_of.get(article_id)
        if (key, section_id) in question.answers or (key, None) in question.answers:
            return rank
    return None


@dataclass
class Run:
    """One system on one set: mean metrics, hit counts, timings and the rankings."""

    metrics: dict[str, float]
    counts: dict[str, int]
    index_seconds: float
    query_seconds: float
    rankings: list[Ranking]


def run_system(name: str, qset: QuestionSet) -> Run:
    """Index ``qset``'s library with system ``name`` and ask it every question."""
    started = time.perf_counter()
    search = BUILDERS[name](qset.library)
    indexed = time.perf_counter()
    rankings = []
    step = max(len(qset.questions) // 4, 250)
    for number, question in enumerate(qset.questions, start=1):
        rankings.append(search(question.text))
        if number % step == 0 and number < len(qset.questions):
            _progress(f"  {qset.name} {name}: {number}/{len(qset.questions)} questions")
    finished = time.perf_counter()
    totals: dict[str, float] = {}
    for question, ranking in zip(qset.questions, rankings, strict=True):
        for metric, value in judge(question, ranking, qset.key_of).items():
            totals[metric] = totals.get(metric, 0.0) + value
    count = max(len(qset.questions), 1)
    return Run(
        metrics={metric: total / count for metric, total in totals.items()},
        counts={metric: round(total) for metric, total in totals.items() if metric != "mrr"},
        index_seconds=indexed - started,
        query_seconds=finished - indexed,
        rankings=rankings,
    )


def misses(qset: QuestionSet, run: Run, count: int) -> list[dict[str, Any]]:
    """Up to ``count`` questions whose first hit does not answer them, spread over the set."""
    missed = []
    for question, ranking in zip(qset.questions, run.rankings, strict=True):
        rank = first_answer_rank(question, ranking, qset.key_of)
        if rank == 1:
            continue
        first = ranking[0] if ranking else None
        missed.append(
            {
                "question": question.text,
                "expected": question.expected,
                "first": f"{first[0]}:{first[1]} ({qset.titles.get(first[0], '?')})" if first else "(no hits)",
                "answer_rank": rank,
            }
        )
    return evenly_spaced(missed, count)


# Output ----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the numbers were measured on, and with which versions."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    for name in ("sccli", "bm25s", "PyStemmer", "numpy"):
        try:
            info[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            info[name] = None
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=10
        )
        info["commit"] = commit.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        info["commit"] = None
    return info


def _cell(qset_name: str, metric: str, run: Run, questions: int) -> str:
    value = run.metrics[metric]
    if qset_name == "medquad":
        return f"{value:.3f}"
    return f"{value:.2f} ({run.counts[metric]}/{questions})"


def markdown(results: dict[str, dict[str, Run]], sizes: dict[str, int], info: dict[str, Any]) -> str:
    """The results as Markdown: a table of scores, a table of timings, and the machine."""
    sets = list(results)
    systems = [name for name in SYSTEMS if any(name in results[s] for s in sets)]
    header = ["system"]
    for set_name in sets:
        header += [f"{SET_LABELS[set_name]} {label}" for _, label in COLUMNS[set_name]]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    for system in systems:
        row = [SYSTEM_LABELS[system]]
        for set_name in sets:
            run = results[set_name].get(system)
            for metric, _ in COLUMNS[set_name]:
                row.append(_cell(set_name, metric, run, sizes[set_name]) if run else "–")
        lines.append("| " + " | ".join(row) + " |")

    timing_header = ["system"] + [f"{SET_LABELS[s]} ({sizes[s]} q): index + queries s" for s in sets]
    timing = ["| " + " | ".join(timing_header) + " |", "|---" + "|---:" * len(sets) + "|"]
    for system in systems:
        row = [SYSTEM_LABELS[system]]
        for set_name in sets:
            run = results[set_name].get(system)
            row.append(
                f"{run.index_seconds + run.query_seconds:.2f} ({run.index_seconds:.2f} + {run.query_seconds:.2f})"
                if run
                else "–"
            )
        timing.append("| " + " | ".join(row) + " |")

    versions = ", ".join(f"{name} {info[name]}" for name in ("sccli", "bm25s", "PyStemmer", "numpy") if info.get(name))
    about = (
        f"Machine: {info['platform']}, {info['cpus']} CPUs; Python {info['python']}; SQLite {info['sqlite']}; "
        f"{versions}; repository at {info.get('commit') or 'unknown commit'}."
    )
    return "\n".join([*lines, "", *timing, "", about])


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _names(text: str, allowed: Sequence[str], what: str) -> list[str]:
    """Parse a comma-separated choice such as "sccli,fts5", in the order given."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        given = ", ".join(unknown) or "(none)"
        raise argparse.ArgumentTypeError(f"unknown {what} {given}; choose from {','.join(allowed)}")
    return list(dict.fromkeys(names))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure sccli's search against BM25 anchors on the shared question sets.",
    )
    parser.add_argument(
        "--sample", type=int, metavar="N", help="MedQuAD questions to ask, evenly spaced (default: all)"
    )
    parser.add_argument(
        "--systems",
        type=lambda text: _names(text, SYSTEMS, "system"),
        default=list(SYSTEMS),
        help=f"comma-separated, from {','.join(SYSTEMS)} (default: all)",
    )
    parser.add_argument(
        "--sets",
        type=lambda text: _names(text, SETS, "set"),
        default=list(SETS),
        help=f"comma-separated, from {','.join(SETS)} (default: all)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="list up to N sccli misses per set")
    parser.add_argument(
        "--shared", type=Path, default=DEFAULT_SHARED, help=f"the shared material (default: {DEFAULT_SHARED})"
    )
    parser.add_argument(
        "--medlineplus-questions",
        type=Path,
        metavar="TSV",
        help="other MedlinePlus lay questions, as lay-dev-medlineplus.tsv (bench/check/ has a set)",
    )
    parser.add_argument(
        "--packaged-questions",
        type=Path,
        metavar="TSV",
        help="other packaged lay questions, as lay-dev-packaged.tsv (bench/check/ has a set)",
    )
    args = parser.parse_args(argv)
    if args.sample is not None and args.sample < 1:
        parser.error("--sample must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status (2 when the shared material or a library is missing)."""
    args = parse_args(argv)
    shared: Path = args.shared
    if not (shared / "relevance").is_dir():
        print(f"error: no shared material at {shared} (no {shared / 'relevance'}); use --shared PATH", file=sys.stderr)
        return 2
    if {"bm25s", "bm25s3"} & set(args.systems):
        try:
            import bm25s  # noqa: F401
            import Stemmer  # noqa: F401
        except ImportError:
            print("error: bm25s and PyStemmer are needed: .venv/bin/pip install bm25s PyStemmer", file=sys.stderr)
            return 2

    info = machine()
    results: dict[str, dict[str, Run]] = {}
    sets: dict[str, QuestionSet] = {}
    with tempfile.TemporaryDirectory(prefix="sccli-relevance-") as tmp:
        workdir = Path(tmp)
        for set_name in args.sets:
            _progress(f"{set_name}: loading the library")
            try:
                if set_name == "medquad":
                    qset = load_medquad(shared, workdir, args.sample)
                elif set_name == "medlineplus":
                    qset = load_medlineplus(shared, workdir, args.medlineplus_questions)
                elif set_name == "names":
                    qset = load_names(shared, workdir)
                else:
                    qset = load_packaged(shared, args.packaged_questions)
            except FileNotFoundError as error:
                print(f"error: {error.filename}: no such file", file=sys.stderr)
                return 2
            except ValueError as error:  # a malformed question file
                print(f"error: {error}", file=sys.stderr)
                return 2
            sets[set_name] = qset
            results[set_name] = {}
            sections = sum(len(article.sections) for article in qset.library.articles)
            articles = len(qset.library.articles)
            _progress(f"{set_name}: {articles} articles, {sections} sections, {len(qset.questions)} questions")
            for system in args.systems:
                run = run_system(system, qset)
                results[set_name][system] = run
                _progress(
                    f"  {set_name} {system}: index {run.index_seconds:.1f} s, queries {run.query_seconds:.1f} s, "
                    f"hit@1 {run.metrics['hit1']:.3f}"
                )

    sizes = {name: len(qset.questions) for name, qset in sets.items()}
    missed = {
        name: misses(qset, results[name]["sccli"], args.show_misses)
        for name, qset in sets.items()
        if args.show_misses > 0 and "sccli" in results[name]
    }
    if args.json:
        document = {
            "machine": info,
            "sample": args.sample,
            "sets": {
                name: {
                    "questions": sizes[name],
                    "systems": {
                        system: {
                            "metrics": {metric: round(value, 4) for metric, value in run.metrics.items()},
                            "counts": run.counts,
                            "index_seconds": round(run.index_seconds, 3),
                            "query_seconds": round(run.query_seconds, 3),
                        }
                        for system, run in results[name].items()
                    },
                }
                for name in sets
            },
            "sccli_misses": missed,
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0

    sample = f"{sizes['medquad']} MedQuAD dev questions" if "medquad" in sizes else "no MedQuAD questions"
    print(f"Search relevance ({sample}; every lay query)\n")
    print(markdown(results, sizes, info))
    for name, rows in missed.items():
        print(f"\nsccli misses on {name} ({len(rows)} shown; [answer rank], - when not in the first {LIMIT}):\n")
        for row in rows:
            rank = row["answer_rank"] or "-"
            print(f"- {row['question']!r}: expected {row['expected']}; first {row['first']} [{rank}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
