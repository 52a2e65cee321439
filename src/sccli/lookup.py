"""Find articles and sections by the names people type: pure look-ups, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sccli.errors import NotFound
from sccli.models import Article, Library, ListBlock, Section, Term

T = TypeVar("T", Article, Section)


def find_article(library: Library, name: str | None = None) -> Article:
    """Return the article called ``name``; the first article when it is None.

    A name matches, in this order: an id; a title or alias, ignoring case; the
    start of exactly one id.

    Raises:
        NotFound: nothing matches, or a prefix matches several articles; the
            error carries suggestions.
    """
    if name is None:
        return library.articles[0]
    return _find(
        library.articles,
        name,
        kind="article",
        names=lambda article: (article.title, *article.aliases),
    )


def find_section(article: Article, name: str) -> Section:
    """Return the section of ``article`` called ``name`` (id, heading or id prefix)."""
    return _find(
        article.sections,
        name,
        kind=f"section in '{article.id}'",
        names=lambda section: (section.heading,),
    )


def find_term(glossary: Sequence[Term], name: str) -> Term:
    """Return the glossary entry called ``name``: its id, its term or an alias (any case).

    Raises:
        NotFound: no entry matches; the error suggests entries spelt alike.
    """
    wanted = name.strip().casefold()
    for term in glossary:
        if wanted in (term.id, term.term.casefold(), *(alias.casefold() for alias in term.aliases)):
            return term
    names = {alias.casefold(): term.id for term in glossary for alias in (term.term, *term.aliases)}
    names.update({term.id: term.id for term in glossary})
    close = suggest_ids(wanted, list(names))
    raise NotFound(f"No glossary entry for '{name}'.", list(dict.fromkeys(names[word] for word in close)))


def find_list(article: Article, section_id: str, others: Iterable[Article] = ()) -> tuple[Section, ListBlock]:
    """Return the section with id ``section_id`` ("risks", "benefits") and its first list.

    Args:
        others: the library's articles, read in order until five are found that
            have such a list, to name them when ``article`` has none.

    Raises:
        NotFound: the article has no such section, or the section has no list.
    """
    found = _first_list(article, section_id)
    if found is not None:
        return found
    having: list[str] = []
    for other in others:
        if other.id != article.id and _first_list(other, section_id):
            having.append(other.id)
            if len(having) == 5:
                break
    hint = f" These do: {', '.join(having)} (sccli {section_id} ID)." if having else ""
    raise NotFound(f"The article '{article.id}' has no list of {section_id}.{hint}")


def _first_list(article: Article, section_id: str) -> tuple[Section, ListBlock] | None:
    for section in article.sections:
        if section.id == section_id:
            for block in section.blocks:
                if isinstance(block, ListBlock):
                    return section, block
    return None


def _find(items: Sequence[T], name: str, *, kind: str, names: Callable[[T], Iterable[str]]) -> T:
    wanted = name.strip()
    folded = wanted.casefold()
    for item in items:
        if item.id == wanted:
            return item
    for item in items:
        if any(other.casefold() == folded for other in names(item)):
            return item
    prefixed = [item for item in items if folded and item.id.startswith(folded)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise ambiguous(name, kind, [item.id for item in prefixed])
    raise NotFound(f"No {kind} called '{name}'.", suggest_ids(folded, [item.id for item in items]))


def ambiguous(name: str, kind: str, ids: Sequence[str], shown: int = 10) -> NotFound:
    """The error for a name that starts several ids (at most ``shown`` of them named)."""
    listed = ", ".join(ids[:shown]) + (", …" if len(ids) > shown else "")
    return NotFound(f"'{name}' could be more than one {kind}: {listed}.")


def suggest_ids(word: str, ids: list[str]) -> list[str]:
    """Up to three ids close to ``word``: the best match and any nearly as good.

    Within a budget: ids whose length alone rules them out are skipped at
    once, and the search stops after :data:`SUGGEST_SECONDS` (a very long
    name against a very large library), keeping what it found.
    """
    import difflib
    import time

    deadline = time.monotonic() + SUGGEST_SECONDS
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)  # the sequence SequenceMatcher prepares once
    scored: list[tuple[float, str]] = []
    for number, candidate in enumerate(ids):
        if number % 512 == 0 and time.monotonic() > deadline:
            break
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5:
            scored.append((matcher.ratio(), candidate))
    scored.sort(key=lambda pair: -pair[0])
    if scored and scored[0][0] >= 0.6:
        best = scored[0][0]
        return [candidate for ratio, candidate in scored[:3] if ratio >= best - 0.1]
    return [candidate for candidate in ids if word and word in candidate][:3]


#: Seconds that looking for ids spelt like a name may take.
SUGGEST_SECONDS = 0.3
