"""Turn what a person typed into search terms and an FTS5 query.

People type words, not query syntax. Quotes, ``*``, ``-``, ``:``, ``^``,
parentheses and ``AND``/``OR``/``NOT``/``NEAR`` are read as ordinary text: a
query is split into words and quoted phrases, and every piece goes into the
FTS5 expression as a quoted string, so no input can be a syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”')
_WORD = re.compile(r"\w+")

#: Words too common to say anything about a section ("what is nerve pain").
STOPWORDS = frozenset(
    "a about an and are as at be been but by can could do does for from had has have how i if "
    "in into is it its may me might my no not of on or our should so than that the their them "
    "then there these they this those to was we were what when where which who why will with "
    "would you your".split()
)

#: Shortest stem that is searched as a prefix ("neuropath*" finds "neuropathic").
MIN_PREFIX = 4

#: The most consecutive terms compared with a synonym phrase (the longest packaged
#: phrase has 7 words). Without a cap, a pasted page of text as a query would be
#: compared run by run, in time that grows with the cube of its length.
MAX_RUN = 8


def words(text: str) -> list[str]:
    """The lower-case words of ``text``."""
    return _WORD.findall(text.casefold())


def parse_query(text: str) -> list[str]:
    """Split a query into terms: quoted phrases as they are, other words one by one.

    Stopwords are dropped, unless the query is nothing but stopwords. Each term
    is lower case, its words separated by single spaces; repeats are dropped.

    >>> parse_query('What is "nerve pain" in SCS?')
    ['nerve pain', 'scs']
    """
    terms: list[str] = []
    plain: list[str] = []
    cursor = 0
    for match in _PHRASE.finditer(text):
        plain.extend(words(text[cursor : match.start()]))
        phrase = " ".join(words(match.group(1) or match.group(2) or ""))
        if phrase:
            terms.append(phrase)
        cursor = match.end()
    plain.extend(words(text[cursor:].replace('"', " ")))
    kept = [word for word in plain if word not in STOPWORDS] or plain
    return list(dict.fromkeys([*terms, *kept]))


Alternative = str | tuple[str, ...]


def expand(terms: Sequence[str], synonyms: Iterable[Sequence[str]]) -> list[list[Alternative]]:
    """Group each term with the terms that mean the same.

    A synonym group applies when one of its phrases is a term, or is a run of
    consecutive single-word terms ("nerve", "pain" meets "nerve pain"). Phrases
    are compared without stopwords, as queries are ("pins and needles" meets
    "pins", "needles"), but searched as written.

    Returns:
        One list of alternatives per concept, in query order. An alternative
        is a string (a word or a phrase) or, for the words a synonym phrase
        was found in, a tuple of words that must all appear, so that the
        synonym widens the query and never narrows it.
    """
    groups = []
    for group in synonyms:
        phrases = [" ".join(words(phrase)) for phrase in group]
        groups.append(({phrase_key(phrase) for phrase in phrases}, phrases))
    concepts: list[list[Alternative]] = []
    index = 0
    while index < len(terms):
        match = _longest_synonym(terms, index, groups)
        if match is None:
            concepts.append([terms[index]])
            index += 1
        else:
            length, phrases = match
            run = terms[index : index + length]
            alternatives: list[Alternative] = [" ".join(run), *phrases]
            if length > 1:
                alternatives.append(tuple(run))
            concepts.append(list(dict.fromkeys(alternatives)))
            index += length
    return concepts


def phrase_key(phrase: str) -> str:
    """What a synonym phrase is compared by: its lower-case words, without stopwords."""
    return _key(" ".join(words(phrase)))


def run_keys(terms: Sequence[str]) -> list[str]:
    """The keys of every run of consecutive terms: a synonym group applies to the
    query only if one of its phrases has one of these keys."""
    runs = (
        terms[start:end]
        for start in range(len(terms))
        for end in range(start + 1, min(len(terms), start + MAX_RUN) + 1)
    )
    return list(dict.fromkeys(_key(" ".join(run)) for run in runs))


def _key(phrase: str) -> str:
    kept = [word for word in phrase.split() if word not in STOPWORDS]
    return " ".join(kept or phrase.split())


def _longest_synonym(
    terms: Sequence[str], start: int, groups: list[tuple[set[str], list[str]]]
) -> tuple[int, list[str]] | None:
    for length in range(min(len(terms) - start, MAX_RUN), 0, -1):
        run = _key(" ".join(terms[start : start + length]))
        for keys, phrases in groups:
            if run in keys:
                return length, phrases
    return None


def fts_expression(concepts: Sequence[Sequence[Alternative]], stem: Callable[[str], str], *, all_terms: bool) -> str:
    """Build an FTS5 MATCH expression: concepts joined by AND (or OR), alternatives by OR.

    A single word becomes a prefix query on its stem with the last vowel-like
    letter dropped ("neuropathy" -> ``"neuropath"*``), so word forms meet; a
    phrase is searched as a phrase.
    """
    joiner = " AND " if all_terms else " OR "
    parts = []
    for alternatives in concepts:
        pieces = [_fts_term(term, stem) for term in alternatives]
        parts.append(pieces[0] if len(pieces) == 1 else "(" + " OR ".join(pieces) + ")")
    return joiner.join(parts)


def _fts_term(term: Alternative, stem: Callable[[str], str]) -> str:
    if isinstance(term, tuple):
        return "(" + " AND ".join(_fts_term(word, stem) for word in term) + ")"
    if " " in term:
        return quote(term)
    root = stem(term)
    if len(root) > MIN_PREFIX and root[-1] in "ie":
        root = root[:-1]
    if len(root) >= MIN_PREFIX:
        return quote(root) + "*"
    return quote(term)


def quote(text: str) -> str:
    """An FTS5 string: ``text`` in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'
