"""The search engine: SQLite FTS5 with BM25 ranking, snippets and spelling suggestions,
over a library database (:mod:`sccli.search.store`).
"""

from __future__ import annotations

import re
import sqlite3
import time
from typing import Any

from sccli.errors import QuerySyntaxError
from sccli.models import Fragment, Hit
from sccli.search import rank
from sccli.search.query import (
    MAX_WORD,
    SPARE_SUGGESTIONS,
    SPELLING_SECONDS,
    Alternative,
    Thesaurus,
    expand,
    fts_expression,
    misspelling,
    parse_query,
    quote,
    replace_words,
    run_keys,
    stem_root,
    variant,
    words,
)
from sccli.search.store import (
    BODY,
    COLUMNS,
    MARK_END,
    MARK_START,
    NOTES,
    TOKENIZE,
    TOKENIZERS,
    DamagedIndex,
    article_units,
    recorded,
    stored_article,
)

#: BM25 weights of the columns, in order: what a section is called counts
#: more than what it says; ``context`` (an item's section heading) counts
#: just enough for a query to meet both.
WEIGHTS = (3.0, 3.0, 1.0, 8.0, 2.0, 1.0, 0.5, 0.7)
_WEIGHTS = ", ".join(map(str, WEIGHTS))
SNIPPET_TOKENS = 24

_SPACE = re.compile(r"\s+")
_MAX_PARAMETERS = 500  # SQLite before 3.32 allows 999 parameters in one statement


