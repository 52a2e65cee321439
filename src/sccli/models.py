"""The records sccli reads and shows: plain, typed, immutable, and free of I/O.

They are msgspec Structs so that ``data.py`` can decode and validate a JSON
file straight into them, and so that ``data/articles.schema.json`` can be
generated from this one definition (see ``library_schema``).

Why msgspec: it validates while it decodes, names the failing place as a JSON
path (``$.articles[2].sections[0].heading``), generates JSON Schema, and adds
about 9 ms to start-up once Typer and Rich are loaded. pydantic does the same
for about 65 ms, more than the rest of ``sccli show`` together, which a reader
that must start instantly cannot afford (measured by bench/startup.py; the
table is in bench/README.md).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Final, Literal

import msgspec

#: The version of the data file format (``schema_version``) that this sccli reads.
SchemaVersion = Literal[1]
SCHEMA_VERSION: Final[SchemaVersion] = 1

#: The reminder that ends every article view, on screen and in ``--json``.
DISCLAIMER = "General information, not medical advice. Talk to your doctor or care team about your own care."

_SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    msgspec.Meta(
        pattern=_SLUG,
        max_length=80,
        description="Lower-case words joined by hyphens, e.g. 'living-with-a-stimulator'.",
    ),
]
#: An article's or a glossary entry's id as sccli holds it: a slug, or ``NAME/slug`` where
#: libraries read together share an id (:mod:`sccli.libraries`). A data file's ids are
#: plain slugs (``data.py`` says so, and the JSON Schema shows :data:`Slug`'s pattern).
_QUALIFIED = r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$"

Id = Annotated[
    str,
    msgspec.Meta(
        pattern=_QUALIFIED,
        max_length=121,
        description="Lower-case words joined by hyphens, e.g. 'living-with-a-stimulator'.",
    ),
]
Text = Annotated[str, msgspec.Meta(min_length=1, description="Plain text, shown as written.")]


class _Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """Shared options: immutable; unknown fields are errors (they are typos); and, since
    records form trees, never cycles, the garbage collector need not track them.

    Subclasses inherit all three, but say ``frozen=True`` again: type checkers read
    a Struct's options as a dataclass's, and there a subclass is frozen only if it says so.
    """


class Source(_Record, frozen=True):
    """Where the facts of an article come from."""

    publisher: Text
    title: Text
    year: Annotated[int, msgspec.Meta(ge=1800, le=2100)] | None = None
    url: Text | None = None


class Note(_Record, frozen=True):
    """An editorial note: what the evidence says where the text above it overstates.

    Notes are sccli's own words, attached to the exact paragraph or list item
    they correct, and always carry their sources.
    """

    text: Text
    sources: Annotated[list[Source], msgspec.Meta(min_length=1)]


class Item(_Record, frozen=True):
    """One entry of a list, optionally led by a short label ("Pain relief")."""

    text: Text
    label: Text | None = None
    notes: list[Note] = []


class Paragraph(_Record, frozen=True, tag="paragraph", tag_field="type"):
    """A paragraph of text."""

    text: Text
    notes: list[Note] = []


class ListBlock(_Record, frozen=True, tag="list", tag_field="type"):
    """A numbered (``ordered``) or bulleted list."""

    items: Annotated[list[Item], msgspec.Meta(min_length=1)]
    ordered: bool = False


Block = Paragraph | ListBlock


class Section(_Record, frozen=True):
    """A headed part of an article.

    Sections with the ids ``benefits`` and ``risks`` are what ``sccli benefits``
    and ``sccli risks`` show. An ``urgent`` section lists the signs that need
    care now, and is set apart wherever it is shown.
    """

    id: Slug
    heading: Text
    blocks: Annotated[list[Block], msgspec.Meta(min_length=1)]
    urgent: Annotated[
        bool,
        msgspec.Meta(
            description=(
                'True for the warning signs that need care now ("When to get help now"): '
                "shown set apart, on screen and in every export."
            )
        ),
    ] = False


class Origin(_Record, frozen=True):
    """Where an article was copied from, when it is a copy of a publisher's file (MedlinePlus)."""

    credit: Annotated[str, msgspec.Meta(min_length=1, description="The credit the publisher asks for.")]
    date: Annotated[datetime.date, msgspec.Meta(description="The date of the publisher's file.")]
    update_url: Annotated[str | None, msgspec.Meta(description="Where to download a newer copy of the file.")] = None
    language: Annotated[str | None, msgspec.Meta(description="The article's language, as the file names it.")] = None


