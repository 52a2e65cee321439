"""Find glossary terms in running text: pure functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sccli.models import Term


class TermFinder:
    """Find where glossary terms (and their aliases) are used in text, whole words only, any case."""

    def __init__(self, glossary: Sequence[Term]) -> None:
        names = {alias.casefold(): term for term in glossary for alias in (term.term, *term.aliases)}
        self._terms = names
        ordered = sorted(names, key=len, reverse=True)  # longest first: "pulse generator" before "generator"
        self._pattern = (
            re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)", re.IGNORECASE)
            if ordered
            else None
        )

    def find(self, text: str) -> Iterable[tuple[int, int, Term]]:
        """Each use of a term in ``text``: start, end and the term."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text):
            yield match.start(), match.end(), self._terms[match.group().casefold()]


def first_uses(texts: Iterable[str], glossary: Sequence[Term]) -> list[Term]:
    """The glossary terms used in ``texts``, in the order of their first use."""
    finder = TermFinder(glossary)
    found: dict[str, Term] = {}
    for text in texts:
        for _, _, term in finder.find(text):
            found.setdefault(term.id, term)
    return list(found.values())
