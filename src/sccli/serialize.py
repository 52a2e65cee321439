"""The documents that ``--json`` prints: plain dicts with stable keys.

An article keeps the shape it has in the data file (``articles.schema.json``),
so a script can read both with one parser. The keys of every document are
listed in the README; tests pin them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from sccli.models import DISCLAIMER, Article, Entry, Hit, ListBlock, Section, Term
from sccli.reading import measure, minutes, running_text
from sccli.terms import first_uses

if TYPE_CHECKING:
    from sccli.libraries import Summary


def article_doc(
    article: Article,
    related: Sequence[Entry],
    section: Section | None = None,
    *,
    notes: bool = True,
    glossary: Sequence[Term] | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """``show``: the article (or one section of it), how long and hard it is to read,
    whether it is overdue for review, its related articles, and the disclaimer.

    With ``notes`` false, every ``notes`` list is empty; with a ``glossary``,
    ``terms`` defines the glossary terms the text uses, in order of first use.
    """
    data = msgspec.to_builtins(article)
    if section is not None:
        data["sections"] = [msgspec.to_builtins(section)]
    if not notes:
        for part in data["sections"]:
            for block in part["blocks"]:
                for holder in [block, *block.get("items", [])]:
                    if "notes" in holder:
                        holder["notes"] = []
    words, grade = measure(article)
    document: dict[str, Any] = {
        "article": data,
        "reading": {"words": words, "minutes": minutes(words), "grade": grade},
        "overdue": bool(article.next_review and today and article.next_review < today),
        "related": _refs(related),
    }
    if glossary is not None:
        shown = [section] if section is not None else article.sections
        document["terms"] = [term_doc(term) for term in first_uses(running_text(shown), glossary)]
    document["disclaimer"] = DISCLAIMER
    return document


def term_doc(term: Term) -> dict[str, Any]:
    """``define TERM``: one glossary entry, as in the data file."""
    document: dict[str, Any] = msgspec.to_builtins(term)
    return document


def glossary_doc(terms: Sequence[Term]) -> dict[str, Any]:
    """``define``: every glossary entry."""
    return {"glossary": [term_doc(term) for term in terms]}


def list_doc(article: Article, section: Section, block: ListBlock, *, notes: bool = True) -> dict[str, Any]:
    """``risks`` and ``benefits``: one list with the article and section it belongs to."""
    return {
        "article": _ref(article),
        "section": {"id": section.id, "heading": section.heading},
        "ordered": block.ordered,
        "items": [
            {
                "label": item.label,
                "text": item.text,
                "notes": [msgspec.to_builtins(note) for note in item.notes] if notes else [],
            }
            for item in block.items
        ],
        "disclaimer": DISCLAIMER,
    }


def libraries_doc(libraries: Sequence[Summary]) -> dict[str, Any]:
    """``library list``: each library's name, kind, path, counts, date of the copy, languages and problem."""
    return {
        "libraries": [
            {
                "name": library.name,
                "kind": library.kind,
                "path": library.path,
                "articles": library.articles,
                "terms": library.terms,
                "date": library.date,
                "languages": [language for language in library.languages.split(", ") if language],
                "problem": library.problem,
            }
            for library in libraries
        ]
    }


def articles_doc(articles: Sequence[Article]) -> dict[str, Any]:
    """``list``: every article's id, title, summary, review dates and reading figures."""
    return {"articles": [_listing(article) for article in articles]}


def articles_json(articles: Iterable[Article]) -> Iterator[str]:
    """:func:`articles_doc` as :func:`encode` writes it, in pieces, one article at a time (``list`` streams)."""
    first = True
    for article in articles:
        item = msgspec.json.format(msgspec.json.encode(_listing(article)), indent=2).decode()
        yield ('{\n  "articles": [\n' if first else ",\n") + "\n".join("    " + line for line in item.split("\n"))
        first = False
    yield '{\n  "articles": []\n}\n' if first else "\n  ]\n}\n"


def _listing(article: Article) -> dict[str, Any]:
    words, grade = measure(article)
    return {
        **_ref(article),
        "summary": article.summary,
        "reviewed": article.reviewed.isoformat(),
        "next_review": article.next_review.isoformat() if article.next_review else None,
        "reading": {"words": words, "minutes": minutes(words), "grade": grade},
    }


def sections_doc(article: Article) -> dict[str, Any]:
    """``sections``: the article and its sections' ids and headings."""
    return {
        "article": _ref(article),
        "sections": [{"id": section.id, "heading": section.heading} for section in article.sections],
    }


def related_doc(article: Article, related: Sequence[Entry]) -> dict[str, Any]:
    """``related``: the article and the articles it links to."""
    return {"article": _ref(article), "related": _refs(related)}


def results_doc(
    query: str,
    hits: Sequence[Hit],
    suggestions: Sequence[str] = (),
    *,
    corrected: str | None = None,
    total: int | None = None,
) -> dict[str, Any]:
    """``search``: the query, its hits and, when there are none, words spelt alike.

    ``total`` is how many sections match in all (``results`` holds the best
    of them, up to ``--limit``).

    ``matches`` are [start, end) character offsets into ``snippet``; ``item``
    is the list item that matched best (``number``, ``label``) or null;
    ``note`` is true when the snippet is from an editorial note. ``corrected``
    is the query that was searched instead, when a word was misspelt.
    """
    results = []
    for hit in hits:
        snippet = ""
        matches = []
        for fragment in hit.snippet:
            if fragment.match:
                matches.append([len(snippet), len(snippet) + len(fragment.text)])
            snippet += fragment.text
        results.append(
            {
                "article": {"id": hit.article_id, "title": hit.article_title},
                "section": {"id": hit.section_id, "heading": hit.heading},
                "item": {"number": hit.item, "label": hit.label} if hit.item else None,
                "snippet": snippet,
                "matches": matches,
                "note": hit.note,
                "score": hit.score,
            }
        )
    return {
        "query": query,
        "corrected": corrected,
        "total": len(results) if total is None else total,
        "results": results,
        "suggestions": list(suggestions),
    }


def encode(document: dict[str, Any]) -> str:
    """The JSON text of a document: indented, UTF-8, ending with a newline."""
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n"


def _ref(article: Article | Entry) -> dict[str, str]:
    return {"id": article.id, "title": article.title}


def _refs(articles: Sequence[Entry]) -> list[dict[str, str]]:
    return [_ref(article) for article in articles]
