"""The documents that ``--json`` prints: plain dicts with stable keys.

An article keeps the shape it has in the data file (``articles.schema.json``),
so a script can read both with one parser. The keys of every document are
listed in the README; tests pin them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from sccli.models import DISCLAIMER, Article, Entry, Hit, ListBlock, Section


def article_doc(article: Article, related: Sequence[Entry], section: Section | None = None) -> dict[str, Any]:
    """``show``: the article (or one section of it), its related articles and the disclaimer."""
    data = msgspec.to_builtins(article)
    if section is not None:
        data["sections"] = [msgspec.to_builtins(section)]
    return {"article": data, "related": _refs(related), "disclaimer": DISCLAIMER}


def list_doc(article: Article, section: Section, block: ListBlock) -> dict[str, Any]:
    """``risks`` and ``benefits``: one list with the article and section it belongs to."""
    return {
        "article": _ref(article),
        "section": {"id": section.id, "heading": section.heading},
        "ordered": block.ordered,
        "items": [{"label": item.label, "text": item.text} for item in block.items],
        "disclaimer": DISCLAIMER,
    }


def articles_doc(articles: Sequence[Entry]) -> dict[str, Any]:
    """``list``: every article's id, title, summary and review date."""
    return {
        "articles": [
            {**_ref(article), "summary": article.summary, "reviewed": article.reviewed.isoformat()}
            for article in articles
        ]
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


def results_doc(query: str, hits: Sequence[Hit], suggestions: Sequence[str] = ()) -> dict[str, Any]:
    """``search``: the query, its hits and, when there are none, words spelt alike.

    ``matches`` are [start, end) character offsets into ``snippet``; ``item``
    is the list item that matched best (``number``, ``label``) or null.
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
                "score": hit.score,
            }
        )
    return {"query": query, "results": results, "suggestions": list(suggestions)}


def encode(document: dict[str, Any]) -> str:
    """The JSON text of a document: indented, UTF-8, ending with a newline."""
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n"


def _ref(article: Article | Entry) -> dict[str, str]:
    return {"id": article.id, "title": article.title}


def _refs(articles: Sequence[Entry]) -> list[dict[str, str]]:
    return [_ref(article) for article in articles]
