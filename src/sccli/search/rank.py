"""Order candidate sections by the evidence each has for each concept of a query.

FTS5 finds the candidates; this module decides their order. ``bm25()`` sees
one indexed row at a time, so it cannot tell a section whose article is
*about* the query (its title or aliases name it) from one that merely
mentions the words, and it lets long sections that repeat a common word win.
Here each concept of the query (a word or phrase with its synonyms) is weighed
by how rare it is (its IDF, from the index's vocabulary), and by where it is:

* **about**: the article's title, aliases or tags; counted more the more of
  the title the query covers ("asthma" is about "Asthma" more than about
  "Asthma in children");
* **named**: the section's heading, or a list item's label and its section's heading,
  less any repeat of the article's title (MedlinePlus heads every section "What causes
  aplastic anemia?", which would make "Aplastic Anemia" outrank "Anemia" for "anemia");
* **said**: the paragraphs, the item or an editorial note, by BM25 with length
  normalisation, so that a short list item and a long section compare fairly.

Evidence of each kind saturates (a word said ten times is not ten times the
evidence), the kinds add up, and text that repeats what the title already says
counts for little. The total is scaled by the share of the query's IDF that the
unit matches, so more of the query matched ranks higher. A query about nothing
but an article (every concept in its title or aliases) is answered by the
article's first section, which introduces it; a query that is one name, the more so.

The query's own words count in full; words that a synonym group adds count
a little less, so a synonym widens a query without outvoting it. Weak words
("put", "getting", "after": :data:`~sccli.search.query.WEAK_WORDS`) count at
a fraction of their IDF, which a small library overstates.

Weights were set on the development question sets in ``../shared/relevance``
(``bench/relevance.py``); they are few and round, and the larger held-out sets
check them.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sccli.models import Fragment
from sccli.search.query import WEAK_WORDS, Alternative, stem_root

#: BM25's saturation and length normalisation, for the text.
K1 = 1.2
B = 0.75
#: The most that one concept found in each place is worth (times its IDF).
ABOUT, NAMED, SAID = 1.6, 1.6, 1.0
#: ... and in the article's tags, which say what an article touches on, not what it is about.
TAGGED = 0.2
#: How quickly evidence in titles and headings saturates (smaller: sooner).
SHORT_FIELD = 0.2
#: What text evidence is still worth for a concept the article's title already has.
REPEATED = 0.15
#: How much of the article evidence depends on how fully the query covers the title.
FIT = 0.5
#: What the first section gains (times the IDF of the title's evidence) when the query is only about the article:
#: every concept in its title or aliases; more when the query is one concept, a name ("asthma", "heart attack"),
#: since a question of several whose words all happen to be in a name ("is X inherited", against an alias
#: "hereditary X") is more often asking about one of its sections.
LEAD, NAME = 0.2, 1.0
#: What a synonym's match is worth against the query's own word.
SYNONYM = 0.6
#: What a weak word (:data:`sccli.search.query.WEAK_WORDS`) weighs against its IDF.
WEAK = 0.2
#: Weights within each kind of evidence.
TITLE, ALIAS = 1.0, 1.0
HEADING, LABEL, CONTEXT = 1.0, 0.6, 0.3
NOTE = 0.7

SNIPPET_WORDS = 24
_WORD = re.compile(r"\w+")
_GAPS = re.compile(r"[\W_]+")
_SPACE = re.compile(r"\s+")


@dataclass
class Unit:
    """What ranking sees of one candidate: where it sits, and its text by field, in
    the order of the index's columns."""

    order: int  # the article's place in the library
    number: int  # the unit's place in its article: 0 is the first section
    title: str
    aliases: str
    tags: str
    heading: str
    label: str
    body: str
    context: str
    notes: str


@dataclass(frozen=True)
class Concept:
    """One concept of the query: its alternatives (the query's own words first), and its IDF."""

    alternatives: Sequence[Alternative]
    idf: float

    @classmethod
    def weighed(cls, alternatives: Sequence[Alternative], idf: float) -> Concept:
        """The concept with its IDF, less for a weak word typed alone (:data:`WEAK`)."""
        weak = len(alternatives) == 1 and alternatives[0] in WEAK_WORDS
        return cls(alternatives, idf * WEAK if weak else idf)


