"""The consumer-health vocabulary that ships with sccli and applies to every library.

``data/vocabulary.json`` holds groups of words and phrases that mean the same
thing to a reader: everyday words and medical terms ("pins and needles",
"paresthesia"), US and UK spellings, brand and generic drug names, and the
words people ask with against the words health pages head their sections with
("diagnosed", "exams and tests"). Every group names its sources; the file's
``about`` says how it was built and how to add to it. It is data, not code: a
library's own ``synonyms`` add to it, and search reads both the same way.
"""

from __future__ import annotations

import functools
import os

import msgspec

from sccli.errors import DataError
from sccli.models import Source

_HERE = os.path.dirname(os.path.realpath(__file__))


class Group(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Words and phrases that mean the same, everyday phrase first, and where that is said."""

    terms: list[str]
    sources: list[str]


class Vocabulary(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The whole file: what it is, its sources by key, and the groups."""

    about: str
    sources: dict[str, Source]
    groups: list[Group]


def vocabulary_path() -> str:
    """The packaged vocabulary: inside the wheel, or the repository's ``data/`` in a checkout."""
    inside = os.path.join(_HERE, "data", "vocabulary.json")
    if os.path.isfile(inside):
        return inside
    return os.path.join(os.path.dirname(os.path.dirname(_HERE)), "data", "vocabulary.json")


def load_vocabulary(path: str | None = None) -> Vocabulary:
    """Read and check the vocabulary file (the packaged one when ``path`` is None).

    Raises:
        DataError: the file cannot be read, does not match the format, or a
            group cites a source the file does not list.
    """
    path = path or vocabulary_path()
    try:
        with open(path, "rb") as stream:
            vocabulary = msgspec.json.decode(stream.read(), type=Vocabulary)
    except OSError as error:
        raise DataError(f"Cannot read the vocabulary {path}: {error.strerror or error}.") from None
    except msgspec.ValidationError as error:
        raise DataError(f"The vocabulary {path} is not valid: {error}.") from None
    except msgspec.DecodeError:
        raise DataError(f"The vocabulary {path} is not valid JSON.") from None
    for number, group in enumerate(vocabulary.groups):
        missing = [key for key in group.sources if key not in vocabulary.sources]
        if len(group.terms) < 2 or not group.sources or missing:
            raise DataError(f"The vocabulary {path}: group {number + 1} needs two terms and known sources.")
    return vocabulary


@functools.cache
def packaged_groups() -> tuple[tuple[str, ...], ...]:
    """The packaged vocabulary's groups, read once per process."""
    return tuple(tuple(group.terms) for group in load_vocabulary().groups)
