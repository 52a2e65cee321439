"""Property tests: whatever a data file or a person types, sccli answers or says what is wrong.

The default text strategy never produces surrogates or most control
characters, so these widen the alphabet to every code point. CI runs at
least 2,000 examples; SCCLI_EXAMPLES=20000 runs more.
"""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DATA, render_to_text
from sccli.data import decode_library
from sccli.errors import DataError
from sccli.render import ArticleOptions, render_article, render_list, render_results
from sccli.search import memory_index

EXAMPLES = int(os.environ.get("SCCLI_EXAMPLES", "1000"))
FIXTURE = json.loads(FIXTURE_DATA.read_text())
ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=60)
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=25,
)


def _render_everything(library, width: int) -> str:
    out = []
    index = memory_index(library)
    for article in library.articles:
        options = ArticleOptions(glossary=library.glossary, explain=True)
        out.append(render_to_text(render_article(article, options=options), width=width))
        out.append(render_to_text(render_article(article, options=options), width=width, styled=True))
    hits = index.search(library.articles[0].title, limit=5)
    out.append(render_to_text(render_results("q", hits), width=width))
    return "".join(out)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_any_json_value_as_a_data_file_loads_or_fails_with_a_sentence(value) -> None:
    try:
        raw = json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")
    except (UnicodeEncodeError, ValueError):
        return
    try:
        library = decode_library(raw, name="f.json")
    except DataError as error:
        message = str(error)
        assert message.startswith("f.json: ") and message.endswith(".") and "\n" not in message.strip()
        return
    _render_everything(library, 80)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=ANY_TEXT, heading=ANY_TEXT, item=ANY_TEXT, label=ANY_TEXT, query=ANY_TEXT, width=st.integers(20, 200))
def test_any_text_in_titles_items_and_queries_renders_safely(title, heading, item, label, query, width) -> None:
    data = json.loads(json.dumps(FIXTURE))
    alpha = data["articles"][0]
    alpha["title"] = title or "t"
    alpha["sections"][0]["heading"] = heading or "h"
    alpha["sections"][2]["blocks"][0]["items"][0]["text"] = item or "i"
    alpha["sections"][2]["blocks"][0]["items"][0]["label"] = label or "l"
    raw = json.dumps(data).encode()  # ensure_ascii: surrogates and controls become \\u escapes
    try:
        library = decode_library(raw)
    except DataError:
        return  # e.g. an empty-after-cleaning value: said in one sentence
    loaded = library.articles[0]
    for text in (loaded.title, loaded.sections[0].heading, loaded.sections[2].blocks[0].items[0].text):
        assert not UNSAFE.search(text), repr(text)
    plain = _render_everything(library, width)
    assert not UNSAFE.search(plain.replace("\x1b", "")), "an unsafe character reached the output"
    index = memory_index(library)
    for raw_query in (query, f'"{query}', f"{query}*", f"NOT {query} AND ("):
        index.search(raw_query, limit=3)
        index.suggest(raw_query)
    section, block = loaded.sections[2], loaded.sections[2].blocks[0]
    assert "\x1b" not in render_to_text(render_list(loaded, section, block), width=width)


_DANGEROUS = ["\x1b[31m", "\x07", "\x7f", "\x85", "\u202e", "\u2066", "\ud800", "\b", "\f", "\r", "\t", "\n"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_DANGEROUS), st.sampled_from(["a", "é", "“", "\u00a0", "\\", '"', "\u2028"]), st.text()
        ),
        max_size=12,
    ),
    st.booleans(),
)
def test_text_that_safe_json_passes_needs_no_cleaning(pieces: list[str], ascii_only: bool) -> None:
    """safe_json is the fast path past clean_tree: whatever it passes must decode to clean text."""
    from sccli.sanitize import clean_text, safe_json

    text = "".join(pieces)
    raw = json.dumps({"text": text}, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return  # a raw surrogate is not UTF-8: the reader refuses the file before this check
    if safe_json(raw):
        assert clean_text(json.loads(raw)["text"]) == json.loads(raw)["text"]


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=64), st.sampled_from([b"", b"\\", b"\x7f", b"\xe2\x80\xae", "é".encode()]))
def test_safe_json_finds_raw_control_characters_as_a_regular_expression_does(raw: bytes, extra: bytes) -> None:
    """Raw control characters (but tab and newline) and DEL are found by deleting every other
    byte, not by a regular expression (issue 16 made the check faster): both must agree."""
    import re

    from sccli.sanitize import safe_json

    raw += extra
    fast_path = raw.isascii() and b"\\" not in raw and b"\x7f" not in raw  # valid JSON has no raw control
    if not fast_path and re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", raw):
        assert not safe_json(raw)