class FtsIndex:
    """Search a library database (see :data:`sccli.search.store.SCHEMA`) with FTS5.

    FTS5 finds the candidates (any concept of the query, in BM25 order) and
    :mod:`sccli.search.rank` orders them; ties keep reading order. A ``raw``
    query is FTS5's own syntax, in BM25 order.
    """

    engine = "fts5"

    #: How many candidates FTS5 hands to ranking, at least (more when more hits are asked for).
    CANDIDATES = 100

    #: Sections of one article shown before those of other articles that match: a reader looking
    #: across libraries sees more than one article's sections on the first page (the further
    #: sections of an article come after the others' in score order).
    PER_ARTICLE = 3

    #: The share of all units past which a concept is too common to look for everywhere (:meth:`_candidates`).
    COMMON = 0.25

    def __init__(self, conn: sqlite3.Connection) -> None:
        """``conn`` comes from :func:`sccli.search.store.connect`: snippets read text through its SQL function."""
        self._conn = conn
        self._thesaurus: Thesaurus | None = None
        self._stems: dict[str, str] = {}
        self._statistics: tuple[int, tuple[float, float]] | None = None

    def search(self, query: str, *, limit: int = 10, article: str | None = None, raw: bool = False) -> list[Hit]:
        if limit <= 0:
            return []
        if raw:
            return self._run(query, limit, article, set(), raw=True)
        terms = parse_query(query)
        concepts = expand(terms, *self.thesauri(terms))
        if not concepts:
            return []
        dropped = [word for word in dict.fromkeys(words(query)) if word not in terms and word.isalnum()]
        return self._ranked(concepts, dropped, limit, article)

    def count(self, query: str, *, article: str | None = None, raw: bool = False, at_most: int | None = None) -> int:
        if raw:
            expression = query
        else:
            terms = parse_query(query)
            concepts = expand(terms, *self.thesauri(terms))
            if not concepts:
                return 0
            expression = fts_expression(concepts, self.stem)
        within = " CROSS JOIN articles AS a ON a.ord = m.ord AND a.id = ?" if article is not None else ""
        limit = " LIMIT ?" if at_most is not None else ""
        sql = (
            "SELECT count(*) FROM (SELECT DISTINCT m.ord, m.section_id FROM units "
            f"CROSS JOIN unit_map AS m ON m.uid = units.rowid{within} WHERE units MATCH ?{limit})"
        )
        params: tuple[str | int, ...] = (article, expression) if article is not None else (expression,)
        if at_most is not None:
            params += (at_most + 1,)
        try:
            row = self._conn.execute(sql, params).fetchone()
        except sqlite3.OperationalError as error:
            if raw:
                raise QuerySyntaxError(f"'{expression}' is not a valid search expression ({error}).") from None
            raise
        return int(row[0])

    def _ranked(
        self, concepts: list[list[Alternative]], dropped: list[str], limit: int, article: str | None
    ) -> list[Hit]:
        """The best ``limit`` sections for ``concepts``, one hit per section, ranked by :mod:`~sccli.search.rank`."""
        documents, average = self.statistics()
        frequencies = [self._frequency(alternatives[0]) for alternatives in concepts]
        expression = fts_expression(concepts, self.stem)
        columns = "SELECT m.ord, m.unit, m.section_id, m.item, m.length, a.id, a.article"
        if article is None:
            uids = self._candidates(concepts, frequencies, documents, max(self.CANDIDATES, limit * 4))
            # The units of the articles whose titles and aliases match best, too: a topic's other
            # sections may use the query's words less than pages that only mention it.
            uids.update(self._best("{title aliases} : (" + expression + ")", self.CANDIDATES // 2))
            sql = (
                f"{columns} FROM unit_map AS m CROSS JOIN articles AS a ON a.ord = m.ord "
                f"WHERE m.uid IN ({', '.join(map(str, sorted(uids)))})"  # integers that SQLite gave
            )
            params: tuple[Any, ...] = ()
        else:  # every match in one article
            sql = (
                f"{columns} FROM units CROSS JOIN unit_map AS m ON m.uid = units.rowid "
                "CROSS JOIN articles AS a ON a.ord = m.ord WHERE units MATCH ? AND a.id = ?"
            )
            params = (expression, article)
        rows = self._conn.execute(sql, params).fetchall()
        matcher = rank.Matcher(
            [
                rank.Concept.weighed(alternatives, rank.idf(documents, frequency))
                for alternatives, frequency in zip(concepts, frequencies, strict=True)
            ],
            self.stem,
            stopwords=dropped,
        )
        scored: list[tuple[float, int, int, rank.Unit, str, int]] = []
        about: dict[int, tuple[list[float], list[float]]] = {}
        articles: dict[int, tuple[str, bytes]] = {}
        for order, number, _, item, length, _, blob in rows:
            # What is shown (ids, text) comes from the stored article, whose checksum is verified.
            article_id = stored_article(blob).id
            articles[order] = (article_id, blob)
            units = article_units(blob)
            if not 0 <= number < len(units) or units[number][-1] != item:
                raise DamagedIndex(f"unit {number} of article {article_id!r} does not exist")
            section_id = units[number][len(COLUMNS)]
            unit = rank.Unit(order, number, *units[number][: len(COLUMNS)])
            if order not in about:
                about[order] = rank.about(unit, matcher)
            score = rank.score(unit, matcher, length / average[1 if item else 0], about[order])
            if score > 0:  # FTS5's stemmer also finds some words that are not forms of the query's ("on" for "one")
                scored.append((-score, order, number, unit, section_id, item))
        scored.sort(key=lambda entry: entry[:3])
        first: list[tuple[float, int, int, rank.Unit, str, int]] = []
        later: list[tuple[float, int, int, rank.Unit, str, int]] = []
        seen: set[tuple[int, str]] = set()
        shown: dict[int, int] = {}
        for entry in scored:
            order, section_id = entry[1], entry[4]
            if (order, section_id) in seen:
                continue
            seen.add((order, section_id))
            shown[order] = shown.get(order, 0) + 1
            (first if article is not None or shown[order] <= self.PER_ARTICLE else later).append(entry)
            if len(first) == limit:
                break
        hits: list[Hit] = []
        for negative, order, _, unit, section_id, item in [*first, *later][:limit]:
            article_id, blob = articles[order]
            siblings = [row for row in article_units(blob) if row[len(COLUMNS)] == section_id]
            hits.append(self._ranked_hit(unit, article_id, section_id, item, siblings, -negative, matcher))
        return hits

    def _candidates(
        self, concepts: list[list[Alternative]], frequencies: list[int], documents: int, count: int
    ) -> set[int]:
        """The ``count`` units that match ``concepts`` best by BM25, for ranking to order.

        A concept in more than :data:`COMMON` of all units (a word such as
        "symptoms" in a library of medical pages) is looked for in titles,
        aliases, tags, headings and labels only, where BM25 weighs it most:
        scoring every unit whose text has it would cost the most of any search
        and change little of what comes first. When those places give too few
        candidates, every place is searched.
        """
        common: list[list[Alternative]] = []
        rare: list[list[Alternative]] = []
        for concept, frequency in zip(concepts, frequencies, strict=True):
            (common if frequency > documents * self.COMMON else rare).append(concept)
        if common:
            named = "{title aliases tags heading labels} : (" + fts_expression(common, self.stem) + ")"
            found = self._best(" OR ".join([fts_expression(rare, self.stem), named] if rare else [named]), count)
            if len(found) == count:
                return found
        return self._best(fts_expression(concepts, self.stem), count)

    def _best(self, expression: str, count: int) -> set[int]:
        """The ids of the ``count`` units that match ``expression`` best by BM25."""
        sql = f"SELECT rowid FROM units WHERE units MATCH ? ORDER BY bm25(units, {_WEIGHTS}), rowid LIMIT ?"
        return {int(uid) for (uid,) in self._conn.execute(sql, (expression, count))}

    def _ranked_hit(
        self,
        unit: rank.Unit,
        article_id: str,
        section_id: str,
        item: int,
        siblings: list[tuple[Any, ...]],
        score: float,
        matcher: rank.Matcher,
    ) -> Hit:
        """A hit for the section of ``unit``, with a snippet that shows why it matched.

        The snippet comes from the unit's text, else from an editorial note on
        it, else from the rest of its section (``siblings``: the section's
        indexed rows), and only when the match is in none of those (a heading,
        a title) from the start of the section's text.
        """
        texts = [(unit.body, False), (unit.notes, True)]
        texts += [(row[column], column == NOTES) for row in siblings for column in (BODY, NOTES)]
        snippet, note = next(
            ((found, note) for text, note in texts if (found := rank.snippet(text, matcher))), ((), False)
        )
        if not snippet:
            snippet = next((found for row in siblings if (found := rank.lead_in(row[BODY]))), ())
        return Hit(
            article_id=article_id,
            article_title=unit.title,
            section_id=section_id,
            heading=unit.context if item else unit.heading,
            snippet=snippet,
            score=round(score, 3),
            item=item or None,
            label=(unit.label or None) if item else None,
            note=note,
        )

    def statistics(self) -> tuple[int, tuple[float, float]]:
        """How many units the index has, and the average length in words of a section's and an item's text."""
        if self._statistics is None:
            section, item = (
                max(recorded(self._conn, key, whole=False), 1.0) for key in ("section_length", "item_length")
            )
            self._statistics = (int(recorded(self._conn, "units")), (section, item))
        return self._statistics

    def _frequency(self, term: Alternative) -> int:
        """About how many units have ``term`` (a phrase: its rarest word), from the index's vocabulary."""
        return min(
            (self._word_frequency(word) for word in (term if isinstance(term, tuple) else term.split())), default=0
        )

    def _word_frequency(self, word: str) -> int:
        root = stem_root(word, self.stem)
        if root is None:
            row = self._conn.execute("SELECT doc FROM units_vocab WHERE term = ?", (self.stem(word),)).fetchone()
        else:
            row = self._conn.execute(
                "SELECT sum(doc) FROM units_vocab WHERE term >= ? AND term < ?", (root, root + "\U0010ffff")
            ).fetchone()
        return int(row[0] or 0) if row else 0

    def suggest(self, query: str, *, count: int = 3) -> list[str]:
        """Indexed words that the query's words may have meant: slips of the keys and other
        forms of the same words ("nueropathy" -> "neuropathy"; :func:`~sccli.search.query.variant`)."""
        deadline = time.monotonic() + SPELLING_SECONDS
        terms = list(dict.fromkeys(parse_query(query)))
        suggestions = [
            word
            for term in terms
            for word in self._close(term, count + SPARE_SUGGESTIONS, deadline)
            if variant(term, word, self.stem)
        ]
        return list(dict.fromkeys(suggestions))[:count]

    def correct(self, query: str) -> str | None:
        """``query`` with each word the index lacks replaced by the closest word it has, when
        it looks like a slip of the keys for it (:func:`~sccli.search.query.misspelling`,
        by the words or by their stems: "alergies" is "allergy"), or None when no word is
        replaced ("nueropathy pain" -> "neuropathy pain")."""
        deadline = time.monotonic() + SPELLING_SECONDS
        terms = parse_query(query)
        alone = [concept[0] for concept in expand(terms, *self.thesauri(terms)) if len(concept) == 1]
        replacements = {
            term: close[0]
            for term in dict.fromkeys(alone)
            if isinstance(term, str)
            and (
                close := [
                    word
                    for word in self._close(term, 3, deadline)
                    if misspelling(term, word) or misspelling(self.stem(term), self.stem(word))
                ]
            )
        }
        corrected = replace_words(query, replacements)
        return corrected if corrected != query else None

    def _close(self, term: str, count: int, deadline: float) -> list[str]:
        """Words of the text spelt like ``term``, closest first; none when the index has ``term``.

        The index's vocabulary is of stems ("neuropathi"), so the closest
        stems are found first and then shown as a word that the text uses.
        Only stems of the same first letter and about the same length are
        compared, so that the work stays small in a large vocabulary.
        """
        import difflib

        if " " in term or not 3 <= len(term) <= MAX_WORD or time.monotonic() > deadline:
            return []
        stem = self.stem(term)
        if self._conn.execute("SELECT 1 FROM units_vocab WHERE term = ?", (stem,)).fetchone():
            return []  # spelt as the index has it
        vocabulary = self._conn.cursor()
        vocabulary.row_factory = None  # stems, compared and never shown (the word shown comes from the text)
        rows = vocabulary.execute(
            "SELECT term FROM units_vocab WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ? LIMIT 20000",
            (stem[0], stem[0] + "\U0010ffff", len(stem) - 2, len(stem) + 2),
        ).fetchall()
        close = difflib.get_close_matches(stem, [row[0] for row in rows if row[0] != stem], n=count, cutoff=0.75)
        return [word for word in map(self._surface, close) if word and word != term]

    def _surface(self, stem: str) -> str | None:
        """The word of the text that most often has stem ``stem`` (the shortest, on a tie)."""
        columns = (BODY, 3, 4, 0, NOTES)
        rows = self._conn.execute(
            "SELECT "
            + ", ".join(f"highlight(units, {column}, ?, ?)" for column in columns)
            + " FROM units WHERE units MATCH ? LIMIT 20",
            (MARK_START, MARK_END) * len(columns) + (quote(stem),),
        ).fetchall()
        counts: dict[str, int] = {}
        for text in (text for row in rows for text in row):
            for piece in text.split(MARK_START)[1:]:
                word = piece.partition(MARK_END)[0].casefold()
                counts[word] = counts.get(word, 0) + 1
        return min(counts, key=lambda word: (-counts[word], len(word), word)) if counts else None

    def thesauri(self, terms: list[str]) -> list[Thesaurus]:
        """The synonym groups that may apply to a query's ``terms``, in order of
        precedence: the library's synonym table with the packaged vocabulary
        (:mod:`sccli.vocabulary`), then the aliases of each article that has a
        run of the terms as an alias.

        Only those articles' aliases are read: a corpus of 50,000 articles has
        too many to load for every search.
        """
        if self._thesaurus is None:
            from sccli.vocabulary import packaged_groups

            groups: dict[int, list[str]] = {}
            for group, phrase in self._conn.execute("SELECT grp, phrase FROM synonyms ORDER BY rowid"):
                groups.setdefault(group, []).append(phrase)
            self._thesaurus = Thesaurus([*groups.values(), *packaged_groups()])
        keys = run_keys(terms)
        orders: set[int] = set()
        for start in range(0, len(keys), _MAX_PARAMETERS):
            chunk = keys[start : start + _MAX_PARAMETERS]
            sql = f"SELECT ord FROM aliases WHERE match_key IN ({', '.join('?' * len(chunk))})"
            orders.update(order for (order,) in self._conn.execute(sql, chunk))
        aliases: dict[int, list[str]] = {}
        if orders:
            sql = f"SELECT key, ord FROM aliases WHERE ord IN ({', '.join(map(str, sorted(orders)))}) ORDER BY rowid"
            for key, order in self._conn.execute(sql):
                aliases.setdefault(order, []).append(key)
        return [self._thesaurus, Thesaurus(group for group in aliases.values() if len(group) > 1)]

    def _tokenize(self) -> str:
        """The index's tokenizer (one of :data:`TOKENIZERS`, as the database says; English if it does not)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'tokenize'").fetchone()
        found = row[0] if row else TOKENIZE
        return found if found in TOKENIZERS.values() else TOKENIZE

    def stem(self, word: str) -> str:
        """The Porter stem that the index stores for ``word``, asked of SQLite itself."""
        if word not in self._stems:
            conn = self._conn
            tokenize = self._tokenize()
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmer USING fts5(w, tokenize = '{tokenize}')")
            conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.stemmer_vocab USING fts5vocab(temp, stemmer, instance)"
            )
            conn.execute("DELETE FROM temp.stemmer")
            conn.execute("INSERT INTO temp.stemmer (w) VALUES (?)", (word,))
            row = conn.execute("SELECT term FROM temp.stemmer_vocab ORDER BY offset LIMIT 1").fetchone()
            self._stems[word] = row[0] if row else word
        return self._stems[word]

    def _run(
        self, expression: str, limit: int, article: str | None, seen: set[tuple[str, str]], *, raw: bool = False
    ) -> list[Hit]:
        where = "units MATCH ?" + (" AND a.id = ?" if article is not None else "")
        params: tuple[Any, ...] = (expression, article) if article is not None else (expression,)
        # CROSS JOIN keeps FTS5 as the outer loop: the other two are looked up by primary key.
        sql = (
            "SELECT units.rowid, a.id, a.title, m.section_id, m.item, "
            f"bm25(units, {_WEIGHTS}) AS score "
            "FROM units CROSS JOIN unit_map AS m ON m.uid = units.rowid CROSS JOIN articles AS a ON a.ord = m.ord "
            f"WHERE {where} ORDER BY score, units.rowid LIMIT ?"
        )
        hits: list[Hit] = []
        fetch = limit * 4 + 8
        offset_seen = set(seen)
        while True:
            try:
                rows = self._conn.execute(sql, (*params, fetch)).fetchall()
            except sqlite3.OperationalError as error:
                if raw:
                    raise QuerySyntaxError(f"'{expression}' is not a valid search expression ({error}).") from None
                raise
            hits = []
            found = set(offset_seen)
            for rowid, article_id, title, section_id, item, score in rows:
                if (article_id, section_id) in found:
                    continue
                found.add((article_id, section_id))
                hits.append(self._hit(expression, rowid, article_id, title, section_id, item, score))
                if len(hits) == limit:
                    return hits
            if len(rows) < fetch:
                return hits
            fetch *= 4

    def _hit(
        self, expression: str, rowid: int, article_id: str, title: str, section_id: str, item: int, score: float
    ) -> Hit:
        # The text's snippet; when the match is elsewhere (a tag, a title), FTS5's pick of the column.
        text, anywhere, heading, context, label = self._conn.execute(
            f"SELECT snippet(units, {BODY}, ?, ?, ' … ', {SNIPPET_TOKENS}), "
            f"snippet(units, -1, ?, ?, ' … ', {SNIPPET_TOKENS}), heading, context, labels "
            "FROM units WHERE units MATCH ? AND rowid = ?",
            (MARK_START, MARK_END, MARK_START, MARK_END, expression, rowid),
        ).fetchone()
        snippet = text if MARK_START in text else anywhere
        return Hit(
            article_id=article_id,
            article_title=title,
            section_id=section_id,
            heading=context if item else heading,
            snippet=_fragments(snippet),
            score=round(-score, 3),
            item=item or None,
            label=(label or None) if item else None,
        )


def _fragments(snippet: str) -> tuple[Fragment, ...]:
    """Split FTS5's marked snippet into plain and matched fragments, whitespace folded."""
    fragments: list[Fragment] = []
    snippet = snippet.strip()
    for number, piece in enumerate(snippet.split(MARK_START)):
        matched, _, rest = piece.partition(MARK_END) if number else ("", "", piece)
        if matched:
            fragments.append(Fragment(matched, True))
        if rest:
            fragments.append(Fragment(_SPACE.sub(" ", rest)))
    return tuple(fragments)
