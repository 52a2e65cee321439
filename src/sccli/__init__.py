"""sccli: read about spinal cord stimulation for painful neuropathy, offline.

The package is a small library with a command-line interface on top:

    >>> from sccli import load_library, find_article
    >>> library = load_library()
    >>> find_article(library, "risks").title  # doctest: +SKIP

Importing ``sccli`` is cheap: the library API is loaded on first use, so
``sccli --version`` and ``sccli --help`` never pay for data validation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    from sccli.data import load_library
    from sccli.errors import SccliError
    from sccli.lookup import find_article, find_section
    from sccli.models import Article, Hit, Library
    from sccli.search import search


def __getattr__(name: str) -> Any:
    """Import the public API lazily (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sccli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