_TOP_KEYS = st.sampled_from(["schema_version", "articles", "synonyms", "glossary", "other", "schema_versio\\u006e"])
_TOP_VALUES = st.one_of(
    st.sampled_from([json.dumps(FIXTURE[key]) for key in FIXTURE]),
    st.just(json.dumps(FIXTURE["articles"][:1])),
    st.sampled_from(["1", "2", '"1"', "[]", "{}", "null"]),
    JSON_VALUES.map(json.dumps),
)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_TOP_KEYS, _TOP_VALUES), max_size=6),
    st.sampled_from(["", " ", "]", "}", ",", "x", "\\ud800"]),
    st.booleans(),
)
def test_one_pass_over_a_data_file_finds_what_two_passes_find(pairs, tail: str, cut: bool) -> None:
    """The reader finds a file's values in one pass of msgspec, and in two (the top-level
    object, then the articles) only where that fails, to say why (issue 16 made it one pass):
    on any file of UTF-8 text, the two ways must give the same library or the same sentence.
    (Where a top-level key is not UTF-8, both refuse the file; the one pass names the byte.)"""
    from unittest import mock

    from sccli.data import _Reader

    text = "{" + ", ".join(f'"{key}": {value}' for key, value in pairs) + "}" + tail
    raw = (text[: len(text) // 2] if cut else text).encode("utf-8", "surrogatepass")

    def outcome() -> object:
        try:
            return decode_library(raw, name="f.json")
        except DataError as error:
            return str(error)

    one_pass = outcome()
    with mock.patch.object(_Reader, "_find_values", _Reader._find_values_apart):
        two_passes = outcome()
    assert one_pass == two_passes


def _covers(first, second) -> bool:  # type: ignore[no-untyped-def]
    """Whether every row that ``second`` matches is matched by ``first`` too: the pairwise
    comparison that ``fts_expression`` made before it looked alternatives up by stem, less
    one slip of it: two groups of the same words ("a sbs" and "a sbse", which stem alike)
    were both kept, though they find the same rows."""
    kind, value = second
    if first == second:
        return True
    if kind == "all":
        return any(_covers(first, part) for part in value)
    stems = value if kind == "phrase" else (value,) if kind == "=" else ()
    if first[0] == "*":
        return any(found.startswith(first[1]) for found in stems) or (kind == "*" and value.startswith(first[1]))
    return first[0] == "=" and first[1] in stems


def _stem(word: str) -> str:
    """A small stemmer of the same kind: endings off, the same word for every form."""
    for ending in ("ing", "es", "s", "e"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


_WORDS = st.text(alphabet="abes", min_size=1, max_size=9)
_ALTERNATIVES = st.one_of(
    _WORDS,
    st.lists(_WORDS, min_size=2, max_size=3).map(" ".join),
    st.lists(_WORDS, min_size=2, max_size=3).map(tuple),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.lists(_ALTERNATIVES, min_size=1, max_size=4), min_size=1, max_size=5))
@example([[("a", "sbs"), ("a", "sbse")]])  # two groups that stem alike: searched once
def test_fts_expression_leaves_out_what_comparing_every_pair_leaves_out(concepts) -> None:  # type: ignore[no-untyped-def]
    from sccli.search.query import _finds, _fts_term, fts_expression

    forms = [(_fts_term(term, _stem), _finds(term, _stem)) for concept in concepts for term in concept]
    kept = [
        text
        for number, (text, finds) in enumerate(forms)
        if not any(
            _covers(other, finds) and (not _covers(finds, other) or earlier < number)
            for earlier, (_, other) in enumerate(forms)
            if earlier != number
        )
    ]
    assert fts_expression(concepts, _stem) == " OR ".join(dict.fromkeys(kept))


_STEMMER = None


def _fts_stem(word: str) -> str:
    """The stem that sccli's index stores for ``word`` (asked of SQLite, as search does)."""
    global _STEMMER
    if _STEMMER is None:
        _STEMMER = memory_index(decode_library(FIXTURE_DATA.read_bytes()))
    return _STEMMER.stem(word)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet="abcdeghilmnorstuyz", min_size=1, max_size=14))
def test_a_word_is_found_by_what_search_looks_for(word: str) -> None:
    """FTS5 stems a prefix query again: whatever a word is searched by must find the word
    ("meningitis" was searched as "mening"*, which FTS5 reads as "mene"*, and found nothing)."""
    import sqlite3

    from sccli.search.query import fts_expression
    from sccli.search.store import TOKENIZE, fts5_available

    if not fts5_available():
        return
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize = '{TOKENIZE}')")
    conn.execute("INSERT INTO t (x) VALUES (?)", (f"about {word} here",))
    expression = fts_expression([[word]], _fts_stem)
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()[0] == 1, expression