class Matcher:
    """Finds every concept of a query in a text, in one pass of one regular expression.

    A word matches its word forms as the index does (its stem as a prefix); a
    phrase, its words in order; a tuple of words (the words a synonym phrase
    was found in), as often as its rarest word. Texts are :func:`fold`-ed first.
    """

    def __init__(
        self, concepts: Sequence[Concept], stem: Callable[[str], str], *, stopwords: Sequence[str] = ()
    ) -> None:
        self.concepts = list(concepts)
        # The query's own words as typed, per concept, and the stopwords it dropped: a
        # title fits a query by what was typed ("Tietz" fits "Tietz syndrome" better
        # than "Tietze syndrome"; "type I" fits "type I" better than "type II").
        self._typed = [
            len(
                _GAPS.sub(
                    "", " ".join(c.alternatives[0]) if isinstance(c.alternatives[0], tuple) else c.alternatives[0]
                )
            )
            for c in self.concepts
        ]
        self._stopwords = re.compile(r"\b(?:" + "|".join(map(re.escape, stopwords)) + r")\b") if stopwords else None
        pieces: list[str] = []
        self._groups: list[tuple[int, int, float]] = []  # per group: concept, word of a tuple (or -1), weight
        self._tuples: dict[int, int] = {}  # concept -> how many words its tuple has
        for number, concept in enumerate(self.concepts):
            own, *others = concept.alternatives
            for weight, alternatives in ((1.0, [own]), (SYNONYM, others)):
                plain = [_pattern(each, stem) for each in alternatives if not isinstance(each, tuple)]
                if plain:
                    pieces.append(f"(?P<g{len(self._groups)}>{'|'.join(plain)})")
                    self._groups.append((number, -1, weight))
            for alternative in concept.alternatives:
                if isinstance(alternative, tuple):
                    self._tuples[number] = len(alternative)
                    for position, word in enumerate(alternative):
                        pieces.append(f"(?P<g{len(self._groups)}>{_pattern(word, stem)})")
                        self._groups.append((number, position, 1.0))
        self.regex = re.compile("|".join(pieces)) if pieces else re.compile(r"(?!)")
        # Where a match can start: a scan for these literal prefixes is several times
        # faster than one for the whole pattern, which is then tried only there.
        starts = sorted(
            {start for concept in self.concepts for each in concept.alternatives for start in _starts(each, stem)}
        )
        self._starts = re.compile(r"\b(?:" + "|".join(map(re.escape, starts)) + ")") if starts else self.regex

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of :attr:`regex` in ``text``, as ``regex.finditer`` finds them."""
        end = 0
        for start in self._starts.finditer(text):
            if start.start() >= end:
                match = self.regex.match(text, start.start())
                if match is not None and match.end() > match.start():
                    end = match.end()
                    yield match

    def counts(self, text: str) -> list[float]:
        """How often each concept occurs in the folded ``text``; synonyms count less."""
        found = [0.0] * len(self.concepts)
        if not text:
            return found
        parts: dict[tuple[int, int], int] = {}
        for match in self.finditer(text):
            concept, position, weight = self._groups[int(str(match.lastgroup)[1:])]
            if position < 0:
                found[concept] += weight
            else:
                parts[concept, position] = parts.get((concept, position), 0) + 1
        for concept, size in self._tuples.items():
            found[concept] += min(parts.get((concept, position), 0) for position in range(size))
        return found

    def fit(self, names: str) -> float:
        """How fully the query covers the best of ``names`` (folded, one per line): the
        share of the name's letters and digits that matched words stand on, 0 to 1."""
        best = 0.0
        for name in names.split("\n"):
            total = len(_GAPS.sub("", name))
            if total:
                covered = 0
                for match in self.finditer(name):
                    concept, _, weight = self._groups[int(str(match.lastgroup)[1:])]
                    found = len(_GAPS.sub("", match.group()))
                    covered += min(found, self._typed[concept]) if weight == 1.0 else found
                if self._stopwords is not None:
                    covered += sum(len(match.group()) for match in self._stopwords.finditer(name))
                best = max(best, min(covered / total, 1.0))
        return best

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Where concepts occur in ``text`` (offsets into the text as given)."""
        for match in self.finditer(fold(text)):
            yield match.span()


def _pattern(term: str, stem: Callable[[str], str]) -> str:
    """A regular expression for a word or phrase that matches word forms as the index does."""
    return r"\b" + r"\W+".join(_word_pattern(word, stem) for word in term.split()) + r"(?!\w)"


def _starts(term: Alternative, stem: Callable[[str], str]) -> list[str]:
    """The literal text that a match of ``term`` (or of each word of a tuple) begins with."""
    firsts = list(term) if isinstance(term, tuple) else [term.split()[0]]
    found = []
    for word in firsts:
        root = stem_root(word, stem)
        if root is not None and word.startswith(root):
            found.append(root[:-1] if root.endswith("e") else root)
        else:
            short = stem(word)
            found.extend([word, short[:-1] if short.endswith("e") and len(short) > 2 else short])
    return found


def _word_pattern(word: str, stem: Callable[[str], str]) -> str:
    """A word's forms: a long stem as a prefix, as the index searches it; a short
    one with the regular English endings ("move": "moves", "moved", "moving")."""
    root = stem_root(word, stem)
    if root is not None and word.startswith(root):
        if root.endswith("e"):  # "drive": "drives", "driver", and "driving", which drops the "e"
            return re.escape(root[:-1]) + r"(?:e|ing)\w*"
        return re.escape(root) + r"\w*"
    short = stem(word)
    if word == short + "e" or (len(short) <= 2 and word.startswith(short + "e")):
        short += "e"  # a stemmer that drops the "e": "one", "ones" are "on", "used" is "us"
    if short.endswith("e") and len(short) > 2:  # "care": "cares", "cared", "caring", never "car" or "cars"
        forms = [re.escape(word), re.escape(short[:-1]) + "(?:e|es|ed|ing|ings|er|ers|eful|efully)"]
    elif len(short) <= 2:  # "doing" is "do": "does", "doing", but "do" is another word
        forms = [re.escape(word), re.escape(short) + "(?:es|ed|s|ing|er|ers)"]
    else:  # and the endings the stemmer also takes off a short word: "painful", "stressful"
        forms = [re.escape(word), re.escape(short) + "(?:es|ed|s|ing|ings|er|ers|ful|fully|fulness|ness|ly|y)?"]
    if short[-1] not in "aeiouy" and len(short) > 2:  # "stop": "stopped", "stopping"
        forms.append(re.escape(short + short[-1]) + "(?:ed|ing|er|ers|y)")
    return "(?:" + "|".join(dict.fromkeys(forms)) + ")"


def fold(text: str) -> str:
    """Lower case, accents removed, one character for one, so that offsets stay true."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters ("İ") lower-case to two characters
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
    return lowered.translate(_FOLD)


