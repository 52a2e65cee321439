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
        if not library.articles:
            raise NotFound(NO_ARTICLES, [], "Run 'sccli define' to see them.")
        return library.articles[0]
    return _find(
        library.articles,
        name,
        kind="article",
        names=lambda article: (article.title, *article.aliases),
        hint=LIST_HINT,
    )


#: What asking for an article says where there are only glossary entries (a definitions file).
NO_ARTICLES = "There are no articles here, only glossary entries."

#: What a "not found" says when no name is close: where the names are listed.
LIST_HINT = "Run 'sccli list' to see every article."


def find_section(article: Article, name: str) -> Section:
    """Return the section of ``article`` called ``name`` (id, heading or id prefix)."""
    return _find(
        article.sections,
        name,
        kind=f"section in '{article.id}'",
        names=lambda section: (section.heading,),
        hint=f"Its sections: {', '.join(section.id for section in article.sections)}.",
    )


def find_term(glossary: Sequence[Term], name: str, synonyms: Callable[[], Iterable[Sequence[str]]] = tuple) -> Term:
    """Return the glossary entry called ``name``.

    A name matches, in this order: the entry's id, its term or an alias (any
    case); a synonym of one of those (``synonyms``: groups of phrases that
    mean the same, read only when needed: "pins and needles" is
    "paresthesia"); then another form of the same words ("neuropathic" is
    "neuropathy", "paresthesias" is "paresthesia"), when only one entry has it.

    Raises:
        NotFound: no entry matches; the error suggests entries spelt alike.
    """
    wanted = " ".join(name.strip().casefold().split())
    names = {alias.casefold(): term for term in glossary for alias in (term.term, *term.aliases)}
    names.update({term.id: term for term in glossary})
    if wanted in names:
        return names[wanted]
    for group in synonyms():
        phrases = [phrase.casefold() for phrase in group]
        if wanted in phrases:
            for phrase in phrases:
                if phrase in names:
                    return names[phrase]
    forms = list(dict.fromkeys(term.id for key, term in names.items() if _same_words(wanted, key)))
    if len(forms) == 1:
        return next(term for term in glossary if term.id == forms[0])
    close = [*forms, *(names[key].id for key in containing(wanted, list(names))), *suggest_ids(wanted, list(names))]
    raise NotFound(
        f"No glossary entry for '{name}'.",
        list(dict.fromkeys(names[word].id if word in names else word for word in close))[:3],
        "Run 'sccli define' to see every entry.",
    )


def _same_words(first: str, second: str) -> bool:
    """Whether two names are the same words in other forms: each pair shares at least five
    letters and differs only in an ending ("neuropathic", "neuropathy"; "leads", "lead")."""
    ones, others = first.split(), second.split()
    return len(ones) == len(others) and all(_same_word(one, other) for one, other in zip(ones, others, strict=True))


def _same_word(one: str, other: str) -> bool:
    if one == other:
        return True
    shared = next((n for n, (a, b) in enumerate(zip(one, other, strict=False)) if a != b), min(len(one), len(other)))
    return shared >= 5 and one[shared:] in _ENDINGS and other[shared:] in _ENDINGS


#: Endings that make another form of the same word: what may differ after the shared start.
_ENDINGS = frozenset({"", "s", "es", "e", "y", "ies", "ic", "ical", "al", "ia", "ias", "ed", "ing", "ion", "ions"})


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


def _find(items: Sequence[T], name: str, *, kind: str, names: Callable[[T], Iterable[str]], hint: str = "") -> T:
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
    raise _not_found(name, kind, {item.id: list(names(item)) for item in items}, hint)


def _not_found(name: str, kind: str, names: dict[str, list[str]], hint: str) -> NotFound:
    """The error for ``name``: the ids whose names have its words, then ids spelt alike, else ``hint``."""
    folded = name.strip().casefold()
    named = [found for found, texts in names.items() if containing(folded, texts)]
    close = list(dict.fromkeys([*named, *suggest_ids(folded, list(names))]))[:3]
    return NotFound(f"No {kind} called '{name}'.", close, hint)


def containing(name: str, texts: Iterable[str]) -> list[str]:
    """The texts that have every word of ``name`` (any case): "living with" names "Living with a stimulator"."""
    wanted = name.casefold().split()
    if not wanted:
        return []
    return [text for text in texts if all(word in text.casefold().split() for word in wanted)]


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
