"""Turn what a person typed into search terms and an FTS5 query.

People type words, not query syntax. Quotes, ``*``, ``-``, ``:``, ``^``,
parentheses and ``AND``/``OR``/``NOT``/``NEAR`` are read as ordinary text: a
query is split into words and quoted phrases, and every piece goes into the
FTS5 expression as a quoted string, so no input can be a syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

#: Seconds that spelling suggestions for one query may take: words not reached keep their spelling.
SPELLING_SECONDS = 0.4

#: Longer words are not compared with the vocabulary (the longest English words have about 45 letters).
MAX_WORD = 60

_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”')
_WORD = re.compile(r"\w+(?:['’]\w+)*")
#: English contractions: "what's" is "what", "don't" is "do" ("can't", "won't": "can", "will").
_CONTRACTION = re.compile(r"n['’]t$|['’](?:s|re|ve|ll|d|m)$")
_NEGATIVES = {"ca": "can", "wo": "will", "sha": "shall"}
#: Contractions typed without their apostrophe ("cant stop worrying"), read as the word they
#: shorten. Those that are also common words ("ill", "id", "were", "shed") are not here.
_BARE = {
    "cant": "can", "dont": "do", "doesnt": "does", "didnt": "did", "isnt": "is", "arent": "are",
    "wasnt": "was", "werent": "were", "wont": "will", "wouldnt": "would", "shouldnt": "should",
    "couldnt": "could", "havent": "have", "hasnt": "has", "hadnt": "had", "ive": "i", "youre": "you",
    "theyre": "they", "whats": "what", "thats": "that", "theres": "there", "youve": "you",
    "theyve": "they", "weve": "we", "shes": "she",
}  # fmt: skip
_TOKEN = re.compile(r"\w+")
#: What the index's tokenizer leaves of a contraction ("alzheimer's" is "alzheimer", "s"):
#: dropped, like stopwords, when phrases are compared.
_FRAGMENTS = frozenset("s t d ll re ve m".split())

#: Words too common to say anything about a section ("what is nerve pain").
STOPWORDS = frozenset(
    "a about an and are as at be been but by can could do does for from had has have how i if "
    "in into is it its may me might my no not of on or our should so than that the their them "
    "then there these they this those to was we were what when where which who why will with "
    "would you your shall all any each some such very just am he she him her his us".split()
)

#: Common words that say little about what a question is about ("what happens after they
#: put it in"): searched, and found in phrases, but weighed less than their
#: count in the library says (a small library makes "put" or "having" look rare). Words
#: that turn a verb's meaning ("off", "down", "over") are not among them.
WEAK_WORDS = frozenset(
    "up out after before during again more most less other same only now here both few many much "
    "lot lots really still even ever never already yet get gets getting got gotten put puts putting take "
    "takes taking took taken make makes making made go goes going went gone come comes coming came keep "
    "keeps kept having doing done thing things way something anything someone anyone people person".split()
)

#: Shortest stem that is searched as a prefix ("neuropath*" finds "neuropathic").
#: Shorter stems are searched as they are: "thin*" would find "blood thinners"
#: for "thinning bones", and "bleed*" is long enough to mean bleeding.
MIN_PREFIX = 5

#: The most consecutive terms compared with a synonym phrase (the longest packaged
#: phrase has 7 words). Without a cap, a pasted page of text as a query would be
#: compared run by run, in time that grows with the cube of its length.
MAX_RUN = 8


def words(text: str) -> list[str]:
    """The lower-case words of ``text``, contractions read as the word they shorten.

    >>> words("What's this? Don't! Cant")
    ['what', 'this', 'do', 'can']
    """
    text = text.casefold()
    if "'" not in text and "’" not in text:  # most text: no contraction to read
        return [_BARE.get(word, word) for word in _WORD.findall(text)]
    found: list[str] = []
    for word in _WORD.findall(text):
        if "'" in word or "’" in word:
            short = _CONTRACTION.sub("", word)
            if word.endswith(("n't", "n’t")):
                short = _NEGATIVES.get(short, short)
            found.extend(piece for piece in re.split(r"['’]", short) if piece)
        else:
            found.append(_BARE.get(word, word))
    return found


def tokens(text: str) -> list[str]:
    """The lower-case words of ``text`` as the index has them ("alzheimer's": "alzheimer", "s"):
    what a phrase is searched by."""
    return _TOKEN.findall(text.casefold())


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
        phrase = " ".join(tokens(match.group(1) or match.group(2) or ""))
        if phrase:
            terms.append(phrase)
        cursor = match.end()
    plain.extend(words(text[cursor:].replace('"', " ")))
    kept = [word for word in plain if word not in STOPWORDS] or plain
    return list(dict.fromkeys([*terms, *kept]))


Alternative = str | tuple[str, ...]


class Thesaurus:
    """Synonym groups, ready to be found in queries: each key names its group.

    A phrase's key is its words without stopwords ("pins and needles" is found
    in "pins", "needles"). A phrase that drops stopwords and leaves one word
    ("how common") is searched but never starts its group: "common" alone
    does not mean "how common".
    """

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self.groups: list[list[str]] = []
        self._keys: dict[str, int] = {}
        for group in groups:
            phrases = list(dict.fromkeys(" ".join(tokens(phrase)) for phrase in group))
            for phrase in phrases:
                key = phrase_key(phrase)
                if key and (" " in key or key == phrase):
                    self._keys.setdefault(key, len(self.groups))
            self.groups.append(phrases)

    def find(self, key: str) -> list[str] | None:
        """The group that ``key`` starts, if any (the first group that has it)."""
        number = self._keys.get(key)
        return None if number is None else self.groups[number]


def expand(terms: Sequence[str], *thesauri: Thesaurus) -> list[list[Alternative]]:
    """Group each term with the terms that mean the same.

    A synonym group applies when one of its phrases is a term, or is a run of
    consecutive single-word terms ("nerve", "pain" meets "nerve pain"); the
    longest run wins, and on a tie the first thesaurus. Phrases are compared
    without stopwords, as queries are, but searched as written.

    Returns:
        One list of alternatives per concept, in query order, the query's own
        words first. An alternative is a string (a word or a phrase) or, for
        the words a synonym phrase was found in, a tuple of words that must
        all appear, so that the synonym widens the query and never narrows it.
    """
    concepts: list[list[Alternative]] = []
    index = 0
    while index < len(terms):
        match = _longest_synonym(terms, index, thesauri)
        if match is None:
            concepts.append([terms[index], *_spaced(terms[index])])
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


def _spaced(term: str) -> list[str]:
    """A word of letters and digits as the phrase of its runs, which is how the index
    has it when a text spaces or hyphenates them: "covid19" is "covid 19" ("COVID-19"),
    "type2" is "type 2", "10khz" is "10 khz" ("10 kHz"). Nothing for other terms.

    >>> _spaced("covid19"), _spaced("b12"), _spaced("pain")
    (['covid 19'], ['b 12'], [])
    """
    runs = _RUNS.findall(term) if " " not in term else []
    return [" ".join(runs)] if len(runs) > 1 else []


_RUNS = re.compile(r"[^\W\d_]+|\d+")


def phrase_key(phrase: str) -> str:
    """What a synonym phrase is compared by: its lower-case words, without stopwords."""
    found = words(phrase)
    kept = [word for word in found if word not in STOPWORDS and word not in _FRAGMENTS]
    return " ".join(kept or found)


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
    kept = [word for word in phrase.split() if word not in STOPWORDS and word not in _FRAGMENTS]
    return " ".join(kept or phrase.split())


def _longest_synonym(terms: Sequence[str], start: int, thesauri: Sequence[Thesaurus]) -> tuple[int, list[str]] | None:
    for length in range(min(len(terms) - start, MAX_RUN), 0, -1):
        run = _key(" ".join(terms[start : start + length]))
        for thesaurus in thesauri:
            phrases = thesaurus.find(run)
            if phrases is not None:
                return length, phrases
    return None


def fts_expression(concepts: Sequence[Sequence[Alternative]], stem: Callable[[str], str]) -> str:
    """An FTS5 MATCH expression for the rows that have any concept of a query: every alternative
    ORed, each once, less those that another alternative finds already.

    A single word becomes a prefix query on its stem (see :func:`stem_root`),
    so word forms meet; a phrase is searched as a phrase. An alternative that
    another finds adds nothing to what matches, and much to what FTS5 reads
    for a common word: "signs and symptoms" is found by ``"symptom"*``, as
    ``"treatment"*`` is by ``"treat"*``.

    >>> stems = {"treat": "treat", "treatment": "treatment", "symptoms": "symptom", "symptom": "symptom",
    ...          "signs": "sign", "and": "and"}
    >>> fts_expression([["treat", "treatment"], ["symptoms", "signs and symptoms"]], stems.__getitem__)
    '"treat"* OR "symptom"*'
    """
    forms = [(_fts_term(term, stem), _finds(term, stem)) for concept in concepts for term in concept]
    # Two alternatives find each other's rows only when they are the same (the first is kept);
    # otherwise one is left out when a different one finds all its rows. Looked up by stem and
    # prefix, not compared pair by pair: a pasted page of words as a query has thousands.
    every = {finds for _, finds in forms}
    stems = {value for kind, value in every if kind == "="}
    prefixes = {value for kind, value in every if kind == "*"}
    seen: set[_Finds] = set()
    kept = []
    for text, finds in forms:
        if finds not in seen and not _found_by_another(finds, every, stems, prefixes):
            kept.append(text)
        seen.add(finds)
    return " OR ".join(dict.fromkeys(kept))


#: What an alternative finds, for comparing alternatives: a word's prefix (``"*"``, the root as FTS5 stems it),
#: a word's stem (``"="``), a phrase's stems (``"phrase"``) or every part of a group (``"all"``).
_Finds = tuple[str, Any]


def _finds(term: Alternative, stem: Callable[[str], str]) -> _Finds:
    if isinstance(term, tuple):
        return ("all", tuple(_finds(word, stem) for word in term))
    if " " in term:
        return ("phrase", tuple(stem(token) for token in tokens(term)))
    root = stem_root(term, stem)
    # FTS5 stems a prefix again: "paralys"* (from "paralyse") is looked for as "parali"*.
    return ("=", stem(term)) if root is None else ("*", stem(root))


def _found_by_another(finds: _Finds, every: set[_Finds], known: set[str], prefixes: set[str]) -> bool:
    """Whether an alternative other than ``finds``, among ``every`` (whose stems are ``known``
    and whose prefixes are ``prefixes``), matches every row that ``finds`` matches: what
    comparing every pair would tell, for all of them at once."""
    kind, value = finds
    if kind == "all":  # a group is found by what finds any of its words
        return any(part in every or _found_by_another(part, every, known, prefixes) for part in value)
    if kind == "*":  # by a shorter prefix of the same word
        return any(value[:end] in prefixes for end in range(1, len(value)))
    stems = value if kind == "phrase" else (value,) if kind == "=" else ()
    return any(
        (kind == "phrase" and found in known) or any(found[:end] in prefixes for end in range(1, len(found) + 1))
        for found in stems
    )


def _fts_term(term: Alternative, stem: Callable[[str], str]) -> str:
    if isinstance(term, tuple):
        return "(" + " AND ".join(_fts_term(word, stem) for word in term) + ")"
    if " " in term:
        return quote(term)
    root = stem_root(term, stem)
    return quote(term) if root is None else quote(root) + "*"


def stem_root(word: str, stem: Callable[[str], str]) -> str | None:
    """What a word is searched by as a prefix, or None when it is too short to be one, or
    is searched by its stem alone.

    The stem, less a last "i" or "e" when that is a stem too ("neuropathy" ->
    "neuropathi" -> "neuropath", which also finds "neuropathic"). FTS5 stems a
    prefix query again, so a prefix that is not its own stem ("paralys", from
    "paralysis") would find nothing. Where the stem of the stem does not begin the
    stem, the prefix would find nothing either ("meningitis" is "mening", which FTS5
    reads as "mene"*), and the word is searched by its stem ("mening": "meningitis",
    "meninges").
    """
    root = stem(word)
    if len(root) > MIN_PREFIX and root[-1] in "ie" and stem(root[:-1]) == root[:-1]:
        root = root[:-1]
    return root if len(root) >= MIN_PREFIX and root.startswith(stem(root)) else None


#: Close words looked up beyond those suggested, since some are not offered (:func:`variant`).
SPARE_SUGGESTIONS = 3
#: How long a stem must be for a word that begins with it to be offered as another form of it.
SAME_START = 5


def variant(typed: str, known: str, stem: Callable[[str], str] | None = None) -> bool:
    """Whether ``known`` is worth offering for ``typed`` ("Did you mean ...?"): a slip of
    the keys for it (:func:`misspelling`), by the words or by their stems, or another form
    of the same word, which begins with the other's stem of :data:`SAME_START` letters or
    more ("tingly", stem "tingli", and "tingling"). A word only spelt a little like
    another is not offered: "since" is not "skin", "scared" not "scores", "company" not
    "compared". Without ``stem``, only slips of the keys are offered.
    """
    if misspelling(typed, known):
        return True
    if stem is None:
        return False
    typed_stem, known_stem = stem(typed), stem(known)
    return (
        (len(typed_stem) >= SAME_START and known.startswith(typed_stem))
        or (len(known_stem) >= SAME_START and typed.startswith(known_stem))
        or misspelling(typed_stem, known_stem)
    )


def misspelling(typed: str, known: str) -> bool:
    """Whether ``known`` is a word that ``typed`` could be a slip of the keys for, close
    enough to search it instead without asking: one letter added, dropped, changed or
    swapped with the next (two when both words have eight letters or more). Never for a
    word under five letters, where one letter makes another word ("mum" is not "mumps",
    nor "dad" "dead"); in five letters only a swap, an extra or a missing letter ("wrist"
    is not "waist"); and never into a word that says little ("shoulder" is not "should").

    >>> misspelling("nueropathy", "neuropathy"), misspelling("presure", "pressure")
    (True, True)
    >>> misspelling("fails", "family"), misspelling("dad", "dead"), misspelling("wrist", "waist")
    (False, False, False)
    """
    shorter = min(len(typed), len(known))
    if shorter < 5 or known in STOPWORDS or known in WEAK_WORDS:
        return False
    distance = _distance(typed, known, 2 if shorter >= 8 else 1)
    if distance is None:
        return False
    return not (len(typed) == len(known) == 5 and distance == 1 and sorted(typed) != sorted(known))


def _distance(first: str, second: str, most: int) -> int | None:
    """The optimal string alignment distance between two words, or None past ``most``."""
    if abs(len(first) - len(second)) > most:
        return None
    before: list[int] = []
    previous = list(range(len(second) + 1))
    for i, left in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, right in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            if i > 1 and j > 1 and left == second[j - 2] and first[i - 2] == right:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > most:
            return None
        before, previous = previous, current
    return previous[-1] if previous[-1] <= most else None


def replace_words(text: str, replacements: dict[str, str]) -> str:
    """``text`` with whole words replaced, compared without case ("Nueropathy" meets "nueropathy").

    >>> replace_words("Nueropathy's pain", {"nueropathy": "neuropathy"})
    "neuropathy's pain"
    """

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        if word.casefold() in replacements:
            return replacements[word.casefold()]
        head = re.split(r"['’]", word, maxsplit=1)[0]  # a possessive keeps its ending: "nueropathy's"
        if head != word and head.casefold() in replacements:
            return replacements[head.casefold()] + word[len(head) :]
        return word

    return _WORD.sub(replace, text)


def quote(text: str) -> str:
    """An FTS5 string: ``text`` in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'