def _folding() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base.lower()
    return table


_FOLD = _folding()


def idf(documents: int, frequency: int) -> float:
    """BM25's inverse document frequency, never below a small positive floor."""
    frequency = min(max(frequency, 0), documents)
    return max(math.log((documents - frequency + 0.5) / (frequency + 0.5) + 1.0), 0.05)


def about(unit: Unit, matcher: Matcher) -> tuple[list[float], list[float]]:
    """Each concept's evidence in the unit's article: in its title or an alias (0 to 1,
    less the less of that name the query covers), and in its tags.

    Every unit of an article has the same, so callers compute it once per article.
    """
    best = [0.0] * len(matcher.concepts)
    names = [(unit.title, TITLE), *((alias, ALIAS) for alias in unit.aliases.split("\n") if alias)]
    for name, weight in names:  # an article is about a concept once: by the name that fits the query best
        folded = fold(name)
        fit = 1 - FIT + FIT * matcher.fit(folded)
        for number, count in enumerate(matcher.counts(folded)):
            if count:
                best[number] = max(best[number], _saturate(weight * count) * fit)
    return best, _weighted(matcher, ((unit.tags, 1.0),))


def score(unit: Unit, matcher: Matcher, relative_length: float, article: tuple[list[float], list[float]]) -> float:
    """The unit's score (0 when it matches nothing).

    ``relative_length`` is the length of the unit's text and notes against the
    average of its kind (sections, or list items); ``article`` comes from :func:`about`.
    """
    titled, tagged = article
    # A heading that repeats the article's title ("What are the symptoms of aplastic anemia?")
    # names the section by its other words: the title's are the title's evidence, counted once.
    title = fold(unit.title)
    heading, context = (_without(fold(text), title) for text in (unit.heading, unit.context))
    named = _weighted(matcher, ((heading, HEADING), (fold(unit.label), LABEL), (context, CONTEXT)), folded=True)
    body, notes = fold(unit.body), fold(unit.notes)
    said = _weighted(matcher, ((body, 1.0), (notes, NOTE)), folded=True)
    norm = 1 - B + B * relative_length
    total = found = possible = lead = 0.0
    for number, concept in enumerate(matcher.concepts):
        possible += concept.idf
        if not (titled[number] or tagged[number] or named[number] or said[number]):
            continue
        found += concept.idf
        lead += concept.idf * titled[number]
        text = said[number] / norm
        evidence = ABOUT * titled[number] + TAGGED * _saturate(tagged[number])
        evidence += NAMED * _saturate(named[number])
        evidence += SAID * text / (text + K1) * (REPEATED if titled[number] else 1.0)
        total += concept.idf * evidence
    if possible:
        total *= found / possible
    if unit.number == 0 and all(titled):
        total += (NAME if len(titled) == 1 else LEAD) * lead
    return total


