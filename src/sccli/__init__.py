"""sccli: read about spinal cord stimulation for painful neuropathy, offline.

The package is a small library with a command-line interface on top:

    >>> from sccli import load_library, find_article
    >>> library = load_library()
    >>> find_article(library, "risks").title  # doctest: +SKIP

Importing ``sccli`` is cheap: the library API is loaded on first use, so
``sccli --version`` and ``sccli --help`` never pay for data validation.
"""

# Nothing is imported here at run time, not even typing (~9 ms, more than the rest of
# this module's import together): the console script imports this package before
# sccli._entry.main can catch a Ctrl-C, and a Ctrl-C during that import would end
# with a traceback. So the names below are imported only for type checkers, which
# read TYPE_CHECKING as true (the constant is typing's own, spelled without typing),
# and the annotation that needs ``Any`` is a string.
TYPE_CHECKING = False

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Hit",
    "Library",
    "SccliError",
    "__version__",
    "find_article",
    "find_section",
    "load_library",
    "search",
]

_EXPORTS = {
    "Article": "sccli.models",
    "Hit": "sccli.models",
    "Library": "sccli.models",
    "SccliError": "sccli.errors",
    "find_article": "sccli.lookup",
    "find_section": "sccli.lookup",
    "load_library": "sccli.data",
    "search": "sccli.search",
}

if TYPE_CHECKING:
    from typing import Any

    from sccli.data import load_library
    from sccli.errors import SccliError
    from sccli.lookup import find_article, find_section
    from sccli.models import Article, Hit, Library
    from sccli.search import search


def __getattr__(name: str) -> "Any":
    """Import the public API lazily (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sccli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
