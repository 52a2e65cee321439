"""Find the sections that match a query.

Commands talk to one small interface, :class:`Index`, so the engine behind it
can change without touching them. The engine here scans the library in
memory: a few articles take well under a millisecond to scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from sccli.models import Article, Fragment, Hit, Library, ListBlock, Paragraph, Section

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")

#: Words too common to say anything about a section ("what is nerve pain").
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i if in is it its me my of on or "
    "the this to was what when where which who why will with you your".split()
)

#: How much a match counts, by where it is.
WEIGHTS = {"title": 3.0, "heading": 3.0, "label": 2.0, "keyword": 2.0, "body": 1.0}

SNIPPET_WORDS = 28


class Index(Protocol):
    """What the CLI needs from a search engine."""

    def search(self, query: str, *, limit: int = 10, article: str | None = None) -> list[Hit]:
        """Return up to ``limit`` hits, best first; ties keep reading order."""
        ...


def query_terms(query: str) -> list[str]:
    """Split what a person typed into lower-case search words, without stopwords."""
    words = _WORD.findall(query.casefold())
    terms = [word for word in words if word not in STOPWORDS]
    return list(dict.fromkeys(terms or words))


@dataclass(frozen=True)
class _Document:
    order: int
    article: Article
    section: Section
    fields: dict[str, list[str]]
    body: str


class ScanIndex:
    """A search engine that scans every section: exact, simple and fast for small libraries.

    A query word matches a word that starts with it ("neuropath" finds
    "neuropathy" and "neuropathic"). A section scores the weighted count of
    its matching words, scaled by the share of query words it contains.
    """

    def __init__(self, library: Library) -> None:
        self._documents = [
            _document(order, article, section)
            for order, (article, section) in enumerate(
                (article, section) for article in library.articles for section in article.sections
            )
        ]

    def search(self, query: str, *, limit: int = 10, article: str | None = None) -> list[Hit]:
        terms = query_terms(query)
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


def build_index(library: Library) -> Index:
    """Return the search engine for ``library``."""
    return ScanIndex(library)


def search(library: Library, query: str, *, limit: int = 10, article: str | None = None) -> list[Hit]:
    """Search ``library`` for ``query``; see :meth:`Index.search`."""
    return build_index(library).search(query, limit=limit, article=article)


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

    def words(*texts: str) -> list[str]:
        return _WORD.findall(" ".join(texts).casefold())

    # What describes the whole article (its title, tags and aliases) is
    # indexed with its first section only, so that it finds the article
    # without lifting every other section above better matches elsewhere.
    first = section is article.sections[0]
    return _Document(
        order=order,
        article=article,
        section=section,
        fields={
            "title": words(article.title) if first else [],
            "heading": words(section.heading),
            "label": words(*labels),
            "keyword": words(*article.tags, *article.aliases) if first else [],
            "body": words(text),
        },
        body=text,
    )


def _score(document: _Document, terms: list[str]) -> tuple[float, int]:
    total = 0.0
    found = 0
    for term in terms:
        term_score = sum(
            WEIGHTS[field] * sum(1 for word in words if word.startswith(term))
            for field, words in document.fields.items()
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
    first = next(
        (index for index, token in enumerate(tokens) if _matches(token.group(), terms)), 0
    )
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
