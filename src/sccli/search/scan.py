"""The fallback search engine, for a Python whose SQLite lacks FTS5: a scan in memory.

It ranks less well than FTS5 (no BM25, no stemming beyond word prefixes) but
finds the same kind of hits, so a missing FTS5 never stops ``sccli search``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from sccli.errors import QuerySyntaxError
from sccli.models import Article, Fragment, Hit, Library, ListBlock, Paragraph, Section
from sccli.search.query import (
    MAX_WORD,
    SPARE_SUGGESTIONS,
    SPELLING_SECONDS,
    misspelling,
    parse_query,
    replace_words,
    variant,
    words,
)

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")

#: How much a match counts, by where it is.
WEIGHTS = {"title": 3.0, "heading": 3.0, "label": 2.0, "keyword": 2.0, "body": 1.0}

SNIPPET_WORDS = 28


@dataclass(frozen=True)
class _Document:
    order: int
    article: Article
    section: Section
    fields: dict[str, list[str]]
    body: str


class ScanIndex:
    """Scan every section. A query word matches a word that starts with it.

    A section scores the weighted count of its matching words, scaled by the
    share of the query's words it contains; ties keep reading order.
    """

    engine = "scan"

    def __init__(self, library: Library) -> None:
        pairs = [(article, section) for article in library.articles for section in article.sections]
        self._documents = [_document(order, article, section) for order, (article, section) in enumerate(pairs)]

    def search(self, query: str, *, limit: int = 10, article: str | None = None, raw: bool = False) -> list[Hit]:
        if raw:
            raise QuerySyntaxError("--raw needs SQLite's FTS5, which this Python's SQLite lacks.")
        terms = [word for term in parse_query(query) for word in term.split()]
        if not terms or limit <= 0:
            return []
        scored = []
        for document in self._documents:
            if article is not None and document.article.id != article:
                continue
            score, found = _score(document, terms)
            if found:
                scored.append((-score, document.order, document, score))
        scored.sort(key=lambda entry: entry[:2])
        return [
            Hit(
                article_id=document.article.id,
                article_title=document.article.title,
                section_id=document.section.id,
                heading=document.section.heading,
                snippet=make_snippet(document.body, terms),
                score=round(score, 3),
            )
            for _, _, document, score in scored[:limit]
        ]

    def count(self, query: str, *, article: str | None = None, raw: bool = False, at_most: int | None = None) -> int:
        found = len(self.search(query, limit=len(self._documents), article=article, raw=raw))
        return found if at_most is None else min(found, at_most + 1)

    def suggest(self, query: str, *, count: int = 3) -> list[str]:
        vocabulary = sorted(
            {word for document in self._documents for field in document.fields.values() for word in field}
        )
        deadline = time.monotonic() + SPELLING_SECONDS
        suggestions = [
            match
            for word in dict.fromkeys(parse_query(query))
            for match in _close(word, vocabulary, count + SPARE_SUGGESTIONS, deadline)
            if match != word and variant(word, match)
        ]
        return list(dict.fromkeys(suggestions))[:count]

    def correct(self, query: str) -> str | None:
        known = {word for document in self._documents for field in document.fields.values() for word in field}
        vocabulary = sorted(known)
        deadline = time.monotonic() + SPELLING_SECONDS
        replacements = {}
        for word in dict.fromkeys(parse_query(query)):
            if " " not in word and word not in known:
                close = [other for other in _close(word, vocabulary, 3, deadline) if misspelling(word, other)]
                if close:
                    replacements[word] = close[0]
        corrected = replace_words(query, replacements)
        return corrected if corrected != query else None


def _close(word: str, vocabulary: list[str], count: int, deadline: float) -> list[str]:
    """Words of ``vocabulary`` spelt like ``word``, while the time for spelling lasts."""
    import difflib

    if len(word) > MAX_WORD or time.monotonic() > deadline:
        return []
    return difflib.get_close_matches(word, vocabulary, n=count, cutoff=0.75)


def _document(order: int, article: Article, section: Section) -> _Document:
    labels: list[str] = []
    body: list[str] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            body.append(block.text)
        elif isinstance(block, ListBlock):
            for item in block.items:
                if item.label:
                    labels.append(item.label)
                body.append(f"{item.label}: {item.text}" if item.label else item.text)
    text = "\n".join(body)
    # What describes the whole article goes with its first section only.
    first = section is article.sections[0]
    return _Document(
        order=order,
        article=article,
        section=section,
        fields={
            "title": words(article.title) if first else [],
            "heading": words(section.heading),
            "label": words(" ".join(labels)),
            "keyword": words(" ".join([*article.tags, *article.aliases])) if first else [],
            "body": words(text),
        },
        body=text,
    )


def _score(document: _Document, terms: list[str]) -> tuple[float, int]:
    total = 0.0
    found = 0
    for term in terms:
        term_score = sum(
            WEIGHTS[field] * sum(1 for word in field_words if word.startswith(term))
            for field, field_words in document.fields.items()
        )
        if term_score:
            found += 1
            total += term_score
    return total * (found / len(terms)) ** 2, found


def make_snippet(text: str, terms: list[str], words: int = SNIPPET_WORDS) -> tuple[Fragment, ...]:
    """Cut a window of about ``words`` words around the first match, marking matches."""
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return ()
    first = next((index for index, token in enumerate(tokens) if _matches(token.group(), terms)), 0)
    start = max(0, first - words // 4)
    end = min(len(tokens), start + words)
    start = max(0, end - words)
    begin = tokens[start].start() if start > 0 else 0
    finish = tokens[end - 1].end() if end < len(tokens) else len(text)
    fragments: list[Fragment] = []
    if start > 0:
        fragments.append(Fragment("… "))
    cursor = begin
    for token in tokens[start:end]:
        if _matches(token.group(), terms):
            if token.start() > cursor:
                fragments.append(Fragment(text[cursor : token.start()]))
            fragments.append(Fragment(token.group(), True))
            cursor = token.end()
    if finish > cursor:
        fragments.append(Fragment(text[cursor:finish]))
    if end < len(tokens):
        fragments.append(Fragment(" …"))
    return tuple(Fragment(_SPACE.sub(" ", fragment.text), fragment.match) for fragment in fragments)


def _matches(word: str, terms: list[str]) -> bool:
    folded = word.casefold()
    return any(folded.startswith(term) for term in terms)