class Article(_Record, frozen=True):
    """One article of the library."""

    id: Id
    title: Text
    summary: Text
    sections: Annotated[list[Section], msgspec.Meta(min_length=1)]
    reviewed: Annotated[
        datetime.date, msgspec.Meta(description="The date the article was last checked against its sources (ISO 8601).")
    ]
    next_review: Annotated[
        datetime.date | None, msgspec.Meta(description="When the article is due to be checked again.")
    ] = None
    sources: list[Source] = []
    related: list[Id] = []
    tags: list[Text] = []
    aliases: list[Text] = []
    origin: Annotated[
        Origin | None, msgspec.Meta(description="Set when the article is a copy of a publisher's file (MedlinePlus).")
    ] = None


Synonyms = Annotated[
    list[Annotated[list[Text], msgspec.Meta(min_length=2)]],
    msgspec.Meta(
        description=(
            "Groups of words or phrases that mean the same thing to a reader "
            "(['SCS', 'spinal cord stimulation']); a search for one also finds the others."
        )
    ),
]


class Term(_Record, frozen=True):
    """A glossary entry: a word a reader meets in the articles, in plain language."""

    id: Id
    term: Text
    definition: Text
    source: Source
    aliases: Annotated[list[Text], msgspec.Meta(description="Other names and spellings.")] = []


class Library(_Record, frozen=True):
    """The whole data file: a format version, the articles in reading order, synonyms and a glossary."""

    schema_version: SchemaVersion
    articles: Annotated[list[Article], msgspec.Meta(min_length=1)]
    synonyms: Synonyms = []
    glossary: list[Term] = []


class Entry(msgspec.Struct, frozen=True, gc=False):
    """What the library's table of contents knows of an article: enough to find and link it."""

    id: str
    title: str
    summary: str
    reviewed: datetime.date
    aliases: list[str] = []
    next_review: datetime.date | None = None

    @classmethod
    def of(cls, article: Article) -> Entry:
        return cls(
            article.id, article.title, article.summary, article.reviewed, list(article.aliases), article.next_review
        )


class Fragment(msgspec.Struct, frozen=True, array_like=True, gc=False):
    """A piece of a search snippet; ``match`` is true for the words that matched."""

    text: str
    match: bool = False


class Hit(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One search result: a section of an article, or one item of a list in it, with a snippet.

    ``item`` is the 1-based number of the list item that matched best (its
    ``label`` beside it), or None when the section's text as a whole did.
    ``note`` is true when the snippet comes from an editorial note on it.
    Higher ``score`` is better.
    """

    article_id: str
    article_title: str
    section_id: str
    heading: str
    snippet: tuple[Fragment, ...]
    score: float
    item: int | None = None
    label: str | None = None
    note: bool = False


def library_schema() -> dict[str, Any]:
    """Return the JSON Schema of the data file, generated from these types.

    The result is the same whichever msgspec (0.19 on) and Python (3.10 on)
    generate it, so that ``data/articles.schema.json`` never changes with the
    tools. msgspec takes a struct's description from its docstring, and the
    text of that docstring varies: msgspec 0.23 cleans it with
    ``inspect.cleandoc`` and earlier releases keep its indentation, while
    Python 3.13 strips the indentation itself when it compiles the class.
    Every ``description`` is therefore put through ``inspect.cleandoc`` here,
    which gives one text from all of those (it is idempotent, and removes
    exactly the indentation that either of the others might have left).
    In every ``anyOf``, ``null`` comes last, wherever msgspec put it.
    """
    schema = msgspec.json.schema(Library)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sccli article library",
        "description": "The format of sccli's data/articles.json (schema_version 1).",
        **_clean_descriptions(schema),
    }


#: Keywords whose values are data (a "description" key in them is not a schema's), and
#: keywords whose values map names (of properties, of definitions) to schemas.
_DATA_KEYWORDS = frozenset({"const", "default", "enum", "examples"})
_SCHEMA_MAPS = frozenset({"$defs", "properties", "patternProperties", "dependentSchemas"})


def _clean_descriptions(schema: Any) -> Any:
    """A copy of a JSON Schema (or of a list of them) with every ``description`` put through ``inspect.cleandoc``."""
    from inspect import cleandoc

    if isinstance(schema, list):
        return [_clean_descriptions(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    cleaned: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "description" and isinstance(value, str):
            cleaned[key] = cleandoc(value)
        elif key in _DATA_KEYWORDS:
            cleaned[key] = value
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            cleaned[key] = {name: _clean_descriptions(subschema) for name, subschema in value.items()}
        elif key == "pattern" and value == _QUALIFIED:  # a data file's ids are plain slugs
            cleaned[key] = _SLUG
        elif key == "maxLength" and schema.get("pattern") == _QUALIFIED:
            cleaned[key] = 80
        elif key == "anyOf" and isinstance(value, list):
            # msgspec 0.19 lists a struct's "null" alternative first, later releases last: always last.
            cleaned[key] = sorted(_clean_descriptions(value), key=lambda option: option == {"type": "null"})
        else:
            cleaned[key] = _clean_descriptions(value)
    return cleaned