def _without(text: str, title: str) -> str:
    """``text`` with each occurrence of ``title`` blanked (both folded)."""
    return text.replace(title, " ") if text and title else text


def _saturate(weight: float) -> float:
    return weight / (weight + SHORT_FIELD)


def _weighted(matcher: Matcher, fields: Sequence[tuple[str, float]], *, folded: bool = False) -> list[float]:
    totals = [0.0] * len(matcher.concepts)
    for text, weight in fields:
        if text:
            for number, count in enumerate(matcher.counts(text if folded else fold(text))):
                totals[number] += weight * count
    return totals


def snippet(text: str, matcher: Matcher, words: int = SNIPPET_WORDS) -> tuple[Fragment, ...]:
    """About ``words`` words of ``text`` where most matches are, with the matches marked.

    Returns no fragments when nothing in ``text`` matches.
    """
    spans = _merge(sorted(matcher.spans(text)))
    if not spans:
        return ()
    tokens = [m.span() for m in _WORD.finditer(text)]
    ends = [token[1] for token in tokens]
    span_starts = [span[0] for span in spans]
    span_ends = [span[1] for span in spans]
    begin, best = 0, -1
    for span in spans:  # the window with the most matches, the earliest on a tie
        start = max(0, min(bisect.bisect_right(ends, span[0]), len(tokens) - 1) - words // 4)
        stop = ends[min(len(tokens), start + words) - 1]
        count = bisect.bisect_right(span_ends, stop) - bisect.bisect_left(span_starts, tokens[start][0])
        if count > best:
            begin, best = start, count
    end = min(len(tokens), begin + words)
    if end == len(tokens):
        begin = max(0, end - words)
    start = tokens[begin][0] if begin > 0 else 0
    finish = tokens[end - 1][1] if end < len(tokens) else len(text)
    return _fragments(text, spans, start, finish, begin > 0, end < len(tokens))


def lead_in(text: str, words: int = SNIPPET_WORDS) -> tuple[Fragment, ...]:
    """The first ``words`` words of ``text``, for a hit whose match is not in its text."""
    tokens = [m.span() for m in _WORD.finditer(text)]
    if not tokens:
        return ()
    end = min(len(tokens), words)
    return _fragments(text, [], 0, tokens[end - 1][1] if end < len(tokens) else len(text), False, end < len(tokens))


def _fragments(
    text: str, spans: list[tuple[int, int]], start: int, finish: int, before: bool, after: bool
) -> tuple[Fragment, ...]:
    fragments: list[Fragment] = [Fragment("… ")] if before else []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= finish:
            continue
        span_start, span_end = max(span_start, start), min(span_end, finish)
        if span_start > cursor:
            fragments.append(Fragment(_SPACE.sub(" ", text[cursor:span_start])))
        fragments.append(Fragment(_SPACE.sub(" ", text[span_start:span_end]), True))
        cursor = span_end
    if finish > cursor:
        fragments.append(Fragment(_SPACE.sub(" ", text[cursor:finish])))
    if after:
        fragments.append(Fragment(" …"))
    return tuple(fragments)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
