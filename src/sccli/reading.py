"""How long an article takes to read, and how hard it is: pure functions, no I/O.

The grade is the Flesch-Kincaid grade level (Kincaid et al., 1975): the US
school grade whose pupils can follow the text,

    0.39 x (words / sentences) + 11.8 x (syllables / words) - 15.59

Syllables are counted by the usual rule of thumb (groups of vowels, less a
silent final "e"), which is close enough for a grade: a dictionary-based
counter would add a dependency and tens of milliseconds of start-up
(textstat also downloads its dictionary at run time, which an offline reader
cannot do). Reading time assumes 200 words a minute, a common figure for
adults reading for understanding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from sccli.models import Article, ListBlock, Paragraph, Section

WORDS_PER_MINUTE = 200

_SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouytd]ed|[^laeiouy]e)$")
_VOWELS = re.compile(r"[aeiouy]{1,2}")
_PUNCTUATION = ".,;:!?\"'()[]{}“”‘’«»—–-…*/"


def syllables(word: str) -> int:
    """Count the syllables of an English word, by rule of thumb: 0 for a token with no letters or digits."""
    return _SYLLABLES[word.lower()]


def _count_syllables(token: str) -> int:
    word = token.strip(_PUNCTUATION)
    if not any(char.isalnum() for char in word):
        return 0
    if "-" in word:  # "pain-conducting": each part
        return sum(_count_syllables(part) for part in word.split("-") if part) or 1
    if len(word) <= 3 or not word.isalpha():
        return 1
    trimmed = _SILENT_END.sub(lambda m: m.group()[0], word)
    trimmed = trimmed[1:] if trimmed.startswith("y") else trimmed
    return max(1, len(_VOWELS.findall(trimmed)))


class _SyllableCache(dict[str, int]):
    """Syllables by lower-case token, counted once per process.

    Indexing 50,000 articles meets millions of words but only some hundred
    thousand distinct ones, and a dictionary lookup in C is what keeps the
    reading grade from costing more than the rest of indexing.
    """

    def __missing__(self, token: str) -> int:
        count = self[token] = _count_syllables(token)
        return count


_SYLLABLES = _SyllableCache()


def text_counts(texts: Iterable[str]) -> tuple[int, int, int]:
    """Words, sentences and syllables of some texts; each text ends at least one sentence."""
    words = sentences = syllable_count = 0
    for text in texts:
        counts = list(map(_SYLLABLES.__getitem__, text.lower().split()))
        found = len(counts) - counts.count(0)
        if not found:
            continue
        words += found
        syllable_count += sum(counts)
        ends = text.count(". ") + text.count("? ") + text.count("! ") + text.rstrip().endswith((".", "?", "!"))
        sentences += max(1, ends)
    return words, sentences, syllable_count


def grade(words: int, sentences: int, syllable_count: int) -> float:
    """The Flesch-Kincaid grade level, to one decimal place (0 at least: the formula goes below
    zero for very short sentences of short words, which no school grade is)."""
    if not words or not sentences:
        return 0.0
    return max(round(0.39 * words / sentences + 11.8 * syllable_count / words - 15.59, 1), 0.0)


def running_text(sections: Iterable[Section]) -> Iterable[str]:
    """The running text of some sections, in reading order: paragraphs and list items
    (not headings or notes)."""
    for section in sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, ListBlock):
                for item in block.items:
                    yield item.text


def measure(article: Article) -> tuple[int, float]:
    """An article's word count and Flesch-Kincaid grade."""
    words, sentences, syllable_count = text_counts(running_text(article.sections))
    return words, grade(words, sentences, syllable_count)


def minutes(words: int) -> int:
    """Minutes to read ``words`` words, rounded up (at least one)."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
