"""Find glossary terms in running text: pure functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sccli.models import Term

_WORD = re.compile(r"\w+")


class TermFinder:
    """Find where glossary terms (and their aliases) are used in text: whole words, any case.

    Names are matched word by word ("closed-loop" and "closed loop" are the
    same two words), longest first, with a dictionary rather than one large
    regular expression, which took milliseconds to compile on every run.
    """

    def __init__(self, glossary: Sequence[Term]) -> None:
        self._terms: dict[tuple[str, ...], Term] = {}
        for term in glossary:
            for name in (term.term, *term.aliases):
                key = tuple(_WORD.findall(name.casefold()))
                if key:
                    self._terms.setdefault(key, term)
        self._longest = max((len(key) for key in self._terms), default=0)

    def find(self, text: str) -> Iterable[tuple[int, int, Term]]:
        """Each use of a term in ``text``: start, end and the term, in order, never overlapping."""
        if not self._terms:
            return
        words = list(_WORD.finditer(text))
        folded = [word.group().casefold() for word in words]
        index = 0
        while index < len(words):
            for length in range(min(self._longest, len(words) - index), 0, -1):
                term = self._terms.get(tuple(folded[index : index + length]))
                if term is not None:
                    yield words[index].start(), words[index + length - 1].end(), term
                    index += length
                    break
            else:
                index += 1


def first_uses(texts: Iterable[str], glossary: Sequence[Term]) -> list[Term]:
    """The glossary terms used in ``texts``, in the order of their first use."""
    finder = TermFinder(glossary)
    found: dict[str, Term] = {}
    for text in texts:
        for _, _, term in finder.find(text):
            found.setdefault(term.id, term)
    return list(found.values())
